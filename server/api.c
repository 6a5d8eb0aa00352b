#include "api.h"

#include <nettle/base64.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "assets.h"
#include "db.h"
#include "http.h"
#include "id.h"
#include "metrics.h"
#include "schema.h"
#include "utf8.h"
#include "version.h"
#include "vocab.h"

/* Parameters every route accepts. */
static const char *const common_params[] = { "pretty", NULL };

/* The page size when none is asked, and the most that may be: of the
 * lists, and of /annotations. */
#define LIST_LIMIT 50
#define LIST_LIMIT_MAX 500
#define ANNOTATION_LIMIT 100
#define ANNOTATION_LIMIT_MAX 500

enum value_type { V_ID, V_ENUM, V_DATE, V_BOOL, V_COUNTRY };

/* A filter parameter of a list: its name, the store parameter it binds,
 * and what its values may be. */
struct filter {
	const char *name;
	enum db_param param;
	enum value_type type;
	const char *const *allowed;	/* for V_ENUM */
};

static const struct filter source_filters[] = {
	{ "participant", DB_PARAM_PARTICIPANT, V_ID, NULL },
	{ "date_from", DB_PARAM_DATE_FROM, V_DATE, NULL },
	{ "date_to", DB_PARAM_DATE_TO, V_DATE, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct filter participant_filters[] = {
	{ "source", DB_PARAM_SOURCE, V_ID, NULL },
	{ "kind", DB_PARAM_KIND, V_ENUM, vocab_participant_kinds },
	{ "role", DB_PARAM_ROLE, V_ENUM, vocab_participant_roles },
	{ "country", DB_PARAM_COUNTRY, V_COUNTRY, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct filter agreement_filters[] = {
	{ "source", DB_PARAM_SOURCE, V_ID, NULL },
	{ "participant", DB_PARAM_PARTICIPANT, V_ID, NULL },
	{ "status", DB_PARAM_STATUS, V_ENUM, vocab_agreement_statuses },
	{ "date_from", DB_PARAM_DATE_FROM, V_DATE, NULL },
	{ "date_to", DB_PARAM_DATE_TO, V_DATE, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct filter outcome_filters[] = {
	{ "source", DB_PARAM_SOURCE, V_ID, NULL },
	{ "participant", DB_PARAM_PARTICIPANT, V_ID, NULL },
	{ "status", DB_PARAM_STATUS, V_ENUM, vocab_outcome_statuses },
	{ "kind", DB_PARAM_KIND, V_ENUM, vocab_outcome_kinds },
	{ "agreement", DB_PARAM_AGREEMENT, V_ID, NULL },
	{ "date_from", DB_PARAM_DATE_FROM, V_DATE, NULL },
	{ "date_to", DB_PARAM_DATE_TO, V_DATE, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct filter claim_filters[] = {
	{ "source", DB_PARAM_SOURCE, V_ID, NULL },
	{ "participant", DB_PARAM_PARTICIPANT, V_ID, NULL },
	{ "disputed", DB_PARAM_DISPUTED, V_BOOL, NULL },
	{ NULL, 0, 0, NULL },
};

/* The query parameters of each list route: its filters and these. */
#define LIST_PARAMS "limit", "cursor", "count", "sort"
static const char *const source_params[] = { LIST_PARAMS, "participant",
    "date_from", "date_to", NULL };
static const char *const participant_params[] = { LIST_PARAMS, "source",
    "kind", "role", "country", "mentions", NULL };
static const char *const agreement_params[] = { LIST_PARAMS, "source",
    "participant", "status", "date_from", "date_to", NULL };
static const char *const outcome_params[] = { LIST_PARAMS, "source",
    "participant", "status", "kind", "agreement", "date_from", "date_to",
    NULL };
static const char *const claim_params[] = { LIST_PARAMS, "source",
    "participant", "disputed", NULL };

/* Maps a store status to an HTTP status, with a detail on failure. */
static enum http_status
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
	case DB_BAD_QUERY:
		break;
	}
	snprintf(res->detail, sizeof(res->detail), "the database failed");
	return 500;
}

/* Checks one filter value; returns 0, or 400 with a detail. The value
 * bound is stored in *bound (a static string for booleans). */
static enum http_status
check_filter(const struct filter *f, const char *value, const char **bound,
    struct response *res)
{
	char allowed[160];

	*bound = value;
	switch (f->type) {
	case V_ID:
		if (id_valid(value, strlen(value)))
			return 0;
		snprintf(res->detail, sizeof(res->detail), "%s must be an id: "
		    "^[a-z0-9]+(-[a-z0-9]+)*$, at most 64 characters", f->name);
		return 400;
	case V_ENUM:
		if (vocab_find(f->allowed, value) != NULL)
			return 0;
		vocab_join(f->allowed, allowed, sizeof(allowed));
		snprintf(res->detail, sizeof(res->detail), "%s must be one "
		    "of: %s", f->name, allowed);
		return 400;
	case V_DATE:
		if (vocab_valid_date(value, strlen(value)))
			return 0;
		snprintf(res->detail, sizeof(res->detail), "%s must be an ISO "
		    "8601 date: YYYY, YYYY-MM or YYYY-MM-DD", f->name);
		return 400;
	case V_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0) {
			*bound = value[0] == 't' ? "1" : "0";
			return 0;
		}
		snprintf(res->detail, sizeof(res->detail), "%s must be true or "
		    "false", f->name);
		return 400;
	case V_COUNTRY:
		if (vocab_valid_country(value))
			return 0;
		snprintf(res->detail, sizeof(res->detail), "%s must be an ISO "
		    "3166-1 alpha-2 code such as CN", f->name);
		return 400;
	}
	return 400;
}

/* Checks that q's date range, when it has both ends (each a valid date),
 * holds a day: returns 0, or 400 with a detail when date_to's last day
 * comes before date_from's first. */
static enum http_status
check_date_range(const struct db_query *q, struct response *res)
{
	const char *from = q->params[DB_PARAM_DATE_FROM];
	const char *to = q->params[DB_PARAM_DATE_TO];

	if (from == NULL || to == NULL || vocab_dates_ordered(from, to))
		return 0;
	snprintf(res->detail, sizeof(res->detail), "date_to must not end "
	    "before date_from begins: %s ends before %s begins", to, from);
	return 400;
}

/* Parses sort=field,-field into q. Returns 0, or 400 with a detail. */
static enum http_status
parse_sort(const char *value, enum db_kind kind, struct db_query *q,
    char *store, size_t size, struct response *res)
{
	char *save = NULL;

	snprintf(store, size, "%s", value);
	for (char *tok = strtok_r(store, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		bool desc = tok[0] == '-';
		const char *field = desc ? tok + 1 : tok;
		if (q->nsort == DB_SORT_MAX) {
			snprintf(res->detail, sizeof(res->detail), "sort takes "
			    "at most %d fields", DB_SORT_MAX);
			return 400;
		}
		if (!db_sortable(kind, field)) {
			snprintf(res->detail, sizeof(res->detail), "cannot "
			    "sort by \"%.40s\"", field);
			return 400;
		}
		for (size_t i = 0; i < q->nsort; i++)
			if (strcmp(q->sort[i].field, field) == 0) {
				snprintf(res->detail, sizeof(res->detail),
				    "sort names \"%.40s\" twice", field);
				return 400;
			}
		q->sort[q->nsort++] = (struct db_sort){ field, desc };
	}
	if (q->nsort == 0) {
		snprintf(res->detail, sizeof(res->detail), "sort names no "
		    "field");
		return 400;
	}
	return 0;
}

/* Returns a new cursor (caller frees): base64url of {"s": sort, "k":
 * keys}, so that a cursor only continues the listing it came from. */
static char *
encode_cursor(const char *sort, json_t *keys)
{
	struct base64_encode_ctx ctx;
	json_t *doc = json_pack("{s:s, s:O}", "s", sort, "k", keys);
	char *text, *out;
	size_t len, n;

	if (doc == NULL)
		return NULL;
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text == NULL)
		return NULL;
	len = strlen(text);
	out = malloc(BASE64_ENCODE_LENGTH(len) + BASE64_ENCODE_FINAL_LENGTH + 1);
	if (out != NULL) {
		base64url_encode_init(&ctx);
		n = base64_encode_update(&ctx, out, len, (const uint8_t *)text);
		n += base64_encode_final(&ctx, out + n);
		while (n > 0 && out[n - 1] == '=')	/* unpadded */
			n--;
		out[n] = '\0';
	}
	free(text);
	return out;
}

/*
 * Decodes a cursor into the keys it carries (a new reference, caller
 * decrefs), or NULL when it is not one this listing (sort) could have
 * made. Only the canonical form is accepted: encode_cursor of the decoded
 * sort and keys must give back exactly `cursor`, which refuses padding
 * ('='), non-zero trailing bits, other JSON spellings (spaces, escapes,
 * member order), extra members and duplicate ones. Its "s" must equal
 * sort and its "k" be an array; the count and types of the keys, and
 * whether they name a record of the listing, are db_list's to check.
 */
static json_t *
decode_cursor(const char *cursor, const char *sort)
{
	struct base64_decode_ctx ctx;
	size_t len = strlen(cursor), n = 0;
	char padded[1100];
	uint8_t *raw;
	json_t *doc, *keys = NULL;
	char *again;

	if (len == 0 || len > 1024)
		return NULL;
	memcpy(padded, cursor, len);
	while (len % 4 != 0)
		padded[len++] = '=';
	raw = malloc(BASE64_DECODE_LENGTH(len) + 1);
	if (raw == NULL)
		return NULL;
	base64url_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, raw, len, padded) ||
	    !base64_decode_final(&ctx)) {
		free(raw);
		return NULL;
	}
	doc = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (doc != NULL && json_is_string(json_object_get(doc, "s")) &&
	    strcmp(json_string_value(json_object_get(doc, "s")), sort) == 0 &&
	    json_is_array(json_object_get(doc, "k"))) {
		again = encode_cursor(sort, json_object_get(doc, "k"));
		if (again != NULL && strcmp(again, cursor) == 0)
			keys = json_incref(json_object_get(doc, "k"));
		free(again);
	}
	json_decref(doc);
	return keys;
}

/* Appends s percent-encoded (all but unreserved characters) to buf. */
static bool
append_encoded(char *buf, size_t size, size_t *len, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*len + 4 >= size)
			return false;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf[(*len)++] = (char)*p;
		} else {
			buf[(*len)++] = '%';
			buf[(*len)++] = hex[*p >> 4];
			buf[(*len)++] = hex[*p & 15];
		}
	}
	buf[*len] = '\0';
	return true;
}

