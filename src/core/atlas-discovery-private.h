/* atlas-discovery-private.h — discovery's test-only API: how many requests and changes it saw
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-discovery.h"

G_BEGIN_DECLS

guint64         atlas_discovery_get_request_count (AtlasDiscovery *self);
guint64         atlas_discovery_get_change_count  (AtlasDiscovery *self);

G_END_DECLS
