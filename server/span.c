#include "span.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum part { PART_PREFIX, PART_QUOTE, PART_SUFFIX };

/* A pattern token: a literal byte run, or a whitespace run (ptr == NULL). */
struct token {
	const char *ptr;
	size_t len;
	enum part part;
};

struct pattern {
	char *strings;		/* the copied query, when compiled */
	struct token *tokens;
	size_t ntokens;
	size_t first_quote;	/* index of the quote's first token */
	size_t last_quote;	/* index of the quote's last token */
};

static bool
space_at(const char *s, size_t len, size_t at, size_t *next)
{
	uint32_t cp;
	size_t pos = at;

	if (!utf8_decode(s, len, &pos, &cp) || !utf8_is_space(cp))
		return false;
	*next = pos;
	return true;
}

static bool
starts_or_ends_with_space(const char *s)
{
	size_t len = strlen(s), next;
	size_t last = utf8_back(s, len, 1);

	return space_at(s, len, 0, &next) || space_at(s, len, last, &next);
}

static void
tokenize(const char *s, enum part part, struct pattern *pat)
{
	size_t len = strlen(s), at = 0, next;

	while (at < len) {
		struct token *t = &pat->tokens[pat->ntokens];
		if (space_at(s, len, at, &next)) {
			while (space_at(s, len, next, &next))
				;
			/* Adjacent whitespace from two parts is one run. */
			if (pat->ntokens > 0 &&
			    pat->tokens[pat->ntokens - 1].ptr == NULL) {
				at = next;
				continue;
			}
			t->ptr = NULL;
			t->len = 0;
		} else {
			size_t end = at;
			uint32_t cp;
			while (end < len && !space_at(s, len, end, &next))
				if (!utf8_decode(s, len, &end, &cp))
					end++;
			next = end;
			t->ptr = s + at;
			t->len = end - at;
		}
		t->part = part;
		pat->ntokens++;
		at = next;
	}
}

/* Builds the token list of q. Returns SPAN_OK, SPAN_BAD_QUOTE or
 * SPAN_NO_MEMORY; on SPAN_OK the caller frees pat->tokens. */
static enum span_result
pattern_build(const struct span_query *q, struct pattern *pat)
{
	size_t cap;

	if (q->quote == NULL || q->quote[0] == '\0' ||
	    starts_or_ends_with_space(q->quote))
		return SPAN_BAD_QUOTE;
	cap = strlen(q->quote) + 1;
	if (q->prefix != NULL)
		cap += strlen(q->prefix);
	if (q->suffix != NULL)
		cap += strlen(q->suffix);
	pat->tokens = calloc(cap, sizeof(*pat->tokens));
	if (pat->tokens == NULL)
		return SPAN_NO_MEMORY;
	pat->ntokens = 0;
	if (q->prefix != NULL)
		tokenize(q->prefix, PART_PREFIX, pat);
	pat->first_quote = pat->ntokens;
	tokenize(q->quote, PART_QUOTE, pat);
	pat->last_quote = pat->ntokens - 1;
	if (q->suffix != NULL)
		tokenize(q->suffix, PART_SUFFIX, pat);
	return SPAN_OK;
}

static bool
preceded_by_space(const char *text, size_t len, size_t at)
{
	size_t next;

	return at > 0 && space_at(text, len, utf8_back(text, at, 1), &next);
}

/* Matches the pattern at text[at]; on success stores the quote's bounds. */
static bool
match_at(const char *text, size_t len, size_t at, const struct pattern *pat,
    size_t *qs, size_t *qe)
{
	size_t pos = at;

	/* A leading whitespace run must be matched from its start. */
	if (pat->tokens[0].ptr == NULL && preceded_by_space(text, len, at))
		return false;
	for (size_t i = 0; i < pat->ntokens; i++) {
		const struct token *t = &pat->tokens[i];
		if (i == pat->first_quote)
			*qs = pos;
		if (t->ptr == NULL) {
			if (!space_at(text, len, pos, &pos))
				return false;
			while (space_at(text, len, pos, &pos))
				;
		} else {
			if (len - pos < t->len ||
			    memcmp(text + pos, t->ptr, t->len) != 0)
				return false;
			pos += t->len;
		}
		if (i == pat->last_quote)
			*qe = pos;
	}
	return true;
}

static bool
word_before(const char *text, size_t len, size_t at)
{
	size_t pos;
	uint32_t cp;

	if (at == 0)
		return false;
	pos = utf8_back(text, at, 1);
	return utf8_decode(text, len, &pos, &cp) && utf8_is_word(cp);
}

static bool
word_after(const char *text, size_t len, size_t at)
{
	uint32_t cp;

	return utf8_decode(text, len, &at, &cp) && utf8_is_word(cp);
}

/* Returns the next candidate start at or after `from`, or len. */
static size_t
next_candidate(const char *text, size_t len, size_t from,
    const struct pattern *pat)
{
	const struct token *first = &pat->tokens[0];
	const char *hit;

	if (first->ptr == NULL)
		return from;
	if (from >= len)
		return len;
	hit = memmem(text + from, len - from, first->ptr, first->len);
	return hit == NULL ? len : (size_t)(hit - text);
}

