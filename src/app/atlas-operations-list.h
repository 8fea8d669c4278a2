/* atlas-operations-list.h — the canonical operations list: tabs, filters, pages
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atlas-api.h"
#include "atlas-client.h"
#include "atlas-clock.h"

G_BEGIN_DECLS

#define ATLAS_OPERATIONS_LIST_PER_PAGE 25

#define ATLAS_TYPE_OPERATIONS_LIST (atlas_operations_list_get_type ())
G_DECLARE_FINAL_TYPE (AtlasOperationsList, atlas_operations_list, ATLAS, OPERATIONS_LIST, GtkWidget)

GtkWidget   *atlas_operations_list_new             (AtlasClient         *client,
                                                    AtlasClock          *clock,
                                                    gint64               workspace_id,
                                                    gint64               tenant_id);
void         atlas_operations_list_set_tab         (AtlasOperationsList *self,
                                                    AtlasTab             tab);
void         atlas_operations_list_set_tenant      (AtlasOperationsList *self,
                                                    gint64               tenant_id);
void         atlas_operations_list_set_search      (AtlasOperationsList *self,
                                                    const char          *text);
const char  *atlas_operations_list_get_search      (AtlasOperationsList *self);
void         atlas_operations_list_set_type        (AtlasOperationsList *self,
                                                    const char          *type);
void         atlas_operations_list_set_page        (AtlasOperationsList *self,
                                                    gint64               page);

G_END_DECLS
