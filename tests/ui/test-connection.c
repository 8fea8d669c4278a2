/* test-connection.c — every connection state has its way forward; titles; links before /me
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "atlas-deep-link.h"
#include "atlas-overview.h"
#include "atlas-poller-private.h"
#include "atlas-run-detail.h"
#include "atlas-test-ui.h"
#include "atlas-window-private.h"

typedef AtlasTestFixture Conn;   /* window: the AtlasWindow under test */

static guint signed_in;

static void
conn_setup (Conn          *c,
            gconstpointer  data)
{
  atlas_test_fixture_init (c, "operator");
  signed_in = 0;
}

static void
signed_in_cb (AtlasWindow *window,
              Conn        *c)
{
  signed_in++;
}

static void
open_window (Conn        *c,
             AtlasClient *client)
{
  c->window = atlas_window_new (NULL, client, c->clock, 0, 0, 0);
  g_signal_connect (c->window, "signed-in", G_CALLBACK (signed_in_cb), c);
  gtk_window_present (GTK_WINDOW (c->window));
}

/* Waits (bounded) until the visible page is a status page with this title. */
static void
wait_for_state (Conn       *c,
                const char *title)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GtkWidget *page = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      page = atlas_window_get_visible_page (c->window);
      if (ADW_IS_STATUS_PAGE (page) && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (page)), title) == 0)
        return;
      g_main_context_iteration (NULL, TRUE);
    }
  g_error ("the window never said “%s” (it says “%s”)", title,
           ADW_IS_STATUS_PAGE (page) ? adw_status_page_get_title (ADW_STATUS_PAGE (page)) : "(not a status page)");
}

static gboolean
wait_for (Conn      *c,
          GType      type)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (atlas_window_get_visible_page (c->window), type))
        return TRUE;
      g_main_context_iteration (NULL, TRUE);
    }
  return FALSE;
}

/* The action names of the visible buttons on the page, in order, as one string. */
static char *
offers (GtkWidget *page)
{
  GString *s = g_string_new (NULL);
  GtkWidget *box = adw_status_page_get_child (ADW_STATUS_PAGE (page));

  for (GtkWidget *b = gtk_widget_get_first_child (box); b != NULL; b = gtk_widget_get_next_sibling (b))
    if (gtk_widget_get_visible (b))
      g_string_append_printf (s, "%s%s", s->len ? " " : "", gtk_actionable_get_action_name (GTK_ACTIONABLE (b)));
  return g_string_free (s, FALSE);
}

static void
test_not_connected (Conn          *c,
                    gconstpointer  data)
{
  g_autofree char *buttons = NULL;

  open_window (c, NULL);
  wait_for_state (c, "Not connected");
  buttons = offers (atlas_window_get_visible_page (c->window));
  g_assert_cmpstr (buttons, ==, "app.connect app.demo");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (c->window)), ==, "TenantAtlas Operator");
  /* Nothing to ask anyone. */
  g_assert_cmpuint (atlas_test_count (c, "/api/"), ==, 0);
}

static void
test_refused_token (Conn          *c,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) wrong = atlas_client_new (c->base_url, "not-a-token", 0, &error);
  g_autofree char *buttons = NULL;
  AtlasDeepLink link = { ATLAS_DEEP_LINK_RUN, 0, 15, 0 };

  g_assert_no_error (error);
  open_window (c, wrong);
  wait_for_state (c, "Sign in again");
  buttons = offers (atlas_window_get_visible_page (c->window));
  g_assert_cmpstr (buttons, ==, "app.sign-in app.change-server");
  g_assert_cmpuint (signed_in, ==, 0);

  /* A link that comes now waits for the sign-in; then the run opens, fetched. */
  atlas_window_open_link (c->window, &link);
  atlas_window_set_client (c->window, c->client);
  g_assert_true (wait_for (c, ATLAS_TYPE_RUN_DETAIL));
  g_assert_cmpuint (signed_in, ==, 1);
  while (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (c->window)), "Run #15 — TenantAtlas Operator") != 0)
    g_main_context_iteration (NULL, TRUE);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (atlas_test_count (c, "/api/v1/workspaces/1/operations/15") == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (atlas_test_count (c, "/api/v1/workspaces/1/operations/15"), >=, 1);

  /* Signing out drops every page of the connection; the window stays useful. */
  atlas_window_set_client (c->window, NULL);
  wait_for_state (c, "Not connected");
  g_clear_pointer (&buttons, g_free);
  buttons = offers (atlas_window_get_visible_page (c->window));
  g_assert_cmpstr (buttons, ==, "app.connect app.demo");
  g_assert_null (atlas_window_get_client (c->window));
}

static void
test_unreachable (Conn          *c,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) gone = NULL;
  g_autofree char *buttons = NULL;
  guint port = atlas_backend_server_get_port (c->server);
  g_autofree char *url = NULL;

  /* A port nobody listens on: the one the backend had, after it stopped. */
  atlas_backend_server_stop (c->server);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  gone = atlas_client_new (url, "t", 0, &error);
  g_assert_no_error (error);
  open_window (c, gone);
  wait_for_state (c, "Can't reach the backend");
  buttons = offers (atlas_window_get_visible_page (c->window));
  g_assert_cmpstr (buttons, ==, "app.change-server");
  /* It keeps trying by itself meanwhile. */
  g_assert_false (atlas_poller_get_stopped (atlas_window_get_connect_poller (c->window)));
  atlas_backend_server_start (c->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
}

static void
test_problem_page (Conn          *c,
                   gconstpointer  data)
{
  g_autofree char *buttons = NULL;

  open_window (c, c->client);
  g_assert_true (wait_for (c, ATLAS_TYPE_OVERVIEW));
  atlas_window_show_problem (c->window, "network-server-symbolic", "Can't use this backend", "x",
                             ATLAS_WINDOW_OFFER_CHANGE_SERVER | ATLAS_WINDOW_OFFER_DEMO);
  wait_for_state (c, "Can't use this backend");
  buttons = offers (atlas_window_get_visible_page (c->window));
  g_assert_cmpstr (buttons, ==, "app.change-server app.demo");
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/ui/connection/" path, Conn, NULL, conn_setup, func, atlas_test_ui_teardown)
  ADD ("not-connected", test_not_connected);
  ADD ("refused-token", test_refused_token);
  ADD ("unreachable", test_unreachable);
  ADD ("problem-page", test_problem_page);
  return g_test_run ();
}
