#!/bin/sh
# Usage: tools/mutate.sh [-k] [ID...]   (make mutate [MUTANT="ID ..."])
#
# Mutation testing: applies each mutant of tests/mutants.txt to a scratch
# copy of the tree, one at a time, builds it and runs the tests named to
# kill it; records whether they did; restores the file; and prints a table
# and the score. With IDs, only those mutants run. -k keeps the scratch
# directory ($MUTATE_DIR, by default a new one under /tmp) and its logs.
#
# Each mutant is an exact string replacement (see tests/mutants.txt). The
# list is checked before anything is built: a mutant whose text, or anchor,
# is not found exactly once fails the run (exit 2), so that the list cannot
# rot silently as the code changes. MUTANT_LIST names another list.
#
# For each mutant, in order, until one fails:
#   1. the tests it names (binary and suite/test), on the mutated build;
#   2. the rest of that test binary;
#   3. the whole of `make test` (every binary, the fuzz replays, the
#      contract check), on a database loaded by the mutated build.
# A mutant only the 2nd or 3rd step kills is reported as such: its named
# killer is wrong, or missing.
#
# Exit status: 0 when every mutant not marked equivalent was killed; 1 when
# one survived; 2 when the list, the scratch build or a baseline is broken.
# Mutants marked equivalent (with a reason) are not run unless
# MUTATE_EQUIVALENT=1, and do not count in the score. MUTATE_SUITE=1 skips
# the named tests and judges each mutant by the whole of make test.
set -eu
# The scratch tree is built plainly, whatever make this runs under.
unset MAKEFLAGS MFLAGS MAKELEVEL

root=$(cd "$(dirname "$0")/.." && pwd)
list=${MUTANT_LIST:-$root/tests/mutants.txt}
keep=0
if [ "${1:-}" = -k ]; then
	keep=1
	shift
