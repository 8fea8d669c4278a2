/* test-dashboards.c — overview, tenant dashboard and review pack card, counting requests
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-overview-private.h"
#include "atlas-poller-private.h"
#include "atlas-review-pack-card-private.h"
#include "atlas-run-list-private.h"
#include "atlas-stat-tile.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-tenant-summary.h"
#include "atlas-test-ui.h"

typedef AtlasTestFixture Fixture;

static void
insert_run (Fixture    *f,
            gint64      id,
            gint64      tenant_id,
            const char *status,
            const char *freshness)
{
  AtlasTestRun run = {
    .id = id, .tenant_id = tenant_id, .status = status, .freshness = freshness,
    .problem_class = g_str_equal (freshness, "likely_stale") ? "active_stale_attention" : NULL,
    .created_at = atlas_test_now (f) - 3600, .started_at = atlas_test_now (f) - 3600,
  };

  atlas_test_insert_run (f, &run);
}

static void
test_overview_polls_while_active (Fixture       *f,
                                  gconstpointer  data)
{
  const char *path = "/api/v1/workspaces/1/overview";
  GtkWidget *overview;
  AtlasPoller *poller;

  insert_run (f, 701, 3, "running", "fresh");
  atlas_backend_server_reset_request_counts (f->server);
  overview = atlas_overview_new (f->client, f->clock, 1);
  atlas_test_show (f, overview);
  poller = atlas_overview_get_poller (ATLAS_OVERVIEW (overview));
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview))), ==, 12);

  atlas_test_advance (f, poller, 30);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 4);

  /* Hidden: nothing. Shown: at once. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  atlas_test_advance (f, poller, 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 4);
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (overview))
    g_main_context_iteration (NULL, TRUE);
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 5);

  /* Everything terminal: the next answer says so, then no timer and no request. */
  atlas_test_finish_active_runs (f);
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 6);
  g_assert_false (atlas_poller_get_active (poller));
  atlas_test_advance (f, poller, 120);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 6);
}

static void
test_stale_tenant_never_calm (Fixture       *f,
                              gconstpointer  data)
{
  GtkWidget *overview;
  GListModel *tenants;
  gboolean seen = FALSE;

  insert_run (f, 702, 4, "running", "likely_stale");
  overview = atlas_overview_new (f->client, f->clock, 1);
  atlas_test_show (f, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));

  tenants = atlas_overview_get_tenants (ATLAS_OVERVIEW (overview));
  for (guint i = 0; i < g_list_model_get_n_items (tenants); i++)
    {
      g_autoptr(AtlasTenantSummary) t = g_list_model_get_item (tenants, i);
      GtkWidget *card = atlas_overview_get_card (ATLAS_OVERVIEW (overview), i);

      if (atlas_tenant_summary_get_stale_active_count (t) > 0)
        {
          seen = TRUE;
          g_assert_true (gtk_widget_has_css_class (card, "attention"));
        }
    }
  g_assert_true (seen);

  /* Stuck work comes first: the first card is a stale one. */
  {
    g_autoptr(AtlasTenantSummary) first = g_list_model_get_item (tenants, 0);
    g_assert_cmpint (atlas_tenant_summary_get_stale_active_count (first), >, 0);
  }
}

/* Only what is near the screen is built: 300 more tenants, and the grid holds cards
 * for a bounded window around what is visible (GTK 4.8: 30 rows of at most 4 cards,
 * and a few more); scrolled to the end, the last tenant has its card (a recycled
 * one), and one from the top half no longer has one. */
