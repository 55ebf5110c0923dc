/*
 * client.c: the blocking client (ofn_client_*) against the local sandbox ($OFN_SANDBOX_URL).
 *
 * - the IRN flow with ofn_client_call: jwks, einvoice.create, get, get_by_irn, status,
 *   ofn_verify_signed of the signed invoice and QR code against the sandbox's JWKS (and of a
 *   tampered one), the QR image, einvoice.cancel;
 * - the same document again: from the DUPIRN cache, as the server's DUPIRN (checked with
 *   ofn_dupirn_check), and after the cancel (replay of the stored answer; NIC 2278 for new
 *   bytes);
 * - a document failing validation: OFN_E_VALIDATION with details[] and no request sent;
 * - 8 threads sharing one client, each creating its own invoices, on the built-in HTTP stack and
 *   on a C transport vtable (raw sockets, http_loop.c);
 * - the vtable's destroy: once after ofn_client_free, once when replaced, and only after the
 *   calls in flight on it are done.
 */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_loop.h"
#include "json_mini.h"
#include "ofn_test.h"

static const char *url;
static char *jwks_text; /* the sandbox's JWK Set, as JSON text */

static ofn_client *new_client(void) {
    sb cfg = {0};
    ofn_client *c = NULL;
    ofn_buf err = {0};
    sb_puts(&cfg, "{\"environment\":\"local\",\"baseUrl\":");
    sb_json_str(&cfg, url, strlen(url));
    sb_puts(&cfg, ",\"clients\":[{\"clientId\":\"ofin_test_quickstart\","
                  "\"clientSecret\":\"sandbox-secret\"}],"
                  "\"retry\":{\"maxRetries\":3,\"baseDelayMs\":20,\"maxDelayMs\":200}}");
    REQUIRE_STATUS(ofn_client_new(ARG(sb_str(&cfg)), &c, &err), OFN_OK, &err);
    REQUIRE(c != NULL);
    sb_free(&cfg);
    return c;
}

/* ofn_client_call; returns the parsed result (NULL and the status checked on failure). */
static jv *call(const ofn_client *c, const char *op, const char *request, ofn_status want,
                ofn_buf *err_keep) {
    ofn_buf out = {0}, err = {0};
    ofn_status st = ofn_client_call(c, ARG(op), ARG(request), &out, &err);
    jv *v = NULL;
    if (!CHECK_STATUS(st, want, &err))
        fprintf(stderr, "    %s %.300s\n", op, request);
    if (st == OFN_OK) {
        CHECK(err.data == NULL);
        v = jv_parse((const char *)out.data, out.len, NULL, 0);
        CHECK_MSG(v != NULL, BUF_STR(out));
    } else {
        CHECK(out.data == NULL);
        v = jv_parse_str(BUF_STR(err));
    }
    if (err_keep)
        *err_keep = err;
    else
        ofn_buf_free(&err);
    ofn_buf_free(&out);
    return v;
}

