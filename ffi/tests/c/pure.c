/*
 * pure.c: every pure function of libonefinops through the C ABI, with exact answers.
 *
 * - the ABI version, the version string, every status name;
 * - ofn_validate / ofn_validate_ewaybill on the quickstart invoice, then every case of
 *   the files of tests/vectors/validation (findings compared on path, code, nicCode and severity,
 *   in order, as core/tests/validation_vectors.rs does);
 * - ofn_prepare, ofn_to_nic / ofn_from_nic (against the flat-quickstart vector), ofn_irn
 *   (NIC's known answer), ofn_gstin_check;
 * - the lifecycle functions with known answers, then every case of tests/vectors/lifecycle
 *   (validity, e-invoice and e-way bill state machines, DUPIRN, e-way bill recovery, NIC codes,
 *   error envelopes);
 * - ofn_webhook_verify with an HMAC-SHA256 computed here, ofn_verify_signed's refusals,
 *   ofn_qr_png, ofn_buf_free;
 * - the pure functions from several threads at once.
 *
 * This program is also linked statically against libonefinops.a (run.sh) to prove the static
 * library links. The repository root comes from $OFN_REPO_ROOT or argv[1].
 */

#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mini.h"
#include "ofn_test.h"

static const char *root;

/* ---- SHA-256 and HMAC (FIPS 180-4, RFC 2104), for the webhook signature ----------------- */

