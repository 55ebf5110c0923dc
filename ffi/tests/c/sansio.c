/*
 * sansio.c: the sans-IO engine (ofn_call_*) driven by a host loop that carries the requests
 * itself over raw POSIX sockets (http_loop.c), against the local sandbox ($OFN_SANDBOX_URL).
 *
 * - the full IRN flow: einvoice.create -> einvoice.get -> einvoice.cancel -> einvoice.get,
 *   the token fetched once and shared by the calls of the client;
 * - a lost response (the sandbox commits and drops the connection): fed back as
 *   OFN_TRANSPORT_INTERRUPTED, retried with the same idempotency key, answered by the replay;
 * - a queued invoice polled to `generated` through sleep actions;
 * - a connection refused (a closed port) fed back as OFN_TRANSPORT_CONNECT: retries, sleeps,
 *   then OFN_E_TRANSPORT; answers that never come fed back as OFN_TRANSPORT_TIMEOUT:
 *   OFN_E_TIMEOUT; a 503 storm: OFN_E_UPSTREAM_UNAVAILABLE;
 * - a document failing validation: `failed` before any send, OFN_E_VALIDATION;
 * - a call that outlives its client;
 * - a chunked answer (from a one-shot server here) decoded by the host loop.
 */

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_loop.h"
#include "json_mini.h"
#include "ofn_test.h"

typedef struct loop_stats {
    int sends;
    int sleeps;
    int fed_responses;
    int fed_errors[8]; /* by OFN_TRANSPORT_* kind */
    uint64_t slept_ms;
    uint64_t sleep_ms[8]; /* the length of each sleep asked for */
    char last_url[512];
} loop_stats;

/* What the host does instead of carrying a request (to simulate failures), and which clock it
 * gives the engine: the real monotonic clock, or a virtual one that only sleep actions move
 * (so that every backoff shows up as a sleep action of an exact length). */
typedef enum host_mode { CARRY, FEED_TIMEOUT, CARRY_VIRTUAL_CLOCK } host_mode;

static uint64_t virtual_now;

static uint64_t host_now(host_mode mode) {
    return mode == CARRY_VIRTUAL_CLOCK ? virtual_now : now_ms();
}

/* Runs a begun call to its end: the host loop. Returns ofn_call_result's status. */
static ofn_status drive(ofn_call *call, host_mode mode, loop_stats *st, ofn_buf *out,
                        ofn_buf *err) {
    int steps;
    memset(st, 0, sizeof *st);
    for (steps = 0; steps < 200; steps++) {
        ofn_buf action = {0}, e = {0};
        jv *a;
        const char *kind;
        REQUIRE_STATUS(ofn_call_next(call, host_now(mode), &action, &e), OFN_OK, &e);
        a = jv_parse((const char *)action.data, action.len, NULL, 0);
        REQUIRE_MSG(a != NULL, BUF_STR(action));
        kind = jv_str(jv_get(a, "action"));
        REQUIRE_MSG(kind != NULL, BUF_STR(action));
        if (strcmp(kind, "send") == 0) {
            const jv *req = jv_get(a, "request");
            http_answer ans;
            char msg[512];
            int fail_kind;
            st->sends++;
            snprintf(st->last_url, sizeof st->last_url, "%s",
                     jv_str(jv_get(req, "url")) ? jv_str(jv_get(req, "url")) : "");
            if (mode == FEED_TIMEOUT) {
                fail_kind = OFN_TRANSPORT_TIMEOUT;
                snprintf(msg, sizeof msg, "no answer within %lld ms (simulated)",
                         jv_int(jv_get(req, "timeoutMs")));
            } else {
                msg[0] = '\0';
                fail_kind = http_send_request(req, &ans, msg, sizeof msg);
            }
            if (fail_kind == 0) {
                CHECK_STATUS(ofn_call_feed_response(call, (uint16_t)ans.status,
                                                    (const uint8_t *)ans.headers_json,
                                                    strlen(ans.headers_json),
                                                    (const uint8_t *)ans.body, ans.body_len, &e),
                             OFN_OK, &e);
                st->fed_responses++;
                http_answer_free(&ans);
            } else {
                CHECK_STATUS(ofn_call_feed_error(call, (uint32_t)fail_kind, ARG(msg), &e), OFN_OK,
                             &e);
                if (fail_kind > 0 && fail_kind < 8)
                    st->fed_errors[fail_kind]++;
            }
        } else if (strcmp(kind, "sleep") == 0) {
            uint64_t until = (uint64_t)jv_int(jv_get(a, "untilMs")), now = host_now(mode);
            CHECK(jv_get(a, "untilMs") != NULL);
            if (st->sleeps < 8)
                st->sleep_ms[st->sleeps] = until > now ? until - now : 0;
            st->sleeps++;
            if (until > now) {
                CHECK(until - now < 60000); /* a sane wait */
                if (mode == CARRY_VIRTUAL_CLOCK)
                    virtual_now = until;
                else
                    sleep_ms(until - now);
                st->slept_ms += until - now;
            }
        } else {
            ofn_status s;
            int done = strcmp(kind, "done") == 0;
            CHECK(done || strcmp(kind, "failed") == 0);
            jv_free(a);
            ofn_buf_free(&action);
            ofn_buf_free(&e);
            s = ofn_call_result(call, out, err);
            CHECK((s == OFN_OK) == done); /* done <=> OFN_OK */
            return s;
        }
        jv_free(a);
        ofn_buf_free(&action);
        ofn_buf_free(&e);
    }
    REQUIRE_MSG(0, "the call did not end within 200 steps");
    return OFN_E_INTERNAL;
}

