/* db: the daemon's read-only view of an accord database (one per thread). */
#ifndef ACCORD_DB_H
#define ACCORD_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

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
 * user_version must match this build. Stores the handle in *out (free with
 * db_close) and returns 0; returns -1 with a message in err on failure.
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
 * prefix and suffix agree with its source's text. Returns 0, or -1 with
 * the first span that does not in err.
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

/* The filters a list may take, each bound as text. */
enum db_param {
	DB_PARAM_SOURCE,	/* facts with a span in this source */
	DB_PARAM_PARTICIPANT,	/* facts with this party or a mention */
	DB_PARAM_STATUS,
	DB_PARAM_KIND,
	DB_PARAM_ROLE,
	DB_PARAM_COUNTRY,
	DB_PARAM_AGREEMENT,	/* outcomes of this agreement */
	/* Dates, YYYY, YYYY-MM or YYYY-MM-DD (valid: vocab_valid_date),
	 * each standing for every day of its period: the records whose
	 * date or timeframe ends on or after date_from's first day, and
	 * starts on or before date_to's last day. The caller refuses a
	 * date_to whose last day comes before date_from's first (see
	 * vocab_dates_ordered): the store would keep the records spanning
	 * the gap between them. */
	DB_PARAM_DATE_FROM,
	DB_PARAM_DATE_TO,
	DB_PARAM_DISPUTED,	/* "0" or "1" */
	DB_PARAM_COUNT
};

#define DB_SORT_MAX 4

struct db_sort {
	const char *field;
	bool descending;
};

/* A page of a list: filters (NULL: not filtered), sort fields, the sort
 * keys of the last record of the previous page (or NULL: the first page),
 * the page size, and whether to count all matching records. */
struct db_query {
	const char *params[DB_PARAM_COUNT];
	struct db_sort sort[DB_SORT_MAX];
	size_t nsort;
	const json_t *after;
	size_t limit;
	bool count;
	bool cap_mentions;	/* participants: at most `mentions` each */
	size_t mentions;
};

/* One page: its records as a compact JSON array (a new string, caller
 * frees); the sort keys of the last record when a next page exists (a new
 * reference, caller decrefs; else NULL); count is -1 unless asked. */
struct db_page {
	char *items;
	size_t items_len;
	json_t *next_after;
	long long count;
};

/* Returns true when kind can be sorted by field. */
bool db_sortable(enum db_kind kind, const char *field);

/* Returns true when kind can be filtered by param. */
bool db_filters(enum db_kind kind, enum db_param param);

/*
 * Makes db keep the list records it renders, up to `budget` bytes (0:
 * none), so that later pages, filters and sorts that return them again
 * copy them instead of querying and rendering them. Returns 0, or -1 when
 * out of memory (then nothing is kept).
 */
int db_keep_records(struct db *db, size_t budget);

/*
 * Stores in *out one page of the records of kind that pass q's filters,
 * in q's sort order with the curated order breaking ties, after the
 * keyset q->after: the cost of a page does not grow with its depth.
 * q->after (borrowed) must be keys this listing could have given: one per
 * sort field, of its type (an integer or a string), then the curated
 * position of a record that passes q's filters and whose sort keys are
 * those values (checked by one more indexed query); else DB_BAD_QUERY.
 * Returns DB_OK; DB_BAD_QUERY for such a cursor; DB_ERROR for an unknown
 * sort field; or why not (DB_TIMEOUT, DB_ERROR).
 */
enum db_status db_list(struct db *db, enum db_kind kind,
    const struct db_query *q, struct db_page *out);

/*
 * Stores in *out a new object for the record of kind with this id
 * (caller owns the reference); a source includes its text. Returns DB_OK,
 * DB_NOT_FOUND or why not.
 */
enum db_status db_get(struct db *db, enum db_kind kind, const char *id,
    json_t **out);

/* Most search hits returned at once. */
#define DB_SEARCH_MAX 100

/*
 * Runs the FTS5 query q over the articles and facts (kind, when not
 * NULL, narrows it to "source", "participant", "agreement", "outcome" or
 * "claim") and stores in *out a new array of at most limit hits, best
 * first: {kind, id, score, snippet, spans}. A source hit's spans are the
 * matched words; a fact's are its evidence (a participant's, its
 * mentions). DB_BAD_QUERY when q is not valid FTS5 syntax.
 */
enum db_status db_search(struct db *db, const char *q, const char *kind,
    size_t limit, json_t **out);

/* The number of keys in an annotations cursor (see db_annotations). */
#define DB_ANNOTATION_KEYS 6

/*
 * One page of the annotation collection. rows is a new array (caller
 * decrefs) of at most the asked limit of rows, each {kind, ref, value,
 * <span fields>}: kind is agreement, outcome, claim (value: the claim
 * value the span supports), participant (a mention) or source (value: the
 * metadata field it states; ref: the source). next_after holds the keys
 * of the last row when a next page exists (a new reference, caller
 * decrefs; else NULL). start_index is the 0-based position of rows[0]
 * (of the next row, when rows is empty) in the whole collection, and
 * total the number of annotations in it.
 */
struct db_annotation_page {
	json_t *rows;
	json_t *next_after;
	long long start_index;
	long long total;
};

/*
 * Stores in *out the page of q->limit annotations (every evidence span of
 * every agreement, outcome and claim value, every mention and every
 * source's metadata evidence) after the keyset q->after, or the first
 * page when it is NULL; the other fields of q are not read. The order is
 * fixed: agreements, outcomes, claims, participants, then sources, each
 * in curated order (a claim's values in theirs, a source's metadata
 * fields as headline, publisher, byline, date, url), and a record's spans
 * in text order (source, then byte offsets). A page reads its rows by
 * keyset (no sort of the collection), and with a cursor counts, for
 * start_index, the rows of the cursor's record and, through the indexes
 * alone, those of its kind's earlier records (the one cost growing with
 * depth: a few ms at the deepest page of a corpus 200 times the bundled).
 * q->after (borrowed) must be keys this collection could have given:
 * DB_ANNOTATION_KEYS integers naming an annotation that exists (checked
 * by an indexed query); else DB_BAD_QUERY. Returns DB_OK, DB_BAD_QUERY,
 * or why not (DB_TIMEOUT, DB_ERROR); *out is set only on DB_OK.
 */
enum db_status db_annotations(struct db *db, const struct db_query *q,
    struct db_annotation_page *out);

/*
 * Writes the digest of the data the database was built from (64 hex
 * digits and a NUL) into out. Returns DB_OK or why not.
 */
enum db_status db_data_digest(struct db *db, char out[65]);

/*
 * Stores a copy of a source's exact bytes in *text (caller frees) and
 * their count in *len. Returns DB_OK, DB_NOT_FOUND or why not.
 */
enum db_status db_source_text(struct db *db, const char *id, char **text,
    size_t *len);

#endif
