#include "probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
probe_get(const char *host, uint16_t port, const char *path, int timeout_ms)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&ss;
	struct pollfd pfd;
	socklen_t len;
	char buf[256];
	size_t got = 0;
	int fd, status = -1, code;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		len = sizeof(*v6);
	} else {
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&ss, len) != 0)
		goto close_fd;
	code = snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\nHost: %s\r\n"
	    "Connection: close\r\n\r\n", path, host);
	if (code < 0 || (size_t)code >= sizeof(buf) ||
	    send(fd, buf, (size_t)code, MSG_NOSIGNAL) != code)
		goto close_fd;
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (got < 12 && poll(&pfd, 1, timeout_ms) == 1) {
		ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (got >= 12 && sscanf(buf, "HTTP/1.%*1d %3d", &code) == 1)
		status = code;
close_fd:
	close(fd);
	return status;
}
