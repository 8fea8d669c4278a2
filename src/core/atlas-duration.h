/* atlas-duration.h — how the presenter writes an amount of time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *atlas_format_duration (gint64 seconds);

G_END_DECLS
