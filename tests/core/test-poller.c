/* test-poller.c — AtlasPoller rules and the manual AtlasClock, on simulated time only
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-poller"

#include "config.h"

#include <math.h>

#include "atlas-clock.h"
#include "atlas-poller-private.h"

#define SECOND 1000u
#define MINUTE (60u * SECOND)
#define HOUR   (60u * MINUTE)

typedef struct
{
  AtlasClock  *clock;
  AtlasPoller *poller;
  GArray      *ticks;        /* gint64 ms on the manual clock */
  double       jitter;       /* what fixture_jitter() returns */
  gboolean     tick_checks;  /* assert the pause/in-flight invariants on each timer tick */
  gboolean     in_refresh;
} Fixture;

static gint64
now_ms (Fixture *f)
{
  return atlas_clock_get_now_us (f->clock) / 1000;
}

static void
advance (Fixture *f,
         guint    ms)
{
  atlas_manual_clock_advance (f->clock, ms);
}

static guint
n_ticks (Fixture *f)
{
  return f->ticks->len;
}

static gint64
last_tick (Fixture *f)
{
  g_assert_cmpuint (f->ticks->len, >, 0);
  return g_array_index (f->ticks, gint64, f->ticks->len - 1);
}

static guint
n_pending (Fixture *f)
{
  return atlas_manual_clock_get_n_pending (f->clock);
}

static void
assert_no_source (Fixture *f)
{
  g_assert_false (atlas_poller_get_active (f->poller));
  g_assert_cmpuint (n_pending (f), ==, 0);
  g_assert_cmpint (atlas_poller_get_next_due (f->poller), ==, -1);
  g_assert_cmpint (atlas_poller_get_next_tick_in (f->poller), ==, -1);
}

static void
assert_next_due_ms (Fixture *f,
                    gint64   due_ms)
{
  g_assert_true (atlas_poller_get_active (f->poller));
  g_assert_cmpuint (n_pending (f), ==, 1);
  g_assert_cmpint (atlas_poller_get_next_due (f->poller), ==, due_ms * 1000);
}

/* Proves the next tick comes exactly @ms from now: not a millisecond earlier or later. */
static void
assert_tick_after (Fixture *f,
                   guint    ms)
{
  guint before = n_ticks (f);
  gint64 expected = now_ms (f) + ms;

  if (ms > 0)
    {
      advance (f, ms - 1);
      g_assert_cmpuint (n_ticks (f), ==, before);
    }

  advance (f, ms > 0 ? 1 : 0);
  g_assert_cmpuint (n_ticks (f), ==, before + 1);
  g_assert_cmpint (last_tick (f), ==, expected);
}

static void
tick_cb (AtlasPoller *poller,
         Fixture     *f)
{
  gint64 t = now_ms (f);

  g_assert_true (poller == f->poller);
  /* Whatever the path, a tick never overlaps a request. */
  g_assert_false (atlas_poller_get_in_flight (poller));
  g_assert_false (atlas_poller_get_stopped (poller));

  if (f->tick_checks && !f->in_refresh)
    {
      g_assert_true (atlas_poller_get_visible (poller));
      g_assert_false (atlas_poller_get_modal_open (poller));
      g_assert_cmpuint (atlas_poller_get_interval (poller), >, 0);
    }

  g_array_append_val (f->ticks, t);
}

static double
fixture_jitter (gpointer user_data)
{
  Fixture *f = user_data;

  return f->jitter;
}

static gboolean
refresh (Fixture *f)
{
  gboolean ret;

  f->in_refresh = TRUE;
  ret = atlas_poller_refresh_now (f->poller);
  f->in_refresh = FALSE;

  return ret;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->clock = atlas_manual_clock_new ();
  f->poller = atlas_poller_new (f->clock);
  f->ticks = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->jitter = 0.5;
  f->tick_checks = TRUE;
  atlas_poller_set_jitter_func (f->poller, fixture_jitter, f, NULL);
  g_signal_connect (f->poller, "tick", G_CALLBACK (tick_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Every test ends by dropping a poller that may hold a source: it must go with it. */
  if (f->poller != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (f->poller), (gpointer *)&f->poller);
      g_object_unref (f->poller);
      g_assert_null (f->poller);
    }

  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);

  g_object_add_weak_pointer (G_OBJECT (f->clock), (gpointer *)&f->clock);
  g_object_unref (f->clock);
  g_assert_null (f->clock);

  g_array_unref (f->ticks);
}

/* ---- manual clock ------------------------------------------------------------------ */

typedef struct
{
  AtlasClock *clock;
  GString    *log;
  guint       removable_id;
} ClockLog;

static ClockLog *current_log;

static void
clock_log_cb (gpointer data)
{
  const char *name = data;
  ClockLog *log = current_log;

  g_string_append_printf (log->log, "%s@%" G_GINT64_FORMAT " ",
                          name, atlas_clock_get_now_us (log->clock) / 1000);
}

static void
clock_chain_cb (gpointer data)
{
  ClockLog *log = data;

  g_string_append_printf (log->log, "chain@%" G_GINT64_FORMAT " ",
                          atlas_clock_get_now_us (log->clock) / 1000);
  /* Added and removed from inside a callback, during the same advance. */
  atlas_clock_add_timeout (log->clock, G_PRIORITY_DEFAULT, 0, clock_log_cb, (gpointer) "zero");
  atlas_clock_remove (log->clock, log->removable_id);
}

