/* Test support: temporary directories, files, a daemon on an ephemeral
 * port, and HTTP through libcurl. Header-only; every helper is static. */
#ifndef ACCORD_TEST_SUPPORT_H
#define ACCORD_TEST_SUPPORT_H

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"

#define SUPPORT_UNUSED __attribute__((unused))

/*
 * Waiting. Tests wait for events (a log line, a file's state, a count
 * reaching a value), never for a length of time: each wait polls until
 * its event, and only gives up at a deadline far beyond what the event
 * needs, so that the deadline is never what a test measures. Under
 * valgrind or the sanitizers (ACCORD_SANITIZED) everything runs many
 * times slower, and every deadline grows by SLOWDOWN.
 */
static SUPPORT_UNUSED int
slowdown(void)
{
	return getenv("ACCORD_SANITIZED") != NULL ? 10 : 1;
}

/* CLOCK_MONOTONIC, in milliseconds. */
static SUPPORT_UNUSED long long
monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The deadline `seconds` (times slowdown()) from now, in monotonic_ms. */
static SUPPORT_UNUSED long long
deadline_in(int seconds)
{
	return monotonic_ms() + (long long)seconds * 1000 * slowdown();
}

/*
 * Evaluates cond every 10 ms until it holds or `seconds` (times
 * slowdown()) have passed; yields whether it held. cond is evaluated once
 * more after the deadline, so a slow poll never misses the event.
 */
#define eventually(cond, seconds) __extension__ ({			\
	long long until_ = deadline_in(seconds);			\
	bool held_;							\
	while (!(held_ = (cond)) && monotonic_ms() < until_)		\
		usleep(10 * 1000);					\
	held_ || (cond);						\
})

/* Returns the environment variable, or fails the test when unset. */
static SUPPORT_UNUSED const char *
env_or_die(const char *name)
{
	const char *v = getenv(name);

	cr_assert(v != NULL && v[0] != '\0', "%s is not set; run via make test",
	    name);
	return v;
}

/* Returns the repository root (set by make). */
static SUPPORT_UNUSED const char *
repo_root(void)
{
	return env_or_die("ACCORD_ROOT");
}

/* Reads a whole file; caller frees. Fails the test when it cannot. */
static SUPPORT_UNUSED char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

