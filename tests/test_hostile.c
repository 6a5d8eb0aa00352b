/* Hostile input: a battery of bad requests, each answered with the right
 * status and a problem document, after which the daemon still serves the
 * exact data. Plus slow clients, a bounded load, and conflicting framing. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

static struct daemon server;

static void
start(void)
{
	daemon_start(&server, env_or_die("ACCORD_DB"), "--per-ip-limit", "2000",
	    "--connection-limit", "2000", NULL);
}

static void
stop(void)
{
	daemon_stop(&server);
}

/* The daemon still answers a real request with the article's bytes. */
static void
assert_still_serving(void)
{
	char path[1024], *bytes;
	size_t len;
	struct http r;

	snprintf(path, sizeof(path), "%s/data/corpus/000_d5feada183bc4b1a.txt",
	    repo_root());
	bytes = slurp(path, &len);
	http_get(&server, "/sources/scmp-china-us-test-cyberthreat-defences/text",
	    &r);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.len, len);
	cr_assert_eq(memcmp(r.body, bytes, len), 0);
	free(bytes);
	http_free(&r);
}

/* Criterion copies parameters into another process image: no pointers. */
struct bad {
	char name[48];
	char method[8];
	char target[160];
	char headers[96];	/* extra header lines, each ending \r\n */
	int status;
};

static struct bad battery[] = {
	{ "nul in the path", "GET", "/sources%00", "", 400 },
	{ "nul in the query", "GET", "/search?q=a%00b", "", 400 },
	{ "bad escape", "GET", "/sources%zz", "", 400 },
	{ "truncated escape", "GET", "/sources%4", "", 400 },
	{ "lone percent", "GET", "/claims?sort=%", "", 400 },
	{ "overlong utf-8 slash", "GET", "/sources/%C0%AF", "", 400 },
	{ "utf-16 surrogate", "GET", "/sources/%ED%A0%80", "", 400 },
	{ "invalid utf-8 byte", "GET", "/search?q=%FF", "", 400 },
	{ "dot-dot segment", "GET", "/sources/../etc/passwd", "", 400 },
	{ "escaped dot-dot", "GET", "/sources/%2e%2e/x", "", 400 },
	{ "dot segment", "GET", "/./sources", "", 400 },
	{ "escaped slash", "GET", "/sources%2Fx", "", 400 },
	{ "fragment", "GET", "/sources#x", "", 400 },
	{ "duplicate parameter", "GET", "/claims?limit=1&limit=2", "", 400 },
	{ "nameless parameter", "GET", "/claims?=1", "", 400 },
	{ "too many parameters", "GET", "/claims?a=1&b=2&c=3&d=4&e=5&f=6&g=7"
	    "&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17", "", 400 },
	{ "unknown parameter", "GET", "/sources?colour=red", "", 400 },
	{ "upper-case id", "GET", "/sources/SCMP", "", 400 },
	{ "underscore id", "GET", "/participants/guo_shengkun", "", 400 },
	{ "double hyphen id", "GET", "/claims/a--b", "", 400 },
	{ "65-character id", "GET", "/outcomes/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", 400 },
	{ "unknown id", "GET", "/agreements/no-such-agreement", "", 404 },
	{ "unknown route", "GET", "/admin", "", 404 },
	{ "limit zero", "GET", "/claims?limit=0", "", 400 },
	{ "limit negative", "GET", "/claims?limit=-1", "", 400 },
	{ "limit too large", "GET", "/claims?limit=100000000000000000000", "",
	    400 },
	{ "limit not a number", "GET", "/claims?limit=1e3", "", 400 },
	{ "unknown sort field", "GET", "/claims?sort=secret", "", 400 },
	{ "sort on five fields", "GET", "/claims?sort=id,subject,disputed,"
	    "corroboration,id", "", 400 },
	{ "garbage cursor", "GET", "/claims?cursor=%27%3B--", "", 400 },
	{ "forged cursor", "GET", "/claims?cursor=eyJzIjoiIiwiayI6WyJ4Il19",
	    "", 400 },
	{ "bad boolean", "GET", "/claims?disputed=maybe", "", 400 },
	{ "impossible date", "GET", "/agreements?date_from=2015-02-30", "",
	    400 },
	{ "bad enum", "GET", "/outcomes?status=DROP", "", 400 },
	{ "bad country", "GET", "/participants?country=cn", "", 400 },
	{ "bad unit", "GET", "/sources/scmp-china-us-test-cyberthreat-defences/"
	    "text?unit=lines", "", 400 },
	{ "excerpt past the end", "GET", "/sources/scmp-china-us-test-"
	    "cyberthreat-defences/text?start=0&end=999999", "", 400 },
	{ "bad search syntax", "GET", "/search?q=%22open", "", 400 },
	{ "empty search", "GET", "/search?q=", "", 400 },
	{ "delete", "DELETE", "/sources", "", 405 },
	{ "put", "PUT", "/claims/x", "Content-Length: 0\r\n", 405 },
	{ "patch", "PATCH", "/outcomes", "", 405 },
	{ "body on get", "GET", "/sources", "Content-Length: 5\r\n\r\nhello",
	    400 },
	{ "unsatisfiable range", "GET", "/sources/scmp-china-us-test-"
	    "cyberthreat-defences/text", "Range: bytes=99999-\r\n", 416 },
};

