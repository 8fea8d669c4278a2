/* test-kiosk.c — the window: kiosk recovery without input, deep links, navigation
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-deep-link.h"
#include "atlas-operations-list-private.h"
#include "atlas-overview.h"
#include "atlas-review-pack-card-private.h"
#include "atlas-run-detail-private.h"
#include "atlas-run-list-private.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-tenant-summary.h"
#include "atlas-test-ui.h"
#include "atlas-window-private.h"

typedef AtlasTestFixture Fixture;   /* window: the AtlasWindow under test */

/* The kiosk's token: a read-only role. The window is each test's own. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  atlas_test_fixture_init (f, "kiosk");
}

static gboolean
overview_live (Fixture *f)
{
  GtkWidget *page = atlas_window_get_visible_page (f->window);

  return ATLAS_IS_OVERVIEW (page) &&
         g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (page))) > 0;
}

static void
open_window (Fixture *f,
             gint64   tenant_id,
             gint64   run_id)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  f->window = atlas_window_new (NULL, f->client, f->clock, 0, tenant_id, run_id);
  gtk_window_present (GTK_WINDOW (f->window));
  while (atlas_window_get_workspace_id (f->window) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (atlas_window_get_workspace_id (f->window), ==, 1);
}

static void
test_kiosk_recovers_without_input (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = atlas_backend_server_get_port (f->server);
  guint seconds = 0;

  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  atlas_window_set_kiosk (f->window, TRUE);
  gtk_window_present (GTK_WINDOW (f->window));
  while (!overview_live (f))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "kiosk"));

  /* The backend goes away. The next poll (the overview's own, or idle discovery at
   * the latest after 60 s) finds out, and the whole screen says so. */
  atlas_backend_server_stop (f->server);
  while (!atlas_window_get_recovering (f->window) && seconds++ < 70)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (50);
    }
  g_assert_true (atlas_window_get_recovering (f->window));
  g_assert_false (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));

  /* It keeps retrying on its own for a while (backoff), nobody touches anything … */
  for (guint i = 0; i < 30; i++)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (50);
    }
  g_assert_true (atlas_window_get_recovering (f->window));

  /* … and when the backend is back, live data returns without any input. */
  atlas_backend_server_start (f->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  seconds = 0;
  while (!(overview_live (f) && !atlas_window_get_recovering (f->window)) && seconds++ < 600)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (50);
    }
  g_test_message ("back after %u s of retrying", seconds);
  g_assert_false (atlas_window_get_recovering (f->window));
  g_assert_true (overview_live (f));
}

static void
test_kiosk_is_read_only (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AtlasClient) operator = NULL;
  g_autofree char *url = atlas_backend_server_dup_base_url (f->server);
  GtkWidget *page;

  /* Even with a token that may generate, a kiosk offers no Generate. */
  operator = atlas_client_new (url, atlas_backend_server_get_token (f->server, "operator"), 0, NULL);
  g_set_object (&f->client, operator);
  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  atlas_window_set_kiosk (f->window, TRUE);
  gtk_window_present (GTK_WINDOW (f->window));
  while (atlas_window_get_workspace_id (f->window) == 0)
    g_main_context_iteration (NULL, TRUE);
  atlas_window_show_tenant (f->window, 3);
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_TENANT_DASHBOARD (page));
  while (atlas_tenant_dashboard_get_review_pack_card (ATLAS_TENANT_DASHBOARD (page)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gtk_widget_get_visible (
    atlas_review_pack_card_get_generate_button (
      ATLAS_REVIEW_PACK_CARD (atlas_tenant_dashboard_get_review_pack_card (ATLAS_TENANT_DASHBOARD (page))))));
}

