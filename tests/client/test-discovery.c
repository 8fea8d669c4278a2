/* test-discovery.c — AtlasDiscovery and the client's held requests, over real HTTP
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small SoupServer plays a backend that either answers at once or holds a request
 * with `Prefer: wait` until its overview changes (answering Preference-Applied), so
 * the client side is tested whatever the reference backend does. Time under test is
 * the manual clock; the server is released by the test, never by a timer.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-discovery.h"
#include "atlas-test-utils.h"

#define OVERVIEW "/api/v1/workspaces/1/overview"

typedef struct
{
  SoupServer  *server;
  AtlasClient *client;
  AtlasClock  *clock;
  gboolean     holds;        /* honour Prefer: wait */
  guint        version;      /* the overview's state; its ETag is "vN" */
  guint        requests;
  guint        conditional;  /* requests that carried If-None-Match */
  guint        preferred;    /* requests that carried Prefer: wait=55 */
  GPtrArray   *held;         /* SoupServerMessage*, paused */
} Fixture;

static void
answer (Fixture           *f,
        SoupServerMessage *msg,
        gboolean           held)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *inm = soup_message_headers_get_one (request_headers, "If-None-Match");
  g_autofree char *etag = g_strdup_printf ("\"v%u\"", f->version);
  g_autofree char *body = NULL;

  soup_message_headers_replace (headers, "ETag", etag);
  if (held)
    soup_message_headers_replace (headers, "Preference-Applied", "wait=55");
  if (g_strcmp0 (inm, etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  body = g_strdup_printf ("{\"data\": {\"totals\": {\"active\": %u, \"stale_active\": 0, \"failed_recent\": 0},"
                          " \"tenants\": [], \"recent_operations\": []}}", f->version);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *inm = soup_message_headers_get_one (headers, "If-None-Match");
  g_autofree char *etag = g_strdup_printf ("\"v%u\"", f->version);

  f->requests++;
  f->conditional += inm != NULL;
  f->preferred += g_strcmp0 (soup_message_headers_get_one (headers, "Prefer"), "wait=55") == 0;
  if (f->holds && soup_message_headers_get_one (headers, "Prefer") != NULL && g_strcmp0 (inm, etag) == 0)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (f->held, g_object_ref (msg));
      return;
    }
  answer (f, msg, FALSE);
}

/* The overview changes, or (changed = FALSE) the holds run out: held ones answer. */
static void
release (Fixture  *f,
         gboolean  changed)
{
  if (changed)
    f->version++;
  for (guint i = 0; i < f->held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (f->held, i);

      answer (f, msg, TRUE);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (f->held, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, OVERVIEW, handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  f->client = atlas_client_new (url, "token", ATLAS_CLIENT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  f->clock = atlas_manual_clock_new ();
  f->held = g_ptr_array_new_with_free_func (g_object_unref);
  f->version = 1;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  release (f, FALSE);
  g_clear_object (&f->client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->clock);
  g_clear_pointer (&f->held, g_ptr_array_unref);
}

/* What the window did when it opened: one plain load of the overview. */
static void
load_overview (Fixture *f)
{
  AtlasTestResult r = { 0 };

  atlas_client_get_overview_async (f->client, 1, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  atlas_test_result_clear (&r);
}

static void
iterate_until_requests (Fixture *f,
                        guint    n)
{
  gint64 limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (f->requests < n && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->requests, ==, n);
}

static void
settle (AtlasDiscovery *discovery)
{
  AtlasPoller *poller = atlas_discovery_get_poller (discovery);
  gint64 limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (atlas_poller_get_in_flight (poller) && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (atlas_poller_get_in_flight (poller));
}

static void
advance (Fixture *f,
         guint    seconds)
{
  for (guint i = 0; i < seconds; i++)
    {
      atlas_manual_clock_advance (f->clock, 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
count_cb (AtlasDiscovery *discovery,
          guint          *changes)
{
  (*changes)++;
}

static void
test_without_holding (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AtlasDiscovery) discovery = NULL;
  guint changes = 0;

  load_overview (f);
  discovery = atlas_discovery_new (f->client, f->clock, 1);
  g_signal_connect (discovery, "changed", G_CALLBACK (count_cb), &changes);
  advance (f, 59);
  g_assert_cmpuint (f->requests, ==, 1);
  advance (f, 1);
  iterate_until_requests (f, 2);
  settle (discovery);
  /* Conditional, with the preference; a server that ignores it answers at once. */
  g_assert_cmpuint (f->conditional, ==, 1);
  g_assert_cmpuint (f->preferred, ==, 1);
  g_assert_false (atlas_discovery_get_held (discovery));
  g_assert_cmpuint (changes, ==, 0);

  /* Then once a minute, and a change is news. */
  f->version++;
  advance (f, 59);
  g_assert_cmpuint (f->requests, ==, 2);
  advance (f, 1);
  iterate_until_requests (f, 3);
  settle (discovery);
  g_assert_cmpuint (changes, ==, 1);
  advance (f, 600);
  settle (discovery);
  g_assert_cmpuint (f->requests, ==, 13);
  g_assert_cmpuint (changes, ==, 1);
}

static void
test_holding (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AtlasDiscovery) discovery = NULL;
  AtlasPoller *poller;
  guint changes = 0;

  f->holds = TRUE;
  load_overview (f);
  discovery = atlas_discovery_new (f->client, f->clock, 1);
  poller = atlas_discovery_get_poller (discovery);
  g_signal_connect (discovery, "changed", G_CALLBACK (count_cb), &changes);
  advance (f, 60);
  iterate_until_requests (f, 2);
  g_assert_cmpuint (f->held->len, ==, 1);
  g_assert_true (atlas_poller_get_in_flight (poller));

  /* A held request is never shared: a page's own load of the same URL goes past it. */
  load_overview (f);
  g_assert_cmpuint (f->requests, ==, 3);
  g_assert_true (atlas_poller_get_in_flight (poller));

  /* New work: the held request answers at once, and it is news. */
  advance (f, 10);
  release (f, TRUE);
  settle (discovery);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (atlas_discovery_get_held (discovery));

  /* The next one starts a minute after the last one did (50 s from here) … */
  advance (f, 49);
  g_assert_cmpuint (f->requests, ==, 3);
  advance (f, 1);
  iterate_until_requests (f, 4);
  /* … and when its hold runs out after 55 s, the next follows 5 s later: still one
   * request a minute while nothing changes. */
  advance (f, 55);
  release (f, FALSE);
  settle (discovery);
  g_assert_cmpuint (changes, ==, 1);
  advance (f, 4);
  g_assert_cmpuint (f->requests, ==, 4);
  advance (f, 1);
  iterate_until_requests (f, 5);
  g_assert_cmpuint (f->held->len, ==, 1);

  /* Hidden: the held request is dropped and nothing new goes out. */
  atlas_poller_set_visible (poller, FALSE);
  g_assert_false (atlas_poller_get_in_flight (poller));
  advance (f, 600);
  g_assert_cmpuint (f->requests, ==, 5);
  /* Shown again, long after it was due: at once. */
  release (f, FALSE);
  atlas_poller_set_visible (poller, TRUE);
  advance (f, 1);
  iterate_until_requests (f, 6);
  g_assert_cmpuint (changes, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client/discovery/without-holding", Fixture, NULL, fixture_setup, test_without_holding, fixture_teardown);
  g_test_add ("/client/discovery/holding", Fixture, NULL, fixture_setup, test_holding, fixture_teardown);

  return g_test_run ();
}
