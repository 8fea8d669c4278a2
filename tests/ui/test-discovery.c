/* test-discovery.c — a window learns of new work by itself: discovery, on by default
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "atlas-active-ops-private.h"
#include "atlas-backend-server.h"
#include "atlas-discovery-private.h"
#include "atlas-minute-tick.h"
#include "atlas-run-list-private.h"
#include "atlas-run-row-private.h"
#include "atlas-operations-list-private.h"
#include "atlas-overview-private.h"
#include "atlas-test-ui.h"
#include "atlas-window-private.h"

typedef AtlasTestFixture Fixture;   /* window: the AtlasWindow under test */

#define OVERVIEW "/api/v1/workspaces/1/overview"
#define NEW_RUN  801

/* The `test` scenario has live runs; finished, nothing on any screen is active and
 * no widget rule polls: whatever reaches the backend then is discovery. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  atlas_test_ui_setup (f, data);
  /* The test set-up's plain window gives way to the AtlasWindow each test opens. */
  gtk_window_destroy (f->window);
  f->window = NULL;

  atlas_test_finish_active_runs (f);
}

static void
insert_running_run (Fixture *f,
                    gint64   tenant_id)
{
  gint64 now = atlas_test_now (f);
  AtlasTestRun run = {
    .id = NEW_RUN, .tenant_id = tenant_id, .status = "running", .freshness = "fresh",
    .created_at = now, .started_at = now, .last_progress_at = now,
    .summary_counts = "{\"total\": 10, \"processed\": 1}",
    .web_link = "https://atlas.example.test/x",
  };

  atlas_test_insert_run (f, &run);
}

static AtlasPoller *
discovery_poller (Fixture *f)
{
  AtlasDiscovery *discovery = atlas_window_get_discovery (f->window);

  g_assert_nonnull (discovery);
  return atlas_discovery_get_poller (discovery);
}

static gint64
overview_active (Fixture *f)
{
  GtkWidget *page = atlas_window_get_visible_page (f->window);
  GListModel *tenants;
  gint64 active = 0;

  g_assert_true (ATLAS_IS_OVERVIEW (page));
  tenants = atlas_overview_get_tenants (ATLAS_OVERVIEW (page));
  for (guint i = 0; i < g_list_model_get_n_items (tenants); i++)
    {
      g_autoptr(AtlasTenantSummary) t = g_list_model_get_item (tenants, i);
      active += atlas_tenant_summary_get_active_count (t);
    }
  return active;
}

/* Whatever the window set off at start-up (/me, overview, overlay, notifications)
 * has been answered; the request counts start from here. */
static void
open_window (Fixture *f)
{
  GtkWidget *page;

  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  gtk_window_present (GTK_WINDOW (f->window));
  while (atlas_window_get_workspace_id (f->window) == 0 || atlas_window_get_discovery (f->window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_OVERVIEW (page));
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (page)));
  atlas_test_settle (atlas_active_ops_get_poller (ATLAS_ACTIVE_OPS (atlas_window_get_active_ops (f->window))));
  atlas_test_drain (100);
  atlas_backend_server_reset_request_counts (f->server);
}

/* Both clocks on by `seconds`, one at a time; every answer discovery set off (the
 * page's refresh, the overlay's) is in before the next second. */
static void
advance (Fixture *f,
         guint    seconds)
{
  for (guint i = 0; i < seconds; i++)
    {
      GtkWidget *page = atlas_window_get_visible_page (f->window);

      atlas_test_advance (f, discovery_poller (f), 1);
      if (ATLAS_IS_OVERVIEW (page))
        atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (page)));
      else if (ATLAS_IS_OPERATIONS_LIST (page))
        atlas_test_settle (atlas_operations_list_get_poller (ATLAS_OPERATIONS_LIST (page)));
      atlas_test_settle (atlas_active_ops_get_poller (ATLAS_ACTIVE_OPS (atlas_window_get_active_ops (f->window))));
    }
}

