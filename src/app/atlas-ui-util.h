/* atlas-ui-util.h — small building blocks shared by the dashboards
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void       atlas_run_list_bind          (GtkWidget  *list,
                                         GListModel *runs);
GtkWidget *atlas_run_list_new           (GListModel *runs);
void       atlas_run_list_set_now       (GtkWidget  *list,
                                         gint64      now);
void       atlas_run_list_set_hide_tenant (GtkWidget *list,
                                           gboolean   hide);
GtkWidget *atlas_section_title_new      (const char *title);

/* For text that may come from the server (an error's message): shown literally. */
void       atlas_status_page_set_plain_description (AdwStatusPage *page,
                                                    const char    *text);
AdwToast  *atlas_toast_new_plain        (const char *text);

G_END_DECLS