/*
 * Returns the URL of a page of this listing (caller frees): this
 * request's path and parameters, in their order, with `cursor` (when not
 * NULL) last instead of the request's; with limit=`limit` before it when
 * `limit` is not NULL and the request has none. NULL when it does not
 * fit in 4 KiB.
 */
static char *
next_url(const struct request *req, const char *cursor, const char *limit)
{
	const char *names[URL_MAX_PARAMS + 2], *values[URL_MAX_PARAMS + 2];
	size_t n = 0, len;
	char buf[4096];

	for (size_t i = 0; i < req->url->nparams && n < URL_MAX_PARAMS; i++)
		if (strcmp(req->url->params[i].name, "cursor") != 0) {
			names[n] = req->url->params[i].name;
			values[n++] = req->url->params[i].value;
		}
	if (limit != NULL && url_param(req->url, "limit") == NULL) {
		names[n] = "limit";
		values[n++] = limit;
	}
	if (cursor != NULL) {
		names[n] = "cursor";
		values[n++] = cursor;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "%s", req->url->path);
	if (len >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (len + 2 >= sizeof(buf))
			return NULL;
		buf[len++] = i == 0 ? '?' : '&';
		if (!append_encoded(buf, sizeof(buf), &len, names[i]) ||
		    len + 2 >= sizeof(buf))
			return NULL;
		buf[len++] = '=';
		if (!append_encoded(buf, sizeof(buf), &len, values[i]))
			return NULL;
	}
	return strdup(buf);
}

