/* atlas-tenant-dashboard.h — one tenant's dashboard
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-resource.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_TENANT_DASHBOARD (atlas_tenant_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (AtlasTenantDashboard, atlas_tenant_dashboard, ATLAS, TENANT_DASHBOARD, GtkWidget)

GtkWidget   *atlas_tenant_dashboard_new                  (AtlasClient          *client,
                                                          AtlasClock           *clock,
                                                          gint64                tenant_id,
                                                          gboolean              can_generate);
void         atlas_tenant_dashboard_set_tenant           (AtlasTenantDashboard *self,
                                                          gint64                tenant_id);
gint64       atlas_tenant_dashboard_get_tenant           (AtlasTenantDashboard *self);

AtlasResource *atlas_tenant_dashboard_get_resource (AtlasTenantDashboard *self);

G_END_DECLS
