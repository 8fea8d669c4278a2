/* test-resource.c — AtlasResource against the real backend: current target only, session end
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backend runs in-process in the `test` scenario on a random loopback port; the
 * pollers run on a manual clock, and every count is a request the server received.
 */

#include "config.h"

#include "atlas-client-private.h"
#include "atlas-poll-policy.h"
#include "atlas-poller-private.h"
#include "atlas-resource-private.h"
#include "atlas-test-utils.h"

typedef AtlasTestFixture Fixture;

/* One resource following a tenant's dashboard, and what it emitted. */
typedef struct
{
  AtlasResource *resource;
  gint64         tenant_id;
  gboolean       ignore_cancellable;   /* a fetch whose answer outruns its cancellation */
  GArray        *updated;              /* gint64: the tenant of every ::updated */
  GPtrArray     *failed;               /* GError* of every ::failed */
} Watch;

static void
fetch_dashboard (const AtlasResourceRequest *request,
                 gpointer                    user_data)
{
  Watch *w = user_data;

  atlas_client_get_dashboard_async (request->client, w->tenant_id,
                                    w->ignore_cancellable ? NULL : request->cancellable,
                                    request->callback, request->callback_data);
}

static void
updated_cb (AtlasResource *resource,
            AtlasResponse *response,
            Watch         *w)
{
  AtlasDashboard *d = response->payload;

  g_array_append_val (w->updated, d->tenant_id);
  atlas_resource_set_interval (resource, atlas_poll_interval_for_tenant (d->kpi_active));
}

static void
failed_cb (AtlasResource *resource,
           const GError  *error,
           Watch         *w)
{
  g_ptr_array_add (w->failed, g_error_copy (error));
}

static void
watch_init (Watch       *w,
            Fixture     *f,
            AtlasClient *client,
            gint64       tenant_id)
{
  w->tenant_id = tenant_id;
  w->updated = g_array_new (FALSE, FALSE, sizeof (gint64));
  w->failed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  w->resource = atlas_resource_new (client, f->clock, fetch_dashboard, w);
  g_signal_connect (w->resource, "updated", G_CALLBACK (updated_cb), w);
  g_signal_connect (w->resource, "failed", G_CALLBACK (failed_cb), w);
}

static void
watch_clear (Watch *w)
{
  g_clear_object (&w->resource);
  g_clear_pointer (&w->updated, g_array_unref);
  g_clear_pointer (&w->failed, g_ptr_array_unref);
}

static void
settle (Watch *w)
{
  atlas_test_settle (atlas_resource_get_poller (w->resource));
  g_assert_false (atlas_resource_get_in_flight (w->resource));
}

static const GError *
failure (GPtrArray *failed,
         guint      index)
{
  g_assert_cmpuint (index, <, failed->len);
  return g_ptr_array_index (failed, index);
}

/* A tenant switch while the first answer is out: only the new tenant is ever painted,
 * and the cancelled request does not leave the poller blocked. */
static void
test_current_target_only (Fixture       *f,
                          gconstpointer  data)
{
  Watch w = { 0 };

  watch_init (&w, f, f->client, 7);
  atlas_resource_load (w.resource);
  g_assert_true (atlas_poller_get_in_flight (atlas_resource_get_poller (w.resource)));
  w.tenant_id = 8;
  atlas_resource_retarget (w.resource);
  settle (&w);
  atlas_test_drain (100);

  g_assert_cmpuint (w.updated->len, ==, 1);
  g_assert_cmpint (g_array_index (w.updated, gint64, 0), ==, 8);
  g_assert_cmpuint (w.failed->len, ==, 0);
  g_assert_false (atlas_poller_get_in_flight (atlas_resource_get_poller (w.resource)));
  g_assert_cmpuint (atlas_resource_get_fetch_count (w.resource), ==, 2);

  /* Polling goes on for the new target only. */
  atlas_resource_set_interval (w.resource, ATLAS_POLL_SLOW_MS);
  atlas_manual_clock_advance (f->clock, ATLAS_POLL_SLOW_MS);
  settle (&w);
  g_assert_cmpuint (w.updated->len, ==, 2);
  g_assert_cmpint (g_array_index (w.updated, gint64, 1), ==, 8);
  watch_clear (&w);
}

