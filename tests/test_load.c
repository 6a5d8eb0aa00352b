/* load: every failure names its file, record and reason, and writes nothing. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "record.h"
#include "load.h"
#include "digest.h"
#include "support.h"

static const char article[] =
    "Guo Shengkun met Jeh Johnson in Washington.\n\n"
    "Guo said the talks were \xE2\x80\x9C" "candid\xE2\x80\x9D. Guo left.";

static const char participants[] =
    "{ \"id\": \"guo-shengkun\", \"name\": \"Guo Shengkun\","
    " \"kind\": \"person\", \"title\": null, \"affiliation\": null,"
    " \"country\": \"CN\", \"role\": \"delegate\", \"aliases\": [\"Guo\"] }";

static const char agreement[] =
    "{ \"id\": \"deal-1\", \"title\": \"A deal\", \"date\": \"2015-12\","
    " \"status\": \"agreed\", \"summary\": \"They met.\","
    " \"parties\": [\"guo-shengkun\"],"
    " \"evidence\": [{ \"source\": \"art\", \"quote\": \"met Jeh Johnson\" }] }";

struct fixture {
	char *dir;
	char db[512];
	char err[1024];
};

static void
write_file(const struct fixture *f, const char *name, const char *text,
    size_t len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	spit(path, text, len);
}

/* Writes the article (given bytes), sources.json with its true sha256
 * unless `sources` is given, and annotations/facts.json. */
static void
fixture_with(struct fixture *f, const char *text, size_t len,
    const char *sources, const char *facts)
{
	char sha[65], path[1024], doc[4096];

	f->dir = temp_dir();
	snprintf(path, sizeof(path), "%s/corpus", f->dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/annotations", f->dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(f->db, sizeof(f->db), "%s/out.db", f->dir);
	write_file(f, "corpus/a.txt", text, len);
	digest_sha256_hex(text, len, sha);
	if (sources == NULL) {
		snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"art\","
		    " \"file\": \"corpus/a.txt\", \"sha256\": \"%s\","
		    " \"headline\": null}]}", sha);
		sources = doc;
	}
	write_file(f, "sources.json", sources, strlen(sources));
	write_file(f, "annotations/facts.json", facts, strlen(facts));
}

static void
fixture(struct fixture *f, const char *facts)
{
	fixture_with(f, article, sizeof(article) - 1, NULL, facts);
}

static char *
facts_doc(const char *participant_list, const char *agreement_list)
{
	char *doc;

	cr_assert(asprintf(&doc, "{\n  \"participants\": [%s],\n"
	    "  \"agreements\": [%s]\n}\n", participant_list,
	    agreement_list) > 0);
	return doc;
}

static void
fixture_cleanup(struct fixture *f)
{
	run("rm -rf '%s'", f->dir);
	free(f->dir);
}

/* Loads and requires failure whose message contains every fragment. */
static void
assert_load_fails(struct fixture *f, const char *fragment, ...)
{
	va_list ap;

	cr_assert_eq(load_run(f->dir, f->db, f->err, sizeof(f->err)), -1,
	    "the load should have failed");
	va_start(ap, fragment);
	for (const char *s = fragment; s != NULL; s = va_arg(ap, const char *))
		cr_expect(strstr(f->err, s) != NULL, "message \"%s\" lacks "
		    "\"%s\"", f->err, s);
	va_end(ap);
	cr_expect_neq(access(f->db, F_OK), 0, "a failed load wrote %s", f->db);
}

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;

	cr_assert_not_null(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.' || strstr(e->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

Test(load, a_valid_directory_loads_into_an_accord_database)
{
	struct fixture f;
	char *facts = facts_doc(participants, agreement);
	struct db *db;
	json_t *deal;

	fixture(&f, facts);
	cr_assert_eq(load_run(f.dir, f.db, f.err, sizeof(f.err)), 0, "%s",
	    f.err);
	cr_assert_eq(db_open(f.db, &db, f.err, sizeof(f.err)), 0, "%s", f.err);
	cr_assert_eq(record_get(db, DB_AGREEMENTS, "deal-1", &deal), DB_OK);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(deal, "evidence"), 0), "exact")), "met Jeh Johnson");
	json_decref(deal);
	db_close(db);
	cr_assert_eq(count_entries(f.dir), 4, "only corpus, annotations, "
	    "sources.json and out.db remain: no temporary file");
	fixture_cleanup(&f);
	free(facts);
}

