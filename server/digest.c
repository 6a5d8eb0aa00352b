#include "digest.h"

#include <nettle/sha2.h>

void
digest_sha256(const void *data, size_t len, uint8_t out[DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, DIGEST_SIZE, out);
}

void
digest_hex(const uint8_t *digest, size_t bytes, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < bytes && i < DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * (bytes < DIGEST_SIZE ? bytes : DIGEST_SIZE)] = '\0';
}

void
digest_sha256_hex(const void *data, size_t len, char out[65])
{
	uint8_t d[DIGEST_SIZE];

	digest_sha256(data, len, d);
	digest_hex(d, DIGEST_SIZE, out);
}
