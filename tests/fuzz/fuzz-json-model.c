/* fuzz-json-model.c — libFuzzer target: bounded JSON reader → models → presenters
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One input is one response body. It goes through the chain the app runs on every
 * poll: atlas_json_parse, the three models (run, review pack, tenant summary) on
 * every object where the API puts one, both presenters at several server times,
 * and the in-place updates between copies of the same object. Each step checks
 * the invariants the rest of the app relies on and abort()s when one breaks, so
 * libFuzzer (and the replay test) reports it as a crash. Nothing may leak.
 */

#define G_LOG_DOMAIN "fuzz-json-model"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas-json.h"
#include "atlas-review-pack-presenter.h"
#include "atlas-review-pack.h"
#include "atlas-run-presenter.h"
#include "atlas-run.h"
#include "atlas-tenant-summary.h"
#include "fuzz-target.h"

/* Bounds on the work one input may cause, so no input takes seconds. */
#define MAX_OBJECTS     128
#define MAX_STRINGS     256
#define MAX_PAIRS        32

/* 2026-11-22T10:33:10Z, the `now` of tests/data/presenter-cases.json. */
#define FIXTURE_NOW G_GINT64_CONSTANT (1795343590)

/* Server times every run and pack is presented at: the extremes a broken or
 * hostile server could send, "no time at all", and the fixtures' own `now`. */
static const gint64 fixed_nows[] = {
  G_MININT64 + 1,
  ATLAS_TIME_NONE,
  -1,
  0,
  FIXTURE_NOW,
  G_MAXINT64 / 2,
  G_MAXINT64,
};

/* Timestamps atlas_timestamp_parse can return: years 0001 to 9999, ± one day. */
#define TIME_MIN G_GINT64_CONSTANT (-62135683200)
#define TIME_MAX G_GINT64_CONSTANT (253402387199)
/* 1000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define TIME_YEAR_1000 G_GINT64_CONSTANT (-30610224000)
#define TIME_UTC_MAX   G_GINT64_CONSTANT (253402300799)

/* Findings already reported, tolerated only while fuzzing for new ones:
 * ATLAS_FUZZ_KNOWN=timestamp-format,now-overflow,escaped-duplicate (docs/fuzzing.md). The replay
 * test never sets it, so a known finding fails it until src/core is fixed. */
static gboolean known_timestamp_format;
static gboolean known_now_overflow;
static gboolean known_escaped_duplicate;

#define CHECK(cond) \
  G_STMT_START { if (G_UNLIKELY (!(cond))) fail (__FILE__, __LINE__, #cond); } G_STMT_END

G_NORETURN static void
fail (const char *file,
      int         line,
      const char *what)
{
  fprintf (stderr, "%s:%d: invariant broken: %s\n", file, line, what);
  fflush (stderr);
  abort ();
}

#ifdef ATLAS_FUZZ_LIBFUZZER
/* UBSan only prints by default; a fuzzer must stop on undefined behaviour.
 * UBSAN_OPTIONS from the environment still override this. */
const char *__ubsan_default_options (void);

const char *
__ubsan_default_options (void)
{
  return "halt_on_error=1:print_stacktrace=1";
}
#endif

/* ---- small checks ------------------------------------------------------- */

static void
check_text (const char *text,
            gboolean    nullable)
{
  if (text == NULL)
    {
      CHECK (nullable);
      return;
    }
  CHECK (g_utf8_validate (text, -1, NULL));
}

static void
check_nonempty (const char *text)
{
  CHECK (text != NULL);
  CHECK (text[0] != '\0');
  CHECK (g_utf8_validate (text, -1, NULL));
}

static void
check_refusal (const GError *error)
{
  CHECK (error != NULL);
  CHECK (error->domain == ATLAS_JSON_ERROR);
  CHECK (error->code >= ATLAS_JSON_ERROR_TOO_LARGE && error->code <= ATLAS_JSON_ERROR_INVALID_VALUE);
  check_nonempty (error->message);
}

static void
check_time (gint64 t)
{
  CHECK (t == ATLAS_TIME_NONE || (t >= TIME_MIN && t <= TIME_MAX));
}

static void
check_badge (const AtlasBadge *badge)
{
  check_nonempty (badge->label);
  check_nonempty (badge->icon_name);
  CHECK ((guint) badge->tone <= ATLAS_TONE_ERROR);
}

static gboolean
badges_equal (const AtlasBadge *a,
              const AtlasBadge *b)
{
  return g_strcmp0 (a->label, b->label) == 0 && a->tone == b->tone &&
         g_strcmp0 (a->icon_name, b->icon_name) == 0;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* Server times derived from the run itself reach every poll interval bucket. */
static guint
collect_nows (gint64  *nows,
              gint64   t1,
              gint64   t2)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fixed_nows); i++)
    {
      /* now − timestamp overflows gint64 at these two. */
      if (known_now_overflow && (fixed_nows[i] == G_MININT64 + 1 || fixed_nows[i] == G_MAXINT64))
        continue;
      nows[n++] = fixed_nows[i];
    }
  if (t1 != ATLAS_TIME_NONE && t1 >= TIME_MIN && t1 <= TIME_MAX)
    {
      nows[n++] = t1 - 30;
      nows[n++] = t1 + 5;
      nows[n++] = t1 + 30;
      nows[n++] = t1 + 3 * 3600 + 60;
    }
  if (t2 != ATLAS_TIME_NONE && t2 >= TIME_MIN && t2 <= TIME_MAX)
    {
      nows[n++] = t2 + 59;
      nows[n++] = t2 + 2 * 86400 + 7200;
    }
  return n;
}

