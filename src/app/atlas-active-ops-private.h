/* atlas-active-ops-private.h — the active-operations overlay's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-active-ops.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

AtlasPoller *atlas_active_ops_get_poller (AtlasActiveOps *self);
guint        atlas_active_ops_get_count  (AtlasActiveOps *self);

G_END_DECLS
