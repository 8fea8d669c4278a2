/* test-presenter.c — the fixture table, the eight hard rules, and the German wording
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "atlas-duration.h"
#include "atlas-kpi-presenter.h"
#include "atlas-json.h"
#include "atlas-poll-policy.h"
#include "atlas-review-pack-presenter.h"
#include "atlas-review-pack.h"
#include "atlas-run-presenter.h"
#include "atlas-run.h"
#include "atlas-tenant-presenter.h"
#include "atlas-tenant-summary.h"
#include "atlas-test-utils.h"

static void
use_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* A real locale change makes gettext drop its cached lookups; setting the same
   * locale again would not. */
  setlocale (LC_ALL, "C");
  setlocale (LC_ALL, "C.UTF-8");
}

static gint64
fixture_now (JsonNode *root)
{
  return atlas_timestamp_parse (json_object_get_string_member (json_node_get_object (root), "now"));
}

/* A run at server time NOW = 2026-11-22T10:33:10Z with the given fields. */
#define NOW 1795343590
static AtlasRun *
make_run (const char *status,
          const char *freshness,
          const char *extra)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": 1, \"status\": %s, \"freshness\": %s, \"lifecycle_window_seconds\": 900,"
    " \"created_at\": \"2026-11-22T10:00:00Z\"%s%s%s}",
    status, freshness,
    extra != NULL && strstr (extra, "started_at") ? "" : ", \"started_at\": \"2026-11-22T10:00:10Z\"",
    extra ? ", " : "", extra ? extra : "");
  return atlas_test_run_new (json);
}

static void
assert_badge (const AtlasBadge *badge,
              JsonObject       *expect)
{
  g_assert_cmpstr (badge->label, ==, json_object_get_string_member (expect, "label"));
  g_assert_cmpstr (atlas_tone_to_string (badge->tone), ==, json_object_get_string_member (expect, "tone"));
  g_assert_nonnull (badge->icon_name);
}

static void
assert_not_contains (const char *haystack,
                     const char *needle)
{
  if (haystack != NULL && strstr (haystack, needle) != NULL)
    g_error ("“%s” must not contain “%s”", haystack, needle);
}

/* Every field given in `expect` must match; absent fields are unconstrained. */
static void
test_fixture_table (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("presenter-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");
  gint64 now = fixture_now (root);
  guint checked = 0;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonObject *e = json_object_get_object_member (c, "expect");
      g_autoptr(GError) error = NULL;
      g_autoptr(AtlasRun) run = atlas_run_new_from_json (json_object_get_object_member (c, "run"), &error);
      g_autoptr(AtlasRunPresentation) p = NULL;
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      g_test_message ("case %s", json_object_get_string_member (c, "name"));
      g_assert_no_error (error);
      p = atlas_run_present (run, now);

      json_object_iter_init (&iter, e);
      while (json_object_iter_next (&iter, &key, &value))
        {
          checked++;
          if (g_str_equal (key, "lifecycle"))
            g_assert_cmpstr (atlas_lifecycle_to_string (p->lifecycle), ==, json_node_get_string (value));
          else if (g_str_equal (key, "is_active"))
            g_assert_cmpint (p->is_active, ==, json_node_get_boolean (value));
          else if (g_str_equal (key, "status_badge"))
            assert_badge (&p->status_badge, json_node_get_object (value));
          else if (g_str_equal (key, "freshness_badge"))
            {
              if (JSON_NODE_HOLDS_NULL (value))
                g_assert_false (p->has_freshness_badge);
              else
                {
                  g_assert_true (p->has_freshness_badge);
                  assert_badge (&p->freshness_badge, json_node_get_object (value));
                }
            }
          else if (g_str_equal (key, "attention"))
            g_assert_cmpint (p->attention, ==, json_node_get_boolean (value));
          else if (g_str_equal (key, "headline"))
            g_assert_cmpstr (p->headline, ==, json_node_get_string (value));
          else if (g_str_equal (key, "guidance"))
            g_assert_cmpstr (p->guidance, ==, JSON_NODE_HOLDS_NULL (value) ? NULL : json_node_get_string (value));
          else if (g_str_equal (key, "progress"))
            g_assert_cmpstr (atlas_progress_kind_to_string (p->progress), ==, json_node_get_string (value));
          else if (g_str_equal (key, "fraction"))
            g_assert_cmpfloat_with_epsilon (p->fraction, json_node_get_double (value), 1e-9);
          else if (g_str_equal (key, "counts_text"))
            g_assert_cmpstr (p->counts_text, ==, json_node_get_string (value));
          else if (g_str_equal (key, "poll_interval_ms"))
            g_assert_cmpint (p->poll_interval_ms, ==, json_node_get_int (value));
          else if (g_str_equal (key, "forbidden"))
            {
              JsonArray *forbidden = json_node_get_array (value);

              for (guint f = 0; f < json_array_get_length (forbidden); f++)
                {
                  const char *word = json_array_get_string_element (forbidden, f);

                  assert_not_contains (p->headline, word);
                  assert_not_contains (p->guidance, word);
                  assert_not_contains (p->accessible_description, word);
                }
            }
          else
            g_error ("fixture field “%s” is not checked by this test", key);
        }
    }

  g_assert_cmpuint (checked, >, 100);
}

