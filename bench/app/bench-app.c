/* bench-app.c — memory over many poll cycles, and start-up to first data painted
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures; it is not a test. See docs/performance.md. Needs a display:
 *
 *   xvfb-run -a -s "-screen 0 1920x1080x24" env GSK_RENDERER=cairo GSETTINGS_BACKEND=memory \
 *     NO_AT_BRIDGE=1 GTK_A11Y=none bench-app memory [--scenario test|scale] [--tenants 100]
 *     [--cycles 10000] [--warmup 500] [--rows 100]
 *   … bench-app startup [--scenario test|scale] [--bare]
 *
 * memory: the real widgets (run detail of an active run, workspace overview, operations
 * list, active-operations overlay, and a 100-row run list fed like the operations list)
 * side by side in one window, against the in-process backend. Their pollers run on a
 * manual AtlasClock moved 10 s per cycle in lock step with the backend's test clock, so
 * every poller fires once per cycle (all are at their 10 s pace) and nothing sleeps.
 * Before each cycle the 10 active runs are patched (progress, last_progress_at), so every
 * answer is a 200 with a new body: each cycle parses and updates everything on screen.
 * PSS (/proc/self/smaps_rollup) and malloc's bytes in use (mallinfo2) are printed after
 * the warm-up and every 10 % of the cycles.
 *
 * startup: time from before gtk_init() to the overview's first successful load (tenants
 * in its model) and to the first frame painted after it, with the real clock. The backend
 * is seeded before the clock starts.
 */

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>

#include "atlas-active-ops-private.h"
#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-json.h"
#include "atlas-operations-list-private.h"
#include "atlas-overview-private.h"
#include "atlas-run-detail-private.h"
#include "atlas-run-store.h"
#include "atlas-run-list.h"

#define N_ACTIVE   10
#define FIRST_ID   900001
#define STEP_S     10

static char    *opt_scenario = NULL;
static int      opt_tenants = 100;
static int      opt_cycles = 10000;
static int      opt_warmup = 500;
static int      opt_rows = 100;
static gboolean opt_bare = FALSE;

static const GOptionEntry entries[] = {
  { "scenario", 0, 0, G_OPTION_ARG_STRING, &opt_scenario, "Backend scenario: test (default) or scale", "NAME" },
  { "tenants", 0, 0, G_OPTION_ARG_INT, &opt_tenants, "test scenario: grow workspace 1 to N tenants (default 100)", "N" },
  { "cycles", 0, 0, G_OPTION_ARG_INT, &opt_cycles, "memory: measured poll cycles (default 10000)", "N" },
  { "warmup", 0, 0, G_OPTION_ARG_INT, &opt_warmup, "memory: cycles before the first measurement (default 500)", "N" },
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_rows, "memory: rows of the extra run list, 1..100 (default 100)", "N" },
  { "bare", 0, 0, G_OPTION_ARG_NONE, &opt_bare, "startup: a bare AdwApplicationWindow-sized window with a label instead of the overview (the floor)", NULL },
  { NULL }
};

typedef struct
{
  AtlasBackendServer *server;
  AtlasClient        *client;
  AtlasClock         *clock;
  gint64              t0;
  gint64              t;
  GListStore         *rows;        /* the 100-row list */
  gboolean            rows_in_flight;
  GtkWidget          *rows_view;
  GPtrArray          *pollers;
} Bench;

