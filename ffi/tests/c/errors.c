/*
 * errors.c: the failure side of every function of the C ABI. No network: the client's
 * requests go to an in-memory transport or through sans-IO calls this program answers itself.
 *
 * - NULL for every pointer parameter of every function (OFN_E_NULL_POINTER), and NULL with
 *   length 0, which is the empty input and not an error (what each function makes of "");
 * - out-parameters untouched on failure and err_out untouched on success (sentinels);
 *   err_out NULL accepted everywhere;
 * - invalid UTF-8 in every text argument (OFN_E_INVALID_UTF8, with the argument and offset);
 * - truncated JSON: a document is a finding, options/config/request are OFN_E_INVALID_ARGUMENT;
 * - a 50 MB document and a deeply nested one given to ofn_validate;
 * - unknown operations (OFN_E_UNKNOWN_OPERATION), sans-IO calls out of order (OFN_E_CALL_STATE);
 * - ofn_exchange_respond / ofn_exchange_fail misuse inside a transport's send;
 * - ofn_test_panic: OFN_E_PANIC with an `internal` envelope, and the library keeps working.
 */

#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mini.h"
#include "ofn_test.h"

/* A buffer that no function may touch: a pointer nobody would write, and a length. */
#define SENTINEL_PTR ((uint8_t *)(uintptr_t)0x5e11)
#define SENTINEL_LEN ((size_t)0x5e11)
static ofn_buf sentinel(void) {
    ofn_buf b;
    b.data = SENTINEL_PTR;
    b.len = SENTINEL_LEN;
    return b;
}
static int untouched(const ofn_buf *b) { return b->data == SENTINEL_PTR && b->len == SENTINEL_LEN; }

static const char *const GOOD_DOC =
    "{\"supplyType\": \"B2B\", \"documentType\": \"INV\", \"invoiceNumber\": \"ERR-1\","
    " \"invoiceDate\": \"2026-05-04\", \"financialYear\": \"2026-27\", \"reverseCharge\": false,"
    " \"placeOfSupplyStateCode\": \"27\", \"seller\": {\"gstin\": \"29ABCDE1234F1Z5\","
    " \"legalName\": \"Acme Pvt Ltd\", \"address1\": \"12 Industrial Area\", \"location\":"
    " \"Bengaluru\", \"pinCode\": \"560001\", \"stateCode\": \"29\"}, \"buyer\": {\"gstin\":"
    " \"27FGHIJ5678K1Z2\", \"legalName\": \"Globex Pvt Ltd\", \"address1\": \"8 MG Road\","
    " \"location\": \"Mumbai\", \"pinCode\": \"400001\", \"stateCode\": \"27\"}, \"lines\":"
    " [{\"lineNumber\": 1, \"productDescription\": \"Consulting services\", \"isService\": true,"
    " \"hsnCode\": \"998314\", \"unitPrice\": 10000, \"assessableValue\": 10000, \"gstRate\": 18,"
    " \"igstAmount\": 1800, \"totalItemValue\": 11800}], \"totals\": {\"assessableValue\": 10000,"
    " \"totalIgstValue\": 1800, \"totalInvoiceValue\": 11800}}";

/* The error envelope in `err` has this code and its message contains `needle` (may be NULL). */
static int envelope_is(const ofn_buf *err, const char *code, const char *needle) {
    jv *v = jv_parse_str(BUF_STR(*err));
    const char *c = jv_path_str(v, "error.code"), *m = jv_path_str(v, "error.message");
    int ok = c && strcmp(c, code) == 0 && m && m[0] && (!needle || strstr(m, needle));
    if (!ok)
        fprintf(stderr, "    envelope: %s\n    expected code %s, message with \"%s\"\n",
                BUF_STR(*err), code, needle ? needle : "");
    jv_free(v);
    return ok;
}

/* ---- the one-input pure functions: (input, len, out, err) ------------------------------- */

typedef ofn_status (*one_fn)(const uint8_t *, size_t, ofn_buf *, ofn_buf *);

typedef struct named_fn {
    const char *name;
    one_fn f;
    const char *arg;  /* the argument's name in messages */
    const char *good; /* an input it accepts */
    /* What it does with empty input (NULL, 0): the status, and for OFN_OK a text in the result
     * or for a failure a text in the message. */
    ofn_status empty_status;
    const char *empty_text;
} named_fn;

static const named_fn ONE_INPUT[] = {
    {"ofn_prepare", ofn_prepare, "document", NULL, OFN_E_VALIDATION, "cannot be read"},
    {"ofn_to_nic", ofn_to_nic, "document", NULL, OFN_E_VALIDATION, "cannot be read"},
    {"ofn_from_nic", ofn_from_nic, "nic_document",
     "{\"Version\": \"1.1\", \"TranDtls\": {\"TaxSch\": \"GST\", \"SupTyp\": \"B2B\"}, "
     "\"DocDtls\": {\"Typ\": \"INV\", \"No\": \"A-1\", \"Dt\": \"04/05/2026\"}, \"SellerDtls\": "
     "{\"Gstin\": \"29ABCDE1234F1Z5\", \"LglNm\": \"A\", \"Addr1\": \"x\", \"Loc\": \"y\", \"Pin\": "
     "560001, \"Stcd\": \"29\"}, \"BuyerDtls\": {\"Gstin\": \"27FGHIJ5678K1Z2\", \"LglNm\": \"B\", "
     "\"Pos\": \"27\", \"Addr1\": \"x\", \"Loc\": \"y\", \"Pin\": 400001, \"Stcd\": \"27\"}, "
     "\"ItemList\": [{\"SlNo\": \"1\", \"IsServc\": \"Y\", \"HsnCd\": \"998314\", \"UnitPrice\": 1, "
     "\"TotAmt\": 1, \"AssAmt\": 1, \"GstRt\": 18, \"TotItemVal\": 1.18, \"IgstAmt\": 0.18}], "
     "\"ValDtls\": {\"AssVal\": 1, \"IgstVal\": 0.18, \"TotInvVal\": 1.18}}",
     OFN_E_VALIDATION, "cannot be read"},
    {"ofn_irn", ofn_irn, "document", NULL, OFN_E_VALIDATION, "cannot be read"},
    {"ofn_ewaybill_validity", ofn_ewaybill_validity, "input",
     "{\"generatedAt\":\"2022-10-05T12:39:00+05:30\",\"distanceKm\":10}", OFN_E_INVALID_ARGUMENT,
     "input is not JSON"},
    {"ofn_einvoice_decide", ofn_einvoice_decide, "input",
     "{\"action\": \"generate\", \"now\": \"2026-05-02T10:00:01+05:30\"}",
     OFN_E_INVALID_ARGUMENT, "input is not JSON"},
    {"ofn_ewaybill_apply", ofn_ewaybill_apply, "input",
     "{\"record\": {\"status\": \"active\", \"generatedAt\": \"2025-01-01T10:00:00+05:30\", "
     "\"validUpto\": \"2025-01-02T23:59:00+05:30\", \"distanceKm\": 150, \"cargo\": \"normal\", "
     "\"transporterEnteredPartB\": false}, \"action\": {\"action\": \"cancel\", \"actor\": "
     "\"generator\"}, \"now\": \"2025-01-02T09:59:59+05:30\"}",
     OFN_E_INVALID_ARGUMENT, "input is not JSON"},
    {"ofn_dupirn_check", ofn_dupirn_check, "input", "{\"reply\": {}}", OFN_E_INVALID_ARGUMENT,
     "input is not JSON"},
    {"ofn_ewaybill_recovery", ofn_ewaybill_recovery, "input",
     "{\"codes\": [\"604\"], \"documentType\": \"INV\", \"documentNumber\": \"A/1\"}",
     OFN_E_INVALID_ARGUMENT, "input is not JSON"},
    {"ofn_nic_code", ofn_nic_code, "code", "2150", OFN_OK, "\"code\":\"\""},
    {"ofn_error_parse", ofn_error_parse, "input", "{\"status\": 404, \"body\": \"gone\"}",
     OFN_E_INVALID_ARGUMENT, "input is not JSON"},
    {"ofn_verify_signed", ofn_verify_signed, "input", NULL, OFN_E_INVALID_ARGUMENT,
     "input is not JSON"},
    {"ofn_webhook_verify", ofn_webhook_verify, "input", NULL, OFN_E_INVALID_ARGUMENT,
     "input is not JSON"},
};

