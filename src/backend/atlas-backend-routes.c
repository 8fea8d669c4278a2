/* atlas-backend-routes.c — the route table and the handlers of Operator API v1
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include "atlas-backend-private.h"

/* Handlers answer into req->res and never touch the SoupServerMessage's response:
 * the pipeline in atlas-backend-server.c adds Date, ETag/304 and faults afterwards. */

/* Memberships are a handful per user: a linear scan beats any index here. */
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
      atlas_backend_respond_error (res, 404, "Workspace not found");
      return NULL;
    }
  if ((m->caps & CAP_VIEW) == 0)
    {
      atlas_backend_respond_error (res, 403, "You don't have permission to view operations");
      return NULL;
    }
  return m;
}

/* A tenant is visible through its workspace; the same 404-before-403 rule applies. */
static const Membership *
require_tenant (AtlasBackendStore  *store,
                const User         *user,
                gint64              tenant_id,
                Response           *res)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
      "SELECT workspace_id FROM tenants WHERE id = ?1");
  const Membership *m = NULL;

  sqlite3_bind_int64 (stmt, 1, tenant_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    m = membership_of (user, sqlite3_column_int64 (stmt, 0));
  if (m == NULL)
    {
      atlas_backend_respond_error (res, 404, "Tenant not found");
      return NULL;
    }
  if ((m->caps & CAP_VIEW) == 0)
    {
      atlas_backend_respond_error (res, 403, "You don't have permission to view operations");
      return NULL;
    }
  return m;
}

/* Steps the statement to its end, so the caller's g_autoptr reset finds it done. */
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

/* workspace_id 0 means any workspace (test control and the review-pack answer). */
gboolean
atlas_backend_append_run_by_id (AtlasBackendStore  *store,
                                GString            *out,
                                gint64              run_id,
                                gint64              workspace_id,
                                gint64              viewer_id)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
      ATLAS_BACKEND_RUN_SELECT "WHERE r.id = ?1 AND (?2 = 0 OR r.workspace_id = ?2)");

  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, workspace_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  atlas_backend_append_run (out, stmt, viewer_id);
  return TRUE;
}

/* The newest pack wins: a queued regeneration replaces the ready one on screen. */
static gboolean
append_latest_pack (AtlasBackendStore  *store,
                    GString            *out,
                    gint64              tenant_id)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
handle_health (AtlasBackendRequest *req)
{
  Response *res = req->res;
  /* No database access: health must answer even when the store is busy. */
  g_string_append (res->body, "{\"status\":\"ok\",\"version\":\"" PACKAGE_VERSION "\"}");
}

/* GET /me */
static void
handle_me (AtlasBackendRequest *req)
{
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  Response *res = req->res;
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
  /* The badge of the app's header: the caller's own unfinished runs. */
  sqlite3_bind_int64 (stmt, 1, user->id);
  sqlite3_step (stmt);
  g_string_append_printf (out, "],\"active_initiated_count\":%" G_GINT64_FORMAT "}}",
                          (gint64) sqlite3_column_int64 (stmt, 0));
}

