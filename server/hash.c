#include "hash.h"

/* The FNV-1a 64-bit prime. */
#define FNV1A_PRIME UINT64_C(1099511628211)

uint64_t
hash_fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV1A_PRIME;
	return h;
}
