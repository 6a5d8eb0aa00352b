#include "generation.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "db.h"

struct generation {
	unsigned id;		/* distinct for every generation loaded */
	struct db **conns;
	size_t n;
	size_t next;		/* the next connection to hand out */
	size_t users;		/* threads holding one of its connections */
	bool retired;		/* a newer generation is current */
	bool verified;		/* its full check passed */
};

/* A thread's connection and the generation it came from. */
struct thread_db {
	struct db *db;
	struct generation *gen;
};

/* Guards every field of every generation, and current. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct generation *current;
static unsigned loaded;		/* how many have been loaded */
static pthread_key_t thread_key;

/* Frees g and the connections no thread took. Caller holds the lock. */
static void
free_generation(struct generation *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		db_close(g->conns[i]);
	free(g->conns);
	free(g);
}

/* A thread leaves g, closing its connection. Caller holds the lock. */
static void
leave(struct generation *g, struct db *db)
{
	db_close(db);
	if (g != NULL && --g->users == 0 && g->retired)
		free_generation(g);
}

static void
thread_exit(void *p)
{
	struct thread_db *t = p;

	pthread_mutex_lock(&lock);
	leave(t->gen, t->db);
	pthread_mutex_unlock(&lock);
	free(t);
}

int
generation_init(void)
{
	return pthread_key_create(&thread_key, thread_exit) == 0 ? 0 : -1;
}

/*
 * Opens g's n connections to path, each keeping records within
 * record_budget / n bytes. Returns 0, or -1 with the reason in err; the
 * connections opened before the failure stay counted in g->n, for
 * free_generation to close.
 */
static int
open_connections(struct generation *g, const char *path, size_t n,
    size_t record_budget, char *err, size_t errlen)
{
	struct db *db;

	for (g->n = 0; g->n < n; g->n++) {
		if (db_open(path, &db, err, errlen) != 0)
			return -1;
		if (db_keep_records(db, record_budget / n) != 0) {
			snprintf(err, errlen, "out of memory");
			goto close_db;
		}
		g->conns[g->n] = db;
	}
	return 0;

close_db:
	db_close(db);
	return -1;
}

/* Makes g the current generation, retiring the one before. */
static unsigned
make_current(struct generation *g)
{
	unsigned id;

	pthread_mutex_lock(&lock);
	if (current != NULL) {
		current->retired = true;
		if (current->users == 0)
			free_generation(current);
	}
	id = g->id = ++loaded;
	current = g;
	pthread_mutex_unlock(&lock);
	cache_clear();	/* its bodies came from the old data */
	return id;
}

unsigned
generation_load(const char *path, size_t n, size_t record_budget,
    bool verified, struct db **checker, char *err, size_t errlen)
{
	struct generation *g;
	struct stat before, after;
	struct db *spare = NULL;

	g = calloc(1, sizeof(*g));
	if (g == NULL || (g->conns = calloc(n, sizeof(*g->conns))) == NULL) {
		free(g);
		snprintf(err, errlen, "out of memory");
		return 0;
	}
	if (stat(path, &before) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto free_generation;
	}
	if (open_connections(g, path, n, record_budget, err, errlen) != 0)
		goto free_generation;
	if (checker != NULL && db_open(path, &spare, err, errlen) != 0)
		goto free_generation;
	if (stat(path, &after) != 0 || after.st_ino != before.st_ino ||
	    after.st_dev != before.st_dev) {
		snprintf(err, errlen, "%s changed while it was opened", path);
		goto close_spare;
	}
	g->verified = verified;
	if (checker != NULL)
		*checker = spare;
	return make_current(g);

close_spare:
	db_close(spare);
free_generation:
	free_generation(g);
	return 0;
}

bool
generation_verify(unsigned id)
{
	bool done = false;

	pthread_mutex_lock(&lock);
	if (current != NULL && current->id == id)
		done = current->verified = true;
	pthread_mutex_unlock(&lock);
	return done;
}

void
generation_current(unsigned *id, bool *verified)
{
	pthread_mutex_lock(&lock);
	*id = current != NULL ? current->id : 0;
	*verified = current != NULL && current->verified;
	pthread_mutex_unlock(&lock);
}

struct db *
generation_thread_db(unsigned *id, bool *verified)
{
	struct thread_db *t = pthread_getspecific(thread_key);

	*id = 0;
	*verified = false;
	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return NULL;
		if (pthread_setspecific(thread_key, t) != 0) {
			free(t);
			return NULL;
		}
	}
	pthread_mutex_lock(&lock);
	if (t->gen != current) {
		leave(t->gen, t->db);
		t->db = NULL;
		t->gen = NULL;
		if (current != NULL && current->next < current->n) {
			t->db = current->conns[current->next];
			current->conns[current->next++] = NULL;
			t->gen = current;
			current->users++;
		}
	}
	if (t->gen != NULL) {
		*id = t->gen->id;
		*verified = t->gen->verified;
	}
	pthread_mutex_unlock(&lock);
	return t->db;
}

void
generation_shutdown(void)
{
	pthread_mutex_lock(&lock);
	free_generation(current);
	current = NULL;
	pthread_mutex_unlock(&lock);
}