/* GET /me/notifications?after= */
static void
handle_notifications (AtlasBackendRequest *req)
{
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  GHashTable *query = req->query;
  Response *res = req->res;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = res->body;
  gint64 after;
  gboolean first = TRUE;

  if (!atlas_backend_query_int (query, "after", 0, 0, G_MAXINT64, &after))
    {
      atlas_backend_respond_error (res, 400, "after must be a non-negative integer");
      return;
    }

  /* A cursor, not pages: ids only grow, so "after" never skips or repeats one. The
   * limit keeps a client that was away for days from loading everything at once. */
  stmt = atlas_backend_store_stmt (store,
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

static void append_active_operations (AtlasBackendRequest *req, gint64 workspace_id);

/* GET /workspaces/{ws}/overview */
static void
handle_overview (AtlasBackendRequest *req)
{
  AtlasBackendServer *self = req->self;
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  gint64 workspace_id = req->ids[0];
  Response *res = req->res;
  g_autoptr(GHashTable) failed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GString) tenants = g_string_new (NULL);
  GString *out = res->body;
  gint64 total_active = 0, total_stale = 0, total_failed = 0;
  gint64 now = req->now;

  g_autofree char *cache_key = NULL;
  gint64 changes;
  CachedBody *cached;

  if (!require_workspace (user, workspace_id, res))
    return;

  /* The heaviest body (one card per tenant): reuse it until any row changes or the
   * clock moves (failed_recent is relative to now). */
  changes = req->changes;
  cache_key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, workspace_id, user->id);
  /* Workers share the caches: one lock, held only to look up or store. */
  g_mutex_lock (&self->cache_lock);
  cached = g_hash_table_lookup (self->overview_cache, cache_key);
  if (cached != NULL && cached->changes == changes && cached->now == now)
    {
      g_string_append (out, cached->body);
      g_mutex_unlock (&self->cache_lock);
      return;
    }
  g_mutex_unlock (&self->cache_lock);

  {
    /* failed_recent depends on now, so it cannot live in the trigger aggregate; the
     * completed_at index keeps this to the last day's rows. */
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
        /* needs_attention is the server's call, so every client ranks tenants alike. */
        g_string_append_printf (tenants, ",\"active_count\":%" G_GINT64_FORMAT
                                ",\"stale_active_count\":%" G_GINT64_FORMAT
                                ",\"failed_recent_count\":%" G_GINT64_FORMAT
                                ",\"needs_attention\":%s,\"last_activity_at\":",
                                active, stale, failed_recent,
                                (stale > 0 || failed_recent > 0) ? "true" : "false");
        /* 0 is what the trigger leaves for a tenant that never ran: report "never". */
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
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        ATLAS_BACKEND_RUN_SELECT "WHERE r.workspace_id = ?1 ORDER BY r.created_at DESC, r.id DESC"
        " LIMIT 10");
    sqlite3_bind_int64 (stmt, 1, workspace_id);
    append_runs (out, stmt, user->id);
  }
  append_active_operations (req, workspace_id);
  g_string_append (out, "}}");

  cached = g_new0 (CachedBody, 1);
  cached->changes = changes;
  cached->now = now;
  cached->body = g_strdup (out->str);
  g_mutex_lock (&self->cache_lock);
  g_hash_table_replace (self->overview_cache, g_steal_pointer (&cache_key), cached);
  g_mutex_unlock (&self->cache_lock);
}

/* The tabs of operator-api.md in their order; tab_where[i] narrows the list to tabs[i]. */
#define N_TABS 5
static const char *tabs[N_TABS] = { "all", "active", "active_stale_attention", "terminal_follow_up", "completed" };

/* active_operations: active runs are few, so start from them (the status index), then
 * sort. Walking runs_ws_created instead, as the planner prefers for the ORDER BY,
 * reads all 200 000 runs of `scale` to find a dozen (150 ms against 2 ms). */
#define ACTIVE_WHERE \
  " AND r.id IN (SELECT a.id FROM runs a INDEXED BY runs_ws_status WHERE a.workspace_id = ?1" \
  " AND a.status IN ('queued', 'running'))"

static const char *tab_where[] = {
  "",
  " AND status IN ('queued', 'running')",
  " AND problem_class = 'active_stale_attention'",
  " AND problem_class = 'terminal_follow_up'",
  " AND status = 'completed'",
};
/* The index each tab walks when only the workspace (and problem_class) filter it: its
 * leading columns are the filter, then created_at, so OFFSET steps over index entries
 * only and never reads a row it skips. */
static const char *tab_index_name[] = {
  "runs_ws_created", "runs_ws_status", "runs_ws_problem_id", "runs_ws_problem_id",
  "runs_ws_status",
};

typedef struct
{
  gint64      workspace_id;
  gint64      tenant_id;
  const char *problem_class;
  const char *type;
  guint       tab;
  const AtlasBackendSearch *search;   /* q, or NULL */
} ListFilter;

/* Narrows a deep page to the day it starts in: run_day_counts says how many runs of
 * the list are newer than each UTC day, so the runs of newer days are skipped by a
 * created_at bound instead of by OFFSET. Returns the rows still to skip. */
static gint64
page_window (AtlasBackendStore *store,
             const ListFilter  *filter,
             gint64             offset,
             gint64            *out_before)
{
  g_autoptr(GString) sql = g_string_new ("SELECT day, sum(n) FROM run_day_counts WHERE workspace_id = ?1");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 newer = 0;

  g_string_append (sql, tab_where[filter->tab]);
  if (filter->problem_class)
    g_string_append (sql, " AND problem_class = ?3");
  if (filter->type)
    g_string_append (sql, " AND type = ?4");
  g_string_append (sql, " GROUP BY day HAVING sum(n) > 0 ORDER BY day DESC");
  stmt = atlas_backend_store_stmt (store, sql->str);
  sqlite3_bind_int64 (stmt, 1, filter->workspace_id);
  if (filter->problem_class)
    sqlite3_bind_text (stmt, 3, filter->problem_class, -1, SQLITE_STATIC);
  if (filter->type)
    sqlite3_bind_text (stmt, 4, filter->type, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 1);

      if (newer + n > offset)
        {
          *out_before = (sqlite3_column_int64 (stmt, 0) + 1) * 86400;
          return offset - newer;
        }
      newer += n;
    }
  /* Counts and rows disagree (they cannot, short of a bug): plain OFFSET is still right. */
  *out_before = G_MAXINT64;
  return offset;
}

