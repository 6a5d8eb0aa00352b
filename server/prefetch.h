/* prefetch: the annotation files read and parsed on a second thread while
 * the sources load, then handed to the loader, which reports on them in
 * order as if it had read them itself. */
#ifndef ACCORD_PREFETCH_H
#define ACCORD_PREFETCH_H

#include <stdbool.h>

#include "input.h"

struct prefetch;

/*
 * Starts reading and parsing (input_parse) every file of dir whose name
 * ends in ".json" and does not begin with a dot, on a second thread that
 * touches nothing but what it allocates. Returns the prefetch (end it with
 * prefetch_end), or NULL when no thread could be started: the caller then
 * reads the files itself.
 */
struct prefetch *prefetch_start(const char *dir);

/*
 * Waits for the thread, then moves what it read of the file at f->path
 * (set by the caller) into f (raw and root) and *p. Returns false when it
 * did not read that file (pf NULL, or a file that came after it listed the
 * directory): the caller reads it with input_parse.
 */
bool prefetch_take(struct prefetch *pf, struct input_file *f,
    struct input_problem *p);

/* Waits for the thread and frees what was not taken. Accepts NULL. */
void prefetch_end(struct prefetch *pf);

#endif
