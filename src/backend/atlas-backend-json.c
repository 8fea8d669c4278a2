/* atlas-backend-json.c — JSON writing: strings, RFC 3339 times, run and pack rows
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-backend"

#include "config.h"

#include "atlas-backend-json.h"
#include "atlas-backend-store.h"

/* The server writes its JSON by hand: bodies are built in one pass straight from the
 * statement columns, without a JsonNode tree per row (the scale lists are 100 rows). */

/* Always UTC with a Z and whole seconds: the contract's one timestamp form. */
char *
atlas_backend_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  /* Out of GDateTime's range: a valid time beats an invalid document. */
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
atlas_backend_parse_time (const char *text,
                          gint64     *out_seconds)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  /* No default zone: a timestamp without an offset is refused, not guessed. */
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *out_seconds = g_date_time_to_unix (dt);
  return TRUE;
}

/* Escapes per RFC 8259; input is UTF-8 already (the store only holds validated text). */
void
atlas_backend_append_json_string (GString    *out,
                                  const char *str)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) str; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          /* Other control characters are illegal raw in JSON strings. */
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
atlas_backend_append_time (GString *out,
                           gint64   unix_seconds)
{
  g_autofree char *text = atlas_backend_format_time (unix_seconds);

  g_string_append_c (out, '"');
  g_string_append (out, text);
  g_string_append_c (out, '"');
}

/* NULL columns become JSON null, never "" or 0: the contract tells them apart. */
static void
append_text_column (GString      *out,
                    sqlite3_stmt *stmt,
                    int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    g_string_append (out, "null");
  else
    atlas_backend_append_json_string (out, (const char *) sqlite3_column_text (stmt, col));
}

static void
append_time_column (GString      *out,
                    sqlite3_stmt *stmt,
                    int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    g_string_append (out, "null");
  else
    atlas_backend_append_time (out, sqlite3_column_int64 (stmt, col));
}

static void
append_int_column (GString      *out,
                   sqlite3_stmt *stmt,
                   int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    g_string_append (out, "null");
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, col));
}

/* Renders one row of ATLAS_BACKEND_RUN_SELECT, field for field as in the contract. */
void
atlas_backend_append_run (GString      *out,
                          sqlite3_stmt *stmt,
                          gint64        viewer_id)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);
  gint64 workspace_id = sqlite3_column_int64 (stmt, 1);
  gboolean has_initiator = sqlite3_column_type (stmt, 17) != SQLITE_NULL;

  g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"workspace_id\":%" G_GINT64_FORMAT
                          ",\"tenant_id\":", id, workspace_id);
  append_int_column (out, stmt, 2);
  g_string_append (out, ",\"tenant_name\":");
  append_text_column (out, stmt, 3);
  g_string_append (out, ",\"type\":");
  append_text_column (out, stmt, 4);
  g_string_append (out, ",\"type_label\":");
  append_text_column (out, stmt, 5);
  g_string_append (out, ",\"status\":");
  append_text_column (out, stmt, 6);
  g_string_append (out, ",\"outcome\":");
  append_text_column (out, stmt, 7);
  g_string_append (out, ",\"freshness\":");
  append_text_column (out, stmt, 8);
  g_string_append (out, ",\"problem_class\":");
  append_text_column (out, stmt, 9);
  g_string_append (out, ",\"created_at\":");
  append_time_column (out, stmt, 10);
  g_string_append (out, ",\"started_at\":");
  append_time_column (out, stmt, 11);
  g_string_append (out, ",\"completed_at\":");
  append_time_column (out, stmt, 12);
  g_string_append (out, ",\"last_progress_at\":");
  append_time_column (out, stmt, 13);
  g_string_append (out, ",\"lifecycle_window_seconds\":");
  append_int_column (out, stmt, 14);
  /* Both were validated and re-serialized by json-glib when they were written. */
  g_string_append (out, ",\"summary_counts\":");
  g_string_append (out, (const char *) sqlite3_column_text (stmt, 15));
  g_string_append (out, ",\"failure_summary\":");
  g_string_append (out, (const char *) sqlite3_column_text (stmt, 16));
  /* A system run has no initiator: null, and it is never "initiated by me". */
  g_string_append (out, ",\"initiator\":");
  if (has_initiator)
    {
      g_string_append (out, "{\"id\":");
      append_int_column (out, stmt, 17);
      g_string_append (out, ",\"name\":");
      append_text_column (out, stmt, 18);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ",\"initiated_by_me\":%s",
                          has_initiator && sqlite3_column_int64 (stmt, 17) == viewer_id
                          ? "true" : "false");
  /* Present only for runs the reconciler closed; clients show why from it. */
  g_string_append (out, ",\"reconciliation\":");
  if (sqlite3_column_type (stmt, 19) != SQLITE_NULL)
    {
      g_string_append (out, "{\"reconciled_at\":");
      append_time_column (out, stmt, 19);
      g_string_append (out, ",\"reason_code\":");
      append_text_column (out, stmt, 20);
      g_string_append (out, ",\"previous_status\":");
      append_text_column (out, stmt, 21);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");
  /* The deep link is derived, not stored: it follows the ids. */
  g_string_append_printf (out, ",\"links\":{\"web\":\"" ATLAS_BACKEND_WEB_BASE
                          "/admin/workspaces/%" G_GINT64_FORMAT "/operations/%" G_GINT64_FORMAT
                          "\"}}", workspace_id, id);
}

/* Renders ATLAS_BACKEND_PACK_COLUMNS starting at column c, so joins can prepend. */
void
atlas_backend_append_pack (GString      *out,
                           sqlite3_stmt *stmt,
                           int           c)
{
  g_string_append (out, "{\"id\":");
  append_int_column (out, stmt, c + 0);
  g_string_append (out, ",\"tenant_id\":");
  append_int_column (out, stmt, c + 1);
  g_string_append (out, ",\"status\":");
  append_text_column (out, stmt, c + 2);
  g_string_append (out, ",\"operation_run_id\":");
  append_int_column (out, stmt, c + 3);
  g_string_append (out, ",\"generated_at\":");
  append_time_column (out, stmt, c + 4);
  g_string_append (out, ",\"expires_at\":");
  append_time_column (out, stmt, c + 5);
  g_string_append (out, ",\"file_size\":");
  append_int_column (out, stmt, c + 6);
  g_string_append (out, ",\"download_url\":");
  append_text_column (out, stmt, c + 7);
  g_string_append_c (out, '}');
}
