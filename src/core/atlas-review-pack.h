/* atlas-review-pack.h — the latest review pack of a tenant
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atlas-types.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_REVIEW_PACK (atlas_review_pack_get_type ())
G_DECLARE_FINAL_TYPE (AtlasReviewPack, atlas_review_pack, ATLAS, REVIEW_PACK, GObject)

AtlasReviewPack       *atlas_review_pack_new_from_json         (JsonObject      *object,
                                                                GError         **error);
gboolean               atlas_review_pack_update_from           (AtlasReviewPack *self,
                                                                AtlasReviewPack *newer);
gint64                 atlas_review_pack_get_id                (AtlasReviewPack *self);
gint64                 atlas_review_pack_get_tenant_id         (AtlasReviewPack *self);
AtlasReviewPackStatus  atlas_review_pack_get_status            (AtlasReviewPack *self);
const char            *atlas_review_pack_get_status_text       (AtlasReviewPack *self);
gint64                 atlas_review_pack_get_operation_run_id  (AtlasReviewPack *self);
gint64                 atlas_review_pack_get_generated_at      (AtlasReviewPack *self);
gint64                 atlas_review_pack_get_expires_at        (AtlasReviewPack *self);
gint64                 atlas_review_pack_get_file_size         (AtlasReviewPack *self);
const char            *atlas_review_pack_get_download_url      (AtlasReviewPack *self);
gboolean               atlas_review_pack_is_active             (AtlasReviewPack *self);

AtlasReviewPackStatus  atlas_review_pack_status_from_string    (const char      *text);

G_END_DECLS
