/* test-backend-hostile.c — contract tests of the backend's refusals, over raw sockets
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend-test"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "atlas-backend-server.h"

/* Raw sockets, not SoupSession: these requests are ones a well-behaved client never
 * sends (a length it does not deliver, two Authorization headers, a body cut off). */

typedef struct
{
  AtlasBackendServer *server;
  guint               port;
} Fixture;

typedef struct
{
  guint16  port;
  GBytes  *head;          /* request line, headers and any body bytes sent at once */
  gsize    stream_bytes;  /* then this many body bytes in 16 KiB pieces (ignoring errors) */
  gboolean chunked;       /* send those as chunks */
  GString *answer;
  gint64   answered_us;   /* monotonic time the first answer byte arrived, after the head */
  gboolean done;
} RawCall;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AtlasBackendOptions options = { NULL, "test", TRUE, 0 };
  g_autoptr(GError) error = NULL;

  f->server = atlas_backend_server_new (&options, &error);
  g_assert_no_error (error);
  atlas_backend_server_start (f->server, NULL, 0, &error);
  g_assert_no_error (error);
  atlas_backend_server_set_hold_requests (f->server, TRUE);
  f->port = atlas_backend_server_get_port (f->server);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  atlas_backend_server_stop (f->server);
  g_clear_object (&f->server);
}

/* Blocking I/O on a worker thread; the server answers on the test's main context. */
static void
raw_call_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  RawCall *call = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  GOutputStream *out;
  GInputStream *in;
  guchar buffer[16384];
  gsize left = call->stream_bytes;
  gssize n;

  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", call->port, NULL, NULL);
  g_assert_nonnull (conn);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  g_assert_true (g_output_stream_write_all (out, g_bytes_get_data (call->head, NULL),
                                            g_bytes_get_size (call->head), NULL, NULL, NULL));
  memset (buffer, ' ', sizeof buffer);
  /* The server may close while we send: a refusal does not wait for the rest. */
  while (left > 0)
    {
      gsize piece = MIN (left, sizeof buffer);
      gboolean ok;

      if (call->chunked)
        {
          g_autofree char *size = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", piece);
          ok = g_output_stream_write_all (out, size, strlen (size), NULL, NULL, NULL) &&
               g_output_stream_write_all (out, buffer, piece, NULL, NULL, NULL) &&
               g_output_stream_write_all (out, "\r\n", 2, NULL, NULL, NULL);
        }
      else
        ok = g_output_stream_write_all (out, buffer, piece, NULL, NULL, NULL);
      if (!ok)
        break;
      left -= piece;
    }
  if (call->chunked && left == 0)
    g_output_stream_write_all (out, "0\r\n\r\n", 5, NULL, NULL, NULL);
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      if (call->answer->len == 0)
        call->answered_us = g_get_monotonic_time ();
      g_string_append_len (call->answer, (const char *) buffer, n);
      /* One answer per call; stop at its end rather than wait for the close. */
      if (strstr (call->answer->str, "\r\n\r\n") != NULL)
        {
          const char *cl = strstr (call->answer->str, "Content-Length: ");
          const char *body = strstr (call->answer->str, "\r\n\r\n") + 4;
          if (cl != NULL && (gsize) (call->answer->str + call->answer->len - body) >=
              g_ascii_strtoull (cl + 16, NULL, 10))
            break;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
raw_call_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RawCall *call = user_data;

  call->done = TRUE;
}

/* Sends `head` (plus stream_bytes of body), returns the status of the answer and
 * leaves its full text in *answer. */
