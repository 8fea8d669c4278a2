/* test-boundary.c — the client against hostile servers: gzip, identity, redirects, Retry-After
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case runs over real HTTP against a small SoupServer in this file that answers
 * what a misconfigured proxy, cache or load balancer would: gzip bodies, answers for
 * another run, workspace or tenant, redirects to another origin (a second server counts
 * the requests that reach it), Retry-After, a skewed Date.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "atlas-client.h"
#include "atlas-http-private.h"
#include "atlas-json.h"
#include "atlas-poll-policy.h"
#include "atlas-poller-private.h"
#include "atlas-run-presenter.h"
#include "atlas-run-watcher.h"
#include "atlas-test-hostile.h"
#include "atlas-test-utils.h"

typedef struct
{
  AtlasTestHostile *hostile;
  AtlasTestHostile *other;     /* another origin; must never be asked anything */
  AtlasClient *client;
  guint        n_identity_logs;
  guint        log_handler;
} Fixture;

static void
count_log (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        user_data)
{
  Fixture *f = user_data;

  if (strstr (message, "instead of") != NULL)
    f->n_identity_logs++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hostile = atlas_test_hostile_new ();
  f->other = atlas_test_hostile_new ();
  f->client = atlas_client_new (f->hostile->base_url, "secret-token", ATLAS_CLIENT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  f->log_handler = g_log_set_handler ("atlas-client", G_LOG_LEVEL_MESSAGE, count_log, f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_log_remove_handler ("atlas-client", f->log_handler);
  g_clear_object (&f->client);
  /* The other origin never saw a single request, whatever the case was. */
  g_assert_cmpuint (f->other->n_requests, ==, 0);
  atlas_test_hostile_free (f->hostile);
  atlas_test_hostile_free (f->other);
}

static void
fetch_path (Fixture            *f,
            const char         *path,
            AtlasPayloadParser  parser,
            AtlasTestResult    *r)
{
  atlas_client_fetch_async (f->client, path, parser, NULL, atlas_test_result_cb, r);
  atlas_test_wait (&r->done);
}

/* --- compression ---------------------------------------------------------------------- */

typedef void (*Fetch) (AtlasClient *client, GAsyncReadyCallback cb, gpointer user_data);

static void fetch_me (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_get_me_async (c, NULL, cb, d); }
static void fetch_overview (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_get_overview_async (c, 1, NULL, cb, d); }
static void fetch_list (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_list_operations_async (c, 1, NULL, NULL, cb, d); }
static void fetch_run (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_get_run_async (c, 1, 42, NULL, cb, d); }
static void fetch_dashboard (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_get_dashboard_async (c, 7, NULL, cb, d); }
static void fetch_pack (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_get_review_pack_async (c, 7, NULL, cb, d); }
static void fetch_generate (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_generate_review_pack_async (c, 7, NULL, cb, d); }
static void fetch_notifications (AtlasClient *c, GAsyncReadyCallback cb, gpointer d) { atlas_client_get_notifications_async (c, 0, NULL, cb, d); }

/* Every endpoint through a gzip proxy, the smallest bodies first: `{"data":[]}` is
 * 11 bytes decoded and 31 on the wire, which once read as "cut off". */
static void
test_gzip_every_endpoint (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *detail = atlas_test_body_detail (42, 1, 7);
  g_autofree char *row = atlas_test_body_run (5, 1, 7, "Contoso Ltd", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *page = atlas_test_body_page (row);
  g_autofree char *empty_page = atlas_test_body_page ("");
  g_autofree char *overview = atlas_test_body_overview ("Contoso Ltd", row);
  g_autofree char *dashboard = atlas_test_body_dashboard (7, "Contoso Ltd", row);
  struct {
    const char *key;
    guint       status;
    const char *body;
    Fetch       fetch;
  } cases[] = {
    { "/api/v1/me/notifications", 200, "{\"data\":[]}", fetch_notifications },
    { "/api/v1/tenants/7/review-pack", 200, "{\"data\":null}", fetch_pack },
    { "/api/v1/workspaces/1/operations", 200, empty_page, fetch_list },
    { "/api/v1/me", 200, "{\"data\":{\"user\":{\"id\":3,\"name\":\"Dana\"},\"workspaces\":[],"
                         "\"active_initiated_count\":0}}", fetch_me },
    { "/api/v1/workspaces/1/overview", 200, overview, fetch_overview },
    { "/api/v1/workspaces/1/operations", 200, page, fetch_list },
    { "/api/v1/workspaces/1/operations/42", 200, detail, fetch_run },
    { "/api/v1/tenants/7/dashboard", 200, dashboard, fetch_dashboard },
    { "/api/v1/tenants/7/review-packs", 202, "{\"data\":{\"review_pack\":{\"id\":4,\"tenant_id\":7,"
                                             "\"status\":\"queued\"},\"run\":null},\"meta\":{\"deduped\":false}}",
      fetch_generate },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_str_equal (cases[i].key, "/api/v1/workspaces/1/operations")
                             ? g_strconcat (cases[i].key, "?tab=all", NULL)
                             : g_str_equal (cases[i].key, "/api/v1/me/notifications")
                             ? g_strconcat (cases[i].key, "?after=0", NULL) : g_strdup (cases[i].key);
      AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, key, cases[i].status, cases[i].body);
      AtlasTestResult r = { 0 };

      g_test_message ("gzip %s (%zu bytes decoded)", key, strlen (cases[i].body));
      route->gzip = TRUE;
      cases[i].fetch (f->client, atlas_test_result_cb, &r);
      atlas_test_wait (&r.done);
      g_assert_no_error (r.error);
      g_assert_nonnull (r.response);
      g_assert_nonnull (r.response->payload);
      /* Like with like: the wire length is not the decoded length. */
      g_assert_cmpuint (f->hostile->last_wire_length, !=, strlen (cases[i].body));
      atlas_test_result_clear (&r);
    }
  g_assert_cmpuint (f->hostile->last_wire_length, >, 0);
  g_assert_cmpuint (f->hostile->n_gzip_accepted, ==, f->hostile->n_requests);
}

/* Exactly the body the issue names: 11 bytes, 31 gzipped. */
static void
test_gzip_empty_list (Fixture       *f,
                      gconstpointer  data)
{
  AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/me/notifications?after=0", 200, "{\"data\":[]}");
  AtlasTestResult r = { 0 };
  AtlasNotificationList *list;

  route->gzip = TRUE;
  atlas_client_get_notifications_async (f->client, 0, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->hostile->last_wire_length, ==, 31);
  list = r.response->payload;
  g_assert_cmpuint (list->notifications->len, ==, 0);
  atlas_test_result_clear (&r);
}

/* A gzip stream cut short (its CRC and length trailer missing) is still cut off. */
static void
test_gzip_truncated (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *detail = atlas_test_body_detail (42, 1, 7);
  AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, detail);
  AtlasTestResult r = { 0 };

  route->gzip = TRUE;
  route->gzip_cut = 30;
  atlas_client_get_run_async (f->client, 1, 42, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_null (r.response);
  atlas_test_result_clear (&r);
}

/* The 8 MiB cap is on decoded bytes: 9 MiB of spaces gzip to a few KiB. */
static void
test_gzip_bomb (Fixture       *f,
                gconstpointer  data)
{
  gsize n = 9 * 1024 * 1024;
  g_autofree char *body = g_malloc (n + 1);
  AtlasTestRoute *route;
  AtlasTestResult r = { 0 };

  memset (body, ' ', n);
  body[0] = '[';
  body[n - 1] = ']';
  body[n] = '\0';
  route = atlas_test_hostile_route (f->hostile, "/api/v1/me", 200, body);
  route->gzip = TRUE;
  fetch_path (f, "/api/v1/me", atlas_api_parse_me, &r);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (r.error->message, "8 MiB"));
  g_assert_cmpuint (f->hostile->last_wire_length, <, 1024 * 1024);
  atlas_test_result_clear (&r);
}

/* The amplification body: 8 MiB of 2.8 million empty objects, refused by the value
 * limit before json-glib builds a node (peak RSS in bench/bench-boundary). */
static void
test_amplification_body (Fixture       *f,
                         gconstpointer  data)
{
  gsize n = (ATLAS_JSON_MAX_BYTES - 2) / 3;
  GString *body = g_string_sized_new (ATLAS_JSON_MAX_BYTES);
  AtlasTestResult r = { 0 };

  g_string_append_c (body, '[');
  for (gsize i = 0; i < n; i++)
    g_string_append (body, i ? ",{}" : "{}");
  g_string_append_c (body, ']');
  atlas_test_hostile_route (f->hostile, "/api/v1/me/notifications?after=0", 200, body->str);
  g_string_free (body, TRUE);
  atlas_client_get_notifications_async (f->client, 0, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (r.error->message, "values"));
  atlas_test_result_clear (&r);
}

/* A 503 with a 1 MiB error body: not parsed on the main context, the default
 * message stands in; a small one is still read. */
static void
test_huge_error_body (Fixture       *f,
                      gconstpointer  data)
{
  GString *body = g_string_new ("{\"error\": {\"code\": \"unavailable\", \"message\": \"");
  AtlasTestResult r = { 0 };

  while (body->len < 1024 * 1024)
    g_string_append (body, "maintenance ");
  g_string_append (body, "\"}}");
  atlas_test_hostile_route (f->hostile, "/api/v1/me", 503, body->str);
  g_string_free (body, TRUE);
  fetch_path (f, "/api/v1/me", atlas_api_parse_me, &r);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAVAILABLE);
  g_assert_cmpstr (r.error->message, ==, "The backend is unavailable");
  atlas_test_result_clear (&r);

  atlas_test_hostile_route (f->hostile, "/api/v1/me", 503,
                            "{\"error\": {\"code\": \"unavailable\", \"message\": \"Back at 11:00\"}}");
  fetch_path (f, "/api/v1/me", atlas_api_parse_me, &r);
  g_assert_cmpstr (r.error->message, ==, "Back at 11:00");
  atlas_test_result_clear (&r);
}

