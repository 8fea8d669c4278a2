/* atlas-backend-server.c — Operator API v1 over libsoup: routing, auth, ETags, faults
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "atlas-backend-server.h"
#include "atlas-backend-simulator.h"
#include "atlas-backend-store.h"

#define API_PREFIX           "/api/v1"
#define TEST_PREFIX          "/api/v1/_test"
#define MAX_BODY_BYTES       (256 * 1024)
#define MAX_JSON_DEPTH       32
#define MAX_DELAYED          64
#define RECENT_SECONDS       (24 * 3600)
#define WEEK_SECONDS         (7 * 24 * 3600)
#define TEST_EPOCH           G_GINT64_CONSTANT (1795343590) /* 2026-11-22T10:33:10Z */

typedef enum
{
  CAP_VIEW     = 1 << 0,
  CAP_GENERATE = 1 << 1,
} Capabilities;

typedef struct
{
  gint64  workspace_id;
  char   *workspace_name;
  char   *capabilities;   /* space separated, as stored */
  guint   caps;
} Membership;

typedef struct
{
  gint64  id;
  char   *name;
  char   *role;
  char   *token;
  GArray *memberships;
} User;

typedef struct
{
  guint    status;
  GString *body;
  const char *retry_after;
  const char *allow;
} Response;

typedef struct
{
  AtlasBackendFault  fault;
  char              *retry_after;
  char              *path_prefix;
} PendingFault;

typedef struct
{
  AtlasBackendServer *self;
  SoupServerMessage  *msg;
  guint               source_id;
} Delayed;

typedef struct
{
  gint64  changes;
  gint64  now;
  char   *body;
} CachedBody;

static void
cached_body_free (gpointer data)
{
  CachedBody *cached = data;

  g_free (cached->body);
  g_free (cached);
}

struct _AtlasBackendServer
{
  GObject                parent_instance;

  char                  *scenario;
  gboolean               test_control;
  AtlasBackendStore     *store;
  AtlasBackendSimulator *simulator;

  SoupServer            *soup;
  guint                  port;
  guint                  tick_id;
  guint                  ticks;

  GPtrArray             *users;
  GHashTable            *users_by_token;
  GHashTable            *request_counts;   /* path → guint64* */

  gboolean               clock_fixed;
  gint64                 clock;
  guint                  poll_interval;
  GQueue                 faults;
  GPtrArray             *delayed;
  GHashTable            *overview_cache;   /* "ws:user" → CachedBody */
  GHashTable            *counts_cache;     /* "ws:tenant:pc:type" → CachedBody (5 counts) */
};

enum {
  PROP_0,
  PROP_SCENARIO,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasBackendServer, atlas_backend_server, G_TYPE_OBJECT)

#define ATLAS_BACKEND_ERROR (atlas_backend_error_quark ())
static G_DEFINE_QUARK (atlas-backend-error-quark, atlas_backend_error)

/* Error codes are HTTP statuses, so a GError maps onto a response directly. */

static void
user_free (gpointer data)
{
  User *user = data;

  g_free (user->name);
  g_free (user->role);
  g_free (user->token);
  g_array_unref (user->memberships);
  g_free (user);
}

static void
membership_clear (gpointer data)
{
  Membership *m = data;

  g_free (m->workspace_name);
  g_free (m->capabilities);
}

static void
pending_fault_free (gpointer data)
{
  PendingFault *pf = data;

  g_free (pf->retry_after);
  g_free (pf->path_prefix);
  g_free (pf);
}

static const char *
error_code_for (guint status)
{
  switch (status)
    {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 422: return "validation_failed";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    default:  return "internal_error";
    }
}

static void
respond_error (Response   *res,
               guint       status,
               const char *message)
{
  res->status = status;
  g_string_truncate (res->body, 0);
  g_string_append_printf (res->body, "{\"error\":{\"code\":\"%s\",\"message\":",
                          error_code_for (status));
  atlas_backend_append_json_string (res->body, message);
  g_string_append (res->body, "}}");
}

static void
respond_gerror (Response     *res,
                const GError *error)
{
  guint status = 500;

  if (error->domain == ATLAS_BACKEND_ERROR)
    status = (guint) error->code;
  respond_error (res, status, error->message);
}

static gboolean
parse_id (const char *text,
          gint64     *out_id)
{
  guint64 value;

  if (text == NULL || *text == '\0' || strlen (text) > 19)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_id = (gint64) value;
  return TRUE;
}

/* Absent → default; present but not an integer in [min, max] → FALSE (400). */
static gboolean
query_int (GHashTable *query,
           const char *name,
           gint64      default_value,
           gint64      min,
           gint64      max,
           gint64     *out_value)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 value;

  if (text == NULL)
    {
      *out_value = default_value;
      return TRUE;
    }
  if (*text == '\0' || strlen (text) > 19 ||
      !g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    return FALSE;
  *out_value = value;
  return TRUE;
}

/* json-glib 1.6 has no depth limit; refuse deep nesting before parsing. */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}

/* A non-empty body must be a JSON object; allow_empty permits no body at all. */
static JsonNode *
parse_body (SoupServerMessage  *msg,
            gboolean            allow_empty,
            GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean blank = TRUE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      blank = FALSE;
  if (blank)
    {
      if (allow_empty)
        return json_node_new (JSON_NODE_NULL);
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "A JSON object body is required");
      return NULL;
    }
  if (len > MAX_BODY_BYTES)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "Body too large");
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL) || memchr (data, '\0', len) != NULL ||
      !json_depth_ok (data, len))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "Body is not valid JSON");
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "Body must be a JSON object");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static gint64
now_of (AtlasBackendServer *self)
{
  if (self->clock_fixed)
    return self->clock;
  return g_get_real_time () / G_USEC_PER_SEC;
}

static User *
authenticate (AtlasBackendServer *self,
              SoupServerMessage  *msg)
{
  const char *header = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *token = NULL;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  token = g_strstrip (g_strdup (header + 7));
  return g_hash_table_lookup (self->users_by_token, token);
}

static const Membership *
membership_of (const User *user,
               gint64      workspace_id)
{
  for (guint i = 0; i < user->memberships->len; i++)
    {
      const Membership *m = &g_array_index (user->memberships, Membership, i);
      if (m->workspace_id == workspace_id)
        return m;
    }
  return NULL;
}

/* Deny as not found: a missing workspace and one the caller is not in look the same. */
static const Membership *
require_workspace (const User *user,
                   gint64      workspace_id,
                   Response   *res)
{
  const Membership *m = membership_of (user, workspace_id);

  if (m == NULL)
    {
      respond_error (res, 404, "Workspace not found");
      return NULL;
    }
  if ((m->caps & CAP_VIEW) == 0)
    {
      respond_error (res, 403, "You don't have permission to view operations");
      return NULL;
    }
  return m;
}

