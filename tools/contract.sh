#!/bin/sh
# Usage: contract.sh ACCORD_BIN DB [REPLAY] — starts the daemon on a free port,
# validates every response it gives against openapi.yaml
# (tests/contract/validate.mjs), and requires a clean exit on SIGTERM.
set -eu
bin=$1
db=$2
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp /tmp/accord-contract-XXXXXX)
if [ ! -d "$root/tests/contract/node_modules/jsonld" ]; then
	(cd "$root/tests/contract" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
fi
. "$root/tools/daemon.sh"
if ! daemon_up "$bin" "$db" "$log"; then
	echo "contract: the daemon did not start"; exit 1
fi
pid=$daemon_pid
port=$daemon_port
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
