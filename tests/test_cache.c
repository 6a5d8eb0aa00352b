/* cache: the shared response cache evicts the least recently used within
 * its budget, counts what it does, and never crosses generations. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "reply.h"

/* Returns a new body of len bytes, all `fill`, with one reference. */
static struct reply_body *
body_new(size_t len, char fill)
{
	struct reply_body *b = calloc(1, sizeof(*b));

	cr_assert_not_null(b);
	atomic_init(&b->refs, 1);
	b->data = malloc(len + 1);
	cr_assert_not_null(b->data);
	memset(b->data, fill, len);
	b->data[len] = '\0';
	b->len = len;
	snprintf(b->type, sizeof(b->type), "application/json");
	return b;
}

/* Puts a new body of len bytes for key under gen and drops the test's
 * reference: the cache holds the only one, if it kept the body. */
static void
put(unsigned gen, const char *key, size_t len)
{
	struct reply_body *b = body_new(len, key[0]);

	cache_put(gen, key, b);
	reply_body_release(b);
}

/* Returns true when key is cached under gen (a lookup: counts a hit or a
 * miss, and makes the key the most recently used). */
static bool
held(unsigned gen, const char *key)
{
	struct reply_body *b = cache_get(gen, key);

	reply_body_release(b);
	return b != NULL;
}

static struct cache_stats
stats(void)
{
	struct cache_stats s;

	cache_stats(&s);
	return s;
}

/* What an entry of a body of len bytes under a two-character key costs,
 * measured by the cache itself; leaves it empty. */
static size_t
entry_cost(size_t len)
{
	size_t cost;

	cache_configure((size_t)1 << 30);
	put(1, "zz", len);
	cost = stats().bytes;
	cr_assert_gt(cost, len);
	cache_clear();
	return cost;
}

Test(cache, a_put_body_comes_back_with_a_new_reference)
{
	struct reply_body *b = body_new(100, 'x'), *got;

	cache_configure((size_t)1 << 20);
	cache_put(1, "/claims", b);
	got = cache_get(1, "/claims");
	cr_assert_eq(got, b);
	cr_assert_eq(atomic_load(&b->refs), 3, "the test's, the cache's and "
	    "the lookup's");
	reply_body_release(got);
	reply_body_release(b);
	cache_clear();
}

Test(cache, the_least_recently_used_is_evicted_first)
{
	size_t cost = entry_cost(1000);

	cache_configure(8 * cost);	/* exactly eight entries */
	for (char c = 'a'; c <= 'h'; c++)
		put(1, (char[]){ c, '0', '\0' }, 1000);
	cr_assert_eq(stats().entries, 8);
	put(1, "i0", 1000);
	cr_assert_not(held(1, "a0"), "a0 was the least recently used");
	for (char c = 'b'; c <= 'i'; c++)
		cr_assert(held(1, (char[]){ c, '0', '\0' }), "%c0 lost", c);
}

Test(cache, a_recently_used_entry_stays)
{
	size_t cost = entry_cost(1000);

	cache_configure(8 * cost);
	for (char c = 'a'; c <= 'h'; c++)
		put(1, (char[]){ c, '0', '\0' }, 1000);
	cr_assert(held(1, "a0"));	/* now the most recently used */
	put(1, "i0", 1000);
	cr_assert(held(1, "a0"), "a0 was used after b0: b0 goes first");
	cr_assert_not(held(1, "b0"));
	cr_assert_eq(stats().entries, 8);
}

Test(cache, a_repeated_put_makes_the_key_recently_used)
{
	size_t cost = entry_cost(1000);

	cache_configure(8 * cost);
	for (char c = 'a'; c <= 'h'; c++)
		put(1, (char[]){ c, '0', '\0' }, 1000);
	put(1, "a0", 1000);	/* another worker was first: kept, touched */
	put(1, "i0", 1000);
	cr_assert(held(1, "a0"));
	cr_assert_not(held(1, "b0"));
}

