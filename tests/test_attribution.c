/*
 * Annotation format 2 on its own fixture corpus (tests/fixtures/attribution,
 * one article, drill.txt): attribution of each citation, certainty, typed
 * timeframes and values, relations and disputes, not_mentions and the
 * regions where mentions are not searched for; the oracles are the
 * article's words. Then each new check of the loader, on a copy of the
 * fixture with one thing wrong.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "load.h"
#include "query.h"
#include "record.h"
#include "statement.h"
#include "support.h"

static struct db *db;
static char *dir;

static void
setup(void)
{
	char src[1024], path[1200], err[1024];

	dir = temp_dir();
	snprintf(src, sizeof(src), "%s/tests/fixtures/attribution",
	    repo_root());
	snprintf(path, sizeof(path), "%s/fx.db", dir);
	cr_assert_eq(load_run(src, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_open(path, &db, err, sizeof(err)), 0, "%s", err);
}

static void
teardown(void)
{
	db_close(db);
	run("rm -rf '%s'", dir);
	free(dir);
}

TestSuite(attribution, .init = setup, .fini = teardown);

static json_t *
one(enum db_kind kind, const char *id)
{
	json_t *rec = NULL;

	cr_assert_eq(record_get(db, kind, id, &rec), DB_OK, "no %s", id);
	return rec;
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The value of claim c with this key. */
static json_t *
value_of(json_t *c, const char *key)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(c, "values"), i, v)
		if (strcmp(str(v, "key"), key) == 0)
			return v;
	cr_assert_fail("no value %s", key);
	return NULL;
}

/* The attribution of the first evidence span of the record or value o. */
static json_t *
attribution(json_t *o)
{
	return json_object_get(json_array_get(json_object_get(o, "evidence"),
	    0), "attribution");
}

/* "People familiar with the talks told Reuters they believed ...": an
 * anonymous described source, relayed by Reuters, hedged; "Xinhua said
 * the breach was a criminal case": Xinhua's own words. */
Test(attribution, an_anonymous_source_relayed_by_a_wire_agency)
{
	json_t *c = one(DB_CLAIMS, "breach-sponsor");
	json_t *a = attribution(value_of(c, "state-sponsored"));
	json_t *to = json_object_get(a, "attributed_to");
	json_t *via = json_object_get(a, "via");

	cr_expect_str_eq(str(a, "voice"), "reported");
	cr_expect_str_eq(str(to, "description"),
	    "People familiar with the talks");
	cr_expect(json_is_true(json_object_get(to, "anonymous")));
	cr_expect_null(json_object_get(to, "id"));
	cr_expect_eq(json_array_size(via), 1);
	cr_expect_str_eq(str(json_array_get(via, 0), "id"), "reuters");
	cr_expect_str_eq(str(json_array_get(via, 0), "name"), "Reuters");
	cr_expect_str_eq(str(a, "stance"), "believed");
	cr_expect_str_eq(str(a, "certainty"), "hedged");
	a = attribution(value_of(c, "criminal"));
	cr_expect_str_eq(str(json_object_get(a, "attributed_to"), "id"),
	    "xinhua");
	cr_expect_str_eq(str(a, "stance"), "said");
	cr_expect_str_eq(str(a, "certainty"), "asserted");
	cr_expect_eq(json_array_size(json_object_get(a, "via")), 0);
	json_decref(c);
}

/* "will hold a tabletop exercise next spring, the Justice Department
 * said": a plan announced, whose timeframe says no more than the words. */
Test(attribution, a_plan_with_a_typed_timeframe)
{
	json_t *o = one(DB_OUTCOMES, "tabletop-exercise");
	json_t *a = attribution(o);

	cr_expect_str_eq(str(o, "timeframe"), "2016");
	cr_expect_str_eq(str(o, "timeframe_precision"), "season");
	cr_expect_str_eq(str(o, "timeframe_stated"), "next spring");
	cr_expect_str_eq(str(o, "timeframe_rule"), "season-of-year");
	cr_expect_str_eq(str(a, "certainty"), "expected");
	cr_expect_str_eq(str(a, "stance"), "announced");
	cr_expect_str_eq(str(json_object_get(a, "attributed_to"), "name"),
	    "US Department of Justice");
	json_decref(o);
}

