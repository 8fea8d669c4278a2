/* test-model.c — fixture runs parse field for field; updates notify only changes
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "atlas-json.h"
#include "atlas-review-pack.h"
#include "atlas-run.h"
#include "atlas-tenant-summary.h"
#include "atlas-test-utils.h"

static void
assert_timestamp (gint64      actual,
                  JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_assert_cmpint (actual, ==, ATLAS_TIME_NONE);
  else
    {
      g_autofree char *text = atlas_timestamp_format (actual);
      g_assert_cmpstr (text, ==, json_node_get_string (node));
    }
}

static const char *
string_or_null (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

/* Every field of the fixture must come out of the model unchanged, except what the
 * contract tells clients to normalize (unknown enums, invalid counts). */
static void
assert_run_matches (AtlasRun   *run,
                    JsonObject *o)
{
  const AtlasSummaryCounts *counts = atlas_run_get_summary_counts (run);
  JsonObject *sc = json_object_get_object_member (o, "summary_counts");
  JsonArray *failures = json_object_get_array_member (o, "failure_summary");
  JsonNode *initiator = json_object_get_member (o, "initiator");
  JsonNode *reconciliation = json_object_get_member (o, "reconciliation");
  const char *status = string_or_null (o, "status");

  g_assert_cmpint (atlas_run_get_id (run), ==, json_object_get_int_member (o, "id"));
  g_assert_cmpint (atlas_run_get_workspace_id (run), ==, json_object_get_int_member (o, "workspace_id"));
  g_assert_cmpint (atlas_run_get_tenant_id (run), ==, json_object_get_int_member (o, "tenant_id"));
  g_assert_cmpstr (atlas_run_get_tenant_name (run), ==, string_or_null (o, "tenant_name"));
  g_assert_cmpstr (atlas_run_get_run_type (run), ==, string_or_null (o, "type"));
  g_assert_cmpstr (atlas_run_get_type_label (run), ==, string_or_null (o, "type_label"));
  g_assert_cmpstr (atlas_run_get_status_text (run), ==, status);
  g_assert_cmpstr (atlas_run_get_outcome_text (run), ==, string_or_null (o, "outcome"));
  g_assert_cmpstr (atlas_freshness_to_string (atlas_run_get_freshness (run)), ==,
                   string_or_null (o, "freshness"));
  g_assert_cmpstr (atlas_problem_class_to_string (atlas_run_get_problem_class (run)), ==,
                   string_or_null (o, "problem_class"));
  assert_timestamp (atlas_run_get_created_at (run), o, "created_at");
  assert_timestamp (atlas_run_get_started_at (run), o, "started_at");
  assert_timestamp (atlas_run_get_completed_at (run), o, "completed_at");
  assert_timestamp (atlas_run_get_last_progress_at (run), o, "last_progress_at");
  g_assert_cmpint (atlas_run_get_lifecycle_window (run), ==,
                   json_object_get_int_member (o, "lifecycle_window_seconds"));
  g_assert_cmpint (atlas_run_get_initiated_by_me (run), ==,
                   json_object_get_boolean_member (o, "initiated_by_me"));

  if (g_strcmp0 (status, "queued") == 0 || g_strcmp0 (status, "running") == 0)
    g_assert_true (atlas_run_is_active (run));
  else
    g_assert_false (atlas_run_is_active (run));
  if (g_strcmp0 (status, "paused") == 0)
    g_assert_cmpint (atlas_run_get_status (run), ==, ATLAS_RUN_STATUS_UNKNOWN);

  for (guint k = 0; k < ATLAS_N_COUNTS; k++)
    {
      const char *key = atlas_count_key_to_string (k);
      JsonNode *node = json_object_get_member (sc, key);
      gint64 v;
      gboolean valid = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                       json_node_get_value_type (node) == G_TYPE_INT64 &&
                       json_node_get_int (node) >= 0;

      g_assert_cmpint (atlas_summary_counts_get (counts, k, &v), ==, valid);
      if (valid)
        g_assert_cmpint (v, ==, json_node_get_int (node));
    }

  g_assert_cmpuint (atlas_run_get_n_failures (run), ==, json_array_get_length (failures));
  for (guint i = 0; i < json_array_get_length (failures); i++)
    {
      JsonObject *f = json_array_get_object_element (failures, i);
      const AtlasFailureEntry *e = atlas_run_get_failure (run, i);

      g_assert_cmpstr (e->reason_code, ==, json_object_get_string_member (f, "reason_code"));
      g_assert_cmpstr (e->message, ==, json_object_get_string_member (f, "message"));
    }

  if (JSON_NODE_HOLDS_OBJECT (initiator))
    {
      JsonObject *i = json_node_get_object (initiator);
      g_assert_cmpint (atlas_run_get_initiator_id (run), ==, json_object_get_int_member (i, "id"));
      g_assert_cmpstr (atlas_run_get_initiator_name (run), ==, json_object_get_string_member (i, "name"));
    }
  else
    g_assert_null (atlas_run_get_initiator_name (run));

  if (JSON_NODE_HOLDS_OBJECT (reconciliation))
    {
      JsonObject *r = json_node_get_object (reconciliation);
      assert_timestamp (atlas_run_get_reconciled_at (run), r, "reconciled_at");
      g_assert_cmpstr (atlas_run_get_reconciliation_reason (run), ==,
                       json_object_get_string_member (r, "reason_code"));
      g_assert_cmpstr (atlas_run_get_previous_status (run), ==,
                       json_object_get_string_member (r, "previous_status"));
    }
  else
    {
      g_assert_null (atlas_run_get_reconciliation_reason (run));
      g_assert_cmpint (atlas_run_get_reconciled_at (run), ==, ATLAS_TIME_NONE);
    }

  g_assert_cmpstr (atlas_run_get_web_url (run), ==,
                   json_object_get_string_member (json_object_get_object_member (o, "links"), "web"));
}