static char *local_irn(const char *doc) {
    ofn_buf out = {0}, err = {0};
    jv *v;
    char *irn;
    REQUIRE_STATUS(ofn_irn(ARG(doc), &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    irn = xstrdup(jv_str(jv_get(v, "irn")));
    jv_free(v);
    ofn_buf_free(&out);
    return irn;
}

static char *create_request(const char *doc) {
    sb s = {0};
    sb_printf(&s, "{\"document\": %s}", doc);
    return s.p;
}

/* {"document": "<doc as a JSON string>"}: sent byte for byte, so `suffix` changes the bytes
 * (and so the idempotency key) without changing the document. */
static char *create_request_text(const char *doc, const char *suffix) {
    sb s = {0}, text = {0};
    sb_puts(&text, doc);
    sb_puts(&text, suffix);
    sb_puts(&s, "{\"document\": ");
    sb_json_str(&s, text.p, text.len);
    sb_puts(&s, "}");
    sb_free(&text);
    return s.p;
}

static ofn_status verify(const char *jws, const char *jwks, const char *kind, ofn_buf *out,
                         ofn_buf *err) {
    sb in = {0};
    ofn_status st;
    sb_puts(&in, "{\"jws\": ");
    sb_json_str(&in, jws, strlen(jws));
    sb_printf(&in, ", \"keys\": {\"jwks\": %s}, \"kind\": \"%s\"}", jwks, kind);
    st = ofn_verify_signed((const uint8_t *)in.p, in.len, out, err);
    sb_free(&in);
    return st;
}

static void test_irn_flow(void) {
    ofn_client *c = new_client(), *fresh;
    char number[32], *doc, *irn, *req, *id, *signed_invoice, *signed_qr;
    sb s = {0};
    jv *v, *w;
    ofn_buf out = {0}, err = {0};

    /* The JWK Set: no token needed. */
    v = call(c, "jwks", "{}", OFN_OK, NULL);
    REQUIRE(v != NULL);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK(jv_len(jv_path(v, "body.keys")) == 1);
    CHECK_STREQ(jv_path_str(v, "body.keys.0.kty"), "RSA");
    CHECK_STREQ(jv_path_str(v, "body.keys.0.alg"), "RS256");
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 0);
    REQUIRE(jv_get(v, "body") != NULL);
    jwks_text = xmalloc(jv_get(v, "body")->raw_len + 1);
    memcpy(jwks_text, jv_get(v, "body")->raw, jv_get(v, "body")->raw_len);
    jwks_text[jv_get(v, "body")->raw_len] = '\0';
    jv_free(v);

    /* Create. */
    snprintf(number, sizeof number, "CLI-%s-1", run_tag());
    doc = quickstart_invoice(number, "27");
    irn = local_irn(doc);
    req = create_request(doc);
    v = call(c, "einvoice.create", req, OFN_OK, NULL);
    REQUIRE(v != NULL);
    CHECK(jv_int(jv_get(v, "status")) == 201);
    CHECK_STREQ(jv_path_str(v, "body.object"), "einvoice");
    CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK_STREQ(jv_path_str(v, "body.invoiceNumber"), number);
    CHECK_STREQ(jv_path_str(v, "body.sellerGstin"), "29ABCDE1234F1Z5");
    CHECK_STREQ(jv_path_str(v, "meta.expectedIrn"), irn);
    CHECK_STREQ(jv_path_str(v, "meta.operation"), "einvoice.create");
    CHECK_STREQ(jv_path_str(v, "meta.clientId"), "ofin_test_quickstart");
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 1);
    CHECK(jv_is_false(jv_path(v, "meta.duplicate")));
    CHECK(jv_len(jv_path(v, "meta.warnings")) == 0);
    CHECK(jv_path(v, "meta.rateLimit.limit") != NULL);
    REQUIRE(jv_path_str(v, "body.id") && jv_path_str(v, "body.signedInvoice") &&
            jv_path_str(v, "body.signedQrCode"));
    id = xstrdup(jv_path_str(v, "body.id"));
    signed_invoice = xstrdup(jv_path_str(v, "body.signedInvoice"));
    signed_qr = xstrdup(jv_path_str(v, "body.signedQrCode"));
    jv_free(v);

    /* Get by id, by IRN, the status; the token is reused. */
    sb_printf(&s, "{\"id\": \"%s\"}", id);
    v = call(c, "einvoice.get", sb_str(&s), OFN_OK, NULL);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK_STREQ(jv_path_str(v, "body.id"), id);
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK_STREQ(jv_path_str(v, "body.signedInvoice"), signed_invoice);
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 0);
    jv_free(v);
    v = call(c, "einvoice.status", sb_str(&s), OFN_OK, NULL);
    CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
    jv_free(v);
    sb_free(&s);
    sb_printf(&s, "{\"irn\": \"%s\"}", irn);
    v = call(c, "einvoice.get_by_irn", sb_str(&s), OFN_OK, NULL);
    CHECK_STREQ(jv_path_str(v, "body.id"), id);
    jv_free(v);
    sb_free(&s);

    /* The signed invoice and QR code verify against the sandbox's keys. */
    CHECK_STATUS(verify(signed_invoice, jwks_text, "invoice", &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    w = jv_parse_str(jwks_text);
    CHECK_STREQ(jv_str(jv_get(v, "kid")), jv_path_str(w, "keys.0.kid"));
    CHECK_STREQ(jv_path_str(v, "header.alg"), "RS256");
    CHECK_STREQ(jv_path_str(v, "data.Irn"), irn);
    CHECK_STREQ(jv_path_str(v, "data.SellerDtls.Gstin"), "29ABCDE1234F1Z5");
    CHECK_STREQ(jv_path_str(v, "data.BuyerDtls.Gstin"), "27FGHIJ5678K1Z2");
    CHECK_STREQ(jv_path_str(v, "data.DocDtls.No"), number);
    CHECK(jv_path(v, "data.ValDtls.TotInvVal") &&
          strcmp(jv_path(v, "data.ValDtls.TotInvVal")->str, "11800") == 0);
    jv_free(v);
    jv_free(w);
    ofn_buf_free(&out);
    CHECK_STATUS(verify(signed_qr, jwks_text, "qr", &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_get(v, "qr") != NULL);
    CHECK_CONTAINS(jv_get(v, "qr") ? jv_get(v, "qr")->raw : NULL, irn);
    CHECK_STREQ(jv_path_str(v, "data.Irn"), irn);
    CHECK_STREQ(jv_path_str(v, "data.DocNo"), number);
    jv_free(v);
    ofn_buf_free(&out);
    /* A tampered signature, and a key set that does not hold the kid. */
    {
        char *bad = xstrdup(signed_invoice);
        size_t n = strlen(bad);
        bad[n - 5] = bad[n - 5] == 'A' ? 'B' : 'A';
        CHECK_STATUS(verify(bad, jwks_text, "invoice", &out, &err), OFN_E_SIGNATURE_INVALID, &err);
        CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"signature.bad_signature\"");
        CHECK(out.data == NULL);
        ofn_buf_free(&err);
        free(bad);
        {
            /* The sandbox's key under another kid. */
            char *other = xstrdup(jwks_text), *kid = strstr(other, "\"kid\":\"");
            REQUIRE(kid != NULL);
            kid += 7;
            while (*kid && *kid != '"')
                *kid++ = '0';
            CHECK_STATUS(verify(signed_invoice, other, "invoice", &out, &err),
                         OFN_E_SIGNATURE_INVALID, &err);
            free(other);
        }
        CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"signature.unknown_kid\"");
        ofn_buf_free(&err);
        /* The invoice JWS read as a QR code: its data is not a QR payload. */
        CHECK_STATUS(verify(signed_invoice, jwks_text, "qr", &out, &err), OFN_E_SIGNATURE_INVALID,
                     &err);
        CHECK_CONTAINS(BUF_STR(err), "\"reason\":\"signature.payload\"");
        ofn_buf_free(&err);
    }

    /* The QR code as a PNG, locally and from the API. */
    CHECK_STATUS(ofn_qr_png(ARG(signed_qr), 4, &out, &err), OFN_OK, &err);
    CHECK(out.len > 8 && memcmp(out.data, "\x89PNG\r\n\x1a\n", 8) == 0);
    ofn_buf_free(&out);
    sb_puts(&s, "{\"signedQrCode\": ");
    sb_json_str(&s, signed_qr, strlen(signed_qr));
    sb_puts(&s, "}");
    v = call(c, "einvoice.qrimage", sb_str(&s), OFN_OK, NULL);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK_STREQ(jv_str(jv_get(v, "contentType")), "image/png");
    CHECK(jv_str(jv_get(v, "bodyBase64")) &&
          strncmp(jv_str(jv_get(v, "bodyBase64")), "iVBORw0KGgo", 11) == 0);
    jv_free(v);
    sb_free(&s);

    /* The same document again on this client: answered from the DUPIRN cache, no request. */
    v = call(c, "einvoice.create", req, OFN_OK, NULL);
    CHECK(jv_is_true(jv_path(v, "meta.duplicate")));
    CHECK(jv_is_true(jv_path(v, "meta.fromCache")));
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 0);
    CHECK_STREQ(jv_path_str(v, "body.id"), id);
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    jv_free(v);

    /* A fresh client (no cache), other bytes (another idempotency key): the server's DUPIRN. */
    fresh = new_client();
    {
        char *text_req = create_request_text(doc, " ");
        v = call(fresh, "einvoice.create", text_req, OFN_OK, NULL);
        CHECK(jv_int(jv_get(v, "status")) == 200);
        CHECK(jv_is_true(jv_path(v, "meta.duplicate")));
        CHECK(jv_is_false(jv_path(v, "meta.fromCache")));
        CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
        CHECK_STREQ(jv_path_str(v, "body.infoCode"), "DUPIRN");
        CHECK_STREQ(jv_path_str(v, "body.id"), id);
        CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
        /* What the duplicate means, offline: the same invoice, safe to adopt. */
        {
            ofn_buf prepared = {0};
            sb in = {0};
            jv *d;
            REQUIRE_STATUS(ofn_prepare(ARG(doc), &prepared, &err), OFN_OK, &err);
            sb_puts(&in, "{\"reply\": ");
            sb_put(&in, jv_get(v, "body")->raw, jv_get(v, "body")->raw_len);
            sb_printf(&in, ", \"request\": %s, \"signedInvoice\": ", BUF_STR(prepared));
            sb_json_str(&in, signed_invoice, strlen(signed_invoice));
            sb_puts(&in, "}");
            CHECK_STATUS(ofn_dupirn_check((const uint8_t *)in.p, in.len, &out, &err), OFN_OK,
                         &err);
            d = jv_parse_str(BUF_STR(out));
            CHECK(jv_is_true(jv_path(d, "outcome.duplicate")));
            CHECK_STREQ(jv_path_str(d, "outcome.irn"), irn);
            CHECK_MSG(jv_get(d, "adopted") != NULL && jv_get(d, "conflict") == NULL,
                      BUF_STR(out));
            jv_free(d);
            ofn_buf_free(&out);
            /* The same reply for a different invoice under that number: a conflict. */
            sb_free(&in);
            {
                char *other = quickstart_invoice(number, "27");
                char *p = strstr(other, "27FGHIJ5678K1Z2");
                ofn_buf prep2 = {0};
                REQUIRE(p != NULL);
                memcpy(p, "27AAACO1234F1ZS", 15);
                REQUIRE_STATUS(ofn_prepare(ARG(other), &prep2, &err), OFN_OK, &err);
                sb_puts(&in, "{\"reply\": ");
                sb_put(&in, jv_get(v, "body")->raw, jv_get(v, "body")->raw_len);
                sb_printf(&in, ", \"request\": %s, \"signedInvoice\": ", BUF_STR(prep2));
                sb_json_str(&in, signed_invoice, strlen(signed_invoice));
                sb_puts(&in, "}");
                CHECK_STATUS(ofn_dupirn_check((const uint8_t *)in.p, in.len, &out, &err), OFN_OK,
                             &err);
                d = jv_parse_str(BUF_STR(out));
                CHECK_MSG(jv_get(d, "conflict") != NULL && jv_get(d, "adopted") == NULL,
                          BUF_STR(out));
                jv_free(d);
                ofn_buf_free(&out);
                ofn_buf_free(&prep2);
                free(other);
            }
            sb_free(&in);
            ofn_buf_free(&prepared);
        }
        jv_free(v);
        free(text_req);
    }
    ofn_client_free(fresh);

    /* Cancel; the record says cancelled. */
    sb_printf(&s,
              "{\"id\": \"%s\", \"reason\": \"data_entry_mistake\", \"remarks\": \"C ABI test\"}",
              id);
    v = call(c, "einvoice.cancel", sb_str(&s), OFN_OK, NULL);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK_STREQ(jv_path_str(v, "body.status"), "cancelled");
    CHECK(jv_str(jv_path(v, "meta.idempotencyKey")) != NULL);
    jv_free(v);
    sb_free(&s);
    sb_printf(&s, "{\"id\": \"%s\"}", id);
    v = call(c, "einvoice.get", sb_str(&s), OFN_OK, NULL);
    CHECK_STREQ(jv_path_str(v, "body.status"), "cancelled");
    jv_free(v);
    sb_free(&s);
    /* A second cancel is NIC's refusal, not retried. */
    sb_printf(&s, "{\"id\": \"%s\", \"reason\": \"others\", \"remarks\": \"again\"}", id);
    v = call(c, "einvoice.cancel", sb_str(&s), OFN_E_UPSTREAM_FAILURE, NULL);
    CHECK_STREQ(jv_path_str(v, "error.code"), "upstream.failure");
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    jv_free(v);
    sb_free(&s);

    /* The same document after the cancel. The cancel made the client forget the IRN, so the
     * request goes to the server; with the same bytes (the same idempotency key, within 24 h)
     * the answer is the stored answer of the first create, flagged as a replay... */
    v = call(c, "einvoice.create", req, OFN_OK, NULL);
    CHECK(jv_is_true(jv_path(v, "meta.replayed")));
    CHECK(jv_is_false(jv_path(v, "meta.fromCache")));
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    jv_free(v);
    /* ... and with bytes never sent, the server decides afresh: a cancelled number is NIC 2278. */
    {
        char *text_req = create_request_text(doc, "\n\n");
        v = call(c, "einvoice.create", text_req, OFN_E_UPSTREAM_FAILURE, NULL);
        CHECK_STREQ(jv_path_str(v, "error.code"), "upstream.failure");
        CHECK_CONTAINS(v ? v->raw : NULL, "2278");
        CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
        jv_free(v);
        free(text_req);
    }

    /* Unknown id: 404, not retried, with the request id. */
    v = call(c, "einvoice.get", "{\"id\": \"einv_does_not_exist\"}", OFN_E_NOT_FOUND, NULL);
    CHECK_STREQ(jv_path_str(v, "error.code"), "not_found");
    CHECK(jv_path_str(v, "error.requestId") != NULL);
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    jv_free(v);

    free(id);
    free(signed_invoice);
    free(signed_qr);
    free(req);
    free(irn);
    free(doc);
    ofn_client_free(c);
}

