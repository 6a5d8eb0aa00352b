#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "check.h"
#include "db.h"
#include "exchange.h"
#include "generation.h"
#include "guard.h"
#include "log.h"
#include "queue.h"

static atomic_bool draining;

bool
server_draining(void)
{
	return atomic_load(&draining);
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
		.queue_per_worker = 64,
		.response_memory = (size_t)256 << 20,
		.connection_limit = 1000,
		.per_ip_limit = 0,
		/* The request head must fit, with its fields and the
		 * answer's head. libmicrohttpd 0.9.75 zeroes the whole pool
		 * after every request of a keep-alive connection (and half
		 * of it again when the answer starts): at 64 KiB that was
		 * 13% of the cached path's CPU. */
		.connection_memory = 16 * 1024,
		.query_timeout_ms = 2000,
		.drain_timeout_s = 10,
		.cache_bytes = (size_t)24 << 20,
		.record_cache_bytes = (size_t)12 << 20,
		.public_url = NULL,
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

/* Accepts a connection unless the daemon is draining (an
 * MHD_AcceptPolicyCallback): a connection made after SIGTERM is closed at
 * once. */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)cls;
	(void)addr;
	(void)addrlen;
	return atomic_load(&draining) ? MHD_NO : MHD_YES;
}

/* Stops accepting, lets requests in flight finish (for up to timeout_s
 * seconds), and stops. */
static void
drain(struct MHD_Daemon *d, unsigned timeout_s)
{
	time_t deadline = time(NULL) + (time_t)timeout_s;
	const union MHD_DaemonInfo *info;

	/* New connections are refused from here (on_accept) rather than by
	 * MHD_quiesce_daemon: with a thread pool and epoll, libmicrohttpd
	 * 0.9.75's quiesce races a worker removing the listening socket from
	 * its epoll set, and aborts ("Failed to remove listen FD from epoll
	 * set"). MHD_stop_daemon closes the socket. */
	atomic_store(&draining, true);
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

/* The threads libmicrohttpd and the database workers run: cfg's, or one
 * per core. */
static unsigned
thread_count(const struct server_config *cfg)
{
	long cores;

	if (cfg->threads != 0)
		return cfg->threads;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores > 0 ? (unsigned)cores : 1;
}

/*
 * The connections libmicrohttpd accepts: up to a reserve past the limit;
 * the guard then closes the connection waiting longest for a request head.
 * The reserve absorbs a burst of connections arriving faster than the shut
 * ones are closed (libmicrohttpd refuses any past it). libmicrohttpd
 * shares its limit out among its threads, and one thread may accept a
 * whole burst: each gets the whole of it.
 */
static unsigned
hard_limit(const struct server_config *cfg, unsigned threads)
{
	unsigned reserve = cfg->connection_limit / 4 + 64;

	return (cfg->connection_limit + reserve) * threads;
}

/* Starts libmicrohttpd listening at addr, and logs where. Returns the
 * daemon, or NULL (logged). */
static struct MHD_Daemon *
start_daemon(const struct server_config *cfg,
    const struct sockaddr_storage *addr, unsigned threads)
{
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	char where[96];

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
	    (addr->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, on_accept, NULL,
	    exchange_on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s,
	    MHD_OPTION_CONNECTION_LIMIT, hard_limit(cfg, threads),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
	    MHD_OPTION_URI_LOG_CALLBACK, exchange_on_uri, (void *)cfg,
	    MHD_OPTION_NOTIFY_COMPLETED, exchange_on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, exchange_on_connection, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_event("error", "listen", strerror(errno), "host",
		    cfg->host);
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(where, sizeof(where), "%s%s%s:%u",
	    addr->ss_family == AF_INET6 ? "[" : "", cfg->host,
	    addr->ss_family == AF_INET6 ? "]" : "",
	    info != NULL ? info->port : cfg->port);
	log_event("info", "listening", "serving", "address", where);
	return d;
}

/* Blocks SIGTERM, SIGINT and SIGHUP (in signals) for every thread started
 * from here on: only sigwait in serve_until_stopped sees them. */
static void
block_signals(sigset_t *signals)
{
	sigemptyset(signals);
	sigaddset(signals, SIGTERM);
	sigaddset(signals, SIGINT);
	sigaddset(signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, signals, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Reloads on SIGHUP until SIGTERM or SIGINT, then drains d. */
static void
serve_until_stopped(struct MHD_Daemon *d, const sigset_t *signals,
    const struct server_config *cfg, unsigned threads)
{
	int sig;

	for (;;) {
		if (sigwait(signals, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			check_reload(cfg->db_path, threads,
			    cfg->record_cache_bytes);
			continue;
		}
		log_event("info", "stopping", strsignal(sig), NULL, NULL);
		drain(d, cfg->drain_timeout_s);
		return;
	}
}

int
server_run(const struct server_config *cfg)
{
	struct sockaddr_storage addr;
	struct MHD_Daemon *d;
	struct db *checker = NULL;
	sigset_t signals;
	char err[512];
	unsigned threads = thread_count(cfg), generation;

	if (listen_address(cfg, &addr) == 0) {
		log_event("error", "config", "host must be an IPv4 or IPv6 "
		    "address", "host", cfg->host);
		return 1;
	}
	cache_configure(cfg->cache_bytes);
	block_signals(&signals);
	if (generation_init() != 0 || guard_init(hard_limit(cfg, threads),
	    cfg->connection_limit, cfg->header_timeout_s * 1000,
	    cfg->send_buffer) != 0) {
		log_event("error", "start", "out of memory", NULL, NULL);
		return 1;
	}
	generation = generation_load(cfg->db_path, threads,
	    cfg->record_cache_bytes, false, &checker, err, sizeof(err));
	if (generation == 0) {
		log_event("error", "db_open", err, NULL, NULL);
		goto free_guard;
	}
	if (queue_start(threads, threads * cfg->queue_per_worker,
	    on_worker_wake) != 0) {
		log_event("error", "start", "cannot start the database workers",
		    NULL, NULL);
		goto close_checker;
	}
	d = start_daemon(cfg, &addr, threads);
	if (d == NULL)
		goto stop_queue;
	check_start(generation, checker);
	serve_until_stopped(d, &signals, cfg, threads);
	check_end();
	/* The workers have exited and left their generations. */
	generation_shutdown();
	cache_clear();
	guard_free();
	log_event("info", "stopped", "drained", NULL, NULL);
	return check_failed() ? 1 : 0;

stop_queue:
	queue_stop();
close_checker:
	db_close(checker);
	generation_shutdown();
free_guard:
	guard_free();
	return 1;
}
