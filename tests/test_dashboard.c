/*
 * The dashboard API (issue 16), on the fixture corpus tests/fixtures/
 * dashboard/ (two short articles, three participants, one agreement,
 * three outcomes, two claims): absolute next links, Timing-Allow-Origin,
 * labels, links both ways, lean items, fields= and embed=, facets,
 * /timeline, /sources/{id}/spans and /annotations?source=. Every expected
 * value below was counted by hand from the fixture's files (offsets with
 * an editor's cursor, in code points, UTF-8 bytes and UTF-16 units), not
 * computed by accord.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "support.h"

static char *dir;

/* Loads the fixture into a scratch database and serves it with the extra
 * serve arguments (NULL-terminated; at most two). */
static void
serve_fixture(const char *a, const char *b)
{
	char data[1024], db[1200], err[1024];

	dir = temp_dir();
	snprintf(data, sizeof(data), "%s/tests/fixtures/dashboard",
	    repo_root());
	snprintf(db, sizeof(db), "%s/dashboard.db", dir);
	cr_assert_eq(load_run(data, db, err, sizeof(err)), 0,
	    "the fixture does not load: %s", err);
	daemon_start(&server, db, a, b, NULL);
}

static void
setup(void)
{
	serve_fixture(NULL, NULL);
}

static void
teardown(void)
{
	daemon_stop(&server);
	run("rm -rf '%s'", dir);
	free(dir);
}

TestSuite(dashboard, .init = setup, .fini = teardown, .timeout = 120);

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t
num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* GETs path, requires the status, and returns the body parsed. */
static json_t *
get_json(const char *path, long status)
{
	struct http r;
	json_t *doc;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, status, "GET %s: %ld %s", path, r.status,
	    r.body);
	doc = json_loadb(r.body, r.len, 0, NULL);
	cr_assert_not_null(doc, "GET %s: not JSON", path);
	http_free(&r);
	return doc;
}

/* Requires GET path to be a 400 whose detail holds `words`. */
static void
assert_400(const char *path, const char *words)
{
	json_t *doc = get_json(path, 400);

	cr_assert(strstr(str(doc, "detail"), words) != NULL, "%s: %s", path,
	    str(doc, "detail"));
	json_decref(doc);
}

/* The ids of an array of records, joined by ','. */
static char *
ids(const json_t *arr, const char *key)
{
	static char buf[1024];
	size_t len = 0;
	json_t *v;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(arr, i, v)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i > 0 ? "," : "", json_is_string(v) ?
		    json_string_value(v) : str(v, key));
	return buf;
}

/* ------------------------------------------------------ next links --- */

Test(dashboard, next_is_absolute_from_the_host_and_named_by_link)
{
	struct http r;
	json_t *doc;
	char want[256], *link;

	http_get(&server, "/outcomes?limit=1", &r);
	doc = json_loadb(r.body, r.len, 0, NULL);
	snprintf(want, sizeof(want), "http://127.0.0.1:%d/outcomes?limit=1&"
	    "cursor=", server.port);
	cr_assert(strncmp(str(doc, "next"), want, strlen(want)) == 0, "%s",
	    str(doc, "next"));
	link = http_header(&r, "Link");
	snprintf(want, sizeof(want), "<%s>; rel=\"next\"", str(doc, "next"));
	cr_assert_str_eq(link, want);
	free(link);
	json_decref(doc);
	http_free(&r);
}

Test(dashboard, next_follows_the_host_each_request_names)
{
	struct http a, b;
	json_t *da, *db;

	/* The same target under two Host headers: two answers, so that a
	 * cached body never hands one host's links to another. */
	http_request(&server, "GET", "/claims?limit=1", &a,
	    "Host: one.example", NULL);
	http_request(&server, "GET", "/claims?limit=1", &b,
	    "Host: two.example:8080", NULL);
	da = json_loadb(a.body, a.len, 0, NULL);
	db = json_loadb(b.body, b.len, 0, NULL);
	cr_assert(strncmp(str(da, "next"), "http://one.example/claims?", 26) ==
	    0, "%s", str(da, "next"));
	cr_assert(strncmp(str(db, "next"), "http://two.example:8080/claims?",
	    31) == 0, "%s", str(db, "next"));
	json_decref(da);
	json_decref(db);
	http_free(&a);
	http_free(&b);
}

