/* test-client.c — AtlasClient, AtlasRunWatcher and atlas-cli against the real backend
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backend runs in-process in the `test` scenario on a random loopback port; every
 * count below is a request the server really received.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "atlas-backend-server.h"
#include "atlas-client-private.h"
#include "atlas-http-private.h"
#include "atlas-json.h"
#include "atlas-notifier.h"
#include "atlas-poll-policy.h"
#include "atlas-poller-private.h"
#include "atlas-run-presenter.h"
#include "atlas-run-watcher.h"
#include "atlas-test-utils.h"

typedef AtlasTestFixture Fixture;

static void
test_not_modified_reuses_model (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (9001);
  AtlasTestResult a = { 0 }, b = { 0 };
  guint64 parses;

  atlas_test_add_run (f, 9001, "completed", "succeeded", NULL, f->t0 - 60, f->t0 - 50);
  atlas_backend_server_reset_request_counts (f->server);

  atlas_client_get_run_async (f->client, 1, 9001, NULL, atlas_test_result_cb, &a);
  atlas_test_wait (&a.done);
  g_assert_no_error (a.error);
  g_assert_false (a.response->not_modified);
  parses = atlas_client_get_parse_count (f->client);

  atlas_client_get_run_async (f->client, 1, 9001, NULL, atlas_test_result_cb, &b);
  atlas_test_wait (&b.done);
  g_assert_no_error (b.error);
  g_assert_true (b.response->not_modified);
  g_assert_cmpuint (b.response->status, ==, 304);
  /* The same parsed run, not a re-parse. */
  g_assert_cmpuint (atlas_client_get_parse_count (f->client), ==, parses);
  g_assert_true (((AtlasRunReply *) b.response->payload)->run == ((AtlasRunReply *) a.response->payload)->run);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 2);
  g_assert_cmpint (b.response->server_time, ==, f->t0);

  atlas_test_result_clear (&a);
  atlas_test_result_clear (&b);
}

static void
test_concurrent_fetches_share_one_request (Fixture       *f,
                                           gconstpointer  data)
{
  g_autofree char *path = atlas_test_run_path (9002);
  AtlasTestResult a = { 0 }, b = { 0 }, c = { 0 };

  atlas_test_add_run (f, 9002, "running", NULL, "fresh", f->t0 - 30, f->t0 - 20);
  atlas_backend_server_reset_request_counts (f->server);

  atlas_client_get_run_async (f->client, 1, 9002, NULL, atlas_test_result_cb, &a);
  atlas_client_get_run_async (f->client, 1, 9002, NULL, atlas_test_result_cb, &b);
  /* A different URL is its own request. */
  atlas_client_get_me_async (f->client, NULL, atlas_test_result_cb, &c);
  atlas_test_wait (&a.done);
  atlas_test_wait (&b.done);
  atlas_test_wait (&c.done);

  g_assert_no_error (a.error);
  g_assert_no_error (b.error);
  g_assert_no_error (c.error);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 1);
  g_assert_cmpuint (atlas_client_get_request_count (f->client), ==, 2);
  g_assert_true (a.response->payload == b.response->payload);

  atlas_test_result_clear (&a);
  atlas_test_result_clear (&b);
  atlas_test_result_clear (&c);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  AtlasBackendFault fault = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "2", NULL };
  AtlasTestResult r = { 0 };

  atlas_backend_server_inject_fault (f->server, &fault);
  atlas_client_get_me_async (f->client, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAVAILABLE);
  g_assert_cmpuint (atlas_client_error_get_retry_after_ms (r.error), ==, 2000);
  g_assert_cmpuint (atlas_client_error_get_status (r.error), ==, 503);
  g_assert_true (atlas_client_error_is_transient (r.error));
  atlas_test_result_clear (&r);

  /* The HTTP-date form is relative to the server's Date, not the local clock. */
  {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (f->t0 + 7);
    g_autofree char *date = g_date_time_format (when, "%a, %d %b %Y %H:%M:%S GMT");
    AtlasBackendFault dated = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 429, date, NULL };

    atlas_backend_server_inject_fault (f->server, &dated);
    atlas_client_get_me_async (f->client, NULL, atlas_test_result_cb, &r);
    atlas_test_wait (&r.done);
    g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_RATE_LIMITED);
    g_assert_cmpuint (atlas_client_error_get_retry_after_ms (r.error), ==, 7000);
    atlas_test_result_clear (&r);
  }

  /* And the service recovers: the next request is answered. */
  atlas_client_get_me_async (f->client, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  atlas_test_result_clear (&r);
}

