/* atlas-cli.c — terminal client of the Operator API, on the same core and presenter
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "atlas-client.h"
#include "atlas-duration.h"
#include "atlas-error-presenter.h"
#include "atlas-json.h"
#include "atlas-poll-policy.h"
#include "atlas-review-pack-presenter.h"
#include "atlas-run-presenter.h"
#include "atlas-run-watcher.h"

/* Exit codes of `run ID --watch`, and of every command on error. */
enum {
  EXIT_SUCCEEDED = 0,
  EXIT_FAILED = 1,
  EXIT_PARTIAL = 2,
  EXIT_ERROR = 3,
};

typedef struct
{
  AtlasClient *client;
  GMainLoop   *loop;
  gint64       workspace_id;
  gboolean     json;
  gboolean     color;
  int          exit_code;

  /* the command's arguments */
  char        *tab;
  char        *search;
  gint64       tenant_id;
  gint64       page;
  gboolean     watch;
  gboolean     generate;
  char        *download;
  gint64       target;

  GPtrArray   *cleaned;   /* terminal-safe copies of server text, freed at exit */
} Cli;

/* --- server text on a terminal ----------------------------------------------- */

/* C0 and C1 controls (an escape sequence in a tenant name can retitle or clear the
 * terminal, or fake output) and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that reorder whatever follows them. */
static gboolean
unsafe_for_terminal (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Server text for the terminal: each unsafe character becomes U+FFFD, so the
 * tampering stays visible and nothing of it is executed. Text is valid UTF-8 (the
 * reader refuses anything else); a stray invalid byte is replaced too. */
static char *
terminal_text (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      if (unsafe_for_terminal (c))
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* A terminal-safe copy of @text that lives as long as @cli; NULL stays NULL. */
static const char *
plain (Cli        *cli,
       const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  if (cli->cleaned == NULL)
    cli->cleaned = g_ptr_array_new_with_free_func (g_free);
  copy = terminal_text (text);
  g_ptr_array_add (cli->cleaned, copy);
  return copy;
}

/* json-glib escapes C0 controls as \u00XX but writes DEL, C1 and the bidi controls
 * raw; JSON allows \uXXXX for any character, so those are escaped the same way. They
 * can only occur inside strings, so the document stays the same document. */
static char *
json_text_for_terminal (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));

  for (const char *p = json; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x20 && unsafe_for_terminal (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

static const char *
tone_color (AtlasTone tone)
{
  switch (tone)
    {
    case ATLAS_TONE_ACCENT: return "\033[1;34m";
    case ATLAS_TONE_SUCCESS: return "\033[1;32m";
    case ATLAS_TONE_WARNING: return "\033[1;33m";
    case ATLAS_TONE_ERROR: return "\033[1;31m";
    case ATLAS_TONE_NEUTRAL:
    default: return "\033[1m";
    }
}

/* A badge in words; colour only on a terminal, and never the only carrier. */
static char *
badge_text (Cli              *cli,
            const AtlasBadge *badge)
{
  if (cli->color)
    return g_strdup_printf ("%s[%s]\033[0m", tone_color (badge->tone), badge->label);
  return g_strdup_printf ("[%s]", badge->label);
}

/* The error presenter's words, as on every surface of the app. */
static void
print_error (Cli                          *cli,
             const AtlasErrorPresentation *p,
             gboolean                      retrying)
{
  /* The description may carry the server's message: plain on a terminal too. */
  g_printerr ("atlas-cli: %s: %s%s\n", p->title, plain (cli, p->description),
              retrying ? _(" (retrying)") : "");
}

static void
fail (Cli               *cli,
      const GError      *error,
      AtlasErrorSubject  subject)
{
  AtlasErrorContext context = { subject, -1, -1, FALSE };
  g_autoptr(AtlasErrorPresentation) p = atlas_error_present (error, &context);

  print_error (cli, p, FALSE);
  cli->exit_code = EXIT_ERROR;
}

/* --- JSON output ------------------------------------------------------------ */

static void
add_badge (JsonBuilder      *b,
           const char       *name,
           const AtlasBadge *badge)
{
  json_builder_set_member_name (b, name);
  if (badge == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, badge->label);
  json_builder_set_member_name (b, "tone");
  json_builder_add_string_value (b, atlas_tone_to_string (badge->tone));
  json_builder_set_member_name (b, "icon");
  json_builder_add_string_value (b, badge->icon_name);
  json_builder_end_object (b);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* The presentation, with the field names of presenter-rules.md. */
static void
add_run (JsonBuilder *b,
         AtlasRun    *run,
         gint64       now)
{
  g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, atlas_run_get_id (run));
  json_builder_set_member_name (b, "tenant_id");
  json_builder_add_int_value (b, atlas_run_get_tenant_id (run));
  add_string_or_null (b, "tenant_name", atlas_run_get_tenant_name (run));
  add_string_or_null (b, "type_label", atlas_run_get_type_label (run));
  add_string_or_null (b, "lifecycle", atlas_lifecycle_to_string (p->lifecycle));
  json_builder_set_member_name (b, "is_active");
  json_builder_add_boolean_value (b, p->is_active);
  add_badge (b, "status_badge", &p->status_badge);
  add_badge (b, "freshness_badge", p->has_freshness_badge ? &p->freshness_badge : NULL);
  json_builder_set_member_name (b, "attention");
  json_builder_add_boolean_value (b, p->attention);
  add_string_or_null (b, "headline", p->headline);
  add_string_or_null (b, "guidance", p->guidance);
  add_string_or_null (b, "progress", atlas_progress_kind_to_string (p->progress));
  json_builder_set_member_name (b, "fraction");
  if (p->progress == ATLAS_PROGRESS_DETERMINATE)
    json_builder_add_double_value (b, p->fraction);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "counts_text", p->counts_text);
  add_string_or_null (b, "elapsed_text", p->elapsed_text);
  json_builder_set_member_name (b, "poll_interval_ms");
  json_builder_add_int_value (b, p->poll_interval_ms);
  add_string_or_null (b, "accessible_description", p->accessible_description);
  add_string_or_null (b, "web_url", atlas_run_get_web_url (run));
  json_builder_end_object (b);
}

static void
add_runs (JsonBuilder *b,
          const char  *name,
          GPtrArray   *runs,
          gint64       now)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < runs->len; i++)
    add_run (b, g_ptr_array_index (runs, i), now);
  json_builder_end_array (b);
}

