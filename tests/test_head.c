/* Unit tests of head: RFC 9112 checks on a request head laid out as
 * libmicrohttpd 0.9.75 leaves it (parsed in place, separators NUL). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "head.h"

/* A head built from raw bytes the way libmicrohttpd stores it. */
struct built {
	char buf[4096];
	char folded[256];	/* where a folded field's name is moved */
	char target[256];	/* the raw target, as the URI callback saw it */
	struct head h;
};

/*
 * Lays raw (a request head ending in an empty line) out as libmicrohttpd
 * does: the first SP of the request line and the last become NUL, each
 * line end (CRLF, or a bare LF) becomes NUL, each field's first ':'
 * becomes NUL and the value starts after the spaces that follow it. A
 * line starting with SP or HTAB is an obs-fold: libmicrohttpd appends
 * its text (spaces skipped) to the previous field's name, in memory
 * elsewhere. An embedded NUL ends a value early, as strlen would.
 */
static void
build(struct built *b, const char *raw, size_t len)
{
	char *p = b->buf, *end = b->buf + len, *line_end, *sp1, *sp2;
	size_t fold_used = 0;

	memset(b, 0, sizeof(*b));
	memcpy(b->buf, raw, len);
	line_end = memchr(p, '\n', len);
	cr_assert_not_null(line_end);
	if (line_end > p && line_end[-1] == '\r')
		line_end[-1] = '\0';
	*line_end = '\0';
	sp1 = strchr(p, ' ');
	cr_assert_not_null(sp1);
	*sp1 = '\0';
	b->h.method = p;
	while (*++sp1 == ' ')
		;			/* libmicrohttpd skips a run */
	sp2 = strrchr(sp1, ' ');
	cr_assert_not_null(sp2);
	*sp2 = '\0';
	snprintf(b->target, sizeof(b->target), "%s", sp1);
	b->h.target = sp1;
	b->h.target_len = strlen(sp1);
	b->h.version = sp2 + 1;
	p = line_end + 1;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *colon;
		struct head_field *f;
		cr_assert_not_null(nl);
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		*nl = '\0';
		if (*p == '\0') {	/* the empty line */
			p = nl + 1;
			break;
		}
		if (*p == ' ' || *p == '\t') {	/* obs-fold */
			f = &b->h.fields[b->h.nfields - 1];
			while (*p == ' ' || *p == '\t')
				p++;
			memcpy(b->folded + fold_used, f->name, f->name_len);
			memcpy(b->folded + fold_used + f->name_len, p,
			    strlen(p) + 1);
			f->name = b->folded + fold_used;
			f->name_len = strlen(f->name);
			fold_used += f->name_len + 1;
			p = nl + 1;
			continue;
		}
		colon = strchr(p, ':');
		cr_assert_not_null(colon);
		*colon = '\0';
		f = &b->h.fields[b->h.nfields++];
		f->name = p;
		f->name_len = strlen(p);
		f->value = colon + 1;
		while (*f->value == ' ' || *f->value == '\t')
			f->value++;
		f->value_len = strlen(f->value);
		p = nl + 1;
	}
	b->h.size = (size_t)(p - b->buf);
}

static struct head_verdict
check(const char *raw)
{
	static struct built b;

	build(&b, raw, strlen(raw));
	return head_check(&b.h, b.target);
}

/* For raw bytes holding a NUL. */
static struct head_verdict
check_n(const char *raw, size_t len)
{
	static struct built b;

	build(&b, raw, len);
	return head_check(&b.h, b.target);
}

Test(head, a_plain_request_is_sound)
{
	struct head_verdict v = check("GET /sources?limit=2 HTTP/1.1\r\n"
	    "Host: example.com\r\nAccept:  */*  \r\n\r\n");

	cr_assert_eq(v.status, 0, "%s", v.detail);
	cr_assert_str_eq(v.path, "/sources?limit=2");
	cr_assert_not(v.body);
}

