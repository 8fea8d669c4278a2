/* atlas-application.c — command line, actions, and the embedded demo backend
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-application"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-application.h"
#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-connect-dialog.h"
#include "atlas-credentials.h"
#include "atlas-deep-link.h"
#include "atlas-preferences-window.h"
#include "atlas-window.h"

struct _AtlasApplication
{
  AdwApplication      parent_instance;

  AtlasBackendServer *demo_server;
  GSettings          *settings;
  AtlasWindow        *window;          /* the one main window (weak) */
  GtkWidget          *dialog;          /* the connect dialog while open (weak) */
  GtkWidget          *preferences;     /* (weak) */
  char               *pending_url;     /* from the dialog, kept once /me accepts it */
  char               *pending_token;
  gboolean            demo;
  gboolean            allow_insecure;
  gboolean            kiosk;
  gboolean            open_operations;
  char               *backend_url;
  gint64              workspace_id;
  gint64              run_id;
  gint64              tenant_id;
};

G_DEFINE_FINAL_TYPE (AtlasApplication, atlas_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start the embedded demo backend on loopback and connect to it"), NULL },
  { "backend", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Backend URL (token from ATLAS_TOKEN)"), N_("URL") },
  { "workspace", 0, 0, G_OPTION_ARG_INT64, NULL, N_("Workspace to open (default: the first one)"), N_("ID") },
  { "run", 0, 0, G_OPTION_ARG_INT64, NULL, N_("Open this run's detail"), N_("ID") },
  { "tenant", 0, 0, G_OPTION_ARG_INT64, NULL, N_("Open this tenant's dashboard"), N_("ID") },
  { "allow-insecure", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Allow plain http:// to a host that is not loopback"), NULL },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Wall-screen mode: fullscreen, read-only, recovers by itself"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* Runs in the process that was started: --version, and refusing bad options early. */
static gint
atlas_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  gint64 workspace = 0, run = 0, tenant = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("atlas-operator %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "demo") && g_variant_dict_contains (options, "backend"))
    {
      g_printerr ("atlas-operator: --demo and --backend exclude each other\n");
      return 2;
    }
  g_variant_dict_lookup (options, "workspace", "x", &workspace);
  g_variant_dict_lookup (options, "run", "x", &run);
  g_variant_dict_lookup (options, "tenant", "x", &tenant);
  if (workspace < 0 || run < 0 || tenant < 0)
    {
      g_printerr ("atlas-operator: ids must be positive\n");
      return 2;
    }
  return -1;
}

/* The workspace's notices (runs that become likely stale, notify-workspace-stale;
 * runs that end failed or blocked, notify-workspace-failures): the preference, off by
 * default; toasts in the demo. */
static AtlasWindowNotify
workspace_notify_mode (AtlasApplication *self,
                       const char       *key)
{
  if (self->demo)
    return ATLAS_WINDOW_NOTIFY_IN_APP;
  if (self->settings == NULL || !g_settings_get_boolean (self->settings, key))
    return ATLAS_WINDOW_NOTIFY_NONE;
  return ATLAS_WINDOW_NOTIFY_DESKTOP;
}

static AtlasWindowNotify
notify_mode (AtlasApplication *self)
{
  if (self->demo)
    return ATLAS_WINDOW_NOTIFY_IN_APP;
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "notify-my-runs"))
    return ATLAS_WINDOW_NOTIFY_NONE;
  return ATLAS_WINDOW_NOTIFY_DESKTOP;
}

/* Where each kind of notification goes, from the preferences (and --demo). */
static void
apply_notify_modes (AtlasApplication *self)
{
  atlas_window_set_notify (self->window, notify_mode (self));
  atlas_window_set_notify_stale (self->window, workspace_notify_mode (self, "notify-workspace-stale"));
  atlas_window_set_notify_failures (self->window, workspace_notify_mode (self, "notify-workspace-failures"));
}

/* Remember the size (not in kiosk mode: fullscreen says nothing about it). */
static void
save_window_state (AtlasApplication *self)
{
  GtkWindow *window = GTK_WINDOW (self->window);
  int width, height;

  if (window == NULL || self->settings == NULL || gtk_window_is_fullscreen (window))
    return;
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
}

static gboolean
window_close_request_cb (GtkWindow        *window,
                         AtlasApplication *self)
{
  save_window_state (self);
  return FALSE;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Without a keyring the token still works for this session; say so once. */
  if (!atlas_credentials_store_finish (result, &error))
    g_message ("The token could not be saved in the keyring: %s", error->message);
}

static void
window_signed_in_cb (AtlasWindow      *window,
                     AtlasApplication *self)
{
  AtlasClient *client = atlas_window_get_client (window);

  /* The token from the dialog is kept only now that /me accepted it. */
  if (self->pending_token == NULL || client == NULL ||
      g_strcmp0 (atlas_client_get_base_url (client), self->pending_url) != 0)
    return;
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "backend-url", self->pending_url);
  atlas_credentials_store_async (self->pending_url, self->pending_token, NULL, stored_cb, NULL);
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_token, g_free);
}