static double
no_jitter (gpointer user_data)
{
  return 0.0;
}

/* A watcher that meets `Retry-After: 2` does not ask again before 2 s have passed. */
static void
test_retry_after_honoured_by_watcher (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(AtlasRunWatcher) watcher = NULL;
  g_autofree char *path = atlas_test_run_path (9003);
  AtlasBackendFault fault = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "2", NULL };
  AtlasPoller *poller;

  atlas_test_add_run (f, 9003, "running", NULL, "fresh", f->t0 - 5, f->t0 - 3);
  watcher = atlas_run_watcher_new (f->client, f->clock, 1, 9003);
  poller = atlas_run_watcher_get_poller (watcher);
  atlas_poller_set_jitter_func (poller, no_jitter, NULL, NULL);
  atlas_run_watcher_start (watcher);
  atlas_test_settle (poller);
  g_assert_nonnull (atlas_run_watcher_get_run (watcher));
  atlas_backend_server_reset_request_counts (f->server);

  atlas_backend_server_inject_fault (f->server, &fault);
  atlas_manual_clock_advance (f->clock, 1000);   /* age 4 s → 1 s cadence: the 503 */
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 1);
  g_assert_error ((GError *) atlas_run_watcher_get_error (watcher), ATLAS_CLIENT_ERROR,
                  ATLAS_CLIENT_ERROR_UNAVAILABLE);
  /* The last good run is still there. */
  g_assert_nonnull (atlas_run_watcher_get_run (watcher));

  atlas_manual_clock_advance (f->clock, 1999);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 1);
  atlas_manual_clock_advance (f->clock, 1);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 2);
  g_assert_null (atlas_run_watcher_get_error (watcher));
}

static void
test_error_mapping (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char       *role;
    const char       *what;
    AtlasClientError  code;
  } cases[] = {
    { NULL, "me", ATLAS_CLIENT_ERROR_UNAUTHENTICATED },
    { "viewer", "generate", ATLAS_CLIENT_ERROR_FORBIDDEN },
    { "outsider", "run", ATLAS_CLIENT_ERROR_NOT_FOUND },
    { "operator", "missing-run", ATLAS_CLIENT_ERROR_NOT_FOUND },
  };

  atlas_test_add_run (f, 9004, "completed", "failed", NULL, f->t0 - 60, f->t0 - 50);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *token = cases[i].role ? atlas_backend_server_get_token (f->server, cases[i].role)
                                        : "not-a-token";
      g_autoptr(AtlasClient) client = atlas_client_new (f->base_url, token, 0, NULL);
      AtlasTestResult r = { 0 };

      if (g_str_equal (cases[i].what, "me"))
        atlas_client_get_me_async (client, NULL, atlas_test_result_cb, &r);
      else if (g_str_equal (cases[i].what, "generate"))
        atlas_client_generate_review_pack_async (client, 7, NULL, atlas_test_result_cb, &r);
      else if (g_str_equal (cases[i].what, "run"))
        atlas_client_get_run_async (client, 1, 9004, NULL, atlas_test_result_cb, &r);
      else
        atlas_client_get_run_async (client, 1, 987654, NULL, atlas_test_result_cb, &r);
      atlas_test_wait (&r.done);

      g_test_message ("%s/%s: %s", cases[i].role, cases[i].what, r.error ? r.error->message : "-");
      g_assert_null (r.response);
      g_assert_error (r.error, ATLAS_CLIENT_ERROR, (int) cases[i].code);
      g_assert_false (atlas_client_error_is_transient (r.error));
      if (cases[i].code == ATLAS_CLIENT_ERROR_NOT_FOUND)
        g_assert_cmpstr (r.error->message, ==, "Not found");
      atlas_test_result_clear (&r);
    }
}

