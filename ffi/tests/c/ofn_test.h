/*
 * ofn_test.h: the small harness shared by the C ABI test programs.
 *
 * CHECK(expr) records one check and, when it fails, prints file:line and the expression; the
 * program goes on, and ofn_test_finish() makes it exit 1. REQUIRE(expr) is the same but stops
 * the program at once (for checks later code depends on: a handle, a parsed result).
 * The counters are locked: checks may run on several threads.
 *
 * Also here: a growable string (sb), reading a file, a monotonic clock, the repository root,
 * and the quickstart invoice every program builds on.
 */

#ifndef OFN_TEST_H
#define OFN_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "onefinops.h"

/* ---- checks ---------------------------------------------------------------------------- */

/* Records one check; prints `file:line: CHECK failed: what` (and `detail` when not NULL). */
int ofn_check(int ok, const char *file, int line, const char *what, const char *detail);
/* As ofn_check, and exits the program (status 1) when the check fails. */
void ofn_require(int ok, const char *file, int line, const char *what, const char *detail);
/* Prints `ok N checks` and returns 0, or prints the failures and returns 1. */
int ofn_test_finish(const char *program);
/* The number of checks made so far. */
long ofn_checks_made(void);

#define CHECK(expr) ofn_check(!!(expr), __FILE__, __LINE__, #expr, NULL)
#define REQUIRE(expr) ofn_require(!!(expr), __FILE__, __LINE__, #expr, NULL)
#define CHECK_MSG(expr, detail) ofn_check(!!(expr), __FILE__, __LINE__, #expr, (detail))
#define REQUIRE_MSG(expr, detail) ofn_require(!!(expr), __FILE__, __LINE__, #expr, (detail))

/* A status, compared by name: prints both names (and the error envelope, if any) on failure. */
int ofn_check_status(ofn_status got, ofn_status want, const ofn_buf *err, const char *file,
                     int line, const char *what);
#define CHECK_STATUS(call, want, errbuf)                                                    \
    ofn_check_status((call), (want), (errbuf), __FILE__, __LINE__, #call)
#define REQUIRE_STATUS(call, want, errbuf)                                                  \
    do {                                                                                    \
        if (!ofn_check_status((call), (want), (errbuf), __FILE__, __LINE__, #call))         \
            ofn_require(0, __FILE__, __LINE__, "(the status above)", NULL);                 \
    } while (0)

/* Two C strings (either may be NULL) are equal; prints both on failure. */
int ofn_check_streq(const char *got, const char *want, const char *file, int line,
                    const char *what);
#define CHECK_STREQ(got, want) ofn_check_streq((got), (want), __FILE__, __LINE__, #got)
/* `hay` (may be NULL) contains `needle`; prints `hay` (cut) on failure. */
int ofn_check_contains(const char *hay, const char *needle, const char *file, int line,
                       const char *what);
#define CHECK_CONTAINS(hay, needle)                                                         \
    ofn_check_contains((const char *)(hay), (needle), __FILE__, __LINE__, #hay)
#define CHECK_NOT_CONTAINS(hay, needle)                                                     \
    CHECK_MSG((hay) != NULL && strstr((const char *)(hay), (needle)) == NULL, (needle))

/* The bytes of a buffer as a C string ("" when empty): ofn_buf data is NUL-terminated. */
#define BUF_STR(b) ((b).data ? (const char *)(b).data : "")
/* (pointer, length) of a C string literal or variable, as the ABI takes it. */
#define ARG(s) (const uint8_t *)(s), strlen(s)

/* ---- a growable string ------------------------------------------------------------------ */

typedef struct sb {
    char *p;    /* NUL-terminated, or NULL before the first write */
    size_t len; /* without the NUL */
    size_t cap;
} sb;

void sb_put(sb *s, const char *bytes, size_t n);
void sb_puts(sb *s, const char *text);
void sb_printf(sb *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends `text` (n bytes) as a JSON string, quotes included. */
void sb_json_str(sb *s, const char *text, size_t n);
void sb_free(sb *s);
/* The text so far ("" when nothing was written). */
const char *sb_str(const sb *s);

/* ---- misc --------------------------------------------------------------------------------- */

/* malloc / realloc / strdup that exit on failure. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* The whole file; NULL (and a message on stderr) when it cannot be read. Free with free(). */
char *read_file(const char *path, size_t *len);
/* The repository root: $OFN_REPO_ROOT, else argv[1], else "." (returned as is, not copied). */
const char *repo_root(int argc, char **argv);
/* A monotonic clock in milliseconds (the sans-IO engine's `now_ms`). */
uint64_t now_ms(void);
/* Sleeps `ms` milliseconds. */
void sleep_ms(uint64_t ms);

/* A tag unique to this run (6 upper-case hex digits from the clock and the process id), so
 * that document numbers do not collide with an earlier run against the same sandbox. */
const char *run_tag(void);
/* The sandbox's base URL ($OFN_SANDBOX_URL); exits with a message when it is not set. */
const char *sandbox_url(void);

/* The seed-002 quickstart invoice (flat dialect) with this document number and place of
 * supply: "27" makes it valid (inter-state, IGST), "29" is NIC's 2172. Free with free(). */
char *quickstart_invoice(const char *number, const char *place_of_supply);

#endif /* OFN_TEST_H */