static guint
raw_request (Fixture    *f,
             const char *head,
             gsize       stream_bytes,
             gboolean    chunked,
             GString   **answer,
             gint64     *latency_us)
{
  RawCall call = { (guint16) f->port, g_bytes_new (head, strlen (head)), stream_bytes, chunked,
                   g_string_new (NULL), 0, FALSE };
  g_autoptr(GTask) task = g_task_new (NULL, NULL, raw_call_done_cb, &call);
  gint64 started = g_get_monotonic_time ();
  guint status = 0;

  g_task_set_task_data (task, &call, NULL);
  g_task_run_in_thread (task, raw_call_thread);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  if (g_str_has_prefix (call.answer->str, "HTTP/1.1 "))
    status = (guint) g_ascii_strtoull (call.answer->str + 9, NULL, 10);
  if (latency_us != NULL)
    *latency_us = call.answered_us ? call.answered_us - started : -1;
  g_bytes_unref (call.head);
  if (answer != NULL)
    *answer = call.answer;
  else
    g_string_free (call.answer, TRUE);
  return status;
}

static guint
raw_get (Fixture    *f,
         const char *path,
         const char *extra_headers)
{
  g_autofree char *head = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                                           "Connection: close\r\n\r\n", path,
                                           extra_headers ? extra_headers : "");
  return raw_request (f, head, 0, FALSE, NULL, NULL);
}

/* The ids of one list page, in order, as a comma-separated string. */
static char *
page_ids (Fixture    *f,
          const char *path)
{
  g_autofree char *head = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                                           path, atlas_backend_server_get_token (f->server, "operator"));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) ids = g_string_new (NULL);
  GString *answer = NULL;
  JsonArray *data;

  g_assert_cmpuint (raw_request (f, head, 0, FALSE, &answer, NULL), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, strstr (answer->str, "\r\n\r\n") + 4, -1, NULL));
  data = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data");
  for (guint i = 0; i < json_array_get_length (data); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            json_object_get_int_member (json_array_get_object_element (data, i), "id"));
  g_string_free (answer, TRUE);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* Deep pages skip whole days by their counts and then step through one day; walking
 * every page of two runs must give exactly the one long page, for every kind of list. */
static void
test_deep_pages_agree (Fixture       *f,
                       gconstpointer  data)
{
  static const char *lists[] = {
    "", "tab=active&", "tab=completed&", "tab=terminal_follow_up&", "tab=active_stale_attention&",
    "type=baseline_compare&", "problem_class=terminal_follow_up&", "tenant_id=7&",
    "tab=completed&type=baseline_compare&", "tab=completed&problem_class=terminal_follow_up&",
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_autofree char *all_path = g_strdup_printf ("/api/v1/workspaces/1/operations?%sper_page=100",
                                                   lists[l]);
      g_autofree char *all = page_ids (f, all_path);
      g_autoptr(GString) walked = g_string_new (NULL);

      g_test_message ("list %s: %s", lists[l], all);
      for (guint page = 1; page < 100; page++)
        {
          g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?%spage=%u&per_page=2",
                                                   lists[l], page);
          g_autofree char *ids = page_ids (f, path);

          if (*ids == '\0')
            break;
          g_string_append_printf (walked, "%s%s", walked->len ? "," : "", ids);
        }
      g_assert_cmpstr (walked->str, ==, all);
    }
}

/* After every refusal: the server still answers, health and a real authenticated call. */
static void
assert_serving (Fixture *f)
{
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s\r\n",
                                           atlas_backend_server_get_token (f->server, "operator"));

  g_assert_cmpuint (raw_get (f, "/api/v1/health", NULL), ==, 200);
  g_assert_cmpuint (raw_get (f, "/api/v1/workspaces/1/overview", auth), ==, 200);
}