Test(cache, hits_misses_and_evictions_are_counted_exactly)
{
	size_t cost = entry_cost(500);
	struct cache_stats before, after;

	cache_configure(8 * cost);
	before = stats();
	for (int i = 0; i < 20; i++) {
		char key[8];
		snprintf(key, sizeof(key), "k%d", i % 10);
		put(1, key, 500);
	}
	/* k0..k9 went in (k0, k1 evicted for k8, k9); then k0..k9 again:
	 * each is missing when put (the 8 held are always the last 8),
	 * so every one of the 10 evicts one more. */
	for (int i = 0; i < 3; i++)
		held(1, "k9");
	held(1, "k0");
	held(1, "nope");
	held(2, "k9");		/* another generation */
	after = stats();
	cr_assert_eq(after.hits - before.hits, 3);
	cr_assert_eq(after.misses - before.misses, 3);
	cr_assert_eq(after.evictions - before.evictions, 12);
	cr_assert_eq(after.entries, 8);
	cr_assert_eq(after.bytes, 8 * cost);
}

Test(cache, a_body_over_an_eighth_of_the_budget_is_refused)
{
	size_t cost = entry_cost(1000);
	struct cache_stats s;

	cache_configure(8 * cost);
	put(1, "a0", 1000);	/* exactly an eighth: kept */
	put(1, "b0", 1001);	/* one byte more: refused */
	s = stats();
	cr_assert_eq(s.entries, 1);
	cr_assert_eq(s.oversized, 1);
	cr_assert_eq(s.evictions, 0, "a refused body evicts nothing");
	cr_assert(held(1, "a0"));
	cr_assert_not(held(1, "b0"));
}

Test(cache, the_bytes_held_never_exceed_the_budget)
{
	size_t budget = 64 * 1024, most = 0;
	unsigned seed = 7;

	cache_configure(budget);
	for (int i = 0; i < 5000; i++) {
		char key[16];
		struct cache_stats s;
		seed = seed * 1103515245u + 12345u;
		snprintf(key, sizeof(key), "/p%u", (seed >> 8) % 300);
		put(1, key, (seed >> 4) % 9000);	/* some refused */
		s = stats();
		cr_assert_leq(s.bytes, budget, "%zu bytes held after put %d",
		    s.bytes, i);
		most = s.bytes > most ? s.bytes : most;
	}
	cr_assert_gt(most, budget / 2, "the test must fill the cache");
	cr_assert_gt(stats().evictions, 0);
}

Test(cache, a_body_from_an_older_generation_is_never_returned)
{
	struct reply_body *b;

	cache_configure((size_t)1 << 20);
	put(1, "/claims", 100);
	cr_assert_null(cache_get(2, "/claims"), "a newer generation's lookup");
	put(2, "/outcomes", 100);	/* empties generation 1's bodies */
	cr_assert_null(cache_get(1, "/outcomes"), "an older one's lookup");
	cr_assert_null(cache_get(1, "/claims"));
	cr_assert_null(cache_get(2, "/claims"));
	b = cache_get(2, "/outcomes");
	cr_assert_not_null(b);
	reply_body_release(b);
}

Test(cache, a_put_from_an_older_generation_is_not_kept)
{
	struct reply_body *b;

	cache_configure((size_t)1 << 20);
	put(5, "/claims", 100);
	put(4, "/outcomes", 200);	/* a worker still on the old file */
	cr_assert_null(cache_get(4, "/outcomes"));
	b = cache_get(5, "/claims");
	cr_assert_not_null(b, "an older put must not empty the newer cache");
	cr_assert_eq(b->len, 100);
	reply_body_release(b);
	cr_assert_eq(stats().entries, 1);
}

Test(cache, generations_compare_as_serial_numbers)
{
	cache_configure((size_t)1 << 20);
	put(0xFFFFFFFFu, "/claims", 100);
	put(0, "/outcomes", 100);	/* newer: the counter wrapped */
	cr_assert(held(0, "/outcomes"));
	cr_assert_not(held(0xFFFFFFFFu, "/claims"));
}