static SUPPORT_UNUSED void
spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* Makes a fresh temporary directory; returns its path (caller frees). */
static SUPPORT_UNUSED char *
temp_dir(void)
{
	char *dir = strdup("/tmp/accord-test-XXXXXX");

	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

/* Runs a shell command; returns its exit status. */
static SUPPORT_UNUSED int
run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Copies the served database (ACCORD_DB) to dir/name; returns the path
 * (caller frees). */
static SUPPORT_UNUSED char *
copy_db(const char *dir, const char *name)
{
	char *path;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	cr_assert_eq(run("cp '%s' '%s'", env_or_die("ACCORD_DB"), path), 0);
	return path;
}

/* A daemon started for a test. */
struct daemon {
	pid_t pid;
	int port;
	char log[64];	/* its stderr */
};

/* Returns the port from the daemon's "listening" log line, or 0. */
static SUPPORT_UNUSED int
daemon_port(const struct daemon *d)
{
	FILE *f = fopen(d->log, "r");
	char line[1024];
	int port = 0;

	if (f == NULL)
		return 0;
	while (port == 0 && fgets(line, sizeof(line), f) != NULL) {
		const char *at = strstr(line, "\"address\":\"127.0.0.1:");
		if (strstr(line, "\"listening\"") != NULL && at != NULL)
			port = atoi(at + strlen("\"address\":\"127.0.0.1:"));
	}
	fclose(f);
	return port;
}

/* Returns true once the daemon logged that its database passed the
 * full check (and so serves data). */
static SUPPORT_UNUSED bool
daemon_checked(const struct daemon *d)
{
	FILE *f = fopen(d->log, "r");
	char line[1024];
	bool seen = false;

	if (f == NULL)
		return false;
	while (!seen && fgets(line, sizeof(line), f) != NULL)
		seen = strstr(line, "\"event\":\"checked\"") != NULL;
	fclose(f);
	return seen;
}

/* Returns true while the daemon has not exited (reaping it if it has). */
static SUPPORT_UNUSED bool
daemon_alive(const struct daemon *d)
{
	int st;

	return waitpid(d->pid, &st, WNOHANG) == 0;
}

/*
 * Starts `accord serve --db db_path --port 0` with extra arguments (NULL
 * terminated) and waits until it listens and its database has passed the
 * full check. Fails the test when it does not.
 */
static SUPPORT_UNUSED void
daemon_start(struct daemon *d, const char *db_path, ...)
{
	const char *argv[48];
	size_t argc = 0;
	char *wrapper = getenv("ACCORD_WRAPPER") != NULL ?
	    strdup(getenv("ACCORD_WRAPPER")) : NULL, *save = NULL;
	va_list ap;

	/* ACCORD_WRAPPER (say, "valgrind --error-exitcode=99") runs the
	 * daemon under a tool; its words come first. */
	for (char *w = wrapper != NULL ? strtok_r(wrapper, " ", &save) : NULL;
	     w != NULL && argc < 16; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc++] = env_or_die("ACCORD_BIN");
	argv[argc++] = "serve";
	argv[argc++] = "--db";
	argv[argc++] = db_path;
	argv[argc++] = "--host";
	argv[argc++] = "127.0.0.1";
	argv[argc++] = "--port";
	argv[argc++] = "0";
	argv[argc++] = "--threads";
	argv[argc++] = "2";
	/* Under valgrind or ASan, queries run many times slower than the
	 * default deadline expects. */
	if (getenv("ACCORD_SANITIZED") != NULL) {
		argv[argc++] = "--query-timeout";
		argv[argc++] = "120000";
	}

	va_start(ap, db_path);
	for (const char *a; argc < 47 && (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	snprintf(d->log, sizeof(d->log), "/tmp/accord-daemon-XXXXXX");
	{
		int fd = mkstemp(d->log);
		cr_assert(fd >= 0);
		close(fd);
	}
	d->pid = fork();
	cr_assert(d->pid >= 0);
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_TRUNC);
		dup2(fd, STDERR_FILENO);
		/* Die with the test, and hold none of the runner's pipes. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close_range(3, ~0U, 0);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* It listens (its log says on which port), then data is served
	 * once the database passed its full check (the log says so too);
	 * each within a deadline far beyond what it takes. */
	cr_assert(eventually(!daemon_alive(d) ||
	    (d->port = daemon_port(d)) > 0, 30),
	    "the daemon did not start listening; see %s", d->log);
	cr_assert_gt(d->port, 0, "the daemon exited before it listened; see %s",
	    d->log);
	cr_assert(eventually(!daemon_alive(d) || daemon_checked(d), 60),
	    "the database check did not end; see %s", d->log);
	cr_assert(daemon_checked(d), "the daemon exited before its database "
	    "check passed; see %s", d->log);
	free(wrapper);
}

/* Sends sig and returns the daemon's exit status (-1 if killed). */
static SUPPORT_UNUSED int
daemon_signal_wait(struct daemon *d, int sig)
{
	int st;

	kill(d->pid, sig);
	cr_assert_eq(waitpid(d->pid, &st, 0), d->pid);
	d->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Stops the daemon with SIGTERM, requires exit status 0, removes its log. */
static SUPPORT_UNUSED void
daemon_stop(struct daemon *d)
{
	if (d->pid <= 0)
		return;
	cr_assert_eq(daemon_signal_wait(d, SIGTERM), 0,
	    "the daemon did not exit 0 on SIGTERM");
	unlink(d->log);
}

/* Removes a test's directory and frees its paths. */
static SUPPORT_UNUSED void
remove_dir(char *dir, char *db)
{
	run("rm -rf '%s'", dir);
	free(db);
	free(dir);
}

/* Returns true when the daemon's log holds needle. */
static SUPPORT_UNUSED bool
log_has(const struct daemon *d, const char *needle)
{
	char *log = slurp(d->log, NULL);
	bool found = strstr(log, needle) != NULL;

	free(log);
	return found;
}

/* Returns true once the daemon's log holds needle, polling for up to
 * `seconds` (times slowdown()). */
static SUPPORT_UNUSED bool
log_shows(const struct daemon *d, const char *needle, int seconds)
{
	return eventually(log_has(d, needle), seconds);
}

/* Writes a data directory whose load takes a while: one large article in
 * which a participant is mentioned a great many times. */
static SUPPORT_UNUSED char *
slow_data(void)
{
	char *dir = temp_dir(), path[1024], sha[65], doc[512];
	/* Each sentence numbered: a quote selector must occur once, and
	 * 120,000 copies of one sentence leave no context that does. */
	static const char sentence[] = "Guo Shengkun met delegation %06zu. ";
	size_t n = 120000, each = sizeof(sentence) - 1 - 5 + 6, len = n * each;
	char *text = malloc(len + 1);

	for (size_t i = 0; i < n; i++)
		snprintf(text + i * each, each + 1, sentence, i);
	snprintf(path, sizeof(path), "%s/corpus", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/annotations", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/corpus/a.txt", dir);
	spit(path, text, len);
	digest_sha256_hex(text, len, sha);
	snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"big\", \"file\":"
	    " \"corpus/a.txt\", \"sha256\": \"%s\"}]}", sha);
	snprintf(path, sizeof(path), "%s/sources.json", dir);
	spit(path, doc, strlen(doc));
	snprintf(doc, sizeof(doc), "{\"participants\": [{\"id\": \"guo\","
	    " \"name\": \"Guo Shengkun\", \"kind\": \"person\", \"role\":"
	    " \"delegate\"}]}");
	snprintf(path, sizeof(path), "%s/annotations/a.json", dir);
	spit(path, doc, strlen(doc));
	free(text);
	return dir;
}

/*
 * The daemon of the suites that share one, started on ACCORD_DB with the
 * default settings: `.init = server_start, .fini = server_stop`. (Suites
 * that need other settings keep a `server` of their own.)
 */
static SUPPORT_UNUSED struct daemon server;

static SUPPORT_UNUSED void
server_start(void)
{
	daemon_start(&server, env_or_die("ACCORD_DB"), NULL);
}

static SUPPORT_UNUSED void
server_stop(void)
{
	daemon_stop(&server);
}

/* An HTTP response as received. */
struct http {
	long status;
	char *body;
	size_t len;
	char *headers;
	size_t headers_len;
};

struct buffer {
	char *buf;
	size_t len;
};

static size_t
http_collect(char *data, size_t size, size_t n, void *arg)
{
	struct buffer *b = arg;
	char *more = realloc(b->buf, b->len + size * n + 1);

	if (more == NULL)
		return 0;
	memcpy(more + b->len, data, size * n);
	b->len += size * n;
	more[b->len] = '\0';
	b->buf = more;
	return size * n;
}

/*
 * When ACCORD_RESPONSE_LOG names a file, appends the exchange to it as one
 * JSON line {method, target, status, headers, body (base64)}: the contract
 * test then validates every response the integration tests received.
 */
static SUPPORT_UNUSED void
log_exchange(const char *method, const char *target, const struct http *r)
{
	const char *path = getenv("ACCORD_RESPONSE_LOG");
	struct base64_encode_ctx ctx;
	json_t *line, *headers;
	char *b64, *text;
	size_t n;
	int fd;

	if (path == NULL || path[0] == '\0')
		return;
	b64 = malloc(BASE64_ENCODE_LENGTH(r->len) + BASE64_ENCODE_FINAL_LENGTH +
	    1);
	cr_assert_not_null(b64);
	base64_encode_init(&ctx);
	n = base64_encode_update(&ctx, b64, r->len, (const uint8_t *)r->body);
	n += base64_encode_final(&ctx, b64 + n);
	b64[n] = '\0';
	headers = json_object();
	for (const char *h = r->headers; h != NULL && *h != '\0';) {
		const char *eol = strstr(h, "\r\n"), *colon = strchr(h, ':');
		size_t len = eol != NULL ? (size_t)(eol - h) : strlen(h);
		if (strncmp(h, "HTTP/", 5) == 0)
			json_object_clear(headers);	/* a new reply */
		else if (colon != NULL && (size_t)(colon - h) < len) {
			const char *v = colon + 1;
			char name[128];
			while (*v == ' ')
				v++;
			snprintf(name, sizeof(name), "%.*s", (int)(colon - h), h);
			json_object_set_new(headers, name, json_stringn(v,
			    len - (size_t)(v - h)));
		}
		h = eol != NULL ? eol + 2 : NULL;
	}
	line = json_pack("{s:s, s:s, s:I, s:o, s:s}", "method", method,
	    "target", target, "status", (json_int_t)r->status, "headers",
	    headers, "body", b64);
	text = line != NULL ? json_dumps(line, JSON_COMPACT) : NULL;
	if (text != NULL) {
		size_t len = strlen(text);
		text[len] = '\n';	/* over the NUL: one write, one line */
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (fd >= 0) {
			if (write(fd, text, len + 1) < 0) {
				/* The contract check will notice lines missing. */
			}
			close(fd);
		}
	}
	free(text);
	json_decref(line);
	free(b64);
}

/*
 * Sends method path to the daemon with optional extra headers
 * (NULL-terminated) and stores the response in *r (free with http_free).
 */
static SUPPORT_UNUSED void
http_request(const struct daemon *d, const char *method, const char *path,
    struct http *r, ...)
{
	struct buffer body = { 0 }, head = { 0 };
	struct curl_slist *hdrs = NULL;
	char url[2048];
	CURL *c = curl_easy_init();
	va_list ap;
	CURLcode rc;

	cr_assert_not_null(c);
	va_start(ap, r);
	for (const char *h; (h = va_arg(ap, const char *)) != NULL;)
		hdrs = curl_slist_append(hdrs, h);
	va_end(ap);
	/* An absolute URL (a page's next) is asked as it is. */
	if (strncmp(path, "http://", 7) == 0)
		snprintf(url, sizeof(url), "%s", path);
	else
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", d->port,
		    path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, http_collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &head);
	/* A bound against a hang only: far beyond any answer's time. */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L * slowdown());
	rc = curl_easy_perform(c);
	cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, path,
	    curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	r->body = body.buf != NULL ? body.buf : calloc(1, 1);
	r->len = body.len;
	r->headers = head.buf != NULL ? head.buf : calloc(1, 1);
	r->headers_len = head.len;
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	/* An absolute URL is logged by its target, as the daemon saw it. */
	log_exchange(method, strncmp(path, "http://", 7) == 0 &&
	    strchr(path + 7, '/') != NULL ? strchr(path + 7, '/') : path, r);
}

