#!/bin/sh
# Usage: tools/lint.sh — the structural rules of server/ (issue 14):
#   - no function longer than 60 lines, except the declarative tables and
#     the daemon's option list (listed in tools/lint-allow.txt, each with
#     its reason);
#   - no file longer than 800 lines;
#   - no function defined and never called (cppcheck's unusedFunction,
#     over server/ and the tests and fuzz targets that call it).
# Prints each violation and exits 1 if there is any.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0
allow=tools/lint-allow.txt
# Function lengths: universal-ctags gives each definition's first and last
# line.
ctags --c-kinds=f --fields=+ne -o - server/*.c | awk -F'\t' -v allow="$allow" '
	BEGIN { while ((getline line < allow) > 0) if (line !~ /^#/ && line != "") { split(line, a, " "); ok[a[1]] = 1 } }
	{
		start = end = 0
		for (i = 4; i <= NF; i++) {
			if ($i ~ /^line:/) start = substr($i, 6)
			if ($i ~ /^end:/) end = substr($i, 5)
		}
		n = end - start + 1
		if (n > 60 && !(($2 ":" $1) in ok)) {
			printf "%s:%d: %s is %d lines (at most 60)\n", $2, start, $1, n
			bad = 1
		}
	}
	END { exit bad }' || status=1
for f in server/*.c server/*.h; do
	n=$(wc -l <"$f")
	if [ "$n" -gt 800 ]; then
		echo "$f: $n lines (at most 800)"
		status=1
	fi
done
# Unused functions: the whole program, its tests and fuzz targets (which
# call some functions only they need), as one cppcheck run.
out=$(cppcheck --quiet --enable=unusedFunction --inline-suppr \
    --suppress=missingIncludeSystem -D_GNU_SOURCE -Iserver \
    -I"build/gen" server tests fuzz 2>&1 | grep 'unusedFunction' || true)
if [ -n "$out" ]; then
	echo "$out"
	status=1
fi
[ "$status" -eq 0 ] && echo "lint: server/ keeps its structural rules"
exit $status
