/* span: anchoring quotes, whitespace runs, ambiguity, context, offsets. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "span.h"
#include "suffix.h"

static const char article[] =
    "Guo met Johnson  and\xC2\xA0Lynch on Tuesday.\n\n"
    "Guo said the talks went well. Xinhua quoted Xi\xE2\x80\x99s aide.";

static enum span_result
anchor(const char *text, const char *quote, const char *prefix,
    const char *suffix, size_t occurrence, size_t *start, size_t *end,
    size_t *count)
{
	struct span_query q = { quote, prefix, suffix, occurrence };

	return span_anchor(text, strlen(text), &q, start, end, count);
}

Test(span, finds_an_exact_unique_quote)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "on Tuesday", NULL, NULL, 0, &s, &e, &n),
	    SPAN_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(e - s, strlen("on Tuesday"));
	cr_assert_eq(memcmp(article + s, "on Tuesday", e - s), 0);
}

Test(span, a_space_matches_a_run_of_spaces)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Johnson and", NULL, NULL, 0, &s, &e, &n),
	    SPAN_OK);
	cr_assert_eq(memcmp(article + s, "Johnson  and", e - s), 0,
	    "the span covers the article's own double space");
}

Test(span, a_space_matches_a_no_break_space)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "and Lynch", NULL, NULL, 0, &s, &e, &n),
	    SPAN_OK);
	cr_assert_eq(e - s, strlen("and\xC2\xA0Lynch"));
}

Test(span, a_space_matches_newlines)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Tuesday. Guo said", NULL, NULL, 0, &s, &e,
	    &n), SPAN_OK);
	cr_assert_eq(memcmp(article + s, "Tuesday.\n\nGuo said", e - s), 0);
}

Test(span, whitespace_is_required_where_the_quote_has_it)
{
	size_t s, e, n;

	cr_assert_eq(anchor("GuoSaid", "Guo Said", NULL, NULL, 0, &s, &e, &n),
	    SPAN_NOT_FOUND);
}

Test(span, reports_not_found)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "on Friday", NULL, NULL, 0, &s, &e, &n),
	    SPAN_NOT_FOUND);
	cr_assert_eq(n, 0);
}

Test(span, reports_ambiguity_with_the_count)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Guo", NULL, NULL, 0, &s, &e, &n),
	    SPAN_AMBIGUOUS);
	cr_assert_eq(n, 2);
}

Test(span, a_prefix_picks_one_match)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Guo", "\n", NULL, 0, &s, &e, &n), SPAN_OK);
	cr_assert_eq(s, strlen("Guo met Johnson  and\xC2\xA0Lynch on Tuesday.\n\n"));
	cr_assert_eq(e - s, 3, "the prefix is not part of the span");
}

Test(span, a_suffix_picks_one_match)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Guo", NULL, " said", 0, &s, &e, &n),
	    SPAN_OK);
	cr_assert_eq(memcmp(article + e, " said", 5), 0);
}

Test(span, a_prefix_matches_across_whitespace_runs)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Lynch", "Johnson and ", NULL, 0, &s, &e,
	    &n), SPAN_OK);
	cr_assert_eq(memcmp(article + s, "Lynch", 5), 0);
}

Test(span, an_occurrence_picks_the_nth_match)
{
	size_t s1, e1, s2, e2, n;

	cr_assert_eq(anchor(article, "Guo", NULL, NULL, 1, &s1, &e1, &n),
	    SPAN_OK);
	cr_assert_eq(anchor(article, "Guo", NULL, NULL, 2, &s2, &e2, &n),
	    SPAN_OK);
	cr_assert_eq(s1, 0);
	cr_assert_gt(s2, s1);
}

Test(span, an_occurrence_beyond_the_matches_fails)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, "Guo", NULL, NULL, 3, &s, &e, &n),
	    SPAN_NO_OCCURRENCE);
	cr_assert_eq(n, 2);
}

Test(span, refuses_quotes_with_outer_whitespace_or_empty)
{
	size_t s, e, n;

	cr_assert_eq(anchor(article, " Guo", NULL, NULL, 0, &s, &e, &n),
	    SPAN_BAD_QUOTE);
	cr_assert_eq(anchor(article, "Guo\xC2\xA0", NULL, NULL, 0, &s, &e, &n),
	    SPAN_BAD_QUOTE);
	cr_assert_eq(anchor(article, "", NULL, NULL, 0, &s, &e, &n),
	    SPAN_BAD_QUOTE);
}

Test(span, a_leading_whitespace_prefix_counts_a_run_once)
{
	size_t s, e, n;

	/* "  and" could start at either space; it is one match. */
	cr_assert_eq(anchor(article, "and", " ", NULL, 0, &s, &e, &n), SPAN_OK);
	cr_assert_eq(n, 1);
}

