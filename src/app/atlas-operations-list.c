/* atlas-operations-list.c — every run of a workspace: tabs, filters, pages, in place
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One request at a time, for one target (tab, tenant, type, page). Changing the target
 * cancels the request that is out and bumps a generation, so a late answer for the old
 * target can never paint. Refreshes update the same AtlasRun objects in place; runs that
 * appear on page 1 are announced, not pushed under the pointer. Every status word comes
 * from the presenter through AtlasRunRow; this file never looks at a status itself,
 * and its timer is an AtlasPoller fed by atlas-visibility.
 */

#define G_LOG_DOMAIN "atlas-operations-list"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "atlas-operations-list-private.h"
#include "atlas-page.h"
#include "atlas-poll-policy.h"
#include "atlas-resource.h"
#include "atlas-run-list.h"
#include "atlas-run-store.h"
#include "atlas-ui-util.h"
#include "atlas-visibility.h"

struct _AtlasOperationsList
{
  GtkWidget      parent_instance;

  AtlasResource *resource;              /* the operations of the current target */
  GCancellable  *overview_cancellable;  /* the tenant names, once */
  GListStore    *runs;
  AtlasResponse *pending;               /* a refresh with new runs, not yet shown */
  guint          pending_new;

  gint64         workspace_id;
  gint64         fixed_tenant_id;       /* given at construction: no tenant filter */
  AtlasTab       tab;
  gint64         tenant_id;
  char          *type;
  char          *q;                     /* the search, or NULL */
  gint64         page;
  gint64         n_pages;               /* 0 until the first answer */
  gint64         server_time;
  char          *title;
  char          *subtitle;

  guint          generation;            /* bumped whenever the target changes */
  guint          loaded_generation;     /* the target the rows on screen belong to */
  gboolean       syncing_controls;      /* setting a control from code, not the user */

  GArray        *tenant_ids;            /* gint64, parallel to tenant_names; [0] = 0 */
  GtkStringList *tenant_names;
  GPtrArray     *type_ids;              /* char *, parallel to type_labels; [0] = NULL */
  GtkStringList *type_labels;

  GtkWidget     *root_box;
  GtkWidget     *tabs_box;
  GtkWidget     *tab_buttons[ATLAS_N_TABS];
  GtkWidget     *tab_labels[ATLAS_N_TABS];
  GtkWidget     *search_bar;
  GtkWidget     *search_entry;
  GtkWidget     *tenant_dropdown;
  GtkWidget     *type_dropdown;
  GtkWidget     *spinner;
  GtkWidget     *page_label;
  GtkWidget     *offline_revealer;
  GtkWidget     *offline_label;
  GtkWidget     *new_revealer;
  GtkWidget     *new_label;
  GtkWidget     *stack;
  GtkWidget     *error_page;
  GtkWidget     *empty_page;
  GtkWidget     *list;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_SERVER_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void navigate (AtlasOperationsList *self);

static void atlas_operations_list_page_iface_init (AtlasPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtlasOperationsList, atlas_operations_list, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATLAS_TYPE_PAGE, atlas_operations_list_page_iface_init))

static const char *
tab_name (AtlasTab tab)
{
  switch (tab)
    {
    case ATLAS_TAB_ALL: return _("All");
    case ATLAS_TAB_ACTIVE: return _("Active");
    case ATLAS_TAB_ACTIVE_STALE_ATTENTION: return _("Stale attention");
    case ATLAS_TAB_TERMINAL_FOLLOW_UP: return _("Follow-up");
    case ATLAS_TAB_COMPLETED: return _("Completed");
    case ATLAS_N_TABS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
empty_description (AtlasTab tab)
{
  switch (tab)
    {
    case ATLAS_TAB_ALL: return _("Nothing has run here yet.");
    case ATLAS_TAB_ACTIVE: return _("Nothing is queued or running.");
    case ATLAS_TAB_ACTIVE_STALE_ATTENTION: return _("No active operation looks stuck.");
    case ATLAS_TAB_TERMINAL_FOLLOW_UP: return _("No finished operation needs follow-up.");
    case ATLAS_TAB_COMPLETED: return _("No operation has finished yet.");
    case ATLAS_N_TABS:
    default:
      g_assert_not_reached ();
    }
}

static AtlasRun *
find_run (AtlasOperationsList *self,
          gint64               id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtlasRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);

      if (atlas_run_get_id (run) == id)
        return run;   /* the store keeps it alive */
    }
  return NULL;
}

