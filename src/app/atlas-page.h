/* atlas-page.h — what the window asks of every page: a title, a subtitle, refresh
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ATLAS_TYPE_PAGE (atlas_page_get_type ())
G_DECLARE_INTERFACE (AtlasPage, atlas_page, ATLAS, PAGE, GtkWidget)

struct _AtlasPageInterface
{
  GTypeInterface parent_iface;

  /* Fetch now, outside the page's own rule (Ctrl+R, or discovery saw the workspace change). */
  void (*refresh) (AtlasPage *self);
};

char *atlas_page_dup_title    (AtlasPage *self);
char *atlas_page_dup_subtitle (AtlasPage *self);
void  atlas_page_refresh      (AtlasPage *self);

G_END_DECLS