/* Reads ?limit= into *out (dflt when absent). Returns 0, or 400 with a
 * detail when it is not an integer from 1 to max. */
static enum http_status
parse_limit(const struct request *req, size_t dflt, size_t max, size_t *out,
    struct response *res)
{
	const char *limit = url_param(req->url, "limit");
	char *end;
	long n;

	*out = dflt;
	if (limit == NULL)
		return 0;
	n = strtol(limit, &end, 10);
	if (*limit == '\0' || *end != '\0' || n < 1 || (unsigned long)n > max) {
		snprintf(res->detail, sizeof(res->detail), "limit must be an "
		    "integer from 1 to %zu", max);
		return 400;
	}
	*out = (size_t)n;
	return 0;
}

/*
 * Reads ?cursor= of a listing whose cursors carry `sort` and nkeys keys:
 * stores its keys in *after (a new reference, caller decrefs; NULL when
 * there is no cursor) and returns 0, or returns 400 with a detail when it
 * is not one this listing could have given (see decode_cursor). Whether
 * the keys name a record of the listing is the store's to check.
 */
static enum http_status
parse_cursor(const struct request *req, const char *sort, size_t nkeys,
    json_t **after, struct response *res)
{
	const char *cursor = url_param(req->url, "cursor");

	*after = NULL;
	if (cursor == NULL)
		return 0;
	*after = decode_cursor(cursor, sort);
	if (*after == NULL || json_array_size(*after) != nkeys) {
		json_decref(*after);
		*after = NULL;
		snprintf(res->detail, sizeof(res->detail), "cursor is not one "
		    "this listing gave (it must come unchanged from a next link "
		    "with the same sort)");
		return 400;
	}
	return 0;
}

