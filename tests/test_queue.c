/* queue: the bounded queue of database work and its workers. Jobs here
 * block on a gate the test opens, so that what is queued, running or
 * refused is known at every step; every wait is for an event. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "queue.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static bool gate_open;
static int started, finished;

/* A job: counts its start, waits for the gate, counts its end. */
static void
gated(struct queue_job *job)
{
	(void)job;
	pthread_mutex_lock(&mu);
	started++;
	pthread_cond_broadcast(&changed);
	while (!gate_open)
		pthread_cond_wait(&changed, &mu);
	finished++;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

static void
open_gate(void)
{
	pthread_mutex_lock(&mu);
	gate_open = true;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

/* Waits until *counter reaches n; false after a minute without it. */
static bool
wait_count(const int *counter, int n)
{
	struct timespec deadline;
	bool reached;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	pthread_mutex_lock(&mu);
	while (*counter < n && pthread_cond_timedwait(&changed, &mu,
	    &deadline) == 0)
		;
	reached = *counter >= n;
	pthread_mutex_unlock(&mu);
	return reached;
}

static int
count(const int *counter)
{
	int n;

	pthread_mutex_lock(&mu);
	n = *counter;
	pthread_mutex_unlock(&mu);
	return n;
}

Test(queue, a_full_queue_refuses_at_once)
{
	struct queue_job jobs[4] = { { gated, NULL }, { gated, NULL },
	    { gated, NULL }, { gated, NULL } };

	cr_assert_eq(queue_start(1, 2, NULL), 0);
	cr_assert(queue_push(&jobs[0]));
	cr_assert(wait_count(&started, 1), "the worker took the first job");
	cr_assert(queue_push(&jobs[1]));
	cr_assert(queue_push(&jobs[2]));
	cr_assert_eq(queue_depth(), 2);
	cr_assert_not(queue_push(&jobs[3]), "a third waiting job is refused");
	cr_assert_eq(queue_depth(), 2);
	cr_assert_eq(queue_refused(), 1);
	open_gate();
	queue_stop();
	cr_assert_eq(count(&finished), 3, "every job taken ran");
}

struct stopper {
	pthread_t thread;
	bool calling;
};

static void *
stop_queue(void *arg)
{
	struct stopper *s = arg;

	pthread_mutex_lock(&mu);
	s->calling = true;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
	queue_stop();
	return NULL;
}

/* queue_stop refuses new jobs, but every job queued before it runs. */
Test(queue, stopping_runs_every_queued_job)
{
	enum { ROOM = 100000 };
	static struct queue_job jobs[ROOM];
	struct stopper st = { .calling = false };
	int pushed = 0;

	for (size_t i = 0; i < ROOM; i++)
		jobs[i] = (struct queue_job){ gated, NULL };
	cr_assert_eq(queue_start(1, ROOM, NULL), 0);
	cr_assert(queue_push(&jobs[pushed++]));
	cr_assert(wait_count(&started, 1));
	while (pushed < 5)
		cr_assert(queue_push(&jobs[pushed++]));
	cr_assert_eq(pthread_create(&st.thread, NULL, stop_queue, &st), 0);
	pthread_mutex_lock(&mu);
	while (!st.calling)
		pthread_cond_wait(&changed, &mu);
	pthread_mutex_unlock(&mu);
	/* Until the stop takes hold, jobs are still taken: they must run
	 * too. The first refusal (the queue has room for all) is the
	 * stop's; the gate opens only then, so that the worker finds the
	 * queue stopping with jobs still in it. */
	while (pushed < ROOM && queue_push(&jobs[pushed])) {
		pushed++;
		sched_yield();
	}
	cr_assert_lt(pushed, ROOM, "the stop never refused a job");
	open_gate();
	pthread_join(st.thread, NULL);
	cr_assert_eq(count(&finished), pushed, "%d jobs queued, %d ran",
	    pushed, count(&finished));
	cr_assert_eq(queue_depth(), 0);
}
