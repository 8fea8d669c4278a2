/* atlas-run-store.c — list refreshes that keep row objects, selection and scroll
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-run-store"

#include "config.h"

#include "atlas-run-store.h"

/**
 * atlas_run_store_sync:
 * @store: a #GListStore of #AtlasRun, as on screen
 * @fresh: (element-type AtlasRun): the runs of the latest answer, in order
 * @keep: (nullable): drop runs for which this returns %FALSE (the overlay keeps active
 *   runs only)
 *
 * A run already in @store keeps its object and is updated in place, so its row only
 * redraws what changed; runs that are gone are removed, new ones inserted where the
 * answer has them. Items-changed is emitted only for real changes.
 *
 * Returns: how many runs were not in @store before
 */
guint
atlas_run_store_sync (GListStore *store,
                      GPtrArray  *fresh,
                      gboolean  (*keep) (AtlasRun *run))
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) current = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint added = 0;
  guint pos = 0;

  g_return_val_if_fail (G_IS_LIST_STORE (store), 0);
  g_return_val_if_fail (fresh != NULL, 0);

  for (guint i = 0; i < fresh->len; i++)
    {
      AtlasRun *run = g_ptr_array_index (fresh, i);

      if (keep == NULL || keep (run))
        g_hash_table_insert (wanted, (gpointer) atlas_run_get_id_ptr (run), run);
    }

  /* Remove what is gone, back to front so positions stay valid. */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (store)); i > 0; i--)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (G_LIST_MODEL (store), i - 1);

      if (!g_hash_table_contains (wanted, atlas_run_get_id_ptr (run)))
        g_list_store_remove (store, i - 1);
      else
        g_hash_table_insert (current, (gpointer) atlas_run_get_id_ptr (run), run);
    }

  /* Walk the answer in order: update in place, move or insert as needed. */
  for (guint i = 0; i < fresh->len; i++)
    {
      AtlasRun *run = g_ptr_array_index (fresh, i);
      AtlasRun *existing;

      if (keep != NULL && !keep (run))
        continue;

      existing = g_hash_table_lookup (current, atlas_run_get_id_ptr (run));
      if (existing != NULL)
        {
          g_autoptr(AtlasRun) at_pos = g_list_model_get_item (G_LIST_MODEL (store), pos);

          atlas_run_update_from (existing, run);
          if (at_pos != existing)
            {
              guint old_pos;

              /* Order changed (rare: newest first is stable); move the same object. */
              g_object_ref (existing);
              if (g_list_store_find (store, existing, &old_pos))
                g_list_store_remove (store, old_pos);
              g_list_store_insert (store, pos, existing);
              g_object_unref (existing);
            }
        }
      else
        {
          g_list_store_insert (store, pos, run);
          added++;
        }
      pos++;
    }

  return added;
}
