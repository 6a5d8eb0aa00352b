#include "cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

#define BUCKETS 4096

struct entry {
	char *key;
	struct reply_body *body;
	struct entry *next;
};

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct entry *buckets[BUCKETS];
static unsigned generation;	/* of every entry */
static size_t used, budget = 32u << 20;
static atomic_ullong hits, misses;

/* FNV-1a. */
static size_t
bucket_of(const char *key)
{
	uint64_t h = 1469598103934665603u;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return (size_t)(h % BUCKETS);
}

bool
cache_enabled(void)
{
	size_t b;

	pthread_rwlock_rdlock(&lock);
	b = budget;
	pthread_rwlock_unlock(&lock);
	return b > 0;
}

void
cache_configure(size_t max_bytes)
{
	pthread_rwlock_wrlock(&lock);
	budget = max_bytes;
	pthread_rwlock_unlock(&lock);
}

/* Frees every entry. Caller holds the write lock. */
static void
empty(void)
{
	for (size_t i = 0; i < BUCKETS; i++) {
		struct entry *e = buckets[i];
		while (e != NULL) {
			struct entry *next = e->next;
			reply_body_release(e->body);
			free(e->key);
			free(e);
			e = next;
		}
		buckets[i] = NULL;
	}
	used = 0;
}

struct reply_body *
cache_get(unsigned gen, const char *key)
{
	struct reply_body *found = NULL;

	pthread_rwlock_rdlock(&lock);
	if (gen == generation)
		for (struct entry *e = buckets[bucket_of(key)]; e != NULL;
		     e = e->next)
			if (strcmp(e->key, key) == 0) {
				found = e->body;
				reply_body_retain(found);
				break;
			}
	pthread_rwlock_unlock(&lock);
	atomic_fetch_add_explicit(found != NULL ? &hits : &misses, 1,
	    memory_order_relaxed);
	return found;
}

void
cache_stats(unsigned long long *hit, unsigned long long *miss, size_t *bytes)
{
	*hit = atomic_load(&hits);
	*miss = atomic_load(&misses);
	pthread_rwlock_rdlock(&lock);
	*bytes = used;
	pthread_rwlock_unlock(&lock);
}

void
cache_put(unsigned gen, const char *key, struct reply_body *b)
{
	size_t size = reply_body_size(b) + strlen(key) + sizeof(struct entry);
	size_t at = bucket_of(key);
	struct entry *e;

	pthread_rwlock_wrlock(&lock);
	if (gen != generation) {
		empty();
		generation = gen;
	}
	if (used + size > budget)
		goto unlock;
	for (e = buckets[at]; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			goto unlock;	/* another worker was first */
	e = malloc(sizeof(*e));
	if (e == NULL)
		goto unlock;
	e->key = strdup(key);
	if (e->key == NULL) {
		free(e);
		goto unlock;
	}
	reply_body_retain(b);
	e->body = b;
	e->next = buckets[at];
	buckets[at] = e;
	used += size;
unlock:
	pthread_rwlock_unlock(&lock);
}

void
cache_clear(void)
{
	pthread_rwlock_wrlock(&lock);
	empty();
	pthread_rwlock_unlock(&lock);
}
