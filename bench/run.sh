#!/bin/sh
# make bench: accord side by side with nginx and json-server on the same
# responses, then accord on synthetic corpora at 1x, 10x, 100x and 1000x.
# BENCHMARKS.md says what every figure means. Raw output: build/bench/.
#
# Every server this script starts runs on a free loopback port and is
# stopped (by the PID it started) when the script exits, however it exits.
set -eu
cd "$(dirname "$0")/.."

: "${BENCH_SECONDS:=6}"		# each wrk run in the comparison
: "${BENCH_ROUNDS:=3}"		# alternating rounds of the comparison
: "${BENCH_WARMUP:=1}"		# seconds of wrk per server and route first
: "${BENCH_CONNECTIONS:=64}"
: "${BENCH_THREADS:=2}"		# wrk threads
: "${BENCH_SCALE_SECONDS:=2}"	# each wrk run in the scale part
: "${BENCH_SCALE_ROUNDS:=3}"	# runs per query at scale (medians reported)
: "${BENCH_SCALES:=1 10 100 1000 10000}"
: "${BENCH_LOAD_TIMEOUT:=600}"	# seconds allowed to one `accord load`
: "${BENCH_DIGEST_SCALES:=100 1000}"	# scales whose database digest is shown
: "${BENCH_READY_TRIES:=5}"	# starts timed per scale (median reported)
: "${BENCH_DEEP_PAGE:=50}"
: "${BENCH_MIX:=2000}"		# distinct paths in the "mix" query
: "${BENCH_MIX_SCALE:=100}"	# generated corpus of the compared mix
: "${BENCH_PARTS:=compare scale viewer}"

OUT=build/bench
RAW=$OUT/raw
BIN=$OUT/bin
T0=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log() { printf '== [%ss] %s\n' "$(($(date +%s) - T0))" "$*"; }

