/* atlas-window.c — header bar, page navigation, refresh, and the connection to a workspace
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-window"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-active-ops.h"
#include "atlas-discovery.h"
#include "atlas-minute-tick.h"
#include "atlas-notifier.h"
#include "atlas-operations-list.h"
#include "atlas-overview.h"
#include "atlas-page.h"
#include "atlas-tenant-dashboard.h"
#include "atlas-tenant-summary.h"
#include "atlas-ui-util.h"
#include "atlas-poll-policy.h"
#include "atlas-poller.h"
#include "atlas-resource.h"
#include "atlas-run-detail.h"
#include "atlas-run-presenter.h"
#include "atlas-stale-notices.h"
#include "atlas-ui-util.h"
#include "atlas-visibility.h"
#include "atlas-window-private.h"

struct _AtlasWindow
{
  AdwApplicationWindow  parent_instance;

  AtlasClient          *client;
  AtlasClock           *clock;
  AtlasResource        *connection;   /* /me, until connected (and in a kiosk's recovery) */
  gint64                workspace_id;
  gint64                initial_run_id;
  char                 *workspace_name;
  gboolean              can_generate;
  gint64                initial_tenant_id;
  gboolean              initial_operations;
  gboolean              kiosk;
  gboolean              recovering;
  AtlasDiscovery       *discovery;    /* while connected, unless turned off */
  gboolean              discovery_off;
  AtlasNotifier        *notifier;
  AtlasPoller          *notifier_presence;   /* never ticks: tells whether the window is shown */
  AtlasWindowNotify     notify_stale;   /* likely-stale runs of the workspace */
  AtlasStaleNotices    *stale_notices;  /* while connected and announcing them */
  guint                 stale_announced;
  AtlasWindowNotify     notify_failures;
  AtlasStaleNotices    *failure_notices; /* runs whose failure was announced, across restarts */
  GHashTable           *active_ids;     /* the overlay's runs at its last answer: gint64 * */
  guint                 failures_announced;
  guint                 cursor_timeout_id;
  guint                 rotate_id;
  guint                 rotate_index;
  guint                 inhibit_cookie;
  gboolean              offline;        /* kiosk: the backend stopped answering */
  GDateTime            *offline_since;
  GDateTime            *updated_at;     /* kiosk: the last good answer */
  guint                 probe_id;       /* on the clock, while offline */
  GCancellable         *probe_cancellable;
  guint                 clock_tick_id;  /* the header's clock, kiosk only */
  GPtrArray            *history;     /* GtkWidget*, the pages under the visible one */
  GBinding             *title_binding;   /* the visible page's, or NULL */
  GBinding             *subtitle_binding;

  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkWidget            *back_button;
  GtkWidget            *refresh_button;
  GtkWidget            *all_ops_button;
  GtkWidget            *menu_button;
  AdwWindowTitle       *window_title;
  AdwBin               *active_ops_slot;
  GtkStack             *pages;
  GtkWidget            *active_ops;
  GtkWidget            *connect_page;
  GtkWidget            *kiosk_status;
  GtkLabel             *kiosk_clock;
  GtkLabel             *kiosk_updated;
  GtkLabel             *offline_banner;
  GtkWidget            *offer_buttons[4];   /* by AtlasWindowOffers bit */

  gboolean              connected;
  AtlasDeepLink         pending_link;       /* a link that came before /me answered */
  AtlasWindowNotify     notify;
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasWindow, atlas_window, ADW_TYPE_APPLICATION_WINDOW)

/* A page without a subtitle of its own shows the workspace it belongs to. */
static gboolean
subtitle_transform (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  AtlasWindow *self = user_data;
  const char *subtitle = g_value_get_string (from);

  if (subtitle == NULL || *subtitle == '\0')
    subtitle = self->workspace_name ? self->workspace_name : "";
  g_value_set_string (to, subtitle);
  return TRUE;
}

static gboolean
title_transform (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  const char *title = g_value_get_string (from);

  g_value_set_string (to, title != NULL ? title : _("TenantAtlas Operator"));
  return TRUE;
}

/* What the window list, the task switcher and screen readers say follows the
 * header: "Run #15 — TenantAtlas Operator". */
static void
window_title_changed_cb (AdwWindowTitle *title_widget,
                         GParamSpec     *pspec,
                         AtlasWindow    *self)
{
  const char *title = adw_window_title_get_title (title_widget);

  if (title != NULL && title[0] != '\0' && g_strcmp0 (title, _("TenantAtlas Operator")) != 0)
    {
      /* TRANSLATORS: the window title, "Run #15 — TenantAtlas Operator" */
      g_autofree char *full = g_strdup_printf (_("%s — TenantAtlas Operator"), title);

      gtk_window_set_title (GTK_WINDOW (self), full);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("TenantAtlas Operator"));
}

/* The window holds a reference: a binding otherwise dies with its page. */
static void
clear_binding (GBinding **binding)
{
  if (*binding == NULL)
    return;
  g_binding_unbind (*binding);
  g_clear_object (binding);
}

static gpointer
overview_active_operations (gpointer payload)
{
  return ((AtlasWorkspaceOverview *) payload)->active_operations;
}

static gpointer
dashboard_active_operations (gpointer payload)
{
  return ((AtlasDashboard *) payload)->active_operations;
}

/* The overview and a dashboard carry the overlay's list: it reads theirs instead of
 * asking again (issue 16); on every other page it polls its own. */
static void
follow_page (AtlasWindow *self,
             GtkWidget   *page)
{
  /* The overview page's own polls of the overview make discovery's redundant. */
  if (self->discovery != NULL)
    atlas_discovery_set_page (self->discovery,
                              ATLAS_IS_OVERVIEW (page) ? atlas_overview_get_resource (ATLAS_OVERVIEW (page)) : NULL);
  if (self->active_ops == NULL)
    return;
  if (ATLAS_IS_OVERVIEW (page))
    atlas_active_ops_follow (ATLAS_ACTIVE_OPS (self->active_ops), atlas_overview_get_resource (ATLAS_OVERVIEW (page)),
                             overview_active_operations);
  else if (ATLAS_IS_TENANT_DASHBOARD (page))
    atlas_active_ops_follow (ATLAS_ACTIVE_OPS (self->active_ops),
                             atlas_tenant_dashboard_get_resource (ATLAS_TENANT_DASHBOARD (page)),
                             dashboard_active_operations);
  else
    atlas_active_ops_follow (ATLAS_ACTIVE_OPS (self->active_ops), NULL, NULL);
}

