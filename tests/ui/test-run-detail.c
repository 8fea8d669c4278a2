/* test-run-detail.c — run detail and overlay against the real backend, counting requests
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under xvfb-run. The backend is in-process in the `test` scenario; the widgets'
 * pollers run on a manual clock moved in lock step with the backend's test clock, so
 * every count below is exact and nothing sleeps.
 */

#include "config.h"

#include <adwaita.h>

#include "atlas-active-ops-private.h"
#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-poller-private.h"
#include "atlas-run-detail-private.h"
#include "atlas-visibility.h"
#include "atlas-test-ui.h"

typedef AtlasTestFixture Fixture;

static AtlasRunDetail *
open_detail (Fixture *f,
             gint64   id)
{
  GtkWidget *detail = atlas_run_detail_new (f->client, f->clock, 1, id);

  atlas_test_show (f, detail);
  atlas_test_settle (atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (ATLAS_RUN_DETAIL (detail))));
  return ATLAS_RUN_DETAIL (detail);
}

static AtlasPoller *
detail_poller (AtlasRunDetail *detail)
{
  return atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (detail));
}

static void
test_terminal_one_request (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (501);
  AtlasRunDetail *detail;

  atlas_test_add_run (f, 501, "completed", "succeeded", NULL, f->t0 - 300, f->t0 - 290);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 501);

  g_assert_cmpstr (atlas_run_detail_get_state (detail), ==, "run");
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Succeeded after 0 s");
  atlas_test_advance (f, detail_poller (detail), 120);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);
  g_assert_false (atlas_poller_get_active (detail_poller (detail)));
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
}

static void
test_active_polls_until_terminal (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (502);
  g_autofree char *done = NULL;
  AtlasRunDetail *detail;

  atlas_test_add_run (f, 502, "running", NULL, "fresh", f->t0, f->t0);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 502);
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Running for 0 s");

  /* Ages 1..9: every second. */
  atlas_test_advance (f, detail_poller (detail), 9);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 10);
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Running for 9 s");
  /* At 10 s the pace drops to 5 s: 10, 15, 20 … 60. */
  atlas_test_advance (f, detail_poller (detail), 51);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 10 + 11);
  /* Then 10 s. */
  atlas_test_advance (f, detail_poller (detail), 20);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 10 + 11 + 2);

  done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"failed\", \"completed_at\": \"%s\"}",
                          atlas_test_stamp (atlas_test_now (f)));
  atlas_test_patch_run (f, 502, done);
  atlas_test_advance (f, detail_poller (detail), 10);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 10 + 11 + 3);
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Failed after 1 min");
  /* The moment it is terminal: no timer, no request. */
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
  atlas_test_advance (f, detail_poller (detail), 120);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 10 + 11 + 3);
}

static void
test_likely_stale_keeps_polling (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (503);
  AtlasRunDetail *detail;

  atlas_test_add_run (f, 503, "running", NULL, "likely_stale", f->t0 - 3600, f->t0 - 3600);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 503);

  g_assert_cmpstr (atlas_run_detail_get_freshness_label (detail), ==, "Likely stale");
  atlas_test_advance (f, detail_poller (detail), 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1 + 6);
  g_assert_cmpstr (atlas_run_detail_get_freshness_label (detail), ==, "Likely stale");
}

static void
test_unknown_never_polls (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (504);
  AtlasRunDetail *detail;

  atlas_test_add_run (f, 504, "paused", NULL, "fresh", f->t0 - 10, f->t0 - 5);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 504);

  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Unknown state");
  atlas_test_advance (f, detail_poller (detail), 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
}

static void
test_not_found_stops (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (505);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) outsider = NULL;
  GtkWidget *detail;

  atlas_test_add_run (f, 505, "running", NULL, "fresh", f->t0 - 10, f->t0 - 5);
  atlas_backend_server_reset_request_counts (f->server);
  outsider = atlas_client_new (f->base_url, atlas_backend_server_get_token (f->server, "outsider"), 0, &error);
  detail = atlas_run_detail_new (outsider, f->clock, 1, 505);
  atlas_test_show (f, detail);
  atlas_test_settle (detail_poller (ATLAS_RUN_DETAIL (detail)));

  g_assert_cmpstr (atlas_run_detail_get_state (ATLAS_RUN_DETAIL (detail)), ==, "error");
  g_assert_cmpstr (atlas_run_detail_get_title (ATLAS_RUN_DETAIL (detail)), ==, "Not found");
  atlas_test_advance (f, detail_poller (ATLAS_RUN_DETAIL (detail)), 30);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);
}

