#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cache.h"
#include "guard.h"
#include "memo.h"
#include "queue.h"
#include "reply.h"
#include "text.h"

#define MAX_ROUTES 64
#define NSTATUS 600

static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define NBUCKETS (sizeof(bounds) / sizeof(bounds[0]))

/* Index MAX_ROUTES counts requests that matched no route. */
static atomic_ullong requests[MAX_ROUTES + 1][NSTATUS];
static atomic_ullong buckets[MAX_ROUTES + 1][NBUCKETS + 1];
static atomic_ullong micros[MAX_ROUTES + 1];

void
metrics_record(int route, unsigned status, double seconds)
{
	size_t r = route < 0 || (size_t)route >= api_route_count ||
	    route >= MAX_ROUTES ? MAX_ROUTES : (size_t)route;
	size_t b = 0;

	if (status < NSTATUS)
		atomic_fetch_add_explicit(&requests[r][status], 1,
		    memory_order_relaxed);
	while (b < NBUCKETS && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&buckets[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&micros[r], (unsigned long long)(seconds *
	    1e6), memory_order_relaxed);
}

static const char *
route_name(size_t r)
{
	return r < api_route_count ? api_routes[r].pattern : "unmatched";
}

static atomic_bool checked;

void
metrics_set_checked(bool passed)
{
	atomic_store(&checked, passed);
}

/* Whether route r's lines are written: every route, and "unmatched". */
static bool
shown(size_t r)
{
	size_t nroutes = api_route_count < MAX_ROUTES ? api_route_count :
	    MAX_ROUTES;

	return r < nroutes || r == MAX_ROUTES;
}

static void
render_requests(struct text *t)
{
	text_printf(t, "# HELP accord_requests_total Requests answered, by route "
	    "and status.\n# TYPE accord_requests_total counter\n");
	for (size_t r = 0; r <= MAX_ROUTES; r++) {
		if (!shown(r))
			continue;
		for (size_t s = 0; s < NSTATUS; s++) {
			unsigned long long n = atomic_load_explicit(
			    &requests[r][s], memory_order_relaxed);
			if (n != 0)
				text_printf(t, "accord_requests_total{route=\"%s\","
				    "status=\"%zu\"} %llu\n", route_name(r), s, n);
		}
	}
}

static void
render_durations(struct text *t)
{
	text_printf(t, "# HELP accord_request_duration_seconds Time from request to "
	    "completed reply, by route.\n"
	    "# TYPE accord_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= MAX_ROUTES; r++) {
		unsigned long long cumulative = 0;
		if (!shown(r))
			continue;
		for (size_t b = 0; b <= NBUCKETS; b++) {
			cumulative += atomic_load_explicit(&buckets[r][b],
			    memory_order_relaxed);
			if (b < NBUCKETS)
				text_printf(t, "accord_request_duration_seconds_bucket"
				    "{route=\"%s\",le=\"%g\"} %llu\n",
				    route_name(r), bounds[b], cumulative);
			else
				text_printf(t, "accord_request_duration_seconds_bucket"
				    "{route=\"%s\",le=\"+Inf\"} %llu\n",
				    route_name(r), cumulative);
		}
		text_printf(t, "accord_request_duration_seconds_sum{route=\"%s\"} "
		    "%.6f\n", route_name(r), (double)atomic_load_explicit(
		    &micros[r], memory_order_relaxed) / 1e6);
		text_printf(t, "accord_request_duration_seconds_count{route=\"%s\"} "
		    "%llu\n", route_name(r), cumulative);
	}
}

static void
render_cache(struct text *t)
{
	struct cache_stats c;

	cache_stats(&c);
	text_printf(t, "# HELP accord_cache_lookups_total Response cache "
	    "lookups, by result.\n"
	    "# TYPE accord_cache_lookups_total counter\n"
	    "accord_cache_lookups_total{result=\"hit\"} %llu\n"
	    "accord_cache_lookups_total{result=\"miss\"} %llu\n"
	    "# HELP accord_cache_evictions_total Responses dropped from the "
	    "cache, least recently used first, to keep it within its "
	    "budget.\n# TYPE accord_cache_evictions_total counter\n"
	    "accord_cache_evictions_total %llu\n"
	    "# HELP accord_cache_oversized_total Responses not cached "
	    "because each would take more than an eighth of the budget.\n"
	    "# TYPE accord_cache_oversized_total counter\n"
	    "accord_cache_oversized_total %llu\n"
	    "# HELP accord_cache_bytes Memory held by the response "
	    "cache.\n# TYPE accord_cache_bytes gauge\n"
	    "accord_cache_bytes %zu\n"
	    "# HELP accord_cache_budget_bytes The response cache's "
	    "budget (--cache-bytes).\n"
	    "# TYPE accord_cache_budget_bytes gauge\n"
	    "accord_cache_budget_bytes %zu\n"
	    "# HELP accord_cache_entries Responses held by the cache.\n"
	    "# TYPE accord_cache_entries gauge\n"
	    "accord_cache_entries %zu\n", c.hits, c.misses, c.evictions,
	    c.oversized, c.bytes, c.budget, c.entries);
}

static void
render_queue(struct text *t)
{
	text_printf(t, "# HELP accord_queue_depth Requests waiting for a "
	    "database worker.\n# TYPE accord_queue_depth gauge\n"
	    "accord_queue_depth %zu\n"
	    "# HELP accord_queue_refused_total Requests answered 503 at once "
	    "because the queue was full.\n"
	    "# TYPE accord_queue_refused_total counter\n"
	    "accord_queue_refused_total %llu\n"
	    "# HELP accord_head_timeouts_total Connections shut because a "
	    "request head did not arrive whole in time.\n"
	    "# TYPE accord_head_timeouts_total counter\n"
	    "accord_head_timeouts_total %llu\n"
	    "# HELP accord_connections_evicted_total Connections waiting for "
	    "a request head, shut to make room past the connection limit.\n"
	    "# TYPE accord_connections_evicted_total counter\n"
	    "accord_connections_evicted_total %llu\n"
	    "# HELP accord_response_bytes Memory held by response bodies "
	    "alive (cached, queued or being sent).\n"
	    "# TYPE accord_response_bytes gauge\n"
	    "accord_response_bytes %zu\n", queue_depth(),
	    (unsigned long long)queue_refused(),
	    (unsigned long long)guard_timeouts(),
	    (unsigned long long)guard_evictions(), reply_live_bytes());
}

static void
render_records(struct text *t)
{
	unsigned long long hit, miss, bytes;

	memo_stats(&hit, &miss, &bytes);
	text_printf(t, "# HELP accord_record_cache_lookups_total Lookups of "
	    "rendered list records, by result.\n"
	    "# TYPE accord_record_cache_lookups_total counter\n"
	    "accord_record_cache_lookups_total{result=\"hit\"} %llu\n"
	    "accord_record_cache_lookups_total{result=\"miss\"} %llu\n"
	    "# HELP accord_record_cache_bytes Memory held by rendered "
	    "list records.\n# TYPE accord_record_cache_bytes gauge\n"
	    "accord_record_cache_bytes %llu\n", hit, miss, bytes);
}

char *
metrics_render(size_t *len)
{
	struct text t = { 0 };

	render_requests(&t);
	render_durations(&t);
	render_cache(&t);
	render_queue(&t);
	render_records(&t);
	text_printf(&t, "# HELP accord_database_checked 1 once the database served "
	    "has passed its full check, 0 while the check runs.\n"
	    "# TYPE accord_database_checked gauge\n"
	    "accord_database_checked %d\n", atomic_load(&checked) ? 1 : 0);
	return text_take(&t, len);
}