static void test_one_input_functions(void) {
    size_t i;
    for (i = 0; i < sizeof ONE_INPUT / sizeof ONE_INPUT[0]; i++) {
        const named_fn *fn = &ONE_INPUT[i];
        const char *good = fn->good ? fn->good : GOOD_DOC;
        ofn_buf out = sentinel(), err = sentinel();
        ofn_status st;
        char msg[256];

        /* out NULL: nothing else is looked at; err_out gets the envelope. */
        err = sentinel();
        st = fn->f(ARG(good), NULL, &err);
        if (!CHECK_STATUS(st, OFN_E_NULL_POINTER, &err))
            fprintf(stderr, "    in %s(out = NULL)\n", fn->name);
        CHECK(!untouched(&err) && envelope_is(&err, "invalid_argument", "out is NULL"));
        ofn_buf_free(&err);
        /* ... and with err_out NULL too. */
        CHECK_STATUS(fn->f(ARG(good), NULL, NULL), OFN_E_NULL_POINTER, NULL);

        /* input NULL with a length: NULL_POINTER, out untouched. */
        out = sentinel();
        st = fn->f(NULL, 5, &out, &err);
        if (!CHECK_STATUS(st, OFN_E_NULL_POINTER, &err))
            fprintf(stderr, "    in %s(NULL, 5)\n", fn->name);
        snprintf(msg, sizeof msg, "%s is NULL", fn->arg);
        CHECK(envelope_is(&err, "invalid_argument", msg));
        CHECK(untouched(&out));
        ofn_buf_free(&err);
        CHECK_STATUS(fn->f(NULL, 5, &out, NULL), OFN_E_NULL_POINTER, NULL);
        CHECK(untouched(&out));

        /* input NULL with length 0: the empty input, not a NULL pointer. */
        out = sentinel();
        err = sentinel();
        st = fn->f(NULL, 0, &out, &err);
        if (!CHECK_STATUS(st, fn->empty_status, &err))
            fprintf(stderr, "    in %s(NULL, 0)\n", fn->name);
        if (fn->empty_status == OFN_OK) {
            CHECK(untouched(&err));
            CHECK_CONTAINS(BUF_STR(out), fn->empty_text);
            ofn_buf_free(&out);
        } else {
            CHECK(untouched(&out));
            CHECK_CONTAINS(BUF_STR(err), fn->empty_text);
            ofn_buf_free(&err);
        }

        /* Invalid UTF-8 (a lone continuation byte at offset 3). */
        out = sentinel();
        st = fn->f((const uint8_t *)"abc\x80z", 5, &out, &err);
        if (!CHECK_STATUS(st, OFN_E_INVALID_UTF8, &err))
            fprintf(stderr, "    in %s(\"abc\\x80z\")\n", fn->name);
        snprintf(msg, sizeof msg, "%s is not UTF-8: invalid byte at offset 3", fn->arg);
        CHECK(envelope_is(&err, "invalid_argument", msg));
        CHECK(untouched(&out));
        ofn_buf_free(&err);

        /* The good input works, with err_out untouched (and with err_out NULL). */
        if (fn->good) {
            err = sentinel();
            st = fn->f(ARG(good), &out, &err);
            if (!CHECK_STATUS(st, OFN_OK, &err))
                fprintf(stderr, "    in %s(good)\n", fn->name);
            CHECK(untouched(&err));
            CHECK(out.data != NULL && out.data[out.len] == '\0');
            ofn_buf_free(&out);
            CHECK_STATUS(fn->f(ARG(good), &out, NULL), OFN_OK, NULL);
            ofn_buf_free(&out);
        }
    }
    /* The document functions on the good document. */
    {
        ofn_buf out = {0}, err = sentinel();
        CHECK_STATUS(ofn_prepare(ARG(GOOD_DOC), &out, &err), OFN_OK, &err);
        CHECK(untouched(&err));
        ofn_buf_free(&out);
        CHECK_STATUS(ofn_to_nic(ARG(GOOD_DOC), &out, NULL), OFN_OK, NULL);
        ofn_buf_free(&out);
        CHECK_STATUS(ofn_irn(ARG(GOOD_DOC), &out, NULL), OFN_OK, NULL);
        ofn_buf_free(&out);
    }
}

/* ---- the two-input functions: validate, validate_ewaybill, gstin_check --------------------- */

typedef ofn_status (*two_fn)(const uint8_t *, size_t, const uint8_t *, size_t, ofn_buf *,
                             ofn_buf *);

