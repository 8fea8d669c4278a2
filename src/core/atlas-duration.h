/* atlas-duration.h — how the presenter writes an amount of time
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How far the server's clocks may disagree (its Date header against the timestamps
 * its workers wrote) before an age is no longer believed: Date has a resolution of
 * one second, a worker stamps started_at a moment before the answer is sent, and NTP
 * keeps healthy hosts well within a second or two of each other. Beyond 5 s the
 * clocks disagree for real and the age is unknown. */
#define ATLAS_CLOCK_SKEW_TOLERANCE_S 5

char     *atlas_format_duration (gint64  seconds);
gboolean  atlas_age_seconds     (gint64  now,
                                 gint64  since,
                                 gint64 *out_age);

G_END_DECLS
