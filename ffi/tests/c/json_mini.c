/* json_mini.c: see json_mini.h. */

#define _POSIX_C_SOURCE 200809L

#include "json_mini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *s;
    size_t len;
    size_t pos;
    int depth;
    char *err;
    size_t err_len;
    int failed;
} parser;

static void *jm_alloc(size_t n) {
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "json_mini: out of memory\n");
        exit(2);
    }
    return p;
}

static void *jm_realloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "json_mini: out of memory\n");
        exit(2);
    }
    return q;
}

static void fail(parser *p, const char *what) {
    if (!p->failed && p->err && p->err_len)
        snprintf(p->err, p->err_len, "%s at byte %zu", what, p->pos);
    p->failed = 1;
}

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            p->pos++;
        else
            break;
    }
}

static int hex4(parser *p, unsigned *out) {
    unsigned v = 0;
    int i;
    if (p->pos + 4 > p->len) {
        fail(p, "truncated \\u escape");
        return 0;
    }
    for (i = 0; i < 4; i++) {
        char c = p->s[p->pos++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else {
            fail(p, "bad \\u escape");
            return 0;
        }
    }
    *out = v;
    return 1;
}

static void put_utf8(char *out, size_t *n, unsigned cp) {
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Reads a string at p->pos (the opening quote); returns it unescaped, or NULL. */
static char *parse_string(parser *p, size_t *out_len) {
    size_t start, n = 0;
    char *out;
    if (p->pos >= p->len || p->s[p->pos] != '"') {
        fail(p, "expected a string");
        return NULL;
    }
    p->pos++;
    start = p->pos;
    /* The unescaped text is never longer than the escaped one. */
    {
        size_t end = start;
        while (end < p->len && p->s[end] != '"') {
            if (p->s[end] == '\\')
                end++;
            end++;
        }
        if (end >= p->len) {
            fail(p, "unterminated string");
            return NULL;
        }
        out = jm_alloc(end - start + 1);
    }
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            out[n] = '\0';
            if (out_len)
                *out_len = n;
            return out;
        }
        if ((unsigned char)c < 0x20) {
            fail(p, "control character in a string");
            free(out);
            return NULL;
        }
        if (c != '\\') {
            out[n++] = c;
            p->pos++;
            continue;
        }
        p->pos++;
        if (p->pos >= p->len)
            break;
        c = p->s[p->pos++];
        switch (c) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (!hex4(p, &cp)) {
                free(out);
                return NULL;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p->pos + 6 <= p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
                    p->pos += 2;
                    if (!hex4(p, &lo)) {
                        free(out);
                        return NULL;
                    }
                    if (lo >= 0xDC00 && lo <= 0xDFFF)
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    else
                        cp = 0xFFFD;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            put_utf8(out, &n, cp);
            break;
        }
        default:
            fail(p, "bad escape");
            free(out);
            return NULL;
        }
    }
    fail(p, "unterminated string");
    free(out);
    return NULL;
}

static jv *parse_value(parser *p);

static jv *new_value(parser *p, jv_type t, size_t start) {
    jv *v = jm_alloc(sizeof *v);
    v->type = t;
    v->raw = p->s + start;
    return v;
}

static int literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->pos + n <= p->len && memcmp(p->s + p->pos, word, n) == 0) {
        p->pos += n;
        return 1;
    }
    return 0;
}

static jv *parse_number(parser *p) {
    size_t start = p->pos;
    jv *v;
    if (p->pos < p->len && p->s[p->pos] == '-')
        p->pos++;
    if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9') {
        fail(p, "bad number");
        return NULL;
    }
    if (p->s[p->pos] == '0')
        p->pos++;
    else
        while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
            p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9') {
            fail(p, "bad fraction");
            return NULL;
        }
        while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
            p->pos++;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9') {
            fail(p, "bad exponent");
            return NULL;
        }
        while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
            p->pos++;
    }
    v = new_value(p, JV_NUM, start);
    v->str_len = p->pos - start;
    v->str = jm_alloc(v->str_len + 1);
    memcpy(v->str, p->s + start, v->str_len);
    return v;
}

