#include "db.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "memo.h"
#include "schema.h"
#include "sql.h"
#include "tokenize.h"
#include "verify.h"

/* The most fixed statements (db_statement) one connection prepares: those
 * of record.c, search.c, collection.c and this file. */
#define FIXED_MAX 64
/* The list statements (db_prepared) one connection keeps. */
#define CACHE_SIZE 32

static const char data_digest_sql[] =
    "SELECT value FROM meta WHERE key = 'data_sha256'";
/* Every span, in text order: sources by ordinal, spans by byte start. */
static const char all_spans_sql[] = "SELECT s.source_id, s.cp_start,"
    " s.cp_end, s.byte_start, s.byte_end, s.utf16_start, s.utf16_end,"
    " s.exact, s.prefix, s.suffix FROM span s JOIN source src"
    " ON src.id = s.source_id ORDER BY src.ordinal, s.byte_start";
static const char source_text_sql[] =
    "SELECT CAST(text AS BLOB) FROM source WHERE id = ?";

/* A prepared statement and its key: the address of a static SQL text
 * (fixed), or a copy of a built one (cached). */
struct prepared {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct db {
	sqlite3 *conn;
	struct prepared fixed[FIXED_MAX];
	size_t nfixed;
	struct prepared cache[CACHE_SIZE];	/* sql: malloc'd copies */
	size_t cache_next;	/* the entry to replace next */
	int64_t deadline_ms;
	atomic_bool interrupted;	/* by db_interrupt: for good */
	struct memo *records;	/* list items rendered, or NULL */
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

/* Makes conn defensive (no schema trusted, no extension loaded) and sets
 * tight limits, so that no query runs away. */
static void
harden(sqlite3 *conn)
{
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	sqlite3_limit(conn, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(conn, SQLITE_LIMIT_SQL_LENGTH, 1 << 16);
	sqlite3_limit(conn, SQLITE_LIMIT_LENGTH, 1 << 26);
	sqlite3_limit(conn, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(conn, SQLITE_LIMIT_COMPOUND_SELECT, 8);
	sqlite3_limit(conn, SQLITE_LIMIT_VARIABLE_NUMBER, 64);
	sqlite3_limit(conn, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
}

/* Checks that the file at path, open on conn, is an accord database of
 * this build's schema, whole. Returns 0, or -1 with a message in err. */
static int
check_identity(sqlite3 *conn, const char *path, char *err, size_t errlen)
{
	int64_t app_id = 0, version = 0, pages = 0, page_size = 0;
	struct stat st;

	if (sql_integer(conn, "PRAGMA application_id", &app_id) !=
	    SQLITE_OK || sql_integer(conn, "PRAGMA user_version",
	    &version) != SQLITE_OK) {
		snprintf(err, errlen, "%s: not a database: %s", path,
		    sqlite3_errmsg(conn));
		return -1;
	}
	if (app_id != SQL_APPLICATION_ID) {
		snprintf(err, errlen, "%s: not an accord database "
		    "(application_id %lld)", path, (long long)app_id);
		return -1;
	}
	if (version != (int64_t)schema_count) {
		snprintf(err, errlen, "%s: schema version %lld, this build "
		    "reads %zu", path, (long long)version, schema_count);
		return -1;
	}
	/* A file cut short (a copy that stopped, a full disk) is found
	 * here, before any query reads past its end. */
	if (stat(path, &st) != 0 || sql_integer(conn, "PRAGMA page_count",
	    &pages) != SQLITE_OK || sql_integer(conn, "PRAGMA page_size",
	    &page_size) != SQLITE_OK || pages * page_size != st.st_size) {
		snprintf(err, errlen, "%s: the file is not the size its header "
		    "gives", path);
		return -1;
	}
	return 0;
}

int
db_open(const char *path, struct db **out, char *err, size_t errlen)
{
	struct db *db;
	char uri[4200];

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
		goto close_db;
	}
	harden(db->conn);
	if (tokenize_register(db->conn) != SQLITE_OK) {
		snprintf(err, errlen, "%s: the search tokenizer: %s", path,
		    sqlite3_errmsg(db->conn));
		goto close_db;
	}
	sqlite3_progress_handler(db->conn, 1000, progress, db);
	if (check_identity(db->conn, path, err, errlen) != 0)
		goto close_db;
	*out = db;
	return 0;

close_db:
	db_close(db);
	return -1;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nfixed; i++)
		sqlite3_finalize(db->fixed[i].stmt);
	for (size_t i = 0; i < CACHE_SIZE; i++) {
		sqlite3_finalize(db->cache[i].stmt);
		free((char *)db->cache[i].sql);
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

sqlite3_stmt *
db_statement(struct db *db, const char *sql, const char *const *keys,
    int nkeys)
{
	sqlite3_stmt *stmt = NULL;
	size_t i;

	for (i = 0; i < db->nfixed && db->fixed[i].sql != sql; i++)
		;
	if (i < db->nfixed) {
		stmt = db->fixed[i].stmt;
	} else {
		if (i == FIXED_MAX || sqlite3_prepare_v3(db->conn, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
			return NULL;
		db->fixed[db->nfixed++] = (struct prepared){ sql, stmt };
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	for (int k = 0; k < nkeys; k++)
		if (sqlite3_bind_text(stmt, k + 1, keys[k], -1,
		    SQLITE_STATIC) != SQLITE_OK)
			return NULL;
	return stmt;
}

sqlite3_stmt *
db_prepared(struct db *db, const char *sql)
{
	struct prepared *slot;

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
	free((char *)slot->sql);
	slot->stmt = NULL;
	slot->sql = strdup(sql);
	if (slot->sql == NULL)
		return NULL;
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &slot->stmt, NULL) != SQLITE_OK) {
		free((char *)slot->sql);
		slot->sql = NULL;
		slot->stmt = NULL;
		return NULL;
	}
	return slot->stmt;
}

enum db_status
db_failed(int rc)
{
	return rc == SQLITE_INTERRUPT ? DB_TIMEOUT : DB_ERROR;
}

bool
db_expired(const struct db *db)
{
	return db->deadline_ms != 0 && db_now_ms() > db->deadline_ms;
}

json_t *
db_row(sqlite3_stmt *stmt, int first)
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

enum db_status
db_rows(struct db *db, const char *sql, const char *const *keys, int nkeys,
    bool scalars, json_t **out)
{
	sqlite3_stmt *stmt = db_statement(db, sql, keys, nkeys);
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
		    stmt, 0)) : db_row(stmt, 0);
		if (json_array_append_new(arr, item) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return db_failed(rc);
	}
	*out = arr;
	return DB_OK;
}

json_t *
db_take_keys(json_t *row, size_t nkeys)
{
	json_t *keys = json_array();

	for (size_t k = 0; keys != NULL && k < nkeys; k++) {
		char name[32];
		snprintf(name, sizeof(name), "_k%zu", k);
		json_array_append(keys, json_object_get(row, name));
		json_object_del(row, name);
	}
	return keys;
}

int
db_keyset_rows(sqlite3_stmt *stmt, size_t nkeys, size_t limit, json_t *rows,
    json_t **last_keys, json_t **next)
{
	json_t *item;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (json_array_size(rows) == limit) {
			*next = *last_keys;
			*last_keys = NULL;
			break;
		}
		item = db_row(stmt, 0);
		json_decref(*last_keys);
		*last_keys = item != NULL ? db_take_keys(item, nkeys) : NULL;
		if (item == NULL || *last_keys == NULL ||
		    json_array_append_new(rows, item) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	return rc;
}

struct memo *
db_memo(struct db *db)
{
	return db->records;
}

enum db_status
db_data_digest(struct db *db, char out[65])
{
	sqlite3_stmt *stmt = db_statement(db, data_digest_sql, NULL, 0);
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
		    db_failed(rc);
	}
	sqlite3_reset(stmt);
	return st;
}

/* Reads the all_spans_sql row `row` into *out, borrowing its texts. */
static void
stored_span(sqlite3_stmt *row, struct verify_stored *out)
{
	*out = (struct verify_stored){
		.cp_start = (size_t)sqlite3_column_int64(row, 1),
		.cp_end = (size_t)sqlite3_column_int64(row, 2),
		.byte_start = (size_t)sqlite3_column_int64(row, 3),
		.byte_end = (size_t)sqlite3_column_int64(row, 4),
		.utf16_start = (size_t)sqlite3_column_int64(row, 5),
		.utf16_end = (size_t)sqlite3_column_int64(row, 6),
	};
	for (int i = 0; i < 3; i++) {
		out->texts[i] = (const char *)sqlite3_column_text(row, 7 + i);
		out->lens[i] = (size_t)sqlite3_column_bytes(row, 7 + i);
	}
}

/*
 * Steps `texts` (source_text_sql, bound to the source) and stores its
 * text, borrowed from the statement until its next reset, in *text and
 * *len. Returns NULL, or why the text cannot be checked (written to err
 * when it is the data's fault; else the caller reports SQLite's error).
 */
static const char *
read_text(sqlite3_stmt *texts, const char *source, const char **text,
    size_t *len, char *err, size_t errlen)
{
	int rc = sqlite3_step(texts);

	if (rc == SQLITE_DONE) {
		snprintf(err, errlen, "verifying spans: no source %s", source);
		return err;
	}
	if (rc != SQLITE_ROW)
		return "";
	*len = (size_t)sqlite3_column_bytes(texts, 0);
	*text = *len > 0 ? sqlite3_column_blob(texts, 0) : "";
	if (*text == NULL) {
		snprintf(err, errlen, "verifying spans: cannot read the text "
		    "of source %s", source);
		return err;
	}
	if (!verify_utf8(*text, *len)) {
		snprintf(err, errlen, "the text of source %s is not valid "
		    "UTF-8 without NUL", source);
		return err;
	}
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
	sqlite3_stmt *spans = db_statement(db, all_spans_sql, NULL, 0);
	sqlite3_stmt *texts = NULL;
	char source[80] = "";
	const char *text = "", *why = "", *key = source;
	size_t len = 0;
	struct verify_walk walk = { { 0, 0, 0 }, NULL };
	struct verify_stored span;
	int rc = SQLITE_ERROR;

	while (spans != NULL && (rc = sqlite3_step(spans)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(spans, 0);

		if (id == NULL)
			break;
		if (texts == NULL || strcmp(id, source) != 0) {
			snprintf(source, sizeof(source), "%s", id);
			texts = db_statement(db, source_text_sql, &key, 1);
			why = texts == NULL ? "" : read_text(texts, source,
			    &text, &len, err, errlen);
			if (why != NULL)
				goto reset_statements;
			verify_walk_reset(&walk);
		}
		stored_span(spans, &span);
		if ((why = verify_span(&span, text, len, &walk)) != NULL) {
			snprintf(err, errlen, "span %lld..%lld of source %s does "
			    "not match its text: %s", sqlite3_column_int64(spans,
			    3), sqlite3_column_int64(spans, 4), source, why);
			goto reset_statements;
		}
	}
	why = rc == SQLITE_DONE ? NULL : "";
reset_statements:
	/* An empty why: SQLite's error, not yet written. */
	if (why != NULL && why[0] == '\0')
		snprintf(err, errlen, "verifying spans: %s",
		    sqlite3_errmsg(db->conn));
	if (texts != NULL) {
		sqlite3_reset(texts);
		sqlite3_clear_bindings(texts);	/* it named source[] */
	}
	if (spans != NULL)
		sqlite3_reset(spans);
	verify_walk_reset(&walk);
	return why == NULL ? 0 : -1;
}
