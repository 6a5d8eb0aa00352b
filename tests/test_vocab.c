/* Unit tests of vocab: dates and timeframes at mixed precision. */
#include <criterion/criterion.h>

#include "vocab.h"

Test(vocab, a_timeframe_may_end_at_a_coarser_precision)
{
	cr_assert(vocab_valid_timeframe("2016-03/2016"));
	cr_assert(vocab_valid_timeframe("2016-12-31/2016-12"));
}

Test(vocab, a_timeframe_may_start_at_a_coarser_precision)
{
	cr_assert(vocab_valid_timeframe("2016/2016-01-01"));
	cr_assert(vocab_valid_timeframe("2015-12/2016-01-01"));
}

Test(vocab, a_timeframe_that_ends_before_it_starts_is_refused)
{
	cr_assert_not(vocab_valid_timeframe("2016-03/2016-02"));
	cr_assert_not(vocab_valid_timeframe("2017/2016-12"));
	cr_assert_not(vocab_valid_timeframe("2016-03-02/2016-03-01"));
}

Test(vocab, a_timeframe_of_a_date_that_does_not_exist_is_refused)
{
	cr_assert_not(vocab_valid_timeframe("2015-02-29/2016"));
	cr_assert_not(vocab_valid_timeframe("2016/2016-13"));
	cr_assert(vocab_valid_timeframe("2016-02-29"));
}
