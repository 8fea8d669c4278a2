/* test-operations-list.c — the operations list against the real backend, counting requests
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under xvfb-run. The backend is in-process in the `test` scenario; the list's
 * poller runs on a manual clock moved in lock step with the backend's test clock, so
 * every count below is exact and nothing sleeps. The seeded runs land on random
 * tenants, so each test puts its own runs on tenants of its own (90, 91) and looks
 * at those only: every count is then known.
 */

#include "config.h"

#include <adwaita.h>

#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-operations-list-private.h"
#include "atlas-page.h"
#include "atlas-poller-private.h"
#include "atlas-run-list-private.h"
#include "atlas-run-row-private.h"
#include "atlas-test-ui.h"

#define OPS_PATH "/api/v1/workspaces/1/operations"
#define TENANT_A 90
#define TENANT_B 91

typedef AtlasTestFixture Fixture;

/* One run on one of our tenants; created `age` seconds before now. */
static void
insert_run (Fixture    *f,
            gint64      id,
            gint64      tenant_id,
            const char *status,
            const char *outcome,
            const char *freshness,
            const char *problem_class,
            gint64      age)
{
  gint64 created = atlas_test_now (f) - age;
  AtlasTestRun run = {
    .id = id, .tenant_id = tenant_id,
    .tenant_name = tenant_id == TENANT_A ? "Tenant Alpha" : "Tenant Beta",
    .status = status, .outcome = outcome, .freshness = freshness,
    .problem_class = problem_class, .created_at = created,
    .started_at = g_strcmp0 (status, "queued") != 0 ? created + 2 : 0,
    .completed_at = outcome != NULL ? created + 30 : 0,
    .summary_counts = "{\"total\": 10, \"processed\": 4}",
    .web_link = "https://atlas.example.test/x",
  };

  atlas_test_insert_run (f, &run);
}

static guint64
count (Fixture *f)
{
  return atlas_test_count (f, OPS_PATH);
}

static AtlasOperationsList *
open_list (Fixture *f,
           gint64   tenant_id)
{
  GtkWidget *list = atlas_operations_list_new (f->client, f->clock, 1, tenant_id);

  atlas_test_show (f, list);
  atlas_test_settle (atlas_operations_list_get_poller (ATLAS_OPERATIONS_LIST (list)));
  return ATLAS_OPERATIONS_LIST (list);
}

static gint64
run_id_at (GListModel *runs,
           guint       i)
{
  g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);

  return run != NULL ? atlas_run_get_id (run) : -1;
}

static void
assert_ids (GListModel   *runs,
            const gint64 *ids,
            guint         n)
{
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (run_id_at (runs, i), ==, ids[i]);
}

/* --- polling ------------------------------------------------------------------ */

static void
test_polls_while_active (Fixture       *f,
                         gconstpointer  data)
{
  AtlasOperationsList *list;
  AtlasPoller *poller;

  insert_run (f, 9001, TENANT_A, "running", NULL, "fresh", NULL, 100);
  insert_run (f, 9002, TENANT_A, "completed", "succeeded", NULL, NULL, 200);
  atlas_backend_server_reset_request_counts (f->server);

  list = open_list (f, TENANT_A);
  poller = atlas_operations_list_get_poller (list);
  g_assert_cmpstr (atlas_operations_list_get_state (list), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (atlas_operations_list_get_runs (list)), ==, 2);
  g_assert_cmpuint (count (f), ==, 1);

  /* A running row on the page: every 10 s. */
  atlas_test_advance (f, poller, 30);
  g_assert_cmpuint (count (f), ==, 1 + 3);

  /* Completed tab: every row terminal, one request, then no timer at all. */
  atlas_operations_list_set_tab (list, ATLAS_TAB_COMPLETED);
  atlas_test_settle (poller);
  g_assert_cmpuint (count (f), ==, 1 + 3 + 1);
  g_assert_cmpint (run_id_at (atlas_operations_list_get_runs (list), 0), ==, 9002);
  g_assert_false (atlas_poller_get_active (poller));
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
  atlas_test_advance (f, poller, 60);
  g_assert_cmpuint (count (f), ==, 1 + 3 + 1);

  /* Back to All: the running row is back, so is the timer. */
  atlas_operations_list_set_tab (list, ATLAS_TAB_ALL);
  atlas_test_settle (poller);
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (count (f), ==, 1 + 3 + 1 + 2);

  /* Hidden: nothing, however long. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (list)));
  atlas_test_advance (f, poller, 95);
  g_assert_cmpuint (count (f), ==, 1 + 3 + 1 + 2);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);

  /* Shown again: refreshed at once, then every 10 s. */
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (list)))
    g_main_context_iteration (NULL, TRUE);
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (poller);
  g_assert_cmpuint (count (f), ==, 1 + 3 + 1 + 2 + 1);
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (count (f), ==, 1 + 3 + 1 + 2 + 2);
}