static char *
post_head (Fixture    *f,
           const char *role,
           const char *framing)
{
  g_autofree char *auth = role ? g_strdup_printf ("Authorization: Bearer %s\r\n",
                                                  atlas_backend_server_get_token (f->server, role))
                               : g_strdup ("");

  return g_strdup_printf ("POST /api/v1/tenants/7/review-packs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "%sContent-Type: application/json\r\n%s\r\n", auth, framing);
}

static void
assert_error_code (GString    *answer,
                   const char *code)
{
  g_autofree char *expected = g_strdup_printf ("\"code\":\"%s\"", code);

  g_assert_nonnull (strstr (answer->str, expected));
  g_assert_nonnull (strstr (answer->str, "\r\nDate: "));
}

/* 100 MB announced, not one body byte sent: an answer at all proves the server did not
 * wait for (let alone read) the body. */
static void
test_unauthenticated_body (Fixture       *f,
                           gconstpointer  data)
{
  const char *tokens[] = { NULL, "Authorization: Bearer wrong\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autofree char *head = g_strdup_printf (
          "POST /api/v1/tenants/7/review-packs HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
          "Content-Length: 104857600\r\n\r\n", tokens[i] ? tokens[i] : "");
      GString *answer = NULL;

      g_assert_cmpuint (raw_request (f, head, 0, FALSE, &answer, NULL), ==, 401);
      assert_error_code (answer, "unauthenticated");
      g_assert_nonnull (strstr (answer->str, "Connection: close"));
      g_string_free (answer, TRUE);
      assert_serving (f);
    }

  /* Still refused while the client keeps uploading (a chunk of it reaches the server). */
  {
    g_autofree char *head = post_head (f, NULL, "Content-Length: 10485760\r\n");
    GString *answer = NULL;

    g_assert_cmpuint (raw_request (f, head, 2 * 1024 * 1024, FALSE, &answer, NULL), ==, 401);
    g_string_free (answer, TRUE);
    assert_serving (f);
  }
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/tenants/7/review-packs"),
                    ==, 3);
}

static void
test_body_limit (Fixture       *f,
                 gconstpointer  data)
{
  /* Exactly the documented 256 KiB is accepted… */
  {
    g_autofree char *head = post_head (f, "operator", "Content-Length: 262144\r\n");
    g_autoptr(GString) full = g_string_new (head);
    GString *answer = NULL;

    g_string_append_c (full, '{');
    for (guint i = 0; i < 262142; i++)
      g_string_append_c (full, ' ');
    g_string_append_c (full, '}');
    g_assert_cmpuint (raw_request (f, full->str, 0, FALSE, &answer, NULL), ==, 202);
    g_string_free (answer, TRUE);
  }
  /* …one byte more is 413 from the headers alone: no body byte is sent. */
  {
    g_autofree char *head = post_head (f, "operator", "Content-Length: 262145\r\n");
    GString *answer = NULL;

    g_assert_cmpuint (raw_request (f, head, 0, FALSE, &answer, NULL), ==, 413);
    assert_error_code (answer, "payload_too_large");
    g_string_free (answer, TRUE);
    assert_serving (f);
  }
  /* 100 MB authenticated, the case that used to get 202. */
  {
    g_autofree char *head = post_head (f, "operator", "Content-Length: 104857600\r\n");

    g_assert_cmpuint (raw_request (f, head, 0, FALSE, NULL, NULL), ==, 413);
    assert_serving (f);
  }
  /* Chunked: no length to check up front, so the count runs while reading. */
  {
    g_autofree char *head = post_head (f, "operator", "Transfer-Encoding: chunked\r\n");
    GString *answer = NULL;

    g_assert_cmpuint (raw_request (f, head, 400 * 1024, TRUE, &answer, NULL), ==, 413);
    assert_error_code (answer, "payload_too_large");
    g_string_free (answer, TRUE);
    assert_serving (f);
  }
  /* A small chunked body is read and handled as usual (the pack is deduped now). */
  {
    g_autofree char *head = post_head (f, "operator", "Transfer-Encoding: chunked\r\n");

    g_assert_cmpuint (raw_request (f, head, 1000, TRUE, NULL, NULL), ==, 200);
    assert_serving (f);
  }
  /* GET routes take no body at all. */
  {
    g_autofree char *head = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Authorization: Bearer %s\r\nContent-Length: 5\r\n\r\n",
                                             atlas_backend_server_get_token (f->server, "viewer"));

    g_assert_cmpuint (raw_request (f, head, 0, FALSE, NULL, NULL), ==, 413);
    assert_serving (f);
  }
}

