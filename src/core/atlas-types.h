/* atlas-types.h — forward declarations and the enums of the Operator API model
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _AtlasRun             AtlasRun;
typedef struct _AtlasReviewPack      AtlasReviewPack;
typedef struct _AtlasTenantSummary   AtlasTenantSummary;
typedef struct _AtlasSummaryCounts   AtlasSummaryCounts;
typedef struct _AtlasFailureEntry    AtlasFailureEntry;

/* No timestamp (JSON null or absent). Timestamps are Unix seconds, UTC. */
#define ATLAS_TIME_NONE G_MININT64

/* Unknown values are explicit members: they are never an error and never active. */
typedef enum
{
  ATLAS_RUN_STATUS_UNKNOWN,
  ATLAS_RUN_STATUS_QUEUED,
  ATLAS_RUN_STATUS_RUNNING,
  ATLAS_RUN_STATUS_COMPLETED,
} AtlasRunStatus;

typedef enum
{
  ATLAS_RUN_OUTCOME_NONE,
  ATLAS_RUN_OUTCOME_SUCCEEDED,
  ATLAS_RUN_OUTCOME_PARTIALLY_SUCCEEDED,
  ATLAS_RUN_OUTCOME_FAILED,
  ATLAS_RUN_OUTCOME_BLOCKED,
  ATLAS_RUN_OUTCOME_CANCELLED,
  ATLAS_RUN_OUTCOME_UNKNOWN,
} AtlasRunOutcome;

typedef enum
{
  ATLAS_FRESHNESS_NONE,
  ATLAS_FRESHNESS_FRESH,
  ATLAS_FRESHNESS_LIKELY_STALE,
  ATLAS_FRESHNESS_RECONCILED,
  ATLAS_FRESHNESS_UNKNOWN,
} AtlasFreshness;

typedef enum
{
  ATLAS_PROBLEM_CLASS_NONE,
  ATLAS_PROBLEM_CLASS_ACTIVE_STALE_ATTENTION,
  ATLAS_PROBLEM_CLASS_TERMINAL_FOLLOW_UP,
  ATLAS_PROBLEM_CLASS_UNKNOWN,
} AtlasProblemClass;

typedef enum
{
  ATLAS_REVIEW_PACK_STATUS_UNKNOWN,
  ATLAS_REVIEW_PACK_STATUS_QUEUED,
  ATLAS_REVIEW_PACK_STATUS_GENERATING,
  ATLAS_REVIEW_PACK_STATUS_READY,
  ATLAS_REVIEW_PACK_STATUS_FAILED,
  ATLAS_REVIEW_PACK_STATUS_EXPIRED,
} AtlasReviewPackStatus;

/* The keys summary_counts may carry; anything else is dropped. */
typedef enum
{
  ATLAS_COUNT_TOTAL,
  ATLAS_COUNT_PROCESSED,
  ATLAS_COUNT_SUCCEEDED,
  ATLAS_COUNT_FAILED,
  ATLAS_COUNT_SKIPPED,
  ATLAS_COUNT_CREATED,
  ATLAS_COUNT_UPDATED,
  ATLAS_COUNT_DELETED,
  ATLAS_COUNT_ITEMS,
  ATLAS_N_COUNTS,
} AtlasCountKey;

G_END_DECLS