fi
jobs=${MUTATE_JOBS:-2}
limit=${MUTATE_TIMEOUT:-600}	# seconds for one test binary
case "$list" in /*) ;; *) list=$root/$list ;; esac
[ -r "$list" ] || { echo "mutate: cannot read $list" >&2; exit 2; }
command -v perl >/dev/null || { echo "mutate: needs perl" >&2; exit 2; }

work=${MUTATE_DIR:-$(mktemp -d /tmp/accord-mutate-XXXXXX)}
mkdir -p "$work"
tree=$work/tree
defs=$work/defs
log=$work/log
rm -rf "$defs" "$log"
mkdir -p "$defs" "$log"
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "mutate: kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the list
# Blocks of "key: value" lines, one block per mutant, opened by "mutant:".
# Each value is the rest of its line after the colon and the spaces that
# follow it (taken literally: no escapes). Each field goes to its own file,
# defs/NNN/KEY, so that no shell quoting ever touches code.
awk -v defs="$defs" '
function flush() {
	if (n == 0)
		return
	for (k in need)
		if (!((n, k) in have)) {
			printf "%s:%d: mutant %s has no \"%s:\"\n", FILENAME,
			    start, id, k > "/dev/stderr"
			bad = 1
		}
}
/^[ \t]*(#|$)/ { next }
{
	colon = index($0, ":")
	if (colon == 0) {
		printf "%s:%d: not \"key: value\": %s\n", FILENAME, NR,
		    $0 > "/dev/stderr"
		bad = 1
		next
	}
	key = substr($0, 1, colon - 1)
	value = substr($0, colon + 1)
	sub(/^[ \t]+/, "", value)
	if (key == "mutant") {
		flush()
		n++
		start = NR
		id = value
		if (id in seen) {
			printf "%s:%d: mutant %s is listed twice\n", FILENAME,
			    NR, id > "/dev/stderr"
			bad = 1
		}
		seen[id] = 1
		dir = sprintf("%s/%03d", defs, n)
		system("mkdir -p \"" dir "\"")
		key = "id"
	} else if (n == 0) {
		printf "%s:%d: \"%s:\" before the first \"mutant:\"\n",
		    FILENAME, NR, key > "/dev/stderr"
		bad = 1
		next
	} else if (key !~ /^(file|at|from|to|kill|bug|equivalent)$/) {
		printf "%s:%d: unknown key \"%s\"\n", FILENAME, NR,
		    key > "/dev/stderr"
		bad = 1
		next
	}
	if ((n, key) in have) {
		printf "%s:%d: \"%s:\" given twice\n", FILENAME, NR,
		    key > "/dev/stderr"
		bad = 1
	}
	have[n, key] = 1
	printf "%s", value > (dir "/" key)
	close(dir "/" key)
}
BEGIN { need["file"]; need["from"]; need["to"]; need["bug"] }
END {
	flush()
	if (n == 0) {
		print "mutate: the list has no mutant" > "/dev/stderr"
		bad = 1
	}
	exit bad
}' "$list" || { echo "mutate: $list is malformed" >&2; exit 2; }

# Every mutant names its killer (a test binary, then suite/test names), or
# is marked equivalent with a reason.
for d in "$defs"/*; do
	id=$(cat "$d/id")
	if [ ! -s "$d/kill" ] && [ ! -s "$d/equivalent" ]; then
		echo "mutate: mutant $id names no killer (kill:) and is not" \
		    "marked equivalent (with a reason)" >&2
		exit 2
	fi
	if [ -s "$d/kill" ] && [ "$(wc -w < "$d/kill")" -lt 2 ]; then
		echo "mutate: mutant $id: kill: wants a test binary and at" \
		    "least one suite/test" >&2
		exit 2
	fi
done

# apply FILE DEF_DIR: replaces, in FILE, the one occurrence of DEF/from
# (the first after the one occurrence of DEF/at, when given) by DEF/to.
# Exits 3, saying why, when the text is not found exactly so.
apply() {
	perl -e '
	use strict;
	my ($path, $def) = @ARGV;
	sub slurp { my ($f, $must) = @_; local $/; open(my $h, "<", $f)
	    or ($must ? die "cannot read $f\n" : return undef);
	    binmode $h; my $t = <$h>; return defined $t ? $t : ""; }
	sub count { my ($t, $s) = @_; my ($n, $i) = (0, -1);
	    $n++ while ($i = index($t, $s, $i + 1)) >= 0; return $n; }
	my $text = slurp($path, 1);
	my $id = slurp("$def/id", 1);
	my $from = slurp("$def/from", 1);
	my $to = slurp("$def/to", 1);
	my $at = slurp("$def/at", 0);
	my $pos;
	die "mutant $id: from: is empty\n" if $from eq "";
	die "mutant $id: from: and to: are the same\n" if $from eq $to;
	if (defined $at && $at ne "") {
		my $n = count($text, $at);
		die "mutant $id: the anchor (at:) occurs $n times in $path, " .
		    "not once: \"$at\"\n" if $n != 1;
		$pos = index($text, $from, index($text, $at));
		die "mutant $id: from: does not occur after the anchor in " .
		    "$path: \"$from\"\n" if $pos < 0;
	} else {
		my $n = count($text, $from);
		die "mutant $id: from: occurs $n times in $path, not once " .
		    "(add an at: anchor): \"$from\"\n" if $n != 1;
		$pos = index($text, $from);
	}
	substr($text, $pos, length $from) = $to;
	open(my $h, ">", $path) or die "cannot write $path\n";
	binmode $h;
	print $h $text;
	close($h) or die "cannot write $path\n";
	' "$1" "$2" || return 3
}

# ---------------------------------------------------------------- scratch
# A copy of the working tree (tracked and new files, as they are now), with
# its own build directory; node_modules is shared, read-only.
echo "mutate: copying the tree to $tree"
rm -rf "$tree"
mkdir -p "$tree"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard |
	    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
	    tar -C "$tree" -xf -
else
	(cd "$root" && tar --exclude=./build --exclude=node_modules -cf - .) |
	    tar -C "$tree" -xf -
fi
if [ -d "$root/tests/contract/node_modules" ] &&
    [ ! -e "$tree/tests/contract/node_modules" ]; then
	ln -s "$root/tests/contract/node_modules" \
	    "$tree/tests/contract/node_modules"
fi
mkdir -p "$work/pristine"

# Every mutant must apply to the pristine tree: check them all before
# building anything.
broken=0
for d in "$defs"/*; do
	f=$(cat "$d/file")
	if [ ! -f "$tree/$f" ]; then
		echo "mutate: mutant $(cat "$d/id"): no file $f" >&2
		broken=1
		continue
	fi
	cp "$tree/$f" "$work/probe"
	apply "$work/probe" "$d" || broken=1
done
rm -f "$work/probe"
[ "$broken" = 0 ] || { echo "mutate: the list does not apply to the tree;" \
    "fix tests/mutants.txt" >&2; exit 2; }

# The selection: every mutant, or those named.
selected=$work/selected
: > "$selected"
for d in "$defs"/*; do
	id=$(cat "$d/id")
	if [ $# -eq 0 ]; then
		echo "$d" >> "$selected"
		continue
	fi
	for want in "$@"; do
		[ "$want" = "$id" ] && echo "$d" >> "$selected"
	done
done
for want in "$@"; do
	grep -qx "$want" "$defs"/*/id 2>/dev/null ||
	    { echo "mutate: no mutant $want" >&2; exit 2; }