/* "more than 22 million federal workers" (the reporter) and "more than
 * 21.5 million people" (another report): compatible lower bounds of
 * different populations; the reports differ, nobody disputes. */
Test(attribution, compatible_figures_differ_without_a_dispute)
{
	json_t *c = one(DB_CLAIMS, "breach-affected");
	json_t *v = value_of(c, "federal-workers-22m");
	json_t *q = json_object_get(v, "quantity");
	json_t *speaker = json_array_get(json_object_get(v, "speakers"), 0);

	cr_expect(json_is_false(json_object_get(c, "disputed")));
	cr_expect(json_is_true(json_object_get(c, "differs")));
	cr_expect(json_is_null(json_object_get(c, "dispute")));
	cr_expect_str_eq(str(v, "type"), "quantity");
	cr_expect_str_eq(str(q, "bound"), "more-than");
	cr_expect_eq(json_number_value(json_object_get(q, "amount")), 22e6);
	cr_expect_str_eq(str(q, "counts"), "federal workers");
	cr_expect_str_eq(str(speaker, "voice"), "reporter");
	cr_expect_str_eq(str(speaker, "source"), "drill");
	cr_expect_str_eq(str(attribution(v), "voice"), "reporter");
	cr_expect_str_eq(str(attribution(v), "stance"), "reported");
	v = value_of(c, "people-21-5m");
	cr_expect_eq(json_number_value(json_object_get(json_object_get(v,
	    "quantity"), "amount")), 21.5e6);
	speaker = json_array_get(json_object_get(v, "speakers"), 0);
	cr_expect_str_eq(str(speaker, "description"), "Another report");
	cr_expect(json_is_false(json_object_get(speaker, "anonymous")));
	cr_expect_str_eq(str(json_array_get(json_object_get(c, "relations"),
	    0), "relation"), "different-aspect");
	json_decref(c);
}

/* "held in June, the Justice Department said" against "Xinhua said the
 * next round would be held in May": a dispute between two speakers. */
Test(attribution, contradicting_dates_are_a_dispute_between_speakers)
{
	json_t *c = one(DB_CLAIMS, "next-round-date");
	json_t *sides = json_object_get(json_object_get(c, "dispute"),
	    "sides");
	json_t *june = json_array_get(sides, 0);
	json_t *may = json_array_get(sides, 1);

	cr_expect(json_is_true(json_object_get(c, "disputed")));
	cr_expect_str_eq(str(json_object_get(c, "dispute"), "reason"),
	    "The Justice Department says June; Xinhua says May.");
	cr_assert_eq(json_array_size(sides), 2);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(june,
	    "values"), 0)), "june");
	cr_expect_str_eq(str(json_array_get(json_object_get(june, "speakers"),
	    0), "id"), "us-department-of-justice");
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(may,
	    "values"), 0)), "may");
	cr_expect_str_eq(str(json_array_get(json_object_get(may, "speakers"),
	    0), "id"), "xinhua");
	cr_expect_str_eq(str(value_of(c, "june"), "type"), "date");
	cr_expect_str_eq(str(attribution(value_of(c, "june")), "as_of"),
	    "2015-12");
	cr_expect(json_is_null(json_object_get(attribution(value_of(c, "may")),
	    "as_of")));
	json_decref(c);
}

/* "China" is in the headline, the first sentence and the caption ("China's
 * delegate"); not in "South China Sea" (not_mentions), nor in the
 * advertisement ("Visit China this winter"). "USA" is only in the slug
 * "To match story USA-CHINA/CYBER": "United States" is its one mention. */
Test(attribution, no_mentions_in_boilerplate_or_not_mentions_phrases)
{
	json_t *p = one(DB_PARTICIPANTS, "china"), *m;
	size_t i;

	cr_expect_eq(json_integer_value(json_object_get(p, "mention_count")),
	    3);
	json_array_foreach(json_object_get(p, "mentions"), i, m) {
		cr_expect(strstr(str(m, "suffix"), " Sea") != str(m, "suffix"),
		    "a mention inside \"South China Sea\"");
		cr_expect(strstr(str(m, "prefix"), "Visit ") == NULL,
		    "a mention inside the advertisement");
	}
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(p,
	    "not_mentions"), 0)), "South China Sea");
	json_decref(p);
	p = one(DB_PARTICIPANTS, "united-states");
	cr_expect_eq(json_integer_value(json_object_get(p, "mention_count")),
	    1);
	cr_expect_str_eq(str(json_array_get(json_object_get(p, "mentions"), 0),
	    "exact"), "United States");
	json_decref(p);
}

