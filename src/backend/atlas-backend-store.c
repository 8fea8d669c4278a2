/* atlas-backend-store.c — SQLite schema, indexes, triggers and cached statements
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include "atlas-backend-json.h"
#include "atlas-backend-store.h"

struct _AtlasBackendStore
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *stmts;   /* SQL text → sqlite3_stmt */
};

G_DEFINE_FINAL_TYPE (AtlasBackendStore, atlas_backend_store, G_TYPE_OBJECT)

/* Tables only; indexes and triggers come after seeding, which is much faster for a
 * bulk load (the "scale" scenario writes 200 000 runs). */
static const char schema_tables[] =
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE IF NOT EXISTS workspaces (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
  "  role TEXT, token TEXT UNIQUE);"
  "CREATE TABLE IF NOT EXISTS memberships (user_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL,"
  "  capabilities TEXT NOT NULL, PRIMARY KEY (user_id, workspace_id));"
  "CREATE TABLE IF NOT EXISTS tenants (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL,"
  "  name TEXT NOT NULL, last_activity_at INTEGER);"
  "CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL,"
  "  tenant_id INTEGER NOT NULL, type TEXT NOT NULL, type_label TEXT NOT NULL,"
  "  status TEXT NOT NULL, outcome TEXT, freshness TEXT, problem_class TEXT,"
  "  created_at INTEGER NOT NULL, started_at INTEGER, completed_at INTEGER,"
  "  last_progress_at INTEGER, lifecycle_window INTEGER NOT NULL,"
  "  summary_counts TEXT NOT NULL DEFAULT '{}', failure_summary TEXT NOT NULL DEFAULT '[]',"
  "  initiator_id INTEGER, reconciled_at INTEGER, reconcile_reason TEXT, previous_status TEXT,"
  "  sim_mode TEXT NOT NULL DEFAULT 'frozen', sim_delay INTEGER NOT NULL DEFAULT 0,"
  "  sim_rate REAL NOT NULL DEFAULT 1, sim_total INTEGER NOT NULL DEFAULT 0,"
  "  sim_stall_at INTEGER NOT NULL DEFAULT -1, sim_outcome TEXT);"
  "CREATE TABLE IF NOT EXISTS review_packs (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL,"
  "  tenant_id INTEGER NOT NULL, status TEXT NOT NULL, operation_run_id INTEGER,"
  "  generated_at INTEGER, expires_at INTEGER, file_size INTEGER, download_url TEXT,"
  "  created_at INTEGER NOT NULL);"
  /* The file of a ready pack (atlas-backend-pack-file.c), written once when it is ready. */
  "CREATE TABLE IF NOT EXISTS review_pack_files (pack_id INTEGER PRIMARY KEY,"
  "  file_name TEXT NOT NULL, content_type TEXT NOT NULL, content BLOB NOT NULL);"
  "CREATE TABLE IF NOT EXISTS notifications (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,"
  "  run_id INTEGER NOT NULL UNIQUE, workspace_id INTEGER NOT NULL, tenant_id INTEGER NOT NULL,"
  "  outcome TEXT, title TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL);"
  /* Aggregate kept by triggers: tab counts and tenant cards read a few thousand rows
   * here instead of scanning every run. problem_class NULL is stored as ''. */
  "CREATE TABLE IF NOT EXISTS run_counts (workspace_id INTEGER NOT NULL, tenant_id INTEGER NOT NULL,"
  "  type TEXT NOT NULL, status TEXT NOT NULL, problem_class TEXT NOT NULL, n INTEGER NOT NULL,"
  "  PRIMARY KEY (workspace_id, tenant_id, type, status, problem_class)) WITHOUT ROWID;"
  /* Runs per workspace, UTC day of created_at, type, status and problem_class: a deep page
   * finds the day it starts in by adding up at most a few hundred of these instead of
   * stepping over every newer run (see page_window () in atlas-backend-routes.c). */
  "CREATE TABLE IF NOT EXISTS run_day_counts (workspace_id INTEGER NOT NULL, day INTEGER NOT NULL,"
  "  type TEXT NOT NULL, status TEXT NOT NULL, problem_class TEXT NOT NULL, n INTEGER NOT NULL,"
  "  PRIMARY KEY (workspace_id, day, type, status, problem_class)) WITHOUT ROWID;";

static const char schema_indexes[] =
  "CREATE INDEX IF NOT EXISTS runs_ws_created ON runs (workspace_id, created_at);"
  "CREATE INDEX IF NOT EXISTS runs_ws_status ON runs (workspace_id, status, created_at);"
  /* Covering for the list filters, so skipping rows never reads the table; id right
   * after created_at keeps the list order (created_at, id) the index order. */
  "CREATE INDEX IF NOT EXISTS runs_ws_problem_id ON runs (workspace_id, problem_class,"
  "  created_at, id, status);"
  "CREATE INDEX IF NOT EXISTS runs_ws_type_id ON runs (workspace_id, type, created_at, id,"
  "  status, problem_class);"
  "CREATE INDEX IF NOT EXISTS runs_ws_completed ON runs (workspace_id, completed_at);"
  "CREATE INDEX IF NOT EXISTS runs_tenant_created ON runs (tenant_id, created_at);"
  "CREATE INDEX IF NOT EXISTS runs_tenant_completed ON runs (tenant_id, completed_at);"
  "CREATE INDEX IF NOT EXISTS runs_status ON runs (status);"
  "CREATE INDEX IF NOT EXISTS runs_initiator ON runs (initiator_id, status);"
  "CREATE INDEX IF NOT EXISTS tenants_ws ON tenants (workspace_id, name);"
  "CREATE INDEX IF NOT EXISTS packs_tenant ON review_packs (tenant_id, id);"
  "CREATE INDEX IF NOT EXISTS packs_status ON review_packs (status);"
  "CREATE INDEX IF NOT EXISTS notifications_user ON notifications (user_id, id);"
  "CREATE TRIGGER IF NOT EXISTS runs_counts_ins AFTER INSERT ON runs BEGIN"
  "  INSERT INTO run_counts VALUES (NEW.workspace_id, NEW.tenant_id, NEW.type, NEW.status,"
  "    coalesce(NEW.problem_class, ''), 1)"
  "    ON CONFLICT (workspace_id, tenant_id, type, status, problem_class) DO UPDATE SET n = n + 1;"
  "  UPDATE tenants SET last_activity_at = max(coalesce(last_activity_at, 0), NEW.created_at,"
  "    coalesce(NEW.started_at, 0), coalesce(NEW.last_progress_at, 0), coalesce(NEW.completed_at, 0))"
  "    WHERE id = NEW.tenant_id;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS runs_counts_del AFTER DELETE ON runs BEGIN"
  "  UPDATE run_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id"
  "    AND tenant_id = OLD.tenant_id AND type = OLD.type AND status = OLD.status"
  "    AND problem_class = coalesce(OLD.problem_class, '');"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS runs_counts_upd AFTER UPDATE ON runs BEGIN"
  "  UPDATE run_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id"
  "    AND tenant_id = OLD.tenant_id AND type = OLD.type AND status = OLD.status"
  "    AND problem_class = coalesce(OLD.problem_class, '');"
  "  INSERT INTO run_counts VALUES (NEW.workspace_id, NEW.tenant_id, NEW.type, NEW.status,"
  "    coalesce(NEW.problem_class, ''), 1)"
  "    ON CONFLICT (workspace_id, tenant_id, type, status, problem_class) DO UPDATE SET n = n + 1;"
  "  UPDATE tenants SET last_activity_at = max(coalesce(last_activity_at, 0), NEW.created_at,"
  "    coalesce(NEW.started_at, 0), coalesce(NEW.last_progress_at, 0), coalesce(NEW.completed_at, 0))"
  "    WHERE id = NEW.tenant_id;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS runs_days_ins AFTER INSERT ON runs BEGIN"
  "  INSERT INTO run_day_counts VALUES (NEW.workspace_id, NEW.created_at / 86400, NEW.type,"
  "    NEW.status, coalesce(NEW.problem_class, ''), 1)"
  "    ON CONFLICT (workspace_id, day, type, status, problem_class) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS runs_days_del AFTER DELETE ON runs BEGIN"
  "  UPDATE run_day_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id"
  "    AND day = OLD.created_at / 86400 AND type = OLD.type AND status = OLD.status"
  "    AND problem_class = coalesce(OLD.problem_class, '');"
  "END;"
  /* Only the columns it counts: progress updates every second do not touch it. */
  "CREATE TRIGGER IF NOT EXISTS runs_days_upd AFTER UPDATE OF workspace_id, created_at, type,"
  "  status, problem_class ON runs BEGIN"
  "  UPDATE run_day_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id"
  "    AND day = OLD.created_at / 86400 AND type = OLD.type AND status = OLD.status"
  "    AND problem_class = coalesce(OLD.problem_class, '');"
  "  INSERT INTO run_day_counts VALUES (NEW.workspace_id, NEW.created_at / 86400, NEW.type,"
  "    NEW.status, coalesce(NEW.problem_class, ''), 1)"
  "    ON CONFLICT (workspace_id, day, type, status, problem_class) DO UPDATE SET n = n + 1;"
  "END;";

static const char rebuild_day_counts[] =
  "DELETE FROM run_day_counts;"
  "INSERT INTO run_day_counts SELECT workspace_id, created_at / 86400, type, status,"
  "  coalesce(problem_class, ''), count(*) FROM runs"
  "  GROUP BY workspace_id, created_at / 86400, type, status, coalesce(problem_class, '');";

static const char rebuild_aggregates[] =
  "DELETE FROM run_counts;"
  "INSERT INTO run_counts SELECT workspace_id, tenant_id, type, status,"
  "  coalesce(problem_class, ''), count(*) FROM runs"
  "  GROUP BY workspace_id, tenant_id, type, status, coalesce(problem_class, '');"
  "UPDATE tenants SET last_activity_at = (SELECT max(max(created_at, coalesce(started_at, 0),"
  "  coalesce(last_progress_at, 0), coalesce(completed_at, 0))) FROM runs"
  "  WHERE runs.tenant_id = tenants.id);";

static const struct { const char *type; const char *label; } type_catalogue[] = {
  { "baseline_compare", "Baseline compare" },
  { "inventory_sync", "Inventory sync" },
  { "policy_backup", "Policy backup" },
  { "compliance_snapshot", "Compliance snapshot" },
  { "drift_detection", "Drift detection" },
  { "restore_policies", "Restore policies" },
  { "review_pack_generate", "Review pack generation" },
};

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
}