static SUPPORT_UNUSED void
http_get(const struct daemon *d, const char *path, struct http *r)
{
	http_request(d, "GET", path, r, NULL);
}

/* Returns a copy of the value of header name (case-insensitive), without
 * the line end, or NULL when absent. Caller frees. */
static SUPPORT_UNUSED char *
http_header(const struct http *r, const char *name)
{
	size_t n = strlen(name);

	for (const char *line = r->headers; line != NULL && *line != '\0';) {
		const char *eol = strstr(line, "\r\n");
		size_t len = eol != NULL ? (size_t)(eol - line) : strlen(line);
		if (len > n && strncasecmp(line, name, n) == 0 &&
		    line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			return strndup(v, len - (size_t)(v - line));
		}
		line = eol != NULL ? eol + 2 : NULL;
	}
	return NULL;
}

/*
 * Sends raw bytes to the daemon on a fresh connection and reads the reply
 * until the peer closes or timeout_ms (times slowdown()) passes without a
 * byte. Returns the status code (0 when none) and stores the reply
 * (caller frees) in *reply.
 */
static SUPPORT_UNUSED int
raw_request(const struct daemon *d, const char *bytes, size_t len,
    char **reply, int timeout_ms)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)d->port) };
	struct buffer got = { 0 };
	struct pollfd pfd;
	int fd, status = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(send(fd, bytes, len, MSG_NOSIGNAL), (ssize_t)len);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (poll(&pfd, 1, timeout_ms * slowdown()) == 1) {
		char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n <= 0)
			break;
		http_collect(chunk, 1, (size_t)n, &got);
		/* One reply is enough: stop when its body is complete. */
		if (got.buf != NULL && strstr(got.buf, "\r\n\r\n") != NULL) {
			const char *cl = strcasestr(got.buf, "Content-Length:");
			const char *body = strstr(got.buf, "\r\n\r\n") + 4;
			if (cl != NULL && (size_t)(got.buf + got.len - body) >=
			    (size_t)atol(cl + 15))
				break;
		}
	}
	close(fd);
	if (got.buf != NULL)
		sscanf(got.buf, "HTTP/1.%*d %d", &status);
	*reply = got.buf != NULL ? got.buf : calloc(1, 1);
	return status;
}

