/* atlas-clock.c — the time source timers run on: the real main loop, or a manual clock for tests
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-clock"

#include "config.h"

#include "atlas-clock.h"

/* A callback that keeps re-adding 0 ms timeouts would spin an advance forever; a test
 * should fail loudly instead of hanging until the harness kills it. */
#define MANUAL_MAX_FIRES_PER_ADVANCE 100000

struct _AtlasClock
{
  GObject    parent_instance;

  gboolean   manual;

  /* Manual clock only */
  gint64     now_us;
  GPtrArray *pending;      /* of ManualTimeout, unordered: a handful at most */
  guint      last_id;
  guint64    last_seq;
  gboolean   advancing;
};

typedef struct
{
  guint           id;
  int             priority;
  guint64         seq;
  gint64          due_us;
  AtlasClockFunc  func;
  gpointer        user_data;
} ManualTimeout;

typedef struct
{
  AtlasClockFunc func;
  gpointer       user_data;
} RealTimeout;

G_DEFINE_FINAL_TYPE (AtlasClock, atlas_clock, G_TYPE_OBJECT)

static gboolean
real_timeout_dispatch (gpointer data)
{
  RealTimeout *timeout = data;

  timeout->func (timeout->user_data);

  return G_SOURCE_REMOVE;
}

/* Earlier due time first; a higher priority (lower number) breaks ties, as the main
 * loop would; creation order breaks the rest so runs are reproducible. */
static gboolean
manual_timeout_before (const ManualTimeout *a,
                       const ManualTimeout *b)
{
  if (a->due_us != b->due_us)
    return a->due_us < b->due_us;
  if (a->priority != b->priority)
    return a->priority < b->priority;
  return a->seq < b->seq;
}

static int
manual_find_first (AtlasClock *self)
{
  int first = -1;

  for (guint i = 0; i < self->pending->len; i++)
    {
      const ManualTimeout *timeout = g_ptr_array_index (self->pending, i);

      if (first < 0 || manual_timeout_before (timeout, g_ptr_array_index (self->pending, first)))
        first = (int) i;
    }

  return first;
}

static void
atlas_clock_finalize (GObject *object)
{
  AtlasClock *self = (AtlasClock *)object;

  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (atlas_clock_parent_class)->finalize (object);
}

static void
atlas_clock_class_init (AtlasClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atlas_clock_finalize;
}

static void
atlas_clock_init (AtlasClock *self)
{
}

/**
 * atlas_clock_get_default:
 *
 * Returns: (transfer none): the process-wide real clock
 */
AtlasClock *
atlas_clock_get_default (void)
{
  static AtlasClock *default_clock;

  if (g_once_init_enter (&default_clock))
    g_once_init_leave (&default_clock, g_object_new (ATLAS_TYPE_CLOCK, NULL));

  return default_clock;
}

gboolean
atlas_clock_is_manual (AtlasClock *self)
{
  g_return_val_if_fail (ATLAS_IS_CLOCK (self), FALSE);

  return self->manual;
}

gint64
atlas_clock_get_now_us (AtlasClock *self)
{
  g_return_val_if_fail (ATLAS_IS_CLOCK (self), 0);

  if (self->manual)
    return self->now_us;

  return g_get_monotonic_time ();
}

/**
 * atlas_clock_add_timeout:
 * @priority: main-loop priority, e.g. %G_PRIORITY_DEFAULT_IDLE
 *
 * Calls @func once, @interval_ms from now.
 *
 * Returns: a non-zero id for atlas_clock_remove()
 */