/* The parser runs in a worker thread; the caller's callback on its own context. */
static GThread *parser_thread;

static gpointer
recording_parser (JsonNode  *root,
                  GError   **error)
{
  parser_thread = g_thread_self ();
  return atlas_api_parse_me (root, error);
}

static void
thread_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  atlas_test_result_cb (object, result, user_data);
}

static void
test_parse_off_main_thread (Fixture       *f,
                            gconstpointer  data)
{
  AtlasTestResult r = { 0 };

  atlas_test_hostile_route (f->hostile, "/api/v1/me", 200,
                            "{\"data\":{\"user\":{\"id\":3,\"name\":\"Dana\"},\"workspaces\":[],"
                            "\"active_initiated_count\":0}}");
  parser_thread = NULL;
  atlas_client_fetch_async (f->client, "/api/v1/me", recording_parser, NULL, thread_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_nonnull (parser_thread);
  g_assert_true (parser_thread != g_thread_self ());
  atlas_test_result_clear (&r);
}

/* --- identity ------------------------------------------------------------------------- */

static void
expect_identity_error (Fixture    *f,
                       Fetch       fetch,
                       const char *needle)
{
  AtlasTestResult r = { 0 };

  fetch (f->client, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_null (r.response);
  if (strstr (r.error->message, needle) == NULL)
    g_test_fail_printf ("“%s” does not mention “%s”", r.error->message, needle);
  atlas_test_result_clear (&r);
}

/* `run 42` answered with run 7: refused, logged once however often it is asked. */
static void
test_identity_run_id (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *wrong = atlas_test_body_detail (7, 1, 7);

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, wrong);
  expect_identity_error (f, fetch_run, "run 7 instead of 42");
  expect_identity_error (f, fetch_run, "run 7 instead of 42");
  expect_identity_error (f, fetch_run, "run 7 instead of 42");
  g_assert_cmpuint (atlas_test_hostile_hits (f->hostile, "/api/v1/workspaces/1/operations/42"), ==, 3);
  g_assert_cmpuint (f->n_identity_logs, ==, 1);
}

static void
test_identity_run_workspace (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *wrong = atlas_test_body_detail (42, 2, 9);

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, wrong);
  expect_identity_error (f, fetch_run, "workspace 2 instead of 1");
}

