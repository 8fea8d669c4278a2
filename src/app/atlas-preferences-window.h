/* atlas-preferences-window.h — discovery, notifications and kiosk options
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATLAS_TYPE_PREFERENCES_WINDOW (atlas_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AtlasPreferencesWindow, atlas_preferences_window, ATLAS, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *atlas_preferences_window_new (GSettings *settings);

G_END_DECLS