Test(dashboard, count_and_facets_are_answered_once_not_carried_by_next)
{
	json_t *doc = get_json("/outcomes?limit=1&count=true&facet=status",
	    200), *second;
	const char *next = str(doc, "next");

	cr_assert_eq(num(doc, "count"), 3);
	cr_assert_not_null(json_object_get(doc, "facets"));
	cr_assert_null(strstr(next, "count="), "%s", next);
	cr_assert_null(strstr(next, "facet="), "%s", next);
	cr_assert_not_null(strstr(next, "limit=1&cursor="), "%s", next);
	second = get_json(next, 200);
	cr_assert_null(json_object_get(second, "count"));
	cr_assert_null(json_object_get(second, "facets"));
	cr_assert_eq(json_array_size(json_object_get(second, "items")), 1);
	json_decref(second);
	json_decref(doc);
}

/* Daemons started by the tests themselves, with other options. */
TestSuite(dashboard_url, .timeout = 120);

Test(dashboard_url, public_url_makes_next_and_annotation_pages)
{
	json_t *doc;

	/* A trailing '/' is dropped: links join it to the path. */
	serve_fixture("--public-url", "https://news.example/accord/");
	doc = get_json("/outcomes?limit=2", 200);
	cr_assert(strncmp(str(doc, "next"), "https://news.example/accord/"
	    "outcomes?limit=2&cursor=", 51) == 0, "%s", str(doc, "next"));
	json_decref(doc);
	doc = get_json("/annotations?limit=2", 200);
	cr_assert_str_eq(str(doc, "id"),
	    "https://news.example/accord/annotations?limit=2");
	json_decref(doc);
	teardown();
}

Test(dashboard_url, a_public_url_that_is_not_http_is_refused)
{
	int status = run("'%s' serve --db /nonexistent --port 0 "
	    "--public-url ftp://x.example 2>/dev/null", env_or_die(
	    "ACCORD_BIN"));

	cr_assert_eq(status, 2);
}

Test(dashboard, timing_allow_origin_is_on_every_answer)
{
	static const char *const paths[] = { "/timeline", "/outcomes/none",
	    "/claims?facet=nope" };

	for (size_t i = 0; i < 3; i++) {
		struct http r;
		char *tao;

		http_get(&server, paths[i], &r);
		tao = http_header(&r, "Timing-Allow-Origin");
		cr_assert_not_null(tao, "%s", paths[i]);
		cr_assert_str_eq(tao, "*");
		free(tao);
		http_free(&r);
	}
}

/* ----------------------------------------- labels and links both ways --- */

Test(dashboard, every_kind_has_its_label)
{
	static const char *const want[][2] = {
		{ "/sources/river-report", "River report" },
		{ "/participants/mira-sole", "Mira Sol\u00e9" },
		{ "/agreements/harbor-pact", "Harbor pact" },
		{ "/outcomes/ferry-link", "A ferry link is under consideration." },
		{ "/claims/signing-day", "Day the pact was signed" },
	};

	for (size_t i = 0; i < 5; i++) {
		json_t *doc = get_json(want[i][0], 200);
		cr_assert_str_eq(str(doc, "label"), want[i][1]);
		json_decref(doc);
	}
}

Test(dashboard, an_agreement_lists_its_outcomes_in_the_data_order)
{
	json_t *doc = get_json("/agreements/harbor-pact", 200);

	cr_assert_str_eq(ids(json_object_get(doc, "outcomes"), NULL),
	    "joint-patrol,ferry-link,next-round");
	json_decref(doc);
}

Test(dashboard, an_outcome_links_to_the_claim_disputing_its_date)
{
	json_t *doc = get_json("/outcomes/next-round", 200);

	cr_assert_str_eq(ids(json_object_get(doc, "date_disputed_by"), NULL),
	    "next-round-month");
	json_decref(doc);
	doc = get_json("/outcomes/joint-patrol", 200);
	cr_assert_eq(json_array_size(json_object_get(doc, "date_disputed_by")),
	    0);
	json_decref(doc);
	doc = get_json("/claims/next-round-month", 200);
	cr_assert_str_eq(str(doc, "timeframe_of"), "next-round");
	json_decref(doc);
}

/* ----------------------------------------------------- lean items --- */

Test(dashboard, a_claim_does_not_repeat_its_values_evidence)
{
	json_t *doc = get_json("/claims/next-round-month", 200);

	cr_assert_null(json_object_get(doc, "evidence"));
	cr_assert_eq(json_array_size(json_object_get(json_array_get(
	    json_object_get(doc, "values"), 1), "evidence")), 1);
	json_decref(doc);
}

