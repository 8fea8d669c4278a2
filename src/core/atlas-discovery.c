/* atlas-discovery.c — one window's watch on its workspace overview (see the header)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-discovery"

#include "config.h"

#include "atlas-discovery-private.h"
#include "atlas-resource-private.h"

struct _AtlasDiscovery
{
  GObject        parent_instance;

  AtlasResource *resource;
  AtlasClock    *clock;
  gint64         workspace_id;
  gint64         started_us;     /* on the poller's clock, when the last request went out */
  guint64        changes;
  gpointer       seen;           /* the overview payload of the last answer, or NULL */
  gboolean       held;           /* the last answer carried Preference-Applied */
  AtlasPoller   *page_poller;    /* the poller of the page's own overview resource, or NULL */
  gboolean       deferring;      /* that page polls the overview itself: nothing to add */
};

enum {
  PROP_0,
  PROP_HELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasDiscovery, atlas_discovery, G_TYPE_OBJECT)

static void
fetch_overview (const AtlasResourceRequest *request,
                gpointer                    user_data)
{
  AtlasDiscovery *self = user_data;

  self->started_us = atlas_clock_get_now_us (self->clock);
  atlas_client_wait_overview_async (request->client, self->workspace_id, ATLAS_DISCOVERY_WAIT_S,
                                    request->cancellable, request->callback, request->callback_data);
}

/* The next request one minute after this one started (at least a second after its
 * answer): right after a held 304, a minute after an answer that came at once. */
static void
plan_next (AtlasDiscovery *self)
{
  if (self->deferring)
    return;
  gint64 elapsed_ms = (atlas_clock_get_now_us (self->clock) - self->started_us) / 1000;
  gint64 wait_ms = ATLAS_DISCOVERY_INTERVAL_MS - MAX (elapsed_ms, 0);

  atlas_resource_set_interval (self->resource, (guint) CLAMP (wait_ms, 1000, ATLAS_DISCOVERY_INTERVAL_MS));
}

