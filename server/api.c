#include "api.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "annotation.h"
#include "assets.h"
#include "cursor.h"
#include "db.h"
#include "export.h"
#include "facet.h"
#include "fail.h"
#include "find.h"
#include "highlight.h"
#include "http.h"
#include "lists.h"
#include "mentions.h"
#include "metrics.h"
#include "num.h"
#include "page.h"
#include "params.h"
#include "record.h"
#include "schema.h"
#include "statement.h"
#include "timeline.h"
#include "utf8.h"
#include "version.h"
#include "viewer.h"
#include "vocab.h"

/* Parameters every route accepts. */
static const char *const common_params[] = { "pretty", NULL };

/* Makes res's body the page's records (freed, and url) as CSV or NDJSON;
 * its Link header names the next page. */
static enum http_status
export_page(enum db_kind kind, struct query_page *page, char *url,
    enum export_format format, struct response *res)
{
	json_t *items = json_loadb(page->items, page->items_len, 0, NULL);
	enum http_status status = items != NULL ? export_records(kind, items,
	    format, res) : fail_memory(res);

	json_decref(items);
	json_decref(page->facets);
	free(page->items);
	free(url);
	return status;
}

/* A list route: its query parameters (params.c, from its spec), one page
 * of its records (query.c) and its next link. */
static enum http_status
list(const struct request *req, struct response *res, enum db_kind kind)
{
	struct query q = { 0 };
	struct query_page page;
	char sort_store[256];
	const char *sort = url_param(req->url, "sort");
	json_t *after;
	char *url = NULL;
	enum db_status st;
	enum http_status status;
	enum export_format format;

	status = params_list(req, kind, &q, sort_store, sizeof(sort_store),
	    &after, res);
	if (status != HTTP_OK)
		return status;
	if ((status = export_format(req, &format, res)) != HTTP_OK) {
		json_decref(after);
		return status;
	}
	st = query_list(req->db, kind, &q, &page);
	json_decref(after);
	if (st == DB_OK && q.nfacets > 0 && (st = facet_counts(req->db, kind,
	    &q, &page.facets)) != DB_OK) {
		free(page.items);
		json_decref(page.next_after);
	}
	if (st == DB_BAD_QUERY)
		return cursor_unlisted(res);
	if (st != DB_OK)
		return fail_store(res, st, NULL, NULL);
	if (page.next_after != NULL) {
		status = page_link(req, sort != NULL ? sort : "",
		    page.next_after, NULL, &url, res);
		json_decref(page.next_after);
		if (status != HTTP_OK) {
			free(page.items);
			json_decref(page.facets);
			return status;
		}
	}
	return format == EXPORT_JSON ? page_body(&page, url, res) :
	    export_page(kind, &page, url, format, res);
}

/* What a record's own route takes (params_view). */
static const char *const view_params[] = { "fields", "embed", NULL };

