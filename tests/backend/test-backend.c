/* test-backend.c — contract tests of atlas-backend over HTTP, in-process, random port
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "atlas-backend-server.h"

typedef struct
{
  AtlasBackendServer *server;
  SoupSession        *session;
  char               *base;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  JsonNode           *json;
  GError             *error;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static AtlasBackendServer *
new_server (const char *scenario,
            gboolean    test_control)
{
  AtlasBackendOptions options = { NULL, scenario, test_control, 0 };
  g_autoptr(GError) error = NULL;
  AtlasBackendServer *server = atlas_backend_server_new (&options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (server);
  atlas_backend_server_start (server, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atlas_backend_server_get_port (server), >, 0);
  return server;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = new_server (data ? data : "test", TRUE);
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
  f->base = atlas_backend_server_dup_base_url (f->server);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  atlas_backend_server_stop (f->server);
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  g_clear_pointer (&f->base, g_free);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  if (reply->body == NULL)
    reply->body = g_bytes_new (NULL, 0);
  reply->status = reply->status ? reply->status : 1;
}

/* Sends a prepared message and parses the answer as JSON (as far as it is JSON). */
static Reply *
request_message (Fixture     *f,
                 SoupMessage *msg)
{
  Reply *reply = g_new0 (Reply, 1);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, reply);
  while (reply->status == 0)
    g_main_context_iteration (NULL, TRUE);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (reply->error == NULL && g_bytes_get_size (reply->body) > 0)
    {
      gsize len;
      const char *data = g_bytes_get_data (reply->body, &len);
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, data, (gssize) len, NULL))
        reply->json = json_node_copy (json_parser_get_root (parser));
    }
  return reply;
}

/* The server lives on this thread's main context, so the client is asynchronous and
 * the test iterates the context until the answer is in. */
static Reply *
request_full (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              const char *if_none_match)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match",
                                  if_none_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return request_message (f, msg);
}

static Reply *
get (Fixture    *f,
     const char *path,
     const char *role)
{
  return request_full (f, "GET", path, role ? atlas_backend_server_get_token (f->server, role) : NULL,
                       NULL, NULL);
}

static Reply *
post (Fixture    *f,
      const char *path,
      const char *role,
      const char *body)
{
  return request_full (f, "POST", path, role ? atlas_backend_server_get_token (f->server, role) : NULL,
                       body, NULL);
}

static JsonObject *
data_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  return json_object_get_object_member (json_node_get_object (reply->json), "data");
}

static JsonArray *
data_array (Reply *reply)
{
  g_assert_nonnull (reply->json);
  return json_object_get_array_member (json_node_get_object (reply->json), "data");
}

static void
assert_error (Reply      *reply,
              guint       status,
              const char *code)
{
  JsonObject *error;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->json);
  error = json_object_get_object_member (json_node_get_object (reply->json), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Date"));
}

static void
assert_healthy (Fixture *f)
{
  g_autoptr(Reply) reply = get (f, "/api/v1/health", NULL);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply->json), "status"), ==, "ok");
}

static gint64
insert_run (Fixture    *f,
            const char *json)
{
  g_autoptr(Reply) reply = post (f, "/api/v1/_test/runs", NULL, json);

  g_assert_no_error (reply->error);
  if (reply->status != 201)
    g_error ("insert failed: %u %.*s", reply->status, (int) g_bytes_get_size (reply->body),
             (const char *) g_bytes_get_data (reply->body, NULL));
  return json_object_get_int_member (data_object (reply), "id");
}

static void
advance (Fixture *f,
         gint64   seconds)
{
  g_autofree char *body = g_strdup_printf ("{\"seconds\": %" G_GINT64_FORMAT "}", seconds);
  g_autoptr(Reply) reply = post (f, "/api/v1/_test/advance", NULL, body);

  g_assert_cmpuint (reply->status, ==, 200);
}

static JsonObject *
run_of (Reply *reply)
{
  g_assert_cmpuint (reply->status, ==, 200);
  return data_object (reply);
}

/* ---- tests -------------------------------------------------------------------------- */

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Reply) reply = get (f, "/api/v1/health", NULL);
  JsonObject *root;

  g_assert_cmpuint (reply->status, ==, 200);
  root = json_node_get_object (reply->json);
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (root, "version"), ==, PACKAGE_VERSION);
  /* The test scenario's clock is the Date header. */
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Date"), ==,
                   "Sun, 22 Nov 2026 10:33:10 GMT");
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "ETag"));
}

static const char *authed_paths[] = {
  "/api/v1/me",
  "/api/v1/me/notifications",
  "/api/v1/workspaces/1/overview",
  "/api/v1/workspaces/1/operations",
  "/api/v1/workspaces/1/operations/1",
  "/api/v1/tenants/7/dashboard",
  "/api/v1/tenants/7/review-pack",
};

static void
test_unauthenticated (Fixture       *f,
                      gconstpointer  data)
{
  static const char *bad_headers[] = { NULL, "Bearer ", "Bearer nope", "Basic YTpi",
                                       "atlas-test-operator", "Bearer atlas-test-operatorX" };

  for (guint i = 0; i < G_N_ELEMENTS (authed_paths); i++)
    for (guint j = 0; j < G_N_ELEMENTS (bad_headers); j++)
      {
        g_autofree char *url = g_strconcat (f->base, authed_paths[i], NULL);
        g_autoptr(Reply) reply = NULL;

        if (bad_headers[j] && g_str_has_prefix (bad_headers[j], "Bearer "))
          reply = request_full (f, "GET", authed_paths[i], bad_headers[j] + 7, NULL, NULL);
        else
          reply = request_full (f, "GET", authed_paths[i], NULL, NULL, NULL);
        assert_error (reply, 401, "unauthenticated");
      }
  {
    g_autoptr(Reply) reply = post (f, "/api/v1/tenants/7/review-packs", NULL, NULL);
    assert_error (reply, 401, "unauthenticated");
  }
  assert_healthy (f);
}

typedef struct
{
  const char *method;
  const char *path;
  guint       expect[4];   /* operator, viewer, kiosk, outsider */
} RbacRow;

static void
test_rbac_matrix (Fixture       *f,
                  gconstpointer  data)
{
  static const char *roles[] = { "operator", "viewer", "kiosk", "outsider" };
  static const RbacRow rows[] = {
    { "GET", "/api/v1/me", { 200, 200, 200, 200 } },
    { "GET", "/api/v1/me/notifications", { 200, 200, 200, 200 } },
    { "GET", "/api/v1/workspaces/1/overview", { 200, 200, 200, 404 } },
    { "GET", "/api/v1/workspaces/1/operations", { 200, 200, 200, 404 } },
    { "GET", "/api/v1/workspaces/1/operations/1", { 200, 200, 200, 404 } },
    { "GET", "/api/v1/workspaces/1/operations/40", { 404, 404, 404, 404 } }, /* a ws 2 run */
    { "GET", "/api/v1/tenants/7/dashboard", { 200, 200, 200, 404 } },
    { "GET", "/api/v1/tenants/7/review-pack", { 200, 200, 200, 404 } },
    { "POST", "/api/v1/tenants/7/review-packs", { 202, 403, 403, 404 } },
    { "GET", "/api/v1/workspaces/2/overview", { 404, 404, 404, 200 } },
    { "GET", "/api/v1/workspaces/2/operations", { 404, 404, 404, 200 } },
    { "GET", "/api/v1/tenants/20/dashboard", { 404, 404, 404, 200 } },
    { "GET", "/api/v1/tenants/20/review-pack", { 404, 404, 404, 200 } },
    { "POST", "/api/v1/tenants/20/review-packs", { 404, 404, 404, 202 } },
    { "GET", "/api/v1/workspaces/3/overview", { 404, 404, 404, 404 } },
    { "GET", "/api/v1/tenants/999/dashboard", { 404, 404, 404, 404 } },
  };
  gint64 ws2_run;

  /* Make row 6 meaningful: a run that exists, but in workspace 2. */
  ws2_run = insert_run (f, "{\"id\": 4000, \"workspace_id\": 2, \"tenant_id\": 20, \"type\": \"inventory_sync\","
                           " \"status\": \"completed\", \"outcome\": \"succeeded\","
                           " \"created_at\": \"2026-11-22T09:00:00Z\", \"lifecycle_window_seconds\": 900}");
  g_assert_cmpint (ws2_run, ==, 4000);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
      {
        g_autofree char *path = g_strdup (rows[i].path);
        g_autoptr(Reply) reply = NULL;

        if (strstr (path, "/operations/40") != NULL)
          {
            g_free (path);
            path = g_strdup ("/api/v1/workspaces/1/operations/4000");
          }
        reply = request_full (f, rows[i].method, path,
                              atlas_backend_server_get_token (f->server, roles[r]), NULL, NULL);
        g_test_message ("%s %s as %s → %u", rows[i].method, path, roles[r], reply->status);
        g_assert_no_error (reply->error);
        g_assert_cmpuint (reply->status, ==, rows[i].expect[r]);
        if (reply->status == 403)
          assert_error (reply, 403, "forbidden");
        else if (reply->status == 404)
          assert_error (reply, 404, "not_found");
      }
  assert_healthy (f);
}

static void
test_me (Fixture       *f,
         gconstpointer  data)
{
  g_autoptr(Reply) op = get (f, "/api/v1/me", "operator");
  g_autoptr(Reply) viewer = get (f, "/api/v1/me", "viewer");
  JsonObject *d = data_object (op);
  JsonArray *ws = json_object_get_array_member (d, "workspaces");
  JsonArray *caps;

  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "user"), "id"), ==, 3);
  g_assert_cmpuint (json_array_get_length (ws), ==, 1);
  caps = json_object_get_array_member (json_array_get_object_element (ws, 0), "capabilities");
  g_assert_cmpuint (json_array_get_length (caps), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (caps, 1), ==, "review_pack.generate");
  caps = json_object_get_array_member (json_array_get_object_element (
      json_object_get_array_member (data_object (viewer), "workspaces"), 0), "capabilities");
  g_assert_cmpuint (json_array_get_length (caps), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (caps, 0), ==, "operations.view");

  /* active_initiated_count follows the runs the caller started. */
  {
    gint64 before = json_object_get_int_member (d, "active_initiated_count");
    g_autoptr(Reply) pack = post (f, "/api/v1/tenants/7/review-packs", "operator", NULL);
    g_autoptr(Reply) again = get (f, "/api/v1/me", "operator");

    g_assert_cmpuint (pack->status, ==, 202);
    g_assert_cmpint (json_object_get_int_member (data_object (again), "active_initiated_count"),
                     ==, before + 1);
  }
}

