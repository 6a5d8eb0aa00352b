/* hash: FNV-1a, the one non-cryptographic hash of the daemon's tables. */
#ifndef ACCORD_HASH_H
#define ACCORD_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The FNV-1a 64-bit offset basis: the state before any byte. */
#define HASH_FNV1A_BASIS UINT64_C(1469598103934665603)

/*
 * Folds the n bytes at p into the FNV-1a 64-bit state h and returns the new
 * state. Start from HASH_FNV1A_BASIS; pass a previous result to hash several
 * pieces as one. Never fails; p is only read.
 */
uint64_t hash_fnv1a(const void *p, size_t n, uint64_t h);

#endif