static void
test_identity_list_row (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *good = atlas_test_body_run (5, 1, 7, "Contoso Ltd", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *bad = atlas_test_body_run (6, 2, 9, "Globex", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *rows = g_strconcat (good, ",", bad, NULL);
  g_autofree char *page = atlas_test_body_page (rows);

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations?tab=all", 200, page);
  expect_identity_error (f, fetch_list, "workspace 2 instead of 1");
}

static void
fetch_list_tenant (AtlasClient *c, GAsyncReadyCallback cb, gpointer d)
{
  AtlasOperationsQuery q = { ATLAS_TAB_ALL, 7, NULL, NULL, 0, 0 };

  atlas_client_list_operations_async (c, 1, &q, NULL, cb, d);
}

/* A list filtered to tenant 7 with a row of tenant 9: the filter was not applied. */
static void
test_identity_list_tenant (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *bad = atlas_test_body_run (6, 1, 9, "Globex", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *page = atlas_test_body_page (bad);

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations?tab=all&tenant_id=7", 200, page);
  expect_identity_error (f, fetch_list_tenant, "tenant 9 instead of 7");
}

static void
test_identity_overview (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *bad = atlas_test_body_run (6, 2, 9, "Globex", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *overview = atlas_test_body_overview ("Globex", bad);

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/overview", 200, overview);
  expect_identity_error (f, fetch_overview, "workspace 2 instead of 1");
}

static void
test_identity_dashboard (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *good_run = atlas_test_body_run (6, 1, 7, "Contoso Ltd", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *bad_run = atlas_test_body_run (6, 1, 9, "Globex", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *wrong_tenant = atlas_test_body_dashboard (9, "Globex", "");
  g_autofree char *wrong_row = atlas_test_body_dashboard (7, "Contoso Ltd", bad_run);
  g_autofree char *good = atlas_test_body_dashboard (7, "Contoso Ltd", good_run);
  AtlasTestResult r = { 0 };

  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/dashboard", 200, wrong_tenant);
  expect_identity_error (f, fetch_dashboard, "tenant 9 instead of 7");
  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/dashboard", 200, wrong_row);
  expect_identity_error (f, fetch_dashboard, "tenant 9 instead of 7");

  /* The right answer still goes through. */
  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/dashboard", 200, good);
  fetch_dashboard (f->client, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  atlas_test_result_clear (&r);
}

static char *
dashboard_with_active (const char *page)
{
  return g_strdup_printf ("{\"data\": {\"tenant\": {\"id\": 7, \"workspace_id\": 1, \"name\": \"Contoso Ltd\"},"
                          " \"kpis\": {\"active\": 0, \"stale_active\": 0, \"failed_7d\": 0, \"succeeded_7d\": 0},"
                          " \"needs_attention\": [], \"recent_operations\": [], \"review_pack\": null,"
                          " \"active_operations\": %s}}", page);
}

/* active_operations spans the workspace: in an overview the workspace is checked, in a
 * dashboard other tenants of the dashboard's workspace pass, another workspace does not. */
static void
test_identity_active_operations (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *other_ws = atlas_test_body_run (6, 2, 20, "Globex Retail", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *other_tenant = atlas_test_body_run (8, 1, 9, "Fabrikam Inc", "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *bad_page = atlas_test_body_page (other_ws);
  g_autofree char *good_page = atlas_test_body_page (other_tenant);
  g_autofree char *overview = atlas_test_body_overview ("Contoso Ltd", "");
  g_autofree char *bad_overview = NULL;
  g_autofree char *bad_dashboard = dashboard_with_active (bad_page);
  g_autofree char *good_dashboard = dashboard_with_active (good_page);
  AtlasTestResult r = { 0 };

  /* "…[]}}" → "…[], \"active_operations\": PAGE}}" */
  overview[strlen (overview) - 2] = '\0';
  bad_overview = g_strdup_printf ("%s, \"active_operations\": %s}}", overview, bad_page);
  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/overview", 200, bad_overview);
  expect_identity_error (f, fetch_overview, "workspace 2 instead of 1");

  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/dashboard", 200, bad_dashboard);
  expect_identity_error (f, fetch_dashboard, "workspace 2 instead of 1");

  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/dashboard", 200, good_dashboard);
  fetch_dashboard (f->client, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpuint (((AtlasDashboard *) r.response->payload)->active_operations->runs->len, ==, 1);
  atlas_test_result_clear (&r);
}

static void
test_identity_review_pack (Fixture       *f,
                           gconstpointer  data)
{
  atlas_test_hostile_route (f->hostile, "/api/v1/tenants/7/review-pack", 200,
                 "{\"data\": {\"id\": 4, \"tenant_id\": 9, \"status\": \"ready\"}}");
  expect_identity_error (f, fetch_pack, "tenant 9 instead of 7");
}

/* --- redirects ------------------------------------------------------------------------ */

/* 301, 302 and 307 to another origin (same host, other port): an error, and not one
 * request reaches the other server (checked in the teardown). */
static void
test_redirect_cross_origin (Fixture       *f,
                            gconstpointer  data)
{
  static const guint statuses[] = { 301, 302, 307, 308 };
  g_autofree char *detail = atlas_test_body_detail (42, 1, 7);
  g_autofree char *target = g_strconcat (f->other->base_url, "/api/v1/workspaces/1/operations/42", NULL);

  atlas_test_hostile_route (f->other, "/api/v1/workspaces/1/operations/42", 200, detail);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", statuses[i], NULL);
      AtlasTestResult r = { 0 };

      route->location = g_strdup (target);
      atlas_client_get_run_async (f->client, 1, 42, NULL, atlas_test_result_cb, &r);
      atlas_test_wait (&r.done);
      g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (r.error->message, "redirect"));
      g_assert_cmpuint (f->other->n_requests, ==, 0);
      atlas_test_result_clear (&r);
    }

  /* Another host name for the same address is another origin too. */
  {
    g_autoptr(GUri) uri = g_uri_parse (f->hostile->base_url, G_URI_FLAGS_NONE, NULL);
    AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 302, NULL);
    AtlasTestResult r = { 0 };

    route->location = g_strdup_printf ("http://localhost:%d/api/v1/workspaces/1/operations/42",
                                       g_uri_get_port (uri));
    atlas_client_get_run_async (f->client, 1, 42, NULL, atlas_test_result_cb, &r);
    atlas_test_wait (&r.done);
    g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
    atlas_test_result_clear (&r);
    g_assert_cmpuint (atlas_test_hostile_hits (f->hostile, "/api/v1/workspaces/1/operations/42"), ==, 5);
  }
}

/* Within the origin a redirect is followed, with the token and for POST too. */
static void
test_redirect_same_origin (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *detail = atlas_test_body_detail (42, 1, 7);
  AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 307, NULL);
  AtlasTestResult r = { 0 };

  route->location = g_strdup ("/api/v1/moved/42");
  atlas_test_hostile_route (f->hostile, "/api/v1/moved/42", 200, detail);
  atlas_client_get_run_async (f->client, 1, 42, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpint (atlas_run_get_id (((AtlasRunReply *) r.response->payload)->run), ==, 42);
  g_assert_cmpuint (atlas_test_hostile_hits (f->hostile, "/api/v1/moved/42"), ==, 1);
  atlas_test_result_clear (&r);

  /* A redirect loop ends in an error, not a hang. */
  route = atlas_test_hostile_route (f->hostile, "/api/v1/me", 302, NULL);
  route->location = g_strdup ("/api/v1/me");
  fetch_path (f, "/api/v1/me", atlas_api_parse_me, &r);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (atlas_test_hostile_hits (f->hostile, "/api/v1/me"), ==, 6);
  atlas_test_result_clear (&r);
}

/* --- Retry-After ---------------------------------------------------------------------- */

static guint
watcher_hits (Fixture *f)
{
  return atlas_test_hostile_hits (f->hostile, "/api/v1/workspaces/1/operations/42");
}

static double
jitter_max (gpointer user_data)
{
  return 0.999999;
}

static double
jitter_min (gpointer user_data)
{
  return 0.0;
}

/* The first request of a young run's watcher gets 503 with Retry-After: 3. The next
 * request comes between 3.0 and 3.6 s later: not sooner, and not after our own
 * interval or backoff (it once came after 13 s). Both ends of the jitter. */
static void
test_retry_after_first_request (Fixture       *f,
                                gconstpointer  data)
{
  AtlasPollerJitterFunc jitters[] = { jitter_min, jitter_max };

  for (guint j = 0; j < G_N_ELEMENTS (jitters); j++)
    {
      g_autoptr(AtlasClock) clock = atlas_manual_clock_new ();
      g_autoptr(AtlasRunWatcher) watcher = NULL;
      g_autofree char *detail = atlas_test_body_detail (42, 1, 7);
      AtlasTestRoute *route;
      AtlasPoller *poller;
      gint64 wait_ms;
      guint before;

      g_hash_table_remove_all (f->hostile->hits);
      route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 503,
                             "{\"error\":{\"code\":\"unavailable\",\"message\":\"busy\"}}");
      route->retry_after = g_strdup ("3");

      watcher = atlas_run_watcher_new (f->client, clock, 1, 42);
      poller = atlas_run_watcher_get_poller (watcher);
      atlas_poller_set_jitter_func (poller, jitters[j], NULL, NULL);
      atlas_run_watcher_start (watcher);
      atlas_test_settle (poller);
      g_assert_cmpuint (watcher_hits (f), ==, 1);
      g_assert_error (atlas_run_watcher_get_error (watcher), ATLAS_CLIENT_ERROR,
                      ATLAS_CLIENT_ERROR_UNAVAILABLE);

      wait_ms = (atlas_poller_get_next_due (poller) - atlas_clock_get_now_us (clock)) / 1000;
      g_test_message ("jitter %u: next request after %" G_GINT64_FORMAT " ms", j, wait_ms);
      g_assert_cmpint (wait_ms, >=, 3000);
      g_assert_cmpint (wait_ms, <=, 3600);

      /* From now on the run answers. Nothing 1 ms early, one request on time. */
      atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, detail);
      before = watcher_hits (f);
      atlas_manual_clock_advance (clock, (guint) wait_ms - 1);
      atlas_test_settle (poller);
      g_assert_cmpuint (watcher_hits (f), ==, before);
      atlas_manual_clock_advance (clock, 1);
      atlas_test_settle (poller);
      g_assert_cmpuint (watcher_hits (f), ==, before + 1);
      g_assert_null (atlas_run_watcher_get_error (watcher));
    }
}

/* A list widget (10 s interval) told Retry-After: 3 comes back after 3 to 3.6 s. */
static void
test_retry_after_list_interval (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AtlasClock) clock = atlas_manual_clock_new ();
  g_autoptr(AtlasPoller) poller = atlas_poller_new (clock);
  AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations?tab=all", 429,
                                "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}");
  AtlasTestResult r = { 0 };
  gint64 wait_ms;

  route->retry_after = g_strdup ("3");
  atlas_poller_set_interval (poller, ATLAS_POLL_SLOW_MS);
  atlas_poller_set_jitter_func (poller, jitter_max, NULL, NULL);
  atlas_poller_request_started (poller);
  fetch_list (f->client, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (atlas_client_error_get_retry_after_ms (r.error), ==, 3000);
  g_assert_true (atlas_poller_report_error (poller, r.error));
  wait_ms = (atlas_poller_get_next_due (poller) - atlas_clock_get_now_us (clock)) / 1000;
  g_assert_cmpint (wait_ms, >=, 3000);
  g_assert_cmpint (wait_ms, <=, 3600);
  atlas_test_result_clear (&r);
}

/* --- clocks --------------------------------------------------------------------------- */

/* The server's Date is an hour behind the run's own started_at (a backend host with a
 * wrong clock behind a proxy that stamps Date, or the reverse). The age is unknown:
 * polled at the slowest active cadence — at most 4 requests in 30 s, not 30 — and the
 * headline claims no age. A few seconds of skew is ordinary and reads "0 s". */
static void
clock_case (Fixture *f,
            gint64   skew_s,
            guint    max_requests,
            guint    min_requests,
            gboolean age_known)
{
  g_autoptr(AtlasClock) clock = atlas_manual_clock_new ();
  g_autoptr(AtlasRunWatcher) watcher = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ATLAS_TEST_HOSTILE_T0);
  g_autofree char *run = atlas_test_body_run (42, 1, 7, "Contoso Ltd", "running", ATLAS_TEST_HOSTILE_T0 + skew_s);
  g_autofree char *body = g_strdup_printf ("{\"data\": %s}", run);
  g_autoptr(AtlasRunPresentation) p = NULL;
  AtlasTestRoute *route = atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, body);
  AtlasPoller *poller;

  /* A Date that never moves: the server's clock is stuck an hour behind. */
  route->date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  watcher = atlas_run_watcher_new (f->client, clock, 1, 42);
  poller = atlas_run_watcher_get_poller (watcher);
  atlas_run_watcher_start (watcher);
  atlas_test_settle (poller);
  for (guint ms = 0; ms < 30000; ms += 100)
    {
      atlas_manual_clock_advance (clock, 100);
      atlas_test_settle (poller);
    }
  g_test_message ("skew %" G_GINT64_FORMAT " s: %u requests in 30 s", skew_s, watcher_hits (f));
  g_assert_cmpuint (watcher_hits (f), <=, max_requests);
  g_assert_cmpuint (watcher_hits (f), >=, min_requests);

  p = atlas_run_present (atlas_run_watcher_get_run (watcher), atlas_run_watcher_get_server_time (watcher));
  if (age_known)
    g_assert_cmpstr (p->headline, ==, "Running for 0 s");
  else
    {
      g_assert_null (strstr (p->headline, "Running for"));
      g_assert_nonnull (strstr (p->headline, "unknown"));
      g_assert_null (p->elapsed_text);
    }
}

static void
test_clock_date_an_hour_behind (Fixture *f, gconstpointer data)
{
  clock_case (f, 3600, 4, 3, FALSE);
}

static void
test_clock_start_far_in_future (Fixture *f, gconstpointer data)
{
  clock_case (f, 2 * 24 * 3600, 4, 3, FALSE);
}

/* 3 s of skew is within the tolerance: "0 s", and a young run's 1 s cadence. */
static void
test_clock_small_skew (Fixture *f, gconstpointer data)
{
  clock_case (f, 3, 31, 25, TRUE);
}

/* --- atlas-cli ---------------------------------------------------------------------- */

typedef struct
{
  GBytes  *out;
  GBytes  *err;
  gboolean done;
} Communicated;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicated *c = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &c->out, &c->err, &error);
  g_assert_no_error (error);
  c->done = TRUE;
}

