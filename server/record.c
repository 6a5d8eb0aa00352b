#include "record.h"

#include "dispute.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "memo.h"
#include "url.h"

#define SPAN_COLUMNS RECORD_SPAN_COLUMNS
#define SPAN_ORDER " ORDER BY src.ordinal, s.byte_start, s.byte_end"
/* Each record's `label`: what a list or a dashboard shows for it. An
 * outcome has no title: its label is its summary. */
#define SOURCE_COLUMNS "src.id, coalesce(src.headline, src.id) AS label," \
	" src.file, src.sha256, src.headline," \
	" src.publisher, src.byline, src.date, src.url, src.len_codepoints," \
	" src.len_bytes, src.len_utf16"
#define SOURCE_ONE_COLUMNS "id, coalesce(headline, id) AS label, file," \
	" sha256, headline, publisher, byline," \
	" date, url, len_codepoints, len_bytes, len_utf16"
#define PARTICIPANT_COLUMNS "p.id, p.name AS label, p.name, p.kind," \
	" p.title," \
	" p.affiliation, p.country, p.role"
#define AGREEMENT_COLUMNS "a.id, a.title AS label, a.title, a.date," \
	" a.status, a.summary," \
	" a.corroboration"
#define OUTCOME_COLUMNS "o.id, o.summary AS label, o.kind, o.status," \
	" o.timeframe, o.timeframe_precision, o.timeframe_stated," \
	" o.timeframe_rule, o.agreement_id AS agreement, o.summary," \
	" o.corroboration"
#define CLAIM_COLUMNS "c.id, c.subject AS label, c.subject, c.disputed," \
	" c.differs, c.dispute_reason, c.corroboration, c.timeframe_of"
/* A speaker as JSON text: a participant {id, name}, a described speaker
 * {description, anonymous}, or NULL (the reporter). */
#define SPEAKER_JSON(pid, desc, anon) "CASE WHEN " pid " IS NOT NULL" \
	" THEN json_object('id', " pid ", 'name', (SELECT name FROM" \
	" participant WHERE id = " pid ")) WHEN " desc " IS NOT NULL" \
	" THEN json_object('description', " desc ", 'anonymous'," \
	" json(iif(" anon ", 'true', 'false'))) END"
/* The attribution (at) of an evidence span as columns, made an object by
 * take_attribution: its speaker (a participant's id and name, or a
 * description and whether it is anonymous; neither: the reporter), its
 * reporting chain as JSON text (nearest the speaker first), stance,
 * certainty and as_of. */
#define ATTRIBUTION_COLUMNS "at.speaker_id AS _sid, (SELECT name FROM" \
	" participant WHERE id = at.speaker_id) AS _sname, at.description" \
	" AS _desc, at.anonymous AS _anon, (SELECT" \
	" json(json_group_array(json(" SPEAKER_JSON("w.participant_id", \
	"w.description", "w.anonymous") "))) FROM (SELECT * FROM" \
	" attribution_via WHERE attribution_id = at.id ORDER BY ordinal) w)" \
	" AS _via, at.stance AS _stance, at.certainty AS _cert, at.as_of" \
	" AS _asof"
/* The ids of a source's facts of one kind, in curated order. */
#define FACTS_IN_SOURCE(kind, table) "SELECT x.id FROM fact_source f" \
	" JOIN " table " x ON x.id = f.fact_id WHERE f.source_id = ?1" \
	" AND f.kind = '" kind "' ORDER BY x.ordinal"
/* The spans of a record linked through table e (an evidence table or
 * mention) by its column `key`. */
#define SPANS_OF(table, key) "SELECT " SPAN_COLUMNS " FROM " table " e" \
	" JOIN span s ON s.id = e.span_id" \
	" JOIN source src ON src.id = s.source_id WHERE e." key " = ?1"
/* The evidence of a fact of one kind, in text order. */
#define EVIDENCE_OF(kind) SPANS_OF(kind "_evidence", kind "_id") SPAN_ORDER
/* The same, each span with its attribution (ATTRIBUTION_COLUMNS). */
#define ATTRIBUTED(table, key) "SELECT " SPAN_COLUMNS ", " \
	ATTRIBUTION_COLUMNS " FROM " table " e JOIN span s ON s.id = e.span_id" \
	" JOIN source src ON src.id = s.source_id" \
	" JOIN attribution at ON at.id = e.attribution_id" \
	" WHERE e." key " = ?1" SPAN_ORDER
