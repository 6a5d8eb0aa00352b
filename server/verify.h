/*
 * verify: whether a span stored in the database agrees with its source's
 * text, measured again from the text itself. No SQL: db_verify_spans
 * reads the spans and texts and asks here.
 */
#ifndef ACCORD_VERIFY_H
#define ACCORD_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "suffix.h"
#include "utf8.h"

/* A span as stored: its offsets in code points, bytes and UTF-16 units,
 * and its exact words, prefix and suffix (texts[0..2], lens[0..2] bytes;
 * borrowed). */
struct verify_stored {
	size_t cp_start, cp_end;
	size_t byte_start, byte_end;
	size_t utf16_start, utf16_end;
	const char *texts[3];
	size_t lens[3];
};

/* Where a walk over the spans of one text stands: a position of the text
 * (the previous span's start, in all three units) and the text's suffix
 * array, made for its first span. Start from all zeros; verify_walk_reset
 * before the spans of another text, and at the end. */
struct verify_walk {
	struct utf8_pos at;
	struct suffix *index;
};

/* Frees w's suffix array and puts w back at the start of a text. */
void verify_walk_reset(struct verify_walk *w);

/* Returns true when text[0..len) is valid UTF-8 without a NUL, as
 * utf8_validate does, taking eight ASCII bytes at a time. */
bool verify_utf8(const char *text, size_t len);

/*
 * Checks the stored span s against its source's text[0..len), valid
 * UTF-8: its offsets in all three units, its exact words, a prefix and a
 * suffix that are the text either side of it, each at least SPAN_CONTEXT
 * code points long (or reaching the text's start or end), and that
 * prefix+exact+suffix occurs once in the text (see verify_utf8). w is
 * where the walk over the text's spans stands (spans taken in text order
 * measure the text once); it is left at this span's start. Returns NULL
 * when the span agrees, else what does not ("its UTF-16 offsets", a
 * static string, or "out of memory").
 */
const char *verify_span(const struct verify_stored *s, const char *text,
    size_t len, struct verify_walk *w);

#endif
