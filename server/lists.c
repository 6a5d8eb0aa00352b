#include "lists.h"

#include <string.h>

#include "vocab.h"

/*
 * List filters, each a condition on one named parameter, included only
 * when that parameter is given. A fact is in a source when one of its
 * spans is; it concerns a participant who is one of its parties or who is
 * mentioned inside one of its spans (both derived when loading: see
 * schema/005_derived.sql).
 */
#define IN_SOURCE(kind, id) id " IN (SELECT fact_id FROM fact_source" \
	" WHERE source_id = :source AND kind = '" kind "')"
#define CONCERNS(kind, id) id " IN (SELECT fact_id FROM fact_participant" \
	" WHERE participant_id = :participant AND kind = '" kind "')"
/*
 * A fact with an evidence span whose attribution names the participant
 * :attributed_to as its speaker (directly, not in its via chain), or has
 * the certainty :certainty (schema/006_attribution.sql).
 */
#define ATTRIBUTED(link, key, id, column, param) id " IN (SELECT e." key \
	" FROM " link " e JOIN attribution at ON at.id = e.attribution_id" \
	" WHERE at." column " = " param ")"
#define CLAIM_LINK "(SELECT v.claim_id, e.attribution_id FROM claim_value v" \
	" JOIN claim_value_evidence e ON e.claim_value_id = v.id)"
#define SAID_BY(kind, id) ATTRIBUTED(kind "_evidence", kind "_id", id, \
	"speaker_id", ":attributed_to")
#define SURE(kind, id) ATTRIBUTED(kind "_evidence", kind "_id", id, \
	"certainty", ":certainty")
/*
 * A date or a timeframe ("A" or "A/B") overlapping [:date_from, :date_to].
 * Every date is ISO 8601 text at year, month or day precision ("2015",
 * "2015-12", "2015-12-04") and stands for every day of its period, from
 * its first day to its last; a timeframe for the days from A's first to
 * B's last; :date_from for the days from its first, :date_to for the days
 * up to its last. A record overlaps the range when it ends on or after
 * :date_from's first day and starts on or before :date_to's last day
 * (both ends inclusive), whatever the precision of each side.
 *
 * STARTS_BY(x, y): the first day of date x is on or before the last day
 * of date y, as text. When x is as fine as y or finer, x cut to y's length
 * is the period of y's precision holding x's first day, and periods of one
 * precision sort as their text does: it sorts at or before y exactly when
 * x's first day is on or before y's last. When x is coarser, it is either
 * a prefix of y (y lies within x: true) or differs from y within its own
 * length, where the two sort as their periods at x's precision do. No
 * calendar is needed: month lengths and leap years never enter.
 */
#define START_OF(t) "substr(" t ", 1, instr(" t " || '/', '/') - 1)"
#define END_OF(t) "substr(" t ", instr(" t ", '/') + 1)"
#define STARTS_BY(x, y) "substr(" x ", 1, length(" y ")) <= " y
#define DATE_FROM(t) t " IS NOT NULL AND " STARTS_BY(":date_from", END_OF(t))
#define DATE_TO(t) t " IS NOT NULL AND " STARTS_BY(START_OF(t), ":date_to")
/* The facet of a fact's sources: every source, by the facts of this kind
 * it holds a span of. */
#define SOURCE_FACET(kind, id) .facet = "ff.source_id", .facet_join = \
	" JOIN fact_source ff ON ff.kind = '" kind "' AND ff.fact_id = " id, \
	.facet_all = "SELECT id FROM source ORDER BY ordinal"

