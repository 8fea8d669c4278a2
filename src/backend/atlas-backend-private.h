/* atlas-backend-private.h — what the server's source files share (not installed)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "atlas-backend-json.h"
#include "atlas-backend-server.h"
#include "atlas-backend-simulator.h"
#include "atlas-backend-store.h"

G_BEGIN_DECLS

#define API_PREFIX           "/api/v1"
#define TEST_PREFIX          "/api/v1/_test"
#define MAX_BODY_BYTES       (256 * 1024)
#define MAX_JSON_DEPTH       32
#define MAX_DELAYED          64
#define RECENT_SECONDS       (24 * 3600)
#define WEEK_SECONDS         (7 * 24 * 3600)
#define TEST_EPOCH           G_GINT64_CONSTANT (1795343590) /* 2026-11-22T10:33:10Z */
#define ATLAS_BACKEND_MAX_SEARCH 100   /* characters of the operations list's q */
#define ATLAS_BACKEND_MAX_ACTIVE_OPERATIONS 100  /* runs in active_operations (= max per_page) */
#define ATLAS_BACKEND_SEARCH_SORT_LIMIT 2000   /* matches up to which a search sorts them */

/* Error codes are HTTP statuses, so a GError maps onto a response directly. */
#define ATLAS_BACKEND_ERROR (atlas_backend_error_quark ())
GQuark atlas_backend_error_quark (void);

typedef enum
{
  CAP_VIEW     = 1 << 0,
  CAP_GENERATE = 1 << 1,
} Capabilities;

typedef struct
{
  gint64  workspace_id;
  char   *workspace_name;
  char   *capabilities;   /* space separated, as stored */
  guint   caps;
} Membership;

typedef struct
{
  gint64  id;
  char   *name;
  char   *role;
  char   *token;
  GArray *memberships;
} User;

typedef struct
{
  guint    status;
  GString *body;
  const char *retry_after;
  const char *allow;
  const char *content_type;   /* NULL = application/json (and gzip when asked) */
  char        filename[96];   /* non-empty: Content-Disposition: attachment */
} Response;

typedef struct
{
  AtlasBackendFault  fault;
  char              *retry_after;
  char              *path_prefix;
} PendingFault;

typedef struct
{
  AtlasBackendServer *self;
  SoupServerMessage  *msg;
  guint               source_id;
} Delayed;

typedef struct
{
  gint64  changes;
  gint64  now;
  char   *body;
} CachedBody;

/* One request as a handler sees it: everything it may read, and where to answer. */
typedef struct
{
  AtlasBackendServer *self;
  SoupServerMessage  *msg;
  const char         *method;
  const User         *user;     /* NULL on public routes */
  GHashTable         *query;    /* decoded strictly, see parse_query () */
  char              **segs;     /* path segments after /api/v1/ */
  gint64              ids[2];   /* the {id} segments of the route, in order */
  AtlasBackendStore  *store;    /* the connection this request's SQL runs on */
  gint64              now;      /* server time when the request came in */
  gint64              changes;  /* database version then (see atlas_backend_resolve) */
  Response           *res;
} AtlasBackendRequest;

typedef void (*AtlasBackendHandler) (AtlasBackendRequest *req);

typedef struct
{
  const char          *pattern;    /* segments after /api/v1/; "{}" is one positive id */
  const char          *method;     /* "GET" answers HEAD too */
  gboolean             public;     /* answered without a token */
  AtlasBackendHandler  handler;
  gsize                max_body;   /* bytes; a larger body is 413 before it is read */
  const char          *bad_id[2];  /* the 400 message for each "{}" that is not an id */
  gboolean             on_main;    /* writes or needs no SQL: runs on the main context */
  gboolean             holdable;   /* honours If-None-Match + Prefer: wait=N */
  gboolean             writes;     /* changes the database (see atlas_backend_pipeline_quiesce) */
} AtlasBackendRoute;