static void
print_builder (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  safe = json_text_for_terminal (text);
  g_print ("%s\n", safe);
}

/* --- text output ------------------------------------------------------------- */

static void
print_run_line (Cli      *cli,
                AtlasRun *run,
                gint64    now)
{
  g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, now);
  g_autofree char *status = badge_text (cli, &p->status_badge);
  g_autofree char *freshness = p->has_freshness_badge ? badge_text (cli, &p->freshness_badge) : NULL;

  g_print ("%s #%-6" G_GINT64_FORMAT " %s%s%s  %s · %s — %s%s%s\n",
           p->attention ? "!" : " ",
           atlas_run_get_id (run), status,
           freshness ? " " : "", freshness ? freshness : "",
           atlas_run_get_tenant_name (run) ? plain (cli, atlas_run_get_tenant_name (run)) : "?",
           atlas_run_get_type_label (run) ? plain (cli, atlas_run_get_type_label (run)) : "?",
           plain (cli, p->headline),
           p->counts_text ? "  " : "", p->counts_text ? p->counts_text : "");
}

static void
print_run_detail (Cli      *cli,
                  AtlasRun *run,
                  gint64    now)
{
  g_autoptr(AtlasRunPresentation) p = atlas_run_present (run, now);
  g_autofree char *status = badge_text (cli, &p->status_badge);
  g_autofree char *freshness = p->has_freshness_badge ? badge_text (cli, &p->freshness_badge) : NULL;

  g_print ("%s%s%s\n%s\n", status, freshness ? " " : "", freshness ? freshness : "", plain (cli, p->headline));
  if (p->guidance != NULL)
    g_print ("%s\n", plain (cli, p->guidance));
  if (p->progress == ATLAS_PROGRESS_DETERMINATE)
    g_print ("%s (%d%%)\n", p->counts_text, (int) (p->fraction * 100));
  g_print (_("\nRun #%lld · %s · %s\n"), (long long) atlas_run_get_id (run),
           atlas_run_get_tenant_name (run) ? plain (cli, atlas_run_get_tenant_name (run)) : "?",
           atlas_run_get_type_label (run) ? plain (cli, atlas_run_get_type_label (run)) : "?");
  if (atlas_run_get_initiator_name (run) != NULL)
    g_print (_("Started by %s\n"), plain (cli, atlas_run_get_initiator_name (run)));
  for (guint i = 0; i < atlas_run_get_n_failures (run); i++)
    {
      const AtlasFailureEntry *f = atlas_run_get_failure (run, i);
      g_print ("  • %s (%s)\n", f->message ? plain (cli, f->message) : "",
               f->reason_code ? plain (cli, f->reason_code) : "");
    }
  if (atlas_run_get_web_url (run) != NULL)
    g_print ("%s\n", plain (cli, atlas_run_get_web_url (run)));
}

