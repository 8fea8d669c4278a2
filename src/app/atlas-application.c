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
#include "atlas-window.h"

struct _AtlasApplication
{
  AdwApplication      parent_instance;

  AtlasBackendServer *demo_server;
  GSettings          *settings;
  GtkWidget          *welcome;
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

static GtkWidget *
problem_window (AtlasApplication *self,
                const char       *title,
                const char       *description)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "network-server-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  gtk_window_set_title (GTK_WINDOW (window), _("TenantAtlas Operator"));
  return window;
}

/* Remember the size (not in kiosk mode: fullscreen says nothing about it). */
static gboolean
window_close_request_cb (GtkWindow        *window,
                         AtlasApplication *self)
{
  int width, height;

  if (self->settings == NULL || gtk_window_is_fullscreen (window))
    return FALSE;
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
  return FALSE;
}

static void
open_main_window (AtlasApplication *self,
                  AtlasClient      *client)
{
  GtkWindow *window;
  gboolean kiosk = self->kiosk || (self->settings != NULL && g_settings_get_boolean (self->settings, "kiosk"));
  gint64 workspace = self->workspace_id;

  if (workspace == 0 && self->settings != NULL)
    workspace = g_settings_get_int64 (self->settings, "workspace-id");

  window = GTK_WINDOW (atlas_window_new (GTK_APPLICATION (self), client, NULL,
                                         workspace, self->tenant_id, self->run_id));
  atlas_window_set_initial_operations (ATLAS_WINDOW (window), self->open_operations);
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (window, g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (window);
    }
  if (kiosk)
    {
      atlas_window_set_kiosk (ATLAS_WINDOW (window), TRUE);
      if (self->settings != NULL)
        atlas_window_set_kiosk_rotation (ATLAS_WINDOW (window),
                                         g_settings_get_uint (self->settings, "kiosk-rotate-seconds"));
    }
  else if (self->settings != NULL && g_settings_get_boolean (self->settings, "idle-discovery"))
    atlas_window_set_idle_discovery (ATLAS_WINDOW (window), TRUE);

  g_signal_connect_object (window, "close-request", G_CALLBACK (window_close_request_cb), self, 0);
  if (self->welcome != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->welcome)));
  gtk_window_present (window);
}

static void
connect_with (AtlasApplication *self,
              const char       *url,
              const char       *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) client = NULL;

  client = atlas_client_new (url, token,
                             self->allow_insecure ? ATLAS_CLIENT_FLAGS_ALLOW_INSECURE : ATLAS_CLIENT_FLAGS_NONE,
                             &error);
  if (client == NULL)
    {
      gtk_window_present (GTK_WINDOW (problem_window (self, _("Can't use this backend"), error->message)));
      return;
    }
  open_main_window (self, client);
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
dialog_connect_cb (const char *url,
                   const char *token,
                   gpointer    user_data)
{
  AtlasApplication *self = user_data;

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "backend-url", url);
  atlas_credentials_store_async (url, token, NULL, stored_cb, NULL);
  connect_with (self, url, token);
}

static void
ask_for_connection (AtlasApplication *self,
                    const char       *url)
{
  GtkWidget *dialog;

  if (self->welcome == NULL)
    self->welcome = problem_window (self, _("Not connected"),
                                    _("Connect to a TenantAtlas backend, or start with --demo to try the "
                                      "built-in demo."));
  gtk_window_present (GTK_WINDOW (self->welcome));
  dialog = atlas_connect_dialog_new (GTK_WINDOW (self->welcome), url, dialog_connect_cb, self);
  gtk_window_present (GTK_WINDOW (dialog));
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

  if (token != NULL)
    connect_with (lookup->self, lookup->url, token);
  else
    ask_for_connection (lookup->self, lookup->url);

  g_application_release (G_APPLICATION (lookup->self));
  g_free (lookup->url);
  g_free (lookup);
}

