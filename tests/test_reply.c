/* reply: Range and Accept-Encoding parsing, ETags, reason phrases. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

Test(reply, parses_a_closed_range)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("bytes=10-19", 100, &a, &b), 1);
	cr_assert_eq(a, 10);
	cr_assert_eq(b, 19);
}

Test(reply, an_open_range_runs_to_the_end)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("bytes=90-", 100, &a, &b), 1);
	cr_assert_eq(a, 90);
	cr_assert_eq(b, 99);
}

Test(reply, a_range_past_the_end_is_clamped)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("bytes=90-500", 100, &a, &b), 1);
	cr_assert_eq(b, 99);
}

Test(reply, a_suffix_range_takes_the_last_bytes)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("bytes=-5", 100, &a, &b), 1);
	cr_assert_eq(a, 95);
	cr_assert_eq(b, 99);
	cr_assert_eq(reply_parse_range("bytes=-500", 100, &a, &b), 1);
	cr_assert_eq(a, 0);
}

Test(reply, a_range_that_starts_past_the_end_is_unsatisfiable)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("bytes=100-", 100, &a, &b), -1);
	cr_assert_eq(reply_parse_range("bytes=-0", 100, &a, &b), -1);
}

Test(reply, other_ranges_are_ignored)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("items=1-2", 100, &a, &b), 0);
	cr_assert_eq(reply_parse_range("bytes=1-2,5-6", 100, &a, &b), 0);
	cr_assert_eq(reply_parse_range("bytes=5-1", 100, &a, &b), 0);
	cr_assert_eq(reply_parse_range("bytes=-", 100, &a, &b), 0);
	cr_assert_eq(reply_parse_range("bytes=a-b", 100, &a, &b), 0);
	cr_assert_eq(reply_parse_range("bytes=99999999999999999999999-", 100,
	    &a, &b), 0);
}

Test(reply, accepts_gzip_by_name_or_star)
{
	cr_assert(reply_accepts_gzip("gzip"));
	cr_assert(reply_accepts_gzip("deflate, gzip;q=0.5"));
	cr_assert(reply_accepts_gzip("br, *"));
	cr_assert(reply_accepts_gzip("GZIP"));
}

Test(reply, refuses_gzip_with_zero_weight_or_absent)
{
	cr_assert_not(reply_accepts_gzip("gzip;q=0"));
	cr_assert_not(reply_accepts_gzip("gzip; q=0.000"));
	cr_assert_not(reply_accepts_gzip("identity"));
	cr_assert_not(reply_accepts_gzip("br, deflate"));
	cr_assert_not(reply_accepts_gzip("xgzip"));
}

Test(reply, a_problem_document_has_the_rfc_9457_members)
{
	char *doc = reply_problem(404, "no source has the id \"x\"", "/sources/x");

	cr_assert_str_eq(doc, "{\"type\":\"about:blank\",\"title\":\"Not Found\","
	    "\"status\":404,\"detail\":\"no source has the id \\\"x\\\"\","
	    "\"instance\":\"/sources/x\"}");
	free(doc);
}

/* RFC 9110 section 14.1.2: a last-byte-pos at or past the end means the
 * last byte, even when it is exactly the length (one past the last). */
Test(reply, a_range_ending_at_the_length_is_clamped_to_the_last_byte)
{
	size_t a, b;

	cr_assert_eq(reply_parse_range("bytes=90-100", 100, &a, &b), 1);
	cr_assert_eq(a, 90);
	cr_assert_eq(b, 99);
	cr_assert_eq(reply_parse_range("bytes=0-99", 100, &a, &b), 1);
	cr_assert_eq(b, 99);
}

/* A body of len bytes of JSON text, made as a handler's reply is. */
static struct reply_body *
body_of(const char *text, size_t len, bool compress)
{
	struct response res = { .body = malloc(len), .body_len = len,
	    .content_type = "application/json" };
	struct reply_body *b;

	cr_assert_not_null(res.body);
	memcpy(res.body, text, len);
	b = reply_body_new(&res, false, compress);
	cr_assert_not_null(b);
	return b;
}

/* A strong ETag (RFC 9110 section 8.8.3) is the same for the same bytes
 * and differs as soon as one byte differs, wherever it is. */
