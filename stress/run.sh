#!/bin/sh
# make stress: replays the stress campaign against accord on a scaled
# corpus (tampered and replaced databases, a SIGHUP storm, the response
# cache, slowloris, pipelining and non-reading clients, heavy queries, a
# connection flood, a soak), judges each experiment, writes the figures
# into BENCHMARKS.md (the section between the stress markers) and exits 1
# if any verdict fails. Not part of `make test`. BENCHMARKS.md says what
# each experiment does and what it must show.
#
# Every daemon runs on a free loopback port, is started fresh for each
# experiment, and is stopped by the PID this script started, however the
# script exits. All traffic goes to 127.0.0.0/8 and every load is bounded
# in time. Raw output: build/stress/raw/.
set -eu
cd "$(dirname "$0")/.."

# What the caller set, for the report's command line.
GIVEN=$(env | grep '^STRESS_' | sort | tr '\n' ' ' || true)

: "${STRESS_SECONDS:=20}"	# each load experiment
: "${STRESS_SOAK_SECONDS:=120}"	# the soak
: "${STRESS_SCALE:=200}"	# corpus: bench/gen.mjs --scale
: "${STRESS_EXPERIMENTS:=tampered released cache storm slowloris pipeline heavy annotations flood soak}"
: "${STRESS_ACCORD:=}"		# a binary to test instead of make's build/accord
: "${STRESS_REPORT=BENCHMARKS.md}"	# where the figures go ("": nowhere)
: "${STRESS_HEADER_TIMEOUT:=10}"	# the daemon's --header-timeout default (s)
: "${STRESS_SLACK:=5}"		# seconds allowed past it
: "${STRESS_HEALTHZ_MAX_MS:=1000}"	# the most any /healthz may take
: "${STRESS_RSS_GROWTH_MB:=128}"	# the most the non-readers may add
: "${STRESS_PAGE_MAX_MB:=8}"	# the largest /annotations answer allowed
: "${STRESS_QUERY_TIMEOUT_MS:=2000}"	# the daemon's --query-timeout default
: "${STRESS_READY_TIMEOUT:=180}"	# seconds a daemon may take to be ready
: "${STRESS_SLOWLORIS_CONNS:=1000}"
: "${STRESS_PIPELINE_CONNS:=500}"
: "${STRESS_PIPELINE_DEPTH:=20}"
: "${STRESS_HEAVY_CLIENTS:=20}"
: "${STRESS_NONREADERS:=12}"
: "${STRESS_FLOOD_IDLE:=2000}"
: "${STRESS_CACHE_SEARCHES:=500}"
: "${STRESS_CACHE_BYTES:=25165824}"	# the daemon's --cache-bytes default