Test(dashboard, source_list_items_leave_the_heavy_parts_to_the_detail)
{
	json_t *doc = get_json("/sources", 200);
	json_t *river = json_array_get(json_object_get(doc, "items"), 1);
	json_t *detail = get_json("/sources/river-report", 200);

	cr_assert_str_eq(str(river, "id"), "river-report");
	cr_assert_null(json_object_get(river, "regions"));
	cr_assert_null(json_object_get(river, "facts"));
	cr_assert_null(json_object_get(river, "metadata_evidence"));
	cr_assert_eq(num(json_object_get(river, "fact_counts"), "outcomes"), 1);
	cr_assert_eq(json_array_size(json_object_get(detail, "regions")), 1);
	cr_assert_not_null(json_object_get(detail, "facts"));
	json_decref(detail);
	json_decref(doc);
}

Test(dashboard, fields_keeps_only_the_members_named)
{
	json_t *doc = get_json("/claims?fields=label,disputed", 200), *item;
	json_t *one;

	item = json_array_get(json_object_get(doc, "items"), 0);
	cr_assert_eq(json_object_size(item), 2);
	cr_assert_str_eq(str(item, "label"), "When the next round will be held");
	cr_assert(json_is_true(json_object_get(item, "disputed")));
	one = get_json("/agreements/harbor-pact?fields=id,outcomes", 200);
	cr_assert_eq(json_object_size(one), 2);
	cr_assert_not_null(json_object_get(one, "outcomes"));
	json_decref(one);
	json_decref(doc);
}

Test(dashboard, fields_and_embed_refuse_names_the_route_lacks)
{
	assert_400("/claims?fields=label,colour", "colour");
	assert_400("/claims?fields=label,label", "twice");
	assert_400("/sources?embed=parties", "parties");
	assert_400("/outcomes/ferry-link?embed=values", "values");
}

Test(dashboard, embed_gives_the_labels_of_parties_sources_and_agreement)
{
	json_t *doc = get_json("/outcomes/joint-patrol?embed=parties,sources,"
	    "agreement&fields=id", 200);
	json_t *e = json_object_get(doc, "embedded");

	cr_assert_eq(json_object_size(doc), 2, "id and embedded");
	cr_assert_str_eq(ids(json_object_get(e, "parties"), "label"),
	    "Avalon,Brisia");
	cr_assert_str_eq(ids(json_object_get(e, "sources"), "label"),
	    "Harbor talks end in accord,River report");
	cr_assert_str_eq(str(json_object_get(e, "agreement"), "label"),
	    "Harbor pact");
	json_decref(doc);
}

/* ---------------------------------------------------------- facets --- */

/* The facet `name` of doc as "value=count,...". */
static char *
facet(const json_t *doc, const char *name)
{
	static char buf[512];
	json_t *f = json_object_get(json_object_get(doc, "facets"), name), *v;
	size_t i, len = 0;

	cr_assert(json_is_array(f), "no facet %s", name);
	buf[0] = '\0';
	json_array_foreach(f, i, v) {
		json_t *value = json_object_get(v, "value");
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "%s%s=%lld", i > 0 ? "," : "", json_is_string(value) ?
		    json_string_value(value) : json_is_true(value) ? "true" :
		    json_is_false(value) ? "false" : "null",
		    (long long)num(v, "count"));
	}
	return buf;
}

Test(dashboard, facets_count_every_allowed_value_zeros_included)
{
	json_t *doc = get_json("/outcomes?facet=status&facet=kind", 200);

	cr_assert_str_eq(facet(doc, "status"),
	    "agreed=2,proposed=0,under-consideration=1");
	cr_assert_str_eq(facet(doc, "kind"), "commitment=1,event=1,exercise=0,"
	    "mechanism=0,guideline=0,exchange=0,proposal=1");
	json_decref(doc);
}

Test(dashboard, facets_count_the_filtered_records_only)
{
	json_t *doc = get_json("/outcomes?source=river-report&facet=status,"
	    "source&limit=1", 200);

	cr_assert_str_eq(facet(doc, "status"),
	    "agreed=1,proposed=0,under-consideration=0");
	/* joint-patrol, the one outcome in the river report, also has a span
	 * in the harbor talks. */
	cr_assert_str_eq(facet(doc, "source"), "harbor-talks=1,river-report=1");
	json_decref(doc);
}

