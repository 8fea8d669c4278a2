/* atlas-status-badge.c — renders one AtlasBadge from the presenter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-status-badge"

#include "config.h"

#include "atlas-status-badge.h"

struct _AtlasStatusBadge
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;
  AtlasTone  tone;
};

G_DEFINE_FINAL_TYPE (AtlasStatusBadge, atlas_status_badge, GTK_TYPE_WIDGET)

static void
atlas_status_badge_dispose (GObject *object)
{
  AtlasStatusBadge *self = (AtlasStatusBadge *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_STATUS_BADGE);

  G_OBJECT_CLASS (atlas_status_badge_parent_class)->dispose (object);
}

static void
atlas_status_badge_class_init (AtlasStatusBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_status_badge_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-status-badge.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statusbadge");
  gtk_widget_class_bind_template_child (widget_class, AtlasStatusBadge, box);
  gtk_widget_class_bind_template_child (widget_class, AtlasStatusBadge, icon);
  gtk_widget_class_bind_template_child (widget_class, AtlasStatusBadge, label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
atlas_status_badge_init (AtlasStatusBadge *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->tone = ATLAS_TONE_NEUTRAL;
}

GtkWidget *
atlas_status_badge_new (void)
{
  return g_object_new (ATLAS_TYPE_STATUS_BADGE, NULL);
}

void
atlas_status_badge_set_badge (AtlasStatusBadge *self,
                              const AtlasBadge *badge)
{
  g_return_if_fail (ATLAS_IS_STATUS_BADGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self), badge != NULL);
  if (badge == NULL)
    return;

  /* A poll re-presents every bound row: only what differs may touch a widget. Setting
   * the same icon again clears it, queues a resize of the row and looks it up anew. */
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (self->label)), badge->label) != 0)
    {
      gtk_label_set_label (GTK_LABEL (self->label), badge->label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, badge->label, -1);
    }
  if (g_strcmp0 (gtk_image_get_storage_type (GTK_IMAGE (self->icon)) == GTK_IMAGE_ICON_NAME
                   ? gtk_image_get_icon_name (GTK_IMAGE (self->icon)) : NULL,
                 badge->icon_name) != 0)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), badge->icon_name);
  if (self->tone != badge->tone)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), atlas_tone_to_string (self->tone));
      gtk_widget_add_css_class (GTK_WIDGET (self), atlas_tone_to_string (badge->tone));
      self->tone = badge->tone;
    }
}

const char *
atlas_status_badge_get_label (AtlasStatusBadge *self)
{
  g_return_val_if_fail (ATLAS_IS_STATUS_BADGE (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->label));
}
