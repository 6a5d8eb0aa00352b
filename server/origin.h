/* origin: the public base URL that absolute links and IRIs start with
 * (lists' and /search's next and Link, every IRI of /annotations):
 * --public-url, or else http:// and the request's Host. The one place
 * that makes it (gate.c, into request.base). */
#ifndef ACCORD_ORIGIN_H
#define ACCORD_ORIGIN_H

#include <stdbool.h>
#include <stddef.h>

/* Room for an origin, its NUL included. */
#define ORIGIN_MAX 256

/*
 * Returns true when url may be --public-url: http:// or https://, then
 * at least one character, all of them URI characters (RFC 3986: no
 * space, quote, angle bracket, backslash or control character), shorter
 * than ORIGIN_MAX, with no query or fragment.
 */
bool origin_valid(const char *url);

/*
 * Writes to out (ORIGIN_MAX bytes) the base URL of a request: public_url
 * (valid, or NULL) without its trailing slashes; else "http://" and host,
 * the request's Host header (NULL when absent), when it is a host name,
 * IPv4 or bracketed IPv6 literal with an optional port; else
 * "http://localhost".
 */
void origin_make(const char *public_url, const char *host, char *out);

#endif
