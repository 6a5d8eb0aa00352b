/* url: strict parsing of a request's raw URI into a path and parameters. */
#ifndef ACCORD_URL_H
#define ACCORD_URL_H

#include <stddef.h>

/* Longest raw URI accepted (longer: 414). */
#define URL_MAX 2048
/* The one parameter that may be named more than once (facet=a&facet=b);
 * url_param returns its first value. */
#define URL_REPEATABLE "facet"

/* Most query parameters accepted. */
#define URL_MAX_PARAMS 16

struct url_param {
	const char *name;	/* decoded, points into url.store */
	const char *value;	/* decoded, "" when absent */
};

struct url {
	const char *path;	/* decoded; starts with '/' */
	struct url_param params[URL_MAX_PARAMS];
	size_t nparams;
	char store[URL_MAX + 2];
};

enum url_result {
	URL_OK = 0,
	URL_TOO_LONG,		/* longer than URL_MAX */
	URL_NOT_ORIGIN_FORM,	/* does not begin with '/' */
	URL_BAD_CHAR,		/* a byte not allowed unescaped in a URI */
	URL_BAD_ESCAPE,		/* '%' not followed by two hex digits */
	URL_NUL,		/* an escaped NUL byte */
	URL_BAD_UTF8,		/* decodes to invalid or overlong UTF-8 */
	URL_DOT_SEGMENT,	/* a "." or ".." path segment */
	URL_ENCODED_SLASH,	/* "%2F" in the path */
	URL_TOO_MANY_PARAMS,	/* more than URL_MAX_PARAMS */
	URL_DUPLICATE_PARAM,	/* a parameter named twice (but
				   URL_REPEATABLE) */
	URL_EMPTY_PARAM,	/* a parameter with no name */
};

/*
 * Parses the raw request target (origin form, "/path?query") into *out.
 * Percent escapes are decoded once; '+' in the query means a space.
 * Returns URL_OK, or the first problem found (out is then unspecified).
 */
enum url_result url_parse(const char *raw, struct url *out);

/* Returns the value of the parameter `name`, or NULL when absent. */
const char *url_param(const struct url *url, const char *name);

/* Returns a short English description of r, for error messages. */
const char *url_result_str(enum url_result r);

#endif
