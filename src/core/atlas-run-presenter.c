/* atlas-run-presenter.c — the truth table of presenter-rules.md, and nothing else
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure: no GTK, no network, no clock of its own. `now` is the server time of the
 * response that carried the run, so a kiosk with a wrong clock still says the truth.
 */

#define G_LOG_DOMAIN "atlas-run-presenter"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atlas-duration.h"
#include "atlas-json.h"
#include "atlas-poll-policy.h"
#include "atlas-run-presenter.h"
#include "atlas-run.h"

#define ICON_QUEUED       "alarm-symbolic"
#define ICON_RUNNING      "media-playback-start-symbolic"
#define ICON_SUCCEEDED    "object-select-symbolic"
#define ICON_PARTIAL      "dialog-warning-symbolic"
#define ICON_FAILED       "dialog-error-symbolic"
#define ICON_BLOCKED      "action-unavailable-symbolic"
#define ICON_CANCELLED    "process-stop-symbolic"
#define ICON_UNKNOWN      "dialog-question-symbolic"
#define ICON_LIKELY_STALE "dialog-warning-symbolic"
#define ICON_RECONCILED   "emblem-synchronizing-symbolic"

static const char *
first_failure_message (AtlasRun *run)
{
  for (guint i = 0; i < atlas_run_get_n_failures (run); i++)
    {
      const AtlasFailureEntry *entry = atlas_run_get_failure (run, i);

      if (entry->message != NULL && entry->message[0] != '\0')
        return entry->message;
    }
  return NULL;
}

/* Determinate progress only when both numbers are there and total is positive
 * (hard rule 3); the fraction never leaves 0..1. */
static gboolean
valid_counts (AtlasRun *run,
              gint64   *processed,
              gint64   *total)
{
  const AtlasSummaryCounts *counts = atlas_run_get_summary_counts (run);

  return atlas_summary_counts_get (counts, ATLAS_COUNT_TOTAL, total) &&
         atlas_summary_counts_get (counts, ATLAS_COUNT_PROCESSED, processed) &&
         *total > 0 && *processed >= 0;
}

static void
set_determinate (AtlasRunPresentation *p,
                 gint64                processed,
                 gint64                total)
{
  p->progress = ATLAS_PROGRESS_DETERMINATE;
  p->fraction = CLAMP ((double) processed / (double) total, 0.0, 1.0);
  p->counts_text = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, processed, total);
}

static gint64
first_time (gint64 a,
            gint64 b,
            gint64 c)
{
  if (a != ATLAS_TIME_NONE)
    return a;
  if (b != ATLAS_TIME_NONE)
    return b;
  return c;
}

