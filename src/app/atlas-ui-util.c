/* atlas-ui-util.c — stat tiles and presenter-rendered run lists
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-ui-util"

#include "config.h"

#include "atlas-run-row.h"
#include "atlas-ui-util.h"

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  GtkWidget *row = atlas_run_row_new ();
  gint64 *now = g_object_get_data (G_OBJECT (user_data), "atlas-now");

  atlas_run_row_set_now (ATLAS_RUN_ROW (row), now != NULL ? *now : ATLAS_TIME_NONE);
  atlas_run_row_set_hide_tenant (ATLAS_RUN_ROW (row),
                                 g_object_get_data (G_OBJECT (user_data), "atlas-hide-tenant") != NULL);
  atlas_run_row_set_run (ATLAS_RUN_ROW (row), item);
  return row;
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  gpointer       user_data)
{
  AtlasRun *run = atlas_run_row_get_run (ATLAS_RUN_ROW (gtk_list_box_row_get_child (row)));

  if (run != NULL)
    gtk_widget_activate_action (GTK_WIDGET (list), "win.show-run", "x", atlas_run_get_id (run));
}

/* Presenter rows for @runs in an existing list box; activating one opens its run
 * detail (win.show-run). */
void
atlas_run_list_bind (GtkWidget  *list,
                     GListModel *runs)
{
  gtk_list_box_bind_model (GTK_LIST_BOX (list), runs, create_row_cb, list, NULL);
  g_signal_connect (list, "row-activated", G_CALLBACK (row_activated_cb), NULL);
}

/* A boxed list of presenter rows. */
GtkWidget *
atlas_run_list_new (GListModel *runs)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  atlas_run_list_bind (list, runs);
  return list;
}

/* Ages are relative to the server time of the answer the rows came with. */
void
atlas_run_list_set_now (GtkWidget *list,
                        gint64     now)
{
  g_object_set_data_full (G_OBJECT (list), "atlas-now", g_memdup2 (&now, sizeof now), g_free);
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && ATLAS_IS_RUN_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child))))
      atlas_run_row_set_now (ATLAS_RUN_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child))), now);
}

/* Rows on one tenant's own page need not repeat its name. */
void
atlas_run_list_set_hide_tenant (GtkWidget *list,
                                gboolean   hide)
{
  g_object_set_data (G_OBJECT (list), "atlas-hide-tenant", hide ? GINT_TO_POINTER (1) : NULL);
}

GtkWidget *
atlas_section_title_new (const char *title)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 12);
  return label;
}

/* AdwStatusPage's description is Pango markup (libadwaita 1.2 has no switch for it):
 * a server's "&" or "<b>" would blank it or turn into formatting. */
void
atlas_status_page_set_plain_description (AdwStatusPage *page,
                                         const char    *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));
  adw_status_page_set_description (page, escaped);
}

/* A toast's title is Pango markup in libadwaita 1.2 (use-markup came in 1.4). */
AdwToast *
atlas_toast_new_plain (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}