ParameterizedTestParameters(hostile, battery)
{
	return cr_make_param_array(struct bad, battery,
	    sizeof(battery) / sizeof(battery[0]));
}

ParameterizedTest(struct bad *c, hostile, battery, .init = start,
    .fini = stop, .timeout = 30)
{
	char request[4096], *reply, *body;
	json_t *doc;
	int n, status;

	n = snprintf(request, sizeof(request), "%s %s HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n%s%s", c->method, c->target, c->headers,
	    strstr(c->headers, "\r\n\r\n") != NULL ? "" : "\r\n");
	status = raw_request(&server, request, (size_t)n, &reply, 5000);
	cr_assert_eq(status, c->status, "%s: %s", c->name, reply);
	body = strstr(reply, "\r\n\r\n");
	cr_assert_not_null(body);
	cr_assert_not_null(strcasestr(reply, "Content-Type: application/"
	    "problem+json"), "%s: %s", c->name, reply);
	doc = json_loads(body + 4, 0, NULL);
	cr_assert_not_null(doc, "%s: not JSON: %s", c->name, body + 4);
	cr_assert_eq(json_integer_value(json_object_get(doc, "status")),
	    c->status);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "type")),
	    "about:blank");
	cr_assert_not_null(json_string_value(json_object_get(doc, "detail")));
	json_decref(doc);
	free(reply);
	assert_still_serving();
}

Test(hostile, an_overlong_target_gets_414, .init = start, .fini = stop)
{
	static char request[8192];
	char *reply;
	int n;

	n = snprintf(request, sizeof(request), "GET /sources?q=");
	memset(request + n, 'a', 3000);
	n += 3000;
	n += snprintf(request + n, sizeof(request) - (size_t)n, " HTTP/1.1\r\n"
	    "Host: x\r\nConnection: close\r\n\r\n");
	cr_assert_eq(raw_request(&server, request, (size_t)n, &reply, 5000),
	    414, "%s", reply);
	free(reply);
	assert_still_serving();
}

Test(hostile, conflicting_length_and_chunking_are_refused, .init = start,
    .fini = stop)
{
	static const char request[] = "GET /sources HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"
	    "Connection: close\r\n\r\n0\r\n\r\n";
	char *reply;
	int status;

	status = raw_request(&server, request, sizeof(request) - 1, &reply,
	    5000);
	cr_assert_eq(status, 400, "%s", reply);
	free(reply);
	assert_still_serving();
}

/*
 * A head of 8 KiB in 64 fields, with a long Host (in the answer's Link
 * header too), fits the per-connection memory (16 KiB by default) with
 * the answer's own head: it is served whole.
 */
Test(hostile, a_head_of_8_kib_in_64_fields_is_served, .init = start,
    .fini = stop)
{
	static char request[8192 + 1];
	char host[201], *reply;
	int n, status;

	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	n = snprintf(request, sizeof(request), "GET /claims?limit=1&"
	    "sort=-corroboration HTTP/1.1\r\nHost: %s\r\n"
	    "Connection: close\r\n", host);
	for (int i = 0; i < 61; i++)
		n += snprintf(request + n, sizeof(request) - (size_t)n,
		    "X-Field-%02d: v\r\n", i);
	n += snprintf(request + n, sizeof(request) - (size_t)n, "X-Pad: ");
	memset(request + n, 'p', sizeof(request) - 1 - (size_t)n - 4);
	memcpy(request + sizeof(request) - 5, "\r\n\r\n", 4);
	n = (int)sizeof(request) - 1;
	status = raw_request(&server, request, (size_t)n, &reply, 5000);
	cr_assert_eq(status, 200, "status %d: %.200s", status, reply);
	cr_assert_not_null(strstr(reply, "\r\nLink: <http://hhh"),
	    "the Link header: %.600s", reply);
	cr_assert_not_null(strstr(reply, "\"items\""), "the body came");
	free(reply);
}

