/* atlas-ui-util.c — showing text that may come from the server literally
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-ui-util"

#include "config.h"

#include "atlas-ui-util.h"

/* AdwStatusPage's description is Pango markup (libadwaita 1.2 has no switch for it):
 * a server's "&" or "<b>" would blank it or turn into formatting. */
void
atlas_status_page_set_plain_description (AdwStatusPage *page,
                                         const char    *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));
  adw_status_page_set_description (page, escaped);
}

/* A toast's title is Pango markup in libadwaita 1.2 (use-markup came in 1.4). */
AdwToast *
atlas_toast_new_plain (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}
