#include "origin.h"

#include <stdio.h>
#include <string.h>

/* The characters of a URI (RFC 3986 unreserved, reserved and '%'), less
 * '?' and '#': no query or fragment in a base. */
static const char uri_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "abcdefghijklmnopqrstuvwxyz0123456789-._~:/[]@!$&'()*+,;=%";

/* The characters of a Host header's value that a base may take. */
static const char host_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "abcdefghijklmnopqrstuvwxyz0123456789-.:[]";

bool
origin_valid(const char *url)
{
	size_t len = url != NULL ? strlen(url) : 0;
	size_t scheme = strncmp(url != NULL ? url : "", "https://", 8) == 0 ?
	    8 : strncmp(url != NULL ? url : "", "http://", 7) == 0 ? 7 : 0;

	return scheme > 0 && len > scheme && len < ORIGIN_MAX &&
	    url[scheme] != '/' && strspn(url, uri_chars) == len;
}

void
origin_make(const char *public_url, const char *host, char *out)
{
	size_t len;

	if (public_url != NULL && origin_valid(public_url)) {
		len = strlen(public_url);
		while (len > 0 && public_url[len - 1] == '/')
			len--;
		snprintf(out, ORIGIN_MAX, "%.*s", (int)len, public_url);
	} else if (host != NULL && host[0] != '\0' &&
	    strlen(host) < ORIGIN_MAX - 8 &&
	    strspn(host, host_chars) == strlen(host)) {
		snprintf(out, ORIGIN_MAX, "http://%s", host);
	} else {
		snprintf(out, ORIGIN_MAX, "http://localhost");
	}
}
