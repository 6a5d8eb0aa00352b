/* url: the raw request target is validated before anything routes it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "url.h"

static enum url_result
parse(const char *raw, struct url *u)
{
	return url_parse(raw, u);
}

Test(url, parses_a_path_and_parameters)
{
	struct url u;

	cr_assert_eq(parse("/sources?pretty=1&source=a-b", &u), URL_OK);
	cr_assert_str_eq(u.path, "/sources");
	cr_assert_eq(u.nparams, 2);
	cr_assert_str_eq(url_param(&u, "pretty"), "1");
	cr_assert_str_eq(url_param(&u, "source"), "a-b");
	cr_assert_null(url_param(&u, "absent"));
}

Test(url, decodes_percent_escapes_and_plus_in_the_query)
{
	struct url u;

	cr_assert_eq(parse("/search?q=Guo+Shengkun%20%E2%80%9C", &u), URL_OK);
	cr_assert_str_eq(url_param(&u, "q"), "Guo Shengkun \xE2\x80\x9C");
}

Test(url, a_parameter_without_value_is_empty)
{
	struct url u;

	cr_assert_eq(parse("/sources?pretty", &u), URL_OK);
	cr_assert_str_eq(url_param(&u, "pretty"), "");
}

Test(url, refuses_an_escaped_nul)
{
	struct url u;

	cr_assert_eq(parse("/sources%00", &u), URL_NUL);
	cr_assert_eq(parse("/sources?q=%00", &u), URL_NUL);
}

Test(url, refuses_invalid_escapes)
{
	struct url u;

	cr_assert_eq(parse("/sources%zz", &u), URL_BAD_ESCAPE);
	cr_assert_eq(parse("/sources%4", &u), URL_BAD_ESCAPE);
	cr_assert_eq(parse("/sources%", &u), URL_BAD_ESCAPE);
}

Test(url, refuses_overlong_and_invalid_utf8)
{
	struct url u;

	cr_assert_eq(parse("/%C0%AF", &u), URL_BAD_UTF8);
	cr_assert_eq(parse("/sources?q=%FF", &u), URL_BAD_UTF8);
	cr_assert_eq(parse("/%ED%A0%80", &u), URL_BAD_UTF8);
}

Test(url, refuses_dot_segments_plain_or_escaped)
{
	struct url u;

	cr_assert_eq(parse("/sources/../etc", &u), URL_DOT_SEGMENT);
	cr_assert_eq(parse("/sources/%2e%2e/etc", &u), URL_DOT_SEGMENT);
	cr_assert_eq(parse("/./sources", &u), URL_DOT_SEGMENT);
	cr_assert_eq(parse("/sources/..", &u), URL_DOT_SEGMENT);
}

Test(url, allows_dots_inside_a_segment)
{
	struct url u;

	cr_assert_eq(parse("/openapi.yaml", &u), URL_OK);
	cr_assert_eq(parse("/a..b", &u), URL_OK);
}

Test(url, refuses_an_escaped_slash_in_the_path)
{
	struct url u;

	cr_assert_eq(parse("/sources%2Fetc", &u), URL_ENCODED_SLASH);
}

Test(url, refuses_raw_bytes_that_need_escaping)
{
	struct url u;

	cr_assert_eq(parse("/sources x", &u), URL_BAD_CHAR);
	cr_assert_eq(parse("/sources\"", &u), URL_BAD_CHAR);
	cr_assert_eq(parse("/sources\xC3\xA9", &u), URL_BAD_CHAR);
	cr_assert_eq(parse("/sources#frag", &u), URL_BAD_CHAR);
}

Test(url, refuses_a_target_not_in_origin_form)
{
	struct url u;

	cr_assert_eq(parse("sources", &u), URL_NOT_ORIGIN_FORM);
	cr_assert_eq(parse("*", &u), URL_NOT_ORIGIN_FORM);
}

Test(url, refuses_duplicate_parameters)
{
	struct url u;

	cr_assert_eq(parse("/sources?pretty=1&pretty=0", &u),
	    URL_DUPLICATE_PARAM);
	cr_assert_eq(parse("/sources?a=1&%61=2", &u), URL_DUPLICATE_PARAM,
	    "names are compared after decoding");
}

Test(url, facet_alone_may_repeat)
{
	struct url u;

	cr_assert_eq(parse("/claims?facet=disputed&facet=source", &u), URL_OK);
	cr_assert_eq(u.nparams, 2);
	cr_assert_str_eq(url_param(&u, "facet"), "disputed");
	cr_assert_str_eq(u.params[1].value, "source");
	cr_assert_eq(parse("/claims?facets=a&facets=b", &u),
	    URL_DUPLICATE_PARAM);
}

Test(url, refuses_a_parameter_without_name)
{
	struct url u;

	cr_assert_eq(parse("/sources?=1", &u), URL_EMPTY_PARAM);
}

Test(url, refuses_too_many_parameters)
{
	char raw[256] = "/sources?";
	struct url u;

	for (int i = 0; i <= URL_MAX_PARAMS; i++)
		sprintf(raw + strlen(raw), "p%d=1&", i);
	cr_assert_eq(parse(raw, &u), URL_TOO_MANY_PARAMS);
}

Test(url, refuses_an_overlong_target)
{
	static char raw[URL_MAX + 8];
	struct url u;

	raw[0] = '/';
	memset(raw + 1, 'a', URL_MAX);
	raw[URL_MAX + 1] = '\0';
	cr_assert_eq(parse(raw, &u), URL_TOO_LONG);
	raw[URL_MAX] = '\0';
	cr_assert_eq(parse(raw, &u), URL_OK, "exactly URL_MAX is accepted");
}

/* RFC 3986 section 2.1: the hex digits of an escape are case-insensitive,
 * so %2f is an escaped slash as %2F is, and refused in a path as it is. */
Test(url, refuses_a_lower_case_escaped_slash)
{
	struct url u;

	cr_assert_eq(parse("/sources%2fetc", &u), URL_ENCODED_SLASH);
	cr_assert_eq(parse("/sources/a%2fb/text", &u), URL_ENCODED_SLASH);
}

/* '+' stands for a space only in a query (HTML's form encoding); in a
 * path it is a sub-delim (RFC 3986 section 3.3) and means itself. */
Test(url, a_plus_in_the_path_is_a_plus)
{
	struct url u;

	cr_assert_eq(parse("/a+b?q=c+d", &u), URL_OK);
	cr_assert_str_eq(u.path, "/a+b");
	cr_assert_str_eq(url_param(&u, "q"), "c d");
}
