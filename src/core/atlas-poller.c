/* atlas-poller.c — one widget's polling timer: interval, pauses, in-flight, backoff, pacing
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-poller"

#include "config.h"

#include "atlas-poller-private.h"

#include "atlas-client.h"
#include "atlas-poll-policy.h"

/* Polling is never urgent: let input handling and redraws go first. */
#define POLLER_PRIORITY G_PRIORITY_DEFAULT_IDLE

struct _AtlasPoller
{
  GObject                parent_instance;

  gboolean               refreshing;   /* inside refresh_now(): the tick is a Refresh */

  AtlasClock            *clock;

  guint                  interval_ms;
  guint                  pacing_ms;
  guint                  backoff_ms;
  gboolean               backoff_from_server; /* backoff_ms is the server's Retry-After */
  guint                  failure_count;
  AtlasPollFailure       last_failure;
  guint                  in_flight;

  /* The wait is measured from here: last tick or end of the last reported request. */
  gint64                 anchor_us;

  guint                  timeout_id;
  gint64                 armed_due_us;    /* due time timeout_id was armed for */
  gint64                 next_due_us;     /* -1 without a source */

  AtlasPollerJitterFunc  jitter_func;
  gpointer               jitter_data;
  GDestroyNotify         jitter_destroy;

  /* Last values announced through ::notify, for the two derived properties. */
  gint64                 notified_next_due_us;
  guint                  notified_active : 1;

  guint                  visible : 1;
  guint                  modal_open : 1;
  guint                  stopped : 1;
  guint                  disposed : 1;
};

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_INTERVAL,
  PROP_VISIBLE,
  PROP_MODAL_OPEN,
  PROP_SERVER_PACING,
  PROP_ACTIVE,
  PROP_IN_FLIGHT,
  PROP_STOPPED,
  PROP_FAILURE_COUNT,
  PROP_LAST_FAILURE,
  PROP_BACKOFF,
  PROP_NEXT_DUE,
  N_PROPS
};

enum {
  TICK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void atlas_poller_update (AtlasPoller *self);

G_DEFINE_FINAL_TYPE (AtlasPoller, atlas_poller, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtlasPollFailure, atlas_poll_failure,
  G_DEFINE_ENUM_VALUE (ATLAS_POLL_FAILURE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ATLAS_POLL_FAILURE_RATE_LIMITED, "rate-limited"),
  G_DEFINE_ENUM_VALUE (ATLAS_POLL_FAILURE_UNAVAILABLE, "unavailable"),
  G_DEFINE_ENUM_VALUE (ATLAS_POLL_FAILURE_SERVER_ERROR, "server-error"),
  G_DEFINE_ENUM_VALUE (ATLAS_POLL_FAILURE_NETWORK, "network"),
  G_DEFINE_ENUM_VALUE (ATLAS_POLL_FAILURE_TIMEOUT, "timeout"))

static inline gint64
atlas_poller_now (AtlasPoller *self)
{
  return atlas_clock_get_now_us (self->clock);
}

static guint
atlas_poller_get_wait_ms (AtlasPoller *self)
{
  /* The server said when to come back: that, not our interval, is the wait. */
  if (self->backoff_from_server)
    return MAX (self->pacing_ms, self->backoff_ms);
  return MAX (MAX (self->interval_ms, self->pacing_ms), self->backoff_ms);
}

static guint
atlas_poller_compute_backoff (AtlasPoller *self,
                              guint        retry_after_ms)
{
  guint64 ceiling;
  guint64 backoff;
  double jitter;

  ceiling = MAX (MAX (self->interval_ms, self->pacing_ms), ATLAS_POLLER_MIN_BACKOFF_MS);
  for (guint i = 0; i < self->failure_count && ceiling < ATLAS_POLLER_MAX_BACKOFF_MS; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, ATLAS_POLLER_MAX_BACKOFF_MS);

  if (self->jitter_func != NULL)
    jitter = self->jitter_func (self->jitter_data);
  else
    jitter = g_random_double ();

  /* A broken jitter function must not break the cap; NaN fails both tests. */
  if (!(jitter >= 0.0))
    jitter = 0.0;
  else if (jitter > 1.0)
    jitter = 1.0;

  /* "Equal jitter": spread over the upper half, so clients that failed together do not
   * retry together, yet the wait still doubles and never drops below the interval. */
  backoff = ceiling / 2 + (guint64) (jitter * (double) (ceiling - ceiling / 2));
  backoff = MIN (backoff, ceiling);

  /* The server knows its own load better than our guess: come back after its
   * Retry-After N, spread over [N, 1.2 N] so a wall of screens told the same N does
   * not return in one burst; never sooner, and never held back by our own interval
   * (a young run's 1 s or a list's 10 s). A bogus huge value must not freeze the
   * widget, though. */
  self->backoff_from_server = retry_after_ms > 0;
  if (retry_after_ms > 0)
    {
      guint64 n = MIN (retry_after_ms, ATLAS_POLLER_MAX_SERVER_WAIT_MS);

      backoff = MIN (n + (guint64) (jitter * (double) (n / 5)), ATLAS_POLLER_MAX_SERVER_WAIT_MS);
    }

  return (guint) backoff;
}

static void
atlas_poller_notify_schedule (AtlasPoller *self)
{
  gboolean active = self->timeout_id != 0;

  if (active != self->notified_active)
    {
      self->notified_active = active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }

  if (self->next_due_us != self->notified_next_due_us)
    {
      self->notified_next_due_us = self->next_due_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DUE]);
    }
}

