#include "keyset.h"

#include <stdint.h>

static const char exists_sql[] = "SELECT 1 FROM participant WHERE id = ?";

/* Binds ?2..?(n+1) of stmt to key, and ?(n+2) to limit when not 0. */
static void
bind_keys(sqlite3_stmt *stmt, int n, const sqlite3_int64 *key, size_t limit)
{
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(stmt, i + 2, key[i]);
	if (limit > 0)
		sqlite3_bind_int64(stmt, n + 2, (sqlite3_int64)limit);
}

/* Checks that the participant id exists and that key names one of its
 * rows (when after was given). */
static enum db_status
check(struct db *db, const struct keyset_query *q, const char *id,
    const json_t *after, const sqlite3_int64 *key)
{
	sqlite3_stmt *stmt;
	json_t *found;
	enum db_status st = db_rows(db, exists_sql, &id, 1, true, &found);
	size_t n;
	int rc;

	if (st != DB_OK)
		return st;
	n = json_array_size(found);
	json_decref(found);
	if (n == 0)
		return DB_NOT_FOUND;
	if (after == NULL)
		return DB_OK;
	for (size_t i = 0; i < (size_t)q->keys; i++)
		if (!json_is_integer(json_array_get(after, i)))
			return DB_BAD_QUERY;
	stmt = db_statement(db, q->named_sql, &id, 1);
	if (stmt == NULL)
		return DB_ERROR;
	bind_keys(stmt, q->keys, key, 0);
	rc = sqlite3_step(stmt);
	n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return db_failed(rc);
	return n == 1 ? DB_OK : DB_BAD_QUERY;
}

enum db_status
keyset_page(struct db *db, const struct keyset_query *q, const char *id,
    const json_t *after, size_t limit, json_t **items, json_t **next)
{
	sqlite3_int64 key[KEYSET_MAX_KEYS];
	sqlite3_stmt *stmt;
	json_t *last_keys = NULL;
	enum db_status st;
	int rc;

	*items = NULL;
	*next = NULL;
	for (size_t i = 0; i < (size_t)q->keys; i++)
		key[i] = after != NULL ? json_integer_value(json_array_get(
		    after, i)) : INT64_MIN;
	if ((st = check(db, q, id, after, key)) != DB_OK)
		return st;
	stmt = db_statement(db, q->page_sql, &id, 1);
	*items = json_array();
	if (stmt == NULL || *items == NULL)
		goto fail;
	bind_keys(stmt, q->keys, key, limit + 1);
	rc = db_keyset_rows(stmt, (size_t)q->keys, limit, *items, &last_keys,
	    next);
	sqlite3_reset(stmt);
	json_decref(last_keys);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return DB_OK;
	st = db_failed(rc);
fail:
	json_decref(*items);
	json_decref(*next);
	*items = *next = NULL;
	return st != DB_OK ? st : DB_ERROR;
}
