/* atlas-credentials.h — bearer tokens in the keyring (libsecret), never anywhere else
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      atlas_credentials_lookup_async  (const char          *backend_url,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char     *atlas_credentials_lookup_finish (GAsyncResult        *result,
                                           GError             **error);
void      atlas_credentials_store_async   (const char          *backend_url,
                                           const char          *token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  atlas_credentials_store_finish  (GAsyncResult        *result,
                                           GError             **error);

void      atlas_credentials_clear_async   (const char          *backend_url,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  atlas_credentials_clear_finish  (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
