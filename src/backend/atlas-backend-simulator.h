/* atlas-backend-simulator.h — run lifecycle simulator and scenario seeding (private)
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "atlas-backend-store.h"

G_BEGIN_DECLS

#define ATLAS_BACKEND_TYPE_SIMULATOR (atlas_backend_simulator_get_type ())

G_DECLARE_FINAL_TYPE (AtlasBackendSimulator, atlas_backend_simulator, ATLAS, BACKEND_SIMULATOR, GObject)

AtlasBackendSimulator *atlas_backend_simulator_new   (AtlasBackendStore      *store,
                                                      guint64                 seed);
gboolean               atlas_backend_simulator_seed  (AtlasBackendSimulator  *self,
                                                      const char             *scenario,
                                                      gint64                  now,
                                                      GError                **error);
guint                  atlas_backend_simulator_step  (AtlasBackendSimulator  *self,
                                                      gint64                  now);
gint64                 atlas_backend_simulator_spawn (AtlasBackendSimulator  *self,
                                                      gint64                  now);
GRand                 *atlas_backend_simulator_get_rand (AtlasBackendSimulator *self);

G_END_DECLS
