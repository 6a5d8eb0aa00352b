#!/bin/sh
# `make container-test`: builds the accord image and checks it for real.
#
#  1. Makes sure a Docker engine answers: uses a running one, or starts
#     Debian's dockerd (installing docker.io with apt-get when missing),
#     first with overlay2, then with the vfs storage driver. The daemon it
#     starts has no bridge and leaves iptables alone; every build and run
#     here uses --network host, so nothing depends on container networking.
#  2. Creates the base images locally, since no registry is reachable:
#     debootstrap (minbase) of bookworm from the Debian mirror this machine's
#     apt uses, imported as debian:bookworm, and the same root filesystem
#     without docs, man pages and locales as debian:bookworm-slim. apt inside
#     both points at that same mirror. The root filesystems are cached as
#     tarballs under build/container/, so re-runs skip debootstrap.
#  3. Builds the image from the Dockerfile, runs it with --read-only and
#     checks: /healthz, /sources (5 items), the user is not root, Docker's
#     health status becomes healthy, the image is at most 100 MB, /readyz
#     answers 200 within 1 s of the container starting, and `docker stop`
#     ends it quickly with exit code 0.
#
# Exit status: 0 all checks passed, 1 a check failed, 2 the test could not
# run here ("CONTAINER TEST NOT RUN: <reason>" is printed; it never passes
# silently).
#
# Environment: ACCORD_IMAGE (image tag, default accord:container-test),
# ACCORD_TEST_PORT (host port, default 18080), ACCORD_DEBIAN_MIRROR and
# ACCORD_DEBIAN_SECURITY (override the mirrors read from /etc/apt),
# ACCORD_KEEP_ENGINE=1 (leave a dockerd this script started running),
# ACCORD_REBOOTSTRAP=1 (ignore the cached root filesystems and base images).
set -eu
cd "$(dirname "$0")/.."

WORK=build/container
IMAGE=${ACCORD_IMAGE:-accord:container-test}
PORT=${ACCORD_TEST_PORT:-18080}
NAME=accord-container-test-$$
MAX_BYTES=100000000	# 100 MB, as `docker images` counts
MAX_READY_MS=1000
MAX_STOP_MS=3000
SUITE=bookworm

passed=0
failed=0
started_dockerd=""
container=""

say() { printf '%s\n' "== $*"; }
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
now_ms() { date +%s%3N; }

not_run() {
	echo
	echo "########################################################################"
	echo "CONTAINER TEST NOT RUN: $*"
	echo "########################################################################"
	exit 2
}