static enum http_status
get(const struct request *req, struct response *res, enum db_kind kind,
    const char *what)
{
	const char *id = req->match->params[0];
	struct selection view;
	enum db_status st;

	if (params_view(req, kind, &view, res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	st = record_get(req->db, kind, id, &res->json);
	if (st == DB_OK)
		st = selection_apply(req->db, kind, res->json, &view);
	return st == DB_OK ? page_compact(res) : fail_store(res, st, what,
	    id);
}

static enum http_status
healthz(const struct request *req, struct response *res)
{
	(void)req;
	res->json = json_pack("{s:s}", "status", "ok");
	return res->json != NULL ? HTTP_OK : fail_memory(res);
}

static enum http_status
readyz(const struct request *req, struct response *res)
{
	if (req->draining)
		return problem(res, HTTP_SERVICE_UNAVAILABLE, "shutting down");
	if (req->checking)
		return problem(res, HTTP_SERVICE_UNAVAILABLE, "the database is "
		    "being checked");
	res->json = json_pack("{s:s}", "status", "ready");
	return res->json != NULL ? HTTP_OK : fail_memory(res);
}

static enum http_status
version(const struct request *req, struct response *res)
{
	char digest[65];
	enum db_status st;

	st = db_data_digest(req->db, digest);
	if (st != DB_OK)
		return fail_store(res, st, NULL, NULL);
	res->json = json_pack("{s:s, s:s, s:I, s:s}", "version",
	    ACCORD_VERSION, "sqlite", sqlite3_libversion(), "schema",
	    (json_int_t)schema_count, "data_sha256", digest);
	return res->json != NULL ? HTTP_OK : fail_memory(res);
}

static enum http_status
metrics(const struct request *req, struct response *res)
{
	(void)req;
	res->body = metrics_render(&res->body_len);
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	if (res->body == NULL)
		return fail_memory(res);
	return HTTP_OK;
}

static enum http_status
openapi_yaml(const struct request *req, struct response *res)
{
	(void)req;
	res->static_body = assets_openapi_yaml;
	res->body_len = assets_openapi_yaml_len;
	res->content_type = "application/yaml";
	return HTTP_OK;
}

static enum http_status
openapi_json(const struct request *req, struct response *res)
{
	(void)req;
	res->static_body = assets_openapi_json;
	res->body_len = assets_openapi_json_len;
	res->content_type = "application/json";
	return HTTP_OK;
}

static enum http_status
sources(const struct request *req, struct response *res)
{
	return list(req, res, DB_SOURCES);
}

static enum http_status
source(const struct request *req, struct response *res)
{
	return get(req, res, DB_SOURCES, "source");
}

static const char *const text_params[] = { "start", "end", "unit", NULL };
static const char *const units[] = { "codepoint", "byte", "utf16", NULL };

/* Reads an offset parameter, an integer from 0 to SIZE_MAX / 2, into
 * *out (fallback when absent). Returns HTTP_OK or 400. */
static enum http_status
offset_param(const struct request *req, struct response *res,
    const char *name, size_t fallback, size_t *out)
{
	const char *v = url_param(req->url, name);
	const char *errstr;
	long long n;

	*out = fallback;
	if (v == NULL)
		return HTTP_OK;
	n = num_parse(v, 0, (long long)(SIZE_MAX / 2), &errstr);
	/* An offset never had a sign: "-0" stays refused. */
	if (errstr != NULL || v[0] == '-')
		return problem(res, HTTP_BAD_REQUEST, "%s must be a "
		    "non-negative integer", name);
	*out = (size_t)n;
	return HTTP_OK;
}

static enum http_status
source_text(const struct request *req, struct response *res)
{
	const char *id = req->match->params[0];
	const char *unit_name = url_param(req->url, "unit");
	enum utf8_unit unit = UTF8_CODEPOINTS;
	size_t start, end, from, to;
	enum db_status st;
	enum http_status status;

	res->content_type = "text/plain; charset=utf-8";
	st = record_text(req->db, id, &res->body, &res->body_len);
	if (st != DB_OK)
		return fail_store(res, st, "source", id);
	if (url_param(req->url, "start") == NULL &&
	    url_param(req->url, "end") == NULL && unit_name == NULL) {
		res->ranges = true;
		return HTTP_OK;
	}
	if (unit_name != NULL) {
		if (vocab_find(units, unit_name) == NULL)
			return problem(res, HTTP_BAD_REQUEST, "unit must be "
			    "codepoint, byte or utf16");
		unit = unit_name[0] == 'b' ? UTF8_BYTES : unit_name[0] == 'u' ?
		    UTF8_UTF16 : UTF8_CODEPOINTS;
	}
	if ((status = offset_param(req, res, "start", 0, &start)) != HTTP_OK ||
	    (status = offset_param(req, res, "end", SIZE_MAX, &end)) != HTTP_OK)
		return status;
	if (end == SIZE_MAX)
		to = res->body_len;
	else if (!utf8_offset(res->body, res->body_len, unit, end, &to))
		goto out_of_text;
	if (!utf8_offset(res->body, res->body_len, unit, start, &from))
		goto out_of_text;
	if (from > to)
		return problem(res, HTTP_BAD_REQUEST, "start must not exceed "
		    "end");
	memmove(res->body, res->body + from, to - from);
	res->body_len = to - from;
	return HTTP_OK;

out_of_text:
	return problem(res, HTTP_BAD_REQUEST, "start and end must lie within "
	    "the text, on character boundaries, in %s units",
	    unit_name != NULL ? unit_name : "codepoint");
}

/* Every span in one article, whatever cites it (highlight.c). */
static enum http_status
source_spans(const struct request *req, struct response *res)
{
	const char *id = req->match->params[0];
	enum db_status st = highlight_source(req->db, id, &res->json);

	return st == DB_OK ? HTTP_OK : fail_store(res, st, "source", id);
}

static const char *const timeline_params[] = { "undated", NULL };

/* Every dated agreement, outcome and claim value, in time order
 * (timeline.c); ?undated=false leaves the undated out. */
static enum http_status
timeline(const struct request *req, struct response *res)
{
	const char *undated = url_param(req->url, "undated");
	json_t *items;
	enum db_status st;

	if (undated != NULL && strcmp(undated, "true") != 0 &&
	    strcmp(undated, "false") != 0)
		return problem(res, HTTP_BAD_REQUEST, "undated must be true "
		    "or false");
	st = timeline_items(req->db, undated == NULL || undated[0] == 't',
	    &items);
	if (st != DB_OK)
		return fail_store(res, st, NULL, NULL);
	res->json = json_pack("{s:o}", "items", items);
	return res->json != NULL ? HTTP_OK : fail_memory(res);
}

static enum http_status
participants(const struct request *req, struct response *res)
{
	return list(req, res, DB_PARTICIPANTS);
}

static enum http_status
participant(const struct request *req, struct response *res)
{
	return get(req, res, DB_PARTICIPANTS, "participant");
}

static const char *const participant_page_params[] = { "limit", "cursor",
    NULL };

/* A page of one participant's rows, read by keyset. */
struct participant_pager {
	const char *name;	/* the cursor's sort name */
	size_t nkeys;
	enum db_status (*page)(struct db *, const char *, const json_t *,
	    size_t, json_t **, json_t **);
	int (*shape)(json_t *);	/* each row made an item, or NULL */
};

/* Serves a page of the participant's rows that `pager` reads: limit,
 * cursor, its items and the next link. */
static enum http_status
participant_page(const struct request *req, struct response *res,
    const struct participant_pager *pager)
{
	const char *id = req->match->params[0];
	struct query_page page = { .count = -1 };
	json_t *after, *items, *next, *item;
	long long n = 50;
	char *url = NULL;
	enum db_status st;
	enum http_status status;
	size_t i;

	if (params_number(req, "limit", 1, LISTS_LIMIT_MAX, &n, res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	status = cursor_read(req, pager->name, pager->nkeys, &after, res);
	if (status != HTTP_OK)
		return status;
	st = pager->page(req->db, id, after, (size_t)n, &items, &next);
	json_decref(after);
	if (st == DB_BAD_QUERY)
		return cursor_unlisted(res);
	if (st != DB_OK)
		return fail_store(res, st, "participant", id);
	json_array_foreach(items, i, item)
		if (pager->shape != NULL && pager->shape(item) != 0)
			break;
	page.items = i == json_array_size(items) ?
	    json_dumps(items, JSON_COMPACT) : NULL;
	json_decref(items);
	page.items_len = page.items != NULL ? strlen(page.items) : 0;
	if (next != NULL) {
		status = page_link(req, pager->name, next, NULL, &url, res);
		json_decref(next);
		if (status != HTTP_OK) {
			free(page.items);
			return status;
		}
	}
	if (page.items == NULL) {
		free(url);
		return fail_memory(res);
	}
	return page_body(&page, url, res);
}

/* What a participant said: its statements, a keyset page at a time. */
static enum http_status
statements(const struct request *req, struct response *res)
{
	static const struct participant_pager pager = { "statements",
	    STATEMENT_KEYS, statement_page, record_statement };

	return participant_page(req, res, &pager);
}

/* Where the articles name a participant: its mentions, a keyset page at
 * a time (the rest of a list item's capped mentions). */
static enum http_status
mentions(const struct request *req, struct response *res)
{
	static const struct participant_pager pager = { "mentions",
	    MENTIONS_KEYS, mentions_page, NULL };

	return participant_page(req, res, &pager);
}

static enum http_status
agreements(const struct request *req, struct response *res)
{
	return list(req, res, DB_AGREEMENTS);
}

static enum http_status
agreement(const struct request *req, struct response *res)
{
	return get(req, res, DB_AGREEMENTS, "agreement");
}

static enum http_status
outcomes(const struct request *req, struct response *res)
{
	return list(req, res, DB_OUTCOMES);
}

static enum http_status
outcome(const struct request *req, struct response *res)
{
	return get(req, res, DB_OUTCOMES, "outcome");
}

static enum http_status
claims(const struct request *req, struct response *res)
{
	return list(req, res, DB_CLAIMS);
}

static enum http_status
claim(const struct request *req, struct response *res)
{
	return get(req, res, DB_CLAIMS, "claim");
}

const struct route api_routes[] = {
	{ "GET", "/", viewer_root, NULL, 1 },
	{ "GET", "/viewer/{file}", viewer_asset, NULL, 1 },
	{ "GET", "/healthz", healthz, NULL, 1 },
	{ "GET", "/readyz", readyz, NULL, 1 },
	{ "GET", "/version", version, NULL, 0 },
	{ "GET", "/metrics", metrics, NULL, 1 },
	{ "GET", "/openapi.yaml", openapi_yaml, NULL, 1 },
	{ "GET", "/openapi.json", openapi_json, NULL, 1 },
	{ "GET", "/sources", sources, NULL, 0 },
	{ "GET", "/sources/{id}", source, view_params, 0 },
	{ "GET", "/sources/{id}/text", source_text, text_params, 0 },
	{ "GET", "/sources/{id}/spans", source_spans, NULL, 0 },
	{ "GET", "/participants", participants, NULL, 0 },
	{ "GET", "/participants/{id}", participant, view_params, 0 },
	{ "GET", "/participants/{id}/statements", statements,
	    participant_page_params, 0 },
	{ "GET", "/participants/{id}/mentions", mentions, participant_page_params,
	    0 },
	{ "GET", "/agreements", agreements, NULL, 0 },
	{ "GET", "/agreements/{id}", agreement, view_params, 0 },
	{ "GET", "/outcomes", outcomes, NULL, 0 },
	{ "GET", "/outcomes/{id}", outcome, view_params, 0 },
	{ "GET", "/claims", claims, NULL, 0 },
	{ "GET", "/claims/{id}", claim, view_params, 0 },
	{ "GET", "/search", find_search, find_params, 0 },
	{ "GET", "/timeline", timeline, timeline_params, 0 },
	{ "GET", "/annotations", annotation_page, annotation_params, 0 },
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
	const struct route *route = req->match->route;
	const struct list_spec *list = lists_at(route->pattern);

	for (size_t i = 0; i < req->url->nparams; i++) {
		const char *name = req->url->params[i].name;
		if (!listed(common_params, name) && (list != NULL ?
		    !lists_accepts(list, name) : !listed(route->params, name)))
			return name;
	}
	return NULL;
}
