/* test-api.c — endpoint payload parsers: active_operations in the overview and dashboard
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "atlas-api.h"
#include "atlas-json.h"

#define RUN(id, ws, tenant, status) \
  "{\"id\": " #id ", \"workspace_id\": " #ws ", \"tenant_id\": " #tenant ", \"tenant_name\": \"T\"," \
  " \"type\": \"baseline_compare\", \"type_label\": \"Baseline compare\", \"status\": \"" status "\"," \
  " \"outcome\": null, \"freshness\": \"likely_stale\", \"problem_class\": \"active_stale_attention\"," \
  " \"created_at\": \"2026-11-22T10:00:00Z\", \"started_at\": \"2026-11-22T10:00:05Z\"," \
  " \"completed_at\": null, \"last_progress_at\": null, \"lifecycle_window_seconds\": 900," \
  " \"summary_counts\": {}, \"failure_summary\": [], \"initiator\": null, \"initiated_by_me\": false," \
  " \"reconciliation\": null, \"links\": null}"

#define ACTIVE_PAGE \
  "{\"data\": [" RUN (12, 1, 9, "running") ", " RUN (11, 1, 7, "queued") "]," \
  " \"meta\": {\"page\": 1, \"per_page\": 100, \"total\": 140, \"tab\": \"active\"," \
  " \"tab_counts\": {\"all\": 900, \"active\": 140, \"active_stale_attention\": 3," \
  " \"terminal_follow_up\": 20, \"completed\": 760}}}"

#define OVERVIEW(extra) \
  "{\"data\": {\"totals\": {\"active\": 2, \"stale_active\": 2, \"failed_recent\": 0}, \"tenants\": []," \
  " \"recent_operations\": []" extra "}}"

#define DASHBOARD(tenant, extra) \
  "{\"data\": {\"tenant\": " tenant ", \"kpis\": {\"active\": 1, \"stale_active\": 1, \"failed_7d\": 0," \
  " \"succeeded_7d\": 0}, \"needs_attention\": [], \"recent_operations\": [], \"review_pack\": null" extra "}}"

static gpointer
parse (AtlasPayloadParser  parser,
       const char         *text,
       GError            **error)
{
  g_autoptr(JsonParser) json = json_parser_new ();

  g_assert_true (json_parser_load_from_data (json, text, -1, NULL));
  return parser (json_parser_get_root (json), error);
}

static void
assert_active_page (AtlasRunPage *page)
{
  g_assert_nonnull (page);
  g_assert_cmpuint (page->runs->len, ==, 2);
  g_assert_cmpint (atlas_run_get_id (g_ptr_array_index (page->runs, 0)), ==, 12);
  g_assert_true (atlas_run_is_active (g_ptr_array_index (page->runs, 1)));
  g_assert_cmpint (page->total, ==, 140);
  g_assert_cmpint (page->tab_counts[ATLAS_TAB_ACTIVE], ==, 140);
  g_assert_cmpint (page->per_page, ==, 100);
}

static void
test_overview_active_operations (void)
{
  g_autoptr(GError) error = NULL;
  AtlasWorkspaceOverview *o;

  /* An older server: absent, and the overview itself is fine. */
  o = parse (atlas_api_parse_overview, OVERVIEW (""), &error);
  g_assert_no_error (error);
  g_assert_null (o->active_operations);
  atlas_payload_unref (o);

  o = parse (atlas_api_parse_overview, OVERVIEW (", \"active_operations\": null"), &error);
  g_assert_no_error (error);
  g_assert_null (o->active_operations);
  atlas_payload_unref (o);

  o = parse (atlas_api_parse_overview, OVERVIEW (", \"active_operations\": " ACTIVE_PAGE), &error);
  g_assert_no_error (error);
  assert_active_page (o->active_operations);
  /* The nested page is a payload of its own: a widget may keep it past the overview. */
  {
    AtlasRunPage *kept = atlas_payload_ref (o->active_operations);
    atlas_payload_unref (o);
    assert_active_page (kept);
    atlas_payload_unref (kept);
  }

  /* Present but broken is an invalid answer, like any field of the wrong shape. */
  o = parse (atlas_api_parse_overview, OVERVIEW (", \"active_operations\": [1, 2]"), &error);
  g_assert_null (o);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "active_operations"));
  g_clear_error (&error);

  o = parse (atlas_api_parse_overview, OVERVIEW (", \"active_operations\": {\"data\": [{\"id\": \"x\"}],"
                                                 " \"meta\": {\"page\": 1, \"per_page\": 100, \"total\": 1}}"),
             &error);
  g_assert_null (o);
  g_assert_nonnull (error);
  g_clear_error (&error);
}

static void
test_dashboard_active_operations (void)
{
  g_autoptr(GError) error = NULL;
  AtlasDashboard *d;

  d = parse (atlas_api_parse_dashboard,
             DASHBOARD ("{\"id\": 7, \"workspace_id\": 1, \"name\": \"Contoso Ltd\"}",
                        ", \"active_operations\": " ACTIVE_PAGE), &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->workspace_id, ==, 1);
  assert_active_page (d->active_operations);
  atlas_payload_unref (d);

  /* Absent: an older server. */
  d = parse (atlas_api_parse_dashboard,
             DASHBOARD ("{\"id\": 7, \"workspace_id\": 1, \"name\": \"Contoso Ltd\"}", ""), &error);
  g_assert_no_error (error);
  g_assert_null (d->active_operations);
  atlas_payload_unref (d);

  /* Other tenants' runs without the workspace they belong to are not believed. */
  d = parse (atlas_api_parse_dashboard,
             DASHBOARD ("{\"id\": 7, \"name\": \"Contoso Ltd\"}", ", \"active_operations\": " ACTIVE_PAGE),
             &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->workspace_id, ==, 0);
  g_assert_null (d->active_operations);
  atlas_payload_unref (d);

  d = parse (atlas_api_parse_dashboard,
             DASHBOARD ("{\"id\": 7, \"workspace_id\": 1, \"name\": \"Contoso Ltd\"}",
                        ", \"active_operations\": \"soon\""), &error);
  g_assert_null (d);
  g_assert_nonnull (error);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api/overview/active-operations", test_overview_active_operations);
  g_test_add_func ("/api/dashboard/active-operations", test_dashboard_active_operations);

  return g_test_run ();
}