static SUPPORT_UNUSED void
http_free(struct http *r)
{
	free(r->body);
	free(r->headers);
}

/* ========================================================================
 * Raw HTTP/1.1 over a socket, for exact wire checks: a connection that
 * keeps every byte received, responses parsed out of that stream (framing
 * by Content-Length, chunked or EOF), and exchanges pipelined with a
 * follow-up request so that a response's framing is checked exactly.
 */

/* ------------------------------------------------------------------------
 * A raw connection: bytes out, the whole reply stream in.
 */

/* How long a reply may take to come or end (times slowdown()): a bound
 * against a hang, far beyond any reply's time. */
enum { WAIT_MS = 10000 };

struct conn {
	int fd;
	char *buf;	/* every byte received, NUL-terminated */
	size_t len;
	bool closed;	/* the peer closed (EOF, or a reset) */
	struct timespec deadline;
};

/* Opens c: a connection to d. */
static SUPPORT_UNUSED void
conn_open(struct conn *c, const struct daemon *d)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)d->port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*c = (struct conn){ .fd = socket(AF_INET, SOCK_STREAM, 0) };
	cr_assert(c->fd >= 0);
	cr_assert_eq(connect(c->fd, (struct sockaddr *)&a, sizeof(a)), 0,
	    "connect: %s", strerror(errno));
	c->buf = calloc(1, 1);
	cr_assert_not_null(c->buf);
}

