/* bench-core.c — presenter throughput and parse + update + present cost; prints figures
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: it measures and prints. Run: _build/bench/bench-core
 */

#include "config.h"

#include <string.h>

#include "atlas-api.h"
#include "atlas-json.h"
#include "atlas-review-pack-presenter.h"
#include "atlas-run-presenter.h"

#define NOW 1795343590   /* 2026-11-22T10:33:10Z */

static const char * const statuses[] = { "queued", "running", "completed", "paused" };
static const char * const outcomes[] = { "succeeded", "partially_succeeded", "failed", "blocked", "cancelled", "odd" };
static const char * const freshness[] = { "fresh", "likely_stale", "reconciled", "tepid", NULL };

static void
append_run (GString *s,
            guint    i,
            GRand   *rand)
{
  const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
  const char *outcome = g_str_equal (status, "completed") ? outcomes[g_rand_int_range (rand, 0, G_N_ELEMENTS (outcomes))] : NULL;
  const char *fresh = freshness[g_rand_int_range (rand, 0, G_N_ELEMENTS (freshness))];
  gint64 created = NOW - g_rand_int_range (rand, 0, 4 * 86400);
  gint64 started = created + g_rand_int_range (rand, 0, 60);
  g_autofree char *c = atlas_timestamp_format (created);
  g_autofree char *st = atlas_timestamp_format (started);
  g_autofree char *done = atlas_timestamp_format (started + g_rand_int_range (rand, 1, 7200));
  gint64 total = g_rand_int_range (rand, 0, 500);

  g_string_append_printf (s,
    "{\"id\": %u, \"workspace_id\": 1, \"tenant_id\": %u, \"tenant_name\": \"Tenant %u\","
    " \"type\": \"baseline_compare\", \"type_label\": \"Baseline compare\", \"status\": \"%s\","
    " \"outcome\": %s%s%s, \"freshness\": %s%s%s, \"problem_class\": %s,"
    " \"created_at\": \"%s\", \"started_at\": \"%s\", \"completed_at\": %s%s%s,"
    " \"last_progress_at\": \"%s\", \"lifecycle_window_seconds\": 900,"
    " \"summary_counts\": {\"total\": %" G_GINT64_FORMAT ", \"processed\": %" G_GINT64_FORMAT ", \"succeeded\": 3},"
    " \"failure_summary\": [{\"reason_code\": \"graph.throttled\", \"message\": \"Microsoft Graph throttled the request\"}],"
    " \"initiator\": {\"id\": 3, \"name\": \"Dana Operator\"}, \"initiated_by_me\": true,"
    " \"reconciliation\": null, \"links\": {\"web\": \"https://atlas.example.test/admin/operations/%u\"}}",
    i + 1, i % 500 + 1, i % 500 + 1, status,
    outcome ? "\"" : "", outcome ? outcome : "null", outcome ? "\"" : "",
    fresh ? "\"" : "", fresh ? fresh : "null", fresh ? "\"" : "",
    outcome && !g_str_equal (outcome, "succeeded") ? "\"terminal_follow_up\"" : "null",
    c, st, outcome ? "\"" : "", outcome ? done : "null", outcome ? "\"" : "", st,
    total, (gint64) g_rand_int_range (rand, 0, (gint32) total + 10), i + 1);
}

static GPtrArray *
make_runs (guint  n,
           GRand *rand)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      GString *s = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      AtlasRun *run;

      append_run (s, i, rand);
      run = atlas_run_new_from_data (s->str, s->len, &error);
      g_assert_no_error (error);
      g_ptr_array_add (runs, run);
      g_string_free (s, TRUE);
    }
  return runs;
}

static char *
make_page (guint  n,
           GRand *rand)
{
  GString *s = g_string_new ("{\"data\": [");

  for (guint i = 0; i < n; i++)
    {
      if (i)
        g_string_append_c (s, ',');
      append_run (s, i, rand);
    }
  g_string_append_printf (s, "], \"meta\": {\"page\": 1, \"per_page\": %u, \"total\": 200000,"
                          " \"tab_counts\": {\"all\": 200000, \"active\": 40, \"active_stale_attention\": 3,"
                          " \"terminal_follow_up\": 900, \"completed\": 199960}}}", n);
  return g_string_free (s, FALSE);
}

