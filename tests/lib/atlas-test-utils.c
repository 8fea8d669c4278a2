/* atlas-test-utils.c — the shared test fixture and helpers (see atlas-test-utils.h)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every count a test asserts is exact because nothing here sleeps on the clock under
 * test: the pollers run on a manual AtlasClock and the backend answers from its own
 * test clock, and both are moved together. Real time only bounds a wait, so a hang
 * fails the test instead of stalling it.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "atlas-test-utils.h"

/* The backend in the `test` scenario on a random loopback port; a client with the
 * token of `role` ("operator", "viewer", "kiosk" …); a manual clock at 0. */
static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr(GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
}

/* ATLAS_TEST_GZIP=1 (the suites' "-gzip" runs): the backend answers like a gzip
 * reverse proxy. Checked here with a raw request, so such a run cannot pass by
 * quietly talking identity. */
static void
maybe_gzip (AtlasTestFixture *f)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  GBytes *body = NULL;

  if (g_strcmp0 (g_getenv ("ATLAS_TEST_GZIP"), "1") != 0)
    return;
  atlas_backend_server_set_gzip (f->server, TRUE);
  session = soup_session_new ();
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  url = g_strconcat (f->base_url, "/api/v1/health", NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip");
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, probe_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_bytes_unref (body);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Encoding"),
                   ==, "gzip");
}