/* --- commands ------------------------------------------------------------------ */

static AtlasResponse *
fetch_sync (Cli                 *cli,
            void               (*start) (Cli *cli, GAsyncReadyCallback cb, gpointer data),
            GError             **error);

typedef struct
{
  GMainLoop     *loop;
  AtlasResponse *response;
  GError        *error;
} SyncWait;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->response = atlas_client_fetch_finish (ATLAS_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static AtlasResponse *
fetch_sync (Cli                 *cli,
            void               (*start) (Cli *cli, GAsyncReadyCallback cb, gpointer data),
            GError             **error)
{
  SyncWait wait = { cli->loop, NULL, NULL };

  start (cli, sync_done_cb, &wait);
  g_main_loop_run (cli->loop);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.response;
}

static void start_me (Cli *cli, GAsyncReadyCallback cb, gpointer data)
{ atlas_client_get_me_async (cli->client, NULL, cb, data); }
static void start_overview (Cli *cli, GAsyncReadyCallback cb, gpointer data)
{ atlas_client_get_overview_async (cli->client, cli->workspace_id, NULL, cb, data); }
static void start_run (Cli *cli, GAsyncReadyCallback cb, gpointer data)
{ atlas_client_get_run_async (cli->client, cli->workspace_id, cli->target, NULL, cb, data); }
static void start_pack (Cli *cli, GAsyncReadyCallback cb, gpointer data)
{ atlas_client_get_review_pack_async (cli->client, cli->target, NULL, cb, data); }
static void start_generate (Cli *cli, GAsyncReadyCallback cb, gpointer data)
{ atlas_client_generate_review_pack_async (cli->client, cli->target, NULL, cb, data); }
static void start_notifications (Cli *cli, GAsyncReadyCallback cb, gpointer data)
{ atlas_client_get_notifications_async (cli->client, 0, NULL, cb, data); }

static void
start_runs (Cli                *cli,
            GAsyncReadyCallback cb,
            gpointer            data)
{
  AtlasOperationsQuery q = { ATLAS_TAB_ALL, cli->tenant_id, NULL, NULL, cli->page, 0, cli->search };

  atlas_tab_from_string (cli->tab, &q.tab);
  atlas_client_list_operations_async (cli->client, cli->workspace_id, &q, NULL, cb, data);
}

/* The workspace defaults to the first one /me lists. */
static gboolean
resolve_workspace (Cli     *cli,
                   GError **error)
{
  g_autoptr(AtlasResponse) response = NULL;
  AtlasMe *me;

  if (cli->workspace_id > 0)
    return TRUE;
  response = fetch_sync (cli, start_me, error);
  if (response == NULL)
    return FALSE;
  me = response->payload;
  if (me->workspaces->len == 0)
    {
      g_set_error_literal (error, ATLAS_CLIENT_ERROR, ATLAS_CLIENT_ERROR_NOT_FOUND,
                           _("This token is not a member of any workspace"));
      return FALSE;
    }
  cli->workspace_id = ((AtlasWorkspace *) g_ptr_array_index (me->workspaces, 0))->id;
  return TRUE;
}

static void
cmd_overview (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = NULL;
  AtlasWorkspaceOverview *o;

  if (!resolve_workspace (cli, &error) || !(response = fetch_sync (cli, start_overview, &error)))
    {
      fail (cli, error, ATLAS_ERROR_SUBJECT_WORKSPACE);
      return;
    }
  o = response->payload;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "workspace_id");
      json_builder_add_int_value (b, cli->workspace_id);
      json_builder_set_member_name (b, "totals");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "active");
      json_builder_add_int_value (b, o->active);
      json_builder_set_member_name (b, "stale_active");
      json_builder_add_int_value (b, o->stale_active);
      json_builder_set_member_name (b, "failed_recent");
      json_builder_add_int_value (b, o->failed_recent);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "tenants");
      json_builder_begin_array (b);
      for (guint i = 0; i < o->tenants->len; i++)
        {
          AtlasTenantSummary *t = g_ptr_array_index (o->tenants, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, atlas_tenant_summary_get_id (t));
          add_string_or_null (b, "name", atlas_tenant_summary_get_name (t));
          json_builder_set_member_name (b, "active_count");
          json_builder_add_int_value (b, atlas_tenant_summary_get_active_count (t));
          json_builder_set_member_name (b, "stale_active_count");
          json_builder_add_int_value (b, atlas_tenant_summary_get_stale_active_count (t));
          json_builder_set_member_name (b, "attention");
          json_builder_add_boolean_value (b, atlas_tenant_summary_get_needs_attention (t) ||
                                             atlas_tenant_summary_get_stale_active_count (t) > 0);
          json_builder_set_member_name (b, "poll_interval_ms");
          json_builder_add_int_value (b, atlas_poll_interval_for_tenant (atlas_tenant_summary_get_active_count (t)));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_runs (b, "recent_operations", o->recent_operations, response->server_time);
      json_builder_end_object (b);
      print_builder (b);
      return;
    }

  g_print (_("Workspace %lld: %lld active, %lld likely stale, %lld failed recently\n\n"),
           (long long) cli->workspace_id, (long long) o->active, (long long) o->stale_active,
           (long long) o->failed_recent);
  for (guint i = 0; i < o->tenants->len; i++)
    {
      AtlasTenantSummary *t = g_ptr_array_index (o->tenants, i);
      /* A tenant with likely-stale work is never shown calm. */
      gboolean elevated = atlas_tenant_summary_get_needs_attention (t) ||
                          atlas_tenant_summary_get_stale_active_count (t) > 0;

      /* TRANSLATORS: one tenant line of "atlas-cli overview"; keep the widths */
      g_print (_("%s %-28s %3lld active  %3lld likely stale  %3lld failed\n"),
               elevated ? "!" : " ", plain (cli, atlas_tenant_summary_get_name (t)),
               (long long) atlas_tenant_summary_get_active_count (t),
               (long long) atlas_tenant_summary_get_stale_active_count (t),
               (long long) atlas_tenant_summary_get_failed_recent_count (t));
    }
  g_print ("\n%s\n", _("Recent operations"));
  for (guint i = 0; i < o->recent_operations->len; i++)
    print_run_line (cli, g_ptr_array_index (o->recent_operations, i), response->server_time);
}

