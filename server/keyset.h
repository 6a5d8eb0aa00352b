/*
 * keyset: a keyset page of what belongs to one participant (its mentions,
 * its statements): the rows after a cursor's keys, in a fixed order, with
 * the keys of the last row when more follow.
 */
#ifndef ACCORD_KEYSET_H
#define ACCORD_KEYSET_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

/* The most keys a keyset_query may have. */
#define KEYSET_MAX_KEYS 8

/*
 * One kind of page, as two statements on the participant ?1 and its n
 * keys ?2..?(n+1): page_sql selects the rows after those keys in their
 * order (with the keys as columns _k0.._k(n-1), as db_keyset_rows reads
 * them), at most ?(n+2) of them; named_sql counts the rows with exactly
 * those keys. Both are static strings.
 */
struct keyset_query {
	const char *page_sql;
	const char *named_sql;
	int keys;		/* n, 1 to KEYSET_MAX_KEYS */
};

/*
 * Stores in *items a new array (caller decrefs) of at most `limit` rows
 * of q for the participant `id`, after the keys `after` (an array of
 * q->keys integers, borrowed; NULL: from the first). When more follow,
 * stores the last row's keys in *next (a new array, caller decrefs),
 * else NULL. Returns DB_OK, DB_NOT_FOUND (no such participant),
 * DB_BAD_QUERY (after names no row of the participant), or why not
 * (*items and *next are then NULL).
 */
enum db_status keyset_page(struct db *db, const struct keyset_query *q,
    const char *id, const json_t *after, size_t limit, json_t **items,
    json_t **next);

#endif
