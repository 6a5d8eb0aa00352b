#include "sql.h"

#include <stdio.h>
#include <string.h>

int
sql_bindv(sqlite3_stmt *stmt, const char *fmt, va_list ap)
{
	int rc = SQLITE_OK;

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	for (int i = 0; fmt[i] != '\0' && rc == SQLITE_OK; i++) {
		const char *text;
		switch (fmt[i]) {
		case 't':
			text = va_arg(ap, const char *);
			rc = text == NULL ? sqlite3_bind_null(stmt, i + 1) :
			    sqlite3_bind_text(stmt, i + 1, text, -1,
			    SQLITE_TRANSIENT);
			break;
		case 'i':
			rc = sqlite3_bind_int64(stmt, i + 1,
			    va_arg(ap, int64_t));
			break;
		case 'z':
			rc = sqlite3_bind_int64(stmt, i + 1,
			    (sqlite3_int64)va_arg(ap, size_t));
			break;
		default:
			rc = SQLITE_MISUSE;
		}
	}
	return rc;
}

int
sql_bind(sqlite3_stmt *stmt, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sql_bindv(stmt, fmt, ap);
	va_end(ap);
	return rc;
}

int
sql_integer(sqlite3 *db, const char *query, int64_t *out)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(db, query, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_EMPTY;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Returns SQLITE_OK when the pragma's only row is "ok" (or it has none
 * and none_ok is set); else describes its first row in why. */
static int
pragma_clean(sqlite3 *db, const char *query, int none_ok, char *why,
    size_t whylen)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(db, query, -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		snprintf(why, whylen, "%s: %s", query, sqlite3_errmsg(db));
		return rc;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		rc = none_ok ? SQLITE_OK : SQLITE_CORRUPT;
	} else if (rc == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(stmt, 0);
		if (!none_ok && first != NULL && strcmp(first, "ok") == 0) {
			rc = SQLITE_OK;
		} else {
			size_t n = (size_t)snprintf(why, whylen, "%s:", query);
			for (int i = 0; i < sqlite3_column_count(stmt) &&
			    n < whylen; i++) {
				const char *v = (const char *)
				    sqlite3_column_text(stmt, i);
				n += (size_t)snprintf(why + n, whylen - n,
				    " %s", v != NULL ? v : "NULL");
			}
			rc = SQLITE_CORRUPT;
		}
	} else {
		snprintf(why, whylen, "%s: %s", query, sqlite3_errmsg(db));
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
sql_check(sqlite3 *db, int full, char *why, size_t whylen)
{
	int rc;

	rc = pragma_clean(db, full ? "PRAGMA integrity_check(1)" :
	    "PRAGMA quick_check(1)", 0, why, whylen);
	if (rc != SQLITE_OK)
		return rc;
	return pragma_clean(db, "PRAGMA foreign_key_check", 1, why, whylen);
}