static void
atlas_poller_disarm (AtlasPoller *self)
{
  /* Not g_clear_handle_id(): the source belongs to our clock, which may be a manual one. */
  if (self->timeout_id != 0)
    {
      atlas_clock_remove (self->clock, self->timeout_id);
      self->timeout_id = 0;
    }

  self->armed_due_us = -1;
  self->next_due_us = -1;
}

static void
atlas_poller_emit_tick (AtlasPoller *self)
{
  g_assert (self->timeout_id == 0);

  self->anchor_us = atlas_poller_now (self);
  self->armed_due_us = -1;
  self->next_due_us = -1;

  /* The handler may drop the owner's last reference or dispose us. */
  g_object_ref (self);
  g_signal_emit (self, signals[TICK], 0);
  atlas_poller_update (self);
  g_object_unref (self);
}

static void
atlas_poller_timeout_cb (gpointer user_data)
{
  AtlasPoller *self = user_data;

  g_assert (ATLAS_IS_POLLER (self));
  g_assert (!self->disposed);

  /* One-shot: the id died when this callback started. */
  self->timeout_id = 0;

  /* Timers are armed in whole milliseconds, rounded up, so this is only a safety net
   * for a clock that fires early: never tick before the planned time. */
  if (atlas_poller_now (self) < self->armed_due_us)
    {
      self->armed_due_us = -1;
      atlas_poller_update (self);
      return;
    }

  atlas_poller_emit_tick (self);
}

static void
atlas_poller_arm (AtlasPoller *self,
                  gint64       due_us)
{
  gint64 now = atlas_poller_now (self);
  gint64 delay_ms = 0;

  atlas_poller_disarm (self);

  if (due_us > now)
    delay_ms = MIN ((due_us - now + 999) / 1000, (gint64) G_MAXUINT);

  self->timeout_id = atlas_clock_add_timeout (self->clock, POLLER_PRIORITY, (guint) delay_ms,
                                              atlas_poller_timeout_cb, self);
  self->armed_due_us = due_us;
  self->next_due_us = MAX (due_us, now);
}

/* The one place that decides whether a source exists and when it fires; every input
 * change ends here, so the rules cannot drift apart between setters. */
static void
atlas_poller_update (AtlasPoller *self)
{
  gint64 due_us = -1;

  if (self->disposed)
    return;

  if (!self->stopped && self->interval_ms > 0 && self->in_flight == 0)
    due_us = self->anchor_us + (gint64) atlas_poller_get_wait_ms (self) * 1000;

  /* A paused poller keeps anchor and wait, hence its due time: resuming either finds
   * it passed (tick at once) or waits out the rest. */
  if (due_us < 0 || !self->visible || self->modal_open)
    atlas_poller_disarm (self);
  else if (self->timeout_id == 0 || self->armed_due_us != due_us)
    atlas_poller_arm (self, due_us);

  atlas_poller_notify_schedule (self);
}