/* The 400 for a cursor whose keys the store refused (DB_BAD_QUERY). */
static enum http_status
unlisted_cursor(struct response *res)
{
	snprintf(res->detail, sizeof(res->detail), "cursor is not one this "
	    "listing gave (it names no record of this listing, with the same "
	    "sort and filters)");
	return 400;
}

/*
 * Makes the URL of the next page, whose cursor carries `sort` and `keys`
 * (borrowed), into *url (caller frees) and res's Link header; limit is
 * next_url's. Returns 0, or 500 with a detail.
 */
static enum http_status
next_link(const struct request *req, const char *sort, json_t *keys,
    const char *limit, char **url, struct response *res)
{
	char *cursor = encode_cursor(sort, keys);

	*url = cursor != NULL ? next_url(req, cursor, limit) : NULL;
	free(cursor);
	if (*url == NULL)
		return status_of(DB_ERROR, res, NULL, NULL);
	if (asprintf(&res->link, "<%s>; rel=\"next\"", *url) < 0)
		res->link = NULL;
	return 0;
}

/* Reads the paging parameters into q. Returns 0, or 400 with a detail. */
static enum http_status
parse_paging(const struct request *req, enum db_kind kind,
    struct db_query *q, char *sort_store, size_t sort_size,
    struct response *res)
{
	const char *count = url_param(req->url, "count");
	const char *sort = url_param(req->url, "sort");
	enum http_status bad;

	if ((bad = parse_limit(req, LIST_LIMIT, LIST_LIMIT_MAX, &q->limit,
	    res)) != 0)
		return bad;
	if (count != NULL) {
		if (strcmp(count, "true") != 0 && strcmp(count, "false") != 0) {
			snprintf(res->detail, sizeof(res->detail), "count must "
			    "be true or false");
			return 400;
		}
		q->count = count[0] == 't';
	}
	if (sort != NULL && (bad = parse_sort(sort, kind, q, sort_store,
	    sort_size, res)) != 0)
		return bad;
	return 0;
}

/*
 * Sets res's body to {"items": [...], "next": url or null, "count": n}
 * (count only when counted), compact, from the page's rendered items
 * (freed) and url (freed; may be NULL).
 */
