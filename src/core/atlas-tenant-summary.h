/* atlas-tenant-summary.h — one tenant's line in the workspace overview
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atlas-types.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_TENANT_SUMMARY (atlas_tenant_summary_get_type ())
G_DECLARE_FINAL_TYPE (AtlasTenantSummary, atlas_tenant_summary, ATLAS, TENANT_SUMMARY, GObject)

AtlasTenantSummary *atlas_tenant_summary_new_from_json        (JsonObject         *object,
                                                               GError            **error);
gboolean            atlas_tenant_summary_update_from          (AtlasTenantSummary *self,
                                                               AtlasTenantSummary *newer);
gint64              atlas_tenant_summary_get_id               (AtlasTenantSummary *self);
const char         *atlas_tenant_summary_get_name             (AtlasTenantSummary *self);
gint64              atlas_tenant_summary_get_active_count     (AtlasTenantSummary *self);
gint64              atlas_tenant_summary_get_stale_active_count (AtlasTenantSummary *self);
gint64              atlas_tenant_summary_get_failed_recent_count (AtlasTenantSummary *self);
gboolean            atlas_tenant_summary_get_needs_attention  (AtlasTenantSummary *self);
gint64              atlas_tenant_summary_get_last_activity_at (AtlasTenantSummary *self);

G_END_DECLS
