/* annotation: GET /annotations, the collection as W3C Web Annotations. */
#ifndef ACCORD_ANNOTATION_H
#define ACCORD_ANNOTATION_H

#include "http.h"

/* The query parameters /annotations takes, NULL-terminated. */
extern const char *const annotation_params[];

/*
 * GET /annotations (a router_fn): one W3C AnnotationPage of the
 * collection (collection.h), paged as the lists are (limit, cursor, next,
 * Link), the collection's total in partOf and the page's position in it
 * in startIndex. The page's id is its URL with limit made explicit (so
 * that it is never the collection's id, /annotations), and next is the
 * next page's id. Start and end offsets are code points.
 */
enum http_status annotation_page(const struct request *req,
    struct response *res);

#endif
