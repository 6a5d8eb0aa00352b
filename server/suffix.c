#include "suffix.h"

#include <stdint.h>
#include <stdlib.h>

#include <divsufsort.h>

struct suffix {
	const sauchar_t *text;
	saidx_t len;
	saidx_t sa[];		/* len entries */
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
	if (divsufsort(x->text, x->sa, x->len) != 0) {
		free(x);
		return NULL;
	}
	return x;
}

void
suffix_free(struct suffix *x)
{
	free(x);
}

size_t
suffix_other(const struct suffix *x, size_t from, size_t to)
{
	saidx_t left = 0, n;

	n = sa_search(x->text, x->len, x->text + from, (saidx_t)(to - from),
	    x->sa, x->len, &left);
	/* The occurrences are sa[left .. left + n): any but `from`. */
	for (saidx_t i = left; n > 1 && i < left + n && i < left + 2; i++)
		if ((size_t)x->sa[i] != from)
			return (size_t)x->sa[i];
	return (size_t)x->len;
}
