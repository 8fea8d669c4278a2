/* atlas-json.c — bounded pre-scan and typed member access for API responses
 * Copyright 2026 The TenantAtlas Operator authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "atlas-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "atlas-json.h"

typedef struct
{
  const char *start;
  gsize       len;
  guint32     hash;      /* FNV-1a of the key as it means (escapes decoded) */
  char       *decoded;   /* set when the key was written with escapes */
} KeySpan;

typedef struct
{
  char        kind;        /* '{' or '[' */
  guint       keys_start;  /* index of this object's first key in Scanner.keys */
  guint      *slots;       /* open-addressing set of key indices + 1, only for objects with many keys */
  guint       n_slots;     /* a power of two */
} Frame;

typedef struct
{
  const char *p;
  const char *end;
  const char *data;
  KeySpan    *keys;        /* the keys of every open object, innermost last */
  guint       n_keys;
  guint       keys_size;
  KeySpan     inline_keys[64];   /* enough for any real answer: no allocation */
  Frame       frames[ATLAS_JSON_MAX_DEPTH + 1];
  guint       depth;
  guint       n_values;
} Scanner;

/* Objects with more keys than this switch from a linear scan (hash compared first)
 * to a hash set of indices, so that a hostile object with 100,000 keys costs linear
 * time, not quadratic — and no key is ever copied. */
#define LINEAR_KEY_LIMIT 24

G_DEFINE_QUARK (atlas-json-error-quark, atlas_json_error)

/* Bytes outside ASCII, valid or not, and NUL: what a syntax error at @p really is. */
static gboolean
byte_is_bad_utf8 (const char *p,
                  const char *end)
{
  gunichar c;

  if (*p == '\0')
    return TRUE;
  if ((guchar) *p < 0x80)
    return FALSE;
  c = g_utf8_get_char_validated (p, end - p);
  return c == (gunichar) -1 || c == (gunichar) -2;
}

static gboolean
scan_fail (Scanner     *s,
           GError     **error,
           AtlasJsonError code,
           const char  *what)
{
  /* There is no separate UTF-8 pass any more: a grammar error on a NUL or a broken
   * sequence is reported as what it is. */
  if (code == ATLAS_JSON_ERROR_SYNTAX && s->p < s->end && byte_is_bad_utf8 (s->p, s->end))
    {
      code = ATLAS_JSON_ERROR_INVALID_UTF8;
      what = "invalid UTF-8";
    }
  g_set_error (error, ATLAS_JSON_ERROR, code,
               "Invalid response: %s at byte %" G_GSIZE_FORMAT,
               what, (gsize) (s->p - s->data));
  return FALSE;
}

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scanner *s,
           guint   *out)
{
  guint v = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);
      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* Bytes a string may hold as they are: printable ASCII but the quote and backslash. */
#define P1 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const guint8 plain_byte[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x22 '"' */
  P1, P1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x5c '\\' */
  P1, P1,
};
#undef P1

/* s->p is on the opening quote; on success it is just past the closing one. */
static gboolean
scan_string (Scanner  *s,
             KeySpan  *span,
             GError  **error)
{
  const char *start = ++s->p;

  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      /* The common case first: printable ASCII other than '"' and '\\'. */
      if (plain_byte[c])
        {
          s->p++;
          continue;
        }
      if (c >= 0x80)
        {
          /* UTF-8 is checked here, in the one pass: only strings may hold it. */
          gunichar u = g_utf8_get_char_validated (s->p, s->end - s->p);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            return scan_fail (s, error, ATLAS_JSON_ERROR_INVALID_UTF8, "invalid UTF-8 in a string");
          s->p = g_utf8_next_char (s->p);
          continue;
        }
      if (c == '"')
        {
          if (span != NULL)
            {
              span->start = start;
              span->len = (gsize) (s->p - start);
            }
          s->p++;
          return TRUE;
        }
      if (c == 0)
        return scan_fail (s, error, ATLAS_JSON_ERROR_INVALID_UTF8, "NUL in a string");
      if (c < 0x20)
        return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "control character in a string");
      if (c == '\\')
        {
          s->p++;
          if (s->p >= s->end)
            break;
          switch (*s->p)
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              s->p++;
              break;
            case 'u':
              {
                guint cp;

                s->p++;
                if (!read_hex4 (s, &cp))
                  return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "bad \\u escape");
                /* NUL would silently truncate the string inside json-glib. */
                if (cp == 0)
                  return scan_fail (s, error, ATLAS_JSON_ERROR_INVALID_UTF8, "\\u0000 in a string");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                  return scan_fail (s, error, ATLAS_JSON_ERROR_INVALID_UTF8, "unpaired surrogate");
                if (cp >= 0xD800 && cp <= 0xDBFF)
                  {
                    guint low;

                    if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                      return scan_fail (s, error, ATLAS_JSON_ERROR_INVALID_UTF8, "unpaired surrogate");
                    s->p += 2;
                    if (!read_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                      return scan_fail (s, error, ATLAS_JSON_ERROR_INVALID_UTF8, "unpaired surrogate");
                  }
              }
              break;
            default:
              return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "unknown escape in a string");
            }
          continue;
        }
      s->p++;
    }

  return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "unterminated string");
}