static SUPPORT_UNUSED void
conn_close(struct conn *c)
{
	close(c->fd);
	free(c->buf);
}

/* Milliseconds left before the deadline, never negative. */
static SUPPORT_UNUSED int
remaining_ms(const struct conn *c)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(c->deadline.tv_sec - now.tv_sec) * 1000 +
	    (c->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* Sends bytes and restarts the wait for the reply. A peer that refuses
 * early may close before everything is sent: the reads judge that. */
static SUPPORT_UNUSED void
conn_send(struct conn *c, const char *bytes, size_t len)
{
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += WAIT_MS / 1000 * slowdown();
	while (len > 0) {
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };
		ssize_t n;

		if (poll(&p, 1, remaining_ms(c)) != 1)
			break;
		n = send(c->fd, bytes, len, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		bytes += n;
		len -= (size_t)n;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += WAIT_MS / 1000 * slowdown();
}

/* Waits for more bytes; false once the peer closed or the wait ran out. */
static SUPPORT_UNUSED bool
conn_more(struct conn *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	char chunk[16384];
	ssize_t n;

	if (c->closed || poll(&p, 1, remaining_ms(c)) != 1)
		return false;
	n = recv(c->fd, chunk, sizeof(chunk), 0);
	if (n <= 0) {	/* EOF, or a reset: closed either way */
		c->closed = true;
		return false;
	}
	c->buf = realloc(c->buf, c->len + (size_t)n + 1);
	cr_assert_not_null(c->buf);
	memcpy(c->buf + c->len, chunk, (size_t)n);
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	return true;
}

/* Reads until the peer closes or the wait runs out. */
static SUPPORT_UNUSED void
conn_drain(struct conn *c)
{
	while (conn_more(c))
		;
}

/* The reply stream, printable, for messages (one static buffer). */
static SUPPORT_UNUSED const char *
show(const struct conn *c)
{
	static char out[1400];
	size_t n = 0;

	for (size_t i = 0; i < c->len && n + 8 < sizeof(out); i++) {
		unsigned char ch = (unsigned char)c->buf[i];
		if (ch == '\r')
			n += (size_t)snprintf(out + n, sizeof(out) - n, "\\r");
		else if (ch == '\n')
			n += (size_t)snprintf(out + n, sizeof(out) - n, "\\n");
		else if (ch < 0x20 || ch >= 0x7f)
			n += (size_t)snprintf(out + n, sizeof(out) - n,
			    "\\x%02x", ch);
		else
			out[n++] = (char)ch;
	}
	out[n] = '\0';
	return out;
}

/* Responses that begin a line with "HTTP/1.1 " in the reply stream. */
static SUPPORT_UNUSED int
status_lines(const struct conn *c)
{
	int n = 0;

	for (size_t i = 0; i + 9 <= c->len; i++)
		if ((i == 0 || c->buf[i - 1] == '\n') &&
		    memcmp(c->buf + i, "HTTP/1.1 ", 9) == 0)
			n++;
	return n;
}

/* ------------------------------------------------------------------------
 * Responses parsed out of the stream.
 */

struct resp {
	int status;
	size_t start;	/* the status line */
	size_t head_end;	/* just past the empty line ending the fields */
	size_t end;	/* just past the body: where the next response starts */
	char *body;	/* decoded (chunked bodies are unchunked) */
	size_t body_len;
};

/* The value of field name in r, without surrounding whitespace, or NULL.
 * Caller frees. */
static SUPPORT_UNUSED char *
resp_field(const struct conn *c, const struct resp *r, const char *name)
{
	size_t n = strlen(name);
	const char *line = memchr(c->buf + r->start, '\n',
	    r->head_end - r->start);
	const char *end = c->buf + r->head_end;

	for (line = line != NULL ? line + 1 : end; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *v, *ve;

		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - line) > n && line[n] == ':' &&
		    strncasecmp(line, name, n) == 0) {
			for (v = line + n + 1; v < eol && (*v == ' ' ||
			    *v == '\t'); v++)
				;
			for (ve = eol; ve > v && (ve[-1] == '\r' ||
			    ve[-1] == ' ' || ve[-1] == '\t'); ve--)
				;
			return strndup(v, (size_t)(ve - v));
		}
		line = eol + 1;
	}
	return NULL;
}

