/* atlas-client.c — async fetches with an ETag cache, shared in-flight requests,
 * bounded bodies and one error domain
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-client"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "atlas-client-private.h"
#include "atlas-http-private.h"
#include "atlas-json.h"

#define READ_CHUNK         (64 * 1024)
#define MAX_REDIRECTS      5
#define MAX_ERROR_BODY     (64 * 1024)
#define MAX_CACHE_ENTRIES  256
#define DEFAULT_TIMEOUT_S  15
#define HELD_MARGIN_S      15   /* a held request's deadline: its wait plus this */

typedef struct
{
  guint retry_after_ms;
  guint status;
} AtlasClientErrorPrivate;

typedef struct
{
  char          *etag;          /* NULL: the answer had none (kept for freshness only) */
  AtlasResponse *response;
  AtlasClock    *clock;         /* the caller's clock that timed it, or NULL */
  gint64         answered_us;   /* on @clock, at the last good answer */
  gboolean       fresh;         /* answered_us may serve; FALSE after an error or a session end */
} CacheEntry;

/* One caller waiting on a request, with its own cancellable. */
typedef struct
{
  GTask        *task;
  GCancellable *cancellable;
  gulong        cancelled_id;
} Waiter;

/* What a request asked for, so the answer can be checked against it (0 = any). */
typedef struct
{
  gint64 workspace_id;
  gint64 tenant_id;
  gint64 run_id;
} Scope;

typedef gboolean (*ScopeCheck) (gpointer      payload,
                                const Scope  *scope,
                                GError      **error);

/* One request on the wire, shared by every caller that asked for the same URL while
 * it was in flight. */
typedef struct
{
  AtlasClient        *client;
  char               *key;
  char               *path;
  AtlasPayloadParser  parser;
  ScopeCheck          check;
  Scope               scope;
  GBytes             *request_body;
  guint               redirects;
  SoupMessage        *msg;
  GCancellable       *cancellable;
  GPtrArray          *waiters;      /* Waiter* */
  GInputStream       *stream;
  GByteArray         *body;
  AtlasResponse      *response;      /* headers read, payload being parsed */
  guint               deadline_id;   /* the whole request, not just one read */
  guint               session_serial; /* the client's session when it was sent */
  guint               wait_s;        /* Prefer: wait=N (held, never shared), or 0 */
  AtlasClock         *clock;         /* the first caller's clock, for the answer cache */
  gboolean            timed_out;
} Request;

struct _AtlasClient
{
  GObject       parent_instance;

  SoupSession  *session;
  SoupSession  *held_session; /* held requests only: no per-read timeout, own connections */
  GUri         *base_uri;
  char         *base_url;
  char         *token;
  GHashTable   *cache;        /* key → CacheEntry */
  AtlasClock   *next_clock;   /* for the next start_request only (atlas-client-private.h) */
  guint         next_max_age_ms;
  GHashTable   *in_flight;    /* key → Request */
  GHashTable   *identity_logged; /* keys whose wrong-identity answer was logged */
  guint64       parse_count;
  guint64       request_count;
  guint64       cache_hit_count;
  gint64        clock_offset; /* server − local seconds, from the latest Date */
  guint         timeout_s;
  gboolean      have_offset;
  guint         session_serial; /* bumped when a session ends or resumes, or the token changes */
  GError       *session_error; /* the 401 that ended it; NULL while it lasts */
};

enum {
  REQUEST_FINISHED,
  SESSION_ENDED,
  SESSION_RESUMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasClient, atlas_client, G_TYPE_OBJECT)

static void
atlas_client_error_private_init (AtlasClientErrorPrivate *priv)
{
  priv->retry_after_ms = 0;
  priv->status = 0;
}

static void
atlas_client_error_private_copy (const AtlasClientErrorPrivate *src,
                                 AtlasClientErrorPrivate       *dest)
{
  *dest = *src;
}

static void
atlas_client_error_private_clear (AtlasClientErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (AtlasClientError, atlas_client_error)

guint
atlas_client_error_get_retry_after_ms (const GError *error)
{
  AtlasClientErrorPrivate *priv;

  if (error == NULL || error->domain != ATLAS_CLIENT_ERROR)
    return 0;
  priv = atlas_client_error_get_private (error);
  return priv != NULL ? priv->retry_after_ms : 0;
}

guint
atlas_client_error_get_status (const GError *error)
{
  AtlasClientErrorPrivate *priv;

  if (error == NULL || error->domain != ATLAS_CLIENT_ERROR)
    return 0;
  priv = atlas_client_error_get_private (error);
  return priv != NULL ? priv->status : 0;
}

/* Errors worth retrying with backoff, as opposed to ones that stop a widget. */
gboolean
atlas_client_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != ATLAS_CLIENT_ERROR)
    return FALSE;
  switch ((AtlasClientError) error->code)
    {
    case ATLAS_CLIENT_ERROR_RATE_LIMITED:
    case ATLAS_CLIENT_ERROR_UNAVAILABLE:
    case ATLAS_CLIENT_ERROR_NETWORK:
    case ATLAS_CLIENT_ERROR_TIMEOUT:
    case ATLAS_CLIENT_ERROR_INVALID_RESPONSE:
      return TRUE;
    case ATLAS_CLIENT_ERROR_BAD_REQUEST:
    case ATLAS_CLIENT_ERROR_UNAUTHENTICATED:
    case ATLAS_CLIENT_ERROR_FORBIDDEN:
    case ATLAS_CLIENT_ERROR_NOT_FOUND:
    case ATLAS_CLIENT_ERROR_CONFLICT:
    case ATLAS_CLIENT_ERROR_VALIDATION:
    case ATLAS_CLIENT_ERROR_INSECURE:
    default:
      return FALSE;
    }
}

static GError *
client_error_new (AtlasClientError  code,
                  guint             status,
                  guint             retry_after_ms,
                  const char       *message)
{
  GError *error = g_error_new_literal (ATLAS_CLIENT_ERROR, code, message);
  AtlasClientErrorPrivate *priv = atlas_client_error_get_private (error);

  priv->status = status;
  priv->retry_after_ms = retry_after_ms;
  return error;
}

/* --- responses ------------------------------------------------------------ */

static AtlasResponse *
response_new (void)
{
  return g_atomic_rc_box_new0 (AtlasResponse);
}

static void
response_clear (AtlasResponse *response)
{
  g_clear_pointer (&response->payload, atlas_payload_unref);
}

AtlasResponse *
atlas_response_ref (AtlasResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return g_atomic_rc_box_acquire (response);
}

/**
 * atlas_response_new_part:
 * @whole: an answer
 * @payload: a payload inside @whole's (the overview's active_operations …)
 *
 * Returns: (transfer full): an answer with @whole's status and times whose payload is
 *   @payload (referenced)
 */
AtlasResponse *
atlas_response_new_part (const AtlasResponse *whole,
                         gpointer             payload)
{
  AtlasResponse *part;

  g_return_val_if_fail (whole != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  part = response_new ();
  *part = *whole;
  part->payload = atlas_payload_ref (payload);
  return part;
}

void
atlas_response_unref (AtlasResponse *response)
{
  if (response != NULL)
    g_atomic_rc_box_release_full (response, (GDestroyNotify) response_clear);
}

/* No answer may be reused without a request any more (the ETags stay). */
static void
forget_fresh (AtlasClient *self)
{
  GHashTableIter iter;
  CacheEntry *entry;

  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    entry->fresh = FALSE;
}

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->etag);
  atlas_response_unref (entry->response);
  g_clear_object (&entry->clock);
  g_free (entry);
}