static void
test_clock_manual_order (void)
{
  g_autoptr(AtlasClock) clock = atlas_manual_clock_new ();
  ClockLog log = { clock, g_string_new (NULL), 0 };

  current_log = &log;

  g_assert_true (atlas_clock_is_manual (clock));
  g_assert_false (atlas_clock_is_manual (atlas_clock_get_default ()));
  g_assert_cmpint (atlas_clock_get_now_us (clock), ==, 0);
  g_assert_cmpint (atlas_manual_clock_get_next_due (clock), ==, -1);

  atlas_clock_add_timeout (clock, G_PRIORITY_DEFAULT, 300, clock_log_cb, (gpointer) "c");
  atlas_clock_add_timeout (clock, G_PRIORITY_LOW, 100, clock_log_cb, (gpointer) "b-low");
  atlas_clock_add_timeout (clock, G_PRIORITY_HIGH, 100, clock_log_cb, (gpointer) "a-high");
  atlas_clock_add_timeout (clock, G_PRIORITY_HIGH, 100, clock_log_cb, (gpointer) "a-high2");
  atlas_clock_add_timeout (clock, G_PRIORITY_DEFAULT, 200, clock_chain_cb, &log);
  log.removable_id = atlas_clock_add_timeout (clock, G_PRIORITY_DEFAULT, 250,
                                              clock_log_cb, (gpointer) "removed");
  g_assert_cmpuint (log.removable_id, !=, 0);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (clock), ==, 6);
  g_assert_cmpint (atlas_manual_clock_get_next_due (clock), ==, 100 * 1000);

  atlas_manual_clock_advance (clock, 99);
  g_assert_cmpstr (log.log->str, ==, "");
  g_assert_cmpint (atlas_clock_get_now_us (clock), ==, 99 * 1000);

  atlas_manual_clock_advance (clock, 1000);
  g_assert_cmpstr (log.log->str, ==,
                   "a-high@100 a-high2@100 b-low@100 chain@200 zero@200 c@300 ");
  g_assert_cmpint (atlas_clock_get_now_us (clock), ==, 1099 * 1000);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (clock), ==, 0);

  atlas_manual_clock_advance_us (clock, 1);
  g_assert_cmpint (atlas_clock_get_now_us (clock), ==, 1099 * 1000 + 1);

  current_log = NULL;
  g_string_free (log.log, TRUE);
}

static void
real_fired_cb (gpointer data)
{
  guint *fired = data;

  (*fired)++;
}

static void
test_clock_real (void)
{
  AtlasClock *clock = atlas_clock_get_default ();
  gint64 start = atlas_clock_get_now_us (clock);
  guint fired = 0;
  guint removed = 0;
  guint id;

  g_assert_true (atlas_clock_get_default () == clock);

  id = atlas_clock_add_timeout (clock, G_PRIORITY_DEFAULT, 60 * 1000, real_fired_cb, &removed);
  g_assert_cmpuint (id, !=, 0);
  atlas_clock_add_timeout (clock, G_PRIORITY_DEFAULT, 1, real_fired_cb, &fired);
  atlas_clock_remove (clock, id);

  /* Blocks in poll() until the 1 ms source is ready: no sleep, no race. */
  while (fired == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (fired, ==, 1);
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpint (atlas_clock_get_now_us (clock) - start, >=, 1000);
  g_assert_null (g_main_context_find_source_by_id (NULL, id));
}

/* ---- poller: interval -------------------------------------------------------------- */

static void
test_interval_zero (Fixture       *f,
                    gconstpointer  data)
{
  g_assert_cmpuint (atlas_poller_get_interval (f->poller), ==, 0);
  assert_no_source (f);

  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 0);

  atlas_poller_set_visible (f->poller, FALSE);
  atlas_poller_set_visible (f->poller, TRUE);
  atlas_poller_set_modal_open (f->poller, TRUE);
  atlas_poller_set_modal_open (f->poller, FALSE);
  atlas_poller_set_server_pacing (f->poller, 5 * SECOND);
  atlas_poller_request_started (f->poller);
  atlas_poller_request_failed (f->poller, ATLAS_POLL_FAILURE_NETWORK, 0);
  assert_no_source (f);

  atlas_poller_set_interval (f->poller, SECOND);
  g_assert_true (atlas_poller_get_active (f->poller));
  g_assert_cmpuint (n_pending (f), ==, 1);

  atlas_poller_set_interval (f->poller, 0);
  assert_no_source (f);

  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 0);
}

static void
test_ticks_at_interval (Fixture       *f,
                        gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);
  assert_next_due_ms (f, 1000);

  assert_tick_after (f, 1000);
  assert_next_due_ms (f, 2000);
  assert_tick_after (f, 1000);
  assert_tick_after (f, 1000);

  advance (f, 10 * SECOND);
  g_assert_cmpuint (n_ticks (f), ==, 13);
  g_assert_cmpint (last_tick (f), ==, 13000);
  g_assert_cmpuint (n_pending (f), ==, 1);
}

