/* test-faults.c — the fault matrix (issue #9): what the run detail shows, how fast it
 * retries and how it recovers when the backend misbehaves
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under xvfb-run. Two servers:
 *
 * - the in-process reference backend (`test` scenario) for what it can produce itself:
 *   stop/start, 503/429 + Retry-After (seconds and HTTP-date), malformed, truncated and
 *   cut JSON bodies, latency; its clock is moved in lock step with a manual AtlasClock;
 * - a small hostile SoupServer built here for what the backend never sends: invalid
 *   UTF-8, 100,000-deep nesting, 20 MiB bodies, a missing or garbage `Date`, and a
 *   server clock hours off the local one. Its clock is "local time at setup + skew",
 *   moved by the same manual clock.
 *
 * The poller's jitter is pinned to 0, the shortest wait the backoff rule allows, so
 * every count below is exact: no request before the rule's lower bound (checked 100 ms
 * before it), exactly one at it. Nothing sleeps; the only real waits are the 1 s client
 * timeouts of the slow-response and trickle cases, and every wait is bounded.
 *
 * slow-response-timeout, trickled-body, short-body and garbage-date failed until
 * 728868a fixed what they found (docs/reliability.md, "Bugs the matrix found").
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libsoup/soup.h>

#include "atlas-backend-server.h"
#include "atlas-client-private.h"
#include "atlas-duration.h"
#include "atlas-json.h"
#include "atlas-overview-private.h"
#include "atlas-poller-private.h"
#include "atlas-run-detail-private.h"
#include "atlas-run-watcher-private.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-test-ui.h"

#define RUN_ID         701

/* The run under test, running since `started` by the server's clock. */
static AtlasTestRun
running_run (const char *tenant_name,
             gint64      started)
{
  AtlasTestRun run = {
    .id = RUN_ID, .tenant_name = tenant_name, .status = "running", .freshness = "fresh",
    .created_at = started, .started_at = started,
    .summary_counts = "{\"total\": 10, \"processed\": 4}",
    .web_link = "https://atlas.example.test/x",
  };

  return run;
}


/* --- the hostile server --------------------------------------------------------------- */

typedef enum
{
  BODY_GOOD,
  BODY_INVALID_UTF8,     /* the run, with bytes that are not UTF-8 in a string */
  BODY_DEEP_NESTING,     /* {"data": [[[[ … 100,000 deep … ]]]]} */
  BODY_HUGE_LENGTH,      /* 20 MiB, announced by Content-Length */
  BODY_HUGE_EOF,         /* 20 MiB, no Content-Length: read until the connection closes */
  BODY_503_DATE,         /* 503 with Retry-After as an HTTP-date 30 s after its own Date */
  BODY_TRICKLE,          /* a 200-byte body, one byte every 400 ms (never idle 1 s) */
  BODY_SHORT,            /* a complete, valid run, but Content-Length promises 64 bytes more */
} HostileBody;

typedef enum
{
  DATE_GOOD,             /* the hostile server's own (skewed) clock */
  DATE_MISSING,
  DATE_GARBAGE,          /* a different unparsable value on every response */
} HostileDate;

typedef struct
{
  SoupServer  *server;
  char        *base_url;
  gint64       epoch;       /* server time at setup: local time + skew */
  gint64       started_at;  /* the run's start, in server time */
  gint64      *elapsed_ms;  /* the fixture's manual-clock time */
  HostileBody  body;        /* what a faulted response is */
  guint        bad_left;    /* run requests still to fault; /me always gets `body` */
  HostileDate  date;
  guint        garbage_n;
  guint        run_hits;
  guint        me_hits;
  GPtrArray   *trickles;    /* Trickle*, still sending */
} Hostile;

typedef struct
{
  Hostile   *h;
  GIOStream *stream;
  guint      left;
  guint      source_id;
} Trickle;

typedef struct
{
  GIOStream *stream;
  GBytes    *head;
  GBytes    *body;
} RawSend;

#define HUGE_SIZE (20u * 1024u * 1024u)

static gint64
hostile_now (Hostile *h)
{
  return h->epoch + *h->elapsed_ms / 1000;
}

static char *
http_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return soup_date_time_to_string (dt, SOUP_DATE_HTTP);
}

static char *
hostile_run_json (Hostile    *h,
                  const char *tenant_name)
{
  AtlasTestRun run = running_run (tenant_name, h->started_at);
  g_autofree char *json = atlas_test_run_json (&run);

  return g_strdup_printf ("{\"data\": %s}", json);
}

static void
raw_send_free (RawSend *raw)
{
  g_io_stream_close (raw->stream, NULL, NULL);
  g_object_unref (raw->stream);
  g_bytes_unref (raw->head);
  g_bytes_unref (raw->body);
  g_free (raw);
}

