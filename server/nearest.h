/* nearest: where a quote that is not found comes nearest in an article,
 * and what differs, named, for the load error. */
#ifndef ACCORD_NEAREST_H
#define ACCORD_NEAREST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Looks in text[0..len) (valid UTF-8) for the place nearest to query
 * (valid UTF-8: a quote, or prefix, quote and suffix run together) by
 * edit distance over code points, a whitespace run on either side being
 * one symbol as in the matcher: the approximate search and its alignment
 * are edlib's (Debian's libedlib). A place within a quarter of the
 * query's code points, plus one, of edits counts. Writes to out (cut at
 * outlen bytes) "nearest match at line L, column C of the article; first
 * difference at column D: " (1-based, columns in code points; "at line
 * M, column D" when the first difference is on another line) and up to three differences, named: "the
 * article has “ (U+201C) where the quote has \" (U+0022)", "the article
 * has U+FE0F after 🗓", "the article has no X after Y" (code points that
 * show nothing as U+XXXX only), then ", and N more differences". Returns
 * true; false, with out empty, when nothing is near, when the text
 * exceeds 4 MiB, the query 2048 code points or 250 distinct ones, or
 * memory runs out. It never makes a quote match: the hint is only said.
 */
bool nearest_hint(const char *text, size_t len, const char *query,
    char *out, size_t outlen);

#endif
