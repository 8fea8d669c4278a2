/* atlas-window.h — the main window: header bar, navigation, refresh
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-deep-link.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

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
AtlasPoller *atlas_window_get_connect_poller (AtlasWindow *self);

G_END_DECLS
