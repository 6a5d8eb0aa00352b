/* http: the request a handler reads and the response it fills in. */
#ifndef ACCORD_HTTP_H
#define ACCORD_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "router.h"
#include "url.h"

struct db;

struct request {
	const char *method;		/* "GET" for HEAD too */
	const struct url *url;
	const struct router_match *match;
	struct db *db;			/* this thread's connection, or NULL
					   for routes without_db */
	bool draining;			/* the daemon is shutting down */
	bool checking;			/* the database has not passed its
					   full check yet */
};

/*
 * What a handler produces. On success: exactly one of json (owned, freed
 * by the reply), body (owned, free()d by the reply) or static_body
 * (borrowed, lives forever), with content_type for the bodies. On error
 * (a status >= 400): detail, a sentence for the problem document.
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
	char *link;		/* a Link header, or NULL; the caller of
				   the handler frees it after the reply */
	char detail[256];
};

#endif