static void
test_overview_builds_visible_cards (Fixture       *f,
                                    gconstpointer  data)
{
  GtkWidget *overview;
  GtkWidget *grid;
  GtkAdjustment *adj;
  GListModel *tenants;
  guint n, built;
  gint64 deadline;

  for (gint64 t = 0; t < 300; t++)
    {
      g_autofree char *c = atlas_timestamp_format (atlas_test_now (f) - 7200);
      g_autofree char *json = g_strdup_printf (
        "{\"id\": %" G_GINT64_FORMAT ", \"workspace_id\": 1, \"tenant_id\": %" G_GINT64_FORMAT ","
        " \"tenant_name\": \"Scale tenant %" G_GINT64_FORMAT "\", \"type\": \"baseline_compare\","
        " \"type_label\": \"Baseline compare\", \"status\": \"completed\", \"outcome\": \"succeeded\","
        " \"freshness\": null, \"problem_class\": null, \"created_at\": \"%s\", \"started_at\": \"%s\","
        " \"completed_at\": \"%s\", \"last_progress_at\": null, \"lifecycle_window_seconds\": 900,"
        " \"summary_counts\": {}, \"failure_summary\": [], \"initiator\": null, \"initiated_by_me\": false,"
        " \"reconciliation\": null, \"links\": {\"web\": null}}",
        8000 + t, 1000 + t, t, c, c, c);
      atlas_test_insert_run_json (f, json);
    }
  insert_run (f, 702, 4, "running", "likely_stale");
  overview = atlas_overview_new (f->client, f->clock, 1);
  gtk_window_set_default_size (f->window, 1280, 800);
  atlas_test_show (f, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
  tenants = atlas_overview_get_tenants (ATLAS_OVERVIEW (overview));
  n = g_list_model_get_n_items (tenants);
  g_assert_cmpuint (n, >=, 312);

  grid = atlas_test_find_descendant (overview, GTK_TYPE_GRID_VIEW);
  g_assert_nonnull (grid);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (atlas_overview_get_card (ATLAS_OVERVIEW (overview), 0) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  built = atlas_overview_get_n_cards (ATLAS_OVERVIEW (overview));
  g_test_message ("%u tenants, %u cards built", n, built);
  g_assert_cmpuint (built, >, 0);
  g_assert_cmpuint (built, <=, 33 * 4);
  /* The stuck tenant first, and shown so. */
  g_assert_true (gtk_widget_has_css_class (atlas_overview_get_card (ATLAS_OVERVIEW (overview), 0), "attention"));
  g_assert_nonnull (atlas_overview_get_card (ATLAS_OVERVIEW (overview), 60));
  g_assert_null (atlas_overview_get_card (ATLAS_OVERVIEW (overview), n - 1));

  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (atlas_overview_get_card (ATLAS_OVERVIEW (overview), n - 1) == NULL && g_get_monotonic_time () < deadline)
    {
      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_nonnull (atlas_overview_get_card (ATLAS_OVERVIEW (overview), n - 1));
  /* The view lets go of the cards it scrolled away from (the first keeps its card:
   * it holds the keyboard focus position). */
  g_test_message ("scrolled to the end: %u cards built", atlas_overview_get_n_cards (ATLAS_OVERVIEW (overview)));
  g_assert_null (atlas_overview_get_card (ATLAS_OVERVIEW (overview), 60));
  g_assert_cmpuint (atlas_overview_get_n_cards (ATLAS_OVERVIEW (overview)), <=, 33 * 4);
}

/* The KPI tiles read as one sentence with their figure, and take the presenter's
 * tone: stuck work warns (never red), the active count stays calm. */
static void
test_overview_tiles (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *overview;
  AtlasStatTile *active = NULL, *stale = NULL;
  g_autofree char *figure = NULL;
  g_autofree char *expected = NULL;

  insert_run (f, 702, 4, "running", "likely_stale");
  overview = atlas_overview_new (f->client, f->clock, 1);
  atlas_test_show (f, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));

  /* Each tile sits in the button that opens the list on its tab. */
  for (GtkWidget *b = gtk_widget_get_parent (atlas_test_find_descendant (overview, ATLAS_TYPE_STAT_TILE));
       b != NULL; b = gtk_widget_get_next_sibling (b))
    {
      GtkWidget *w = atlas_test_find_descendant (b, ATLAS_TYPE_STAT_TILE);

      if (w != NULL && atlas_stat_tile_get_kpi (ATLAS_STAT_TILE (w)) == ATLAS_KPI_ACTIVE)
        active = ATLAS_STAT_TILE (w);
      else if (w != NULL && atlas_stat_tile_get_kpi (ATLAS_STAT_TILE (w)) == ATLAS_KPI_LIKELY_STALE)
        stale = ATLAS_STAT_TILE (w);
    }
  g_assert_nonnull (active);
  g_assert_nonnull (stale);
  g_assert_cmpint (atlas_stat_tile_get_value (active), >, 1);
  figure = g_strdup_printf ("%" G_GINT64_FORMAT, atlas_stat_tile_get_value (active));
  expected = g_strdup_printf ("%s active operations", figure);
  g_assert_cmpstr (atlas_stat_tile_get_value_text (active), ==, figure);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (active), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  /* The button around it is named by it: a screen reader says "… active operations". */
  g_assert_true (GTK_IS_BUTTON (gtk_widget_get_parent (GTK_WIDGET (active))));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (active))),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (active), "attention"));

  g_assert_cmpint (atlas_stat_tile_get_value (stale), >=, 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (stale), "attention"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (stale), "tone-error"));
}

