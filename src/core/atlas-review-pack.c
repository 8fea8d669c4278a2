/* atlas-review-pack.c — ReviewPack model: strict construction, in-place updates
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-review-pack"

#include "config.h"

#include "atlas-enums.h"
#include "atlas-json.h"
#include "atlas-review-pack.h"

struct _AtlasReviewPack
{
  GObject                parent_instance;

  gint64                 id;
  gint64                 tenant_id;
  AtlasReviewPackStatus  status;
  char                  *status_text;
  gint64                 operation_run_id;
  gint64                 generated_at;
  gint64                 expires_at;
  gint64                 file_size;
  char                  *download_url;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TENANT_ID,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_OPERATION_RUN_ID,
  PROP_GENERATED_AT,
  PROP_EXPIRES_AT,
  PROP_FILE_SIZE,
  PROP_DOWNLOAD_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasReviewPack, atlas_review_pack, G_TYPE_OBJECT)

static const char * const status_names[] = {
  NULL, "queued", "generating", "ready", "failed", "expired",
};

AtlasReviewPackStatus
atlas_review_pack_status_from_string (const char *text)
{
  if (text == NULL)
    return ATLAS_REVIEW_PACK_STATUS_UNKNOWN;
  for (guint i = 1; i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (status_names[i], text))
      return (AtlasReviewPackStatus) i;
  return ATLAS_REVIEW_PACK_STATUS_UNKNOWN;
}

static void
atlas_review_pack_finalize (GObject *object)
{
  AtlasReviewPack *self = (AtlasReviewPack *)object;

  g_free (self->status_text);
  g_free (self->download_url);

  G_OBJECT_CLASS (atlas_review_pack_parent_class)->finalize (object);
}

static void
atlas_review_pack_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtlasReviewPack *self = ATLAS_REVIEW_PACK (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_TENANT_ID: g_value_set_int64 (value, self->tenant_id); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_STATUS_TEXT: g_value_set_string (value, self->status_text); break;
    case PROP_OPERATION_RUN_ID: g_value_set_int64 (value, self->operation_run_id); break;
    case PROP_GENERATED_AT: g_value_set_int64 (value, self->generated_at); break;
    case PROP_EXPIRES_AT: g_value_set_int64 (value, self->expires_at); break;
    case PROP_FILE_SIZE: g_value_set_int64 (value, self->file_size); break;
    case PROP_DOWNLOAD_URL: g_value_set_string (value, self->download_url); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_review_pack_class_init (AtlasReviewPackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = atlas_review_pack_finalize;
  object_class->get_property = atlas_review_pack_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TENANT_ID] =
    g_param_spec_int64 ("tenant-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, ATLAS_TYPE_REVIEW_PACK_STATUS,
                       ATLAS_REVIEW_PACK_STATUS_UNKNOWN, flags);
  properties[PROP_STATUS_TEXT] = g_param_spec_string ("status-text", NULL, NULL, NULL, flags);
  properties[PROP_OPERATION_RUN_ID] =
    g_param_spec_int64 ("operation-run-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_GENERATED_AT] =
    g_param_spec_int64 ("generated-at", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE, flags);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE, flags);
  properties[PROP_FILE_SIZE] =
    g_param_spec_int64 ("file-size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_DOWNLOAD_URL] = g_param_spec_string ("download-url", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atlas_review_pack_init (AtlasReviewPack *self)
{
  self->generated_at = ATLAS_TIME_NONE;
  self->expires_at = ATLAS_TIME_NONE;
  self->file_size = -1;
}

AtlasReviewPack *
atlas_review_pack_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(AtlasReviewPack) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ATLAS_TYPE_REVIEW_PACK, NULL);
  if (!atlas_json_get_int64 (object, "id", TRUE, 0, &self->id, error))
    return NULL;
  if (self->id <= 0)
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE,
                           "Invalid response: review pack “id” must be positive");
      return NULL;
    }
  if (!atlas_json_get_int64 (object, "tenant_id", FALSE, 0, &self->tenant_id, error) ||
      !atlas_json_get_string (object, "status", FALSE, &self->status_text, error) ||
      !atlas_json_get_int64 (object, "operation_run_id", FALSE, 0, &self->operation_run_id, error) ||
      !atlas_json_get_timestamp (object, "generated_at", &self->generated_at, error) ||
      !atlas_json_get_timestamp (object, "expires_at", &self->expires_at, error) ||
      !atlas_json_get_int64 (object, "file_size", FALSE, -1, &self->file_size, error) ||
      !atlas_json_get_string (object, "download_url", FALSE, &self->download_url, error))
    return NULL;
  if (self->file_size < -1)
    self->file_size = -1;
  self->status = atlas_review_pack_status_from_string (self->status_text);

  return g_steal_pointer (&self);
}

gboolean
atlas_review_pack_update_from (AtlasReviewPack *self,
                               AtlasReviewPack *newer)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK (self), FALSE);
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK (newer), FALSE);

  if (self == newer)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
#define SCALAR(field, prop) \
  if (self->field != newer->field) \
    { self->field = newer->field; g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); changed = TRUE; }
#define STRING(field, prop) \
  if (g_strcmp0 (self->field, newer->field) != 0) \
    { g_free (self->field); self->field = g_strdup (newer->field); \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); changed = TRUE; }
  SCALAR (id, PROP_ID)
  SCALAR (tenant_id, PROP_TENANT_ID)
  SCALAR (status, PROP_STATUS)
  STRING (status_text, PROP_STATUS_TEXT)
  SCALAR (operation_run_id, PROP_OPERATION_RUN_ID)
  SCALAR (generated_at, PROP_GENERATED_AT)
  SCALAR (expires_at, PROP_EXPIRES_AT)
  SCALAR (file_size, PROP_FILE_SIZE)
  STRING (download_url, PROP_DOWNLOAD_URL)
#undef SCALAR
#undef STRING
  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

gboolean
atlas_review_pack_is_active (AtlasReviewPack *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK (self), FALSE);
  return self->status == ATLAS_REVIEW_PACK_STATUS_QUEUED ||
         self->status == ATLAS_REVIEW_PACK_STATUS_GENERATING;
}

#define GETTER(type, name) \
  type atlas_review_pack_get_##name (AtlasReviewPack *self) \
  { g_return_val_if_fail (ATLAS_IS_REVIEW_PACK (self), (type) 0); return self->name; }
GETTER (gint64, id)
GETTER (gint64, tenant_id)
GETTER (AtlasReviewPackStatus, status)
GETTER (const char *, status_text)
GETTER (gint64, operation_run_id)
GETTER (gint64, generated_at)
GETTER (gint64, expires_at)
GETTER (gint64, file_size)
GETTER (const char *, download_url)
#undef GETTER
