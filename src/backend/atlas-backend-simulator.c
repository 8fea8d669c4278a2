/* atlas-backend-simulator.c — moves runs through their lifecycle; seeds scenarios
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <math.h>
#include <string.h>

#include "atlas-backend-simulator.h"

struct _AtlasBackendSimulator
{
  GObject            parent_instance;

  AtlasBackendStore *store;
  GRand             *rand;
  GArray            *tenants;   /* TenantRef, loaded lazily for spawning */
};

typedef struct
{
  gint64 id;
  gint64 workspace_id;
} TenantRef;

typedef struct
{
  gint64  id;
  char   *status;
  char   *freshness;
  char   *problem_class;
  char   *sim_mode;
  char   *sim_outcome;
  char   *summary_counts;
  gint64  created_at;
  gint64  started_at;
  gint64  last_progress_at;
  gint64  window;
  gint64  delay;
  double  rate;
  gint64  total;
  gint64  stall_at;
} ActiveRun;

G_DEFINE_FINAL_TYPE (AtlasBackendSimulator, atlas_backend_simulator, G_TYPE_OBJECT)

static const char *workspace_one_tenants[] = {
  "Northwind Traders", "Fabrikam Inc", "Adventure Works", "Tailspin Toys",
  "Wide World Importers", "Woodgrove Bank", "Contoso Ltd", "Litware Inc",
  "Proseware Inc", "Fourth Coffee", "Alpine Ski House", "Coho Winery",
};

static const char *workspace_two_tenants[] = {
  "Globex Retail", "Initech Labs", "Umbrella Logistics",
};

static const char *scale_stems[] = {
  "Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Proseware",
  "Relecloud", "VanArsdel", "Wingtip", "Lucerne", "Humongous", "Trey", "Margie's",
  "Bellows", "Alpine", "Coho", "Fourth", "Blue Yonder", "Graphic Design",
};

static const char *scale_suffixes[] = {
  "Ltd", "Inc", "GmbH", "AG", "Partners", "Group", "Holdings", "Health", "Logistics", "Retail",
};

static const char *run_types[] = {
  "baseline_compare", "inventory_sync", "policy_backup", "compliance_snapshot",
  "drift_detection", "restore_policies",
};

typedef struct
{
  gint64      id;
  const char *name;
  const char *role;
  gint64      workspace_id;
  const char *capabilities;
} SeedUser;

/* Users 3-6 are the four roles of the brief; 1 and 2 initiate runs in the background. */
static const SeedUser seed_users[] = {
  { 1, "Alex Admin", "admin", 1, "operations.view review_pack.generate" },
  { 2, "Bo Engineer", "partner", 2, "operations.view review_pack.generate" },
  { 3, "Dana Operator", "operator", 1, "operations.view review_pack.generate" },
  { 4, "Vic Viewer", "viewer", 1, "operations.view" },
  { 5, "Lobby Kiosk", "kiosk", 1, "operations.view" },
  { 6, "Olga Outsider", "outsider", 2, "operations.view review_pack.generate" },
};

