/* atlas-resource.c — one polled resource: fetch, report to the poller, emit for the current target
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GNOME Calendar's GcalTimeline plays this part there: the views only render what
 * they are given, and the one place that knows about requests, cancellation and
 * late answers is here.
 */

#define G_LOG_DOMAIN "atlas-resource"

#include "config.h"

#include "atlas-poll-policy.h"
#include "atlas-client-private.h"
#include "atlas-poller-private.h"
#include "atlas-resource-private.h"

struct _AtlasResource
{
  GObject                  parent_instance;

  AtlasClient             *client;
  AtlasPoller             *poller;
  GCancellable            *cancellable;
  AtlasResourceFetchFunc   fetch;
  gpointer                 fetch_data;
  AtlasResourceFinishFunc  finish;
  guint                    generation;        /* bumped whenever what is out is dropped */
  guint64                  fetch_count;
  gint64                   loaded_at;         /* server time of the last good answer; for this target */
  gboolean                 in_flight;
  gboolean                 retrying;          /* after the last failure */
  gboolean                 outlives_session;
  gboolean                 ended_by_session;
  gboolean                 forced;            /* the next fetch was asked for: never from the cache */

  AtlasResource           *source;            /* atlas_resource_follow(); weak */
  AtlasResourceExtractFunc extract;
  gulong                   source_updated_id;
};

/* What one request was for. The resource is not referenced: disposing it cancels,
 * and a cancelled request never touches it. */
typedef struct
{
  AtlasResource           *self;
  AtlasResourceFinishFunc  finish;
  guint                    generation;
} Pending;

enum {
  UPDATED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasResource, atlas_resource, G_TYPE_OBJECT)

static AtlasResponse *
client_fetch_finish (GObject       *source,
                     GAsyncResult  *result,
                     GError       **error)
{
  return atlas_client_fetch_finish (ATLAS_CLIENT (source), result, error);
}

/* Whatever is out belongs to a target that is no longer current. */
static void
drop_in_flight (AtlasResource *self)
{
  self->generation++;
  if (!self->in_flight)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = FALSE;
  atlas_poller_request_cancelled (self->poller);
}

/* The contract's rules: transient errors back off (Retry-After as the floor), the
 * rest stops for good — but a 401 only backs off what outlives the session. */
static void
report (AtlasResource *self,
        const GError  *error)
{
  if (self->outlives_session &&
      g_error_matches (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED))
    {
      /* A kiosk has no one to type a new token: it keeps asking, with backoff. */
      if (atlas_poller_get_interval (self->poller) == 0)
        atlas_poller_set_interval (self->poller, ATLAS_POLL_SLOW_MS);
      atlas_poller_request_failed (self->poller, ATLAS_POLL_FAILURE_SERVER_ERROR, 0);
      self->retrying = TRUE;
    }
  else
    self->retrying = atlas_poller_report_error (self->poller, error);
}

