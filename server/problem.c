#include <stdarg.h>
#include <stdio.h>

#include "http.h"

enum http_status
problem(struct response *res, enum http_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	return status;
}
