#include "url.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 3986 pchar and query characters, less '%' (escapes are decoded
 * separately) and less the delimiters the caller splits on. */
static bool
allowed(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return true;
	if (c >= 'A' && c <= 'Z')
		return true;
	if (c >= '0' && c <= '9')
		return true;
	return strchr("-._~!$'()*,;:@/?=&+", c) != NULL && c != '\0';
}

/*
 * Decodes raw[0..len) into *out (advancing it), NUL-terminates it, and
 * checks the result is UTF-8. plus_is_space applies to queries.
 */
static enum url_result
decode(const char *raw, size_t len, bool plus_is_space, bool in_path,
    char **out)
{
	char *start = *out, *w = *out;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return URL_BAD_ESCAPE;
			hi = hex_value(raw[i + 1]);
			lo = hex_value(raw[i + 2]);
			if (hi < 0 || lo < 0)
				return URL_BAD_ESCAPE;
			c = (unsigned char)(hi * 16 + lo);
			if (c == 0)
				return URL_NUL;
			if (in_path && c == '/')
				return URL_ENCODED_SLASH;
			i += 2;
		} else if (!allowed(c)) {
			return URL_BAD_CHAR;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		*w++ = (char)c;
	}
	*w++ = '\0';
	*out = w;
	if (!utf8_validate(start, (size_t)(w - start - 1), NULL))
		return URL_BAD_UTF8;
	return URL_OK;
}

static bool
has_dot_segment(const char *path)
{
	const char *seg = path;

	while (seg != NULL) {
		const char *next = strchr(seg + 1, '/');
		size_t n = next != NULL ? (size_t)(next - seg - 1) :
		    strlen(seg + 1);
		if ((n == 1 && seg[1] == '.') ||
		    (n == 2 && seg[1] == '.' && seg[2] == '.'))
			return true;
		seg = next;
	}
	return false;
}

static enum url_result
parse_query(const char *q, size_t len, struct url *out, char **w)
{
	size_t at = 0;

	while (at < len) {
		const char *amp = memchr(q + at, '&', len - at);
		size_t end = amp != NULL ? (size_t)(amp - q) : len;
		const char *eq = memchr(q + at, '=', end - at);
		size_t name_end = eq != NULL ? (size_t)(eq - q) : end;
		struct url_param *p;
		enum url_result r;

		if (end == at) {	/* "a=1&&b=2" or a trailing '&' */
			at = end + 1;
			continue;
		}
		if (name_end == at)
			return URL_EMPTY_PARAM;
		if (out->nparams == URL_MAX_PARAMS)
			return URL_TOO_MANY_PARAMS;
		p = &out->params[out->nparams];
		p->name = *w;
		r = decode(q + at, name_end - at, true, false, w);
		if (r != URL_OK)
			return r;
		p->value = *w;
		r = eq != NULL ? decode(eq + 1, end - name_end - 1, true, false,
		    w) : decode("", 0, true, false, w);
		if (r != URL_OK)
			return r;
		for (size_t i = 0; i < out->nparams; i++)
			if (strcmp(out->params[i].name, p->name) == 0 &&
			    strcmp(p->name, URL_REPEATABLE) != 0)
				return URL_DUPLICATE_PARAM;
		out->nparams++;
		at = end + 1;
	}
	return URL_OK;
}

enum url_result
url_parse(const char *raw, struct url *out)
{
	size_t len = strlen(raw), path_len;
	const char *query;
	char *w = out->store;
	enum url_result r;

	out->nparams = 0;
	out->path = NULL;
	if (len > URL_MAX)
		return URL_TOO_LONG;
	if (raw[0] != '/')
		return URL_NOT_ORIGIN_FORM;
	query = strchr(raw, '?');
	path_len = query != NULL ? (size_t)(query - raw) : len;
	if (memchr(raw, '#', len) != NULL)
		return URL_BAD_CHAR;
	out->path = w;
	r = decode(raw, path_len, false, true, &w);
	if (r != URL_OK)
		return r;
	if (has_dot_segment(out->path))
		return URL_DOT_SEGMENT;
	if (query == NULL)
		return URL_OK;
	return parse_query(query + 1, len - path_len - 1, out, &w);
}

const char *
url_param(const struct url *url, const char *name)
{
	for (size_t i = 0; i < url->nparams; i++)
		if (strcmp(url->params[i].name, name) == 0)
			return url->params[i].value;
	return NULL;
}

const char *
url_result_str(enum url_result r)
{
	switch (r) {
	case URL_OK:
		return "ok";
	case URL_TOO_LONG:
		return "the URI is too long";
	case URL_NOT_ORIGIN_FORM:
		return "the request target must begin with '/'";
	case URL_BAD_CHAR:
		return "the URI contains a character that must be escaped";
	case URL_BAD_ESCAPE:
		return "the URI contains an invalid percent escape";
	case URL_NUL:
		return "the URI contains an escaped NUL byte";
	case URL_BAD_UTF8:
		return "the URI does not decode to valid UTF-8";
	case URL_DOT_SEGMENT:
		return "the path contains a '.' or '..' segment";
	case URL_ENCODED_SLASH:
		return "the path contains an escaped '/'";
	case URL_TOO_MANY_PARAMS:
		return "too many query parameters";
	case URL_DUPLICATE_PARAM:
		return "a query parameter is repeated";
	case URL_EMPTY_PARAM:
		return "a query parameter has no name";
	}
	return "invalid URI";
}
