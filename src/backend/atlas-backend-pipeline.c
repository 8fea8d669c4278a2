/* atlas-backend-pipeline.c — staying answerable: SQL workers, held requests, connection limits
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "atlas-backend-private.h"

/* The thread that accepts connections never runs a read-only query. A request whose
 * route reads the database is paused, handed to a small pool of workers (each with
 * its own read-only SQLite connection; WAL lets them read while the main connection
 * writes), and finished back on the server's main context. Writes — the simulator,
 * review-pack POSTs, test control — stay on the main connection, so there is one
 * writer and its change counter is the database's version.
 *
 * Nothing here costs a thread per waiting client: a held request (If-None-Match with
 * Prefer: wait=N) is a paused message in a list, and a slow client is a socket in a
 * table that a sweep looks at twice a second. */

#define N_WORKERS          4
#define MAX_HELD           1024
#define SWEEP_MS           250
#define SWEEP_MAX_SHUT     32

typedef enum
{
  CONN_HEADERS,  /* connected or a request started: the headers must arrive in time */
  CONN_BODY,     /* headers in, body announced: the body must arrive in time too */
  CONN_BUSY,     /* we are answering (a held request is busy, not idle) */
  CONN_IDLE,     /* keep-alive between requests */
  CONN_CLOSING,  /* shut down by us, waiting for libsoup to let go */
} ConnPhase;

typedef struct
{
  AtlasBackendServer *self;
  GSocket            *socket;   /* weak: libsoup owns it */
  ConnPhase           phase;
  gint64              since;    /* monotonic µs the phase began */
} Conn;

/* ---- handing results back -------------------------------------------------------- */

typedef struct
{
  GSource             source;
  AtlasBackendServer *self;
} DoneSource;

static gboolean
done_prepare (GSource *source,
              gint    *timeout)
{
  *timeout = -1;
  return g_async_queue_length (((DoneSource *) source)->self->done) > 0;
}

static gboolean
done_check (GSource *source)
{
  return g_async_queue_length (((DoneSource *) source)->self->done) > 0;
}

/* Workers push finished exchanges and wake the context; this finishes them in order,
 * a batch at a time, so reading new requests (a /health among them) interleaves. */
static gboolean
done_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  AtlasBackendServer *self = ((DoneSource *) source)->self;
  AtlasBackendExchange *ex;

  for (guint i = 0; i < 16 && (ex = g_async_queue_try_pop (self->done)) != NULL; i++)
    atlas_backend_exchange_finish (ex);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs done_funcs = { done_prepare, done_check, done_dispatch, NULL, NULL, NULL };

/* Workers yield the CPU to the main thread: on a busy machine the thread that reads
 * requests (and answers /health) must not queue behind the SQL it handed out. */
static void
lower_priority_once (void)
{
#ifdef __linux__
  static GPrivate niced;

  if (g_private_get (&niced) == NULL)
    {
      /* On Linux a thread id names one thread to setpriority (). */
      setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
      g_private_set (&niced, GINT_TO_POINTER (1));
    }
#endif
}

static void
worker_run (gpointer data,
            gpointer user_data)
{
  AtlasBackendExchange *ex = data;
  AtlasBackendServer *self = user_data;
  AtlasBackendStore *store;

  lower_priority_once ();
  store = g_async_queue_pop (self->readers);

  /* One read transaction per request: every query of a body sees the same snapshot,
   * so totals and lists agree even while the simulator commits. */
  atlas_backend_store_exec (store, "BEGIN", NULL);
  ex->req.store = store;
  ex->route->handler (&ex->req);
  ex->req.store = NULL;
  atlas_backend_store_exec (store, "COMMIT", NULL);
  g_async_queue_push (self->readers, store);
  /* The ETag's hash is the one costly step left of the answer: do it here, not on the
   * thread every other client waits for. A faulted answer gets no ETag anyway. */
  g_clear_pointer (&ex->sum, g_free);
  if (ex->res.status == 200 && !ex->faulted)
    ex->sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1, (const guchar *) ex->body->str,
                                           ex->body->len);

  g_mutex_lock (&self->inflight_lock);
  if (--self->inflight == 0)
    g_cond_broadcast (&self->inflight_cond);
  g_mutex_unlock (&self->inflight_lock);

  g_async_queue_push (self->done, ex);
  g_main_context_wakeup (self->context);
}