OUT=build/stress
RAW=$OUT/raw
BIN=$OUT/bin
WORK=$OUT/work
T0=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log() { printf '== [%ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() { echo "stress: $*" >&2; exit 2; }

# ---- tools and build ---------------------------------------------------
need=""
command -v curl >/dev/null 2>&1 || need="$need curl"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
command -v cc >/dev/null 2>&1 || need="$need build-essential"
command -v node >/dev/null 2>&1 || need="$need nodejs"
if [ -n "$need" ]; then
	log "installing:$need"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    --no-install-recommends $need
fi
rm -rf "$RAW" "$WORK"
mkdir -p "$RAW" "$BIN" "$WORK"
if [ -z "$STRESS_ACCORD" ]; then
	log "make build/accord build/accord.db"
	make build/accord build/accord.db
	STRESS_ACCORD=build/accord
	FROM="make build/accord at $(git describe --always --dirty 2>/dev/null || echo ?)"
else
	FROM="STRESS_ACCORD=$STRESS_ACCORD"
fi
# Snapshots, so that a rebuild during the run changes nothing measured.
cp "$STRESS_ACCORD" "$BIN/accord"
ACCORD=$BIN/accord
HAMMER=$BIN/hammer
cc -std=c17 -O2 -Wall -Wextra -pthread -o "$HAMMER" stress/hammer.c
VERSION=$("$ACCORD" version)
# The bundled corpus, loaded by the binary under test.
"$ACCORD" load --data data --db "$WORK/real.db" > "$RAW/load-real.txt" 2>&1 ||
	die "accord load of data/ failed: see $RAW/load-real.txt"

# ---- the scaled corpus -------------------------------------------------
GEN=$OUT/gen$STRESS_SCALE
STAMP=$(sha256sum bench/gen.mjs | cut -c1-64)
if [ "$(cat "$GEN/STAMP" 2>/dev/null)" != "$STAMP" ]; then
	log "generating the ${STRESS_SCALE}x corpus"
	rm -rf "$GEN"
	node bench/gen.mjs --scale "$STRESS_SCALE" --out "$GEN"
	echo "$STAMP" > "$GEN/STAMP"
fi
DB=$WORK/scale.db
log "accord load (${STRESS_SCALE}x: $(ls "$GEN/corpus" | wc -l) articles)"
t=$(date +%s)
"$ACCORD" load --data "$GEN" --db "$DB" > "$RAW/load-scale.txt" 2>&1 ||
	die "accord load of $GEN failed: see $RAW/load-scale.txt"
LOAD_S=$(($(date +%s) - t))

# ---- processes ---------------------------------------------------------
PIDS=""
cleanup() {
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	PIDS=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM
forget() {
	rest=""
	for p in $PIDS; do [ "$p" = "$1" ] || rest="$rest $p"; done
	PIDS=$rest
}
free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
# A line of the log $1 holding event $2, counted: how many.
events() { grep -a -c "\"event\":\"$2\"" "$1" 2>/dev/null || true; }
# start NAME DB [ARGS...]: starts accord on a free port; sets DPID, DPORT,
# DLOG, BASE. Waits (at most 10 s) for its "listening" event or its exit;
# returns 1 if it exited (then DRC is its status).
start() {
	name=$1 db=$2
	shift 2
	DLOG=$RAW/$name.log
	for try in 1 2 3; do
		DPORT=$(free_port)
		"$ACCORD" serve --db "$db" --host 127.0.0.1 --port "$DPORT" "$@" \
		    2> "$DLOG" &
		DPID=$!
		PIDS="$PIDS $DPID"
		BASE=http://127.0.0.1:$DPORT
		i=0
		while [ "$(events "$DLOG" listening)" = 0 ]; do
			if ! kill -0 "$DPID" 2>/dev/null; then
				DRC=0
				wait "$DPID" || DRC=$?
				forget "$DPID"
				grep -q 'Address already in use' "$DLOG" && continue 2
				return 1
			fi
			i=$((i + 1))
			[ $i -lt 200 ] || die "$name: accord never listened (see $DLOG)"
			sleep 0.05
		done
		return 0
	done
	die "$name: no free port in 3 tries"
}
# Until /readyz answers 200 and the log has the "checked" event (the full
# check passed), at most STRESS_READY_TIMEOUT s. Sets READY_MS; returns 1
# if the daemon exited or never got there.
ready() {
	rt=$(date +%s%N)
	until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/readyz" || true)" = 200 ] &&
	    [ "$(events "$DLOG" checked)" != 0 ]; do
		kill -0 "$DPID" 2>/dev/null || return 1
		[ $(( ($(date +%s%N) - rt) / 1000000000 )) -lt "$STRESS_READY_TIMEOUT" ] ||
			return 1
		sleep 0.05
	done
	READY_MS=$(( ($(date +%s%N) - rt) / 1000000 ))
}
# Stops the daemon: SIGTERM, at most 30 s for it to drain, then SIGKILL.
stop() {
	kill -TERM "$DPID" 2>/dev/null || true
	i=0
	while kill -0 "$DPID" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$DPID" 2>/dev/null || true
	wait "$DPID" 2>/dev/null || true
	forget "$DPID"
}
# Until the log $1 has more than $3 events $2, at most $4 s.
wait_event() {
	i=0
	while [ "$(events "$1" "$2")" -le "$3" ]; do
		i=$((i + 1))
		[ $i -lt $(($4 * 20)) ] || return 1
		sleep 0.05
	done
}
# hammer NAME MODE ARGS...: the attack against the current daemon; LINE is
# its RESULT line.
hammer() {
	name=$1
	shift
	"$HAMMER" "$@" port="$DPORT" pid="$DPID" series="$RAW/$name.rss" \
	    > "$RAW/$name.out" \
	    2> "$RAW/$name.err" || true
	LINE=$(grep '^RESULT ' "$RAW/$name.out" || echo "RESULT")
	echo "   $LINE" | cut -c1-400
}
v() { echo "$LINE" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
num() { x=$(v "$1"); echo "${x:-0}"; }
# awk comparisons of decimals: gt A B (A > B)
gt() { awk "BEGIN{exit !(($1) > ($2))}"; }
fds() { ls "/proc/$DPID/fd" 2>/dev/null | wc -l; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$DPID/status" 2>/dev/null || echo 0; }
metric() {	# NAME [LABELS]: a value from /metrics, empty when absent
	curl -s --max-time 10 "$BASE/metrics" |
	    awk -v n="$1" -v l="${2:-}" '$1 == n l {print $2; exit}'
}
code() { curl -s -o "${2:-/dev/null}" -w "%{http_code}" --max-time 30 "$BASE$1" || true; }

# ---- verdicts and rows -------------------------------------------------
printf 'experiment\tseconds\tnew_p50\tnew_p99\tnew_max\tka_max\terrors\trss\tverdict\tnotes\n' \
    > "$OUT/results.tsv"
FAILED=0
begin() {
	EXP=$1
	VERDICT=PASS
	WHY=""
	NOTES=""
	LINE="RESULT"
	ERRS=0
	log "$EXP"
}
fail() { VERDICT=FAIL; WHY="${WHY:+$WHY; }$*"; }
note() { NOTES="${NOTES:+$NOTES; }$*"; }
# The probes' verdict: every /healthz answered 200 within the limit.
probes() {
	if [ -z "$(v new_n)" ]; then
		fail "the attack tool printed no result (see $RAW/$EXP.err)"
		return 0
	fi
	ne=$(num new_err) ke=$(num ka_err)
	ERRS=$((ERRS + ne + ke))
	if gt "$(num new_max)" "$STRESS_HEALTHZ_MAX_MS" ||
	    gt "$(num ka_max)" "$STRESS_HEALTHZ_MAX_MS" || [ $((ne + ke)) != 0 ]; then
		fail "/healthz took up to $(num new_max) ms on a new connection and $(num ka_max) ms on a kept one ($((ne + ke)) of $(($(num new_n) + $(num ka_n))) failed or unanswered; limit ${STRESS_HEALTHZ_MAX_MS} ms)"
	fi
	[ "$(v alive)" != 0 ] || fail "the daemon died"
}
row() {	# SECONDS
	if [ "$LINE" = RESULT ] || [ -z "$(v new_n)" ]; then
		p50=- p99=- pmax=- kmax=-
	else
		p50=$(v new_p50) p99=$(v new_p99) pmax=$(v new_max) kmax=$(v ka_max)
	fi
	if [ -n "$(v rss_start_kb)" ]; then
		rss="$(($(v rss_start_kb) / 1024)) → $(($(v rss_peak_kb) / 1024))"
	else
		rss=-
	fi
	text=$NOTES
	[ -z "$WHY" ] || text="FAILED: $WHY${NOTES:+. $NOTES}"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$EXP" "$1" "$p50" \
	    "$p99" "$pmax" "$kmax" "$ERRS" "$rss" "$VERDICT" \
	    "$(echo "$text" | tr '\t|' '  ')" >> "$OUT/results.tsv"
	echo "   $VERDICT${WHY:+: $WHY}"
	[ "$VERDICT" = PASS ] || FAILED=$((FAILED + 1))
}
# An experiment whose daemon never became ready.
not_ready() {
	fail "the daemon on the ${STRESS_SCALE}x database was not ready within ${STRESS_READY_TIMEOUT} s (see $DLOG)"
	stop
	row -
}
# A fresh daemon on a copy of the scaled database; 1 when not ready.
fresh() {
	cp "$DB" "$WORK/$1.db"
	start "$1" "$WORK/$1.db" || true
	ready || { not_ready; return 1; }
	note "ready in $READY_MS ms"
}

# ---- experiments -------------------------------------------------------
LIMIT_S=$((STRESS_HEADER_TIMEOUT + STRESS_SLACK))
HEAVY_Q='a* OR b* OR c* OR d* OR e* OR f* OR g* OR h* OR i* OR j* OR k* OR l* OR m* OR n* OR o* OR p* OR q* OR r* OR s* OR t* OR u* OR v* OR w* OR x* OR y* OR z*'

# A database whose span text was edited must never be served: refused on
# SIGHUP (reload_refused, the old data kept) and at start.
tampered() {
	begin tampered
	t=$(date +%s)
	T=$WORK/tampered.db
	cp "$DB" "$T"
	pick=$(sqlite3 "$T" "SELECT s.id || ' ' || e.outcome_id FROM span s
	    JOIN outcome_evidence e ON e.span_id = s.id
	    WHERE s.exact GLOB '*[a-z]*' ORDER BY s.id LIMIT 1")
	sid=${pick%% *} oid=${pick#* }
	# Same length in code points and bytes (ASCII upper case), so that
	# every CHECK holds; delete and insert, as span_immutable forbids
	# UPDATE. The file's header, size and schema stay sound.
	sqlite3 "$T" "CREATE TEMP TABLE t AS SELECT * FROM span WHERE id = $sid;
	    DELETE FROM span WHERE id = $sid;
	    INSERT INTO span (id, source_id, cp_start, cp_end, byte_start,
	        byte_end, utf16_start, utf16_end, exact, prefix, suffix)
	    SELECT id, source_id, cp_start, cp_end, byte_start, byte_end,
	        utf16_start, utf16_end, upper(exact), prefix, suffix FROM t;"
	note "span $sid of /outcomes/$oid upper-cased"
	if "$ACCORD" check --db "$T" > "$RAW/tampered-check.txt" 2>&1; then
		fail "accord check accepts the tampered file: the edit is not one accord can see (a fault of this tool)"
	fi
	# 1. SIGHUP from a sound database to the tampered one.
	cp "$DB" "$WORK/tamper-live.db"
	start tampered-sighup "$WORK/tamper-live.db" || true
	if ready; then
		code "/outcomes/$oid" "$WORK/good.json" > /dev/null
		cp "$T" "$WORK/tamper-live.db.new"
		mv "$WORK/tamper-live.db.new" "$WORK/tamper-live.db"
		refused=$(events "$DLOG" reload_refused)
		reloaded=$(events "$DLOG" reloaded)
		kill -HUP "$DPID" 2>/dev/null || true
		i=0
		while [ "$(events "$DLOG" reload_refused)" = "$refused" ] &&
		    [ "$(events "$DLOG" reloaded)" = "$reloaded" ] && [ $i -lt 2400 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		if [ "$(events "$DLOG" reloaded)" != "$reloaded" ]; then
			fail "SIGHUP swapped in the tampered file"
		elif [ "$(events "$DLOG" reload_refused)" = "$refused" ]; then
			fail "no reload_refused (nor reloaded) within 120 s of the SIGHUP"
		else
			note "SIGHUP: reload_refused after $((i * 50)) ms"
		fi
		c=$(code "/outcomes/$oid" "$WORK/after.json")
		if [ "$c" != 200 ] || ! cmp -s "$WORK/good.json" "$WORK/after.json"; then
			fail "after the SIGHUP /outcomes/$oid answered $c, not the sound data"
		fi
	else
		fail "the daemon on the sound database was not ready"
	fi
	stop
	# 2. A daemon started on the tampered file: it must exit non-zero,
	# or never report ready nor serve the edited span.
	cp "$T" "$WORK/tamper-start.db"
	if ! start tampered-start "$WORK/tamper-start.db"; then
		[ "$DRC" != 0 ] && note "start: refused before listening (exit $DRC)" ||
			fail "start: exited 0"
	else
		t1=$(date +%s)
		outcome=""
		while [ -z "$outcome" ]; do
			if ! kill -0 "$DPID" 2>/dev/null; then
				DRC=0
				wait "$DPID" || DRC=$?
				forget "$DPID"
				[ "$DRC" != 0 ] && outcome="exit $DRC" || outcome="exit 0"
				break
			fi
			if [ "$(code /readyz)" = 200 ]; then
				outcome=ready
			elif [ "$(code "/outcomes/$oid" "$WORK/served.json")" = 200 ] &&
			    ! cmp -s "$WORK/good.json" "$WORK/served.json"; then
				outcome=served
			elif [ $(($(date +%s) - t1)) -ge "$STRESS_READY_TIMEOUT" ]; then
				outcome=never
			else
				sleep 0.1
			fi
		done
		case $outcome in
		"exit 0") fail "start: the daemon on the tampered file exited 0" ;;
		exit*) note "start: $outcome after $(($(date +%s) - t1)) s ($(grep -a -o '"event":"check_failed"' "$DLOG" | head -1 || true))" ;;
		ready) fail "start: /readyz answered 200 on the tampered file" ;;
		served) fail "start: /outcomes/$oid served the edited span" ;;
		never) note "start: never ready in ${STRESS_READY_TIMEOUT} s" ;;
		esac
		kill -0 "$DPID" 2>/dev/null && stop
	fi
	row $(($(date +%s) - t))
}

# After a SIGHUP has swapped in a new file, the replaced file (deleted by
# the load's rename) is not held open once the first check has ended.
released() {
	begin released
	t=$(date +%s)
	fresh released || return 0
	L=$(realpath "$WORK/released.db")
	before=$(curl -s "$BASE/version" || true)
	reloaded=$(events "$DLOG" reloaded)
	"$ACCORD" load --data data --db "$L" > "$RAW/released-load.txt" 2>&1 ||
		die "accord load to $L failed"
	kill -HUP "$DPID" 2>/dev/null || true
	if ! wait_event "$DLOG" reloaded "$reloaded" 120; then
		fail "no reloaded event within 120 s of the SIGHUP ($(events "$DLOG" reload_refused) reload_refused)"
	fi
	wait_event "$DLOG" checked 0 60 || fail "no checked event"
	[ "$(curl -s "$BASE/version")" != "$before" ] ||
		fail "/version is unchanged: the new file is not served"
	# Requests on new connections, so that every worker has met the new
	# database.
	for _ in $(seq 1 20); do
		curl -s -o /dev/null "$BASE/sources?limit=1" || true
		curl -s -o /dev/null "$BASE/outcomes?limit=1" || true
	done
	i=0
	while held=$(ls -l "/proc/$DPID/fd" 2>/dev/null | grep -c -F "$L (deleted)"); [ "$held" != 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ls -l "/proc/$DPID/fd" > "$RAW/released-fds.txt" 2>&1 || true
	if [ "$held" != 0 ]; then
		fail "$held descriptors still open on the replaced file ($L (deleted)) 10 s after the swap"
	else
		note "no descriptor on the replaced file"
	fi
	stop
	row $(($(date +%s) - t))
}

# 500 distinct searches: the cache must evict (LRU), say so in /metrics,
# and still cache a new search.
cache() {
	begin cache
	t=$(date +%s)
	fresh cache || return 0
	hammer cache searches n="$STRESS_CACHE_SEARCHES" clients=2 query=china \
	    seconds=600
	probes
	ERRS=$((ERRS + $(num other_status) + $(num broken) + $(num s503)))
	mb=$(($(num bytes) / 1048576))
	note "$(num ok) searches, $mb MB of bodies"
	[ $(($(num bytes))) -gt $((STRESS_CACHE_BYTES + STRESS_CACHE_BYTES / 4)) ] ||
		note "WARNING: the searches returned too little to fill the cache"
	ev=$(metric accord_cache_evictions_total)
	if [ -z "$ev" ]; then
		fail "/metrics has no accord_cache_evictions_total"
	elif [ "$ev" = 0 ]; then
		fail "no eviction after $STRESS_CACHE_SEARCHES distinct searches"
	else
		note "$ev evictions"
	fi
	for r in hit miss; do
		[ -n "$(metric accord_cache_lookups_total "{result=\"$r\"}")" ] ||
			fail "/metrics has no accord_cache_lookups_total{result=\"$r\"}"
	done
	hits() {
		h=$(metric accord_cache_lookups_total '{result="hit"}')
		echo "${h:-0}"
	}
	q="/search?q=china%20OR%20zqfresh$$&limit=100"
	h0=$(hits)
	c1=$(code "$q")
	h1=$(hits)
	c2=$(code "$q")
	h2=$(hits)
	if [ "$c1" != 200 ] || [ "$c2" != 200 ]; then
		fail "the new search answered $c1 then $c2"
	elif [ "$h2" -le "$h1" ]; then
		fail "a new search is not a cache hit on repeat (hits $h0, $h1, $h2)"
	else
		note "a new search is a hit on repeat"
	fi
	bytes=$(metric accord_cache_bytes)
	if [ -n "$bytes" ] && [ "${bytes%.*}" -gt "$STRESS_CACHE_BYTES" ]; then
		fail "the cache holds $bytes bytes, over its $STRESS_CACHE_BYTES"
	fi
	stop
	row $(($(date +%s) - t))
}

# A SIGHUP every 100 ms for STRESS_SECONDS, the file in place switching
# between the scaled and the bundled database before each one, while 4
# clients read: every answer a 200 whose body one of the two gives.
STORM_PATHS='/outcomes?limit=5
/claims?limit=10&sort=-corroboration
/participants?limit=20&sort=name
/sources?limit=3
/agreements?limit=5
/search?q=china
/version'
storm() {
	begin storm
	t=$(date +%s)
	echo "$STORM_PATHS" > "$WORK/storm.paths"
	A=$WORK/storm-a.db B=$WORK/storm-b.db L=$WORK/storm-live.db
	cp "$DB" "$A"
	cp "$WORK/real.db" "$B"
	# Each database's bodies.
	for which in b a; do
		eval "f=\$$(echo $which | tr ab AB)"
		start "storm-$which" "$f" || true
		ready || { not_ready; return 0; }
		"$HAMMER" hashes port="$DPORT" paths="$WORK/storm.paths" > "$WORK/storm-$which.hashes"
		stop
	done
	if awk -F'\t' '$2 != 200' "$WORK/storm-a.hashes" "$WORK/storm-b.hashes" | grep -q .; then
		fail "setup: a path does not answer 200: $(awk -F'\t' '$2 != 200 {print $1}' "$WORK/storm-a.hashes" "$WORK/storm-b.hashes" | head -1)"
	fi
	paste "$WORK/storm-a.hashes" "$WORK/storm-b.hashes" |
	    awk -F'\t' '{print $1 "\t" $3 "\t" $7}' > "$WORK/storm.allowed"
	ln -f "$A" "$L"
	start storm "$L" || true
	ready || { not_ready; return 0; }
	hammer storm storm allowed="$WORK/storm.allowed" live="$L" a="$A" b="$B" \
	    hup_ms=100 clients=4 seconds="$STRESS_SECONDS"
	probes
	ERRS=$((ERRS + $(num other_status) + $(num broken) + $(num s503) + $(num mismatch)))
	reloads=$(events "$DLOG" reloaded)
	note "$(num hups) SIGHUPs, $reloads reloaded, $(events "$DLOG" reload_refused) refused; $(num ok) answers"
	[ "$(num mismatch)" = 0 ] || fail "$(num mismatch) bodies that neither database gives"
	[ $(($(num other_status) + $(num s503))) = 0 ] ||
		fail "$(($(num other_status) + $(num s503))) answers not 200"
	[ "$(num broken)" = 0 ] || fail "$(num broken) replies cut off or never sent"
	[ "$(num ok)" != 0 ] || fail "no request was answered"
	[ "$reloads" != 0 ] || fail "no SIGHUP swapped a database in"
	# Settled: one more SIGHUP to the file now in place, which must then
	# be what is served.
	n=$(($(events "$DLOG" reloaded) + $(events "$DLOG" reload_refused)))
	kill -HUP "$DPID" 2>/dev/null || true
	i=0
	while [ $(($(events "$DLOG" reloaded) + $(events "$DLOG" reload_refused))) -le $n ] && [ $i -lt 2400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(stat -c %i "$L")" = "$(stat -c %i "$A")" ] && col=3 || col=7
	"$HAMMER" hashes port="$DPORT" paths="$WORK/storm.paths" > "$WORK/storm-end.hashes" || true
	if ! paste "$WORK/storm-end.hashes" "$WORK/storm-a.hashes" "$WORK/storm-b.hashes" |
	    awk -F'\t' -v c=$col '{ if ($3 != $(c + 4)) bad = 1 } END { exit bad }'; then
		fail "after the storm and a last SIGHUP, the file in place is not what is served"
	fi
	kill -0 "$DPID" 2>/dev/null || fail "the daemon died"
	stop
	row $(($(date +%s) - t))
}

# 1,000 connections from 127.0.0.2..11 sending one header line every 5 s:
# each must be closed within the header timeout and slack.
slowloris() {
	begin slowloris
	fresh slowloris || return 0
	s=$STRESS_SECONDS
	[ "$s" -ge $((LIMIT_S + 5)) ] || s=$((LIMIT_S + 5))
	hammer slowloris slowloris conns="$STRESS_SLOWLORIS_CONNS" addrs=10 \
	    interval_ms=5000 limit_ms=$((LIMIT_S * 1000)) seconds="$s"
	probes
	note "$(num opened) opened, $(num closed_by_server) closed by the server, longest lived $(v life_max) ms (lifetimes from connect, time waiting to be accepted included)"
	[ "$(num open_over_limit)" = 0 ] ||
		fail "$(num open_over_limit) connections still open after ${LIMIT_S} s (oldest $(v oldest_open_ms) ms)"
	if gt "$(num life_max)" $((LIMIT_S * 1000)); then
		fail "a connection lived $(v life_max) ms before the server closed it"
	fi
	[ "$(num closed_by_server)" != 0 ] || fail "the server closed no slowloris connection"
	stop
	row "$s"
}

# 500 connections each pipelining 20 distinct searches, reading nothing.
pipeline() {
	begin pipeline
	fresh pipeline || return 0
	hammer pipeline pipeline conns="$STRESS_PIPELINE_CONNS" \
	    depth="$STRESS_PIPELINE_DEPTH" query='t*' seconds="$STRESS_SECONDS"
	probes
	note "$(num connected) connections, $(num requests) requests written, $(num closed_by_server) closed by the server"
	stop
	row "$STRESS_SECONDS"
}

# 20 keep-alive clients repeating the most expensive search.
heavy() {
	begin heavy
	fresh heavy || return 0
	one=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 --get \
	    --data-urlencode "q=$HEAVY_Q OR zqalone" --data-urlencode limit=100 "$BASE/search" ||
	    true)
	note "the search alone: ${one#* } s (${one%% *})"
	hammer heavy heavy clients="$STRESS_HEAVY_CLIENTS" query="$HEAVY_Q" \
	    seconds="$STRESS_SECONDS"
	probes
	ERRS=$((ERRS + $(num other_status) + $(num broken) + $(num s503_no_retry_after)))
	note "$(num ok) answered 200, $(num s503) 503, p50 $(v lat_p50) ms"
	[ $(($(num other_status) + $(num broken))) = 0 ] ||
		fail "$(num other_status) answers neither 200 nor 503 (the last: $(v other_code)), $(num broken) broken replies"
	[ "$(num s503_no_retry_after)" = 0 ] ||
		fail "$(num s503_no_retry_after) 503s without Retry-After"
	stop
	row "$STRESS_SECONDS"
}

# /annotations?pretty=1 is paged and held to the deadline; 12 clients
# that never read it do not grow the daemon's memory.
annotations() {
	begin annotations
	fresh annotations || return 0
	one=$(curl -s -o "$WORK/annotations.json" -w '%{http_code} %{time_total} %{size_download}' \
	    --max-time 120 "$BASE/annotations?pretty=1" || echo "000 0 0")
	set -- $one
	note "one GET: $1 in $2 s, $(($3 / 1024)) KiB"
	[ "$1" = 200 ] || fail "/annotations?pretty=1 answered $1 on an idle daemon, not a page"
	[ "$3" -le $((STRESS_PAGE_MAX_MB * 1048576)) ] ||
		fail "/annotations?pretty=1 is $(($3 / 1048576)) MB: not paged"
	if gt "$2" "$STRESS_QUERY_TIMEOUT_MS / 1000 + 1"; then
		fail "/annotations?pretty=1 took $2 s, past the ${STRESS_QUERY_TIMEOUT_MS} ms deadline"
	fi
	hammer annotations nonreader conns="$STRESS_NONREADERS" depth=1 \
	    path='/annotations?pretty=1' seconds="$STRESS_SECONDS"
	probes
	grow=$((($(num rss_peak_kb) - $(num rss_start_kb)) / 1024))
	note "RSS +$grow MB"
	[ "$grow" -le "$STRESS_RSS_GROWTH_MB" ] ||
		fail "$STRESS_NONREADERS non-readers grew RSS by $grow MB (limit $STRESS_RSS_GROWTH_MB)"
	stop
	row "$STRESS_SECONDS"
}

# Waits (up to LIMIT_S) for the daemon's open files to come back within 2
# of $1, and notes the count before and after.
fds_settle() {
	i=0
	while [ "$(fds)" -gt $(($1 + 2)) ] && [ $i -lt $((LIMIT_S * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	note "fds $1 before, $(fds) after"
}

# 2,000 idle connections and a connect/close loop; the daemon's file
# descriptors come back down after.
flood() {
	begin flood
	fresh flood || return 0
	f0=$(fds)
	hammer flood flood idle="$STRESS_FLOOD_IDLE" churn=2 seconds="$STRESS_SECONDS"
	probes
	note "$(num churn_connects) connect/close, $(num idle_opened) idle opened ($(num idle_closed_by_server) closed by the server)"
	fds_settle "$f0"
	[ "$(fds)" -le $((f0 + 2)) ] || fail "$(fds) fds ${LIMIT_S} s after the flood, $f0 before"
	stop
	row "$STRESS_SECONDS"
}

# A mixed load for STRESS_SOAK_SECONDS: RSS and open files stay flat.
soak() {
	begin soak
	fresh soak || return 0
	if ! node bench/fetch.mjs mix "$BASE" 2000 > "$WORK/mix.paths" 2> "$RAW/soak-paths.err"; then
		fail "setup: bench/fetch.mjs mix failed (see $RAW/soak-paths.err)"
		stop
		row -
		return 0
	fi
	f0=$(fds)
	hammer soak mix paths="$WORK/mix.paths" clients=6 seconds="$STRESS_SOAK_SECONDS"
	probes
	ERRS=$((ERRS + $(num other_status) + $(num broken) + $(num s503_no_retry_after)))
	[ $(($(num other_status) + $(num broken) + $(num s503_no_retry_after))) = 0 ] ||
		fail "$(num other_status) other statuses, $(num broken) broken, $(num s503_no_retry_after) 503 without Retry-After"
	q1=$(num rss_q1_kb) end=$(num rss_end_kb)
	allow=$((q1 / 10))
	[ $allow -ge 16384 ] || allow=16384
	note "$(num ok) answers ($(num s503) 503); RSS $((q1 / 1024)) MB at a quarter, $((end / 1024)) MB at the end"
	[ "$end" -le $((q1 + allow)) ] ||
		fail "RSS grew from $((q1 / 1024)) MB (a quarter in) to $((end / 1024)) MB"
	fds_settle "$f0"
	[ "$(fds)" -le $((f0 + 2)) ] || fail "$(fds) fds after the soak, $f0 before"
	stop
	row "$STRESS_SOAK_SECONDS"
}

for e in $STRESS_EXPERIMENTS; do
	case $e in
	tampered|released|cache|storm|slowloris|pipeline|heavy|annotations|flood|soak) $e ;;
	*) die "unknown experiment $e" ;;
	esac
done

# ---- the report --------------------------------------------------------
TOTAL=$(($(date +%s) - T0))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
RAM=$(awk '/^MemTotal/{printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
RUNS=$(($(wc -l < "$OUT/results.tsv") - 1))
{
	echo "<!-- stress:begin (written by make stress: stress/run.sh replaces this section) -->"
	echo "### Latest run"
	echo
	echo "| | |"
	echo "| --- | --- |"
	echo "| command | \`${GIVEN}make stress\` |"
	echo "| accord | $VERSION, from $FROM |"
	echo "| corpus | ${STRESS_SCALE}x ($(ls "$GEN/corpus" | wc -l) articles, $(($(stat -c %s "$DB") / 1048576)) MB database, loaded in ${LOAD_S} s) |"
	echo "| machine | $(nproc) cores, $MODEL, $RAM RAM, Linux $(uname -r) |"
	echo "| load average | before $LOAD_BEFORE; after $LOAD_AFTER |"
	echo "| took | $TOTAL s; $((RUNS - FAILED)) of $RUNS verdicts pass |"
	echo
	echo "| experiment | s | /healthz p50 ms | p99 ms | max ms | max ms, kept connection | errors | RSS MB (start → peak) | verdict | notes |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"
	tail -n +2 "$OUT/results.tsv" | awk -F'\t' '{
		v = $9 == "PASS" ? "pass" : "**FAIL**"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, v, $10
	}'
	echo "<!-- stress:end -->"
} > "$OUT/section.md"
cat "$OUT/section.md"
if [ -n "$STRESS_REPORT" ]; then
	if [ -f "$STRESS_REPORT" ] && grep -q '^<!-- stress:begin' "$STRESS_REPORT"; then
		awk -v f="$OUT/section.md" '
			/^<!-- stress:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
			/^<!-- stress:end/ { skip = 0; next }
			!skip' "$STRESS_REPORT" > "$OUT/report.tmp"
	else
		{ [ ! -f "$STRESS_REPORT" ] || { cat "$STRESS_REPORT"; echo; }
		  cat "$OUT/section.md"; } > "$OUT/report.tmp"
	fi
	cat "$OUT/report.tmp" > "$STRESS_REPORT"
	rm -f "$OUT/report.tmp"
	log "figures written to $STRESS_REPORT"
fi
log "done in $TOTAL s: $FAILED of $RUNS verdicts failed"
[ "$FAILED" = 0 ]
