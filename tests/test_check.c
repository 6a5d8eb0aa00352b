/* accord check --data: every error of a data directory, each at its place,
 * with a hint for a quote that is not found; nothing written (issue 19). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "load.h"
#include "support.h"

/* An article with typographic quotes, an emoji with its variation
 * selector, a non-breaking hyphen and an advertisement line. */
static const char article[] =
    "Guo Shengkun met Jeh Johnson in Washington.\n"
    "Guo called the talks \xE2\x80\x9C" "candid\xE2\x80\x9D.\n"
    "Advertisement\n"
    "Dates: \xF0\x9F\x97\x93\xEF\xB8\x8F June, for the anti\xE2\x80\x91"
    "hacking drill.\n";

static const char guo[] =
    "{ \"id\": \"guo-shengkun\", \"name\": \"Guo Shengkun\","
    " \"kind\": \"person\", \"title\": null, \"affiliation\": null,"
    " \"country\": \"CN\", \"role\": \"delegate\", \"aliases\": [\"Guo\"] }";

struct fixture {
	char *dir;
	char err[2048];
	char *report;		/* what load_check reported */
	size_t nerrors;
	int rc;
};

static void
write_file(const struct fixture *f, const char *name, const char *text)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	spit(path, text, strlen(text));
}

/* The article as source "art" (regions: the advertisement line), and
 * annotations/a.json. */
static void
fixture(struct fixture *f, const char *facts)
{
	char sha[65], path[1024], doc[1024];

	*f = (struct fixture){ .dir = temp_dir() };
	snprintf(path, sizeof(path), "%s/corpus", f->dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/annotations", f->dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/tmp", f->dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_eq(setenv("TMPDIR", path, 1), 0);
	snprintf(path, sizeof(path), "%s/corpus/a.txt", f->dir);
	spit(path, article, sizeof(article) - 1);
	digest_sha256_hex(article, sizeof(article) - 1, sha);
	snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"art\",\n"
	    " \"file\": \"corpus/a.txt\", \"sha256\": \"%s\",\n"
	    " \"regions\": [{\"kind\": \"advertisement\", \"quote\": "
	    "\"Advertisement\"}]}]}\n", sha);
	write_file(f, "sources.json", doc);
	write_file(f, "annotations/a.json", facts);
}

/* Runs the check, keeping what it reported. */
static void
check(struct fixture *f)
{
	size_t len;
	FILE *out = open_memstream(&f->report, &len);

	cr_assert_not_null(out);
	f->rc = load_check(f->dir, out, &f->nerrors, f->err, sizeof(f->err));
	fclose(out);
}

static void
fixture_cleanup(struct fixture *f)
{
	run("rm -rf '%s'", f->dir);
	free(f->dir);
	free(f->report);
}

/* An agreement citing `quote` in source art, as annotations/a.json. */
static char *
citing(const char *quote)
{
	char *doc;

	cr_assert(asprintf(&doc, "{\"participants\": [%s],\n"
	    "\"agreements\": [{ \"id\": \"deal\", \"title\": \"A deal\",\n"
	    "  \"date\": null, \"status\": \"agreed\", \"summary\": \"S\",\n"
	    "  \"evidence\": [{ \"source\": \"art\", \"quote\": \"%s\" }] }]}\n",
	    guo, quote) > 0);
	return doc;
}

/* Checks data whose one error is the agreement's, and that error's
 * reason after "path:3:3: deal: evidence[0]: in source art: ". */
static void
assert_one_error(const char *quote, const char *reason)
{
	struct fixture f;
	char *doc = citing(quote), *want;

	fixture(&f, doc);
	check(&f);
	cr_assert(asprintf(&want, "%s/annotations/a.json:2:24: deal: "
	    "evidence[0]: in source art: %s\n", f.dir, reason) > 0);
	cr_expect_eq(f.rc, -1);
	cr_expect_eq(f.nerrors, 1);
	cr_expect_str_eq(f.report, want);
	free(want);
	free(doc);
	fixture_cleanup(&f);
}

