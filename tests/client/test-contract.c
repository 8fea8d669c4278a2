/* test-contract.c — the client side of the contract's additions: list search (q),
 * active_operations, review-pack downloads
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real backend in-process (`test` scenario), like test-client.c.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "atlas-client-private.h"
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

/* --- review-pack downloads ------------------------------------------------------------ */

/* Asks for packs until one is ready (one in ten fails by plan); the pack, ref'd. */
static AtlasReviewPack *
ready_pack (Fixture *f)
{
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      AtlasTestResult generated = { 0 }, latest = { 0 };
      AtlasReviewPack *pack = NULL;

      atlas_client_generate_review_pack_async (f->client, 7, NULL, atlas_test_result_cb, &generated);
      atlas_test_wait (&generated.done);
      g_assert_no_error (generated.error);
      atlas_backend_server_advance (f->server, 30);
      atlas_client_get_review_pack_async (f->client, 7, NULL, atlas_test_result_cb, &latest);
      atlas_test_wait (&latest.done);
      g_assert_no_error (latest.error);
      pack = ((AtlasReviewPackReply *) latest.response->payload)->review_pack;
      if (atlas_review_pack_get_status (pack) == ATLAS_REVIEW_PACK_STATUS_READY)
        pack = g_object_ref (pack);
      else
        pack = NULL;
      atlas_test_result_clear (&generated);
      atlas_test_result_clear (&latest);
      if (pack != NULL)
        return pack;
    }
  g_assert_not_reached ();
}

typedef struct
{
  goffset  size;
  GError  *error;
  gboolean done;
  guint    n_progress;
  goffset  last_received;
  goffset  last_total;
} Downloaded;

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Downloaded *d = user_data;

  d->size = atlas_client_download_finish (ATLAS_CLIENT (object), result, &d->error);
  d->done = TRUE;
}

static void
progress_cb (goffset  received,
             goffset  total,
             gpointer user_data)
{
  Downloaded *d = user_data;

  g_assert_cmpint (received, >=, d->last_received);
  d->n_progress++;
  d->last_received = received;
  d->last_total = total;
}

static void
download (AtlasClient *client,
          const char  *url,
          GFile       *file,
          Downloaded  *d)
{
  memset (d, 0, sizeof *d);
  atlas_client_download_async (client, url, file, progress_cb, d, NULL, downloaded_cb, d);
  atlas_test_wait (&d->done);
}

typedef struct
{
  GBytes   *bytes;
  gboolean  done;
} Served;

static void
served_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Served *served = user_data;
  g_autoptr(GError) error = NULL;

  served->bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  served->done = TRUE;
}

/* The bytes the server sends for `url`, fetched without the client. */
static GBytes *
served_bytes (Fixture    *f,
              const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *full = g_strconcat (f->base_url, url, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", full);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", atlas_backend_server_get_token (f->server, "operator"));
  Served served = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, served_cb, &served);
  atlas_test_wait (&served.done);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return served.bytes;
}