static void
show_page (AtlasWindow *self,
           GtkWidget   *page)
{
  clear_binding (&self->title_binding);
  clear_binding (&self->subtitle_binding);
  gtk_stack_set_visible_child (self->pages, page);
  if (ATLAS_IS_PAGE (page))
    {
      self->title_binding =
        g_object_ref (g_object_bind_property_full (page, "title", self->window_title, "title",
                                                   G_BINDING_SYNC_CREATE, title_transform, NULL, NULL, NULL));
      self->subtitle_binding =
        g_object_ref (g_object_bind_property_full (page, "subtitle", self->window_title, "subtitle",
                                                   G_BINDING_SYNC_CREATE, subtitle_transform, NULL, self, NULL));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("TenantAtlas Operator"));
      adw_window_title_set_subtitle (self->window_title, self->workspace_name ? self->workspace_name : "");
    }
  gtk_widget_set_visible (self->back_button, self->history->len > 0);
  follow_page (self, page);
}

/**
 * atlas_window_push_page:
 * @page: (transfer floating): a page; it is destroyed when navigated away from by Back
 */
void
atlas_window_push_page (AtlasWindow *self,
                        GtkWidget   *page)
{
  GtkWidget *current;

  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  current = gtk_stack_get_visible_child (self->pages);
  if (current != NULL)
    g_ptr_array_add (self->history, current);
  gtk_stack_add_child (self->pages, page);
  show_page (self, page);
}

/* Replaces every page (a new start page after connecting, or a workspace switch). */
static void
set_root_page (AtlasWindow *self,
               GtkWidget   *page)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->history, 0);
  if (gtk_widget_get_parent (page) != GTK_WIDGET (self->pages))
    gtk_stack_add_child (self->pages, page);
  show_page (self, page);
  /* Removing a page disposes it, which cancels its requests: no late answer paints.
   * The connect page stays: a kiosk comes back to it when the backend goes away. */
  child = gtk_widget_get_first_child (GTK_WIDGET (self->pages));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != page && child != self->connect_page)
        gtk_stack_remove (self->pages, child);
      child = next;
    }
}

void
atlas_window_go_back (AtlasWindow *self)
{
  GtkWidget *leaving, *previous;

  g_return_if_fail (ATLAS_IS_WINDOW (self));

  if (self->history->len == 0)
    return;
  leaving = gtk_stack_get_visible_child (self->pages);
  previous = g_ptr_array_steal_index (self->history, self->history->len - 1);
  show_page (self, previous);
  gtk_stack_remove (self->pages, leaving);
}

GtkWidget *
atlas_window_get_visible_page (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child (self->pages);
}

void
atlas_window_show_run (AtlasWindow *self,
                       gint64       run_id)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (self->workspace_id > 0);

  atlas_window_push_page (self, atlas_run_detail_new (self->client, self->clock, self->workspace_id, run_id));
}

GtkWidget *
atlas_window_get_active_ops (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->active_ops;
}

gint64
atlas_window_get_workspace_id (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), 0);
  return self->workspace_id;
}

static void announce_stale_runs (AtlasWindow *self, AtlasActiveOps *ops);
static void watch_runs_leaving (AtlasWindow *self, AtlasActiveOps *ops);

static void
active_ops_updated_cb (AtlasActiveOps *ops,
                       AtlasWindow    *self)
{
  if (self->notifier != NULL)
    atlas_notifier_set_active_initiated (self->notifier, atlas_active_ops_get_initiated_count (ops));
  announce_stale_runs (self, ops);
  watch_runs_leaving (self, ops);
}

void
atlas_window_show_operations (AtlasWindow *self,
                              gint64       tenant_id)
{
  GtkWidget *list;

  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (self->workspace_id > 0);

  /* Its rows open their run through win.show-run, as every run list does. */
  list = atlas_operations_list_new (self->client, self->clock, self->workspace_id, tenant_id);
  atlas_window_push_page (self, list);
}

static void
show_operations_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  /* On, so its buttons do not look greyed on a wall; refused there (read-only). */
  if (ATLAS_WINDOW (widget)->kiosk)
    return;
  atlas_window_show_operations (ATLAS_WINDOW (widget), g_variant_get_int64 (parameter));
}

void
atlas_window_show_tenant (AtlasWindow *self,
                          gint64       tenant_id)
{
  GtkWidget *page;

  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (self->workspace_id > 0);

  page = atlas_tenant_dashboard_new (self->client, self->clock, tenant_id, self->can_generate);
  atlas_window_push_page (self, page);
  /* Opened by keyboard (Enter on a card) the focus would follow the stack into the
   * first focusable child, Generate: the page takes it instead (issue 15). */
  gtk_widget_grab_focus (page);
}

/* A web console link: the native view for the same thing, at once when connected,
 * else as soon as /me has answered (a launcher may start us for the link). */
void
atlas_window_open_link (AtlasWindow         *self,
                        const AtlasDeepLink *link)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (link != NULL);

  if (!self->connected)
    {
      self->pending_link = *link;
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  switch (link->kind)
    {
    case ATLAS_DEEP_LINK_RUN:
      atlas_window_push_page (self, atlas_run_detail_new (self->client, self->clock,
                                                          link->workspace_id > 0 ? link->workspace_id
                                                                                 : self->workspace_id,
                                                          link->run_id));
      break;
    case ATLAS_DEEP_LINK_TENANT:
      atlas_window_show_tenant (self, link->tenant_id);
      break;
    case ATLAS_DEEP_LINK_OPERATIONS:
      atlas_window_show_operations (self, 0);
      break;
    case ATLAS_DEEP_LINK_OVERVIEW:
      while (self->history->len > 0)
        atlas_window_go_back (self);
      break;
    case ATLAS_DEEP_LINK_NONE:
    default:
      break;
    }
  gtk_window_present (GTK_WINDOW (self));
}

static void
show_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  atlas_window_show_run (ATLAS_WINDOW (widget), g_variant_get_int64 (parameter));
}

static void
show_tenant_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  atlas_window_show_tenant (ATLAS_WINDOW (widget), g_variant_get_int64 (parameter));
}

/* One notification about a run, opening it when clicked; @id replaces an earlier one. */
static void
send_run_notification (AtlasWindow       *self,
                       AtlasWindowNotify  where,
                       const char        *id,
                       const char        *title,
                       const char        *body,
                       gint64             run_id)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;

  if (where == ATLAS_WINDOW_NOTIFY_NONE)
    return;
  /* A demo's runs are not the user's: shown in its own window, never sent under the
   * application id (a click would go to the instance that owns the bus name). */
  if (where == ATLAS_WINDOW_NOTIFY_IN_APP)
    {
      AdwToast *toast = atlas_toast_new_plain (title);
      g_autofree char *action = g_strdup_printf ("win.show-run(int64 %" G_GINT64_FORMAT ")", run_id);

      adw_toast_set_button_label (toast, _("Show"));
      adw_toast_set_detailed_action_name (toast, action);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  /* Without a session bus (a bare kiosk X server) GLib's backends only complain. */
  if (app == NULL || g_application_get_dbus_connection (app) == NULL)
    return;
  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  /* Clicking it opens that run's detail. */
  g_notification_set_default_action_and_target_value (notification, "app.show-run",
                                                      g_variant_new_int64 (run_id));
  g_application_send_notification (app, id, notification);
}