static void push(jv *v, jv *item, char *key) {
    v->items = jm_realloc(v->items, (v->n + 1) * sizeof *v->items);
    v->items[v->n] = item;
    if (v->type == JV_OBJ) {
        v->keys = jm_realloc(v->keys, (v->n + 1) * sizeof *v->keys);
        v->keys[v->n] = key;
    }
    v->n++;
}

static jv *parse_value(parser *p) {
    size_t start;
    jv *v = NULL;
    skip_ws(p);
    start = p->pos;
    if (p->pos >= p->len) {
        fail(p, "unexpected end of input");
        return NULL;
    }
    if (++p->depth > 1000) {
        fail(p, "nested too deep");
        return NULL;
    }
    switch (p->s[p->pos]) {
    case '{':
        p->pos++;
        v = new_value(p, JV_OBJ, start);
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            break;
        }
        for (;;) {
            char *key;
            jv *item;
            skip_ws(p);
            key = parse_string(p, NULL);
            if (!key)
                goto error;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') {
                free(key);
                fail(p, "expected ':'");
                goto error;
            }
            p->pos++;
            item = parse_value(p);
            if (!item) {
                free(key);
                goto error;
            }
            push(v, item, key);
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->s[p->pos] == '}') {
                p->pos++;
                break;
            }
            fail(p, "expected ',' or '}'");
            goto error;
        }
        break;
    case '[':
        p->pos++;
        v = new_value(p, JV_ARR, start);
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ']') {
            p->pos++;
            break;
        }
        for (;;) {
            jv *item = parse_value(p);
            if (!item)
                goto error;
            push(v, item, NULL);
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->s[p->pos] == ']') {
                p->pos++;
                break;
            }
            fail(p, "expected ',' or ']'");
            goto error;
        }
        break;
    case '"': {
        size_t n;
        char *s = parse_string(p, &n);
        if (!s)
            goto error;
        v = new_value(p, JV_STR, start);
        v->str = s;
        v->str_len = n;
        break;
    }
    case 't':
    case 'f':
    case 'n':
        if (literal(p, "true")) {
            v = new_value(p, JV_BOOL, start);
            v->boolean = 1;
        } else if (literal(p, "false")) {
            v = new_value(p, JV_BOOL, start);
        } else if (literal(p, "null")) {
            v = new_value(p, JV_NULL, start);
        } else {
            fail(p, "bad literal");
            goto error;
        }
        break;
    default:
        v = parse_number(p);
        if (!v)
            goto error;
    }
    v->raw_len = p->pos - start;
    p->depth--;
    return v;
error:
    jv_free(v);
    p->depth--;
    return NULL;
}

jv *jv_parse(const char *text, size_t len, char *err, size_t err_len) {
    parser p;
    jv *v;
    /* The values' spans point into a copy the root owns, so the source may be freed. */
    char *copy = jm_alloc(len + 1);
    if (len)
        memcpy(copy, text, len);
    memset(&p, 0, sizeof p);
    p.s = copy;
    p.len = len;
    p.err = err;
    p.err_len = err_len;
    if (err && err_len)
        err[0] = '\0';
    v = parse_value(&p);
    if (!v) {
        free(copy);
        return NULL;
    }
    v->owned = copy;
    skip_ws(&p);
    if (p.pos != p.len) {
        fail(&p, "trailing characters");
        jv_free(v);
        return NULL;
    }
    return v;
}

jv *jv_parse_str(const char *text) {
    if (!text)
        return NULL;
    return jv_parse(text, strlen(text), NULL, 0);
}

void jv_free(jv *v) {
    size_t i;
    if (!v)
        return;
    for (i = 0; i < v->n; i++) {
        jv_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v->owned);
    free(v);
}

