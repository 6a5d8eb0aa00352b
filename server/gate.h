/*
 * gate: the checks a whole request passes, in one order, before it is
 * served from the cache or by its route's handler (see gate.c).
 */
#ifndef ACCORD_GATE_H
#define ACCORD_GATE_H

#include <microhttpd.h>

#include "exchange.h"

/*
 * Answers the whole request ex on conn, whose method is `method` (as
 * received): the first check it fails answers its problem; a request that
 * passes them all is served from the response cache, by its handler on
 * this thread (routes without_db), or by a database worker (dispatch).
 * Returns what queueing the answer returned, or MHD_YES when a worker
 * will answer.
 */
enum MHD_Result gate_respond(struct MHD_Connection *conn, struct exchange *ex,
    const char *method);

#endif
