/* replay.c — runs a libFuzzer target over corpus files, without libFuzzer, as TAP
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fuzz-replay [--in-process] PATH…   (a PATH is a corpus directory or one input)
 *
 * Every regular file is one input, in name order, reported as "ok N - NAME". Each
 * runs in a child process, so a finding (an abort, a sanitizer report) fails that
 * input's test point only and the others still run; its diagnostics land on
 * stderr. --in-process runs them all in this process instead (for a debugger).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "fuzz-target.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      printf ("Bail out! %s\n", error->message);
      exit (1);
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (name[0] != '.' && g_file_test (file, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_steal_pointer (&file));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_strdup (g_ptr_array_index (names, i)));
}

/* Returns NULL when the input passed, else why it did not. */
static char *
replay_one (const char *input,
            gsize       length,
            gboolean    in_process)
{
  pid_t pid;
  int status;

  if (in_process)
    {
      LLVMFuzzerTestOneInput ((const uint8_t *) input, length);
      return NULL;
    }

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    return g_strdup ("fork failed");
  if (pid == 0)
    {
      LLVMFuzzerTestOneInput ((const uint8_t *) input, length);
      fflush (stderr);
      /* exit(), not _exit(): LeakSanitizer checks at exit. */
      exit (0);
    }

  if (waitpid (pid, &status, 0) < 0)
    return g_strdup ("waitpid failed");
  if (WIFSIGNALED (status))
    return g_strdup_printf ("killed by signal %d", WTERMSIG (status));
  if (WEXITSTATUS (status) != 0)
    return g_strdup_printf ("exit status %d", WEXITSTATUS (status));
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gboolean in_process = FALSE;
  guint failed = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--in-process"))
        in_process = TRUE;
      else
        collect (argv[i], files);
    }
  if (files->len == 0 && argc < 2)
    {
      fprintf (stderr, "Usage: %s [--in-process] CORPUS-DIR-OR-FILE…\n", argv[0]);
      return 2;
    }

  printf ("1..%u\n", files->len);
  if (files->len == 0)
    printf ("# no inputs found\n");
  fflush (stdout);

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      g_autofree char *exact = NULL;
      g_autofree char *base = g_path_get_basename (file);
      g_autoptr(GError) error = NULL;
      g_autofree char *why = NULL;
      gsize length = 0;

      if (!g_file_get_contents (file, &contents, &length, &error))
        {
          printf ("not ok %u - %s # %s\n", i + 1, base, error->message);
          failed++;
          continue;
        }
      printf ("# replaying %s (%" G_GSIZE_FORMAT " bytes)\n", file, length);
      fflush (stdout);
      /* Exactly @length bytes, no trailing NUL: an over-read hits ASan's redzone
       * as it would under libFuzzer. */
      exact = g_memdup2 (contents, length);
      why = replay_one (exact, length, in_process);
      if (why == NULL)
        printf ("ok %u - %s\n", i + 1, base);
      else
        {
          printf ("not ok %u - %s # %s\n", i + 1, base, why);
          failed++;
        }
      fflush (stdout);
    }

  return failed > 0 ? 1 : 0;
}