static void
cmd_runs (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = NULL;
  AtlasRunPage *page;
  AtlasTab tab;

  if (cli->tab != NULL && !atlas_tab_from_string (cli->tab, &tab))
    {
      g_printerr (_("atlas-cli: unknown tab “%s” (all, active, active_stale_attention, "
                    "terminal_follow_up, completed)\n"), cli->tab);
      cli->exit_code = EXIT_ERROR;
      return;
    }
  if (!resolve_workspace (cli, &error) || !(response = fetch_sync (cli, start_runs, &error)))
    {
      fail (cli, error, ATLAS_ERROR_SUBJECT_OPERATIONS);
      return;
    }
  page = response->payload;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_runs (b, "runs", page->runs, response->server_time);
      json_builder_set_member_name (b, "meta");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "page");
      json_builder_add_int_value (b, page->page);
      json_builder_set_member_name (b, "per_page");
      json_builder_add_int_value (b, page->per_page);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, page->total);
      json_builder_set_member_name (b, "tab_counts");
      json_builder_begin_object (b);
      for (guint i = 0; i < ATLAS_N_TABS; i++)
        {
          json_builder_set_member_name (b, atlas_tab_to_string (i));
          json_builder_add_int_value (b, page->tab_counts[i]);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "poll_interval_ms");
      json_builder_add_int_value (b, atlas_poll_interval_for_runs ((AtlasRun * const *) page->runs->pdata,
                                                                   page->runs->len));
      json_builder_end_object (b);
      print_builder (b);
      return;
    }

  for (guint i = 0; i < ATLAS_N_TABS; i++)
    g_print ("%s %s (%" G_GINT64_FORMAT ")", i ? " ·" : "", atlas_tab_to_string (i), page->tab_counts[i]);
  g_print ("\n\n");
  for (guint i = 0; i < page->runs->len; i++)
    print_run_line (cli, g_ptr_array_index (page->runs, i), response->server_time);
  g_print (_("\nPage %lld · %u of %lld runs\n"), (long long) page->page, page->runs->len,
           (long long) page->total);
}