/* ---- threads ------------------------------------------------------------------------------ */

#define THREADS 8
#define PER_THREAD 2

typedef struct worker {
    const ofn_client *client;
    const char *label;
    int id;
    int ok;
    char irns[PER_THREAD][65];
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    int i;
    for (i = 0; i < PER_THREAD; i++) {
        char number[32], *doc, *req, *irn;
        jv *v;
        snprintf(number, sizeof number, "%s%s-%d-%d", w->label, run_tag(), w->id, i);
        doc = quickstart_invoice(number, "27");
        irn = local_irn(doc);
        req = create_request(doc);
        v = call(w->client, "einvoice.create", req, OFN_OK, NULL);
        if (CHECK(jv_int(jv_get(v, "status")) == 201) &&
            CHECK_STREQ(jv_path_str(v, "body.irn"), irn) &&
            CHECK(jv_is_false(jv_path(v, "meta.duplicate"))))
            w->ok++;
        snprintf(w->irns[i], sizeof w->irns[i], "%s", irn);
        jv_free(v);
        free(req);
        free(irn);
        free(doc);
    }
    return NULL;
}

/* THREADS threads share `c`, each creating PER_THREAD invoices of its own. */
static void run_threads(const ofn_client *c, const char *label) {
    pthread_t t[THREADS];
    worker w[THREADS];
    int i, j, k, l, ok = 0, distinct = 1;
    for (i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].client = c;
        w[i].label = label;
        w[i].id = i;
        REQUIRE(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
    }
    CHECK(ok == THREADS * PER_THREAD);
    for (i = 0; i < THREADS; i++)
        for (j = 0; j < PER_THREAD; j++)
            for (k = i; k < THREADS; k++)
                for (l = 0; l < PER_THREAD; l++)
                    if ((k != i || l != j) && strcmp(w[i].irns[j], w[k].irns[l]) == 0)
                        distinct = 0;
    CHECK(distinct);
}

