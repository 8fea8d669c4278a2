/* test-search.c — finding things among many: the list's search (q), the tenant filter's
 * search, the overview's tenant filter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "atlas-operations-list-private.h"
#include "atlas-overview-private.h"
#include "atlas-run-list-private.h"
#include "atlas-run-row-private.h"
#include "atlas-tenant-dashboard-private.h"
#include "atlas-test-ui.h"
#include "atlas-window-private.h"

typedef AtlasTestFixture Fixture;

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack != NULL ? haystack : "", -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

static AtlasOperationsList *
open_list (Fixture *f)
{
  GtkWidget *list = atlas_operations_list_new (f->client, f->clock, 1, 0);

  atlas_test_show (f, list);
  atlas_test_settle (atlas_operations_list_get_poller (ATLAS_OPERATIONS_LIST (list)));
  return ATLAS_OPERATIONS_LIST (list);
}

/* Types into the list's search entry as a user would, and waits for the answer. */
static void
type_search (Fixture             *f,
             AtlasOperationsList *list,
             const char          *text)
{
  GtkWidget *entry = atlas_test_find_descendant (atlas_test_find_descendant (GTK_WIDGET (list), GTK_TYPE_SEARCH_BAR),
                                                 GTK_TYPE_SEARCH_ENTRY);
  gint64 limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_nonnull (entry);
  gtk_widget_activate_action (GTK_WIDGET (list), "page.search", NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* GtkSearchEntry reports a change after a short pause (real time). */
  while (g_strcmp0 (atlas_operations_list_get_search (list), text) != 0 && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (atlas_operations_list_get_search (list), ==, text);
  atlas_test_settle (atlas_operations_list_get_poller (list));
}

static AtlasRun *
run_at (AtlasOperationsList *list,
        guint                i)
{
  g_autoptr(AtlasRun) run = g_list_model_get_item (atlas_operations_list_get_runs (list), i);

  return run;   /* the list's store keeps it */
}

static void
test_list_search (Fixture       *f,
                  gconstpointer  data)
{
  AtlasOperationsList *list = open_list (f);
  GListModel *runs = atlas_operations_list_get_runs (list);
  guint all = g_list_model_get_n_items (runs);
  g_autofree char *tenant = NULL;
  g_autofree char *type = NULL;
  g_autofree char *number = NULL;
  gint64 id;

  g_assert_cmpuint (all, >, 2);
  /* Something to look for: the last run on the page. */
  tenant = g_strdup (atlas_run_get_tenant_name (run_at (list, all - 1)));
  type = g_strdup (atlas_run_get_type_label (run_at (list, all - 1)));
  id = atlas_run_get_id (run_at (list, all - 1));
  number = g_strdup_printf ("#%" G_GINT64_FORMAT, id);

  /* A tenant's name, typed in another case: only its runs. */
  {
    g_autofree char *upper = g_utf8_strup (tenant, -1);

    type_search (f, list, upper);
  }
  g_assert_cmpuint (g_list_model_get_n_items (runs), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    g_assert_true (contains_casefold (atlas_run_get_tenant_name (run_at (list, i)), tenant) ||
                   contains_casefold (atlas_run_get_type_label (run_at (list, i)), tenant));

  /* A type's label. */
  type_search (f, list, type);
  g_assert_cmpuint (g_list_model_get_n_items (runs), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    g_assert_true (contains_casefold (atlas_run_get_type_label (run_at (list, i)), type) ||
                   contains_casefold (atlas_run_get_tenant_name (run_at (list, i)), type));

  /* A run number: that run alone. */
  type_search (f, list, number);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  g_assert_cmpint (atlas_run_get_id (run_at (list, 0)), ==, id);
  /* Its row says which run it is. */
  {
    AtlasRunList *view = ATLAS_RUN_LIST (atlas_test_find_descendant (GTK_WIDGET (list), ATLAS_TYPE_RUN_LIST));
    AtlasRunRow *row;
    gint64 limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while ((row = atlas_run_list_get_row (view, 0)) == NULL && g_get_monotonic_time () < limit)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (row);
    g_assert_true (g_str_has_prefix (atlas_run_row_get_meta_text (row), number));
  }

  /* Nothing found says so; clearing the search brings every run back. */
  type_search (f, list, "no tenant is called this");
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 0);
  g_assert_cmpstr (atlas_operations_list_get_state (list), ==, "empty");
  gtk_editable_set_text (GTK_EDITABLE (atlas_test_find_descendant (atlas_test_find_descendant (GTK_WIDGET (list),
                                                                                              GTK_TYPE_SEARCH_BAR),
                                                                  GTK_TYPE_SEARCH_ENTRY)), "");
  while (atlas_operations_list_get_search (list) != NULL)
    g_main_context_iteration (NULL, TRUE);
  atlas_test_settle (atlas_operations_list_get_poller (list));
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, all);
}

static void
test_tenant_filter_search (Fixture       *f,
                           gconstpointer  data)
{
  AtlasOperationsList *list = open_list (f);
  GtkWidget *dropdown = atlas_test_find_descendant (GTK_WIDGET (list), GTK_TYPE_DROP_DOWN);
  GListModel *names;
  GtkWidget *entry, *popup_list;
  GListModel *shown;
  const char *wanted;
  gint64 limit;
  guint n_names;

  /* The tenant filter comes first; its names arrive with the overview. */
  g_assert_nonnull (dropdown);
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (names) < 3 && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  n_names = g_list_model_get_n_items (names);
  g_assert_cmpuint (n_names, >=, 3);
  g_assert_true (gtk_drop_down_get_enable_search (GTK_DROP_DOWN (dropdown)));
  wanted = gtk_string_list_get_string (GTK_STRING_LIST (names), n_names - 1);

  /* Its popup has a search entry; typing a name leaves the tenants that match. */
  entry = atlas_test_find_descendant (dropdown, GTK_TYPE_SEARCH_ENTRY);
  popup_list = atlas_test_find_descendant (dropdown, GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (entry);
  g_assert_nonnull (popup_list);
  shown = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (popup_list)));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_names);
  gtk_editable_set_text (GTK_EDITABLE (entry), wanted);
  limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (shown) == n_names && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (shown), <, n_names);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (shown, i);

      g_assert_true (contains_casefold (gtk_string_object_get_string (item), wanted));
    }
}