static void
test_review_pack_table (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("review-pack-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");
  gint64 now = fixture_now (root);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonObject *e = json_object_get_object_member (c, "expect");
      JsonNode *node = json_object_get_member (c, "review_pack");
      g_autoptr(AtlasReviewPack) pack = NULL;
      g_autoptr(AtlasReviewPackPresentation) p = NULL;

      g_test_message ("case %s", json_object_get_string_member (c, "name"));
      if (!JSON_NODE_HOLDS_NULL (node))
        {
          g_autoptr(GError) error = NULL;
          pack = atlas_review_pack_new_from_json (json_node_get_object (node), &error);
          g_assert_no_error (error);
        }
      p = atlas_review_pack_present (pack, now);
      g_assert_cmpstr (p->badge.label, ==, json_object_get_string_member (e, "label"));
      g_assert_cmpstr (atlas_tone_to_string (p->badge.tone), ==, json_object_get_string_member (e, "tone"));
      g_assert_cmpint (p->poll_interval_ms, ==, json_object_get_int_member (e, "poll_interval_ms"));
      g_assert_nonnull (p->badge.icon_name);
      g_assert_nonnull (p->accessible_description);

      if (g_str_equal (json_object_get_string_member (c, "name"), "ready"))
        /* "Ready (with generated date and size)" */
        {
          g_assert_cmpstr (p->detail, ==, "Generated 22 Nov 2026 · 482.1\u00a0kB");
          g_assert_cmpstr (p->expiry, ==, "Expires 22 Dec 2026");
          g_assert_true (p->downloadable);
          /* Past its expiry the file is gone, whatever the status still says. */
          {
            g_autoptr(AtlasReviewPackPresentation) later =
              atlas_review_pack_present (pack, atlas_review_pack_get_expires_at (pack));

            g_assert_cmpstr (later->badge.label, ==, "Expired");
            g_assert_false (later->downloadable);
            g_assert_null (later->detail);
          }
        }
      else if (p->badge.tone != ATLAS_TONE_SUCCESS)
        g_assert_null (p->expiry);
    }
}

static void
test_duration_format (void)
{
  static const struct { gint64 s; const char *text; } cases[] = {
    { -30, "0 s" }, { 0, "0 s" }, { 12, "12 s" }, { 59, "59 s" }, { 60, "1 min" },
    { 180, "3 min" }, { 3599, "59 min" }, { 3600, "1 h" }, { 7200, "2 h" },
    { 7500, "2 h 5 min" }, { 7559, "2 h 5 min" }, { 86399, "23 h 59 min" }, { 86400, "1 d" },
    { 3 * 86400 + 4 * 3600 + 59 * 60, "3 d 4 h" }, { 3 * 86400, "3 d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = atlas_format_duration (cases[i].s);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Rule 1: the queue's and the worker's reassurance never appear for a stale run. */
static void
test_rule1_no_reassurance_when_stale (void)
{
  static const char * const statuses[] = { "\"queued\"", "\"running\"" };
  static const char * const counts[] = {
    NULL, "\"summary_counts\": {}", "\"summary_counts\": {\"total\": 10, \"processed\": 3}",
    "\"summary_counts\": {\"total\": 0, \"processed\": 0}",
  };

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
      {
        g_autoptr(AtlasRun) run = make_run (statuses[s], "\"likely_stale\"", counts[c]);
        g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, NOW);

        for (guint k = 0; k < 2; k++)
          {
            const char *word = k == 0 ? "Waiting for a worker." : "Progress details pending.";
            assert_not_contains (p->headline, word);
            assert_not_contains (p->guidance, word);
            assert_not_contains (p->accessible_description, word);
          }
      }
}

/* Rule 2: a likely-stale run carries the badge and attention, on every surface —
 * including the overlay and the list's poll decision. */
static void
test_rule2_stale_never_calm (void)
{
  static const char * const statuses[] = { "\"queued\"", "\"running\"" };

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(AtlasRun) run = make_run (statuses[s], "\"likely_stale\"",
                                          "\"problem_class\": \"active_stale_attention\"");
      g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, NOW);
      AtlasRun *rows[] = { run };

      g_assert_true (p->has_freshness_badge);
      g_assert_cmpstr (p->freshness_badge.label, ==, "Likely stale");
      g_assert_cmpint (p->freshness_badge.tone, ==, ATLAS_TONE_WARNING);
      g_assert_cmpint (p->status_badge.tone, ==, ATLAS_TONE_WARNING);
      g_assert_true (p->attention);
      g_assert_true (p->is_active);
      g_assert_true (atlas_poll_policy_overlay_shows (run));
      g_assert_cmpuint (atlas_poll_interval_for_runs (rows, 1), ==, ATLAS_POLL_COLLECTION_MS);
      g_assert_nonnull (strstr (p->accessible_description, "Likely stale"));
    }
}