/* The party ids of a fact of one kind, in curated order. */
#define PARTIES_OF(kind) "SELECT participant_id FROM " kind "_party" \
	" WHERE " kind "_id = ? ORDER BY ordinal"

static const char source_one[] = "SELECT " SOURCE_ONE_COLUMNS ", text"
    " FROM source WHERE id = ?";
static const char source_text[] =
    "SELECT CAST(text AS BLOB) FROM source WHERE id = ?";
static const char source_metadata[] = "SELECT m.field, " SPAN_COLUMNS
    " FROM source_metadata_evidence m JOIN span s ON s.id = m.span_id"
    " WHERE m.source_id = ? ORDER BY s.byte_start";
static const char source_regions[] = "SELECT r.kind, r.links_to, "
    SPAN_COLUMNS " FROM region r JOIN span s ON s.id = r.span_id"
    " WHERE r.source_id = ? ORDER BY s.byte_start, r.kind";
static const char source_agreements[] =
    FACTS_IN_SOURCE("agreement", "agreement");
static const char source_outcomes[] = FACTS_IN_SOURCE("outcome", "outcome");
static const char source_claims[] = FACTS_IN_SOURCE("claim", "claim");
static const char source_participants[] =
    FACTS_IN_SOURCE("participant", "participant");
static const char participant_one[] = "SELECT " PARTICIPANT_COLUMNS
    " FROM participant p WHERE p.id = ?";
static const char participant_aliases[] = "SELECT alias FROM"
    " participant_alias WHERE participant_id = ? ORDER BY ordinal";
/* ?2: the most to return, as decimal text; NULL: all. */
static const char participant_mentions[] =
    SPANS_OF("mention", "participant_id") SPAN_ORDER
    " LIMIT coalesce(?2, -1)";
static const char participant_mention_count[] = "SELECT count(*) AS n"
    " FROM mention WHERE participant_id = ?1";
static const char agreement_one[] = "SELECT " AGREEMENT_COLUMNS
    " FROM agreement a WHERE a.id = ?";
static const char agreement_parties[] = PARTIES_OF("agreement");
static const char agreement_evidence[] = EVIDENCE_OF("agreement");
static const char agreement_attributed[] =
    ATTRIBUTED("agreement_evidence", "agreement_id");
/* Links both ways: an agreement's outcomes; the disputed claims that
 * state an outcome's date. */
static const char agreement_outcomes[] = "SELECT id FROM outcome"
    " WHERE agreement_id = ? ORDER BY ordinal";
static const char outcome_date_disputed_by[] = "SELECT id FROM claim"
    " WHERE timeframe_of = ? AND disputed = 1 ORDER BY ordinal";
static const char outcome_one[] = "SELECT " OUTCOME_COLUMNS
    " FROM outcome o WHERE o.id = ?";
static const char outcome_parties[] = PARTIES_OF("outcome");
static const char outcome_evidence[] = EVIDENCE_OF("outcome");
static const char outcome_attributed[] =
    ATTRIBUTED("outcome_evidence", "outcome_id");
static const char claim_one[] = "SELECT " CLAIM_COLUMNS
    " FROM claim c WHERE c.id = ?";
static const char claim_values[] = "SELECT v.id, v.key, v.value, v.type,"
    " CASE WHEN v.type = 'quantity' THEN json_object('bound',"
    " v.quantity_bound, 'amount', iif(v.quantity_amount ="
    " CAST(v.quantity_amount AS INTEGER), CAST(v.quantity_amount AS INTEGER),"
    " v.quantity_amount), 'counts', v.quantity_counts) END AS quantity,"
    " v.participant_id AS participant,"
    " (SELECT count(DISTINCT s.source_id) FROM claim_value_evidence e"
    " JOIN span s ON s.id = e.span_id WHERE e.claim_value_id = v.id)"
    " AS corroboration"
    " FROM claim_value v WHERE v.claim_id = ? ORDER BY v.ordinal";
static const char claim_value_evidence[] =
    ATTRIBUTED("claim_value_evidence", "claim_value_id");
