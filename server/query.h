/*
 * query: a page of a list, compiled from its spec (lists.h) into SQL:
 * the filters given, the sort, and a keyset cursor, so that the cost of a
 * page does not grow with its depth.
 */
#ifndef ACCORD_QUERY_H
#define ACCORD_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "lists.h"
#include "record.h"

struct query_sort {
	const struct list_param *field;	/* a row with a sort (borrowed) */
	bool descending;
};

/*
 * A page of a list: the value of each filter given, by the index of its
 * row in the list's spec (NULL: not filtered; bound as text, borrowed),
 * the sort fields (checked: rows of this list), the keys of the last
 * record of the previous page (or NULL: the first page), the page size,
 * whether to count every record that passes, and the cap on each
 * participant's mentions.
 */
struct query {
	const char *values[LISTS_ROWS_MAX];
	struct query_sort sort[LISTS_SORT_MAX];
	size_t nsort;
	const json_t *after;
	size_t limit;
	bool count;
	bool cap_mentions;
	size_t mentions;
	const struct list_param *facets[LISTS_FACETS_MAX];	/* rows with
						   a facet (borrowed) */
	size_t nfacets;
	struct selection view;	/* fields=, embed= (borrowed) */
};

/* One page: its records as a compact JSON array (a new string, caller
 * frees); the sort keys of the last record when a next page exists (a new
 * reference, caller decrefs; else NULL); count is -1 unless asked. */
struct query_page {
	char *items;
	size_t items_len;
	json_t *next_after;
	long long count;
	json_t *facets;		/* facet_counts', when asked (the caller
				   sets it; page_body decrefs); else NULL */
};

/*
 * Stores in *out one page of the records of kind that pass q's filters,
 * in q's sort order with the curated order breaking ties, after the
 * keyset q->after. q->after (borrowed) must hold one key per sort field,
 * of its type (an integer when the field is numeric, else a string), then
 * a curated position (an integer): the caller checks that much. It must
 * also name a record that passes q's filters and whose sort keys are
 * those values (checked here by one more indexed query); else
 * DB_BAD_QUERY. Returns DB_OK, DB_BAD_QUERY, or why not (DB_TIMEOUT,
 * DB_ERROR).
 */
enum db_status query_list(struct db *db, enum db_kind kind,
    const struct query *q, struct query_page *out);

/*
 * For the store's files: appends to buf (of size bytes, *len used) " FROM
 * <the list's from><join> WHERE <q's filters>", or " WHERE 1" when q
 * gives none (join may be NULL), so that more conditions can follow
 * " AND". Returns false when it does not fit.
 */
bool query_from(enum db_kind kind, const struct query *q, const char *join,
    char *buf, size_t size, size_t *len);

/* For the store's files: binds the value of each filter q gives to its
 * :name in stmt (a statement of query_from's SQL). Returns false on
 * error. */
bool query_bind_filters(sqlite3_stmt *stmt, enum db_kind kind,
    const struct query *q);

#endif