static void
test_new_run_appears_within_a_minute (Fixture       *f,
                                      gconstpointer  data)
{
  GtkWidget *ops;
  guint seconds = 0;

  open_window (f);
  ops = atlas_window_get_active_ops (f->window);
  g_assert_cmpint (overview_active (f), ==, 0);
  g_assert_cmpuint (atlas_active_ops_get_count (ATLAS_ACTIVE_OPS (ops)), ==, 0);

  /* Someone starts a run elsewhere; nothing on screen polls. */
  advance (f, 5);
  insert_running_run (f, 3);
  while (overview_active (f) == 0 && seconds < 120)
    {
      advance (f, 1);
      seconds++;
    }
  g_test_message ("the new run showed %u s after it started (test clock)", seconds);
  g_assert_cmpint (overview_active (f), ==, 1);
  /* The first discovery request is a full minute after the window's load, never sooner. */
  g_assert_cmpuint (seconds, <=, 55);
  g_assert_cmpuint (seconds, >=, 54);
  g_assert_cmpuint (atlas_active_ops_get_count (ATLAS_ACTIVE_OPS (ops)), ==, 1);
  g_assert_cmpuint (atlas_discovery_get_change_count (atlas_window_get_discovery (f->window)), ==, 1);
  /* From here the overview's own rule (10 s while a tenant is active) takes over. */
  g_assert_cmpuint (atlas_poller_get_interval (atlas_overview_get_poller (ATLAS_OVERVIEW (atlas_window_get_visible_page (f->window)))),
                    ==, 10000);
}

static void
test_idle_costs_one_304_a_minute (Fixture       *f,
                                  gconstpointer  data)
{
  AtlasDiscovery *discovery;

  open_window (f);
  discovery = atlas_window_get_discovery (f->window);
  advance (f, 59);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/"), ==, 0);
  advance (f, 1);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), ==, 1);

  /* Ten minutes with nothing active: one conditional request a minute, all 304
   * (nothing changed), and no other request at all. */
  advance (f, 600);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), ==, 11);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/"), ==, 11);
  g_assert_cmpuint (atlas_discovery_get_request_count (discovery), ==, 11);
  g_assert_cmpuint (atlas_discovery_get_change_count (discovery), ==, 0);
  /* This backend does not hold requests: the client noticed and keeps the minute. */
  g_assert_false (atlas_discovery_get_held (discovery));
}

static void
test_hidden_window_asks_nothing (Fixture       *f,
                                 gconstpointer  data)
{
  open_window (f);
  advance (f, 30);
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  insert_running_run (f, 3);
  /* Hidden for ten minutes, with new work waiting: not one request. */
  for (guint i = 0; i < 600; i++)
    atlas_test_advance (f, discovery_poller (f), 1);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/"), ==, 0);

  /* Shown again: discovery was due long ago, so it asks at once and finds the run. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), TRUE);
  while (!gtk_widget_get_mapped (GTK_WIDGET (f->window)))
    g_main_context_iteration (NULL, TRUE);
  while (!atlas_poller_get_visible (discovery_poller (f)))
    g_main_context_iteration (NULL, TRUE);
  /* (Under Xvfb the toplevel's state may settle a moment after the map.) */
  for (guint i = 0; i < 5 && atlas_test_count (f, OVERVIEW) == 0; i++)
    {
      atlas_test_drain (20);
      advance (f, 1);
    }
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), >=, 1);
  g_assert_cmpint (overview_active (f), ==, 1);
}

static void
test_turned_off (Fixture       *f,
                 gconstpointer  data)
{
  open_window (f);
  atlas_window_set_idle_discovery (f->window, FALSE);
  g_assert_null (atlas_window_get_discovery (f->window));
  insert_running_run (f, 3);
  for (guint i = 0; i < 300; i++)
    {
      f->ms += 1000;
      atlas_backend_server_set_clock (f->server, atlas_test_now (f));
      atlas_manual_clock_advance (f->clock, 1000);
    }
  atlas_test_drain (100);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/"), ==, 0);
  g_assert_cmpint (overview_active (f), ==, 0);

  /* On again: a full minute later, the run is there. */
  atlas_window_set_idle_discovery (f->window, TRUE);
  advance (f, 60);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), >=, 1);
  g_assert_cmpint (overview_active (f), ==, 1);
}

static gint64
label_count (const char *label)
{
  const char *space = strrchr (label, ' ');

  g_assert_nonnull (space);
  return g_ascii_strtoll (space + 1, NULL, 10);
}

/* History (the Completed tab) polls nothing by its own rule, but its tab counts and
 * "N new runs" still follow the workspace. */
