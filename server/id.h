/* id: the one rule for the ids of records, in the data and in URLs. */
#ifndef ACCORD_ID_H
#define ACCORD_ID_H

#include <stdbool.h>
#include <stddef.h>

/* The longest id, in bytes. */
#define ID_MAX 64

/*
 * Returns true when the len bytes at s are an id: ^[a-z0-9]+(-[a-z0-9]+)*$
 * and at most ID_MAX bytes. s need not be NUL-terminated; it is only read.
 */
bool id_valid(const char *s, size_t len);

#endif
