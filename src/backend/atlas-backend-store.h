/* atlas-backend-store.h — SQLite storage of the reference backend (private)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Cached statements are owned by the store; g_autoptr(sqlite3_stmt) only resets them. */
static inline void
atlas_backend_stmt_release (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, atlas_backend_stmt_release)

/* Column order of every run query, see ATLAS_BACKEND_RUN_SELECT. */
#define ATLAS_BACKEND_RUN_SELECT \
  "SELECT r.id, r.workspace_id, r.tenant_id, t.name, r.type, r.type_label, r.status, " \
  "r.outcome, r.freshness, r.problem_class, r.created_at, r.started_at, r.completed_at, " \
  "r.last_progress_at, r.lifecycle_window, r.summary_counts, r.failure_summary, " \
  "r.initiator_id, u.name, r.reconciled_at, r.reconcile_reason, r.previous_status " \
  "FROM runs r JOIN tenants t ON t.id = r.tenant_id LEFT JOIN users u ON u.id = r.initiator_id "

/* A run as the simulator and the scenario seeders write it. */
typedef struct
{
  gint64      id;               /* 0 = allocate */
  gint64      workspace_id;
  gint64      tenant_id;
  const char *type;
  const char *type_label;       /* NULL = from the type catalogue */
  const char *status;
  const char *outcome;
  const char *freshness;
  const char *problem_class;
  gint64      created_at;       /* unix seconds; 0 = NULL for the optional ones */
  gint64      started_at;
  gint64      completed_at;
  gint64      last_progress_at;
  gint64      lifecycle_window;
  const char *summary_counts;   /* JSON text, NULL = {} */
  const char *failure_summary;  /* JSON text, NULL = [] */
  gint64      initiator_id;     /* 0 = system run */
  gint64      reconciled_at;
  const char *reconcile_reason;
  const char *previous_status;
  const char *sim_mode;         /* "run", "stall", "frozen" */
  gint64      sim_delay;
  double      sim_rate;
  gint64      sim_total;
  gint64      sim_stall_at;
  const char *sim_outcome;
} AtlasBackendRunSpec;

#define ATLAS_BACKEND_TYPE_STORE (atlas_backend_store_get_type ())

G_DECLARE_FINAL_TYPE (AtlasBackendStore, atlas_backend_store, ATLAS, BACKEND_STORE, GObject)

AtlasBackendStore *atlas_backend_store_new             (const char          *path,
                                                        GError             **error);
AtlasBackendStore *atlas_backend_store_new_reader      (const char          *path,
                                                        GError             **error);
sqlite3           *atlas_backend_store_get_db          (AtlasBackendStore   *self);
sqlite3_stmt      *atlas_backend_store_stmt            (AtlasBackendStore   *self,
                                                        const char          *sql);
gboolean           atlas_backend_store_exec            (AtlasBackendStore   *self,
                                                        const char          *sql,
                                                        GError             **error);
gboolean           atlas_backend_store_is_seeded       (AtlasBackendStore   *self);
gboolean           atlas_backend_store_finish_seeding  (AtlasBackendStore   *self,
                                                        const char          *scenario,
                                                        GError             **error);
gint64             atlas_backend_store_insert_run      (AtlasBackendStore   *self,
                                                        const AtlasBackendRunSpec *spec,
                                                        GError             **error);
const char        *atlas_backend_store_type_label      (const char          *type);
gboolean           atlas_backend_store_notify_terminal (AtlasBackendStore   *self,
                                                        gint64               run_id,
                                                        GError             **error);
GBytes            *atlas_backend_render_review_pack    (AtlasBackendStore   *store,
                                                        gint64               pack_id,
                                                        gint64               generated_at,
                                                        char               **out_filename);
void               atlas_backend_store_sync_packs      (AtlasBackendStore   *self,
                                                        gint64               now,
                                                        GRand               *rand);

#define ATLAS_BACKEND_PACK_COLUMNS \
  "p.id, p.tenant_id, p.status, p.operation_run_id, p.generated_at, p.expires_at, " \
  "p.file_size, p.download_url "

G_END_DECLS
