/*
 * Exact HTTP edge cases over raw sockets (the connection and response
 * parser of support.h): ETags that tell bodies apart, down to one byte
 * deep inside a large one; Range at the last byte; a stale If-Range; Vary
 * on identity bodies; HEAD framing on the wire; and a reload that never
 * serves a body cached from the old database.
 *
 * Most cases run on the bundled database. The others build two databases
 * of one long article ("long", about 240 KB) that differ in one character
 * in its middle, A and B, and serve them side by side or one after the
 * other.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

/* A 200 for target on d: its ETag and body (caller frees both with
 * got_free). extra: more header fields, each ending \r\n. */
struct got {
	char *etag;
	char *body;
	size_t len;
};

static void
get(const struct daemon *d, const char *target, const char *extra,
    struct got *g)
{
	struct conn c;
	struct resp r;

	exchange(d, "GET", target, extra, &c, &r);
	cr_assert_eq(r.status, 200, "GET %s %s: %s", target, extra, show(&c));
	g->etag = resp_field(&c, &r, "ETag");
	cr_assert(g->etag != NULL && g->etag[0] == '"', "GET %s: no strong "
	    "ETag: %s", target, show(&c));
	g->body = r.body;
	g->len = r.body_len;
	r.body = NULL;
	exchange_done(&c, &r);
}

static void
got_free(struct got *g)
{
	free(g->etag);
	free(g->body);
}

/* The path of the bundled corpus's n-th source's text (from 0). */
static void
text_target(int n, char *out, size_t size)
{
	struct got g;
	json_t *doc;
	const char *id;

	get(&server, "/sources?limit=2", "", &g);
	doc = json_loadb(g.body, g.len, 0, NULL);
	id = json_string_value(json_object_get(json_array_get(json_object_get(
	    doc, "items"), (size_t)n), "id"));
	cr_assert_not_null(id);
	snprintf(out, size, "/sources/%s/text", id);
	json_decref(doc);
	got_free(&g);
}

/* ------------------------------------------------------------------------
 * ETags.
 */

Test(edges, different_bodies_have_different_etags_and_none_validates_another,
    .init = server_start, .fini = server_stop, .timeout = 60)
{
	char targets[4][512], extra[256];
	struct got g[4];
	json_t *page;

	text_target(0, targets[0], sizeof(targets[0]));
	text_target(1, targets[1], sizeof(targets[1]));
	/* Two pages of /annotations: the same first hundred bytes. */
	snprintf(targets[2], sizeof(targets[2]), "/annotations?limit=1");
	get(&server, targets[2], "", &g[2]);
	page = json_loadb(g[2].body, g[2].len, 0, NULL);
	cr_assert(json_is_string(json_object_get(page, "next")));
	/* next is absolute: its target is what follows the authority. */
	snprintf(targets[3], sizeof(targets[3]), "%s", strstr(
	    json_string_value(json_object_get(page, "next")) + 7, "/"));
	json_decref(page);
	got_free(&g[2]);
	for (int i = 0; i < 4; i++)
		get(&server, targets[i], "", &g[i]);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++) {
			struct conn c;
			struct resp r;

			if (i == j)
				continue;
			cr_assert(g[i].len != g[j].len || memcmp(g[i].body,
			    g[j].body, g[i].len) != 0);
			cr_assert_str_neq(g[i].etag, g[j].etag, "%s and %s: "
			    "different bodies, one ETag", targets[i],
			    targets[j]);
			snprintf(extra, sizeof(extra), "If-None-Match: %s\r\n",
			    g[i].etag);
			exchange(&server, "GET", targets[j], extra, &c, &r);
			cr_assert_eq(r.status, 200, "the ETag of %s validated %s:"
			    " %s", targets[i], targets[j], show(&c));
			cr_assert(r.body_len == g[j].len && memcmp(r.body,
			    g[j].body, r.body_len) == 0);
			exchange_done(&c, &r);
		}
	/* Its own ETag does validate each. */
	for (int i = 0; i < 4; i++) {
		struct conn c;
		struct resp r;

		snprintf(extra, sizeof(extra), "If-None-Match: %s\r\n",
		    g[i].etag);
		exchange(&server, "GET", targets[i], extra, &c, &r);
		cr_assert_eq(r.status, 304, "%s: %s", targets[i], show(&c));
		exchange_done(&c, &r);
		got_free(&g[i]);
	}
}

/* The gzip body is another representation: the identity body's ETag does
 * not validate it (RFC 9110 §8.8.3). */
