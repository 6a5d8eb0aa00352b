#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "cache.h"
#include "db.h"
#include "generation.h"
#include "guard.h"
#include "head.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "reply.h"
#include "router.h"
#include "url.h"
#include "utf8.h"

/* Where a request's database work is. */
enum exchange_state {
	EX_ADMITTED,		/* head checked, or not yet */
	EX_QUEUED,		/* a database worker has it; suspended */
	EX_DONE,		/* its answer is ready to queue */
};

/*
 * One request's state, from the URI callback to completion. Owned by
 * libmicrohttpd's request context; a database worker borrows it while the
 * request is EX_QUEUED (the connection is then suspended, so the
 * completion callback cannot free it).
 */
struct exchange {
	struct timespec started;
	char *target;		/* raw request target (owned) */
	const char *path;	/* its origin form: in target, or "*" */
	char method[16];
	bool has_body;		/* announced, and never read */
	bool close;		/* close the connection after the reply */
	int route;		/* index in api_routes, -1 when none */
	struct reply_sent sent;
	/* For the database worker, and its answer. */
	enum exchange_state state;
	struct queue_job job;
	struct MHD_Connection *conn;
	struct url url;
	struct router_match match;
	bool pretty, gzip;
	int64_t deadline_ms;	/* db_now_ms() when its time is up */
	unsigned status;
	struct response res;	/* the detail of an error; link (owned) */
	struct reply_body *body;	/* a 200's body (one reference) */
};

static const struct server_config *config;
static atomic_bool draining;
static size_t worker_count;

static double
elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/* The full check: pages, derived data, and every span against its
 * text. Returns 0, or -1 with the reason in err. */
static int
full_check(struct db *db, char *err, size_t errlen)
{
	if (db_check(db, err, errlen) != 0)
		return -1;
	return db_verify_spans(db, err, errlen);
}

/*
 * The full check of the database the daemon started with, run once it
 * listens: until it passes, /readyz and every data route answer 503, so
 * nothing is served from a file whose spans have not been verified. If it
 * fails while that database is still the current one, the daemon stops
 * (exit 1). Its connection is closed as soon as the check ends, so that a
 * file replaced meanwhile is not held open.
 */
struct first_check {
	pthread_t thread;
	pthread_mutex_t lock;	/* guards db against end_first_check */
	struct db *db;		/* closed by the check when it ends */
	unsigned generation;
	bool started;
	atomic_bool failed;
};

static struct first_check first_check = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

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
		snprintf(took, sizeof(took), "%.0f", elapsed_ms(&start));
		log_event("info", "checked", "the database passed its check",
		    "ms", took);
		return NULL;
	}
	if (atomic_load(&draining))
		return NULL;	/* interrupted by the shutdown */
	generation_current(&id, &passed);
	still_served = id == c->generation;
	log_event("error", "check_failed", still_served ? "stopping: the "
	    "database failed its check" : "the first database failed its "
	    "check; a newer one is served", "reason", err);
	if (still_served) {
		atomic_store(&c->failed, true);
		kill(getpid(), SIGTERM);
	}
	return NULL;
}

/* Stops the first check if it still runs, and frees its connection. */
static void
end_first_check(struct first_check *c)
{
	pthread_mutex_lock(&c->lock);
	if (c->db != NULL)
		db_interrupt(c->db);
	pthread_mutex_unlock(&c->lock);
	if (c->started) {
		pthread_join(c->thread, NULL);
		c->started = false;
	}
	db_close(c->db);
	c->db = NULL;
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct exchange *ex = calloc(1, sizeof(*ex));

	(void)cls;
	(void)conn;
	if (ex == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &ex->started);
	ex->target = strdup(uri);
	ex->route = -1;
	return ex;
}

/* Copies s for a log line, replacing bytes of invalid UTF-8 by '?'. */
static char *
loggable(const char *s)
{
	size_t len = strlen(s), at = 0;
	char *copy = strdup(s);
	uint32_t cp;

	if (copy == NULL)
		return NULL;
	while (at < len) {
		size_t before = at;
		if (!utf8_decode(copy, len, &at, &cp) || cp == 0) {
			copy[before] = '?';
			at = before + 1;
		}
	}
	return copy;
}