static void test_threads_builtin(void) {
    ofn_client *c = new_client();
    run_threads(c, "TB");
    ofn_client_free(c);
}

/* ---- the transport vtable ----------------------------------------------------------------- */

typedef struct slow_call {
    const ofn_client *client;
    ofn_status status;
} slow_call;

static void *slow_main(void *arg) {
    slow_call *s = arg;
    ofn_buf out = {0};
    s->status = ofn_client_call(
        s->client, ARG("jwks"),
        ARG("{\"options\": {\"headers\": {\"X-Sandbox-Fault\": \"delay:1500\"}}}"), &out, NULL);
    ofn_buf_free(&out);
    return NULL;
}

static long ctx_get(http_transport_ctx *ctx, long *field) {
    long v;
    pthread_mutex_lock(&ctx->mu);
    v = *field;
    pthread_mutex_unlock(&ctx->mu);
    return v;
}

static void test_transport_vtable(void) {
    http_transport_ctx a, b;
    ofn_transport ta, tb;
    ofn_client *c = new_client();
    ofn_buf err = {0};
    char number[32], *doc, *req, *irn;
    jv *v;
    sb s = {0};
    long before;

    http_transport_ctx_init(&a);
    http_transport_ctx_init(&b);
    ta = http_transport(&a);
    tb = http_transport(&b);
    /* The library copies the struct: changing ours afterwards changes nothing. */
    CHECK_STATUS(ofn_client_set_transport(c, &ta, &err), OFN_OK, &err);
    ta.send = NULL;
    ta.ctx = NULL;

    /* The IRN flow over the C transport. */
    snprintf(number, sizeof number, "VT-%s-1", run_tag());
    doc = quickstart_invoice(number, "27");
    irn = local_irn(doc);
    req = create_request(doc);
    v = call(c, "einvoice.create", req, OFN_OK, NULL);
    CHECK(jv_int(jv_get(v, "status")) == 201);
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 1);
    sb_printf(&s, "{\"id\": \"%s\", \"reason\": \"others\", \"remarks\": \"vtable\"}",
              jv_path_str(v, "body.id") ? jv_path_str(v, "body.id") : "?");
    jv_free(v);
    CHECK(ctx_get(&a, &a.sends) == 2); /* token + create */
    v = call(c, "einvoice.cancel", sb_str(&s), OFN_OK, NULL);
    CHECK_STREQ(jv_path_str(v, "body.status"), "cancelled");
    jv_free(v);
    CHECK(ctx_get(&a, &a.sends) == 3);
    CHECK(ctx_get(&a, &a.responded) == 3 && ctx_get(&a, &a.failed) == 0);
    CHECK(ctx_get(&a, &a.bad_calls) == 0);
    sb_free(&s);
    free(req);
    free(irn);
    free(doc);

    /* A document failing validation: OFN_E_VALIDATION with details[], and nothing sent. */
    {
        char *bad = quickstart_invoice("VT-BAD-1", "29");
        char *bad_req = create_request(bad);
        before = ctx_get(&a, &a.sends);
        v = call(c, "einvoice.create", bad_req, OFN_E_VALIDATION, NULL);
        CHECK_STREQ(jv_path_str(v, "error.code"), "validation_error");
        CHECK(jv_len(jv_path(v, "error.details")) == 1);
        CHECK_STREQ(jv_path_str(v, "error.details.0.path"), "/lines/0/igstAmount");
        CHECK_STREQ(jv_path_str(v, "error.details.0.code"), "tax.igst_on_intra_state");
        CHECK_STREQ(jv_path_str(v, "error.details.0.nicCode"), "2172");
        CHECK_STREQ(jv_path_str(v, "error.details.0.severity"), "error");
        CHECK(jv_int(jv_path(v, "meta.attempts")) == 0);
        jv_free(v);
        CHECK(ctx_get(&a, &a.sends) == before);
        /* With prevalidation off for the call, it goes to the sandbox, which (by default)
         * reports 2172 as a warning in its X-Sandbox-Warnings header and generates. */
        free(bad_req);
        {
            sb r = {0};
            sb_printf(&r, "{\"document\": %s, \"options\": {\"prevalidate\": false}}", bad);
            v = call(c, "einvoice.create", sb_str(&r), OFN_OK, NULL);
            CHECK(jv_int(jv_get(v, "status")) == 201);
            CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
            CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
            jv_free(v);
            sb_free(&r);
        }
        CHECK(ctx_get(&a, &a.sends) == before + 1);
        free(bad);
    }

    /* 8 threads on the C transport: send runs on several threads at once. */
    run_threads(c, "TV");
    CHECK(ctx_get(&a, &a.bad_calls) == 0);
    CHECK(ctx_get(&a, &a.failed) == 0);
    printf("  vtable transport: %ld requests, at most %ld at once\n", ctx_get(&a, &a.sends),
           ctx_get(&a, &a.max_in_flight));

    /* Replacing the transport while a call runs on it: the old one is destroyed only when
     * that call is done. */
    {
        pthread_t t;
        slow_call sc;
        uint64_t t0 = now_ms();
        sc.client = c;
        sc.status = OFN_E_INTERNAL;
        REQUIRE(pthread_create(&t, NULL, slow_main, &sc) == 0);
        while (ctx_get(&a, &a.in_flight) == 0 && now_ms() - t0 < 20000)
            sleep_ms(5);
        CHECK(ctx_get(&a, &a.in_flight) == 1);
        CHECK_STATUS(ofn_client_set_transport(c, &tb, &err), OFN_OK, &err);
        CHECK(ctx_get(&a, &a.destroys) == 0); /* still in use */
        pthread_join(t, NULL);
        CHECK_STATUS(sc.status, OFN_OK, NULL);
        CHECK(ctx_get(&a, &a.destroys) == 1); /* destroyed when the call let go of it */
    }
    /* New calls use the new transport. */
    before = ctx_get(&a, &a.sends);
    v = call(c, "jwks", "{}", OFN_OK, NULL);
    jv_free(v);
    CHECK(ctx_get(&b, &b.sends) == 1);
    CHECK(ctx_get(&a, &a.sends) == before);

    /* destroy runs once, at ofn_client_free, and never again. */
    CHECK(ctx_get(&b, &b.destroys) == 0);
    ofn_client_free(c);
    CHECK(ctx_get(&b, &b.destroys) == 1);
    CHECK(ctx_get(&a, &a.destroys) == 1);

    /* Replaced by the built-in stack: destroyed at once; the client still works. */
    c = new_client();
    http_transport_ctx_destroy(&b);
    http_transport_ctx_init(&b);
    CHECK_STATUS(ofn_client_set_transport(c, &tb, NULL), OFN_OK, NULL);
    v = call(c, "jwks", "{}", OFN_OK, NULL);
    jv_free(v);
    CHECK(ctx_get(&b, &b.sends) == 1);
    CHECK_STATUS(ofn_client_set_transport(c, NULL, NULL), OFN_OK, NULL);
    CHECK(ctx_get(&b, &b.destroys) == 1);
    v = call(c, "jwks", "{}", OFN_OK, NULL);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    jv_free(v);
    CHECK(ctx_get(&b, &b.sends) == 1);
    ofn_client_free(c);
    CHECK(ctx_get(&b, &b.destroys) == 1);

    /* A vtable without destroy is fine. */
    c = new_client();
    tb.destroy = NULL;
    CHECK_STATUS(ofn_client_set_transport(c, &tb, NULL), OFN_OK, NULL);
    v = call(c, "jwks", "{}", OFN_OK, NULL);
    jv_free(v);
    ofn_client_free(c);
    CHECK(ctx_get(&b, &b.destroys) == 1);

    http_transport_ctx_destroy(&a);
    http_transport_ctx_destroy(&b);
}

int main(void) {
    url = sandbox_url();
    run_tag();
    test_irn_flow();
    test_threads_builtin();
    test_transport_vtable();
    free(jwks_text);
    return ofn_test_finish("client");
}
