/* atlas-stale-notices.c — which likely-stale runs were announced, once each, across restarts
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run that becomes likely stale is announced once, like a terminal run. The ids
 * already announced are kept per backend and workspace in the notifier's key file
 * (its own group), the newest MAX_KEPT of them: a restart does not repeat them. The
 * first time a key is seen, the runs already stale then are taken as known, so a
 * first start does not announce a backlog.
 */

#define G_LOG_DOMAIN "atlas-stale-notices"

#include "config.h"

#include "atlas-stale-notices.h"

#define STATE_GROUP "stale-notified"
#define MAX_KEPT    256

struct _AtlasStaleNotices
{
  char       *state_path;   /* nullable: kept in memory only */
  char       *key;
  GArray     *ids;          /* gint64, oldest first */
  gboolean    known;        /* the key had a state */
  gboolean    baseline;     /* until end_baseline(), claims of a new key only record */
};

static void
load (AtlasStaleNotices *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) ids = NULL;

  if (self->state_path == NULL ||
      !g_key_file_load_from_file (file, self->state_path, G_KEY_FILE_NONE, NULL))
    return;
  ids = g_key_file_get_string_list (file, STATE_GROUP, self->key, NULL, NULL);
  if (ids == NULL)
    return;
  self->known = TRUE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 id = g_ascii_strtoll (ids[i], NULL, 10);

      if (id > 0)
        g_array_append_val (self->ids, id);
    }
}

static void
save (AtlasStaleNotices *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (self->state_path == NULL)
    return;
  for (guint i = 0; i < self->ids->len; i++)
    g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (self->ids, gint64, i)));
  dir = g_path_get_dirname (self->state_path);
  /* The terminal notifier's state lives in the same file: keep it. */
  g_key_file_load_from_file (file, self->state_path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string_list (file, STATE_GROUP, self->key, (const char * const *) ids->pdata, ids->len);
  g_mkdir_with_parents (dir, 0700);
  if (!g_key_file_save_to_file (file, self->state_path, &error))
    g_warning ("Could not remember the stale runs announced: %s", error->message);
}

/**
 * atlas_stale_notices_new:
 * @state_path: (nullable): the key file, or %NULL to keep it in memory (the demo)
 * @key: what the ids belong to, e.g. "https://atlas.example.test 1" (backend, workspace)
 */
AtlasStaleNotices *
atlas_stale_notices_new (const char *state_path,
                         const char *key)
{
  AtlasStaleNotices *self = g_new0 (AtlasStaleNotices, 1);

  g_return_val_if_fail (key != NULL, NULL);

  self->state_path = g_strdup (state_path);
  self->key = g_strdup (key);
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  load (self);
  self->baseline = !self->known;
  return self;
}

/**
 * atlas_stale_notices_claim:
 *
 * Returns: %TRUE the first time @run_id is claimed under this key, ever (until it
 *   falls out of the newest MAX_KEPT) and the baseline of a new key is over; the
 *   caller announces it then.
 */
gboolean
atlas_stale_notices_claim (AtlasStaleNotices *self,
                           gint64             run_id)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == run_id)
      return FALSE;
  g_array_append_val (self->ids, run_id);
  if (self->ids->len > MAX_KEPT)
    g_array_remove_range (self->ids, 0, self->ids->len - MAX_KEPT);
  save (self);
  return !self->baseline;
}


/**
 * atlas_stale_notices_end_baseline:
 *
 * After the first answer of a new key: the runs stale then are known, and every
 * run claimed from now on is announced. Written at once, so a restart knows the key.
 */
void
atlas_stale_notices_end_baseline (AtlasStaleNotices *self)
{
  g_return_if_fail (self != NULL);

  if (!self->baseline)
    return;
  self->baseline = FALSE;
  save (self);
}

void
atlas_stale_notices_free (AtlasStaleNotices *self)
{
  if (self == NULL)
    return;
  g_free (self->state_path);
  g_free (self->key);
  g_array_unref (self->ids);
  g_free (self);
}