/* The entry reports its text after a short pause (real time); replacing the text
 * passes through "" (reported at once), so wait for the count that is wanted. */
static guint
wait_for_count (GListModel *model,
                guint       n)
{
  gint64 limit = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (model) != n && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  return g_list_model_get_n_items (model);
}

static void
test_overview_search (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *overview = atlas_overview_new (f->client, f->clock, 1);
  GListModel *tenants = atlas_overview_get_tenants (ATLAS_OVERVIEW (overview));
  GtkWidget *entry;
  guint all, found;
  g_autofree char *part = NULL;
  g_autofree char *name = NULL;

  atlas_test_show (f, overview);
  atlas_test_settle (atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
  all = g_list_model_get_n_items (tenants);
  g_assert_cmpuint (all, >, 2);
  {
    g_autoptr(AtlasTenantSummary) last = g_list_model_get_item (tenants, all - 1);

    name = g_strdup (atlas_tenant_summary_get_name (last));
  }
  /* A piece from the middle of a name, in lower case: that tenant, and any other
   * whose name holds it. */
  g_assert_cmpuint (strlen (name), >=, 4);
  part = g_utf8_strdown (name + 1, 3);

  gtk_widget_activate_action (overview, "page.search", NULL);
  /* (The search bar's entry, not the one inside the sort choice's popup.) */
  entry = atlas_test_find_descendant (atlas_test_find_descendant (overview, GTK_TYPE_SEARCH_BAR),
                                      GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (atlas_test_find_descendant (overview, GTK_TYPE_SEARCH_BAR))));
  found = 0;
  for (guint i = 0; i < all; i++)
    {
      g_autoptr(AtlasTenantSummary) t = g_list_model_get_item (tenants, i);

      found += contains_casefold (atlas_tenant_summary_get_name (t), part);
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), part);
  g_assert_cmpuint (wait_for_count (tenants, found), ==, found);
  g_assert_cmpuint (found, >=, 1);
  g_assert_cmpuint (found, <, all);
  for (guint i = 0; i < found; i++)
    {
      g_autoptr(AtlasTenantSummary) t = g_list_model_get_item (tenants, i);

      g_assert_true (contains_casefold (atlas_tenant_summary_get_name (t), part));
    }

  /* Nothing matches: no cards (the page says so); cleared: every tenant again. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "no tenant is called this");
  g_assert_cmpuint (wait_for_count (tenants, 0), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_cmpuint (wait_for_count (tenants, all), ==, all);

  /* The other order: by name. */
  atlas_overview_set_sort (ATLAS_OVERVIEW (overview), ATLAS_OVERVIEW_SORT_NAME);
  for (guint i = 1; i < all; i++)
    {
      g_autoptr(AtlasTenantSummary) a = g_list_model_get_item (tenants, i - 1);
      g_autoptr(AtlasTenantSummary) b = g_list_model_get_item (tenants, i);
      g_autofree char *ka = g_utf8_collate_key (atlas_tenant_summary_get_name (a), -1);
      g_autofree char *kb = g_utf8_collate_key (atlas_tenant_summary_get_name (b), -1);

      g_assert_cmpstr (ka, <=, kb);
    }
}