static void
scroll_to_top (AtlasOperationsList *self)
{
  atlas_run_list_scroll_to_top (ATLAS_RUN_LIST (self->list));
}

static void
render_tab_counts (AtlasOperationsList *self,
                   const gint64        *counts)
{
  for (guint t = 0; t < ATLAS_N_TABS; t++)
    {
      g_autofree char *number = NULL;
      g_autofree char *markup = NULL;
      g_autofree char *a11y = NULL;

      number = g_strdup_printf ("%" G_GINT64_FORMAT, counts[t]);
      markup = g_markup_printf_escaped ("%s <span font_features=\"tnum\" alpha=\"60%%\">%s</span>",
                                        tab_name (t), number);
      gtk_label_set_markup (GTK_LABEL (self->tab_labels[t]), markup);
      /* Stuck work is never just another tab. */
      if (t == ATLAS_TAB_ACTIVE_STALE_ATTENTION && counts[t] > 0)
        gtk_widget_add_css_class (self->tab_buttons[t], "stale-tab");
      else
        gtk_widget_remove_css_class (self->tab_buttons[t], "stale-tab");
      /* TRANSLATORS: a list tab for assistive technology, "Active, 4 operations" */
      a11y = g_strdup_printf (ngettext ("%s, %s operation", "%s, %s operations",
                                        (gulong) MIN (counts[t], G_MAXLONG)),
                              tab_name (t), number);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->tab_buttons[t]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }
}

static void
render_pager (AtlasOperationsList *self)
{
  g_autofree char *page = g_strdup_printf ("%" G_GINT64_FORMAT, self->page);
  g_autofree char *n_pages = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (self->n_pages, 1));
  g_autofree char *text = NULL;

  /* TRANSLATORS: the operations list pager, "Page 2 of 7" */
  text = g_strdup_printf (_("Page %s of %s"), page, n_pages);
  gtk_label_set_label (GTK_LABEL (self->page_label), text);
  gtk_widget_set_visible (self->page_label, self->n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.previous-page", self->page > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.next-page",
                                 self->n_pages > 0 && self->page < self->n_pages);
}

static void
set_pending (AtlasOperationsList *self,
             AtlasResponse       *response,
             guint                n_new)
{
  g_clear_pointer (&self->pending, atlas_response_unref);
  self->pending = response != NULL ? atlas_response_ref (response) : NULL;
  self->pending_new = response != NULL ? n_new : 0;

  if (self->pending_new > 0)
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: a button over the list that shows runs which arrived meanwhile */
      text = g_strdup_printf (ngettext ("%u new run", "%u new runs", self->pending_new),
                              self->pending_new);
      gtk_label_set_label (GTK_LABEL (self->new_label), text);
#if GTK_CHECK_VERSION (4, 14, 0)
      gtk_accessible_announce (GTK_ACCESSIBLE (self), text, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
#endif
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.show-new", self->pending_new > 0);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->new_revealer), self->pending_new > 0);
}

/* Show @runs as the page: the same objects stay, only real changes reach the rows. */
static void
apply_runs (AtlasOperationsList *self,
            GPtrArray           *runs)
{
  atlas_run_store_sync (self->runs, runs, NULL);
  self->loaded_generation = self->generation;
  set_pending (self, NULL, 0);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->runs)) == 0)
    {
      gboolean good_news = self->tab == ATLAS_TAB_ACTIVE_STALE_ATTENTION ||
                           self->tab == ATLAS_TAB_TERMINAL_FOLLOW_UP;

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_page),
                                     good_news ? "emblem-ok-symbolic" : "document-open-recent-symbolic");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                       (self->tenant_id != 0 && self->fixed_tenant_id == 0) ||
                                       self->type != NULL || self->q != NULL
                                         ? _("Nothing matches these filters.")
                                         : empty_description (self->tab));
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

