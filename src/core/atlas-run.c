/* atlas-run.c — OperationRun model: strict construction from JSON, in-place updates
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-run"

#include "config.h"

#include <string.h>

#include "atlas-enums.h"
#include "atlas-json.h"
#include "atlas-run.h"

struct _AtlasRun
{
  GObject             parent_instance;

  gint64              id;
  gint64              workspace_id;
  gint64              tenant_id;
  char               *tenant_name;
  char               *run_type;
  char               *type_label;
  AtlasRunStatus      status;
  char               *status_text;
  AtlasRunOutcome     outcome;
  char               *outcome_text;
  AtlasFreshness      freshness;
  AtlasProblemClass   problem_class;
  gint64              created_at;
  gint64              started_at;
  gint64              completed_at;
  gint64              last_progress_at;
  gint64              lifecycle_window;
  AtlasSummaryCounts  counts;
  GPtrArray          *failures;
  gint64              initiator_id;
  char               *initiator_name;
  gboolean            initiated_by_me;
  gint64              reconciled_at;
  char               *reconciliation_reason;
  char               *previous_status;
  char               *web_url;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_WORKSPACE_ID,
  PROP_TENANT_ID,
  PROP_TENANT_NAME,
  PROP_RUN_TYPE,
  PROP_TYPE_LABEL,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_OUTCOME,
  PROP_OUTCOME_TEXT,
  PROP_FRESHNESS,
  PROP_PROBLEM_CLASS,
  PROP_CREATED_AT,
  PROP_STARTED_AT,
  PROP_COMPLETED_AT,
  PROP_LAST_PROGRESS_AT,
  PROP_LIFECYCLE_WINDOW,
  PROP_SUMMARY_COUNTS,
  PROP_FAILURE_SUMMARY,
  PROP_INITIATOR_ID,
  PROP_INITIATOR_NAME,
  PROP_INITIATED_BY_ME,
  PROP_RECONCILED_AT,
  PROP_RECONCILIATION_REASON,
  PROP_PREVIOUS_STATUS,
  PROP_WEB_URL,
  PROP_IS_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasRun, atlas_run, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (AtlasSummaryCounts, atlas_summary_counts,
                     atlas_summary_counts_copy, atlas_summary_counts_free)

static const char * const count_keys[ATLAS_N_COUNTS] = {
  "total", "processed", "succeeded", "failed", "skipped",
  "created", "updated", "deleted", "items",
};

static const char * const status_names[] = { NULL, "queued", "running", "completed" };
static const char * const outcome_names[] = {
  NULL, "succeeded", "partially_succeeded", "failed", "blocked", "cancelled", NULL,
};
static const char * const freshness_names[] = { NULL, "fresh", "likely_stale", "reconciled", NULL };
static const char * const problem_names[] = {
  NULL, "active_stale_attention", "terminal_follow_up", NULL,
};

static guint
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint               unknown)
{
  if (text == NULL)
    return 0;
  for (guint i = 0; i < n_names; i++)
    if (names[i] != NULL && g_str_equal (names[i], text))
      return i;
  return unknown;
}

AtlasRunStatus
atlas_run_status_from_string (const char *text)
{
  /* A missing status is as unknown as an unfamiliar one. */
  if (text == NULL)
    return ATLAS_RUN_STATUS_UNKNOWN;
  return lookup_name (status_names, G_N_ELEMENTS (status_names), text, ATLAS_RUN_STATUS_UNKNOWN);
}

AtlasRunOutcome
atlas_run_outcome_from_string (const char *text)
{
  return lookup_name (outcome_names, G_N_ELEMENTS (outcome_names), text, ATLAS_RUN_OUTCOME_UNKNOWN);
}

AtlasFreshness
atlas_freshness_from_string (const char *text)
{
  return lookup_name (freshness_names, G_N_ELEMENTS (freshness_names), text, ATLAS_FRESHNESS_UNKNOWN);
}

AtlasProblemClass
atlas_problem_class_from_string (const char *text)
{
  return lookup_name (problem_names, G_N_ELEMENTS (problem_names), text,
                      ATLAS_PROBLEM_CLASS_UNKNOWN);
}

const char *
atlas_freshness_to_string (AtlasFreshness freshness)
{
  if (freshness == ATLAS_FRESHNESS_NONE)
    return NULL;
  if ((guint) freshness < G_N_ELEMENTS (freshness_names) && freshness_names[freshness] != NULL)
    return freshness_names[freshness];
  return "unknown";
}