/* ofn_call_begin + drive + ofn_call_free. */
static ofn_status run_call(const ofn_client *c, const char *op, const char *request,
                           host_mode mode, loop_stats *st, ofn_buf *out, ofn_buf *err) {
    ofn_call *call = NULL;
    ofn_buf e = {0};
    ofn_status s;
    REQUIRE_STATUS(ofn_call_begin(c, ARG(op), ARG(request), host_now(mode), &call, &e), OFN_OK,
                   &e);
    s = drive(call, mode, st, out, err);
    ofn_call_free(call);
    return s;
}

static ofn_client *client_for(const char *base_url, const char *extra) {
    sb cfg = {0};
    ofn_client *c = NULL;
    ofn_buf err = {0};
    sb_puts(&cfg, "{\"environment\": \"local\", \"baseUrl\": ");
    sb_json_str(&cfg, base_url, strlen(base_url));
    sb_puts(&cfg, ", \"clients\": [{\"clientId\": \"ofin_test_quickstart\", \"clientSecret\": "
                  "\"sandbox-secret\"}]");
    if (extra)
        sb_printf(&cfg, ", %s", extra);
    sb_puts(&cfg, "}");
    REQUIRE_STATUS(ofn_client_new(ARG(sb_str(&cfg)), &c, &err), OFN_OK, &err);
    sb_free(&cfg);
    return c;
}

static char *local_irn(const char *doc) {
    ofn_buf out = {0}, err = {0};
    jv *v;
    char *irn;
    REQUIRE_STATUS(ofn_irn(ARG(doc), &out, &err), OFN_OK, &err);
    v = jv_parse_str(BUF_STR(out));
    REQUIRE(jv_str(jv_get(v, "irn")) != NULL);
    irn = xstrdup(jv_str(jv_get(v, "irn")));
    jv_free(v);
    ofn_buf_free(&out);
    return irn;
}

static jv *parse_out(const ofn_buf *b) {
    jv *v = jv_parse((const char *)b->data, b->len, NULL, 0);
    REQUIRE_MSG(v != NULL, BUF_STR(*b));
    return v;
}

