/* span: anchoring quotes in a text and describing the result in three units. */
#ifndef ACCORD_SPAN_H
#define ACCORD_SPAN_H

#include <stdbool.h>
#include <stddef.h>

#include "suffix.h"
#include "utf8.h"

/* Number of code points of context kept at least on each side of a span
 * (fewer only at the text's start or end); more where needed to make
 * prefix+exact+suffix occur once in the text. */
#define SPAN_CONTEXT 32

/* The most bytes of context on a side that widening adds up to. */
#define SPAN_CONTEXT_MAX 4096

/* A citation by quote. prefix and suffix may be NULL; occurrence 0 means
 * "the only match". All strings are borrowed and must be valid UTF-8. */
struct span_query {
	const char *quote;
	const char *prefix;
	const char *suffix;
	size_t occurrence;
};

enum span_result {
	SPAN_OK = 0,
	SPAN_NOT_FOUND,		/* no match at all */
	SPAN_AMBIGUOUS,		/* several matches and no occurrence given */
	SPAN_NO_OCCURRENCE,	/* fewer matches than the occurrence asked */
	SPAN_BAD_QUOTE,		/* empty, or begins or ends with whitespace */
	SPAN_NO_MEMORY,
};

/* A located span. Offsets of its start and end in all three units, the
 * byte offsets where its prefix begins and its suffix ends, and whether
 * prefix+exact+suffix occurs once in the text. */
struct span {
	struct utf8_pos start;
	struct utf8_pos end;
	size_t prefix_at;
	size_t suffix_end;
	bool unique;
};

/* Called once per match with its byte offsets; return false to stop. */
typedef bool (*span_visit_fn)(size_t byte_start, size_t byte_end, void *ctx);

/*
 * Finds the one match of q in text[0..len) and stores its byte offsets in
 * *byte_start and *byte_end. A whitespace run in the query matches a run of
 * one or more whitespace characters in the text. *count receives the number
 * of matches seen (if count is non-NULL). Returns SPAN_OK or why not.
 */
enum span_result span_anchor(const char *text, size_t len,
    const struct span_query *q, size_t *byte_start, size_t *byte_end,
    size_t *count);

/*
 * Calls visit for every match of q in text[0..len), in order of position.
 * With whole_words, a match must not have a word character (utf8_is_word)
 * just before or just after it. Stores the number of matches visited in
 * *count. Returns SPAN_OK, SPAN_BAD_QUOTE or SPAN_NO_MEMORY.
 */
enum span_result span_each(const char *text, size_t len,
    const struct span_query *q, bool whole_words, span_visit_fn visit,
    void *ctx, size_t *count);

/*
 * Describes text[byte_start..byte_end) in all three units, with
 * SPAN_CONTEXT code points of context each side (fewer at the text's
 * start or end), lengthened where needed until the text from prefix_at
 * to suffix_end occurs once in the text (as Apache Annotator's
 * describeTextQuote: a unique W3C TextQuoteSelector) as far as
 * SPAN_CONTEXT_MAX bytes a side (out->unique says whether it got there).
 * The text must be valid UTF-8 and the offsets code point boundaries with
 * start <= end <= len.
 * Returns false when they are not.
 */
bool span_describe(const char *text, size_t len, size_t byte_start,
    size_t byte_end, struct span *out);

/*
 * As span_describe, but measures from *hint, a known position at or
 * before byte_start (ignored when it is not), and leaves *hint at the
 * span's start: describing spans in text order costs O(text) in all.
 */
bool span_describe_from(const char *text, size_t len, size_t byte_start,
    size_t byte_end, struct utf8_pos *hint, struct span *out);

/*
 * As span_describe_from, finding other places of the context with idx,
 * the suffix array of the text (NULL: by scanning the text, O(len) a
 * round). out->unique is false when no context of up to SPAN_CONTEXT_MAX
 * bytes a side occurs once (a text that repeats itself at length around
 * the span).
 */
bool span_describe_in(const char *text, size_t len, const struct suffix *idx,
    size_t byte_start, size_t byte_end, struct utf8_pos *hint,
    struct span *out);

/* A query compiled once, to be tried at many places. */
struct span_pattern;

/*
 * Compiles q (its strings are copied). Stores the pattern in *out (free
 * with span_pattern_free) and returns SPAN_OK, SPAN_BAD_QUOTE or
 * SPAN_NO_MEMORY.
 */
enum span_result span_compile(const struct span_query *q,
    struct span_pattern **out);

/* Frees a pattern. Accepts NULL. */
void span_pattern_free(struct span_pattern *p);

/*
 * Tries the pattern at byte `at` of text[0..len). With whole_words, the
 * match must not have a word character just before or after it. On a
 * match stores the quote's bounds and returns true.
 */
bool span_match_at(const struct span_pattern *p, const char *text,
    size_t len, size_t at, bool whole_words, size_t *byte_start,
    size_t *byte_end);

/* Returns a short English description of r, for error messages. */
const char *span_result_str(enum span_result r);

#endif
