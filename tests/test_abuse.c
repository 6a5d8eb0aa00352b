/* Available and honest under abuse: a tampered database is never served,
 * slow and non-reading clients and heavy queries do not hold up others,
 * the database's file is let go once replaced. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

/* Rewrites the first letter of one span's exact text (an ASCII letter,
 * so every offset stays valid): what a tampered file looks like. */
static void
tamper_span(const char *db)
{
	cr_assert_eq(run("sqlite3 '%s' \"DROP TRIGGER span_immutable;"
	    " UPDATE span SET exact = CASE WHEN substr(exact, 1, 1) = 'Q'"
	    " THEN 'Z' ELSE 'Q' END || substr(exact, 2) WHERE id = (SELECT"
	    " min(id) FROM span WHERE unicode(exact) BETWEEN 97 AND 122)\"",
	    db), 0);
}

/* Opens a connection to the daemon on loopback. */
static int
connect_to(const struct daemon *d)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)d->port) };
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* What the last get_within's transfer ended with, for messages. */
static CURLcode last_error;

/* GET path on a fresh connection with a bound of timeout_s seconds;
 * returns the status, or 0 when no answer came within it. */
static long
get_within(const struct daemon *d, const char *path, long timeout_s)
{
	struct buffer sink = { 0 };
	char url[256];
	long status = 0;
	CURL *c = curl_easy_init();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", d->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	last_error = curl_easy_perform(c);
	if (last_error == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	free(sink.buf);
	return status;
}

Test(abuse, a_daemon_started_on_a_tampered_span_serves_none_of_it_and_exits_1,
    .timeout = 120)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");
	char log[1100];
	int status, served = 0, refused = 0;
	struct daemon d = { 0 };
	pid_t pid;

	tamper_span(db);
	snprintf(log, sizeof(log), "%s/serve.log", dir);
	snprintf(d.log, sizeof(d.log), "%.63s", log);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDERR_FILENO);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(env_or_die("ACCORD_BIN"), "accord", "serve", "--db", db,
		    "--host", "127.0.0.1", "--port", "0", (char *)NULL);
		_exit(127);
	}
	/* Ask for data for as long as it lives: never a 200. */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		FILE *f = fopen(log, "r");
		char line[1024];
		d.port = 0;
		while (f != NULL && d.port == 0 && fgets(line, sizeof(line),
		    f) != NULL) {
			const char *at = strstr(line, "127.0.0.1:");
			if (strstr(line, "\"listening\"") != NULL && at != NULL)
				d.port = atoi(at + 10);
		}
		if (f != NULL)
			fclose(f);
		if (d.port == 0)
			continue;
		switch (get_within(&d, "/claims?limit=500", 10)) {
		case 200:
			served++;
			kill(pid, SIGKILL);	/* no need to ask again */
			break;
		case 503:
			refused++;
			break;
		}
	}
	cr_assert_eq(served, 0, "a tampered database was served %d times",
	    served);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1,
	    "the daemon did not exit 1");
	{
		char *text = slurp(log, NULL);
		cr_assert(strstr(text, "\"check_failed\"") != NULL, "%s", text);
		free(text);
	}
	remove_dir(dir, db);
}

