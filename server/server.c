#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
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
#include "head.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "reply.h"
#include "router.h"
#include "url.h"
#include "utf8.h"

/* One request's state, from the URI callback to completion. */
struct exchange {
	struct timespec started;
	char *target;		/* raw request target (owned) */
	const char *path;	/* its origin form: in target, or "*" */
	char method[16];
	bool has_body;		/* announced, and never read */
	bool close;		/* close the connection after the reply */
	int route;		/* index in api_routes, -1 when none */
	struct reply_sent sent;
};

/*
 * A generation: the connections opened, all to one validated file, when
 * it was loaded (at start or on SIGHUP). Each worker takes one and keeps it
 * until a newer generation exists; the last worker to leave an old
 * generation frees it. All fields are guarded by generation_lock.
 */
struct generation {
	unsigned id;		/* distinct for every generation loaded */
	struct db **conns;
	size_t n;
	size_t next;		/* the next connection to hand out */
	size_t users;		/* workers holding one of its connections */
	bool retired;		/* a newer generation is current */
};

/* A worker's connection and the generation it came from. */
struct thread_db {
	struct db *db;
	struct generation *gen;
};

static const struct server_config *config;
static pthread_key_t thread_db_key;
static atomic_bool draining;
static pthread_mutex_t generation_lock = PTHREAD_MUTEX_INITIALIZER;
static struct generation *current;
static unsigned generations;	/* how many have been loaded */
static size_t worker_count;

/* Frees g and the connections no worker took. Caller holds the lock. */
static void
generation_free(struct generation *g)
{
	for (size_t i = 0; i < g->n; i++)
		db_close(g->conns[i]);
	free(g->conns);
	free(g);
}

/* A worker leaves g, closing its connection. Caller holds the lock. */
static void
generation_leave(struct generation *g, struct db *db)
{
	db_close(db);
	if (g != NULL && --g->users == 0 && g->retired)
		generation_free(g);
}

static void
thread_db_free(void *p)
{
	struct thread_db *t = p;

	pthread_mutex_lock(&generation_lock);
	generation_leave(t->gen, t->db);
	pthread_mutex_unlock(&generation_lock);
	free(t);
}

/* Returns this worker's connection to the current generation, and that
 * generation's id in *gen; NULL when it has none (more workers than
 * connections: not expected). */
static struct db *
thread_db(unsigned *gen)
{
	struct thread_db *t = pthread_getspecific(thread_db_key);

	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return NULL;
		if (pthread_setspecific(thread_db_key, t) != 0) {
			free(t);
			return NULL;
		}
	}
	pthread_mutex_lock(&generation_lock);
	if (t->gen != current) {
		generation_leave(t->gen, t->db);
		t->db = NULL;
		t->gen = NULL;
		if (current != NULL && current->next < current->n) {
			t->db = current->conns[current->next];
			current->conns[current->next++] = NULL;
			t->gen = current;
			current->users++;
		}
	}
	if (t->gen != NULL)
		*gen = t->gen->id;
	pthread_mutex_unlock(&generation_lock);
	return t->db;
}

static double
elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/*
 * Opens n connections to db_path, checks they all reach one file and that
 * it is a sound accord database, and makes them the current generation.
 * With `checker` non-NULL, the full check (db_check) is left to the caller:
 * one more connection to the same file is opened for it and stored there
 * (caller closes it). Returns 0, or -1 with the reason in err (the current
 * generation stays).
 */