/* Rule 3: determinate only with total > 0 and processed ≥ 0; fraction clamped. */
static void
test_rule3_determinate_progress (void)
{
  static const struct {
    const char *counts;
    AtlasProgressKind kind;
    double fraction;
  } cases[] = {
    { "\"summary_counts\": {\"total\": 120, \"processed\": 45}", ATLAS_PROGRESS_DETERMINATE, 0.375 },
    { "\"summary_counts\": {\"total\": 10, \"processed\": 25}", ATLAS_PROGRESS_DETERMINATE, 1.0 },
    { "\"summary_counts\": {\"total\": 10, \"processed\": 0}", ATLAS_PROGRESS_DETERMINATE, 0.0 },
    { "\"summary_counts\": {\"total\": 0, \"processed\": 0}", ATLAS_PROGRESS_INDETERMINATE, 0 },
    { "\"summary_counts\": {\"total\": 10}", ATLAS_PROGRESS_INDETERMINATE, 0 },
    { "\"summary_counts\": {\"processed\": 10}", ATLAS_PROGRESS_INDETERMINATE, 0 },
    { "\"summary_counts\": {\"total\": \"10\", \"processed\": 5}", ATLAS_PROGRESS_INDETERMINATE, 0 },
    { "\"summary_counts\": {\"total\": 10, \"processed\": -5}", ATLAS_PROGRESS_INDETERMINATE, 0 },
    { "\"summary_counts\": {\"total\": 10.5, \"processed\": 5}", ATLAS_PROGRESS_INDETERMINATE, 0 },
    { NULL, ATLAS_PROGRESS_INDETERMINATE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AtlasRun) run = make_run ("\"running\"", "\"fresh\"", cases[i].counts);
      g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, NOW);

      g_test_message ("counts %s", cases[i].counts);
      g_assert_cmpint (p->progress, ==, cases[i].kind);
      if (p->progress == ATLAS_PROGRESS_DETERMINATE)
        {
          g_assert_cmpfloat_with_epsilon (p->fraction, cases[i].fraction, 1e-9);
          g_assert_cmpfloat (p->fraction, <=, 1.0);
          /* The compact overlay shows no percentage: counts only. */
          g_assert_null (strchr (p->counts_text, '%'));
        }
      else
        {
          g_assert_null (p->counts_text);
          /* Indeterminate shows elapsed time instead. */
          g_assert_cmpstr (p->elapsed_text, ==, "33 min");
        }
    }
}

/* Rule 4: terminal and unknown runs never appear in the active-operations overlay. */
static void
test_rule4_overlay_active_only (void)
{
  static const char * const terminal[] = {
    "\"outcome\": \"succeeded\"", "\"outcome\": \"failed\"", "\"outcome\": \"cancelled\"",
    "\"outcome\": \"blocked\"", "\"outcome\": \"partially_succeeded\"", "\"outcome\": \"mystery\"",
  };
  g_autoptr(AtlasRun) unknown = make_run ("\"paused\"", "\"fresh\"", NULL);
  g_autoptr(AtlasRun) missing = make_run ("null", "null", NULL);
  g_autoptr(AtlasRun) queued = make_run ("\"queued\"", "\"fresh\"", NULL);
  AtlasRun *only_terminal[G_N_ELEMENTS (terminal) + 2];

  for (guint i = 0; i < G_N_ELEMENTS (terminal); i++)
    {
      only_terminal[i] = make_run ("\"completed\"", "null", terminal[i]);
      g_assert_false (atlas_poll_policy_overlay_shows (only_terminal[i]));
    }
  only_terminal[G_N_ELEMENTS (terminal)] = unknown;
  only_terminal[G_N_ELEMENTS (terminal) + 1] = missing;
  g_assert_false (atlas_poll_policy_overlay_shows (unknown));
  g_assert_false (atlas_poll_policy_overlay_shows (missing));
  g_assert_true (atlas_poll_policy_overlay_shows (queued));
  /* An overlay holding only terminal or unknown runs has no timer at all. */
  g_assert_cmpuint (atlas_poll_interval_for_runs (only_terminal, G_N_ELEMENTS (only_terminal)), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (terminal); i++)
    g_object_unref (only_terminal[i]);
}