static void
active_run_clear (gpointer data)
{
  ActiveRun *run = data;

  g_free (run->status);
  g_free (run->freshness);
  g_free (run->problem_class);
  g_free (run->sim_mode);
  g_free (run->sim_outcome);
  g_free (run->summary_counts);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static double
fail_ratio (const char *outcome)
{
  if (g_strcmp0 (outcome, "partially_succeeded") == 0)
    return 0.1;
  if (g_strcmp0 (outcome, "failed") == 0)
    return 0.6;
  return 0.0;
}

static const char *
problem_class_for (const char *outcome,
                   gboolean    reconciled)
{
  if (reconciled ||
      g_strcmp0 (outcome, "failed") == 0 ||
      g_strcmp0 (outcome, "partially_succeeded") == 0 ||
      g_strcmp0 (outcome, "blocked") == 0)
    return "terminal_follow_up";
  return NULL;
}

static char *
failure_summary_for (const char *outcome,
                     gint64      failed)
{
  if (g_strcmp0 (outcome, "partially_succeeded") == 0)
    return g_strdup_printf ("[{\"reason_code\":\"graph.throttled\",\"message\":"
                            "\"Microsoft Graph throttled %" G_GINT64_FORMAT " requests\"}]",
                            failed);
  if (g_strcmp0 (outcome, "failed") == 0)
    return g_strdup ("[{\"reason_code\":\"permission.denied\",\"message\":"
                     "\"The service principal lacks DeviceManagementConfiguration.Read.All\"}]");
  if (g_strcmp0 (outcome, "blocked") == 0)
    return g_strdup ("[{\"reason_code\":\"tenant.consent_missing\",\"message\":"
                     "\"Admin consent is missing for this tenant\"}]");
  return g_strdup ("[]");
}

static char *
counts_json (gint64      total,
             gint64      processed,
             const char *outcome)
{
  gint64 failed = (gint64) ceil ((double) processed * fail_ratio (outcome));

  return g_strdup_printf ("{\"total\":%" G_GINT64_FORMAT ",\"processed\":%" G_GINT64_FORMAT
                          ",\"succeeded\":%" G_GINT64_FORMAT ",\"failed\":%" G_GINT64_FORMAT "}",
                          total, processed, processed - failed, failed);
}

static gint64
processed_of (const char *summary_counts)
{
  g_autoptr(JsonNode) node = json_from_string (summary_counts, NULL);
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  member = json_object_get_member (json_node_get_object (node), "processed");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (member);
}

static const char *
pick_outcome (GRand *rand)
{
  int p = g_rand_int_range (rand, 0, 100);

  if (p < 72) return "succeeded";
  if (p < 82) return "partially_succeeded";
  if (p < 90) return "failed";
  if (p < 95) return "blocked";
  return "cancelled";
}

static gint64
pick_initiator (GRand  *rand,
                gint64  workspace_id)
{
  int p = g_rand_int_range (rand, 0, 10);

  if (p < 4)
    return 0;
  if (workspace_id == 1)
    return p < 7 ? 3 : 1;
  return p < 7 ? 6 : 2;
}

static void
atlas_backend_simulator_finalize (GObject *object)
{
  AtlasBackendSimulator *self = (AtlasBackendSimulator *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->tenants, g_array_unref);

  G_OBJECT_CLASS (atlas_backend_simulator_parent_class)->finalize (object);
}

static void
atlas_backend_simulator_class_init (AtlasBackendSimulatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atlas_backend_simulator_finalize;
}

static void
atlas_backend_simulator_init (AtlasBackendSimulator *self)
{
}

AtlasBackendSimulator *
atlas_backend_simulator_new (AtlasBackendStore *store,
                             guint64            seed)
{
  AtlasBackendSimulator *self = g_object_new (ATLAS_BACKEND_TYPE_SIMULATOR, NULL);
  guint32 words[2] = { (guint32) seed, (guint32) (seed >> 32) };

  self->store = g_object_ref (store);
  self->rand = g_rand_new_with_seed_array (words, 2);
  return self;
}

GRand *
atlas_backend_simulator_get_rand (AtlasBackendSimulator *self)
{
  return self->rand;
}

/* Inserts a queued run the simulator will carry through its lifecycle. */
static gint64
insert_live_run (AtlasBackendSimulator *self,
                 gint64                 workspace_id,
                 gint64                 tenant_id,
                 gint64                 created_at,
                 gint64                 window,
                 gboolean               allow_stall)
{
  AtlasBackendRunSpec spec = { 0 };
  g_autoptr(GError) error = NULL;
  int p = g_rand_int_range (self->rand, 0, 100);
  gint64 total = g_rand_int_range (self->rand, 10, 400);
  gint64 duration = g_rand_int_range (self->rand, 15, 120);

  spec.workspace_id = workspace_id;
  spec.tenant_id = tenant_id;
  spec.type = run_types[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (run_types))];
  spec.status = "queued";
  spec.freshness = "fresh";
  spec.created_at = created_at;
  spec.lifecycle_window = window;
  spec.initiator_id = pick_initiator (self->rand, workspace_id);
  spec.sim_mode = "run";
  spec.sim_delay = g_rand_int_range (self->rand, 1, 8);
  spec.sim_total = total;
  spec.sim_rate = (double) total / (double) duration;
  spec.sim_outcome = pick_outcome (self->rand);
  spec.sim_stall_at = -1;
  if (allow_stall && p < 12)
    {
      /* Stops reporting part-way: turns likely stale, then gets reconciled. */
      spec.sim_mode = "stall";
      spec.sim_stall_at = g_rand_int_range (self->rand, 0, (gint32) total / 2);
    }
  else if (allow_stall && p < 15)
    {
      /* Never picked up by a worker: a stale queued run. */
      spec.sim_mode = "stall";
      spec.sim_delay = window * 10;
    }

  return atlas_backend_store_insert_run (self->store, &spec, &error);
}