static const Membership *
require_tenant (AtlasBackendServer *self,
                const User         *user,
                gint64              tenant_id,
                Response           *res)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "SELECT workspace_id FROM tenants WHERE id = ?1");
  const Membership *m = NULL;

  sqlite3_bind_int64 (stmt, 1, tenant_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    m = membership_of (user, sqlite3_column_int64 (stmt, 0));
  if (m == NULL)
    {
      respond_error (res, 404, "Tenant not found");
      return NULL;
    }
  if ((m->caps & CAP_VIEW) == 0)
    {
      respond_error (res, 403, "You don't have permission to view operations");
      return NULL;
    }
  return m;
}

static void
append_runs (GString      *out,
             sqlite3_stmt *stmt,
             gint64        viewer_id)
{
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      atlas_backend_append_run (out, stmt, viewer_id);
    }
  g_string_append_c (out, ']');
}

static gboolean
append_run_by_id (AtlasBackendServer *self,
                  GString            *out,
                  gint64              run_id,
                  gint64              workspace_id,
                  gint64              viewer_id)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      ATLAS_BACKEND_RUN_SELECT "WHERE r.id = ?1 AND (?2 = 0 OR r.workspace_id = ?2)");

  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, workspace_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  atlas_backend_append_run (out, stmt, viewer_id);
  return TRUE;
}

static gboolean
append_latest_pack (AtlasBackendServer *self,
                    GString            *out,
                    gint64              tenant_id)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "SELECT " ATLAS_BACKEND_PACK_COLUMNS "FROM review_packs p WHERE p.tenant_id = ?1"
      " ORDER BY p.id DESC LIMIT 1");

  sqlite3_bind_int64 (stmt, 1, tenant_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_string_append (out, "null");
      return FALSE;
    }
  atlas_backend_append_pack (out, stmt, 0);
  return TRUE;
}

/* GET /health */
static void
handle_health (Response *res)
{
  g_string_append (res->body, "{\"status\":\"ok\",\"version\":\"" PACKAGE_VERSION "\"}");
}

/* GET /me */
static void
handle_me (AtlasBackendServer *self,
           const User         *user,
           Response           *res)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "SELECT count(*) FROM runs WHERE initiator_id = ?1 AND status IN ('queued', 'running')");
  GString *out = res->body;

  g_string_append_printf (out, "{\"data\":{\"user\":{\"id\":%" G_GINT64_FORMAT ",\"name\":",
                          user->id);
  atlas_backend_append_json_string (out, user->name);
  g_string_append (out, "},\"workspaces\":[");
  for (guint i = 0; i < user->memberships->len; i++)
    {
      const Membership *m = &g_array_index (user->memberships, Membership, i);
      g_auto(GStrv) caps = g_strsplit (m->capabilities, " ", -1);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"name\":", m->workspace_id);
      atlas_backend_append_json_string (out, m->workspace_name);
      g_string_append (out, ",\"capabilities\":[");
      for (guint j = 0; caps[j]; j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          atlas_backend_append_json_string (out, caps[j]);
        }
      g_string_append (out, "]}");
    }
  sqlite3_bind_int64 (stmt, 1, user->id);
  sqlite3_step (stmt);
  g_string_append_printf (out, "],\"active_initiated_count\":%" G_GINT64_FORMAT "}}",
                          (gint64) sqlite3_column_int64 (stmt, 0));
}

/* GET /me/notifications?after= */
static void
handle_notifications (AtlasBackendServer *self,
                      const User         *user,
                      GHashTable         *query,
                      Response           *res)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = res->body;
  gint64 after;
  gboolean first = TRUE;

  if (!query_int (query, "after", 0, 0, G_MAXINT64, &after))
    {
      respond_error (res, 400, "after must be a non-negative integer");
      return;
    }

  stmt = atlas_backend_store_stmt (self->store,
      "SELECT id, run_id, workspace_id, tenant_id, outcome, title, body, created_at"
      " FROM notifications WHERE user_id = ?1 AND id > ?2 ORDER BY id LIMIT 100");
  sqlite3_bind_int64 (stmt, 1, user->id);
  sqlite3_bind_int64 (stmt, 2, after);
  g_string_append (out, "{\"data\":[");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"run_id\":%" G_GINT64_FORMAT
                              ",\"workspace_id\":%" G_GINT64_FORMAT ",\"tenant_id\":%"
                              G_GINT64_FORMAT ",\"outcome\":",
                              (gint64) sqlite3_column_int64 (stmt, 0),
                              (gint64) sqlite3_column_int64 (stmt, 1),
                              (gint64) sqlite3_column_int64 (stmt, 2),
                              (gint64) sqlite3_column_int64 (stmt, 3));
      if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
        g_string_append (out, "null");
      else
        atlas_backend_append_json_string (out, (const char *) sqlite3_column_text (stmt, 4));
      g_string_append (out, ",\"title\":");
      atlas_backend_append_json_string (out, (const char *) sqlite3_column_text (stmt, 5));
      g_string_append (out, ",\"body\":");
      atlas_backend_append_json_string (out, (const char *) sqlite3_column_text (stmt, 6));
      g_string_append (out, ",\"created_at\":");
      atlas_backend_append_time (out, sqlite3_column_int64 (stmt, 7));
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
}

