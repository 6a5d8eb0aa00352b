/*
 * The log: one JSON line per event on stderr, each written with a single
 * write(2) so that lines never mix. A request's line is written on every
 * request, so it is built by hand into a buffer (strings escaped as
 * jansson escapes them, integers by digits, the timestamp's date and time
 * formatted once a second per thread); events are rare and use jansson.
 */
#include "log.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compact.h"
#include "utf8.h"

/* Bytes of a request line outside its three strings, with room to spare:
 * the names, the timestamp, three integers of at most 20 digits. */
#define REQUEST_LINE_FIXED 256

/* The seconds of the last timestamp made on this thread, and its
 * "YYYY-MM-DDTHH:MM:SS" text. */
static _Thread_local time_t stamp_second = -1;
static _Thread_local char stamp_text[24];

/* Writes the n digits of v (zero-padded on the left) at p; returns the
 * end. */
static char *
put_digits(char *p, unsigned long long v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* Writes v in decimal at p; returns the end. */
static char *
put_uint(char *p, unsigned long long v)
{
	int n = 1;

	for (unsigned long long rest = v / 10; rest != 0; rest /= 10)
		n++;
	return put_digits(p, v, n);
}

/* Copies the NUL-terminated s to p; returns the end. */
static char *
put(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* Stores an RFC 3339 UTC timestamp with milliseconds in buf
 * ("2026-01-31T12:00:00.123Z"). */
static void
timestamp(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	char *p;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != stamp_second) {
		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp_text, sizeof(stamp_text), "%Y-%m-%dT%H:%M:%S",
		    &tm);
		stamp_second = ts.tv_sec;
	}
	p = put(buf, stamp_text);
	*p++ = '.';
	p = put_digits(p, (unsigned long long)ts.tv_nsec / 1000000, 3);
	*p++ = 'Z';
	*p = '\0';
}

/*
 * Writes s at p as a JSON string, quoted, escaped as jansson escapes it
 * (backslash, quote and control characters; the rest of UTF-8 as is), a
 * byte that is not part of valid UTF-8 written as '?'. Needs 6 bytes per
 * byte of s, and 2. Returns the end.
 */
static char *
put_string(char *p, const char *s)
{
	size_t len = strlen(s), at = 0;
	uint32_t cp;

	*p++ = '"';
	while (at < len) {
		size_t from = at;
		unsigned char c = (unsigned char)s[at];

		if (c >= 0x80) {
			if (utf8_decode(s, len, &at, &cp)) {
				memcpy(p, s + from, at - from);
				p += at - from;
			} else {
				*p++ = '?';
				at++;
			}
			continue;
		}
		at++;
		if (c >= 0x20 && c != '"' && c != '\\') {
			*p++ = (char)c;
			continue;
		}
		p += compact_escape(c, p);
	}
	*p++ = '"';
	return p;
}

/* Writes the len bytes of line, then a newline, with one write(2). line
 * has room for the newline. */
static void
write_line(char *line, size_t len)
{
	line[len] = '\n';
	if (write(STDERR_FILENO, line, len + 1) < 0) {
		/* Nothing better to do with a log line that cannot be written. */
	}
}

/* Writes obj (released here) as one line. */
static void
emit(json_t *obj)
{
	char *line;

	if (obj == NULL)
		return;
	line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (line == NULL)
		return;
	write_line(line, strlen(line));	/* json_dumps leaves room: the NUL */
	free(line);
}

/* Writes r's line into line, which has room for it; returns its length. */
static size_t
format_request(char *line, const struct log_request *r)
{
	char ts[32], *p = line;

	timestamp(ts);
	p = put(p, "{\"time\":\"");
	p = put(p, ts);
	p = put(p, "\",\"event\":\"request\",\"method\":");
	p = put_string(p, r->method);
	p = put(p, ",\"target\":");
	p = put_string(p, r->target);
	if (r->remote != NULL) {
		p = put(p, ",\"remote\":");
		p = put_string(p, r->remote);
	}
	p = put(p, ",\"status\":");
	p = put_uint(p, r->status);
	p = put(p, ",\"bytes\":");
	p = put_uint(p, r->bytes);
	p = put(p, ",\"duration_ms\":");
	p = put_uint(p, r->duration_us / 1000);
	*p++ = '.';
	p = put_digits(p, r->duration_us % 1000, 3);
	*p++ = '}';
	return (size_t)(p - line);
}

void
log_request(const struct log_request *r)
{
	char stack[2048], *line = stack;
	size_t need = REQUEST_LINE_FIXED + 6 * (strlen(r->method) +
	    strlen(r->target) + (r->remote != NULL ? strlen(r->remote) : 0));

	if (need > sizeof(stack)) {
		line = malloc(need);
		if (line == NULL)
			return;
	}
	write_line(line, format_request(line, r));
	if (line != stack)
		free(line);
}

void
log_event(const char *level, const char *event, const char *message,
    const char *key, const char *value)
{
	char ts[32];
	json_t *obj;

	timestamp(ts);
	obj = json_pack("{s:s, s:s, s:s, s:s?}", "time", ts, "level", level,
	    "event", event, "message", message);
	if (obj != NULL && key != NULL && value != NULL)
		json_object_set_new(obj, key, json_string(value));
	emit(obj);
}
