/* log: one JSON line per event on stderr. */
#ifndef ACCORD_LOG_H
#define ACCORD_LOG_H

#include <stddef.h>
#include <stdint.h>

/* A finished request, as logged. */
struct log_request {
	const char *method;
	const char *target;	/* the raw request target: bytes that are
				   not valid UTF-8 are logged as '?' */
	const char *remote;	/* client address, or NULL */
	unsigned status;
	size_t bytes;
	uint64_t duration_us;	/* logged as duration_ms, to the µs */
};

/*
 * Writes one line describing a finished request: {"time", "event":
 * "request", "method", "target"[, "remote"], "status", "bytes",
 * "duration_ms"}. Never fails visibly.
 */
void log_request(const struct log_request *r);

/*
 * Writes one line {"time", "level", "event", "message"[, key: value]}.
 * key may be NULL; value is then ignored.
 */
void log_event(const char *level, const char *event, const char *message,
    const char *key, const char *value);

#endif
