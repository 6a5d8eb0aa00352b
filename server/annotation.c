#include "annotation.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "origin.h"
#include "cursor.h"
#include "fail.h"
#include "page.h"
#include "params.h"

/* The page size when none is asked, and the most that may be. */
#define ANNOTATION_LIMIT 100
#define ANNOTATION_LIMIT_MAX 500

const char *const annotation_params[] = { "limit", "cursor", NULL };

/* Returns a new W3C Web Annotation for one row of collection_page, the
 * n-th (from 1) of the collection, its IRIs starting with origin. */
static json_t *
annotation(json_t *row, long long n, const char *origin)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	const char *ref = json_string_value(json_object_get(row, "ref"));
	const char *value = json_string_value(json_object_get(row, "value"));
	const char *source = json_string_value(json_object_get(row, "source"));
	const char *plural = strcmp(kind, "participant") == 0 ? "participants" :
	    strcmp(kind, "agreement") == 0 ? "agreements" :
	    strcmp(kind, "outcome") == 0 ? "outcomes" :
	    strcmp(kind, "claim") == 0 ? "claims" : "sources";
	char id[ORIGIN_MAX + 48], body[ORIGIN_MAX + 160];
	char target[ORIGIN_MAX + 160];
	json_t *anno, *bodies;

	snprintf(id, sizeof(id), "%s/annotations#%lld", origin, n);
	snprintf(body, sizeof(body), "%s/%s/%s", origin, plural, ref);
	snprintf(target, sizeof(target), "%s/sources/%s/text", origin, source);
	/* The record, as a SpecificResource: the model puts a purpose on a
	 * SpecificResource (or a TextualBody), never on a plain resource. */
	bodies = json_pack("[{s:s, s:s, s:s}]", "type", "SpecificResource",
	    "source", body, "purpose", strcmp(kind, "participant") == 0 ?
	    "identifying" : "describing");
	if (bodies != NULL && value != NULL)
		json_array_append_new(bodies, json_pack("{s:s, s:s, s:s}",
		    "type", "TextualBody", "value", value, "purpose",
		    "describing"));
	anno = json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:s, s:[{s:s, s:O, "
	    "s:O, s:O}, {s:s, s:O, s:O}]}}",
	    "id", id, "type", "Annotation", "motivation",
	    strcmp(kind, "participant") == 0 ? "identifying" : "describing",
	    "body", bodies,
	    "target", "source", target, "type", "SpecificResource", "selector",
	    "type", "TextQuoteSelector", "exact", json_object_get(row, "exact"),
	    "prefix", json_object_get(row, "prefix"),
	    "suffix", json_object_get(row, "suffix"),
	    "type", "TextPositionSelector", "start",
	    json_object_get(row, "start"), "end", json_object_get(row, "end"));
	return anno;
}

/* Returns a new array of the annotations of the page's rows (freed). */
static json_t *
annotations(struct collection_page *page, const char *origin)
{
	json_t *items = json_array(), *row;
	size_t i;

	json_array_foreach(page->rows, i, row)
		if (items == NULL || json_array_append_new(items,
		    annotation(row, page->start_index + (long long)i + 1,
		    origin)) != 0)
			break;
	if (items != NULL && i != json_array_size(page->rows)) {
		json_decref(items);
		items = NULL;
	}
	json_decref(page->rows);
	page->rows = NULL;
	return items;
}

/* Reads ?limit= and ?cursor= into *limit and *after (caller decrefs). */
static enum http_status
read_params(const struct request *req, long long *limit, json_t **after,
    struct response *res)
{
	*limit = ANNOTATION_LIMIT;
	*after = NULL;
	if (params_number(req, "limit", 1, ANNOTATION_LIMIT_MAX, limit,
	    res) != HTTP_OK || cursor_read(req, "", COLLECTION_KEYS, after,
	    res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	for (size_t i = 0; *after != NULL && i < COLLECTION_KEYS; i++)
		if (!json_is_integer(json_array_get(*after, i))) {
			json_decref(*after);
			*after = NULL;
			return cursor_unlisted(res);
		}
	return HTTP_OK;
}

/* Returns origin + url (caller frees) when url is a path, else a copy of
 * url (already absolute); NULL for NULL or when out of memory. */
static char *
absolute(const char *origin, const char *url)
{
	char *out;

	if (url == NULL)
		return NULL;
	if (url[0] != '/')
		return strdup(url);
	return asprintf(&out, "%s%s", origin, url) < 0 ? NULL : out;
}

/* Returns the new AnnotationPage of items (stolen) whose IRIs start with
 * origin: the page `id`, its `next` (NULL on the last page, which has
 * none: the W3C model's next is an IRI when present). */
static json_t *
page_json(const struct collection_page *page, const char *origin,
    const char *id, const char *next, json_t *items)
{
	char coll[ORIGIN_MAX + 32], first[ORIGIN_MAX + 48];

	snprintf(coll, sizeof(coll), "%s/annotations", origin);
	snprintf(first, sizeof(first), "%s/annotations?limit=%d", origin,
	    ANNOTATION_LIMIT);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:I, s:s}, "
	    "s:I, s:o}",
	    "@context", "http://www.w3.org/ns/anno.jsonld", "id", id,
	    "type", "AnnotationPage", "partOf", "id", coll, "type",
	    "AnnotationCollection", "label", "Every evidence span and mention "
	    "in accord", "total", (json_int_t)page->total, "first", first,
	    "startIndex", (json_int_t)page->start_index, "items", items);

	if (doc != NULL && next != NULL &&
	    json_object_set_new(doc, "next", json_string(next)) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Makes res's Link header name next, absolute. */
static void
absolute_link(struct response *res, const char *next)
{
	free(res->link);
	if (next == NULL || asprintf(&res->link, "<%s>; rel=\"next\"",
	    next) < 0)
		res->link = NULL;
}

enum http_status
annotation_page(const struct request *req, struct response *res)
{
	struct collection_page page;
	const char *origin = req->origin != NULL ? req->origin : "";
	json_t *after, *items;
	char limit[24], *id, *next, *url = NULL;
	long long n;
	enum db_status st;
	enum http_status status;

	if ((status = read_params(req, &n, &after, res)) != HTTP_OK)
		return status;
	st = collection_page(req->db, (size_t)n, after, &page);
	json_decref(after);
	if (st == DB_BAD_QUERY)
		return cursor_unlisted(res);
	if (st != DB_OK)
		return fail_store(res, st, NULL, NULL);
	snprintf(limit, sizeof(limit), "%d", ANNOTATION_LIMIT);
	status = page.next_after != NULL ? page_link(req, "", page.next_after,
	    limit, &url, res) : HTTP_OK;
	json_decref(page.next_after);
	next = absolute(origin, url);
	if (url != NULL && next == NULL)
		status = HTTP_SERVICE_UNAVAILABLE;
	absolute_link(res, next);
	free(url);
	url = page_url(req, url_param(req->url, "cursor"), limit);
	id = absolute(origin, url);
	items = annotations(&page, origin);
	if (status != HTTP_OK || id == NULL || items == NULL)
		json_decref(items);	/* accepts NULL */
	else	/* steals items, even when it fails */
		res->json = page_json(&page, origin, id, next, items);
	free(id);
	free(url);
	free(next);
	res->content_type = "application/ld+json; "
	    "profile=\"http://www.w3.org/ns/anno.jsonld\"";
	return res->json != NULL ? HTTP_OK : fail_memory(res);
}
