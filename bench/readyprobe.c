/*
 * readyprobe PORT TIMEOUT_MS [PATH...]: for each PATH in turn (default
 * /readyz), polls GET PATH on 127.0.0.1:PORT every 0.5 ms until it answers
 * 200, then prints the CLOCK_REALTIME time in ns (compare with `date +%s%N`
 * taken before the daemon started), one line per PATH, and exits 0.
 * Exits 1 on timeout (TIMEOUT_MS in all). Built by bench/run.sh with cc.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
ready(int port, const char *path)
{
	struct sockaddr_in sa;
	char buf[64], req[256];
	ssize_t n;
	int fd, ok = 0, len;

	len = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
	if (len < 0 || (size_t)len >= sizeof(req))
		return 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 0;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    write(fd, req, (size_t)len) == (ssize_t)len &&
	    (n = read(fd, buf, sizeof(buf) - 1)) >= 12) {
		buf[n] = '\0';
		ok = strncmp(buf + 8, " 200", 4) == 0;
	}
	close(fd);
	return ok;
}

int
main(int argc, char **argv)
{
	struct timespec pause = { 0, 500000 };
	static char *fallback[] = { "/readyz" };
	char **paths = argc > 3 ? argv + 3 : fallback;
	int i, n = argc > 3 ? argc - 3 : 1;
	long long deadline;

	if (argc < 3) {
		fprintf(stderr, "usage: readyprobe PORT TIMEOUT_MS [PATH...]\n");
		return 2;
	}
	deadline = now_ns(CLOCK_MONOTONIC) + atoll(argv[2]) * 1000000LL;
	for (i = 0; i < n; i++) {
		while (!ready(atoi(argv[1]), paths[i])) {
			if (now_ns(CLOCK_MONOTONIC) >= deadline)
				return 1;
			nanosleep(&pause, NULL);
		}
		printf("%lld\n", now_ns(CLOCK_REALTIME));
		fflush(stdout);
	}
	return 0;
}