/* GET /workspaces/{ws}/overview */
static void
handle_overview (AtlasBackendServer *self,
                 const User         *user,
                 gint64              workspace_id,
                 Response           *res)
{
  g_autoptr(GHashTable) failed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GString) tenants = g_string_new (NULL);
  GString *out = res->body;
  gint64 total_active = 0, total_stale = 0, total_failed = 0;
  gint64 now = now_of (self);

  g_autofree char *cache_key = NULL;
  gint64 changes;
  CachedBody *cached;

  if (!require_workspace (user, workspace_id, res))
    return;

  /* The heaviest body (one card per tenant): reuse it until any row changes or the
   * clock moves (failed_recent is relative to now). */
  changes = sqlite3_total_changes (atlas_backend_store_get_db (self->store));
  cache_key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, workspace_id, user->id);
  cached = g_hash_table_lookup (self->overview_cache, cache_key);
  if (cached != NULL && cached->changes == changes && cached->now == now)
    {
      g_string_append (out, cached->body);
      return;
    }

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT tenant_id, count(*) FROM runs WHERE workspace_id = ?1 AND completed_at >= ?2"
        " AND status = 'completed' AND outcome = 'failed' GROUP BY tenant_id");
    sqlite3_bind_int64 (stmt, 1, workspace_id);
    sqlite3_bind_int64 (stmt, 2, now - RECENT_SECONDS);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 *key = g_new (gint64, 1);
        *key = sqlite3_column_int64 (stmt, 0);
        g_hash_table_insert (failed, key, GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 1)));
      }
  }

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT t.id, t.name, t.last_activity_at, coalesce(c.active, 0), coalesce(c.stale, 0)"
        " FROM tenants t LEFT JOIN (SELECT tenant_id,"
        "   sum(CASE WHEN status IN ('queued', 'running') THEN n ELSE 0 END) AS active,"
        "   sum(CASE WHEN status IN ('queued', 'running')"
        "       AND problem_class = 'active_stale_attention' THEN n ELSE 0 END) AS stale"
        "   FROM run_counts WHERE workspace_id = ?1 GROUP BY tenant_id) c ON c.tenant_id = t.id"
        " WHERE t.workspace_id = ?1 ORDER BY t.name, t.id");
    gboolean first = TRUE;

    sqlite3_bind_int64 (stmt, 1, workspace_id);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        gint64 active = sqlite3_column_int64 (stmt, 3);
        gint64 stale = sqlite3_column_int64 (stmt, 4);
        gint64 failed_recent = GPOINTER_TO_INT (g_hash_table_lookup (failed, &id));

        total_active += active;
        total_stale += stale;
        total_failed += failed_recent;
        if (!first)
          g_string_append_c (tenants, ',');
        first = FALSE;
        g_string_append_printf (tenants, "{\"id\":%" G_GINT64_FORMAT ",\"name\":", id);
        atlas_backend_append_json_string (tenants, (const char *) sqlite3_column_text (stmt, 1));
        g_string_append_printf (tenants, ",\"active_count\":%" G_GINT64_FORMAT
                                ",\"stale_active_count\":%" G_GINT64_FORMAT
                                ",\"failed_recent_count\":%" G_GINT64_FORMAT
                                ",\"needs_attention\":%s,\"last_activity_at\":",
                                active, stale, failed_recent,
                                (stale > 0 || failed_recent > 0) ? "true" : "false");
        if (sqlite3_column_type (stmt, 2) == SQLITE_NULL || sqlite3_column_int64 (stmt, 2) == 0)
          g_string_append (tenants, "null");
        else
          atlas_backend_append_time (tenants, sqlite3_column_int64 (stmt, 2));
        g_string_append_c (tenants, '}');
      }
  }

  g_string_append_printf (out, "{\"data\":{\"totals\":{\"active\":%" G_GINT64_FORMAT
                          ",\"stale_active\":%" G_GINT64_FORMAT ",\"failed_recent\":%"
                          G_GINT64_FORMAT "},\"tenants\":[%s],\"recent_operations\":",
                          total_active, total_stale, total_failed, tenants->str);
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        ATLAS_BACKEND_RUN_SELECT "WHERE r.workspace_id = ?1 ORDER BY r.created_at DESC, r.id DESC"
        " LIMIT 10");
    sqlite3_bind_int64 (stmt, 1, workspace_id);
    append_runs (out, stmt, user->id);
  }
  g_string_append (out, "}}");

  cached = g_new0 (CachedBody, 1);
  cached->changes = changes;
  cached->now = now;
  cached->body = g_strdup (out->str);
  g_hash_table_replace (self->overview_cache, g_steal_pointer (&cache_key), cached);
}

static const char *tabs[] = { "all", "active", "active_stale_attention", "terminal_follow_up", "completed" };
static const char *tab_where[] = {
  "",
  " AND r.status IN ('queued', 'running')",
  " AND r.problem_class = 'active_stale_attention'",
  " AND r.problem_class = 'terminal_follow_up'",
  " AND r.status = 'completed'",
};

/* GET /workspaces/{ws}/operations */
static void
handle_operations (AtlasBackendServer *self,
                   const User         *user,
                   gint64              workspace_id,
                   GHashTable         *query,
                   Response           *res)
{
  const char *tab = query ? g_hash_table_lookup (query, "tab") : NULL;
  const char *problem_class = query ? g_hash_table_lookup (query, "problem_class") : NULL;
  const char *type = query ? g_hash_table_lookup (query, "type") : NULL;
  const char *tenant_text = query ? g_hash_table_lookup (query, "tenant_id") : NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(sqlite3_stmt) counts = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  gint64 tab_count[G_N_ELEMENTS (tabs)] = { 0 };
  gint64 tenant_id = 0;
  gint64 page, per_page;
  guint tab_index = 0;
  GString *out = res->body;
  g_autofree char *cache_key = NULL;
  CachedBody *cached;
  gint64 changes;

  if (!require_workspace (user, workspace_id, res))
    return;

  if (tab != NULL)
    {
      for (tab_index = 0; tab_index < G_N_ELEMENTS (tabs); tab_index++)
        if (strcmp (tab, tabs[tab_index]) == 0)
          break;
      if (tab_index == G_N_ELEMENTS (tabs))
        {
          respond_error (res, 400, "Unknown tab");
          return;
        }
    }
  if (!query_int (query, "page", 1, 1, 1000000, &page) ||
      !query_int (query, "per_page", 25, 1, 100, &per_page))
    {
      respond_error (res, 400, "page must be ≥ 1 and per_page between 1 and 100");
      return;
    }
  if (tenant_text != NULL && !parse_id (tenant_text, &tenant_id))
    {
      respond_error (res, 400, "tenant_id must be a positive integer");
      return;
    }
  if (problem_class != NULL && strcmp (problem_class, "active_stale_attention") != 0 &&
      strcmp (problem_class, "terminal_follow_up") != 0)
    {
      respond_error (res, 400, "Unknown problem_class");
      return;
    }
  if (type != NULL && (strlen (type) > 64 || !g_utf8_validate (type, -1, NULL)))
    {
      respond_error (res, 400, "Invalid type");
      return;
    }

  /* Tab counts come from the trigger-maintained aggregate, with the same filters,
   * and are reused until any row changes. */
  changes = sqlite3_total_changes (atlas_backend_store_get_db (self->store));
  cache_key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s:%s", workspace_id,
                               tenant_id, problem_class ? problem_class : "", type ? type : "");
  cached = g_hash_table_lookup (self->counts_cache, cache_key);
  if (cached != NULL && cached->changes == changes)
    memcpy (tab_count, cached->body, sizeof tab_count);
  else
    {
      counts = atlas_backend_store_stmt (self->store,
          "SELECT coalesce(sum(n), 0),"
          " coalesce(sum(CASE WHEN status IN ('queued', 'running') THEN n END), 0),"
          " coalesce(sum(CASE WHEN problem_class = 'active_stale_attention' THEN n END), 0),"
          " coalesce(sum(CASE WHEN problem_class = 'terminal_follow_up' THEN n END), 0),"
          " coalesce(sum(CASE WHEN status = 'completed' THEN n END), 0)"
          " FROM run_counts WHERE workspace_id = ?1 AND (?2 = 0 OR tenant_id = ?2)"
          " AND (?3 IS NULL OR problem_class = ?3) AND (?4 IS NULL OR type = ?4)");
      sqlite3_bind_int64 (counts, 1, workspace_id);
      sqlite3_bind_int64 (counts, 2, tenant_id);
      if (problem_class)
        sqlite3_bind_text (counts, 3, problem_class, -1, SQLITE_STATIC);
      if (type)
        sqlite3_bind_text (counts, 4, type, -1, SQLITE_STATIC);
      if (sqlite3_step (counts) == SQLITE_ROW)
        for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
          tab_count[i] = sqlite3_column_int64 (counts, (int) i);
      if (g_hash_table_size (self->counts_cache) > 4096)
        g_hash_table_remove_all (self->counts_cache);
      cached = g_new0 (CachedBody, 1);
      cached->changes = changes;
      cached->body = g_memdup2 (tab_count, sizeof tab_count);
      g_hash_table_replace (self->counts_cache, g_steal_pointer (&cache_key), cached);
    }

  /* A handful of distinct SQL texts, each prepared once and cached by the store. */
  sql = g_string_new (ATLAS_BACKEND_RUN_SELECT "WHERE r.workspace_id = ?1");
  g_string_append (sql, tab_where[tab_index]);
  if (tenant_id)
    g_string_append (sql, " AND r.tenant_id = ?2");
  if (problem_class)
    g_string_append (sql, " AND r.problem_class = ?3");
  if (type)
    g_string_append (sql, " AND r.type = ?4");
  g_string_append (sql, " ORDER BY r.created_at DESC, r.id DESC LIMIT ?5 OFFSET ?6");
  rows = atlas_backend_store_stmt (self->store, sql->str);
  sqlite3_bind_int64 (rows, 1, workspace_id);
  if (tenant_id)
    sqlite3_bind_int64 (rows, 2, tenant_id);
  if (problem_class)
    sqlite3_bind_text (rows, 3, problem_class, -1, SQLITE_STATIC);
  if (type)
    sqlite3_bind_text (rows, 4, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (rows, 5, per_page);
  sqlite3_bind_int64 (rows, 6, (page - 1) * per_page);

  g_string_append (out, "{\"data\":");
  append_runs (out, rows, user->id);
  g_string_append_printf (out, ",\"meta\":{\"page\":%" G_GINT64_FORMAT ",\"per_page\":%"
                          G_GINT64_FORMAT ",\"total\":%" G_GINT64_FORMAT ",\"tab\":\"%s\","
                          "\"tab_counts\":{",
                          page, per_page, tab_count[tab_index], tabs[tab_index]);
  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    g_string_append_printf (out, "%s\"%s\":%" G_GINT64_FORMAT, i ? "," : "", tabs[i], tab_count[i]);
  g_string_append (out, "}}}");
}

