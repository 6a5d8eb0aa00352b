#include "num.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

long long
num_parse(const char *s, long long min, long long max, const char **errstr)
{
	char *end;
	long long n;

	*errstr = "invalid";
	if (min > max || s[0] == '\0')
		return 0;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0')
		return 0;
	if ((n == LLONG_MIN && errno == ERANGE) || n < min) {
		*errstr = "too small";
		return 0;
	}
	if ((n == LLONG_MAX && errno == ERANGE) || n > max) {
		*errstr = "too large";
		return 0;
	}
	*errstr = NULL;
	return n;
}