/* A claim's relations, each as JSON text, in curated order. */
static const char claim_relations[] = "SELECT json_object('values',"
    " json_array(f.key, g.key), 'relation', r.relation, 'note', r.note)"
    " FROM claim_relation r JOIN claim_value f ON f.id = r.first_id"
    " JOIN claim_value g ON g.id = r.second_id WHERE r.claim_id = ?"
    " ORDER BY r.ordinal";
static const char participant_not_mentions[] = "SELECT phrase FROM"
    " participant_not_mention WHERE participant_id = ? ORDER BY ordinal";
static const char claim_evidence[] = "SELECT DISTINCT " SPAN_COLUMNS
    " FROM claim_value v"
    " JOIN claim_value_evidence e ON e.claim_value_id = v.id"
    " JOIN span s ON s.id = e.span_id"
    " JOIN source src ON src.id = s.source_id"
    " WHERE v.claim_id = ?" SPAN_ORDER;


/* ?1: a kind's name (source, participant, ...), ?2: an id. */
static const char label_of[] = "SELECT CASE ?1"
    " WHEN 'source' THEN (SELECT coalesce(headline, id) FROM source"
    " WHERE id = ?2)"
    " WHEN 'participant' THEN (SELECT name FROM participant WHERE id = ?2)"
    " WHEN 'agreement' THEN (SELECT title FROM agreement WHERE id = ?2)"
    " WHEN 'outcome' THEN (SELECT summary FROM outcome WHERE id = ?2)"
    " WHEN 'claim' THEN (SELECT subject FROM claim WHERE id = ?2) END"
    " AS label";

/* A statement, and the member or kind it is for. */
struct named {
	const char *name;
	const char *sql;
};

/* db_rows with one key. */
static enum db_status
rows(struct db *db, const char *sql, const char *key, bool scalars,
    json_t **out)
{
	return db_rows(db, sql, &key, 1, scalars, out);
}

/* Sets obj[name] to the rows of s for the record's id. */
static enum db_status
attach(struct db *db, json_t *obj, const char *name, const char *sql,
    bool scalars)
{
	json_t *arr;
	enum db_status st;
	const char *id = json_string_value(json_object_get(obj, "id"));

	st = rows(db, sql, id, scalars, &arr);
	if (st != DB_OK)
		return st;
	return json_object_set_new(obj, name, arr) == 0 ? DB_OK : DB_ERROR;
}

/* Moves obj[from] to target[to]. */
static void
move_key(json_t *obj, const char *from, json_t *target, const char *to)
{
	json_object_set(target, to, json_object_get(obj, from));
	json_object_del(obj, from);
}

/* Sets obj["facts"] to the ids of what the source supports, by kind, and
 * obj["fact_counts"] to how many of each. */
static enum db_status
attach_facts(struct db *db, json_t *obj, const char *id)
{
	static const struct named parts[] = {
		{ "participants", source_participants },
		{ "agreements", source_agreements },
		{ "outcomes", source_outcomes },
		{ "claims", source_claims },
	};
	json_t *facts = json_object(), *counts = json_object(), *ids;
	enum db_status st = DB_ERROR;

	if (facts == NULL || counts == NULL)
		goto free_parts;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		st = rows(db, parts[i].sql, id, true, &ids);
		if (st != DB_OK)
			goto free_parts;
		json_object_set_new(counts, parts[i].name, json_integer(
		    (json_int_t)json_array_size(ids)));
		json_object_set_new(facts, parts[i].name, ids);
	}
	json_object_set_new(obj, "facts", facts);
	json_object_set_new(obj, "fact_counts", counts);
	return DB_OK;

free_parts:
	json_decref(facts);
	json_decref(counts);
	return st;
}

