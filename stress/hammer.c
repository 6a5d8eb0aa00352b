/*
 * hammer: the socket-level attackers and probes of `make stress`
 * (stress/run.sh). Plain C and the C library only; loopback only.
 *
 *   hammer MODE port=N [pid=PID] [seconds=S] [probe=1] [key=value ...]
 *
 * While MODE runs for `seconds`, two probes ask GET /healthz every
 * probe_ms (100) milliseconds from 127.0.0.1, one on a new connection each
 * time (as an orchestrator or `accord healthcheck` does) and one on a
 * keep-alive connection opened before the attack; and, with pid=, a
 * sampler reads the daemon's VmRSS and open file count from /proc every
 * 250 ms (with series=FILE, each sample as "ms TAB kB TAB fds"). A probe
 * not answered within probe_timeout_ms (30000), or still unanswered 1 s
 * after the run ends, counts as an error with the time it waited as its
 * latency.
 *
 * Modes (each stops by itself after `seconds`, or after its work):
 *   slowloris   conns (1000) from addrs (10) addresses 127.0.0.2..; each
 *               sends a request line, then one header line every
 *               interval_ms (5000), never ending its head; a connection the
 *               server closes is opened again. Reports how long each lived.
 *   pipeline    conns (500) connections each writing depth (20) pipelined
 *               distinct searches, reading nothing.
 *   heavy       clients (20) keep-alive connections repeating query (made
 *               distinct per request, so no cache answers it), reading
 *               every reply; after a 503 a client waits backoff_ms (100).
 *   nonreader   conns (12) connections each sending depth (1) requests for
 *               path, reading nothing.
 *   flood       idle (2000) connections that send nothing (opened again
 *               when closed), and churn (2) threads connecting and closing
 *               as fast as they can.
 *   searches    n (500) distinct searches (query OR a distinct junk word)
 *               from clients (2) keep-alive connections.
 *   hashes      GET each path of the file paths= and print
 *               "path TAB status TAB hash TAB length" (no probes).
 *   storm       clients (4) keep-alive connections cycling through the
 *               paths of allowed= (lines "path TAB hash TAB hash": each
 *               reply must be a 200 whose body has one of the two
 *               hashes) while a SIGHUP goes to pid every hup_ms (100),
 *               each after live= is replaced (link and rename) by the
 *               other of a= and b=.
 *   mix         clients (6): of every three, one keep-alive reader over the
 *               paths of paths=, one keep-alive client of distinct
 *               searches, one asking for the paths on a new connection
 *               every time (the soak).
 *
 * Prints one line "RESULT key=value ..." on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- arguments -------------------------------------------------------- */

static int nargs;
static char **args;

static const char *
arg(const char *key, const char *dflt)
{
	size_t k = strlen(key);

	for (int i = 0; i < nargs; i++)
		if (strncmp(args[i], key, k) == 0 && args[i][k] == '=')
			return args[i] + k + 1;
	return dflt;
}

static long
arg_long(const char *key, long dflt)
{
	const char *v = arg(key, NULL);

	return v != NULL ? strtol(v, NULL, 10) : dflt;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "hammer: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* ---- time and shared state -------------------------------------------- */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
sleep_ms(double ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1e3);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1e3) * 1e6);
	nanosleep(&ts, NULL);
}

static int port;
static pid_t target;
static double t_start, t_end;	/* the run, in now_ms() */
static atomic_int stopping;
/* Every wait gives up at this time (ms): set 1 s after the run ends. */
static _Atomic double abort_at = 1e300;

static int
running(void)
{
	return !atomic_load(&stopping) && now_ms() < t_end;
}

/* ---- sockets ---------------------------------------------------------- */

/* A non-blocking socket connecting to the daemon from src (NULL: any);
 * -1 when the socket cannot even be made. */