const char *
atlas_backend_store_type_label (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_catalogue); i++)
    if (g_strcmp0 (type_catalogue[i].type, type) == 0)
      return type_catalogue[i].label;
  return NULL;
}

static void
stmt_finalize (gpointer data)
{
  sqlite3_finalize (data);
}

static void
atlas_backend_store_finalize (GObject *object)
{
  AtlasBackendStore *self = (AtlasBackendStore *)object;

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  self->db = NULL;

  G_OBJECT_CLASS (atlas_backend_store_parent_class)->finalize (object);
}

static void
atlas_backend_store_class_init (AtlasBackendStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atlas_backend_store_finalize;
}

static void
atlas_backend_store_init (AtlasBackendStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       stmt_finalize);
}

AtlasBackendStore *
atlas_backend_store_new (const char  *path,
                         GError     **error)
{
  g_autoptr(AtlasBackendStore) self = g_object_new (ATLAS_BACKEND_TYPE_STORE, NULL);

  if (sqlite3_open_v2 (path ? path : ":memory:", &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "Cannot open database");
      return NULL;
    }

  /* Readers in WAL mode never block the writer; the timeout covers checkpoints. */
  sqlite3_busy_timeout (self->db, 5000);
  if (!atlas_backend_store_exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                 "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-32768;", error) ||
      !atlas_backend_store_exec (self, schema_tables, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* A worker's connection: read-only, so it can never take the write lock the main
 * connection needs; in WAL mode it reads the last commit while a write goes on. */
AtlasBackendStore *
atlas_backend_store_new_reader (const char  *path,
                                GError     **error)
{
  g_autoptr(AtlasBackendStore) self = g_object_new (ATLAS_BACKEND_TYPE_STORE, NULL);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "Cannot open database for reading");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!atlas_backend_store_exec (self, "PRAGMA query_only=1; PRAGMA cache_size=-16384;", error))
    return NULL;
  return g_steal_pointer (&self);
}