/* A request on its way through the pipeline, from server_callback to the answer. */
typedef struct
{
  AtlasBackendServer      *self;
  SoupServerMessage       *msg;
  char                    *path;
  const AtlasBackendRoute *route;
  AtlasBackendRequest      req;
  GString                 *body;
  Response                 res;
  AtlasBackendFault        fault;
  gboolean                 faulted;
  gboolean                 paused;        /* handed to a worker or held: unpause to answer */
  gboolean                 gone;          /* the connection closed under us */
  gulong                   gone_id;
  guint                    wait_seconds;  /* Prefer: wait=N on a holdable route, else 0 */
  gint64                   hold_until;    /* server time the hold ends */
  guint                    hold_timer;    /* the same deadline in real time */
  gboolean                 hold_expired;
  char                    *sum;           /* SHA-1 of body, from the worker; NULL = not yet */
} AtlasBackendExchange;

struct _AtlasBackendServer
{
  GObject                parent_instance;

  char                  *scenario;
  gboolean               test_control;
  AtlasBackendStore     *store;
  AtlasBackendSimulator *simulator;

  SoupServer            *soup;
  guint                  port;
  guint                  tick_id;
  guint                  ticks;

  GPtrArray             *users;
  GHashTable            *users_by_token;
  GHashTable            *request_counts;   /* path → guint64* */

  gboolean               clock_fixed;
  gint64                 clock;
  guint                  poll_interval;
  GQueue                 faults;
  GPtrArray             *delayed;
  GHashTable            *overview_cache;   /* "ws:user" → CachedBody */
  GHashTable            *counts_cache;     /* "ws:tenant:pc:type" → CachedBody (5 counts) */
  gboolean               gzip;             /* answer gzip to clients that accept it */
  guint64                gzip_count;       /* answers sent gzipped */

  /* atlas-backend-pipeline.c */
  char                  *db_path;          /* the file all connections open */
  gboolean               db_temporary;     /* ours: removed on finalize */
  GMutex                 cache_lock;       /* overview_cache, counts_cache */
  GThreadPool           *pool;
  GMutex                 inflight_lock;
  GCond                  inflight_cond;
  guint                  inflight;         /* dispatched, not yet back from a worker */
  GAsyncQueue           *readers;          /* idle read-only stores, one per worker */
  GAsyncQueue           *done;             /* exchanges back from the workers */
  GSource               *done_source;
  GMainContext          *context;          /* where the server was started */
  GPtrArray             *held;             /* held exchanges */
  gboolean               hold_requests;    /* atlas_backend_server_set_hold_requests () */
  gint64                 seen_changes;
  gint64                 seen_now;
  GHashTable            *conns;            /* GSocket → Conn */
  guint                  n_conns;          /* of those, not being shut by us */
  guint                  sweep_id;
  guint                  header_timeout_ms;
  guint                  idle_timeout_ms;
  guint                  max_connections;
};

/* request pipeline (atlas-backend-server.c) */
void        atlas_backend_respond_error  (Response            *res,
                                          guint                status,
                                          const char          *message);
void        atlas_backend_respond_gerror (Response            *res,
                                          const GError        *error);
gboolean    atlas_backend_parse_id       (const char          *text,
                                          gint64              *out_id);
gboolean    atlas_backend_query_int      (GHashTable          *query,
                                          const char          *name,
                                          gint64               default_value,
                                          gint64               min,
                                          gint64               max,
                                          gint64              *out_value);
JsonNode   *atlas_backend_parse_body     (SoupServerMessage   *msg,
                                          gboolean             allow_empty,
                                          GError             **error);
gint64      atlas_backend_server_now     (AtlasBackendServer  *self);
const User *atlas_backend_authenticate   (AtlasBackendServer  *self,
                                          SoupServerMessage   *msg);

void        atlas_backend_exchange_finish (AtlasBackendExchange *ex);
void        atlas_backend_exchange_free   (AtlasBackendExchange *ex);

/* routes (atlas-backend-routes.c) */
const AtlasBackendRoute *
            atlas_backend_resolve          (AtlasBackendServer  *self,
                                            SoupServerMessage   *msg,
                                            const char          *path,
                                            AtlasBackendRequest *req,
                                            Response            *res);
