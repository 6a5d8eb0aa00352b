#include "db.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "memo.h"
#include "schema.h"
#include "span.h"
#include "sql.h"
#include "text.h"

#define SPAN_COLUMNS "s.source_id AS source, s.cp_start AS start," \
	" s.cp_end AS \"end\", s.byte_start, s.byte_end, s.utf16_start," \
	" s.utf16_end, s.exact, s.prefix, s.suffix"
#define SPAN_ORDER " ORDER BY src.ordinal, s.byte_start, s.byte_end"
/*
 * List filters, each a condition on one named parameter, included only
 * when that parameter is given. A fact is in a source when one of its
 * spans is; it concerns a participant who is one of its parties or who is
 * mentioned inside one of its spans (both derived when loading: see
 * schema/005_derived.sql).
 */
#define IN_SOURCE(kind, id) id " IN (SELECT fact_id FROM fact_source" \
	" WHERE source_id = :source AND kind = '" kind "')"
#define CONCERNS(kind, id) id " IN (SELECT fact_id FROM fact_participant" \
	" WHERE participant_id = :participant AND kind = '" kind "')"
/*
 * A date or a timeframe ("A" or "A/B") overlapping [:date_from, :date_to].
 * Every date is ISO 8601 text at year, month or day precision ("2015",
 * "2015-12", "2015-12-04") and stands for every day of its period, from
 * its first day to its last; a timeframe for the days from A's first to
 * B's last; :date_from for the days from its first, :date_to for the days
 * up to its last. A record overlaps the range when it ends on or after
 * :date_from's first day and starts on or before :date_to's last day
 * (both ends inclusive), whatever the precision of each side.
 *
 * STARTS_BY(x, y): the first day of date x is on or before the last day
 * of date y, as text. When x is as fine as y or finer, x cut to y's length
 * is the period of y's precision holding x's first day, and periods of one
 * precision sort as their text does: it sorts at or before y exactly when
 * x's first day is on or before y's last. When x is coarser, it is either
 * a prefix of y (y lies within x: true) or differs from y within its own
 * length, where the two sort as their periods at x's precision do. No
 * calendar is needed: month lengths and leap years never enter.
 */
#define START_OF(t) "substr(" t ", 1, instr(" t " || '/', '/') - 1)"
#define END_OF(t) "substr(" t ", instr(" t ", '/') + 1)"
#define STARTS_BY(x, y) "substr(" x ", 1, length(" y ")) <= " y
#define DATE_FROM(t) t " IS NOT NULL AND " STARTS_BY(":date_from", END_OF(t))
#define DATE_TO(t) t " IS NOT NULL AND " STARTS_BY(START_OF(t), ":date_to")
#define SOURCE_COLUMNS "src.id, src.file, src.sha256, src.headline," \
	" src.publisher, src.byline, src.date, src.url, src.len_codepoints," \
	" src.len_bytes, src.len_utf16"
#define SOURCE_ONE_COLUMNS "id, file, sha256, headline, publisher, byline," \
	" date, url, len_codepoints, len_bytes, len_utf16"
#define PARTICIPANT_COLUMNS "p.id, p.name, p.kind, p.title," \
	" p.affiliation, p.country, p.role"
#define AGREEMENT_COLUMNS "a.id, a.title, a.date, a.status, a.summary," \
	" a.corroboration"
#define OUTCOME_COLUMNS "o.id, o.kind, o.status, o.timeframe," \
	" o.timeframe_precision, o.agreement_id AS agreement, o.summary," \
	" o.corroboration"
#define CLAIM_COLUMNS "c.id, c.subject, c.disputed, c.corroboration"
/* The ids of a source's facts of one kind, in curated order. */
#define FACTS_IN_SOURCE(kind, table) "SELECT x.id FROM fact_source f" \
	" JOIN " table " x ON x.id = f.fact_id WHERE f.source_id = ?1" \
	" AND f.kind = '" kind "' ORDER BY x.ordinal"

enum stmt {
	ST_SOURCE_ONE,
	ST_SOURCE_TEXT,
	ST_SOURCE_METADATA,
	ST_SOURCE_REGIONS,
	ST_SOURCE_AGREEMENTS,
	ST_SOURCE_OUTCOMES,
	ST_SOURCE_CLAIMS,
	ST_SOURCE_PARTICIPANTS,
	ST_PARTICIPANT_ONE,
	ST_PARTICIPANT_ALIASES,
	ST_PARTICIPANT_MENTIONS,
	ST_PARTICIPANT_MENTION_COUNT,
	ST_AGREEMENT_ONE,
	ST_AGREEMENT_PARTIES,
	ST_AGREEMENT_EVIDENCE,
	ST_OUTCOME_ONE,
	ST_OUTCOME_PARTIES,
	ST_OUTCOME_EVIDENCE,
	ST_CLAIM_ONE,
	ST_CLAIM_VALUES,
	ST_CLAIM_VALUE_EVIDENCE,
	ST_CLAIM_EVIDENCE,
	ST_DATA_DIGEST,
	ST_SEARCH,
	ST_ALL_SPANS,
	ST_ANNOTATION_COUNTS,
	/* Three statements for each of the 5 arms of the annotations (see
	 * ANNO_STMT). */
	ST_ANNOTATION_ARMS,
	ST_COUNT = ST_ANNOTATION_ARMS + 3 * 5
};

/*
 * The annotation collection is the union of five arms, one per kind of
 * record, read in this order, each in its own keyset order: the arm
 * (_k0, 1 to 5), the record's curated position (_k1), the position of a
 * claim value or a metadata field in its record (_k2; 0 for the others),
 * then the span's source position and bytes (_k3.._k5). An arm's rows
 * come from its record table joined to the table linking it to spans
 * (aliased e, with a span_id), FROM; COUNT_FROM is the same without the
 * spans, to count through the indexes alone. Each arm has three
 * statements, at ANNO_STMT(arm, which), ?1..?5 binding _k1.._k5:
 *   ANNO_PAGE   at most ?6 of its rows after those keys, in keyset order;
 *   ANNO_BEFORE how many of its rows belong to records before ?1;
 *   ANNO_UPTO   how many rows of record ?1 come up to those keys (the
 *               row they name included), and whether that row exists.
 */
enum { ANNO_PAGE, ANNO_BEFORE, ANNO_UPTO, ANNO_ARM_COUNT = 5 };
_Static_assert(ST_COUNT == ST_ANNOTATION_ARMS + 3 * ANNO_ARM_COUNT,
    "three statements per arm of the annotations");
#define ANNO_STMT(arm, which) ((enum stmt)(ST_ANNOTATION_ARMS + 3 * (arm) + \
	(which)))
#define ANNO_SPAN " JOIN span s ON s.id = e.span_id" \
	" JOIN source src ON src.id = s.source_id"
#define ANNO_ORDER(o1, o2) o1 ", " o2 ", src.ordinal, s.byte_start, s.byte_end"
#define ANNO_ARM(arm, kind, ref, value, o1, o2, from, count_from) \
	[ANNO_STMT(arm, ANNO_PAGE)] = "SELECT '" kind "' AS kind, " ref \
	    " AS ref, " value " AS value, " SPAN_COLUMNS ", " #arm " + 1 AS _k0," \
	    " " o1 " AS _k1, " o2 " AS _k2, src.ordinal AS _k3," \
	    " s.byte_start AS _k4, s.byte_end AS _k5 FROM " from ANNO_SPAN \
	    " WHERE " o1 " >= ?1 AND (" ANNO_ORDER(o1, o2) ") >" \
	    " (?1, ?2, ?3, ?4, ?5) ORDER BY _k1, _k2, _k3, _k4, _k5 LIMIT ?6", \
	[ANNO_STMT(arm, ANNO_BEFORE)] = "SELECT count(*) FROM " count_from \
	    " WHERE " o1 " < ?1", \
	[ANNO_STMT(arm, ANNO_UPTO)] = "SELECT count(*), coalesce(max(" o2 \
	    " = ?2 AND src.ordinal = ?3 AND s.byte_start = ?4" \
	    " AND s.byte_end = ?5), 0) FROM " from ANNO_SPAN " WHERE " o1 \
	    " = ?1 AND (" o2 ", src.ordinal, s.byte_start, s.byte_end) <=" \
	    " (?2, ?3, ?4, ?5)"