static int
start_connect(const char *src)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) }, from = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (src != NULL) {
		inet_pton(AF_INET, src, &from.sin_addr);
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0) {
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Waits for events on fd until deadline (or abort_at). 1 ready, 0 timed
 * out, -1 error. */
static int
wait_fd(int fd, short events, double deadline)
{
	for (;;) {
		double now = now_ms(), until = deadline;
		struct pollfd p = { .fd = fd, .events = events };
		int rc;

		if (atomic_load(&abort_at) < until)
			until = atomic_load(&abort_at);
		if (now >= until)
			return 0;
		rc = poll(&p, 1, until - now > 100 ? 100 : (int)(until - now) + 1);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

/* A connected socket from src, or -1 (refused, or not by deadline). */
static int
connect_by(const char *src, double deadline)
{
	int fd = start_connect(src), err = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -1;
	if (wait_fd(fd, POLLOUT, deadline) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len, double deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (wait_fd(fd, POLLOUT, deadline) != 1)
			return -1;
	}
	return 0;
}

/* ---- HTTP replies ----------------------------------------------------- */

struct conn {
	int fd;
	size_t len, off;
	char buf[65536];
};

struct resp {
	int status;
	int close;		/* Connection: close */
	int retry_after;	/* has Retry-After */
	size_t body_len;
	uint64_t hash;		/* FNV-1a 64 of the body */
};

static void
conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = c->off = 0;
}

/* Reads more into c's buffer. 1 read, 0 EOF, -1 error or timeout. */
static int
fill(struct conn *c, double deadline)
{
	ssize_t n;

	if (c->off > 0) {
		memmove(c->buf, c->buf + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	if (c->len == sizeof(c->buf))
		return -1;
	for (;;) {
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (n > 0) {
			c->len += (size_t)n;
			return 1;
		}
		if (n == 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		if (wait_fd(c->fd, POLLIN, deadline) != 1)
			return -1;
	}
}

static void
hash_bytes(uint64_t *h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)p[i];
		*h *= 0x100000001b3ULL;
	}
}

/* Consumes up to n body bytes already buffered. */
static size_t
eat(struct conn *c, struct resp *r, size_t n)
{
	size_t have = c->len - c->off;

	if (n > have)
		n = have;
	hash_bytes(&r->hash, c->buf + c->off, n);
	r->body_len += n;
	c->off += n;
	return n;
}

/* Finds "\r\n" in the buffer from c->off; returns its offset or 0. */
static size_t
line_end(struct conn *c)
{
	char *p = memmem(c->buf + c->off, c->len - c->off, "\r\n", 2);

	return p != NULL ? (size_t)(p - c->buf) : 0;
}

static int
header_is(const char *line, size_t len, const char *name)
{
	size_t k = strlen(name);

	return len > k && strncasecmp(line, name, k) == 0 && line[k] == ':';
}

/*
 * Reads one reply (after a request with method `head` true: no body). 0
 * when it is complete, -1 when the connection failed, closed or timed out
 * first (r->status may be set from a head that arrived).
 */
static int
read_resp(struct conn *c, struct resp *r, double deadline, int head)
{
	char *end;
	size_t hlen, clen = 0;
	int has_clen = 0, chunked = 0, rc;

	*r = (struct resp){ .hash = 0xcbf29ce484222325ULL };
	while ((end = memmem(c->buf + c->off, c->len - c->off, "\r\n\r\n",
	    4)) == NULL)
		if (fill(c, deadline) != 1)
			return -1;
	hlen = (size_t)(end - (c->buf + c->off)) + 4;
	if (sscanf(c->buf + c->off, "HTTP/1.%*d %d", &r->status) != 1)
		return -1;
	for (char *l = memmem(c->buf + c->off, hlen, "\r\n", 2) + 2;
	    l < end; ) {
		char *e = memmem(l, (size_t)(end + 2 - l), "\r\n", 2);
		size_t n = (size_t)(e - l);
		if (header_is(l, n, "Content-Length")) {
			has_clen = 1;
			clen = strtoull(l + 15, NULL, 10);
		} else if (header_is(l, n, "Transfer-Encoding"))
			chunked = memmem(l, n, "chunked", 7) != NULL;
		else if (header_is(l, n, "Connection"))
			r->close = memmem(l, n, "close", 5) != NULL;
		else if (header_is(l, n, "Retry-After"))
			r->retry_after = 1;
		l = e + 2;
	}
	c->off += hlen;
	if (head || r->status == 304 || r->status == 204 ||
	    r->status / 100 == 1)
		return 0;
	if (chunked) {
		for (;;) {
			size_t le, size;
			while ((le = line_end(c)) == 0)
				if (fill(c, deadline) != 1)
					return -1;
			size = strtoull(c->buf + c->off, NULL, 16);
			c->off = le + 2;
			if (size == 0) {	/* trailers, then CRLF */
				for (;;) {
					while ((le = line_end(c)) == 0)
						if (fill(c, deadline) != 1)
							return -1;
					if (le == c->off) {
						c->off += 2;
						return 0;
					}
					c->off = le + 2;
				}
			}
			while (size > 0) {
				if (c->off == c->len && fill(c, deadline) != 1)
					return -1;
				size -= eat(c, r, size);
			}
			while (c->len - c->off < 2)
				if (fill(c, deadline) != 1)
					return -1;
			c->off += 2;
		}
	}
	if (has_clen) {
		while (clen > 0) {
			if (c->off == c->len && fill(c, deadline) != 1)
				return -1;
			clen -= eat(c, r, clen);
		}
		return 0;
	}
	for (;;) {	/* until EOF */
		eat(c, r, c->len - c->off);
		rc = fill(c, deadline);
		if (rc == 0) {
			r->close = 1;
			return 0;
		}
		if (rc < 0)
			return -1;
	}
}

/* Sends GET path on c (connecting first when it is closed) and reads the
 * reply. 0 when a complete reply came. */
static int
get(struct conn *c, const char *path, int keep_alive, struct resp *r,
    double timeout_ms)
{
	char req[2048];
	double deadline = now_ms() + timeout_ms;
	int n, reused = c->fd >= 0;

again:
	if (c->fd < 0) {
		c->fd = connect_by(NULL, deadline);
		c->len = c->off = 0;
		if (c->fd < 0) {
			*r = (struct resp){ 0 };
			return -1;
		}
	}
	*r = (struct resp){ 0 };
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "%s\r\n", path, keep_alive ? "" : "Connection: close\r\n");
	if (send_all(c->fd, req, (size_t)n, deadline) != 0 ||
	    read_resp(c, r, deadline, 0) != 0) {
		/* A kept-alive connection the server closed before this
		 * request reached it (no byte of a reply came) is retried
		 * once on a new one, as HTTP clients do. */
		int retry = reused && r->status == 0 && c->len == 0 &&
		    now_ms() < deadline;
		conn_close(c);
		if (retry) {
			reused = 0;
			goto again;
		}
		return -1;
	}
	if (r->close || !keep_alive)
		conn_close(c);
	return 0;
}

/* Percent-encodes s into out (size n). */
static void
encode(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0' && o + 4 < n; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}

/* A search path for query OR a junk word made of tag and n, that no text
 * holds: every such path is distinct, so no cache can answer it. */
static void
search_path(char *out, size_t size, const char *query, const char *tag,
    long n, long m)
{
	char q[512], enc[1536];

	snprintf(q, sizeof(q), "%s OR zq%sx%ldx%ld", query, tag, n, m);
	encode(q, enc, sizeof(enc));
	snprintf(out, size, "/search?q=%s&limit=100", enc);
}

/* ---- samples ---------------------------------------------------------- */

struct series {
	double *v;
	size_t n, cap;
	long errors;
	pthread_mutex_t lock;
};

static void
series_add(struct series *s, double v)
{
	pthread_mutex_lock(&s->lock);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (s->v == NULL)
			die("out of memory");
	}
	s->v[s->n++] = v;
	pthread_mutex_unlock(&s->lock);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of s, sorted in place; 0 when empty. */
static double
quantile(struct series *s, double q)
{
	size_t i;

	if (s->n == 0)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	i = (size_t)(q * (double)(s->n - 1) + 0.5);
	return s->v[i];
}

static void
print_series(const char *name, struct series *s)
{
	printf(" %s_n=%zu %s_err=%ld %s_p50=%.1f %s_p99=%.1f %s_max=%.1f",
	    name, s->n, name, s->errors, name, quantile(s, 0.5), name,
	    quantile(s, 0.99), name, quantile(s, 1));
}

/* ---- probes and sampler ----------------------------------------------- */

static struct series probe_new = { .lock = PTHREAD_MUTEX_INITIALIZER };
static struct series probe_ka = { .lock = PTHREAD_MUTEX_INITIALIZER };
static double probe_ms, probe_timeout_ms;

static void
probe_one(struct series *s, struct conn *c, int keep_alive)
{
	double t0 = now_ms();
	struct resp r;
	int rc = get(c, "/healthz", keep_alive, &r, probe_timeout_ms);

	series_add(s, now_ms() - t0);
	if (rc != 0 || r.status != 200) {
		pthread_mutex_lock(&s->lock);
		s->errors++;
		pthread_mutex_unlock(&s->lock);
	}
}

static void *
probe_thread(void *p)
{
	int keep_alive = p != NULL;
	struct conn *c = calloc(1, sizeof(*c));

	c->fd = -1;
	while (running()) {
		double t0 = now_ms();
		probe_one(keep_alive ? &probe_ka : &probe_new, c, keep_alive);
		while (running() && now_ms() < t0 + probe_ms)
			sleep_ms(10);
	}
	conn_close(c);
	free(c);
	return NULL;
}

static long rss_first = -1, rss_peak, rss_last, rss_q1 = -1;
static long fds_first = -1, fds_peak, fds_last;

static long
read_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static long
count_fds(pid_t pid)
{
	char path[64];
	struct dirent *e;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void *
sampler_thread(void *p)
{
	const char *file = arg("series", NULL);
	FILE *out = file != NULL ? fopen(file, "w") : NULL;

	(void)p;
	while (!atomic_load(&stopping)) {
		long rss = read_rss_kb(target), fds = count_fds(target);
		if (out != NULL)
			fprintf(out, "%.0f\t%ld\t%ld\n", now_ms() - t_start, rss,
			    fds);
		if (rss >= 0) {
			if (rss_first < 0)
				rss_first = rss;
			if (rss > rss_peak)
				rss_peak = rss;
			rss_last = rss;
			if (rss_q1 < 0 && now_ms() >= t_start + (t_end -
			    t_start) / 4)
				rss_q1 = rss;
		}
		if (fds >= 0) {
			if (fds_first < 0)
				fds_first = fds;
			if (fds > fds_peak)
				fds_peak = fds;
			fds_last = fds;
		}
		sleep_ms(250);
	}
	if (out != NULL)
		fclose(out);
	return NULL;
}

/* ---- slowloris -------------------------------------------------------- */

struct slow {
	int fd;
	int connected;
	double t0, next, gone;
	int lines;
};

static void
slowloris(void)
{
	int n = (int)arg_long("conns", 1000), naddr = (int)arg_long("addrs", 10);
	double interval = (double)arg_long("interval_ms", 5000);
	double limit = (double)arg_long("limit_ms", 15000);
	int reopen = (int)arg_long("reopen", 1);
	struct slow *s = calloc((size_t)n, sizeof(*s));
	struct series life = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct epoll_event ev, evs[256];
	long opened = 0, failed = 0, closed = 0, open_now = 0, peak_open = 0;
	long answered = 0, sock_errors = 0;
	int ep = epoll_create1(0);
	char src[32];

	if (s == NULL || ep < 0)
		die("slowloris: setup");
	for (int i = 0; i < n; i++) {
		s[i].fd = -1;
	}
	/* Opens connection i, from address 127.0.0.(2 + i % naddr). */
#define OPEN(i) do { \
		snprintf(src, sizeof(src), "127.0.0.%d", 2 + (i) % naddr); \
		s[i].fd = start_connect(src); \
		s[i].t0 = now_ms(); \
		s[i].connected = 0; \
		s[i].lines = 0; \
		if (s[i].fd < 0) { sock_errors++; break; } \
		ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP; \
		ev.data.u32 = (uint32_t)(i); \
		epoll_ctl(ep, EPOLL_CTL_ADD, s[i].fd, &ev); \
		opened++; open_now++; \
		if (open_now > peak_open) peak_open = open_now; \
	} while (0)
	/* The server closed connection i (or refused it). */
#define GONE(i, by_server) do { \
		if (by_server) { closed++; series_add(&life, now_ms() - s[i].t0); } \
		epoll_ctl(ep, EPOLL_CTL_DEL, s[i].fd, NULL); \
		close(s[i].fd); s[i].fd = -1; open_now--; \
		s[i].gone = now_ms(); \
	} while (0)
	for (int i = 0; i < n; i++)
		OPEN(i);
	while (running()) {
		int k = epoll_wait(ep, evs, 256, 50);
		double now = now_ms();
		for (int j = 0; j < k; j++) {
			int i = (int)evs[j].data.u32;
			char scratch[4096];
			if (s[i].fd < 0)
				continue;
			if (!s[i].connected) {
				int err = 0;
				socklen_t len = sizeof(err);
				static const char first[] = "GET /healthz HTTP/1.1\r\n"
				    "Host: 127.0.0.1\r\n";
				if (!(evs[j].events & (EPOLLOUT | EPOLLERR |
				    EPOLLHUP)))
					continue;
				getsockopt(s[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err != 0 || send(s[i].fd, first, sizeof(first) -
				    1, MSG_NOSIGNAL) != (ssize_t)sizeof(first) - 1) {
					failed++;
					GONE(i, 0);
					continue;
				}
				s[i].connected = 1;
				s[i].next = now + interval;
				ev.events = EPOLLIN | EPOLLRDHUP;
				ev.data.u32 = (uint32_t)i;
				epoll_ctl(ep, EPOLL_CTL_MOD, s[i].fd, &ev);
				continue;
			}
			for (;;) {
				ssize_t r = recv(s[i].fd, scratch, sizeof(scratch),
				    0);
				if (r > 0) {
					if (memcmp(scratch, "HTTP/", 5) == 0)
						answered++;	/* e.g. a 408 */
					continue;
				}
				if (r < 0 && (errno == EAGAIN || errno == EINTR))
					break;
				GONE(i, 1);
				break;
			}
		}
		for (int i = 0; i < n; i++) {
			char line[64];
			int len;
			if (s[i].fd < 0) {
				/* Again, but not sooner than 200 ms after. */
				if (reopen && running() && now >= s[i].gone + 200)
					OPEN(i);
				continue;
			}
			if (!s[i].connected || now < s[i].next)
				continue;
			len = snprintf(line, sizeof(line), "X-Slow-%d: %d\r\n",
			    s[i].lines, i);
			s[i].lines++;
			s[i].next += interval;
			if (send(s[i].fd, line, (size_t)len, MSG_NOSIGNAL) < 0 &&
			    errno != EAGAIN)
				GONE(i, 1);
		}
	}
	{
		double now = now_ms(), oldest = 0;
		long over = 0;
		for (int i = 0; i < n; i++) {
			if (s[i].fd < 0)
				continue;
			if (now - s[i].t0 > oldest)
				oldest = now - s[i].t0;
			if (now - s[i].t0 > limit)
				over++;
			close(s[i].fd);
		}
		printf(" opened=%ld connect_failed=%ld socket_errors=%ld "
		    "peak_open=%ld closed_by_server=%ld answered=%ld "
		    "open_at_end=%ld open_over_limit=%ld oldest_open_ms=%.0f",
		    opened, failed, sock_errors, peak_open, closed, answered,
		    open_now, over, oldest);
		print_series("life", &life);
	}
#undef OPEN
#undef GONE
	close(ep);
	free(s);
}

/* ---- pipelining non-readers ------------------------------------------- */

static void
pipeline(void)
{
	int n = (int)arg_long("conns", 500), depth = (int)arg_long("depth", 20);
	const char *query = arg("query", "t*");
	struct pl { int fd, connected; char *out; size_t len, sent; } *c;
	struct epoll_event ev, evs[256];
	long connected = 0, failed = 0, closed = 0, written = 0;
	char src[32];
	int ep = epoll_create1(0);

	c = calloc((size_t)n, sizeof(*c));
	if (c == NULL || ep < 0)
		die("pipeline: setup");
	for (int i = 0; i < n; i++) {
		char path[1600], *buf = malloc((size_t)depth * 1700);
		size_t len = 0;
		for (int k = 0; k < depth; k++) {
			search_path(path, sizeof(path), query, "p", i, k);
			len += (size_t)sprintf(buf + len, "GET %s HTTP/1.1\r\n"
			    "Host: 127.0.0.1\r\n\r\n", path);
		}
		c[i].out = buf;
		c[i].len = len;
		/* From 127.0.0.32..41: not the probes' address. */
		snprintf(src, sizeof(src), "127.0.0.%d", 32 + i % 10);
		c[i].fd = start_connect(src);
		if (c[i].fd < 0) {
			failed++;
			continue;
		}
		ev.events = EPOLLOUT | EPOLLRDHUP;
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
	}
	while (running()) {
		int k = epoll_wait(ep, evs, 256, 50);
		for (int j = 0; j < k; j++) {
			int i = (int)evs[j].data.u32;
			if (c[i].fd < 0)
				continue;
			if (evs[j].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
				if (c[i].connected)
					closed++;
				else
					failed++;
				epoll_ctl(ep, EPOLL_CTL_DEL, c[i].fd, NULL);
				close(c[i].fd);
				c[i].fd = -1;
				continue;
			}
			if (!c[i].connected) {
				c[i].connected = 1;
				connected++;
			}
			while (c[i].sent < c[i].len) {
				ssize_t w = send(c[i].fd, c[i].out + c[i].sent,
				    c[i].len - c[i].sent, MSG_NOSIGNAL);
				if (w <= 0)
					break;
				c[i].sent += (size_t)w;
			}
			if (c[i].sent == c[i].len) {
				written++;
				ev.events = EPOLLRDHUP;	/* never EPOLLIN */
				ev.data.u32 = (uint32_t)i;
				epoll_ctl(ep, EPOLL_CTL_MOD, c[i].fd, &ev);
			}
		}
	}
	for (int i = 0; i < n; i++) {
		if (c[i].fd >= 0)
			close(c[i].fd);
		free(c[i].out);
	}
	printf(" connected=%ld connect_failed=%ld all_written=%ld "
	    "closed_by_server=%ld requests=%ld", connected, failed, written,
	    closed, written * depth);
	close(ep);
	free(c);
}

/* ---- clients that read ------------------------------------------------ */

struct tally {
	atomic_long requests, ok, s503, s503_no_retry, other, broken;
	atomic_long mismatch, bytes;
	atomic_int other_code;	/* the last status neither 200 nor 503 */
	struct series lat;
};

static void
count(struct tally *t, int rc, const struct resp *r, double ms)
{
	atomic_fetch_add(&t->requests, 1);
	if (rc != 0)
		atomic_fetch_add(&t->broken, 1);
	else if (r->status == 200) {
		atomic_fetch_add(&t->ok, 1);
		atomic_fetch_add(&t->bytes, (long)r->body_len);
		series_add(&t->lat, ms);
	} else if (r->status == 503) {
		atomic_fetch_add(&t->s503, 1);
		if (!r->retry_after)
			atomic_fetch_add(&t->s503_no_retry, 1);
	} else {
		atomic_fetch_add(&t->other, 1);
		atomic_store(&t->other_code, r->status);
	}
}

static void
print_tally(struct tally *t)
{
	printf(" requests=%ld ok=%ld s503=%ld s503_no_retry_after=%ld "
	    "other_status=%ld other_code=%d broken=%ld mismatch=%ld bytes=%ld",
	    atomic_load(&t->requests), atomic_load(&t->ok),
	    atomic_load(&t->s503), atomic_load(&t->s503_no_retry),
	    atomic_load(&t->other), atomic_load(&t->other_code),
	    atomic_load(&t->broken),
	    atomic_load(&t->mismatch), atomic_load(&t->bytes));
	print_series("lat", &t->lat);
}

static struct tally tally = { .lat.lock = PTHREAD_MUTEX_INITIALIZER };
static atomic_long ticket;

static void *
heavy_client(void *p)
{
	long id = (long)(intptr_t)p;
	const char *query = arg("query", "t*");
	double backoff = (double)arg_long("backoff_ms", 100);
	struct conn *c = calloc(1, sizeof(*c));
	char path[1600];

	c->fd = -1;
	for (long k = 0; running(); k++) {
		struct resp r;
		double t0 = now_ms();
		int rc;
		search_path(path, sizeof(path), query, "h", id, k);
		rc = get(c, path, 1, &r, 60000);
		if (!running() && rc != 0)
			break;	/* cut off by the end of the run */
		count(&tally, rc, &r, now_ms() - t0);
		if (rc != 0 || r.status == 503)
			sleep_ms(backoff);
	}
	conn_close(c);
	free(c);
	return NULL;
}

static void
run_clients(int n, void *(*fn)(void *))
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));

	for (long i = 0; i < n; i++)
		pthread_create(&t[i], NULL, fn, (void *)(intptr_t)i);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
}

