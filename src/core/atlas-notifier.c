/* atlas-notifier.c — terminal-run notifications: each exactly once, across restarts
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polls /me/notifications once at start-up, then every 10 s only while the user has
 * runs they started that are still active (/me's active_initiated_count). While the
 * window is shown and a view on screen (the overlay, or the page it reads) tells the
 * notifier how many of the user's runs are active, it does not poll at all: it fetches
 * once when that count drops, i.e. when one of the runs left the active set. With the
 * window hidden nobody tells it, so the 10 s rule (with /me for the count) holds. The last
 * notification id seen is kept per backend and user in a small key file, so a
 * restart does not repeat what was already shown.
 */

#define G_LOG_DOMAIN "atlas-notifier"

#include "config.h"

#include "atlas-notifier.h"
#include "atlas-poll-policy.h"
#include "atlas-resource.h"

struct _AtlasNotifier
{
  GObject        parent_instance;

  AtlasResource *resource;
  char          *state_path;
  char         *key;            /* "backend-url user-id" */
  gint64        last_id;        /* -1 until known */
  gint64        active_initiated;
  gboolean      fed;            /* the count comes from the owner, not from /me */
  gboolean      hidden;         /* the window is not shown: the feed has stopped */
  guint64       emitted;
};

enum {
  NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasNotifier, atlas_notifier, G_TYPE_OBJECT)

#define STATE_GROUP "last-notification-id"

/* Fed by a view on screen: no timer, the drop of the count triggers the fetch. */
static guint
notifier_interval (AtlasNotifier *self)
{
  if (self->fed && !self->hidden)
    return 0;
  return atlas_poll_interval_for_notifications (self->active_initiated);
}

static gint64
load_last_id (AtlasNotifier *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->state_path == NULL ||
      !g_key_file_load_from_file (file, self->state_path, G_KEY_FILE_NONE, NULL))
    return -1;
  id = g_key_file_get_int64 (file, STATE_GROUP, self->key, &error);
  return error != NULL ? -1 : id;
}

static void
save_last_id (AtlasNotifier *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (self->state_path == NULL)
    return;   /* kept in memory only */
  dir = g_path_get_dirname (self->state_path);
  g_key_file_load_from_file (file, self->state_path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_int64 (file, STATE_GROUP, self->key, self->last_id);
  g_mkdir_with_parents (dir, 0700);
  /* Atomic: a crash mid-write must not bring old notifications back. */
  if (!g_key_file_save_to_file (file, self->state_path, &error))
    g_warning ("Could not remember the last notification: %s", error->message);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = (*(AtlasNotification * const *) a)->id;
  gint64 y = (*(AtlasNotification * const *) b)->id;

  return x < y ? -1 : x > y;
}

/* The resource's answer is the notifications; /me first, while the notifier does not
 * know the user yet or nobody feeds it the count. */
static void
notifications_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  AtlasResponse *response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);

  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, response, (GDestroyNotify) atlas_response_unref);
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(AtlasResponse) response = NULL;
  GError *error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AtlasNotifier *self;
  AtlasMe *me;

  response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);
  if (response == NULL)
    {
      /* Cancelled included: the notifier may be gone, so it is not touched. */
      g_task_return_error (task, error);
      return;
    }

  self = g_task_get_task_data (task);
  me = response->payload;
  self->active_initiated = me->active_initiated_count;
  if (self->key == NULL)
    {
      self->key = g_strdup_printf ("%s user-%" G_GINT64_FORMAT,
                                   atlas_client_get_base_url (ATLAS_CLIENT (object)), me->user_id);
      self->last_id = load_last_id (self);
    }
  atlas_client_get_notifications_async (ATLAS_CLIENT (object), MAX (self->last_id, 0), cancellable,
                                        notifications_cb, g_steal_pointer (&task));
}

static void
fetch_notifications (const AtlasResourceRequest *request,
                     gpointer                    user_data)
{
  AtlasNotifier *self = user_data;
  /* No source object: a task must not keep the notifier alive past its owner. */
  GTask *task = g_task_new (NULL, request->cancellable, request->callback, request->callback_data);

  g_task_set_task_data (task, self, NULL);
  /* Once the owner tells us how many of the user's runs are going, /me is not
   * polled: only the notifications endpoint, as the rule says. */
  if (self->fed && !self->hidden && self->key != NULL)
    atlas_client_get_notifications_async (request->client, MAX (self->last_id, 0), request->cancellable,
                                          notifications_cb, task);
  else
    atlas_client_get_me_async (request->client, request->cancellable, me_cb, task);
}