Test(abuse, sighup_refuses_a_database_with_a_tampered_span, .timeout = 120)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");
	char next[1100];
	struct daemon d;
	struct http before, after;

	daemon_start(&d, db, NULL);
	http_get(&d, "/claims?limit=500", &before);
	cr_assert_eq(before.status, 200);
	snprintf(next, sizeof(next), "%s/next.db", dir);
	cr_assert_eq(run("cp '%s' '%s'", db, next), 0);
	tamper_span(next);
	cr_assert_eq(rename(next, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(log_shows(&d, "reload_refused", 60), "see %s", d.log);
	cr_assert(log_shows(&d, "span", 1), "the reason names no span: %s",
	    d.log);
	http_get(&d, "/claims?limit=500", &after);
	cr_assert_eq(after.status, 200);
	cr_assert_eq(after.len, before.len);
	cr_assert_eq(memcmp(after.body, before.body, before.len), 0,
	    "the tampered text was served");
	http_free(&before);
	http_free(&after);
	daemon_stop(&d);
	remove_dir(dir, db);
}

/* Counts the daemon's open files that are deleted database files. */
static int
deleted_files_open(pid_t pid)
{
	char path[64], target[1024];
	struct dirent *e;
	DIR *fds;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	fds = opendir(path);
	cr_assert_not_null(fds);
	while ((e = readdir(fds)) != NULL) {
		char link[400];
		ssize_t len;
		snprintf(link, sizeof(link), "%s/%s", path, e->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strstr(target, "live.db") != NULL &&
		    strstr(target, "(deleted)") != NULL)
			n++;
	}
	closedir(fds);
	return n;
}

Test(abuse, a_replaced_database_file_is_let_go, .timeout = 120)
{
	char *dir = temp_dir(), *db = copy_db(dir, "live.db");
	char next[1100];
	struct daemon d;
	int open_deleted = -1;

	daemon_start(&d, db, NULL);
	snprintf(next, sizeof(next), "%s/next.db", dir);
	cr_assert_eq(run("cp '%s' '%s'", db, next), 0);
	cr_assert_eq(rename(next, db), 0);
	kill(d.pid, SIGHUP);
	cr_assert(log_shows(&d, "\"reloaded\"", 60), "see %s", d.log);
	/* The workers let go as they wake: wait for it. */
	cr_assert(eventually((open_deleted = deleted_files_open(d.pid)) == 0,
	    30), "the replaced file is still open (%d descriptors)",
	    open_deleted);
	daemon_stop(&d);
	remove_dir(dir, db);
}

Test(abuse, a_request_head_sent_slowly_is_cut_off, .timeout = 60)
{
	struct daemon d;
	struct pollfd p;
	int fd, lines = 0;
	char byte;

	daemon_start(&d, env_or_die("ACCORD_DB"), "--header-timeout", "1",
	    NULL);
	fd = connect_to(&d);
	cr_assert_eq(send(fd, "GET /healthz HTTP/1.1\r\n", 23, MSG_NOSIGNAL),
	    23);
	/* A header line every 200 ms, each restarting libmicrohttpd's own
	 * idle timeout: only a deadline for the whole head ends it. */
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (lines < 200 && poll(&p, 1, 200) == 0) {
		if (send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) != 11)
			break;
		lines++;
	}
	cr_assert_lt(lines, 200, "the connection was never cut off");
	cr_assert_leq(recv(fd, &byte, 1, 0), 0, "an answer came instead of "
	    "the end of the connection");
	close(fd);
	daemon_stop(&d);
}

