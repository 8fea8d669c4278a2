/* atlas-visibility.h — the one place that knows whether a widget is really on screen
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-poller.h"

G_BEGIN_DECLS

/* Feeds @poller from @widget: visible while the widget is mapped and its window is
 * neither minimized nor suspended; modal-open while a visible modal window is
 * transient for that window. Lives as long as @poller; holds no strong references. */
void      atlas_visibility_track            (GtkWidget   *widget,
                                             AtlasPoller *poller);
gboolean  atlas_visibility_widget_is_shown  (GtkWidget   *widget);
gboolean  atlas_visibility_window_has_modal (GtkWindow   *window);
void      atlas_visibility_set_held         (GtkWindow   *window,
                                             gboolean     held);

G_END_DECLS
