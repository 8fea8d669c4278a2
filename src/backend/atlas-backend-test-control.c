/* atlas-backend-test-control.c — /api/v1/_test: the test clock, run fixtures, faults
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include "atlas-backend-private.h"

/* Test control is harness traffic: it needs no token (the server refuses it unless
 * started with test_control), is never counted and never faulted. The C API below
 * does the same things for in-process tests. */

/* Fixture readers answer 422 (well-formed JSON, wrong content), naming the member, so a
 * broken fixture says what is wrong with it. */
static gboolean
get_optional_string (JsonObject  *obj,
                     const char  *name,
                     const char **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 422, "%s must be a string or null", name);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *obj,
         const char  *name,
         gboolean     required,
         gint64       min,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, ATLAS_BACKEND_ERROR, 422, "%s is required", name);
      return !required;
    }
  /* 1.0 is a double to json-glib: ids and counts must be written as integers. */
  if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < min)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 422, "%s must be an integer ≥ %" G_GINT64_FORMAT,
                   name, min);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_time (JsonObject  *obj,
          const char  *name,
          gboolean     required,
          gint64      *out,
          GError     **error)
{
  const char *text;

  *out = 0;
  if (!get_optional_string (obj, name, &text, error))
    return FALSE;
  if (text == NULL)
    {
      if (required)
        g_set_error (error, ATLAS_BACKEND_ERROR, 422, "%s is required", name);
      return !required;
    }
  if (!atlas_backend_parse_time (text, out) || *out <= 0)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 422, "%s is not an RFC 3339 timestamp", name);
      return FALSE;
    }
  return TRUE;
}

