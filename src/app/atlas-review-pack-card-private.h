/* atlas-review-pack-card-private.h — the review pack card's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-review-pack-card.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

AtlasPoller     *atlas_review_pack_card_get_poller          (AtlasReviewPackCard *self);
AtlasReviewPack *atlas_review_pack_card_get_pack            (AtlasReviewPackCard *self);
GtkWidget       *atlas_review_pack_card_get_generate_button (AtlasReviewPackCard *self);
GtkWidget       *atlas_review_pack_card_get_download_button (AtlasReviewPackCard *self);
const char      *atlas_review_pack_card_get_detail          (AtlasReviewPackCard *self);
void             atlas_review_pack_card_set_download_target (AtlasReviewPackCard *self,
                                                             GFile               *target);
gboolean         atlas_review_pack_card_get_downloading     (AtlasReviewPackCard *self);
const GError    *atlas_review_pack_card_get_download_error  (AtlasReviewPackCard *self);

G_END_DECLS
