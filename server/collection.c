#include "collection.h"

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

/*
 * The annotation collection is the union of five arms, one per kind of
 * record, read in this order, each in its own keyset order: the arm
 * (_k0, 1 to 5), the record's curated position (_k1), the position of a
 * claim value or a metadata field in its record (_k2; 0 for the others),
 * then the span's source position and bytes (_k3.._k5). An arm's rows
 * come from its record table joined to the table linking it to spans
 * (aliased e, with a span_id), FROM; COUNT_FROM is the same without the
 * spans, to count through the indexes alone. Each arm has three
 * statements, at arms[arm][which], ?1..?5 binding _k1.._k5 and ?7 the
 * source whose spans alone are kept (NULL: every source):
 *   ANNO_PAGE   at most ?6 of its rows after those keys, in keyset order;
 *   ANNO_BEFORE how many of its rows belong to records before ?1 (all
 *               sources);
 *   ANNO_BEFORE_IN the same, of spans in source ?7;
 *   ANNO_UPTO   how many rows of record ?1 come up to those keys (the
 *               row they name included), and whether that row exists.
 */
enum { ANNO_PAGE, ANNO_BEFORE, ANNO_BEFORE_IN, ANNO_UPTO,
    ANNO_ARM_COUNT = 5 };
#define ANNO_IN " AND (?7 IS NULL OR s.source_id = ?7)"
#define ANNO_SPAN " JOIN span s ON s.id = e.span_id" \
	" JOIN source src ON src.id = s.source_id"
#define ANNO_ORDER(o1, o2) o1 ", " o2 ", src.ordinal, s.byte_start, s.byte_end"
#define ANNO_ARM(arm, kind, ref, value, o1, o2, from, count_from) { \
	[ANNO_PAGE] = "SELECT '" kind "' AS kind, " ref \
	    " AS ref, " value " AS value, " RECORD_SPAN_COLUMNS ", " #arm \
	    " + 1 AS _k0, " o1 " AS _k1, " o2 " AS _k2, src.ordinal AS _k3," \
	    " s.byte_start AS _k4, s.byte_end AS _k5 FROM " from ANNO_SPAN \
	    " WHERE " o1 " >= ?1 AND (" ANNO_ORDER(o1, o2) ") >" \
	    " (?1, ?2, ?3, ?4, ?5)" ANNO_IN " ORDER BY _k1, _k2, _k3, _k4, _k5 LIMIT ?6", \
	[ANNO_BEFORE] = "SELECT count(*) FROM " count_from \
	    " WHERE " o1 " < ?1", \
	[ANNO_BEFORE_IN] = "SELECT count(*) FROM " from ANNO_SPAN \
	    " WHERE " o1 " < ?1 AND s.source_id = ?7", \
	[ANNO_UPTO] = "SELECT count(*), coalesce(max(" o2 \
	    " = ?2 AND src.ordinal = ?3 AND s.byte_start = ?4" \
	    " AND s.byte_end = ?5), 0) FROM " from ANNO_SPAN " WHERE " o1 \
	    " = ?1 AND (" o2 ", src.ordinal, s.byte_start, s.byte_end) <=" \
	    " (?2, ?3, ?4, ?5)" ANNO_IN }

/* The number of annotations in each arm. */
static const char counts_sql[] = "SELECT"
    " (SELECT count(*) FROM agreement_evidence),"
    " (SELECT count(*) FROM outcome_evidence),"
    " (SELECT count(*) FROM claim_value_evidence),"
    " (SELECT count(*) FROM mention),"
    " (SELECT count(*) FROM source_metadata_evidence)";
/* The same, of the spans in source ?7. */
#define ANNO_COUNT_IN(link) "(SELECT count(*) FROM " link " e JOIN span s" \
	" ON s.id = e.span_id WHERE s.source_id = ?7)"
static const char counts_in_sql[] = "SELECT "
    ANNO_COUNT_IN("agreement_evidence") ", "
    ANNO_COUNT_IN("outcome_evidence") ", "
    ANNO_COUNT_IN("claim_value_evidence") ", "
    ANNO_COUNT_IN("mention") ", "
    ANNO_COUNT_IN("source_metadata_evidence");

static const char *const arms[ANNO_ARM_COUNT][4] = {
	ANNO_ARM(0, "agreement", "a.id", "NULL", "a.ordinal", "0",
	    "agreement a JOIN agreement_evidence e ON e.agreement_id = a.id",
	    "agreement_evidence e JOIN agreement a ON a.id = e.agreement_id"),
	ANNO_ARM(1, "outcome", "x.id", "NULL", "x.ordinal", "0",
	    "outcome x JOIN outcome_evidence e ON e.outcome_id = x.id",
	    "outcome_evidence e JOIN outcome x ON x.id = e.outcome_id"),
	ANNO_ARM(2, "claim", "c.id", "v.value", "c.ordinal", "v.ordinal",
	    "claim c JOIN claim_value v ON v.claim_id = c.id"
	    " JOIN claim_value_evidence e ON e.claim_value_id = v.id",
	    "claim_value_evidence e JOIN claim_value v ON v.id = e.claim_value_id"
	    " JOIN claim c ON c.id = v.claim_id"),
	ANNO_ARM(3, "participant", "p.id", "NULL", "p.ordinal", "0",
	    "participant p JOIN mention e ON e.participant_id = p.id",
	    "mention e JOIN participant p ON p.id = e.participant_id"),
	ANNO_ARM(4, "source", "r.id", "e.field", "r.ordinal",
	    "CASE e.field WHEN 'headline' THEN 1 WHEN 'publisher' THEN 2"
	    " WHEN 'byline' THEN 3 WHEN 'date' THEN 4 ELSE 5 END",
	    "source r JOIN source_metadata_evidence e ON e.source_id = r.id",
	    "source_metadata_evidence e JOIN source r ON r.id = e.source_id"),
};

