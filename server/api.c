#include "api.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "assets.h"
#include "db.h"
#include "http.h"
#include "metrics.h"
#include "schema.h"

#ifndef ACCORD_VERSION
#define ACCORD_VERSION "0.0.0-dev"
#endif

/* Parameters every route accepts. */
static const char *const common_params[] = { "pretty", NULL };
/* Filters of the fact lists. */
static const char *const fact_filters[] = { "source", "participant", NULL };
static const char *const source_filters[] = { "participant", NULL };
static const char *const participant_filters[] = { "source", NULL };

/* Maps a store status to an HTTP status, with a detail on failure. */
static unsigned
status_of(enum db_status st, struct response *res, const char *what,
    const char *id)
{
	switch (st) {
	case DB_OK:
		return 200;
	case DB_NOT_FOUND:
		snprintf(res->detail, sizeof(res->detail), "no %s has the id "
		    "\"%s\"", what != NULL ? what : "record",
		    id != NULL ? id : "");
		return 404;
	case DB_TIMEOUT:
		snprintf(res->detail, sizeof(res->detail), "the query took "
		    "too long");
		return 503;
	case DB_ERROR:
		break;
	}
	snprintf(res->detail, sizeof(res->detail), "the database failed");
	return 500;
}

/* Reads an id-valued filter parameter into *out (NULL when absent).
 * Returns 0, or a 400 with a detail when it is not a well-formed id. */
static unsigned
id_param(const struct request *req, struct response *res, const char *name,
    const char **out)
{
	*out = url_param(req->url, name);
	if (*out == NULL || router_valid_id(*out, strlen(*out)))
		return 0;
	snprintf(res->detail, sizeof(res->detail), "%s must be an id: "
	    "^[a-z0-9]+(-[a-z0-9]+)*$, at most 64 characters", name);
	return 400;
}

static unsigned
list(const struct request *req, struct response *res, enum db_kind kind)
{
	struct db_filter filter;
	json_t *items;
	enum db_status st;
	unsigned bad;

	if ((bad = id_param(req, res, "source", &filter.source)) != 0 ||
	    (bad = id_param(req, res, "participant", &filter.participant)) != 0)
		return bad;
	st = db_list(req->db, kind, &filter, &items);

	if (st != DB_OK)
		return status_of(st, res, NULL, NULL);
	res->json = json_pack("{s:o}", "items", items);
	if (res->json == NULL)
		return status_of(DB_ERROR, res, NULL, NULL);
	return 200;
}

static unsigned
get(const struct request *req, struct response *res, enum db_kind kind,
    const char *what)
{
	const char *id = req->match->params[0];

	return status_of(db_get(req->db, kind, id, &res->json), res, what, id);
}

static unsigned
healthz(const struct request *req, struct response *res)
{
	(void)req;
	res->json = json_pack("{s:s}", "status", "ok");
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

static unsigned
readyz(const struct request *req, struct response *res)
{
	if (req->draining) {
		snprintf(res->detail, sizeof(res->detail), "shutting down");
		return 503;
	}
	res->json = json_pack("{s:s}", "status", "ready");
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

static unsigned
version(const struct request *req, struct response *res)
{
	char digest[65];
	enum db_status st;

	st = db_data_digest(req->db, digest);
	if (st != DB_OK)
		return status_of(st, res, NULL, NULL);
	res->json = json_pack("{s:s, s:s, s:I, s:s}", "version",
	    ACCORD_VERSION, "sqlite", sqlite3_libversion(), "schema",
	    (json_int_t)schema_count, "data_sha256", digest);
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

static unsigned
metrics(const struct request *req, struct response *res)
{
	(void)req;
	res->body = metrics_render(&res->body_len);
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	if (res->body == NULL)
		return status_of(DB_ERROR, res, NULL, NULL);
	return 200;
}

static unsigned
openapi_yaml(const struct request *req, struct response *res)
{
	(void)req;
	res->static_body = assets_openapi_yaml;
	res->body_len = assets_openapi_yaml_len;
	res->content_type = "application/yaml";
	return 200;
}

static unsigned
openapi_json(const struct request *req, struct response *res)
{
	(void)req;
	res->static_body = assets_openapi_json;
	res->body_len = assets_openapi_json_len;
	res->content_type = "application/json";
	return 200;
}

static unsigned
sources(const struct request *req, struct response *res)
{
	return list(req, res, DB_SOURCES);
}

static unsigned
source(const struct request *req, struct response *res)
{
	return get(req, res, DB_SOURCES, "source");
}

static unsigned
source_text(const struct request *req, struct response *res)
{
	const char *id = req->match->params[0];
	enum db_status st;

	st = db_source_text(req->db, id, &res->body, &res->body_len);
	res->content_type = "text/plain; charset=utf-8";
	res->ranges = true;
	return status_of(st, res, "source", id);
}

static unsigned
participants(const struct request *req, struct response *res)
{
	return list(req, res, DB_PARTICIPANTS);
}

static unsigned
participant(const struct request *req, struct response *res)
{
	return get(req, res, DB_PARTICIPANTS, "participant");
}

static unsigned
agreements(const struct request *req, struct response *res)
{
	return list(req, res, DB_AGREEMENTS);
}

static unsigned
agreement(const struct request *req, struct response *res)
{
	return get(req, res, DB_AGREEMENTS, "agreement");
}

static unsigned
outcomes(const struct request *req, struct response *res)
{
	return list(req, res, DB_OUTCOMES);
}

static unsigned
outcome(const struct request *req, struct response *res)
{
	return get(req, res, DB_OUTCOMES, "outcome");
}

static unsigned
claims(const struct request *req, struct response *res)
{
	return list(req, res, DB_CLAIMS);
}

static unsigned
claim(const struct request *req, struct response *res)
{
	return get(req, res, DB_CLAIMS, "claim");
}

const struct route api_routes[] = {
	{ "GET", "/healthz", healthz, NULL, 1 },
	{ "GET", "/readyz", readyz, NULL, 1 },
	{ "GET", "/version", version, NULL, 0 },
	{ "GET", "/metrics", metrics, NULL, 1 },
	{ "GET", "/openapi.yaml", openapi_yaml, NULL, 1 },
	{ "GET", "/openapi.json", openapi_json, NULL, 1 },
	{ "GET", "/sources", sources, source_filters, 0 },
	{ "GET", "/sources/{id}", source, NULL, 0 },
	{ "GET", "/sources/{id}/text", source_text, NULL, 0 },
	{ "GET", "/participants", participants, participant_filters, 0 },
	{ "GET", "/participants/{id}", participant, NULL, 0 },
	{ "GET", "/agreements", agreements, fact_filters, 0 },
	{ "GET", "/agreements/{id}", agreement, NULL, 0 },
	{ "GET", "/outcomes", outcomes, fact_filters, 0 },
	{ "GET", "/outcomes/{id}", outcome, NULL, 0 },
	{ "GET", "/claims", claims, fact_filters, 0 },
	{ "GET", "/claims/{id}", claim, NULL, 0 },
};

const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);

static bool
listed(const char *const *names, const char *name)
{
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

const char *
api_unknown_param(const struct request *req)
{
	for (size_t i = 0; i < req->url->nparams; i++) {
		const char *name = req->url->params[i].name;
		if (!listed(common_params, name) &&
		    !listed(req->match->route->params, name))
			return name;
	}
	return NULL;
}