static void
raw_body_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  /* The client hangs up long before 20 MiB: a write error is the expected end. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  raw_send_free (user_data);
}

static void
raw_head_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RawSend *raw = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      raw_send_free (raw);
      return;
    }
  g_output_stream_write_all_async (G_OUTPUT_STREAM (object), g_bytes_get_data (raw->body, NULL),
                                   g_bytes_get_size (raw->body), G_PRIORITY_DEFAULT, NULL,
                                   raw_body_written_cb, raw);
}

/* Bytes libsoup would never write for us: a 20 MiB body, with or without a length. */
static void
send_huge (SoupServerMessage *msg,
           const char        *date_line,
           gboolean           with_length)
{
  RawSend *raw = g_new0 (RawSend, 1);
  GString *head = g_string_new ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
  char *body = g_malloc (HUGE_SIZE);
  const char *open = "{\"data\": {\"id\": 701, \"tenant_name\": \"";

  memset (body, 'a', HUGE_SIZE);
  memcpy (body, open, strlen (open));
  memcpy (body + HUGE_SIZE - 4, "\"}}\n", 4);
  g_string_append (head, date_line);
  if (with_length)
    g_string_append_printf (head, "Content-Length: %u\r\n", HUGE_SIZE);
  g_string_append (head, "Connection: close\r\n\r\n");

  raw->stream = soup_server_message_steal_connection (msg);
  raw->head = g_string_free_to_bytes (head);
  raw->body = g_bytes_new_take (body, HUGE_SIZE);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (raw->stream),
                                   g_bytes_get_data (raw->head, NULL), g_bytes_get_size (raw->head),
                                   G_PRIORITY_DEFAULT, NULL, raw_head_written_cb, raw);
}

static void
trickle_free (Trickle *t)
{
  if (t->source_id != 0)
    g_source_remove (t->source_id);
  g_io_stream_close (t->stream, NULL, NULL);
  g_object_unref (t->stream);
  g_free (t);
}

static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *t = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (t->stream);

  /* Blocking writes of one byte into a socket buffer: they never block. */
  if (t->left == 0 || g_output_stream_write (out, "a", 1, NULL, NULL) != 1 || --t->left == 0)
    {
      t->source_id = 0;
      g_ptr_array_remove_fast (t->h->trickles, t);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Slowloris: always a little more, never idle long enough for a read timeout. */
static void
send_trickle (Hostile           *h,
              SoupServerMessage *msg,
              const char        *date_line)
{
  Trickle *t = g_new0 (Trickle, 1);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%s"
                                           "Content-Length: 200\r\nConnection: close\r\n\r\n", date_line);

  t->h = h;
  t->stream = soup_server_message_steal_connection (msg);
  t->left = 200;
  g_output_stream_write_all (g_io_stream_get_output_stream (t->stream), head, strlen (head), NULL, NULL, NULL);
  t->source_id = g_timeout_add (400, trickle_cb, t);
  g_ptr_array_add (h->trickles, t);
}

