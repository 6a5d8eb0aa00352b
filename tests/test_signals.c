/* Signals: SIGTERM drains and exits 0; SIGHUP swaps only a sound database. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

static char *
copy_db(const char *dir, const char *name)
{
	char *path;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	cr_assert_eq(run("cp '%s' '%s'", env_or_die("ACCORD_DB"), path), 0);
	return path;
}

static int
log_has(const struct daemon *d, const char *needle)
{
	char *text = slurp(d->log, NULL);
	int found = strstr(text, needle) != NULL;

	free(text);
	return found;
}

/* Waits up to a second for the log to mention needle. */
static int
wait_log(const struct daemon *d, const char *needle)
{
	for (int i = 0; i < 100; i++) {
		if (log_has(d, needle))
			return 1;
		usleep(10 * 1000);
	}
	return 0;
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

Test(signals, sighup_swaps_in_a_sound_database)
{
	char *dir = temp_dir(), *db = copy_db(dir, "a.db");
	char *fresh = copy_db(dir, "b.db");
	struct daemon d;

	daemon_start(&d, db, NULL);
	cr_assert_eq(status_of(&d, "/sources"), 200);
	cr_assert_eq(rename(fresh, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(wait_log(&d, "\"reloaded\""), "the swap is logged");
	cr_assert_eq(status_of(&d, "/sources"), 200);
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
