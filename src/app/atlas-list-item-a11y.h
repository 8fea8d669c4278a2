/* atlas-list-item-a11y.h: a list cell's name and description on its focusable row
 *
 * In a GtkListView / GtkGridView the widget that takes focus (and that a screen reader
 * announces) is the list's own row widget (GtkListItemWidget), not the child we bind.
 * GTK 4.12 has gtk_list_item_set_accessible_label(); GTK 4.8 does not, so the child
 * copies its own label and description onto that row whenever it renders or is
 * re-parented. Only the list's row is touched: a child placed anywhere else keeps them
 * to itself.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

static inline void
atlas_list_item_mirror_accessible (GtkWidget  *child,
                                   const char *label,
                                   const char *description)
{
  GtkWidget *parent = gtk_widget_get_parent (child);

  if (parent == NULL || g_strcmp0 (G_OBJECT_TYPE_NAME (parent), "GtkListItemWidget") != 0)
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label ? label : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : "",
                                  -1);
}

G_END_DECLS
