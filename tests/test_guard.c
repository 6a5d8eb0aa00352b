/* guard: head deadlines, the hard and the soft connection limits. Each
 * connection is one end of a socket pair: the guard's shutdown(2) shows at
 * the other end as an end of file, at once. */
#include <criterion/criterion.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guard.h"

/* A connection: the end the guard holds, and the client's. */
struct pair {
	int server, client;
};

static struct pair
pair_new(void)
{
	int fds[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	return (struct pair){ fds[0], fds[1] };
}

/* Returns true when the guard shut the server end: the client reads an
 * end of file (never blocks). */
static bool
shut(const struct pair *p)
{
	struct pollfd pfd = { .fd = p->client, .events = POLLIN };
	char byte;

	return poll(&pfd, 1, 0) == 1 && recv(p->client, &byte, 1,
	    MSG_DONTWAIT) == 0;
}

/* A deadline of 0 ms has passed as soon as the connection opens: the
 * guard's sweeper (every 250 ms) and explicit sweeps then act at once. */
enum { NOW = 0, NEVER = 3600 * 1000 };

Test(guard, a_connection_that_sends_no_head_is_shut)
{
	struct pair a = pair_new();

	cr_assert_eq(guard_init(4, 4, NOW, 0), 0);
	cr_assert_not_null(guard_open(a.server));
	guard_sweep();
	cr_assert(shut(&a), "a connection opened and silent past its deadline");
	cr_assert_eq(guard_timeouts(), 1);
}

Test(guard, a_connection_with_its_head_in_is_not_shut)
{
	struct pair a = pair_new();
	struct guard_slot *s;

	cr_assert_eq(guard_init(4, 4, NOW, 0), 0);
	/* The head comes at once: long before the sweeper's first sweep,
	 * 250 ms after guard_init. */
	s = guard_open(a.server);
	guard_head_received(s);	/* the request runs: no deadline */
	guard_sweep();
	cr_assert_not(shut(&a), "a request being answered was cut off");
	cr_assert_eq(guard_timeouts(), 0);
}

Test(guard, an_idle_keep_alive_connection_is_shut)
{
	struct pair a = pair_new();
	struct guard_slot *s;

	cr_assert_eq(guard_init(4, 4, NOW, 0), 0);
	s = guard_open(a.server);
	guard_head_received(s);
	guard_response_sent(s);	/* waiting for the next head again */
	guard_sweep();
	cr_assert(shut(&a));
	cr_assert_eq(guard_timeouts(), 1);
}

Test(guard, a_timeout_is_counted_once)
{
	struct pair a = pair_new();

	cr_assert_eq(guard_init(4, 4, NOW, 0), 0);
	guard_open(a.server);
	for (int i = 0; i < 3; i++)
		guard_sweep();
	cr_assert(shut(&a));
	cr_assert_eq(guard_timeouts(), 1);
}

Test(guard, a_connection_within_its_deadline_is_not_shut)
{
	struct pair a = pair_new();

	cr_assert_eq(guard_init(4, 4, NEVER, 0), 0);
	guard_open(a.server);
	guard_sweep();
	cr_assert_not(shut(&a));
	cr_assert_eq(guard_timeouts(), 0);
}

Test(guard, a_connection_beyond_the_hard_limit_is_shut_at_once)
{
	struct pair a = pair_new(), b = pair_new(), c = pair_new();
	struct guard_slot *s;

	cr_assert_eq(guard_init(1, 1, NEVER, 0), 0);
	s = guard_open(a.server);
	cr_assert_not_null(s);
	cr_assert_null(guard_open(b.server), "no slot is left");
	cr_assert(shut(&b), "a connection without a slot is shut at once");
	cr_assert_not(shut(&a));
	guard_close(s);
	cr_assert_not_null(guard_open(c.server), "a closed slot is free again");
	cr_assert_not(shut(&c));
}

/* Past the soft limit, the connection waiting longest for a head makes
 * room; one whose request is being answered is never taken. */
Test(guard, past_the_soft_limit_a_waiting_connection_makes_room)
{
	struct pair busy = pair_new(), idle = pair_new(), fresh = pair_new();

	cr_assert_eq(guard_init(4, 2, NEVER, 0), 0);
	guard_head_received(guard_open(busy.server));	/* the oldest */
	guard_open(idle.server);
	cr_assert_eq(guard_evictions(), 0, "two connections fit in two");
	guard_open(fresh.server);
	cr_assert_eq(guard_evictions(), 1);
	cr_assert(shut(&idle), "the waiting connection makes room");
	cr_assert_not(shut(&busy), "a request being answered was cut off");
	cr_assert_not(shut(&fresh), "the newest client keeps its place");
}