/* GET /workspaces/{ws}/operations/{run} */
static void
handle_run (AtlasBackendServer *self,
            const User         *user,
            gint64              workspace_id,
            gint64              run_id,
            Response           *res)
{
  if (!require_workspace (user, workspace_id, res))
    return;
  g_string_append (res->body, "{\"data\":");
  if (!append_run_by_id (self, res->body, run_id, workspace_id, user->id))
    {
      respond_error (res, 404, "Operation not found");
      return;
    }
  g_string_append_c (res->body, '}');
}

/* GET /tenants/{tenant}/dashboard */
static void
handle_dashboard (AtlasBackendServer *self,
                  const User         *user,
                  gint64              tenant_id,
                  Response           *res)
{
  GString *out = res->body;
  gint64 now = now_of (self);
  gint64 active = 0, stale = 0;

  if (!require_tenant (self, user, tenant_id, res))
    return;

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT id, workspace_id, name, last_activity_at FROM tenants WHERE id = ?1");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    sqlite3_step (stmt);
    g_string_append_printf (out, "{\"data\":{\"tenant\":{\"id\":%" G_GINT64_FORMAT
                            ",\"workspace_id\":%" G_GINT64_FORMAT ",\"name\":",
                            tenant_id, (gint64) sqlite3_column_int64 (stmt, 1));
    atlas_backend_append_json_string (out, (const char *) sqlite3_column_text (stmt, 2));
    g_string_append (out, ",\"last_activity_at\":");
    if (sqlite3_column_type (stmt, 3) == SQLITE_NULL || sqlite3_column_int64 (stmt, 3) == 0)
      g_string_append (out, "null");
    else
      atlas_backend_append_time (out, sqlite3_column_int64 (stmt, 3));
    g_string_append (out, "}");
  }
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT coalesce(sum(CASE WHEN status IN ('queued', 'running') THEN n END), 0),"
        " coalesce(sum(CASE WHEN status IN ('queued', 'running')"
        "   AND problem_class = 'active_stale_attention' THEN n END), 0)"
        " FROM run_counts WHERE tenant_id = ?1");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      {
        active = sqlite3_column_int64 (stmt, 0);
        stale = sqlite3_column_int64 (stmt, 1);
      }
  }
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT coalesce(sum(outcome = 'failed'), 0), coalesce(sum(outcome = 'succeeded'), 0)"
        " FROM runs WHERE tenant_id = ?1 AND completed_at >= ?2 AND status = 'completed'");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    sqlite3_bind_int64 (stmt, 2, now - WEEK_SECONDS);
    sqlite3_step (stmt);
    g_string_append_printf (out, ",\"kpis\":{\"active\":%" G_GINT64_FORMAT ",\"stale_active\":%"
                            G_GINT64_FORMAT ",\"failed_7d\":%" G_GINT64_FORMAT
                            ",\"succeeded_7d\":%" G_GINT64_FORMAT "}",
                            active, stale, (gint64) sqlite3_column_int64 (stmt, 0),
                            (gint64) sqlite3_column_int64 (stmt, 1));
  }
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        ATLAS_BACKEND_RUN_SELECT "WHERE r.tenant_id = ?1 AND ((r.problem_class ="
        " 'active_stale_attention' AND r.status IN ('queued', 'running')) OR"
        " (r.problem_class = 'terminal_follow_up' AND r.completed_at >= ?2))"
        " ORDER BY r.created_at DESC, r.id DESC LIMIT 20");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    sqlite3_bind_int64 (stmt, 2, now - WEEK_SECONDS);
    g_string_append (out, ",\"needs_attention\":");
    append_runs (out, stmt, user->id);
  }
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        ATLAS_BACKEND_RUN_SELECT "WHERE r.tenant_id = ?1 ORDER BY r.created_at DESC, r.id DESC"
        " LIMIT 10");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    g_string_append (out, ",\"recent_operations\":");
    append_runs (out, stmt, user->id);
  }
  g_string_append (out, ",\"review_pack\":");
  append_latest_pack (self, out, tenant_id);
  g_string_append (out, "}}");
}

/* GET /tenants/{tenant}/review-pack */
static void
handle_pack_get (AtlasBackendServer *self,
                 const User         *user,
                 gint64              tenant_id,
                 Response           *res)
{
  if (!require_tenant (self, user, tenant_id, res))
    return;
  g_string_append (res->body, "{\"data\":");
  append_latest_pack (self, res->body, tenant_id);
  g_string_append_c (res->body, '}');
}

