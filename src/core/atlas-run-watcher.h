/* atlas-run-watcher.h — keeps one run current by the polling rule
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-error-presenter.h"
#include "atlas-poller.h"
#include "atlas-run.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_RUN_WATCHER (atlas_run_watcher_get_type ())
G_DECLARE_FINAL_TYPE (AtlasRunWatcher, atlas_run_watcher, ATLAS, RUN_WATCHER, GObject)

AtlasRunWatcher *atlas_run_watcher_new             (AtlasClient     *client,
                                                    AtlasClock      *clock,
                                                    gint64           workspace_id,
                                                    gint64           run_id);
void             atlas_run_watcher_start           (AtlasRunWatcher *self);
AtlasRun        *atlas_run_watcher_get_run         (AtlasRunWatcher *self);
gint64           atlas_run_watcher_get_server_time (AtlasRunWatcher *self);
gint64           atlas_run_watcher_get_loaded_at   (AtlasRunWatcher *self);
const GError    *atlas_run_watcher_get_error       (AtlasRunWatcher *self);
AtlasErrorPresentation *
                 atlas_run_watcher_present_error   (AtlasRunWatcher *self);
gboolean         atlas_run_watcher_get_finished    (AtlasRunWatcher *self);
AtlasPoller     *atlas_run_watcher_get_poller      (AtlasRunWatcher *self);

G_END_DECLS