Test(check, sound_data_checks_without_an_error_and_leaves_no_file)
{
	struct fixture f;
	char *doc = citing("met Jeh Johnson"), path[1024];
	DIR *d;
	struct dirent *e;
	size_t left = 0;

	fixture(&f, doc);
	check(&f);
	cr_expect_eq(f.rc, 0, "%s", f.err);
	cr_expect_eq(f.nerrors, 0);
	cr_expect_str_eq(f.report, "");
	snprintf(path, sizeof(path), "%s/tmp", f.dir);
	d = opendir(path);
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		left += e->d_name[0] != '.';
	closedir(d);
	cr_expect_eq(left, 0, "the temporary database was not removed");
	free(doc);
	fixture_cleanup(&f);
}

Test(check, every_record_is_tried_and_every_error_reported_in_order)
{
	struct fixture f;
	char *want;

	fixture(&f, "{\"participants\": [\n"
	    "  { \"id\": \"bad-kind\", \"name\": \"Jeh Johnson\", \"kind\": \"robot\","
	    " \"role\": \"delegate\" },\n"
	    "  { \"id\": \"Bad Id\" }],\n"
	    "\"agreements\": [\n"
	    "  { \"id\": \"deal\", \"title\": \"T\", \"status\": \"agreed\","
	    " \"summary\": \"S\", \"evidence\": [\n"
	    "    { \"source\": \"art\", \"quote\": \"met Jeh Johnson\" },\n"
	    "    { \"source\": \"nowhere\", \"quote\": \"Guo\" }] }]}\n");
	write_file(&f, "annotations/b.json", "{\"participants\": [\n");
	check(&f);
	cr_assert(asprintf(&want,
	    "%1$s/annotations/b.json:2:0: invalid JSON: ']' expected near end "
	    "of file\n"
	    "%1$s/annotations/a.json:2:11: bad-kind: \"kind\" has the unknown "
	    "value \"robot\"\n"
	    "%1$s/annotations/a.json: participants[1]: invalid id \"Bad Id\"\n"
	    "%1$s/annotations/a.json:5:11: deal: evidence[1]: no such source "
	    "\"nowhere\"\n", f.dir) > 0);
	cr_expect_eq(f.rc, -1);
	cr_expect_eq(f.nerrors, 4);
	cr_expect_str_eq(f.report, want);
	free(want);
	fixture_cleanup(&f);
}

Test(check, a_duplicate_id_in_one_file_points_at_the_duplicate_then_the_first)
{
	struct fixture f;
	char *want;

	fixture(&f, "{\"participants\": [\n"
	    "  { \"id\": \"guo-shengkun\", \"name\": \"Guo Shengkun\","
	    " \"kind\": \"person\", \"role\": \"delegate\" },\n"
	    "  { \"id\": \"guo-shengkun\", \"name\": \"Guo\","
	    " \"kind\": \"person\", \"role\": \"delegate\" }]}\n");
	check(&f);
	cr_assert(asprintf(&want, "%1$s/annotations/a.json:3:11: guo-shengkun: "
	    "duplicate participant id; the first is at "
	    "%1$s/annotations/a.json:2:11; to add to that record, edit it "
	    "where it is (data/README.md, \"Add an article\", step 6)\n",
	    f.dir) > 0);
	cr_expect_eq(f.nerrors, 1);
	cr_expect_str_eq(f.report, want);
	free(want);
	fixture_cleanup(&f);
}

Test(check, a_duplicate_id_in_another_file_names_both_files)
{
	struct fixture f;
	char *doc = citing("met Jeh Johnson"), *want;

	fixture(&f, doc);
	write_file(&f, "annotations/b.json", "{\"agreements\": [\n"
	    "  { \"id\": \"deal\", \"title\": \"T\", \"status\": \"agreed\","
	    " \"summary\": \"S\", \"evidence\": [\n"
	    "    { \"source\": \"art\", \"quote\": \"met Jeh Johnson\" }] }]}\n");
	check(&f);
	cr_assert(asprintf(&want, "%1$s/annotations/b.json:2:11: deal: "
	    "duplicate agreement id; the first is at "
	    "%1$s/annotations/a.json:2:24; to add to that record, edit it "
	    "where it is (data/README.md, \"Add an article\", step 6)\n",
	    f.dir) > 0);
	cr_expect_eq(f.nerrors, 1);
	cr_expect_str_eq(f.report, want);
	free(want);
	free(doc);
	fixture_cleanup(&f);
}