static void test_irn_flow(const char *url) {
    ofn_client *c = client_for(url, "\"retry\": {\"maxRetries\": 3, \"baseDelayMs\": 10, "
                                    "\"maxDelayMs\": 50}");
    char number[32], *doc, *irn, *id;
    sb req = {0};
    loop_stats st;
    ofn_buf out = {0}, err = {0};
    jv *v;

    snprintf(number, sizeof number, "SIO-%s-1", run_tag());
    doc = quickstart_invoice(number, "27");
    irn = local_irn(doc);
    sb_printf(&req, "{\"document\": %s}", doc);

    /* create: a token request, then the POST. */
    REQUIRE_STATUS(run_call(c, "einvoice.create", sb_str(&req), CARRY, &st, &out, &err), OFN_OK,
                   &err);
    v = parse_out(&out);
    CHECK(jv_int(jv_get(v, "status")) == 201);
    CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK_STREQ(jv_path_str(v, "meta.expectedIrn"), irn);
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 1);
    CHECK(jv_is_false(jv_path(v, "meta.duplicate")));
    CHECK(jv_str(jv_path(v, "meta.idempotencyKey")) != NULL);
    CHECK(jv_str(jv_path(v, "meta.requestId")) != NULL);
    CHECK(jv_str(jv_path(v, "body.signedInvoice")) != NULL);
    CHECK(st.sends == 2 && st.fed_responses == 2);
    REQUIRE(jv_path_str(v, "body.id") != NULL);
    id = xstrdup(jv_path_str(v, "body.id"));
    CHECK(strncmp(id, "einv_", 5) == 0);
    jv_free(v);
    ofn_buf_free(&out);

    /* get: the token is cached in the client, so one request. */
    sb_free(&req);
    sb_printf(&req, "{\"id\": \"%s\"}", id);
    REQUIRE_STATUS(run_call(c, "einvoice.get", sb_str(&req), CARRY, &st, &out, &err), OFN_OK,
                   &err);
    v = parse_out(&out);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK_STREQ(jv_path_str(v, "body.id"), id);
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
    CHECK(jv_int(jv_path(v, "meta.tokenRequests")) == 0);
    CHECK(st.sends == 1);
    CHECK(strstr(st.last_url, id) != NULL);
    jv_free(v);
    ofn_buf_free(&out);

    /* cancel */
    sb_free(&req);
    sb_printf(&req,
              "{\"id\": \"%s\", \"reason\": \"data_entry_mistake\", \"remarks\": \"sans-IO test: "
              "cancelled within 24 h\"}",
              id);
    REQUIRE_STATUS(run_call(c, "einvoice.cancel", sb_str(&req), CARRY, &st, &out, &err), OFN_OK,
                   &err);
    v = parse_out(&out);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK_STREQ(jv_path_str(v, "body.status"), "cancelled");
    CHECK(jv_str(jv_path(v, "body.cancelledAt")) != NULL);
    CHECK(jv_str(jv_path(v, "meta.idempotencyKey")) != NULL);
    CHECK(st.sends == 1);
    jv_free(v);
    ofn_buf_free(&out);

    /* get again: cancelled. */
    sb_free(&req);
    sb_printf(&req, "{\"id\": \"%s\"}", id);
    REQUIRE_STATUS(run_call(c, "einvoice.get", sb_str(&req), CARRY, &st, &out, &err), OFN_OK,
                   &err);
    v = parse_out(&out);
    CHECK_STREQ(jv_path_str(v, "body.status"), "cancelled");
    jv_free(v);
    ofn_buf_free(&out);

    /* A second cancel is NIC's refusal: final, one attempt. */
    sb_free(&req);
    sb_printf(&req, "{\"id\": \"%s\", \"reason\": \"others\", \"remarks\": \"again\"}", id);
    CHECK_STATUS(run_call(c, "einvoice.cancel", sb_str(&req), CARRY, &st, &out, &err),
                 OFN_E_UPSTREAM_FAILURE, &err);
    v = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(v, "error.code"), "upstream.failure");
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 1);
    CHECK(st.sends == 1);
    jv_free(v);
    ofn_buf_free(&err);

    /* An id that does not exist: 404, not retried. */
    CHECK_STATUS(run_call(c, "einvoice.get", "{\"id\": \"einv_does_not_exist\"}", CARRY, &st, &out,
                          &err),
                 OFN_E_NOT_FOUND, &err);
    CHECK(st.sends == 1);
    CHECK_CONTAINS(BUF_STR(err), "\"code\":\"not_found\"");
    ofn_buf_free(&err);

    sb_free(&req);
    free(id);
    free(irn);
    free(doc);
    ofn_client_free(c);
}

/* The sandbox commits the IRN and drops the connection: the answer is lost. */
static void test_lost_response(const char *url) {
    ofn_client *c = client_for(url, "\"retry\": {\"maxRetries\": 3, \"baseDelayMs\": 10, "
                                    "\"maxDelayMs\": 50}");
    char number[32], *doc, *irn;
    sb req = {0};
    loop_stats st;
    ofn_buf out = {0}, err = {0};
    jv *v;
    snprintf(number, sizeof number, "SIO-%s-2", run_tag());
    doc = quickstart_invoice(number, "27");
    irn = local_irn(doc);
    sb_printf(&req,
              "{\"document\": %s, \"options\": {\"headers\": {\"X-Sandbox-Fault\": "
              "\"drop-after-commit\"}}}",
              doc);
    REQUIRE_STATUS(run_call(c, "einvoice.create", sb_str(&req), CARRY, &st, &out, &err), OFN_OK,
                   &err);
    v = parse_out(&out);
    CHECK(st.fed_errors[OFN_TRANSPORT_INTERRUPTED] == 1);
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 2);
    CHECK(jv_int(jv_path(v, "meta.retries")) == 1);
    CHECK(jv_is_true(jv_path(v, "meta.replayed")));
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
    jv_free(v);
    ofn_buf_free(&out);
    sb_free(&req);
    free(irn);
    free(doc);
    ofn_client_free(c);
}