cleanup() {
	if [ -n "$container" ]; then
		docker rm -f "$container" >/dev/null 2>&1 || true
	fi
	if [ -n "$started_dockerd" ] && [ "${ACCORD_KEEP_ENGINE:-0}" != 1 ]; then
		kill -TERM "$started_dockerd" 2>/dev/null || true
		i=0
		while kill -0 "$started_dockerd" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.2
			i=$((i + 1))
		done
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK"

# --- tools --------------------------------------------------------------
apt_updated=""
apt_install() {
	[ "$(id -u)" = 0 ] || return 1
	command -v apt-get >/dev/null 2>&1 || return 1
	if [ -z "$apt_updated" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
		apt_updated=1
	fi
	say "installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends "$@" >"$WORK/apt-install.log" 2>&1 ||
	    { tail -20 "$WORK/apt-install.log"; return 1; }
}

need=""
command -v curl >/dev/null 2>&1 || need="$need curl"
command -v jq >/dev/null 2>&1 || need="$need jq"
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
	command -v dockerd >/dev/null 2>&1 || need="$need docker.io"
fi
if [ -n "$need" ]; then
	# shellcheck disable=SC2086
	apt_install $need || not_run "missing$need and cannot install it" \
	    "(needs root and apt-get)"
fi
command -v docker >/dev/null 2>&1 || not_run "no docker client"

# --- engine -------------------------------------------------------------
engine_up() { docker info >/dev/null 2>&1; }

start_dockerd() {
	# $1: extra dockerd options
	log="$WORK/dockerd.log"
	say "starting dockerd --iptables=false --bridge=none $1"
	# shellcheck disable=SC2086
	dockerd --iptables=false --bridge=none $1 >"$log" 2>&1 &
	started_dockerd=$!
	i=0
	while [ $i -lt 60 ]; do
		engine_up && return 0
		kill -0 "$started_dockerd" 2>/dev/null || break
		sleep 0.5
		i=$((i + 1))
	done
	echo "dockerd did not come up; last lines of $log:"
	tail -15 "$log" | sed 's/^/  | /'
	kill -TERM "$started_dockerd" 2>/dev/null || true
	wait "$started_dockerd" 2>/dev/null || true
	started_dockerd=""
	return 1
}

if engine_up; then
	say "using the running Docker engine"
else
	[ "$(id -u)" = 0 ] || not_run "no Docker engine answers and starting" \
	    "dockerd needs root"
	command -v dockerd >/dev/null 2>&1 || not_run "no dockerd on this machine"
	if [ -S /var/run/docker.sock ] && pgrep -x dockerd >/dev/null 2>&1; then
		not_run "a dockerd is running but does not answer on" \
		    "/var/run/docker.sock"
	fi
	start_dockerd "" || start_dockerd "--storage-driver=vfs" ||
	    not_run "dockerd would not start, with overlay2 nor with vfs" \
	        "(see $WORK/dockerd.log: $(grep -E 'level=(fatal|error)' \
	        "$WORK/dockerd.log" | tail -1 | sed 's/.*msg=//'))"
fi
docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}' ||
    true
echo "storage driver: $(docker info --format '{{.Driver}}' 2>/dev/null)"

# --- base images --------------------------------------------------------
# The first bookworm (or bookworm-security) URI in /etc/apt/sources.list*.
apt_uri() {
	suite=$1
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v s="$suite" '$1 == "deb" {
			i = 2
			if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
			if ($(i + 1) == s) { print $i; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v s="$suite" 'BEGIN { RS = "" } {
			uris = ""; suites = ""; types = ""
			n = split($0, L, "\n")
			for (i = 1; i <= n; i++) {
				l = L[i]
				if (l ~ /^#/) continue
				if (l ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", l); uris = l }
				else if (l ~ /^Suites:/) { sub(/^Suites:[ \t]*/, "", l); suites = " " l " " }
				else if (l ~ /^Types:/) { sub(/^Types:[ \t]*/, "", l); types = " " l " " }
			}
			if (types ~ / deb / && index(suites, " " s " ") > 0) {
				split(uris, U, " "); print U[1]; exit
			}
		}' "$f"
	done
}

MIRROR=${ACCORD_DEBIAN_MIRROR:-$(apt_uri "$SUITE" | head -1)}
SECURITY=${ACCORD_DEBIAN_SECURITY:-$(apt_uri "$SUITE-security" | head -1)}
[ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian

ROOTFS="$WORK/rootfs-$SUITE"
FULL_TAR="$WORK/$SUITE.tar"
SLIM_TAR="$WORK/$SUITE-slim.tar"

# Unmounts whatever debootstrap left mounted under $ROOTFS, deepest first,
# and removes it; refuses to remove anything while a mount remains.
remove_rootfs() {
	[ -e "$ROOTFS" ] || return 0
	abs=$(cd "$ROOTFS" && pwd -P)
	awk -v r="$abs" '$2 == r || index($2, r "/") == 1 { print $2 }' \
	    /proc/mounts | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done
	if awk -v r="$abs" '$2 == r || index($2, r "/") == 1 { f = 1 }
	    END { exit !f }' /proc/mounts; then
		echo "still mounted under $abs; not removing it" >&2
		return 1
	fi
	rm -rf "$ROOTFS"
}

bootstrap() {
	command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap ||
	    not_run "no debootstrap and cannot install it"
	remove_rootfs
	say "debootstrap --variant=minbase $SUITE from $MIRROR (log: $WORK/debootstrap.log)"
	t0=$(now_ms)
	if ! debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" \
	    >"$WORK/debootstrap.log" 2>&1; then
		tail -15 "$WORK/debootstrap.log" | sed 's/^/  | /'
		remove_rootfs || true
		not_run "debootstrap of $SUITE from $MIRROR failed"
	fi
	echo "debootstrap took $(( ($(now_ms) - t0) / 1000 )) s"
	{
		echo "deb $MIRROR $SUITE main"
		echo "deb $MIRROR $SUITE-updates main"
		[ -z "$SECURITY" ] || echo "deb $SECURITY $SUITE-security main"
	} >"$ROOTFS/etc/apt/sources.list"
	# As Debian's official images do: no caches, no translations.
	cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
	echo 'Acquire::Languages "none";' \
	    >"$ROOTFS/etc/apt/apt.conf.d/docker-no-languages"
	rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin \
	    "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/log/bootstrap.log
	: >"$ROOTFS/etc/resolv.conf"
	echo localhost >"$ROOTFS/etc/hostname"
	# Leave nothing mounted before archiving.
	abs=$(cd "$ROOTFS" && pwd -P)
	awk -v r="$abs" 'index($2, r "/") == 1 { print $2 }' /proc/mounts |
	    sort -r | while read -r m; do umount "$m" || true; done
	tar --numeric-owner --xattrs -C "$ROOTFS" -cf "$FULL_TAR.tmp" .
	mv "$FULL_TAR.tmp" "$FULL_TAR"

	# slim: the same tree without docs, man pages, info and locales, and
	# dpkg told to leave them out of packages installed later.
	mkdir -p "$ROOTFS/etc/dpkg/dpkg.cfg.d"
	cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
	find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright \
	    -not -type d -delete 2>/dev/null || true
	find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete \
	    2>/dev/null || true
	rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/groff/* \
	    "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/lintian/* \
	    "$ROOTFS"/usr/share/linda/*
	find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 \
	    -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
	tar --numeric-owner --xattrs -C "$ROOTFS" -cf "$SLIM_TAR.tmp" .
	mv "$SLIM_TAR.tmp" "$SLIM_TAR"
	remove_rootfs
}

import_image() {
	# $1 tarball, $2 tag
	say "docker import $1 as $2"
	docker import \
	    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	    --change 'CMD ["bash"]' \
	    --change "LABEL org.opencontainers.image.description=\"debootstrap --variant=minbase $SUITE from $MIRROR\"" \
	    --message "debootstrap $SUITE (tools/container-test.sh)" \
	    "$1" "$2" >/dev/null
}

if [ "${ACCORD_REBOOTSTRAP:-0}" = 1 ]; then
	rm -f "$FULL_TAR" "$SLIM_TAR"
	docker rmi "debian:$SUITE" "debian:$SUITE-slim" >/dev/null 2>&1 || true
fi
if docker image inspect "debian:$SUITE" >/dev/null 2>&1 &&
    docker image inspect "debian:$SUITE-slim" >/dev/null 2>&1; then
	say "base images debian:$SUITE and debian:$SUITE-slim are present"
else
	if [ -s "$FULL_TAR" ] && [ -s "$SLIM_TAR" ]; then
		say "using the cached root filesystems in $WORK"
	else
		bootstrap
	fi
	import_image "$FULL_TAR" "debian:$SUITE"
	import_image "$SLIM_TAR" "debian:$SUITE-slim"
fi
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep '^debian:' || true

# --- build --------------------------------------------------------------
# BuildKit when the buildx plugin is there; the classic builder otherwise
# (the Dockerfile needs nothing BuildKit-only).
if docker buildx version >/dev/null 2>&1; then
	export DOCKER_BUILDKIT=1
else
	export DOCKER_BUILDKIT=0
fi
say "docker build --network host -t $IMAGE . (log: $WORK/build.log)"
t0=$(now_ms)
if docker build --network host -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
	ok "image builds ($(( ($(now_ms) - t0) / 1000 )) s; database checked by \`accord check\` in the build)"
else
	tail -30 "$WORK/build.log" | sed 's/^/  | /'
	bad "docker build failed (see $WORK/build.log)"
	echo "$passed passed, $failed failed"
	exit 1
fi

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
size_mb=$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1000000 }')
if [ "$size" -le "$MAX_BYTES" ]; then
	ok "image size $size_mb MB ($size bytes) <= 100 MB"
else
	bad "image size $size_mb MB ($size bytes) > 100 MB"
fi
user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
case "$user" in
"" | 0 | 0:* | root | root:*) bad "image Config.User is '$user' (root)" ;;
*) ok "image Config.User is $user" ;;
esac

# --- run ----------------------------------------------------------------
port_busy() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" 2>/dev/null; }
n=0
while port_busy "$PORT" && [ $n -lt 20 ]; do
	PORT=$((PORT + 1))
	n=$((n + 1))
done
URL="http://127.0.0.1:$PORT"

say "docker run --read-only --network host (port $PORT) $IMAGE"
container=$NAME
t_run=$(now_ms)
docker run -d --name "$NAME" --read-only --network host \
    --cap-drop ALL --security-opt no-new-privileges \
    -e ACCORD_HOST=127.0.0.1 -e ACCORD_PORT="$PORT" "$IMAGE" >/dev/null ||
    { bad "docker run failed"; echo "$passed passed, $failed failed"; exit 1; }
t_returned=$(now_ms)
ready=""
while [ $(( $(now_ms) - t_returned )) -lt 10000 ]; do
	if curl -fs -o /dev/null --max-time 1 "$URL/readyz"; then
		ready=$(now_ms)
		break
	fi
	sleep 0.01
done
started_at=$(docker inspect -f '{{.State.StartedAt}}' "$NAME")
started_ms=$(date -d "$started_at" +%s%3N)
if [ -z "$ready" ]; then
	docker logs "$NAME" 2>&1 | tail -20 | sed 's/^/  | /'
	bad "/readyz never answered 200 within 10 s"
else
	since_start=$((ready - started_ms))
	since_run=$((ready - t_run))
	if [ "$since_start" -le "$MAX_READY_MS" ]; then
		ok "ready (/readyz 200) $since_start ms after the container started ($since_run ms after \`docker run\` was called)"
	else
		bad "ready $since_start ms after the container started (> $MAX_READY_MS ms)"
	fi
fi

body=$(curl -fs --max-time 5 "$URL/healthz" || true)
if [ "$(printf '%s' "$body" | jq -r .status 2>/dev/null)" = ok ]; then
	ok "GET /healthz: $body"
else
	bad "GET /healthz: '$body'"
fi
count=$(curl -fs --max-time 5 "$URL/sources" | jq '.items | length' 2>/dev/null || true)
if [ "$count" = 5 ]; then
	ok "GET /sources: 5 items"
else
	bad "GET /sources: '$count' items, not 5"
fi
uid=$(docker exec "$NAME" id -u 2>/dev/null || true)
if [ -n "$uid" ] && [ "$uid" != 0 ]; then
	ok "process runs as uid $uid (docker exec id -u)"
else
	bad "docker exec id -u: '$uid'"
fi
if [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$NAME")" = true ] &&
    ! docker exec "$NAME" sh -c ': >/var/lib/accord/probe' 2>/dev/null &&
    ! docker exec "$NAME" sh -c ': >/probe' 2>/dev/null; then
	ok "root filesystem is read-only (writes refused) and the daemon serves from it"
else
	bad "root filesystem is not read-only"
fi

say "waiting for Docker's health status (HEALTHCHECK runs \`accord healthcheck\`)"
health=""
t0=$(now_ms)
while [ $(( $(now_ms) - t0 )) -lt 60000 ]; do
	health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$NAME")
	[ "$health" = healthy ] || [ "$health" = unhealthy ] && break
	[ "$(docker inspect -f '{{.State.Running}}' "$NAME")" = true ] || break
	sleep 0.5
done
if [ "$health" = healthy ]; then
	ok "health status healthy after $(( ($(now_ms) - started_ms) / 1000 )) s"
else
	docker inspect -f '{{json .State.Health}}' "$NAME" | sed 's/^/  | /'
	bad "health status '$health'"
fi

t0=$(now_ms)
docker stop -t 10 "$NAME" >/dev/null
stop_ms=$(( $(now_ms) - t0 ))
code=$(docker inspect -f '{{.State.ExitCode}}' "$NAME")
if [ "$code" = 0 ] && [ "$stop_ms" -le "$MAX_STOP_MS" ]; then
	ok "docker stop: exit code 0 after $stop_ms ms (SIGTERM drain)"
else
	docker logs "$NAME" 2>&1 | tail -10 | sed 's/^/  | /'
	bad "docker stop: exit code $code after $stop_ms ms (want 0 within $MAX_STOP_MS ms)"
fi
echo "last log lines:"
docker logs "$NAME" 2>&1 | tail -3 | sed 's/^/  | /'

echo
echo "image $IMAGE: $size_mb MB"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
