/* atlas-backend-encoding.c — gzip answers (--gzip) for clients that ask for them
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <string.h>

#include "atlas-backend-private.h"

/* RFC 9110 §12.5.3: "gzip" (or the old "x-gzip") with a quality above zero. */
gboolean
atlas_backend_accepts_gzip (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");
  GSList *codings;
  gboolean gzip = FALSE;

  if (accept == NULL)
    return FALSE;
  /* Codings with q=0 are left out of the list (they go to the unacceptable one). */
  codings = soup_header_parse_quality_list (accept, NULL);
  for (GSList *l = codings; l != NULL && !gzip; l = l->next)
    gzip = g_ascii_strcasecmp (l->data, "gzip") == 0 || g_ascii_strcasecmp (l->data, "x-gzip") == 0 ||
           strcmp (l->data, "*") == 0;
  soup_header_free_list (codings);
  return gzip;
}

/* The whole body in one go: answers are small and already complete, and a set
 * Content-Length (the encoded size) keeps the answer as plain as the identity one.
 * No file name or time goes into the gzip header, so equal bodies compress to equal
 * bytes. */
GBytes *
atlas_backend_gzip (const char *data,
                    gsize       len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GByteArray) out = g_byte_array_sized_new ((guint) MIN (len / 2 + 64, G_MAXUINT));
  gsize in_done = 0;

  for (;;)
    {
      guint8 chunk[16 * 1024];
      gsize read = 0, written = 0;
      g_autoptr(GError) error = NULL;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (compressor), data + in_done, len - in_done,
                                    chunk, sizeof chunk, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, &error);
      if (result == G_CONVERTER_ERROR)
        {
          /* Only an output buffer too small for progress can fail here; ours never is. */
          g_critical ("gzip failed: %s", error->message);
          return NULL;
        }
      in_done += read;
      g_byte_array_append (out, chunk, (guint) written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

void
atlas_backend_server_set_gzip (AtlasBackendServer *self,
                               gboolean            gzip)
{
  g_return_if_fail (ATLAS_IS_BACKEND_SERVER (self));

  gzip = !!gzip;
  if (self->gzip == gzip)
    return;
  self->gzip = gzip;
  g_object_notify (G_OBJECT (self), "gzip");
}

gboolean
atlas_backend_server_get_gzip (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), FALSE);
  return self->gzip;
}

/* Answers sent with Content-Encoding: gzip: a suite run through --gzip can check that
 * its client really asked for gzip, not only that the server would answer it. */
guint64
atlas_backend_server_get_gzip_count (AtlasBackendServer *self)
{
  g_return_val_if_fail (ATLAS_IS_BACKEND_SERVER (self), 0);
  return self->gzip_count;
}