static void
atlas_application_activate (GApplication *app)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  const char *token;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->demo)
    {
      AtlasBackendOptions options = { NULL, "demo", FALSE, 0 };
      g_autoptr(AtlasClient) client = NULL;
      g_autofree char *demo_url = NULL;

      self->demo_server = atlas_backend_server_new (&options, &error);
      if (self->demo_server == NULL ||
          !atlas_backend_server_start (self->demo_server, "127.0.0.1", 0, &error))
        {
          gtk_window_present (GTK_WINDOW (problem_window (self, _("The demo backend did not start"),
                                                          error->message)));
          return;
        }
      demo_url = atlas_backend_server_dup_base_url (self->demo_server);
      client = atlas_client_new (demo_url, atlas_backend_server_get_token (self->demo_server, "operator"),
                                 ATLAS_CLIENT_FLAGS_NONE, &error);
      open_main_window (self, client);
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
  if (url == NULL)
    {
      ask_for_connection (self, NULL);
      return;
    }

  {
    Lookup *lookup = g_new0 (Lookup, 1);

    lookup->self = self;
    lookup->url = g_steal_pointer (&url);
    g_application_hold (app);
    atlas_credentials_lookup_async (lookup->url, NULL, lookup_cb, lookup);
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
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gboolean running = ATLAS_IS_WINDOW (window) && atlas_window_get_workspace_id (ATLAS_WINDOW (window)) > 0;
  const char *backend = NULL;
  gint64 run = 0, tenant = 0;

  g_variant_dict_lookup (options, "run", "x", &run);
  g_variant_dict_lookup (options, "tenant", "x", &tenant);

  if (window == NULL)
    {
      self->demo = g_variant_dict_contains (options, "demo");
      self->allow_insecure = g_variant_dict_contains (options, "allow-insecure");
      self->kiosk = g_variant_dict_contains (options, "kiosk");
      if (g_variant_dict_lookup (options, "backend", "&s", &backend))
        self->backend_url = g_strdup (backend);
      g_variant_dict_lookup (options, "workspace", "x", &self->workspace_id);
      self->run_id = run;
      self->tenant_id = tenant;
    }
  else if (running)
    {
      if (tenant > 0)
        atlas_window_show_tenant (ATLAS_WINDOW (window), tenant);
      if (run > 0)
        atlas_window_show_run (ATLAS_WINDOW (window), run);
    }

  /* Web console links (from chat, tickets, the browser) open the native view. */
  for (guint i = 1; args[i] != NULL; i++)
    {
      AtlasDeepLink link;

      if (!atlas_deep_link_parse (args[i], &link))
        {
          g_application_command_line_printerr (command_line,
                                               "atlas-operator: “%s” is not a link to a TenantAtlas console view\n",
                                               args[i]);
          continue;
        }
      if (running)
        atlas_window_open_link (ATLAS_WINDOW (window), &link);
      else if (window == NULL)
        {
          if (link.workspace_id > 0)
            self->workspace_id = link.workspace_id;
          if (link.run_id > 0)
            self->run_id = link.run_id;
          if (link.tenant_id > 0)
            self->tenant_id = link.tenant_id;
          if (link.kind == ATLAS_DEEP_LINK_OPERATIONS)
            self->open_operations = TRUE;
        }
    }

  if (window == NULL)
    g_application_activate (app);
  else
    gtk_window_present (window);
  return 0;
}

static void
atlas_application_shutdown (GApplication *app)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);

  if (self->demo_server != NULL)
    atlas_backend_server_stop (self->demo_server);

  G_APPLICATION_CLASS (atlas_application_parent_class)->shutdown (app);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
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

/* From a desktop notification: open that run's detail. */
static void
show_run_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (ATLAS_IS_WINDOW (window) && atlas_window_get_workspace_id (ATLAS_WINDOW (window)) > 0)
    {
      atlas_window_show_run (ATLAS_WINDOW (window), g_variant_get_int64 (parameter));
      gtk_window_present (window);
    }
}

static void
color_scheme_action (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  const char *scheme = g_variant_get_string (value, NULL);
  AdwColorScheme s = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (scheme, "light"))
    s = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (scheme, "dark"))
    s = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), s);
  g_simple_action_set_state (action, value);
}

static void
atlas_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "quit", quit_action },
    { "about", about_action },
    { "color-scheme", NULL, "s", "'default'", color_scheme_action },
    { "show-run", show_run_action, "x" },
  };
  static const char *quit_accels[] = { "<Primary>q", NULL };

  G_APPLICATION_CLASS (atlas_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
atlas_application_finalize (GObject *object)
{
  AtlasApplication *self = (AtlasApplication *)object;

  g_clear_object (&self->demo_server);
  g_clear_object (&self->settings);
  g_free (self->backend_url);

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
  return g_object_new (ATLAS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE |
                                (separate ? G_APPLICATION_NON_UNIQUE : 0),
                       "resource-base-path", "/org/tenantatlas/Operator",
                       NULL);
}
