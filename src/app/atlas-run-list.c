/* atlas-run-list.c — runs in a GtkListView: rows are built for what is on screen only
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model holds the same AtlasRun objects across refreshes (atlas_run_store_sync),
 * so a recycled row keeps its run and redraws only when the run notifies. "now" and
 * "hide-tenant" are bound from the page to the list and from the list to every row.
 * Enter or a click activates win.show-run for the row's run.
 *
 * An inline list (on a page that scrolls as a whole) grows with its rows; the others
 * scroll themselves, which is what lets the view recycle.
 */

#define G_LOG_DOMAIN "atlas-run-list"

#include "config.h"

#include <adwaita.h>

#include "atlas-minute-tick.h"
#include "atlas-run-list-private.h"

struct _AtlasRunList
{
  GtkWidget          parent_instance;

  GListModel        *model;
  GtkSelectionModel *selection;
  gint64             now;           /* what the rows show: base_now moved on by the tick */
  gint64             base_now;      /* the page's server time, as last set */
  gint64             base_us;       /* the tick's clock when it was set */
  AtlasMinuteTick   *tick;          /* held while mapped with rows; the window owns it */
  gulong             tick_id;
  gulong             items_id;
  gboolean           hide_tenant;
  gboolean           selectable;
  gboolean           inline_;
  int                max_content_height;

  GtkWidget         *scroller;
  GtkWidget         *clamp;
  GtkWidget         *view;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_NOW,
  PROP_HIDE_TENANT,
  PROP_SELECTABLE,
  PROP_INLINE,
  PROP_MAX_CONTENT_HEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROW_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtlasRunList, atlas_run_list, GTK_TYPE_WIDGET)

static void
update_selection (AtlasRunList *self)
{
  g_autoptr(GtkSelectionModel) selection = NULL;
  GListModel *model = self->model != NULL ? g_object_ref (self->model) : NULL;

  if (self->selectable)
    {
      GtkSingleSelection *single = gtk_single_selection_new (model);

      gtk_single_selection_set_autoselect (single, FALSE);
      gtk_single_selection_set_can_unselect (single, TRUE);
      selection = GTK_SELECTION_MODEL (single);
    }
  else
    selection = GTK_SELECTION_MODEL (gtk_no_selection_new (model));
  g_set_object (&self->selection, selection);
  gtk_list_view_set_model (GTK_LIST_VIEW (self->view), self->selection);
}