static int
load_generation(const char *db_path, size_t n, struct db **checker,
    char *err, size_t errlen)
{
	struct generation *g;
	struct stat before, after;
	struct db *spare = NULL;

	g = calloc(1, sizeof(*g));
	if (g == NULL || (g->conns = calloc(n, sizeof(*g->conns))) == NULL) {
		free(g);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (stat(db_path, &before) != 0) {
		snprintf(err, errlen, "%s: %s", db_path, strerror(errno));
		goto free_generation;
	}
	for (g->n = 0; g->n < n; g->n++)
		if (db_open(db_path, &g->conns[g->n], err, errlen) != 0 ||
		    db_keep_records(g->conns[g->n], config->record_cache_bytes /
		    n) != 0)
			goto free_generation;
	if (checker != NULL && db_open(db_path, &spare, err, errlen) != 0)
		goto free_generation;
	if (stat(db_path, &after) != 0 || after.st_ino != before.st_ino ||
	    after.st_dev != before.st_dev) {
		snprintf(err, errlen, "%s changed while it was opened",
		    db_path);
		goto free_generation;
	}
	if (checker == NULL && db_check(g->conns[0], err, errlen) != 0)
		goto free_generation;
	pthread_mutex_lock(&generation_lock);
	if (current != NULL) {
		current->retired = true;
		if (current->users == 0)
			generation_free(current);
	}
	g->id = ++generations;
	current = g;
	pthread_mutex_unlock(&generation_lock);
	cache_clear();	/* its bodies came from the old data */
	if (checker != NULL)
		*checker = spare;
	return 0;

free_generation:
	db_close(spare);
	generation_free(g);
	return -1;
}

/*
 * The full check of the database the daemon started with, run once it
 * serves: its time grows with the file (about 2 s for 290 MB, most of it
 * recomputing the derived data), and the loader ran integrity_check on it
 * before renaming it into place. If
 * it fails while that database is still the one served, the daemon stops
 * (exit 1) rather than serve from a damaged file.
 */
struct first_check {
	pthread_t thread;
	struct db *db;
	bool started;
	atomic_bool failed;
};

static struct first_check first_check;

static void *
run_first_check(void *arg)
{
	struct first_check *c = arg;
	struct timespec start;
	char err[512], took[32];
	bool still_served;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (db_check(c->db, err, sizeof(err)) == 0) {
		metrics_set_checked(true);
		snprintf(took, sizeof(took), "%.0f", elapsed_ms(&start));
		log_event("info", "checked", "the database passed its check",
		    "ms", took);
		return NULL;
	}
	if (atomic_load(&draining))
		return NULL;	/* interrupted by the shutdown */
	pthread_mutex_lock(&generation_lock);
	still_served = current != NULL && current->id == 1;
	pthread_mutex_unlock(&generation_lock);
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
	if (c->started) {
		db_interrupt(c->db);
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

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct exchange *ex = *req_cls;
	char remote[INET6_ADDRSTRLEN];
	char *target;

	(void)cls;
	(void)toe;
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

/* Handles a complete request: validate, route, run the handler, reply. */
static enum MHD_Result
respond(struct MHD_Connection *conn, struct exchange *ex, const char *method)
{
	struct url url;
	struct router_match match;
	struct request req = { .url = &url, .match = &match };
	struct response res = { 0 };
	struct reply_options opt = { .closing = atomic_load(&draining) ||
	    ex->close };
	enum url_result ur;
	const char *pretty, *unknown, *accept;
	char detail[160];
	unsigned status, gen = 0;
	struct reply_body *body;
	enum MHD_Result ret;

	if (head_method(method) == HEAD_METHOD_UNKNOWN) {
		snprintf(detail, sizeof(detail), "the method %.16s is not "
		    "implemented; accord serves GET, HEAD and OPTIONS", method);
		return fail(conn, ex, 501, NULL, NULL, detail);
	}
	if (strcmp(ex->path, "*") == 0)		/* OPTIONS * */
		return preflight(conn, ex);
	ur = url_parse(ex->path, &url);
	if (ur == URL_TOO_LONG)
		return fail(conn, ex, 414, NULL, NULL, url_result_str(ur));
	if (ur != URL_OK)
		return fail(conn, ex, 400, NULL, NULL, url_result_str(ur));
	switch (router_match(api_routes, api_route_count,
	    strcmp(method, "OPTIONS") == 0 ? "GET" : method, url.path,
	    &match)) {
	case ROUTER_NOT_FOUND:
		return fail(conn, ex, 404, url.path, NULL,
		    "no resource at this path");
	case ROUTER_BAD_PARAM:
		return fail(conn, ex, 400, url.path, NULL, "an id must match "
		    "^[a-z0-9]+(-[a-z0-9]+)*$ and have at most 64 characters");
	case ROUTER_BAD_METHOD:
		snprintf(detail, sizeof(detail), "%.16s is not allowed here; "
		    "allowed: %s", method, match.allow);
		return fail(conn, ex, 405, url.path, match.allow, detail);
	case ROUTER_FOUND:
		break;
	}
	if (ex->has_body)
		return fail(conn, ex, 400, url.path, NULL,
		    "a request body is not allowed");
	ex->route = (int)(match.route - api_routes);
	if (strcmp(method, "OPTIONS") == 0)
		return preflight(conn, ex);
	req.method = "GET";
	unknown = api_unknown_param(&req);
	if (unknown != NULL) {
		snprintf(detail, sizeof(detail), "unknown query parameter "
		    "\"%.64s\"", unknown);
		return fail(conn, ex, 400, url.path, NULL, detail);
	}
	pretty = url_param(&url, "pretty");
	if (pretty != NULL && strcmp(pretty, "0") != 0 &&
	    strcmp(pretty, "1") != 0 && strcmp(pretty, "") != 0)
		return fail(conn, ex, 400, url.path, NULL,
		    "pretty must be 0 or 1");
	opt.pretty = pretty != NULL && strcmp(pretty, "0") != 0;
	req.draining = atomic_load(&draining);
	if (!match.route->without_db) {
		/* Data routes answer the same for the life of a database:
		 * their bodies are cached by request target. */
		req.db = thread_db(&gen);
		if (req.db == NULL)
			return fail(conn, ex, 503, url.path, NULL,
			    "the database is unavailable");
		body = cache_get(gen, ex->path);
		if (body != NULL)
			goto send_body;
		db_set_deadline(req.db, db_now_ms() +
		    config->query_timeout_ms);
	}
	status = match.route->handler(&req, &res);
	if (req.db != NULL)
		db_set_deadline(req.db, 0);
	if (status != 200) {
		ret = reply_send(conn, status, &res, url.path, &opt, &ex->sent);
		free(res.link);
		return ret;
	}
	/* A cached body is compressed once, for every later client. */
	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	body = reply_body_new(&res, opt.pretty, (req.db != NULL &&
	    cache_enabled()) || (accept != NULL && reply_accepts_gzip(accept)));
	free(res.link);
	if (body == NULL)
		return fail(conn, ex, 503, url.path, NULL, "out of memory");
	if (req.db != NULL)
		cache_put(gen, ex->path, body);
send_body:
	ret = reply_send_body(conn, body, url.path, &opt, &ex->sent);
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

/* SIGHUP: switch to the file at db_path if it is a sound database. */
static void
reload(void)
{
	char err[512];

	if (load_generation(config->db_path, worker_count, NULL, err,
	    sizeof(err)) != 0) {
		log_event("error", "reload_refused", "keeping the current "
		    "database", "reason", err);
		return;
	}
	metrics_set_checked(true);	/* checked before it was swapped in */
	log_event("info", "reloaded", "serving the new database", "db",
	    config->db_path);
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
	MHD_stop_daemon(d);
}

int
server_run(const struct server_config *cfg)
{
	struct sockaddr_storage addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t signals;
	char err[512];
	unsigned threads = cfg->threads;
	int sig;

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
	if (load_generation(cfg->db_path, worker_count, &first_check.db, err,
	    sizeof(err)) != 0) {
		log_event("error", "db_open", err, NULL, NULL);
		return 1;
	}
	if (pthread_key_create(&thread_db_key, thread_db_free) != 0)
		return 1;
	/* Workers inherit this mask; only sigwait below sees the signals. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG | (addr.ss_family == AF_INET6 ?
	    MHD_USE_IPv6 : 0), 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_event("error", "listen", strerror(errno), "host",
		    cfg->host);
		end_first_check(&first_check);
		return 1;
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
		end_first_check(&first_check);
		/* The workers have exited and left their generations. */
		pthread_mutex_lock(&generation_lock);
		generation_free(current);
		current = NULL;
		pthread_mutex_unlock(&generation_lock);
		cache_clear();
		log_event("info", "stopped", "drained", NULL, NULL);
		return atomic_load(&first_check.failed) ? 1 : 0;
	}
}
