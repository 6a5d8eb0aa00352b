/* sql: small helpers shared by the store files (db.c, build.c). */
#ifndef ACCORD_SQL_H
#define ACCORD_SQL_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Identifies an accord database: "ACRD". */
#define SQL_APPLICATION_ID 0x41435244

/*
 * Binds the arguments ap, described by fmt, to stmt's parameters 1..n, after
 * resetting it: 't' a const char * (NULL binds NULL), 's' a const char *
 * and a size_t, that many bytes of text (borrowed until the statement is
 * reset: bound, not copied), 'i' an int64_t,
 * 'z' a size_t, 'o' a const int64_t * and 'd' a const double * (both
 * borrowed; NULL binds NULL). Returns SQLITE_OK or the first error.
 */
int sql_bindv(sqlite3_stmt *stmt, const char *fmt, va_list ap);

/*
 * Runs a query that returns one integer (PRAGMA user_version, say) and
 * stores it in *out. Returns SQLITE_OK, or an error code when the query
 * fails or returns no row.
 */
int sql_integer(sqlite3 *db, const char *query, int64_t *out);

/*
 * Fills the derived tables and columns of schema 005 from the facts, and
 * gathers the planner's statistics. Returns SQLITE_OK, or the error that
 * stopped it; then why says what it was.
 */
int sql_derive(sqlite3 *db, char *why, size_t whylen);

/*
 * Runs PRAGMA quick_check and PRAGMA foreign_key_check, then, with
 * SQL_CHECK_DERIVED, recomputes the derived data of schema 005 and
 * compares. Returns SQLITE_OK when all report no problem,
 * SQLITE_CORRUPT when one does, or the error that stopped them; then why
 * describes the problem.
 */
enum sql_check_flags {
	SQL_CHECK_DERIVED = 2,	/* recompute the derived data and compare */
};
int sql_check(sqlite3 *db, unsigned flags, char *why, size_t whylen);

#endif