static guint
n_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_download (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(AtlasReviewPack) pack = ready_pack (f);
  const char *url = atlas_review_pack_get_download_url (pack);
  g_autofree char *dir = g_dir_make_tmp ("atlas-download-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pack.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) served = NULL;
  g_autofree char *written = NULL;
  gsize written_len = 0;
  Downloaded d;

  g_assert_nonnull (url);
  served = served_bytes (f, url);
  download (f->client, url, file, &d);
  g_assert_no_error (d.error);

  /* Bytes written = bytes served = file_size; progress reached the total. */
  g_assert_true (g_file_get_contents (path, &written, &written_len, NULL));
  g_assert_cmpint (d.size, ==, written_len);
  g_assert_cmpint (written_len, ==, atlas_review_pack_get_file_size (pack));
  g_assert_cmpmem (written, written_len, g_bytes_get_data (served, NULL), g_bytes_get_size (served));
  g_assert_true (g_str_has_prefix (written, "%PDF-"));
  g_assert_cmpuint (d.n_progress, >=, 2);
  g_assert_cmpint (d.last_received, ==, written_len);
  g_assert_cmpint (d.last_total, ==, written_len);
  g_assert_cmpuint (n_files (dir), ==, 1);   /* no temporary file left */

  g_unlink (path);
  g_rmdir (dir);
}

/* Every failure is a clear error and leaves the folder as it was: an existing file
 * under the chosen name keeps its old bytes, and no temporary file remains. */
static void
test_download_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AtlasReviewPack) pack = ready_pack (f);
  const char *url = atlas_review_pack_get_download_url (pack);
  g_autofree char *dir = g_dir_make_tmp ("atlas-download-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pack.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *other_tenant = g_strdup_printf ("/api/v1/tenants/8/review-packs/%" G_GINT64_FORMAT "/file",
                                                   atlas_review_pack_get_id (pack));
  g_autofree char *elsewhere = g_strdup_printf ("https://files.example.test%s", url);
  g_autofree char *kept = NULL;
  Downloaded d;

  g_assert_true (g_file_set_contents (path, "old", 3, NULL));

  /* 401: the token is refused (and the session ends, as for any request). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AtlasClient) stranger = atlas_client_new (f->base_url, "not-a-token", ATLAS_CLIENT_FLAGS_NONE, &error);

    g_assert_no_error (error);
    download (stranger, url, file, &d);
    g_assert_error (d.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED);
    g_assert_cmpuint (atlas_client_error_get_status (d.error), ==, 401);
    g_assert_cmpint (d.size, ==, -1);
    g_clear_error (&d.error);
  }

  /* 404: another tenant's path to the same pack. */
  download (f->client, other_tenant, file, &d);
  g_assert_error (d.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&d.error);

  /* Another origin: refused before any request, the token stays home. */
  {
    guint64 before = atlas_client_get_request_count (f->client);

    download (f->client, elsewhere, file, &d);
    g_assert_error (d.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_BAD_REQUEST);
    g_assert_cmpuint (atlas_client_get_request_count (f->client), ==, before);
    g_clear_error (&d.error);
  }

  /* Cut off: Content-Length promises more than arrives. */
  {
    AtlasBackendFault fault = { ATLAS_BACKEND_FAULT_TRUNCATED, 1 };

    atlas_backend_server_inject_fault (f->server, &fault);
    download (f->client, url, file, &d);
    g_assert_error (d.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
    g_assert_cmpint (d.last_received, >, 0);   /* it did write some, then removed them */
    g_clear_error (&d.error);
  }

  g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "old");
  g_assert_cmpuint (n_files (dir), ==, 1);

  /* Expired: the pack's file is gone. */
  atlas_backend_server_advance (f->server, 7 * 24 * 3600 + 60);
  download (f->client, url, file, &d);
  g_assert_error (d.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&d.error);
  g_assert_cmpuint (n_files (dir), ==, 1);

  g_unlink (path);
  g_rmdir (dir);
}

/* A folder that cannot be written (root writes any mode, so there /sys stands in). */
static void
test_download_read_only_folder (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AtlasReviewPack) pack = ready_pack (f);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean root = geteuid () == 0;
  Downloaded d;

  if (root)
    dir = g_strdup ("/sys");
  else
    {
      dir = g_dir_make_tmp ("atlas-download-XXXXXX", NULL);
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
    }
  path = g_build_filename (dir, "review-pack.pdf", NULL);
  file = g_file_new_for_path (path);

  download (f->client, atlas_review_pack_get_download_url (pack), file, &d);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  /* The message says which file could not be saved. */
  g_assert_nonnull (strstr (d.error->message, "review-pack.pdf"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&d.error);

  if (!root)
    {
      g_assert_cmpuint (n_files (dir), ==, 0);
      g_chmod (dir, 0755);
      g_rmdir (dir);
    }
}

/* atlas-cli review-pack TENANT --download FILE saves what the server serves. */
static void
test_download_cli (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AtlasReviewPack) pack = ready_pack (f);
  g_autofree char *dir = g_dir_make_tmp ("atlas-download-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cli.pdf", NULL);
  const char * const args[] = { "--workspace", "1", "review-pack", "7", "--download", path, NULL };
  g_autoptr(GBytes) served = served_bytes (f, atlas_review_pack_get_download_url (pack));
  g_autofree char *out = run_cli (f, args);
  g_autofree char *written = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &written, &len, NULL));
  g_assert_cmpmem (written, len, g_bytes_get_data (served, NULL), g_bytes_get_size (served));
  g_assert_nonnull (strstr (out, "cli.pdf"));
  g_unlink (path);
  g_rmdir (dir);
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
  ADD ("download/bytes", test_download);
  ADD ("download/errors", test_download_errors);
  ADD ("download/read-only-folder", test_download_read_only_folder);
  ADD ("download/cli", test_download_cli);

  return g_test_run ();
}