/* Runs atlas-cli against the hostile server; the server answers from this process's
 * main loop while the child runs. */
static int
run_cli (Fixture     *f,
         const char **args,
         char       **out,
         char       **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Communicated c = { 0 };

  g_subprocess_launcher_setenv (launcher, "ATLAS_BACKEND", f->hostile->base_url, TRUE);
  g_subprocess_launcher_setenv (launcher, "ATLAS_TOKEN", "secret-token", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_ptr_array_add (argv, (gpointer) ATLAS_CLI_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (proc, NULL, NULL, communicated_cb, &c);
  atlas_test_wait (&c.done);
  *out = g_strndup (g_bytes_get_size (c.out) > 0 ? g_bytes_get_data (c.out, NULL) : "", g_bytes_get_size (c.out));
  *err = g_strndup (g_bytes_get_size (c.err) > 0 ? g_bytes_get_data (c.err, NULL) : "", g_bytes_get_size (c.err));
  g_bytes_unref (c.out);
  g_bytes_unref (c.err);
  g_test_message ("atlas-cli %s → %d\nstdout: %s\nstderr: %s", args[0],
                  g_subprocess_get_exit_status (proc), *out, *err);
  return g_subprocess_get_exit_status (proc);
}

/* `atlas-cli run 42` answered with run 7, and an overview with workspace 2's runs:
 * refused with a clear message and a non-zero exit, nothing of the answer printed. */
static void
test_cli_wrong_identity (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *run7 = atlas_test_body_run (7, 1, 9, "Globex", "completed", ATLAS_TEST_HOSTILE_T0 - 60);
  g_autofree char *detail = g_strdup_printf ("{\"data\": %s}", run7);
  g_autofree char *run2 = atlas_test_body_run (6, 2, 9, "Globex", "running", ATLAS_TEST_HOSTILE_T0 - 60);
  g_autofree char *overview = atlas_test_body_overview ("Globex", run2);
  const char *run_args[] = { "run", "42", "--workspace", "1", NULL };
  const char *json_args[] = { "run", "42", "--workspace", "1", "--json", NULL };
  const char *overview_args[] = { "overview", "--workspace", "1", NULL };
  g_autofree char *out = NULL, *err = NULL;

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, detail);
  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/overview", 200, overview);

  g_assert_cmpint (run_cli (f, run_args, &out, &err), ==, 3);
  g_assert_nonnull (strstr (err, "run 7 instead of 42"));
  g_assert_null (strstr (out, "Globex"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, json_args, &out, &err), ==, 3);
  g_assert_null (strstr (out, "Globex"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, overview_args, &out, &err), ==, 3);
  g_assert_nonnull (strstr (err, "workspace 2 instead of 1"));
  g_assert_null (strstr (out, "Globex"));
}

/* ESC, BEL, a C1 control (NEL) and a right-to-left override in server strings. */
#define NASTY_NAME "Müller AG & Co. KGaA <b>x</b> \033]0;pwned\007\033[2J\xc2\x85\xe2\x80\xae"

static void
assert_terminal_safe (const char *text)
{
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (text, '\007'));
  g_assert_null (strstr (text, "\xc2\x85"));        /* U+0085 */
  g_assert_null (strstr (text, "\xe2\x80\xae"));    /* U+202E */
}

