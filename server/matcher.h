/* matcher: finds many strings (names, aliases, headlines) as whole words
 * in a text in one pass, however many there are. */
#ifndef ACCORD_MATCHER_H
#define ACCORD_MATCHER_H

#include <stdbool.h>
#include <stddef.h>

/* A string to find, and the index of what it names (its owner). */
struct matcher_needle {
	const char *text;	/* a quote (see span.h); borrowed */
	size_t owner;
};

/* A match: where in the text (bytes), and the owner of what matched. */
struct matcher_hit {
	size_t start, end;
	size_t owner;
};

/* A growing list of matches; it owns items (free(items) frees it). */
struct matcher_hits {
	struct matcher_hit *items;
	size_t n, cap;
};

/* What became of a needle. */
enum matcher_result {
	MATCHER_INDEXED,
	MATCHER_BAD_QUOTE,	/* it cannot be searched for */
	MATCHER_NO_WORD,	/* it does not begin with a letter or digit */
};

/* Needles compiled and hashed by their tokens (runs of whitespace, runs
 * of word characters, other characters): a table of the hashes of every
 * needle's first k tokens, for every k, so that a pass over a text follows
 * from each word start only the tokens that begin some needle, and tries
 * only the needles whose tokens hash as the text's do there. */
struct matcher {
	struct matcher_form *forms;
	size_t nforms;
	struct matcher_prefix *prefixes;	/* open addressing */
	size_t mask;		/* slots of prefixes - 1 */
};

/*
 * Compiles and indexes needles[0..n) into m (zeroed), and sets result[i]
 * to what became of needles[i]: one that is not MATCHER_INDEXED is left
 * out. The needles' text must outlive m. Returns false when out of
 * memory; the caller frees m with matcher_free either way.
 */
bool matcher_build(struct matcher *m, const struct matcher_needle *needles,
    size_t n, enum matcher_result *result);

/* Frees what m holds. */
void matcher_free(struct matcher *m);

/*
 * Appends to h every whole-word match in text[0..len) (valid UTF-8) of a
 * needle indexed in m, in order of position. Returns false when out of
 * memory.
 */
bool matcher_find(const struct matcher *m, const char *text, size_t len,
    struct matcher_hits *h);

/*
 * Appends to h every whole-word match of the one quote in text[0..len),
 * for a needle that matcher_build could not index: slower, one pass for
 * the one quote. Returns false when out of memory or when the quote cannot
 * be searched for.
 */
bool matcher_find_one(const char *quote, size_t owner, const char *text,
    size_t len, struct matcher_hits *h);

/* Sorts h: earlier first; at the same start, the longer first; then by
 * owner. */
void matcher_sort(struct matcher_hits *h);

#endif
