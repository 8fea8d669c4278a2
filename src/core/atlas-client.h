/* atlas-client.h — the one HTTP client of the Operator API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atlas-api.h"

G_BEGIN_DECLS

#define ATLAS_CLIENT_ERROR (atlas_client_error_quark ())

/* One domain for everything a request can end in, following the contract's table. */
typedef enum
{
  ATLAS_CLIENT_ERROR_BAD_REQUEST,       /* 400 and other 4xx: show the message, no retry */
  ATLAS_CLIENT_ERROR_UNAUTHENTICATED,   /* 401: ask for a token again, stop polling */
  ATLAS_CLIENT_ERROR_FORBIDDEN,         /* 403: "You don't have permission", stop polling */
  ATLAS_CLIENT_ERROR_NOT_FOUND,         /* 404: "Not found", stop polling, no hint */
  ATLAS_CLIENT_ERROR_CONFLICT,          /* 409 */
  ATLAS_CLIENT_ERROR_VALIDATION,        /* 422 */
  ATLAS_CLIENT_ERROR_RATE_LIMITED,      /* 429: wait Retry-After, back off */
  ATLAS_CLIENT_ERROR_UNAVAILABLE,       /* 503 and other 5xx: wait Retry-After, back off */
  ATLAS_CLIENT_ERROR_NETWORK,           /* no connection, refused, reset */
  ATLAS_CLIENT_ERROR_TIMEOUT,           /* connect or read took longer than the timeout */
  ATLAS_CLIENT_ERROR_INVALID_RESPONSE,  /* malformed, truncated, oversized, wrong shape */
  ATLAS_CLIENT_ERROR_INSECURE,          /* plain http:// to a host that is not loopback */
} AtlasClientError;

typedef enum
{
  ATLAS_CLIENT_FLAGS_NONE           = 0,
  ATLAS_CLIENT_FLAGS_ALLOW_INSECURE = 1 << 0,   /* plain http:// beyond loopback */
} AtlasClientFlags;

/* What one request brought back. Immutable; the payload may be shared with the
 * ETag cache (a 304 hands back the payload parsed the first time). */
typedef struct
{
  guint     status;              /* HTTP status of this response (304 when revalidated) */
  gboolean  not_modified;        /* the payload came from the cache */
  gint64    server_time;         /* Unix seconds: Date header, or local clock + last known skew */
  gboolean  server_time_estimated;
  guint     poll_interval_ms;    /* X-Poll-Interval, 0 when absent */
  gboolean  preference_applied;  /* a held request: the server answered Preference-Applied: wait */
  gpointer  payload;             /* an atlas-api.h payload, owned by the response */
} AtlasResponse;

typedef struct
{
  AtlasTab    tab;
  gint64      tenant_id;         /* 0 = all tenants */
  const char *type;              /* NULL = all types */
  const char *problem_class;     /* NULL = any */
  gint64      page;              /* 1-based; 0 = default */
  gint64      per_page;          /* 0 = server default */
  const char *q;                 /* search: tenant name, type label, "#id"; NULL or "" = none */
} AtlasOperationsQuery;

#define ATLAS_TYPE_CLIENT (atlas_client_get_type ())
G_DECLARE_FINAL_TYPE (AtlasClient, atlas_client, ATLAS, CLIENT, GObject)

GQuark         atlas_client_error_quark            (void);
guint          atlas_client_error_get_retry_after_ms (const GError *error);
guint          atlas_client_error_get_status       (const GError *error);
gboolean       atlas_client_error_is_transient     (const GError *error);

AtlasClient   *atlas_client_new                    (const char        *base_url,
                                                    const char        *token,
                                                    AtlasClientFlags   flags,
                                                    GError           **error);
const char    *atlas_client_get_base_url           (AtlasClient       *self);
void           atlas_client_set_token              (AtlasClient       *self,
                                                    const char        *token);
void           atlas_client_set_timeout            (AtlasClient       *self,
                                                    guint              seconds);
void           atlas_client_set_user_agent         (AtlasClient       *self,
                                                    const char        *user_agent);
gint64         atlas_client_get_server_time        (AtlasClient       *self);
const GError  *atlas_client_get_session_error      (AtlasClient       *self);

void           atlas_client_fetch_async            (AtlasClient       *self,
                                                    const char        *path,
                                                    AtlasPayloadParser parser,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
AtlasResponse *atlas_client_fetch_finish           (AtlasClient       *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);

void           atlas_client_get_me_async           (AtlasClient *self, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_get_overview_async     (AtlasClient *self, gint64 workspace_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_wait_overview_async    (AtlasClient *self, gint64 workspace_id, guint wait_s,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_list_operations_async  (AtlasClient *self, gint64 workspace_id,
                                                    const AtlasOperationsQuery *query,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_get_run_async          (AtlasClient *self, gint64 workspace_id,
                                                    gint64 run_id, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_get_dashboard_async    (AtlasClient *self, gint64 tenant_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_get_review_pack_async  (AtlasClient *self, gint64 tenant_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_generate_review_pack_async (AtlasClient *self, gint64 tenant_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
void           atlas_client_get_notifications_async (AtlasClient *self, gint64 after_id,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);

/* Bytes written so far and the total (-1 when the server did not say). */
typedef void (*AtlasDownloadProgress) (goffset  received,
                                       goffset  total,
                                       gpointer user_data);

void           atlas_client_download_async         (AtlasClient           *self,
                                                    const char            *url,
                                                    GFile                 *destination,
                                                    AtlasDownloadProgress  progress,
                                                    gpointer               progress_data,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
goffset        atlas_client_download_finish        (AtlasClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);

AtlasResponse *atlas_response_ref                  (AtlasResponse     *response);
AtlasResponse *atlas_response_new_part             (const AtlasResponse *whole,
                                                    gpointer             payload);
void           atlas_response_unref                (AtlasResponse     *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtlasResponse, atlas_response_unref)

G_END_DECLS