static void
test_bad_bodies (Fixture       *f,
                 gconstpointer  data)
{
  static const AtlasBackendFaultKind kinds[] = {
    ATLAS_BACKEND_FAULT_MALFORMED, ATLAS_BACKEND_FAULT_CUT_JSON, ATLAS_BACKEND_FAULT_TRUNCATED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      AtlasBackendFault fault = { kinds[i], 1, 0, 0, NULL, NULL };
      g_autoptr(AtlasClient) client = atlas_client_new (f->base_url,
                                                        atlas_backend_server_get_token (f->server, "operator"),
                                                        0, NULL);
      AtlasTestResult r = { 0 };

      atlas_backend_server_inject_fault (f->server, &fault);
      atlas_client_get_me_async (client, NULL, atlas_test_result_cb, &r);
      atlas_test_wait (&r.done);
      g_test_message ("fault %u: %s", kinds[i], r.error ? r.error->message : "(none)");
      g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_true (atlas_client_error_is_transient (r.error));
      atlas_test_result_clear (&r);

      /* Nothing was cached from the bad answer; the next one is fine. */
      atlas_client_get_me_async (client, NULL, atlas_test_result_cb, &r);
      atlas_test_wait (&r.done);
      g_assert_no_error (r.error);
      g_assert_false (r.response->not_modified);
      atlas_test_result_clear (&r);
    }
}

static void
test_no_data_after_cancel (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 200, 0, NULL, NULL };
  AtlasTestResult r = { 0 };

  atlas_backend_server_inject_fault (f->server, &slow);
  atlas_client_get_me_async (f->client, cancellable, atlas_test_result_cb, &r);
  g_cancellable_cancel (cancellable);
  atlas_test_wait (&r.done);
  g_assert_null (r.response);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  atlas_test_result_clear (&r);
}

static void
count_updates_cb (AtlasRunWatcher *watcher,
                  guint           *count)
{
  (*count)++;
}

/* A view disposed mid-request: its watcher never reports the late answer. */
static void
test_watcher_disposed_mid_request (Fixture       *f,
                                   gconstpointer  data)
{
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 150, 0, NULL, NULL };
  AtlasRunWatcher *watcher;
  GWeakRef weak;
  guint updates = 0;
  gint64 deadline;

  atlas_test_add_run (f, 9005, "running", NULL, "fresh", f->t0 - 5, f->t0 - 3);
  atlas_backend_server_inject_fault (f->server, &slow);
  watcher = atlas_run_watcher_new (f->client, f->clock, 1, 9005);
  g_signal_connect (watcher, "updated", G_CALLBACK (count_updates_cb), &updates);
  g_weak_ref_init (&weak, watcher);
  atlas_run_watcher_start (watcher);
  g_object_unref (watcher);

  /* Gone at once, not kept alive by its own request. */
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  /* Let the late answer arrive and be dropped. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (atlas_backend_server_get_request_count (f->server, "/api/v1/workspaces/1/operations/9005") == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (updates, ==, 0);
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
}

/* Run the watcher for `seconds` of lock-stepped server and poller time; returns the
 * seconds (since t0) at which the server saw a fetch. */
static GArray *
watch_for (Fixture         *f,
           AtlasRunWatcher *watcher,
           const char      *path,
           gint64           seconds,
           GArray          *seen)
{
  guint64 before = atlas_test_count (f, path);

  for (gint64 i = 0; i < seconds; i++)
    {
      guint64 now_count;

      atlas_test_advance (f, atlas_run_watcher_get_poller (watcher), 1);
      now_count = atlas_test_count (f, path);
      if (now_count != before)
        {
          gint64 at = f->ms / 1000;
          g_assert_cmpuint (now_count, ==, before + 1);
          g_array_append_val (seen, at);
          before = now_count;
        }
    }
  return seen;
}

/* Queued → running → terminal, fetched at the 1 s / 5 s / 10 s cadence of its age,
 * and never once after it is terminal. */
