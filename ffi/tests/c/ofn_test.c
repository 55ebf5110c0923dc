/* ofn_test.c: the shared harness (see ofn_test.h). */

#define _POSIX_C_SOURCE 200809L

#include "ofn_test.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t counters = PTHREAD_MUTEX_INITIALIZER;
static long checks_made;
static long checks_failed;

int ofn_check(int ok, const char *file, int line, const char *what, const char *detail) {
    pthread_mutex_lock(&counters);
    checks_made++;
    if (!ok) {
        checks_failed++;
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
        if (detail)
            fprintf(stderr, "    %s\n", detail);
        fflush(stderr);
    }
    pthread_mutex_unlock(&counters);
    return ok;
}

void ofn_require(int ok, const char *file, int line, const char *what, const char *detail) {
    if (!ofn_check(ok, file, line, what, detail)) {
        fprintf(stderr, "%s:%d: a required check failed; stopping\n", file, line);
        exit(1);
    }
}

long ofn_checks_made(void) {
    long n;
    pthread_mutex_lock(&counters);
    n = checks_made;
    pthread_mutex_unlock(&counters);
    return n;
}

int ofn_test_finish(const char *program) {
    if (checks_failed) {
        fprintf(stderr, "%s: FAILED %ld of %ld checks\n", program, checks_failed, checks_made);
        return 1;
    }
    printf("%s: ok %ld checks\n", program, checks_made);
    return 0;
}

/* A text cut to a readable length, for failure messages. */
static void print_cut(const char *label, const char *text) {
    size_t n = text ? strlen(text) : 0;
    if (!text)
        fprintf(stderr, "    %s: (NULL)\n", label);
    else if (n > 1500)
        fprintf(stderr, "    %s: %.1500s... (%zu bytes)\n", label, text, n);
    else
        fprintf(stderr, "    %s: %s\n", label, text);
}

int ofn_check_status(ofn_status got, ofn_status want, const ofn_buf *err, const char *file,
                     int line, const char *what) {
    int ok = got == want;
    if (!ofn_check(ok, file, line, what, NULL)) {
        fprintf(stderr, "    status %s (%u), expected %s (%u)\n", ofn_status_name(got),
                (unsigned)got, ofn_status_name(want), (unsigned)want);
        if (err && err->data)
            print_cut("err_out", (const char *)err->data);
    }
    return ok;
}

int ofn_check_streq(const char *got, const char *want, const char *file, int line,
                    const char *what) {
    int ok = got && want ? strcmp(got, want) == 0 : got == want;
    if (!ofn_check(ok, file, line, what, NULL)) {
        print_cut("got     ", got);
        print_cut("expected", want);
    }
    return ok;
}

int ofn_check_contains(const char *hay, const char *needle, const char *file, int line,
                       const char *what) {
    int ok = hay && strstr(hay, needle) != NULL;
    if (!ofn_check(ok, file, line, what, NULL)) {
        print_cut("text  ", hay);
        print_cut("lacks ", needle);
    }
    return ok;
}

/* ---- memory ------------------------------------------------------------------------------- */

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return q;
}

char *xstrdup(const char *s) {
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* ---- sb ----------------------------------------------------------------------------------- */

static void sb_reserve(sb *s, size_t extra) {
    if (s->len + extra + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap < s->len + extra + 1)
            cap *= 2;
        s->p = xrealloc(s->p, cap);
        s->cap = cap;
    }
}

void sb_put(sb *s, const char *bytes, size_t n) {
    sb_reserve(s, n);
    if (n)
        memcpy(s->p + s->len, bytes, n);
    s->len += n;
    s->p[s->len] = '\0';
}

void sb_puts(sb *s, const char *text) { sb_put(s, text, strlen(text)); }

