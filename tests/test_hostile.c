/* Hostile input: a battery of bad requests, each answered with the right
 * status and a problem document, after which the daemon still serves the
 * exact data. Plus slow clients, a bounded load, and conflicting framing. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>
#include <pthread.h>
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

Test(hostile, hundreds_of_idle_connections_do_not_starve_a_request,
    .init = start, .fini = stop, .timeout = 60)
{
	enum { IDLE = 300 };
	int fds[IDLE];
	struct timespec t0, t1;
	double ms;

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
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_still_serving();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	cr_assert_lt(ms, 1000, "a normal request took %.0f ms", ms);
	for (int i = 0; i < IDLE; i++)
		close(fds[i]);
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

Test(hostile, a_bounded_load_has_no_errors_and_flat_memory, .init = start,
    .fini = stop, .timeout = 120)
{
	int slow = getenv("ACCORD_SANITIZED") != NULL;
	long warm, after;

	cr_assert_eq(run_load(4, slow ? 20 : 250), 0, "errors in the warm-up");
	warm = rss_kb(server.pid);
	cr_assert_eq(run_load(4, slow ? 100 : 1000), 0, "errors under load");
	after = rss_kb(server.pid);
	/* Under ASan or valgrind, freed memory is held in quarantine and RSS
	 * grows regardless; there the leak checkers judge memory instead. */
	if (getenv("ACCORD_SANITIZED") == NULL)
		cr_assert_lt(after - warm, 4096, "RSS grew from %ld kB to %ld kB",
		    warm, after);
}

Test(hostile, sigterm_under_load_finishes_in_flight_and_exits_zero,
    .init = start, .timeout = 60)
{
	pthread_t t;
	struct load l = { server.port, 400, 0 };

	pthread_create(&t, NULL, hammer, &l);
	usleep(100 * 1000);
	cr_assert_eq(daemon_signal_wait(&server, SIGTERM), 0);
	pthread_join(t, NULL);
	cr_assert_lt(l.errors, 400, "some requests were answered");
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