enum span_result
span_each(const char *text, size_t len, const struct span_query *q,
    bool whole_words, span_visit_fn visit, void *ctx, size_t *count)
{
	struct pattern pat;
	enum span_result r;
	size_t at, qs = 0, qe = 0;

	*count = 0;
	r = pattern_build(q, &pat);
	if (r != SPAN_OK)
		return r;
	for (at = next_candidate(text, len, 0, &pat); at < len;
	     at = next_candidate(text, len, utf8_forward(text, len, at, 1),
	     &pat)) {
		if (!match_at(text, len, at, &pat, &qs, &qe))
			continue;
		if (whole_words && (word_before(text, len, qs) ||
		    word_after(text, len, qe)))
			continue;
		(*count)++;
		if (!visit(qs, qe, ctx))
			break;
	}
	free(pat.tokens);
	return SPAN_OK;
}

struct pick {
	size_t wanted;		/* 1-based; 0 = the only one */
	size_t seen;
	size_t start, end;
};

static bool
pick_visit(size_t byte_start, size_t byte_end, void *ctx)
{
	struct pick *p = ctx;

	p->seen++;
	if (p->seen == 1 || p->seen == p->wanted) {
		p->start = byte_start;
		p->end = byte_end;
	}
	return true;
}

enum span_result
span_anchor(const char *text, size_t len, const struct span_query *q,
    size_t *byte_start, size_t *byte_end, size_t *count)
{
	struct pick p = { .wanted = q->occurrence };
	size_t seen;
	enum span_result r;

	r = span_each(text, len, q, false, pick_visit, &p, &seen);
	if (count != NULL)
		*count = seen;
	if (r != SPAN_OK)
		return r;
	if (seen == 0)
		return SPAN_NOT_FOUND;
	if (q->occurrence == 0 && seen > 1)
		return SPAN_AMBIGUOUS;
	if (q->occurrence > seen)
		return SPAN_NO_OCCURRENCE;
	*byte_start = p.start;
	*byte_end = p.end;
	return SPAN_OK;
}

static bool
is_boundary(const char *text, size_t len, size_t at)
{
	return at == len || ((unsigned char)text[at] & 0xC0) != 0x80;
}

/* Returns the byte offset of an occurrence of text[from..to) in
 * text[0..len) other than the one at `from`, or len when there is none:
 * by idx when given, else by scanning the text. */
static size_t
other_occurrence(const char *text, size_t len, const struct suffix *idx,
    size_t from, size_t to)
{
	size_t n = to - from;
	const char *hit;

	if (idx != NULL)
		return suffix_other(idx, from, to);
	hit = memmem(text, len, text + from, n);
	if (hit != NULL && (size_t)(hit - text) == from)
		hit = from + 1 > len ? NULL : memmem(text + from + 1,
		    len - from - 1, text + from, n);
	return hit == NULL ? len : (size_t)(hit - text);
}