/* Writes the client's address of conn into buf ("" when unknown). */
static void
client_address(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	buf[0] = '\0';
	ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, buf, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)size);
}

/* Returns conn's guard slot (NULL when it has none). */
static struct guard_slot *
connection_guard(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

/* A connection opened or closed: the guard takes or frees its slot. */
static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		guard_close(*socket_context);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	*socket_context = ci != NULL ? guard_open(ci->connect_fd) : NULL;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct exchange *ex = *req_cls;
	char remote[INET6_ADDRSTRLEN];
	char *target;

	(void)cls;
	(void)toe;
	guard_response_sent(connection_guard(conn));
	if (ex == NULL)
		return;
	client_address(conn, remote, sizeof(remote));
	target = loggable(ex->target != NULL ? ex->target : "");
	if (ex->sent.status != 0)
		metrics_record(ex->route, ex->sent.status,
		    elapsed_ms(&ex->started) / 1e3);
	log_request(&(struct log_request){
	    .method = ex->method[0] != '\0' ? ex->method : "-",
	    .target = target != NULL ? target : "",
	    .remote = remote[0] != '\0' ? remote : NULL,
	    .status = ex->sent.status, .bytes = ex->sent.bytes,
	    .duration_ms = elapsed_ms(&ex->started) });
	free(target);
	free(ex->target);
	free(ex->res.link);
	json_decref(ex->res.json);
	if (ex->body != NULL)
		reply_body_release(ex->body);
	free(ex);
	*req_cls = NULL;
}

/* Queues an error reply: a problem document with detail. */
static enum MHD_Result
fail(struct MHD_Connection *conn, struct exchange *ex, unsigned status,
    const char *instance, const char *allow, const char *detail)
{
	struct response res = { 0 };
	struct reply_options opt = { .closing = atomic_load(&draining) ||
	    ex->close, .allow = allow };

	snprintf(res.detail, sizeof(res.detail), "%s", detail);
	return reply_send(conn, status, &res, instance, &opt, &ex->sent);
}

/* Answers a CORS preflight or an OPTIONS request for a known path. */
static enum MHD_Result
preflight(struct MHD_Connection *conn, struct exchange *ex)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Allow-Methods",
	    "GET, HEAD, OPTIONS");
	MHD_add_response_header(r, "Access-Control-Allow-Headers",
	    "Accept, If-None-Match, Range, Content-Type");
	MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
	    "GET, HEAD, OPTIONS");
	ret = MHD_queue_response(conn, 204, r);
	MHD_destroy_response(r);
	ex->sent = (struct reply_sent){ 204, 0 };
	return ret;
}

/*
 * On a database worker: runs the route's handler for ex within its
 * deadline, renders and caches the body, and resumes the connection to
 * send the answer (deliver). The deadline, set when the request was
 * queued, covers the wait in the queue, the queries and the rendering.
 */
static void
run_job(struct queue_job *job)
{
	struct exchange *ex = (struct exchange *)(void *)((char *)job -
	    offsetof(struct exchange, job));
	struct request req = { .method = "GET", .url = &ex->url,
	    .match = &ex->match, .draining = atomic_load(&draining) };
	unsigned gen;
	bool verified;

	req.db = generation_thread_db(&gen, &verified);
	if (req.db == NULL || !verified) {
		ex->status = 503;
		snprintf(ex->res.detail, sizeof(ex->res.detail),
		    "the database is unavailable");
		goto done;
	}
	if (db_now_ms() >= ex->deadline_ms)
		goto late;
	db_set_deadline(req.db, ex->deadline_ms);
	ex->status = ex->match.route->handler(&req, &ex->res);
	db_set_deadline(req.db, 0);
	/* A query interrupted by the deadline may fail in any way: past
	 * the deadline, any failure is the deadline's. */
	if (ex->status >= 500 && db_now_ms() > ex->deadline_ms)
		goto late;
	if (ex->status != 200)
		goto done;
	/* A cached body is compressed once, for every later client. */
	ex->body = reply_body_new(&ex->res, ex->pretty, cache_enabled() ||
	    ex->gzip);
	if (ex->body == NULL) {
		ex->status = 503;
		snprintf(ex->res.detail, sizeof(ex->res.detail),
		    "out of memory");
		goto done;
	}
	if (db_now_ms() > ex->deadline_ms) {
		reply_body_release(ex->body);
		ex->body = NULL;
		goto late;
	}
	cache_put(gen, ex->path, ex->body);
	goto done;
late:
	ex->status = 503;
	snprintf(ex->res.detail, sizeof(ex->res.detail), "the request took "
	    "longer than its %u ms deadline", config->query_timeout_ms);
done:
	ex->state = EX_DONE;
	MHD_resume_connection(ex->conn);
}

