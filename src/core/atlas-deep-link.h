/* atlas-deep-link.h — web console URLs → the native view that shows the same thing
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ATLAS_DEEP_LINK_NONE,
  ATLAS_DEEP_LINK_OVERVIEW,     /* …/admin/workspaces/{ws} */
  ATLAS_DEEP_LINK_OPERATIONS,   /* …/admin/workspaces/{ws}/operations, …/admin/operations */
  ATLAS_DEEP_LINK_RUN,          /* …/admin/workspaces/{ws}/operations/{run}, …/admin/operations/{run} */
  ATLAS_DEEP_LINK_TENANT,       /* …/admin/tenants/{t}, …/admin/workspaces/{ws}/tenants/{t} */
} AtlasDeepLinkKind;

typedef struct
{
  AtlasDeepLinkKind kind;
  gint64            workspace_id;   /* 0 when the URL does not say */
  gint64            run_id;
  gint64            tenant_id;
} AtlasDeepLink;

gboolean atlas_deep_link_parse (const char    *url,
                                AtlasDeepLink *out);

gboolean atlas_deep_link_same_origin (const char    *url,
                                      const char    *backend_url);
char    *atlas_deep_link_dup_origin  (const char    *url);

G_END_DECLS
