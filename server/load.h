/* load: turns a data directory (articles + annotations) into a database. */
#ifndef ACCORD_LOAD_H
#define ACCORD_LOAD_H

#include <stddef.h>
#include <stdio.h>

/* Files larger than this (articles, sources.json, annotations) are refused.
 * A 10,000x corpus (50,000 articles) has a 29 MB sources.json. */
#define LOAD_MAX_FILE_BYTES ((size_t)64 << 20)

/*
 * Reads data_dir/sources.json, the articles it names and every
 * data_dir/annotations/ *.json file, anchors every citation and mention, and
 * writes the result to db_path atomically: a temporary file in the same
 * directory is built, checked, fsynced and renamed over db_path.
 * Returns 0. On any failure returns -1 with a message naming the file, the
 * record and the reason in err, and leaves db_path as it was.
 */
int load_run(const char *data_dir, const char *db_path, char *err,
    size_t errlen);

/*
 * Checks data_dir as load_run does, trying every record even after one
 * fails (a file that is not valid JSON stops that file only), and writes
 * no database: it builds one in a temporary file under $TMPDIR (or /tmp)
 * and removes it. Every error goes to report (when not NULL) as a line
 * "path:line:col: id: reason", the first also to err; *nerrors receives
 * their number. Returns 0 when there is none, else -1 (also when the
 * check could not run: err then says why).
 */
int load_check(const char *data_dir, FILE *report, size_t *nerrors,
    char *err, size_t errlen);

#endif