Test(check, a_duplicate_source_id_names_both_records)
{
	struct fixture f;
	char *doc = citing("met Jeh Johnson"), *want, sha[65], sources[1024];

	fixture(&f, doc);
	digest_sha256_hex(article, sizeof(article) - 1, sha);
	snprintf(sources, sizeof(sources), "{\"sources\": [\n"
	    "  {\"id\": \"art\", \"file\": \"corpus/a.txt\", \"sha256\": \"%1$s\"},\n"
	    "  {\"id\": \"art\", \"file\": \"corpus/a.txt\", \"sha256\": \"%1$s\"}"
	    "]}\n", sha);
	write_file(&f, "sources.json", sources);
	check(&f);
	cr_assert(asprintf(&want, "%1$s/sources.json:3:10: art: duplicate "
	    "source id; the first is at %1$s/sources.json:2:10; give the new "
	    "source another id (data/README.md, \"Add an article\", step 2)"
	    "\n", f.dir) > 0);
	cr_expect_eq(f.nerrors, 1);
	cr_expect_str_eq(f.report, want);
	free(want);
	free(doc);
	fixture_cleanup(&f);
}

Test(check, a_source_that_fails_is_reported_once_not_at_each_citation)
{
	struct fixture f;
	char *doc = citing("met Jeh Johnson"), *want, sources[512], sha[65];

	fixture(&f, doc);
	digest_sha256_hex(article, sizeof(article) - 1, sha);
	snprintf(sources, sizeof(sources), "{\"sources\": [\n"
	    "  {\"id\": \"art\", \"file\": \"corpus/a.txt\", \"sha256\": "
	    "\"%064d\"}]}\n", 0);
	write_file(&f, "sources.json", sources);
	check(&f);
	cr_assert(asprintf(&want, "%1$s/sources.json:2:10: art: "
	    "%1$s/corpus/a.txt: sha256 is %2$s, sources.json says %3$064d\n",
	    f.dir, sha, 0) > 0);
	cr_expect_eq(f.nerrors, 1, "%s", f.report);
	cr_expect_str_eq(f.report, want);
	free(want);
	free(doc);
	fixture_cleanup(&f);
}

Test(check, a_participant_that_fails_is_reported_once_not_at_each_party)
{
	struct fixture f;
	char *want;

	fixture(&f, "{\"participants\": [\n"
	    "  { \"id\": \"guo-shengkun\", \"name\": \"Guo Shengkun\","
	    " \"kind\": \"robot\", \"role\": \"delegate\" }],\n"
	    "\"agreements\": [\n"
	    "  { \"id\": \"deal\", \"title\": \"T\", \"status\": \"agreed\","
	    " \"summary\": \"S\", \"parties\": [\"guo-shengkun\"],"
	    " \"evidence\": [{ \"source\": \"art\", \"quote\": \"met\" }] }]}\n");
	check(&f);
	cr_assert(asprintf(&want, "%s/annotations/a.json:2:11: guo-shengkun: "
	    "\"kind\" has the unknown value \"robot\"\n", f.dir) > 0);
	cr_expect_eq(f.nerrors, 1, "%s", f.report);
	cr_expect_str_eq(f.report, want);
	free(want);
	fixture_cleanup(&f);
}

Test(check, evidence_in_an_advertisement_says_an_advertisement)
{
	assert_one_error("Advertisement", "cites an advertisement region, "
	    "which reports nothing");
}

Test(check, a_straight_quote_for_a_typographic_one_is_named)
{
	assert_one_error("the talks \\\"candid\\\"", "quote not found: "
	    "\"the talks \"candid\"\"; nearest match at line 2, column 12 of "
	    "the article; first difference at column 22: the article has \xE2\x80\x9C (U+201C) where the quote "
	    "has \" (U+0022), the article has \xE2\x80\x9D (U+201D) where the "
	    "quote has \" (U+0022)");
}