static void
present_active (AtlasRunPresentation *p,
                AtlasRun             *run,
                gint64                now)
{
  gboolean queued = atlas_run_get_status (run) == ATLAS_RUN_STATUS_QUEUED;
  AtlasFreshness freshness = atlas_run_get_freshness (run);
  gint64 since, seconds, processed = 0, total = 0;
  gboolean counts_ok = valid_counts (run, &processed, &total);
  gboolean skewed;
  g_autofree char *age = NULL;

  p->lifecycle = queued ? ATLAS_LIFECYCLE_QUEUED : ATLAS_LIFECYCLE_RUNNING;
  p->is_active = TRUE;
  p->status_badge.label = queued ? _("Queued") : _("Running");
  p->status_badge.icon_name = queued ? ICON_QUEUED : ICON_RUNNING;
  p->poll_interval_ms = atlas_poll_interval_for_run (run, now);

  since = queued ? atlas_run_get_created_at (run)
                 : first_time (atlas_run_get_started_at (run), atlas_run_get_created_at (run),
                               ATLAS_TIME_NONE);
  if (atlas_age_seconds (now, since, &seconds))
    age = atlas_format_duration (seconds);
  /* Both times known, yet they disagree: say so rather than claim an age. */
  skewed = age == NULL && since != ATLAS_TIME_NONE && now != ATLAS_TIME_NONE;

  if (freshness == ATLAS_FRESHNESS_LIKELY_STALE)
    {
      gint64 quiet_since = first_time (atlas_run_get_last_progress_at (run),
                                       atlas_run_get_started_at (run),
                                       atlas_run_get_created_at (run));
      gint64 window = atlas_run_get_lifecycle_window (run);

      /* Hard rules 1 and 2: never calm, never the queue's reassurance. */
      p->status_badge.tone = ATLAS_TONE_WARNING;
      p->has_freshness_badge = TRUE;
      p->freshness_badge.label = _("Likely stale");
      p->freshness_badge.tone = ATLAS_TONE_WARNING;
      p->freshness_badge.icon_name = ICON_LIKELY_STALE;
      p->attention = TRUE;

      if (atlas_age_seconds (now, quiet_since, &seconds))
        {
          g_autofree char *quiet = atlas_format_duration (seconds);
          /* TRANSLATORS: %s is a duration such as "32 min" */
          p->headline = g_strdup_printf (_("No progress for %s — likely stuck"), quiet);
        }
      else
        p->headline = g_strdup (_("No recent progress — likely stuck"));

      if (window > 0)
        {
          g_autofree char *within = atlas_format_duration (window);
          /* TRANSLATORS: %s is the run's expected duration, such as "15 min" */
          p->guidance = g_strdup_printf (_("Expected to finish within %s. Check the worker, "
                                           "or wait for automatic reconciliation."), within);
        }
      else
        p->guidance = g_strdup (_("Check the worker, or wait for automatic reconciliation."));

      if (counts_ok)
        set_determinate (p, processed, total);
      else
        p->progress = ATLAS_PROGRESS_NONE;
      return;
    }

  if (age != NULL)
    /* TRANSLATORS: %s is a duration such as "5 s" */
    p->headline = g_strdup_printf (queued ? _("Queued for %s") : _("Running for %s"), age);
  else if (skewed)
    p->headline = g_strdup (queued ? _("Queued — for how long is unknown: the server's clocks disagree")
                                   : _("Running — for how long is unknown: the server's clocks disagree"));
  else
    p->headline = g_strdup (queued ? _("Queued") : _("Running"));

  if (!queued && counts_ok)
    set_determinate (p, processed, total);
  else
    {
      p->progress = ATLAS_PROGRESS_INDETERMINATE;
      p->elapsed_text = g_strdup (age);
    }

  if (freshness == ATLAS_FRESHNESS_FRESH)
    {
      p->status_badge.tone = queued ? ATLAS_TONE_NEUTRAL : ATLAS_TONE_ACCENT;
      if (queued)
        p->guidance = g_strdup (_("Waiting for a worker."));
      else if (!counts_ok)
        p->guidance = g_strdup (_("Progress details pending."));
    }
  else
    {
      /* Freshness missing or unknown: unconfirmed, so neither a stale claim nor
       * calm reassurance. */
      p->status_badge.tone = ATLAS_TONE_NEUTRAL;
    }
}

/* The outcome sentence, with "after {duration}" only when both ends are known. */
#define WITH_DURATION(format_with, format_without) \
  (duration_text != NULL ? g_strdup_printf (format_with, duration_text) : g_strdup (format_without))

