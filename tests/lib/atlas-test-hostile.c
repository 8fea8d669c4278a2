/* atlas-test-hostile.c — a small hostile HTTP server for the client and ui suites
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "atlas-json.h"
#include "atlas-test-hostile.h"

static void
route_free (AtlasTestRoute *route)
{
  g_free (route->body);
  g_free (route->date);
  g_free (route->retry_after);
  g_free (route->location);
  g_free (route);
}

static GBytes *
gzip_bytes (const char *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static char *
request_key (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  if (g_uri_get_query (uri) != NULL)
    return g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL);
  return g_strdup (g_uri_get_path (uri));
}

static void
hostile_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  AtlasTestHostile *h = user_data;
  g_autofree char *key = request_key (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept-Encoding");
  AtlasTestRoute *route = g_hash_table_lookup (h->routes, key);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (h->hits, key));

  h->n_requests++;
  g_hash_table_replace (h->hits, g_strdup (key), GUINT_TO_POINTER (count + 1));
  if (accept != NULL && strstr (accept, "gzip") != NULL)
    h->n_gzip_accepted++;

  if (route == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":{\"code\":\"not_found\",\"message\":\"x\"}}", 44);
      return;
    }

  soup_server_message_set_status (msg, route->status, NULL);
  if (route->date != NULL)
    soup_message_headers_replace (headers, "Date", route->date);
  if (route->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", route->retry_after);
  if (route->location != NULL)
    soup_message_headers_replace (headers, "Location", route->location);
  if (route->body != NULL && route->gzip)
    {
      g_autoptr(GBytes) gz = gzip_bytes (route->body, strlen (route->body));
      gsize len = g_bytes_get_size (gz) - MIN (route->gzip_cut, g_bytes_get_size (gz));

      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (gz, NULL), len);
      h->last_wire_length = len;
    }
  else if (route->body != NULL)
    {
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        route->body, strlen (route->body));
      h->last_wire_length = strlen (route->body);
    }

  if (route->times > 0 && --route->times == 0)
    g_hash_table_remove (h->routes, key);
}

AtlasTestHostile *
atlas_test_hostile_new (void)
{
  AtlasTestHostile *h = g_new0 (AtlasTestHostile, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;

  h->server = soup_server_new (NULL, NULL);
  h->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) route_free);
  h->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soup_server_add_handler (h->server, NULL, hostile_handler, h, NULL);
  soup_server_listen_local (h->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (h->server);
  url = g_uri_to_string (uris->data);
  h->base_url = g_strndup (url, strlen (url) - (g_str_has_suffix (url, "/") ? 1 : 0));
  return h;
}

void
atlas_test_hostile_free (AtlasTestHostile *h)
{
  soup_server_disconnect (h->server);
  g_object_unref (h->server);
  g_hash_table_unref (h->routes);
  g_hash_table_unref (h->hits);
  g_free (h->base_url);
  g_free (h);
}

AtlasTestRoute *
atlas_test_hostile_route (AtlasTestHostile *h,
                          const char       *key,
                          guint             status,
                          const char       *body)
{
  AtlasTestRoute *route = g_new0 (AtlasTestRoute, 1);

  route->status = status;
  route->body = g_strdup (body);
  route->times = -1;
  g_hash_table_replace (h->routes, g_strdup (key), route);
  return route;
}

guint
atlas_test_hostile_hits (AtlasTestHostile *h,
                         const char       *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (h->hits, key));
}

/* --- bodies ------------------------------------------------------------------------- */

/* A JSON string literal, quotes included: UTF-8 as is, control characters as \uXXXX. */
static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

