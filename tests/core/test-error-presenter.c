/* test-error-presenter.c — the error table: domain first, then code; wording, retry, offers
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "atlas-client.h"
#include "atlas-error-presenter.h"

typedef struct
{
  AtlasClientError  code;
  const char       *icon;
  const char       *title;
  gboolean          retrying;
  gboolean          keeps_data;
  AtlasErrorOffers  offers;
} Row;

/* presenter-rules.md, "Errors, ordering and tones". */
static const Row table[] = {
  { ATLAS_CLIENT_ERROR_NETWORK, "network-error-symbolic", "Can't reach the backend", TRUE, TRUE,
    ATLAS_ERROR_OFFER_TRY_AGAIN | ATLAS_ERROR_OFFER_CHANGE_SERVER },
  { ATLAS_CLIENT_ERROR_TIMEOUT, "network-error-symbolic", "Can't reach the backend", TRUE, TRUE,
    ATLAS_ERROR_OFFER_TRY_AGAIN | ATLAS_ERROR_OFFER_CHANGE_SERVER },
  { ATLAS_CLIENT_ERROR_UNAUTHENTICATED, "dialog-password-symbolic", "Sign in again", FALSE, FALSE,
    ATLAS_ERROR_OFFER_SIGN_IN },
  { ATLAS_CLIENT_ERROR_FORBIDDEN, "action-unavailable-symbolic", "You don't have permission", FALSE, FALSE,
    ATLAS_ERROR_OFFER_NONE },
  { ATLAS_CLIENT_ERROR_NOT_FOUND, "edit-find-symbolic", "Not found", FALSE, FALSE, ATLAS_ERROR_OFFER_BACK },
  { ATLAS_CLIENT_ERROR_RATE_LIMITED, "content-loading-symbolic", "The backend is busy", TRUE, TRUE,
    ATLAS_ERROR_OFFER_TRY_AGAIN },
  { ATLAS_CLIENT_ERROR_UNAVAILABLE, "content-loading-symbolic", "The backend is busy", TRUE, TRUE,
    ATLAS_ERROR_OFFER_TRY_AGAIN },
  { ATLAS_CLIENT_ERROR_INVALID_RESPONSE, "dialog-warning-symbolic",
    "The backend sent an answer this version cannot use", TRUE, TRUE, ATLAS_ERROR_OFFER_TRY_AGAIN },
  { ATLAS_CLIENT_ERROR_BAD_REQUEST, "dialog-error-symbolic", "The backend refused the request", FALSE, FALSE,
    ATLAS_ERROR_OFFER_TRY_AGAIN },
  { ATLAS_CLIENT_ERROR_INSECURE, "channel-insecure-symbolic", "This connection would not be private", FALSE,
    FALSE, ATLAS_ERROR_OFFER_CHANGE_SERVER },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ATLAS_CLIENT_ERROR, table[i].code, "the server's words");
      g_autoptr(AtlasErrorPresentation) p = atlas_error_present (error, NULL);

      g_test_message ("code %d", table[i].code);
      g_assert_cmpstr (p->icon_name, ==, table[i].icon);
      g_assert_cmpstr (p->title, ==, table[i].title);
      g_assert_cmpint (p->retrying, ==, table[i].retrying);
      g_assert_cmpint (p->keeps_data, ==, table[i].keeps_data);
      g_assert_cmpuint (p->offers, ==, table[i].offers);
      g_assert_nonnull (p->description);
      /* Nothing on screen: no banner to put over it. */
      g_assert_null (p->banner);
    }
}

/* Another domain's code that happens to equal UNAUTHENTICATED or NOT_FOUND is not one. */
static void
test_domain_first (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED, "disk full");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND, "gone");
  g_autoptr(AtlasErrorPresentation) p = atlas_error_present (io, NULL);
  g_autoptr(AtlasErrorPresentation) q = atlas_error_present (other, NULL);

  g_assert_cmpstr (p->title, !=, "Sign in again");
  g_assert_cmpstr (p->description, ==, "disk full");
  g_assert_false (p->retrying);
  g_assert_cmpstr (q->title, !=, "Not found");
}

/* Deny-as-not-found: the wording names the kind of thing, never whether it exists,
 * and never repeats what the server said. */
static void
test_not_found_wording (void)
{
  static const struct { AtlasErrorSubject subject; const char *description; } cases[] = {
    { ATLAS_ERROR_SUBJECT_WORKSPACE, "There is no workspace with this number that you can see." },
    { ATLAS_ERROR_SUBJECT_OPERATIONS, "There is no workspace with this number that you can see." },
    { ATLAS_ERROR_SUBJECT_TENANT, "There is no tenant with this number that you can see." },
    { ATLAS_ERROR_SUBJECT_OPERATION, "There is no operation with this number that you can see." },
    { ATLAS_ERROR_SUBJECT_NONE, "There is nothing here that you can see." },
  };
  g_autoptr(GError) error = g_error_new_literal (ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND,
                                                 "tenant 9 exists but belongs to Fabrikam");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtlasErrorContext context = { cases[i].subject, 30, 5000, FALSE };
      g_autoptr(AtlasErrorPresentation) p = atlas_error_present (error, &context);

      g_assert_cmpstr (p->title, ==, "Not found");
      g_assert_cmpstr (p->description, ==, cases[i].description);
      g_assert_null (strstr (p->description, "Fabrikam"));
      /* The data of something we may not see does not stay. */
      g_assert_false (p->keeps_data);
      g_assert_null (p->banner);
    }
}