# ---- 1. tools ----------------------------------------------------------
need=""
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx"
command -v gnuplot >/dev/null 2>&1 || need="$need gnuplot-nox"
command -v curl >/dev/null 2>&1 || need="$need curl"
command -v cc >/dev/null 2>&1 || need="$need build-essential"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	need="$need nodejs npm"
if [ -n "$need" ]; then
	log "installing:$need"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    --no-install-recommends $need
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# ---- 2. build (another engineer may be editing: always rebuild) --------
log "make build/accord build/accord.db"
make build/accord build/accord.db
rm -rf "$RAW" "$OUT/results.md"
mkdir -p "$RAW" "$BIN"
# A snapshot, so that a rebuild during the run changes nothing measured.
cp build/accord "$BIN/accord"
cp build/accord.db "$OUT/real.db"
ACCORD=$BIN/accord
cc -O2 -o "$BIN/readyprobe" bench/readyprobe.c
if [ ! -f bench/node_modules/json-server/package.json ] ||
    [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
	log "npm ci (json-server)"
	(cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
JSON_SERVER=bench/node_modules/json-server/lib/cli/bin.js

# ---- processes ---------------------------------------------------------
PIDS=""
TMPDIRS=""
cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
	PIDS=""
	for d in $TMPDIRS; do rm -rf "$d"; done
	TMPDIRS=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
forget() {	# forget PID $1 (it was stopped)
	rest=""
	for p in $PIDS; do [ "$p" = "$1" ] || rest="$rest $p"; done
	PIDS=$rest
}
stop() {	# SIGTERM the PID we started, wait for it
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	forget "$1"
}
free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_http() {	# URL PID: until it answers 200, at most 20 s, while PID lives
	i=0
	while [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" != 200 ]; do
		kill -0 "$2" 2>/dev/null || { echo "bench: the server of $1 exited" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "bench: $1 never answered 200" >&2; exit 1; }
		sleep 0.1
	done
}
# Every daemon names the same public URL in its links, so that daemons on
# different ports answer the same bytes (and nginx can serve them).
PUBLIC_URL=http://accord.bench.invalid
start_accord() {	# DB PORT [ARGS...]: starts accord, sets APID and APORT
	db=$1 APORT=$2
	shift 2
	"$ACCORD" serve --db "$db" --host 127.0.0.1 --port "$APORT" \
	    --public-url "$PUBLIC_URL" "$@" 2>/dev/null &
	APID=$!
	PIDS="$PIDS $APID"
}
# Waits until the accord started last has finished the background check
# of its database (seconds at 1000x, on a core of its own), so that the
# check does not share the CPU with a measurement; sets CHECK_MS to how
# long that took from ready (to 0.1 s). At most 10 minutes.
wait_checked() {
	i=0
	until curl -s "http://127.0.0.1:$APORT/metrics" |
	    grep -q '^accord_database_checked 1$'; do
		kill -0 "$APID" 2>/dev/null || { echo "bench: accord exited" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 6000 ] || { echo "bench: accord never finished its check" >&2; exit 1; }
		sleep 0.1
	done
	CHECK_MS=$((i * 100))
}
# wrk NAME URL SECONDS [PATHS]: raw output in $RAW/NAME.txt; sets RPS P50
# P99 ERRS (latencies in ms). With PATHS, a file of paths, asks for each in
# turn (bench/wrk-paths.lua). A run with any error or non-2xx is flagged.
run_wrk() {
	script=bench/wrk-report.lua
	[ $# -lt 4 ] || script=bench/wrk-paths.lua
	WRK_PATHS=${4:-} wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$3"s \
	    --latency -s "$script" "$2" > "$RAW/$1.txt" 2>&1 || true
	line=$(grep '^RESULT ' "$RAW/$1.txt" || echo "RESULT rps=0 p50_us=0 p99_us=0 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=1")
	RPS=$(wrk_val rps)
	P50=$(awk "BEGIN{printf \"%.3f\", $(wrk_val p50_us)/1000}")
	P99=$(awk "BEGIN{printf \"%.3f\", $(wrk_val p99_us)/1000}")
	ERRS=$(($(wrk_val non2xx) + $(wrk_val connect_err) + $(wrk_val read_err) + \
	    $(wrk_val write_err) + $(wrk_val timeouts)))
}
wrk_val() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# A slow query keeps a worker busy after wrk has gone, and the requests
# still queued behind it are answered too: wait (at most 60 s) until the
# daemon answers /readyz, so that no run measures the previous run's
# backlog. Prints how long that took, in ms.
drain() {
	d0=$(date +%s%N)
	curl -s -o /dev/null --max-time 60 "$1/readyz" || true
	echo $(( ($(date +%s%N) - d0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# generated SCALE: the generated corpus at SCALE (made once per version of
# bench/gen.mjs, under build/bench); prints its directory.
GEN_STAMP=$(sha256sum bench/gen.mjs | cut -c1-64)
generated() {
	g=$OUT/gen$1
	if [ "$(cat "$g/STAMP" 2>/dev/null)" != "$GEN_STAMP" ]; then
		log "generating ${1}x corpus" >&2
		rm -rf "$g"
		# 10,000x holds about 4 GB of JavaScript objects at its peak.
		node --max-old-space-size=12288 bench/gen.mjs --scale "$1" --out "$g" >&2
		echo "$GEN_STAMP" > "$g/STAMP"
	fi
	echo "$g"
}

# ---- 3. accord, nginx and json-server on the same data -----------------
# The five routes are asked of the bundled corpus; "mix" is BENCH_MIX
# distinct paths a dashboard asks for, of the generated corpus at
# BENCH_MIX_SCALE (the bundled one has too few pages), in turn.
ROUTES="outcomes participants source filtered search mix"
accord_path() {
	case $1 in
	outcomes) echo /outcomes ;;
	participants) echo /participants ;;
	source) echo /sources/scmp-china-us-test-cyberthreat-defences ;;
	filtered) echo '/claims?disputed=true&limit=5&sort=-corroboration' ;;
	search) echo '/search?q=tabletop' ;;
	esac
}
# json-server's equivalents: its own filter, sort and limit parameters; its
# full-text `q` searches one collection (outcomes holds the tabletop hits).
json_path() {
	case $1 in
	filtered) echo '/claims?disputed=true&_sort=corroboration&_order=desc&_limit=5' ;;
	search) echo '/outcomes?q=tabletop' ;;
	*) accord_path "$1" ;;
	esac
}
nginx_file() {
	case $1 in
	filtered) echo /q/filtered.json ;;
	search) echo /q/search.json ;;
	*) accord_path "$1" ;;
	esac
}

