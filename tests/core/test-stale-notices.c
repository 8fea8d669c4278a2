/* test-stale-notices.c — each likely-stale run announced once, across restarts, no backlog
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "atlas-stale-notices.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("atlas-stale-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "sub", "notifications.ini", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (f->path);

  g_unlink (f->path);
  g_rmdir (sub);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The first answer of a workspace never seen records what is stale then, silently;
 * a run that becomes stale later is announced once. */
static void
test_once_without_backlog (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(AtlasStaleNotices) notices = atlas_stale_notices_new (f->path, "http://a 1");

  g_assert_false (atlas_stale_notices_claim (notices, 15));   /* stale before we looked */
  atlas_stale_notices_end_baseline (notices);
  g_assert_false (atlas_stale_notices_claim (notices, 15));
  g_assert_true (atlas_stale_notices_claim (notices, 16));
  g_assert_false (atlas_stale_notices_claim (notices, 16));
}

/* A restart (a new instance on the same file) repeats nothing and has no baseline;
 * another workspace has its own; the terminal notifier's group stays in the file. */
static void
test_across_restarts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *sub = g_path_get_dirname (f->path);

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_key_file_set_int64 (file, "last-notification-id", "http://a 3", 42);
  g_assert_true (g_key_file_save_to_file (file, f->path, NULL));

  {
    g_autoptr(AtlasStaleNotices) first = atlas_stale_notices_new (f->path, "http://a 1");

    atlas_stale_notices_end_baseline (first);   /* nothing stale at the first look */
    g_assert_true (atlas_stale_notices_claim (first, 20));
  }
  {
    g_autoptr(AtlasStaleNotices) again = atlas_stale_notices_new (f->path, "http://a 1");
    g_autoptr(AtlasStaleNotices) other = atlas_stale_notices_new (f->path, "http://a 2");

    g_assert_false (atlas_stale_notices_claim (again, 20));
    g_assert_true (atlas_stale_notices_claim (again, 21));
    g_assert_false (atlas_stale_notices_claim (other, 20));   /* its own baseline */
  }
  g_assert_true (g_key_file_load_from_file (file, f->path, G_KEY_FILE_NONE, NULL));
  g_assert_cmpint (g_key_file_get_int64 (file, "last-notification-id", "http://a 3", NULL), ==, 42);
}

/* The file keeps the newest 256 ids of a key, not every run a wall ever saw. */
static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AtlasStaleNotices) notices = atlas_stale_notices_new (f->path, "http://a 1");
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) ids = NULL;
  gsize n = 0;

  atlas_stale_notices_end_baseline (notices);
  for (gint64 id = 1; id <= 300; id++)
    g_assert_true (atlas_stale_notices_claim (notices, id));
  g_assert_true (g_key_file_load_from_file (file, f->path, G_KEY_FILE_NONE, NULL));
  ids = g_key_file_get_string_list (file, "stale-notified", "http://a 1", &n, NULL);
  g_assert_cmpuint (n, ==, 256);
  g_assert_cmpstr (ids[n - 1], ==, "300");
  g_assert_false (atlas_stale_notices_claim (notices, 300));
}

/* Without a state file (the demo) it works the same, in memory. */
static void
test_in_memory (void)
{
  g_autoptr(AtlasStaleNotices) notices = atlas_stale_notices_new (NULL, "demo 1");

  atlas_stale_notices_end_baseline (notices);
  g_assert_true (atlas_stale_notices_claim (notices, 5));
  g_assert_false (atlas_stale_notices_claim (notices, 5));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/stale-notices/once-without-backlog", Fixture, NULL, fixture_setup,
              test_once_without_backlog, fixture_teardown);
  g_test_add ("/core/stale-notices/across-restarts", Fixture, NULL, fixture_setup,
              test_across_restarts, fixture_teardown);
  g_test_add ("/core/stale-notices/bounded", Fixture, NULL, fixture_setup, test_bounded, fixture_teardown);
  g_test_add_func ("/core/stale-notices/in-memory", test_in_memory);

  return g_test_run ();
}
