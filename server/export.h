/*
 * export: lists and search hits as CSV (RFC 4180, UTF-8, a header row,
 * stable columns) or NDJSON (one JSON record a line), asked for by
 * ?format= or Accept. In CSV a fact gives one row per evidence span (long
 * format: a participant one per mention, a claim one per evidence span of
 * each value), with the span's offsets in all three units; a cell that
 * begins with =, +, -, @, a tab or a CR is prefixed with ' so that no
 * spreadsheet takes it for a formula (OWASP, CSV injection).
 */
#ifndef ACCORD_EXPORT_H
#define ACCORD_EXPORT_H

#include <jansson.h>

#include "db.h"
#include "http.h"

enum export_format { EXPORT_JSON, EXPORT_CSV, EXPORT_NDJSON };

/*
 * Reads the format of req into *out: ?format= (json, csv or ndjson) when
 * given, else text/csv or application/x-ndjson named in Accept, else
 * JSON. Returns HTTP_OK, or 400 for another ?format=.
 */
enum http_status export_format(const struct request *req,
    enum export_format *out, struct response *res);

/* Returns true when the Accept header value accept (NULL: none) asks for
 * CSV or NDJSON: a body that depends on it. */
bool export_by_accept(const char *accept);

/*
 * Makes res's body the records of kind in items (a JSON array, borrowed)
 * as CSV or NDJSON (format not EXPORT_JSON). Returns HTTP_OK, or 503 when
 * memory runs out.
 */
enum http_status export_records(enum db_kind kind, json_t *items,
    enum export_format format, struct response *res);

/* As export_records, for the hits of a search (search_run's). */
enum http_status export_hits(json_t *hits, enum export_format format,
    struct response *res);

#endif
