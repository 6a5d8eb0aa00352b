/* mentions: where the articles name one participant,
 * "GET /participants/{id}/mentions": its mention spans in text order
 * (articles by their curated position, then bytes), a keyset page at a
 * time, so that a participant named in every article of a large archive
 * is read a bounded page at a time. */
#ifndef ACCORD_MENTIONS_H
#define ACCORD_MENTIONS_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

/* The keys of a mention in its order: the source's position, the span's
 * byte start, byte end and id. */
#define MENTIONS_KEYS 4

/*
 * Stores in *items a new array (caller decrefs) of at most `limit`
 * mention spans (RECORD_SPAN_COLUMNS) of the participant `id`, in text
 * order, after the keys `after` (an array of MENTIONS_KEYS integers,
 * borrowed; NULL: from the first). When more follow, stores the last
 * span's keys in *next (a new array, caller decrefs), else NULL. Returns
 * DB_OK, DB_NOT_FOUND (no such participant), DB_BAD_QUERY (after names
 * no mention of the participant), or why not.
 */
enum db_status mentions_page(struct db *db, const char *id,
    const json_t *after, size_t limit, json_t **items, json_t **next);

#endif