static bool
collect(size_t start, size_t end, void *ctx)
{
	size_t *spans = ctx;

	spans[spans[0] * 2 + 1] = start;
	spans[spans[0] * 2 + 2] = end;
	spans[0]++;
	return true;
}

Test(span, whole_words_never_match_inside_a_word)
{
	struct span_query q = { .quote = "Xi" };
	size_t spans[9] = { 0 }, count;

	cr_assert_eq(span_each(article, strlen(article), &q, true, collect,
	    spans, &count), SPAN_OK);
	cr_assert_eq(count, 1, "Xinhua must not count as Xi");
	cr_assert_eq(memcmp(article + spans[1], "Xi\xE2\x80\x99s", 5), 0,
	    "the possessive is found");
}

Test(span, describes_offsets_in_three_units)
{
	/* é (2 bytes) and 😀 (4 bytes, 2 UTF-16 units) before the span */
	const char *text = "\xC3\xA9 \xF0\x9F\x98\x80 quote here";
	size_t start = strlen("\xC3\xA9 \xF0\x9F\x98\x80 ");
	struct span sp;

	cr_assert(span_describe(text, strlen(text), start, start + 5, &sp));
	cr_assert_eq(sp.start.bytes, 8);
	cr_assert_eq(sp.start.codepoints, 4);
	cr_assert_eq(sp.start.utf16, 5);
	cr_assert_eq(sp.end.bytes, 13);
	cr_assert_eq(sp.end.codepoints, 9);
	cr_assert_eq(sp.end.utf16, 10);
	cr_assert_eq(sp.prefix_at, 0, "all context before is shorter than 32");
	cr_assert_eq(sp.suffix_end, strlen(text));
}

Test(span, context_is_at_most_32_code_points)
{
	char text[200];
	struct span sp;

	memset(text, 'x', 100);
	memcpy(text + 100, "\xC3\xA9", 2);
	memset(text + 102, 'y', 60);
	text[162] = '\0';
	cr_assert(span_describe(text, 162, 100, 102, &sp));
	cr_assert_eq(100 - sp.prefix_at, 32);
	cr_assert_eq(sp.suffix_end - 102, 32);
}

Test(span, describe_refuses_offsets_inside_a_character)
{
	const char *text = "a\xC3\xA9" "b";
	struct span sp;

	cr_assert_not(span_describe(text, 4, 2, 3, &sp));
	cr_assert_not(span_describe(text, 4, 1, 9, &sp));
	cr_assert_not(span_describe(text, 4, 3, 1, &sp));
}

Test(span, a_compiled_pattern_matches_only_where_it_is_tried)
{
	struct span_query q = { .quote = "Johnson and" };
	struct span_pattern *p;
	size_t s, e, at = strlen("Guo met ");

	cr_assert_eq(span_compile(&q, &p), SPAN_OK);
	cr_assert(span_match_at(p, article, strlen(article), at, true, &s, &e));
	cr_assert_eq(s, at);
	cr_assert_eq(e - s, strlen("Johnson  and"), "the article's own spaces");
	cr_assert_not(span_match_at(p, article, strlen(article), at + 1, false,
	    &s, &e));
	span_pattern_free(p);
}

Test(span, a_compiled_pattern_respects_word_boundaries)
{
	struct span_query q = { .quote = "Xi" };
	struct span_pattern *p;
	const char *x = strstr(article, "Xinhua");
	size_t s, e;

	cr_assert_eq(span_compile(&q, &p), SPAN_OK);
	cr_assert_not(span_match_at(p, article, strlen(article),
	    (size_t)(x - article), true, &s, &e), "not inside Xinhua");
	cr_assert(span_match_at(p, article, strlen(article),
	    (size_t)(x - article), false, &s, &e), "without whole words, yes");
	span_pattern_free(p);
}

/* Each astral character inside a span counts two UTF-16 units towards its
 * end, as JavaScript's String.length counts them: "a😀b" is 4 units. */
Test(span, utf16_end_counts_the_astral_characters_inside_the_span)
{
	const char *text = "x a\xF0\x9F\x98\x80" "b y";	/* x a 😀 b y */
	struct span sp;

	cr_assert(span_describe(text, strlen(text), 2, 8, &sp));	/* a😀b */
	cr_assert_eq(sp.start.utf16, 2);
	cr_assert_eq(sp.end.utf16, 6);
	cr_assert_eq(sp.end.codepoints, 5);
	cr_assert_eq(sp.end.bytes, 8);
}

/* A quote's single space stands for a whole run of whitespace, however
 * long: here a space, a tab, a newline and two spaces. */