/* "next spring, the Justice Department said" and "in June, the Justice
 * Department said": one value of type participant, one speaker (named
 * once however often it speaks), nothing differs. */
Test(attribution, a_participant_value_names_its_speaker_once)
{
	json_t *c = one(DB_CLAIMS, "plans-announced-by");
	json_t *v = json_array_get(json_object_get(c, "values"), 0);
	json_t *speakers = json_object_get(v, "speakers");

	cr_expect(json_is_false(json_object_get(c, "differs")));
	cr_expect(json_is_false(json_object_get(c, "disputed")));
	cr_expect_str_eq(str(v, "type"), "participant");
	cr_expect_str_eq(str(v, "participant"), "us-department-of-justice");
	cr_expect(json_is_null(json_object_get(v, "key")));
	cr_expect(json_is_null(json_object_get(v, "quantity")));
	cr_expect_eq(json_array_size(json_object_get(v, "evidence")), 2);
	cr_expect_eq(json_array_size(speakers), 1);
	cr_expect_str_eq(str(json_array_get(speakers, 0), "id"),
	    "us-department-of-justice");
	json_decref(c);
}

/* The ids of the claims that pass the filter name=value. */
static json_t *
claims_where(const char *name, const char *value)
{
	struct query q = { .limit = 500 };
	struct query_page page;
	const struct list_param *params = lists[DB_CLAIMS].params;
	json_t *items, *ids = json_array(), *c;
	size_t i, k = 0;

	while (params[k].name != NULL && strcmp(params[k].name, name) != 0)
		k++;
	cr_assert_not_null(params[k].name, "no filter %s", name);
	q.values[k] = value;
	cr_assert_eq(query_list(db, DB_CLAIMS, &q, &page), DB_OK);
	items = json_loadb(page.items, page.items_len, 0, NULL);
	free(page.items);
	json_array_foreach(items, i, c)
		json_array_append(ids, json_object_get(c, "id"));
	json_decref(items);
	return ids;
}

static void
expect_ids(json_t *ids, const char *const *want)
{
	size_t n = 0;

	for (; want[n] != NULL; n++)
		cr_expect_str_eq(json_string_value(json_array_get(ids, n)),
		    want[n]);
	cr_expect_eq(json_array_size(ids), n);
	json_decref(ids);
}

Test(attribution, the_filters_read_the_attribution)
{
	expect_ids(claims_where("attributed_to", "xinhua"), (const char *[]){
	    "breach-sponsor", "next-round-date", NULL });
	/* Reuters only relays: not a speaker. */
	expect_ids(claims_where("attributed_to", "reuters"),
	    (const char *[]){ NULL });
	expect_ids(claims_where("certainty", "hedged"), (const char *[]){
	    "breach-sponsor", NULL });
	expect_ids(claims_where("differs", "1"), (const char *[]){
	    "breach-sponsor", "breach-affected", "next-round-date", NULL });
	expect_ids(claims_where("differs", "0"), (const char *[]){
	    "plans-announced-by", NULL });
	expect_ids(claims_where("disputed", "1"), (const char *[]){
	    "breach-sponsor", "next-round-date", NULL });
}

/* What Xinhua said (twice), and what Reuters relayed (once). */
Test(attribution, statements_of_a_speaker_and_of_a_relay)
{
	json_t *items, *next, *s;

	cr_assert_eq(statement_page(db, "xinhua", NULL, 10, &items, &next),
	    DB_OK);
	cr_expect_null(next);
	cr_assert_eq(json_array_size(items), 2);
	s = json_array_get(items, 0);
	cr_assert_eq(record_statement(s), 0);
	cr_expect_str_eq(str(s, "id"), "breach-sponsor");
	cr_expect_str_eq(str(s, "value_key"), "criminal");
	cr_expect(json_is_false(json_object_get(s, "relayed")));
	cr_expect_str_eq(str(json_object_get(s, "span"), "exact"),
	    "Xinhua said the breach was a criminal case");
	json_decref(items);
	cr_assert_eq(statement_page(db, "reuters", NULL, 10, &items, &next),
	    DB_OK);
	cr_assert_eq(json_array_size(items), 1);
	s = json_array_get(items, 0);
	cr_assert_eq(record_statement(s), 0);
	cr_expect(json_is_true(json_object_get(s, "relayed")));
	cr_expect_str_eq(str(s, "stance"), "believed");
	json_decref(items);
	cr_expect_eq(statement_page(db, "nobody", NULL, 10, &items, &next),
	    DB_NOT_FOUND);
}

