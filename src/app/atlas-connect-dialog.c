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

typedef struct
{
  GtkWidget        *dialog;
  GtkWidget        *url_row;
  GtkWidget        *token_row;
  GtkWidget        *hint;
  AtlasConnectFunc  func;
  gpointer          user_data;
} ConnectState;

static void
validate (ConnectState *state)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (state->url_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (state->token_row));
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) client = NULL;
  gboolean ok = FALSE;

  if (url[0] != '\0')
    client = atlas_client_new (url, NULL, ATLAS_CLIENT_FLAGS_NONE, &error);
  if (client != NULL && token[0] != '\0')
    ok = TRUE;

  /* Say why Connect is off; the address rule matters (tokens over plain HTTP). */
  /* Not while the address is still being typed from the "https://" we offered. */
  gtk_label_set_label (GTK_LABEL (state->hint), error != NULL ? error->message : "");
  gtk_widget_set_visible (state->hint, error != NULL && strlen (url) > strlen ("https://"));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (state->dialog), "connect", ok);
}

static void
changed_cb (GtkEditable  *editable,
            ConnectState *state)
{
  /* Destroying the rows empties them: the other row may be gone by then. */
  if (gtk_widget_in_destruction (state->dialog))
    return;
  validate (state);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             ConnectState     *state)
{
  /* libadwaita 1.2's entry rows cast their (already disposed) text when the focus
   * leaves them during destruction: take the focus away while they are whole. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (g_str_equal (response, "connect"))
    state->func (gtk_editable_get_text (GTK_EDITABLE (state->url_row)),
                 gtk_editable_get_text (GTK_EDITABLE (state->token_row)),
                 state->user_data);
}

/* Returns: (transfer none): the row of the address (tests fill it) */
GtkWidget *
atlas_connect_dialog_get_url_row (GtkWidget *dialog)
{
  ConnectState *state = g_object_get_data (G_OBJECT (dialog), "atlas-connect-state");

  g_return_val_if_fail (state != NULL, NULL);
  return state->url_row;
}

/* Returns: (transfer none): the row of the token */
GtkWidget *
atlas_connect_dialog_get_token_row (GtkWidget *dialog)
{
  ConnectState *state = g_object_get_data (G_OBJECT (dialog), "atlas-connect-state");

  g_return_val_if_fail (state != NULL, NULL);
  return state->token_row;
}

GtkWidget *
atlas_connect_dialog_new (GtkWindow        *parent,
                          const char       *backend_url,
                          AtlasConnectFunc  func,
                          gpointer          user_data)
{
  ConnectState *state = g_new0 (ConnectState, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *group = adw_preferences_group_new ();

  state->func = func;
  state->user_data = user_data;
  state->dialog = adw_message_dialog_new (parent, _("Connect to TenantAtlas"),
                                          _("The token is kept in your keyring, never in a file."));
  state->url_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (state->url_row), _("Backend address"));
  gtk_editable_set_text (GTK_EDITABLE (state->url_row), backend_url != NULL ? backend_url : "https://");
  state->token_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (state->token_row), _("Token"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), state->url_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), state->token_row);
  state->hint = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (state->hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (state->hint), 0);
  gtk_widget_add_css_class (state->hint, "dim-label");
  gtk_box_append (GTK_BOX (box), group);
  gtk_box_append (GTK_BOX (box), state->hint);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (state->dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (state->dialog),
                                    "cancel", _("_Cancel"),
                                    "connect", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (state->dialog), "connect",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (state->dialog), "connect");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (state->dialog), "cancel");

  g_signal_connect (state->url_row, "changed", G_CALLBACK (changed_cb), state);
  g_signal_connect (state->token_row, "changed", G_CALLBACK (changed_cb), state);
  /* Enter in either row connects, as the default response does (when enabled). */
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (state->url_row), TRUE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (state->token_row), TRUE);
  g_signal_connect (state->dialog, "response", G_CALLBACK (response_cb), state);
  g_object_set_data_full (G_OBJECT (state->dialog), "atlas-connect-state", state, g_free);
  validate (state);
  /* Signing in again to a known address: the token is what is missing. */
  if (backend_url != NULL && backend_url[0] != '\0')
    gtk_widget_grab_focus (state->token_row);

  return state->dialog;
}
