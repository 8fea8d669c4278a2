/* atlas-run-detail.c — the canonical run detail, decision first
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What state, is it stuck, what to do — then the details. Everything about the run's
 * status comes from the presenter; this file only lays it out. Its timer is the run
 * watcher's poller, fed by atlas-visibility.
 */

#define G_LOG_DOMAIN "atlas-run-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "atlas-duration.h"
#include "atlas-json.h"
#include "atlas-run-detail-private.h"
#include "atlas-page.h"
#include "atlas-run-presenter.h"
#include "atlas-status-badge.h"
#include "atlas-ui-util.h"
#include "atlas-visibility.h"

struct _AtlasRunDetail
{
  GtkWidget        parent_instance;

  AtlasClient     *client;
  AtlasRunWatcher *watcher;
  gint64           run_id;
  char            *title;
  char            *subtitle;
  GPtrArray       *failure_rows;

  GtkWidget       *root_box;
  GtkWidget       *offline_revealer;
  GtkWidget       *offline_label;
  GtkWidget       *stack;
  GtkWidget       *error_page;
  GtkWidget       *decision_box;
  GtkWidget       *context_label;
  GtkWidget       *status_badge;
  GtkWidget       *freshness_badge;
  GtkWidget       *headline;
  GtkWidget       *guidance;
  GtkWidget       *progress_box;
  GtkWidget       *progress;
  GtkWidget       *progress_label;
  GtkWidget       *details_group;
  GtkWidget       *tenant_row;
  GtkWidget       *type_row;
  GtkWidget       *initiator_row;
  GtkWidget       *created_row;
  GtkWidget       *started_row;
  GtkWidget       *progressed_row;
  GtkWidget       *completed_row;
  GtkWidget       *raw_status_row;
  GtkWidget       *counts_row;
  GtkWidget       *web_row;
  GtkWidget       *failures_group;
  GtkWidget       *lineage_group;
  GtkWidget       *reconciled_at_row;
  GtkWidget       *previous_status_row;
  GtkWidget       *reason_row;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void atlas_run_detail_page_iface_init (AtlasPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtlasRunDetail, atlas_run_detail, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATLAS_TYPE_PAGE, atlas_run_detail_page_iface_init))

static char *
format_local (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == ATLAS_TIME_NONE)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (t);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("—");
}

/* "2026-11-22 10:58:04 · 35 min ago", in local time; hidden when the server sent none. */
static void
set_time_row (GtkWidget *row,
              gint64     t,
              gint64     now)
{
  g_autofree char *when = NULL;
  g_autofree char *ago = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (row, t != ATLAS_TIME_NONE);
  if (t == ATLAS_TIME_NONE)
    return;
  when = format_local (t);
  ago = atlas_format_duration (atlas_time_diff (now, t));
  /* TRANSLATORS: a timestamp and how long ago it was, "2026-11-22 10:58:04 · 35 min ago" */
  text = g_strdup_printf (_("%s · %s ago"), when, ago);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
}

static void
set_title (AtlasRunDetail *self,
           const char     *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* The tenant under "Run #15": which customer a run belongs to matters more there
 * than the workspace. */
static void
set_subtitle (AtlasRunDetail *self,
              const char     *subtitle)
{
  if (g_strcmp0 (self->subtitle, subtitle) == 0)
    return;
  g_free (self->subtitle);
  self->subtitle = g_strdup (subtitle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

static void
render_counts (AtlasRunDetail *self,
               AtlasRun       *run)
{
  const AtlasSummaryCounts *counts = atlas_run_get_summary_counts (run);
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < ATLAS_N_COUNTS; k++)
    {
      gint64 v;

      if (atlas_summary_counts_get (counts, k, &v))
        g_string_append_printf (s, "%s%s %" G_GINT64_FORMAT, s->len ? " · " : "",
                                atlas_count_key_label (k), v);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->counts_row), s->len ? s->str : _("None reported"));
  g_string_free (s, TRUE);
}

static void
render_failures (AtlasRunDetail *self,
                 AtlasRun       *run)
{
  guint n = atlas_run_get_n_failures (run);

  for (guint i = 0; i < self->failure_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->failures_group),
                                  g_ptr_array_index (self->failure_rows, i));
  g_ptr_array_set_size (self->failure_rows, 0);

  for (guint i = 0; i < n; i++)
    {
      const AtlasFailureEntry *f = atlas_run_get_failure (run, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), f->message ? f->message : "—");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), f->reason_code ? f->reason_code : "");
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->failures_group), row);
      g_ptr_array_add (self->failure_rows, row);
    }
  gtk_widget_set_visible (self->failures_group, n > 0);
}