static void
test_two_authorization_headers (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *two = g_strdup_printf ("Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n",
                                          atlas_backend_server_get_token (f->server, "outsider"),
                                          atlas_backend_server_get_token (f->server, "operator"));
  g_autofree char *same = g_strdup_printf ("Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n",
                                           atlas_backend_server_get_token (f->server, "operator"),
                                           atlas_backend_server_get_token (f->server, "operator"));
  GString *answer = NULL;
  g_autofree char *head = g_strdup_printf ("GET /api/v1/workspaces/1/overview HTTP/1.1\r\n"
                                           "Host: 127.0.0.1\r\n%sConnection: close\r\n\r\n", two);

  g_assert_cmpuint (raw_request (f, head, 0, FALSE, &answer, NULL), ==, 400);
  assert_error_code (answer, "bad_request");
  g_string_free (answer, TRUE);
  assert_serving (f);
  g_assert_cmpuint (raw_get (f, "/api/v1/me", same), ==, 400);
  assert_serving (f);
  /* Also with a body on its way: refused before it is read. */
  {
    g_autofree char *post = g_strdup_printf ("POST /api/v1/tenants/7/review-packs HTTP/1.1\r\n"
                                             "Host: 127.0.0.1\r\n%sContent-Length: 1048576\r\n\r\n",
                                             same);
    g_assert_cmpuint (raw_request (f, post, 0, FALSE, NULL, NULL), ==, 400);
    assert_serving (f);
  }
}

static void
test_numeric_parameters (Fixture       *f,
                         gconstpointer  data)
{
  static const char *bad[] = {
    "/api/v1/workspaces/1/operations?page=1%00",
    "/api/v1/workspaces/1/operations?page=1%002",
    "/api/v1/workspaces/1/operations?page=1x",
    "/api/v1/workspaces/1/operations?page=",
    "/api/v1/workspaces/1/operations?page",
    "/api/v1/workspaces/1/operations?page=+1",
    "/api/v1/workspaces/1/operations?page=%201",
    "/api/v1/workspaces/1/operations?page=1%20",
    "/api/v1/workspaces/1/operations?page=0x10",
    "/api/v1/workspaces/1/operations?page=1&page=2",
    "/api/v1/workspaces/1/operations?per_page=",
    "/api/v1/workspaces/1/operations?per_page=25%00",
    "/api/v1/workspaces/1/operations?per_page=1e2",
    "/api/v1/workspaces/1/operations?tenant_id=7%00",
    "/api/v1/workspaces/1/operations?tenant_id=7x",
    "/api/v1/workspaces/1/operations?type=policy_backup%00x",
    "/api/v1/workspaces/1/operations?page=%zz",
    "/api/v1/me/notifications?after=0%00",
    "/api/v1/me/notifications?after=-0",
    "/api/v1/me/notifications?after=",
  };
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s\r\n",
                                           atlas_backend_server_get_token (f->server, "operator"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_cmpuint (raw_get (f, bad[i], auth), ==, 400);
      assert_serving (f);
    }
  /* The plain forms still work, and so does an escaped digit. */
  g_assert_cmpuint (raw_get (f, "/api/v1/workspaces/1/operations?page=1&per_page=5", auth), ==, 200);
  g_assert_cmpuint (raw_get (f, "/api/v1/workspaces/1/operations?page=%31", auth), ==, 200);
  g_assert_cmpuint (raw_get (f, "/api/v1/me/notifications?after=0", auth), ==, 200);
}

/* ---- held requests and slow clients: sockets on the main context, no threads ---- */

typedef struct
{
  GSocketConnection *conn;
  GString           *answer;
  gboolean           closed;
  guchar             buffer[4096];
} Peer;

