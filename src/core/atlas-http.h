/* atlas-http.h — what the client needs to know about HTTP beyond libsoup: origins, loopback
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean       atlas_url_is_loopback               (const char        *url);
gboolean       atlas_uri_same_origin               (GUri              *a,
                                                    GUri              *b);

G_END_DECLS