void sb_printf(sb *s, const char *fmt, ...) {
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_reserve(s, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

void sb_json_str(sb *s, const char *text, size_t n) {
    size_t i;
    sb_put(s, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        switch (c) {
        case '"': sb_put(s, "\\\"", 2); break;
        case '\\': sb_put(s, "\\\\", 2); break;
        case '\n': sb_put(s, "\\n", 2); break;
        case '\r': sb_put(s, "\\r", 2); break;
        case '\t': sb_put(s, "\\t", 2); break;
        case '\b': sb_put(s, "\\b", 2); break;
        case '\f': sb_put(s, "\\f", 2); break;
        default:
            if (c < 0x20)
                sb_printf(s, "\\u%04x", c);
            else
                sb_put(s, (const char *)&text[i], 1);
        }
    }
    sb_put(s, "\"", 1);
}

void sb_free(sb *s) {
    free(s->p);
    s->p = NULL;
    s->len = s->cap = 0;
}

const char *sb_str(const sb *s) { return s->p ? s->p : ""; }

/* ---- files, clock ------------------------------------------------------------------------ */

char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    sb s = {0};
    char chunk[65536];
    size_t n;
    if (!f) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_put(&s, chunk, n);
    fclose(f);
    if (!s.p)
        sb_put(&s, "", 0);
    if (len)
        *len = s.len;
    return s.p;
}

const char *repo_root(int argc, char **argv) {
    const char *env = getenv("OFN_REPO_ROOT");
    if (env && *env)
        return env;
    if (argc > 1)
        return argv[1];
    return ".";
}

uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void sleep_ms(uint64_t ms) {
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

const char *run_tag(void) {
    static char tag[8];
    if (!tag[0]) {
        struct timespec ts;
        unsigned long v;
        clock_gettime(CLOCK_REALTIME, &ts);
        v = ((unsigned long)ts.tv_sec * 1000003ul) ^ ((unsigned long)ts.tv_nsec / 1000ul) ^
            ((unsigned long)getpid() * 2654435761ul);
        snprintf(tag, sizeof tag, "%06lX", v & 0xFFFFFFul);
    }
    return tag;
}

const char *sandbox_url(void) {
    const char *url = getenv("OFN_SANDBOX_URL");
    if (!url || !*url) {
        fprintf(stderr, "OFN_SANDBOX_URL is not set: start onefinops-sandbox and export "
                        "OFN_SANDBOX_URL=http://127.0.0.1:PORT (run.sh does both)\n");
        exit(1);
    }
    return url;
}

/* ---- the quickstart invoice ------------------------------------------------------------- */

char *quickstart_invoice(const char *number, const char *place_of_supply) {
    sb s = {0};
    sb_printf(&s,
              "{\"supplyType\": \"B2B\", \"documentType\": \"INV\", \"invoiceNumber\": \"%s\","
              " \"invoiceDate\": \"2026-05-04\", \"financialYear\": \"2026-27\","
              " \"reverseCharge\": false, \"placeOfSupplyStateCode\": \"%s\","
              " \"seller\": {\"gstin\": \"29ABCDE1234F1Z5\", \"legalName\": \"Acme Pvt Ltd\","
              " \"address1\": \"12 Industrial Area\", \"location\": \"Bengaluru\","
              " \"pinCode\": \"560001\", \"stateCode\": \"29\"},"
              " \"buyer\": {\"gstin\": \"27FGHIJ5678K1Z2\", \"legalName\": \"Globex Pvt Ltd\","
              " \"address1\": \"8 MG Road\", \"location\": \"Mumbai\", \"pinCode\": \"400001\","
              " \"stateCode\": \"27\"},"
              " \"lines\": [{\"lineNumber\": 1, \"productDescription\": \"Consulting services\","
              " \"isService\": true, \"hsnCode\": \"998314\", \"unitPrice\": 10000,"
              " \"assessableValue\": 10000, \"gstRate\": 18, \"igstAmount\": 1800,"
              " \"totalItemValue\": 11800}],"
              " \"totals\": {\"assessableValue\": 10000, \"totalIgstValue\": 1800,"
              " \"totalInvoiceValue\": 11800}}",
              number, place_of_supply);
    return s.p;
}
