/* reply: turns a handler's response, or a problem, into an HTTP reply. */
#ifndef ACCORD_REPLY_H
#define ACCORD_REPLY_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "http.h"

/* Bodies shorter than this are not worth compressing. */
#define REPLY_GZIP_MIN 860

/*
 * A 200 body ready to send, immutable once made and shared by reference
 * (the response cache holds some): the bytes, their strong ETag, and a
 * gzip copy with its own ETag when the body is worth compressing. A body
 * that is shared (reply_body_share) also holds the libmicrohttpd
 * responses of its two full 200s, made once for every request.
 */
struct reply_body {
	atomic_int refs;	/* its holders: the cache, exchanges, and
				   the responses made for one request */
	struct MHD_Response *shared[2];	/* the 200 as is, and gzipped;
					   NULL when not made */
	atomic_int shares;	/* shared responses alive: the bytes are
				   freed once refs and shares are both 0 */
	char *data;
	size_t len;
	char *gz;		/* NULL when not compressed */
	size_t gz_len;
	char etag[48];
	char gz_etag[48];
	char type[96];
	char *link;		/* a Link header, or NULL */
	bool ranges;		/* may be served by byte range */
	bool vary_accept;	/* chosen by the Accept header */
	size_t counted;		/* its share of reply_live_bytes() */
};

/* Options that shape every reply. */
struct reply_options {
	bool pretty;		/* indent JSON */
	bool closing;		/* the daemon is draining: Connection: close */
	const char *allow;	/* an Allow header, or NULL */
};

/* What was sent, for the log and the metrics. */
struct reply_sent {
	unsigned status;
	size_t bytes;
};

/*
 * Queues status (>= 400) on conn as an RFC 9457 problem document made from
 * res->detail and instance (the request path, or NULL), with Retry-After
 * on a 503. Consumes res's owned parts (reply_drop). Returns what
 * MHD_queue_response returned; *sent says what went out.
 */
enum MHD_Result reply_send_problem(struct MHD_Connection *conn,
    enum http_status status, struct response *res, const char *instance,
    const struct reply_options *opt, struct reply_sent *sent);

/*
 * Queues the 204 answering a CORS preflight, or OPTIONS on a known path:
 * the methods and headers accord accepts. Returns what MHD_queue_response
 * returned; *sent says what went out.
 */
enum MHD_Result reply_send_preflight(struct MHD_Connection *conn,
    struct reply_sent *sent);

/* Frees res's owned parts (json, body, link) and sets them to NULL. */
void reply_drop(struct response *res);

/*
 * Makes a body from a handler's successful response, consuming res's
 * owned parts (its link moves into the body): dumps its JSON (indented
 * when pretty), digests it and, when `compress` (a client asked for gzip,
 * or the body is to be cached), gzips it. Returns a new body with one
 * reference, or NULL when out of memory.
 */
struct reply_body *reply_body_new(struct response *res, bool pretty,
    bool compress);

/* Takes and drops a reference; the last release frees the body (once
 * libmicrohttpd has let go of its shared responses, when it has some). */
void reply_body_retain(struct reply_body *b);
void reply_body_release(struct reply_body *b);

/*
 * Makes b's shared responses: its full 200, and its gzip copy's, with
 * every header (not Connection: close), queued as they are for any
 * request that asks for either while the daemon is not draining, instead
 * of a response made per request. Call while b has no other holder (it
 * is not yet cached). Returns 0, or -1 when out of memory (b is then
 * served as an unshared body).
 */
int reply_body_share(struct reply_body *b);

/* Returns the bytes all bodies alive hold (cached, queued or being sent):
 * what non-reading clients can make the daemon keep. */
size_t reply_live_bytes(void);

/* Returns the memory a body holds, for the cache's budget. */
size_t reply_body_size(const struct reply_body *b);

/*
 * Queues a 200 of body b, honouring If-None-Match (304), Range when the
 * body allows it (206, 416) and Accept-Encoding: gzip. Borrows b (the
 * queued response holds its own reference). Returns what
 * MHD_queue_response returned; *sent says what went out.
 */
enum MHD_Result reply_send_body(struct MHD_Connection *conn,
    struct reply_body *b, const char *instance,
    const struct reply_options *opt, struct reply_sent *sent);

/*
 * Returns a new problem+json document for status (caller frees), or NULL
 * when out of memory: every problem document accord sends is rendered
 * here. detail may be NULL; an instance that is not UTF-8 is left out.
 */
char *reply_problem(enum http_status status, const char *detail,
    const char *instance);

/* Returns the reason phrase of an HTTP status ("Not Found"). */
const char *reply_reason(unsigned status);

/*
 * Parses a Range header value against a body of len bytes. Returns 1 and
 * the inclusive byte range in *first, *last for one satisfiable range;
 * 0 when the header is to be ignored (not bytes, several ranges, ill
 * formed); -1 when it cannot be satisfied (416).
 */
int reply_parse_range(const char *value, size_t len, size_t *first,
    size_t *last);

/* Returns true when an Accept-Encoding value accepts gzip. */
bool reply_accepts_gzip(const char *value);

#endif
