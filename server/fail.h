/* fail: the problems a handler answers when the store or memory fails. */
#ifndef ACCORD_FAIL_H
#define ACCORD_FAIL_H

#include "db.h"
#include "http.h"

/*
 * Makes res the problem for the store's status st (not DB_OK): 404 "no
 * <what> has the id "<id>"" for DB_NOT_FOUND (what and id may be NULL),
 * 503 "the query took too long" for DB_TIMEOUT, else 500 "the database
 * failed". Returns the status.
 */
enum http_status fail_store(struct response *res, enum db_status st,
    const char *what, const char *id);

/* Makes res the problem for memory that ran out: 503 "out of memory". */
enum http_status fail_memory(struct response *res);

#endif