/* Turns an OperationRun object into a row; strings point into obj or into `keep`. */
static gboolean
spec_from_json (AtlasBackendServer   *self,
                JsonObject           *obj,
                AtlasBackendRunSpec  *spec,
                GPtrArray            *keep,
                GError              **error)
{
  JsonNode *node;
  const char *tenant_name = NULL;
  gint64 tenant_ws = 0;
  gboolean tenant_exists = FALSE;

  memset (spec, 0, sizeof *spec);
  /* Fixtures stand still unless they ask for _sim: tests assert exact states. */
  spec->sim_mode = "frozen";
  spec->sim_stall_at = -1;
  spec->sim_rate = 1;

  if (!get_int (obj, "id", FALSE, 1, &spec->id, error) ||
      !get_int (obj, "workspace_id", TRUE, 1, &spec->workspace_id, error) ||
      !get_int (obj, "tenant_id", TRUE, 1, &spec->tenant_id, error) ||
      !get_int (obj, "lifecycle_window_seconds", TRUE, 1, &spec->lifecycle_window, error) ||
      !get_optional_string (obj, "tenant_name", &tenant_name, error) ||
      !get_optional_string (obj, "type", &spec->type, error) ||
      !get_optional_string (obj, "type_label", &spec->type_label, error) ||
      !get_optional_string (obj, "status", &spec->status, error) ||
      !get_optional_string (obj, "outcome", &spec->outcome, error) ||
      !get_optional_string (obj, "freshness", &spec->freshness, error) ||
      !get_optional_string (obj, "problem_class", &spec->problem_class, error) ||
      !get_time (obj, "created_at", TRUE, &spec->created_at, error) ||
      !get_time (obj, "started_at", FALSE, &spec->started_at, error) ||
      !get_time (obj, "completed_at", FALSE, &spec->completed_at, error) ||
      !get_time (obj, "last_progress_at", FALSE, &spec->last_progress_at, error))
    return FALSE;
  if (spec->type == NULL || spec->status == NULL)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 422, "type and status are required");
      return FALSE;
    }

  /* Workspaces are seeded (they carry memberships); tenants may be created here. */
  {
    g_autoptr(sqlite3_stmt) ws = atlas_backend_store_stmt (self->store,
        "SELECT 1 FROM workspaces WHERE id = ?1");
    sqlite3_bind_int64 (ws, 1, spec->workspace_id);
    if (sqlite3_step (ws) != SQLITE_ROW)
      {
        g_set_error (error, ATLAS_BACKEND_ERROR, 422, "Unknown workspace_id");
        return FALSE;
      }
  }
  {
    g_autoptr(sqlite3_stmt) t = atlas_backend_store_stmt (self->store,
        "SELECT workspace_id, name FROM tenants WHERE id = ?1");
    sqlite3_bind_int64 (t, 1, spec->tenant_id);
    if (sqlite3_step (t) == SQLITE_ROW)
      {
        tenant_exists = TRUE;
        tenant_ws = sqlite3_column_int64 (t, 0);
        /* A fixture that disagrees with an existing tenant is a mistake, not a rename. */
        if (tenant_ws != spec->workspace_id ||
            (tenant_name && g_strcmp0 (tenant_name, (const char *) sqlite3_column_text (t, 1)) != 0))
          {
            g_set_error (error, ATLAS_BACKEND_ERROR, 422,
                         "tenant_id %" G_GINT64_FORMAT " exists with another name or workspace",
                         spec->tenant_id);
            return FALSE;
          }
      }
  }
  /* A new tenant id makes a tenant, so fixtures need no separate tenant endpoint. */
  if (!tenant_exists)
    {
      g_autoptr(sqlite3_stmt) ins = atlas_backend_store_stmt (self->store,
          "INSERT INTO tenants (id, workspace_id, name) VALUES (?1, ?2, ?3)");
      if (tenant_name == NULL)
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "tenant_name is required for a new tenant");
          return FALSE;
        }
      sqlite3_bind_int64 (ins, 1, spec->tenant_id);
      sqlite3_bind_int64 (ins, 2, spec->workspace_id);
      sqlite3_bind_text (ins, 3, tenant_name, -1, SQLITE_STATIC);
      sqlite3_step (ins);
    }

  if ((node = json_object_get_member (obj, "summary_counts")) && !JSON_NODE_HOLDS_NULL (node))
    {
      char *text;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "summary_counts must be an object");
          return FALSE;
        }
      /* Stored re-serialized, so the row holds canonical JSON and renders verbatim. */
      text = json_to_string (node, FALSE);
      g_ptr_array_add (keep, text);
      spec->summary_counts = text;
    }
  if ((node = json_object_get_member (obj, "failure_summary")) && !JSON_NODE_HOLDS_NULL (node))
    {
      char *text;
      /* The contract caps failure_summary at 20; a fixture may not exceed it either. */
      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) > 20)
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422,
                       "failure_summary must be an array of at most 20 entries");
          return FALSE;
        }
      text = json_to_string (node, FALSE);
      g_ptr_array_add (keep, text);
      spec->failure_summary = text;
    }
  if ((node = json_object_get_member (obj, "initiator")) && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *initiator;
      const char *name = NULL;
      gboolean known = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "initiator must be an object or null");
          return FALSE;
        }
      initiator = json_node_get_object (node);
      if (!get_int (initiator, "id", TRUE, 1, &spec->initiator_id, error) ||
          !get_optional_string (initiator, "name", &name, error))
        return FALSE;
      /* initiated_by_me compares ids, so an unknown initiator would be silently wrong. */
      for (guint i = 0; i < self->users->len; i++)
        {
          const User *user = g_ptr_array_index (self->users, i);
          if (user->id == spec->initiator_id && (name == NULL || g_strcmp0 (name, user->name) == 0))
            known = TRUE;
        }
      if (!known)
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "initiator does not match a known user");
          return FALSE;
        }
    }
  if ((node = json_object_get_member (obj, "reconciliation")) && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *rec;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "reconciliation must be an object or null");
          return FALSE;
        }
      rec = json_node_get_object (node);
      if (!get_time (rec, "reconciled_at", TRUE, &spec->reconciled_at, error) ||
          !get_optional_string (rec, "reason_code", &spec->reconcile_reason, error) ||
          !get_optional_string (rec, "previous_status", &spec->previous_status, error))
        return FALSE;
    }
  if ((node = json_object_get_member (obj, "_sim")) && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *sim;
      JsonNode *rate;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "_sim must be an object");
          return FALSE;
        }
      sim = json_node_get_object (node);
      if (!get_optional_string (sim, "mode", &spec->sim_mode, error) ||
          !get_optional_string (sim, "outcome", &spec->sim_outcome, error) ||
          !get_int (sim, "delay", FALSE, 0, &spec->sim_delay, error) ||
          !get_int (sim, "total", FALSE, 0, &spec->sim_total, error) ||
          !get_int (sim, "stall_at", FALSE, -1, &spec->sim_stall_at, error))
        return FALSE;
      /* Asking for _sim at all means the run should move. */
      if (spec->sim_mode == NULL)
        spec->sim_mode = "run";
      if (g_strcmp0 (spec->sim_mode, "run") != 0 && g_strcmp0 (spec->sim_mode, "stall") != 0 &&
          g_strcmp0 (spec->sim_mode, "frozen") != 0)
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "_sim.mode must be run, stall or frozen");
          return FALSE;
        }
      /* rate may be written 2 or 2.5; json-glib types those differently. */
      rate = json_object_get_member (sim, "rate");
      if (rate != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (rate) ||
              (json_node_get_value_type (rate) != G_TYPE_DOUBLE &&
               json_node_get_value_type (rate) != G_TYPE_INT64) ||
              json_node_get_double (rate) <= 0)
            {
              g_set_error (error, ATLAS_BACKEND_ERROR, 422, "_sim.rate must be a positive number");
              return FALSE;
            }
          spec->sim_rate = json_node_get_double (rate);
        }
    }
  return TRUE;
}

