/* atlas-window-private.h — the main window's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-window.h"
#include "atlas-discovery.h"
#include "atlas-notifier.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

GtkWidget   *atlas_window_get_visible_page  (AtlasWindow *self);
GtkWidget   *atlas_window_get_active_ops    (AtlasWindow *self);
gboolean     atlas_window_get_recovering    (AtlasWindow *self);
GtkWidget   *atlas_window_get_all_ops_button (AtlasWindow *self);
const char  *atlas_window_get_offline_banner (AtlasWindow *self);
guint        atlas_window_get_stale_announced (AtlasWindow *self);
guint        atlas_window_get_failures_announced (AtlasWindow *self);
AtlasNotifier *atlas_window_get_notifier   (AtlasWindow *self);
AtlasPoller *atlas_window_get_connect_poller (AtlasWindow *self);
AtlasDiscovery *atlas_window_get_discovery (AtlasWindow *self);

G_END_DECLS