/* --- GObject -------------------------------------------------------------------- */

static void
atlas_client_dispose (GObject *object)
{
  AtlasClient *self = (AtlasClient *)object;
  GHashTableIter iter;
  Request *request;

  /* Requests hold a reference on the client, so in-flight ones are already done
   * by the time we get here; this only empties the tables. */
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
    g_cancellable_cancel (request->cancellable);
  g_hash_table_remove_all (self->cache);

  G_OBJECT_CLASS (atlas_client_parent_class)->dispose (object);
}

static void
atlas_client_finalize (GObject *object)
{
  AtlasClient *self = (AtlasClient *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->held_session);
  g_clear_object (&self->next_clock);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_free (self->base_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_hash_table_unref (self->cache);
  g_hash_table_unref (self->in_flight);
  g_clear_error (&self->session_error);
  g_hash_table_unref (self->identity_logged);

  G_OBJECT_CLASS (atlas_client_parent_class)->finalize (object);
}

static void
atlas_client_class_init (AtlasClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_client_dispose;
  object_class->finalize = atlas_client_finalize;

  /**
   * AtlasClient::request-finished:
   * @error: (nullable): how it failed, or %NULL
   *
   * Once per request on the wire (not per caller), never for cancelled ones: the
   * connection's health, for a kiosk that must notice an outage by itself.
   */
  signals[REQUEST_FINISHED] = g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * AtlasClient::session-ended:
   * @error: the 401 that ended it
   *
   * Once, when the first request of the session is refused with 401, before any
   * caller of that request hears of it: every AtlasResource of this client stops.
   */
  signals[SESSION_ENDED] = g_signal_new ("session-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * AtlasClient::session-resumed:
   *
   * After ::session-ended: a new token was set, or a request sent after the end
   * succeeded (a kiosk that kept asking). The resources that stopped load again.
   */
  signals[SESSION_RESUMED] = g_signal_new ("session-resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atlas_client_init (AtlasClient *self)
{
  g_autofree char *ua = g_strdup_printf ("TenantAtlas-Operator/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "user-agent", ua,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  /* A held request waits up to a minute for its first byte, so libsoup's per-read
   * timeout must not apply; its own deadline bounds it. Separate connections keep a
   * held request from taking a pooled one away from the widgets. */
  self->held_session = soup_session_new_with_options ("timeout", 0,
                                                      "idle-timeout", 90,
                                                      "user-agent", ua,
                                                      NULL);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) cache_entry_free);
  self->in_flight = g_hash_table_new (g_str_hash, g_str_equal);
  self->identity_logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->timeout_s = DEFAULT_TIMEOUT_S;
}

/**
 * atlas_client_new:
 * @base_url: the backend, e.g. "https://atlas.example.test" or "http://127.0.0.1:8750"
 * @token: (nullable): the bearer token; never logged
 * @flags: %ATLAS_CLIENT_FLAGS_ALLOW_INSECURE to allow http:// beyond loopback
 */
AtlasClient *
atlas_client_new (const char        *base_url,
                  const char        *token,
                  AtlasClientFlags   flags,
                  GError           **error)
{
  g_autoptr(AtlasClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_BAD_REQUEST,
                   _("“%s” is not a valid backend address"), base_url);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_BAD_REQUEST,
                   _("The backend address must start with https:// (or http:// on this machine)"));
      return NULL;
    }
  /* A bearer token over plain HTTP is readable by anyone on the path. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      !_atlas_host_is_loopback (g_uri_get_host (uri)) &&
      (flags & ATLAS_CLIENT_FLAGS_ALLOW_INSECURE) == 0)
    {
      g_set_error (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INSECURE,
                   _("Refusing plain http:// to %s: use https://, or allow insecure connections "
                     "explicitly"), g_uri_get_host (uri));
      return NULL;
    }

  self = g_object_new (ATLAS_TYPE_CLIENT, NULL);
  self->base_uri = g_steal_pointer (&uri);
  self->base_url = g_strdup (base_url);
  /* Paths are appended to the base, so it must not end in a slash. */
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->token = g_strdup (token);

  return g_steal_pointer (&self);
}

const char *
atlas_client_get_base_url (AtlasClient *self)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), NULL);
  return self->base_url;
}

/* The next fetch started (synchronously, by the caller's fetch function) may be
 * answered from an answer younger than @max_age_ms on @clock; 0 = ask the server. */
void
_atlas_client_set_next_max_age (AtlasClient *self,
                                AtlasClock  *clock,
                                guint        max_age_ms)
{
  g_return_if_fail (ATLAS_IS_CLIENT (self));
  g_return_if_fail (clock == NULL || ATLAS_IS_CLOCK (clock));

  /* With a clock and no max age (Refresh, a first load) the answer is still timed, so
   * it can serve the others. */
  g_clear_object (&self->next_clock);
  if (clock != NULL)
    self->next_clock = g_object_ref (clock);
  self->next_max_age_ms = self->next_clock != NULL ? max_age_ms : 0;
}

void
atlas_client_set_token (AtlasClient *self,
                        const char  *token)
{
  g_return_if_fail (ATLAS_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
  /* Another user may see other rows: nothing cached for the old token may leak. */
  g_hash_table_remove_all (self->cache);
  /* A late 401 for the old token says nothing about the new one. */
  self->session_serial++;
  if (self->session_error != NULL)
    {
      g_clear_error (&self->session_error);
      g_signal_emit (self, signals[SESSION_RESUMED], 0);
    }
}

/**
 * atlas_client_get_session_error:
 *
 * Returns: (nullable): the 401 that ended the session, or %NULL while it lasts
 */
const GError *
atlas_client_get_session_error (AtlasClient *self)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), NULL);
  return self->session_error;
}

/* Bounds every request from start to last byte: libsoup's own timeout is per read
 * (a server trickling a byte a second never trips it) and is fixed per pooled
 * connection when the connection is made. */
void
atlas_client_set_timeout (AtlasClient *self,
                          guint        seconds)
{
  g_return_if_fail (ATLAS_IS_CLIENT (self));
  self->timeout_s = MAX (seconds, 1);
  g_object_set (self->session, "timeout", self->timeout_s, NULL);
}

void
atlas_client_set_user_agent (AtlasClient *self,
                             const char  *user_agent)
{
  g_return_if_fail (ATLAS_IS_CLIENT (self));
  g_object_set (self->session, "user-agent", user_agent, NULL);
  g_object_set (self->held_session, "user-agent", user_agent, NULL);
}

guint64
atlas_client_get_parse_count (AtlasClient *self)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), 0);
  return self->parse_count;
}

guint64
atlas_client_get_request_count (AtlasClient *self)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), 0);
  return self->request_count;
}

guint64
atlas_client_get_cache_hit_count (AtlasClient *self)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), 0);
  return self->cache_hit_count;
}

