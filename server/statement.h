/* statement: what a participant said, "GET /participants/{id}/statements":
 * every evidence citation attributed to the participant, or relayed by it
 * (in a via chain), a keyset page at a time. */
#ifndef ACCORD_STATEMENT_H
#define ACCORD_STATEMENT_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

/* The keys of a statement in its order (see statement_page). */
#define STATEMENT_KEYS 7

/*
 * Stores in *items a new array (caller decrefs) of at most `limit` rows,
 * the statements of the participant `id` after the keys `after` (an array
 * of STATEMENT_KEYS integers, borrowed; NULL: from the first), in a fixed
 * order: agreements, outcomes, then claims, each in curated order (a
 * claim's values in theirs), then by the span's source and bytes,
 * statements made before those relayed. Each row holds kind, id,
 * value_key (a claim value's key, else null), relayed (0, or 1 when the
 * participant is in the citation's via chain), stance, certainty, as_of
 * and the span's columns (RECORD_SPAN_COLUMNS), for record_statement. When more follow,
 * stores the last row's keys in *next (a new array, caller decrefs), else
 * NULL. Returns DB_OK, DB_NOT_FOUND (no such participant), DB_BAD_QUERY
 * (after names no statement of the participant), or why not.
 */
enum db_status statement_page(struct db *db, const char *id,
    const json_t *after, size_t limit, json_t **items, json_t **next);

#endif
