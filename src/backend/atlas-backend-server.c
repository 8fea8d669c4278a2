/* atlas-backend-server.c — AtlasBackendServer: lifecycle and the request pipeline (auth, ETags)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "atlas-backend-private.h"

enum {
  PROP_0,
  PROP_SCENARIO,
  PROP_PORT,
  PROP_GZIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasBackendServer, atlas_backend_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (atlas-backend-error-quark, atlas_backend_error)

/* A body is cached together with what it depends on (the database change counter and
 * the clock), so a stale entry is recognised without any invalidation hook. */
static void
cached_body_free (gpointer data)
{
  CachedBody *cached = data;

  g_free (cached->body);
  g_free (cached);
}

/* Users are loaded once at start: tokens never change while the server runs, so the
 * token lookup needs no database round trip per request. */
static void
user_free (gpointer data)
{
  User *user = data;

  g_free (user->name);
  g_free (user->role);
  g_free (user->token);
  g_array_unref (user->memberships);
  g_free (user);
}

static void
membership_clear (gpointer data)
{
  Membership *m = data;

  g_free (m->workspace_name);
  g_free (m->capabilities);
}

/* ---- request pipeline ----------------------------------------------------------------
 *
 * server_callback → (status fault?) → atlas_backend_route → handler → headers, ETag/304,
 * body faults, latency. Handlers only fill a Response; everything HTTP-level is here. */

/* The machine-readable codes of operator-api.md, one per status. */
static const char *
error_code_for (guint status)
{
  switch (status)
    {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 422: return "validation_failed";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    default:  return "internal_error";
    }
}

/* Replaces whatever a handler had written so far: an error body is never mixed. */
void
atlas_backend_respond_error (Response   *res,
                             guint       status,
                             const char *message)
{
  res->status = status;
  g_string_truncate (res->body, 0);
  g_string_append_printf (res->body, "{\"error\":{\"code\":\"%s\",\"message\":",
                          error_code_for (status));
  atlas_backend_append_json_string (res->body, message);
  g_string_append (res->body, "}}");
}

void
atlas_backend_respond_gerror (Response     *res,
                              const GError *error)
{
  guint status = 500;

  /* Foreign domains (SQLite, GIO) are our fault, not the client's. */
  if (error->domain == ATLAS_BACKEND_ERROR)
    status = (guint) error->code;
  atlas_backend_respond_error (res, status, error->message);
}

/* Digits only: g_ascii_string_to_unsigned would accept a sign or leading spaces. */
gboolean
atlas_backend_parse_id (const char *text,
                        gint64     *out_id)
{
  guint64 value;

  if (text == NULL || *text == '\0' || strlen (text) > 19)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_id = (gint64) value;
  return TRUE;
}

/* Absent → default; present but not a plain integer in [min, max] → FALSE (400). */
gboolean
atlas_backend_query_int (GHashTable *query,
                         const char *name,
                         gint64      default_value,
                         gint64      min,
                         gint64      max,
                         gint64     *out_value)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 value;

  if (text == NULL)
    {
      *out_value = default_value;
      return TRUE;
    }
  /* Plain digits only: strtoll would take " 1", "+1" or "-0"; the range check below
   * then catches 0 and values past max. */
  if (*text == '\0' || strlen (text) > 19 || strspn (text, "0123456789") != strlen (text) ||
      !g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    return FALSE;
  *out_value = value;
  return TRUE;
}

/* json-glib 1.6 has no depth limit; refuse deep nesting before parsing. */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}

/* A non-empty body must be a JSON object; allow_empty permits no body at all. */
JsonNode *
atlas_backend_parse_body (SoupServerMessage  *msg,
                          gboolean            allow_empty,
                          GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  /* flatten() of an already flat body is a reference, not a copy. */
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean blank = TRUE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      blank = FALSE;
  if (blank)
    {
      if (allow_empty)
        return json_node_new (JSON_NODE_NULL);
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "A JSON object body is required");
      return NULL;
    }
  if (len > MAX_BODY_BYTES)
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "Body too large");
      return NULL;
    }
  /* json-glib stops at a NUL and would accept what follows it unseen. */
  if (!g_utf8_validate (data, len, NULL) || memchr (data, '\0', len) != NULL ||
      !json_depth_ok (data, len))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "Body is not valid JSON");
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, ATLAS_BACKEND_ERROR, 400, "Body must be a JSON object");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* Every time the server reports (Date, created_at, staleness) comes from here, so the
 * test clock moves all of them together. */