/* A refresh brought runs we do not show: update the rows we have, announce the rest. */
static void
announce (AtlasOperationsList *self,
          AtlasResponse       *response,
          guint                n_new)
{
  AtlasRunPage *page = response->payload;

  for (guint i = 0; i < page->runs->len; i++)
    {
      AtlasRun *fresh = g_ptr_array_index (page->runs, i);
      AtlasRun *existing = find_run (self, atlas_run_get_id (fresh));

      if (existing != NULL)
        atlas_run_update_from (existing, fresh);
    }
  set_pending (self, response, n_new);
}

static void
learn_types (AtlasOperationsList *self,
             GPtrArray           *runs)
{
  for (guint i = 0; i < runs->len; i++)
    {
      AtlasRun *run = g_ptr_array_index (runs, i);
      const char *type = atlas_run_get_run_type (run);
      const char *label = atlas_run_get_type_label (run) ? atlas_run_get_type_label (run) : type;
      gboolean known = FALSE;
      guint pos;

      if (type == NULL)
        continue;
      for (guint k = 1; k < self->type_ids->len && !known; k++)
        known = g_strcmp0 (g_ptr_array_index (self->type_ids, k), type) == 0;
      if (known)
        continue;

      /* Sorted by label after "All types"; the selection follows its item. */
      for (pos = 1; pos < self->type_ids->len; pos++)
        if (g_utf8_collate (label, gtk_string_list_get_string (self->type_labels, pos)) < 0)
          break;
      self->syncing_controls = TRUE;
      g_ptr_array_insert (self->type_ids, (int) pos, g_strdup (type));
      gtk_string_list_splice (self->type_labels, pos, 0, (const char * const[]) { label, NULL });
      self->syncing_controls = FALSE;
    }
}

static void
show_error_page (AtlasOperationsList          *self,
                 const AtlasErrorPresentation *presentation)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->offline_revealer), FALSE);
  atlas_status_page_show_error (ADW_STATUS_PAGE (self->error_page), presentation);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
}

static void
stop_spinner (AtlasOperationsList *self)
{
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
}

static void
failed_cb (AtlasResource       *resource,
           const GError        *error,
           AtlasOperationsList *self)
{
  g_autoptr(AtlasErrorPresentation) p = atlas_resource_present_error (resource, error,
                                                                     ATLAS_ERROR_SUBJECT_OPERATIONS);

  stop_spinner (self);
  if (p->keeps_data)
    {
      /* Last good rows of this target stay; another target's rows never stand in. */
      if (p->banner != NULL && self->loaded_generation == self->generation)
        {
          gtk_label_set_label (GTK_LABEL (self->offline_label), p->banner);
          gtk_revealer_set_reveal_child (GTK_REVEALER (self->offline_revealer), TRUE);
          return;
        }
      show_error_page (self, p);
      return;
    }

  /* 401/403/404 and friends: polling has stopped, and the rows are no longer ours
   * to show. */
  set_pending (self, NULL, 0);
  g_list_store_remove_all (self->runs);
  self->loaded_generation = 0;
  show_error_page (self, p);
}

static void
updated_cb (AtlasResource       *resource,
            AtlasResponse       *response,
            AtlasOperationsList *self)
{
  AtlasRunPage *page = response->payload;
  guint n_new = 0;

  stop_spinner (self);
  atlas_set_int64_property (G_OBJECT (self), &self->server_time, response->server_time, properties[PROP_SERVER_TIME]);
  self->n_pages = MAX ((page->total + ATLAS_OPERATIONS_LIST_PER_PAGE - 1) / ATLAS_OPERATIONS_LIST_PER_PAGE, 1);

  atlas_resource_set_interval (resource, atlas_poll_interval_for_runs ((AtlasRun * const *) page->runs->pdata,
                                                                      page->runs->len));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->offline_revealer), FALSE);
  render_tab_counts (self, page->tab_counts);
  render_pager (self);
  learn_types (self, page->runs);

  /* The page ran dry under us (runs left the tab): go to the last one there is. */
  if (page->runs->len == 0 && self->page > self->n_pages)
    {
      atlas_operations_list_set_page (self, self->n_pages);
      return;
    }

  if (self->loaded_generation == self->generation && self->page == 1 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->runs)) > 0)
    for (guint i = 0; i < page->runs->len; i++)
      n_new += find_run (self, atlas_run_get_id (g_ptr_array_index (page->runs, i))) == NULL ? 1 : 0;

  if (n_new > 0)
    announce (self, response, n_new);
  else
    {
      gboolean first = self->loaded_generation != self->generation;

      apply_runs (self, page->runs);
      if (first)
        scroll_to_top (self);
    }
}

