/* atlas-status-badge.h — a presenter badge: label, icon and tone, never colour alone
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-run-presenter.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_STATUS_BADGE (atlas_status_badge_get_type ())
G_DECLARE_FINAL_TYPE (AtlasStatusBadge, atlas_status_badge, ATLAS, STATUS_BADGE, GtkWidget)

GtkWidget  *atlas_status_badge_new       (void);
void        atlas_status_badge_set_badge (AtlasStatusBadge *self,
                                          const AtlasBadge *badge);
const char *atlas_status_badge_get_label (AtlasStatusBadge *self);

G_END_DECLS
