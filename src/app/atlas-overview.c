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
#include "atlas-run-list.h"
#include "atlas-stat-tile.h"
#include "atlas-tenant-card.h"
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
  GListStore   *tenants;       /* the server's order, objects updated in place */
  GtkSorter    *sorter;        /* the one in use: attention_sorter or name_sorter */
  GtkSorter    *attention_sorter;  /* the presenter's attention order */
  GtkSorter    *name_sorter;
  GtkSortListModel *sorted;
  GtkStringFilter  *name_filter;   /* the search over tenant names */
  GtkFilterListModel *shown;       /* what the cards show */
  GListStore   *recent;

  GtkWidget    *stack;
  GtkWidget    *loading_spinner;
  GtkWidget    *error_page;
  GtkWidget    *offline_label;
  GtkWidget    *active_tile;
  GtkWidget    *stale_tile;
  GtkWidget    *failed_tile;
  GtkWidget    *grid;
  GtkWidget    *grid_scroller;
  GtkWidget    *no_match_page;
  GtkWidget    *search_bar;
  GtkWidget    *search_entry;
  GtkWidget    *sort_dropdown;
  GtkWidget    *search_button;
  GtkWidget    *recent_list;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_SERVER_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void atlas_overview_page_iface_init (AtlasPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtlasOverview, atlas_overview, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATLAS_TYPE_PAGE, atlas_overview_page_iface_init))

/* --- tenant cards ----------------------------------------------------------- */

static int
compare_attention_cb (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  return atlas_tenant_compare_attention ((AtlasTenantSummary *) a, (AtlasTenantSummary *) b);
}

static void
grid_activate_cb (AtlasOverview *self,
                  guint          position)
{
  g_autoptr(AtlasTenantSummary) tenant = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (tenant != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-tenant", "x", atlas_tenant_summary_get_id (tenant));
}

/* Same objects across refreshes (updated in place), in the server's order; the
 * store itself changes only when tenants come or go. The sort model puts them in
 * the presenter's order; a refresh can change a tenant's rank, so it sorts again. */
static void
sync_tenants (GListStore *store,
              GPtrArray  *fresh)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  gboolean same = n == fresh->len;

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
  g_autoptr(AtlasErrorPresentation) p = atlas_resource_present_error (resource, error,
                                                                     ATLAS_ERROR_SUBJECT_WORKSPACE);

  /* Over the last good data of this workspace while retrying; otherwise the error. */
  if (p->banner != NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->offline_label), p->banner);
      gtk_widget_set_visible (self->offline_label, TRUE);
      return;
    }
  atlas_status_page_show_error (ADW_STATUS_PAGE (self->error_page), p);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
}

static void
updated_cb (AtlasResource *resource,
            AtlasResponse *response,
            AtlasOverview *self)
{
  AtlasWorkspaceOverview *data = response->payload;
  gint64 active = 0;

  atlas_set_int64_property (G_OBJECT (self), &self->server_time, response->server_time, properties[PROP_SERVER_TIME]);
  gtk_widget_set_visible (self->offline_label, FALSE);

  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->active_tile), data->active);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->stale_tile), data->stale_active);
  atlas_stat_tile_set_value (ATLAS_STAT_TILE (self->failed_tile), data->failed_recent);
  sync_tenants (self->tenants, data->tenants);
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  atlas_run_store_sync (self->recent, data->recent_operations, NULL);
  for (guint i = 0; i < data->tenants->len; i++)
    active += atlas_tenant_summary_get_active_count (g_ptr_array_index (data->tenants, i));

  /* An empty workspace says so (and what to do), not an empty grid under zero tiles. */
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    data->tenants->len == 0 && data->recent_operations->len == 0 ? "empty"
                                                                                                 : "overview");
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

/* --- finding a tenant ------------------------------------------------------- */