static void
fetch_operations (const AtlasResourceRequest *request,
                  gpointer                    user_data)
{
  AtlasOperationsList *self = user_data;
  AtlasOperationsQuery query = { self->tab, self->tenant_id, self->type, NULL, self->page,
                                 ATLAS_OPERATIONS_LIST_PER_PAGE, self->q };

  /* A new target is on its way while the old rows still show: say so, quietly. */
  if (self->loaded_generation != 0 && self->loaded_generation != self->generation)
    {
      gtk_widget_set_visible (self->spinner, TRUE);
      gtk_spinner_start (GTK_SPINNER (self->spinner));
    }
  atlas_client_list_operations_async (request->client, self->workspace_id, &query, request->cancellable,
                                      request->callback, request->callback_data);
}

/* The target changed: the resource drops what is out (a late answer for the old
 * target never paints) and starts clean; the announcement is forgotten. */
static void
navigate (AtlasOperationsList *self)
{
  self->generation++;
  set_pending (self, NULL, 0);
  render_pager (self);
  atlas_resource_retarget (self->resource);
}

static void
overview_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasOperationsList *self;
  AtlasWorkspaceOverview *overview;
  guint selected = 0;

  response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (response == NULL)
    {
      /* The list works without names; the filter just offers "All tenants". */
      g_debug ("No tenant list: %s", error->message);
      return;
    }

  overview = response->payload;
  self->syncing_controls = TRUE;
  for (guint i = 0; i < overview->tenants->len; i++)
    {
      AtlasTenantSummary *tenant = g_ptr_array_index (overview->tenants, i);
      gint64 id = atlas_tenant_summary_get_id (tenant);
      const char *name = atlas_tenant_summary_get_name (tenant);

      g_array_append_val (self->tenant_ids, id);
      gtk_string_list_append (self->tenant_names, name != NULL ? name : "—");
      if (id == self->tenant_id)
        selected = self->tenant_ids->len - 1;
    }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->tenant_dropdown), selected);
  self->syncing_controls = FALSE;
}

static void
tab_toggled_cb (AtlasOperationsList *self,
                GtkToggleButton     *button)
{
  if (self->syncing_controls || !gtk_toggle_button_get_active (button))
    return;
  for (guint t = 0; t < ATLAS_N_TABS; t++)
    if (self->tab_buttons[t] == GTK_WIDGET (button))
      atlas_operations_list_set_tab (self, t);
}

static void
tenant_selected_cb (AtlasOperationsList *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->tenant_dropdown));

  if (self->syncing_controls || selected >= self->tenant_ids->len)
    return;
  atlas_operations_list_set_tenant (self, g_array_index (self->tenant_ids, gint64, selected));
}

static void
type_selected_cb (AtlasOperationsList *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->type_dropdown));

  if (self->syncing_controls || selected >= self->type_ids->len)
    return;
  atlas_operations_list_set_type (self, g_ptr_array_index (self->type_ids, selected));
}

static void
atlas_operations_list_refresh (AtlasPage *page)
{
  AtlasOperationsList *self = ATLAS_OPERATIONS_LIST (page);

  atlas_resource_refresh (self->resource);
}

static void
atlas_operations_list_page_iface_init (AtlasPageInterface *iface)
{
  iface->refresh = atlas_operations_list_refresh;
}

