/* scan: the per-source part of a pass over every source (finding names,
 * say) computed on a second thread while the loader's thread goes on, and
 * handed back source by source, in order. */
#ifndef ACCORD_SCAN_H
#define ACCORD_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "matcher.h"

/*
 * Computes into h and ph (empty, n = 0, on entry) what source s yields.
 * Runs on the scan's thread: it may read only what nothing else writes
 * while the scan runs (the sources' text, a built matcher, JSON that no
 * one changes). Returns false when out of memory.
 */
typedef bool (*scan_fn)(void *ctx, size_t s, struct matcher_hits *h,
    struct matcher_hits *ph);

struct scan;

/*
 * Starts computing fn(ctx, s, ...) for s = 0 .. n-1, in order, on a
 * second thread (or, when no thread can be started, in scan_next).
 * Returns the scan (end it with scan_end), or NULL when out of memory.
 */
struct scan *scan_start(scan_fn fn, void *ctx, size_t n);

/*
 * Waits for source s's results (s counting up from 0, each once) and
 * points *h and *ph at them: the caller's to read, and to change, until
 * the next call or scan_end. Returns false when fn failed for s.
 */
bool scan_next(struct scan *sc, size_t s, struct matcher_hits **h,
    struct matcher_hits **ph);

/* Stops the scan (it stops after the source at hand), waits for its
 * thread and frees what it holds. Accepts NULL. */
void scan_end(struct scan *sc);

#endif