void
atlas_test_fixture_init (AtlasTestFixture *f,
                         const char       *role)
{
  AtlasBackendOptions options = { NULL, "test", TRUE, 0 };
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->server = atlas_backend_server_new (&options, &error);
  g_assert_no_error (error);
  atlas_backend_server_start (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->base_url = atlas_backend_server_dup_base_url (f->server);
  f->client = atlas_client_new (f->base_url, atlas_backend_server_get_token (f->server, role),
                                ATLAS_CLIENT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  f->clock = atlas_manual_clock_new ();
  f->t0 = atlas_backend_server_get_clock (f->server);
  maybe_gzip (f);
}

void
atlas_test_fixture_clear (AtlasTestFixture *f)
{
  g_assert_null (f->window);
  /* A -gzip case whose client got no gzip answer besides the probe's proved nothing
   * about gzip (say, the client stopped sending Accept-Encoding). */
  if (f->server != NULL && atlas_backend_server_get_gzip (f->server) &&
      atlas_backend_server_get_request_count (f->server, "/api/v1/") >
      atlas_backend_server_get_request_count (f->server, "/api/v1/health"))
    g_assert_cmpuint (atlas_backend_server_get_gzip_count (f->server), >, 1);
  g_clear_object (&f->client);
  if (f->server != NULL)
    atlas_backend_server_stop (f->server);
  g_clear_object (&f->server);
  /* What the client and server left behind (finalized connections, idles) runs now,
   * while the clock it may use still exists. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->clock);
  g_clear_pointer (&f->base_url, g_free);
}

/* For g_test_add(): the operator's fixture. */
void
atlas_test_setup (AtlasTestFixture *f,
                  gconstpointer     data)
{
  atlas_test_fixture_init (f, "operator");
}

void
atlas_test_teardown (AtlasTestFixture *f,
                     gconstpointer     data)
{
  atlas_test_fixture_clear (f);
}

/* The backend's clock: set-up time plus the whole seconds both clocks moved. */
gint64
atlas_test_now (AtlasTestFixture *f)
{
  return f->t0 + f->ms / 1000;
}

static gboolean
set_true_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*AtlasTestCondition) (gconstpointer data);

/* Runs the main loop until `done` holds; fails the test after `limit_ms` of real time. */
static void
iterate_until (AtlasTestCondition done,
               gconstpointer      data,
               guint              limit_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (limit_ms, set_true_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_true (done (data));
}

static gboolean
answered (gconstpointer data)
{
  return !atlas_poller_get_in_flight ((AtlasPoller *) data);
}

static gboolean
flag_set (gconstpointer data)
{
  return *(const gboolean *) data;
}

/* Lets the request a poller has out come back, and everything it set off run. */
void
atlas_test_settle (AtlasPoller *poller)
{
  iterate_until (answered, poller, ATLAS_TEST_SETTLE_LIMIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
step (AtlasTestFixture *f,
      AtlasPoller      *poller,
      guint             ms)
{
  f->ms += ms;
  atlas_backend_server_set_clock (f->server, atlas_test_now (f));
  atlas_manual_clock_advance (f->clock, ms);
  atlas_test_settle (poller);
}

/* Both clocks forward by whole seconds; every due fetch is answered before the next. */
void
atlas_test_advance (AtlasTestFixture *f,
                    AtlasPoller      *poller,
                    guint             seconds)
{
  for (guint i = 0; i < seconds; i++)
    step (f, poller, 1000);
}

/* The same in 100 ms steps, for what happens between whole seconds (backoff). */
void
atlas_test_advance_ms (AtlasTestFixture *f,
                       AtlasPoller      *poller,
                       guint             ms)
{
  g_assert_cmpuint (ms % 100, ==, 0);
  for (guint i = 0; i < ms / 100; i++)
    step (f, poller, 100);
}

/* Both clocks forward at once, as after a suspend: the backend's simulator moves its
 * runs on by the whole gap, the pollers see one due time for it. */
void
atlas_test_jump (AtlasTestFixture *f,
                 AtlasPoller      *poller,
                 guint             seconds)
{
  f->ms += (gint64) seconds * 1000;
  atlas_backend_server_advance (f->server, seconds);
  atlas_manual_clock_advance (f->clock, seconds * 1000);
  atlas_test_settle (poller);
}

/* Runs the main loop until an async call's callback set *done (bounded). */
void
atlas_test_wait (gboolean *done)
{
  iterate_until (flag_set, done, ATLAS_TEST_WAIT_LIMIT_MS);
}

/* Runs the main loop for `ms` of real time: for answers no poller reports (a request
 * of a disposed widget, a window's start-up fetches). */
void
atlas_test_drain (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Requests the backend really received under this path prefix. */
guint64
atlas_test_count (AtlasTestFixture *f,
                  const char       *path)
{
  return atlas_backend_server_get_request_count (f->server, path);
}

/* A timestamp string that lives as long as the test program (reachable, not leaked). */
const char *
atlas_test_stamp (gint64 t)
{
  static GPtrArray *keep;

  if (keep == NULL)
    keep = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (keep, atlas_timestamp_format (t));
  return g_ptr_array_index (keep, keep->len - 1);
}

/* The path of a run of workspace 1, as the backend counts it. */
char *
atlas_test_run_path (gint64 run_id)
{
  return g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, run_id);
}

void
atlas_test_insert_run_json (AtlasTestFixture *f,
                            const char       *json)
{
  g_autoptr(GError) error = NULL;

  atlas_backend_server_insert_run_json (f->server, json, &error);
  g_assert_no_error (error);
}

/* A JSON string, or null. Put in as it is, unescaped: a test may send bytes that are
 * not UTF-8 on purpose. */
static void
append_quoted (GString    *json,
               const char *value)
{
  if (value != NULL)
    g_string_append_printf (json, "\"%s\"", value);
  else
    g_string_append (json, "null");
}

static void
append_string (GString    *json,
               const char *member,
               const char *value)
{
  g_string_append_printf (json, ", \"%s\": ", member);
  append_quoted (json, value);
}

static void
append_time (GString    *json,
             const char *member,
             gint64      t)
{
  g_autofree char *text = t != 0 && t != ATLAS_TIME_NONE ? atlas_timestamp_format (t) : NULL;

  append_string (json, member, text);
}

char *
atlas_test_run_json (const AtlasTestRun *run)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"id\": %" G_GINT64_FORMAT ", \"workspace_id\": 1, \"tenant_id\": %" G_GINT64_FORMAT,
                          run->id, run->tenant_id != 0 ? run->tenant_id : 7);
  append_string (json, "tenant_name", run->tenant_name);
  append_string (json, "type", "baseline_compare");
  append_string (json, "type_label", "Baseline compare");
  append_string (json, "status", run->status);
  append_string (json, "outcome", run->outcome);
  append_string (json, "freshness", run->freshness);
  append_string (json, "problem_class", run->problem_class);
  append_time (json, "created_at", run->created_at);
  append_time (json, "started_at", run->started_at);
  append_time (json, "completed_at", run->completed_at);
  append_time (json, "last_progress_at", run->last_progress_at);
  g_string_append_printf (json, ", \"lifecycle_window_seconds\": 900, \"summary_counts\": %s,"
                          " \"failure_summary\": [], \"initiator\": %s, \"initiated_by_me\": %s,"
                          " \"reconciliation\": null, \"links\": {\"web\": ",
                          run->summary_counts != NULL ? run->summary_counts : "{}",
                          run->initiator != NULL ? run->initiator : "null",
                          run->initiated_by_me ? "true" : "false");
  append_quoted (json, run->web_link);
  g_string_append (json, "}}");
  return g_string_free (json, FALSE);
}

/* Inserts the run into the backend, which must keep its id. */
void
atlas_test_insert_run (AtlasTestFixture   *f,
                       const AtlasTestRun *run)
{
  g_autofree char *json = atlas_test_run_json (run);
  g_autoptr(GError) error = NULL;
  gint64 id = atlas_backend_server_insert_run_json (f->server, json, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, ==, run->id);
}

/* A run of tenant 7 ("Contoso Ltd") with what most tests vary: completed when created
 * if it has an outcome, 4 of 10 items processed, started by no one. */
void
atlas_test_add_run (AtlasTestFixture *f,
                    gint64            id,
                    const char       *status,
                    const char       *outcome,
                    const char       *freshness,
                    gint64            created,
                    gint64            started)
{
  AtlasTestRun run = {
    .id = id, .tenant_name = "Contoso Ltd", .status = status, .outcome = outcome,
    .freshness = freshness, .created_at = created, .started_at = started,
    .completed_at = outcome != NULL ? created : 0,
    .summary_counts = "{\"total\": 10, \"processed\": 4}",
    .web_link = "https://atlas.example.test/x",
  };

  atlas_test_insert_run (f, &run);
}

void
atlas_test_patch_run (AtlasTestFixture *f,
                      gint64            run_id,
                      const char       *json)
{
  g_autoptr(GError) error = NULL;

  atlas_backend_server_patch_run_json (f->server, run_id, json, &error);
  g_assert_no_error (error);
}

/* Completes every active run of workspace 1 (the `test` scenario has live ones) now,
 * so that nothing on any screen is active and no widget's own rule polls. */
void
atlas_test_finish_active_runs (AtlasTestFixture *f)
{
  AtlasOperationsQuery query = { ATLAS_TAB_ACTIVE, 0, NULL, NULL, 1, 100 };
  g_autofree char *done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\","
                                           " \"freshness\": null, \"problem_class\": null,"
                                           " \"completed_at\": \"%s\"}",
                                           atlas_test_stamp (atlas_test_now (f)));
  AtlasTestResult r = { 0 };
  AtlasRunPage *page;

  atlas_client_list_operations_async (f->client, 1, &query, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  page = r.response->payload;
  g_assert_cmpint (page->total, <=, 100);
  for (guint i = 0; i < page->runs->len; i++)
    atlas_test_patch_run (f, atlas_run_get_id (g_ptr_array_index (page->runs, i)), done);
  atlas_test_result_clear (&r);
}

/* A JSON document from tests/data, parsed by the client's own parser. */
JsonNode *
atlas_test_load_json (const char *name)
{
  g_autofree char *path = g_build_filename (ATLAS_TEST_DATA_DIR, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  JsonNode *root;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  root = atlas_json_parse (contents, len, &error);
  g_assert_no_error (error);
  return root;
}

AtlasRun *
atlas_test_run_new (const char *json)
{
  g_autoptr(GError) error = NULL;
  AtlasRun *run = atlas_run_new_from_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

void
atlas_test_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  AtlasTestResult *r = user_data;

  g_assert_false (r->done);
  r->response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

void
atlas_test_result_clear (AtlasTestResult *r)
{
  g_clear_pointer (&r->response, atlas_response_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
}