static void
notification_cb (AtlasNotifier     *notifier,
                 AtlasNotification *n,
                 AtlasWindow       *self)
{
  g_autofree char *id = g_strdup_printf ("run-%" G_GINT64_FORMAT, n->run_id);

  send_run_notification (self, self->notify, id, n->title != NULL ? n->title : _("Operation finished"),
                         n->body, n->run_id);
}

/* Stuck runs notify too (the preference): each run once when it becomes likely
 * stale, remembered across restarts beside the terminal notifications' state. */
static void
announce_stale_runs (AtlasWindow    *self,
                     AtlasActiveOps *ops)
{
  GListModel *runs = atlas_active_ops_get_runs (ops);
  guint n = g_list_model_get_n_items (runs);
  gint64 now = ATLAS_TIME_NONE;

  if (self->notify_stale == ATLAS_WINDOW_NOTIFY_NONE || self->client == NULL)
    return;
  if (self->stale_notices == NULL)
    {
      g_autofree char *state = self->notify_stale == ATLAS_WINDOW_NOTIFY_DESKTOP
                               ? atlas_notifier_default_state_path () : NULL;
      g_autofree char *key = g_strdup_printf ("%s %" G_GINT64_FORMAT, atlas_client_get_base_url (self->client),
                                              self->workspace_id);

      self->stale_notices = atlas_stale_notices_new (state, key);
    }
  g_object_get (ops, "server-time", &now, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);
      g_autoptr(AtlasRunPresentation) p = NULL;
      g_autofree char *title = NULL;
      g_autofree char *id = NULL;

      if (atlas_run_get_freshness (run) != ATLAS_FRESHNESS_LIKELY_STALE ||
          !atlas_stale_notices_claim (self->stale_notices, atlas_run_get_id (run)))
        continue;
      p = atlas_run_present (run, now);
      title = atlas_run_present_stale_notice_title (run);
      id = g_strdup_printf ("stale-%" G_GINT64_FORMAT, atlas_run_get_id (run));
      self->stale_announced++;
      send_run_notification (self, self->notify_stale, id, title, p->headline, atlas_run_get_id (run));
    }
  atlas_stale_notices_end_baseline (self->stale_notices);
}

/* Failures in the workspace (the notify-workspace-failures preference). The overlay
 * (or the page it reads) knows the workspace's active runs; a run that leaves that set
 * has ended, so its final state is fetched once — one request per run that ends, none
 * while nothing does — and a failed or blocked run is announced once, remembered
 * across restarts beside the stale notices. */
static void
failure_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AtlasWindow) self = g_weak_ref_get (user_data);
  g_autoptr(AtlasResponse) response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, NULL);
  g_autoptr(AtlasRunPresentation) p = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  AtlasRun *run;
  AtlasRunOutcome outcome;

  g_weak_ref_clear (user_data);
  g_free (user_data);
  if (self == NULL || response == NULL || self->failure_notices == NULL ||
      self->notify_failures == ATLAS_WINDOW_NOTIFY_NONE)
    return;
  run = ((AtlasRunReply *) response->payload)->run;
  outcome = atlas_run_get_outcome (run);
  /* A run of mine already has its notification from the backend's: not two. */
  if (atlas_run_is_active (run) ||
      (outcome != ATLAS_RUN_OUTCOME_FAILED && outcome != ATLAS_RUN_OUTCOME_BLOCKED) ||
      (atlas_run_get_initiated_by_me (run) && self->notify != ATLAS_WINDOW_NOTIFY_NONE) ||
      !atlas_stale_notices_claim (self->failure_notices, atlas_run_get_id (run)))
    return;
  p = atlas_run_present (run, response->server_time);
  title = atlas_run_present_failure_notice_title (run);
  id = g_strdup_printf ("failed-%" G_GINT64_FORMAT, atlas_run_get_id (run));
  self->failures_announced++;
  send_run_notification (self, self->notify_failures, id, title, p->headline, atlas_run_get_id (run));
}

static void
watch_runs_leaving (AtlasWindow    *self,
                    AtlasActiveOps *ops)
{
  GListModel *runs = atlas_active_ops_get_runs (ops);
  guint n = g_list_model_get_n_items (runs);
  g_autoptr(GHashTable) now = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (runs, i);
      gint64 *id = g_new (gint64, 1);

      *id = atlas_run_get_id (run);
      g_hash_table_add (now, id);
    }
  if (self->active_ids != NULL && self->notify_failures != ATLAS_WINDOW_NOTIFY_NONE && self->client != NULL)
    {
      if (self->failure_notices == NULL)
        {
          g_autofree char *state = self->notify_failures == ATLAS_WINDOW_NOTIFY_DESKTOP
                                   ? atlas_notifier_default_state_path () : NULL;
          g_autofree char *nkey = g_strdup_printf ("%s %" G_GINT64_FORMAT " failed",
                                                   atlas_client_get_base_url (self->client), self->workspace_id);

          self->failure_notices = atlas_stale_notices_new (state, nkey);
          /* Only runs seen ending are candidates: no backlog to take as known. */
          atlas_stale_notices_end_baseline (self->failure_notices);
        }
      g_hash_table_iter_init (&iter, self->active_ids);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (now, key))
          {
            GWeakRef *ref = g_new0 (GWeakRef, 1);

            g_weak_ref_init (ref, self);
            atlas_client_get_run_async (self->client, self->workspace_id, *(gint64 *) key, NULL,
                                        failure_run_cb, ref);
          }
    }
  g_clear_pointer (&self->active_ids, g_hash_table_unref);
  self->active_ids = g_steal_pointer (&now);
}

/**
 * atlas_window_set_notify_failures:
 *
 * Where the notifications of the workspace's runs that end failed or blocked go
 * (the notify-workspace-failures preference): nowhere, the desktop, or toasts.
 */
void
atlas_window_set_notify_failures (AtlasWindow       *self,
                                  AtlasWindowNotify  notify)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));

  if (self->notify_failures == notify)
    return;
  self->notify_failures = notify;
  g_clear_pointer (&self->failure_notices, atlas_stale_notices_free);
}

/* How many failed or blocked runs this window announced. */
guint
atlas_window_get_failures_announced (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), 0);
  return self->failures_announced;
}

