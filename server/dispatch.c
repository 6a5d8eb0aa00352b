#include "dispatch.h"

#include <stddef.h>

#include "cache.h"
#include "db.h"
#include "generation.h"

static const char busy[] = "the server is busy; retry shortly";

/* Makes ex's answer the 503 of a request past its deadline. */
static void
late(struct exchange *ex)
{
	reply_body_release(ex->body);
	ex->body = NULL;
	ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE, "the request "
	    "took longer than its %u ms deadline", ex->cfg->query_timeout_ms);
}

/* Runs ex's handler on req->db (of generation gen) within ex's deadline,
 * and caches the body it makes. */
static void
run_in_time(struct exchange *ex, struct request *req, unsigned gen)
{
	db_set_deadline(req->db, ex->deadline_ms);
	/* A cached body is compressed once, for every later client. */
	exchange_run(ex, req, cache_enabled() || ex->gzip);
	db_set_deadline(req->db, 0);
	/* A query interrupted by the deadline may fail in any way: past
	 * the deadline, any failure is the deadline's, and a body made
	 * too late is not sent. */
	if (db_now_ms() > ex->deadline_ms && (ex->status >= 500 ||
	    ex->body != NULL)) {
		late(ex);
		return;
	}
	if (ex->body != NULL && !ex->uncached)
		cache_put(gen, ex->key, ex->body);
}

/* On a database worker: answers ex, and resumes its connection for
 * exchange_on_request to deliver the answer. */
static void
run_job(struct queue_job *job)
{
	struct exchange *ex = (struct exchange *)(void *)((char *)job -
	    offsetof(struct exchange, job));
	struct request req = { .method = "GET", .url = &ex->url,
	    .match = &ex->match, .draining = server_draining(),
	    .base = ex->base, .accept = ex->accept };
	unsigned gen;
	bool verified;

	req.db = generation_thread_db(&gen, &verified);
	if (req.db == NULL || !verified)
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE,
		    "the database is unavailable");
	else if (db_now_ms() >= ex->deadline_ms)
		late(ex);
	else
		run_in_time(ex, &req, gen);
	ex->state = EX_DONE;
	MHD_resume_connection(ex->conn);
}

enum MHD_Result
dispatch(struct MHD_Connection *conn, struct exchange *ex)
{
	/* Bodies not yet sent (to clients that do not read, say) hold
	 * memory: past the budget, no new one is made. */
	if (reply_live_bytes() >= ex->cfg->response_memory) {
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE, "%s",
		    busy);
		return exchange_deliver(conn, ex);
	}
	ex->conn = conn;
	ex->job.run = run_job;
	ex->deadline_ms = db_now_ms() + ex->cfg->query_timeout_ms;
	ex->state = EX_QUEUED;
	MHD_suspend_connection(conn);
	if (!queue_push(&ex->job)) {
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE, "%s",
		    busy);
		ex->state = EX_DONE;
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}
