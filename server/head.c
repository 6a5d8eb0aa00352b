#include "head.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Longest run of whitespace accepted between a colon and its value. */
#define OWS_MAX 256

/* RFC 9110 section 5.6.2 tchar. */
static bool
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool
is_token(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_tchar((unsigned char)s[i]))
			return false;
	return true;
}

/* RFC 9110 section 5.5 field-value octets: VCHAR, obs-text, SP and HTAB. */
static bool
is_field_value(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '\t' && (c < 0x20 || c == 0x7f))
			return false;
	}
	return true;
}

/* Is b exactly n bytes after a? (Compared as addresses: a and b point
 * into libmicrohttpd's one read buffer, or b was moved out of it.) */
static bool
at(const char *a, size_t n, const char *b)
{
	return (uintptr_t)a + n == (uintptr_t)b;
}

/*
 * Checks that the request line and the field lines lie in the buffer as
 * "method SP target SP version CRLF", then "name:OWS value CRLF" each,
 * then CRLF, and nothing else: h->size bytes in all. Returns NULL, or
 * what does not fit.
 */
static const char *
layout_fault(const struct head *h)
{
	const char *next;

	if (!at(h->method, strlen(h->method) + 1, h->target) ||
	    !at(h->target, h->target_len + 1, h->version) ||
	    strlen(h->version) != 8)
		return "the request line must be method, target and version "
		    "separated by single spaces (RFC 9112 section 3)";
	next = h->version + 8 + 2;
	for (size_t i = 0; i < h->nfields; i++) {
		const struct head_field *f = &h->fields[i];
		uintptr_t gap = (uintptr_t)f->value - (uintptr_t)f->name;
		if (!at(next, 0, f->name) || gap < f->name_len + 1 ||
		    gap > f->name_len + 1 + OWS_MAX)
			return "a field line is folded onto the one before "
			    "(obs-fold), or a line does not end in CRLF "
			    "(RFC 9112 section 2.2, section 5.2)";
		next = f->value + f->value_len + 2;
	}
	if (!at(next, 2, h->method + h->size))
		return "a field value holds a NUL, or a line does not end "
		    "in CRLF (RFC 9112 section 2.2)";
	return NULL;
}

/* Trims optional whitespace from both ends of s[0..*len). */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

static bool
named(const struct head_field *f, const char *name)
{
	return f->name_len == strlen(name) &&
	    strncasecmp(f->name, name, f->name_len) == 0;
}

/* RFC 3986 unreserved / sub-delims, the reg-name characters less '%'. */
static bool
is_reg_name_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~!$&'()*+,;=", c) != NULL;
}

static bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

bool
head_valid_host(const char *s, size_t len)
{
	size_t host_end = len, i;

	if (len > 0 && s[0] == '[') {
		char literal[INET6_ADDRSTRLEN];
		struct in6_addr a;
		const char *close = memchr(s, ']', len);
		size_t n;
		if (close == NULL)
			return false;
		n = (size_t)(close - s) - 1;
		if (n == 0 || n >= sizeof(literal))
			return false;
		memcpy(literal, s + 1, n);
		literal[n] = '\0';
		if (inet_pton(AF_INET6, literal, &a) != 1)
			return false;
		host_end = (size_t)(close - s) + 1;
	} else {
		for (i = 0; i < len && s[i] != ':'; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '%' && i + 2 < len && is_hex((unsigned char)
			    s[i + 1]) && is_hex((unsigned char)s[i + 2]))
				i += 2;
			else if (!is_reg_name_char(c))
				return false;
		}
		host_end = i;
	}
	if (host_end == len)
		return true;
	if (s[host_end] != ':')
		return false;
	for (i = host_end + 1; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return len - host_end - 1 <= 5;
}

/*
 * Finds the origin form of target (RFC 9112 section 3.2): itself when it begins
 * with '/'; for absolute-form http or https, the path and query after the
 * authority ("/" when the path is empty); "*" for OPTIONS *. Returns NULL
 * when the target has none of these forms.
 */
static const char *
origin_form(const char *target, const char *method)
{
	const char *authority, *end;

	if (target[0] == '/')
		return target;
	if (strcmp(method, "CONNECT") == 0)	/* authority-form */
		return head_valid_host(target, strlen(target)) ? target : NULL;
	if (strcmp(target, "*") == 0)
		return strcmp(method, "OPTIONS") == 0 ? "*" : NULL;
	if (strncasecmp(target, "http://", 7) == 0)
		authority = target + 7;
	else if (strncasecmp(target, "https://", 8) == 0)
		authority = target + 8;
	else
		return NULL;
	end = authority + strcspn(authority, "/?");
	/* An http URI's host is never empty, and userinfo is refused
	 * (RFC 9110 section 4.2.1, section 4.2.4). */
	if (end == authority || memchr(authority, '@', (size_t)(end -
	    authority)) != NULL || !head_valid_host(authority, (size_t)(end -
	    authority)))
		return NULL;
	if (*end == '/')
		return end;
	return *end == '\0' ? "/" : NULL;	/* "http://h?q": no path */
}

enum head_method
head_method(const char *method)
{
	static const char *const served[] = { "GET", "HEAD", "OPTIONS" };
	static const char *const refused[] = { "POST", "PUT", "DELETE",
	    "PATCH" };

	for (size_t i = 0; i < sizeof(served) / sizeof(served[0]); i++)
		if (strcmp(method, served[i]) == 0)
			return HEAD_METHOD_SERVED;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcmp(method, refused[i]) == 0)
			return HEAD_METHOD_REFUSED;
	return HEAD_METHOD_UNKNOWN;
}

/* The framing fields found in a head. */
struct framing {
	const struct head_field *host, *length, *coding;
	size_t hosts, lengths, codings;
};