static void
test_terminal_tenant_never_polls (Fixture       *f,
                                  gconstpointer  data)
{
  AtlasOperationsList *list;
  AtlasPoller *poller;

  insert_run (f, 9101, TENANT_B, "completed", "succeeded", NULL, NULL, 100);
  insert_run (f, 9102, TENANT_B, "completed", "failed", NULL, "terminal_follow_up", 200);
  /* Unknown is neither active nor terminal: shown, never polled. */
  insert_run (f, 9103, TENANT_B, "paused", NULL, "fresh", NULL, 50);
  atlas_backend_server_reset_request_counts (f->server);

  list = open_list (f, TENANT_B);
  poller = atlas_operations_list_get_poller (list);
  g_assert_cmpuint (g_list_model_get_n_items (atlas_operations_list_get_runs (list)), ==, 3);
  g_assert_false (atlas_poller_get_active (poller));
  atlas_test_advance (f, poller, 120);
  g_assert_cmpuint (count (f), ==, 1);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
}

/* --- in place ------------------------------------------------------------------ */

static void
test_rows_kept_in_place (Fixture       *f,
                         gconstpointer  data)
{
  AtlasOperationsList *list;
  AtlasPoller *poller;
  GListModel *runs;
  AtlasRunList *view;
  GtkSelectionModel *selection;
  AtlasRunRow *selected;
  GtkAdjustment *adj;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  AtlasRun *changed;
  gint64 processed = 0;
  gint64 deadline;
  guint64 renders;
  guint n;

  /* Twenty rows: more than the window shows, so there is a scroll position to keep. */
  for (guint i = 0; i < 20; i++)
    insert_run (f, 9200 + i, TENANT_A, i % 3 == 0 ? "running" : "completed",
                i % 3 == 0 ? NULL : "succeeded", i % 3 == 0 ? "fresh" : NULL, NULL, 1000 - i);
  atlas_backend_server_reset_request_counts (f->server);

  list = open_list (f, TENANT_A);
  poller = atlas_operations_list_get_poller (list);
  runs = atlas_operations_list_get_runs (list);
  n = g_list_model_get_n_items (runs);
  g_assert_cmpuint (n, ==, 20);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_list_model_get_item (runs, i));

  view = ATLAS_RUN_LIST (atlas_test_find_descendant (GTK_WIDGET (list), ATLAS_TYPE_RUN_LIST));
  g_assert_nonnull (view);
  selection = atlas_run_list_get_selection (view);
  gtk_selection_model_select_item (selection, 4, TRUE);
  g_assert_true (gtk_selection_model_is_selected (selection, 4));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((selected = atlas_run_list_get_row (view, 4)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (selected);

  adj = atlas_run_list_get_vadjustment (view);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) < 100 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_adjustment_set_value (adj, 100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 100);

  /* Row 4 (id 9215) is running; its counts move on the server. */
  changed = g_ptr_array_index (before, 4);
  g_assert_cmpint (atlas_run_get_id (changed), ==, 9215);
  renders = atlas_run_row_get_render_count (selected);
  atlas_test_patch_run (f, 9215, "{\"summary_counts\": {\"total\": 10, \"processed\": 8}}");
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (count (f), ==, 2);
  atlas_test_drain (50);

  /* Same objects in the same order; the changed one carries the news. */
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);
      g_assert_true (run == g_ptr_array_index (before, i));
    }
  g_assert_true (atlas_summary_counts_get (atlas_run_get_summary_counts (changed), ATLAS_COUNT_PROCESSED,
                                           &processed));
  g_assert_cmpint (processed, ==, 8);

  /* Same row widget, still selected, redrawn in place; the scroll position held. */
  g_assert_true (gtk_selection_model_is_selected (selection, 4));
  g_assert_true (atlas_run_list_get_row (view, 4) == selected);
  g_assert_true (atlas_run_row_get_run (selected) == changed);
  g_assert_cmpuint (atlas_run_row_get_render_count (selected), >, renders);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 100);
}