static void
atlas_poller_finish_request (AtlasPoller *self)
{
  /* A result may come from a request we were not told about (one shared with another
   * widget); it still says when the data was last fresh. */
  if (self->in_flight > 0)
    {
      self->in_flight--;
      if (self->in_flight == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
    }

  self->anchor_us = atlas_poller_now (self);
}

static void
atlas_poller_constructed (GObject *object)
{
  AtlasPoller *self = (AtlasPoller *)object;

  G_OBJECT_CLASS (atlas_poller_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = g_object_ref (atlas_clock_get_default ());

  self->anchor_us = atlas_poller_now (self);
}

static void
atlas_poller_dispose (GObject *object)
{
  AtlasPoller *self = (AtlasPoller *)object;

  atlas_poller_disarm (self);
  self->disposed = TRUE;

  if (self->jitter_destroy != NULL)
    g_clear_pointer (&self->jitter_data, self->jitter_destroy);
  self->jitter_func = NULL;
  self->jitter_destroy = NULL;

  G_OBJECT_CLASS (atlas_poller_parent_class)->dispose (object);
}

static void
atlas_poller_finalize (GObject *object)
{
  AtlasPoller *self = (AtlasPoller *)object;

  /* Kept until here, not dropped in dispose, so getters stay safe on a disposed poller;
   * the clock holds nothing of ours once the source is gone, so there is no cycle. */
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (atlas_poller_parent_class)->finalize (object);
}

static void
atlas_poller_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AtlasPoller *self = ATLAS_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;

    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;

    case PROP_MODAL_OPEN:
      g_value_set_boolean (value, self->modal_open);
      break;

    case PROP_SERVER_PACING:
      g_value_set_uint (value, self->pacing_ms);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, atlas_poller_get_active (self));
      break;

    case PROP_IN_FLIGHT:
      g_value_set_boolean (value, atlas_poller_get_in_flight (self));
      break;

    case PROP_STOPPED:
      g_value_set_boolean (value, self->stopped);
      break;

    case PROP_FAILURE_COUNT:
      g_value_set_uint (value, self->failure_count);
      break;

    case PROP_LAST_FAILURE:
      g_value_set_enum (value, self->last_failure);
      break;

    case PROP_BACKOFF:
      g_value_set_uint (value, self->backoff_ms);
      break;

    case PROP_NEXT_DUE:
      g_value_set_int64 (value, self->next_due_us);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_poller_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AtlasPoller *self = ATLAS_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;

    case PROP_INTERVAL:
      atlas_poller_set_interval (self, g_value_get_uint (value));
      break;

    case PROP_VISIBLE:
      atlas_poller_set_visible (self, g_value_get_boolean (value));
      break;

    case PROP_MODAL_OPEN:
      atlas_poller_set_modal_open (self, g_value_get_boolean (value));
      break;

    case PROP_SERVER_PACING:
      atlas_poller_set_server_pacing (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_poller_class_init (AtlasPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atlas_poller_constructed;
  object_class->dispose = atlas_poller_dispose;
  object_class->finalize = atlas_poller_finalize;
  object_class->get_property = atlas_poller_get_property;
  object_class->set_property = atlas_poller_set_property;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         ATLAS_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VISIBLE] =
    g_param_spec_boolean ("visible", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODAL_OPEN] =
    g_param_spec_boolean ("modal-open", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_PACING] =
    g_param_spec_uint ("server-pacing", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IN_FLIGHT] =
    g_param_spec_boolean ("in-flight", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STOPPED] =
    g_param_spec_boolean ("stopped", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FAILURE_COUNT] =
    g_param_spec_uint ("failure-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_FAILURE] =
    g_param_spec_enum ("last-failure", NULL, NULL,
                       ATLAS_TYPE_POLL_FAILURE,
                       ATLAS_POLL_FAILURE_NONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BACKOFF] =
    g_param_spec_uint ("backoff", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NEXT_DUE] =
    g_param_spec_int64 ("next-due", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtlasPoller::tick:
   *
   * Time to fetch. Call atlas_poller_request_started() when the request goes out.
   */
  signals[TICK] =
    g_signal_new ("tick",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
atlas_poller_init (AtlasPoller *self)
{
  self->visible = TRUE;
  self->armed_due_us = -1;
  self->next_due_us = -1;
  self->notified_next_due_us = -1;
}

/**
 * atlas_poller_new:
 * @clock: (nullable): the time source, %NULL for the real one
 *
 * Returns: (transfer full): a poller with interval 0, visible, no modal open
 */
AtlasPoller *
atlas_poller_new (AtlasClock *clock)
{
  g_return_val_if_fail (clock == NULL || ATLAS_IS_CLOCK (clock), NULL);

  return g_object_new (ATLAS_TYPE_POLLER,
                       "clock", clock,
                       NULL);
}

/**
 * atlas_poller_get_clock:
 *
 * Returns: (transfer none): the clock times are measured on
 */
AtlasClock *
atlas_poller_get_clock (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), NULL);

  return self->clock;
}

guint
atlas_poller_get_interval (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), 0);

  return self->interval_ms;
}

/**
 * atlas_poller_set_interval:
 * @interval_ms: the presenter's poll interval, 0 to stop
 */
void
atlas_poller_set_interval (AtlasPoller *self,
                           guint        interval_ms)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  if (self->interval_ms == interval_ms)
    return;

  /* After a stop the old anchor may be long gone; restarting must not tick at once. */
  if (self->interval_ms == 0)
    self->anchor_us = atlas_poller_now (self);

  self->interval_ms = interval_ms;

  g_object_freeze_notify (G_OBJECT (self));
  atlas_poller_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
atlas_poller_get_visible (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  return self->visible;
}

/**
 * atlas_poller_set_visible:
 * @visible: whether the owner is mapped in a window that is not minimized
 */
void
atlas_poller_set_visible (AtlasPoller *self,
                          gboolean     visible)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  visible = !!visible;
  if (self->visible == visible)
    return;

  self->visible = visible;

  g_object_freeze_notify (G_OBJECT (self));
  atlas_poller_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
atlas_poller_get_modal_open (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  return self->modal_open;
}

void
atlas_poller_set_modal_open (AtlasPoller *self,
                             gboolean     modal_open)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  modal_open = !!modal_open;
  if (self->modal_open == modal_open)
    return;

  self->modal_open = modal_open;

  g_object_freeze_notify (G_OBJECT (self));
  atlas_poller_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODAL_OPEN]);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