#define MAX_NOWS (G_N_ELEMENTS (fixed_nows) + 6)

/* ---- the parsed tree ---------------------------------------------------- */

typedef struct
{
  GPtrArray *strings;   /* borrowed from the tree, at most MAX_STRINGS */
  gsize      members;
} TreeStats;

static void check_tree (JsonNode  *node,
                        guint      depth,
                        TreeStats *stats);

static void
check_object_tree (JsonObject *object,
                   guint       depth,
                   TreeStats  *stats)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      check_text (name, FALSE);
      stats->members++;
      check_tree (member, depth, stats);
    }
}

/* What atlas_json_parse promises about a document it accepted. */
static void
check_tree (JsonNode  *node,
            guint      depth,
            TreeStats *stats)
{
  CHECK (node != NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      CHECK (depth < ATLAS_JSON_MAX_DEPTH);
      check_object_tree (json_node_get_object (node), depth + 1, stats);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        CHECK (depth < ATLAS_JSON_MAX_DEPTH);
        for (guint i = 0; i < json_array_get_length (array); i++)
          check_tree (json_array_get_element (array, i), depth + 1, stats);
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_DOUBLE)
          CHECK (isfinite (json_node_get_double (node)));
        else if (type == G_TYPE_STRING)
          {
            const char *s = json_node_get_string (node);

            check_text (s, FALSE);
            if (stats->strings->len < MAX_STRINGS)
              g_ptr_array_add (stats->strings, (gpointer) s);
          }
        else
          CHECK (type == G_TYPE_INT64 || type == G_TYPE_BOOLEAN);
      }
      break;

    case JSON_NODE_NULL:
    default:
      CHECK (json_node_get_node_type (node) == JSON_NODE_NULL);
      break;
    }
}

/* Keys written in an accepted @text: each is followed by the only ':' outside a
 * string. json-glib keeps one member per distinct key, so a difference means two
 * spellings of one key ("id" and "\u0069d") got past the duplicate check. */
static gsize
count_written_keys (const char *text,
                    gsize       size)
{
  gboolean in_string = FALSE;
  gsize n = 0;

  for (gsize i = 0; i < size; i++)
    {
      if (in_string)
        {
          if (text[i] == '\\')
            i++;
          else if (text[i] == '"')
            in_string = FALSE;
        }
      else if (text[i] == '"')
        in_string = TRUE;
      else if (text[i] == ':')
        n++;
    }
  return n;
}

/* Any string of a document may be a timestamp: parsing one gives a time that
 * formats and parses back to itself. */
static void
check_timestamp_text (const char *text)
{
  g_autofree char *formatted = NULL;
  gint64 t = atlas_timestamp_parse (text);

  if (t == ATLAS_TIME_NONE)
    return;
  check_time (t);
  /* "%Y" writes year 999 as "999", and offsets can move a time out of GDateTime's
   * range: neither formats to RFC 3339. */
  if (known_timestamp_format && (t < TIME_YEAR_1000 || t > TIME_UTC_MAX))
    return;
  formatted = atlas_timestamp_format (t);
  CHECK (formatted != NULL);
  CHECK (atlas_timestamp_parse (formatted) == t);
}

/* ---- runs --------------------------------------------------------------- */

