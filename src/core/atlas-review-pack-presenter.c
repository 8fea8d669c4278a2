/* atlas-review-pack-presenter.c — label, tone and poll interval of the review pack card
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-review-pack-presenter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "atlas-poll-policy.h"
#include "atlas-review-pack-presenter.h"
#include "atlas-review-pack.h"

static char *
format_date (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;
  char *date;

  if (t == ATLAS_TIME_NONE || (dt = g_date_time_new_from_unix_utc (t)) == NULL)
    return NULL;
  /* TRANSLATORS: strftime format of the generated date, e.g. "22 Nov 2026" */
  date = g_date_time_format (dt, C_("review pack date", "%e %b %Y"));
  return date != NULL ? g_strstrip (date) : NULL;
}

static char *
ready_detail (AtlasReviewPack *pack)
{
  gint64 size = atlas_review_pack_get_file_size (pack);
  g_autofree char *date = format_date (atlas_review_pack_get_generated_at (pack));
  g_autofree char *bytes = NULL;

  if (size >= 0)
    bytes = g_format_size ((guint64) size);

  if (date != NULL && bytes != NULL)
    /* TRANSLATORS: "Generated 22 Nov 2026 · 482.1 kB" */
    return g_strdup_printf (_("Generated %s · %s"), date, bytes);
  if (date != NULL)
    /* TRANSLATORS: %s is a date such as "22 Nov 2026" */
    return g_strdup_printf (_("Generated %s"), date);
  return g_steal_pointer (&bytes);
}

/**
 * atlas_review_pack_present:
 * @pack: (nullable): the tenant's latest pack, or %NULL when there is none yet
 * @now: server time, or ATLAS_TIME_NONE: a ready pack past its expiry is expired
 *   (its file is gone) even before the server says so
 */
AtlasReviewPackPresentation *
atlas_review_pack_present (AtlasReviewPack *pack,
                           gint64           now)
{
  AtlasReviewPackPresentation *p = g_new0 (AtlasReviewPackPresentation, 1);
  AtlasReviewPackStatus status;

  if (pack == NULL)
    {
      p->badge = (AtlasBadge) { _("No review pack yet"), ATLAS_TONE_NEUTRAL, "folder-documents-symbolic" };
      p->accessible_description = g_strdup (_("Review pack: none generated yet."));
      return p;
    }

  status = atlas_review_pack_get_status (pack);
  if (status == ATLAS_REVIEW_PACK_STATUS_READY && now != ATLAS_TIME_NONE &&
      atlas_review_pack_get_expires_at (pack) != ATLAS_TIME_NONE && atlas_review_pack_get_expires_at (pack) <= now)
    status = ATLAS_REVIEW_PACK_STATUS_EXPIRED;
  switch (status)
    {
    case ATLAS_REVIEW_PACK_STATUS_QUEUED:
      p->badge = (AtlasBadge) { _("Queued"), ATLAS_TONE_NEUTRAL, "alarm-symbolic" };
      break;
    case ATLAS_REVIEW_PACK_STATUS_GENERATING:
      p->badge = (AtlasBadge) { _("Generating"), ATLAS_TONE_ACCENT, "media-playback-start-symbolic" };
      break;
    case ATLAS_REVIEW_PACK_STATUS_READY:
      p->badge = (AtlasBadge) { _("Ready"), ATLAS_TONE_SUCCESS, "object-select-symbolic" };
      p->detail = ready_detail (pack);
      p->downloadable = atlas_review_pack_get_download_url (pack) != NULL;
      {
        g_autofree char *expires = format_date (atlas_review_pack_get_expires_at (pack));

        if (expires != NULL)
          /* TRANSLATORS: a ready review pack's expiry, e.g. "Expires 22 Dec 2026" */
          p->expiry = g_strdup_printf (_("Expires %s"), expires);
      }
      break;
    case ATLAS_REVIEW_PACK_STATUS_FAILED:
      p->badge = (AtlasBadge) { _("Failed"), ATLAS_TONE_ERROR, "dialog-error-symbolic" };
      break;
    case ATLAS_REVIEW_PACK_STATUS_EXPIRED:
      p->badge = (AtlasBadge) { _("Expired"), ATLAS_TONE_WARNING, "dialog-warning-symbolic" };
      break;
    case ATLAS_REVIEW_PACK_STATUS_UNKNOWN:
    default:
      p->badge = (AtlasBadge) { _("Unknown"), ATLAS_TONE_NEUTRAL, "dialog-question-symbolic" };
      break;
    }

  p->is_active = atlas_review_pack_is_active (pack);
  p->poll_interval_ms = atlas_poll_interval_for_review_pack (pack);
  if (p->detail != NULL && p->expiry != NULL)
    /* TRANSLATORS: screen reader text, "Review pack: Ready. Generated 22 Nov 2026 · 482.1 kB. Expires 22 Dec 2026." */
    p->accessible_description = g_strdup_printf (_("Review pack: %s. %s. %s."), p->badge.label, p->detail, p->expiry);
  else if (p->detail != NULL)
    /* TRANSLATORS: screen reader text, "Review pack: Ready. Generated 22 Nov 2026 · 482.1 kB." */
    p->accessible_description = g_strdup_printf (_("Review pack: %s. %s."), p->badge.label, p->detail);
  else
    /* TRANSLATORS: screen reader text, "Review pack: Generating." */
    p->accessible_description = g_strdup_printf (_("Review pack: %s."), p->badge.label);

  return p;
}

/* Spec 110: after "Generate", an intent toast only — never a completion claim. */
const char *
atlas_review_pack_intent_message (gboolean deduped)
{
  if (deduped)
    return _("A review pack is already queued");
  return _("Review pack generation queued");
}

void
atlas_review_pack_presentation_free (AtlasReviewPackPresentation *presentation)
{
  if (presentation == NULL)
    return;
  g_free (presentation->detail);
  g_free (presentation->expiry);
  g_free (presentation->accessible_description);
  g_free (presentation);
}