static void
fail (AtlasResource *self,
      const GError  *error)
{
  report (self, error);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
end_by_session (AtlasResource *self,
                const GError  *error)
{
  drop_in_flight (self);
  self->ended_by_session = TRUE;
  self->retrying = FALSE;
  atlas_poller_stop_permanently (self->poller);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Pending *pending = user_data;
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasResource *self;

  response = pending->finish (source, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* disposed, or dropped: the poller was told already */
  self = pending->self;
  if (pending->generation != self->generation)
    return;   /* an old target's answer that outran its cancellation: never emit it */
  self->in_flight = FALSE;

  if (response == NULL)
    {
      fail (self, error);
      return;
    }

  self->loaded_at = response->server_time;
  self->retrying = FALSE;
  atlas_poller_request_finished_ok (self->poller);
  atlas_poller_set_server_pacing (self->poller, response->poll_interval_ms);
  g_signal_emit (self, signals[UPDATED], 0, response);
}

static void
start_fetch (AtlasResource *self)
{
  Pending *pending = g_new0 (Pending, 1);
  AtlasResourceRequest request = { self->client, self->cancellable, ready_cb, pending };

  pending->self = self;
  pending->finish = self->finish;
  pending->generation = self->generation;
  /* Another widget's answer for the same URL from within half our interval serves us
   * too (the client's answer cache); Refresh always asks the server. */
  gboolean forced = self->forced || atlas_poller_get_refreshing (self->poller);
  guint max_age_ms = forced ? 0 : atlas_poller_get_interval (self->poller) / 2;

  self->in_flight = TRUE;
  self->forced = FALSE;
  self->fetch_count++;
  atlas_poller_request_started (self->poller);
  _atlas_client_set_next_max_age (self->client, atlas_poller_get_clock (self->poller), max_age_ms);
  self->fetch (&request, self->fetch_data);
  /* A fetch function that started nothing through the client must not leave it behind. */
  _atlas_client_set_next_max_age (self->client, NULL, 0);
}

static void
tick_cb (AtlasPoller   *poller,
         AtlasResource *self)
{
  if (self->in_flight)
    return;
  /* Following a page: its answer carries ours. The page's request serves both; while
   * it is out, its answer will come to us too. */
  if (self->source != NULL && !self->forced)
    {
      /* A page backing off keeps its backoff: we wait for its next try. */
      if (self->source->in_flight || self->source->retrying || atlas_resource_refresh (self->source))
        return;
    }
  start_fetch (self);
}

static void
unfollow (AtlasResource *self)
{
  if (self->source != NULL)
    g_clear_signal_handler (&self->source_updated_id, self->source);
  self->source_updated_id = 0;   /* a disposed source took its handlers along */
  g_clear_weak_pointer (&self->source);
  self->extract = NULL;
}

/* The followed resource's answer, with ours inside: as if we had fetched it. */
static void
source_updated_cb (AtlasResource *source,
                   AtlasResponse *response,
                   AtlasResource *self)
{
  gpointer part = self->extract (response->payload);
  g_autoptr(AtlasResponse) ours = NULL;

  if (part == NULL)
    return;   /* an older server: we fetch by our own rule */
  drop_in_flight (self);
  ours = atlas_response_new_part (response, part);
  self->loaded_at = ours->server_time;
  atlas_poller_request_started (self->poller);
  atlas_poller_request_finished_ok (self->poller);
  g_signal_emit (self, signals[UPDATED], 0, ours);
}

static void
session_ended_cb (AtlasClient   *client,
                  const GError  *error,
                  AtlasResource *self)
{
  if (!self->outlives_session)
    end_by_session (self, error);
}

static void
session_resumed_cb (AtlasClient   *client,
                    AtlasResource *self)
{
  if (!self->ended_by_session)
    return;
  self->ended_by_session = FALSE;
  atlas_poller_reset (self->poller);
  atlas_resource_load (self);
}

static void
atlas_resource_dispose (GObject *object)
{
  AtlasResource *self = (AtlasResource *)object;

  g_cancellable_cancel (self->cancellable);
  unfollow (self);
  g_clear_object (&self->poller);

  G_OBJECT_CLASS (atlas_resource_parent_class)->dispose (object);
}

static void
atlas_resource_finalize (GObject *object)
{
  AtlasResource *self = (AtlasResource *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (atlas_resource_parent_class)->finalize (object);
}

static void
atlas_resource_class_init (AtlasResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_resource_dispose;
  object_class->finalize = atlas_resource_finalize;

  /**
   * AtlasResource::updated:
   * @response: (type AtlasResponse): the answer, valid during the emission
   *
   * A good answer for the current target. The poller has been told (and has the
   * server's pacing); the handler renders and sets the next interval.
   */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * AtlasResource::failed:
   * @error: how the request for the current target failed, or the 401 that ended
   *   the session of the client
   *
   * The poller has been told: it retries transient errors with backoff and has
   * stopped for good on anything else.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
atlas_resource_init (AtlasResource *self)
{
  self->cancellable = g_cancellable_new ();
  self->finish = client_fetch_finish;
  self->loaded_at = ATLAS_TIME_NONE;
}

/**
 * atlas_resource_new:
 * @client: the client every request goes through
 * @clock: (nullable): the poller's clock; %NULL for the real one
 * @fetch: starts one request for the current target
 * @user_data: passed to @fetch; not owned (it is the resource's owner)
 *
 * Nothing is fetched until atlas_resource_load() or the first tick.
 */
AtlasResource *
atlas_resource_new (AtlasClient            *client,
                    AtlasClock             *clock,
                    AtlasResourceFetchFunc  fetch,
                    gpointer                user_data)
{
  AtlasResource *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (fetch != NULL, NULL);

  self = g_object_new (ATLAS_TYPE_RESOURCE, NULL);
  self->client = g_object_ref (client);
  self->fetch = fetch;
  self->fetch_data = user_data;
  self->poller = atlas_poller_new (clock);
  g_signal_connect_object (self->poller, "tick", G_CALLBACK (tick_cb), self, 0);
  g_signal_connect_object (client, "session-ended", G_CALLBACK (session_ended_cb), self, 0);
  g_signal_connect_object (client, "session-resumed", G_CALLBACK (session_resumed_cb), self, 0);

  return self;
}

/* For a fetch function that chains requests of its own and completes a GTask. */
void
atlas_resource_set_finish_func (AtlasResource           *self,
                                AtlasResourceFinishFunc  finish)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));
  self->finish = finish != NULL ? finish : client_fetch_finish;
}

/**
 * atlas_resource_set_outlives_session:
 *
 * For the one resource that must keep asking when the session has ended (a kiosk's
 * connection to its workspace): a 401 backs off like an outage instead of stopping,
 * and its first good answer is what resumes the session for the others.
 */
void
atlas_resource_set_outlives_session (AtlasResource *self,
                                     gboolean       outlives_session)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));
  self->outlives_session = !!outlives_session;
}