typedef struct sha256 {
    uint32_t h[8];
    uint8_t block[64];
    size_t fill;
    uint64_t total;
} sha256;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256 *s, const uint8_t *p) {
    uint32_t w[64], a, b, c, d, e, f, g, h;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
                      K256[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
    s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void sha256_init(sha256 *s) {
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->fill = 0;
    s->total = 0;
}

static void sha256_update(sha256 *s, const void *data, size_t n) {
    const uint8_t *p = data;
    s->total += n;
    while (n > 0) {
        size_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha256_block(s, s->block);
            s->fill = 0;
        }
    }
}

static void sha256_final(sha256 *s, uint8_t out[32]) {
    uint64_t bits = s->total * 8;
    uint8_t pad = 0x80, zero = 0, len[8];
    int i;
    sha256_update(s, &pad, 1);
    while (s->fill != 56)
        sha256_update(s, &zero, 1);
    for (i = 0; i < 8; i++)
        len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(s, len, 8);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

static void hmac_sha256(const char *key, size_t key_len, const char *msg, size_t msg_len,
                        uint8_t out[32]) {
    uint8_t k[64], pad[64], inner[32];
    sha256 s;
    int i;
    memset(k, 0, sizeof k);
    if (key_len > 64) {
        sha256_init(&s);
        sha256_update(&s, key, key_len);
        sha256_final(&s, k);
    } else {
        memcpy(k, key, key_len);
    }
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    sha256_init(&s);
    sha256_update(&s, pad, 64);
    sha256_update(&s, msg, msg_len);
    sha256_final(&s, inner);
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    sha256_init(&s);
    sha256_update(&s, pad, 64);
    sha256_update(&s, inner, 32);
    sha256_final(&s, out);
}

static void hex(const uint8_t *p, size_t n, char *out) {
    size_t i;
    for (i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* The OneFinOps-Signature header of a delivery: t=<ts>,v1=<hex HMAC(secret, "ts.body")>. */
static void webhook_header(const char *secret, long ts, const char *body, char *out,
                           size_t out_len) {
    sb msg = {0};
    uint8_t mac[32];
    char mac_hex[65];
    sb_printf(&msg, "%ld.%s", ts, body);
    hmac_sha256(secret, strlen(secret), msg.p, msg.len, mac);
    hex(mac, 32, mac_hex);
    snprintf(out, out_len, "t=%ld,v1=%s", ts, mac_hex);
    sb_free(&msg);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* Runs `f` on a JSON input and returns the parsed result (REQUIREs OFN_OK). */
typedef ofn_status (*one_input_fn)(const uint8_t *, size_t, ofn_buf *, ofn_buf *);

static jv *call_ok(one_input_fn f, const char *input, const char *what) {
    ofn_buf out = {0}, err = {0};
    jv *v;
    ofn_status st = f((const uint8_t *)input, strlen(input), &out, &err);
    if (!CHECK_STATUS(st, OFN_OK, &err)) {
        fprintf(stderr, "    in %s, input %s\n", what, input);
        ofn_buf_free(&err);
        return NULL;
    }
    CHECK(err.data == NULL);
    CHECK_MSG(out.data != NULL && out.data[out.len] == '\0', what);
    v = jv_parse((const char *)out.data, out.len, NULL, 0);
    CHECK_MSG(v != NULL, what);
    ofn_buf_free(&out);
    return v;
}

static jv *validate_ok(const char *doc, const char *options) {
    ofn_buf out = {0}, err = {0};
    jv *v = NULL;
    if (CHECK_STATUS(ofn_validate(ARG(doc), ARG(options), &out, &err), OFN_OK, &err))
        v = jv_parse((const char *)out.data, out.len, NULL, 0);
    REQUIRE(v != NULL);
    ofn_buf_free(&out);
    ofn_buf_free(&err);
    return v;
}

/* A finding at `path` of `v` has exactly these members (nic NULL: nicCode null). */
static int finding_is(const jv *f, const char *path, const char *code, const char *nic,
                      const char *severity) {
    const jv *n = jv_get(f, "nicCode");
    int nic_ok = nic ? jv_str(n) && strcmp(jv_str(n), nic) == 0 : n && n->type == JV_NULL;
    return f && jv_str(jv_get(f, "path")) && strcmp(jv_str(jv_get(f, "path")), path) == 0 &&
           jv_str(jv_get(f, "code")) && strcmp(jv_str(jv_get(f, "code")), code) == 0 && nic_ok &&
           jv_str(jv_get(f, "severity")) &&
           strcmp(jv_str(jv_get(f, "severity")), severity) == 0 &&
           jv_str(jv_get(f, "message")) && jv_str(jv_get(f, "message"))[0] != '\0';
}

/* ---- version and statuses ------------------------------------------------------------------ */

static void test_version_and_statuses(void) {
    static const struct {
        ofn_status s;
        const char *name;
        unsigned number;
    } all[] = {
        {OFN_OK, "OFN_OK", 0},
        {OFN_E_NULL_POINTER, "OFN_E_NULL_POINTER", 100},
        {OFN_E_INVALID_UTF8, "OFN_E_INVALID_UTF8", 101},
        {OFN_E_INVALID_ARGUMENT, "OFN_E_INVALID_ARGUMENT", 103},
        {OFN_E_UNKNOWN_OPERATION, "OFN_E_UNKNOWN_OPERATION", 104},
        {OFN_E_CALL_STATE, "OFN_E_CALL_STATE", 105},
        {OFN_E_VALIDATION, "OFN_E_VALIDATION", 200},
        {OFN_E_AUTH_INVALID_TOKEN, "OFN_E_AUTH_INVALID_TOKEN", 300},
        {OFN_E_AUTH_ENTITLEMENT_MISSING, "OFN_E_AUTH_ENTITLEMENT_MISSING", 301},
        {OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED, "OFN_E_IRP_CREDENTIALS_NOT_CONFIGURED", 302},
        {OFN_E_IDEMPOTENCY_CONFLICT, "OFN_E_IDEMPOTENCY_CONFLICT", 400},
        {OFN_E_NOT_FOUND, "OFN_E_NOT_FOUND", 401},
        {OFN_E_RATE_LIMITED, "OFN_E_RATE_LIMITED", 402},
        {OFN_E_UPSTREAM_FAILURE, "OFN_E_UPSTREAM_FAILURE", 403},
        {OFN_E_UPSTREAM_UNAVAILABLE, "OFN_E_UPSTREAM_UNAVAILABLE", 404},
        {OFN_E_TRANSPORT, "OFN_E_TRANSPORT", 500},
        {OFN_E_TIMEOUT, "OFN_E_TIMEOUT", 501},
        {OFN_E_SIGNATURE_INVALID, "OFN_E_SIGNATURE_INVALID", 600},
        {OFN_E_WEBHOOK_INVALID, "OFN_E_WEBHOOK_INVALID", 601},
        {OFN_E_INTERNAL, "OFN_E_INTERNAL", 900},
        {OFN_E_PANIC, "OFN_E_PANIC", 901},
    };
    static const uint32_t unknown[] = {1, 99, 102, 106, 199, 201, 303, 405, 502, 602, 899,
                                       902, 1000, 0xFFFFFFFFu};
    const char *v = ofn_version();
    unsigned a, b, c;
    char tail;
    size_t i;

    CHECK(ofn_abi_version() == OFN_ABI_VERSION);
    CHECK(OFN_ABI_VERSION == 1);
    REQUIRE(v != NULL);
    CHECK(v[0] != '\0');
    CHECK_MSG(sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail) == 3, v);
    CHECK(ofn_version() == v); /* a static string: the same pointer every time */

    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        CHECK((unsigned)all[i].s == all[i].number);
        CHECK_STREQ(ofn_status_name(all[i].s), all[i].name);
    }
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK_STREQ(ofn_status_name(unknown[i]), "OFN_UNKNOWN_STATUS");
}

/* ---- documents ---------------------------------------------------------------------------- */

static void test_validate_quickstart(void) {
    char *good = quickstart_invoice("INV-2026-00001", "27");
    char *bad = quickstart_invoice("INV-2026-00001", "29");
    jv *v;

    /* Place of supply 27 (the buyer's state), sandbox mode: valid, no findings at all. */
    v = validate_ok(good, "{\"sandbox\": true}");
    CHECK(jv_is_true(jv_get(v, "valid")));
    CHECK(jv_get(v, "findings") && jv_get(v, "findings")->type == JV_ARR);
    CHECK(jv_len(jv_get(v, "findings")) == 0);
    jv_free(v);

    /* Place of supply 29 = the seller's state with IGST: exactly NIC's 2172. */
    v = validate_ok(bad, "{\"sandbox\": true}");
    CHECK(jv_is_false(jv_get(v, "valid")));
    CHECK(jv_len(jv_get(v, "findings")) == 1);
    CHECK(finding_is(jv_path(v, "findings.0"), "/lines/0/igstAmount", "tax.igst_on_intra_state",
                     "2172", "error"));
    jv_free(v);

    /* Without sandbox mode the example GSTINs also fail their check character (3028). */
    v = validate_ok(bad, "");
    CHECK(jv_is_false(jv_get(v, "valid")));
    CHECK(jv_len(jv_get(v, "findings")) == 3);
    CHECK(finding_is(jv_path(v, "findings.0"), "/seller/gstin", "gstin.check_character", "3028",
                     "error"));
    CHECK(finding_is(jv_path(v, "findings.1"), "/buyer/gstin", "gstin.check_character", "3028",
                     "error"));
    CHECK(finding_is(jv_path(v, "findings.2"), "/lines/0/igstAmount", "tax.igst_on_intra_state",
                     "2172", "error"));
    jv_free(v);

    /* Not JSON at all: a finding, not a failure. */
    v = validate_ok("{\"supplyType\": ", "null");
    CHECK(jv_is_false(jv_get(v, "valid")));
    CHECK(finding_is(jv_path(v, "findings.0"), "", "parse.invalid_json", NULL, "error"));
    jv_free(v);

    free(good);
    free(bad);
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of a directory, sorted; returns their number. */
static size_t json_files(const char *dir, char ***out) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    REQUIRE_MSG(d != NULL, dir);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    *out = names;
    return n;
}

/* Every case of tests/vectors/validation: exactly the expected findings, in order. */
static void test_validation_vectors(void) {
    char dir[4096], path[4096 + 256], **files;
    size_t nfiles, f, cases = 0, einvoice = 0, ewaybill = 0, passing = 0;
    snprintf(dir, sizeof dir, "%s/tests/vectors/validation", root);
    nfiles = json_files(dir, &files);
    CHECK(nfiles >= 10);
    for (f = 0; f < nfiles; f++) {
        size_t len, i;
        char *text;
        jv *doc;
        const jv *list;
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        text = read_file(path, &len);
        REQUIRE_MSG(text != NULL, path);
        doc = jv_parse(text, len, NULL, 0);
        REQUIRE_MSG(doc != NULL, path);
        list = doc->type == JV_ARR ? doc : jv_get(doc, "cases");
        for (i = 0; i < jv_len(list); i++) {
            const jv *c = jv_at(list, i), *opts = jv_get(c, "options"),
                     *document = jv_get(c, "document"), *expected = jv_get(c, "findings");
            const char *kind = jv_str(jv_get(c, "kind"));
            ofn_buf out = {0}, err = {0};
            ofn_status st;
            jv *res = NULL;
            const jv *actual;
            int same, any_error = 0;
            size_t k;
            char label[512];
            snprintf(label, sizeof label, "%s#%zu (%s)", files[f], i,
                     jv_str(jv_get(c, "description")) ? jv_str(jv_get(c, "description")) : "");
            REQUIRE_MSG(kind && document && expected && opts, label);
            cases++;
            if (strcmp(kind, "einvoice") == 0) {
                einvoice++;
                st = ofn_validate((const uint8_t *)document->raw, document->raw_len,
                                  (const uint8_t *)opts->raw, opts->raw_len, &out, &err);
            } else {
                REQUIRE_MSG(strcmp(kind, "ewaybill") == 0, label);
                ewaybill++;
                st = ofn_validate_ewaybill((const uint8_t *)document->raw, document->raw_len,
                                           (const uint8_t *)opts->raw, opts->raw_len, &out,
                                           &err);
            }
            if (!CHECK_STATUS(st, OFN_OK, &err)) {
                fprintf(stderr, "    case %s\n", label);
                ofn_buf_free(&err);
                continue;
            }
            res = jv_parse((const char *)out.data, out.len, NULL, 0);
            actual = jv_get(res, "findings");
            same = actual && jv_len(actual) == jv_len(expected);
            for (k = 0; same && k < jv_len(expected); k++) {
                const jv *e = jv_at(expected, k);
                const char *sev = jv_str(jv_get(e, "severity"));
                if (sev && strcmp(sev, "error") == 0)
                    any_error = 1;
                same = finding_is(jv_at(actual, k), jv_str(jv_get(e, "path")),
                                  jv_str(jv_get(e, "code")), jv_str(jv_get(e, "nicCode")), sev);
            }
            for (k = 0; k < jv_len(expected); k++) {
                const char *sev = jv_str(jv_get(jv_at(expected, k), "severity"));
                if (sev && strcmp(sev, "error") == 0)
                    any_error = 1;
            }
            if (!CHECK_MSG(same && (jv_is_true(jv_get(res, "valid")) == !any_error), label)) {
                fprintf(stderr, "    expected %.*s\n    actual   %s\n", (int)expected->raw_len,
                        expected->raw, BUF_STR(out));
            }
            if (jv_len(expected) == 0)
                passing++;
            jv_free(res);
            ofn_buf_free(&out);
        }
        jv_free(doc);
        free(text);
        free(files[f]);
    }
    free(files);
    CHECK(cases >= 120);
    CHECK(einvoice > 0 && ewaybill > 0);
    CHECK(passing >= 10);
    printf("  validation vectors: %zu cases (%zu e-invoice, %zu e-way bill)\n", cases, einvoice,
           ewaybill);
}

static void test_validate_ewaybill(void) {
    char path[4096];
    char *text;
    jv *vec, *res;
    const jv *doc;
    ofn_buf out = {0}, err = {0};
    /* The canonical e-way bill of the generate-outward-road vector is valid as it stands. */
    snprintf(path, sizeof path, "%s/tests/vectors/ewaybill/generate-outward-road.json", root);
    text = read_file(path, NULL);
    REQUIRE(text != NULL);
    vec = jv_parse_str(text);
    REQUIRE(vec != NULL);
    doc = jv_get(vec, "input");
    if (!doc)
        doc = jv_get(vec, "canonical");
    REQUIRE(doc != NULL);
    CHECK_STATUS(ofn_validate_ewaybill((const uint8_t *)doc->raw, doc->raw_len,
                                       ARG("{\"sandbox\": true}"), &out, &err),
                 OFN_OK, &err);
    res = jv_parse_str(BUF_STR(out));
    CHECK_MSG(jv_is_true(jv_get(res, "valid")), BUF_STR(out));
    jv_free(res);
    ofn_buf_free(&out);
    /* Not an e-way bill: not valid, with a finding. */
    CHECK_STATUS(ofn_validate_ewaybill(ARG("[]"), NULL, 0, &out, &err), OFN_OK, &err);
    res = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_false(jv_get(res, "valid")));
    CHECK(jv_len(jv_get(res, "findings")) >= 1);
    jv_free(res);
    ofn_buf_free(&out);
    /* Bad options are the caller's error. */
    CHECK_STATUS(ofn_validate_ewaybill((const uint8_t *)doc->raw, doc->raw_len,
                                       ARG("{\"sandBox\": true}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "unknown field `sandBox`");
    CHECK(out.data == NULL);
    ofn_buf_free(&err);
    jv_free(vec);
    free(text);
}

static void test_prepare(void) {
    /* The quickstart line without its derived amounts (assessable value, IGST, item total) and
     * without totals: prepare fills them by progressive rounding. */
    const char *doc =
        "{\"supplyType\": \"B2B\", \"documentType\": \"INV\", \"invoiceNumber\": "
        "\"INV-2026-00001\", \"invoiceDate\": \"2026-05-04\", \"financialYear\": \"2026-27\","
        " \"reverseCharge\": false, \"placeOfSupplyStateCode\": \"27\","
        " \"seller\": {\"gstin\": \"29ABCDE1234F1Z5\", \"legalName\": \"Acme Pvt Ltd\","
        " \"address1\": \"12 Industrial Area\", \"location\": \"Bengaluru\", \"pinCode\": "
        "\"560001\", \"stateCode\": \"29\"},"
        " \"buyer\": {\"gstin\": \"27FGHIJ5678K1Z2\", \"legalName\": \"Globex Pvt Ltd\","
        " \"address1\": \"8 MG Road\", \"location\": \"Mumbai\", \"pinCode\": \"400001\","
        " \"stateCode\": \"27\"},"
        " \"lines\": [{\"lineNumber\": 1, \"productDescription\": \"Consulting services\","
        " \"isService\": true, \"hsnCode\": \"998314\", \"unitPrice\": 10000, \"gstRate\": "
        "18}]}";
    ofn_buf out = {0}, err = {0};
    jv *v, *check;
    CHECK_STATUS(ofn_prepare(ARG(doc), &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    REQUIRE(v != NULL);
    CHECK(jv_path(v, "items.0.igstAmount") && strcmp(jv_path(v, "items.0.igstAmount")->str,
                                                     "1800.00") == 0);
    CHECK(jv_path(v, "items.0.totalItemValue") &&
          strcmp(jv_path(v, "items.0.totalItemValue")->str, "11800.00") == 0);
    CHECK(jv_path(v, "items.0.assessableAmount") &&
          strcmp(jv_path(v, "items.0.assessableAmount")->str, "10000.00") == 0);
    CHECK(jv_path(v, "valueDetails.totalInvoiceValue") &&
          strcmp(jv_path(v, "valueDetails.totalInvoiceValue")->str, "11800.00") == 0);
    CHECK(jv_path(v, "valueDetails.igstValue") &&
          strcmp(jv_path(v, "valueDetails.igstValue")->str, "1800.00") == 0);
    CHECK_STREQ(jv_path_str(v, "documentDetails.number"), "INV-2026-00001");
    CHECK_STREQ(jv_path_str(v, "buyer.placeOfSupplyStateCode"), "27");
    /* What prepare writes passes validation as it stands (sandbox GSTINs). */
    check = validate_ok(BUF_STR(out), "{\"sandbox\": true}");
    CHECK_MSG(jv_is_true(jv_get(check, "valid")), BUF_STR(out));
    jv_free(check);
    jv_free(v);
    ofn_buf_free(&out);

    /* A document that cannot be read: OFN_E_VALIDATION with the finding in details[]. */
    CHECK_STATUS(ofn_prepare(ARG("[]"), &out, &err), OFN_E_VALIDATION, &err);
    v = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(v, "error.code"), "validation_error");
    CHECK_STREQ(jv_path_str(v, "error.details.0.code"), "parse.not_an_object");
    CHECK_STREQ(jv_path_str(v, "error.details.0.path"), "");
    CHECK(out.data == NULL);
    jv_free(v);
    ofn_buf_free(&err);
}

static void test_nic_round_trip(void) {
    char path[4096];
    char *text;
    jv *vec, *nic, *canonical, *back;
    const jv *input, *want_nic, *want_canonical;
    ofn_buf out = {0}, err = {0}, out2 = {0};
    snprintf(path, sizeof path, "%s/tests/vectors/einvoice/flat-quickstart.json", root);
    text = read_file(path, NULL);
    REQUIRE(text != NULL);
    vec = jv_parse_str(text);
    REQUIRE(vec != NULL);
    input = jv_get(vec, "input");
    want_nic = jv_get(vec, "nic");
    want_canonical = jv_get(vec, "canonical");
    REQUIRE(input && want_nic && want_canonical);

    /* flat -> NIC v1.1: exactly the vector's NIC document, both ways of matching. */
    CHECK_STATUS(ofn_to_nic((const uint8_t *)input->raw, input->raw_len, &out, &err), OFN_OK,
                 &err);
    nic = jv_parse_str(BUF_STR(out));
    REQUIRE(nic != NULL);
    CHECK_MSG(jv_matches(want_nic, nic) && jv_matches(nic, want_nic), BUF_STR(out));
    CHECK_STREQ(jv_path_str(nic, "Version"), "1.1");
    CHECK_STREQ(jv_path_str(nic, "DocDtls.Dt"), "04/05/2026");
    CHECK(jv_path(nic, "ValDtls.TotInvVal") &&
          strcmp(jv_path(nic, "ValDtls.TotInvVal")->str, "11800") == 0);

    /* NIC -> canonical: the vector's canonical document. */
    CHECK_STATUS(ofn_from_nic(out.data, out.len, &out2, &err), OFN_OK, &err);
    canonical = jv_parse_str(BUF_STR(out2));
    REQUIRE(canonical != NULL);
    CHECK_MSG(jv_matches(want_canonical, canonical) && jv_matches(canonical, want_canonical),
              BUF_STR(out2));
    ofn_buf_free(&out);

    /* canonical -> NIC again: the same NIC document (lossless both ways). */
    CHECK_STATUS(ofn_to_nic(out2.data, out2.len, &out, &err), OFN_OK, &err);
    back = jv_parse_str(BUF_STR(out));
    CHECK(back && jv_matches(nic, back) && jv_matches(back, nic));
    jv_free(back);
    ofn_buf_free(&out);
    ofn_buf_free(&out2);

    /* A NIC document that cannot be read. */
    CHECK_STATUS(ofn_from_nic(ARG("{\"Version\": \"1.1\"}"), &out, &err), OFN_E_VALIDATION,
                 &err);
    CHECK_CONTAINS(BUF_STR(err), "\"code\":\"validation_error\"");
    CHECK_CONTAINS(BUF_STR(err), "\"path\":\"/TranDtls\"");
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_to_nic(ARG("{\"documentDetails\": 5}"), &out, &err), OFN_E_VALIDATION,
                 &err);
    ofn_buf_free(&err);

    jv_free(nic);
    jv_free(canonical);
    jv_free(vec);
    free(text);
}

static void test_irn(void) {
    /* NIC's worked example (nic-rules B.7): seller 29AAFCC9980M1ZR, FY 2019-20, INV,
     * "2019-20/KA/1". The document is the quickstart invoice with those four parts. */
    const char *doc =
        "{\"supplyType\": \"B2B\", \"documentType\": \"INV\", \"invoiceNumber\": "
        "\"2019-20/KA/1\", \"invoiceDate\": \"2019-11-20\", \"financialYear\": \"2019-20\","
        " \"reverseCharge\": false, \"placeOfSupplyStateCode\": \"27\","
        " \"seller\": {\"gstin\": \"29AAFCC9980M1ZR\", \"legalName\": \"Acme Pvt Ltd\","
        " \"address1\": \"12 Industrial Area\", \"location\": \"Bengaluru\", \"pinCode\": "
        "\"560001\", \"stateCode\": \"29\"},"
        " \"buyer\": {\"gstin\": \"27FGHIJ5678K1Z2\", \"legalName\": \"Globex Pvt Ltd\","
        " \"address1\": \"8 MG Road\", \"location\": \"Mumbai\", \"pinCode\": \"400001\","
        " \"stateCode\": \"27\"},"
        " \"lines\": [{\"lineNumber\": 1, \"productDescription\": \"Consulting services\","
        " \"isService\": true, \"hsnCode\": \"998314\", \"unitPrice\": 10000,"
        " \"assessableValue\": 10000, \"gstRate\": 18, \"igstAmount\": 1800,"
        " \"totalItemValue\": 11800}],"
        " \"totals\": {\"assessableValue\": 10000, \"totalIgstValue\": 1800,"
        " \"totalInvoiceValue\": 11800}}";
    char path[4096];
    char *text;
    jv *v, *vec;
    v = call_ok(ofn_irn, doc, "ofn_irn");
    REQUIRE(v != NULL);
    CHECK_STREQ(jv_str(jv_get(v, "irn")),
                "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662");
    CHECK_STREQ(jv_path_str(v, "key.sellerGstin"), "29AAFCC9980M1ZR");
    CHECK_STREQ(jv_path_str(v, "key.financialYear"), "2019-20");
    CHECK_STREQ(jv_path_str(v, "key.documentType"), "INV");
    CHECK_STREQ(jv_path_str(v, "key.documentNumber"), "2019-20/KA/1");
    jv_free(v);

    /* The flat-quickstart vector's own IRN. */
    snprintf(path, sizeof path, "%s/tests/vectors/einvoice/flat-quickstart.json", root);
    text = read_file(path, NULL);
    REQUIRE(text != NULL);
    vec = jv_parse_str(text);
    REQUIRE(vec && jv_get(vec, "input"));
    {
        ofn_buf out = {0}, err = {0};
        const jv *input = jv_get(vec, "input");
        CHECK_STATUS(ofn_irn((const uint8_t *)input->raw, input->raw_len, &out, &err), OFN_OK,
                     &err);
        v = jv_parse_str(BUF_STR(out));
        CHECK_STREQ(jv_str(jv_get(v, "irn")), jv_str(jv_get(vec, "irn")));
        jv_free(v);
        ofn_buf_free(&out);
    }
    jv_free(vec);
    free(text);
}

static void test_gstin(void) {
    ofn_buf out = {0}, err = {0};
    jv *v;
    /* A real GSTIN: right format, right check character. */
    CHECK_STATUS(ofn_gstin_check(ARG("29AAFCC9980M1ZR"), NULL, 0, &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_true(jv_get(v, "valid")));
    CHECK_STREQ(jv_path_str(v, "kind"), "normal");
    CHECK_STREQ(jv_path_str(v, "stateCode"), "29");
    CHECK(jv_len(jv_get(v, "findings")) == 0);
    jv_free(v);
    ofn_buf_free(&out);
    /* NIC's sandbox GSTIN: its check character is wrong (3028) unless sandbox mode. */
    CHECK_STATUS(ofn_gstin_check(ARG("29AWGPV7107B1Z1"), NULL, 0, &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_false(jv_get(v, "valid")));
    CHECK(finding_is(jv_path(v, "findings.0"), "", "gstin.check_character", "3028", "error"));
    jv_free(v);
    ofn_buf_free(&out);
    CHECK_STATUS(ofn_gstin_check(ARG("29AWGPV7107B1Z1"), ARG("{\"sandbox\": true}"), &out, &err),
                 OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_true(jv_get(v, "valid")));
    CHECK_STREQ(jv_path_str(v, "stateCode"), "29");
    jv_free(v);
    ofn_buf_free(&out);
    CHECK_STATUS(
        ofn_gstin_check(ARG("29AWGPV7107B1Z1"), ARG("{\"checkCharacter\": false}"), &out, &err),
        OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_true(jv_get(v, "valid")));
    CHECK_STREQ(jv_path_str(v, "kind"), "normal");
    jv_free(v);
    ofn_buf_free(&out);
    /* Not a GSTIN at all. */
    CHECK_STATUS(ofn_gstin_check(ARG("HELLO"), NULL, 0, &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_false(jv_get(v, "valid")));
    CHECK(jv_len(jv_get(v, "findings")) >= 1);
    jv_free(v);
    ofn_buf_free(&out);
    /* An unknown option is misuse. */
    CHECK_STATUS(ofn_gstin_check(ARG("29AAFCC9980M1ZR"), ARG("{\"strict\": true}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"code\":\"invalid_argument\"");
    ofn_buf_free(&err);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void test_lifecycle_known_answers(void) {
    jv *v;
    ofn_buf out = {0}, err = {0};

    v = call_ok(ofn_ewaybill_validity,
                "{\"generatedAt\":\"2022-10-05T12:39:00+05:30\",\"distanceKm\":10}",
                "ofn_ewaybill_validity");
    CHECK(jv_is_true(jv_get(v, "ok")));
    CHECK_STREQ(jv_str(jv_get(v, "validUpto")), "2022-10-06T23:59:00+05:30");
    CHECK(jv_int(jv_get(v, "days")) == 1);
    CHECK(jv_int(jv_get(v, "distanceKm")) == 10);
    CHECK(jv_len(jv_get(v, "findings")) == 0);
    jv_free(v);
    v = call_ok(ofn_ewaybill_validity,
                "{\"generatedAt\": \"2025-01-01T10:00:00+05:30\", \"distanceKm\": 4001}",
                "ofn_ewaybill_validity 4001 km");
    CHECK(jv_is_false(jv_get(v, "ok")));
    CHECK(jv_is_null(jv_get(v, "validUpto")));
    CHECK_STREQ(jv_path_str(v, "findings.0.path"), "/distanceKm");
    CHECK_STREQ(jv_path_str(v, "findings.0.code"), "validity.distance_out_of_range");
    jv_free(v);
    CHECK_STATUS(ofn_ewaybill_validity(ARG("{\"distanceKm\": 10}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "input.generatedAt");
    ofn_buf_free(&err);

    /* Cancel one second after the 24-hour window: NIC 2270. One second before: allowed. */
    v = call_ok(ofn_einvoice_decide,
                "{\"record\": {\"status\": \"generated\", \"ackDate\": "
                "\"2026-05-01T10:00:00+05:30\"}, \"action\": \"cancel\", \"now\": "
                "\"2026-05-02T10:00:01+05:30\"}",
                "ofn_einvoice_decide");
    CHECK(jv_is_false(jv_get(v, "allowed")));
    CHECK_STREQ(jv_str(jv_get(v, "nicCode")), "2270");
    CHECK_STREQ(jv_str(jv_get(v, "code")), "einvoice.cancel_window_closed");
    CHECK(jv_str(jv_get(v, "message")) && jv_str(jv_get(v, "message"))[0]);
    jv_free(v);
    v = call_ok(ofn_einvoice_decide,
                "{\"record\": {\"status\": \"generated\", \"ackDate\": "
                "\"2026-05-01T10:00:00+05:30\"}, \"action\": \"cancel\", \"now\": "
                "\"2026-05-02T09:59:59+05:30\"}",
                "ofn_einvoice_decide in time");
    CHECK(jv_is_true(jv_get(v, "allowed")));
    CHECK_STREQ(jv_str(jv_get(v, "decision")), "cancel");
    CHECK_STREQ(jv_path_str(v, "record.status"), "cancelled");
    jv_free(v);
    CHECK_STATUS(ofn_einvoice_decide(
                     ARG("{\"action\": \"explode\", \"now\": \"2026-05-02T10:00:01+05:30\"}"),
                     &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "input.action");
    ofn_buf_free(&err);

    /* E-way bill: cancel by the generator at generation + 24 h is NIC 315. */
    v = call_ok(ofn_ewaybill_apply,
                "{\"record\": {\"status\": \"active\", \"generatedAt\": "
                "\"2025-01-01T10:00:00+05:30\", \"validUpto\": \"2025-01-02T23:59:00+05:30\", "
                "\"distanceKm\": 150, \"cargo\": \"normal\", \"transporterEnteredPartB\": "
                "false}, \"action\": {\"action\": \"cancel\", \"actor\": \"generator\"}, "
                "\"now\": \"2025-01-02T10:00:00+05:30\"}",
                "ofn_ewaybill_apply 315");
    CHECK(jv_is_false(jv_get(v, "allowed")));
    CHECK_STREQ(jv_str(jv_get(v, "nicCode")), "315");
    CHECK_STREQ(jv_str(jv_get(v, "code")), "ewaybill.cancel_window_closed");
    jv_free(v);
    v = call_ok(ofn_ewaybill_apply,
                "{\"record\": {\"status\": \"active\", \"generatedAt\": "
                "\"2025-01-01T10:00:00+05:30\", \"validUpto\": \"2025-01-02T23:59:00+05:30\", "
                "\"distanceKm\": 150, \"cargo\": \"normal\", \"transporterEnteredPartB\": "
                "false}, \"action\": {\"action\": \"cancel\", \"actor\": \"generator\"}, "
                "\"now\": \"2025-01-02T09:59:59+05:30\"}",
                "ofn_ewaybill_apply cancel");
    CHECK(jv_is_true(jv_get(v, "allowed")));
    CHECK_STREQ(jv_path_str(v, "record.status"), "cancelled");
    jv_free(v);

    /* DUPIRN: a OneFinOps reply flagged DUPIRN is a duplicate of that IRN. */
    v = call_ok(ofn_dupirn_check,
                "{\"reply\": {\"irn\": "
                "\"79c0bdf270c568e34478e549ffe2eea1168499a0632d18701e01d52b61e243d7\", "
                "\"ackNumber\": 112610012345678, \"ackDate\": \"2026-05-14T11:42:18.000Z\", "
                "\"status\": \"ACT\", \"message\": \"2150 : Duplicate IRN\", \"infoCode\": "
                "\"DUPIRN\"}}",
                "ofn_dupirn_check");
    CHECK(jv_is_true(jv_path(v, "outcome.duplicate")));
    CHECK_STREQ(jv_path_str(v, "outcome.irn"),
                "79c0bdf270c568e34478e549ffe2eea1168499a0632d18701e01d52b61e243d7");
    CHECK(jv_path(v, "outcome.ackNo") &&
          strcmp(jv_path(v, "outcome.ackNo")->str, "112610012345678") == 0);
    CHECK_STREQ(jv_path_str(v, "outcome.shape"), "onefinops");
    jv_free(v);

    /* E-way bill recovery: 604 means the bill exists; fetch it by document. 311 does not. */
    v = call_ok(ofn_ewaybill_recovery,
                "{\"codes\": [\"604\"], \"documentType\": \"INV\", \"documentNumber\": \"A/1\"}",
                "ofn_ewaybill_recovery");
    CHECK_STREQ(jv_path_str(v, "fetch.fetch"), "by_document");
    CHECK_STREQ(jv_path_str(v, "fetch.documentType"), "INV");
    CHECK_STREQ(jv_path_str(v, "fetch.documentNumber"), "A/1");
    jv_free(v);
    v = call_ok(ofn_ewaybill_recovery,
                "{\"codes\": [\"311\"], \"documentType\": \"INV\", \"documentNumber\": \"A/1\"}",
                "ofn_ewaybill_recovery 311");
    CHECK(jv_get(v, "fetch") && jv_get(v, "fetch")->type == JV_NULL);
    jv_free(v);
    CHECK_STATUS(ofn_ewaybill_recovery(ARG("{\"codes\": []}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    ofn_buf_free(&err);

    /* NIC codes: the bare text, trimmed. */
    CHECK_STATUS(ofn_nic_code(ARG("2150"), &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK_STREQ(jv_str(jv_get(v, "class")), "idempotent-recover");
    CHECK_STREQ(jv_str(jv_get(v, "code")), "2150");
    CHECK_STREQ(jv_str(jv_get(v, "message")), "Duplicate IRN");
    jv_free(v);
    ofn_buf_free(&out);
    CHECK_STATUS(ofn_nic_code(ARG(" 2146\n"), &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK_STREQ(jv_str(jv_get(v, "class")), "retryable");
    CHECK_STREQ(jv_str(jv_get(v, "code")), "2146");
    jv_free(v);
    ofn_buf_free(&out);

    /* An API error answer. */
    v = call_ok(ofn_error_parse,
                "{\"status\": 429, \"retryAfter\": \"7\", \"body\": {\"error\": {\"code\": "
                "\"rate_limited\", \"message\": \"slow down\"}}}",
                "ofn_error_parse");
    CHECK_STREQ(jv_str(jv_get(v, "code")), "rate_limited");
    CHECK_STREQ(jv_str(jv_get(v, "message")), "slow down");
    CHECK(jv_int(jv_get(v, "retryAfter")) == 7);
    CHECK(jv_int(jv_get(v, "httpStatus")) == 429);
    CHECK(jv_is_true(jv_get(v, "retryable")));
    CHECK(jv_is_false(jv_get(v, "needsReauth")));
    CHECK_STREQ(jv_path_str(v, "envelope.error.code"), "rate_limited");
    jv_free(v);
}

/* Builds the FFI input of a lifecycle vector case, and the expectation in FFI terms. */
static void copy_members(sb *s, const jv *obj, const char *skip, const char *from,
                         const char *to) {
    size_t i;
    int first = 1;
    sb_puts(s, "{");
    for (i = 0; i < jv_len(obj); i++) {
        const char *k = obj->keys[i];
        if (skip && strcmp(k, skip) == 0)
            continue;
        if (!first)
            sb_puts(s, ", ");
        first = 0;
        if (from && strcmp(k, from) == 0)
            k = to;
        sb_json_str(s, k, strlen(k));
        sb_puts(s, ": ");
        sb_put(s, obj->items[i]->raw, obj->items[i]->raw_len);
    }
    sb_puts(s, "}");
}

static void test_lifecycle_vectors(void) {
    static const char *const kinds[] = {"validity", "einvoice", "ewaybill",     "dupirn",
                                        "ewb_duplicate", "nic_code", "error_envelope"};
    size_t k, total = 0;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char path[4096];
        char *text;
        jv *doc;
        const jv *cases;
        size_t i;
        snprintf(path, sizeof path, "%s/tests/vectors/lifecycle/%s.json", root, kinds[k]);
        text = read_file(path, NULL);
        REQUIRE_MSG(text != NULL, path);
        doc = jv_parse_str(text);
        REQUIRE_MSG(doc != NULL, path);
        CHECK_STREQ(jv_str(jv_get(doc, "kind")), kinds[k]);
        cases = jv_get(doc, "cases");
        CHECK(jv_len(cases) > 0);
        for (i = 0; i < jv_len(cases); i++) {
            const jv *c = jv_at(cases, i), *input = jv_get(c, "input"),
                     *expected = jv_get(c, "expected");
            const char *op = jv_str(jv_get(input, "op"));
            sb in = {0};
            ofn_buf out = {0}, err = {0};
            ofn_status st;
            jv *actual;
            int ok;
            char label[512];
            snprintf(label, sizeof label, "lifecycle/%s.json: %s", kinds[k],
                     jv_str(jv_get(c, "name")) ? jv_str(jv_get(c, "name")) : "?");
            REQUIRE_MSG(input && expected, label);
            total++;
            if (strcmp(kinds[k], "validity") == 0) {
                int ext = op && strcmp(op, "predict_extension") == 0;
                copy_members(&in, input, "op", "from", ext ? "extendedAt" : "generatedAt");
                st = ofn_ewaybill_validity((const uint8_t *)in.p, in.len, &out, &err);
            } else if (strcmp(kinds[k], "einvoice") == 0) {
                copy_members(&in, input, NULL, NULL, NULL);
                st = ofn_einvoice_decide((const uint8_t *)in.p, in.len, &out, &err);
            } else if (strcmp(kinds[k], "ewaybill") == 0) {
                copy_members(&in, input, NULL, NULL, NULL);
                st = ofn_ewaybill_apply((const uint8_t *)in.p, in.len, &out, &err);
            } else if (strcmp(kinds[k], "dupirn") == 0) {
                copy_members(&in, input, "op", NULL, NULL);
                st = ofn_dupirn_check((const uint8_t *)in.p, in.len, &out, &err);
            } else if (strcmp(kinds[k], "ewb_duplicate") == 0) {
                copy_members(&in, input, "op", NULL, NULL);
                st = ofn_ewaybill_recovery((const uint8_t *)in.p, in.len, &out, &err);
            } else if (strcmp(kinds[k], "nic_code") == 0) {
                const char *code = jv_str(jv_get(input, "code"));
                sb_puts(&in, code ? code : "");
                st = ofn_nic_code((const uint8_t *)in.p, in.len, &out, &err);
            } else {
                copy_members(&in, input, NULL, NULL, NULL);
                st = ofn_error_parse((const uint8_t *)in.p, in.len, &out, &err);
            }
            if (!CHECK_STATUS(st, OFN_OK, &err)) {
                fprintf(stderr, "    case %s\n    input %s\n", label, sb_str(&in));
                ofn_buf_free(&err);
                sb_free(&in);
                continue;
            }
            actual = jv_parse_str(BUF_STR(out));
            if (strcmp(kinds[k], "validity") == 0 && jv_get(expected, "error")) {
                /* The core's error is the FFI's one finding. */
                const jv *nic = jv_get(expected, "nicCode");
                ok = jv_is_false(jv_get(actual, "ok")) &&
                     jv_len(jv_get(actual, "findings")) == 1 &&
                     jv_matches(jv_get(expected, "error"), jv_path(actual, "findings.0.code")) &&
                     (nic ? jv_matches(nic, jv_path(actual, "findings.0.nicCode"))
                          : jv_is_null(jv_path(actual, "findings.0.nicCode")));
            } else if (strcmp(kinds[k], "validity") == 0) {
                ok = jv_is_true(jv_get(actual, "ok")) && jv_matches(expected, actual);
            } else if (strcmp(kinds[k], "dupirn") == 0 && jv_str(jv_get(expected, "error"))) {
                /* Not a registration: outcome null and the error's code. */
                ok = jv_is_null(jv_get(actual, "outcome")) &&
                     jv_matches(jv_get(expected, "error"), jv_path(actual, "error.code"));
            } else {
                ok = jv_matches(expected, actual);
            }
            if (!CHECK_MSG(ok, label))
                fprintf(stderr, "    input    %s\n    expected %.*s\n    actual   %s\n",
                        sb_str(&in), (int)expected->raw_len, expected->raw, BUF_STR(out));
            jv_free(actual);
            ofn_buf_free(&out);
            sb_free(&in);
        }
        jv_free(doc);
        free(text);
    }
    CHECK(total >= 100);
    printf("  lifecycle vectors: %zu cases\n", total);
}

/* ---- signatures, webhooks, QR ------------------------------------------------------------- */

static void test_sha256_helper(void) {
    /* The helper itself, against FIPS 180-2 and RFC 4231 test case 2. */
    sha256 s;
    uint8_t d[32];
    char h[65];
    sha256_init(&s);
    sha256_update(&s, "abc", 3);
    sha256_final(&s, d);
    hex(d, 32, h);
    CHECK_STREQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
    hex(d, 32, h);
    CHECK_STREQ(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static ofn_status webhook(const char *secret, const char *header, const char *body, long now,
                          long tolerance, ofn_buf *out, ofn_buf *err) {
    sb in = {0};
    ofn_status st;
    sb_puts(&in, "{\"secret\": ");
    sb_json_str(&in, secret, strlen(secret));
    sb_puts(&in, ", \"header\": ");
    sb_json_str(&in, header, strlen(header));
    sb_puts(&in, ", \"body\": ");
    sb_json_str(&in, body, strlen(body));
    sb_printf(&in, ", \"now\": %ld", now);
    if (tolerance >= 0)
        sb_printf(&in, ", \"toleranceSecs\": %ld", tolerance);
    sb_puts(&in, "}");
    st = ofn_webhook_verify((const uint8_t *)in.p, in.len, out, err);
    sb_free(&in);
    return st;
}

static void test_webhook(void) {
    const char *body = "{\"id\":\"evt_1\",\"type\":\"einvoice.generated\",\"data\":{\"irn\":"
                       "\"23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662\"}}";
    char header[200], other[200];
    ofn_buf out = {0}, err = {0};
    jv *v;
    webhook_header("whsec_test", 1000, body, header, sizeof header);

    /* Success: the event comes back. */
    CHECK_STATUS(webhook("whsec_test", header, body, 1100, -1, &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK_STREQ(jv_str(jv_get(v, "id")), "evt_1");
    CHECK_STREQ(jv_str(jv_get(v, "type")), "einvoice.generated");
    CHECK_STREQ(jv_path_str(v, "data.irn"),
                "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662");
    CHECK(err.data == NULL);
    jv_free(v);
    ofn_buf_free(&out);
    /* Exactly at the tolerance (300 s) it still verifies; one second later it does not. */
    CHECK_STATUS(webhook("whsec_test", header, body, 1300, -1, &out, &err), OFN_OK, &err);
    ofn_buf_free(&out);
    CHECK_STATUS(webhook("whsec_test", header, body, 1301, -1, &out, &err),
                 OFN_E_WEBHOOK_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"webhook.timestamp\"");
    CHECK(out.data == NULL);
    ofn_buf_free(&err);
    /* A wider tolerance accepts it. */
    CHECK_STATUS(webhook("whsec_test", header, body, 1301, 600, &out, &err), OFN_OK, &err);
    ofn_buf_free(&out);
    /* Another secret, a changed body: the signature does not match. */
    CHECK_STATUS(webhook("whsec_other", header, body, 1100, -1, &out, &err),
                 OFN_E_WEBHOOK_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"webhook.signature_mismatch\"");
    ofn_buf_free(&err);
    CHECK_STATUS(webhook("whsec_test", header, "{\"id\":\"evt_2\"}", 1100, -1, &out, &err),
                 OFN_E_WEBHOOK_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"webhook.signature_mismatch\"");
    ofn_buf_free(&err);
    /* A malformed header. */
    CHECK_STATUS(webhook("whsec_test", "sha256=abc", body, 1100, -1, &out, &err),
                 OFN_E_WEBHOOK_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"webhook.malformed_header\"");
    ofn_buf_free(&err);
    /* Signed correctly, but not a JSON object. */
    webhook_header("whsec_test", 1000, "[1,2]", other, sizeof other);
    CHECK_STATUS(webhook("whsec_test", other, "[1,2]", 1000, -1, &out, &err),
                 OFN_E_WEBHOOK_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"webhook.bad_payload\"");
    ofn_buf_free(&err);
    /* A missing member is the caller's error, not an invalid delivery. */
    CHECK_STATUS(ofn_webhook_verify(ARG("{\"secret\": \"s\", \"header\": \"t=1,v1=00\"}"), &out,
                                    &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"code\":\"invalid_argument\"");
    ofn_buf_free(&err);
}

static void test_verify_signed_failures(void) {
    ofn_buf out = {0}, err = {0};
    jv *v;
    /* Not three parts. */
    CHECK_STATUS(ofn_verify_signed(ARG("{\"jws\": \"not-a-jws\", \"keys\": {}}"), &out, &err),
                 OFN_E_SIGNATURE_INVALID, &err);
    v = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(v, "error.reason"), "signature.malformed");
    CHECK_STREQ(jv_path_str(v, "error.code"), "invalid_argument");
    CHECK(out.data == NULL);
    jv_free(v);
    ofn_buf_free(&err);
    /* Three parts that are not base64url JSON. */
    CHECK_STATUS(ofn_verify_signed(ARG("{\"jws\": \"a.b.c\", \"keys\": {\"jwks\": {\"keys\": "
                                       "[]}}}"),
                                   &out, &err),
                 OFN_E_SIGNATURE_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"signature.malformed\"");
    ofn_buf_free(&err);
    /* A well-formed RS256 JWS (header {"alg":"RS256","kid":"FAKE"}) with no key configured. */
    CHECK_STATUS(ofn_verify_signed(ARG("{\"jws\": \"eyJhbGciOiJSUzI1NiIsImtpZCI6IkZBS0UifQ."
                                       "eyJkYXRhIjoie30ifQ.c2ln\", \"keys\": {}}"),
                                   &out, &err),
                 OFN_E_SIGNATURE_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"signature.no_keys\"");
    ofn_buf_free(&err);
    /* alg none is refused. ({"alg":"none"}) */
    CHECK_STATUS(ofn_verify_signed(ARG("{\"jws\": \"eyJhbGciOiJub25lIn0.eyJkYXRhIjoie30ifQ.\", "
                                       "\"keys\": {}}"),
                                   &out, &err),
                 OFN_E_SIGNATURE_INVALID, &err);
    CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"signature.algorithm\"");
    ofn_buf_free(&err);
    /* Arguments of the wrong shape: OFN_E_INVALID_ARGUMENT, no reason. */
    CHECK_STATUS(ofn_verify_signed(ARG("{}"), &out, &err), OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "missing field `jws`");
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_verify_signed(ARG("{\"jws\": \"a.b.c\", \"keys\": {\"pem\": {\"k1\": "
                                       "\"not a pem\"}}}"),
                                   &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "input.keys.pem.k1");
    ofn_buf_free(&err);
}

static void test_qr_png(void) {
    static const uint8_t magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const char *jws = "aGVhZA.cGF5bG9hZA.c2ln";
    ofn_buf out = {0}, big = {0}, err = {0};
    CHECK_STATUS(ofn_qr_png(ARG(jws), 4, &out, &err), OFN_OK, &err);
    REQUIRE(out.data != NULL && out.len > 8);
    CHECK(memcmp(out.data, magic, 8) == 0);
    CHECK(out.data[out.len] == 0); /* the trailing NUL the ABI promises */
    CHECK(err.data == NULL);
    /* 1 and 32 pixels per module are the bounds; a bigger module is a bigger image. */
    CHECK_STATUS(ofn_qr_png(ARG(jws), 32, &big, &err), OFN_OK, &err);
    CHECK(big.len > out.len && memcmp(big.data, magic, 8) == 0);
    ofn_buf_free(&big);
    CHECK_STATUS(ofn_qr_png(ARG(jws), 1, &big, &err), OFN_OK, &err);
    CHECK(big.len > 8 && memcmp(big.data, magic, 8) == 0);
    ofn_buf_free(&big);
    CHECK_STATUS(ofn_qr_png(ARG(jws), 0, &big, &err), OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "module size 0");
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_qr_png(ARG(jws), 33, &big, &err), OFN_E_INVALID_ARGUMENT, &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_qr_png(ARG("not a jws"), 4, &big, &err), OFN_E_INVALID_ARGUMENT, &err);
    CHECK_CONTAINS(BUF_STR(err), "signedQrCode");
    CHECK(big.data == NULL);
    ofn_buf_free(&err);

    /* ofn_buf_free: sets {NULL, 0}; twice is harmless; NULL and an empty buffer are no-ops. */
    ofn_buf_free(&out);
    CHECK(out.data == NULL && out.len == 0);
    ofn_buf_free(&out);
    CHECK(out.data == NULL && out.len == 0);
    ofn_buf_free(NULL);
    {
        ofn_buf empty = {NULL, 0};
        ofn_buf_free(&empty);
        CHECK(empty.data == NULL && empty.len == 0);
    }
}

/* ---- threads ------------------------------------------------------------------------------ */

#define PURE_THREADS 4
#define PURE_ROUNDS 5

static void *pure_worker(void *arg) {
    int id = *(int *)arg, r;
    long bad = 0;
    for (r = 0; r < PURE_ROUNDS; r++) {
        char number[32];
        char *doc;
        ofn_buf out = {0}, err = {0};
        snprintf(number, sizeof number, "THR%d-%d", id, r);
        doc = quickstart_invoice(number, r % 2 ? "27" : "29");
        if (ofn_validate(ARG(doc), ARG("{\"sandbox\": true}"), &out, &err) != OFN_OK)
            bad++;
        else if (r % 2 ? !strstr(BUF_STR(out), "\"valid\":true")
                       : !strstr(BUF_STR(out), "\"nicCode\":\"2172\""))
            bad++;
        ofn_buf_free(&out);
        ofn_buf_free(&err);
        if (ofn_irn(ARG(doc), &out, &err) != OFN_OK || out.len < 20)
            bad++;
        ofn_buf_free(&out);
        ofn_buf_free(&err);
        free(doc);
    }
    CHECK_MSG(bad == 0, "a pure function failed on a worker thread");
    return NULL;
}

static void test_threads(void) {
    pthread_t t[PURE_THREADS];
    int ids[PURE_THREADS], i;
    for (i = 0; i < PURE_THREADS; i++) {
        ids[i] = i;
        REQUIRE(pthread_create(&t[i], NULL, pure_worker, &ids[i]) == 0);
    }
    for (i = 0; i < PURE_THREADS; i++)
        pthread_join(t[i], NULL);
}

int main(int argc, char **argv) {
    root = repo_root(argc, argv);
    test_version_and_statuses();
    test_validate_quickstart();
    test_validation_vectors();
    test_validate_ewaybill();
    test_prepare();
    test_nic_round_trip();
    test_irn();
    test_gstin();
    test_lifecycle_known_answers();
    test_lifecycle_vectors();
    test_sha256_helper();
    test_webhook();
    test_verify_signed_failures();
    test_qr_png();
    test_threads();
    {
        /* "pure" or "pure-static": the name it was built as. */
        const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        return ofn_test_finish(name);
    }
}
