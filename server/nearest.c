#include "nearest.h"

#include <edlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Beyond these, no hint is looked for: the search costs O(text x
 * quote / 64) and a symbol table is one byte a code point. */
#define TEXT_MAX ((size_t)4 << 20)	/* bytes of the article */
#define QUOTE_MAX 2048			/* code points of the query */
#define SYMBOLS_MAX 250			/* distinct code points of the query */
#define DIFFS_MAX 3			/* differences named */

/* A whitespace run, on either side: one symbol, as the matcher has it. */
#define RUN 0x20u

/* A sequence of code points as edlib sees it: one symbol each, and where
 * each begins (bytes) and what it is. */
struct seq {
	char *sym;
	size_t *at;
	uint32_t *cp;	/* RUN for a whitespace run */
	size_t n;
};

/* The query's distinct code points, sorted: a code point's symbol is its
 * index + 1; 0 stands for every other. */
struct alphabet {
	uint32_t cp[SYMBOLS_MAX];
	size_t n;
};

static char
symbol(const struct alphabet *ab, uint32_t cp)
{
	size_t lo = 0, hi = ab->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ab->cp[mid] == cp)
			return (char)(mid + 1);
		if (ab->cp[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Adds cp to the alphabet. Returns false when it is full. */
static bool
learn(struct alphabet *ab, uint32_t cp)
{
	size_t i = 0;

	while (i < ab->n && ab->cp[i] < cp)
		i++;
	if (i < ab->n && ab->cp[i] == cp)
		return true;
	if (ab->n == SYMBOLS_MAX)
		return false;
	memmove(&ab->cp[i + 1], &ab->cp[i], (ab->n - i) * sizeof(*ab->cp));
	ab->cp[i] = cp;
	ab->n++;
	return true;
}

/* Reads s[0..len) into q as code points, each whitespace run one RUN;
 * with ab non-NULL learns them, else gives them ab's symbols. Returns
 * false when out of memory or beyond the bounds. */
static bool
read_seq(const char *s, size_t len, struct alphabet *learn_into,
    const struct alphabet *ab, struct seq *q)
{
	size_t at = 0;

	q->sym = malloc(len + 1);
	q->at = malloc((len + 1) * sizeof(*q->at));
	q->cp = malloc((len + 1) * sizeof(*q->cp));
	q->n = 0;
	if (q->sym == NULL || q->at == NULL || q->cp == NULL)
		return false;
	while (at < len) {
		size_t begin = at;
		uint32_t cp;

		if (!utf8_decode(s, len, &at, &cp))
			return false;
		if (utf8_is_space(cp)) {
			cp = RUN;
			if (q->n > 0 && q->cp[q->n - 1] == RUN)
				continue;
		}
		if (learn_into != NULL && !learn(learn_into, cp))
			return false;
		q->at[q->n] = begin;
		q->cp[q->n] = cp;
		q->sym[q->n++] = learn_into != NULL ? 0 : symbol(ab, cp);
	}
	return true;
}

static void
free_seq(struct seq *q)
{
	free(q->sym);
	free(q->at);
	free(q->cp);
}

/* Whether cp shows nothing by itself: controls, format characters,
 * combining marks, variation selectors, the byte order mark. */
static bool
invisible(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xad ||
	    (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
	    (cp >= 0xe0100 && cp <= 0xe01ef);
}

/* Writes cp (a valid code point) as UTF-8 to out; returns its bytes. */
static size_t
encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Appends to out the name of cp: "“ (U+201C)", "U+FE0F" for what shows
 * nothing, "whitespace" for a run; bare, without the code, as context. */
static void
name_cp(uint32_t cp, bool context, char *out, size_t outlen)
{
	size_t used = strlen(out);
	char ch[8];

	if (used >= outlen)
		return;
	if (cp == RUN) {
		snprintf(out + used, outlen - used, "whitespace");
		return;
	}
	if (invisible(cp)) {
		snprintf(out + used, outlen - used, "U+%04X", (unsigned)cp);
		return;
	}
	ch[encode(cp, ch)] = '\0';
	if (context)
		snprintf(out + used, outlen - used, "%s", ch);
	else
		snprintf(out + used, outlen - used, "%s (U+%04X)", ch,
		    (unsigned)cp);
}

/* Appends to out the names of s->cp[from..to): one named, several
 * quoted when all show ("teh"), else each named, joined by spaces. */
static void
name_run(const struct seq *s, size_t from, size_t to, char *out,
    size_t outlen)
{
	bool shown = to - from > 1;

	for (size_t i = from; i < to && shown; i++)
		shown = s->cp[i] != RUN && !invisible(s->cp[i]);
	if (shown) {
		strncat(out, "\"", outlen - strlen(out) - 1);
		for (size_t i = from; i < to; i++)
			name_cp(s->cp[i], true, out, outlen);
		strncat(out, "\"", outlen - strlen(out) - 1);
		return;
	}
	for (size_t i = from; i < to; i++) {
		if (i > from)
			strncat(out, " ", outlen - strlen(out) - 1);
		name_cp(s->cp[i], false, out, outlen);
	}
}

/* Appends to out one difference: the article's t->cp[t0..t1) against the
 * query's q->cp[q0..q1), with the article's code point before t0 as
 * context where one side is empty. */
static void
name_diff(const struct seq *t, size_t t0, size_t t1, const struct seq *q,
    size_t q0, size_t q1, char *out, size_t outlen)
{
	strncat(out, t1 > t0 ? "the article has " : "the article has no ",
	    outlen - strlen(out) - 1);
	if (t1 > t0)
		name_run(t, t0, t1, out, outlen);
	else
		name_run(q, q0, q1, out, outlen);
	if (t1 > t0 && q1 > q0) {
		strncat(out, " where the quote has ", outlen - strlen(out) - 1);
		name_run(q, q0, q1, out, outlen);
	} else if (t0 > 0) {
		strncat(out, " after ", outlen - strlen(out) - 1);
		name_cp(t->cp[t0 - 1], true, out, outlen);
	}
}

/* Rewrites the quote's code points that edlib left unmatched at either
 * end of the alignment ops[0..n) (starting at *start of t) into
 * mismatches with the article's code points beyond, when there are such:
 * the same number of edits, and "“ where the quote has \"" says more
 * than "no \"". */
static void
extend_ends(unsigned char *ops, size_t n, const struct seq *t,
    size_t *start)
{
	size_t lead = 0, tail = 0, end = *start;

	for (size_t i = 0; i < n; i++)
		end += ops[i] != EDLIB_EDOP_INSERT;
	while (lead < n && ops[lead] == EDLIB_EDOP_INSERT && lead < *start &&
	    t->cp[*start - lead - 1] != RUN)
		lead++;
	for (size_t i = 0; i < lead; i++)
		ops[i] = EDLIB_EDOP_MISMATCH;
	*start -= lead;
	while (tail < n - lead && ops[n - tail - 1] == EDLIB_EDOP_INSERT &&
	    end + tail < t->n && t->cp[end + tail] != RUN)
		tail++;
	/* The code points beyond keep their order: mismatch them in turn. */
	for (size_t i = 0; i < tail; i++)
		ops[n - tail + i] = EDLIB_EDOP_MISMATCH;
}

/* Names the differences of the alignment r (edlib's path from t's start
 * location) between t and q, DIFFS_MAX at most, into out (empty).
 * Returns where in t the named place starts, and in *first where its
 * first difference is. */
static size_t
name_diffs(const EdlibAlignResult *r, const struct seq *t,
    const struct seq *q, char *out, size_t outlen, size_t *first)
{
	size_t ti = (size_t)r->startLocations[0], qi = 0, shown = 0, more = 0;
	size_t n = (size_t)r->alignmentLength;
	unsigned char *ops = malloc(n + 1);
	size_t start;

	*first = ti;
	if (ops == NULL)
		return ti;
	memcpy(ops, r->alignment, n);
	extend_ends(ops, n, t, &ti);
	start = ti;
	*first = ti;
	for (size_t i = 0; i < n;) {
		size_t t0 = ti, q0 = qi;

		if (ops[i] == EDLIB_EDOP_MATCH) {
			ti++, qi++, i++;
			continue;
		}
		if (shown + more == 0)
			*first = ti;
		for (; i < n; i++) {
			/* One code point between two edits joins them:
			 * "teh" against "the" is one difference. */
			if (ops[i] == EDLIB_EDOP_MATCH && (i + 1 == n ||
			    ops[i + 1] == EDLIB_EDOP_MATCH || t->cp[ti] == RUN))
				break;
			ti += ops[i] != EDLIB_EDOP_INSERT;
			qi += ops[i] != EDLIB_EDOP_DELETE;
		}
		if (shown == DIFFS_MAX) {
			more++;
			continue;
		}
		if (shown++ > 0)
			strncat(out, ", ", outlen - strlen(out) - 1);
		name_diff(t, t0, ti, q, q0, qi, out, outlen);
	}
	free(ops);
	if (more > 0)
		snprintf(out + strlen(out), outlen - strlen(out), ", and %zu "
		    "more difference%s", more, more == 1 ? "" : "s");
	return start;
}

/* Writes the 1-based line of text[at] and its column in code points. */
static void
line_col(const char *text, size_t at, size_t *line, size_t *col)
{
	size_t bol = 0;

	*line = 1;
	for (size_t i = 0; i < at; i++)
		if (text[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = 1;
	for (size_t i = bol; i < at; i++)
		*col += ((unsigned char)text[i] & 0xc0) != 0x80;
}

/* Aligns q within t; on a near match (edits 1 to a quarter of the query
 * and one) writes the hint to out. */
static bool
align(const char *text, const struct seq *t, const struct seq *q,
    char *out, size_t outlen)
{
	EdlibAlignResult r;
	size_t line, col, dline, dcol, first;
	char diffs[512] = "", at[64] = "";
	bool found;

	r = edlibAlign(q->sym, (int)q->n, t->sym, (int)t->n,
	    edlibNewAlignConfig((int)(q->n / 4 + 1), EDLIB_MODE_HW,
	    EDLIB_TASK_PATH, NULL, 0));
	found = r.status == EDLIB_STATUS_OK && r.editDistance > 0 &&
	    r.numLocations > 0 && r.alignment != NULL;
	if (found) {
		line_col(text, t->at[name_diffs(&r, t, q, diffs,
		    sizeof(diffs), &first)], &line, &col);
		line_col(text, t->at[first], &dline, &dcol);
		if (dline != line)
			snprintf(at, sizeof(at), "line %zu, ", dline);
		snprintf(out, outlen, "nearest match at line %zu, column %zu of "
		    "the article; first difference at %scolumn %zu: %s", line,
		    col, at, dcol, diffs);
	}
	edlibFreeAlignResult(r);
	return found;
}

bool
nearest_hint(const char *text, size_t len, const char *query, char *out,
    size_t outlen)
{
	struct alphabet ab = { .n = 0 };
	struct seq q = { 0 }, t = { 0 };
	bool found = false;

	out[0] = '\0';
	if (len > TEXT_MAX || strlen(query) > 4 * QUOTE_MAX)
		goto free_seqs;
	if (!read_seq(query, strlen(query), &ab, NULL, &q) || q.n > QUOTE_MAX)
		goto free_seqs;
	for (size_t i = 0; i < q.n; i++)
		q.sym[i] = symbol(&ab, q.cp[i]);
	if (read_seq(text, len, NULL, &ab, &t) && t.n > 0 && q.n > 0)
		found = align(text, &t, &q, out, outlen);
free_seqs:
	free_seq(&q);
	free_seq(&t);
	if (!found)
		out[0] = '\0';
	return found;
}
