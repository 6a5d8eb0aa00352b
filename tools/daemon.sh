# Sourced by tools/*.sh: daemon_up BIN DB LOG starts `BIN serve` on the
# database DB on a free port, logging to LOG, and waits until it listens
# (the log gives the port) and its database has passed the full check (data
# routes answer 503 until the log says "checked"), up to a deadline far
# beyond both (ten times longer under valgrind or the sanitizers). Sets
# daemon_pid and daemon_port; on failure prints why and the log, and
# returns 1.
daemon_up() {
	"$1" serve --db "$2" --host 127.0.0.1 --port 0 2>"$3" &
	daemon_pid=$!
	limit=60
	[ -n "${ACCORD_SANITIZED:-}" ] && limit=600
	deadline=$(($(date +%s) + limit))
	daemon_port=""
	checked=""
	while [ "$(date +%s)" -le "$deadline" ] && kill -0 "$daemon_pid" 2>/dev/null; do
		daemon_port=$(sed -n 's/.*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$3" | head -1)
		checked=""
		grep -q '"event":"checked"' "$3" && checked=yes
		[ -n "$daemon_port" ] && [ -n "$checked" ] && return 0
		sleep 0.05
	done
	echo "the daemon did not serve within ${limit}s (port:" \
	    "${daemon_port:-none}; database check passed: ${checked:-no})"
	cat "$3"
	kill "$daemon_pid" 2>/dev/null
	return 1
}
