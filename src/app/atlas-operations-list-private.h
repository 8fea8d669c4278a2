/* atlas-operations-list-private.h — the operations list's test-only API
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-operations-list.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

AtlasTab     atlas_operations_list_get_tab         (AtlasOperationsList *self);
gint64       atlas_operations_list_get_page        (AtlasOperationsList *self);
gint64       atlas_operations_list_get_n_pages     (AtlasOperationsList *self);
GListModel  *atlas_operations_list_get_runs        (AtlasOperationsList *self);
AtlasPoller *atlas_operations_list_get_poller      (AtlasOperationsList *self);
guint        atlas_operations_list_get_pending_new (AtlasOperationsList *self);
const char  *atlas_operations_list_get_state       (AtlasOperationsList *self);
const char  *atlas_operations_list_get_tab_label   (AtlasOperationsList *self,
                                                    AtlasTab             tab);
gboolean     atlas_operations_list_get_offline_shown (AtlasOperationsList *self);

G_END_DECLS