/* The page's runs, newest first: ids from an index-only scan, then 25–100 rows. */
static void
append_page (AtlasBackendStore *store,
             GString           *out,
             const ListFilter  *filter,
             gint64             offset,
             gint64             per_page,
             gint64             viewer_id)
{
  g_autoptr(GString) sql = g_string_new (ATLAS_BACKEND_RUN_SELECT "WHERE r.id IN (SELECT r.id FROM runs r");
  g_autoptr(sqlite3_stmt) rows = NULL;
  gboolean windowed = filter->tenant_id == 0 && filter->search == NULL;
  gint64 before = G_MAXINT64;

  /* A tenant's list is short (hundreds of runs) and has its own index, and a search
   * plans its own way (atlas-backend-search.c); workspace-wide lists, filtered by type
   * or problem_class or not, can be 200 000 runs deep. */
  if (windowed)
    {
      offset = page_window (store, filter, offset, &before);
      g_string_append_printf (sql, " INDEXED BY %s",
                              filter->type ? "runs_ws_type_id"
                              : filter->problem_class ? "runs_ws_problem_id"
                              : tab_index_name[filter->tab]);
    }
  /* A search on the active tab: the dozen active runs are the place to start, not the
   * 200 000 the planner would walk in created_at order (110 ms for q=e). */
  else if (filter->search != NULL && filter->tab == 1)
    g_string_append (sql, " INDEXED BY runs_ws_status");
  g_string_append (sql, " WHERE workspace_id = ?1");
  g_string_append (sql, tab_where[filter->tab]);
  if (filter->tenant_id)
    g_string_append (sql, " AND tenant_id = ?2");
  if (filter->problem_class)
    g_string_append (sql, " AND problem_class = ?3");
  if (filter->type)
    g_string_append (sql, " AND type = ?4");
  if (filter->search)
    g_string_append (sql, atlas_backend_search_where (filter->search));
  if (windowed)
    g_string_append (sql, " AND created_at < ?7");
  g_string_append (sql, " ORDER BY created_at DESC, id DESC LIMIT ?5 OFFSET ?6)"
                        " ORDER BY r.created_at DESC, r.id DESC");
  /* A handful of distinct SQL texts, each prepared once and cached by the store. */
  rows = atlas_backend_store_stmt (store, sql->str);
  sqlite3_bind_int64 (rows, 1, filter->workspace_id);
  if (filter->tenant_id)
    sqlite3_bind_int64 (rows, 2, filter->tenant_id);
  if (filter->problem_class)
    sqlite3_bind_text (rows, 3, filter->problem_class, -1, SQLITE_STATIC);
  if (filter->type)
    sqlite3_bind_text (rows, 4, filter->type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (rows, 5, per_page);
  sqlite3_bind_int64 (rows, 6, offset);
  if (windowed)
    sqlite3_bind_int64 (rows, 7, before);
  if (filter->search)
    atlas_backend_search_bind (filter->search, rows, 7);
  append_runs (out, rows, viewer_id);
}

/* Tab counts come from the trigger-maintained aggregate, with the same filters,
 * and are reused until any row changes. */
static void
count_tabs (AtlasBackendRequest      *req,
            gint64                    workspace_id,
            gint64                    tenant_id,
            const char               *problem_class,
            const char               *type,
            const AtlasBackendSearch *search,
            gint64                    tab_count[N_TABS])
{
  AtlasBackendServer *self = req->self;
  AtlasBackendStore *store = req->store;
  g_autoptr(sqlite3_stmt) counts = NULL;
  g_autofree char *cache_key = NULL;
  CachedBody *cached;
  gint64 changes = req->changes;
  gboolean counted = FALSE;

  cache_key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s:%s:%s", workspace_id,
                               tenant_id, problem_class ? problem_class : "", type ? type : "",
                               search->active ? search->folded : "");
  /* Workers share the caches: one lock, held only to look up or store. */
  g_mutex_lock (&self->cache_lock);
  cached = g_hash_table_lookup (self->counts_cache, cache_key);
  if (cached != NULL && cached->changes == changes)
    {
      memcpy (tab_count, cached->body, N_TABS * sizeof (gint64));
      counted = TRUE;
    }
  g_mutex_unlock (&self->cache_lock);
  if (!counted)
    {
      counts = atlas_backend_store_stmt (store,
          "SELECT coalesce(sum(n), 0),"
          " coalesce(sum(CASE WHEN status IN ('queued', 'running') THEN n END), 0),"
          " coalesce(sum(CASE WHEN problem_class = 'active_stale_attention' THEN n END), 0),"
          " coalesce(sum(CASE WHEN problem_class = 'terminal_follow_up' THEN n END), 0),"
          " coalesce(sum(CASE WHEN status = 'completed' THEN n END), 0)"
          " FROM run_counts WHERE workspace_id = ?1 AND (?2 = 0 OR tenant_id = ?2)"
          " AND (?3 IS NULL OR problem_class = ?3) AND (?4 IS NULL OR type = ?4)"
          " AND (?5 IS NULL OR tenant_id IN (SELECT value FROM json_each(?5))"
          "      OR type IN (SELECT value FROM json_each(?6)))");
      sqlite3_bind_int64 (counts, 1, workspace_id);
      sqlite3_bind_int64 (counts, 2, tenant_id);
      if (problem_class)
        sqlite3_bind_text (counts, 3, problem_class, -1, SQLITE_STATIC);
      if (type)
        sqlite3_bind_text (counts, 4, type, -1, SQLITE_STATIC);
      if (search->active)
        atlas_backend_search_bind (search, counts, 5);
      if (sqlite3_step (counts) == SQLITE_ROW)
        for (guint i = 0; i < N_TABS; i++)
          tab_count[i] = sqlite3_column_int64 (counts, (int) i);
      /* Tab counts follow q like every other filter. */
      atlas_backend_search_add_run_number (search, store, workspace_id, tenant_id,
                                           problem_class, type, tab_count);
      /* Bounded: many distinct filters must not grow memory without limit. */
      cached = g_new0 (CachedBody, 1);
      cached->changes = changes;
      cached->body = g_memdup2 (tab_count, N_TABS * sizeof (gint64));
      g_mutex_lock (&self->cache_lock);
      if (g_hash_table_size (self->counts_cache) > 4096)
        g_hash_table_remove_all (self->counts_cache);
      g_hash_table_replace (self->counts_cache, g_steal_pointer (&cache_key), cached);
      g_mutex_unlock (&self->cache_lock);
    }
}

