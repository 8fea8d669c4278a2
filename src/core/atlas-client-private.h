/* atlas-client-private.h — the client's test-only API: how many requests and parses it made
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-client.h"
#include "atlas-clock.h"

G_BEGIN_DECLS

guint64        atlas_client_get_parse_count        (AtlasClient       *self);
guint64        atlas_client_get_request_count      (AtlasClient       *self);
guint64        atlas_client_get_cache_hit_count    (AtlasClient       *self);

/* For AtlasResource: the next fetch started (synchronously, inside the call that follows)
 * may be answered by the answer cache when that URL's last good answer is younger than
 * @max_age_ms on @clock (the caller's poller clock); 0 asks the server
 * (a @clock still times its answer for the others); reset by every fetch. */
void           _atlas_client_set_next_max_age      (AtlasClient       *self,
                                                    AtlasClock        *clock,
                                                    guint              max_age_ms);

G_END_DECLS
