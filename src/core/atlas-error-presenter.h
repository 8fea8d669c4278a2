/* atlas-error-presenter.h — what every surface says about a failed request
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the failed request was for: the not-found and permission wording names it. */
typedef enum
{
  ATLAS_ERROR_SUBJECT_NONE,
  ATLAS_ERROR_SUBJECT_WORKSPACE,
  ATLAS_ERROR_SUBJECT_TENANT,
  ATLAS_ERROR_SUBJECT_OPERATION,
  ATLAS_ERROR_SUBJECT_OPERATIONS,
  ATLAS_ERROR_SUBJECT_REVIEW_PACK,
} AtlasErrorSubject;

/* The actions a surface offers; it shows those it has a control for. */
typedef enum
{
  ATLAS_ERROR_OFFER_NONE          = 0,
  ATLAS_ERROR_OFFER_TRY_AGAIN     = 1 << 0,
  ATLAS_ERROR_OFFER_SIGN_IN       = 1 << 1,
  ATLAS_ERROR_OFFER_CHANGE_SERVER = 1 << 2,
  ATLAS_ERROR_OFFER_BACK          = 1 << 3,
} AtlasErrorOffers;

typedef struct
{
  AtlasErrorSubject subject;
  gint64            data_age;      /* seconds since the data on screen was fresh; -1 = none shown */
  gint64            retry_in_ms;   /* when the next try goes out; -1 = unknown */
  gboolean          unattended;    /* a kiosk: nobody to press a button, a refused token is retried */
} AtlasErrorContext;

typedef struct
{
  const char       *icon_name;
  char             *title;
  char             *description;   /* plain text: may carry the server's message */
  char             *status;        /* nullable: "Showing data from 2 min ago; retrying in 12 s." */
  char             *banner;        /* nullable: title and status in one line, over kept data */
  gboolean          retrying;      /* the app tries again by itself */
  gboolean          keeps_data;    /* the last good data may stay on screen (with the banner) */
  AtlasErrorOffers  offers;
} AtlasErrorPresentation;

AtlasErrorPresentation *atlas_error_present            (const GError            *error,
                                                        const AtlasErrorContext *context);
const char             *atlas_error_offer_label        (AtlasErrorOffers         offer);
char                   *atlas_error_offline_banner     (GDateTime               *since);
void                    atlas_error_presentation_free  (AtlasErrorPresentation  *presentation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasErrorPresentation, atlas_error_presentation_free)

G_END_DECLS
