/* The curated dataset: invariants over every record, mention counts made
 * by hand, and what each article must be found to support. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "db.h"
#include "query.h"
#include "record.h"
#include "support.h"
#include "vocab.h"

static struct db *db;

static void
open_db(void)
{
	char err[512];

	cr_assert_eq(db_open(env_or_die("ACCORD_DB"), &db, err, sizeof(err)), 0,
	    "%s", err);
}

static void
close_db(void)
{
	db_close(db);
}

TestSuite(dataset, .init = open_db, .fini = close_db);

/* Every record of kind (a new reference). */
static json_t *
all(enum db_kind kind)
{
	struct query q = { .limit = 500 };
	struct query_page page;

	json_t *items;

	cr_assert_eq(query_list(db, kind, &q, &page), DB_OK);
	cr_assert_null(page.next_after, "more than 500 records");
	items = json_loadb(page.items, page.items_len, 0, NULL);
	cr_assert_not_null(items, "the page is not JSON: %s", page.items);
	free(page.items);
	return items;
}

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

Test(dataset, every_fact_has_evidence)
{
	static const enum db_kind kinds[] = { DB_AGREEMENTS, DB_OUTCOMES,
	    DB_CLAIMS };

	for (size_t k = 0; k < 3; k++) {
		json_t *list = all(kinds[k]), *rec;
		size_t i;
		cr_assert_gt(json_array_size(list), 0);
		json_array_foreach(list, i, rec) {
			/* A claim's evidence is its values'. */
			json_t *v = kinds[k] == DB_CLAIMS ? json_array_get(
			    json_object_get(rec, "values"), 0) : rec;
			cr_assert_gt(json_array_size(json_object_get(v,
			    "evidence")), 0, "%s", str(rec, "id"));
		}
		json_decref(list);
	}
}

Test(dataset, every_participant_is_mentioned_and_names_are_unique)
{
	json_t *list = all(DB_PARTICIPANTS), *p, *names = json_object();
	size_t i;

	json_array_foreach(list, i, p) {
		cr_assert_gt(json_array_size(json_object_get(p, "mentions")), 0,
		    "%s", str(p, "id"));
		cr_assert_null(json_object_get(names, str(p, "name")),
		    "two participants are named %s", str(p, "name"));
		json_object_set_new(names, str(p, "name"), json_true());
	}
	json_decref(names);
	json_decref(list);
}

Test(dataset, every_date_is_iso_8601)
{
	json_t *list = all(DB_AGREEMENTS), *rec;
	size_t i;

	json_array_foreach(list, i, rec)
		if (str(rec, "date") != NULL)
			cr_assert(vocab_valid_date(str(rec, "date"),
			    strlen(str(rec, "date"))), "%s", str(rec, "date"));
	json_decref(list);
	list = all(DB_OUTCOMES);
	json_array_foreach(list, i, rec)
		if (str(rec, "timeframe") != NULL)
			cr_assert(vocab_valid_timeframe(str(rec, "timeframe")),
			    "%s", str(rec, "timeframe"));
	json_decref(list);
	list = all(DB_SOURCES);
	json_array_foreach(list, i, rec)
		if (str(rec, "date") != NULL)
			cr_assert(vocab_valid_date(str(rec, "date"),
			    strlen(str(rec, "date"))));
	json_decref(list);
}

Test(dataset, a_disputed_claim_has_two_different_values)
{
	json_t *list = all(DB_CLAIMS), *c;
	size_t i;

	json_array_foreach(list, i, c) {
		json_t *values = json_object_get(c, "values");
		if (!json_is_true(json_object_get(c, "disputed")))
			continue;
		cr_assert_geq(json_array_size(values), 2);
		cr_assert_str_neq(str(json_array_get(values, 0), "value"),
		    str(json_array_get(values, 1), "value"));
	}
	json_decref(list);
}

Test(dataset, every_span_verifies_against_its_text)
{
	char err[512];

	cr_assert_eq(db_verify_spans(db, err, sizeof(err)), 0, "%s", err);
}

/* Mentions of a participant per source, in corpus order. */
static void
assert_mentions(const char *participant, const size_t expected[5])
{
	static const char *const sources[] = {
	    "scmp-china-us-test-cyberthreat-defences",
	    "china-us-find-common-ground-cybersecurity-disputes",
	    "us-china-reach-agreement-on-cyber-espionage",
	    "scmp-chinese-public-security-chief-heads-to-us",
	    "straits-times-us-china-step-up-cyber-security-effort" };
	json_t *p = one(DB_PARTICIPANTS, participant), *m;
	size_t counts[5] = { 0 }, i;

	json_array_foreach(json_object_get(p, "mentions"), i, m)
		for (size_t s = 0; s < 5; s++)
			counts[s] += strcmp(str(m, "source"), sources[s]) == 0;
	for (size_t s = 0; s < 5; s++)
		cr_expect_eq(counts[s], expected[s], "%s in %s: %zu, counted by "
		    "hand %zu", participant, sources[s], counts[s], expected[s]);
	json_decref(p);
}

/* Counted by reading the articles: captions (also when printed twice),
 * "Mr Xi", possessives (Xi's, Xi’s) and surnames alone included; names
 * inside boilerplate (related links, credits such as "Photo: Xinhua",
 * slugs) are not mentions (format 2). */
Test(dataset, mentions_of_guo_shengkun_match_a_hand_count)
{
	assert_mentions("guo-shengkun", (const size_t[5]){ 4, 3, 1, 4, 3 });
}