/* The one main window; a new connection replaces its pages, not the window. */
static AtlasWindow *
ensure_window (AtlasApplication *self)
{
  GtkWindow *window;
  gboolean kiosk = self->kiosk || (self->settings != NULL && g_settings_get_boolean (self->settings, "kiosk"));

  if (self->window != NULL)
    return self->window;

  window = GTK_WINDOW (atlas_window_new (GTK_APPLICATION (self), NULL, NULL,
                                         self->workspace_id, self->tenant_id, self->run_id));
  self->window = ATLAS_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  atlas_window_set_initial_operations (self->window, self->open_operations);
  apply_notify_modes (self);
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (window, g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (window);
    }
  if (kiosk)
    {
      atlas_window_set_kiosk (self->window, TRUE);
      if (self->settings != NULL)
        atlas_window_set_kiosk_rotation (self->window, g_settings_get_uint (self->settings, "kiosk-rotate-seconds"));
    }
  else if (self->settings != NULL)
    /* On unless the preference turns it off (the window's default is on). */
    atlas_window_set_idle_discovery (self->window, g_settings_get_boolean (self->settings, "idle-discovery"));

  g_signal_connect_object (window, "close-request", G_CALLBACK (window_close_request_cb), self, 0);
  g_signal_connect_object (window, "signed-in", G_CALLBACK (window_signed_in_cb), self, 0);
  gtk_window_present (window);
  return self->window;
}

static void
stop_demo (AtlasApplication *self)
{
  if (self->demo_server != NULL)
    atlas_backend_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  self->demo = FALSE;
}

/* The problem pages of the application (the window has those of the connection). */
static void
show_problem (AtlasApplication  *self,
              const char        *title,
              const char        *description,
              AtlasWindowOffers  offers)
{
  AtlasWindow *window = ensure_window (self);

  atlas_window_set_client (window, NULL);
  atlas_window_show_problem (window, "network-server-symbolic", title, description, offers);
}

static void
connect_with (AtlasApplication *self,
              const char       *url,
              const char       *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) client = NULL;

  if (url != self->backend_url)
    {
      g_free (self->backend_url);
      self->backend_url = g_strdup (url);
    }
  client = atlas_client_new (url, token,
                             self->allow_insecure ? ATLAS_CLIENT_FLAGS_ALLOW_INSECURE : ATLAS_CLIENT_FLAGS_NONE,
                             &error);
  if (client == NULL)
    {
      show_problem (self, _("Can't use this backend"), error->message,
                    ATLAS_WINDOW_OFFER_CHANGE_SERVER | ATLAS_WINDOW_OFFER_DEMO);
      return;
    }
  stop_demo (self);
  ensure_window (self);
  apply_notify_modes (self);
  atlas_window_set_client (self->window, client);
}

static void
start_demo (AtlasApplication *self)
{
  AtlasBackendOptions options = { NULL, "demo", FALSE, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) client = NULL;
  g_autofree char *demo_url = NULL;

  if (self->demo_server == NULL)
    {
      self->demo_server = atlas_backend_server_new (&options, &error);
      if (self->demo_server == NULL ||
          !atlas_backend_server_start (self->demo_server, "127.0.0.1", 0, &error))
        {
          g_clear_object (&self->demo_server);
          show_problem (self, _("The demo backend did not start"), error->message,
                        ATLAS_WINDOW_OFFER_CONNECT);
          return;
        }
    }
  self->demo = TRUE;
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_token, g_free);
  demo_url = atlas_backend_server_dup_base_url (self->demo_server);
  client = atlas_client_new (demo_url, atlas_backend_server_get_token (self->demo_server, "operator"),
                             ATLAS_CLIENT_FLAGS_NONE, &error);
  ensure_window (self);
  apply_notify_modes (self);
  atlas_window_set_client (self->window, client);
}

static void
dialog_connect_cb (const char *url,
                   const char *token,
                   gpointer    user_data)
{
  AtlasApplication *self = user_data;

  /* Kept in memory until /me says the token is good (window_signed_in_cb). */
  g_free (self->pending_url);
  g_free (self->pending_token);
  self->pending_url = g_strdup (url);
  self->pending_token = g_strdup (token);
  connect_with (self, url, token);
}

