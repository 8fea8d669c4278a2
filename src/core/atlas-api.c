/* atlas-api.c — envelope parsing for every endpoint of the Operator API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-api"

#include "config.h"

#include <stddef.h>

#include "atlas-api.h"
#include "atlas-json.h"

/* A small header in front of every payload remembers how to clear it, so one
 * unref works for all payload types. */
typedef union
{
  GDestroyNotify clear;
  max_align_t    align;
} PayloadHeader;

static const char * const tab_names[ATLAS_N_TABS] = {
  "all", "active", "active_stale_attention", "terminal_follow_up", "completed",
};

static gpointer
payload_new (gsize          size,
             GDestroyNotify clear)
{
  PayloadHeader *header = g_rc_box_alloc0 (sizeof (PayloadHeader) + size);

  header->clear = clear;
  return header + 1;
}

static void
payload_clear (gpointer box)
{
  PayloadHeader *header = box;

  header->clear (header + 1);
}

gpointer
atlas_payload_ref (gpointer payload)
{
  g_return_val_if_fail (payload != NULL, NULL);

  g_rc_box_acquire ((PayloadHeader *) payload - 1);
  return payload;
}

void
atlas_payload_unref (gpointer payload)
{
  if (payload == NULL)
    return;
  g_rc_box_release_full ((PayloadHeader *) payload - 1, payload_clear);
}

const char *
atlas_tab_to_string (AtlasTab tab)
{
  g_return_val_if_fail ((guint) tab < ATLAS_N_TABS, NULL);
  return tab_names[tab];
}

gboolean
atlas_tab_from_string (const char *text,
                       AtlasTab   *out)
{
  for (guint i = 0; text != NULL && i < ATLAS_N_TABS; i++)
    if (g_str_equal (text, tab_names[i]))
      {
        *out = (AtlasTab) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
envelope_data (JsonNode    *root,
               JsonNode   **data,
               GError     **error)
{
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: expected a JSON object");
      return FALSE;
    }
  node = json_object_get_member (json_node_get_object (root), "data");
  if (node == NULL)
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_MISSING_FIELD,
                           "Invalid response: required field “data” is missing");
      return FALSE;
    }
  *data = node;
  return TRUE;
}

static gboolean
envelope_object (JsonNode    *root,
                 JsonObject **out,
                 GError     **error)
{
  JsonNode *data;

  if (!envelope_data (root, &data, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: “data” should be an object");
      return FALSE;
    }
  *out = json_node_get_object (data);
  return TRUE;
}

static gboolean
read_runs (JsonArray  *array,
           GPtrArray  *into,
           GError    **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      AtlasRun *run;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                               "Invalid response: a run should be an object");
          return FALSE;
        }
      run = atlas_run_new_from_json (json_node_get_object (node), error);
      if (run == NULL)
        return FALSE;
      g_ptr_array_add (into, run);
    }
  return TRUE;
}

static gboolean
read_run_member (JsonObject  *object,
                 const char  *member,
                 GPtrArray   *into,
                 GError     **error)
{
  JsonArray *array;

  if (!atlas_json_get_array (object, member, FALSE, &array, error))
    return FALSE;
  if (!read_runs (array, into, error))
    {
      g_prefix_error (error, "%s: ", member);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_count (JsonObject  *object,
            const char  *member,
            gint64      *out,
            GError     **error)
{
  if (!atlas_json_get_int64 (object, member, FALSE, 0, out, error))
    return FALSE;
  if (*out < 0)
    {
      g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE,
                   "Invalid response: “%s” must not be negative", member);
      return FALSE;
    }
  return TRUE;
}

/* --- /me ---------------------------------------------------------------- */

static void
workspace_free (AtlasWorkspace *ws)
{
  g_free (ws->name);
  g_strfreev (ws->capabilities);
  g_free (ws);
}

static void
me_clear (gpointer data)
{
  AtlasMe *me = data;

  g_free (me->user_name);
  g_clear_pointer (&me->workspaces, g_ptr_array_unref);
}

gpointer
atlas_api_parse_me (JsonNode  *root,
                    GError   **error)
{
  AtlasMe *me = payload_new (sizeof *me, me_clear);
  JsonObject *data, *user;
  JsonArray *workspaces;

  me->workspaces = g_ptr_array_new_with_free_func ((GDestroyNotify) workspace_free);
  if (!envelope_object (root, &data, error) ||
      !atlas_json_get_object (data, "user", TRUE, &user, error) ||
      !atlas_json_get_int64 (user, "id", TRUE, 0, &me->user_id, error) ||
      !atlas_json_get_string (user, "name", FALSE, &me->user_name, error) ||
      !atlas_json_get_array (data, "workspaces", TRUE, &workspaces, error) ||
      !read_count (data, "active_initiated_count", &me->active_initiated_count, error))
    goto fail;

  for (guint i = 0; i < json_array_get_length (workspaces); i++)
    {
      JsonNode *node = json_array_get_element (workspaces, i);
      AtlasWorkspace *ws;
      JsonArray *caps;
      GStrvBuilder *builder;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                               "Invalid response: a workspace should be an object");
          goto fail;
        }
      ws = g_new0 (AtlasWorkspace, 1);
      g_ptr_array_add (me->workspaces, ws);
      if (!atlas_json_get_int64 (json_node_get_object (node), "id", TRUE, 0, &ws->id, error) ||
          !atlas_json_get_string (json_node_get_object (node), "name", FALSE, &ws->name, error) ||
          !atlas_json_get_array (json_node_get_object (node), "capabilities", FALSE, &caps, error))
        goto fail;

      builder = g_strv_builder_new ();
      for (guint c = 0; caps != NULL && c < json_array_get_length (caps); c++)
        {
          JsonNode *cap = json_array_get_element (caps, c);

          /* Capabilities this version does not know are kept; odd types are not. */
          if (JSON_NODE_HOLDS_VALUE (cap) && json_node_get_value_type (cap) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (cap));
        }
      ws->capabilities = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }

  return me;

