/*
 * cache: the bodies of successful replies, valid for one database
 * generation, kept within a byte budget by evicting the least recently
 * used. Shared by every worker thread: all functions are thread-safe.
 *
 * What an entry costs: reply_body_size(body) + strlen(key) + 1 + the
 * entry's own header (a few dozen bytes). The sum over the entries held
 * never exceeds the budget. The hash table's bucket array (one pointer
 * per bucket, at most two buckets per entry held at the cache's peak) is
 * not counted.
 *
 * Admission: a body whose cost exceeds budget / CACHE_MAX_SHARE is never
 * cached, so that no single response can flush the others; any other
 * body is admitted, evicting the least recently used entries (a get or
 * put of a key makes it the most recently used) until it fits.
 */
#ifndef ACCORD_CACHE_H
#define ACCORD_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct reply_body;

/* A body costing more than budget / CACHE_MAX_SHARE bytes is not kept. */
#define CACHE_MAX_SHARE 8

/*
 * Sets the budget, in bytes, the cache may hold (0 disables it); the
 * default is 32 MiB. A smaller budget than the bytes held evicts the
 * least recently used entries down to it at once. Call before use;
 * calling later is safe.
 */
void cache_configure(size_t max_bytes);

/* Returns true unless the budget is 0. Lock-free. */
bool cache_enabled(void);

/*
 * Returns the body cached for key (a NUL-terminated request target)
 * under database generation gen, with a new reference the caller
 * releases (reply_body_release), or NULL. Never returns a body put under
 * another generation. A lookup that finds a body counts as a hit and
 * makes it the most recently used; any other lookup counts as a miss.
 * O(1) expected.
 */
struct reply_body *cache_get(unsigned gen, const char *key);

/*
 * Offers body b for key under generation gen; when kept, the cache takes
 * a reference of its own (the caller keeps its own either way).
 * Generations are compared as serial numbers (RFC 1982, 32 bits): a gen
 * newer than the cache's empties the cache first and becomes its
 * generation; a body of an older gen is not kept. A body costing more
 * than budget / CACHE_MAX_SHARE is not kept (counted as oversized). A key
 * already held keeps its body (another worker was first) and becomes the
 * most recently used. Otherwise the least recently used entries are
 * evicted (counted as evictions; their references dropped) until b fits.
 * Nothing is kept when memory runs out. O(1) expected, amortized.
 */
void cache_put(unsigned gen, const char *key, struct reply_body *b);

/* What the cache has done since the process started, and holds now. */
struct cache_stats {
	unsigned long long hits;	/* lookups that returned a body */
	unsigned long long misses;	/* lookups that did not */
	unsigned long long evictions;	/* entries dropped to fit the budget */
	unsigned long long oversized;	/* bodies refused as > budget / 8 */
	size_t bytes;			/* cost of the entries held */
	size_t entries;			/* entries held */
	size_t budget;			/* the budget, in bytes */
};

/*
 * Fills *out with one consistent snapshot of the counts (taken under the
 * cache's lock). Counts are never reset, not by cache_clear nor by a new
 * generation. Entries dropped to fit a budget (by cache_put, or by
 * cache_configure lowering it) are evictions; those dropped by
 * cache_clear or a new generation are not.
 */
void cache_stats(struct cache_stats *out);

/* Empties the cache and drops its references to the bodies it held; the
 * generation stays. */
void cache_clear(void);

#endif
