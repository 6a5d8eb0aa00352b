/*
 * head: the checks RFC 9110 and RFC 9112 ask of a request's head (request
 * line and header section) that libmicrohttpd 0.9.75 does not make, so
 * that accord and any proxy in front of it agree on where a request ends.
 */
#ifndef ACCORD_HEAD_H
#define ACCORD_HEAD_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* Most header field lines accepted (more: 431). */
#define HEAD_MAX_FIELDS 64

/* One field line as libmicrohttpd stored it: pointers into its buffer. */
struct head_field {
	const char *name;
	size_t name_len;
	const char *value;	/* leading whitespace skipped, trailing kept */
	size_t value_len;
};

/*
 * A request head as libmicrohttpd 0.9.75 hands it over. It parses the
 * head in place: the request line and every field line stay where they
 * arrived, with each separator (SP, ':', CRLF) overwritten by NUL. The
 * pointers below point into that one buffer, and head_check uses their
 * distances to see what libmicrohttpd itself accepts silently: a run of
 * spaces in the request line, a bare LF, a NUL in a value, and an
 * obs-fold (which libmicrohttpd joins onto the field *name* elsewhere in
 * memory). All borrowed; nothing here is freed.
 */
struct head {
	const char *method;	/* start of the head in the buffer */
	const char *target;	/* where the request target starts */
	size_t target_len;	/* its length as received, in bytes */
	const char *version;	/* "HTTP/1.1" */
	size_t size;		/* bytes from method to the end of the
				   empty line (MHD_CONNECTION_INFO_
				   REQUEST_HEADER_SIZE) */
	struct head_field fields[HEAD_MAX_FIELDS];
	size_t nfields;		/* at most HEAD_MAX_FIELDS */
	bool too_many;		/* more field lines than that arrived */
};

/* How a method is treated: served, known but refused, or unknown. */
enum head_method {
	HEAD_METHOD_SERVED,	/* GET, HEAD, OPTIONS */
	HEAD_METHOD_REFUSED,	/* POST, PUT, DELETE, PATCH: 405 */
	HEAD_METHOD_UNKNOWN,	/* anything else: 501 */
};

/* What head_check found. */
struct head_verdict {
	enum http_status status;	/* 0 when the head is sound; else
					   400, 431 or 501, after which the
					   connection must be closed */
	const char *detail;	/* static sentence for the problem
				   document, NULL when status is 0 */
	bool body;		/* the request announces a body
				   (Content-Length > 0 or chunked) */
	const char *path;	/* the target in origin form: points into
				   the caller's copy `target_copy`, or
				   "*" for the asterisk form */
};

/*
 * Checks h against RFC 9112's framing and field syntax: a request line of
 * single spaces and CRLF-terminated lines; field names that are tokens
 * (so no whitespace before the colon) and values free of control
 * characters; no obs-fold; at most one Content-Length, of digits; no
 * Content-Length with Transfer-Encoding, no Transfer-Encoding in HTTP/1.0,
 * chunked last and once in a Transfer-Encoding, and no other coding (501);
 * exactly one valid Host in HTTP/1.1; and a target in origin, absolute
 * (http or https), asterisk (OPTIONS) or authority (CONNECT) form. target_copy is a NUL-terminated
 * copy of the raw target (h->target may have been decoded in place since). Returns the verdict; v.path
 * borrows target_copy.
 */
struct head_verdict head_check(const struct head *h, const char *target_copy);

/* Classifies a method name (case-sensitive, as RFC 9110 §9.1 says). */
enum head_method head_method(const char *method);

/*
 * Returns true when s[0..len) is a valid Host field value (RFC 9112 §3.2:
 * uri-host [":" port], RFC 3986), an empty value included.
 */
bool head_valid_host(const char *s, size_t len);

#endif
