/* atlas-ui-util.c — server text shown literally; the pages' server-time setter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-ui-util"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-ui-util.h"

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

/* Where each offer of the error presenter leads. */
static const struct
{
  AtlasErrorOffers  offer;
  const char       *action;
} offer_actions[] = {
  { ATLAS_ERROR_OFFER_TRY_AGAIN, "win.refresh" },
  { ATLAS_ERROR_OFFER_SIGN_IN, "app.sign-in" },
  { ATLAS_ERROR_OFFER_CHANGE_SERVER, "app.change-server" },
  { ATLAS_ERROR_OFFER_BACK, "win.back" },
};

/**
 * atlas_status_page_show_error:
 *
 * A page's error state as the error presenter words it, with a button for each
 * action it offers.
 */
void
atlas_status_page_show_error (AdwStatusPage                *page,
                              const AtlasErrorPresentation *presentation)
{
  GtkWidget *box = NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));
  g_return_if_fail (presentation != NULL);

  adw_status_page_set_icon_name (page, presentation->icon_name);
  adw_status_page_set_title (page, presentation->title);
  atlas_status_page_set_plain_description (page, presentation->description);

  for (guint i = 0; i < G_N_ELEMENTS (offer_actions); i++)
    {
      GtkWidget *button;

      if ((presentation->offers & offer_actions[i].offer) == 0)
        continue;
      if (box == NULL)
        {
          box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
          gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
        }
      button = atlas_mnemonic_button_new (atlas_error_offer_label (offer_actions[i].offer));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), offer_actions[i].action);
      gtk_widget_add_css_class (button, "pill");
      gtk_box_append (GTK_BOX (box), button);
    }
  adw_status_page_set_child (page, box);
}

/* Sets an int64 property's field and notifies only on change, as every setter does:
 * the pages' "server-time", which their run lists bind as "now" (a refresh that
 * answers with the same time redraws no row). */
gboolean
atlas_set_int64_property (GObject    *object,
                          gint64     *field,
                          gint64      value,
                          GParamSpec *pspec)
{
  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

/**
 * atlas_mnemonic_button_new:
 * @label: a label with a mnemonic ("_All operations")
 *
 * A button named by its label child for screen readers: GTK 4.8 names a button
 * made with gtk_button_new_with_mnemonic() "_All operations All operations" (the
 * raw label, then the child's text).
 */
GtkWidget *
atlas_mnemonic_button_new (const char *label)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *child = gtk_label_new_with_mnemonic (label);

  gtk_button_set_child (GTK_BUTTON (button), child);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL, -1);
  return button;
}

static const char *
ancestor_tooltip (GtkWidget *widget,
                  GType      type)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (widget, type);

  return ancestor != NULL ? gtk_widget_get_tooltip_text (ancestor) : NULL;
}

/**
 * atlas_accessible_name_buttons:
 * @root: a page or dialog, once its template is built
 *
 * GTK 4.8 and libadwaita 1.2 leave icon-only buttons nameless for screen readers
 * ("GtkImage"), including their own: a search bar's close button, a drop-down's
 * toggle, an entry row's edit and show-text buttons. Each is named by its tooltip,
 * else by the drop-down's, else (the search bar's close button) "Close Search".
 */
void
atlas_accessible_name_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL &&
          !GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (child))))
        {
          const char *name = gtk_widget_get_tooltip_text (child);

          if (name == NULL)
            name = ancestor_tooltip (child, GTK_TYPE_DROP_DOWN);
          if (name == NULL && gtk_widget_get_ancestor (child, GTK_TYPE_SEARCH_BAR) != NULL &&
              GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child))))
            name = _("Close Search");
          if (name != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
      atlas_accessible_name_buttons (child);
    }
}

static void
loading_spinner_sync (GtkStack   *stack,
                      GParamSpec *pspec,
                      GtkWidget  *spinner)
{
  gboolean loading = g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") == 0;

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), loading);
  gtk_widget_set_visible (spinner, loading);
}

/**
 * atlas_stack_track_loading_spinner:
 * @spinner: the spinner on @stack's page named "loading"
 *
 * The spinner turns only while that page shows: stopped and hidden the moment the
 * first answer or error switches the stack, so it costs no wakeups once data is there.
 */
void
atlas_stack_track_loading_spinner (GtkStack  *stack,
                                   GtkWidget *spinner)
{
  g_return_if_fail (GTK_IS_STACK (stack));
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  g_signal_connect_object (stack, "notify::visible-child-name", G_CALLBACK (loading_spinner_sync), spinner, 0);
  loading_spinner_sync (stack, NULL, spinner);
}
