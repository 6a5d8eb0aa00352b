/* router: matches a method and a decoded path against a route table. */
#ifndef ACCORD_ROUTER_H
#define ACCORD_ROUTER_H

#include <stddef.h>

#include "id.h"
#include "status.h"

#define ROUTER_MAX_PARAMS 2
#define ROUTER_PARAM_MAX ID_MAX

struct request;
struct response;

/* Returns an HTTP status; fills res (see http.h). */
typedef enum http_status (*router_fn)(const struct request *req,
    struct response *res);

/*
 * A route: pattern segments are literals or "{name}"; a {name} segment
 * matches an id (id_valid), and a "{file}" segment a file name: an id, a
 * dot and an id ("app.js").
 */
struct route {
	const char *method;
	const char *pattern;
	router_fn handler;
	const char *const *params;	/* query parameters it takes, or NULL */
	int without_db;			/* answers without the database */
};

struct router_match {
	const struct route *route;
	char params[ROUTER_MAX_PARAMS][ROUTER_PARAM_MAX + 1];
	size_t nparams;
	char allow[64];		/* with ROUTER_BAD_METHOD: the Allow header */
};

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,	/* no pattern matches the path */
	ROUTER_BAD_METHOD,	/* a pattern matches, for other methods */
	ROUTER_BAD_PARAM,	/* a pattern matches but for an ill-formed id */
};

/*
 * Finds the route for method and path in table[0..n). HEAD matches GET
 * routes. On ROUTER_FOUND, m->route and m->params are set; on
 * ROUTER_BAD_METHOD, m->allow lists the methods the path has.
 */
enum router_result router_match(const struct route *table, size_t n,
    const char *method, const char *path, struct router_match *m);

#endif