static void
test_start_waits_full_interval (Fixture       *f,
                                gconstpointer  data)
{
  advance (f, 5 * SECOND);

  /* No tick at once even though the poller was created 5 s ago. */
  atlas_poller_set_interval (f->poller, 2 * SECOND);
  assert_next_due_ms (f, 7000);
  advance (f, 0);
  g_assert_cmpuint (n_ticks (f), ==, 0);
  assert_tick_after (f, 2000);

  /* A restart after a long stop is a fresh start too, not a tick owed long ago. */
  atlas_poller_set_interval (f->poller, 0);
  advance (f, HOUR);
  atlas_poller_set_interval (f->poller, 2 * SECOND);
  advance (f, 0);
  g_assert_cmpuint (n_ticks (f), ==, 1);
  assert_tick_after (f, 2000);
}

static void
test_interval_change_replans (Fixture       *f,
                              gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  advance (f, 4000);

  /* Shorter, still in the future: from the anchor (0), not from now (4 s). */
  atlas_poller_set_interval (f->poller, 6 * SECOND);
  assert_next_due_ms (f, 6000);
  assert_tick_after (f, 2000);

  /* Longer: from the last tick (6 s). */
  advance (f, 1000);
  atlas_poller_set_interval (f->poller, 20 * SECOND);
  assert_next_due_ms (f, 26000);
  assert_tick_after (f, 19000);

  /* Shorter and already past: due at once, then the new rule from that tick. */
  advance (f, 5000);
  atlas_poller_set_interval (f->poller, 2 * SECOND);
  assert_next_due_ms (f, 31000);
  g_assert_cmpint (atlas_poller_get_next_tick_in (f->poller), ==, 0);
  assert_tick_after (f, 0);
  g_assert_cmpint (last_tick (f), ==, 31000);
  assert_tick_after (f, 2000);
  g_assert_cmpuint (n_ticks (f), ==, 4);
}

static void
test_interval_change_respects_pacing (Fixture       *f,
                                      gconstpointer  data)
{
  atlas_poller_set_server_pacing (f->poller, 5 * SECOND);
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  advance (f, 3000);

  atlas_poller_set_interval (f->poller, SECOND);
  assert_next_due_ms (f, 5000);
  advance (f, 0);
  g_assert_cmpuint (n_ticks (f), ==, 0);
  assert_tick_after (f, 2000);
}

static void
test_pacing_floors_interval (Fixture       *f,
                             gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);
  atlas_poller_set_server_pacing (f->poller, 3 * SECOND);
  g_assert_cmpuint (atlas_poller_get_server_pacing (f->poller), ==, 3000);
  assert_next_due_ms (f, 3000);
  assert_tick_after (f, 3000);
  assert_tick_after (f, 3000);

  /* Pacing below the interval changes nothing. */
  atlas_poller_set_server_pacing (f->poller, 500);
  assert_tick_after (f, 1000);

  /* Pacing gone: back to the interval, from the last tick. */
  atlas_poller_set_server_pacing (f->poller, 7 * SECOND);
  advance (f, 2000);
  atlas_poller_set_server_pacing (f->poller, 0);
  assert_next_due_ms (f, 9000);
  assert_tick_after (f, 0);

  /* A pacing header of days is capped. */
  atlas_poller_set_server_pacing (f->poller, G_MAXUINT);
  g_assert_cmpuint (atlas_poller_get_server_pacing (f->poller), ==,
                    ATLAS_POLLER_MAX_SERVER_WAIT_MS);
  assert_tick_after (f, HOUR);
}

/* ---- poller: pauses ---------------------------------------------------------------- */

typedef void (*SetPausedFunc) (AtlasPoller *poller,
                               gboolean     paused);

static void
set_hidden (AtlasPoller *poller,
            gboolean     hidden)
{
  atlas_poller_set_visible (poller, !hidden);
}

static void
set_modal (AtlasPoller *poller,
           gboolean     modal)
{
  atlas_poller_set_modal_open (poller, modal);
}

static void
check_pause_blocks (Fixture       *f,
                    SetPausedFunc  set_paused)
{
  atlas_poller_set_interval (f->poller, SECOND);
  assert_tick_after (f, 1000);

  set_paused (f->poller, TRUE);
  assert_no_source (f);
  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 1);

  /* Inputs that would re-plan still do not arm a timer while paused. */
  atlas_poller_set_interval (f->poller, 500);
  atlas_poller_request_started (f->poller);
  atlas_poller_request_finished_ok (f->poller);
  atlas_poller_set_server_pacing (f->poller, 100);
  assert_no_source (f);
  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 1);
}

static void
check_resume_when_due (Fixture       *f,
                       SetPausedFunc  set_paused)
{
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  advance (f, 2000);
  set_paused (f->poller, TRUE);
  advance (f, 20 * SECOND);

  set_paused (f->poller, FALSE);
  /* Due at once (0 ms), from the main loop rather than inside the setter. */
  g_assert_cmpuint (n_ticks (f), ==, 0);
  assert_next_due_ms (f, 22000);
  assert_tick_after (f, 0);
  g_assert_cmpint (last_tick (f), ==, 22000);

  /* Only one tick was owed; then the interval again. */
  assert_tick_after (f, 10000);
  g_assert_cmpuint (n_ticks (f), ==, 2);
}