Test(hostile, oversized_headers_are_refused, .init = start, .fini = stop)
{
	static char request[200000];
	char *reply;
	int n, status;

	n = snprintf(request, sizeof(request), "GET /sources HTTP/1.1\r\n"
	    "Host: x\r\nX-Big: ");
	memset(request + n, 'b', 150000);
	n += 150000;
	n += snprintf(request + n, sizeof(request) - (size_t)n,
	    "\r\nConnection: close\r\n\r\n");
	status = raw_request(&server, request, (size_t)n, &reply, 5000);
	cr_assert(status == 431 || status == 413 || status == 400,
	    "status %d", status);
	free(reply);
	assert_still_serving();
}

/* Returns true when the peer closed fd (an end of file or a reset is
 * waiting to be read); never blocks. */
static bool
peer_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char byte;

	return poll(&p, 1, 0) == 1 && recv(fd, &byte, 1, MSG_DONTWAIT) <= 0;
}

/*
 * Slowloris: 300 connections each holding half a request line. A request
 * is then answered while every one of them is still open: its answer did
 * not wait for any to be cut off (their head deadline and idle timeout
 * are an hour here), so they did not starve it. No clock is read.
 */
Test(hostile, hundreds_of_idle_connections_do_not_starve_a_request,
    .timeout = 60)
{
	enum { IDLE = 300 };
	int fds[IDLE];
	struct daemon saved = server;

	daemon_start(&server, env_or_die("ACCORD_DB"), "--per-ip-limit",
	    "2000", "--connection-limit", "2000", "--header-timeout", "3600",
	    "--connection-timeout", "3600", NULL);
	for (int i = 0; i < IDLE; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET,
		    .sin_port = htons((uint16_t)server.port) };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		cr_assert(fds[i] >= 0);
		cr_assert_eq(connect(fds[i], (struct sockaddr *)&a, sizeof(a)),
		    0);
		/* Half a request line, then silence (slowloris). */
		send(fds[i], "GET /sour", 9, MSG_NOSIGNAL);
	}
	assert_still_serving();
	for (int i = 0; i < IDLE; i++) {
		cr_assert_not(peer_closed(fds[i]), "idle connection %d was cut "
		    "off before the request was answered", i);
		close(fds[i]);
	}
	daemon_stop(&server);
	server = saved;
}

/* VmRSS of a process, in kB. */
static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	fclose(f);
	return kb;
}

struct load {
	int port;
	int requests;
	int errors;	/* requests that failed or were not 200 */
};

static void *
hammer(void *arg)
{
	static const char *const paths[] = { "/outcomes", "/claims?limit=5",
	    "/sources/scmp-china-us-test-cyberthreat-defences",
	    "/search?q=tabletop", "/participants?kind=person" };
	struct load *l = arg;
	CURL *c = curl_easy_init();
	char url[256];

	for (int i = 0; i < l->requests; i++) {
		struct buffer sink = { 0 };
		long status = 0;
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", l->port,
		    paths[i % 5]);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
		if (curl_easy_perform(c) != CURLE_OK ||
		    (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status),
		    status != 200))
			l->errors++;
		free(sink.buf);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static int
