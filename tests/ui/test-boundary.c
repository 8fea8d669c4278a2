/* test-boundary.c — what a hostile server's answer paints: wrong identity never, hostile text literally
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widgets against the hostile test server of tests/lib: an answer for another
 * workspace, tenant or run is never painted and the last good data stays; a tenant
 * name with "&", "<b>" and a terminal escape sequence is shown literally in the run
 * detail, the operations list and the overview. Assertions read the text the labels
 * actually show (gtk_label_get_text: after any markup parsing).
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-operations-list-private.h"
#include "atlas-overview-private.h"
#include "atlas-run-detail-private.h"
#include "atlas-run-watcher.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-test-hostile.h"
#include "atlas-test-ui.h"

#define T0 ATLAS_TEST_HOSTILE_T0

/* A tenant name as customers type them, plus what an attacker would add: markup,
 * an entity and an OSC sequence that retitles a terminal. */
#define HOSTILE_NAME "Müller AG & Co. KGaA <b>x</b> \033]0;pwned\007"

typedef struct
{
  AtlasTestFixture  base;
  AtlasTestHostile *hostile;
  AtlasClient      *client;   /* talks to the hostile server */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  atlas_test_ui_setup (&f->base, data);
  f->hostile = atlas_test_hostile_new ();
  f->client = atlas_client_new (f->hostile->base_url, "secret-token", ATLAS_CLIENT_FLAGS_NONE, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  atlas_test_ui_teardown (&f->base, data);
  g_clear_object (&f->client);
  atlas_test_hostile_free (f->hostile);
}

/* Every label's shown text under `widget`, one per line. */
static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
shown_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

static void
assert_shows (GtkWidget  *widget,
              const char *needle)
{
  g_autofree char *text = shown_text (widget);

  if (strstr (text, needle) == NULL)
    g_test_fail_printf ("“%s” is not shown; the widget shows:\n%s", needle, text);
}

static void
assert_not_shown (GtkWidget  *widget,
                  const char *needle)
{
  g_autofree char *text = shown_text (widget);

  if (strstr (text, needle) != NULL)
    g_test_fail_printf ("“%s” is shown, and must not be:\n%s", needle, text);
}

/* Loads once, then the next answer is `wrong`: after a refresh the widget still shows
 * the first answer and nothing of the second. */
static void
refresh_with (Fixture     *f,
              AtlasPoller *poller,
              const char  *key,
              const char  *wrong)
{
  guint before = atlas_test_hostile_hits (f->hostile, key);

  atlas_test_hostile_route (f->hostile, key, 200, wrong);
  g_assert_true (atlas_poller_refresh_now (poller));
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_test_hostile_hits (f->hostile, key), ==, before + 1);
}

/* The overview of workspace 1 answered with workspace 2's tenants and runs. */
static void
test_identity_overview (Fixture       *f,
                        gconstpointer  data)
{
  const char *key = "/api/v1/workspaces/1/overview";
  g_autofree char *run = atlas_test_body_run (5, 1, 7, "Contoso Ltd", "running", T0 - 3600);
  g_autofree char *good = atlas_test_body_overview ("Contoso Ltd", run);
  g_autofree char *run2 = atlas_test_body_run (6, 2, 9, "Globex", "running", T0 - 3600);
  g_autofree char *wrong = atlas_test_body_overview ("Globex", run2);
  GtkWidget *overview;
  AtlasPoller *poller;

  atlas_test_hostile_route (f->hostile, key, 200, good);
  overview = atlas_overview_new (f->client, f->base.clock, 1);
  atlas_test_show (&f->base, overview);
  poller = atlas_overview_get_poller (ATLAS_OVERVIEW (overview));
  atlas_test_settle (poller);
  assert_shows (overview, "Contoso Ltd");

  refresh_with (f, poller, key, wrong);
  assert_not_shown (overview, "Globex");
  assert_shows (overview, "Contoso Ltd");
  g_assert_cmpuint (g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview))), ==, 1);
}

/* Tenant 7's dashboard answered with tenant "Globex" (9). */
static void
test_identity_dashboard (Fixture       *f,
                         gconstpointer  data)
{
  const char *key = "/api/v1/tenants/7/dashboard";
  g_autofree char *run = atlas_test_body_run (5, 1, 7, "Contoso Ltd", "running", T0 - 3600);
  g_autofree char *good = atlas_test_body_dashboard (7, "Contoso Ltd", run);
  g_autofree char *wrong = atlas_test_body_dashboard (9, "Globex", "");
  GtkWidget *dashboard;
  AtlasPoller *poller;

  atlas_test_hostile_route (f->hostile, key, 200, good);
  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/review-pack", 200, "{\"data\": null}");
  dashboard = atlas_tenant_dashboard_new (f->client, f->base.clock, 7, FALSE);
  atlas_test_show (&f->base, dashboard);
  poller = atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (dashboard));
  atlas_test_settle (poller);
  assert_shows (dashboard, "Contoso Ltd");

  refresh_with (f, poller, key, wrong);
  assert_not_shown (dashboard, "Globex");
  assert_shows (dashboard, "Contoso Ltd");
  g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (dashboard)), ==, "Contoso Ltd");
}