guint
atlas_clock_add_timeout (AtlasClock     *self,
                         int             priority,
                         guint           interval_ms,
                         AtlasClockFunc  func,
                         gpointer        user_data)
{
  ManualTimeout *timeout;

  g_return_val_if_fail (ATLAS_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  if (!self->manual)
    {
      RealTimeout *real = g_new0 (RealTimeout, 1);

      real->func = func;
      real->user_data = user_data;

      return g_timeout_add_full (priority, interval_ms, real_timeout_dispatch, real, g_free);
    }

  timeout = g_new0 (ManualTimeout, 1);
  timeout->id = ++self->last_id;
  if (timeout->id == 0)
    timeout->id = ++self->last_id;
  timeout->priority = priority;
  timeout->seq = ++self->last_seq;
  timeout->due_us = self->now_us + (gint64) interval_ms * 1000;
  timeout->func = func;
  timeout->user_data = user_data;
  g_ptr_array_add (self->pending, timeout);

  return timeout->id;
}

void
atlas_clock_remove (AtlasClock *self,
                    guint       id)
{
  g_return_if_fail (ATLAS_IS_CLOCK (self));
  g_return_if_fail (id != 0);

  if (!self->manual)
    {
      g_source_remove (id);
      return;
    }

  for (guint i = 0; i < self->pending->len; i++)
    {
      const ManualTimeout *timeout = g_ptr_array_index (self->pending, i);

      if (timeout->id == id)
        {
          g_ptr_array_remove_index_fast (self->pending, i);
          return;
        }
    }

  /* Same contract as g_source_remove(): a stale id means the caller lost track. */
  g_critical ("Manual clock timeout %u not found", id);
}

/**
 * atlas_manual_clock_new:
 *
 * Returns: (transfer full): a clock at 0 µs that moves only with
 *   atlas_manual_clock_advance()
 */
AtlasClock *
atlas_manual_clock_new (void)
{
  AtlasClock *self = g_object_new (ATLAS_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->pending = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
atlas_manual_clock_advance_us (AtlasClock *self,
                               gint64      us)
{
  gint64 target;
  guint fired = 0;

  g_return_if_fail (ATLAS_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (us >= 0);
  /* A nested advance would move time backwards for the outer one. */
  g_return_if_fail (!self->advancing);

  target = self->now_us + us;
  self->advancing = TRUE;

  g_object_ref (self);

  for (;;)
    {
      ManualTimeout *timeout;
      AtlasClockFunc func;
      gpointer user_data;
      int first;

      /* Search again every time: the last callback may have added or removed timeouts. */
      first = manual_find_first (self);
      if (first < 0)
        break;

      timeout = g_ptr_array_index (self->pending, first);
      if (timeout->due_us > target)
        break;

      if (++fired > MANUAL_MAX_FIRES_PER_ADVANCE)
        {
          g_critical ("Manual clock: more than %d timeouts fired in one advance",
                      MANUAL_MAX_FIRES_PER_ADVANCE);
          break;
        }

      self->now_us = MAX (self->now_us, timeout->due_us);
      func = timeout->func;
      user_data = timeout->user_data;
      g_ptr_array_remove_index_fast (self->pending, first);

      func (user_data);
    }

  self->now_us = target;
  self->advancing = FALSE;

  g_object_unref (self);
}

void
atlas_manual_clock_advance (AtlasClock *self,
                            guint       ms)
{
  atlas_manual_clock_advance_us (self, (gint64) ms * 1000);
}

guint
atlas_manual_clock_get_n_pending (AtlasClock *self)
{
  g_return_val_if_fail (ATLAS_IS_CLOCK (self), 0);
  g_return_val_if_fail (self->manual, 0);

  return self->pending->len;
}

/**
 * atlas_manual_clock_get_next_due:
 *
 * Returns: the due time (µs) of the first pending timeout, or -1 if none
 */
gint64
atlas_manual_clock_get_next_due (AtlasClock *self)
{
  int first;

  g_return_val_if_fail (ATLAS_IS_CLOCK (self), -1);
  g_return_val_if_fail (self->manual, -1);

  first = manual_find_first (self);
  if (first < 0)
    return -1;

  return ((const ManualTimeout *) g_ptr_array_index (self->pending, first))->due_us;
}
