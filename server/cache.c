/*
 * The response cache: a hash table of entries, chained per bucket and
 * grown by doubling, and a doubly linked recency list through the same
 * entries (newest first), all under one mutex. A lookup or an insertion
 * touches one bucket and a constant number of list links; the critical
 * sections allocate nothing and free nothing (entries are allocated
 * before taking the lock and released after dropping it).
 */
#include "cache.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "reply.h"

#define MIN_BUCKETS 1024

struct entry {
	struct entry *chain;		/* next in its bucket; or in a list
					 * of entries to free */
	struct entry *newer, *older;	/* the recency list */
	struct reply_body *body;	/* the cache's reference */
	size_t cost;			/* what it counts against the budget */
	uint64_t hash;
	char key[];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Everything below is guarded by lock, except budget's reads in
 * cache_enabled. */
static struct entry **table;	/* nbuckets heads, or NULL */
static size_t nbuckets;		/* 0, or a power of two */
static struct entry *newest, *oldest;
static unsigned generation;	/* of every entry */
static size_t used, count;
static atomic_size_t budget = (size_t)24 << 20;
static unsigned long long hits, misses, evictions, oversized;

/* Returns true when generation a is newer than b, as serial numbers. */
static bool
newer(unsigned a, unsigned b)
{
	return a != b && a - b <= UINT_MAX / 2;
}

/* Takes e out of the recency list. */
static void
unlink_recency(struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		oldest = e->newer;
}

/* Puts e at the newest end of the recency list. */
static void
push_newest(struct entry *e)
{
	e->newer = NULL;
	e->older = newest;
	if (newest != NULL)
		newest->newer = e;
	else
		oldest = e;
	newest = e;
}

/* Makes e the most recently used. */
static void
touch(struct entry *e)
{
	if (e != newest) {
		unlink_recency(e);
		push_newest(e);
	}
}

/* Returns the entry for key (whose hash is h), or NULL. Needs a table. */
static struct entry *
find(uint64_t h, const char *key)
{
	struct entry *e = table[h & (nbuckets - 1)];

	while (e != NULL && (e->hash != h || strcmp(e->key, key) != 0))
		e = e->chain;
	return e;
}

/* Takes e out of the table and the list, and onto *dropped. */
static void
drop(struct entry *e, struct entry **dropped)
{
	struct entry **p = &table[e->hash & (nbuckets - 1)];

	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	unlink_recency(e);
	used -= e->cost;
	count--;
	e->chain = *dropped;
	*dropped = e;
}

/* Evicts the least recently used until need more bytes fit in limit. */
static void
evict_until(size_t limit, size_t need, struct entry **dropped)
{
	while (oldest != NULL && (used > limit || limit - used < need)) {
		drop(oldest, dropped);
		evictions++;
	}
}

/* Moves every entry onto *dropped and empties the table. */
static void
drop_all(struct entry **dropped)
{
	struct entry *e = oldest;

	while (e != NULL) {
		struct entry *next = e->newer;
		e->chain = *dropped;
		*dropped = e;
		e = next;
	}
	newest = oldest = NULL;
	if (table != NULL)
		memset(table, 0, nbuckets * sizeof(*table));
	used = count = 0;
}

/* Doubles the table (or makes the first one); on failure keeps the old
 * one, whose chains then grow longer. */
static void
grow(void)
{
	size_t n = nbuckets != 0 ? nbuckets * 2 : MIN_BUCKETS;
	struct entry **t = calloc(n, sizeof(*t));

	if (t == NULL)
		return;
	for (size_t i = 0; i < nbuckets; i++) {
		struct entry *e = table[i];
		while (e != NULL) {
			struct entry *next = e->chain;
			size_t at = e->hash & (n - 1);
			e->chain = t[at];
			t[at] = e;
			e = next;
		}
	}
	free(table);
	table = t;
	nbuckets = n;
}

/* Releases the bodies of a list of dropped entries and frees them. Called
 * without the lock. */
static void
free_entries(struct entry *e)
{
	while (e != NULL) {
		struct entry *next = e->chain;
		reply_body_release(e->body);
		free(e);
		e = next;
	}
}

bool
cache_enabled(void)
{
	return atomic_load_explicit(&budget, memory_order_relaxed) > 0;
}

void
cache_configure(size_t max_bytes)
{
	struct entry *dropped = NULL;

	pthread_mutex_lock(&lock);
	atomic_store_explicit(&budget, max_bytes, memory_order_relaxed);
	evict_until(max_bytes, 0, &dropped);
	pthread_mutex_unlock(&lock);
	free_entries(dropped);
}

struct reply_body *
cache_get(unsigned gen, const char *key)
{
	uint64_t h = hash_fnv1a(key, strlen(key), HASH_FNV1A_BASIS);
	struct reply_body *found = NULL;

	pthread_mutex_lock(&lock);
	if (gen == generation && count > 0) {
		struct entry *e = find(h, key);
		if (e != NULL) {
			found = e->body;
			reply_body_retain(found);
			touch(e);
		}
	}
	if (found != NULL)
		hits++;
	else
		misses++;
	pthread_mutex_unlock(&lock);
	return found;
}

void
cache_put(unsigned gen, const char *key, struct reply_body *b)
{
	size_t klen = strlen(key);
	size_t cost = sizeof(struct entry) + klen + 1 + reply_body_size(b);
	uint64_t h = hash_fnv1a(key, strlen(key), HASH_FNV1A_BASIS);
	struct entry *dropped = NULL, *e;
	size_t limit;

	if (!cache_enabled())
		return;
	/* Before any other thread can hold b: from here on its full 200s go
	 * out without a response made per request. */
	(void)reply_body_share(b);
	e = malloc(sizeof(*e) + klen + 1);
	if (e == NULL)
		return;
	memcpy(e->key, key, klen + 1);
	e->hash = h;
	e->cost = cost;
	e->body = b;
	pthread_mutex_lock(&lock);
	if (gen != generation) {
		if (!newer(gen, generation))
			goto unlock;	/* a worker still on an older file */
		drop_all(&dropped);
		generation = gen;
	}
	limit = atomic_load_explicit(&budget, memory_order_relaxed);
	if (limit == 0)
		goto unlock;
	if (cost > limit / CACHE_MAX_SHARE) {
		oversized++;
		goto unlock;
	}
	if (count >= nbuckets)
		grow();
	if (table == NULL)
		goto unlock;
	{
		struct entry *held = find(h, key);
		if (held != NULL) {
			touch(held);	/* another worker was first */
			goto unlock;
		}
	}
	evict_until(limit, cost, &dropped);
	reply_body_retain(b);
	e->chain = table[h & (nbuckets - 1)];
	table[h & (nbuckets - 1)] = e;
	push_newest(e);
	used += cost;
	count++;
	e = NULL;
unlock:
	pthread_mutex_unlock(&lock);
	free(e);
	free_entries(dropped);
}

void
cache_stats(struct cache_stats *out)
{
	pthread_mutex_lock(&lock);
	out->hits = hits;
	out->misses = misses;
	out->evictions = evictions;
	out->oversized = oversized;
	out->bytes = used;
	out->entries = count;
	out->budget = atomic_load_explicit(&budget, memory_order_relaxed);
	pthread_mutex_unlock(&lock);
}

void
cache_clear(void)
{
	struct entry *dropped = NULL;
	struct entry **old;

	pthread_mutex_lock(&lock);
	drop_all(&dropped);
	old = table;	/* regrown on demand */
	table = NULL;
	nbuckets = 0;
	pthread_mutex_unlock(&lock);
	free(old);
	free_entries(dropped);
}
