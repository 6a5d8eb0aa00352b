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
		const int64_t *n;
		const double *d;
		switch (fmt[i]) {
		case 't':
			text = va_arg(ap, const char *);
			rc = text == NULL ? sqlite3_bind_null(stmt, i + 1) :
			    sqlite3_bind_text(stmt, i + 1, text, -1,
			    SQLITE_TRANSIENT);
			break;
		case 's':
			text = va_arg(ap, const char *);
			rc = sqlite3_bind_text64(stmt, i + 1, text,
			    va_arg(ap, size_t), SQLITE_STATIC, SQLITE_UTF8);
			break;
		case 'i':
			rc = sqlite3_bind_int64(stmt, i + 1,
			    va_arg(ap, int64_t));
			break;
		case 'z':
			rc = sqlite3_bind_int64(stmt, i + 1,
			    (sqlite3_int64)va_arg(ap, size_t));
			break;
		case 'o':
			n = va_arg(ap, const int64_t *);
			rc = n == NULL ? sqlite3_bind_null(stmt, i + 1) :
			    sqlite3_bind_int64(stmt, i + 1, *n);
			break;
		case 'd':
			d = va_arg(ap, const double *);
			rc = d == NULL ? sqlite3_bind_null(stmt, i + 1) :
			    sqlite3_bind_double(stmt, i + 1, *d);
			break;
		default:
			rc = SQLITE_MISUSE;
		}
	}
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

/*
 * The derived data of schema 005, as queries over the facts. A mention
 * overlaps an evidence span when it starts before the span ends and ends
 * after it starts; it starts less than the longest mention's length
 * before the span does, which bounds the range scanned in span's index.
 */
#define LONGEST_MENTION "(SELECT max(s.byte_end - s.byte_start)" \
	" FROM mention m JOIN span s ON s.id = m.span_id)"
#define MENTIONED_IN(kind, link, key) "SELECT " kind ", e." key \
	", m.participant_id FROM " link " e JOIN span s ON s.id = e.span_id" \
	" JOIN span ms ON ms.source_id = s.source_id" \
	" AND ms.byte_start > s.byte_start - " LONGEST_MENTION \
	" AND ms.byte_start < s.byte_end AND ms.byte_end > s.byte_start" \
	" JOIN mention m ON m.span_id = ms.id"
#define CLAIM_LINK "(SELECT v.claim_id, e.span_id FROM claim_value v" \
	" JOIN claim_value_evidence e ON e.claim_value_id = v.id)"
#define FACT_SOURCES "SELECT 'participant', m.participant_id," \
	" s.source_id FROM mention m JOIN span s ON s.id = m.span_id" \
	" UNION SELECT 'agreement', e.agreement_id, s.source_id" \
	" FROM agreement_evidence e JOIN span s ON s.id = e.span_id" \
	" UNION SELECT 'outcome', e.outcome_id, s.source_id" \
	" FROM outcome_evidence e JOIN span s ON s.id = e.span_id" \
	" UNION SELECT 'claim', e.claim_id, s.source_id" \
	" FROM " CLAIM_LINK " e JOIN span s ON s.id = e.span_id"
#define FACT_PARTICIPANTS "SELECT 'agreement', agreement_id," \
	" participant_id FROM agreement_party" \
	" UNION SELECT 'outcome', outcome_id, participant_id" \
	" FROM outcome_party" \
	" UNION " MENTIONED_IN("'agreement'", "agreement_evidence", \
	"agreement_id") \
	" UNION " MENTIONED_IN("'outcome'", "outcome_evidence", "outcome_id") \
	" UNION " MENTIONED_IN("'claim'", CLAIM_LINK, "claim_id")
#define CORROBORATION(kind, table) "(SELECT count(*) FROM fact_source f" \
	" WHERE f.kind = " kind " AND f.fact_id = " table ".id)"
/* A claim is disputed exactly when a curated relation between two of its
 * values is `contradicts`; its values differ when it has two or more. */
#define DISPUTED "EXISTS (SELECT 1 FROM claim_relation r" \
	" WHERE r.claim_id = claim.id AND r.relation = 'contradicts')"
#define DIFFERS "((SELECT count(*) FROM claim_value v" \
	" WHERE v.claim_id = claim.id) > 1)"

/*
 * The timeline of schema 006. A date d is "YYYY", "YYYY-MM" or
 * "YYYY-MM-DD" (a timeframe "A/B" runs from A's first day to B's last);
 * its first and last days are YYYY-MM-DD, the last day of a month from
 * SQLite's calendar. A claim value is dated when it is such a date that
 * the calendar knows (no month 13, no February 30).
 */
#define FIRST_DAY(d) "(CASE length(" d ") WHEN 4 THEN " d " || '-01-01'" \
	" WHEN 7 THEN " d " || '-01' ELSE " d " END)"
#define LAST_DAY(d) "(CASE length(" d ") WHEN 4 THEN " d " || '-12-31'" \
	" WHEN 7 THEN date(" d " || '-01', '+1 month', '-1 day')" \
	" ELSE " d " END)"
#define PRECISION(d) "(CASE WHEN " d " IS NULL THEN NULL" \
	" WHEN length(" d ") = 4 THEN 'year' WHEN length(" d ") = 7" \
	" THEN 'month' ELSE 'day' END)"