/* Over the main window, which stays (with its ways forward) when this is cancelled. */
static void
ask_for_connection (AtlasApplication *self,
                    const char       *url)
{
  AtlasWindow *window = ensure_window (self);

  if (self->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->dialog));
      return;
    }
  self->dialog = atlas_connect_dialog_new (GTK_WINDOW (window), url, dialog_connect_cb, self);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

typedef struct
{
  AtlasApplication *self;
  char             *url;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = atlas_credentials_lookup_finish (result, &error);

  if (error != NULL)
    g_message ("The keyring could not be read: %s", error->message);
  if (token != NULL)
    connect_with (lookup->self, lookup->url, token);
  else
    {
      show_problem (lookup->self, _("Not signed in"),
                    _("No token for this backend is kept in your keyring."),
                    ATLAS_WINDOW_OFFER_SIGN_IN | ATLAS_WINDOW_OFFER_CHANGE_SERVER | ATLAS_WINDOW_OFFER_DEMO);
      ask_for_connection (lookup->self, lookup->url);
    }

  g_application_release (G_APPLICATION (lookup->self));
  g_free (lookup->url);
  g_free (lookup);
}

static void
atlas_application_activate (GApplication *app)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);
  g_autofree char *url = NULL;
  const char *token;

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }

  if (self->demo)
    {
      start_demo (self);
      return;
    }

  /* The address: --backend, then ATLAS_BACKEND, then the last one used. */
  url = g_strdup (self->backend_url);
  if (url == NULL && g_getenv ("ATLAS_BACKEND") != NULL)
    url = g_strdup (g_getenv ("ATLAS_BACKEND"));
  if (url == NULL && self->settings != NULL)
    url = g_settings_get_string (self->settings, "backend-url");
  if (url != NULL && url[0] == '\0')
    g_clear_pointer (&url, g_free);

  /* The token: ATLAS_TOKEN overrides (kiosks), else the keyring. */
  token = g_getenv ("ATLAS_TOKEN");
  if (url != NULL && token != NULL && token[0] != '\0')
    {
      connect_with (self, url, token);
      return;
    }
  ensure_window (self);
  if (url == NULL)
    {
      ask_for_connection (self, NULL);
      return;
    }

  g_free (self->backend_url);
  self->backend_url = g_strdup (url);
  atlas_window_show_problem (self->window, "network-transmit-receive-symbolic", _("Connecting…"), url,
                             ATLAS_WINDOW_OFFER_NONE);
  {
    Lookup *lookup = g_new0 (Lookup, 1);

    lookup->self = self;
    lookup->url = g_steal_pointer (&url);
    g_application_hold (app);
    atlas_credentials_lookup_async (lookup->url, NULL, lookup_cb, lookup);
  }
}

/* The backend a link must belong to: the connected one, else the configured one. */
static const char *
expected_backend (AtlasApplication *self)
{
  AtlasClient *client = self->window != NULL ? atlas_window_get_client (self->window) : NULL;
  const char *url;

  if (client != NULL)
    return atlas_client_get_base_url (client);
  if (self->backend_url != NULL)
    return self->backend_url;
  url = g_getenv ("ATLAS_BACKEND");
  if (url != NULL && url[0] != '\0')
    return url;
  if (self->settings != NULL)
    {
      g_autofree char *stored = g_settings_get_string (self->settings, "backend-url");

      if (stored[0] != '\0')
        {
          self->backend_url = g_steal_pointer (&stored);
          return self->backend_url;
        }
    }
  return NULL;
}

/* Checks one console link. With no backend set up yet, its origin becomes the
 * address the connect dialog suggests. */
static gboolean
check_link (AtlasApplication  *self,
            const char        *url,
            AtlasDeepLink     *link,
            GError           **error)
{
  const char *backend;

  if (!atlas_deep_link_parse (url, link))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a link to a TenantAtlas console view"), url);
      return FALSE;
    }
  backend = self->demo ? NULL : expected_backend (self);
  if (self->demo)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("This window shows the demo; “%s” belongs to a real backend"), url);
      return FALSE;
    }
  if (backend == NULL)
    {
      self->backend_url = atlas_deep_link_dup_origin (url);
      return TRUE;
    }
  if (!atlas_deep_link_same_origin (url, backend))
    {
      g_autofree char *origin = atlas_deep_link_dup_origin (url);

      /* The same run number there is another run: never show ours for it. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("This link is for %s, but you are connected to %s"), origin, backend);
      return FALSE;
    }
  return TRUE;
}

/* Launchers (GNOME Shell, Software, GDesktopAppInfo) hand links over D-Bus. */
static void
atlas_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr(GError) error = NULL;
      AtlasDeepLink link;

      if (!check_link (self, uri, &link, &error))
        {
          g_application_activate (app);
          atlas_window_show_toast (self->window, error->message);
          continue;
        }
      g_application_activate (app);
      atlas_window_open_link (self->window, &link);
    }
}