const char *
atlas_problem_class_to_string (AtlasProblemClass problem_class)
{
  if (problem_class == ATLAS_PROBLEM_CLASS_NONE)
    return NULL;
  if ((guint) problem_class < G_N_ELEMENTS (problem_names) && problem_names[problem_class] != NULL)
    return problem_names[problem_class];
  return "unknown";
}

const char *
atlas_count_key_to_string (AtlasCountKey key)
{
  g_return_val_if_fail ((guint) key < ATLAS_N_COUNTS, NULL);
  return count_keys[key];
}

AtlasSummaryCounts *
atlas_summary_counts_copy (const AtlasSummaryCounts *counts)
{
  return g_memdup2 (counts, sizeof *counts);
}

void
atlas_summary_counts_free (AtlasSummaryCounts *counts)
{
  g_free (counts);
}

gboolean
atlas_summary_counts_get (const AtlasSummaryCounts *counts,
                          AtlasCountKey             key,
                          gint64                   *out)
{
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail ((guint) key < ATLAS_N_COUNTS, FALSE);

  if ((counts->present & (1u << key)) == 0)
    return FALSE;
  if (out != NULL)
    *out = counts->values[key];
  return TRUE;
}

gboolean
atlas_summary_counts_equal (const AtlasSummaryCounts *a,
                            const AtlasSummaryCounts *b)
{
  if (a->present != b->present)
    return FALSE;
  for (guint i = 0; i < ATLAS_N_COUNTS; i++)
    if ((a->present & (1u << i)) != 0 && a->values[i] != b->values[i])
      return FALSE;
  return TRUE;
}

void
atlas_failure_entry_free (AtlasFailureEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->reason_code);
  g_free (entry->message);
  g_free (entry);
}