static void
test_watch_cadence (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AtlasRunWatcher) watcher = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *path = atlas_test_run_path (9006);
  g_autofree char *patch = NULL;
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;
  GString *got = g_string_new (NULL);

  atlas_test_add_run (f, 9006, "queued", NULL, "fresh", f->t0, ATLAS_TIME_NONE);
  atlas_backend_server_reset_request_counts (f->server);
  watcher = atlas_run_watcher_new (f->client, f->clock, 1, 9006);
  atlas_run_watcher_start (watcher);
  atlas_test_settle (atlas_run_watcher_get_poller (watcher));
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 1);

  watch_for (f, watcher, path, 70, seen);

  /* It starts running at t=70: age now counts from started_at, so back to 1 s. */
  patch = g_strdup_printf ("{\"status\": \"running\", \"started_at\": \"%s\"}",
                           atlas_test_stamp (f->t0 + 70));
  atlas_backend_server_patch_run_json (f->server, 9006, patch, &error);
  g_assert_no_error (error);
  watch_for (f, watcher, path, 30, seen);

  done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\", \"completed_at\": \"%s\"}",
                          atlas_test_stamp (f->t0 + 100));
  atlas_backend_server_patch_run_json (f->server, 9006, done, &error);
  g_assert_no_error (error);
  watch_for (f, watcher, path, 120, seen);

  for (guint i = 0; i < seen->len; i++)
    g_string_append_printf (got, "%s%" G_GINT64_FORMAT, i ? " " : "", g_array_index (seen, gint64, i));
  g_test_message ("fetched at: %s", got->str);
  /* queued: ages 0..9 → 1 s, 10..59 → 5 s, ≥ 60 → 10 s. The patch lands between
   * fetches, so the one at 70 still sees "queued, 70 s" → 10 s; at 80 it sees
   * running for 10 s → 5 s; 85, 90, 95; at 100 it would see 30 s → 5 s, but the run
   * completed at t=100 is seen at 105 and nothing follows. */
  g_assert_cmpstr (got->str, ==,
                   "1 2 3 4 5 6 7 8 9 10 15 20 25 30 35 40 45 50 55 60 70 80 85 90 95 100 105");
  g_assert_true (atlas_run_watcher_get_finished (watcher));
  g_assert_cmpuint (atlas_manual_clock_get_n_pending (f->clock), ==, 0);
  g_string_free (got, TRUE);
}

static void
test_watch_unknown_once_stale_keeps (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(AtlasRunWatcher) unknown = NULL;
  g_autoptr(AtlasRunWatcher) stale = NULL;
  g_autoptr(GArray) seen_unknown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seen_stale = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *unknown_path = atlas_test_run_path (9007);
  g_autofree char *stale_path = atlas_test_run_path (9008);

  atlas_test_add_run (f, 9007, "paused", NULL, "fresh", f->t0 - 100, f->t0 - 90);
  atlas_test_add_run (f, 9008, "running", NULL, "likely_stale", f->t0 - 3600, f->t0 - 3590);
  atlas_backend_server_reset_request_counts (f->server);

  unknown = atlas_run_watcher_new (f->client, f->clock, 1, 9007);
  stale = atlas_run_watcher_new (f->client, f->clock, 1, 9008);
  atlas_run_watcher_start (unknown);
  atlas_run_watcher_start (stale);
  atlas_test_settle (atlas_run_watcher_get_poller (unknown));
  atlas_test_settle (atlas_run_watcher_get_poller (stale));
  g_assert_true (atlas_run_watcher_get_finished (unknown));
  g_assert_false (atlas_run_watcher_get_finished (stale));

  atlas_test_advance (f, atlas_run_watcher_get_poller (stale), 60);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, unknown_path), ==, 1);
  /* Likely stale keeps polling, at the 10 s of its age: 1 + 6 in 60 s. */
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, stale_path), ==, 7);
  {
    g_autoptr(AtlasRunPresentation) p = atlas_run_present (atlas_run_watcher_get_run (stale),
                                                           atlas_run_watcher_get_server_time (stale));
    g_assert_cmpstr (p->freshness_badge.label, ==, "Likely stale");
  }
}

static void
count_notification_cb (AtlasNotifier     *notifier,
                       AtlasNotification *n,
                       GArray            *seen)
{
  g_array_append_val (seen, n->run_id);
}

static gint64
my_user_id (Fixture *f)
{
  AtlasTestResult r = { 0 };
  gint64 id;

  atlas_client_get_me_async (f->client, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_no_error (r.error);
  id = ((AtlasMe *) r.response->payload)->user_id;
  atlas_test_result_clear (&r);
  return id;
}

static void
insert_initiated_run (Fixture *f,
                      gint64   id,
                      gint64   initiator)
{
  g_autofree char *initiator_json = initiator > 0 ? g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"name\": \"Dana Operator\"}", initiator)
                                                  : NULL;
  AtlasTestRun run = {
    .id = id, .status = "running", .freshness = "fresh",
    .created_at = f->t0 - 30, .started_at = f->t0 - 30,
    .initiator = initiator_json,
  };

  atlas_test_insert_run (f, &run);
}

/* A run the user started ends: exactly one notification, none for a system run,
 * and a restart does not repeat it. */
