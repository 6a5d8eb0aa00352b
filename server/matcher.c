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

/* A needle, compiled, in the chain of the needles whose tokens hash
 * alike. */
struct matcher_form {
	struct span_pattern *pat;
	size_t owner;
	struct lead lead;
	uint64_t hash;		/* of all its tokens (token_fold) */
	size_t next;		/* next form of the same hash, or SIZE_MAX */
};

/* An entry of the table of token prefixes: the hash of the first k tokens
 * of some needle, and the needles made of exactly those (SIZE_MAX: none). */
struct matcher_prefix {
	uint64_t hash;		/* 0: an empty slot */
	size_t first;
};

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

/* Sets *w to the lead of s[at..len): its first word run and the next. */
static void
lead_of(const char *s, size_t len, size_t at, struct lead *w)
{
	size_t second;

	*w = (struct lead){ s + at, word_run(s, len, at), NULL, 0 };
	second = next_word(s, len, at + w->keylen);
	if (second < len) {
		w->key2 = s + second;
		w->key2len = word_run(s, len, second);
	}
}

/*
 * Reads the token at s[at] (at < len) and folds it into the hash h; returns
 * where it ends. A token is a run of whitespace (any run hashes alike, as a
 * quote's whitespace matches any run), a run of word characters that are
 * not whitespace, or one other character. A needle matching at a word start
 * as a whole word has exactly the text's tokens there, so equal hashes are
 * a necessary condition of a match, checked then by span_match_at.
 */
static size_t
token_fold(const char *s, size_t len, size_t at, uint64_t *h)
{
	size_t end = at, next = at;
	uint32_t cp;
	bool space, word;

	if (!utf8_decode(s, len, &next, &cp)) {
		*h = hash_fnv1a("\xFE", 1, hash_fnv1a(s + at, 1, *h));
		return at + 1;
	}
	space = utf8_is_space(cp);
	word = !space && utf8_is_word(cp);
	do {
		end = next;
		if (end >= len || !utf8_decode(s, len, &next, &cp))
			break;
	} while ((space && utf8_is_space(cp)) || (word && !utf8_is_space(cp) &&
	    utf8_is_word(cp)));
	if (space)
		*h = hash_fnv1a(" ", 1, *h);
	else
		*h = hash_fnv1a(s + at, end - at, *h);
	*h = hash_fnv1a("\xFF", 1, *h);
	return end;
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
	free(m->prefixes);
}

/* Returns the slot of hash in m's prefix table: its entry, or the empty
 * slot where it would go. */
static struct matcher_prefix *
slot(const struct matcher *m, uint64_t hash)
{
	size_t i = (size_t)hash & m->mask;

	while (m->prefixes[i].hash != 0 && m->prefixes[i].hash != hash)
		i = (i + 1) & m->mask;
	return &m->prefixes[i];
}

/* A hash as stored: never 0, which marks an empty slot. */
static uint64_t
stored(uint64_t hash)
{
	return hash == 0 ? 1 : hash;
}

/* Enters every token prefix of form f (the f-th, text q) in m's table,
 * and f in the chain of its whole. */
static void
enter(struct matcher *m, size_t f, const char *q)
{
	size_t len = strlen(q), at = 0;
	uint64_t h = HASH_FNV1A_BASIS;
	struct matcher_prefix *p = NULL;

	while (at < len) {
		at = token_fold(q, len, at, &h);
		p = slot(m, stored(h));
		if (p->hash == 0)
			*p = (struct matcher_prefix){ stored(h), SIZE_MAX };
	}
	m->forms[f].hash = stored(h);
	m->forms[f].next = p->first;
	p->first = f;
}

/* Compiles one needle into f and says what became of it. */
static enum matcher_result
compile(const struct matcher_needle *needle, struct matcher_form *f)
{
	struct span_query q = { .quote = needle->text };
	size_t qlen = strlen(q.quote);

	if (word_run(q.quote, qlen, 0) == 0)
		return MATCHER_NO_WORD;
	if (span_compile(&q, &f->pat) != SPAN_OK)
		return MATCHER_BAD_QUOTE;
	f->owner = needle->owner;
	lead_of(q.quote, qlen, 0, &f->lead);
	return MATCHER_INDEXED;
}

/* Returns how many tokens there are in needles[0..n), at most. */
static size_t
count_tokens(const struct matcher_needle *needles, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += strlen(needles[i].text);
	return total;
}

bool
matcher_build(struct matcher *m, const struct matcher_needle *needles,
    size_t n, enum matcher_result *result)
{
	size_t size = 16, tokens = count_tokens(needles, n);

	while (size < 2 * tokens)
		size *= 2;
	m->forms = calloc(n + 1, sizeof(*m->forms));
	m->prefixes = calloc(size, sizeof(*m->prefixes));
	m->mask = size - 1;
	if (m->forms == NULL || m->prefixes == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		struct matcher_form *f = &m->forms[m->nforms];

		result[i] = compile(&needles[i], f);
		if (result[i] != MATCHER_INDEXED) {
			*f = (struct matcher_form){ 0 };
			continue;
		}
		enter(m, m->nforms++, needles[i].text);
	}
	return true;
}

/* Appends to h the matches at text[at], a word start, of the forms in the
 * chain from f whose tokens hash to hash; w is the text's lead there,
 * found on the first call. Only forms that begin with the words found
 * there are tried: a form must begin with the text's first word, and with
 * its second when the form has one. */
static bool
try_chain(const struct matcher *m, size_t f, uint64_t hash, const char *text,
    size_t len, size_t at, struct lead *w, struct matcher_hits *h)
{
	for (; f != SIZE_MAX; f = m->forms[f].next) {
		const struct matcher_form *form = &m->forms[f];
		struct lead key;
		size_t qs, qe;

		if (form->hash != hash)
			continue;
		if (w->key == NULL)
			lead_of(text, len, at, w);
		key = *w;
		if (form->lead.key2 == NULL || key.key2len == 0)
			key.key2 = NULL;
		if (!lead_equal(&form->lead, &key) ||
		    !span_match_at(form->pat, text, len, at, true, &qs, &qe))
			continue;
		if (!add_hit(h, qs, qe, form->owner))
			return false;
	}
	return true;
}

/* Appends to h the matches at text[at], a word start: follows the text's
 * tokens from there as long as they begin some needle. */
static bool
find_at(const struct matcher *m, const char *text, size_t len, size_t at,
    struct matcher_hits *h)
{
	uint64_t hash = HASH_FNV1A_BASIS;
	struct lead w = { NULL, 0, NULL, 0 };
	size_t pos = at;

	while (pos < len) {
		const struct matcher_prefix *p;

		pos = token_fold(text, len, pos, &hash);
		p = slot(m, stored(hash));
		if (p->hash == 0)
			return true;
		if (!try_chain(m, p->first, p->hash, text, len, at, &w, h))
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
		if (utf8_is_word(cp) && !in_word && !find_at(m, text, len, at,
		    h))
			return false;
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