/*
 * Hands ex's database work to a worker and suspends its connection until
 * the answer is ready. When the queue is full, answers 503 at once
 * (admission control) rather than wait without bound.
 */
static enum MHD_Result
dispatch(struct MHD_Connection *conn, struct exchange *ex)
{
	/* Bodies not yet sent (to clients that do not read, say) hold
	 * memory: past the budget, no new one is made. */
	if (reply_live_bytes() >= config->response_memory)
		return fail(conn, ex, 503, ex->url.path, NULL, "the server is "
		    "busy; retry shortly");
	ex->conn = conn;
	ex->job.run = run_job;
	ex->deadline_ms = db_now_ms() + config->query_timeout_ms;
	ex->state = EX_QUEUED;
	MHD_suspend_connection(conn);
	if (!queue_push(&ex->job)) {
		ex->status = 503;
		snprintf(ex->res.detail, sizeof(ex->res.detail), "the server "
		    "is busy; retry shortly");
		ex->state = EX_DONE;
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}

/* Queues the answer a database worker left in ex. */
static enum MHD_Result
deliver(struct MHD_Connection *conn, struct exchange *ex)
{
	struct reply_options opt = { .closing = atomic_load(&draining) ||
	    ex->close, .pretty = ex->pretty };
	enum MHD_Result ret;

	if (ex->body != NULL) {
		ret = reply_send_body(conn, ex->body, ex->url.path, &opt,
		    &ex->sent);
		reply_body_release(ex->body);
		ex->body = NULL;
		return ret;
	}
	ret = reply_send(conn, ex->status, &ex->res, ex->url.path, &opt,
	    &ex->sent);
	free(ex->res.link);
	ex->res.link = NULL;
	return ret;
}

/* Handles a complete request: validate, route, run the handler, reply. */
static enum MHD_Result
respond(struct MHD_Connection *conn, struct exchange *ex, const char *method)
{
	struct url *url = &ex->url;
	struct router_match *m = &ex->match;
	struct request req = { .url = url, .match = m };
	struct response res = { 0 };
	struct reply_options opt = { .closing = atomic_load(&draining) ||
	    ex->close };
	enum url_result ur;
	const char *pretty, *unknown, *accept;
	char detail[160];
	unsigned status, gen;
	bool verified;
	struct reply_body *body;
	enum MHD_Result ret;

	if (head_method(method) == HEAD_METHOD_UNKNOWN) {
		snprintf(detail, sizeof(detail), "the method %.16s is not "
		    "implemented; accord serves GET, HEAD and OPTIONS", method);
		return fail(conn, ex, 501, NULL, NULL, detail);
	}
	if (strcmp(ex->path, "*") == 0)		/* OPTIONS * */
		return preflight(conn, ex);
	ur = url_parse(ex->path, url);
	if (ur == URL_TOO_LONG)
		return fail(conn, ex, 414, NULL, NULL, url_result_str(ur));
	if (ur != URL_OK)
		return fail(conn, ex, 400, NULL, NULL, url_result_str(ur));
	switch (router_match(api_routes, api_route_count,
	    strcmp(method, "OPTIONS") == 0 ? "GET" : method, url->path, m)) {
	case ROUTER_NOT_FOUND:
		return fail(conn, ex, 404, url->path, NULL,
		    "no resource at this path");
	case ROUTER_BAD_PARAM:
		return fail(conn, ex, 400, url->path, NULL, "an id must match "
		    "^[a-z0-9]+(-[a-z0-9]+)*$ and have at most 64 characters");
	case ROUTER_BAD_METHOD:
		snprintf(detail, sizeof(detail), "%.16s is not allowed here; "
		    "allowed: %s", method, m->allow);
		return fail(conn, ex, 405, url->path, m->allow, detail);
	case ROUTER_FOUND:
		break;
	}
	if (ex->has_body)
		return fail(conn, ex, 400, url->path, NULL,
		    "a request body is not allowed");
	ex->route = (int)(m->route - api_routes);
	if (strcmp(method, "OPTIONS") == 0)
		return preflight(conn, ex);
	req.method = "GET";
	unknown = api_unknown_param(&req);
	if (unknown != NULL) {
		snprintf(detail, sizeof(detail), "unknown query parameter "
		    "\"%.64s\"", unknown);
		return fail(conn, ex, 400, url->path, NULL, detail);
	}
	pretty = url_param(url, "pretty");
	if (pretty != NULL && strcmp(pretty, "0") != 0 &&
	    strcmp(pretty, "1") != 0 && strcmp(pretty, "") != 0)
		return fail(conn, ex, 400, url->path, NULL,
		    "pretty must be 0 or 1");
	opt.pretty = pretty != NULL && strcmp(pretty, "0") != 0;
	req.draining = atomic_load(&draining);
	generation_current(&gen, &verified);
	if (!m->route->without_db) {
		/* Nothing is served before the database's spans are
		 * verified (RFC 9110 section 15.6.4: 503, Retry-After). */
		if (!verified)
			return fail(conn, ex, 503, url->path, NULL, gen == 0 ?
			    "the database is unavailable" : "the database is "
			    "being checked; retry shortly");
		/* Data routes answer the same for the life of a database:
		 * their bodies are cached by request target. */
		body = cache_get(gen, ex->path);
		if (body != NULL) {
			ret = reply_send_body(conn, body, url->path, &opt,
			    &ex->sent);
			reply_body_release(body);
			return ret;
		}
		accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_ACCEPT_ENCODING);
		ex->gzip = accept != NULL && reply_accepts_gzip(accept);
		ex->pretty = opt.pretty;
		return dispatch(conn, ex);
	}
	req.checking = !verified;
	status = m->route->handler(&req, &res);
	if (status != 200) {
		ret = reply_send(conn, status, &res, url->path, &opt, &ex->sent);
		free(res.link);
		return ret;
	}
	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	body = reply_body_new(&res, opt.pretty, accept != NULL &&
	    reply_accepts_gzip(accept));
	free(res.link);
	if (body == NULL)
		return fail(conn, ex, 503, url->path, NULL, "out of memory");
	ret = reply_send_body(conn, body, url->path, &opt, &ex->sent);
	reply_body_release(body);
	return ret;
}