static int
exit_code_for (AtlasRun *run)
{
  switch (atlas_run_get_status (run))
    {
    case ATLAS_RUN_STATUS_COMPLETED:
      if (atlas_run_get_freshness (run) == ATLAS_FRESHNESS_RECONCILED)
        return EXIT_FAILED;
      switch (atlas_run_get_outcome (run))
        {
        case ATLAS_RUN_OUTCOME_SUCCEEDED: return EXIT_SUCCEEDED;
        case ATLAS_RUN_OUTCOME_PARTIALLY_SUCCEEDED: return EXIT_PARTIAL;
        case ATLAS_RUN_OUTCOME_FAILED:
        case ATLAS_RUN_OUTCOME_BLOCKED:
        case ATLAS_RUN_OUTCOME_CANCELLED: return EXIT_FAILED;
        case ATLAS_RUN_OUTCOME_NONE:
        case ATLAS_RUN_OUTCOME_UNKNOWN:
        default: return EXIT_ERROR;
        }
    case ATLAS_RUN_STATUS_QUEUED:
    case ATLAS_RUN_STATUS_RUNNING:
    case ATLAS_RUN_STATUS_UNKNOWN:
    default:
      return EXIT_ERROR;
    }
}

static void
watch_updated_cb (AtlasRunWatcher *watcher,
                  Cli             *cli)
{
  AtlasRun *run = atlas_run_watcher_get_run (watcher);
  g_autoptr(AtlasErrorPresentation) p = atlas_run_watcher_present_error (watcher);

  if (p != NULL)
    {
      print_error (cli, p, !atlas_run_watcher_get_finished (watcher));
      if (atlas_run_watcher_get_finished (watcher))
        {
          cli->exit_code = EXIT_ERROR;
          g_main_loop_quit (cli->loop);
        }
      return;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      g_autofree char *safe = NULL;

      /* One presentation per line, so scripts can follow the stream. */
      add_run (b, run, atlas_run_watcher_get_server_time (watcher));
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      safe = json_text_for_terminal (text);
      g_print ("%s\n", safe);
    }
  else
    print_run_line (cli, run, atlas_run_watcher_get_server_time (watcher));

  if (atlas_run_watcher_get_finished (watcher))
    {
      cli->exit_code = exit_code_for (run);
      g_main_loop_quit (cli->loop);
    }
}

