/* bench-app-boundary.c — the app's side of parse cost: peak RSS and main-loop stall with real widgets
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it measures and prints (docs/reliability.md, "Parse cost"). Needs a
 * display: xvfb-run -a _build/bench/app/bench-app-boundary
 *
 * An AtlasOperationsList in a window polls a hostile server in a process of its own
 * (this program with "serve", driven over a pipe), so the app's figures are the app's.
 *   rss:   for each answer — the 100-run × 20-failure page, the worst the reader
 *          accepts (the most values; 8 MiB of strings), the 8 MiB amplification body —
 *          a fresh process shows the list, takes that answer, renders, and prints its
 *          VmHWM (peak RSS) before and after.
 *   stall: the 100-run page filling the list shown empty, then 20 polls of it (two
 *          variants, so each is parsed and rendered) while a 1 ms timer records the
 *          longest gap between its callbacks and the thread's CPU within one gap;
 *          BENCH_RUNS=N serves N runs instead (to tell parse from rendering apart).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-operations-list-private.h"
#include "atlas-run-row.h"
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

/* The server process: prints its URL, then per line on stdin sets the list's answer
 * ("doc NAME" or "page N_RUNS N_FAILURES") and says "ok"; ends at end of input. */
static AtlasTestHostile *serve_hostile;

static gboolean
serve_line_cb (GIOChannel   *channel,
               GIOCondition  condition,
               gpointer      loop)
{
  g_autofree char *line = NULL;
  g_autofree char *body = NULL;
  guint n_runs, n_failures;
  char name[64];

  if (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
    {
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  if (sscanf (line, "page %u %u", &n_runs, &n_failures) == 2)
    body = atlas_test_body_large_page (n_runs, n_failures);
  else if (sscanf (line, "doc %63s", name) == 1)
    body = atlas_test_body_cost_document (name);
  else
    g_error ("serve: unknown command “%s”", line);
  atlas_test_hostile_route (serve_hostile, LIST_PATH, 200, body);
  g_print ("ok\n");
  return G_SOURCE_CONTINUE;
}

static int
serve (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GIOChannel) in = g_io_channel_unix_new (STDIN_FILENO);

  setvbuf (stdout, NULL, _IOLBF, 0);
  serve_hostile = atlas_test_hostile_new ();
  g_print ("%s\n", serve_hostile->base_url);
  g_io_add_watch (in, G_IO_IN | G_IO_HUP, serve_line_cb, loop);
  g_main_loop_run (loop);
  atlas_test_hostile_free (serve_hostile);
  return 0;
}

typedef struct
{
  GPid  pid;
  int   to;      /* its stdin */
  FILE *from;    /* its stdout */
  char *base_url;
} Server;

static char *
server_read_line (Server *s)
{
  char buf[512];

  if (fgets (buf, sizeof buf, s->from) == NULL)
    g_error ("serve: the server process ended");
  return g_strdup (g_strstrip (buf));
}

static void
server_start (Server     *s,
              const char *self_path)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self_path, "serve", NULL };
  int from;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &s->pid, &s->to, &from, NULL, &error))
    g_error ("%s", error->message);
  s->from = fdopen (from, "r");
  s->base_url = server_read_line (s);
}

/* Blocks until the server has the answer: it is another process. */
static void
server_answer (Server     *s,
               const char *command)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *ok = NULL;

  if (write (s->to, line, strlen (line)) != (ssize_t) strlen (line))
    g_error ("serve: write failed");
  ok = server_read_line (s);
  g_assert_cmpstr (ok, ==, "ok");
}

static void
server_stop (Server *s)
{
  close (s->to);
  fclose (s->from);
  g_spawn_close_pid (s->pid);
  g_free (s->base_url);
}

