/*
 * HTTP/1.1 conformance over raw sockets: message framing, field syntax,
 * Host, request-target forms, methods, conditional requests, ranges and
 * versions. Each case asserts
 *
 *   1. the status code of the first response;
 *   2. whether the connection closes after it (EOF seen) or, for a valid
 *      request that did not ask to close, that the connection then carries
 *      a second request to a 200;
 *   3. for smuggling cases, where the request is followed on the same
 *      connection by a request for /sources/smuggled-<case number>: that
 *      exactly one response came back and that the daemon never logged the
 *      smuggled target;
 *   4. that an error is an RFC 9457 problem (application/problem+json, with
 *      "status" equal to the status code and a "title") and that every
 *      response carries Access-Control-Allow-Origin: *, except for the
 *      answers libmicrohttpd gives itself before the application sees the
 *      request (marked "libmicrohttpd's own answer").
 *
 * The expectations are written from RFC 9110 and RFC 9112 and the policy
 * stated with each group of cases, not from the server's code. The daemon
 * runs with its default settings. The raw connection and response parser
 * (conn_*, parse_response, exchange) are in support.h.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "support.h"

/* The error body is an RFC 9457 problem for r's status. */
static void
assert_problem(const char *name, const struct conn *c, const struct resp *r)
{
	char *type = resp_field(c, r, "Content-Type");
	json_t *doc, *title;

	cr_assert(type != NULL && strncasecmp(type, "application/problem+json",
	    24) == 0, "%s: %d with Content-Type %s, not application/"
	    "problem+json: %s", name, r->status, type != NULL ? type :
	    "(none)", show(c));
	doc = json_loadb(r->body, r->body_len, 0, NULL);
	cr_assert_not_null(doc, "%s: the problem is not JSON: %s", name,
	    show(c));
	cr_assert_eq(json_integer_value(json_object_get(doc, "status")),
	    r->status, "%s: the problem's status is not %d: %s", name,
	    r->status, show(c));
	title = json_object_get(doc, "title");
	cr_assert(json_is_string(title) && json_string_length(title) > 0,
	    "%s: the problem has no title: %s", name, show(c));
	json_decref(doc);
	free(type);
}

/* ------------------------------------------------------------------------
 * The cases that are one request.
 */

enum expect {
	CLOSES,	/* the connection closes after the first response */
	KEEPS,	/* it then carries a second request to a 200 */
	SMUGGLE,	/* CLOSES, and the request smuggled after it never runs */
	NO_TUNNEL,	/* CONNECT: what follows is closed or answered as HTTP */
};

/*
 * Criterion copies parameters into another process image: no pointers.
 * In request, $S stands for the smuggled request, a GET of
 * /sources/smuggled-<id>; $L for its length; $M for its length plus 5
 * (a "0\r\n\r\n" last chunk in front of it); $0 for a NUL byte; $B for
 * 17,000 bytes of 'b' (a head over the 16 KiB of memory per connection).
 */
struct conf {
	char name[64];
	char request[256];
	int status;
	int also;	/* another acceptable status, or 0 */
	int expect;
	bool lmhd;	/* libmicrohttpd's own answer: no problem or CORS */
	bool doubled;	/* libmicrohttpd 0.9.75 sends its header block twice
			   (SECURITY.md, "Known limits") */
	char field[16];	/* a field the first response must carry */
	char token[8];	/* ... whose value contains this */
	int id;	/* set by params(): the case number */
};

#define CASE(n, r, s, e) { .name = n, .request = r, .status = s, .expect = e }
/* libmicrohttpd's own answer */
#define LMHD(n, r, s, e) { .name = n, .request = r, .status = s, \
    .expect = e, .lmhd = true }
/* ... with its header block sent twice (a defect of 0.9.75) */
#define LMHD2(n, r, s, e) { .name = n, .request = r, .status = s, \
    .expect = e, .lmhd = true, .doubled = true }

/* Numbers the cases from base (the smuggled targets tell them apart). */
static struct criterion_test_params
params(struct conf *cases, size_t n, int base)
{
	for (size_t i = 0; i < n; i++)
		cases[i].id = base + (int)i;
	return cr_make_param_array(struct conf, cases, n);
}