static void
test_etag_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  const char *token = atlas_backend_server_get_token (f->server, "operator");
  gint64 id = insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"baseline_compare\","
                             " \"status\": \"queued\", \"freshness\": \"fresh\","
                             " \"created_at\": \"2026-11-22T10:33:00Z\", \"lifecycle_window_seconds\": 900,"
                             " \"_sim\": {\"mode\": \"run\", \"delay\": 5, \"rate\": 1, \"total\": 100}}");
  g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, id);
  g_autoptr(Reply) first = request_full (f, "GET", path, token, NULL, NULL);
  g_autoptr(Reply) second = request_full (f, "GET", path, token, NULL, NULL);
  g_autoptr(Reply) cached = NULL;
  g_autoptr(Reply) changed = NULL;
  g_autoptr(Reply) stale_tag = NULL;
  g_autofree char *etag = g_strdup (soup_message_headers_get_one (first->headers, "ETag"));

  g_assert_nonnull (etag);
  g_assert_true (etag[0] == '"' && etag[strlen (etag) - 1] == '"');
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "ETag"), ==, etag);

  cached = request_full (f, "GET", path, token, NULL, etag);
  g_assert_cmpuint (cached->status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (cached->body), ==, 0);
  g_assert_nonnull (soup_message_headers_get_one (cached->headers, "Date"));

  /* A list of tags and a weak form still match. */
  {
    g_autofree char *list = g_strdup_printf ("\"nope\", W/%s", etag);
    g_autoptr(Reply) listed = request_full (f, "GET", path, token, NULL, list);
    g_assert_cmpuint (listed->status, ==, 304);
  }

  advance (f, 30);  /* the simulator starts the run and reports progress */
  changed = request_full (f, "GET", path, token, NULL, etag);
  g_assert_cmpuint (changed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (run_of (changed), "status"), ==, "running");
  g_assert_cmpstr (soup_message_headers_get_one (changed->headers, "ETag"), !=, etag);
  g_assert_cmpstr (soup_message_headers_get_one (changed->headers, "Date"), ==,
                   "Sun, 22 Nov 2026 10:33:40 GMT");

  /* Errors carry no ETag. */
  stale_tag = request_full (f, "GET", "/api/v1/workspaces/1/operations/99999", token, NULL, etag);
  assert_error (stale_tag, 404, "not_found");
  g_assert_null (soup_message_headers_get_one (stale_tag->headers, "ETag"));
}

static void
test_operations_paging (Fixture       *f,
                        gconstpointer  data)
{
  static const char *bad[] = {
    "?per_page=0", "?per_page=101", "?per_page=abc", "?per_page=-1", "?per_page=",
    "?page=0", "?page=-3", "?page=x", "?page=99999999999999999999", "?tab=bogus", "?tab=",
    "?tenant_id=abc", "?tenant_id=-1", "?problem_class=nope", "?per_page=1.5",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *last_created = NULL;
  gint64 total, last_id = G_MAXINT64;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/workspaces/1/operations", bad[i], NULL);
      g_autoptr(Reply) reply = get (f, path, "operator");
      g_test_message ("%s", path);
      assert_error (reply, 400, "bad_request");
      assert_healthy (f);
    }

  {
    g_autoptr(Reply) reply = get (f, "/api/v1/workspaces/1/operations", "operator");
    JsonObject *meta = json_object_get_object_member (json_node_get_object (reply->json), "meta");
    JsonObject *counts = json_object_get_object_member (meta, "tab_counts");

    g_assert_cmpint (json_object_get_int_member (meta, "page"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (meta, "per_page"), ==, 25);
    total = json_object_get_int_member (meta, "total");
    g_assert_cmpint (total, >, 25);
    g_assert_cmpint (json_object_get_int_member (counts, "all"), ==, total);
    g_assert_cmpint (json_object_get_int_member (counts, "active") +
                     json_object_get_int_member (counts, "completed"), ==, total);
    g_assert_cmpuint (json_array_get_length (data_array (reply)), ==, 25);
  }

  /* Walk all pages of 7: every row once, newest first, then an empty page. */
  for (gint64 page = 1; ; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?per_page=7&page=%"
                                               G_GINT64_FORMAT, page);
      g_autoptr(Reply) reply = get (f, path, "operator");
      JsonArray *rows = data_array (reply);

      g_assert_cmpuint (reply->status, ==, 200);
      if (json_array_get_length (rows) == 0)
        {
          g_assert_cmpint ((page - 1) * 7, >=, total);
          break;
        }
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *run = json_array_get_object_element (rows, i);
          gint64 *id = g_new (gint64, 1);
          const char *created = json_object_get_string_member (run, "created_at");

          *id = json_object_get_int_member (run, "id");
          g_assert_cmpint (json_object_get_int_member (run, "workspace_id"), ==, 1);
          g_assert_false (g_hash_table_contains (seen, id));
          if (last_created)
            {
              g_assert_cmpint (strcmp (created, last_created), <=, 0);
              if (strcmp (created, last_created) == 0)
                g_assert_cmpint (*id, <, last_id);
            }
          g_free (last_created);
          last_created = g_strdup (created);
          last_id = *id;
          g_hash_table_add (seen, id);
        }
    }
  g_assert_cmpint (g_hash_table_size (seen), ==, total);

  /* Each tab holds exactly what its name says, and its size is its tab count. */
  {
    static const char *tab_names[] = { "active", "active_stale_attention", "terminal_follow_up", "completed" };

    advance (f, 1000);  /* let something go stale */
    for (guint t = 0; t < G_N_ELEMENTS (tab_names); t++)
      {
        g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?per_page=100&tab=%s",
                                                 tab_names[t]);
        g_autoptr(Reply) reply = get (f, path, "operator");
        JsonArray *rows = data_array (reply);
        JsonObject *meta = json_object_get_object_member (json_node_get_object (reply->json), "meta");

        g_assert_cmpint (json_object_get_int_member (meta, "total"), ==, json_array_get_length (rows));
        g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (meta, "tab_counts"),
                                                     tab_names[t]), ==, json_array_get_length (rows));
        for (guint i = 0; i < json_array_get_length (rows); i++)
          {
            JsonObject *run = json_array_get_object_element (rows, i);
            const char *status = json_object_get_string_member (run, "status");
            const char *pc = json_object_get_string_member_with_default (run, "problem_class", NULL);

            if (t == 0)
              g_assert_true (g_strcmp0 (status, "queued") == 0 || g_strcmp0 (status, "running") == 0);
            else if (t == 3)
              g_assert_cmpstr (status, ==, "completed");
            else
              g_assert_cmpstr (pc, ==, tab_names[t]);
          }
      }
  }

  /* Filters: tenant_id and type only ever return matching rows. */
  {
    g_autoptr(Reply) reply = get (f, "/api/v1/workspaces/1/operations?tenant_id=7&per_page=100&type=baseline_compare",
                                  "operator");
    JsonArray *rows = data_array (reply);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *run = json_array_get_object_element (rows, i);
        g_assert_cmpint (json_object_get_int_member (run, "tenant_id"), ==, 7);
        g_assert_cmpstr (json_object_get_string_member (run, "type"), ==, "baseline_compare");
      }
  }
  /* A tenant of another workspace as filter leaks nothing. */
  {
    g_autoptr(Reply) reply = get (f, "/api/v1/workspaces/1/operations?tenant_id=20", "operator");
    g_assert_cmpuint (json_array_get_length (data_array (reply)), ==, 0);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
        json_node_get_object (reply->json), "meta"), "total"), ==, 0);
  }
}

/* ---- the operations list's q -------------------------------------------------------- */

static JsonObject *
meta_of (Reply *reply)
{
  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_get_object_member (json_node_get_object (reply->json), "meta");
}

/* Every row of every tab of a search, fetched, checked by `matches`, and counted
 * against the tab counts the answer claims. */
static void
assert_search (Fixture    *f,
               const char *params,
               gboolean  (*matches) (JsonObject *run, gconstpointer data),
               gconstpointer data,
               gint64      expected_all)
{
  static const char *tab_names[] = { "all", "active", "active_stale_attention", "terminal_follow_up", "completed" };
  gint64 claimed[G_N_ELEMENTS (tab_names)];

  for (guint t = 0; t < G_N_ELEMENTS (tab_names); t++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?per_page=100&tab=%s&%s",
                                               tab_names[t], params);
      g_autoptr(Reply) reply = get (f, path, "operator");
      JsonObject *counts = json_object_get_object_member (meta_of (reply), "tab_counts");
      JsonArray *rows = data_array (reply);

      g_test_message ("%s", path);
      for (guint k = 0; k < G_N_ELEMENTS (tab_names); k++)
        {
          gint64 n = json_object_get_int_member (counts, tab_names[k]);
          if (t == 0)
            claimed[k] = n;
          else
            g_assert_cmpint (n, ==, claimed[k]);   /* the same counts on every tab */
        }
      g_assert_cmpint (json_array_get_length (rows), ==, claimed[t]);
      g_assert_cmpint (json_object_get_int_member (meta_of (reply), "total"), ==, claimed[t]);
      for (guint i = 0; i < json_array_get_length (rows); i++)
        g_assert_true (matches (json_array_get_object_element (rows, i), data));
    }
  g_assert_cmpint (claimed[0], ==, expected_all);
}

/* The same question asked of the whole list, in C. */
static gint64
count_matching (Fixture  *f,
                gboolean (*matches) (JsonObject *run, gconstpointer data),
                gconstpointer data)
{
  gint64 n = 0;

  for (gint64 page = 1; ; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?per_page=100&page=%"
                                               G_GINT64_FORMAT, page);
      g_autoptr(Reply) reply = get (f, path, "operator");
      JsonArray *rows = data_array (reply);

      if (json_array_get_length (rows) == 0)
        return n;
      for (guint i = 0; i < json_array_get_length (rows); i++)
        n += matches (json_array_get_object_element (rows, i), data) ? 1 : 0;
    }
}