AtlasClient *
atlas_resource_get_client (AtlasResource *self)
{
  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), NULL);
  return self->client;
}

AtlasPoller *
atlas_resource_get_poller (AtlasResource *self)
{
  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), NULL);
  return self->poller;
}

gboolean
atlas_resource_get_in_flight (AtlasResource *self)
{
  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), FALSE);
  return self->in_flight;
}

/**
 * atlas_resource_get_retrying:
 *
 * Returns: after ::failed, whether the poller will try again by itself (a transient
 *   error) or has stopped for good (401/403/404 …)
 */
gboolean
atlas_resource_get_retrying (AtlasResource *self)
{
  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), FALSE);
  return self->retrying;
}

/**
 * atlas_resource_present_error:
 * @error: what ::failed brought
 * @subject: what this resource is, for the not-found and permission wording
 *
 * The error presenter's answer with what the resource knows: how old the data of
 * this target is (by the server's clock) and when the next try goes out.
 *
 * Returns: (transfer full): the presentation
 */
AtlasErrorPresentation *
atlas_resource_present_error (AtlasResource     *self,
                              const GError      *error,
                              AtlasErrorSubject  subject)
{
  AtlasErrorContext context = { subject, -1, -1, self->outlives_session };

  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (self->loaded_at != ATLAS_TIME_NONE)
    context.data_age = MAX (atlas_client_get_server_time (self->client) - self->loaded_at, 0);
  if (self->retrying)
    context.retry_in_ms = atlas_poller_get_next_tick_in (self->poller);
  return atlas_error_present (error, &context);
}

/* Requests this resource started, for tests and figures. */
guint64
atlas_resource_get_fetch_count (AtlasResource *self)
{
  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), 0);
  return self->fetch_count;
}

/* The interval the presenter chose for what the last answer showed; 0 stops polling. */
void
atlas_resource_set_interval (AtlasResource *self,
                             guint          interval_ms)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));
  atlas_poller_set_interval (self->poller, interval_ms);
}

