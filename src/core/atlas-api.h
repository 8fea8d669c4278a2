/* atlas-api.h — typed payloads of the Operator API endpoints, parsed from JSON
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each payload is immutable once parsed and reference counted, so the ETag cache
 * can hand the same parsed payload to every caller after a 304.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atlas-review-pack.h"
#include "atlas-run.h"
#include "atlas-tenant-summary.h"
#include "atlas-types.h"

G_BEGIN_DECLS

typedef enum
{
  ATLAS_TAB_ALL,
  ATLAS_TAB_ACTIVE,
  ATLAS_TAB_ACTIVE_STALE_ATTENTION,
  ATLAS_TAB_TERMINAL_FOLLOW_UP,
  ATLAS_TAB_COMPLETED,
  ATLAS_N_TABS,
} AtlasTab;

typedef struct
{
  gint64   id;
  char    *name;
  char   **capabilities;   /* NULL-terminated */
} AtlasWorkspace;

typedef struct
{
  gint64     user_id;
  char      *user_name;
  GPtrArray *workspaces;            /* AtlasWorkspace* */
  gint64     active_initiated_count;
} AtlasMe;

typedef struct
{
  GPtrArray *runs;                  /* AtlasRun*, newest first */
  gint64     page;
  gint64     per_page;
  gint64     total;
  gint64     tab_counts[ATLAS_N_TABS];
} AtlasRunPage;

typedef struct
{
  gint64        active;
  gint64        stale_active;
  gint64        failed_recent;
  GPtrArray    *tenants;            /* AtlasTenantSummary* */
  GPtrArray    *recent_operations;  /* AtlasRun* */
  AtlasRunPage *active_operations;  /* nullable: what …/operations?tab=active&per_page=100
                                     * answers; NULL when the server sent none (older) */
} AtlasWorkspaceOverview;

typedef struct
{
  gint64           tenant_id;
  gint64           workspace_id;    /* 0 when the server did not say */
  char            *tenant_name;
  gint64           kpi_active;
  gint64           kpi_stale_active;
  gint64           kpi_failed_7d;
  gint64           kpi_succeeded_7d;
  GPtrArray       *needs_attention; /* AtlasRun* */
  GPtrArray       *recent_operations; /* AtlasRun* */
  AtlasReviewPack *review_pack;     /* nullable */
  AtlasRunPage    *active_operations; /* nullable: the whole workspace's active runs, as in
                                     * the overview; NULL when absent or the workspace is unknown */
} AtlasDashboard;

typedef struct
{
  AtlasReviewPack *review_pack;     /* nullable: no pack yet */
} AtlasReviewPackReply;

typedef struct
{
  AtlasReviewPack *review_pack;
  AtlasRun        *run;
  gboolean         deduped;
} AtlasGenerateReply;

typedef struct
{
  gint64  id;
  gint64  run_id;
  gint64  workspace_id;
  gint64  tenant_id;
  char   *outcome;
  char   *title;
  char   *body;
  gint64  created_at;
} AtlasNotification;

typedef struct
{
  GPtrArray *notifications;         /* AtlasNotification* */
} AtlasNotificationList;

typedef struct
{
  AtlasRun *run;
} AtlasRunReply;

typedef struct
{
  char *status;
  char *version;
} AtlasHealth;

/* Each parser takes the whole response document. */
typedef gpointer (*AtlasPayloadParser) (JsonNode  *root,
                                        GError   **error);

gpointer     atlas_api_parse_me              (JsonNode *root, GError **error);
gpointer     atlas_api_parse_overview        (JsonNode *root, GError **error);
gpointer     atlas_api_parse_run_page        (JsonNode *root, GError **error);
gpointer     atlas_api_parse_run             (JsonNode *root, GError **error);
gpointer     atlas_api_parse_dashboard       (JsonNode *root, GError **error);
gpointer     atlas_api_parse_review_pack     (JsonNode *root, GError **error);
gpointer     atlas_api_parse_generate        (JsonNode *root, GError **error);
gpointer     atlas_api_parse_notifications   (JsonNode *root, GError **error);
gpointer     atlas_api_parse_health          (JsonNode *root, GError **error);

/* Every payload above is allocated with g_rc_box; these take any of them. */
gpointer     atlas_payload_ref               (gpointer payload);
void         atlas_payload_unref             (gpointer payload);

const AtlasWorkspace *atlas_me_find_workspace (AtlasMe    *me,
                                               gint64      workspace_id);
gboolean     atlas_workspace_can              (const AtlasWorkspace *workspace,
                                               const char           *capability);
const char  *atlas_tab_to_string             (AtlasTab    tab);
gboolean     atlas_tab_from_string           (const char *text,
                                              AtlasTab   *out);

G_END_DECLS