static enum http_status
page_body(struct db_page *page, char *url, struct response *res)
{
	json_t *next = url != NULL ? json_string(url) : json_null();
	char *next_json = next != NULL ? json_dumps(next, JSON_ENCODE_ANY) :
	    NULL;
	char count[32] = "";
	int n;

	json_decref(next);
	free(url);
	if (page->count >= 0)
		snprintf(count, sizeof(count), ",\"count\":%lld", page->count);
	n = next_json == NULL ? -1 : asprintf(&res->body,
	    "{\"items\":%s,\"next\":%s%s}", page->items, next_json, count);
	free(next_json);
	free(page->items);
	if (n < 0) {
		res->body = NULL;
		return status_of(DB_ERROR, res, NULL, NULL);
	}
	res->body_len = (size_t)n;
	res->json_text = true;
	return 200;
}

/* Parses ?mentions=N (participants: at most N mentions per item) into q;
 * returns 0, or 400 with a detail. */
static enum http_status
parse_mentions(const struct request *req, struct db_query *q,
    struct response *res)
{
	const char *mentions = url_param(req->url, "mentions");
	char *end;
	long n;

	if (mentions == NULL)
		return 0;
	n = strtol(mentions, &end, 10);
	if (*mentions == '\0' || *end != '\0' || n < 0 || n > LIST_LIMIT_MAX) {
		snprintf(res->detail, sizeof(res->detail), "mentions must be "
		    "an integer from 0 to %d", LIST_LIMIT_MAX);
		return 400;
	}
	q->cap_mentions = true;
	q->mentions = (size_t)n;
	return 0;
}

static enum http_status
list(const struct request *req, struct response *res, enum db_kind kind,
    const struct filter *filters)
{
	struct db_query q = { 0 };
	struct db_page page;
	char sort_store[256];
	const char *sort = url_param(req->url, "sort");
	json_t *after = NULL;
	char *url = NULL;
	enum db_status st;
	enum http_status bad;

	for (const struct filter *f = filters; f->name != NULL; f++) {
		const char *value = url_param(req->url, f->name);
		if (value != NULL && (bad = check_filter(f, value,
		    &q.params[f->param], res)) != 0)
			return bad;
	}
	if ((bad = check_date_range(&q, res)) != 0)
		return bad;
	if ((bad = parse_paging(req, kind, &q, sort_store, sizeof(sort_store),
	    res)) != 0)
		return bad;
	if (kind == DB_PARTICIPANTS && (bad = parse_mentions(req, &q,
	    res)) != 0)
		return bad;
	if ((bad = parse_cursor(req, sort != NULL ? sort : "", q.nsort + 1,
	    &after, res)) != 0)
		return bad;
	q.after = after;
	st = db_list(req->db, kind, &q, &page);
	json_decref(after);
	if (st == DB_BAD_QUERY)
		return unlisted_cursor(res);
	if (st != DB_OK)
		return status_of(st, res, NULL, NULL);
	if (page.next_after != NULL) {
		bad = next_link(req, sort != NULL ? sort : "", page.next_after,
		    NULL, &url, res);
		json_decref(page.next_after);
		if (bad != 0) {
			free(page.items);
			return bad;
		}
	}
	return page_body(&page, url, res);
}

static const char *const search_kinds[] = { "source", "participant",
    "agreement", "outcome", "claim", NULL };
static const char *const search_params[] = { "q", "kind", "limit", NULL };