/* While retrying over kept data: how old it is and when the next try goes out. */
static void
test_retry_status (void)
{
  g_autoptr(GError) error = g_error_new_literal (ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAVAILABLE, "busy");
  AtlasErrorContext both = { ATLAS_ERROR_SUBJECT_TENANT, 120, 11200, FALSE };
  AtlasErrorContext age_only = { ATLAS_ERROR_SUBJECT_TENANT, 5, -1, FALSE };
  AtlasErrorContext wait_only = { ATLAS_ERROR_SUBJECT_TENANT, -1, 7000, FALSE };
  g_autoptr(AtlasErrorPresentation) a = atlas_error_present (error, &both);
  g_autoptr(AtlasErrorPresentation) b = atlas_error_present (error, &age_only);
  g_autoptr(AtlasErrorPresentation) c = atlas_error_present (error, &wait_only);

  g_assert_cmpstr (a->status, ==, "Showing data from 2 min ago; retrying in 12 s.");
  g_assert_cmpstr (a->banner, ==, "The backend is busy. Showing data from 2 min ago; retrying in 12 s.");
  g_assert_cmpstr (b->status, ==, "Showing data from 5 s ago; retrying.");
  g_assert_cmpstr (c->status, ==, "Retrying in 7 s.");
  g_assert_null (c->banner);
}

/* A kiosk: no buttons, and a refused token is asked again rather than given up. */
static void
test_unattended (void)
{
  g_autoptr(GError) refused = g_error_new_literal (ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_UNAUTHENTICATED, "no");
  g_autoptr(GError) down = g_error_new_literal (ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NETWORK, "refused");
  AtlasErrorContext kiosk = { ATLAS_ERROR_SUBJECT_WORKSPACE, -1, -1, TRUE };
  g_autoptr(AtlasErrorPresentation) p = atlas_error_present (refused, &kiosk);
  g_autoptr(AtlasErrorPresentation) q = atlas_error_present (down, &kiosk);

  g_assert_cmpstr (p->title, ==, "The backend refused this screen's token");
  g_assert_true (p->retrying);
  g_assert_cmpuint (p->offers, ==, ATLAS_ERROR_OFFER_NONE);
  g_assert_cmpstr (q->title, ==, "Can't reach the backend");
  g_assert_cmpstr (q->status, ==, "Retrying automatically…");
  g_assert_cmpuint (q->offers, ==, ATLAS_ERROR_OFFER_NONE);
}

static void
test_offer_labels (void)
{
  g_assert_cmpstr (atlas_error_offer_label (ATLAS_ERROR_OFFER_TRY_AGAIN), ==, "_Try Again");
  g_assert_cmpstr (atlas_error_offer_label (ATLAS_ERROR_OFFER_SIGN_IN), ==, "_Sign In…");
  g_assert_cmpstr (atlas_error_offer_label (ATLAS_ERROR_OFFER_CHANGE_SERVER), ==, "C_hange Server…");
  g_assert_cmpstr (atlas_error_offer_label (ATLAS_ERROR_OFFER_BACK), ==, "_Back");
  g_assert_null (atlas_error_offer_label (ATLAS_ERROR_OFFER_NONE));
}

/* The kiosk's outage line: the local time it went away, plain text, no markup. */
static void
test_offline_banner (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) since = g_date_time_new (utc, 2026, 3, 4, 9, 7, 30);
  g_autoptr(GDateTime) local = g_date_time_to_local (since);
  g_autofree char *hhmm = g_date_time_format (local, "%H:%M");
  g_autofree char *banner = atlas_error_offline_banner (since);
  g_autofree char *expected = g_strdup_printf ("Offline since %s — the numbers shown are not live", hhmm);

  g_assert_cmpstr (banner, ==, expected);
  g_assert_null (strchr (banner, '<'));
  g_assert_null (strchr (banner, '&'));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/error-presenter/table", test_table);
  g_test_add_func ("/core/error-presenter/domain-first", test_domain_first);
  g_test_add_func ("/core/error-presenter/not-found-wording", test_not_found_wording);
  g_test_add_func ("/core/error-presenter/retry-status", test_retry_status);
  g_test_add_func ("/core/error-presenter/unattended", test_unattended);
  g_test_add_func ("/core/error-presenter/offer-labels", test_offer_labels);
  g_test_add_func ("/core/error-presenter/offline-banner", test_offline_banner);

  return g_test_run ();
}
