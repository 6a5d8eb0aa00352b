#include "suffix.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <divsufsort.h>

/* The longest text suffix_index scans instead of sorting its suffixes. */
#define SUFFIX_SCAN_MAX 32768

struct suffix {
	const sauchar_t *text;
	saidx_t len;
	bool scan;		/* no array: suffix_other scans the text */
	saidx_t sa[];		/* len entries, unless scan */
};

struct suffix *
suffix_build(const char *text, size_t len)
{
	struct suffix *x;

	if (len >= INT32_MAX)
		return NULL;
	x = malloc(sizeof(*x) + (len + 1) * sizeof(saidx_t));
	if (x == NULL)
		return NULL;
	x->text = (const sauchar_t *)text;
	x->len = (saidx_t)len;
	x->scan = false;
	if (divsufsort(x->text, x->sa, x->len) != 0) {
		free(x);
		return NULL;
	}
	return x;
}

struct suffix *
suffix_index(const char *text, size_t len)
{
	struct suffix *x;

	if (len > SUFFIX_SCAN_MAX)
		return suffix_build(text, len);
	x = malloc(sizeof(*x));
	if (x == NULL)
		return NULL;
	*x = (struct suffix){ (const sauchar_t *)text, (saidx_t)len, true };
	return x;
}

void
suffix_free(struct suffix *x)
{
	free(x);
}

/* Returns true when the text's suffix at a sorts before the one at b, as
 * in the suffix array: bytes unsigned, a suffix before any it begins. */
static bool
suffix_less(const struct suffix *x, size_t a, size_t b)
{
	size_t na = (size_t)x->len - a, nb = (size_t)x->len - b;
	int c = memcmp(x->text + a, x->text + b, na < nb ? na : nb);

	return c < 0 || (c == 0 && na < nb);
}

/* suffix_other by a scan: of the occurrences other than `from`, the one
 * whose suffix sorts first, which is the one the array gives. */
static size_t
scan_other(const struct suffix *x, size_t from, size_t to)
{
	size_t len = (size_t)x->len, n = to - from, best = len;
	const sauchar_t *hit = x->text;

	while ((hit = memmem(hit, len - (size_t)(hit - x->text),
	    x->text + from, n)) != NULL) {
		size_t at = (size_t)(hit - x->text);

		if (at != from && (best == len || suffix_less(x, at, best)))
			best = at;
		if (++hit > x->text + len)
			break;
	}
	return best;
}

size_t
suffix_other(const struct suffix *x, size_t from, size_t to)
{
	saidx_t left = 0, n;

	if (x->scan)
		return scan_other(x, from, to);
	n = sa_search(x->text, x->len, x->text + from, (saidx_t)(to - from),
	    x->sa, x->len, &left);
	/* The occurrences are sa[left .. left + n): any but `from`. */
	for (saidx_t i = left; n > 1 && i < left + n && i < left + 2; i++)
		if ((size_t)x->sa[i] != from)
			return (size_t)x->sa[i];
	return (size_t)x->len;
}