static void
set_tone_class (GtkWidget *widget,
                AtlasTone  tone)
{
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "accent");
  if (tone != ATLAS_TONE_NEUTRAL)
    gtk_widget_add_css_class (widget, atlas_tone_to_string (tone));
}

static void
render_run (AtlasRunDetail *self,
            AtlasRun       *run,
            gint64          now)
{
  g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, now);
  g_autofree char *title = NULL;
  g_autofree char *context = NULL;
  const char *tenant = atlas_run_get_tenant_name (run) ? atlas_run_get_tenant_name (run) : "—";
  const char *type = atlas_run_get_type_label (run) ? atlas_run_get_type_label (run) : "—";

  /* Which run this is, then the decision. */
  context = g_strdup_printf ("%s · %s", type, tenant);
  gtk_label_set_label (GTK_LABEL (self->context_label), context);
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (self->status_badge), &p->status_badge);
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (self->freshness_badge),
                                p->has_freshness_badge ? &p->freshness_badge : NULL);
  gtk_label_set_label (GTK_LABEL (self->headline), p->headline);
  gtk_label_set_label (GTK_LABEL (self->guidance), p->guidance ? p->guidance : "");
  gtk_widget_set_visible (self->guidance, p->guidance != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->headline),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, p->accessible_description, -1);
  /* The headline takes the colour of the status badge; attention adds the edge. */
  set_tone_class (self->headline, p->status_badge.tone == ATLAS_TONE_ACCENT ? ATLAS_TONE_NEUTRAL
                                                                            : p->status_badge.tone);
  if (p->attention)
    gtk_widget_add_css_class (self->decision_box, "attention");
  else
    gtk_widget_remove_css_class (self->decision_box, "attention");
  /* Not the .error/.warning label classes: those would colour every child's text. */
  if (p->status_badge.tone == ATLAS_TONE_ERROR)
    gtk_widget_add_css_class (self->decision_box, "tone-error");
  else
    gtk_widget_remove_css_class (self->decision_box, "tone-error");

  switch (p->progress)
    {
    case ATLAS_PROGRESS_DETERMINATE:
      gtk_widget_set_visible (self->progress_box, TRUE);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), p->fraction);
      gtk_label_set_label (GTK_LABEL (self->progress_label), p->counts_text);
      gtk_widget_set_visible (self->progress_label, TRUE);
      /* The bar is read by its "120 / 369", not by a bare percentage. */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->progress),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->progress_label, NULL,
                                      -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, p->counts_text ? p->counts_text : "",
                                      -1);
      break;
    case ATLAS_PROGRESS_INDETERMINATE:
      /* One pulse per answer: the bar moves when news arrives, and no animation
       * timer runs between polls. The elapsed time is already in the headline. */
      gtk_widget_set_visible (self->progress_box, TRUE);
      gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
      gtk_widget_set_visible (self->progress_label, FALSE);
      /* No count to read: the bar says what the headline says. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, p->headline ? p->headline : "",
                                      -1);
      break;
    case ATLAS_PROGRESS_NONE:
    default:
      gtk_widget_set_visible (self->progress_box, FALSE);
      break;
    }
  if (p->attention)
    gtk_widget_add_css_class (self->progress, "warning");
  else
    gtk_widget_remove_css_class (self->progress, "warning");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->tenant_row), tenant);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->type_row), type);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->initiator_row),
                               atlas_run_get_initiator_name (run) ? atlas_run_get_initiator_name (run)
                                                                  : _("The system (scheduled run)"));
  set_time_row (self->created_row, atlas_run_get_created_at (run), now);
  set_time_row (self->started_row, atlas_run_get_started_at (run), now);
  set_time_row (self->progressed_row, atlas_run_get_last_progress_at (run), now);
  set_time_row (self->completed_row, atlas_run_get_completed_at (run), now);

  /* An unknown state is shown as the server wrote it, so someone can look it up. */
  gtk_widget_set_visible (self->raw_status_row, p->lifecycle == ATLAS_LIFECYCLE_UNKNOWN);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->raw_status_row),
                               atlas_run_get_status_text (run) ? atlas_run_get_status_text (run)
                                                               : _("(none)"));
  render_counts (self, run);
  render_failures (self, run);

  gtk_widget_set_visible (self->web_row, atlas_run_get_web_url (run) != NULL);
  if (atlas_run_get_web_url (run) != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->web_row), atlas_run_get_web_url (run));

  gtk_widget_set_visible (self->lineage_group, atlas_run_get_reconciliation_reason (run) != NULL ||
                                               atlas_run_get_reconciled_at (run) != ATLAS_TIME_NONE);
  if (gtk_widget_get_visible (self->lineage_group))
    {
      const char *previous = atlas_run_get_previous_status (run);

      set_time_row (self->reconciled_at_row, atlas_run_get_reconciled_at (run), now);
      gtk_widget_set_visible (self->previous_status_row, previous != NULL);
      if (previous != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (self->previous_status_row),
                                     atlas_run_status_label (atlas_run_status_from_string (previous)));
      gtk_widget_set_visible (self->reason_row, atlas_run_get_reconciliation_reason (run) != NULL);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reason_row),
                                   atlas_run_get_reconciliation_reason (run) ? atlas_run_get_reconciliation_reason (run) : "");
    }

  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, atlas_run_get_id (run));
    /* TRANSLATORS: the window title of one operation run, "Run #15" */
    title = g_strdup_printf (_("Run #%s"), id);
  }
  set_title (self, title);
  set_subtitle (self, atlas_run_get_tenant_name (run));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "run");
}

