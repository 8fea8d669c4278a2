/* test-kiosk.c — the window: kiosk recovery without input, deep links, navigation
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "atlas-backend-server.h"
#include "atlas-active-ops-private.h"
#include "atlas-client.h"
#include "atlas-connect-dialog.h"
#include "atlas-deep-link.h"
#include "atlas-operations-list-private.h"
#include "atlas-overview.h"
#include "atlas-preferences-window.h"
#include "atlas-stat-tile.h"
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
open_kiosk (Fixture *f)
{
  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  atlas_window_set_kiosk (f->window, TRUE);
  gtk_window_present (GTK_WINDOW (f->window));
  while (!overview_live (f))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "kiosk"));
}

/* Test-clock seconds, a second at a time, until the outage banner is @shown. */
static guint
advance_until_banner (Fixture  *f,
                      gboolean  shown,
                      guint     limit_s)
{
  guint seconds = 0;

  while ((atlas_window_get_offline_banner (f->window) != NULL) != shown && seconds < limit_s)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (50);
      seconds++;
    }
  return seconds;
}

/* How opaque the first tile's figure is drawn: live numbers are solid. */
static double
figure_alpha (Fixture *f)
{
  GtkWidget *tile = atlas_test_find_descendant (atlas_window_get_visible_page (f->window), ATLAS_TYPE_STAT_TILE);
  GtkWidget *value = atlas_test_find_descendant (tile, GTK_TYPE_LABEL);
  GdkRGBA color;

  g_assert_true (gtk_widget_has_css_class (value, "stat-value"));
  atlas_test_drain (100);   /* the style follows at the next frame */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (value), &color);
G_GNUC_END_IGNORE_DEPRECATIONS
  return color.alpha;
}

/* Every endpoint answers 503 with @retry_after, health too. */
static void
start_outage (Fixture    *f,
              const char *retry_after)
{
  AtlasBackendFault api = { ATLAS_BACKEND_FAULT_STATUS, 100000, 0, 503, retry_after, NULL };
  AtlasBackendFault health = { ATLAS_BACKEND_FAULT_STATUS, 100000, 0, 503, retry_after, "/api/v1/health" };

  atlas_backend_server_inject_fault (f->server, &api);
  atlas_backend_server_inject_fault (f->server, &health);
}

/* The backend goes away (connection refused): the numbers stay, greyed, under
 * "Offline since HH:MM"; when it is back, live again within 15 s, without input. */
static void
test_kiosk_recovers_without_input (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = atlas_backend_server_get_port (f->server);
  double live;
  guint seconds;

  open_kiosk (f);
  live = figure_alpha (f);
  g_assert_null (atlas_window_get_offline_banner (f->window));

  /* The next poll (the overview's own, or discovery at the latest after 60 s) finds out. */
  atlas_backend_server_stop (f->server);
  advance_until_banner (f, TRUE, 70);
  g_assert_true (g_str_has_prefix (atlas_window_get_offline_banner (f->window), "Offline since "));
  g_assert_true (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));
  g_assert_false (atlas_window_get_recovering (f->window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "offline"));
  g_assert_cmpfloat (figure_alpha (f), <, live);

  /* Nobody touches anything for a while … */
  g_assert_cmpuint (advance_until_banner (f, FALSE, 45), ==, 45);

  /* … and when the backend is back, live data returns by itself. */
  atlas_backend_server_start (f->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  atlas_backend_server_reset_request_counts (f->server);
  seconds = advance_until_banner (f, FALSE, 30);
  g_test_message ("live again %u s after the backend came back", seconds);
  g_assert_cmpuint (seconds, <=, 15);
  for (guint i = 0; i < 20 && atlas_backend_server_get_request_count (f->server, "/api/v1/workspaces/1/overview") == 0; i++)
    atlas_test_drain (50);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/workspaces/1/overview"), >, 0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->window), "offline"));
  g_assert_cmpfloat (figure_alpha (f), ==, live);
  g_assert_true (overview_live (f));
}

/* During an outage the window asks only for health, at most every 10 s (counted at
 * the backend: far under one request per 2 s), and is live within 15 s of the return. */