/* An answer for the old target that arrives after the switch (its fetch did not
 * honour the cancellation, and the backend delays it) is dropped by the generation. */
static void
test_late_answer_dropped (Fixture       *f,
                          gconstpointer  data)
{
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 250, 0, NULL, "/api/v1/tenants/7/" };
  Watch w = { 0 };

  atlas_backend_server_inject_fault (f->server, &slow);
  watch_init (&w, f, f->client, 7);
  w.ignore_cancellable = TRUE;
  atlas_resource_load (w.resource);
  w.tenant_id = 6;
  atlas_resource_retarget (w.resource);
  settle (&w);
  g_assert_cmpuint (w.updated->len, ==, 1);
  g_assert_cmpint (g_array_index (w.updated, gint64, 0), ==, 6);

  /* Tenant 7's answer comes now, and must not paint. */
  atlas_test_drain (400);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/7/dashboard"), ==, 1);
  g_assert_cmpuint (w.updated->len, ==, 1);
  g_assert_cmpuint (w.failed->len, ==, 0);
  watch_clear (&w);
}

/* Transient errors retry with backoff (Retry-After as the floor); 404 stops for good. */
static void
test_errors_follow_the_contract (Fixture       *f,
                                 gconstpointer  data)
{
  AtlasBackendFault busy = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "7", "/api/v1/tenants/7/" };
  Watch w = { 0 };
  AtlasPoller *poller;

  atlas_backend_server_inject_fault (f->server, &busy);
  watch_init (&w, f, f->client, 7);
  poller = atlas_resource_get_poller (w.resource);
  atlas_resource_load (w.resource);
  settle (&w);
  g_assert_cmpuint (w.failed->len, ==, 1);
  g_assert_error (failure (w.failed, 0), ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAVAILABLE);
  g_assert_true (atlas_resource_get_retrying (w.resource));
  g_assert_false (atlas_poller_get_stopped (poller));
  g_assert_cmpuint (atlas_poller_get_failure_count (poller), ==, 1);
  g_assert_cmpuint (atlas_poller_get_backoff (poller), >=, 7000);

  /* Not before the Retry-After; then once, and it recovers. */
  atlas_manual_clock_advance (f->clock, 6000);
  g_assert_false (atlas_resource_get_in_flight (w.resource));
  atlas_manual_clock_advance (f->clock, ATLAS_POLLER_MAX_BACKOFF_MS);
  settle (&w);
  g_assert_cmpuint (w.updated->len, ==, 1);
  g_assert_cmpuint (atlas_poller_get_failure_count (poller), ==, 0);

  /* A tenant nobody may see: stopped, and Ctrl+R sends nothing. */
  w.tenant_id = 999;
  atlas_resource_retarget (w.resource);
  settle (&w);
  g_assert_cmpuint (w.failed->len, ==, 2);
  g_assert_error (failure (w.failed, 1), ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND);
  g_assert_false (atlas_resource_get_retrying (w.resource));
  g_assert_true (atlas_poller_get_stopped (poller));
  g_assert_false (atlas_resource_refresh (w.resource));
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/999/"), ==, 1);
  watch_clear (&w);
}

/* One 401 stops every resource of the client at once: the others fail with it without
 * a request of their own, a new one fails at its first load without a request, another
 * client is untouched; a new token brings them all back. */
