/* atlas-client-private.h — the client's test-only API: how many requests and parses it made
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-client.h"

G_BEGIN_DECLS

guint64        atlas_client_get_parse_count        (AtlasClient       *self);
guint64        atlas_client_get_request_count      (AtlasClient       *self);

G_END_DECLS