char *
atlas_test_body_run (gint64      id,
                     gint64      workspace_id,
                     gint64      tenant_id,
                     const char *tenant_name,
                     const char *status,
                     gint64      started)
{
  g_autofree char *created = atlas_timestamp_format (started);
  g_autofree char *name = json_quote (tenant_name);

  return g_strdup_printf (
    "{\"id\": %" G_GINT64_FORMAT ", \"workspace_id\": %" G_GINT64_FORMAT ", \"tenant_id\": %" G_GINT64_FORMAT ","
    " \"tenant_name\": %s, \"type\": \"baseline_compare\", \"type_label\": \"Baseline compare\","
    " \"status\": \"%s\", \"outcome\": null, \"freshness\": \"fresh\", \"problem_class\": null,"
    " \"created_at\": \"%s\", \"started_at\": \"%s\", \"completed_at\": null, \"last_progress_at\": null,"
    " \"lifecycle_window_seconds\": 900, \"summary_counts\": {}, \"failure_summary\": [],"
    " \"initiator\": null, \"initiated_by_me\": false, \"reconciliation\": null, \"links\": null}",
    id, workspace_id, tenant_id, name, status, created, created);
}

char *
atlas_test_body_detail (gint64 id,
                        gint64 workspace_id,
                        gint64 tenant_id)
{
  g_autofree char *run = atlas_test_body_run (id, workspace_id, tenant_id, "Contoso Ltd", "running", ATLAS_TEST_HOSTILE_T0 - 30);

  return g_strdup_printf ("{\"data\": %s}", run);
}

char *
atlas_test_body_page (const char *rows)
{
  return g_strdup_printf ("{\"data\": [%s], \"meta\": {\"page\": 1, \"per_page\": 25, \"total\": %d}}",
                          rows, rows[0] != '\0' ? 1 : 0);
}

char *
atlas_test_body_overview (const char *tenant_name,
                          const char *runs)
{
  g_autofree char *name = json_quote (tenant_name);

  return g_strdup_printf ("{\"data\": {\"totals\": {\"active\": 1, \"stale_active\": 0, \"failed_recent\": 0},"
                          " \"tenants\": [{\"id\": 7, \"name\": %s, \"active_count\": 1,"
                          " \"stale_active_count\": 0, \"failed_recent_count\": 0, \"needs_attention\": false,"
                          " \"last_activity_at\": null}], \"recent_operations\": [%s]}}", name, runs);
}

char *
atlas_test_body_dashboard (gint64      tenant_id,
                           const char *tenant_name,
                           const char *runs)
{
  g_autofree char *name = json_quote (tenant_name);

  return g_strdup_printf ("{\"data\": {\"tenant\": {\"id\": %" G_GINT64_FORMAT ", \"name\": %s},"
                          " \"kpis\": {\"active\": 1, \"stale_active\": 0, \"failed_7d\": 0, \"succeeded_7d\": 0},"
                          " \"needs_attention\": [], \"recent_operations\": [%s], \"review_pack\": null}}",
                          tenant_id, name, runs);
}

/* --- large documents ----------------------------------------------------------------- */

char *
atlas_test_body_large_page (guint n_runs,
                            guint n_failures)
{
  GString *s = g_string_new ("{\"data\": [");

  for (guint i = 0; i < n_runs; i++)
    {
      g_autofree char *t = atlas_timestamp_format (ATLAS_TEST_HOSTILE_T0 - 600 - i);

      g_string_append_printf (s, "%s{\"id\": %u, \"workspace_id\": 1, \"tenant_id\": %u,"
                              " \"tenant_name\": \"Tenant %u GmbH & Co. KG\", \"type\": \"baseline_compare\","
                              " \"type_label\": \"Baseline compare\", \"status\": \"running\", \"outcome\": null,"
                              " \"freshness\": \"likely_stale\", \"problem_class\": \"active_stale_attention\","
                              " \"created_at\": \"%s\", \"started_at\": \"%s\", \"completed_at\": null,"
                              " \"last_progress_at\": \"%s\", \"lifecycle_window_seconds\": 900,"
                              " \"summary_counts\": {\"total\": 120, \"processed\": 45, \"succeeded\": 40,"
                              " \"failed\": 5, \"skipped\": 0, \"created\": 1, \"updated\": 2, \"deleted\": 0,"
                              " \"items\": 120}, \"failure_summary\": [",
                              i ? ", " : "", i + 1, i % 50 + 1, i % 50 + 1, t, t, t);
      for (guint k = 0; k < n_failures; k++)
        g_string_append_printf (s, "%s{\"reason_code\": \"graph.throttled.%u\", \"message\": "
                                "\"Microsoft Graph throttled the request for policy %u (Zurückgestellt)\"}",
                                k ? ", " : "", k, k);
      g_string_append_printf (s, "], \"initiator\": {\"id\": 3, \"name\": \"Dana Operator\"},"
                              " \"initiated_by_me\": true, \"reconciliation\": null,"
                              " \"links\": {\"web\": \"https://atlas.example.test/admin/workspaces/1/operations/%u\"}}",
                              i + 1);
    }
  g_string_append (s, "], \"meta\": {\"page\": 1, \"per_page\": 100, \"total\": 100,"
                      " \"tab_counts\": {\"all\": 100, \"active\": 100, \"active_stale_attention\": 100,"
                      " \"terminal_follow_up\": 0, \"completed\": 0}}}");
  return g_string_free (s, FALSE);
}