static AtlasResponse *
fetch_notifications_finish (GObject       *source,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
updated_cb (AtlasResource *resource,
            AtlasResponse *response,
            AtlasNotifier *self)
{
  AtlasNotificationList *list = response->payload;

  g_ptr_array_sort (list->notifications, compare_ids);

  if (self->last_id < 0)
    {
      /* First run for this backend and user: remember where we are, show nothing old. */
      self->last_id = 0;
      for (guint i = 0; i < list->notifications->len; i++)
        self->last_id = MAX (self->last_id, ((AtlasNotification *) g_ptr_array_index (list->notifications, i))->id);
      save_last_id (self);
    }
  else
    for (guint i = 0; i < list->notifications->len; i++)
      {
        AtlasNotification *n = g_ptr_array_index (list->notifications, i);

        if (n->id <= self->last_id)
          continue;   /* exactly once, whatever the server repeats */
        /* Remember before showing: a crash after showing must not show it twice. */
        self->last_id = n->id;
        save_last_id (self);
        self->emitted++;
        g_signal_emit (self, signals[NOTIFICATION], 0, n);
      }

  atlas_resource_set_interval (resource, notifier_interval (self));
}

static void
atlas_notifier_dispose (GObject *object)
{
  AtlasNotifier *self = (AtlasNotifier *)object;

  g_clear_object (&self->resource);

  G_OBJECT_CLASS (atlas_notifier_parent_class)->dispose (object);
}

static void
atlas_notifier_finalize (GObject *object)
{
  AtlasNotifier *self = (AtlasNotifier *)object;

  g_free (self->state_path);
  g_free (self->key);

  G_OBJECT_CLASS (atlas_notifier_parent_class)->finalize (object);
}

static void
atlas_notifier_class_init (AtlasNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atlas_notifier_dispose;
  object_class->finalize = atlas_notifier_finalize;

  /* The AtlasNotification is valid during the emission only. */
  signals[NOTIFICATION] = g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
atlas_notifier_init (AtlasNotifier *self)
{
  self->last_id = -1;
}

/**
 * atlas_notifier_new:
 * @state_path: (nullable): the key file that remembers the last notification per
 *   backend and user; %NULL keeps it in memory (a demo backend, new at every start)
 */
AtlasNotifier *
atlas_notifier_new (AtlasClient *client,
                    AtlasClock  *clock,
                    const char  *state_path)
{
  AtlasNotifier *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_NOTIFIER, NULL);
  self->state_path = g_strdup (state_path);
  self->resource = atlas_resource_new (client, clock, fetch_notifications, self);
  atlas_resource_set_finish_func (self->resource, fetch_notifications_finish);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  return self;
}

/* Once at start-up; afterwards the rule decides. */
void
atlas_notifier_start (AtlasNotifier *self)
{
  g_return_if_fail (ATLAS_IS_NOTIFIER (self));
  atlas_resource_load (self->resource);
}

/**
 * atlas_notifier_set_active_initiated:
 * @count: how many active runs the user started, as another view just learnt
 *
 * The active-operations overlay polls while such runs exist and carries
 * initiated_by_me, so it feeds this instead of the notifier polling /me. When the
 * count drops, one more fetch picks up the notifications of the runs that ended.
 */
void
atlas_notifier_set_active_initiated (AtlasNotifier *self,
                                     gint64         count)
{
  gint64 before;

  g_return_if_fail (ATLAS_IS_NOTIFIER (self));

  before = self->active_initiated;
  self->fed = TRUE;
  self->active_initiated = MAX (count, 0);
  if (self->key == NULL)
    return;   /* still starting: the first answer sets the interval */
  if (self->active_initiated < before)
    atlas_resource_refresh (self->resource);
  else
    atlas_resource_set_interval (self->resource, notifier_interval (self));
}

/**
 * atlas_notifier_set_shown:
 * @shown: whether the window is on screen (mapped, not minimized)
 *
 * Hidden, the views that feed the count stop polling, so the notifier goes back to
 * its own 10 s rule and learns the count from /me; shown again, the next feed
 * takes over.
 */
void
atlas_notifier_set_shown (AtlasNotifier *self,
                          gboolean       shown)
{
  g_return_if_fail (ATLAS_IS_NOTIFIER (self));

  if (self->hidden == !shown)
    return;
  self->hidden = !shown;
  if (self->key == NULL)
    return;   /* still starting: the first answer sets the interval */
  atlas_resource_set_interval (self->resource, notifier_interval (self));
}

/* The user just started something (e.g. a review pack): look again now. */
void
atlas_notifier_poke (AtlasNotifier *self)
{
  g_return_if_fail (ATLAS_IS_NOTIFIER (self));
  atlas_resource_refresh (self->resource);
}

AtlasPoller *
atlas_notifier_get_poller (AtlasNotifier *self)
{
  g_return_val_if_fail (ATLAS_IS_NOTIFIER (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

char *
atlas_notifier_default_state_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "tenantatlas-operator", "notifications.ini", NULL);
}
