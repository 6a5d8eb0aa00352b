/* dispatch: runs a request's handler on a database worker, in its time. */
#ifndef ACCORD_DISPATCH_H
#define ACCORD_DISPATCH_H

#include <microhttpd.h>

#include "exchange.h"

/*
 * Hands ex's database work to a worker and suspends conn until the answer
 * is ready (the worker then resumes it, and exchange_on_request delivers
 * it). The deadline (query_timeout_ms) starts now: the wait in the queue,
 * the queries and the rendering all count. Past the response memory
 * budget, or with the queue full, answers 503 at once (admission control)
 * rather than wait without bound. Returns MHD_YES, or what queueing that
 * 503 returned.
 */
enum MHD_Result dispatch(struct MHD_Connection *conn, struct exchange *ex);

#endif
