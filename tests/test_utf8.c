/* utf8: strict decoding and offsets in code points, bytes and UTF-16. */
#include <criterion/criterion.h>
#include <string.h>

#include "utf8.h"

static uint32_t
decode_one(const char *s, size_t len, size_t *used)
{
	size_t at = 0;
	uint32_t cp = 0;

	cr_assert(utf8_decode(s, len, &at, &cp), "refused a valid sequence");
	*used = at;
	return cp;
}

static void
assert_refused(const char *s, size_t len)
{
	size_t at = 0;
	uint32_t cp;

	cr_assert_not(utf8_decode(s, len, &at, &cp));
	cr_assert_eq(at, 0, "a refused decode must not advance");
	cr_assert_not(utf8_validate(s, len, NULL));
}

Test(utf8, decodes_ascii)
{
	size_t used;

	cr_assert_eq(decode_one("A", 1, &used), 0x41);
	cr_assert_eq(used, 1);
}

Test(utf8, decodes_two_byte)
{
	size_t used;

	cr_assert_eq(decode_one("\xC3\xA9", 2, &used), 0xE9);	/* é */
	cr_assert_eq(used, 2);
}

Test(utf8, decodes_three_byte)
{
	size_t used;

	cr_assert_eq(decode_one("\xE2\x80\x9C", 3, &used), 0x201C);	/* “ */
	cr_assert_eq(used, 3);
}

Test(utf8, decodes_four_byte_astral)
{
	size_t used;

	cr_assert_eq(decode_one("\xF0\x9F\x98\x80", 4, &used), 0x1F600);
	cr_assert_eq(used, 4);
}

Test(utf8, refuses_overlong_encodings)
{
	assert_refused("\xC0\xAF", 2);		/* '/' in two bytes */
	assert_refused("\xC1\xBF", 2);
	assert_refused("\xE0\x80\xAF", 3);
	assert_refused("\xF0\x80\x80\xAF", 4);
}

Test(utf8, refuses_surrogates)
{
	assert_refused("\xED\xA0\x80", 3);	/* U+D800 */
	assert_refused("\xED\xBF\xBF", 3);	/* U+DFFF */
}

Test(utf8, refuses_beyond_unicode)
{
	assert_refused("\xF4\x90\x80\x80", 4);	/* U+110000 */
	assert_refused("\xF5\x80\x80\x80", 4);
	assert_refused("\xFF", 1);
}

Test(utf8, refuses_truncated_and_stray_bytes)
{
	assert_refused("\xE2\x80", 2);
	assert_refused("\x80", 1);
	assert_refused("\xC3\x28", 2);
}

Test(utf8, validate_reports_the_offset_of_the_first_bad_byte)
{
	size_t bad = 0;

	cr_assert_not(utf8_validate("ab\xC3\xA9" "c\xFF" "d", 6, &bad));
	cr_assert_eq(bad, 5);
}

Test(utf8, validate_refuses_nul)
{
	size_t bad = 99;

	cr_assert_not(utf8_validate("a\0b", 3, &bad));
	cr_assert_eq(bad, 1);
}

Test(utf8, measures_ascii)
{
	struct utf8_pos p;

	cr_assert(utf8_measure("hello", 5, &p));
	cr_assert_eq(p.bytes, 5);
	cr_assert_eq(p.codepoints, 5);
	cr_assert_eq(p.utf16, 5);
}

Test(utf8, measures_mixed_widths)
{
	/* a é “ 😀 b : 1 + 2 + 3 + 4 + 1 bytes */
	const char *s = "a\xC3\xA9\xE2\x80\x9C\xF0\x9F\x98\x80" "b";
	struct utf8_pos p;

	cr_assert(utf8_measure(s, strlen(s), &p));
	cr_assert_eq(p.bytes, 11);
	cr_assert_eq(p.codepoints, 5);
	cr_assert_eq(p.utf16, 6, "the astral character takes two UTF-16 units");
}

Test(utf8, measure_refuses_invalid)
{
	struct utf8_pos p;

	cr_assert_not(utf8_measure("a\xC0\xAF", 3, &p));
}

Test(utf8, steps_back_and_forward_by_code_points)
{
	const char *s = "a\xC3\xA9\xF0\x9F\x98\x80" "b";	/* a é 😀 b */
	size_t len = strlen(s);

	cr_assert_eq(utf8_back(s, len, 1), 7);
	cr_assert_eq(utf8_back(s, len, 2), 3);
	cr_assert_eq(utf8_back(s, len, 3), 1);
	cr_assert_eq(utf8_back(s, len, 99), 0);
	cr_assert_eq(utf8_forward(s, len, 0, 2), 3);
	cr_assert_eq(utf8_forward(s, len, 3, 1), 7);
	cr_assert_eq(utf8_forward(s, len, 3, 99), len);
}