static void
test_kiosk_outage_is_quiet (Fixture       *f,
                            gconstpointer  data)
{
  guint64 health, all;
  guint seconds;

  open_kiosk (f);
  start_outage (f, "1");
  advance_until_banner (f, TRUE, 70);
  g_assert_true (g_str_has_prefix (atlas_window_get_offline_banner (f->window), "Offline since "));

  atlas_backend_server_reset_request_counts (f->server);
  for (guint i = 0; i < 60; i++)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (50);
    }
  health = atlas_backend_server_get_request_count (f->server, "/api/v1/health");
  all = atlas_backend_server_get_request_count (f->server, "/api/v1/");
  g_test_message ("60 s offline: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT " to health", all, health);
  g_assert_cmpuint (all, <=, 30);
  g_assert_cmpuint (all, ==, health);
  g_assert_cmpuint (health, >=, 4);
  g_assert_cmpuint (health, <=, 6);
  g_assert_nonnull (atlas_window_get_offline_banner (f->window));

  atlas_backend_server_clear_faults (f->server);
  seconds = advance_until_banner (f, FALSE, 30);
  g_test_message ("live again %u s after the backend came back", seconds);
  g_assert_cmpuint (seconds, <=, 15);
  g_assert_true (overview_live (f));
}

/* A Retry-After longer than the probe's 10 s is the wait. */
static void
test_kiosk_outage_honours_retry_after (Fixture       *f,
                                       gconstpointer  data)
{
  open_kiosk (f);
  start_outage (f, "30");
  advance_until_banner (f, TRUE, 70);
  atlas_backend_server_reset_request_counts (f->server);
  for (guint i = 0; i < 29; i++)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (20);
    }
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/"), ==, 0);
  for (guint i = 0; i < 36; i++)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (20);
    }
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/health"), >=, 1);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/"), <=, 2);
}

/* A passer-by's click or tap on a card or a row opens nothing: the pointer does not
 * reach them, and what a click would do (activate) is refused too. */
static void
test_kiosk_ignores_clicks (Fixture       *f,
                           gconstpointer  data)
{
  graphene_point_t inside = GRAPHENE_POINT_INIT (20, 20), at;
  GtkWidget *overview, *grid, *list, *picked;

  open_kiosk (f);
  overview = atlas_window_get_visible_page (f->window);
  grid = atlas_test_find_descendant (overview, GTK_TYPE_GRID_VIEW);
  g_assert_true (gtk_widget_compute_point (grid, GTK_WIDGET (f->window), &inside, &at));
  picked = gtk_widget_pick (GTK_WIDGET (f->window), at.x, at.y, GTK_PICK_DEFAULT);
  g_assert_true (picked == NULL || (picked != grid && !gtk_widget_is_ancestor (picked, grid)));

  g_signal_emit_by_name (grid, "activate", 0);
  g_assert_true (atlas_window_get_visible_page (f->window) == overview);

  list = atlas_test_find_descendant (overview, ATLAS_TYPE_RUN_LIST);
  while (atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0) == NULL)
    g_main_context_iteration (NULL, TRUE);
  atlas_run_list_activate (ATLAS_RUN_LIST (list), 0);
  g_assert_true (atlas_window_get_visible_page (f->window) == overview);

  list = atlas_test_find_descendant (atlas_window_get_active_ops (f->window), ATLAS_TYPE_RUN_LIST);
  while (g_list_model_get_n_items (atlas_run_list_get_model (ATLAS_RUN_LIST (list))) == 0)
    g_main_context_iteration (NULL, TRUE);
  atlas_run_list_activate (ATLAS_RUN_LIST (list), 0);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-operations-tab", "i", 0);
  g_assert_true (atlas_window_get_visible_page (f->window) == overview);
}

