/* probe: a minimal HTTP client for `accord healthcheck` (no curl needed). */
#ifndef ACCORD_PROBE_H
#define ACCORD_PROBE_H

#include <stdint.h>

/*
 * Sends GET path to host:port (an IP literal) and returns the response's
 * status code, or -1 when no HTTP response arrived within timeout_ms.
 */
int probe_get(const char *host, uint16_t port, const char *path,
    int timeout_ms);

#endif
