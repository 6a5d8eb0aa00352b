/* input: reads the data directory's files, checks the shape of their JSON
 * and says where in them a load error is. */
#ifndef ACCORD_INPUT_H
#define ACCORD_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A JSON file of the data directory. It owns all three; input_file_free
 * frees them. */
struct input_file {
	char *path;	/* as shown in messages */
	char *raw;	/* its bytes, NUL-terminated, for line numbers */
	json_t *root;	/* an object, once read */
};

/* Where load errors go: the caller's buffer (the first error), every
 * error to report when it is not NULL, and the file being read
 * (borrowed; NULL while no file is). */
struct input {
	const struct input_file *file;
	char *err;
	size_t errlen;
	FILE *report;		/* each error a line, or NULL */
	size_t nerrors;		/* errors so far */
	size_t record_at;	/* byte of file->raw where the record read
				 * begins (its id is looked for from there) */
};

/*
 * Counts an error and writes its message (cut at 1535 bytes) after where
 * it is: "path:line:col: record: " when the record's id, quoted, is found
 * in the file at or after in->record_at, else anywhere (the line and
 * column 1-based, the column in bytes); "path: record: " when it is not;
 * "path: " without a record; nothing without a file. The first error goes
 * to in->err; every error, a line each, to in->report when it is set.
 * Always returns -1, for `return input_fail(...)`.
 */
int input_fail(struct input *in, const char *record, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes to out "path:line:col" of the first place at or after byte from
 * of f->raw where the record id, quoted, stands (anywhere in the file when
 * it is not found there), or "path" when it is nowhere.
 */
void input_locate(const struct input_file *f, size_t from, const char *id,
    char *out, size_t outlen);

/*
 * Lists where each item of the top-level array f->root[key] begins: a new
 * array of byte offsets into f->raw (the caller frees it) of *n items, or
 * NULL when there is no such array or memory. f must have been read.
 */
size_t *input_items(const struct input_file *f, const char *key,
    size_t *n);

/*
 * Reads a whole regular file of at most LOAD_MAX_FILE_BYTES without a NUL
 * byte. Returns its bytes NUL-terminated (the caller frees them) and their
 * number in *len; on failure NULL, with the reason in why.
 */
char *input_read_file(const char *path, size_t *len, char *why,
    size_t whylen);

/* Returns true when text[0..len) is valid UTF-8; else false, with the
 * 1-based line and byte column of the first bad byte. */
bool input_valid_utf8(const char *text, size_t len, size_t *line,
    size_t *col);

/*
 * Reads f->path (set by the caller) into f->raw and parses it into f->root,
 * which must be an object, and makes f the file errors point into.
 * Returns 0, or -1 via input_fail; f then holds what was read, for
 * input_file_free.
 */
int input_read_json(struct input *in, struct input_file *f);

/* What input_parse found wrong with a file, for input_report to say. */
struct input_problem {
	enum { INPUT_SOUND, INPUT_UNREADABLE, INPUT_NOT_UTF8, INPUT_NOT_JSON,
	    INPUT_NOT_OBJECT } kind;
	char why[256];		/* INPUT_UNREADABLE */
	size_t line, col;	/* INPUT_NOT_UTF8 */
	json_error_t json;	/* INPUT_NOT_JSON */
};

/*
 * input_read_json's reading and parsing, without reporting: touches only f
 * and p, so that another thread may run it. Returns 0, or -1 with what is
 * wrong in *p; f then holds what was read, for input_file_free.
 */
int input_parse(struct input_file *f, struct input_problem *p);

/* Reports *p, found by input_parse in f, as input_read_json would have,
 * and makes f the file errors point into as it would have. Returns 0 when
 * p is INPUT_SOUND, else -1 via input_fail. */
int input_report(struct input *in, struct input_file *f,
    const struct input_problem *p);

/* Frees what f owns and empties it. */
void input_file_free(struct input_file *f);

/* Fails unless every key of obj is one of allowed (NULL-terminated): this
 * catches typos. Returns 0, or -1 via input_fail. */
int input_check_keys(struct input *in, const char *record, json_t *obj,
    const char *const *allowed);

/*
 * Stores obj[key] in *out, borrowed from obj: a non-empty string, or NULL
 * when absent or null and not required. Returns 0, or -1 via input_fail.
 */
int input_string(struct input *in, const char *record, json_t *obj,
    const char *key, bool required, const char **out);

/* Like input_string, and the value must also be one of allowed
 * (NULL-terminated). */
int input_enum(struct input *in, const char *record, json_t *obj,
    const char *key, bool required, const char *const *allowed,
    const char **out);

#endif