/* Decodes a chunked body at off; false while it is incomplete. */
static SUPPORT_UNUSED bool
unchunk(const struct conn *c, size_t off, struct resp *r)
{
	const char *p = c->buf + off, *end = c->buf + c->len;
	char *body = NULL;
	size_t len = 0;

	for (;;) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		unsigned long size;
		char *stop;

		if (eol == NULL)
			goto incomplete;
		size = strtoul(p, &stop, 16);
		if (stop == p)
			goto incomplete;	/* not a chunk: never completes */
		p = eol + 2;
		if (size == 0)
			break;
		if ((size_t)(end - p) < size + 2)
			goto incomplete;
		body = realloc(body, len + size + 1);
		cr_assert_not_null(body);
		memcpy(body + len, p, size);
		len += size;
		p += size + 2;
	}
	for (;;) {	/* the trailer section, up to its empty line */
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (eol == NULL)
			goto incomplete;
		bool empty = eol == p;

		p = eol + 2;
		if (empty)
			break;
	}
	r->body = body != NULL ? body : calloc(1, 1);
	r->body_len = len;
	r->end = (size_t)(p - c->buf);
	return true;
incomplete:
	free(body);
	return false;
}

/*
 * Parses the response that starts at off in the stream; false while it is
 * incomplete (or is not a response). A response to HEAD, a 1xx, 204 or
 * 304 has no body; otherwise Transfer-Encoding: chunked, Content-Length,
 * or the rest of the stream once the peer closed frame it.
 */