#define TF_START "substr(o.timeframe, 1, instr(o.timeframe || '/', '/') - 1)"
#define TF_END "substr(o.timeframe, instr(o.timeframe, '/') + 1)"
#define DATED(v) "((" v " GLOB '[0-9][0-9][0-9][0-9]' OR " v " GLOB" \
	" '[0-9][0-9][0-9][0-9]-[0-9][0-9]' OR " v " GLOB" \
	" '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')" \
	" AND date(" FIRST_DAY(v) ") IS " FIRST_DAY(v) ")"
#define TIMELINE "SELECT 'agreement', a.id, NULL, a.date," \
	" " FIRST_DAY("a.date") ", " LAST_DAY("a.date") "," \
	" " PRECISION("a.date") ", 0, a.ordinal, 0 FROM agreement a" \
	" UNION ALL SELECT 'outcome', o.id, NULL, o.timeframe," \
	" " FIRST_DAY(TF_START) ", " LAST_DAY(TF_END) "," \
	" o.timeframe_precision, 1, o.ordinal, 0 FROM outcome o" \
	" UNION ALL SELECT 'claim', v.claim_id, v.value, v.value," \
	" " FIRST_DAY("v.value") ", " LAST_DAY("v.value") "," \
	" " PRECISION("v.value") ", 2, c.ordinal, v.ordinal" \
	" FROM claim_value v JOIN claim c ON c.id = v.claim_id" \
	" WHERE " DATED("v.value")
#define TIMELINE_COLUMNS "kind, fact_id, value, date, first_day, last_day," \
	" precision, rank, ordinal, value_ordinal"

int
sql_derive(sqlite3 *db, char *why, size_t whylen)
{
	static const char derive[] =
	    "INSERT INTO fact_source (kind, fact_id, source_id) "
	    FACT_SOURCES ";"
	    "INSERT INTO fact_participant (kind, fact_id, participant_id) "
	    FACT_PARTICIPANTS ";"
	    "UPDATE agreement SET corroboration = "
	    CORROBORATION("'agreement'", "agreement") ";"
	    "UPDATE outcome SET corroboration = "
	    CORROBORATION("'outcome'", "outcome") ";"
	    "UPDATE claim SET corroboration = "
	    CORROBORATION("'claim'", "claim") ", disputed = " DISPUTED
	    ", differs = " DIFFERS ";"
	    "INSERT INTO timeline (" TIMELINE_COLUMNS ") " TIMELINE ";"
	    "ANALYZE;";
	char *msg = NULL;
	int rc;

	rc = sqlite3_exec(db, derive, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		snprintf(why, whylen, "deriving: %s", msg != NULL ? msg :
		    sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

/* Returns SQLITE_OK when the derived data is what the facts give. */
static int
derived_clean(sqlite3 *db, char *why, size_t whylen)
{
	static const struct {
		const char *what;
		const char *query;	/* one integer: 1 when it holds */
	} checks[] = {
		{ "fact_source", "SELECT (SELECT count(*) FROM fact_source) ="
		    " (SELECT count(*) FROM (" FACT_SOURCES ")) AND NOT EXISTS"
		    " (" FACT_SOURCES " EXCEPT SELECT kind, fact_id, source_id"
		    " FROM fact_source)" },
		{ "fact_participant", "SELECT (SELECT count(*) FROM"
		    " fact_participant) = (SELECT count(*) FROM ("
		    FACT_PARTICIPANTS ")) AND NOT EXISTS (" FACT_PARTICIPANTS
		    " EXCEPT SELECT kind, fact_id, participant_id"
		    " FROM fact_participant)" },
		{ "corroboration", "SELECT NOT EXISTS (SELECT 1 FROM agreement"
		    " WHERE corroboration <> " CORROBORATION("'agreement'",
		    "agreement") ") AND NOT EXISTS (SELECT 1 FROM outcome"
		    " WHERE corroboration <> " CORROBORATION("'outcome'",
		    "outcome") ") AND NOT EXISTS (SELECT 1 FROM claim"
		    " WHERE corroboration <> " CORROBORATION("'claim'", "claim")
		    " OR disputed <> " DISPUTED " OR differs <> " DIFFERS ")" },
		{ "timeline", "SELECT (SELECT count(*) FROM timeline) ="
		    " (SELECT count(*) FROM (" TIMELINE ")) AND NOT EXISTS"
		    " (" TIMELINE " EXCEPT SELECT " TIMELINE_COLUMNS
		    " FROM timeline)" },
	};

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int64_t holds = 0;
		int rc = sql_integer(db, checks[i].query, &holds);
		if (rc != SQLITE_OK) {
			snprintf(why, whylen, "checking %s: %s", checks[i].what,
			    sqlite3_errmsg(db));
			return rc;
		}
		if (holds != 1) {
			snprintf(why, whylen, "%s differs from what the facts "
			    "give", checks[i].what);
			return SQLITE_CORRUPT;
		}
	}
	return SQLITE_OK;
}

int
sql_check(sqlite3 *db, unsigned flags, char *why, size_t whylen)
{
	int rc;

	rc = pragma_clean(db, "PRAGMA quick_check(1)", 0, why, whylen);
	if (rc != SQLITE_OK)
		return rc;
	rc = pragma_clean(db, "PRAGMA foreign_key_check", 1, why, whylen);
	if (rc != SQLITE_OK || !(flags & SQL_CHECK_DERIVED))
		return rc;
	return derived_clean(db, why, whylen);
}