gint64
atlas_backend_server_now (AtlasBackendServer *self)
{
  if (self->clock_fixed)
    return self->clock;
  return g_get_real_time () / G_USEC_PER_SEC;
}

const User *
atlas_backend_authenticate (AtlasBackendServer *self,
                            SoupServerMessage  *msg)
{
  const char *header = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *token = NULL;

  /* The scheme is case-insensitive (RFC 9110 §11.1); the token is not. */
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  token = g_strstrip (g_strdup (header + 7));
  return g_hash_table_lookup (self->users_by_token, token);
}

/* Counted per exact path: tests assert how often a screen asked, e.g. one overview per
 * refresh, and prefixes sum them. */
static void
count_request (AtlasBackendServer *self,
               const char         *path)
{
  guint64 *slot = g_hash_table_lookup (self->request_counts, path);

  if (slot == NULL)
    {
      slot = g_new0 (guint64, 1);
      g_hash_table_insert (self->request_counts, g_strdup (path), slot);
    }
  (*slot)++;
}

/* Weak and strong validators compare equal here: bodies are byte-identical or not at all. */
static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) parts = NULL;

  if (if_none_match == NULL)
    return FALSE;
  parts = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *candidate = g_strstrip (parts[i]);

      gsize len;

      if (g_str_has_prefix (candidate, "W/"))
        candidate += 2;
      /* The gzip answer's tag is the identity tag plus "-gzip": either names this body. */
      len = strlen (candidate);
      if (g_str_has_suffix (candidate, "-gzip\"") && len - 6 == strlen (etag) - 1 &&
          strncmp (candidate, etag, len - 6) == 0)
        return TRUE;
      if (strcmp (candidate, "*") == 0 || strcmp (candidate, etag) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Common response headers; Date follows the test clock: clients compute skew from it. */
static char *
add_common_headers (AtlasBackendServer *self,
                    SoupMessageHeaders *headers,
                    const Response     *res)
{
  g_autoptr(GDateTime) date_time = g_date_time_new_from_unix_utc (atlas_backend_server_now (self));
  char *date = soup_date_time_to_string (date_time, SOUP_DATE_HTTP);

  soup_message_headers_replace (headers, "Date", date);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (self->poll_interval > 0)
    {
      char interval[16];
      g_snprintf (interval, sizeof interval, "%u", self->poll_interval);
      soup_message_headers_replace (headers, "X-Poll-Interval", interval);
    }
  if (res->retry_after)
    soup_message_headers_replace (headers, "Retry-After", res->retry_after);
  if (res->allow)
    soup_message_headers_replace (headers, "Allow", res->allow);
  if (self->gzip)
    soup_message_headers_replace (headers, "Vary", "Accept-Encoding");
  return date;
}

void
atlas_backend_exchange_free (AtlasBackendExchange *ex)
{
  g_clear_handle_id (&ex->hold_timer, g_source_remove);
  g_free (ex->sum);
  if (ex->gone_id != 0)
    g_signal_handler_disconnect (ex->msg, ex->gone_id);
  atlas_backend_request_clear (&ex->req);
  if (ex->body != NULL)
    g_string_free (ex->body, TRUE);
  g_clear_object (&ex->msg);
  g_free (ex->path);
  g_free (ex);
}

/* Turns the handler's Response into the HTTP answer: headers, body faults, ETag/304,
 * latency. Runs on the main context, whichever thread ran the handler. */
void
atlas_backend_exchange_finish (AtlasBackendExchange *ex)
{
  AtlasBackendServer *self = ex->self;
  SoupServerMessage *msg = ex->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  g_autofree char *date = NULL;
  /* JSON only: a file is served as it is (PDFs compress little, and a client saving
   * it should write exactly file_size bytes). */
  gboolean gzip = self->gzip && ex->res.content_type == NULL && atlas_backend_accepts_gzip (msg);
  const char *content_type = ex->res.content_type ? ex->res.content_type : "application/json";
  GString *body = ex->body;

  /* The client left (or the server stopped) while a worker ran: nobody to answer. */
  if (ex->gone)
    {
      atlas_backend_exchange_free (ex);
      return;
    }
  date = add_common_headers (self, headers, &ex->res);
  if (ex->wait_seconds > 0)
    {
      g_autofree char *applied = g_strdup_printf ("wait=%u", ex->wait_seconds);
      soup_message_headers_replace (headers, "Preference-Applied", applied);
    }

  /* Body faults act on the finished answer, so they hit any route the same way. */
  if (ex->faulted && ex->fault.kind == ATLAS_BACKEND_FAULT_TRUNCATED)
    {
      atlas_backend_send_truncated (msg, date, body);
      atlas_backend_exchange_free (ex);
      return;
    }
  if (ex->faulted && ex->fault.kind == ATLAS_BACKEND_FAULT_MALFORMED)
    {
      g_string_assign (body, "{\"data\": [{\"id\": 1,, \"status\": running} <html>oops");
      ex->res.status = 200;
    }
  else if (ex->faulted && ex->fault.kind == ATLAS_BACKEND_FAULT_CUT_JSON)
    {
      g_string_truncate (body, body->len / 2);
      ex->res.status = 200;
    }

  /* The ETag is a hash of the body: no per-resource version bookkeeping, and a 304
   * is exact. A faulted body gets none so a client never caches garbage. */
  if (ex->res.status == 200 && get && !ex->faulted)
    {
      /* A worker hashed its body already (see worker_run): not the main thread's job. */
      g_autofree char *sum = ex->sum ? g_steal_pointer (&ex->sum)
                                     : g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                                    (const guchar *) body->str,
                                                                    body->len);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sum);

      /* Each coding is its own representation (RFC 9110 §8.8.3), so its own tag. */
      if (gzip)
        {
          g_autofree char *gzip_etag = g_strdup_printf ("\"%s-gzip\"", sum);
          soup_message_headers_replace (headers, "ETag", gzip_etag);
        }
      else
        soup_message_headers_replace (headers, "ETag", etag);
      if (etag_matches (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "If-None-Match"), etag))
        {
          /* Unchanged and the client will wait: keep it paused until a change or
           * its deadline (atlas-backend-pipeline.c). */
          if (atlas_backend_pipeline_hold (ex))
            return;
          soup_server_message_set_status (msg, 304, NULL);
          goto out;
        }
    }

  soup_server_message_set_status (msg, ex->res.status, NULL);
  if (gzip)
    {
      /* Empty lists and null packs too: the small bodies are where clients break. */
      g_autoptr(GBytes) encoded = atlas_backend_gzip (body->str, body->len);
      gsize len;
      gconstpointer data = g_bytes_get_data (encoded, &len);

      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      self->gzip_count++;
      soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, len);
    }
  else
    {
      gsize len = body->len;

      if (ex->res.filename[0] != '\0')
        {
          g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s\"", ex->res.filename);
          soup_message_headers_replace (headers, "Content-Disposition", disposition);
        }
      soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                        g_string_free (g_steal_pointer (&ex->body), FALSE), len);
    }