static void
test_new_run_announced (Fixture       *f,
                        gconstpointer  data)
{
  const gint64 first[] = { 9301, 9302 };
  const gint64 applied[] = { 9303, 9301, 9302 };
  AtlasOperationsList *list;
  AtlasPoller *poller;
  GListModel *runs;
  AtlasRun *a, *b;
  gint64 processed = 0;

  insert_run (f, 9301, TENANT_A, "running", NULL, "fresh", NULL, 100);
  insert_run (f, 9302, TENANT_A, "completed", "succeeded", NULL, NULL, 200);
  atlas_backend_server_reset_request_counts (f->server);

  list = open_list (f, TENANT_A);
  poller = atlas_operations_list_get_poller (list);
  runs = atlas_operations_list_get_runs (list);
  assert_ids (runs, first, 2);
  a = g_list_model_get_item (runs, 0);
  b = g_list_model_get_item (runs, 1);
  g_object_unref (a);
  g_object_unref (b);   /* the store keeps them; the pointers are compared below */

  /* A newer run arrives and a shown one moves on: announced, not pushed in. */
  insert_run (f, 9303, TENANT_A, "queued", NULL, "fresh", NULL, 0);
  atlas_test_patch_run (f, 9301, "{\"summary_counts\": {\"total\": 10, \"processed\": 9}}");
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (count (f), ==, 2);
  g_assert_cmpuint (atlas_operations_list_get_pending_new (list), ==, 1);
  assert_ids (runs, first, 2);
  g_assert_true (atlas_summary_counts_get (atlas_run_get_summary_counts (a), ATLAS_COUNT_PROCESSED,
                                           &processed));
  g_assert_cmpint (processed, ==, 9);

  /* Another refresh: still announced, still one. */
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (atlas_operations_list_get_pending_new (list), ==, 1);
  assert_ids (runs, first, 2);

  /* Applied: inserted on top, the old rows are the same objects. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "list.show-new", NULL));
  g_assert_cmpuint (atlas_operations_list_get_pending_new (list), ==, 0);
  assert_ids (runs, applied, 3);
  {
    g_autoptr(AtlasRun) a2 = g_list_model_get_item (runs, 1);
    g_autoptr(AtlasRun) b2 = g_list_model_get_item (runs, 2);
    g_assert_true (a2 == a);
    g_assert_true (b2 == b);
  }

  /* A user's navigation is applied directly, never announced. */
  insert_run (f, 9304, TENANT_A, "running", NULL, "fresh", NULL, 0);
  atlas_operations_list_set_tab (list, ATLAS_TAB_ACTIVE);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_operations_list_get_pending_new (list), ==, 0);
  g_assert_cmpint (run_id_at (runs, 0), ==, 9304);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 3);
}

/* --- targets --------------------------------------------------------------------- */

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GHashTable *seen)
{
  for (guint i = position; i < position + added; i++)
    {
      gint64 *id = g_new (gint64, 1);
      *id = run_id_at (model, i);
      g_hash_table_add (seen, id);
    }
}

static void
test_tab_switch_mid_request (Fixture       *f,
                             gconstpointer  data)
{
  const gint64 initial[] = { 9401, 9402, 9403 };
  const gint64 completed[] = { 9402, 9403 };
  const gint64 late = 9404;
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 250, 0, NULL, OPS_PATH };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  AtlasOperationsList *list;
  AtlasPoller *poller;
  GListModel *runs;
  gint64 deadline;

  insert_run (f, 9401, TENANT_A, "running", NULL, "fresh", NULL, 100);
  insert_run (f, 9402, TENANT_A, "completed", "succeeded", NULL, NULL, 200);
  insert_run (f, 9403, TENANT_A, "completed", "failed", NULL, "terminal_follow_up", 300);
  atlas_backend_server_reset_request_counts (f->server);

  list = open_list (f, TENANT_A);
  poller = atlas_operations_list_get_poller (list);
  runs = atlas_operations_list_get_runs (list);
  assert_ids (runs, initial, 3);
  g_signal_connect (runs, "items-changed", G_CALLBACK (items_changed_cb), seen);

  /* The old target's answer will carry a run only it has, and come late. */
  insert_run (f, late, TENANT_A, "running", NULL, "fresh", NULL, 0);
  atlas_backend_server_inject_fault (f->server, &slow);
  atlas_page_refresh (ATLAS_PAGE (list));
  g_assert_true (atlas_poller_get_in_flight (poller));
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (count (f) < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count (f), ==, 2);

  /* Switch while it is out: the new tab answers at once, the old one 250 ms later. */
  atlas_operations_list_set_tab (list, ATLAS_TAB_COMPLETED);
  atlas_test_settle (poller);
  g_assert_cmpuint (count (f), ==, 3);
  assert_ids (runs, completed, 2);
  atlas_test_drain (500);

  /* Nothing of the old answer ever reached the screen, nor the announcement. */
  g_assert_false (g_hash_table_contains (seen, &late));
  g_assert_cmpuint (atlas_operations_list_get_pending_new (list), ==, 0);
  assert_ids (runs, completed, 2);
  g_assert_cmpint (atlas_operations_list_get_tab (list), ==, ATLAS_TAB_COMPLETED);
  g_assert_false (atlas_poller_get_in_flight (poller));
  g_assert_false (atlas_poller_get_active (poller));
  g_signal_handlers_disconnect_by_func (runs, items_changed_cb, seen);
}

