/* atlas-overview-private.h — the overview's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-overview.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

AtlasPoller *atlas_overview_get_poller    (AtlasOverview *self);
GtkWidget   *atlas_overview_get_card      (AtlasOverview *self,
                                           guint          index);
guint        atlas_overview_get_n_cards   (AtlasOverview *self);
GtkWidget   *atlas_overview_get_loading_spinner (AtlasOverview *self);

G_END_DECLS