static char *
deep_nesting (void)
{
  const guint depth = 100000;
  GString *s = g_string_sized_new (2 * depth + 16);

  g_string_append (s, "{\"data\": ");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
hostile_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  static const char *garbage[] = {
    "garbage", "", "Mon, 32 Foo 2026 99:99:99 GMT", "Thu, 01 Jan 1970 00:00:00 GMT but not",
    "-1", "Sun, 06 Nov 1994 08:49:37 GMT; junk", "Sun, 06 Nov 1994 08:49:37 GMTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT",
  };
  Hostile *h = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *run_path = g_strdup_printf ("/api/v1/workspaces/1/operations/%d", RUN_ID);
  g_autofree char *date = NULL;
  g_autofree char *date_line = NULL;
  g_autofree char *text = NULL;
  HostileBody body = BODY_GOOD;
  gboolean is_me = g_str_equal (path, "/api/v1/me");

  if (is_me)
    {
      h->me_hits++;
      body = h->body;
    }
  else if (g_str_equal (path, run_path))
    {
      h->run_hits++;
      if (h->bad_left > 0)
        {
          h->bad_left--;
          body = h->body;
        }
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":{\"code\":\"not_found\",\"message\":\"Not found\"}}", 50);
      return;
    }

  /* SoupServer adds its own Date (the local clock) before calling us: replace it. */
  switch (h->date)
    {
    case DATE_GOOD:
      date = http_date (hostile_now (h));
      break;
    case DATE_MISSING:
      break;
    case DATE_GARBAGE:
    default:
      date = g_strdup (garbage[h->garbage_n++ % G_N_ELEMENTS (garbage)]);
      break;
    }
  if (date != NULL)
    {
      soup_message_headers_replace (headers, "Date", date);
      date_line = g_strdup_printf ("Date: %s\r\n", date);
    }
  else
    {
      soup_message_headers_remove (headers, "Date");
      date_line = g_strdup ("");
    }

  switch (body)
    {
    case BODY_HUGE_LENGTH:
    case BODY_HUGE_EOF:
      send_huge (msg, date_line, body == BODY_HUGE_LENGTH);
      return;
    case BODY_TRICKLE:
      send_trickle (h, msg, date_line);
      return;
    case BODY_SHORT:
      {
        g_autofree char *json = hostile_run_json (h, "Contoso Ltd");
        g_autofree char *raw = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%s"
                                                "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                                date_line, strlen (json) + 64, json);
        GIOStream *stream = soup_server_message_steal_connection (msg);

        g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, strlen (raw), NULL, NULL, NULL);
        g_io_stream_close (stream, NULL, NULL);
        g_object_unref (stream);
        return;
      }
    case BODY_DEEP_NESTING:
      text = deep_nesting ();
      break;
    case BODY_INVALID_UTF8:
      text = is_me ? g_strdup ("{\"data\": {\"user\": {\"id\": 1, \"name\": \"Op \xff\xfe\xc3\x28\"},"
                               " \"workspaces\": [], \"active_initiated_count\": 0}}")
                   : hostile_run_json (h, "Contoso \xff\xfe\xc3\x28 Ltd");
      break;
    case BODY_503_DATE:
      {
        g_autofree char *when = http_date (hostile_now (h) + 30);

        soup_message_headers_replace (headers, "Retry-After", when);
        soup_server_message_set_status (msg, 503, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          "{\"error\":{\"code\":\"unavailable\",\"message\":\"Service unavailable\"}}",
                                          strlen ("{\"error\":{\"code\":\"unavailable\",\"message\":\"Service unavailable\"}}"));
        return;
      }
    case BODY_GOOD:
    default:
      text = is_me ? g_strdup ("{\"data\": {\"user\": {\"id\": 1, \"name\": \"Op\"},"
                               " \"workspaces\": [], \"active_initiated_count\": 0}}")
                   : hostile_run_json (h, "Contoso Ltd");
      break;
    }
  soup_server_message_set_status (msg, 200, NULL);
  {
    gsize len = strlen (text);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer (&text), len);
  }
}

static Hostile *
hostile_new (gint64  skew_s,
             gint64 *elapsed_ms)
{
  Hostile *h = g_new0 (Hostile, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  h->epoch = g_get_real_time () / G_USEC_PER_SEC + skew_s;
  h->started_at = h->epoch - 120;
  h->elapsed_ms = elapsed_ms;
  h->trickles = g_ptr_array_new_with_free_func ((GDestroyNotify) trickle_free);
  h->server = soup_server_new ("server-header", "hostile", NULL);
  soup_server_add_handler (h->server, NULL, hostile_cb, h, NULL);
  soup_server_listen_local (h->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (h->server);
  g_assert_nonnull (uris);
  h->base_url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return h;
}

static void
hostile_free (Hostile *h)
{
  g_ptr_array_unref (h->trickles);
  soup_server_disconnect (h->server);
  g_object_unref (h->server);
  g_free (h->base_url);
  g_free (h);
}

/* --- fixture -------------------------------------------------------------------------- */

typedef struct
{
  AtlasTestFixture    base;       /* its client: the backend's, or the hostile server's */
  Hostile            *hostile;
  AtlasRunDetail     *detail;
  AtlasPoller        *poller;     /* the widget under test's */
  gint64              loaded_at;  /* server time of the last good answer we know of */
  gboolean            by_fetches; /* count the watcher's fetches, not the server's requests */
  gboolean            check_age;  /* the failing answers carry a Date: check the banner's age */
} Fixture;

static double
jitter_zero (gpointer user_data)
{
  return 0.0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  atlas_test_ui_setup (&f->base, data);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->base.window);
  f->base.window = NULL;
  /* Let late answers (latency faults, a huge body being refused) drain. */
  atlas_test_drain (100);
  g_clear_pointer (&f->hostile, hostile_free);
  atlas_test_fixture_clear (&f->base);
}

/* Requests for the run so far, as the server saw them (or fetches, when it is down). */
static guint64
hits (Fixture *f)
{
  g_autofree char *path = atlas_test_run_path (RUN_ID);

  if (f->by_fetches)
    return atlas_run_watcher_get_fetch_count (atlas_run_detail_get_watcher (f->detail));
  if (f->hostile != NULL)
    return f->hostile->run_hits;
  return atlas_test_count (&f->base, path);
}

static void
advance_ms (Fixture *f,
            guint    ms)
{
  atlas_test_advance_ms (&f->base, f->poller, ms);
}

static void
insert_running_run (Fixture *f,
                    gint64   started)
{
  AtlasTestRun run = running_run ("Contoso Ltd", started);

  atlas_test_insert_run (&f->base, &run);
}

static void
open_detail (Fixture *f)
{
  GtkWidget *detail = atlas_run_detail_new (f->base.client, f->base.clock, 1, RUN_ID);

  f->detail = ATLAS_RUN_DETAIL (detail);
  f->poller = atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (f->detail));
  atlas_poller_set_jitter_func (f->poller, jitter_zero, NULL, NULL);
  atlas_test_show (&f->base, detail);
  atlas_test_settle (f->poller);
  g_assert_cmpstr (atlas_run_detail_get_state (f->detail), ==, "run");
  g_assert_false (atlas_run_detail_get_offline_shown (f->detail));
}