gboolean
atlas_backend_pipeline_start (AtlasBackendServer  *self,
                              GError             **error)
{
  self->readers = g_async_queue_new_full (g_object_unref);
  for (guint i = 0; i < N_WORKERS; i++)
    {
      AtlasBackendStore *store = atlas_backend_store_new_reader (self->db_path, error);

      if (store == NULL)
        return FALSE;
      g_async_queue_push (self->readers, store);
    }
  self->done = g_async_queue_new ();
  /* Exclusive: these threads never run another pool's work (nor ours another's). */
  self->pool = g_thread_pool_new (worker_run, self, N_WORKERS, TRUE, error);
  if (self->pool == NULL)
    return FALSE;
  self->context = g_main_context_ref_thread_default ();
  self->done_source = g_source_new (&done_funcs, sizeof (DoneSource));
  ((DoneSource *) self->done_source)->self = self;
  g_source_set_priority (self->done_source, G_PRIORITY_DEFAULT + 10);
  g_source_attach (self->done_source, self->context);
  return TRUE;
}

void
atlas_backend_pipeline_dispatch (AtlasBackendExchange *ex)
{
  AtlasBackendServer *self = ex->self;

  if (!ex->paused)
    {
      soup_server_message_pause (ex->msg);
      ex->paused = TRUE;
    }
  g_mutex_lock (&self->inflight_lock);
  self->inflight++;
  g_mutex_unlock (&self->inflight_lock);
  g_thread_pool_push (self->pool, ex, NULL);
}

/* Before a write on the main context in the deterministic modes (the test scenario,
 * or any fixed clock): let every read already handed out finish first. A request
 * is then answered with the data as it was when it arrived — what in-process tests
 * count on when they change a run right after seeing a request come in. A live
 * server does not wait: there a read may see a write that came after it. */
void
atlas_backend_pipeline_quiesce (AtlasBackendServer *self)
{
  if (self->pool == NULL || (!self->clock_fixed && strcmp (self->scenario, "test") != 0))
    return;
  g_mutex_lock (&self->inflight_lock);
  while (self->inflight > 0)
    g_cond_wait (&self->inflight_cond, &self->inflight_lock);
  g_mutex_unlock (&self->inflight_lock);
}

/* ---- held requests ------------------------------------------------------------------- */

/* Answer it again from scratch, against the data as it is now. */
static void
recheck (AtlasBackendExchange *ex,
         gint64                now,
         gint64                changes)
{
  g_string_truncate (ex->body, 0);
  ex->res = (Response) { 200, ex->body, NULL, NULL };
  ex->req.now = now;
  ex->req.changes = changes;
  atlas_backend_pipeline_dispatch (ex);
}

static gboolean
hold_deadline_cb (gpointer user_data)
{
  AtlasBackendExchange *ex = user_data;
  AtlasBackendServer *self = ex->self;

  ex->hold_timer = 0;
  ex->hold_expired = TRUE;
  /* If it is being rechecked right now, its finish will see the flag instead. */
  if (g_ptr_array_remove_fast (self->held, ex))
    atlas_backend_exchange_finish (ex);
  return G_SOURCE_REMOVE;
}

gboolean
atlas_backend_pipeline_hold (AtlasBackendExchange *ex)
{
  AtlasBackendServer *self = ex->self;

  if (ex->wait_seconds == 0 || ex->hold_expired || !ex->paused || self->soup == NULL ||
      atlas_backend_server_now (self) >= ex->hold_until || self->held->len >= MAX_HELD)
    return FALSE;
  /* Its snapshot is older than the data: a change came while it was being answered,
   * and the wake-up for that change has passed it by. Look again rather than hold. */
  if (ex->req.changes != sqlite3_total_changes (atlas_backend_store_get_db (self->store)) ||
      ex->req.now != atlas_backend_server_now (self))
    {
      recheck (ex, atlas_backend_server_now (self),
               sqlite3_total_changes (atlas_backend_store_get_db (self->store)));
      return TRUE;
    }
  /* The real-time deadline; the test clock's one is hold_until, checked above. */
  if (ex->hold_timer == 0)
    ex->hold_timer = g_timeout_add_seconds (ex->wait_seconds, hold_deadline_cb, ex);
  g_ptr_array_add (self->held, ex);
  return TRUE;
}

/* Called after anything on the main context that may change an answer: a write, a
 * simulator step, a clock change. Held requests are rechecked (in the pool) only when
 * the database version or the server time actually moved; an unchanged ETag holds on. */
void
atlas_backend_server_changed (AtlasBackendServer *self)
{
  gint64 changes = sqlite3_total_changes (atlas_backend_store_get_db (self->store));
  gint64 now = atlas_backend_server_now (self);
  g_autoptr(GPtrArray) wake = NULL;

  if (changes == self->seen_changes && now == self->seen_now)
    return;
  self->seen_changes = changes;
  self->seen_now = now;
  if (self->held == NULL || self->held->len == 0 || self->pool == NULL)
    return;
  wake = self->held;
  self->held = g_ptr_array_new ();
  for (guint i = 0; i < wake->len; i++)
    {
      AtlasBackendExchange *ex = g_ptr_array_index (wake, i);

      recheck (ex, now, changes);
    }
}

