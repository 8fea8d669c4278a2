/* atlas-overview.c — the workspace overview: totals, tenant cards, recent operations
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every tenant card follows the card rule (10 s while its tenant has active runs).
 * The cards all read the one overview resource, so their timers are one timer here:
 * one request per 10 s while any card is active, and none when no tenant is.
 */

#define G_LOG_DOMAIN "atlas-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-overview-private.h"
#include "atlas-page.h"
#include "atlas-poll-policy.h"
#include "atlas-resource.h"
#include "atlas-run-presenter.h"
#include "atlas-run-store.h"
#include "atlas-stat-tile.h"
#include "atlas-status-badge.h"
#include "atlas-tenant-presenter.h"
#include "atlas-tenant-summary.h"
#include "atlas-ui-util.h"
#include "atlas-visibility.h"

struct _AtlasOverview
{
  GtkWidget     parent_instance;

  AtlasResource *resource;
  gint64        workspace_id;
  gint64        server_time;
  char         *title;
  char         *subtitle;
  GListStore   *tenants;
  GListStore   *recent;
  guint64       loads;

  GtkWidget    *stack;
  GtkWidget    *error_page;
  GtkWidget    *offline_label;
  GtkWidget    *active_tile;
  GtkWidget    *stale_tile;
  GtkWidget    *failed_tile;
  GtkWidget    *flow;
  GtkWidget    *recent_list;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void atlas_overview_page_iface_init (AtlasPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtlasOverview, atlas_overview, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATLAS_TYPE_PAGE, atlas_overview_page_iface_init))

/* --- tenant cards ----------------------------------------------------------- */

static void
render_card (GtkWidget          *card,
             AtlasTenantSummary *tenant)
{
  g_autoptr(AtlasTenantPresentation) p = atlas_tenant_present (tenant);
  GtkWidget *name = g_object_get_data (G_OBJECT (card), "name");
  GtkWidget *badge = g_object_get_data (G_OBJECT (card), "badge");
  GtkWidget *summary = g_object_get_data (G_OBJECT (card), "summary");

  gtk_label_set_label (GTK_LABEL (name), atlas_tenant_summary_get_name (tenant));
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (badge), &p->badge);
  gtk_label_set_label (GTK_LABEL (summary), p->summary);
  /* A tenant with likely-stale work is never shown calm. */
  if (p->elevated)
    gtk_widget_add_css_class (card, "attention");
  else
    gtk_widget_remove_css_class (card, "attention");
  if (p->badge.tone == ATLAS_TONE_ERROR)
    gtk_widget_add_css_class (card, "tone-error");
  else
    gtk_widget_remove_css_class (card, "tone-error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, atlas_tenant_summary_get_name (tenant),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, p->accessible_description, -1);
}

static void
tenant_notify_cb (GtkWidget          *card,
                  GParamSpec         *pspec,
                  AtlasTenantSummary *tenant)
{
  render_card (card, tenant);
}

static void
card_clicked_cb (GtkButton *card,
                 gpointer   user_data)
{
  AtlasTenantSummary *tenant = g_object_get_data (G_OBJECT (card), "tenant");

  gtk_widget_activate_action (GTK_WIDGET (card), "win.show-tenant", "x",
                              atlas_tenant_summary_get_id (tenant));
}

static GtkWidget *
create_card_cb (gpointer item,
                gpointer user_data)
{
  AtlasTenantSummary *tenant = item;
  GtkWidget *card = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *badge = atlas_status_badge_new ();
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "tenant-card");
  gtk_widget_add_css_class (name, "tenant-name");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  /* Long (German) summaries wrap instead of widening every card of the grid. */
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (summary), 28);
  gtk_label_set_width_chars (GTK_LABEL (summary), 20);
  gtk_label_set_lines (GTK_LABEL (summary), 2);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_button_set_child (GTK_BUTTON (card), box);

  g_object_set_data (G_OBJECT (card), "name", name);
  g_object_set_data (G_OBJECT (card), "badge", badge);
  g_object_set_data (G_OBJECT (card), "summary", summary);
  g_object_set_data_full (G_OBJECT (card), "tenant", g_object_ref (tenant), g_object_unref);
  g_signal_connect (card, "clicked", G_CALLBACK (card_clicked_cb), NULL);
  /* The summary object is updated in place; the card follows it. */
  g_signal_connect_object (tenant, "notify", G_CALLBACK (tenant_notify_cb), card, G_CONNECT_SWAPPED);
  render_card (card, tenant);
  return card;
}

/* Work that needs someone first (the presenter's order); cards of one rank keep
 * the server's order, so they never trade places. */
static int
compare_attention (gconstpointer a,
                   gconstpointer b)
{
  return atlas_tenant_compare_attention (*(AtlasTenantSummary * const *) a, *(AtlasTenantSummary * const *) b);
}

