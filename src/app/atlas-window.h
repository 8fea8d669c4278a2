/* atlas-window.h — the main window: header bar, navigation, refresh
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-deep-link.h"

G_BEGIN_DECLS

/* The ways forward a connection page offers (app.connect, app.demo, app.sign-in,
 * app.change-server). */
typedef enum
{
  ATLAS_WINDOW_OFFER_NONE          = 0,
  ATLAS_WINDOW_OFFER_CONNECT       = 1 << 0,
  ATLAS_WINDOW_OFFER_DEMO          = 1 << 1,
  ATLAS_WINDOW_OFFER_SIGN_IN       = 1 << 2,
  ATLAS_WINDOW_OFFER_CHANGE_SERVER = 1 << 3,
} AtlasWindowOffers;

typedef enum
{
  ATLAS_WINDOW_NOTIFY_NONE,
  ATLAS_WINDOW_NOTIFY_DESKTOP,
  ATLAS_WINDOW_NOTIFY_IN_APP,
} AtlasWindowNotify;

#define ATLAS_TYPE_WINDOW (atlas_window_get_type ())
G_DECLARE_FINAL_TYPE (AtlasWindow, atlas_window, ATLAS, WINDOW, AdwApplicationWindow)

AtlasWindow *atlas_window_new               (GtkApplication           *application,
                                             AtlasClient              *client,
                                             AtlasClock               *clock,
                                             gint64                    workspace_id,
                                             gint64                    tenant_id,
                                             gint64                    run_id);
void         atlas_window_push_page         (AtlasWindow *self,
                                             GtkWidget   *page);
void         atlas_window_go_back           (AtlasWindow *self);
void         atlas_window_show_run          (AtlasWindow *self,
                                             gint64       run_id);
void         atlas_window_show_tenant       (AtlasWindow *self,
                                             gint64       tenant_id);
void         atlas_window_show_operations   (AtlasWindow *self,
                                             gint64       tenant_id);
void         atlas_window_open_link         (AtlasWindow         *self,
                                             const AtlasDeepLink *link);
gint64       atlas_window_get_workspace_id  (AtlasWindow *self);
void         atlas_window_set_kiosk         (AtlasWindow *self,
                                             gboolean     kiosk);
void         atlas_window_set_initial_operations (AtlasWindow *self,
                                                  gboolean     open);
void         atlas_window_set_idle_discovery (AtlasWindow *self,
                                             gboolean     enabled);
void         atlas_window_set_kiosk_rotation (AtlasWindow *self,
                                             guint        seconds);
void         atlas_window_set_client        (AtlasWindow *self,
                                             AtlasClient *client);
AtlasClient *atlas_window_get_client        (AtlasWindow *self);
gboolean     atlas_window_get_connected     (AtlasWindow *self);
void         atlas_window_show_problem      (AtlasWindow       *self,
                                             const char        *icon,
                                             const char        *title,
                                             const char        *description,
                                             AtlasWindowOffers  offers);
void         atlas_window_show_toast        (AtlasWindow *self,
                                             const char  *text);
void         atlas_window_set_notify        (AtlasWindow       *self,
                                             AtlasWindowNotify  notify);
void         atlas_window_set_notify_stale  (AtlasWindow       *self,
                                             AtlasWindowNotify  notify);
void         atlas_window_set_notify_failures (AtlasWindow       *self,
                                               AtlasWindowNotify  notify);

G_END_DECLS