/* POST /tenants/{tenant}/review-packs */
static void
handle_pack_post (AtlasBackendServer *self,
                  const User         *user,
                  gint64              tenant_id,
                  SoupServerMessage  *msg,
                  Response           *res)
{
  const Membership *m = require_tenant (self, user, tenant_id, res);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pack_id = 0, run_id = 0;
  gboolean deduped = FALSE;
  GString *out = res->body;

  if (m == NULL)
    return;
  if ((m->caps & CAP_GENERATE) == 0)
    {
      respond_error (res, 403, "You don't have permission to generate review packs");
      return;
    }
  if (!(body = parse_body (msg, TRUE, &error)))
    {
      respond_gerror (res, error);
      return;
    }

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT id, operation_run_id FROM review_packs WHERE tenant_id = ?1"
        " AND status IN ('queued', 'generating') ORDER BY id DESC LIMIT 1");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      {
        deduped = TRUE;
        pack_id = sqlite3_column_int64 (stmt, 0);
        run_id = sqlite3_column_int64 (stmt, 1);
      }
  }

  if (!deduped)
    {
      AtlasBackendRunSpec spec = { 0 };
      GRand *rand = atlas_backend_simulator_get_rand (self->simulator);
      g_autoptr(sqlite3_stmt) insert = NULL;

      spec.workspace_id = m->workspace_id;
      spec.tenant_id = tenant_id;
      spec.type = "review_pack_generate";
      spec.status = "queued";
      spec.freshness = "fresh";
      spec.created_at = now_of (self);
      spec.lifecycle_window = 300;
      spec.summary_counts = "{}";
      spec.initiator_id = user->id;
      spec.sim_mode = "run";
      spec.sim_delay = 2;
      spec.sim_total = 6;
      spec.sim_rate = 0.5;
      spec.sim_stall_at = -1;
      spec.sim_outcome = g_rand_int_range (rand, 0, 100) < 90 ? "succeeded" : "failed";

      atlas_backend_store_exec (self->store, "BEGIN", NULL);
      run_id = atlas_backend_store_insert_run (self->store, &spec, &error);
      insert = atlas_backend_store_stmt (self->store,
          "INSERT INTO review_packs (workspace_id, tenant_id, status, operation_run_id, created_at)"
          " VALUES (?1, ?2, 'queued', ?3, ?4)");
      sqlite3_bind_int64 (insert, 1, m->workspace_id);
      sqlite3_bind_int64 (insert, 2, tenant_id);
      sqlite3_bind_int64 (insert, 3, run_id);
      sqlite3_bind_int64 (insert, 4, spec.created_at);
      if (run_id == 0 || sqlite3_step (insert) != SQLITE_DONE)
        {
          atlas_backend_store_exec (self->store, "ROLLBACK", NULL);
          respond_error (res, 500, "Cannot queue review pack");
          return;
        }
      pack_id = sqlite3_last_insert_rowid (atlas_backend_store_get_db (self->store));
      atlas_backend_store_exec (self->store, "COMMIT", NULL);
    }

  res->status = deduped ? 200 : 202;
  g_string_append (out, "{\"data\":{\"review_pack\":");
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT " ATLAS_BACKEND_PACK_COLUMNS "FROM review_packs p WHERE p.id = ?1");
    sqlite3_bind_int64 (stmt, 1, pack_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      atlas_backend_append_pack (out, stmt, 0);
    else
      g_string_append (out, "null");
  }
  g_string_append (out, ",\"run\":");
  if (!append_run_by_id (self, out, run_id, 0, user->id))
    g_string_append (out, "null");
  g_string_append_printf (out, "},\"meta\":{\"deduped\":%s}}", deduped ? "true" : "false");
}

/* ---- test control ------------------------------------------------------------------ */

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
      text = json_to_string (node, FALSE);
      g_ptr_array_add (keep, text);
      spec->summary_counts = text;
    }
  if ((node = json_object_get_member (obj, "failure_summary")) && !JSON_NODE_HOLDS_NULL (node))
    {
      char *text;
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
      if (spec->sim_mode == NULL)
        spec->sim_mode = "run";
      if (g_strcmp0 (spec->sim_mode, "run") != 0 && g_strcmp0 (spec->sim_mode, "stall") != 0 &&
          g_strcmp0 (spec->sim_mode, "frozen") != 0)
        {
          g_set_error (error, ATLAS_BACKEND_ERROR, 422, "_sim.mode must be run, stall or frozen");
          return FALSE;
        }
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
  atlas_backend_store_exec (self->store, "SAVEPOINT insert_run", NULL);
  if (!spec_from_json (self, obj, &spec, keep, error) ||
      (id = atlas_backend_store_insert_run (self->store, &spec, error)) == 0)
    {
      atlas_backend_store_exec (self->store, "ROLLBACK TO insert_run; RELEASE insert_run", NULL);
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

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  g_return_val_if_fail (json != NULL, 0);

  node = json_from_string (json, error);
  if (node == NULL)
    return 0;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "A run must be a JSON object");
      return 0;
    }
  return insert_run_object (self, json_node_get_object (node), error);
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

  if (!append_run_by_id (self, current, run_id, 0, 0))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 404, "Operation not found");
      return FALSE;
    }
  node = json_from_string (current->str, NULL);
  obj = json_node_get_object (node);
  old_status = g_strdup (json_object_get_string_member (obj, "status"));

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
      if (g_strcmp0 (l->data, "id") == 0)
        continue;
      json_object_set_member (obj, l->data, json_node_copy (json_object_get_member (patch, l->data)));
    }
  json_object_set_int_member (obj, "id", run_id);

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
    atlas_backend_store_notify_terminal (self->store, run_id, NULL);
  atlas_backend_store_sync_packs (self->store, now_of (self),
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

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);

  node = json_from_string (json, error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "A patch must be a JSON object");
      return FALSE;
    }
  return patch_run_object (self, run_id, json_node_get_object (node), error);
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
  gint64 now = now_of (self);

  g_string_append (out, "{\"data\":{\"now\":");
  atlas_backend_append_time (out, now);
  g_string_append_printf (out, ",\"unix\":%" G_GINT64_FORMAT ",\"fixed\":%s}}",
                          now, self->clock_fixed ? "true" : "false");
}

