/*
 * queue: the database work of requests, run by a pool of its own threads
 * from a bounded queue, so that the HTTP threads never wait on a query:
 * liveness, readiness and cached answers stay quick under any query load,
 * and when the queue is full a request is refused at once (admission
 * control) instead of waiting without bound.
 */
#ifndef ACCORD_QUEUE_H
#define ACCORD_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A unit of work; embedded in its owner's struct, never copied. */
struct queue_job {
	void (*run)(struct queue_job *job);	/* called on a worker */
	struct queue_job *next;			/* the queue's */
};

/*
 * Starts `workers` threads taking jobs from a queue of at most `capacity`
 * waiting jobs. on_wake (may be NULL) is called on a worker each time it
 * wakes with no job (see queue_wake) and once before it exits. Returns 0,
 * or -1 when a thread cannot be started (none is left running).
 */
int queue_start(size_t workers, size_t capacity, void (*on_wake)(void));

/*
 * Queues job (borrowed until its run() returns). Returns false, without
 * queueing, when the queue is full or stopping.
 */
bool queue_push(struct queue_job *job);

/* Wakes every idle worker to call on_wake (say, to let go of what it holds
 * for a database no longer served). */
void queue_wake(void);

/* Runs every job still queued, then stops and joins the workers. */
void queue_stop(void);

/* Jobs waiting now, and jobs refused because the queue was full. */
size_t queue_depth(void);
uint64_t queue_refused(void);

#endif
