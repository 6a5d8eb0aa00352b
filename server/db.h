/*
 * db: one read-only connection to an accord database (one per thread):
 * opening and checking the file, the query deadline, and the prepared
 * statements and rows the store's other files (record, query, search,
 * collection) read through it.
 */
#ifndef ACCORD_DB_H
#define ACCORD_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct memo;

enum db_status {
	DB_OK = 0,
	DB_NOT_FOUND,	/* no record with that id */
	DB_TIMEOUT,	/* the query deadline passed */
	DB_ERROR,	/* anything else; the database is unusable */
	DB_BAD_QUERY,	/* a search query that does not parse, or a
			 * cursor this listing could not have given */
};

/* The kinds of record the API serves. */
enum db_kind {
	DB_SOURCES,
	DB_PARTICIPANTS,
	DB_AGREEMENTS,
	DB_OUTCOMES,
	DB_CLAIMS,
	DB_KIND_COUNT
};

/*
 * Opens the accord database at path read-only (immutable, defensive, with
 * tight limits) and checks that it is one: its application_id and
 * user_version must match this build, and its size the one its header
 * gives. Stores the handle in *out (caller closes with db_close) and
 * returns 0; returns -1 with a message in err on failure.
 */
int db_open(const char *path, struct db **out, char *err, size_t errlen);

/* Closes db and finalizes its statements. Accepts NULL. */
void db_close(struct db *db);

/*
 * Runs quick_check and foreign_key_check on db and recomputes its derived
 * data (see sql_check). Returns 0 when all pass, -1 with a message in err
 * when not.
 */
int db_check(struct db *db, char *err, size_t errlen);

/*
 * Checks that every span's offsets in all three units, exact words,
 * prefix and suffix agree with its source's text (see verify_span).
 * Returns 0, or -1 with the first span that does not, or why it could not
 * be read, in err.
 */
int db_verify_spans(struct db *db, char *err, size_t errlen);

/* What db_check_file checks, besides what db_open does. */
enum db_check_what {
	DB_CHECK_PAGES = 1,	/* db_check */
	DB_CHECK_SPANS = 2,	/* db_verify_spans */
};

/*
 * Opens the file as db_open does and runs the checks in `what` (a set of
 * enum db_check_what). Returns 0 when it is a sound accord database, -1
 * with a message in err when not.
 */
int db_check_file(const char *path, unsigned what, char *err,
    size_t errlen);

/*
 * Sets the time after which queries on db are interrupted, in milliseconds
 * of CLOCK_MONOTONIC (see db_now_ms); 0 removes the deadline.
 */
void db_set_deadline(struct db *db, int64_t deadline_ms);

/* Makes the query running on db (from any thread), and every later one,
 * stop with DB_TIMEOUT or a failed check: db is then only fit to close.
 * Accepts NULL. */
void db_interrupt(struct db *db);

/* Returns CLOCK_MONOTONIC in milliseconds. */
int64_t db_now_ms(void);

/*
 * Makes db keep the list records it renders, up to `budget` bytes (0:
 * none), so that later pages, filters and sorts that return them again
 * copy them instead of querying and rendering them (see record_append).
 * Returns 0, or -1 when out of memory (then nothing is kept).
 */
int db_keep_records(struct db *db, size_t budget);

/*
 * Writes the digest of the data the database was built from (64 hex
 * digits and a NUL) into out. Returns DB_OK or why not.
 */
enum db_status db_data_digest(struct db *db, char out[65]);

/* ------------------------------------------------------------------
 * For the store's files only: statements, rows and the record memo.
 */

/*
 * Returns the statement for sql, a static string (its address is its
 * key), prepared once for the life of db, reset and bound to the texts
 * keys[0..nkeys) (each may be NULL; borrowed until the next reset). NULL
 * on error. The statement is db's: reset it when done, never finalize.
 */
sqlite3_stmt *db_statement(struct db *db, const char *sql,
    const char *const *keys, int nkeys);

/*
 * Returns the statement for sql, a text built at run time (list SQL),
 * from db's cache of the last 32 such texts, prepared when new; reset,
 * bindings cleared. NULL on error. Borrowed as db_statement's.
 */
sqlite3_stmt *db_prepared(struct db *db, const char *sql);

/* Returns the status of a step that ended with rc, not SQLITE_ROW or
 * SQLITE_DONE: DB_TIMEOUT when interrupted, else DB_ERROR. */
enum db_status db_failed(int rc);

/* Returns true once db's deadline has passed. */
bool db_expired(const struct db *db);

/*
 * Returns a new object of stmt's current row (caller decrefs), one key
 * per column from `first` on, named as the column: integers, reals, texts
 * (UTF-8, as stored) and nulls. NULL when out of memory.
 */
json_t *db_row(sqlite3_stmt *stmt, int first);

/*
 * Stores in *out a new array (caller decrefs) of the rows of the
 * statement sql (see db_statement) bound to keys: objects (db_row), or
 * the first column's texts when `scalars`. Returns DB_OK or why not.
 */
enum db_status db_rows(struct db *db, const char *sql,
    const char *const *keys, int nkeys, bool scalars, json_t **out);

/* Moves the members _k0.._k(nkeys-1) of the row object `row` (the sort
 * keys of a keyset page) into a new array, in order (caller decrefs);
 * NULL when out of memory. */
json_t *db_take_keys(json_t *row, size_t nkeys);

/*
 * Steps stmt, the statement of a keyset page whose rows end in nkeys sort
 * keys (_k0.._k(nkeys-1)), appending each row object without its keys to
 * rows (a JSON array) until rows holds limit. *last_keys holds the keys
 * of the last row appended (a reference the caller decrefs; it carries
 * over when one page is read by several statements); when one more row
 * follows a full page, they move to *next instead (caller decrefs).
 * Returns the last step's SQLite code: SQLITE_ROW when the page filled
 * up, SQLITE_DONE at the end of the rows, else the error (SQLITE_NOMEM
 * when out of memory). Does not reset stmt.
 */
int db_keyset_rows(sqlite3_stmt *stmt, size_t nkeys, size_t limit,
    json_t *rows, json_t **last_keys, json_t **next);

/* Returns the memo of records rendered on db (see db_keep_records), or
 * NULL when none is kept. Borrowed: it lives as long as db. */
struct memo *db_memo(struct db *db);

#endif