run_load(int threads, int each)
{
	pthread_t t[8];
	struct load l[8];
	int errors = 0;

	for (int i = 0; i < threads; i++) {
		l[i] = (struct load){ server.port, each, 0 };
		pthread_create(&t[i], NULL, hammer, &l[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		errors += l[i].errors;
	}
	return errors;
}

/*
 * Memory stays flat under load: once a warm-up has filled the response
 * cache and each worker's record memo, 16,000 more requests may grow the
 * daemon's RSS by at most 2 MiB. The margins are wide both ways: the
 * growth seen is under 0.1 MiB (the daemon's whole RSS is about 9 MiB),
 * while a leak of 128 bytes a request, less than any body or record
 * served here, would exceed the bound, and a leaked body (5 to 20 kB
 * each) would exceed it a hundred times over.
 */
Test(hostile, a_bounded_load_has_no_errors_and_flat_memory, .init = start,
    .fini = stop, .timeout = 120)
{
	enum { THREADS = 4, EACH = 4000, BOUND_KB = 2048 };
	int slow = getenv("ACCORD_SANITIZED") != NULL;
	long warm, after;

	cr_assert_eq(run_load(THREADS, slow ? 20 : 250), 0,
	    "errors in the warm-up");
	warm = rss_kb(server.pid);
	cr_assert_eq(run_load(THREADS, slow ? 100 : EACH), 0,
	    "errors under load");
	after = rss_kb(server.pid);
	/* Under ASan or valgrind, freed memory is held in quarantine and RSS
	 * grows regardless; there the leak checkers judge memory instead. */
	if (!slow)
		cr_assert_lt(after - warm, BOUND_KB, "RSS grew from %ld kB to "
		    "%ld kB over %d requests (%ld bytes a request)", warm,
		    after, THREADS * EACH, (after - warm) * 1024 /
		    (THREADS * EACH));
}

/* A large reply (about 320 kB): more than the kernel buffers between a
 * client that does not read and the daemon (its SO_SNDBUF is 64 kB). */
#define LARGE "/annotations?limit=500&pretty=1"

/* A request in flight: its reply's head has come, its body is still
 * being sent. */
struct in_flight {
	int fd;
	size_t length;		/* its Content-Length */
	size_t got;		/* body bytes read */
};

/*
 * Asks for LARGE on a connection with a small receive buffer and reads
 * the reply's head only: the daemon is then in the middle of sending the
 * body, blocked on the full socket.
 */
static struct in_flight
start_in_flight(const struct daemon *d)
{
	static const char req[] = "GET " LARGE " HTTP/1.1\r\nHost: x\r\n\r\n";
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)d->port) };
	struct in_flight f = { .fd = socket(AF_INET, SOCK_STREAM, 0) };
	char head[8192];
	size_t n = 0;
	int small = 4096;
	char *cl;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(f.fd >= 0);
	setsockopt(f.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	cr_assert_eq(connect(f.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(send(f.fd, req, sizeof(req) - 1, MSG_NOSIGNAL),
	    (ssize_t)sizeof(req) - 1);
	/* One byte at a time up to the blank line: no more is read. */
	while (n < sizeof(head) - 1 && (n < 4 || memcmp(head + n - 4,
	    "\r\n\r\n", 4) != 0)) {
		struct pollfd p = { .fd = f.fd, .events = POLLIN };
		cr_assert_eq(poll(&p, 1, 30000 * slowdown()), 1,
		    "no reply head came");
		cr_assert_eq(recv(f.fd, head + n, 1, 0), 1, "the reply ended "
		    "in its head");
		n++;
	}
	head[n] = '\0';
	cr_assert(strncmp(head, "HTTP/1.1 200 ", 13) == 0, "%s", head);
	cl = strcasestr(head, "\r\nContent-Length:");
	cr_assert_not_null(cl, "%s", head);
	f.length = (size_t)atol(cl + 17);
	return f;
}

/* Reads the rest of an in-flight reply until the daemon ends it; true
 * when the whole body came. */
static bool
finish_in_flight(struct in_flight *f)
{
	char buf[65536];
	ssize_t n;
	struct pollfd p = { .fd = f->fd, .events = POLLIN };

	while (f->got < f->length && poll(&p, 1, 30000 * slowdown()) == 1 &&
	    (n = recv(f->fd, buf, sizeof(buf), 0)) > 0)
		f->got += (size_t)n;
	close(f->fd);
	return f->got == f->length;
}

/* A client sending requests one after the other on a kept connection
 * until the daemon stops listening, sorting what became of each. */
struct client {
	int port;
	atomic_int answered;	/* a 200 with its whole body */
	int unanswered;		/* a connection reset before any reply */
	int cut;		/* a reply cut short, or none in time */
	int other;		/* any other status */
	bool refused;		/* the last: the port no longer listens */
};

static void *
client_run(void *arg)
{
	static const char *const paths[] = { "/outcomes", "/claims?limit=5",
	    "/sources/scmp-china-us-test-cyberthreat-defences",
	    "/search?q=tabletop", "/participants?kind=person" };
	struct client *cl = arg;
	CURL *c = curl_easy_init();
	char url[256];

	for (int i = 0; !cl->refused && i < 1000000; i++) {
		struct buffer sink = { 0 };
		long status = 0, head_bytes = 0;
		CURLcode rc;

		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", cl->port,
		    paths[i % 5]);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L * slowdown());
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &head_bytes);
		if (rc == CURLE_OK && status == 200)
			atomic_fetch_add(&cl->answered, 1);
		else if (rc == CURLE_COULDNT_CONNECT)
			cl->refused = true;
		else if ((rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
		    rc == CURLE_SEND_ERROR) && head_bytes == 0)
			/* Reset before any reply: a connection still in the
			 * kernel's backlog when the daemon stopped listening. */
			cl->unanswered++;
		else if (rc != CURLE_OK)
			cl->cut++;	/* cut short, or never answered */
		else
			cl->other++;
		free(sink.buf);
	}
	curl_easy_cleanup(c);
	return NULL;
}

