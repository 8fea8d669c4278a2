/* atlas-discovery.h — one window's watch on its workspace: new work appears by itself
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-poll-policy.h"
#include "atlas-poller.h"
#include "atlas-resource.h"

G_BEGIN_DECLS

/*
 * AtlasDiscovery is the contract's discovery row: one conditional request for the
 * workspace overview (If-None-Match) a minute, the first a full minute after it is
 * made, sent with `Prefer: wait=55` so that a server that holds blocking requests
 * answers the moment the overview changes. The next request starts one minute after
 * the previous one started, or when the answer comes if that is later: a held request
 * that ran out (304 after ~55 s) is followed within seconds, a server that answers at
 * once is asked once a minute. Either way it is one request a minute while nothing
 * changes. Backoff and Retry-After come from the poller, as for every request.
 *
 * While the page on screen polls this overview itself (atlas_discovery_set_page()),
 * discovery sends nothing; it starts again a full minute after that page goes quiet.
 *
 * ::changed says the overview is no longer what the window loaded (a 200); the owner
 * refreshes what it shows, whose own rules then take over. While the poller is
 * hidden nothing is out: a held request is cancelled when the window goes away.
 */

#define ATLAS_DISCOVERY_WAIT_S      55
#define ATLAS_DISCOVERY_INTERVAL_MS ATLAS_POLL_IDLE_DISCOVERY_MS

#define ATLAS_TYPE_DISCOVERY (atlas_discovery_get_type ())
G_DECLARE_FINAL_TYPE (AtlasDiscovery, atlas_discovery, ATLAS, DISCOVERY, GObject)

AtlasDiscovery *atlas_discovery_new               (AtlasClient    *client,
                                                   AtlasClock     *clock,
                                                   gint64          workspace_id);
AtlasPoller    *atlas_discovery_get_poller        (AtlasDiscovery *self);
gboolean        atlas_discovery_get_held          (AtlasDiscovery *self);
void            atlas_discovery_set_page          (AtlasDiscovery *self,
                                                   AtlasResource  *page);

G_END_DECLS