Test(head, two_content_lengths_are_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
	    "Content-Length: 0\r\n\r\n").status, 400);
}

Test(head, a_content_length_that_is_not_digits_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e2"
	    "\r\n\r\n").status, 400);
}

Test(head, a_nonzero_content_length_announces_a_body)
{
	struct head_verdict v = check("GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 010\r\n\r\n");

	cr_assert_eq(v.status, 0);
	cr_assert(v.body);
}

Test(head, a_zero_content_length_announces_no_body)
{
	struct head_verdict v = check("GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 000\r\n\r\n");

	cr_assert_eq(v.status, 0);
	cr_assert_not(v.body);
}

Test(head, length_with_transfer_encoding_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
	    "chunked\r\nContent-Length: 3\r\n\r\n").status, 400);
}

Test(head, chunked_announces_a_body)
{
	struct head_verdict v = check("GET / HTTP/1.1\r\nHost: x\r\n"
	    "Transfer-Encoding: Chunked\r\n\r\n");

	cr_assert_eq(v.status, 0);
	cr_assert(v.body);
}

Test(head, a_trailing_empty_coding_element_is_ignored)
{
	struct head_verdict v = check("GET / HTTP/1.1\r\nHost: x\r\n"
	    "Transfer-Encoding: chunked, ,\t\r\n\r\n");

	cr_assert_eq(v.status, 0, "%s", v.detail);
	cr_assert(v.body);
}

Test(head, an_unknown_transfer_coding_is_not_implemented)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
	    "gzip, chunked\r\n\r\n").status, 501);
}

Test(head, chunked_not_last_or_twice_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
	    "gzip\r\n\r\n").status, 400);
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
	    "chunked, gzip\r\n\r\n").status, 400);
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
	    "chunked , chunked\r\n\r\n").status, 400);
}

Test(head, transfer_encoding_twice_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
	    "chunked\r\nTransfer-Encoding: chunked\r\n\r\n").status, 400);
}

Test(head, transfer_encoding_in_http10_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n").status, 400);
}

Test(head, whitespace_before_a_colon_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nX-Foo : bar\r\n\r\n")
	    .status, 400);
}

Test(head, an_obs_fold_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nX-Foo: a\r\n b\r\n"
	    "Accept: */*\r\n\r\n").status, 400);
}

Test(head, an_obs_fold_on_the_last_field_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nX-Foo: a\r\n\tb\r\n"
	    "\r\n").status, 400);
}

