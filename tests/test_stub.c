/* accord new-source: a sources.json record to start from (issue 19). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

/* A CRLF article with a typographic apostrophe and an astral emoji. */
static const char article[] =
    "China\xE2\x80\x99s new deal: a test of 2016 \xF0\x9F\x97\x93\xEF\xB8\x8F\r\n"
    "Body line.\r\n";

/* Runs new-source on path with --data dir; returns its stdout. */
static char *
new_source(const char *dir, const char *path)
{
	char out[1024];
	size_t len;

	snprintf(out, sizeof(out), "%s/stdout", dir);
	cr_assert_eq(run("'%s' new-source --data '%s' '%s' >'%s' 2>/dev/null",
	    env_or_die("ACCORD_BIN"), dir, path, out), 0);
	return slurp(out, &len);
}

Test(stub, a_new_article_gets_the_next_number_its_sha256_and_an_id)
{
	char *dir = temp_dir(), path[1024], *got;

	run("mkdir -p '%s/corpus' && touch '%s/corpus/000_a.txt' "
	    "'%s/corpus/004_b.txt' && echo '{\"sources\": []}' "
	    ">'%s/sources.json'", dir, dir, dir, dir);
	snprintf(path, sizeof(path), "%s/new.txt", dir);
	spit(path, article, sizeof(article) - 1);
	got = new_source(dir, path);
	cr_expect_str_eq(got, "{\n"
	    "  \"id\": \"chinas-new-deal-test-2016\",\n"
	    "  \"file\": \"corpus/005_4d5923bd18744e91.txt\",\n"
	    "  \"sha256\": \"4d5923bd18744e91da555f7d14a3f67bb18990446185dc658f0ceee94817bc68\",\n"
	    "  \"headline\": {\n"
	    "    \"value\": \"China\xE2\x80\x99s new deal: a test of 2016 "
	    "\xF0\x9F\x97\x93\xEF\xB8\x8F\"\n"
	    "  },\n"
	    "  \"publisher\": null,\n"
	    "  \"byline\": null,\n"
	    "  \"date\": null,\n"
	    "  \"url\": null,\n"
	    "  \"regions\": []\n"
	    "}\n");
	free(got);
	run("rm -rf '%s'", dir);
	free(dir);
}

Test(stub, an_article_in_the_corpus_keeps_its_name)
{
	char *dir = temp_dir(), path[1024], *got;

	run("mkdir -p '%s/corpus' && echo '{\"sources\": []}' "
	    ">'%s/sources.json'", dir, dir);
	snprintf(path, sizeof(path), "%s/corpus/007_mine.txt", dir);
	spit(path, article, sizeof(article) - 1);
	got = new_source(dir, path);
	cr_expect(strstr(got, "\"file\": \"corpus/007_mine.txt\"") != NULL,
	    "%s", got);
	free(got);
	run("rm -rf '%s'", dir);
	free(dir);
}

Test(stub, a_file_that_is_not_utf8_is_refused)
{
	char *dir = temp_dir(), path[1024];

	snprintf(path, sizeof(path), "%s/bad.txt", dir);
	spit(path, "caf\xE9\n", 5);
	cr_expect_eq(run("'%s' new-source '%s' >/dev/null 2>'%s/err'",
	    env_or_die("ACCORD_BIN"), path, dir), 1);
	snprintf(path, sizeof(path), "%s/err", dir);
	{
		size_t len;
		char *err = slurp(path, &len), want[1200];
		snprintf(want, sizeof(want), "accord new-source: %s/bad.txt: "
		    "invalid UTF-8 at line 1, column 4\n", dir);
		cr_expect_str_eq(err, want);
		free(err);
	}
	run("rm -rf '%s'", dir);
	free(dir);
}

/* Runs new-source on path with --data dir, expecting exit status 1, and
 * checks that its stderr is "accord new-source: path: " and want. */
static void
refused(const char *dir, const char *path, const char *want)
{
	char err[1100], expect[2400], *got;
	size_t len;

	snprintf(err, sizeof(err), "%s/stderr", dir);
	cr_assert_eq(run("'%s' new-source --data '%s' '%s' >/dev/null 2>'%s'",
	    env_or_die("ACCORD_BIN"), dir, path, err), 1);
	got = slurp(err, &len);
	snprintf(expect, sizeof(expect), "accord new-source: %s: %s\n", path,
	    want);
	cr_expect_str_eq(got, expect);
	free(got);
}

Test(stub, a_data_dir_without_corpus_or_sources_json_is_refused)
{
	char *dir = temp_dir(), path[1024], want[2200];

	snprintf(path, sizeof(path), "%s/new.txt", dir);
	spit(path, article, sizeof(article) - 1);
	snprintf(want, sizeof(want), "%s has no corpus/ directory (--data DIR "
	    "names the data directory: corpus/ and sources.json)", dir);
	refused(dir, path, want);
	run("mkdir -p '%s/corpus'", dir);
	snprintf(want, sizeof(want), "%s has no sources.json (--data DIR "
	    "names the data directory: corpus/ and sources.json)", dir);
	refused(dir, path, want);
	run("rm -rf '%s'", dir);
	free(dir);
}

Test(stub, an_article_already_in_sources_json_or_the_corpus_is_refused)
{
	char *dir = temp_dir(), path[1024], want[2200];
	const char *sha = "4d5923bd18744e91da555f7d14a3f67bb18990446185dc658f0"
	    "ceee94817bc68";

	snprintf(path, sizeof(path), "%s/new.txt", dir);
	spit(path, article, sizeof(article) - 1);
	run("mkdir -p '%s/corpus' && printf '{\"sources\": [{\"id\": \"a\", "
	    "\"sha256\": \"00\"}, {\"id\": \"mine\", \"sha256\": \"%s\"}]}' "
	    ">'%s/sources.json'", dir, sha, dir);
	snprintf(want, sizeof(want), "already in %s/sources.json as source "
	    "\"mine\" (sha256 %s)", dir, sha);
	refused(dir, path, want);
	run("echo '{\"sources\": []}' >'%s/sources.json' && "
	    "cp '%s' '%s/corpus/003_x.txt'", dir, path, dir);
	snprintf(want, sizeof(want), "already in the corpus as "
	    "%s/corpus/003_x.txt (sha256 %s)", dir, sha);
	refused(dir, path, want);
	run("rm -rf '%s'", dir);
	free(dir);
}