static void
test_notifications_exactly_once (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("atlas-notify-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", "notifications.ini", NULL);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"succeeded\","
                                           " \"completed_at\": \"%s\"}", atlas_test_stamp (f->t0));
  gint64 uid = my_user_id (f);
  AtlasNotifier *notifier;
  guint64 polls;

  insert_initiated_run (f, 9300, uid);
  insert_initiated_run (f, 9301, 0);   /* a system run */
  notifier = atlas_notifier_new (f->client, f->clock, state);
  g_signal_connect (notifier, "notification", G_CALLBACK (count_notification_cb), seen);
  atlas_notifier_start (notifier);
  atlas_test_settle (atlas_notifier_get_poller (notifier));
  g_assert_cmpuint (seen->len, ==, 0);
  /* The user has a run going: polling at 10 s. */
  g_assert_true (atlas_poller_get_active (atlas_notifier_get_poller (notifier)));

  atlas_backend_server_patch_run_json (f->server, 9300, done, NULL);
  atlas_backend_server_patch_run_json (f->server, 9301, done, NULL);
  atlas_manual_clock_advance (f->clock, 10000);
  atlas_test_settle (atlas_notifier_get_poller (notifier));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (g_array_index (seen, gint64, 0), ==, 9300);

  /* Nothing of the user's is active now: no more polling. */
  polls = atlas_backend_server_get_request_count (f->server, "/api/v1/me/notifications");
  atlas_manual_clock_advance (f->clock, 60000);
  atlas_test_settle (atlas_notifier_get_poller (notifier));
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/me/notifications"), ==, polls);
  g_assert_cmpuint (seen->len, ==, 1);
  g_object_unref (notifier);

  /* Restart: the same state file, the same backend and user. */
  notifier = atlas_notifier_new (f->client, f->clock, state);
  g_signal_connect (notifier, "notification", G_CALLBACK (count_notification_cb), seen);
  atlas_notifier_start (notifier);
  atlas_test_settle (atlas_notifier_get_poller (notifier));
  g_assert_cmpuint (seen->len, ==, 1);
  g_object_unref (notifier);

  g_unlink (state);
  {
    g_autofree char *sub = g_path_get_dirname (state);
    g_rmdir (sub);
  }
  g_rmdir (dir);
}

/* Fed by the overlay's count on screen, the notifier does not poll: it makes one
 * fetch when the user's runs are done. Hidden, it keeps the 10 s rule (with /me). */
static void
test_notifier_fed_count (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("atlas-notify-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "notifications.ini", NULL);
  g_autoptr(AtlasNotifier) notifier = NULL;
  gint64 uid = my_user_id (f);
  AtlasPoller *poller;
  guint64 me, notes;

  insert_initiated_run (f, 9310, uid);
  notifier = atlas_notifier_new (f->client, f->clock, state);
  poller = atlas_notifier_get_poller (notifier);
  atlas_notifier_start (notifier);
  atlas_test_settle (poller);
  atlas_notifier_set_active_initiated (notifier, 1);
  atlas_backend_server_reset_request_counts (f->server);

  for (guint i = 0; i < 3; i++)
    {
      atlas_manual_clock_advance (f->clock, 10000);
      atlas_test_settle (poller);
    }
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/me"), ==, 0);

  /* Hidden: the rule, /me included, since nobody feeds the count. */
  atlas_notifier_set_shown (notifier, FALSE);
  for (guint i = 0; i < 3; i++)
    {
      atlas_manual_clock_advance (f->clock, 10000);
      atlas_test_settle (poller);
    }
  me = atlas_backend_server_get_request_count (f->server, "/api/v1/me");
  notes = atlas_backend_server_get_request_count (f->server, "/api/v1/me/notifications");
  g_assert_cmpuint (notes, ==, 3);
  g_assert_cmpuint (me - notes, ==, 3);   /* the prefix /api/v1/me counts both */

  /* Shown again and fed: quiet until the count drops, then one fetch. */
  atlas_notifier_set_shown (notifier, TRUE);
  atlas_notifier_set_active_initiated (notifier, 1);
  atlas_manual_clock_advance (f->clock, 30000);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/me/notifications"), ==, 3);
  atlas_notifier_set_active_initiated (notifier, 0);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/me/notifications"), ==, 4);
  atlas_manual_clock_advance (f->clock, 60000);
  atlas_test_settle (poller);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, "/api/v1/me/notifications"), ==, 4);
  g_assert_false (atlas_poller_get_active (poller));

  g_unlink (state);
  g_rmdir (dir);
}