/* Best estimate of the server's clock now, for ages between responses. */
gint64
atlas_client_get_server_time (AtlasClient *self)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), ATLAS_TIME_NONE);
  return g_get_real_time () / G_USEC_PER_SEC + (self->have_offset ? self->clock_offset : 0);
}

/* --- requests -------------------------------------------------------------------- */

static void
waiter_free (Waiter *waiter)
{
  /* The caller's cancellable usually outlives this request: never leave a handler
   * pointing at a freed request behind on it. */
  if (waiter->cancelled_id != 0)
    g_signal_handler_disconnect (waiter->cancellable, waiter->cancelled_id);
  g_clear_object (&waiter->cancellable);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->deadline_id, g_source_remove);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->request_body, g_bytes_unref);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_clear_pointer (&request->response, atlas_response_unref);
  g_clear_pointer (&request->waiters, g_ptr_array_unref);
  g_free (request->key);
  g_free (request->path);
  g_clear_object (&request->client);
  g_clear_object (&request->clock);
  g_free (request);
}

/* A 401 ends the session for every user of the client at once; only answers to
 * requests sent in the current session count. */
static void
note_session (AtlasClient  *self,
              guint         serial,
              const GError *error)
{
  if (serial != self->session_serial)
    return;
  if (g_error_matches (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED) &&
      self->session_error == NULL)
    {
      self->session_serial++;
      self->session_error = g_error_copy (error);
      forget_fresh (self);
      g_signal_emit (self, signals[SESSION_ENDED], 0, self->session_error);
    }
  else if (error == NULL && self->session_error != NULL)
    {
      self->session_serial++;
      g_clear_error (&self->session_error);
      g_signal_emit (self, signals[SESSION_RESUMED], 0);
    }
}

/* The answer cache: a good answer to a plain GET of this session may answer the same
 * URL again without a request for a while (see start_request); an error ends that. */
static void
remember_answer (AtlasClient   *self,
                 Request       *request,
                 AtlasResponse *response,
                 const GError  *error)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, request->key);

  if (error != NULL)
    {
      if (entry != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        entry->fresh = FALSE;
      return;
    }
  if (request->msg == NULL || soup_message_get_method (request->msg) != SOUP_METHOD_GET ||
      request->wait_s > 0 || request->clock == NULL ||
      request->session_serial != self->session_serial || self->session_error != NULL)
    return;
  if (entry == NULL)
    {
      if (g_hash_table_size (self->cache) >= MAX_CACHE_ENTRIES)
        g_hash_table_remove_all (self->cache);
      entry = g_new0 (CacheEntry, 1);
      g_hash_table_replace (self->cache, g_strdup (request->key), entry);
    }
  if (entry->response != response)
    {
      atlas_response_unref (entry->response);
      entry->response = atlas_response_ref (response);
    }
  g_set_object (&entry->clock, request->clock);
  entry->answered_us = atlas_clock_get_now_us (request->clock);
  entry->fresh = TRUE;
}

static void
request_finish (Request       *request,
                AtlasResponse *response,
                GError        *error)
{
  AtlasClient *self = request->client;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&request->waiters);

  if (g_hash_table_lookup (self->in_flight, request->key) == request)
    g_hash_table_remove (self->in_flight, request->key);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[REQUEST_FINISHED], 0, error);
  remember_answer (self, request, response, error);
  note_session (self, request->session_serial, error);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);
      GTask *task = waiter->task;

      if (waiter->cancelled_id != 0)
        {
          g_signal_handler_disconnect (waiter->cancellable, waiter->cancelled_id);
          waiter->cancelled_id = 0;
        }

      /* A cancelled waiter gets G_IO_ERROR_CANCELLED from GTask, never data. */
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, atlas_response_ref (response),
                               (GDestroyNotify) atlas_response_unref);
    }

  if (response != NULL)
    atlas_response_unref (response);
  if (error != NULL)
    g_error_free (error);
  request_free (request);
}

static void
note_server_time (AtlasClient   *self,
                  SoupMessage   *msg,
                  AtlasResponse *response)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  gint64 server = atlas_parse_http_date (date);
  gint64 local = g_get_real_time () / G_USEC_PER_SEC;

  if (server != ATLAS_TIME_NONE)
    {
      self->clock_offset = server - local;
      self->have_offset = TRUE;
      response->server_time = server;
    }
  else
    {
      /* A missing or garbage Date: estimate from the last good one. */
      response->server_time = local + (self->have_offset ? self->clock_offset : 0);
      response->server_time_estimated = TRUE;
    }
}

static AtlasClientError
error_code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED: return ATLAS_CLIENT_ERROR_UNAUTHENTICATED;
    case SOUP_STATUS_FORBIDDEN: return ATLAS_CLIENT_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND: return ATLAS_CLIENT_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT: return ATLAS_CLIENT_ERROR_CONFLICT;
    case SOUP_STATUS_UNPROCESSABLE_ENTITY: return ATLAS_CLIENT_ERROR_VALIDATION;
    case 429: return ATLAS_CLIENT_ERROR_RATE_LIMITED;
    default:
      return status >= 500 ? ATLAS_CLIENT_ERROR_UNAVAILABLE : ATLAS_CLIENT_ERROR_BAD_REQUEST;
    }
}

static const char *
default_message (AtlasClientError code)
{
  switch (code)
    {
    case ATLAS_CLIENT_ERROR_UNAUTHENTICATED: return _("The token was refused: sign in again");
    case ATLAS_CLIENT_ERROR_FORBIDDEN: return _("You don't have permission");
    case ATLAS_CLIENT_ERROR_NOT_FOUND: return _("Not found");
    case ATLAS_CLIENT_ERROR_CONFLICT: return _("The request conflicts with the current state");
    case ATLAS_CLIENT_ERROR_VALIDATION: return _("The request was not valid");
    case ATLAS_CLIENT_ERROR_RATE_LIMITED: return _("The backend is busy");
    case ATLAS_CLIENT_ERROR_UNAVAILABLE: return _("The backend is unavailable");
    case ATLAS_CLIENT_ERROR_BAD_REQUEST:
    case ATLAS_CLIENT_ERROR_NETWORK:
    case ATLAS_CLIENT_ERROR_TIMEOUT:
    case ATLAS_CLIENT_ERROR_INVALID_RESPONSE:
    case ATLAS_CLIENT_ERROR_INSECURE:
    default: return _("The request was refused");
    }
}

static GError *
http_error (Request *request,
            guint    status,
            gint64   server_time)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->msg);
  AtlasClientError code = error_code_for_status (status);
  g_autofree char *message = NULL;
  guint retry_after_ms = 0;

  /* 404 says nothing about whether the thing exists: never echo the server here.
   * An error body is a sentence: one over MAX_ERROR_BODY is not worth parsing on the
   * caller's main context (the default message stands in). */
  if (code != ATLAS_CLIENT_ERROR_NOT_FOUND && request->body != NULL && request->body->len > 0 &&
      request->body->len <= MAX_ERROR_BODY)
    {
      g_autoptr(JsonNode) root = atlas_json_parse ((const char *) request->body->data,
                                                   request->body->len, NULL);
      JsonObject *err = NULL;

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
          atlas_json_get_object (json_node_get_object (root), "error", FALSE, &err, NULL) &&
          err != NULL)
        atlas_json_get_string (err, "message", FALSE, &message, NULL);
    }

  if (code == ATLAS_CLIENT_ERROR_RATE_LIMITED || code == ATLAS_CLIENT_ERROR_UNAVAILABLE)
    atlas_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                             server_time, &retry_after_ms);

  return client_error_new (code, status, retry_after_ms,
                           message != NULL && message[0] != '\0' ? message : default_message (code));
}

