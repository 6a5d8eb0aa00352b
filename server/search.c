#include "search.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "span.h"

static const char search_sql[] = "SELECT kind, ref, base,"
    " highlight(search_index, 0, char(1), char(2)) AS marked,"
    " snippet(search_index, 0, '«', '»', '…', 16)"
    " AS snippet, bm25(search_index) AS score FROM search_index"
    " WHERE search_index MATCH ?1"
    " AND (?2 IS NULL OR kind = ?2) ORDER BY rank LIMIT ?3";

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
	if ((st = record_text(db, source, &text, &len)) != DB_OK) {
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
			else if (++n % 256 == 0 && db_expired(db))
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

/* Stores in *out a new array (caller decrefs) of the rows of the search
 * for q, read whole: the spans of each hit use other statements. */
static enum db_status
search_rows(struct db *db, const char *q, const char *kind, size_t limit,
    json_t **out)
{
	sqlite3_stmt *stmt;
	json_t *rowset;
	int rc;

	stmt = db_statement(db, search_sql, (const char *const[]){ q, kind },
	    2);
	if (stmt == NULL ||
	    sqlite3_bind_int64(stmt, 3, (sqlite3_int64)limit) != SQLITE_OK)
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

/* Stores in *out the new hit {kind, id, label, score, snippet, spans} of the
 * search row `row`. */
static enum db_status
hit(struct db *db, json_t *row, json_t **out)
{
	const char *k = json_string_value(json_object_get(row, "kind"));
	const char *ref = json_string_value(json_object_get(row, "ref"));
	json_t *spans = NULL, *label = NULL;
	enum db_status st;

	if ((st = record_label(db, k, ref, &label)) != DB_OK)
		return st;
	if (strcmp(k, "source") == 0)
		st = marked_spans(db, ref, json_string_value(json_object_get(
		    row, "marked")), (size_t)json_integer_value(
		    json_object_get(row, "base")), &spans);
	else
		st = record_spans(db, k, ref, &spans);
	if (st != DB_OK) {
		json_decref(label);
		return st;
	}
	*out = json_pack("{s:s, s:s, s:o, s:f, s:O, s:o}", "kind", k, "id",
	    ref, "label", label, "score", -json_real_value(json_object_get(row,
	    "score")), "snippet", json_object_get(row, "snippet"), "spans",
	    spans);
	return *out != NULL ? DB_OK : DB_ERROR;
}

enum db_status
search_run(struct db *db, const char *q, const char *kind, size_t limit,
    json_t **out)
{
	json_t *hits, *rowset = NULL, *row, *item = NULL;
	enum db_status st;
	size_t i;

	st = search_rows(db, q, kind, limit, &rowset);
	if (st != DB_OK)
		return st;
	hits = json_array();
	json_array_foreach(rowset, i, row) {
		st = hit(db, row, &item);
		if (st == DB_OK && json_array_append_new(hits, item) != 0)
			st = DB_ERROR;
		if (st != DB_OK)
			break;
	}
	json_decref(rowset);
	if (st != DB_OK) {
		json_decref(hits);
		return st;
	}
	*out = hits;
	return DB_OK;
}