/* Sets obj["regions"]: [{kind, links_to, span}], in text order. */
static enum db_status
attach_regions(struct db *db, json_t *obj, const char *id)
{
	sqlite3_stmt *stmt = db_statement(db, source_regions, &id, 1);
	json_t *regions = json_array();
	int rc = SQLITE_NOMEM;

	if (stmt == NULL || regions == NULL)
		goto free_regions;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *region = db_row(stmt, 0), *span = db_row(stmt, 2);
		json_t *kind = json_object_get(region, "kind");
		json_t *links_to = json_object_get(region, "links_to");
		json_t *item = json_pack("{s:O, s:O, s:o}", "kind", kind,
		    "links_to", links_to, "span", span);

		json_decref(region);
		if (item == NULL || json_array_append_new(regions, item) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		goto free_regions;
	json_object_set_new(obj, "regions", regions);
	return DB_OK;

free_regions:
	json_decref(regions);
	return db_failed(rc);
}

/* A source; in a list (not `detail`), without its regions, metadata
 * evidence and the ids of its facts (their counts stay). */
static enum db_status
complete_source(struct db *db, json_t *obj, bool detail)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	json_t *length = json_object(), *links = json_object();
	json_t *evidence = json_object(), *spans = NULL, *span;
	enum db_status st = DB_ERROR;
	size_t i;
	char path[96];

	if (length == NULL || links == NULL || evidence == NULL)
		goto free_parts;
	move_key(obj, "len_codepoints", length, "codepoints");
	move_key(obj, "len_bytes", length, "bytes");
	move_key(obj, "len_utf16", length, "utf16");
	snprintf(path, sizeof(path), "/sources/%s", id);
	json_object_set_new(links, "self", json_string(path));
	snprintf(path, sizeof(path), "/sources/%s/text", id);
	json_object_set_new(links, "text", json_string(path));
	snprintf(path, sizeof(path), "/sources/%s/spans", id);
	json_object_set_new(links, "spans", json_string(path));
	st = rows(db, source_metadata, id, false, &spans);
	if (st != DB_OK)
		goto free_parts;
	json_array_foreach(spans, i, span) {
		char field[16];
		snprintf(field, sizeof(field), "%s",
		    json_string_value(json_object_get(span, "field")));
		json_object_del(span, "field");
		json_object_set(evidence, field, span);
	}
	json_decref(spans);
	st = attach_facts(db, obj, id);
	if (st == DB_OK && detail)
		st = attach_regions(db, obj, id);
	if (st != DB_OK)
		goto free_parts;
	json_object_set_new(obj, "length", length);
	if (detail)
		json_object_set_new(obj, "metadata_evidence", evidence);
	else
		json_decref(evidence);
	if (!detail)
		json_object_del(obj, "facts");
	json_object_set_new(obj, "links", links);
	return DB_OK;

free_parts:
	json_decref(length);
	json_decref(links);
	json_decref(evidence);
	return st;
}

/* Replaces the JSON text obj[key] (when not null) with its value. */
static enum db_status
parse_member(json_t *obj, const char *key)
{
	json_t *text = json_object_get(obj, key), *v;

	if (!json_is_string(text))
		return DB_OK;
	v = json_loads(json_string_value(text), JSON_DECODE_ANY, NULL);
	if (v == NULL)
		return DB_ERROR;
	return json_object_set_new(obj, key, v) == 0 ? DB_OK : DB_ERROR;
}

/* Stores in *out a new array of the values of the JSON texts that sql's
 * rows give for the key id (the first column of each). */
static enum db_status
json_rows(struct db *db, const char *sql, const char *id, json_t **out)
{
	json_t *texts, *text;
	enum db_status st = rows(db, sql, id, true, &texts);
	size_t i;

	if (st != DB_OK)
		return st;
	*out = json_array();
	json_array_foreach(texts, i, text) {
		json_t *v = json_loads(json_string_value(text),
		    JSON_DECODE_ANY, NULL);
		if (v == NULL || json_array_append_new(*out, v) != 0) {
			st = DB_ERROR;
			break;
		}
	}
	json_decref(texts);
	if (st != DB_OK || *out == NULL) {
		json_decref(*out);
		return DB_ERROR;
	}
	return DB_OK;
}

/* Returns a new speaker object from the columns of take_attribution's
 * row: {id, name}, {description, anonymous}, or null (the reporter). */
static json_t *
speaker(json_t *row)
{
	json_t *id = json_object_get(row, "_sid");
	json_t *desc = json_object_get(row, "_desc");

	if (json_is_string(id))
		return json_pack("{s:O, s:O}", "id", id, "name",
		    json_object_get(row, "_sname"));
	if (json_is_string(desc))
		return json_pack("{s:O, s:b}", "description", desc, "anonymous",
		    json_integer_value(json_object_get(row, "_anon")) != 0);
	return json_null();
}

