/*
 * db, the store: lists, filters, keyset pages and cursors, and the checks
 * that refuse a bad file; on a small corpus loaded here whose every
 * answer is known by reading it (ordinals follow the annotation file).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "lists.h"
#include "query.h"
#include "record.h"
#include "digest.h"
#include "load.h"
#include "support.h"

/* U+10000 first: every offset after it differs by one between code
 * points and UTF-16 units. */
static const char article[] =
    "\xF0\x90\x80\x80 The ministers met in Washington on 1 December 2015."
    " They agreed to hold a tabletop exercise in the spring of 2016, to"
    " set up a hotline by June 2016 and to meet again early in 2016.\n"
    "Guo Shengkun and Jeh Johnson led the talks. Guo spoke first.\n";

static const char facts[] =
    "{\"participants\": ["
    "{\"id\": \"guo\", \"name\": \"Guo Shengkun\", \"kind\": \"person\","
    " \"role\": \"delegate\", \"aliases\": [\"Guo\"]},"
    "{\"id\": \"johnson\", \"name\": \"Jeh Johnson\", \"kind\": \"person\","
    " \"role\": \"delegate\"}],"
    " \"agreements\": ["
    "{\"id\": \"dec-first\", \"title\": \"Met\", \"date\": \"2015-12-01\","
    " \"status\": \"agreed\", \"summary\": \"s\", \"evidence\": [{\"source\":"
    " \"art\", \"quote\": \"The ministers met in Washington\"}]},"
    "{\"id\": \"in-2016\", \"title\": \"Again\", \"date\": \"2016\","
    " \"status\": \"proposed\", \"summary\": \"s\", \"evidence\": [{\"source\":"
    " \"art\", \"quote\": \"to meet again early in 2016\"}]},"
    "{\"id\": \"dec\", \"title\": \"Agreed\", \"date\": \"2015-12\","
    " \"status\": \"agreed\", \"summary\": \"s\", \"evidence\": [{\"source\":"
    " \"art\", \"quote\": \"They agreed to hold\"}]}],"
    " \"outcomes\": ["
    "{\"id\": \"exercise\", \"kind\": \"exercise\", \"status\": \"agreed\","
    " \"timeframe\": \"2016-03/2016-05\", \"timeframe_precision\": \"season\","
    " \"timeframe_stated\": \"in the spring of 2016\","
    " \"timeframe_rule\": \"as-stated\","
    " \"summary\": \"s\", \"evidence\": [{\"source\": \"art\", \"quote\":"
    " \"a tabletop exercise in the spring of 2016\"}]},"
    "{\"id\": \"hotline\", \"kind\": \"mechanism\", \"status\": \"agreed\","
    " \"timeframe\": \"2016-06\", \"timeframe_precision\": \"month\","
    " \"timeframe_stated\": \"by June 2016\", \"timeframe_rule\": \"as-stated\","
    " \"summary\": \"s\", \"evidence\": [{\"source\": \"art\", \"quote\":"
    " \"set up a hotline by June 2016\"}]},"
    "{\"id\": \"meeting\", \"kind\": \"event\", \"status\": \"proposed\","
    " \"timeframe\": \"2016-01/2016-02\", \"timeframe_precision\": \"month\","
    " \"timeframe_stated\": \"early in 2016\", \"timeframe_rule\": \"as-stated\","
    " \"summary\": \"s\", \"evidence\": [{\"source\": \"art\", \"quote\":"
    " \"meet again early in 2016\"}]}]}";

static char *dir;
static char path[1024];
static struct db *db;

/* Writes the corpus, loads it into dir/fixture.db and opens it. */
static void
setup(void)
{
	char file[1100], sha[65], doc[512], err[1024];

	dir = temp_dir();
	snprintf(file, sizeof(file), "%s/corpus", dir);
	cr_assert_eq(mkdir(file, 0755), 0);
	snprintf(file, sizeof(file), "%s/annotations", dir);
	cr_assert_eq(mkdir(file, 0755), 0);
	snprintf(file, sizeof(file), "%s/corpus/a.txt", dir);
	spit(file, article, sizeof(article) - 1);
	digest_sha256_hex(article, sizeof(article) - 1, sha);
	snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"art\", \"file\":"
	    " \"corpus/a.txt\", \"sha256\": \"%s\"}]}", sha);
	snprintf(file, sizeof(file), "%s/sources.json", dir);
	spit(file, doc, strlen(doc));
	snprintf(file, sizeof(file), "%s/annotations/facts.json", dir);
	spit(file, facts, sizeof(facts) - 1);
	snprintf(path, sizeof(path), "%s/fixture.db", dir);
	cr_assert_eq(load_run(dir, path, err, sizeof(err)), 0, "load: %s", err);
	cr_assert_eq(db_open(path, &db, err, sizeof(err)), 0, "%s", err);
}