static gint64
insert_run_object (AtlasBackendServer  *self,
                   JsonObject          *obj,
                   GError             **error)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  AtlasBackendRunSpec spec;
  gint64 id;

  /* An explicit id that exists is a conflict, never an overwrite (PATCH is for that). */
  if (json_object_has_member (obj, "id") && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "id")))
    {
      g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
          "SELECT 1 FROM runs WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, json_object_get_int_member_with_default (obj, "id", 0));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 409, "A run with this id exists");
          return 0;
        }
    }
  /* A savepoint, not BEGIN: patch_run_object calls this inside its own transaction. */
  atlas_backend_store_exec (self->store, "SAVEPOINT insert_run", NULL);
  if (!spec_from_json (self, obj, &spec, keep, error) ||
      (id = atlas_backend_store_insert_run (self->store, &spec, error)) == 0)
    {
      atlas_backend_store_exec (self->store, "ROLLBACK TO insert_run; RELEASE insert_run", NULL);
      /* A constraint failure is the fixture's fault: report 422, not 500. */
      if (error && *error && (*error)->domain != ATLAS_BACKEND_ERROR)
        {
          g_autofree char *message = g_strdup ((*error)->message);
          g_clear_error (error);
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "%s", message);
        }
      return 0;
    }
  atlas_backend_store_exec (self->store, "RELEASE insert_run", NULL);
  return id;
}

gint64
atlas_backend_server_insert_run_json (AtlasBackendServer  *self,
                                      const char          *json,
                                      GError             **error)
{
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  g_return_val_if_fail (json != NULL, 0);

  /* Same path as POST /_test/runs, so C fixtures and HTTP fixtures cannot drift. */
  node = json_from_string (json, error);
  if (node == NULL)
    return 0;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "A run must be a JSON object");
      return 0;
    }
  atlas_backend_pipeline_quiesce (self);
  id = insert_run_object (self, json_node_get_object (node), error);
  atlas_backend_server_changed (self);
  return id;
}