static void
sync_tenants (GListStore *store,
              GPtrArray  *fresh_unsorted)
{
  /* A view of the answer, not a copy: no free function, the payload owns the objects. */
  g_autoptr(GPtrArray) fresh = g_ptr_array_sized_new (fresh_unsorted->len);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  gboolean same = n == fresh_unsorted->len;

  for (guint i = 0; i < fresh_unsorted->len; i++)
    g_ptr_array_add (fresh, g_ptr_array_index (fresh_unsorted, i));
  g_ptr_array_sort (fresh, compare_attention);

  for (guint i = 0; i < n; i++)
    {
      AtlasTenantSummary *t = g_list_model_get_item (G_LIST_MODEL (store), i);
      gint64 id = atlas_tenant_summary_get_id (t);

      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), t);
    }

  for (guint i = 0; i < fresh->len; i++)
    {
      AtlasTenantSummary *f = g_ptr_array_index (fresh, i);
      gint64 id = atlas_tenant_summary_get_id (f);
      AtlasTenantSummary *existing = g_hash_table_lookup (by_id, &id);

      if (existing != NULL)
        atlas_tenant_summary_update_from (existing, f);
      g_ptr_array_add (items, existing != NULL ? existing : f);
      if (same)
        {
          g_autoptr(AtlasTenantSummary) at = g_list_model_get_item (G_LIST_MODEL (store), i);
          same = at == existing;
        }
    }

  if (!same)
    g_list_store_splice (store, 0, n, items->pdata, items->len);
}

/* --- loading ---------------------------------------------------------------- */

static void
fetch_overview (const AtlasResourceRequest *request,
                gpointer                    user_data)
{
  AtlasOverview *self = user_data;

  atlas_client_get_overview_async (request->client, self->workspace_id, request->cancellable,
                                   request->callback, request->callback_data);
}

static void
failed_cb (AtlasResource *resource,
           const GError  *error,
           AtlasOverview *self)
{
  gboolean retrying = atlas_resource_get_retrying (resource);

  if (!retrying || self->loads == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page),
                                 error->code == ATLAS_CLIENT_ERROR_NOT_FOUND ? _("Not found")
                                                                             : _("Can't reach the backend"));
      atlas_status_page_set_plain_description (ADW_STATUS_PAGE (self->error_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("%s — showing the last data received; retrying."),
                                               error->message);
      gtk_label_set_label (GTK_LABEL (self->offline_label), text);
      gtk_widget_set_visible (self->offline_label, TRUE);
    }
}

static void
updated_cb (AtlasResource *resource,
            AtlasResponse *response,
            AtlasOverview *self)
{
  AtlasWorkspaceOverview *data = response->payload;
  gint64 active = 0;

  self->loads++;
  self->server_time = response->server_time;
  gtk_widget_set_visible (self->offline_label, FALSE);

  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->active_tile), data->active);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->stale_tile), data->stale_active);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->failed_tile), data->failed_recent);
  sync_tenants (self->tenants, data->tenants);
  atlas_run_store_sync (self->recent, data->recent_operations, NULL);
  atlas_run_list_set_now (self->recent_list, self->server_time);
  for (guint i = 0; i < data->tenants->len; i++)
    active += atlas_tenant_summary_get_active_count (g_ptr_array_index (data->tenants, i));

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "overview");
  atlas_resource_set_interval (resource, atlas_poll_interval_for_tenant (active));
}

static void
atlas_overview_refresh (AtlasPage *page)
{
  atlas_resource_refresh (ATLAS_OVERVIEW (page)->resource);
}

static void
atlas_overview_page_iface_init (AtlasPageInterface *iface)
{
  iface->refresh = atlas_overview_refresh;
}

static void
all_operations_clicked_cb (GtkButton     *button,
                           AtlasOverview *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-operations", "x", (gint64) 0);
}

static void
atlas_overview_dispose (GObject *object)
{
  AtlasOverview *self = (AtlasOverview *)object;
  GtkWidget *child;

  g_clear_object (&self->resource);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (atlas_overview_parent_class)->dispose (object);
}

static void
atlas_overview_finalize (GObject *object)
{
  AtlasOverview *self = (AtlasOverview *)object;

  g_clear_object (&self->tenants);
  g_clear_object (&self->recent);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (atlas_overview_parent_class)->finalize (object);
}

