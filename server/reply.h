/* reply: turns a handler's response, or an error, into an HTTP reply. */
#ifndef ACCORD_REPLY_H
#define ACCORD_REPLY_H

#include <microhttpd.h>
#include <stdbool.h>

#include "http.h"

/* Options that shape every reply. */
struct reply_options {
	bool pretty;		/* indent JSON */
	bool closing;		/* the daemon is draining: Connection: close */
	const char *allow;	/* an Allow header, or NULL */
};

/*
 * Queues the reply for status and res on conn: the handler's body on
 * success, or an RFC 9457 problem document (built from res->detail and
 * instance, the request path) when status >= 400. Consumes res's owned
 * parts. Returns what MHD_queue_response returned; *bytes receives the
 * body's size.
 */
enum MHD_Result reply_send(struct MHD_Connection *conn, unsigned status,
    struct response *res, const char *instance,
    const struct reply_options *opt, size_t *bytes);

/*
 * Returns a new problem+json document for status (caller frees), or NULL
 * when out of memory. detail may be NULL.
 */
char *reply_problem(unsigned status, const char *detail,
    const char *instance);

/* Returns the reason phrase of an HTTP status ("Not Found"). */
const char *reply_reason(unsigned status);

#endif
