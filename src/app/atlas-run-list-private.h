/* atlas-run-list-private.h — the run list's test-only API: its rows, selection and activation
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-run-list.h"

G_BEGIN_DECLS

GtkSelectionModel *atlas_run_list_get_selection   (AtlasRunList *self);
AtlasRunRow       *atlas_run_list_get_row         (AtlasRunList *self,
                                                   guint         position);
guint              atlas_run_list_get_n_rows      (AtlasRunList *self);
void               atlas_run_list_activate        (AtlasRunList *self,
                                                   guint         position);

G_END_DECLS