static void test_two_input_functions(void) {
    static const struct {
        const char *name;
        two_fn f;
        const char *arg;
        const char *good;
    } fns[] = {
        {"ofn_validate", ofn_validate, "document", NULL},
        {"ofn_validate_ewaybill", ofn_validate_ewaybill, "document", "{}"},
        {"ofn_gstin_check", ofn_gstin_check, "gstin", "29AAFCC9980M1ZR"},
    };
    size_t i;
    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        const char *good = fns[i].good ? fns[i].good : GOOD_DOC;
        ofn_buf out = sentinel(), err = {0};
        char msg[128];
        jv *v;
        /* out NULL */
        CHECK_STATUS(fns[i].f(ARG(good), NULL, 0, NULL, &err), OFN_E_NULL_POINTER, &err);
        CHECK(envelope_is(&err, "invalid_argument", "out is NULL"));
        ofn_buf_free(&err);
        /* first argument NULL with a length */
        CHECK_STATUS(fns[i].f(NULL, 1, NULL, 0, &out, &err), OFN_E_NULL_POINTER, &err);
        snprintf(msg, sizeof msg, "%s is NULL", fns[i].arg);
        CHECK(envelope_is(&err, "invalid_argument", msg));
        CHECK(untouched(&out));
        ofn_buf_free(&err);
        /* options NULL with a length */
        CHECK_STATUS(fns[i].f(ARG(good), NULL, 2, &out, &err), OFN_E_NULL_POINTER, &err);
        CHECK(envelope_is(&err, "invalid_argument", "options is NULL"));
        CHECK(untouched(&out));
        ofn_buf_free(&err);
        CHECK_STATUS(fns[i].f(ARG(good), NULL, 2, &out, NULL), OFN_E_NULL_POINTER, NULL);
        /* options: invalid UTF-8, truncated JSON, not an object, an unknown member */
        CHECK_STATUS(fns[i].f(ARG(good), (const uint8_t *)"{\xc3", 2, &out, &err),
                     OFN_E_INVALID_UTF8, &err);
        CHECK(envelope_is(&err, "invalid_argument", "options is not UTF-8: invalid byte at offset 1"));
        ofn_buf_free(&err);
        CHECK_STATUS(fns[i].f(ARG(good), ARG("{\"sandbox\": tr"), &out, &err),
                     OFN_E_INVALID_ARGUMENT, &err);
        CHECK(envelope_is(&err, "invalid_argument", "options is not JSON"));
        ofn_buf_free(&err);
        CHECK_STATUS(fns[i].f(ARG(good), ARG("[true]"), &out, &err), OFN_E_INVALID_ARGUMENT,
                     &err);
        CHECK(envelope_is(&err, "invalid_argument", "options must be an object, not an array"));
        ofn_buf_free(&err);
        CHECK_STATUS(fns[i].f(ARG(good), ARG("{\"sandBox\": true}"), &out, &err),
                     OFN_E_INVALID_ARGUMENT, &err);
        CHECK(envelope_is(&err, "invalid_argument", "unknown field `sandBox`"));
        CHECK(untouched(&out));
        ofn_buf_free(&err);
        /* options NULL with length 0, "null", and whitespace: the defaults. */
        err = sentinel();
        CHECK_STATUS(fns[i].f(ARG(good), NULL, 0, &out, &err), OFN_OK, &err);
        CHECK(untouched(&err));
        ofn_buf_free(&out);
        CHECK_STATUS(fns[i].f(ARG(good), ARG("null"), &out, NULL), OFN_OK, NULL);
        ofn_buf_free(&out);
        CHECK_STATUS(fns[i].f(ARG(good), ARG(" \n\t"), &out, NULL), OFN_OK, NULL);
        ofn_buf_free(&out);
        /* first argument invalid UTF-8 */
        out = sentinel();
        CHECK_STATUS(fns[i].f((const uint8_t *)"\xff\xfe", 2, NULL, 0, &out, &err),
                     OFN_E_INVALID_UTF8, &err);
        snprintf(msg, sizeof msg, "%s is not UTF-8: invalid byte at offset 0", fns[i].arg);
        CHECK(envelope_is(&err, "invalid_argument", msg));
        CHECK(untouched(&out));
        ofn_buf_free(&err);
        /* first argument NULL with length 0: an empty document / GSTIN is a finding. */
        CHECK_STATUS(fns[i].f(NULL, 0, NULL, 0, &out, &err), OFN_OK, &err);
        v = jv_parse_str(BUF_STR(out));
        CHECK_MSG(jv_is_false(jv_get(v, "valid")), BUF_STR(out));
        CHECK(jv_len(jv_get(v, "findings")) >= 1);
        if (i < 2)
            CHECK_STREQ(jv_path_str(v, "findings.0.code"), "parse.invalid_json");
        jv_free(v);
        ofn_buf_free(&out);
    }
}

/* ofn_qr_png: the one function with a number beside its text. */
static void test_qr_png_errors(void) {
    const char *jws = "aGVhZA.cGF5bG9hZA.c2ln";
    ofn_buf out = sentinel(), err = {0};
    CHECK_STATUS(ofn_qr_png(ARG(jws), 4, NULL, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "out is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_qr_png(NULL, 5, 4, &out, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "signed_qr_code is NULL"));
    CHECK(untouched(&out));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_qr_png(NULL, 5, 4, &out, NULL), OFN_E_NULL_POINTER, NULL);
    /* NULL with length 0: the empty text, which is not a JWS. */
    CHECK_STATUS(ofn_qr_png(NULL, 0, 4, &out, &err), OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "signedQrCode"));
    CHECK(untouched(&out));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_qr_png((const uint8_t *)"a.b\xf0.c", 6, 4, &out, &err), OFN_E_INVALID_UTF8,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument",
                      "signed_qr_code is not UTF-8: invalid byte at offset 3"));
    CHECK(untouched(&out));
    ofn_buf_free(&err);
    err = sentinel();
    CHECK_STATUS(ofn_qr_png(ARG(jws), 4, &out, &err), OFN_OK, &err);
    CHECK(untouched(&err));
    CHECK(out.data != NULL && out.len > 8);
    ofn_buf_free(&out);
}