/* Patch = render the run, overlay the given members, replace the row (same id). */
static gboolean
patch_run_object (AtlasBackendServer  *self,
                  gint64               run_id,
                  JsonObject          *patch,
                  GError             **error)
{
  g_autoptr(GString) current = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *old_status = NULL;
  JsonObject *obj;
  gint64 id;

  if (!atlas_backend_append_run_by_id (self->store, current, run_id, 0, 0))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 404, "Operation not found");
      return FALSE;
    }
  node = json_from_string (current->str, NULL);
  obj = json_node_get_object (node);
  old_status = g_strdup (json_object_get_string_member (obj, "status"));

  /* _sim is not part of the rendered run; carry it over or the patch would freeze it. */
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT sim_mode, sim_delay, sim_rate, sim_total, sim_stall_at, sim_outcome"
        " FROM runs WHERE id = ?1");
    JsonObject *sim = json_object_new ();

    sqlite3_bind_int64 (stmt, 1, run_id);
    sqlite3_step (stmt);
    json_object_set_string_member (sim, "mode", (const char *) sqlite3_column_text (stmt, 0));
    json_object_set_int_member (sim, "delay", sqlite3_column_int64 (stmt, 1));
    json_object_set_double_member (sim, "rate", sqlite3_column_double (stmt, 2));
    json_object_set_int_member (sim, "total", sqlite3_column_int64 (stmt, 3));
    json_object_set_int_member (sim, "stall_at", sqlite3_column_int64 (stmt, 4));
    if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
      json_object_set_string_member (sim, "outcome", (const char *) sqlite3_column_text (stmt, 5));
    json_object_set_object_member (obj, "_sim", sim);
  }

  members = json_object_get_members (patch);
  for (GList *l = members; l; l = l->next)
    {
      /* The id is the path's; a body cannot move a run. */
      if (g_strcmp0 (l->data, "id") == 0)
        continue;
      json_object_set_member (obj, l->data, json_node_copy (json_object_get_member (patch, l->data)));
    }
  json_object_set_int_member (obj, "id", run_id);

  /* Delete + insert keeps one validation path; the triggers keep the aggregate right. */
  atlas_backend_store_exec (self->store, "SAVEPOINT patch_run", NULL);
  {
    g_autoptr(sqlite3_stmt) del = atlas_backend_store_stmt (self->store,
        "DELETE FROM runs WHERE id = ?1");
    sqlite3_bind_int64 (del, 1, run_id);
    sqlite3_step (del);
  }
  id = insert_run_object (self, obj, error);
  if (id == 0)
    {
      atlas_backend_store_exec (self->store, "ROLLBACK TO patch_run; RELEASE patch_run", NULL);
      return FALSE;
    }
  atlas_backend_store_exec (self->store, "RELEASE patch_run", NULL);

  /* A patch that ends a run is a terminal transition like any other. */
  if (g_strcmp0 (old_status, "completed") != 0)
    /* notify_terminal ignores runs that are still open, so this is safe for any patch. */
    atlas_backend_store_notify_terminal (self->store, run_id, NULL);
  /* A patched generation run moves its review pack like a simulated one would. */
  atlas_backend_store_sync_packs (self->store, atlas_backend_server_now (self),
                                  atlas_backend_simulator_get_rand (self->simulator));
  return TRUE;
}

gboolean
atlas_backend_server_patch_run_json (AtlasBackendServer  *self,
                                     gint64               run_id,
                                     const char          *json,
                                     GError             **error)
{
  g_autoptr(JsonNode) node = NULL;
  gboolean ok;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);

  node = json_from_string (json, error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "A patch must be a JSON object");
      return FALSE;
    }
  atlas_backend_pipeline_quiesce (self);
  ok = patch_run_object (self, run_id, json_node_get_object (node), error);
  atlas_backend_server_changed (self);
  return ok;
}

static gboolean
fault_from_json (JsonObject         *obj,
                 AtlasBackendFault  *fault,
                 GError            **error)
{
  static const char *kinds[] = { "latency", "status", "malformed", "cut_json", "truncated" };
  const char *kind = NULL;
  gint64 count = 1, latency = 0, status = 503;

  memset (fault, 0, sizeof *fault);
  if (!get_optional_string (obj, "kind", &kind, error) ||
      !get_int (obj, "count", FALSE, 1, &count, error) ||
      !get_int (obj, "latency_ms", FALSE, 0, &latency, error) ||
      !get_int (obj, "status", FALSE, 0, &status, error) ||
      !get_optional_string (obj, "retry_after", &fault->retry_after, error) ||
      !get_optional_string (obj, "path_prefix", &fault->path_prefix, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i]) == 0)
      {
        fault->kind = (AtlasBackendFaultKind) i;
        /* Clamped: a typo must not make the server slow or faulty for hours. */
        fault->count = (guint) MIN (count, 100000);
        fault->latency_ms = (guint) MIN (latency, 60000);
        fault->status = (guint) status;
        if (fault->kind == ATLAS_BACKEND_FAULT_STATUS && status != 429 && status != 503)
          break;
        return TRUE;
      }
  g_set_error (error, ATLAS_BACKEND_ERROR, 422,
               "kind must be latency, status (429 or 503), malformed, cut_json or truncated");
  return FALSE;
}

