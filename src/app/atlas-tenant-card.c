/* atlas-tenant-card.c — a tenant card: name, badge, summary, from the tenant presenter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The overview's grid recycles cards: "tenant" changes when a card scrolls to another
 * tenant, and the summary object notifies when a refresh changes it in place. A
 * tenant with likely-stale work is never shown calm.
 */

#define G_LOG_DOMAIN "atlas-tenant-card"

#include "config.h"

#include "atlas-list-item-a11y.h"
#include "atlas-status-badge.h"
#include "atlas-tenant-card.h"
#include "atlas-tenant-presenter.h"

struct _AtlasTenantCard
{
  GtkWidget           parent_instance;

  AtlasTenantSummary *tenant;
  gulong              notify_id;

  GtkWidget          *box;
  GtkWidget          *name_label;
  GtkWidget          *badge;
  GtkWidget          *summary_label;
};

enum {
  PROP_0,
  PROP_TENANT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasTenantCard, atlas_tenant_card, GTK_TYPE_WIDGET)

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static void
render (AtlasTenantCard *self)
{
  g_autoptr(AtlasTenantPresentation) p = NULL;
  const char *name;

  if (self->tenant == NULL)
    return;
  p = atlas_tenant_present (self->tenant);
  name = atlas_tenant_summary_get_name (self->tenant) ? atlas_tenant_summary_get_name (self->tenant) : "—";
  gtk_label_set_label (GTK_LABEL (self->name_label), name);
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (self->badge), &p->badge);
  gtk_label_set_label (GTK_LABEL (self->summary_label), p->summary);
  set_class (GTK_WIDGET (self), "attention", p->elevated);
  set_class (GTK_WIDGET (self), "tone-error", p->badge.tone == ATLAS_TONE_ERROR);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, p->accessible_description, -1);
  atlas_list_item_mirror_accessible (GTK_WIDGET (self), name, p->accessible_description);
}

static void
tenant_notify_cb (AtlasTenantCard *self)
{
  render (self);
}

static void
atlas_tenant_card_dispose (GObject *object)
{
  AtlasTenantCard *self = (AtlasTenantCard *)object;

  atlas_tenant_card_set_tenant (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_TENANT_CARD);

  G_OBJECT_CLASS (atlas_tenant_card_parent_class)->dispose (object);
}

static void
atlas_tenant_card_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtlasTenantCard *self = ATLAS_TENANT_CARD (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_tenant_card_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AtlasTenantCard *self = ATLAS_TENANT_CARD (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      atlas_tenant_card_set_tenant (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_tenant_card_class_init (AtlasTenantCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_tenant_card_dispose;
  object_class->get_property = atlas_tenant_card_get_property;
  object_class->set_property = atlas_tenant_card_set_property;

  properties[PROP_TENANT] =
    g_param_spec_object ("tenant", NULL, NULL, ATLAS_TYPE_TENANT_SUMMARY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATLAS_TYPE_STATUS_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-tenant-card.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tenantcard");
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantCard, box);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantCard, badge);
  gtk_widget_class_bind_template_child (widget_class, AtlasTenantCard, summary_label);
}

static void
atlas_tenant_card_init (AtlasTenantCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The grid's cell is our parent only once the grid has placed us. */
  g_signal_connect (self, "notify::parent", G_CALLBACK (render), NULL);
}

GtkWidget *
atlas_tenant_card_new (void)
{
  return g_object_new (ATLAS_TYPE_TENANT_CARD, NULL);
}

AtlasTenantSummary *
atlas_tenant_card_get_tenant (AtlasTenantCard *self)
{
  g_return_val_if_fail (ATLAS_IS_TENANT_CARD (self), NULL);
  return self->tenant;
}

/* @tenant: (nullable): the summary shown; the card follows its notifications */
void
atlas_tenant_card_set_tenant (AtlasTenantCard    *self,
                              AtlasTenantSummary *tenant)
{
  g_return_if_fail (ATLAS_IS_TENANT_CARD (self));
  g_return_if_fail (tenant == NULL || ATLAS_IS_TENANT_SUMMARY (tenant));

  if (self->tenant == tenant)
    return;
  if (self->tenant != NULL)
    g_clear_signal_handler (&self->notify_id, self->tenant);
  g_set_object (&self->tenant, tenant);
  if (tenant != NULL)
    {
      self->notify_id = g_signal_connect_swapped (tenant, "notify", G_CALLBACK (tenant_notify_cb), self);
      render (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT]);
}