/* A truncated document is a finding, not a failure. */
static void test_truncated_documents(void) {
    size_t cut[] = {1, 20, 100, 400};
    size_t i;
    for (i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        ofn_buf out = {0}, err = sentinel();
        jv *v;
        CHECK_STATUS(ofn_validate((const uint8_t *)GOOD_DOC, cut[i], ARG("{\"sandbox\": true}"),
                                  &out, &err),
                     OFN_OK, &err);
        CHECK(untouched(&err));
        v = jv_parse_str(BUF_STR(out));
        CHECK(jv_is_false(jv_get(v, "valid")));
        CHECK(jv_len(jv_get(v, "findings")) == 1);
        CHECK_STREQ(jv_path_str(v, "findings.0.code"), "parse.invalid_json");
        CHECK_STREQ(jv_path_str(v, "findings.0.path"), "");
        CHECK(jv_path(v, "findings.0.nicCode") && jv_path(v, "findings.0.nicCode")->type == JV_NULL);
        jv_free(v);
        ofn_buf_free(&out);
        /* prepare cannot read it: OFN_E_VALIDATION with the parse finding in details[]. */
        out = sentinel();
        CHECK_STATUS(ofn_prepare((const uint8_t *)GOOD_DOC, cut[i], &out, &err), OFN_E_VALIDATION,
                     &err);
        CHECK(untouched(&out));
        v = jv_parse_str(BUF_STR(err));
        CHECK_STREQ(jv_path_str(v, "error.code"), "validation_error");
        CHECK_STREQ(jv_path_str(v, "error.details.0.code"), "parse.invalid_json");
        jv_free(v);
        ofn_buf_free(&err);
    }
    /* A well-formed JSON value that is not an object. */
    {
        ofn_buf out = {0};
        CHECK_STATUS(ofn_validate(ARG("[1, 2, 3]"), NULL, 0, &out, NULL), OFN_OK, NULL);
        CHECK_CONTAINS(BUF_STR(out), "\"valid\":false");
        ofn_buf_free(&out);
    }
}

