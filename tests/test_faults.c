/* Faults: a killed load, a full disk and a truncated database must never
 * cost the database being served or the file in place. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "digest.h"
#include "support.h"

/* The size of the loader's temporary database in dir (named after
 * live.db), or -1 while there is none. */
static long long
temporary_size(const char *dir)
{
	DIR *d = opendir(dir);
	long long size = -1;
	struct dirent *e;

	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, ".live.db.tmp-", 13) == 0) {
			struct stat st;
			char path[1100];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (stat(path, &st) == 0)
				size = (long long)st.st_size;
		}
	closedir(d);
	return size;
}

Test(faults, kill_9_during_a_load_leaves_the_old_database_intact,
    .timeout = 120)
{
	char *data = slow_data(), *db = copy_db(data, "live.db");
	char *before, *after;
	size_t before_len, after_len;
	pid_t pid, ended = 0;
	int st;

	before = slurp(db, &before_len);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		execl(env_or_die("ACCORD_BIN"), "accord", "load", "--data", data,
		    "--db", db, (char *)NULL);
		_exit(127);
	}
	/* Mid-load is when its temporary database has been written to (the
	 * schema is in it, the anchoring of 120,000 mentions is still to
	 * come): wait for that, however long the start takes, then stop
	 * the loader at once and kill it. */
	cr_assert(eventually((ended = waitpid(pid, &st, WNOHANG)) != 0 ||
	    temporary_size(data) > 0, 60), "the loader did not write its "
	    "temporary database");
	cr_assert_eq(ended, 0, "the loader ended before its temporary "
	    "database was seen");
	kill(pid, SIGSTOP);
	cr_assert_gt(temporary_size(data), 0, "the load finished before it "
	    "was stopped; make slow_data slower");
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "the load finished before it was killed");
	after = slurp(db, &after_len);
	cr_assert_eq(after_len, before_len);
	cr_assert_eq(memcmp(before, after, before_len), 0);
	cr_assert_eq(run("'%s' check --db '%s' >/dev/null",
	    env_or_die("ACCORD_BIN"), db), 0);
	free(before);
	free(after);
	run("rm -rf '%s'", data);
	free(db);
	free(data);
}

Test(faults, a_full_disk_fails_the_load_and_keeps_the_old_file)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");
	char *before, *after, log[1024], *text;
	size_t before_len, after_len;
	pid_t pid;
	int st;

	before = slurp(db, &before_len);
	snprintf(log, sizeof(log), "%s/stderr", dir);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		/* Files may grow to 64 KiB: the database needs more. */
		struct rlimit lim = { 64 * 1024, 64 * 1024 };
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDERR_FILENO);
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		execl(env_or_die("ACCORD_BIN"), "accord", "load", "--data",
		    "data", "--db", db, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %d", st);
	text = slurp(log, NULL);
	cr_assert(strstr(text, "accord load:") != NULL, "%s", text);
	after = slurp(db, &after_len);
	cr_assert_eq(after_len, before_len);
	cr_assert_eq(memcmp(before, after, before_len), 0);
	cr_assert_eq(run("ls -A '%s' | grep -c tmp >/dev/null", dir), 1,
	    "the temporary file is removed");
	free(text);
	free(before);
	free(after);
	remove_dir(dir, db);
}

Test(faults, sighup_with_a_truncated_database_keeps_serving)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");
	char cut[1024];
	struct daemon d;
	struct http r;

	daemon_start(&d, db, NULL);
	snprintf(cut, sizeof(cut), "%s/cut.db", dir);
	cr_assert_eq(run("head -c 8192 '%s' > '%s'", db, cut), 0);
	cr_assert_eq(rename(cut, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(log_shows(&d, "reload_refused", 30), "see %s", d.log);
	http_get(&d, "/outcomes/tabletop-exercise-2016", &r);
	cr_assert_eq(r.status, 200);
	http_free(&r);
	daemon_stop(&d);
	remove_dir(dir, db);
}

Test(faults, a_span_that_disagrees_with_its_text_fails_the_check)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");

	cr_assert_eq(run("'%s' check --db '%s' >/dev/null",
	    env_or_die("ACCORD_BIN"), db), 0);
	/* Tamper with one stored offset, as a bad writer would. */
	cr_assert_eq(run("sqlite3 '%s' 'DROP TRIGGER span_immutable;"
	    " UPDATE span SET utf16_end = utf16_end + 1 WHERE id = (SELECT"
	    " max(id) FROM span WHERE utf16_end < (SELECT len_utf16 FROM"
	    " source WHERE id = span.source_id))'", db), 0);
	cr_assert_eq(run("'%s' check --db '%s' 2>/dev/null",
	    env_or_die("ACCORD_BIN"), db), 1);
	remove_dir(dir, db);
}

