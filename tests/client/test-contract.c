/* test-contract.c — the client side of the contract's additions: list search (q),
 * active_operations
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real backend in-process (`test` scenario), like test-client.c.
 */

#include "config.h"

#include <string.h>

#include "atlas-test-utils.h"

typedef AtlasTestFixture Fixture;

static AtlasRunPage *
list (Fixture          *f,
      AtlasTestResult  *r,
      const char       *q,
      gint64            tenant_id)
{
  AtlasOperationsQuery query = { ATLAS_TAB_ALL, tenant_id, NULL, NULL, 1, 100, q };

  atlas_client_list_operations_async (f->client, 1, &query, NULL, atlas_test_result_cb, r);
  atlas_test_wait (&r->done);
  g_assert_no_error (r->error);
  return r->response->payload;
}

/* q reaches the server as text: tenant name, "#id", and URL syntax that stays text. */
static void
test_search_query (Fixture       *f,
                   gconstpointer  data)
{
  AtlasTestResult all = { 0 }, contoso = { 0 }, by_id = { 0 }, hostile = { 0 }, empty = { 0 };
  AtlasTestResult filtered = { 0 };
  AtlasRunPage *page;
  AtlasRun *some_run;
  g_autofree char *hash_id = NULL;
  guint n_contoso = 0;

  page = list (f, &all, NULL, 0);
  g_assert_cmpuint (page->runs->len, >, 0);
  for (guint i = 0; i < page->runs->len; i++)
    n_contoso += g_strcmp0 (atlas_run_get_tenant_name (g_ptr_array_index (page->runs, i)),
                            "Contoso Ltd") == 0;
  g_assert_cmpuint (n_contoso, >, 0);
  g_assert_cmpuint (n_contoso, <, page->runs->len);

  page = list (f, &contoso, "CONTOSO", 0);
  g_assert_cmpuint (page->runs->len, ==, n_contoso);
  g_assert_cmpint (page->tab_counts[ATLAS_TAB_ALL], ==, n_contoso);
  for (guint i = 0; i < page->runs->len; i++)
    g_assert_cmpstr (atlas_run_get_tenant_name (g_ptr_array_index (page->runs, i)), ==, "Contoso Ltd");

  /* '#' would end the URL's query if it were not escaped. */
  some_run = g_ptr_array_index (((AtlasRunPage *) all.response->payload)->runs, 3);
  hash_id = g_strdup_printf ("#%" G_GINT64_FORMAT, atlas_run_get_id (some_run));
  page = list (f, &by_id, hash_id, 0);
  g_assert_cmpuint (page->runs->len, ==, 1);
  g_assert_cmpint (atlas_run_get_id (g_ptr_array_index (page->runs, 0)), ==, atlas_run_get_id (some_run));

  /* '&' and '=' are text: no parameter is smuggled in (tab=bogus would be a 400). */
  page = list (f, &hostile, "contoso&tab=bogus", 0);
  g_assert_cmpuint (page->runs->len, ==, 0);

  /* "" is no search. */
  page = list (f, &empty, "", 0);
  g_assert_cmpuint (page->runs->len, ==, ((AtlasRunPage *) all.response->payload)->runs->len);

  /* With another filter: the intersection (Contoso is tenant 7). */
  page = list (f, &filtered, "contoso", 2);
  g_assert_cmpuint (page->runs->len, ==, 0);

  atlas_test_result_clear (&all);
  atlas_test_result_clear (&contoso);
  atlas_test_result_clear (&by_id);
  atlas_test_result_clear (&hostile);
  atlas_test_result_clear (&empty);
  atlas_test_result_clear (&filtered);
}

typedef struct
{
  char     *out;
  gboolean  done;
} CliOutput;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CliOutput *o = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &o->out, NULL, &error);
  g_assert_no_error (error);
  o->done = TRUE;
}

/* The server answers on this thread, so the CLI's output is read asynchronously. */
static char *
run_cli (Fixture            *f,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  CliOutput o = { 0 };

  g_ptr_array_add (argv, (gpointer) ATLAS_CLI_PATH);
  g_ptr_array_add (argv, (gpointer) "--backend");
  g_ptr_array_add (argv, f->base_url);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "ATLAS_TOKEN", atlas_backend_server_get_token (f->server, "operator"), TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicated_cb, &o);
  atlas_test_wait (&o.done);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return o.out;
}

/* atlas-cli runs --search prints what the server found for the text. */
static void
test_search_cli (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const args[] = { "--workspace", "1", "--json", "runs", "--search", "#15", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = run_cli (f, args);
  JsonArray *runs;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  runs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, 0), "id"), ==, 15);
}

/* The overview and the dashboard carry what the overlay would fetch itself. */
static void
test_active_operations (Fixture       *f,
                        gconstpointer  data)
{
  AtlasOperationsQuery query = { ATLAS_TAB_ACTIVE, 0, NULL, NULL, 1, 100, NULL };
  AtlasTestResult list = { 0 }, overview = { 0 }, dashboard = { 0 };
  AtlasRunPage *own, *pages[2];

  atlas_client_list_operations_async (f->client, 1, &query, NULL, atlas_test_result_cb, &list);
  atlas_client_get_overview_async (f->client, 1, NULL, atlas_test_result_cb, &overview);
  atlas_client_get_dashboard_async (f->client, 7, NULL, atlas_test_result_cb, &dashboard);
  atlas_test_wait (&list.done);
  atlas_test_wait (&overview.done);
  atlas_test_wait (&dashboard.done);
  g_assert_no_error (list.error);
  g_assert_no_error (overview.error);
  g_assert_no_error (dashboard.error);

  own = list.response->payload;
  pages[0] = ((AtlasWorkspaceOverview *) overview.response->payload)->active_operations;
  pages[1] = ((AtlasDashboard *) dashboard.response->payload)->active_operations;
  g_assert_cmpuint (own->runs->len, >, 0);
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_assert_nonnull (pages[p]);
      g_assert_cmpint (pages[p]->tab_counts[ATLAS_TAB_ACTIVE], ==, own->tab_counts[ATLAS_TAB_ACTIVE]);
      g_assert_cmpuint (pages[p]->runs->len, ==, own->runs->len);
      for (guint i = 0; i < own->runs->len; i++)
        {
          AtlasRun *a = g_ptr_array_index (own->runs, i);
          AtlasRun *b = g_ptr_array_index (pages[p]->runs, i);

          g_assert_cmpint (atlas_run_get_id (a), ==, atlas_run_get_id (b));
          g_assert_cmpint (atlas_run_get_status (a), ==, atlas_run_get_status (b));
          g_assert_true (atlas_run_is_active (b));
        }
    }

  atlas_test_result_clear (&list);
  atlas_test_result_clear (&overview);
  atlas_test_result_clear (&dashboard);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/contract/" path, Fixture, NULL, atlas_test_setup, func, atlas_test_teardown)

  ADD ("search/query", test_search_query);
  ADD ("search/cli", test_search_cli);
  ADD ("active-operations", test_active_operations);

  return g_test_run ();
}