static void
test_deep_links_and_back (Fixture       *f,
                          gconstpointer  data)
{
  AtlasDeepLink link;
  GtkWidget *page;

  open_window (f, 0, 0);
  g_assert_true (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));

  g_assert_true (atlas_deep_link_parse ("https://atlas.example.test/admin/workspaces/1/operations/15", &link));
  atlas_window_open_link (f->window, &link);
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_RUN_DETAIL (page));

  g_assert_true (atlas_deep_link_parse ("https://atlas.example.test/admin/tenants/4", &link));
  atlas_window_open_link (f->window, &link);
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_TENANT_DASHBOARD (page));
  g_assert_cmpint (atlas_tenant_dashboard_get_tenant (ATLAS_TENANT_DASHBOARD (page)), ==, 4);

  /* Alt+Left goes back; the page left behind is gone. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  g_assert_true (ATLAS_IS_RUN_DETAIL (atlas_window_get_visible_page (f->window)));

  g_assert_true (atlas_deep_link_parse ("https://atlas.example.test/admin/workspaces/1", &link));
  atlas_window_open_link (f->window, &link);
  g_assert_true (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));
}

/* Enter or a click on a tenant card (GtkGridView::activate) opens that tenant, the
 * one the card shows (the attention order, not the server's). */
static void
test_cards_open_tenant (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *overview, *grid;
  g_autoptr(AtlasTenantSummary) second = NULL;

  open_window (f, 0, 0);
  while (!overview_live (f))
    g_main_context_iteration (NULL, TRUE);
  overview = atlas_window_get_visible_page (f->window);
  grid = atlas_test_find_descendant (overview, GTK_TYPE_GRID_VIEW);
  g_assert_nonnull (grid);
  second = g_list_model_get_item (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview)), 1);
  g_signal_emit_by_name (grid, "activate", 1);
  g_assert_true (ATLAS_IS_TENANT_DASHBOARD (atlas_window_get_visible_page (f->window)));
  g_assert_cmpint (atlas_tenant_dashboard_get_tenant (ATLAS_TENANT_DASHBOARD (atlas_window_get_visible_page (f->window))),
                   ==, atlas_tenant_summary_get_id (second));
}

/* The first run list of @widget that is shown (a dashboard hides an empty one). */
static GtkWidget *
find_shown_run_list (GtkWidget *widget)
{
  if (ATLAS_IS_RUN_LIST (widget))
    return gtk_widget_get_visible (widget) ? widget : NULL;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_shown_run_list (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A row of the overlay, of a dashboard list and of the operations list open that
 * run's detail. */
static void
test_rows_open_run_detail (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *expected = NULL;
  GtkWidget *list, *page;
  AtlasRun *run;
  gint64 deadline;

  /* What Enter or a click on a row does (GtkListView::activate). */
  open_window (f, 0, 0);
  list = atlas_test_find_descendant (atlas_window_get_active_ops (f->window), ATLAS_TYPE_RUN_LIST);
  g_assert_nonnull (list);
  while (g_list_model_get_n_items (atlas_run_list_get_model (ATLAS_RUN_LIST (list))) == 0)
    g_main_context_iteration (NULL, TRUE);
  atlas_run_list_activate (ATLAS_RUN_LIST (list), 0);
  g_assert_true (ATLAS_IS_RUN_DETAIL (atlas_window_get_visible_page (f->window)));

  atlas_window_show_tenant (f->window, 3);
  page = atlas_window_get_visible_page (f->window);
  list = atlas_test_find_descendant (page, ATLAS_TYPE_RUN_LIST);
  g_assert_nonnull (list);
  /* The recent list of the dashboard (the attention list comes first, hidden when empty). */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0) == NULL && g_get_monotonic_time () < deadline)
    {
      list = find_shown_run_list (page);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0));
  atlas_run_list_activate (ATLAS_RUN_LIST (list), 0);
  g_assert_true (ATLAS_IS_RUN_DETAIL (atlas_window_get_visible_page (f->window)));

  atlas_window_show_operations (f->window, 0);
  list = atlas_test_find_descendant (atlas_window_get_visible_page (f->window), ATLAS_TYPE_RUN_LIST);
  g_assert_nonnull (list);
  while (atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0) == NULL)
    g_main_context_iteration (NULL, TRUE);
  run = atlas_run_row_get_run (atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0));
  expected = g_strdup_printf ("Run #%" G_GINT64_FORMAT, atlas_run_get_id (run));
  atlas_run_list_activate (ATLAS_RUN_LIST (list), 0);
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_RUN_DETAIL (page));
  g_assert_cmpstr (atlas_run_detail_get_title (ATLAS_RUN_DETAIL (page)), ==, expected);
}

