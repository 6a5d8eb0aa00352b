/* digest: SHA-256, through nettle. */
#ifndef ACCORD_DIGEST_H
#define ACCORD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_SIZE 32

/* Writes the SHA-256 of data[0..len) into out. Cannot fail. */
void digest_sha256(const void *data, size_t len, uint8_t out[DIGEST_SIZE]);

/* Writes the first `bytes` bytes (at most DIGEST_SIZE) of a digest as
 * lower-case hex, NUL-terminated, into out (2 * bytes + 1 chars). */
void digest_hex(const uint8_t *digest, size_t bytes, char *out);

/* Writes the SHA-256 of data[0..len) as 64 hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char out[65]);

#endif