static void
make_history_run (AtlasBackendSimulator *self,
                  AtlasBackendRunSpec   *spec,
                  gint64                 workspace_id,
                  gint64                 tenant_id,
                  gint64                 created_at,
                  char                 **counts,
                  char                 **failures)
{
  GRand *rand = self->rand;
  gint64 total = g_rand_int_range (rand, 5, 500);
  gint64 duration = g_rand_int_range (rand, 20, 1800);
  gint64 window = 900;
  const char *outcome = pick_outcome (rand);
  gboolean reconciled = g_rand_int_range (rand, 0, 100) < 3;
  gint64 processed = total;

  memset (spec, 0, sizeof *spec);
  spec->workspace_id = workspace_id;
  spec->tenant_id = tenant_id;
  spec->type = run_types[g_rand_int_range (rand, 0, G_N_ELEMENTS (run_types))];
  spec->status = "completed";
  spec->created_at = created_at;
  spec->started_at = created_at + g_rand_int_range (rand, 1, 30);
  spec->lifecycle_window = window;
  spec->initiator_id = pick_initiator (rand, workspace_id);
  spec->sim_mode = "frozen";
  spec->sim_stall_at = -1;

  if (reconciled)
    {
      processed = g_rand_int_range (rand, 0, (gint32) total);
      spec->outcome = "failed";
      spec->freshness = "reconciled";
      spec->last_progress_at = spec->started_at + g_rand_int_range (rand, 1, 300);
      spec->completed_at = spec->last_progress_at + 2 * window + g_rand_int_range (rand, 1, 60);
      spec->reconciled_at = spec->completed_at;
      spec->reconcile_reason = "run.stale_reconciled";
      spec->previous_status = "running";
      outcome = "failed";
      *failures = g_strdup ("[]");
    }
  else
    {
      if (g_strcmp0 (outcome, "cancelled") == 0)
        processed = total / 2;
      else if (g_strcmp0 (outcome, "blocked") == 0)
        processed = 0;
      spec->outcome = outcome;
      spec->completed_at = spec->started_at + duration;
      spec->last_progress_at = spec->completed_at;
      *failures = failure_summary_for (outcome, (gint64) ceil (processed * fail_ratio (outcome)));
    }
  spec->problem_class = problem_class_for (outcome, reconciled);
  *counts = counts_json (total, processed, outcome);
  spec->summary_counts = *counts;
  spec->failure_summary = *failures;
}

static gboolean
seed_identity (AtlasBackendSimulator  *self,
               const char             *scenario,
               GError                **error)
{
  static const struct { gint64 id; const char *name; } workspaces[] = {
    { 1, "Atlas Managed Services" },
    { 2, "Globex Partners" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (workspaces); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
          "INSERT INTO workspaces (id, name) VALUES (?1, ?2)");
      sqlite3_bind_int64 (stmt, 1, workspaces[i].id);
      sqlite3_bind_text (stmt, 2, workspaces[i].name, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto failed;
    }

  for (guint i = 0; i < G_N_ELEMENTS (seed_users); i++)
    {
      g_autoptr(sqlite3_stmt) user = atlas_backend_store_stmt (self->store,
          "INSERT INTO users (id, name, role, token) VALUES (?1, ?2, ?3, ?4)");
      g_autoptr(sqlite3_stmt) member = NULL;
      g_autofree char *token = NULL;

      /* Deterministic tokens only where determinism is the point. */
      if (g_strcmp0 (scenario, "test") == 0)
        token = g_strdup_printf ("atlas-test-%s", seed_users[i].role);
      else
        token = g_strdup_printf ("atlas-%s-%08x%08x%08x%08x", seed_users[i].role,
                                 g_random_int (), g_random_int (), g_random_int (),
                                 g_random_int ());

      sqlite3_bind_int64 (user, 1, seed_users[i].id);
      sqlite3_bind_text (user, 2, seed_users[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (user, 3, seed_users[i].role, -1, SQLITE_STATIC);
      sqlite3_bind_text (user, 4, token, -1, SQLITE_STATIC);
      if (sqlite3_step (user) != SQLITE_DONE)
        goto failed;

      member = atlas_backend_store_stmt (self->store,
          "INSERT INTO memberships (user_id, workspace_id, capabilities) VALUES (?1, ?2, ?3)");
      sqlite3_bind_int64 (member, 1, seed_users[i].id);
      sqlite3_bind_int64 (member, 2, seed_users[i].workspace_id);
      sqlite3_bind_text (member, 3, seed_users[i].capabilities, -1, SQLITE_STATIC);
      if (sqlite3_step (member) != SQLITE_DONE)
        goto failed;
    }
  return TRUE;

failed:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Seeding failed: %s",
               sqlite3_errmsg (atlas_backend_store_get_db (self->store)));
  return FALSE;
}

static gboolean
insert_tenant (AtlasBackendSimulator *self,
               gint64                 id,
               gint64                 workspace_id,
               const char            *name)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "INSERT INTO tenants (id, workspace_id, name) VALUES (?1, ?2, ?3)");

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, workspace_id);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
seed_history (AtlasBackendSimulator  *self,
              GArray                 *tenants,
              guint                   n_runs,
              gint64                  now,
              gint64                  span,
              GError                **error)
{
  /* Oldest first so ids grow with created_at, as in a real queue. */
  for (guint i = 0; i < n_runs; i++)
    {
      AtlasBackendRunSpec spec;
      const TenantRef *tenant = &g_array_index (tenants, TenantRef,
                                                g_rand_int_range (self->rand, 0, tenants->len));
      gint64 created_at = now - span + (gint64) ((double) span * i / n_runs) - 3600;
      g_autofree char *counts = NULL;
      g_autofree char *failures = NULL;

      make_history_run (self, &spec, tenant->workspace_id, tenant->id, created_at,
                        &counts, &failures);
      if (atlas_backend_store_insert_run (self->store, &spec, error) == 0)
        return FALSE;
    }
  return TRUE;
}

