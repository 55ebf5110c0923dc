/*
 * json_mini.h: a small JSON reader for the tests (RFC 8259, UTF-8 in, strings unescaped to
 * UTF-8 with \uXXXX surrogate pairs). Enough to read the library's results, the sans-IO
 * actions and the test vectors exactly, without an external library.
 *
 * Every value keeps its span in the text (`raw`, `raw_len`), so a member can be handed on to
 * the library byte for byte (numbers keep their exact text). The spans point into a copy of the
 * text owned by the root value: the source may be freed right after parsing.
 */

#ifndef JSON_MINI_H
#define JSON_MINI_H

#include <stddef.h>

typedef enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv {
    jv_type type;
    const char *raw; /* the value's text in the source (borrowed) */
    size_t raw_len;
    char *str; /* JV_STR: the unescaped text (NUL-terminated); JV_NUM: the number's text */
    size_t str_len;
    int boolean;          /* JV_BOOL */
    struct jv **items;    /* JV_ARR: elements; JV_OBJ: member values */
    char **keys;          /* JV_OBJ: member names (unescaped, NUL-terminated) */
    size_t n;             /* number of elements or members */
    char *owned;          /* the root only: the copy of the text the spans point into */
} jv;

/* Parses `len` bytes of `text` (copied: it need not outlive the result). Returns
 * NULL on a syntax error and writes a message to `err` (may be NULL). Free with jv_free. */
jv *jv_parse(const char *text, size_t len, char *err, size_t err_len);
/* Parses a NUL-terminated text. */
jv *jv_parse_str(const char *text);
void jv_free(jv *v);

/* The member `key` of an object (NULL if `v` is NULL, not an object, or has no such member). */
const jv *jv_get(const jv *v, const char *key);
/* Element `i` of an array (NULL when out of range or not an array). */
const jv *jv_at(const jv *v, size_t i);
/* A path of members and indexes separated by '.': "meta.warnings.0.code". */
const jv *jv_path(const jv *v, const char *path);
/* The unescaped text of a string value, else NULL. */
const char *jv_str(const jv *v);
/* The text of a string at `path`, else NULL. */
const char *jv_path_str(const jv *v, const char *path);
/* 1 when `v` is the JSON literal true. */
int jv_is_true(const jv *v);
int jv_is_false(const jv *v);
int jv_is_null(const jv *v); /* JSON null, or NULL (absent) */
/* A number as a long long (0 when not a number). */
long long jv_int(const jv *v);
/* The number of elements or members (0 otherwise). */
size_t jv_len(const jv *v);

/* `expected` is matched by `actual`: objects by the members of `expected` only (a member
 * missing from `actual` matches null), arrays element by element with equal lengths, numbers
 * by their text, strings exactly or, when both are RFC 3339 timestamps, as the same instant. */
int jv_matches(const jv *expected, const jv *actual);

#endif /* JSON_MINI_H */
