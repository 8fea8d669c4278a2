/* test-review-pack.c — the review pack card: Generate while active, the kept ready pack, Download
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <unistd.h>

#include "atlas-api.h"
#include "atlas-review-pack-card-private.h"
#include "atlas-review-pack.h"
#include "atlas-test-ui.h"

typedef AtlasTestFixture Fixture;   /* operator token; window: a plain GtkWindow */

#define TENANT 8

static AtlasReviewPackCard *
show_card (Fixture *f)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *card = atlas_review_pack_card_new (f->client, f->clock, TENANT, NULL, f->t0, TRUE);

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), card);
  atlas_test_show (f, overlay);
  return ATLAS_REVIEW_PACK_CARD (card);
}

static gboolean
generate_enabled (AtlasReviewPackCard *card)
{
  return gtk_widget_get_sensitive (atlas_review_pack_card_get_generate_button (card));
}

/* Generate through the card's button and wait for the new pack on it. */
static AtlasReviewPack *
click_generate (AtlasReviewPackCard *card)
{
  AtlasReviewPack *before = atlas_review_pack_card_get_pack (card);

  g_assert_true (generate_enabled (card));
  g_signal_emit_by_name (atlas_review_pack_card_get_generate_button (card), "clicked");
  while (atlas_review_pack_card_get_pack (card) == before ||
         !atlas_review_pack_is_active (atlas_review_pack_card_get_pack (card)))
    g_main_context_iteration (NULL, TRUE);
  return atlas_review_pack_card_get_pack (card);
}

/* The simulator finishes the pack's run as its clock moves; the card polls it. */
static void
until_finished (Fixture             *f,
                AtlasReviewPackCard *card)
{
  AtlasPoller *poller = atlas_review_pack_card_get_poller (card);

  for (guint i = 0; i < 20 && atlas_review_pack_is_active (atlas_review_pack_card_get_pack (card)); i++)
    {
      g_assert_false (generate_enabled (card));
      atlas_test_jump (f, poller, 30);
      atlas_test_advance (f, poller, 10);
    }
  g_assert_false (atlas_review_pack_is_active (atlas_review_pack_card_get_pack (card)));
}

/* Generates until a pack is ready (the simulator fails one in ten by plan). */
static AtlasReviewPack *
generate_ready (Fixture             *f,
                AtlasReviewPackCard *card)
{
  for (guint attempt = 0; attempt < 10; attempt++)
    {
      click_generate (card);
      until_finished (f, card);
      if (atlas_review_pack_get_status (atlas_review_pack_card_get_pack (card)) == ATLAS_REVIEW_PACK_STATUS_READY)
        return atlas_review_pack_card_get_pack (card);
    }
  g_assert_not_reached ();
}

/* Generate is off while a pack is queued or generating, on again after; a ready
 * pack says when it was made, how large it is and until when it is there, and
 * stays (with its Download) while the next one generates. */
static void
test_generate_while_active (Fixture       *f,
                            gconstpointer  data)
{
  AtlasReviewPackCard *card = show_card (f);
  AtlasReviewPack *ready, *next;
  const char *detail;

  ready = generate_ready (f, card);
  g_assert_true (generate_enabled (card));
  detail = atlas_review_pack_card_get_detail (card);
  g_test_message ("ready: %s", detail);
  g_assert_true (g_str_has_prefix (detail, "Generated "));
  g_assert_nonnull (strstr (detail, "B"));           /* the size, "482.1 kB" */
  g_assert_nonnull (strstr (detail, " · Expires "));
  g_assert_true (gtk_widget_get_visible (atlas_review_pack_card_get_download_button (card)));

  g_object_ref (ready);
  next = click_generate (card);
  g_assert_cmpint (atlas_review_pack_get_id (next), !=, atlas_review_pack_get_id (ready));
  g_assert_false (generate_enabled (card));
  /* A second press while it is active sends nothing. */
  atlas_backend_server_reset_request_counts (f->server);
  g_signal_emit_by_name (atlas_review_pack_card_get_generate_button (card), "clicked");
  atlas_test_drain (50);
  g_assert_cmpuint (atlas_test_count (f, "/api/v1/tenants/8/review-packs"), ==, 0);
  /* The ready one is still there to download. */
  detail = atlas_review_pack_card_get_detail (card);
  g_test_message ("generating again: %s", detail);
  g_assert_nonnull (strstr (detail, "Last ready pack: Generated "));
  g_assert_true (gtk_widget_get_visible (atlas_review_pack_card_get_download_button (card)));
  g_object_unref (ready);

  until_finished (f, card);
  g_assert_true (generate_enabled (card));
}