Test(cache, eviction_drops_only_the_caches_reference)
{
	size_t cost = entry_cost(1000);
	struct reply_body *b = body_new(1000, 'a');

	cache_configure(8 * cost);
	cache_put(1, "a0", b);
	cr_assert_eq(atomic_load(&b->refs), 2);
	for (char c = 'b'; c <= 'i'; c++)
		put(1, (char[]){ c, '0', '\0' }, 1000);
	cr_assert_not(held(1, "a0"));
	cr_assert_eq(atomic_load(&b->refs), 1, "the caller's reference stays");
	cr_assert_eq(b->data[999], 'a');
	reply_body_release(b);
}

Test(cache, a_lower_budget_evicts_down_to_it)
{
	size_t cost = entry_cost(1000);
	struct cache_stats s;

	cache_configure(16 * cost);
	for (char c = 'a'; c <= 'p'; c++)
		put(1, (char[]){ c, '0', '\0' }, 1000);
	cr_assert_eq(stats().entries, 16);
	cache_configure(4 * cost);
	s = stats();
	cr_assert_eq(s.entries, 4);
	cr_assert_eq(s.bytes, 4 * cost);
	cr_assert_eq(s.evictions, 12);
	cr_assert(held(1, "p0"), "the most recently used stay");
	cr_assert_not(held(1, "l0"));
}

Test(cache, a_zero_budget_keeps_nothing)
{
	cache_configure(0);
	cr_assert_not(cache_enabled());
	put(1, "/claims", 10);
	cr_assert_not(held(1, "/claims"));
	cr_assert_eq(stats().entries, 0);
	cr_assert_eq(stats().oversized, 0);
}

Test(cache, clear_empties_but_keeps_the_counts)
{
	cache_configure((size_t)1 << 20);
	put(1, "/claims", 10);
	cr_assert(held(1, "/claims"));
	cache_clear();
	cr_assert_eq(stats().entries, 0);
	cr_assert_eq(stats().bytes, 0);
	cr_assert_not(held(1, "/claims"));
	cr_assert_eq(stats().hits, 1);
	cr_assert_eq(stats().misses, 1);
	put(1, "/claims", 10);	/* the table is made again */
	cr_assert(held(1, "/claims"));
}

Test(cache, many_keys_survive_the_table_growing)
{
	cache_configure((size_t)1 << 30);
	for (int i = 0; i < 20000; i++) {
		char key[24];
		snprintf(key, sizeof(key), "/claims/c-%d", i);
		put(1, key, 8);
	}
	cr_assert_eq(stats().entries, 20000);
	cr_assert_eq(stats().evictions, 0);
	for (int i = 0; i < 20000; i++) {
		char key[24];
		snprintf(key, sizeof(key), "/claims/c-%d", i);
		cr_assert(held(1, key), "%s lost", key);
	}
}

/* Worker of the concurrency test: puts and gets random keys; every body
 * of key /kN is N bytes of 'a' + N % 26, checked on every hit. */
static void *
hammer(void *arg)
{
	unsigned seed = (unsigned)(size_t)arg;

	for (int i = 0; i < 20000; i++) {
		char key[16];
		size_t n;
		struct reply_body *b;
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % 2000 + 1;
		snprintf(key, sizeof(key), "/k%zu", n);
		b = cache_get(1, key);
		if (b == NULL) {
			b = body_new(n, (char)('a' + n % 26));
			cache_put(1, key, b);
		} else if (b->len != n || b->data[n - 1] != (char)('a' + n % 26)) {
			reply_body_release(b);
			return (void *)1;
		}
		reply_body_release(b);
	}
	return NULL;
}

Test(cache, threads_share_it_within_the_budget)
{
	size_t budget = 256 * 1024;
	pthread_t t[4];
	struct cache_stats s;

	cache_configure(budget);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, hammer,
		    (void *)(i + 1)), 0);
	for (size_t i = 0; i < 4; i++) {
		void *bad;
		pthread_join(t[i], &bad);
		cr_assert_null(bad, "a lookup returned another key's body");
	}
	s = stats();
	cr_assert_leq(s.bytes, budget);
	cr_assert_eq(s.hits + s.misses, 80000);
	cr_assert_gt(s.evictions, 0);
	cache_clear();
}