/* total is the selected tab's count, so the pager agrees with the tab badge. */
static void
append_page_meta (GString      *out,
                  gint64        page,
                  gint64        per_page,
                  guint         tab_index,
                  const gint64  tab_count[N_TABS])
{
  g_string_append_printf (out, ",\"meta\":{\"page\":%" G_GINT64_FORMAT ",\"per_page\":%"
                          G_GINT64_FORMAT ",\"total\":%" G_GINT64_FORMAT ",\"tab\":\"%s\","
                          "\"tab_counts\":{",
                          page, per_page, tab_count[tab_index], tabs[tab_index]);
  for (guint i = 0; i < N_TABS; i++)
    g_string_append_printf (out, "%s\"%s\":%" G_GINT64_FORMAT, i ? "," : "", tabs[i], tab_count[i]);
  g_string_append (out, "}}");
}

/* What GET …/operations?tab=active&per_page=100 answers, for the overview and the
 * dashboard to carry (operator-api.md, active_operations): the active-operations
 * overlay then needs no request of its own while such a page is shown. */
static void
append_active_operations (AtlasBackendRequest *req,
                          gint64               workspace_id)
{
  g_autoptr(sqlite3_stmt) rows = atlas_backend_store_stmt (req->store,
      ATLAS_BACKEND_RUN_SELECT "WHERE r.workspace_id = ?1" ACTIVE_WHERE
      " ORDER BY r.created_at DESC, r.id DESC LIMIT ?2");
  AtlasBackendSearch none = { 0 };
  gint64 tab_count[N_TABS];

  count_tabs (req, workspace_id, 0, NULL, NULL, &none, tab_count);
  sqlite3_bind_int64 (rows, 1, workspace_id);
  sqlite3_bind_int64 (rows, 2, ATLAS_BACKEND_MAX_ACTIVE_OPERATIONS);
  g_string_append (req->res->body, ",\"active_operations\":{\"data\":");
  append_runs (req->res->body, rows, req->user->id);
  append_page_meta (req->res->body, 1, ATLAS_BACKEND_MAX_ACTIVE_OPERATIONS, 1, tab_count);
  g_string_append_c (req->res->body, '}');
}

