/* atlas-http-private.h — response header parsers, for the client, its tests and the fuzzer
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-http.h"

G_BEGIN_DECLS

#define ATLAS_HTTP_MAX_RETRY_AFTER_S   3600
#define ATLAS_HTTP_MAX_POLL_INTERVAL_S 3600

gint64         atlas_parse_http_date               (const char        *value);
gboolean       atlas_parse_retry_after             (const char        *value,
                                                    gint64             server_now,
                                                    guint             *out_ms);
gboolean       atlas_parse_poll_interval           (const char        *value,
                                                    guint             *out_ms);
gboolean       _atlas_host_is_loopback             (const char        *host);

G_END_DECLS
