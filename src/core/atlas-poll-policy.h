/* atlas-poll-policy.h — the whole polling policy of the app, in one place
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every surface asks these helpers how often to poll; 0 means "no timer at all".
 * The rules come from the Operator API contract (polling rules) and Spec 123:
 *
 *   run detail            while active (likely-stale too), by run age: <10 s → 1 s,
 *                         <60 s → 5 s, otherwise 10 s; never when terminal or unknown
 *   review pack card      10 s while the latest pack is queued or generating
 *   active-ops overlay    10 s while any run in it is active; it lists active runs only
 *   tenant card/dashboard 10 s while the tenant has active runs
 *   operations list       10 s while a row on the current page is active
 *   notifications         once at start-up, then 10 s while the user has active runs
 *                         they initiated
 *   discovery             60 s, conditional, one per visible window (on by default;
 *                         AtlasDiscovery), held by servers that support it
 *
 * A server's X-Poll-Interval and Retry-After only ever slow these down (AtlasPoller).
 */
#pragma once

#include "atlas-types.h"

G_BEGIN_DECLS

#define ATLAS_POLL_FAST_MS            1000
#define ATLAS_POLL_MEDIUM_MS          5000
#define ATLAS_POLL_SLOW_MS           10000
#define ATLAS_POLL_REVIEW_PACK_MS    10000
#define ATLAS_POLL_COLLECTION_MS     10000
#define ATLAS_POLL_IDLE_DISCOVERY_MS 60000

guint     atlas_poll_interval_for_age        (gint64            age_seconds);
guint     atlas_poll_interval_for_run        (AtlasRun         *run,
                                              gint64            now);
guint     atlas_poll_interval_for_review_pack (AtlasReviewPack *pack);
guint     atlas_poll_interval_for_runs       (AtlasRun * const *runs,
                                              guint             n_runs);
guint     atlas_poll_interval_for_tenant     (gint64            active_count);
guint     atlas_poll_interval_for_notifications (gint64         active_initiated_count);
gboolean  atlas_poll_policy_overlay_shows    (AtlasRun         *run);

G_END_DECLS