gboolean
atlas_backend_simulator_seed (AtlasBackendSimulator  *self,
                              const char             *scenario,
                              gint64                  now,
                              GError                **error)
{
  g_autoptr(GArray) tenants = g_array_new (FALSE, FALSE, sizeof (TenantRef));
  guint n_history = 0;
  guint n_live = 0;
  gint64 span = 7 * 24 * 3600;
  gint64 window = 180;

  if (!atlas_backend_store_exec (self->store, "BEGIN", error))
    return FALSE;
  if (!seed_identity (self, scenario, error))
    goto failed;

  if (g_strcmp0 (scenario, "scale") == 0)
    {
      for (guint i = 0; i < 500; i++)
        {
          TenantRef ref = { i + 1, i < 480 ? 1 : 2 };
          g_autofree char *name = g_strdup_printf ("%s %s %u",
                                                   scale_stems[i % G_N_ELEMENTS (scale_stems)],
                                                   scale_suffixes[(i / 20) % G_N_ELEMENTS (scale_suffixes)],
                                                   i + 1);
          if (!insert_tenant (self, ref.id, ref.workspace_id, name))
            goto sql_failed;
          g_array_append_val (tenants, ref);
        }
      n_history = 200000 - 20;
      n_live = 20;
      span = 60 * 24 * 3600;
    }
  else if (g_strcmp0 (scenario, "empty") != 0)
    {
      gboolean test = g_strcmp0 (scenario, "test") == 0;

      for (guint i = 0; i < G_N_ELEMENTS (workspace_one_tenants); i++)
        {
          TenantRef ref = { i + 1, 1 };
          if (!insert_tenant (self, ref.id, 1, workspace_one_tenants[i]))
            goto sql_failed;
          g_array_append_val (tenants, ref);
        }
      for (guint i = 0; i < G_N_ELEMENTS (workspace_two_tenants); i++)
        {
          TenantRef ref = { 20 + i, 2 };
          if (!insert_tenant (self, ref.id, 2, workspace_two_tenants[i]))
            goto sql_failed;
          g_array_append_val (tenants, ref);
        }
      n_history = test ? 40 : 400;
      n_live = test ? 6 : 8;
      window = test ? 900 : 180;
    }

  if (n_history > 0 && !seed_history (self, tenants, n_history, now, span, error))
    goto failed;

  for (guint i = 0; i < n_live; i++)
    {
      const TenantRef *tenant = &g_array_index (tenants, TenantRef,
                                                g_rand_int_range (self->rand, 0, tenants->len));
      if (insert_live_run (self, tenant->workspace_id, tenant->id,
                           now - g_rand_int_range (self->rand, 0, 60), window, TRUE) == 0)
        goto sql_failed;
    }

  if (!atlas_backend_store_exec (self->store, "COMMIT", error))
    goto failed;
  if (!atlas_backend_store_finish_seeding (self->store, scenario, error))
    return FALSE;
  atlas_backend_simulator_step (self, now);
  return TRUE;

sql_failed:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Seeding failed: %s",
               sqlite3_errmsg (atlas_backend_store_get_db (self->store)));