static void
test_navigation_slow_new_target (Fixture       *f,
                                 gconstpointer  data)
{
  const gint64 active[] = { 9401 };
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 2, 250, 0, NULL, OPS_PATH };
  AtlasOperationsList *list;
  AtlasPoller *poller;
  GListModel *runs;

  insert_run (f, 9401, TENANT_A, "running", NULL, "fresh", NULL, 100);
  insert_run (f, 9402, TENANT_A, "completed", "succeeded", NULL, NULL, 200);
  atlas_backend_server_reset_request_counts (f->server);
  list = open_list (f, TENANT_A);
  poller = atlas_operations_list_get_poller (list);
  runs = atlas_operations_list_get_runs (list);

  /* Two slow targets in a row: the first is dropped, the second shows. */
  atlas_backend_server_inject_fault (f->server, &slow);
  atlas_operations_list_set_tab (list, ATLAS_TAB_COMPLETED);
  atlas_test_drain (20);
  atlas_operations_list_set_tab (list, ATLAS_TAB_ACTIVE);
  atlas_test_settle (poller);
  atlas_test_drain (400);
  g_assert_cmpuint (count (f), ==, 3);
  assert_ids (runs, active, 1);
  g_assert_true (atlas_poller_get_active (poller));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_tab_counts (Fixture       *f,
                 gconstpointer  data)
{
  static const char *names[] = { "All", "Active", "Stale attention", "Follow-up", "Completed" };
  const gint64 expected[ATLAS_N_TABS] = { 7, 3, 1, 1, 3 };
  AtlasOperationsQuery query = { ATLAS_TAB_ALL, TENANT_A, NULL, NULL, 1, 25 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasOperationsList *list;
  AtlasRunPage *page;

  insert_run (f, 9501, TENANT_A, "running", NULL, "fresh", NULL, 100);
  insert_run (f, 9502, TENANT_A, "queued", NULL, "fresh", NULL, 110);
  insert_run (f, 9503, TENANT_A, "running", NULL, "likely_stale", "active_stale_attention", 4000);
  insert_run (f, 9504, TENANT_A, "completed", "succeeded", NULL, NULL, 300);
  insert_run (f, 9505, TENANT_A, "completed", "succeeded", NULL, NULL, 310);
  insert_run (f, 9506, TENANT_A, "completed", "failed", NULL, "terminal_follow_up", 320);
  insert_run (f, 9507, TENANT_A, "paused", NULL, "fresh", NULL, 330);

  list = open_list (f, TENANT_A);

  /* What the server says, fetched on the side. */
  atlas_client_list_operations_async (f->client, 1, &query, NULL,
                                      store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  response = atlas_client_fetch_finish (f->client, result, &error);
  g_assert_no_error (error);
  page = response->payload;

  for (guint t = 0; t < ATLAS_N_TABS; t++)
    {
      g_autofree char *want = g_strdup_printf ("%s %" G_GINT64_FORMAT, names[t], page->tab_counts[t]);

      g_assert_cmpint (page->tab_counts[t], ==, expected[t]);
      g_assert_cmpstr (atlas_operations_list_get_tab_label (list, t), ==, want);
    }
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  AtlasOperationsList *list;
  AtlasPoller *poller;
  GListModel *runs;

  for (guint i = 0; i < 30; i++)
    insert_run (f, 9600 + i, TENANT_B, "completed", "succeeded", NULL, NULL, 1000 - i);
  atlas_backend_server_reset_request_counts (f->server);

  list = open_list (f, TENANT_B);
  poller = atlas_operations_list_get_poller (list);
  runs = atlas_operations_list_get_runs (list);
  g_assert_cmpint (atlas_operations_list_get_n_pages (list), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 25);
  g_assert_cmpint (run_id_at (runs, 0), ==, 9629);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "list.next-page", NULL));
  atlas_test_settle (poller);
  g_assert_cmpint (atlas_operations_list_get_page (list), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 5);
  g_assert_cmpint (run_id_at (runs, 0), ==, 9604);

  /* No page 3: the request is not even made. */
  atlas_operations_list_set_page (list, 3);
  atlas_test_settle (poller);
  g_assert_cmpint (atlas_operations_list_get_page (list), ==, 2);
  g_assert_cmpuint (count (f), ==, 2);

  /* A filter starts again on page 1. */
  atlas_operations_list_set_type (list, "baseline_compare");
  atlas_test_settle (poller);
  g_assert_cmpint (atlas_operations_list_get_page (list), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 25);
  atlas_operations_list_set_type (list, "no_such_type");
  atlas_test_settle (poller);
  g_assert_cmpstr (atlas_operations_list_get_state (list), ==, "empty");
}