fail:
  atlas_payload_unref (me);
  return NULL;
}

const AtlasWorkspace *
atlas_me_find_workspace (AtlasMe *me,
                         gint64   workspace_id)
{
  g_return_val_if_fail (me != NULL, NULL);

  for (guint i = 0; i < me->workspaces->len; i++)
    {
      const AtlasWorkspace *ws = g_ptr_array_index (me->workspaces, i);
      if (ws->id == workspace_id)
        return ws;
    }
  return NULL;
}

gboolean
atlas_workspace_can (const AtlasWorkspace *workspace,
                     const char           *capability)
{
  return workspace != NULL && workspace->capabilities != NULL &&
         g_strv_contains ((const char * const *) workspace->capabilities, capability);
}

/* --- overview ----------------------------------------------------------- */

static void
overview_clear (gpointer data)
{
  AtlasWorkspaceOverview *o = data;

  g_clear_pointer (&o->tenants, g_ptr_array_unref);
  g_clear_pointer (&o->recent_operations, g_ptr_array_unref);
  g_clear_pointer (&o->active_operations, atlas_payload_unref);
}

/* `active_operations` (overview and dashboard) is an operations-list answer in
 * place: missing or null is absent — a server from before it — and anything else
 * must parse as that answer would. */
static gboolean
read_active_operations (JsonObject    *object,
                        AtlasRunPage **out,
                        GError       **error)
{
  JsonNode *node = json_object_get_member (object, "active_operations");

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  *out = atlas_api_parse_run_page (node, error);
  if (*out == NULL)
    {
      g_prefix_error (error, "active_operations: ");
      return FALSE;
    }
  return TRUE;
}

gpointer
atlas_api_parse_overview (JsonNode  *root,
                          GError   **error)
{
  AtlasWorkspaceOverview *o = payload_new (sizeof *o, overview_clear);
  JsonObject *data, *totals;
  JsonArray *tenants;

  o->tenants = g_ptr_array_new_with_free_func (g_object_unref);
  o->recent_operations = g_ptr_array_new_with_free_func (g_object_unref);

  if (!envelope_object (root, &data, error) ||
      !atlas_json_get_object (data, "totals", TRUE, &totals, error) ||
      !read_count (totals, "active", &o->active, error) ||
      !read_count (totals, "stale_active", &o->stale_active, error) ||
      !read_count (totals, "failed_recent", &o->failed_recent, error) ||
      !atlas_json_get_array (data, "tenants", TRUE, &tenants, error) ||
      !read_run_member (data, "recent_operations", o->recent_operations, error) ||
      !read_active_operations (data, &o->active_operations, error))
    goto fail;

  for (guint i = 0; i < json_array_get_length (tenants); i++)
    {
      JsonNode *node = json_array_get_element (tenants, i);
      AtlasTenantSummary *t;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                               "Invalid response: a tenant should be an object");
          goto fail;
        }
      t = atlas_tenant_summary_new_from_json (json_node_get_object (node), error);
      if (t == NULL)
        goto fail;
      g_ptr_array_add (o->tenants, t);
    }

  return o;

fail:
  atlas_payload_unref (o);
  return NULL;
}