static void
fail (const char *what,
      GError     *error)
{
  g_printerr ("bench-app: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static double
smaps_mb (const char *field)
{
  g_autofree char *text = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return -1;
  line = strstr (text, key);
  return line ? g_ascii_strtod (line + strlen (key), NULL) / 1024.0 : -1;
}

static double
pss_mb (void)
{
  return smaps_mb ("Pss");
}

/* Pages only this process maps: what it costs whatever else shares the libraries. */
static double
uss_mb (void)
{
  return smaps_mb ("Private_Clean") + smaps_mb ("Private_Dirty");
}

static double
heap_mb (void)
{
  struct mallinfo2 mi = mallinfo2 ();

  return (double) (mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
}

static void
server_call (Bench      *b,
             gboolean    insert,
             gint64      id,
             const char *json)
{
  g_autoptr(GError) error = NULL;

  if (insert)
    atlas_backend_server_insert_run_json (b->server, json, &error);
  else
    atlas_backend_server_patch_run_json (b->server, id, json, &error);
  if (error)
    fail (insert ? "insert run" : "patch run", error);
}

static void
insert_run (Bench      *b,
            gint64      id,
            gint64      tenant_id,
            const char *tenant_name,
            gboolean    active,
            gint64      created)
{
  g_autofree char *c = atlas_timestamp_format (created);
  g_autofree char *s = atlas_timestamp_format (created + 2);
  g_autofree char *e = atlas_timestamp_format (created + 60);
  g_autofree char *json = NULL;

  if (active)
    json = g_strdup_printf (
      "{\"id\": %" G_GINT64_FORMAT ", \"workspace_id\": 1, \"tenant_id\": %" G_GINT64_FORMAT ","
      " \"tenant_name\": \"%s\", \"type\": \"baseline_compare\", \"status\": \"running\","
      " \"created_at\": \"%s\", \"started_at\": \"%s\", \"last_progress_at\": \"%s\","
      " \"lifecycle_window_seconds\": 900,"
      " \"summary_counts\": {\"total\": 1000000, \"processed\": 0, \"succeeded\": 0, \"failed\": 0}}",
      id, tenant_id, tenant_name, c, s, s);
  else
    json = g_strdup_printf (
      "{\"id\": %" G_GINT64_FORMAT ", \"workspace_id\": 1, \"tenant_id\": %" G_GINT64_FORMAT ","
      " \"tenant_name\": \"%s\", \"type\": \"policy_backup\", \"status\": \"completed\","
      " \"outcome\": \"succeeded\", \"created_at\": \"%s\", \"started_at\": \"%s\","
      " \"completed_at\": \"%s\", \"lifecycle_window_seconds\": 900,"
      " \"summary_counts\": {\"total\": 10, \"processed\": 10, \"succeeded\": 10, \"failed\": 0}}",
      id, tenant_id, tenant_name, c, s, e);
  server_call (b, TRUE, 0, json);
}

static void
setup_backend (Bench      *b,
               const char *scenario)
{
  AtlasBackendOptions options = { NULL, scenario, TRUE, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  b->server = atlas_backend_server_new (&options, &error);
  if (b->server == NULL)
    fail ("backend", error);
  if (!atlas_backend_server_start (b->server, "127.0.0.1", 0, &error))
    fail ("backend start", error);
  base = atlas_backend_server_dup_base_url (b->server);
  b->client = atlas_client_new (base, atlas_backend_server_get_token (b->server, "operator"), 0, &error);
  if (b->client == NULL)
    fail ("client", error);
}

/* ---------------------------------------------------------------- the 100-row list */

static void
rows_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bench *b = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = atlas_client_fetch_finish (ATLAS_CLIENT (source), result, &error);

  b->rows_in_flight = FALSE;
  if (response == NULL)
    fail ("100-row list", error);
  atlas_run_store_sync (b->rows, ((AtlasRunPage *) response->payload)->runs, NULL);
  g_object_set (b->rows_view, "now", response->server_time, NULL);
}

static void
rows_refresh (Bench *b)
{
  AtlasOperationsQuery query = { ATLAS_TAB_ALL, 0, NULL, NULL, 1, opt_rows };

  b->rows_in_flight = TRUE;
  atlas_client_list_operations_async (b->client, 1, &query, NULL, rows_cb, b);
}

/* ---------------------------------------------------------------- cycles */

static gboolean
busy (Bench *b)
{
  if (b->rows_in_flight)
    return TRUE;
  for (guint i = 0; i < b->pollers->len; i++)
    if (atlas_poller_get_in_flight (g_ptr_array_index (b->pollers, i)))
      return TRUE;
  return FALSE;
}

static void
settle (Bench *b)
{
  while (busy (b))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
cycle (Bench *b)
{
  g_autofree char *now = NULL;

  b->t += STEP_S;
  atlas_backend_server_set_clock (b->server, b->t0 + b->t);
  now = atlas_timestamp_format (b->t0 + b->t);
  for (int i = 0; i < N_ACTIVE; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"last_progress_at\": \"%s\", \"summary_counts\": {\"total\": 1000000, \"processed\": %"
        G_GINT64_FORMAT ", \"succeeded\": %" G_GINT64_FORMAT ", \"failed\": 0}}",
        now, b->t + i, b->t + i);
      server_call (b, FALSE, FIRST_ID + i, json);
    }
  atlas_manual_clock_advance (b->clock, STEP_S * 1000);
  rows_refresh (b);
  settle (b);
}

static GtkWidget *
scrolled (GtkWidget *child,
          int        width)
{
  GtkWidget *sw = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), child);
  gtk_widget_set_size_request (sw, width, -1);
  gtk_widget_set_vexpand (sw, TRUE);
  return sw;
}

static guint64
count (Bench      *b,
       const char *path)
{
  return atlas_backend_server_get_request_count (b->server, path);
}

static void
report (Bench      *b,
        const char *label,
        int         cycles,
        double      pss0,
        double      heap0)
{
  double pss = pss_mb (), heap = heap_mb ();

  g_print ("  %-16s cycles %6d   PSS %7.2f MB (%+6.2f)   USS %7.2f MB   RSS %7.2f MB"
           "   malloc in use %7.2f MB (%+6.2f)\n",
           label, cycles, pss, pss - pss0, uss_mb (), smaps_mb ("Rss"), heap, heap - heap0);
}

static int
run_memory (void)
{
  Bench b = { 0 };
  const char *scenario = opt_scenario ? opt_scenario : "test";
  GtkWidget *window, *box, *detail, *overview, *list, *ops;
  gint64 t_start;
  guint n_tenants;
  double pss0, heap0;
  guint64 req0;

  setup_backend (&b, scenario);
  b.clock = atlas_manual_clock_new ();
  b.t0 = atlas_backend_server_get_clock (b.server);
  atlas_backend_server_set_clock (b.server, b.t0);

  /* Workspace 1 of the test scenario has 12 tenants; grow it with one finished run each.
   * The ten active runs go to five of the new tenants (the first five), started 2 min
   * ago, so every surface is at its 10 s pace. */
  if (strcmp (scenario, "test") == 0)
    for (int i = 12; i < MAX (opt_tenants, 17); i++)
      {
        g_autofree char *name = g_strdup_printf ("Bench Tenant %03d", i);
        insert_run (&b, 800000 + i, 5000 + i, name, FALSE, b.t0 - 7200 - i);
      }
  for (int i = 0; i < N_ACTIVE; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench Tenant %03d", 12 + i % 5);
      insert_run (&b, FIRST_ID + i, 5012 + i % 5, name, TRUE, b.t0 - 120 - i);
    }

  /* The in-process backend's database is in this process too (scale: 200 000 runs). */
  report (&b, "backend ready", 0, pss_mb (), heap_mb ());

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1900, 1000);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  detail = atlas_run_detail_new (b.client, b.clock, 1, FIRST_ID);
  overview = atlas_overview_new (b.client, b.clock, 1);
  list = atlas_operations_list_new (b.client, b.clock, 1, 0);
  ops = atlas_active_ops_new (b.client, b.clock, 1);
  b.rows = g_list_store_new (ATLAS_TYPE_RUN);
  b.rows_view = g_object_new (ATLAS_TYPE_RUN_LIST, "model", b.rows, NULL);
  gtk_box_append (GTK_BOX (box), scrolled (detail, 360));
  gtk_box_append (GTK_BOX (box), scrolled (overview, 420));
  gtk_box_append (GTK_BOX (box), scrolled (list, 420));
  gtk_box_append (GTK_BOX (box), scrolled (ops, 300));
  gtk_box_append (GTK_BOX (box), scrolled (b.rows_view, 360));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (b.rows_view))
    g_main_context_iteration (NULL, TRUE);

  b.pollers = g_ptr_array_new ();
  g_ptr_array_add (b.pollers, atlas_run_watcher_get_poller (atlas_run_detail_get_watcher (ATLAS_RUN_DETAIL (detail))));
  g_ptr_array_add (b.pollers, atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
  g_ptr_array_add (b.pollers, atlas_operations_list_get_poller (ATLAS_OPERATIONS_LIST (list)));
  g_ptr_array_add (b.pollers, atlas_active_ops_get_poller (ATLAS_ACTIVE_OPS (ops)));
  rows_refresh (&b);
  settle (&b);

  n_tenants = g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview)));
  g_print ("memory: scenario %s, overview of %u tenants, operations list %u rows (its page size),"
           " run list %u rows, overlay %u runs, run detail \"%s\"; %d s per cycle\n",
           scenario, n_tenants,
           g_list_model_get_n_items (atlas_operations_list_get_runs (ATLAS_OPERATIONS_LIST (list))),
           g_list_model_get_n_items (G_LIST_MODEL (b.rows)),
           atlas_active_ops_get_count (ATLAS_ACTIVE_OPS (ops)),
           atlas_run_detail_get_headline (ATLAS_RUN_DETAIL (detail)), STEP_S);

  pss0 = pss_mb ();
  heap0 = heap_mb ();
  report (&b, "opened", 0, pss0, heap0);
  t_start = g_get_monotonic_time ();
  for (int i = 0; i < opt_warmup; i++)
    cycle (&b);
  g_print ("  warm-up: %d cycles in %.1f s\n", opt_warmup,
           (g_get_monotonic_time () - t_start) / 1e6);
  pss0 = pss_mb ();
  heap0 = heap_mb ();
  report (&b, "after warm-up", 0, pss0, heap0);

  req0 = count (&b, "/api/v1/");
  t_start = g_get_monotonic_time ();
  atlas_backend_server_reset_request_counts (b.server);
  for (int i = 1; i <= opt_cycles; i++)
    {
      cycle (&b);
      if (i % MAX (opt_cycles / 10, 1) == 0)
        report (&b, "", i, pss0, heap0);
    }
  (void) req0;
  g_print ("  %d cycles in %.1f s (%.1f ms/cycle); requests per cycle: detail %.2f, overview %.2f,"
           " operations %.2f (25-row list widget + %d-row run list + overlay), total %.2f\n",
           opt_cycles, (g_get_monotonic_time () - t_start) / 1e6,
           (g_get_monotonic_time () - t_start) / 1e3 / MAX (opt_cycles, 1),
           (double) count (&b, "/api/v1/workspaces/1/operations/") / opt_cycles,
           (double) count (&b, "/api/v1/workspaces/1/overview") / opt_cycles,
           (double) (count (&b, "/api/v1/workspaces/1/operations") -
                     count (&b, "/api/v1/workspaces/1/operations/")) / opt_cycles,
           opt_rows,
           (double) count (&b, "/api/v1/") / opt_cycles);
  g_print ("  growth over %d cycles: PSS %+.2f MB, malloc in use %+.2f MB (target PSS < 2 MB)\n",
           opt_cycles, pss_mb () - pss0, heap_mb () - heap0);
  g_print ("  detail now \"%s\"\n", atlas_run_detail_get_headline (ATLAS_RUN_DETAIL (detail)));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (b.pollers);
  g_object_unref (b.rows);
  g_object_unref (b.client);
  atlas_backend_server_stop (b.server);
  g_object_unref (b.server);
  g_object_unref (b.clock);
  return 0;
}