/* The KPI tiles and Ctrl+L open the list, on the tile's tab. */
static void
test_kpi_tiles_open_the_list (Fixture       *f,
                              gconstpointer  data)
{
  GtkWidget *page;

  gtk_window_destroy (f->window);
  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  gtk_window_present (GTK_WINDOW (f->window));
  while (atlas_window_get_workspace_id (f->window) == 0)
    g_main_context_iteration (NULL, TRUE);
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_OVERVIEW (page));

  g_assert_true (gtk_widget_activate_action (page, "win.show-operations-tab", "i",
                                             (gint32) ATLAS_TAB_ACTIVE_STALE_ATTENTION));
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_OPERATIONS_LIST (page));
  g_assert_cmpint (atlas_operations_list_get_tab (ATLAS_OPERATIONS_LIST (page)), ==,
                   ATLAS_TAB_ACTIVE_STALE_ATTENTION);
  /* Asked again on the list: the same list, another tab. */
  g_assert_true (gtk_widget_activate_action (page, "win.show-operations-tab", "i", (gint32) ATLAS_TAB_ALL));
  g_assert_true (atlas_window_get_visible_page (f->window) == page);
  g_assert_cmpint (atlas_operations_list_get_tab (ATLAS_OPERATIONS_LIST (page)), ==, ATLAS_TAB_ALL);
  atlas_test_drain (200);
}

/* "All Operations" in the header: absent before a workspace, then one click away. */
static void
test_header_all_operations (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *button, *page;

  gtk_window_destroy (f->window);
  f->window = atlas_window_new (NULL, f->client, f->clock, 0, 0, 0);
  button = atlas_window_get_all_ops_button (f->window);
  g_assert_false (gtk_widget_get_visible (button));
  gtk_window_present (GTK_WINDOW (f->window));
  while (atlas_window_get_workspace_id (f->window) == 0)
    g_main_context_iteration (NULL, TRUE);
  atlas_test_drain (50);
  g_assert_true (ATLAS_IS_OVERVIEW (atlas_window_get_visible_page (f->window)));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (f->window)));
  g_assert_true (gtk_widget_get_ancestor (button, ADW_TYPE_HEADER_BAR) != NULL);

  g_signal_emit_by_name (button, "clicked");
  page = atlas_window_get_visible_page (f->window);
  g_assert_true (ATLAS_IS_OPERATIONS_LIST (page));
  g_assert_cmpint (atlas_operations_list_get_tab (ATLAS_OPERATIONS_LIST (page)), ==, ATLAS_TAB_ALL);
  /* Pressed again on the list: the same list, on All. */
  atlas_operations_list_set_tab (ATLAS_OPERATIONS_LIST (page), ATLAS_TAB_ACTIVE_STALE_ATTENTION);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (atlas_window_get_visible_page (f->window) == page);
  g_assert_cmpint (atlas_operations_list_get_tab (ATLAS_OPERATIONS_LIST (page)), ==, ATLAS_TAB_ALL);
  atlas_test_drain (200);
}

/* First loads show a spinner (issue 14); it stops and goes away with the first answer,
 * so it costs no wakeups once data is there (759fa6a). */
static void
check_spinner (Fixture     *f,
               GtkWidget   *page,
               GtkWidget   *spinner,
               AtlasPoller *poller)
{
  /* No answer can have come yet: the main loop has not run. */
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_true (gtk_widget_get_visible (spinner));
  atlas_test_show (f, page);
  if (gtk_spinner_get_spinning (GTK_SPINNER (spinner)))
    g_assert_true (gtk_widget_get_mapped (spinner));
  atlas_test_settle (poller);
  atlas_test_drain (50);
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_false (gtk_widget_get_mapped (spinner));
}

static void
test_first_load_spinner (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *overview = atlas_overview_new (f->client, f->clock, 1);

  check_spinner (f, overview, atlas_overview_get_loading_spinner (ATLAS_OVERVIEW (overview)),
                 atlas_overview_get_poller (ATLAS_OVERVIEW (overview)));
}

static void
test_first_load_spinner_dashboard (Fixture       *f,
                                   gconstpointer  data)
{
  GtkWidget *dashboard = atlas_tenant_dashboard_new (f->client, f->clock, 3, FALSE);

  check_spinner (f, dashboard, atlas_tenant_dashboard_get_loading_spinner (ATLAS_TENANT_DASHBOARD (dashboard)),
                 atlas_tenant_dashboard_get_poller (ATLAS_TENANT_DASHBOARD (dashboard)));
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

  atlas_test_ui_add ("/ui/search/list-q", test_list_search);
  atlas_test_ui_add ("/ui/search/tenant-filter", test_tenant_filter_search);
  atlas_test_ui_add ("/ui/search/overview-filter", test_overview_search);
  atlas_test_ui_add ("/ui/search/kpi-tiles-open-the-list", test_kpi_tiles_open_the_list);
  atlas_test_ui_add ("/ui/search/header-all-operations", test_header_all_operations);
  atlas_test_ui_add ("/ui/loading/overview-spinner", test_first_load_spinner);
  atlas_test_ui_add ("/ui/loading/dashboard-spinner", test_first_load_spinner_dashboard);

  return g_test_run ();
}