static void
append_clock (AtlasBackendServer *self,
              GString            *out)
{
  gint64 now = atlas_backend_server_now (self);

  g_string_append (out, "{\"data\":{\"now\":");
  atlas_backend_append_time (out, now);
  /* Both forms: shell scripts want unix seconds, fixtures RFC 3339. */
  g_string_append_printf (out, ",\"unix\":%" G_GINT64_FORMAT ",\"fixed\":%s}}",
                          now, self->clock_fixed ? "true" : "false");
}


static void
test_clock_get (AtlasBackendServer *self,
                JsonObject         *obj,
                gint64              id,
                Response           *res,
                GError            **error)
{
  append_clock (self, res->body);
}

static void
test_clock_set (AtlasBackendServer *self,
                JsonObject         *obj,
                gint64              id,
                Response           *res,
                GError            **error)
{
  gint64 unix_seconds = 0;

  /* Either an RFC 3339 "now" or plain "unix" seconds. */
  if (json_object_get_member (obj, "now") != NULL)
    {
      if (!get_time (obj, "now", TRUE, &unix_seconds, error))
        return;
    }
  else if (!get_int (obj, "unix", TRUE, 1, &unix_seconds, error))
    return;
  atlas_backend_server_set_clock (self, unix_seconds);
  append_clock (self, res->body);
}

static void
test_advance (AtlasBackendServer *self,
              JsonObject         *obj,
              gint64              id,
              Response           *res,
              GError            **error)
{
  gint64 seconds = 0;

  if (!get_int (obj, "seconds", TRUE, 0, &seconds, error))
    return;
  /* The simulator steps through the interval; decades would take minutes. */
  if (seconds > 10 * 365 * 24 * 3600)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 422, "seconds is too large");
      return;
    }
  atlas_backend_server_advance (self, seconds);
  append_clock (self, res->body);
}

static void
test_run_insert (AtlasBackendServer *self,
                 JsonObject         *obj,
                 gint64              id,
                 Response           *res,
                 GError            **error)
{
  gint64 run_id = insert_run_object (self, obj, error);

  if (run_id == 0)
    return;
  res->status = 201;
  g_string_append (res->body, "{\"data\":");
  atlas_backend_append_run_by_id (self->store, res->body, run_id, 0, 0);
  g_string_append_c (res->body, '}');
}

static void
test_run_patch (AtlasBackendServer *self,
                JsonObject         *obj,
                gint64              id,
                Response           *res,
                GError            **error)
{
  if (!patch_run_object (self, id, obj, error))
    return;
  g_string_append (res->body, "{\"data\":");
  atlas_backend_append_run_by_id (self->store, res->body, id, 0, 0);
  g_string_append_c (res->body, '}');
}

static void
test_fault_add (AtlasBackendServer *self,
                JsonObject         *obj,
                gint64              id,
                Response           *res,
                GError            **error)
{
  AtlasBackendFault fault;

  if (!fault_from_json (obj, &fault, error))
    return;
  atlas_backend_server_inject_fault (self, &fault);
  g_string_append_printf (res->body, "{\"data\":{\"pending\":%u}}", self->faults.length);
}

static void
test_fault_clear (AtlasBackendServer *self,
                  JsonObject         *obj,
                  gint64              id,
                  Response           *res,
                  GError            **error)
{
  atlas_backend_server_clear_faults (self);
  g_string_append (res->body, "{\"data\":{\"pending\":0}}");
}

static void
test_poll_interval (AtlasBackendServer *self,
                    JsonObject         *obj,
                    gint64              id,
                    Response           *res,
                    GError            **error)
{
  gint64 seconds = 0;

  if (!get_int (obj, "seconds", TRUE, 0, &seconds, error))
    return;
  atlas_backend_server_set_poll_interval (self, (guint) MIN (seconds, 86400));
  g_string_append_printf (res->body, "{\"data\":{\"seconds\":%u}}", self->poll_interval);
}