static void
heavy(void)
{
	run_clients((int)arg_long("clients", 20), heavy_client);
	print_tally(&tally);
}

static long search_total;

static void *
search_client(void *p)
{
	const char *query = arg("query", "china");
	struct conn *c = calloc(1, sizeof(*c));
	char path[1600];
	long i;

	(void)p;
	c->fd = -1;
	while ((i = atomic_fetch_add(&ticket, 1)) < search_total && running()) {
		struct resp r;
		double t0 = now_ms();
		int rc;
		search_path(path, sizeof(path), query, "c", i, 0);
		rc = get(c, path, 1, &r, 60000);
		count(&tally, rc, &r, now_ms() - t0);
	}
	conn_close(c);
	free(c);
	return NULL;
}

static void
searches(void)
{
	search_total = arg_long("n", 500);
	run_clients((int)arg_long("clients", 2), search_client);
	print_tally(&tally);
}

/* ---- non-readers ------------------------------------------------------ */

static void
nonreader(void)
{
	int n = (int)arg_long("conns", 12), depth = (int)arg_long("depth", 1);
	const char *path = arg("path", "/annotations?pretty=1");
	struct pollfd *p = calloc((size_t)n, sizeof(*p));
	long connected = 0, closed = 0;
	char req[2048];
	int len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: "
	    "127.0.0.1\r\n\r\n", path);

	for (int i = 0; i < n; i++) {
		p[i].fd = connect_by(NULL, now_ms() + 10000);
		p[i].events = POLLRDHUP;
		if (p[i].fd < 0)
			continue;
		connected++;
		for (int k = 0; k < depth; k++)
			send_all(p[i].fd, req, (size_t)len, now_ms() + 10000);
	}
	while (running()) {
		if (poll(p, (nfds_t)n, 100) <= 0)
			continue;
		for (int i = 0; i < n; i++)
			if (p[i].fd >= 0 && (p[i].revents & (POLLRDHUP |
			    POLLHUP | POLLERR))) {
				closed++;
				close(p[i].fd);
				p[i].fd = -1;
			}
	}
	for (int i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	printf(" connected=%ld closed_by_server=%ld", connected, closed);
	free(p);
}

