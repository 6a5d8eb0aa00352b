/*
 * server: the daemon's life: it listens (libmicrohttpd), starts the
 * database workers and the first check, reloads on SIGHUP, and drains on
 * SIGTERM or SIGINT. A request's own path is in exchange.c, gate.c and
 * dispatch.c.
 */
#ifndef ACCORD_SERVER_H
#define ACCORD_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct server_config {
	const char *db_path;
	const char *host;		/* an IPv4 or IPv6 literal */
	uint16_t port;			/* 0: any free port */
	unsigned threads;		/* 0: one per core */
	unsigned connection_timeout_s;	/* idle, while a request runs */
	unsigned header_timeout_s;	/* to receive a whole request head,
					   from connect or the last response */
	int send_buffer;		/* SO_SNDBUF per connection, bytes */
	size_t queue_per_worker;	/* requests waiting for a database
					   worker, per worker; more: 503 */
	size_t response_memory;		/* bytes of response bodies alive
					   (cached, queued or being sent);
					   past it, uncached requests: 503 */
	unsigned connection_limit;
	unsigned per_ip_limit;		/* 0: none (behind a proxy, every
					   client shares one address) */
	size_t connection_memory;	/* bytes per connection */
	unsigned query_timeout_ms;
	unsigned drain_timeout_s;	/* SIGTERM: how long to finish */
	size_t cache_bytes;		/* response cache budget; 0: none */
	size_t record_cache_bytes;	/* rendered list records, shared out
					   among the connections; 0: none */
	const char *public_url;		/* what absolute links begin with
					   (origin_valid; a trailing '/'
					   is dropped), or NULL: "http://"
					   and the request's Host */
};

/* Fills cfg with the defaults. */
void server_defaults(struct server_config *cfg);

/*
 * Checks the database, starts the daemon and serves until SIGTERM or
 * SIGINT, then drains and returns 0. SIGHUP reopens the database file and
 * switches to it only if it validates. Returns 1 when it cannot start.
 */
int server_run(const struct server_config *cfg);

/* Returns true once the daemon has begun to drain (shutting down): every
 * reply then closes its connection. Safe from any thread. */
bool server_draining(void);

#endif