/* The header says what the visible page says, and follows it; Ctrl+R refreshes the
 * page on screen, whichever it is. */
static void
test_title_follows_page (Fixture       *f,
                         gconstpointer  data)
{
  AdwWindowTitle *title;
  g_autofree char *workspace = NULL;
  g_autoptr(AtlasRun) run = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *detail, *list;
  gint64 deadline;
  guint64 before;

  open_window (f, 0, 0);
  title = ADW_WINDOW_TITLE (atlas_test_find_descendant (GTK_WIDGET (f->window), ADW_TYPE_WINDOW_TITLE));
  g_assert_nonnull (title);
  g_assert_true (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Overview");
  workspace = g_strdup (adw_window_title_get_subtitle (title));
  g_assert_cmpstr (workspace, !=, "");

  /* The operations list, then one of its runs. */
  atlas_window_show_operations (f->window, 0);
  list = atlas_window_get_visible_page (f->window);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Operations");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, workspace);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (atlas_operations_list_get_runs (ATLAS_OPERATIONS_LIST (list))) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  run = g_list_model_get_item (atlas_operations_list_get_runs (ATLAS_OPERATIONS_LIST (list)), 0);
  g_assert_nonnull (run);
  path = g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, atlas_run_get_id (run));
  expected = g_strdup_printf ("Run #%" G_GINT64_FORMAT, atlas_run_get_id (run));

  atlas_window_show_run (f->window, atlas_run_get_id (run));
  detail = atlas_window_get_visible_page (f->window);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 (atlas_run_detail_get_state (ATLAS_RUN_DETAIL (detail)), "run") != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, expected);
  /* A run says whose it is under its number. */
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, atlas_run_get_tenant_name (run));

  before = atlas_backend_server_get_request_count (f->server, path);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (atlas_backend_server_get_request_count (f->server, path) == before &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, before + 1);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Operations");
  /* Back: the overview's title again, not the run's left behind. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Overview");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, workspace);
}

static void
test_start_on_tenant_and_run (Fixture       *f,
                              gconstpointer  data)
{
  open_window (f, 5, 0);
  g_assert_true (ATLAS_IS_TENANT_DASHBOARD (atlas_window_get_visible_page (f->window)));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  g_assert_true (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("atlas-kiosk-XXXXXX", NULL);
  int status;

  /* Notification state goes to a scratch directory, not the user's. */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  atlas_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/" path, Fixture, NULL, fixture_setup, func, atlas_test_ui_teardown)

  ADD ("kiosk/recovers-without-input", test_kiosk_recovers_without_input);
  ADD ("kiosk/read-only", test_kiosk_is_read_only);
  ADD ("window/deep-links-and-back", test_deep_links_and_back);
  ADD ("window/start-on-tenant", test_start_on_tenant_and_run);
  ADD ("window/rows-open-run-detail", test_rows_open_run_detail);
  ADD ("window/title-follows-page", test_title_follows_page);
  ADD ("window/cards-open-tenant", test_cards_open_tenant);

  status = g_test_run ();
  {
    g_autofree char *file = g_build_filename (state, "tenantatlas-operator", "notifications.ini", NULL);
    g_autofree char *dir = g_path_get_dirname (file);
    g_unlink (file);
    g_rmdir (dir);
    g_rmdir (state);
  }
  return status;
}
