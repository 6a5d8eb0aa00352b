/*
 * lists: the one declarative spec of each list route (/sources,
 * /participants, ...), in the spirit of kcgi's kvalid tables. A row per
 * parameter or sort field gives its name, how its value is checked, its
 * allowed values, the SQL condition it filters by and the expression it
 * sorts by. The accepted query parameters, their 400 messages (params.c),
 * the filter SQL, the bound parameter names and the sort keys (query.c)
 * all derive from it; tests/test_lists.c holds it against openapi.yaml.
 */
#ifndef ACCORD_LISTS_H
#define ACCORD_LISTS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* The page size when none is asked, and the most that may be. */
#define LISTS_LIMIT 50
#define LISTS_LIMIT_MAX 500
/* The mentions each participant of a list carries when ?mentions= does
 * not say: the first ones, in text order; the rest are paged by
 * /participants/{id}/mentions, and mention_count counts them all. */
#define LISTS_MENTIONS 10
/* The most fields a sort may name. */
#define LISTS_SORT_MAX 4
/* The most rows a list's spec has. */
#define LISTS_ROWS_MAX 16
/* The most facets a request may ask. */
#define LISTS_FACETS_MAX 8

/* How a parameter's value is checked (params.c gives each its 400). */
enum list_check {
	LIST_SORT_ONLY,	/* not a query parameter: a sort field only */
	LIST_ID,	/* an id (id_valid) */
	LIST_ENUM,	/* one of `allowed` */
	LIST_DATE_FROM,	/* a date (vocab_valid_date) on or before ... */
	LIST_DATE_TO,	/* ... the list's LIST_DATE_FROM one's period */
	LIST_BOOL,	/* true or false, bound as 1 or 0 */
	LIST_COUNTRY,	/* an ISO 3166-1 alpha-2 shape */
	LIST_UINT,	/* an integer from 0 to `max` */
};

/*
 * A row: a query parameter, a sort field, or both under one name. A
 * parameter is a filter (`where` not NULL: an SQL condition on its value,
 * bound as :name, over the spec's `from`) or caps each participant's
 * mentions (`caps_mentions`; at `cap` when the request does not say). A sort field sorts on `sort`, an SQL
 * expression never NULL (coalesce) whose keys are integers when `numeric`,
 * else texts. A facet (`facet` not NULL: an SQL expression, over `from`
 * and `facet_join`, whose values are counted by ?facet=name) lists its
 * values with zero counts too: those of `allowed` (LIST_ENUM), false
 * and true (LIST_BOOL), or the rows of `facet_all` (one text column);
 * other values follow by count.
 */
struct list_param {
	const char *name;
	enum list_check check;
	const char *const *allowed;	/* LIST_ENUM: NULL-terminated */
	long long max;			/* LIST_UINT */
	const char *where;
	bool caps_mentions;
	long long cap;			/* caps_mentions: the default */
	const char *sort;
	bool numeric;
	const char *facet;
	const char *facet_join;
	const char *facet_all;
};

/*
 * A list route: its path, the table it reads (with the alias the rows'
 * SQL and record_columns use), the curated order that breaks ties
 * (an integer), and its rows, ending with a NULL name.
 */
struct list_spec {
	const char *path;
	const char *from;
	const char *curated;
	const struct list_param *params;
};

/* Every list, by kind. */
extern const struct list_spec lists[DB_KIND_COUNT];

/* The paging parameters every list takes besides its rows, NULL-ended. */
extern const char *const lists_paging[];

/* Returns the list whose route pattern is path, or NULL (borrowed). */
const struct list_spec *lists_at(const char *path);

/* Returns true when the list takes the query parameter name: a paging
 * parameter or one of its rows that is not LIST_SORT_ONLY. */
bool lists_accepts(const struct list_spec *list, const char *name);

/* Returns the row of the list's facet `name`, or NULL (borrowed). */
const struct list_param *lists_facet(const struct list_spec *list,
    const char *name);

/* Returns the row of the list's sort field `name`, or NULL (borrowed). */
const struct list_param *lists_sort_field(const struct list_spec *list,
    const char *name);

#endif
