/* reply: turns a handler's response, or an error, into an HTTP reply. */
#ifndef ACCORD_REPLY_H
#define ACCORD_REPLY_H

#include <microhttpd.h>
#include <stdbool.h>

#include "http.h"

/* Bodies shorter than this are not worth compressing. */
#define REPLY_GZIP_MIN 860

/* Options that shape every reply. */
struct reply_options {
	bool pretty;		/* indent JSON */
	bool closing;		/* the daemon is draining: Connection: close */
	bool ranges;		/* a 200 body may be served by byte range */
	const char *allow;	/* an Allow header, or NULL */
};

/* What was sent, for the log and the metrics. */
struct reply_sent {
	unsigned status;
	size_t bytes;
};

/*
 * Queues the reply for status and res on conn: the handler's body on
 * success, or an RFC 9457 problem document (built from res->detail and
 * instance, the request path) when status >= 400. A 200 carries a strong
 * ETag and honours If-None-Match (304), Range when opt->ranges (206, 416)
 * and Accept-Encoding: gzip. Consumes res's owned parts. Returns what
 * MHD_queue_response returned; *sent says what went out.
 */
enum MHD_Result reply_send(struct MHD_Connection *conn, unsigned status,
    struct response *res, const char *instance,
    const struct reply_options *opt, struct reply_sent *sent);

/*
 * Returns a new problem+json document for status (caller frees), or NULL
 * when out of memory. detail may be NULL.
 */
char *reply_problem(unsigned status, const char *detail,
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