Test(abuse, an_idle_keep_alive_connection_is_closed_after_the_head_timeout,
    .timeout = 60)
{
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	struct daemon d;
	char buf[4096];
	ssize_t n;
	size_t got = 0;
	int fd;

	daemon_start(&d, env_or_die("ACCORD_DB"), "--header-timeout", "1",
	    NULL);
	fd = connect_to(&d);
	cr_assert_eq(send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL),
	    (ssize_t)sizeof(req) - 1);
	/* The answer, then the end of the connection (read to EOF). */
	while ((n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	cr_assert(strncmp(buf, "HTTP/1.1 200 ", 13) == 0, "%s", buf);
	cr_assert_eq(n, 0);
	close(fd);
	daemon_stop(&d);
}

/*
 * Loads the slow_data corpus (one long article naming one participant
 * 120,000 times) into dir/heavy.db, where a participant's record or a
 * search costs the database workers a second or so. Returns the data
 * directory (caller frees with remove_dir) and the path in *db.
 */
static char *
heavy_db(char **db)
{
	char *dir = slow_data();

	cr_assert(asprintf(db, "%s/heavy.db", dir) > 0);
	cr_assert_eq(run("'%s' load --data '%s' --db '%s' 2>/dev/null",
	    env_or_die("ACCORD_BIN"), dir, *db), 0);
	return dir;
}

/* The liveness tests measure how soon /healthz answers under load. Under
 * valgrind or the sanitizers (ACCORD_SANITIZED: threads serialised or
 * several times slower) that is not the daemon's timing, so they run only
 * in the plain build; the code paths they drive run under the tools in
 * every other test that asks for data. */
static void
skip_under_tools(void)
{
	if (getenv("ACCORD_SANITIZED") != NULL)
		cr_skip_test("liveness under load is measured in the plain "
		    "build only");
}

/* How long a liveness probe may take, in seconds. */
static long
probe_bound_s(void)
{
	return 2;
}

/* Non-reading clients: connections that pipeline requests and never
 * read what comes back. */
struct flood {
	const struct daemon *d;
	int conns, requests;
	int fds[200];
};

static void
flood_open(struct flood *f)
{
	char req[160];

	for (int i = 0; i < f->conns; i++) {
		f->fds[i] = connect_to(f->d);
		for (int j = 0; j < f->requests; j++) {
			int n = j % 2 == 0 ? snprintf(req, sizeof(req),
			    "GET /participants/guo HTTP/1.1\r\nHost: x\r\n\r\n")
			    : snprintf(req, sizeof(req), "GET /search?q=guo&"
			    "limit=%d HTTP/1.1\r\nHost: x\r\n\r\n", 1 + j % 100);
			if (send(f->fds[i], req, (size_t)n, MSG_NOSIGNAL |
			    MSG_DONTWAIT) != n)
				break;
		}
	}
}

static void
flood_close(struct flood *f)
{
	for (int i = 0; i < f->conns; i++)
		close(f->fds[i]);
}

Test(abuse, clients_that_pipeline_and_never_read_do_not_hold_up_healthz,
    .timeout = 120)
{
	struct daemon d;
	struct flood f = { .d = &d, .conns = 100, .requests = 20 };
	char *db, *dir;

	skip_under_tools();
	dir = heavy_db(&db);
	daemon_start(&d, db, "--cache-bytes", "0", "--record-cache-bytes",
	    "0", NULL);
	flood_open(&f);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(get_within(&d, "/healthz", probe_bound_s()), 200,
		    "/healthz got no answer in time (try %d)", i);
	flood_close(&f);
	daemon_stop(&d);
	remove_dir(dir, db);
}

/* A client repeating uncached queries on a keep-alive connection. */
struct heavy {
	const struct daemon *d;
	atomic_bool *stop;
	int requests, busy;	/* answers, and 503s among them */
};

static void *
heavy_client(void *arg)
{
	struct heavy *h = arg;
	CURL *c = curl_easy_init();
	char url[256];

	for (int i = 0; !atomic_load(h->stop); i++) {
		struct buffer sink = { 0 };
		long status = 0;
		if (i % 2 == 0)
			snprintf(url, sizeof(url), "http://127.0.0.1:%d/"
			    "participants/guo", h->d->port);
		else
			snprintf(url, sizeof(url), "http://127.0.0.1:%d/search"
			    "?q=guo&limit=%d", h->d->port, 1 + i % 100);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
		if (curl_easy_perform(c) == CURLE_OK) {
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
			h->requests++;
			if (status == 503)
				h->busy++;
		}
		free(sink.buf);
	}
	curl_easy_cleanup(c);
	return NULL;
}

Test(abuse, heavy_queries_do_not_hold_up_liveness_or_readiness,
    .timeout = 120)
{
	enum { CLIENTS = 20 };
	struct daemon d;
	pthread_t t[CLIENTS];
	struct heavy h[CLIENTS];
	atomic_bool stop = false;
	int answered = 0;
	char *db, *dir;

	skip_under_tools();
	dir = heavy_db(&db);
	daemon_start(&d, db, "--threads", "1", "--cache-bytes", "0",
	    "--record-cache-bytes", "0", NULL);
	for (int i = 0; i < CLIENTS; i++) {
		h[i] = (struct heavy){ .d = &d, .stop = &stop };
		pthread_create(&t[i], NULL, heavy_client, &h[i]);
	}
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(get_within(&d, i % 2 ? "/readyz" : "/healthz",
		    probe_bound_s()), 200, "no answer in time (try %d)", i);
	}
	atomic_store(&stop, true);
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
		answered += h[i].requests;
	}
	cr_assert_gt(answered, 0);
	daemon_stop(&d);
	remove_dir(dir, db);
}

