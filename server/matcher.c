#include "matcher.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "span.h"
#include "utf8.h"

/* The words a needle begins with, or a place in a text does: the first
 * and, when there is one, the second. */
struct lead {
	const char *key;
	size_t keylen;		/* bytes */
	const char *key2;	/* NULL when there is no second */
	size_t key2len;		/* bytes */
};

/* A needle, compiled, in a bucket of the needles that begin with the same
 * words. */
struct matcher_form {
	struct span_pattern *pat;
	size_t owner;
	struct lead lead;
	size_t next;		/* next form in the same bucket, or SIZE_MAX */
};

static size_t
lead_hash(const struct lead *w)
{
	uint64_t h = hash_fnv1a(w->key, w->keylen, HASH_FNV1A_BASIS);

	if (w->key2 != NULL) {
		h = hash_fnv1a("\xFF", 1, h);
		h = hash_fnv1a(w->key2, w->key2len, h);
	}
	return (size_t)h;
}

static bool
lead_equal(const struct lead *a, const struct lead *b)
{
	return a->keylen == b->keylen &&
	    (a->key2 != NULL) == (b->key2 != NULL) &&
	    memcmp(a->key, b->key, a->keylen) == 0 &&
	    (a->key2 == NULL || (a->key2len == b->key2len &&
	    memcmp(a->key2, b->key2, a->key2len) == 0));
}

/* Returns the length (bytes) of the run of word characters at s[at]. */
static size_t
word_run(const char *s, size_t len, size_t at)
{
	size_t end = at;

	for (;;) {
		size_t next = end;
		uint32_t cp;
		if (!utf8_decode(s, len, &next, &cp) || !utf8_is_word(cp))
			return end - at;
		end = next;
	}
}

/* Returns where the next run of word characters after s[at] begins
 * (len when none). */
static size_t
next_word(const char *s, size_t len, size_t at)
{
	while (at < len) {
		size_t next = at;
		uint32_t cp;
		if (!utf8_decode(s, len, &next, &cp) || utf8_is_word(cp))
			return at;
		at = next;
	}
	return len;
}

static bool
add_hit(struct matcher_hits *h, size_t start, size_t end, size_t owner)
{
	if (h->n == h->cap) {
		size_t cap = h->cap == 0 ? 64 : h->cap * 2;
		struct matcher_hit *items = realloc(h->items,
		    cap * sizeof(*items));
		if (items == NULL)
			return false;
		h->items = items;
		h->cap = cap;
	}
	h->items[h->n++] = (struct matcher_hit){ start, end, owner };
	return true;
}

void
matcher_free(struct matcher *m)
{
	for (size_t i = 0; i < m->nforms; i++)
		span_pattern_free(m->forms[i].pat);
	free(m->forms);
	free(m->buckets);
}

/* Compiles one needle into f and says what became of it. */
static enum matcher_result
compile(const struct matcher_needle *needle, struct matcher_form *f)
{
	struct span_query q = { .quote = needle->text };
	size_t qlen = strlen(q.quote), second;

	f->lead.keylen = word_run(q.quote, qlen, 0);
	if (f->lead.keylen == 0)
		return MATCHER_NO_WORD;
	if (span_compile(&q, &f->pat) != SPAN_OK)
		return MATCHER_BAD_QUOTE;
	f->owner = needle->owner;
	f->lead.key = q.quote;
	second = next_word(q.quote, qlen, f->lead.keylen);
	if (second < qlen) {
		f->lead.key2 = q.quote + second;
		f->lead.key2len = word_run(q.quote, qlen, second);
	}
	return MATCHER_INDEXED;
}

bool
matcher_build(struct matcher *m, const struct matcher_needle *needles,
    size_t n, enum matcher_result *result)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	m->forms = calloc(n + 1, sizeof(*m->forms));
	m->buckets = malloc(size * sizeof(*m->buckets));
	m->mask = size - 1;
	if (m->forms == NULL || m->buckets == NULL)
		return false;
	for (size_t i = 0; i < size; i++)
		m->buckets[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		struct matcher_form *f = &m->forms[m->nforms];
		size_t b;

		result[i] = compile(&needles[i], f);
		if (result[i] != MATCHER_INDEXED) {
			*f = (struct matcher_form){ 0 };
			continue;
		}
		b = lead_hash(&f->lead) & m->mask;
		f->next = m->buckets[b];
		m->buckets[b] = m->nforms++;
	}
	return true;
}

/* Appends to h the matches at text[at] of the forms that begin with the
 * words w found there. */
static bool
find_at(const struct matcher *m, const char *text, size_t len, size_t at,
    const struct lead *w, struct matcher_hits *h)
{
	size_t f = m->buckets[lead_hash(w) & m->mask];

	for (; f != SIZE_MAX; f = m->forms[f].next) {
		const struct matcher_form *form = &m->forms[f];
		size_t qs, qe;
		if (!lead_equal(&form->lead, w) ||
		    !span_match_at(form->pat, text, len, at, true, &qs, &qe))
			continue;
		if (!add_hit(h, qs, qe, form->owner))
			return false;
	}
	return true;
}

bool
matcher_find(const struct matcher *m, const char *text, size_t len,
    struct matcher_hits *h)
{
	size_t at = 0;
	bool in_word = false;

	while (at < len) {
		size_t next = at;
		uint32_t cp;

		if (!utf8_decode(text, len, &next, &cp))
			return false;	/* validated on reading: unreachable */
		if (utf8_is_word(cp) && !in_word) {
			size_t run = word_run(text, len, at);
			size_t second = next_word(text, len, at + run);
			size_t run2 = word_run(text, len, second);
			struct lead w = { text + at, run, NULL, 0 };

			/* Forms of one word, then forms of two or more. */
			if (!find_at(m, text, len, at, &w, h))
				return false;
			w.key2 = text + second;
			w.key2len = run2;
			if (run2 != 0 && !find_at(m, text, len, at, &w, h))
				return false;
		}
		in_word = utf8_is_word(cp);
		at = next;
	}
	return true;
}

/* The owner of the hits span_each finds for matcher_find_one. */
struct one {
	struct matcher_hits *h;
	size_t owner;
};

static bool
add_one(size_t byte_start, size_t byte_end, void *ctx)
{
	struct one *one = ctx;

	return add_hit(one->h, byte_start, byte_end, one->owner);
}

bool
matcher_find_one(const char *quote, size_t owner, const char *text,
    size_t len, struct matcher_hits *h)
{
	struct span_query q = { .quote = quote };
	struct one one = { h, owner };
	size_t count, before = h->n;

	return span_each(text, len, &q, true, add_one, &one, &count) ==
	    SPAN_OK && h->n - before == count;
}

/* Earlier first; at the same start, the longer first. */
static int
hit_order(const void *a, const void *b)
{
	const struct matcher_hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return 0;
}

void
matcher_sort(struct matcher_hits *h)
{
	if (h->n > 1)
		qsort(h->items, h->n, sizeof(*h->items), hit_order);
}