static void
search_changed_cb (AtlasOperationsList *self,
                   GtkSearchEntry      *entry)
{
  atlas_operations_list_set_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AtlasOperationsList *self = ATLAS_OPERATIONS_LIST (widget);

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

static void
show_new_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AtlasOperationsList *self = ATLAS_OPERATIONS_LIST (widget);
  g_autoptr(AtlasResponse) pending = NULL;

  if (self->pending == NULL)
    return;
  pending = atlas_response_ref (self->pending);
  atlas_set_int64_property (G_OBJECT (self), &self->server_time, pending->server_time, properties[PROP_SERVER_TIME]);
  apply_runs (self, ((AtlasRunPage *) pending->payload)->runs);
  /* They asked to see the new runs, and those are at the top. */
  scroll_to_top (self);
}

static void
previous_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AtlasOperationsList *self = ATLAS_OPERATIONS_LIST (widget);

  atlas_operations_list_set_page (self, self->page - 1);
}

static void
next_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AtlasOperationsList *self = ATLAS_OPERATIONS_LIST (widget);

  atlas_operations_list_set_page (self, self->page + 1);
}

static void
atlas_operations_list_dispose (GObject *object)
{
  AtlasOperationsList *self = (AtlasOperationsList *)object;

  g_cancellable_cancel (self->overview_cancellable);
  g_clear_object (&self->resource);
  g_clear_pointer (&self->pending, atlas_response_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_OPERATIONS_LIST);

  G_OBJECT_CLASS (atlas_operations_list_parent_class)->dispose (object);
}

static void
atlas_operations_list_finalize (GObject *object)
{
  AtlasOperationsList *self = (AtlasOperationsList *)object;

  g_clear_object (&self->overview_cancellable);
  g_clear_object (&self->runs);
  g_clear_object (&self->tenant_names);
  g_clear_object (&self->type_labels);
  g_clear_pointer (&self->tenant_ids, g_array_unref);
  g_clear_pointer (&self->type_ids, g_ptr_array_unref);
  g_free (self->type);
  g_free (self->q);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (atlas_operations_list_parent_class)->finalize (object);
}

static void
atlas_operations_list_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AtlasOperationsList *self = ATLAS_OPERATIONS_LIST (object);

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
atlas_operations_list_class_init (AtlasOperationsListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_operations_list_dispose;
  object_class->finalize = atlas_operations_list_finalize;
  object_class->get_property = atlas_operations_list_get_property;

  g_object_class_override_property (object_class, PROP_TITLE, "title");
  g_object_class_override_property (object_class, PROP_SUBTITLE, "subtitle");
  properties[PROP_TITLE] = g_object_class_find_property (object_class, "title");
  properties[PROP_SUBTITLE] = g_object_class_find_property (object_class, "subtitle");
  /* The server time of the rows on screen; their ages are relative to it. */
  properties[PROP_SERVER_TIME] =
    g_param_spec_int64 ("server-time", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_SERVER_TIME, properties[PROP_SERVER_TIME]);
  g_type_ensure (ATLAS_TYPE_RUN_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-operations-list.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, root_box);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, tabs_box);
  gtk_widget_class_bind_template_child_full (widget_class, "tab_all", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_buttons[ATLAS_TAB_ALL]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_active", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_buttons[ATLAS_TAB_ACTIVE]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_stale", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_buttons[ATLAS_TAB_ACTIVE_STALE_ATTENTION]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_follow_up", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_buttons[ATLAS_TAB_TERMINAL_FOLLOW_UP]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_completed", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_buttons[ATLAS_TAB_COMPLETED]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_all_label", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_labels[ATLAS_TAB_ALL]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_active_label", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_labels[ATLAS_TAB_ACTIVE]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_stale_label", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_labels[ATLAS_TAB_ACTIVE_STALE_ATTENTION]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_follow_up_label", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_labels[ATLAS_TAB_TERMINAL_FOLLOW_UP]));
  gtk_widget_class_bind_template_child_full (widget_class, "tab_completed_label", FALSE,
                                             G_STRUCT_OFFSET (AtlasOperationsList, tab_labels[ATLAS_TAB_COMPLETED]));
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, tenant_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, page_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, offline_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, new_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, new_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, stack);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AtlasOperationsList, list);
  gtk_widget_class_bind_template_callback (widget_class, tab_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, tenant_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, type_selected_cb);

  gtk_widget_class_install_action (widget_class, "list.show-new", NULL, show_new_action);
  /* The window's Ctrl+F asks the visible page for this. */
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "list.previous-page", NULL, previous_page_action);
  gtk_widget_class_install_action (widget_class, "list.next-page", NULL, next_page_action);
}