/* Adds one header field to the head being collected. */
static enum MHD_Result
collect_field(void *cls, enum MHD_ValueKind kind, const char *name,
    size_t name_len, const char *value, size_t value_len)
{
	struct head *h = cls;

	(void)kind;
	if (h->nfields == HEAD_MAX_FIELDS) {
		h->too_many = true;
		return MHD_NO;
	}
	h->fields[h->nfields++] = (struct head_field){ name, name_len,
	    value != NULL ? value : "", value != NULL ? value_len : 0 };
	return MHD_YES;
}

/*
 * The first call for a request, once its head has arrived and before any
 * body is read: checks the head (head_check) and answers a fault at once,
 * closing the connection, so that nothing after it is ever parsed as a
 * request. Returns MHD_YES to wait for the end of the request, or what
 * queueing the answer returned.
 */
static enum MHD_Result
admit(struct MHD_Connection *conn, struct exchange *ex, const char *target,
    const char *method, const char *version)
{
	const union MHD_ConnectionInfo *ci;
	struct head_verdict v;
	struct head *h;

	guard_head_received(connection_guard(conn));
	if (ex->target == NULL)
		return fail(conn, ex, 500, NULL, NULL, "out of memory");
	ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	h = calloc(1, sizeof(*h));
	if (h == NULL || ci == NULL) {
		free(h);
		ex->close = true;
		return fail(conn, ex, 500, NULL, NULL, "out of memory");
	}
	*h = (struct head){ .method = method, .target = target,
	    .target_len = strlen(ex->target), .version = version,
	    .size = ci->header_size };
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect_field, h);
	v = head_check(h, ex->target);
	free(h);
	if (v.status != 0) {
		ex->close = true;
		return fail(conn, ex, v.status, NULL, NULL, v.detail);
	}
	ex->path = v.path;
	ex->has_body = v.body;
	ex->close = v.body;	/* the body is never read */
	return v.body ? respond(conn, ex, method) : MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct exchange *ex = *req_cls;

	(void)cls;
	(void)upload_data;
	if (ex == NULL)		/* the URI callback ran out of memory */
		return MHD_NO;
	if (ex->method[0] == '\0') {
		snprintf(ex->method, sizeof(ex->method), "%s", method);
		/* url is the decoded target, where the raw one arrived. */
		return admit(conn, ex, url, method, version);
	}
	if (ex->state == EX_DONE)	/* resumed by its worker */
		return deliver(conn, ex);
	if (*upload_data_size != 0) {	/* not expected: refused above */
		*upload_data_size = 0;
		return MHD_YES;
	}
	return respond(conn, ex, method);
}

