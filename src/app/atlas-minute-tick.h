/* atlas-minute-tick.h — one minute tick per window, for relative times that keep moving
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-clock.h"

G_BEGIN_DECLS

/*
 * "finished 3 min ago" must read "4 min ago" a minute later without a request. Each
 * window has one AtlasMinuteTick; whatever shows relative times holds it while it is
 * on screen with something to show, and gets ::tick once a minute. Nobody holding it
 * means no timer: it costs wakeups only while a relative time is visible.
 */

#define ATLAS_TYPE_MINUTE_TICK (atlas_minute_tick_get_type ())
G_DECLARE_FINAL_TYPE (AtlasMinuteTick, atlas_minute_tick, ATLAS, MINUTE_TICK, GObject)

void             atlas_minute_tick_install        (GtkWindow       *window,
                                                   AtlasClock      *clock);
AtlasMinuteTick *atlas_minute_tick_get_for_widget (GtkWidget       *widget);
void             atlas_minute_tick_hold           (AtlasMinuteTick *self);
void             atlas_minute_tick_release        (AtlasMinuteTick *self);
gint64           atlas_minute_tick_get_now_us     (AtlasMinuteTick *self);
guint            atlas_minute_tick_get_holds      (AtlasMinuteTick *self);

G_END_DECLS
