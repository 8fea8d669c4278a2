/* atlas-duration.h — how the presenter writes an amount of time
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *atlas_format_duration (gint64 seconds);

G_END_DECLS