out:
  /* A latency fault takes over the pause; otherwise resume a worker's message. */
  if (ex->faulted && ex->fault.kind == ATLAS_BACKEND_FAULT_LATENCY && ex->fault.latency_ms > 0)
    atlas_backend_delay (self, msg, ex->fault.latency_ms);
  else if (ex->paused)
    soup_server_message_unpause (msg);
  atlas_backend_exchange_free (ex);
}

static void
exchange_gone_cb (AtlasBackendExchange *ex)
{
  ex->gone = TRUE;
}

/* Prefer: wait=N (RFC 7240), N plain digits, at most 300 (the contract's bound);
 * anything else is no preference at all. */
static guint
prefer_wait (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *prefer = soup_message_headers_get_list (headers, "Prefer");
  g_auto(GStrv) parts = NULL;
  guint64 value = 0;

  if (prefer == NULL || soup_message_headers_get_one (headers, "If-None-Match") == NULL)
    return 0;
  parts = g_strsplit (prefer, ",", 16);
  for (guint i = 0; parts[i]; i++)
    {
      char *pref = g_strstrip (parts[i]);
      char *semi = strchr (pref, ';');

      if (semi != NULL)
        *semi = '\0';
      g_strstrip (pref);
      if (g_ascii_strncasecmp (pref, "wait=", 5) == 0 && pref[5] != '\0' &&
          strspn (pref + 5, "0123456789") == strlen (pref + 5) && strlen (pref + 5) <= 9 &&
          g_ascii_string_to_unsigned (pref + 5, 10, 0, G_MAXUINT32, &value, NULL))
        return (guint) MIN (value, 300);
    }
  return 0;
}

