/*
 * text: a string built piece by piece. Appending never fails loudly: once
 * memory runs out the text is marked failed, later appends do nothing,
 * and text_take reports it. Start from struct text t = { 0 }.
 */
#ifndef ACCORD_TEXT_H
#define ACCORD_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct text {
	char *bytes;	/* NUL-terminated once anything was added */
	size_t len, cap;
	bool failed;
};

/* Appends the n bytes at s. */
void text_add(struct text *t, const char *s, size_t n);

/* Appends what printf would write for fmt. */
void text_printf(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Returns the text built (caller frees; "" when nothing was added) and
 * its length in *len, and empties t; NULL when an append ran out of
 * memory (then t is freed too).
 */
char *text_take(struct text *t, size_t *len);

#endif
