/*
 * listener: the listening socket, and the thread that accepts its
 * connections and deals them out to libmicrohttpd's threads.
 *
 * libmicrohttpd 0.9.75 with a thread pool puts its listening socket in
 * every thread's epoll set, and the first thread to wake accepts a whole
 * burst of connections: under load one thread could get every connection
 * while the other idled. MHD_add_connection instead gives each connection
 * to a thread chosen by its descriptor, so they are shared out evenly.
 */
#ifndef ACCORD_LISTENER_H
#define ACCORD_LISTENER_H

#include <microhttpd.h>
#include <stdbool.h>
#include <sys/socket.h>

/*
 * Opens a TCP socket listening at addr (len bytes): SO_REUSEADDR (a
 * restart may bind while old connections linger; a second daemon on the
 * port still fails), IPV6_V6ONLY for an IPv6 address, the kernel's
 * largest backlog. Returns the descriptor, or -1 with errno set.
 */
int listener_open(const struct sockaddr *addr, socklen_t len);

/* Returns the port (host order) that fd listens at, 0 when unknown. */
unsigned listener_port(int fd);

/*
 * Starts the thread that accepts connections on fd (owned from here on)
 * and adds each to d, except while refuse() returns true: such a
 * connection is closed at once. Returns 0, or -1 (fd is then closed).
 */
int listener_start(int fd, struct MHD_Daemon *d, bool (*refuse)(void));

/* Stops accepting: the port no longer listens once this returns (the
 * thread is joined, the socket closed). Does nothing when not started. */
void listener_stop(void);

#endif
