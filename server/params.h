/*
 * params: the query parameters of a request, checked; those of a list
 * against its spec (lists.h), each refusal a 400 whose detail names the
 * parameter and what it must be.
 */
#ifndef ACCORD_PARAMS_H
#define ACCORD_PARAMS_H

#include <jansson.h>
#include <stddef.h>

#include "http.h"
#include "query.h"

/*
 * Reads ?name= as an integer from min to max (num_parse) into *out; leaves
 * *out as it is when the request has none. Returns HTTP_OK, or 400 "name
 * must be an integer from min to max".
 */
enum http_status params_number(const struct request *req, const char *name,
    long long min, long long max, long long *out, struct response *res);

/*
 * Reads the query parameters of a request to the list of kind into *q
 * (which starts zeroed), in this order, the first refused answering: each
 * filter (in its spec's order), the date range (date_to not ending before
 * date_from begins), limit, count, sort, the mentions cap, then the
 * cursor (its keys counted and typed for the sort). sort_store[0..size)
 * holds the sort's text (q->sort's fields are rows of the spec). The
 * cursor's keys go to *after (caller decrefs; NULL without a cursor) and
 * q->after. Returns HTTP_OK or 400.
 */
enum http_status params_list(const struct request *req, enum db_kind kind,
    struct query *q, char *sort_store, size_t size, json_t **after,
    struct response *res);

/*
 * Reads ?fields= and ?embed= (names joined by ',', each at most once,
 * each known for kind: selection_field_known, selection_embed_known) into
 * *view (borrowing the request's values; NULL when absent). Returns
 * HTTP_OK or 400 naming the first unknown or repeated name.
 */
enum http_status params_view(const struct request *req, enum db_kind kind,
    struct selection *view, struct response *res);

#endif