/* Logs libmicrohttpd's own messages as JSON lines. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_event("warning", "libmicrohttpd", msg, NULL, NULL);
}

void
server_defaults(struct server_config *cfg)
{
	*cfg = (struct server_config){
		.db_path = "build/accord.db",
		.host = "127.0.0.1",
		.port = 8080,
		.threads = 0,
		.connection_timeout_s = 15,
		.header_timeout_s = 10,
		.send_buffer = 64 * 1024,
		.queue_per_worker = 16,
		.response_memory = (size_t)256 << 20,
		.connection_limit = 1000,
		.per_ip_limit = 0,
		.connection_memory = 64 * 1024,
		.query_timeout_ms = 2000,
		.drain_timeout_s = 10,
		.cache_bytes = (size_t)32 << 20,
		.record_cache_bytes = (size_t)16 << 20,
	};
}

/* Fills addr from cfg's host and port. Returns its length, or 0 when the
 * host is not an IP literal. */
static socklen_t
listen_address(const struct server_config *cfg, struct sockaddr_storage *addr)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)addr;

	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, cfg->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(cfg->port);
		return sizeof(*v4);
	}
	if (inet_pton(AF_INET6, cfg->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(cfg->port);
		return sizeof(*v6);
	}
	return 0;
}

/*
 * SIGHUP: switch to the file at db_path only if it passes the full check,
 * spans included, run on it before the swap while the old file is still
 * served. The workers then let go of the old file.
 */
