/* atlas-stat-tile.h — one KPI: a figure, its caption and its tone, read as one sentence
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-kpi-presenter.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_STAT_TILE (atlas_stat_tile_get_type ())
G_DECLARE_FINAL_TYPE (AtlasStatTile, atlas_stat_tile, ATLAS, STAT_TILE, GtkWidget)

AtlasKpi    atlas_stat_tile_get_kpi        (AtlasStatTile *self);
void        atlas_stat_tile_set_kpi        (AtlasStatTile *self,
                                            AtlasKpi       kpi);
gint64      atlas_stat_tile_get_value      (AtlasStatTile *self);
void        atlas_stat_tile_set_value      (AtlasStatTile *self,
                                            gint64         value);
const char *atlas_stat_tile_get_value_text (AtlasStatTile *self);

G_END_DECLS
