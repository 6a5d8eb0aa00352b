/* Signals: SIGTERM drains and exits 0; SIGHUP swaps only a sound database. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

/* Waits for the log to mention needle: a reload checks the whole file
 * first, which under valgrind takes many seconds. */
static bool
wait_log(const struct daemon *d, const char *needle)
{
	return log_shows(d, needle, 60);
}

static long
status_of(const struct daemon *d, const char *path)
{
	struct http r;
	long status;

	http_get(d, path, &r);
	status = r.status;
	http_free(&r);
	return status;
}

Test(signals, sigterm_exits_zero)
{
	struct daemon d;

	daemon_start(&d, env_or_die("ACCORD_DB"), NULL);
	cr_assert_eq(status_of(&d, "/healthz"), 200);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM), 0);
}

Test(signals, sigint_exits_zero)
{
	struct daemon d;

	daemon_start(&d, env_or_die("ACCORD_DB"), NULL);
	cr_assert_eq(daemon_signal_wait(&d, SIGINT), 0);
}

Test(signals, sighup_keeps_serving_when_the_new_file_is_garbage)
{
	char *dir = temp_dir(), *db = copy_db(dir, "a.db"), garbage[1024];
	struct daemon d;

	daemon_start(&d, db, NULL);
	snprintf(garbage, sizeof(garbage), "%s/garbage", dir);
	spit(garbage, "this is not a database", 22);
	cr_assert_eq(rename(garbage, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(wait_log(&d, "reload_refused"), "the refusal is logged");
	cr_assert_eq(status_of(&d, "/sources"), 200);
	cr_assert_eq(status_of(&d, "/outcomes/tabletop-exercise-2016"), 200);
	daemon_stop(&d);
	run("rm -rf '%s'", dir);
	free(db);
	free(dir);
}

Test(signals, sighup_refuses_a_database_of_another_application)
{
	char *dir = temp_dir(), *db = copy_db(dir, "a.db"), other[1024];
	struct daemon d;

	daemon_start(&d, db, NULL);
	snprintf(other, sizeof(other), "%s/other.db", dir);
	cr_assert_eq(run("sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t "
	    "VALUES (1)' 2>/dev/null || printf 'SQLite format 3' > '%s'",
	    other, other), 0);
	cr_assert_eq(rename(other, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(wait_log(&d, "reload_refused"));
	cr_assert_eq(status_of(&d, "/sources"), 200);
	daemon_stop(&d);
	run("rm -rf '%s'", dir);
	free(db);
	free(dir);
}

/* Builds, in dir, a database of one article: a different corpus. */
static char *
other_database(const char *dir)
{
	static const char text[] = "Guo Shengkun met Jeh Johnson.";
	char path[1024], *db;

	snprintf(path, sizeof(path), "%s/data/corpus", dir);
	cr_assert_eq(run("mkdir -p '%s' '%s/../annotations'", path, path), 0);
	snprintf(path, sizeof(path), "%s/data/corpus/a.txt", dir);
	spit(path, text, sizeof(text) - 1);
	cr_assert_eq(run("cd '%s/data' && printf '{\"sources\": [{\"id\":"
	    " \"only\", \"file\": \"corpus/a.txt\", \"sha256\": \"%%s\"}]}'"
	    " $(sha256sum corpus/a.txt | cut -c1-64) > sources.json &&"
	    " printf '{\"participants\": []}' > annotations/a.json", dir), 0);
	cr_assert(asprintf(&db, "%s/other.db", dir) > 0);
	cr_assert_eq(run("'%s' load --data '%s/data' --db '%s' 2>/dev/null",
	    env_or_die("ACCORD_BIN"), dir, db), 0);
	return db;
}

static size_t
count_sources(const struct daemon *d)
{
	struct http r;
	json_t *doc;
	size_t n;

	http_get(d, "/sources?count=true", &r);
	cr_assert_eq(r.status, 200);
	doc = json_loadb(r.body, r.len, 0, NULL);
	cr_assert(json_is_integer(json_object_get(doc, "count")));
	n = (size_t)json_integer_value(json_object_get(doc, "count"));
	json_decref(doc);
	http_free(&r);
	return n;
}

/* The number of sources data/sources.json lists: those of the served
 * database (loaded from it by make test). */
static size_t
sources_in_data(void)
{
	char path[1024];
	json_error_t err;
	json_t *doc;
	size_t n;

	snprintf(path, sizeof(path), "%s/data/sources.json", repo_root());
	doc = json_load_file(path, 0, &err);
	cr_assert_not_null(doc, "%s: %s", path, err.text);
	n = json_array_size(json_object_get(doc, "sources"));
	json_decref(doc);
	return n;
}

Test(signals, sighup_swaps_in_a_sound_database_and_forgets_cached_replies)
{
	char *dir = temp_dir(), *db = copy_db(dir, "a.db");
	char *fresh = other_database(dir);
	size_t before = sources_in_data();
	struct daemon d;

	/* The new database has one source: the swap must show. */
	cr_assert_neq(before, 1, "the data has one source, as the new one");
	daemon_start(&d, db, NULL);
	cr_assert_eq(count_sources(&d), before);
	cr_assert_eq(count_sources(&d), before, "now from the cache");
	cr_assert_eq(rename(fresh, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(wait_log(&d, "\"reloaded\""), "the swap is logged");
	cr_assert_eq(count_sources(&d), 1, "the new data, not a cached reply");
	daemon_stop(&d);
	run("rm -rf '%s'", dir);
	free(db);
	free(fresh);
	free(dir);
}

Test(signals, the_daemon_refuses_to_start_on_a_non_accord_file)
{
	char *dir = temp_dir(), path[1024], log[1024];
	int rc;

	snprintf(path, sizeof(path), "%s/x.db", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	spit(path, "not sqlite", 10);
	rc = run("'%s' serve --db '%s' --port 0 2>'%s'",
	    env_or_die("ACCORD_BIN"), path, log);
	cr_assert_eq(rc, 1);
	{
		char *text = slurp(log, NULL);
		cr_assert(strstr(text, "not a database") != NULL ||
		    strstr(text, "not an accord database") != NULL, "%s", text);
		free(text);
	}
	run("rm -rf '%s'", dir);
	free(dir);
}
