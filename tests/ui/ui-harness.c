/* ui-harness.c — shared set-up for the ui tests (see ui-harness.h)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-harness.h"

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AtlasBackendOptions options = { NULL, "test", TRUE, 0 };
  g_autoptr(GError) error = NULL;

  f->server = atlas_backend_server_new (&options, &error);
  g_assert_no_error (error);
  atlas_backend_server_start (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->base_url = atlas_backend_server_dup_base_url (f->server);
  f->client = atlas_client_new (f->base_url, atlas_backend_server_get_token (f->server, "operator"), 0, &error);
  g_assert_no_error (error);
  f->clock = atlas_manual_clock_new ();
  f->t0 = atlas_backend_server_get_clock (f->server);
  f->t = 0;
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 800);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->client);
  atlas_backend_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->clock);
  g_free (f->base_url);
}

/* A timestamp string that lives as long as the test program (reachable, not leaked). */
const char *
stamp (gint64 t)
{
  static GPtrArray *keep;

  if (keep == NULL)
    keep = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (keep, atlas_timestamp_format (t));
  return g_ptr_array_index (keep, keep->len - 1);
}

/* Lets the request a poller has out come back, and everything it set off run. */
void
settle (AtlasPoller *poller)
{
  while (atlas_poller_get_in_flight (poller))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Both clocks forward by whole seconds; every due fetch is answered before the next. */
void
advance (Fixture     *f,
         AtlasPoller *poller,
         guint        seconds)
{
  for (guint i = 0; i < seconds; i++)
    {
      f->t++;
      atlas_backend_server_set_clock (f->server, f->t0 + f->t);
      atlas_manual_clock_advance (f->clock, 1000);
      settle (poller);
    }
}

void
show (Fixture   *f,
      GtkWidget *child)
{
  gtk_window_set_child (f->window, child);
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (child))
    g_main_context_iteration (NULL, TRUE);
}

/* Requests the backend really received under this path prefix. */
guint64
count (Fixture    *f,
       const char *path)
{
  return atlas_backend_server_get_request_count (f->server, path);
}