/* ---------------------------------------------------------------- start-up */

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  gint64 *painted = user_data;

  if (*painted == 0)
    *painted = g_get_monotonic_time ();
}

/* The floor the overview's start-up is measured against: the same toolkit start and
 * first frame, a window with one label and no data. */
static int
run_startup_bare (void)
{
  gint64 t0, t_init, t_painted = 0;
  GtkWidget *window, *label;
  GdkFrameClock *frame_clock;
  gulong handler;

  t0 = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();
  t_init = g_get_monotonic_time ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  label = gtk_label_new ("TenantAtlas Operator");
  gtk_window_set_child (GTK_WINDOW (window), label);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (label))
    g_main_context_iteration (NULL, TRUE);
  frame_clock = gtk_widget_get_frame_clock (label);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &t_painted);
  gtk_widget_queue_draw (label);
  while (t_painted == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (frame_clock, handler);
  g_print ("startup: bare window: gtk_init+adw_init %.0f ms, first frame %.0f ms\n",
           (t_init - t0) / 1e3, (t_painted - t0) / 1e3);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}

static int
run_startup (int    *argc,
             char ***argv)
{
  Bench b = { 0 };
  const char *scenario = opt_scenario ? opt_scenario : "test";
  gint64 t0, t_init, t_loaded = 0, t_painted = 0;
  GtkWidget *window, *overview;
  GdkFrameClock *frame_clock;
  gulong handler;

  if (opt_bare)
    return run_startup_bare ();
  setup_backend (&b, scenario);          /* seeding is not part of the app's start-up */
  t0 = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();
  t_init = g_get_monotonic_time ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  overview = atlas_overview_new (b.client, atlas_clock_get_default (), 1);
  gtk_window_set_child (GTK_WINDOW (window), overview);
  gtk_window_present (GTK_WINDOW (window));

  while (g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview))) == 0)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () - t0 > 30 * G_USEC_PER_SEC)
        fail ("overview did not load within 30 s", NULL);
    }
  t_loaded = g_get_monotonic_time ();
  frame_clock = gtk_widget_get_frame_clock (overview);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &t_painted);
  gtk_widget_queue_draw (overview);
  while (t_painted == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (frame_clock, handler);

  g_print ("startup: scenario %s, overview of %u tenants: gtk_init+adw_init %.0f ms,"
           " overview loaded %.0f ms, first frame after it %.0f ms (target < 1000 ms)\n",
           scenario, g_list_model_get_n_items (atlas_overview_get_tenants (ATLAS_OVERVIEW (overview))),
           (t_init - t0) / 1e3, (t_loaded - t0) / 1e3, (t_painted - t0) / 1e3);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (b.client);
  atlas_backend_server_stop (b.server);
  g_object_unref (b.server);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("memory|startup");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail ("options", error);
  if (argc != 2 || (strcmp (argv[1], "memory") != 0 && strcmp (argv[1], "startup") != 0))
    {
      g_printerr ("usage: bench-app memory|startup [options]; see --help\n");
      return 2;
    }
  if (opt_rows < 1 || opt_rows > 100 || opt_cycles < 1 || opt_warmup < 0)
    {
      g_printerr ("bench-app: --rows is 1..100, --cycles ≥ 1, --warmup ≥ 0\n");
      return 2;
    }
  if (strcmp (argv[1], "startup") == 0)
    return run_startup (&argc, &argv);
  gtk_init ();
  adw_init ();
  return run_memory ();
}
