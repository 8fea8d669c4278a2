/* atlas-resource-private.h — the resource's test-only API: how many requests it started
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-resource.h"

G_BEGIN_DECLS

guint64        atlas_resource_get_fetch_count       (AtlasResource           *self);

G_END_DECLS