Test(dashboard, boolean_and_source_facets)
{
	json_t *doc = get_json("/claims?facet=disputed,source", 200);

	cr_assert_str_eq(facet(doc, "disputed"), "false=1,true=1");
	cr_assert_str_eq(facet(doc, "source"), "harbor-talks=2,river-report=1");
	json_decref(doc);
}

Test(dashboard, a_facet_the_list_lacks_or_names_twice_is_refused)
{
	assert_400("/claims?facet=subject", "subject");
	assert_400("/claims?facet=disputed&facet=disputed", "twice");
	assert_400("/claims?limit=1&limit=2", "repeated");
}

/* -------------------------------------------------------- timeline --- */

/* "kind:id:value:start:end" of each timeline item, joined by ' '. */
static char *
timeline(const char *path)
{
	static char buf[2048];
	json_t *doc = get_json(path, 200), *it;
	size_t i, len = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(doc, "items"), i, it)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "%s%s:%s:%s:%s:%s", i > 0 ? " " : "", str(it, "kind"),
		    str(it, "id"), str(it, "value") ? str(it, "value") : "-",
		    str(it, "start") ? str(it, "start") : "-",
		    str(it, "end") ? str(it, "end") : "-");
	json_decref(doc);
	return buf;
}

Test(dashboard, the_timeline_is_in_time_order_with_intervals)
{
	cr_assert_str_eq(timeline("/timeline?undated=false"),
	    "agreement:harbor-pact:-:2021-03-01:2021-03-31 "
	    "outcome:joint-patrol:-:2021-06-01:2021-06-30 "
	    "outcome:next-round:-:2021-07-01:2021-07-31 "
	    "claim:next-round-month:2021-07:2021-07-01:2021-07-31 "
	    "claim:next-round-month:2021-08:2021-08-01:2021-08-31");
}

Test(dashboard, the_undated_come_last)
{
	const char *all = timeline("/timeline");

	cr_assert(strlen(all) > 40);
	cr_assert_str_eq(all + strlen(all) - strlen("outcome:ferry-link:-:-:-"),
	    "outcome:ferry-link:-:-:-", "%s", all);
	assert_400("/timeline?undated=maybe", "undated");
}

Test(dashboard, the_timeline_marks_the_disputed_dates)
{
	json_t *doc = get_json("/timeline?undated=false", 200);
	json_t *items = json_object_get(doc, "items");

	/* joint-patrol: undisputed; next-round: by next-round-month. */
	cr_assert(json_is_false(json_object_get(json_array_get(items, 1),
	    "disputed")));
	cr_assert(json_is_true(json_object_get(json_array_get(items, 2),
	    "disputed")));
	cr_assert_str_eq(ids(json_object_get(json_array_get(items, 2),
	    "disputed_by"), NULL), "next-round-month");
	cr_assert_str_eq(str(json_array_get(items, 2), "precision"), "month");
	json_decref(doc);
}

/* ----------------------------------------------- spans of a source --- */

Test(dashboard, the_spans_of_an_article_are_all_there_in_text_order)
{
	json_t *doc = get_json("/sources/harbor-talks/spans", 200), *it;
	const char *text = str(doc, "text");
	size_t i, metadata = 0, facts = 0, mentions = 0;
	json_int_t last = -1;

	/* 3 metadata fields, 1 agreement, 3 outcome and 2 claim value
	 * quotes, and 3 mentions. */
	cr_assert_eq(json_array_size(json_object_get(doc, "items")), 12);
	json_array_foreach(json_object_get(doc, "items"), i, it) {
		const char *kind = str(it, "kind");
		cr_assert_geq(num(it, "byte_start"), last);
		last = num(it, "byte_start");
		cr_assert(strncmp(text + last, str(it, "exact"),
		    strlen(str(it, "exact"))) == 0);
		metadata += strcmp(kind, "metadata") == 0;
		mentions += strcmp(kind, "participant") == 0;
		facts += strcmp(kind, "agreement") == 0 ||
		    strcmp(kind, "outcome") == 0 || strcmp(kind, "claim") == 0;
	}
	cr_assert_eq(metadata, 3);
	cr_assert_eq(facts, 6);
	cr_assert_eq(mentions, 3);
	json_decref(doc);
}