/* Text mode: the name shown literally, each control replaced by U+FFFD; --json: the
 * same name, escaped as JSON escapes it, and it reads back unchanged. A server error
 * message on stderr is cleaned the same way. */
static void
test_cli_control_characters (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *run = atlas_test_body_run (42, 1, 7, NASTY_NAME, "running", ATLAS_TEST_HOSTILE_T0 - 30);
  g_autofree char *detail = g_strdup_printf ("{\"data\": %s}", run);
  const char *text_args[] = { "run", "42", "--workspace", "1", NULL };
  const char *json_args[] = { "run", "42", "--workspace", "1", "--json", NULL };
  const char *overview_args[] = { "overview", "--workspace", "1", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/operations/42", 200, detail);
  g_assert_cmpint (run_cli (f, text_args, &out, &err), ==, 0);
  assert_terminal_safe (out);
  g_assert_nonnull (strstr (out, "Müller AG & Co. KGaA <b>x</b> \xef\xbf\xbd]0;pwned\xef\xbf\xbd"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, json_args, &out, &err), ==, 0);
  assert_terminal_safe (out);
  g_assert_nonnull (strstr (out, "\\u001b"));
  g_assert_nonnull (strstr (out, "\\u202e"));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "tenant_name"), ==, NASTY_NAME);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  atlas_test_hostile_route (f->hostile, "/api/v1/workspaces/1/overview", 400,
                            "{\"error\": {\"code\": \"bad_request\", \"message\": \"no \\u001b[2J\\u202e\"}}");
  g_assert_cmpint (run_cli (f, overview_args, &out, &err), ==, 3);
  assert_terminal_safe (err);
  g_assert_nonnull (strstr (err, "no \xef\xbf\xbd[2J\xef\xbf\xbd"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/boundary/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("gzip/every-endpoint", test_gzip_every_endpoint);
  ADD ("gzip/empty-list-31-bytes", test_gzip_empty_list);
  ADD ("gzip/truncated", test_gzip_truncated);
  ADD ("gzip/decoded-cap", test_gzip_bomb);
  ADD ("parse/amplification-body", test_amplification_body);
  ADD ("parse/huge-error-body", test_huge_error_body);
  ADD ("parse/off-main-thread", test_parse_off_main_thread);
  ADD ("identity/run-id", test_identity_run_id);
  ADD ("identity/run-workspace", test_identity_run_workspace);
  ADD ("identity/list-row-workspace", test_identity_list_row);
  ADD ("identity/list-row-tenant", test_identity_list_tenant);
  ADD ("identity/overview-workspace", test_identity_overview);
  ADD ("identity/dashboard-tenant", test_identity_dashboard);
  ADD ("identity/active-operations-workspace", test_identity_active_operations);
  ADD ("identity/review-pack-tenant", test_identity_review_pack);
  ADD ("redirect/cross-origin", test_redirect_cross_origin);
  ADD ("redirect/same-origin", test_redirect_same_origin);
  ADD ("retry-after/first-request", test_retry_after_first_request);
  ADD ("retry-after/list-interval", test_retry_after_list_interval);
  ADD ("clock/date-an-hour-behind", test_clock_date_an_hour_behind);
  ADD ("clock/start-far-in-future", test_clock_start_far_in_future);
  ADD ("clock/small-skew", test_clock_small_skew);
  ADD ("cli/wrong-identity", test_cli_wrong_identity);
  ADD ("cli/control-characters", test_cli_control_characters);
#undef ADD

  return g_test_run ();
}