/* Binds the source kept (NULL: all) to ?7 of stmt, when it has one. */
static bool
bind_source(sqlite3_stmt *stmt, const char *source)
{
	int i = sqlite3_bind_parameter_index(stmt, "?7");

	return i == 0 || (source != NULL ? sqlite3_bind_text(stmt, i, source,
	    -1, SQLITE_STATIC) : sqlite3_bind_null(stmt, i)) == SQLITE_OK;
}

/* Steps s, bound to the integers keys[0..nkeys) and the source kept, and
 * stores the columns 0..ncols of its one row, integers, in out. */
static enum db_status
integer_row(struct db *db, const char *sql, const sqlite3_int64 *keys,
    int nkeys, const char *source, long long *out, int ncols)
{
	sqlite3_stmt *stmt = db_statement(db, sql, NULL, 0);
	int rc;

	if (stmt == NULL || !bind_source(stmt, source))
		return DB_ERROR;
	for (int i = 0; i < nkeys; i++)
		if (sqlite3_bind_int64(stmt, i + 1, keys[i]) != SQLITE_OK)
			return DB_ERROR;
	rc = sqlite3_step(stmt);
	for (int i = 0; rc == SQLITE_ROW && i < ncols; i++)
		out[i] = sqlite3_column_int64(stmt, i);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_DONE ? DB_ERROR : db_failed(rc);
}

/*
 * Checks that key (the cursor's keys, key[0] its arm from 1) names an
 * annotation and stores the position of the one after it in *start,
 * given the number of rows of each arm. Returns DB_OK, DB_BAD_QUERY when
 * it names none, or why not.
 */
static enum db_status
position(struct db *db, const sqlite3_int64 *key, const char *source,
    const long long *arm_rows, long long *start)
{
	long long before, upto[2];
	size_t arm;
	enum db_status st;

	if (key[0] < 1 || key[0] > ANNO_ARM_COUNT)
		return DB_BAD_QUERY;
	arm = (size_t)key[0] - 1;
	st = integer_row(db, arms[arm][ANNO_UPTO], key + 1, 5, source, upto,
	    2);
	if (st == DB_OK && upto[1] == 0)
		st = DB_BAD_QUERY;
	if (st == DB_OK)
		st = integer_row(db, arms[arm][source != NULL ? ANNO_BEFORE_IN :
		    ANNO_BEFORE], key + 1, 1, source, &before, 1);
	if (st != DB_OK)
		return st;
	*start = before + upto[0];
	for (size_t i = 0; i < arm; i++)
		*start += arm_rows[i];
	return DB_OK;
}

/*
 * Appends to rows the rows of arm `arm` after key[1..5], up to `limit`
 * in all; when one more exists, moves the keys of the last row kept
 * (*last_keys) to *next. Returns the last step's SQLite code.
 */
static int
read_arm(struct db *db, size_t arm, const sqlite3_int64 *key,
    const char *source, size_t limit, json_t *rows, json_t **last_keys,
    json_t **next)
{
	sqlite3_stmt *stmt = db_statement(db, arms[arm][ANNO_PAGE], NULL, 0);
	size_t got = json_array_size(rows);
	int rc;

	if (stmt == NULL || !bind_source(stmt, source))
		return SQLITE_ERROR;
	/* ?1..?5: the keys after the arm's; ?6: the rows wanted. */
	for (int i = 1; i < COLLECTION_KEYS; i++)
		sqlite3_bind_int64(stmt, i, key[i]);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)(limit - got) + 1);
	rc = db_keyset_rows(stmt, COLLECTION_KEYS, limit, rows, last_keys,
	    next);
	sqlite3_reset(stmt);
	return rc;
}

enum db_status
collection_page(struct db *db, const char *source, size_t limit,
    const json_t *after, struct collection_page *out)
{
	long long arm_rows[ANNO_ARM_COUNT], start = 0, total = 0;
	sqlite3_int64 key[COLLECTION_KEYS];
	json_t *rows, *last_keys = NULL, *next = NULL;
	enum db_status st;
	size_t arm = 0;
	int rc = SQLITE_DONE;

	st = integer_row(db, source != NULL ? counts_in_sql : counts_sql, NULL,
	    0, source, arm_rows, ANNO_ARM_COUNT);
	if (st != DB_OK)
		return st;
	for (size_t i = 0; i < ANNO_ARM_COUNT; i++)
		total += arm_rows[i];
	/* Below every position and offset: the first page. */
	for (size_t i = 0; i < COLLECTION_KEYS; i++)
		key[i] = after != NULL ? json_integer_value(json_array_get(
		    after, i)) : INT64_MIN;
	if (after != NULL) {
		if ((st = position(db, key, source, arm_rows, &start)) !=
		    DB_OK)
			return st;
		arm = (size_t)key[0] - 1;
	}
	rows = json_array();
	if (rows == NULL)
		return DB_ERROR;
	/* limit + 1 rows at most, over as many arms as it takes: the one
	 * more tells that a next page exists. */
	for (; arm < ANNO_ARM_COUNT && next == NULL; arm++) {
		rc = read_arm(db, arm, key, source, limit, rows, &last_keys,
		    &next);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			break;
		/* The next arm from its start. */
		for (size_t i = 0; i < COLLECTION_KEYS; i++)
			key[i] = INT64_MIN;
	}
	json_decref(last_keys);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		json_decref(rows);
		json_decref(next);
		return db_failed(rc);
	}
	*out = (struct collection_page){ rows, next, start, total };
	return DB_OK;
}
