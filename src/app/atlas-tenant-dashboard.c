/* atlas-tenant-dashboard.c — one tenant: KPIs, needs attention, recent runs, review pack
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polls its dashboard at 10 s only while the tenant has active runs; the review pack
 * card keeps its own timer. Switching tenant cancels the request in flight, so a late
 * answer never paints the wrong tenant.
 */

#define G_LOG_DOMAIN "atlas-tenant-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-poll-policy.h"
#include "atlas-resource.h"
#include "atlas-review-pack-card.h"
#include "atlas-run-list.h"
#include "atlas-run-presenter.h"
#include "atlas-run-store.h"
#include "atlas-stat-tile.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-ui-util.h"
#include "atlas-page.h"
#include "atlas-visibility.h"

struct _AtlasTenantDashboard
{
  GtkWidget     parent_instance;

  AtlasClient  *client;
  AtlasClock   *clock;
  AtlasResource *resource;
  gint64        tenant_id;
  gint64        server_time;
  gboolean      can_generate;
  char         *title;
  char         *subtitle;
  GListStore   *attention;
  GListStore   *recent;

  GtkWidget    *stack;
  GtkWidget    *loading_spinner;
  GtkWidget    *error_page;
  GtkWidget    *offline_label;
  GtkWidget    *name_label;
  GtkWidget    *active_tile;
  GtkWidget    *stale_tile;
  GtkWidget    *failed_tile;
  GtkWidget    *succeeded_tile;
  GtkWidget    *attention_title;
  GtkWidget    *attention_list;
  GtkWidget    *recent_list;
  GtkWidget    *pack_slot;
  GtkWidget    *all_button;
  GtkWidget    *pack_card;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_SERVER_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void atlas_tenant_dashboard_page_iface_init (AtlasPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtlasTenantDashboard, atlas_tenant_dashboard, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATLAS_TYPE_PAGE, atlas_tenant_dashboard_page_iface_init))

static void
set_title (AtlasTenantDashboard *self,
           const char           *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
fetch_dashboard (const AtlasResourceRequest *request,
                 gpointer                    user_data)
{
  AtlasTenantDashboard *self = user_data;

  atlas_client_get_dashboard_async (request->client, self->tenant_id, request->cancellable,
                                    request->callback, request->callback_data);
}

static void
failed_cb (AtlasResource        *resource,
           const GError         *error,
           AtlasTenantDashboard *self)
{
  g_autoptr(AtlasErrorPresentation) p = atlas_resource_present_error (resource, error, ATLAS_ERROR_SUBJECT_TENANT);

  /* Over the last good data of this tenant while retrying; 401/403/404 take it away. */
  if (p->banner != NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->offline_label), p->banner);
      gtk_widget_set_visible (self->offline_label, TRUE);
      return;
    }
  atlas_status_page_show_error (ADW_STATUS_PAGE (self->error_page), p);
  set_title (self, p->title);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
}

static void
updated_cb (AtlasResource        *resource,
            AtlasResponse        *response,
            AtlasTenantDashboard *self)
{
  AtlasDashboard *d = response->payload;
  g_autoptr(GPtrArray) ordered = NULL;

  atlas_set_int64_property (G_OBJECT (self), &self->server_time, response->server_time, properties[PROP_SERVER_TIME]);
  gtk_widget_set_visible (self->offline_label, FALSE);

  set_title (self, d->tenant_name ? d->tenant_name : _("Tenant"));
  gtk_label_set_label (GTK_LABEL (self->name_label), d->tenant_name ? d->tenant_name : "");
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->active_tile), d->kpi_active);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->stale_tile), d->kpi_stale_active);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->failed_tile), d->kpi_failed_7d);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->succeeded_tile), d->kpi_succeeded_7d);

  ordered = atlas_runs_sort_by_attention (d->needs_attention);
  atlas_run_store_sync (self->attention, ordered, NULL);
  atlas_run_store_sync (self->recent, d->recent_operations, NULL);
  gtk_widget_set_visible (self->attention_title, d->needs_attention->len > 0);
  gtk_widget_set_visible (self->attention_list, d->needs_attention->len > 0);

  if (self->pack_card == NULL)
    {
      self->pack_card = atlas_review_pack_card_new (self->client, self->clock, self->tenant_id,
                                                    d->review_pack, self->server_time, self->can_generate);
      gtk_box_append (GTK_BOX (self->pack_slot), self->pack_card);
    }
  else
    atlas_review_pack_card_update (ATLAS_REVIEW_PACK_CARD (self->pack_card), d->review_pack,
                                   self->server_time);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "dashboard");
  atlas_resource_set_interval (resource, atlas_poll_interval_for_tenant (d->kpi_active));
}

static void
atlas_tenant_dashboard_refresh (AtlasPage *page)
{
  AtlasTenantDashboard *self = ATLAS_TENANT_DASHBOARD (page);

  atlas_resource_refresh (self->resource);
}

static void
atlas_tenant_dashboard_page_iface_init (AtlasPageInterface *iface)
{
  iface->refresh = atlas_tenant_dashboard_refresh;
}

static void
atlas_tenant_dashboard_dispose (GObject *object)
{
  AtlasTenantDashboard *self = (AtlasTenantDashboard *)object;

  g_clear_object (&self->resource);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_TENANT_DASHBOARD);

  G_OBJECT_CLASS (atlas_tenant_dashboard_parent_class)->dispose (object);
}

