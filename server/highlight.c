#include "highlight.h"

#include "record.h"

/* One arm of the union: the rows of a table linking records to spans
 * (aliased e, with a span_id), restricted to spans of source ?1. */
#define ARM(rank, kind, id, label, value, field, region, links_to, from) \
	"SELECT " rank " AS rank, '" kind "' AS kind, " id " AS id, " \
	label " AS label, " value " AS value, " field " AS field, " \
	region " AS region, " links_to " AS links_to, e.span_id" \
	" FROM " from " JOIN span s ON s.id = e.span_id" \
	" WHERE s.source_id = ?1"

static const char spans_sql[] = "SELECT x.kind, x.id, x.label, x.value,"
    " x.field, x.region, x.links_to, " RECORD_SPAN_COLUMNS " FROM ("
    ARM("0", "agreement", "a.id", "a.title", "NULL", "NULL", "NULL", "NULL",
    "agreement_evidence e JOIN agreement a ON a.id = e.agreement_id")
    " UNION ALL " ARM("1", "outcome", "o.id", "o.summary", "NULL", "NULL",
    "NULL", "NULL", "outcome_evidence e JOIN outcome o"
    " ON o.id = e.outcome_id")
    " UNION ALL " ARM("2", "claim", "c.id", "c.subject", "v.value", "NULL",
    "NULL", "NULL", "claim_value_evidence e JOIN claim_value v"
    " ON v.id = e.claim_value_id JOIN claim c ON c.id = v.claim_id")
    " UNION ALL " ARM("3", "participant", "p.id", "p.name", "NULL", "NULL",
    "NULL", "NULL", "mention e JOIN participant p"
    " ON p.id = e.participant_id")
    " UNION ALL " ARM("4", "metadata", "e.source_id", "e.field", "NULL",
    "e.field", "NULL", "NULL", "source_metadata_evidence e")
    " UNION ALL " ARM("5", "region", "e.source_id", "e.kind", "NULL", "NULL",
    "e.kind", "e.links_to", "region e")
    ") x JOIN span s ON s.id = x.span_id"
    " ORDER BY s.byte_start, s.byte_end, x.rank, x.id, x.value";

static const char source_sql[] = "SELECT id AS source,"
    " coalesce(headline, id) AS label, sha256, len_codepoints AS codepoints,"
    " len_bytes AS bytes, len_utf16 AS utf16, text FROM source WHERE id = ?";

enum db_status
highlight_source(struct db *db, const char *id, json_t **out)
{
	json_t *rows = NULL, *items = NULL, *length;
	enum db_status st;

	st = db_rows(db, source_sql, &id, 1, false, &rows);
	if (st != DB_OK)
		return st;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return DB_NOT_FOUND;
	}
	st = db_rows(db, spans_sql, &id, 1, false, &items);
	if (st != DB_OK) {
		json_decref(rows);
		return st;
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	length = json_pack("{s:O, s:O, s:O}",
	    "codepoints", json_object_get(*out, "codepoints"),
	    "bytes", json_object_get(*out, "bytes"),
	    "utf16", json_object_get(*out, "utf16"));
	json_object_del(*out, "codepoints");
	json_object_del(*out, "bytes");
	json_object_del(*out, "utf16");
	if (length == NULL || json_object_set_new(*out, "length", length) != 0 ||
	    json_object_set_new(*out, "items", items) != 0) {
		json_decref(*out);
		*out = NULL;
		return DB_ERROR;
	}
	return DB_OK;
}