/* Deeply nested JSON (beyond any parser's recursion limit) does not overflow the stack. */
static void test_deep_nesting(void) {
    size_t depth = 100000, i;
    char *deep = xmalloc(2 * depth + 1);
    ofn_buf out = {0}, err = {0};
    for (i = 0; i < depth; i++) {
        deep[i] = '[';
        deep[2 * depth - 1 - i] = ']';
    }
    deep[2 * depth] = '\0';
    CHECK_STATUS(ofn_validate((const uint8_t *)deep, 2 * depth, NULL, 0, &out, &err), OFN_OK,
                 &err);
    CHECK_CONTAINS(BUF_STR(out), "\"code\":\"parse.invalid_json\"");
    ofn_buf_free(&out);
    CHECK_STATUS(ofn_validate(ARG(GOOD_DOC), (const uint8_t *)deep, 2 * depth, &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "options is not JSON"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_einvoice_decide((const uint8_t *)deep, 2 * depth, &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    ofn_buf_free(&err);
    free(deep);
}

/* A 50 MB document: one item whose description is 50 MiB long. */
static void test_huge_document(void) {
    const char *pre =
        "{\"supplyType\": \"B2B\", \"documentType\": \"INV\", \"invoiceNumber\": \"BIG-1\","
        " \"invoiceDate\": \"2026-05-04\", \"financialYear\": \"2026-27\", \"reverseCharge\":"
        " false, \"placeOfSupplyStateCode\": \"27\", \"seller\": {\"gstin\": \"29ABCDE1234F1Z5\","
        " \"legalName\": \"Acme Pvt Ltd\", \"address1\": \"12 Industrial Area\", \"location\":"
        " \"Bengaluru\", \"pinCode\": \"560001\", \"stateCode\": \"29\"}, \"buyer\": {\"gstin\":"
        " \"27FGHIJ5678K1Z2\", \"legalName\": \"Globex Pvt Ltd\", \"address1\": \"8 MG Road\","
        " \"location\": \"Mumbai\", \"pinCode\": \"400001\", \"stateCode\": \"27\"}, \"lines\":"
        " [{\"lineNumber\": 1, \"productDescription\": \"";
    const char *post =
        "\", \"isService\": true, \"hsnCode\": \"998314\", \"unitPrice\": 10000,"
        " \"assessableValue\": 10000, \"gstRate\": 18, \"igstAmount\": 1800, \"totalItemValue\":"
        " 11800}], \"totals\": {\"assessableValue\": 10000, \"totalIgstValue\": 1800,"
        " \"totalInvoiceValue\": 11800}}";
    size_t n = 50u * 1024u * 1024u, lp = strlen(pre), lq = strlen(post), len = lp + n + lq;
    char *doc = xmalloc(len + 1);
    ofn_buf out = {0}, err = {0};
    uint64_t t0, ms;
    jv *v;
    memcpy(doc, pre, lp);
    memset(doc + lp, 'A', n);
    memcpy(doc + lp + n, post, lq + 1);
    t0 = now_ms();
    CHECK_STATUS(ofn_validate((const uint8_t *)doc, len, ARG("{\"sandbox\": true}"), &out, &err),
                 OFN_OK, &err);
    ms = now_ms() - t0;
    printf("  ofn_validate of a %zu-byte document: %llu ms\n", len, (unsigned long long)ms);
    /* The answer names the field and its length without echoing 50 MB back. */
    CHECK(out.len < 4096);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_is_false(jv_get(v, "valid")));
    CHECK(jv_len(jv_get(v, "findings")) == 1);
    CHECK_STREQ(jv_path_str(v, "findings.0.path"), "/lines/0/productDescription");
    CHECK_STREQ(jv_path_str(v, "findings.0.code"), "schema.max_length");
    CHECK_CONTAINS(jv_path_str(v, "findings.0.message"), "52428800 characters long");
    jv_free(v);
    ofn_buf_free(&out);
    ofn_buf_free(&err);
    free(doc);
}

/* ---- a client for the handle tests (never contacted: baseUrl on the discard port) --------- */

static const char *const OFFLINE_CONFIG =
    "{\"environment\": \"local\", \"baseUrl\": \"http://127.0.0.1:9\", \"clients\": "
    "[{\"clientId\": \"ofin_test_quickstart\", \"clientSecret\": \"sandbox-secret\"}], "
    "\"retry\": {\"maxRetries\": 0, \"baseDelayMs\": 1, \"maxDelayMs\": 2}}";

static ofn_client *offline_client(void) {
    ofn_client *c = NULL;
    ofn_buf err = sentinel();
    REQUIRE_STATUS(ofn_client_new(ARG(OFFLINE_CONFIG), &c, &err), OFN_OK, &err);
    REQUIRE(c != NULL);
    CHECK(untouched(&err));
    return c;
}

static void test_client_new_errors(void) {
    ofn_client *sentinel_client = (ofn_client *)(uintptr_t)0xc11e, *c = sentinel_client;
    ofn_buf err = {0};
    /* out NULL */
    CHECK_STATUS(ofn_client_new(ARG(OFFLINE_CONFIG), NULL, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "out is NULL"));
    ofn_buf_free(&err);
    /* config NULL with a length */
    CHECK_STATUS(ofn_client_new(NULL, 10, &c, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "config is NULL"));
    CHECK(c == sentinel_client);
    ofn_buf_free(&err);
    /* config NULL with length 0: the empty config, which is not JSON. */
    CHECK_STATUS(ofn_client_new(NULL, 0, &c, &err), OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "config is not JSON"));
    CHECK(c == sentinel_client);
    ofn_buf_free(&err);
    /* invalid UTF-8 */
    CHECK_STATUS(ofn_client_new((const uint8_t *)"{\"a\xff", 4, &c, &err), OFN_E_INVALID_UTF8,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "config is not UTF-8: invalid byte at offset 3"));
    ofn_buf_free(&err);
    /* truncated JSON */
    CHECK_STATUS(ofn_client_new((const uint8_t *)OFFLINE_CONFIG, 40, &c, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "config is not JSON"));
    ofn_buf_free(&err);
    /* wrong shapes */
    CHECK_STATUS(ofn_client_new(ARG("{\"clients\": [], \"retires\": {}}"), &c, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "unknown field `retires`"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_new(ARG("{\"environment\": \"local\", \"clients\": []}"), &c, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "config.baseUrl"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_new(ARG("{\"environment\": \"production\", \"clients\": "
                                    "[{\"clientId\": \"ofin_test_a\", \"clientSecret\": \"s\"}]}"),
                                &c, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "must not be sent to production"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_new(ARG("{\"environment\": \"moon\", \"clients\": []}"), &c, NULL),
                 OFN_E_INVALID_ARGUMENT, NULL);
    CHECK(c == sentinel_client);
    /* Freeing NULL is a no-op. */
    ofn_client_free(NULL);
}

static void test_client_call_errors(void) {
    ofn_client *c = offline_client();
    ofn_buf out = sentinel(), err = {0};

    CHECK_STATUS(ofn_client_call(NULL, ARG("jwks"), ARG("{}"), &out, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "client is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("jwks"), ARG("{}"), NULL, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "out is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, NULL, 4, ARG("{}"), &out, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "operation is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("jwks"), NULL, 2, &out, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(NULL, ARG("jwks"), ARG("{}"), &out, NULL), OFN_E_NULL_POINTER,
                 NULL);
    /* The empty operation name is an unknown operation; the empty request is not an object. */
    CHECK_STATUS(ofn_client_call(c, NULL, 0, ARG("{}"), &out, &err), OFN_E_UNKNOWN_OPERATION,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "unknown operation ``"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("jwks"), NULL, 0, &out, &err), OFN_E_INVALID_ARGUMENT,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "request is not JSON"));
    ofn_buf_free(&err);
    /* Unknown operations, before anything else about the request. */
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.explode"), ARG("{}"), &out, &err),
                 OFN_E_UNKNOWN_OPERATION, &err);
    CHECK(envelope_is(&err, "invalid_argument", "unknown operation `einvoice.explode`"));
    CHECK_CONTAINS(BUF_STR(err), "einvoice.create");
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("EINVOICE.CREATE"), ARG("not json"), &out, &err),
                 OFN_E_UNKNOWN_OPERATION, &err);
    ofn_buf_free(&err);
    /* Invalid UTF-8 in the operation and the request. */
    CHECK_STATUS(ofn_client_call(c, (const uint8_t *)"jw\xc0ks", 5, ARG("{}"), &out, &err),
                 OFN_E_INVALID_UTF8, &err);
    CHECK(envelope_is(&err, "invalid_argument", "operation is not UTF-8: invalid byte at offset 2"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("jwks"), (const uint8_t *)"{\"\xed\xa0\x80\": 1}", 9,
                                 &out, &err),
                 OFN_E_INVALID_UTF8, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request is not UTF-8: invalid byte at offset 2"));
    ofn_buf_free(&err);
    /* Truncated and misshapen requests: OFN_E_INVALID_ARGUMENT, no request sent. */
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.get"), ARG("{\"id\": \"einv_"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request is not JSON"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.get"), ARG("{}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "einvoice.get needs request.id"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.get"), ARG("{\"id\": \"einv_1\", \"idd\": 2}"),
                                 &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request.idd is not a member"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.cancel"),
                                 ARG("{\"id\": \"x\", \"reason\": \"bored\"}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request.reason"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.create"), ARG("{\"document\": 5}"), &out, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request.document must be an object"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_call(c, ARG("jwks"), ARG("{\"options\": {\"timeoutMS\": 5}}"), &out,
                                 &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "request.options"));
    ofn_buf_free(&err);
    CHECK(untouched(&out));

    /* A document failing validation: OFN_E_VALIDATION before any request (the base URL is the
     * discard port: a request would be a transport error instead). */
    {
        char *bad = quickstart_invoice("ERR-2172", "29");
        sb req = {0};
        jv *v;
        sb_printf(&req, "{\"document\": %s}", bad);
        CHECK_STATUS(ofn_client_call(c, ARG("einvoice.create"), ARG(sb_str(&req)), &out, &err),
                     OFN_E_VALIDATION, &err);
        v = jv_parse_str(BUF_STR(err));
        CHECK_STREQ(jv_path_str(v, "error.code"), "validation_error");
        CHECK_STREQ(jv_path_str(v, "error.details.0.nicCode"), "2172");
        CHECK_STREQ(jv_path_str(v, "error.details.0.path"), "/lines/0/igstAmount");
        CHECK(jv_int(jv_path(v, "meta.attempts")) == 0);
        jv_free(v);
        ofn_buf_free(&err);
        CHECK(untouched(&out));
        sb_free(&req);
        free(bad);
    }
    ofn_client_free(c);
}

/* ---- sans-IO: NULLs and calls out of order ------------------------------------------------ */

static const char *const TOKEN_BODY =
    "{\"access_token\":\"tok_offline\",\"expires_in\":900,\"token_type\":\"Bearer\","
    "\"scope\":\"gstn-india\"}";

static jv *next_action(ofn_call *call, ofn_buf *buf) {
    ofn_buf err = sentinel();
    jv *v;
    REQUIRE_STATUS(ofn_call_next(call, now_ms(), buf, &err), OFN_OK, &err);
    CHECK(untouched(&err));
    v = jv_parse_str(BUF_STR(*buf));
    REQUIRE_MSG(v != NULL, BUF_STR(*buf));
    return v;
}