Test(dataset, mentions_of_xi_jinping_match_a_hand_count)
{
	/* 000 names Xi only in the related link "Read more: Chinese hackers
	 * tried to breach security at seven US firms since Xi and Obama
	 * signed cyber deal, ...". */
	assert_mentions("xi-jinping", (const size_t[5]){ 0, 2, 1, 7, 3 });
}

Test(dataset, mentions_of_shi_yinhong_match_a_hand_count)
{
	assert_mentions("shi-yinhong", (const size_t[5]){ 1, 0, 0, 4, 0 });
}

Test(dataset, mentions_of_xinhua_match_a_hand_count)
{
	/* 000: "Guo told Xinhua", "a report from Xinhua", not the credit
	 * "Photo: Xinhua"; 003: "Xinhua said." in the text and in each of
	 * the two captions, not the credits "Photos: AFP, Xinhua". */
	assert_mentions("xinhua", (const size_t[5]){ 2, 3, 1, 3, 2 });
}

/* The facts list of a source contains every id given. */
static void
assert_supports(const char *source, const char *kind, const char *const *ids)
{
	json_t *s = one(DB_SOURCES, source);
	json_t *list = json_object_get(json_object_get(s, "facts"), kind);

	for (size_t i = 0; ids[i] != NULL; i++) {
		json_t *v;
		size_t k;
		int found = 0;
		json_array_foreach(list, k, v)
			found |= strcmp(json_string_value(v), ids[i]) == 0;
		cr_expect(found, "%s should support %s %s", source, kind, ids[i]);
	}
	json_decref(s);
}

/* The value of a claim that a source supports. */
static void
assert_value(const char *claim, const char *source, const char *value)
{
	json_t *c = one(DB_CLAIMS, claim), *v, *span;
	size_t i, k;
	int found = 0;

	json_array_foreach(json_object_get(c, "values"), i, v)
		json_array_foreach(json_object_get(v, "evidence"), k, span)
			if (strcmp(str(span, "source"), source) == 0)
				found |= strcmp(str(v, "value"), value) == 0;
	cr_expect(found, "%s should say %s: %s", source, claim, value);
	json_decref(c);
}

Test(dataset, the_scmp_report_of_the_outcomes)
{
	const char *s = "scmp-china-us-test-cyberthreat-defences";

	assert_supports(s, "outcomes", (const char *const[]){
	    "tabletop-exercise-2016", "next-round-talks-beijing-2016",
	    "terrorism-technology-seminar", "network-protection-expert-exchange",
	    NULL });
	assert_supports(s, "participants", (const char *const[]){
	    "guo-shengkun", "loretta-lynch", "jeh-johnson", "shi-yinhong", NULL });
	assert_value("opm-breach-people-affected", s,
	    "more than 22 million federal workers");
	assert_value("next-round-talks-date", s, "2016-06");
}

Test(dataset, the_common_ground_report_by_andrea_chen)
{
	const char *s = "china-us-find-common-ground-cybersecurity-disputes";
	json_t *src = one(DB_SOURCES, s);

	cr_assert_str_eq(str(src, "byline"), "Andrea Chen");
	json_decref(src);
	assert_supports(s, "agreements", (const char *const[]){
	    "xi-obama-cyber-agreement-2015-09", "guidelines-cybercrime-2015-12",
	    NULL });
	assert_supports(s, "outcomes", (const char *const[]){
	    "cybercrime-hotline", "next-round-talks-beijing-2016", NULL });
	assert_value("opm-breach-fingerprints-stolen", s, "at least 5.6 million");
}

Test(dataset, the_cyber_espionage_report_that_says_may)
{
	const char *s = "us-china-reach-agreement-on-cyber-espionage";

	assert_supports(s, "outcomes", (const char *const[]){
	    "tabletop-exercise-2016", "cybercrime-hotline", NULL });
	assert_supports(s, "participants", (const char *const[]){
	    "jason-healey", "michael-s-rogers", NULL });
	assert_value("opm-breach-people-affected", s,
	    "more than 21.5 million people");
	assert_value("next-round-talks-date", s, "2016-05");
}

Test(dataset, the_preview_before_the_talks)
{
	const char *s = "scmp-chinese-public-security-chief-heads-to-us";
	json_t *src = one(DB_SOURCES, s);
	json_t *agreements = json_object_get(json_object_get(src, "facts"),
	    "agreements");

	cr_assert_str_eq(str(src, "url"), "https://scmp.com/news/china/"
	    "diplomacy-defence/article/1885101/chinese-public-security-chief-"
	    "heads-us-talks-cybercrime");
	cr_assert_null(str(src, "publisher"), "no article names the paper");
	cr_assert_eq(json_array_size(agreements), 1,
	    "written before the talks, it reports only the September deal");
	json_decref(src);
	assert_supports(s, "agreements", (const char *const[]){
	    "xi-obama-cyber-agreement-2015-09", NULL });
	assert_supports(s, "participants", (const char *const[]){
	    "shi-yinhong", "crowdstrike", "xi-jinping", "barack-obama", NULL });
}

Test(dataset, the_straits_times_print_edition)
{
	const char *s = "straits-times-us-china-step-up-cyber-security-effort";
	json_t *src = one(DB_SOURCES, s);

	cr_assert_str_eq(str(src, "publisher"), "The Straits Times");
	cr_assert_str_eq(str(src, "date"), "2015-12-04");
	json_decref(src);
	assert_supports(s, "participants", (const char *const[]){
	    "josh-earnest", "susan-rice", "guo-shengkun", NULL });
	assert_value("opm-breach-people-affected", s,
	    "more than 20 million people");
	assert_value("next-round-talks-date", s, "2016-06");
}
