#include "mentions.h"

#include "keyset.h"
#include "record.h"

#define MENTIONS_FROM " FROM mention e JOIN span s ON s.id = e.span_id" \
	" JOIN source src ON src.id = s.source_id WHERE e.participant_id = ?1"
#define MENTIONS_ORDER "src.ordinal, s.byte_start, s.byte_end, s.id"

/* ?2..?5: the keys after which; ?6: the rows wanted. */
static const char page_sql[] = "SELECT " RECORD_SPAN_COLUMNS ","
    " src.ordinal AS _k0, s.byte_start AS _k1, s.byte_end AS _k2,"
    " s.id AS _k3" MENTIONS_FROM " AND (" MENTIONS_ORDER ") > (?2, ?3, ?4,"
    " ?5) ORDER BY " MENTIONS_ORDER " LIMIT ?6";
static const char named_sql[] = "SELECT count(*)" MENTIONS_FROM
    " AND (" MENTIONS_ORDER ") = (?2, ?3, ?4, ?5)";
static const struct keyset_query query = {
	page_sql, named_sql, MENTIONS_KEYS
};

enum db_status
mentions_page(struct db *db, const char *id, const json_t *after,
    size_t limit, json_t **items, json_t **next)
{
	return keyset_page(db, &query, id, after, limit, items, next);
}
