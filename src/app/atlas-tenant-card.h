/* atlas-tenant-card.h — one tenant on the overview, rendered by the tenant presenter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-tenant-summary.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_TENANT_CARD (atlas_tenant_card_get_type ())
G_DECLARE_FINAL_TYPE (AtlasTenantCard, atlas_tenant_card, ATLAS, TENANT_CARD, GtkWidget)

GtkWidget          *atlas_tenant_card_new        (void);
AtlasTenantSummary *atlas_tenant_card_get_tenant (AtlasTenantCard    *self);
void                atlas_tenant_card_set_tenant (AtlasTenantCard    *self,
                                                  AtlasTenantSummary *tenant);

G_END_DECLS