Test(load, mentions_prefer_the_longest_name_and_count_every_alias)
{
	struct fixture f;
	char *facts = facts_doc(participants, agreement);
	struct db *db;
	json_t *guo, *mentions;

	fixture(&f, facts);
	cr_assert_eq(load_run(f.dir, f.db, f.err, sizeof(f.err)), 0, "%s",
	    f.err);
	cr_assert_eq(db_open(f.db, &db, f.err, sizeof(f.err)), 0);
	cr_assert_eq(record_get(db, DB_PARTICIPANTS, "guo-shengkun", &guo), DB_OK);
	mentions = json_object_get(guo, "mentions");
	cr_assert_eq(json_array_size(mentions), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    mentions, 0), "exact")), "Guo Shengkun");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    mentions, 1), "exact")), "Guo");
	json_decref(guo);
	db_close(db);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_missing_sources_json_fails)
{
	struct fixture f;
	char path[1024];

	fixture(&f, "{}");
	snprintf(path, sizeof(path), "%s/sources.json", f.dir);
	unlink(path);
	assert_load_fails(&f, "sources.json", "No such file", NULL);
	fixture_cleanup(&f);
}

Test(load, invalid_json_fails_with_line_and_column)
{
	struct fixture f;

	fixture(&f, "{\n  \"participants\": [\n    { \"id\": ]\n}\n");
	assert_load_fails(&f, "facts.json:3:", "invalid JSON", NULL);
	fixture_cleanup(&f);
}

Test(load, invalid_utf8_in_an_annotation_file_fails)
{
	struct fixture f;

	fixture(&f, "{\n  \"participants\": [\"\xC0\xAF\"]\n}\n");
	assert_load_fails(&f, "facts.json:2:", "invalid UTF-8", NULL);
	fixture_cleanup(&f);
}