static void
peer_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      peer->closed = TRUE;
      return;
    }
  g_string_append_len (peer->answer, (const char *) peer->buffer, n);
  g_input_stream_read_async (G_INPUT_STREAM (object), peer->buffer, sizeof peer->buffer,
                             G_PRIORITY_DEFAULT, NULL, peer_read_cb, peer);
}

static void
peer_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Peer *peer = user_data;

  peer->conn = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, NULL);
  peer->closed = peer->conn == NULL;
}

/* Connects and sends `text` (possibly an unfinished request); reading goes on in the
 * background until the server closes. The connect is asynchronous: the listen
 * backlog is short and the server accepts on this very context. */
static Peer *
peer_new (Fixture    *f,
          const char *text)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Peer *peer = g_new0 (Peer, 1);

  g_socket_client_connect_to_host_async (client, "127.0.0.1", f->port, NULL, peer_connected_cb, peer);
  while (peer->conn == NULL && !peer->closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (peer->conn);
  peer->answer = g_string_new (NULL);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (peer->conn)),
                                            text, strlen (text), NULL, NULL, NULL));
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (peer->conn)), peer->buffer,
                             sizeof peer->buffer, G_PRIORITY_DEFAULT, NULL, peer_read_cb, peer);
  return peer;
}

static void
peer_free (Peer *peer)
{
  /* Closing cancels the pending read; let its callback run before the memory goes. */
  g_io_stream_close (G_IO_STREAM (peer->conn), NULL, NULL);
  while (!peer->closed)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (peer->conn);
  g_string_free (peer->answer, TRUE);
  g_free (peer);
}

static gboolean
peer_answered (Peer *peer)
{
  return strstr (peer->answer->str, "\r\n\r\n") != NULL;
}