failed:
  atlas_backend_store_exec (self->store, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
update_run (AtlasBackendSimulator *self,
            gint64                 id,
            const char            *status,
            const char            *outcome,
            const char            *freshness,
            const char            *problem_class,
            gint64                 started_at,
            gint64                 completed_at,
            gint64                 last_progress_at,
            const char            *summary_counts,
            const char            *failure_summary,
            gint64                 reconciled_at,
            const char            *previous_status)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "UPDATE runs SET status = ?2, outcome = ?3, freshness = ?4, problem_class = ?5,"
      " started_at = ?6, completed_at = ?7, last_progress_at = ?8,"
      " summary_counts = coalesce(?9, summary_counts),"
      " failure_summary = coalesce(?10, failure_summary),"
      " reconciled_at = coalesce(?11, reconciled_at),"
      " reconcile_reason = CASE WHEN ?11 IS NULL THEN reconcile_reason ELSE 'run.stale_reconciled' END,"
      " previous_status = coalesce(?12, previous_status) WHERE id = ?1");
  int col = 1;

  sqlite3_bind_int64 (stmt, col++, id);
  sqlite3_bind_text (stmt, col++, status, -1, SQLITE_STATIC);
#define BIND_TEXT(v) ((v) ? sqlite3_bind_text (stmt, col++, (v), -1, SQLITE_STATIC) : sqlite3_bind_null (stmt, col++))
#define BIND_TIME(v) ((v) ? sqlite3_bind_int64 (stmt, col++, (v)) : sqlite3_bind_null (stmt, col++))
  BIND_TEXT (outcome);
  BIND_TEXT (freshness);
  BIND_TEXT (problem_class);
  BIND_TIME (started_at);
  BIND_TIME (completed_at);
  BIND_TIME (last_progress_at);
  BIND_TEXT (summary_counts);
  BIND_TEXT (failure_summary);
  BIND_TIME (reconciled_at);
  BIND_TEXT (previous_status);
#undef BIND_TEXT
#undef BIND_TIME

  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
step_run (AtlasBackendSimulator *self,
          ActiveRun             *run,
          gint64                 now)
{
  const char *status = run->status;
  const char *outcome = NULL;
  const char *freshness;
  const char *problem_class;
  g_autofree char *counts = NULL;
  g_autofree char *failures = NULL;
  gint64 started_at = run->started_at;
  gint64 completed_at = 0;
  gint64 last_progress_at = run->last_progress_at;
  gint64 quiet;
  gboolean simulated = g_strcmp0 (run->sim_mode, "frozen") != 0;
  gboolean changed = FALSE;

  if (simulated && g_strcmp0 (status, "queued") == 0 && now >= run->created_at + run->delay)
    {
      status = "running";
      started_at = run->created_at + run->delay;
      last_progress_at = started_at;
      counts = counts_json (run->total, 0, run->sim_outcome);
      changed = TRUE;
    }

  if (simulated && g_strcmp0 (status, "running") == 0 && started_at > 0)
    {
      gint64 processed = counts ? 0 : processed_of (run->summary_counts);
      gint64 target = MIN (run->total, (gint64) floor (run->rate * (double) (now - started_at)));
      gint64 finished_at = 0;

      if (g_strcmp0 (run->sim_mode, "stall") == 0 && run->stall_at >= 0)
        target = MIN (target, run->stall_at);
      if (g_strcmp0 (run->sim_outcome, "cancelled") == 0)
        target = MIN (target, run->total / 2);
      if (g_strcmp0 (run->sim_outcome, "blocked") == 0)
        target = 0;

      if (target > processed)
        {
          processed = target;
          last_progress_at = MIN (now, started_at + (gint64) ceil ((double) target / run->rate));
          g_free (counts);
          counts = counts_json (run->total, processed, run->sim_outcome);
          changed = TRUE;
        }

      if (g_strcmp0 (run->sim_mode, "run") == 0)
        {
          if (g_strcmp0 (run->sim_outcome, "blocked") == 0 && now >= started_at + 2)
            finished_at = started_at + 2;
          else if (g_strcmp0 (run->sim_outcome, "cancelled") == 0 && processed >= run->total / 2)
            finished_at = last_progress_at;
          else if (processed >= run->total)
            finished_at = last_progress_at;
        }

      if (finished_at > 0)
        {
          outcome = run->sim_outcome ? run->sim_outcome : "succeeded";
          status = "completed";
          completed_at = MAX (finished_at, started_at);
          last_progress_at = completed_at;
          failures = failure_summary_for (outcome, (gint64) ceil (processed * fail_ratio (outcome)));
          update_run (self, run->id, status, outcome, NULL, problem_class_for (outcome, FALSE),
                      started_at, completed_at, last_progress_at, counts, failures, 0, NULL);
          atlas_backend_store_notify_terminal (self->store, run->id, NULL);
          return TRUE;
        }
    }

  /* The one source of stale truth: quiet time against the run's own window. */
  quiet = now - (last_progress_at ? last_progress_at : started_at ? started_at : run->created_at);
  if (g_strcmp0 (status, "queued") == 0 || g_strcmp0 (status, "running") == 0)
    {
      if (quiet > 2 * run->window)
        {
          update_run (self, run->id, "completed", "failed", "reconciled", "terminal_follow_up",
                      started_at, now, last_progress_at, counts, NULL, now, status);
          atlas_backend_store_notify_terminal (self->store, run->id, NULL);
          return TRUE;
        }
      if (quiet > run->window)
        {
          freshness = "likely_stale";
          problem_class = "active_stale_attention";
        }
      else
        {
          freshness = "fresh";
          problem_class = NULL;
        }
      if (g_strcmp0 (freshness, run->freshness) != 0 ||
          g_strcmp0 (problem_class, run->problem_class) != 0)
        changed = TRUE;
      if (changed)
        update_run (self, run->id, status, NULL, freshness, problem_class, started_at, 0,
                    last_progress_at, counts, NULL, 0, NULL);
    }
  return changed;
}