static void
show_error_page (AtlasRunDetail               *self,
                 const AtlasErrorPresentation *presentation)
{
  atlas_status_page_show_error (ADW_STATUS_PAGE (self->error_page), presentation);
  set_title (self, presentation->title);
  set_subtitle (self, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
}

static void
render (AtlasRunDetail *self)
{
  AtlasRun *run = atlas_run_watcher_get_run (self->watcher);
  g_autoptr(AtlasErrorPresentation) p = atlas_run_watcher_present_error (self->watcher);

  if (p != NULL && !p->keeps_data)
    {
      /* 401/403/404: the last data is no longer ours to show. */
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->offline_revealer), FALSE);
      show_error_page (self, p);
      return;
    }

  if (run != NULL)
    render_run (self, run, atlas_run_watcher_get_server_time (self->watcher));
  else if (p != NULL)
    show_error_page (self, p);

  /* Retrying over the last good data: how old it is, and when the next try goes out. */
  if (p != NULL && p->banner != NULL)
    gtk_label_set_label (GTK_LABEL (self->offline_label), p->banner);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->offline_revealer),
                                 p != NULL && p->banner != NULL && run != NULL);
}

static void
watcher_updated_cb (AtlasRunWatcher *watcher,
                    AtlasRunDetail  *self)
{
  render (self);
}

static void
web_row_activated_cb (AtlasRunDetail *self)
{
  AtlasRun *run = atlas_run_watcher_get_run (self->watcher);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (run != NULL && atlas_run_get_web_url (run) != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, atlas_run_get_web_url (run),
                  GDK_CURRENT_TIME);
}

/* Ctrl+R / F5 from the window: fetch now (not after 401/403/404). */
static void
atlas_run_detail_refresh (AtlasPage *page)
{
  AtlasRunDetail *self = ATLAS_RUN_DETAIL (page);

  atlas_poller_refresh_now (atlas_run_watcher_get_poller (self->watcher));
}

static void
atlas_run_detail_page_iface_init (AtlasPageInterface *iface)
{
  iface->refresh = atlas_run_detail_refresh;
}

static void
atlas_run_detail_dispose (GObject *object)
{
  AtlasRunDetail *self = (AtlasRunDetail *)object;

  /* Disposing the watcher cancels its request: a late answer paints nothing. */
  if (self->watcher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watcher, self);
      g_object_run_dispose (G_OBJECT (self->watcher));
      g_clear_object (&self->watcher);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_RUN_DETAIL);

  G_OBJECT_CLASS (atlas_run_detail_parent_class)->dispose (object);
}

static void
atlas_run_detail_finalize (GObject *object)
{
  AtlasRunDetail *self = (AtlasRunDetail *)object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->failure_rows, g_ptr_array_unref);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (atlas_run_detail_parent_class)->finalize (object);
}

