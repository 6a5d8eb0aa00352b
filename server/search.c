#include "search.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "snippet.h"
#include "span.h"
#include "suffix.h"

/* Matches in one article past which its suffix array is made, when the
 * article is longer than this many bytes. */
#define SEARCH_SCANS 16
#define SEARCH_SCAN_BYTES 65536

/* The page's rows are chosen by rank first (the inner query: every match
 * is ranked, but nothing else is read), so that their bodies and match
 * ranges (accord_matches) are read for those rows only, not for every row
 * that matches: a common word matches thousands at scale. */
static const char search_sql[] = "SELECT kind, ref, body,"
    " accord_matches(search_index) AS matches,"
    " bm25(search_index) AS score FROM search_index"
    " WHERE search_index MATCH ?1 AND rowid IN (SELECT rowid"
    " FROM search_index WHERE search_index MATCH ?1"
    " AND (?2 IS NULL OR kind = ?2) ORDER BY rank, rowid LIMIT ?3"
    " OFFSET ?4) ORDER BY rank, rowid";

static const char count_sql[] = "SELECT count(*) FROM search_index"
    " WHERE search_index MATCH ?1 AND (?2 IS NULL OR kind = ?2)";

/*
 * Returns a new span object for text[byte_start..byte_end) of source,
 * measuring from *hint (see span_describe_from: spans asked for in text
 * order cost O(text) in all), its quote selector made unique with idx,
 * the text's suffix array, or by scanning the text when idx is NULL.
 */
static json_t *
span_object(const char *source, const char *text, size_t len,
    const struct suffix *idx, size_t byte_start, size_t byte_end,
    struct utf8_pos *hint)
{
	struct span sp;

	if (!span_describe_in(text, len, idx, byte_start, byte_end, hint, &sp))
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

/*
 * Stores in *out the spans (a new array, caller decrefs) of the matches
 * m found in the article `source`, whose whole text m holds. Returns
 * DB_OK, DB_TIMEOUT when the deadline passes while it works, or
 * DB_ERROR.
 */
static enum db_status
marked_spans(struct db *db, const char *source,
    const struct snippet_marks *m, json_t **out)
{
	json_t *spans = json_array();
	struct utf8_pos hint = { 0 };
	enum db_status st = DB_OK;
	/* Each selector made unique by a scan costs O(text): for many
	 * matches in a long article, the suffix array costs less. */
	struct suffix *idx = m->n > SEARCH_SCANS && m->len > SEARCH_SCAN_BYTES ?
	    suffix_build(m->text, m->len) : NULL;

	for (size_t i = 0; spans != NULL && i < m->n && i < SEARCH_SPANS_MAX &&
	    st == DB_OK; i++) {
		json_t *span = span_object(source, m->text, m->len, idx,
		    m->starts[i], m->ends[i], &hint);
		if (span == NULL || json_array_append_new(spans, span) != 0)
			st = DB_ERROR;
		else if ((i + 1) % 256 == 0 && db_expired(db))
			st = DB_TIMEOUT;
	}
	suffix_free(idx);
	if (spans == NULL || st != DB_OK) {
		json_decref(spans);
		return spans == NULL ? DB_ERROR : st;
	}
	*out = spans;
	return DB_OK;
}

/* Binds s to the statement sql; NULL on error. */
static sqlite3_stmt *
bound(struct db *db, const char *sql, const struct search_query *s,
    size_t limit)
{
	sqlite3_stmt *stmt = db_statement(db, sql,
	    (const char *const[]){ s->q, s->kind }, 2);

	if (stmt != NULL && limit > 0 && (sqlite3_bind_int64(stmt, 3,
	    (sqlite3_int64)limit) != SQLITE_OK || sqlite3_bind_int64(stmt, 4,
	    (sqlite3_int64)s->offset) != SQLITE_OK)) {
		sqlite3_reset(stmt);
		return NULL;
	}
	return stmt;
}

/* Stores in *out a new array (caller decrefs) of the rows of the search
 * s, one more than its limit, read whole: the spans of each hit use
 * other statements. */
static enum db_status
search_rows(struct db *db, const struct search_query *s, json_t **out)
{
	sqlite3_stmt *stmt = bound(db, search_sql, s, s->limit + 1);
	json_t *rowset;
	int rc;

	if (stmt == NULL)
		return DB_ERROR;
	rowset = json_array();
	if (rowset == NULL)
		return DB_ERROR;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *row = db_row(stmt, 0);
		if (row == NULL || json_array_append_new(rowset, row) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(rowset);
		return rc == SQLITE_ERROR ? DB_BAD_QUERY : db_failed(rc);
	}
	*out = rowset;
	return DB_OK;
}

/* Stores in *out the new hit {kind, id, label, score, snippet, spans} of
 * the search row `row`. */
static enum db_status
hit(struct db *db, json_t *row, json_t **out)
{
	const char *k = json_string_value(json_object_get(row, "kind"));
	const char *ref = json_string_value(json_object_get(row, "ref"));
	json_t *body = json_object_get(row, "body"), *spans = NULL;
	json_t *label = NULL;
	struct snippet_marks m;
	char *snippet;
	enum db_status st;

	if ((st = record_label(db, k, ref, &label)) != DB_OK)
		return st;
	if (!snippet_read(json_string_value(body), json_string_length(body),
	    json_string_value(json_object_get(row, "matches")), &m)) {
		json_decref(label);
		return DB_ERROR;
	}
	if (strcmp(k, "source") == 0)
		st = marked_spans(db, ref, &m, &spans);
	else
		st = record_spans(db, k, ref, &spans);
	snippet = st == DB_OK ? snippet_make(&m) : NULL;
	snippet_free(&m);
	if (st != DB_OK || snippet == NULL) {
		json_decref(spans);
		json_decref(label);
		return st != DB_OK ? st : DB_ERROR;
	}
	*out = json_pack("{s:s, s:s, s:o, s:f, s:s, s:o}", "kind", k,
	    "id", ref, "label", label, "score",
	    -json_real_value(json_object_get(row, "score")), "snippet",
	    snippet, "spans", spans);
	free(snippet);
	return *out != NULL ? DB_OK : DB_ERROR;
}

enum db_status
search_run(struct db *db, const struct search_query *s, json_t **out,
    bool *more)
{
	json_t *hits, *rowset = NULL, *row, *item = NULL;
	enum db_status st;
	size_t i, spans = 0;

	st = search_rows(db, s, &rowset);
	if (st != DB_OK)
		return st;
	hits = json_array();
	json_array_foreach(rowset, i, row) {
		/* A page ends at limit hits, or once its hits hold
		 * SEARCH_PAGE_SPANS spans (one hit at least). */
		if (i == s->limit || spans >= SEARCH_PAGE_SPANS)
			break;
		st = hits == NULL ? DB_ERROR : hit(db, row, &item);
		if (st == DB_OK)
			spans += json_array_size(json_object_get(item, "spans"));
		if (st == DB_OK && json_array_append_new(hits, item) != 0)
			st = DB_ERROR;
		if (st != DB_OK)
			break;
	}
	*more = i < json_array_size(rowset);
	json_decref(rowset);
	if (st != DB_OK) {
		json_decref(hits);
		return st;
	}
	*out = hits;
	return DB_OK;
}

enum db_status
search_count(struct db *db, const struct search_query *s, long long *count)
{
	sqlite3_stmt *stmt = bound(db, count_sql, s, 0);
	int rc;

	if (stmt == NULL)
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_ERROR ? DB_BAD_QUERY : db_failed(rc);
}