/*
 * Runs `accord CMD --db db ARGS` (a command that ends by itself) until it
 * exits, with its stderr in dir/NAME.log; returns its exit status and, in
 * *text, what it logged (caller frees).
 */
static int
run_to_exit(const char *dir, const char *name, const char *cmd,
    const char *db, const char *args, char **text)
{
	char log[1100];
	int status;

	snprintf(log, sizeof(log), "%s/%s.log", dir, name);
	/* A bound against a hang only. */
	status = run("timeout %d %s '%s' %s --db '%s' %s 2>'%s'",
	    60 * slowdown(),
	    getenv("ACCORD_WRAPPER") != NULL ? getenv("ACCORD_WRAPPER") : "",
	    env_or_die("ACCORD_BIN"), cmd, db, args, log);
	*text = slurp(log, NULL);
	return status;
}

Test(faults, derived_data_that_disagrees_with_the_facts_fails_the_check)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db"), *why;

	cr_assert_eq(run("sqlite3 '%s' 'UPDATE claim SET corroboration ="
	    " corroboration + 1 WHERE ordinal = 1'", db), 0);
	cr_assert_eq(run_to_exit(dir, "check", "check", db, "", &why), 1);
	cr_assert(strstr(why, "corroboration differs from what the facts "
	    "give") != NULL, "%s", why);
	free(why);
	remove_dir(dir, db);
}

Test(faults, a_daemon_whose_database_fails_the_check_after_start_exits_1)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db"), *text;

	cr_assert_eq(run("sqlite3 '%s' \"UPDATE claim SET disputed ="
	    " 1 - disputed WHERE ordinal = 1\"", db), 0);
	/* It opens and listens (the file's header is sound), then the
	 * full check finds the damage and stops it. */
	cr_assert_eq(run_to_exit(dir, "serve", "serve", db,
	    "--host 127.0.0.1 --port 0", &text), 1);
	cr_assert(strstr(text, "\"listening\"") != NULL, "%s", text);
	cr_assert(strstr(text, "\"check_failed\"") != NULL, "%s", text);
	cr_assert(strstr(text, "corroboration differs from what the facts "
	    "give") != NULL, "%s", text);
	free(text);
	remove_dir(dir, db);
}

Test(faults, a_daemon_reports_that_its_database_passed_the_check)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");
	struct daemon d;
	struct http r;

	daemon_start(&d, db, NULL);
	cr_assert(log_shows(&d, "\"event\":\"checked\"", 30),
	    "no \"checked\" event in %s", d.log);
	http_get(&d, "/metrics", &r);
	cr_assert(strstr(r.body, "\naccord_database_checked 1\n") != NULL,
	    "%s", r.body);
	http_free(&r);
	daemon_stop(&d);
	remove_dir(dir, db);
}

Test(faults, a_second_daemon_on_a_port_in_use_exits_1)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db"), *text;
	char args[64];
	struct daemon d;
	struct http r;

	daemon_start(&d, db, NULL);
	snprintf(args, sizeof(args), "--host 127.0.0.1 --port %d", d.port);
	cr_assert_eq(run_to_exit(dir, "second", "serve", db, args, &text), 1);
	cr_assert(strstr(text, "Address already in use") != NULL, "%s", text);
	free(text);
	http_get(&d, "/readyz", &r);
	cr_assert_eq(r.status, 200);
	http_free(&r);
	daemon_stop(&d);
	remove_dir(dir, db);
}

Test(faults, a_file_not_the_size_its_header_gives_is_refused)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db"), *text;

	cr_assert_eq(run("head -c 4096 /dev/zero >> '%s'", db), 0);
	cr_assert_eq(run_to_exit(dir, "serve", "serve", db,
	    "--host 127.0.0.1 --port 0", &text), 1);
	cr_assert(strstr(text, "the file is not the size its header gives") !=
	    NULL, "%s", text);
	cr_assert(strstr(text, "\"listening\"") == NULL, "%s", text);
	free(text);
	remove_dir(dir, db);
}
