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
