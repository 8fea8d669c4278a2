/* atlas-poller-private.h — the poller's test-only API: a fixed jitter and what it has inside
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-poller.h"

G_BEGIN_DECLS

/* Returns a value in [0, 1); 0 gives the shortest backoff of a step, 1 the longest. */
typedef double (*AtlasPollerJitterFunc) (gpointer user_data);

AtlasClock       *atlas_poller_get_clock            (AtlasPoller           *self);
gboolean          atlas_poller_get_refreshing       (AtlasPoller           *self);
void              atlas_poller_set_jitter_func      (AtlasPoller           *self,
                                                     AtlasPollerJitterFunc  func,
                                                     gpointer               user_data,
                                                     GDestroyNotify         destroy);
gboolean          atlas_poller_get_active           (AtlasPoller           *self);
gboolean          atlas_poller_get_stopped          (AtlasPoller           *self);
guint             atlas_poller_get_failure_count    (AtlasPoller           *self);
AtlasPollFailure  atlas_poller_get_last_failure     (AtlasPoller           *self);
guint             atlas_poller_get_backoff          (AtlasPoller           *self);
gint64            atlas_poller_get_next_due         (AtlasPoller           *self);

G_END_DECLS