static void
check_run_model (AtlasRun *run)
{
  const AtlasSummaryCounts *counts = atlas_run_get_summary_counts (run);
  AtlasRunStatus status = atlas_run_get_status (run);

  CHECK (atlas_run_get_id (run) > 0);
  CHECK ((guint) status <= ATLAS_RUN_STATUS_COMPLETED);
  CHECK (status == atlas_run_status_from_string (atlas_run_get_status_text (run)));
  CHECK (atlas_run_get_outcome (run) == atlas_run_outcome_from_string (atlas_run_get_outcome_text (run)));
  CHECK ((guint) atlas_run_get_outcome (run) <= ATLAS_RUN_OUTCOME_UNKNOWN);
  CHECK ((guint) atlas_run_get_freshness (run) <= ATLAS_FRESHNESS_UNKNOWN);
  CHECK ((guint) atlas_run_get_problem_class (run) <= ATLAS_PROBLEM_CLASS_UNKNOWN);
  CHECK (atlas_run_is_active (run) == (status == ATLAS_RUN_STATUS_QUEUED ||
                                       status == ATLAS_RUN_STATUS_RUNNING));

  check_time (atlas_run_get_created_at (run));
  check_time (atlas_run_get_started_at (run));
  check_time (atlas_run_get_completed_at (run));
  check_time (atlas_run_get_last_progress_at (run));
  check_time (atlas_run_get_reconciled_at (run));

  check_text (atlas_run_get_tenant_name (run), TRUE);
  check_text (atlas_run_get_run_type (run), TRUE);
  check_text (atlas_run_get_type_label (run), TRUE);
  check_text (atlas_run_get_initiator_name (run), TRUE);
  check_text (atlas_run_get_reconciliation_reason (run), TRUE);
  check_text (atlas_run_get_previous_status (run), TRUE);
  check_text (atlas_run_get_web_url (run), TRUE);

  CHECK (counts != NULL);
  CHECK ((counts->present >> ATLAS_N_COUNTS) == 0);
  for (guint k = 0; k < ATLAS_N_COUNTS; k++)
    {
      gint64 v;

      if (atlas_summary_counts_get (counts, k, &v))
        CHECK (v >= 0);
    }

  CHECK (atlas_run_get_n_failures (run) <= ATLAS_FAILURE_SUMMARY_MAX);
  for (guint i = 0; i < atlas_run_get_n_failures (run); i++)
    {
      const AtlasFailureEntry *entry = atlas_run_get_failure (run, i);

      CHECK (entry != NULL);
      check_text (entry->reason_code, TRUE);
      check_text (entry->message, TRUE);
    }
}

static void
check_run_presentation (AtlasRun                   *run,
                        const AtlasRunPresentation *p)
{
  AtlasRunStatus status = atlas_run_get_status (run);
  AtlasFreshness freshness = atlas_run_get_freshness (run);
  gboolean active = status == ATLAS_RUN_STATUS_QUEUED || status == ATLAS_RUN_STATUS_RUNNING;

  CHECK (p != NULL);

  /* is_active only for queued and running, and exactly as the model says. */
  CHECK (p->is_active == active);
  CHECK (p->is_active == atlas_run_is_active (run));
  switch (status)
    {
    case ATLAS_RUN_STATUS_QUEUED:
      CHECK (p->lifecycle == ATLAS_LIFECYCLE_QUEUED);
      break;
    case ATLAS_RUN_STATUS_RUNNING:
      CHECK (p->lifecycle == ATLAS_LIFECYCLE_RUNNING);
      break;
    case ATLAS_RUN_STATUS_COMPLETED:
      CHECK (p->lifecycle == ATLAS_LIFECYCLE_COMPLETED);
      break;
    case ATLAS_RUN_STATUS_UNKNOWN:
    default:
      CHECK (p->lifecycle == ATLAS_LIFECYCLE_UNKNOWN);
      CHECK (p->status_badge.tone == ATLAS_TONE_NEUTRAL);
      break;
    }

  check_badge (&p->status_badge);
  if (p->has_freshness_badge)
    check_badge (&p->freshness_badge);
  check_nonempty (p->headline);
  check_text (p->guidance, TRUE);
  check_nonempty (p->accessible_description);
  /* Hard rule 8: the words carry what the badges and bars show. */
  CHECK (strstr (p->accessible_description, p->headline) != NULL);
  CHECK (strstr (p->accessible_description, p->status_badge.label) != NULL);

  CHECK (isfinite (p->fraction));
  CHECK (p->fraction >= 0.0 && p->fraction <= 1.0);
  switch (p->progress)
    {
    case ATLAS_PROGRESS_DETERMINATE:
      check_nonempty (p->counts_text);
      CHECK (p->elapsed_text == NULL);
      break;
    case ATLAS_PROGRESS_INDETERMINATE:
      CHECK (p->counts_text == NULL);
      CHECK (p->fraction == 0.0);
      check_text (p->elapsed_text, TRUE);
      break;
    case ATLAS_PROGRESS_NONE:
      CHECK (p->counts_text == NULL);
      CHECK (p->elapsed_text == NULL);
      CHECK (p->fraction == 0.0);
      break;
    default:
      fail (__FILE__, __LINE__, "unknown progress kind");
    }

  /* Never a timer for terminal or unknown runs; one of the three paces otherwise. */
  if (!p->is_active)
    {
      CHECK (p->poll_interval_ms == 0);
      CHECK (p->progress == ATLAS_PROGRESS_NONE);
    }
  else
    CHECK (p->poll_interval_ms == 1000 || p->poll_interval_ms == 5000 ||
           p->poll_interval_ms == 10000);

  /* Hard rules 1 and 2: a likely-stale active run is never calm. */
  if (active && freshness == ATLAS_FRESHNESS_LIKELY_STALE)
    {
      CHECK (p->attention);
      CHECK (p->status_badge.tone == ATLAS_TONE_WARNING);
      CHECK (p->has_freshness_badge);
    }
  if (status == ATLAS_RUN_STATUS_COMPLETED && freshness == ATLAS_FRESHNESS_RECONCILED)
    {
      CHECK (p->attention);
      CHECK (p->status_badge.tone == ATLAS_TONE_ERROR);
    }
}