static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  const char *start = s->p;
  gboolean is_integer = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p >= s->end)
    return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "truncated number");
  if (*s->p == '0')
    s->p++;
  else if (*s->p >= '1' && *s->p <= '9')
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  else
    return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "malformed number");

  if (s->p < s->end && *s->p == '.')
    {
      is_integer = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "malformed number");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      is_integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "malformed number");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }

  {
    gsize len = (gsize) (s->p - start);
    char stack_buf[64];
    g_autofree char *heap_buf = NULL;
    char *buf = stack_buf;

    if (len >= sizeof stack_buf)
      buf = heap_buf = g_malloc (len + 1);
    memcpy (buf, start, len);
    buf[len] = '\0';

    errno = 0;
    if (is_integer)
      {
        (void) g_ascii_strtoll (buf, NULL, 10);
        if (errno == ERANGE)
          return scan_fail (s, error, ATLAS_JSON_ERROR_NUMBER_RANGE, "integer out of range");
      }
    else
      {
        double d = g_ascii_strtod (buf, NULL);
        if (!isfinite (d))
          return scan_fail (s, error, ATLAS_JSON_ERROR_NUMBER_RANGE, "number out of range");
      }
  }

  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word,
              GError    **error)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "unexpected token");
  s->p += len;
  return TRUE;
}

static void
key_span_clear (gpointer data)
{
  KeySpan *span = data;

  g_clear_pointer (&span->decoded, g_free);
}

#define KEY(s, i) ((s)->keys[(i)])

static void
keys_truncate (Scanner *s,
               guint    n)
{
  while (s->n_keys > n)
    key_span_clear (&s->keys[--s->n_keys]);
}

static gboolean
push_frame (Scanner  *s,
            char      kind,
            GError  **error)
{
  Frame *f;

  if (s->depth >= ATLAS_JSON_MAX_DEPTH)
    return scan_fail (s, error, ATLAS_JSON_ERROR_TOO_DEEP, "nesting deeper than 64 levels");
  f = &s->frames[s->depth++];
  f->kind = kind;
  f->keys_start = s->n_keys;
  f->slots = NULL;
  f->n_slots = 0;
  s->p++;
  return TRUE;
}

static void
pop_frame (Scanner *s)
{
  Frame *f = &s->frames[--s->depth];

  g_clear_pointer (&f->slots, g_free);
  if (f->kind == '{')
    keys_truncate (s, f->keys_start);
}

/* Keys are compared by what they mean: "\u0069d" is "id". The string was already
 * validated by scan_string(), so every escape here is well formed. */
static void
decode_key (KeySpan *span)
{
  GString *out;
  const char *p = span->start;
  const char *end = span->start + span->len;

  if (memchr (p, '\\', span->len) == NULL)
    return;

  out = g_string_sized_new (span->len);
  while (p < end)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      switch (*p++)
        {
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar cp = 0;

            for (guint i = 0; i < 4; i++)
              cp = (cp << 4) | (gunichar) hex_value (*p++);
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                gunichar low = 0;

                p += 2;   /* the "\u" of the low surrogate */
                for (guint i = 0; i < 4; i++)
                  low = (low << 4) | (gunichar) hex_value (*p++);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              }
            g_string_append_unichar (out, cp);
          }
          break;
        default:   /* '"', '\\' and '/' stand for themselves */
          g_string_append_c (out, p[-1]);
          break;
        }
    }
  span->len = out->len;
  span->decoded = g_string_free (out, FALSE);
  span->start = span->decoded;
}


