/* atlas-tenant-dashboard-private.h — the tenant dashboard's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-tenant-dashboard.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

AtlasPoller *atlas_tenant_dashboard_get_poller           (AtlasTenantDashboard *self);
GtkWidget   *atlas_tenant_dashboard_get_review_pack_card (AtlasTenantDashboard *self);
const char  *atlas_tenant_dashboard_get_title            (AtlasTenantDashboard *self);
GtkWidget   *atlas_tenant_dashboard_get_loading_spinner (AtlasTenantDashboard *self);

G_END_DECLS
