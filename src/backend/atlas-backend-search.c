/* atlas-backend-search.c — the operations list's `q`: tenant name, type label, run number
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include "atlas-backend-private.h"

/* A search is resolved before any run is read: the few hundred tenant names and the
 * handful of types of a workspace are matched in C (Unicode case folding, which SQL's
 * LIKE does not do beyond ASCII), and what matches becomes three bound parameters —
 * tenant ids and types as JSON arrays for json_each(), and a run id. Runs are then
 * selected by `tenant_id IN … OR type IN … OR id = …`, and the tab counts still come
 * from the run_counts aggregate (keyed by tenant and type), plus the one run found by
 * its number. */

static char *
fold (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return normal ? g_utf8_casefold (normal, -1) : g_strdup ("");
}

/* "#42" or "42": a run number. Anything else (or beyond 64 bits) is not one. */
static gint64
run_number (const char *q)
{
  guint64 value;

  if (q[0] == '#')
    q++;
  if (q[0] == '\0' || !g_ascii_isdigit (q[0]) ||
      !g_ascii_string_to_unsigned (q, 10, 1, G_MAXINT64, &value, NULL))
    return 0;
  return (gint64) value;
}

void
atlas_backend_search_clear (AtlasBackendSearch *search)
{
  g_clear_pointer (&search->folded, g_free);
  g_clear_pointer (&search->tenants_json, g_free);
  g_clear_pointer (&search->types_json, g_free);
}

gboolean
atlas_backend_search_init (AtlasBackendSearch  *search,
                           AtlasBackendStore   *store,
                           gint64               workspace_id,
                           const char          *q,
                           Response            *res)
{
  g_autoptr(GString) tenants = g_string_new ("[");
  g_autoptr(GString) types = g_string_new ("[");
  g_autofree char *trimmed = NULL;

  memset (search, 0, sizeof *search);
  if (q == NULL)
    return TRUE;
  if (!g_utf8_validate (q, -1, NULL))
    {
      atlas_backend_respond_error (res, 400, "q must be UTF-8 text");
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (q));
  if (g_utf8_strlen (trimmed, -1) > ATLAS_BACKEND_MAX_SEARCH)
    {
      atlas_backend_respond_error (res, 400, "q must be at most 100 characters");
      return FALSE;
    }
  /* An empty search is no search: the whole list, as without q. */
  if (trimmed[0] == '\0')
    return TRUE;

  search->active = TRUE;
  search->folded = fold (trimmed);
  search->run_id = run_number (trimmed);

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        "SELECT id, name FROM tenants WHERE workspace_id = ?1");
    sqlite3_bind_int64 (stmt, 1, workspace_id);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_autofree char *name = fold ((const char *) sqlite3_column_text (stmt, 1));

        if (strstr (name, search->folded) != NULL)
          g_string_append_printf (tenants, "%s%" G_GINT64_FORMAT, tenants->len > 1 ? "," : "",
                                  (gint64) sqlite3_column_int64 (stmt, 0));
      }
  }
  /* Types present in the workspace, labelled as runs show them (the catalogue, or the
   * label a run of an unknown type was stored with). */
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        "SELECT c.type, (SELECT r.type_label FROM runs r WHERE r.workspace_id = ?1"
        " AND r.type = c.type LIMIT 1) FROM (SELECT DISTINCT type FROM run_counts"
        " WHERE workspace_id = ?1 AND n > 0) c");
    sqlite3_bind_int64 (stmt, 1, workspace_id);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        const char *type = (const char *) sqlite3_column_text (stmt, 0);
        const char *label = atlas_backend_store_type_label (type);
        g_autofree char *folded = NULL;

        if (label == NULL)
          label = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                    ? type : (const char *) sqlite3_column_text (stmt, 1);
        folded = fold (label);
        if (strstr (folded, search->folded) != NULL)
          {
            if (types->len > 1)
              g_string_append_c (types, ',');
            atlas_backend_append_json_string (types, type);
          }
      }
  }
  g_string_append_c (tenants, ']');
  g_string_append_c (types, ']');
  search->tenants_json = g_string_free (g_steal_pointer (&tenants), FALSE);
  search->types_json = g_string_free (g_steal_pointer (&types), FALSE);

  /* How many runs the search finds before any other filter: what the plan depends on. */
  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (store,
        "SELECT coalesce(sum(n), 0) FROM run_counts WHERE workspace_id = ?1"
        " AND (tenant_id IN (SELECT value FROM json_each(?2))"
        "      OR type IN (SELECT value FROM json_each(?3)))");
    sqlite3_bind_int64 (stmt, 1, workspace_id);
    sqlite3_bind_text (stmt, 2, search->tenants_json, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, search->types_json, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      search->matched = sqlite3_column_int64 (stmt, 0) + (search->run_id > 0 ? 1 : 0);
  }
  return TRUE;
}