/* --- errors ------------------------------------------------------------------------ */

static void
test_offline_keeps_rows (Fixture       *f,
                         gconstpointer  data)
{
  AtlasBackendFault down = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "3", OPS_PATH };
  AtlasOperationsList *list;
  AtlasPoller *poller;

  insert_run (f, 9701, TENANT_A, "running", NULL, "fresh", NULL, 100);
  list = open_list (f, TENANT_A);
  poller = atlas_operations_list_get_poller (list);

  atlas_backend_server_inject_fault (f->server, &down);
  atlas_test_advance (f, poller, 10);
  g_assert_true (atlas_operations_list_get_offline_shown (list));
  g_assert_cmpstr (atlas_operations_list_get_state (list), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (atlas_operations_list_get_runs (list)), ==, 1);

  /* Back by itself after the backoff. */
  atlas_test_advance (f, poller, 30);
  g_assert_false (atlas_operations_list_get_offline_shown (list));
  g_assert_cmpuint (g_list_model_get_n_items (atlas_operations_list_get_runs (list)), ==, 1);
}

static void
test_not_found_stops (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) outsider = NULL;
  AtlasOperationsList *list;
  GtkWidget *widget;

  atlas_backend_server_reset_request_counts (f->server);
  outsider = atlas_client_new (f->base_url, atlas_backend_server_get_token (f->server, "outsider"), 0, &error);
  g_assert_no_error (error);
  widget = atlas_operations_list_new (outsider, f->clock, 1, 0);
  gtk_window_set_child (f->window, widget);
  gtk_window_present (f->window);
  list = ATLAS_OPERATIONS_LIST (widget);
  atlas_test_settle (atlas_operations_list_get_poller (list));

  g_assert_cmpstr (atlas_operations_list_get_state (list), ==, "error");
  g_assert_true (atlas_poller_get_stopped (atlas_operations_list_get_poller (list)));
  atlas_test_advance (f, atlas_operations_list_get_poller (list), 60);
  g_assert_cmpuint (count (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

  atlas_test_ui_add ("/ui/operations-list/polls-while-active", test_polls_while_active);
  atlas_test_ui_add ("/ui/operations-list/terminal-tenant-never-polls", test_terminal_tenant_never_polls);
  atlas_test_ui_add ("/ui/operations-list/rows-kept-in-place", test_rows_kept_in_place);
  atlas_test_ui_add ("/ui/operations-list/new-run-announced", test_new_run_announced);
  atlas_test_ui_add ("/ui/operations-list/tab-switch-mid-request", test_tab_switch_mid_request);
  atlas_test_ui_add ("/ui/operations-list/navigation-slow-new-target", test_navigation_slow_new_target);
  atlas_test_ui_add ("/ui/operations-list/tab-counts", test_tab_counts);
  atlas_test_ui_add ("/ui/operations-list/paging", test_paging);
  atlas_test_ui_add ("/ui/operations-list/offline-keeps-rows", test_offline_keeps_rows);
  atlas_test_ui_add ("/ui/operations-list/not-found-stops", test_not_found_stops);

  return g_test_run ();
}
