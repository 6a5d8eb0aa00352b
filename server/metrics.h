/* metrics: request counters and latency histograms, Prometheus text. */
#ifndef ACCORD_METRICS_H
#define ACCORD_METRICS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Counts one finished request: route is an index into api_routes, or -1
 * when none matched; status its HTTP status; seconds how long it took.
 * Lock-free; safe from any thread.
 */
void metrics_record(int route, unsigned status, double seconds);

/* Records whether the full check of the database being served has
 * passed (true) or still runs (false). Safe from any thread. */
void metrics_set_checked(bool passed);

/*
 * Returns a new Prometheus text exposition (caller frees) of every count
 * so far, and its length in *len; NULL when out of memory.
 */
char *metrics_render(size_t *len);

#endif
