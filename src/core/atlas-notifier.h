/* atlas-notifier.h — terminal-run notifications for the runs the user started
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

#define ATLAS_TYPE_NOTIFIER (atlas_notifier_get_type ())
G_DECLARE_FINAL_TYPE (AtlasNotifier, atlas_notifier, ATLAS, NOTIFIER, GObject)

AtlasNotifier *atlas_notifier_new                (AtlasClient   *client,
                                                  AtlasClock    *clock,
                                                  const char    *state_path);
void           atlas_notifier_start              (AtlasNotifier *self);
void           atlas_notifier_poke               (AtlasNotifier *self);
void           atlas_notifier_set_active_initiated (AtlasNotifier *self,
                                                  gint64         count);
void           atlas_notifier_set_shown          (AtlasNotifier *self,
                                                  gboolean       shown);
AtlasPoller   *atlas_notifier_get_poller         (AtlasNotifier *self);
char          *atlas_notifier_default_state_path (void);

G_END_DECLS