/* GET /workspaces/{ws}/operations */
static void
handle_operations (AtlasBackendRequest *req)
{
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  gint64 workspace_id = req->ids[0];
  GHashTable *query = req->query;
  Response *res = req->res;
  const char *tab = query ? g_hash_table_lookup (query, "tab") : NULL;
  const char *problem_class = query ? g_hash_table_lookup (query, "problem_class") : NULL;
  const char *type = query ? g_hash_table_lookup (query, "type") : NULL;
  const char *tenant_text = query ? g_hash_table_lookup (query, "tenant_id") : NULL;
  g_auto(AtlasBackendSearch) search = { 0 };
  gint64 tab_count[G_N_ELEMENTS (tabs)] = { 0 };
  gint64 tenant_id = 0;
  gint64 page, per_page;
  guint tab_index = 0;
  GString *out = res->body;

  if (!require_workspace (user, workspace_id, res))
    return;

  /* Every parameter is checked before any SQL runs: a bad one is 400, never a guess. */
  if (tab != NULL)
    {
      for (tab_index = 0; tab_index < G_N_ELEMENTS (tabs); tab_index++)
        if (strcmp (tab, tabs[tab_index]) == 0)
          break;
      if (tab_index == G_N_ELEMENTS (tabs))
        {
          atlas_backend_respond_error (res, 400, "Unknown tab");
          return;
        }
    }
  if (!atlas_backend_query_int (query, "page", 1, 1, 1000000, &page) ||
      !atlas_backend_query_int (query, "per_page", 25, 1, 100, &per_page))
    {
      atlas_backend_respond_error (res, 400, "page must be ≥ 1 and per_page between 1 and 100");
      return;
    }
  if (tenant_text != NULL && !atlas_backend_parse_id (tenant_text, &tenant_id))
    {
      atlas_backend_respond_error (res, 400, "tenant_id must be a positive integer");
      return;
    }
  if (problem_class != NULL && strcmp (problem_class, "active_stale_attention") != 0 &&
      strcmp (problem_class, "terminal_follow_up") != 0)
    {
      atlas_backend_respond_error (res, 400, "Unknown problem_class");
      return;
    }
  /* type is free text bound as a parameter; the cap keeps cache keys small. */
  if (type != NULL && (strlen (type) > 64 || !g_utf8_validate (type, -1, NULL)))
    {
      atlas_backend_respond_error (res, 400, "Invalid type");
      return;
    }
  if (!atlas_backend_search_init (&search, store, workspace_id,
                                  query ? g_hash_table_lookup (query, "q") : NULL, res))
    return;

  count_tabs (req, workspace_id, tenant_id, problem_class, type, &search, tab_count);

  /* A page past the tab count is answered from that count without touching the runs. */
  g_string_append (out, "{\"data\":");
  if ((page - 1) * per_page >= tab_count[tab_index])
    g_string_append (out, "[]");
  else
    {
      ListFilter filter = { workspace_id, tenant_id, problem_class, type, tab_index,
                            search.active ? &search : NULL };
      append_page (store, out, &filter, (page - 1) * per_page, per_page, user->id);
    }
  append_page_meta (out, page, per_page, tab_index, tab_count);
  g_string_append_c (out, '}');
}

/* GET /workspaces/{ws}/operations/{run} */
static void
handle_run (AtlasBackendRequest *req)
{
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  gint64 workspace_id = req->ids[0];
  gint64 run_id = req->ids[1];
  Response *res = req->res;
  if (!require_workspace (user, workspace_id, res))
    return;
  /* A run of another workspace is "not found" here, even for a member of that one. */
  g_string_append (res->body, "{\"data\":");
  if (!atlas_backend_append_run_by_id (store, res->body, run_id, workspace_id, user->id))
    {
      atlas_backend_respond_error (res, 404, "Operation not found");
      return;
    }
  g_string_append_c (res->body, '}');
}

/* GET /tenants/{tenant}/dashboard */
static void
handle_dashboard (AtlasBackendRequest *req)
{
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  gint64 tenant_id = req->ids[0];
  Response *res = req->res;
  GString *out = res->body;
  gint64 now = req->now;
  gint64 active = 0, stale = 0;
  const Membership *m = require_tenant (store, user, tenant_id, res);

  if (m == NULL)
    return;

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
  /* Live counts from the aggregate; the 7-day outcomes below depend on now. */
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        ATLAS_BACKEND_RUN_SELECT "WHERE r.tenant_id = ?1 AND ((r.problem_class ="
        " 'active_stale_attention' AND r.status IN ('queued', 'running')) OR"
        " (r.problem_class = 'terminal_follow_up' AND r.completed_at >= ?2))"
        " ORDER BY r.created_at DESC, r.id DESC LIMIT 20");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    sqlite3_bind_int64 (stmt, 2, now - WEEK_SECONDS);
    /* Stale active runs, plus recent terminal ones that ended badly and need a look. */
    g_string_append (out, ",\"needs_attention\":");
    append_runs (out, stmt, user->id);
  }
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        ATLAS_BACKEND_RUN_SELECT "WHERE r.tenant_id = ?1 ORDER BY r.created_at DESC, r.id DESC"
        " LIMIT 10");
    sqlite3_bind_int64 (stmt, 1, tenant_id);
    g_string_append (out, ",\"recent_operations\":");
    append_runs (out, stmt, user->id);
  }
  g_string_append (out, ",\"review_pack\":");
  append_latest_pack (store, out, tenant_id);
  /* The whole workspace's active runs: the overlay shows them on every page. */
  append_active_operations (req, m->workspace_id);
  g_string_append (out, "}}");
}

