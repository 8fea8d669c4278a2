/* atlas-run-row.h — one run in a list, rendered by the presenter, updated in place
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-run.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_RUN_ROW (atlas_run_row_get_type ())
G_DECLARE_FINAL_TYPE (AtlasRunRow, atlas_run_row, ATLAS, RUN_ROW, GtkWidget)

GtkWidget *atlas_run_row_new      (void);
void       atlas_run_row_set_run  (AtlasRunRow *self,
                                   AtlasRun    *run);
AtlasRun  *atlas_run_row_get_run  (AtlasRunRow *self);
void       atlas_run_row_set_now  (AtlasRunRow *self,
                                   gint64       now);
void       atlas_run_row_set_hide_tenant  (AtlasRunRow *self,
                                           gboolean     hide_tenant);

G_END_DECLS
