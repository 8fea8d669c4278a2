/* test-run-detail-a11y.c — every status of the run detail is carried in words
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each case of tests/data/presenter-cases.json, the run detail shows the run and
 * this test reads what a screen reader gets (the accessible properties, not the CSS
 * colour): the status badge is named by the presenter's status words, the freshness
 * badge by its words, the headline carries the presenter's description, and a
 * determinate progress bar is labelled by its "120 / 369" with that value text.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <gtk/gtk.h>

#include "atlas-run-detail-private.h"
#include "atlas-run-presenter.h"
#include "atlas-status-badge.h"
#include "atlas-test-ui.h"

typedef AtlasTestFixture Fixture;

static void
assert_property (GtkWidget             *widget,
                 GtkAccessibleProperty  property,
                 const char            *value,
                 const char            *what)
{
  g_autofree char *problem = NULL;

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property));
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, value);
  if (problem != NULL)
    g_error ("%s: %s", what, problem);
}

static void
test_every_status_in_words (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) root = atlas_test_load_json ("presenter-cases.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (root), "cases");
  gint64 now = atlas_timestamp_parse (json_object_get_string_member (json_node_get_object (root), "now"));
  guint determinate = 0;

  g_assert_cmpuint (json_array_get_length (cases), >, 0);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      const char *name = json_object_get_string_member (c, "name");
      JsonObject *expect = json_object_get_object_member (c, "expect");
      g_autoptr(GError) error = NULL;
      g_autoptr(AtlasRun) run = atlas_run_new_from_json (json_object_get_object_member (c, "run"), &error);
      g_autoptr(AtlasRunPresentation) p = NULL;
      GtkWidget *detail;
      GtkWidget *badge, *fresh, *headline, *progress, *progress_label;

      g_test_message ("case %s", name);
      g_assert_no_error (error);
      p = atlas_run_present (run, now);
      /* Never shown: the watcher's poller stays paused, only our render counts. */
      detail = g_object_ref_sink (atlas_run_detail_new (f->client, f->clock, 1, atlas_run_get_id (run)));
      atlas_run_detail_render_run (ATLAS_RUN_DETAIL (detail), run, now);
      badge = atlas_run_detail_get_part (ATLAS_RUN_DETAIL (detail), "status-badge");
      fresh = atlas_run_detail_get_part (ATLAS_RUN_DETAIL (detail), "freshness-badge");
      headline = atlas_run_detail_get_part (ATLAS_RUN_DETAIL (detail), "headline");
      progress = atlas_run_detail_get_part (ATLAS_RUN_DETAIL (detail), "progress");
      progress_label = atlas_run_detail_get_part (ATLAS_RUN_DETAIL (detail), "progress-label");

      /* The status in words, exactly the presenter's (and the fixture's, where it says). */
      g_assert_nonnull (p->status_badge.label);
      g_assert_cmpstr (p->status_badge.label, !=, "");
      if (expect != NULL && json_object_has_member (expect, "status_badge") &&
          !json_object_get_null_member (expect, "status_badge"))
        g_assert_cmpstr (p->status_badge.label, ==,
                         json_object_get_string_member (json_object_get_object_member (expect, "status_badge"), "label"));
      g_assert_cmpstr (atlas_status_badge_get_label (ATLAS_STATUS_BADGE (badge)), ==, p->status_badge.label);
      assert_property (badge, GTK_ACCESSIBLE_PROPERTY_LABEL, p->status_badge.label, name);
      if (p->has_freshness_badge)
        {
          g_assert_true (gtk_widget_get_visible (fresh));
          assert_property (fresh, GTK_ACCESSIBLE_PROPERTY_LABEL, p->freshness_badge.label, name);
        }

      /* The headline is read with the presenter's description, which says the status. */
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (headline)), ==, p->headline);
      assert_property (headline, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, p->accessible_description, name);
      g_assert_nonnull (strstr (p->accessible_description, p->status_badge.label));

      /* The bar is read by its count, not a bare percentage. */
      if (p->progress == ATLAS_PROGRESS_DETERMINATE)
        {
          determinate++;
          g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (progress_label)), ==, p->counts_text);
          g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (progress),
                                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY));
          assert_property (progress, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, p->counts_text, name);
        }
      else if (p->progress == ATLAS_PROGRESS_INDETERMINATE)
        assert_property (progress, GTK_ACCESSIBLE_PROPERTY_LABEL, p->headline, name);

      g_object_unref (detail);
    }
  /* The fixture has running runs with counts: the bar check above ran. */
  g_assert_cmpuint (determinate, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

  atlas_test_ui_add ("/ui/run-detail-a11y/every-status-in-words", test_every_status_in_words);

  return g_test_run ();
}