/* Accepted as queued, generated one sandbox second later: polled through sleep actions. */
static void test_queued(const char *url) {
    ofn_client *c = client_for(url, "\"poll\": {\"enabled\": true, \"initialIntervalMs\": 200, "
                                    "\"maxIntervalMs\": 400, \"defaultDeadlineMs\": 30000}");
    char number[32], *doc, *irn;
    sb req = {0};
    loop_stats st;
    ofn_buf out = {0}, err = {0};
    jv *v;
    snprintf(number, sizeof number, "SIO-%s-3", run_tag());
    doc = quickstart_invoice(number, "27");
    irn = local_irn(doc);
    sb_printf(&req,
              "{\"document\": %s, \"options\": {\"headers\": {\"X-Sandbox-Fault\": "
              "\"queued:1\"}}}",
              doc);
    REQUIRE_STATUS(run_call(c, "einvoice.create", sb_str(&req), CARRY, &st, &out, &err), OFN_OK,
                   &err);
    v = parse_out(&out);
    CHECK_STREQ(jv_path_str(v, "body.status"), "generated");
    CHECK_STREQ(jv_path_str(v, "body.irn"), irn);
    CHECK(jv_int(jv_path(v, "meta.polls")) >= 1);
    CHECK(st.sends >= 3); /* token, the POST (202 queued), at least one poll */
    jv_free(v);
    ofn_buf_free(&out);
    sb_free(&req);
    free(irn);
    free(doc);
    ofn_client_free(c);
}

