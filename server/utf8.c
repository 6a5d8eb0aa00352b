#include "utf8.h"

static bool
is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

bool
utf8_decode(const char *s, size_t len, size_t *at, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s + *at;
	size_t left, need;
	uint32_t value, min;

	if (*at >= len)
		return false;
	left = len - *at;
	if (p[0] < 0x80) {
		*cp = p[0];
		*at += 1;
		return true;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 2;
		value = p[0] & 0x1Fu;
		min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 3;
		value = p[0] & 0x0Fu;
		min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 4;
		value = p[0] & 0x07u;
		min = 0x10000;
	} else {
		return false;
	}
	if (left < need)
		return false;
	for (size_t i = 1; i < need; i++) {
		if (!is_continuation(p[i]))
			return false;
		value = (value << 6) | (p[i] & 0x3Fu);
	}
	if (value < min || value > 0x10FFFF ||
	    (value >= 0xD800 && value <= 0xDFFF))
		return false;
	*cp = value;
	*at += need;
	return true;
}

bool
utf8_validate(const char *s, size_t len, size_t *bad_at)
{
	size_t at = 0;
	uint32_t cp;

	while (at < len) {
		size_t here = at;
		if (!utf8_decode(s, len, &at, &cp) || cp == 0) {
			if (bad_at != NULL)
				*bad_at = here;
			return false;
		}
	}
	return true;
}

size_t
utf8_utf16_units(uint32_t cp)
{
	return cp >= 0x10000 ? 2 : 1;
}

bool
utf8_measure(const char *s, size_t len, struct utf8_pos *out)
{
	size_t at = 0;
	uint32_t cp;

	out->bytes = len;
	out->codepoints = 0;
	out->utf16 = 0;
	while (at < len) {
		if (!utf8_decode(s, len, &at, &cp))
			return false;
		out->codepoints++;
		out->utf16 += utf8_utf16_units(cp);
	}
	return true;
}

size_t
utf8_back(const char *s, size_t from, size_t count)
{
	const unsigned char *p = (const unsigned char *)s;

	while (count > 0 && from > 0) {
		from--;
		while (from > 0 && is_continuation(p[from]))
			from--;
		count--;
	}
	return from;
}

size_t
utf8_forward(const char *s, size_t len, size_t from, size_t count)
{
	const unsigned char *p = (const unsigned char *)s;

	while (count > 0 && from < len) {
		from++;
		while (from < len && is_continuation(p[from]))
			from++;
		count--;
	}
	return from;
}

bool
utf8_is_space(uint32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200A;
	}
}

bool
utf8_is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= 'a' && cp <= 'z');
	if (cp < 0xC0)		/* Latin-1 punctuation and symbols */
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return false;
	if (cp >= 0x2000 && cp <= 0x2BFF)	/* punctuation, symbols, arrows */
		return false;
	if (cp >= 0x3000 && cp <= 0x303F)	/* CJK punctuation */
		return false;
	if (cp >= 0xE000 && cp <= 0xF8FF)	/* private use */
		return false;
	if (cp >= 0xFE30 && cp <= 0xFE6F)
		return false;
	if (cp >= 0xFF00 && cp <= 0xFF0F)
		return false;
	return true;
}

bool
utf8_offset(const char *s, size_t len, enum utf8_unit unit, size_t n,
    size_t *byte)
{
	size_t at = 0, count = 0;
	uint32_t cp;

	if (unit == UTF8_BYTES) {
		if (n > len || (n < len && is_continuation((unsigned char)s[n])))
			return false;
		*byte = n;
		return true;
	}
	while (count < n) {
		if (!utf8_decode(s, len, &at, &cp))
			return false;	/* past the end */
		count += unit == UTF8_UTF16 ? utf8_utf16_units(cp) : 1;
	}
	if (count != n)
		return false;		/* inside a surrogate pair */
	*byte = at;
	return true;
}