sqlite3 *
atlas_backend_store_get_db (AtlasBackendStore *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_STORE (self), NULL);
  return self->db;
}

gboolean
atlas_backend_store_exec (AtlasBackendStore  *self,
                          const char         *sql,
                          GError            **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQL failed: %s",
                   message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Prepared once per distinct SQL text, then reused; the caller resets (g_autoptr). */
sqlite3_stmt *
atlas_backend_store_stmt (AtlasBackendStore *self,
                          const char        *sql)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->stmts, sql);
  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        g_error ("Cannot prepare statement: %s\n%s", sqlite3_errmsg (self->db), sql);
      g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
    }
  return stmt;
}

gboolean
atlas_backend_store_is_seeded (AtlasBackendStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self,
      "SELECT value FROM meta WHERE key = 'scenario'");

  return sqlite3_step (stmt) == SQLITE_ROW;
}

gboolean
atlas_backend_store_finish_seeding (AtlasBackendStore  *self,
                                    const char         *scenario,
                                    GError            **error)
{
  if (scenario != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self,
          "INSERT OR REPLACE INTO meta (key, value) VALUES ('scenario', ?1)");

      sqlite3_bind_text (stmt, 1, scenario, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_sqlite_error (error, self->db, "Cannot record scenario");
          return FALSE;
        }
    }
  /* Indexes first: the aggregate rebuild below looks runs up per tenant. */
  if (!atlas_backend_store_exec (self, schema_indexes, error))
    return FALSE;
  if (scenario != NULL && !atlas_backend_store_exec (self, rebuild_aggregates, error))
    return FALSE;
  /* Seeding, or a database written before the day counts existed. */
  {
    sqlite3_stmt *stmt = atlas_backend_store_stmt (self,
        "SELECT EXISTS (SELECT 1 FROM runs) AND NOT EXISTS (SELECT 1 FROM run_day_counts)");
    gboolean missing = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0);

    atlas_backend_stmt_release (stmt);
    if (missing && !atlas_backend_store_exec (self, rebuild_day_counts, error))
      return FALSE;
  }
  return atlas_backend_store_exec (self, "ANALYZE;", error);
}