static gboolean
is_test_path (const char *path)
{
  return g_str_has_prefix (path, TEST_PREFIX "/") || g_strcmp0 (path, TEST_PREFIX) == 0;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  AtlasBackendServer *self = user_data;
  AtlasBackendExchange *ex = g_new0 (AtlasBackendExchange, 1);
  const AtlasBackendRoute *route;

  ex->self = self;
  ex->msg = g_object_ref (msg);
  ex->path = g_strdup (path);
  ex->body = g_string_new (NULL);
  ex->res = (Response) { 200, ex->body, NULL, NULL };

  /* Test-control calls are harness traffic, not client traffic: not counted. */
  if (!is_test_path (path))
    {
      count_request (self, path);
      ex->faulted = atlas_backend_take_fault (self, path, &ex->fault);
    }

  /* Delayed answers hold memory; past a bound, shed load honestly instead of queueing. */
  if (self->delayed->len >= MAX_DELAYED)
    {
      atlas_backend_respond_error (&ex->res, 503, "The server is overloaded");
      ex->res.retry_after = "1";
    }
  else if (ex->faulted && ex->fault.kind == ATLAS_BACKEND_FAULT_STATUS)
    {
      atlas_backend_respond_error (&ex->res, ex->fault.status,
                                   ex->fault.status == 429 ? "Too many requests"
                                                           : "Service unavailable");
      ex->res.retry_after = ex->fault.retry_after ? ex->fault.retry_after : "5";
    }
  else if ((route = atlas_backend_resolve (self, msg, path, &ex->req, &ex->res)) != NULL)
    {
      ex->route = route;
      if (!route->on_main && self->pool != NULL)
        {
          if (route->holdable && self->hold_requests)
            ex->wait_seconds = prefer_wait (msg);
          ex->hold_until = ex->req.now + ex->wait_seconds;
          ex->gone_id = g_signal_connect_swapped (msg, "disconnected", G_CALLBACK (exchange_gone_cb), ex);
          atlas_backend_pipeline_dispatch (ex);
          return;
        }
      if (route->writes)
        atlas_backend_pipeline_quiesce (self);
      route->handler (&ex->req);
    }

  atlas_backend_exchange_finish (ex);
  /* Whatever a main-context handler wrote may be what a held request waits for. */
  atlas_backend_server_changed (self);
}

/* ---- refusing early ------------------------------------------------------------------
 *
 * libsoup reads the whole body before the handler runs. A request whose headers
 * already decide the answer (no or bad token, too big, unknown route) is answered
 * from got-headers or got-chunk on a stolen connection, so the body is never read
 * into memory — not even the part that is already on its way. */

static GQuark
body_limit_quark (void)
{
  return g_quark_from_static_string ("atlas-backend-body-limit");
}

