/* atlas-tenant-presenter.h — how a tenant card is shown: calm or elevated, never both
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-presenter.h"
#include "atlas-types.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean    elevated;                /* likely-stale work or follow-up: never calm */
  AtlasBadge  badge;
  char       *summary;                 /* "2 active · 1 likely stale · 3 failed recently" */
  guint       poll_interval_ms;        /* 10 s while the tenant has active runs */
  char       *accessible_description;
} AtlasTenantPresentation;

/* Who needs someone first, issue 14's order: lower ranks come first. */
typedef enum
{
  ATLAS_TENANT_RANK_STUCK,                 /* likely-stale active work */
  ATLAS_TENANT_RANK_FAILED,                /* recent failures or follow-up */
  ATLAS_TENANT_RANK_ACTIVE,                /* work going, nothing wrong */
  ATLAS_TENANT_RANK_QUIET,
} AtlasTenantRank;

AtlasTenantPresentation *atlas_tenant_present              (AtlasTenantSummary      *tenant);
void                     atlas_tenant_presentation_free    (AtlasTenantPresentation *presentation);
AtlasTenantRank          atlas_tenant_attention_rank       (AtlasTenantSummary      *tenant);
int                      atlas_tenant_compare_attention    (AtlasTenantSummary      *a,
                                                            AtlasTenantSummary      *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasTenantPresentation, atlas_tenant_presentation_free)

G_END_DECLS
