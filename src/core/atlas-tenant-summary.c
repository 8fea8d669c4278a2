/* atlas-tenant-summary.c — TenantSummary model for overview cards
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-tenant-summary"

#include "config.h"

#include "atlas-json.h"
#include "atlas-tenant-summary.h"

struct _AtlasTenantSummary
{
  GObject   parent_instance;

  gint64    id;
  char     *name;
  gint64    active_count;
  gint64    stale_active_count;
  gint64    failed_recent_count;
  gboolean  needs_attention;
  gint64    last_activity_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ACTIVE_COUNT,
  PROP_STALE_ACTIVE_COUNT,
  PROP_FAILED_RECENT_COUNT,
  PROP_NEEDS_ATTENTION,
  PROP_LAST_ACTIVITY_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasTenantSummary, atlas_tenant_summary, G_TYPE_OBJECT)

static void
atlas_tenant_summary_finalize (GObject *object)
{
  AtlasTenantSummary *self = (AtlasTenantSummary *)object;

  g_free (self->name);

  G_OBJECT_CLASS (atlas_tenant_summary_parent_class)->finalize (object);
}

static void
atlas_tenant_summary_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AtlasTenantSummary *self = ATLAS_TENANT_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ACTIVE_COUNT: g_value_set_int64 (value, self->active_count); break;
    case PROP_STALE_ACTIVE_COUNT: g_value_set_int64 (value, self->stale_active_count); break;
    case PROP_FAILED_RECENT_COUNT: g_value_set_int64 (value, self->failed_recent_count); break;
    case PROP_NEEDS_ATTENTION: g_value_set_boolean (value, self->needs_attention); break;
    case PROP_LAST_ACTIVITY_AT: g_value_set_int64 (value, self->last_activity_at); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_tenant_summary_class_init (AtlasTenantSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = atlas_tenant_summary_finalize;
  object_class->get_property = atlas_tenant_summary_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE_COUNT] =
    g_param_spec_int64 ("active-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STALE_ACTIVE_COUNT] =
    g_param_spec_int64 ("stale-active-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FAILED_RECENT_COUNT] =
    g_param_spec_int64 ("failed-recent-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NEEDS_ATTENTION] =
    g_param_spec_boolean ("needs-attention", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_ACTIVITY_AT] =
    g_param_spec_int64 ("last-activity-at", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atlas_tenant_summary_init (AtlasTenantSummary *self)
{
  self->last_activity_at = ATLAS_TIME_NONE;
}

static gboolean
read_count (JsonObject  *object,
            const char  *member,
            gint64      *out,
            GError     **error)
{
  if (!atlas_json_get_int64 (object, member, FALSE, 0, out, error))
    return FALSE;
  if (*out < 0)
    {
      g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE,
                   "Invalid response: “%s” must not be negative", member);
      return FALSE;
    }
  return TRUE;
}

AtlasTenantSummary *
atlas_tenant_summary_new_from_json (JsonObject  *object,
                                    GError     **error)
{
  g_autoptr(AtlasTenantSummary) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ATLAS_TYPE_TENANT_SUMMARY, NULL);
  if (!atlas_json_get_int64 (object, "id", TRUE, 0, &self->id, error))
    return NULL;
  if (self->id <= 0)
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE,
                           "Invalid response: tenant “id” must be positive");
      return NULL;
    }
  if (!atlas_json_get_string (object, "name", FALSE, &self->name, error) ||
      !read_count (object, "active_count", &self->active_count, error) ||
      !read_count (object, "stale_active_count", &self->stale_active_count, error) ||
      !read_count (object, "failed_recent_count", &self->failed_recent_count, error) ||
      !atlas_json_get_boolean (object, "needs_attention", FALSE, &self->needs_attention, error) ||
      !atlas_json_get_timestamp (object, "last_activity_at", &self->last_activity_at, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
atlas_tenant_summary_update_from (AtlasTenantSummary *self,
                                  AtlasTenantSummary *newer)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (ATLAS_IS_TENANT_SUMMARY (self), FALSE);
  g_return_val_if_fail (ATLAS_IS_TENANT_SUMMARY (newer), FALSE);

  if (self == newer)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
#define SCALAR(field, prop) \
  if (self->field != newer->field) \
    { self->field = newer->field; g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); changed = TRUE; }
  SCALAR (id, PROP_ID)
  if (g_strcmp0 (self->name, newer->name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (newer->name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
      changed = TRUE;
    }
  SCALAR (active_count, PROP_ACTIVE_COUNT)
  SCALAR (stale_active_count, PROP_STALE_ACTIVE_COUNT)
  SCALAR (failed_recent_count, PROP_FAILED_RECENT_COUNT)
  SCALAR (needs_attention, PROP_NEEDS_ATTENTION)
  SCALAR (last_activity_at, PROP_LAST_ACTIVITY_AT)
#undef SCALAR
  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

#define GETTER(type, name) \
  type atlas_tenant_summary_get_##name (AtlasTenantSummary *self) \
  { g_return_val_if_fail (ATLAS_IS_TENANT_SUMMARY (self), (type) 0); return self->name; }
GETTER (gint64, id)
GETTER (const char *, name)
GETTER (gint64, active_count)
GETTER (gint64, stale_active_count)
GETTER (gint64, failed_recent_count)
GETTER (gboolean, needs_attention)
GETTER (gint64, last_activity_at)
#undef GETTER
