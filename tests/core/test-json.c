/* test-json.c — the bounded reader refuses hostile input with a clear error
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "atlas-json.h"
#include "atlas-run.h"

static void
expect_refused (const char     *data,
                gsize           len,
                AtlasJsonError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = atlas_json_parse (data, len, &error);

  g_assert_null (node);
  g_assert_error (error, ATLAS_JSON_ERROR, (int) code);
  /* A clear error names the problem in words. */
  g_assert_true (g_str_has_prefix (error->message, "Invalid response: "));
}

static void
expect_accepted (const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = atlas_json_parse (data, strlen (data), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
test_valid_documents (void)
{
  expect_accepted ("{}");
  expect_accepted ("[]");
  expect_accepted (" {\"a\": [1, 2.5, -3e2, true, false, null, \"x\\u00e9\\ud83d\\ude00\"]} ");
  expect_accepted ("{\"a\": {\"a\": {\"a\": 1}}, \"b\": {\"a\": 2}}");
  expect_accepted ("\"just a string\"");
  expect_accepted ("9223372036854775807");
  expect_accepted ("-9223372036854775808");
}

static void
test_deep_nesting (void)
{
  gsize depth = 100000;
  g_autofree char *buf = g_malloc (depth * 2);
  GString *ok;

  memset (buf, '[', depth);
  memset (buf + depth, ']', depth);
  expect_refused (buf, depth * 2, ATLAS_JSON_ERROR_TOO_DEEP);

  /* Unterminated deep nesting too. */
  expect_refused (buf, depth, ATLAS_JSON_ERROR_TOO_DEEP);

  /* Exactly at the limit is fine; one more level is not. */
  ok = g_string_new (NULL);
  for (guint i = 0; i < ATLAS_JSON_MAX_DEPTH; i++)
    g_string_append (ok, "{\"k\":");
  g_string_append (ok, "1");
  for (guint i = 0; i < ATLAS_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '}');
  expect_accepted (ok->str);
  g_string_prepend (ok, "[");
  g_string_append (ok, "]");
  expect_refused (ok->str, ok->len, ATLAS_JSON_ERROR_TOO_DEEP);
  g_string_free (ok, TRUE);
}

static void
test_too_large (void)
{
  gsize len = 20 * 1024 * 1024;
  g_autofree char *buf = g_malloc (len);

  memset (buf, ' ', len);
  buf[0] = '[';
  buf[len - 1] = ']';
  expect_refused (buf, len, ATLAS_JSON_ERROR_TOO_LARGE);
  /* Just over the limit as well. */
  expect_refused (buf, ATLAS_JSON_MAX_BYTES + 1, ATLAS_JSON_ERROR_TOO_LARGE);
}

static void
test_invalid_utf8 (void)
{
  static const char overlong[] = "{\"name\": \"\xc0\xaf\"}";
  static const char truncated[] = "{\"name\": \"\xe2\x82\"}";
  static const char with_nul[] = "{\"name\": \"a\0b\"}";

  expect_refused (overlong, sizeof overlong - 1, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused (truncated, sizeof truncated - 1, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused (with_nul, sizeof with_nul - 1, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused ("\"\\u0000\"", 8, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused ("\"\\ud800\"", 8, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused ("\"\\udc00\\ud800\"", 14, ATLAS_JSON_ERROR_INVALID_UTF8);
}

static void
test_duplicate_keys (void)
{
  GString *many = g_string_new ("{");

  expect_refused ("{\"id\": 1, \"id\": 2}", 18, ATLAS_JSON_ERROR_DUPLICATE_KEY);
  expect_refused ("{\"a\": {\"x\": 1, \"x\": 1}}", 23, ATLAS_JSON_ERROR_DUPLICATE_KEY);

  /* Escapes do not disguise a key: "\u0069d" is "id" (found by the fuzzer). */
  expect_refused ("{\"id\": 1, \"\\u0069d\": 2}", 21, ATLAS_JSON_ERROR_DUPLICATE_KEY);
  expect_refused ("{\"a\\/b\": 1, \"a/b\": 2}", 21, ATLAS_JSON_ERROR_DUPLICATE_KEY);
  expect_accepted ("{\"\\u0069d\": 1, \"idx\": 2, \"\\ud83d\\ude00\": 3}");

  /* Same key in sibling objects is not a duplicate. */
  expect_accepted ("[{\"id\": 1}, {\"id\": 2}]");

  /* Past the linear-scan limit the hash set must still catch it, at the very end. */
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (many, "\"k%u\": %u,", i, i);
  g_string_append (many, "\"k17\": 0}");
  expect_refused (many->str, many->len, ATLAS_JSON_ERROR_DUPLICATE_KEY);
  g_string_free (many, TRUE);
}

/* The value limit: up to ATLAS_JSON_MAX_VALUES values are fine, one more is refused
 * as too large before json-glib sees it — so is the 8 MiB amplification body. */
static void
test_value_limit (void)
{
  GString *doc = g_string_new ("[");
  gsize n;

  for (guint i = 0; i < ATLAS_JSON_MAX_VALUES - 1; i++)
    g_string_append (doc, i ? ",0" : "0");
  g_string_append_c (doc, ']');
  expect_accepted (doc->str);
  g_string_truncate (doc, doc->len - 1);
  g_string_append (doc, ",0]");
  expect_refused (doc->str, doc->len, ATLAS_JSON_ERROR_TOO_LARGE);

  g_string_assign (doc, "[");
  n = (ATLAS_JSON_MAX_BYTES - 2) / 3;
  for (gsize i = 0; i < n; i++)
    g_string_append (doc, i ? ",{}" : "{}");
  g_string_append_c (doc, ']');
  g_assert_cmpuint (doc->len, <=, ATLAS_JSON_MAX_BYTES);
  expect_refused (doc->str, doc->len, ATLAS_JSON_ERROR_TOO_LARGE);
  g_string_free (doc, TRUE);
}

/* UTF-8 is checked in the same pass as the grammar: outside strings a broken
 * sequence or a NUL is still reported as invalid UTF-8, a valid one as syntax. */
static void
test_utf8_outside_strings (void)
{
  expect_refused ("[1, \xff]", 7, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused ("[1]\0", 4, ATLAS_JSON_ERROR_INVALID_UTF8);
  expect_refused ("[1, \xc3\xa4]", 8, ATLAS_JSON_ERROR_SYNTAX);
  expect_refused ("{\"\xed\xa0\x80\": 1}", 9, ATLAS_JSON_ERROR_INVALID_UTF8);   /* a surrogate */
  expect_accepted ("{\"Gr\xc3\xbc\xc3\x9f" "e\": \"M\xc3\xbcller \xf0\x9f\x98\x80\"}");
}

/* Keys are compared by meaning in large objects too, across the growth of the set. */
static void
test_duplicate_keys_large (void)
{
  for (guint n = 20; n <= 300; n += 7)
    {
      GString *doc = g_string_new ("{");

      for (guint i = 0; i < n; i++)
        g_string_append_printf (doc, "\"key%u\": %u,", i, i);
      g_string_append (doc, "\"\\u006bey3\": 0}");
      expect_refused (doc->str, doc->len, ATLAS_JSON_ERROR_DUPLICATE_KEY);
      g_string_truncate (doc, doc->len - strlen ("\"\\u006bey3\": 0}"));
      g_string_append (doc, "\"other\": 0}");
      expect_accepted (doc->str);
      g_string_free (doc, TRUE);
    }
}

static void
test_huge_numbers (void)
{
  expect_refused ("{\"id\": 99999999999999999999}", 28, ATLAS_JSON_ERROR_NUMBER_RANGE);
  expect_refused ("[1e400]", 7, ATLAS_JSON_ERROR_NUMBER_RANGE);
  expect_refused ("[-1e99999]", 10, ATLAS_JSON_ERROR_NUMBER_RANGE);
  expect_refused ("[9223372036854775808]", 21, ATLAS_JSON_ERROR_NUMBER_RANGE);
}

static void
test_syntax_errors (void)
{
  static const char * const bad[] = {
    "", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a: 1}", "[01]", "[1.]", "[.5]",
    "[+1]", "[-]", "[1e]", "[tru]", "[nul]", "\"abc", "\"\\x\"", "\"\\u12\"", "{} {}",
    "[1] x", "NaN", "[Infinity]", "{\"a\":1,}", "\"\t\"", "\xef\xbb\xbf{}", "[\"a\"\"b\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = atlas_json_parse (bad[i], strlen (bad[i]), &error);

      g_test_message ("input %u: %s", i, bad[i]);
      g_assert_null (node);
      g_assert_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_SYNTAX);
    }
}

static void
test_wrong_types (void)
{
  static const struct {
    const char *json;
    int         code;
    const char *mentions;
  } cases[] = {
    { "{\"id\": \"15\"}", ATLAS_JSON_ERROR_WRONG_TYPE, "id" },
    { "{\"id\": 1.5}", ATLAS_JSON_ERROR_WRONG_TYPE, "id" },
    { "{\"id\": true}", ATLAS_JSON_ERROR_WRONG_TYPE, "id" },
    { "{\"tenant_id\": 7}", ATLAS_JSON_ERROR_MISSING_FIELD, "id" },
    { "{\"id\": null}", ATLAS_JSON_ERROR_MISSING_FIELD, "id" },
    { "{\"id\": 0}", ATLAS_JSON_ERROR_INVALID_VALUE, "id" },
    { "{\"id\": -4}", ATLAS_JSON_ERROR_INVALID_VALUE, "id" },
    { "{\"id\": 1, \"status\": 5}", ATLAS_JSON_ERROR_WRONG_TYPE, "status" },
    { "{\"id\": 1, \"tenant_name\": [\"a\"]}", ATLAS_JSON_ERROR_WRONG_TYPE, "tenant_name" },
    { "{\"id\": 1, \"summary_counts\": [1, 2]}", ATLAS_JSON_ERROR_WRONG_TYPE, "summary_counts" },
    { "{\"id\": 1, \"failure_summary\": {}}", ATLAS_JSON_ERROR_WRONG_TYPE, "failure_summary" },
    { "{\"id\": 1, \"failure_summary\": [3]}", ATLAS_JSON_ERROR_WRONG_TYPE, "failure_summary" },
    { "{\"id\": 1, \"initiated_by_me\": \"yes\"}", ATLAS_JSON_ERROR_WRONG_TYPE, "initiated_by_me" },
    { "{\"id\": 1, \"created_at\": 12}", ATLAS_JSON_ERROR_WRONG_TYPE, "created_at" },
    { "{\"id\": 1, \"created_at\": \"yesterday\"}", ATLAS_JSON_ERROR_INVALID_VALUE, "created_at" },
    { "{\"id\": 1, \"created_at\": \"2026-11-22T10:15:00\"}", ATLAS_JSON_ERROR_INVALID_VALUE, "created_at" },
    { "{\"id\": 1, \"initiator\": \"Dana\"}", ATLAS_JSON_ERROR_WRONG_TYPE, "initiator" },
    { "{\"id\": 1, \"links\": {\"web\": 3}}", ATLAS_JSON_ERROR_WRONG_TYPE, "web" },
    { "[1, 2]", ATLAS_JSON_ERROR_WRONG_TYPE, "object" },
    { "{\"data\": [1]}", ATLAS_JSON_ERROR_WRONG_TYPE, "data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AtlasRun) run = atlas_run_new_from_data (cases[i].json, strlen (cases[i].json), &error);

      g_test_message ("case %u: %s → %s", i, cases[i].json, error ? error->message : "(no error)");
      g_assert_null (run);
      g_assert_error (error, ATLAS_JSON_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

static void
test_timestamps (void)
{
  g_autofree char *formatted = NULL;

  g_assert_cmpint (atlas_timestamp_parse ("2026-11-22T10:15:00Z"), ==, 1795342500);
  g_assert_cmpint (atlas_timestamp_parse ("2026-11-22T11:15:00+01:00"), ==, 1795342500);
  g_assert_cmpint (atlas_timestamp_parse ("2026-11-22T10:15:00.999Z"), ==, 1795342500);
  g_assert_cmpint (atlas_timestamp_parse ("2026-11-22 10:15:00Z"), ==, ATLAS_TIME_NONE);
  g_assert_cmpint (atlas_timestamp_parse ("2026-W47-7T10:15:00Z"), ==, ATLAS_TIME_NONE);
  g_assert_cmpint (atlas_timestamp_parse ("2026-13-22T10:15:00Z"), ==, ATLAS_TIME_NONE);
  g_assert_cmpint (atlas_timestamp_parse (""), ==, ATLAS_TIME_NONE);
  formatted = atlas_timestamp_format (1795342500);
  g_assert_cmpstr (formatted, ==, "2026-11-22T10:15:00Z");
  g_clear_pointer (&formatted, g_free);

  /* Early years are written with four digits and read back (found by the fuzzer). */
  formatted = atlas_timestamp_format (atlas_timestamp_parse ("0999-12-31T23:59:59Z"));
  g_assert_cmpstr (formatted, ==, "0999-12-31T23:59:59Z");
  /* Offsets that push a time outside years 1..9999 in UTC are refused. */
  g_assert_cmpint (atlas_timestamp_parse ("0001-01-01T00:00:00+01:00"), ==, ATLAS_TIME_NONE);
  g_assert_cmpint (atlas_timestamp_parse ("9999-12-31T23:59:59-01:00"), ==, ATLAS_TIME_NONE);

  /* Differences saturate instead of overflowing. */
  g_assert_cmpint (atlas_time_diff (G_MININT64 + 1, 1795342500), ==, G_MININT64 + 1);
  g_assert_cmpint (atlas_time_diff (G_MAXINT64, -5), ==, G_MAXINT64);
  g_assert_cmpint (atlas_time_diff (10, 4), ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/json/valid", test_valid_documents);
  g_test_add_func ("/core/json/deep-nesting", test_deep_nesting);
  g_test_add_func ("/core/json/too-large", test_too_large);
  g_test_add_func ("/core/json/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/core/json/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/core/json/duplicate-keys-large", test_duplicate_keys_large);
  g_test_add_func ("/core/json/value-limit", test_value_limit);
  g_test_add_func ("/core/json/utf8-outside-strings", test_utf8_outside_strings);
  g_test_add_func ("/core/json/huge-numbers", test_huge_numbers);
  g_test_add_func ("/core/json/syntax-errors", test_syntax_errors);
  g_test_add_func ("/core/json/wrong-types", test_wrong_types);
  g_test_add_func ("/core/json/timestamps", test_timestamps);

  return g_test_run ();
}
