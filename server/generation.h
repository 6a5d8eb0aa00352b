/*
 * generation: the database files the daemon serves. A generation is the
 * set of connections opened, all to one file, when it was loaded (at
 * start or on SIGHUP); each database worker thread takes one connection
 * of the current generation and keeps it until a newer one exists, and
 * the last worker to leave an old generation closes it. A generation is
 * "verified" once its full check (pages, derived data and every span)
 * has passed: data is served only from a verified generation.
 */
#ifndef ACCORD_GENERATION_H
#define ACCORD_GENERATION_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/*
 * Opens n connections to path (each keeping rendered records within
 * record_budget / n bytes), checks they all reach one file and that it is
 * an accord database, and makes them the current generation, verified or
 * not as `verified` says (the caller has run, or will run, the full
 * check). With `checker` non-NULL, one more connection to the same file
 * is opened and stored there for that check (caller closes it). Returns
 * the new generation's id (>= 1), or 0 with the reason in err (the
 * current generation stays).
 */
unsigned generation_load(const char *path, size_t n, size_t record_budget,
    bool verified, struct db **checker, char *err, size_t errlen);

/* Marks generation id verified, if it is still the current one. Returns
 * true when it was. */
bool generation_verify(unsigned id);

/* Stores the current generation's id (0: none) in *id and whether it is
 * verified in *verified. */
void generation_current(unsigned *id, bool *verified);

/*
 * Returns the calling thread's connection to the current generation
 * (taking one, and leaving an older generation, as needed), with that
 * generation's id in *id and its verification in *verified; NULL when
 * there is none to take. The connection stays the generation's: the
 * thread keeps it until it takes a newer one or exits.
 */
struct db *generation_thread_db(unsigned *id, bool *verified);

/* Sets up the per-thread keys; call once before any other function.
 * Returns 0 or -1. */
int generation_init(void);

/* Frees the current generation; every thread must have left it (exited).
 */
void generation_shutdown(void);

#endif
