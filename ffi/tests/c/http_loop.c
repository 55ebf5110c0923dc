/* http_loop.c: see http_loop.h. */

#define _POSIX_C_SOURCE 200809L

#include "http_loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "ofn_test.h"

static void set_msg(char *msg, size_t msg_len, const char *fmt, const char *arg) {
    if (msg && msg_len)
        snprintf(msg, msg_len, fmt, arg ? arg : "");
}

/* http://HOST[:PORT]/PATH -> the IPv4 address, port and path (with the query). */
static int parse_url(const char *url, struct in_addr *addr, int *port, char *host,
                     size_t host_len, const char **path) {
    const char *p, *h, *end;
    size_t n;
    char name[256];
    if (strncmp(url, "http://", 7) != 0)
        return 0;
    h = url + 7;
    end = h + strcspn(h, "/?#");
    *path = *end ? end : "/";
    p = memchr(h, ':', (size_t)(end - h));
    n = (size_t)((p ? p : end) - h);
    if (n == 0 || n >= sizeof name || n >= host_len)
        return 0;
    memcpy(name, h, n);
    name[n] = '\0';
    *port = 80;
    if (p) {
        char *stop;
        long v = strtol(p + 1, &stop, 10);
        if (stop != end || v <= 0 || v > 65535)
            return 0;
        *port = (int)v;
    }
    if (strcmp(name, "localhost") == 0)
        strcpy(name, "127.0.0.1");
    if (inet_pton(AF_INET, name, addr) != 1)
        return 0;
    snprintf(host, host_len, "%.*s", (int)(end - h), h);
    return 1;
}

static long remaining_ms(uint64_t deadline) {
    uint64_t now = now_ms();
    return now >= deadline ? 0 : (long)(deadline - now);
}

/* Opens a connection within `timeout_ms`: the fd, or -1 with the transport error kind. */
static int connect_to(struct in_addr addr, int port, long timeout_ms, int *kind, char *msg,
                      size_t msg_len) {
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), flags, err = 0;
    socklen_t err_len = sizeof err;
    if (fd < 0) {
        *kind = OFN_TRANSPORT_OTHER;
        set_msg(msg, msg_len, "socket: %s", strerror(errno));
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr = addr;
    flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        struct pollfd pfd;
        int r;
        if (errno != EINPROGRESS) {
            *kind = OFN_TRANSPORT_CONNECT;
            set_msg(msg, msg_len, "connect: %s", strerror(errno));
            close(fd);
            return -1;
        }
        pfd.fd = fd;
        pfd.events = POLLOUT;
        pfd.revents = 0;
        do
            r = poll(&pfd, 1, timeout_ms > 0 ? (int)timeout_ms : 10000);
        while (r < 0 && errno == EINTR);
        if (r == 0) {
            *kind = OFN_TRANSPORT_CONNECT;
            set_msg(msg, msg_len, "connect: %s", "timed out");
            close(fd);
            return -1;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0 || err != 0) {
            *kind = OFN_TRANSPORT_CONNECT;
            set_msg(msg, msg_len, "connect: %s", strerror(err ? err : errno));
            close(fd);
            return -1;
        }
    }
    fcntl(fd, F_SETFL, flags);
    return fd;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        p += w;
        n -= (size_t)w;
    }
    return 1;
}

static int header_allowed(const char *name) {
    static const char *const ours[] = {"host", "content-length", "connection",
                                       "transfer-encoding"};
    size_t i;
    for (i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        const char *a = name, *b = ours[i];
        while (*a && *b && (*a | 0x20) == *b) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return 0;
    }
    return 1;
}

static int ci_equal(const char *a, size_t n, const char *b) {
    size_t i;
    if (strlen(b) != n)
        return 0;
    for (i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != b[i])
            return 0;
    }
    return 1;
}

/* Where the header block ends (the index after "\r\n\r\n"), or 0 when it has not yet. */
static size_t header_end(const char *p, size_t n) {
    size_t i;
    for (i = 3; i < n; i++)
        if (p[i - 3] == '\r' && p[i - 2] == '\n' && p[i - 1] == '\r' && p[i] == '\n')
            return i + 1;
    return 0;
}

/* The Content-Length of a header block, or -1; sets *chunked for chunked transfer coding. */
static long content_length(const char *p, size_t head, int *chunked) {
    const char *line = strstr(p, "\r\n");
    long len = -1;
    *chunked = 0;
    while (line && (size_t)(line - p) + 2 < head) {
        const char *start = line + 2, *colon, *eol = strstr(start, "\r\n");
        if (!eol || eol == start)
            break;
        colon = memchr(start, ':', (size_t)(eol - start));
        if (colon) {
            const char *v = colon + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            if (ci_equal(start, (size_t)(colon - start), "content-length"))
                len = strtol(v, NULL, 10);
            else if (ci_equal(start, (size_t)(colon - start), "transfer-encoding") &&
                     (strncmp(v, "chunked", 7) == 0 || strncmp(v, "Chunked", 7) == 0))
                *chunked = 1;
        }
        line = eol;
    }
    return len;
}

