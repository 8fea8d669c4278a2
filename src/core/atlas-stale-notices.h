/* atlas-stale-notices.h — which likely-stale runs were announced, once each, across restarts
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AtlasStaleNotices AtlasStaleNotices;

AtlasStaleNotices *atlas_stale_notices_new   (const char        *state_path,
                                              const char        *key);
gboolean           atlas_stale_notices_claim (AtlasStaleNotices *self,
                                              gint64             run_id);
void               atlas_stale_notices_end_baseline (AtlasStaleNotices *self);
void               atlas_stale_notices_free  (AtlasStaleNotices *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasStaleNotices, atlas_stale_notices_free)

G_END_DECLS