static void test_failures(const char *url) {
    loop_stats st;
    ofn_buf out = {0}, err = {0};
    jv *v;
    char base[64];
    ofn_client *c;

    /* Connection refused: one retry (after a sleep of at most 2 ms, if the engine still wants
     * one when it is asked), then OFN_E_TRANSPORT. */
    snprintf(base, sizeof base, "http://127.0.0.1:%d", closed_port());
    c = client_for(base, "\"retry\":{\"maxRetries\":1,\"baseDelayMs\":1,\"maxDelayMs\":2}");
    CHECK_STATUS(run_call(c, "jwks", "{}", CARRY, &st, &out, &err), OFN_E_TRANSPORT, &err);
    CHECK(st.sends == 2);
    CHECK(st.fed_errors[OFN_TRANSPORT_CONNECT] == 2);
    CHECK(st.sleeps <= 1 && st.slept_ms <= 2);
    CHECK(out.data == NULL);
    v = jv_parse_str(BUF_STR(err));
    CHECK_STREQ(jv_path_str(v, "error.code"), "transport");
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 2);
    CHECK(jv_int(jv_path(v, "meta.retries")) == 1);
    jv_free(v);
    ofn_buf_free(&err);
    /* The same for a call that needs a token: the token request is what fails. */
    CHECK_STATUS(run_call(c, "einvoice.get", "{\"id\": \"einv_1\"}", CARRY, &st, &out, &err),
                 OFN_E_TRANSPORT, &err);
    CHECK(st.sends >= 2 && st.fed_errors[OFN_TRANSPORT_CONNECT] == st.sends);
    CHECK_CONTAINS(st.last_url, "/openid-connect/token");
    ofn_buf_free(&err);
    ofn_client_free(c);

    /* The same on a virtual clock that only sleep actions move: every backoff is a sleep
     * action, of d/2..d with d = min(base * 2^(n-1), max) (equal jitter, core/src/client/retry.rs):
     * 50..100 ms before retry 1, 100..200 before retry 2, 150..300 (d capped at 300) before
     * retry 3. */
    virtual_now = 1000000;
    c = client_for(base, "\"retry\":{\"maxRetries\":3,\"baseDelayMs\":100,\"maxDelayMs\":300}");
    CHECK_STATUS(run_call(c, "jwks", "{}", CARRY_VIRTUAL_CLOCK, &st, &out, &err), OFN_E_TRANSPORT,
                 &err);
    CHECK(st.sends == 4 && st.fed_errors[OFN_TRANSPORT_CONNECT] == 4);
    CHECK(st.sleeps == 3);
    CHECK(st.sleep_ms[0] >= 50 && st.sleep_ms[0] <= 100);
    CHECK(st.sleep_ms[1] >= 100 && st.sleep_ms[1] <= 200);
    CHECK(st.sleep_ms[2] >= 150 && st.sleep_ms[2] <= 300);
    v = jv_parse_str(BUF_STR(err));
    CHECK(jv_int(jv_path(v, "meta.attempts")) == 4);
    CHECK(jv_int(jv_path(v, "meta.retries")) == 3);
    jv_free(v);
    ofn_buf_free(&err);
    ofn_client_free(c);

    /* No answer in time, every time: OFN_E_TIMEOUT after the retries. */
    c = client_for(url, "\"retry\":{\"maxRetries\":2,\"baseDelayMs\":1,\"maxDelayMs\":2}");
    CHECK_STATUS(run_call(c, "jwks", "{}", FEED_TIMEOUT, &st, &out, &err), OFN_E_TIMEOUT, &err);
    CHECK(st.sends == 3 && st.fed_errors[OFN_TRANSPORT_TIMEOUT] == 3);
    CHECK_CONTAINS(BUF_STR(err), "\"code\":\"timeout\"");
    ofn_buf_free(&err);
    ofn_client_free(c);

    /* A real timeout: the sandbox answers after 3 s, the request allows 300 ms. */
    c = client_for(url, "\"retry\":{\"maxRetries\":1,\"baseDelayMs\":1,\"maxDelayMs\":2},"
                        " \"timeouts\": {\"requestMs\": 300}");
    CHECK_STATUS(run_call(c, "jwks",
                          "{\"options\": {\"headers\": {\"X-Sandbox-Fault\": \"delay:3000\"}}}",
                          CARRY, &st, &out, &err),
                 OFN_E_TIMEOUT, &err);
    CHECK(st.sends == 2 && st.fed_errors[OFN_TRANSPORT_TIMEOUT] == 2);
    ofn_buf_free(&err);
    ofn_client_free(c);

    /* NIC unavailable on every attempt (503): OFN_E_UPSTREAM_UNAVAILABLE after one retry. */
    c = client_for(url, "\"retry\":{\"maxRetries\":1,\"baseDelayMs\":1,\"maxDelayMs\":2}");
    {
        char number[32], *doc;
        sb req = {0};
        snprintf(number, sizeof number, "SIO-%s-4", run_tag());
        doc = quickstart_invoice(number, "27");
        sb_printf(&req,
                  "{\"document\": %s, \"options\": {\"headers\": {\"X-Sandbox-Fault\": "
                  "\"503\"}}}",
                  doc);
        CHECK_STATUS(run_call(c, "einvoice.create", sb_str(&req), CARRY, &st, &out, &err),
                     OFN_E_UPSTREAM_UNAVAILABLE, &err);
        v = jv_parse_str(BUF_STR(err));
        CHECK_STREQ(jv_path_str(v, "error.code"), "upstream.unavailable");
        CHECK(jv_int(jv_path(v, "meta.attempts")) == 2);
        jv_free(v);
        ofn_buf_free(&err);
        sb_free(&req);
        free(doc);
    }

    /* A document failing validation: `failed` at the first next, nothing sent. */
    {
        char *bad = quickstart_invoice("SIO-BAD-1", "29");
        sb req = {0};
        sb_printf(&req, "{\"document\": %s}", bad);
        CHECK_STATUS(run_call(c, "einvoice.create", sb_str(&req), CARRY, &st, &out, &err),
                     OFN_E_VALIDATION, &err);
        CHECK(st.sends == 0);
        v = jv_parse_str(BUF_STR(err));
        CHECK_STREQ(jv_path_str(v, "error.code"), "validation_error");
        CHECK_STREQ(jv_path_str(v, "error.details.0.nicCode"), "2172");
        CHECK_STREQ(jv_path_str(v, "error.details.0.code"), "tax.igst_on_intra_state");
        CHECK(jv_int(jv_path(v, "meta.attempts")) == 0);
        jv_free(v);
        ofn_buf_free(&err);
        sb_free(&req);
        free(bad);
    }
    ofn_client_free(c);
}