static void
test_session_end_stops_all (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *url = atlas_backend_server_dup_base_url (f->server);
  g_autoptr(AtlasClient) other = atlas_client_new (url, atlas_backend_server_get_token (f->server, "viewer"),
                                                   ATLAS_CLIENT_FLAGS_NONE, NULL);
  Watch a = { 0 }, b = { 0 }, c = { 0 }, late = { 0 };
  guint64 before;

  watch_init (&a, f, f->client, 7);
  watch_init (&b, f, f->client, 8);
  watch_init (&c, f, other, 7);
  atlas_resource_load (a.resource);
  atlas_resource_load (b.resource);
  atlas_resource_load (c.resource);
  settle (&a);
  settle (&b);
  settle (&c);
  g_assert_cmpuint (a.updated->len + b.updated->len + c.updated->len, ==, 3);
  atlas_resource_set_interval (b.resource, ATLAS_POLL_SLOW_MS);
  atlas_resource_set_interval (c.resource, ATLAS_POLL_SLOW_MS);

  atlas_client_set_token (f->client, "atlas-test-revoked");
  g_assert_null (atlas_client_get_session_error (f->client));
  g_assert_true (atlas_resource_refresh (a.resource));
  settle (&a);
  g_assert_nonnull (atlas_client_get_session_error (f->client));
  g_assert_cmpuint (a.failed->len, ==, 1);
  g_assert_error (failure (a.failed, 0), ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (b.failed->len, ==, 1);
  g_assert_error (failure (b.failed, 0), ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED);
  g_assert_true (atlas_poller_get_stopped (atlas_resource_get_poller (a.resource)));
  g_assert_true (atlas_poller_get_stopped (atlas_resource_get_poller (b.resource)));
  g_assert_false (atlas_poller_get_active (atlas_resource_get_poller (b.resource)));

  /* Nothing more goes out for this client, whatever asks. */
  before = atlas_test_count (f, "/api/v1/tenants/");
  watch_init (&late, f, f->client, 6);
  atlas_resource_load (late.resource);
  g_assert_cmpuint (late.failed->len, ==, 1);
  g_assert_false (atlas_resource_get_in_flight (late.resource));
  atlas_resource_load (b.resource);
  g_assert_false (atlas_resource_refresh (b.resource));
  atlas_manual_clock_advance (f->clock, ATLAS_POLL_SLOW_MS);
  settle (&c);
  atlas_test_drain (50);
  /* Only the other client's dashboard poll reached the server. */
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/") - before, ==, 1);
  g_assert_cmpuint (c.updated->len, ==, 2);
  g_assert_cmpuint (c.failed->len, ==, 0);

  /* Signed in again: every stopped resource loads at once. */
  atlas_client_set_token (f->client, atlas_backend_server_get_token (f->server, "operator"));
  g_assert_null (atlas_client_get_session_error (f->client));
  settle (&a);
  settle (&b);
  settle (&late);
  g_assert_cmpuint (a.updated->len, ==, 2);
  g_assert_cmpuint (b.updated->len, ==, 2);
  g_assert_cmpuint (late.updated->len, ==, 1);
  g_assert_false (atlas_poller_get_stopped (atlas_resource_get_poller (b.resource)));

  watch_clear (&a);
  watch_clear (&b);
  watch_clear (&c);
  watch_clear (&late);
}

/* A kiosk's connection outlives the session: a 401 backs it off instead of stopping it,
 * while every other resource of the client stops. */
static void
test_outlives_session (Fixture       *f,
                       gconstpointer  data)
{
  Watch kiosk = { 0 }, view = { 0 };
  AtlasPoller *poller;

  watch_init (&kiosk, f, f->client, 7);
  watch_init (&view, f, f->client, 8);
  atlas_resource_set_outlives_session (kiosk.resource, TRUE);
  poller = atlas_resource_get_poller (kiosk.resource);
  atlas_client_set_token (f->client, "atlas-test-revoked");
  atlas_resource_load (kiosk.resource);
  settle (&kiosk);

  g_assert_cmpuint (kiosk.failed->len, ==, 1);
  g_assert_error (failure (kiosk.failed, 0), ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED);
  g_assert_false (atlas_poller_get_stopped (poller));
  g_assert_true (atlas_poller_get_active (poller));
  g_assert_cmpuint (atlas_poller_get_failure_count (poller), ==, 1);
  g_assert_cmpuint (view.failed->len, ==, 1);   /* without a request of its own */
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/8/"), ==, 0);

  /* It asks again by itself, with a longer wait each time. */
  atlas_manual_clock_advance (f->clock, ATLAS_POLLER_MAX_BACKOFF_MS);
  settle (&kiosk);
  g_assert_cmpuint (kiosk.failed->len, ==, 2);
  g_assert_cmpuint (atlas_poller_get_failure_count (poller), ==, 2);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/7/"), ==, 2);

  watch_clear (&kiosk);
  watch_clear (&view);
}

/* The kiosk's connection keeps asking through refused answers; its first good one
 * means the token works again, and every resource the 401 stopped loads by itself.
 * (The backend's status fault answers 401 for a while, as a revoked and restored
 * token would.) */
static void
test_session_resumes_on_good_answer (Fixture       *f,
                                     gconstpointer  data)
{
  AtlasBackendFault refused = { ATLAS_BACKEND_FAULT_STATUS, 2, 0, 401, NULL, "/api/v1/tenants/7/" };
  Watch kiosk = { 0 }, view = { 0 };

  watch_init (&kiosk, f, f->client, 7);
  watch_init (&view, f, f->client, 8);
  atlas_resource_set_outlives_session (kiosk.resource, TRUE);
  atlas_resource_load (view.resource);
  settle (&view);
  g_assert_cmpuint (view.updated->len, ==, 1);

  atlas_backend_server_inject_fault (f->server, &refused);
  atlas_resource_load (kiosk.resource);
  settle (&kiosk);
  g_assert_nonnull (atlas_client_get_session_error (f->client));
  g_assert_cmpuint (view.failed->len, ==, 1);
  g_assert_true (atlas_poller_get_stopped (atlas_resource_get_poller (view.resource)));

  /* Refused once more, then answered: the session is back, the view reloads. */
  while (kiosk.updated->len == 0 && kiosk.failed->len < 5)
    {
      atlas_manual_clock_advance (f->clock, ATLAS_POLLER_MAX_BACKOFF_MS);
      settle (&kiosk);
    }
  g_assert_cmpuint (kiosk.failed->len, ==, 2);
  g_assert_cmpuint (kiosk.updated->len, ==, 1);
  g_assert_null (atlas_client_get_session_error (f->client));
  settle (&view);
  g_assert_cmpuint (view.updated->len, ==, 2);
  g_assert_false (atlas_poller_get_stopped (atlas_resource_get_poller (view.resource)));
  /* The view asked nothing while the session was over: its first and its reload. */
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/8/"), ==, 2);

  watch_clear (&kiosk);
  watch_clear (&view);
}

/* Disposing a resource with a request out: the answer never reaches it. */
static void
test_dispose_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  AtlasBackendFault slow = { ATLAS_BACKEND_FAULT_LATENCY, 1, 100, 0, NULL, "/api/v1/tenants/7/" };
  Watch w = { 0 };

  atlas_backend_server_inject_fault (f->server, &slow);
  watch_init (&w, f, f->client, 7);
  atlas_resource_load (w.resource);
  g_clear_object (&w.resource);
  atlas_test_drain (250);
  g_assert_cmpuint (w.updated->len, ==, 0);
  g_assert_cmpuint (w.failed->len, ==, 0);
  watch_clear (&w);
}

