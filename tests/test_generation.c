/* generation: the database files served, one generation per load; on the
 * served database (ACCORD_DB). */
#include <criterion/criterion.h>

#include "cache.h"
#include "db.h"
#include "generation.h"
#include "reply.h"
#include "support.h"

static unsigned
load(bool verified)
{
	char err[512];
	unsigned id = generation_load(env_or_die("ACCORD_DB"), 1, 0,
	    verified, NULL, err, sizeof(err));

	cr_assert_gt(id, 0, "%s", err);
	return id;
}

static void
init(void)
{
	cr_assert_eq(generation_init(), 0);
}

static void
fini(void)
{
	generation_shutdown();
}

TestSuite(generation, .init = init, .fini = fini);

/* The check of an older file, ending after a newer one was loaded, must
 * not vouch for the newer one. */
Test(generation, verifying_an_older_generation_leaves_the_current_one_unverified)
{
	unsigned first = load(false), second = load(false), id;
	bool verified;

	cr_assert_neq(first, second);
	cr_assert_not(generation_verify(first));
	generation_current(&id, &verified);
	cr_assert_eq(id, second);
	cr_assert_not(verified, "the newer file has not passed its check");
	cr_assert(generation_verify(second));
	generation_current(&id, &verified);
	cr_assert(verified);
}

/* A thread's connection follows the newest load. */
Test(generation, a_thread_moves_to_the_newest_generation)
{
	unsigned first = load(true), second, id;
	char digest[65];
	bool verified;
	struct db *db;

	db = generation_thread_db(&id, &verified);
	cr_assert_not_null(db);
	cr_assert_eq(id, first);
	second = load(true);
	db = generation_thread_db(&id, &verified);
	cr_assert_not_null(db);
	cr_assert_eq(id, second, "the thread still reads the old file");
	cr_assert_eq(db_data_digest(db, digest), DB_OK);
}

/* A load forgets the response bodies made from the data before it at
 * once: they are not served again, nor held. */
Test(generation, a_new_generation_empties_the_response_cache)
{
	struct reply_body *b = calloc(1, sizeof(*b));
	struct cache_stats s;
	unsigned first;

	cr_assert_not_null(b);
	atomic_init(&b->refs, 1);
	b->data = strdup("{}");
	b->len = 2;
	cache_configure((size_t)1 << 20);
	first = load(true);
	cache_put(first, "/sources", b);
	reply_body_release(b);
	cache_stats(&s);
	cr_assert_eq(s.entries, 1);
	load(true);
	cache_stats(&s);
	cr_assert_eq(s.entries, 0);
	cr_assert_eq(s.bytes, 0);
}
