/* atlas-resource.h — one polled resource: its poller, cancellable and generation
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atlas-client.h"
#include "atlas-clock.h"
#include "atlas-error-presenter.h"
#include "atlas-poller.h"

G_BEGIN_DECLS

/*
 * AtlasResource is the fetch → error → poller cycle every view used to write by hand.
 * Its owner says how to start one request (a fetch function) and what the current
 * target is (a workspace, a tenant, a tab …); the resource fetches when its poller
 * ticks, reports every answer to the poller by the contract's rules (backoff and
 * Retry-After for transient errors, a permanent stop on 401/403/404) and emits
 * ::updated or ::failed — for the current target only. The owner renders and sets the
 * next interval from what it was given.
 *
 * - atlas_resource_retarget(): the target changed. The request in flight is cancelled
 *   (and ended in the poller), a late answer for the old target is dropped, backoff
 *   and stops are forgotten, and the new target loads at once.
 * - A 401 ends the session of the whole AtlasClient (AtlasClient::session-ended): every
 *   resource of that client stops at once and emits ::failed with that error, so no
 *   view makes one more request after another one saw it. A resource made while the
 *   session is over fails at its first load without a request. When the session
 *   resumes (AtlasClient::session-resumed: a new token, or a good answer to what a
 *   kiosk's connection, which outlives the session, kept asking), the resources it
 *   stopped load again.
 * - atlas_resource_follow(): while another resource's answer carries this one's, this
 *   one sends nothing of its own; by its rule it refreshes that one instead.
 * - atlas_resource_present_error(): the error presenter's words for ::failed, with
 *   the age of this target's data and the next try.
 */

/* What a fetch function needs to start one request for the current target. */
typedef struct
{
  AtlasClient         *client;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             callback_data;
} AtlasResourceRequest;

/* Starts one request; it must complete through request->callback, exactly once, and
 * honour request->cancellable: a disposed resource is safe only from an answer that
 * comes back cancelled. */
typedef void            (*AtlasResourceFetchFunc)  (const AtlasResourceRequest *request,
                                                    gpointer                    user_data);
/* Finishes what the fetch function started; the default is atlas_client_fetch_finish(). */
typedef AtlasResponse * (*AtlasResourceFinishFunc) (GObject                    *source,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Finds a resource's payload inside another's (not referenced); NULL when absent. */
typedef gpointer        (*AtlasResourceExtractFunc) (gpointer                   payload);

#define ATLAS_TYPE_RESOURCE (atlas_resource_get_type ())
G_DECLARE_FINAL_TYPE (AtlasResource, atlas_resource, ATLAS, RESOURCE, GObject)

AtlasResource *atlas_resource_new                   (AtlasClient             *client,
                                                     AtlasClock              *clock,
                                                     AtlasResourceFetchFunc   fetch,
                                                     gpointer                 user_data);
void           atlas_resource_set_finish_func       (AtlasResource           *self,
                                                     AtlasResourceFinishFunc  finish);
void           atlas_resource_set_outlives_session  (AtlasResource           *self,
                                                     gboolean                 outlives_session);

AtlasClient   *atlas_resource_get_client            (AtlasResource           *self);
AtlasPoller   *atlas_resource_get_poller            (AtlasResource           *self);
gboolean       atlas_resource_get_in_flight         (AtlasResource           *self);
gboolean       atlas_resource_get_retrying          (AtlasResource           *self);
AtlasErrorPresentation *
               atlas_resource_present_error         (AtlasResource           *self,
                                                     const GError            *error,
                                                     AtlasErrorSubject        subject);
void           atlas_resource_set_interval          (AtlasResource           *self,
                                                     guint                    interval_ms);

void           atlas_resource_load                  (AtlasResource           *self);
gboolean       atlas_resource_refresh               (AtlasResource           *self);
void           atlas_resource_retarget              (AtlasResource           *self);
void           atlas_resource_back_off              (AtlasResource           *self,
                                                     const GError            *error);
void           atlas_resource_cancel                (AtlasResource           *self);
void           atlas_resource_follow                (AtlasResource           *self,
                                                     AtlasResource           *source,
                                                     AtlasResourceExtractFunc extract);

G_END_DECLS
