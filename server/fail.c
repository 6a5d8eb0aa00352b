#include "fail.h"

enum http_status
fail_store(struct response *res, enum db_status st, const char *what,
    const char *id)
{
	switch (st) {
	case DB_NOT_FOUND:
		return problem(res, HTTP_NOT_FOUND, "no %s has the id \"%s\"",
		    what != NULL ? what : "record", id != NULL ? id : "");
	case DB_TIMEOUT:
		return problem(res, HTTP_SERVICE_UNAVAILABLE, "the query took "
		    "too long");
	case DB_OK:
	case DB_ERROR:
	case DB_BAD_QUERY:
		break;
	}
	return problem(res, HTTP_INTERNAL_SERVER_ERROR, "the database failed");
}

enum http_status
fail_memory(struct response *res)
{
	return problem(res, HTTP_SERVICE_UNAVAILABLE, "out of memory");
}