static void
test_dashboard_polls_while_active (Fixture       *f,
                                   gconstpointer  data)
{
  const char *path = "/api/v1/tenants/6/dashboard";
  GtkWidget *dashboard;
  AtlasPoller *poller;

  atlas_test_finish_active_runs (f);
  insert_run (f, 703, 6, "running", "fresh");
  atlas_backend_server_reset_request_counts (f->server);
  dashboard = atlas_tenant_dashboard_new (f->client, f->clock, 6, TRUE);
  atlas_test_show (f, dashboard);
  poller = atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (dashboard));
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);

  atlas_test_advance (f, poller, 20);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 3);

  /* Hidden: nothing however long; shown: at once, then every 10 s again. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  atlas_test_advance (f, poller, 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 3);
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (dashboard))
    g_main_context_iteration (NULL, TRUE);
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 4);
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 5);

  atlas_test_finish_active_runs (f);
  atlas_test_advance (f, poller, 10);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 6);
  atlas_test_advance (f, poller, 60);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 6);
}

/* A switch of tenant while the old answer is on its way never paints the old one. */
/* Row state comes from the page: the dashboard's rows leave out the tenant (said
 * once, above) and age against the server time of the latest answer, which moves
 * with every poll; the same row widget follows. */
static void
test_dashboard_rows_follow_page (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *dashboard, *list = NULL;
  AtlasRunRow *row;
  AtlasPoller *poller;
  gint64 page_time, row_time, before;
  gboolean hide_tenant = FALSE;
  gint64 deadline;

  insert_run (f, 704, 6, "running", "fresh");
  dashboard = atlas_tenant_dashboard_new (f->client, f->clock, 6, TRUE);
  atlas_test_show (f, dashboard);
  poller = atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (dashboard));
  atlas_test_settle (poller);

  /* The recent list: the last run list of the page. */
  for (GtkWidget *w = atlas_test_find_descendant (dashboard, ATLAS_TYPE_RUN_LIST); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (ATLAS_IS_RUN_LIST (w))
      list = w;
  g_assert_nonnull (list);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((row = atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (row);

  g_object_get (dashboard, "server-time", &page_time, NULL);
  g_object_get (row, "now", &row_time, "hide-tenant", &hide_tenant, NULL);
  g_assert_true (hide_tenant);
  g_assert_cmpint (page_time, !=, ATLAS_TIME_NONE);
  g_assert_cmpint (row_time, ==, page_time);

  before = page_time;
  atlas_test_advance (f, poller, 10);
  g_object_get (dashboard, "server-time", &page_time, NULL);
  g_object_get (row, "now", &row_time, NULL);
  g_assert_cmpint (page_time, >, before);
  g_assert_cmpint (row_time, ==, page_time);
  g_assert_true (atlas_run_list_get_row (ATLAS_RUN_LIST (list), 0) == row);
}

static void
test_tenant_switch_mid_request (Fixture       *f,
                                gconstpointer  data)
{
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 300, 0, NULL, "/api/v1/tenants/2/" };
  GtkWidget *dashboard;
  AtlasPoller *poller;
  gint64 deadline;

  atlas_backend_server_inject_fault (f->server, &slow);
  dashboard = atlas_tenant_dashboard_new (f->client, f->clock, 2, TRUE);
  atlas_test_show (f, dashboard);
  atlas_tenant_dashboard_set_tenant (ATLAS_TENANT_DASHBOARD (dashboard), 3);
  poller = atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (dashboard));
  atlas_test_settle (poller);
  g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)), !=, "Tenant");
  {
    g_autofree char *expected = g_strdup (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)));

    /* Let the slow answer for tenant 2 arrive: it must change nothing. */
    deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)), ==, expected);
  }
  g_assert_cmpint (atlas_tenant_dashboard_get_tenant (ATLAS_TENANT_DASHBOARD (dashboard)), ==, 3);
}

static void
test_workspace_switch_mid_request (Fixture       *f,
                                   gconstpointer  data)
{
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 300, 0, NULL, "/api/v1/workspaces/1/" };
  GtkWidget *overview;
  AtlasPoller *poller;
  gint64 deadline;

  atlas_backend_server_inject_fault (f->server, &slow);
  overview = atlas_overview_new (f->client, f->clock, 1);
  atlas_test_show (f, overview);
  /* The operator is not a member of workspace 2: its answer is "not found". */
  atlas_overview_set_workspace (ATLAS_OVERVIEW (overview), 2);
  poller = atlas_overview_get_poller (ATLAS_OVERVIEW (overview));
  atlas_test_settle (poller);
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  /* Workspace 1's slow answer arrived meanwhile and painted nothing. */
  g_assert_cmpuint (g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview))), ==, 0);
}

/* --- review pack card ----------------------------------------------------------- */