/* Decodes a chunked body in place; returns its length, or (size_t)-1 when it is cut short. */
static size_t dechunk(char *body, size_t n) {
    size_t in = 0, out = 0;
    for (;;) {
        char *stop;
        unsigned long size;
        const char *eol;
        if (in >= n)
            return (size_t)-1;
        size = strtoul(body + in, &stop, 16);
        eol = strstr(body + in, "\r\n");
        if (stop == body + in || !eol)
            return (size_t)-1;
        in = (size_t)(eol - body) + 2;
        if (size == 0)
            return out;
        if (in + size + 2 > n)
            return (size_t)-1;
        memmove(body + out, body + in, size);
        out += size;
        in += size + 2;
    }
}

/* Splits a raw answer into status, headers (as JSON) and body. */
static int parse_answer(char *raw, size_t n, http_answer *a, char *msg, size_t msg_len) {
    size_t head = header_end(raw, n), body_len;
    const char *line, *eol;
    int chunked;
    long clen;
    sb h = {0};
    if (!head || n < 12 || strncmp(raw, "HTTP/1.", 7) != 0) {
        set_msg(msg, msg_len, "%s", "not an HTTP answer");
        return OFN_TRANSPORT_INTERRUPTED;
    }
    a->status = atoi(raw + 9);
    clen = content_length(raw, head, &chunked);
    sb_puts(&h, "{");
    line = strstr(raw, "\r\n") + 2;
    while ((size_t)(line - raw) < head - 2) {
        const char *colon, *v, *vend;
        eol = strstr(line, "\r\n");
        colon = memchr(line, ':', (size_t)(eol - line));
        if (colon) {
            char name[128];
            size_t k, nl = (size_t)(colon - line);
            if (nl >= sizeof name)
                nl = sizeof name - 1;
            for (k = 0; k < nl; k++) {
                char c = line[k];
                name[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            v = colon + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            vend = eol;
            while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
                vend--;
            if (h.len > 1)
                sb_puts(&h, ", ");
            sb_json_str(&h, name, nl);
            sb_puts(&h, ": ");
            sb_json_str(&h, v, (size_t)(vend - v));
        }
        line = eol + 2;
    }
    sb_puts(&h, "}");
    body_len = n - head;
    if (chunked) {
        body_len = dechunk(raw + head, body_len);
        if (body_len == (size_t)-1) {
            sb_free(&h);
            set_msg(msg, msg_len, "%s", "the chunked body was cut short");
            return OFN_TRANSPORT_INTERRUPTED;
        }
    } else if (clen >= 0) {
        if ((size_t)clen > body_len) {
            sb_free(&h);
            set_msg(msg, msg_len, "%s", "the body is shorter than its Content-Length");
            return OFN_TRANSPORT_INTERRUPTED;
        }
        body_len = (size_t)clen;
    }
    a->headers_json = h.p;
    a->body = xmalloc(body_len + 1);
    memcpy(a->body, raw + head, body_len);
    a->body[body_len] = '\0';
    a->body_len = body_len;
    return 0;
}

int http_exchange(const char *method, const char *url, const jv *headers, const char *body,
                  size_t body_len, long timeout_ms, long connect_timeout_ms,
                  http_answer *answer, char *msg, size_t msg_len) {
    struct in_addr addr;
    int port, fd, kind = 0;
    char host[300];
    const char *path;
    sb req = {0}, in = {0};
    size_t i;
    uint64_t deadline;
    memset(answer, 0, sizeof *answer);
    if (timeout_ms <= 0)
        timeout_ms = 30000;
    if (!parse_url(url, &addr, &port, host, sizeof host, &path)) {
        set_msg(msg, msg_len, "unsupported URL %s", url);
        return OFN_TRANSPORT_INVALID_REQUEST;
    }
    sb_printf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, host);
    for (i = 0; headers && headers->type == JV_OBJ && i < headers->n; i++) {
        const char *v = jv_str(headers->items[i]);
        if (!v || strpbrk(v, "\r\n") || strpbrk(headers->keys[i], "\r\n: ")) {
            sb_free(&req);
            set_msg(msg, msg_len, "bad header %s", headers->keys[i]);
            return OFN_TRANSPORT_INVALID_REQUEST;
        }
        if (header_allowed(headers->keys[i]))
            sb_printf(&req, "%s: %s\r\n", headers->keys[i], v);
    }
    if (body_len > 0 || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
        strcmp(method, "PATCH") == 0)
        sb_printf(&req, "Content-Length: %zu\r\n", body_len);
    sb_puts(&req, "Connection: close\r\n\r\n");
    if (body_len)
        sb_put(&req, body, body_len);

    fd = connect_to(addr, port, connect_timeout_ms, &kind, msg, msg_len);
    if (fd < 0) {
        sb_free(&req);
        return kind;
    }
    if (!send_all(fd, req.p, req.len)) {
        set_msg(msg, msg_len, "send: %s", strerror(errno));
        sb_free(&req);
        close(fd);
        return OFN_TRANSPORT_INTERRUPTED;
    }
    sb_free(&req);

    deadline = now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        char chunk[16384];
        struct pollfd pfd;
        ssize_t r;
        int p;
        size_t head;
        pfd.fd = fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        p = poll(&pfd, 1, (int)remaining_ms(deadline));
        if (p < 0 && errno == EINTR)
            continue;
        if (p == 0) {
            set_msg(msg, msg_len, "%s", "no complete answer in time");
            kind = OFN_TRANSPORT_TIMEOUT;
            break;
        }
        r = recv(fd, chunk, sizeof chunk, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            set_msg(msg, msg_len, "recv: %s", strerror(errno));
            kind = OFN_TRANSPORT_INTERRUPTED;
            break;
        }
        if (r == 0) {
            if (in.len == 0) {
                set_msg(msg, msg_len, "%s", "the connection closed without an answer");
                kind = OFN_TRANSPORT_INTERRUPTED;
            }
            break;
        }
        sb_put(&in, chunk, (size_t)r);
        /* Stop as soon as a Content-Length body is complete (no need to wait for the close). */
        head = header_end(in.p, in.len);
        if (head) {
            int chunked;
            long clen = content_length(in.p, head, &chunked);
            if (!chunked && clen >= 0 && in.len >= head + (size_t)clen)
                break;
        }
    }
    close(fd);
    if (kind == 0)
        kind = parse_answer(in.p, in.len, answer, msg, msg_len);
    sb_free(&in);
    return kind;
}