/* Replaces the ATTRIBUTION_COLUMNS of the span row `span` with its
 * "attribution": {voice, attributed_to, via, stance, certainty, as_of}. */
static enum db_status
take_attribution(json_t *span)
{
	static const char *const columns[] = { "_sid", "_sname", "_desc",
	    "_anon", "_via", "_stance", "_cert", "_asof" };
	json_t *who = speaker(span), *via, *at;

	via = json_loads(json_string_value(json_object_get(span, "_via")),
	    0, NULL);
	at = json_pack("{s:s, s:o, s:o, s:O, s:O, s:O}", "voice",
	    json_is_null(who) ? "reporter" : "reported", "attributed_to", who,
	    "via", via, "stance", json_object_get(span, "_stance"),
	    "certainty", json_object_get(span, "_cert"), "as_of",
	    json_object_get(span, "_asof"));
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		json_object_del(span, columns[i]);
	if (at == NULL)
		return DB_ERROR;
	return json_object_set_new(span, "attribution", at) == 0 ? DB_OK :
	    DB_ERROR;
}

/* Sets obj[name] to the attributed evidence (sql, a statement of
 * ATTRIBUTED) of the record key: spans, each with its "attribution". */
static enum db_status
attach_attributed(struct db *db, json_t *obj, const char *name,
    const char *sql, const char *key)
{
	json_t *spans, *span;
	enum db_status st = rows(db, sql, key, false, &spans);
	size_t i;

	if (st != DB_OK)
		return st;
	json_array_foreach(spans, i, span)
		if ((st = take_attribution(span)) != DB_OK) {
			json_decref(spans);
			return st;
		}
	return json_object_set_new(obj, name, spans) == 0 ? DB_OK : DB_ERROR;
}

/* Sets a participant's "links": the record, and the paged list of all
 * its mentions (where the rest of a capped list item's are). */
static enum db_status
participant_links(json_t *obj, const char *id)
{
	char self[96], rest[112];

	snprintf(self, sizeof(self), "/participants/%s", id);
	snprintf(rest, sizeof(rest), "/participants/%s/mentions", id);
	return json_object_set_new(obj, "links", json_pack("{s:s, s:s}",
	    "self", self, "mentions", rest)) == 0 ? DB_OK : DB_ERROR;
}

/* A participant: its aliases, not_mentions, mentions (all, or the first
 * *mentions of them) and their total, mention_count, and its links. */
static enum db_status
complete_participant(struct db *db, json_t *obj, const size_t *mentions)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	const char *keys[2] = { id, NULL };
	json_t *spans, *count = NULL;
	enum db_status st;
	char cap[24];

	st = attach(db, obj, "aliases", participant_aliases, true);
	if (st == DB_OK)
		st = attach(db, obj, "not_mentions", participant_not_mentions,
		    true);
	if (st != DB_OK)
		return st;
	if (mentions != NULL) {
		snprintf(cap, sizeof(cap), "%zu", *mentions);
		keys[1] = cap;
	}
	st = db_rows(db, participant_mentions, keys, 2, false, &spans);
	if (st != DB_OK)
		return st;
	json_object_set_new(obj, "mentions", spans);
	if (mentions == NULL)	/* all of them: their number is at hand */
		json_object_set_new(obj, "mention_count", json_integer(
		    (json_int_t)json_array_size(spans)));
	else if ((st = rows(db, participant_mention_count, id, false,
	    &count)) == DB_OK)
		json_object_set(obj, "mention_count", json_object_get(
		    json_array_get(count, 0), "n"));
	json_decref(count);
	return st == DB_OK ? participant_links(obj, id) : st;
}

/* Adds an agreement's or an outcome's parties and attributed evidence, and the ids
 * the statement `linked` gives as obj[link]. */
static enum db_status
complete_fact(struct db *db, json_t *obj, const char *parties,
    const char *evidence, const struct named *linked)
{
	enum db_status st;

	st = attach(db, obj, "parties", parties, true);
	if (st == DB_OK)
		st = attach_attributed(db, obj, "evidence", evidence,
		    json_string_value(json_object_get(obj, "id")));
	if (st == DB_OK)
		st = attach(db, obj, linked->name, linked->sql, true);
	return st;
}