/* GET /tenants/{tenant}/review-pack */
static void
handle_pack_get (AtlasBackendRequest *req)
{
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  gint64 tenant_id = req->ids[0];
  Response *res = req->res;
  if (!require_tenant (store, user, tenant_id, res))
    return;
  g_string_append (res->body, "{\"data\":");
  append_latest_pack (store, res->body, tenant_id);
  g_string_append_c (res->body, '}');
}

/* POST /tenants/{tenant}/review-packs */
static void
handle_pack_post (AtlasBackendRequest *req)
{
  AtlasBackendServer *self = req->self;
  AtlasBackendStore *store = req->store;
  const User *user = req->user;
  gint64 tenant_id = req->ids[0];
  SoupServerMessage *msg = req->msg;
  Response *res = req->res;
  const Membership *m = require_tenant (store, user, tenant_id, res);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pack_id = 0, run_id = 0;
  gboolean deduped = FALSE;
  GString *out = res->body;

  if (m == NULL)
    return;
  /* Viewing is not enough to start work: generation has its own capability. */
  if ((m->caps & CAP_GENERATE) == 0)
    {
      atlas_backend_respond_error (res, 403, "You don't have permission to generate review packs");
      return;
    }
  if (!(body = atlas_backend_parse_body (msg, TRUE, &error)))
    {
      atlas_backend_respond_gerror (res, error);
      return;
    }

  /* Idempotent by state: while a pack is in flight, a second click joins it (200,
   * deduped) instead of queueing a duplicate run. */
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
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
      spec.created_at = req->now;
      spec.lifecycle_window = 300;
      spec.summary_counts = "{}";
      spec.initiator_id = user->id;
      spec.sim_mode = "run";
      spec.sim_delay = 2;
      spec.sim_total = 6;
      spec.sim_rate = 0.5;
      spec.sim_stall_at = -1;
      /* Seeded randomness: one pack in ten fails, the same ones on every run. */
      spec.sim_outcome = g_rand_int_range (rand, 0, 100) < 90 ? "succeeded" : "failed";

      /* Run and pack appear together or not at all. */
      atlas_backend_store_exec (store, "BEGIN", NULL);
      run_id = atlas_backend_store_insert_run (store, &spec, &error);
      insert = atlas_backend_store_stmt (store,
          "INSERT INTO review_packs (workspace_id, tenant_id, status, operation_run_id, created_at)"
          " VALUES (?1, ?2, 'queued', ?3, ?4)");
      sqlite3_bind_int64 (insert, 1, m->workspace_id);
      sqlite3_bind_int64 (insert, 2, tenant_id);
      sqlite3_bind_int64 (insert, 3, run_id);
      sqlite3_bind_int64 (insert, 4, spec.created_at);
      if (run_id == 0 || sqlite3_step (insert) != SQLITE_DONE)
        {
          atlas_backend_store_exec (store, "ROLLBACK", NULL);
          atlas_backend_respond_error (res, 500, "Cannot queue review pack");
          return;
        }
      pack_id = sqlite3_last_insert_rowid (atlas_backend_store_get_db (store));
      atlas_backend_store_exec (store, "COMMIT", NULL);
    }

  /* 202: accepted, work continues in the run the answer points to. */
  res->status = deduped ? 200 : 202;
  g_string_append (out, "{\"data\":{\"review_pack\":");
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        "SELECT " ATLAS_BACKEND_PACK_COLUMNS "FROM review_packs p WHERE p.id = ?1");
    sqlite3_bind_int64 (stmt, 1, pack_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      atlas_backend_append_pack (out, stmt, 0);
    else
      g_string_append (out, "null");
  }
  g_string_append (out, ",\"run\":");
  if (!atlas_backend_append_run_by_id (store, out, run_id, 0, user->id))
    g_string_append (out, "null");
  g_string_append_printf (out, "},\"meta\":{\"deduped\":%s}}", deduped ? "true" : "false");
}

/* GET /tenants/{tenant}/review-packs/{pack}/file — a ready pack's file, as stored when
 * it became ready. Another tenant's pack, an expired one (its file is deleted) and one
 * not ready yet are all 404: from here they do not exist. */
