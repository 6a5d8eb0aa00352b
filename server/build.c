#include "build.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "sql.h"
#include "tokenize.h"

enum stmt {
	ST_SOURCE,
	ST_SOURCE_FIELD,
	ST_SOURCE_FIELD_EVIDENCE,
	ST_SPAN_INSERT,
	ST_SPAN_FIND,
	ST_REGION,
	ST_META,
	ST_SEARCH,
	ST_PARTICIPANT,
	ST_ALIAS,
	ST_MENTION,
	ST_AGREEMENT,
	ST_OUTCOME,
	ST_CLAIM,
	ST_CLAIM_VALUE,
	ST_AGREEMENT_EVIDENCE,
	ST_OUTCOME_EVIDENCE,
	ST_CLAIM_VALUE_EVIDENCE,
	ST_AGREEMENT_PARTY,
	ST_OUTCOME_PARTY,
	ST_EXISTS_SOURCE,
	ST_EXISTS_PARTICIPANT,
	ST_EXISTS_AGREEMENT,
	ST_ATTRIBUTION,
	ST_VIA,
	ST_OUTCOME_TIMEFRAME,
	ST_VALUE_TYPE,
	ST_VALUE_BY_KEY,
	ST_RELATION,
	ST_DISPUTE,
	ST_NOT_MENTION,
	ST_EXISTS_OUTCOME,
	ST_EXISTS_CLAIM,
	ST_CLAIM_TIMEFRAME_OF,
	ST_COUNT
};