static GError *transport_error (Request *request, GError *error);

/* --- identity: an answer must be what was asked for ------------------------------ */

static gboolean
identity_error (GError     **error,
                const char  *what,
                gint64       got,
                gint64       asked)
{
  g_autofree char *got_text = g_strdup_printf ("%" G_GINT64_FORMAT, got);
  g_autofree char *asked_text = g_strdup_printf ("%" G_GINT64_FORMAT, asked);

  /* Translators: "The backend answered for workspace 2 instead of 1; …": the first %s
   * is "run", "workspace" or "tenant" (translated on their own), then two ids */
  g_set_error (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE,
               _("The backend answered for %s %s instead of %s; the answer was not used"),
               what, got_text, asked_text);
  return FALSE;
}

static gboolean
run_in_scope (AtlasRun     *run,
              const Scope  *scope,
              GError      **error)
{
  if (scope->run_id != 0 && atlas_run_get_id (run) != scope->run_id)
    return identity_error (error, C_("identity", "run"), atlas_run_get_id (run), scope->run_id);
  if (scope->workspace_id != 0 && atlas_run_get_workspace_id (run) != scope->workspace_id)
    return identity_error (error, C_("identity", "workspace"), atlas_run_get_workspace_id (run), scope->workspace_id);
  if (scope->tenant_id != 0 && atlas_run_get_tenant_id (run) != scope->tenant_id)
    return identity_error (error, C_("identity", "tenant"), atlas_run_get_tenant_id (run), scope->tenant_id);
  return TRUE;
}

static gboolean
runs_in_scope (GPtrArray    *runs,
               const Scope  *scope,
               GError      **error)
{
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    if (!run_in_scope (g_ptr_array_index (runs, i), scope, error))
      return FALSE;
  return TRUE;
}

static gboolean
pack_in_scope (AtlasReviewPack  *pack,
               const Scope      *scope,
               GError          **error)
{
  if (pack != NULL && scope->tenant_id != 0 && atlas_review_pack_get_tenant_id (pack) != scope->tenant_id)
    return identity_error (error, C_("identity", "tenant"), atlas_review_pack_get_tenant_id (pack), scope->tenant_id);
  return TRUE;
}

static gboolean
check_run (gpointer payload, const Scope *scope, GError **error)
{
  return run_in_scope (((AtlasRunReply *) payload)->run, scope, error);
}

static gboolean
check_run_page (gpointer payload, const Scope *scope, GError **error)
{
  return runs_in_scope (((AtlasRunPage *) payload)->runs, scope, error);
}

static gboolean
check_overview (gpointer payload, const Scope *scope, GError **error)
{
  AtlasWorkspaceOverview *overview = payload;

  return runs_in_scope (overview->recent_operations, scope, error) &&
         (overview->active_operations == NULL ||
          runs_in_scope (overview->active_operations->runs, scope, error));
}

static gboolean
check_dashboard (gpointer payload, const Scope *scope, GError **error)
{
  AtlasDashboard *dashboard = payload;

  if (dashboard->tenant_id != scope->tenant_id)
    return identity_error (error, C_("identity", "tenant"), dashboard->tenant_id, scope->tenant_id);
  if (!runs_in_scope (dashboard->needs_attention, scope, error) ||
      !runs_in_scope (dashboard->recent_operations, scope, error) ||
      !pack_in_scope (dashboard->review_pack, scope, error))
    return FALSE;
  /* active_operations spans the tenant's workspace (the parser keeps it only when the
   * dashboard names that workspace): other tenants, never another workspace. */
  if (dashboard->active_operations != NULL)
    {
      Scope workspace = { dashboard->workspace_id, 0, 0 };
      return runs_in_scope (dashboard->active_operations->runs, &workspace, error);
    }
  return TRUE;
}

static gboolean
check_review_pack (gpointer payload, const Scope *scope, GError **error)
{
  return pack_in_scope (((AtlasReviewPackReply *) payload)->review_pack, scope, error);
}

static gboolean
check_generate (gpointer payload, const Scope *scope, GError **error)
{
  AtlasGenerateReply *reply = payload;

  return pack_in_scope (reply->review_pack, scope, error) &&
         (reply->run == NULL || run_in_scope (reply->run, scope, error));
}

/* --- parsing, off the main thread ------------------------------------------------ */

typedef struct
{
  GBytes             *body;
  AtlasPayloadParser  parser;
  ScopeCheck          check;
  Scope               scope;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_bytes_unref (job->body);
  g_free (job);
}

/* Runs in a GTask worker thread: the pre-scan, json-glib and the model are pure
 * functions of the bytes, so a large page never stalls the caller's main loop. */
static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gpointer payload = NULL;

  root = atlas_json_parse_bytes (job->body, &error);
  if (root != NULL)
    payload = job->parser (root, &error);
  if (payload != NULL && job->check != NULL && !job->check (payload, &job->scope, &error))
    g_clear_pointer (&payload, atlas_payload_unref);

  if (payload != NULL)
    g_task_return_pointer (task, payload, atlas_payload_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
parse_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *request = user_data;
  AtlasClient *self = request->client;
  g_autoptr(AtlasResponse) response = g_steal_pointer (&request->response);
  g_autoptr(GError) error = NULL;
  const char *etag;

  response->payload = g_task_propagate_pointer (G_TASK (result), &error);
  if (response->payload == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          request_finish (request, NULL, transport_error (request, error));
          return;
        }
      /* A wrong-identity answer is a misrouting proxy or cache: worth one line in the
       * log per address, not one per poll. */
      if (error->domain == ATLAS_CLIENT_ERROR)
        {
          if (g_hash_table_add (self->identity_logged, g_strdup (request->key)))
            g_message ("%s: %s", request->path, error->message);
        }
      else
        g_debug ("%s: %s", request->path, error->message);
      request_finish (request, NULL,
                      client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, response->status, 0,
                                        error->message));
      return;
    }

  etag = soup_message_headers_get_one (soup_message_get_response_headers (request->msg), "ETag");
  if (etag != NULL && soup_message_get_method (request->msg) == SOUP_METHOD_GET)
    {
      CacheEntry *entry = g_new0 (CacheEntry, 1);

      entry->etag = g_strdup (etag);
      entry->response = atlas_response_ref (response);
      /* Bounded: a kiosk paging through 500 tenants must not grow without end. */
      if (g_hash_table_size (self->cache) >= MAX_CACHE_ENTRIES &&
          !g_hash_table_contains (self->cache, request->key))
        g_hash_table_remove_all (self->cache);
      g_hash_table_replace (self->cache, g_strdup (request->key), entry);
    }

  request_finish (request, g_steal_pointer (&response), NULL);
}

