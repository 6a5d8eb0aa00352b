/*
 * Search by article, substring search in scripts written without spaces,
 * and quote selectors that identify one place: on the fixture corpus
 * tests/fixtures/search (its README.md says what each article holds),
 * loaded with `accord load` and served. The expected values are read off
 * the fixture's text by hand.
 */
#include <criterion/criterion.h>

#include <sqlite3.h>

#include "support.h"

static struct daemon srv;
static char *dir, *db;

static void
start(void)
{
	dir = temp_dir();
	cr_assert(asprintf(&db, "%s/search.db", dir) > 0);
	cr_assert_eq(run("'%s' load --data '%s/tests/fixtures/search' --db "
	    "'%s' 2>'%s/load.log'", env_or_die("ACCORD_BIN"), repo_root(), db,
	    dir), 0, "the search fixture does not load (see %s/load.log)",
	    dir);
	daemon_start(&srv, db, NULL);
}

static void
stop(void)
{
	daemon_stop(&srv);
	remove_dir(dir, db);
}

TestSuite(search, .init = start, .fini = stop, .timeout = 60);

/* GET path, which must answer 200 with JSON; returns the document. */
static json_t *
get_json(const char *path)
{
	struct http r;
	json_error_t e;
	json_t *doc;

	http_get(&srv, path, &r);
	cr_assert_eq(r.status, 200, "%s: %ld %s", path, r.status, r.body);
	doc = json_loadb(r.body, r.len, 0, &e);
	cr_assert_not_null(doc, "%s: %s", path, e.text);
	http_free(&r);
	return doc;
}

/* The article's text as served by /sources/{id}/text (caller frees). */
static char *
article_text(const char *id, size_t *len)
{
	char path[128];
	struct http r;

	snprintf(path, sizeof(path), "/sources/%s/text", id);
	http_get(&srv, path, &r);
	cr_assert_eq(r.status, 200);
	free(r.headers);
	*len = r.len;
	return r.body;
}

/* How many times needle[0..n) occurs in hay[0..len), overlaps counted. */
static size_t
occurrences(const char *hay, size_t len, const char *needle, size_t n)
{
	size_t count = 0;

	for (size_t at = 0; at + n <= len; at++)
		count += memcmp(hay + at, needle, n) == 0;
	return count;
}

/* How many times the span's prefix+exact+suffix occurs in its article. */
static size_t
selector_matches(json_t *span, const char *source)
{
	const char *parts[3] = {
		json_string_value(json_object_get(span, "prefix")),
		json_string_value(json_object_get(span, "exact")),
		json_string_value(json_object_get(span, "suffix")),
	};
	char *quote, *text;
	size_t len, n;

	cr_assert(parts[0] && parts[1] && parts[2]);
	cr_assert(asprintf(&quote, "%s%s%s", parts[0], parts[1], parts[2]) > 0);
	text = article_text(source, &len);
	n = occurrences(text, len, quote, strlen(quote));
	free(quote);
	free(text);
	return n;
}

/* ------------------------------------------------------------------------
 * Quote selectors (issue 18, item 3).
 */

/* The second copy of the duplicated caption: 32 code points either side
 * match the first copy too, so the suffix grows to the first character
 * after the caption where the copies differ ("Both" against "The"). */
Test(search, a_quote_in_a_duplicated_caption_gets_a_longer_suffix)
{
	json_t *o = get_json("/outcomes/handshake");
	json_t *span = json_array_get(json_object_get(o, "evidence"), 0);

	cr_assert_str_eq(json_string_value(json_object_get(span, "exact")),
	    "the talks in Washington on Tuesday");
	cr_assert_str_eq(json_string_value(json_object_get(span, "suffix")),
	    ", as pictured for the record by the official news agency.\n\nB");
	cr_assert_str_eq(json_string_value(json_object_get(span, "prefix")),
	    "son shake hands at the start of ");
	cr_assert_eq(selector_matches(span, "common-ground"), 1);
	json_decref(o);
}

/* Where 32 code points already tell a place apart, nothing changes: the
 * mention of Jeh Johnson in the second caption keeps 32 each side. */