/* Runs in the primary instance, with the options of whichever process was started:
 * a second `atlas-operator --run 15` (or a console link) opens in the running window. */
static int
atlas_application_command_line (GApplication            *app,
                                GApplicationCommandLine *command_line)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto(GStrv) args = g_application_command_line_get_arguments (command_line, NULL);
  g_autoptr(GArray) links = g_array_new (FALSE, TRUE, sizeof (AtlasDeepLink));
  gboolean running = self->window != NULL;
  const char *backend = NULL;
  gint64 run = 0, tenant = 0;

  g_variant_dict_lookup (options, "run", "x", &run);
  g_variant_dict_lookup (options, "tenant", "x", &tenant);

  if (!running)
    {
      self->demo = g_variant_dict_contains (options, "demo");
      self->allow_insecure = g_variant_dict_contains (options, "allow-insecure");
      self->kiosk = g_variant_dict_contains (options, "kiosk");
      if (g_variant_dict_lookup (options, "backend", "&s", &backend))
        {
          g_free (self->backend_url);
          self->backend_url = g_strdup (backend);
        }
      g_variant_dict_lookup (options, "workspace", "x", &self->workspace_id);
      self->run_id = run;
      self->tenant_id = tenant;
    }

  /* Web console links (from chat, tickets, the browser) open the native view; one
   * that is not such a link, or is from another deployment, opens nothing. */
  for (guint i = 1; args[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      AtlasDeepLink link;

      if (!check_link (self, args[i], &link, &error))
        {
          g_application_command_line_printerr (command_line, "atlas-operator: %s\n", error->message);
          return 2;
        }
      g_array_append_val (links, link);
    }

  g_application_activate (app);
  if (running)
    {
      if (tenant > 0)
        {
          AtlasDeepLink link = { ATLAS_DEEP_LINK_TENANT, 0, 0, tenant };
          atlas_window_open_link (self->window, &link);
        }
      if (run > 0)
        {
          AtlasDeepLink link = { ATLAS_DEEP_LINK_RUN, 0, run, 0 };
          atlas_window_open_link (self->window, &link);
        }
    }
  for (guint i = 0; i < links->len; i++)
    atlas_window_open_link (self->window, &g_array_index (links, AtlasDeepLink, i));
  return 0;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  AtlasApplication *self = user_data;

  /* Ctrl+Q closes no window: keep its size as closing it would. */
  save_window_state (self);
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *developers[] = { "TenantAtlas Operator team", NULL };

  adw_show_about_window (parent,
                         "application-name", _("TenantAtlas Operator"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", "TenantAtlas",
                         "developers", developers,
                         "comments", _("Watch the operation runs of every tenant, and see at once what is stuck."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* TRANSLATORS: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* From a desktop notification, also when it starts us (D-Bus activation of
 * app.show-run, as GNOME Shell does): open that run's detail once connected. */
static void
show_run_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AtlasApplication *self = user_data;
  AtlasDeepLink link = { ATLAS_DEEP_LINK_RUN, 0, g_variant_get_int64 (parameter), 0 };

  if (link.run_id <= 0)
    return;
  g_application_activate (G_APPLICATION (self));
  atlas_window_open_link (self->window, &link);
}

/* Connect…, Sign In… and Change Server…: the dialog, with the address we know. */
static void
connect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AtlasApplication *self = user_data;

  ask_for_connection (self, self->demo ? NULL : expected_backend (self));
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  start_demo (ATLAS_APPLICATION (user_data));
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AtlasApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atlas_credentials_clear_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The token could not be removed from the keyring: %s"),
                                               error->message);

      if (self->window != NULL)
        atlas_window_show_toast (self->window, text);
    }
}