/* "No tenant matches" instead of an empty grid, only while a search hides them all. */
static void
sync_no_match (AtlasOverview *self)
{
  gboolean none = g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0 &&
                  g_list_model_get_n_items (G_LIST_MODEL (self->tenants)) > 0;

  gtk_widget_set_visible (self->no_match_page, none);
  gtk_widget_set_visible (self->grid_scroller, !none);
}

static void
shown_changed_cb (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  AtlasOverview *self)
{
  sync_no_match (self);
}

static void
search_changed_cb (AtlasOverview  *self,
                   GtkSearchEntry *entry)
{
  atlas_overview_set_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
sort_selected_cb (AtlasOverview *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sort_dropdown));

  atlas_overview_set_sort (self, selected == 1 ? ATLAS_OVERVIEW_SORT_NAME : ATLAS_OVERVIEW_SORT_ATTENTION);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AtlasOverview *self = ATLAS_OVERVIEW (widget);

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

static void
atlas_overview_dispose (GObject *object)
{
  AtlasOverview *self = (AtlasOverview *)object;

  g_clear_object (&self->resource);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_OVERVIEW);

  G_OBJECT_CLASS (atlas_overview_parent_class)->dispose (object);
}

static void
atlas_overview_finalize (GObject *object)
{
  AtlasOverview *self = (AtlasOverview *)object;

  g_clear_object (&self->shown);
  g_clear_object (&self->sorted);
  g_clear_object (&self->attention_sorter);
  g_clear_object (&self->name_sorter);
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
    case PROP_SERVER_TIME:
      g_value_set_int64 (value, self->server_time);
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
  properties[PROP_SERVER_TIME] =
    g_param_spec_int64 ("server-time", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_SERVER_TIME, properties[PROP_SERVER_TIME]);

  g_type_ensure (ATLAS_TYPE_STAT_TILE);
  g_type_ensure (ATLAS_TYPE_RUN_LIST);
  g_type_ensure (ATLAS_TYPE_TENANT_CARD);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-overview.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, stack);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, offline_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, active_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, stale_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, failed_tile);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, grid);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, recent_list);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, grid_scroller);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtlasOverview, search_button);
  gtk_widget_class_bind_template_callback (widget_class, grid_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_selected_cb);
  /* The window's Ctrl+F asks the visible page for this. */
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
}

static void
atlas_overview_init (AtlasOverview *self)
{
  self->server_time = ATLAS_TIME_NONE;
  self->tenants = g_list_store_new (ATLAS_TYPE_TENANT_SUMMARY);
  self->recent = g_list_store_new (ATLAS_TYPE_RUN);
  self->title = g_strdup (_("Overview"));

  gtk_widget_init_template (GTK_WIDGET (self));
  atlas_stack_track_loading_spinner (GTK_STACK (self->stack), self->loading_spinner);
  atlas_accessible_name_buttons (GTK_WIDGET (self));

  self->attention_sorter = GTK_SORTER (gtk_custom_sorter_new (compare_attention_cb, NULL, NULL));
  self->name_sorter =
    GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (ATLAS_TYPE_TENANT_SUMMARY, NULL, "name")));
  self->sorter = self->attention_sorter;
  /* The sort model takes a reference on the store and on the sorter. */
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->tenants)),
                                          g_object_ref (self->sorter));
  /* Found by any part of the name, whatever the case. */
  self->name_filter =
    gtk_string_filter_new (gtk_property_expression_new (ATLAS_TYPE_TENANT_SUMMARY, NULL, "name"));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);
  self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sorted)),
                                           GTK_FILTER (self->name_filter));
  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (shown_changed_cb), self, 0);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));

    gtk_grid_view_set_model (GTK_GRID_VIEW (self->grid), GTK_SELECTION_MODEL (selection));
  }
  atlas_run_list_set_model (ATLAS_RUN_LIST (self->recent_list), G_LIST_MODEL (self->recent));
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
  g_list_store_remove_all (self->tenants);
  g_list_store_remove_all (self->recent);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  atlas_resource_retarget (self->resource);
}

