#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "id.h"
#include "load.h"
#include "utf8.h"

/* The longest message before its file and record are put in front. */
#define MESSAGE_MAX 768

/* The 1-based line of s[at], and its column in bytes. */
static void
line_col(const char *s, size_t at, size_t *line, size_t *col)
{
	size_t bol = 0;

	*line = 1;
	for (size_t i = 0; i < at; i++)
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = at - bol + 1;
}

int
input_fail(struct input *in, const char *record, const char *fmt, ...)
{
	char msg[MESSAGE_MAX];
	size_t line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (in->file == NULL) {
		snprintf(in->err, in->errlen, "%s", msg);
		return -1;
	}
	if (record != NULL && in->file->raw != NULL) {
		/* Best effort: the line of the record's quoted id. */
		char needle[ID_MAX + 3];
		const char *hit;
		snprintf(needle, sizeof(needle), "\"%s\"", record);
		hit = strstr(in->file->raw, needle);
		if (hit != NULL)
			line_col(in->file->raw, (size_t)(hit - in->file->raw),
			    &line, &col);
	}
	if (line > 0)
		snprintf(in->err, in->errlen, "%s:%zu:%zu: %s: %s",
		    in->file->path, line, col, record, msg);
	else if (record != NULL)
		snprintf(in->err, in->errlen, "%s: %s: %s", in->file->path,
		    record, msg);
	else
		snprintf(in->err, in->errlen, "%s: %s", in->file->path, msg);
	return -1;
}

/* Reads the size bytes of fd into a new NUL-terminated buffer. Returns
 * it, or NULL with the reason in why. */
static char *
read_all(int fd, size_t size, char *why, size_t whylen)
{
	char *buf = malloc(size + 1);
	size_t got = 0;

	if (buf == NULL) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n <= 0) {
			snprintf(why, whylen, "read: %s",
			    n == 0 ? "file shrank" : strerror(errno));
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	return buf;
}

char *
input_read_file(const char *path, size_t *len, char *why, size_t whylen)
{
	struct stat st;
	char *buf = NULL;
	const char *nul;
	size_t line, col;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		snprintf(why, whylen, "not a regular file");
	else if ((size_t)st.st_size > LOAD_MAX_FILE_BYTES)
		snprintf(why, whylen, "file of %lld bytes exceeds the limit "
		    "of %zu", (long long)st.st_size, LOAD_MAX_FILE_BYTES);
	else
		buf = read_all(fd, (size_t)st.st_size, why, whylen);
	close(fd);
	if (buf == NULL)
		return NULL;
	nul = memchr(buf, '\0', (size_t)st.st_size);
	if (nul != NULL) {
		line_col(buf, (size_t)(nul - buf), &line, &col);
		snprintf(why, whylen, "contains a NUL byte at line %zu, "
		    "column %zu", line, col);
		free(buf);
		return NULL;
	}
	*len = (size_t)st.st_size;
	return buf;
}

bool
input_valid_utf8(const char *text, size_t len, size_t *line, size_t *col)
{
	size_t bad;

	if (utf8_validate(text, len, &bad))
		return true;
	line_col(text, bad, line, col);
	return false;
}

int
input_read_json(struct input *in, struct input_file *f)
{
	char why[256];
	json_error_t jerr;
	size_t len, line, col;

	in->file = f;
	f->raw = input_read_file(f->path, &len, why, sizeof(why));
	if (f->raw == NULL)
		return input_fail(in, NULL, "%s", why);
	in->file = NULL;	/* these messages say where themselves */
	if (!input_valid_utf8(f->raw, len, &line, &col))
		return input_fail(in, NULL, "%s:%zu:%zu: invalid UTF-8",
		    f->path, line, col);
	f->root = json_loadb(f->raw, len, JSON_REJECT_DUPLICATES, &jerr);
	if (f->root == NULL)
		return input_fail(in, NULL, "%s:%d:%d: invalid JSON: %s",
		    f->path, jerr.line, jerr.column, jerr.text);
	in->file = f;
	if (!json_is_object(f->root))
		return input_fail(in, NULL, "the top level must be an object");
	return 0;
}

void
input_file_free(struct input_file *f)
{
	free(f->path);
	free(f->raw);
	json_decref(f->root);
	*f = (struct input_file){ 0 };
}

int
input_check_keys(struct input *in, const char *record, json_t *obj,
    const char *const *allowed)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		bool known = false;
		for (size_t i = 0; allowed[i] != NULL && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known)
			return input_fail(in, record, "unknown key \"%s\"",
			    key);
	}
	return 0;
}

int
input_string(struct input *in, const char *record, json_t *obj,
    const char *key, bool required, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return input_fail(in, record, "\"%s\" is required",
			    key);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return input_fail(in, record, "\"%s\" must be a non-empty "
		    "string", key);
	*out = json_string_value(v);
	return 0;
}

int
input_enum(struct input *in, const char *record, json_t *obj,
    const char *key, bool required, const char *const *allowed,
    const char **out)
{
	if (input_string(in, record, obj, key, required, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (strcmp(*out, allowed[i]) == 0)
			return 0;
	return input_fail(in, record, "\"%s\" has the unknown value \"%s\"",
	    key, *out);
}