void        atlas_backend_request_clear    (AtlasBackendRequest *req);
gboolean    atlas_backend_append_run_by_id (AtlasBackendStore   *store,
                                            GString             *out,
                                            gint64               run_id,
                                            gint64               workspace_id,
                                            gint64               viewer_id);

/* test control (atlas-backend-test-control.c) */
void        atlas_backend_handle_test_control (AtlasBackendRequest *req);

/* fault injection (atlas-backend-faults.c) */
void        atlas_backend_pending_fault_free (gpointer            data);
gboolean    atlas_backend_take_fault         (AtlasBackendServer *self,
                                              const char         *path,
                                              AtlasBackendFault  *out);
void        atlas_backend_send_raw_and_close (SoupServerMessage  *msg,
                                              GBytes             *bytes);
void        atlas_backend_send_truncated     (SoupServerMessage  *msg,
                                              const char         *date,
                                              GString            *body);
void        atlas_backend_delay              (AtlasBackendServer *self,
                                              SoupServerMessage  *msg,
                                              guint               latency_ms);
void        atlas_backend_delayed_free       (gpointer            data);

/* the operations list's q (atlas-backend-search.c) */
typedef struct
{
  gboolean  active;        /* a non-empty q was given */
  char     *folded;        /* q, trimmed, normalized and case-folded */
  char     *tenants_json;  /* ids of matching tenants, "[7,12]" */
  char     *types_json;    /* types whose label matches, "[\"baseline_compare\"]" */
  gint64    run_id;        /* "#42" or "42"; 0 = q is no run number */
  gint64    matched;       /* runs it finds in the workspace, before other filters */
} AtlasBackendSearch;

gboolean    atlas_backend_search_init            (AtlasBackendSearch       *search,
                                                  AtlasBackendStore        *store,
                                                  gint64                    workspace_id,
                                                  const char               *q,
                                                  Response                 *res);
void        atlas_backend_search_clear           (AtlasBackendSearch       *search);
const char *atlas_backend_search_where           (const AtlasBackendSearch *search);
void        atlas_backend_search_bind            (const AtlasBackendSearch *search,
                                                  sqlite3_stmt             *stmt,
                                                  int                       first);
void        atlas_backend_search_add_run_number  (const AtlasBackendSearch *search,
                                                  AtlasBackendStore        *store,
                                                  gint64                    workspace_id,
                                                  gint64                    tenant_id,
                                                  const char               *problem_class,
                                                  const char               *type,
                                                  gint64                    counts[5]);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AtlasBackendSearch, atlas_backend_search_clear)

/* staying answerable (atlas-backend-pipeline.c) */
gboolean    atlas_backend_pipeline_start       (AtlasBackendServer   *self,
                                                GError              **error);
void        atlas_backend_pipeline_stop        (AtlasBackendServer   *self);
void        atlas_backend_pipeline_dispatch    (AtlasBackendExchange *ex);
void        atlas_backend_pipeline_quiesce     (AtlasBackendServer   *self);
gboolean    atlas_backend_pipeline_hold        (AtlasBackendExchange *ex);
void        atlas_backend_pipeline_watch       (AtlasBackendServer   *self);
void        atlas_backend_pipeline_conn_started (AtlasBackendServer  *self,
                                                 SoupServerMessage   *msg);
void        atlas_backend_pipeline_conn_phase  (AtlasBackendServer   *self,
                                                SoupServerMessage    *msg,
                                                int                   phase);
GHashTable *atlas_backend_pipeline_new_conns   (void);
void        atlas_backend_server_changed       (AtlasBackendServer   *self);

/* Connection phases for atlas_backend_pipeline_conn_phase (). */
#define ATLAS_BACKEND_CONN_BODY  1
#define ATLAS_BACKEND_CONN_BUSY  2
#define ATLAS_BACKEND_CONN_IDLE  3

/* content coding (atlas-backend-encoding.c) */
gboolean    atlas_backend_accepts_gzip       (SoupServerMessage  *msg);
GBytes     *atlas_backend_gzip               (const char         *data,
                                              gsize               len);

G_END_DECLS