/* Rule 5: 0 for terminal and unknown; the age rule for active, stale included. */
static void
test_rule5_poll_interval (void)
{
  static const struct { gint64 age; guint ms; } ages[] = {
    { -5, 1000 }, { 0, 1000 }, { 9, 1000 }, { 10, 5000 }, { 59, 5000 }, { 60, 10000 }, { 86400, 10000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    {
      g_autoptr(AtlasRun) running = make_run ("\"running\"", "\"fresh\"", NULL);
      g_autoptr(AtlasRun) stale = make_run ("\"running\"", "\"likely_stale\"", NULL);
      gint64 start = atlas_run_get_started_at (running);
      g_autoptr(AtlasRunPresentation) p = atlas_run_present (running, start + ages[i].age);
      g_autoptr(AtlasRunPresentation) ps = atlas_run_present (stale, start + ages[i].age);

      g_assert_cmpuint (p->poll_interval_ms, ==, ages[i].ms);
      g_assert_cmpuint (ps->poll_interval_ms, ==, ages[i].ms);
    }

  {
    /* Queued runs age from created_at. */
    g_autoptr(AtlasRun) queued = make_run ("\"queued\"", "\"fresh\"", "\"started_at\": null");
    gint64 created = atlas_run_get_created_at (queued);
    g_autoptr(AtlasRunPresentation) p = atlas_run_present (queued, created + 3);
    g_assert_cmpuint (p->poll_interval_ms, ==, 1000);
  }

  {
    g_autoptr(AtlasRun) done = make_run ("\"completed\"", "null", "\"outcome\": \"succeeded\"");
    g_autoptr(AtlasRun) reconciled = make_run ("\"completed\"", "\"reconciled\"", "\"outcome\": \"failed\"");
    g_autoptr(AtlasRun) unknown = make_run ("\"paused\"", "\"fresh\"", NULL);
    g_autoptr(AtlasRunPresentation) a = atlas_run_present (done, NOW);
    g_autoptr(AtlasRunPresentation) b = atlas_run_present (reconciled, NOW);
    g_autoptr(AtlasRunPresentation) c = atlas_run_present (unknown, NOW);

    g_assert_cmpuint (a->poll_interval_ms, ==, 0);
    g_assert_cmpuint (b->poll_interval_ms, ==, 0);
    g_assert_cmpuint (c->poll_interval_ms, ==, 0);
  }
}

/* Rule 6: unknown enum values never crash, never count as active, never poll. */
static void
test_rule6_unknown_enums (void)
{
  static const char * const statuses[] = { "\"paused\"", "\"\"", "null", "\"RUNNING\"", "\"queued \"" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(AtlasRun) run = make_run (statuses[i], "\"fresh\"", NULL);
      g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, NOW);

      g_assert_cmpint (p->lifecycle, ==, ATLAS_LIFECYCLE_UNKNOWN);
      g_assert_false (p->is_active);
      g_assert_cmpuint (p->poll_interval_ms, ==, 0);
      g_assert_cmpstr (p->headline, ==, "Unknown state");
      g_assert_false (p->attention);
    }

  {
    /* Unknown freshness on an active run: no stale claim, no calm reassurance. */
    g_autoptr(AtlasRun) run = make_run ("\"queued\"", "\"tepid\"", "\"started_at\": null");
    g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, NOW);

    g_assert_true (p->is_active);
    g_assert_false (p->has_freshness_badge);
    g_assert_null (p->guidance);
    g_assert_cmpint (p->status_badge.tone, ==, ATLAS_TONE_NEUTRAL);
  }

  {
    /* Unknown outcome on a completed run: terminal, "Completed". */
    g_autoptr(AtlasRun) run = make_run ("\"completed\"", "null", "\"outcome\": \"exploded\"");
    g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, NOW);

    g_assert_cmpint (p->lifecycle, ==, ATLAS_LIFECYCLE_COMPLETED);
    g_assert_cmpstr (p->headline, ==, "Completed");
    g_assert_cmpuint (p->poll_interval_ms, ==, 0);
  }
}

