/* atlas-overview.h — the workspace overview, the start view
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-resource.h"

G_BEGIN_DECLS

typedef enum
{
  ATLAS_OVERVIEW_SORT_ATTENTION,   /* stuck, then failed, then active, then quiet */
  ATLAS_OVERVIEW_SORT_NAME,
} AtlasOverviewSort;

#define ATLAS_TYPE_OVERVIEW (atlas_overview_get_type ())
G_DECLARE_FINAL_TYPE (AtlasOverview, atlas_overview, ATLAS, OVERVIEW, GtkWidget)

GtkWidget   *atlas_overview_new           (AtlasClient   *client,
                                           AtlasClock    *clock,
                                           gint64         workspace_id);
void         atlas_overview_set_workspace (AtlasOverview *self,
                                           gint64         workspace_id);
GListModel  *atlas_overview_get_tenants   (AtlasOverview *self);
void         atlas_overview_set_search    (AtlasOverview *self,
                                           const char    *text);
void         atlas_overview_set_sort      (AtlasOverview     *self,
                                           AtlasOverviewSort  sort);
void         atlas_overview_set_read_only (AtlasOverview *self,
                                           gboolean       read_only);

AtlasResource *atlas_overview_get_resource (AtlasOverview *self);

G_END_DECLS
