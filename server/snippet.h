/* snippet: the words a search matched, read from accord_matches'
 * ranges, and a short excerpt around the first of them. No SQL. */
#ifndef ACCORD_SNIPPET_H
#define ACCORD_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

/* Most code points of an excerpt before its first match, and after. */
#define SNIPPET_BEFORE 40
#define SNIPPET_AFTER 80

/* A text and the byte ranges [starts[i], ends[i]) that matched, in text
 * order. */
struct snippet_marks {
	char *text;		/* NUL-terminated */
	size_t len;		/* bytes */
	size_t *starts, *ends;
	size_t n;
};

/*
 * Reads into *out a copy of text (len bytes) and the byte ranges of its
 * matches from ranges, "START END\n" per range in text order (what
 * accord_matches gives; ranges outside the text or out of order are
 * dropped). Returns false when out of memory. Free with snippet_free.
 */
bool snippet_read(const char *text, size_t len, const char *ranges,
    struct snippet_marks *out);

/* Frees what snippet_read made. Accepts a zeroed struct. */
void snippet_free(struct snippet_marks *m);

/*
 * Returns a new excerpt of m->text (caller frees) around its first match:
 * from up to SNIPPET_BEFORE code points before it (moved on to the start
 * of a word when a whitespace lies between) to up to SNIPPET_AFTER code
 * points after it (moved back to the end of a word likewise), with "…"
 * where the text goes on, every match inside in « », and each tab, CR or
 * LF as a space. With no match, the start of the text. NULL when out of
 * memory.
 */
char *snippet_make(const struct snippet_marks *m);

#endif