static enum http_status
search(const struct request *req, struct response *res)
{
	const char *q = url_param(req->url, "q");
	const char *kind = url_param(req->url, "kind");
	const char *limit = url_param(req->url, "limit");
	size_t n = 20;
	json_t *hits;
	enum db_status st;
	char allowed[96];

	if (q == NULL || q[0] == '\0' || strlen(q) > 256) {
		snprintf(res->detail, sizeof(res->detail), "q must be a "
		    "search query of 1 to 256 bytes");
		return 400;
	}
	if (kind != NULL && vocab_find(search_kinds, kind) == NULL) {
		vocab_join(search_kinds, allowed, sizeof(allowed));
		snprintf(res->detail, sizeof(res->detail), "kind must be one "
		    "of: %s", allowed);
		return 400;
	}
	if (limit != NULL) {
		char *end;
		long v = strtol(limit, &end, 10);
		if (*limit == '\0' || *end != '\0' || v < 1 ||
		    v > DB_SEARCH_MAX) {
			snprintf(res->detail, sizeof(res->detail), "limit must "
			    "be an integer from 1 to %d", DB_SEARCH_MAX);
			return 400;
		}
		n = (size_t)v;
	}
	st = db_search(req->db, q, kind, n, &hits);
	if (st == DB_BAD_QUERY) {
		snprintf(res->detail, sizeof(res->detail), "q is not a valid "
		    "full-text query (SQLite FTS5 syntax): quote phrases with "
		    "\"...\"");
		return 400;
	}
	if (st != DB_OK)
		return status_of(st, res, NULL, NULL);
	res->json = json_pack("{s:s, s:o}", "query", q, "items", hits);
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

/* Returns a new W3C Web Annotation for one row of db_annotations, the
 * n-th (from 1) of the collection. */
static json_t *
annotation(json_t *row, long long n)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	const char *ref = json_string_value(json_object_get(row, "ref"));
	const char *value = json_string_value(json_object_get(row, "value"));
	const char *source = json_string_value(json_object_get(row, "source"));
	const char *plural = strcmp(kind, "participant") == 0 ? "participants" :
	    strcmp(kind, "agreement") == 0 ? "agreements" :
	    strcmp(kind, "outcome") == 0 ? "outcomes" :
	    strcmp(kind, "claim") == 0 ? "claims" : "sources";
	char id[48], body[160], target[160];
	json_t *anno, *bodies;

	snprintf(id, sizeof(id), "/annotations#%lld", n);
	snprintf(body, sizeof(body), "/%s/%s", plural, ref);
	snprintf(target, sizeof(target), "/sources/%s/text", source);
	bodies = json_pack("[{s:s, s:s}]", "id", body, "purpose",
	    strcmp(kind, "participant") == 0 ? "identifying" : "describing");
	if (bodies != NULL && value != NULL)
		json_array_append_new(bodies, json_pack("{s:s, s:s, s:s}",
		    "type", "TextualBody", "value", value, "purpose",
		    "describing"));
	anno = json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:s, s:[{s:s, s:O, "
	    "s:O, s:O}, {s:s, s:O, s:O}]}}",
	    "id", id, "type", "Annotation", "motivation",
	    strcmp(kind, "participant") == 0 ? "identifying" : "describing",
	    "body", bodies,
	    "target", "source", target, "type", "Text", "selector",
	    "type", "TextQuoteSelector", "exact", json_object_get(row, "exact"),
	    "prefix", json_object_get(row, "prefix"),
	    "suffix", json_object_get(row, "suffix"),
	    "type", "TextPositionSelector", "start",
	    json_object_get(row, "start"), "end", json_object_get(row, "end"));
	return anno;
}

static const char *const annotation_params[] = { "limit", "cursor", NULL };

/*
 * GET /annotations: one W3C AnnotationPage of the collection, paged as
 * the lists are (limit, cursor, next, Link), the collection's total in
 * partOf and the page's position in it in startIndex. The page's id is
 * its URL with limit made explicit (so that it is never the collection's
 * id, /annotations), and next is the next page's id.
 */
static enum http_status
annotations(const struct request *req, struct response *res)
{
	struct db_query q = { 0 };
	struct db_annotation_page page;
	json_t *after, *items, *row, *next;
	char limit[24], *id, *url = NULL;
	enum db_status st;
	enum http_status bad;
	bool whole;
	size_t i;

	if ((bad = parse_limit(req, ANNOTATION_LIMIT, ANNOTATION_LIMIT_MAX,
	    &q.limit, res)) != 0 ||
	    (bad = parse_cursor(req, "", DB_ANNOTATION_KEYS, &after, res)) != 0)
		return bad;
	q.after = after;
	st = db_annotations(req->db, &q, &page);
	json_decref(after);
	if (st == DB_BAD_QUERY)
		return unlisted_cursor(res);
	if (st != DB_OK)
		return status_of(st, res, NULL, NULL);
	snprintf(limit, sizeof(limit), "%d", ANNOTATION_LIMIT);
	bad = page.next_after != NULL ? next_link(req, "", page.next_after,
	    limit, &url, res) : 0;
	json_decref(page.next_after);
	id = next_url(req, url_param(req->url, "cursor"), limit);
	items = json_array();
	json_array_foreach(page.rows, i, row)
		if (items == NULL || json_array_append_new(items,
		    annotation(row, page.start_index + (long long)i + 1)) != 0)
			break;
	whole = items != NULL && i == json_array_size(page.rows);
	json_decref(page.rows);
	next = url != NULL ? json_string(url) : json_null();
	res->json = bad != 0 || id == NULL || !whole ? NULL :
	    json_pack("{s:s, s:s, s:s, "
	    "s:{s:s, s:s, s:s, s:I}, s:I, s:O, s:O}",
	    "@context", "http://www.w3.org/ns/anno.jsonld", "id", id,
	    "type", "AnnotationPage", "partOf", "id", "/annotations", "type",
	    "AnnotationCollection", "label", "Every evidence span and mention "
	    "in accord", "total", (json_int_t)page.total,
	    "startIndex", (json_int_t)page.start_index, "next", next,
	    "items", items);
	json_decref(next);
	json_decref(items);
	free(id);
	free(url);
	res->content_type = "application/ld+json; "
	    "profile=\"http://www.w3.org/ns/anno.jsonld\"";
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

static enum http_status
get(const struct request *req, struct response *res, enum db_kind kind,
    const char *what)
{
	const char *id = req->match->params[0];

	return status_of(db_get(req->db, kind, id, &res->json), res, what, id);
}

static enum http_status
healthz(const struct request *req, struct response *res)
{
	(void)req;
	res->json = json_pack("{s:s}", "status", "ok");
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

static enum http_status
readyz(const struct request *req, struct response *res)
{
	if (req->draining) {
		snprintf(res->detail, sizeof(res->detail), "shutting down");
		return 503;
	}
	if (req->checking) {
		snprintf(res->detail, sizeof(res->detail), "the database is "
		    "being checked");
		return 503;
	}
	res->json = json_pack("{s:s}", "status", "ready");
	return res->json != NULL ? 200 : status_of(DB_ERROR, res, NULL, NULL);
}

static enum http_status
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

static enum http_status
metrics(const struct request *req, struct response *res)
{
	(void)req;
	res->body = metrics_render(&res->body_len);
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	if (res->body == NULL)
		return status_of(DB_ERROR, res, NULL, NULL);
	return 200;
}

static enum http_status
openapi_yaml(const struct request *req, struct response *res)
{
	(void)req;
	res->static_body = assets_openapi_yaml;
	res->body_len = assets_openapi_yaml_len;
	res->content_type = "application/yaml";
	return 200;
}

static enum http_status
openapi_json(const struct request *req, struct response *res)
{
	(void)req;
	res->static_body = assets_openapi_json;
	res->body_len = assets_openapi_json_len;
	res->content_type = "application/json";
	return 200;
}

static enum http_status
sources(const struct request *req, struct response *res)
{
	return list(req, res, DB_SOURCES, source_filters);
}

static enum http_status
source(const struct request *req, struct response *res)
{
	return get(req, res, DB_SOURCES, "source");
}

static const char *const text_params[] = { "start", "end", "unit", NULL };
static const char *const units[] = { "codepoint", "byte", "utf16", NULL };

/* Reads a non-negative offset parameter; returns 0 or 400. */
static enum http_status
offset_param(const struct request *req, struct response *res,
    const char *name, size_t fallback, size_t *out)
{
	const char *v = url_param(req->url, name);
	char *end;
	unsigned long long n;

	*out = fallback;
	if (v == NULL)
		return 0;
	n = strtoull(v, &end, 10);
	if (*v == '\0' || *v == '-' || *end != '\0' || n > SIZE_MAX / 2) {
		snprintf(res->detail, sizeof(res->detail), "%s must be a "
		    "non-negative integer", name);
		return 400;
	}
	*out = (size_t)n;
	return 0;
}

static enum http_status
source_text(const struct request *req, struct response *res)
{
	const char *id = req->match->params[0];
	const char *unit_name = url_param(req->url, "unit");
	enum utf8_unit unit = UTF8_CODEPOINTS;
	size_t start, end, from, to;
	enum db_status st;
	enum http_status bad;

	res->content_type = "text/plain; charset=utf-8";
	st = db_source_text(req->db, id, &res->body, &res->body_len);
	if (st != DB_OK)
		return status_of(st, res, "source", id);
	if (url_param(req->url, "start") == NULL &&
	    url_param(req->url, "end") == NULL && unit_name == NULL) {
		res->ranges = true;
		return 200;
	}
	if (unit_name != NULL) {
		if (vocab_find(units, unit_name) == NULL) {
			snprintf(res->detail, sizeof(res->detail), "unit must "
			    "be codepoint, byte or utf16");
			return 400;
		}
		unit = unit_name[0] == 'b' ? UTF8_BYTES : unit_name[0] == 'u' ?
		    UTF8_UTF16 : UTF8_CODEPOINTS;
	}
	if ((bad = offset_param(req, res, "start", 0, &start)) != 0 ||
	    (bad = offset_param(req, res, "end", SIZE_MAX, &end)) != 0)
		return bad;
	if (end == SIZE_MAX)
		to = res->body_len;
	else if (!utf8_offset(res->body, res->body_len, unit, end, &to))
		goto out_of_text;
	if (!utf8_offset(res->body, res->body_len, unit, start, &from))
		goto out_of_text;
	if (from > to) {
		snprintf(res->detail, sizeof(res->detail), "start must not "
		    "exceed end");
		return 400;
	}
	memmove(res->body, res->body + from, to - from);
	res->body_len = to - from;
	return 200;

out_of_text:
	snprintf(res->detail, sizeof(res->detail), "start and end must lie "
	    "within the text, on character boundaries, in %s units",
	    unit_name != NULL ? unit_name : "codepoint");
	return 400;
}

static enum http_status
participants(const struct request *req, struct response *res)
{
	return list(req, res, DB_PARTICIPANTS, participant_filters);
}

static enum http_status
participant(const struct request *req, struct response *res)
{
	return get(req, res, DB_PARTICIPANTS, "participant");
}

static enum http_status
agreements(const struct request *req, struct response *res)
{
	return list(req, res, DB_AGREEMENTS, agreement_filters);
}

static enum http_status
agreement(const struct request *req, struct response *res)
{
	return get(req, res, DB_AGREEMENTS, "agreement");
}

static enum http_status
outcomes(const struct request *req, struct response *res)
{
	return list(req, res, DB_OUTCOMES, outcome_filters);
}

static enum http_status
outcome(const struct request *req, struct response *res)
{
	return get(req, res, DB_OUTCOMES, "outcome");
}

static enum http_status
claims(const struct request *req, struct response *res)
{
	return list(req, res, DB_CLAIMS, claim_filters);
}

static enum http_status
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
	{ "GET", "/sources", sources, source_params, 0 },
	{ "GET", "/sources/{id}", source, NULL, 0 },
	{ "GET", "/sources/{id}/text", source_text, text_params, 0 },
	{ "GET", "/participants", participants, participant_params, 0 },
	{ "GET", "/participants/{id}", participant, NULL, 0 },
	{ "GET", "/agreements", agreements, agreement_params, 0 },
	{ "GET", "/agreements/{id}", agreement, NULL, 0 },
	{ "GET", "/outcomes", outcomes, outcome_params, 0 },
	{ "GET", "/outcomes/{id}", outcome, NULL, 0 },
	{ "GET", "/claims", claims, claim_params, 0 },
	{ "GET", "/claims/{id}", claim, NULL, 0 },
	{ "GET", "/search", search, search_params, 0 },
	{ "GET", "/annotations", annotations, annotation_params, 0 },
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