static void
test_fixture_runs (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("presenter-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");

  g_assert_cmpuint (json_array_get_length (cases), >=, 14);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonObject *o = json_object_get_object_member (c, "run");
      g_autoptr(GError) error = NULL;
      g_autoptr(AtlasRun) run = NULL;

      g_test_message ("case %s", json_object_get_string_member (c, "name"));
      run = atlas_run_new_from_json (o, &error);
      g_assert_no_error (error);
      g_assert_nonnull (run);
      assert_run_matches (run, o);
    }
}

static void
test_fixture_review_packs (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("review-pack-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonNode *node = json_object_get_member (c, "review_pack");
      g_autoptr(GError) error = NULL;
      g_autoptr(AtlasReviewPack) pack = NULL;
      JsonObject *o;
      const char *status;

      if (JSON_NODE_HOLDS_NULL (node))
        continue;
      o = json_node_get_object (node);
      status = json_object_get_string_member (o, "status");
      pack = atlas_review_pack_new_from_json (o, &error);
      g_assert_no_error (error);
      g_assert_cmpint (atlas_review_pack_get_id (pack), ==, json_object_get_int_member (o, "id"));
      g_assert_cmpint (atlas_review_pack_get_tenant_id (pack), ==, 7);
      g_assert_cmpint (atlas_review_pack_get_operation_run_id (pack), ==, 31);
      g_assert_cmpstr (atlas_review_pack_get_status_text (pack), ==, status);
      assert_timestamp (atlas_review_pack_get_generated_at (pack), o, "generated_at");
      assert_timestamp (atlas_review_pack_get_expires_at (pack), o, "expires_at");
      g_assert_cmpstr (atlas_review_pack_get_download_url (pack), ==, string_or_null (o, "download_url"));
      if (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "file_size")))
        g_assert_cmpint (atlas_review_pack_get_file_size (pack), ==, -1);
      else
        g_assert_cmpint (atlas_review_pack_get_file_size (pack), ==,
                         json_object_get_int_member (o, "file_size"));

      if (g_str_equal (status, "archived"))
        g_assert_cmpint (atlas_review_pack_get_status (pack), ==, ATLAS_REVIEW_PACK_STATUS_UNKNOWN);
      g_assert_cmpint (atlas_review_pack_is_active (pack), ==,
                       g_str_equal (status, "queued") || g_str_equal (status, "generating"));
    }
}

