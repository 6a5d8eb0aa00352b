/* find: the /search endpoint: its parameters, its pages (limit, cursor,
 * next, count) and its body. */
#ifndef ACCORD_FIND_H
#define ACCORD_FIND_H

#include "http.h"

/* The query parameters /search takes (NULL-terminated). */
extern const char *const find_params[];

/*
 * GET /search?q=: {query, items, next, count?}, the hits of search_run,
 * `limit` (1 to SEARCH_MAX, default SEARCH_LIMIT) at a time, after the
 * cursor's position; next is the URL of the following page or null,
 * count (with count=true) the number of hits in all. 400 for a missing,
 * empty or overlong q, a q that is not FTS5 syntax, an unknown kind, or a
 * cursor this listing could not have given.
 */
enum http_status find_search(const struct request *req,
    struct response *res);

#endif
