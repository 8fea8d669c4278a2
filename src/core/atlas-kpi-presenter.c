/* atlas-kpi-presenter.c — what a KPI tile says and how loud it is
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stuck work is never calm (warning); failures take the error tone, but only when
 * there are any: a zero is good news and is shown calm.
 */

#define G_LOG_DOMAIN "atlas-kpi-presenter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "atlas-kpi-presenter.h"

/* For templates: <property name="kpi">failed-7d</property>. */
G_DEFINE_ENUM_TYPE (AtlasKpi, atlas_kpi,
                    G_DEFINE_ENUM_VALUE (ATLAS_KPI_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (ATLAS_KPI_TENANT_ACTIVE, "tenant-active"),
                    G_DEFINE_ENUM_VALUE (ATLAS_KPI_LIKELY_STALE, "likely-stale"),
                    G_DEFINE_ENUM_VALUE (ATLAS_KPI_FAILED_RECENT, "failed-recent"),
                    G_DEFINE_ENUM_VALUE (ATLAS_KPI_FAILED_7D, "failed-7d"),
                    G_DEFINE_ENUM_VALUE (ATLAS_KPI_SUCCEEDED_7D, "succeeded-7d"))

static const char *
caption (AtlasKpi kpi)
{
  switch (kpi)
    {
    case ATLAS_KPI_ACTIVE: return _("Active operations");
    case ATLAS_KPI_TENANT_ACTIVE: return _("Active");
    case ATLAS_KPI_LIKELY_STALE: return atlas_freshness_label (ATLAS_FRESHNESS_LIKELY_STALE);
    case ATLAS_KPI_FAILED_RECENT: return _("Failed recently");
    case ATLAS_KPI_FAILED_7D: return _("Failed, last 7 days");
    case ATLAS_KPI_SUCCEEDED_7D: return _("Succeeded, last 7 days");
    case ATLAS_N_KPIS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static AtlasTone
tone (AtlasKpi kpi,
      gint64   value)
{
  if (value == ATLAS_KPI_VALUE_NONE || value <= 0)
    return ATLAS_TONE_NEUTRAL;
  switch (kpi)
    {
    case ATLAS_KPI_LIKELY_STALE:
      return ATLAS_TONE_WARNING;
    case ATLAS_KPI_FAILED_RECENT:
    case ATLAS_KPI_FAILED_7D:
      return ATLAS_TONE_ERROR;
    case ATLAS_KPI_ACTIVE:
    case ATLAS_KPI_TENANT_ACTIVE:
    case ATLAS_KPI_SUCCEEDED_7D:
    case ATLAS_N_KPIS:
    default:
      return ATLAS_TONE_NEUTRAL;
    }
}

/* One sentence with the figure in it, so a screen reader reads the tile as one. */
static char *
accessible_label (AtlasKpi    kpi,
                  gint64      value,
                  const char *number)
{
  gulong n = (gulong) CLAMP (value, 0, G_MAXLONG);

  switch (kpi)
    {
    case ATLAS_KPI_ACTIVE:
    case ATLAS_KPI_TENANT_ACTIVE:
      /* TRANSLATORS: a KPI tile read aloud, "4 active operations" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s active operation", "%s active operations", n), number);
    case ATLAS_KPI_LIKELY_STALE:
      /* TRANSLATORS: a KPI tile read aloud, "2 operations likely stale" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s operation likely stale", "%s operations likely stale", n), number);
    case ATLAS_KPI_FAILED_RECENT:
      /* TRANSLATORS: a KPI tile read aloud, "3 operations failed recently" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s operation failed recently", "%s operations failed recently", n),
                              number);
    case ATLAS_KPI_FAILED_7D:
      /* TRANSLATORS: a KPI tile read aloud, "3 operations failed in the last 7 days" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s operation failed in the last 7 days",
                                        "%s operations failed in the last 7 days", n), number);
    case ATLAS_KPI_SUCCEEDED_7D:
      /* TRANSLATORS: a KPI tile read aloud, "12 operations succeeded in the last 7 days" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s operation succeeded in the last 7 days",
                                        "%s operations succeeded in the last 7 days", n), number);
    case ATLAS_N_KPIS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * atlas_kpi_present:
 * @value: the figure, or %ATLAS_KPI_VALUE_NONE before the first answer
 *
 * Returns: (transfer full): how the tile for @kpi shows @value
 */
AtlasKpiPresentation *
atlas_kpi_present (AtlasKpi kpi,
                   gint64   value)
{
  AtlasKpiPresentation *p;

  g_return_val_if_fail (kpi < ATLAS_N_KPIS, NULL);

  p = g_new0 (AtlasKpiPresentation, 1);
  p->caption = caption (kpi);
  p->tone = tone (kpi, value);
  if (value == ATLAS_KPI_VALUE_NONE)
    {
      p->value_text = g_strdup ("–");
      /* TRANSLATORS: a KPI tile read aloud before its figure arrived, "Active operations, loading" */
      p->accessible_label = g_strdup_printf (_("%s, loading"), p->caption);
    }
  else
    {
      p->value_text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      p->accessible_label = accessible_label (kpi, value, p->value_text);
    }
  return p;
}

void
atlas_kpi_presentation_free (AtlasKpiPresentation *presentation)
{
  if (presentation == NULL)
    return;
  g_free (presentation->value_text);
  g_free (presentation->accessible_label);
  g_free (presentation);
}
