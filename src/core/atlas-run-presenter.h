/* atlas-run-presenter.h — one truth for how every surface shows a run
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-types.h"

G_BEGIN_DECLS

typedef enum
{
  ATLAS_LIFECYCLE_QUEUED,
  ATLAS_LIFECYCLE_RUNNING,
  ATLAS_LIFECYCLE_COMPLETED,
  ATLAS_LIFECYCLE_UNKNOWN,
} AtlasLifecycle;

typedef enum
{
  ATLAS_TONE_NEUTRAL,
  ATLAS_TONE_ACCENT,
  ATLAS_TONE_SUCCESS,
  ATLAS_TONE_WARNING,
  ATLAS_TONE_ERROR,
} AtlasTone;

typedef enum
{
  ATLAS_PROGRESS_NONE,
  ATLAS_PROGRESS_INDETERMINATE,
  ATLAS_PROGRESS_DETERMINATE,
} AtlasProgressKind;

/* Labels are translated and owned by gettext; icon names are symbolic icons. */
typedef struct
{
  const char *label;
  AtlasTone   tone;
  const char *icon_name;
} AtlasBadge;

typedef struct
{
  AtlasLifecycle     lifecycle;
  gboolean           is_active;
  AtlasBadge         status_badge;
  gboolean           has_freshness_badge;
  AtlasBadge         freshness_badge;
  gboolean           attention;
  char              *headline;
  char              *guidance;        /* nullable: the only place for calm reassurance */
  AtlasProgressKind  progress;
  double             fraction;        /* 0..1, determinate only */
  char              *counts_text;     /* "45 / 120", determinate only */
  char              *elapsed_text;    /* "3 min", indeterminate only */
  guint              poll_interval_ms;
  char              *accessible_description;
  /* For compact rows: */
  char              *when_text;       /* nullable: "finished 2 h ago" (terminal runs only) */
  char              *failure_text;    /* nullable: the first failure's message (server text) */
} AtlasRunPresentation;

AtlasRunPresentation *atlas_run_present               (AtlasRun             *run,
                                                       gint64                now);
void                  atlas_run_presentation_free     (AtlasRunPresentation *presentation);

int                   atlas_run_attention_rank        (AtlasRun             *run);
int                   atlas_run_compare_attention     (AtlasRun             *a,
                                                       AtlasRun             *b);
GPtrArray            *atlas_runs_sort_by_attention    (GPtrArray            *runs);
const char           *atlas_run_status_label          (AtlasRunStatus        status);
const char           *atlas_freshness_label           (AtlasFreshness        freshness);
const char           *atlas_count_key_label           (AtlasCountKey         key);
const char           *atlas_lifecycle_to_string       (AtlasLifecycle        lifecycle);
const char           *atlas_tone_to_string            (AtlasTone             tone);
const char           *atlas_progress_kind_to_string   (AtlasProgressKind     progress);
char                 *atlas_run_present_stale_notice_title (AtlasRun       *run);
char                 *atlas_run_present_failure_notice_title (AtlasRun     *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasRunPresentation, atlas_run_presentation_free)

G_END_DECLS