static guint32
key_hash (const KeySpan *span)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < span->len; i++)
    h = (h ^ (guchar) span->start[i]) * 16777619u;
  return h;
}

static gboolean
same_key (const KeySpan *a,
          const KeySpan *b)
{
  return a->hash == b->hash && a->len == b->len && memcmp (a->start, b->start, a->len) == 0;
}

/* Puts key @index into the frame's set; FALSE if an equal key is there already. */
static gboolean
slot_insert (Scanner *s,
             Frame   *f,
             guint    index)
{
  const KeySpan *key = &KEY (s, index);
  guint i = key->hash & (f->n_slots - 1);

  while (f->slots[i] != 0)
    {
      if (same_key (&KEY (s, f->slots[i] - 1), key))
        return FALSE;
      i = (i + 1) & (f->n_slots - 1);
    }
  f->slots[i] = index + 1;
  return TRUE;
}

/* (Re)builds the set for @n_keys keys at a load of at most 1/4, from the frame's
 * keys before index @upto (all distinct). */
static void
slots_rebuild (Scanner *s,
               Frame   *f,
               guint    n_keys,
               guint    upto)
{
  guint size = 64;

  while (size < n_keys * 4)
    size *= 2;
  g_free (f->slots);
  f->slots = g_new0 (guint, size);
  f->n_slots = size;
  for (guint i = f->keys_start; i < upto; i++)
    slot_insert (s, f, i);
}

static gboolean
add_key (Scanner  *s,
         KeySpan  *span,
         GError  **error)
{
  Frame *f = &s->frames[s->depth - 1];
  guint n = s->n_keys - f->keys_start;

  span->hash = key_hash (span);
  /* The array owns span->decoded from here on, whatever happens next. */
  if (s->n_keys == s->keys_size)
    {
      KeySpan *bigger = g_new (KeySpan, s->keys_size * 2);

      memcpy (bigger, s->keys, s->n_keys * sizeof (KeySpan));
      if (s->keys != s->inline_keys)
        g_free (s->keys);
      s->keys = bigger;
      s->keys_size *= 2;
    }
  s->keys[s->n_keys++] = *span;

  if (f->slots == NULL)
    {
      for (guint i = f->keys_start; i < s->n_keys - 1; i++)
        if (same_key (&KEY (s, i), span))
          return scan_fail (s, error, ATLAS_JSON_ERROR_DUPLICATE_KEY, "duplicate key");
      if (n + 1 > LINEAR_KEY_LIMIT)
        slots_rebuild (s, f, n + 1, s->n_keys);
      return TRUE;
    }

  /* Grown from the keys before this one, then this one is checked. */
  if ((n + 1) * 2 > f->n_slots)
    slots_rebuild (s, f, n + 1, s->n_keys - 1);
  if (!slot_insert (s, f, s->n_keys - 1))
    return scan_fail (s, error, ATLAS_JSON_ERROR_DUPLICATE_KEY, "duplicate key");
  return TRUE;
}

/* A complete, iterative JSON grammar check in one pass over the bytes: UTF-8 (only
 * strings may hold non-ASCII), depth, the number of values, duplicate keys (compared
 * by meaning, escapes decoded), numbers that fit, strings json-glib keeps intact. */
