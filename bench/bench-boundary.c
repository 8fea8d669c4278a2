/* bench-boundary.c — parse cost at the network boundary: peak RSS, pre-scan share, main-loop stall
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it measures and prints (docs/reliability.md, "Parse cost").
 *
 *   bench-boundary              all three figures below
 *   bench-boundary rss NAME     peak RSS of parsing one document (run in a child each)
 *   bench-boundary page N       parse the 100-run × 20-failure page N times (for callgrind)
 *
 * The documents: the largest real page (100 runs, 20 failures each); the worst answers
 * the reader accepts (as many empty objects as the value limit allows; 8 MiB of as
 * many strings as it allows); the worst it refuses (8 MiB of 2.8 million empty
 * objects, the amplification body). The
 * stall: a client fetches the 100-run page from a server in this process while a
 * 1 ms timer measures the longest gap between its callbacks.
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <libsoup/soup.h>

#include "atlas-api.h"
#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-test-hostile.h"


static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Parse one document the way the client does (pre-scan, json-glib, model). */
static int
rss_child (const char *name)
{
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gpointer payload = NULL;
  long before;

  if (g_str_equal (name, "page"))
    doc = atlas_test_body_large_page (100, 20);
  else if (g_str_equal (name, "amplification"))
    doc = atlas_test_body_empty_objects ((ATLAS_JSON_MAX_BYTES - 2) / 3);
  else if (g_str_equal (name, "most-objects"))
    doc = atlas_test_body_empty_objects (ATLAS_JSON_MAX_VALUES - 1);
  else
    doc = atlas_test_body_widest (ATLAS_JSON_MAX_VALUES - 1, ATLAS_JSON_MAX_BYTES);
  before = peak_rss_kib ();
  root = atlas_json_parse (doc, strlen (doc), &error);
  if (root != NULL)
    payload = atlas_api_parse_run_page (root, &error);
  g_print ("%s %zu %ld %ld %s\n", name, strlen (doc), before, peak_rss_kib (),
           root != NULL ? (payload != NULL ? "parsed" : "refused-by-model") : "refused-by-reader");
  g_clear_pointer (&payload, atlas_payload_unref);
  return 0;
}

static void
report_rss (const char *self_path)
{
  static const char * const names[] = { "page", "most-objects", "widest-accepted", "amplification" };

  g_print ("peak RSS of one parse (each in its own process; document in memory before):\n");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      const char *argv[] = { self_path, "rss", names[i], NULL };
      g_auto(GStrv) f = NULL;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, NULL, &error))
        g_error ("%s", error->message);
      f = g_strsplit (g_strstrip (out), " ", 5);
      g_print ("  %-16s %8.2f MiB body: %6.1f MiB peak RSS (%6.1f before the parse), %s\n",
               f[0], g_ascii_strtod (f[1], NULL) / (1024.0 * 1024.0), g_ascii_strtod (f[3], NULL) / 1024.0,
               g_ascii_strtod (f[2], NULL) / 1024.0, f[4]);
    }
}

/* --- the main-loop stall ----------------------------------------------------------- */

typedef struct
{
  gint64   last_us;
  gint64   worst_us;
  gboolean done;
} Stall;

static gboolean
tick_cb (gpointer user_data)
{
  Stall *s = user_data;
  gint64 now = g_get_monotonic_time ();

  if (s->last_us != 0)
    s->worst_us = MAX (s->worst_us, now - s->last_us);
  s->last_us = now;
  return G_SOURCE_CONTINUE;
}

static void
serve_page (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *doc = user_data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, doc, strlen (doc));
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Stall *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);

  if (response == NULL)
    g_error ("%s", error->message);
  s->done = TRUE;
}

static void
report_stall (void)
{
  g_autofree char *doc = atlas_test_body_large_page (100, 20);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  g_autoptr(AtlasClient) client = NULL;
  gint64 worst = 0;

  soup_server_add_handler (server, NULL, serve_page, doc, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  url[strlen (url) - 1] = '\0';
  client = atlas_client_new (url, "bench", ATLAS_CLIENT_FLAGS_NONE, &error);

  for (guint round = 0; round < 20; round++)
    {
      Stall s = { 0 };
      guint id = g_timeout_add (1, tick_cb, &s);
      g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?tab=all&page=%u", round + 1);

      atlas_client_fetch_async (client, path, atlas_api_parse_run_page, NULL, fetched_cb, &s);
      while (!s.done)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (id);
      worst = MAX (worst, s.worst_us);
    }
  g_print ("longest main-loop stall while polling a 100-run page (%.0f KiB, 20 polls): %.1f ms\n",
           strlen (doc) / 1024.0, worst / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "rss"))
    return rss_child (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "page"))
    {
      g_autofree char *doc = atlas_test_body_large_page (100, 20);
      guint n = (guint) g_ascii_strtoull (argv[2], NULL, 10);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) root = atlas_json_parse (doc, strlen (doc), &error);
          gpointer payload = root != NULL ? atlas_api_parse_run_page (root, &error) : NULL;

          if (payload == NULL)
            g_error ("%s", error->message);
          atlas_payload_unref (payload);
        }
      return 0;
    }

  report_rss (argv[0]);
  report_stall ();
  return 0;
}
