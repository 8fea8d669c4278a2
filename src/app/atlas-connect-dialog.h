/* atlas-connect-dialog.h — ask for the backend address and the token
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATLAS_TYPE_CONNECT_DIALOG (atlas_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtlasConnectDialog, atlas_connect_dialog, ATLAS, CONNECT_DIALOG, AdwMessageDialog)

/* Called with the address and token the user confirmed; never with invalid ones. */
typedef void (*AtlasConnectFunc) (const char *backend_url,
                                  const char *token,
                                  gpointer    user_data);

GtkWidget *atlas_connect_dialog_new (GtkWindow        *parent,
                                     const char       *backend_url,
                                     AtlasConnectFunc  func,
                                     gpointer          user_data);

GtkWidget *atlas_connect_dialog_get_url_row   (GtkWidget *dialog);
GtkWidget *atlas_connect_dialog_get_token_row (GtkWidget *dialog);

G_END_DECLS
