/* test-deep-link.c — web console URLs open the native view
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "atlas-deep-link.h"

static void
test_patterns (void)
{
  static const struct {
    const char        *url;
    AtlasDeepLinkKind  kind;
    gint64             ws, run, tenant;
  } cases[] = {
    { "https://atlas.example.test/admin/workspaces/1/operations/15", ATLAS_DEEP_LINK_RUN, 1, 15, 0 },
    { "https://atlas.example.test/admin/workspaces/1/operations/15/", ATLAS_DEEP_LINK_RUN, 1, 15, 0 },
    { "https://atlas.example.test/admin/operations/15?tab=active#x", ATLAS_DEEP_LINK_RUN, 0, 15, 0 },
    { "https://atlas.example.test/console/admin/operations/15", ATLAS_DEEP_LINK_RUN, 0, 15, 0 },
    { "https://atlas.example.test/admin/workspaces/1/operations", ATLAS_DEEP_LINK_OPERATIONS, 1, 0, 0 },
    { "https://atlas.example.test/admin/operations", ATLAS_DEEP_LINK_OPERATIONS, 0, 0, 0 },
    { "https://atlas.example.test/admin/workspaces/2", ATLAS_DEEP_LINK_OVERVIEW, 2, 0, 0 },
    { "https://atlas.example.test/admin/tenants/7", ATLAS_DEEP_LINK_TENANT, 0, 0, 7 },
    { "https://atlas.example.test/admin/workspaces/1/tenants/7/review-packs", ATLAS_DEEP_LINK_TENANT, 1, 0, 7 },
    { "http://127.0.0.1:8750/admin/operations/3", ATLAS_DEEP_LINK_RUN, 0, 3, 0 },
  };
  static const char * const refused[] = {
    "https://atlas.example.test/admin/operations/abc",
    "https://atlas.example.test/admin/operations/-1",
    "https://atlas.example.test/admin/operations/0",
    "https://atlas.example.test/admin/operations/9223372036854775808",
    "https://atlas.example.test/admin/operations/15/logs",
    "https://atlas.example.test/operations/15",
    "https://atlas.example.test/admin/workspaces/x/operations/1",
    "ftp://atlas.example.test/admin/operations/15",
    "file:///admin/operations/15",
    "not a url",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtlasDeepLink link;

      g_test_message ("%s", cases[i].url);
      g_assert_true (atlas_deep_link_parse (cases[i].url, &link));
      g_assert_cmpint (link.kind, ==, cases[i].kind);
      g_assert_cmpint (link.workspace_id, ==, cases[i].ws);
      g_assert_cmpint (link.run_id, ==, cases[i].run);
      g_assert_cmpint (link.tenant_id, ==, cases[i].tenant);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      AtlasDeepLink link;

      g_test_message ("%s", refused[i]);
      g_assert_false (atlas_deep_link_parse (refused[i], &link));
      g_assert_cmpint (link.kind, ==, ATLAS_DEEP_LINK_NONE);
    }
}

/* A link from another deployment must not open the run of the same number here. */
static void
test_same_origin (void)
{
  static const struct { const char *link, *backend; gboolean same; } cases[] = {
    { "https://atlas.example.test/admin/operations/15", "https://atlas.example.test", TRUE },
    { "https://ATLAS.example.test/admin/operations/15", "https://atlas.example.test/", TRUE },
    { "https://atlas.example.test:443/admin/operations/15", "https://atlas.example.test", TRUE },
    { "http://127.0.0.1:8750/admin/operations/3", "http://127.0.0.1:8750", TRUE },
    { "https://other.example.test/admin/operations/15", "https://atlas.example.test", FALSE },
    { "http://atlas.example.test/admin/operations/15", "https://atlas.example.test", FALSE },
    { "http://127.0.0.1:8751/admin/operations/3", "http://127.0.0.1:8750", FALSE },
    { "not a url", "https://atlas.example.test", FALSE },
    { "https://atlas.example.test/admin/operations/15", NULL, FALSE },
  };
  g_autofree char *origin = atlas_deep_link_dup_origin ("https://atlas.example.test:8443/admin/operations/15?x#y");
  g_autofree char *none = atlas_deep_link_dup_origin ("not a url");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s against %s", cases[i].link, cases[i].backend);
      g_assert_cmpint (atlas_deep_link_same_origin (cases[i].link, cases[i].backend), ==, cases[i].same);
    }
  g_assert_cmpstr (origin, ==, "https://atlas.example.test:8443");
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/deep-link/patterns", test_patterns);
  g_test_add_func ("/core/deep-link/same-origin", test_same_origin);
  return g_test_run ();
}
