/*
 * check: the full check (pages, derived data, and every span against its
 * text) of the databases the daemon serves: the first one's, run once it
 * listens, and the one a SIGHUP reload runs before it swaps a file in.
 */
#ifndef ACCORD_CHECK_H
#define ACCORD_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/*
 * Starts the full check of generation `generation` on a thread of its own,
 * on db (a connection to that generation's file, taken: closed as soon as
 * the check ends, so that a file replaced meanwhile is not held open).
 * Until it passes, /readyz and every data route answer 503. If it fails
 * while that generation is still served, or the thread cannot start, the
 * daemon is sent SIGTERM and check_failed() turns true.
 */
void check_start(unsigned generation, struct db *db);

/* Interrupts the first check if it still runs, waits for it, and closes
 * its connection. */
void check_end(void);

/* Returns true when the first check failed on the database served (the
 * daemon must then exit 1). */
bool check_failed(void);

/*
 * SIGHUP: switches to the file at path (n connections, keeping records
 * within record_budget bytes) only if it passes the full check, run before
 * the swap while the old file is still served; logs either way.
 */
void check_reload(const char *path, size_t n, size_t record_budget);

#endif