static gboolean
scan_document (Scanner  *s,
               GError  **error)
{
  gboolean expect_value = TRUE;

  for (;;)
    {
      skip_ws (s);
      if (s->p >= s->end)
        {
          if (!expect_value && s->depth == 0)
            return TRUE;
          return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "unexpected end of data");
        }

      if (expect_value)
        {
          /* Each value costs json-glib a node or more: bound them, whatever their size. */
          if (++s->n_values > ATLAS_JSON_MAX_VALUES)
            return scan_fail (s, error, ATLAS_JSON_ERROR_TOO_LARGE, "more than "
                              G_STRINGIFY (ATLAS_JSON_MAX_VALUES) " values");
          switch (*s->p)
            {
            case '{':
              if (!push_frame (s, '{', error))
                return FALSE;
              skip_ws (s);
              if (s->p < s->end && *s->p == '}')
                {
                  s->p++;
                  pop_frame (s);
                  break;
                }
              goto object_key;
            case '[':
              if (!push_frame (s, '[', error))
                return FALSE;
              skip_ws (s);
              if (s->p < s->end && *s->p == ']')
                {
                  s->p++;
                  pop_frame (s);
                  break;
                }
              continue;
            case '"':
              if (!scan_string (s, NULL, error))
                return FALSE;
              break;
            case 't':
              if (!scan_literal (s, "true", error))
                return FALSE;
              break;
            case 'f':
              if (!scan_literal (s, "false", error))
                return FALSE;
              break;
            case 'n':
              if (!scan_literal (s, "null", error))
                return FALSE;
              break;
            default:
              if (*s->p == '-' || g_ascii_isdigit (*s->p))
                {
                  if (!scan_number (s, error))
                    return FALSE;
                  break;
                }
              return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "unexpected character");
            }
          expect_value = FALSE;
          continue;
        }

      /* After a value: close containers or move to the next member. */
      if (s->depth == 0)
        return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "trailing data after the document");

      {
        Frame *f = &s->frames[s->depth - 1];
        char close = f->kind == '{' ? '}' : ']';

        if (*s->p == close)
          {
            s->p++;
            pop_frame (s);
            continue;
          }
        if (*s->p != ',')
          return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "expected ',' or a closing bracket");
        s->p++;
        if (f->kind == '[')
          {
            expect_value = TRUE;
            continue;
          }
      }

    object_key:
      {
        KeySpan span = { NULL, 0, 0, NULL };

        skip_ws (s);
        if (s->p >= s->end || *s->p != '"')
          return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "expected an object key");
        if (!scan_string (s, &span, error))
          return FALSE;
        decode_key (&span);
        if (!add_key (s, &span, error))
          return FALSE;
        skip_ws (s);
        if (s->p >= s->end || *s->p != ':')
          return scan_fail (s, error, ATLAS_JSON_ERROR_SYNTAX, "expected ':' after a key");
        s->p++;
        expect_value = TRUE;
      }
    }
}

gboolean
atlas_json_check (const char  *data,
                  gsize        length,
                  GError     **error)
{
  Scanner s = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > ATLAS_JSON_MAX_BYTES)
    {
      g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_TOO_LARGE,
                   "Invalid response: %" G_GSIZE_FORMAT " bytes is over the limit of %d bytes",
                   length, ATLAS_JSON_MAX_BYTES);
      return FALSE;
    }
  if (length == 0)
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_SYNTAX,
                           "Invalid response: empty body");
      return FALSE;
    }
  s.data = s.p = data;
  s.end = data + length;
  s.keys = s.inline_keys;
  s.keys_size = G_N_ELEMENTS (s.inline_keys);

  ok = scan_document (&s, error);
  while (s.depth > 0)
    pop_frame (&s);
  keys_truncate (&s, 0);
  if (s.keys != s.inline_keys)
    g_free (s.keys);

  return ok;
}

JsonNode *
atlas_json_parse (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!atlas_json_check (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_SYNTAX,
                   "Invalid response: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_SYNTAX,
                           "Invalid response: no JSON document");
      return NULL;
    }

  return json_node_ref (root);
}

JsonNode *
atlas_json_parse_bytes (GBytes  *bytes,
                        GError **error)
{
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  return atlas_json_parse (data != NULL ? data : "", len, error);
}

static const char *
node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return "a string";
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return "a boolean";
  return "a number";
}

static gboolean
wrong_type (JsonNode    *node,
            const char  *member,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_WRONG_TYPE,
               "Invalid response: “%s” should be %s, not %s",
               member, expected, node_type_name (node));
  return FALSE;
}

static gboolean
missing (const char  *member,
         GError     **error)
{
  g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_MISSING_FIELD,
               "Invalid response: required field “%s” is missing", member);
  return FALSE;
}