static gboolean
run_presentations_equal (const AtlasRunPresentation *a,
                         const AtlasRunPresentation *b)
{
  return a->lifecycle == b->lifecycle &&
         a->is_active == b->is_active &&
         badges_equal (&a->status_badge, &b->status_badge) &&
         a->has_freshness_badge == b->has_freshness_badge &&
         (!a->has_freshness_badge || badges_equal (&a->freshness_badge, &b->freshness_badge)) &&
         a->attention == b->attention &&
         g_strcmp0 (a->headline, b->headline) == 0 &&
         g_strcmp0 (a->guidance, b->guidance) == 0 &&
         a->progress == b->progress &&
         a->fraction == b->fraction &&
         g_strcmp0 (a->counts_text, b->counts_text) == 0 &&
         g_strcmp0 (a->elapsed_text, b->elapsed_text) == 0 &&
         a->poll_interval_ms == b->poll_interval_ms &&
         g_strcmp0 (a->accessible_description, b->accessible_description) == 0;
}

static gboolean
runs_equal (AtlasRun *a,
            AtlasRun *b)
{
  if (atlas_run_get_n_failures (a) != atlas_run_get_n_failures (b))
    return FALSE;
  for (guint i = 0; i < atlas_run_get_n_failures (a); i++)
    {
      const AtlasFailureEntry *x = atlas_run_get_failure (a, i);
      const AtlasFailureEntry *y = atlas_run_get_failure (b, i);

      if (g_strcmp0 (x->reason_code, y->reason_code) != 0 ||
          g_strcmp0 (x->message, y->message) != 0)
        return FALSE;
    }

  return atlas_run_get_id (a) == atlas_run_get_id (b) &&
         atlas_run_get_workspace_id (a) == atlas_run_get_workspace_id (b) &&
         atlas_run_get_tenant_id (a) == atlas_run_get_tenant_id (b) &&
         g_strcmp0 (atlas_run_get_tenant_name (a), atlas_run_get_tenant_name (b)) == 0 &&
         g_strcmp0 (atlas_run_get_run_type (a), atlas_run_get_run_type (b)) == 0 &&
         g_strcmp0 (atlas_run_get_type_label (a), atlas_run_get_type_label (b)) == 0 &&
         atlas_run_get_status (a) == atlas_run_get_status (b) &&
         g_strcmp0 (atlas_run_get_status_text (a), atlas_run_get_status_text (b)) == 0 &&
         atlas_run_get_outcome (a) == atlas_run_get_outcome (b) &&
         g_strcmp0 (atlas_run_get_outcome_text (a), atlas_run_get_outcome_text (b)) == 0 &&
         atlas_run_get_freshness (a) == atlas_run_get_freshness (b) &&
         atlas_run_get_problem_class (a) == atlas_run_get_problem_class (b) &&
         atlas_run_get_created_at (a) == atlas_run_get_created_at (b) &&
         atlas_run_get_started_at (a) == atlas_run_get_started_at (b) &&
         atlas_run_get_completed_at (a) == atlas_run_get_completed_at (b) &&
         atlas_run_get_last_progress_at (a) == atlas_run_get_last_progress_at (b) &&
         atlas_run_get_lifecycle_window (a) == atlas_run_get_lifecycle_window (b) &&
         atlas_summary_counts_equal (atlas_run_get_summary_counts (a),
                                     atlas_run_get_summary_counts (b)) &&
         atlas_run_get_initiator_id (a) == atlas_run_get_initiator_id (b) &&
         g_strcmp0 (atlas_run_get_initiator_name (a), atlas_run_get_initiator_name (b)) == 0 &&
         atlas_run_get_initiated_by_me (a) == atlas_run_get_initiated_by_me (b) &&
         atlas_run_get_reconciled_at (a) == atlas_run_get_reconciled_at (b) &&
         g_strcmp0 (atlas_run_get_reconciliation_reason (a),
                    atlas_run_get_reconciliation_reason (b)) == 0 &&
         g_strcmp0 (atlas_run_get_previous_status (a), atlas_run_get_previous_status (b)) == 0 &&
         g_strcmp0 (atlas_run_get_web_url (a), atlas_run_get_web_url (b)) == 0 &&
         atlas_run_is_active (a) == atlas_run_is_active (b);
}

