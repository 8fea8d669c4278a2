/* main.c — atlas-operator entry point
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "atlas-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AtlasApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* ATLAS_LOCALEDIR: translations of an uninstalled build (_build/po). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ATLAS_LOCALEDIR") ? g_getenv ("ATLAS_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* The name the desktop shows (window lists, notifications, the portal's dialogs);
   * the program name is the application id, so X11's WM_CLASS matches the desktop file. */
  g_set_application_name (_("TenantAtlas Operator"));
  g_set_prgname (APPLICATION_ID);

  /* A normal session owns its bus name (so notifications can open it); a demo or a
   * kiosk runs beside it as its own process. */
  {
    gboolean separate = FALSE;

    for (int i = 1; i < argc; i++)
      if (g_str_equal (argv[i], "--demo") || g_str_equal (argv[i], "--kiosk"))
        separate = TRUE;
    app = atlas_application_new (separate);
  }
  return g_application_run (G_APPLICATION (app), argc, argv);
}
