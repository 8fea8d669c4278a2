/* atlas-run-store.h — keep a GListStore of runs in step with a fresh answer, in place
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atlas-run.h"

G_BEGIN_DECLS

guint atlas_run_store_sync (GListStore *store,
                            GPtrArray  *fresh,
                            gboolean  (*keep) (AtlasRun *run));

G_END_DECLS