/*
 * SIGTERM while replies are being sent and clients keep asking: the
 * daemon stops listening, finishes every reply it had begun (each body
 * whole, however long the client takes to read it: the drain deadline
 * is an hour here), cuts none short, and exits 0.
 */
Test(hostile, sigterm_under_load_finishes_in_flight_and_exits_zero,
    .timeout = 120)
{
	enum { STALLED = 4, CLIENTS = 4 };
	struct daemon d;
	struct in_flight f[STALLED];
	struct client cl[CLIENTS];
	pthread_t t[CLIENTS];
	int st, answered = 0, unanswered = 0;

	daemon_start(&d, env_or_die("ACCORD_DB"), "--drain-timeout", "3600",
	    NULL);
	for (int i = 0; i < STALLED; i++)
		f[i] = start_in_flight(&d);
	for (int i = 0; i < CLIENTS; i++) {
		cl[i] = (struct client){ .port = d.port };
		atomic_init(&cl[i].answered, 0);
		cr_assert_eq(pthread_create(&t[i], NULL, client_run, &cl[i]),
		    0);
	}
	/* The signal comes once every client has had answers. */
	for (int i = 0; i < CLIENTS; i++)
		cr_assert(eventually(atomic_load(&cl[i].answered) >= 5, 30),
		    "client %d got no answers", i);
	kill(d.pid, SIGTERM);
	for (int i = 0; i < STALLED; i++)
		cr_assert(finish_in_flight(&f[i]), "reply %d in flight was cut "
		    "after %zu of %zu bytes", i, f[i].got, f[i].length);
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
		cr_assert(cl[i].refused, "client %d: the port still listens",
		    i);
		cr_assert_eq(cl[i].cut, 0, "client %d: %d replies cut short", i,
		    cl[i].cut);
		cr_assert_eq(cl[i].other, 0, "client %d: %d replies not 200", i,
		    cl[i].other);
		answered += atomic_load(&cl[i].answered);
		unanswered += cl[i].unanswered;
	}
	cr_assert_eq(waitpid(d.pid, &st, 0), d.pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	cr_log_info("%d replies answered, %d connections reset unanswered",
	    answered, unanswered);
	unlink(d.log);
}

/* Behind a proxy or a NAT every client shares one address: with default
 * settings, 200 idle connections from it must not lock out a request. */
Test(hostile, idle_connections_from_one_address_do_not_lock_it_out,
    .timeout = 60)
{
	enum { IDLE = 200 };
	struct daemon plain;
	int fds[IDLE];
	struct http r;

	daemon_start(&plain, env_or_die("ACCORD_DB"), NULL);
	for (int i = 0; i < IDLE; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET,
		    .sin_port = htons((uint16_t)plain.port) };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		cr_assert(fds[i] >= 0);
		cr_assert_eq(connect(fds[i], (struct sockaddr *)&a, sizeof(a)),
		    0);
	}
	http_get(&plain, "/healthz", &r);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(r.body, "{\"status\":\"ok\"}");
	http_free(&r);
	for (int i = 0; i < IDLE; i++)
		close(fds[i]);
	daemon_stop(&plain);
}