/* The in-process backend, a running run that has just started: polled every second. */
static void
open_backend_run (Fixture *f)
{
  insert_running_run (f, f->base.t0);
  open_detail (f);
  f->loaded_at = f->base.t0;
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 0 s");
  g_assert_cmpuint (hits (f), ==, 1);
}

/* The hostile server, a run that started 2 min ago by its own clock: polled every 10 s. */
static void
open_hostile_run (Fixture *f,
                  gint64   skew_s)
{
  g_autoptr(GError) error = NULL;

  f->hostile = hostile_new (skew_s, &f->base.ms);
  g_clear_object (&f->base.client);
  f->base.client = atlas_client_new (f->hostile->base_url, "hostile-token", 0, &error);
  g_assert_no_error (error);
  open_detail (f);
  f->loaded_at = f->hostile->epoch;
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 2 min");
  g_assert_cmpuint (hits (f), ==, 1);
}

static const char *
find_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *text = find_label (c);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* The offline banner's text: the only label under the detail's revealer. */
static const char *
banner_text (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget))
    return find_label (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *text = banner_text (c);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* "Showing data from N s ago", N by the server's clock (the local clock may tick into
 * the next second between the answer and the paint: N or N + 1). */
static void
assert_banner_age (Fixture *f,
                   gint64   server_now)
{
  const char *text = banner_text (GTK_WIDGET (f->detail));
  g_autofree char *a = NULL, *b = NULL, *da = NULL, *db = NULL;

  g_assert_nonnull (text);
  da = atlas_format_duration (server_now - f->loaded_at);
  db = atlas_format_duration (server_now - f->loaded_at + 1);
  a = g_strdup_printf ("Showing data from %s ago", da);
  b = g_strdup_printf ("Showing data from %s ago", db);
  if (strstr (text, a) == NULL && strstr (text, b) == NULL)
    g_test_fail_printf ("banner “%s” does not say “%s”", text, a);
}

/* The documented rule with jitter 0: with n failures in a row, d = min (5 min,
 * max (interval, 1 s) × 2^n); the wait is d / 2, never below Retry-After (≤ 1 h). */
static guint
rule_wait_ms (guint base_ms,
              guint failures,
              guint retry_after_ms)
{
  guint64 d = MAX (base_ms, 1000);

  for (guint i = 0; i < failures; i++)
    d = MIN (d * 2, 5 * 60 * 1000);
  return (guint) MAX (d / 2, MIN (retry_after_ms, 3600 * 1000));
}

typedef void (*BeforeRecovery) (Fixture *f);

/*
 * The first failing request has just been answered. For each of the n failures in a
 * row: the offline banner is up over the last good data (same headline), nothing is
 * asked 100 ms before the rule allows it, exactly one request at that moment. The
 * request after the n-th failure succeeds: banner gone, poller calm.
 */
static void
expect_backoff_then_recovery (Fixture        *f,
                              guint           n_failures,
                              guint           base_ms,
                              guint           retry_after_ms,
                              const char     *kept_headline,
                              BeforeRecovery  before_recovery)
{
  guint64 before = hits (f);

  for (guint i = 1; i <= n_failures; i++)
    {
      guint wait = rule_wait_ms (base_ms, i, retry_after_ms);

      g_test_message ("failure %u: next request allowed after %u ms; banner: %s", i, wait,
                      banner_text (GTK_WIDGET (f->detail)));
      g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, i);
      g_assert_true (atlas_run_detail_get_offline_shown (f->detail));
      g_assert_cmpstr (atlas_run_detail_get_state (f->detail), ==, "run");
      g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, kept_headline);
      if (f->check_age)
        assert_banner_age (f, (f->hostile ? f->hostile->epoch : f->base.t0) + f->base.ms / 1000);

      advance_ms (f, wait - 100);
      g_assert_cmpuint (hits (f), ==, before);
      if (i == n_failures && before_recovery != NULL)
        before_recovery (f);
      advance_ms (f, 100);
      g_assert_cmpuint (hits (f), ==, before + 1);
      before++;
    }

  g_assert_false (atlas_run_detail_get_offline_shown (f->detail));
  g_assert_cmpstr (atlas_run_detail_get_state (f->detail), ==, "run");
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 0);
  g_assert_true (atlas_poller_get_active (f->poller));
}

/* --- in-process backend faults ---------------------------------------------------------- */