/* ---- connection flood ------------------------------------------------- */

static atomic_long churn_ok, churn_failed;

static void *
churn_thread(void *p)
{
	long id = (long)(intptr_t)p, k = 0;
	char src[32];

	while (running()) {
		int fd, err = 0;
		socklen_t len = sizeof(err);
		struct linger lg = { 1, 0 };
		/* Many source addresses, and RST on close, so that the
		 * ephemeral ports of one address do not run out. */
		snprintf(src, sizeof(src), "127.0.0.%ld", 50 + (id * 50 + k++) %
		    100);
		fd = start_connect(src);
		if (fd < 0) {
			atomic_fetch_add(&churn_failed, 1);
			sleep_ms(1);
			continue;
		}
		if (wait_fd(fd, POLLOUT, now_ms() + 200) == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
		    err == 0)
			atomic_fetch_add(&churn_ok, 1);
		else
			atomic_fetch_add(&churn_failed, 1);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	return NULL;
}

static void
flood(void)
{
	int n = (int)arg_long("idle", 2000), threads = (int)arg_long("churn",
	    2);
	int *fd = calloc((size_t)n, sizeof(*fd));
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	struct epoll_event ev, evs[256];
	long opened = 0, closed = 0, failed = 0;
	int ep = epoll_create1(0);
	char src[32];

	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, churn_thread, (void *)(intptr_t)i);
	for (int i = 0; i < n; i++)
		fd[i] = -1;
	while (running()) {
		int k;
		for (int i = 0; i < n; i++) {
			if (fd[i] >= 0)
				continue;
			snprintf(src, sizeof(src), "127.0.0.%d", 12 + i % 20);
			fd[i] = start_connect(src);
			if (fd[i] < 0) {
				failed++;
				continue;
			}
			opened++;
			ev.events = EPOLLRDHUP;
			ev.data.u32 = (uint32_t)i;
			epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev);
		}
		k = epoll_wait(ep, evs, 256, 100);
		for (int j = 0; j < k; j++) {
			int i = (int)evs[j].data.u32;
			closed++;
			epoll_ctl(ep, EPOLL_CTL_DEL, fd[i], NULL);
			close(fd[i]);
			fd[i] = -1;
		}
	}
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	printf(" idle_opened=%ld idle_closed_by_server=%ld idle_failed=%ld "
	    "churn_connects=%ld churn_failed=%ld", opened, closed, failed,
	    atomic_load(&churn_ok), atomic_load(&churn_failed));
	close(ep);
	free(fd);
	free(t);
}

