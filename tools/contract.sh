#!/bin/sh
# Usage: contract.sh ACCORD_BIN DB [REPLAY] — starts the daemon on a free port,
# validates every response it gives against openapi.yaml
# (tests/contract/validate.mjs), and requires a clean exit on SIGTERM.
set -eu
bin=$1
db=$2
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp /tmp/accord-contract-XXXXXX)
if [ ! -d "$root/tests/contract/node_modules/ajv" ]; then
	(cd "$root/tests/contract" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
fi
"$bin" serve --db "$db" --host 127.0.0.1 --port 0 2>"$log" &
pid=$!
# It listens (its log gives the port), then serves data once its database
# has passed the full check (data routes answer 503 until then; the log
# says "checked"): wait for both events, up to a deadline far beyond them
# (ten times longer under valgrind or the sanitizers).
limit=60
[ -n "${ACCORD_SANITIZED:-}" ] && limit=600
deadline=$(($(date +%s) + limit))
port=""
checked=""
while [ "$(date +%s)" -le "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
	port=$(sed -n 's/.*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$log" | head -1)
	checked=""
	grep -q '"event":"checked"' "$log" && checked=yes
	[ -n "$port" ] && [ -n "$checked" ] && break
	sleep 0.05
done
if [ -z "$port" ] || [ -z "$checked" ]; then
	echo "contract: the daemon did not serve within ${limit}s (port:" \
	    "${port:-none}; database check passed: ${checked:-no})"
	cat "$log"; kill "$pid" 2>/dev/null; exit 1
fi
status=0
node "$root/tools/openapi-json.mjs" --check || status=1
if [ -n "${3:-}" ]; then
	node "$root/tests/contract/validate.mjs" "http://127.0.0.1:$port" \
	    "$root/openapi.yaml" --replay "$3" || status=1
else
	node "$root/tests/contract/validate.mjs" "http://127.0.0.1:$port" \
	    "$root/openapi.yaml" || status=1
fi
kill -TERM "$pid"
if ! wait "$pid"; then
	echo "contract: the daemon did not exit 0 on SIGTERM"; status=1
fi
rm -f "$log"
exit $status