static const char *const statements[ST_COUNT] = {
	[ST_SOURCE_ONE] = "SELECT " SOURCE_ONE_COLUMNS ", text"
	    " FROM source WHERE id = ?",
	[ST_SOURCE_TEXT] = "SELECT CAST(text AS BLOB) FROM source WHERE id = ?",
	[ST_SOURCE_METADATA] = "SELECT m.field, " SPAN_COLUMNS
	    " FROM source_metadata_evidence m JOIN span s ON s.id = m.span_id"
	    " WHERE m.source_id = ? ORDER BY s.byte_start",
	[ST_SOURCE_REGIONS] = "SELECT r.kind, r.links_to, " SPAN_COLUMNS
	    " FROM region r JOIN span s ON s.id = r.span_id"
	    " WHERE r.source_id = ? ORDER BY s.byte_start, r.kind",
	[ST_SOURCE_AGREEMENTS] = FACTS_IN_SOURCE("agreement", "agreement"),
	[ST_SOURCE_OUTCOMES] = FACTS_IN_SOURCE("outcome", "outcome"),
	[ST_SOURCE_CLAIMS] = FACTS_IN_SOURCE("claim", "claim"),
	[ST_SOURCE_PARTICIPANTS] = FACTS_IN_SOURCE("participant", "participant"),
	[ST_PARTICIPANT_ONE] = "SELECT " PARTICIPANT_COLUMNS
	    " FROM participant p WHERE p.id = ?",
	[ST_PARTICIPANT_ALIASES] = "SELECT alias FROM participant_alias"
	    " WHERE participant_id = ? ORDER BY ordinal",
	[ST_PARTICIPANT_MENTIONS] = "SELECT " SPAN_COLUMNS
	    " FROM mention m JOIN span s ON s.id = m.span_id"
	    " JOIN source src ON src.id = s.source_id"
	    " WHERE m.participant_id = ?1" SPAN_ORDER
	    /* ?2: the most to return, as decimal text; NULL: all */
	    " LIMIT coalesce(?2, -1)",
	[ST_PARTICIPANT_MENTION_COUNT] = "SELECT count(*) AS n FROM mention"
	    " WHERE participant_id = ?1",
	[ST_AGREEMENT_ONE] = "SELECT " AGREEMENT_COLUMNS
	    " FROM agreement a WHERE a.id = ?",
	[ST_AGREEMENT_PARTIES] = "SELECT participant_id FROM agreement_party"
	    " WHERE agreement_id = ? ORDER BY ordinal",
	[ST_AGREEMENT_EVIDENCE] = "SELECT " SPAN_COLUMNS
	    " FROM agreement_evidence e JOIN span s ON s.id = e.span_id"
	    " JOIN source src ON src.id = s.source_id"
	    " WHERE e.agreement_id = ?" SPAN_ORDER,
	[ST_OUTCOME_ONE] = "SELECT " OUTCOME_COLUMNS
	    " FROM outcome o WHERE o.id = ?",
	[ST_OUTCOME_PARTIES] = "SELECT participant_id FROM outcome_party"
	    " WHERE outcome_id = ? ORDER BY ordinal",
	[ST_OUTCOME_EVIDENCE] = "SELECT " SPAN_COLUMNS
	    " FROM outcome_evidence e JOIN span s ON s.id = e.span_id"
	    " JOIN source src ON src.id = s.source_id"
	    " WHERE e.outcome_id = ?" SPAN_ORDER,
	[ST_CLAIM_ONE] = "SELECT " CLAIM_COLUMNS " FROM claim c WHERE c.id = ?",
	[ST_CLAIM_VALUES] = "SELECT v.id, v.value,"
	    " (SELECT count(DISTINCT s.source_id) FROM claim_value_evidence e"
	    " JOIN span s ON s.id = e.span_id WHERE e.claim_value_id = v.id)"
	    " AS corroboration"
	    " FROM claim_value v WHERE v.claim_id = ? ORDER BY v.ordinal",
	[ST_CLAIM_VALUE_EVIDENCE] = "SELECT " SPAN_COLUMNS
	    " FROM claim_value_evidence e JOIN span s ON s.id = e.span_id"
	    " JOIN source src ON src.id = s.source_id"
	    " WHERE e.claim_value_id = ?" SPAN_ORDER,
	/* The number of annotations in each arm. */
	[ST_ANNOTATION_COUNTS] = "SELECT (SELECT count(*) FROM agreement_evidence),"
	    " (SELECT count(*) FROM outcome_evidence),"
	    " (SELECT count(*) FROM claim_value_evidence),"
	    " (SELECT count(*) FROM mention),"
	    " (SELECT count(*) FROM source_metadata_evidence)",
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
	[ST_ALL_SPANS] = "SELECT s.source_id, s.cp_start, s.cp_end,"
	    " s.byte_start, s.byte_end, s.utf16_start, s.utf16_end, s.exact,"
	    " s.prefix, s.suffix FROM span s JOIN source src"
	    " ON src.id = s.source_id ORDER BY src.ordinal, s.byte_start",
	[ST_SEARCH] = "SELECT kind, ref, base,"
	    " highlight(search_index, 0, char(1), char(2)) AS marked,"
	    " snippet(search_index, 0, '«', '»', '…', 16)"
	    " AS snippet, bm25(search_index) AS score FROM search_index WHERE search_index MATCH ?1"
	    " AND (?2 IS NULL OR kind = ?2) ORDER BY rank LIMIT ?3",
	[ST_DATA_DIGEST] = "SELECT value FROM meta WHERE key = 'data_sha256'",
	[ST_CLAIM_EVIDENCE] = "SELECT DISTINCT " SPAN_COLUMNS
	    " FROM claim_value v"
	    " JOIN claim_value_evidence e ON e.claim_value_id = v.id"
	    " JOIN span s ON s.id = e.span_id"
	    " JOIN source src ON src.id = s.source_id"
	    " WHERE v.claim_id = ?" SPAN_ORDER,
};

/* A prepared list statement, kept per connection and keyed by its text. */
struct cached {
	char *sql;
	sqlite3_stmt *stmt;
};

#define CACHE_SIZE 32

struct db {
	sqlite3 *conn;
	sqlite3_stmt *stmts[ST_COUNT];
	struct cached cache[CACHE_SIZE];
	size_t cache_next;	/* the entry to replace next */
	int64_t deadline_ms;
	atomic_bool interrupted;	/* by db_interrupt: for good */
	struct memo *records;	/* list items rendered, or NULL */
};

/* A field a list can be sorted by: its name in the API and the SQL
 * expression (never NULL) it sorts on. */
struct sort_field {
	const char *name;
	const char *expr;
	bool numeric;	/* an integer key; else text */
};

/* A filter: the condition on its parameter. */
struct filter {
	enum db_param param;
	const char *sql;
};

/*
 * Per kind: how to list (columns, tables, the filters as named parameters,
 * the curated order that breaks ties, the sortable fields), the statement
 * for one record, and the function that adds a record's nested parts.
 */
struct kind {
	const char *columns;
	const char *from;
	const struct filter *filters;	/* ends with a NULL sql */
	const char *curated;
	const struct sort_field *fields;
	enum stmt one;
	enum db_status (*complete)(struct db *, json_t *,
	    const struct db_query *);
};



int64_t
db_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
progress(void *arg)
{
	struct db *db = arg;

	return atomic_load(&db->interrupted) ||
	    (db->deadline_ms != 0 && db_now_ms() > db->deadline_ms);
}

int
db_keep_records(struct db *db, size_t budget)
{
	memo_free(db->records);
	db->records = budget > 0 ? memo_new(budget) : NULL;
	return budget == 0 || db->records != NULL ? 0 : -1;
}

void
db_interrupt(struct db *db)
{
	/* sqlite3_interrupt is lost when no statement runs at that moment
	 * (between two of a check's): the flag makes it stick. */
	if (db != NULL) {
		atomic_store(&db->interrupted, true);
		sqlite3_interrupt(db->conn);
	}
}