static void test_sansio_errors(void) {
    ofn_client *c = offline_client();
    ofn_call *sentinel_call = (ofn_call *)(uintptr_t)0xca11, *call = sentinel_call;
    ofn_buf out = sentinel(), err = {0}, action = {0};
    jv *a;

    /* ofn_call_begin: NULLs, names, requests. */
    CHECK_STATUS(ofn_call_begin(NULL, ARG("jwks"), ARG("{}"), 0, &call, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "client is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, ARG("jwks"), ARG("{}"), 0, NULL, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "out is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, NULL, 3, ARG("{}"), 0, &call, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "operation is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, ARG("jwks"), NULL, 3, 0, &call, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "request is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, NULL, 0, ARG("{}"), 0, &call, NULL), OFN_E_UNKNOWN_OPERATION,
                 NULL);
    CHECK_STATUS(ofn_call_begin(c, ARG("jwks"), NULL, 0, 0, &call, &err), OFN_E_INVALID_ARGUMENT,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "request is not JSON"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, ARG("ewaybill.teleport"), ARG("{}"), 0, &call, &err),
                 OFN_E_UNKNOWN_OPERATION, &err);
    CHECK(envelope_is(&err, "invalid_argument", "unknown operation `ewaybill.teleport`"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, (const uint8_t *)"\xe2\x82", 2, ARG("{}"), 0, &call, &err),
                 OFN_E_INVALID_UTF8, &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_begin(c, ARG("einvoice.get"), ARG("{\"id\":"), 0, &call, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    ofn_buf_free(&err);
    CHECK(call == sentinel_call);

    /* The other functions with a NULL call. */
    CHECK_STATUS(ofn_call_next(NULL, 0, &action, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "call is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_next(NULL, 0, &action, NULL), OFN_E_NULL_POINTER, NULL);
    CHECK_STATUS(ofn_call_feed_error(NULL, OFN_TRANSPORT_CONNECT, NULL, 0, NULL),
                 OFN_E_NULL_POINTER, NULL);
    CHECK_STATUS(ofn_call_begin(c, ARG("jwks"), ARG("{}"), 0, NULL, NULL), OFN_E_NULL_POINTER,
                 NULL);
    CHECK_STATUS(ofn_call_feed_response(NULL, 200, NULL, 0, NULL, 0, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "call is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(NULL, OFN_TRANSPORT_CONNECT, NULL, 0, &err),
                 OFN_E_NULL_POINTER, &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_result(NULL, &out, &err), OFN_E_NULL_POINTER, &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_result(NULL, &out, NULL), OFN_E_NULL_POINTER, NULL);
    ofn_call_free(NULL);

    /* A call of einvoice.get, which needs a token first. */
    REQUIRE_STATUS(ofn_call_begin(c, ARG("einvoice.get"), ARG("{\"id\": \"einv_offline\"}"),
                                  now_ms(), &call, &err),
                   OFN_OK, &err);
    REQUIRE(call != NULL && call != sentinel_call);
    /* Out of order before the first next. */
    CHECK_STATUS(ofn_call_result(call, &out, &err), OFN_E_CALL_STATE, &err);
    CHECK(envelope_is(&err, "invalid_argument", "has not finished"));
    CHECK(untouched(&out));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_response(call, 200, NULL, 0, NULL, 0, &err), OFN_E_CALL_STATE,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "no request is awaiting an answer"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(call, OFN_TRANSPORT_CONNECT, ARG("refused"), &err),
                 OFN_E_CALL_STATE, &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_next(call, now_ms(), NULL, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "action_out is NULL"));
    ofn_buf_free(&err);

    /* First action: the token request. */
    a = next_action(call, &action);
    CHECK_STREQ(jv_str(jv_get(a, "action")), "send");
    CHECK_STREQ(jv_path_str(a, "request.method"), "POST");
    CHECK_STREQ(jv_path_str(a, "request.url"),
                "http://127.0.0.1:9/realms/onefinops/protocol/openid-connect/token");
    CHECK_STREQ(jv_path_str(a, "request.headers.content-type"),
                "application/x-www-form-urlencoded");
    CHECK_CONTAINS(jv_path_str(a, "request.body"), "client_id=ofin_test_quickstart");
    CHECK(jv_int(jv_path(a, "request.timeoutMs")) > 0);
    jv_free(a);
    ofn_buf_free(&action);
    /* next again before feeding the answer; the result of an unfinished call. */
    action = sentinel();
    CHECK_STATUS(ofn_call_next(call, now_ms(), &action, &err), OFN_E_CALL_STATE, &err);
    CHECK(envelope_is(&err, "invalid_argument", "was not fed back"));
    CHECK(untouched(&action));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_result(call, &out, &err), OFN_E_CALL_STATE, &err);
    ofn_buf_free(&err);
    /* Bad answers are refused and leave the call waiting for a good one. */
    CHECK_STATUS(ofn_call_feed_response(call, 99, NULL, 0, NULL, 0, &err), OFN_E_INVALID_ARGUMENT,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "HTTP status 99 is not between 100 and 599"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_response(call, 600, NULL, 0, NULL, 0, NULL), OFN_E_INVALID_ARGUMENT,
                 NULL);
    CHECK_STATUS(ofn_call_feed_response(call, 200, ARG("{\"a\": 1}"), NULL, 0, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "headers must be an object of strings"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_response(call, 200, ARG("{\"a\": "), NULL, 0, &err),
                 OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "headers are not JSON"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_response(call, 200, NULL, 7, NULL, 0, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "headers is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_response(call, 200, NULL, 0, NULL, 7, &err), OFN_E_NULL_POINTER,
                 &err);
    CHECK(envelope_is(&err, "invalid_argument", "body is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_response(call, 200, (const uint8_t *)"{\"\xff\": \"x\"}", 10, NULL,
                                        0, &err),
                 OFN_E_INVALID_UTF8, &err);
    CHECK(envelope_is(&err, "invalid_argument", "headers is not UTF-8: invalid byte at offset 2"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(call, 0, ARG("x"), &err), OFN_E_INVALID_ARGUMENT, &err);
    CHECK(envelope_is(&err, "invalid_argument", "transport error kind 0"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(call, 7, ARG("x"), &err), OFN_E_INVALID_ARGUMENT, &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(call, OFN_TRANSPORT_CONNECT, NULL, 3, &err),
                 OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "message is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(call, OFN_TRANSPORT_CONNECT, (const uint8_t *)"\xff", 1,
                                     &err),
                 OFN_E_INVALID_UTF8, &err);
    ofn_buf_free(&err);
    /* Still waiting: the good answer (headers as a list of pairs) is taken. */
    err = sentinel();
    CHECK_STATUS(ofn_call_feed_response(call, 200,
                                        ARG("[[\"Content-Type\", \"application/json\"]]"),
                                        ARG(TOKEN_BODY), &err),
                 OFN_OK, &err);
    CHECK(untouched(&err));
    /* Fed once: a second answer is out of order. */
    CHECK_STATUS(ofn_call_feed_response(call, 200, NULL, 0, NULL, 0, &err), OFN_E_CALL_STATE,
                 &err);
    ofn_buf_free(&err);

    /* Second action: the GET with the token. */
    a = next_action(call, &action);
    CHECK_STREQ(jv_str(jv_get(a, "action")), "send");
    CHECK_STREQ(jv_path_str(a, "request.method"), "GET");
    CHECK_STREQ(jv_path_str(a, "request.url"), "http://127.0.0.1:9/v1/einvoices/einv_offline");
    CHECK_STREQ(jv_path_str(a, "request.headers.authorization"), "Bearer tok_offline");
    CHECK(jv_get(jv_get(a, "request"), "body") == NULL);
    jv_free(a);
    ofn_buf_free(&action);
    CHECK_STATUS(ofn_call_feed_response(
                     call, 404, ARG("{\"content-type\": \"application/json\", \"x-request-id\": "
                                    "\"req_offline_1\"}"),
                     ARG("{\"error\": {\"code\": \"not_found\", \"message\": \"No such "
                         "e-invoice.\", \"requestId\": \"req_offline_1\"}}"),
                     NULL),
                 OFN_OK, NULL);
    /* A 404 is final: failed, and failed again if asked again. */
    a = next_action(call, &action);
    CHECK_STREQ(jv_str(jv_get(a, "action")), "failed");
    jv_free(a);
    ofn_buf_free(&action);
    a = next_action(call, &action);
    CHECK_STREQ(jv_str(jv_get(a, "action")), "failed");
    jv_free(a);
    ofn_buf_free(&action);
    /* The result, twice; out untouched. */
    out = sentinel();
    CHECK_STATUS(ofn_call_result(call, &out, &err), OFN_E_NOT_FOUND, &err);
    CHECK(untouched(&out));
    a = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(a, "error.code"), "not_found");
    CHECK_STREQ(jv_path_str(a, "error.requestId"), "req_offline_1");
    CHECK(jv_int(jv_path(a, "meta.attempts")) == 1);
    CHECK_STREQ(jv_path_str(a, "meta.operation"), "einvoice.get");
    jv_free(a);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_result(call, &out, NULL), OFN_E_NOT_FOUND, NULL);
    CHECK_STATUS(ofn_call_result(call, NULL, &err), OFN_E_NULL_POINTER, &err);
    ofn_buf_free(&err);
    /* Feeding after the end is out of order. */
    CHECK_STATUS(ofn_call_feed_response(call, 200, NULL, 0, NULL, 0, &err), OFN_E_CALL_STATE,
                 &err);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_call_feed_error(call, OFN_TRANSPORT_TIMEOUT, NULL, 0, &err),
                 OFN_E_CALL_STATE, &err);
    ofn_buf_free(&err);
    ofn_call_free(call);

    /* A call that succeeds: jwks (no token), the result readable twice. */
    REQUIRE_STATUS(ofn_call_begin(c, ARG("jwks"), ARG("{}"), now_ms(), &call, NULL), OFN_OK, NULL);
    a = next_action(call, &action);
    CHECK_STREQ(jv_path_str(a, "request.url"), "http://127.0.0.1:9/.well-known/jwks.json");
    CHECK(jv_path(a, "request.headers.authorization") == NULL);
    jv_free(a);
    ofn_buf_free(&action);
    CHECK_STATUS(ofn_call_feed_response(call, 200, ARG("{\"content-type\": \"application/json\"}"),
                                        ARG("{\"keys\": []}"), NULL),
                 OFN_OK, NULL);
    a = next_action(call, &action);
    CHECK_STREQ(jv_str(jv_get(a, "action")), "done");
    jv_free(a);
    ofn_buf_free(&action);
    err = sentinel();
    CHECK_STATUS(ofn_call_result(call, &out, &err), OFN_OK, &err);
    CHECK(untouched(&err));
    a = jv_parse_str(BUF_STR(out));
    CHECK(jv_int(jv_get(a, "status")) == 200);
    CHECK(jv_path(a, "body.keys") && jv_path(a, "body.keys")->type == JV_ARR);
    CHECK(jv_int(jv_path(a, "meta.attempts")) == 1);
    jv_free(a);
    ofn_buf_free(&out);
    CHECK_STATUS(ofn_call_result(call, &out, NULL), OFN_OK, NULL);
    ofn_buf_free(&out);
    ofn_call_free(call);

    ofn_client_free(c);
}

/* ---- ofn_exchange_* misuse inside a transport ----------------------------------------------- */

typedef struct fake_ctx {
    long sends;
    long destroys;
    int misuse_done;
    int answer_nothing; /* return from send without answering */
} fake_ctx;

static void fake_send(void *vctx, const uint8_t *request, size_t request_len,
                      ofn_exchange *exchange) {
    fake_ctx *ctx = vctx;
    jv *req = jv_parse((const char *)request, request_len, NULL, 0);
    const char *url = jv_path_str(req, "url");
    ctx->sends++;
    CHECK(req != NULL && url != NULL);
    if (!ctx->misuse_done) {
        ctx->misuse_done = 1;
        CHECK_STATUS(ofn_exchange_respond(NULL, 200, NULL, 0, NULL, 0), OFN_E_NULL_POINTER, NULL);
        CHECK_STATUS(ofn_exchange_fail(NULL, OFN_TRANSPORT_CONNECT, NULL, 0), OFN_E_NULL_POINTER,
                     NULL);
        CHECK_STATUS(ofn_exchange_respond(exchange, 200, NULL, 4, NULL, 0), OFN_E_NULL_POINTER,
                     NULL);
        CHECK_STATUS(ofn_exchange_respond(exchange, 200, NULL, 0, NULL, 4), OFN_E_NULL_POINTER,
                     NULL);
        CHECK_STATUS(ofn_exchange_respond(exchange, 42, NULL, 0, NULL, 0), OFN_E_INVALID_ARGUMENT,
                     NULL);
        CHECK_STATUS(ofn_exchange_respond(exchange, 200, ARG("{\"a\": [1]}"), NULL, 0),
                     OFN_E_INVALID_ARGUMENT, NULL);
        CHECK_STATUS(ofn_exchange_respond(exchange, 200, (const uint8_t *)"\xff", 1, NULL, 0),
                     OFN_E_INVALID_UTF8, NULL);
        CHECK_STATUS(ofn_exchange_fail(exchange, 0, NULL, 0), OFN_E_INVALID_ARGUMENT, NULL);
        CHECK_STATUS(ofn_exchange_fail(exchange, 7, NULL, 0), OFN_E_INVALID_ARGUMENT, NULL);
        CHECK_STATUS(ofn_exchange_fail(exchange, OFN_TRANSPORT_OTHER, NULL, 2),
                     OFN_E_NULL_POINTER, NULL);
        CHECK_STATUS(ofn_exchange_fail(exchange, OFN_TRANSPORT_OTHER, (const uint8_t *)"\xc3", 1),
                     OFN_E_INVALID_UTF8, NULL);
    }
    if (ctx->answer_nothing) {
        /* Breaks the contract on purpose: neither respond nor fail. */
    } else if (url && strstr(url, "/openid-connect/token")) {
        CHECK_STATUS(ofn_exchange_respond(exchange, 200,
                                          ARG("{\"content-type\": \"application/json\"}"),
                                          ARG(TOKEN_BODY)),
                     OFN_OK, NULL);
    } else if (url && strstr(url, "/v1/einvoices/einv_fake")) {
        /* A body that is not UTF-8 is fine: bodies are bytes. */
        CHECK_STATUS(ofn_exchange_respond(exchange, 200, ARG("{\"content-type\": \"image/png\"}"),
                                          (const uint8_t *)"\x89PNG\xff", 5),
                     OFN_OK, NULL);
    } else {
        CHECK_STATUS(ofn_exchange_respond(exchange, 404,
                                          ARG("{\"content-type\": \"application/json\"}"),
                                          ARG("{\"error\": {\"code\": \"not_found\", "
                                              "\"message\": \"nothing here\"}}")),
                     OFN_OK, NULL);
    }
    jv_free(req);
}

static void fake_destroy(void *vctx) { ((fake_ctx *)vctx)->destroys++; }

static void test_transport_misuse(void) {
    ofn_client *c = offline_client();
    fake_ctx ctx = {0, 0, 0, 0}, other = {0, 0, 0, 0};
    ofn_transport t, no_send;
    ofn_buf out = {0}, err = {0};
    jv *v;
    t.ctx = &ctx;
    t.send = fake_send;
    t.destroy = fake_destroy;
    no_send.ctx = &other;
    no_send.send = NULL;
    no_send.destroy = fake_destroy;

    CHECK_STATUS(ofn_client_set_transport(NULL, &t, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "client is NULL"));
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_client_set_transport(c, &no_send, &err), OFN_E_NULL_POINTER, &err);
    CHECK(envelope_is(&err, "invalid_argument", "transport->send is NULL"));
    ofn_buf_free(&err);
    CHECK(other.destroys == 0); /* a refused vtable is not taken, so never destroyed */
    CHECK_STATUS(ofn_client_set_transport(c, &t, NULL), OFN_OK, NULL);

    /* The request goes through the fake: token, then the GET, answered with a PNG. */
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.get"), ARG("{\"id\": \"einv_fake\"}"), &out,
                                 &err),
                 OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK_STREQ(jv_str(jv_get(v, "bodyBase64")), "iVBOR/8=");
    CHECK_STREQ(jv_str(jv_get(v, "contentType")), "image/png");
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 1);
    jv_free(v);
    ofn_buf_free(&out);
    CHECK(ctx.sends == 2);
    CHECK(ctx.misuse_done == 1);

    /* A send that answers nothing: the call fails as a transport error (not retried). */
    ctx.answer_nothing = 1;
    CHECK_STATUS(ofn_client_call(c, ARG("einvoice.get"), ARG("{\"id\": \"einv_fake\"}"), &out,
                                 &err),
                 OFN_E_TRANSPORT, &err);
    v = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(v, "error.code"), "transport");
    CHECK_CONTAINS(jv_path_str(v, "error.message"),
                   "returned without ofn_exchange_respond or ofn_exchange_fail");
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    jv_free(v);
    ofn_buf_free(&err);
    CHECK(ctx.sends == 3);
    ctx.answer_nothing = 0;

    /* Back to the built-in stack: the fake is destroyed at once (no call in flight). */
    CHECK(ctx.destroys == 0);
    CHECK_STATUS(ofn_client_set_transport(c, NULL, &err), OFN_OK, &err);
    CHECK(ctx.destroys == 1);
    ofn_client_free(c);
    CHECK(ctx.destroys == 1);
    CHECK(other.destroys == 0);
}

