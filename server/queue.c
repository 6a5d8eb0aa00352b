#include "queue.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wakeup = PTHREAD_COND_INITIALIZER;
static struct queue_job *head, *tail;
static size_t depth, capacity;
static uint64_t refused;
static unsigned wake_round;	/* bumped by queue_wake */
static bool stopping;
static pthread_t *threads;
static size_t nthreads;
static void (*wake_hook)(void);

static void *
work(void *arg)
{
	unsigned seen;

	(void)arg;
	pthread_mutex_lock(&lock);
	seen = wake_round;
	for (;;) {
		struct queue_job *job;
		while (head == NULL && !stopping && seen == wake_round)
			pthread_cond_wait(&wakeup, &lock);
		if (head == NULL && seen != wake_round) {
			seen = wake_round;
			pthread_mutex_unlock(&lock);
			if (wake_hook != NULL)
				wake_hook();
			pthread_mutex_lock(&lock);
			continue;
		}
		if (head == NULL)	/* stopping, and nothing left */
			break;
		job = head;
		head = job->next;
		if (head == NULL)
			tail = NULL;
		depth--;
		pthread_mutex_unlock(&lock);
		job->run(job);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	if (wake_hook != NULL)
		wake_hook();
	return NULL;
}

int
queue_start(size_t workers, size_t cap, void (*on_wake)(void))
{
	threads = calloc(workers, sizeof(*threads));
	if (threads == NULL)
		return -1;
	head = tail = NULL;
	depth = 0;
	capacity = cap;
	refused = 0;
	stopping = false;
	wake_hook = on_wake;
	for (nthreads = 0; nthreads < workers; nthreads++)
		if (pthread_create(&threads[nthreads], NULL, work, NULL) != 0) {
			queue_stop();
			return -1;
		}
	return 0;
}

bool
queue_push(struct queue_job *job)
{
	bool taken = false;

	job->next = NULL;
	pthread_mutex_lock(&lock);
	if (!stopping && depth < capacity) {
		if (tail != NULL)
			tail->next = job;
		else
			head = job;
		tail = job;
		depth++;
		taken = true;
		pthread_cond_signal(&wakeup);
	} else {
		refused++;
	}
	pthread_mutex_unlock(&lock);
	return taken;
}

void
queue_wake(void)
{
	pthread_mutex_lock(&lock);
	wake_round++;
	pthread_cond_broadcast(&wakeup);
	pthread_mutex_unlock(&lock);
}

void
queue_stop(void)
{
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_broadcast(&wakeup);
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	threads = NULL;
	nthreads = 0;
}

size_t
queue_depth(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = depth;
	pthread_mutex_unlock(&lock);
	return n;
}

uint64_t
queue_refused(void)
{
	uint64_t n;

	pthread_mutex_lock(&lock);
	n = refused;
	pthread_mutex_unlock(&lock);
	return n;
}