#define HALF_OF(ms) ((ms) / 2)
#define TEST_INTERVAL_MS 10000

static void
both_on_interval (Watch *a,
                  Watch *b)
{
  atlas_resource_set_interval (a->resource, TEST_INTERVAL_MS);
  atlas_resource_set_interval (b->resource, TEST_INTERVAL_MS);
}

/* Two widgets wanting the same dashboard within one interval: the second is answered
 * from the client's answer cache (no request, same data); after half an interval, a
 * Refresh, an error, another token or another client, the server is asked again. */
static void
test_answer_cache (Fixture       *f,
                   gconstpointer  data)
{
  AtlasBackendFault busy = { ATLAS_BACKEND_FAULT_STATUS, 1, 0, 503, "1", "/api/v1/tenants/7/" };
  const char *path = "/api/v1/tenants/7/";
  g_autoptr(AtlasClient) other = NULL;
  Watch a = { 0 }, b = { 0 }, c = { 0 };

  watch_init (&a, f, f->client, 7);
  watch_init (&b, f, f->client, 7);
  atlas_resource_load (a.resource);
  settle (&a);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);
  both_on_interval (&a, &b);

  /* 1 s later the second widget's rule fires: served once, both have the data. */
  atlas_manual_clock_advance (f->clock, 1000);
  atlas_resource_load (b.resource);
  g_assert_true (atlas_resource_get_in_flight (b.resource));   /* never synchronous */
  g_assert_cmpuint (b.updated->len, ==, 0);
  settle (&b);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 1);
  g_assert_cmpuint (a.updated->len, ==, 1);
  g_assert_cmpuint (b.updated->len, ==, 1);
  g_assert_cmpint (g_array_index (b.updated, gint64, 0), ==, 7);
  g_assert_cmpuint (atlas_client_get_cache_hit_count (f->client), ==, 1);
  both_on_interval (&a, &b);

  /* Half an interval after the answer: a request again. */
  atlas_manual_clock_advance (f->clock, HALF_OF (TEST_INTERVAL_MS) - 1000);
  atlas_resource_load (b.resource);
  settle (&b);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 2);
  g_assert_cmpuint (b.updated->len, ==, 2);
  both_on_interval (&a, &b);

  /* Refresh (Ctrl+R / F5) always asks the server, even right after an answer. */
  g_assert_true (atlas_resource_refresh (a.resource));
  settle (&a);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 3);
  g_assert_cmpuint (a.updated->len, ==, 2);
  both_on_interval (&a, &b);

  /* An error is not cached, and ends the last good answer's freshness. */
  atlas_backend_server_inject_fault (f->server, &busy);
  g_assert_true (atlas_resource_refresh (a.resource));
  settle (&a);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 4);
  g_assert_cmpuint (a.failed->len, ==, 1);
  atlas_resource_load (b.resource);
  settle (&b);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 5);
  g_assert_cmpuint (b.updated->len, ==, 3);
  g_assert_cmpuint (b.failed->len, ==, 0);
  both_on_interval (&a, &b);

  /* Another client (another token) never gets this client's answer. */
  other = atlas_client_new (f->base_url, atlas_backend_server_get_token (f->server, "viewer"),
                            ATLAS_CLIENT_FLAGS_NONE, NULL);
  watch_init (&c, f, other, 7);
  atlas_resource_load (c.resource);
  settle (&c);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 6);

  /* A new token on this client forgets every answer of the old one. */
  atlas_client_set_token (f->client, atlas_backend_server_get_token (f->server, "viewer"));
  atlas_resource_load (a.resource);
  settle (&a);
  g_assert_cmpuint (atlas_test_count (f, path), ==, 7);
  g_assert_cmpuint (atlas_client_get_cache_hit_count (f->client), ==, 1);

  watch_clear (&a);
  watch_clear (&b);
  watch_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client/resource/" path, Fixture, NULL, atlas_test_setup, func, atlas_test_teardown)
  ADD ("current-target-only", test_current_target_only);
  ADD ("late-answer-dropped", test_late_answer_dropped);
  ADD ("errors-follow-the-contract", test_errors_follow_the_contract);
  ADD ("session-end-stops-all", test_session_end_stops_all);
  ADD ("outlives-session", test_outlives_session);
  ADD ("session-resumes-on-good-answer", test_session_resumes_on_good_answer);
  ADD ("dispose-in-flight", test_dispose_in_flight);
  ADD ("answer-cache", test_answer_cache);
#undef ADD

  return g_test_run ();
}
