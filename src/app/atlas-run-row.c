/* atlas-run-row.c — a list row that re-presents its run when the run notifies
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows hold the same AtlasRun across refreshes; atlas_run_update_from() notifies
 * only what changed, so a refresh redraws the rows that moved and nothing else.
 */

#define G_LOG_DOMAIN "atlas-run-row"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-run-presenter.h"
#include "atlas-list-item-a11y.h"
#include "atlas-run-row-private.h"
#include "atlas-status-badge.h"

struct _AtlasRunRow
{
  GtkWidget  parent_instance;

  AtlasRun  *run;
  gulong     notify_id;
  gint64     now;
  guint64    render_count;
  gboolean   hide_tenant;

  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *headline;
  GtkWidget *meta;
  GtkWidget *status_badge;
  GtkWidget *freshness_badge;
  GtkWidget *counts;
};

enum {
  PROP_0,
  PROP_RUN,
  PROP_NOW,
  PROP_HIDE_TENANT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasRunRow, atlas_run_row, GTK_TYPE_WIDGET)

/* Run number, when (started or finished), and why a failure failed: all from the
 * presenter; the number is left out where the title already has it. */
static void
render_meta (AtlasRunRow          *self,
             AtlasRunPresentation *p)
{
  g_autoptr(GString) meta = g_string_new (NULL);

  if (!self->hide_tenant)
    g_string_append_printf (meta, "#%" G_GINT64_FORMAT, atlas_run_get_id (self->run));
  if (p->when_text != NULL)
    g_string_append_printf (meta, "%s%s", meta->len > 0 ? " · " : "", p->when_text);
  if (p->failure_text != NULL)
    g_string_append_printf (meta, "%s%s", meta->len > 0 ? " — " : "", p->failure_text);
  gtk_label_set_label (GTK_LABEL (self->meta), meta->str);
  gtk_widget_set_visible (self->meta, meta->len > 0);
}

static void
render (AtlasRunRow *self)
{
  g_autoptr(AtlasRunPresentation) p = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;
  const char *type_label, *tenant_name;

  if (self->run == NULL)
    return;

  self->render_count++;
  p = atlas_run_present (self->run, self->now);
  /* On a tenant's own dashboard the tenant is said once, above; the number tells
   * runs of the same type apart. */
  if (self->hide_tenant)
    title = g_strdup_printf ("%s · #%" G_GINT64_FORMAT,
                             atlas_run_get_type_label (self->run) ? atlas_run_get_type_label (self->run) : "—",
                             atlas_run_get_id (self->run));
  else
    title = g_strdup_printf ("%s · %s",
                             atlas_run_get_tenant_name (self->run) ? atlas_run_get_tenant_name (self->run) : "—",
                             atlas_run_get_type_label (self->run) ? atlas_run_get_type_label (self->run) : "—");
  gtk_label_set_label (GTK_LABEL (self->title), title);
  /* What a screen reader says for the row: the number first, then what and where. */
  type_label = atlas_run_get_type_label (self->run) ? atlas_run_get_type_label (self->run) : "—";
  tenant_name = atlas_run_get_tenant_name (self->run);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, atlas_run_get_id (self->run));
  if (self->hide_tenant || tenant_name == NULL)
    /* Translators: a run's accessible name, e.g. "Run #15, Inventory sync" */
    name = g_strdup_printf (_("Run #%s, %s"), number, type_label);
  else
    /* Translators: a run's accessible name, e.g. "Run #15, Inventory sync, tenant Contoso" */
    name = g_strdup_printf (_("Run #%s, %s, tenant %s"), number, type_label, tenant_name);
  gtk_label_set_label (GTK_LABEL (self->headline), p->headline);
  render_meta (self, p);
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (self->status_badge), &p->status_badge);
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (self->freshness_badge),
                                p->has_freshness_badge ? &p->freshness_badge : NULL);
  /* Counts only, never a percentage, in compact rows. */
  gtk_label_set_label (GTK_LABEL (self->counts), p->counts_text ? p->counts_text : "");
  gtk_widget_set_visible (self->counts, p->counts_text != NULL);
  if (p->attention)
    gtk_widget_add_css_class (GTK_WIDGET (self), "attention");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "attention");
  /* The attention edge takes the badge's colour: red for failures, amber for stale. */
  if (p->status_badge.tone == ATLAS_TONE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self), "tone-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "tone-error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, p->accessible_description,
                                  -1);
  atlas_list_item_mirror_accessible (GTK_WIDGET (self), name, p->accessible_description);
}

