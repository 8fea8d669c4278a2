/* atlas-http.c — HTTP header parsing (Date, Retry-After, X-Poll-Interval), origins, loopback
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "atlas-http-private.h"
#include "atlas-types.h"

gint64
atlas_parse_http_date (const char *value)
{
  g_autoptr(GDateTime) dt = NULL;

  if (value == NULL || strlen (value) > 64)
    return ATLAS_TIME_NONE;
  dt = soup_date_time_new_from_http_string (value);
  if (dt == NULL)
    return ATLAS_TIME_NONE;
  /* libsoup accepts odd forms ("1Jan 1 00:0:0+1…") that land before 1970 or even
   * before year 1 in UTC (found by the fuzzer): no server clock says that. */
  if (g_date_time_to_unix (dt) < 0)
    return ATLAS_TIME_NONE;
  /* It is lenient too ("Thu, 01 Jan 1970 00:00:00 GMT but not" parses): accept only
   * the IMF-fixdate servers must send, exactly, so garbage reads as no Date at all. */
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (g_date_time_to_unix (dt));
    g_autofree char *canonical = utc != NULL ? soup_date_time_to_string (utc, SOUP_DATE_HTTP) : NULL;

    if (g_strcmp0 (canonical, value) != 0)
      return ATLAS_TIME_NONE;
  }
  return g_date_time_to_unix (dt);
}

static gboolean
parse_seconds (const char *value,
               gint64      max,
               gint64     *out)
{
  const char *p = value;
  gint64 v = 0;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      v = v * 10 + (*p - '0');
      if (v > max)
        v = max;   /* saturate instead of overflowing on "99999999999999999999" */
    }
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

/**
 * atlas_parse_retry_after:
 * @value: a Retry-After header: delay-seconds or an HTTP-date
 * @server_now: the server time of the same response (HTTP-dates are relative to it)
 * @out_ms: the delay, capped at an hour
 */
gboolean
atlas_parse_retry_after (const char *value,
                         gint64      server_now,
                         guint      *out_ms)
{
  gint64 seconds;
  gint64 when;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (value == NULL)
    return FALSE;
  if (parse_seconds (value, ATLAS_HTTP_MAX_RETRY_AFTER_S, &seconds))
    {
      *out_ms = (guint) seconds * 1000;
      return TRUE;
    }
  when = atlas_parse_http_date (value);
  if (when == ATLAS_TIME_NONE || server_now == ATLAS_TIME_NONE)
    return FALSE;
  seconds = CLAMP (when - server_now, 0, ATLAS_HTTP_MAX_RETRY_AFTER_S);
  *out_ms = (guint) seconds * 1000;
  return TRUE;
}

gboolean
atlas_parse_poll_interval (const char *value,
                           guint      *out_ms)
{
  gint64 seconds;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (value == NULL || !parse_seconds (value, ATLAS_HTTP_MAX_POLL_INTERVAL_S, &seconds) || seconds == 0)
    return FALSE;
  *out_ms = (guint) seconds * 1000;
  return TRUE;
}

gboolean
_atlas_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
atlas_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && _atlas_host_is_loopback (g_uri_get_host (uri));
}

static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/**
 * atlas_uri_same_origin:
 *
 * RFC 6454 origins: scheme, host and port (the default port when none is given).
 */
gboolean
atlas_uri_same_origin (GUri *a,
                       GUri *b)
{
  if (a == NULL || b == NULL || g_uri_get_host (a) == NULL || g_uri_get_host (b) == NULL)
    return FALSE;
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         uri_port (a) == uri_port (b);
}