static void
test_hidden_window_pauses (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (506);
  AtlasRunDetail *detail;

  atlas_test_add_run (f, 506, "running", NULL, "fresh", f->t0 - 100, f->t0 - 100);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 506);
  atlas_test_advance (f, detail_poller (detail), 10);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);

  /* Hidden (unmapped): nothing, however long. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (detail)));
  atlas_test_advance (f, detail_poller (detail), 95);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);

  /* Shown again: refreshed at once, then the rule resumes. */
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (detail)))
    g_main_context_iteration (NULL, TRUE);
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (detail_poller (detail));
  g_assert_cmpuint (atlas_test_count (f, path), ==, 3);
  atlas_test_advance (f, detail_poller (detail), 10);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 4);
}

static GSubprocess *
start_window_manager (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openbox = g_find_program_in_path ("openbox");

  if (openbox == NULL)
    return NULL;
  return g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           openbox, "--sm-disable", NULL);
}

static gboolean
window_minimized (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return surface != NULL &&
         (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED) != 0;
}

/* Minimizing needs a window manager; Xvfb has none, so the test brings openbox. */
static void
test_minimized_window_pauses (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GSubprocess) wm = start_window_manager ();
  g_autofree char *path = atlas_test_run_path (507);
  AtlasRunDetail *detail;
  gint64 deadline;

  if (wm == NULL)
    {
      g_test_skip ("openbox is not installed: nothing can minimize a window under Xvfb");
      return;
    }

  atlas_test_add_run (f, 507, "running", NULL, "fresh", f->t0 - 100, f->t0 - 100);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 507);

  /* The window manager takes a moment to start; ask until it obeys. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!window_minimized (f->window) && g_get_monotonic_time () < deadline)
    {
      gtk_window_minimize (f->window);
      for (guint i = 0; i < 20 && !window_minimized (f->window); i++)
        g_main_context_iteration (NULL, FALSE), g_usleep (5000);
    }
  g_assert_true (window_minimized (f->window));
  g_assert_false (atlas_poller_get_visible (detail_poller (detail)));

  atlas_test_advance (f, detail_poller (detail), 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);

  gtk_window_unminimize (f->window);
  gtk_window_present (f->window);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!atlas_poller_get_visible (detail_poller (detail)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (detail_poller (detail));
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);

  g_subprocess_force_exit (wm);
  g_subprocess_wait (wm, NULL, NULL);
}

static void
test_modal_dialog_pauses (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (508);
  AtlasRunDetail *detail;
  GtkWidget *dialog;

  atlas_test_add_run (f, 508, "running", NULL, "fresh", f->t0 - 100, f->t0 - 100);
  atlas_backend_server_reset_request_counts (f->server);
  detail = open_detail (f, 508);

  dialog = adw_message_dialog_new (f->window, "Settings", "A modal dialog over the window");
  gtk_window_present (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (atlas_poller_get_modal_open (detail_poller (detail)));
  atlas_test_advance (f, detail_poller (detail), 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (atlas_poller_get_modal_open (detail_poller (detail)));
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (detail_poller (detail));
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);
}

static void
test_dispose_mid_request (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (509);
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 300, 0, NULL, NULL };
  GtkWidget *detail, *alive;
  GWeakRef weak;
  gint64 deadline;

  atlas_test_add_run (f, 509, "running", NULL, "fresh", f->t0 - 5, f->t0 - 5);
  atlas_backend_server_inject_fault (f->server, &slow);
  detail = atlas_run_detail_new (f->client, f->clock, 1, 509);
  g_weak_ref_init (&weak, detail);
  atlas_test_show (f, detail);
  g_assert_cmpstr (atlas_run_detail_get_state (ATLAS_RUN_DETAIL (detail)), ==, "loading");

  /* Navigate away while the answer is still on its way. GTK lets go of a removed
   * child within a frame; the answer is held back longer than that. */
  gtk_window_set_child (f->window, NULL);
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while ((alive = g_weak_ref_get (&weak)) != NULL && g_get_monotonic_time () < deadline)
    {
      g_object_unref (alive);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_null (alive);
  g_weak_ref_clear (&weak);

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (atlas_test_count (f, path) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Nothing left running: no timer, and the late answer found no one to paint. */
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
}

static void
test_offline_keeps_data_and_recovers (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (510);
  AtlasBackendFault down = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "3", NULL };
  AtlasRunDetail *detail;

  atlas_test_add_run (f, 510, "running", NULL, "fresh", f->t0 - 100, f->t0 - 100);
  detail = open_detail (f, 510);
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Running for 1 min");

  atlas_backend_server_inject_fault (f->server, &down);
  atlas_test_advance (f, detail_poller (detail), 10);
  g_assert_true (atlas_run_detail_get_offline_shown (detail));
  /* The last good data stays on screen. */
  g_assert_cmpstr (atlas_run_detail_get_state (detail), ==, "run");
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), ==, "Running for 1 min");

  /* Retry-After 3 s (backoff floor), then it is back by itself. */
  atlas_test_advance (f, detail_poller (detail), 20);
  g_assert_false (atlas_run_detail_get_offline_shown (detail));
  g_assert_cmpstr (atlas_run_detail_get_headline (detail), !=, "Running for 1 min");
}

