#include "scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* One source's results. */
struct found {
	struct matcher_hits h, ph;
	bool ok;
};

/*
 * Who owns what: found[s] is the scan thread's until `done` passes s
 * (published under lock), then the caller's; fn and ctx are the
 * thread's to call while it runs. `stop` asks the thread to stop early.
 */
struct scan {
	scan_fn fn;
	void *ctx;
	size_t n;
	struct found *found;	/* n + 1 entries */
	pthread_t thread;
	bool threaded;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	size_t done;		/* found[0 .. done) are computed */
	atomic_bool stop;
	struct found *given;	/* the last scan_next gave out, to free */
};

/* Computes found[s]; on failure, found[s].ok stays false. */
static void
compute(struct scan *sc, size_t s)
{
	struct found *f = &sc->found[s];

	f->ok = sc->fn(sc->ctx, s, &f->h, &f->ph);
}

static void *
run(void *arg)
{
	struct scan *sc = arg;

	for (size_t s = 0; s < sc->n && !atomic_load(&sc->stop); s++) {
		compute(sc, s);
		pthread_mutex_lock(&sc->lock);
		sc->done = s + 1;
		pthread_cond_signal(&sc->ready);
		pthread_mutex_unlock(&sc->lock);
	}
	/* Stopped: whatever the caller still waits for is not computed. */
	pthread_mutex_lock(&sc->lock);
	sc->done = sc->n;
	pthread_cond_signal(&sc->ready);
	pthread_mutex_unlock(&sc->lock);
	return NULL;
}

struct scan *
scan_start(scan_fn fn, void *ctx, size_t n)
{
	struct scan *sc = calloc(1, sizeof(*sc));

	if (sc == NULL)
		return NULL;
	sc->found = calloc(n + 1, sizeof(*sc->found));
	if (sc->found == NULL) {
		free(sc);
		return NULL;
	}
	sc->fn = fn;
	sc->ctx = ctx;
	sc->n = n;
	atomic_init(&sc->stop, false);
	pthread_mutex_init(&sc->lock, NULL);
	pthread_cond_init(&sc->ready, NULL);
	sc->threaded = pthread_create(&sc->thread, NULL, run, sc) == 0;
	return sc;
}

bool
scan_next(struct scan *sc, size_t s, struct matcher_hits **h,
    struct matcher_hits **ph)
{
	struct found *f = &sc->found[s];

	if (sc->given != NULL) {
		free(sc->given->h.items);
		free(sc->given->ph.items);
		sc->given->h = sc->given->ph = (struct matcher_hits){ 0 };
	}
	if (!sc->threaded) {
		compute(sc, s);
	} else {
		pthread_mutex_lock(&sc->lock);
		while (sc->done <= s)
			pthread_cond_wait(&sc->ready, &sc->lock);
		pthread_mutex_unlock(&sc->lock);
	}
	sc->given = f;
	*h = &f->h;
	*ph = &f->ph;
	return f->ok;
}

void
scan_end(struct scan *sc)
{
	if (sc == NULL)
		return;
	atomic_store(&sc->stop, true);
	if (sc->threaded)
		pthread_join(sc->thread, NULL);
	for (size_t s = 0; s < sc->n; s++) {
		free(sc->found[s].h.items);
		free(sc->found[s].ph.items);
	}
	pthread_mutex_destroy(&sc->lock);
	pthread_cond_destroy(&sc->ready);
	free(sc->found);
	free(sc);
}