static void
check_resume_when_not_due (Fixture       *f,
                           SetPausedFunc  set_paused)
{
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  advance (f, 2000);
  set_paused (f->poller, TRUE);
  advance (f, 3000);

  set_paused (f->poller, FALSE);
  assert_next_due_ms (f, 10000);
  g_assert_cmpint (atlas_poller_get_next_tick_in (f->poller), ==, 5000);
  advance (f, 0);
  g_assert_cmpuint (n_ticks (f), ==, 0);
  assert_tick_after (f, 5000);
}

static void
test_hidden_pauses (Fixture       *f,
                    gconstpointer  data)
{
  check_pause_blocks (f, set_hidden);
}

static void
test_hidden_resume_due (Fixture       *f,
                        gconstpointer  data)
{
  check_resume_when_due (f, set_hidden);
}

static void
test_hidden_resume_not_due (Fixture       *f,
                            gconstpointer  data)
{
  check_resume_when_not_due (f, set_hidden);
}

static void
test_modal_pauses (Fixture       *f,
                   gconstpointer  data)
{
  check_pause_blocks (f, set_modal);
}

static void
test_modal_resume_due (Fixture       *f,
                       gconstpointer  data)
{
  check_resume_when_due (f, set_modal);
}

static void
test_modal_resume_not_due (Fixture       *f,
                           gconstpointer  data)
{
  check_resume_when_not_due (f, set_modal);
}

static void
test_hidden_and_modal (Fixture       *f,
                       gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);

  /* Shown first, modal still open: nothing. */
  atlas_poller_set_visible (f->poller, FALSE);
  atlas_poller_set_modal_open (f->poller, TRUE);
  advance (f, 5000);
  atlas_poller_set_visible (f->poller, TRUE);
  assert_no_source (f);
  advance (f, 5000);
  g_assert_cmpuint (n_ticks (f), ==, 0);
  atlas_poller_set_modal_open (f->poller, FALSE);
  assert_tick_after (f, 0);

  /* Modal closed first, still hidden: nothing. */
  atlas_poller_set_modal_open (f->poller, TRUE);
  atlas_poller_set_visible (f->poller, FALSE);
  advance (f, 5000);
  atlas_poller_set_modal_open (f->poller, FALSE);
  assert_no_source (f);
  advance (f, 5000);
  g_assert_cmpuint (n_ticks (f), ==, 1);
  atlas_poller_set_visible (f->poller, TRUE);
  assert_tick_after (f, 0);

  /* Both cleared in one main-loop iteration: one tick, not two. */
  atlas_poller_set_modal_open (f->poller, TRUE);
  atlas_poller_set_visible (f->poller, FALSE);
  advance (f, 5000);
  atlas_poller_set_modal_open (f->poller, FALSE);
  atlas_poller_set_visible (f->poller, TRUE);
  advance (f, 0);
  g_assert_cmpuint (n_ticks (f), ==, 3);
  assert_tick_after (f, 1000);
}

/* ---- poller: requests -------------------------------------------------------------- */

static void
start_request_cb (AtlasPoller *poller,
                  Fixture     *f)
{
  atlas_poller_request_started (poller);
}

static void
test_in_flight_blocks (Fixture       *f,
                       gconstpointer  data)
{
  g_signal_connect_after (f->poller, "tick", G_CALLBACK (start_request_cb), f);
  atlas_poller_set_interval (f->poller, SECOND);

  assert_tick_after (f, 1000);
  g_assert_true (atlas_poller_get_in_flight (f->poller));
  assert_no_source (f);

  /* However slow the server, no second tick piles up behind the first. */
  advance (f, 30 * SECOND);
  g_assert_cmpuint (n_ticks (f), ==, 1);

  atlas_poller_request_finished_ok (f->poller);
  g_assert_false (atlas_poller_get_in_flight (f->poller));
  /* Planned from the end of the request (31 s), not from the tick (1 s). */
  assert_next_due_ms (f, 32000);
  assert_tick_after (f, 1000);
}

static void
test_in_flight_owner_request (Fixture       *f,
                              gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);

  /* A fetch the owner made on its own (say, after a filter change) counts too. */
  advance (f, 500);
  atlas_poller_request_started (f->poller);
  advance (f, 1000);
  g_assert_cmpuint (n_ticks (f), ==, 0);
  atlas_poller_request_failed (f->poller, ATLAS_POLL_FAILURE_TIMEOUT, 0);
  g_assert_true (atlas_poller_get_active (f->poller));

  /* Nested requests: in flight until the last one is back. */
  atlas_poller_request_started (f->poller);
  atlas_poller_request_started (f->poller);
  atlas_poller_request_finished_ok (f->poller);
  g_assert_true (atlas_poller_get_in_flight (f->poller));
  assert_no_source (f);
  advance (f, 2000);
  atlas_poller_request_finished_ok (f->poller);
  g_assert_false (atlas_poller_get_in_flight (f->poller));
  assert_tick_after (f, 1000);
}

/* ---- poller: backoff --------------------------------------------------------------- */

/* Backoff ceiling for the n-th failure in a row with a 1 s interval. */
static guint
ceiling_for (guint base,
             guint n)
{
  guint64 d = base;

  for (guint i = 0; i < n && d < ATLAS_POLLER_MAX_BACKOFF_MS; i++)
    d *= 2;

  return (guint) MIN (d, ATLAS_POLLER_MAX_BACKOFF_MS);
}

