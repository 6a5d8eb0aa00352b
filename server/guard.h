/*
 * guard: the per-connection limits libmicrohttpd 0.9.75 lacks. Its
 * connection timeout restarts on every byte, so a client sending a header
 * line every few seconds (slowloris) keeps a connection for ever; the
 * guard gives each request head a total deadline instead, in the spirit of
 * nginx's client_header_timeout and Apache's mod_reqtimeout. It also
 * bounds the bytes a connection may have waiting in the kernel for a
 * client that does not read.
 */
#ifndef ACCORD_GUARD_H
#define ACCORD_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* A guarded connection; owned by the guard, opaque to its users. */
struct guard_slot;

/*
 * Sets up room for max_connections connections, and starts a thread that
 * calls guard_sweep four times a second until guard_free. When more than
 * `keep` (< max_connections) are open, opening another shuts the one that
 * has waited longest for a request head, so that idle and slow
 * connections cannot keep new clients out. head_timeout_ms: the time
 * a connection is given, from when it opens or its last response was
 * sent, to deliver a complete request head. send_buffer: SO_SNDBUF for
 * every connection, in bytes (0 leaves the kernel's). Returns 0, or -1
 * when out of memory or the thread cannot start.
 */
int guard_init(size_t max_connections, size_t keep,
    unsigned head_timeout_ms, int send_buffer);

/* Stops the sweeper and frees what guard_init made; no slot may be in
 * use. */
void guard_free(void);

/*
 * A connection on socket fd opened: sets its send buffer and starts its
 * head deadline. Returns its slot, or NULL when none is free (the
 * connection is then shut down at once). The slot stays the guard's.
 */
struct guard_slot *guard_open(int fd);

/* Its request head has arrived: no deadline while the request runs. */
void guard_head_received(struct guard_slot *s);

/* Its response has been sent: the next head's deadline starts now. */
void guard_response_sent(struct guard_slot *s);

/* The connection is closing (its socket is still open): frees the slot.
 * NULL is ignored. */
void guard_close(struct guard_slot *s);

/*
 * Shuts down (shutdown(2), both ways) every connection whose head
 * deadline has passed; libmicrohttpd then sees the socket end and closes
 * it. The sweeper calls it; callable from any thread. Returns how many
 * it shut.
 */
size_t guard_sweep(void);

/* How many connections guard_sweep has shut since guard_init. */
uint64_t guard_timeouts(void);

/* How many waiting connections were shut to make room for new ones. */
uint64_t guard_evictions(void);

#endif