Test(check, a_missing_variation_selector_is_named_after_its_emoji)
{
	assert_one_error("Dates: \xF0\x9F\x97\x93 June", "quote not found: "
	    "\"Dates: \xF0\x9F\x97\x93 June\"; nearest match at line 4, "
	    "column 1 of the article; first difference at column 9: the "
	    "article has U+FE0F after \xF0\x9F\x97\x93");
}

Test(check, a_hyphen_for_a_non_breaking_hyphen_is_named)
{
	assert_one_error("the anti-hacking drill", "quote not found: "
	    "\"the anti-hacking drill\"; nearest match at line 4, column 21 "
	    "of the article; first difference at column 29: the article has \xE2\x80\x91 (U+2011) where the quote "
	    "has - (U+002D)");
}

Test(check, a_one_letter_typo_is_named)
{
	assert_one_error("met Jeh Jonson", "quote not found: \"met Jeh "
	    "Jonson\"; nearest match at line 1, column 14 of the article; "
	    "first difference at column 24: the "
	    "article has h (U+0068) after o");
}

Test(check, a_letter_too_many_is_named)
{
	assert_one_error("in Wasshington", "quote not found: \"in "
	    "Wasshington\"; nearest match at line 1, column 30 of the "
	    "article; first difference at column 36: the "
	    "article has no s (U+0073) after s");
}

Test(check, a_claim_values_citation_is_named_by_its_place_in_the_record)
{
	struct fixture f;
	char *doc, *want;

	cr_assert(asprintf(&doc, "{\"participants\": [%s],\n"
	    "\"claims\": [{ \"id\": \"who-met\", \"subject\": \"Who met\",\n"
	    "  \"values\": [{ \"value\": \"Guo Shengkun\", \"evidence\": "
	    "[{ \"source\": \"art\", \"quote\": \"Guo Shengkun met\" }] },\n"
	    "  { \"value\": \"Jeh Johnson\", \"evidence\": [\n"
	    "   { \"source\": \"art\", \"quote\": \"in Washington\" },\n"
	    "   { \"source\": \"art\", \"quote\": \"met Jeh Jonson\" }] }] }]}\n",
	    guo) > 0);
	fixture(&f, doc);
	check(&f);
	cr_assert(asprintf(&want, "%s/annotations/a.json:2:20: who-met: "
	    "values[1].evidence[1]: in source art: quote not found: \"met Jeh "
	    "Jonson\"; nearest match at line 1, column 14 of the article; "
	    "first difference at column 24: the article has h (U+0068) after "
	    "o\n", f.dir) > 0);
	cr_expect_eq(f.nerrors, 1);
	cr_expect_str_eq(f.report, want);
	free(want);
	free(doc);
	fixture_cleanup(&f);
}

Test(check, a_first_difference_on_another_line_names_its_line)
{
	assert_one_error("in Washington. Guo called the talks \\\"candid",
	    "quote not found: \"in Washington. Guo called the talks \"candid\"; "
	    "nearest match at line 1, column 30 of the article; first "
	    "difference at line 2, column 22: the article has \xE2\x80\x9C "
	    "(U+201C) where the quote has \" (U+0022)");
}

Test(check, a_quote_far_from_every_place_has_no_hint)
{
	assert_one_error("a sentence the article never had", "quote not "
	    "found: \"a sentence the article never had\"");
}

Test(check, the_command_lists_each_error_and_exits_1)
{
	struct fixture f;
	char *doc = citing("met Jeh Jonson"), *out, *want;
	size_t len;

	fixture(&f, doc);
	cr_assert_eq(run("'%s' check --data '%s' 2>'%s/stderr'",
	    env_or_die("ACCORD_BIN"), f.dir, f.dir), 1);
	cr_assert(asprintf(&out, "%s/stderr", f.dir) > 0);
	free(doc);
	doc = slurp(out, &len);
	cr_assert(asprintf(&want, "%1$s/annotations/a.json:2:24: deal: "
	    "evidence[0]: in source art: quote not found: \"met Jeh Jonson\"; "
	    "nearest match at line 1, column 14 of the article; first "
	    "difference at column 24: the article has "
	    "h (U+0068) after o\naccord check: 1 error in %1$s\n",
	    f.dir) > 0);
	cr_expect_str_eq(doc, want);
	free(want);
	free(out);
	free(doc);
	fixture_cleanup(&f);
}