static void
fail_once (Fixture          *f,
           AtlasPollFailure  kind,
           guint             retry_after_ms)
{
  atlas_poller_request_started (f->poller);
  advance (f, 200);
  atlas_poller_request_failed (f->poller, kind, retry_after_ms);
}

static void
test_backoff_exponential (Fixture       *f,
                          gconstpointer  data)
{
  static const guint expected[] = { 1500, 3000, 6000, 12000, 24000, 48000, 96000, 192000,
                                    225000, 225000 };

  atlas_poller_set_interval (f->poller, SECOND);
  f->jitter = 0.5;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      fail_once (f, ATLAS_POLL_FAILURE_UNAVAILABLE, 0);
      g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, i + 1);
      g_assert_cmpint (atlas_poller_get_last_failure (f->poller), ==,
                       ATLAS_POLL_FAILURE_UNAVAILABLE);
      g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, expected[i]);
      g_assert_cmpint (atlas_poller_get_next_tick_in (f->poller), ==, expected[i]);
      assert_tick_after (f, expected[i]);
    }
}

static double
grand_jitter (gpointer user_data)
{
  return g_rand_double (user_data);
}

static void
test_backoff_jitter_bounds (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  static const double extremes[] = { 0.0, 0.999999999, 1.0, 7.0, -3.0, NAN };

  atlas_poller_set_interval (f->poller, SECOND);
  atlas_poller_set_jitter_func (f->poller, grand_jitter, g_rand_new_with_seed (20261122),
                                (GDestroyNotify) g_rand_free);

  for (guint run = 0; run < 50; run++)
    {
      for (guint n = 1; n <= 12; n++)
        {
          guint d = ceiling_for (SECOND, n);
          guint backoff;

          fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
          backoff = atlas_poller_get_backoff (f->poller);
          g_assert_cmpuint (backoff, >=, d / 2);
          g_assert_cmpuint (backoff, <=, d);
          if (n == 3)
            g_hash_table_add (seen, GUINT_TO_POINTER (backoff));
          assert_tick_after (f, backoff);
        }

      fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
      atlas_poller_request_started (f->poller);
      atlas_poller_request_finished_ok (f->poller);
      assert_tick_after (f, SECOND);
    }

  /* Jitter really spreads clients: 50 draws at the same step are not all alike. */
  g_assert_cmpuint (g_hash_table_size (seen), >, 25);

  /* Whatever the jitter function returns, the bounds hold. */
  for (guint i = 0; i < G_N_ELEMENTS (extremes); i++)
    {
      atlas_poller_set_jitter_func (f->poller, fixture_jitter, f, NULL);
      f->jitter = extremes[i];
      atlas_poller_reset (f->poller);
      fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
      fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
      g_assert_cmpuint (atlas_poller_get_backoff (f->poller), >=, 2000);
      g_assert_cmpuint (atlas_poller_get_backoff (f->poller), <=, 4000);
    }

  f->jitter = 0.0;
  atlas_poller_reset (f->poller);
  fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 1000);
  f->jitter = 0.999999999;
  fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), >=, 3999);
}

static void
test_backoff_capped (Fixture       *f,
                     gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);
  f->jitter = 0.999999999;

  for (guint n = 1; n <= 40; n++)
    {
      fail_once (f, ATLAS_POLL_FAILURE_TIMEOUT, 0);
      g_assert_cmpuint (atlas_poller_get_backoff (f->poller), <=, ATLAS_POLLER_MAX_BACKOFF_MS);
      if (n >= 9)
        g_assert_cmpuint (atlas_poller_get_backoff (f->poller), >=,
                          ATLAS_POLLER_MAX_BACKOFF_MS - 1);
      assert_tick_after (f, atlas_poller_get_backoff (f->poller));
    }
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 40);

  /* An interval above the cap is still the floor: backing off never speeds polling up. */
  atlas_poller_reset (f->poller);
  atlas_poller_set_interval (f->poller, 10 * MINUTE);
  f->jitter = 0.0;
  fail_once (f, ATLAS_POLL_FAILURE_TIMEOUT, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, ATLAS_POLLER_MAX_BACKOFF_MS / 2);
  assert_tick_after (f, 10 * MINUTE);
}

static void
test_backoff_retry_after (Fixture       *f,
                          gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);
  f->jitter = 0.5;

  /* Retry-After N replaces the computed backoff: N + jitter × N / 5, so between N
   * and 1.2 N (jitter 0.5 → 1.1 N) … */
  fail_once (f, ATLAS_POLL_FAILURE_RATE_LIMITED, 30 * SECOND);
  g_assert_cmpint (atlas_poller_get_last_failure (f->poller), ==,
                   ATLAS_POLL_FAILURE_RATE_LIMITED);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 33000);
  assert_tick_after (f, 33000);

  /* … also below what our own backoff would have been (2 failures from 1 s: 3 s):
   * the server said when, so it is neither stretched nor shortened. */
  fail_once (f, ATLAS_POLL_FAILURE_RATE_LIMITED, 2 * SECOND);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 2200);
  assert_tick_after (f, 2200);

  /* Above the 5 min cap: still honoured. */
  fail_once (f, ATLAS_POLL_FAILURE_UNAVAILABLE, 400 * SECOND);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 440000);
  assert_tick_after (f, 440000);

  /* A bogus Retry-After of days is capped at an hour, jitter included. */
  fail_once (f, ATLAS_POLL_FAILURE_UNAVAILABLE, G_MAXUINT);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, ATLAS_POLLER_MAX_SERVER_WAIT_MS);
  assert_tick_after (f, HOUR);

  /* Without Retry-After the exponential backoff from the interval is back. */
  fail_once (f, ATLAS_POLL_FAILURE_UNAVAILABLE, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), >=, SECOND);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), <=, ATLAS_POLLER_MAX_BACKOFF_MS);
}