static void
present_terminal (AtlasRunPresentation *p,
                  AtlasRun             *run)
{
  gint64 end = atlas_run_get_completed_at (run);
  gint64 start = first_time (atlas_run_get_started_at (run), atlas_run_get_created_at (run),
                             ATLAS_TIME_NONE);
  gint64 duration = (end != ATLAS_TIME_NONE && start != ATLAS_TIME_NONE) ? atlas_time_diff (end, start) : G_MININT64;
  gboolean follow_up = atlas_run_get_problem_class (run) == ATLAS_PROBLEM_CLASS_TERMINAL_FOLLOW_UP;
  AtlasRunOutcome outcome = atlas_run_get_outcome (run);
  g_autofree char *duration_text = duration != G_MININT64 ? atlas_format_duration (duration) : NULL;

  p->lifecycle = ATLAS_LIFECYCLE_COMPLETED;
  p->is_active = FALSE;
  p->progress = ATLAS_PROGRESS_NONE;
  p->poll_interval_ms = 0;

  if (atlas_run_get_freshness (run) == ATLAS_FRESHNESS_RECONCILED)
    {
      const char *reason = atlas_run_get_reconciliation_reason (run);

      p->status_badge.label = _("Failed");
      p->status_badge.tone = ATLAS_TONE_ERROR;
      p->status_badge.icon_name = ICON_FAILED;
      p->has_freshness_badge = TRUE;
      p->freshness_badge.label = _("Reconciled");
      p->freshness_badge.tone = ATLAS_TONE_ERROR;
      p->freshness_badge.icon_name = ICON_RECONCILED;
      p->attention = TRUE;
      p->headline = g_strdup (_("Failed — stopped after no progress"));
      /* TRANSLATORS: %s is a machine reason code such as "run.stale_reconciled" */
      p->guidance = g_strdup_printf (_("The system closed this run because it stopped "
                                       "reporting progress (%s)."),
                                     reason != NULL ? reason : "run.stale_reconciled");
      return;
    }

  switch (outcome)
    {
    case ATLAS_RUN_OUTCOME_SUCCEEDED:
      p->status_badge = (AtlasBadge) { _("Succeeded"), ATLAS_TONE_SUCCESS, ICON_SUCCEEDED };
      /* TRANSLATORS: %s is a duration such as "4 min" */
      p->headline = WITH_DURATION (_("Succeeded after %s"), _("Succeeded"));
      break;

    case ATLAS_RUN_OUTCOME_PARTIALLY_SUCCEEDED:
      p->status_badge = (AtlasBadge) { _("Partially succeeded"), ATLAS_TONE_WARNING, ICON_PARTIAL };
      /* TRANSLATORS: %s is a duration such as "2 min" */
      p->headline = WITH_DURATION (_("Partially succeeded after %s"), _("Partially succeeded"));
      p->guidance = g_strdup (first_failure_message (run));
      p->attention = follow_up;
      break;

    case ATLAS_RUN_OUTCOME_FAILED:
      p->status_badge = (AtlasBadge) { _("Failed"), ATLAS_TONE_ERROR, ICON_FAILED };
      /* TRANSLATORS: %s is a duration such as "30 s" */
      p->headline = WITH_DURATION (_("Failed after %s"), _("Failed"));
      p->guidance = g_strdup (first_failure_message (run));
      p->attention = follow_up;
      break;

    case ATLAS_RUN_OUTCOME_BLOCKED:
      p->status_badge = (AtlasBadge) { _("Blocked"), ATLAS_TONE_WARNING, ICON_BLOCKED };
      p->headline = g_strdup (_("Blocked"));
      p->guidance = g_strdup (first_failure_message (run));
      p->attention = follow_up;
      break;

    case ATLAS_RUN_OUTCOME_CANCELLED:
      p->status_badge = (AtlasBadge) { _("Cancelled"), ATLAS_TONE_NEUTRAL, ICON_CANCELLED };
      /* TRANSLATORS: %s is a duration such as "1 min" */
      p->headline = WITH_DURATION (_("Cancelled after %s"), _("Cancelled"));
      break;

    case ATLAS_RUN_OUTCOME_NONE:
    case ATLAS_RUN_OUTCOME_UNKNOWN:
    default:
      /* Terminal, but the server's outcome is not one this version knows. */
      p->status_badge = (AtlasBadge) { _("Completed"), ATLAS_TONE_NEUTRAL, ICON_UNKNOWN };
      p->headline = g_strdup (_("Completed"));
      break;
    }
}

static void
present_unknown (AtlasRunPresentation *p)
{
  p->lifecycle = ATLAS_LIFECYCLE_UNKNOWN;
  p->is_active = FALSE;
  p->status_badge = (AtlasBadge) { _("Unknown"), ATLAS_TONE_NEUTRAL, ICON_UNKNOWN };
  p->headline = g_strdup (_("Unknown state"));
  p->guidance = g_strdup (_("The server reported a state this version does not know."));
  p->progress = ATLAS_PROGRESS_NONE;
  p->poll_interval_ms = 0;
}

