/* atlas-ui-util.h — plain text for widgets that parse markup; a property setter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-error-presenter.h"

G_BEGIN_DECLS

/* For text that may come from the server (an error's message): shown literally. */
void       atlas_status_page_set_plain_description (AdwStatusPage *page,
                                                    const char    *text);
AdwToast  *atlas_toast_new_plain        (const char *text);
GtkWidget *atlas_mnemonic_button_new    (const char *label);
void       atlas_accessible_name_buttons (GtkWidget *root);

gboolean   atlas_set_int64_property     (GObject    *object,
                                         gint64     *field,
                                         gint64      value,
                                         GParamSpec *pspec);

void       atlas_stack_track_loading_spinner (GtkStack  *stack,
                                              GtkWidget *spinner);

void       atlas_status_page_show_error (AdwStatusPage                *page,
                                         const AtlasErrorPresentation *presentation);

G_END_DECLS