Test(utf8, classifies_whitespace)
{
	cr_assert(utf8_is_space(' '));
	cr_assert(utf8_is_space('\n'));
	cr_assert(utf8_is_space(0xA0));		/* no-break space */
	cr_assert(utf8_is_space(0x2009));	/* thin space */
	cr_assert_not(utf8_is_space('a'));
	cr_assert_not(utf8_is_space(0x201C));
}

Test(utf8, classifies_word_characters)
{
	cr_assert(utf8_is_word('X'));
	cr_assert(utf8_is_word('7'));
	cr_assert(utf8_is_word(0xE9));		/* é */
	cr_assert(utf8_is_word(0x4E60));	/* 习 */
	cr_assert_not(utf8_is_word(0x2019));	/* ’ */
	cr_assert_not(utf8_is_word('-'));
	cr_assert_not(utf8_is_word(0xA0));
}

Test(utf8, offsets_convert_from_each_unit_to_bytes)
{
	const char *s = "a\xC3\xA9\xF0\x9F\x98\x80" "b";	/* a é 😀 b */
	size_t len = strlen(s), b = 99;

	cr_assert(utf8_offset(s, len, UTF8_CODEPOINTS, 3, &b));
	cr_assert_eq(b, 7);
	cr_assert(utf8_offset(s, len, UTF8_UTF16, 4, &b));
	cr_assert_eq(b, 7, "the astral character counts two UTF-16 units");
	cr_assert(utf8_offset(s, len, UTF8_BYTES, 3, &b));
	cr_assert_eq(b, 3);
	cr_assert(utf8_offset(s, len, UTF8_CODEPOINTS, 4, &b));
	cr_assert_eq(b, len);
}

Test(utf8, offsets_inside_a_character_or_past_the_end_are_refused)
{
	const char *s = "a\xC3\xA9\xF0\x9F\x98\x80" "b";
	size_t len = strlen(s), b;

	cr_assert_not(utf8_offset(s, len, UTF8_BYTES, 2, &b));
	cr_assert_not(utf8_offset(s, len, UTF8_UTF16, 3, &b),
	    "between the halves of a surrogate pair");
	cr_assert_not(utf8_offset(s, len, UTF8_CODEPOINTS, 5, &b));
	cr_assert_not(utf8_offset(s, len, UTF8_BYTES, len + 1, &b));
}

/* U+10000, the first character beyond the Basic Multilingual Plane, is a
 * surrogate pair in UTF-16 (RFC 2781 section 2.1): two units; U+FFFF, the
 * last below it, one. */
Test(utf8, u10000_is_the_first_character_of_two_utf16_units)
{
	struct utf8_pos p;

	cr_assert(utf8_measure("\xF0\x90\x80\x80", 4, &p));	/* U+10000 */
	cr_assert_eq(p.codepoints, 1);
	cr_assert_eq(p.utf16, 2);
	cr_assert(utf8_measure("\xEF\xBF\xBF", 3, &p));	/* U+FFFF */
	cr_assert_eq(p.utf16, 1);
	cr_assert_eq(utf8_utf16_units(0x10000), 2);
	cr_assert_eq(utf8_utf16_units(0xFFFF), 1);
	cr_assert_eq(utf8_utf16_units(0x10FFFF), 2);
}

/* RFC 3629 section 4: after E0 the second byte is A0..BF; E0 80..9F would
 * spell U+0000..U+07FF, which have shorter forms, in three bytes. */
Test(utf8, refuses_a_three_byte_overlong_of_a_two_byte_character)
{
	size_t used;

	assert_refused("\xE0\x9F\xBF", 3);	/* U+07FF */
	assert_refused("\xE0\x82\x80", 3);	/* U+0080 */
	cr_assert_eq(decode_one("\xE0\xA0\x80", 3, &used), 0x800,
	    "U+0800 is the first character that takes three bytes");
}

/* Unicode's White_Space property (PropList.txt): exactly these 25. */
Test(utf8, every_unicode_white_space_character_is_space)
{
	static const uint32_t space[] = { 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20,
	    0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
	    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029,
	    0x202F, 0x205F, 0x3000 };
	/* Look-alikes that are not White_Space. */
	static const uint32_t not_space[] = { 0x08, 0x0E, 0x1C, 0x1F, 0x7F,
	    0x84, 0x86, 0x180E, 0x200B, 0x2060, 0x3001, 0xFEFF };

	for (size_t i = 0; i < sizeof(space) / sizeof(space[0]); i++)
		cr_assert(utf8_is_space(space[i]), "U+%04X is White_Space",
		    (unsigned)space[i]);
	for (size_t i = 0; i < sizeof(not_space) / sizeof(not_space[0]); i++)
		cr_assert_not(utf8_is_space(not_space[i]),
		    "U+%04X is not White_Space", (unsigned)not_space[i]);
}
