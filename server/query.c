#include "query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "text.h"

/* Appends to buf; returns false when it does not fit. */
static bool
append(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool
append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len)
		return false;
	*len += (size_t)n;
	return true;
}

bool
query_from(enum db_kind kind, const struct query *q, const char *join,
    char *buf, size_t size, size_t *len)
{
	const struct list_param *rows = lists[kind].params;
	bool filtered = false;

	if (!append(buf, size, len, " FROM %s%s", lists[kind].from,
	    join != NULL ? join : ""))
		return false;
	for (size_t i = 0; rows[i].name != NULL; i++) {
		if (rows[i].where == NULL || q->values[i] == NULL)
			continue;
		if (!append(buf, size, len, " %s (%s)", filtered ? "AND" :
		    "WHERE", rows[i].where))
			return false;
		filtered = true;
	}
	return filtered || append(buf, size, len, " WHERE 1");
}

/*
 * Writes the SQL of a list page: the filtered records in sort order, the
 * sort keys as _k0.._kN (the last the curated order), after the keyset
 * cursor when `keyset`. Returns false when it does not fit.
 */
static bool
list_sql(enum db_kind kind, const struct query *q, bool keyset,
    char *buf, size_t size)
{
	const char *exprs[LISTS_SORT_MAX + 1];
	bool desc[LISTS_SORT_MAX + 1];
	size_t n = q->nsort, len = 0;

	for (size_t i = 0; i < n; i++) {
		exprs[i] = q->sort[i].field->sort;
		desc[i] = q->sort[i].descending;
	}
	exprs[n] = lists[kind].curated;
	desc[n] = false;
	if (!append(buf, size, &len, "SELECT %s", record_columns(kind)))
		return false;
	for (size_t i = 0; i <= n; i++)
		if (!append(buf, size, &len, ", %s AS _k%zu", exprs[i], i))
			return false;
	if (!query_from(kind, q, NULL, buf, size, &len))
		return false;
	if (keyset) {
		/*
		 * k0 >= :a0 AND ((k0 > :a0) OR (k0 = :a0 AND k1 > :a1) OR ...):
		 * the first term lets SQLite seek in the sort's index.
		 */
		if (!append(buf, size, &len, " AND %s %s :a0 AND (", exprs[0],
		    desc[0] ? "<=" : ">="))
			return false;
		for (size_t i = 0; i <= n; i++) {
			if (!append(buf, size, &len, "%s(", i > 0 ? " OR " : ""))
				return false;
			for (size_t j = 0; j < i; j++)
				if (!append(buf, size, &len, "%s = :a%zu AND ",
				    exprs[j], j))
					return false;
			if (!append(buf, size, &len, "%s %s :a%zu)", exprs[i],
			    desc[i] ? "<" : ">", i))
				return false;
		}
		if (!append(buf, size, &len, ")"))
			return false;
	}
	if (!append(buf, size, &len, " ORDER BY "))
		return false;
	for (size_t i = 0; i <= n; i++)
		if (!append(buf, size, &len, "%s%s %s", i > 0 ? ", " : "",
		    exprs[i], desc[i] ? "DESC" : "ASC"))
			return false;
	return append(buf, size, &len, " LIMIT :limit");
}

/* Binds a JSON scalar (string, integer or null) to parameter i. */
static int
bind_json(sqlite3_stmt *stmt, int i, const json_t *v)
{
	if (json_is_string(v))
		return sqlite3_bind_text(stmt, i, json_string_value(v), -1,
		    SQLITE_TRANSIENT);
	if (json_is_integer(v))
		return sqlite3_bind_int64(stmt, i, json_integer_value(v));
	if (json_is_null(v))
		return sqlite3_bind_null(stmt, i);
	return SQLITE_MISMATCH;
}

bool
query_bind_filters(sqlite3_stmt *stmt, enum db_kind kind,
    const struct query *q)
{
	const struct list_param *rows = lists[kind].params;

	for (size_t r = 0; rows[r].name != NULL; r++) {
		char name[40];
		int i;

		if (rows[r].where == NULL || q->values[r] == NULL)
			continue;
		snprintf(name, sizeof(name), ":%s", rows[r].name);
		i = sqlite3_bind_parameter_index(stmt, name);
		if (i > 0 && sqlite3_bind_text(stmt, i, q->values[r], -1,
		    SQLITE_STATIC) != SQLITE_OK)
			return false;
	}
	return true;
}

/* Binds the filters, the cursor and the limit of q to stmt. */
static bool
bind_query(sqlite3_stmt *stmt, enum db_kind kind, const struct query *q,
    long long limit)
{
	if (!query_bind_filters(stmt, kind, q))
		return false;
	for (size_t k = 0; q->after != NULL && k < json_array_size(q->after);
	     k++) {
		char name[32];
		int i;
		snprintf(name, sizeof(name), ":a%zu", k);
		i = sqlite3_bind_parameter_index(stmt, name);
		if (i > 0 && bind_json(stmt, i, json_array_get(q->after, k)) !=
		    SQLITE_OK)
			return false;
	}
	return sqlite3_bind_int64(stmt, sqlite3_bind_parameter_index(stmt,
	    ":limit"), limit) == SQLITE_OK;
}