static gboolean
tenant_is (JsonObject *run, gconstpointer data)
{
  return g_strcmp0 (json_object_get_string_member (run, "tenant_name"), data) == 0;
}

static gboolean
type_label_is (JsonObject *run, gconstpointer data)
{
  return g_strcmp0 (json_object_get_string_member (run, "type_label"), data) == 0;
}

static gboolean
id_is (JsonObject *run, gconstpointer data)
{
  return json_object_get_int_member (run, "id") == *(const gint64 *) data;
}

static gboolean
tenant_and_type_are (JsonObject *run, gconstpointer data)
{
  return json_object_get_int_member (run, "tenant_id") == 7 &&
         g_strcmp0 (json_object_get_string_member (run, "type"), "baseline_compare") == 0;
}

static gboolean
any_run (JsonObject *run, gconstpointer data)
{
  return TRUE;
}

static void
test_operations_search (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id, contoso, baseline, all, umlaut;

  advance (f, 1000);   /* something likely stale, so every tab has content to split */

  /* Tenant name: part of it, any case, surrounding blanks ignored. */
  contoso = count_matching (f, tenant_is, "Contoso Ltd");
  g_assert_cmpint (contoso, >, 0);
  assert_search (f, "q=contoso", tenant_is, "Contoso Ltd", contoso);
  assert_search (f, "q=%20cONTOSO%20lt%20", tenant_is, "Contoso Ltd", contoso);

  /* Type label (not the type key's underscores). */
  baseline = count_matching (f, type_label_is, "Baseline compare");
  g_assert_cmpint (baseline, >, 0);
  assert_search (f, "q=baseline%20COMPARE", type_label_is, "Baseline compare", baseline);

  /* Run number, with or without '#'; a number beyond any run finds nothing. */
  id = insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 31, \"tenant_name\": \"Müller Straßenbau\","
                      " \"type\": \"policy_backup\", \"status\": \"running\", \"freshness\": \"fresh\","
                      " \"created_at\": \"2026-11-22T10:30:00Z\", \"started_at\": \"2026-11-22T10:30:02Z\","
                      " \"lifecycle_window_seconds\": 900}");
  {
    g_autofree char *hash = g_strdup_printf ("q=%%23%" G_GINT64_FORMAT, id);
    g_autofree char *plain = g_strdup_printf ("q=%" G_GINT64_FORMAT, id);
    assert_search (f, hash, id_is, &id, 1);
    assert_search (f, plain, id_is, &id, 1);
    assert_search (f, "q=%23999999999", id_is, &id, 0);
  }
  /* Unicode case folding: "MÜLLER" and "strasse" find "Müller Straßenbau". */
  umlaut = count_matching (f, tenant_is, "Müller Straßenbau");
  g_assert_cmpint (umlaut, ==, 1);
  assert_search (f, "q=M%C3%9CLLER", tenant_is, "Müller Straßenbau", 1);
  assert_search (f, "q=strassen", tenant_is, "Müller Straßenbau", 1);

  /* Combined with tenant and type filters: the intersection. */
  assert_search (f, "q=contoso&type=baseline_compare", tenant_and_type_are, NULL,
                 count_matching (f, tenant_and_type_are, NULL));
  assert_search (f, "q=baseline&tenant_id=7", tenant_and_type_are, NULL,
                 count_matching (f, tenant_and_type_are, NULL));
  {
    g_autofree char *params = g_strdup_printf ("q=%%23%" G_GINT64_FORMAT "&tenant_id=7", id);
    assert_search (f, params, id_is, &id, 0);   /* run found by number, but other tenant */
  }

  /* Empty (or blank) q is no search; nothing found is an empty page, counts 0. */
  all = count_matching (f, any_run, NULL);
  assert_search (f, "q=", any_run, NULL, all);
  assert_search (f, "q=%20%20", any_run, NULL, all);
  assert_search (f, "q=no%20such%20thing", any_run, NULL, 0);
  /* Another workspace's tenants are not searched ("Globex Retail" is in workspace 2). */
  assert_search (f, "q=globex", any_run, NULL, 0);

  /* Bounded: 100 characters pass, 101 are 400; so is text that is not UTF-8. */
  {
    g_autofree char *hundred = g_strnfill (100, 'x');
    g_autofree char *path100 = g_strconcat ("/api/v1/workspaces/1/operations?q=", hundred, NULL);
    g_autofree char *path101 = g_strconcat (path100, "x", NULL);
    g_autoptr(GString) hundred_umlauts = g_string_new ("/api/v1/workspaces/1/operations?q=");
    g_autoptr(Reply) ok = get (f, path100, "operator");
    g_autoptr(Reply) too_long = get (f, path101, "operator");
    g_autoptr(Reply) not_utf8 = get (f, "/api/v1/workspaces/1/operations?q=%FF%FE", "operator");
    g_autoptr(Reply) wide = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append (hundred_umlauts, "%C3%BC");   /* characters, not bytes, count */
    wide = get (f, hundred_umlauts->str, "operator");
    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpuint (wide->status, ==, 200);
    assert_error (too_long, 400, "bad_request");
    assert_error (not_utf8, 400, "bad_request");
  }
}

/* ---- active_operations in the overview and the dashboard ----------------------------- */

static JsonNode *
active_operations_of (Reply *reply)
{
  JsonObject *data = data_object (reply);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (json_object_has_member (data, "active_operations"));
  return json_object_get_member (data, "active_operations");
}

static void
assert_same_json (JsonNode *a,
                  JsonNode *b)
{
  g_autofree char *ta = json_to_string (a, FALSE);
  g_autofree char *tb = json_to_string (b, FALSE);

  g_assert_cmpstr (ta, ==, tb);
}

static void
test_active_operations (Fixture       *f,
                        gconstpointer  data)
{
  const char *overview_path = "/api/v1/workspaces/1/overview";
  const char *dashboard_path = "/api/v1/tenants/7/dashboard";
  g_autofree char *overview_etag = NULL;
  g_autofree char *dashboard_etag = NULL;
  gint64 other_tenant_run;

  /* Quiet for 23 minutes with a 15-minute window: likely stale after the next step.
   * Stale runs are active too. */
  insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"baseline_compare\","
                 " \"status\": \"running\", \"freshness\": \"fresh\", \"created_at\": \"2026-11-22T10:00:00Z\","
                 " \"started_at\": \"2026-11-22T10:00:05Z\", \"last_progress_at\": \"2026-11-22T10:10:00Z\","
                 " \"lifecycle_window_seconds\": 900}");
  advance (f, 1);

  /* Exactly the overlay's own source, for the operator (initiated_by_me is theirs). */
  {
    g_autoptr(Reply) list = get (f, "/api/v1/workspaces/1/operations?tab=active&per_page=100", "operator");
    g_autoptr(Reply) overview = get (f, overview_path, "operator");
    g_autoptr(Reply) dashboard = get (f, dashboard_path, "operator");
    JsonArray *rows = data_array (list);
    gboolean stale_seen = FALSE;

    assert_same_json (active_operations_of (overview), list->json);
    assert_same_json (active_operations_of (dashboard), list->json);
    g_assert_cmpuint (json_array_get_length (rows), >, 1);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *run = json_array_get_object_element (rows, i);
        const char *fresh = json_object_get_string_member_with_default (run, "freshness", NULL);
        stale_seen |= g_strcmp0 (fresh, "likely_stale") == 0;
      }
    g_assert_true (stale_seen);
    overview_etag = g_strdup (soup_message_headers_get_one (overview->headers, "ETag"));
    dashboard_etag = g_strdup (soup_message_headers_get_one (dashboard->headers, "ETag"));
  }
  /* Workspace 2's overview carries workspace 2's active runs only. */
  {
    g_autoptr(Reply) list = get (f, "/api/v1/workspaces/2/operations?tab=active&per_page=100", "outsider");
    g_autoptr(Reply) overview = get (f, "/api/v1/workspaces/2/overview", "outsider");
    assert_same_json (active_operations_of (overview), list->json);
  }

  /* A run of another tenant starts: the set changed, so both tags change, and the
   * dashboard of tenant 7 shows it (the overlay shows the whole workspace). */
  other_tenant_run = insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 2, \"type\": \"policy_backup\","
                                    " \"status\": \"queued\", \"created_at\": \"2026-11-22T10:50:00Z\","
                                    " \"lifecycle_window_seconds\": 900}");
  {
    g_autoptr(Reply) overview = request_full (f, "GET", overview_path,
                                              atlas_backend_server_get_token (f->server, "operator"),
                                              NULL, overview_etag);
    g_autoptr(Reply) dashboard = request_full (f, "GET", dashboard_path,
                                               atlas_backend_server_get_token (f->server, "operator"),
                                               NULL, dashboard_etag);
    JsonArray *rows;

    g_assert_cmpuint (overview->status, ==, 200);
    g_assert_cmpuint (dashboard->status, ==, 200);
    rows = json_object_get_array_member (json_node_get_object (active_operations_of (dashboard)), "data");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0), "id"), ==,
                     other_tenant_run);
    g_free (overview_etag);
    g_free (dashboard_etag);
    overview_etag = g_strdup (soup_message_headers_get_one (overview->headers, "ETag"));
    dashboard_etag = g_strdup (soup_message_headers_get_one (dashboard->headers, "ETag"));
  }
  /* Unchanged: 304. */
  {
    g_autoptr(Reply) dashboard = request_full (f, "GET", dashboard_path,
                                               atlas_backend_server_get_token (f->server, "operator"),
                                               NULL, dashboard_etag);
    g_assert_cmpuint (dashboard->status, ==, 304);
  }
  /* It ends: it leaves the set, the tag changes again. */
  {
    g_autofree char *patch = g_strdup_printf ("/api/v1/_test/runs/%" G_GINT64_FORMAT, other_tenant_run);
    g_autoptr(Reply) patched = request_full (f, "PATCH", patch, NULL,
                                             "{\"status\": \"completed\", \"outcome\": \"succeeded\","
                                             " \"completed_at\": \"2026-11-22T10:50:10Z\"}", NULL);
    g_autoptr(Reply) dashboard = NULL;
    JsonArray *rows;

    g_assert_cmpuint (patched->status, ==, 200);
    dashboard = request_full (f, "GET", dashboard_path, atlas_backend_server_get_token (f->server, "operator"),
                              NULL, dashboard_etag);
    g_assert_cmpuint (dashboard->status, ==, 200);
    rows = json_object_get_array_member (json_node_get_object (active_operations_of (dashboard)), "data");
    for (guint i = 0; i < json_array_get_length (rows); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, i), "id"), !=,
                       other_tenant_run);
  }

  /* Bounded: 100 runs at most, newest first; meta.total still counts them all. */
  for (guint i = 0; i < 110; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"workspace_id\": 1, \"tenant_id\": 3, \"type\": \"inventory_sync\","
                                               " \"status\": \"running\", \"freshness\": \"fresh\","
                                               " \"created_at\": \"2026-11-22T10:5%u:%02uZ\","
                                               " \"started_at\": \"2026-11-22T10:59:59Z\","
                                               " \"lifecycle_window_seconds\": 900}", 1 + i / 60, i % 60);
      insert_run (f, json);
    }
  {
    g_autoptr(Reply) overview = get (f, overview_path, "operator");
    g_autoptr(Reply) list = get (f, "/api/v1/workspaces/1/operations?tab=active&per_page=100", "operator");
    JsonObject *active = json_node_get_object (active_operations_of (overview));
    JsonObject *meta = json_object_get_object_member (active, "meta");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (active, "data")), ==, 100);
    g_assert_cmpint (json_object_get_int_member (meta, "total"), >, 110);
    g_assert_cmpint (json_object_get_int_member (meta, "per_page"), ==, 100);
    assert_same_json (active_operations_of (overview), list->json);
  }
}