Test(load, invalid_utf8_in_an_article_fails_with_its_position)
{
	struct fixture f;
	static const char bad[] = "line one\nline \xED\xA0\x80 two";
	char *facts = facts_doc("", "");

	fixture_with(&f, bad, sizeof(bad) - 1, NULL, facts);
	assert_load_fails(&f, "a.txt:2:6", "invalid UTF-8", "art", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_nul_byte_in_an_article_fails)
{
	struct fixture f;
	static const char bad[] = "before\0after";
	char *facts = facts_doc("", "");

	fixture_with(&f, bad, sizeof(bad) - 1, NULL, facts);
	assert_load_fails(&f, "NUL byte at line 1, column 7", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_wrong_sha256_fails)
{
	struct fixture f;
	char *facts = facts_doc("", "");

	fixture_with(&f, article, sizeof(article) - 1, "{\"sources\": [{\"id\":"
	    " \"art\", \"file\": \"corpus/a.txt\", \"sha256\": \"0000000000000"
	    "000000000000000000000000000000000000000000000000000\"}]}", facts);
	assert_load_fails(&f, "sources.json", "art", "sha256 is", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_oversized_article_fails)
{
	struct fixture f;
	char path[1024];
	char *facts = facts_doc("", "");
	FILE *fp;

	fixture(&f, facts);
	snprintf(path, sizeof(path), "%s/corpus/a.txt", f.dir);
	fp = fopen(path, "r+");
	cr_assert_eq(ftruncate(fileno(fp), (off_t)LOAD_MAX_FILE_BYTES + 1), 0);
	fclose(fp);
	assert_load_fails(&f, "exceeds the limit", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_file_outside_the_data_directory_is_refused)
{
	struct fixture f;
	char *facts = facts_doc("", "");

	fixture_with(&f, article, sizeof(article) - 1, "{\"sources\": [{\"id\":"
	    " \"art\", \"file\": \"../etc/passwd\", \"sha256\": \"00\"}]}",
	    facts);
	assert_load_fails(&f, "inside the data directory", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_duplicate_json_key_fails)
{
	struct fixture f;

	fixture(&f, "{\"participants\": [], \"participants\": []}");
	assert_load_fails(&f, "facts.json:1:", "duplicate", NULL);
	fixture_cleanup(&f);
}

Test(load, a_duplicate_participant_id_fails)
{
	struct fixture f;
	char *list, *facts;

	cr_assert(asprintf(&list, "%s, %s", participants, participants) > 0);
	facts = facts_doc(list, "");
	fixture(&f, facts);
	assert_load_fails(&f, "facts.json", "guo-shengkun", "duplicate", NULL);
	fixture_cleanup(&f);
	free(facts);
	free(list);
}

Test(load, an_unknown_key_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"qoute\": \"met\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "unknown key \"qoute\"", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_quote_not_found_fails_naming_file_fact_and_reason)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"met Loretta Lynch\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "facts.json:3:", "deal-1", "quote not found",
	    "met Loretta Lynch", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_ambiguous_quote_fails_with_the_count)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"Guo\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "ambiguous", "(3 matches)", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_occurrence_beyond_the_matches_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"Guo\", \"occurrence\": 4 }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "occurrence exceeds", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_quote_with_outer_whitespace_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"met \" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "whitespace", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_citation_of_an_unknown_source_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"nope\","
	    " \"quote\": \"met\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "no such source \"nope\"", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_unknown_party_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"parties\": [\"nobody\"], \"evidence\":"
	    " [{ \"source\": \"art\", \"quote\": \"met\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "unknown participant \"nobody\"", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_fact_without_evidence_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "non-empty array", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_participant_never_mentioned_fails)
{
	struct fixture f;
	char *facts = facts_doc("{ \"id\": \"nobody\", \"name\": \"Nobody At"
	    " All\", \"kind\": \"person\", \"role\": \"mentioned\" }", "");

	fixture(&f, facts);
	assert_load_fails(&f, "nobody", "neither the name nor an alias", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_invalid_date_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"date\": \"2015-02-30\", \"summary\": \"s\", \"evidence\":"
	    " [{ \"source\": \"art\", \"quote\": \"met\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "not ISO 8601", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_unknown_enum_value_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"signed\","
	    " \"summary\": \"s\", \"evidence\":"
	    " [{ \"source\": \"art\", \"quote\": \"met\" }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "unknown value \"signed\"", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, an_ill_formed_id_fails)
{
	struct fixture f;
	char *facts = facts_doc("{ \"id\": \"Guo_Shengkun\", \"name\": \"Guo\","
	    " \"kind\": \"person\", \"role\": \"delegate\" }", "");

	fixture(&f, facts);
	assert_load_fails(&f, "invalid id \"Guo_Shengkun\"", NULL);
	fixture_cleanup(&f);
	free(facts);
}

Test(load, a_failed_load_leaves_the_existing_database_byte_identical)
{
	struct fixture f;
	char *good = facts_doc(participants, agreement);
	char *bad = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"not in the article\" }] }");
	char *before, *after;
	size_t before_len, after_len;

	fixture(&f, good);
	cr_assert_eq(load_run(f.dir, f.db, f.err, sizeof(f.err)), 0, "%s",
	    f.err);
	before = slurp(f.db, &before_len);
	write_file(&f, "annotations/facts.json", bad, strlen(bad));
	cr_assert_eq(load_run(f.dir, f.db, f.err, sizeof(f.err)), -1);
	after = slurp(f.db, &after_len);
	cr_assert_eq(after_len, before_len);
	cr_assert_eq(memcmp(before, after, before_len), 0);
	cr_assert_eq(count_entries(f.dir), 4, "no temporary file is left");
	free(before);
	free(after);
	fixture_cleanup(&f);
	free(good);
	free(bad);
}

Test(load, the_command_exits_nonzero_with_the_reason_on_stderr)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"absent words\" }] }");
	char log[1024], *text;

	fixture(&f, facts);
	snprintf(log, sizeof(log), "%s/stderr", f.dir);
	cr_assert_eq(run("'%s' load --data '%s' --db '%s' 2>'%s'",
	    env_or_die("ACCORD_BIN"), f.dir, f.db, log), 1);
	text = slurp(log, NULL);
	cr_expect(strstr(text, "deal-1") != NULL &&
	    strstr(text, "quote not found") != NULL, "stderr: %s", text);
	cr_expect_neq(access(f.db, F_OK), 0);
	free(text);
	fixture_cleanup(&f);
	free(facts);
}

/* sources.json for the fixture article with the given regions. */
static char *
sources_with_regions(const char *regions)
{
	char sha[65], *doc;

	digest_sha256_hex(article, sizeof(article) - 1, sha);
	cr_assert(asprintf(&doc, "{\"sources\": [{\"id\": \"art\", \"file\":"
	    " \"corpus/a.txt\", \"sha256\": \"%s\", \"regions\": [%s]}]}", sha,
	    regions) > 0);
	return doc;
}

Test(load, evidence_inside_a_related_link_region_fails)
{
	struct fixture f;
	char *sources = sources_with_regions("{\"kind\": \"related-link\","
	    " \"quote\": \"Guo said the talks were\"}");
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"the talks\" }] }");

	fixture_with(&f, article, sizeof(article) - 1, sources, facts);
	assert_load_fails(&f, "deal-1", "related-link region", NULL);
	fixture_cleanup(&f);
	free(sources);
	free(facts);
}

