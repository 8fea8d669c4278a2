/* atlas-backend-server.h — the reference Operator API v1 server (SoupServer + SQLite)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  const char *db_path;       /* NULL = in memory */
  const char *scenario;      /* "demo" | "empty" | "test" | "scale"; NULL = "demo" */
  gboolean    test_control;  /* enables /api/v1/_test/… */
  guint64     seed;          /* 0 = scenario default */
  gboolean    gzip;          /* Content-Encoding: gzip when the request accepts it */
} AtlasBackendOptions;

/* Faults for the next `count` requests (test control and the C API share them). */
typedef enum
{
  ATLAS_BACKEND_FAULT_LATENCY,    /* delay the answer by latency_ms */
  ATLAS_BACKEND_FAULT_STATUS,     /* 429 or 503 with Retry-After */
  ATLAS_BACKEND_FAULT_MALFORMED,  /* 200 with a body that is not JSON */
  ATLAS_BACKEND_FAULT_CUT_JSON,   /* 200, consistent Content-Length, JSON cut in half */
  ATLAS_BACKEND_FAULT_TRUNCATED,  /* Content-Length larger than what is sent, then close */
} AtlasBackendFaultKind;

typedef struct
{
  AtlasBackendFaultKind kind;
  guint                 count;        /* number of requests affected, ≥ 1 */
  guint                 latency_ms;   /* LATENCY */
  guint                 status;       /* STATUS: 429 or 503 */
  const char           *retry_after;  /* STATUS: seconds or HTTP-date; NULL = "5" */
  const char           *path_prefix;  /* only requests under this path; NULL = any */
} AtlasBackendFault;

#define ATLAS_BACKEND_TYPE_SERVER (atlas_backend_server_get_type ())

G_DECLARE_FINAL_TYPE (AtlasBackendServer, atlas_backend_server, ATLAS, BACKEND_SERVER, GObject)

AtlasBackendServer *atlas_backend_server_new                  (const AtlasBackendOptions  *options,
                                                               GError                    **error);
gboolean            atlas_backend_server_start                (AtlasBackendServer         *self,
                                                               const char                 *address,
                                                               guint                       port,
                                                               GError                    **error);
void                atlas_backend_server_stop                 (AtlasBackendServer         *self);
gboolean            atlas_backend_server_is_running           (AtlasBackendServer         *self);
guint               atlas_backend_server_get_port             (AtlasBackendServer         *self);
char               *atlas_backend_server_dup_base_url         (AtlasBackendServer         *self);
const char         *atlas_backend_server_get_token            (AtlasBackendServer         *self,
                                                               const char                 *role);
guint64             atlas_backend_server_get_request_count    (AtlasBackendServer         *self,
                                                               const char                 *path_prefix);
void                atlas_backend_server_reset_request_counts (AtlasBackendServer         *self);
void                atlas_backend_server_set_clock            (AtlasBackendServer         *self,
                                                               gint64                      unix_seconds);
gint64              atlas_backend_server_get_clock            (AtlasBackendServer         *self);
void                atlas_backend_server_advance              (AtlasBackendServer         *self,
                                                               gint64                      seconds);
gint64              atlas_backend_server_insert_run_json      (AtlasBackendServer         *self,
                                                               const char                 *json,
                                                               GError                    **error);
gboolean            atlas_backend_server_patch_run_json       (AtlasBackendServer         *self,
                                                               gint64                      run_id,
                                                               const char                 *json,
                                                               GError                    **error);
void                atlas_backend_server_inject_fault         (AtlasBackendServer         *self,
                                                               const AtlasBackendFault    *fault);
void                atlas_backend_server_clear_faults         (AtlasBackendServer         *self);
void                atlas_backend_server_set_poll_interval    (AtlasBackendServer         *self,
                                                               guint                       seconds);
void                atlas_backend_server_set_hold_requests    (AtlasBackendServer         *self,
                                                               gboolean                    hold);
void                atlas_backend_server_set_limits           (AtlasBackendServer         *self,
                                                               guint                       header_timeout_ms,
                                                               guint                       idle_timeout_ms,
                                                               guint                       max_connections);
void                atlas_backend_server_set_gzip             (AtlasBackendServer         *self,
                                                               gboolean                    gzip);
gboolean            atlas_backend_server_get_gzip             (AtlasBackendServer         *self);
guint64             atlas_backend_server_get_gzip_count       (AtlasBackendServer         *self);

G_END_DECLS
