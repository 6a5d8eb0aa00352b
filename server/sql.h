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
 * Binds the arguments described by fmt to stmt's parameters 1..n, after
 * resetting it: 't' a const char * (NULL binds NULL), 'i' an int64_t,
 * 'z' a size_t. Returns SQLITE_OK or the first error.
 */
int sql_bind(sqlite3_stmt *stmt, const char *fmt, ...);
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
 * Runs PRAGMA quick_check (or integrity_check when full is non-zero) and
 * PRAGMA foreign_key_check, then recomputes the derived data of schema 005
 * and compares. Returns SQLITE_OK when all report no problem,
 * SQLITE_CORRUPT when one does, or the error that stopped them; then why
 * describes the problem.
 */
int sql_check(sqlite3 *db, int full, char *why, size_t whylen);

#endif
