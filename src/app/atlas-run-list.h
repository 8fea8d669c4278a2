/* atlas-run-list.h — a recycling list of presenter rows; activating one opens its run
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-run-row.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_RUN_LIST (atlas_run_list_get_type ())
G_DECLARE_FINAL_TYPE (AtlasRunList, atlas_run_list, ATLAS, RUN_LIST, GtkWidget)

GListModel        *atlas_run_list_get_model       (AtlasRunList *self);
void               atlas_run_list_set_model       (AtlasRunList *self,
                                                   GListModel   *model);
GtkAdjustment     *atlas_run_list_get_vadjustment (AtlasRunList *self);
void               atlas_run_list_scroll_to_top   (AtlasRunList *self);

G_END_DECLS