static void
teardown(void)
{
	db_close(db);
	run("rm -rf '%s'", dir);
	free(dir);
}

TestSuite(db, .init = setup, .fini = teardown);

/* The ids of one page of kind under q, in order, as "a,b,c"; the page's
 * next keys, if any, in *next (a new reference). */
static char *
page_ids(enum db_kind kind, const struct query *q, json_t **next)
{
	struct query_page page;
	json_t *items, *item;
	char *ids = calloc(1, 1);
	size_t i;

	cr_assert_eq(query_list(db, kind, q, &page), DB_OK);
	items = json_loadb(page.items, page.items_len, 0, NULL);
	cr_assert_not_null(items);
	json_array_foreach(items, i, item) {
		char *more;
		cr_assert(asprintf(&more, "%s%s%s", ids, i > 0 ? "," : "",
		    json_string_value(json_object_get(item, "id"))) > 0);
		free(ids);
		ids = more;
	}
	json_decref(items);
	free(page.items);
	if (next != NULL)
		*next = page.next_after;
	else
		json_decref(page.next_after);
	return ids;
}

/* Sets the filter `name` of the list of kind to value in q. */
static void
filter(struct query *q, enum db_kind kind, const char *name,
    const char *value)
{
	const struct list_param *rows = lists[kind].params;
	size_t i = 0;

	while (rows[i].name != NULL && strcmp(rows[i].name, name) != 0)
		i++;
	cr_assert_not_null(rows[i].where, "no filter %s", name);
	q->values[i] = value;
}

static void
assert_ids(enum db_kind kind, const struct query *q, const char *want)
{
	char *ids = page_ids(kind, q, NULL);

	cr_assert_str_eq(ids, want);
	free(ids);
}

/* A bound is compared at its own precision: agreements dated 2015-12-01
 * and 2015-12 are both on or before December 2015. */
Test(db, date_to_compares_at_the_bounds_precision)
{
	struct query q = { .limit = 50 };

	filter(&q, DB_AGREEMENTS, "date_to", "2015-12");
	assert_ids(DB_AGREEMENTS, &q, "dec-first,dec");
}

/* An interval overlaps a range from date_from when it ends on or after
 * it, wherever it starts: spring 2016 (2016-03/2016-05) overlaps April. */
Test(db, date_from_keeps_an_interval_that_ends_after_it)
{
	struct query q = { .limit = 50 };

	filter(&q, DB_OUTCOMES, "date_from", "2016-04");
	assert_ids(DB_OUTCOMES, &q, "exercise,hotline");
}

/* A date stands for its whole period: 2016, the year, overlaps a range
 * from June 2016; 2015-12-01 and 2015-12 end before it. */
Test(db, date_from_keeps_a_coarser_date_that_overlaps_it)
{
	struct query q = { .limit = 50 };

	filter(&q, DB_AGREEMENTS, "date_from", "2016-06");
	assert_ids(DB_AGREEMENTS, &q, "in-2016");
}

/* Pages of one record under a descending sort, each from the cursor of
 * the one before, list the records in that order and stop at the end. */
Test(db, pages_of_a_descending_sort_join_up_to_the_list)
{
	struct query q = { .limit = 1, .nsort = 1, .sort = { {
	    lists_sort_field(&lists[DB_AGREEMENTS], "date"), true } } };
	const char *want[] = { "in-2016", "dec-first", "dec" };
	json_t *next = NULL;

	for (size_t i = 0; i < 3; i++) {
		char *ids;
		q.after = next;
		ids = page_ids(DB_AGREEMENTS, &q, &next);
		cr_assert_str_eq(ids, want[i], "page %zu", i + 1);
		free(ids);
		json_decref((json_t *)q.after);
		cr_assert((next != NULL) == (i < 2), "page %zu's next", i + 1);
	}
}

/* A page holding fewer records than the list has a next; one holding the
 * last record has none. */
Test(db, a_page_short_of_the_list_has_a_next)
{
	struct query q = { .limit = 2 };
	json_t *next;

	free(page_ids(DB_AGREEMENTS, &q, &next));
	cr_assert_not_null(next, "2 of 3 agreements: a next page");
	json_decref(next);
	q.limit = 3;
	free(page_ids(DB_AGREEMENTS, &q, &next));
	cr_assert_null(next, "3 of 3: no next page");
}

/* A cursor's keys must name a record of the listing: the curated
 * position 99 names none. */
Test(db, a_cursor_naming_no_record_is_refused)
{
	struct query q = { .limit = 50 };
	struct query_page page;
	json_t *keys = json_pack("[i]", 99);

	q.after = keys;
	cr_assert_eq(query_list(db, DB_AGREEMENTS, &q, &page), DB_BAD_QUERY);
	json_decref(keys);
	keys = json_pack("[i]", 0);	/* dec-first's position */
	q.after = keys;
	assert_ids(DB_AGREEMENTS, &q, "in-2016,dec");
	json_decref(keys);
}