/* Completes each value of a claim: its attributed evidence, its quantity
 * parsed, and its speakers. */
static enum db_status
complete_values(struct db *db, json_t *values)
{
	json_t *value;
	enum db_status st = DB_OK;
	size_t i;

	json_array_foreach(values, i, value) {
		char value_id[24];
		json_t *speakers = json_array();

		snprintf(value_id, sizeof(value_id), "%lld", (long long)
		    json_integer_value(json_object_get(value, "id")));
		json_object_del(value, "id");
		st = attach_attributed(db, value, "evidence",
		    claim_value_evidence, value_id);
		if (st == DB_OK)
			st = parse_member(value, "quantity");
		if (st != DB_OK || speakers == NULL) {
			json_decref(speakers);
			return st != DB_OK ? st : DB_ERROR;
		}
		dispute_add_speakers(speakers, json_object_get(value, "evidence"));
		json_object_set_new(value, "speakers", speakers);
	}
	return st;
}

static enum db_status
complete_claim(struct db *db, json_t *obj)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	json_t *reason = json_object_get(obj, "dispute_reason");
	json_t *values = NULL, *relations = NULL, *dispute = json_null();
	enum db_status st;

	json_object_set_new(obj, "disputed", json_boolean(
	    json_integer_value(json_object_get(obj, "disputed"))));
	json_object_set_new(obj, "differs", json_boolean(
	    json_integer_value(json_object_get(obj, "differs"))));
	st = rows(db, claim_values, id, false, &values);
	if (st == DB_OK)
		st = complete_values(db, values);
	if (st == DB_OK)
		st = json_rows(db, claim_relations, id, &relations);
	if (st == DB_OK && json_is_string(reason))
		dispute = json_pack("{s:O, s:o}", "reason", reason, "sides",
		    dispute_sides(values, relations));
	if (st != DB_OK || dispute == NULL) {
		json_decref(values);
		json_decref(relations);
		return st != DB_OK ? st : DB_ERROR;
	}
	json_object_del(obj, "dispute_reason");
	json_object_set_new(obj, "values", values);
	json_object_set_new(obj, "relations", relations);
	/* The evidence is each value's: not repeated for the claim. */
	return json_object_set_new(obj, "dispute", dispute) == 0 ? DB_OK :
	    DB_ERROR;
}

/* Adds the nested parts of obj, a record of kind as its statement for
 * one record or its list's columns read it; mentions as record_append;
 * `detail`: the parts only the record's own route shows. */
static enum db_status
complete(struct db *db, enum db_kind kind, json_t *obj,
    const size_t *mentions, bool detail)
{
	static const struct named outcomes = { "outcomes",
	    agreement_outcomes };
	static const struct named disputed_by = { "date_disputed_by",
	    outcome_date_disputed_by };

	switch (kind) {
	case DB_SOURCES:
		return complete_source(db, obj, detail);
	case DB_PARTICIPANTS:
		return complete_participant(db, obj, mentions);
	case DB_AGREEMENTS:
		return complete_fact(db, obj, agreement_parties,
		    agreement_attributed, &outcomes);
	case DB_OUTCOMES:
		return complete_fact(db, obj, outcome_parties,
		    outcome_attributed, &disputed_by);
	case DB_CLAIMS:
		return complete_claim(db, obj);
	case DB_KIND_COUNT:
		break;
	}
	return DB_ERROR;
}

/* Per kind: the columns a list reads, and the statement for one record. */
static const struct {
	const char *columns;
	const char *one;
} kinds[DB_KIND_COUNT] = {
	[DB_SOURCES] = { SOURCE_COLUMNS, source_one },
	[DB_PARTICIPANTS] = { PARTICIPANT_COLUMNS, participant_one },
	[DB_AGREEMENTS] = { AGREEMENT_COLUMNS, agreement_one },
	[DB_OUTCOMES] = { OUTCOME_COLUMNS, outcome_one },
	[DB_CLAIMS] = { CLAIM_COLUMNS, claim_one },
};

const char *
record_columns(enum db_kind kind)
{
	return kinds[kind].columns;
}