atlas_poller_get_server_pacing (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), 0);

  return self->pacing_ms;
}

/**
 * atlas_poller_set_server_pacing:
 * @pacing_ms: X-Poll-Interval of the last response in ms, 0 for none; capped at 1 h
 */
void
atlas_poller_set_server_pacing (AtlasPoller *self,
                                guint        pacing_ms)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  pacing_ms = MIN (pacing_ms, ATLAS_POLLER_MAX_SERVER_WAIT_MS);
  if (self->pacing_ms == pacing_ms)
    return;

  self->pacing_ms = pacing_ms;

  g_object_freeze_notify (G_OBJECT (self));
  atlas_poller_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_PACING]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * atlas_poller_set_jitter_func:
 * @func: (nullable): returns values in [0, 1); %NULL for g_random_double()
 *
 * For tests: makes backoff deterministic.
 */
void
atlas_poller_set_jitter_func (AtlasPoller           *self,
                              AtlasPollerJitterFunc  func,
                              gpointer               user_data,
                              GDestroyNotify         destroy)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  if (self->jitter_destroy != NULL)
    g_clear_pointer (&self->jitter_data, self->jitter_destroy);

  self->jitter_func = func;
  self->jitter_data = user_data;
  self->jitter_destroy = destroy;
}

/**
 * atlas_poller_request_started:
 *
 * No tick until the matching request_finished_ok() or request_failed().
 */
