/* atlas-active-ops.h — the active-operations overlay: a header button and its popover
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-resource.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_ACTIVE_OPS (atlas_active_ops_get_type ())
G_DECLARE_FINAL_TYPE (AtlasActiveOps, atlas_active_ops, ATLAS, ACTIVE_OPS, GtkWidget)

GtkWidget   *atlas_active_ops_new        (AtlasClient    *client,
                                          AtlasClock     *clock,
                                          gint64          workspace_id);
void         atlas_active_ops_refresh    (AtlasActiveOps *self);
void         atlas_active_ops_follow     (AtlasActiveOps          *self,
                                          AtlasResource           *page,
                                          AtlasResourceExtractFunc extract);
guint        atlas_active_ops_get_initiated_count (AtlasActiveOps *self);
GListModel  *atlas_active_ops_get_runs   (AtlasActiveOps *self);

G_END_DECLS