/* What the page fetches: the overlay reads its active_operations (issue 16). */
AtlasResource *
atlas_overview_get_resource (AtlasOverview *self)
{
  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);
  return self->resource;
}

AtlasPoller *
atlas_overview_get_poller (AtlasOverview *self)
{
  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

/* The tenants as the cards show them: the chosen order (by default the presenter's
 * attention order), only those the search finds. */
GListModel *
atlas_overview_get_tenants (AtlasOverview *self)
{
  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);
  return G_LIST_MODEL (self->shown);
}

/**
 * atlas_overview_set_search:
 * @text: (nullable): part of a tenant's name, any case; blank shows every tenant
 */
void
atlas_overview_set_search (AtlasOverview *self,
                           const char    *text)
{
  g_autofree char *search = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_return_if_fail (ATLAS_IS_OVERVIEW (self));

  if (g_strcmp0 (gtk_string_filter_get_search (self->name_filter), *search != '\0' ? search : NULL) == 0)
    return;
  gtk_string_filter_set_search (self->name_filter, *search != '\0' ? search : NULL);
  sync_no_match (self);
}

void
atlas_overview_set_sort (AtlasOverview     *self,
                         AtlasOverviewSort  sort)
{
  GtkSorter *sorter;

  g_return_if_fail (ATLAS_IS_OVERVIEW (self));

  sorter = sort == ATLAS_OVERVIEW_SORT_NAME ? self->name_sorter : self->attention_sorter;
  if (sorter == self->sorter)
    return;
  self->sorter = sorter;
  gtk_sort_list_model_set_sorter (self->sorted, sorter);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sort_dropdown)) != (guint) sort)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->sort_dropdown), (guint) sort);
}

static GtkWidget *
find_card (GtkWidget          *widget,
           AtlasTenantSummary *tenant)
{
  if (ATLAS_IS_TENANT_CARD (widget))
    return atlas_tenant_card_get_tenant (ATLAS_TENANT_CARD (widget)) == tenant ? widget : NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *card = find_card (child, tenant);

      if (card != NULL)
        return card;
    }
  return NULL;
}

/**
 * atlas_overview_get_card:
 *
 * Returns: (transfer none) (nullable): the card of the tenant at @index of
 *   atlas_overview_get_tenants(), or %NULL while it is not built (off screen)
 */
GtkWidget *
atlas_overview_get_card (AtlasOverview *self,
                         guint          index)
{
  g_autoptr(AtlasTenantSummary) tenant = NULL;

  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), NULL);

  tenant = g_list_model_get_item (G_LIST_MODEL (self->shown), index);
  return tenant != NULL ? find_card (self->grid, tenant) : NULL;
}

/* How many cards are built: those on screen and a few more, never every tenant. */
guint
atlas_overview_get_n_cards (AtlasOverview *self)
{
  guint n = 0;

  g_return_val_if_fail (ATLAS_IS_OVERVIEW (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (self->grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_first_child (child) != NULL && ATLAS_IS_TENANT_CARD (gtk_widget_get_first_child (child)) &&
        atlas_tenant_card_get_tenant (ATLAS_TENANT_CARD (gtk_widget_get_first_child (child))) != NULL)
      n++;
  return n;
}

/**
 * atlas_overview_set_read_only:
 *
 * A wall screen (kiosk): nobody there to sort or search, so neither control shows
 * (and the search bar closes).
 */
void
atlas_overview_set_read_only (AtlasOverview *self,
                              gboolean       read_only)
{
  g_return_if_fail (ATLAS_IS_OVERVIEW (self));

  if (read_only)
    gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), FALSE);
  gtk_widget_set_visible (self->sort_dropdown, !read_only);
  gtk_widget_set_visible (self->search_button, !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.search", !read_only);
}

/* The loading page's spinner (tests). */
GtkWidget *
atlas_overview_get_loading_spinner (AtlasOverview *self)
{
  return self->loading_spinner;
}