/* ---- slow clients ---------------------------------------------------------------- */

static void
conn_gone (gpointer  data,
           GObject  *where_the_socket_was)
{
  Conn *conn = data;

  if (conn->phase != CONN_CLOSING)
    conn->self->n_conns--;
  g_hash_table_remove (conn->self->conns, where_the_socket_was);
}

static void
conn_free (gpointer data)
{
  g_free (data);
}

/* Shutdown, not close: libsoup sees end-of-stream on a valid descriptor and lets go
 * of the connection the normal way. */
static void
conn_shut (Conn *conn)
{
  if (conn->phase == CONN_CLOSING)
    return;
  conn->phase = CONN_CLOSING;
  conn->self->n_conns--;
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

static Conn *
conn_of (AtlasBackendServer *self,
         SoupServerMessage  *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket ? g_hash_table_lookup (self->conns, socket) : NULL;
}

void
atlas_backend_pipeline_conn_phase (AtlasBackendServer *self,
                                   SoupServerMessage  *msg,
                                   int                 phase)
{
  Conn *conn = conn_of (self, msg);

  if (conn != NULL && conn->phase != CONN_CLOSING)
    {
      conn->phase = (ConnPhase) phase;
      conn->since = g_get_monotonic_time ();
    }
}

/* A request started: for libsoup that is at accept time for a connection's first
 * request, and when the first byte arrives for the next ones. */
void
atlas_backend_pipeline_conn_started (AtlasBackendServer *self,
                                     SoupServerMessage  *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn;

  if (socket == NULL)
    return;
  conn = g_hash_table_lookup (self->conns, socket);
  if (conn == NULL)
    {
      conn = g_new0 (Conn, 1);
      conn->self = self;
      conn->socket = socket;
      g_object_weak_ref (G_OBJECT (socket), conn_gone, conn);
      g_hash_table_insert (self->conns, socket, conn);
      self->n_conns++;
    }
  atlas_backend_pipeline_conn_phase (self, msg, CONN_HEADERS);

  /* Over the cap, the connection that has waited longest without being served goes
   * (a slowloris one, typically), so a flood cannot lock out new clients. Those we
   * shut already do not count: libsoup lets go of them a little later. */
  if (self->n_conns > self->max_connections)
    {
      GHashTableIter iter;
      gpointer value;
      Conn *oldest = NULL;

      g_hash_table_iter_init (&iter, self->conns);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Conn *c = value;

          if ((c->phase == CONN_HEADERS || c->phase == CONN_BODY || c->phase == CONN_IDLE) &&
              (oldest == NULL || c->since < oldest->since))
            oldest = c;
        }
      if (oldest != NULL)
        conn_shut (oldest);
    }
}

static gboolean
sweep_cb (gpointer user_data)
{
  AtlasBackendServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  guint shut = 0;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *conn = value;
      gint64 age_ms = (now - conn->since) / 1000;

      if (((conn->phase == CONN_HEADERS || conn->phase == CONN_BODY) &&
           age_ms > self->header_timeout_ms) ||
          (conn->phase == CONN_IDLE && age_ms > self->idle_timeout_ms))
        {
          conn_shut (conn);
          /* libsoup's clean-up of a closed connection runs on this thread: a few dozen
           * a tick, so 600 expiring at once do not stall the answers to the others. */
          if (++shut >= SWEEP_MAX_SHUT)
            break;
        }
    }
  return G_SOURCE_CONTINUE;
}

void
atlas_backend_pipeline_watch (AtlasBackendServer *self)
{
  self->sweep_id = g_timeout_add (SWEEP_MS, sweep_cb, self);
}

/* ---- stopping ------------------------------------------------------------------------ */

void
atlas_backend_pipeline_stop (AtlasBackendServer *self)
{
  GHashTableIter iter;
  gpointer key, value;
  AtlasBackendExchange *ex;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  /* Let queued work run to its end, so no worker touches what is freed below. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  if (self->done != NULL)
    {
      while ((ex = g_async_queue_try_pop (self->done)) != NULL)
        atlas_backend_exchange_free (ex);
      g_clear_pointer (&self->done, g_async_queue_unref);
    }
  if (self->held != NULL)
    {
      for (guint i = 0; i < self->held->len; i++)
        atlas_backend_exchange_free (g_ptr_array_index (self->held, i));
      g_ptr_array_set_size (self->held, 0);
    }
  if (self->done_source != NULL)
    {
      g_source_destroy (self->done_source);
      g_clear_pointer (&self->done_source, g_source_unref);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->readers, g_async_queue_unref);
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_object_weak_unref (key, conn_gone, value);
  g_hash_table_remove_all (self->conns);
  self->n_conns = 0;
}

GHashTable *
atlas_backend_pipeline_new_conns (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, conn_free);
}
