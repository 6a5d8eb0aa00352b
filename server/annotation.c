#include "annotation.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "cursor.h"
#include "fail.h"
#include "id.h"
#include "origin.h"
#include "page.h"
#include "params.h"

/* The page size when none is asked, and the most that may be. */
#define ANNOTATION_LIMIT 100
#define ANNOTATION_LIMIT_MAX 500

const char *const annotation_params[] = { "limit", "cursor", "source",
    NULL };

/* The longest collection id: the base, "/annotations?source=" and an id. */
#define COLLECTION_MAX (ORIGIN_MAX + 96)

/* Returns a new W3C Web Annotation for one row of collection_page, the
 * n-th (from 1) of the collection whose id (an absolute IRI) is
 * collection, its other IRIs starting with base. */
static json_t *
annotation(json_t *row, const char *collection, const char *base,
    long long n)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	const char *ref = json_string_value(json_object_get(row, "ref"));
	const char *value = json_string_value(json_object_get(row, "value"));
	const char *source = json_string_value(json_object_get(row, "source"));
	const char *plural = strcmp(kind, "participant") == 0 ? "participants" :
	    strcmp(kind, "agreement") == 0 ? "agreements" :
	    strcmp(kind, "outcome") == 0 ? "outcomes" :
	    strcmp(kind, "claim") == 0 ? "claims" : "sources";
	char id[COLLECTION_MAX + 24], body[ORIGIN_MAX + 160];
	char target[ORIGIN_MAX + 160];
	json_t *anno, *bodies;

	snprintf(id, sizeof(id), "%s#%lld", collection, n);
	snprintf(body, sizeof(body), "%s/%s/%s", base, plural, ref);
	snprintf(target, sizeof(target), "%s/sources/%s/text", base, source);
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
annotations(struct collection_page *page, const char *collection,
    const char *base)
{
	json_t *items = json_array(), *row;
	size_t i;

	json_array_foreach(page->rows, i, row)
		if (items == NULL || json_array_append_new(items,
		    annotation(row, collection, base, page->start_index +
		    (long long)i + 1)) != 0)
			break;
	if (items != NULL && i != json_array_size(page->rows)) {
		json_decref(items);
		items = NULL;
	}
	json_decref(page->rows);
	page->rows = NULL;
	return items;
}

/* Reads ?limit=, ?source= and ?cursor= into *limit, collection (the
 * collection's id: the base, then "/annotations" or
 * "/annotations?source=ID", in a buffer of COLLECTION_MAX bytes) and
 * *after (caller decrefs). */
static enum http_status
read_params(const struct request *req, long long *limit, char *collection,
    json_t **after, struct response *res)
{
	const char *source = url_param(req->url, "source");

	*limit = ANNOTATION_LIMIT;
	*after = NULL;
	if (source != NULL && !id_valid(source, strlen(source)))
		return problem(res, HTTP_BAD_REQUEST, "source must be an id: "
		    "^[a-z0-9]+(-[a-z0-9]+)*$, at most 64 characters");
	snprintf(collection, COLLECTION_MAX, "%s/annotations%s%s",
	    req->base != NULL ? req->base : "",
	    source != NULL ? "?source=" : "", source != NULL ? source : "");
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

/* Returns the new AnnotationPage of items (stolen) of the collection
 * whose id is collection: the page `id`, its `next` (NULL on the last
 * page, which has none: the W3C model's next is an IRI when present). */
static json_t *
page_json(const struct collection_page *page, const char *collection,
    const char *id, const char *next, json_t *items)
{
	char first[COLLECTION_MAX + 16];
	json_t *doc;

	snprintf(first, sizeof(first), "%s%climit=%d", collection,
	    strchr(collection, '?') != NULL ? '&' : '?', ANNOTATION_LIMIT);
	doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:I, s:s}, "
	    "s:I, s:o}",
	    "@context", "http://www.w3.org/ns/anno.jsonld", "id", id,
	    "type", "AnnotationPage", "partOf", "id", collection, "type",
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

enum http_status
annotation_page(const struct request *req, struct response *res)
{
	struct collection_page page;
	json_t *after, *items;
	char limit[24], collection[COLLECTION_MAX], *id, *url = NULL;
	const char *source = url_param(req->url, "source");
	long long n;
	enum db_status st;
	enum http_status status;

	if ((status = read_params(req, &n, collection, &after, res)) !=
	    HTTP_OK)
		return status;
	st = collection_page(req->db, source, (size_t)n, after, &page);
	json_decref(after);
	if (st == DB_BAD_QUERY)
		return cursor_unlisted(res);
	if (st != DB_OK)
		return fail_store(res, st, NULL, NULL);
	snprintf(limit, sizeof(limit), "%d", ANNOTATION_LIMIT);
	/* page_url and page_link make absolute URLs: req->base first. */
	status = page.next_after != NULL ? page_link(req, "", page.next_after,
	    limit, &url, res) : HTTP_OK;
	json_decref(page.next_after);
	id = page_url(req, url_param(req->url, "cursor"), limit);
	items = annotations(&page, collection, req->base);
	if (status != HTTP_OK || id == NULL || items == NULL)
		json_decref(items);	/* accepts NULL */
	else	/* steals items, even when it fails */
		res->json = page_json(&page, collection, id, url, items);
	free(id);
	free(url);
	res->content_type = "application/ld+json; "
	    "profile=\"http://www.w3.org/ns/anno.jsonld\"";
	return res->json != NULL ? HTTP_OK : fail_memory(res);
}