done

# What failed in a make test log: the Criterion tests (suite::test), the
# contract check, the fuzz replays; else the build.
failed_parts() {
	awk '/^== / { part = substr($0, 4) }
	    function add(what) {
		if (!(what in seen)) { seen[what]; out = out sep what; sep = ", " }
	    }
	    /^\[FAIL\] / { name = $2; sub(/:$/, "", name); add(name) }
	    /^contract: .* [1-9][0-9]* failed$/ { add("the contract check") }
	    /^FAIL / && part ~ /^contract/ { add("the contract check") }
	    part ~ /^replay/ && /[Cc]rash|ERROR|failed/ { add(part) }
	    END { print out == "" ? "the build" : out }' "$1"
}

mk() {
	make -C "$tree" -s -j"$jobs" VERSION=mutate "$@"
}

# The tests a mutant names, as one Criterion filter: "suite/@(a|b)" when
# they share a suite, else "@(s/a|t/b)".
filter_of() {
	shift	# the binary
	if [ $# -eq 1 ]; then
		echo "$1"
	else
		printf '@(%s)\n' "$(echo "$@" | tr ' ' '|')"
	fi
}

# run_tests BINARY [FILTER]: runs a test binary of the scratch build on the
# pristine database; returns its status (0: every test passed).
run_tests() {
	bin=$1
	if [ -n "${2:-}" ]; then
		set -- --filter "$2"
	else
		set --
	fi
	ACCORD_BIN=$tree/build/accord ACCORD_DB=$work/pristine.db \
	    ACCORD_ROOT=$tree timeout "$limit" \
	    "$tree/build/tests/$bin" --jobs "$jobs" "$@"
}

echo "mutate: building the pristine tree"
start_all=$(date +%s)
binaries=$(awk '{ print $1 }' "$defs"/*/kill 2>/dev/null | sort -u)
# MUTATE_SUITE=1: judge every mutant by the whole of make test alone, as if
# it named no killer (to see what the suite catches without a test).
[ "${MUTATE_SUITE:-0}" = 1 ] && binaries=""
mk all $(for b in $binaries; do echo "build/tests/$b"; done) \
    > "$log/baseline-build" 2>&1 ||
    { cat "$log/baseline-build"; echo "mutate: the pristine tree does not" \
    "build" >&2; exit 2; }
cp "$tree/build/accord.db" "$work/pristine.db"

# Each named killer exists and passes on the pristine tree (a test that
# fails anyway kills nothing).
echo "mutate: checking the named tests on the pristine tree"
for b in $binaries; do
	"$tree/build/tests/$b" --list 2>&1 | awk '
	    /^[^ ]+: [0-9]+ tests?$/ { suite = substr($1, 1, length($1) - 1) }
	    /── / { sub(/.*── /, ""); print suite "/" $0 }' > "$work/tests-$b"
done
for d in $(cat "$selected"); do
	[ -s "$d/kill" ] && [ -n "$binaries" ] || continue
	set -- $(cat "$d/kill")
	b=$1
	shift
	for t in "$@"; do
		grep -qxF "$t" "$work/tests-$b" || { echo "mutate: mutant" \
		    "$(cat "$d/id"): $b has no test $t" >&2; exit 2; }
	done
done
baseline_failed=0
for b in $binaries; do
	names=$(for d in $(cat "$selected"); do
		[ -s "$d/kill" ] || continue
		set -- $(cat "$d/kill")
		[ "$1" = "$b" ] || continue
		shift
		echo "$@"
	done | tr ' ' '\n' | sort -u | tr '\n' ' ')
	[ -n "$names" ] || continue
	if ! run_tests "$b" "$(filter_of "$b" $names)" \
	    > "$log/baseline-$b" 2>&1; then
		cat "$log/baseline-$b"
		echo "mutate: named tests of $b fail on the pristine tree" >&2
		baseline_failed=1
	fi
done
[ "$baseline_failed" = 0 ] || exit 2

# ---------------------------------------------------------------- mutants
results=$work/results
: > "$results"
total=0 killed=0 survived=0 equivalent=0 errors=0
for d in $(cat "$selected"); do
	id=$(cat "$d/id")
	file=$(cat "$d/file")
	total=$((total + 1))
	if [ -s "$d/equivalent" ] && [ "${MUTATE_EQUIVALENT:-0}" != 1 ]; then
		equivalent=$((equivalent + 1))
		printf '%s\t%s\tequivalent\t-\t0\n' "$id" "$file" >> "$results"
		continue
	fi
	t0=$(date +%s)
	cp "$tree/$file" "$work/pristine/file"
	apply "$tree/$file" "$d"
	status=survived by=-
	set -- $(cat "$d/kill" 2>/dev/null)
	[ -n "$binaries" ] || set --
	bin=${1:-}
	[ $# -gt 0 ] && shift
	printf 'mutate: %-38s ' "$id"
	if [ -n "$bin" ] && ! mk build/accord "build/tests/$bin" \
	    > "$log/$id.build" 2>&1; then
		status=broken by="does not build: see $log/$id.build"
		[ "$keep" = 1 ] || by="does not build"
	elif [ -n "$bin" ] && ! run_tests "$bin" "$(filter_of "$bin" "$@")" \
	    > "$log/$id.named" 2>&1; then
		status=killed by="$bin $*"
	elif [ -n "$bin" ] && ! run_tests "$bin" > "$log/$id.module" 2>&1; then
		status=killed by="$bin (another test than those named)"
	elif ! make -C "$tree" -j"$jobs" VERSION=mutate test \
	    > "$log/$id.suite" 2>&1; then
		status=killed by="make test only: $(failed_parts "$log/$id.suite")"
	fi
	# Restore: a copy (a new mtime), so that make rebuilds from it.
	cp "$work/pristine/file" "$tree/$file"
	t1=$(date +%s)
	[ -s "$d/equivalent" ] && [ "$status" = survived ] && status=equivalent
	case $status in
	killed) killed=$((killed + 1)) ;;
	survived) survived=$((survived + 1)) ;;
	equivalent) equivalent=$((equivalent + 1)) ;;
	*) errors=$((errors + 1)) ;;
	esac
	echo "$status ($((t1 - t0)) s)"
	printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$file" "$status" "$by" \
	    "$((t1 - t0))" >> "$results"
done
# Leave the scratch build as pristine as it began.
mk all > /dev/null 2>&1 || true

# ---------------------------------------------------------------- report
end_all=$(date +%s)
echo
printf '%-38s %-19s %-10s %4s  %s\n' MUTANT FILE RESULT SECS "KILLED BY"
awk -F '\t' '{ printf "%-38s %-19s %-10s %4s  %s\n", $1, $2, $3, $5, $4 }' \
    "$results"
echo
for d in $(cat "$selected"); do
	id=$(cat "$d/id")
	if grep -q "^$id	[^	]*	survived" "$results"; then
		echo "SURVIVED $id ($(cat "$d/file")): $(cat "$d/bug")"
	fi
	if [ -s "$d/equivalent" ] &&
	    grep -q "^$id	[^	]*	killed" "$results"; then
		echo "NOTE $id is marked equivalent but was killed: remove" \
		    "the mark"
	fi
done
scored=$((total - equivalent))
if [ "$scored" -gt 0 ]; then
	score=$(awk -v k="$killed" -v n="$scored" \
	    'BEGIN { printf "%.1f", 100 * k / n }')
else
	score=100.0
fi
echo "mutation score: $killed/$scored killed ($score%), $survived survived," \
    "$equivalent equivalent, $errors broken; $((end_all - start_all)) s"
[ "$errors" -eq 0 ] || exit 2
[ "$survived" -eq 0 ] || exit 1
exit 0
