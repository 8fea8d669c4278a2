/* atlas-kpi-presenter.h — the KPI tiles: caption, figure, tone, one sentence for screen readers
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-presenter.h"

G_BEGIN_DECLS

typedef enum
{
  ATLAS_KPI_ACTIVE,              /* the overview: active operations of the workspace */
  ATLAS_KPI_TENANT_ACTIVE,       /* a tenant's dashboard: its active operations */
  ATLAS_KPI_LIKELY_STALE,
  ATLAS_KPI_FAILED_RECENT,
  ATLAS_KPI_FAILED_7D,
  ATLAS_KPI_SUCCEEDED_7D,
  ATLAS_N_KPIS
} AtlasKpi;

#define ATLAS_TYPE_KPI (atlas_kpi_get_type ())
GType atlas_kpi_get_type (void) G_GNUC_CONST;

/* ATLAS_KPI_VALUE_NONE: nothing loaded yet. */
#define ATLAS_KPI_VALUE_NONE G_MININT64

typedef struct
{
  const char *caption;            /* "Active operations" */
  char       *value_text;         /* "4", or "–" before the first answer */
  AtlasTone   tone;               /* neutral, warning (stuck work) or error (failures) */
  char       *accessible_label;   /* "4 active operations": the tile read as one */
} AtlasKpiPresentation;

AtlasKpiPresentation *atlas_kpi_present           (AtlasKpi              kpi,
                                                   gint64                value);
void                  atlas_kpi_presentation_free (AtlasKpiPresentation *presentation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasKpiPresentation, atlas_kpi_presentation_free)

G_END_DECLS
