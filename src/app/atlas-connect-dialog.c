/* atlas-connect-dialog.c — backend address and token, validated as they are typed
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-connect-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "atlas-client.h"
#include "atlas-connect-dialog.h"
#include "atlas-ui-util.h"

struct _AtlasConnectDialog
{
  AdwMessageDialog  parent_instance;

  AtlasConnectFunc  func;
  gpointer          user_data;

  GtkWidget        *url_row;
  GtkWidget        *token_row;
  GtkWidget        *hint;
};

G_DEFINE_FINAL_TYPE (AtlasConnectDialog, atlas_connect_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
validate (AtlasConnectDialog *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) client = NULL;
  gboolean ok = FALSE;

  if (url[0] != '\0')
    client = atlas_client_new (url, NULL, ATLAS_CLIENT_FLAGS_NONE, &error);
  if (client != NULL && token[0] != '\0')
    ok = TRUE;

  /* Say why Connect is off; the address rule matters (tokens over plain HTTP). */
  /* Not while the address is still being typed from the "https://" we offered. */
  gtk_label_set_label (GTK_LABEL (self->hint), error != NULL ? error->message : "");
  gtk_widget_set_visible (self->hint, error != NULL && strlen (url) > strlen ("https://"));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect", ok);
}

static void
changed_cb (AtlasConnectDialog *self,
            GtkEditable        *editable)
{
  /* Destroying the rows empties them: the other row may be gone by then. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->url_row == NULL || self->token_row == NULL)
    return;
  validate (self);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response)
{
  AtlasConnectDialog *self = ATLAS_CONNECT_DIALOG (dialog);

  /* libadwaita 1.2's entry rows cast their (already disposed) text when the focus
   * leaves them during destruction: take the focus away while they are whole. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (g_str_equal (response, "connect") && self->func != NULL)
    self->func (gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
                self->user_data);
}

static void
atlas_connect_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ATLAS_TYPE_CONNECT_DIALOG);

  G_OBJECT_CLASS (atlas_connect_dialog_parent_class)->dispose (object);
}

static void
atlas_connect_dialog_class_init (AtlasConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_connect_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtlasConnectDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasConnectDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasConnectDialog, hint);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);
}

/* "_Connect" → "Connect", "__" → "_": what the button shows, without its mnemonic. */
static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *c = label; *c != '\0'; c++)
    {
      if (*c == '_')
        {
          if (c[1] != '_')
            continue;
          c++;
        }
      g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

/* AdwMessageDialog's response buttons use underlines, and GTK 4.8 puts the raw
 * "_Connect" into the accessible name: give each such button its shown text. */
static void
name_underlined_buttons (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *label;

      if (GTK_IS_BUTTON (child) && gtk_button_get_use_underline (GTK_BUTTON (child)) &&
          (label = gtk_button_get_label (GTK_BUTTON (child))) != NULL && strchr (label, '_') != NULL)
        {
          g_autofree char *name = strip_mnemonic (label);

          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
      name_underlined_buttons (child);
    }
}

static void
atlas_connect_dialog_init (AtlasConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atlas_accessible_name_buttons (GTK_WIDGET (self));
  name_underlined_buttons (GTK_WIDGET (self));
}

/* Returns: (transfer none): the row of the address (tests fill it) */
GtkWidget *
atlas_connect_dialog_get_url_row (GtkWidget *dialog)
{
  g_return_val_if_fail (ATLAS_IS_CONNECT_DIALOG (dialog), NULL);
  return ATLAS_CONNECT_DIALOG (dialog)->url_row;
}

/* Returns: (transfer none): the row of the token */
GtkWidget *
atlas_connect_dialog_get_token_row (GtkWidget *dialog)
{
  g_return_val_if_fail (ATLAS_IS_CONNECT_DIALOG (dialog), NULL);
  return ATLAS_CONNECT_DIALOG (dialog)->token_row;
}

GtkWidget *
atlas_connect_dialog_new (GtkWindow        *parent,
                          const char       *backend_url,
                          AtlasConnectFunc  func,
                          gpointer          user_data)
{
  AtlasConnectDialog *self = g_object_new (ATLAS_TYPE_CONNECT_DIALOG,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           NULL);

  self->func = func;
  self->user_data = user_data;
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), backend_url != NULL ? backend_url : "https://");
  validate (self);
  /* Signing in again to a known address: the token is what is missing. */
  if (backend_url != NULL && backend_url[0] != '\0')
    gtk_widget_grab_focus (self->token_row);

  return GTK_WIDGET (self);
}