Test(abuse, a_full_queue_answers_503_with_retry_after_at_once,
    .timeout = 120)
{
	enum { CONNS = 200 };
	struct daemon d;
	int fds[CONNS], busy = 0, ok = 0;
	char req[160];

	daemon_start(&d, env_or_die("ACCORD_DB"), "--threads", "1",
	    "--queue-limit", "1", "--cache-bytes", "0",
	    "--record-cache-bytes", "0", NULL);
	/* Every connection ready first, then all requests at once. */
	for (int i = 0; i < CONNS; i++)
		fds[i] = connect_to(&d);
	for (int i = 0; i < CONNS; i++) {
		int n = snprintf(req, sizeof(req), "GET /claims?limit=%d "
		    "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		    1 + i % 500);
		cr_assert_eq(send(fds[i], req, (size_t)n, MSG_NOSIGNAL), n);
	}
	for (int i = 0; i < CONNS; i++) {
		char buf[65536];
		size_t got = 0;
		ssize_t n;
		while (got < sizeof(buf) - 1 && (n = recv(fds[i], buf + got,
		    sizeof(buf) - 1 - got, 0)) > 0)
			got += (size_t)n;
		buf[got] = '\0';
		if (strncmp(buf, "HTTP/1.1 200 ", 13) == 0) {
			ok++;
		} else {
			cr_assert(strncmp(buf, "HTTP/1.1 503 ", 13) == 0,
			    "%.200s", buf);
			cr_assert_not_null(strcasestr(buf, "\r\nRetry-After: "
			    "1\r\n"), "%.400s", buf);
			cr_assert_not_null(strstr(buf, "application/problem"
			    "+json"), "%.400s", buf);
			busy++;
		}
		close(fds[i]);
	}
	cr_assert_gt(busy, 0, "the queue never filled (%d answered)", ok);
	cr_assert_gt(ok, 0);
	daemon_stop(&d);
}

/* Idle and slow connections cannot keep a new client out: past the
 * connection limit, the one waiting longest for a request head is shut. */
Test(abuse, idle_connections_past_the_limit_make_room_for_a_new_client,
    .timeout = 120)
{
	enum { IDLE = 60 };
	struct daemon d;
	int fds[IDLE], closed = 0;

	daemon_start(&d, env_or_die("ACCORD_DB"), "--connection-limit", "20",
	    NULL);
	for (int i = 0; i < IDLE; i++)
		fds[i] = connect_to(&d);
	cr_assert_eq(get_within(&d, "/healthz", probe_bound_s()), 200,
	    "a new client was kept out by idle connections: %s",
	    curl_easy_strerror(last_error));
	/* The oldest idle ones were shut to make room: read their ends. */
	for (int i = 0; i < IDLE; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };
		char byte;
		if (poll(&p, 1, 0) == 1 && recv(fds[i], &byte, 1, 0) <= 0)
			closed++;
		close(fds[i]);
	}
	cr_assert_geq(closed, IDLE - 20 - 16, "only %d idle connections were "
	    "shut", closed);
	daemon_stop(&d);
}