Test(span, a_space_matches_a_run_of_three_or_more)
{
	static const char text[] = "The talks were held \t\n  in Beijing.";
	size_t s, e, n;

	cr_assert_eq(anchor(text, "held in Beijing", NULL, NULL, 0, &s, &e, &n),
	    SPAN_OK);
	cr_assert_eq(e - s, strlen("held \t\n  in Beijing"));
	cr_assert_eq(anchor("a\xC2\xA0\xC2\xA0\xC2\xA0z", "a z", NULL, NULL, 0,
	    &s, &e, &n), SPAN_OK, "three no-break spaces");
	cr_assert_eq(e - s, 8);
}

/* Two copies of P L Q (P 30 p's, L 40 digits, Q 29 q's), the first
 * followed by "1", the second by "22": the quote L[4..36) of the second
 * copy has the same 32 code points each side as in the first. The suffix
 * needs 34 code points (to the '2' after Q) to tell them apart, the
 * prefix 35 (to the '1' before P): the suffix, the shorter, grows. */
Test(span, a_repeated_context_grows_the_shorter_side)
{
	char p[31], q[30], text[300];
	const char *l = "0123456789012345678901234567890123456789";
	struct span sp;
	size_t bs;

	memset(p, 'p', 30);
	p[30] = '\0';
	memset(q, 'q', 29);
	q[29] = '\0';
	snprintf(text, sizeof(text), "%s%s%s1%s%s%s22", p, l, q, p, l, q);
	bs = 30 + 40 + 29 + 1 + 30 + 4;
	cr_assert(span_describe(text, strlen(text), bs, bs + 32, &sp));
	cr_assert_eq(sp.prefix_at, bs - 32, "the prefix stays 32");
	cr_assert_eq(sp.suffix_end, bs + 32 + 34, "the suffix ends after the "
	    "first '2', at %zu", sp.suffix_end);
}

/* When the suffix cannot tell two places apart (the second copy ends the
 * text), the prefix grows instead, to the first character that differs
 * (\u00E9 against \u00E8, whose first bytes are the same): it takes in the
 * whole character. */
Test(span, a_context_at_the_end_grows_the_prefix)
{
	char text[300], copy[64];
	struct span sp;
	size_t second;

	memset(copy, 'z', 40);
	copy[40] = '\0';
	snprintf(text, sizeof(text), "\xC3\xA8%s\xC3\xA9%s", copy, copy);
	second = strlen(text) - 40;
	cr_assert(span_describe(text, strlen(text), second + 36, second + 38,
	    &sp));
	cr_assert_eq(sp.suffix_end, strlen(text));
	cr_assert_eq(sp.prefix_at, second - 2, "prefix at %zu", sp.prefix_at);
}

/* With the text's suffix array, the context is the one a scan finds. */
Test(span, the_suffix_array_finds_the_same_context)
{
	char p[31], q[30], text[300];
	const char *l = "0123456789012345678901234567890123456789";
	struct span scan, indexed;
	struct suffix *idx;
	size_t bs;

	memset(p, 'p', 30);
	p[30] = '\0';
	memset(q, 'q', 29);
	q[29] = '\0';
	snprintf(text, sizeof(text), "%s%s%s1%s%s%s22", p, l, q, p, l, q);
	bs = 30 + 40 + 29 + 1 + 30 + 4;
	idx = suffix_build(text, strlen(text));
	cr_assert_not_null(idx);
	cr_assert(span_describe(text, strlen(text), bs, bs + 32, &scan));
	cr_assert(span_describe_in(text, strlen(text), idx, bs, bs + 32, NULL,
	    &indexed));
	cr_assert_eq(indexed.prefix_at, scan.prefix_at);
	cr_assert_eq(indexed.suffix_end, scan.suffix_end);
	cr_assert(indexed.unique);
	suffix_free(idx);
}

/* A text that repeats one sentence 1000 times: no context of up to
 * SPAN_CONTEXT_MAX bytes tells the first copy's quote apart. */
Test(span, a_text_repeating_itself_leaves_no_unique_context)
{
	static const char sentence[] = "Ada met Bo. ";
	size_t n = 1000, each = sizeof(sentence) - 1;
	char *text = malloc(n * each + 1);
	struct span sp;

	cr_assert_not_null(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * each, sentence, each);
	text[n * each] = '\0';
	cr_assert(span_describe(text, n * each, 0, 3, &sp));
	cr_assert_not(sp.unique);
	cr_assert(span_describe(text, n * each, 0, 3, &sp) &&
	    sp.suffix_end - 3 <= SPAN_CONTEXT_MAX + 4);
	free(text);
}