/* ?mentions=N: at most N mentions per participant, and the count of all. */
Test(db, mentions_are_capped_when_asked)
{
	struct query q = { .limit = 50, .cap_mentions = true,
	    .mentions = 1 };
	struct query_page page;
	json_t *items, *guo;

	cr_assert_eq(query_list(db, DB_PARTICIPANTS, &q, &page), DB_OK);
	items = json_loadb(page.items, page.items_len, 0, NULL);
	guo = json_array_get(items, 0);
	cr_assert_str_eq(json_string_value(json_object_get(guo, "id")), "guo");
	cr_assert_eq(json_array_size(json_object_get(guo, "mentions")), 1);
	cr_assert_eq(json_integer_value(json_object_get(guo,
	    "mention_count")), 2, "Guo Shengkun, then Guo");
	json_decref(items);
	free(page.items);
}

/* Spans measured past an astral character verify: its four bytes are
 * one code point and two UTF-16 units. */
Test(db, spans_after_an_astral_character_verify)
{
	char err[512];
	json_t *deal, *span;

	cr_assert_eq(db_verify_spans(db, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(record_get(db, DB_AGREEMENTS, "dec-first", &deal), DB_OK);
	span = json_array_get(json_object_get(deal, "evidence"), 0);
	cr_assert_eq(json_integer_value(json_object_get(span, "byte_start")), 5);
	cr_assert_eq(json_integer_value(json_object_get(span, "start")), 2);
	cr_assert_eq(json_integer_value(json_object_get(span, "utf16_start")),
	    3);
	json_decref(deal);
}

/* Copies the fixture to dir/name, runs sql on the copy (read-write, the
 * triggers that keep spans immutable dropped first) and returns its path
 * (caller frees). */
static char *
tampered(const char *name, const char *sql)
{
	char *copy, *msg = NULL;
	sqlite3 *conn;

	cr_assert(asprintf(&copy, "%s/%s", dir, name) > 0);
	cr_assert_eq(run("cp '%s' '%s'", path, copy), 0);
	cr_assert_eq(sqlite3_open(copy, &conn), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn, "DROP TRIGGER span_immutable", NULL,
	    NULL, &msg), SQLITE_OK, "%s", msg);
	cr_assert_eq(sqlite3_exec(conn, sql, NULL, NULL, &msg), SQLITE_OK,
	    "%s", msg);
	cr_assert_eq(sqlite3_changes(conn), 1);
	sqlite3_close(conn);
	return copy;
}

/* Every offset of every span is checked: a UTF-16 end one unit off is
 * found. */
Test(db, verify_spans_finds_a_wrong_utf16_end)
{
	char *copy = tampered("utf16.db", "UPDATE span SET utf16_end ="
	    " utf16_end - 1 WHERE id = (SELECT min(id) FROM span)");
	char err[512] = "";
	struct db *bad;

	cr_assert_eq(db_open(copy, &bad, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_verify_spans(bad, err, sizeof(err)), -1);
	cr_assert(strstr(err, "UTF-16") != NULL, "%s", err);
	db_close(bad);
	free(copy);
}

/* A file cut short of the size its header gives (a copy that stopped, a
 * full disk) is refused when opened. */
Test(db, a_file_cut_short_is_refused)
{
	char *copy, err[512] = "";
	struct db *bad = NULL;
	struct stat st;

	cr_assert(asprintf(&copy, "%s/short.db", dir) > 0);
	cr_assert_eq(run("cp '%s' '%s'", path, copy), 0);
	cr_assert_eq(stat(copy, &st), 0);
	cr_assert_eq(truncate(copy, st.st_size - 100), 0);
	cr_assert_eq(db_open(copy, &bad, err, sizeof(err)), -1,
	    "a database missing its last 100 bytes was opened");
	cr_assert(strstr(err, "size") != NULL, "%s", err);
	free(copy);
}

/* A source text that cannot be measured is reported, with its source:
 * the check never fails without saying why. */
Test(db, verify_spans_says_why_a_text_cannot_be_read)
{
	char *copy = tampered("text.db", "UPDATE source SET text ="
	    " CAST(X'FF' || substr(CAST(text AS BLOB), 2) AS TEXT)"
	    " WHERE id = 'art'");
	char err[512] = "unwritten";
	struct db *bad;

	cr_assert_eq(db_open(copy, &bad, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_verify_spans(bad, err, sizeof(err)), -1);
	cr_assert(strstr(err, "source art") != NULL, "%s", err);
	db_close(bad);
	free(copy);
}
