/* atlas-preferences-window.h — discovery, notifications and kiosk options
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *atlas_preferences_window_new (GSettings *settings);

G_END_DECLS