static void
run_notify_cb (AtlasRun    *run,
               GParamSpec  *pspec,
               AtlasRunRow *self)
{
  render (self);
}

static void
atlas_run_row_dispose (GObject *object)
{
  AtlasRunRow *self = (AtlasRunRow *)object;

  atlas_run_row_set_run (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_RUN_ROW);

  G_OBJECT_CLASS (atlas_run_row_parent_class)->dispose (object);
}

static void
atlas_run_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AtlasRunRow *self = ATLAS_RUN_ROW (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;
    case PROP_NOW:
      g_value_set_int64 (value, self->now);
      break;
    case PROP_HIDE_TENANT:
      g_value_set_boolean (value, self->hide_tenant);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_run_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AtlasRunRow *self = ATLAS_RUN_ROW (object);

  switch (prop_id)
    {
    case PROP_RUN:
      atlas_run_row_set_run (self, g_value_get_object (value));
      break;
    case PROP_NOW:
      atlas_run_row_set_now (self, g_value_get_int64 (value));
      break;
    case PROP_HIDE_TENANT:
      atlas_run_row_set_hide_tenant (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_run_row_class_init (AtlasRunRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_run_row_dispose;
  object_class->get_property = atlas_run_row_get_property;
  object_class->set_property = atlas_run_row_set_property;

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL, ATLAS_TYPE_RUN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The server time of the answer the run came with; ages are relative to it. The
   * list binds it from its page. */
  properties[PROP_NOW] =
    g_param_spec_int64 ("now", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_TIME_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* On a tenant's own dashboard the tenant is said once, above. */
  properties[PROP_HIDE_TENANT] =
    g_param_spec_boolean ("hide-tenant", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATLAS_TYPE_STATUS_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-run-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runrow");
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, box);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, title);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, headline);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, meta);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, status_badge);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, freshness_badge);
  gtk_widget_class_bind_template_child (widget_class, AtlasRunRow, counts);
}

static void
atlas_run_row_init (AtlasRunRow *self)
{
  self->now = ATLAS_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The list's row is our parent only once the list has placed us. */
  g_signal_connect (self, "notify::parent", G_CALLBACK (render), NULL);
}

GtkWidget *
atlas_run_row_new (void)
{
  return g_object_new (ATLAS_TYPE_RUN_ROW, NULL);
}

void
atlas_run_row_set_run (AtlasRunRow *self,
                       AtlasRun    *run)
{
  g_return_if_fail (ATLAS_IS_RUN_ROW (self));
  g_return_if_fail (run == NULL || ATLAS_IS_RUN (run));

  if (self->run == run)
    return;
  if (self->run != NULL)
    g_clear_signal_handler (&self->notify_id, self->run);
  g_set_object (&self->run, run);
  if (run != NULL)
    {
      self->notify_id = g_signal_connect (run, "notify", G_CALLBACK (run_notify_cb), self);
      render (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
}

AtlasRun *
atlas_run_row_get_run (AtlasRunRow *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_ROW (self), NULL);
  return self->run;
}

/* The server time of the answer the run came with; ages are relative to it. */
void
atlas_run_row_set_now (AtlasRunRow *self,
                       gint64       now)
{
  g_return_if_fail (ATLAS_IS_RUN_ROW (self));

  if (self->now == now)
    return;
  self->now = now;
  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

void
atlas_run_row_set_hide_tenant (AtlasRunRow *self,
                               gboolean     hide_tenant)
{
  g_return_if_fail (ATLAS_IS_RUN_ROW (self));

  hide_tenant = !!hide_tenant;
  if (self->hide_tenant == hide_tenant)
    return;
  self->hide_tenant = hide_tenant;
  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDE_TENANT]);
}

guint64
atlas_run_row_get_render_count (AtlasRunRow *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_ROW (self), 0);
  return self->render_count;
}

/* The row's third line as shown ("" when hidden), for tests. */
const char *
atlas_run_row_get_meta_text (AtlasRunRow *self)
{
  g_return_val_if_fail (ATLAS_IS_RUN_ROW (self), NULL);
  return gtk_widget_get_visible (self->meta) ? gtk_label_get_label (GTK_LABEL (self->meta)) : "";
}
