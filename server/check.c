#include "check.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "generation.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "server.h"

/* The first check, run once the daemon listens. */
struct first_check {
	pthread_t thread;
	pthread_mutex_t lock;	/* guards db against check_end */
	struct db *db;		/* closed by the check when it ends */
	unsigned generation;
	bool started;
	atomic_bool failed;
};

static struct first_check first = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* Milliseconds since start, as a log value. */
static void
took_since(const struct timespec *start, char took[32])
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(took, 32, "%.0f", (double)(now.tv_sec - start->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e6);
}

/* The full check. Returns 0, or -1 with the reason in err. */
static int
full_check(struct db *db, char *err, size_t errlen)
{
	if (db_check(db, err, errlen) != 0)
		return -1;
	return db_verify_spans(db, err, errlen);
}

/* Stops the daemon because the database served failed its check. */
static void
stop_daemon(void)
{
	atomic_store(&first.failed, true);
	kill(getpid(), SIGTERM);
}

static void *
run_first_check(void *arg)
{
	struct first_check *c = arg;
	struct timespec start;
	char err[512], took[32];
	bool passed, still_served;
	unsigned id;

	clock_gettime(CLOCK_MONOTONIC, &start);
	passed = full_check(c->db, err, sizeof(err)) == 0;
	pthread_mutex_lock(&c->lock);
	db_close(c->db);
	c->db = NULL;
	pthread_mutex_unlock(&c->lock);
	if (passed) {
		if (generation_verify(c->generation))
			metrics_set_checked(true);
		took_since(&start, took);
		log_event("info", "checked", "the database passed its check",
		    "ms", took);
		return NULL;
	}
	if (server_draining())
		return NULL;	/* interrupted by the shutdown */
	generation_current(&id, &passed);
	still_served = id == c->generation;
	log_event("error", "check_failed", still_served ? "stopping: the "
	    "database failed its check" : "the first database failed its "
	    "check; a newer one is served", "reason", err);
	if (still_served)
		stop_daemon();
	return NULL;
}

void
check_start(unsigned generation, struct db *db)
{
	first.generation = generation;
	first.db = db;
	first.started = pthread_create(&first.thread, NULL, run_first_check,
	    &first) == 0;
	if (!first.started) {
		log_event("error", "check_failed", "cannot start the check",
		    NULL, NULL);
		stop_daemon();
	}
}

void
check_end(void)
{
	pthread_mutex_lock(&first.lock);
	if (first.db != NULL)
		db_interrupt(first.db);
	pthread_mutex_unlock(&first.lock);
	if (first.started) {
		pthread_join(first.thread, NULL);
		first.started = false;
	}
	db_close(first.db);
	first.db = NULL;
}

bool
check_failed(void)
{
	return atomic_load(&first.failed);
}

void
check_reload(const char *path, size_t n, size_t record_budget)
{
	char err[512], took[32];
	struct timespec start;
	struct db *check = NULL;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (db_open(path, &check, err, sizeof(err)) != 0 ||
	    full_check(check, err, sizeof(err)) != 0) {
		db_close(check);
		log_event("error", "reload_refused", "keeping the current "
		    "database", "reason", err);
		return;
	}
	db_close(check);
	/* The file checked is the one opened: generation_load refuses a
	 * path whose file changes while it opens it, and a loader only
	 * ever renames a new file into place. */
	if (generation_load(path, n, record_budget, true, NULL, err,
	    sizeof(err)) == 0) {
		log_event("error", "reload_refused", "keeping the current "
		    "database", "reason", err);
		return;
	}
	queue_wake();
	metrics_set_checked(true);	/* checked before it was swapped in */
	took_since(&start, took);
	log_event("info", "reloaded", "serving the new database", "ms", took);
}