static void
parse_in_thread (Request *request)
{
  ParseJob *job = g_new0 (ParseJob, 1);
  g_autoptr(GTask) task = NULL;

  request->client->parse_count++;
  /* Every byte is in: what is left is local work, not the backend's to time out. */
  g_clear_handle_id (&request->deadline_id, g_source_remove);
  job->body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
  job->parser = request->parser;
  job->check = request->check;
  job->scope = request->scope;

  task = g_task_new (NULL, request->cancellable, parse_done_cb, request);
  g_task_set_source_tag (task, parse_in_thread);
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (task, parse_thread);
}

/* RFC 7240: "Preference-Applied: wait=55" says the server held the request. */
static gboolean
wait_applied (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_list (headers, "Preference-Applied");
  g_auto(GStrv) prefs = NULL;

  if (value == NULL)
    return FALSE;
  prefs = g_strsplit (value, ",", -1);
  for (guint i = 0; prefs[i] != NULL; i++)
    {
      const char *p = prefs[i];

      while (*p == ' ' || *p == '\t')
        p++;
      if (g_ascii_strncasecmp (p, "wait", 4) == 0 && (p[4] == '=' || p[4] == '\0' || p[4] == ' '))
        return TRUE;
    }
  return FALSE;
}

static void
request_complete (Request *request)
{
  AtlasClient *self = request->client;
  SoupMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  g_autoptr(AtlasResponse) response = response_new ();

  response->status = status;
  response->preference_applied = request->wait_s > 0 && wait_applied (headers);
  note_server_time (self, msg, response);
  atlas_parse_poll_interval (soup_message_headers_get_one (headers, "X-Poll-Interval"),
                             &response->poll_interval_ms);

  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      CacheEntry *entry = g_hash_table_lookup (self->cache, request->key);

      if (entry == NULL)
        {
          request_finish (request, NULL,
                          client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, status, 0,
                                            _("The backend answered 304 to an unconditional request")));
          return;
        }
      /* Revalidated: hand back the payload parsed the first time. */
      response->not_modified = TRUE;
      response->payload = atlas_payload_ref (entry->response->payload);
      request_finish (request, g_steal_pointer (&response), NULL);
      return;
    }

  if (status < 200 || status >= 300)
    {
      request_finish (request, NULL, http_error (request, status, response->server_time));
      return;
    }

  request->response = g_steal_pointer (&response);
  parse_in_thread (request);
}

static GError *
transport_error (Request *request,
                 GError  *error)
{
  if (request->timed_out)
    return client_error_new (ATLAS_CLIENT_ERROR_TIMEOUT, 0, 0, _("The backend did not answer in time"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return client_error_new (ATLAS_CLIENT_ERROR_TIMEOUT, 0, 0, _("The backend did not answer in time"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, 0, 0, _("The response was cut off"));
  return client_error_new (ATLAS_CLIENT_ERROR_NETWORK, 0, 0, error->message);
}

static void read_next (Request *request);

static gboolean
body_is_encoded (SoupMessage *msg)
{
  const char *coding = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Content-Encoding");

  return coding != NULL && g_ascii_strcasecmp (coding, "identity") != 0;
}

/* The body bytes as they came over the connection, before any content decoding. */
static goffset
wire_body_length (Request *request)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (request->msg);

  if (metrics != NULL)
    return (goffset) soup_message_metrics_get_response_body_bytes_received (metrics);
  /* No metrics: only an identity body can be measured here; a truncated gzip stream
   * is still caught by the decoder (G_IO_ERROR_PARTIAL_INPUT). */
  return body_is_encoded (request->msg) ? G_MAXINT64 : (goffset) request->body->len;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      request_finish (request, NULL, transport_error (request, error));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (request->msg);

      g_input_stream_close (request->stream, NULL, NULL);
      /* libsoup 3.2 ends a body shorter than its Content-Length with a clean EOF: a
       * complete-looking document cut at a boundary must still count as cut off.
       * Content-Length counts the bytes on the wire, which under gzip are not the
       * decoded bytes we hold: compare it with what the connection carried. */
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          wire_body_length (request) < soup_message_headers_get_content_length (headers))
        {
          request_finish (request, NULL,
                          client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE,
                                            soup_message_get_status (request->msg), 0,
                                            _("The response was cut off")));
          return;
        }
      request_complete (request);
      return;
    }
  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (request->body->len > ATLAS_JSON_MAX_BYTES)
    {
      request_finish (request, NULL,
                      client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE,
                                        soup_message_get_status (request->msg), 0,
                                        _("The response is larger than 8 MiB")));
      return;
    }
  read_next (request);
}

static void
read_next (Request *request)
{
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->cancellable, read_cb, request);
}

static void send_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static SoupMessage *
message_new (AtlasClient *self,
             const char  *method,
             GUri        *uri,
             Request     *request)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);

  /* Redirects are ours to judge (same origin only, see follow_redirect ()), and the
   * metrics give the encoded body length for the Content-Length check. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS);
  if (request->request_body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", request->request_body);
  return msg;
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_replace (user_data, name, value);
}

/* Follows a 3xx only within the backend's origin (scheme, host, port): a redirect
 * anywhere else would send the token there and paint that host's data as ours. */
static void
follow_redirect (Request *request)
{
  AtlasClient *self = request->client;
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (request->msg),
                                                       "Location");
  guint status = soup_message_get_status (request->msg);
  g_autoptr(GUri) target = NULL;
  SoupMessage *next;

  g_input_stream_close (request->stream, NULL, NULL);
  g_clear_object (&request->stream);

  if (location != NULL)
    target = g_uri_parse_relative (soup_message_get_uri (request->msg), location,
                                   SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL || !atlas_uri_same_origin (target, self->base_uri))
    {
      request_finish (request, NULL,
                      client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, status, 0,
                                        _("The backend redirected to another server; "
                                          "the redirect was not followed")));
      return;
    }
  if (++request->redirects > MAX_REDIRECTS)
    {
      request_finish (request, NULL,
                      client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, status, 0,
                                        _("The backend redirected too many times")));
      return;
    }

  next = message_new (self, soup_message_get_method (request->msg), target, request);
  soup_message_headers_foreach (soup_message_get_request_headers (request->msg), copy_header,
                                soup_message_get_request_headers (next));
  g_object_unref (request->msg);
  request->msg = next;
  self->request_count++;
  soup_session_send_async (request->wait_s > 0 ? self->held_session : self->session, request->msg,
                           G_PRIORITY_DEFAULT, request->cancellable, send_cb, request);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      request_finish (request, NULL, transport_error (request, error));
      return;
    }

  g_debug ("%s %s → %u", soup_message_get_method (request->msg), request->path,
           soup_message_get_status (request->msg));

  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (request->msg)) &&
      soup_message_get_status (request->msg) != SOUP_STATUS_NOT_MODIFIED)
    {
      follow_redirect (request);
      return;
    }

  /* The 8 MiB cap is on decoded bytes: an encoded Content-Length says nothing about
   * them, so only an identity body can be refused before it is read. */
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->msg));
  if (!body_is_encoded (request->msg) && length > ATLAS_JSON_MAX_BYTES)
    {
      request_finish (request, NULL,
                      client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE,
                                        soup_message_get_status (request->msg), 0,
                                        _("The response is larger than 8 MiB")));
      return;
    }

  request->body = g_byte_array_new ();
  read_next (request);
}