static SUPPORT_UNUSED bool
parse_response(const struct conn *c, size_t off, bool head, struct resp *r)
{
	const char *at = c->buf + off, *blank;
	char *te, *cl;
	bool done;

	*r = (struct resp){ .start = off };
	if (c->len < off + 12 || memcmp(at, "HTTP/1.", 7) != 0)
		return false;
	blank = memmem(at, c->len - off, "\r\n\r\n", 4);
	if (blank == NULL)
		return false;
	r->status = atoi(at + 9);
	r->head_end = (size_t)(blank + 4 - c->buf);
	if (head || r->status / 100 == 1 || r->status == 204 ||
	    r->status == 304) {
		r->body = calloc(1, 1);
		r->end = r->head_end;
		return true;
	}
	te = resp_field(c, r, "Transfer-Encoding");
	cl = resp_field(c, r, "Content-Length");
	if (te != NULL && strcasestr(te, "chunked") != NULL)
		done = unchunk(c, r->head_end, r);
	else if (cl != NULL) {
		size_t n = (size_t)strtoull(cl, NULL, 10);
		done = c->len - r->head_end >= n;
		if (done) {
			r->body = malloc(n + 1);
			cr_assert_not_null(r->body);
			memcpy(r->body, c->buf + r->head_end, n);
			r->body[n] = '\0';
			r->body_len = n;
			r->end = r->head_end + n;
		}
	} else {
		done = c->closed;
		if (done) {
			r->body_len = c->len - r->head_end;
			r->body = strndup(c->buf + r->head_end, r->body_len);
			r->end = c->len;
		}
	}
	free(te);
	free(cl);
	return done;
}

/* Reads until a whole response is in at off; false when none came. */
static SUPPORT_UNUSED bool
conn_response(struct conn *c, size_t off, bool head, struct resp *r)
{
	for (;;) {
		if (parse_response(c, off, head, r))
			return true;
		if (!conn_more(c))
			return parse_response(c, off, head, r);
	}
}

static SUPPORT_UNUSED void
resp_free(struct resp *r)
{
	free(r->body);
	r->body = NULL;
}


/* The response carries Access-Control-Allow-Origin: *. */
static SUPPORT_UNUSED void
assert_cors(const char *name, const struct conn *c, const struct resp *r)
{
	char *acao = resp_field(c, r, "Access-Control-Allow-Origin");

	cr_assert(acao != NULL && strcmp(acao, "*") == 0, "%s: %d without "
	    "Access-Control-Allow-Origin: *: %s", name, r->status, show(c));
	free(acao);
}

static const char follow_up[] SUPPORT_UNUSED = "GET /healthz HTTP/1.1\r\n"
    "Host: x\r\nConnection: close\r\n\r\n";


/*
 * Sends `method target` with extra fields (each ending \r\n) to d on a
 * fresh connection, followed by GET /healthz with Connection: close, and
 * reads both replies. The first response's framing must be exact: the
 * second status line starts right where the first response ends (for a
 * HEAD, right after its empty line).
 */
static SUPPORT_UNUSED void
exchange(const struct daemon *d, const char *method, const char *target,
    const char *extra, struct conn *c, struct resp *r)
{
	char request[2048];
	struct resp next;
	int n;

	n = snprintf(request, sizeof(request), "%s %s HTTP/1.1\r\nHost: x\r\n"
	    "%s\r\n%s", method, target, extra, follow_up);
	cr_assert(n > 0 && (size_t)n < sizeof(request));
	conn_open(c, d);
	conn_send(c, request, (size_t)n);
	conn_drain(c);
	cr_assert(parse_response(c, 0, strcmp(method, "HEAD") == 0, r),
	    "%s %s: no whole response: %s", method, target, show(c));
	cr_assert(c->len - r->end >= 9 && memcmp(c->buf + r->end,
	    "HTTP/1.1 ", 9) == 0, "%s %s %s: the next response does not "
	    "start where the first ends (a body where none belongs, or a "
	    "wrong length?): %s", method, target, extra, show(c));
	cr_assert(parse_response(c, r->end, false, &next) && next.status ==
	    200, "%s %s: the follow-up was not answered 200: %s", method,
	    target, show(c));
	resp_free(&next);
	assert_cors(target, c, r);
}

static SUPPORT_UNUSED void
exchange_done(struct conn *c, struct resp *r)
{
	resp_free(r);
	conn_close(c);
}

#endif