/* ---- paths files ------------------------------------------------------ */

struct path_entry {
	char *path;
	uint64_t hash[2];
};

static struct path_entry *paths;
static size_t npaths;

static void
read_paths(const char *file, int with_hashes)
{
	FILE *f = fopen(file, "r");
	char line[4096];
	size_t cap = 0;

	if (f == NULL)
		die("%s: %s", file, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (npaths == cap) {
			cap = cap ? cap * 2 : 256;
			paths = realloc(paths, cap * sizeof(*paths));
		}
		tab = strchr(line, '\t');
		if (tab != NULL)
			*tab = '\0';
		paths[npaths].path = strdup(line);
		paths[npaths].hash[0] = paths[npaths].hash[1] = 0;
		if (with_hashes) {
			char *second;
			if (tab == NULL)
				die("%s: no hashes on %s", file, line);
			paths[npaths].hash[0] = strtoull(tab + 1, &second, 16);
			paths[npaths].hash[1] = strtoull(second, NULL, 16);
		}
		npaths++;
	}
	fclose(f);
	if (npaths == 0)
		die("%s: no paths", file);
}

static void
hashes(void)
{
	struct conn *c = calloc(1, sizeof(*c));

	read_paths(arg("paths", "/dev/null"), 0);
	c->fd = -1;
	for (size_t i = 0; i < npaths; i++) {
		struct resp r;
		int rc = get(c, paths[i].path, 1, &r, 60000);
		printf("%s\t%d\t%016" PRIx64 "\t%zu\n", paths[i].path,
		    rc == 0 ? r.status : 0, r.hash, r.body_len);
	}
	conn_close(c);
	free(c);
}

