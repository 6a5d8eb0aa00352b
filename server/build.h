/* build: writes a new accord database (the loader's store). */
#ifndef ACCORD_BUILD_H
#define ACCORD_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"

struct build;

/* Text of one span, as stored: the exact words and their context. */
struct build_span {
	const char *source_id;
	const struct span *at;
	const char *text;	/* the whole source text */
};

/*
 * Creates the schema in the empty file at path and opens a transaction.
 * On success stores a handle in *out (free with build_finish or
 * build_abort) and returns 0. On failure writes a message to err and
 * returns -1.
 */
int build_create(const char *path, struct build **out, char *err,
    size_t errlen);

/* Returns the last SQLite error message of b (owned by b). */
const char *build_errmsg(struct build *b);

/*
 * The inserters below return 0, or -1 on failure (build_errmsg says why).
 * String arguments are borrowed; NULL stores NULL.
 */
int build_source(struct build *b, const char *id, const char *file,
    const char *sha256, const char *text, const struct utf8_pos *length,
    size_t ordinal);
int build_source_field(struct build *b, const char *source_id,
    const char *field, const char *value, int64_t span_id);
/* Marks a span of a source as a region of a kind; links_to (or NULL) is
 * the source a cross-reference names. */
int build_region(struct build *b, const char *source_id, const char *kind,
    int64_t span_id, const char *links_to);
/* Stores the span (or finds the identical one) and its id in *span_id. */
int build_span(struct build *b, const struct build_span *s,
    int64_t *span_id);
int build_participant(struct build *b, const char *id, const char *name,
    const char *kind, const char *title, const char *affiliation,
    const char *country, const char *role, size_t ordinal);
int build_alias(struct build *b, const char *participant_id,
    const char *alias, size_t ordinal);
int build_mention(struct build *b, const char *participant_id,
    int64_t span_id);
int build_agreement(struct build *b, const char *id, const char *title,
    const char *date, const char *status, const char *summary,
    size_t ordinal);
int build_outcome(struct build *b, const char *id, const char *kind,
    const char *status, const char *timeframe, const char *precision,
    const char *agreement_id, const char *summary, size_t ordinal);
/* Records that the claim's values state the timeframe of the outcome
 * outcome_id (both stored already). Returns 0 or -1. */
int build_claim_timeframe_of(struct build *b, const char *id,
    const char *outcome_id);
int build_claim(struct build *b, const char *id, const char *subject,
    size_t ordinal);
/* Stores the claim value's id in *value_id. */
int build_claim_value(struct build *b, const char *claim_id,
    const char *value, size_t ordinal, int64_t *value_id);

/* Adds a row to the search index: kind and ref name the record, label
 * (NULL for none) is what a hit shows as its name, body the text searched
 * (a source's whole text). */
int build_search(struct build *b, const char *kind, const char *ref,
    const char *label, const char *body);

/* Records a fact about the database ("data_sha256", "built_by"). */
int build_meta(struct build *b, const char *key, const char *value);

/* The kinds of fact that have parties and evidence. */
enum build_fact { BUILD_AGREEMENT, BUILD_OUTCOME, BUILD_CLAIM_VALUE };

/* Links a fact (by id; a claim value by its numeric id) to a span, said
 * as the attribution attribution_id (build_attribution's) says. */
int build_evidence(struct build *b, enum build_fact fact, const char *id,
    int64_t value_id, int64_t span_id, int64_t attribution_id);

/* Who speaks: a participant (participant_id), a described speaker
 * (description, and whether anonymous) or, with neither, the reporter. */
struct build_speaker {
	const char *participant_id;
	const char *description;
	int64_t anonymous;	/* 0 or 1; with a description only */
};

/* The attribution of one citation: its speaker, stance, certainty and
 * as_of (an ISO 8601 date, or NULL), all borrowed. */
struct build_attribution {
	struct build_speaker speaker;
	const char *stance;
	const char *certainty;
	const char *as_of;
};

/* Stores an attribution and its new id in *attribution_id. */
int build_attribution(struct build *b, const struct build_attribution *a,
    int64_t *attribution_id);
/* Adds the ordinal-th link (0: nearest the speaker) of an attribution's
 * reporting chain. */
int build_via(struct build *b, int64_t attribution_id, size_t ordinal,
    const struct build_speaker *via);

/* Sets an outcome's timeframe_stated (the words) and timeframe_rule. */
int build_outcome_timeframe(struct build *b, const char *id,
    const char *stated, const char *rule);

/* A claim value's key (or NULL), type, quantity (bound, amount, counts:
 * NULL unless the type is "quantity") and participant (or NULL). */
struct build_value {
	const char *key;
	const char *type;
	const char *bound;
	const double *amount;
	const char *counts;
	const char *participant_id;
};

/* Sets the typed parts of the claim value value_id. */
int build_value_type(struct build *b, int64_t value_id,
    const struct build_value *v);
/* Stores in *value_id the id of claim_id's value with this key. Returns 1
 * when found, 0 when not, -1 on error. */
int build_value_by_key(struct build *b, const char *claim_id,
    const char *key, int64_t *value_id);
/* Stores the ordinal-th relation of a claim: how the value pair[1]
 * relates to pair[0] (value ids), with a note (or NULL). */
int build_relation(struct build *b, const char *claim_id, size_t ordinal,
    const int64_t pair[2], const char *relation, const char *note);
/* Sets a claim's curated dispute reason. */
int build_dispute(struct build *b, const char *claim_id,
    const char *reason);
/* Records a participant's phrase that is not a mention of it, and how
 * many matches of its names it removed (at least 1). */
int build_not_mention(struct build *b, const char *participant_id,
    const char *phrase, size_t ordinal, size_t removed);
/* Links an agreement or outcome to a participant. */
int build_party(struct build *b, enum build_fact fact, const char *id,
    const char *participant_id, size_t ordinal);

/*
 * Returns 1 when a record of the table ("participant", "agreement",
 * "outcome", "claim", "source") has this id, 0 when not, -1 on error.
 */
int build_exists(struct build *b, const char *table, const char *id);

/*
 * A check of the committed file that build_finish runs on a second
 * thread: it must open the file on a connection of its own, and touch
 * nothing of the caller's but arg, which is its alone until build_finish
 * returns. Returns 0 when the file passes, else -1 (with its message
 * wherever arg says).
 */
typedef int (*build_check_fn)(void *arg);

/*
 * Fills the search index, creates the indexes left for the end, derives
 * schema 005's data, stamps application_id and user_version and commits;
 * then runs quick_check and foreign_key_check while `also` (when not
 * NULL) checks the committed file on a second thread, and closes. Frees b
 * either way. Returns 0, or -1 with a message in err when b failed (also
 * having written its own) or when `also` failed.
 */
int build_finish(struct build *b, build_check_fn also, void *arg,
    char *err, size_t errlen);

/* Rolls back and closes; frees b. Accepts NULL. */
void build_abort(struct build *b);

#endif
