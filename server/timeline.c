#include "timeline.h"

#include <string.h>

/* ?1: 1 to keep the undated items, 0 to leave them out. The claims that
 * dispute an item's date, as ids joined by ',' (ids have none). */
static const char timeline_sql[] = "SELECT t.kind, t.fact_id AS id,"
    " coalesce(a.title, o.summary, c.subject) AS label, t.value, t.date,"
    " t.first_day AS start, t.last_day AS \"end\", t.precision,"
    " coalesce(a.status, o.status) AS status,"
    " CASE t.kind WHEN 'claim' THEN CASE c.disputed WHEN 1 THEN c.id END"
    " WHEN 'outcome' THEN (SELECT group_concat(id, ',') FROM"
    " (SELECT x.id FROM claim x WHERE x.timeframe_of = o.id"
    " AND x.disputed = 1 ORDER BY x.ordinal)) END AS disputed_by"
    " FROM timeline t"
    " LEFT JOIN agreement a ON t.kind = 'agreement' AND a.id = t.fact_id"
    " LEFT JOIN outcome o ON t.kind = 'outcome' AND o.id = t.fact_id"
    " LEFT JOIN claim c ON t.kind = 'claim' AND c.id = t.fact_id"
    " WHERE ?1 = '1' OR t.first_day IS NOT NULL"
    " ORDER BY t.first_day IS NULL, t.first_day, t.last_day, t.rank,"
    " t.ordinal, t.value_ordinal";

/* Replaces item's disputed_by, ids joined by ',' or null, by an array of
 * them, and adds disputed. Returns false when out of memory. */
static bool
split_disputed_by(json_t *item)
{
	const char *joined = json_string_value(json_object_get(item,
	    "disputed_by"));
	json_t *ids = json_array();

	for (const char *p = joined; ids != NULL && p != NULL && *p != '\0';) {
		size_t n = strcspn(p, ",");
		if (json_array_append_new(ids, json_stringn(p, n)) != 0)
			break;
		p += n + (p[n] == ',');
	}
	if (ids == NULL)
		return false;
	return json_object_set_new(item, "disputed",
	    json_boolean(json_array_size(ids) > 0)) == 0 &&
	    json_object_set_new(item, "disputed_by", ids) == 0;
}

enum db_status
timeline_items(struct db *db, bool undated, json_t **out)
{
	const char *keep = undated ? "1" : "0";
	json_t *item;
	enum db_status st;
	size_t i;

	st = db_rows(db, timeline_sql, &keep, 1, false, out);
	if (st != DB_OK)
		return st;
	json_array_foreach(*out, i, item)
		if (!split_disputed_by(item)) {
			json_decref(*out);
			*out = NULL;
			return DB_ERROR;
		}
	return DB_OK;
}