/* --- operations list ------------------------------------------------------ */

static void
run_page_clear (gpointer data)
{
  AtlasRunPage *p = data;

  g_clear_pointer (&p->runs, g_ptr_array_unref);
}

gpointer
atlas_api_parse_run_page (JsonNode  *root,
                          GError   **error)
{
  AtlasRunPage *p = payload_new (sizeof *p, run_page_clear);
  JsonNode *data;
  JsonObject *meta, *counts;

  p->runs = g_ptr_array_new_with_free_func (g_object_unref);

  if (!envelope_data (root, &data, error))
    goto fail;
  if (!JSON_NODE_HOLDS_ARRAY (data))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: “data” should be an array");
      goto fail;
    }
  if (!read_runs (json_node_get_array (data), p->runs, error) ||
      !atlas_json_get_object (json_node_get_object (root), "meta", TRUE, &meta, error) ||
      !read_count (meta, "page", &p->page, error) ||
      !read_count (meta, "per_page", &p->per_page, error) ||
      !read_count (meta, "total", &p->total, error) ||
      !atlas_json_get_object (meta, "tab_counts", FALSE, &counts, error))
    goto fail;

  for (guint i = 0; counts != NULL && i < ATLAS_N_TABS; i++)
    if (!read_count (counts, tab_names[i], &p->tab_counts[i], error))
      goto fail;

  return p;

fail:
  atlas_payload_unref (p);
  return NULL;
}

/* --- run detail ------------------------------------------------------------ */

static void
run_reply_clear (gpointer data)
{
  AtlasRunReply *r = data;

  g_clear_object (&r->run);
}

gpointer
atlas_api_parse_run (JsonNode  *root,
                     GError   **error)
{
  AtlasRunReply *r = payload_new (sizeof *r, run_reply_clear);
  JsonObject *data;

  if (!envelope_object (root, &data, error) ||
      !(r->run = atlas_run_new_from_json (data, error)))
    {
      atlas_payload_unref (r);
      return NULL;
    }
  return r;
}

/* --- tenant dashboard ------------------------------------------------------- */

static void
dashboard_clear (gpointer data)
{
  AtlasDashboard *d = data;

  g_free (d->tenant_name);
  g_clear_pointer (&d->needs_attention, g_ptr_array_unref);
  g_clear_pointer (&d->recent_operations, g_ptr_array_unref);
  g_clear_object (&d->review_pack);
  g_clear_pointer (&d->active_operations, atlas_payload_unref);
}

static gboolean
read_pack_member (JsonObject       *object,
                  AtlasReviewPack **out,
                  GError          **error)
{
  JsonObject *pack;

  *out = NULL;
  if (!atlas_json_get_object (object, "review_pack", FALSE, &pack, error))
    return FALSE;
  if (pack == NULL)
    return TRUE;
  *out = atlas_review_pack_new_from_json (pack, error);
  return *out != NULL;
}

gpointer
atlas_api_parse_dashboard (JsonNode  *root,
                           GError   **error)
{
  AtlasDashboard *d = payload_new (sizeof *d, dashboard_clear);
  JsonObject *data, *tenant, *kpis;

  d->needs_attention = g_ptr_array_new_with_free_func (g_object_unref);
  d->recent_operations = g_ptr_array_new_with_free_func (g_object_unref);

  if (!envelope_object (root, &data, error) ||
      !atlas_json_get_object (data, "tenant", TRUE, &tenant, error) ||
      !atlas_json_get_int64 (tenant, "id", TRUE, 0, &d->tenant_id, error) ||
      !atlas_json_get_int64 (tenant, "workspace_id", FALSE, 0, &d->workspace_id, error) ||
      !atlas_json_get_string (tenant, "name", FALSE, &d->tenant_name, error) ||
      !atlas_json_get_object (data, "kpis", TRUE, &kpis, error) ||
      !read_count (kpis, "active", &d->kpi_active, error) ||
      !read_count (kpis, "stale_active", &d->kpi_stale_active, error) ||
      !read_count (kpis, "failed_7d", &d->kpi_failed_7d, error) ||
      !read_count (kpis, "succeeded_7d", &d->kpi_succeeded_7d, error) ||
      !read_run_member (data, "needs_attention", d->needs_attention, error) ||
      !read_run_member (data, "recent_operations", d->recent_operations, error) ||
      !read_pack_member (data, &d->review_pack, error) ||
      !read_active_operations (data, &d->active_operations, error))
    {
      atlas_payload_unref (d);
      return NULL;
    }
  /* Runs of other tenants are only believable within a known workspace. */
  if (d->workspace_id <= 0)
    g_clear_pointer (&d->active_operations, atlas_payload_unref);
  return d;
}