/* --- atlas-cli ---------------------------------------------------------------- */

typedef struct
{
  gboolean done;
  int      status;
} Exit;

static void
cli_exited_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Exit *e = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  e->status = g_subprocess_get_if_exited (G_SUBPROCESS (object)) ?
              g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  e->done = TRUE;
}

static GSubprocess *
spawn_cli (Fixture    *f,
           const char *role,
           gint64      run_id,
           Exit       *exit_info)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_setenv (launcher, "ATLAS_TOKEN", atlas_backend_server_get_token (f->server, role), TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, ATLAS_CLI_PATH, "--backend", f->base_url,
                                      "--workspace", "1", "run", id, "--watch", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (proc, NULL, cli_exited_cb, exit_info);
  return proc;
}

static void
test_cli_watch_exit_codes (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *status;
    const char *outcome;
    const char *freshness;
    int         code;
  } cases[] = {
    { "completed", "succeeded", NULL, 0 },
    { "completed", "failed", NULL, 1 },
    { "completed", "blocked", NULL, 1 },
    { "completed", "cancelled", NULL, 1 },
    { "completed", "failed", "reconciled", 1 },
    { "completed", "partially_succeeded", NULL, 2 },
    { "completed", "exploded", NULL, 3 },
    { "paused", NULL, NULL, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      Exit e = { 0 };

      atlas_test_add_run (f, 9100 + i, cases[i].status, cases[i].outcome, cases[i].freshness,
                          f->t0 - 60, f->t0 - 50);
      proc = spawn_cli (f, "operator", 9100 + i, &e);
      atlas_test_wait (&e.done);
      g_test_message ("%s/%s → %d", cases[i].status, cases[i].outcome, e.status);
      g_assert_cmpint (e.status, ==, cases[i].code);
    }

  {
    /* Not found (another workspace's token) is an error, not a wait. */
    g_autoptr(GSubprocess) proc = NULL;
    Exit e = { 0 };

    proc = spawn_cli (f, "outsider", 9100, &e);
    atlas_test_wait (&e.done);
    g_assert_cmpint (e.status, ==, 3);
  }
}

/* --watch follows a run that ends while it watches. */
static void
test_cli_watch_until_terminal (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *path = atlas_test_run_path (9200);
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;
  Exit e = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  atlas_test_add_run (f, 9200, "running", NULL, "fresh", f->t0 - 30, f->t0 - 20);
  atlas_backend_server_reset_request_counts (f->server);
  proc = spawn_cli (f, "operator", 9200, &e);

  while (atlas_backend_server_get_request_count (f->server, path) == 0 && !e.done &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (e.done);

  done = g_strdup_printf ("{\"status\": \"completed\", \"outcome\": \"partially_succeeded\","
                          " \"completed_at\": \"%s\"}", atlas_test_stamp (f->t0));
  atlas_backend_server_patch_run_json (f->server, 9200, done, &error);
  g_assert_no_error (error);

  while (!e.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (e.done);
  g_assert_cmpint (e.status, ==, 2);
  g_assert_cmpuint (atlas_backend_server_get_request_count (f->server, path), ==, 2);
}

static void
test_header_parsing (void)
{
  guint ms = 0;
  gint64 now = atlas_parse_http_date ("Sun, 22 Nov 2026 10:33:10 GMT");

  g_assert_cmpint (now, ==, atlas_timestamp_parse ("2026-11-22T10:33:10Z"));
  g_assert_cmpint (atlas_parse_http_date ("yesterday"), ==, ATLAS_TIME_NONE);
  g_assert_cmpint (atlas_parse_http_date (""), ==, ATLAS_TIME_NONE);
  g_assert_cmpint (atlas_parse_http_date (NULL), ==, ATLAS_TIME_NONE);

  g_assert_true (atlas_parse_retry_after ("2", now, &ms));
  g_assert_cmpuint (ms, ==, 2000);
  g_assert_true (atlas_parse_retry_after (" 120 ", now, &ms));
  g_assert_cmpuint (ms, ==, 120000);
  g_assert_true (atlas_parse_retry_after ("99999999999999999999999", now, &ms));
  g_assert_cmpuint (ms, ==, 3600 * 1000);
  g_assert_true (atlas_parse_retry_after ("Sun, 22 Nov 2026 10:33:40 GMT", now, &ms));
  g_assert_cmpuint (ms, ==, 30000);
  g_assert_true (atlas_parse_retry_after ("Sun, 22 Nov 2026 10:00:00 GMT", now, &ms));
  g_assert_cmpuint (ms, ==, 0);
  g_assert_false (atlas_parse_retry_after ("-5", now, &ms));
  g_assert_false (atlas_parse_retry_after ("soon", now, &ms));
  g_assert_false (atlas_parse_retry_after ("2.5", now, &ms));

  g_assert_true (atlas_parse_poll_interval ("30", &ms));
  g_assert_cmpuint (ms, ==, 30000);
  g_assert_false (atlas_parse_poll_interval ("0", &ms));
  g_assert_false (atlas_parse_poll_interval ("fast", &ms));

  g_assert_true (atlas_url_is_loopback ("http://127.0.0.1:8750"));
  g_assert_true (atlas_url_is_loopback ("http://[::1]:8750/"));
  g_assert_true (atlas_url_is_loopback ("http://localhost"));
  g_assert_false (atlas_url_is_loopback ("http://atlas.example.test"));
  g_assert_false (atlas_url_is_loopback ("http://127.0.0.1.example.test"));
}

static void
test_insecure_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasClient) refused = atlas_client_new ("http://atlas.example.test", "t", 0, &error);
  g_autoptr(AtlasClient) allowed = atlas_client_new ("http://atlas.example.test", "t",
                                                     ATLAS_CLIENT_FLAGS_ALLOW_INSECURE, NULL);
  g_autoptr(AtlasClient) https = atlas_client_new ("https://atlas.example.test/", "t", 0, NULL);
  g_autoptr(AtlasClient) ftp = atlas_client_new ("ftp://atlas.example.test/", "t", 0, NULL);

  g_assert_null (refused);
  g_assert_error (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_INSECURE);
  g_assert_nonnull (allowed);
  g_assert_nonnull (https);
  g_assert_cmpstr (atlas_client_get_base_url (https), ==, "https://atlas.example.test");
  g_assert_null (ftp);
}