static void
refuse_early (AtlasBackendServer *self,
              SoupServerMessage  *msg,
              const Response     *res)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *date = add_common_headers (self, headers, res);
  GString *text = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", res->status,
                          soup_status_get_phrase (res->status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append_printf (text, "Server: atlas-backend/" PACKAGE_VERSION "\r\n"
                          "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                          "\r\nConnection: close\r\n\r\n", res->body->len);
  g_string_append_len (text, res->body->str, (gssize) res->body->len);
  atlas_backend_send_raw_and_close (msg, g_string_free_to_bytes (text));
}

static gboolean
expects_body (SoupMessageHeaders *headers)
{
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH)
    return soup_message_headers_get_content_length (headers) > 0;
  return encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF;
}

static void
got_headers_cb (SoupServerMessage  *msg,
                AtlasBackendServer *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autoptr(GString) body = NULL;
  AtlasBackendRequest req;
  const AtlasBackendRoute *route;
  Response res;

  atlas_backend_pipeline_conn_phase (self, msg, expects_body (headers) ? ATLAS_BACKEND_CONN_BODY
                                                                      : ATLAS_BACKEND_CONN_BUSY);
  /* libsoup refused it already (bad request line, unknown encoding). */
  if (soup_server_message_get_status (msg) != 0 || !expects_body (headers))
    return;

  body = g_string_new (NULL);
  res = (Response) { 200, body, NULL, NULL };
  route = atlas_backend_resolve (self, msg, path, &req, &res);
  atlas_backend_request_clear (&req);
  if (route != NULL && soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > route->max_body)
    atlas_backend_respond_error (&res, 413, "The request body is too large for this endpoint");
  else if (route != NULL)
    {
      /* got-chunk enforces the same limit on a chunked (or unframed) body. */
      g_object_set_qdata (G_OBJECT (msg), body_limit_quark (),
                          GSIZE_TO_POINTER (route->max_body + 1));
      return;
    }
  if (!is_test_path (path))
    count_request (self, path);
  refuse_early (self, msg, &res);
}

static void
got_chunk_cb (SoupServerMessage  *msg,
              GBytes             *chunk,
              AtlasBackendServer *self)
{
  gsize limit = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), body_limit_quark ()));
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GString) text = NULL;
  Response res;

  /* limit is max_body + 1, so 0 means "not checked here". */
  if (limit == 0 || (gsize) body->length < limit)
    return;
  text = g_string_new (NULL);
  res = (Response) { 413, text, NULL, NULL };
  atlas_backend_respond_error (&res, 413, "The request body is too large for this endpoint");
  if (!is_test_path (g_uri_get_path (soup_server_message_get_uri (msg))))
    count_request (self, g_uri_get_path (soup_server_message_get_uri (msg)));
  refuse_early (self, msg, &res);
}

static void
got_body_cb (SoupServerMessage  *msg,
             AtlasBackendServer *self)
{
  atlas_backend_pipeline_conn_phase (self, msg, ATLAS_BACKEND_CONN_BUSY);
}

static void
request_started_cb (SoupServer         *server,
                    SoupServerMessage  *msg,
                    AtlasBackendServer *self)
{
  atlas_backend_pipeline_conn_started (self, msg);
  /* Connected after libsoup's own got-headers handler, which fills in the URI. */
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (got_body_cb), self, 0);
}

/* Answered (or aborted): the connection idles until the next request's first byte. */
static void
request_done_cb (SoupServer         *server,
                 SoupServerMessage  *msg,
                 AtlasBackendServer *self)
{
  atlas_backend_pipeline_conn_phase (self, msg, ATLAS_BACKEND_CONN_IDLE);
}

/* ---- lifecycle ------------------------------------------------------------------------ */

/* One tick a second drives the simulator in the live scenarios; it runs on the main
 * context like requests do, so a request never sees a half-applied step. */
