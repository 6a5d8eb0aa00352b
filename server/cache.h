/* cache: the bodies of successful replies, valid for one database. */
#ifndef ACCORD_CACHE_H
#define ACCORD_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct reply_body;

/* Sets the memory the cache may hold (0 disables it). Call before use. */
void cache_configure(size_t max_bytes);

/* Returns true unless the cache was configured with no memory. */
bool cache_enabled(void);

/*
 * Returns the body cached for key under database generation gen, with a
 * new reference (caller releases), or NULL. Thread-safe.
 */
struct reply_body *cache_get(unsigned gen, const char *key);

/*
 * Caches body b (taking a reference of its own) for key under generation
 * gen. A newer generation empties the cache first; a body that would take
 * the cache past its budget is not kept. Thread-safe.
 */
void cache_put(unsigned gen, const char *key, struct reply_body *b);

/* Reports the lookups that hit and missed, and the bytes held. */
void cache_stats(unsigned long long *hit, unsigned long long *miss,
    size_t *bytes);

/* Empties the cache and frees what it holds. */
void cache_clear(void);

#endif
