/*
 * facet: counts per value of a list's fields over its filtered records
 * (?facet=status&facet=kind), in the manner of Datasette's facets.
 */
#ifndef ACCORD_FACET_H
#define ACCORD_FACET_H

#include <jansson.h>

#include "db.h"
#include "query.h"

/*
 * Stores in *out a new object (caller decrefs) with a member per facet
 * of q (q->facets, in order), named as its row: an array of {value,
 * count}, counting the records of kind that pass q's filters (not its
 * cursor or limit) by the facet's value. Every value the facet allows
 * comes first, in the order of its vocabulary, with count 0 when no
 * record has it (lists.h: `allowed`, false then true, or `facet_all`);
 * then any other value (null included), by count descending, then
 * value. A LIST_BOOL facet's values are JSON booleans, the others texts
 * (or null). A source facet counts a fact once per source it holds a
 * span of. Returns DB_OK or why not.
 */
enum db_status facet_counts(struct db *db, enum db_kind kind,
    const struct query *q, json_t **out);

#endif