/* Test handlers report failures through error; the dispatcher turns that into a body. */
typedef void (*TestHandler) (AtlasBackendServer *self,
                             JsonObject         *obj,
                             gint64              id,
                             Response           *res,
                             GError            **error);

/* Segment after _test/, whether an {id} segment follows, method, handler. */
static const struct
{
  const char  *name;
  gboolean     with_id;
  const char  *method;
  TestHandler  handler;
} test_routes[] = {
  { "clock",         FALSE, "GET",    test_clock_get },
  { "clock",         FALSE, "POST",   test_clock_set },
  { "advance",       FALSE, "POST",   test_advance },
  { "runs",          FALSE, "POST",   test_run_insert },
  { "runs",          TRUE,  "PATCH",  test_run_patch },
  { "faults",        FALSE, "POST",   test_fault_add },
  { "faults",        FALSE, "DELETE", test_fault_clear },
  { "poll-interval", FALSE, "POST",   test_poll_interval },
};

void
atlas_backend_handle_test_control (AtlasBackendRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GString) allow = g_string_new (NULL);
  guint n = g_strv_length (req->segs);
  gboolean with_id = n == 3;
  JsonObject *obj = NULL;
  gint64 id = 0;

  /* Bodies are checked first, as before the table: a bad body is 400 on any path. */
  if (strcmp (req->method, "POST") == 0 || strcmp (req->method, "PATCH") == 0)
    {
      if (!(body = atlas_backend_parse_body (req->msg, FALSE, &error)))
        {
          atlas_backend_respond_gerror (req->res, error);
          return;
        }
      obj = json_node_get_object (body);
    }

  /* Collect the methods of a matching name, so a miss can answer 405 with Allow. */
  for (guint i = 0; n >= 2 && n <= 3 && i < G_N_ELEMENTS (test_routes); i++)
    {
      if (strcmp (req->segs[1], test_routes[i].name) != 0 || test_routes[i].with_id != with_id)
        continue;
      if (strcmp (req->method, test_routes[i].method) != 0)
        {
          g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", test_routes[i].method);
          continue;
        }
      if (with_id && !atlas_backend_parse_id (req->segs[2], &id))
        {
          atlas_backend_respond_error (req->res, 400, "Invalid run id");
          return;
        }
      test_routes[i].handler (req->self, obj, id, req->res, &error);
      if (error != NULL)
        atlas_backend_respond_gerror (req->res, error);
      return;
    }
  /* Known endpoint, wrong method: say which methods exist. */
  if (allow->len > 0)
    {
      g_autofree char *message = g_strdup_printf ("Use %s", allow->str);

      req->res->allow = g_intern_string (allow->str);
      atlas_backend_respond_error (req->res, 405, message);
      return;
    }
  atlas_backend_respond_error (req->res, 404, "Unknown test-control endpoint");
}

/* ---- test clock (C API, shared with /_test/clock) --------------------------------- */

void
atlas_backend_server_set_clock (AtlasBackendServer *self,
                                gint64              unix_seconds)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  self->clock_fixed = TRUE;
  self->clock = unix_seconds;
  atlas_backend_server_changed (self);
}

gint64
atlas_backend_server_get_clock (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  return atlas_backend_server_now (self);
}

void
atlas_backend_server_advance (AtlasBackendServer *self,
                              gint64              seconds)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_return_if_fail (seconds >= 0);

  /* Advancing a live clock freezes it first: from here on only tests move time. */
  if (!self->clock_fixed)
    {
      self->clock_fixed = TRUE;
      self->clock = atlas_backend_server_now (self);
    }
  self->clock += seconds;
  atlas_backend_pipeline_quiesce (self);
  /* Runs progress as if the time had passed, so staleness rules apply. */
  atlas_backend_simulator_step (self->simulator, self->clock);
  atlas_backend_server_changed (self);
}

void
atlas_backend_server_set_poll_interval (AtlasBackendServer *self,
                                        guint               seconds)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  /* 0 drops X-Poll-Interval, letting clients use their own default. */
  self->poll_interval = seconds;
}
