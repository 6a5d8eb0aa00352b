/* log: a request's line, built by hand, is one JSON line with its fields. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Logs r with stderr sent to a file, and returns the line parsed (the
 * caller releases it); fails the test unless it is one JSON line. */
static json_t *
logged(const struct log_request *r)
{
	char path[] = "/tmp/accord-test-log-XXXXXX", line[300000];
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	FILE *f;
	json_error_t err;
	json_t *doc;
	size_t n;

	cr_assert(fd >= 0 && saved >= 0);
	dup2(fd, STDERR_FILENO);
	log_request(r);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	unlink(path);
	line[n] = '\0';
	cr_assert(n > 0 && strchr(line, '\n') == line + n - 1,
	    "one line, ended by a newline: %s", line);
	doc = json_loads(line, 0, &err);
	cr_assert_not_null(doc, "not JSON (%s): %s", err.text, line);
	return doc;
}

static const char *
str(const json_t *doc, const char *key)
{
	return json_string_value(json_object_get(doc, key));
}

Test(log, a_request_line_has_every_field_in_order)
{
	json_t *doc = logged(&(struct log_request){ .method = "GET",
	    .target = "/outcomes?limit=5", .remote = "127.0.0.1",
	    .status = 200, .bytes = 29771, .duration_us = 1234567 });
	static const char *const keys[] = { "time", "event", "method",
	    "target", "remote", "status", "bytes", "duration_ms" };
	const char *key;
	json_t *value;
	size_t i = 0;

	json_object_foreach(doc, key, value) {
		cr_assert(i < 8);
		cr_assert_str_eq(key, keys[i]);
		i++;
	}
	cr_assert_eq(i, 8);
	cr_assert_str_eq(str(doc, "event"), "request");
	cr_assert_str_eq(str(doc, "target"), "/outcomes?limit=5");
	cr_assert_eq(json_integer_value(json_object_get(doc, "status")), 200);
	cr_assert_eq(json_integer_value(json_object_get(doc, "bytes")), 29771);
	cr_assert_float_eq(json_real_value(json_object_get(doc,
	    "duration_ms")), 1234.567, 1e-9);
	/* RFC 3339, UTC, milliseconds: 2026-01-31T12:00:00.123Z */
	cr_assert_eq(strlen(str(doc, "time")), 24);
	cr_assert_eq(str(doc, "time")[19], '.');
	cr_assert_eq(str(doc, "time")[23], 'Z');
	json_decref(doc);
}

Test(log, a_short_duration_is_a_number_with_three_decimals)
{
	json_t *doc = logged(&(struct log_request){ .method = "GET",
	    .target = "/", .status = 304, .duration_us = 7 });

	cr_assert_float_eq(json_real_value(json_object_get(doc,
	    "duration_ms")), 0.007, 1e-12);
	cr_assert_null(json_object_get(doc, "remote"), "no remote: left out");
	json_decref(doc);
}

Test(log, a_hostile_target_is_escaped_and_invalid_utf8_replaced)
{
	json_t *doc = logged(&(struct log_request){ .method = "G\"T",
	    .target = "/x\"\\\x01\x1f\t\n\x7f/\xc3\xa9\xff\xe2\x80",
	    .remote = "::1", .status = 400 });

	cr_assert_str_eq(str(doc, "method"), "G\"T");
	cr_assert_str_eq(str(doc, "target"),
	    "/x\"\\\x01\x1f\t\n\x7f/\xc3\xa9???");
	json_decref(doc);
}

Test(log, a_long_target_is_logged_whole)
{
	size_t n = 100000;
	char *target = malloc(n + 1);
	json_t *doc;

	cr_assert_not_null(target);
	memset(target, '"', n);	/* each byte escaped to two */
	target[0] = '/';
	target[n] = '\0';
	doc = logged(&(struct log_request){ .method = "GET",
	    .target = target, .status = 414 });
	cr_assert_str_eq(str(doc, "target"), target);
	json_decref(doc);
	free(target);
}
