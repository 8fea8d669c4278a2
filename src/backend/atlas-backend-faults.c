/* atlas-backend-faults.c — injected faults: status, latency, malformed and cut bodies
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include "atlas-backend-private.h"

/* Faults are queued in order and each is spent one request at a time, so a test can
 * script "two 503s, then a slow answer" without racing the client. */

void
atlas_backend_pending_fault_free (gpointer data)
{
  PendingFault *pf = data;

  g_free (pf->retry_after);
  g_free (pf->path_prefix);
  g_free (pf);
}

/* The first pending fault that applies to the path is spent; later ones wait their turn. */
gboolean
atlas_backend_take_fault (AtlasBackendServer *self,
                          const char         *path,
                          AtlasBackendFault  *out)
{
  for (GList *l = self->faults.head; l; l = l->next)
    {
      PendingFault *pf = l->data;

      /* Health stays out of fault injection unless a fault names it explicitly. */
      if (pf->path_prefix ? !g_str_has_prefix (path, pf->path_prefix)
                          : g_str_has_prefix (path, API_PREFIX "/health"))
        continue;
      *out = pf->fault;
      out->retry_after = NULL;
      out->path_prefix = NULL;
      /* Interned: the copy outlives the PendingFault it came from. */
      if (pf->retry_after)
        out->retry_after = g_intern_string (pf->retry_after);
      if (--pf->fault.count == 0)
        {
          g_queue_delete_link (&self->faults, l);
          atlas_backend_pending_fault_free (pf);
        }
      return TRUE;
    }
  return FALSE;
}

/* Raw answers on a stolen connection: libsoup always sends a consistent message, so a
 * lying Content-Length (the truncated fault) or an answer that must not wait for the
 * request body (refuse_early) is written by hand, then the connection is closed. */
typedef struct
{
  GIOStream    *stream;
  GBytes       *bytes;
  GCancellable *cancellable;
  guint         timeout_id;
  gsize         drain_left;
  guchar        buffer[16384];
} RawWrite;

#define DRAIN_BYTES   (1024 * 1024)
#define DRAIN_SECONDS 2

static void
raw_closed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
raw_finish (RawWrite *raw)
{
  g_clear_handle_id (&raw->timeout_id, g_source_remove);
  g_io_stream_close_async (raw->stream, G_PRIORITY_DEFAULT, NULL, raw_closed_cb, NULL);
  g_object_unref (raw->stream);
  g_object_unref (raw->cancellable);
  g_bytes_unref (raw->bytes);
  g_free (raw);
}

static gboolean
raw_drain_timeout_cb (gpointer user_data)
{
  RawWrite *raw = user_data;

  raw->timeout_id = 0;
  g_cancellable_cancel (raw->cancellable);
  return G_SOURCE_REMOVE;
}

/* Closing a socket with unread input makes the kernel send RST, and a client that is
 * still uploading may then lose the answer it was sent. So read and discard what
 * arrives — a bounded amount for a bounded time — before closing. */
static void
raw_drained_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawWrite *raw = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0 || (gsize) n >= raw->drain_left)
    {
      raw_finish (raw);
      return;
    }
  raw->drain_left -= (gsize) n;
  g_input_stream_read_async (G_INPUT_STREAM (object), raw->buffer, sizeof raw->buffer,
                             G_PRIORITY_LOW, raw->cancellable, raw_drained_cb, raw);
}

static void
raw_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawWrite *raw = user_data;
  GSocket *socket = g_object_get_data (G_OBJECT (raw->stream), "GSocket");

  /* The client may have gone already; then there is nothing to drain either. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL) ||
      raw->drain_left == 0 || socket == NULL)
    {
      raw_finish (raw);
      return;
    }
  /* Half-close: the client sees the end of the answer while we still read. */
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  raw->timeout_id = g_timeout_add_seconds (DRAIN_SECONDS, raw_drain_timeout_cb, raw);
  g_input_stream_read_async (g_io_stream_get_input_stream (raw->stream), raw->buffer,
                             sizeof raw->buffer, G_PRIORITY_LOW, raw->cancellable,
                             raw_drained_cb, raw);
}

static void
send_raw (SoupServerMessage *msg,
          GBytes            *bytes,
          gboolean           drain)
{
  RawWrite *raw = g_new0 (RawWrite, 1);

  /* After stealing, libsoup forgets the connection: it is ours to write and close.
   * libsoup keeps the GSocket on the stream it hands over (for shutdown). */
  raw->stream = soup_server_message_steal_connection (msg);
  raw->bytes = bytes;
  raw->cancellable = g_cancellable_new ();
  raw->drain_left = drain ? DRAIN_BYTES : 0;
  if (raw->stream == NULL)
    {
      g_object_unref (raw->cancellable);
      g_bytes_unref (raw->bytes);
      g_free (raw);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (raw->stream),
                                   g_bytes_get_data (raw->bytes, NULL),
                                   g_bytes_get_size (raw->bytes),
                                   G_PRIORITY_DEFAULT, NULL, raw_written_cb, raw);
}

void
atlas_backend_send_raw_and_close (SoupServerMessage *msg,
                                  GBytes            *bytes)
{
  send_raw (msg, bytes, TRUE);
}

/* Content-Length promises more than is sent, then the connection closes. */
void
atlas_backend_send_truncated (SoupServerMessage *msg,
                              const char        *date,
                              GString           *body)
{
  GString *text = g_string_new (NULL);
  gsize half = body->len / 2;

  g_string_append_printf (text, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Date: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", date, body->len + 64);
  g_string_append_len (text, body->str, (gssize) half);
  send_raw (msg, g_string_free_to_bytes (text), FALSE);
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->source_id = 0;
  soup_server_message_unpause (delayed->msg);
  /* Removing frees the Delayed: nothing may touch it after this line. */
  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
  return G_SOURCE_REMOVE;
}

void
atlas_backend_delayed_free (gpointer data)
{
  Delayed *delayed = data;

  /* Still waiting (server stopped early): answer now rather than never. */
  if (delayed->source_id != 0)
    {
      g_source_remove (delayed->source_id);
      soup_server_message_unpause (delayed->msg);
    }
  g_object_unref (delayed->msg);
  g_free (delayed);
}

/* The answer is ready; only its sending waits, so a slow fault costs no thread. */
void
atlas_backend_delay (AtlasBackendServer *self,
                     SoupServerMessage  *msg,
                     guint               latency_ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  delayed->source_id = g_timeout_add (latency_ms, delayed_cb, delayed);
  g_ptr_array_add (self->delayed, delayed);
}

void
atlas_backend_server_inject_fault (AtlasBackendServer      *self,
                                   const AtlasBackendFault *fault)
{
  PendingFault *pf;

  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_return_if_fail (fault != NULL);

  pf = g_new0 (PendingFault, 1);
  pf->fault = *fault;
  pf->fault.count = MAX (fault->count, 1);
  /* The caller's strings may be temporaries (a parsed JSON body): keep copies. */
  pf->retry_after = g_strdup (fault->retry_after);
  pf->path_prefix = g_strdup (fault->path_prefix);
  pf->fault.retry_after = NULL;
  pf->fault.path_prefix = NULL;
  g_queue_push_tail (&self->faults, pf);
}

void
atlas_backend_server_clear_faults (AtlasBackendServer *self)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));
  g_queue_clear_full (&self->faults, atlas_backend_pending_fault_free);
  /* clear_full leaves the queue unusable until it is initialised again. */
  g_queue_init (&self->faults);
}
