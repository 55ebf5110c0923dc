/*
 * http_loop.h: a minimal HTTP/1.1 client over raw POSIX sockets, standing in for a host's HTTP
 * stack. Used by sansio.c (the host side of the sans-IO loop) and by client.c (as the `send` of
 * an ofn_transport vtable).
 *
 * Plain http:// on an IPv4 literal or localhost only; one request per connection
 * (`Connection: close`); the answer's body honours Content-Length and chunked transfer coding.
 */

#ifndef HTTP_LOOP_H
#define HTTP_LOOP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "json_mini.h"
#include "onefinops.h"

typedef struct http_answer {
    int status;
    char *headers_json; /* {"name": "value", ...}: names lower-cased, values JSON-escaped */
    char *body;         /* NUL-terminated for convenience; body_len bytes */
    size_t body_len;
} http_answer;

/* Carries one request given as the library's request JSON (`{"method", "url", "headers",
 * "body"?, "timeoutMs", "connectTimeoutMs"}`, already parsed). Returns 0 and fills `answer`,
 * or an OFN_TRANSPORT_* kind (no answer) with a message in `msg`. */
int http_send_request(const jv *request, http_answer *answer, char *msg, size_t msg_len);

/* The same from its parts. `headers` is a JSON object of strings (may be NULL). */
int http_exchange(const char *method, const char *url, const jv *headers, const char *body,
                  size_t body_len, long timeout_ms, long connect_timeout_ms,
                  http_answer *answer, char *msg, size_t msg_len);

void http_answer_free(http_answer *answer);

/* A port on 127.0.0.1 nothing listens on (bound, then closed), for "connection refused". */
int closed_port(void);

/* ---- an ofn_transport over http_exchange ------------------------------------------------- */

typedef struct http_transport_ctx {
    pthread_mutex_t mu;
    long sends;          /* requests carried */
    long responded;      /* answered with ofn_exchange_respond */
    long failed;         /* answered with ofn_exchange_fail */
    long bad_calls;      /* an ofn_exchange_* call that did not return OFN_OK */
    long destroys;       /* calls of destroy (must end at 1) */
    long max_in_flight;  /* the most sends running at once (threads share the client) */
    long in_flight;
} http_transport_ctx;

void http_transport_ctx_init(http_transport_ctx *ctx);
void http_transport_ctx_destroy(http_transport_ctx *ctx);
/* `send` of the vtable: parses the request JSON, carries it, answers the exchange. */
void http_transport_send(void *ctx, const uint8_t *request, size_t request_len,
                         ofn_exchange *exchange);
/* `destroy` of the vtable: counts its calls (the ctx itself belongs to the test). */
void http_transport_destroy(void *ctx);
/* The vtable {ctx, http_transport_send, http_transport_destroy}. */
ofn_transport http_transport(http_transport_ctx *ctx);

#endif /* HTTP_LOOP_H */