/* A page of one has a next page; its keys continue after it. */
Test(attribution, statements_page_by_keyset)
{
	json_t *items, *next, *rest, *none;

	cr_assert_eq(statement_page(db, "xinhua", NULL, 1, &items, &next),
	    DB_OK);
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_not_null(next);
	cr_assert_eq(statement_page(db, "xinhua", next, 1, &rest, &none),
	    DB_OK);
	cr_expect_eq(json_array_size(rest), 1);
	cr_expect_null(none);
	cr_expect_str_eq(str(json_array_get(rest, 0), "value_key"), "may");
	json_decref(items);
	json_decref(rest);
	json_decref(next);
}

/* A cursor is honoured only when its keys name one of the speaker's
 * statements: forged keys, keys that are not integers and an unknown
 * speaker are refused, and nothing is returned. */
Test(attribution, statements_refuse_a_cursor_that_names_no_statement)
{
	json_t *forged = json_pack("[iiiiiii]", 9, 9, 9, 9, 9, 9, 9);
	json_t *words = json_pack("[sssssss]", "a", "b", "c", "d", "e", "f",
	    "g");
	json_t *items = NULL, *next = NULL;

	cr_assert_eq(statement_page(db, "xinhua", forged, 1, &items, &next),
	    DB_BAD_QUERY);
	cr_assert_null(items);
	cr_assert_null(next);
	cr_assert_eq(statement_page(db, "xinhua", words, 1, &items, &next),
	    DB_BAD_QUERY);
	cr_assert_eq(statement_page(db, "no-such-speaker", NULL, 1, &items,
	    &next), DB_NOT_FOUND);
	cr_assert_null(items);
	json_decref(forged);
	json_decref(words);
}

/* A copy of the fixture whose facts.json `edit` changed; the load must
 * fail with a message holding the file, the record and `reason`. */
static void
assert_edit_fails(void (*edit)(json_t *), const char *record,
    const char *reason)
{
	char *copy = temp_dir(), path[1200], db_path[1200], err[1024];
	json_t *facts;

	cr_assert_eq(run("cp -r '%s/tests/fixtures/attribution/.' '%s'",
	    repo_root(), copy), 0);
	snprintf(path, sizeof(path), "%s/annotations/facts.json", copy);
	facts = json_load_file(path, 0, NULL);
	cr_assert_not_null(facts);
	edit(facts);
	cr_assert_eq(json_dump_file(facts, path, JSON_INDENT(2)), 0);
	json_decref(facts);
	snprintf(db_path, sizeof(db_path), "%s/out.db", copy);
	cr_assert_eq(load_run(copy, db_path, err, sizeof(err)), -1,
	    "the load should have failed");
	cr_expect(strstr(err, "facts.json:") != NULL, "no file in \"%s\"", err);
	cr_expect(strstr(err, record) != NULL, "no %s in \"%s\"", record, err);
	cr_expect(strstr(err, reason) != NULL, "no \"%s\" in \"%s\"", reason,
	    err);
	run("rm -rf '%s'", copy);
	free(copy);
}

/* The claim of facts with this id. */
static json_t *
claim(json_t *facts, const char *id)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(facts, "claims"), i, c)
		if (strcmp(str(c, "id"), id) == 0)
			return c;
	cr_assert_fail("no claim %s", id);
	return NULL;
}

/* The first citation of the value `at` of the claim id. */
static json_t *
citation(json_t *facts, const char *id, size_t at)
{
	return json_array_get(json_object_get(json_array_get(json_object_get(
	    claim(facts, id), "values"), at), "evidence"), 0);
}

static void
bad_stance(json_t *facts)
{
	json_object_set_new(citation(facts, "breach-sponsor", 1), "stance",
	    json_string("whispered"));
}