/**
 * atlas_window_set_notify_stale:
 *
 * Where the notifications of runs that become likely stale go (the
 * notify-workspace-stale preference): nowhere, the desktop, or toasts (the demo).
 */
void
atlas_window_set_notify_stale (AtlasWindow       *self,
                               AtlasWindowNotify  notify)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));

  if (self->notify_stale == notify)
    return;
  self->notify_stale = notify;
  g_clear_pointer (&self->stale_notices, atlas_stale_notices_free);
}

/* How many likely-stale runs this window announced. */
guint
atlas_window_get_stale_announced (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), 0);
  return self->stale_announced;
}

static void start_discovery (AtlasWindow *self);

/* The notifier keeps polling while the window is hidden (notifications matter most
 * then), so its own poller is not paused by visibility; a held window (a kiosk
 * offline) asks for nothing, notifications included. */
static void
notifier_presence_cb (AtlasPoller *presence,
                      GParamSpec  *pspec,
                      AtlasWindow *self)
{
  gboolean held = g_object_get_data (G_OBJECT (self), "atlas-visibility-held") != NULL;

  if (self->notifier == NULL)
    return;
  atlas_poller_set_visible (atlas_notifier_get_poller (self->notifier), !held);
  atlas_notifier_set_shown (self->notifier, atlas_poller_get_visible (presence));
}

static void
start_notifier (AtlasWindow *self)
{
  g_autofree char *state = NULL;

  if (self->notifier != NULL || self->notify == ATLAS_WINDOW_NOTIFY_NONE || !self->connected)
    return;
  /* The demo's backend is new at every start (and on another port): nothing to keep. */
  if (self->notify == ATLAS_WINDOW_NOTIFY_DESKTOP)
    state = atlas_notifier_default_state_path ();
  self->notifier = atlas_notifier_new (self->client, self->clock, state);
  g_signal_connect_object (self->notifier, "notification", G_CALLBACK (notification_cb), self, 0);
  if (self->notifier_presence == NULL)
    {
      self->notifier_presence = atlas_poller_new (self->clock);
      g_signal_connect_object (self->notifier_presence, "notify::visible",
                               G_CALLBACK (notifier_presence_cb), self, 0);
      atlas_visibility_track (GTK_WIDGET (self), self->notifier_presence);
    }
  notifier_presence_cb (self->notifier_presence, NULL, self);
  atlas_notifier_start (self->notifier);
  if (self->active_ops != NULL)
    atlas_notifier_set_active_initiated (self->notifier,
                                         atlas_active_ops_get_initiated_count (ATLAS_ACTIVE_OPS (self->active_ops)));
}

/**
 * atlas_window_set_notify:
 *
 * Where the notifications of the user's finished runs go: nowhere (the preference),
 * the desktop, or toasts in this window (the demo).
 */
void
atlas_window_set_notify (AtlasWindow       *self,
                         AtlasWindowNotify  notify)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));

  if (self->notify == notify)
    return;
  self->notify = notify;
  g_clear_object (&self->notifier);
  start_notifier (self);
}

static void
connected (AtlasWindow *self)
{
  GtkWidget *start;

  self->connected = TRUE;
  start_notifier (self);
  /* Nothing to list before a workspace, and a wall does not navigate. */
  gtk_widget_set_visible (self->all_ops_button, !self->kiosk);

  g_clear_pointer (&self->active_ids, g_hash_table_unref);
  self->active_ops = atlas_active_ops_new (self->client, self->clock, self->workspace_id);
  g_signal_connect_object (self->active_ops, "updated", G_CALLBACK (active_ops_updated_cb), self, 0);
  adw_bin_set_child (self->active_ops_slot, self->active_ops);

  start = atlas_overview_new (self->client, self->clock, self->workspace_id);
  atlas_overview_set_read_only (ATLAS_OVERVIEW (start), self->kiosk);
  set_root_page (self, start);
  follow_page (self, start);
  if (self->initial_operations)
    atlas_window_show_operations (self, 0);
  self->initial_operations = FALSE;
  if (self->initial_tenant_id > 0)
    atlas_window_show_tenant (self, self->initial_tenant_id);
  self->initial_tenant_id = 0;
  if (self->initial_run_id > 0)
    atlas_window_show_run (self, self->initial_run_id);
  /* A kiosk rebuilding after an outage starts from the overview again. */
  self->initial_run_id = 0;
  if (self->pending_link.kind != ATLAS_DEEP_LINK_NONE)
    {
      AtlasDeepLink link = self->pending_link;

      self->pending_link.kind = ATLAS_DEEP_LINK_NONE;
      atlas_window_open_link (self, &link);
    }
  start_discovery (self);
}

/* Open the operations list once connected (a console link to it at start-up). */
void
atlas_window_set_initial_operations (AtlasWindow *self,
                                     gboolean     open)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));
  self->initial_operations = open;
}

/* Every state of the connection has its way forward (none on a kiosk: nobody is
 * there to press a button, and it retries by itself). */
static void
show_connect_state (AtlasWindow       *self,
                    const char        *icon,
                    const char        *title,
                    const char        *description,
                    AtlasWindowOffers  offers)
{
  gboolean first = TRUE;
  GtkWidget *button;

  if (self->kiosk)
    offers = ATLAS_WINDOW_OFFER_NONE;
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->connect_page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (self->connect_page), title);
  atlas_status_page_set_plain_description (ADW_STATUS_PAGE (self->connect_page), description);
  for (guint i = 0; i < G_N_ELEMENTS (self->offer_buttons); i++)
    gtk_widget_set_visible (self->offer_buttons[i], (offers & (1u << i)) != 0);
  /* The first one offered, in the order shown, is the suggested one. */
  button = gtk_widget_get_first_child (adw_status_page_get_child (ADW_STATUS_PAGE (self->connect_page)));
  for (; button != NULL; button = gtk_widget_get_next_sibling (button))
    {
      if (gtk_widget_get_visible (button) && first)
        gtk_widget_add_css_class (button, "suggested-action");
      else
        gtk_widget_remove_css_class (button, "suggested-action");
      first = first && !gtk_widget_get_visible (button);
    }
}

/**
 * atlas_window_show_problem:
 * @offers: the buttons the page offers
 *
 * Replaces every page by a problem and its ways forward (the application's: a
 * wrong address, a signed-out account, a demo that did not start).
 */
void
atlas_window_show_problem (AtlasWindow       *self,
                           const char        *icon,
                           const char        *title,
                           const char        *description,
                           AtlasWindowOffers  offers)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));

  show_connect_state (self, icon, title, description, offers);
  set_root_page (self, self->connect_page);
}

