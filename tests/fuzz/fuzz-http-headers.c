/* fuzz-http-headers.c — libFuzzer target for Date, Retry-After, X-Poll-Interval and links
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is split at newlines: line 1 a Date header, line 2 a Retry-After header,
 * line 3 an X-Poll-Interval header, line 4 a URL (deep link and loopback check).
 * Every parser must return without crashing and stay within its documented bounds.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "atlas-http-private.h"
#include "atlas-deep-link.h"
#include "atlas-json.h"
#include "fuzz-target.h"

#define CHECK(cond) G_STMT_START { if (!(cond)) { g_printerr ("invariant failed: %s\n", #cond); abort (); } } G_STMT_END

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 4);
  const char *date = lines[0];
  const char *retry = date != NULL ? lines[1] : NULL;
  const char *poll = retry != NULL ? lines[2] : NULL;
  const char *url = poll != NULL ? lines[3] : NULL;
  gint64 server_now;
  guint ms = 12345;
  AtlasDeepLink link;

  server_now = atlas_parse_http_date (date);
  if (server_now != ATLAS_TIME_NONE)
    {
      g_autofree char *formatted = atlas_timestamp_format (server_now);
      /* Anything accepted as a date is a time we can write back. */
      CHECK (formatted != NULL);
    }

  if (atlas_parse_retry_after (retry, server_now, &ms))
    CHECK (ms <= 3600u * 1000u);
  if (atlas_parse_retry_after (retry, 1795343590, &ms))
    CHECK (ms <= 3600u * 1000u);

  ms = 12345;
  if (atlas_parse_poll_interval (poll, &ms))
    CHECK (ms >= 1000 && ms <= 3600u * 1000u);
  else
    CHECK (ms == 12345);   /* untouched on refusal */

  (void) atlas_url_is_loopback (url != NULL ? url : "");
  if (atlas_deep_link_parse (url, &link))
    {
      CHECK (link.kind != ATLAS_DEEP_LINK_NONE);
      CHECK (link.run_id >= 0 && link.tenant_id >= 0 && link.workspace_id >= 0);
      if (link.kind == ATLAS_DEEP_LINK_RUN)
        CHECK (link.run_id > 0);
      if (link.kind == ATLAS_DEEP_LINK_TENANT)
        CHECK (link.tenant_id > 0);
    }
  else
    CHECK (link.kind == ATLAS_DEEP_LINK_NONE);

  return 0;
}