/* Rule 7: every presenter string is translatable and German exists for each. */
static void
test_rule7_translated (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("presenter-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");
  gint64 now = fixture_now (root);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autoptr(AtlasRun) run = atlas_run_new_from_json (json_object_get_object_member (c, "run"), NULL);
      g_autoptr(AtlasRunPresentation) en = NULL;
      g_autoptr(AtlasRunPresentation) de = NULL;

      use_language (NULL);
      en = atlas_run_present (run, now);
      use_language ("de");
      de = atlas_run_present (run, now);
      use_language (NULL);

      g_test_message ("case %s: %s → %s", json_object_get_string_member (c, "name"), en->headline, de->headline);
      g_assert_cmpstr (en->status_badge.label, !=, de->status_badge.label);
      g_assert_cmpstr (en->headline, !=, de->headline);
      g_assert_cmpstr (en->accessible_description, !=, de->accessible_description);
      if (en->has_freshness_badge)
        g_assert_cmpstr (en->freshness_badge.label, !=, de->freshness_badge.label);
      /* Guidance of failed runs is the server's own (sanitized) message. */
      if (en->guidance != NULL && atlas_run_get_n_failures (run) == 0)
        g_assert_cmpstr (en->guidance, !=, de->guidance);
    }
}

/* Rule 8: never colour alone — label, icon, and a description in words. */
static void
test_rule8_not_colour_alone (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("presenter-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");
  gint64 now = fixture_now (root);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autoptr(AtlasRun) run = atlas_run_new_from_json (json_object_get_object_member (c, "run"), NULL);
      g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, now);
      const char *d = p->accessible_description;

      g_assert_nonnull (p->status_badge.label);
      g_assert_cmpstr (p->status_badge.label, !=, "");
      g_assert_true (g_str_has_suffix (p->status_badge.icon_name, "-symbolic"));
      g_assert_nonnull (strstr (d, p->status_badge.label));
      g_assert_nonnull (strstr (d, p->headline));
      if (p->has_freshness_badge)
        {
          g_assert_true (g_str_has_suffix (p->freshness_badge.icon_name, "-symbolic"));
          g_assert_nonnull (strstr (d, p->freshness_badge.label));
        }
      if (p->progress == ATLAS_PROGRESS_DETERMINATE)
        g_assert_nonnull (strstr (d, p->counts_text));
      if (p->progress == ATLAS_PROGRESS_INDETERMINATE)
        g_assert_nonnull (strstr (d, "Progress:"));
      if (p->attention)
        g_assert_nonnull (strstr (d, "Needs attention."));
    }
}

static JsonObject *
find_case (JsonNode   *root,
           const char *name)
{
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      if (g_str_equal (json_object_get_string_member (c, "name"), name))
        return json_object_get_object_member (c, "run");
    }
  g_assert_not_reached ();
}

static void
test_german_wording (void)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("presenter-cases.json");
  gint64 now = fixture_now (root);
  g_autoptr(AtlasRun) stale = atlas_run_new_from_json (find_case (root, "running-likely-stale"), NULL);
  g_autoptr(AtlasRun) queued_stale = atlas_run_new_from_json (find_case (root, "queued-likely-stale"), NULL);
  g_autoptr(AtlasRun) reconciled = atlas_run_new_from_json (find_case (root, "reconciled"), NULL);
  g_autoptr(AtlasRunPresentation) a = NULL;
  g_autoptr(AtlasRunPresentation) b = NULL;
  g_autoptr(AtlasRunPresentation) c = NULL;

  use_language ("de");
  a = atlas_run_present (stale, now);
  b = atlas_run_present (queued_stale, now);
  c = atlas_run_present (reconciled, now);
  use_language (NULL);

  g_assert_cmpstr (a->status_badge.label, ==, "Läuft");
  g_assert_cmpstr (a->freshness_badge.label, ==, "Hängt vermutlich");
  g_assert_cmpstr (a->headline, ==, "Seit 32 Min. kein Fortschritt — hängt vermutlich");
  g_assert_cmpstr (a->guidance, ==, "Sollte innerhalb von 15 Min. fertig sein. Prüfen Sie den Worker "
                                    "oder warten Sie auf den automatischen Abgleich.");
  g_assert_cmpstr (b->status_badge.label, ==, "In Warteschlange");
  g_assert_cmpstr (b->headline, ==, "Seit 2 Std. 3 Min. kein Fortschritt — hängt vermutlich");
  assert_not_contains (b->guidance, "Wartet auf einen Worker.");

  g_assert_cmpstr (c->status_badge.label, ==, "Fehlgeschlagen");
  g_assert_cmpstr (c->freshness_badge.label, ==, "Abgeglichen");
  g_assert_cmpstr (c->headline, ==, "Fehlgeschlagen — ohne Fortschritt beendet");
  g_assert_cmpstr (c->guidance, ==, "Das System hat diesen Lauf beendet, weil er keinen Fortschritt "
                                    "mehr gemeldet hat (run.stale_reconciled).");
  g_assert_nonnull (strstr (c->accessible_description, "Status: Fehlgeschlagen."));
}