static gboolean
tick_cb (gpointer user_data)
{
  AtlasBackendServer *self = user_data;

  self->ticks++;
  atlas_backend_pipeline_quiesce (self);
  /* A new run every few seconds keeps the demo and scale screens lively. */
  if (g_strcmp0 (self->scenario, "demo") == 0 || g_strcmp0 (self->scenario, "scale") == 0)
    {
      GRand *rand = atlas_backend_simulator_get_rand (self->simulator);
      if (g_rand_int_range (rand, 0, 4) == 0)
        atlas_backend_simulator_spawn (self->simulator, atlas_backend_server_now (self));
    }
  atlas_backend_simulator_step (self->simulator, atlas_backend_server_now (self));
  atlas_backend_server_changed (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
load_users (AtlasBackendServer  *self,
            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = atlas_backend_store_stmt (self->store,
      "SELECT u.id, u.name, u.role, u.token, m.workspace_id, w.name, m.capabilities"
      " FROM users u LEFT JOIN memberships m ON m.user_id = u.id"
      " LEFT JOIN workspaces w ON w.id = m.workspace_id ORDER BY u.id, m.workspace_id");
  User *user = NULL;

  /* One row per membership, ordered by user: a new user starts where the id changes. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (user == NULL || user->id != id)
        {
          user = g_new0 (User, 1);
          user->id = id;
          user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          user->role = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          user->token = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          user->memberships = g_array_new (FALSE, TRUE, sizeof (Membership));
          g_array_set_clear_func (user->memberships, membership_clear);
          g_ptr_array_add (self->users, user);
          if (user->token != NULL)
            g_hash_table_insert (self->users_by_token, user->token, user);
        }
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          Membership m = { 0 };
          g_auto(GStrv) caps = NULL;

          m.workspace_id = sqlite3_column_int64 (stmt, 4);
          m.workspace_name = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
          m.capabilities = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
          caps = g_strsplit (m.capabilities, " ", -1);
          /* Checks read bits; /me reports the stored words as they are. */
          m.caps = (g_strv_contains ((const char * const *) caps, "operations.view") ? CAP_VIEW : 0) |
                   (g_strv_contains ((const char * const *) caps, "review_pack.generate") ? CAP_GENERATE : 0);
          g_array_append_val (user->memberships, m);
        }
    }
  if (self->users->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The database has no users");
      return FALSE;
    }
  return TRUE;
}

static void
atlas_backend_server_dispose (GObject *object)
{
  AtlasBackendServer *self = (AtlasBackendServer *)object;

  /* Stopping first releases paused messages, which hold references back to us. */
  atlas_backend_server_stop (self);

  G_OBJECT_CLASS (atlas_backend_server_parent_class)->dispose (object);
}