/* Sign Out: the keyring item goes, and so does every page of the connection. */
static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AtlasApplication *self = user_data;
  AtlasClient *client = self->window != NULL ? atlas_window_get_client (self->window) : NULL;
  g_autofree char *url = client != NULL ? g_strdup (atlas_client_get_base_url (client)) : NULL;

  if (self->demo)
    {
      stop_demo (self);
      show_problem (self, _("Not connected"), _("Connect to a TenantAtlas backend, or try the built-in demo."),
                    ATLAS_WINDOW_OFFER_CONNECT | ATLAS_WINDOW_OFFER_DEMO);
      return;
    }
  if (url == NULL)
    url = g_strdup (expected_backend (self));
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_token, g_free);
  if (url != NULL)
    atlas_credentials_clear_async (url, NULL, cleared_cb, g_object_ref (self));
  show_problem (self, _("Signed out"),
                _("The token was removed from your keyring. Sign in again, or connect to another server."),
                ATLAS_WINDOW_OFFER_SIGN_IN | ATLAS_WINDOW_OFFER_CHANGE_SERVER | ATLAS_WINDOW_OFFER_DEMO);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AtlasApplication *self = user_data;

  if (self->preferences == NULL)
    {
      self->preferences = atlas_preferences_window_new (self->settings);
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      if (self->window != NULL)
        gtk_window_set_transient_for (GTK_WINDOW (self->preferences), GTK_WINDOW (self->window));
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

static AdwColorScheme
color_scheme_from_string (const char *scheme)
{
  if (g_strcmp0 (scheme, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (scheme, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
color_scheme_action (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  AtlasApplication *self = user_data;
  const char *scheme = g_variant_get_string (value, NULL);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme_from_string (scheme));
  g_simple_action_set_state (action, value);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "color-scheme", scheme);
}

/* Preferences that take effect at once. */
static void
settings_changed_cb (GSettings        *settings,
                     const char       *key,
                     AtlasApplication *self)
{
  if (self->window == NULL)
    return;
  if (g_str_equal (key, "notify-my-runs"))
    atlas_window_set_notify (self->window, notify_mode (self));
  else if (g_str_equal (key, "notify-workspace-stale"))
    atlas_window_set_notify_stale (self->window, workspace_notify_mode (self, "notify-workspace-stale"));
  else if (g_str_equal (key, "notify-workspace-failures"))
    atlas_window_set_notify_failures (self->window, workspace_notify_mode (self, "notify-workspace-failures"));
  else if (g_str_equal (key, "idle-discovery"))
    atlas_window_set_idle_discovery (self->window, g_settings_get_boolean (settings, key));
}

static void
atlas_application_startup (GApplication *app)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);
  static const GActionEntry actions[] = {
    { "quit", quit_action },
    { "about", about_action },
    { "preferences", preferences_action },
    { "color-scheme", NULL, "s", "'default'", color_scheme_action },
    { "show-run", show_run_action, "x" },
    { "connect", connect_action },
    { "sign-in", connect_action },
    { "change-server", connect_action },
    { "sign-out", sign_out_action },
    { "demo", demo_action },
  };
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };

  G_APPLICATION_CLASS (atlas_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  /* The colour scheme chosen last time. */
  if (self->settings != NULL)
    {
      g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), "color-scheme");

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme_from_string (scheme));
      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (scheme));
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
    }
}

static void
atlas_application_shutdown (GApplication *app)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);

  stop_demo (self);

  G_APPLICATION_CLASS (atlas_application_parent_class)->shutdown (app);
}

static void
atlas_application_finalize (GObject *object)
{
  AtlasApplication *self = (AtlasApplication *)object;

  g_clear_object (&self->demo_server);
  g_clear_object (&self->settings);
  g_free (self->backend_url);
  g_free (self->pending_url);
  g_free (self->pending_token);

  G_OBJECT_CLASS (atlas_application_parent_class)->finalize (object);
}

static void
atlas_application_class_init (AtlasApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = atlas_application_finalize;
  app_class->handle_local_options = atlas_application_handle_local_options;
  app_class->activate = atlas_application_activate;
  app_class->command_line = atlas_application_command_line;
  app_class->open = atlas_application_open;
  app_class->startup = atlas_application_startup;
  app_class->shutdown = atlas_application_shutdown;
}

static void
atlas_application_init (AtlasApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Uninstalled runs may lack the schema: then the defaults apply, nothing is saved. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.tenantatlas.Operator", TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Watch TenantAtlas operation runs across tenants."));
}

/**
 * atlas_application_new:
 * @separate: run as a process of its own (demo, kiosk) instead of the one instance
 *   that owns the application's bus name
 */
AtlasApplication *
atlas_application_new (gboolean separate)
{
  /* HANDLES_OPEN: launchers pass console links with org.freedesktop.Application.Open. */
  return g_object_new (ATLAS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN |
                                (separate ? G_APPLICATION_NON_UNIQUE : 0),
                       "resource-base-path", "/org/tenantatlas/Operator",
                       NULL);
}
