/* num: bounded decimal integers, as OpenBSD's strtonum(3) reads them. */
#ifndef ACCORD_NUM_H
#define ACCORD_NUM_H

/*
 * Returns the integer s spells in decimal (leading blanks and a sign
 * allowed, as strtoll reads them; nothing after the digits) when it lies
 * in [min, max], and sets *errstr to NULL. Otherwise returns 0 and sets
 * *errstr to "invalid" (empty, not a number, or min > max), "too small"
 * or "too large" (a static string).
 */
long long num_parse(const char *s, long long min, long long max,
    const char **errstr);

#endif