/* ---- SIGHUP storm ----------------------------------------------------- */

static atomic_long hups, swaps, swap_errors;

static void *
storm_client(void *p)
{
	size_t i = (size_t)(intptr_t)p * 7;
	struct conn *c = calloc(1, sizeof(*c));

	c->fd = -1;
	while (running()) {
		struct resp r;
		struct path_entry *e = &paths[i++ % npaths];
		double t0 = now_ms();
		int rc = get(c, e->path, 1, &r, 30000);
		if (!running() && rc != 0)
			break;
		count(&tally, rc, &r, now_ms() - t0);
		if (rc == 0 && r.status == 200 && r.hash != e->hash[0] &&
		    r.hash != e->hash[1]) {
			atomic_fetch_add(&tally.mismatch, 1);
			fprintf(stderr, "hammer: storm: %s: a body of %zu bytes "
			    "that neither database gives\n", e->path,
			    r.body_len);
		}
	}
	conn_close(c);
	free(c);
	return NULL;
}

static void *
hup_thread(void *p)
{
	const char *live = arg("live", NULL), *file[2] = { arg("a", NULL),
	    arg("b", NULL) };
	double every = (double)arg_long("hup_ms", 100), next = now_ms();
	char tmp[4096];
	int which = 1;

	(void)p;
	if (live != NULL)
		snprintf(tmp, sizeof(tmp), "%s.storm-tmp", live);
	while (running()) {
		if (live != NULL && file[0] != NULL && file[1] != NULL) {
			unlink(tmp);
			if (link(file[which], tmp) == 0 && rename(tmp, live) == 0)
				atomic_fetch_add(&swaps, 1);
			else
				atomic_fetch_add(&swap_errors, 1);
			which = !which;
		}
		if (kill(target, SIGHUP) == 0)
			atomic_fetch_add(&hups, 1);
		next += every;
		while (running() && now_ms() < next)
			sleep_ms(5);
	}
	return NULL;
}

