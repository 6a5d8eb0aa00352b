#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#define MESSAGE_MAX 1536

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

void
input_locate(const struct input_file *f, size_t from, const char *id,
    char *out, size_t outlen)
{
	char needle[ID_MAX + 3];
	const char *hit = NULL;
	size_t line, col;

	snprintf(needle, sizeof(needle), "\"%s\"", id);
	if (f->raw != NULL && from < strlen(f->raw))
		hit = strstr(f->raw + from, needle);
	if (f->raw != NULL && hit == NULL)
		hit = strstr(f->raw, needle);
	if (hit == NULL) {
		snprintf(out, outlen, "%s", f->path);
		return;
	}
	line_col(f->raw, (size_t)(hit - f->raw), &line, &col);
	snprintf(out, outlen, "%s:%zu:%zu", f->path, line, col);
}

/* Counts the error msg and sends it where errors go. */
static void
report(struct input *in, const char *msg)
{
	if (in->nerrors++ == 0)
		snprintf(in->err, in->errlen, "%s", msg);
	if (in->report != NULL)
		fprintf(in->report, "%s\n", msg);
}

int
input_fail(struct input *in, const char *record, const char *fmt, ...)
{
	char msg[MESSAGE_MAX], where[PATH_MAX + 48];
	char full[MESSAGE_MAX + PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (in->file == NULL)
		snprintf(full, sizeof(full), "%s", msg);
	else if (record != NULL) {
		input_locate(in->file, in->record_at, record, where,
		    sizeof(where));
		snprintf(full, sizeof(full), "%s: %s: %s", where, record, msg);
	} else
		snprintf(full, sizeof(full), "%s: %s", in->file->path, msg);
	report(in, full);
	return -1;
}

/* Returns the index of the first byte at or after i of s that is not
 * JSON whitespace. */
static size_t
skip_space(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	return i;
}

/* Returns the index just after the JSON value that begins at s[i] (valid
 * JSON: the file was parsed). */
static size_t
skip_value(const char *s, size_t i)
{
	size_t depth = 0;

	do {
		if (s[i] == '"') {
			for (i++; s[i] != '"' && s[i] != '\0'; i++)
				if (s[i] == '\\' && s[i + 1] != '\0')
					i++;
		} else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		else if (depth == 0) {
			while (s[i] != '\0' && strchr(",}] \t\r\n", s[i]) == NULL)
				i++;
			return i;
		}
		if (s[i] != '\0')
			i++;
	} while (depth > 0 && s[i] != '\0');
	return i;
}

/* Lists the items of the array that begins at s[i]. */
static size_t *
list_items(const char *s, size_t i, size_t *n)
{
	size_t *at = NULL, cap = 0;

	*n = 0;
	for (i = skip_space(s, i + 1); s[i] != ']' && s[i] != '\0';) {
		if (*n == cap) {
			size_t *more;
			cap = cap == 0 ? 16 : cap * 2;
			more = realloc(at, cap * sizeof(*at));
			if (more == NULL) {
				free(at);
				return NULL;
			}
			at = more;
		}
		at[(*n)++] = i;
		i = skip_space(s, skip_value(s, i));
		if (s[i] == ',')
			i = skip_space(s, i + 1);
	}
	return at != NULL ? at : calloc(1, sizeof(*at));
}

size_t *
input_items(const struct input_file *f, const char *key, size_t *n)
{
	const char *s = f->raw;
	size_t i, klen = strlen(key);

	*n = 0;
	if (s == NULL || s[i = skip_space(s, 0)] != '{')
		return NULL;
	for (i = skip_space(s, i + 1); s[i] == '"';) {
		size_t key_at = i + 1;
		i = skip_space(s, skip_value(s, i));
		if (s[i] != ':')
			return NULL;
		i = skip_space(s, i + 1);
		if (s[i] == '[' && strncmp(s + key_at, key, klen) == 0 &&
		    s[key_at + klen] == '"')
			return list_items(s, i, n);
		i = skip_space(s, skip_value(s, i));
		if (s[i] == ',')
			i = skip_space(s, i + 1);
	}
	return NULL;
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
input_parse(struct input_file *f, struct input_problem *p)
{
	size_t len;

	p->kind = INPUT_SOUND;
	f->raw = input_read_file(f->path, &len, p->why, sizeof(p->why));
	if (f->raw == NULL)
		p->kind = INPUT_UNREADABLE;
	else if (!input_valid_utf8(f->raw, len, &p->line, &p->col))
		p->kind = INPUT_NOT_UTF8;
	else if ((f->root = json_loadb(f->raw, len, JSON_REJECT_DUPLICATES,
	    &p->json)) == NULL)
		p->kind = INPUT_NOT_JSON;
	else if (!json_is_object(f->root))
		p->kind = INPUT_NOT_OBJECT;
	return p->kind == INPUT_SOUND ? 0 : -1;
}

int
input_report(struct input *in, struct input_file *f,
    const struct input_problem *p)
{
	/* The messages of a file that is not JSON say where themselves. */
	in->file = p->kind == INPUT_NOT_UTF8 || p->kind == INPUT_NOT_JSON ?
	    NULL : f;
	switch (p->kind) {
	case INPUT_SOUND:
		return 0;
	case INPUT_UNREADABLE:
		return input_fail(in, NULL, "%s", p->why);
	case INPUT_NOT_UTF8:
		return input_fail(in, NULL, "%s:%zu:%zu: invalid UTF-8",
		    f->path, p->line, p->col);
	case INPUT_NOT_JSON:
		return input_fail(in, NULL, "%s:%d:%d: invalid JSON: %s",
		    f->path, p->json.line, p->json.column, p->json.text);
	case INPUT_NOT_OBJECT:
		return input_fail(in, NULL, "the top level must be an object");
	}
	return -1;
}

int
input_read_json(struct input *in, struct input_file *f)
{
	struct input_problem p;

	input_parse(f, &p);
	return input_report(in, f, &p);
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