static void
atlas_tenant_dashboard_finalize (GObject *object)
{
  AtlasTenantDashboard *self = (AtlasTenantDashboard *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->clock);
  g_clear_object (&self->attention);
  g_clear_object (&self->recent);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (atlas_tenant_dashboard_parent_class)->finalize (object);
}

static void
atlas_tenant_dashboard_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AtlasTenantDashboard *self = ATLAS_TENANT_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_SERVER_TIME:
      g_value_set_int64 (value, self->server_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_tenant_dashboard_class_init (AtlasTenantDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_tenant_dashboard_dispose;
  object_class->finalize = atlas_tenant_dashboard_finalize;
  object_class->get_property = atlas_tenant_dashboard_get_property;

  g_object_class_override_property (object_class, PROP_TITLE, "title");
  g_object_class_override_property (object_class, PROP_SUBTITLE, "subtitle");
  properties[PROP_TITLE] = g_object_class_find_property (object_class, "title");
  properties[PROP_SUBTITLE] = g_object_class_find_property (object_class, "subtitle");
  properties[PROP_SERVER_TIME] =
    g_param_spec_int64 ("server-time", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_SERVER_TIME, properties[PROP_SERVER_TIME]);

  g_type_ensure (ATLAS_TYPE_STAT_TILE);
  g_type_ensure (ATLAS_TYPE_RUN_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-tenant-dashboard.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, stack);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, offline_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, name_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, active_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, stale_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, failed_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, succeeded_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, attention_title);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, attention_list);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, recent_list);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, pack_slot);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantDashboard, all_button);
}

static void
atlas_tenant_dashboard_init (AtlasTenantDashboard *self)
{
  self->server_time = ATLAS_TIME_NONE;
  self->attention = g_list_store_new (ATLAS_TYPE_RUN);
  self->recent = g_list_store_new (ATLAS_TYPE_RUN);

  gtk_widget_init_template (GTK_WIDGET (self));
  atlas_stack_track_loading_spinner (GTK_STACK (self->stack), self->loading_spinner);
  /* The page itself takes the focus when opened (issue 15): before its content, so
   * the first Tab goes into it rather than the focus landing on Generate. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  atlas_accessible_name_buttons (GTK_WIDGET (self));
  atlas_run_list_set_model (ATLAS_RUN_LIST (self->attention_list), G_LIST_MODEL (self->attention));
  atlas_run_list_set_model (ATLAS_RUN_LIST (self->recent_list), G_LIST_MODEL (self->recent));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
}

GtkWidget *
atlas_tenant_dashboard_new (AtlasClient *client,
                            AtlasClock  *clock,
                            gint64       tenant_id,
                            gboolean     can_generate)
{
  AtlasTenantDashboard *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_TENANT_DASHBOARD, NULL);
  self->client = g_object_ref (client);
  self->clock = clock != NULL ? g_object_ref (clock) : NULL;
  self->tenant_id = tenant_id;
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->all_button), "x", tenant_id);
  self->can_generate = can_generate;
  self->title = g_strdup (_("Tenant"));
  self->resource = atlas_resource_new (client, clock, fetch_dashboard, self);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  g_signal_connect_object (self->resource, "failed", G_CALLBACK (failed_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_resource_get_poller (self->resource));
  atlas_resource_load (self->resource);

  return GTK_WIDGET (self);
}

/* Another tenant: the request in flight is cancelled before the new one goes out. */
void
atlas_tenant_dashboard_set_tenant (AtlasTenantDashboard *self,
                                   gint64                tenant_id)
{
  g_return_if_fail (ATLAS_IS_TENANT_DASHBOARD (self));

  if (self->tenant_id == tenant_id)
    return;
  self->tenant_id = tenant_id;
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->all_button), "x", tenant_id);
  g_list_store_remove_all (self->attention);
  g_list_store_remove_all (self->recent);
  if (self->pack_card != NULL)
    {
      gtk_box_remove (GTK_BOX (self->pack_slot), self->pack_card);
      self->pack_card = NULL;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  atlas_resource_retarget (self->resource);
}

gint64
atlas_tenant_dashboard_get_tenant (AtlasTenantDashboard *self)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_DASHBOARD (self), 0);
  return self->tenant_id;
}

/* What the page fetches: the overlay reads its active_operations (issue 16). */
AtlasResource *
atlas_tenant_dashboard_get_resource (AtlasTenantDashboard *self)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_DASHBOARD (self), NULL);
  return self->resource;
}

AtlasPoller *
atlas_tenant_dashboard_get_poller (AtlasTenantDashboard *self)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_DASHBOARD (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

GtkWidget *
atlas_tenant_dashboard_get_review_pack_card (AtlasTenantDashboard *self)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_DASHBOARD (self), NULL);
  return self->pack_card;
}

const char *
atlas_tenant_dashboard_get_title (AtlasTenantDashboard *self)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_DASHBOARD (self), NULL);
  return self->title;
}

/* The loading page's spinner (tests). */
GtkWidget *
atlas_tenant_dashboard_get_loading_spinner (AtlasTenantDashboard *self)
{
  return self->loading_spinner;
}