static void
test_summary_counts_filter (void)
{
  g_autoptr(AtlasRun) run = atlas_test_run_new (
    "{\"id\": 5, \"status\": \"running\", \"summary_counts\": {"
    "\"total\": \"120\", \"processed\": 45, \"succeeded\": -3, \"failed\": 1.5,"
    "\"skipped\": {\"n\": 1}, \"created\": [1], \"updated\": null, \"deleted\": true,"
    "\"items\": 7.0, \"bogus\": 9}}");
  const AtlasSummaryCounts *counts = atlas_run_get_summary_counts (run);
  gint64 v = -1;

  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_TOTAL, NULL));
  g_assert_true (atlas_summary_counts_get (counts, ATLAS_COUNT_PROCESSED, &v));
  g_assert_cmpint (v, ==, 45);
  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_SUCCEEDED, NULL));
  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_FAILED, NULL));
  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_SKIPPED, NULL));
  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_CREATED, NULL));
  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_UPDATED, NULL));
  g_assert_false (atlas_summary_counts_get (counts, ATLAS_COUNT_DELETED, NULL));
  g_assert_true (atlas_summary_counts_get (counts, ATLAS_COUNT_ITEMS, &v));
  g_assert_cmpint (v, ==, 7);
  g_assert_cmpuint (counts->present, ==, (1u << ATLAS_COUNT_PROCESSED) | (1u << ATLAS_COUNT_ITEMS));
}

static void
test_unknown_enums (void)
{
  g_autoptr(AtlasRun) run = atlas_test_run_new (
    "{\"id\": 6, \"status\": \"hibernating\", \"outcome\": \"exploded\","
    " \"freshness\": \"tepid\", \"problem_class\": \"mystery\", \"extra\": {\"x\": [1]}}");
  g_autoptr(AtlasRun) missing = atlas_test_run_new ("{\"id\": 7}");

  g_assert_cmpint (atlas_run_get_status (run), ==, ATLAS_RUN_STATUS_UNKNOWN);
  g_assert_cmpstr (atlas_run_get_status_text (run), ==, "hibernating");
  g_assert_cmpint (atlas_run_get_outcome (run), ==, ATLAS_RUN_OUTCOME_UNKNOWN);
  g_assert_cmpint (atlas_run_get_freshness (run), ==, ATLAS_FRESHNESS_UNKNOWN);
  g_assert_cmpint (atlas_run_get_problem_class (run), ==, ATLAS_PROBLEM_CLASS_UNKNOWN);
  g_assert_false (atlas_run_is_active (run));

  g_assert_cmpint (atlas_run_get_status (missing), ==, ATLAS_RUN_STATUS_UNKNOWN);
  g_assert_cmpint (atlas_run_get_outcome (missing), ==, ATLAS_RUN_OUTCOME_NONE);
  g_assert_cmpint (atlas_run_get_freshness (missing), ==, ATLAS_FRESHNESS_NONE);
  g_assert_false (atlas_run_is_active (missing));
}

static void
test_failure_summary_capped (void)
{
  GString *json = g_string_new ("{\"id\": 8, \"failure_summary\": [");
  g_autoptr(AtlasRun) run = NULL;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (json, "%s{\"reason_code\": \"r%u\", \"message\": \"m%u\"}",
                            i ? "," : "", i, i);
  g_string_append (json, "]}");
  run = atlas_test_run_new (json->str);
  g_string_free (json, TRUE);

  g_assert_cmpuint (atlas_run_get_n_failures (run), ==, ATLAS_FAILURE_SUMMARY_MAX);
  g_assert_cmpstr (atlas_run_get_failure (run, 19)->message, ==, "m19");
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (pspec->name));
}

static gboolean
contains (GPtrArray  *seen,
          const char *name)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), name))
      return TRUE;
  return FALSE;
}

