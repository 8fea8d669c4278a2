/* atlas-run-detail.h — the canonical run detail view
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-client.h"
#include "atlas-clock.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_RUN_DETAIL (atlas_run_detail_get_type ())
G_DECLARE_FINAL_TYPE (AtlasRunDetail, atlas_run_detail, ATLAS, RUN_DETAIL, GtkWidget)

GtkWidget       *atlas_run_detail_new                 (AtlasClient    *client,
                                                       AtlasClock     *clock,
                                                       gint64          workspace_id,
                                                       gint64          run_id);

G_END_DECLS
