/* atlas-review-pack-card.c — a tenant's latest review pack, with "Generate" and "Download"
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polls at 10 s only while the pack is queued or generating. "Generate" shows an
 * intent toast, never a completion claim; the pack's own status tells the rest.
 * The last ready pack stays, with its Download, until a newer one is ready.
 */

#define G_LOG_DOMAIN "atlas-review-pack-card"

#include "config.h"

#include <glib/gi18n.h>

#include "atlas-resource.h"
#include "atlas-review-pack-card-private.h"
#include "atlas-review-pack-presenter.h"
#include "atlas-status-badge.h"
#include "atlas-ui-util.h"
#include "atlas-visibility.h"

struct _AtlasReviewPackCard
{
  GtkWidget        parent_instance;

  AtlasClient     *client;
  AtlasResource   *resource;
  GCancellable    *cancellable;       /* "Generate" */
  AtlasReviewPack *pack;
  gint64           tenant_id;
  gint64           server_time;
  gboolean         can_generate;
  gboolean         generating;
  AtlasReviewPack *ready;             /* the last ready pack seen, kept while a new one comes */
  GCancellable    *download_cancellable;   /* while downloading */
  GFile           *download_target;   /* tests: instead of the file chooser */
  GError          *download_error;    /* the last download's */
  GtkNativeDialog *chooser;

  GtkWidget       *box;
  GtkWidget       *badge;
  GtkWidget       *detail;
  GtkWidget       *generate_button;
  GtkWidget       *download_button;
  GtkWidget       *progress;
};

G_DEFINE_FINAL_TYPE (AtlasReviewPackCard, atlas_review_pack_card, GTK_TYPE_WIDGET)

static void
render (AtlasReviewPackCard *self)
{
  g_autoptr(AtlasReviewPackPresentation) p = atlas_review_pack_present (self->pack, self->server_time);
  g_autoptr(GString) detail = g_string_new (p->detail);
  gboolean active = self->pack != NULL && atlas_review_pack_is_active (self->pack);

  if (p->downloadable)
    g_set_object (&self->ready, self->pack);
  else if (self->ready == self->pack)
    g_clear_object (&self->ready);   /* the same pack expired, or there is none */

  if (p->expiry != NULL)
    g_string_append_printf (detail, detail->len > 0 ? " · %s" : "%s", p->expiry);
  if (self->ready != NULL && self->ready != self->pack)
    {
      g_autoptr(AtlasReviewPackPresentation) kept = atlas_review_pack_present (self->ready, self->server_time);

      if (!kept->downloadable)
        g_clear_object (&self->ready);   /* past its expiry while the new one generates */
      else
        {
          if (detail->len > 0)
            g_string_append_c (detail, '\n');
          /* TRANSLATORS: under "Generating": the last ready pack, still there to download */
          g_string_append_printf (detail, _("Last ready pack: %s"), kept->detail != NULL ? kept->detail : "");
          if (kept->expiry != NULL)
            g_string_append_printf (detail, " · %s", kept->expiry);
        }
    }
  atlas_status_badge_set_badge (ATLAS_STATUS_BADGE (self->badge), &p->badge);
  gtk_label_set_label (GTK_LABEL (self->detail), detail->str);
  gtk_widget_set_visible (self->detail, detail->len > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  p->accessible_description, -1);
  /* Kiosks and viewers never see the action they cannot take. */
  gtk_widget_set_visible (self->generate_button, self->can_generate);
  /* One pack at a time: not again while one is queued or generating. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pack.generate", !self->generating && !active);
  gtk_widget_set_visible (self->download_button, self->ready != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pack.download", self->download_cancellable == NULL);
  atlas_resource_set_interval (self->resource, p->poll_interval_ms);
}

static void
set_pack (AtlasReviewPackCard *self,
          AtlasReviewPack     *pack)
{
  if (self->pack != NULL && pack != NULL &&
      atlas_review_pack_get_id (self->pack) == atlas_review_pack_get_id (pack))
    atlas_review_pack_update_from (self->pack, pack);
  else
    g_set_object (&self->pack, pack);
}

static void
fetch_review_pack (const AtlasResourceRequest *request,
                   gpointer                    user_data)
{
  AtlasReviewPackCard *self = user_data;

  atlas_client_get_review_pack_async (request->client, self->tenant_id, request->cancellable,
                                      request->callback, request->callback_data);
}

static void
updated_cb (AtlasResource       *resource,
            AtlasResponse       *response,
            AtlasReviewPackCard *self)
{
  self->server_time = response->server_time;
  set_pack (self, ((AtlasReviewPackReply *) response->payload)->review_pack);
  render (self);
}

static void
toast (AtlasReviewPackCard *self,
       AdwToast            *toast_)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast_);
  else
    g_object_unref (g_object_ref_sink (toast_));
}

static void
generate_failed (AtlasReviewPackCard *self,
                 const GError        *error)
{
  AtlasErrorContext context = { ATLAS_ERROR_SUBJECT_REVIEW_PACK, -1, -1, FALSE };
  g_autoptr(AtlasErrorPresentation) p = atlas_error_present (error, &context);
  /* TRANSLATORS: %s is the reason, e.g. "You don't have permission" */
  g_autofree char *text = g_strdup_printf (_("Could not request a review pack: %s"), p->title);

  self->generating = FALSE;
  toast (self, atlas_toast_new_plain (text));
  render (self);
}

