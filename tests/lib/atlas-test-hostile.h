/* atlas-test-hostile.h — a small hostile HTTP server for the client and ui suites
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It answers what a misconfigured proxy, cache or load balancer would: any status and
 * body per "path?query", gzip whether asked or not (optionally cut short), a fixed
 * Date, Retry-After, Location. It counts the requests it gets, so a test can show
 * that none reached it.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define ATLAS_TEST_HOSTILE_T0 1795343590   /* 2026-11-22 10:33:10 UTC */

typedef struct
{
  guint    status;
  char    *body;
  gboolean gzip;          /* Content-Encoding: gzip (whatever the client asked for) */
  guint    gzip_cut;      /* bytes chopped off the end of the gzip stream */
  char    *date;          /* Date header, NULL = the real time */
  char    *retry_after;
  char    *location;
  gint     times;         /* answers left before the route is dropped; -1 = forever */
} AtlasTestRoute;

typedef struct
{
  SoupServer *server;
  char       *base_url;
  GHashTable *routes;     /* "path?query" → AtlasTestRoute */
  GHashTable *hits;       /* "path?query" → count */
  guint       n_requests;
  guint       n_gzip_accepted;   /* requests that carried Accept-Encoding: gzip */
  gsize       last_wire_length;
} AtlasTestHostile;

AtlasTestHostile *atlas_test_hostile_new   (void);
void              atlas_test_hostile_free  (AtlasTestHostile *h);
AtlasTestRoute   *atlas_test_hostile_route (AtlasTestHostile *h,
                                            const char       *key,
                                            guint             status,
                                            const char       *body);
guint             atlas_test_hostile_hits  (AtlasTestHostile *h,
                                            const char       *key);
/* Bodies of the contract's shapes, with the identity fields a test gets wrong on
 * purpose; strings are escaped for JSON. */
char *atlas_test_body_run       (gint64      id,
                                 gint64      workspace_id,
                                 gint64      tenant_id,
                                 const char *tenant_name,
                                 const char *status,
                                 gint64      started);
char *atlas_test_body_detail    (gint64      id,
                                 gint64      workspace_id,
                                 gint64      tenant_id);
char *atlas_test_body_page      (const char *rows);
char *atlas_test_body_overview  (const char *tenant_name,
                                 const char *runs);
char *atlas_test_body_dashboard (gint64      tenant_id,
                                 const char *tenant_name,
                                 const char *runs);

/* Large documents for the parse-cost benchmarks: the largest real page (runs with
 * @n_failures failures each, every count filled); "[{},{},…]" with @n objects; an
 * array of @n - 1 equal strings filling about @bytes. */
char *atlas_test_body_large_page    (guint       n_runs,
                                     guint       n_failures);
char *atlas_test_body_empty_objects (gsize       n);
char *atlas_test_body_widest        (guint       n,
                                     gsize       bytes);

/* The parse-cost documents by name: "page" (100 runs × 20 failures), "most-objects"
 * and "widest-accepted" (the worst the reader accepts), "amplification" (8 MiB of
 * empty objects, refused). NULL-terminated list of the names. */
extern const char * const atlas_test_cost_documents[];
char  *atlas_test_body_cost_document (const char *name);
/* Runs `self_path child name` and splits its one line of output into @n_fields. */
GStrv  atlas_test_run_child          (const char *self_path,
                                      const char *child,
                                      const char *name,
                                      guint       n_fields);

/* The longest gap between the callbacks of a 1 ms timer: how long the main loop
 * was kept from running between start and stop. worst_cpu_us is the most CPU this
 * thread used within one gap: the work that held the loop, without the time a
 * loaded machine kept the thread off a core. */
typedef struct
{
  gint64 last_us;
  gint64 worst_us;
  gint64 last_cpu_us;
  gint64 worst_cpu_us;
  guint  source_id;
} AtlasTestStallMeter;

void   atlas_test_stall_meter_start (AtlasTestStallMeter *m);
gint64 atlas_test_stall_meter_stop  (AtlasTestStallMeter *m);

G_END_DECLS
