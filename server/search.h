/* search: full-text search over the articles and the facts (FTS5), each
 * hit with its spans. */
#ifndef ACCORD_SEARCH_H
#define ACCORD_SEARCH_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

/* Most search hits returned at once. */
#define SEARCH_MAX 100

/*
 * Runs the FTS5 query q over the articles and facts (kind, when not
 * NULL, narrows it to "source", "participant", "agreement", "outcome" or
 * "claim") and stores in *out a new array (caller decrefs) of at most
 * limit hits, best first: {kind, id, score, snippet, spans}. A source
 * hit's spans are the matched words; a fact's are its evidence (a
 * participant's, its mentions). Returns DB_OK; DB_BAD_QUERY when q is not
 * valid FTS5 syntax; or why not.
 */
enum db_status search_run(struct db *db, const char *q, const char *kind,
    size_t limit, json_t **out);

#endif
