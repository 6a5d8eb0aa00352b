/* search: full-text search over the articles and the facts (FTS5), each
 * hit with its spans. */
#ifndef ACCORD_SEARCH_H
#define ACCORD_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* The page size of /search when none is asked, and the most there may be. */
#define SEARCH_LIMIT 20
#define SEARCH_MAX 500

/* Most spans an article's hit lists (the first, in text order). */
#define SEARCH_SPANS_MAX 1000

/* The spans past which a page takes no more hits (it holds one hit at
 * least): about 1.6 MB of them (2.6 MB with pretty=1), whatever the
 * limit. */
#define SEARCH_PAGE_SPANS 6000

/* A search: the FTS5 query q; kind, when not NULL, narrows it to
 * "source", "participant", "agreement", "outcome" or "claim"; the page is
 * the `limit` hits that follow the first `offset` (borrowed strings). */
struct search_query {
	const char *q;
	const char *kind;
	size_t limit;
	size_t offset;
};

/*
 * Runs the search s over the index, whose rows are the articles, whole,
 * and the facts: an article is a hit when it matches as a whole (every
 * word of an AND anywhere in it; a phrase or NEAR group within it), once.
 * Stores in *out a new array (caller decrefs) of the page's hits (the
 * `limit` that follow `offset`, fewer when they hold SEARCH_PAGE_SPANS
 * spans before: the next page starts after the last one given), best
 * (bm25) first, ties in index order: {kind, id, label, score, snippet,
 * spans}. An article's spans are every word or phrase that matched, in
 * text order (the first SEARCH_SPANS_MAX); a fact's are its evidence (a
 * participant's, its mentions).
 * *more tells whether hits follow those given. Returns DB_OK; DB_BAD_QUERY
 * when q is not valid FTS5 syntax; DB_TIMEOUT or DB_ERROR.
 */
enum db_status search_run(struct db *db, const struct search_query *s,
    json_t **out, bool *more);

/* Stores in *count the number of hits of s (limit and offset ignored).
 * Returns as search_run. */
enum db_status search_count(struct db *db, const struct search_query *s,
    long long *count);

#endif