/* A wall has no keyboard: no sort, no search, no "All Operations" in the header. */
static void
test_kiosk_has_no_sort_or_search (Fixture       *f,
                                  gconstpointer  data)
{
  GtkWidget *overview, *dropdown, *bar;

  open_kiosk (f);
  atlas_test_drain (50);
  overview = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_OVERVIEW (overview));
  dropdown = atlas_test_find_descendant (overview, GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (dropdown);
  g_assert_false (gtk_widget_get_mapped (dropdown));
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_parent (dropdown)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_TOGGLE_BUTTON (w))
      g_assert_false (gtk_widget_get_mapped (w));
  bar = atlas_test_find_descendant (overview, GTK_TYPE_SEARCH_BAR);
  gtk_widget_activate_action (overview, "page.search", NULL);
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_assert_false (gtk_widget_get_mapped (atlas_window_get_all_ops_button (f->window)));
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

/* Enter on a tenant card opens the dashboard with the focus on the page itself, not
 * on its review pack card's Generate (issue 15). */
static void
test_keyboard_open_tenant_focus (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(AtlasClient) operator = NULL;
  g_autofree char *url = atlas_backend_server_dup_base_url (f->server);
  GtkWidget *overview, *grid, *focus, *page, *card, *generate;

  operator = atlas_client_new (url, atlas_backend_server_get_token (f->server, "operator"), 0, NULL);
  g_set_object (&f->client, operator);
  open_window (f, 0, 0);
  while (!overview_live (f))
    g_main_context_iteration (NULL, TRUE);
  overview = atlas_window_get_visible_page (f->window);
  grid = atlas_test_find_descendant (overview, GTK_TYPE_GRID_VIEW);
  atlas_test_drain (50);
  g_assert_true (gtk_widget_grab_focus (grid));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, grid));
  /* Enter: the focused card's key binding. */
  g_assert_true (gtk_widget_activate (focus));

  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_TENANT_DASHBOARD (page));
  while ((card = atlas_tenant_dashboard_get_review_pack_card (ATLAS_TENANT_DASHBOARD (page))) == NULL)
    g_main_context_iteration (NULL, TRUE);
  generate = atlas_review_pack_card_get_generate_button (ATLAS_REVIEW_PACK_CARD (card));
  atlas_test_drain (200);
  g_assert_true (gtk_widget_get_mapped (generate));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (focus != generate);
  g_assert_true (focus == page || gtk_widget_is_ancestor (focus, page));
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

/* Until the overlay lists @run_id (it loads again each time it is asked). */
static void
until_overlay_lists (Fixture *f,
                     gint64   run_id)
{
  GtkWidget *ops = atlas_window_get_active_ops (f->window);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean listed = FALSE;

  atlas_active_ops_refresh (ATLAS_ACTIVE_OPS (ops));
  while (!listed && g_get_monotonic_time () < deadline)
    {
      GListModel *runs = atlas_active_ops_get_runs (ATLAS_ACTIVE_OPS (ops));

      g_main_context_iteration (NULL, TRUE);
      for (guint i = 0; i < g_list_model_get_n_items (runs) && !listed; i++)
        {
          g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);

          listed = atlas_run_get_id (run) == run_id;
        }
    }
  g_assert_true (listed);
  atlas_test_drain (50);
}

/* A run that becomes likely stale raises one notification, once, also after a
 * restart (the state file); the runs stale before the first look raise none. */
static void
test_stale_runs_notify_once (Fixture       *f,
                             gconstpointer  data)
{
  open_window (f, 0, 0);
  atlas_window_set_notify_stale (f->window, ATLAS_WINDOW_NOTIFY_DESKTOP);
  atlas_test_add_run (f, 9001, "running", NULL, "fresh", f->t0 - 60, f->t0 - 60);
  until_overlay_lists (f, 9001);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 0);

  atlas_test_patch_run (f, 9001, "{\"freshness\":\"likely_stale\"}");
  until_overlay_lists (f, 9001);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 1);
  until_overlay_lists (f, 9001);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 1);

  /* Restarted: nothing again for that run; the next one that sticks, once. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  open_window (f, 0, 0);
  atlas_window_set_notify_stale (f->window, ATLAS_WINDOW_NOTIFY_DESKTOP);
  until_overlay_lists (f, 9001);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 0);
  atlas_test_add_run (f, 9002, "running", NULL, "likely_stale", f->t0 - 60, f->t0 - 60);
  until_overlay_lists (f, 9002);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 1);

  /* The preference off: none. */
  atlas_window_set_notify_stale (f->window, ATLAS_WINDOW_NOTIFY_NONE);
  atlas_test_add_run (f, 9003, "running", NULL, "likely_stale", f->t0 - 60, f->t0 - 60);
  until_overlay_lists (f, 9003);
  g_assert_cmpuint (atlas_window_get_stale_announced (f->window), ==, 1);
}