static void
append_sentence (GString    *s,
                 const char *text)
{
  gsize len;

  if (text == NULL || text[0] == '\0')
    return;
  if (s->len > 0)
    g_string_append_c (s, ' ');
  g_string_append (s, text);
  len = strlen (text);
  if (!strchr (".!?", text[len - 1]))
    g_string_append_c (s, '.');
}

/* Hard rule 8: the same meaning as badges, colours and bars, in words. */
static char *
describe (const AtlasRunPresentation *p)
{
  GString *s = g_string_new (NULL);
  g_autofree char *status = NULL;

  /* TRANSLATORS: spoken by screen readers; %s is a status such as "Running" */
  status = g_strdup_printf (_("Status: %s."), p->status_badge.label);
  append_sentence (s, status);
  if (p->has_freshness_badge)
    {
      /* TRANSLATORS: spoken by screen readers; %s is "Likely stale" or "Reconciled" */
      g_autofree char *freshness = g_strdup_printf (_("Freshness: %s."), p->freshness_badge.label);
      append_sentence (s, freshness);
    }
  append_sentence (s, p->headline);

  switch (p->progress)
    {
    case ATLAS_PROGRESS_DETERMINATE:
      {
        g_autofree char *progress = NULL;
        /* TRANSLATORS: spoken by screen readers; %s is "45 / 120" */
        progress = g_strdup_printf (_("Progress: %s items processed."), p->counts_text);
        append_sentence (s, progress);
      }
      break;
    case ATLAS_PROGRESS_INDETERMINATE:
      append_sentence (s, _("Progress: no item counts reported yet."));
      break;
    case ATLAS_PROGRESS_NONE:
    default:
      if (p->is_active)
        append_sentence (s, _("Progress: unknown."));
      break;
    }

  append_sentence (s, p->guidance);
  if (p->attention)
    append_sentence (s, _("Needs attention."));

  return g_string_free (s, FALSE);
}

/**
 * atlas_run_present:
 * @run: a validated run
 * @now: server time (Unix seconds) of the response that carried @run
 *
 * Returns: (transfer full): how every surface shows @run at @now
 */
/* When a finished run finished, by the server's clock; NULL when that age is not
 * known. An active run's headline already says how long it has run ("Running for
 * 3 min"), so a row says nothing twice. */
static char *
present_when (AtlasRun *run,
              gint64    now)
{
  g_autofree char *age = NULL;
  gint64 completed = atlas_run_get_completed_at (run);
  gint64 seconds;

  if (atlas_run_get_status (run) != ATLAS_RUN_STATUS_COMPLETED || completed == ATLAS_TIME_NONE ||
      !atlas_age_seconds (now, completed, &seconds))
    return NULL;
  age = atlas_format_duration (seconds);
  /* TRANSLATORS: in a list row, "finished 2 h ago" */
  return g_strdup_printf (_("finished %s ago"), age);
}

/* A run that ended badly says why, in the server's words: its first failure. */
static char *
present_failure (AtlasRun *run)
{
  const AtlasFailureEntry *first;

  if (atlas_run_get_status (run) != ATLAS_RUN_STATUS_COMPLETED)
    return NULL;
  switch (atlas_run_get_outcome (run))
    {
    case ATLAS_RUN_OUTCOME_FAILED:
    case ATLAS_RUN_OUTCOME_PARTIALLY_SUCCEEDED:
    case ATLAS_RUN_OUTCOME_BLOCKED:
      break;
    case ATLAS_RUN_OUTCOME_NONE:
    case ATLAS_RUN_OUTCOME_SUCCEEDED:
    case ATLAS_RUN_OUTCOME_CANCELLED:
    case ATLAS_RUN_OUTCOME_UNKNOWN:
    default:
      return NULL;
    }
  if (atlas_run_get_n_failures (run) == 0)
    return NULL;
  first = atlas_run_get_failure (run, 0);
  return first != NULL && first->message != NULL && *first->message != '\0' ? g_strdup (first->message) : NULL;
}