/* Moves byte offset `at` of text[0..len) back to the code point it is in. */
static size_t
boundary_at(const char *text, size_t len, size_t at)
{
	while (at > 0 && at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
		at--;
	return at;
}

/*
 * Lengthens sp's prefix or suffix to tell the quote at bs..be apart from
 * its copy at o..o+(be-bs), which has the same context so far: the side
 * that needs fewer bytes more (the prefix on a tie) takes in the first
 * character where the two places differ, within SPAN_CONTEXT_MAX bytes.
 * Two places always differ before the text's start or after its end.
 * Returns false when neither side can within SPAN_CONTEXT_MAX.
 */
static bool
tell_apart(const char *text, size_t len, struct span *sp, size_t o)
{
	size_t bs = sp->start.bytes, be = sp->end.bytes, oe = o + (be - bs);
	size_t back, fwd;
	bool by_prefix, by_suffix;

	for (back = 0; back < bs && back < o &&
	    text[bs - 1 - back] == text[o - 1 - back]; back++)
		;
	for (fwd = 0; be + fwd < len && oe + fwd < len &&
	    text[be + fwd] == text[oe + fwd]; fwd++)
		;
	/* back == bs: no prefix tells them apart; likewise fwd. */
	by_prefix = back < bs && back < SPAN_CONTEXT_MAX;
	by_suffix = be + fwd < len && fwd < SPAN_CONTEXT_MAX;
	if (by_prefix && (!by_suffix || back + 1 - (bs - sp->prefix_at) <=
	    fwd + 1 - (sp->suffix_end - be)))
		sp->prefix_at = boundary_at(text, len, bs - 1 - back);
	else if (by_suffix)
		sp->suffix_end = utf8_forward(text, len,
		    boundary_at(text, len, be + fwd), 1);
	return by_prefix || by_suffix;
}

/*
 * Widens sp's context until text[prefix_at..suffix_end) occurs once in
 * text, as Apache Annotator's describeTextQuote does: each round tells
 * the quote apart from one more place with the same context. Sets
 * sp->unique to whether it got there within SPAN_CONTEXT_MAX bytes each
 * side.
 */
static void
make_unique(const char *text, size_t len, const struct suffix *idx,
    struct span *sp)
{
	size_t other;

	sp->unique = true;
	while ((other = other_occurrence(text, len, idx, sp->prefix_at,
	    sp->suffix_end)) < len)
		if (!tell_apart(text, len, sp, other + (sp->start.bytes -
		    sp->prefix_at))) {
			sp->unique = false;
			return;
		}
}

bool
span_describe_in(const char *text, size_t len, const struct suffix *idx,
    size_t byte_start, size_t byte_end, struct utf8_pos *hint,
    struct span *out)
{
	struct utf8_pos from = { 0, 0, 0 }, gap, inner;

	if (byte_start > byte_end || byte_end > len ||
	    !is_boundary(text, len, byte_start) ||
	    !is_boundary(text, len, byte_end))
		return false;
	if (hint != NULL && hint->bytes <= byte_start)
		from = *hint;
	if (!utf8_measure(text + from.bytes, byte_start - from.bytes, &gap) ||
	    !utf8_measure(text + byte_start, byte_end - byte_start, &inner))
		return false;
	out->start.bytes = byte_start;
	out->start.codepoints = from.codepoints + gap.codepoints;
	out->start.utf16 = from.utf16 + gap.utf16;
	out->end.bytes = byte_end;
	out->end.codepoints = out->start.codepoints + inner.codepoints;
	out->end.utf16 = out->start.utf16 + inner.utf16;
	out->prefix_at = utf8_back(text, byte_start, SPAN_CONTEXT);
	out->suffix_end = utf8_forward(text, len, byte_end, SPAN_CONTEXT);
	make_unique(text, len, idx, out);
	if (hint != NULL)
		*hint = out->start;
	return true;
}

bool
span_describe_from(const char *text, size_t len, size_t byte_start,
    size_t byte_end, struct utf8_pos *hint, struct span *out)
{
	return span_describe_in(text, len, NULL, byte_start, byte_end, hint,
	    out);
}

bool
span_describe(const char *text, size_t len, size_t byte_start,
    size_t byte_end, struct span *out)
{
	return span_describe_from(text, len, byte_start, byte_end, NULL, out);
}

struct span_pattern {
	struct pattern pat;
};

enum span_result
span_compile(const struct span_query *q, struct span_pattern **out)
{
	struct span_pattern *p = calloc(1, sizeof(*p));
	struct span_query copy = { 0 };
	size_t nq, np, ns;
	enum span_result r;

	if (p == NULL)
		return SPAN_NO_MEMORY;
	if (q->quote == NULL) {
		free(p);
		return SPAN_BAD_QUOTE;
	}
	nq = strlen(q->quote) + 1;
	np = q->prefix != NULL ? strlen(q->prefix) + 1 : 0;
	ns = q->suffix != NULL ? strlen(q->suffix) + 1 : 0;
	/* Tokens point into the strings: keep a copy of them. */
	p->pat.strings = malloc(nq + np + ns);
	if (p->pat.strings == NULL) {
		free(p);
		return SPAN_NO_MEMORY;
	}
	copy.quote = memcpy(p->pat.strings, q->quote, nq);
	if (np > 0)
		copy.prefix = memcpy(p->pat.strings + nq, q->prefix, np);
	if (ns > 0)
		copy.suffix = memcpy(p->pat.strings + nq + np, q->suffix, ns);
	r = pattern_build(&copy, &p->pat);
	if (r != SPAN_OK) {
		free(p->pat.strings);
		free(p);
		return r;
	}
	*out = p;
	return SPAN_OK;
}

void
span_pattern_free(struct span_pattern *p)
{
	if (p == NULL)
		return;
	free(p->pat.tokens);
	free(p->pat.strings);
	free(p);
}

bool
span_match_at(const struct span_pattern *p, const char *text, size_t len,
    size_t at, bool whole_words, size_t *byte_start, size_t *byte_end)
{
	size_t qs = 0, qe = 0;

	if (at >= len || !match_at(text, len, at, &p->pat, &qs, &qe))
		return false;
	if (whole_words && (word_before(text, len, qs) ||
	    word_after(text, len, qe)))
		return false;
	*byte_start = qs;
	*byte_end = qe;
	return true;
}

const char *
span_result_str(enum span_result r)
{
	switch (r) {
	case SPAN_OK:
		return "ok";
	case SPAN_NOT_FOUND:
		return "quote not found";
	case SPAN_AMBIGUOUS:
		return "quote is ambiguous; add prefix, suffix or occurrence";
	case SPAN_NO_OCCURRENCE:
		return "occurrence exceeds the number of matches";
	case SPAN_BAD_QUOTE:
		return "quote is empty or begins or ends with whitespace";
	case SPAN_NO_MEMORY:
		return "out of memory";
	}
	return "unknown error";
}