static guint
peer_status (Peer *peer)
{
  return g_str_has_prefix (peer->answer->str, "HTTP/1.1 ")
         ? (guint) g_ascii_strtoull (peer->answer->str + 9, NULL, 10) : 0;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for `ms` (the server works meanwhile); not a sleep. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_until_answered (Peer *peer)
{
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!peer_answered (peer) && !peer->closed && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
}

/* At most 5 s: the limits under test are a few hundred ms. */
static void
run_until_closed (Peer *peer)
{
  gint64 give_up = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!peer->closed && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
}

static char *
header_value (const char *answer,
              const char *name)
{
  g_autofree char *key = g_strdup_printf ("\r\n%s: ", name);
  const char *at = strstr (answer, key);

  if (at == NULL)
    return NULL;
  at += strlen (key);
  return g_strndup (at, strcspn (at, "\r\n"));
}

static char *
overview_etag (Fixture *f)
{
  g_autofree char *head = g_strdup_printf ("GET /api/v1/workspaces/1/overview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                                           atlas_backend_server_get_token (f->server, "operator"));
  GString *answer = NULL;
  char *etag;

  g_assert_cmpuint (raw_request (f, head, 0, FALSE, &answer, NULL), ==, 200);
  etag = header_value (answer->str, "ETag");
  g_assert_nonnull (etag);
  g_string_free (answer, TRUE);
  return etag;
}

static char *
held_request (Fixture    *f,
              const char *etag,
              guint       wait)
{
  return g_strdup_printf ("GET /api/v1/workspaces/1/overview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nIf-None-Match: %s\r\nPrefer: wait=%u\r\n"
                          "Connection: close\r\n\r\n",
                          atlas_backend_server_get_token (f->server, "operator"), etag, wait);
}

static const char new_run[] =
  "{\"workspace_id\": 1, \"tenant_id\": 7, \"type\": \"policy_backup\", \"status\": \"queued\","
  " \"created_at\": \"2026-11-22T10:33:00Z\", \"lifecycle_window_seconds\": 600}";

static void
test_held_returns_on_change (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *etag = overview_etag (f);
  g_autofree char *request = held_request (f, etag, 30);
  g_autofree char *applied = NULL;
  g_autofree char *new_etag = NULL;
  g_autoptr(GError) error = NULL;
  Peer *held = peer_new (f, request);

  run_for (300);
  g_assert_false (peer_answered (held));
  /* A change elsewhere (another workspace's run) leaves this ETag alone: still held. */
  g_assert_cmpint (atlas_backend_server_insert_run_json (f->server,
      "{\"workspace_id\": 2, \"tenant_id\": 20, \"type\": \"policy_backup\", \"status\": \"queued\","
      " \"created_at\": \"2026-11-22T10:33:00Z\", \"lifecycle_window_seconds\": 600}", &error), >, 0);
  g_assert_no_error (error);
  run_for (200);
  g_assert_false (peer_answered (held));
  /* A run in this workspace changes the overview: answered at once, with the new body. */
  g_assert_cmpint (atlas_backend_server_insert_run_json (f->server, new_run, &error), >, 0);
  g_assert_no_error (error);
  run_until_answered (held);
  g_assert_cmpuint (peer_status (held), ==, 200);
  applied = header_value (held->answer->str, "Preference-Applied");
  g_assert_cmpstr (applied, ==, "wait=30");
  new_etag = header_value (held->answer->str, "ETag");
  g_assert_cmpstr (new_etag, !=, etag);
  peer_free (held);
  assert_serving (f);
}

static void
test_held_deadline (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *etag = overview_etag (f);
  g_autofree char *request = held_request (f, etag, 60);
  g_autofree char *applied = NULL;
  Peer *held = peer_new (f, request);

  run_for (200);
  g_assert_false (peer_answered (held));
  /* 59 s of server time: not yet. */
  atlas_backend_server_set_clock (f->server, atlas_backend_server_get_clock (f->server) + 59);
  run_for (200);
  g_assert_false (peer_answered (held));
  /* Past the deadline on the test clock: 304, the preference reported. */
  atlas_backend_server_set_clock (f->server, atlas_backend_server_get_clock (f->server) + 2);
  run_until_answered (held);
  g_assert_cmpuint (peer_status (held), ==, 304);
  applied = header_value (held->answer->str, "Preference-Applied");
  g_assert_cmpstr (applied, ==, "wait=60");
  peer_free (held);

  /* Not holding (the embedders' default): answered at once, without the header. */
  atlas_backend_server_set_hold_requests (f->server, FALSE);
  {
    g_autofree char *fresh = overview_etag (f);
    g_autofree char *plain = held_request (f, fresh, 60);
    Peer *peer = peer_new (f, plain);

    run_until_answered (peer);
    g_assert_cmpuint (peer_status (peer), ==, 304);
    g_assert_null (strstr (peer->answer->str, "Preference-Applied"));
    peer_free (peer);
  }
  atlas_backend_server_set_hold_requests (f->server, TRUE);

  /* Without If-None-Match, or with an ETag that is already stale, nothing is held. */
  {
    g_autofree char *stale = held_request (f, "\"0000\"", 60);
    Peer *peer = peer_new (f, stale);

    run_until_answered (peer);
    g_assert_cmpuint (peer_status (peer), ==, 200);
    peer_free (peer);
  }
}

static void
test_held_hundred (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *etag = overview_etag (f);
  g_autofree char *request = held_request (f, etag, 120);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autoptr(GError) error = NULL;
  gint64 worst = 0;
  guint ok = 0;

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (held, peer_new (f, request));
  run_for (300);
  /* All held, no thread each: health still answers at once, ten times over. */
  for (guint i = 0; i < 10; i++)
    {
      gint64 latency = 0;
      GString *answer = NULL;

      g_assert_cmpuint (raw_request (f, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Connection: close\r\n\r\n", 0, FALSE, &answer, &latency), ==, 200);
      g_string_free (answer, TRUE);
      worst = MAX (worst, latency);
    }
  g_test_message ("worst /health latency with 100 held: %" G_GINT64_FORMAT " µs", worst);
  g_assert_cmpint (worst, <, 500 * 1000);
  for (guint i = 0; i < held->len; i++)
    g_assert_false (peer_answered (g_ptr_array_index (held, i)));

  g_assert_cmpint (atlas_backend_server_insert_run_json (f->server, new_run, &error), >, 0);
  for (guint i = 0; i < held->len; i++)
    {
      run_until_answered (g_ptr_array_index (held, i));
      ok += peer_status (g_ptr_array_index (held, i)) == 200;
    }
  g_assert_cmpuint (ok, ==, 100);
}

static void
test_slow_headers (Fixture       *f,
                   gconstpointer  data)
{
  Peer *slow;
  Peer *idle;
  gint64 started;

  atlas_backend_server_set_limits (f->server, 300, 400, 0);
  started = g_get_monotonic_time ();
  /* Half a request line, then nothing: closed after the header timeout. */
  slow = peer_new (f, "GET /api/v1/health HTTP/1.1\r\nHost: 127");
  run_until_closed (slow);
  g_assert_true (slow->closed);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 250 * 1000);
  g_assert_cmpuint (slow->answer->len, ==, 0);
  peer_free (slow);

  /* An answered keep-alive connection that then says nothing: closed when idle. */
  idle = peer_new (f, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  run_until_closed (idle);
  g_assert_true (idle->closed);
  g_assert_true (g_str_has_prefix (idle->answer->str, "HTTP/1.1 200"));
  peer_free (idle);
  assert_serving (f);

  /* A body announced but not sent in time is a slow client too. */
  {
    g_autofree char *head = post_head (f, "operator", "Content-Length: 100\r\n");
    Peer *body = peer_new (f, head);

    run_until_closed (body);
    g_assert_true (body->closed);
    peer_free (body);
  }
  assert_serving (f);
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static void
test_connection_cap (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  guint closed = 0;

  atlas_backend_server_set_limits (f->server, 60000, 60000, 4);
  for (guint i = 0; i < 6; i++)
    {
      g_ptr_array_add (peers, peer_new (f, "GET /api/v1/health HTTP/1.1\r\nHost:"));
      run_for (30);
    }
  run_for (200);
  for (guint i = 0; i < peers->len; i++)
    closed += ((Peer *) g_ptr_array_index (peers, i))->closed;
  /* Over the cap the oldest waiting connections went, the newest are still there. */
  g_assert_cmpuint (closed, >=, 2);
  g_assert_true (((Peer *) g_ptr_array_index (peers, 0))->closed);
  g_assert_false (((Peer *) g_ptr_array_index (peers, peers->len - 1))->closed);
  /* And a real client still gets its answer. */
  g_assert_cmpuint (raw_get (f, "/api/v1/health", NULL), ==, 200);
  g_test_message ("fds with peers: %u", count_fds ());
  g_ptr_array_set_size (peers, 0);
  run_for (300);
  g_test_message ("fds after: %u", count_fds ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/backend/refuse/unauthenticated-body", test_unauthenticated_body);
  ADD ("/backend/refuse/body-limit", test_body_limit);
  ADD ("/backend/refuse/two-authorization-headers", test_two_authorization_headers);
  ADD ("/backend/refuse/numeric-parameters", test_numeric_parameters);
  ADD ("/backend/paging/deep-pages-agree", test_deep_pages_agree);
  ADD ("/backend/held/returns-on-change", test_held_returns_on_change);
  ADD ("/backend/held/deadline", test_held_deadline);
  ADD ("/backend/held/hundred-do-not-slow-health", test_held_hundred);
  ADD ("/backend/slow/headers-idle-body", test_slow_headers);
  ADD ("/backend/slow/connection-cap", test_connection_cap);
#undef ADD

  return g_test_run ();
}