# serve_checked DB [ARGS...]: starts accord on DB on a free port and waits
# until it has passed its check; sets APID and BASE.
serve_checked() {
	db=$1
	shift
	start_accord "$db" "$(free_port)" "$@"
	"$BIN/readyprobe" "$APORT" 120000 >/dev/null
	wait_checked
	BASE=http://127.0.0.1:$APORT
}

compare() {
	serve_checked "$OUT/real.db"
	PA_PID=$APID A=$BASE
	# The same daemon without its response cache: every request runs
	# its queries and renders its body.
	serve_checked "$OUT/real.db" --cache-bytes 0 --record-cache-bytes 0
	UPID=$APID U=$BASE

	# The mix: both kinds of accord on a generated corpus.
	"$ACCORD" load --data "$(generated "$BENCH_MIX_SCALE")" \
	    --db "$OUT/mix.db" > "$RAW/load-mix.txt" 2>&1
	serve_checked "$OUT/mix.db"
	MPID=$APID M=$BASE
	serve_checked "$OUT/mix.db" --cache-bytes 0 --record-cache-bytes 0
	MUPID=$APID MU=$BASE
	node bench/fetch.mjs mix "$M" "$BENCH_MIX" > "$RAW/compare-mix.paths"

	# nginx: a temp prefix holding the exact bytes accord serves.
	NG=$(mktemp -d /tmp/accord-bench-nginx.XXXXXX)
	TMPDIRS="$TMPDIRS $NG"
	chmod 755 "$NG"
	mkdir -p "$NG/www/sources" "$NG/www/q" "$NG/www/m" "$NG/tmp"
	for r in $ROUTES; do
		[ "$r" != mix ] || continue
		curl -sf -o "$NG/www$(nginx_file "$r")" "$A$(accord_path "$r")"
	done
	# Each path of the mix, saved from accord and checked against
	# accord without its cache, mapped by its request target.
	node bench/fetch.mjs save "$M" "$MU" "$RAW/compare-mix.paths" \
	    "$NG/www/m" > "$NG/mix.map"
	chmod -R a+rX "$NG/www"
	PN=$(free_port)
	cat > "$NG/nginx.conf" <<EOF
worker_processes 2;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path $NG/tmp/body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    types { }
    default_type application/json;
    map_hash_bucket_size 256;
    map_hash_max_size 16384;
    map \$request_uri \$bench_file {
        default \$uri;
        include $NG/mix.map;
        "$(accord_path filtered)" $(nginx_file filtered);
        "$(accord_path search)" $(nginx_file search);
    }
    server {
        listen 127.0.0.1:$PN;
        root $NG/www;
        location / {
            add_header Access-Control-Allow-Origin *;
            try_files \$bench_file =404;
        }
    }
}
EOF
	"$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" -g 'daemon off;' &
	NPID=$!
	PIDS="$PIDS $NPID"
	N=http://127.0.0.1:$PN
	wait_http "$N/outcomes" "$NPID"
	for r in $ROUTES; do	# nginx must serve accord's exact bytes
		[ "$r" != mix ] || continue
		curl -sf "$A$(accord_path "$r")" > "$RAW/accord-body-$r"
		curl -sf "$N$(accord_path "$r")" | cmp -s - "$RAW/accord-body-$r" ||
			{ echo "bench: nginx $r differs from accord" >&2; exit 1; }
	done
	mkdir -p "$NG/m-check"
	node bench/fetch.mjs save "$M" "$N" "$RAW/compare-mix.paths" \
	    "$NG/m-check" > /dev/null ||
		{ echo "bench: nginx's mix differs from accord's" >&2; exit 1; }

	# json-server: db.json of every record, fetched from accord.
	node bench/fetch.mjs dbjson "$A" "$OUT/db.json"
	PJ=$(free_port)
	node "$JSON_SERVER" --quiet --host 127.0.0.1 --port "$PJ" \
	    --static "$NG/none" "$OUT/db.json" > "$RAW/json-server.log" 2>&1 &
	JPID=$!
	PIDS="$PIDS $JPID"
	J=http://127.0.0.1:$PJ
	wait_http "$J/outcomes" "$JPID"

	url() {
		case $1/$2 in
		accord/mix) echo "$M/" ;;
		accord-nocache/mix) echo "$MU/" ;;
		nginx/mix) echo "$N/" ;;
		accord/*) echo "$A$(accord_path "$2")" ;;
		accord-nocache/*) echo "$U$(accord_path "$2")" ;;
		nginx/*) echo "$N$(accord_path "$2")" ;;
		json-server/*) echo "$J$(json_path "$2")" ;;
		esac
	}
	# wrk_on SERVER ROUTE NAME SECONDS: the mix asks for its paths in turn.
	wrk_on() {
		if [ "$2" = mix ]; then
			run_wrk "$3" "$(url "$1" mix)" "$4" "$RAW/compare-mix.paths"
		else
			run_wrk "$3" "$(url "$1" "$2")" "$4"
		fi
	}
	for r in $ROUTES; do	# uncached, accord's bytes are the same
		[ "$r" != mix ] || continue
		curl -sf "$U$(accord_path "$r")" | cmp -s - "$RAW/accord-body-$r" ||
			{ echo "bench: accord without cache differs on $r" >&2; exit 1; }
	done
	for s in accord accord-nocache nginx json-server; do
		for r in $ROUTES; do
			[ "$r/$s" != mix/json-server ] || continue
			curl -sf -o /dev/null "$(url $s "$r")$([ "$r" != mix ] || head -1 "$RAW/compare-mix.paths" | cut -c2-)" ||
				{ echo "bench: $s $r fails" >&2; exit 1; }
		done
	done
	log "warm-up: ${BENCH_WARMUP}s per server and route"
	for s in accord accord-nocache nginx json-server; do
		for r in $ROUTES; do
			[ "$r/$s" != mix/json-server ] || continue
			wrk_on $s "$r" "warmup-$s-$r" "$BENCH_WARMUP"
		done
	done
	printf 'round\troute\tserver\trps\tp50_ms\tp99_ms\terrors\n' > "$OUT/compare.tsv"
	order="accord accord-nocache nginx json-server"
	i=1
	while [ $i -le "$BENCH_ROUNDS" ]; do
		log "comparison round $i of $BENCH_ROUNDS (order: $order)"
		for r in $ROUTES; do
			for s in $order; do
				# json-server has no paths of the mix (its syntax differs).
				[ "$r/$s" != mix/json-server ] || continue
				wrk_on $s "$r" "compare-$i-$r-$s" "$BENCH_SECONDS"
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $i "$r" $s \
				    "$RPS" "$P50" "$P99" "$ERRS" >> "$OUT/compare.tsv"
				printf '   %-12s %-12s %10s req/s  p50 %8s ms  p99 %8s ms%s\n' \
				    "$r" $s "$RPS" "$P50" "$P99" \
				    "$([ "$ERRS" = 0 ] || echo "  ERRORS $ERRS")"
			done
		done
		# Rotate who goes first, so no server always runs first.
		set -- $order
		order="$2 $3 $4 $1"
		i=$((i + 1))
	done
	stop "$JPID"
	stop "$NPID"
	stop "$UPID"
	stop "$PA_PID"
	stop "$MUPID"
	stop "$MPID"
}

# ---- 4. accord at scale ------------------------------------------------
QUERIES="filtered paginated deep search mix"
# wrk on query $q of the scale part: NAME SECONDS
wrk_query() {
	if [ "$q" = mix ]; then
		run_wrk "$1" "$B/" "$2" "$RAW/scale-$sc-mix.paths"
	else
		eval "path=\$$q"
		run_wrk "$1" "$B$path" "$2"
	fi
}
# Query $q of the scale part, BENCH_SCALE_ROUNDS times: NAME SECONDS. Sets
# RPS, P50 and P99 to the medians of the runs, ERRS to their sum, and BUSY
# to the longest wait for /readyz after a run.
wrk_rounds() {
	: > "$RAW/$1.rounds"
	BUSY=0
	r=1
	while [ $r -le "$BENCH_SCALE_ROUNDS" ]; do
		wrk_query "$1-r$r" "$2"
		echo "$RPS $P50 $P99 $ERRS" >> "$RAW/$1.rounds"
		b=$(drain "$B")
		[ "$b" -le "$BUSY" ] 2>/dev/null || BUSY=$b
		r=$((r + 1))
	done
	RPS=$(cut -d' ' -f1 "$RAW/$1.rounds" | median)
	P50=$(cut -d' ' -f2 "$RAW/$1.rounds" | median)
	P99=$(cut -d' ' -f3 "$RAW/$1.rounds" | median)
	ERRS=$(awk '{s += $4} END {print s}' "$RAW/$1.rounds")
}
CACHE=$OUT/cache
scale() {
	printf 'scale\tarticles\ttext_bytes\tload_status\tload_s\tload_mbps\tdb_bytes\tready_ms\tready_min_ms\trss_kb\thwm_kb\tdeep_page' > "$OUT/scale.tsv"
	for q in $QUERIES; do
		printf '\t%s_rps\t%s_p50_ms\t%s_p99_ms\t%s_errors' $q $q $q $q >> "$OUT/scale.tsv"
	done
	for q in $QUERIES; do
		printf '\t%s_nc_rps\t%s_nc_p50_ms\t%s_nc_p99_ms\t%s_nc_errors' $q $q $q $q >> "$OUT/scale.tsv"
	done
	printf '\tserved_db\tdigest\tlistening_ms\n' >> "$OUT/scale.tsv"
	for sc in real $BENCH_SCALES; do
		if [ "$sc" = real ]; then
			dir=data
			bytes=$(cat data/corpus/* | wc -c)
		else
			dir=$(generated "$sc")
			bytes=$(cat "$dir/TEXT_BYTES")
		fi
		articles=$(ls "$dir/corpus" | wc -l)
		db=$OUT/scale-$sc.db
		rm -f "$db" "$OUT/.scale-$sc.db.tmp-"*
		log "${sc}: accord load ($articles articles, $bytes bytes; limit ${BENCH_LOAD_TIMEOUT}s)"
		t0=$(date +%s%N)
		rc=0
		timeout "$BENCH_LOAD_TIMEOUT" "$ACCORD" load --data "$dir" --db "$db" \
		    > "$RAW/load-$sc.txt" 2>&1 || rc=$?
		t1=$(date +%s%N)
		rm -f "$OUT/.scale-$sc.db.tmp-"*
		load_s=$(awk "BEGIN{printf \"%.3f\", ($t1-$t0)/1e9}")
		case $rc in
		0) status=ok ;;
		124) status=timeout ;;
		*) status=failed ;;
		esac
		mbps=$(awk "BEGIN{printf \"%.3f\", $bytes/1e6/$load_s}")
		cat "$RAW/load-$sc.txt"
		echo "   load: $status in ${load_s}s = $mbps MB/s"
		# The content digest (tools/db-digest.sh): the same corpus must
		# load into the same database whatever the loader's speed-ups.
		digest=-
		if [ $status = ok ] && echo " $BENCH_DIGEST_SCALES " | grep -q " $sc "; then
			digest=$(sh tools/db-digest.sh "$db")
			echo "   content digest: $digest"
		fi
		# A load that finishes is kept in build/bench/cache (with what
		# built it), so that a later run whose load hits the time limit
		# can still measure serving at that scale on the same corpus.
		served=this-run
		if [ $status = ok ] && [ "$sc" != real ]; then
			mkdir -p "$CACHE"
			cp "$db" "$CACHE/scale-$sc.db"
			printf '%s\n%s, %s s, %s\n' "$GEN_STAMP" \
			    "$("$ACCORD" version)" "$load_s" "$(date -u +%FT%TZ)" \
			    > "$CACHE/scale-$sc.key"
		elif [ $status != ok ] &&
		    [ "$(head -1 "$CACHE/scale-$sc.key" 2>/dev/null)" = "$GEN_STAMP" ] &&
		    "$ACCORD" check --db "$CACHE/scale-$sc.db" > /dev/null 2>&1; then
			cp "$CACHE/scale-$sc.db" "$db"
			served="cache: $(sed -n 2p "$CACHE/scale-$sc.key")"
			echo "   serving measured on $CACHE/scale-$sc.db (same corpus; loaded by $(sed -n 2p "$CACHE/scale-$sc.key"))"
		fi
		if [ "$served" = this-run ] && [ $status != ok ]; then
			printf '%s\t%s\t%s\t%s\t%s\t%s' "$sc" "$articles" "$bytes" \
			    $status "$load_s" "$mbps" >> "$OUT/scale.tsv"
			for _ in $(seq 1 46); do printf '\tNaN' >> "$OUT/scale.tsv"; done
			printf '\tnot served\t%s\tNaN\n' "$digest" >> "$OUT/scale.tsv"
			continue
		fi
		dbsize=$(stat -c %s "$db")
		P=$(free_port)
		# From just before exec to the first 200 of /healthz (listening)
		# and of /readyz (the database has passed the daemon's full
		# check: until then every data route answers 503). A start
		# that takes over 10 s is not repeated.
		: > "$RAW/ready-$sc.txt"
		k=1
		while [ $k -le "$BENCH_READY_TRIES" ]; do
			sync
			s0=$(date +%s%N)
			start_accord "$db" "$P"
			s1=$("$BIN/readyprobe" "$P" 900000 /healthz /readyz) ||
				{ echo "bench: accord not ready at ${sc}x" >&2; exit 1; }
			echo $s1 | awk -v s0="$s0" '{ printf "%d %d\n", ($1 - s0) / 1000, ($2 - s0) / 1000 }' \
			    >> "$RAW/ready-$sc.txt"
			[ "$(tail -1 "$RAW/ready-$sc.txt" | cut -d' ' -f2)" -lt 10000000 ] ||
				k=$BENCH_READY_TRIES
			[ $k -eq "$BENCH_READY_TRIES" ] || stop "$APID"
			k=$((k + 1))
		done
		listening=$(awk '{print $1/1000}' "$RAW/ready-$sc.txt" | median)
		ready=$(awk '{print $2/1000}' "$RAW/ready-$sc.txt" | median)
		ready_min=$(awk '{print $2/1000}' "$RAW/ready-$sc.txt" | sort -n | head -1)
		wait_checked
		B=http://127.0.0.1:$P
		filtered='/claims?disputed=true&limit=5&sort=-corroboration'
		paginated=$(node bench/fetch.mjs deep "$B" '/participants?limit=20&sort=name' 2 | cut -d' ' -f2)
		deep_out=$(node bench/fetch.mjs deep "$B" '/claims?limit=10' "$BENCH_DEEP_PAGE")
		deep_page=${deep_out%% *}
		deep=${deep_out#* }
		search='/search?q=tabletop'
		node bench/fetch.mjs mix "$B" "$BENCH_MIX" > "$RAW/scale-$sc-mix.paths"
		mix="@$RAW/scale-$sc-mix.paths ($(wc -l < "$RAW/scale-$sc-mix.paths") paths)"
		for q in $QUERIES; do
			eval "path=\$$q"
			echo "$path" > "$RAW/scale-$sc-$q.url"
			wrk_query "scale-warmup-$sc-$q" 1
			drain "$B" > "$RAW/scale-warmup-$sc-$q.drain_ms"
		done
		rss=$(awk '/^VmRSS/{print $2}' /proc/$APID/status)
		row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$sc" "$articles" \
		    "$bytes" $status "$load_s" "$mbps" "$dbsize" "$ready" "$ready_min" "$rss")
		cols=""
		for q in $QUERIES; do
			eval "path=\$$q"
			wrk_rounds "scale-$sc-$q" "$BENCH_SCALE_SECONDS"
			busy=$BUSY
			echo "$busy" > "$RAW/scale-$sc-$q.drain_ms"
			cols=$(printf '%s\t%s\t%s\t%s\t%s' "$cols" "$RPS" "$P50" "$P99" "$ERRS")
			printf '   %-10s %10s req/s  p50 %8s ms  p99 %8s ms%s  (busy %s ms after)  %s\n' $q "$RPS" \
			    "$P50" "$P99" "$([ "$ERRS" = 0 ] || echo "  ERRORS $ERRS")" "$busy" "$path"
		done
		hwm=$(awk '/^VmHWM/{print $2}' /proc/$APID/status)
		stop "$APID"
		# The same queries without the response cache: each request
		# runs its SQL and renders its body.
		start_accord "$db" "$P" --cache-bytes 0 --record-cache-bytes 0
		"$BIN/readyprobe" "$P" 900000 > /dev/null
		wait_checked
		for q in $QUERIES; do
			wrk_query "scale-nc-warmup-$sc-$q" 1
			drain "$B" > /dev/null
			wrk_rounds "scale-nc-$sc-$q" "$BENCH_SCALE_SECONDS"
			busy=$BUSY
			cols=$(printf '%s\t%s\t%s\t%s\t%s' "$cols" "$RPS" "$P50" "$P99" "$ERRS")
			printf '   %-10s %10s req/s  p50 %8s ms  p99 %8s ms%s  (busy %s ms after)  no cache\n' $q "$RPS" \
			    "$P50" "$P99" "$([ "$ERRS" = 0 ] || echo "  ERRORS $ERRS")" "$busy"
		done
		stop "$APID"
		printf '%s\t%s\t%s%s\t%s\t%s\t%s\n' "$row" "$hwm" "$deep_page" "$cols" "$served" "$digest" "$listening" >> "$OUT/scale.tsv"
		echo "   db $dbsize bytes, listening ${listening} ms, ready ${ready} ms (medians), RSS ${rss} kB after warm-up, peak ${hwm} kB, deep page $deep_page"
	done
	# The plot: throughput and latency against scale.
	gnuplot -e "tsv='$OUT/scale.tsv'; out='bench/scale.svg'" bench/scale.gp ||
		echo "bench: gnuplot drew no bench/scale.svg (too few points?)" >&2
}

# ---- 5. the viewer in headless Chromium -------------------------------
# The overview's time to interactive and the viewer's gzipped size
# (bench/viewer.mjs; Debian's chromium, playwright-core of tests/browser).
viewer() {
	log "viewer: overview interactive in headless Chromium, assets gzipped"
	command -v chromium >/dev/null 2>&1 || sh tools/deps.sh test
	[ -d tests/browser/node_modules/playwright-core ] ||
		(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
	node bench/viewer.mjs build/accord build/accord.db | tee "$OUT/viewer.txt"
}

for part in $BENCH_PARTS; do
	$part
done
log "results"
# Anything else running on the machine skews every figure: say so.
printf 'load average before the run: %s; after: %s\n' "$LOAD_BEFORE" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/loadavg.txt"
node bench/report.mjs "$OUT" | tee "$OUT/results.md"
log "done in $(($(date +%s) - T0)) s"