/* The connect page says what the error presenter says; it can always change server,
 * and a kiosk (unattended) offers nothing. */
static void
show_error_state (AtlasWindow                  *self,
                  const AtlasErrorPresentation *p)
{
  AtlasWindowOffers offers = ATLAS_WINDOW_OFFER_CHANGE_SERVER;

  if ((p->offers & ATLAS_ERROR_OFFER_SIGN_IN) != 0)
    offers |= ATLAS_WINDOW_OFFER_SIGN_IN;
  show_connect_state (self, p->icon_name, p->title,
                      self->kiosk && p->status != NULL ? p->status : p->description, offers);
}

static void
fetch_me (const AtlasResourceRequest *request,
          gpointer                    user_data)
{
  atlas_client_get_me_async (request->client, request->cancellable, request->callback, request->callback_data);
}

static void
me_failed_cb (AtlasResource *resource,
              const GError  *error,
              AtlasWindow   *self)
{
  g_autoptr(AtlasErrorPresentation) p = atlas_resource_present_error (resource, error,
                                                                     ATLAS_ERROR_SUBJECT_WORKSPACE);

  show_error_state (self, p);
}

static void
me_updated_cb (AtlasResource *resource,
               AtlasResponse *response,
               AtlasWindow   *self)
{
  AtlasMe *me = response->payload;
  const AtlasWorkspace *ws;

  atlas_resource_set_interval (resource, 0);
  /* The token is good: now (and only now) the application may keep it. */
  g_signal_emit (self, signals[SIGNED_IN], 0);
  /* A session that resumed: the pages reload by themselves, nothing is rebuilt. */
  if (self->connected && !self->recovering)
    return;
  self->recovering = FALSE;
  ws = self->workspace_id > 0 ? atlas_me_find_workspace (me, self->workspace_id)
                              : (me->workspaces->len > 0 ? g_ptr_array_index (me->workspaces, 0) : NULL);
  if (ws == NULL)
    {
      /* Deny-as-not-found applies to workspaces too: one not in /me was never there. */
      g_autoptr(GError) missing = g_error_new_literal (ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND, "");
      g_autoptr(AtlasErrorPresentation) p = atlas_resource_present_error (resource, missing,
                                                                         ATLAS_ERROR_SUBJECT_WORKSPACE);

      show_error_state (self, p);
      return;
    }
  self->workspace_id = ws->id;
  /* Kiosks are read-only whatever the token may do. */
  self->can_generate = !self->kiosk && atlas_workspace_can (ws, "review_pack.generate");
  g_free (self->workspace_name);
  self->workspace_name = g_strdup (ws->name);
  connected (self);
}

/* --- kiosk ------------------------------------------------------------------- */

/* While offline, one probe per window: at most every 10 s, later if the server said
 * so (Retry-After), with up to a fifth more of jitter so walls do not ask in step. */
#define PROBE_INTERVAL_MS 10000u

static AtlasClock *
window_clock (AtlasWindow *self)
{
  return self->clock != NULL ? self->clock : atlas_clock_get_default ();
}

static void
update_kiosk_labels (AtlasWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (now, "%H:%M");

  gtk_label_set_label (self->kiosk_clock, clock);
  if (self->updated_at != NULL)
    {
      g_autofree char *at = g_date_time_format (self->updated_at, "%H:%M");
      /* TRANSLATORS: kiosk header: when the numbers on screen were fresh (HH:MM) */
      g_autofree char *text = g_strdup_printf (_("Updated %s"), at);

      gtk_label_set_label (self->kiosk_updated, text);
    }
  if (self->offline_since != NULL)
    {
      g_autofree char *text = atlas_error_offline_banner (self->offline_since);

      gtk_label_set_label (self->offline_banner, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->offline_banner), self->offline);
}

/* The header's clock turns at every full minute (wall time, not the test clock). */
static gboolean
clock_tick_cb (gpointer user_data)
{
  AtlasWindow *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  update_kiosk_labels (self);
  self->clock_tick_id = g_timeout_add_seconds (60 - g_date_time_get_second (now), clock_tick_cb, self);
  return G_SOURCE_REMOVE;
}

static void schedule_probe (AtlasWindow *self, const GError *error);

/* Back: every poller of the window resumes (a tick that fell due comes at once), and
 * what is on screen loads now rather than at its next turn. */
static void
leave_offline (AtlasWindow *self,
               gboolean     reload)
{
  GtkWidget *page;

  if (!self->offline)
    return;
  self->offline = FALSE;
  g_clear_pointer (&self->offline_since, g_date_time_unref);
  if (self->probe_id != 0)
    atlas_clock_remove (window_clock (self), self->probe_id);
  self->probe_id = 0;
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "offline");
  atlas_visibility_set_held (GTK_WINDOW (self), FALSE);
  update_kiosk_labels (self);
  if (!reload)
    return;
  page = gtk_stack_get_visible_child (self->pages);
  if (ATLAS_IS_PAGE (page))
    atlas_page_refresh (ATLAS_PAGE (page));
  if (self->active_ops != NULL)
    atlas_active_ops_refresh (ATLAS_ACTIVE_OPS (self->active_ops));
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasWindow *self = user_data;

  response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* left offline (or gone) meanwhile */
  g_clear_object (&self->probe_cancellable);
  if (response != NULL)
    leave_offline (self, TRUE);
  else
    schedule_probe (self, error);
}

static void
probe_cb (gpointer user_data)
{
  AtlasWindow *self = user_data;

  self->probe_id = 0;
  self->probe_cancellable = g_cancellable_new ();
  /* Health: no token, no database, the cheapest answer the backend gives. */
  atlas_client_fetch_async (self->client, "/api/v1/health", atlas_api_parse_health,
                            self->probe_cancellable, probe_done_cb, self);
}

static void
schedule_probe (AtlasWindow  *self,
                const GError *error)
{
  guint wait = PROBE_INTERVAL_MS;

  if (error != NULL)
    wait = MAX (wait, MIN (atlas_client_error_get_retry_after_ms (error), ATLAS_POLLER_MAX_SERVER_WAIT_MS));
  wait += g_random_int_range (0, wait / 5 + 1);
  self->probe_id = atlas_clock_add_timeout (window_clock (self), G_PRIORITY_DEFAULT, wait, probe_cb, self);
}

/* Kiosk, the backend away: the last numbers stay, greyed and under "Offline since
 * HH:MM"; no widget of the window asks for anything, one probe asks for health. */
static void
enter_offline (AtlasWindow  *self,
               const GError *error)
{
  self->offline = TRUE;
  self->offline_since = g_date_time_new_now_local ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "offline");
  atlas_visibility_set_held (GTK_WINDOW (self), TRUE);
  update_kiosk_labels (self);
  schedule_probe (self, error);
}