/* "[{},{},…]" with @n objects; 8 MiB of it is about 2.8 million values. */
char *
atlas_test_body_empty_objects (gsize n)
{
  GString *s = g_string_sized_new (n * 3 + 2);

  g_string_append_c (s, '[');
  for (gsize i = 0; i < n; i++)
    g_string_append (s, i ? ",{}" : "{}");
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

char *
atlas_test_body_widest (guint n,
                        gsize bytes)
{
  gsize each = (bytes - 16) / n - 3;
  GString *s = g_string_sized_new (bytes);
  g_autofree char *word = g_malloc (each + 1);

  memset (word, 'x', each);
  word[each] = '\0';
  g_string_append_c (s, '[');
  for (guint i = 0; i < n - 1; i++)
    g_string_append_printf (s, "%s\"%s\"", i ? "," : "", word);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

const char * const atlas_test_cost_documents[] = {
  "page", "most-objects", "widest-accepted", "amplification", NULL
};

char *
atlas_test_body_cost_document (const char *name)
{
  if (g_str_equal (name, "page"))
    return atlas_test_body_large_page (100, 20);
  if (g_str_equal (name, "most-objects"))
    return atlas_test_body_empty_objects (ATLAS_JSON_MAX_VALUES - 1);
  if (g_str_equal (name, "widest-accepted"))
    return atlas_test_body_widest (ATLAS_JSON_MAX_VALUES - 1, ATLAS_JSON_MAX_BYTES);
  return atlas_test_body_empty_objects ((ATLAS_JSON_MAX_BYTES - 2) / 3);
}

GStrv
atlas_test_run_child (const char *self_path,
                      const char *child,
                      const char *name,
                      guint       n_fields)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self_path, child, name, NULL };
  GStrv fields;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, NULL, &error))
    g_error ("%s", error->message);
  fields = g_strsplit (g_strstrip (out), " ", (int) n_fields);
  if (g_strv_length (fields) < n_fields)
    g_error ("%s %s: unexpected output “%s”", child, name, out);
  return fields;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
stall_tick_cb (gpointer user_data)
{
  AtlasTestStallMeter *m = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (m->last_us != 0)
    {
      m->worst_us = MAX (m->worst_us, now - m->last_us);
      m->worst_cpu_us = MAX (m->worst_cpu_us, cpu - m->last_cpu_us);
    }
  m->last_us = now;
  m->last_cpu_us = cpu;
  return G_SOURCE_CONTINUE;
}

void
atlas_test_stall_meter_start (AtlasTestStallMeter *m)
{
  m->last_us = 0;
  m->worst_us = 0;
  m->last_cpu_us = 0;
  m->worst_cpu_us = 0;
  m->source_id = g_timeout_add (1, stall_tick_cb, m);
}

/* Returns: the longest gap in microseconds */
gint64
atlas_test_stall_meter_stop (AtlasTestStallMeter *m)
{
  g_clear_handle_id (&m->source_id, g_source_remove);
  return m->worst_us;
}