/* Two plans for the same rows. A search that finds few runs starts from them (by
 * tenant index, type index and id, then sorted); one that finds many walks the list
 * (or the tab's index) in order and keeps what matches, which fills a page quickly
 * because matches are dense. Either plan alone costs 60–300 ms for some searches at
 * 200 000 runs; chosen by `matched`, none measured above 35 ms on the first pages. */
const char *
atlas_backend_search_where (const AtlasBackendSearch *search)
{
  if (search->matched <= ATLAS_BACKEND_SEARCH_SORT_LIMIT)
    return " AND r.id IN (SELECT s.id FROM runs s WHERE s.tenant_id IN (SELECT value FROM json_each(?7))"
           " UNION ALL SELECT s.id FROM runs s WHERE s.workspace_id = ?1"
           " AND s.type IN (SELECT value FROM json_each(?8)) UNION ALL SELECT ?9)";
  return " AND (r.tenant_id IN (SELECT value FROM json_each(?7))"
         " OR r.type IN (SELECT value FROM json_each(?8)) OR r.id = ?9)";
}

void
atlas_backend_search_bind (const AtlasBackendSearch *search,
                           sqlite3_stmt             *stmt,
                           int                       first)
{
  sqlite3_bind_text (stmt, first, search->tenants_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 1, search->types_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, first + 2, search->run_id);
}

/* The aggregate counts runs by tenant and type; the run found by its number alone is
 * added to the tabs it belongs to, once, when it passes the other filters too. */
void
atlas_backend_search_add_run_number (const AtlasBackendSearch *search,
                                     AtlasBackendStore        *store,
                                     gint64                    workspace_id,
                                     gint64                    tenant_id,
                                     const char               *problem_class,
                                     const char               *type,
                                     gint64                    counts[5])
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *status, *pc;

  if (!search->active || search->run_id == 0)
    return;
  stmt = atlas_backend_store_stmt (store,
      "SELECT r.status, coalesce(r.problem_class, '') FROM runs r WHERE r.id = ?1"
      " AND r.workspace_id = ?2 AND (?3 = 0 OR r.tenant_id = ?3)"
      " AND (?4 IS NULL OR r.problem_class = ?4) AND (?5 IS NULL OR r.type = ?5)"
      " AND r.tenant_id NOT IN (SELECT value FROM json_each(?6))"
      " AND r.type NOT IN (SELECT value FROM json_each(?7))");
  sqlite3_bind_int64 (stmt, 1, search->run_id);
  sqlite3_bind_int64 (stmt, 2, workspace_id);
  sqlite3_bind_int64 (stmt, 3, tenant_id);
  if (problem_class)
    sqlite3_bind_text (stmt, 4, problem_class, -1, SQLITE_STATIC);
  if (type)
    sqlite3_bind_text (stmt, 5, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, search->tenants_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, search->types_json, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return;
  status = (const char *) sqlite3_column_text (stmt, 0);
  pc = (const char *) sqlite3_column_text (stmt, 1);
  counts[0]++;
  if (g_strcmp0 (status, "queued") == 0 || g_strcmp0 (status, "running") == 0)
    counts[1]++;
  if (g_strcmp0 (pc, "active_stale_attention") == 0)
    counts[2]++;
  if (g_strcmp0 (pc, "terminal_follow_up") == 0)
    counts[3]++;
  if (g_strcmp0 (status, "completed") == 0)
    counts[4]++;
}
