#include "guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct guard_slot {
	int fd;
	bool in_use;
	bool waiting;		/* for a request head */
	bool shut;		/* already shut down by the sweep */
	int64_t since_ms;	/* when the wait began */
	uint64_t seq;		/* ... in order among all waits */
	struct guard_slot *next_free;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct guard_slot *slots;
static size_t nslots;
static struct guard_slot *free_list;
static size_t in_use, soft_limit;
static uint64_t next_seq;	/* orders waits: ms can tie */
static int64_t head_timeout_ms;
static int send_buffer;
static uint64_t timeouts, evictions;
static pthread_t sweeper;
static bool sweeping;
static pthread_cond_t stop_cond = PTHREAD_COND_INITIALIZER;
static bool stopping;

/* How often the sweeper looks for heads past their deadline. */
#define SWEEP_MS 250

static int64_t
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The sweeper thread: guard_sweep every SWEEP_MS until guard_free. */
static void *
sweep_loop(void *arg)
{
	struct timespec next;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		clock_gettime(CLOCK_REALTIME, &next);
		next.tv_nsec += SWEEP_MS * 1000000L;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&stop_cond, &lock, &next);
		if (stopping)
			break;
		pthread_mutex_unlock(&lock);
		guard_sweep();
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int
guard_init(size_t max_connections, size_t keep, unsigned timeout_ms,
    int sndbuf)
{
	slots = calloc(max_connections, sizeof(*slots));
	if (slots == NULL)
		return -1;
	nslots = max_connections;
	soft_limit = keep;
	in_use = 0;
	free_list = NULL;
	for (size_t i = nslots; i-- > 0;) {
		slots[i].next_free = free_list;
		free_list = &slots[i];
	}
	head_timeout_ms = timeout_ms;
	send_buffer = sndbuf;
	timeouts = evictions = 0;
	stopping = false;
	sweeping = pthread_create(&sweeper, NULL, sweep_loop, NULL) == 0;
	if (!sweeping) {
		free(slots);
		slots = NULL;
		return -1;
	}
	return 0;
}

void
guard_free(void)
{
	if (sweeping) {
		pthread_mutex_lock(&lock);
		stopping = true;
		pthread_cond_signal(&stop_cond);
		pthread_mutex_unlock(&lock);
		pthread_join(sweeper, NULL);
		sweeping = false;
	}
	free(slots);
	slots = NULL;
	nslots = 0;
	free_list = NULL;
}

/*
 * Past the soft limit, shuts the connection that has waited longest for a
 * request head (idle, or sending one slowly): the newest client gets its
 * place, as nginx reuses idle keep-alive connections when it runs out.
 * Caller holds the lock.
 */
static void
make_room(void)
{
	struct guard_slot *oldest = NULL;

	for (size_t i = 0; i < nslots; i++) {
		struct guard_slot *s = &slots[i];
		if (s->in_use && s->waiting && !s->shut && (oldest == NULL ||
		    s->seq < oldest->seq))
			oldest = s;
	}
	if (oldest != NULL) {
		shutdown(oldest->fd, SHUT_RDWR);
		oldest->shut = true;
		evictions++;
	}
}

struct guard_slot *
guard_open(int fd)
{
	struct guard_slot *s;

	if (send_buffer > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer,
		    sizeof(send_buffer));
	pthread_mutex_lock(&lock);
	s = free_list;
	if (s != NULL) {
		free_list = s->next_free;
		*s = (struct guard_slot){ .fd = fd, .in_use = true,
		    .waiting = true, .since_ms = now_ms(), .seq = next_seq++ };
		if (++in_use > soft_limit)
			make_room();
	}
	pthread_mutex_unlock(&lock);
	if (s == NULL)
		shutdown(fd, SHUT_RDWR);
	return s;
}

void
guard_head_received(struct guard_slot *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&lock);
	s->waiting = false;
	pthread_mutex_unlock(&lock);
}

void
guard_response_sent(struct guard_slot *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&lock);
	s->waiting = true;
	s->since_ms = now_ms();
	s->seq = next_seq++;
	pthread_mutex_unlock(&lock);
}

void
guard_close(struct guard_slot *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&lock);
	s->in_use = false;
	in_use--;
	s->next_free = free_list;
	free_list = s;
	pthread_mutex_unlock(&lock);
}

size_t
guard_sweep(void)
{
	int64_t now = now_ms();
	size_t shut = 0;

	/* Under the lock, so that no slot is freed, and its socket closed
	 * and its number reused, while it is being shut. */
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nslots; i++) {
		struct guard_slot *s = &slots[i];
		if (s->in_use && s->waiting && !s->shut &&
		    now - s->since_ms >= head_timeout_ms) {
			shutdown(s->fd, SHUT_RDWR);
			s->shut = true;
			shut++;
		}
	}
	timeouts += shut;
	pthread_mutex_unlock(&lock);
	return shut;
}

uint64_t
guard_evictions(void)
{
	uint64_t n;

	pthread_mutex_lock(&lock);
	n = evictions;
	pthread_mutex_unlock(&lock);
	return n;
}

uint64_t
guard_timeouts(void)
{
	uint64_t n;

	pthread_mutex_lock(&lock);
	n = timeouts;
	pthread_mutex_unlock(&lock);
	return n;
}
