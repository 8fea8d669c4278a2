/* atlas-run-watcher-private.h — the run watcher's test-only API: how many fetches it made
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-watcher.h"

G_BEGIN_DECLS

guint64          atlas_run_watcher_get_fetch_count (AtlasRunWatcher *self);

G_END_DECLS