static void
generate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AtlasReviewPackCard *self;
  g_autoptr(AtlasResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AtlasGenerateReply *reply;
  AdwToast *t;

  response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->generating = FALSE;

  if (response == NULL)
    {
      generate_failed (self, error);
      return;
    }

  reply = response->payload;
  self->server_time = response->server_time;
  if (reply->review_pack != NULL)
    set_pack (self, reply->review_pack);
  t = adw_toast_new (atlas_review_pack_intent_message (reply->deduped));
  if (reply->run != NULL)
    {
      adw_toast_set_button_label (t, _("View run"));
      adw_toast_set_action_name (t, "win.show-run");
      adw_toast_set_action_target_value (t, g_variant_new_int64 (atlas_run_get_id (reply->run)));
    }
  toast (self, t);
  /* The user now has a run going: the notifications rule wakes up. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.poke-notifications", NULL);
  atlas_poller_reset (atlas_resource_get_poller (self->resource));
  render (self);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AtlasReviewPackCard *self = ATLAS_REVIEW_PACK_CARD (widget);
  const GError *ended = atlas_client_get_session_error (self->client);

  if (self->generating)
    return;
  self->generating = TRUE;
  /* Not one more request once a 401 ended the session: say why at once. */
  if (ended != NULL)
    {
      generate_failed (self, ended);
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pack.generate", FALSE);
  atlas_client_generate_review_pack_async (self->client, self->tenant_id, self->cancellable,
                                           generate_cb, self);
}

/* --- download ---------------------------------------------------------------- */

static void
download_progress_cb (goffset  received,
                      goffset  total,
                      gpointer user_data)
{
  AtlasReviewPackCard *self = user_data;
  g_autofree char *got = g_format_size ((guint64) received);
  g_autofree char *text = NULL;

  if (total > 0)
    {
      g_autofree char *all = g_format_size ((guint64) total);

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), (double) received / (double) total);
      /* TRANSLATORS: download progress, "120.0 kB of 482.1 kB" */
      text = g_strdup_printf (_("%s of %s"), got, all);
    }
  else
    {
      gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
      text = g_strdup (got);
    }
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AtlasReviewPackCard *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (atlas_client_download_finish (ATLAS_CLIENT (object), result, &error) >= 0)
    /* TRANSLATORS: after a review pack download */
    text = g_strdup (_("Review pack saved"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_object (&self->download_cancellable);
  gtk_widget_set_visible (self->progress, FALSE);
  g_clear_error (&self->download_error);
  if (error != NULL)
    {
      AtlasErrorContext context = { ATLAS_ERROR_SUBJECT_REVIEW_PACK, -1, -1, FALSE };
      g_autoptr(AtlasErrorPresentation) p = atlas_error_present (error, &context);

      /* Writing errors name the file and why (read-only, disk full); the client's
       * are worded by the error presenter. */
      /* TRANSLATORS: %s is the reason, e.g. "Permission denied" */
      text = g_strdup_printf (_("Could not save the review pack: %s"),
                              error->domain == G_IO_ERROR ? error->message : p->title);
      self->download_error = g_steal_pointer (&error);
    }
  toast (self, atlas_toast_new_plain (text));
  render (self);
}

static void
start_download (AtlasReviewPackCard *self,
                GFile               *target)
{
  self->download_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), NULL);
  gtk_widget_set_visible (self->progress, TRUE);
  atlas_client_download_async (self->client, atlas_review_pack_get_download_url (self->ready), target,
                               download_progress_cb, self, self->download_cancellable, download_cb, self);
  render (self);
}

static void
chooser_response_cb (GtkNativeDialog     *dialog,
                     int                  response,
                     AtlasReviewPackCard *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
  if (file != NULL && self->ready != NULL && self->download_cancellable == NULL)
    start_download (self, file);
}

/* The contract's file name: review-pack-<tenant>-<YYYY-MM-DD>.pdf */
static char *
suggested_name (AtlasReviewPack *pack)
{
  g_autoptr(GDateTime) dt = atlas_review_pack_get_generated_at (pack) != ATLAS_TIME_NONE
                            ? g_date_time_new_from_unix_utc (atlas_review_pack_get_generated_at (pack)) : NULL;
  g_autofree char *day = dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : NULL;

  return day != NULL ? g_strdup_printf ("review-pack-%" G_GINT64_FORMAT "-%s.pdf", atlas_review_pack_get_tenant_id (pack), day)
                     : g_strdup_printf ("review-pack-%" G_GINT64_FORMAT ".pdf", atlas_review_pack_get_tenant_id (pack));
}