/* A widget whose interval is longer than Retry-After (a list at 10 s, Retry-After 3)
 * still comes back after 3 to 3.6 s, not after its interval. */
static void
test_backoff_retry_after_below_interval (Fixture       *f,
                                         gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  f->jitter = 0.999;

  fail_once (f, ATLAS_POLL_FAILURE_UNAVAILABLE, 3 * SECOND);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), >=, 3000);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), <=, 3600);
  assert_tick_after (f, atlas_poller_get_backoff (f->poller));
}

static void
test_backoff_resets_on_success (Fixture       *f,
                                gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);

  for (guint i = 0; i < 4; i++)
    {
      fail_once (f, ATLAS_POLL_FAILURE_SERVER_ERROR, 0);
      assert_tick_after (f, atlas_poller_get_backoff (f->poller));
    }
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 4);

  atlas_poller_request_started (f->poller);
  advance (f, 200);
  atlas_poller_request_finished_ok (f->poller);
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 0);
  g_assert_cmpint (atlas_poller_get_last_failure (f->poller), ==, ATLAS_POLL_FAILURE_NONE);
  assert_tick_after (f, 1000);

  /* The next failure starts the sequence over. */
  fail_once (f, ATLAS_POLL_FAILURE_SERVER_ERROR, 0);
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 1);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 1500);
}

static void
test_backoff_survives_interval_change (Fixture       *f,
                                       gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, 5 * SECOND);
  fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 7500);

  /* The presenter re-computing a 1 s interval must not cut the backoff short. */
  atlas_poller_set_interval (f->poller, SECOND);
  assert_next_due_ms (f, 7700);
  assert_tick_after (f, 7500);
}

static void
test_in_flight_cancelled (Fixture       *f,
                          gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);
  fail_once (f, ATLAS_POLL_FAILURE_NETWORK, 0);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 1500);
  assert_tick_after (f, 1500);

  /* The owner switched tenant and cancelled: unblocked, backoff neither reset nor grown. */
  atlas_poller_request_started (f->poller);
  advance (f, 300);
  atlas_poller_request_cancelled (f->poller);
  g_assert_false (atlas_poller_get_in_flight (f->poller));
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 1);
  g_assert_cmpuint (atlas_poller_get_backoff (f->poller), ==, 1500);
  assert_tick_after (f, 1500);
}

/* ---- poller: stop, refresh --------------------------------------------------------- */

static void
test_stop_permanently (Fixture       *f,
                       gconstpointer  data)
{
  GObject *object = G_OBJECT (f->poller);
  gboolean stopped = FALSE;

  atlas_poller_set_interval (f->poller, SECOND);
  assert_tick_after (f, 1000);

  atlas_poller_stop_permanently (f->poller);
  g_object_get (object, "stopped", &stopped, NULL);
  g_assert_true (stopped);
  assert_no_source (f);

  g_assert_false (refresh (f));
  atlas_poller_set_interval (f->poller, 500);
  atlas_poller_set_visible (f->poller, FALSE);
  atlas_poller_set_visible (f->poller, TRUE);
  atlas_poller_request_started (f->poller);
  atlas_poller_request_finished_ok (f->poller);
  assert_no_source (f);
  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 1);

  /* New target or new session: polling resumes with the interval last asked for. */
  atlas_poller_reset (f->poller);
  g_assert_false (atlas_poller_get_stopped (f->poller));
  assert_tick_after (f, 500);
}

static void
test_refresh_now (Fixture       *f,
                  gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  advance (f, 4000);

  g_assert_true (refresh (f));
  /* Synchronous: the user pressed a key. */
  g_assert_cmpuint (n_ticks (f), ==, 1);
  g_assert_cmpint (last_tick (f), ==, 4000);
  /* The wait restarts from the refresh. */
  assert_next_due_ms (f, 14000);
  assert_tick_after (f, 10000);

  /* Through a backoff too: a person asked. */
  fail_once (f, ATLAS_POLL_FAILURE_NETWORK, MINUTE);
  g_assert_true (refresh (f));
  g_assert_cmpint (last_tick (f), ==, now_ms (f));
  g_assert_cmpuint (atlas_poller_get_failure_count (f->poller), ==, 1);

  /* Even when not polling, or paused; neither leaves a timer behind. */
  atlas_poller_set_interval (f->poller, 0);
  g_assert_true (refresh (f));
  assert_no_source (f);
  atlas_poller_set_interval (f->poller, SECOND);
  atlas_poller_set_visible (f->poller, FALSE);
  g_assert_true (refresh (f));
  assert_no_source (f);
  g_assert_cmpuint (n_ticks (f), ==, 5);
}

