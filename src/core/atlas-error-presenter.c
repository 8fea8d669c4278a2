/* atlas-error-presenter.c — one mapping from a failed request to icon, words, retry and action
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of presenter-rules.md ("Errors, ordering and tones"): the domain is
 * checked first, then the code. Deny-as-not-found wording lives here and only here:
 * a 404 never says whether the thing exists.
 */

#define G_LOG_DOMAIN "atlas-error-presenter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "atlas-client.h"
#include "atlas-duration.h"
#include "atlas-error-presenter.h"

static char *
not_found_description (AtlasErrorSubject subject)
{
  switch (subject)
    {
    case ATLAS_ERROR_SUBJECT_WORKSPACE:
    case ATLAS_ERROR_SUBJECT_OPERATIONS:
      return g_strdup (_("There is no workspace with this number that you can see."));
    case ATLAS_ERROR_SUBJECT_TENANT:
    case ATLAS_ERROR_SUBJECT_REVIEW_PACK:
      return g_strdup (_("There is no tenant with this number that you can see."));
    case ATLAS_ERROR_SUBJECT_OPERATION:
      return g_strdup (_("There is no operation with this number that you can see."));
    case ATLAS_ERROR_SUBJECT_NONE:
    default:
      return g_strdup (_("There is nothing here that you can see."));
    }
}

static char *
forbidden_description (AtlasErrorSubject subject)
{
  switch (subject)
    {
    case ATLAS_ERROR_SUBJECT_WORKSPACE:
      return g_strdup (_("Your account cannot open this workspace."));
    case ATLAS_ERROR_SUBJECT_OPERATIONS:
      return g_strdup (_("Your account cannot view these operations."));
    case ATLAS_ERROR_SUBJECT_OPERATION:
      return g_strdup (_("Your account cannot view this operation."));
    case ATLAS_ERROR_SUBJECT_TENANT:
      return g_strdup (_("Your account cannot view this tenant."));
    case ATLAS_ERROR_SUBJECT_REVIEW_PACK:
      return g_strdup (_("Your account cannot generate review packs."));
    case ATLAS_ERROR_SUBJECT_NONE:
    default:
      return g_strdup (_("Your account cannot do this."));
    }
}

/* "Showing data from 2 min ago; retrying in 12 s." — what is known of both. */
static char *
retry_status (const AtlasErrorContext *context)
{
  g_autofree char *age = context->data_age >= 0 ? atlas_format_duration (context->data_age) : NULL;
  g_autofree char *wait = context->retry_in_ms >= 0 ? atlas_format_duration ((context->retry_in_ms + 999) / 1000)
                                                    : NULL;

  if (age != NULL && wait != NULL)
    /* TRANSLATORS: "Showing data from 2 min ago; retrying in 12 s." */
    return g_strdup_printf (_("Showing data from %s ago; retrying in %s."), age, wait);
  if (age != NULL)
    /* TRANSLATORS: "Showing data from 2 min ago; retrying." */
    return g_strdup_printf (_("Showing data from %s ago; retrying."), age);
  if (wait != NULL)
    /* TRANSLATORS: "Retrying in 12 s." */
    return g_strdup_printf (_("Retrying in %s."), wait);
  return g_strdup (_("Retrying automatically…"));
}

/* Transient errors: the poller backs off and asks again by itself. */
static void
present_transient (AtlasErrorPresentation *p,
                   const GError           *error)
{
  p->retrying = TRUE;
  p->keeps_data = TRUE;
  p->offers = ATLAS_ERROR_OFFER_TRY_AGAIN;
  p->description = g_strdup (error->message);

  switch ((AtlasClientError) error->code)
    {
    case ATLAS_CLIENT_ERROR_RATE_LIMITED:
    case ATLAS_CLIENT_ERROR_UNAVAILABLE:
      p->icon_name = "content-loading-symbolic";
      p->title = g_strdup (_("The backend is busy"));
      break;
    case ATLAS_CLIENT_ERROR_INVALID_RESPONSE:
      p->icon_name = "dialog-warning-symbolic";
      p->title = g_strdup (_("The backend sent an answer this version cannot use"));
      break;
    case ATLAS_CLIENT_ERROR_NETWORK:
    case ATLAS_CLIENT_ERROR_TIMEOUT:
    case ATLAS_CLIENT_ERROR_BAD_REQUEST:
    case ATLAS_CLIENT_ERROR_UNAUTHENTICATED:
    case ATLAS_CLIENT_ERROR_FORBIDDEN:
    case ATLAS_CLIENT_ERROR_NOT_FOUND:
    case ATLAS_CLIENT_ERROR_CONFLICT:
    case ATLAS_CLIENT_ERROR_VALIDATION:
    case ATLAS_CLIENT_ERROR_INSECURE:
    default:
      p->icon_name = "network-error-symbolic";
      p->title = g_strdup (_("Can't reach the backend"));
      p->offers |= ATLAS_ERROR_OFFER_CHANGE_SERVER;
      break;
    }
}