enum db_status
record_append(struct db *db, enum db_kind kind, const size_t *mentions,
    const struct selection *view, json_t *row, struct text *t)
{
	const char *id = json_string_value(json_object_get(row, "id"));
	const char *kept;
	char key[URL_MAX + 160];
	size_t len, start;
	enum db_status st;

	/* The same record rendered with another cap on mentions, or another
	 * view, is another text. */
	if (mentions != NULL)
		snprintf(key, sizeof(key), "%d:%zu:%s", (int)kind, *mentions,
		    id != NULL ? id : "");
	else
		snprintf(key, sizeof(key), "%d::%s", (int)kind,
		    id != NULL ? id : "");
	if (view != NULL && (view->fields != NULL || view->embed != NULL)) {
		len = strlen(key);
		snprintf(key + len, sizeof(key) - len, "|%s|%s", view->fields !=
		    NULL ? view->fields : "*", view->embed != NULL ?
		    view->embed : "");
	}
	kept = memo_get(db_memo(db), key, &len);
	if (kept != NULL) {
		text_add(t, kept, len);
		return DB_OK;
	}
	st = complete(db, kind, row, mentions, false);
	if (st == DB_OK && view != NULL)
		st = selection_apply(db, kind, row, view);
	if (st != DB_OK)
		return st;
	start = t->len;
	if (compact_append(t, row) != 0)
		return DB_ERROR;
	memo_put(db_memo(db), key, t->bytes + start, t->len - start);
	return DB_OK;
}

enum db_status
record_get(struct db *db, enum db_kind kind, const char *id, json_t **out)
{
	json_t *items;
	enum db_status st;

	st = rows(db, kinds[kind].one, id, false, &items);
	if (st != DB_OK)
		return st;
	if (json_array_size(items) == 0) {
		json_decref(items);
		return DB_NOT_FOUND;
	}
	*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	st = complete(db, kind, *out, NULL, true);
	if (st != DB_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return st;
}

int
record_statement(json_t *row)
{
	static const char *const span_keys[] = { "source", "start", "end",
	    "byte_start", "byte_end", "utf16_start", "utf16_end", "exact",
	    "prefix", "suffix", NULL };
	json_t *span = json_object();

	if (span == NULL)
		return -1;
	for (size_t i = 0; span_keys[i] != NULL; i++)
		move_key(row, span_keys[i], span, span_keys[i]);
	json_object_set_new(row, "relayed", json_boolean(json_integer_value(
	    json_object_get(row, "relayed"))));
	return json_object_set_new(row, "span", span);
}

enum db_status
record_text(struct db *db, const char *id, char **text, size_t *len)
{
	sqlite3_stmt *stmt = db_statement(db, source_text, &id, 1);
	enum db_status st;
	int rc;

	if (stmt == NULL)
		return DB_ERROR;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
		*text = malloc(n + 1);
		if (*text == NULL) {
			st = DB_ERROR;
		} else {
			if (n > 0)
				memcpy(*text, sqlite3_column_blob(stmt, 0), n);
			(*text)[n] = '\0';
			*len = n;
			st = DB_OK;
		}
	} else {
		st = rc == SQLITE_DONE ? DB_NOT_FOUND : db_failed(rc);
	}
	sqlite3_reset(stmt);
	return st;
}

enum db_status
record_label(struct db *db, const char *kind, const char *id, json_t **out)
{
	json_t *found;
	enum db_status st;

	st = db_rows(db, label_of, (const char *const[]){ kind, id }, 2, true,
	    &found);
	if (st != DB_OK)
		return st;
	*out = json_incref(json_array_get(found, 0));
	json_decref(found);
	if (*out == NULL || json_is_null(*out)) {
		json_decref(*out);
		*out = NULL;
		return DB_NOT_FOUND;
	}
	return DB_OK;
}

enum db_status
record_spans(struct db *db, const char *kind, const char *id, json_t **out)
{
	static const struct named spans[] = {
		{ "participant", participant_mentions },
		{ "agreement", agreement_evidence },
		{ "outcome", outcome_evidence },
		{ "claim", claim_evidence },
	};

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
		if (strcmp(spans[i].name, kind) == 0)
			return rows(db, spans[i].sql, id, false, out);
	return DB_ERROR;
}

/* Every top-level member a record of each kind may have. */