static void
storm(void)
{
	pthread_t h;

	read_paths(arg("allowed", "/dev/null"), 1);
	if (target <= 0)
		die("storm needs pid=");
	pthread_create(&h, NULL, hup_thread, NULL);
	run_clients((int)arg_long("clients", 4), storm_client);
	pthread_join(h, NULL);
	printf(" hups=%ld swaps=%ld swap_errors=%ld", atomic_load(&hups),
	    atomic_load(&swaps), atomic_load(&swap_errors));
	print_tally(&tally);
}

/* ---- the soak's mixed load -------------------------------------------- */

static void *
mix_client(void *p)
{
	long id = (long)(intptr_t)p, k = 0;
	int kind = (int)(id % 3);	/* see mix() */
	struct conn *c = calloc(1, sizeof(*c));
	size_t i = (size_t)id * 131;
	char path[1600];

	c->fd = -1;
	while (running()) {
		struct resp r;
		double t0 = now_ms();
		const char *want = paths[i++ % npaths].path;
		int rc;
		if (kind == 1) {
			search_path(path, sizeof(path), "china", "m", id, k++);
			want = path;
		}
		rc = get(c, want, kind != 2, &r, 30000);
		if (!running() && rc != 0)
			break;
		count(&tally, rc, &r, now_ms() - t0);
		if (rc != 0 || r.status == 503)
			sleep_ms(100);
		else if (kind == 1)
			sleep_ms(50);	/* a search every ~50 ms or so */
	}
	conn_close(c);
	free(c);
	return NULL;
}

