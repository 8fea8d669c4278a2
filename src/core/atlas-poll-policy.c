/* atlas-poll-policy.c — intervals for every surface (see the header for the table)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-poll-policy"

#include "config.h"

#include "atlas-duration.h"
#include "atlas-json.h"
#include "atlas-poll-policy.h"
#include "atlas-review-pack.h"
#include "atlas-run.h"

guint
atlas_poll_interval_for_age (gint64 age_seconds)
{
  /* Young runs change fast; a run older than a minute is watched at 10 s. */
  if (age_seconds < 10)
    return ATLAS_POLL_FAST_MS;
  if (age_seconds < 60)
    return ATLAS_POLL_MEDIUM_MS;
  return ATLAS_POLL_SLOW_MS;
}

/* Age is server time minus started_at, or created_at while queued. */
guint
atlas_poll_interval_for_run (AtlasRun *run,
                             gint64    now)
{
  gint64 since, age;

  g_return_val_if_fail (ATLAS_IS_RUN (run), 0);

  if (!atlas_run_is_active (run))
    return 0;

  since = atlas_run_get_status (run) == ATLAS_RUN_STATUS_QUEUED ? ATLAS_TIME_NONE
                                                                 : atlas_run_get_started_at (run);
  if (since == ATLAS_TIME_NONE)
    since = atlas_run_get_created_at (run);
  /* No timestamp, or clocks that disagree beyond the tolerance (an age we do not
   * know): poll, but at the calmest active pace — never the 1 s of a young run. */
  if (!atlas_age_seconds (now, since, &age))
    return ATLAS_POLL_SLOW_MS;

  return atlas_poll_interval_for_age (age);
}

guint
atlas_poll_interval_for_review_pack (AtlasReviewPack *pack)
{
  if (pack == NULL)
    return 0;
  return atlas_review_pack_is_active (pack) ? ATLAS_POLL_REVIEW_PACK_MS : 0;
}

/* The overlay and the operations list: 10 s while any shown run is active. */
guint
atlas_poll_interval_for_runs (AtlasRun * const *runs,
                              guint             n_runs)
{
  for (guint i = 0; i < n_runs; i++)
    if (runs[i] != NULL && atlas_run_is_active (runs[i]))
      return ATLAS_POLL_COLLECTION_MS;
  return 0;
}

guint
atlas_poll_interval_for_tenant (gint64 active_count)
{
  return active_count > 0 ? ATLAS_POLL_COLLECTION_MS : 0;
}

guint
atlas_poll_interval_for_notifications (gint64 active_initiated_count)
{
  return active_initiated_count > 0 ? ATLAS_POLL_COLLECTION_MS : 0;
}

/* Hard rule 4: terminal (and unknown) runs never appear in the overlay. */
gboolean
atlas_poll_policy_overlay_shows (AtlasRun *run)
{
  g_return_val_if_fail (ATLAS_IS_RUN (run), FALSE);
  return atlas_run_is_active (run);
}
