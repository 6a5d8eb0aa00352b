/*
 * exchange: one request's life in libmicrohttpd, from its head to its log
 * line: the callbacks the daemon registers, the head's admission, and the
 * delivery of the answer the gate or a database worker left.
 */
#ifndef ACCORD_EXCHANGE_H
#define ACCORD_EXCHANGE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "http.h"
#include "origin.h"
#include "queue.h"
#include "reply.h"
#include "router.h"
#include "server.h"
#include "url.h"

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
 * completion callback cannot free it). Its answer is status with body (a
 * 200) or res (a problem: its detail), until exchange_deliver queues it.
 */
struct exchange {
	const struct server_config *cfg;
	struct timespec started;
	char *target;		/* raw request target (owned) */
	const char *path;	/* its origin form: in target, or "*" */
	char method[16];
	bool has_body;		/* announced, and never read */
	bool close;		/* close the connection after the reply */
	int route;		/* index in api_routes, -1 when none */
	struct url url;
	const char *instance;	/* a problem's instance: url.path once the
				   target parsed, else NULL */
	struct router_match match;
	bool pretty, gzip;	/* ?pretty=1; Accept-Encoding takes gzip */
	char base[ORIGIN_MAX];	/* request.base (origin_make) */
	char key[ORIGIN_MAX + URL_MAX + 2];	/* the cache key: base, a
						   space, then the target */
	const char *accept;	/* the Accept header (libmicrohttpd's), or
				   NULL */
	bool uncached;		/* its body depends on more than the base
				   and the target (an Accept asking for CSV
				   or NDJSON) */
	/* For the database worker. */
	enum exchange_state state;
	struct queue_job job;
	struct MHD_Connection *conn;
	int64_t deadline_ms;	/* db_now_ms() when its time is up */
	/* The answer, and what went out. */
	enum http_status status;	/* HTTP_NO_CONTENT: a preflight */
	struct response res;	/* owned parts consumed by the reply */
	struct reply_body *body;	/* a 200's body (one reference) */
	struct reply_sent sent;
};

/* MHD_OPTION_URI_LOG_CALLBACK, cls the server_config: makes the exchange
 * of a request whose head arrives with uri. NULL when out of memory. */
void *exchange_on_uri(void *cls, const char *uri,
    struct MHD_Connection *conn);

/* MHD_OPTION_NOTIFY_CONNECTION: a connection's guard slot is taken when it
 * opens and freed when it closes. */
void exchange_on_connection(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code);

/* MHD_OPTION_NOTIFY_COMPLETED: records and logs the request, and frees its
 * exchange with whatever answer it still holds. */
void exchange_on_completed(void *cls, struct MHD_Connection *conn,
    void **req_cls, enum MHD_RequestTerminationCode toe);

/* The access handler: admits the head when it arrives, then has the gate
 * answer the request once whole, or delivers a worker's answer. */
enum MHD_Result exchange_on_request(void *cls, struct MHD_Connection *conn,
    const char *url, const char *method, const char *version,
    const char *upload_data, size_t *upload_data_size, void **req_cls);

/*
 * Queues ex's answer on conn: the preflight when ex->status is
 * HTTP_NO_CONTENT; ex->body when set (released here); else ex->res as the
 * problem ex->status, with Allow on a 405. Returns what MHD_queue_response
 * returned.
 */
enum MHD_Result exchange_deliver(struct MHD_Connection *conn,
    struct exchange *ex);

/*
 * Runs ex's route handler for req and, on a 200, makes its body (gzipped
 * too when compress): sets ex->status, with ex->body on a 200 and the
 * problem's detail in ex->res otherwise; a body that cannot be made is a
 * 503.
 */
void exchange_run(struct exchange *ex, const struct request *req,
    bool compress);

#endif
