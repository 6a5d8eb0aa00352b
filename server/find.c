#include "find.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "export.h"
#include "fail.h"
#include "page.h"
#include "params.h"
#include "search.h"
#include "vocab.h"

const char *const find_params[] = { "q", "kind", "limit", "cursor", "count",
    "format", NULL };

static const char *const kinds[] = { "source", "participant", "agreement",
    "outcome", "claim", NULL };

/* The sort a cursor of /search names: its keys are [hits given so far]. */
#define FIND_SORT "rank"

/* Reads q, kind, limit and cursor into *s, count into *count. */
static enum http_status
read_params(const struct request *req, struct search_query *s, bool *count,
    struct response *res)
{
	const char *c = url_param(req->url, "count");
	long long limit = SEARCH_LIMIT;
	json_t *after = NULL, *at;
	char allowed[96];

	s->q = url_param(req->url, "q");
	s->kind = url_param(req->url, "kind");
	if (s->q == NULL || s->q[0] == '\0' || strlen(s->q) > 256)
		return problem(res, HTTP_BAD_REQUEST, "q must be a search "
		    "query of 1 to 256 bytes");
	if (s->kind != NULL && vocab_find(kinds, s->kind) == NULL) {
		vocab_join(kinds, allowed, sizeof(allowed));
		return problem(res, HTTP_BAD_REQUEST, "kind must be one of: %s",
		    allowed);
	}
	if (params_number(req, "limit", 1, SEARCH_MAX, &limit, res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	s->limit = (size_t)limit;
	if (c != NULL && strcmp(c, "true") != 0 && strcmp(c, "false") != 0)
		return problem(res, HTTP_BAD_REQUEST, "count must be true or "
		    "false");
	*count = c != NULL && c[0] == 't';
	if (cursor_read(req, FIND_SORT, 1, &after, res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	at = json_array_get(after, 0);
	s->offset = at != NULL && json_is_integer(at) &&
	    json_integer_value(at) > 0 ? (size_t)json_integer_value(at) : 0;
	if (after != NULL && s->offset == 0) {
		json_decref(after);
		return cursor_unlisted(res);
	}
	json_decref(after);
	return HTTP_OK;
}

/* Makes the link to the page after s, which gave `given` hits, into *url
 * (caller frees). */
static enum http_status
next_link(const struct request *req, const struct search_query *s,
    size_t given, char **url, struct response *res)
{
	json_t *keys = json_pack("[I]", (json_int_t)(s->offset + given));
	enum http_status status;

	if (keys == NULL)
		return fail_memory(res);
	status = page_link(req, FIND_SORT, keys, NULL, url, res);
	json_decref(keys);
	return status;
}

enum http_status
find_search(const struct request *req, struct response *res)
{
	struct search_query s;
	json_t *hits = NULL;
	long long total = -1;
	char *url = NULL;
	bool count = false, more = false;
	enum db_status st;
	enum http_status status;
	enum export_format format;

	if ((status = read_params(req, &s, &count, res)) != HTTP_OK ||
	    (status = export_format(req, &format, res)) != HTTP_OK)
		return status;
	st = search_run(req->db, &s, &hits, &more);
	if (st == DB_OK && count)
		st = search_count(req->db, &s, &total);
	if (st == DB_BAD_QUERY)
		return problem(res, HTTP_BAD_REQUEST, "q is not a valid "
		    "full-text query (SQLite FTS5 syntax): quote phrases with "
		    "\"...\"");
	if (st != DB_OK) {
		json_decref(hits);
		return fail_store(res, st, NULL, NULL);
	}
	if (more && (status = next_link(req, &s, json_array_size(hits), &url,
	    res)) != HTTP_OK) {
		json_decref(hits);
		return status;
	}
	if (format != EXPORT_JSON) {
		free(url);
		status = export_hits(hits, format, res);
		json_decref(hits);
		return status;
	}
	res->json = json_pack("{s:s, s:o, s:s?}", "query", s.q, "items",
	    hits, "next", url);
	if (res->json != NULL && total >= 0)
		json_object_set_new(res->json, "count", json_integer(total));
	free(url);
	return page_compact(res);
}