static void
test_bad_ids (Fixture       *f,
              gconstpointer  data)
{
  static const char *ids[] = { "abc", "-1", "0", "9223372036854775808", "99999999999999999999",
                               "1.5", "1e3", "%20", "0x10", "12abc", "9223372036854775807" };
  static const char *templates[][2] = {
    { "/api/v1/workspaces/", "/overview" },
    { "/api/v1/workspaces/", "/operations" },
    { "/api/v1/workspaces/1/operations/", "" },
    { "/api/v1/tenants/", "/dashboard" },
    { "/api/v1/tenants/", "/review-pack" },
  };

  for (guint t = 0; t < G_N_ELEMENTS (templates); t++)
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autofree char *path = g_strconcat (templates[t][0], ids[i], templates[t][1], NULL);
        g_autoptr(Reply) reply = get (f, path, "operator");

        g_test_message ("%s → %u", path, reply->status);
        g_assert_no_error (reply->error);
        g_assert_true (reply->status == 400 || reply->status == 404);
        assert_error (reply, reply->status, reply->status == 400 ? "bad_request" : "not_found");
        assert_healthy (f);
      }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/tenants/%s/review-packs", ids[i]);
      g_autoptr(Reply) reply = post (f, path, "operator", NULL);
      g_assert_true (reply->status == 400 || reply->status == 404);
    }
  {
    g_autoptr(Reply) reply = get (f, "/api/v1/me/notifications?after=abc", "operator");
    assert_error (reply, 400, "bad_request");
  }
  {
    g_autoptr(Reply) reply = get (f, "/api/v1/nope", "operator");
    assert_error (reply, 404, "not_found");
  }
  {
    g_autoptr(Reply) reply = post (f, "/api/v1/workspaces/1/overview", "operator", "{}");
    g_assert_cmpuint (reply->status, ==, 405);
  }
  assert_healthy (f);
}

static void
test_review_pack (Fixture       *f,
                  gconstpointer  data)
{
  static const char *malformed[] = {
    "[]", "42", "\"text\"", "null", "{", "{\"a\":}", "not json", "{\"a\": 1} trailing",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  };
  gint64 pack_id, run_id;

  {
    g_autoptr(Reply) none = get (f, "/api/v1/tenants/7/review-pack", "operator");
    g_assert_cmpuint (none->status, ==, 200);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (none->json), "data")));
  }

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(Reply) reply = post (f, "/api/v1/tenants/7/review-packs", "operator", malformed[i]);
      g_test_message ("body %s", malformed[i]);
      assert_error (reply, 400, "bad_request");
      assert_healthy (f);
    }
  /* The 400s above queued nothing. */
  {
    g_autoptr(Reply) none = get (f, "/api/v1/tenants/7/review-pack", "operator");
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (none->json), "data")));
  }

  {
    g_autoptr(Reply) first = post (f, "/api/v1/tenants/7/review-packs", "operator", "{}");
    JsonObject *d = data_object (first);
    JsonObject *pack = json_object_get_object_member (d, "review_pack");
    JsonObject *run = json_object_get_object_member (d, "run");

    g_assert_cmpuint (first->status, ==, 202);
    g_assert_false (json_object_get_boolean_member (json_object_get_object_member (
        json_node_get_object (first->json), "meta"), "deduped"));
    g_assert_cmpstr (json_object_get_string_member (pack, "status"), ==, "queued");
    g_assert_cmpstr (json_object_get_string_member (run, "type"), ==, "review_pack_generate");
    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "queued");
    g_assert_true (json_object_get_boolean_member (run, "initiated_by_me"));
    pack_id = json_object_get_int_member (pack, "id");
    run_id = json_object_get_int_member (run, "id");
    g_assert_cmpint (json_object_get_int_member (pack, "operation_run_id"), ==, run_id);
  }
  {
    g_autoptr(Reply) again = post (f, "/api/v1/tenants/7/review-packs", "operator", NULL);
    JsonObject *d = data_object (again);

    g_assert_cmpuint (again->status, ==, 200);
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
        json_node_get_object (again->json), "meta"), "deduped"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "review_pack"), "id"), ==, pack_id);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "run"), "id"), ==, run_id);
  }

  advance (f, 3);
  {
    g_autoptr(Reply) generating = get (f, "/api/v1/tenants/7/review-pack", "viewer");
    g_assert_cmpstr (json_object_get_string_member (data_object (generating), "status"), ==, "generating");
  }
  {
    /* Still deduped while generating. */
    g_autoptr(Reply) again = post (f, "/api/v1/tenants/7/review-packs", "operator", "  ");
    g_assert_cmpuint (again->status, ==, 200);
  }

  advance (f, 60);
  {
    g_autoptr(Reply) done = get (f, "/api/v1/tenants/7/review-pack", "operator");
    g_autofree char *run_path = g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, run_id);
    g_autoptr(Reply) run = get (f, run_path, "operator");
    JsonObject *pack = data_object (done);
    const char *outcome = json_object_get_string_member (run_of (run), "outcome");

    g_assert_cmpstr (json_object_get_string_member (run_of (run), "status"), ==, "completed");
    if (g_strcmp0 (outcome, "succeeded") == 0)
      {
        g_assert_cmpstr (json_object_get_string_member (pack, "status"), ==, "ready");
        g_assert_nonnull (json_object_get_string_member (pack, "generated_at"));
        g_assert_nonnull (json_object_get_string_member (pack, "expires_at"));
        g_assert_nonnull (json_object_get_string_member (pack, "download_url"));
        g_assert_cmpint (json_object_get_int_member (pack, "file_size"), >, 0);
      }
    else
      g_assert_cmpstr (json_object_get_string_member (pack, "status"), ==, "failed");
  }
  {
    g_autoptr(Reply) fresh = post (f, "/api/v1/tenants/7/review-packs", "operator", NULL);
    g_assert_cmpuint (fresh->status, ==, 202);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data_object (fresh),
                                                 "review_pack"), "id"), >, pack_id);
  }
  /* A failed run fails its pack. */
  {
    g_autoptr(Reply) latest = get (f, "/api/v1/tenants/7/review-pack", "operator");
    gint64 latest_run = json_object_get_int_member (data_object (latest), "operation_run_id");
    g_autofree char *patch_path = g_strdup_printf ("/api/v1/_test/runs/%" G_GINT64_FORMAT, latest_run);
    g_autoptr(Reply) patched = request_full (f, "PATCH", patch_path, NULL,
                                             "{\"status\": \"completed\", \"outcome\": \"failed\","
                                             " \"completed_at\": \"2026-11-22T10:35:00Z\"}", NULL);
    g_autoptr(Reply) failed = NULL;

    g_assert_cmpuint (patched->status, ==, 200);
    failed = get (f, "/api/v1/tenants/7/review-pack", "operator");
    g_assert_cmpstr (json_object_get_string_member (data_object (failed), "status"), ==, "failed");
  }
  /* Seven days later a ready pack has expired. */
  advance (f, 8 * 24 * 3600);
  {
    g_autoptr(Reply) packs = get (f, "/api/v1/tenants/7/review-pack", "operator");
    g_assert_cmpstr (json_object_get_string_member (data_object (packs), "status"), ==, "failed");
  }
}

static guint
count_notifications_for_run (Reply  *reply,
                             gint64  run_id)
{
  JsonArray *rows = data_array (reply);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (json_object_get_int_member (json_array_get_object_element (rows, i), "run_id") == run_id)
      n++;
  return n;
}

