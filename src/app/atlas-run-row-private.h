/* atlas-run-row-private.h — a run row's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-row.h"

G_BEGIN_DECLS

guint64    atlas_run_row_get_render_count (AtlasRunRow *self);
const char *atlas_run_row_get_meta_text  (AtlasRunRow *self);

G_END_DECLS
