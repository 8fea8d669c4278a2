/* atlas-backend-json.h — JSON writing of the reference backend (private)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define ATLAS_BACKEND_WEB_BASE "https://atlas.example.test"

void      atlas_backend_append_json_string (GString      *out,
                                            const char   *str);
void      atlas_backend_append_time        (GString      *out,
                                            gint64        unix_seconds);
void      atlas_backend_append_run         (GString      *out,
                                            sqlite3_stmt *stmt,
                                            gint64        viewer_id);
void      atlas_backend_append_pack        (GString      *out,
                                            sqlite3_stmt *stmt,
                                            int           first_column);
char     *atlas_backend_format_time        (gint64        unix_seconds);
gboolean  atlas_backend_parse_time         (const char   *text,
                                            gint64       *out_seconds);

G_END_DECLS