static void
waiter_cancelled_cb (GCancellable *cancellable,
                     Request      *request)
{
  /* When every caller has given up, stop the request itself. */
  for (guint i = 0; request->waiters != NULL && i < request->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (request->waiters, i);
      if (waiter->cancellable == NULL || !g_cancellable_is_cancelled (waiter->cancellable))
        return;
    }
  g_cancellable_cancel (request->cancellable);
}

static gboolean
request_deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  request->deadline_id = 0;
  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static void
add_waiter (Request *request,
            GTask   *task)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->task = task;
  waiter->cancellable = g_task_get_cancellable (task);
  if (waiter->cancellable != NULL)
    {
      g_object_ref (waiter->cancellable);
      waiter->cancelled_id = g_signal_connect (waiter->cancellable, "cancelled",
                                               G_CALLBACK (waiter_cancelled_cb), request);
    }
  g_ptr_array_add (request->waiters, waiter);
}

static void
start_request (AtlasClient        *self,
               const char         *method,
               const char         *path,
               GBytes             *body,
               AtlasPayloadParser  parser,
               ScopeCheck          check,
               const Scope        *scope,
               guint               wait_s,
               GTask              *task)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *key = g_strconcat (method, " ", path, NULL);
  gboolean cacheable = g_str_equal (method, "GET");
  /* A held request answers late on purpose: nobody else may wait on it. */
  gboolean shareable = cacheable && wait_s == 0;
  SoupMessageHeaders *headers;
  Request *request;
  CacheEntry *entry;
  guint max_age_ms = self->next_max_age_ms;
  g_autoptr(AtlasClock) clock = g_steal_pointer (&self->next_clock);

  self->next_max_age_ms = 0;
  /* Several widgets asking for the same URL within one interval: the answer one of them
   * got a moment ago answers the others (GTask completes it from the main loop, never
   * inside this call). */
  if (shareable && clock != NULL && max_age_ms > 0 && self->session_error == NULL &&
      (entry = g_hash_table_lookup (self->cache, key)) != NULL && entry->fresh &&
      entry->clock == clock &&
      atlas_clock_get_now_us (clock) - entry->answered_us < (gint64) max_age_ms * 1000)
    {
      self->cache_hit_count++;
      g_task_return_pointer (task, atlas_response_ref (entry->response),
                             (GDestroyNotify) atlas_response_unref);
      g_object_unref (task);
      return;
    }

  if (shareable && (request = g_hash_table_lookup (self->in_flight, key)) != NULL)
    {
      add_waiter (request, task);
      return;
    }

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->key = g_steal_pointer (&key);
  request->path = g_strdup (path);
  request->parser = parser;
  request->check = check;
  if (scope != NULL)
    request->scope = *scope;
  if (body != NULL)
    request->request_body = g_bytes_ref (body);
  request->cancellable = g_cancellable_new ();
  request->session_serial = self->session_serial;
  request->wait_s = wait_s;
  request->clock = g_steal_pointer (&clock);
  request->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  add_waiter (request, task);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      request_finish (request, NULL,
                      client_error_new (ATLAS_CLIENT_ERROR_BAD_REQUEST, 0, 0, _("Invalid request address")));
      return;
    }
  request->msg = message_new (self, method, uri, request);
  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL && g_strcmp0 (path, "/api/v1/health") != 0)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (cacheable && (entry = g_hash_table_lookup (self->cache, request->key)) != NULL &&
      entry->etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", entry->etag);
  if (wait_s > 0)
    {
      g_autofree char *prefer = g_strdup_printf ("wait=%u", wait_s);
      soup_message_headers_replace (headers, "Prefer", prefer);
    }
  if (shareable)
    g_hash_table_insert (self->in_flight, request->key, request);

  self->request_count++;
  /* A held request has its own deadline: the wait plus the usual margin. */
  request->deadline_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                             (wait_s > 0 ? wait_s + HELD_MARGIN_S : self->timeout_s) * 1000,
                                             request_deadline_cb, request, NULL);
  soup_session_send_async (wait_s > 0 ? self->held_session : self->session, request->msg, G_PRIORITY_DEFAULT,
                           request->cancellable, send_cb, request);
}

/* Every endpoint tags its task with its own function, so a result can always be
 * traced back to the call that made it (and checked in atlas_client_fetch_finish). */
