/* atlas-test-ui.h — the ui suite's part of the test helpers: a window under test
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atlas-test-utils.h"

G_BEGIN_DECLS

void atlas_test_ui_init     (int               *argc,
                             char            ***argv);
void atlas_test_ui_setup    (AtlasTestFixture  *f,
                             gconstpointer      data);
void atlas_test_ui_teardown (AtlasTestFixture  *f,
                             gconstpointer      data);
void atlas_test_show        (AtlasTestFixture  *f,
                             GtkWidget         *child);

typedef void (*AtlasTestFunc) (AtlasTestFixture *f,
                               gconstpointer     data);

void atlas_test_ui_add      (const char        *path,
                             AtlasTestFunc      func);

GtkWidget *atlas_test_find_descendant (GtkWidget *widget,
                                       GType      type);

G_END_DECLS
