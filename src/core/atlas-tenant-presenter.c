/* atlas-tenant-presenter.c — tenant cards from the same catalog as run badges
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spec 233: a tenant with likely-stale work is elevated on the overview; the stale
 * truth is the server's count, never a heuristic of ours.
 */

#define G_LOG_DOMAIN "atlas-tenant-presenter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "atlas-poll-policy.h"
#include "atlas-tenant-presenter.h"
#include "atlas-tenant-summary.h"

AtlasTenantPresentation *
atlas_tenant_present (AtlasTenantSummary *tenant)
{
  AtlasTenantPresentation *p;
  gint64 active, stale, failed;
  GString *summary;

  g_return_val_if_fail (ATLAS_IS_TENANT_SUMMARY (tenant), NULL);

  p = g_new0 (AtlasTenantPresentation, 1);
  active = atlas_tenant_summary_get_active_count (tenant);
  stale = atlas_tenant_summary_get_stale_active_count (tenant);
  failed = atlas_tenant_summary_get_failed_recent_count (tenant);

  if (stale > 0)
    {
      /* The same words as the run badge: one catalog. */
      p->badge = (AtlasBadge) { atlas_freshness_label (ATLAS_FRESHNESS_LIKELY_STALE), ATLAS_TONE_WARNING,
                                "dialog-warning-symbolic" };
      p->elevated = TRUE;
    }
  else if (atlas_tenant_summary_get_needs_attention (tenant) || failed > 0)
    {
      /* Failures read as failures (red), stuck work as stuck (amber). */
      p->badge = (AtlasBadge) { _("Needs follow-up"), failed > 0 ? ATLAS_TONE_ERROR : ATLAS_TONE_WARNING,
                                failed > 0 ? "dialog-error-symbolic" : "dialog-warning-symbolic" };
      p->elevated = TRUE;
    }
  else if (active > 0)
    p->badge = (AtlasBadge) { _("Active"), ATLAS_TONE_ACCENT, "media-playback-start-symbolic" };
  else
    p->badge = (AtlasBadge) { _("Quiet"), ATLAS_TONE_NEUTRAL, "object-select-symbolic" };

  summary = g_string_new (NULL);
  if (active == 0 && stale == 0 && failed == 0)
    g_string_append (summary, _("No active operations"));
  else if (active > 0)
    /* TRANSLATORS: parts of a tenant card's summary line, joined with " · " */
    g_string_append_printf (summary, ngettext ("%d active", "%d active", (int) active), (int) active);
  if (stale > 0)
    {
      if (summary->len > 0)
        g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%d likely stale", "%d likely stale", (int) stale), (int) stale);
    }
  if (failed > 0)
    {
      if (summary->len > 0)
        g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%d failed recently", "%d failed recently", (int) failed),
                              (int) failed);
    }
  p->summary = g_string_free (summary, FALSE);
  p->poll_interval_ms = atlas_poll_interval_for_tenant (active);
  /* TRANSLATORS: screen reader text for a tenant card: name, badge, summary line, e.g.
   * "Contoso Ltd. Needs follow-up. 1 failed recently." */
  p->accessible_description = g_strdup_printf (_("%s. %s. %s."),
                                               atlas_tenant_summary_get_name (tenant) ? atlas_tenant_summary_get_name (tenant) : "",
                                               p->badge.label, p->summary);
  return p;
}

void
atlas_tenant_presentation_free (AtlasTenantPresentation *presentation)
{
  if (presentation == NULL)
    return;
  g_free (presentation->summary);
  g_free (presentation->accessible_description);
  g_free (presentation);
}

AtlasTenantRank
atlas_tenant_attention_rank (AtlasTenantSummary *tenant)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_SUMMARY (tenant), ATLAS_TENANT_RANK_QUIET);

  if (atlas_tenant_summary_get_stale_active_count (tenant) > 0)
    return ATLAS_TENANT_RANK_STUCK;
  if (atlas_tenant_summary_get_needs_attention (tenant) || atlas_tenant_summary_get_failed_recent_count (tenant) > 0)
    return ATLAS_TENANT_RANK_FAILED;
  if (atlas_tenant_summary_get_active_count (tenant) > 0)
    return ATLAS_TENANT_RANK_ACTIVE;
  return ATLAS_TENANT_RANK_QUIET;
}

/**
 * atlas_tenant_compare_attention:
 *
 * Orders tenants by atlas_tenant_attention_rank() only: tenants of the same rank
 * compare equal, so a stable sort keeps the server's order among them and cards
 * never trade places between refreshes.
 */
int
atlas_tenant_compare_attention (AtlasTenantSummary *a,
                                AtlasTenantSummary *b)
{
  return (int) atlas_tenant_attention_rank (a) - (int) atlas_tenant_attention_rank (b);
}