Test(load, evidence_inside_a_caption_is_allowed)
{
	struct fixture f;
	char *sources = sources_with_regions("{\"kind\": \"caption\","
	    " \"quote\": \"Guo Shengkun met Jeh Johnson in Washington.\"}");
	char *facts = facts_doc(participants, agreement);

	fixture_with(&f, article, sizeof(article) - 1, sources, facts);
	cr_assert_eq(load_run(f.dir, f.db, f.err, sizeof(f.err)), 0, "%s",
	    f.err);
	fixture_cleanup(&f);
	free(sources);
	free(facts);
}

Test(load, an_unknown_region_kind_fails)
{
	struct fixture f;
	char *sources = sources_with_regions("{\"kind\": \"banner\","
	    " \"quote\": \"Guo left.\"}");
	char *facts = facts_doc(participants, agreement);

	fixture_with(&f, article, sizeof(article) - 1, sources, facts);
	assert_load_fails(&f, "sources.json", "art", "unknown value \"banner\"",
	    NULL);
	fixture_cleanup(&f);
	free(sources);
	free(facts);
}

/* Evidence may not cite boilerplate at all: a quote that only overlaps a
 * related-link region, at either of its edges, fails as one inside it. */
Test(load, evidence_overlapping_the_edge_of_a_region_fails)
{
	static const char *const quotes[] = {
		"Washington. Guo said",		/* over the region's start */
		"talks were \xE2\x80\x9C" "candid",	/* over its end */
	};

	for (size_t i = 0; i < 2; i++) {
		struct fixture f;
		char *sources = sources_with_regions("{\"kind\":"
		    " \"related-link\", \"quote\": \"Guo said the talks were\"}");
		char evidence[512], *facts;

		snprintf(evidence, sizeof(evidence), "{ \"id\": \"deal-1\","
		    " \"title\": \"t\", \"status\": \"agreed\", \"summary\":"
		    " \"s\", \"evidence\": [{ \"source\": \"art\", \"quote\":"
		    " \"%s\" }] }", quotes[i]);
		facts = facts_doc(participants, evidence);
		fixture_with(&f, article, sizeof(article) - 1, sources, facts);
		assert_load_fails(&f, "deal-1", "related-link region", NULL);
		fixture_cleanup(&f);
		free(sources);
		free(facts);
	}
}