static void
present_client_error (AtlasErrorPresentation  *p,
                      const GError            *error,
                      const AtlasErrorContext *context)
{
  if (atlas_client_error_is_transient (error))
    {
      present_transient (p, error);
      return;
    }

  switch ((AtlasClientError) error->code)
    {
    case ATLAS_CLIENT_ERROR_UNAUTHENTICATED:
      p->icon_name = "dialog-password-symbolic";
      if (context->unattended)
        {
          /* Nobody can type a token on a wall: it keeps asking instead. */
          p->title = g_strdup (_("The backend refused this screen's token"));
          p->description = g_strdup (_("Retrying automatically…"));
          p->retrying = TRUE;
          break;
        }
      p->title = g_strdup (_("Sign in again"));
      p->description = g_strdup (_("The backend no longer accepts this token."));
      p->offers = ATLAS_ERROR_OFFER_SIGN_IN;
      break;
    case ATLAS_CLIENT_ERROR_FORBIDDEN:
      p->icon_name = "action-unavailable-symbolic";
      p->title = g_strdup (_("You don't have permission"));
      p->description = forbidden_description (context->subject);
      break;
    case ATLAS_CLIENT_ERROR_NOT_FOUND:
      /* Deny-as-not-found: say nothing about whether it exists, nor echo the server. */
      p->icon_name = "edit-find-symbolic";
      p->title = g_strdup (_("Not found"));
      p->description = not_found_description (context->subject);
      p->offers = ATLAS_ERROR_OFFER_BACK;
      break;
    case ATLAS_CLIENT_ERROR_INSECURE:
      p->icon_name = "channel-insecure-symbolic";
      p->title = g_strdup (_("This connection would not be private"));
      p->description = g_strdup (error->message);
      p->offers = ATLAS_ERROR_OFFER_CHANGE_SERVER;
      break;
    case ATLAS_CLIENT_ERROR_BAD_REQUEST:
    case ATLAS_CLIENT_ERROR_CONFLICT:
    case ATLAS_CLIENT_ERROR_VALIDATION:
    case ATLAS_CLIENT_ERROR_RATE_LIMITED:
    case ATLAS_CLIENT_ERROR_UNAVAILABLE:
    case ATLAS_CLIENT_ERROR_NETWORK:
    case ATLAS_CLIENT_ERROR_TIMEOUT:
    case ATLAS_CLIENT_ERROR_INVALID_RESPONSE:
    default:
      p->icon_name = "dialog-error-symbolic";
      p->title = g_strdup (_("The backend refused the request"));
      p->description = g_strdup (error->message);
      p->offers = ATLAS_ERROR_OFFER_TRY_AGAIN;
      break;
    }
}

/**
 * atlas_error_present:
 * @error: how a request failed
 * @context: (nullable): what it was for, and what the surface knows of data and retry
 *
 * Returns: (transfer full): what to show; free with atlas_error_presentation_free()
 */
AtlasErrorPresentation *
atlas_error_present (const GError            *error,
                     const AtlasErrorContext *context)
{
  static const AtlasErrorContext none = { ATLAS_ERROR_SUBJECT_NONE, -1, -1, FALSE };
  AtlasErrorPresentation *p;

  g_return_val_if_fail (error != NULL, NULL);

  if (context == NULL)
    context = &none;
  p = g_new0 (AtlasErrorPresentation, 1);

  if (error->domain == ATLAS_CLIENT_ERROR)
    present_client_error (p, error, context);
  else
    {
      /* Not a request's answer (a local failure): say what it was, offer a retry. */
      p->icon_name = "dialog-error-symbolic";
      p->title = g_strdup (_("Something went wrong"));
      p->description = g_strdup (error->message);
      p->offers = ATLAS_ERROR_OFFER_TRY_AGAIN;
    }

  if (context->unattended)
    p->offers = ATLAS_ERROR_OFFER_NONE;
  if (p->retrying && p->keeps_data)
    {
      p->status = retry_status (context);
      if (context->data_age >= 0)
        /* TRANSLATORS: "Can't reach the backend. Showing data from 2 min ago; retrying in 12 s." */
        p->banner = g_strdup_printf (_("%s. %s"), p->title, p->status);
    }
  return p;
}

/* The button label of one offer. */
const char *
atlas_error_offer_label (AtlasErrorOffers offer)
{
  switch (offer)
    {
    case ATLAS_ERROR_OFFER_TRY_AGAIN: return _("_Try Again");
    case ATLAS_ERROR_OFFER_SIGN_IN: return _("_Sign In…");
    case ATLAS_ERROR_OFFER_CHANGE_SERVER: return _("C_hange Server…");
    case ATLAS_ERROR_OFFER_BACK: return _("_Back");
    case ATLAS_ERROR_OFFER_NONE:
    default: return NULL;
    }
}

/**
 * atlas_error_offline_banner:
 * @since: when the backend stopped answering (local time is shown)
 *
 * The wall screen's outage line, over the last numbers, which stay (greyed).
 * Plain text, never markup.
 *
 * Returns: (transfer full): the banner text
 */
char *
atlas_error_offline_banner (GDateTime *since)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *at = NULL;

  g_return_val_if_fail (since != NULL, NULL);

  local = g_date_time_to_local (since);
  at = g_date_time_format (local, "%H:%M");
  /* TRANSLATORS: kiosk banner during an outage (HH:MM); the numbers stay, greyed */
  return g_strdup_printf (_("Offline since %s — the numbers shown are not live"), at);
}

void
atlas_error_presentation_free (AtlasErrorPresentation *presentation)
{
  if (presentation == NULL)
    return;
  g_free (presentation->title);
  g_free (presentation->description);
  g_free (presentation->status);
  g_free (presentation->banner);
  g_free (presentation);
}