int http_send_request(const jv *request, http_answer *answer, char *msg, size_t msg_len) {
    const char *method = jv_str(jv_get(request, "method"));
    const char *url = jv_str(jv_get(request, "url"));
    const jv *body = jv_get(request, "body");
    memset(answer, 0, sizeof *answer);
    if (!method || !url) {
        set_msg(msg, msg_len, "%s", "the request has no method or url");
        return OFN_TRANSPORT_INVALID_REQUEST;
    }
    if (jv_get(request, "bodyBase64")) {
        set_msg(msg, msg_len, "%s", "bodyBase64 is not supported by this test stack");
        return OFN_TRANSPORT_INVALID_REQUEST;
    }
    return http_exchange(method, url, jv_get(request, "headers"), body ? jv_str(body) : NULL,
                         body && body->type == JV_STR ? body->str_len : 0,
                         (long)jv_int(jv_get(request, "timeoutMs")),
                         (long)jv_int(jv_get(request, "connectTimeoutMs")), answer, msg,
                         msg_len);
}

void http_answer_free(http_answer *a) {
    free(a->headers_json);
    free(a->body);
    memset(a, 0, sizeof *a);
}

int closed_port(void) {
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return 9; /* discard: nothing listens there on a test machine */
    }
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* ---- the transport vtable ------------------------------------------------------------------ */

void http_transport_ctx_init(http_transport_ctx *ctx) {
    memset(ctx, 0, sizeof *ctx);
    pthread_mutex_init(&ctx->mu, NULL);
}

void http_transport_ctx_destroy(http_transport_ctx *ctx) { pthread_mutex_destroy(&ctx->mu); }

void http_transport_send(void *vctx, const uint8_t *request, size_t request_len,
                         ofn_exchange *exchange) {
    http_transport_ctx *ctx = vctx;
    char err[256], msg[512];
    jv *req = jv_parse((const char *)request, request_len, err, sizeof err);
    http_answer a;
    ofn_status st;
    int kind;
    pthread_mutex_lock(&ctx->mu);
    ctx->sends++;
    if (++ctx->in_flight > ctx->max_in_flight)
        ctx->max_in_flight = ctx->in_flight;
    pthread_mutex_unlock(&ctx->mu);
    if (!req) {
        st = ofn_exchange_fail(exchange, OFN_TRANSPORT_OTHER, ARG(err));
        kind = OFN_TRANSPORT_OTHER;
    } else {
        msg[0] = '\0';
        kind = http_send_request(req, &a, msg, sizeof msg);
        if (kind == 0) {
            st = ofn_exchange_respond(exchange, (uint16_t)a.status, ARG(a.headers_json),
                                      (const uint8_t *)a.body, a.body_len);
            http_answer_free(&a);
        } else {
            st = ofn_exchange_fail(exchange, (uint32_t)kind, ARG(msg));
        }
        jv_free(req);
    }
    pthread_mutex_lock(&ctx->mu);
    ctx->in_flight--;
    if (kind == 0)
        ctx->responded++;
    else
        ctx->failed++;
    if (st != OFN_OK)
        ctx->bad_calls++;
    pthread_mutex_unlock(&ctx->mu);
}

void http_transport_destroy(void *vctx) {
    http_transport_ctx *ctx = vctx;
    pthread_mutex_lock(&ctx->mu);
    ctx->destroys++;
    pthread_mutex_unlock(&ctx->mu);
}

ofn_transport http_transport(http_transport_ctx *ctx) {
    ofn_transport t;
    t.ctx = ctx;
    t.send = http_transport_send;
    t.destroy = http_transport_destroy;
    return t;
}
