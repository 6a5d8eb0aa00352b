/*
 * The order of the checks, each answering its problem at once when it
 * fails (the head's own faults, 400, 431 and 501, came before: admit in
 * exchange.c):
 *
 *   validate   1. the method is implemented                      501
 *              2. OPTIONS * is a preflight                       204
 *              3. the target parses, and is short enough         414, 400
 *   route      4. a route has the path                           404
 *              5. a route of the path has the method             405, Allow
 *              6. the path's ids are well-formed                 400
 *              7. no request body                                400
 *              8. OPTIONS on a route's path is a preflight       204
 *   parameters 9. every query parameter is the route's           400
 *             10. pretty is 0 or 1                               400
 *   serve     11. a data route's database has passed its check   503
 *             12. the cached body, else the handler: on this
 *                 thread without the database, else on a
 *                 database worker (dispatch)
 */
#include "gate.h"

#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cache.h"
#include "dispatch.h"
#include "export.h"
#include "generation.h"
#include "head.h"

/* Checks 1-3. Returns HTTP_OK, HTTP_NO_CONTENT or the problem's status. */
static enum http_status
validate(struct exchange *ex, const char *method)
{
	enum url_result ur;

	if (head_method(method) == HEAD_METHOD_UNKNOWN)
		return problem(&ex->res, HTTP_NOT_IMPLEMENTED, "the method "
		    "%.16s is not implemented; accord serves GET, HEAD and "
		    "OPTIONS", method);
	if (strcmp(ex->path, "*") == 0)
		return HTTP_NO_CONTENT;
	ur = url_parse(ex->path, &ex->url);
	if (ur != URL_OK)
		return problem(&ex->res, ur == URL_TOO_LONG ?
		    HTTP_URI_TOO_LONG : HTTP_BAD_REQUEST, "%s",
		    url_result_str(ur));
	ex->instance = ex->url.path;
	return HTTP_OK;
}

/* Checks 4-8. Returns HTTP_OK, HTTP_NO_CONTENT or the problem's status. */
static enum http_status
route(struct exchange *ex, const char *method)
{
	struct router_match *m = &ex->match;
	bool options = strcmp(method, "OPTIONS") == 0;

	switch (router_match(api_routes, api_route_count, options ? "GET" :
	    method, ex->url.path, m)) {
	case ROUTER_NOT_FOUND:
		return problem(&ex->res, HTTP_NOT_FOUND,
		    "no resource at this path");
	case ROUTER_BAD_PARAM:
		return problem(&ex->res, HTTP_BAD_REQUEST, "an id must match "
		    "^[a-z0-9]+(-[a-z0-9]+)*$ and have at most 64 characters");
	case ROUTER_BAD_METHOD:
		return problem(&ex->res, HTTP_METHOD_NOT_ALLOWED, "%.16s is "
		    "not allowed here; allowed: %s", method, m->allow);
	case ROUTER_FOUND:
		break;
	}
	if (ex->has_body)
		return problem(&ex->res, HTTP_BAD_REQUEST,
		    "a request body is not allowed");
	ex->route = (int)(m->route - api_routes);
	return options ? HTTP_NO_CONTENT : HTTP_OK;
}

/* Checks 9-10. Returns HTTP_OK or the problem's status. */
static enum http_status
parameters(struct exchange *ex)
{
	struct request req = { .method = "GET", .url = &ex->url,
	    .match = &ex->match };
	const char *unknown = api_unknown_param(&req), *pretty;

	if (unknown != NULL)
		return problem(&ex->res, HTTP_BAD_REQUEST, "unknown query "
		    "parameter \"%.64s\"", unknown);
	pretty = url_param(&ex->url, "pretty");
	if (pretty != NULL && strcmp(pretty, "0") != 0 &&
	    strcmp(pretty, "1") != 0 && strcmp(pretty, "") != 0)
		return problem(&ex->res, HTTP_BAD_REQUEST,
		    "pretty must be 0 or 1");
	ex->pretty = pretty != NULL && strcmp(pretty, "0") != 0;
	return HTTP_OK;
}

/*
 * Sets ex->base, what absolute links and IRIs begin with (origin_make:
 * the --public-url, else "http://" and the request's Host), and ex->key,
 * the cache key: base, a space, the target, since a body's links depend
 * on both; a body asked for as CSV or NDJSON by Accept is not cached.
 */
static void
set_base(struct MHD_Connection *conn, struct exchange *ex)
{
	origin_make(ex->cfg->public_url, MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST), ex->base);
	snprintf(ex->key, sizeof(ex->key), "%s %s", ex->base, ex->path);
	ex->accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT);
	ex->uncached = export_by_accept(ex->accept);
}

/* Checks 11-12: serves a request that passed the others. */
static enum MHD_Result
serve(struct MHD_Connection *conn, struct exchange *ex)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	unsigned gen;
	bool verified;

	ex->gzip = accept != NULL && reply_accepts_gzip(accept);
	set_base(conn, ex);
	generation_current(&gen, &verified);
	if (ex->match.route->without_db) {
		exchange_run(ex, &(struct request){ .method = "GET",
		    .url = &ex->url, .match = &ex->match,
		    .draining = server_draining(), .checking = !verified,
		    .base = ex->base, .accept = ex->accept },
		    ex->gzip);
		return exchange_deliver(conn, ex);
	}
	/* Nothing is served before the database's spans are verified
	 * (RFC 9110 section 15.6.4: 503, Retry-After). */
	if (!verified) {
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE, "%s",
		    gen == 0 ? "the database is unavailable" : "the database "
		    "is being checked; retry shortly");
		return exchange_deliver(conn, ex);
	}
	/* Data routes answer the same for the life of a database: their
	 * bodies are cached by links' base and request target (ex->key). */
	ex->body = ex->uncached ? NULL : cache_get(gen, ex->key);
	if (ex->body != NULL) {
		ex->status = HTTP_OK;
		return exchange_deliver(conn, ex);
	}
	return dispatch(conn, ex);
}

enum MHD_Result
gate_respond(struct MHD_Connection *conn, struct exchange *ex,
    const char *method)
{
	enum http_status status = validate(ex, method);

	if (status == HTTP_OK)
		status = route(ex, method);
	if (status == HTTP_OK)
		status = parameters(ex);
	if (status == HTTP_OK)
		return serve(conn, ex);
	ex->status = status;
	return exchange_deliver(conn, ex);
}