/* Where the user chooses (GtkFileChooserNative: the portal inside a sandbox). */
static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AtlasReviewPackCard *self = ATLAS_REVIEW_PACK_CARD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;

  if (self->ready == NULL || self->download_cancellable != NULL || self->chooser != NULL)
    return;
  if (self->download_target != NULL)
    {
      start_download (self, self->download_target);
      return;
    }
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Save Review Pack"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                  _("_Save"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  name = suggested_name (self->ready);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (self->chooser);
}

static void
atlas_review_pack_card_dispose (GObject *object)
{
  AtlasReviewPackCard *self = (AtlasReviewPackCard *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->download_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->resource);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATLAS_TYPE_REVIEW_PACK_CARD);

  G_OBJECT_CLASS (atlas_review_pack_card_parent_class)->dispose (object);
}

static void
atlas_review_pack_card_finalize (GObject *object)
{
  AtlasReviewPackCard *self = (AtlasReviewPackCard *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pack);
  g_clear_object (&self->ready);
  g_clear_object (&self->download_cancellable);
  g_clear_object (&self->download_target);
  g_clear_error (&self->download_error);

  G_OBJECT_CLASS (atlas_review_pack_card_parent_class)->finalize (object);
}

static void
atlas_review_pack_card_class_init (AtlasReviewPackCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atlas_review_pack_card_dispose;
  object_class->finalize = atlas_review_pack_card_finalize;
  g_type_ensure (ATLAS_TYPE_STATUS_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/tenantatlas/Operator/atlas-review-pack-card.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reviewpackcard");
  gtk_widget_class_bind_template_child (widget_class, AtlasReviewPackCard, box);
  gtk_widget_class_bind_template_child (widget_class, AtlasReviewPackCard, badge);
  gtk_widget_class_bind_template_child (widget_class, AtlasReviewPackCard, detail);
  gtk_widget_class_bind_template_child (widget_class, AtlasReviewPackCard, generate_button);
  gtk_widget_class_bind_template_child (widget_class, AtlasReviewPackCard, download_button);
  gtk_widget_class_bind_template_child (widget_class, AtlasReviewPackCard, progress);
  gtk_widget_class_install_action (widget_class, "pack.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "pack.download", NULL, download_action);
}

static void
atlas_review_pack_card_init (AtlasReviewPackCard *self)
{
  self->cancellable = g_cancellable_new ();
  self->server_time = ATLAS_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * atlas_review_pack_card_new:
 * @pack: (nullable): the pack the dashboard already brought, or %NULL for none yet
 * @server_time: the server time of that answer
 * @can_generate: the workspace grants `review_pack.generate` and this is not a kiosk
 */
GtkWidget *
atlas_review_pack_card_new (AtlasClient     *client,
                            AtlasClock      *clock,
                            gint64           tenant_id,
                            AtlasReviewPack *pack,
                            gint64           server_time,
                            gboolean         can_generate)
{
  AtlasReviewPackCard *self;

  g_return_val_if_fail (ATLAS_IS_CLIENT (client), NULL);

  self = g_object_new (ATLAS_TYPE_REVIEW_PACK_CARD, NULL);
  self->client = g_object_ref (client);
  self->tenant_id = tenant_id;
  self->can_generate = can_generate;
  self->server_time = server_time;
  self->pack = pack != NULL ? g_object_ref (pack) : NULL;
  self->resource = atlas_resource_new (client, clock, fetch_review_pack, self);
  g_signal_connect_object (self->resource, "updated", G_CALLBACK (updated_cb), self, 0);
  atlas_visibility_track (GTK_WIDGET (self), atlas_resource_get_poller (self->resource));
  render (self);

  return GTK_WIDGET (self);
}

/* The dashboard's own answer carries the pack too: take it without a request. */
void
atlas_review_pack_card_update (AtlasReviewPackCard *self,
                               AtlasReviewPack     *pack,
                               gint64               server_time)
{
  g_return_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self));

  self->server_time = server_time;
  set_pack (self, pack);
  render (self);
}

AtlasPoller *
atlas_review_pack_card_get_poller (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), NULL);
  return atlas_resource_get_poller (self->resource);
}

AtlasReviewPack *
atlas_review_pack_card_get_pack (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), NULL);
  return self->pack;
}

GtkWidget *
atlas_review_pack_card_get_generate_button (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), NULL);
  return self->generate_button;
}

GtkWidget *
atlas_review_pack_card_get_download_button (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), NULL);
  return self->download_button;
}

const char *
atlas_review_pack_card_get_detail (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->detail));
}

/* Tests: Download writes to @target without asking (the chooser needs a person). */
void
atlas_review_pack_card_set_download_target (AtlasReviewPackCard *self,
                                            GFile               *target)
{
  g_return_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self));
  g_set_object (&self->download_target, target);
}

gboolean
atlas_review_pack_card_get_downloading (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), FALSE);
  return self->download_cancellable != NULL;
}

/* The last download's error, or NULL when it succeeded (or none ran). */
const GError *
atlas_review_pack_card_get_download_error (AtlasReviewPackCard *self)
{
  g_return_val_if_fail (ATLAS_IS_REVIEW_PACK_CARD (self), NULL);
  return self->download_error;
}
