/*
 * record: the API's JSON shape of each kind of record, and the only place
 * that knows it: the columns read, their names, the links, the nested
 * parts (spans, parties, values, facts), integers made booleans; and the
 * memo of records rendered for the lists.
 */
#ifndef ACCORD_RECORD_H
#define ACCORD_RECORD_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"
#include "selection.h"
#include "text.h"

/* The columns of a span as the API names them (s: the span, src: its
 * source): offsets in code points (start, end), bytes and UTF-16 units,
 * and its exact words, prefix and suffix. */
#define RECORD_SPAN_COLUMNS "s.source_id AS source, s.cp_start AS start," \
	" s.cp_end AS \"end\", s.byte_start, s.byte_end, s.utf16_start," \
	" s.utf16_end, s.exact, s.prefix, s.suffix"

/* Returns the SQL columns a list of kind selects for record_append, over
 * the table aliased as the list spec's `from` (a static string). */
const char *record_columns(enum db_kind kind);

/*
 * Appends to t the compact JSON of the record `row` (a row object of
 * kind's record_columns; completed in place with its nested parts): from
 * db's memo when it holds it, else rendered and kept there. mentions:
 * when not NULL, the most mentions a participant shows (mention_count
 * still counts all); view (NULL: the whole list record) as
 * selection_apply. Returns DB_OK or why not.
 */
enum db_status record_append(struct db *db, enum db_kind kind,
    const size_t *mentions, const struct selection *view, json_t *row,
    struct text *t);


/*
 * Stores in *out a new object for the record of kind with this id
 * (caller decrefs); a source includes its text. Returns DB_OK,
 * DB_NOT_FOUND or why not.
 */
enum db_status record_get(struct db *db, enum db_kind kind, const char *id,
    json_t **out);

/*
 * Shapes in place a row of statement_page into a statement of
 * "GET /participants/{id}/statements": {kind, id, value_key, relayed (a
 * boolean), stance, certainty, as_of, span}. Returns 0, or -1 when out of
 * memory.
 */
int record_statement(json_t *row);

/*
 * Stores a copy of a source's exact bytes in *text (caller frees; NUL
 * after the last byte) and their count in *len. Returns DB_OK,
 * DB_NOT_FOUND or why not.
 */
enum db_status record_text(struct db *db, const char *id, char **text,
    size_t *len);

/*
 * Stores in *out a new string (caller decrefs), the label of the record of
 * kind ("source", "participant", "agreement", "outcome", "claim") with
 * this id, as the record's own `label`. Returns DB_OK, DB_NOT_FOUND (no
 * such record, or another kind) or why not.
 */
enum db_status record_label(struct db *db, const char *kind, const char *id,
    json_t **out);

/*
 * Stores in *out a new array (caller decrefs) of the spans of the record
 * of kind ("participant": its mentions; "agreement", "outcome", "claim":
 * its evidence) with this id, in text order. Returns DB_OK, or DB_ERROR
 * for another kind, or why not.
 */
enum db_status record_spans(struct db *db, const char *kind, const char *id,
    json_t **out);

#endif