Test(search, a_quote_told_apart_by_32_code_points_keeps_them)
{
	json_t *p = get_json("/participants/jeh-johnson");
	json_t *span = json_array_get(json_object_get(p, "mentions"), 1);

	cr_assert_eq(json_integer_value(json_object_get(span, "byte_start")),
	    353);
	cr_assert_str_eq(json_string_value(json_object_get(span, "prefix")),
	    "aud.\n\nCaption: Guo Shengkun and ");
	cr_assert_str_eq(json_string_value(json_object_get(span, "suffix")),
	    " shake hands at the start of the");
	json_decref(p);
}

/* Every TextQuoteSelector of /annotations occurs once in its article. */
Test(search, every_annotation_selector_matches_once)
{
	json_t *page = get_json("/annotations?limit=500");
	json_t *item;
	size_t i, seen = 0;

	json_array_foreach(json_object_get(page, "items"), i, item) {
		json_t *target = json_object_get(item, "target");
		json_t *sels = json_object_get(target, "selector"), *sel;
		const char *src = json_string_value(json_object_get(target,
		    "source"));
		size_t j;

		json_array_foreach(sels, j, sel) {
			if (strcmp(json_string_value(json_object_get(sel,
			    "type")), "TextQuoteSelector") != 0)
				continue;
			char id[64];
			cr_assert_eq(sscanf(strstr(src, "/sources/"),
			    "/sources/%63[^/]", id), 1, "%s", src);
			cr_assert_eq(selector_matches(sel, id), 1,
			    "annotation %zu", i);
			seen++;
		}
	}
	cr_assert_geq(seen, 5, "3 evidence spans and 2 mentions at least");
	json_decref(page);
}

/* `accord check` refuses a database whose stored selector occurs twice
 * (its suffix cut back to 32 code points). */
Test(search, check_refuses_a_selector_that_occurs_twice)
{
	char *copy, *msg = NULL;
	sqlite3 *conn;

	cr_assert(asprintf(&copy, "%s/twice.db", dir) > 0);
	cr_assert_eq(run("cp '%s' '%s'", db, copy), 0);
	cr_assert_eq(sqlite3_open(copy, &conn), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn, "DROP TRIGGER span_immutable;"
	    " UPDATE span SET suffix = substr(suffix, 1, 32) WHERE exact ="
	    " 'the talks in Washington on Tuesday'", NULL, NULL, &msg),
	    SQLITE_OK, "%s", msg);
	cr_assert_eq(sqlite3_changes(conn), 1);
	sqlite3_close(conn);
	cr_assert_neq(run("'%s' check --db '%s' 2>'%s/check.log'",
	    env_or_die("ACCORD_BIN"), copy, dir), 0);
	cr_assert(run("grep -q 'occurs twice' '%s/check.log'", dir) == 0);
	free(copy);
}

/* ------------------------------------------------------------------------
 * Search by article (issue 18, item 1).
 */

/* The ids of the hits of path, in order, as "kind:id,kind:id". */
static char *
hit_ids(const char *path)
{
	json_t *doc = get_json(path), *hit;
	char *ids = calloc(1, 1);
	size_t i;

	json_array_foreach(json_object_get(doc, "items"), i, hit) {
		char *more;
		cr_assert(asprintf(&more, "%s%s%s:%s", ids, i > 0 ? "," : "",
		    json_string_value(json_object_get(hit, "kind")),
		    json_string_value(json_object_get(hit, "id"))) > 0);
		free(ids);
		ids = more;
	}
	json_decref(doc);
	return ids;
}

/* "according" (line 3) and "activities" (line 11) of one article: the
 * article matches as a whole although no line holds both. */
Test(search, all_words_match_across_lines_of_one_article)
{
	char *ids = hit_ids("/search?q=according+activities&kind=source");

	cr_assert_str_eq(ids, "source:common-ground");
	free(ids);
}

/* An OR of two words both in an article lists it once. */
Test(search, an_or_lists_an_article_once)
{
	json_t *doc = get_json("/search?q=according+OR+activities"
	    "&kind=source&count=true");
	json_t *items = json_object_get(doc, "items");
	size_t common = 0, i;
	json_t *hit;

	json_array_foreach(items, i, hit)
		common += strcmp(json_string_value(json_object_get(hit, "id")),
		    "common-ground") == 0;
	cr_assert_eq(common, 1);
	cr_assert_eq(json_array_size(items), 2, "common-ground, quiet-week");
	cr_assert_eq(json_integer_value(json_object_get(doc, "count")), 2);
	json_decref(doc);
}

/* The hit lists every matching word, in text order, each span the
 * article's bytes at its offsets; its label is the headline. */