/* clients readers over paths; ids 1, 4, ... search instead, ids 2, 5, ...
 * use a new connection each time. */
static void
mix(void)
{
	read_paths(arg("paths", "/dev/null"), 0);
	run_clients((int)arg_long("clients", 6), mix_client);
	print_tally(&tally);
}

/* ---- main ------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	struct rlimit lim;
	const char *mode;
	pthread_t probes[2], sampler;
	int with_probe, with_sampler;
	struct conn warm = { .fd = -1 };

	if (argc < 2)
		die("usage: hammer MODE port=N [pid=PID] [seconds=S] [key=value...]");
	mode = argv[1];
	nargs = argc - 2;
	args = argv + 2;
	port = (int)arg_long("port", 0);
	target = (pid_t)arg_long("pid", 0);
	if (port <= 0)
		die("port= is required");
	probe_ms = (double)arg_long("probe_ms", 100);
	probe_timeout_ms = (double)arg_long("probe_timeout_ms", 30000);
	signal(SIGPIPE, SIG_IGN);
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
		lim.rlim_cur = lim.rlim_max;
		setrlimit(RLIMIT_NOFILE, &lim);
	}
	t_start = now_ms();
	t_end = t_start + 1e3 * strtod(arg("seconds", "10"), NULL);
	/* What is still waiting 1 s after the end gives up (probes count it
	 * as unanswered). */
	atomic_store(&abort_at, t_end + 1000);
	if (strcmp(mode, "hashes") == 0) {
		t_end = 1e300;
		hashes();
		return 0;
	}
	with_probe = arg_long("probe", 1) != 0;
	with_sampler = target > 0;
	if (with_probe) {
		/* The keep-alive probe's connection exists before the attack. */
		struct resp r;
		double t0 = now_ms();
		int rc = get(&warm, "/healthz", 1, &r, 5000);
		series_add(&probe_ka, now_ms() - t0);
		if (rc != 0 || r.status != 200)
			probe_ka.errors++;
		conn_close(&warm);
		pthread_create(&probes[0], NULL, probe_thread, NULL);
		pthread_create(&probes[1], NULL, probe_thread, (void *)1);
	}
	if (with_sampler)
		pthread_create(&sampler, NULL, sampler_thread, NULL);
	printf("RESULT mode=%s", mode);
	fflush(stdout);
	if (strcmp(mode, "slowloris") == 0)
		slowloris();
	else if (strcmp(mode, "pipeline") == 0)
		pipeline();
	else if (strcmp(mode, "heavy") == 0)
		heavy();
	else if (strcmp(mode, "nonreader") == 0)
		nonreader();
	else if (strcmp(mode, "flood") == 0)
		flood();
	else if (strcmp(mode, "searches") == 0)
		searches();
	else if (strcmp(mode, "storm") == 0)
		storm();
	else if (strcmp(mode, "mix") == 0)
		mix();
	else if (strcmp(mode, "idle") == 0) {
		while (running())
			sleep_ms(50);
	} else
		die("unknown mode %s", mode);
	atomic_store(&stopping, 1);
	if (atomic_load(&abort_at) > now_ms() + 1000)
		atomic_store(&abort_at, now_ms() + 1000);
	if (with_probe) {
		pthread_join(probes[0], NULL);
		pthread_join(probes[1], NULL);
		print_series("new", &probe_new);
		print_series("ka", &probe_ka);
	}
	if (with_sampler) {
		pthread_join(sampler, NULL);
		printf(" rss_start_kb=%ld rss_q1_kb=%ld rss_peak_kb=%ld "
		    "rss_end_kb=%ld fds_start=%ld fds_peak=%ld fds_end=%ld",
		    rss_first, rss_q1 < 0 ? rss_last : rss_q1, rss_peak,
		    rss_last, fds_first, fds_peak, fds_last);
		printf(" alive=%d", kill(target, 0) == 0);
	}
	printf(" elapsed_ms=%.0f\n", now_ms() - t_start);
	return 0;
}
