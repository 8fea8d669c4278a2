/* atlas-active-ops.c — active runs only, likely-stale first; polls while any is active
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-active-ops"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-active-ops-private.h"
#include "atlas-poll-policy.h"
#include "atlas-resource.h"
#include "atlas-run-presenter.h"
#include "atlas-run-list.h"
#include "atlas-run-store.h"
#include "atlas-ui-util.h"
#include "atlas-visibility.h"

#define OVERLAY_PAGE_SIZE 100

struct _AtlasActiveOps
{
  GtkWidget     parent_instance;

  AtlasResource *resource;
  AtlasResource *page;          /* followed: the page on screen whose answer carries ours; weak */
  GListStore   *runs;
  gint64        workspace_id;
  gint64        server_time;
  guint         count;
  guint         initiated_count;

  GtkWidget    *button;
  GtkWidget    *count_label;
  GtkWidget    *popover;
  GtkWidget    *stack;
  GtkWidget    *list;
};

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_SERVER_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasActiveOps, atlas_active_ops, GTK_TYPE_WIDGET)

static gboolean
is_elevated (AtlasRun *run)
{
  return atlas_run_get_freshness (run) == ATLAS_FRESHNESS_LIKELY_STALE;
}

static void
render_count (AtlasActiveOps *self,
              guint           n_stale)
{
  g_autofree char *text = g_strdup_printf ("%u", self->count);
  g_autofree char *a11y = NULL;

  gtk_label_set_label (GTK_LABEL (self->count_label), text);
  /* Nothing running shows nothing, not a "0" asking to be looked at. */
  gtk_widget_set_visible (self->count_label, self->count > 0);
  if (n_stale > 0)
    gtk_widget_add_css_class (self->count_label, "attention");
  else
    gtk_widget_remove_css_class (self->count_label, "attention");
  if (n_stale > 0)
    /* TRANSLATORS: "12 active operations, 2 likely stale" */
    a11y = g_strdup_printf (ngettext ("%u active operation, %u likely stale",
                                      "%u active operations, %u likely stale", self->count),
                            self->count, n_stale);
  else
    a11y = g_strdup_printf (ngettext ("%u active operation", "%u active operations", self->count), self->count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_tooltip_text (self->button, a11y);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->count > 0 ? "list" : "empty");
}

static void
fetch_active (const AtlasResourceRequest *request,
              gpointer                    user_data)
{
  AtlasActiveOps *self = user_data;
  AtlasOperationsQuery query = { ATLAS_TAB_ACTIVE, 0, NULL, NULL, 1, OVERLAY_PAGE_SIZE };

  atlas_client_list_operations_async (request->client, self->workspace_id, &query, request->cancellable,
                                      request->callback, request->callback_data);
}

static void
updated_cb (AtlasResource  *resource,
            AtlasResponse  *response,
            AtlasActiveOps *self)
{
  AtlasRunPage *page = response->payload;
  g_autoptr(GPtrArray) ordered = NULL;
  guint n_stale = 0;
  guint n;

  atlas_set_int64_property (G_OBJECT (self), &self->server_time, response->server_time, properties[PROP_SERVER_TIME]);

  /* Likely-stale runs first: elevated on every surface. */
  ordered = atlas_runs_sort_by_attention (page->runs);
  atlas_run_store_sync (self->runs, ordered, atlas_poll_policy_overlay_shows);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      n_stale += is_elevated (run) ? 1 : 0;
    }
  self->count = MAX ((guint) page->tab_counts[ATLAS_TAB_ACTIVE], n);
  render_count (self, n_stale);
  self->initiated_count = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      self->initiated_count += atlas_run_get_initiated_by_me (run) ? 1 : 0;
    }
  g_signal_emit (self, signals[UPDATED], 0);

  atlas_resource_set_interval (resource, atlas_poll_interval_for_runs ((AtlasRun * const *) ordered->pdata,
                                                                      ordered->len));
}

/* The row itself opens the run (win.show-run); the popover just gets out of the way. */
static void
row_activated_cb (AtlasActiveOps *self,
                  guint           position)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

/* Someone looks: show fresh numbers, even when nothing was active before. */
static void
popover_show_cb (AtlasActiveOps *self)
{
  atlas_active_ops_refresh (self);
}

static void
atlas_active_ops_dispose (GObject *object)
{
  AtlasActiveOps *self = (AtlasActiveOps *)object;

  g_clear_weak_pointer (&self->page);
  g_clear_object (&self->resource);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_ACTIVE_OPS);

  G_OBJECT_CLASS (atlas_active_ops_parent_class)->dispose (object);
}