/* Brings every active run up to `now`. Closed form per run, so one call after a jump
 * of the test clock gives the same result as many small steps. */
guint
atlas_backend_simulator_step (AtlasBackendSimulator *self,
                              gint64                 now)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (ActiveRun));
  guint changed = 0;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SIMULATOR (self), 0);

  g_array_set_clear_func (runs, active_run_clear);

  {
    g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
        "SELECT id, status, freshness, problem_class, sim_mode, sim_outcome, summary_counts,"
        " created_at, coalesce(started_at, 0), coalesce(last_progress_at, 0), lifecycle_window,"
        " sim_delay, sim_rate, sim_total, sim_stall_at FROM runs"
        " WHERE status IN ('queued', 'running')");

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        ActiveRun run = {
          .id = sqlite3_column_int64 (stmt, 0),
          .status = dup_column (stmt, 1),
          .freshness = dup_column (stmt, 2),
          .problem_class = dup_column (stmt, 3),
          .sim_mode = dup_column (stmt, 4),
          .sim_outcome = dup_column (stmt, 5),
          .summary_counts = dup_column (stmt, 6),
          .created_at = sqlite3_column_int64 (stmt, 7),
          .started_at = sqlite3_column_int64 (stmt, 8),
          .last_progress_at = sqlite3_column_int64 (stmt, 9),
          .window = sqlite3_column_int64 (stmt, 10),
          .delay = sqlite3_column_int64 (stmt, 11),
          .rate = sqlite3_column_double (stmt, 12),
          .total = sqlite3_column_int64 (stmt, 13),
          .stall_at = sqlite3_column_int64 (stmt, 14),
        };
        if (run.rate <= 0)
          run.rate = 1;
        g_array_append_val (runs, run);
      }
  }

  atlas_backend_store_exec (self->store, "BEGIN", NULL);
  for (guint i = 0; i < runs->len; i++)
    if (step_run (self, &g_array_index (runs, ActiveRun, i), now))
      changed++;
  atlas_backend_store_sync_packs (self->store, now, self->rand);
  atlas_backend_store_exec (self->store, "COMMIT", NULL);

  return changed;
}

/* One new queued run on a random tenant: what the demo's real-time timer calls. */
gint64
atlas_backend_simulator_spawn (AtlasBackendSimulator *self,
                               gint64                 now)
{
  const TenantRef *tenant;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SIMULATOR (self), 0);

  if (self->tenants == NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
          "SELECT id, workspace_id FROM tenants ORDER BY id");

      self->tenants = g_array_new (FALSE, FALSE, sizeof (TenantRef));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          TenantRef ref = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
          g_array_append_val (self->tenants, ref);
        }
    }
  if (self->tenants->len == 0)
    return 0;

  tenant = &g_array_index (self->tenants, TenantRef,
                           g_rand_int_range (self->rand, 0, self->tenants->len));
  return insert_live_run (self, tenant->workspace_id, tenant->id, now, 180, TRUE);
}
