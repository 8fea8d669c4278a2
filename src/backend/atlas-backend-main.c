/* atlas-backend-main.c — the atlas-backend executable: options, signals, main loop
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <gio/gio.h>

#include "atlas-backend-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_listen (const char  *listen,
              char       **out_host,
              guint       *out_port,
              GError     **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  guint64 port;

  if (colon == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--listen expects ADDR:PORT, got “%s”", listen);
      return FALSE;
    }
  host = g_strndup (listen, (gsize) (colon - listen));
  /* Accept [::1]:8750 for IPv6. */
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  *out_host = g_steal_pointer (&host);
  *out_port = (guint) port;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasBackendServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *host = NULL;
  g_autofree char *base_url = NULL;
  gboolean test_control = FALSE;
  gboolean print_tokens = FALSE;
  gboolean allow_remote = FALSE;
  gboolean gzip = FALSE;
  gboolean no_hold = FALSE;
  gboolean version = FALSE;
  gint64 seed = 0;
  guint port = 0;
  gint64 started;
  AtlasBackendOptions options = { 0 };
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "Listen on ADDR:PORT (default 127.0.0.1:8750)", "ADDR:PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "SQLite database file (default: in memory)", "PATH" },
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario, "demo, empty, test or scale (default demo)", "NAME" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the simulator's random numbers", "N" },
    { "test-control", 0, 0, G_OPTION_ARG_NONE, &test_control, "Enable /api/v1/_test/… endpoints", NULL },
    { "print-tokens", 0, 0, G_OPTION_ARG_NONE, &print_tokens, "Print “role token” lines, then keep serving", NULL },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &allow_remote, "Allow a non-loopback listen address", NULL },
    { "gzip", 0, 0, G_OPTION_ARG_NONE, &gzip, "Answer gzip to requests with Accept-Encoding: gzip", NULL },
    { "no-hold", 0, 0, G_OPTION_ARG_NONE, &no_hold, "Answer Prefer: wait requests at once instead of holding them", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  context = g_option_context_new ("— TenantAtlas Operator API v1 reference backend");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("atlas-backend: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (version)
    {
      g_print ("atlas-backend %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (!parse_listen (listen ? listen : "127.0.0.1:8750", &host, &port, &error))
    {
      g_printerr ("atlas-backend: %s\n", error->message);
      return EXIT_FAILURE;
    }
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_printerr ("atlas-backend: “%s” is not an IP address\n", host);
      return EXIT_FAILURE;
    }
  if (!g_inet_address_get_is_loopback (inet) && !allow_remote)
    {
      g_printerr ("atlas-backend: refusing to listen on non-loopback address %s "
                  "(pass --allow-remote to do so)\n", host);
      return EXIT_FAILURE;
    }

  options.db_path = db_path;
  options.scenario = scenario ? scenario : "demo";
  options.test_control = test_control;
  options.seed = (guint64) seed;
  options.gzip = gzip;

  started = g_get_monotonic_time ();
  server = atlas_backend_server_new (&options, &error);
  /* The standalone server holds blocking conditional requests; embedders opt in. */
  if (server != NULL)
    atlas_backend_server_set_hold_requests (server, !no_hold);
  if (server == NULL)
    {
      g_printerr ("atlas-backend: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_printerr ("atlas-backend: scenario %s ready in %.2f s\n", options.scenario,
              (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  if (!atlas_backend_server_start (server, host, port, &error))
    {
      g_printerr ("atlas-backend: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (print_tokens)
    {
      static const char *roles[] = { "operator", "viewer", "kiosk", "outsider", "admin", "partner" };

      for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
        g_print ("%s %s\n", roles[i], atlas_backend_server_get_token (server, roles[i]));
      fflush (stdout);
    }

  base_url = atlas_backend_server_dup_base_url (server);
  g_printerr ("atlas-backend: listening on http://%s:%u/api/v1%s\n",
              host, atlas_backend_server_get_port (server),
              test_control ? " (test control enabled)" : "");

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  atlas_backend_server_stop (server);
  g_printerr ("atlas-backend: stopped\n");
  return EXIT_SUCCESS;
}