static const char *const statements[ST_COUNT] = {
	[ST_SOURCE] = "INSERT INTO source (id, file, sha256, text,"
	    " len_codepoints, len_bytes, len_utf16, ordinal)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* The column is named by a whitelist in build_source_field. */
	[ST_SOURCE_FIELD] = "UPDATE source SET"
	    " headline = iif(?2 = 'headline', ?3, headline),"
	    " publisher = iif(?2 = 'publisher', ?3, publisher),"
	    " byline = iif(?2 = 'byline', ?3, byline),"
	    " date = iif(?2 = 'date', ?3, date),"
	    " url = iif(?2 = 'url', ?3, url) WHERE id = ?1",
	[ST_SOURCE_FIELD_EVIDENCE] = "INSERT INTO source_metadata_evidence"
	    " (source_id, field, span_id) VALUES (?, ?, ?)",
	[ST_SPAN_INSERT] = "INSERT INTO span (source_id, cp_start, cp_end,"
	    " byte_start, byte_end, utf16_start, utf16_end, exact, prefix,"
	    " suffix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (source_id, byte_start, byte_end) DO NOTHING"
	    " RETURNING id",
	[ST_SPAN_FIND] = "SELECT id FROM span WHERE source_id = ?"
	    " AND byte_start = ? AND byte_end = ?",
	/* Staged, and indexed in one statement by build_finish: FTS5 flushes
	 * its pending terms at every statement of the transaction once it is
	 * in it. */
	[ST_SEARCH] = "INSERT INTO temp.search_stage (body, kind, ref, label)"
	    " VALUES (?, ?, ?, ?)",
	[ST_META] = "INSERT INTO meta (key, value) VALUES (?, ?)",
	[ST_REGION] = "INSERT INTO region (source_id, kind, span_id, links_to)"
	    " VALUES (?, ?, ?, ?)",
	[ST_PARTICIPANT] = "INSERT INTO participant (id, name, kind, title,"
	    " affiliation, country, role, ordinal)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_ALIAS] = "INSERT INTO participant_alias (participant_id, alias,"
	    " ordinal) VALUES (?, ?, ?)",
	[ST_MENTION] = "INSERT INTO mention (participant_id, span_id)"
	    " VALUES (?, ?)",
	[ST_AGREEMENT] = "INSERT INTO agreement (id, title, date, status,"
	    " summary, ordinal) VALUES (?, ?, ?, ?, ?, ?)",
	[ST_OUTCOME] = "INSERT INTO outcome (id, kind, status, timeframe,"
	    " timeframe_precision, agreement_id, summary, ordinal)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_CLAIM] = "INSERT INTO claim (id, subject, ordinal)"
	    " VALUES (?, ?, ?)",
	[ST_CLAIM_VALUE] = "INSERT INTO claim_value (claim_id, value, ordinal)"
	    " VALUES (?, ?, ?) RETURNING id",
	[ST_AGREEMENT_EVIDENCE] = "INSERT OR IGNORE INTO agreement_evidence"
	    " (agreement_id, span_id, attribution_id) VALUES (?, ?, ?)",
	[ST_OUTCOME_EVIDENCE] = "INSERT OR IGNORE INTO outcome_evidence"
	    " (outcome_id, span_id, attribution_id) VALUES (?, ?, ?)",
	[ST_CLAIM_VALUE_EVIDENCE] = "INSERT OR IGNORE INTO claim_value_evidence"
	    " (claim_value_id, span_id, attribution_id) VALUES (?, ?, ?)",
	[ST_AGREEMENT_PARTY] = "INSERT INTO agreement_party (agreement_id,"
	    " participant_id, ordinal) VALUES (?, ?, ?)",
	[ST_OUTCOME_PARTY] = "INSERT INTO outcome_party (outcome_id,"
	    " participant_id, ordinal) VALUES (?, ?, ?)",
	[ST_EXISTS_SOURCE] = "SELECT 1 FROM source WHERE id = ?",
	[ST_EXISTS_PARTICIPANT] = "SELECT 1 FROM participant WHERE id = ?",
	[ST_EXISTS_AGREEMENT] = "SELECT 1 FROM agreement WHERE id = ?",
	[ST_ATTRIBUTION] = "INSERT INTO attribution (speaker_id, description,"
	    " anonymous, stance, certainty, as_of) VALUES (?, ?, ?, ?, ?, ?)"
	    " RETURNING id",
	[ST_VIA] = "INSERT INTO attribution_via (attribution_id, ordinal,"
	    " participant_id, description, anonymous) VALUES (?, ?, ?, ?, ?)",
	[ST_OUTCOME_TIMEFRAME] = "UPDATE outcome SET timeframe_stated = ?2,"
	    " timeframe_rule = ?3 WHERE id = ?1",
	[ST_VALUE_TYPE] = "UPDATE claim_value SET key = ?2, type = ?3,"
	    " quantity_bound = ?4, quantity_amount = ?5, quantity_counts = ?6,"
	    " participant_id = ?7 WHERE id = ?1",
	[ST_VALUE_BY_KEY] = "SELECT id FROM claim_value WHERE claim_id = ?"
	    " AND key = ?",
	[ST_RELATION] = "INSERT INTO claim_relation (claim_id, ordinal,"
	    " first_id, second_id, relation, note) VALUES (?, ?, ?, ?, ?, ?)",
	[ST_DISPUTE] = "UPDATE claim SET dispute_reason = ?2 WHERE id = ?1",
	[ST_NOT_MENTION] = "INSERT INTO participant_not_mention"
	    " (participant_id, phrase, ordinal, removed) VALUES (?, ?, ?, ?)",
	[ST_EXISTS_OUTCOME] = "SELECT 1 FROM outcome WHERE id = ?",
	[ST_EXISTS_CLAIM] = "SELECT 1 FROM claim WHERE id = ?",
	[ST_CLAIM_TIMEFRAME_OF] = "UPDATE claim SET timeframe_of = ?"
	    " WHERE id = ?",
};

struct build {
	sqlite3 *db;
	sqlite3_stmt *stmts[ST_COUNT];
	char **deferred;	/* CREATE INDEX statements, run by build_finish */
	size_t ndeferred;
};

/* The indexes that only serve the daemon's queries: none enforces a
 * constraint (no UNIQUE, no autoindex), and no statement of the loader
 * needs one. */
static const char deferrable_sql[] = "SELECT sql FROM sqlite_master"
    " WHERE type = 'index' AND sql IS NOT NULL"
    " AND sql LIKE 'CREATE INDEX %' ORDER BY name";

static void
close_all(struct build *b)
{
	for (size_t i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(b->stmts[i]);
	for (size_t i = 0; i < b->ndeferred; i++)
		sqlite3_free(b->deferred[i]);
	free(b->deferred);
	sqlite3_close(b->db);
	free(b);
}

/* Keeps in b->deferred the CREATE statements of the indexes of
 * deferrable_sql. Returns an SQLite code. */
static int
list_deferrable(struct build *b)
{
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(b->db, deferrable_sql, -1, &stmt, NULL);

	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char **more = realloc(b->deferred, (b->ndeferred + 1) *
		    sizeof(*more));

		if (more == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		b->deferred = more;
		b->deferred[b->ndeferred] = sqlite3_mprintf("%s",
		    sqlite3_column_text(stmt, 0));
		if (b->deferred[b->ndeferred++] == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Drops the indexes of deferrable_sql, keeping their CREATE statements
 * for build_finish to run once the rows are in: an index built from all
 * its rows at once costs less than one kept up to date row by row. The
 * schema (sqlite_master's SQL) ends up the same. Returns an SQLite code.
 */
static int
defer_indexes(struct build *b)
{
	int rc = list_deferrable(b);

	for (size_t i = 0; i < b->ndeferred && rc == SQLITE_OK; i++) {
		/* "CREATE INDEX name ON ...": its name is its third word. */
		const char *name = b->deferred[i] + strlen("CREATE INDEX ");
		char *drop = sqlite3_mprintf("DROP INDEX %.*s",
		    (int)strcspn(name, " \t\r\n("), name);

		rc = drop == NULL ? SQLITE_NOMEM : sqlite3_exec(b->db, drop,
		    NULL, NULL, NULL);
		sqlite3_free(drop);
	}
	return rc;
}

/* Creates the indexes defer_indexes dropped. Returns an SQLite code. */
static int
create_deferred(struct build *b)
{
	int rc = SQLITE_OK;

	for (size_t i = 0; i < b->ndeferred && rc == SQLITE_OK; i++)
		rc = sqlite3_exec(b->db, b->deferred[i], NULL, NULL, NULL);
	return rc;
}

int
build_create(const char *path, struct build **out, char *err, size_t errlen)
{
	struct build *b;
	char *msg = NULL;

	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* One thread uses the connection: no mutex around every call. */
	if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    tokenize_register(b->db) != SQLITE_OK)
		goto fail_close;
	/*
	 * A new file that is renamed into place only once checked needs no
	 * journal. References are checked once, by build_finish (the loader
	 * looks each up as it reads it, to say where it is wrong).
	 */
	if (sqlite3_exec(b->db, "PRAGMA journal_mode = OFF;"
	    " PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;"
	    " PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;"
	    " BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
		goto fail_close;
	for (size_t i = 0; i < schema_count; i++) {
		if (sqlite3_exec(b->db, schema_files[i].sql, NULL, NULL,
		    &msg) != SQLITE_OK) {
			snprintf(err, errlen, "schema %s: %s",
			    schema_files[i].name, msg);
			goto fail_free_msg;
		}
	}
	if (sqlite3_exec(b->db, "CREATE TEMP TABLE search_stage (body TEXT,"
	    " kind TEXT, ref TEXT, label TEXT)", NULL, NULL, &msg) !=
	    SQLITE_OK || defer_indexes(b) != SQLITE_OK)
		goto fail_close;
	for (size_t i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(b->db, statements[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &b->stmts[i], NULL) != SQLITE_OK)
			goto fail_close;
	*out = b;
	return 0;

fail_close:
	snprintf(err, errlen, "%s: %s", path, b->db != NULL ?
	    sqlite3_errmsg(b->db) : "cannot open");
fail_free_msg:
	sqlite3_free(msg);
	close_all(b);
	return -1;
}

const char *
build_errmsg(struct build *b)
{
	return sqlite3_errmsg(b->db);
}

/* Binds and steps a statement that returns no row we need. */
static int
run(struct build *b, enum stmt s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sql_bindv(b->stmts[s], fmt, ap);
	va_end(ap);
	if (rc == SQLITE_OK) {
		do
			rc = sqlite3_step(b->stmts[s]);
		while (rc == SQLITE_ROW);
	}
	sqlite3_reset(b->stmts[s]);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Binds and steps a statement returning one integer into *out.
 * Returns 1 with a row, 0 with none, -1 on error. */
static int
run_integer(struct build *b, enum stmt s, int64_t *out, const char *fmt, ...)
{
	sqlite3_stmt *stmt = b->stmts[s];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sql_bindv(stmt, fmt, ap);
	va_end(ap);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (out != NULL)
			*out = sqlite3_column_int64(stmt, 0);
		/* Finish the statement so that RETURNING completes. */
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		sqlite3_reset(stmt);
		return rc == SQLITE_DONE ? 1 : -1;
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
build_source(struct build *b, const char *id, const char *file,
    const char *sha256, const char *text, const struct utf8_pos *length,
    size_t ordinal)
{
	return run(b, ST_SOURCE, "ttttzzzz", id, file, sha256, text,
	    length->codepoints, length->bytes, length->utf16, ordinal);
}

int
build_source_field(struct build *b, const char *source_id,
    const char *field, const char *value, int64_t span_id)
{
	if (run(b, ST_SOURCE_FIELD, "ttt", source_id, field, value) != 0)
		return -1;
	return run(b, ST_SOURCE_FIELD_EVIDENCE, "tti", source_id, field,
	    span_id);
}

int
build_span(struct build *b, const struct build_span *s, int64_t *span_id)
{
	const struct span *at = s->at;
	int found;

	/* A new span returns its id; one stored before is looked up. */
	found = run_integer(b, ST_SPAN_INSERT, span_id, "tzzzzzzsss",
	    s->source_id, at->start.codepoints, at->end.codepoints,
	    at->start.bytes, at->end.bytes, at->start.utf16, at->end.utf16,
	    s->text + at->start.bytes, at->end.bytes - at->start.bytes,
	    s->text + at->prefix_at, at->start.bytes - at->prefix_at,
	    s->text + at->end.bytes, at->suffix_end - at->end.bytes);
	if (found == 0)
		found = run_integer(b, ST_SPAN_FIND, span_id, "tzz",
		    s->source_id, at->start.bytes, at->end.bytes);
	return found == 1 ? 0 : -1;
}

int
build_search(struct build *b, const char *kind, const char *ref,
    const char *label, const char *body)
{
	return run(b, ST_SEARCH, "tttt", body, kind, ref, label);
}

int
build_meta(struct build *b, const char *key, const char *value)
{
	return run(b, ST_META, "tt", key, value);
}

int
build_region(struct build *b, const char *source_id, const char *kind,
    int64_t span_id, const char *links_to)
{
	return run(b, ST_REGION, "ttit", source_id, kind, span_id, links_to);
}

int
build_participant(struct build *b, const char *id, const char *name,
    const char *kind, const char *title, const char *affiliation,
    const char *country, const char *role, size_t ordinal)
{
	return run(b, ST_PARTICIPANT, "tttttttz", id, name, kind, title,
	    affiliation, country, role, ordinal);
}

int
build_alias(struct build *b, const char *participant_id, const char *alias,
    size_t ordinal)
{
	return run(b, ST_ALIAS, "ttz", participant_id, alias, ordinal);
}

int
build_mention(struct build *b, const char *participant_id, int64_t span_id)
{
	return run(b, ST_MENTION, "ti", participant_id, span_id);
}

int
build_agreement(struct build *b, const char *id, const char *title,
    const char *date, const char *status, const char *summary,
    size_t ordinal)
{
	return run(b, ST_AGREEMENT, "tttttz", id, title, date, status,
	    summary, ordinal);
}

int
build_outcome(struct build *b, const char *id, const char *kind,
    const char *status, const char *timeframe, const char *precision,
    const char *agreement_id, const char *summary, size_t ordinal)
{
	return run(b, ST_OUTCOME, "tttttttz", id, kind, status, timeframe,
	    precision, agreement_id, summary, ordinal);
}

int
build_claim(struct build *b, const char *id, const char *subject,
    size_t ordinal)
{
	return run(b, ST_CLAIM, "ttz", id, subject, ordinal);
}

int
build_claim_timeframe_of(struct build *b, const char *id,
    const char *outcome_id)
{
	return run(b, ST_CLAIM_TIMEFRAME_OF, "tt", outcome_id, id);
}

int
build_claim_value(struct build *b, const char *claim_id, const char *value,
    size_t ordinal, int64_t *value_id)
{
	return run_integer(b, ST_CLAIM_VALUE, value_id, "ttz", claim_id,
	    value, ordinal) == 1 ? 0 : -1;
}

int
build_evidence(struct build *b, enum build_fact fact, const char *id,
    int64_t value_id, int64_t span_id, int64_t attribution_id)
{
	switch (fact) {
	case BUILD_AGREEMENT:
		return run(b, ST_AGREEMENT_EVIDENCE, "tii", id, span_id,
		    attribution_id);
	case BUILD_OUTCOME:
		return run(b, ST_OUTCOME_EVIDENCE, "tii", id, span_id,
		    attribution_id);
	case BUILD_CLAIM_VALUE:
		return run(b, ST_CLAIM_VALUE_EVIDENCE, "iii", value_id,
		    span_id, attribution_id);
	}
	return -1;
}

int
build_attribution(struct build *b, const struct build_attribution *a,
    int64_t *attribution_id)
{
	return run_integer(b, ST_ATTRIBUTION, attribution_id, "ttottt",
	    a->speaker.participant_id, a->speaker.description,
	    a->speaker.description != NULL ? &a->speaker.anonymous : NULL,
	    a->stance, a->certainty, a->as_of) == 1 ? 0 : -1;
}

int
build_via(struct build *b, int64_t attribution_id, size_t ordinal,
    const struct build_speaker *via)
{
	return run(b, ST_VIA, "iztto", attribution_id, ordinal,
	    via->participant_id, via->description,
	    via->description != NULL ? &via->anonymous : NULL);
}

int
build_outcome_timeframe(struct build *b, const char *id, const char *stated,
    const char *rule)
{
	return run(b, ST_OUTCOME_TIMEFRAME, "ttt", id, stated, rule);
}

int
build_value_type(struct build *b, int64_t value_id,
    const struct build_value *v)
{
	return run(b, ST_VALUE_TYPE, "itttdtt", value_id, v->key, v->type,
	    v->bound, v->amount, v->counts, v->participant_id);
}

int
build_value_by_key(struct build *b, const char *claim_id, const char *key,
    int64_t *value_id)
{
	return run_integer(b, ST_VALUE_BY_KEY, value_id, "tt", claim_id, key);
}

int
build_relation(struct build *b, const char *claim_id, size_t ordinal,
    const int64_t pair[2], const char *relation, const char *note)
{
	return run(b, ST_RELATION, "tziitt", claim_id, ordinal, pair[0],
	    pair[1], relation, note);
}

int
build_dispute(struct build *b, const char *claim_id, const char *reason)
{
	return run(b, ST_DISPUTE, "tt", claim_id, reason);
}

int
build_not_mention(struct build *b, const char *participant_id,
    const char *phrase, size_t ordinal, size_t removed)
{
	return run(b, ST_NOT_MENTION, "ttzz", participant_id, phrase, ordinal,
	    removed);
}

int
build_party(struct build *b, enum build_fact fact, const char *id,
    const char *participant_id, size_t ordinal)
{
	switch (fact) {
	case BUILD_AGREEMENT:
		return run(b, ST_AGREEMENT_PARTY, "ttz", id, participant_id,
		    ordinal);
	case BUILD_OUTCOME:
		return run(b, ST_OUTCOME_PARTY, "ttz", id, participant_id,
		    ordinal);
	case BUILD_CLAIM_VALUE:
		break;
	}
	return -1;
}

int
build_exists(struct build *b, const char *table, const char *id)
{
	enum stmt s;

	if (strcmp(table, "source") == 0)
		s = ST_EXISTS_SOURCE;
	else if (strcmp(table, "participant") == 0)
		s = ST_EXISTS_PARTICIPANT;
	else if (strcmp(table, "agreement") == 0)
		s = ST_EXISTS_AGREEMENT;
	else if (strcmp(table, "outcome") == 0)
		s = ST_EXISTS_OUTCOME;
	else if (strcmp(table, "claim") == 0)
		s = ST_EXISTS_CLAIM;
	else
		return -1;
	return run_integer(b, s, NULL, "t", id);
}

/* What build_finish's second thread runs, and what it answers. */
struct alongside {
	build_check_fn fn;
	void *arg;		/* the caller's, for fn alone while it runs */
	int rc;
};

static void *
run_alongside(void *arg)
{
	struct alongside *a = arg;

	a->rc = a->fn(a->arg);
	return NULL;
}

/*
 * Runs quick_check and foreign_key_check on the committed file while
 * `also` runs on a second thread, when given. Neither writes the file;
 * b's connection stays this thread's, and `also` uses only its own (see
 * build_check_fn). Returns 0 when both pass.
 */
static int
check_committed(struct build *b, struct alongside *also, char *err,
    size_t errlen)
{
	pthread_t thread;
	bool started = false;
	char why[256];
	int rc;

	if (also->fn != NULL)
		started = pthread_create(&thread, NULL, run_alongside,
		    also) == 0;
	if (also->fn != NULL && !started)
		also->rc = also->fn(also->arg);	/* no thread: in turn */
	/* quick_check: every page, record, NOT NULL and CHECK constraint;
	 * integrity_check would also look up every index entry's row, which
	 * cost 11 % of a load. The derived data was just computed: no need
	 * to recompute it. */
	rc = sql_check(b->db, 0, why, sizeof(why));
	if (started)
		pthread_join(thread, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "integrity check failed: %s", why);
		return -1;
	}
	return also->rc;
}

int
build_finish(struct build *b, build_check_fn also, void *arg, char *err,
    size_t errlen)
{
	struct alongside a = { also, arg, 0 };
	char stamp[96], why[256];

	if (sqlite3_exec(b->db, "INSERT INTO search_index (body, kind, ref,"
	    " label) SELECT body, kind, ref, label FROM temp.search_stage"
	    " ORDER BY rowid", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "search index: %s", sqlite3_errmsg(b->db));
		goto fail_close;
	}
	if (create_deferred(b) != SQLITE_OK) {
		snprintf(err, errlen, "indexes: %s", sqlite3_errmsg(b->db));
		goto fail_close;
	}
	if (sql_derive(b->db, why, sizeof(why)) != SQLITE_OK) {
		snprintf(err, errlen, "%s", why);
		goto fail_close;
	}
	snprintf(stamp, sizeof(stamp), "PRAGMA application_id = %d;"
	    " PRAGMA user_version = %zu; COMMIT", SQL_APPLICATION_ID,
	    schema_count);
	if (sqlite3_exec(b->db, stamp, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "commit: %s", sqlite3_errmsg(b->db));
		goto fail_close;
	}
	if (check_committed(b, &a, err, errlen) != 0)
		goto fail_close;
	close_all(b);
	return 0;

fail_close:
	build_abort(b);
	return -1;
}

void
build_abort(struct build *b)
{
	if (b == NULL)
		return;
	sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
	close_all(b);
}