static void
bind_optional_int (sqlite3_stmt *stmt,
                   int           col,
                   gint64        value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, value);
}

static void
bind_optional_text (sqlite3_stmt *stmt,
                    int           col,
                    const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, value, -1, SQLITE_STATIC);
}

gint64
atlas_backend_store_insert_run (AtlasBackendStore          *self,
                                const AtlasBackendRunSpec  *spec,
                                GError                    **error)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self,
      "INSERT INTO runs (id, workspace_id, tenant_id, type, type_label, status, outcome,"
      " freshness, problem_class, created_at, started_at, completed_at, last_progress_at,"
      " lifecycle_window, summary_counts, failure_summary, initiator_id, reconciled_at,"
      " reconcile_reason, previous_status, sim_mode, sim_delay, sim_rate, sim_total,"
      " sim_stall_at, sim_outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
      " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)");
  const char *label = spec->type_label;

  if (label == NULL)
    label = atlas_backend_store_type_label (spec->type);
  if (label == NULL)
    label = spec->type;

  bind_optional_int (stmt, 1, spec->id);
  sqlite3_bind_int64 (stmt, 2, spec->workspace_id);
  sqlite3_bind_int64 (stmt, 3, spec->tenant_id);
  sqlite3_bind_text (stmt, 4, spec->type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, label, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, spec->status, -1, SQLITE_STATIC);
  bind_optional_text (stmt, 7, spec->outcome);
  bind_optional_text (stmt, 8, spec->freshness);
  bind_optional_text (stmt, 9, spec->problem_class);
  sqlite3_bind_int64 (stmt, 10, spec->created_at);
  bind_optional_int (stmt, 11, spec->started_at);
  bind_optional_int (stmt, 12, spec->completed_at);
  bind_optional_int (stmt, 13, spec->last_progress_at);
  sqlite3_bind_int64 (stmt, 14, spec->lifecycle_window);
  sqlite3_bind_text (stmt, 15, spec->summary_counts ? spec->summary_counts : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, spec->failure_summary ? spec->failure_summary : "[]", -1, SQLITE_STATIC);
  bind_optional_int (stmt, 17, spec->initiator_id);
  bind_optional_int (stmt, 18, spec->reconciled_at);
  bind_optional_text (stmt, 19, spec->reconcile_reason);
  bind_optional_text (stmt, 20, spec->previous_status);
  sqlite3_bind_text (stmt, 21, spec->sim_mode ? spec->sim_mode : "frozen", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 22, spec->sim_delay);
  sqlite3_bind_double (stmt, 23, spec->sim_rate > 0 ? spec->sim_rate : 1.0);
  sqlite3_bind_int64 (stmt, 24, spec->sim_total);
  sqlite3_bind_int64 (stmt, 25, spec->sim_stall_at);
  bind_optional_text (stmt, 26, spec->sim_outcome);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot insert run");
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