static void
cmd_run (Cli *cli)
{
  g_autoptr(GError) error = NULL;

  if (cli->target <= 0)
    {
      g_printerr (_("atlas-cli: usage: atlas-cli run ID [--watch]\n"));
      cli->exit_code = EXIT_ERROR;
      return;
    }
  if (!resolve_workspace (cli, &error))
    {
      fail (cli, error, ATLAS_ERROR_SUBJECT_WORKSPACE);
      return;
    }

  if (cli->watch)
    {
      g_autoptr(AtlasRunWatcher) watcher = atlas_run_watcher_new (cli->client, NULL,
                                                                  cli->workspace_id, cli->target);

      g_signal_connect (watcher, "updated", G_CALLBACK (watch_updated_cb), cli);
      atlas_run_watcher_start (watcher);
      g_main_loop_run (cli->loop);
      return;
    }

  {
    g_autoptr(AtlasResponse) response = fetch_sync (cli, start_run, &error);
    AtlasRunReply *reply;

    if (response == NULL)
      {
        fail (cli, error, ATLAS_ERROR_SUBJECT_OPERATION);
        return;
      }
    reply = response->payload;
    if (cli->json)
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        add_run (b, reply->run, response->server_time);
        print_builder (b);
      }
    else
      print_run_detail (cli, reply->run, response->server_time);
  }
}

static void
print_pack (Cli             *cli,
            AtlasReviewPack *pack,
            gint64           now)
{
  g_autoptr(AtlasReviewPackPresentation) p = atlas_review_pack_present (pack, now);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_badge (b, "badge", &p->badge);
      json_builder_set_member_name (b, "is_active");
      json_builder_add_boolean_value (b, p->is_active);
      add_string_or_null (b, "detail", p->detail);
      json_builder_set_member_name (b, "poll_interval_ms");
      json_builder_add_int_value (b, p->poll_interval_ms);
      add_string_or_null (b, "accessible_description", p->accessible_description);
      json_builder_end_object (b);
      print_builder (b);
    }
  else
    {
      g_autofree char *badge = badge_text (cli, &p->badge);
      g_print (_("Review pack %s%s%s\n"), badge, p->detail ? "  " : "", p->detail ? plain (cli, p->detail) : "");
    }
}

typedef struct
{
  GMainLoop *loop;
  goffset    size;
  GError    *error;
} DownloadWait;

