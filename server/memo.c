#include "memo.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* One kept text: its key and the text follow the struct, NUL-terminated. */
struct entry {
	size_t key_len, len;
	char bytes[];
};

static atomic_ullong hits, misses, held;

struct memo {
	struct entry **slots;	/* open addressing; NULL is empty */
	size_t mask;		/* slots - 1, a power of two minus one */
	size_t count;
	size_t used, budget;	/* bytes */
};

struct memo *
memo_new(size_t budget)
{
	struct memo *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->mask = 255;
	m->slots = calloc(m->mask + 1, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return NULL;
	}
	m->budget = budget;
	return m;
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i <= m->mask; i++)
		free(m->slots[i]);
	atomic_fetch_sub_explicit(&held, m->used, memory_order_relaxed);
	free(m->slots);
	free(m);
}

/* Returns the slot holding key, or the empty slot where it would go. */
static size_t
find(const struct memo *m, const char *key, size_t key_len)
{
	size_t i = (size_t)hash_fnv1a(key, key_len, HASH_FNV1A_BASIS) & m->mask;

	while (m->slots[i] != NULL && (m->slots[i]->key_len != key_len ||
	    memcmp(m->slots[i]->bytes, key, key_len) != 0))
		i = (i + 1) & m->mask;
	return i;
}

const char *
memo_get(const struct memo *m, const char *key, size_t *len)
{
	const struct entry *e;

	if (m == NULL || m->budget == 0)
		return NULL;
	e = m->slots[find(m, key, strlen(key))];
	atomic_fetch_add_explicit(e != NULL ? &hits : &misses, 1,
	    memory_order_relaxed);
	if (e == NULL)
		return NULL;
	*len = e->len;
	return e->bytes + e->key_len + 1;
}

/* Doubles the table; returns false when out of memory (m unchanged). */
static bool
grow(struct memo *m)
{
	struct memo bigger = *m;

	bigger.mask = m->mask * 2 + 1;
	bigger.slots = calloc(bigger.mask + 1, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		return false;
	for (size_t i = 0; i <= m->mask; i++) {
		struct entry *e = m->slots[i];
		if (e != NULL)
			bigger.slots[find(&bigger, e->bytes, e->key_len)] = e;
	}
	free(m->slots);
	*m = bigger;
	return true;
}

bool
memo_put(struct memo *m, const char *key, const char *text, size_t len)
{
	size_t key_len = strlen(key);
	size_t size = sizeof(struct entry) + key_len + len + 2;
	struct entry *e;

	if (m == NULL || size > m->budget - m->used)
		return false;
	if (2 * (m->count + 1) > m->mask + 1 && !grow(m))
		return false;
	e = malloc(size);
	if (e == NULL)
		return false;
	e->key_len = key_len;
	e->len = len;
	memcpy(e->bytes, key, key_len + 1);
	memcpy(e->bytes + key_len + 1, text, len);
	e->bytes[key_len + 1 + len] = '\0';
	m->slots[find(m, key, key_len)] = e;
	m->count++;
	m->used += size;
	atomic_fetch_add_explicit(&held, size, memory_order_relaxed);
	return true;
}

void
memo_stats(unsigned long long *hit, unsigned long long *miss,
    unsigned long long *bytes)
{
	*hit = atomic_load_explicit(&hits, memory_order_relaxed);
	*miss = atomic_load_explicit(&misses, memory_order_relaxed);
	*bytes = atomic_load_explicit(&held, memory_order_relaxed);
}