static AtlasRun *
ordered_run (gint64      id,
             const char *status,
             const char *freshness,
             const char *problem_class)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": %" G_GINT64_FORMAT ", \"status\": \"%s\", \"freshness\": \"%s\","
    " \"problem_class\": %s%s%s, \"created_at\": \"2026-11-22T10:00:00Z\"}",
    id, status, freshness, problem_class ? "\"" : "", problem_class ? problem_class : "null",
    problem_class ? "\"" : "");
  return atlas_test_run_new (json);
}

/* Every surface orders runs alike: likely stale, then follow-up, then the rest, each
 * group in the server's order. */
static void
test_run_attention_order (void)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sorted = NULL;
  const gint64 expected[] = { 3, 5, 2, 6, 1, 4 };

  g_ptr_array_add (runs, ordered_run (1, "running", "fresh", NULL));
  g_ptr_array_add (runs, ordered_run (2, "completed", "fresh", "terminal_follow_up"));
  g_ptr_array_add (runs, ordered_run (3, "running", "likely_stale", "active_stale_attention"));
  g_ptr_array_add (runs, ordered_run (4, "completed", "fresh", NULL));
  g_ptr_array_add (runs, ordered_run (5, "queued", "likely_stale", NULL));
  g_ptr_array_add (runs, ordered_run (6, "completed", "reconciled", "terminal_follow_up"));

  sorted = atlas_runs_sort_by_attention (runs);
  g_assert_cmpuint (sorted->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < sorted->len; i++)
    g_assert_cmpint (atlas_run_get_id (g_ptr_array_index (sorted, i)), ==, expected[i]);
  /* The input keeps its order; the sort is a view. */
  g_assert_cmpint (atlas_run_get_id (g_ptr_array_index (runs, 0)), ==, 1);
  g_assert_cmpint (atlas_run_compare_attention (g_ptr_array_index (runs, 0), g_ptr_array_index (runs, 3)), ==, 0);
  g_assert_cmpint (atlas_run_compare_attention (g_ptr_array_index (runs, 2), g_ptr_array_index (runs, 1)), <, 0);
}

static AtlasTenantSummary *
ranked_tenant (gint64   id,
               gint64   active,
               gint64   stale,
               gint64   failed,
               gboolean needs_attention)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": %" G_GINT64_FORMAT ", \"name\": \"T%" G_GINT64_FORMAT "\", \"active_count\": %" G_GINT64_FORMAT ","
    " \"stale_active_count\": %" G_GINT64_FORMAT ", \"failed_recent_count\": %" G_GINT64_FORMAT ","
    " \"needs_attention\": %s}",
    id, id, active, stale, failed, needs_attention ? "true" : "false");
  g_autoptr(JsonNode) node = atlas_json_parse (json, strlen (json), NULL);
  g_autoptr(GError) error = NULL;
  AtlasTenantSummary *t = atlas_tenant_summary_new_from_json (json_node_get_object (node), &error);

  g_assert_no_error (error);
  return t;
}

static int
compare_tenants_cb (gconstpointer a,
                    gconstpointer b)
{
  return atlas_tenant_compare_attention (*(AtlasTenantSummary * const *) a, *(AtlasTenantSummary * const *) b);
}

/* Issue 14's order: stuck, then failed, then active, then quiet; ties keep the
 * server's order. */
