/*
 * collection: the annotation collection in the store: every evidence
 * span of every agreement, outcome and claim value, every mention and
 * every source's metadata evidence, as rows read by keyset, with the
 * position of a page and the collection's total.
 */
#ifndef ACCORD_COLLECTION_H
#define ACCORD_COLLECTION_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

/* The number of keys in an annotations cursor. */
#define COLLECTION_KEYS 6

/*
 * One page of the collection. rows is a new array (caller decrefs) of at
 * most the asked limit of rows, each {kind, ref, value, <span fields>}:
 * kind is agreement, outcome, claim (value: the claim value the span
 * supports), participant (a mention) or source (value: the metadata field
 * it states; ref: the source). next_after holds the keys of the last row
 * when a next page exists (a new reference, caller decrefs; else NULL).
 * start_index is the 0-based position of rows[0] (of the next row, when
 * rows is empty) in the whole collection, and total the number of
 * annotations in it.
 */
struct collection_page {
	json_t *rows;
	json_t *next_after;
	long long start_index;
	long long total;
};

/*
 * Stores in *out the page of `limit` annotations after the keyset after,
 * or the first page when it is NULL, of the collection of every source,
 * or, when source is not NULL, of the spans in that source alone (its
 * own collection: start_index and total count its annotations only). The order is fixed: agreements,
 * outcomes, claims, participants, then sources, each in curated order (a
 * claim's values in theirs, a source's metadata fields as headline,
 * publisher, byline, date, url), and a record's spans in text order
 * (source, then byte offsets). A page reads its rows by keyset (no sort
 * of the collection), and with a cursor counts, for start_index, the rows
 * of the cursor's record and, through the indexes alone, those of its
 * kind's earlier records (the one cost growing with depth: a few ms at
 * the deepest page of a corpus 200 times the bundled). after (borrowed)
 * must hold COLLECTION_KEYS integers (the caller checks that much) naming
 * an annotation that exists (checked here by an indexed query); else
 * DB_BAD_QUERY. Returns DB_OK, DB_BAD_QUERY, or why not (DB_TIMEOUT,
 * DB_ERROR); *out is set only on DB_OK.
 */
enum db_status collection_page(struct db *db, const char *source,
    size_t limit, const json_t *after, struct collection_page *out);

#endif
