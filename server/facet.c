#include "facet.h"

#include <stdio.h>
#include <string.h>

/* Returns v as the facet of row p shows it (a new reference): a boolean
 * for a LIST_BOOL row, else v itself. */
static json_t *
shown(const struct list_param *p, json_t *v)
{
	if (p->check == LIST_BOOL && json_is_integer(v))
		return json_boolean(json_integer_value(v) != 0);
	return json_incref(v);
}

/* Returns a new array of the values row p allows, in order (texts; 0 and
 * 1 for a LIST_BOOL row), or an empty one; NULL when out of memory or
 * when facet_all fails (*st says why). */
static json_t *
allowed(struct db *db, const struct list_param *p, enum db_status *st)
{
	json_t *values = NULL;

	*st = DB_OK;
	if (p->facet_all != NULL) {
		*st = db_rows(db, p->facet_all, NULL, 0, true, &values);
		return *st == DB_OK ? values : NULL;
	}
	values = json_array();
	for (size_t i = 0; values != NULL && p->allowed != NULL &&
	     p->allowed[i] != NULL; i++)
		json_array_append_new(values, json_string(p->allowed[i]));
	if (values != NULL && p->check == LIST_BOOL) {
		json_array_append_new(values, json_integer(0));
		json_array_append_new(values, json_integer(1));
	}
	if (values == NULL)
		*st = DB_ERROR;
	return values;
}

/* Stores in *out the rows [value, count] of the facet of row p over the
 * records passing q's filters, by count descending then value. */
static enum db_status
tally(struct db *db, enum db_kind kind, const struct query *q,
    const struct list_param *p, json_t **out)
{
	char sql[8192];
	size_t len;
	sqlite3_stmt *stmt;
	int rc;

	len = (size_t)snprintf(sql, sizeof(sql), "SELECT %s AS v, count(*) AS n",
	    p->facet);
	if (len >= sizeof(sql) || !query_from(kind, q, p->facet_join, sql,
	    sizeof(sql), &len) || len + 40 >= sizeof(sql))
		return DB_ERROR;
	snprintf(sql + len, sizeof(sql) - len,
	    " GROUP BY v ORDER BY 2 DESC, v");
	stmt = db_prepared(db, sql);
	if (stmt == NULL || !query_bind_filters(stmt, kind, q) ||
	    (*out = json_array()) == NULL)
		return DB_ERROR;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *row = db_row(stmt, 0);
		json_t *pair = row != NULL ? json_pack("[O, O]",
		    json_object_get(row, "v"), json_object_get(row, "n")) :
		    NULL;
		json_decref(row);
		if (pair == NULL || json_array_append_new(*out, pair) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return DB_OK;
	json_decref(*out);
	return db_failed(rc);
}

/* Appends {value, count} to arr. Returns false when out of memory. */
static bool
add(json_t *arr, const struct list_param *p, json_t *value, json_t *count)
{
	return json_array_append_new(arr, json_pack("{s:o, s:O}", "value",
	    shown(p, value), "count", count)) == 0;
}

/* Stores in *out the facet of row p: the allowed values, then the rest. */
static enum db_status
facet_one(struct db *db, enum db_kind kind, const struct query *q,
    const struct list_param *p, json_t **out)
{
	json_t *values, *counted = NULL, *zero = json_integer(0), *v, *pair;
	enum db_status st;
	size_t i, j;
	bool ok = true;

	values = allowed(db, p, &st);
	if (values != NULL)
		st = tally(db, kind, q, p, &counted);
	*out = st == DB_OK ? json_array() : NULL;
	if (*out == NULL || zero == NULL) {
		ok = false;
		goto done;
	}
	json_array_foreach(values, i, v) {
		json_t *count = zero;
		json_array_foreach(counted, j, pair)
			if (json_equal(json_array_get(pair, 0), v))
				count = json_array_get(pair, 1);
		ok = ok && add(*out, p, v, count);
	}
	json_array_foreach(counted, j, pair) {
		bool listed = false;
		json_array_foreach(values, i, v)
			listed = listed || json_equal(json_array_get(pair, 0), v);
		if (!listed)
			ok = ok && add(*out, p, json_array_get(pair, 0),
			    json_array_get(pair, 1));
	}
done:
	json_decref(values);
	json_decref(counted);
	json_decref(zero);
	if (st == DB_OK && !ok) {
		json_decref(*out);
		*out = NULL;
		st = DB_ERROR;
	}
	return st;
}

enum db_status
facet_counts(struct db *db, enum db_kind kind, const struct query *q,
    json_t **out)
{
	enum db_status st = DB_OK;

	*out = json_object();
	if (*out == NULL)
		return DB_ERROR;
	for (size_t i = 0; i < q->nfacets && st == DB_OK; i++) {
		json_t *facet = NULL;
		st = facet_one(db, kind, q, q->facets[i], &facet);
		if (st == DB_OK && json_object_set_new(*out,
		    q->facets[i]->name, facet) != 0)
			st = DB_ERROR;
	}
	if (st != DB_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return st;
}