Test(dashboard, a_span_after_an_astral_character_has_its_three_offsets)
{
	json_t *doc = get_json("/sources/harbor-talks/spans", 200), *it;
	size_t i;
	bool seen = false;

	/* "signed on Tuesday" follows "Sol\u00e9 \U0001F30A": code points
	 * 137-154, bytes 141-158, UTF-16 units 138-155. */
	json_array_foreach(json_object_get(doc, "items"), i, it) {
		if (strcmp(str(it, "exact"), "signed on Tuesday") != 0)
			continue;
		seen = true;
		cr_assert_str_eq(str(it, "kind"), "claim");
		cr_assert_str_eq(str(it, "id"), "signing-day");
		cr_assert_str_eq(str(it, "label"), "Day the pact was signed");
		cr_assert_str_eq(str(it, "value"), "Tuesday");
		cr_assert_eq(num(it, "start"), 137);
		cr_assert_eq(num(it, "end"), 154);
		cr_assert_eq(num(it, "byte_start"), 141);
		cr_assert_eq(num(it, "byte_end"), 158);
		cr_assert_eq(num(it, "utf16_start"), 138);
		cr_assert_eq(num(it, "utf16_end"), 155);
	}
	cr_assert(seen);
	json_decref(doc);
}

Test(dashboard, the_spans_include_regions_and_an_unknown_source_is_404)
{
	json_t *doc = get_json("/sources/river-report/spans", 200), *it;
	size_t i, regions = 0;

	/* The headline, the agreement, an outcome, a claim value, three
	 * mentions and the caption. */
	cr_assert_eq(json_array_size(json_object_get(doc, "items")), 8);
	json_array_foreach(json_object_get(doc, "items"), i, it)
		if (strcmp(str(it, "kind"), "region") == 0) {
			regions++;
			cr_assert_str_eq(str(it, "region"), "caption");
			cr_assert_str_eq(str(it, "exact"),
			    "Photo: a boat on the river.");
		}
	cr_assert_eq(regions, 1);
	json_decref(doc);
	json_decref(get_json("/sources/no-such-source/spans", 404));
}

Test(dashboard, annotations_of_one_source_are_a_collection_of_their_own)
{
	json_t *doc = get_json("/annotations?source=river-report&limit=5", 200);
	json_t *next, *items = json_object_get(doc, "items"), *a;
	char base[64], want[160];
	size_t i;

	/* Every IRI is absolute (W3C): this daemon's origin first. */
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", server.port);
	/* The river report's spans but its caption (regions are not
	 * annotations): 7. */
	cr_assert_eq(num(json_object_get(doc, "partOf"), "total"), 7);
	snprintf(want, sizeof(want), "%s/annotations?source=river-report",
	    base);
	cr_assert_str_eq(str(json_object_get(doc, "partOf"), "id"), want);
	snprintf(want, sizeof(want), "%s/annotations?source=river-report#1",
	    base);
	cr_assert_str_eq(str(json_array_get(items, 0), "id"), want);
	snprintf(want, sizeof(want), "%s/sources/river-report/text", base);
	json_array_foreach(items, i, a)
		cr_assert_str_eq(str(json_object_get(a, "target"), "source"),
		    want);
	next = get_json(str(doc, "next"), 200);
	cr_assert_eq(num(next, "startIndex"), 5);
	cr_assert_eq(json_array_size(json_object_get(next, "items")), 2);
	/* The last page has no next (the W3C model's next is an IRI). */
	cr_assert_null(json_object_get(next, "next"));
	json_decref(next);
	json_decref(doc);
	assert_400("/annotations?source=Not_An_Id", "source");
}

Test(dashboard, a_search_hit_has_its_record_label)
{
	json_t *doc = get_json("/search?q=ferry", 200), *hit;
	size_t i, n = 0;

	/* "ferry" is in the harbor talks and in the ferry-link outcome. */
	json_array_foreach(json_object_get(doc, "items"), i, hit) {
		if (strcmp(str(hit, "id"), "ferry-link") == 0) {
			cr_assert_str_eq(str(hit, "label"),
			    "A ferry link is under consideration.");
			n++;
		}
		if (strcmp(str(hit, "id"), "harbor-talks") == 0) {
			cr_assert_str_eq(str(hit, "label"),
			    "Harbor talks end in accord");
			n++;
		}
	}
	cr_assert_eq(n, 2);
	json_decref(doc);
}