static void
download_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DownloadWait *wait = user_data;

  wait->size = atlas_client_download_finish (ATLAS_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* --download FILE: the ready pack's file, through the client (token, same origin). */
static void
download_pack (Cli             *cli,
               AtlasReviewPack *pack)
{
  const char *url = pack ? atlas_review_pack_get_download_url (pack) : NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  DownloadWait wait = { cli->loop, -1, NULL };

  if (pack == NULL || atlas_review_pack_get_status (pack) != ATLAS_REVIEW_PACK_STATUS_READY || url == NULL)
    {
      g_printerr (_("atlas-cli: the latest review pack is not ready to download\n"));
      cli->exit_code = EXIT_ERROR;
      return;
    }
  file = g_file_new_for_commandline_arg (cli->download);
  name = g_file_get_parse_name (file);
  atlas_client_download_async (cli->client, url, file, NULL, NULL, NULL, download_done_cb, &wait);
  g_main_loop_run (cli->loop);
  if (wait.error != NULL)
    {
      fail (cli, wait.error, ATLAS_ERROR_SUBJECT_REVIEW_PACK);
      g_error_free (wait.error);
      return;
    }
  if (!cli->json)
    g_print (_("Saved %lld bytes to %s\n"), (long long) wait.size, name);
}

static void
cmd_review_pack (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = NULL;

  if (cli->target <= 0)
    {
      g_printerr (_("atlas-cli: usage: atlas-cli review-pack TENANT [--generate | --download FILE]\n"));
      cli->exit_code = EXIT_ERROR;
      return;
    }

  if (cli->generate)
    {
      AtlasGenerateReply *reply;

      response = fetch_sync (cli, start_generate, &error);
      if (response == NULL)
        {
          fail (cli, error, ATLAS_ERROR_SUBJECT_REVIEW_PACK);
          return;
        }
      reply = response->payload;
      /* Intent only: never a completion claim here. */
      if (!cli->json)
        g_print ("%s\n", atlas_review_pack_intent_message (reply->deduped));
      if (!cli->json && reply->run != NULL)
        g_print (_("  run #%lld: atlas-cli run %lld --watch\n"),
                 (long long) atlas_run_get_id (reply->run), (long long) atlas_run_get_id (reply->run));
      print_pack (cli, reply->review_pack, response->server_time);
      return;
    }

  response = fetch_sync (cli, start_pack, &error);
  if (response == NULL)
    {
      fail (cli, error, ATLAS_ERROR_SUBJECT_TENANT);
      return;
    }
  print_pack (cli, ((AtlasReviewPackReply *) response->payload)->review_pack, response->server_time);
  if (cli->download != NULL)
    download_pack (cli, ((AtlasReviewPackReply *) response->payload)->review_pack);
}

static void
cmd_notifications (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtlasResponse) response = fetch_sync (cli, start_notifications, &error);
  AtlasNotificationList *list;

  if (response == NULL)
    {
      fail (cli, error, ATLAS_ERROR_SUBJECT_NONE);
      return;
    }
  list = response->payload;
  for (guint i = 0; i < list->notifications->len; i++)
    {
      AtlasNotification *n = g_ptr_array_index (list->notifications, i);

      if (cli->json)
        g_print ("{\"id\": %" G_GINT64_FORMAT ", \"run_id\": %" G_GINT64_FORMAT "}\n", n->id, n->run_id);
      else
        g_print ("#%" G_GINT64_FORMAT "  run #%" G_GINT64_FORMAT "  %s — %s\n", n->id, n->run_id,
                 n->title ? plain (cli, n->title) : "", n->body ? plain (cli, n->body) : "");
    }
}

