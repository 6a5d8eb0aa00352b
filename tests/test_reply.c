/* reply: Range and Accept-Encoding parsing. */
#include <criterion/criterion.h>

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