static void
handle_test_control (AtlasBackendServer *self,
                     SoupServerMessage  *msg,
                     const char         *method,
                     char              **segs,
                     Response           *res)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint n = g_strv_length (segs);
  gboolean post = strcmp (method, "POST") == 0;
  JsonObject *obj = NULL;

  if (post || strcmp (method, "PATCH") == 0)
    {
      if (!(body = parse_body (msg, FALSE, &error)))
        {
          respond_gerror (res, error);
          return;
        }
      obj = json_node_get_object (body);
    }

  if (n == 2 && strcmp (segs[1], "clock") == 0)
    {
      if (post)
        {
          gint64 unix_seconds = 0;
          JsonNode *now = json_object_get_member (obj, "now");

          if (now != NULL && !get_time (obj, "now", TRUE, &unix_seconds, &error))
            { respond_gerror (res, error); return; }
          if (now == NULL && !get_int (obj, "unix", TRUE, 1, &unix_seconds, &error))
            { respond_gerror (res, error); return; }
          atlas_backend_server_set_clock (self, unix_seconds);
        }
      else if (strcmp (method, "GET") != 0)
        { respond_error (res, 405, "Use GET or POST"); return; }
      append_clock (self, res->body);
    }
  else if (n == 2 && strcmp (segs[1], "advance") == 0 && post)
    {
      gint64 seconds = 0;

      if (!get_int (obj, "seconds", TRUE, 0, &seconds, &error))
        { respond_gerror (res, error); return; }
      if (seconds > 10 * 365 * 24 * 3600)
        { respond_error (res, 422, "seconds is too large"); return; }
      atlas_backend_server_advance (self, seconds);
      append_clock (self, res->body);
    }
  else if (n == 2 && strcmp (segs[1], "runs") == 0 && post)
    {
      gint64 id = insert_run_object (self, obj, &error);

      if (id == 0)
        { respond_gerror (res, error); return; }
      res->status = 201;
      g_string_append (res->body, "{\"data\":");
      append_run_by_id (self, res->body, id, 0, 0);
      g_string_append_c (res->body, '}');
    }
  else if (n == 3 && strcmp (segs[1], "runs") == 0 && strcmp (method, "PATCH") == 0)
    {
      gint64 id;

      if (!parse_id (segs[2], &id))
        { respond_error (res, 400, "Invalid run id"); return; }
      if (!patch_run_object (self, id, obj, &error))
        { respond_gerror (res, error); return; }
      g_string_append (res->body, "{\"data\":");
      append_run_by_id (self, res->body, id, 0, 0);
      g_string_append_c (res->body, '}');
    }
  else if (n == 2 && strcmp (segs[1], "faults") == 0 && post)
    {
      AtlasBackendFault fault;

      if (!fault_from_json (obj, &fault, &error))
        { respond_gerror (res, error); return; }
      atlas_backend_server_inject_fault (self, &fault);
      g_string_append_printf (res->body, "{\"data\":{\"pending\":%u}}", self->faults.length);
    }
  else if (n == 2 && strcmp (segs[1], "faults") == 0 && strcmp (method, "DELETE") == 0)
    {
      atlas_backend_server_clear_faults (self);
      g_string_append (res->body, "{\"data\":{\"pending\":0}}");
    }
  else if (n == 2 && strcmp (segs[1], "poll-interval") == 0 && post)
    {
      gint64 seconds = 0;

      if (!get_int (obj, "seconds", TRUE, 0, &seconds, &error))
        { respond_gerror (res, error); return; }
      atlas_backend_server_set_poll_interval (self, (guint) MIN (seconds, 86400));
      g_string_append_printf (res->body, "{\"data\":{\"seconds\":%u}}", self->poll_interval);
    }
  else
    respond_error (res, 404, "Unknown test-control endpoint");
}

/* ---- request pipeline ---------------------------------------------------------------- */

static void
count_request (AtlasBackendServer *self,
               const char         *path)
{
  guint64 *slot = g_hash_table_lookup (self->request_counts, path);

  if (slot == NULL)
    {
      slot = g_new0 (guint64, 1);
      g_hash_table_insert (self->request_counts, g_strdup (path), slot);
    }
  (*slot)++;
}

static gboolean
take_fault (AtlasBackendServer *self,
            const char         *path,
            AtlasBackendFault  *out)
{
  for (GList *l = self->faults.head; l; l = l->next)
    {
      PendingFault *pf = l->data;

      /* Health stays out of fault injection unless a fault names it explicitly. */
      if (pf->path_prefix ? !g_str_has_prefix (path, pf->path_prefix)
                          : g_str_has_prefix (path, API_PREFIX "/health"))
        continue;
      *out = pf->fault;
      out->retry_after = NULL;
      out->path_prefix = NULL;
      if (pf->retry_after)
        out->retry_after = g_intern_string (pf->retry_after);
      if (--pf->fault.count == 0)
        {
          g_queue_delete_link (&self->faults, l);
          pending_fault_free (pf);
        }
      return TRUE;
    }
  return FALSE;
}

static void
route (AtlasBackendServer *self,
       SoupServerMessage  *msg,
       const char         *path,
       GHashTable         *query,
       Response           *res)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  g_auto(GStrv) segs = NULL;
  const User *user;
  guint n;
  gint64 id = 0, id2 = 0;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    { respond_error (res, 404, "Not found"); return; }
  segs = g_strsplit (path + strlen (API_PREFIX "/"), "/", 8);
  n = g_strv_length (segs);

  if (n == 1 && strcmp (segs[0], "health") == 0)
    {
      if (!get)
        { res->allow = "GET"; respond_error (res, 405, "Use GET"); return; }
      { handle_health (res); return; }
    }

  if (strcmp (segs[0], "_test") == 0)
    {
      if (!self->test_control)
        { respond_error (res, 404, "Not found"); return; }
      { handle_test_control (self, msg, method, segs, res); return; }
    }

  if (!(user = authenticate (self, msg)))
    { respond_error (res, 401, "A valid bearer token is required"); return; }

  if (n == 1 && strcmp (segs[0], "me") == 0)
    {
      if (!get)
        { res->allow = "GET"; respond_error (res, 405, "Use GET"); return; }
      { handle_me (self, user, res); return; }
    }
  if (n == 2 && strcmp (segs[0], "me") == 0 && strcmp (segs[1], "notifications") == 0)
    {
      if (!get)
        { res->allow = "GET"; respond_error (res, 405, "Use GET"); return; }
      { handle_notifications (self, user, query, res); return; }
    }

  if (n >= 3 && strcmp (segs[0], "workspaces") == 0 &&
      (strcmp (segs[2], "overview") == 0 || strcmp (segs[2], "operations") == 0) && n <= 4)
    {
      if (!parse_id (segs[1], &id))
        { respond_error (res, 400, "Invalid workspace id"); return; }
      if (n == 4 && !parse_id (segs[3], &id2))
        { respond_error (res, 400, "Invalid operation id"); return; }
      if (!get)
        { res->allow = "GET"; respond_error (res, 405, "Use GET"); return; }
      if (n == 3 && strcmp (segs[2], "overview") == 0)
        { handle_overview (self, user, id, res); return; }
      if (n == 3)
        { handle_operations (self, user, id, query, res); return; }
      if (strcmp (segs[2], "operations") == 0)
        { handle_run (self, user, id, id2, res); return; }
    }

  if (n == 3 && strcmp (segs[0], "tenants") == 0)
    {
      gboolean post = strcmp (method, "POST") == 0;

      if (strcmp (segs[2], "dashboard") != 0 && strcmp (segs[2], "review-pack") != 0 &&
          strcmp (segs[2], "review-packs") != 0)
        { respond_error (res, 404, "Not found"); return; }
      if (!parse_id (segs[1], &id))
        { respond_error (res, 400, "Invalid tenant id"); return; }
      if (strcmp (segs[2], "review-packs") == 0)
        {
          if (!post)
            { res->allow = "POST"; respond_error (res, 405, "Use POST"); return; }
          { handle_pack_post (self, user, id, msg, res); return; }
        }
      if (!get)
        { res->allow = "GET"; respond_error (res, 405, "Use GET"); return; }
      if (strcmp (segs[2], "dashboard") == 0)
        { handle_dashboard (self, user, id, res); return; }
      { handle_pack_get (self, user, id, res); return; }
    }

  respond_error (res, 404, "Not found");
}