AtlasRunPresentation *
atlas_run_present (AtlasRun *run,
                   gint64    now)
{
  AtlasRunPresentation *p;

  g_return_val_if_fail (ATLAS_IS_RUN (run), NULL);

  p = g_new0 (AtlasRunPresentation, 1);

  switch (atlas_run_get_status (run))
    {
    case ATLAS_RUN_STATUS_QUEUED:
    case ATLAS_RUN_STATUS_RUNNING:
      present_active (p, run, now);
      break;
    case ATLAS_RUN_STATUS_COMPLETED:
      present_terminal (p, run);
      break;
    case ATLAS_RUN_STATUS_UNKNOWN:
    default:
      present_unknown (p);
      break;
    }

  p->accessible_description = describe (p);
  p->when_text = present_when (run, now);
  p->failure_text = present_failure (run);
  return p;
}

void
atlas_run_presentation_free (AtlasRunPresentation *presentation)
{
  if (presentation == NULL)
    return;
  g_free (presentation->headline);
  g_free (presentation->guidance);
  g_free (presentation->counts_text);
  g_free (presentation->elapsed_text);
  g_free (presentation->accessible_description);
  g_free (presentation->when_text);
  g_free (presentation->failure_text);
  g_free (presentation);
}

/* The words for summary_counts keys, for the run detail's counts row. */
const char *
atlas_count_key_label (AtlasCountKey key)
{
  switch (key)
    {
    case ATLAS_COUNT_TOTAL: return C_("summary count", "total");
    case ATLAS_COUNT_PROCESSED: return C_("summary count", "processed");
    case ATLAS_COUNT_SUCCEEDED: return C_("summary count", "succeeded");
    case ATLAS_COUNT_FAILED: return C_("summary count", "failed");
    case ATLAS_COUNT_SKIPPED: return C_("summary count", "skipped");
    case ATLAS_COUNT_CREATED: return C_("summary count", "created");
    case ATLAS_COUNT_UPDATED: return C_("summary count", "updated");
    case ATLAS_COUNT_DELETED: return C_("summary count", "deleted");
    case ATLAS_COUNT_ITEMS: return C_("summary count", "items");
    case ATLAS_N_COUNTS:
    default: return "";
    }
}

/* The freshness words, for places that count runs by freshness (KPI tiles). */
const char *
atlas_freshness_label (AtlasFreshness freshness)
{
  switch (freshness)
    {
    case ATLAS_FRESHNESS_LIKELY_STALE: return _("Likely stale");
    case ATLAS_FRESHNESS_RECONCILED: return _("Reconciled");
    case ATLAS_FRESHNESS_FRESH:
    case ATLAS_FRESHNESS_NONE:
    case ATLAS_FRESHNESS_UNKNOWN:
    default: return NULL;
    }
}

/* The words for a raw status (e.g. a reconciled run's previous status), from the same
 * catalog as the badges. */
const char *
atlas_run_status_label (AtlasRunStatus status)
{
  switch (status)
    {
    case ATLAS_RUN_STATUS_QUEUED: return _("Queued");
    case ATLAS_RUN_STATUS_RUNNING: return _("Running");
    case ATLAS_RUN_STATUS_COMPLETED: return _("Completed");
    case ATLAS_RUN_STATUS_UNKNOWN:
    default: return _("Unknown");
    }
}

const char *
atlas_lifecycle_to_string (AtlasLifecycle lifecycle)
{
  switch (lifecycle)
    {
    case ATLAS_LIFECYCLE_QUEUED: return "queued";
    case ATLAS_LIFECYCLE_RUNNING: return "running";
    case ATLAS_LIFECYCLE_COMPLETED: return "completed";
    case ATLAS_LIFECYCLE_UNKNOWN:
    default: return "unknown";
    }
}

