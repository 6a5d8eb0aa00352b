/* memo: rendered records kept by one connection, within a budget. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "memo.h"

Test(memo, a_kept_text_comes_back_with_its_length)
{
	struct memo *m = memo_new(1 << 20);
	size_t len = 0;
	const char *got;

	cr_assert(memo_put(m, "4:claim-one", "{\"id\":\"claim-one\"}", 18));
	got = memo_get(m, "4:claim-one", &len);
	cr_assert_not_null(got);
	cr_assert_eq(len, 18);
	cr_assert_str_eq(got, "{\"id\":\"claim-one\"}");
	memo_free(m);
}

Test(memo, an_unknown_key_is_not_found)
{
	struct memo *m = memo_new(1 << 20);
	size_t len = 7;

	cr_assert(memo_put(m, "1:china", "{}", 2));
	cr_assert_null(memo_get(m, "1:chin", &len));
	cr_assert_null(memo_get(m, "2:china", &len));
	cr_assert_eq(len, 7, "len must be left alone on a miss");
	memo_free(m);
}

Test(memo, nothing_is_kept_past_the_budget)
{
	struct memo *m = memo_new(300);
	char text[100];
	size_t len, kept = 0;

	memset(text, 'x', sizeof(text));
	for (int i = 0; i < 10; i++) {
		char key[16];
		snprintf(key, sizeof(key), "k%d", i);
		kept += memo_put(m, key, text, sizeof(text));
	}
	cr_assert_eq(kept, 2, "300 bytes hold two 100-byte texts with their "
	    "keys and headers, not %zu", kept);
	cr_assert_not_null(memo_get(m, "k0", &len));
	cr_assert_not_null(memo_get(m, "k1", &len));
	cr_assert_null(memo_get(m, "k2", &len));
	memo_free(m);
}

Test(memo, a_zero_budget_keeps_nothing)
{
	struct memo *m = memo_new(0);
	size_t len;

	cr_assert_not(memo_put(m, "k", "v", 1));
	cr_assert_null(memo_get(m, "k", &len));
	memo_free(m);
}

Test(memo, every_text_survives_the_table_growing)
{
	struct memo *m = memo_new(64 << 20);
	char key[32], text[32];
	size_t len;

	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "3:outcome-%d", i);
		snprintf(text, sizeof(text), "{\"n\":%d}", i);
		cr_assert(memo_put(m, key, text, strlen(text)));
	}
	for (int i = 0; i < 5000; i++) {
		const char *got;
		snprintf(key, sizeof(key), "3:outcome-%d", i);
		snprintf(text, sizeof(text), "{\"n\":%d}", i);
		got = memo_get(m, key, &len);
		cr_assert_not_null(got, "%s lost", key);
		cr_assert_str_eq(got, text);
		cr_assert_eq(len, strlen(text));
	}
	memo_free(m);
}

Test(memo, a_null_memo_keeps_nothing)
{
	size_t len;

	cr_assert_not(memo_put(NULL, "k", "v", 1));
	cr_assert_null(memo_get(NULL, "k", &len));
	memo_free(NULL);
}
