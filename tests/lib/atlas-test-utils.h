/* atlas-test-utils.h — what the core, client and ui suites share: the real backend
 * in-process, a client, a manual clock in lock step with the backend's test clock,
 * and settle/advance/count helpers
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-json.h"
#include "atlas-poller.h"
#include "atlas-run.h"

G_BEGIN_DECLS

/* How long atlas_test_settle() waits for an answer, and atlas_test_wait() for a
 * callback or a child process, before the test fails (real time). */
#define ATLAS_TEST_SETTLE_LIMIT_MS 5000
#define ATLAS_TEST_WAIT_LIMIT_MS   20000

typedef struct
{
  AtlasBackendServer *server;     /* in-process, `test` scenario, a random loopback port */
  AtlasClient        *client;     /* signed in with the token of the set-up's role */
  AtlasClock         *clock;      /* manual: every poller under test runs on it */
  gpointer            window;     /* ui suite: the GtkWindow under test (atlas-test-ui.h) */
  char               *base_url;
  gint64              t0;         /* the backend's test clock at set-up, Unix seconds */
  gint64              ms;         /* time since set-up on both clocks, milliseconds */
} AtlasTestFixture;

void        atlas_test_fixture_init    (AtlasTestFixture *f,
                                        const char       *role);
void        atlas_test_fixture_clear   (AtlasTestFixture *f);
void        atlas_test_setup           (AtlasTestFixture *f,
                                        gconstpointer     data);
void        atlas_test_teardown        (AtlasTestFixture *f,
                                        gconstpointer     data);
gint64      atlas_test_now             (AtlasTestFixture *f);

void        atlas_test_settle          (AtlasPoller      *poller);
void        atlas_test_advance         (AtlasTestFixture *f,
                                        AtlasPoller      *poller,
                                        guint             seconds);
void        atlas_test_advance_ms      (AtlasTestFixture *f,
                                        AtlasPoller      *poller,
                                        guint             ms);
void        atlas_test_jump            (AtlasTestFixture *f,
                                        AtlasPoller      *poller,
                                        guint             seconds);
void        atlas_test_wait            (gboolean         *done);
void        atlas_test_drain           (guint             ms);
guint64     atlas_test_count           (AtlasTestFixture *f,
                                        const char       *path);

const char *atlas_test_stamp           (gint64            t);
char       *atlas_test_run_path        (gint64            run_id);
void        atlas_test_insert_run_json (AtlasTestFixture *f,
                                        const char       *json);

/* A run of workspace 1, type baseline_compare, as the backend stores it. A member left
 * 0 or NULL is null in the JSON, except where a default is given; times are Unix
 * seconds (ATLAS_TIME_NONE is null too). Strings go in as they are, unescaped, so a
 * test can send bytes that are not UTF-8. */
typedef struct
{
  gint64      id;
  gint64      tenant_id;        /* 0: 7 */
  const char *tenant_name;
  const char *status;
  const char *outcome;
  const char *freshness;
  const char *problem_class;
  gint64      created_at;
  gint64      started_at;
  gint64      completed_at;
  gint64      last_progress_at;
  const char *summary_counts;   /* a JSON object; NULL: {} */
  const char *initiator;        /* a JSON object */
  gboolean    initiated_by_me;
  const char *web_link;
} AtlasTestRun;

char       *atlas_test_run_json        (const AtlasTestRun *run);
void        atlas_test_insert_run      (AtlasTestFixture   *f,
                                        const AtlasTestRun *run);
void        atlas_test_add_run         (AtlasTestFixture   *f,
                                        gint64              id,
                                        const char         *status,
                                        const char         *outcome,
                                        const char         *freshness,
                                        gint64              created,
                                        gint64              started);
void        atlas_test_patch_run       (AtlasTestFixture *f,
                                        gint64            run_id,
                                        const char       *json);
void        atlas_test_finish_active_runs (AtlasTestFixture *f);
JsonNode   *atlas_test_load_json       (const char       *name);
AtlasRun   *atlas_test_run_new         (const char       *json);

/* One fetch's outcome, filled by atlas_test_result_cb (the callback of any client
 * fetch); atlas_test_wait (&result.done) waits for it. */
typedef struct
{
  AtlasResponse *response;
  GError        *error;
  gboolean       done;
} AtlasTestResult;

void        atlas_test_result_cb       (GObject          *object,
                                        GAsyncResult     *result,
                                        gpointer          user_data);
void        atlas_test_result_clear    (AtlasTestResult  *r);

G_END_DECLS