static void
atlas_operations_list_init (AtlasOperationsList *self)
{
  const char *all_tenants[] = { _("All tenants"), NULL };
  const char *all_types[] = { _("All types"), NULL };
  gint64 none = 0;

  gtk_widget_init_template (GTK_WIDGET (self));
  atlas_accessible_name_buttons (GTK_WIDGET (self));

  self->overview_cancellable = g_cancellable_new ();
  self->runs = g_list_store_new (ATLAS_TYPE_RUN);
  self->server_time = ATLAS_TIME_NONE;
  self->tab = ATLAS_TAB_ALL;
  self->page = 1;
  self->generation = 1;
  self->title = g_strdup (_("Operations"));

  self->tenant_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->tenant_ids, none);
  self->tenant_names = gtk_string_list_new (all_tenants);
  self->type_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->type_ids, NULL);
  self->type_labels = gtk_string_list_new (all_types);

  self->syncing_controls = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->tenant_dropdown), G_LIST_MODEL (self->tenant_names));
  {
    /* 480 tenants: the filter's popup searches them by name. */
    g_autoptr(GtkExpression) name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (GTK_DROP_DOWN (self->tenant_dropdown), name);
  }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->type_dropdown), G_LIST_MODEL (self->type_labels));
  self->syncing_controls = FALSE;

  atlas_run_list_set_model (ATLAS_RUN_LIST (self->list), G_LIST_MODEL (self->runs));
  render_pager (self);
  set_pending (self, NULL, 0);
}

/**
 * atlas_operations_list_new:
 * @clock: (nullable): the timer's clock; %NULL for the real one (tests pass a manual one)
 * @tenant_id: a tenant to show only, without a tenant filter; 0 for the whole workspace
 *
 * Starts loading the first page of "All" at once; later fetches follow the list's
 * polling rule while the widget is visible.
 */
GtkWidget *
atlas_operations_list_new (AtlasClient *client,
                           AtlasClock  *clock,
                           gint64       workspace_id,
                           gint64       tenant_id)
{
  AtlasOperationsList *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (tenant_id >= 0, NULL);

  self = g_object_new (ATLAS_TYPE_OPERATIONS_LIST, NULL);
  self->workspace_id = workspace_id;
  self->fixed_tenant_id = tenant_id;
  self->tenant_id = tenant_id;
  self->resource = atlas_resource_new (client, clock, fetch_operations, self);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  g_signal_connect_object (self->resource, "failed", G_CALLBACK (failed_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_resource_get_poller (self->resource));

  gtk_widget_set_visible (self->tenant_dropdown, tenant_id == 0);
  /* Once, and not after a 401 ended the session: the list works without names. */
  if (tenant_id == 0 && atlas_client_get_session_error (client) == NULL)
    atlas_client_get_overview_async (client, workspace_id, self->overview_cancellable, overview_cb, self);
  atlas_resource_load (self->resource);

  return GTK_WIDGET (self);
}

void
atlas_operations_list_set_tab (AtlasOperationsList *self,
                               AtlasTab             tab)
{
  g_return_if_fail (ATLAS_IS_OPERATIONS_LIST (self));
  g_return_if_fail (tab < ATLAS_N_TABS);

  if (self->tab == tab)
    return;
  self->tab = tab;
  self->page = 1;
  self->syncing_controls = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->tab_buttons[tab]), TRUE);
  self->syncing_controls = FALSE;
  navigate (self);
}