/* --- review packs ------------------------------------------------------------ */

static void
pack_reply_clear (gpointer data)
{
  AtlasReviewPackReply *r = data;

  g_clear_object (&r->review_pack);
}

gpointer
atlas_api_parse_review_pack (JsonNode  *root,
                             GError   **error)
{
  AtlasReviewPackReply *r = payload_new (sizeof *r, pack_reply_clear);
  JsonNode *data;

  if (!envelope_data (root, &data, error))
    goto fail;
  if (JSON_NODE_HOLDS_NULL (data))
    return r;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: “data” should be a review pack or null");
      goto fail;
    }
  r->review_pack = atlas_review_pack_new_from_json (json_node_get_object (data), error);
  if (r->review_pack == NULL)
    goto fail;
  return r;

fail:
  atlas_payload_unref (r);
  return NULL;
}

static void
generate_clear (gpointer data)
{
  AtlasGenerateReply *r = data;

  g_clear_object (&r->review_pack);
  g_clear_object (&r->run);
}

gpointer
atlas_api_parse_generate (JsonNode  *root,
                          GError   **error)
{
  AtlasGenerateReply *r = payload_new (sizeof *r, generate_clear);
  JsonObject *data, *run, *meta;

  if (!envelope_object (root, &data, error) ||
      !read_pack_member (data, &r->review_pack, error) ||
      !atlas_json_get_object (data, "run", FALSE, &run, error) ||
      !atlas_json_get_object (json_node_get_object (root), "meta", FALSE, &meta, error))
    goto fail;
  if (run != NULL && !(r->run = atlas_run_new_from_json (run, error)))
    goto fail;
  if (meta != NULL && !atlas_json_get_boolean (meta, "deduped", FALSE, &r->deduped, error))
    goto fail;
  return r;

fail:
  atlas_payload_unref (r);
  return NULL;
}

/* --- notifications ------------------------------------------------------------ */

static void
notification_free (AtlasNotification *n)
{
  g_free (n->outcome);
  g_free (n->title);
  g_free (n->body);
  g_free (n);
}

static void
notifications_clear (gpointer data)
{
  AtlasNotificationList *l = data;

  g_clear_pointer (&l->notifications, g_ptr_array_unref);
}

gpointer
atlas_api_parse_notifications (JsonNode  *root,
                               GError   **error)
{
  AtlasNotificationList *l = payload_new (sizeof *l, notifications_clear);
  JsonNode *data;
  JsonArray *array;

  l->notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  if (!envelope_data (root, &data, error))
    goto fail;
  if (!JSON_NODE_HOLDS_ARRAY (data))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: “data” should be an array");
      goto fail;
    }
  array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      AtlasNotification *n;
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                               "Invalid response: a notification should be an object");
          goto fail;
        }
      o = json_node_get_object (node);
      n = g_new0 (AtlasNotification, 1);
      g_ptr_array_add (l->notifications, n);
      if (!atlas_json_get_int64 (o, "id", TRUE, 0, &n->id, error) ||
          !atlas_json_get_int64 (o, "run_id", TRUE, 0, &n->run_id, error) ||
          !atlas_json_get_int64 (o, "workspace_id", FALSE, 0, &n->workspace_id, error) ||
          !atlas_json_get_int64 (o, "tenant_id", FALSE, 0, &n->tenant_id, error) ||
          !atlas_json_get_string (o, "outcome", FALSE, &n->outcome, error) ||
          !atlas_json_get_string (o, "title", FALSE, &n->title, error) ||
          !atlas_json_get_string (o, "body", FALSE, &n->body, error) ||
          !atlas_json_get_timestamp (o, "created_at", &n->created_at, error))
        goto fail;
    }
  return l;

fail:
  atlas_payload_unref (l);
  return NULL;
}

/* --- health ----------------------------------------------------------------------- */

static void
health_clear (gpointer data)
{
  AtlasHealth *h = data;

  g_free (h->status);
  g_free (h->version);
}

gpointer
atlas_api_parse_health (JsonNode  *root,
                        GError   **error)
{
  AtlasHealth *h = payload_new (sizeof *h, health_clear);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
                           "Invalid response: expected a JSON object");
      goto fail;
    }
  if (!atlas_json_get_string (json_node_get_object (root), "status", TRUE, &h->status, error) ||
      !atlas_json_get_string (json_node_get_object (root), "version", FALSE, &h->version, error))
    goto fail;
  return h;

fail:
  atlas_payload_unref (h);
  return NULL;
}