static void
test_notifications (Fixture       *f,
                    gconstpointer  data)
{
#define TMPL "{\"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"inventory_sync\"," \
                     " \"status\": \"queued\", \"freshness\": \"fresh\", \"created_at\": \"2026-11-22T10:33:10Z\"," \
                     " \"lifecycle_window_seconds\": 900, \"initiator\": %s," \
                     " \"_sim\": {\"mode\": \"run\", \"delay\": 1, \"rate\": 10, \"total\": 50, \"outcome\": \"%s\"}}"
  g_autofree char *mine_json = g_strdup_printf (TMPL, "{\"id\": 3, \"name\": \"Dana Operator\"}", "partially_succeeded");
  g_autofree char *system_json = g_strdup_printf (TMPL, "null", "failed");
  g_autofree char *admin_json = g_strdup_printf (TMPL, "{\"id\": 1}", "succeeded");
  g_autofree char *stall_json = NULL;
  gint64 mine, system, admin, stalled;
  gint64 max_id = 0;

  /* Drain what the seeded runs produce, then watch only the new ones. */
  advance (f, 3600);
  {
    g_autoptr(Reply) seeded = get (f, "/api/v1/me/notifications", "operator");
    JsonArray *rows = data_array (seeded);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      max_id = MAX (max_id, json_object_get_int_member (json_array_get_object_element (rows, i), "id"));
  }

  mine = insert_run (f, mine_json);
  system = insert_run (f, system_json);
  admin = insert_run (f, admin_json);
  stall_json = g_strdup_printf ("{\"workspace_id\": 1, \"tenant_id\": 3, \"type\": \"policy_backup\","
                                " \"status\": \"queued\", \"freshness\": \"fresh\", \"created_at\": \"2026-11-22T11:33:10Z\","
                                " \"lifecycle_window_seconds\": 60, \"initiator\": {\"id\": 3},"
                                " \"_sim\": {\"mode\": \"stall\", \"delay\": 1, \"rate\": 1, \"total\": 50, \"stall_at\": 5}}");
  stalled = insert_run (f, stall_json);

  {
    /* While active: no notification at all. */
    g_autofree char *path = g_strdup_printf ("/api/v1/me/notifications?after=%" G_GINT64_FORMAT, max_id);
    g_autoptr(Reply) active = get (f, path, "operator");
    g_assert_cmpuint (json_array_get_length (data_array (active)), ==, 0);
  }

  for (int i = 0; i < 4; i++)
    advance (f, 100);

  {
    g_autofree char *path = g_strdup_printf ("/api/v1/me/notifications?after=%" G_GINT64_FORMAT, max_id);
    g_autoptr(Reply) op = get (f, path, "operator");
    g_autoptr(Reply) viewer = get (f, "/api/v1/me/notifications", "viewer");
    g_autoptr(Reply) adm = request_full (f, "GET", "/api/v1/me/notifications",
                                         atlas_backend_server_get_token (f->server, "admin"), NULL, NULL);
    g_autoptr(Reply) outsider = get (f, "/api/v1/me/notifications", "outsider");
    JsonArray *rows = data_array (op);

    g_assert_cmpuint (count_notifications_for_run (op, mine), ==, 1);
    g_assert_cmpuint (count_notifications_for_run (op, stalled), ==, 1);
    g_assert_cmpuint (count_notifications_for_run (op, system), ==, 0);
    g_assert_cmpuint (count_notifications_for_run (op, admin), ==, 0);
    g_assert_cmpuint (json_array_get_length (rows), ==, 2);
    g_assert_cmpuint (count_notifications_for_run (adm, admin), ==, 1);
    g_assert_cmpuint (count_notifications_for_run (adm, mine), ==, 0);
    g_assert_cmpuint (json_array_get_length (data_array (viewer)), ==, 0);
    for (guint i = 0; i < json_array_get_length (data_array (outsider)); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (data_array (outsider), i),
                                                   "workspace_id"), ==, 2);

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *n = json_array_get_object_element (rows, i);
        g_assert_nonnull (json_object_get_string_member (n, "title"));
        g_assert_nonnull (json_object_get_string_member (n, "body"));
        g_assert_nonnull (json_object_get_string_member (n, "created_at"));
        g_assert_cmpint (json_object_get_int_member (n, "tenant_id"), >, 0);
        if (json_object_get_int_member (n, "run_id") == mine)
          g_assert_cmpstr (json_object_get_string_member (n, "outcome"), ==, "partially_succeeded");
        else
          g_assert_cmpstr (json_object_get_string_member (n, "outcome"), ==, "failed");
      }
  }

  /* More simulation, and even patching the terminal run, never notifies twice. */
  advance (f, 5000);
  {
    g_autofree char *patch_path = g_strdup_printf ("/api/v1/_test/runs/%" G_GINT64_FORMAT, mine);
    g_autoptr(Reply) patched = request_full (f, "PATCH", patch_path, NULL, "{\"type_label\": \"Renamed\"}", NULL);
    g_autofree char *path = g_strdup_printf ("/api/v1/me/notifications?after=%" G_GINT64_FORMAT, max_id);
    g_autoptr(Reply) op = NULL;

    g_assert_cmpuint (patched->status, ==, 200);
    op = get (f, path, "operator");
    g_assert_cmpuint (count_notifications_for_run (op, mine), ==, 1);
    g_assert_cmpuint (count_notifications_for_run (op, stalled), ==, 1);
  }
}

static void
assert_only_workspace (JsonArray *runs,
                       gint64     workspace_id)
{
  for (guint i = 0; i < json_array_get_length (runs); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, i), "workspace_id"),
                     ==, workspace_id);
}

static void
test_isolation (Fixture       *f,
                gconstpointer  data)
{
  advance (f, 120);
  {
    g_autoptr(Reply) ws2 = get (f, "/api/v1/workspaces/2/operations?per_page=100", "outsider");
    g_autoptr(Reply) ov2 = get (f, "/api/v1/workspaces/2/overview", "outsider");
    g_autoptr(Reply) ov1 = get (f, "/api/v1/workspaces/1/overview", "operator");
    JsonArray *tenants2 = json_object_get_array_member (data_object (ov2), "tenants");
    JsonArray *tenants1 = json_object_get_array_member (data_object (ov1), "tenants");

    g_assert_cmpuint (json_array_get_length (data_array (ws2)), >, 0);
    assert_only_workspace (data_array (ws2), 2);
    assert_only_workspace (json_object_get_array_member (data_object (ov2), "recent_operations"), 2);
    assert_only_workspace (json_object_get_array_member (data_object (ov1), "recent_operations"), 1);
    g_assert_cmpuint (json_array_get_length (tenants2), ==, 3);
    g_assert_cmpuint (json_array_get_length (tenants1), ==, 12);
    for (guint i = 0; i < json_array_get_length (tenants2); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tenants2, i), "id"), >=, 20);
    for (guint i = 0; i < json_array_get_length (tenants1); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tenants1, i), "id"), <, 20);
    g_assert_null (strstr (g_bytes_get_data (ov1->body, NULL), "Globex"));
    g_assert_null (strstr (g_bytes_get_data (ws2->body, NULL), "Contoso"));
  }
  {
    g_autoptr(Reply) dash = get (f, "/api/v1/tenants/7/dashboard", "operator");
    JsonObject *d = data_object (dash);
    JsonArray *recent = json_object_get_array_member (d, "recent_operations");
    JsonArray *attention = json_object_get_array_member (d, "needs_attention");

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (d, "tenant"), "id"), ==, 7);
    g_assert_cmpuint (json_array_get_length (recent), <=, 10);
    for (guint i = 0; i < json_array_get_length (recent); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (recent, i), "tenant_id"), ==, 7);
    for (guint i = 0; i < json_array_get_length (attention); i++)
      {
        JsonObject *run = json_array_get_object_element (attention, i);
        g_assert_cmpint (json_object_get_int_member (run, "tenant_id"), ==, 7);
        g_assert_nonnull (json_object_get_string_member (run, "problem_class"));
      }
    g_assert_nonnull (json_object_get_object_member (d, "kpis"));
  }
  {
    /* The overview totals are the sums of the tenant cards. */
    g_autoptr(Reply) ov = get (f, "/api/v1/workspaces/1/overview", "kiosk");
    JsonObject *d = data_object (ov);
    JsonArray *tenants = json_object_get_array_member (d, "tenants");
    JsonObject *totals = json_object_get_object_member (d, "totals");
    gint64 active = 0, stale = 0, failed = 0;

    for (guint i = 0; i < json_array_get_length (tenants); i++)
      {
        JsonObject *t = json_array_get_object_element (tenants, i);
        active += json_object_get_int_member (t, "active_count");
        stale += json_object_get_int_member (t, "stale_active_count");
        failed += json_object_get_int_member (t, "failed_recent_count");
        g_assert_true (json_object_get_boolean_member (t, "needs_attention") ==
                       (json_object_get_int_member (t, "stale_active_count") > 0 ||
                        json_object_get_int_member (t, "failed_recent_count") > 0));
      }
    g_assert_cmpint (json_object_get_int_member (totals, "active"), ==, active);
    g_assert_cmpint (json_object_get_int_member (totals, "stale_active"), ==, stale);
    g_assert_cmpint (json_object_get_int_member (totals, "failed_recent"), ==, failed);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (d, "recent_operations")), ==, 10);
  }
}

static void
test_fixture_runs (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "presenter-cases.json", NULL);
  JsonArray *cases;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  g_assert_cmpuint (json_array_get_length (cases), >=, 10);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonNode *run = json_object_get_member (c, "run");
      g_autofree char *text = json_to_string (run, FALSE);
      gint64 id = json_object_get_int_member (json_node_get_object (run), "id");
      g_autofree char *detail = g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, id);
      g_autoptr(Reply) reply = NULL;
      JsonNode *served;
      g_autoptr(GList) members = NULL;

      g_test_message ("fixture %s", json_object_get_string_member (c, "name"));
      g_assert_cmpint (insert_run (f, text), ==, id);
      reply = get (f, detail, "operator");
      g_assert_cmpuint (reply->status, ==, 200);
      served = json_object_get_member (json_node_get_object (reply->json), "data");
      /* Key by key first for a readable failure, then the whole node. */
      members = json_object_get_members (json_node_get_object (run));
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *want = json_object_get_member (json_node_get_object (run), l->data);
          JsonNode *got = json_object_get_member (json_node_get_object (served), l->data);
          if (got == NULL || !json_node_equal (want, got))
            g_error ("fixture %s: field %s differs", json_object_get_string_member (c, "name"),
                     (const char *) l->data);
        }
      g_assert_true (json_node_equal (run, served));

      /* A viewer sees the same run, but not as hers. */
      {
        g_autoptr(Reply) viewer = get (f, detail, "viewer");
        g_assert_false (json_object_get_boolean_member (run_of (viewer), "initiated_by_me"));
      }
    }

  {
    /* Ids are kept, so inserting one twice is a conflict. */
    JsonNode *run = json_object_get_member (json_array_get_object_element (cases, 0), "run");
    g_autofree char *text = json_to_string (run, FALSE);
    g_autoptr(Reply) dup = post (f, "/api/v1/_test/runs", NULL, text);
    assert_error (dup, 409, "conflict");
  }
  {
    g_autoptr(Reply) invalid = post (f, "/api/v1/_test/runs", NULL, "{\"workspace_id\": 1}");
    assert_error (invalid, 422, "validation_failed");
  }
}

