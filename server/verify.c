#include "verify.h"

#include <stdint.h>
#include <string.h>

#include "span.h"

/* Compares the stored text s->texts[i] with text[from..to). */
static bool
same(const struct verify_stored *s, int i, const char *text, size_t from,
    size_t to)
{
	size_t n = s->lens[i];

	return n == to - from && (n == 0 || memcmp(s->texts[i], text + from,
	    n) == 0);
}

/* Eight bytes, each 0x01; each 0x80. */
#define BYTES_01 0x0101010101010101u
#define BYTES_80 0x8080808080808080u

bool
verify_utf8(const char *text, size_t len)
{
	size_t at = 0;
	uint32_t cp;

	while (at < len) {
		if (len - at >= 8) {
			uint64_t x;
			memcpy(&x, text + at, 8);
			if ((x & BYTES_80) == 0 &&
			    ((x - BYTES_01) & ~x & BYTES_80) == 0) {
				at += 8;
				continue;
			}
		}
		if (!utf8_decode(text, len, &at, &cp) || cp == 0)
			return false;
	}
	return true;
}

/* Returns how many bytes of x have their top bit set in mask. */
static size_t
bytes_marked(uint64_t mask)
{
	return (size_t)((((mask & BYTES_80) >> 7) * BYTES_01) >> 56);
}

/*
 * Measures p[0..n), valid UTF-8, in code points and UTF-16 code units
 * (added to *cps and *units) by counting the bytes that begin no code
 * point (10xxxxxx) and those that begin a 4-byte one (11110xxx), eight
 * bytes at a time.
 */
static void
count_units(const unsigned char *p, size_t n, size_t *cps, size_t *units)
{
	size_t follow = 0, astral = 0, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if ((x & BYTES_80) == 0)
			continue;
		follow += bytes_marked(x & ~(x << 1));
		astral += bytes_marked(x & (x << 1) & (x << 2) & (x << 3));
	}
	for (; i < n; i++) {
		follow += (p[i] & 0xC0) == 0x80;
		astral += p[i] >= 0xF0;
	}
	*cps += n - follow;
	*units += n - follow + astral;
}

/* Returns true when byte offset at of text[0..len), valid UTF-8, begins a
 * code point or is its end. */
static bool
on_boundary(const char *text, size_t len, size_t at)
{
	return at == len || (at < len && ((unsigned char)text[at] & 0xC0) !=
	    0x80);
}

void
verify_walk_reset(struct verify_walk *w)
{
	suffix_free(w->index);
	*w = (struct verify_walk){ { 0, 0, 0 }, NULL };
}

const char *
verify_span(const struct verify_stored *s, const char *text, size_t len,
    struct verify_walk *w)
{
	struct utf8_pos *at = &w->at;
	const unsigned char *p = (const unsigned char *)text;
	size_t bs = s->byte_start, be = s->byte_end;
	struct utf8_pos start, end;

	if (bs > be || !on_boundary(text, len, bs) ||
	    !on_boundary(text, len, be))
		return "its byte offsets";
	if (at->bytes > bs)
		*at = (struct utf8_pos){ 0, 0, 0 };
	start = *at;
	count_units(p + at->bytes, bs - at->bytes, &start.codepoints,
	    &start.utf16);
	start.bytes = bs;
	*at = start;
	end = start;
	count_units(p + bs, be - bs, &end.codepoints, &end.utf16);
	if (s->cp_start != start.codepoints || s->cp_end != end.codepoints)
		return "its code point offsets";
	if (s->utf16_start != start.utf16 ||
	    s->utf16_end != end.utf16)
		return "its UTF-16 offsets";
	if (!same(s, 0, text, bs, be))
		return "its exact words";
	if (s->lens[1] > bs || !on_boundary(text, len, bs - s->lens[1]) ||
	    bs - s->lens[1] > utf8_back(text, bs, SPAN_CONTEXT) ||
	    !same(s, 1, text, bs - s->lens[1], bs))
		return "its prefix";
	if (s->lens[2] > len - be || !on_boundary(text, len, be + s->lens[2]) ||
	    be + s->lens[2] < utf8_forward(text, len, be, SPAN_CONTEXT) ||
	    !same(s, 2, text, be, be + s->lens[2]))
		return "its suffix";
	if (w->index == NULL && (w->index = suffix_index(text, len)) == NULL)
		return "out of memory";
	if (suffix_other(w->index, bs - s->lens[1], be + s->lens[2]) != len)
		return "its quote selector, which occurs twice";
	return NULL;
}
