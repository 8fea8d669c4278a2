/* atlas-poller.h — one widget's polling timer: interval, pauses, in-flight, backoff, pacing
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "atlas-clock.h"

G_BEGIN_DECLS

/*
 * AtlasPoller decides *when* its owner should fetch; it never fetches. It emits ::tick
 * ("fetch now") and the owner reports back with request_started() / request_finished_ok()
 * / request_failed(). GLib only, main thread only, at most one timer source at a time.
 *
 * Rules:
 * - interval 0 (the default) stops polling: no timer source exists. Going from 0 to an
 *   interval waits one full interval from now (the owner has just loaded the data the
 *   presenter chose that interval from).
 * - The wait runs from the last "anchor": the last tick, or the end of the last reported
 *   request if later. Changing the interval re-plans from that anchor, so a shorter
 *   interval may make a tick due at once.
 * - Wait = max (interval, server pacing, backoff). Server pacing is the last response's
 *   X-Poll-Interval (0 = none): the poller never ticks sooner than that after an anchor.
 * - Hidden (visible = FALSE) or a modal open pauses: the source is removed, the due time
 *   is kept. When both pauses clear, a tick that fell due meanwhile comes at once; if none
 *   did, the remaining wait resumes. Nothing is owed twice: one tick, then the usual rule.
 * - While a request is in flight (started, not yet finished) there is no tick; the next
 *   wait starts when it finishes. Requests may nest: in flight until all have finished.
 *   A cancelled request (target changed) must be ended with request_cancelled(), which
 *   keeps the backoff as it was, or the poller stays blocked.
 * - request_failed() backs off: with n failures in a row, base = max (interval, pacing,
 *   1 s) and d = min (5 min, base × 2^n), the backoff is uniform in [d/2, d] (jitter from
 *   the jitter function). With the server's Retry-After N (capped at 1 h) the wait is
 *   N + jitter × N / 5 instead, so the next tick comes between N and 1.2 N — never
 *   sooner, and not stretched to the interval (server pacing still applies).
 *   request_finished_ok() and reset() clear it.
 * - stop_permanently() (401/403/404) ends all ticks, refresh_now() included, until reset().
 * - refresh_now() (Ctrl+R) emits ::tick before returning unless a request is in flight or
 *   the poller is stopped — also while paused or backing off, since the user asked — and
 *   the wait restarts from it.
 * - "At once" means a 0 ms timeout, not an emission from inside the setter: the owner is
 *   never re-entered from its own set_*() call, and several changes in one main-loop
 *   iteration give one tick. Only refresh_now() emits synchronously.
 * - Disposing removes the source; a disposed poller never emits.
 */

typedef enum
{
  ATLAS_POLL_FAILURE_NONE,
  ATLAS_POLL_FAILURE_RATE_LIMITED,   /* 429 */
  ATLAS_POLL_FAILURE_UNAVAILABLE,    /* 503, 502, 504 */
  ATLAS_POLL_FAILURE_SERVER_ERROR,   /* other 5xx, unreadable body */
  ATLAS_POLL_FAILURE_NETWORK,        /* no connection, TLS, DNS … */
  ATLAS_POLL_FAILURE_TIMEOUT,
} AtlasPollFailure;

#define ATLAS_TYPE_POLL_FAILURE (atlas_poll_failure_get_type ())
GType atlas_poll_failure_get_type (void) G_GNUC_CONST;

#define ATLAS_POLLER_MIN_BACKOFF_MS    1000u
#define ATLAS_POLLER_MAX_BACKOFF_MS    (5u * 60u * 1000u)
#define ATLAS_POLLER_MAX_SERVER_WAIT_MS (60u * 60u * 1000u)

#define ATLAS_TYPE_POLLER (atlas_poller_get_type ())
G_DECLARE_FINAL_TYPE (AtlasPoller, atlas_poller, ATLAS, POLLER, GObject)

AtlasPoller      *atlas_poller_new                  (AtlasClock            *clock);

guint             atlas_poller_get_interval         (AtlasPoller           *self);
void              atlas_poller_set_interval         (AtlasPoller           *self,
                                                     guint                  interval_ms);
gboolean          atlas_poller_get_visible          (AtlasPoller           *self);
void              atlas_poller_set_visible          (AtlasPoller           *self,
                                                     gboolean               visible);
gboolean          atlas_poller_get_modal_open       (AtlasPoller           *self);
void              atlas_poller_set_modal_open       (AtlasPoller           *self,
                                                     gboolean               modal_open);
guint             atlas_poller_get_server_pacing    (AtlasPoller           *self);
void              atlas_poller_set_server_pacing    (AtlasPoller           *self,
                                                     guint                  pacing_ms);

void              atlas_poller_request_started      (AtlasPoller           *self);
void              atlas_poller_request_finished_ok  (AtlasPoller           *self);
void              atlas_poller_request_failed       (AtlasPoller           *self,
                                                     AtlasPollFailure       kind,
                                                     guint                  retry_after_ms);
void              atlas_poller_request_cancelled    (AtlasPoller           *self);
void              atlas_poller_stop_permanently     (AtlasPoller           *self);
gboolean          atlas_poller_report_error         (AtlasPoller           *self,
                                                     const GError          *error);
void              atlas_poller_reset                (AtlasPoller           *self);
gboolean          atlas_poller_refresh_now          (AtlasPoller           *self);

gboolean          atlas_poller_get_in_flight        (AtlasPoller           *self);
gint64            atlas_poller_get_next_tick_in     (AtlasPoller           *self);

G_END_DECLS