static void
reload(void)
{
	char err[512], took[32];
	struct timespec start;
	struct db *check = NULL;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (db_open(config->db_path, &check, err, sizeof(err)) != 0 ||
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
	if (generation_load(config->db_path, worker_count,
	    config->record_cache_bytes, true, NULL, err, sizeof(err)) == 0) {
		log_event("error", "reload_refused", "keeping the current "
		    "database", "reason", err);
		return;
	}
	queue_wake();
	metrics_set_checked(true);	/* checked before it was swapped in */
	snprintf(took, sizeof(took), "%.0f", elapsed_ms(&start));
	log_event("info", "reloaded", "serving the new database", "ms", took);
}

/* Stops accepting, lets requests in flight finish, and stops. */
static void
drain(struct MHD_Daemon *d)
{
	MHD_socket listener;
	time_t deadline = time(NULL) + (time_t)config->drain_timeout_s;
	const union MHD_DaemonInfo *info;

	atomic_store(&draining, true);
	listener = MHD_quiesce_daemon(d);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	while (time(NULL) < deadline) {
		info = MHD_get_daemon_info(d,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (info == NULL || info->num_connections == 0)
			break;
		usleep(20 * 1000);
	}
	/* Every queued request is answered (its connection resumed)
	 * before libmicrohttpd closes what is left. */
	queue_stop();
	MHD_stop_daemon(d);
}

/* The database workers wake after a swap: each lets go of the old file. */
static void
on_worker_wake(void)
{
	unsigned id;
	bool verified;

	(void)generation_thread_db(&id, &verified);
}

int
server_run(const struct server_config *cfg)
{
	struct sockaddr_storage addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t signals;
	char err[512];
	unsigned threads = cfg->threads, reserve, hard_limit;
	int sig, status = 1;

	config = cfg;
	if (listen_address(cfg, &addr) == 0) {
		log_event("error", "config", "host must be an IPv4 or IPv6 "
		    "address", "host", cfg->host);
		return 1;
	}
	if (threads == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 0 ? (unsigned)cores : 1;
	}
	worker_count = threads;
	cache_configure(cfg->cache_bytes);
	/* Every thread started from here inherits this mask; only sigwait
	 * below sees the signals. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* libmicrohttpd accepts up to a reserve past the limit; the guard
	 * then closes the connection waiting longest for a request head. The
	 * reserve absorbs a burst of connections arriving faster than the
	 * shut ones are closed (libmicrohttpd refuses any past it). */
	reserve = cfg->connection_limit / 4 + 64;
	/* libmicrohttpd shares its limit out among its threads, and one
	 * thread may accept a whole burst: each gets the whole of it. */
	hard_limit = (cfg->connection_limit + reserve) * threads;
	if (generation_init() != 0 || guard_init(hard_limit,
	    cfg->connection_limit, cfg->header_timeout_s * 1000,
	    cfg->send_buffer) != 0) {
		log_event("error", "start", "out of memory", NULL, NULL);
		return 1;
	}
	first_check.generation = generation_load(cfg->db_path, worker_count,
	    cfg->record_cache_bytes, false, &first_check.db, err, sizeof(err));
	if (first_check.generation == 0) {
		log_event("error", "db_open", err, NULL, NULL);
		goto free_guard;
	}
	if (queue_start(worker_count, worker_count * cfg->queue_per_worker,
	    on_worker_wake) != 0) {
		log_event("error", "start", "cannot start the database workers",
		    NULL, NULL);
		goto end_check;
	}

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
	    (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
	    on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s,
	    MHD_OPTION_CONNECTION_LIMIT, hard_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_event("error", "listen", strerror(errno), "host",
		    cfg->host);
		goto stop_queue;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	{
		char where[96];
		snprintf(where, sizeof(where), "%s%s%s:%u",
		    addr.ss_family == AF_INET6 ? "[" : "", cfg->host,
		    addr.ss_family == AF_INET6 ? "]" : "",
		    info != NULL ? info->port : cfg->port);
		log_event("info", "listening", "serving", "address", where);
	}
	first_check.started = pthread_create(&first_check.thread, NULL,
	    run_first_check, &first_check) == 0;
	if (!first_check.started) {
		log_event("error", "check_failed", "cannot start the check",
		    NULL, NULL);
		atomic_store(&first_check.failed, true);
		kill(getpid(), SIGTERM);
	}
	for (;;) {
		if (sigwait(&signals, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload();
			continue;
		}
		log_event("info", "stopping", strsignal(sig), NULL, NULL);
		drain(d);
		break;
	}
	end_first_check(&first_check);
	/* The workers have exited and left their generations. */
	generation_shutdown();
	cache_clear();
	guard_free();
	log_event("info", "stopped", "drained", NULL, NULL);
	return atomic_load(&first_check.failed) ? 1 : 0;

stop_queue:
	queue_stop();
end_check:
	end_first_check(&first_check);
	generation_shutdown();
free_guard:
	guard_free();
	return status;
}