/* The whole digest is compared: one wrong hex digit, the last, fails. */
Test(load, a_sha256_wrong_only_in_its_last_digit_fails)
{
	struct fixture f;
	char *facts = facts_doc("", ""), sha[65], doc[512];

	digest_sha256_hex(article, sizeof(article) - 1, sha);
	sha[63] = sha[63] == '0' ? '1' : '0';
	snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"art\", \"file\":"
	    " \"corpus/a.txt\", \"sha256\": \"%s\"}]}", sha);
	fixture_with(&f, article, sizeof(article) - 1, doc, facts);
	assert_load_fails(&f, "sources.json", "art", "sha256 is", NULL);
	fixture_cleanup(&f);
	free(facts);
}

/* Occurrences count from 1: 0 is refused, not taken as "the only one". */
Test(load, an_occurrence_of_zero_fails)
{
	struct fixture f;
	char *facts = facts_doc(participants,
	    "{ \"id\": \"deal-1\", \"title\": \"t\", \"status\": \"agreed\","
	    " \"summary\": \"s\", \"evidence\": [{ \"source\": \"art\","
	    " \"quote\": \"met Jeh Johnson\", \"occurrence\": 0 }] }");

	fixture(&f, facts);
	assert_load_fails(&f, "deal-1", "occurrence must be an integer from 1",
	    NULL);
	fixture_cleanup(&f);
	free(facts);
}

/* A cross-reference links to another article: an article's own headline,
 * found in its own text, is not one. */
Test(load, a_headline_is_not_a_cross_reference_to_its_own_source)
{
	struct fixture f;
	char *facts = facts_doc(participants, agreement), sha[65], doc[512];
	struct db *db;
	json_t *src, *region;
	size_t i;

	digest_sha256_hex(article, sizeof(article) - 1, sha);
	snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"art\", \"file\":"
	    " \"corpus/a.txt\", \"sha256\": \"%s\", \"headline\": {\"value\":"
	    " \"Guo Shengkun met Jeh Johnson in Washington.\"}}]}", sha);
	fixture_with(&f, article, sizeof(article) - 1, doc, facts);
	cr_assert_eq(load_run(f.dir, f.db, f.err, sizeof(f.err)), 0, "%s",
	    f.err);
	cr_assert_eq(db_open(f.db, &db, f.err, sizeof(f.err)), 0, "%s", f.err);
	cr_assert_eq(record_get(db, DB_SOURCES, "art", &src), DB_OK);
	json_array_foreach(json_object_get(src, "regions"), i, region)
		cr_assert_str_neq(json_string_value(json_object_get(region,
		    "kind")), "cross-reference", "region %zu links the source "
		    "to itself", i);
	json_decref(src);
	db_close(db);
	fixture_cleanup(&f);
	free(facts);
}

/* ".." anywhere in an article's path is refused, not only at its start. */
Test(load, a_path_climbing_out_through_a_subdirectory_is_refused)
{
	struct fixture f;
	char *facts = facts_doc("", "");

	fixture_with(&f, article, sizeof(article) - 1, "{\"sources\": [{\"id\":"
	    " \"art\", \"file\": \"corpus/../../a.txt\", \"sha256\": \"00\"}]}",
	    facts);
	assert_load_fails(&f, "inside the data directory", NULL);
	fixture_cleanup(&f);
	free(facts);
}