static JsonObject *
tab_counts (Reply *reply)
{
  return json_object_get_object_member (json_object_get_object_member (
      json_node_get_object (reply->json), "meta"), "tab_counts");
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  gint64 worker, stuck;
  gint64 stale_before, follow_before, active_before;
  g_autofree char *worker_path = NULL;
  g_autofree char *stuck_path = NULL;
  const char *list = "/api/v1/workspaces/1/operations?tenant_id=5";

  {
    g_autoptr(Reply) before = get (f, list, "operator");
    stale_before = json_object_get_int_member (tab_counts (before), "active_stale_attention");
    follow_before = json_object_get_int_member (tab_counts (before), "terminal_follow_up");
    active_before = json_object_get_int_member (tab_counts (before), "active");
  }

  worker = insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 5, \"type\": \"baseline_compare\","
                          " \"status\": \"queued\", \"freshness\": \"fresh\", \"created_at\": \"2026-11-22T10:33:10Z\","
                          " \"lifecycle_window_seconds\": 600, \"initiator\": {\"id\": 3},"
                          " \"_sim\": {\"mode\": \"run\", \"delay\": 5, \"rate\": 2, \"total\": 120, \"outcome\": \"succeeded\"}}");
  stuck = insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 5, \"type\": \"inventory_sync\","
                         " \"status\": \"queued\", \"freshness\": \"fresh\", \"created_at\": \"2026-11-22T10:33:10Z\","
                         " \"lifecycle_window_seconds\": 300, \"initiator\": null,"
                         " \"_sim\": {\"mode\": \"stall\", \"delay\": 2, \"rate\": 1, \"total\": 100, \"stall_at\": 10}}");
  worker_path = g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, worker);
  stuck_path = g_strdup_printf ("/api/v1/workspaces/1/operations/%" G_GINT64_FORMAT, stuck);

  advance (f, 3);
  {
    g_autoptr(Reply) r = get (f, worker_path, "operator");
    g_autoptr(Reply) l = get (f, list, "operator");
    JsonObject *run = run_of (r);

    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "queued");
    g_assert_true (json_object_get_null_member (run, "started_at"));
    g_assert_cmpint (json_object_get_int_member (tab_counts (l), "active"), ==, active_before + 2);
  }

  advance (f, 7);  /* 10:33:20, started at :15 → 10 items */
  {
    g_autoptr(Reply) r = get (f, worker_path, "operator");
    JsonObject *run = run_of (r);
    JsonObject *counts = json_object_get_object_member (run, "summary_counts");

    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "running");
    g_assert_cmpstr (json_object_get_string_member (run, "started_at"), ==, "2026-11-22T10:33:15Z");
    g_assert_cmpstr (json_object_get_string_member (run, "freshness"), ==, "fresh");
    g_assert_cmpint (json_object_get_int_member (counts, "total"), ==, 120);
    g_assert_cmpint (json_object_get_int_member (counts, "processed"), ==, 10);
    g_assert_cmpstr (json_object_get_string_member (run, "last_progress_at"), ==, "2026-11-22T10:33:20Z");
  }

  advance (f, 20);
  {
    g_autoptr(Reply) r = get (f, worker_path, "operator");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (run_of (r), "summary_counts"),
                                                 "processed"), ==, 50);
  }

  advance (f, 60);  /* 10:34:40: the worker has finished (at 10:34:15) */
  {
    g_autoptr(Reply) r = get (f, worker_path, "operator");
    g_autoptr(Reply) s = get (f, stuck_path, "operator");
    JsonObject *run = run_of (r);

    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (run, "outcome"), ==, "succeeded");
    g_assert_cmpstr (json_object_get_string_member (run, "completed_at"), ==, "2026-11-22T10:34:15Z");
    g_assert_true (json_object_get_null_member (run, "problem_class"));
    /* The stuck run reported its 10 items and then went quiet, still fresh. */
    run = run_of (s);
    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "running");
    g_assert_cmpstr (json_object_get_string_member (run, "freshness"), ==, "fresh");
    g_assert_cmpstr (json_object_get_string_member (run, "last_progress_at"), ==, "2026-11-22T10:33:22Z");
  }

  /* last progress 10:33:22 + window 300 s → likely stale after 10:38:22. */
  advance (f, 222);  /* 10:38:22: exactly the window, not past it */
  {
    g_autoptr(Reply) s = get (f, stuck_path, "operator");
    g_assert_cmpstr (json_object_get_string_member (run_of (s), "freshness"), ==, "fresh");
  }
  advance (f, 1);
  {
    g_autoptr(Reply) s = get (f, stuck_path, "operator");
    g_autoptr(Reply) l = get (f, list, "operator");
    g_autoptr(Reply) stale_tab = get (f, "/api/v1/workspaces/1/operations?tab=active_stale_attention&tenant_id=5", "operator");
    JsonObject *run = run_of (s);

    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "running");
    g_assert_cmpstr (json_object_get_string_member (run, "freshness"), ==, "likely_stale");
    g_assert_cmpstr (json_object_get_string_member (run, "problem_class"), ==, "active_stale_attention");
    g_assert_true (json_object_get_null_member (run, "reconciliation"));
    g_assert_cmpint (json_object_get_int_member (tab_counts (l), "active_stale_attention"), ==, stale_before + 1);
    g_assert_cmpint (json_object_get_int_member (tab_counts (l), "active"), ==, active_before + 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (data_array (stale_tab), 0), "id"),
                     ==, stuck);
  }
  {
    g_autoptr(Reply) ov = get (f, "/api/v1/workspaces/1/overview", "operator");
    g_autoptr(Reply) dash = get (f, "/api/v1/tenants/5/dashboard", "operator");
    JsonObject *kpis = json_object_get_object_member (data_object (dash), "kpis");

    g_assert_cmpint (json_object_get_int_member (kpis, "stale_active"), >=, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data_object (ov), "totals"),
                                                 "stale_active"), >=, 1);
  }

  /* Past 2 × window of silence the system reconciles it. */
  advance (f, 300);
  {
    g_autoptr(Reply) s = get (f, stuck_path, "operator");
    g_autoptr(Reply) l = get (f, list, "operator");
    JsonObject *run = run_of (s);
    JsonObject *rec = json_object_get_object_member (run, "reconciliation");

    g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (run, "outcome"), ==, "failed");
    g_assert_cmpstr (json_object_get_string_member (run, "freshness"), ==, "reconciled");
    g_assert_cmpstr (json_object_get_string_member (run, "problem_class"), ==, "terminal_follow_up");
    g_assert_nonnull (rec);
    g_assert_cmpstr (json_object_get_string_member (rec, "reason_code"), ==, "run.stale_reconciled");
    g_assert_cmpstr (json_object_get_string_member (rec, "previous_status"), ==, "running");
    g_assert_cmpstr (json_object_get_string_member (rec, "reconciled_at"), ==, "2026-11-22T10:43:23Z");
    g_assert_cmpint (json_object_get_int_member (tab_counts (l), "active_stale_attention"), ==, stale_before);
    g_assert_cmpint (json_object_get_int_member (tab_counts (l), "terminal_follow_up"), ==, follow_before + 1);
    g_assert_cmpint (json_object_get_int_member (tab_counts (l), "active"), ==, active_before);
  }
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  {
    g_autoptr(Reply) inject = post (f, "/api/v1/_test/faults", NULL,
                                    "{\"kind\": \"status\", \"status\": 503, \"retry_after\": \"7\", \"count\": 2}");
    g_autoptr(Reply) a = NULL;
    g_autoptr(Reply) b = NULL;
    g_autoptr(Reply) c = NULL;

    g_assert_cmpuint (inject->status, ==, 200);
    assert_healthy (f);  /* health is outside fault injection */
    a = get (f, "/api/v1/me", "operator");
    assert_error (a, 503, "unavailable");
    g_assert_cmpstr (soup_message_headers_get_one (a->headers, "Retry-After"), ==, "7");
    b = get (f, "/api/v1/workspaces/1/overview", "operator");
    assert_error (b, 503, "unavailable");
    c = get (f, "/api/v1/me", "operator");
    g_assert_cmpuint (c->status, ==, 200);
  }
  {
    g_autoptr(Reply) inject = post (f, "/api/v1/_test/faults", NULL,
                                    "{\"kind\": \"status\", \"status\": 429, \"retry_after\": \"Sun, 22 Nov 2026 10:40:00 GMT\"}");
    g_autoptr(Reply) a = get (f, "/api/v1/me", "operator");
    assert_error (a, 429, "rate_limited");
    g_assert_cmpstr (soup_message_headers_get_one (a->headers, "Retry-After"), ==, "Sun, 22 Nov 2026 10:40:00 GMT");
  }
  {
    g_autoptr(Reply) inject = post (f, "/api/v1/_test/faults", NULL, "{\"kind\": \"truncated\"}");
    g_autoptr(Reply) a = get (f, "/api/v1/workspaces/1/overview", "operator");

    /* The client sees a short read, never a complete document. */
    g_assert_true (a->error != NULL || a->json == NULL);
    assert_healthy (f);
  }
  {
    g_autoptr(Reply) inject = post (f, "/api/v1/_test/faults", NULL, "{\"kind\": \"cut_json\"}");
    g_autoptr(Reply) a = get (f, "/api/v1/workspaces/1/overview", "operator");
    g_assert_no_error (a->error);
    g_assert_cmpuint (a->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (a->body), >, 0);
    g_assert_null (a->json);
  }
  {
    g_autoptr(Reply) inject = post (f, "/api/v1/_test/faults", NULL, "{\"kind\": \"malformed\"}");
    g_autoptr(Reply) a = get (f, "/api/v1/me", "operator");
    g_assert_cmpuint (a->status, ==, 200);
    g_assert_null (a->json);
  }
  {
    g_autoptr(Reply) inject = post (f, "/api/v1/_test/faults", NULL,
                                    "{\"kind\": \"latency\", \"latency_ms\": 250, \"path_prefix\": \"/api/v1/me\"}");
    gint64 start;
    g_autoptr(Reply) quick = get (f, "/api/v1/workspaces/1/overview", "operator");
    g_autoptr(Reply) slow = NULL;

    g_assert_cmpuint (quick->status, ==, 200);
    start = g_get_monotonic_time ();
    slow = get (f, "/api/v1/me", "operator");
    g_assert_cmpuint (slow->status, ==, 200);
    g_assert_nonnull (slow->json);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 240 * 1000);
  }
  {
    g_autoptr(Reply) bad = post (f, "/api/v1/_test/faults", NULL, "{\"kind\": \"status\", \"status\": 500}");
    g_autoptr(Reply) kind = post (f, "/api/v1/_test/faults", NULL, "{\"kind\": \"explode\"}");
    assert_error (bad, 422, "validation_failed");
    assert_error (kind, 422, "validation_failed");
  }
  {
    g_autoptr(Reply) set = post (f, "/api/v1/_test/poll-interval", NULL, "{\"seconds\": 30}");
    g_autoptr(Reply) a = get (f, "/api/v1/me", "operator");
    g_assert_cmpuint (set->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (a->headers, "X-Poll-Interval"), ==, "30");
  }
  {
    AtlasBackendFault fault = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, NULL, NULL };
    g_autoptr(Reply) a = NULL;

    atlas_backend_server_inject_fault (f->server, &fault);
    atlas_backend_server_clear_faults (f->server);
    a = get (f, "/api/v1/me", "operator");
    g_assert_cmpuint (a->status, ==, 200);
  }
}