/* `run 42` answered with run 7 of another tenant. */
static void
test_identity_run_detail (Fixture       *f,
                          gconstpointer  data)
{
  const char *key = "/api/v1/workspaces/1/operations/42";
  g_autofree char *good = atlas_test_body_detail (42, 1, 7);
  g_autofree char *run7 = atlas_test_body_run (7, 1, 9, "Globex", "completed", T0 - 60);
  g_autofree char *wrong = g_strdup_printf ("{\"data\": %s}", run7);
  g_autofree char *headline = NULL;
  GtkWidget *detail;
  AtlasPoller *poller;

  atlas_test_hostile_route (f->hostile, key, 200, good);
  detail = atlas_run_detail_new (f->client, f->base.clock, 1, 42);
  atlas_test_show (&f->base, detail);
  poller = atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (ATLAS_RUN_DETAIL (detail)));
  atlas_test_settle (poller);
  headline = g_strdup (atlas_run_detail_get_headline (ATLAS_RUN_DETAIL (detail)));
  assert_shows (detail, "Contoso Ltd");

  refresh_with (f, poller, key, wrong);
  assert_not_shown (detail, "Globex");
  assert_shows (detail, "Contoso Ltd");
  g_assert_cmpstr (atlas_run_detail_get_state (ATLAS_RUN_DETAIL (detail)), ==, "run");
  g_assert_cmpstr (atlas_run_detail_get_headline (ATLAS_RUN_DETAIL (detail)), ==, headline);
}

/* --- plain text ------------------------------------------------------------------------- */

static void
test_plain_text_run_detail (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *run = atlas_test_body_run (42, 1, 7, HOSTILE_NAME, "running", T0 - 30);
  g_autofree char *body = g_strdup_printf ("{\"data\": %s}", run);
  GtkWidget *detail;

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, body);
  detail = atlas_run_detail_new (f->client, f->base.clock, 1, 42);
  atlas_test_show (&f->base, detail);
  atlas_test_settle (atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (ATLAS_RUN_DETAIL (detail))));
  g_assert_cmpstr (atlas_run_detail_get_state (ATLAS_RUN_DETAIL (detail)), ==, "run");
  /* The Tenant row (an AdwActionRow, markup by default) and the page subtitle. */
  assert_shows (detail, HOSTILE_NAME);
}

static void
test_plain_text_list (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *run = atlas_test_body_run (42, 1, 7, HOSTILE_NAME, "running", T0 - 30);
  g_autofree char *page = atlas_test_body_page (run);
  GtkWidget *list;

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations?tab=all&page=1&per_page=25", 200, page);
  list = atlas_operations_list_new (f->client, f->base.clock, 1, 0);
  atlas_test_show (&f->base, list);
  atlas_test_settle (atlas_operations_list_get_poller (ATLAS_OPERATIONS_LIST (list)));
  g_assert_cmpuint (g_list_model_get_n_items (atlas_operations_list_get_runs (ATLAS_OPERATIONS_LIST (list))), ==, 1);
  /* Rows are realised on the next frames. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  assert_shows (list, HOSTILE_NAME);
}

static void
test_plain_text_overview (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *run = atlas_test_body_run (42, 1, 7, HOSTILE_NAME, "running", T0 - 30);
  g_autofree char *body = atlas_test_body_overview (HOSTILE_NAME, run);
  GtkWidget *overview;

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/overview", 200, body);
  overview = atlas_overview_new (f->client, f->base.clock, 1);
  atlas_test_show (&f->base, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
  assert_shows (overview, HOSTILE_NAME);
}

/* An error message from the server (a status page description is markup in
 * libadwaita 1.2) is shown literally too. */
static void
test_plain_text_error_message (Fixture       *f,
                               gconstpointer  data)
{
  GtkWidget *overview;

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/overview", 400,
                            "{\"error\": {\"code\": \"bad_request\", \"message\": \"Fish & <i>chips</i>\"}}");
  overview = atlas_overview_new (f->client, f->base.clock, 1);
  atlas_test_show (&f->base, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
  assert_shows (overview, "Fish & <i>chips</i>");
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/boundary/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("identity/overview", test_identity_overview);
  ADD ("identity/dashboard", test_identity_dashboard);
  ADD ("identity/run-detail", test_identity_run_detail);
  ADD ("plain-text/run-detail", test_plain_text_run_detail);
  ADD ("plain-text/list", test_plain_text_list);
  ADD ("plain-text/overview", test_plain_text_overview);
  ADD ("plain-text/error-message", test_plain_text_error_message);
#undef ADD

  return g_test_run ();
}
