/* atlas-application.c — command line, actions, and the embedded demo backend
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-application"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-application.h"
#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-window.h"

struct _AtlasApplication
{
  AdwApplication      parent_instance;

  AtlasBackendServer *demo_server;
  gboolean            demo;
  gboolean            allow_insecure;
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
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static gint
atlas_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);
  const char *backend = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("atlas-operator %s\n", PACKAGE_VERSION);
      return 0;
    }
  self->demo = g_variant_dict_contains (options, "demo");
  self->allow_insecure = g_variant_dict_contains (options, "allow-insecure");
  if (g_variant_dict_lookup (options, "backend", "&s", &backend))
    self->backend_url = g_strdup (backend);
  g_variant_dict_lookup (options, "workspace", "x", &self->workspace_id);
  g_variant_dict_lookup (options, "run", "x", &self->run_id);
  g_variant_dict_lookup (options, "tenant", "x", &self->tenant_id);

  if (self->demo && self->backend_url != NULL)
    {
      g_printerr ("atlas-operator: --demo and --backend exclude each other\n");
      return 2;
    }
  if (self->workspace_id < 0 || self->run_id < 0 || self->tenant_id < 0)
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
  return window;
}

static AtlasClient *
make_client (AtlasApplication  *self,
             GError           **error)
{
  g_autofree char *url = NULL;
  const char *token;

  if (self->demo)
    {
      AtlasBackendOptions options = { NULL, "demo", FALSE, 0 };

      self->demo_server = atlas_backend_server_new (&options, error);
      if (self->demo_server == NULL ||
          !atlas_backend_server_start (self->demo_server, "127.0.0.1", 0, error))
        return NULL;
      url = atlas_backend_server_dup_base_url (self->demo_server);
      return atlas_client_new (url, atlas_backend_server_get_token (self->demo_server, "operator"),
                               ATLAS_CLIENT_FLAGS_NONE, error);
    }

  url = g_strdup (self->backend_url != NULL ? self->backend_url : g_getenv ("ATLAS_BACKEND"));
  token = g_getenv ("ATLAS_TOKEN");
  if (url == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Start with --demo for the built-in demo backend, or with --backend URL "
                             "and the token in ATLAS_TOKEN."));
      return NULL;
    }
  if (token == NULL || token[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Set ATLAS_TOKEN to your bearer token and start again."));
      return NULL;
    }
  return atlas_client_new (url, token,
                           self->allow_insecure ? ATLAS_CLIENT_FLAGS_ALLOW_INSECURE : ATLAS_CLIENT_FLAGS_NONE,
                           error);
}

static void
atlas_application_activate (GApplication *app)
{
  AtlasApplication *self = ATLAS_APPLICATION (app);
  g_autoptr(AtlasClient) client = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  client = make_client (self, &error);
  if (client == NULL)
    {
      gtk_window_present (GTK_WINDOW (problem_window (self, _("No backend"), error->message)));
      return;
    }

  window = GTK_WINDOW (atlas_window_new (GTK_APPLICATION (app), client, NULL,
                                         self->workspace_id, self->tenant_id, self->run_id, NULL));
  gtk_window_present (window);
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
                         NULL);
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
  app_class->startup = atlas_application_startup;
  app_class->shutdown = atlas_application_shutdown;
}

static void
atlas_application_init (AtlasApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Watch TenantAtlas operation runs across tenants."));
}

AtlasApplication *
atlas_application_new (void)
{
  /* Non-unique: a demo, a kiosk and a real session may run side by side. */
  return g_object_new (ATLAS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/tenantatlas/Operator",
                       NULL);
}
