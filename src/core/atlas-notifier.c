/* atlas-notifier.c — terminal-run notifications: each exactly once, across restarts
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polls /me/notifications once at start-up, then every 10 s only while the user has
 * runs they started that are still active (/me's active_initiated_count). The last
 * notification id seen is kept per backend and user in a small key file, so a
 * restart does not repeat what was already shown.
 */

#define G_LOG_DOMAIN "atlas-notifier"

#include "config.h"

#include "atlas-notifier.h"
#include "atlas-poll-policy.h"

struct _AtlasNotifier
{
  GObject       parent_instance;

  AtlasClient  *client;
  AtlasPoller  *poller;
  GCancellable *cancellable;
  char         *state_path;
  char         *key;            /* "backend-url user-id" */
  gint64        last_id;        /* -1 until known */
  gint64        active_initiated;
  gboolean      fed;            /* the count comes from the owner, not from /me */
  guint64       emitted;
};

enum {
  NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasNotifier, atlas_notifier, G_TYPE_OBJECT)

#define STATE_GROUP "last-notification-id"

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

static void
notifications_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AtlasNotifier *self;
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasNotificationList *list;

  response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (response == NULL)
    {
      atlas_poller_report_error (self->poller, error);
      return;
    }

  list = response->payload;
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

  atlas_poller_request_finished_ok (self->poller);
  atlas_poller_set_server_pacing (self->poller, response->poll_interval_ms);
  atlas_poller_set_interval (self->poller, atlas_poll_interval_for_notifications (self->active_initiated));
}

static void
fetch_notifications (AtlasNotifier *self)
{
  atlas_client_get_notifications_async (self->client, MAX (self->last_id, 0), self->cancellable,
                                        notifications_cb, self);
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  AtlasNotifier *self;
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasMe *me;

  response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (response == NULL)
    {
      atlas_poller_report_error (self->poller, error);
      return;
    }

  me = response->payload;
  self->active_initiated = me->active_initiated_count;
  if (self->key == NULL)
    {
      self->key = g_strdup_printf ("%s user-%" G_GINT64_FORMAT,
                                   atlas_client_get_base_url (self->client), me->user_id);
      self->last_id = load_last_id (self);
    }
  fetch_notifications (self);
}

static void
tick_cb (AtlasPoller   *poller,
         AtlasNotifier *self)
{
  atlas_poller_request_started (self->poller);
  /* Once the owner tells us how many of the user's runs are going, /me is not
   * polled: only the notifications endpoint, as the rule says. */
  if (self->fed && self->key != NULL)
    fetch_notifications (self);
  else
    atlas_client_get_me_async (self->client, self->cancellable, me_cb, self);
}

static void
atlas_notifier_dispose (GObject *object)
{
  AtlasNotifier *self = (AtlasNotifier *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->poller);

  G_OBJECT_CLASS (atlas_notifier_parent_class)->dispose (object);
}

static void
atlas_notifier_finalize (GObject *object)
{
  AtlasNotifier *self = (AtlasNotifier *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
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
  self->cancellable = g_cancellable_new ();
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
  self->client = g_object_ref (client);
  self->state_path = g_strdup (state_path);
  self->poller = atlas_poller_new (clock);
  g_signal_connect_object (self->poller, "tick", G_CALLBACK (tick_cb), self, 0);
  return self;
}

/* Once at start-up; afterwards the rule decides. */
void
atlas_notifier_start (AtlasNotifier *self)
{
  g_return_if_fail (ATLAS_IS_NOTIFIER (self));
  atlas_poller_refresh_now (self->poller);
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
    atlas_poller_refresh_now (self->poller);
  else
    atlas_poller_set_interval (self->poller, atlas_poll_interval_for_notifications (self->active_initiated));
}

/* The user just started something (e.g. a review pack): look again now. */
void
atlas_notifier_poke (AtlasNotifier *self)
{
  g_return_if_fail (ATLAS_IS_NOTIFIER (self));
  atlas_poller_refresh_now (self->poller);
}

AtlasPoller *
atlas_notifier_get_poller (AtlasNotifier *self)
{
  g_return_val_if_fail (ATLAS_IS_NOTIFIER (self), NULL);
  return self->poller;
}

char *
atlas_notifier_default_state_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "tenantatlas-operator", "notifications.ini", NULL);
}