typedef struct
{
  gboolean done;
  GBytes  *body;
} Served;

static void
served_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Served *s = user_data;
  g_autoptr(GError) error = NULL;

  s->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  s->done = TRUE;
}

/* The file as the backend serves it, asked for without the client. */
static GBytes *
fetch_served (Fixture         *f,
              AtlasReviewPack *pack)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (f->base_url, atlas_review_pack_get_download_url (pack), NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", atlas_backend_server_get_token (f->server, "operator"));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Served s = { FALSE, NULL };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, served_cb, &s);
  atlas_test_wait (&s.done);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return s.body;
}

static void
download (AtlasReviewPackCard *card,
          GFile               *target)
{
  atlas_review_pack_card_set_download_target (card, target);
  g_assert_true (gtk_widget_get_sensitive (atlas_review_pack_card_get_download_button (card)));
  g_signal_emit_by_name (atlas_review_pack_card_get_download_button (card), "clicked");
  g_assert_true (atlas_review_pack_card_get_downloading (card));
  /* One at a time: the button is off while it runs. */
  g_assert_false (gtk_widget_get_sensitive (atlas_review_pack_card_get_download_button (card)));
  while (atlas_review_pack_card_get_downloading (card))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_sensitive (atlas_review_pack_card_get_download_button (card)));
}

/* Download writes exactly the bytes the backend serves. */
static void
test_download_writes_served_file (Fixture       *f,
                                  gconstpointer  data)
{
  AtlasReviewPackCard *card = show_card (f);
  AtlasReviewPack *pack = generate_ready (f, card);
  g_autofree char *dir = g_dir_make_tmp ("atlas-pack-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pack.pdf", NULL);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GBytes) served = fetch_served (f, pack);
  g_autoptr(GBytes) written = NULL;

  download (card, target);
  g_assert_null (atlas_review_pack_card_get_download_error (card));
  written = g_file_load_bytes (target, NULL, NULL, NULL);
  g_assert_nonnull (written);
  g_test_message ("%" G_GSIZE_FORMAT " bytes saved", g_bytes_get_size (written));
  g_assert_cmpint ((gint64) g_bytes_get_size (written), ==, atlas_review_pack_get_file_size (pack));
  g_assert_true (g_bytes_equal (written, served));
  g_unlink (path);
  g_rmdir (dir);
}

/* 401, 404 and a folder that cannot be written: an error, no file, nothing left over. */
static void
test_download_fails_cleanly (Fixture       *f,
                             gconstpointer  data)
{
  AtlasReviewPackCard *card = show_card (f);
  g_autofree char *dir = g_dir_make_tmp ("atlas-pack-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pack.pdf", NULL);
  g_autofree char *locked_dir = NULL;
  g_autofree char *locked = NULL;
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GFile) locked_target = NULL;
  g_autoptr(GDir) listing = NULL;
  gboolean root = geteuid () == 0;

  generate_ready (f, card);

  /* A folder nobody may write to (root writes any mode: /sys stands in). */
  if (root)
    locked_dir = g_strdup ("/sys");
  else
    {
      locked_dir = g_dir_make_tmp ("atlas-pack-ro-XXXXXX", NULL);
      g_assert_cmpint (g_chmod (locked_dir, 0555), ==, 0);
    }
  locked = g_build_filename (locked_dir, "pack.pdf", NULL);
  locked_target = g_file_new_for_path (locked);
  download (card, locked_target);
  g_assert_error (atlas_review_pack_card_get_download_error (card), G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_false (g_file_test (locked, G_FILE_TEST_EXISTS));
  if (!root)
    {
      g_assert_cmpint (g_chmod (locked_dir, 0755), ==, 0);
      g_rmdir (locked_dir);
    }

  /* The pack expired meanwhile: 404. */
  atlas_backend_server_advance (f->server, 31 * 24 * 3600);
  download (card, target);
  g_assert_error (atlas_review_pack_card_get_download_error (card), ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A token the backend refuses: 401. */
  atlas_client_set_token (f->client, "not-a-token");
  download (card, target);
  g_assert_error (atlas_review_pack_card_get_download_error (card), ATLAS_CLIENT_ERROR,
                  ATLAS_CLIENT_ERROR_UNAUTHENTICATED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* No partial file left anywhere. */
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  atlas_test_ui_init (&argc, &argv);

  atlas_test_ui_add ("/ui/review-pack/generate-while-active", test_generate_while_active);
  atlas_test_ui_add ("/ui/review-pack/download-writes-served-file", test_download_writes_served_file);
  atlas_test_ui_add ("/ui/review-pack/download-fails-cleanly", test_download_fails_cleanly);

  return g_test_run ();
}