static void
enter_recovery (AtlasWindow  *self,
                const GError *error)
{
  AtlasErrorContext unattended = { ATLAS_ERROR_SUBJECT_WORKSPACE, -1, -1, TRUE };
  g_autoptr(AtlasErrorPresentation) p = atlas_error_present (error, &unattended);

  leave_offline (self, FALSE);
  self->recovering = TRUE;
  /* The rebuild after recovery starts a new one; meanwhile only /me is asked. */
  g_clear_object (&self->discovery);
  /* The data on screen would be out of date: the whole screen says so instead. */
  show_error_state (self, p);
  show_page (self, self->connect_page);
  gtk_widget_set_visible (self->back_button, FALSE);
  /* Not at once: the error that brought us here may carry a Retry-After, and the
   * rebuild that follows a good /me would otherwise hit the backend right away. The
   * connect poller plans the first /me from it, with the usual backoff after. */
  atlas_poller_reset (atlas_resource_get_poller (self->connection));
  atlas_resource_set_interval (self->connection, 2000);
  atlas_resource_back_off (self->connection, error);
}

/* Kiosk: an outage or a refused token takes the whole screen, never stale numbers
 * dressed as live ones; recovery rebuilds the views from fresh answers. */
static void
client_request_finished_cb (AtlasClient  *client,
                            const GError *error,
                            AtlasWindow  *self)
{
  if (!self->kiosk || client != self->client)
    return;
  if (error == NULL)
    {
      g_clear_pointer (&self->updated_at, g_date_time_unref);
      self->updated_at = g_date_time_new_now_local ();
      /* Any answer at all (the probe's, or one already on its way) ends the outage. */
      if (self->offline)
        leave_offline (self, TRUE);
      else
        update_kiosk_labels (self);
      return;
    }
  if (self->recovering || self->workspace_id == 0)
    return;
  /* A refused token takes the whole screen (it will not come back by itself soon). */
  if (g_error_matches (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED))
    enter_recovery (self, error);
  else if (atlas_client_error_is_transient (error) && !self->offline)
    enter_offline (self, error);
}

/* The workspace changed under a window that may show nothing active: what it shows
 * loads again, and from there each page's own rule decides whether to keep polling. */
static void
discovery_changed_cb (AtlasDiscovery *discovery,
                      AtlasWindow    *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->pages);

  if (self->recovering)
    return;
  if (ATLAS_IS_PAGE (page))
    atlas_page_refresh (ATLAS_PAGE (page));
  if (self->active_ops != NULL)
    atlas_active_ops_refresh (ATLAS_ACTIVE_OPS (self->active_ops));
}

/* One per window and workspace, a full minute after what the window just loaded. */
static void
start_discovery (AtlasWindow *self)
{
  g_clear_object (&self->discovery);
  if ((self->discovery_off && !self->kiosk) || self->workspace_id <= 0)
    return;
  self->discovery = atlas_discovery_new (self->client, self->clock, self->workspace_id);
  g_signal_connect_object (self->discovery, "changed", G_CALLBACK (discovery_changed_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_discovery_get_poller (self->discovery));
  follow_page (self, gtk_stack_get_visible_child (self->pages));
}

static gboolean
hide_cursor_cb (gpointer user_data)
{
  AtlasWindow *self = user_data;

  self->cursor_timeout_id = 0;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
  return G_SOURCE_REMOVE;
}

/* The pointer disappears after a few seconds still; the timer exists only after a move. */
static void
pointer_moved_cb (GtkEventControllerMotion *controller,
                  double                    x,
                  double                    y,
                  AtlasWindow              *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  g_clear_handle_id (&self->cursor_timeout_id, g_source_remove);
  g_clear_handle_id (&self->rotate_id, g_source_remove);
  self->cursor_timeout_id = g_timeout_add_seconds (3, hide_cursor_cb, self);
}

/**
 * atlas_window_set_kiosk:
 *
 * Fullscreen, read-only, larger type, pointer hidden when still, the session kept
 * awake, discovery always on, and unattended recovery.
 */
void
atlas_window_set_kiosk (AtlasWindow *self,
                        gboolean     kiosk)
{
  GtkApplication *app;
  GtkEventController *motion;

  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (kiosk);   /* kiosk mode is chosen at start-up only */

  if (self->kiosk)
    return;
  self->kiosk = TRUE;
  if (self->connection != NULL)
    atlas_resource_set_outlives_session (self->connection, TRUE);
  self->can_generate = FALSE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  gtk_window_fullscreen (GTK_WINDOW (self));
  /* No desktop controls on a wall: nobody there to press them. */
  adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
  gtk_widget_set_visible (self->refresh_button, FALSE);
  gtk_widget_set_visible (self->all_ops_button, FALSE);
  gtk_widget_set_visible (self->menu_button, FALSE);
  gtk_widget_set_visible (self->kiosk_status, TRUE);
  clock_tick_cb (self);
  /* Read-only means no navigation either: a passer-by's click, tap or key opens
   * nothing (rotation and links still move the pages). Ctrl+Q quits (README). */
  {
    static const char *const navigation[] = {
      "win.back", "win.show-run", "win.show-tenant", "win.search", "win.refresh",
    };

    for (guint i = 0; i < G_N_ELEMENTS (navigation); i++)
      gtk_widget_action_set_enabled (GTK_WIDGET (self), navigation[i], FALSE);
    gtk_widget_set_can_target (GTK_WIDGET (self->pages), FALSE);
    gtk_widget_set_can_focus (GTK_WIDGET (self->pages), FALSE);
    gtk_widget_set_can_target (GTK_WIDGET (self->active_ops_slot), FALSE);
  }
  /* A larger type scale for every text, read from across the room: scaling the
   * resolution keeps Adwaita's own proportions (headings stay above body text). */
  {
    GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
    int dpi = 0;

    g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
    if (dpi <= 0)
      dpi = 96 * 1024;
    g_object_set (settings, "gtk-xft-dpi", (int) (dpi * 1.35), NULL);
  }

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (pointer_moved_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  self->cursor_timeout_id = g_timeout_add_seconds (3, hide_cursor_cb, self);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL)
    self->inhibit_cookie = gtk_application_inhibit (app, GTK_WINDOW (self), GTK_APPLICATION_INHIBIT_IDLE,
                                                    _("Showing operations on a wall screen"));

  if (self->client != NULL)
    g_signal_connect_object (self->client, "request-finished", G_CALLBACK (client_request_finished_cb), self, 0);
  atlas_window_set_idle_discovery (self, TRUE);
}

/* Discovery (AtlasDiscovery, one per window): on unless the preference turns it
 * off; a kiosk always has it. New work appears even when nothing on screen is active. */
void
atlas_window_set_idle_discovery (AtlasWindow *self,
                                 gboolean     enabled)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));

  if (self->discovery_off == !enabled)
    return;
  self->discovery_off = !enabled;
  if (self->discovery_off && !self->kiosk)
    g_clear_object (&self->discovery);
  else if (self->discovery == NULL && self->active_ops != NULL)
    start_discovery (self);
}

