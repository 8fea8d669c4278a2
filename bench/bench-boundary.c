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

  doc = atlas_test_body_cost_document (name);
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
  g_print ("peak RSS of one parse (each in its own process; document in memory before):\n");
  for (guint i = 0; atlas_test_cost_documents[i] != NULL; i++)
    {
      g_auto(GStrv) f = atlas_test_run_child (self_path, "rss", atlas_test_cost_documents[i], 5);

      g_print ("  %-16s %8.2f MiB body: %6.1f MiB peak RSS (%6.1f before the parse), %s\n",
               f[0], g_ascii_strtod (f[1], NULL) / (1024.0 * 1024.0), g_ascii_strtod (f[3], NULL) / 1024.0,
               g_ascii_strtod (f[2], NULL) / 1024.0, f[4]);
    }
}

/* --- the main-loop stall ----------------------------------------------------------- */

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);

  if (response == NULL)
    g_error ("%s", error->message);
  *done = TRUE;
}

static void
report_stall (void)
{
  g_autofree char *doc = atlas_test_body_large_page (100, 20);
  AtlasTestHostile *server = atlas_test_hostile_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) client = atlas_client_new (server->base_url, "bench", ATLAS_CLIENT_FLAGS_NONE, &error);
  gint64 worst = 0;

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/1/operations?tab=all&page=%u", round + 1);
      AtlasTestStallMeter meter;
      gboolean done = FALSE;

      atlas_test_hostile_route (server, path, 200, doc);
      atlas_test_stall_meter_start (&meter);
      atlas_client_fetch_async (client, path, atlas_api_parse_run_page, NULL, fetched_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      worst = MAX (worst, atlas_test_stall_meter_stop (&meter));
    }
  g_print ("longest main-loop stall while polling a 100-run page (%.0f KiB, 20 polls): %.1f ms\n",
           strlen (doc) / 1024.0, worst / 1000.0);
  g_clear_object (&client);
  atlas_test_hostile_free (server);
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