Test(search, an_article_hit_lists_every_match_with_its_offsets)
{
	json_t *doc = get_json("/search?q=according+activities&kind=source");
	json_t *hit = json_array_get(json_object_get(doc, "items"), 0);
	json_t *spans = json_object_get(hit, "spans"), *span;
	const char *want[] = { "according", "activities" };
	size_t want_at[] = { 69, 520 }, len, i;
	char *text = article_text("common-ground", &len);

	cr_assert_str_eq(json_string_value(json_object_get(hit, "label")),
	    "Common ground over cyber disputes");
	cr_assert_eq(json_array_size(spans), 2);
	json_array_foreach(spans, i, span) {
		size_t bs = (size_t)json_integer_value(json_object_get(span,
		    "byte_start"));
		cr_assert_str_eq(json_string_value(json_object_get(span,
		    "exact")), want[i]);
		cr_assert_eq(bs, want_at[i]);
		cr_assert_eq(memcmp(text + bs, want[i], strlen(want[i])), 0);
		cr_assert_eq(json_integer_value(json_object_get(span, "start")),
		    (json_int_t)bs, "ASCII: code points are bytes");
	}
	free(text);
	json_decref(doc);
}

/* A phrase still has to be a phrase: "according activities" as one is
 * in no article. */
Test(search, a_phrase_must_be_contiguous)
{
	char *ids = hit_ids("/search?q=%22according+activities%22");

	cr_assert_str_eq(ids, "");
	free(ids);
	ids = hit_ids("/search?q=%22talks+in+Washington%22&kind=source");
	cr_assert_str_eq(ids, "source:common-ground");
	free(ids);
}

/* NEAR finds words within the distance, and not beyond it. */
Test(search, near_holds_words_within_its_distance)
{
	char *ids = hit_ids("/search?q=NEAR(deal+officials,+3)&kind=source");

	cr_assert_str_eq(ids, "source:common-ground");
	free(ids);
	ids = hit_ids("/search?q=NEAR(according+activities,+10)&kind=source");
	cr_assert_str_eq(ids, "");
	free(ids);
}

/* The snippet shows whole words from at most 40 code points before the
 * first match (here "ncy.\n\n" is cut: the snippet starts at "Both"), the
 * matches in « », blank runs as one space. */
Test(search, a_snippet_marks_the_match_in_its_words)
{
	json_t *doc = get_json("/search?q=activities&kind=source");
	json_t *hit = json_array_get(json_object_get(doc, "items"), 0);

	cr_assert_str_eq(json_string_value(json_object_get(hit, "snippet")),
	    "…Both sides will report suspicious «activities» to a new "
	    "hotline.");
	json_decref(doc);
}

/* Pages of one hit follow each other by next, each hit once, and the
 * last page's next is null. */
Test(search, pages_follow_by_next)
{
	json_t *doc = get_json("/search?q=according+OR+activities+OR+"
	    "hotline&limit=1");
	char *seen = calloc(1, 1);
	int pages = 1;

	while (json_is_string(json_object_get(doc, "next"))) {
		json_t *hit = json_array_get(json_object_get(doc, "items"), 0);
		char *more, *next;
		cr_assert(asprintf(&more, "%s%s,", seen, json_string_value(
		    json_object_get(hit, "id"))) > 0);
		free(seen);
		seen = more;
		next = strdup(json_string_value(json_object_get(doc, "next")));
		json_decref(doc);
		doc = get_json(next);
		free(next);
		cr_assert_lt(++pages, 10, "next links do not end");
	}
	cr_assert_eq(pages, 3, "hotline-deal, common-ground, quiet-week");
	cr_assert(strstr(seen, "hotline-deal,") && strstr(seen,
	    "common-ground,"), "%s", seen);
	json_decref(doc);
	free(seen);
}

/* A cursor of another listing is refused. */
Test(search, a_list_cursor_is_refused)
{
	json_t *doc = get_json("/agreements?limit=1");
	struct http r;
	char path[512];

	json_decref(doc);
	/* {"s":"","k":[1]}: a cursor of a list in its curated order. */
	snprintf(path, sizeof(path), "/search?q=hotline&cursor=%s",
	    "eyJzIjoiIiwiayI6WzFdfQ");
	http_get(&srv, path, &r);
	cr_assert_eq(r.status, 400, "%s", r.body);
	http_free(&r);
}

