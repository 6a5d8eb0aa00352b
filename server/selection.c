#include "selection.h"

#include <stdbool.h>
#include <string.h>

/* What embed= adds: the labels of a record's parties, sources and
 * agreement. */
#define EMBED_PARTIES(kind) "SELECT p.id, p.name AS label, p.kind" \
	" FROM " kind "_party x JOIN participant p ON p.id = x.participant_id" \
	" WHERE x." kind "_id = ? ORDER BY x.ordinal"
#define EMBED_SOURCES(kind) "SELECT src.id, coalesce(src.headline, src.id)" \
	" AS label, src.publisher, src.date FROM fact_source f" \
	" JOIN source src ON src.id = f.source_id WHERE f.kind = '" kind "'" \
	" AND f.fact_id = ? ORDER BY src.ordinal"
static const char embed_agreement[] = "SELECT a.id, a.title AS label,"
    " a.status FROM outcome o JOIN agreement a ON a.id = o.agreement_id"
    " WHERE o.id = ?";

/* The top-level members of each kind's record, list and detail forms. */
static const char *const known_fields[DB_KIND_COUNT][20] = {
	[DB_SOURCES] = { "id", "label", "file", "sha256", "headline",
	    "publisher", "byline", "date", "url", "fact_counts", "length",
	    "links", "text", "facts", "regions", "metadata_evidence", NULL },
	[DB_PARTICIPANTS] = { "id", "label", "name", "kind", "title",
	    "affiliation", "country", "role", "aliases", "not_mentions",
	    "mentions", "mention_count", "links", NULL },
	[DB_AGREEMENTS] = { "id", "label", "title", "date", "status",
	    "summary", "corroboration", "parties", "evidence", "outcomes",
	    NULL },
	[DB_OUTCOMES] = { "id", "label", "kind", "status", "timeframe",
	    "timeframe_precision", "timeframe_stated", "timeframe_rule",
	    "agreement", "summary", "corroboration", "parties", "evidence",
	    "date_disputed_by", NULL },
	[DB_CLAIMS] = { "id", "label", "subject", "disputed", "differs",
	    "corroboration", "timeframe_of", "values", "relations", "dispute",
	    NULL },
};

bool
selection_field_known(enum db_kind kind, const char *name)
{
	for (size_t i = 0; known_fields[kind][i] != NULL; i++)
		if (strcmp(known_fields[kind][i], name) == 0)
			return true;
	return false;
}

/* The statement of what kind embeds as name, or NULL. */
static const char *
embed_sql(enum db_kind kind, const char *name)
{
	static const char *const parties[DB_KIND_COUNT] = {
		[DB_AGREEMENTS] = EMBED_PARTIES("agreement"),
		[DB_OUTCOMES] = EMBED_PARTIES("outcome"),
	};
	static const char *const sources[DB_KIND_COUNT] = {
		[DB_PARTICIPANTS] = EMBED_SOURCES("participant"),
		[DB_AGREEMENTS] = EMBED_SOURCES("agreement"),
		[DB_OUTCOMES] = EMBED_SOURCES("outcome"),
		[DB_CLAIMS] = EMBED_SOURCES("claim"),
	};

	if (strcmp(name, "parties") == 0)
		return parties[kind];
	if (strcmp(name, "sources") == 0)
		return sources[kind];
	if (strcmp(name, "agreement") == 0 && kind == DB_OUTCOMES)
		return embed_agreement;
	return NULL;
}

bool
selection_embed_known(enum db_kind kind, const char *name)
{
	return embed_sql(kind, name) != NULL;
}

/* Returns true when name is one of the names joined by ',' in list. */
static bool
named_in(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p != NULL; p = strchr(p, ',')) {
		p += *p == ',';
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* Adds obj["embedded"]: what view->embed names, by selection_embed_known. */
static enum db_status
embed(struct db *db, enum db_kind kind, json_t *obj, const char *names)
{
	static const char *const all[] = { "parties", "sources", "agreement",
	    NULL };
	const char *id = json_string_value(json_object_get(obj, "id"));
	json_t *embedded = json_object(), *found;
	enum db_status st = embedded != NULL ? DB_OK : DB_ERROR;

	for (size_t i = 0; all[i] != NULL && st == DB_OK; i++) {
		if (!named_in(names, all[i]) || embed_sql(kind, all[i]) == NULL)
			continue;
		st = db_rows(db, embed_sql(kind, all[i]), &id, 1, false, &found);
		if (st != DB_OK)
			break;
		/* An outcome has one agreement, or none. */
		if (strcmp(all[i], "agreement") == 0)
			json_object_set(embedded, all[i],
			    json_array_size(found) > 0 ?
			    json_array_get(found, 0) : json_null());
		else
			json_object_set(embedded, all[i], found);
		json_decref(found);
	}
	if (st == DB_OK && json_object_set_new(obj, "embedded", embedded) == 0)
		return DB_OK;
	json_decref(embedded);
	return st != DB_OK ? st : DB_ERROR;
}

enum db_status
selection_apply(struct db *db, enum db_kind kind, json_t *obj,
    const struct selection *view)
{
	enum db_status st = DB_OK;
	const char *key;
	json_t *value;
	void *tmp;

	if (view->embed != NULL)
		st = embed(db, kind, obj, view->embed);
	if (st != DB_OK || view->fields == NULL)
		return st;
	json_object_foreach_safe(obj, tmp, key, value)
		if (strcmp(key, "embedded") != 0 && !named_in(view->fields,
		    key))
			json_object_del(obj, key);
	return DB_OK;
}