static void
unknown_speaker(json_t *facts)
{
	json_object_set_new(citation(facts, "breach-sponsor", 1),
	    "attributed_to", json_string("nobody"));
}

static void
unknown_relay(json_t *facts)
{
	json_object_set_new(citation(facts, "breach-sponsor", 0), "via",
	    json_pack("[s]", "nobody"));
}

static void
no_dispute(json_t *facts)
{
	json_object_del(claim(facts, "breach-sponsor"), "dispute");
}

static void
dispute_without_contradicts(json_t *facts)
{
	json_object_set_new(claim(facts, "breach-affected"), "dispute",
	    json_pack("{s:s}", "reason", "They differ."));
}

static void
stale_not_mentions(json_t *facts)
{
	json_array_append_new(json_object_get(json_array_get(json_object_get(
	    facts, "participants"), 0), "not_mentions"),
	    json_string("East China Sea"));
}

static void
unknown_value_key(json_t *facts)
{
	json_array_set_new(json_object_get(json_array_get(json_object_get(
	    claim(facts, "breach-affected"), "relations"), 0), "values"), 1,
	    json_string("nope"));
}

static void
bad_certainty(json_t *facts)
{
	json_object_set_new(citation(facts, "breach-sponsor", 1), "certainty",
	    json_string("sure"));
}

static void
reporter_with_a_stance(json_t *facts)
{
	json_object_set_new(citation(facts, "breach-affected", 0), "stance",
	    json_string("said"));
}

static void
timeframe_without_words(json_t *facts)
{
	json_object_del(json_array_get(json_object_get(facts, "outcomes"), 0),
	    "timeframe_stated");
}

Test(attribution, a_bad_stance_fails)
{
	assert_edit_fails(bad_stance, "breach-sponsor", "evidence[0]: "
	    "\"stance\" must be one of: said, announced");
}

Test(attribution, a_bad_certainty_fails)
{
	assert_edit_fails(bad_certainty, "breach-sponsor",
	    "\"certainty\" must be one of");
}

Test(attribution, an_unknown_attributed_to_fails)
{
	assert_edit_fails(unknown_speaker, "breach-sponsor", "evidence[0]."
	    "attributed_to refers to the unknown participant \"nobody\"");
}

Test(attribution, an_unknown_via_fails)
{
	assert_edit_fails(unknown_relay, "breach-sponsor", "evidence[0].via[0] "
	    "refers to the unknown participant \"nobody\"");
}

Test(attribution, contradicts_without_a_dispute_fails)
{
	assert_edit_fails(no_dispute, "breach-sponsor", "needs \"dispute\"");
}

Test(attribution, a_dispute_without_contradicts_fails)
{
	assert_edit_fails(dispute_without_contradicts, "breach-affected",
	    "\"dispute\" without a \"contradicts\" relation");
}

Test(attribution, a_stale_not_mentions_phrase_fails)
{
	assert_edit_fails(stale_not_mentions, "china",
	    "not_mentions[1] \"East China Sea\" removes no match");
}

Test(attribution, an_unknown_value_key_in_a_relation_fails)
{
	assert_edit_fails(unknown_value_key, "breach-affected",
	    "relations[0] names the unknown value key \"nope\"");
}

Test(attribution, the_reporters_voice_has_no_other_stance)
{
	assert_edit_fails(reporter_with_a_stance, "breach-affected",
	    "the reporter's own voice");
}

Test(attribution, a_timeframe_needs_its_words)
{
	assert_edit_fails(timeframe_without_words, "tabletop-exercise",
	    "timeframe_stated");
}

/* accord load says on stderr what each not_mentions phrase removed. */
Test(attribution, the_load_reports_what_not_mentions_removed)
{
	char *out = temp_dir(), *log, path[1200];
	size_t len;

	cr_assert_eq(run("'%s' load --data '%s/tests/fixtures/attribution'"
	    " --db '%s/x.db' 2>'%s/err'", env_or_die("ACCORD_BIN"),
	    repo_root(), out, out), 0);
	snprintf(path, sizeof(path), "%s/err", out);
	log = slurp(path, &len);
	cr_expect(strstr(log, "china: not_mentions \"South China Sea\" "
	    "removed 1 match\n") != NULL, "stderr: %s", log);
	free(log);
	run("rm -rf '%s'", out);
	free(out);
}
