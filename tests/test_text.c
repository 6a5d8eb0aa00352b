/* text: strings built piece by piece. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

Test(text, pieces_come_back_joined_with_their_length)
{
	struct text t = { 0 };
	size_t len = 0;
	char *s;

	text_add(&t, "[", 1);
	text_printf(&t, "%d,\"%s\"", 42, "ß");
	text_add(&t, "]xyz", 1);
	s = text_take(&t, &len);
	cr_assert_str_eq(s, "[42,\"ß\"]");
	cr_assert_eq(len, strlen("[42,\"ß\"]"));
	cr_assert_null(t.bytes, "take leaves the text empty");
	free(s);
}

Test(text, nothing_added_is_an_empty_string)
{
	struct text t = { 0 };
	size_t len = 7;
	char *s = text_take(&t, &len);

	cr_assert_str_eq(s, "");
	cr_assert_eq(len, 0);
	free(s);
}

Test(text, a_text_grows_past_its_first_buffer)
{
	struct text t = { 0 };
	size_t len;
	char *s;

	for (int i = 0; i < 3000; i++)
		text_printf(&t, "%04d;", i);
	s = text_take(&t, &len);
	cr_assert_eq(len, 3000 * 5);
	cr_assert_eq(strncmp(s, "0000;0001;", 10), 0);
	cr_assert_str_eq(s + len - 5, "2999;");
	free(s);
}

Test(text, a_failed_text_takes_as_null)
{
	struct text t = { 0 };
	size_t len = 3;

	text_add(&t, "abc", 3);
	t.failed = true;	/* as after a failed allocation */
	text_add(&t, "def", 3);
	cr_assert_null(text_take(&t, &len));
	cr_assert_eq(len, 3, "len is left alone on failure");
	cr_assert_null(t.bytes);
}