static char *
make_overview (guint  tenants,
               GRand *rand)
{
  GString *s = g_string_new ("{\"data\": {\"totals\": {\"active\": 40, \"stale_active\": 3, \"failed_recent\": 12},"
                             " \"tenants\": [");

  for (guint i = 0; i < tenants; i++)
    g_string_append_printf (s, "%s{\"id\": %u, \"name\": \"Tenant %u\", \"active_count\": %d,"
                            " \"stale_active_count\": %d, \"failed_recent_count\": %d, \"needs_attention\": %s,"
                            " \"last_activity_at\": \"2026-11-22T10:01:10Z\"}",
                            i ? "," : "", i + 1, i + 1, g_rand_int_range (rand, 0, 3),
                            g_rand_int_range (rand, 0, 2), g_rand_int_range (rand, 0, 2),
                            g_rand_boolean (rand) ? "true" : "false");
  g_string_append (s, "], \"recent_operations\": [");
  for (guint i = 0; i < 10; i++)
    {
      if (i)
        g_string_append_c (s, ',');
      append_run (s, i, rand);
    }
  g_string_append (s, "]}}");
  return g_string_free (s, FALSE);
}

/* Parse a page, update the previous page's rows in place, present every row. */
static double
page_cycle_ms (const char *json,
               GPtrArray  *on_screen,
               guint       rounds)
{
  gint64 start = g_get_monotonic_time ();

  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = atlas_json_parse (json, strlen (json), &error);
      AtlasRunPage *page = atlas_api_parse_run_page (root, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->runs->len; i++)
        {
          AtlasRun *fresh = g_ptr_array_index (page->runs, i);
          g_autoptr(AtlasRunPresentation) p = NULL;

          if (on_screen->len <= i)
            g_ptr_array_add (on_screen, g_object_ref (fresh));
          else
            atlas_run_update_from (g_ptr_array_index (on_screen, i), fresh);
          p = atlas_run_present (g_ptr_array_index (on_screen, i), NOW);
        }
      atlas_payload_unref (page);
    }
  return (g_get_monotonic_time () - start) / 1000.0 / rounds;
}

static double
overview_cycle_ms (const char *json,
                   guint       rounds)
{
  gint64 start = g_get_monotonic_time ();

  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = atlas_json_parse (json, strlen (json), &error);
      AtlasWorkspaceOverview *o = atlas_api_parse_overview (root, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < o->recent_operations->len; i++)
        {
          g_autoptr(AtlasRunPresentation) p = atlas_run_present (g_ptr_array_index (o->recent_operations, i), NOW);
        }
      atlas_payload_unref (o);
    }
  return (g_get_monotonic_time () - start) / 1000.0 / rounds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) runs = make_runs (100000, rand);
  g_autoptr(GPtrArray) on_screen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *page = make_page (100, rand);
  g_autofree char *overview = make_overview (1000, rand);
  gint64 start, elapsed;
  guint64 chars = 0;

  /* Warm up gettext and the type system once. */
  atlas_run_presentation_free (atlas_run_present (g_ptr_array_index (runs, 0), NOW));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs->len; i++)
    {
      AtlasRunPresentation *p = atlas_run_present (g_ptr_array_index (runs, i), NOW);
      chars += strlen (p->headline);
      atlas_run_presentation_free (p);
    }
  elapsed = g_get_monotonic_time () - start;

  g_print ("presenter: %u varied runs in %.1f ms → %.0f presentations/s (%.2f µs each)\n",
           runs->len, elapsed / 1000.0, runs->len / (elapsed / 1e6), (double) elapsed / runs->len);
  g_print ("page of 100 runs, parse + update in place + present: %.3f ms (target < 2 ms; %zu bytes)\n",
           page_cycle_ms (page, on_screen, 200), strlen (page));
  g_print ("overview of 1,000 tenants, parse + present: %.3f ms (target < 20 ms; %zu bytes)\n",
           overview_cycle_ms (overview, 50), strlen (overview));
  return chars > 0 ? 0 : 1;
}