static void
update_scrolling (AtlasRunList *self)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (self->scroller);

  gtk_scrolled_window_set_propagate_natural_height (scroller, self->inline_ || self->max_content_height > 0);
  gtk_scrolled_window_set_policy (scroller, GTK_POLICY_NEVER,
                                  self->inline_ ? GTK_POLICY_NEVER : GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (scroller, self->inline_ ? -1 : self->max_content_height);
  gtk_widget_set_vexpand (GTK_WIDGET (self), !self->inline_ && self->max_content_height <= 0);
  /* Inline, the page's own clamp decides the width: the list lines up with the rest. */
  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (self->clamp), self->inline_ ? G_MAXINT / 2 : 1400);
  adw_clamp_scrollable_set_tightening_threshold (ADW_CLAMP_SCROLLABLE (self->clamp), self->inline_ ? G_MAXINT / 2 : 800);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          AtlasRunList             *self)
{
  GtkWidget *row = atlas_run_row_new ();

  g_object_bind_property (self, "now", row, "now", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "hide-tenant", row, "hide-tenant", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (item, row);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         AtlasRunList             *self)
{
  atlas_run_row_set_run (ATLAS_RUN_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           AtlasRunList             *self)
{
  atlas_run_row_set_run (ATLAS_RUN_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
view_activate_cb (AtlasRunList *self,
                  guint         position)
{
  g_autoptr(AtlasRun) run = NULL;

  if (self->model == NULL || position >= g_list_model_get_n_items (self->model))
    return;
  run = g_list_model_get_item (self->model, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-run", "x", atlas_run_get_id (run));
  g_signal_emit (self, signals[ROW_ACTIVATED], 0, position);
}

static void
set_shown_now (AtlasRunList *self,
               gint64        now)
{
  if (self->now == now)
    return;
  self->now = now;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

/* A minute later on the same server clock: the rows' "ago" moves without a request. */
static void
tick_cb (AtlasMinuteTick *tick,
         AtlasRunList    *self)
{
  if (self->base_now == ATLAS_TIME_NONE)
    return;
  set_shown_now (self, self->base_now + (atlas_minute_tick_get_now_us (tick) - self->base_us) / G_USEC_PER_SEC);
}

/* The window's tick is held while the list is on screen with rows to show. */
static void
sync_tick (AtlasRunList *self)
{
  gboolean want = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->model != NULL &&
                  g_list_model_get_n_items (self->model) > 0;

  if (want && self->tick == NULL && (self->tick = atlas_minute_tick_get_for_widget (GTK_WIDGET (self))) != NULL)
    {
      g_object_ref (self->tick);
      atlas_minute_tick_hold (self->tick);
      self->tick_id = g_signal_connect (self->tick, "tick", G_CALLBACK (tick_cb), self);
      /* Counted from now: what is shown is as fresh as the last answer made it. */
      self->base_now = self->now;
      self->base_us = atlas_minute_tick_get_now_us (self->tick);
    }
  else if (!want && self->tick != NULL)
    {
      g_clear_signal_handler (&self->tick_id, self->tick);
      atlas_minute_tick_release (self->tick);
      g_clear_object (&self->tick);
    }
}

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  AtlasRunList *self)
{
  sync_tick (self);
}

static void
atlas_run_list_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (atlas_run_list_parent_class)->map (widget);
  sync_tick (ATLAS_RUN_LIST (widget));
}

static void
atlas_run_list_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (atlas_run_list_parent_class)->unmap (widget);
  sync_tick (ATLAS_RUN_LIST (widget));
}

static void
atlas_run_list_dispose (GObject *object)
{
  AtlasRunList *self = (AtlasRunList *)object;

  if (self->tick != NULL)
    {
      g_clear_signal_handler (&self->tick_id, self->tick);
      atlas_minute_tick_release (self->tick);
      g_clear_object (&self->tick);
    }
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_id, self->model);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_RUN_LIST);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atlas_run_list_parent_class)->dispose (object);
}

static void
atlas_run_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AtlasRunList *self = ATLAS_RUN_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_NOW:
      g_value_set_int64 (value, self->now);
      break;
    case PROP_HIDE_TENANT:
      g_value_set_boolean (value, self->hide_tenant);
      break;
    case PROP_SELECTABLE:
      g_value_set_boolean (value, self->selectable);
      break;
    case PROP_INLINE:
      g_value_set_boolean (value, self->inline_);
      break;
    case PROP_MAX_CONTENT_HEIGHT:
      g_value_set_int (value, self->max_content_height);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_run_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AtlasRunList *self = ATLAS_RUN_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      atlas_run_list_set_model (self, g_value_get_object (value));
      break;
    case PROP_NOW:
      /* A new answer's server time: the tick counts on from here. */
      self->base_now = g_value_get_int64 (value);
      self->base_us = self->tick != NULL ? atlas_minute_tick_get_now_us (self->tick) : 0;
      set_shown_now (self, self->base_now);
      break;
    case PROP_HIDE_TENANT:
      if (self->hide_tenant != g_value_get_boolean (value))
        {
          self->hide_tenant = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SELECTABLE:
      if (self->selectable != g_value_get_boolean (value))
        {
          self->selectable = g_value_get_boolean (value);
          update_selection (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_INLINE:
      if (self->inline_ != g_value_get_boolean (value))
        {
          self->inline_ = g_value_get_boolean (value);
          update_scrolling (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MAX_CONTENT_HEIGHT:
      if (self->max_content_height != g_value_get_int (value))
        {
          self->max_content_height = g_value_get_int (value);
          update_scrolling (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_run_list_class_init (AtlasRunListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = atlas_run_list_dispose;
  object_class->get_property = atlas_run_list_get_property;
  widget_class->map = atlas_run_list_map;
  widget_class->unmap = atlas_run_list_unmap;
  object_class->set_property = atlas_run_list_set_property;

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_NOW] = g_param_spec_int64 ("now", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE, flags);
  properties[PROP_HIDE_TENANT] = g_param_spec_boolean ("hide-tenant", NULL, NULL, FALSE, flags);
  /* Single selection (the operations list keeps its selected row across refreshes). */
  properties[PROP_SELECTABLE] = g_param_spec_boolean ("selectable", NULL, NULL, FALSE, flags);
  properties[PROP_INLINE] = g_param_spec_boolean ("inline", NULL, NULL, FALSE, flags);
  /* > 0: grow with the rows up to this height, then scroll (a popover). */
  properties[PROP_MAX_CONTENT_HEIGHT] = g_param_spec_int ("max-content-height", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After win.show-run: a popover holding the list gets out of the way. */
  signals[ROW_ACTIVATED] = g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-run-list.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runlist");
  gtk_widget_class_bind_template_child (widget_class, AtlasRunList, scroller);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunList, clamp);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunList, view);
  gtk_widget_class_bind_template_callback (widget_class, view_activate_cb);
}

static void
atlas_run_list_init (AtlasRunList *self)
{
  GtkListItemFactory *factory;

  self->now = ATLAS_TIME_NONE;
  self->base_now = ATLAS_TIME_NONE;
  self->max_content_height = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_cb), self, 0);
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->view), factory);
  g_object_unref (factory);
  update_selection (self);
  update_scrolling (self);
}

GListModel *
atlas_run_list_get_model (AtlasRunList *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_LIST (self), NULL);
  return self->model;
}