static void
atlas_backend_server_finalize (GObject *object)
{
  AtlasBackendServer *self = (AtlasBackendServer *)object;

  g_clear_pointer (&self->scenario, g_free);
  g_clear_object (&self->simulator);
  g_clear_object (&self->store);
  g_clear_pointer (&self->users_by_token, g_hash_table_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  g_clear_pointer (&self->overview_cache, g_hash_table_unref);
  g_clear_pointer (&self->counts_cache, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->conns, g_hash_table_unref);
  g_mutex_clear (&self->cache_lock);
  g_mutex_clear (&self->inflight_lock);
  g_cond_clear (&self->inflight_cond);
  /* The store is closed above: the WAL is checkpointed and removed on the last close. */
  if (self->db_temporary)
    {
      g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (self->db_path, "-shm", NULL);

      g_unlink (self->db_path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_clear_pointer (&self->db_path, g_free);
  g_queue_clear_full (&self->faults, atlas_backend_pending_fault_free);

  G_OBJECT_CLASS (atlas_backend_server_parent_class)->finalize (object);
}

static void
atlas_backend_server_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AtlasBackendServer *self = ATLAS_BACKEND_SERVER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_string (value, self->scenario);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_GZIP:
      g_value_set_boolean (value, self->gzip);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_backend_server_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AtlasBackendServer *self = ATLAS_BACKEND_SERVER (object);

  switch (prop_id)
    {
    case PROP_GZIP:
      atlas_backend_server_set_gzip (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_backend_server_class_init (AtlasBackendServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_backend_server_dispose;
  object_class->finalize = atlas_backend_server_finalize;
  object_class->get_property = atlas_backend_server_get_property;
  object_class->set_property = atlas_backend_server_set_property;

  properties[PROP_SCENARIO] =
    g_param_spec_string ("scenario", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Clients and ui suites flip this to run their cases through a gzip server. */
  properties[PROP_GZIP] =
    g_param_spec_boolean ("gzip", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atlas_backend_server_init (AtlasBackendServer *self)
{
  self->users = g_ptr_array_new_with_free_func (user_free);
  self->users_by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->delayed = g_ptr_array_new_with_free_func (atlas_backend_delayed_free);
  self->overview_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_body_free);
  self->counts_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_body_free);
  self->held = g_ptr_array_new ();
  self->conns = atlas_backend_pipeline_new_conns ();
  g_mutex_init (&self->cache_lock);
  g_mutex_init (&self->inflight_lock);
  g_cond_init (&self->inflight_cond);
  self->header_timeout_ms = 10000;
  self->idle_timeout_ms = 30000;
  self->max_connections = 512;
  self->seen_changes = -1;
  g_queue_init (&self->faults);
}

AtlasBackendServer *
atlas_backend_server_new (const AtlasBackendOptions  *options,
                          GError                    **error)
{
  static const char *scenarios[] = { "demo", "empty", "test", "scale", NULL };
  g_autoptr(AtlasBackendServer) self = NULL;
  const char *scenario = options && options->scenario ? options->scenario : "demo";
  guint64 seed;

  if (!g_strv_contains (scenarios, scenario))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown scenario “%s” (demo, empty, test, scale)", scenario);
      return NULL;
    }

  self = g_object_new (ATLAS_BACKEND_TYPE_SERVER, NULL);
  self->scenario = g_strdup (scenario);
  self->test_control = options ? options->test_control : FALSE;
  self->gzip = options ? options->gzip : FALSE;
  seed = options && options->seed ? options->seed : G_GUINT64_CONSTANT (20261122);
  /* The test scenario starts frozen at a known instant, so fixtures can say "5 minutes
   * ago" in absolute times. */
  if (strcmp (scenario, "test") == 0)
    {
      self->clock_fixed = TRUE;
      self->clock = TEST_EPOCH;
    }

  /* Workers need their own connections to the same data, which an in-memory database
   * cannot give them: "in memory" is a private temporary file, removed on finalize. */
  if (options && options->db_path)
    self->db_path = g_strdup (options->db_path);
  else
    {
      int fd = g_file_open_tmp ("atlas-backend-XXXXXX.db", &self->db_path, error);

      if (fd < 0)
        return NULL;
      close (fd);
      self->db_temporary = TRUE;
    }
  if (!(self->store = atlas_backend_store_new (self->db_path, error)))
    return NULL;
  /* Nothing survives a crash of a temporary database, so nothing needs to be synced. */
  if (self->db_temporary && !atlas_backend_store_exec (self->store, "PRAGMA synchronous=OFF;", error))
    return NULL;
  self->simulator = atlas_backend_simulator_new (self->store, seed);

  /* A persistent database is seeded once; reopening it keeps its runs and tokens. */
  if (!atlas_backend_store_is_seeded (self->store))
    {
      gint64 started = g_get_monotonic_time ();

      if (!atlas_backend_simulator_seed (self->simulator, scenario,
                                         atlas_backend_server_now (self), error))
        return NULL;
      g_debug ("Seeded scenario %s in %.2f s", scenario,
               (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
    }
  else if (!atlas_backend_store_finish_seeding (self->store, NULL, error))
    return NULL;

  if (!load_users (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
atlas_backend_server_start (AtlasBackendServer  *self,
                            const char          *address,
                            guint                port,
                            GError             **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GSocket) listener = NULL;
  GSList *uris;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->soup != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The server is already running");
      return FALSE;
    }

  inet = g_inet_address_new_from_string (address ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid address “%s”", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, (guint16) port);

  /* A trailing space makes libsoup append its own product token after ours. */
  soup = soup_server_new ("server-header", "atlas-backend/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (soup, NULL, server_callback, self, NULL);
  g_signal_connect_object (soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (soup, "request-finished", G_CALLBACK (request_done_cb), self, 0);
  g_signal_connect_object (soup, "request-aborted", G_CALLBACK (request_done_cb), self, 0);
  if (!atlas_backend_pipeline_start (self, error))
    {
      atlas_backend_pipeline_stop (self);
      return FALSE;
    }
  /* Our own listening socket, for its backlog: GSocket's default of 10 makes a burst
   * of connections wait seconds for SYN retries before the server even sees them. */
  listener = g_socket_new (g_socket_address_get_family (socket_address), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    {
      atlas_backend_pipeline_stop (self);
      return FALSE;
    }
  g_socket_set_listen_backlog (listener, 1024);
  if (!g_socket_bind (listener, socket_address, TRUE, error) || !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (soup, listener, 0, error))
    {
      atlas_backend_pipeline_stop (self);
      return FALSE;
    }

  /* Port 0 asks the kernel for a free one; read back which it gave. */
  uris = soup_server_get_uris (soup);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : 0;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->soup = g_steal_pointer (&soup);

  /* The test scenario has no simulator timer: it moves only when asked to. (The sweep
   * is transport only; it never changes an answer.) */
  if (strcmp (self->scenario, "test") != 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  atlas_backend_pipeline_watch (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

void
atlas_backend_server_stop (AtlasBackendServer *self)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  atlas_backend_pipeline_stop (self);
  /* Unpause held answers before the server goes, or their connections leak. */
  if (self->delayed != NULL)
    g_ptr_array_set_size (self->delayed, 0);
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}

gboolean
atlas_backend_server_is_running (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);
  return self->soup != NULL;
}

guint
atlas_backend_server_get_port (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  return self->port;
}

char *
atlas_backend_server_dup_base_url (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), NULL);
  /* In-process users listen on loopback; the address option exists for the CLI only. */
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

const char *
atlas_backend_server_get_token (AtlasBackendServer *self,
                                const char         *role)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), NULL);
  g_return_val_if_fail (role != NULL, NULL);

  /* Seeded roles are unique, so the first user with the role is the one. */
  for (guint i = 0; i < self->users->len; i++)
    {
      const User *user = g_ptr_array_index (self->users, i);
      if (g_strcmp0 (user->role, role) == 0)
        return user->token;
    }
  return NULL;
}

guint64
atlas_backend_server_get_request_count (AtlasBackendServer *self,
                                        const char         *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  guint64 total = 0;

  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);

  g_hash_table_iter_init (&iter, self->request_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (path_prefix == NULL || g_str_has_prefix (key, path_prefix))
      total += *(guint64 *) value;
  return total;
}

void
atlas_backend_server_reset_request_counts (AtlasBackendServer *self)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_hash_table_remove_all (self->request_counts);
}

/* Transport limits against slow clients; 0 keeps a value (defaults: 10 s for the
 * headers — and an announced body — to arrive, 30 s idle keep-alive, 512 connections). */
void
atlas_backend_server_set_limits (AtlasBackendServer *self,
                                 guint               header_timeout_ms,
                                 guint               idle_timeout_ms,
                                 guint               max_connections)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));

  if (header_timeout_ms > 0)
    self->header_timeout_ms = header_timeout_ms;
  if (idle_timeout_ms > 0)
    self->idle_timeout_ms = idle_timeout_ms;
  if (max_connections > 0)
    self->max_connections = max_connections;
}

/* Whether GET …/overview with If-None-Match and Prefer: wait=N is held until its ETag
 * changes or N s pass. Off by default for embedders (the app's --demo, the ui tests,
 * which expect answers at once); the atlas-backend executable turns it on. */
void
atlas_backend_server_set_hold_requests (AtlasBackendServer *self,
                                        gboolean            hold)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  self->hold_requests = hold;
}