static void
updated_cb (AtlasResource  *resource,
            AtlasResponse  *response,
            AtlasDiscovery *self)
{
  gboolean changed;

  if (self->held != response->preference_applied)
    {
      self->held = response->preference_applied;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
    }
  plan_next (self);
  /* A 304 can still be news: another load of the overview (a page's own poll) may
   * have brought the change into the client's cache since our last answer. */
  changed = self->seen != NULL ? response->payload != self->seen : !response->not_modified;
  g_clear_pointer (&self->seen, atlas_payload_unref);
  self->seen = atlas_payload_ref (response->payload);
  if (changed)
    {
      self->changes++;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static void
failed_cb (AtlasResource  *resource,
           const GError   *error,
           AtlasDiscovery *self)
{
  /* The poller backs off from the full minute; a hold that ran out of its deadline
   * is a timeout like any other. */
  if (atlas_resource_get_retrying (resource) && !self->deferring)
    atlas_resource_set_interval (self->resource, ATLAS_DISCOVERY_INTERVAL_MS);
}

/* Hidden or minimized: nothing may stay out, not even a request the server holds. */
static void
visible_changed_cb (AtlasPoller    *poller,
                    GParamSpec     *pspec,
                    AtlasDiscovery *self)
{
  if (!atlas_poller_get_visible (poller) && atlas_resource_get_in_flight (self->resource))
    atlas_resource_cancel (self->resource);
}

/* While the page on screen polls the workspace overview by its own rule (something
 * in it is active), every one of its answers tells the window what discovery would:
 * discovery sends nothing, and a request held meanwhile is let go. When the page goes
 * quiet (its rule stops), discovery starts again, its first request a full minute
 * after that page's last load, and a 304 then means "nothing since that load". */
static void
update_deferral (AtlasDiscovery *self)
{
  gboolean defer = self->page_poller != NULL && atlas_poller_get_interval (self->page_poller) > 0;

  if (defer == self->deferring)
    return;
  self->deferring = defer;
  if (defer)
    {
      atlas_resource_set_interval (self->resource, 0);
      if (atlas_resource_get_in_flight (self->resource))
        atlas_resource_cancel (self->resource);
      return;
    }
  g_clear_pointer (&self->seen, atlas_payload_unref);
  /* From a stopped poller the minute counts from now (atlas_poller_set_interval). */
  atlas_resource_set_interval (self->resource, ATLAS_DISCOVERY_INTERVAL_MS);
}

static void
page_interval_cb (AtlasPoller    *poller,
                  GParamSpec     *pspec,
                  AtlasDiscovery *self)
{
  update_deferral (self);
}

static void
clear_page (AtlasDiscovery *self)
{
  if (self->page_poller == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->page_poller, page_interval_cb, self);
  g_clear_object (&self->page_poller);
}

static void
atlas_discovery_dispose (GObject *object)
{
  AtlasDiscovery *self = (AtlasDiscovery *)object;

  clear_page (self);
  g_clear_object (&self->resource);

  G_OBJECT_CLASS (atlas_discovery_parent_class)->dispose (object);
}

static void
atlas_discovery_finalize (GObject *object)
{
  AtlasDiscovery *self = (AtlasDiscovery *)object;

  g_clear_object (&self->clock);
  g_clear_pointer (&self->seen, atlas_payload_unref);

  G_OBJECT_CLASS (atlas_discovery_parent_class)->finalize (object);
}

static void
atlas_discovery_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtlasDiscovery *self = ATLAS_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_discovery_class_init (AtlasDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_discovery_dispose;
  object_class->finalize = atlas_discovery_finalize;
  object_class->get_property = atlas_discovery_get_property;

  properties[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtlasDiscovery::changed:
   *
   * The overview changed since the window last loaded it.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atlas_discovery_init (AtlasDiscovery *self)
{
}

/**
 * atlas_discovery_new:
 * @clock: (nullable): the clock of the window's pollers
 *
 * Starts watching: the first request goes out one full minute from now (the window
 * has just loaded what it shows).
 */
AtlasDiscovery *
atlas_discovery_new (AtlasClient *client,
                     AtlasClock  *clock,
                     gint64       workspace_id)
{
  AtlasDiscovery *self;
  AtlasPoller *poller;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (workspace_id > 0, NULL);

  self = g_object_new (ATLAS_TYPE_DISCOVERY, NULL);
  self->workspace_id = workspace_id;
  self->resource = atlas_resource_new (client, clock, fetch_overview, self);
  poller = atlas_resource_get_poller (self->resource);
  self->clock = g_object_ref (clock != NULL ? clock : atlas_clock_get_default ());
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  g_signal_connect_object (self->resource, "failed", G_CALLBACK (failed_cb), self, 0);
  g_signal_connect_object (poller, "notify::visible", G_CALLBACK (visible_changed_cb), self, 0);
  atlas_resource_set_interval (self->resource, ATLAS_DISCOVERY_INTERVAL_MS);
  return self;
}

AtlasPoller *
atlas_discovery_get_poller (AtlasDiscovery *self)
{
  g_return_val_if_fail (ATLAS_IS_DISCOVERY (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

/**
 * atlas_discovery_set_page:
 * @page: (nullable): the resource of the page on screen if it loads this workspace's
 *   overview (the overview page), or %NULL for any other page
 *
 * While @page polls by its own rule, discovery has nothing to add and sends nothing
 * (see update_deferral()).
 */
void
atlas_discovery_set_page (AtlasDiscovery *self,
                          AtlasResource  *page)
{
  AtlasPoller *poller;

  g_return_if_fail (ATLAS_IS_DISCOVERY (self));
  g_return_if_fail (page == NULL || ATLAS_IS_RESOURCE (page));

  poller = page != NULL ? atlas_resource_get_poller (page) : NULL;
  if (poller == self->page_poller)
    return;
  clear_page (self);
  if (poller != NULL)
    {
      self->page_poller = g_object_ref (poller);
      g_signal_connect (poller, "notify::interval", G_CALLBACK (page_interval_cb), self);
    }
  update_deferral (self);
}

/* Whether the server held the last request (it answered Preference-Applied). */
gboolean
atlas_discovery_get_held (AtlasDiscovery *self)
{
  g_return_val_if_fail (ATLAS_IS_DISCOVERY (self), FALSE);
  return self->held;
}

guint64
atlas_discovery_get_request_count (AtlasDiscovery *self)
{
  g_return_val_if_fail (ATLAS_IS_DISCOVERY (self), 0);
  return atlas_resource_get_fetch_count (self->resource);
}

guint64
atlas_discovery_get_change_count (AtlasDiscovery *self)
{
  g_return_val_if_fail (ATLAS_IS_DISCOVERY (self), 0);
  return self->changes;
}