static AtlasRun *
bare_run (gint64 id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  AtlasRun *run;

  json_object_set_int_member (object, "id", id);
  run = atlas_run_new_from_json (object, &error);
  CHECK (run != NULL);
  CHECK (error == NULL);
  return run;
}

/* Present @run at every server time worth trying; @twin must look the same. */
static void
present_run (AtlasRun *run,
             AtlasRun *twin)
{
  gint64 nows[MAX_NOWS];
  guint n = collect_nows (nows, atlas_run_get_created_at (run), atlas_run_get_started_at (run));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, nows[i]);

      check_run_presentation (run, p);
      if (twin != NULL)
        {
          g_autoptr(AtlasRunPresentation) q = atlas_run_present (twin, nows[i]);

          CHECK (run_presentations_equal (p, q));
        }
    }
}

/* atlas_run_update_from (@target, @source): says whether anything changed, notifies
 * exactly then, leaves @target equal to @source, and a second time is a no-op. */
static void
check_run_update (AtlasRun *target,
                  AtlasRun *source)
{
  guint notified = 0;
  gulong handler;
  gboolean was_equal = runs_equal (target, source);
  gboolean changed;

  CHECK (atlas_run_get_id (target) == atlas_run_get_id (source));

  handler = g_signal_connect (target, "notify", G_CALLBACK (count_notify), &notified);
  changed = atlas_run_update_from (target, source);
  CHECK (changed == !was_equal);
  CHECK (changed == (notified > 0));
  CHECK (runs_equal (target, source));
  check_run_model (target);

  notified = 0;
  CHECK (!atlas_run_update_from (target, source));
  CHECK (notified == 0);
  g_signal_handler_disconnect (target, handler);
}

/* Returns the run (owned) when @object is one. */
static AtlasRun *
fuzz_run (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(AtlasRun) run = atlas_run_new_from_json (object, &error);
  g_autoptr(AtlasRun) copy = atlas_run_new_from_json (object, &error2);
  g_autoptr(AtlasRun) bare = NULL;
  g_autoptr(AtlasRun) bare2 = NULL;

  /* Construction is deterministic, and a refusal always says why. */
  if (run == NULL)
    {
      check_refusal (error);
      CHECK (copy == NULL);
      CHECK (g_error_matches (error2, error->domain, error->code));
      CHECK (g_strcmp0 (error->message, error2->message) == 0);
      return NULL;
    }
  CHECK (error == NULL);
  CHECK (copy != NULL);
  check_run_model (run);
  CHECK (runs_equal (run, copy));

  present_run (run, copy);

  /* A copy parsed from the same object changes nothing. */
  check_run_update (run, copy);

  /* A bare run of the same id becomes the full one, and back again. */
  bare = bare_run (atlas_run_get_id (run));
  bare2 = bare_run (atlas_run_get_id (run));
  check_run_update (bare, run);
  present_run (bare, run);
  check_run_update (bare, bare2);
  present_run (bare, bare2);

  return g_steal_pointer (&run);
}

/* ---- review packs ------------------------------------------------------- */

static gboolean
packs_equal (AtlasReviewPack *a,
             AtlasReviewPack *b)
{
  return atlas_review_pack_get_id (a) == atlas_review_pack_get_id (b) &&
         atlas_review_pack_get_tenant_id (a) == atlas_review_pack_get_tenant_id (b) &&
         atlas_review_pack_get_status (a) == atlas_review_pack_get_status (b) &&
         g_strcmp0 (atlas_review_pack_get_status_text (a),
                    atlas_review_pack_get_status_text (b)) == 0 &&
         atlas_review_pack_get_operation_run_id (a) == atlas_review_pack_get_operation_run_id (b) &&
         atlas_review_pack_get_generated_at (a) == atlas_review_pack_get_generated_at (b) &&
         atlas_review_pack_get_expires_at (a) == atlas_review_pack_get_expires_at (b) &&
         atlas_review_pack_get_file_size (a) == atlas_review_pack_get_file_size (b) &&
         g_strcmp0 (atlas_review_pack_get_download_url (a),
                    atlas_review_pack_get_download_url (b)) == 0;
}