static void
handle_pack_file (AtlasBackendRequest *req)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Response *res = req->res;

  if (!require_tenant (req->store, req->user, req->ids[0], res))
    return;
  stmt = atlas_backend_store_stmt (req->store,
      "SELECT f.file_name, f.content_type, f.content FROM review_pack_files f"
      " JOIN review_packs p ON p.id = f.pack_id"
      " WHERE p.id = ?1 AND p.tenant_id = ?2 AND p.status = 'ready' AND p.expires_at > ?3");
  sqlite3_bind_int64 (stmt, 1, req->ids[1]);
  sqlite3_bind_int64 (stmt, 2, req->ids[0]);
  sqlite3_bind_int64 (stmt, 3, req->now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      atlas_backend_respond_error (res, 404, "Review pack file not found");
      return;
    }
  /* Static strings: the Response outlives this statement. */
  res->content_type = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "application/pdf") == 0
                      ? "application/pdf" : "application/octet-stream";
  g_strlcpy (res->filename, (const char *) sqlite3_column_text (stmt, 0), sizeof res->filename);
  g_string_append_len (res->body, sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
}

/* Routes with the same pattern are listed together; the first one's public flag and
 * id messages apply to the pattern. Add a route by adding a line. max_body is what
 * the pipeline lets in before it reads a byte of the body (413 above it); on_main
 * keeps writers (and health, which reads nothing) off the worker pool. */
static const AtlasBackendRoute routes[] = {
  { "health",                      "GET",  TRUE,  handle_health,        0, { NULL }, TRUE },
  { "me",                          "GET",  FALSE, handle_me,            0 },
  { "me/notifications",            "GET",  FALSE, handle_notifications, 0 },
  { "workspaces/{}/overview",      "GET",  FALSE, handle_overview,      0,
    { "Invalid workspace id" }, FALSE, TRUE },
  { "workspaces/{}/operations",    "GET",  FALSE, handle_operations,    0,
    { "Invalid workspace id" } },
  { "workspaces/{}/operations/{}", "GET",  FALSE, handle_run,           0,
    { "Invalid workspace id", "Invalid operation id" } },
  { "tenants/{}/dashboard",        "GET",  FALSE, handle_dashboard,     0,
    { "Invalid tenant id" } },
  { "tenants/{}/review-pack",      "GET",  FALSE, handle_pack_get,      0,
    { "Invalid tenant id" } },
  { "tenants/{}/review-packs",     "POST", FALSE, handle_pack_post,     MAX_BODY_BYTES,
    { "Invalid tenant id" }, TRUE, FALSE, TRUE },
  { "tenants/{}/review-packs/{}/file", "GET", FALSE, handle_pack_file, 0,
    { "Invalid tenant id", "Invalid review pack id" } },
};

/* Test control has its own table; to the pipeline it is one public, writing route. */
static const AtlasBackendRoute test_control_route = {
  "_test", "*", TRUE, atlas_backend_handle_test_control, MAX_BODY_BYTES, { NULL }, TRUE, FALSE, TRUE
};

/* Literal segments must be equal; "{}" takes any one segment (checked as an id later). */
static gboolean
route_matches (const AtlasBackendRoute  *route,
               char                    **segs,
               guint                     n,
               guint                     id_at[2],
               guint                    *n_ids)
{
  const char *p = route->pattern;
  guint i;

  *n_ids = 0;
  for (i = 0; *p != '\0' && i < n; i++)
    {
      const char *end = strchr (p, '/');
      gsize len = end ? (gsize) (end - p) : strlen (p);

      if (len == 2 && p[0] == '{' && p[1] == '}' && *n_ids < 2)
        id_at[(*n_ids)++] = i;
      else if (strlen (segs[i]) != len || strncmp (segs[i], p, len) != 0)
        return FALSE;
      p += len + (end ? 1 : 0);
    }
  return *p == '\0' && i == n;
}

static gboolean
method_matches (const AtlasBackendRoute *route,
                const char              *method)
{
  if (strcmp (route->method, method) == 0)
    return TRUE;
  return strcmp (route->method, "GET") == 0 && strcmp (method, "HEAD") == 0;
}

/* Query strings are decoded here, not by libsoup's soup_form_decode: that one turns
 * %00 into the end of the string (page=1%00 read as 1) and lets a repeated name
 * silently replace the first. Both are 400 here. */
