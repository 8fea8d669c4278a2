/* atlas-run-watcher.c — one run kept current: an AtlasResource and the run-detail polling rule
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run detail view and `atlas-cli run --watch` share this: one object that knows
 * the run-detail polling rule end to end, so both follow it the same way.
 */

#define G_LOG_DOMAIN "atlas-run-watcher"

#include "config.h"

#include "atlas-poll-policy.h"
#include "atlas-resource-private.h"
#include "atlas-run-watcher-private.h"

struct _AtlasRunWatcher
{
  GObject        parent_instance;

  AtlasResource *resource;
  gint64         workspace_id;
  gint64         run_id;
  AtlasRun      *run;
  GError        *error;
  gint64         server_time;
  gint64         loaded_at;      /* server time of the last good answer */
  gboolean       finished;
};

enum {
  PROP_0,
  PROP_RUN,
  PROP_ERROR,
  PROP_FINISHED,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasRunWatcher, atlas_run_watcher, G_TYPE_OBJECT)

static void
set_error (AtlasRunWatcher *self,
           const GError    *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_finished (AtlasRunWatcher *self,
              gboolean         finished)
{
  if (self->finished == finished)
    return;
  self->finished = finished;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

static void
fetch_run (const AtlasResourceRequest *request,
           gpointer                    user_data)
{
  AtlasRunWatcher *self = user_data;

  atlas_client_get_run_async (request->client, self->workspace_id, self->run_id,
                              request->cancellable, request->callback, request->callback_data);
}

static void
updated_cb (AtlasResource   *resource,
            AtlasResponse   *response,
            AtlasRunWatcher *self)
{
  AtlasRunReply *reply = response->payload;
  guint interval;

  self->server_time = response->server_time;
  self->loaded_at = response->server_time;
  set_error (self, NULL);

  if (self->run == NULL)
    {
      self->run = g_object_ref (reply->run);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
    }
  else
    atlas_run_update_from (self->run, reply->run);

  interval = atlas_poll_interval_for_run (self->run, self->server_time);
  atlas_resource_set_interval (resource, interval);
  set_finished (self, interval == 0);

  g_signal_emit (self, signals[UPDATED], 0);
}

static void
failed_cb (AtlasResource   *resource,
           const GError    *error,
           AtlasRunWatcher *self)
{
  set_error (self, error);
  /* 401/403/404 and friends: no amount of polling will fix these. */
  if (!atlas_resource_get_retrying (resource))
    set_finished (self, TRUE);
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
atlas_run_watcher_dispose (GObject *object)
{
  AtlasRunWatcher *self = (AtlasRunWatcher *)object;

  g_clear_object (&self->resource);

  G_OBJECT_CLASS (atlas_run_watcher_parent_class)->dispose (object);
}

static void
atlas_run_watcher_finalize (GObject *object)
{
  AtlasRunWatcher *self = (AtlasRunWatcher *)object;

  g_clear_object (&self->run);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (atlas_run_watcher_parent_class)->finalize (object);
}

static void
atlas_run_watcher_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtlasRunWatcher *self = ATLAS_RUN_WATCHER (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_run_watcher_class_init (AtlasRunWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = atlas_run_watcher_dispose;
  object_class->finalize = atlas_run_watcher_finalize;
  object_class->get_property = atlas_run_watcher_get_property;

  properties[PROP_RUN] = g_param_spec_object ("run", NULL, NULL, ATLAS_TYPE_RUN, flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After every answer, good or bad; read run, error and finished then. */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atlas_run_watcher_init (AtlasRunWatcher *self)
{
  self->server_time = ATLAS_TIME_NONE;
  self->loaded_at = ATLAS_TIME_NONE;
}

/**
 * atlas_run_watcher_new:
 * @client: the client to fetch with
 * @clock: (nullable): the poller's clock; %NULL for the real one
 */
AtlasRunWatcher *
atlas_run_watcher_new (AtlasClient *client,
                       AtlasClock  *clock,
                       gint64       workspace_id,
                       gint64       run_id)
{
  AtlasRunWatcher *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_RUN_WATCHER, NULL);
  self->workspace_id = workspace_id;
  self->run_id = run_id;
  self->resource = atlas_resource_new (client, clock, fetch_run, self);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  g_signal_connect_object (self->resource, "failed", G_CALLBACK (failed_cb), self, 0);

  return self;
}

/* The first fetch goes out at once; the poller plans every later one. */
void
atlas_run_watcher_start (AtlasRunWatcher *self)
{
  g_return_if_fail (ATLAS_IS_RUN_WATCHER (self));
  atlas_resource_load (self->resource);
}

AtlasRun *
atlas_run_watcher_get_run (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), NULL);
  return self->run;
}

gint64
atlas_run_watcher_get_server_time (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), ATLAS_TIME_NONE);
  return self->server_time;
}

gint64
atlas_run_watcher_get_loaded_at (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), ATLAS_TIME_NONE);
  return self->loaded_at;
}

const GError *
atlas_run_watcher_get_error (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), NULL);
  return self->error;
}

gboolean
atlas_run_watcher_get_finished (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), FALSE);
  return self->finished;
}

/**
 * atlas_run_watcher_present_error:
 *
 * Returns: (transfer full) (nullable): how to show the last answer's error (with the
 *   age of the run on screen and the next try), or %NULL when there is none
 */
AtlasErrorPresentation *
atlas_run_watcher_present_error (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), NULL);

  if (self->error == NULL)
    return NULL;
  return atlas_resource_present_error (self->resource, self->error, ATLAS_ERROR_SUBJECT_OPERATION);
}

AtlasPoller *
atlas_run_watcher_get_poller (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

guint64
atlas_run_watcher_get_fetch_count (AtlasRunWatcher *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_WATCHER (self), 0);
  return atlas_resource_get_fetch_count (self->resource);
}