void
db_set_deadline(struct db *db, int64_t deadline_ms)
{
	db->deadline_ms = deadline_ms;
}

/* Writes "file:<path, percent-escaped>?mode=ro&immutable=1" to uri. */
static int
make_uri(const char *path, char *uri, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	if (size < 6)
		return -1;
	memcpy(uri, "file:", 5);
	n = 5;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (n + 4 >= size)
			return -1;
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 ||
		    *p >= 0x7F) {
			uri[n++] = '%';
			uri[n++] = hex[*p >> 4];
			uri[n++] = hex[*p & 15];
		} else {
			uri[n++] = (char)*p;
		}
	}
	return snprintf(uri + n, size - n, "?mode=ro&immutable=1") <
	    (int)(size - n) ? 0 : -1;
}

int
db_open(const char *path, struct db **out, char *err, size_t errlen)
{
	struct db *db;
	char uri[4200];
	int64_t app_id = 0, version = 0, pages = 0, page_size = 0;
	struct stat st;

	if (make_uri(path, uri, sizeof(uri)) != 0) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sqlite3_open_v2(uri, &db->conn, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->conn != NULL ?
		    sqlite3_errmsg(db->conn) : "out of memory");
		goto fail_close;
	}
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	sqlite3_limit(db->conn, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db->conn, SQLITE_LIMIT_SQL_LENGTH, 1 << 16);
	sqlite3_limit(db->conn, SQLITE_LIMIT_LENGTH, 1 << 26);
	sqlite3_limit(db->conn, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(db->conn, SQLITE_LIMIT_COMPOUND_SELECT, 8);
	sqlite3_limit(db->conn, SQLITE_LIMIT_VARIABLE_NUMBER, 64);
	sqlite3_limit(db->conn, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	sqlite3_progress_handler(db->conn, 1000, progress, db);
	if (sql_integer(db->conn, "PRAGMA application_id", &app_id) !=
	    SQLITE_OK || sql_integer(db->conn, "PRAGMA user_version",
	    &version) != SQLITE_OK) {
		snprintf(err, errlen, "%s: not a database: %s", path,
		    sqlite3_errmsg(db->conn));
		goto fail_close;
	}
	if (app_id != SQL_APPLICATION_ID) {
		snprintf(err, errlen, "%s: not an accord database "
		    "(application_id %lld)", path, (long long)app_id);
		goto fail_close;
	}
	if (version != (int64_t)schema_count) {
		snprintf(err, errlen, "%s: schema version %lld, this build "
		    "reads %zu", path, (long long)version, schema_count);
		goto fail_close;
	}
	/* A file cut short (a copy that stopped, a full disk) is found
	 * here, before any query reads past its end. */
	if (stat(path, &st) != 0 || sql_integer(db->conn, "PRAGMA page_count",
	    &pages) != SQLITE_OK || sql_integer(db->conn, "PRAGMA page_size",
	    &page_size) != SQLITE_OK || pages * page_size != st.st_size) {
		snprintf(err, errlen, "%s: the file is not the size its header "
		    "gives", path);
		goto fail_close;
	}
	*out = db;
	return 0;

fail_close:
	db_close(db);
	return -1;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->stmts[i]);
	for (size_t i = 0; i < CACHE_SIZE; i++) {
		sqlite3_finalize(db->cache[i].stmt);
		free(db->cache[i].sql);
	}
	memo_free(db->records);
	sqlite3_close(db->conn);
	free(db);
}

int
db_check(struct db *db, char *err, size_t errlen)
{
	char why[256];

	if (sql_check(db->conn, SQL_CHECK_DERIVED, why, sizeof(why)) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: check failed: %s",
		    sqlite3_db_filename(db->conn, "main"), why);
		return -1;
	}
	return 0;
}

int
db_check_file(const char *path, unsigned what, char *err, size_t errlen)
{
	struct db *db;
	int rc = 0;

	if (db_open(path, &db, err, errlen) != 0)
		return -1;
	if (what & DB_CHECK_PAGES)
		rc = db_check(db, err, errlen);
	if (rc == 0 && (what & DB_CHECK_SPANS))
		rc = db_verify_spans(db, err, errlen);
	db_close(db);
	return rc;
}

/* Returns the statement s, prepared, reset and bound to the texts
 * keys[0..nkeys) (each may be NULL), or NULL on error. */
static sqlite3_stmt *
stmt_ready(struct db *db, enum stmt s, const char *const *keys, int nkeys)
{
	sqlite3_stmt *stmt;

	if (db->stmts[s] == NULL &&
	    sqlite3_prepare_v3(db->conn, statements[s], -1,
	    SQLITE_PREPARE_PERSISTENT, &db->stmts[s], NULL) != SQLITE_OK)
		return NULL;
	stmt = db->stmts[s];
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	for (int i = 0; i < nkeys; i++)
		if (sqlite3_bind_text(stmt, i + 1, keys[i], -1,
		    SQLITE_STATIC) != SQLITE_OK)
			return NULL;
	return stmt;
}

static enum db_status
step_error(struct db *db, int rc)
{
	(void)db;
	return rc == SQLITE_INTERRUPT ? DB_TIMEOUT : DB_ERROR;
}

/* Returns a new object of the current row, one key per column
 * (from `first` on), or NULL when out of memory. */