static void
test_completed_tab_counts_follow (Fixture       *f,
                                  gconstpointer  data)
{
  AtlasOperationsList *list;
  gint64 completed, active;
  g_autofree char *done = NULL;

  insert_running_run (f, 3);
  open_window (f);
  atlas_window_show_operations (f->window, 0);
  list = ATLAS_OPERATIONS_LIST (atlas_window_get_visible_page (f->window));
  atlas_operations_list_set_tab (list, ATLAS_TAB_COMPLETED);
  atlas_test_settle (atlas_operations_list_get_poller (list));
  /* The page transition is over: the overview under the list is off screen. */
  atlas_test_drain (300);
  g_assert_cmpuint (atlas_poller_get_interval (atlas_operations_list_get_poller (list)), ==, 0);
  completed = label_count (atlas_operations_list_get_tab_label (list, ATLAS_TAB_COMPLETED));
  active = label_count (atlas_operations_list_get_tab_label (list, ATLAS_TAB_ACTIVE));
  g_assert_cmpint (active, ==, 1);

  /* The run finishes while the list shows only finished ones. */
  advance (f, 10);
  done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\", \"freshness\": null,"
                          " \"completed_at\": \"%s\"}", atlas_test_stamp (atlas_test_now (f)));
  atlas_test_patch_run (f, NEW_RUN, done);
  advance (f, 60);
  g_assert_cmpint (label_count (atlas_operations_list_get_tab_label (list, ATLAS_TAB_COMPLETED)), ==, completed + 1);
  g_assert_cmpint (label_count (atlas_operations_list_get_tab_label (list, ATLAS_TAB_ACTIVE)), ==, 0);
  /* The finished run arrived on page 1 of Completed: announced, not pushed in. */
  g_assert_cmpuint (atlas_operations_list_get_pending_new (list), ==, 1);
}

/* Both clocks on by one second without waiting for discovery's answer: a held
 * request stays out on purpose. Whatever else is due is answered. */
static void
step_holding (Fixture *f)
{
  f->ms += 1000;
  atlas_backend_server_set_clock (f->server, atlas_test_now (f));
  atlas_manual_clock_advance (f->clock, 1000);
  atlas_test_drain (5);
}

/* Against a server that holds (Preference-Applied), new work shows at once — within
 * 2 s of test-clock time — and an idle minute still costs one request. */
static void
test_holding_server (Fixture       *f,
                     gconstpointer  data)
{
  AtlasDiscovery *discovery;
  AtlasPoller *poller;
  guint seconds = 0;
  gint64 limit;

  atlas_backend_server_set_hold_requests (f->server, TRUE);
  open_window (f);
  discovery = atlas_window_get_discovery (f->window);
  poller = atlas_discovery_get_poller (discovery);

  /* A minute after the load, the first request goes out and the server keeps it. */
  for (guint i = 0; i < 60; i++)
    step_holding (f);
  limit = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (atlas_test_count (f, OVERVIEW) == 0 && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), ==, 1);
  atlas_test_drain (100);
  g_assert_true (atlas_poller_get_in_flight (poller));

  /* Ten idle minutes: the holds run out (304 after 55 s), the next follows 5 s later. */
  for (guint i = 0; i < 600; i++)
    step_holding (f);
  atlas_test_drain (100);
  g_test_message ("%" G_GUINT64_FORMAT " overview requests in 11 idle minutes with holding",
                  atlas_test_count (f, OVERVIEW));
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), <=, 11);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), >=, 10);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/"), ==, atlas_test_count (f, OVERVIEW));
  g_assert_true (atlas_discovery_get_held (discovery));
  g_assert_cmpint (overview_active (f), ==, 0);

  /* Wait until a request is held, then someone starts a run: it shows within 2 s. */
  while (!atlas_poller_get_in_flight (poller) && seconds++ < 10)
    step_holding (f);
  g_assert_true (atlas_poller_get_in_flight (poller));
  insert_running_run (f, 3);
  /* The server answers the held request on the change: no clock has to move. */
  seconds = 0;
  for (guint i = 0; i < 100 && overview_active (f) == 0; i++)
    atlas_test_drain (20);
  while (overview_active (f) == 0 && seconds < 2)
    {
      step_holding (f);
      seconds++;
    }
  g_test_message ("the new run showed after %u s of test-clock time", seconds);
  g_assert_cmpint (overview_active (f), ==, 1);
  g_assert_cmpuint (seconds, <=, 2);
}

/* While the overview polls by its own rule (a tenant is active), each of its answers
 * tells the window what discovery would: discovery sends nothing. A minute after the
 * page goes quiet it asks again (issue 16: a wall screen costs the page's rule, not
 * the rule plus discovery). */