/* The window's discovery while connected and on, else NULL. */
AtlasDiscovery *
atlas_window_get_discovery (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->discovery;
}

/* Kiosk rotation: overview, a tenant's dashboard, the overview, the next tenant … */
static gboolean
rotate_cb (gpointer user_data)
{
  AtlasWindow *self = user_data;
  GtkWidget *root;
  GListModel *tenants;
  guint n;

  if (self->recovering || self->workspace_id == 0)
    return G_SOURCE_CONTINUE;
  if (self->history->len > 0)
    {
      while (self->history->len > 0)
        atlas_window_go_back (self);
      return G_SOURCE_CONTINUE;
    }
  root = gtk_stack_get_visible_child (self->pages);
  if (!ATLAS_IS_OVERVIEW (root))
    return G_SOURCE_CONTINUE;
  tenants = atlas_overview_get_tenants (ATLAS_OVERVIEW (root));
  n = g_list_model_get_n_items (tenants);
  if (n > 0)
    {
      g_autoptr(AtlasTenantSummary) t = g_list_model_get_item (tenants, self->rotate_index++ % n);
      atlas_window_show_tenant (self, atlas_tenant_summary_get_id (t));
    }
  return G_SOURCE_CONTINUE;
}

void
atlas_window_set_kiosk_rotation (AtlasWindow *self,
                                 guint        seconds)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));

  g_clear_handle_id (&self->rotate_id, g_source_remove);
  if (seconds > 0)
    self->rotate_id = g_timeout_add_seconds (seconds, rotate_cb, self);
}

gboolean
atlas_window_get_recovering (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), FALSE);
  return self->recovering;
}

/* The header's "All Operations" button (tests). */
GtkWidget *
atlas_window_get_all_ops_button (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->all_ops_button;
}

/* The kiosk's outage banner while it shows, else NULL. */
const char *
atlas_window_get_offline_banner (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->offline ? gtk_label_get_label (self->offline_banner) : NULL;
}

AtlasNotifier *
atlas_window_get_notifier (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->notifier;
}

AtlasPoller *
atlas_window_get_connect_poller (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->connection != NULL ? atlas_resource_get_poller (self->connection) : NULL;
}

static void
poke_notifications_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  AtlasWindow *self = ATLAS_WINDOW (widget);

  if (self->notifier != NULL)
    atlas_notifier_poke (self->notifier);
  /* The overlay learns of the new run, and through it the notifier keeps polling. */
  if (self->active_ops != NULL)
    atlas_active_ops_refresh (ATLAS_ACTIVE_OPS (self->active_ops));
}

/* Ctrl+F: the visible page's own search, if it has one. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkWidget *page = gtk_stack_get_visible_child (ATLAS_WINDOW (widget)->pages);

  if (page != NULL)
    gtk_widget_activate_action (page, "page.search", NULL);
}

/* Ctrl+L and the KPI tiles: the operations list, on a tab; the list already on
 * screen just changes tab. */
static void
show_operations_tab_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  AtlasWindow *self = ATLAS_WINDOW (widget);
  int tab = g_variant_get_int32 (parameter);
  GtkWidget *page = gtk_stack_get_visible_child (self->pages);

  /* The KPI tiles stay on (not greyed) in a kiosk, which refuses them here. */
  if (tab < 0 || tab >= ATLAS_N_TABS || self->workspace_id <= 0 || self->kiosk)
    return;
  if (!ATLAS_IS_OPERATIONS_LIST (page))
    {
      atlas_window_show_operations (self, 0);
      page = gtk_stack_get_visible_child (self->pages);
    }
  atlas_operations_list_set_tab (ATLAS_OPERATIONS_LIST (page), (AtlasTab) tab);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  atlas_window_go_back (ATLAS_WINDOW (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtlasWindow *self = ATLAS_WINDOW (widget);
  GtkWidget *page = gtk_stack_get_visible_child (self->pages);

  if (page == self->connect_page)
    {
      if (self->client == NULL)
        return;
      atlas_poller_reset (atlas_resource_get_poller (self->connection));
      atlas_resource_load (self->connection);
      return;
    }
  if (ATLAS_IS_PAGE (page))
    atlas_page_refresh (ATLAS_PAGE (page));
  if (self->active_ops != NULL)
    atlas_active_ops_refresh (ATLAS_ACTIVE_OPS (self->active_ops));
}

static void
atlas_window_dispose (GObject *object)
{
  AtlasWindow *self = (AtlasWindow *)object;

  clear_binding (&self->title_binding);
  clear_binding (&self->subtitle_binding);
  g_clear_object (&self->connection);
  g_clear_object (&self->discovery);
  g_clear_object (&self->notifier);
  g_clear_object (&self->notifier_presence);
  g_clear_handle_id (&self->cursor_timeout_id, g_source_remove);
  g_clear_handle_id (&self->rotate_id, g_source_remove);
  g_clear_handle_id (&self->clock_tick_id, g_source_remove);
  leave_offline (self, FALSE);
  if (self->inhibit_cookie != 0 && gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    gtk_application_uninhibit (gtk_window_get_application (GTK_WINDOW (self)), self->inhibit_cookie);
  self->inhibit_cookie = 0;

  G_OBJECT_CLASS (atlas_window_parent_class)->dispose (object);
}

static void
atlas_window_finalize (GObject *object)
{
  AtlasWindow *self = (AtlasWindow *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_free (self->workspace_name);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->stale_notices, atlas_stale_notices_free);
  g_clear_pointer (&self->failure_notices, atlas_stale_notices_free);
  g_clear_pointer (&self->active_ids, g_hash_table_unref);

  G_OBJECT_CLASS (atlas_window_parent_class)->finalize (object);
}

static void
atlas_window_class_init (AtlasWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_window_dispose;
  object_class->finalize = atlas_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, all_ops_button);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, active_ops_slot);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, kiosk_status);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, kiosk_clock);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, kiosk_updated);
  gtk_widget_class_bind_template_child (widget_class, AtlasWindow, offline_banner);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.show-run", "x", show_run_action);
  gtk_widget_class_install_action (widget_class, "win.show-tenant", "x", show_tenant_action);
  gtk_widget_class_install_action (widget_class, "win.show-operations", "x", show_operations_action);
  gtk_widget_class_install_action (widget_class, "win.poke-notifications", NULL, poke_notifications_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-operations-tab", "i", show_operations_tab_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.show-operations-tab",
                                       "i", (gint32) ATLAS_TAB_ALL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);

  /**
   * AtlasWindow::signed-in:
   *
   * /me accepted the client's token (emitted on every good answer to it).
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atlas_window_init (AtlasWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The target first: the action takes an int. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->all_ops_button), "i", (gint32) ATLAS_TAB_ALL);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->all_ops_button), "win.show-operations-tab");
  self->history = g_ptr_array_new ();
  if (g_str_has_suffix (APPLICATION_ID, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
  self->notify = ATLAS_WINDOW_NOTIFY_DESKTOP;
  g_signal_connect_object (self->window_title, "notify::title", G_CALLBACK (window_title_changed_cb), self, 0);
  window_title_changed_cb (self->window_title, NULL, self);

  /* The page for every state before a workspace shows, with its ways forward. */
  {
    /* In the order shown; the first one offered is the suggested one. */
    static const struct { guint bit; const char *label; const char *action; } offers[] = {
      { 0, N_("_Connect…"), "app.connect" },
      { 2, N_("_Sign In…"), "app.sign-in" },
      { 3, N_("C_hange Server…"), "app.change-server" },
      { 1, N_("_Try the Demo"), "app.demo" },
    };
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

    gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
    for (guint i = 0; i < G_N_ELEMENTS (offers); i++)
      {
        GtkWidget *button = atlas_mnemonic_button_new (_(offers[i].label));


        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), offers[i].action);
        gtk_widget_add_css_class (button, "pill");
        gtk_box_append (GTK_BOX (box), button);
        self->offer_buttons[offers[i].bit] = button;
      }
    self->connect_page = adw_status_page_new ();
    adw_status_page_set_child (ADW_STATUS_PAGE (self->connect_page), box);
    gtk_stack_add_child (self->pages, self->connect_page);
  }
}

