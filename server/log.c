#include "log.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Stores an RFC 3339 UTC timestamp with milliseconds in buf. */
static void
timestamp(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Writes obj as one line with a single write(2), so lines never mix. */
static void
emit(json_t *obj)
{
	char *line;
	size_t len;

	if (obj == NULL)
		return;
	line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (line == NULL)
		return;
	len = strlen(line);
	line[len] = '\n';	/* json_dumps leaves room: the NUL */
	if (write(STDERR_FILENO, line, len + 1) < 0) {
		/* Nothing better to do with a log line that cannot be written. */
	}
	free(line);
}

void
log_request(const struct log_request *r)
{
	char ts[32];

	timestamp(ts);
	emit(json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:I, s:I, s:f}",
	    "time", ts, "event", "request", "method", r->method,
	    "target", r->target, "remote", r->remote,
	    "status", (json_int_t)r->status, "bytes", (json_int_t)r->bytes,
	    "duration_ms", r->duration_ms));
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