static void
test_update_notifies_only_changes (void)
{
  const char *before =
    "{\"id\": 15, \"tenant_id\": 7, \"tenant_name\": \"Contoso\", \"status\": \"running\","
    " \"freshness\": \"fresh\", \"started_at\": \"2026-11-22T10:00:00Z\","
    " \"last_progress_at\": \"2026-11-22T10:01:00Z\","
    " \"summary_counts\": {\"total\": 10, \"processed\": 2}, \"failure_summary\": []}";
  const char *same_again = before;
  const char *progressed =
    "{\"id\": 15, \"tenant_id\": 7, \"tenant_name\": \"Contoso\", \"status\": \"running\","
    " \"freshness\": \"fresh\", \"started_at\": \"2026-11-22T10:00:00Z\","
    " \"last_progress_at\": \"2026-11-22T10:02:00Z\","
    " \"summary_counts\": {\"total\": 10, \"processed\": 5}, \"failure_summary\": []}";
  const char *finished =
    "{\"id\": 15, \"tenant_id\": 7, \"tenant_name\": \"Contoso\", \"status\": \"completed\","
    " \"outcome\": \"failed\", \"freshness\": \"fresh\", \"started_at\": \"2026-11-22T10:00:00Z\","
    " \"last_progress_at\": \"2026-11-22T10:02:00Z\","
    " \"summary_counts\": {\"total\": 10, \"processed\": 5},"
    " \"failure_summary\": [{\"reason_code\": \"x\", \"message\": \"Boom\"}]}";
  g_autoptr(AtlasRun) run = atlas_test_run_new (before);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  AtlasRun *newer;

  g_signal_connect (run, "notify", G_CALLBACK (notify_cb), seen);

  newer = atlas_test_run_new (same_again);
  g_assert_false (atlas_run_update_from (run, newer));
  g_object_unref (newer);
  g_assert_cmpuint (seen->len, ==, 0);

  newer = atlas_test_run_new (progressed);
  g_assert_true (atlas_run_update_from (run, newer));
  g_object_unref (newer);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_true (contains (seen, "last-progress-at"));
  g_assert_true (contains (seen, "summary-counts"));
  g_ptr_array_set_size (seen, 0);

  newer = atlas_test_run_new (finished);
  g_assert_true (atlas_run_update_from (run, newer));
  g_object_unref (newer);
  g_assert_true (contains (seen, "status"));
  g_assert_true (contains (seen, "status-text"));
  g_assert_true (contains (seen, "outcome"));
  g_assert_true (contains (seen, "outcome-text"));
  g_assert_true (contains (seen, "failure-summary"));
  g_assert_true (contains (seen, "is-active"));
  g_assert_false (contains (seen, "tenant-name"));
  g_assert_false (contains (seen, "summary-counts"));
  g_assert_cmpuint (seen->len, ==, 6);
  g_assert_cmpstr (atlas_run_get_failure (run, 0)->message, ==, "Boom");
  g_assert_false (atlas_run_is_active (run));
}

static void
test_tenant_summary (void)
{
  const char *json =
    "{\"id\": 7, \"name\": \"Contoso Ltd\", \"active_count\": 2, \"stale_active_count\": 1,"
    " \"failed_recent_count\": 0, \"needs_attention\": true,"
    " \"last_activity_at\": \"2026-11-22T10:01:10Z\", \"future_field\": 1}";
  g_autoptr(JsonNode) node = atlas_json_parse (json, strlen (json), NULL);
  g_autoptr(AtlasTenantSummary) t = atlas_tenant_summary_new_from_json (json_node_get_object (node), NULL);
  g_autoptr(JsonNode) bad = atlas_json_parse ("{\"id\": 7, \"active_count\": -2}", 29, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasTenantSummary) refused = NULL;

  g_assert_nonnull (t);
  g_assert_cmpint (atlas_tenant_summary_get_id (t), ==, 7);
  g_assert_cmpstr (atlas_tenant_summary_get_name (t), ==, "Contoso Ltd");
  g_assert_cmpint (atlas_tenant_summary_get_active_count (t), ==, 2);
  g_assert_cmpint (atlas_tenant_summary_get_stale_active_count (t), ==, 1);
  g_assert_true (atlas_tenant_summary_get_needs_attention (t));
  g_assert_cmpint (atlas_tenant_summary_get_last_activity_at (t), ==,
                   atlas_timestamp_parse ("2026-11-22T10:01:10Z"));

  refused = atlas_tenant_summary_new_from_json (json_node_get_object (bad), &error);
  g_assert_null (refused);
  g_assert_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/model/fixture-runs", test_fixture_runs);
  g_test_add_func ("/core/model/fixture-review-packs", test_fixture_review_packs);
  g_test_add_func ("/core/model/summary-counts-filter", test_summary_counts_filter);
  g_test_add_func ("/core/model/unknown-enums", test_unknown_enums);
  g_test_add_func ("/core/model/failure-summary-capped", test_failure_summary_capped);
  g_test_add_func ("/core/model/update-notifies-only-changes", test_update_notifies_only_changes);
  g_test_add_func ("/core/model/tenant-summary", test_tenant_summary);

  return g_test_run ();
}