static void
fetch_tagged (AtlasClient        *self,
              gpointer            source_tag,
              const char         *method,
              const char         *path,
              GBytes             *body,
              AtlasPayloadParser  parser,
              ScopeCheck          check,
              const Scope        *scope,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (ATLAS_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (parser != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  start_request (self, method, path, body, parser, check, scope, 0, task);
}

void
atlas_client_fetch_async (AtlasClient        *self,
                          const char         *path,
                          AtlasPayloadParser  parser,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  fetch_tagged (self, atlas_client_fetch_async, "GET", path, NULL, parser, NULL, NULL,
                cancellable, callback, user_data);
}

static gboolean
result_is_from_client (GAsyncResult *result)
{
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  return tag == atlas_client_fetch_async ||
         tag == atlas_client_get_me_async ||
         tag == atlas_client_get_overview_async ||
         tag == atlas_client_wait_overview_async ||
         tag == atlas_client_list_operations_async ||
         tag == atlas_client_get_run_async ||
         tag == atlas_client_get_dashboard_async ||
         tag == atlas_client_get_review_pack_async ||
         tag == atlas_client_generate_review_pack_async ||
         tag == atlas_client_get_notifications_async;
}

/**
 * atlas_client_fetch_finish:
 *
 * Finishes any of the client's fetches: atlas_client_fetch_async() and every
 * endpoint's own _async (each tags its task with itself).
 */
AtlasResponse *
atlas_client_fetch_finish (AtlasClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (result_is_from_client (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atlas_client_get_me_async (AtlasClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  fetch_tagged (self, atlas_client_get_me_async, "GET", "/api/v1/me", NULL, atlas_api_parse_me, NULL, NULL,
                cancellable, callback, user_data);
}

void
atlas_client_get_overview_async (AtlasClient         *self,
                                 gint64               workspace_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Scope scope = { workspace_id, 0, 0 };
  g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/%" G_GINT64_FORMAT "/overview",
                                           workspace_id);

  fetch_tagged (self, atlas_client_get_overview_async, "GET", path, NULL, atlas_api_parse_overview, check_overview, &scope,
                cancellable, callback, user_data);
}

/**
 * atlas_client_wait_overview_async:
 * @wait_s: the Prefer: wait=N to send (1‥300)
 *
 * The overview, conditional on the ETag of its last load, asking the server to hold
 * the request until it changes or @wait_s pass (contract: blocking conditional
 * requests). Never shared with other callers; its deadline is @wait_s + 15 s. The
 * response's preference_applied says whether the server held it.
 */
void
atlas_client_wait_overview_async (AtlasClient         *self,
                                  gint64               workspace_id,
                                  guint                wait_s,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Scope scope = { workspace_id, 0, 0 };
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (ATLAS_IS_CLIENT (self));
  g_return_if_fail (wait_s > 0 && wait_s <= 300);

  path = g_strdup_printf ("/api/v1/workspaces/%" G_GINT64_FORMAT "/overview", workspace_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atlas_client_wait_overview_async);
  start_request (self, "GET", path, NULL, atlas_api_parse_overview, check_overview, &scope, wait_s, task);
}

void
atlas_client_list_operations_async (AtlasClient                *self,
                                    gint64                      workspace_id,
                                    const AtlasOperationsQuery *query,
                                    GCancellable               *cancellable,
                                    GAsyncReadyCallback         callback,
                                    gpointer                    user_data)
{
  Scope scope = { workspace_id, 0, 0 };
  GString *path = g_string_new (NULL);
  AtlasOperationsQuery defaults = { 0 };

  if (query == NULL)
    query = &defaults;

  g_string_printf (path, "/api/v1/workspaces/%" G_GINT64_FORMAT "/operations?tab=%s",
                   workspace_id, atlas_tab_to_string (query->tab));
  if (query->tenant_id > 0)
    {
      scope.tenant_id = query->tenant_id;
      g_string_append_printf (path, "&tenant_id=%" G_GINT64_FORMAT, query->tenant_id);
    }
  if (query->type != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (query->type, NULL, FALSE);
      g_string_append_printf (path, "&type=%s", escaped);
    }
  if (query->problem_class != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (query->problem_class, NULL, FALSE);
      g_string_append_printf (path, "&problem_class=%s", escaped);
    }
  if (query->page > 0)
    g_string_append_printf (path, "&page=%" G_GINT64_FORMAT, query->page);
  if (query->per_page > 0)
    g_string_append_printf (path, "&per_page=%" G_GINT64_FORMAT, query->per_page);
  if (query->q != NULL && query->q[0] != '\0')
    {
      /* '#', '&', '+' and blanks are text here, never URL syntax. */
      g_autofree char *escaped = g_uri_escape_string (query->q, NULL, FALSE);
      g_string_append_printf (path, "&q=%s", escaped);
    }

  fetch_tagged (self, atlas_client_list_operations_async, "GET", path->str, NULL, atlas_api_parse_run_page, check_run_page, &scope,
                cancellable, callback, user_data);
  g_string_free (path, TRUE);
}

void
atlas_client_get_run_async (AtlasClient         *self,
                            gint64               workspace_id,
                            gint64               run_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Scope scope = { workspace_id, 0, run_id };
  g_autofree char *path = g_strdup_printf ("/api/v1/workspaces/%" G_GINT64_FORMAT
                                           "/operations/%" G_GINT64_FORMAT, workspace_id, run_id);

  fetch_tagged (self, atlas_client_get_run_async, "GET", path, NULL, atlas_api_parse_run, check_run, &scope,
                cancellable, callback, user_data);
}

void
atlas_client_get_dashboard_async (AtlasClient         *self,
                                  gint64               tenant_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Scope scope = { 0, tenant_id, 0 };
  g_autofree char *path = g_strdup_printf ("/api/v1/tenants/%" G_GINT64_FORMAT "/dashboard", tenant_id);

  fetch_tagged (self, atlas_client_get_dashboard_async, "GET", path, NULL, atlas_api_parse_dashboard, check_dashboard, &scope,
                cancellable, callback, user_data);
}

void
atlas_client_get_review_pack_async (AtlasClient         *self,
                                    gint64               tenant_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Scope scope = { 0, tenant_id, 0 };
  g_autofree char *path = g_strdup_printf ("/api/v1/tenants/%" G_GINT64_FORMAT "/review-pack", tenant_id);

  fetch_tagged (self, atlas_client_get_review_pack_async, "GET", path, NULL, atlas_api_parse_review_pack, check_review_pack, &scope,
                cancellable, callback, user_data);
}

/* Not cached and never shared: each press of "Generate" is its own intent. */
void
atlas_client_generate_review_pack_async (AtlasClient         *self,
                                         gint64               tenant_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Scope scope = { 0, tenant_id, 0 };
  g_autofree char *path = g_strdup_printf ("/api/v1/tenants/%" G_GINT64_FORMAT "/review-packs", tenant_id);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

  fetch_tagged (self, atlas_client_generate_review_pack_async, "POST", path, body,
                atlas_api_parse_generate, check_generate, &scope, cancellable, callback, user_data);
}

void
atlas_client_get_notifications_async (AtlasClient         *self,
                                      gint64               after_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/me/notifications?after=%" G_GINT64_FORMAT,
                                           MAX (after_id, 0));

  fetch_tagged (self, atlas_client_get_notifications_async, "GET", path, NULL, atlas_api_parse_notifications, NULL, NULL,
                cancellable, callback, user_data);
}

/* --- downloads (a ready review pack's file) ----------------------------------------
 *
 * Not a fetch: the body is a file, streamed to disk in chunks, never parsed, cached or
 * shared. It is written to a hidden file next to the destination and renamed over it
 * only when every byte arrived, so a failure (401, 404, a cut-off body, a full disk, a
 * folder that cannot be written) never leaves a partial file under the chosen name.
 * The token goes only to the backend's own origin. */

#define MAX_DOWNLOAD_BYTES (G_GOFFSET_CONSTANT (512) * 1024 * 1024)

typedef struct
{
  AtlasClient           *client;
  SoupMessage           *msg;
  GInputStream          *body;
  GFile                 *destination;
  GFile                 *partial;
  GOutputStream         *out;
  AtlasDownloadProgress  progress;
  gpointer               progress_data;
  guint8                *buffer;
  goffset                received;
  goffset                total;          /* Content-Length; -1 when not sent */
  guint                  session_serial;
  GError                *error;          /* the failure, reported once cleaned up */
} Download;

static void
download_free (Download *d)
{
  g_clear_object (&d->client);
  g_clear_object (&d->msg);
  g_clear_object (&d->body);
  g_clear_object (&d->destination);
  g_clear_object (&d->partial);
  g_clear_object (&d->out);
  g_clear_error (&d->error);
  g_free (d->buffer);
  g_free (d);
}

static GError *
download_write_error (Download     *d,
                      const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (d->destination);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  return g_error_new (error->domain, error->code, _("Cannot save “%s”: %s"), name, error->message);
}

static void
download_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *d = g_task_get_task_data (task);

  g_file_delete_finish (G_FILE (object), result, NULL);
  g_task_return_error (task, g_steal_pointer (&d->error));
}

static void
download_discarded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);

  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  /* Not the task's cancellable: a cancelled download still cleans up after itself. */
  g_file_delete_async (d->partial, G_PRIORITY_DEFAULT, NULL, download_deleted_cb, task);
}

/* Takes the task's reference. */
static void
download_fail (GTask  *task,
               GError *error)
{
  Download *d = g_task_get_task_data (task);

  d->error = error;
  if (d->body != NULL)
    g_input_stream_close_async (d->body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (d->out != NULL)
    g_output_stream_close_async (d->out, G_PRIORITY_DEFAULT, NULL, download_discarded_cb, task);
  else if (d->partial != NULL)
    g_file_delete_async (d->partial, G_PRIORITY_DEFAULT, NULL, download_deleted_cb, task);
  else
    {
      g_task_return_error (task, g_steal_pointer (&d->error));
      g_object_unref (task);
    }
}

static void
download_moved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      g_clear_object (&d->out);   /* closed already: only the file is left to remove */
      download_fail (task, download_write_error (d, error));
      return;
    }
  g_task_return_int (task, (gssize) d->received);
  g_object_unref (task);
}