/* ---- gzip (--gzip) ------------------------------------------------------------------ */

/* A GET as a client behind a gzip proxy sends it: no decoder in the way, raw bytes. */
static Reply *
get_encoded (Fixture    *f,
             const char *path,
             const char *role,
             const char *accept_encoding,
             const char *if_none_match)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (role != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", atlas_backend_server_get_token (f->server, role));
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (accept_encoding != NULL)
    soup_message_headers_replace (headers, "Accept-Encoding", accept_encoding);
  if (if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", if_none_match);
  return request_message (f, msg);
}

static GBytes *
gunzip (GBytes *bytes)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_gzip (Fixture       *f,
           gconstpointer  data)
{
  static const struct { const char *path; const char *role; guint status; } cases[] = {
    { "/api/v1/health", NULL, 200 },
    { "/api/v1/me", "operator", 200 },
    { "/api/v1/me/notifications", "operator", 200 },          /* {"data":[]} */
    { "/api/v1/workspaces/1/overview", "operator", 200 },
    { "/api/v1/workspaces/1/operations?per_page=100", "operator", 200 },
    { "/api/v1/workspaces/1/operations?tenant_id=20", "operator", 200 },  /* empty page */
    { "/api/v1/workspaces/1/operations/1", "operator", 200 },
    { "/api/v1/tenants/7/dashboard", "operator", 200 },
    { "/api/v1/tenants/7/review-pack", "operator", 200 },     /* {"data":null} */
    { "/api/v1/workspaces/2/overview", "operator", 404 },
    { "/api/v1/me", NULL, 401 },
    { "/api/v1/workspaces/1/operations?tab=bogus", "operator", 400 },
  };

  g_assert_false (atlas_backend_server_get_gzip (f->server));
  soup_session_remove_feature_by_type (f->session, SOUP_TYPE_CONTENT_DECODER);

  /* Off (the default): identity, whatever the client accepts. */
  {
    g_autoptr(Reply) reply = get_encoded (f, "/api/v1/me", "operator", "gzip", NULL);
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_null (soup_message_headers_get_one (reply->headers, "Content-Encoding"));
    g_assert_nonnull (reply->json);
  }

  g_object_set (f->server, "gzip", TRUE, NULL);
  g_assert_true (atlas_backend_server_get_gzip (f->server));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) plain = get_encoded (f, cases[i].path, cases[i].role, NULL, NULL);
      g_autoptr(Reply) refused = get_encoded (f, cases[i].path, cases[i].role, "gzip;q=0, identity", NULL);
      g_autoptr(Reply) zipped = get_encoded (f, cases[i].path, cases[i].role, "deflate, gzip;q=0.8", NULL);
      g_autoptr(GBytes) decoded = NULL;
      const char *etag;

      g_test_message ("%s", cases[i].path);
      g_assert_cmpuint (plain->status, ==, cases[i].status);
      g_assert_cmpuint (zipped->status, ==, cases[i].status);
      g_assert_null (soup_message_headers_get_one (plain->headers, "Content-Encoding"));
      g_assert_null (soup_message_headers_get_one (refused->headers, "Content-Encoding"));
      g_assert_true (g_bytes_equal (plain->body, refused->body));
      g_assert_cmpstr (soup_message_headers_get_one (zipped->headers, "Vary"), ==, "Accept-Encoding");

      /* Valid gzip, Content-Length the encoded size, the same JSON once decoded. */
      g_assert_cmpstr (soup_message_headers_get_one (zipped->headers, "Content-Encoding"), ==, "gzip");
      g_assert_cmpint (soup_message_headers_get_content_length (zipped->headers), ==,
                       g_bytes_get_size (zipped->body));
      g_assert_null (zipped->json);
      decoded = gunzip (zipped->body);
      g_assert_true (g_bytes_equal (decoded, plain->body));

      /* A representation of its own has a tag of its own, and either revalidates. */
      if (cases[i].status != 200)
        {
          g_assert_null (soup_message_headers_get_one (zipped->headers, "ETag"));
          continue;
        }
      etag = soup_message_headers_get_one (zipped->headers, "ETag");
      g_assert_nonnull (etag);
      g_assert_true (g_str_has_suffix (etag, "-gzip\""));
      g_assert_cmpstr (etag, !=, soup_message_headers_get_one (plain->headers, "ETag"));
      {
        g_autoptr(Reply) again = get_encoded (f, cases[i].path, cases[i].role, "gzip", NULL);
        g_autoptr(Reply) cached = get_encoded (f, cases[i].path, cases[i].role, "gzip", etag);
        g_autoptr(Reply) cross = get_encoded (f, cases[i].path, cases[i].role, NULL, etag);

        g_assert_true (g_bytes_equal (again->body, zipped->body));   /* deterministic bytes */
        g_assert_cmpuint (cached->status, ==, 304);
        g_assert_cmpuint (g_bytes_get_size (cached->body), ==, 0);
        g_assert_null (soup_message_headers_get_one (cached->headers, "Content-Encoding"));
        g_assert_cmpuint (cross->status, ==, 304);
      }
    }

  /* Body faults still act on the JSON; the broken JSON is then gzipped like any body. */
  {
    AtlasBackendFault fault = { ATLAS_BACKEND_FAULT_CUT_JSON, 1 };
    g_autoptr(Reply) plain = get_encoded (f, "/api/v1/me", "operator", NULL, NULL);
    g_autoptr(Reply) cut = NULL;
    g_autoptr(GBytes) decoded = NULL;

    atlas_backend_server_inject_fault (f->server, &fault);
    cut = get_encoded (f, "/api/v1/me", "operator", "gzip", NULL);
    decoded = gunzip (cut->body);
    g_assert_cmpuint (g_bytes_get_size (decoded), ==, g_bytes_get_size (plain->body) / 2);
  }
}

/* ---- review-pack files ------------------------------------------------------------------ */

/* Generates packs for the tenant until one is ready (the plan fails one in ten);
 * returns the ready pack's JSON object, owned by *reply_out. */
static JsonObject *
ready_pack (Fixture *f,
            gint64   tenant_id,
            Reply  **reply_out)
{
  g_autofree char *post_path = g_strdup_printf ("/api/v1/tenants/%" G_GINT64_FORMAT "/review-packs", tenant_id);
  g_autofree char *get_path = g_strdup_printf ("/api/v1/tenants/%" G_GINT64_FORMAT "/review-pack", tenant_id);

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr(Reply) queued = post (f, post_path, "operator", NULL);
      Reply *latest;

      g_assert_cmpuint (queued->status, ==, 202);
      advance (f, 30);
      latest = get (f, get_path, "operator");
      if (g_strcmp0 (json_object_get_string_member (data_object (latest), "status"), "ready") == 0)
        {
          *reply_out = latest;
          return data_object (latest);
        }
      reply_free (latest);
    }
  g_assert_not_reached ();
}

/* A PDF a reader can open: header, trailer, and a cross-reference table whose every
 * offset points at its object. */
static void
assert_pdf (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_strndup (data, len);   /* no NUL in this PDF: text only */
  const char *startxref = g_strrstr (text, "startxref\n");
  gint64 xref;
  guint64 n = 0;
  char **lines;

  g_assert_cmpuint (strlen (text), ==, len);
  g_assert_true (g_str_has_prefix (text, "%PDF-1.4\n"));
  g_assert_true (g_str_has_suffix (text, "%%EOF\n"));
  g_assert_nonnull (startxref);
  xref = g_ascii_strtoll (startxref + strlen ("startxref\n"), NULL, 10);
  g_assert_cmpint (xref, >, 0);
  g_assert_cmpint (xref, <, (gint64) len);
  g_assert_true (g_str_has_prefix (text + xref, "xref\n0 "));
  lines = g_strsplit (text + xref, "\n", -1);
  n = g_ascii_strtoull (lines[1] + 2, NULL, 10);
  g_assert_cmpuint (n, >=, 7);
  for (guint64 i = 1; i < n; i++)
    {
      gint64 offset = g_ascii_strtoll (lines[2 + i], NULL, 10);
      g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT " 0 obj\n", i);

      g_assert_cmpuint (strlen (lines[2 + i]), ==, 19);   /* 20 bytes with the \n */
      g_assert_true (g_str_has_prefix (text + offset, expected));
    }
  g_strfreev (lines);
}