static void
inject (Fixture               *f,
        AtlasBackendFaultKind  kind,
        guint                  count,
        guint                  status,
        const char            *retry_after,
        guint                  latency_ms)
{
  g_autofree char *path = atlas_test_run_path (RUN_ID);
  AtlasBackendFault fault = { kind, count, latency_ms, status, retry_after, path };

  atlas_backend_server_inject_fault (f->base.server, &fault);
}

static char *
running_for (gint64 seconds)
{
  g_autofree char *d = atlas_format_duration (seconds);

  return g_strdup_printf ("Running for %s", d);
}

/* A failure kind with no Retry-After: 1 s, 2 s, 4 s, 8 s … then live again. */
static void
body_fault_case (Fixture               *f,
                 AtlasBackendFaultKind  kind,
                 gboolean               has_date)
{
  g_autofree char *live = NULL;

  open_backend_run (f);
  f->check_age = has_date;
  inject (f, kind, 4, 0, NULL, 0);
  advance_ms (f, 1000);
  g_assert_cmpuint (hits (f), ==, 2);
  expect_backoff_then_recovery (f, 4, 1000, 0, "Running for 0 s", NULL);
  /* 1 + 1 + 2 + 4 + 8 s: live data by the server's clock. */
  g_assert_cmpint (f->base.ms, ==, 16000);
  live = running_for (16);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, live);
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  body_fault_case (f, ATLAS_BACKEND_FAULT_MALFORMED, TRUE);
}

static void
test_cut_json (Fixture *f, gconstpointer data)
{
  body_fault_case (f, ATLAS_BACKEND_FAULT_CUT_JSON, TRUE);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  /* A short read never completes: no Date reaches the client, so no age check. */
  body_fault_case (f, ATLAS_BACKEND_FAULT_TRUNCATED, FALSE);
}

static void
test_503_retry_after (Fixture *f, gconstpointer data)
{
  g_autofree char *live = NULL;

  open_backend_run (f);
  f->check_age = TRUE;
  inject (f, ATLAS_BACKEND_FAULT_STATUS, 3, 503, "5", 0);
  advance_ms (f, 1000);
  g_assert_cmpuint (hits (f), ==, 2);
  /* Retry-After 5 is the floor each time (the backoff alone would be 1, 2, 4 s). */
  expect_backoff_then_recovery (f, 3, 1000, 5000, "Running for 0 s", NULL);
  g_assert_cmpint (f->base.ms, ==, 16000);
  live = running_for (16);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, live);
}

static void
test_429_retry_after_seconds (Fixture *f, gconstpointer data)
{
  open_backend_run (f);
  f->check_age = TRUE;
  inject (f, ATLAS_BACKEND_FAULT_STATUS, 2, 429, "7", 0);
  advance_ms (f, 1000);
  g_assert_cmpuint (hits (f), ==, 2);
  expect_backoff_then_recovery (f, 2, 1000, 7000, "Running for 0 s", NULL);
  g_assert_cmpint (f->base.ms, ==, 15000);
}

/* Retry-After as an HTTP-date is relative to the response's own Date. The backend's
 * clock is almost a day behind this machine's: reading the date against the local
 * clock would give 0 s (or the 1 h cap), not 8 s. */
static void
test_429_retry_after_http_date (Fixture *f, gconstpointer data)
{
  g_autofree char *when = NULL;

  open_backend_run (f);
  f->check_age = TRUE;
  /* The failing request is answered at server time t0 + 1. */
  when = http_date (f->base.t0 + 1 + 8);
  inject (f, ATLAS_BACKEND_FAULT_STATUS, 1, 429, when, 0);
  advance_ms (f, 1000);
  g_assert_cmpuint (hits (f), ==, 2);
  expect_backoff_then_recovery (f, 1, 1000, 8000, "Running for 0 s", NULL);
  g_assert_cmpint (f->base.ms, ==, 9000);
}

static void
restart_backend (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->base.base_url, G_URI_FLAGS_NONE, NULL);

  atlas_backend_server_start (f->base.server, "127.0.0.1", g_uri_get_port (uri), &error);
  g_assert_no_error (error);
  atlas_backend_server_set_clock (f->base.server, atlas_test_now (&f->base));
}

static void
test_backend_restart (Fixture *f, gconstpointer data)
{
  g_autofree char *live = NULL;

  open_backend_run (f);
  f->by_fetches = TRUE;   /* a stopped server counts nothing */
  atlas_backend_server_stop (f->base.server);
  advance_ms (f, 1000);
  g_assert_cmpuint (hits (f), ==, 2);
  /* Refused connections: 1, 2, 4, 8, 16 s apart; back 100 ms before the sixth try. */
  expect_backoff_then_recovery (f, 5, 1000, 0, "Running for 0 s", restart_backend);
  g_assert_cmpint (f->base.ms, ==, 32000);
  live = running_for (32);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, live);
  /* Every fetch went on the wire, and the server saw only the last. */
  g_assert_cmpuint (atlas_client_get_request_count (f->base.client), ==, 7);
}

