/*
 * compact: a JSON value written as compact text, byte for byte as
 * jansson's json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) writes it
 * (members in insertion order, "\u00XX" escapes in upper case, '/' and
 * non-ASCII as they are), straight into a text being built: without
 * json_dumps' callback per piece and its copy of the result.
 */
#ifndef ACCORD_COMPACT_H
#define ACCORD_COMPACT_H

#include <jansson.h>

#include "text.h"

/*
 * Appends v as compact JSON to t. Strings are written as stored (jansson
 * holds only valid UTF-8); reals as jansson writes them. Returns 0, or -1
 * when out of memory (t is then marked failed).
 */
int compact_append(struct text *t, const json_t *v);

/*
 * Appends the JSON string of the n bytes at s (valid UTF-8) to t, quoted
 * and escaped as compact_append writes a string.
 */
void compact_string(struct text *t, const char *s, size_t n);

/*
 * Writes into out the escape of c (a control character, '"' or '\\') as
 * JSON (and compact_string) writes it: "\\n" and the like, else "\\u00XX"
 * in upper case. Returns its length in bytes: 2 or 6.
 */
size_t compact_escape(unsigned char c, char out[6]);

#endif