void
atlas_poller_request_started (AtlasPoller *self)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));
  g_return_if_fail (self->in_flight < G_MAXUINT);

  self->in_flight++;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->in_flight == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
  atlas_poller_update (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
atlas_poller_request_finished_ok (AtlasPoller *self)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  g_object_freeze_notify (G_OBJECT (self));

  atlas_poller_finish_request (self);

  if (self->failure_count != 0)
    {
      self->failure_count = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_COUNT]);
    }

  self->backoff_from_server = FALSE;
  if (self->backoff_ms != 0)
    {
      self->backoff_ms = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF]);
    }

  if (self->last_failure != ATLAS_POLL_FAILURE_NONE)
    {
      self->last_failure = ATLAS_POLL_FAILURE_NONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_FAILURE]);
    }

  atlas_poller_update (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * atlas_poller_request_failed:
 * @kind: what went wrong; not %ATLAS_POLL_FAILURE_NONE
 * @retry_after_ms: the server's Retry-After in ms, 0 if none
 *
 * For transient failures. For 401/403/404 use atlas_poller_stop_permanently().
 */
void
atlas_poller_request_failed (AtlasPoller      *self,
                             AtlasPollFailure  kind,
                             guint             retry_after_ms)
{
  guint backoff_ms;

  g_return_if_fail (ATLAS_IS_POLLER (self));
  g_return_if_fail (kind > ATLAS_POLL_FAILURE_NONE && kind <= ATLAS_POLL_FAILURE_TIMEOUT);

  g_object_freeze_notify (G_OBJECT (self));

  atlas_poller_finish_request (self);

  if (self->failure_count < G_MAXUINT)
    {
      self->failure_count++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_COUNT]);
    }

  backoff_ms = atlas_poller_compute_backoff (self, retry_after_ms);
  if (self->backoff_ms != backoff_ms)
    {
      self->backoff_ms = backoff_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF]);
    }

  if (self->last_failure != kind)
    {
      self->last_failure = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_FAILURE]);
    }

  atlas_poller_update (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * atlas_poller_request_cancelled:
 *
 * Ends a request the owner cancelled (new target, shutdown). It says nothing about the
 * server, so backoff stays as it was; the wait restarts from now so that a cancel never
 * turns into an instant re-fetch.
 */
void
atlas_poller_request_cancelled (AtlasPoller *self)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  g_object_freeze_notify (G_OBJECT (self));
  atlas_poller_finish_request (self);
  atlas_poller_update (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * atlas_poller_stop_permanently:
 *
 * After 401/403/404: no tick at all, refresh_now() included, until atlas_poller_reset().
 */
void
atlas_poller_stop_permanently (AtlasPoller *self)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  if (self->stopped)
    return;

  self->stopped = TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  /* Stopping is how a request that ended in 401/403/404 is reported: it is over. */
  if (self->in_flight > 0)
    {
      self->in_flight = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
    }
  atlas_poller_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * atlas_poller_reset:
 *
 * Forgets a permanent stop and any backoff (new target, new session) and waits one
 * interval from now. Interval, visibility, modal, pacing and in-flight are kept.
 */
void
atlas_poller_reset (AtlasPoller *self)
{
  g_return_if_fail (ATLAS_IS_POLLER (self));

  g_object_freeze_notify (G_OBJECT (self));

  self->anchor_us = atlas_poller_now (self);

  if (self->stopped)
    {
      self->stopped = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED]);
    }

  if (self->failure_count != 0)
    {
      self->failure_count = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_COUNT]);
    }

  self->backoff_from_server = FALSE;
  if (self->backoff_ms != 0)
    {
      self->backoff_ms = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF]);
    }

  if (self->last_failure != ATLAS_POLL_FAILURE_NONE)
    {
      self->last_failure = ATLAS_POLL_FAILURE_NONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_FAILURE]);
    }

  atlas_poller_update (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * atlas_poller_refresh_now:
 *
 * The user asked for fresh data (Ctrl+R): emits ::tick before returning and restarts
 * the wait from now. Ignores pauses, backoff and pacing, because a person asked.
 *
 * Returns: %FALSE, without a tick, while a request is in flight or the poller is stopped
 */
gboolean
atlas_poller_refresh_now (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  if (self->disposed || self->stopped || self->in_flight > 0)
    return FALSE;

  atlas_poller_disarm (self);
  self->refreshing = TRUE;
  atlas_poller_emit_tick (self);
  self->refreshing = FALSE;

  return TRUE;
}

/* Whether the ::tick being emitted comes from refresh_now() (the user's Refresh). */
gboolean
atlas_poller_get_refreshing (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);
  return self->refreshing;
}