static gboolean
failures_equal (GPtrArray *a,
                GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      AtlasFailureEntry *x = g_ptr_array_index (a, i);
      AtlasFailureEntry *y = g_ptr_array_index (b, i);

      if (g_strcmp0 (x->reason_code, y->reason_code) != 0 ||
          g_strcmp0 (x->message, y->message) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Dropped values are logged once per key for the life of the process, so a
 * misbehaving server cannot flood the journal at 1 request per second. */
static void
log_dropped_once (const char *key,
                  const char *why)
{
  static GHashTable *seen;
  G_LOCK_DEFINE_STATIC (seen);
  gboolean first;

  G_LOCK (seen);
  if (seen == NULL)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first = g_hash_table_size (seen) < 64 && g_hash_table_add (seen, g_strdup (key));
  G_UNLOCK (seen);

  if (first)
    g_debug ("summary_counts: dropped “%s” (%s)", key, why);
}

static gboolean
read_counts (JsonObject          *object,
             AtlasSummaryCounts  *counts,
             GError             **error)
{
  JsonObject *c;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  memset (counts, 0, sizeof *counts);
  if (!atlas_json_get_object (object, "summary_counts", FALSE, &c, error))
    return FALSE;
  if (c == NULL)
    return TRUE;

  json_object_iter_init (&iter, c);
  while (json_object_iter_next (&iter, &key, &value))
    {
      guint k = lookup_name (count_keys, ATLAS_N_COUNTS, key, ATLAS_N_COUNTS);
      gint64 v;

      if (k == ATLAS_N_COUNTS)
        {
          log_dropped_once (key, "unknown key");
          continue;
        }
      if (!atlas_json_node_get_int64 (value, &v) || v < 0)
        {
          log_dropped_once (key, "not a non-negative integer");
          continue;
        }
      counts->values[k] = v;
      counts->present |= 1u << k;
    }

  return TRUE;
}

static gboolean
read_failures (JsonObject  *object,
               GPtrArray   *failures,
               GError     **error)
{
  JsonArray *array;
  guint n;

  if (!atlas_json_get_array (object, "failure_summary", FALSE, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  /* The contract caps the list at 20; a longer one is cut, not refused. */
  n = MIN (json_array_get_length (array), ATLAS_FAILURE_SUMMARY_MAX);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      AtlasFailureEntry *entry;
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                       "Invalid response: “failure_summary” entries should be objects");
          return FALSE;
        }
      o = json_node_get_object (node);
      entry = g_new0 (AtlasFailureEntry, 1);
      g_ptr_array_add (failures, entry);
      if (!atlas_json_get_string (o, "reason_code", FALSE, &entry->reason_code, error) ||
          !atlas_json_get_string (o, "message", FALSE, &entry->message, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_enum_text (JsonObject  *object,
                const char  *member,
                char       **out,
                GError     **error)
{
  return atlas_json_get_string (object, member, FALSE, out, error);
}

static gboolean
atlas_run_read (AtlasRun    *self,
                JsonObject  *object,
                GError     **error)
{
  g_autofree char *freshness = NULL;
  g_autofree char *problem = NULL;
  JsonObject *initiator;
  JsonObject *reconciliation;
  JsonObject *links;

  if (!atlas_json_get_int64 (object, "id", TRUE, 0, &self->id, error))
    return FALSE;
  if (self->id <= 0)
    {
      g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE,
                   "Invalid response: run “id” must be positive");
      return FALSE;
    }

  if (!atlas_json_get_int64 (object, "workspace_id", FALSE, 0, &self->workspace_id, error) ||
      !atlas_json_get_int64 (object, "tenant_id", FALSE, 0, &self->tenant_id, error) ||
      !atlas_json_get_string (object, "tenant_name", FALSE, &self->tenant_name, error) ||
      !atlas_json_get_string (object, "type", FALSE, &self->run_type, error) ||
      !atlas_json_get_string (object, "type_label", FALSE, &self->type_label, error) ||
      !read_enum_text (object, "status", &self->status_text, error) ||
      !read_enum_text (object, "outcome", &self->outcome_text, error) ||
      !read_enum_text (object, "freshness", &freshness, error) ||
      !read_enum_text (object, "problem_class", &problem, error) ||
      !atlas_json_get_timestamp (object, "created_at", &self->created_at, error) ||
      !atlas_json_get_timestamp (object, "started_at", &self->started_at, error) ||
      !atlas_json_get_timestamp (object, "completed_at", &self->completed_at, error) ||
      !atlas_json_get_timestamp (object, "last_progress_at", &self->last_progress_at, error) ||
      !atlas_json_get_int64 (object, "lifecycle_window_seconds", FALSE, 0,
                             &self->lifecycle_window, error) ||
      !read_counts (object, &self->counts, error) ||
      !read_failures (object, self->failures, error) ||
      !atlas_json_get_boolean (object, "initiated_by_me", FALSE, &self->initiated_by_me, error) ||
      !atlas_json_get_object (object, "initiator", FALSE, &initiator, error) ||
      !atlas_json_get_object (object, "reconciliation", FALSE, &reconciliation, error) ||
      !atlas_json_get_object (object, "links", FALSE, &links, error))
    return FALSE;

  self->status = atlas_run_status_from_string (self->status_text);
  self->outcome = atlas_run_outcome_from_string (self->outcome_text);
  self->freshness = atlas_freshness_from_string (freshness);
  self->problem_class = atlas_problem_class_from_string (problem);

  if (initiator != NULL &&
      (!atlas_json_get_int64 (initiator, "id", FALSE, 0, &self->initiator_id, error) ||
       !atlas_json_get_string (initiator, "name", FALSE, &self->initiator_name, error)))
    return FALSE;

  self->reconciled_at = ATLAS_TIME_NONE;
  if (reconciliation != NULL &&
      (!atlas_json_get_timestamp (reconciliation, "reconciled_at", &self->reconciled_at, error) ||
       !atlas_json_get_string (reconciliation, "reason_code", FALSE,
                               &self->reconciliation_reason, error) ||
       !atlas_json_get_string (reconciliation, "previous_status", FALSE,
                               &self->previous_status, error)))
    return FALSE;

  if (links != NULL && !atlas_json_get_string (links, "web", FALSE, &self->web_url, error))
    return FALSE;

  return TRUE;
}

static void
atlas_run_finalize (GObject *object)
{
  AtlasRun *self = (AtlasRun *)object;

  g_free (self->tenant_name);
  g_free (self->run_type);
  g_free (self->type_label);
  g_free (self->status_text);
  g_free (self->outcome_text);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_free (self->initiator_name);
  g_free (self->reconciliation_reason);
  g_free (self->previous_status);
  g_free (self->web_url);

  G_OBJECT_CLASS (atlas_run_parent_class)->finalize (object);
}

static void
atlas_run_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AtlasRun *self = ATLAS_RUN (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_WORKSPACE_ID: g_value_set_int64 (value, self->workspace_id); break;
    case PROP_TENANT_ID: g_value_set_int64 (value, self->tenant_id); break;
    case PROP_TENANT_NAME: g_value_set_string (value, self->tenant_name); break;
    case PROP_RUN_TYPE: g_value_set_string (value, self->run_type); break;
    case PROP_TYPE_LABEL: g_value_set_string (value, self->type_label); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_STATUS_TEXT: g_value_set_string (value, self->status_text); break;
    case PROP_OUTCOME: g_value_set_enum (value, self->outcome); break;
    case PROP_OUTCOME_TEXT: g_value_set_string (value, self->outcome_text); break;
    case PROP_FRESHNESS: g_value_set_enum (value, self->freshness); break;
    case PROP_PROBLEM_CLASS: g_value_set_enum (value, self->problem_class); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    case PROP_STARTED_AT: g_value_set_int64 (value, self->started_at); break;
    case PROP_COMPLETED_AT: g_value_set_int64 (value, self->completed_at); break;
    case PROP_LAST_PROGRESS_AT: g_value_set_int64 (value, self->last_progress_at); break;
    case PROP_LIFECYCLE_WINDOW: g_value_set_int64 (value, self->lifecycle_window); break;
    case PROP_SUMMARY_COUNTS: g_value_set_boxed (value, &self->counts); break;
    case PROP_FAILURE_SUMMARY: g_value_set_boxed (value, self->failures); break;
    case PROP_INITIATOR_ID: g_value_set_int64 (value, self->initiator_id); break;
    case PROP_INITIATOR_NAME: g_value_set_string (value, self->initiator_name); break;
    case PROP_INITIATED_BY_ME: g_value_set_boolean (value, self->initiated_by_me); break;
    case PROP_RECONCILED_AT: g_value_set_int64 (value, self->reconciled_at); break;
    case PROP_RECONCILIATION_REASON: g_value_set_string (value, self->reconciliation_reason); break;
    case PROP_PREVIOUS_STATUS: g_value_set_string (value, self->previous_status); break;
    case PROP_WEB_URL: g_value_set_string (value, self->web_url); break;
    case PROP_IS_ACTIVE: g_value_set_boolean (value, atlas_run_is_active (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_prop (const char *name,
            gint64      min,
            gint64      def)
{
  return g_param_spec_int64 (name, NULL, NULL, min, G_MAXINT64, def,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
enum_prop (const char *name,
           GType       type,
           int         def)
{
  return g_param_spec_enum (name, NULL, NULL, type, def,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
atlas_run_class_init (AtlasRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = atlas_run_finalize;
  object_class->get_property = atlas_run_get_property;

  properties[PROP_ID] = int64_prop ("id", 0, 0);
  properties[PROP_WORKSPACE_ID] = int64_prop ("workspace-id", G_MININT64, 0);
  properties[PROP_TENANT_ID] = int64_prop ("tenant-id", G_MININT64, 0);
  properties[PROP_TENANT_NAME] = string_prop ("tenant-name");
  properties[PROP_RUN_TYPE] = string_prop ("run-type");
  properties[PROP_TYPE_LABEL] = string_prop ("type-label");
  properties[PROP_STATUS] = enum_prop ("status", ATLAS_TYPE_RUN_STATUS, ATLAS_RUN_STATUS_UNKNOWN);
  properties[PROP_STATUS_TEXT] = string_prop ("status-text");
  properties[PROP_OUTCOME] = enum_prop ("outcome", ATLAS_TYPE_RUN_OUTCOME, ATLAS_RUN_OUTCOME_NONE);
  properties[PROP_OUTCOME_TEXT] = string_prop ("outcome-text");
  properties[PROP_FRESHNESS] = enum_prop ("freshness", ATLAS_TYPE_FRESHNESS, ATLAS_FRESHNESS_NONE);
  properties[PROP_PROBLEM_CLASS] = enum_prop ("problem-class", ATLAS_TYPE_PROBLEM_CLASS,
                                              ATLAS_PROBLEM_CLASS_NONE);
  properties[PROP_CREATED_AT] = int64_prop ("created-at", G_MININT64, ATLAS_TIME_NONE);
  properties[PROP_STARTED_AT] = int64_prop ("started-at", G_MININT64, ATLAS_TIME_NONE);
  properties[PROP_COMPLETED_AT] = int64_prop ("completed-at", G_MININT64, ATLAS_TIME_NONE);
  properties[PROP_LAST_PROGRESS_AT] = int64_prop ("last-progress-at", G_MININT64, ATLAS_TIME_NONE);
  properties[PROP_LIFECYCLE_WINDOW] = int64_prop ("lifecycle-window", G_MININT64, 0);
  properties[PROP_SUMMARY_COUNTS] =
    g_param_spec_boxed ("summary-counts", NULL, NULL, ATLAS_TYPE_SUMMARY_COUNTS, flags);
  properties[PROP_FAILURE_SUMMARY] =
    g_param_spec_boxed ("failure-summary", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  properties[PROP_INITIATOR_ID] = int64_prop ("initiator-id", G_MININT64, 0);
  properties[PROP_INITIATOR_NAME] = string_prop ("initiator-name");
  properties[PROP_INITIATED_BY_ME] =
    g_param_spec_boolean ("initiated-by-me", NULL, NULL, FALSE, flags);
  properties[PROP_RECONCILED_AT] = int64_prop ("reconciled-at", G_MININT64, ATLAS_TIME_NONE);
  properties[PROP_RECONCILIATION_REASON] = string_prop ("reconciliation-reason");
  properties[PROP_PREVIOUS_STATUS] = string_prop ("previous-status");
  properties[PROP_WEB_URL] = string_prop ("web-url");
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atlas_run_init (AtlasRun *self)
{
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) atlas_failure_entry_free);
  self->created_at = ATLAS_TIME_NONE;
  self->started_at = ATLAS_TIME_NONE;
  self->completed_at = ATLAS_TIME_NONE;
  self->last_progress_at = ATLAS_TIME_NONE;
  self->reconciled_at = ATLAS_TIME_NONE;
}

/**
 * atlas_run_new_from_json:
 * @object: one OperationRun object of the API
 * @error: set when the object breaks the contract (missing id, wrong types)
 *
 * Unknown enum values are kept as *unknown*; invalid summary counts are dropped.
 */
AtlasRun *
atlas_run_new_from_json (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(AtlasRun) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ATLAS_TYPE_RUN, NULL);
  if (!atlas_run_read (self, object, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Parses one run object, either bare or wrapped in {"data": …}. */
AtlasRun *
atlas_run_new_from_data (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *inner;

  root = atlas_json_parse (data, length, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: expected a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  inner = json_object_get_member (object, "data");
  if (inner != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (inner))
        {
          g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                               "Invalid response: “data” should be an object");
          return NULL;
        }
      object = json_node_get_object (inner);
    }

  return atlas_run_new_from_json (object, error);
}

#define UPDATE_SCALAR(field, prop)                                  \
  G_STMT_START {                                                    \
    if (self->field != newer->field)                                \
      {                                                             \
        self->field = newer->field;                                 \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
        changed = TRUE;                                             \
      }                                                             \
  } G_STMT_END

#define UPDATE_STRING(field, prop)                                  \
  G_STMT_START {                                                    \
    if (g_strcmp0 (self->field, newer->field) != 0)                 \
      {                                                             \
        g_free (self->field);                                       \
        self->field = g_strdup (newer->field);                      \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
        changed = TRUE;                                             \
      }                                                             \
  } G_STMT_END

/**
 * atlas_run_update_from:
 * @self: the run on screen
 * @newer: a freshly parsed copy of the same run
 *
 * Copies @newer into @self and notifies only the properties that changed, so a
 * list row bound to @self redraws only what moved. Returns whether anything did.
 */
gboolean
atlas_run_update_from (AtlasRun *self,
                       AtlasRun *newer)
{
  gboolean changed = FALSE;
  gboolean was_active;

  g_return_val_if_fail (ATLAS_IS_RUN (self), FALSE);
  g_return_val_if_fail (ATLAS_IS_RUN (newer), FALSE);
  g_return_val_if_fail (self->id == newer->id, FALSE);

  if (self == newer)
    return FALSE;

  was_active = atlas_run_is_active (self);
  g_object_freeze_notify (G_OBJECT (self));

  UPDATE_SCALAR (workspace_id, PROP_WORKSPACE_ID);
  UPDATE_SCALAR (tenant_id, PROP_TENANT_ID);
  UPDATE_STRING (tenant_name, PROP_TENANT_NAME);
  UPDATE_STRING (run_type, PROP_RUN_TYPE);
  UPDATE_STRING (type_label, PROP_TYPE_LABEL);
  UPDATE_SCALAR (status, PROP_STATUS);
  UPDATE_STRING (status_text, PROP_STATUS_TEXT);
  UPDATE_SCALAR (outcome, PROP_OUTCOME);
  UPDATE_STRING (outcome_text, PROP_OUTCOME_TEXT);
  UPDATE_SCALAR (freshness, PROP_FRESHNESS);
  UPDATE_SCALAR (problem_class, PROP_PROBLEM_CLASS);
  UPDATE_SCALAR (created_at, PROP_CREATED_AT);
  UPDATE_SCALAR (started_at, PROP_STARTED_AT);
  UPDATE_SCALAR (completed_at, PROP_COMPLETED_AT);
  UPDATE_SCALAR (last_progress_at, PROP_LAST_PROGRESS_AT);
  UPDATE_SCALAR (lifecycle_window, PROP_LIFECYCLE_WINDOW);
  if (!atlas_summary_counts_equal (&self->counts, &newer->counts))
    {
      self->counts = newer->counts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY_COUNTS]);
      changed = TRUE;
    }
  if (!failures_equal (self->failures, newer->failures))
    {
      g_ptr_array_set_size (self->failures, 0);
      for (guint i = 0; i < newer->failures->len; i++)
        {
          const AtlasFailureEntry *src = g_ptr_array_index (newer->failures, i);
          AtlasFailureEntry *copy = g_new0 (AtlasFailureEntry, 1);

          copy->reason_code = g_strdup (src->reason_code);
          copy->message = g_strdup (src->message);
          g_ptr_array_add (self->failures, copy);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_SUMMARY]);
      changed = TRUE;
    }
  UPDATE_SCALAR (initiator_id, PROP_INITIATOR_ID);
  UPDATE_STRING (initiator_name, PROP_INITIATOR_NAME);
  UPDATE_SCALAR (initiated_by_me, PROP_INITIATED_BY_ME);
  UPDATE_SCALAR (reconciled_at, PROP_RECONCILED_AT);
  UPDATE_STRING (reconciliation_reason, PROP_RECONCILIATION_REASON);
  UPDATE_STRING (previous_status, PROP_PREVIOUS_STATUS);
  UPDATE_STRING (web_url, PROP_WEB_URL);

  if (was_active != atlas_run_is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ACTIVE]);

  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

#undef UPDATE_SCALAR
#undef UPDATE_STRING

gboolean
atlas_run_is_active (AtlasRun *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN (self), FALSE);

  return self->status == ATLAS_RUN_STATUS_QUEUED || self->status == ATLAS_RUN_STATUS_RUNNING;
}

#define GETTER(type, name, field)               \
  type                                          \
  atlas_run_get_##name (AtlasRun *self)         \
  {                                             \
    g_return_val_if_fail (ATLAS_IS_RUN (self), (type) 0); \
    return self->field;                         \
  }

GETTER (gint64, id, id)
GETTER (gint64, workspace_id, workspace_id)
GETTER (gint64, tenant_id, tenant_id)
GETTER (const char *, tenant_name, tenant_name)
GETTER (const char *, run_type, run_type)
GETTER (const char *, type_label, type_label)
GETTER (AtlasRunStatus, status, status)
GETTER (const char *, status_text, status_text)
GETTER (AtlasRunOutcome, outcome, outcome)
GETTER (const char *, outcome_text, outcome_text)
GETTER (AtlasFreshness, freshness, freshness)
GETTER (AtlasProblemClass, problem_class, problem_class)
GETTER (gint64, created_at, created_at)
GETTER (gint64, started_at, started_at)
GETTER (gint64, completed_at, completed_at)
GETTER (gint64, last_progress_at, last_progress_at)
GETTER (gint64, lifecycle_window, lifecycle_window)
GETTER (gint64, initiator_id, initiator_id)
GETTER (const char *, initiator_name, initiator_name)
GETTER (gboolean, initiated_by_me, initiated_by_me)
GETTER (gint64, reconciled_at, reconciled_at)
GETTER (const char *, reconciliation_reason, reconciliation_reason)
GETTER (const char *, previous_status, previous_status)
GETTER (const char *, web_url, web_url)

#undef GETTER

/* For hash tables keyed by run id (g_int64_hash); valid while the run lives. */
const gint64 *
atlas_run_get_id_ptr (AtlasRun *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN (self), NULL);
  return &self->id;
}

const AtlasSummaryCounts *
atlas_run_get_summary_counts (AtlasRun *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN (self), NULL);
  return &self->counts;
}

guint
atlas_run_get_n_failures (AtlasRun *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN (self), 0);
  return self->failures->len;
}

const AtlasFailureEntry *
atlas_run_get_failure (AtlasRun *self,
                       guint     index)
{
  g_return_val_if_fail (ATLAS_IS_RUN (self), NULL);
  g_return_val_if_fail (index < self->failures->len, NULL);
  return g_ptr_array_index (self->failures, index);
}