static void
download_closed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      g_clear_object (&d->out);
      download_fail (task, download_write_error (d, error));
      return;
    }
  g_clear_object (&d->out);
  g_file_move_async (d->partial, d->destination, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                     G_PRIORITY_DEFAULT, g_task_get_cancellable (task), NULL, NULL,
                     download_moved_cb, task);
}

static void download_read (GTask *task);

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      download_fail (task, download_write_error (d, error));
      return;
    }
  d->received += (goffset) written;
  if (d->progress != NULL)
    d->progress (d->received, d->total, d->progress_data);
  download_read (task);
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n < 0)
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                           ? g_steal_pointer (&error)
                           : client_error_new (ATLAS_CLIENT_ERROR_NETWORK, 200, 0, error->message));
      return;
    }
  if (n == 0)
    {
      /* libsoup ends a body shorter than its Content-Length with a clean EOF. */
      if (d->total >= 0 && d->received != d->total)
        {
          download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, 200, 0,
                                                 _("The download was cut off")));
          return;
        }
      g_output_stream_close_async (d->out, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   download_closed_cb, task);
      return;
    }
  if (d->received + n > MAX_DOWNLOAD_BYTES)
    {
      download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, 200, 0,
                                             _("The download is larger than 512 MiB")));
      return;
    }
  g_output_stream_write_all_async (d->out, d->buffer, (gsize) n, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), download_written_cb, task);
}

static void
download_read (GTask *task)
{
  Download *d = g_task_get_task_data (task);

  g_input_stream_read_async (d->body, d->buffer, READ_CHUNK, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), download_read_cb, task);
}

static void
download_created_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GFileOutputStream *out = g_file_create_finish (G_FILE (object), result, &error);

  if (out == NULL)
    {
      g_clear_object (&d->partial);   /* nothing was created */
      download_fail (task, download_write_error (d, error));
      return;
    }
  d->out = G_OUTPUT_STREAM (out);
  if (d->progress != NULL)
    d->progress (0, d->total, d->progress_data);
  download_read (task);
}

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *partial_name = NULL;
  SoupMessageHeaders *headers;
  guint status;

  d->body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (d->body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        download_fail (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_TIMEOUT, 0, 0,
                                               _("The backend did not answer in time")));
      else
        download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_NETWORK, 0, 0, error->message));
      return;
    }

  status = soup_message_get_status (d->msg);
  headers = soup_message_get_response_headers (d->msg);
  g_debug ("GET %s → %u", g_uri_get_path (soup_message_get_uri (d->msg)), status);
  if (status != SOUP_STATUS_OK)
    {
      AtlasClientError code = SOUP_STATUS_IS_REDIRECTION (status) ? ATLAS_CLIENT_ERROR_INVALID_RESPONSE
                                                                  : error_code_for_status (status);
      GError *failure = client_error_new (code, status, 0,
                                          SOUP_STATUS_IS_REDIRECTION (status)
                                            ? _("The backend redirected the download; it was not followed")
                                            : default_message (code));

      note_session (d->client, d->session_serial, failure);
      download_fail (task, failure);
      return;
    }
  note_session (d->client, d->session_serial, NULL);

  d->total = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
             ? soup_message_headers_get_content_length (headers) : -1;
  if (d->total > MAX_DOWNLOAD_BYTES)
    {
      download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_INVALID_RESPONSE, status, 0,
                                             _("The download is larger than 512 MiB")));
      return;
    }

  /* A hidden name in the same folder, so the final rename stays on one file system. */
  parent = g_file_get_parent (d->destination);
  base = g_file_get_basename (d->destination);
  partial_name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());
  d->partial = g_file_get_child (parent, partial_name);
  d->buffer = g_malloc (READ_CHUNK);
  g_file_create_async (d->partial, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT,
                       g_task_get_cancellable (task), download_created_cb, task);
}

/**
 * atlas_client_download_async:
 * @url: a `download_url`: a path on the backend ("/api/v1/…"), or an absolute URL on
 *   the backend's own origin (anything else is refused: the token would go there)
 * @destination: the file to write; replaced only once the whole file arrived
 * @progress: (nullable): called with bytes written and the total (-1 if unknown);
 *   @progress_data must stay valid until @callback runs
 *
 * GETs @url with the bearer token and streams the body into @destination. Errors:
 * %ATLAS_CLIENT_ERROR (UNAUTHENTICATED on 401 — which ends the session as for any
 * request — NOT_FOUND on 404, NETWORK, TIMEOUT, INVALID_RESPONSE when cut off), or
 * the %G_IO_ERROR of writing, its message naming the file. No file is left behind on
 * any error.
 */
void
atlas_client_download_async (AtlasClient           *self,
                             const char            *url,
                             GFile                 *destination,
                             AtlasDownloadProgress  progress,
                             gpointer               progress_data,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  GTask *task;
  Download *d;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GFile) parent = NULL;

  g_return_if_fail (ATLAS_IS_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atlas_client_download_async);
  d = g_new0 (Download, 1);
  d->client = g_object_ref (self);
  d->destination = g_object_ref (destination);
  d->progress = progress;
  d->progress_data = progress_data;
  d->total = -1;
  d->session_serial = self->session_serial;
  g_task_set_task_data (task, d, (GDestroyNotify) download_free);

  /* Paths are below the base, as for every request; absolute URLs must be ours. */
  if (url[0] == '/' && url[1] != '/')
    {
      g_autofree char *full = g_strconcat (self->base_url, url, NULL);
      uri = g_uri_parse (full, SOUP_HTTP_URI_FLAGS, NULL);
    }
  else
    {
      uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
      if (uri != NULL && !atlas_uri_same_origin (uri, self->base_uri))
        {
          download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_BAD_REQUEST, 0, 0,
                                                 _("The download is on another server; "
                                                   "the token is not sent there")));
          return;
        }
    }
  parent = g_file_get_parent (destination);
  if (uri == NULL || parent == NULL)
    {
      download_fail (task, client_error_new (ATLAS_CLIENT_ERROR_BAD_REQUEST, 0, 0,
                                             uri == NULL ? _("Invalid download address")
                                                         : _("Cannot save to the top of a file system")));
      return;
    }

  d->msg = soup_message_new_from_uri ("GET", uri);
  soup_message_add_flags (d->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (d->msg), "Accept", "*/*");
  /* Saved as served: file_size bytes, whatever a proxy would like to do. */
  soup_message_headers_replace (soup_message_get_request_headers (d->msg), "Accept-Encoding", "identity");
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (d->msg), "Authorization", auth);
    }
  self->request_count++;
  soup_session_send_async (self->session, d->msg, G_PRIORITY_DEFAULT, cancellable,
                           download_sent_cb, task);
}

/* Returns the bytes written, or -1 with @error set. */
goffset
atlas_client_download_finish (AtlasClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (ATLAS_IS_CLIENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (goffset) g_task_propagate_int (G_TASK (result), error);
}