static void
atlas_overview_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AtlasOverview *self = ATLAS_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_overview_class_init (AtlasOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_overview_dispose;
  object_class->finalize = atlas_overview_finalize;
  object_class->get_property = atlas_overview_get_property;

  g_object_class_override_property (object_class, PROP_TITLE, "title");
  g_object_class_override_property (object_class, PROP_SUBTITLE, "subtitle");
  properties[PROP_TITLE] = g_object_class_find_property (object_class, "title");
  properties[PROP_SUBTITLE] = g_object_class_find_property (object_class, "subtitle");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
atlas_overview_init (AtlasOverview *self)
{
  GtkWidget *scroller, *clamp, *box, *tiles, *loading, *header, *all_button;

  self->server_time = ATLAS_TIME_NONE;
  self->tenants = g_list_store_new (ATLAS_TYPE_TENANT_SUMMARY);
  self->recent = g_list_store_new (ATLAS_TYPE_RUN);
  self->title = g_strdup (_("Overview"));

  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  loading = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (loading), _("Loading…"));
  gtk_stack_add_named (GTK_STACK (self->stack), loading, "loading");

  self->error_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_page), "network-error-symbolic");
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_page, "error");

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1400);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 1200);
  gtk_widget_set_margin_top (clamp, 24);
  gtk_widget_set_margin_bottom (clamp, 24);
  gtk_widget_set_margin_start (clamp, 18);
  gtk_widget_set_margin_end (clamp, 18);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "overview");

  self->offline_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->offline_label, "offline-banner");
  gtk_label_set_xalign (GTK_LABEL (self->offline_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->offline_label), TRUE);
  gtk_widget_set_visible (self->offline_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->offline_label);

  tiles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (tiles), TRUE);
  self->active_tile = g_object_new (ATLAS_TYPE_STAT_TILE, "kpi", ATLAS_KPI_ACTIVE, NULL);
  self->stale_tile = g_object_new (ATLAS_TYPE_STAT_TILE, "kpi", ATLAS_KPI_LIKELY_STALE, NULL);
  self->failed_tile = g_object_new (ATLAS_TYPE_STAT_TILE, "kpi", ATLAS_KPI_FAILED_RECENT, NULL);
  gtk_box_append (GTK_BOX (tiles), self->active_tile);
  gtk_box_append (GTK_BOX (tiles), self->stale_tile);
  gtk_box_append (GTK_BOX (tiles), self->failed_tile);
  gtk_box_append (GTK_BOX (box), tiles);

  gtk_box_append (GTK_BOX (box), atlas_section_title_new (_("Tenants")));
  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 8);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_flow_box_bind_model (GTK_FLOW_BOX (self->flow), G_LIST_MODEL (self->tenants), create_card_cb, self, NULL);
  gtk_box_append (GTK_BOX (box), self->flow);

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (header), atlas_section_title_new (_("Recent operations")));
  all_button = gtk_button_new_with_mnemonic (_("_All operations"));
  gtk_widget_add_css_class (all_button, "flat");
  gtk_widget_set_hexpand (all_button, TRUE);
  gtk_widget_set_halign (all_button, GTK_ALIGN_END);
  gtk_widget_set_valign (all_button, GTK_ALIGN_BASELINE);
  g_signal_connect (all_button, "clicked", G_CALLBACK (all_operations_clicked_cb), self);
  gtk_box_append (GTK_BOX (header), all_button);
  gtk_box_append (GTK_BOX (box), header);
  self->recent_list = atlas_run_list_new (G_LIST_MODEL (self->recent));
  gtk_box_append (GTK_BOX (box), self->recent_list);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
}

GtkWidget *
atlas_overview_new (AtlasClient *client,
                    AtlasClock  *clock,
                    gint64       workspace_id)
{
  AtlasOverview *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_OVERVIEW, NULL);
  self->workspace_id = workspace_id;
  self->resource = atlas_resource_new (client, clock, fetch_overview, self);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  g_signal_connect_object (self->resource, "failed", G_CALLBACK (failed_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_resource_get_poller (self->resource));
  atlas_resource_load (self->resource);

  return GTK_WIDGET (self);
}

/* Another workspace: cancel what is in flight, forget the old tenants, load anew. */
void
atlas_overview_set_workspace (AtlasOverview *self,
                              gint64         workspace_id)
{
  g_return_if_fail (ATLAS_IS_OVERVIEW (self));

  if (self->workspace_id == workspace_id)
    return;
  self->workspace_id = workspace_id;
  self->loads = 0;
  g_list_store_remove_all (self->tenants);
  g_list_store_remove_all (self->recent);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  atlas_resource_retarget (self->resource);
}

AtlasPoller *
atlas_overview_get_poller (AtlasOverview *self)
{
  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

GListModel *
atlas_overview_get_tenants (AtlasOverview *self)
{
  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);
  return G_LIST_MODEL (self->tenants);
}

GtkWidget *
atlas_overview_get_card (AtlasOverview *self,
                         guint          index)
{
  GtkFlowBoxChild *child;

  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);
  child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->flow), (int) index);
  return child != NULL ? gtk_flow_box_child_get_child (child) : NULL;
}
