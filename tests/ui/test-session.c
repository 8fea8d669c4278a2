/* test-session.c — one 401 ends the session of the whole window: no widget asks again
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every count is a request the in-process backend really received.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "atlas-active-ops-private.h"
#include "atlas-overview.h"
#include "atlas-page.h"
#include "atlas-poller-private.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-test-ui.h"
#include "atlas-window-private.h"

typedef AtlasTestFixture Fixture;   /* window: the AtlasWindow under test */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  atlas_test_fixture_init (f, "operator");
}

static void
wait_until (gboolean (*done) (Fixture *f),
            Fixture   *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (f) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (f));
}

static gboolean
dashboard_live (Fixture *f)
{
  GtkWidget *page = atlas_window_get_visible_page (f->window);

  return ATLAS_IS_TENANT_DASHBOARD (page) &&
         g_strcmp0 (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (page)), "Tenant") != 0 &&
         !atlas_poller_get_in_flight (atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (page)));
}

static gboolean
overview_live (Fixture *f)
{
  GtkWidget *page = atlas_window_get_visible_page (f->window);

  return ATLAS_IS_OVERVIEW (page) &&
         g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (page))) > 0;
}

static gboolean
session_ended (Fixture *f)
{
  return atlas_client_get_session_error (f->client) != NULL;
}

/* Both clocks forward, second by second, with every answer let in. */
static void
pass_time (Fixture *f,
           guint    seconds)
{
  for (guint i = 0; i < seconds; i++)
    {
      f->ms += 1000;
      atlas_backend_server_set_clock (f->server, atlas_test_now (f));
      atlas_manual_clock_advance (f->clock, 1000);
      atlas_test_drain (10);
    }
}

/*
 * A window with the overview, a tenant's dashboard (and its review pack card), the
 * active-operations overlay, the notifier and idle discovery, all of them polling.
 * The token is revoked; the dashboard's next request gets the 401. From then on the
 * backend hears nothing more from this window: not from the timers, not from Ctrl+R,
 * not from pages opened afterwards, not from Generate.
 */
static void
test_one_401_stops_every_widget (Fixture       *f,
                                 gconstpointer  data)
{
  AtlasWindow *window;
  GtkWidget *dashboard, *card;
  guint64 before;

  f->window = GTK_WINDOW (atlas_window_new (NULL, f->client, f->clock, 0, 0, 0));
  window = ATLAS_WINDOW (f->window);
  gtk_window_present (f->window);
  wait_until (overview_live, f);
  atlas_window_show_tenant (window, 7);
  wait_until (dashboard_live, f);
  dashboard = atlas_window_get_visible_page (window);
  atlas_test_drain (100);

  /* Before: the widgets do poll (so silence below means something). */
  before = atlas_test_count (f, "/api/");
  pass_time (f, 60);
  g_assert_cmpuint (atlas_test_count (f, "/api/"), >, before);

  atlas_client_set_token (f->client, "atlas-test-revoked");
  atlas_test_drain (100);
  atlas_backend_server_reset_request_counts (f->server);

  atlas_page_refresh (ATLAS_PAGE (dashboard));
  wait_until (session_ended, f);
  atlas_test_drain (100);
  g_assert_cmpuint (atlas_test_count (f, "/api/"), ==, 1);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/7/dashboard"), ==, 1);
  g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)), ==, "Sign in again");

  /* Ten minutes of every timer … */
  pass_time (f, 600);
  /* … Generate, Ctrl+R, Back, another tenant, the operations list. */
  card = atlas_tenant_dashboard_get_review_pack_card (ATLAS_TENANT_DASHBOARD (dashboard));
  g_assert_nonnull (card);
  gtk_widget_activate_action (card, "pack.generate", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  atlas_window_go_back (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  atlas_window_show_tenant (window, 8);
  atlas_window_show_operations (window, 0);
  atlas_test_drain (100);
  atlas_window_go_back (window);
  pass_time (f, 120);

  g_assert_cmpuint (atlas_test_count (f, "/api/"), ==, 1);
  g_assert_true (atlas_poller_get_stopped (atlas_active_ops_get_poller (ATLAS_ACTIVE_OPS (atlas_window_get_active_ops (window)))));
}

/* A new token: the stopped widgets load again by themselves, in place. */
static void
test_new_token_resumes (Fixture       *f,
                        gconstpointer  data)
{
  AtlasWindow *window;
  GtkWidget *dashboard;

  f->window = GTK_WINDOW (atlas_window_new (NULL, f->client, f->clock, 0, 7, 0));
  window = ATLAS_WINDOW (f->window);
  gtk_window_present (f->window);
  wait_until (dashboard_live, f);
  dashboard = atlas_window_get_visible_page (window);
  atlas_test_drain (100);

  atlas_client_set_token (f->client, "atlas-test-revoked");
  atlas_page_refresh (ATLAS_PAGE (dashboard));
  wait_until (session_ended, f);
  g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)), ==, "Sign in again");

  atlas_backend_server_reset_request_counts (f->server);
  atlas_client_set_token (f->client, atlas_backend_server_get_token (f->server, "operator"));
  wait_until (dashboard_live, f);
  /* The same page, not a rebuilt window. */
  g_assert_true (atlas_window_get_visible_page (window) == dashboard);
  g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)), !=, "Sign in again");
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/7/dashboard"), >=, 1);
  g_assert_false (atlas_poller_get_stopped (atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (dashboard))));
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/" path, Fixture, NULL, fixture_setup, func, atlas_test_ui_teardown)
  ADD ("session/one-401-stops-every-widget", test_one_401_stops_every_widget);
  ADD ("session/new-token-resumes", test_new_token_resumes);
#undef ADD

  return g_test_run ();
}
