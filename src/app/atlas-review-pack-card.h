/* atlas-review-pack-card.h — the review pack card of a tenant dashboard
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-clock.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_REVIEW_PACK_CARD (atlas_review_pack_card_get_type ())
G_DECLARE_FINAL_TYPE (AtlasReviewPackCard, atlas_review_pack_card, ATLAS, REVIEW_PACK_CARD, GtkWidget)

GtkWidget       *atlas_review_pack_card_new                 (AtlasClient         *client,
                                                             AtlasClock          *clock,
                                                             gint64               tenant_id,
                                                             AtlasReviewPack     *pack,
                                                             gint64               server_time,
                                                             gboolean             can_generate);
void             atlas_review_pack_card_update              (AtlasReviewPackCard *self,
                                                             AtlasReviewPack     *pack,
                                                             gint64               server_time);

G_END_DECLS