static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) parts = NULL;

  if (if_none_match == NULL)
    return FALSE;
  parts = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *candidate = g_strstrip (parts[i]);

      if (g_str_has_prefix (candidate, "W/"))
        candidate += 2;
      if (strcmp (candidate, "*") == 0 || strcmp (candidate, etag) == 0)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  GIOStream *stream;
  GBytes    *bytes;
} RawWrite;

static void
raw_closed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
raw_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawWrite *raw = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (raw->stream, G_PRIORITY_DEFAULT, NULL, raw_closed_cb, NULL);
  g_object_unref (raw->stream);
  g_bytes_unref (raw->bytes);
  g_free (raw);
}

/* Content-Length promises more than is sent, then the connection closes. */
static void
send_truncated (SoupServerMessage *msg,
                const char        *date,
                GString           *body)
{
  RawWrite *raw = g_new0 (RawWrite, 1);
  GString *text = g_string_new (NULL);
  gsize half = body->len / 2;

  g_string_append_printf (text, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Date: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", date, body->len + 64);
  g_string_append_len (text, body->str, (gssize) half);
  raw->stream = soup_server_message_steal_connection (msg);
  raw->bytes = g_string_free_to_bytes (text);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (raw->stream),
                                   g_bytes_get_data (raw->bytes, NULL),
                                   g_bytes_get_size (raw->bytes),
                                   G_PRIORITY_DEFAULT, NULL, raw_written_cb, raw);
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->source_id = 0;
  soup_server_message_unpause (delayed->msg);
  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
  return G_SOURCE_REMOVE;
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  if (delayed->source_id != 0)
    {
      g_source_remove (delayed->source_id);
      soup_server_message_unpause (delayed->msg);
    }
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  AtlasBackendServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GDateTime) date_time = NULL;
  g_autofree char *date = NULL;
  const char *method = soup_server_message_get_method (msg);
  gboolean is_test = g_str_has_prefix (path, TEST_PREFIX "/") || g_strcmp0 (path, TEST_PREFIX) == 0;
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  AtlasBackendFault fault;
  gboolean faulted = FALSE;
  Response res = { 200, body, NULL, NULL };

  /* Test-control calls are harness traffic, not client traffic: not counted. */
  if (!is_test)
    {
      count_request (self, path);
      faulted = take_fault (self, path, &fault);
    }

  if (self->delayed->len >= MAX_DELAYED)
    {
      respond_error (&res, 503, "The server is overloaded");
      res.retry_after = "1";
    }
  else if (faulted && fault.kind == ATLAS_BACKEND_FAULT_STATUS)
    {
      respond_error (&res, fault.status, fault.status == 429 ? "Too many requests"
                                                             : "Service unavailable");
      res.retry_after = fault.retry_after ? fault.retry_after : "5";
    }
  else
    route (self, msg, path, query, &res);

  date_time = g_date_time_new_from_unix_utc (now_of (self));
  date = soup_date_time_to_string (date_time, SOUP_DATE_HTTP);
  soup_message_headers_replace (headers, "Date", date);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (self->poll_interval > 0)
    {
      char interval[16];
      g_snprintf (interval, sizeof interval, "%u", self->poll_interval);
      soup_message_headers_replace (headers, "X-Poll-Interval", interval);
    }
  if (res.retry_after)
    soup_message_headers_replace (headers, "Retry-After", res.retry_after);
  if (res.allow)
    soup_message_headers_replace (headers, "Allow", res.allow);

  if (faulted && fault.kind == ATLAS_BACKEND_FAULT_TRUNCATED)
    {
      send_truncated (msg, date, body);
      return;
    }
  if (faulted && fault.kind == ATLAS_BACKEND_FAULT_MALFORMED)
    {
      g_string_assign (body, "{\"data\": [{\"id\": 1,, \"status\": running} <html>oops");
      res.status = 200;
    }
  else if (faulted && fault.kind == ATLAS_BACKEND_FAULT_CUT_JSON)
    {
      g_string_truncate (body, body->len / 2);
      res.status = 200;
    }

  if (res.status == 200 && get && !faulted)
    {
      g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                          (const guchar *) body->str, body->len);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sum);

      soup_message_headers_replace (headers, "ETag", etag);
      if (etag_matches (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "If-None-Match"), etag))
        {
          soup_server_message_set_status (msg, 304, NULL);
          goto out;
        }
    }

  soup_server_message_set_status (msg, res.status, NULL);
  {
    gsize len = body->len;
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                      g_string_free (g_steal_pointer (&body), FALSE), len);
  }

out:
  if (faulted && fault.kind == ATLAS_BACKEND_FAULT_LATENCY && fault.latency_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = self;
      delayed->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      delayed->source_id = g_timeout_add (fault.latency_ms, delayed_cb, delayed);
      g_ptr_array_add (self->delayed, delayed);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  AtlasBackendServer *self = user_data;

  self->ticks++;
  /* A new run every few seconds keeps the demo and scale screens lively. */
  if (g_strcmp0 (self->scenario, "demo") == 0 || g_strcmp0 (self->scenario, "scale") == 0)
    {
      GRand *rand = atlas_backend_simulator_get_rand (self->simulator);
      if (g_rand_int_range (rand, 0, 4) == 0)
        atlas_backend_simulator_spawn (self->simulator, now_of (self));
    }
  atlas_backend_simulator_step (self->simulator, now_of (self));
  return G_SOURCE_CONTINUE;
}

static gboolean
load_users (AtlasBackendServer  *self,
            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "SELECT u.id, u.name, u.role, u.token, m.workspace_id, w.name, m.capabilities"
      " FROM users u LEFT JOIN memberships m ON m.user_id = u.id"
      " LEFT JOIN workspaces w ON w.id = m.workspace_id ORDER BY u.id, m.workspace_id");
  User *user = NULL;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (user == NULL || user->id != id)
        {
          user = g_new0 (User, 1);
          user->id = id;
          user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          user->role = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          user->token = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          user->memberships = g_array_new (FALSE, TRUE, sizeof (Membership));
          g_array_set_clear_func (user->memberships, membership_clear);
          g_ptr_array_add (self->users, user);
          if (user->token != NULL)
            g_hash_table_insert (self->users_by_token, user->token, user);
        }
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          Membership m = { 0 };
          g_auto(GStrv) caps = NULL;

          m.workspace_id = sqlite3_column_int64 (stmt, 4);
          m.workspace_name = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
          m.capabilities = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
          caps = g_strsplit (m.capabilities, " ", -1);
          m.caps = (g_strv_contains ((const char * const *) caps, "operations.view") ? CAP_VIEW : 0) |
                   (g_strv_contains ((const char * const *) caps, "review_pack.generate") ? CAP_GENERATE : 0);
          g_array_append_val (user->memberships, m);
        }
    }
  if (self->users->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The database has no users");
      return FALSE;
    }
  return TRUE;
}