/* Returns the member node, or NULL for absent or JSON null. */
static JsonNode *
lookup (JsonObject *object,
        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
atlas_json_node_get_int64 (JsonNode *node,
                           gint64   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Integral doubles within the exactly representable range only. */
      if (isfinite (d) && d == floor (d) && fabs (d) <= 9007199254740992.0)
        {
          *out = (gint64) d;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
atlas_json_get_int64 (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      gint64       default_value,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = lookup (object, member);
  if (node == NULL)
    {
      if (required)
        return missing (member, error);
      *out = default_value;
      return TRUE;
    }
  if (!atlas_json_node_get_int64 (node, out))
    return wrong_type (node, member, "an integer", error);
  return TRUE;
}

gboolean
atlas_json_get_boolean (JsonObject  *object,
                        const char  *member,
                        gboolean     default_value,
                        gboolean    *out,
                        GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = lookup (object, member);
  if (node == NULL)
    {
      *out = default_value;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (node, member, "a boolean", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
atlas_json_get_string (JsonObject  *object,
                       const char  *member,
                       gboolean     required,
                       char       **out,
                       GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = lookup (object, member);
  if (node == NULL)
    {
      if (required)
        return missing (member, error);
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (node, member, "a string", error);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
atlas_json_get_timestamp (JsonObject  *object,
                          const char  *member,
                          gint64      *out,
                          GError     **error)
{
  JsonNode *node;
  gint64 t;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = lookup (object, member);
  if (node == NULL)
    {
      *out = ATLAS_TIME_NONE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (node, member, "an RFC 3339 timestamp", error);

  t = atlas_timestamp_parse (json_node_get_string (node));
  if (t == ATLAS_TIME_NONE)
    {
      g_set_error (error, ATLAS_JSON_ERROR, ATLAS_JSON_ERROR_INVALID_VALUE,
                   "Invalid response: “%s” is not an RFC 3339 timestamp", member);
      return FALSE;
    }
  *out = t;
  return TRUE;
}

gboolean
atlas_json_get_object (JsonObject  *object,
                       const char  *member,
                       gboolean     required,
                       JsonObject **out,
                       GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = lookup (object, member);
  *out = NULL;
  if (node == NULL)
    return required ? missing (member, error) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (node, member, "an object", error);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
atlas_json_get_array (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      JsonArray  **out,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = lookup (object, member);
  *out = NULL;
  if (node == NULL)
    return required ? missing (member, error) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (node, member, "an array", error);
  *out = json_node_get_array (node);
  return TRUE;
}

/* RFC 3339 only (a date, 'T', a time, and 'Z' or an offset); returns Unix seconds,
 * fractions floored, or ATLAS_TIME_NONE. */
/* now − then without overflow: hostile timestamps must not be undefined behaviour. */
gint64
atlas_time_diff (gint64 now,
                 gint64 then)
{
  gint64 d;

  if (__builtin_sub_overflow (now, then, &d))
    return now > then ? G_MAXINT64 : G_MININT64 + 1;
  return d;
}

gint64
atlas_timestamp_parse (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;
  gsize len;

  if (text == NULL)
    return ATLAS_TIME_NONE;
  len = strlen (text);
  /* "2026-11-22T10:15:00Z" is the shortest form; refuse ISO 8601 week dates etc. */
  if (len < 20 || len > 40 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
    return ATLAS_TIME_NONE;
  /* An explicit offset is mandatory: never fall back to the local time zone. */
  if (text[len - 1] != 'Z' && text[len - 1] != 'z' &&
      !((text[len - 6] == '+' || text[len - 6] == '-') && text[len - 3] == ':'))
    return ATLAS_TIME_NONE;

  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return ATLAS_TIME_NONE;
  /* "0001-01-01T00:00:00+01:00" is before year 1 in UTC: outside what we can
   * write back, so outside what we accept. */
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (g_date_time_to_unix (dt));
    if (utc == NULL)
      return ATLAS_TIME_NONE;
  }
  return g_date_time_to_unix (dt);
}

char *
atlas_timestamp_format (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_seconds == ATLAS_TIME_NONE)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_seconds);
  if (dt == NULL)
    return NULL;
  /* Not "%Y": GLib does not pad years before 1000, and RFC 3339 needs four digits. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt));
}