static gboolean
parse_id (const char *text,
          gint64     *out)
{
  guint64 v;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *backend = NULL;
  g_autofree char *token_env = NULL;
  g_autofree char *tab = NULL;
  g_autofree char *search = NULL;
  gint64 workspace = 0, tenant = 0, page = 0;
  g_autofree char *download = NULL;
  gboolean json = FALSE, watch = FALSE, generate = FALSE, version = FALSE, insecure = FALSE;
  const GOptionEntry entries[] = {
    { "backend", 0, 0, G_OPTION_ARG_STRING, &backend, N_("Backend URL (default $ATLAS_BACKEND or http://127.0.0.1:8750)"), "URL" },
    { "token-env", 0, 0, G_OPTION_ARG_STRING, &token_env, N_("Read the token from this variable (default ATLAS_TOKEN)"), "VAR" },
    { "workspace", 0, 0, G_OPTION_ARG_INT64, &workspace, N_("Workspace (default: the first one /me lists)"), "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print presentations as JSON"), NULL },
    { "tab", 0, 0, G_OPTION_ARG_STRING, &tab, N_("runs: all, active, active_stale_attention, terminal_follow_up, completed"), "TAB" },
    { "tenant", 0, 0, G_OPTION_ARG_INT64, &tenant, N_("runs: only this tenant"), "ID" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("runs: only runs whose tenant name, type or run number (#ID) matches"), "TEXT" },
    { "page", 0, 0, G_OPTION_ARG_INT64, &page, N_("runs: page number (1-based)"), "N" },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch, N_("run: follow until terminal; exit 0 succeeded, 1 failed/blocked/cancelled, 2 partially succeeded, 3 unknown or error"), NULL },
    { "generate", 0, 0, G_OPTION_ARG_NONE, &generate, N_("review-pack: request a new pack"), NULL },
    { "download", 0, 0, G_OPTION_ARG_FILENAME, &download, N_("review-pack: save the ready pack's file here"), "FILE" },
    { "allow-insecure", 0, 0, G_OPTION_ARG_NONE, &insecure, N_("Allow plain http:// to a host that is not loopback"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(AtlasClient) client = NULL;
  const char *token;
  const char *command;
  Cli cli = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ATLAS_LOCALEDIR") ? g_getenv ("ATLAS_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGS] — watch TenantAtlas operation runs"));
  g_option_context_set_summary (context,
    _("Commands:\n"
      "  overview                 workspace totals, tenants and recent operations\n"
      "  runs                     the operations list (--tab, --tenant, --search, --page)\n"
      "  run ID [--watch]         one run, decision first; --watch follows it to the end\n"
      "  review-pack TENANT       the tenant's latest review pack (--generate to request one)\n"
      "  notifications            terminal notifications for runs you started"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("atlas-cli: %s\n", error->message);
      return EXIT_ERROR;
    }
  if (version)
    {
      g_print ("atlas-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return EXIT_ERROR;
    }
  command = argv[1];

  if (backend == NULL)
    backend = g_strdup (g_getenv ("ATLAS_BACKEND") ? g_getenv ("ATLAS_BACKEND") : "http://127.0.0.1:8750");
  token = g_getenv (token_env != NULL ? token_env : "ATLAS_TOKEN");
  if (token == NULL || token[0] == '\0')
    {
      g_printerr (_("atlas-cli: no token: set %s\n"), token_env != NULL ? token_env : "ATLAS_TOKEN");
      return EXIT_ERROR;
    }

  client = atlas_client_new (backend, token,
                             insecure ? ATLAS_CLIENT_FLAGS_ALLOW_INSECURE : ATLAS_CLIENT_FLAGS_NONE,
                             &error);
  if (client == NULL)
    {
      g_printerr ("atlas-cli: %s\n", error->message);
      return EXIT_ERROR;
    }
  {
    g_autofree char *ua = g_strdup_printf ("atlas-cli/%s", PACKAGE_VERSION);
    atlas_client_set_user_agent (client, ua);
  }

  loop = g_main_loop_new (NULL, FALSE);
  cli.client = client;
  cli.loop = loop;
  cli.workspace_id = workspace;
  cli.json = json;
  cli.color = !json && isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL;
  cli.tab = tab;
  cli.search = search;
  cli.tenant_id = tenant;
  cli.page = page;
  cli.watch = watch;
  cli.generate = generate;
  cli.download = download;

  if (g_str_equal (command, "overview"))
    cmd_overview (&cli);
  else if (g_str_equal (command, "runs"))
    cmd_runs (&cli);
  else if (g_str_equal (command, "run") || g_str_equal (command, "review-pack"))
    {
      if (argc < 3 || !parse_id (argv[2], &cli.target))
        {
          g_printerr (_("atlas-cli: %s needs a positive numeric ID\n"), command);
          return EXIT_ERROR;
        }
      if (g_str_equal (command, "run"))
        cmd_run (&cli);
      else
        cmd_review_pack (&cli);
    }
  else if (g_str_equal (command, "notifications"))
    cmd_notifications (&cli);
  else
    {
      g_printerr (_("atlas-cli: unknown command “%s”; see --help\n"), command);
      return EXIT_ERROR;
    }

  g_clear_pointer (&cli.cleaned, g_ptr_array_unref);
  return cli.exit_code;
}