/* --- overlay ------------------------------------------------------------------ */

static void
test_overlay_active_only (Fixture       *f,
                          gconstpointer  data)
{
  const char *path = "/api/v1/workspaces/1/operations";
  GtkWidget *ops;
  GListModel *runs;
  AtlasPoller *poller;
  g_autofree char *done = NULL;
  guint n;

  atlas_test_add_run (f, 601, "running", NULL, "fresh", f->t0 - 100, f->t0 - 100);
  atlas_test_add_run (f, 602, "running", NULL, "likely_stale", f->t0 - 3600, f->t0 - 3600);
  atlas_test_add_run (f, 603, "completed", "succeeded", NULL, f->t0 - 100, f->t0 - 90);
  atlas_backend_server_reset_request_counts (f->server);

  ops = atlas_active_ops_new (f->client, f->clock, 1);
  atlas_test_show (f, ops);
  poller = atlas_active_ops_get_poller (ATLAS_ACTIVE_OPS (ops));
  atlas_test_settle (poller);

  runs = atlas_active_ops_get_runs (ATLAS_ACTIVE_OPS (ops));
  n = g_list_model_get_n_items (runs);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);
      g_assert_true (atlas_run_is_active (run));
      g_assert_cmpint (atlas_run_get_id (run), !=, 603);
      /* Likely stale first. */
      if (i == 0)
        g_assert_cmpint (atlas_run_get_freshness (run), ==, ATLAS_FRESHNESS_LIKELY_STALE);
    }

  atlas_test_advance (f, poller, 30);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1 + 3);

  /* Every active run ends: the overlay empties and stops. */
  done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\", \"completed_at\": \"%s\"}",
                          atlas_test_stamp (atlas_test_now (f)));
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);
        gint64 id = atlas_run_get_id (run);
        g_array_append_val (ids, id);
      }
    for (guint i = 0; i < ids->len; i++)
      atlas_test_patch_run (f, g_array_index (ids, gint64, i), done);
  }
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 0);
  g_assert_cmpuint (atlas_active_ops_get_count (ATLAS_ACTIVE_OPS (ops)), ==, 0);
  g_assert_false (atlas_poller_get_active (poller));
  atlas_test_advance (f, poller, 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1 + 4);
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

  atlas_test_ui_add ("/ui/run-detail/terminal-one-request", test_terminal_one_request);
  atlas_test_ui_add ("/ui/run-detail/active-polls-until-terminal", test_active_polls_until_terminal);
  atlas_test_ui_add ("/ui/run-detail/likely-stale-keeps-polling", test_likely_stale_keeps_polling);
  atlas_test_ui_add ("/ui/run-detail/unknown-never-polls", test_unknown_never_polls);
  atlas_test_ui_add ("/ui/run-detail/not-found-stops", test_not_found_stops);
  atlas_test_ui_add ("/ui/run-detail/hidden-window-pauses", test_hidden_window_pauses);
  atlas_test_ui_add ("/ui/run-detail/minimized-window-pauses", test_minimized_window_pauses);
  atlas_test_ui_add ("/ui/run-detail/modal-dialog-pauses", test_modal_dialog_pauses);
  atlas_test_ui_add ("/ui/run-detail/dispose-mid-request", test_dispose_mid_request);
  atlas_test_ui_add ("/ui/run-detail/offline-keeps-data-and-recovers", test_offline_keeps_data_and_recovers);
  atlas_test_ui_add ("/ui/overlay/active-only", test_overlay_active_only);

  return g_test_run ();
}