/**
 * atlas_resource_load:
 *
 * Fetches now unless a request is already out: the first load, or a load the owner
 * decided on (a popover opening). After the session has ended it fetches nothing and
 * emits ::failed with the error that ended it.
 */
void
atlas_resource_load (AtlasResource *self)
{
  const GError *ended;

  g_return_if_fail (ATLAS_IS_RESOURCE (self));

  if (self->in_flight)
    return;
  ended = self->outlives_session ? NULL : atlas_client_get_session_error (self->client);
  if (ended != NULL)
    {
      end_by_session (self, ended);
      return;
    }
  start_fetch (self);
}

/**
 * atlas_resource_refresh:
 *
 * Ctrl+R: a tick now, unless a request is out or the poller has stopped for good.
 *
 * Returns: whether a request went out
 */
gboolean
atlas_resource_refresh (AtlasResource *self)
{
  gboolean sent;

  g_return_val_if_fail (ATLAS_IS_RESOURCE (self), FALSE);
  self->forced = TRUE;
  sent = atlas_poller_refresh_now (self->poller);
  self->forced = FALSE;
  return sent;
}

/**
 * atlas_resource_follow:
 * @source: (nullable): a resource whose answer carries this one's, or %NULL to stop
 * @extract: finds this resource's payload inside @source's; %NULL when it is absent
 *
 * While a page on screen fetches what this resource needs (the overview's
 * active_operations for the overlay), this resource sends nothing of its own: each
 * answer of @source is emitted here as ::updated (with the part @extract found) and
 * counts as this resource's answer for its poller. Its rule still decides when it
 * needs data: when it ticks before @source has answered again, @source is refreshed
 * (one request serves both); only when @source cannot ask (stopped) or its answers
 * lack the part does this resource fetch by itself.
 */
void
atlas_resource_follow (AtlasResource            *self,
                       AtlasResource            *source,
                       AtlasResourceExtractFunc  extract)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));
  g_return_if_fail (source == NULL || (ATLAS_IS_RESOURCE (source) && source != self && extract != NULL));

  if (source == self->source)
    return;
  unfollow (self);
  if (source == NULL)
    return;
  g_set_weak_pointer (&self->source, source);
  self->extract = extract;
  self->source_updated_id = g_signal_connect (source, "updated", G_CALLBACK (source_updated_cb), self);
  /* The page's request is out: its answer serves ours. */
  if (atlas_resource_get_in_flight (source))
    drop_in_flight (self);
}

/**
 * atlas_resource_back_off:
 * @error: what another request just ran into
 *
 * Plans the next fetch as if @error had been this resource's own answer (the usual
 * backoff, Retry-After as the floor), without emitting anything: a kiosk's connection
 * taking over after a view lost the backend.
 */
void
atlas_resource_back_off (AtlasResource *self,
                         const GError  *error)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));
  g_return_if_fail (error != NULL);

  report (self, error);
}

/**
 * atlas_resource_cancel:
 *
 * Drops the request that is out, if any: its answer is never emitted and the poller
 * is told (backoff unchanged). Nothing new is started; the poller's rule carries on —
 * for a request that must not stay out while its window is hidden.
 */
void
atlas_resource_cancel (AtlasResource *self)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));
  drop_in_flight (self);
}

/**
 * atlas_resource_retarget:
 *
 * The owner's target changed (another workspace, tenant, tab or page): the request
 * in flight is cancelled and its answer will never be emitted, the poller starts
 * clean (no backoff, no stop, no interval until the first answer), and the new
 * target loads at once.
 */
void
atlas_resource_retarget (AtlasResource *self)
{
  g_return_if_fail (ATLAS_IS_RESOURCE (self));

  drop_in_flight (self);
  self->ended_by_session = FALSE;
  self->loaded_at = ATLAS_TIME_NONE;
  atlas_poller_reset (self->poller);
  atlas_poller_set_interval (self->poller, 0);
  atlas_resource_load (self);
}