static void
check_pack_presentation (AtlasReviewPack                   *pack,
                         const AtlasReviewPackPresentation *p)
{
  CHECK (p != NULL);
  check_badge (&p->badge);
  check_nonempty (p->accessible_description);
  check_text (p->detail, TRUE);

  if (pack == NULL)
    {
      CHECK (!p->is_active);
      CHECK (p->poll_interval_ms == 0);
      CHECK (p->detail == NULL);
      return;
    }

  CHECK (p->is_active == atlas_review_pack_is_active (pack));
  CHECK (p->is_active == (atlas_review_pack_get_status (pack) == ATLAS_REVIEW_PACK_STATUS_QUEUED ||
                          atlas_review_pack_get_status (pack) == ATLAS_REVIEW_PACK_STATUS_GENERATING));
  CHECK (p->poll_interval_ms == (p->is_active ? 10000u : 0u));
  CHECK (strstr (p->accessible_description, p->badge.label) != NULL);
  if (p->detail != NULL)
    {
      CHECK (atlas_review_pack_get_status (pack) == ATLAS_REVIEW_PACK_STATUS_READY);
      CHECK (strstr (p->accessible_description, p->detail) != NULL);
    }
}

static void
present_pack (AtlasReviewPack *pack,
              AtlasReviewPack *twin)
{
  gint64 nows[MAX_NOWS];
  guint n = collect_nows (nows, atlas_review_pack_get_generated_at (pack),
                          atlas_review_pack_get_expires_at (pack));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasReviewPackPresentation) p = atlas_review_pack_present (pack, nows[i]);

      check_pack_presentation (pack, p);
      if (twin != NULL)
        {
          g_autoptr(AtlasReviewPackPresentation) q = atlas_review_pack_present (twin, nows[i]);

          CHECK (badges_equal (&p->badge, &q->badge));
          CHECK (p->is_active == q->is_active);
          CHECK (p->poll_interval_ms == q->poll_interval_ms);
          CHECK (g_strcmp0 (p->detail, q->detail) == 0);
          CHECK (g_strcmp0 (p->accessible_description, q->accessible_description) == 0);
        }
    }
}

static void
check_pack_update (AtlasReviewPack *target,
                   AtlasReviewPack *source)
{
  guint notified = 0;
  gulong handler;
  gboolean was_equal = packs_equal (target, source);
  gboolean changed;

  handler = g_signal_connect (target, "notify", G_CALLBACK (count_notify), &notified);
  changed = atlas_review_pack_update_from (target, source);
  CHECK (changed == !was_equal);
  CHECK (changed == (notified > 0));
  CHECK (packs_equal (target, source));

  notified = 0;
  CHECK (!atlas_review_pack_update_from (target, source));
  CHECK (notified == 0);
  g_signal_handler_disconnect (target, handler);
}

static void
fuzz_review_pack (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasReviewPack) pack = atlas_review_pack_new_from_json (object, &error);
  g_autoptr(AtlasReviewPack) copy = NULL;
  g_autoptr(AtlasReviewPack) bare = NULL;
  g_autoptr(JsonObject) bare_object = NULL;
  AtlasReviewPackStatus status;

  if (pack == NULL)
    {
      check_refusal (error);
      return;
    }
  CHECK (error == NULL);
  copy = atlas_review_pack_new_from_json (object, NULL);
  CHECK (copy != NULL);
  CHECK (packs_equal (pack, copy));

  status = atlas_review_pack_get_status (pack);
  CHECK (atlas_review_pack_get_id (pack) > 0);
  CHECK ((guint) status <= ATLAS_REVIEW_PACK_STATUS_EXPIRED);
  CHECK (status == atlas_review_pack_status_from_string (atlas_review_pack_get_status_text (pack)));
  CHECK (atlas_review_pack_get_file_size (pack) >= -1);
  check_time (atlas_review_pack_get_generated_at (pack));
  check_time (atlas_review_pack_get_expires_at (pack));
  check_text (atlas_review_pack_get_status_text (pack), TRUE);
  check_text (atlas_review_pack_get_download_url (pack), TRUE);

  present_pack (pack, copy);
  check_pack_update (pack, copy);

  bare_object = json_object_new ();
  json_object_set_int_member (bare_object, "id", atlas_review_pack_get_id (pack));
  bare = atlas_review_pack_new_from_json (bare_object, NULL);
  CHECK (bare != NULL);
  check_pack_update (bare, pack);
  present_pack (bare, pack);
}

/* ---- tenant summaries --------------------------------------------------- */

