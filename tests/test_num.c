/* Unit tests of num: num_parse reads bounded integers as strtonum does. */
#include <criterion/criterion.h>
#include <limits.h>

#include "num.h"

Test(num, reads_an_integer_within_its_bounds)
{
	const char *errstr = "unset";

	cr_assert_eq(num_parse("500", 1, 500, &errstr), 500);
	cr_assert_null(errstr);
	cr_assert_eq(num_parse("0", 0, 500, &errstr), 0);
	cr_assert_null(errstr);
}

Test(num, refuses_what_is_out_of_its_bounds)
{
	const char *errstr;

	cr_assert_eq(num_parse("501", 1, 500, &errstr), 0);
	cr_assert_str_eq(errstr, "too large");
	cr_assert_eq(num_parse("-1", 0, 500, &errstr), 0);
	cr_assert_str_eq(errstr, "too small");
	num_parse("9223372036854775808", 0, LLONG_MAX, &errstr);
	cr_assert_str_eq(errstr, "too large", "past LLONG_MAX");
}

Test(num, refuses_what_is_not_a_number)
{
	const char *bad[] = { "", "x", "5x", "5 ", "0x10", "1e3", "--1" };
	const char *errstr;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(num_parse(bad[i], 0, 500, &errstr), 0);
		cr_assert_str_eq(errstr, "invalid", "\"%s\"", bad[i]);
	}
}
