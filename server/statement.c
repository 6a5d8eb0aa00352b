#include "statement.h"

#include "keyset.h"
#include "record.h"

/*
 * The citations whose attribution (at) names ?1 as its speaker (relayed
 * 0) or in its via chain (relayed 1), joined to the evidence link (i) of
 * each kind of fact, its span (s) and source (src), and their keys: the
 * kind (1 to 3), the fact's curated position, a claim value's position
 * (0 for the others), the source's position, the span's bytes and
 * relayed.
 */
#define STATEMENTS_FROM " FROM (SELECT id AS attribution_id, 0 AS relayed" \
	" FROM attribution WHERE speaker_id = ?1 UNION SELECT" \
	" attribution_id, 1 FROM attribution_via WHERE participant_id = ?1) d" \
	" JOIN attribution at ON at.id = d.attribution_id" \
	" JOIN (SELECT 1 AS k0, 'agreement' AS kind, a.id, NULL AS value," \
	" a.ordinal AS k1, 0 AS k2, e.span_id, e.attribution_id" \
	" FROM agreement_evidence e JOIN agreement a ON a.id = e.agreement_id" \
	" UNION ALL SELECT 2, 'outcome', o.id, NULL, o.ordinal, 0, e.span_id," \
	" e.attribution_id FROM outcome_evidence e" \
	" JOIN outcome o ON o.id = e.outcome_id" \
	" UNION ALL SELECT 3, 'claim', c.id, v.key, c.ordinal, v.ordinal," \
	" e.span_id, e.attribution_id FROM claim_value_evidence e" \
	" JOIN claim_value v ON v.id = e.claim_value_id" \
	" JOIN claim c ON c.id = v.claim_id) i" \
	" ON i.attribution_id = d.attribution_id" \
	" JOIN span s ON s.id = i.span_id" \
	" JOIN source src ON src.id = s.source_id"
#define STATEMENT_ORDER "i.k0, i.k1, i.k2, src.ordinal, s.byte_start," \
	" s.byte_end, d.relayed"

/* ?2..?8: the keys after which; ?9: the rows wanted. */
static const char page_sql[] = "SELECT i.kind, i.id,"
    " i.value AS value_key, d.relayed, at.stance, at.certainty, at.as_of, " RECORD_SPAN_COLUMNS ","
    " i.k0 AS _k0, i.k1 AS _k1, i.k2 AS _k2, src.ordinal AS _k3,"
    " s.byte_start AS _k4, s.byte_end AS _k5, d.relayed AS _k6"
    STATEMENTS_FROM " WHERE (" STATEMENT_ORDER ") > (?2, ?3, ?4, ?5, ?6,"
    " ?7, ?8) ORDER BY " STATEMENT_ORDER " LIMIT ?9";
static const char named_sql[] = "SELECT count(*)" STATEMENTS_FROM
    " WHERE (" STATEMENT_ORDER ") = (?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const struct keyset_query query = {
	page_sql, named_sql, STATEMENT_KEYS
};

enum db_status
statement_page(struct db *db, const char *id, const json_t *after,
    size_t limit, json_t **items, json_t **next)
{
	return keyset_page(db, &query, id, after, limit, items, next);
}
