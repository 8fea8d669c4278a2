/* atlas-run.h — one operation run, as the Operator API describes it
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atlas-types.h"

G_BEGIN_DECLS

struct _AtlasFailureEntry
{
  char *reason_code;
  char *message;
};

/* Only keys of AtlasCountKey with a non-negative integer value are kept. */
struct _AtlasSummaryCounts
{
  gint64 values[ATLAS_N_COUNTS];
  guint  present;   /* bit (1 << key) set when values[key] is valid */
};

#define ATLAS_FAILURE_SUMMARY_MAX 20

#define ATLAS_TYPE_SUMMARY_COUNTS (atlas_summary_counts_get_type ())
GType               atlas_summary_counts_get_type (void) G_GNUC_CONST;
AtlasSummaryCounts *atlas_summary_counts_copy     (const AtlasSummaryCounts *counts);
void                atlas_summary_counts_free     (AtlasSummaryCounts       *counts);
gboolean            atlas_summary_counts_get      (const AtlasSummaryCounts *counts,
                                                   AtlasCountKey             key,
                                                   gint64                   *out);
gboolean            atlas_summary_counts_equal    (const AtlasSummaryCounts *a,
                                                   const AtlasSummaryCounts *b);
const char         *atlas_count_key_to_string     (AtlasCountKey             key);

void                atlas_failure_entry_free      (AtlasFailureEntry        *entry);

#define ATLAS_TYPE_RUN (atlas_run_get_type ())
G_DECLARE_FINAL_TYPE (AtlasRun, atlas_run, ATLAS, RUN, GObject)

AtlasRun                 *atlas_run_new_from_json            (JsonObject  *object,
                                                              GError     **error);
AtlasRun                 *atlas_run_new_from_data            (const char  *data,
                                                              gsize        length,
                                                              GError     **error);
gboolean                  atlas_run_update_from              (AtlasRun    *self,
                                                              AtlasRun    *newer);

gint64                    atlas_run_get_id                   (AtlasRun    *self);
const gint64             *atlas_run_get_id_ptr               (AtlasRun    *self);
gint64                    atlas_run_get_workspace_id         (AtlasRun    *self);
gint64                    atlas_run_get_tenant_id            (AtlasRun    *self);
const char               *atlas_run_get_tenant_name          (AtlasRun    *self);
const char               *atlas_run_get_run_type             (AtlasRun    *self);
const char               *atlas_run_get_type_label           (AtlasRun    *self);
AtlasRunStatus            atlas_run_get_status               (AtlasRun    *self);
const char               *atlas_run_get_status_text          (AtlasRun    *self);
AtlasRunOutcome           atlas_run_get_outcome              (AtlasRun    *self);
const char               *atlas_run_get_outcome_text         (AtlasRun    *self);
AtlasFreshness            atlas_run_get_freshness            (AtlasRun    *self);
AtlasProblemClass         atlas_run_get_problem_class        (AtlasRun    *self);
gint64                    atlas_run_get_created_at           (AtlasRun    *self);
gint64                    atlas_run_get_started_at           (AtlasRun    *self);
gint64                    atlas_run_get_completed_at         (AtlasRun    *self);
gint64                    atlas_run_get_last_progress_at     (AtlasRun    *self);
gint64                    atlas_run_get_lifecycle_window     (AtlasRun    *self);
const AtlasSummaryCounts *atlas_run_get_summary_counts       (AtlasRun    *self);
guint                     atlas_run_get_n_failures           (AtlasRun    *self);
const AtlasFailureEntry  *atlas_run_get_failure              (AtlasRun    *self,
                                                              guint        index);
gint64                    atlas_run_get_initiator_id         (AtlasRun    *self);
const char               *atlas_run_get_initiator_name       (AtlasRun    *self);
gboolean                  atlas_run_get_initiated_by_me      (AtlasRun    *self);
gint64                    atlas_run_get_reconciled_at        (AtlasRun    *self);
const char               *atlas_run_get_reconciliation_reason (AtlasRun   *self);
const char               *atlas_run_get_previous_status      (AtlasRun    *self);
const char               *atlas_run_get_web_url              (AtlasRun    *self);
gboolean                  atlas_run_is_active                (AtlasRun    *self);

AtlasRunStatus            atlas_run_status_from_string       (const char  *text);
AtlasRunOutcome           atlas_run_outcome_from_string      (const char  *text);
AtlasFreshness            atlas_freshness_from_string        (const char  *text);
AtlasProblemClass         atlas_problem_class_from_string    (const char  *text);
const char               *atlas_freshness_to_string          (AtlasFreshness    freshness);
const char               *atlas_problem_class_to_string      (AtlasProblemClass problem_class);

G_END_DECLS