/* A long outage: the wait doubles up to the 5 min cap and stays there. */
static void
test_backend_down_long (Fixture *f, gconstpointer data)
{
  open_backend_run (f);
  f->by_fetches = TRUE;
  atlas_backend_server_stop (f->base.server);
  advance_ms (f, 1000);
  /* 1, 2, 4 … 128 s, then 150 s (d/2 of the 5 min cap) twice. */
  expect_backoff_then_recovery (f, 10, 1000, 0, "Running for 0 s", restart_backend);
  g_assert_cmpuint (rule_wait_ms (1000, 10, 0), ==, 150000);
}

/* The answer takes 1.5 s, the client gives up after 1 s: a timeout, not a hang, and
 * never a second request while the first is out. */
static void
test_slow_response_timeout (Fixture *f, gconstpointer data)
{
  gint64 started, took;

  /* data != NULL: the timeout is set before the first request (no pooled connection). */
  if (data != NULL)
    atlas_client_set_timeout (f->base.client, 1);
  open_backend_run (f);
  atlas_client_set_timeout (f->base.client, 1);
  inject (f, ATLAS_BACKEND_FAULT_LATENCY, 1, 0, NULL, 1500);
  started = g_get_monotonic_time ();
  advance_ms (f, 1000);
  took = g_get_monotonic_time () - started;
  g_test_message ("the slow request ended after %" G_GINT64_FORMAT " ms", took / 1000);
  g_assert_cmpint (took, <, 1450 * 1000);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_cmpint (atlas_poller_get_last_failure (f->poller), ==, ATLAS_POLL_FAILURE_TIMEOUT);
  expect_backoff_then_recovery (f, 1, 1000, 0, "Running for 0 s", NULL);
}

/* The token stops working mid-session: the error page says so and polling ends. */
static void
test_401_mid_session (Fixture *f, gconstpointer data)
{
  open_backend_run (f);
  advance_ms (f, 3000);
  g_assert_cmpuint (hits (f), ==, 4);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 3 s");

  atlas_client_set_token (f->base.client, "garbage-token-\x01-not-a-token");
  advance_ms (f, 1000);
  g_assert_cmpuint (hits (f), ==, 5);
  g_assert_cmpstr (atlas_run_detail_get_state (f->detail), ==, "error");
  g_assert_cmpstr (atlas_run_detail_get_title (f->detail), ==, "Sign in again");
  g_assert_false (atlas_run_detail_get_offline_shown (f->detail));
  g_assert_true (atlas_poller_get_stopped (f->poller));
  g_assert_false (atlas_poller_refresh_now (f->poller));
  advance_ms (f, 120000);
  g_assert_cmpuint (hits (f), ==, 5);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->base.clock), ==, 0);
}

/* The overview and a tenant dashboard under 503 (Retry-After 15) then a malformed body:
 * the same pacing rule from their 10 s interval, the last data kept, back by itself. */
static void
dashboard_case (Fixture       *f,
                gconstpointer  data)
{
  gboolean overview = GPOINTER_TO_INT (data) == 0;
  const char *path = overview ? "/api/v1/workspaces/1/overview" : "/api/v1/tenants/7/dashboard";
  AtlasBackendFault down = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "15", path };
  AtlasBackendFault bad = { ATLAS_BACKEND_FAULT_MALFORMED, 1, 0, 0, NULL, path };
  GtkWidget *widget;
  guint n_before = 0;
  g_autofree char *title = NULL;

  insert_running_run (f, f->base.t0 - 3600);
  widget = overview ? atlas_overview_new (f->base.client, f->base.clock, 1)
                    : atlas_tenant_dashboard_new (f->base.client, f->base.clock, 7, FALSE);
  f->poller = overview ? atlas_overview_get_poller (ATLAS_OVERVIEW (widget))
                       : atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (widget));
  atlas_poller_set_jitter_func (f->poller, jitter_zero, NULL, NULL);
  atlas_test_show (&f->base, widget);
  atlas_test_settle (f->poller);
  g_assert_cmpuint (atlas_test_count (&f->base, path), ==, 1);
  if (overview)
    n_before = g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (widget)));
  else
    title = g_strdup (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (widget)));

  atlas_backend_server_inject_fault (f->base.server, &down);
  atlas_backend_server_inject_fault (f->base.server, &bad);
  advance_ms (f, 10000);
  g_assert_cmpuint (atlas_test_count (&f->base, path), ==, 2);
  for (guint i = 1; i <= 2; i++)
    {
      /* 1: max (10 s, Retry-After 15 s); 2: d = 40 s → 20 s. */
      guint wait = rule_wait_ms (10000, i, i == 1 ? 15000 : 0);

      g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, i);
      if (overview)
        g_assert_cmpuint (g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (widget))), ==, n_before);
      else
        g_assert_cmpstr (atlas_tenant_dashboard_get_title (ATLAS_TENANT_DASHBOARD (widget)), ==, title);
      advance_ms (f, wait - 100);
      g_assert_cmpuint (atlas_test_count (&f->base, path), ==, 1 + i);
      advance_ms (f, 100);
      g_assert_cmpuint (atlas_test_count (&f->base, path), ==, 2 + i);
    }
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 0);
  g_assert_true (atlas_poller_get_active (f->poller));
  if (overview)
    g_assert_cmpuint (n_before, >, 0);
}

