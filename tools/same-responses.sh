#!/bin/sh
# Usage: tools/same-responses.sh [BASE]   (BASE: a commit, default HEAD)
#
# Proves that a change of the code leaves every response as it was. For the
# work tree and for BASE (checked out in a scratch worktree), it runs
# `make test`, recording every response the integration tests received
# (ACCORD_RESPONSE_LOG) and every one the contract run received
# (ACCORD_CONTRACT_RECORD), and walks /annotations and every list at page
# sizes 1 and 500 to the last page (tools/responses.mjs walk). Each response
# becomes one line: method, target, status, sha256 of the body and the
# headers that matter (tools/responses.mjs digest). The two sorted lists go
# to /tmp/accord-same-*/{base,work}.sha256. The script exits 1 when a
# response of BASE is not among the work tree's (it changed, or its request
# is no longer made); responses to requests only the work tree's tests make
# are listed, not failed.
#
# A test whose responses depend on timing (503s under load, say) can differ
# from run to run: SAME_RUNS=2 records BASE twice and reports the lines that
# differed between those two runs separately, as noise.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(git -C "$root" rev-parse "${1:-HEAD}")
scratch=$(mktemp -d /tmp/accord-same-XXXXXX)
. "$root/tools/daemon.sh"

# record TREE NAME: the sorted digest of TREE's responses in $scratch/NAME.sha256
record() {
	tree=$1
	name=$2
	(cd "$tree" && rm -f build/responses.jsonl &&
	    ACCORD_CONTRACT_RECORD="$scratch/$name.contract.jsonl" \
	    make test >"$scratch/$name.test.log" 2>&1) ||
	    echo "same-responses: make test failed in $tree (see $scratch/$name.test.log)"
	cp "$tree/build/responses.jsonl" "$scratch/$name.tests.jsonl"
	daemon_up "$tree/build/accord" "$tree/build/accord.db" "$scratch/$name.daemon.log"
	node "$root/tools/responses.mjs" walk "http://127.0.0.1:$daemon_port" \
	    "$scratch/$name.walk.jsonl"
	kill -TERM "$daemon_pid"
	wait "$daemon_pid" || true
	version=$("$tree/build/accord" version | sed 's/^accord \([^ ]*\).*/\1/')
	node "$root/tools/responses.mjs" digest "$version" \
	    "$scratch/$name.tests.jsonl" "$scratch/$name.contract.jsonl" \
	    "$scratch/$name.walk.jsonl" >"$scratch/$name.sha256"
	echo "same-responses: $name: $(wc -l <"$scratch/$name.sha256") responses"
}

git -C "$root" worktree add --detach -q "$scratch/base" "$base"
# The base tree shares the corpus and node modules of the work tree.
[ -d "$root/tests/contract/node_modules" ] &&
    ln -s "$root/tests/contract/node_modules" "$scratch/base/tests/contract/node_modules"
record "$scratch/base" base
noise=/dev/null
if [ "${SAME_RUNS:-1}" = 2 ]; then
	record "$scratch/base" base2
	noise="$scratch/noise.sha256"
	diff "$scratch/base.sha256" "$scratch/base2.sha256" |
	    sed -n 's/^[<>] //p' | sort -u >"$noise" || true
	echo "same-responses: $(wc -l <"$noise") lines differ between two runs of BASE (noise)"
fi
record "$root" work
git -C "$root" worktree remove --force "$scratch/base"
grep -vxF -f "$noise" "$scratch/base.sha256" >"$scratch/base.kept" || true
grep -vxF -f "$noise" "$scratch/work.sha256" >"$scratch/work.kept" || true
# A line of BASE missing from the work tree is a response that changed (or
# a request no longer made); a line only in the work tree is a new request
# (a test added since BASE), listed but not a failure.
comm -23 "$scratch/base.kept" "$scratch/work.kept" >"$scratch/changed"
comm -13 "$scratch/base.kept" "$scratch/work.kept" >"$scratch/added"
if [ -s "$scratch/added" ]; then
	echo "same-responses: $(wc -l <"$scratch/added") responses to requests BASE's tests do not make (new tests):"
	sed 's/^/  + /' "$scratch/added"
fi
if [ ! -s "$scratch/changed" ]; then
	echo "same-responses: identical: all $(wc -l <"$scratch/base.kept") responses of BASE" \
	    "($(sha256sum <"$scratch/base.kept" | cut -c1-16)); lists in $scratch"
	exit 0
fi
echo "same-responses: $(wc -l <"$scratch/changed") responses of BASE differ or are missing:"
sed 's/^/  - /' "$scratch/changed"
echo "lists in $scratch"
exit 1