static void
test_review_pack_card (Fixture       *f,
                       gconstpointer  data)
{
  const char *path = "/api/v1/tenants/8/review-pack";
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *card = atlas_review_pack_card_new (f->client, f->clock, 8, NULL, f->t0, TRUE);
  AtlasPoller *poller = atlas_review_pack_card_get_poller (ATLAS_REVIEW_PACK_CARD (card));
  AtlasReviewPack *pack;

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), card);
  atlas_test_show (f, overlay);
  atlas_backend_server_reset_request_counts (f->server);

  /* No pack: no timer. */
  g_assert_false (atlas_poller_get_active (poller));
  atlas_test_advance (f, poller, 30);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 0);

  /* Generate: an intent, then polling while queued or generating. */
  g_signal_emit_by_name (atlas_review_pack_card_get_generate_button (ATLAS_REVIEW_PACK_CARD (card)), "clicked");
  while (atlas_review_pack_card_get_pack (ATLAS_REVIEW_PACK_CARD (card)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pack = atlas_review_pack_card_get_pack (ATLAS_REVIEW_PACK_CARD (card));
  g_assert_true (atlas_review_pack_is_active (pack));
  g_assert_true (atlas_poller_get_active (poller));
  /* (The prefix also matches the POST to …/review-packs: count GETs from here.) */
  atlas_backend_server_reset_request_counts (f->server);
  atlas_test_advance (f, poller, 20);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);

  /* Hidden while generating: nothing; shown again: at once. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  atlas_test_advance (f, poller, 30);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (card))
    g_main_context_iteration (NULL, TRUE);
  atlas_manual_clock_advance (f->clock, 0);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 3);

  /* The pack's run finishes (the simulator owns it): the card stops by itself. */
  for (guint i = 0; i < 20 && atlas_review_pack_is_active (pack); i++)
    {
      atlas_test_jump (f, poller, 30);
      atlas_test_advance (f, poller, 10);
    }
  g_assert_false (atlas_review_pack_is_active (pack));
  {
    guint64 before = atlas_test_count (f, path);
    atlas_test_advance (f, poller, 60);
    g_assert_cmpuint (atlas_test_count (f, path), ==, before);
  }
}

static void
test_review_pack_card_rbac (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AtlasClient) viewer = atlas_client_new (f->base_url, atlas_backend_server_get_token (f->server, "viewer"),
                                                    0, NULL);
  GtkWidget *hidden = atlas_review_pack_card_new (f->client, f->clock, 8, NULL, f->t0, FALSE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *refused = atlas_review_pack_card_new (viewer, f->clock, 8, NULL, f->t0, TRUE);

  gtk_box_append (GTK_BOX (box), hidden);
  gtk_box_append (GTK_BOX (box), refused);
  atlas_test_show (f, box);

  /* Without the capability the action is not offered at all. */
  g_assert_false (gtk_widget_get_visible (atlas_review_pack_card_get_generate_button (ATLAS_REVIEW_PACK_CARD (hidden))));

  /* A 403 from the server changes nothing and claims nothing. */
  atlas_backend_server_reset_request_counts (f->server);
  g_signal_emit_by_name (atlas_review_pack_card_get_generate_button (ATLAS_REVIEW_PACK_CARD (refused)), "clicked");
  while (!gtk_widget_get_sensitive (atlas_review_pack_card_get_generate_button (ATLAS_REVIEW_PACK_CARD (refused))))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/8/review-packs"), ==, 1);
  g_assert_null (atlas_review_pack_card_get_pack (ATLAS_REVIEW_PACK_CARD (refused)));
  g_assert_false (atlas_poller_get_active (atlas_review_pack_card_get_poller (ATLAS_REVIEW_PACK_CARD (refused))));
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

  atlas_test_ui_add ("/ui/overview/polls-while-active", test_overview_polls_while_active);
  atlas_test_ui_add ("/ui/overview/stale-tenant-never-calm", test_stale_tenant_never_calm);
  atlas_test_ui_add ("/ui/overview/builds-visible-cards-only", test_overview_builds_visible_cards);
  atlas_test_ui_add ("/ui/overview/tiles", test_overview_tiles);
  atlas_test_ui_add ("/ui/overview/workspace-switch-mid-request", test_workspace_switch_mid_request);
  atlas_test_ui_add ("/ui/tenant-dashboard/polls-while-active", test_dashboard_polls_while_active);
  atlas_test_ui_add ("/ui/tenant-dashboard/rows-follow-page", test_dashboard_rows_follow_page);
  atlas_test_ui_add ("/ui/tenant-dashboard/tenant-switch-mid-request", test_tenant_switch_mid_request);
  atlas_test_ui_add ("/ui/review-pack-card/polls-while-generating", test_review_pack_card);
  atlas_test_ui_add ("/ui/review-pack-card/rbac", test_review_pack_card_rbac);

  return g_test_run ();
}