static void
test_refresh_now_in_flight (Fixture       *f,
                            gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, 10 * SECOND);
  advance (f, 1000);
  atlas_poller_request_started (f->poller);

  g_assert_false (refresh (f));
  g_assert_cmpuint (n_ticks (f), ==, 0);
  assert_no_source (f);

  advance (f, 1000);
  atlas_poller_request_finished_ok (f->poller);
  g_assert_true (refresh (f));
  g_assert_cmpuint (n_ticks (f), ==, 1);
}

/* ---- poller: lifetime -------------------------------------------------------------- */

static void
test_dispose_removes_source (Fixture       *f,
                             gconstpointer  data)
{
  AtlasPoller *poller = f->poller;

  atlas_poller_set_interval (f->poller, SECOND);
  g_assert_cmpuint (n_pending (f), ==, 1);

  /* Disposed but still referenced (as a widget's dispose would leave it). */
  g_object_ref (poller);
  g_object_run_dispose (G_OBJECT (poller));
  g_assert_cmpuint (n_pending (f), ==, 0);
  g_assert_false (atlas_poller_get_active (poller));

  advance (f, HOUR);
  g_assert_false (atlas_poller_refresh_now (poller));
  atlas_poller_set_interval (poller, 500);
  atlas_poller_set_visible (poller, FALSE);
  atlas_poller_set_visible (poller, TRUE);
  atlas_poller_reset (poller);
  g_assert_cmpuint (n_pending (f), ==, 0);
  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 0);

  g_object_unref (poller);
}

static void
test_unref_removes_source (Fixture       *f,
                           gconstpointer  data)
{
  atlas_poller_set_interval (f->poller, SECOND);
  assert_tick_after (f, 1000);
  g_assert_cmpuint (n_pending (f), ==, 1);

  g_clear_object (&f->poller);
  g_assert_cmpuint (n_pending (f), ==, 0);
  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 1);
}

static void
drop_poller_cb (AtlasPoller *poller,
                Fixture     *f)
{
  /* The owner goes away from inside its own tick handler. */
  g_clear_object (&f->poller);
}

static void
test_unref_in_tick (Fixture       *f,
                    gconstpointer  data)
{
  g_signal_connect_after (f->poller, "tick", G_CALLBACK (drop_poller_cb), f);
  atlas_poller_set_interval (f->poller, SECOND);

  advance (f, 1000);
  g_assert_cmpuint (n_ticks (f), ==, 1);
  g_assert_null (f->poller);
  g_assert_cmpuint (n_pending (f), ==, 0);
  advance (f, HOUR);
  g_assert_cmpuint (n_ticks (f), ==, 1);
}

/* ---- poller: invariants, properties ------------------------------------------------ */