/*
 * Checks that q->after (a cursor's keys, already of the sort's count and
 * JSON types) could have come from this listing: that a record of kind
 * passing q's filters has the curated position named by the last key and
 * the sort-key values of the others. One statement, built as the list's
 * (query_from, the same sort expressions and :aN parameters) and cached
 * with them:
 *   SELECT 1 FROM <kind> WHERE <filters> AND <curated> = :aN
 *       AND <sort expr i> = :ai ... LIMIT :limit
 * Returns DB_OK when such a record exists, DB_BAD_QUERY when none does,
 * or why not (DB_TIMEOUT, DB_ERROR). Neither q nor its keys are kept.
 */
static enum db_status
cursor_listed(struct db *db, enum db_kind kind, const struct query *q)
{
	char sql[8192];
	sqlite3_stmt *stmt;
	size_t len = 0, n = q->nsort;
	int rc;

	if (!append(sql, sizeof(sql), &len, "SELECT 1") ||
	    !query_from(kind, q, NULL, sql, sizeof(sql), &len) ||
	    !append(sql, sizeof(sql), &len, " AND %s = :a%zu",
	    lists[kind].curated, n))
		return DB_ERROR;
	for (size_t i = 0; i < n; i++)
		if (!append(sql, sizeof(sql), &len, " AND %s = :a%zu",
		    q->sort[i].field->sort, i))
			return DB_ERROR;
	if (!append(sql, sizeof(sql), &len, " LIMIT :limit"))
		return DB_ERROR;
	stmt = db_prepared(db, sql);
	if (stmt == NULL || !bind_query(stmt, kind, q, 1))
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_DONE ? DB_BAD_QUERY : db_failed(rc);
}

/* Stores in *out the number of records of kind that pass q's filters. */
static enum db_status
count_rows(struct db *db, enum db_kind kind, const struct query *q,
    long long *out)
{
	char sql[8192];
	sqlite3_stmt *stmt;
	size_t len = 0;
	int rc;

	if (!append(sql, sizeof(sql), &len, "SELECT count(*)") ||
	    !query_from(kind, q, NULL, sql, sizeof(sql), &len))
		return DB_ERROR;
	stmt = db_prepared(db, sql);
	if (stmt == NULL || !query_bind_filters(stmt, kind, q))
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? DB_OK : db_failed(rc);
}

/*
 * Steps stmt (a list page's, bound to limit + 1) into *items, a new array
 * of at most `limit` row objects (caller decrefs), each without its nkeys
 * sort keys; when one more row exists, stores the keys of the last row
 * kept in *next (a new reference). Returns DB_OK or why not.
 */
static enum db_status
read_rows(sqlite3_stmt *stmt, size_t limit, size_t nkeys, json_t **items,
    json_t **next)
{
	json_t *last_keys = NULL;
	int rc;

	*next = NULL;
	*items = json_array();
	if (*items == NULL)
		return DB_ERROR;
	rc = db_keyset_rows(stmt, nkeys, limit, *items, &last_keys, next);
	sqlite3_reset(stmt);
	json_decref(last_keys);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return DB_OK;
	json_decref(*items);
	json_decref(*next);
	*next = NULL;
	return db_failed(rc);
}

/* Renders the records `items` of kind into out->items, a JSON array. */
static enum db_status
render(struct db *db, enum db_kind kind, const struct query *q,
    json_t *items, struct query_page *out)
{
	struct text t = { 0 };
	json_t *item;
	enum db_status st;
	size_t i;

	text_add(&t, "[", 1);
	json_array_foreach(items, i, item) {
		if (i > 0)
			text_add(&t, ",", 1);
		st = record_append(db, kind, q->cap_mentions ? &q->mentions :
		    NULL, &q->view, item, &t);
		if (st != DB_OK) {
			free(t.bytes);
			return st;
		}
	}
	text_add(&t, "]", 1);
	out->items = text_take(&t, &out->items_len);
	return out->items != NULL ? DB_OK : DB_ERROR;
}

enum db_status
query_list(struct db *db, enum db_kind kind, const struct query *q,
    struct query_page *out)
{
	char sql[8192];
	sqlite3_stmt *stmt;
	json_t *items;
	enum db_status st;

	*out = (struct query_page){ NULL, 0, NULL, -1, NULL };
	/* A cursor must name a record of this listing, with its keys. */
	if (q->after != NULL && (st = cursor_listed(db, kind, q)) != DB_OK)
		return st;
	if (!list_sql(kind, q, q->after != NULL, sql, sizeof(sql)))
		return DB_ERROR;
	stmt = db_prepared(db, sql);
	if (stmt == NULL || !bind_query(stmt, kind, q, (long long)q->limit + 1))
		return DB_ERROR;
	st = read_rows(stmt, q->limit, q->nsort + 1, &items, &out->next_after);
	if (st != DB_OK)
		return st;
	st = render(db, kind, q, items, out);
	json_decref(items);
	if (st == DB_OK && q->count)
		st = count_rows(db, kind, q, &out->count);
	if (st == DB_OK)
		return DB_OK;
	free(out->items);
	out->items = NULL;
	json_decref(out->next_after);
	out->next_after = NULL;
	return st;
}
