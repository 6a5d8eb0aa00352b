/* db: the daemon's read-only view of an accord database (one per thread). */
#ifndef ACCORD_DB_H
#define ACCORD_DB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum db_status {
	DB_OK = 0,
	DB_NOT_FOUND,	/* no record with that id */
	DB_TIMEOUT,	/* the query deadline passed */
	DB_ERROR,	/* anything else; the database is unusable */
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
 * Runs quick_check and foreign_key_check on db. Returns 0 when both pass,
 * -1 with a message in err when not.
 */
int db_check(struct db *db, char *err, size_t errlen);

/*
 * Opens the file as db_open does and runs quick_check and
 * foreign_key_check. Returns 0 when it is a sound accord database, -1 with
 * a message in err when not.
 */
int db_check_file(const char *path, char *err, size_t errlen);

/*
 * Sets the time after which queries on db are interrupted, in milliseconds
 * of CLOCK_MONOTONIC (see db_now_ms); 0 removes the deadline.
 */
void db_set_deadline(struct db *db, int64_t deadline_ms);

/* Returns CLOCK_MONOTONIC in milliseconds. */
int64_t db_now_ms(void);

/* What a list is narrowed to; a NULL member does not narrow it. */
struct db_filter {
	const char *source;	/* facts with a span in this source */
	const char *participant;	/* facts with this party or mention */
};

/*
 * Stores in *out a new array of the records of kind that pass filter
 * (NULL: all), in curated order (caller owns the reference). Sources take
 * only a participant filter (the sources mentioning them), participants
 * only a source filter (those it mentions); a filter a kind does not take
 * yields an empty array. Returns DB_OK or why not.
 */
enum db_status db_list(struct db *db, enum db_kind kind,
    const struct db_filter *filter, json_t **out);

/*
 * Stores in *out a new object for the record of kind with this id
 * (caller owns the reference); a source includes its text. Returns DB_OK,
 * DB_NOT_FOUND or why not.
 */
enum db_status db_get(struct db *db, enum db_kind kind, const char *id,
    json_t **out);

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
