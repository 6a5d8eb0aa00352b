/* generation: the database files served, one generation per load; on the
 * served database (ACCORD_DB). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdatomic.h>

#include "cache.h"
#include "db.h"
#include "generation.h"
#include "reply.h"
#include "support.h"

/*
 * calloc, failing when armed for the table of a record memo (256 slots,
 * memo.c): what db_keep_records allocates after db_open succeeded. Not
 * under AddressSanitizer, which must see every allocation itself.
 */
static atomic_bool fail_memo_slots;

#ifndef __SANITIZE_ADDRESS__
void *__libc_calloc(size_t n, size_t size);
void *calloc(size_t n, size_t size);

void *
calloc(size_t n, size_t size)
{
	if (n == 256 && size == sizeof(void *) &&
	    atomic_exchange(&fail_memo_slots, false))
		return NULL;
	return __libc_calloc(n, size);
}
#endif

/* The file descriptors this process has open. */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

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

/* A connection opened before the load fails is closed, and the reason is
 * written. */
Test(generation, a_load_that_runs_out_of_memory_closes_what_it_opened)
{
	char err[512];
	int before;

#ifdef __SANITIZE_ADDRESS__
	cr_skip_test("calloc cannot be made to fail under AddressSanitizer");
#endif
	memset(err, 'x', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
	before = open_fds();
	atomic_store(&fail_memo_slots, true);
	cr_assert_eq(generation_load(env_or_die("ACCORD_DB"), 1, 1 << 20,
	    true, NULL, err, sizeof(err)), 0);
	cr_assert_not(atomic_load(&fail_memo_slots), "db_keep_records did "
	    "not run");
	cr_assert_str_eq(err, "out of memory");
	cr_assert_eq(open_fds(), before, "a connection was left open");
}