static gboolean
tenants_equal (AtlasTenantSummary *a,
               AtlasTenantSummary *b)
{
  return atlas_tenant_summary_get_id (a) == atlas_tenant_summary_get_id (b) &&
         g_strcmp0 (atlas_tenant_summary_get_name (a), atlas_tenant_summary_get_name (b)) == 0 &&
         atlas_tenant_summary_get_active_count (a) == atlas_tenant_summary_get_active_count (b) &&
         atlas_tenant_summary_get_stale_active_count (a) ==
           atlas_tenant_summary_get_stale_active_count (b) &&
         atlas_tenant_summary_get_failed_recent_count (a) ==
           atlas_tenant_summary_get_failed_recent_count (b) &&
         atlas_tenant_summary_get_needs_attention (a) ==
           atlas_tenant_summary_get_needs_attention (b) &&
         atlas_tenant_summary_get_last_activity_at (a) ==
           atlas_tenant_summary_get_last_activity_at (b);
}

static void
check_tenant_update (AtlasTenantSummary *target,
                     AtlasTenantSummary *source)
{
  guint notified = 0;
  gulong handler;
  gboolean was_equal = tenants_equal (target, source);
  gboolean changed;

  handler = g_signal_connect (target, "notify", G_CALLBACK (count_notify), &notified);
  changed = atlas_tenant_summary_update_from (target, source);
  CHECK (changed == !was_equal);
  CHECK (changed == (notified > 0));
  CHECK (tenants_equal (target, source));

  notified = 0;
  CHECK (!atlas_tenant_summary_update_from (target, source));
  CHECK (notified == 0);
  g_signal_handler_disconnect (target, handler);
}

static void
fuzz_tenant_summary (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasTenantSummary) tenant = atlas_tenant_summary_new_from_json (object, &error);
  g_autoptr(AtlasTenantSummary) copy = NULL;
  g_autoptr(AtlasTenantSummary) bare = NULL;
  g_autoptr(JsonObject) bare_object = NULL;

  if (tenant == NULL)
    {
      check_refusal (error);
      return;
    }
  CHECK (error == NULL);
  CHECK (atlas_tenant_summary_get_id (tenant) > 0);
  CHECK (atlas_tenant_summary_get_active_count (tenant) >= 0);
  CHECK (atlas_tenant_summary_get_stale_active_count (tenant) >= 0);
  CHECK (atlas_tenant_summary_get_failed_recent_count (tenant) >= 0);
  check_time (atlas_tenant_summary_get_last_activity_at (tenant));
  check_text (atlas_tenant_summary_get_name (tenant), TRUE);

  copy = atlas_tenant_summary_new_from_json (object, NULL);
  CHECK (copy != NULL);
  check_tenant_update (tenant, copy);

  bare_object = json_object_new ();
  json_object_set_int_member (bare_object, "id", atlas_tenant_summary_get_id (tenant));
  bare = atlas_tenant_summary_new_from_json (bare_object, NULL);
  CHECK (bare != NULL);
  check_tenant_update (bare, tenant);
}

/* ---- where the API puts objects ----------------------------------------- */

typedef struct
{
  guint      n_objects;
  GPtrArray *runs;      /* AtlasRun, owned */
  GPtrArray *objects;   /* the JsonObject each run came from, borrowed */
} Walk;

static void
fuzz_object (Walk     *walk,
             JsonNode *node)
{
  JsonObject *object;
  AtlasRun *run;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || walk->n_objects >= MAX_OBJECTS)
    return;
  walk->n_objects++;
  object = json_node_get_object (node);

  run = fuzz_run (object);
  if (run != NULL)
    {
      g_ptr_array_add (walk->runs, run);
      g_ptr_array_add (walk->objects, object);
    }
  fuzz_review_pack (object);
  fuzz_tenant_summary (object);
}

static void
fuzz_elements (Walk     *walk,
               JsonNode *node)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array) && walk->n_objects < MAX_OBJECTS; i++)
    fuzz_object (walk, json_array_get_element (array, i));
}

/* A run page, an overview ("tenants"), a dashboard ("recent_operations",
 * "needs_attention", "review_pack"), one run, or a bare object or list. */
static void
fuzz_document (Walk     *walk,
               JsonNode *root)
{
  static const char * const lists[] = {
    "tenants", "recent_operations", "needs_attention", "operations", "runs", "items",
  };
  static const char * const singles[] = { "review_pack", "latest_review_pack", "tenant", "run" };
  JsonNode *data;

  fuzz_object (walk, root);
  fuzz_elements (walk, root);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;

  data = json_object_get_member (json_node_get_object (root), "data");
  if (data == NULL)
    return;
  fuzz_object (walk, data);
  fuzz_elements (walk, data);
  if (!JSON_NODE_HOLDS_OBJECT (data))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    fuzz_elements (walk, json_object_get_member (json_node_get_object (data), lists[i]));
  for (guint i = 0; i < G_N_ELEMENTS (singles); i++)
    fuzz_object (walk, json_object_get_member (json_node_get_object (data), singles[i]));
}