AtlasTab
atlas_operations_list_get_tab (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), ATLAS_TAB_ALL);
  return self->tab;
}

void
atlas_operations_list_set_tenant (AtlasOperationsList *self,
                                  gint64               tenant_id)
{
  guint selected = 0;

  g_return_if_fail (ATLAS_IS_OPERATIONS_LIST (self));
  g_return_if_fail (tenant_id >= 0);

  if (self->tenant_id == tenant_id)
    return;
  self->tenant_id = tenant_id;
  self->page = 1;
  for (guint i = 0; i < self->tenant_ids->len; i++)
    if (g_array_index (self->tenant_ids, gint64, i) == tenant_id)
      selected = i;
  self->syncing_controls = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->tenant_dropdown), selected);
  self->syncing_controls = FALSE;
  navigate (self);
}

/**
 * atlas_operations_list_set_search:
 * @text: (nullable): a tenant name, a type label or a run number (#42); blank for none
 *
 * The server's q: one more filter on every tab (and on the tab counts).
 */
void
atlas_operations_list_set_search (AtlasOperationsList *self,
                                  const char          *text)
{
  g_autofree char *q = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_return_if_fail (ATLAS_IS_OPERATIONS_LIST (self));

  if (*q == '\0')
    g_clear_pointer (&q, g_free);
  if (g_strcmp0 (self->q, q) == 0)
    return;
  g_free (self->q);
  self->q = g_steal_pointer (&q);
  self->page = 1;
  navigate (self);
}

const char *
atlas_operations_list_get_search (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), NULL);
  return self->q;
}

void
atlas_operations_list_set_type (AtlasOperationsList *self,
                                const char          *type)
{
  guint selected = 0;

  g_return_if_fail (ATLAS_IS_OPERATIONS_LIST (self));

  if (g_strcmp0 (self->type, type) == 0)
    return;
  g_free (self->type);
  self->type = g_strdup (type);
  self->page = 1;

  for (guint i = 1; i < self->type_ids->len && selected == 0; i++)
    if (g_strcmp0 (g_ptr_array_index (self->type_ids, i), type) == 0)
      selected = i;
  self->syncing_controls = TRUE;
  if (type != NULL && selected == 0)
    {
      /* Not seen on a page yet: offer it under its machine name until it is. */
      selected = self->type_ids->len;
      g_ptr_array_add (self->type_ids, g_strdup (type));
      gtk_string_list_append (self->type_labels, type);
    }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->type_dropdown), selected);
  self->syncing_controls = FALSE;
  navigate (self);
}

void
atlas_operations_list_set_page (AtlasOperationsList *self,
                                gint64               page)
{
  g_return_if_fail (ATLAS_IS_OPERATIONS_LIST (self));

  page = MAX (page, 1);
  if (self->n_pages > 0)
    page = MIN (page, self->n_pages);
  if (self->page == page)
    return;
  self->page = page;
  navigate (self);
}

gint64
atlas_operations_list_get_page (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), 1);
  return self->page;
}

/* 0 until the first answer. */
gint64
atlas_operations_list_get_n_pages (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), 0);
  return self->n_pages;
}

GListModel *
atlas_operations_list_get_runs (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), NULL);
  return G_LIST_MODEL (self->runs);
}

AtlasPoller *
atlas_operations_list_get_poller (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

guint
atlas_operations_list_get_pending_new (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), 0);
  return self->pending_new;
}

/* "loading", "list", "empty" or "error". */
const char *
atlas_operations_list_get_state (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

/* The text on a tab as shown, "Active 4" once counts are known. */
const char *
atlas_operations_list_get_tab_label (AtlasOperationsList *self,
                                     AtlasTab             tab)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), NULL);
  g_return_val_if_fail (tab < ATLAS_N_TABS, NULL);
  return gtk_label_get_text (GTK_LABEL (self->tab_labels[tab]));
}

gboolean
atlas_operations_list_get_offline_shown (AtlasOperationsList *self)
{
  g_return_val_if_fail (ATLAS_IS_OPERATIONS_LIST (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->offline_revealer));
}