static void
atlas_active_ops_finalize (GObject *object)
{
  AtlasActiveOps *self = (AtlasActiveOps *)object;

  g_clear_object (&self->runs);

  G_OBJECT_CLASS (atlas_active_ops_parent_class)->finalize (object);
}

static void
atlas_active_ops_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AtlasActiveOps *self = ATLAS_ACTIVE_OPS (object);

  switch (prop_id)
    {
    case PROP_SERVER_TIME:
      g_value_set_int64 (value, self->server_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_active_ops_class_init (AtlasActiveOpsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_active_ops_dispose;
  object_class->finalize = atlas_active_ops_finalize;
  object_class->get_property = atlas_active_ops_get_property;

  properties[PROP_SERVER_TIME] =
    g_param_spec_int64 ("server-time", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After every good answer: count and initiated count are current. */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ATLAS_TYPE_RUN_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-active-ops.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AtlasActiveOps, button);
  gtk_widget_class_bind_template_child (widget_class, AtlasActiveOps, count_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasActiveOps, popover);
  gtk_widget_class_bind_template_child (widget_class, AtlasActiveOps, stack);
  gtk_widget_class_bind_template_child (widget_class, AtlasActiveOps, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
}

static void
atlas_active_ops_init (AtlasActiveOps *self)
{
  self->server_time = ATLAS_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->runs = g_list_store_new (ATLAS_TYPE_RUN);
  atlas_run_list_set_model (ATLAS_RUN_LIST (self->list), G_LIST_MODEL (self->runs));
}

GtkWidget *
atlas_active_ops_new (AtlasClient *client,
                      AtlasClock  *clock,
                      gint64       workspace_id)
{
  AtlasActiveOps *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_ACTIVE_OPS, NULL);
  self->workspace_id = workspace_id;
  self->resource = atlas_resource_new (client, clock, fetch_active, self);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_resource_get_poller (self->resource));
  atlas_resource_load (self->resource);

  return GTK_WIDGET (self);
}

/**
 * atlas_active_ops_follow:
 * @page: (nullable): the resource of the page on screen, or %NULL (run detail, list)
 * @extract: the page answer's active_operations, or %NULL when it has none
 *
 * While the overview or a tenant dashboard is shown, their answers carry the active
 * runs: the overlay reads them instead of polling its own list (a request of its own
 * still out when the page's is, at start-up, is dropped before it is sent). Elsewhere
 * it polls.
 */
void
atlas_active_ops_follow (AtlasActiveOps           *self,
                         AtlasResource            *page,
                         AtlasResourceExtractFunc  extract)
{
  g_return_if_fail (ATLAS_IS_ACTIVE_OPS (self));

  g_set_weak_pointer (&self->page, page);
  atlas_resource_follow (self->resource, page, extract);
}

/* Ctrl+R, or the popover opening: fetch now unless a fetch is already out. */
void
atlas_active_ops_refresh (AtlasActiveOps *self)
{
  g_return_if_fail (ATLAS_IS_ACTIVE_OPS (self));

  if (atlas_resource_get_in_flight (self->resource))
    return;
  /* Following a page: its fresh answer is ours; one request, not two. */
  if (self->page != NULL && (atlas_resource_get_in_flight (self->page) || atlas_resource_refresh (self->page)))
    return;
  atlas_poller_reset (atlas_resource_get_poller (self->resource));
  atlas_resource_load (self->resource);
}

GListModel *
atlas_active_ops_get_runs (AtlasActiveOps *self)
{
  g_return_val_if_fail (ATLAS_IS_ACTIVE_OPS (self), NULL);
  return G_LIST_MODEL (self->runs);
}

AtlasPoller *
atlas_active_ops_get_poller (AtlasActiveOps *self)
{
  g_return_val_if_fail (ATLAS_IS_ACTIVE_OPS (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

/* Active runs the user started, among those the overlay shows. */
guint
atlas_active_ops_get_initiated_count (AtlasActiveOps *self)
{
  g_return_val_if_fail (ATLAS_IS_ACTIVE_OPS (self), 0);
  return self->initiated_count;
}

guint
atlas_active_ops_get_count (AtlasActiveOps *self)
{
  g_return_val_if_fail (ATLAS_IS_ACTIVE_OPS (self), 0);
  return self->count;
}
