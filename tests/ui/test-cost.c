/* test-cost.c — what a window costs the backend: the overlay rides on the page's answer
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "atlas-active-ops-private.h"
#include "atlas-backend-server.h"
#include "atlas-overview-private.h"
#include "atlas-run-detail-private.h"
#include "atlas-run-watcher.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-test-ui.h"
#include "atlas-window-private.h"

typedef AtlasTestFixture Fixture;   /* window: the AtlasWindow under test */

#define OVERVIEW   "/api/v1/workspaces/1/overview"
#define OPERATIONS "/api/v1/workspaces/1/operations"
#define NOTIFICATIONS "/api/v1/me/notifications"

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  atlas_test_ui_setup (f, data);
  /* The test set-up's plain window gives way to the AtlasWindow each test opens. */
  gtk_window_destroy (f->window);
  f->window = NULL;
}

static AtlasActiveOps *
overlay (Fixture *f)
{
  return ATLAS_ACTIVE_OPS (atlas_window_get_active_ops (f->window));
}

/* The page on screen has answered, and so has whatever polls beside it. */
static void
settle_page (Fixture *f)
{
  GtkWidget *page = atlas_window_get_visible_page (f->window);

  if (ATLAS_IS_OVERVIEW (page))
    atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (page)));
  else if (ATLAS_IS_TENANT_DASHBOARD (page))
    atlas_test_settle (atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (page)));
  else if (ATLAS_IS_RUN_DETAIL (page))
    atlas_test_settle (atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (ATLAS_RUN_DETAIL (page))));
  atlas_test_settle (atlas_active_ops_get_poller (overlay (f)));
}

/* Discovery off: what reaches the backend is the pages' and the overlay's rules. */
static void
open_window (Fixture *f)
{
  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  atlas_window_set_idle_discovery (f->window, FALSE);
  gtk_window_present (GTK_WINDOW (f->window));
  while (atlas_window_get_workspace_id (f->window) == 0 || !ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)))
    g_main_context_iteration (NULL, TRUE);
  settle_page (f);
  atlas_test_drain (100);
}

static void
advance (Fixture *f,
         guint    seconds)
{
  for (guint i = 0; i < seconds; i++)
    {
      atlas_test_advance (f, atlas_active_ops_get_poller (overlay (f)), 1);
      settle_page (f);
    }
}

/* The `test` scenario has active runs: the overview polls, and its answer carries the
 * overlay's list — the overlay sends nothing, at start-up or after. */
static void
test_overview_carries_the_overlay (Fixture       *f,
                                   gconstpointer  data)
{
  guint64 overviews;

  open_window (f);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 0);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), ==, 1);
  g_assert_cmpuint (atlas_active_ops_get_count (overlay (f)), >, 0);

  atlas_backend_server_reset_request_counts (f->server);
  advance (f, 60);
  overviews = atlas_test_count (f, OVERVIEW);
  /* The overview's rule for active work (10 s), once each time: not twice. */
  g_assert_cmpuint (overviews, >=, 4);
  g_assert_cmpuint (overviews, <=, 7);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 0);
  g_assert_cmpuint (atlas_active_ops_get_count (overlay (f)), >, 0);
}

/* A run detail does not carry the overlay's list: the overlay polls its own, as
 * before, and stops again when the overview is back. */
static void
test_run_detail_overlay_polls (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(AtlasRun) run = NULL;
  guint64 lists;

  open_window (f);
  run = g_list_model_get_item (atlas_active_ops_get_runs (overlay (f)), 0);
  g_assert_nonnull (run);
  atlas_window_show_run (f->window, atlas_run_get_id (run));
  settle_page (f);
  atlas_backend_server_reset_request_counts (f->server);

  advance (f, 60);
  lists = atlas_test_count (f, OPERATIONS);
  g_assert_cmpuint (lists, >=, 3);

  atlas_window_go_back (f->window);
  settle_page (f);
  atlas_backend_server_reset_request_counts (f->server);
  advance (f, 60);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 0);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), >=, 4);
}

static void
count_cb (AtlasNotifier     *notifier,
          AtlasNotification *n,
          guint             *seen)
{
  (*seen)++;
}

