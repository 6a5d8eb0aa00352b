#!/bin/sh
# Installs the Debian 12 packages accord needs, if any is missing.
set -eu
packages="build-essential pkg-config libmicrohttpd-dev libjansson-dev \
libsqlite3-dev nettle-dev zlib1g-dev libcriterion-dev libcurl4-openssl-dev curl sqlite3"
# `deps.sh fuzz` adds clang and its libFuzzer runtime.
if [ "${1:-}" = fuzz ]; then
	packages="$packages clang libclang-rt-14-dev"
fi
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
# The contract test runs on Node.js; any recent one will do.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then
	sudo=""
else
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing
