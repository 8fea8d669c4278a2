/* atlas-clock.h — the time source timers run on: the real main loop, or a manual clock for tests
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * An AtlasClock tells the time (monotonic, in microseconds) and runs one-shot timeouts.
 *
 * - atlas_clock_get_default() is the real clock: g_get_monotonic_time() and
 *   g_timeout_add_full() on the global default main context.
 * - atlas_manual_clock_new() is a clock that only moves when a test calls
 *   atlas_manual_clock_advance(); it starts at 0 µs. Advancing fires every timeout that
 *   falls due within the step, in order of due time (then priority, then creation), and
 *   while a callback runs "now" is that timeout's due time. Callbacks may add and remove
 *   timeouts; one added for 0 ms during an advance fires within the same advance.
 *
 * Timeouts are one-shot: the id is dead once the callback starts, so never remove it
 * from inside its own callback. Removing an unknown id is a programmer error (critical).
 * Main thread only.
 */

typedef void (*AtlasClockFunc) (gpointer user_data);

#define ATLAS_TYPE_CLOCK (atlas_clock_get_type ())
G_DECLARE_FINAL_TYPE (AtlasClock, atlas_clock, ATLAS, CLOCK, GObject)

AtlasClock *atlas_clock_get_default          (void);
gboolean    atlas_clock_is_manual            (AtlasClock     *self);
gint64      atlas_clock_get_now_us           (AtlasClock     *self);
guint       atlas_clock_add_timeout          (AtlasClock     *self,
                                              int             priority,
                                              guint           interval_ms,
                                              AtlasClockFunc  func,
                                              gpointer        user_data);
void        atlas_clock_remove               (AtlasClock     *self,
                                              guint           id);

AtlasClock *atlas_manual_clock_new           (void);
void        atlas_manual_clock_advance       (AtlasClock     *self,
                                              guint           ms);
void        atlas_manual_clock_advance_us    (AtlasClock     *self,
                                              gint64          us);
guint       atlas_manual_clock_get_n_pending (AtlasClock     *self);
gint64      atlas_manual_clock_get_next_due  (AtlasClock     *self);

G_END_DECLS