static gint64
my_user_id (Fixture *f)
{
  AtlasTestResult r = { 0 };
  gint64 id;

  atlas_client_get_me_async (f->client, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  id = ((AtlasMe *) r.response->payload)->user_id;
  atlas_test_result_clear (&r);
  return id;
}

/* Only a run of mine is going (the scenario's own runs have ended), and the window
 * shows its notifications in the window (no session bus here). */
static AtlasNotifier *
open_with_my_run (Fixture *f,
                  gint64   run_id,
                  guint   *seen)
{
  g_autofree char *initiator = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"name\": \"Dana Operator\"}",
                                                my_user_id (f));
  AtlasTestRun run = {
    .id = run_id, .status = "running", .freshness = "fresh",
    .created_at = f->t0 - 30, .started_at = f->t0 - 30,
    .initiator = initiator, .initiated_by_me = TRUE,
  };
  AtlasNotifier *notifier;

  atlas_test_finish_active_runs (f);
  atlas_test_insert_run (f, &run);
  open_window (f);
  atlas_window_set_notify (f->window, ATLAS_WINDOW_NOTIFY_IN_APP);
  notifier = atlas_window_get_notifier (f->window);
  g_assert_nonnull (notifier);
  g_signal_connect (notifier, "notification", G_CALLBACK (count_cb), seen);
  atlas_test_settle (atlas_notifier_get_poller (notifier));
  settle_page (f);
  g_assert_cmpint (atlas_active_ops_get_initiated_count (overlay (f)), ==, 1);
  return notifier;
}

/* The overview shows my run going: the notifier sends nothing on its own; my run
 * finishing yields exactly one notification fetch and one notification. */
static void
test_notifications_ride_along (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\","
                                           " \"completed_at\": \"%s\"}", atlas_test_stamp (f->t0));
  guint seen = 0;
  AtlasNotifier *notifier = open_with_my_run (f, 9400, &seen);

  atlas_backend_server_reset_request_counts (f->server);
  advance (f, 60);
  g_assert_cmpuint (atlas_test_count (f, NOTIFICATIONS), ==, 0);
  g_assert_cmpuint (seen, ==, 0);

  atlas_test_patch_run (f, 9400, done);
  advance (f, 12);   /* the overview's next answer no longer lists it */
  atlas_test_settle (atlas_notifier_get_poller (notifier));
  g_assert_cmpint (atlas_active_ops_get_initiated_count (overlay (f)), ==, 0);
  g_assert_cmpuint (atlas_test_count (f, NOTIFICATIONS), ==, 1);
  g_assert_cmpuint (seen, ==, 1);

  advance (f, 60);
  g_assert_cmpuint (atlas_test_count (f, NOTIFICATIONS), ==, 1);
  g_assert_cmpuint (seen, ==, 1);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 0);
}

/* With the window hidden nothing on screen feeds the notifier: it keeps its 10 s
 * rule while my run is going, and shows the notification of its end. */
static void
test_notifications_hidden_keep_the_rule (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\","
                                           " \"completed_at\": \"%s\"}", atlas_test_stamp (f->t0));
  guint seen = 0;
  AtlasNotifier *notifier = open_with_my_run (f, 9401, &seen);
  AtlasPoller *poller = atlas_notifier_get_poller (notifier);
  guint64 notes;

  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  atlas_test_drain (50);
  atlas_backend_server_reset_request_counts (f->server);
  atlas_test_advance (f, poller, 60);
  notes = atlas_test_count (f, NOTIFICATIONS);
  g_assert_cmpuint (notes, >=, 5);
  g_assert_cmpuint (notes, <=, 7);
  /* Hidden, the page and the overlay ask for nothing. */
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), ==, 0);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 0);

  atlas_test_patch_run (f, 9401, done);
  atlas_test_advance (f, poller, 11);
  g_assert_cmpuint (seen, ==, 1);
  /* My run ended: the rule stops polling. */
  notes = atlas_test_count (f, NOTIFICATIONS);
  atlas_test_advance (f, poller, 60);
  g_assert_cmpuint (atlas_test_count (f, NOTIFICATIONS), ==, notes);
  g_assert_cmpuint (seen, ==, 1);
}

/* Stale notices come from the active runs the page on screen carries: a run of the
 * workspace (not mine) becoming likely stale on the overview raises one notice, once,
 * with no request beyond the overview's own. */
static void
test_stale_notice_rides_along (Fixture       *f,
                               gconstpointer  data)
{
  AtlasTestRun run = {
    .id = 9410, .status = "running", .freshness = "fresh",
    .created_at = f->t0 - 30, .started_at = f->t0 - 30,
  };

  atlas_test_insert_run (f, &run);
  open_window (f);
  atlas_window_set_notify_stale (f->window, ATLAS_WINDOW_NOTIFY_IN_APP);
  atlas_backend_server_reset_request_counts (f->server);
  advance (f, 12);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 0);

  atlas_test_patch_run (f, 9410, "{\"freshness\":\"likely_stale\"}");
  advance (f, 12);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 1);
  advance (f, 30);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 1);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 0);
  g_assert_cmpuint (atlas_test_count (f, NOTIFICATIONS), ==, 0);
}