Test(head, a_bare_lf_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\nAccept: */*\r\n\r\n")
	    .status, 400);
}

Test(head, a_bare_lf_after_the_request_line_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\nHost: x\r\n\r\n").status, 400);
}

Test(head, a_bare_lf_ending_the_head_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\n\n").status, 400);
}

Test(head, a_nul_in_a_value_is_refused)
{
	static const char raw[] = "GET / HTTP/1.1\r\nHost: x\r\nA: b\0c\r\n\r\n";

	cr_assert_eq(check_n(raw, sizeof(raw) - 1).status, 400);
}

Test(head, a_control_character_in_a_value_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n")
	    .status, 400);
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nA: b\x7f\r\n\r\n")
	    .status, 400);
}

Test(head, a_tab_and_obs_text_in_a_value_are_allowed)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nA: b\tc\xe9\r\n\r\n")
	    .status, 0);
}

Test(head, a_name_that_is_not_a_token_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\nX@Y: 1\r\n\r\n")
	    .status, 400);
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: x\r\n: 1\r\n\r\n").status,
	    400);
}

Test(head, two_spaces_in_the_request_line_are_refused)
{
	cr_assert_eq(check("GET  / HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
}

Test(head, http11_without_host_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n").status,
	    400);
}

Test(head, http10_without_host_is_sound)
{
	cr_assert_eq(check("GET / HTTP/1.0\r\n\r\n").status, 0);
}

Test(head, two_hosts_are_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n")
	    .status, 400);
}

Test(head, an_invalid_host_is_refused)
{
	cr_assert_eq(check("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n").status, 400);
}

Test(head, too_many_fields_are_refused_with_431)
{
	static struct built b;

	build(&b, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27);
	b.h.too_many = true;
	cr_assert_eq(head_check(&b.h, b.target).status, 431);
}

Test(head, the_absolute_form_gives_its_path)
{
	struct head_verdict v = check("GET http://example.com:8080/a?b=c "
	    "HTTP/1.1\r\nHost: example.com\r\n\r\n");

	cr_assert_eq(v.status, 0, "%s", v.detail);
	cr_assert_str_eq(v.path, "/a?b=c");
	v = check("GET HTTP://example.com HTTP/1.1\r\nHost: x\r\n\r\n");
	cr_assert_str_eq(v.path, "/");
}

Test(head, other_absolute_forms_are_refused)
{
	cr_assert_eq(check("GET ftp://x/a HTTP/1.1\r\nHost: x\r\n\r\n").status,
	    400);
	cr_assert_eq(check("GET http://u@x/a HTTP/1.1\r\nHost: x\r\n\r\n")
	    .status, 400);
	cr_assert_eq(check("GET http:///a HTTP/1.1\r\nHost: x\r\n\r\n").status,
	    400);
}

Test(head, the_asterisk_form_is_for_options_only)
{
	struct head_verdict v = check("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");

	cr_assert_eq(v.status, 0);
	cr_assert_str_eq(v.path, "*");
	cr_assert_eq(check("GET * HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
}

Test(head, the_authority_form_is_for_connect_only)
{
	struct head_verdict v = check("CONNECT example.com:443 HTTP/1.1\r\n"
	    "Host: example.com:443\r\n\r\n");

	cr_assert_eq(v.status, 0);
	cr_assert_str_eq(v.path, "example.com:443");
	cr_assert_eq(check("GET example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
	    .status, 400);
}

Test(head, methods_are_classified_case_sensitively)
{
	cr_assert_eq(head_method("GET"), HEAD_METHOD_SERVED);
	cr_assert_eq(head_method("OPTIONS"), HEAD_METHOD_SERVED);
	cr_assert_eq(head_method("DELETE"), HEAD_METHOD_REFUSED);
	cr_assert_eq(head_method("get"), HEAD_METHOD_UNKNOWN);
	cr_assert_eq(head_method("CONNECT"), HEAD_METHOD_UNKNOWN);
}

Test(head, host_values)
{
	static const char *const good[] = { "", "example.com", "a.b:8080",
	    "127.0.0.1", "[::1]", "[::1]:80", "x%41y", "a:" };
	static const char *const bad[] = { "a b", "a/b", "x:y:z", "[::1",
	    "host:80a", "user@host", "[zz]", "a:123456", "x%4" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(head_valid_host(good[i], strlen(good[i])), "%s",
		    good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(head_valid_host(bad[i], strlen(bad[i])), "%s",
		    bad[i]);
}

/* RFC 9110 section 5.5: a field value excludes the whitespace around it,
 * so a Content-Length followed by spaces or a tab is still digits. */
Test(head, content_length_may_have_trailing_whitespace)
{
	struct head_verdict v = check("GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 0 \t\r\n\r\n");

	cr_assert_eq(v.status, 0, "%s", v.detail);
	cr_assert_not(v.body);
	v = check("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5  \r\n\r\n");
	cr_assert_eq(v.status, 0, "%s", v.detail);
	cr_assert(v.body);
}

/* RFC 9110 section 5.6.1: a recipient accepts and ignores empty list
 * elements, whitespace-only ones included. */
Test(head, empty_elements_of_the_coding_list_are_ignored)
{
	struct head_verdict v = check("GET / HTTP/1.1\r\nHost: x\r\n"
	    "Transfer-Encoding: , \t, chunked\r\n\r\n");

	cr_assert_eq(v.status, 0, "%s", v.detail);
	cr_assert(v.body);
}
