/* http: the request a handler reads and the response it fills in. */
#ifndef ACCORD_HTTP_H
#define ACCORD_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "router.h"
#include "status.h"
#include "url.h"

struct db;

/* What a route's handler reads (router_fn); every part borrowed. */
struct request {
	const char *method;		/* "GET" for HEAD too */
	const struct url *url;
	const struct router_match *match;
	struct db *db;			/* this thread's connection, or NULL
					   for routes without_db */
	bool draining;			/* the daemon is shutting down */
	bool checking;			/* the database has not passed its
					   full check yet */
	const char *base;		/* what absolute links and IRIs
					   begin with (origin_make): the
					   --public-url or "http://" and
					   the Host, no trailing '/' */
	const char *accept;		/* the Accept header, or NULL */
};

/*
 * What a handler produces: it answers 200 or a problem (a status >= 400).
 * On success: exactly one of json (owned), body (owned, malloc'd) or
 * static_body (borrowed, lives forever), with content_type for the bodies,
 * and link (owned) when the answer has a next page. On error: detail, a
 * sentence for the problem document (problem() writes it).
 *
 * Ownership: the owned parts (json, body, link) go to the reply, which
 * consumes them whatever it answers: reply_body_new (link moves into the
 * body), reply_send_problem, or reply_drop for a response never sent.
 * Nobody else frees them.
 */
struct response {
	json_t *json;
	char *body;
	const char *static_body;
	size_t body_len;
	const char *content_type;
	bool json_text;		/* body is compact JSON: re-indented for
				   ?pretty=1 */
	bool ranges;		/* may be served by byte range */
	bool vary_accept;	/* chosen by the Accept header */
	char *link;		/* a Link header, or NULL */
	char detail[256];
};

/*
 * Makes res a problem: writes the sentence fmt (printf-style, cut to fit
 * res->detail) as its RFC 9457 detail and returns status, so that a
 * handler ends with `return problem(res, HTTP_NOT_FOUND, "no source has
 * the id \"%s\"", id);`. The reply renders it as problem+json. Every
 * problem accord answers is made here.
 */
enum http_status problem(struct response *res, enum http_status status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