static json_t *
row_object(sqlite3_stmt *stmt, int first)
{
	json_t *obj = json_object();
	int n = sqlite3_column_count(stmt);

	if (obj == NULL)
		return NULL;
	for (int i = first; i < n; i++) {
		const char *name = sqlite3_column_name(stmt, i);
		json_t *v;

		switch (sqlite3_column_type(stmt, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(stmt, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(stmt, i));
			break;
		default:
			v = json_stringn((const char *)sqlite3_column_text(stmt,
			    i), (size_t)sqlite3_column_bytes(stmt, i));
		}
		if (v == NULL || json_object_set_new(obj, name, v) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

/* Stores in *out a new array of the rows of s, bound to keys: objects,
 * or the first column's values when `scalars`. */
static enum db_status
rows_bound(struct db *db, enum stmt s, const char *const *keys, int nkeys,
    bool scalars, json_t **out)
{
	sqlite3_stmt *stmt = stmt_ready(db, s, keys, nkeys);
	json_t *arr;
	int rc;

	if (stmt == NULL)
		return DB_ERROR;
	arr = json_array();
	if (arr == NULL)
		return DB_ERROR;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *item = scalars ? json_stringn((const char *)
		    sqlite3_column_text(stmt, 0), (size_t)sqlite3_column_bytes(
		    stmt, 0)) : row_object(stmt, 0);
		if (json_array_append_new(arr, item) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return step_error(db, rc);
	}
	*out = arr;
	return DB_OK;
}

/* rows_bound with one key. */
static enum db_status
rows(struct db *db, enum stmt s, const char *key, bool scalars, json_t **out)
{
	return rows_bound(db, s, &key, 1, scalars, out);
}

/* Sets obj[name] to the rows of s for the record's id. */
static enum db_status
attach(struct db *db, json_t *obj, const char *name, enum stmt s,
    bool scalars)
{
	json_t *arr;
	enum db_status st;
	const char *id = json_string_value(json_object_get(obj, "id"));

	st = rows(db, s, id, scalars, &arr);
	if (st != DB_OK)
		return st;
	return json_object_set_new(obj, name, arr) == 0 ? DB_OK : DB_ERROR;
}

/* Moves obj[from] to target[to]. */
static void
move_key(json_t *obj, const char *from, json_t *target, const char *to)
{
	json_object_set(target, to, json_object_get(obj, from));
	json_object_del(obj, from);
}

/* Sets obj["facts"] to the ids of what the source supports, by kind, and
 * obj["fact_counts"] to how many of each. */
static enum db_status
attach_facts(struct db *db, json_t *obj, const char *id)
{
	static const struct {
		const char *name;
		enum stmt stmt;
	} parts[] = {
		{ "participants", ST_SOURCE_PARTICIPANTS },
		{ "agreements", ST_SOURCE_AGREEMENTS },
		{ "outcomes", ST_SOURCE_OUTCOMES },
		{ "claims", ST_SOURCE_CLAIMS },
	};
	json_t *facts = json_object(), *counts = json_object(), *ids;
	enum db_status st = DB_ERROR;

	if (facts == NULL || counts == NULL)
		goto free_parts;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		st = rows(db, parts[i].stmt, id, true, &ids);
		if (st != DB_OK)
			goto free_parts;
		json_object_set_new(counts, parts[i].name, json_integer(
		    (json_int_t)json_array_size(ids)));
		json_object_set_new(facts, parts[i].name, ids);
	}
	json_object_set_new(obj, "facts", facts);
	json_object_set_new(obj, "fact_counts", counts);
	return DB_OK;

free_parts:
	json_decref(facts);
	json_decref(counts);
	return st;
}

/* Sets obj["regions"]: [{kind, links_to, span}], in text order. */
static enum db_status
attach_regions(struct db *db, json_t *obj, const char *id)
{
	sqlite3_stmt *stmt = stmt_ready(db, ST_SOURCE_REGIONS, &id, 1);
	json_t *regions = json_array();
	int rc = SQLITE_NOMEM;

	if (stmt == NULL || regions == NULL)
		goto fail;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *region = row_object(stmt, 0), *span = row_object(stmt, 2);
		json_t *kind = json_object_get(region, "kind");
		json_t *links_to = json_object_get(region, "links_to");
		json_t *item = json_pack("{s:O, s:O, s:o}", "kind", kind,
		    "links_to", links_to, "span", span);

		json_decref(region);
		if (item == NULL || json_array_append_new(regions, item) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		goto fail;
	json_object_set_new(obj, "regions", regions);
	return DB_OK;

fail:
	json_decref(regions);
	return step_error(db, rc);
}

static enum db_status
complete_source(struct db *db, json_t *obj, const struct db_query *q)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	json_t *length = json_object(), *links = json_object();
	json_t *evidence = json_object(), *spans = NULL, *span;
	enum db_status st = DB_ERROR;
	size_t i;
	char path[96];

	(void)q;	/* only participants take options */
	if (length == NULL || links == NULL || evidence == NULL)
		goto free_parts;
	move_key(obj, "len_codepoints", length, "codepoints");
	move_key(obj, "len_bytes", length, "bytes");
	move_key(obj, "len_utf16", length, "utf16");
	snprintf(path, sizeof(path), "/sources/%s", id);
	json_object_set_new(links, "self", json_string(path));
	snprintf(path, sizeof(path), "/sources/%s/text", id);
	json_object_set_new(links, "text", json_string(path));
	st = rows(db, ST_SOURCE_METADATA, id, false, &spans);
	if (st != DB_OK)
		goto free_parts;
	json_array_foreach(spans, i, span) {
		char field[16];
		snprintf(field, sizeof(field), "%s",
		    json_string_value(json_object_get(span, "field")));
		json_object_del(span, "field");
		json_object_set(evidence, field, span);
	}
	json_decref(spans);
	st = attach_facts(db, obj, id);
	if (st == DB_OK)
		st = attach_regions(db, obj, id);
	if (st != DB_OK)
		goto free_parts;
	json_object_set_new(obj, "length", length);
	json_object_set_new(obj, "metadata_evidence", evidence);
	json_object_set_new(obj, "links", links);
	return DB_OK;

free_parts:
	json_decref(length);
	json_decref(links);
	json_decref(evidence);
	return st;
}

static enum db_status
complete_participant(struct db *db, json_t *obj, const struct db_query *q)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	bool capped = q != NULL && q->cap_mentions;
	const char *keys[2] = { id, NULL };
	json_t *mentions, *count = NULL;
	enum db_status st;
	char cap[24];

	st = attach(db, obj, "aliases", ST_PARTICIPANT_ALIASES, true);
	if (st != DB_OK)
		return st;
	if (capped) {
		snprintf(cap, sizeof(cap), "%zu", q->mentions);
		keys[1] = cap;
	}
	st = rows_bound(db, ST_PARTICIPANT_MENTIONS, keys, 2, false,
	    &mentions);
	if (st != DB_OK)
		return st;
	json_object_set_new(obj, "mentions", mentions);
	if (!capped)	/* all of them: their number is at hand */
		return json_object_set_new(obj, "mention_count", json_integer(
		    (json_int_t)json_array_size(mentions))) == 0 ? DB_OK :
		    DB_ERROR;
	st = rows(db, ST_PARTICIPANT_MENTION_COUNT, id, false, &count);
	if (st == DB_OK)
		json_object_set(obj, "mention_count", json_object_get(
		    json_array_get(count, 0), "n"));
	json_decref(count);
	return st;
}

static enum db_status
complete_agreement(struct db *db, json_t *obj, const struct db_query *q)
{
	enum db_status st;

	(void)q;	/* only participants take options */
	st = attach(db, obj, "parties", ST_AGREEMENT_PARTIES, true);
	if (st == DB_OK)
		st = attach(db, obj, "evidence", ST_AGREEMENT_EVIDENCE, false);
	return st;
}

static enum db_status
complete_outcome(struct db *db, json_t *obj, const struct db_query *q)
{
	enum db_status st;

	(void)q;	/* only participants take options */
	st = attach(db, obj, "parties", ST_OUTCOME_PARTIES, true);
	if (st == DB_OK)
		st = attach(db, obj, "evidence", ST_OUTCOME_EVIDENCE, false);
	return st;
}

static enum db_status
complete_claim(struct db *db, json_t *obj, const struct db_query *q)
{
	json_t *values, *value;
	enum db_status st;
	size_t i;

	(void)q;	/* only participants take options */
	json_object_set_new(obj, "disputed", json_boolean(
	    json_integer_value(json_object_get(obj, "disputed"))));
	st = rows(db, ST_CLAIM_VALUES, json_string_value(json_object_get(obj,
	    "id")), false, &values);
	if (st != DB_OK)
		return st;
	json_array_foreach(values, i, value) {
		char value_id[24];
		json_t *evidence;

		snprintf(value_id, sizeof(value_id), "%lld", (long long)
		    json_integer_value(json_object_get(value, "id")));
		json_object_del(value, "id");
		st = rows(db, ST_CLAIM_VALUE_EVIDENCE, value_id, false,
		    &evidence);
		if (st != DB_OK) {
			json_decref(values);
			return st;
		}
		json_object_set_new(value, "evidence", evidence);
	}
	json_object_set_new(obj, "values", values);
	return attach(db, obj, "evidence", ST_CLAIM_EVIDENCE, false);
}

static const struct sort_field source_fields[] = {
	{ "id", "src.id", false },
	{ "headline", "coalesce(src.headline, '')", false },
	{ "publisher", "coalesce(src.publisher, '')", false },
	{ "date", "coalesce(src.date, '')", false },
	{ NULL, NULL, false },
};
static const struct sort_field participant_fields[] = {
	{ "id", "p.id", false },
	{ "name", "p.name", false },
	{ "kind", "p.kind", false },
	{ "role", "p.role", false },
	{ "country", "coalesce(p.country, '')", false },
	{ NULL, NULL, false },
};
static const struct sort_field agreement_fields[] = {
	{ "id", "a.id", false },
	{ "title", "a.title", false },
	{ "date", "coalesce(a.date, '')", false },
	{ "status", "a.status", false },
	{ "corroboration", "a.corroboration", true },
	{ NULL, NULL, false },
};
static const struct sort_field outcome_fields[] = {
	{ "id", "o.id", false },
	{ "kind", "o.kind", false },
	{ "status", "o.status", false },
	{ "timeframe", "coalesce(o.timeframe, '')", false },
	{ "corroboration", "o.corroboration", true },
	{ NULL, NULL, false },
};
static const struct sort_field claim_fields[] = {
	{ "id", "c.id", false },
	{ "subject", "c.subject", false },
	{ "disputed", "c.disputed", true },
	{ "corroboration", "c.corroboration", true },
	{ NULL, NULL, false },
};

static const struct filter source_filters[] = {
	{ DB_PARAM_PARTICIPANT, "src.id IN (SELECT source_id FROM fact_source"
	    " WHERE kind = 'participant' AND fact_id = :participant)" },
	{ DB_PARAM_DATE_FROM, DATE_FROM("src.date") },
	{ DB_PARAM_DATE_TO, DATE_TO("src.date") },
	{ DB_PARAM_COUNT, NULL },
};
static const struct filter participant_filters[] = {
	{ DB_PARAM_SOURCE, IN_SOURCE("participant", "p.id") },
	{ DB_PARAM_KIND, "p.kind = :kind" },
	{ DB_PARAM_ROLE, "p.role = :role" },
	{ DB_PARAM_COUNTRY, "p.country = :country" },
	{ DB_PARAM_COUNT, NULL },
};
static const struct filter agreement_filters[] = {
	{ DB_PARAM_SOURCE, IN_SOURCE("agreement", "a.id") },
	{ DB_PARAM_PARTICIPANT, CONCERNS("agreement", "a.id") },
	{ DB_PARAM_STATUS, "a.status = :status" },
	{ DB_PARAM_DATE_FROM, DATE_FROM("a.date") },
	{ DB_PARAM_DATE_TO, DATE_TO("a.date") },
	{ DB_PARAM_COUNT, NULL },
};
static const struct filter outcome_filters[] = {
	{ DB_PARAM_SOURCE, IN_SOURCE("outcome", "o.id") },
	{ DB_PARAM_PARTICIPANT, CONCERNS("outcome", "o.id") },
	{ DB_PARAM_STATUS, "o.status = :status" },
	{ DB_PARAM_KIND, "o.kind = :kind" },
	{ DB_PARAM_AGREEMENT, "o.agreement_id = :agreement" },
	{ DB_PARAM_DATE_FROM, DATE_FROM("o.timeframe") },
	{ DB_PARAM_DATE_TO, DATE_TO("o.timeframe") },
	{ DB_PARAM_COUNT, NULL },
};
static const struct filter claim_filters[] = {
	{ DB_PARAM_SOURCE, IN_SOURCE("claim", "c.id") },
	/* Claims have no parties: only mentions. */
	{ DB_PARAM_PARTICIPANT, CONCERNS("claim", "c.id") },
	{ DB_PARAM_DISPUTED, "c.disputed = CAST(:disputed AS INTEGER)" },
	{ DB_PARAM_COUNT, NULL },
};

static const struct kind kinds[DB_KIND_COUNT] = {
	[DB_SOURCES] = { SOURCE_COLUMNS, "source src", source_filters,
		"src.ordinal", source_fields, ST_SOURCE_ONE, complete_source },
	[DB_PARTICIPANTS] = { PARTICIPANT_COLUMNS, "participant p",
		participant_filters, "p.ordinal", participant_fields,
		ST_PARTICIPANT_ONE, complete_participant },
	[DB_AGREEMENTS] = { AGREEMENT_COLUMNS, "agreement a",
		agreement_filters, "a.ordinal", agreement_fields,
		ST_AGREEMENT_ONE, complete_agreement },
	[DB_OUTCOMES] = { OUTCOME_COLUMNS, "outcome o", outcome_filters,
		"o.ordinal", outcome_fields, ST_OUTCOME_ONE, complete_outcome },
	[DB_CLAIMS] = { CLAIM_COLUMNS, "claim c", claim_filters, "c.ordinal",
		claim_fields, ST_CLAIM_ONE, complete_claim },
};

static const char *const param_names[DB_PARAM_COUNT] = {
	[DB_PARAM_SOURCE] = ":source",
	[DB_PARAM_PARTICIPANT] = ":participant",
	[DB_PARAM_STATUS] = ":status",
	[DB_PARAM_KIND] = ":kind",
	[DB_PARAM_ROLE] = ":role",
	[DB_PARAM_COUNTRY] = ":country",
	[DB_PARAM_AGREEMENT] = ":agreement",
	[DB_PARAM_DATE_FROM] = ":date_from",
	[DB_PARAM_DATE_TO] = ":date_to",
	[DB_PARAM_DISPUTED] = ":disputed",
};

static const struct sort_field *
find_field(enum db_kind kind, const char *name)
{
	for (const struct sort_field *f = kinds[kind].fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

bool
db_sortable(enum db_kind kind, const char *field)
{
	return find_field(kind, field) != NULL;
}

bool
db_filters(enum db_kind kind, enum db_param param)
{
	for (const struct filter *f = kinds[kind].filters; f->sql != NULL; f++)
		if (f->param == param)
			return true;
	return false;
}

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

/* Appends " FROM ... WHERE ..." with the filters q gives, and " WHERE 1"
 * when it gives none, so that more conditions can follow " AND". Returns
 * false when it does not fit. */
static bool
append_from(enum db_kind kind, const struct db_query *q, char *buf,
    size_t size, size_t *len)
{
	bool filtered = false;

	if (!append(buf, size, len, " FROM %s", kinds[kind].from))
		return false;
	for (const struct filter *f = kinds[kind].filters; f->sql != NULL;
	     f++) {
		if (q->params[f->param] == NULL)
			continue;
		if (!append(buf, size, len, " %s (%s)", filtered ? "AND" :
		    "WHERE", f->sql))
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
list_sql(enum db_kind kind, const struct db_query *q, bool keyset,
    char *buf, size_t size)
{
	const struct kind *k = &kinds[kind];
	const char *exprs[DB_SORT_MAX + 1];
	bool desc[DB_SORT_MAX + 1];
	size_t n = q->nsort, len = 0;

	for (size_t i = 0; i < n; i++) {
		exprs[i] = find_field(kind, q->sort[i].field)->expr;
		desc[i] = q->sort[i].descending;
	}
	exprs[n] = k->curated;
	desc[n] = false;
	if (!append(buf, size, &len, "SELECT %s", k->columns))
		return false;
	for (size_t i = 0; i <= n; i++)
		if (!append(buf, size, &len, ", %s AS _k%zu", exprs[i], i))
			return false;
	if (!append_from(kind, q, buf, size, &len))
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

/* Returns the prepared statement for sql from db's cache, preparing and
 * caching it when new; NULL on error. */
static sqlite3_stmt *
cached_stmt(struct db *db, const char *sql)
{
	struct cached *slot;

	for (size_t i = 0; i < CACHE_SIZE; i++)
		if (db->cache[i].sql != NULL &&
		    strcmp(db->cache[i].sql, sql) == 0) {
			sqlite3_reset(db->cache[i].stmt);
			sqlite3_clear_bindings(db->cache[i].stmt);
			return db->cache[i].stmt;
		}
	slot = &db->cache[db->cache_next];
	db->cache_next = (db->cache_next + 1) % CACHE_SIZE;
	sqlite3_finalize(slot->stmt);
	free(slot->sql);
	slot->stmt = NULL;
	slot->sql = strdup(sql);
	if (slot->sql == NULL)
		return NULL;
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &slot->stmt, NULL) != SQLITE_OK) {
		free(slot->sql);
		slot->sql = NULL;
		slot->stmt = NULL;
		return NULL;
	}
	return slot->stmt;
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

/* Binds the filters of q that stmt uses. */
static bool
bind_filters(sqlite3_stmt *stmt, const struct db_query *q)
{
	for (size_t p = 0; p < DB_PARAM_COUNT; p++) {
		int i = sqlite3_bind_parameter_index(stmt, param_names[p]);
		if (i > 0 && q->params[p] != NULL &&
		    sqlite3_bind_text(stmt, i, q->params[p], -1,
		    SQLITE_STATIC) != SQLITE_OK)
			return false;
	}
	return true;
}

/* Binds the filters, the cursor and the limit of q to stmt. */
static bool
bind_query(sqlite3_stmt *stmt, const struct db_query *q, long long limit)
{
	if (!bind_filters(stmt, q))
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
 * (append_from, the same sort expressions and :aN parameters) and cached
 * with them:
 *   SELECT 1 FROM <kind> WHERE <filters> AND <curated> = :aN
 *       AND <sort expr i> = :ai ... LIMIT :limit
 * Returns DB_OK when such a record exists, DB_BAD_QUERY when none does,
 * or why not (DB_TIMEOUT, DB_ERROR). Neither q nor its keys are kept.
 */
static enum db_status
cursor_listed(struct db *db, enum db_kind kind, const struct db_query *q)
{
	char sql[8192];
	sqlite3_stmt *stmt;
	size_t len = 0, n = q->nsort;
	int rc;

	if (!append(sql, sizeof(sql), &len, "SELECT 1") ||
	    !append_from(kind, q, sql, sizeof(sql), &len) ||
	    !append(sql, sizeof(sql), &len, " AND %s = :a%zu",
	    kinds[kind].curated, n))
		return DB_ERROR;
	for (size_t i = 0; i < n; i++)
		if (!append(sql, sizeof(sql), &len, " AND %s = :a%zu",
		    find_field(kind, q->sort[i].field)->expr, i))
			return DB_ERROR;
	if (!append(sql, sizeof(sql), &len, " LIMIT :limit"))
		return DB_ERROR;
	stmt = cached_stmt(db, sql);
	if (stmt == NULL || !bind_query(stmt, q, 1))
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_DONE ? DB_BAD_QUERY : step_error(db, rc);
}

/* Moves the sort keys _k0.._kN out of item into a new array. */
static json_t *
take_keys(json_t *item, size_t nkeys)
{
	json_t *keys = json_array();

	for (size_t k = 0; keys != NULL && k < nkeys; k++) {
		char name[32];
		snprintf(name, sizeof(name), "_k%zu", k);
		json_array_append(keys, json_object_get(item, name));
		json_object_del(item, name);
	}
	return keys;
}

static enum db_status
count_rows(struct db *db, enum db_kind kind, const struct db_query *q,
    long long *out)
{
	char sql[8192];
	sqlite3_stmt *stmt;
	size_t len = 0;
	int rc;

	if (!append(sql, sizeof(sql), &len, "SELECT count(*)") ||
	    !append_from(kind, q, sql, sizeof(sql), &len))
		return DB_ERROR;
	stmt = cached_stmt(db, sql);
	if (stmt == NULL || !bind_filters(stmt, q))
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? DB_OK : step_error(db, rc);
}

/* Appends the compact JSON of the record `item` (a row of its kind's
 * columns) to t, completed with its nested parts: from db's memo when it
 * holds it, else rendered and kept. */
static enum db_status
add_record(struct db *db, enum db_kind kind, const struct db_query *q,
    json_t *item, struct text *t)
{
	const char *id = json_string_value(json_object_get(item, "id"));
	const char *kept;
	char key[112];
	char *json;
	size_t len;
	enum db_status st;

	/* The same record rendered with another cap on mentions is another
	 * text. */
	if (q->cap_mentions)
		snprintf(key, sizeof(key), "%d:%zu:%s", (int)kind, q->mentions,
		    id != NULL ? id : "");
	else
		snprintf(key, sizeof(key), "%d::%s", (int)kind,
		    id != NULL ? id : "");
	kept = memo_get(db->records, key, &len);
	if (kept != NULL) {
		text_add(t, kept, len);
		return DB_OK;
	}
	st = kinds[kind].complete(db, item, q);
	if (st != DB_OK)
		return st;
	json = json_dumps(item, JSON_COMPACT);
	if (json == NULL)
		return DB_ERROR;
	len = strlen(json);
	text_add(t, json, len);
	memo_put(db->records, key, json, len);
	free(json);
	return DB_OK;
}

enum db_status
db_list(struct db *db, enum db_kind kind, const struct db_query *q,
    struct db_page *out)
{
	char sql[8192];
	sqlite3_stmt *stmt;
	json_t *items, *item, *last_keys = NULL;
	struct text t = { 0 };
	enum db_status st = DB_ERROR;
	size_t i, nkeys = q->nsort + 1;
	int rc;

	*out = (struct db_page){ NULL, 0, NULL, -1 };
	for (i = 0; i < q->nsort; i++)
		if (find_field(kind, q->sort[i].field) == NULL)
			return DB_ERROR;
	if (q->after != NULL) {	/* a cursor's keys must fit the sort */
		if (json_array_size(q->after) != nkeys ||
		    !json_is_integer(json_array_get(q->after, q->nsort)))
			return DB_BAD_QUERY;
		for (i = 0; i < q->nsort; i++)
			if (find_field(kind, q->sort[i].field)->numeric ?
			    !json_is_integer(json_array_get(q->after, i)) :
			    !json_is_string(json_array_get(q->after, i)))
				return DB_BAD_QUERY;
		/* and name a record of this listing, with its keys */
		if ((st = cursor_listed(db, kind, q)) != DB_OK)
			return st;
	}
	if (!list_sql(kind, q, q->after != NULL, sql, sizeof(sql)))
		return DB_ERROR;
	stmt = cached_stmt(db, sql);
	if (stmt == NULL || !bind_query(stmt, q, (long long)q->limit + 1))
		return DB_ERROR;
	items = json_array();
	if (items == NULL)
		return DB_ERROR;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (json_array_size(items) == q->limit) {
			/* One more row exists: the page has a next one. */
			out->next_after = last_keys;
			last_keys = NULL;
			break;
		}
		item = row_object(stmt, 0);
		json_decref(last_keys);
		last_keys = item != NULL ? take_keys(item, nkeys) : NULL;
		if (item == NULL || last_keys == NULL ||
		    json_array_append_new(items, item) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	json_decref(last_keys);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		st = step_error(db, rc);
		goto fail;
	}
	text_add(&t, "[", 1);
	json_array_foreach(items, i, item) {
		if (i > 0)
			text_add(&t, ",", 1);
		st = add_record(db, kind, q, item, &t);
		if (st != DB_OK)
			goto fail;
	}
	text_add(&t, "]", 1);
	if (q->count && (st = count_rows(db, kind, q, &out->count)) != DB_OK)
		goto fail;
	out->items = text_take(&t, &out->items_len);
	if (out->items == NULL) {
		st = DB_ERROR;
		goto fail;
	}
	json_decref(items);
	return DB_OK;

fail:
	free(t.bytes);
	json_decref(items);
	json_decref(out->next_after);
	out->next_after = NULL;
	return st != DB_OK ? st : DB_ERROR;
}

enum db_status
db_get(struct db *db, enum db_kind kind, const char *id, json_t **out)
{
	json_t *items;
	enum db_status st;

	st = rows(db, kinds[kind].one, id, false, &items);
	if (st != DB_OK)
		return st;
	if (json_array_size(items) == 0) {
		json_decref(items);
		return DB_NOT_FOUND;
	}
	*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	st = kinds[kind].complete(db, *out, NULL);
	if (st != DB_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return st;
}

enum db_status
db_source_text(struct db *db, const char *id, char **text, size_t *len)
{
	sqlite3_stmt *stmt = stmt_ready(db, ST_SOURCE_TEXT, &id, 1);
	enum db_status st;
	int rc;

	if (stmt == NULL)
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
		*text = malloc(n + 1);
		if (*text == NULL) {
			st = DB_ERROR;
		} else {
			if (n > 0)
				memcpy(*text, sqlite3_column_blob(stmt, 0), n);
			(*text)[n] = '\0';
			*len = n;
			st = DB_OK;
		}
	} else {
		st = rc == SQLITE_DONE ? DB_NOT_FOUND : step_error(db, rc);
	}
	sqlite3_reset(stmt);
	return st;
}

enum db_status
db_data_digest(struct db *db, char out[65])
{
	sqlite3_stmt *stmt = stmt_ready(db, ST_DATA_DIGEST, NULL, 0);
	enum db_status st;
	int rc;

	if (stmt == NULL)
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == 64) {
		memcpy(out, sqlite3_column_text(stmt, 0), 64);
		out[64] = '\0';
		st = DB_OK;
	} else {
		st = rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_ERROR :
		    step_error(db, rc);
	}
	sqlite3_reset(stmt);
	return st;
}

/*
 * Returns a new span object for text[byte_start..byte_end) of source,
 * measuring from *hint (see span_describe_from: spans asked for in text
 * order cost O(text) in all).
 */
static json_t *
span_object(const char *source, const char *text, size_t len,
    size_t byte_start, size_t byte_end, struct utf8_pos *hint)
{
	struct span sp;

	if (!span_describe_from(text, len, byte_start, byte_end, hint, &sp))
		return NULL;
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s%, s:s%, s:s%}",
	    "source", source,
	    "start", (json_int_t)sp.start.codepoints,
	    "end", (json_int_t)sp.end.codepoints,
	    "byte_start", (json_int_t)sp.start.bytes,
	    "byte_end", (json_int_t)sp.end.bytes,
	    "utf16_start", (json_int_t)sp.start.utf16,
	    "utf16_end", (json_int_t)sp.end.utf16,
	    "exact", text + byte_start, byte_end - byte_start,
	    "prefix", text + sp.prefix_at, byte_start - sp.prefix_at,
	    "suffix", text + byte_end, sp.suffix_end - byte_end);
}

/* Returns true once db's deadline has passed. */
static bool
expired(const struct db *db)
{
	return db->deadline_ms != 0 && db_now_ms() > db->deadline_ms;
}

/*
 * Stores in *out the spans of the words FTS5 marked (\1 ... \2) in a
 * highlighted line that starts at byte `base` of the source's text (a new
 * array, caller decrefs). Returns DB_OK, DB_TIMEOUT when the deadline
 * passes while it works, or DB_ERROR.
 */
static enum db_status
marked_spans(struct db *db, const char *source, const char *marked,
    size_t base, json_t **out)
{
	json_t *spans = json_array();
	struct utf8_pos hint = { 0 };
	char *text = NULL;
	size_t len = 0, at = base, start = 0, n = 0;
	enum db_status st = DB_OK;

	if (spans == NULL)
		return DB_ERROR;
	if ((st = db_source_text(db, source, &text, &len)) != DB_OK) {
		json_decref(spans);
		return st;
	}
	for (const char *p = marked; *p != '\0' && st == DB_OK; p++) {
		if (*p == '\1') {
			start = at;
		} else if (*p == '\2') {
			json_t *span = span_object(source, text, len, start, at,
			    &hint);
			if (span == NULL || json_array_append_new(spans,
			    span) != 0)
				st = DB_ERROR;
			else if (++n % 256 == 0 && expired(db))
				st = DB_TIMEOUT;
		} else {
			at++;
		}
	}
	free(text);
	if (st != DB_OK) {
		json_decref(spans);
		return st;
	}
	*out = spans;
	return DB_OK;
}

enum db_status
db_search(struct db *db, const char *q, const char *kind, size_t limit,
    json_t **out)
{
	static const struct {
		const char *kind;
		enum stmt spans;
	} evidence[] = {
		{ "participant", ST_PARTICIPANT_MENTIONS },
		{ "agreement", ST_AGREEMENT_EVIDENCE },
		{ "outcome", ST_OUTCOME_EVIDENCE },
		{ "claim", ST_CLAIM_EVIDENCE },
	};
	sqlite3_stmt *stmt;
	json_t *hits, *rowset;
	enum db_status st = DB_OK;
	size_t i;
	json_t *hit;
	int rc;

	stmt = stmt_ready(db, ST_SEARCH, (const char *const[]){ q, kind }, 2);
	if (stmt == NULL ||
	    sqlite3_bind_int64(stmt, 3, (sqlite3_int64)limit) != SQLITE_OK)
		return DB_ERROR;
	rowset = json_array();
	if (rowset == NULL)
		return DB_ERROR;
	/* Read every row first: the spans below use other statements. */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *row = row_object(stmt, 0);
		if (row == NULL || json_array_append_new(rowset, row) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(rowset);
		return rc == SQLITE_ERROR ? DB_BAD_QUERY : step_error(db, rc);
	}
	hits = json_array();
	json_array_foreach(rowset, i, hit) {
		const char *k = json_string_value(json_object_get(hit, "kind"));
		const char *ref = json_string_value(json_object_get(hit, "ref"));
		json_t *spans = NULL, *item;
		size_t e;

		if (strcmp(k, "source") == 0) {
			st = marked_spans(db, ref, json_string_value(
			    json_object_get(hit, "marked")),
			    (size_t)json_integer_value(
			    json_object_get(hit, "base")), &spans);
		} else {
			for (e = 0; e < 4 && strcmp(evidence[e].kind, k) != 0; e++)
				;
			st = e < 4 ? rows(db, evidence[e].spans, ref, false,
			    &spans) : DB_ERROR;
		}
		if (st != DB_OK)
			break;
		item = json_pack("{s:s, s:s, s:f, s:O, s:o}", "kind", k, "id",
		    ref, "score", -json_real_value(json_object_get(hit,
		    "score")), "snippet", json_object_get(hit, "snippet"),
		    "spans", spans);
		if (item == NULL || json_array_append_new(hits, item) != 0) {
			st = DB_ERROR;
			break;
		}
	}
	json_decref(rowset);
	if (st != DB_OK) {
		json_decref(hits);
		return st;
	}
	*out = hits;
	return DB_OK;
}

/* Steps s, bound to the integers keys[0..nkeys), and stores the columns
 * 0..ncols of its one row, integers, in out. */
static enum db_status
integer_row(struct db *db, enum stmt s, const sqlite3_int64 *keys,
    int nkeys, long long *out, int ncols)
{
	sqlite3_stmt *stmt = stmt_ready(db, s, NULL, 0);
	int rc;

	if (stmt == NULL)
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
	return rc == SQLITE_DONE ? DB_ERROR : step_error(db, rc);
}

enum db_status
db_annotations(struct db *db, const struct db_query *q,
    struct db_annotation_page *out)
{
	long long arm_rows[ANNO_ARM_COUNT], before, upto[2];
	long long start = 0, total = 0;
	sqlite3_int64 key[DB_ANNOTATION_KEYS];
	json_t *rows, *item, *last_keys = NULL, *next = NULL;
	enum db_status st;
	size_t arm = 0;
	int rc = SQLITE_DONE;

	st = integer_row(db, ST_ANNOTATION_COUNTS, NULL, 0, arm_rows,
	    ANNO_ARM_COUNT);
	if (st != DB_OK)
		return st;
	for (size_t i = 0; i < ANNO_ARM_COUNT; i++)
		total += arm_rows[i];
	/* Below every position and offset: the first page. */
	for (size_t i = 0; i < DB_ANNOTATION_KEYS; i++)
		key[i] = INT64_MIN;
	if (q->after != NULL) {
		if (json_array_size(q->after) != DB_ANNOTATION_KEYS)
			return DB_BAD_QUERY;
		for (size_t i = 0; i < DB_ANNOTATION_KEYS; i++) {
			json_t *k = json_array_get(q->after, i);
			if (!json_is_integer(k))
				return DB_BAD_QUERY;
			key[i] = json_integer_value(k);
		}
		if (key[0] < 1 || key[0] > ANNO_ARM_COUNT)
			return DB_BAD_QUERY;
		arm = (size_t)key[0] - 1;
		/* The keys must name an annotation; the page starts after
		 * it, at its position + 1. */
		st = integer_row(db, ANNO_STMT(arm, ANNO_UPTO), key + 1, 5,
		    upto, 2);
		if (st == DB_OK && upto[1] == 0)
			st = DB_BAD_QUERY;
		if (st == DB_OK)
			st = integer_row(db, ANNO_STMT(arm, ANNO_BEFORE),
			    key + 1, 1, &before, 1);
		if (st != DB_OK)
			return st;
		for (size_t i = 0; i < arm; i++)
			start += arm_rows[i];
		start += before + upto[0];
	}
	rows = json_array();
	if (rows == NULL)
		return DB_ERROR;
	/* limit + 1 rows at most, over as many arms as it takes: the one
	 * more tells that a next page exists. */
	for (; arm < ANNO_ARM_COUNT && next == NULL; arm++) {
		sqlite3_stmt *stmt = stmt_ready(db, ANNO_STMT(arm, ANNO_PAGE),
		    NULL, 0);
		size_t got = json_array_size(rows);

		if (stmt == NULL) {
			rc = SQLITE_ERROR;
			break;
		}
		/* ?1..?5: the keys after the arm's; ?6: the rows wanted. */
		for (int i = 1; i < DB_ANNOTATION_KEYS; i++)
			sqlite3_bind_int64(stmt, i, key[i]);
		sqlite3_bind_int64(stmt, 6, (sqlite3_int64)(q->limit - got) + 1);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (json_array_size(rows) == q->limit) {
				next = last_keys;
				last_keys = NULL;
				break;
			}
			item = row_object(stmt, 0);
			json_decref(last_keys);
			last_keys = item != NULL ?
			    take_keys(item, DB_ANNOTATION_KEYS) : NULL;
			if (item == NULL || last_keys == NULL ||
			    json_array_append_new(rows, item) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			break;
		/* The next arm from its start. */
		for (size_t i = 0; i < DB_ANNOTATION_KEYS; i++)
			key[i] = INT64_MIN;
	}
	json_decref(last_keys);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		json_decref(rows);
		json_decref(next);
		return step_error(db, rc);
	}
	*out = (struct db_annotation_page){ rows, next, start, total };
	return DB_OK;
}

/* Compares a stored text column with text[from..to). */
static bool
column_is(sqlite3_stmt *stmt, int col, const char *text, size_t from,
    size_t to)
{
	size_t n = (size_t)sqlite3_column_bytes(stmt, col);

	return n == to - from && (n == 0 || memcmp(sqlite3_column_text(stmt,
	    col), text + from, n) == 0);
}

/* Eight bytes, each 0x01; each 0x80. */
#define BYTES_01 0x0101010101010101u
#define BYTES_80 0x8080808080808080u

/* Returns true when text[0..len) is valid UTF-8 without a NUL, as
 * utf8_validate does, taking eight ASCII bytes at a time. */
static bool
text_is_utf8(const char *text, size_t len)
{
	size_t at = 0;
	uint32_t cp;

	while (at < len) {
		if (len - at >= 8) {
			uint64_t x;
			memcpy(&x, text + at, 8);
			if ((x & BYTES_80) == 0 &&
			    ((x - BYTES_01) & ~x & BYTES_80) == 0) {
				at += 8;
				continue;
			}
		}
		if (!utf8_decode(text, len, &at, &cp) || cp == 0)
			return false;
	}
	return true;
}

/* Returns how many bytes of x have their top bit set in mask. */
static size_t
bytes_marked(uint64_t mask)
{
	return (size_t)((((mask & BYTES_80) >> 7) * BYTES_01) >> 56);
}

/*
 * Measures p[0..n), valid UTF-8, in code points and UTF-16 code units
 * (added to *cps and *units) by counting the bytes that begin no code
 * point (10xxxxxx) and those that begin a 4-byte one (11110xxx), eight
 * bytes at a time.
 */
static void
count_units(const unsigned char *p, size_t n, size_t *cps, size_t *units)
{
	size_t follow = 0, astral = 0, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if ((x & BYTES_80) == 0)
			continue;
		follow += bytes_marked(x & ~(x << 1));
		astral += bytes_marked(x & (x << 1) & (x << 2) & (x << 3));
	}
	for (; i < n; i++) {
		follow += (p[i] & 0xC0) == 0x80;
		astral += p[i] >= 0xF0;
	}
	*cps += n - follow;
	*units += n - follow + astral;
}

/* Returns true when byte offset at of text[0..len), valid UTF-8, begins a
 * code point or is its end. */
static bool
on_boundary(const char *text, size_t len, size_t at)
{
	return at == len || (at < len && ((unsigned char)text[at] & 0xC0) !=
	    0x80);
}

/*
 * Checks the ST_ALL_SPANS row `row` against its source's text[0..len),
 * valid UTF-8. *at is a position of that text at or before the span's
 * start (the previous span's), counted in the three units; it is left at
 * this span's start, so that spans taken in text order measure the text
 * once. Returns NULL when the span agrees, else what does not.
 */
static const char *
span_disagrees(sqlite3_stmt *row, const char *text, size_t len,
    struct utf8_pos *at)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t bs = (size_t)sqlite3_column_int64(row, 3);
	size_t be = (size_t)sqlite3_column_int64(row, 4);
	struct utf8_pos start, end;

	if (bs > be || !on_boundary(text, len, bs) ||
	    !on_boundary(text, len, be))
		return "its byte offsets";
	if (at->bytes > bs)
		*at = (struct utf8_pos){ 0, 0, 0 };
	start = *at;
	count_units(p + at->bytes, bs - at->bytes, &start.codepoints,
	    &start.utf16);
	start.bytes = bs;
	*at = start;
	end = start;
	count_units(p + bs, be - bs, &end.codepoints, &end.utf16);
	if ((size_t)sqlite3_column_int64(row, 1) != start.codepoints ||
	    (size_t)sqlite3_column_int64(row, 2) != end.codepoints)
		return "its code point offsets";
	if ((size_t)sqlite3_column_int64(row, 5) != start.utf16 ||
	    (size_t)sqlite3_column_int64(row, 6) != end.utf16)
		return "its UTF-16 offsets";
	if (!column_is(row, 7, text, bs, be))
		return "its exact words";
	if (!column_is(row, 8, text, utf8_back(text, bs, SPAN_CONTEXT), bs))
		return "its prefix";
	if (!column_is(row, 9, text, be, utf8_forward(text, len, be,
	    SPAN_CONTEXT)))
		return "its suffix";
	return NULL;
}

/*
 * Walks every span in text order (sources by ordinal, spans by byte
 * start), so that each source's text is read once, checked once for
 * valid UTF-8, and measured once from its start to its last span's
 * start; every span then costs its own length. The text is used in
 * place, from the statement that read it, without a copy. The span
 * statement stays active throughout, so db_interrupt (or the deadline)
 * stops the walk at its next row.
 */
int
db_verify_spans(struct db *db, char *err, size_t errlen)
{
	sqlite3_stmt *spans = stmt_ready(db, ST_ALL_SPANS, NULL, 0);
	sqlite3_stmt *texts = NULL;
	char source[80] = "";
	const char *text = "", *why;
	size_t len = 0;
	struct utf8_pos at = { 0, 0, 0 };
	bool sound = false;
	int rc;

	if (spans == NULL)
		goto sql_error;
	while ((rc = sqlite3_step(spans)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(spans, 0);

		if (id == NULL)
			goto sql_error;
		if (texts == NULL || strcmp(id, source) != 0) {
			const char *key = source;
			snprintf(source, sizeof(source), "%s", id);
			texts = stmt_ready(db, ST_SOURCE_TEXT, &key, 1);
			if (texts == NULL)
				goto sql_error;
			rc = sqlite3_step(texts);
			if (rc == SQLITE_DONE) {
				snprintf(err, errlen, "verifying spans: no "
				    "source %s", source);
				goto done;
			}
			if (rc != SQLITE_ROW)
				goto sql_error;
			len = (size_t)sqlite3_column_bytes(texts, 0);
			text = len > 0 ? sqlite3_column_blob(texts, 0) : "";
			if (text == NULL)
				goto sql_error;
			if (!text_is_utf8(text, len)) {
				snprintf(err, errlen, "the text of source %s is "
				    "not valid UTF-8 without NUL", source);
				goto done;
			}
			at = (struct utf8_pos){ 0, 0, 0 };
		}
		why = span_disagrees(spans, text, len, &at);
		if (why != NULL) {
			snprintf(err, errlen, "span %lld..%lld of source %s does "
			    "not match its text: %s", sqlite3_column_int64(spans,
			    3), sqlite3_column_int64(spans, 4), source, why);
			goto done;
		}
	}
	if (rc == SQLITE_DONE) {
		sound = true;
		goto done;
	}
sql_error:
	snprintf(err, errlen, "verifying spans: %s", sqlite3_errmsg(db->conn));
done:
	if (texts != NULL) {
		sqlite3_reset(texts);
		sqlite3_clear_bindings(texts);	/* it named source[] */
	}
	if (spans != NULL)
		sqlite3_reset(spans);
	return sound ? 0 : -1;
}
