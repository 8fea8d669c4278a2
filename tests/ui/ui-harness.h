/* ui-harness.h — what every ui test needs: the real backend in-process, a manual
 * clock in lock step with the backend's test clock, and request counts
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-backend-server.h"
#include "atlas-client.h"
#include "atlas-poller.h"
#include "atlas-clock.h"
#include "atlas-json.h"

G_BEGIN_DECLS

typedef struct
{
  AtlasBackendServer *server;
  AtlasClient        *client;     /* the operator's */
  AtlasClock         *clock;      /* every widget's poller runs on it */
  GtkWindow          *window;
  char               *base_url;
  gint64              t0;         /* the backend's test clock at start */
  gint64              t;          /* seconds since t0, on both clocks */
} Fixture;

void        fixture_setup    (Fixture       *f,
                              gconstpointer  data);
void        fixture_teardown (Fixture       *f,
                              gconstpointer  data);
const char *stamp            (gint64         t);
void        settle           (AtlasPoller   *poller);
void        advance          (Fixture       *f,
                              AtlasPoller   *poller,
                              guint          seconds);
void        show             (Fixture       *f,
                              GtkWidget     *child);
guint64     count            (Fixture       *f,
                              const char    *path);

G_END_DECLS