static struct head_verdict
fault(enum http_status status, const char *detail)
{
	return (struct head_verdict){ .status = status, .detail = detail };
}

/*
 * Checks a Transfer-Encoding list (RFC 9112 section 6.3): unless chunked is
 * its last coding, and its only chunked, the body's length cannot be
 * known (400); other codings before it are not implemented (501).
 */
static struct head_verdict
coding_verdict(const char *s, size_t len)
{
	size_t chunked = 0, others = 0;
	bool last_chunked = false;

	while (len > 0) {
		const char *comma = memchr(s, ',', len);
		size_t n = comma != NULL ? (size_t)(comma - s) : len, item = n;
		const char *t = trim(s, &item);
		/* Empty elements are ignored (RFC 9110 section 5.6.1). */
		if (item > 0) {
			last_chunked = item == 7 &&
			    strncasecmp(t, "chunked", 7) == 0;
			if (last_chunked)
				chunked++;
			else
				others++;
		}
		s += n;
		len -= n;
		if (comma != NULL) {
			s++;
			len--;
		}
	}
	if (!last_chunked || chunked > 1)
		return fault(HTTP_BAD_REQUEST,
		    "the body's length cannot be known: chunked must be the "
		    "last transfer coding, and given once (RFC 9112 section "
		    "6.3)");
	if (others > 0)
		return fault(HTTP_NOT_IMPLEMENTED,
		    "the only transfer coding understood is chunked (RFC "
		    "9112 section 6.1)");
	return (struct head_verdict){ .body = true };
}

/* Checks Content-Length and Transfer-Encoding (RFC 9112 section 6). */
static struct head_verdict
framing_verdict(const struct framing *fr, bool http10)
{
	struct head_verdict v = { 0 };
	const char *s;
	size_t len;

	if (fr->codings > 0) {
		if (http10)
			return fault(HTTP_BAD_REQUEST,
			    "Transfer-Encoding is not defined in HTTP/1.0 "
			    "(RFC 9112 section 6.1)");
		if (fr->lengths > 0)
			return fault(HTTP_BAD_REQUEST,
			    "Content-Length and Transfer-Encoding together "
			    "are ambiguous framing (RFC 9112 section 6.3)");
		if (fr->codings > 1)
			return fault(HTTP_BAD_REQUEST,
			    "Transfer-Encoding is given more than once");
		return coding_verdict(fr->coding->value,
		    fr->coding->value_len);
	}
	if (fr->lengths > 1)
		return fault(HTTP_BAD_REQUEST,
		    "Content-Length is given more than once (RFC 9112 "
		    "section 6.3)");
	if (fr->lengths == 1) {
		len = fr->length->value_len;
		s = trim(fr->length->value, &len);
		if (len == 0)
			return fault(HTTP_BAD_REQUEST,
			    "Content-Length must be digits");
		for (size_t i = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return fault(HTTP_BAD_REQUEST,
				    "Content-Length must be digits");
			if (s[i] != '0')
				v.body = true;
		}
	}
	return v;
}

/* Checks each field's name and value, and notes the framing fields in
 * *fr. Returns NULL, or the reason for a 400. */
static const char *
tally_fields(const struct head *h, struct framing *fr)
{
	for (size_t i = 0; i < h->nfields; i++) {
		const struct head_field *f = &h->fields[i];
		if (!is_token(f->name, f->name_len))
			return "a field name is not a token; whitespace before "
			    "the colon is not allowed (RFC 9112 section 5.1)";
		if (!is_field_value(f->value, f->value_len))
			return "a field value holds a control character (RFC "
			    "9110 section 5.5)";
		if (named(f, "Host")) {
			fr->host = f;
			fr->hosts++;
		} else if (named(f, "Content-Length")) {
			fr->length = f;
			fr->lengths++;
		} else if (named(f, "Transfer-Encoding")) {
			fr->coding = f;
			fr->codings++;
		}
	}
	return NULL;
}

struct head_verdict
head_check(const struct head *h, const char *target_copy)
{
	struct framing fr = { 0 };
	struct head_verdict v;
	const char *reason;
	bool http10 = strcmp(h->version, "HTTP/1.0") == 0;

	if (h->too_many)
		return fault(HTTP_HEADER_FIELDS_TOO_LARGE,
		    "the request has too many header fields");
	if ((reason = layout_fault(h)) != NULL)
		return fault(HTTP_BAD_REQUEST, reason);
	if (!is_token(h->method, strlen(h->method)))
		return fault(HTTP_BAD_REQUEST,
		    "the method is not a token (RFC 9110 section 9.1)");
	if ((reason = tally_fields(h, &fr)) != NULL)
		return fault(HTTP_BAD_REQUEST, reason);
	v = framing_verdict(&fr, http10);
	if (v.status != 0)
		return v;
	if (fr.hosts > 1)
		return fault(HTTP_BAD_REQUEST,
		    "Host is given more than once (RFC 9112 section 3.2)");
	if (fr.hosts == 0 && !http10)
		return fault(HTTP_BAD_REQUEST,
		    "an HTTP/1.1 request must have a Host field (RFC 9112 "
		    "section 3.2)");
	if (fr.hosts == 1) {
		size_t len = fr.host->value_len;
		const char *s = trim(fr.host->value, &len);
		if (!head_valid_host(s, len))
			return fault(HTTP_BAD_REQUEST,
			    "Host must be a host and an optional port (RFC "
			    "9112 section 3.2)");
	}
	v.path = origin_form(target_copy, h->method);
	if (v.path == NULL)
		return fault(HTTP_BAD_REQUEST,
		    "the request target must be a path, an http URI, or * "
		    "with OPTIONS (RFC 9112 section 3.2)");
	return v;
}
