#include "listener.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int listen_fd = -1;
static struct MHD_Daemon *served;	/* where connections go */
static bool (*refusing)(void);
static pthread_t thread;
static atomic_bool stopping;

int
listener_open(const struct sockaddr *addr, socklen_t len)
{
	int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1, saved;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    (addr->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) != 0) ||
	    bind(fd, addr, len) != 0 || listen(fd, SOMAXCONN) != 0)
		goto fail;
	return fd;

fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

unsigned
listener_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return 0;
	if (a.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)(void *)&a)->sin_port);
	if (a.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)(void *)&a)->sin6_port);
	return 0;
}

/* Waits a little after a failed accept that will fail again at once (out
 * of descriptors or memory), logging the first of a series. */
static void
back_off(int err, bool *logged)
{
	if (err != EMFILE && err != ENFILE && err != ENOBUFS &&
	    err != ENOMEM)
		return;		/* a connection aborted, a signal: go on */
	if (!*logged)
		log_event("warning", "accept", strerror(err), NULL, NULL);
	*logged = true;
	usleep(10 * 1000);
}

/* The thread: accepts until listener_stop, and hands each connection to
 * libmicrohttpd (which closes it when it cannot take it). */
static void *
accept_loop(void *arg)
{
	bool logged = false;

	(void)arg;
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof(addr);
		int fd = accept4(listen_fd, (struct sockaddr *)&addr, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (atomic_load(&stopping))
				break;
			back_off(errno, &logged);
			continue;
		}
		logged = false;
		if (refusing())
			close(fd);
		else
			(void)MHD_add_connection(served, fd,
			    (struct sockaddr *)&addr, len);
	}
	return NULL;
}

int
listener_start(int fd, struct MHD_Daemon *d, bool (*refuse)(void))
{
	listen_fd = fd;
	served = d;
	refusing = refuse;
	atomic_store(&stopping, false);
	if (pthread_create(&thread, NULL, accept_loop, NULL) != 0) {
		close(fd);
		listen_fd = -1;
		return -1;
	}
	return 0;
}

void
listener_stop(void)
{
	if (listen_fd < 0)
		return;
	atomic_store(&stopping, true);
	/* Wakes the thread's accept (EINVAL) and stops the port listening. */
	shutdown(listen_fd, SHUT_RDWR);
	pthread_join(thread, NULL);
	close(listen_fd);
	listen_fd = -1;
}
