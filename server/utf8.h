/* utf8: strict UTF-8 decoding and offset arithmetic in three units. */
#ifndef ACCORD_UTF8_H
#define ACCORD_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A position in a UTF-8 text, counted in each of the three units. */
struct utf8_pos {
	size_t bytes;
	size_t codepoints;
	size_t utf16;
};

/*
 * Decodes the code point starting at s[*at] (of len bytes) into *cp and
 * advances *at past it. Returns false, leaving *at unchanged, on a truncated,
 * overlong, surrogate or out-of-range sequence, or when *at >= len.
 */
bool utf8_decode(const char *s, size_t len, size_t *at, uint32_t *cp);

/*
 * Returns true when s[0..len) is valid UTF-8 with no NUL byte. On failure,
 * stores the byte offset of the first bad sequence in *bad_at (if non-NULL).
 */
bool utf8_validate(const char *s, size_t len, size_t *bad_at);

/*
 * Measures s[0..len), which must be valid UTF-8, in all three units.
 * Returns false on invalid UTF-8 (then *out is unspecified).
 */
bool utf8_measure(const char *s, size_t len, struct utf8_pos *out);

/* Returns how many UTF-16 code units encode cp (1 or 2). */
size_t utf8_utf16_units(uint32_t cp);

/*
 * Returns the byte offset in s[0..len) reached by stepping back up to
 * `count` code points from byte offset `from`, which must be a code point
 * boundary. Stops at 0.
 */
size_t utf8_back(const char *s, size_t from, size_t count);

/*
 * Returns the byte offset reached by stepping forward up to `count` code
 * points from byte offset `from`. Stops at len.
 */
size_t utf8_forward(const char *s, size_t len, size_t from, size_t count);

/* The units an offset can count. */
enum utf8_unit { UTF8_CODEPOINTS, UTF8_BYTES, UTF8_UTF16 };

/*
 * Converts offset n, counted in unit, into a byte offset in the valid
 * UTF-8 text s[0..len) and stores it in *byte. Returns false when n is
 * past the end, or falls inside a character (a byte offset inside a
 * sequence, a UTF-16 offset between the halves of a surrogate pair).
 */
bool utf8_offset(const char *s, size_t len, enum utf8_unit unit, size_t n,
    size_t *byte);

/* Returns true when cp is a Unicode White_Space character. */
bool utf8_is_space(uint32_t cp);

/*
 * Returns true when cp is part of a word for mention matching: a letter or
 * digit (ASCII alphanumerics, and non-ASCII code points outside the
 * punctuation, symbol and space blocks).
 */
bool utf8_is_word(uint32_t cp);

#endif