static void
test_dead_backend (void)
{
  g_autoptr(GError) error = NULL;
  AtlasBackendOptions options = { NULL, "test", FALSE, 0 };
  g_autoptr(AtlasBackendServer) server = atlas_backend_server_new (&options, &error);
  g_autofree char *url = NULL;
  g_autoptr(AtlasClient) client = NULL;
  AtlasTestResult r = { 0 };

  /* Take a free port, then close it: nothing listens there. */
  atlas_backend_server_start (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  url = atlas_backend_server_dup_base_url (server);
  atlas_backend_server_stop (server);

  client = atlas_client_new (url, "t", 0, NULL);
  atlas_client_get_me_async (client, NULL, atlas_test_result_cb, &r);
  atlas_test_wait (&r.done);
  g_assert_error (r.error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NETWORK);
  g_assert_true (atlas_client_error_is_transient (r.error));
  atlas_test_result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client/" path, Fixture, NULL, atlas_test_setup, func, atlas_test_teardown)

  ADD ("not-modified-reuses-model", test_not_modified_reuses_model);
  ADD ("concurrent-fetches-share-one-request", test_concurrent_fetches_share_one_request);
  ADD ("retry-after", test_retry_after);
  ADD ("retry-after-honoured-by-watcher", test_retry_after_honoured_by_watcher);
  ADD ("error-mapping", test_error_mapping);
  ADD ("bad-bodies", test_bad_bodies);
  ADD ("no-data-after-cancel", test_no_data_after_cancel);
  ADD ("watcher-disposed-mid-request", test_watcher_disposed_mid_request);
  ADD ("watch-cadence", test_watch_cadence);
  ADD ("watch-unknown-once-stale-keeps", test_watch_unknown_once_stale_keeps);
  ADD ("notifications-exactly-once", test_notifications_exactly_once);
  ADD ("notifier-fed-count", test_notifier_fed_count);
  ADD ("cli-watch-exit-codes", test_cli_watch_exit_codes);
  ADD ("cli-watch-until-terminal", test_cli_watch_until_terminal);
  g_test_add_func ("/client/header-parsing", test_header_parsing);
  g_test_add_func ("/client/insecure-refused", test_insecure_refused);
  g_test_add_func ("/client/dead-backend", test_dead_backend);

  return g_test_run ();
}