static void
test_review_pack_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Reply) pack_reply = NULL;
  JsonObject *pack = ready_pack (f, 7, &pack_reply);
  gint64 pack_id = json_object_get_int_member (pack, "id");
  const char *url = json_object_get_string_member (pack, "download_url");
  g_autofree char *expected_url = g_strdup_printf ("/api/v1/tenants/7/review-packs/%" G_GINT64_FORMAT "/file",
                                                   pack_id);
  g_autoptr(Reply) file = NULL;
  g_autoptr(Reply) again = NULL;

  /* download_url is a path on this server's origin. */
  g_assert_cmpstr (url, ==, expected_url);

  file = get (f, url, "operator");
  g_assert_cmpuint (file->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (file->headers, NULL), ==, "application/pdf");
  g_assert_cmpint (soup_message_headers_get_content_length (file->headers), ==, g_bytes_get_size (file->body));
  g_assert_cmpint (json_object_get_int_member (pack, "file_size"), ==, g_bytes_get_size (file->body));
  g_assert_cmpstr (soup_message_headers_get_one (file->headers, "Content-Disposition"), ==,
                   "attachment; filename=\"review-pack-contoso-ltd-2026-11-22.pdf\"");
  assert_pdf (file->body);
  {
    /* The report names its tenant (WinAnsi: \227 is the em dash). */
    g_autofree char *text = g_strndup (g_bytes_get_data (file->body, NULL), g_bytes_get_size (file->body));
    g_assert_nonnull (strstr (text, "(Review pack \\227 Contoso Ltd)"));
  }

  /* Stored, not re-rendered: the same bytes later, whatever happened since. */
  insert_run (f, "{\"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"policy_backup\", \"status\": \"completed\","
                 " \"outcome\": \"failed\", \"created_at\": \"2026-11-22T10:33:30Z\","
                 " \"completed_at\": \"2026-11-22T10:33:35Z\", \"lifecycle_window_seconds\": 900}");
  again = get (f, url, "viewer");   /* viewing is enough to download */
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (g_bytes_equal (again->body, file->body));
  {
    g_autoptr(Reply) cached = request_full (f, "GET", url, atlas_backend_server_get_token (f->server, "operator"),
                                            NULL, soup_message_headers_get_one (file->headers, "ETag"));
    g_assert_cmpuint (cached->status, ==, 304);
  }

  /* Never gzipped: what is saved is file_size bytes. */
  g_object_set (f->server, "gzip", TRUE, NULL);
  soup_session_remove_feature_by_type (f->session, SOUP_TYPE_CONTENT_DECODER);
  {
    g_autoptr(Reply) zipped = get_encoded (f, url, "operator", "gzip", NULL);
    g_assert_null (soup_message_headers_get_one (zipped->headers, "Content-Encoding"));
    g_assert_true (g_bytes_equal (zipped->body, file->body));
  }

  /* 401 without a token; 404 for another tenant's path, another workspace, a pack
   * that does not exist; 400 for an id that is none. */
  {
    g_autofree char *other_tenant = g_strdup_printf ("/api/v1/tenants/8/review-packs/%" G_GINT64_FORMAT "/file",
                                                     pack_id);
    g_autoptr(Reply) anonymous = get (f, url, NULL);
    g_autoptr(Reply) wrong_tenant = get (f, other_tenant, "operator");
    g_autoptr(Reply) outsider = get (f, url, "outsider");
    g_autoptr(Reply) missing = get (f, "/api/v1/tenants/7/review-packs/99999/file", "operator");
    g_autoptr(Reply) bad = get (f, "/api/v1/tenants/7/review-packs/x/file", "operator");

    assert_error (anonymous, 401, "unauthenticated");
    assert_error (wrong_tenant, 404, "not_found");
    assert_error (outsider, 404, "not_found");
    assert_error (missing, 404, "not_found");
    assert_error (bad, 400, "bad_request");
  }

  /* Expired after 7 days: the pack says so, and its file is gone. */
  advance (f, 7 * 24 * 3600 + 60);
  {
    g_autoptr(Reply) expired = get (f, "/api/v1/tenants/7/review-pack", "operator");
    g_autoptr(Reply) gone = get (f, url, "operator");

    g_assert_cmpstr (json_object_get_string_member (data_object (expired), "status"), ==, "expired");
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (data_object (expired), "download_url")));
    assert_error (gone, 404, "not_found");
  }
}

static void
test_request_counts_and_restart (Fixture       *f,
                                 gconstpointer  data)
{
  guint port = atlas_backend_server_get_port (f->server);
  g_autoptr(GError) error = NULL;

  atlas_backend_server_reset_request_counts (f->server);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(Reply) a = get (f, "/api/v1/workspaces/1/operations/1", "operator");
      g_autoptr(Reply) b = get (f, "/api/v1/me", NULL);  /* 401 still reached a handler */
    }
  {
    g_autoptr(Reply) c = post (f, "/api/v1/_test/advance", NULL, "{\"seconds\": 1}");
  }
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/workspaces/1/operations/1"), ==, 3);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/me"), ==, 3);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, NULL), ==, 6);
  g_assert_cmpint (atlas_backend_server_get_clock (f->server), ==, G_GINT64_CONSTANT (1795343591));

  atlas_backend_server_stop (f->server);
  g_assert_false (atlas_backend_server_is_running (f->server));
  atlas_backend_server_start (f->server, NULL, port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atlas_backend_server_get_port (f->server), ==, port);
  assert_healthy (f);

  atlas_backend_server_set_clock (f->server, G_GINT64_CONSTANT (1795400000));
  {
    g_autoptr(Reply) clock = get (f, "/api/v1/_test/clock", NULL);
    g_assert_cmpint (json_object_get_int_member (data_object (clock), "unix"), ==, G_GINT64_CONSTANT (1795400000));
  }
}

static void
test_no_test_control (void)
{
  g_autoptr(AtlasBackendServer) server = new_server ("test", FALSE);
  Fixture f = { server, soup_session_new (), atlas_backend_server_dup_base_url (server) };
  g_autoptr(Reply) reply = request_full (&f, "POST", "/api/v1/_test/clock", NULL, "{\"unix\": 5}", NULL);

  assert_error (reply, 404, "not_found");
  g_assert_cmpint (atlas_backend_server_get_clock (server), ==, G_GINT64_CONSTANT (1795343590));
  atlas_backend_server_stop (server);
  g_object_unref (f.session);
  g_free (f.base);
}

static void
test_scenarios (void)
{
  static const char *scenarios[] = { "empty", "demo" };

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autoptr(AtlasBackendServer) server = new_server (scenarios[i], FALSE);
      Fixture f = { server, soup_session_new (), atlas_backend_server_dup_base_url (server) };
      g_autoptr(Reply) ov = get (&f, "/api/v1/workspaces/1/overview", "operator");
      JsonArray *tenants = json_object_get_array_member (data_object (ov), "tenants");

      g_assert_cmpuint (ov->status, ==, 200);
      if (i == 0)
        g_assert_cmpuint (json_array_get_length (tenants), ==, 0);
      else
        g_assert_cmpuint (json_array_get_length (tenants), ==, 12);
      /* Random tokens outside the test scenario. */
      g_assert_cmpstr (atlas_backend_server_get_token (server, "operator"), !=, "atlas-test-operator");
      atlas_backend_server_stop (server);
      g_object_unref (f.session);
      g_free (f.base);
    }
  {
    AtlasBackendOptions options = { NULL, "bogus", FALSE, 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(AtlasBackendServer) server = atlas_backend_server_new (&options, &error);
    g_assert_null (server);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_persistent_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atlas-backend-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "atlas.db", NULL);
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  AtlasBackendOptions options = { path, "test", TRUE, 0 };

  {
    g_autoptr(AtlasBackendServer) server = atlas_backend_server_new (&options, &error);
    g_assert_no_error (error);
    g_assert_cmpint (atlas_backend_server_insert_run_json (server,
        "{\"id\": 777, \"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"policy_backup\","
        " \"status\": \"queued\", \"created_at\": \"2026-11-22T10:00:00Z\", \"lifecycle_window_seconds\": 60}",
        &error), ==, 777);
    g_assert_no_error (error);
    token = g_strdup (atlas_backend_server_get_token (server, "operator"));
  }
  {
    /* Reopened: not seeded twice, the run is still there. */
    g_autoptr(AtlasBackendServer) server = atlas_backend_server_new (&options, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (atlas_backend_server_get_token (server, "operator"), ==, token);
    g_assert_cmpint (atlas_backend_server_insert_run_json (server,
        "{\"id\": 777, \"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"policy_backup\","
        " \"status\": \"queued\", \"created_at\": \"2026-11-22T10:00:00Z\", \"lifecycle_window_seconds\": 60}",
        &error), ==, 0);
    g_assert_nonnull (error);
  }
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/backend/health", test_health);
  ADD ("/backend/auth/unauthenticated", test_unauthenticated);
  ADD ("/backend/auth/rbac-matrix", test_rbac_matrix);
  ADD ("/backend/me", test_me);
  ADD ("/backend/http/etag-round-trip", test_etag_round_trip);
  ADD ("/backend/operations/paging-and-tabs", test_operations_paging);
  ADD ("/backend/operations/search", test_operations_search);
  ADD ("/backend/active-operations", test_active_operations);
  ADD ("/backend/http/bad-ids", test_bad_ids);
  ADD ("/backend/review-pack/post-dedupe-lifecycle", test_review_pack);
  ADD ("/backend/review-pack/file", test_review_pack_file);
  ADD ("/backend/notifications/exactly-once", test_notifications);
  ADD ("/backend/isolation", test_isolation);
  ADD ("/backend/fixtures/round-trip", test_fixture_runs);
  ADD ("/backend/lifecycle/stale-and-reconciled", test_lifecycle);
  ADD ("/backend/faults", test_faults);
  ADD ("/backend/server/counts-and-restart", test_request_counts_and_restart);
  ADD ("/backend/http/gzip", test_gzip);
#undef ADD
  g_test_add_func ("/backend/server/no-test-control", test_no_test_control);
  g_test_add_func ("/backend/server/scenarios", test_scenarios);
  g_test_add_func ("/backend/server/persistent-db", test_persistent_db);

  return g_test_run ();
}