Test(edges, the_identity_etag_does_not_validate_the_gzip_body,
    .init = server_start, .fini = server_stop, .timeout = 60)
{
	struct got identity;
	char extra[256], *etag, *coding;
	struct conn c;
	struct resp r;

	get(&server, "/sources", "", &identity);
	snprintf(extra, sizeof(extra), "Accept-Encoding: gzip\r\n"
	    "If-None-Match: %s\r\n", identity.etag);
	exchange(&server, "GET", "/sources", extra, &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	coding = resp_field(&c, &r, "Content-Encoding");
	etag = resp_field(&c, &r, "ETag");
	cr_assert(coding != NULL && strcmp(coding, "gzip") == 0);
	cr_assert(etag != NULL && strcmp(etag, identity.etag) != 0);
	free(coding);
	free(etag);
	exchange_done(&c, &r);
	got_free(&identity);
}

/* Two data directories and their databases: one article "long" whose two
 * versions differ in the one byte at `at`, deep inside. */
struct pair {
	char *dir;
	char db[2][512];
	char *text[2];
	size_t len;
	size_t at;
};

static void
pair_build(struct pair *p)
{
	static const char line[] = "Line %05zu: the delegation met \xE2\x80\x9C"
	    "at length\xE2\x80\x9D \xE2\x80\x94 and again.\n";
	size_t cap = 5000 * 80, n = 0;
	char path[1024], sha[65], doc[512];

	p->dir = temp_dir();
	p->text[0] = malloc(cap);
	cr_assert_not_null(p->text[0]);
	n = (size_t)sprintf(p->text[0], "Opening: Ada Quill reports.\n");
	for (size_t i = 0; i < 4000; i++)
		n += (size_t)sprintf(p->text[0] + n, line, i);
	p->len = n;
	/* The 'm' of the first "met" past the middle becomes 'M'. */
	p->at = (size_t)(strstr(p->text[0] + n / 2, " met ") - p->text[0]) + 1;
	p->text[1] = malloc(n + 1);
	cr_assert_not_null(p->text[1]);
	memcpy(p->text[1], p->text[0], n + 1);
	p->text[1][p->at] = 'M';
	for (int v = 0; v < 2; v++) {
		char data[600];

		snprintf(data, sizeof(data), "%s/%c", p->dir, 'a' + v);
		cr_assert_eq(run("mkdir -p '%s/corpus' '%s/annotations'", data,
		    data), 0);
		snprintf(path, sizeof(path), "%s/corpus/long.txt", data);
		spit(path, p->text[v], p->len);
		digest_sha256_hex(p->text[v], p->len, sha);
		snprintf(doc, sizeof(doc), "{\"sources\": [{\"id\": \"long\", "
		    "\"file\": \"corpus/long.txt\", \"sha256\": \"%s\"}]}", sha);
		snprintf(path, sizeof(path), "%s/sources.json", data);
		spit(path, doc, strlen(doc));
		snprintf(doc, sizeof(doc), "{\"participants\": [{\"id\": "
		    "\"ada-quill\", \"name\": \"Ada Quill\", \"kind\": "
		    "\"person\", \"role\": \"commentator\"}]}");
		snprintf(path, sizeof(path), "%s/annotations/a.json", data);
		spit(path, doc, strlen(doc));
		snprintf(p->db[v], sizeof(p->db[v]), "%s/%c.db", p->dir,
		    'a' + v);
		cr_assert_eq(run("'%s' load --data '%s' --db '%s' 2>/dev/null",
		    env_or_die("ACCORD_BIN"), data, p->db[v]), 0);
	}
}

static void
pair_free(struct pair *p)
{
	run("rm -rf '%s'", p->dir);
	free(p->dir);
	free(p->text[0]);
	free(p->text[1]);
}

Test(edges, an_etag_changes_when_one_byte_deep_inside_a_large_body_changes,
    .timeout = 60)
{
	struct pair p;
	struct daemon d[2];
	struct got text[2], zipped[2], detail[2];
	char extra[256];
	struct conn c;
	struct resp r;

	pair_build(&p);
	cr_assert_gt(p.at, 64 * 1024, "the byte is deep inside");
	cr_assert_gt(p.len - p.at, 64 * 1024);
	for (int v = 0; v < 2; v++) {
		daemon_start(&d[v], p.db[v], NULL);
		get(&d[v], "/sources/long/text", "", &text[v]);
		get(&d[v], "/sources/long/text", "Accept-Encoding: gzip\r\n",
		    &zipped[v]);
		get(&d[v], "/sources/long", "", &detail[v]);
		cr_assert(text[v].len == p.len && memcmp(text[v].body,
		    p.text[v], p.len) == 0, "daemon %d does not serve its "
		    "text", v);
	}
	cr_assert_str_neq(text[0].etag, text[1].etag, "one byte of %zu "
	    "differs at %zu; the ETags do not", p.len, p.at);
	cr_assert_str_neq(zipped[0].etag, zipped[1].etag);
	cr_assert_str_neq(detail[0].etag, detail[1].etag);
	/* A's tag is not B's body's. */
	snprintf(extra, sizeof(extra), "If-None-Match: %s\r\n", text[0].etag);
	exchange(&d[1], "GET", "/sources/long/text", extra, &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	cr_assert(r.body_len == p.len && memcmp(r.body, p.text[1], p.len) ==
	    0);
	exchange_done(&c, &r);
	for (int v = 0; v < 2; v++) {
		got_free(&text[v]);
		got_free(&zipped[v]);
		got_free(&detail[v]);
		daemon_stop(&d[v]);
	}
	pair_free(&p);
}

/* ------------------------------------------------------------------------
 * Ranges (RFC 9110 §14).
 */

/* If-Range with the ETag of the text before its one byte changed: the
 * Range is ignored and the whole current body sent (§13.1.5). */
Test(edges, a_stale_if_range_gets_the_whole_body, .timeout = 60)
{
	struct pair p;
	struct daemon d[2];
	struct got old, now;
	char extra[512], *range;
	struct conn c;
	struct resp r;

	pair_build(&p);
	daemon_start(&d[0], p.db[0], NULL);
	daemon_start(&d[1], p.db[1], NULL);
	get(&d[0], "/sources/long/text", "", &old);
	get(&d[1], "/sources/long/text", "", &now);
	snprintf(extra, sizeof(extra), "If-Range: %s\r\nRange: bytes=0-9\r\n",
	    old.etag);
	exchange(&d[1], "GET", "/sources/long/text", extra, &c, &r);
	cr_assert_eq(r.status, 200, "a stale If-Range: %s", show(&c));
	range = resp_field(&c, &r, "Content-Range");
	cr_assert_null(range, "a 200 with Content-Range %s", range);
	cr_assert(r.body_len == p.len && memcmp(r.body, p.text[1], p.len) == 0,
	    "not the whole current body");
	exchange_done(&c, &r);
	/* The current ETag keeps the Range. */
	snprintf(extra, sizeof(extra), "If-Range: %s\r\nRange: bytes=0-9\r\n",
	    now.etag);
	exchange(&d[1], "GET", "/sources/long/text", extra, &c, &r);
	cr_assert_eq(r.status, 206, "%s", show(&c));
	cr_assert_eq(r.body_len, 10);
	exchange_done(&c, &r);
	got_free(&old);
	got_free(&now);
	daemon_stop(&d[0]);
	daemon_stop(&d[1]);
	pair_free(&p);
}

/* A byte range whose last position is the length (one past the last
 * byte) is the whole body: 206, bytes 0-(len-1)/len, len bytes. */
Test(edges, a_range_ending_at_the_length_gets_every_byte, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	char target[512], extra[64], want[64], *range;
	struct got whole;
	struct conn c;
	struct resp r;

	text_target(0, target, sizeof(target));
	get(&server, target, "", &whole);
	snprintf(extra, sizeof(extra), "Range: bytes=0-%zu\r\n", whole.len);
	exchange(&server, "GET", target, extra, &c, &r);
	cr_assert_eq(r.status, 206, "%s%s", extra, show(&c));
	snprintf(want, sizeof(want), "bytes 0-%zu/%zu", whole.len - 1,
	    whole.len);
	range = resp_field(&c, &r, "Content-Range");
	cr_assert(range != NULL && strcmp(range, want) == 0, "%sContent-Range "
	    "%s, not %s", extra, range != NULL ? range : "(none)", want);
	cr_assert_eq(r.body_len, whole.len);
	cr_assert_eq(memcmp(r.body, whole.body, whole.len), 0);
	free(range);
	exchange_done(&c, &r);
	got_free(&whole);
}

Test(edges, a_range_from_the_last_byte_gets_the_last_byte, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	char target[512], extra[64], want[64], *range;
	struct got whole;
	struct conn c;
	struct resp r;

	text_target(1, target, sizeof(target));
	get(&server, target, "", &whole);
	snprintf(extra, sizeof(extra), "Range: bytes=%zu-\r\n", whole.len - 1);
	exchange(&server, "GET", target, extra, &c, &r);
	cr_assert_eq(r.status, 206, "%s%s", extra, show(&c));
	snprintf(want, sizeof(want), "bytes %zu-%zu/%zu", whole.len - 1,
	    whole.len - 1, whole.len);
	range = resp_field(&c, &r, "Content-Range");
	cr_assert(range != NULL && strcmp(range, want) == 0, "%sContent-Range "
	    "%s, not %s", extra, range != NULL ? range : "(none)", want);
	cr_assert_eq(r.body_len, 1);
	cr_assert_eq(r.body[0], whole.body[whole.len - 1]);
	free(range);
	exchange_done(&c, &r);
	got_free(&whole);
}

/* ------------------------------------------------------------------------
 * Vary (RFC 9110 §12.5.5): a response whose body is sent gzipped to
 * clients that accept it varies on Accept-Encoding, and must say so when
 * it is sent uncompressed too: a shared cache that stored the identity
 * copy without Vary would serve it for every request of that URL, and
 * one that later stored the gzip copy would hand it to clients that
 * cannot decode it. Below 860 bytes nothing is compressed, but the type
 * still is compressible: the field is there as well (openapi.yaml).
 */

Test(edges, identity_bodies_of_compressible_types_carry_vary,
    .init = server_start, .fini = server_stop, .timeout = 60)
{
	char text[512];
	const char *targets[] = { "/sources", text, "/openapi.yaml",
	    "/openapi.json", "/annotations?limit=1", "/healthz", "/version",
	    "/metrics" };
	static const char *const asks[] = { "", "Accept-Encoding: identity\r\n",
	    "Accept-Encoding: gzip;q=0\r\n" };

	text_target(0, text, sizeof(text));
	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
		for (size_t a = 0; a < 3; a++) {
			struct conn c;
			struct resp r;
			char *vary, *coding;

			/* Twice: rendered, then (for data) from the cache. */
			for (int twice = 0; twice < 2; twice++) {
				exchange(&server, "GET", targets[t], asks[a], &c,
				    &r);
				cr_assert_eq(r.status, 200, "%s", show(&c));
				coding = resp_field(&c, &r, "Content-Encoding");
				cr_assert_null(coding, "GET %s %s: encoded %s",
				    targets[t], asks[a], coding);
				vary = resp_field(&c, &r, "Vary");
				cr_assert(vary != NULL && strcasestr(vary,
				    "Accept-Encoding") != NULL, "GET %s %s: an "
				    "identity body without Vary: "
				    "Accept-Encoding: %s", targets[t], asks[a],
				    show(&c));
				free(vary);
				exchange_done(&c, &r);
			}
		}
}

/* ------------------------------------------------------------------------
 * HEAD (RFC 9110 §9.3.2): the GET's status and fields, and not one body
 * byte on the wire. Each HEAD is pipelined with GET /healthz on one
 * connection: the second status line must start right after the first
 * response's empty line (exchange() checks it).
 */

struct head_case {
	char name[64];
	char target[128];
	char extra[128];	/* fields, each ending \r\n */
	int status;
	bool warm;	/* GET it first, so that HEAD is answered from the cache */
};

#define TEXT "/sources/scmp-china-us-test-cyberthreat-defences/text"

static struct head_case head_cases[] = {
	{ "a list, rendered", "/sources", "", 200, false },
	{ "a list, from the cache", "/sources", "", 200, true },
	{ "a list, gzipped", "/sources", "Accept-Encoding: gzip\r\n", 200,
	    false },
	{ "an article's text", TEXT, "", 200, false },
	{ "a range of it", TEXT, "Range: bytes=0-9\r\n", 206, true },
	{ "a range past its end", TEXT, "Range: bytes=999999-\r\n", 416,
	    true },
	{ "a 304", "/outcomes", "If-None-Match: *\r\n", 304, true },
	{ "a 404", "/no-such-route", "", 404, false },
	{ "the specification", "/openapi.yaml", "", 200, false },
	{ "an annotation page", "/annotations?limit=3", "", 200, false },
};

ParameterizedTestParameters(edges, head)
{
	return cr_make_param_array(struct head_case, head_cases,
	    sizeof(head_cases) / sizeof(head_cases[0]));
}

ParameterizedTest(struct head_case *k, edges, head, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	struct conn c;
	struct resp r;
	char *hl, *gl;
	int get_status;

	if (k->warm) {
		exchange(&server, "GET", k->target, "", &c, &r);
		exchange_done(&c, &r);
	}
	/* The GET's status and Content-Length, on another connection. */
	exchange(&server, "GET", k->target, k->extra, &c, &r);
	get_status = r.status;
	gl = resp_field(&c, &r, "Content-Length");
	exchange_done(&c, &r);
	cr_assert_eq(get_status, k->status, "%s: GET got %d", k->name,
	    get_status);
	cr_assert_not_null(gl, "%s: the GET has no Content-Length", k->name);

	exchange(&server, "HEAD", k->target, k->extra, &c, &r);
	cr_assert_eq(r.status, k->status, "%s: HEAD %d, GET %d: %s", k->name,
	    r.status, k->status, show(&c));
	cr_assert(memcmp(c.buf + r.head_end, "HTTP/1.1 200 ", 13) == 0,
	    "%s: bytes after the HEAD response's head: %s", k->name, show(&c));
	hl = resp_field(&c, &r, "Content-Length");
	cr_assert(k->status == 304 || (hl != NULL && strcmp(hl, gl) == 0),
	    "%s: HEAD Content-Length %s, GET %s", k->name, hl != NULL ? hl :
	    "(none)", gl);
	free(hl);
	free(gl);
	exchange_done(&c, &r);
}

/* ------------------------------------------------------------------------
 * SIGHUP (README, "Running it"): the response cache starts afresh with
 * the new database; no body or ETag cached from the old one is served.
 */

static long long
cache_hits(const struct daemon *d)
{
	struct got m;
	const char *at;
	long long n;

	get(d, "/metrics", "", &m);
	at = strstr(m.body, "accord_cache_lookups_total{result=\"hit\"} ");
	cr_assert_not_null(at, "no cache hit count in /metrics");
	n = atoll(at + strlen("accord_cache_lookups_total{result=\"hit\"} "));
	got_free(&m);
	return n;
}

Test(edges, a_reload_never_serves_a_body_cached_from_the_old_database,
    .timeout = 60)
{
	static const char *const paths[] = { "/sources/long/text",
	    "/sources/long" };
	static const char *const asks[] = { "", "Accept-Encoding: gzip\r\n" };
	struct pair p;
	struct daemon d, ref;
	struct got before[2][2], want[2][2], after;
	char served[1024], next[1024];
	long long hits;

	pair_build(&p);
	/* B's bodies and ETags, from a daemon that only ever saw B. */
	daemon_start(&ref, p.db[1], NULL);
	for (int i = 0; i < 2; i++)
		for (int a = 0; a < 2; a++)
			get(&ref, paths[i], asks[a], &want[i][a]);
	daemon_stop(&ref);

	snprintf(served, sizeof(served), "%s/served.db", p.dir);
	snprintf(next, sizeof(next), "%s/next.db", p.dir);
	cr_assert_eq(run("cp '%s' '%s' && cp '%s' '%s'", p.db[0], served,
	    p.db[1], next), 0);
	daemon_start(&d, served, NULL);
	for (int i = 0; i < 2; i++)
		for (int a = 0; a < 2; a++) {
			get(&d, paths[i], asks[a], &before[i][a]);
			hits = cache_hits(&d);
			got_free(&before[i][a]);
			get(&d, paths[i], asks[a], &before[i][a]);
			cr_assert_eq(cache_hits(&d), hits + 1, "GET %s %s was "
			    "not answered from the cache", paths[i], asks[a]);
			cr_assert_str_neq(before[i][a].etag, want[i][a].etag);
		}
	cr_assert_eq(rename(next, served), 0);
	kill(d.pid, SIGHUP);
	cr_assert(log_shows(&d, "\"reloaded\"", 60), "no reloaded event: see %s",
	    d.log);
	for (int i = 0; i < 2; i++)
		for (int a = 0; a < 2; a++) {
			get(&d, paths[i], asks[a], &after);
			cr_assert_str_eq(after.etag, want[i][a].etag, "GET %s %s "
			    "after the reload: %s, the old database's %s",
			    paths[i], asks[a], after.etag, before[i][a].etag);
			cr_assert(after.len == want[i][a].len && memcmp(
			    after.body, want[i][a].body, after.len) == 0,
			    "GET %s %s after the reload: not the new body",
			    paths[i], asks[a]);
			got_free(&after);
			got_free(&before[i][a]);
			got_free(&want[i][a]);
		}
	daemon_stop(&d);
	pair_free(&p);
}