static void
start_connecting (AtlasWindow *self)
{
  /* The old connection's request (maybe another client's) goes with it. */
  g_clear_object (&self->connection);
  if (self->client == NULL)
    {
      show_connect_state (self, "network-server-symbolic", _("Not connected"),
                          _("Connect to a TenantAtlas backend, or try the built-in demo."),
                          ATLAS_WINDOW_OFFER_CONNECT | ATLAS_WINDOW_OFFER_DEMO);
      return;
    }
  show_connect_state (self, "network-transmit-receive-symbolic", _("Connecting…"),
                      atlas_client_get_base_url (self->client), ATLAS_WINDOW_OFFER_NONE);
  self->connection = atlas_resource_new (self->client, self->clock, fetch_me, self);
  atlas_resource_set_outlives_session (self->connection, self->kiosk);
  g_signal_connect_object (self->connection, "updated", G_CALLBACK (me_updated_cb), self, 0);
  g_signal_connect_object (self->connection, "failed", G_CALLBACK (me_failed_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_resource_get_poller (self->connection));
  /* Until connected, retry on our own with backoff from a 2 s base. */
  atlas_resource_load (self->connection);
  atlas_resource_set_interval (self->connection, 2000);
}

/**
 * atlas_window_set_client:
 * @client: (nullable): the new connection, or %NULL for none (signed out)
 *
 * Drops everything of the old connection (its pages, requests, timers) and
 * connects again; the workspace is kept only when the backend stays the same.
 */
void
atlas_window_set_client (AtlasWindow *self,
                         AtlasClient *client)
{
  gboolean same;

  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (client == NULL || ATLAS_IS_CLIENT (client));

  same = client != NULL && self->client != NULL &&
         g_strcmp0 (atlas_client_get_base_url (client), atlas_client_get_base_url (self->client)) == 0;
  g_clear_object (&self->notifier);
  g_clear_object (&self->discovery);
  g_clear_pointer (&self->stale_notices, atlas_stale_notices_free);
  g_clear_pointer (&self->failure_notices, atlas_stale_notices_free);
  g_clear_pointer (&self->active_ids, g_hash_table_unref);
  leave_offline (self, FALSE);
  adw_bin_set_child (self->active_ops_slot, NULL);
  self->active_ops = NULL;
  self->connected = FALSE;
  self->can_generate = FALSE;
  gtk_widget_set_visible (self->all_ops_button, FALSE);
  if (self->client != NULL && !same)
    self->workspace_id = 0;
  g_clear_pointer (&self->workspace_name, g_free);
  if (client == NULL)
    self->pending_link.kind = ATLAS_DEEP_LINK_NONE;
  g_set_object (&self->client, client);
  if (self->kiosk && client != NULL)
    g_signal_connect_object (client, "request-finished", G_CALLBACK (client_request_finished_cb), self, 0);
  set_root_page (self, self->connect_page);
  start_connecting (self);
}

/* Returns: (transfer none) (nullable): the window's connection */
AtlasClient *
atlas_window_get_client (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), NULL);
  return self->client;
}

gboolean
atlas_window_get_connected (AtlasWindow *self)
{
  g_return_val_if_fail (ATLAS_IS_WINDOW (self), FALSE);
  return self->connected;
}

void
atlas_window_show_toast (AtlasWindow *self,
                         const char  *text)
{
  g_return_if_fail (ATLAS_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  /* Plain text: callers pass error messages, which may come from the server. */
  adw_toast_overlay_add_toast (self->toast_overlay, atlas_toast_new_plain (text));
}

/**
 * atlas_window_new:
 * @workspace_id: 0 for the first workspace /me lists
 * @tenant_id: 0, or a tenant whose dashboard opens over the start page
 * @run_id: 0, or a run whose detail opens over the start page (and the tenant)
 * @client: (nullable): the connection; %NULL shows "Not connected" and its ways forward
 * @clock: (nullable): the clock for every poller of the window (tests pass a manual one)
 */
AtlasWindow *
atlas_window_new (GtkApplication           *application,
                  AtlasClient              *client,
                  AtlasClock               *clock,
                  gint64                    workspace_id,
                  gint64                    tenant_id,
                  gint64                    run_id)
{
  AtlasWindow *self;

  g_return_val_if_fail (client == NULL || ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_WINDOW, "application", application, NULL);
  /* Relative times ("finished 3 min ago") move on this window's clock. */
  atlas_minute_tick_install (GTK_WINDOW (self), clock);
  self->client = client != NULL ? g_object_ref (client) : NULL;
  self->clock = clock != NULL ? g_object_ref (clock) : NULL;
  self->workspace_id = workspace_id;
  self->initial_run_id = run_id;
  self->initial_tenant_id = tenant_id;

  show_page (self, self->connect_page);
  start_connecting (self);

  return self;
}
