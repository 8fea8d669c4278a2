/* atlas-page.c — the interface the overview, dashboard, operations list and run detail share
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window binds its title to the visible page's "title" and "subtitle" and sends
 * Ctrl+R to its refresh, so it never needs to know which page it shows.
 * A page whose subtitle is %NULL leaves the window's own (the workspace name).
 */

#define G_LOG_DOMAIN "atlas-page"

#include "config.h"

#include "atlas-page.h"

G_DEFINE_INTERFACE (AtlasPage, atlas_page, GTK_TYPE_WIDGET)

static void
atlas_page_default_init (AtlasPageInterface *iface)
{
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("title", NULL, NULL, NULL,
                                                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                            G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("subtitle", NULL, NULL, NULL,
                                                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                            G_PARAM_STATIC_STRINGS));
}

/**
 * atlas_page_dup_title:
 *
 * Returns: (transfer full) (nullable): what the window's title says on this page
 */
char *
atlas_page_dup_title (AtlasPage *self)
{
  char *title = NULL;

  g_return_val_if_fail (ATLAS_IS_PAGE (self), NULL);

  g_object_get (self, "title", &title, NULL);
  return title;
}

/**
 * atlas_page_dup_subtitle:
 *
 * Returns: (transfer full) (nullable): the line under the title, or %NULL for the
 *   window's default
 */
char *
atlas_page_dup_subtitle (AtlasPage *self)
{
  char *subtitle = NULL;

  g_return_val_if_fail (ATLAS_IS_PAGE (self), NULL);

  g_object_get (self, "subtitle", &subtitle, NULL);
  return subtitle;
}

void
atlas_page_refresh (AtlasPage *self)
{
  AtlasPageInterface *iface;

  g_return_if_fail (ATLAS_IS_PAGE (self));

  iface = ATLAS_PAGE_GET_IFACE (self);
  if (iface->refresh != NULL)
    iface->refresh (self);
}
