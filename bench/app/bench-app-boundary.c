/* bench-app-boundary.c — the app's side of parse cost: peak RSS and main-loop stall with real widgets
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it measures and prints (docs/reliability.md, "Parse cost"). Needs a
 * display: xvfb-run -a _build/bench/app/bench-app-boundary
 *
 * An AtlasOperationsList in a window polls a hostile server in this process.
 *   rss:   for each answer — the 100-run × 20-failure page, the worst the reader
 *          accepts (the most values; 8 MiB of strings), the 8 MiB amplification body —
 *          a fresh process shows the list, takes that answer, renders, and prints its
 *          VmHWM (peak RSS) before and after. The server is in the same process and
 *          holds the answer twice while sending it (its route, libsoup's copy): up
 *          to 16 MiB of the figure that a real app does not pay.
 *   stall: 20 polls of the 100-run page (two variants, so each is parsed and
 *          rendered) while a 1 ms timer records the longest gap between its callbacks;
 *          BENCH_RUNS=N serves N runs instead (to tell parse from rendering apart).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-operations-list-private.h"
#include "atlas-test-hostile.h"

#define LIST_PATH "/api/v1/workspaces/1/operations?tab=all&page=1&per_page=25"

static double
vm_hwm_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

typedef struct
{
  AtlasTestHostile *hostile;
  AtlasClient      *client;
  AtlasClock       *clock;
  GtkWidget        *window;
  GtkWidget        *list;
  AtlasPoller      *poller;
} Bench;

static void
iterate_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
settle (Bench *b)
{
  while (atlas_poller_get_in_flight (b->poller))
    g_main_context_iteration (NULL, TRUE);
  iterate_ms (100);   /* a few frames: rows bound and drawn */
}

static void
bench_init (Bench      *b,
            const char *first_body)
{
  g_autoptr(GError) error = NULL;

  b->hostile = atlas_test_hostile_new ();
  atlas_test_hostile_route (b->hostile, LIST_PATH, 200, first_body);
  b->client = atlas_client_new (b->hostile->base_url, "bench", ATLAS_CLIENT_FLAGS_NONE, &error);
  b->clock = atlas_manual_clock_new ();
  b->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (b->window), 1280, 800);
  b->list = atlas_operations_list_new (b->client, b->clock, 1, 0);
  gtk_window_set_child (GTK_WINDOW (b->window), b->list);
  gtk_window_present (GTK_WINDOW (b->window));
  while (!gtk_widget_get_mapped (b->list))
    g_main_context_iteration (NULL, TRUE);
  b->poller = atlas_operations_list_get_poller (ATLAS_OPERATIONS_LIST (b->list));
  settle (b);
}

static int
rss_child (const char *name)
{
  Bench b = { 0 };
  g_autofree char *page = atlas_test_body_large_page (100, 20);
  g_autofree char *doc = NULL;
  gsize size;
  double before;

  bench_init (&b, page);
  doc = atlas_test_body_cost_document (name);
  size = strlen (doc);
  atlas_test_hostile_route (b.hostile, LIST_PATH, 200, doc);
  g_clear_pointer (&doc, g_free);   /* the server's route keeps the one copy */
  before = vm_hwm_mib ();
  atlas_poller_refresh_now (b.poller);
  settle (&b);
  g_print ("%s %zu %.1f %.1f %s\n", name, size, before, vm_hwm_mib (),
           atlas_operations_list_get_state (ATLAS_OPERATIONS_LIST (b.list)));
  return 0;
}

static void
report_rss (const char *self_path)
{
  g_print ("app peak RSS (VmHWM), an operations list in a window taking one answer (own process each):\n");
  for (guint i = 0; atlas_test_cost_documents[i] != NULL; i++)
    {
      g_auto(GStrv) f = atlas_test_run_child (self_path, "rss", atlas_test_cost_documents[i], 5);

      g_print ("  %-16s %6.2f MiB answer: %6.1f MiB peak (%6.1f with the list shown before it), list state “%s”\n",
               f[0], g_ascii_strtod (f[1], NULL) / (1024.0 * 1024.0), g_ascii_strtod (f[3], NULL),
               g_ascii_strtod (f[2], NULL), f[4]);
    }
}

static void
report_stall (void)
{
  Bench b = { 0 };
  guint n_runs = g_getenv ("BENCH_RUNS") ? (guint) atoi (g_getenv ("BENCH_RUNS")) : 100;
  g_autofree char *a = atlas_test_body_large_page (n_runs, 20);
  g_autofree char *c = atlas_test_body_large_page (n_runs, 19);
  gint64 worst = 0;

  bench_init (&b, a);
  for (guint round = 0; round < 20; round++)
    {
      AtlasTestStallMeter meter;

      atlas_test_hostile_route (b.hostile, LIST_PATH, 200, round % 2 ? a : c);
      atlas_test_stall_meter_start (&meter);
      atlas_poller_refresh_now (b.poller);
      settle (&b);
      worst = MAX (worst, atlas_test_stall_meter_stop (&meter));
    }
  g_print ("longest main-loop stall during a poll of the %u-run page, list shown (20 polls): %.1f ms\n",
           n_runs, worst / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  adw_init ();

  if (argc == 3 && g_str_equal (argv[1], "rss"))
    return rss_child (argv[2]);
  report_rss (argv[0]);
  report_stall ();
  return 0;
}