/* A call keeps what it needs of its client and may outlive it. */
static void test_call_outlives_client(const char *url) {
    ofn_client *c = client_for(url, NULL);
    ofn_call *call = NULL;
    loop_stats st;
    ofn_buf out = {0}, err = {0};
    jv *v;
    REQUIRE_STATUS(ofn_call_begin(c, ARG("jwks"), ARG("{}"), now_ms(), &call, &err), OFN_OK, &err);
    ofn_client_free(c);
    CHECK_STATUS(drive(call, CARRY, &st, &out, &err), OFN_OK, &err);
    v = parse_out(&out);
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK(jv_len(jv_path(v, "body.keys")) >= 1);
    CHECK_STREQ(jv_path_str(v, "body.keys.0.alg"), "RS256");
    jv_free(v);
    ofn_buf_free(&out);
    ofn_call_free(call);

    /* One that needs a token, begun on a client freed before its first step. */
    c = client_for(url, NULL);
    REQUIRE_STATUS(ofn_call_begin(c, ARG("einvoice.get"), ARG("{\"id\": \"einv_nope\"}"),
                                  now_ms(), &call, &err),
                   OFN_OK, &err);
    ofn_client_free(c);
    CHECK_STATUS(drive(call, CARRY, &st, &out, &err), OFN_E_NOT_FOUND, &err);
    CHECK(st.sends == 2);
    ofn_buf_free(&err);
    ofn_call_free(call);
}

/* A one-shot HTTP server answering with a chunked body and headers that need escaping in JSON:
 * the host loop must decode the chunks and pass the headers back as valid JSON. */
typedef struct one_shot {
    int listen_fd;
    int port;
    int served;
} one_shot;

static void *serve_chunked(void *arg) {
    one_shot *s = arg;
    static const char answer[] =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n"
        "X-Request-Id: req_chunked_1\r\n"
        "X-Note: say \"hi\" \\ back\r\n"
        "\r\n"
        "4\r\n{\"ke\r\n"
        "5\r\nys\": \r\n"
        "3\r\n[]}\r\n"
        "0\r\n\r\n";
    char buf[4096];
    size_t got = 0;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    while (got < sizeof buf - 1) {
        ssize_t r = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
        buf[got] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    if (send(fd, answer, sizeof answer - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof answer - 1))
        s->served = 1;
    close(fd);
    return NULL;
}

static void test_chunked_answer(void) {
    one_shot s;
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    pthread_t t;
    char base[64];
    ofn_client *c;
    loop_stats st;
    ofn_buf out = {0}, err = {0};
    jv *v;
    memset(&s, 0, sizeof s);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(s.listen_fd >= 0);
    REQUIRE(bind(s.listen_fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    REQUIRE(listen(s.listen_fd, 1) == 0);
    REQUIRE(getsockname(s.listen_fd, (struct sockaddr *)&sa, &len) == 0);
    s.port = ntohs(sa.sin_port);
    REQUIRE(pthread_create(&t, NULL, serve_chunked, &s) == 0);
    snprintf(base, sizeof base, "http://127.0.0.1:%d", s.port);
    c = client_for(base, "\"retry\":{\"maxRetries\":0}");
    CHECK_STATUS(run_call(c, "jwks", "{}", CARRY, &st, &out, &err), OFN_OK, &err);
    pthread_join(t, NULL);
    close(s.listen_fd);
    CHECK(s.served == 1);
    CHECK(st.sends == 1 && st.fed_responses == 1);
    v = jv_parse_str(BUF_STR(out));
    CHECK(jv_int(jv_get(v, "status")) == 200);
    CHECK(jv_path(v, "body.keys") && jv_path(v, "body.keys")->type == JV_ARR);
    CHECK(jv_len(jv_path(v, "body.keys")) == 0);
    CHECK_STREQ(jv_path_str(v, "meta.requestId"), "req_chunked_1");
    jv_free(v);
    ofn_buf_free(&out);
    ofn_buf_free(&err);
    ofn_client_free(c);
}

int main(void) {
    const char *url = sandbox_url();
    run_tag();
    test_irn_flow(url);
    test_lost_response(url);
    test_queued(url);
    test_failures(url);
    test_call_outlives_client(url);
    test_chunked_answer();
    return ofn_test_finish("sansio");
}