static void
test_tenant_attention_order (void)
{
  g_autoptr(GPtrArray) tenants = g_ptr_array_new_with_free_func (g_object_unref);
  const gint64 expected[] = { 3, 7, 2, 6, 1, 5, 4 };

  g_ptr_array_add (tenants, ranked_tenant (1, 2, 0, 0, FALSE));   /* active */
  g_ptr_array_add (tenants, ranked_tenant (2, 0, 0, 3, FALSE));   /* failed */
  g_ptr_array_add (tenants, ranked_tenant (3, 1, 1, 0, TRUE));    /* stuck */
  g_ptr_array_add (tenants, ranked_tenant (4, 0, 0, 0, FALSE));   /* quiet */
  g_ptr_array_add (tenants, ranked_tenant (5, 1, 0, 0, FALSE));   /* active */
  g_ptr_array_add (tenants, ranked_tenant (6, 0, 0, 0, TRUE));    /* follow-up counts as failed */
  g_ptr_array_add (tenants, ranked_tenant (7, 3, 2, 4, TRUE));    /* stuck beats failed */

  g_assert_cmpint (atlas_tenant_attention_rank (g_ptr_array_index (tenants, 2)), ==, ATLAS_TENANT_RANK_STUCK);
  g_assert_cmpint (atlas_tenant_attention_rank (g_ptr_array_index (tenants, 1)), ==, ATLAS_TENANT_RANK_FAILED);
  g_assert_cmpint (atlas_tenant_attention_rank (g_ptr_array_index (tenants, 0)), ==, ATLAS_TENANT_RANK_ACTIVE);
  g_assert_cmpint (atlas_tenant_attention_rank (g_ptr_array_index (tenants, 3)), ==, ATLAS_TENANT_RANK_QUIET);
  g_ptr_array_sort (tenants, compare_tenants_cb);
  for (guint i = 0; i < tenants->len; i++)
    g_assert_cmpint (atlas_tenant_summary_get_id (g_ptr_array_index (tenants, i)), ==, expected[i]);
}

/* Tile tones: stuck work warns, failures are red, but a zero is calm; the tile reads
 * as one sentence with its figure. */
static void
test_kpi_tones (void)
{
  struct { AtlasKpi kpi; gint64 value; AtlasTone tone; const char *label; } cases[] = {
    { ATLAS_KPI_ACTIVE, 4, ATLAS_TONE_NEUTRAL, "4 active operations" },
    { ATLAS_KPI_ACTIVE, 1, ATLAS_TONE_NEUTRAL, "1 active operation" },
    { ATLAS_KPI_TENANT_ACTIVE, 0, ATLAS_TONE_NEUTRAL, "0 active operations" },
    { ATLAS_KPI_LIKELY_STALE, 2, ATLAS_TONE_WARNING, "2 operations likely stale" },
    { ATLAS_KPI_LIKELY_STALE, 0, ATLAS_TONE_NEUTRAL, "0 operations likely stale" },
    { ATLAS_KPI_FAILED_RECENT, 3, ATLAS_TONE_ERROR, "3 operations failed recently" },
    { ATLAS_KPI_FAILED_RECENT, 0, ATLAS_TONE_NEUTRAL, "0 operations failed recently" },
    { ATLAS_KPI_FAILED_7D, 1, ATLAS_TONE_ERROR, "1 operation failed in the last 7 days" },
    { ATLAS_KPI_SUCCEEDED_7D, 12, ATLAS_TONE_NEUTRAL, "12 operations succeeded in the last 7 days" },
    { ATLAS_KPI_FAILED_7D, ATLAS_KPI_VALUE_NONE, ATLAS_TONE_NEUTRAL, "Failed, last 7 days, loading" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AtlasKpiPresentation) p = atlas_kpi_present (cases[i].kpi, cases[i].value);
      g_autofree char *figure = cases[i].value == ATLAS_KPI_VALUE_NONE
                                ? g_strdup ("–") : g_strdup_printf ("%" G_GINT64_FORMAT, cases[i].value);

      g_assert_cmpstr (atlas_tone_to_string (p->tone), ==, atlas_tone_to_string (cases[i].tone));
      g_assert_cmpstr (p->accessible_label, ==, cases[i].label);
      g_assert_nonnull (p->caption);
      g_assert_cmpstr (p->value_text, ==, figure);
    }
}