/* The case's bytes, its templates expanded. Caller frees. */
static char *
expand(const struct conf *k, size_t *len)
{
	char smuggled[128], *out;
	size_t n = 0, sl;

	sl = (size_t)snprintf(smuggled, sizeof(smuggled), "GET /sources/"
	    "smuggled-%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    k->id);
	out = malloc(strlen(k->request) + sizeof(smuggled) + 80000);
	cr_assert_not_null(out);
	for (const char *p = k->request; *p != '\0'; p++) {
		if (*p != '$') {
			out[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'S':
			memcpy(out + n, smuggled, sl);
			n += sl;
			break;
		case 'L':
			n += (size_t)sprintf(out + n, "%zu", sl);
			break;
		case 'M':
			n += (size_t)sprintf(out + n, "%zu", sl + 5);
			break;
		case '0':
			out[n++] = '\0';
			break;
		case 'B':
			memset(out + n, 'b', 17000);
			n += 17000;
			break;
		default:
			cr_assert_fail("%s: bad template", k->name);
		}
	}
	*len = n;
	return out;
}

/* What the stream showed, for messages. */
static const char *
observed(const struct conn *c, const struct resp *r)
{
	static char out[160];

	snprintf(out, sizeof(out), "observed: status %d, connection %s, %d "
	    "response(s)", r->status, c->closed ? "closed" : "left open",
	    status_lines(c));
	return out;
}

/* Checks 1 and 4 on the first response. */
static void
check_first(const struct conf *k, const struct conn *c, const struct resp *r)
{
	cr_assert(r->status == k->status || (k->also != 0 &&
	    r->status == k->also), "%s: expected %d%s, %s: %s", k->name,
	    k->status, k->also != 0 ? " (or its alternative)" : "",
	    observed(c, r), show(c));
	if (k->field[0] != '\0') {
		char *v = resp_field(c, r, k->field);
		cr_assert(v != NULL && strstr(v, k->token) != NULL, "%s: no %s "
		    "field with %s: %s", k->name, k->field, k->token, show(c));
		free(v);
	}
	if (r->status == 405) {	/* RFC 9110 §15.5.6: MUST send Allow */
		char *v = resp_field(c, r, "Allow");
		cr_assert_not_null(v, "%s: 405 without Allow: %s", k->name,
		    show(c));
		free(v);
	}
	if (k->lmhd)
		return;
	if (r->status >= 400)
		assert_problem(k->name, c, r);
	assert_cors(k->name, c, r);
}

/* The daemon never logged the smuggled target, and still serves. */
static void
assert_not_smuggled(const struct conf *k)
{
	char marker[48], *log;
	struct http h;

	/* A request on a fresh connection, answered: whatever the daemon
	 * did with the first connection is behind it. */
	http_get(&server, "/healthz", &h);
	cr_assert_eq(h.status, 200, "%s: the daemon no longer serves",
	    k->name);
	http_free(&h);
	snprintf(marker, sizeof(marker), "smuggled-%d", k->id);
	log = slurp(server.log, NULL);
	cr_assert_null(strstr(log, marker), "%s: the smuggled request was "
	    "served: %s", k->name, strstr(log, marker));
	free(log);
}

static void
run_case(const struct conf *k)
{
	struct conn c;
	struct resp r = { 0 }, next = { 0 };
	size_t len;
	char *bytes = expand(k, &len);

	conn_open(&c, &server);
	conn_send(&c, bytes, len);
	free(bytes);
	if (k->expect == KEEPS) {
		cr_assert(conn_response(&c, 0, false, &r), "%s: no whole "
		    "response; %s: %s", k->name, observed(&c, &r), show(&c));
		check_first(k, &c, &r);
		conn_send(&c, follow_up, sizeof(follow_up) - 1);
		conn_drain(&c);
		cr_assert(parse_response(&c, r.end, false, &next), "%s: the "
		    "connection did not carry a second request (%s): %s",
		    k->name, observed(&c, &r), show(&c));
		cr_assert_eq(next.status, 200, "%s: the second request got "
		    "%d: %s", k->name, next.status, show(&c));
		cr_assert(c.closed, "%s: Connection: close on the second "
		    "request did not close: %s", k->name, show(&c));
	} else {
		conn_drain(&c);
		cr_assert(parse_response(&c, 0, false, &r), "%s: expected %d, "
		    "no whole response; %s: %s", k->name, k->status,
		    observed(&c, &r), show(&c));
		check_first(k, &c, &r);
		if (k->expect == NO_TUNNEL) {
			/* Closed after the refusal, or the next request
			 * answered as HTTP (and closed as it asked). */
			cr_assert(c.closed, "%s: the connection neither closed "
			    "nor answered the next request (a tunnel?); %s: "
			    "%s", k->name, observed(&c, &r), show(&c));
			if (c.len > r.end) {
				cr_assert(parse_response(&c, r.end, false,
				    &next) && next.status == 200, "%s: what "
				    "followed CONNECT was not answered as HTTP:"
				    " %s", k->name, show(&c));
			}
		} else {
			cr_assert(c.closed, "%s: the connection stayed open "
			    "after %d; %s: %s", k->name, r.status,
			    observed(&c, &r), show(&c));
		}
		if (k->expect == SMUGGLE) {
			cr_assert_eq(status_lines(&c), k->doubled ? 2 : 1,
			    "%s: not the responses expected "
			    "response; %s: %s", k->name, observed(&c, &r),
			    show(&c));
			assert_not_smuggled(k);
		}
	}
	resp_free(&r);
	resp_free(&next);
	conn_close(&c);
}

/*
 * A group of cases: a parameterized test named `name` running every case
 * of `table`, numbered from `base` (the smuggled targets tell them apart).
 */
#define GROUP(name, table, base)					\
	ParameterizedTestParameters(conformance, name)			\
	{								\
		return params(table, sizeof(table) / sizeof(table[0]),	\
		    base);						\
	}								\
	ParameterizedTest(struct conf *k, conformance, name,		\
	    .init = server_start, .fini = server_stop, .timeout = 60)	\
	{								\
		run_case(k);						\
	}

#define H "Host: x\r\n"
#define GET11 "GET /healthz HTTP/1.1\r\n"

/*
 * Framing (RFC 9112 §6): a request whose body length is ambiguous, or that
 * carries a body where the API takes none, is refused with 400 and the
 * connection closed, so nothing after it can be read as a request.
 *
 * Transfer codings (RFC 9112 §6.1, §6.3): when chunked is not the final
 * coding of a request (gzip, identity, xchunked alone) the length cannot be
 * determined and the server MUST answer 400 and close (§6.3 item 4, which
 * outranks §6.1's SHOULD 501); chunked twice is invalid framing (a sender
 * MUST NOT apply it more than once), 400; a framable request with a coding
 * the server does not implement ("gzip, chunked") gets 501 Not Implemented
 * (§6.1) and a close, as its body cannot be decoded.
 */
static struct conf framing[] = {
	CASE("two content-lengths, 0 then the smuggled length",
	    GET11 H "Content-Length: 0\r\nContent-Length: $L\r\n\r\n$S", 400,
	    SMUGGLE),
	CASE("two equal content-lengths",
	    GET11 H "Content-Length: $L\r\nContent-Length: $L\r\n\r\n$S", 400,
	    SMUGGLE),
	CASE("content-length then transfer-encoding",
	    GET11 H "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0\r\n\r\n$S", 400, SMUGGLE),
	CASE("transfer-encoding then content-length",
	    GET11 H "Transfer-Encoding: chunked\r\nContent-Length: $M\r\n\r\n"
	    "0\r\n\r\n$S", 400, SMUGGLE),
	CASE("chunked body on a GET",
	    GET11 H "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n$S", 400,
	    SMUGGLE),
	CASE("transfer-encoding gzip, chunked not final",
	    GET11 H "Transfer-Encoding: gzip\r\n\r\n$S", 400, SMUGGLE),
	CASE("transfer-encoding identity",
	    GET11 H "Transfer-Encoding: identity\r\n\r\n$S", 400, SMUGGLE),
	CASE("transfer-encoding xchunked",
	    GET11 H "Transfer-Encoding: xchunked\r\n\r\n$S", 400, SMUGGLE),
	CASE("transfer-encoding chunked twice",
	    GET11 H "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n$S",
	    400, SMUGGLE),
	CASE("transfer-encoding gzip then chunked, not implemented",
	    GET11 H "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n$S", 501,
	    SMUGGLE),
	/* RFC 9112 §6.1: treat as faulty framing, close. Keep-alive asked
	 * so that only the framing can end the connection. */
	CASE("transfer-encoding in HTTP/1.0",
	    "GET /healthz HTTP/1.0\r\n" H "Connection: keep-alive\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n$S", 400, SMUGGLE),
	CASE("a 5-byte body on a GET",
	    GET11 H "Content-Length: 5\r\n\r\nhello$S", 400, SMUGGLE),
	CASE("content-length 0 on a GET",
	    GET11 H "Content-Length: 0\r\n\r\n", 200, KEEPS),
};

GROUP(framing, framing, 100)

/*
 * Field syntax (RFC 9112 §5, §2.2; RFC 9110 §5.1, §5.5): whitespace between
 * a field name and its colon (§5.1: MUST 400), obsolete line folding (§5.2:
 * the policy rejects it), names that are not tokens, control characters in
 * values, and a bare LF ending a line are all 400 and a close.
 */
static struct conf fields[] = {
	CASE("space before the colon", GET11 H "X-Foo : bar\r\n\r\n", 400,
	    CLOSES),
	/* A server that ignored the malformed name would read CL 0 and then
	 * the smuggled request. */
	CASE("transfer-encoding space colon, content-length 0",
	    GET11 H "Transfer-Encoding : chunked\r\nContent-Length: 0\r\n\r\n"
	    "$S", 400, SMUGGLE),
	/* One that normalised the name would read a chunked body ending
	 * before the smuggled request. */
	CASE("transfer-encoding space colon, content-length of all",
	    GET11 H "Transfer-Encoding : chunked\r\nContent-Length: $M\r\n\r\n"
	    "0\r\n\r\n$S", 400, SMUGGLE),
	CASE("obs-fold with a space", GET11 H "X-Foo: a\r\n b\r\n\r\n", 400,
	    CLOSES),
	CASE("obs-fold with a tab", GET11 H "X-Foo: a\r\n\tb\r\n\r\n", 400,
	    CLOSES),
	CASE("folded content-length",
	    GET11 H "Content-Length:\r\n $L\r\n\r\n$S", 400, SMUGGLE),
	CASE("folded transfer-encoding",
	    GET11 H "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n$S", 400,
	    SMUGGLE),
	CASE("@ in a field name", GET11 H "X@Foo: 1\r\n\r\n", 400, CLOSES),
	CASE("empty field name", GET11 H ": x\r\n\r\n", 400, CLOSES),
	CASE("non-ASCII byte in a field name", GET11 H "X-F\xe9o: 1\r\n\r\n",
	    400, CLOSES),
	CASE("bare CR in a field value", GET11 H "X-Foo: a\rb\r\n\r\n", 400,
	    CLOSES),
	CASE("0x01 in a field value", GET11 H "X-Foo: a\x01" "b\r\n\r\n", 400,
	    CLOSES),
	CASE("DEL in a field value", GET11 H "X-Foo: a\x7f" "b\r\n\r\n", 400,
	    CLOSES),
	CASE("NUL in a field value", GET11 H "X-Foo: a$0b\r\n\r\n", 400,
	    CLOSES),
	CASE("bare LF ending a field line", GET11 "Host: x\nX-Foo: 1\r\n\r\n",
	    400, CLOSES),
	CASE("bare LF ending every line", "GET /healthz HTTP/1.1\nHost: x\n\n",
	    400, CLOSES),
};

GROUP(fields, fields, 200)

/*
 * Host (RFC 9112 §3.2, RFC 9110 §7.2): an HTTP/1.1 request without exactly
 * one valid Host (uri-host [":" port]) is 400 and a close; HTTP/1.0 may
 * omit it (and, not asking for keep-alive, is closed after the reply).
 */
static struct conf host[] = {
	CASE("no Host in HTTP/1.1", GET11 "\r\n", 400, CLOSES),
	CASE("two Host fields", GET11 H H "\r\n", 400, CLOSES),
	CASE("Host a b", GET11 "Host: a b\r\n\r\n", 400, CLOSES),
	CASE("Host a/b", GET11 "Host: a/b\r\n\r\n", 400, CLOSES),
	CASE("Host x:y:z", GET11 "Host: x:y:z\r\n\r\n", 400, CLOSES),
	CASE("Host [::1 unclosed", GET11 "Host: [::1\r\n\r\n", 400, CLOSES),
	CASE("Host host:80a", GET11 "Host: host:80a\r\n\r\n", 400, CLOSES),
	CASE("Host user@host", GET11 "Host: user@host\r\n\r\n", 400, CLOSES),
	CASE("no Host in HTTP/1.0", "GET /healthz HTTP/1.0\r\n\r\n", 200,
	    CLOSES),
	CASE("Host 127.0.0.1:8080", GET11 "Host: 127.0.0.1:8080\r\n\r\n", 200,
	    KEEPS),
	CASE("Host [::1]:80", GET11 "Host: [::1]:80\r\n\r\n", 200, KEEPS),
	CASE("Host example.com", GET11 "Host: example.com\r\n\r\n", 200,
	    KEEPS),
};

GROUP(host, host, 300)

/*
 * The request line and request-target forms (RFC 9112 §3): one SP between
 * its parts; absolute-form MUST be accepted (§3.2.2) for http, another
 * scheme is 400; asterisk-form only with OPTIONS (§3.2.4); CONNECT is not
 * implemented (501, or 405 with Allow) and never turns the connection into
 * a tunnel. Requests whose refusal need not close ask to close themselves.
 */
static struct conf targets[] = {
	CASE("two spaces after the method",
	    "GET  /healthz HTTP/1.1\r\n" H "\r\n", 400, CLOSES),
	CASE("absolute-form http target",
	    "GET http://example.com/healthz HTTP/1.1\r\n"
	    "Host: example.com\r\n\r\n", 200, KEEPS),
	CASE("absolute-form ftp target",
	    "GET ftp://x/healthz HTTP/1.1\r\n" H "Connection: close\r\n\r\n",
	    400, CLOSES),
	{ .name = "OPTIONS *", .request = "OPTIONS * HTTP/1.1\r\n" H "\r\n",
	    .status = 204, .also = 200, .expect = KEEPS, .field = "Allow",
	    .token = "" },
	CASE("GET *", "GET * HTTP/1.1\r\n" H "Connection: close\r\n\r\n", 400,
	    CLOSES),
	{ .name = "CONNECT authority-form",
	    .request = "CONNECT example.com:443 HTTP/1.1\r\n"
	    "Host: example.com:443\r\n\r\n"
	    "GET /healthz HTTP/1.1\r\n" H "Connection: close\r\n\r\n",
	    .status = 501, .also = 405, .expect = NO_TUNNEL },
};

GROUP(target, targets, 400)

/*
 * Methods (RFC 9110 §9, §15.5.6, §15.6.2): methods are case-sensitive; one
 * the server does not know is 501; a known one a resource does not allow
 * is 405 with an Allow that lists GET.
 */
#define NOT_ALLOWED(m, extra) { .name = m " /sources", .request = m \
    " /sources HTTP/1.1\r\n" H extra "Connection: close\r\n\r\n", \
    .status = 405, .expect = CLOSES, .field = "Allow", .token = "GET" }

static struct conf methods[] = {
	CASE("GET /healthz", GET11 H "\r\n", 200, KEEPS),
	NOT_ALLOWED("POST", "Content-Length: 0\r\n"),
	NOT_ALLOWED("PUT", "Content-Length: 0\r\n"),
	NOT_ALLOWED("DELETE", ""),
	NOT_ALLOWED("PATCH", "Content-Length: 0\r\n"),
	CASE("unknown method FOO",
	    "FOO /healthz HTTP/1.1\r\n" H "Connection: close\r\n\r\n", 501,
	    CLOSES),
	CASE("lower-case get",
	    "get /healthz HTTP/1.1\r\n" H "Connection: close\r\n\r\n", 501,
	    CLOSES),
};

GROUP(methods, methods, 500)

/* Versions (RFC 9112 §9.3): HTTP/1.0 without keep-alive, and HTTP/1.1
 * with Connection: close, are closed after the response. */
static struct conf versions[] = {
	CASE("HTTP/1.0 without keep-alive",
	    "GET /healthz HTTP/1.0\r\n" H "\r\n", 200, CLOSES),
	CASE("HTTP/1.1 with Connection: close",
	    GET11 H "Connection: close\r\n\r\n", 200, CLOSES),
};

GROUP(versions, versions, 600)

/*
 * libmicrohttpd's own answers: it refuses these before the application
 * sees them, so neither problem+json nor CORS is required; the status,
 * the close, and that nothing is smuggled are.
 */
static struct conf lmhd[] = {
	LMHD2("content-length abc", GET11 H "Content-Length: abc\r\n\r\n$S",
	    400, SMUGGLE),
	LMHD2("content-length -1", GET11 H "Content-Length: -1\r\n\r\n$S",
	    400, SMUGGLE),
	LMHD2("content-length 0, N", GET11 H "Content-Length: 0, $L\r\n\r\n"
	    "$S", 400, SMUGGLE),
	LMHD("tab instead of a space",
	    "GET\t/healthz HTTP/1.1\r\n" H "\r\n$S", 400, SMUGGLE),
	LMHD("HTTP/2.0", "GET /healthz HTTP/2.0\r\n" H "\r\n$S", 505,
	    SMUGGLE),
	LMHD("HTTP/0.9", "GET /healthz HTTP/0.9\r\n" H "\r\n$S", 505,
	    SMUGGLE),
	LMHD("lower-case http/1.1", "GET /healthz http/1.1\r\n" H "\r\n$S",
	    400, SMUGGLE),
	LMHD("field line without a colon", GET11 H "NoColonHere\r\n\r\n$S",
	    400, SMUGGLE),
	LMHD("header section over 16 KiB", GET11 H "X-Big: $B\r\n\r\n", 431,
	    CLOSES),
};

GROUP(libmicrohttpd, lmhd, 700)

/* ------------------------------------------------------------------------
 * HEAD, conditional requests and ranges: cases that need a prior answer.
 */


Test(conformance, head_has_get_status_and_length_and_no_body,
    .init = server_start, .fini = server_stop, .timeout = 60)
{
	static const char request[] = "HEAD /sources HTTP/1.1\r\nHost: x\r\n"
	    "\r\nGET /sources HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	struct conn c;
	struct resp head, get;
	char *hl, *gl;

	conn_open(&c, &server);
	conn_send(&c, request, sizeof(request) - 1);
	conn_drain(&c);
	cr_assert(parse_response(&c, 0, true, &head), "no HEAD response: %s",
	    show(&c));
	cr_assert_eq(head.status, 200, "HEAD /sources: %s", show(&c));
	assert_cors("HEAD /sources", &c, &head);
	cr_assert(c.len - head.head_end >= 9 && memcmp(c.buf + head.head_end,
	    "HTTP/1.1 ", 9) == 0, "HEAD /sources sent body bytes: %s",
	    show(&c));
	cr_assert(parse_response(&c, head.end, false, &get), "no GET "
	    "response after HEAD: %s", show(&c));
	cr_assert_eq(get.status, head.status);
	hl = resp_field(&c, &head, "Content-Length");
	gl = resp_field(&c, &get, "Content-Length");
	cr_assert_not_null(gl, "GET /sources without Content-Length: %s",
	    show(&c));
	cr_assert_eq((size_t)strtoull(gl, NULL, 10), get.body_len);
	cr_assert(hl != NULL && strcmp(hl, gl) == 0, "HEAD Content-Length %s,"
	    " GET %s", hl != NULL ? hl : "(none)", gl);
	free(hl);
	free(gl);
	resp_free(&get);
	exchange_done(&c, &head);
}

/* The ETag and Content-Length of a 200 for target. Caller frees both. */
static void
reference(const char *target, char **etag, char **length)
{
	struct conn c;
	struct resp r;

	exchange(&server, "GET", target, "", &c, &r);
	cr_assert_eq(r.status, 200, "GET %s: %s", target, show(&c));
	*etag = resp_field(&c, &r, "ETag");
	cr_assert(*etag != NULL && (*etag)[0] == '"', "GET %s: no strong "
	    "ETag: %s", target, show(&c));
	*length = resp_field(&c, &r, "Content-Length");
	cr_assert_not_null(*length, "GET %s: no Content-Length", target);
	exchange_done(&c, &r);
}

/* If-None-Match with the ETag: 304 (RFC 9110 §13.1.2), no body, the same
 * ETag, and no Content-Length other than the 200's (§8.6). */
Test(conformance, if_none_match_with_the_etag_gets_304, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	char *etag, *length, extra[256], *e, *l;
	struct conn c;
	struct resp r;

	reference("/outcomes", &etag, &length);
	snprintf(extra, sizeof(extra), "If-None-Match: %s\r\n", etag);
	exchange(&server, "GET", "/outcomes", extra, &c, &r);
	cr_assert_eq(r.status, 304, "%s", show(&c));
	e = resp_field(&c, &r, "ETag");
	cr_assert(e != NULL && strcmp(e, etag) == 0, "304 ETag %s, 200's %s",
	    e != NULL ? e : "(none)", etag);
	l = resp_field(&c, &r, "Content-Length");
	cr_assert(l == NULL || strcmp(l, length) == 0, "304 with "
	    "Content-Length %s; the 200 had %s", l, length);
	free(e);
	free(l);
	free(etag);
	free(length);
	exchange_done(&c, &r);
}

Test(conformance, if_none_match_star_gets_304, .init = server_start, .fini = server_stop,
    .timeout = 60)
{
	struct conn c;
	struct resp r;

	exchange(&server, "GET", "/outcomes", "If-None-Match: *\r\n", &c, &r);
	cr_assert_eq(r.status, 304, "%s", show(&c));
	exchange_done(&c, &r);
}

/* If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
Test(conformance, if_none_match_weak_form_gets_304, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	char *etag, *length, extra[256];
	struct conn c;
	struct resp r;

	reference("/outcomes", &etag, &length);
	snprintf(extra, sizeof(extra), "If-None-Match: W/%s\r\n", etag);
	exchange(&server, "GET", "/outcomes", extra, &c, &r);
	cr_assert_eq(r.status, 304, "%s%s", extra, show(&c));
	free(etag);
	free(length);
	exchange_done(&c, &r);
}

Test(conformance, if_none_match_other_tag_gets_200, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	struct conn c;
	struct resp r;

	exchange(&server, "GET", "/outcomes", "If-None-Match: \"not-this-one\"\r\n",
	    &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	cr_assert_gt(r.body_len, 0);
	exchange_done(&c, &r);
}

/* An article's text: its target and its bytes (from a 200). */
struct article {
	char target[256];
	char *etag;
	char *bytes;
	size_t len;
};

static void
article(struct article *a)
{
	struct conn c;
	struct resp r;
	json_t *doc;
	const char *id;

	exchange(&server, "GET", "/sources?limit=1", "", &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	doc = json_loadb(r.body, r.body_len, 0, NULL);
	id = json_string_value(json_object_get(json_array_get(json_object_get(
	    doc, "items"), 0), "id"));
	cr_assert_not_null(id, "no source id in %s", r.body);
	snprintf(a->target, sizeof(a->target), "/sources/%s/text", id);
	json_decref(doc);
	exchange_done(&c, &r);

	exchange(&server, "GET", a->target, "", &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	cr_assert_gt(r.body_len, 10);
	a->etag = resp_field(&c, &r, "ETag");
	a->bytes = r.body;
	a->len = r.body_len;
	r.body = NULL;
	exchange_done(&c, &r);
}

static void
article_free(struct article *a)
{
	free(a->etag);
	free(a->bytes);
}

/* If-None-Match is evaluated before Range (RFC 9110 §13.2.2): a matching
 * tag is 304 even with a Range that cannot be satisfied. */
Test(conformance, if_none_match_comes_before_an_unsatisfiable_range,
    .init = server_start, .fini = server_stop, .timeout = 60)
{
	struct article a;
	char extra[256];
	struct conn c;
	struct resp r;

	article(&a);
	cr_assert_not_null(a.etag);
	snprintf(extra, sizeof(extra), "If-None-Match: %s\r\nRange: bytes="
	    "%zu-\r\n", a.etag, a.len + 100);
	exchange(&server, "GET", a.target, extra, &c, &r);
	cr_assert_eq(r.status, 304, "%s%s", extra, show(&c));
	article_free(&a);
	exchange_done(&c, &r);
}

/* Range (RFC 9110 §14): the first ten bytes. */
Test(conformance, range_first_ten_bytes_gets_206, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	struct article a;
	char want[64], *range;
	struct conn c;
	struct resp r;

	article(&a);
	exchange(&server, "GET", a.target, "Range: bytes=0-9\r\n", &c, &r);
	cr_assert_eq(r.status, 206, "%s", show(&c));
	snprintf(want, sizeof(want), "bytes 0-9/%zu", a.len);
	range = resp_field(&c, &r, "Content-Range");
	cr_assert(range != NULL && strcmp(range, want) == 0, "Content-Range "
	    "%s, not %s", range != NULL ? range : "(none)", want);
	cr_assert_eq(r.body_len, 10);
	cr_assert_eq(memcmp(r.body, a.bytes, 10), 0);
	free(range);
	article_free(&a);
	exchange_done(&c, &r);
}

Test(conformance, suffix_range_gets_the_last_bytes, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	struct article a;
	char want[64], *range;
	struct conn c;
	struct resp r;

	article(&a);
	exchange(&server, "GET", a.target, "Range: bytes=-5\r\n", &c, &r);
	cr_assert_eq(r.status, 206, "%s", show(&c));
	snprintf(want, sizeof(want), "bytes %zu-%zu/%zu", a.len - 5,
	    a.len - 1, a.len);
	range = resp_field(&c, &r, "Content-Range");
	cr_assert(range != NULL && strcmp(range, want) == 0, "Content-Range "
	    "%s, not %s", range != NULL ? range : "(none)", want);
	cr_assert_eq(r.body_len, 5);
	cr_assert_eq(memcmp(r.body, a.bytes + a.len - 5, 5), 0);
	free(range);
	article_free(&a);
	exchange_done(&c, &r);
}

/* A first position at the length: 416 with Content-Range: bytes * /len
 * (RFC 9110 §15.5.17), as a problem. */
Test(conformance, range_past_the_end_gets_416, .init = server_start, .fini = server_stop,
    .timeout = 60)
{
	struct article a;
	char extra[64], want[64], *range;
	struct conn c;
	struct resp r;

	article(&a);
	snprintf(extra, sizeof(extra), "Range: bytes=%zu-\r\n", a.len);
	exchange(&server, "GET", a.target, extra, &c, &r);
	cr_assert_eq(r.status, 416, "%s%s", extra, show(&c));
	snprintf(want, sizeof(want), "bytes */%zu", a.len);
	range = resp_field(&c, &r, "Content-Range");
	cr_assert(range != NULL && strcmp(range, want) == 0, "Content-Range "
	    "%s, not %s", range != NULL ? range : "(none)", want);
	assert_problem("range past the end", &c, &r);
	free(range);
	article_free(&a);
	exchange_done(&c, &r);
}

/* A range unit the server does not support is ignored (RFC 9110 §14.2). */
Test(conformance, unknown_range_unit_gets_the_whole_body, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	struct article a;
	struct conn c;
	struct resp r;

	article(&a);
	exchange(&server, "GET", a.target, "Range: items=0-1\r\n", &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	cr_assert_eq(r.body_len, a.len);
	cr_assert_eq(memcmp(r.body, a.bytes, a.len), 0);
	article_free(&a);
	exchange_done(&c, &r);
}

/* If-Range that does not match: the Range is ignored (RFC 9110 §13.1.5). */
Test(conformance, if_range_other_etag_gets_the_whole_body, .init = server_start,
    .fini = server_stop, .timeout = 60)
{
	struct article a;
	struct conn c;
	struct resp r;

	article(&a);
	exchange(&server, "GET", a.target, "If-Range: \"not-this-one\"\r\n"
	    "Range: bytes=0-9\r\n", &c, &r);
	cr_assert_eq(r.status, 200, "%s", show(&c));
	cr_assert_eq(r.body_len, a.len);
	cr_assert_eq(memcmp(r.body, a.bytes, a.len), 0);
	article_free(&a);
	exchange_done(&c, &r);
}
