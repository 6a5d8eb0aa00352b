#include "statement.h"

#include <stdint.h>

#include "record.h"

/*
 * The citations whose attribution (at) names ?1 as its speaker (relayed
 * 0) or in its via chain (relayed 1), joined to the evidence link (i) of
 * each kind of fact, its span (s) and source (src), and their keys: the
 * kind (1 to 3), the fact's curated position, a claim value's position
 * (0 for the others), the source's position, the span's bytes and
 * relayed.
 */
#define STATEMENTS_FROM " FROM (SELECT id AS attribution_id, 0 AS relayed" \
	" FROM attribution WHERE speaker_id = ?1 UNION SELECT" \
	" attribution_id, 1 FROM attribution_via WHERE participant_id = ?1) d" \
	" JOIN attribution at ON at.id = d.attribution_id" \
	" JOIN (SELECT 1 AS k0, 'agreement' AS kind, a.id, NULL AS value," \
	" a.ordinal AS k1, 0 AS k2, e.span_id, e.attribution_id" \
	" FROM agreement_evidence e JOIN agreement a ON a.id = e.agreement_id" \
	" UNION ALL SELECT 2, 'outcome', o.id, NULL, o.ordinal, 0, e.span_id," \
	" e.attribution_id FROM outcome_evidence e" \
	" JOIN outcome o ON o.id = e.outcome_id" \
	" UNION ALL SELECT 3, 'claim', c.id, v.key, c.ordinal, v.ordinal," \
	" e.span_id, e.attribution_id FROM claim_value_evidence e" \
	" JOIN claim_value v ON v.id = e.claim_value_id" \
	" JOIN claim c ON c.id = v.claim_id) i" \
	" ON i.attribution_id = d.attribution_id" \
	" JOIN span s ON s.id = i.span_id" \
	" JOIN source src ON src.id = s.source_id"
#define STATEMENT_ORDER "i.k0, i.k1, i.k2, src.ordinal, s.byte_start," \
	" s.byte_end, d.relayed"

/* ?2..?8: the keys after which; ?9: the rows wanted. */
static const char page_sql[] = "SELECT i.kind, i.id,"
    " i.value AS value_key, d.relayed, at.stance, at.certainty, at.as_of, " RECORD_SPAN_COLUMNS ","
    " i.k0 AS _k0, i.k1 AS _k1, i.k2 AS _k2, src.ordinal AS _k3,"
    " s.byte_start AS _k4, s.byte_end AS _k5, d.relayed AS _k6"
    STATEMENTS_FROM " WHERE (" STATEMENT_ORDER ") > (?2, ?3, ?4, ?5, ?6,"
    " ?7, ?8) ORDER BY " STATEMENT_ORDER " LIMIT ?9";
static const char named_sql[] = "SELECT count(*)" STATEMENTS_FROM
    " WHERE (" STATEMENT_ORDER ") = (?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char exists_sql[] = "SELECT 1 FROM participant WHERE id = ?";

/* Binds ?2..?8 of stmt to key, and ?9 to limit when not 0. */
static void
bind_keys(sqlite3_stmt *stmt, const sqlite3_int64 *key, size_t limit)
{
	for (int i = 0; i < STATEMENT_KEYS; i++)
		sqlite3_bind_int64(stmt, i + 2, key[i]);
	if (limit > 0)
		sqlite3_bind_int64(stmt, 9, (sqlite3_int64)limit);
}

/* Checks that the participant id exists and that key names one of its
 * statements (when after was given). */
static enum db_status
check(struct db *db, const char *id, const json_t *after,
    const sqlite3_int64 *key)
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
	for (size_t i = 0; i < STATEMENT_KEYS; i++)
		if (!json_is_integer(json_array_get(after, i)))
			return DB_BAD_QUERY;
	stmt = db_statement(db, named_sql, &id, 1);
	if (stmt == NULL)
		return DB_ERROR;
	bind_keys(stmt, key, 0);
	rc = sqlite3_step(stmt);
	n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return db_failed(rc);
	return n == 1 ? DB_OK : DB_BAD_QUERY;
}

enum db_status
statement_page(struct db *db, const char *id, const json_t *after,
    size_t limit, json_t **items, json_t **next)
{
	sqlite3_int64 key[STATEMENT_KEYS];
	sqlite3_stmt *stmt;
	json_t *last_keys = NULL;
	enum db_status st;
	int rc;

	*items = NULL;
	*next = NULL;
	for (size_t i = 0; i < STATEMENT_KEYS; i++)
		key[i] = after != NULL ? json_integer_value(json_array_get(
		    after, i)) : INT64_MIN;
	if ((st = check(db, id, after, key)) != DB_OK)
		return st;
	stmt = db_statement(db, page_sql, &id, 1);
	*items = json_array();
	if (stmt == NULL || *items == NULL)
		goto fail;
	bind_keys(stmt, key, limit + 1);
	rc = db_keyset_rows(stmt, STATEMENT_KEYS, limit, *items, &last_keys,
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
