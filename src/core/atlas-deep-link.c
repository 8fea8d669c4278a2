/* atlas-deep-link.c — parse the web console's URL patterns
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operators paste links from chat and tickets; the app opens the native view for the
 * same thing. Only the path matters: any host, with or without a trailing slash,
 * query or fragment. Ids must be positive decimal numbers that fit in 63 bits.
 */

#define G_LOG_DOMAIN "atlas-deep-link"

#include "config.h"

#include <string.h>

#include "atlas-deep-link.h"

static gboolean
parse_id (const char *text,
          gint64     *out)
{
  guint64 v;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

gboolean
atlas_deep_link_parse (const char    *url,
                       AtlasDeepLink *out)
{
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) parts = NULL;
  GPtrArray *segs;
  const char *path;
  guint n, i = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;

  path = g_uri_get_path (uri);
  parts = g_strsplit (path != NULL ? path : "", "/", -1);
  segs = g_ptr_array_new ();
  for (char **p = parts; *p != NULL; p++)
    if (**p != '\0')
      g_ptr_array_add (segs, *p);
  n = segs->len;

  /* The console may live under a prefix: find "admin". */
  while (i < n && g_strcmp0 (g_ptr_array_index (segs, i), "admin") != 0)
    i++;
  if (i == n)
    goto out;
  i++;

#define SEG(k) ((const char *) g_ptr_array_index (segs, (k)))
  if (i < n && g_str_equal (SEG (i), "workspaces"))
    {
      if (i + 1 >= n || !parse_id (SEG (i + 1), &out->workspace_id))
        goto out;
      i += 2;
      if (i == n)
        {
          out->kind = ATLAS_DEEP_LINK_OVERVIEW;
          ok = TRUE;
          goto out;
        }
    }

  if (i < n && g_str_equal (SEG (i), "operations"))
    {
      if (i + 1 == n)
        {
          out->kind = ATLAS_DEEP_LINK_OPERATIONS;
          ok = TRUE;
        }
      else if (i + 2 == n && parse_id (SEG (i + 1), &out->run_id))
        {
          out->kind = ATLAS_DEEP_LINK_RUN;
          ok = TRUE;
        }
    }
  else if (i < n && g_str_equal (SEG (i), "tenants"))
    {
      /* …/tenants/{t} and its sub-pages (…/tenants/{t}/review-packs) open the dashboard. */
      if (i + 1 < n && parse_id (SEG (i + 1), &out->tenant_id))
        {
          out->kind = ATLAS_DEEP_LINK_TENANT;
          ok = TRUE;
        }
    }
#undef SEG

out:
  g_ptr_array_unref (segs);
  if (!ok)
    memset (out, 0, sizeof *out);
  return ok;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/**
 * atlas_deep_link_same_origin:
 * @url: a console link
 * @backend_url: the backend the app is connected to
 *
 * Run numbers are per deployment: a link from another one must not open the run
 * of the same number here. Scheme, host (case-insensitive) and port must match.
 */
gboolean
atlas_deep_link_same_origin (const char *url,
                             const char *backend_url)
{
  g_autoptr(GUri) a = NULL;
  g_autoptr(GUri) b = NULL;

  if (url == NULL || backend_url == NULL)
    return FALSE;
  a = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  b = g_uri_parse (backend_url, G_URI_FLAGS_NONE, NULL);
  if (a == NULL || b == NULL || g_uri_get_host (a) == NULL || g_uri_get_host (b) == NULL)
    return FALSE;
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

/**
 * atlas_deep_link_dup_origin:
 *
 * Returns: (transfer full) (nullable): "scheme://host[:port]" of @url, the backend
 *   address to suggest when a link arrives before any backend was set up
 */
char *
atlas_deep_link_dup_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL || (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL ||
      g_uri_get_host (uri) == NULL)
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}