const char *
atlas_tone_to_string (AtlasTone tone)
{
  switch (tone)
    {
    case ATLAS_TONE_ACCENT: return "accent";
    case ATLAS_TONE_SUCCESS: return "success";
    case ATLAS_TONE_WARNING: return "warning";
    case ATLAS_TONE_ERROR: return "error";
    case ATLAS_TONE_NEUTRAL:
    default: return "neutral";
    }
}

const char *
atlas_progress_kind_to_string (AtlasProgressKind progress)
{
  switch (progress)
    {
    case ATLAS_PROGRESS_INDETERMINATE: return "indeterminate";
    case ATLAS_PROGRESS_DETERMINATE: return "determinate";
    case ATLAS_PROGRESS_NONE:
    default: return "none";
    }
}

/* Likely-stale first (0), then finished runs that need follow-up (1), then the rest (2). */
int
atlas_run_attention_rank (AtlasRun *run)
{
  g_return_val_if_fail (ATLAS_IS_RUN (run), 2);

  if (atlas_run_get_freshness (run) == ATLAS_FRESHNESS_LIKELY_STALE ||
      atlas_run_get_problem_class (run) == ATLAS_PROBLEM_CLASS_ACTIVE_STALE_ATTENTION)
    return 0;
  if (atlas_run_get_problem_class (run) == ATLAS_PROBLEM_CLASS_TERMINAL_FOLLOW_UP)
    return 1;
  return 2;
}

/* By rank only: runs of one rank compare equal, so a stable sort keeps the
 * server's order (newest first) within each. */
int
atlas_run_compare_attention (AtlasRun *a,
                             AtlasRun *b)
{
  return atlas_run_attention_rank (a) - atlas_run_attention_rank (b);
}

static int
compare_attention_cb (gconstpointer a,
                      gconstpointer b)
{
  return atlas_run_compare_attention (*(AtlasRun * const *) a, *(AtlasRun * const *) b);
}

/**
 * atlas_runs_sort_by_attention:
 * @runs: (element-type AtlasRun): runs in the server's order
 *
 * Returns: (transfer container) (element-type AtlasRun): the same runs, stale first,
 *   then follow-up, then the rest; the runs are not referenced again (the caller's
 *   @runs keeps them alive)
 */
GPtrArray *
atlas_runs_sort_by_attention (GPtrArray *runs)
{
  GPtrArray *sorted;

  g_return_val_if_fail (runs != NULL, NULL);

  sorted = g_ptr_array_sized_new (runs->len);
  for (guint i = 0; i < runs->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (runs, i));
  /* g_ptr_array_sort is stable (a merge sort since GLib 2.32). */
  g_ptr_array_sort (sorted, compare_attention_cb);
  return sorted;
}

/* The title of the one desktop notification a run gets when it becomes likely stale;
 * its body is the presentation's headline. */
char *
atlas_run_present_stale_notice_title (AtlasRun *run)
{
  g_return_val_if_fail (ATLAS_IS_RUN (run), NULL);

  /* TRANSLATORS: a notification's title, "Likely stale: Contoso Ltd · Baseline compare" */
  return g_strdup_printf (_("Likely stale: %s · %s"), atlas_run_get_tenant_name (run),
                          atlas_run_get_type_label (run));
}

char *
atlas_run_present_failure_notice_title (AtlasRun *run)
{
  g_return_val_if_fail (ATLAS_IS_RUN (run), NULL);

  if (atlas_run_get_outcome (run) == ATLAS_RUN_OUTCOME_BLOCKED)
    /* TRANSLATORS: a notification's title, "Blocked: Contoso Ltd · Baseline compare" */
    return g_strdup_printf (_("Blocked: %s · %s"), atlas_run_get_tenant_name (run),
                            atlas_run_get_type_label (run));
  /* TRANSLATORS: a notification's title, "Failed: Contoso Ltd · Baseline compare" */
  return g_strdup_printf (_("Failed: %s · %s"), atlas_run_get_tenant_name (run),
                          atlas_run_get_type_label (run));
}