static void
test_quiet_while_the_page_polls (Fixture       *f,
                                 gconstpointer  data)
{
  AtlasDiscovery *discovery;
  guint64 asked;
  guint seconds = 0;

  open_window (f);
  discovery = atlas_window_get_discovery (f->window);
  insert_running_run (f, 3);
  while (overview_active (f) == 0 && seconds++ < 70)
    advance (f, 1);
  g_assert_cmpint (overview_active (f), ==, 1);
  asked = atlas_discovery_get_request_count (discovery);
  g_assert_cmpuint (asked, ==, 1);

  atlas_backend_server_reset_request_counts (f->server);
  advance (f, 120);
  g_test_message ("%" G_GUINT64_FORMAT " overview requests in 2 min with a run going",
                  atlas_test_count (f, OVERVIEW));
  g_assert_cmpuint (atlas_discovery_get_request_count (discovery), ==, asked);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), >=, 11);
  g_assert_cmpuint (atlas_test_count (f, OVERVIEW), <=, 13);

  /* The run ends; the page's next answer stops its rule. */
  atlas_test_finish_active_runs (f);
  seconds = 0;
  while (overview_active (f) != 0 && seconds++ < 20)
    advance (f, 1);
  g_assert_cmpint (overview_active (f), ==, 0);
  g_assert_cmpuint (atlas_poller_get_interval (atlas_overview_get_poller (ATLAS_OVERVIEW (atlas_window_get_visible_page (f->window)))),
                    ==, 0);
  advance (f, 58);
  g_assert_cmpuint (atlas_discovery_get_request_count (discovery), ==, asked);
  advance (f, 3);
  g_assert_cmpuint (atlas_discovery_get_request_count (discovery), ==, asked + 1);
  /* Nothing changed since the page's last load: no refresh follows. */
  g_assert_cmpuint (atlas_discovery_get_change_count (discovery), ==, 1);
}

/* A workspace without tenants says so and what to expect, instead of zero tiles over
 * an empty grid. */
static void
test_empty_workspace_says_so (Fixture       *f,
                              gconstpointer  data)
{
  AtlasBackendOptions options = { NULL, "empty", TRUE, 0 };
  g_autoptr(AtlasBackendServer) server = NULL;
  g_autoptr(AtlasClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GtkWidget *overview, *stack;

  server = atlas_backend_server_new (&options, &error);
  g_assert_no_error (error);
  atlas_backend_server_start (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  url = atlas_backend_server_dup_base_url (server);
  client = atlas_client_new (url, atlas_backend_server_get_token (server, "operator"), 0, &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  overview = atlas_overview_new (client, f->clock, 1);
  stack = atlas_test_find_descendant (overview, GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "loading");
  atlas_test_show (f, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
  g_assert_cmpuint (g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview))), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  gtk_window_destroy (f->window);
  f->window = NULL;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  atlas_backend_server_stop (server);
}

/* "finished 3 min ago" reads "5 min ago" two minutes later, with no request: the
 * window's one minute tick, held while rows show. */
static void
test_relative_times_move (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *page;
  AtlasRunList *recent;
  AtlasRunRow *row = NULL;
  g_autofree char *before = NULL;
  gint64 limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  open_window (f);
  atlas_window_set_idle_discovery (f->window, FALSE);
  page = atlas_window_get_visible_page (f->window);
  recent = ATLAS_RUN_LIST (atlas_test_find_descendant (page, ATLAS_TYPE_RUN_LIST));
  while ((row = atlas_run_list_get_row (recent, 0)) == NULL && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (row);
  g_assert_cmpuint (atlas_minute_tick_get_holds (atlas_minute_tick_get_for_widget (page)), >=, 1);
  before = g_strdup (atlas_run_row_get_meta_text (row));
  g_assert_true (strstr (before, " ago") != NULL);

  for (guint i = 0; i < 120; i++)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_test_message ("%s → %s", before, atlas_run_row_get_meta_text (row));
  g_assert_cmpstr (atlas_run_row_get_meta_text (row), !=, before);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/"), ==, 0);

  /* Off screen (hidden), nobody holds the tick: no timer. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_cmpuint (atlas_minute_tick_get_holds (atlas_minute_tick_get_for_widget (page)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/" path, Fixture, NULL, fixture_setup, func, atlas_test_ui_teardown)

  ADD ("discovery/new-run-within-a-minute", test_new_run_appears_within_a_minute);
  ADD ("discovery/idle-one-304-a-minute", test_idle_costs_one_304_a_minute);
  ADD ("discovery/hidden-window-asks-nothing", test_hidden_window_asks_nothing);
  ADD ("discovery/turned-off", test_turned_off);
  ADD ("discovery/completed-tab-counts-follow", test_completed_tab_counts_follow);
  ADD ("overview/empty-workspace-says-so", test_empty_workspace_says_so);
  ADD ("rows/relative-times-move", test_relative_times_move);
  ADD ("discovery/holding-server", test_holding_server);
  ADD ("discovery/quiet-while-the-page-polls", test_quiet_while_the_page_polls);

  return g_test_run ();
}