Test(reply, an_etag_depends_on_every_byte_of_the_body)
{
	static char a[5000], b[5000], c[5000];
	struct reply_body *x, *y, *z, *same;

	memset(a, 'a', sizeof(a));
	memcpy(b, a, sizeof(b));
	memcpy(c, a, sizeof(c));
	b[sizeof(b) - 1] = 'b';		/* the last byte */
	c[sizeof(c) / 2] = 'c';		/* one in the middle */
	x = body_of(a, sizeof(a), false);
	y = body_of(b, sizeof(b), false);
	z = body_of(c, sizeof(c), false);
	same = body_of(a, sizeof(a), false);
	cr_assert_str_neq(x->etag, y->etag);
	cr_assert_str_neq(x->etag, z->etag);
	cr_assert_str_eq(x->etag, same->etag);
	cr_assert_eq(x->etag[0], '"');
	cr_assert_eq(x->etag[strlen(x->etag) - 1], '"');
	reply_body_release(x);
	reply_body_release(y);
	reply_body_release(z);
	reply_body_release(same);
}

/* The gzip representation has its own strong ETag: the identity one's
 * opaque tag followed by -gzip, within one pair of quotes. */
Test(reply, the_gzip_etag_is_the_identity_etag_marked)
{
	static char text[4000];
	struct reply_body *x;
	char want[64];

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "[1,2,3]"[i % 7];
	x = body_of(text, sizeof(text), true);
	cr_assert_not_null(x->gz, "a 4000-byte repetitive body compresses");
	snprintf(want, sizeof(want), "\"%.*s-gzip\"",
	    (int)strlen(x->etag) - 2, x->etag + 1);
	cr_assert_str_eq(x->gz_etag, want);
	reply_body_release(x);
}

/* A cached body is counted at its length (reply_body_size), so what it
 * holds must not be much more: the gzip copy is not left at the size of
 * its deflateBound buffer, nor the text at its builder's capacity.
 * (malloc_usable_size is glibc's: a chunk's size, at most 24 bytes over.) */
Test(reply, a_body_holds_no_more_memory_than_it_counts)
{
	static char text[20000];	/* heap chunks, not mmap's pages */
	struct response res = { .body = malloc(4 * sizeof(text)),
	    .body_len = sizeof(text), .content_type = "application/json" };
	struct reply_body *x;

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "[1,2,3]"[i % 7];
	cr_assert_not_null(res.body);
	memcpy(res.body, text, sizeof(text));
	x = reply_body_new(&res, false, true);
	cr_assert_not_null(x);
	cr_assert_not_null(x->gz);
	cr_assert_lt(x->gz_len, sizeof(text) / 10);
	cr_assert_leq(malloc_usable_size(x->gz), x->gz_len + 32);
	cr_assert_leq(malloc_usable_size(x->data), x->len + 32);
	reply_body_release(x);
}

/* The reason phrases of RFC 9110 section 15 (431: RFC 6585). */
Test(reply, reason_phrases_are_rfc_9110s)
{
	static const struct {
		unsigned status;
		const char *reason;
	} rfc[] = {
		{ 200, "OK" }, { 204, "No Content" },
		{ 206, "Partial Content" }, { 304, "Not Modified" },
		{ 400, "Bad Request" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 413, "Content Too Large" }, { 414, "URI Too Long" },
		{ 416, "Range Not Satisfiable" },
		{ 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 503, "Service Unavailable" },
	};

	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		cr_assert_str_eq(reply_reason(rfc[i].status), rfc[i].reason);
}

/* A shared body (its full 200s made once as libmicrohttpd responses)
 * stays while it has a holder, and is freed, responses and all, when the
 * last lets go. */
Test(reply, a_shared_body_is_freed_when_its_last_holder_lets_go)
{
	size_t before = reply_live_bytes();
	char text[4000];
	struct reply_body *b;

	memset(text, 'a', sizeof(text));
	b = body_of(text, sizeof(text), true);
	cr_assert_not_null(b->gz, "worth compressing");
	cr_assert_gt(reply_live_bytes(), before);
	cr_assert_eq(reply_body_share(b), 0);
	cr_assert_eq(reply_body_share(b), 0, "sharing twice changes nothing");
	cr_assert_not_null(b->shared[0]);
	cr_assert_not_null(b->shared[1]);
	cr_assert_eq(atomic_load(&b->shares), 2);
	reply_body_retain(b);
	reply_body_release(b);
	cr_assert_eq(atomic_load(&b->shares), 2, "held: its responses stay");
	reply_body_release(b);
	cr_assert_eq(reply_live_bytes(), before, "freed with its responses");
}