static const struct list_param source_params[] = {
	{ "participant", LIST_ID, .where = "src.id IN (SELECT source_id FROM"
	    " fact_source WHERE kind = 'participant' AND fact_id ="
	    " :participant)" },
	{ "date_from", LIST_DATE_FROM, .where = DATE_FROM("src.date") },
	{ "date_to", LIST_DATE_TO, .where = DATE_TO("src.date") },
	{ "id", .sort = "src.id" },
	{ "headline", .sort = "coalesce(src.headline, '')" },
	{ "publisher", .sort = "coalesce(src.publisher, '')",
	    .facet = "src.publisher" },
	{ "date", .sort = "coalesce(src.date, '')" },
	{ NULL },
};
static const struct list_param participant_params[] = {
	{ "source", LIST_ID, .where = IN_SOURCE("participant", "p.id"),
	    SOURCE_FACET("participant", "p.id") },
	{ "kind", LIST_ENUM, vocab_participant_kinds, .where =
	    "p.kind = :kind", .sort = "p.kind", .facet = "p.kind" },
	{ "role", LIST_ENUM, vocab_participant_roles, .where =
	    "p.role = :role", .sort = "p.role", .facet = "p.role" },
	{ "country", LIST_COUNTRY, .where = "p.country = :country",
	    .sort = "coalesce(p.country, '')", .facet = "p.country" },
	{ "mentions", LIST_UINT, .max = LISTS_LIMIT_MAX,
	    .caps_mentions = true, .cap = LISTS_MENTIONS },
	{ "id", .sort = "p.id" },
	{ "name", .sort = "p.name" },
	{ NULL },
};
static const struct list_param agreement_params[] = {
	{ "source", LIST_ID, .where = IN_SOURCE("agreement", "a.id"),
	    SOURCE_FACET("agreement", "a.id") },
	{ "participant", LIST_ID, .where = CONCERNS("agreement", "a.id") },
	{ "status", LIST_ENUM, vocab_agreement_statuses, .where =
	    "a.status = :status", .sort = "a.status", .facet = "a.status" },
	{ "attributed_to", LIST_ID, .where = SAID_BY("agreement", "a.id") },
	{ "certainty", LIST_ENUM, vocab_certainties, .where =
	    SURE("agreement", "a.id") },
	{ "date_from", LIST_DATE_FROM, .where = DATE_FROM("a.date") },
	{ "date_to", LIST_DATE_TO, .where = DATE_TO("a.date") },
	{ "id", .sort = "a.id" },
	{ "title", .sort = "a.title" },
	{ "date", .sort = "coalesce(a.date, '')" },
	{ "corroboration", .sort = "a.corroboration", .numeric = true },
	{ NULL },
};
static const struct list_param outcome_params[] = {
	{ "source", LIST_ID, .where = IN_SOURCE("outcome", "o.id"),
	    SOURCE_FACET("outcome", "o.id") },
	{ "participant", LIST_ID, .where = CONCERNS("outcome", "o.id") },
	{ "status", LIST_ENUM, vocab_outcome_statuses, .where =
	    "o.status = :status", .sort = "o.status", .facet = "o.status" },
	{ "kind", LIST_ENUM, vocab_outcome_kinds, .where = "o.kind = :kind",
	    .sort = "o.kind", .facet = "o.kind" },
	{ "agreement", LIST_ID, .where = "o.agreement_id = :agreement",
	    .facet = "o.agreement_id", .facet_all = "SELECT id FROM agreement"
	    " ORDER BY ordinal" },
	{ "attributed_to", LIST_ID, .where = SAID_BY("outcome", "o.id") },
	{ "certainty", LIST_ENUM, vocab_certainties, .where =
	    SURE("outcome", "o.id") },
	{ "date_from", LIST_DATE_FROM, .where = DATE_FROM("o.timeframe") },
	{ "date_to", LIST_DATE_TO, .where = DATE_TO("o.timeframe") },
	{ "id", .sort = "o.id" },
	{ "timeframe", .sort = "coalesce(o.timeframe, '')" },
	{ "corroboration", .sort = "o.corroboration", .numeric = true },
	{ NULL },
};
static const struct list_param claim_params[] = {
	{ "source", LIST_ID, .where = IN_SOURCE("claim", "c.id"),
	    SOURCE_FACET("claim", "c.id") },
	/* Claims have no parties: only mentions. */
	{ "participant", LIST_ID, .where = CONCERNS("claim", "c.id") },
	{ "disputed", LIST_BOOL, .where =
	    "c.disputed = CAST(:disputed AS INTEGER)", .sort = "c.disputed",
	    .numeric = true, .facet = "c.disputed" },
	{ "differs", LIST_BOOL, .where =
	    "c.differs = CAST(:differs AS INTEGER)" },
	{ "attributed_to", LIST_ID, .where = ATTRIBUTED(CLAIM_LINK, "claim_id",
	    "c.id", "speaker_id", ":attributed_to") },
	{ "certainty", LIST_ENUM, vocab_certainties, .where = ATTRIBUTED(
	    CLAIM_LINK, "claim_id", "c.id", "certainty", ":certainty") },
	{ "id", .sort = "c.id" },
	{ "subject", .sort = "c.subject" },
	{ "corroboration", .sort = "c.corroboration", .numeric = true },
	{ NULL },
};

const struct list_spec lists[DB_KIND_COUNT] = {
	[DB_SOURCES] = { "/sources", "source src", "src.ordinal",
		source_params },
	[DB_PARTICIPANTS] = { "/participants", "participant p", "p.ordinal",
		participant_params },
	[DB_AGREEMENTS] = { "/agreements", "agreement a", "a.ordinal",
		agreement_params },
	[DB_OUTCOMES] = { "/outcomes", "outcome o", "o.ordinal",
		outcome_params },
	[DB_CLAIMS] = { "/claims", "claim c", "c.ordinal", claim_params },
};

const char *const lists_paging[] = { "limit", "cursor", "count", "sort",
    "facet", "fields", "embed", "format", NULL };

const struct list_spec *
lists_at(const char *path)
{
	for (size_t k = 0; k < DB_KIND_COUNT; k++)
		if (strcmp(lists[k].path, path) == 0)
			return &lists[k];
	return NULL;
}

bool
lists_accepts(const struct list_spec *list, const char *name)
{
	for (size_t i = 0; lists_paging[i] != NULL; i++)
		if (strcmp(lists_paging[i], name) == 0)
			return true;
	for (const struct list_param *p = list->params; p->name != NULL; p++)
		if (p->check != LIST_SORT_ONLY && strcmp(p->name, name) == 0)
			return true;
	return false;
}

const struct list_param *
lists_facet(const struct list_spec *list, const char *name)
{
	for (const struct list_param *p = list->params; p->name != NULL; p++)
		if (p->facet != NULL && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

const struct list_param *
lists_sort_field(const struct list_spec *list, const char *name)
{
	for (const struct list_param *p = list->params; p->name != NULL; p++)
		if (p->sort != NULL && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