static void
add_workspace_run (Fixture *f,
                   gint64   run_id)
{
  AtlasTestRun run = {
    .id = run_id, .status = "running", .freshness = "fresh",
    .created_at = f->t0 - 30, .started_at = f->t0 - 30,
  };

  atlas_test_insert_run (f, &run);
}

/* notify-workspace-failures: a run of the workspace (not mine) that ends failed, seen
 * leaving the overview's active runs, raises one notice, with one request for its final
 * state; off, none; a restart does not announce it again. */
static void
test_workspace_failures_notify_once (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *failed = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"failed\","
                                             " \"completed_at\": \"%s\"}", atlas_test_stamp (f->t0));
  g_autofree char *ok = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\","
                                         " \"completed_at\": \"%s\"}", atlas_test_stamp (f->t0));

  add_workspace_run (f, 9420);
  add_workspace_run (f, 9421);
  open_window (f);
  atlas_window_set_notify_failures (f->window, ATLAS_WINDOW_NOTIFY_DESKTOP);
  advance (f, 12);
  atlas_backend_server_reset_request_counts (f->server);

  atlas_test_patch_run (f, 9420, failed);
  atlas_test_patch_run (f, 9421, ok);
  advance (f, 12);
  atlas_test_drain (50);
  g_assert_cmpuint (atlas_window_get_failures_announced (f->window), ==, 1);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS "/9420"), ==, 1);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS "/9421"), ==, 1);
  advance (f, 30);
  g_assert_cmpuint (atlas_window_get_failures_announced (f->window), ==, 1);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS), ==, 2);

  /* Restarted, the same run active again and failing again: not announced twice. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  atlas_test_patch_run (f, 9420, "{\"status\": \"running\", \"outcome\": null, \"completed_at\": null}");
  open_window (f);
  atlas_window_set_notify_failures (f->window, ATLAS_WINDOW_NOTIFY_DESKTOP);
  advance (f, 12);
  atlas_test_patch_run (f, 9420, failed);
  advance (f, 12);
  atlas_test_drain (50);
  g_assert_cmpuint (atlas_window_get_failures_announced (f->window), ==, 0);

  /* The preference off: none, and no request for the run's end. */
  atlas_window_set_notify_failures (f->window, ATLAS_WINDOW_NOTIFY_NONE);
  add_workspace_run (f, 9422);
  advance (f, 12);
  atlas_backend_server_reset_request_counts (f->server);
  atlas_test_patch_run (f, 9422, failed);
  advance (f, 12);
  atlas_test_drain (50);
  g_assert_cmpuint (atlas_window_get_failures_announced (f->window), ==, 0);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS "/9422"), ==, 0);
}

/* Opening a tenant: the overlay now reads the dashboard's answer instead of the
 * overview's. Both carry the workspace's active runs (operator-api.md,
 * active_operations), so no run seems to leave the set and nothing is fetched. */
static void
test_workspace_failures_page_switch (Fixture       *f,
                                     gconstpointer  data)
{
  AtlasTestRun a = { .id = 9430, .tenant_id = 3, .status = "running", .freshness = "fresh",
                     .created_at = f->t0 - 30, .started_at = f->t0 - 30 };
  AtlasTestRun b = { .id = 9431, .tenant_id = 4, .status = "running", .freshness = "fresh",
                     .created_at = f->t0 - 30, .started_at = f->t0 - 30 };

  atlas_test_insert_run (f, &a);
  atlas_test_insert_run (f, &b);
  open_window (f);
  atlas_window_set_notify_failures (f->window, ATLAS_WINDOW_NOTIFY_DESKTOP);
  advance (f, 12);
  atlas_backend_server_reset_request_counts (f->server);

  atlas_window_show_tenant (f->window, 3);
  while (!ATLAS_IS_TENANT_DASHBOARD (atlas_window_get_visible_page (f->window)))
    g_main_context_iteration (NULL, TRUE);
  advance (f, 12);
  atlas_test_drain (50);
  g_assert_cmpuint (atlas_test_count (f, OPERATIONS "/"), ==, 0);
  g_assert_cmpuint (atlas_window_get_failures_announced (f->window), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/" path, Fixture, NULL, fixture_setup, func, atlas_test_ui_teardown)

  ADD ("cost/overview-carries-the-overlay", test_overview_carries_the_overlay);
  ADD ("cost/run-detail-overlay-polls", test_run_detail_overlay_polls);
  ADD ("cost/notifications-ride-along", test_notifications_ride_along);
  ADD ("cost/notifications-hidden-keep-the-rule", test_notifications_hidden_keep_the_rule);
  ADD ("cost/stale-notice-rides-along", test_stale_notice_rides_along);
  ADD ("cost/workspace-failures-notify-once", test_workspace_failures_notify_once);
  ADD ("cost/workspace-failures-page-switch", test_workspace_failures_page_switch);

  return g_test_run ();
}