typedef struct
{
  Server            server;
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
            const char *self_path,
            const char *first_answer)
{
  g_autoptr(GError) error = NULL;

  server_start (&b->server, self_path);
  server_answer (&b->server, first_answer);
  b->client = atlas_client_new (b->server.base_url, "bench", ATLAS_CLIENT_FLAGS_NONE, &error);
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
rss_child (const char *self_path,
           const char *name)
{
  Bench b = { 0 };
  g_autofree char *doc = atlas_test_body_cost_document (name);
  g_autofree char *command = g_strconcat ("doc ", name, NULL);
  gsize size = strlen (doc);
  double before;

  g_clear_pointer (&doc, g_free);   /* only its size: the server process sends it */
  bench_init (&b, self_path, "page 100 20");
  server_answer (&b.server, command);
  before = vm_hwm_mib ();
  atlas_poller_refresh_now (b.poller);
  settle (&b);
  g_print ("%s %zu %.1f %.1f %s\n", name, size, before, vm_hwm_mib (),
           atlas_operations_list_get_state (ATLAS_OPERATIONS_LIST (b.list)));
  server_stop (&b.server);
  return 0;
}

static void
report_rss (const char *self_path)
{
  g_print ("app peak RSS (VmHWM), an operations list in a window taking one answer "
           "(own process each; the server in another):\n");
  for (guint i = 0; atlas_test_cost_documents[i] != NULL; i++)
    {
      g_auto(GStrv) f = atlas_test_run_child (self_path, "rss", atlas_test_cost_documents[i], 5);

      g_print ("  %-16s %6.2f MiB answer: %6.1f MiB peak (%6.1f with the list shown before it), list state “%s”\n",
               f[0], g_ascii_strtod (f[1], NULL) / (1024.0 * 1024.0), g_ascii_strtod (f[3], NULL),
               g_ascii_strtod (f[2], NULL), f[4]);
    }
}

/* Run rows in the widget tree: how many the list view built for the page. */
static guint
count_rows (GtkWidget *widget)
{
  guint n = ATLAS_IS_RUN_ROW (widget) ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_rows (c);
  return n;
}

static void
report_stall (const char *self_path)
{
  Bench b = { 0 };
  guint n_runs = g_getenv ("BENCH_RUNS") ? (guint) atoi (g_getenv ("BENCH_RUNS")) : 100;
  g_autofree char *a = g_strdup_printf ("page %u 20", n_runs);
  g_autofree char *c = g_strdup_printf ("page %u 19", n_runs);
  gint64 worst = 0, worst_cpu = 0;
  AtlasTestStallMeter first;

  /* The list is shown empty first: the first answer builds every row. */
  bench_init (&b, self_path, "page 0 20");
  server_answer (&b.server, a);
  atlas_test_stall_meter_start (&first);
  atlas_poller_refresh_now (b.poller);
  settle (&b);
  atlas_test_stall_meter_stop (&first);
  g_print ("longest main-loop stall while the %u-run page fills the empty list: %.1f ms "
           "(main-thread CPU within it: %.1f ms; %u runs, %u row widgets, list state “%s”)\n",
           n_runs, first.worst_us / 1000.0, first.worst_cpu_us / 1000.0,
           g_list_model_get_n_items (atlas_operations_list_get_runs (ATLAS_OPERATIONS_LIST (b.list))),
           count_rows (b.window),
           atlas_operations_list_get_state (ATLAS_OPERATIONS_LIST (b.list)));
  for (guint round = 0; round < 20; round++)
    {
      AtlasTestStallMeter meter;

      server_answer (&b.server, round % 2 ? a : c);
      atlas_test_stall_meter_start (&meter);
      atlas_poller_refresh_now (b.poller);
      settle (&b);
      worst = MAX (worst, atlas_test_stall_meter_stop (&meter));
      worst_cpu = MAX (worst_cpu, meter.worst_cpu_us);
    }
  g_print ("longest main-loop stall during a poll of the %u-run page, list shown (20 polls): %.1f ms "
           "(main-thread CPU within it: %.1f ms)\n", n_runs, worst / 1000.0, worst_cpu / 1000.0);
  server_stop (&b.server);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "serve"))
    return serve ();
  gtk_init ();
  adw_init ();

  if (argc == 3 && g_str_equal (argv[1], "rss"))
    return rss_child (argv[0], argv[2]);
  if (argc == 2 && g_str_equal (argv[1], "stall"))
    {
      report_stall (argv[0]);
      return 0;
    }
  report_rss (argv[0]);
  report_stall (argv[0]);
  return 0;
}
