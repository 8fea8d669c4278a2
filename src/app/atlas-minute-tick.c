/* atlas-minute-tick.c — one minute tick per window (see the header)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-minute-tick"

#include "config.h"

#include "atlas-minute-tick.h"

#define TICK_KEY "atlas-minute-tick"
#define MINUTE_MS 60000

struct _AtlasMinuteTick
{
  GObject     parent_instance;

  AtlasClock *clock;
  guint       holds;
  guint       timeout_id;
};

enum {
  TICK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasMinuteTick, atlas_minute_tick, G_TYPE_OBJECT)

static void schedule (AtlasMinuteTick *self);

static void
fire_cb (gpointer user_data)
{
  AtlasMinuteTick *self = user_data;

  self->timeout_id = 0;
  schedule (self);
  g_signal_emit (self, signals[TICK], 0);
}

static void
schedule (AtlasMinuteTick *self)
{
  if (self->holds > 0 && self->timeout_id == 0)
    self->timeout_id = atlas_clock_add_timeout (self->clock, G_PRIORITY_LOW, MINUTE_MS, fire_cb, self);
}

static void
atlas_minute_tick_dispose (GObject *object)
{
  AtlasMinuteTick *self = (AtlasMinuteTick *)object;

  if (self->timeout_id != 0)
    atlas_clock_remove (self->clock, self->timeout_id);
  self->timeout_id = 0;

  G_OBJECT_CLASS (atlas_minute_tick_parent_class)->dispose (object);
}

static void
atlas_minute_tick_finalize (GObject *object)
{
  AtlasMinuteTick *self = (AtlasMinuteTick *)object;

  g_clear_object (&self->clock);

  G_OBJECT_CLASS (atlas_minute_tick_parent_class)->finalize (object);
}

static void
atlas_minute_tick_class_init (AtlasMinuteTickClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_minute_tick_dispose;
  object_class->finalize = atlas_minute_tick_finalize;

  /**
   * AtlasMinuteTick::tick:
   *
   * A minute passed while someone held the tick.
   */
  signals[TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atlas_minute_tick_init (AtlasMinuteTick *self)
{
}

/**
 * atlas_minute_tick_install:
 * @clock: (nullable): the window's clock (tests pass their manual one)
 *
 * Gives @window its tick on @clock; without it a tick on the real clock is made the
 * first time a widget of the window asks.
 */
void
atlas_minute_tick_install (GtkWindow  *window,
                           AtlasClock *clock)
{
  AtlasMinuteTick *self;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (g_object_get_data (G_OBJECT (window), TICK_KEY) == NULL);

  self = g_object_new (ATLAS_TYPE_MINUTE_TICK, NULL);
  self->clock = g_object_ref (clock != NULL ? clock : atlas_clock_get_default ());
  g_object_set_data_full (G_OBJECT (window), TICK_KEY, self, g_object_unref);
}

/* Returns: (transfer none) (nullable): the tick of @widget's window, %NULL while the
 * widget is in no window */
AtlasMinuteTick *
atlas_minute_tick_get_for_widget (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return NULL;
  if (g_object_get_data (G_OBJECT (root), TICK_KEY) == NULL)
    atlas_minute_tick_install (GTK_WINDOW (root), NULL);
  return g_object_get_data (G_OBJECT (root), TICK_KEY);
}

void
atlas_minute_tick_hold (AtlasMinuteTick *self)
{
  g_return_if_fail (ATLAS_IS_MINUTE_TICK (self));

  self->holds++;
  schedule (self);
}

void
atlas_minute_tick_release (AtlasMinuteTick *self)
{
  g_return_if_fail (ATLAS_IS_MINUTE_TICK (self));
  g_return_if_fail (self->holds > 0);

  if (--self->holds == 0 && self->timeout_id != 0)
    {
      atlas_clock_remove (self->clock, self->timeout_id);
      self->timeout_id = 0;
    }
}

/* The tick's clock, monotonic microseconds. */
gint64
atlas_minute_tick_get_now_us (AtlasMinuteTick *self)
{
  g_return_val_if_fail (ATLAS_IS_MINUTE_TICK (self), 0);
  return atlas_clock_get_now_us (self->clock);
}

guint
atlas_minute_tick_get_holds (AtlasMinuteTick *self)
{
  g_return_val_if_fail (ATLAS_IS_MINUTE_TICK (self), 0);
  return self->holds;
}