/* @model: (nullable): AtlasRun items, updated in place */
void
atlas_run_list_set_model (AtlasRunList *self,
                          GListModel   *model)
{
  g_return_if_fail (ATLAS_IS_RUN_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    self->items_id = g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  sync_tick (self);
  update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GtkSelectionModel *
atlas_run_list_get_selection (AtlasRunList *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_LIST (self), NULL);
  return self->selection;
}

GtkAdjustment *
atlas_run_list_get_vadjustment (AtlasRunList *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_LIST (self), NULL);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
}

static AtlasRunRow *
find_row (GtkWidget *widget,
          AtlasRun  *run)
{
  if (ATLAS_IS_RUN_ROW (widget))
    return atlas_run_row_get_run (ATLAS_RUN_ROW (widget)) == run ? ATLAS_RUN_ROW (widget) : NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AtlasRunRow *row = find_row (child, run);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/**
 * atlas_run_list_get_row:
 *
 * Returns: (transfer none) (nullable): the row showing the run at @position, or
 *   %NULL when that row is not built (off screen)
 */
AtlasRunRow *
atlas_run_list_get_row (AtlasRunList *self,
                        guint         position)
{
  g_autoptr(AtlasRun) run = NULL;

  g_return_val_if_fail (ATLAS_IS_RUN_LIST (self), NULL);

  if (self->model == NULL || position >= g_list_model_get_n_items (self->model))
    return NULL;
  run = g_list_model_get_item (self->model, position);
  return find_row (self->view, run);
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = 0;

  if (ATLAS_IS_RUN_ROW (widget))
    return atlas_run_row_get_run (ATLAS_RUN_ROW (widget)) != NULL ? 1 : 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);
  return n;
}

/* How many rows are built: what is visible and a little more, not the whole model. */
guint
atlas_run_list_get_n_rows (AtlasRunList *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_LIST (self), 0);
  return count_rows (self->view);
}

/* To the first row. Through the view's own list.scroll-to-item, which moves its
 * anchor: setting the adjustment makes a GtkListView (4.8) that has not laid out
 * rows that changed in this main loop iteration warn and refuse (a search that
 * found nothing, then one that found runs). */
void
atlas_run_list_scroll_to_top (AtlasRunList *self)
{
  g_return_if_fail (ATLAS_IS_RUN_LIST (self));

  if (self->model == NULL || g_list_model_get_n_items (self->model) == 0)
    return;
  gtk_widget_activate_action (self->view, "list.scroll-to-item", "u", 0);
}

/* What Enter or a click on the row at @position does. */
void
atlas_run_list_activate (AtlasRunList *self,
                         guint         position)
{
  g_return_if_fail (ATLAS_IS_RUN_LIST (self));

  g_signal_emit_by_name (self->view, "activate", position);
}