static GHashTable *
parse_query (const char  *raw,
             const char **problem)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = NULL;

  if (raw == NULL || *raw == '\0')
    return g_steal_pointer (&query);
  pairs = g_strsplit (raw, "&", 0);
  if (g_strv_length (pairs) > 32)
    {
      *problem = "Too many query parameters";
      return NULL;
    }
  for (guint i = 0; pairs[i]; i++)
    {
      char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*pairs[i] == '\0')
        continue;
      if (eq != NULL)
        *eq = '\0';
      g_strdelimit (pairs[i], "+", ' ');
      if (eq != NULL)
        g_strdelimit (eq + 1, "+", ' ');
      /* NULL for a bad escape or an escaped NUL. */
      name = g_uri_unescape_string (pairs[i], NULL);
      value = g_uri_unescape_string (eq ? eq + 1 : "", NULL);
      if (name == NULL || value == NULL || !g_utf8_validate (name, -1, NULL) ||
          !g_utf8_validate (value, -1, NULL))
        {
          *problem = "Malformed query string";
          return NULL;
        }
      if (g_hash_table_contains (query, name))
        {
          *problem = "A query parameter is repeated";
          return NULL;
        }
      g_hash_table_insert (query, g_steal_pointer (&name), g_steal_pointer (&value));
    }
  return g_steal_pointer (&query);
}

/* Counts header lines, not values: libsoup joins or replaces repeats, so two tokens
 * would otherwise be read as one ("the last wins"). */
static guint
count_header (SoupMessageHeaders *headers,
              const char         *name)
{
  SoupMessageHeadersIter iter;
  const char *key, *value;
  guint n = 0;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &key, &value))
    if (g_ascii_strcasecmp (key, name) == 0)
      n++;
  return n;
}

void
atlas_backend_request_clear (AtlasBackendRequest *req)
{
  g_clear_pointer (&req->segs, g_strfreev);
  g_clear_pointer (&req->query, g_hash_table_unref);
}

const AtlasBackendRoute *
atlas_backend_resolve (AtlasBackendServer  *self,
                       SoupServerMessage   *msg,
                       const char          *path,
                       AtlasBackendRequest *req,
                       Response            *res)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const AtlasBackendRoute *shape = NULL;
  const char *problem = NULL;
  guint n, n_ids = 0, id_at[2] = { 0 };

  memset (req, 0, sizeof *req);
  req->self = self;
  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->res = res;
  req->store = self->store;
  req->now = atlas_backend_server_now (self);
  /* All writes go through the main connection, so its change counter is the
   * database's version; cached bodies are keyed by it. */
  req->changes = sqlite3_total_changes (atlas_backend_store_get_db (self->store));

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      atlas_backend_respond_error (res, 404, "Not found");
      return NULL;
    }
  if (count_header (headers, "Authorization") > 1)
    {
      atlas_backend_respond_error (res, 400, "Send one Authorization header, not several");
      return NULL;
    }
  req->query = parse_query (g_uri_get_query (soup_server_message_get_uri (msg)), &problem);
  if (req->query == NULL)
    {
      atlas_backend_respond_error (res, 400, problem);
      return NULL;
    }
  /* At most 8 pieces: a path with more never matches, however long it is. */
  req->segs = g_strsplit (path + strlen (API_PREFIX "/"), "/", 8);
  n = g_strv_length (req->segs);

  /* Without test control, _test does not exist at all (404, not 401 or 403). */
  if (strcmp (req->segs[0], "_test") == 0)
    {
      if (!self->test_control)
        {
          atlas_backend_respond_error (res, 404, "Not found");
          return NULL;
        }
      return &test_control_route;
    }

  /* Nine routes: a linear scan is cheaper than any structure built for them. */
  for (guint i = 0; i < G_N_ELEMENTS (routes) && shape == NULL; i++)
    if (route_matches (&routes[i], req->segs, n, id_at, &n_ids))
      shape = &routes[i];

  /* Without a token nothing but public routes exists: unknown paths are 401 too. */
  if (shape == NULL || !shape->public)
    {
      req->user = atlas_backend_authenticate (self, msg);
      if (req->user == NULL)
        {
          atlas_backend_respond_error (res, 401, "A valid bearer token is required");
          return NULL;
        }
    }
  if (shape == NULL)
    {
      atlas_backend_respond_error (res, 404, "Not found");
      return NULL;
    }

  /* A malformed id is 400 even before the method is checked, as the ladder did. */
  for (guint k = 0; k < n_ids; k++)
    if (!atlas_backend_parse_id (req->segs[id_at[k]], &req->ids[k]))
      {
        atlas_backend_respond_error (res, 400, shape->bad_id[k]);
        return NULL;
      }

  for (const AtlasBackendRoute *r = shape; r < routes + G_N_ELEMENTS (routes); r++)
    {
      if (strcmp (r->pattern, shape->pattern) != 0)
        break;
      if (method_matches (r, req->method))
        return r;
    }
  /* One method per pattern today; Allow lists the first. */
  res->allow = shape->method;
  {
    g_autofree char *message = g_strdup_printf ("Use %s", shape->method);
    atlas_backend_respond_error (res, 405, message);
  }
  return NULL;
}
