/* atlas-visibility.c — map state, toplevel state and modal dialogs → AtlasPoller
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desktop's "hidden tab": a widget's timer may only run while a person could see
 * what it shows. Every widget's poller is fed from here, so the rule lives once.
 */

#define G_LOG_DOMAIN "atlas-visibility"

#include "config.h"

#include "atlas-visibility.h"

/* App-wide watch over all toplevels, to learn when modal windows come and go. */
typedef struct
{
  GListModel *toplevels;
  GPtrArray  *trackers;     /* Tracker*, not owned */
  GHashTable *watched;      /* GtkWindow* already connected to, not owned */
} ModalWatch;

typedef struct
{
  GWeakRef    widget;
  AtlasPoller *poller;       /* not owned: the tracker lives in the poller's data */
  GdkSurface *surface;
  gulong      map_id;
  gulong      unmap_id;
  gulong      state_id;
  gulong      suspended_id;
  GtkWindow  *window;
} Tracker;

static ModalWatch *modal_watch;

static void toplevel_changed_cb (GObject *object, GParamSpec *pspec, gpointer user_data);

/**
 * atlas_visibility_set_held:
 * @held: %TRUE to pause every poller tracked in @window as if it were hidden
 *
 * For a kiosk whose backend is away: the data stays on screen, no widget asks for
 * more. Releasing resumes each poller as showing the window again would.
 */
void
atlas_visibility_set_held (GtkWindow *window,
                           gboolean   held)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  g_object_set_data (G_OBJECT (window), "atlas-visibility-held", held ? GINT_TO_POINTER (1) : NULL);
  toplevel_changed_cb (NULL, NULL, NULL);
}

static gboolean
toplevel_is_modal_over (GtkWindow *candidate,
                        GtkWindow *window)
{
  GtkWindow *parent;

  if (!gtk_widget_get_visible (GTK_WIDGET (candidate)) || !gtk_window_get_modal (candidate))
    return FALSE;
  /* A modal dialog over a dialog over the window still covers the window. */
  for (parent = gtk_window_get_transient_for (candidate); parent != NULL;
       parent = gtk_window_get_transient_for (parent))
    if (parent == window)
      return TRUE;
  return FALSE;
}

gboolean
atlas_visibility_window_has_modal (GtkWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) candidate = g_list_model_get_item (toplevels, i);

      if (candidate != window && toplevel_is_modal_over (candidate, window))
        return TRUE;
    }
  return FALSE;
}

gboolean
atlas_visibility_widget_is_shown (GtkWidget *widget)
{
  GtkRoot *root;
  GdkSurface *surface;

  if (widget == NULL || !gtk_widget_get_mapped (widget))
    return FALSE;
  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return FALSE;
#if GTK_CHECK_VERSION (4, 12, 0)
  if (gtk_window_is_suspended (GTK_WINDOW (root)))
    return FALSE;
#endif
  surface = gtk_native_get_surface (GTK_NATIVE (root));
  if (surface != NULL && GDK_IS_TOPLEVEL (surface) &&
      (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED) != 0)
    return FALSE;
  return TRUE;
}

static void
tracker_update (Tracker *tracker)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&tracker->widget);
  gboolean shown = atlas_visibility_widget_is_shown (widget);
  gboolean modal = FALSE;

  if (widget != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (widget);
      if (GTK_IS_WINDOW (root))
        {
          modal = atlas_visibility_window_has_modal (GTK_WINDOW (root));
          /* A held window shows what it had, and asks for nothing (a kiosk offline). */
          if (g_object_get_data (G_OBJECT (root), "atlas-visibility-held") != NULL)
            shown = FALSE;
        }
    }

  atlas_poller_set_visible (tracker->poller, shown);
  atlas_poller_set_modal_open (tracker->poller, modal);
}

static void modal_watch_items_changed_cb (GListModel *model, guint position, guint removed,
                                          guint added, gpointer user_data);

static void
toplevel_changed_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  for (guint i = 0; modal_watch != NULL && i < modal_watch->trackers->len; i++)
    tracker_update (g_ptr_array_index (modal_watch->trackers, i));
}

/* A window we watch is gone: forget it (a new window may reuse its address). */
static void
watched_window_finalized_cb (gpointer  user_data,
                             GObject  *where_the_window_was)
{
  if (modal_watch != NULL)
    g_hash_table_remove (modal_watch->watched, where_the_window_was);
}