/* ------------------------------------------------------------------------
 * Scripts written without spaces (issue 18, item 2).
 */

/* 東京 inside the run 東京都で会議が開かれた, and in the headline. */
Test(search, a_cjk_word_is_found_inside_a_longer_run)
{
	json_t *doc = get_json("/search?q=%E6%9D%B1%E4%BA%AC&kind=source");
	json_t *hit = json_array_get(json_object_get(doc, "items"), 0);
	json_t *spans = json_object_get(hit, "spans"), *span;
	size_t i;

	cr_assert_str_eq(json_string_value(json_object_get(hit, "id")),
	    "tokyo-meeting");
	cr_assert_eq(json_array_size(spans), 2);
	json_array_foreach(spans, i, span) {
		cr_assert_str_eq(json_string_value(json_object_get(span,
		    "exact")), "東京");
		cr_assert_eq(json_integer_value(json_object_get(span, "end")) -
		    json_integer_value(json_object_get(span, "start")), 2);
		cr_assert_eq(json_integer_value(json_object_get(span,
		    "byte_end")) - json_integer_value(json_object_get(span,
		    "byte_start")), 6);
	}
	/* 東京都で: line 3 starts at byte 20 (東京での協議 is 18 bytes). */
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(spans,
	    1), "byte_start")), 20);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(spans,
	    1), "utf16_start")), 8);
	json_decref(doc);
}

/* 会議 (in the article) finds it, 会談 (not in it) does not: the
 * characters must be adjacent and in order. */
Test(search, cjk_characters_must_be_adjacent_and_in_order)
{
	char *ids = hit_ids("/search?q=%E4%BC%9A%E8%AD%B0&kind=source");

	cr_assert_str_eq(ids, "source:tokyo-meeting");
	free(ids);
	ids = hit_ids("/search?q=%E8%AD%B0%E4%BC%9A&kind=source");
	cr_assert_str_eq(ids, "", "議会 is not in the text");
	free(ids);
}

/* ประชุม (meet) inside a Thai run without spaces. */
Test(search, a_thai_word_is_found_inside_a_run)
{
	json_t *doc = get_json("/search?q=%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8"
	    "%8A%E0%B8%B8%E0%B8%A1");
	json_t *hit = json_array_get(json_object_get(doc, "items"), 0);
	json_t *span = json_array_get(json_object_get(hit, "spans"), 0);

	cr_assert_str_eq(json_string_value(json_object_get(hit, "id")),
	    "tokyo-meeting");
	cr_assert_str_eq(json_string_value(json_object_get(span, "exact")),
	    "ประชุม");
	json_decref(doc);
}

/* An article repeating one sentence 1000 times, naming a participant in
 * each: no quote selector of the first mention can occur once, and the
 * load fails saying so, instead of storing a selector matching 1000
 * places. */
Test(search, a_load_refuses_a_mention_no_selector_tells_apart)
{
	char path[1024], sha[65], doc[512];
	static const char sentence[] = "Ada Quill met Bo. ";
	size_t each = sizeof(sentence) - 1, n = 1000;
	char *text = malloc(each * n + 1), *data = temp_dir();

	cr_assert_not_null(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * each, sentence, each);
	snprintf(path, sizeof(path), "%s/corpus", data);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/annotations", data);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/corpus/a.txt", data);
	spit(path, text, each * n);
	digest_sha256_hex(text, each * n, sha);
	snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"rep\", \"file\":"
	    " \"corpus/a.txt\", \"sha256\": \"%s\"}]}", sha);
	snprintf(path, sizeof(path), "%s/sources.json", data);
	spit(path, doc, strlen(doc));
	snprintf(doc, sizeof(doc), "{\"participants\": [{\"id\": \"ada\","
	    " \"name\": \"Ada Quill\", \"kind\": \"person\", \"role\":"
	    " \"delegate\"}]}");
	snprintf(path, sizeof(path), "%s/annotations/a.json", data);
	spit(path, doc, strlen(doc));
	cr_assert_neq(run("'%s' load --data '%s' --db '%s/rep.db' "
	    "2>'%s/load.log'", env_or_die("ACCORD_BIN"), data, data, data), 0);
	cr_assert_eq(run("grep -q 'repeats itself' '%s/load.log'", data), 0);
	free(text);
	run("rm -rf '%s'", data);
	free(data);
}
