/* atlas-duration.c — floored, two-unit durations: "12 s", "3 min", "2 h 5 min", "3 d 4 h"
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-duration"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "atlas-duration.h"
#include "atlas-json.h"
#include "atlas-types.h"

/**
 * atlas_age_seconds:
 * @now: server time (the Date of the response), or %ATLAS_TIME_NONE
 * @since: a timestamp from the body, or %ATLAS_TIME_NONE
 * @out_age: (out): the age, 0 or more
 *
 * An age the server's clocks agree on. A small negative age (up to
 * %ATLAS_CLOCK_SKEW_TOLERANCE_S) is ordinary skew and reads as 0; a larger one — a
 * Date behind the run's own timestamps, or a start time far in the future — means
 * the age is not known, and nothing may be claimed or paced from it.
 *
 * Returns: %TRUE when the age is known
 */
gboolean
atlas_age_seconds (gint64  now,
                   gint64  since,
                   gint64 *out_age)
{
  gint64 age;

  g_return_val_if_fail (out_age != NULL, FALSE);

  *out_age = 0;
  if (now == ATLAS_TIME_NONE || since == ATLAS_TIME_NONE)
    return FALSE;
  age = atlas_time_diff (now, since);
  if (age < -ATLAS_CLOCK_SKEW_TOLERANCE_S)
    return FALSE;
  *out_age = MAX (age, 0);
  return TRUE;
}

/**
 * atlas_format_duration:
 * @seconds: an amount of time; negative values (clock skew) are written as 0 s
 *
 * Floors to the largest unit and keeps at most two units, so a kiosk never shows a
 * run "ahead" of what actually happened.
 */
char *
atlas_format_duration (gint64 seconds)
{
  gint64 minutes, hours, days;

  if (seconds < 0)
    seconds = 0;

  if (seconds < 60)
    /* TRANSLATORS: a duration in seconds, e.g. "12 s" */
    return g_strdup_printf (C_("duration", "%d s"), (int) seconds);

  minutes = seconds / 60;
  if (minutes < 60)
    /* TRANSLATORS: a duration in minutes, e.g. "3 min" */
    return g_strdup_printf (C_("duration", "%d min"), (int) minutes);

  hours = minutes / 60;
  minutes %= 60;
  if (hours < 24)
    {
      if (minutes == 0)
        /* TRANSLATORS: a duration in whole hours, e.g. "2 h" */
        return g_strdup_printf (C_("duration", "%d h"), (int) hours);
      /* TRANSLATORS: hours and minutes, e.g. "2 h 5 min" */
      return g_strdup_printf (C_("duration", "%d h %d min"), (int) hours, (int) minutes);
    }

  days = MIN (hours / 24, G_MAXINT);
  hours %= 24;
  if (hours == 0)
    /* TRANSLATORS: a duration in whole days, e.g. "3 d" */
    return g_strdup_printf (C_("duration", "%d d"), (int) days);
  /* TRANSLATORS: days and hours, e.g. "3 d 4 h" */
  return g_strdup_printf (C_("duration", "%d d %d h"), (int) days, (int) hours);
}