/**
 * atlas_poller_get_active:
 *
 * Returns: whether a timer source exists, i.e. a tick is scheduled
 */
gboolean
atlas_poller_get_active (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  return self->timeout_id != 0;
}

gboolean
atlas_poller_get_in_flight (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  return self->in_flight > 0;
}

gboolean
atlas_poller_get_stopped (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  return self->stopped;
}

/**
 * atlas_poller_get_failure_count:
 *
 * Returns: failed requests in a row since the last success or reset
 */
guint
atlas_poller_get_failure_count (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), 0);

  return self->failure_count;
}

AtlasPollFailure
atlas_poller_get_last_failure (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), ATLAS_POLL_FAILURE_NONE);

  return self->last_failure;
}

/**
 * atlas_poller_get_backoff:
 *
 * Returns: the current backoff wait in ms (jitter and Retry-After included), 0 if none
 */
guint
atlas_poller_get_backoff (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), 0);

  return self->backoff_ms;
}

/**
 * atlas_poller_get_next_due:
 *
 * Returns: when the scheduled tick fires, in µs on the poller's clock, or -1 when no
 *   tick is scheduled (stopped, interval 0, paused, in flight)
 */
gint64
atlas_poller_get_next_due (AtlasPoller *self)
{
  g_return_val_if_fail (ATLAS_IS_POLLER (self), -1);

  return self->next_due_us;
}

/**
 * atlas_poller_get_next_tick_in:
 *
 * For banners ("next retry in 12 s"); not a property, since it changes with time.
 *
 * Returns: ms until the scheduled tick (rounded up, at least 0), or -1 if none
 */
gint64
atlas_poller_get_next_tick_in (AtlasPoller *self)
{
  gint64 remaining_us;

  g_return_val_if_fail (ATLAS_IS_POLLER (self), -1);

  if (self->next_due_us < 0)
    return -1;

  remaining_us = self->next_due_us - atlas_poller_now (self);

  return MAX (0, (remaining_us + 999) / 1000);
}

/**
 * atlas_poller_report_error:
 * @self: a widget's poller
 * @error: how that widget's request failed
 *
 * The one mapping from a failed request to the polling rule: transient errors back
 * off (Retry-After as the floor), everything else (401/403/404, 400 …) stops the
 * widget's polling for good.
 *
 * Returns: %TRUE when the poller will try again
 */
gboolean
atlas_poller_report_error (AtlasPoller  *self,
                           const GError *error)
{
  AtlasPollFailure kind = ATLAS_POLL_FAILURE_SERVER_ERROR;

  g_return_val_if_fail (error != NULL, FALSE);
  g_return_val_if_fail (ATLAS_IS_POLLER (self), FALSE);

  if (!atlas_client_error_is_transient (error))
    {
      atlas_poller_stop_permanently (self);
      return FALSE;
    }

  /* Only transient codes get here (see atlas_client_error_is_transient ()). */
  if (error->code == ATLAS_CLIENT_ERROR_RATE_LIMITED)
    kind = ATLAS_POLL_FAILURE_RATE_LIMITED;
  else if (error->code == ATLAS_CLIENT_ERROR_UNAVAILABLE)
    kind = ATLAS_POLL_FAILURE_UNAVAILABLE;
  else if (error->code == ATLAS_CLIENT_ERROR_TIMEOUT)
    kind = ATLAS_POLL_FAILURE_TIMEOUT;
  else if (error->code == ATLAS_CLIENT_ERROR_NETWORK)
    kind = ATLAS_POLL_FAILURE_NETWORK;
  /* A failure says nothing about whether what is shown is active: a widget with no
   * timer yet (a first load, or a refresh of terminal data) must still retry. */
  if (atlas_poller_get_interval (self) == 0)
    atlas_poller_set_interval (self, ATLAS_POLL_SLOW_MS);
  atlas_poller_request_failed (self, kind, atlas_client_error_get_retry_after_ms (error));
  return TRUE;
}