static void
test_one_source_at_most (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const guint intervals[] = { 0, 1000, 5000, 10000 };

  for (guint step = 0; step < 20000; step++)
    {
      gboolean in_flight = atlas_poller_get_in_flight (f->poller);
      guint before = n_ticks (f);

      switch (g_rand_int_range (rand, 0, 10))
        {
        case 0:
          atlas_poller_set_interval (f->poller, intervals[g_rand_int_range (rand, 0, 4)]);
          break;
        case 1:
          atlas_poller_set_visible (f->poller, g_rand_boolean (rand));
          break;
        case 2:
          atlas_poller_set_modal_open (f->poller, g_rand_int_range (rand, 0, 4) == 0);
          break;
        case 3:
          atlas_poller_set_server_pacing (f->poller, g_rand_int_range (rand, 0, 3) * 4000);
          break;
        case 4:
          if (!in_flight)
            atlas_poller_request_started (f->poller);
          break;
        case 5:
          if (in_flight)
            {
              if (g_rand_boolean (rand))
                atlas_poller_request_finished_ok (f->poller);
              else
                atlas_poller_request_failed (f->poller, ATLAS_POLL_FAILURE_NETWORK,
                                             g_rand_int_range (rand, 0, 3) * 2000);
            }
          break;
        case 6:
          g_assert_cmpint (refresh (f), ==, !in_flight);
          g_assert_cmpuint (n_ticks (f), ==, before + (in_flight ? 0 : 1));
          break;
        default:
          advance (f, g_rand_int_range (rand, 0, 8000));
          break;
        }

      g_assert_cmpuint (n_pending (f), <=, 1);
      g_assert_cmpint (n_pending (f), ==, atlas_poller_get_active (f->poller));
      if (atlas_poller_get_active (f->poller))
        g_assert_cmpint (atlas_poller_get_next_due (f->poller), >=,
                         atlas_clock_get_now_us (f->clock));
    }

  /* The walk did exercise ticking. */
  g_assert_cmpuint (n_ticks (f), >, 1000);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_notify_on_change_only (Fixture       *f,
                            gconstpointer  data)
{
  guint interval = 0, visible = 0, active = 0, next_due = 0, in_flight = 0, failures = 0;
  gint64 due = 0;

  g_signal_connect (f->poller, "notify::interval", G_CALLBACK (count_notify_cb), &interval);
  g_signal_connect (f->poller, "notify::visible", G_CALLBACK (count_notify_cb), &visible);
  g_signal_connect (f->poller, "notify::active", G_CALLBACK (count_notify_cb), &active);
  g_signal_connect (f->poller, "notify::next-due", G_CALLBACK (count_notify_cb), &next_due);
  g_signal_connect (f->poller, "notify::in-flight", G_CALLBACK (count_notify_cb), &in_flight);
  g_signal_connect (f->poller, "notify::failure-count", G_CALLBACK (count_notify_cb),
                    &failures);

  g_object_set (f->poller, "interval", 1000, NULL);
  g_object_set (f->poller, "interval", 1000, NULL);
  atlas_poller_set_interval (f->poller, 1000);
  g_assert_cmpuint (interval, ==, 1);
  g_assert_cmpuint (active, ==, 1);
  g_assert_cmpuint (next_due, ==, 1);
  g_object_get (f->poller, "next-due", &due, NULL);
  g_assert_cmpint (due, ==, 1000 * 1000);

  atlas_poller_set_visible (f->poller, TRUE);
  g_assert_cmpuint (visible, ==, 0);
  atlas_poller_set_visible (f->poller, FALSE);
  atlas_poller_set_visible (f->poller, FALSE);
  g_assert_cmpuint (visible, ==, 1);
  g_assert_cmpuint (active, ==, 2);

  /* Resuming the same wait re-arms the same due time: active changes, next-due too. */
  atlas_poller_set_visible (f->poller, TRUE);
  g_assert_cmpuint (active, ==, 3);

  /* A tick re-arms: active stays TRUE throughout as far as listeners can tell. */
  advance (f, 1000);
  g_assert_cmpuint (active, ==, 3);

  atlas_poller_request_started (f->poller);
  atlas_poller_request_started (f->poller);
  atlas_poller_request_finished_ok (f->poller);
  g_assert_cmpuint (in_flight, ==, 1);
  atlas_poller_request_failed (f->poller, ATLAS_POLL_FAILURE_NETWORK, 0);
  g_assert_cmpuint (in_flight, ==, 2);
  g_assert_cmpuint (failures, ==, 1);
  atlas_poller_request_finished_ok (f->poller);
  atlas_poller_request_finished_ok (f->poller);
  g_assert_cmpuint (failures, ==, 2);
}

static void
count_tick_cb (AtlasPoller *poller,
               guint       *ticks)
{
  (*ticks)++;
}

static void
test_real_clock (void)
{
  g_autoptr(AtlasPoller) poller = atlas_poller_new (NULL);
  guint ticks = 0;

  g_assert_true (atlas_poller_get_clock (poller) == atlas_clock_get_default ());
  g_signal_connect (poller, "tick", G_CALLBACK (count_tick_cb), &ticks);

  atlas_poller_set_interval (poller, 1);
  g_assert_true (atlas_poller_get_active (poller));
  while (ticks < 2)
    g_main_context_iteration (NULL, TRUE);

  atlas_poller_set_interval (poller, 0);
  g_assert_false (atlas_poller_get_active (poller));
  g_assert_cmpuint (ticks, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/clock/manual-order", test_clock_manual_order);
  g_test_add_func ("/core/clock/real", test_clock_real);

#define ADD(path, func) \
  g_test_add ("/core/poller/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("interval-zero-no-source", test_interval_zero);
  ADD ("ticks-at-interval", test_ticks_at_interval);
  ADD ("start-waits-full-interval", test_start_waits_full_interval);
  ADD ("interval-change-replans", test_interval_change_replans);
  ADD ("interval-change-respects-pacing", test_interval_change_respects_pacing);
  ADD ("pacing-floors-interval", test_pacing_floors_interval);
  ADD ("hidden-pauses", test_hidden_pauses);
  ADD ("hidden-resume-due-ticks-at-once", test_hidden_resume_due);
  ADD ("hidden-resume-not-due-waits", test_hidden_resume_not_due);
  ADD ("modal-pauses", test_modal_pauses);
  ADD ("modal-resume-due-ticks-at-once", test_modal_resume_due);
  ADD ("modal-resume-not-due-waits", test_modal_resume_not_due);
  ADD ("hidden-and-modal", test_hidden_and_modal);
  ADD ("in-flight-blocks", test_in_flight_blocks);
  ADD ("in-flight-owner-request", test_in_flight_owner_request);
  ADD ("in-flight-cancelled", test_in_flight_cancelled);
  ADD ("backoff-exponential", test_backoff_exponential);
  ADD ("backoff-jitter-bounds", test_backoff_jitter_bounds);
  ADD ("backoff-capped", test_backoff_capped);
  ADD ("backoff-retry-after-floor", test_backoff_retry_after);
  ADD ("backoff-retry-after-below-interval", test_backoff_retry_after_below_interval);
  ADD ("backoff-resets-on-success", test_backoff_resets_on_success);
  ADD ("backoff-survives-interval-change", test_backoff_survives_interval_change);
  ADD ("stop-permanently", test_stop_permanently);
  ADD ("refresh-now", test_refresh_now);
  ADD ("refresh-now-in-flight", test_refresh_now_in_flight);
  ADD ("dispose-removes-source", test_dispose_removes_source);
  ADD ("unref-removes-source", test_unref_removes_source);
  ADD ("unref-in-tick", test_unref_in_tick);
  ADD ("one-source-at-most", test_one_source_at_most);
  ADD ("notify-on-change-only", test_notify_on_change_only);

#undef ADD

  g_test_add_func ("/core/poller/real-clock", test_real_clock);

  return g_test_run ();
}
