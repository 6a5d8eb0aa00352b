/*
 * suffix: a text's suffix array (libdivsufsort), to find the places of a
 * string in it in O(m log n) for a string of m bytes and a text of n:
 * telling whether a quote selector occurs once costs that, not a scan of
 * the text.
 */
#ifndef ACCORD_SUFFIX_H
#define ACCORD_SUFFIX_H

#include <stddef.h>

struct suffix;

/* Returns the suffix array of text[0..len) (borrowed: it must outlive the
 * result), or NULL when out of memory or len is 2 GiB or more. Free with
 * suffix_free. */
struct suffix *suffix_build(const char *text, size_t len);

/*
 * Returns what suffix_other needs for text[0..len) (borrowed: it must
 * outlive the result): for a short text (an article), no array, each
 * suffix_other scanning the text instead, which costs less than sorting
 * its suffixes for the few dozen strings asked; for a longer one, the
 * suffix array. suffix_other answers the same either way. NULL when out
 * of memory or len is 2 GiB or more. Free with suffix_free.
 */
struct suffix *suffix_index(const char *text, size_t len);

/* Frees x. Accepts NULL. */
void suffix_free(struct suffix *x);

/*
 * Returns the byte offset of an occurrence of text[from..to) in the text
 * other than the one at `from`, or the text's length when it occurs only
 * there. Occurrences may overlap. Of several, the one whose suffix of the
 * text sorts first (bytes unsigned).
 */
size_t suffix_other(const struct suffix *x, size_t from, size_t to);

#endif