static void
test_kpi_german (void)
{
  g_autoptr(AtlasKpiPresentation) a = NULL;
  g_autoptr(AtlasKpiPresentation) b = NULL;

  use_language ("de");
  a = atlas_kpi_present (ATLAS_KPI_ACTIVE, 4);
  b = atlas_kpi_present (ATLAS_KPI_FAILED_7D, 1);
  use_language (NULL);

  g_assert_cmpstr (a->caption, ==, "Aktive Vorgänge");
  g_assert_cmpstr (a->accessible_label, ==, "4 aktive Vorgänge");
  g_assert_cmpstr (b->accessible_label, ==, "1 Vorgang in den letzten 7 Tagen fehlgeschlagen");
}

/* Compact rows say when a finished run finished (by the server's clock) and, for a
 * failure, why: the first failure's message. */
static void
test_row_when_and_failure (void)
{
  g_autoptr(AtlasRun) failed = make_run ("\"completed\"", "null",
    "\"outcome\": \"failed\", \"completed_at\": \"2026-11-22T10:31:10Z\","
    " \"failure_summary\": [{\"reason_code\": \"graph.throttled\", \"message\": \"Microsoft Graph throttled the request\"},"
    " {\"reason_code\": \"x\", \"message\": \"second\"}]");
  g_autoptr(AtlasRun) succeeded = make_run ("\"completed\"", "null",
    "\"outcome\": \"succeeded\", \"completed_at\": \"2026-11-22T08:33:10Z\","
    " \"failure_summary\": [{\"reason_code\": \"x\", \"message\": \"ignored\"}]");
  g_autoptr(AtlasRun) running = make_run ("\"running\"", "\"fresh\"", NULL);
  g_autoptr(AtlasRun) queued = make_run ("\"queued\"", "\"fresh\"", "\"started_at\": null");
  g_autoptr(AtlasRunPresentation) pf = atlas_run_present (failed, NOW);
  g_autoptr(AtlasRunPresentation) ps = atlas_run_present (succeeded, NOW);
  g_autoptr(AtlasRunPresentation) pr = atlas_run_present (running, NOW);
  g_autoptr(AtlasRunPresentation) pq = atlas_run_present (queued, NOW);

  g_assert_cmpstr (pf->when_text, ==, "finished 2 min ago");
  g_assert_cmpstr (pf->failure_text, ==, "Microsoft Graph throttled the request");
  g_assert_cmpstr (ps->when_text, ==, "finished 2 h ago");
  g_assert_null (ps->failure_text);
  /* Active runs: their headline says how long already ("Running for 33 min"). */
  g_assert_null (pr->when_text);
  g_assert_null (pr->failure_text);
  g_assert_null (pq->when_text);
  /* No server time: nothing is claimed. */
  {
    g_autoptr(AtlasRunPresentation) no_time = atlas_run_present (failed, ATLAS_TIME_NONE);

    g_assert_null (no_time->when_text);
    g_assert_nonnull (no_time->failure_text);
  }
}

int
main (int   argc,
      char *argv[])
{
  use_language (NULL);
  bindtextdomain (GETTEXT_PACKAGE, ATLAS_BUILD_DIR "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/presenter/fixture-table", test_fixture_table);
  g_test_add_func ("/core/presenter/review-pack-table", test_review_pack_table);
  g_test_add_func ("/core/presenter/duration-format", test_duration_format);
  g_test_add_func ("/core/presenter/rule1-no-reassurance-when-stale", test_rule1_no_reassurance_when_stale);
  g_test_add_func ("/core/presenter/rule2-stale-never-calm", test_rule2_stale_never_calm);
  g_test_add_func ("/core/presenter/rule3-determinate-progress", test_rule3_determinate_progress);
  g_test_add_func ("/core/presenter/rule4-overlay-active-only", test_rule4_overlay_active_only);
  g_test_add_func ("/core/presenter/rule5-poll-interval", test_rule5_poll_interval);
  g_test_add_func ("/core/presenter/rule6-unknown-enums", test_rule6_unknown_enums);
  g_test_add_func ("/core/presenter/rule7-translated", test_rule7_translated);
  g_test_add_func ("/core/presenter/rule8-not-colour-alone", test_rule8_not_colour_alone);
  g_test_add_func ("/core/presenter/german-wording", test_german_wording);
  g_test_add_func ("/core/presenter/run-attention-order", test_run_attention_order);
  g_test_add_func ("/core/presenter/tenant-attention-order", test_tenant_attention_order);
  g_test_add_func ("/core/presenter/kpi-tones", test_kpi_tones);
  g_test_add_func ("/core/presenter/kpi-german", test_kpi_german);
  g_test_add_func ("/core/presenter/row-when-and-failure", test_row_when_and_failure);

  return g_test_run ();
}
