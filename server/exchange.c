#include "exchange.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gate.h"
#include "guard.h"
#include "head.h"
#include "log.h"
#include "metrics.h"

/* Returns the microseconds since since (CLOCK_MONOTONIC). */
static uint64_t
elapsed_us(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)((now.tv_sec - since->tv_sec) * 1000000 +
	    (now.tv_nsec - since->tv_nsec) / 1000);
}

void *
exchange_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct exchange *ex = calloc(1, sizeof(*ex));

	(void)conn;
	if (ex == NULL)
		return NULL;
	ex->cfg = cls;
	clock_gettime(CLOCK_MONOTONIC, &ex->started);
	ex->target = strdup(uri);
	ex->route = -1;
	return ex;
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

void
exchange_on_connection(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
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

void
exchange_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct exchange *ex = *req_cls;
	char remote[INET6_ADDRSTRLEN];
	uint64_t us;

	(void)cls;
	(void)toe;
	guard_response_sent(connection_guard(conn));
	if (ex == NULL)
		return;
	client_address(conn, remote, sizeof(remote));
	us = elapsed_us(&ex->started);
	if (ex->sent.status != 0)
		metrics_record(ex->route, ex->sent.status, (double)us / 1e6);
	log_request(&(struct log_request){
	    .method = ex->method[0] != '\0' ? ex->method : "-",
	    .target = ex->target != NULL ? ex->target : "",
	    .remote = remote[0] != '\0' ? remote : NULL,
	    .status = ex->sent.status, .bytes = ex->sent.bytes,
	    .duration_us = us });
	free(ex->target);
	reply_drop(&ex->res);
	reply_body_release(ex->body);
	free(ex);
	*req_cls = NULL;
}

enum MHD_Result
exchange_deliver(struct MHD_Connection *conn, struct exchange *ex)
{
	struct reply_options opt = { .closing = server_draining() ||
	    ex->close, .pretty = ex->pretty, .allow = ex->status ==
	    HTTP_METHOD_NOT_ALLOWED ? ex->match.allow : NULL };
	enum MHD_Result ret;

	if (ex->status == HTTP_NO_CONTENT)
		return reply_send_preflight(conn, &ex->sent);
	if (ex->body == NULL)
		return reply_send_problem(conn, ex->status, &ex->res,
		    ex->instance, &opt, &ex->sent);
	ret = reply_send_body(conn, ex->body, ex->instance, &opt, &ex->sent);
	reply_body_release(ex->body);
	ex->body = NULL;
	return ret;
}

void
exchange_run(struct exchange *ex, const struct request *req, bool compress)
{
	ex->status = ex->match.route->handler(req, &ex->res);
	if (ex->status != HTTP_OK)
		return;
	ex->body = reply_body_new(&ex->res, ex->pretty, compress);
	if (ex->body == NULL)
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE,
		    "out of memory");
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

/* Checks conn's head (head_check) into v. Returns 0, or -1 when out of
 * memory. */
static int
check_head(struct MHD_Connection *conn, struct exchange *ex,
    const char *target, const char *method, const char *version,
    struct head_verdict *v)
{
	const union MHD_ConnectionInfo *ci;
	struct head *h;

	ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	h = calloc(1, sizeof(*h));
	if (h == NULL || ci == NULL) {
		free(h);
		return -1;
	}
	*h = (struct head){ .method = method, .target = target,
	    .target_len = strlen(ex->target), .version = version,
	    .size = ci->header_size };
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect_field, h);
	*v = head_check(h, ex->target);
	free(h);
	return 0;
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
	struct head_verdict v;

	guard_head_received(connection_guard(conn));
	if (ex->target == NULL) {
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE,
		    "out of memory");
		return exchange_deliver(conn, ex);
	}
	if (check_head(conn, ex, target, method, version, &v) != 0) {
		ex->close = true;
		ex->status = problem(&ex->res, HTTP_SERVICE_UNAVAILABLE,
		    "out of memory");
		return exchange_deliver(conn, ex);
	}
	if (v.status != 0) {
		ex->close = true;
		ex->status = problem(&ex->res, v.status, "%s", v.detail);
		return exchange_deliver(conn, ex);
	}
	ex->path = v.path;
	ex->has_body = v.body;
	ex->close = v.body;	/* the body is never read */
	return v.body ? gate_respond(conn, ex, method) : MHD_YES;
}

enum MHD_Result
exchange_on_request(void *cls, struct MHD_Connection *conn, const char *url,
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
		return exchange_deliver(conn, ex);
	if (*upload_data_size != 0) {	/* not expected: refused above */
		*upload_data_size = 0;
		return MHD_YES;
	}
	return gate_respond(conn, ex, method);
}