/* Two objects of one document with the same run id: what a poll does when a run
 * moved between pages, or the server sent it twice. */
static void
fuzz_run_pairs (Walk *walk)
{
  guint pairs = 0;

  for (guint i = 0; i < walk->runs->len && pairs < MAX_PAIRS; i++)
    for (guint j = 0; j < walk->runs->len && pairs < MAX_PAIRS; j++)
      {
        AtlasRun *a = g_ptr_array_index (walk->runs, i);
        AtlasRun *b = g_ptr_array_index (walk->runs, j);
        g_autoptr(AtlasRun) target = NULL;

        if (i == j || atlas_run_get_id (a) != atlas_run_get_id (b))
          continue;
        pairs++;
        target = atlas_run_new_from_json (g_ptr_array_index (walk->objects, i), NULL);
        CHECK (target != NULL);
        check_run_update (target, b);
        present_run (target, b);
      }
}

/* atlas_run_new_from_data: the same answer as parsing, unwrapping "data" and
 * atlas_run_new_from_json by hand. */
static void
fuzz_run_from_data (const char *data,
                    gsize       size,
                    JsonNode   *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected_error = NULL;
  g_autoptr(AtlasRun) run = atlas_run_new_from_data (data, size, &error);
  g_autoptr(AtlasRun) expected = NULL;
  JsonObject *object = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *inner = json_object_get_member (json_node_get_object (root), "data");

      if (inner == NULL)
        object = json_node_get_object (root);
      else if (JSON_NODE_HOLDS_OBJECT (inner))
        object = json_node_get_object (inner);
    }
  if (object != NULL)
    expected = atlas_run_new_from_json (object, &expected_error);

  if (expected == NULL)
    {
      CHECK (run == NULL);
      check_refusal (error);
      if (expected_error != NULL)
        CHECK (g_error_matches (error, expected_error->domain, expected_error->code));
      return;
    }
  CHECK (run != NULL);
  CHECK (error == NULL);
  CHECK (runs_equal (run, expected));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialized;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  TreeStats stats = { 0 };
  g_autoptr(AtlasReviewPackPresentation) none = NULL;
  const char *text = (const char *) data;
  gboolean checked;
  Walk walk = { 0 };

  if (!initialized)
    {
      /* A g_critical or g_warning from the core is a finding too. */
      const char *known = g_getenv ("ATLAS_FUZZ_KNOWN");

      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      if (known != NULL)
        {
          g_auto(GStrv) names = g_strsplit (known, ",", -1);

          known_timestamp_format = g_strv_contains ((const char * const *) names, "timestamp-format");
          known_now_overflow = g_strv_contains ((const char * const *) names, "now-overflow");
          known_escaped_duplicate = g_strv_contains ((const char * const *) names,
                                                     "escaped-duplicate");
        }
      initialized = TRUE;
    }

  bytes = g_bytes_new_static (data, size);
  root = atlas_json_parse_bytes (bytes, &error);
  checked = atlas_json_check (size > 0 ? text : "", size, &check_error);

  if (root == NULL)
    {
      /* A refused input always says why, and gives no run either. */
      check_refusal (error);
      if (!checked)
        CHECK (g_error_matches (error, check_error->domain, check_error->code));
      fuzz_run_from_data (size > 0 ? text : "", size, NULL);
      return 0;
    }

  CHECK (error == NULL);
  CHECK (checked);
  CHECK (check_error == NULL);
  /* Accepted means: at most 8 MiB of valid UTF-8, at most 64 levels, finite numbers. */
  CHECK (size <= ATLAS_JSON_MAX_BYTES);
  CHECK (g_utf8_validate_len (text, size, NULL));
  stats.strings = g_ptr_array_new ();
  check_tree (root, 0, &stats);
  /* Duplicate keys are refused, however they are spelled. */
  if (!known_escaped_duplicate)
    CHECK (stats.members == count_written_keys (text, size));
  for (guint i = 0; i < stats.strings->len; i++)
    check_timestamp_text (g_ptr_array_index (stats.strings, i));
  g_ptr_array_unref (stats.strings);

  fuzz_run_from_data (text, size, root);

  walk.runs = g_ptr_array_new_with_free_func (g_object_unref);
  walk.objects = g_ptr_array_new ();
  fuzz_document (&walk, root);
  fuzz_run_pairs (&walk);
  g_ptr_array_unref (walk.runs);
  g_ptr_array_unref (walk.objects);

  none = atlas_review_pack_present (NULL, FIXTURE_NOW);
  check_pack_presentation (NULL, none);

  return 0;
}
