/* atlas-run-detail-private.h — the run detail's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-detail.h"
#include "atlas-run-watcher.h"

G_BEGIN_DECLS

AtlasRunWatcher *atlas_run_detail_get_watcher         (AtlasRunDetail *self);
const char      *atlas_run_detail_get_title           (AtlasRunDetail *self);
const char      *atlas_run_detail_get_state           (AtlasRunDetail *self);
const char      *atlas_run_detail_get_headline        (AtlasRunDetail *self);
const char      *atlas_run_detail_get_freshness_label (AtlasRunDetail *self);
gboolean         atlas_run_detail_get_offline_shown   (AtlasRunDetail *self);
void             atlas_run_detail_render_run          (AtlasRunDetail *self,
                                                       AtlasRun       *run,
                                                       gint64          now);
GtkWidget       *atlas_run_detail_get_part            (AtlasRunDetail *self,
                                                       const char     *name);

G_END_DECLS