static void
modal_watch_items_changed_cb (GListModel *model,
                              guint       position,
                              guint       removed,
                              guint       added,
                              gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (model, i);

      if (!g_hash_table_contains (modal_watch->watched, window))
        {
          g_hash_table_add (modal_watch->watched, window);
          g_object_weak_ref (window, watched_window_finalized_cb, NULL);
          g_signal_connect (window, "notify::visible", G_CALLBACK (toplevel_changed_cb), NULL);
          g_signal_connect (window, "notify::modal", G_CALLBACK (toplevel_changed_cb), NULL);
          g_signal_connect (window, "notify::transient-for", G_CALLBACK (toplevel_changed_cb), NULL);
        }
    }
  toplevel_changed_cb (NULL, NULL, NULL);
}

static ModalWatch *
modal_watch_get (void)
{
  if (modal_watch == NULL)
    {
      modal_watch = g_new0 (ModalWatch, 1);
      modal_watch->toplevels = gtk_window_get_toplevels ();
      modal_watch->trackers = g_ptr_array_new ();
      modal_watch->watched = g_hash_table_new (NULL, NULL);
      g_signal_connect (modal_watch->toplevels, "items-changed",
                        G_CALLBACK (modal_watch_items_changed_cb), NULL);
      modal_watch_items_changed_cb (modal_watch->toplevels, 0, 0,
                                    g_list_model_get_n_items (modal_watch->toplevels), NULL);
    }
  return modal_watch;
}

static void
surface_state_cb (GObject    *object,
                  GParamSpec *pspec,
                  Tracker    *tracker)
{
  tracker_update (tracker);
}

static void
tracker_disconnect_surface (Tracker *tracker)
{
  if (tracker->surface != NULL)
    {
      g_clear_signal_handler (&tracker->state_id, tracker->surface);
      g_clear_object (&tracker->surface);
    }
  if (tracker->window != NULL)
    {
      g_clear_signal_handler (&tracker->suspended_id, tracker->window);
      g_clear_weak_pointer (&tracker->window);
    }
}

static void
widget_map_cb (GtkWidget *widget,
               Tracker   *tracker)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  tracker_disconnect_surface (tracker);
  if (GTK_IS_WINDOW (root))
    {
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (root));

      g_set_weak_pointer (&tracker->window, GTK_WINDOW (root));
#if GTK_CHECK_VERSION (4, 12, 0)
      tracker->suspended_id = g_signal_connect_swapped (root, "notify::suspended",
                                                        G_CALLBACK (tracker_update), tracker);
#endif
      if (surface != NULL)
        {
          tracker->surface = g_object_ref (surface);
          tracker->state_id = g_signal_connect (surface, "notify::state",
                                                G_CALLBACK (surface_state_cb), tracker);
        }
    }
  tracker_update (tracker);
}

static void
widget_unmap_cb (GtkWidget *widget,
                 Tracker   *tracker)
{
  tracker_update (tracker);
}

static void
tracker_free (Tracker *tracker)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&tracker->widget);

  if (modal_watch != NULL)
    g_ptr_array_remove (modal_watch->trackers, tracker);
  tracker_disconnect_surface (tracker);
  if (widget != NULL)
    {
      g_clear_signal_handler (&tracker->map_id, widget);
      g_clear_signal_handler (&tracker->unmap_id, widget);
    }
  g_weak_ref_clear (&tracker->widget);
  g_free (tracker);
}

static void
poller_finalized_cb (gpointer  user_data,
                     GObject  *where_the_poller_was)
{
  tracker_free (user_data);
}

void
atlas_visibility_track (GtkWidget   *widget,
                        AtlasPoller *poller)
{
  Tracker *tracker;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ATLAS_IS_POLLER (poller));

  tracker = g_new0 (Tracker, 1);
  g_weak_ref_init (&tracker->widget, widget);
  tracker->poller = poller;
  tracker->map_id = g_signal_connect (widget, "map", G_CALLBACK (widget_map_cb), tracker);
  tracker->unmap_id = g_signal_connect (widget, "unmap", G_CALLBACK (widget_unmap_cb), tracker);
  g_ptr_array_add (modal_watch_get ()->trackers, tracker);
  /* The tracker lives as long as its poller. */
  g_object_weak_ref (G_OBJECT (poller), poller_finalized_cb, tracker);

  if (gtk_widget_get_mapped (widget))
    widget_map_cb (widget, tracker);
  else
    tracker_update (tracker);
}