static void
atlas_run_detail_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AtlasRunDetail *self = ATLAS_RUN_DETAIL (object);

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
atlas_run_detail_class_init (AtlasRunDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_run_detail_dispose;
  object_class->finalize = atlas_run_detail_finalize;
  object_class->get_property = atlas_run_detail_get_property;

  g_object_class_override_property (object_class, PROP_TITLE, "title");
  g_object_class_override_property (object_class, PROP_SUBTITLE, "subtitle");
  properties[PROP_TITLE] = g_object_class_find_property (object_class, "title");
  properties[PROP_SUBTITLE] = g_object_class_find_property (object_class, "subtitle");

  g_type_ensure (ATLAS_TYPE_STATUS_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-run-detail.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, root_box);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, offline_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, decision_box);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, context_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, status_badge);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, freshness_badge);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, headline);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, guidance);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, progress_box);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, progress);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, details_group);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, type_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, initiator_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, created_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, started_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, progressed_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, completed_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, raw_status_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, counts_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, web_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, failures_group);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, lineage_group);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, reconciled_at_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, previous_status_row);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunDetail, reason_row);
  gtk_widget_class_bind_template_callback (widget_class, web_row_activated_cb);
}

static void
atlas_run_detail_init (AtlasRunDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->failure_rows = g_ptr_array_new ();
  gtk_widget_set_visible (self->freshness_badge, FALSE);
  gtk_widget_set_visible (self->failures_group, FALSE);
  gtk_widget_set_visible (self->lineage_group, FALSE);
  gtk_progress_bar_set_pulse_step (GTK_PROGRESS_BAR (self->progress), 0.1);
}

/**
 * atlas_run_detail_new:
 * @clock: (nullable): the timer's clock; %NULL for the real one (tests pass a manual one)
 *
 * Starts loading at once; later fetches follow the run-detail polling rule while the
 * widget is visible.
 */
GtkWidget *
atlas_run_detail_new (AtlasClient *client,
                      AtlasClock  *clock,
                      gint64       workspace_id,
                      gint64       run_id)
{
  AtlasRunDetail *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_RUN_DETAIL, NULL);
  self->client = g_object_ref (client);
  self->run_id = run_id;
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
    self->title = g_strdup_printf (_("Run #%s"), id);
  }
  self->watcher = atlas_run_watcher_new (client, clock, workspace_id, run_id);
  g_signal_connect (self->watcher, "updated", G_CALLBACK (watcher_updated_cb), self);
  atlas_visibility_track (GTK_WIDGET (self), atlas_run_watcher_get_poller (self->watcher));
  atlas_run_watcher_start (self->watcher);

  return GTK_WIDGET (self);
}

AtlasRunWatcher *
atlas_run_detail_get_watcher (AtlasRunDetail *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), NULL);
  return self->watcher;
}

const char *
atlas_run_detail_get_title (AtlasRunDetail *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), NULL);
  return self->title;
}

const char *
atlas_run_detail_get_state (AtlasRunDetail *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

const char *
atlas_run_detail_get_headline (AtlasRunDetail *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->headline));
}

const char *
atlas_run_detail_get_freshness_label (AtlasRunDetail *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), NULL);
  if (!gtk_widget_get_visible (self->freshness_badge))
    return NULL;
  return atlas_status_badge_get_label (ATLAS_STATUS_BADGE (self->freshness_badge));
}

gboolean
atlas_run_detail_get_offline_shown (AtlasRunDetail *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->offline_revealer));
}

/* Shows RUN as of server time NOW, as an answer of the watcher would (tests). */
void
atlas_run_detail_render_run (AtlasRunDetail *self,
                             AtlasRun       *run,
                             gint64          now)
{
  g_return_if_fail (ATLAS_IS_RUN_DETAIL (self));
  g_return_if_fail (ATLAS_IS_RUN (run));
  render_run (self, run, now);
}

/* Returns: (transfer none) (nullable): "status-badge", "freshness-badge", "headline",
 * "progress" or "progress-label" (tests read what a screen reader gets from them) */
GtkWidget *
atlas_run_detail_get_part (AtlasRunDetail *self,
                           const char     *name)
{
  g_return_val_if_fail (ATLAS_IS_RUN_DETAIL (self), NULL);
  if (g_str_equal (name, "status-badge"))
    return self->status_badge;
  if (g_str_equal (name, "freshness-badge"))
    return self->freshness_badge;
  if (g_str_equal (name, "headline"))
    return self->headline;
  if (g_str_equal (name, "progress"))
    return self->progress;
  if (g_str_equal (name, "progress-label"))
    return self->progress_label;
  return NULL;
}