static const char *
outcome_phrase (const char *outcome,
                gboolean    reconciled)
{
  if (reconciled)
    return "failed — stopped after no progress";
  if (g_strcmp0 (outcome, "succeeded") == 0)
    return "succeeded";
  if (g_strcmp0 (outcome, "partially_succeeded") == 0)
    return "partially succeeded";
  if (g_strcmp0 (outcome, "failed") == 0)
    return "failed";
  if (g_strcmp0 (outcome, "blocked") == 0)
    return "blocked";
  if (g_strcmp0 (outcome, "cancelled") == 0)
    return "was cancelled";
  return "completed";
}

/* Exactly one notification per terminal run, to its initiator only; the UNIQUE
 * constraint on run_id makes a second call a no-op. */
gboolean
atlas_backend_store_notify_terminal (AtlasBackendStore  *self,
                                     gint64              run_id,
                                     GError            **error)
{
  g_autoptr(sqlite3_stmt) select = atlas_backend_store_stmt (self,
      "SELECT r.initiator_id, r.workspace_id, r.tenant_id, r.outcome, r.type_label, t.name,"
      " r.freshness, coalesce(r.completed_at, r.reconciled_at, r.created_at), r.failure_summary"
      " FROM runs r JOIN tenants t ON t.id = r.tenant_id"
      " WHERE r.id = ?1 AND r.status = 'completed' AND r.initiator_id IS NOT NULL");
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(JsonNode) failures = NULL;
  const char *outcome;
  gboolean reconciled;

  sqlite3_bind_int64 (select, 1, run_id);
  if (sqlite3_step (select) != SQLITE_ROW)
    return TRUE;

  outcome = (const char *) sqlite3_column_text (select, 3);
  reconciled = g_strcmp0 ((const char *) sqlite3_column_text (select, 6), "reconciled") == 0;
  title = g_strdup_printf ("%s %s", (const char *) sqlite3_column_text (select, 4),
                           outcome_phrase (outcome, reconciled));
  body = g_string_new ((const char *) sqlite3_column_text (select, 5));
  failures = json_from_string ((const char *) sqlite3_column_text (select, 8), NULL);
  if (failures != NULL && JSON_NODE_HOLDS_ARRAY (failures) &&
      json_array_get_length (json_node_get_array (failures)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (failures), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        {
          const char *message = json_object_get_string_member_with_default (
              json_node_get_object (first), "message", NULL);
          if (message != NULL)
            g_string_append_printf (body, ": %s", message);
        }
    }
  else if (reconciled)
    g_string_append (body, ": the run stopped reporting progress and was closed");

  insert = atlas_backend_store_stmt (self,
      "INSERT OR IGNORE INTO notifications (user_id, run_id, workspace_id, tenant_id, outcome,"
      " title, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  sqlite3_bind_int64 (insert, 1, sqlite3_column_int64 (select, 0));
  sqlite3_bind_int64 (insert, 2, run_id);
  sqlite3_bind_int64 (insert, 3, sqlite3_column_int64 (select, 1));
  sqlite3_bind_int64 (insert, 4, sqlite3_column_int64 (select, 2));
  bind_optional_text (insert, 5, outcome);
  sqlite3_bind_text (insert, 6, title, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, body->str, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 8, sqlite3_column_int64 (select, 7));
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot insert notification");
      return FALSE;
    }
  return TRUE;
}

/* A pack's status follows its generation run; ready packs expire after 7 days. */
void
atlas_backend_store_sync_packs (AtlasBackendStore *self,
                                gint64             now,
                                GRand             *rand)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self,
        "SELECT p.id FROM review_packs p WHERE p.status IN ('queued', 'generating')");
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        g_array_append_val (ids, id);
      }
  }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 pack_id = g_array_index (ids, gint64, i);
      g_autoptr(sqlite3_stmt) run = atlas_backend_store_stmt (self,
          "SELECT r.status, r.outcome, r.completed_at, p.tenant_id FROM review_packs p"
          " JOIN runs r ON r.id = p.operation_run_id WHERE p.id = ?1");
      g_autoptr(sqlite3_stmt) update = NULL;
      const char *status;
      const char *outcome;

      sqlite3_bind_int64 (run, 1, pack_id);
      if (sqlite3_step (run) != SQLITE_ROW)
        continue;
      status = (const char *) sqlite3_column_text (run, 0);
      outcome = (const char *) sqlite3_column_text (run, 1);

      update = atlas_backend_store_stmt (self,
          "UPDATE review_packs SET status = ?2, generated_at = ?3, expires_at = ?4,"
          " file_size = ?5, download_url = ?6 WHERE id = ?1 AND status != ?2");
      sqlite3_bind_int64 (update, 1, pack_id);
      if (g_strcmp0 (status, "running") == 0)
        sqlite3_bind_text (update, 2, "generating", -1, SQLITE_STATIC);
      else if (g_strcmp0 (status, "completed") == 0 && g_strcmp0 (outcome, "succeeded") == 0)
        {
          gint64 generated_at = sqlite3_column_int64 (run, 2);
          g_autofree char *url = NULL;
          g_autofree char *file_name = NULL;
          g_autoptr(GBytes) file = atlas_backend_render_review_pack (self, pack_id, generated_at,
                                                                     &file_name);
          g_autoptr(sqlite3_stmt) store_file = atlas_backend_store_stmt (self,
              "INSERT OR REPLACE INTO review_pack_files (pack_id, file_name, content_type, content)"
              " SELECT id, ?2, 'application/pdf', ?3 FROM review_packs WHERE id = ?1");
          gsize size = 0;
          gconstpointer bytes = file ? g_bytes_get_data (file, &size) : NULL;

          if (file == NULL)
            continue;
          /* Served by this server, relative to its origin (the contract's download_url). */
          url = g_strdup_printf ("/api/v1/tenants/%" G_GINT64_FORMAT "/review-packs/%"
                                 G_GINT64_FORMAT "/file", (gint64) sqlite3_column_int64 (run, 3), pack_id);
          sqlite3_bind_int64 (store_file, 1, pack_id);
          sqlite3_bind_text (store_file, 2, file_name, -1, SQLITE_TRANSIENT);
          sqlite3_bind_blob (store_file, 3, bytes, (int) size, SQLITE_TRANSIENT);
          if (sqlite3_step (store_file) != SQLITE_DONE)
            g_warning ("Cannot store review pack file: %s", sqlite3_errmsg (self->db));
          sqlite3_bind_text (update, 2, "ready", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (update, 3, generated_at);
          sqlite3_bind_int64 (update, 4, generated_at + 7 * 24 * 3600);
          sqlite3_bind_int64 (update, 5, (gint64) size);
          sqlite3_bind_text (update, 6, url, -1, SQLITE_TRANSIENT);
        }
      else if (g_strcmp0 (status, "completed") == 0 || g_strcmp0 (status, "queued") != 0)
        sqlite3_bind_text (update, 2, "failed", -1, SQLITE_STATIC);
      else
        sqlite3_bind_text (update, 2, "queued", -1, SQLITE_STATIC);
      sqlite3_reset (run);
      if (sqlite3_step (update) != SQLITE_DONE)
        g_warning ("Cannot update review pack: %s", sqlite3_errmsg (self->db));
    }

  {
    g_autoptr(sqlite3_stmt) expire = atlas_backend_store_stmt (self,
        "UPDATE review_packs SET status = 'expired', download_url = NULL"
        " WHERE status = 'ready' AND expires_at <= ?1");
    g_autoptr(sqlite3_stmt) forget = atlas_backend_store_stmt (self,
        "DELETE FROM review_pack_files WHERE pack_id IN"
        " (SELECT id FROM review_packs WHERE status = 'expired')");
    sqlite3_bind_int64 (expire, 1, now);
    sqlite3_step (expire);
    /* An expired pack's file is gone, not just hidden. */
    if (sqlite3_changes (self->db) > 0)
      sqlite3_step (forget);
  }
}