/* --- hostile server ----------------------------------------------------------------------- */

typedef struct
{
  GError  *error;
  gboolean done;
} MeResult;

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  MeResult *r = user_data;
  g_autoptr(AtlasResponse) response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &r->error);

  r->done = TRUE;
}

/* GET /api/v1/me with the hostile body: refused as an invalid response, nothing parsed
 * beyond the limits. */
static void
assert_me_refused (Fixture     *f,
                   HostileBody  body)
{
  MeResult r = { NULL, FALSE };
  guint me_hits = f->hostile->me_hits;

  f->hostile->body = body;
  atlas_client_get_me_async (f->base.client, NULL, me_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_cmpuint (f->hostile->me_hits, ==, me_hits + 1);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
  g_test_message ("/me: %s", r.error->message);
  g_clear_error (&r.error);

  /* And the same client still works. */
  f->hostile->body = BODY_GOOD;
  r.done = FALSE;
  atlas_client_get_me_async (f->base.client, NULL, me_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
}

/* A body no parser may accept: banner over the last good data, backoff from the 10 s
 * interval (10, 20, 40 s), live again by itself. */
static void
hostile_body_case (Fixture     *f,
                   HostileBody  body)
{
  gboolean huge = body == BODY_HUGE_LENGTH || body == BODY_HUGE_EOF;
  guint64 parsed;

  open_hostile_run (f, 0);
  parsed = atlas_client_get_parse_count (f->base.client);
  /* A huge body is refused before its Date is noted (at the header, or when reading
   * stops at 8 MiB): no age to check then. */
  f->check_age = !huge;
  f->hostile->body = body;
  f->hostile->bad_left = 3;
  advance_ms (f, 10000);
  g_assert_cmpuint (hits (f), ==, 2);
  expect_backoff_then_recovery (f, 3, 10000, 0, "Running for 2 min", NULL);
  g_assert_cmpint (f->base.ms, ==, 80000);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 3 min");
  /* Nothing of the 20 MiB reached the parser: only the good answer after the outage. */
  if (huge)
    g_assert_cmpuint (atlas_client_get_parse_count (f->base.client), ==, parsed + 1);
  assert_me_refused (f, body);
}

static void
test_invalid_utf8 (Fixture *f, gconstpointer data)
{
  hostile_body_case (f, BODY_INVALID_UTF8);
}

static void
test_deep_nesting (Fixture *f, gconstpointer data)
{
  hostile_body_case (f, BODY_DEEP_NESTING);
}

static void
test_huge_body (Fixture *f, gconstpointer data)
{
  hostile_body_case (f, BODY_HUGE_LENGTH);
}

static void
test_huge_body_no_length (Fixture *f, gconstpointer data)
{
  hostile_body_case (f, BODY_HUGE_EOF);
}

/* A body that arrives one byte every 400 ms never trips a 1 s read timeout. The client
 * timeout must bound the whole request, or the widget waits (in flight, no banner, no
 * polling) for as long as the server likes: 80 s here, forever in general. */
static void
test_trickled_body (Fixture *f, gconstpointer data)
{
  gint64 started, took, deadline;

  open_hostile_run (f, 0);
  atlas_client_set_timeout (f->base.client, 1);
  f->hostile->body = BODY_TRICKLE;
  f->hostile->bad_left = 1;
  f->base.ms += 10000;
  atlas_manual_clock_advance (f->base.clock, 10000);
  g_assert_cmpuint (hits (f), ==, 1);
  started = g_get_monotonic_time ();
  deadline = started + 3 * G_USEC_PER_SEC;
  while (hits (f) < 2 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
  g_assert_cmpuint (hits (f), ==, 2);
  while (atlas_poller_get_in_flight (f->poller) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
  took = g_get_monotonic_time () - started;
  g_test_message ("the trickled request was still out after %" G_GINT64_FORMAT " ms: %s",
                  took / 1000, atlas_poller_get_in_flight (f->poller) ? "yes" : "no");
  g_assert_false (atlas_poller_get_in_flight (f->poller));
  g_assert_true (atlas_run_detail_get_offline_shown (f->detail));
  g_assert_cmpint (atlas_poller_get_last_failure (f->poller), ==, ATLAS_POLL_FAILURE_TIMEOUT);
}

/* Fewer bytes than Content-Length, then the connection closes: a short read is an
 * error even when what did arrive happens to be valid JSON. */
static void
test_short_body (Fixture *f, gconstpointer data)
{
  guint64 parsed;

  open_hostile_run (f, 0);
  parsed = atlas_client_get_parse_count (f->base.client);
  f->hostile->body = BODY_SHORT;
  f->hostile->bad_left = 2;
  advance_ms (f, 10000);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_cmpuint (atlas_client_get_parse_count (f->base.client), ==, parsed);
  expect_backoff_then_recovery (f, 2, 10000, 0, "Running for 2 min", NULL);
}

/* A missing or garbage Date on otherwise good answers: nothing fails, the pace stays
 * the run's (every 10 s), and ages stay on the server's clock (estimated from the last
 * good Date), not the local one, which is 6 h ahead of this server. */
static void
date_case (Fixture     *f,
           HostileDate  date)
{
  open_hostile_run (f, -6 * 3600);
  f->hostile->date = date;
  for (guint i = 1; i <= 6; i++)
    {
      advance_ms (f, 9900);
      g_assert_cmpuint (hits (f), ==, i);
      advance_ms (f, 100);
      g_assert_cmpuint (hits (f), ==, i + 1);
      g_assert_cmpstr (atlas_run_detail_get_state (f->detail), ==, "run");
      g_assert_false (atlas_run_detail_get_offline_shown (f->detail));
      /* The estimate follows the local clock from the last good Date: this test's
       * manual minute is not local time, so the age stays at 2 min — never 6 h. */
      g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 2 min");
    }
  /* A good Date again: the server's own clock, 60 s on. */
  f->hostile->date = DATE_GOOD;
  advance_ms (f, 10000);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 3 min");
}

static void
test_missing_date (Fixture *f, gconstpointer data)
{
  date_case (f, DATE_MISSING);
}

static void
test_garbage_date (Fixture *f, gconstpointer data)
{
  date_case (f, DATE_GARBAGE);
}

/* The server's clock is hours off this machine's. Ages, the banner's "data from … ago"
 * and a Retry-After HTTP-date all follow the server's time. */
static void
test_server_clock_skew (Fixture       *f,
                        gconstpointer  data)
{
  gint64 skew = GPOINTER_TO_INT (data) * 3600;

  open_hostile_run (f, skew);
  advance_ms (f, 60000);
  g_assert_cmpuint (hits (f), ==, 7);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 3 min");
  f->loaded_at = f->hostile->epoch + 60;

  /* 503 with Retry-After = its own Date + 30 s: 30 s, whatever the local clock says. */
  f->check_age = TRUE;
  f->hostile->body = BODY_503_DATE;
  f->hostile->bad_left = 2;
  advance_ms (f, 10000);
  g_assert_cmpuint (hits (f), ==, 8);
  expect_backoff_then_recovery (f, 2, 10000, 30000, "Running for 3 min", NULL);
  g_assert_cmpint (f->base.ms, ==, 130000);
  g_assert_cmpstr (atlas_run_detail_get_headline (f->detail), ==, "Running for 4 min");
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);
  /* One broken case must not hide the rest of the matrix. Criticals stay fatal. */
  g_test_set_nonfatal_assertions ();

#define ADD(path, func) \
  g_test_add ("/ui/faults/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_DATA(path, data, func) \
  g_test_add ("/ui/faults/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("backend-restart", test_backend_restart);
  ADD ("backend-down-long", test_backend_down_long);
  ADD ("503-retry-after", test_503_retry_after);
  ADD ("429-retry-after-seconds", test_429_retry_after_seconds);
  ADD ("429-retry-after-http-date", test_429_retry_after_http_date);
  ADD ("malformed-body", test_malformed);
  ADD ("truncated-body", test_truncated);
  ADD ("cut-json", test_cut_json);
  ADD ("slow-response-timeout", test_slow_response_timeout);
  ADD_DATA ("slow-response-timeout-set-first", GINT_TO_POINTER (1), test_slow_response_timeout);
  ADD ("401-mid-session", test_401_mid_session);
  ADD_DATA ("overview-503-then-malformed", GINT_TO_POINTER (0), dashboard_case);
  ADD_DATA ("tenant-dashboard-503-then-malformed", GINT_TO_POINTER (1), dashboard_case);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("deep-nesting", test_deep_nesting);
  ADD ("huge-body", test_huge_body);
  ADD ("huge-body-no-length", test_huge_body_no_length);
  ADD ("trickled-body", test_trickled_body);
  ADD ("short-body", test_short_body);
  ADD ("missing-date", test_missing_date);
  ADD ("garbage-date", test_garbage_date);
  ADD_DATA ("server-clock-ahead", GINT_TO_POINTER (6), test_server_clock_skew);
  ADD_DATA ("server-clock-behind", GINT_TO_POINTER (-6), test_server_clock_skew);

  return g_test_run ();
}
