/* atlas-review-pack-presenter.h — how every surface shows a tenant's review pack
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-presenter.h"
#include "atlas-types.h"

G_BEGIN_DECLS

typedef struct
{
  AtlasBadge  badge;
  gboolean    is_active;
  char       *detail;                 /* nullable: "Generated 22 Nov 2026 · 482.1 kB" */
  char       *expiry;                 /* nullable, ready only: "Expires 22 Dec 2026" */
  gboolean    downloadable;           /* ready and not past its expiry */
  guint       poll_interval_ms;
  char       *accessible_description;
} AtlasReviewPackPresentation;

AtlasReviewPackPresentation *atlas_review_pack_present           (AtlasReviewPack             *pack,
                                                                  gint64                       now);
const char                  *atlas_review_pack_intent_message    (gboolean                     deduped);
void                         atlas_review_pack_presentation_free (AtlasReviewPackPresentation *presentation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasReviewPackPresentation, atlas_review_pack_presentation_free)

G_END_DECLS