static void
atlas_backend_server_dispose (GObject *object)
{
  AtlasBackendServer *self = (AtlasBackendServer *)object;

  atlas_backend_server_stop (self);

  G_OBJECT_CLASS (atlas_backend_server_parent_class)->dispose (object);
}

static void
atlas_backend_server_finalize (GObject *object)
{
  AtlasBackendServer *self = (AtlasBackendServer *)object;

  g_clear_pointer (&self->scenario, g_free);
  g_clear_object (&self->simulator);
  g_clear_object (&self->store);
  g_clear_pointer (&self->users_by_token, g_hash_table_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  g_clear_pointer (&self->overview_cache, g_hash_table_unref);
  g_clear_pointer (&self->counts_cache, g_hash_table_unref);
  g_queue_clear_full (&self->faults, pending_fault_free);

  G_OBJECT_CLASS (atlas_backend_server_parent_class)->finalize (object);
}

static void
atlas_backend_server_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AtlasBackendServer *self = ATLAS_BACKEND_SERVER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_string (value, self->scenario);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_backend_server_class_init (AtlasBackendServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_backend_server_dispose;
  object_class->finalize = atlas_backend_server_finalize;
  object_class->get_property = atlas_backend_server_get_property;

  properties[PROP_SCENARIO] =
    g_param_spec_string ("scenario", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atlas_backend_server_init (AtlasBackendServer *self)
{
  self->users = g_ptr_array_new_with_free_func (user_free);
  self->users_by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->delayed = g_ptr_array_new_with_free_func (delayed_free);
  self->overview_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_body_free);
  self->counts_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_body_free);
  g_queue_init (&self->faults);
}

AtlasBackendServer *
atlas_backend_server_new (const AtlasBackendOptions  *options,
                          GError                    **error)
{
  static const char *scenarios[] = { "demo", "empty", "test", "scale", NULL };
  g_autoptr(AtlasBackendServer) self = NULL;
  const char *scenario = options && options->scenario ? options->scenario : "demo";
  guint64 seed;

  if (!g_strv_contains (scenarios, scenario))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown scenario “%s” (demo, empty, test, scale)", scenario);
      return NULL;
    }

  self = g_object_new (ATLAS_BACKEND_TYPE_SERVER, NULL);
  self->scenario = g_strdup (scenario);
  self->test_control = options ? options->test_control : FALSE;
  seed = options && options->seed ? options->seed : G_GUINT64_CONSTANT (20261122);
  if (strcmp (scenario, "test") == 0)
    {
      self->clock_fixed = TRUE;
      self->clock = TEST_EPOCH;
    }

  if (!(self->store = atlas_backend_store_new (options ? options->db_path : NULL, error)))
    return NULL;
  self->simulator = atlas_backend_simulator_new (self->store, seed);

  if (!atlas_backend_store_is_seeded (self->store))
    {
      gint64 started = g_get_monotonic_time ();

      if (!atlas_backend_simulator_seed (self->simulator, scenario, now_of (self), error))
        return NULL;
      g_debug ("Seeded scenario %s in %.2f s", scenario,
               (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
    }
  else if (!atlas_backend_store_finish_seeding (self->store, NULL, error))
    return NULL;

  if (!load_users (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
atlas_backend_server_start (AtlasBackendServer  *self,
                            const char          *address,
                            guint                port,
                            GError             **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) soup = NULL;
  GSList *uris;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->soup != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The server is already running");
      return FALSE;
    }

  inet = g_inet_address_new_from_string (address ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid address “%s”", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, (guint16) port);

  soup = soup_server_new ("server-header", "atlas-backend/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (soup, NULL, server_callback, self, NULL);
  if (!soup_server_listen (soup, socket_address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (soup);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : 0;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->soup = g_steal_pointer (&soup);

  /* The test scenario has no timers at all: it moves only when asked to. */
  if (strcmp (self->scenario, "test") != 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

void
atlas_backend_server_stop (AtlasBackendServer *self)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->delayed != NULL)
    g_ptr_array_set_size (self->delayed, 0);
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}

gboolean
atlas_backend_server_is_running (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);
  return self->soup != NULL;
}

guint
atlas_backend_server_get_port (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  return self->port;
}

char *
atlas_backend_server_dup_base_url (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), NULL);
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

const char *
atlas_backend_server_get_scenario (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), NULL);
  return self->scenario;
}

const char *
atlas_backend_server_get_token (AtlasBackendServer *self,
                                const char         *role)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), NULL);
  g_return_val_if_fail (role != NULL, NULL);

  for (guint i = 0; i < self->users->len; i++)
    {
      const User *user = g_ptr_array_index (self->users, i);
      if (g_strcmp0 (user->role, role) == 0)
        return user->token;
    }
  return NULL;
}

guint64
atlas_backend_server_get_request_count (AtlasBackendServer *self,
                                        const char         *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  guint64 total = 0;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);

  g_hash_table_iter_init (&iter, self->request_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (path_prefix == NULL || g_str_has_prefix (key, path_prefix))
      total += *(guint64 *) value;
  return total;
}

void
atlas_backend_server_reset_request_counts (AtlasBackendServer *self)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_hash_table_remove_all (self->request_counts);
}

void
atlas_backend_server_set_clock (AtlasBackendServer *self,
                                gint64              unix_seconds)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  self->clock_fixed = TRUE;
  self->clock = unix_seconds;
}

gint64
atlas_backend_server_get_clock (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  return now_of (self);
}

void
atlas_backend_server_advance (AtlasBackendServer *self,
                              gint64              seconds)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_return_if_fail (seconds >= 0);

  if (!self->clock_fixed)
    {
      self->clock_fixed = TRUE;
      self->clock = now_of (self);
    }
  self->clock += seconds;
  atlas_backend_simulator_step (self->simulator, self->clock);
}

void
atlas_backend_server_inject_fault (AtlasBackendServer      *self,
                                   const AtlasBackendFault *fault)
{
  PendingFault *pf;

  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_return_if_fail (fault != NULL);

  pf = g_new0 (PendingFault, 1);
  pf->fault = *fault;
  pf->fault.count = MAX (fault->count, 1);
  pf->retry_after = g_strdup (fault->retry_after);
  pf->path_prefix = g_strdup (fault->path_prefix);
  pf->fault.retry_after = NULL;
  pf->fault.path_prefix = NULL;
  g_queue_push_tail (&self->faults, pf);
}

void
atlas_backend_server_clear_faults (AtlasBackendServer *self)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_queue_clear_full (&self->faults, pending_fault_free);
  g_queue_init (&self->faults);
}

void
atlas_backend_server_set_poll_interval (AtlasBackendServer *self,
                                        guint               seconds)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  self->poll_interval = seconds;
}