static void
connect_cb (const char *backend_url,
            const char *token,
            gpointer    user_data)
{
  char **got = user_data;

  got[0] = g_strdup (backend_url);
  got[1] = g_strdup (token);
}

/* The connect dialog (a template now): Connect stays off until the address is one a
 * token may travel to and there is a token; Connect hands both over. */
static void
test_connect_dialog (Fixture       *f,
                     gconstpointer  data)
{
  char *got[2] = { NULL, NULL };
  GtkWidget *dialog = atlas_connect_dialog_new (NULL, NULL, connect_cb, got);
  GtkWidget *url = atlas_connect_dialog_get_url_row (dialog);
  GtkWidget *token = atlas_connect_dialog_get_token_row (dialog);

  g_assert_true (ATLAS_IS_CONNECT_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url)), ==, "https://");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));

  /* A token never goes over plain HTTP to another host. */
  gtk_editable_set_text (GTK_EDITABLE (url), "http://atlas.example.test");
  gtk_editable_set_text (GTK_EDITABLE (token), "secret");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));

  gtk_editable_set_text (GTK_EDITABLE (url), "https://atlas.example.test");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "connect");
  g_assert_cmpstr (got[0], ==, "https://atlas.example.test");
  g_assert_cmpstr (got[1], ==, "secret");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_free (got[0]);
  g_free (got[1]);
}

static void
count_action_rows (GtkWidget *widget,
                   guint     *rows,
                   guint     *insensitive)
{
  if (ADW_IS_ACTION_ROW (widget))
    {
      (*rows)++;
      *insensitive += gtk_widget_get_sensitive (widget) ? 0 : 1;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    count_action_rows (c, rows, insensitive);
}

/* The preferences (a template now): one row per key, and without a schema every row
 * is there but cannot be changed. */
static void
test_preferences_without_schema (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *window = atlas_preferences_window_new (NULL);
  guint rows = 0, insensitive = 0;

  g_assert_true (ATLAS_IS_PREFERENCES_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  count_action_rows (window, &rows, &insensitive);
  g_assert_cmpuint (rows, ==, 6);
  g_assert_cmpuint (insensitive, ==, 6);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Preferences");
  gtk_window_destroy (GTK_WINDOW (window));
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
  atlas_test_ui_init (&argc, &argv);
  {
    /* The application's style sheet, as AdwApplication loads it: the greyed figures
     * of an outage are CSS. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/tenantatlas/Operator/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, func) \
  g_test_add ("/ui/" path, Fixture, NULL, fixture_setup, func, atlas_test_ui_teardown)

  ADD ("kiosk/recovers-without-input", test_kiosk_recovers_without_input);
  ADD ("kiosk/read-only", test_kiosk_is_read_only);
  ADD ("kiosk/outage-is-quiet", test_kiosk_outage_is_quiet);
  ADD ("kiosk/outage-honours-retry-after", test_kiosk_outage_honours_retry_after);
  ADD ("kiosk/ignores-clicks", test_kiosk_ignores_clicks);
  ADD ("kiosk/no-sort-or-search", test_kiosk_has_no_sort_or_search);
  ADD ("window/deep-links-and-back", test_deep_links_and_back);
  ADD ("window/start-on-tenant", test_start_on_tenant_and_run);
  ADD ("window/rows-open-run-detail", test_rows_open_run_detail);
  ADD ("window/title-follows-page", test_title_follows_page);
  ADD ("window/cards-open-tenant", test_cards_open_tenant);
  ADD ("window/keyboard-open-tenant-focus", test_keyboard_open_tenant_focus);
  ADD ("window/connect-dialog", test_connect_dialog);
  ADD ("window/preferences-without-schema", test_preferences_without_schema);
  ADD ("window/stale-runs-notify-once", test_stale_runs_notify_once);

  return g_test_run ();
}