/* ---- the panic boundary ------------------------------------------------------------------ */

static void test_panic(void) {
    ofn_buf err = {0}, out = {0};
    jv *v;
    fprintf(stderr, "(a Rust panic message follows: ofn_test_panic panics on purpose)\n");
    CHECK_STATUS(ofn_test_panic(&err), OFN_E_PANIC, &err);
    v = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(v, "error.code"), "internal");
    CHECK_CONTAINS(jv_path_str(v, "error.message"), "the library panicked");
    CHECK_CONTAINS(jv_path_str(v, "error.message"), "ofn_test_panic was asked to panic");
    jv_free(v);
    ofn_buf_free(&err);
    CHECK_STATUS(ofn_test_panic(NULL), OFN_E_PANIC, NULL);
    CHECK_STREQ(ofn_status_name(OFN_E_PANIC), "OFN_E_PANIC");
    /* The process keeps working. */
    CHECK_STATUS(ofn_validate(ARG(GOOD_DOC), ARG("{\"sandbox\": true}"), &out, &err), OFN_OK,
                 &err);
    CHECK_CONTAINS(BUF_STR(out), "\"valid\":true");
    ofn_buf_free(&out);
    {
        ofn_client *c = offline_client();
        ofn_client_free(c);
    }
}

int main(void) {
    test_one_input_functions();
    test_two_input_functions();
    test_qr_png_errors();
    test_truncated_documents();
    test_deep_nesting();
    test_client_new_errors();
    test_client_call_errors();
    test_sansio_errors();
    test_transport_misuse();
    test_panic();
    test_huge_document();
    /* ofn_buf_free on NULL, and on a buffer never written. */
    {
        ofn_buf b = {NULL, 0};
        ofn_buf_free(NULL);
        ofn_buf_free(&b);
        CHECK(b.data == NULL && b.len == 0);
    }
    return ofn_test_finish("errors");
}
