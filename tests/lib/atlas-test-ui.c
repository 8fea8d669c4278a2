/* atlas-test-ui.c — a window under test for the ui suite (see atlas-test-ui.h)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "atlas-test-ui.h"

static char *scratch_state;

static void
remove_scratch_state (void)
{
  g_autofree char *file = g_build_filename (scratch_state, "tenantatlas-operator", "notifications.ini", NULL);
  g_autofree char *dir = g_path_get_dirname (file);

  g_unlink (file);
  g_rmdir (dir);
  g_rmdir (scratch_state);
  g_clear_pointer (&scratch_state, g_free);
}

/* Notification state (what was announced) goes to a scratch directory, never the
 * user's: set before anything asks GLib for the state directory. */
void
atlas_test_ui_init (int    *argc,
                    char ***argv)
{
  scratch_state = g_dir_make_tmp ("atlas-ui-state-XXXXXX", NULL);
  g_assert_nonnull (scratch_state);
  g_setenv ("XDG_STATE_HOME", scratch_state, TRUE);
  atexit (remove_scratch_state);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/* The operator's fixture and an empty window of a laptop's size. */
void
atlas_test_ui_setup (AtlasTestFixture *f,
                     gconstpointer     data)
{
  atlas_test_fixture_init (f, "operator");
  f->window = gtk_window_new ();
  gtk_window_set_default_size (f->window, 1280, 800);
}

/* Destroys whatever window the test left in f->window, then the fixture. */
void
atlas_test_ui_teardown (AtlasTestFixture *f,
                        gconstpointer     data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  f->window = NULL;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  atlas_test_fixture_clear (f);
}

/* A ui test on atlas_test_ui_setup()'s fixture: g_test_add() for the common case. */
void
atlas_test_ui_add (const char    *path,
                   AtlasTestFunc  func)
{
  g_test_add_vtable (path, sizeof (AtlasTestFixture), NULL,
                     (GTestFixtureFunc) atlas_test_ui_setup,
                     (GTestFixtureFunc) func,
                     (GTestFixtureFunc) atlas_test_ui_teardown);
}

/* Puts `child` in the window and waits until it is on screen. */
void
atlas_test_show (AtlasTestFixture *f,
                 GtkWidget        *child)
{
  gtk_window_set_child (f->window, child);
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (child))
    g_main_context_iteration (NULL, TRUE);
}

/* The first widget of `type` at or under `widget`, depth first; NULL if none. */
GtkWidget *
atlas_test_find_descendant (GtkWidget *widget,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = atlas_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}
