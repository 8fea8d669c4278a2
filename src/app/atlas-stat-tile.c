/* atlas-stat-tile.c — a KPI tile: renders what the KPI presenter says, nothing more
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tone is the presenter's: warning gives the tile the attention edge, error the
 * red one. The page only sets "kpi" (in its template) and "value".
 */

#define G_LOG_DOMAIN "atlas-stat-tile"

#include "config.h"

#include "atlas-stat-tile.h"

struct _AtlasStatTile
{
  GtkWidget  parent_instance;

  AtlasKpi   kpi;
  gint64     value;

  GtkWidget *box;
  GtkWidget *value_label;
  GtkWidget *caption_label;
};

enum {
  PROP_0,
  PROP_KPI,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtlasStatTile, atlas_stat_tile, GTK_TYPE_WIDGET)

static void
render (AtlasStatTile *self)
{
  g_autoptr(AtlasKpiPresentation) p = atlas_kpi_present (self->kpi, self->value);

  gtk_label_set_label (GTK_LABEL (self->value_label), p->value_text);
  gtk_label_set_label (GTK_LABEL (self->caption_label), p->caption);
  if (p->tone == ATLAS_TONE_WARNING || p->tone == ATLAS_TONE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self), "attention");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "attention");
  if (p->tone == ATLAS_TONE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self), "tone-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "tone-error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, p->accessible_label, -1);
  /* A tile that is the child of a button (it opens the list on its tab) names the
   * button: "4 active operations", not an unnamed button around a group. */
  if (GTK_IS_BUTTON (gtk_widget_get_parent (GTK_WIDGET (self))))
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, p->accessible_label, -1);
}

static void
atlas_stat_tile_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (atlas_stat_tile_parent_class)->root (widget);
  render (ATLAS_STAT_TILE (widget));
}

static void
atlas_stat_tile_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ATLAS_TYPE_STAT_TILE);

  G_OBJECT_CLASS (atlas_stat_tile_parent_class)->dispose (object);
}

static void
atlas_stat_tile_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtlasStatTile *self = ATLAS_STAT_TILE (object);

  switch (prop_id)
    {
    case PROP_KPI:
      g_value_set_enum (value, self->kpi);
      break;
    case PROP_VALUE:
      g_value_set_int64 (value, self->value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_stat_tile_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AtlasStatTile *self = ATLAS_STAT_TILE (object);

  switch (prop_id)
    {
    case PROP_KPI:
      atlas_stat_tile_set_kpi (self, g_value_get_enum (value));
      break;
    case PROP_VALUE:
      atlas_stat_tile_set_value (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atlas_stat_tile_class_init (AtlasStatTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_stat_tile_dispose;
  object_class->get_property = atlas_stat_tile_get_property;
  object_class->set_property = atlas_stat_tile_set_property;
  widget_class->root = atlas_stat_tile_root;

  properties[PROP_KPI] =
    g_param_spec_enum ("kpi", NULL, NULL, ATLAS_TYPE_KPI, ATLAS_KPI_ACTIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* ATLAS_KPI_VALUE_NONE (the minimum) until the first answer. */
  properties[PROP_VALUE] =
    g_param_spec_int64 ("value", NULL, NULL, G_MININT64, G_MAXINT64, ATLAS_KPI_VALUE_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-stat-tile.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stattile");
  gtk_widget_class_bind_template_child (widget_class, AtlasStatTile, box);
  gtk_widget_class_bind_template_child (widget_class, AtlasStatTile, value_label);
  gtk_widget_class_bind_template_child (widget_class, AtlasStatTile, caption_label);
}

static void
atlas_stat_tile_init (AtlasStatTile *self)
{
  self->kpi = ATLAS_KPI_ACTIVE;
  self->value = ATLAS_KPI_VALUE_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
  render (self);
}

AtlasKpi
atlas_stat_tile_get_kpi (AtlasStatTile *self)
{
  g_return_val_if_fail (ATLAS_IS_STAT_TILE (self), ATLAS_KPI_ACTIVE);
  return self->kpi;
}

void
atlas_stat_tile_set_kpi (AtlasStatTile *self,
                         AtlasKpi       kpi)
{
  g_return_if_fail (ATLAS_IS_STAT_TILE (self));
  g_return_if_fail (kpi < ATLAS_N_KPIS);

  if (self->kpi == kpi)
    return;
  self->kpi = kpi;
  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KPI]);
}

gint64
atlas_stat_tile_get_value (AtlasStatTile *self)
{
  g_return_val_if_fail (ATLAS_IS_STAT_TILE (self), ATLAS_KPI_VALUE_NONE);
  return self->value;
}

/* A refresh with the same figure changes nothing, not even the accessible label. */
void
atlas_stat_tile_set_value (AtlasStatTile *self,
                           gint64         value)
{
  g_return_if_fail (ATLAS_IS_STAT_TILE (self));

  if (self->value == value)
    return;
  self->value = value;
  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

/* The figure as shown, "4" ("–" before the first answer). */
const char *
atlas_stat_tile_get_value_text (AtlasStatTile *self)
{
  g_return_val_if_fail (ATLAS_IS_STAT_TILE (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->value_label));
}
