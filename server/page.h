/* page: the links and body of a page of a listing. */
#ifndef ACCORD_PAGE_H
#define ACCORD_PAGE_H

#include <jansson.h>
#include <stddef.h>

#include "http.h"
#include "query.h"

/*
 * Returns the absolute URL of a page of this listing (caller frees):
 * req->base, then this request's path and parameters, in their order, percent-encoded, but
 * for those answered once (count, facet), with `cursor` (when not NULL)
 * last instead of the request's; with
 * limit=`limit` before it when `limit` is not NULL and the request has
 * none. NULL when it does not fit in 4 KiB or memory runs out.
 */
char *page_url(const struct request *req, const char *cursor,
    const char *limit);

/*
 * Makes the absolute URL of the next page (page_url), whose cursor carries `sort` and `keys` (borrowed), into *url (caller
 * frees) and res's Link header (rel=next);
 * limit is page_url's. Returns HTTP_OK, or 503 when memory runs out.
 */
enum http_status page_link(const struct request *req, const char *sort,
    json_t *keys, const char *limit, char **url, struct response *res);

/*
 * Sets res's body to {"items": [...], "next": url or null, "count": n,
 * "facets": {...}} (count only when counted, facets only when asked),
 * compact, from the page's rendered items (freed), its facets (decref'd)
 * and url (freed; may be NULL). Returns HTTP_OK, or 503 when
 * memory runs out.
 */
enum http_status page_body(struct query_page *page, char *url,
    struct response *res);

/*
 * Moves the document res->json (decref'd) into res's body as compact JSON
 * text (json_text: re-indented when pretty=1), the bytes json_dumps would
 * give, written without it. Returns HTTP_OK, or 503 when memory runs out.
 */
enum http_status page_compact(struct response *res);

#endif
