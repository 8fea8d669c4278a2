/* atlas-json.h — the one bounded, typed JSON reader of the Operator API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atlas-types.h"

G_BEGIN_DECLS

/* Limits every response is held to before json-glib sees it (json-glib 1.6 has no
 * depth limit of its own, and recursion on 100,000 nested arrays would crash it). */
#define ATLAS_JSON_MAX_BYTES (8 * 1024 * 1024)
#define ATLAS_JSON_MAX_DEPTH 64
/* Values (objects, arrays, strings, numbers, literals) in one document. The largest
 * real answer, a 100-run page with 20 failures per run, every count and the
 * reconciliation filled, holds 9,712 values; 50,000 is five times that. It keeps
 * json-glib's nodes for any accepted document near 30 MB, and the 8 MiB
 * amplification body (2.8 million empty objects) is refused before json-glib sees
 * a byte (bench/bench-boundary.c measures both). */
#define ATLAS_JSON_MAX_VALUES 50000

#define ATLAS_JSON_ERROR (atlas_json_error_quark ())

typedef enum
{
  ATLAS_JSON_ERROR_TOO_LARGE,
  ATLAS_JSON_ERROR_TOO_DEEP,
  ATLAS_JSON_ERROR_INVALID_UTF8,
  ATLAS_JSON_ERROR_SYNTAX,
  ATLAS_JSON_ERROR_DUPLICATE_KEY,
  ATLAS_JSON_ERROR_NUMBER_RANGE,
  ATLAS_JSON_ERROR_WRONG_TYPE,
  ATLAS_JSON_ERROR_MISSING_FIELD,
  ATLAS_JSON_ERROR_INVALID_VALUE,
} AtlasJsonError;

GQuark      atlas_json_error_quark     (void);

gboolean    atlas_json_check           (const char  *data,
                                        gsize        length,
                                        GError     **error);
JsonNode   *atlas_json_parse           (const char  *data,
                                        gsize        length,
                                        GError     **error);
JsonNode   *atlas_json_parse_bytes     (GBytes      *bytes,
                                        GError     **error);

/* Typed member access. A missing member or JSON null is fine unless @required; then
 * the default is stored. A present member of the wrong type is always an error. */
gboolean    atlas_json_get_int64       (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        gint64       default_value,
                                        gint64      *out,
                                        GError     **error);
gboolean    atlas_json_get_boolean     (JsonObject  *object,
                                        const char  *member,
                                        gboolean     default_value,
                                        gboolean    *out,
                                        GError     **error);
gboolean    atlas_json_get_string      (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        char       **out,
                                        GError     **error);
gboolean    atlas_json_get_timestamp   (JsonObject  *object,
                                        const char  *member,
                                        gint64      *out,
                                        GError     **error);
gboolean    atlas_json_get_object      (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        JsonObject **out,
                                        GError     **error);
gboolean    atlas_json_get_array       (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        JsonArray  **out,
                                        GError     **error);
gboolean    atlas_json_node_get_int64  (JsonNode    *node,
                                        gint64      *out);

gint64      atlas_timestamp_parse      (const char  *text);
gint64      atlas_time_diff            (gint64       now,
                                        gint64       then);
char       *atlas_timestamp_format     (gint64       unix_seconds);

G_END_DECLS
