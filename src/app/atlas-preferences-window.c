/* atlas-preferences-window.c — each preference is one GSettings key, bound both ways
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-preferences-window.h"

struct _AtlasPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkWidget *idle_discovery_row;
  GtkWidget *idle_discovery_switch;
  GtkWidget *notify_my_runs_row;
  GtkWidget *notify_my_runs_switch;
  GtkWidget *notify_failures_row;
  GtkWidget *notify_failures_switch;
  GtkWidget *notify_stale_row;
  GtkWidget *notify_stale_switch;
  GtkWidget *kiosk_row;
  GtkWidget *kiosk_switch;
  GtkWidget *rotate_row;
  GtkWidget *rotate_spin;
};

G_DEFINE_FINAL_TYPE (AtlasPreferencesWindow, atlas_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
atlas_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ATLAS_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (atlas_preferences_window_parent_class)->dispose (object);
}

static void
atlas_preferences_window_class_init (AtlasPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, idle_discovery_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, idle_discovery_switch);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, notify_my_runs_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, notify_my_runs_switch);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, notify_failures_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, notify_failures_switch);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, notify_stale_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, notify_stale_switch);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, kiosk_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, kiosk_switch);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, rotate_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasPreferencesWindow, rotate_spin);
}

static void
atlas_preferences_window_init (AtlasPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * atlas_preferences_window_new:
 * @settings: (nullable): the application's settings; %NULL (no schema installed)
 *   shows the rows insensitive
 */
GtkWidget *
atlas_preferences_window_new (GSettings *settings)
{
  AtlasPreferencesWindow *self = g_object_new (ATLAS_TYPE_PREFERENCES_WINDOW, NULL);
  const struct { const char *key; GtkWidget *row; GtkWidget *widget; const char *property; } keys[] = {
    { "idle-discovery", self->idle_discovery_row, self->idle_discovery_switch, "active" },
    { "notify-my-runs", self->notify_my_runs_row, self->notify_my_runs_switch, "active" },
    { "notify-workspace-failures", self->notify_failures_row, self->notify_failures_switch, "active" },
    { "notify-workspace-stale", self->notify_stale_row, self->notify_stale_switch, "active" },
    { "kiosk", self->kiosk_row, self->kiosk_switch, "active" },
    { "kiosk-rotate-seconds", self->rotate_row, self->rotate_spin, "value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (settings != NULL)
      g_settings_bind (settings, keys[i].key, keys[i].widget, keys[i].property, G_SETTINGS_BIND_DEFAULT);
    else
      gtk_widget_set_sensitive (keys[i].row, FALSE);
  return GTK_WIDGET (self);
}
