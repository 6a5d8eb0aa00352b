#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes and the NUL; false when out of memory. */
static bool
reserve(struct text *t, size_t n)
{
	size_t cap = t->cap == 0 ? 4096 : t->cap;
	char *more;

	if (t->failed)
		return false;
	if (t->len + n + 1 <= t->cap)
		return true;
	while (cap < t->len + n + 1)
		cap *= 2;
	more = realloc(t->bytes, cap);
	if (more == NULL) {
		t->failed = true;
		return false;
	}
	t->bytes = more;
	t->cap = cap;
	return true;
}

void
text_add(struct text *t, const char *s, size_t n)
{
	if (!reserve(t, n))
		return;
	memcpy(t->bytes + t->len, s, n);
	t->len += n;
	t->bytes[t->len] = '\0';
}

void
text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->failed = true;
		return;
	}
	if (!reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->bytes + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

char *
text_take(struct text *t, size_t *len)
{
	char *bytes = t->bytes;

	if (t->failed) {
		free(bytes);
		bytes = NULL;
	} else if (bytes == NULL) {
		bytes = strdup("");
	}
	if (bytes != NULL)
		*len = t->len;
	*t = (struct text){ 0 };
	return bytes;
}