const jv *jv_get(const jv *v, const char *key) {
    size_t i;
    if (!v || v->type != JV_OBJ)
        return NULL;
    for (i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->items[i];
    return NULL;
}

const jv *jv_at(const jv *v, size_t i) {
    if (!v || v->type != JV_ARR || i >= v->n)
        return NULL;
    return v->items[i];
}

const jv *jv_path(const jv *v, const char *path) {
    char part[256];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof part)
            return NULL;
        memcpy(part, path, n);
        part[n] = '\0';
        if (v->type == JV_ARR) {
            char *end;
            unsigned long i = strtoul(part, &end, 10);
            if (*end || n == 0)
                return NULL;
            v = jv_at(v, (size_t)i);
        } else {
            v = jv_get(v, part);
        }
        path += n;
        if (*path == '.')
            path++;
    }
    return v;
}

const char *jv_str(const jv *v) { return v && v->type == JV_STR ? v->str : NULL; }

const char *jv_path_str(const jv *v, const char *path) { return jv_str(jv_path(v, path)); }

int jv_is_true(const jv *v) { return v && v->type == JV_BOOL && v->boolean; }
int jv_is_false(const jv *v) { return v && v->type == JV_BOOL && !v->boolean; }
int jv_is_null(const jv *v) { return !v || v->type == JV_NULL; }

long long jv_int(const jv *v) {
    if (!v || v->type != JV_NUM)
        return 0;
    return strtoll(v->str, NULL, 10);
}

size_t jv_len(const jv *v) {
    return v && (v->type == JV_ARR || v->type == JV_OBJ) ? v->n : 0;
}

/* ---- matching ----------------------------------------------------------------------------- */

static int digits(const char *s, int n, int *out) {
    int i, v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d) {
    long long era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An RFC 3339 timestamp as unix milliseconds; 0 when the text is not one. */
static int rfc3339(const char *s, long long *ms) {
    int y, mo, d, h, mi, sec, frac = 0, fdig = 0, oh = 0, om = 0, sign = 1;
    size_t n = strlen(s), i = 19;
    if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
        s[13] != ':' || s[16] != ':')
        return 0;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &sec))
        return 0;
    if (s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (fdig < 3) {
                frac = frac * 10 + (s[i] - '0');
                fdig++;
            }
            i++;
        }
        while (fdig < 3) {
            frac *= 10;
            fdig++;
        }
    }
    if (i >= n)
        return 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        sign = s[i] == '-' ? -1 : 1;
        if (i + 6 > n || s[i + 3] != ':' || !digits(s + i + 1, 2, &oh) ||
            !digits(s + i + 4, 2, &om))
            return 0;
        i += 6;
    } else {
        return 0;
    }
    if (i != n)
        return 0;
    *ms = ((days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + sec) -
           sign * (oh * 3600LL + om * 60LL)) *
              1000LL +
          frac;
    return 1;
}

int jv_matches(const jv *expected, const jv *actual) {
    size_t i;
    if (!expected)
        return 1;
    if (expected->type == JV_NULL)
        return jv_is_null(actual);
    if (!actual || actual->type != expected->type)
        return 0;
    switch (expected->type) {
    case JV_BOOL:
        return expected->boolean == actual->boolean;
    case JV_NUM:
        return strcmp(expected->str, actual->str) == 0;
    case JV_STR: {
        long long a, b;
        if (expected->str_len == actual->str_len &&
            memcmp(expected->str, actual->str, expected->str_len) == 0)
            return 1;
        return rfc3339(expected->str, &a) && rfc3339(actual->str, &b) && a == b;
    }
    case JV_ARR:
        if (expected->n != actual->n)
            return 0;
        for (i = 0; i < expected->n; i++)
            if (!jv_matches(expected->items[i], actual->items[i]))
                return 0;
        return 1;
    case JV_OBJ:
        for (i = 0; i < expected->n; i++)
            if (!jv_matches(expected->items[i], jv_get(actual, expected->keys[i])))
                return 0;
        return 1;
    default:
        return 1;
    }
}
