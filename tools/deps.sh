#!/bin/sh
# Installs the Debian 12 packages accord needs, if any is missing.
#   deps.sh        to build and run
#   deps.sh test   also the test tools (Criterion, libcurl, valgrind, Node.js,
#                  Chromium for the browser test, cppcheck and
#                  universal-ctags for make lint)
#   deps.sh fuzz   also clang and its libFuzzer runtime
set -eu
packages="build-essential pkg-config libmicrohttpd-dev libjansson-dev \
libsqlite3-dev nettle-dev zlib1g-dev libdivsufsort-dev libedlib-dev"
case "${1:-}" in
test)
	packages="$packages libcriterion-dev libcurl4-openssl-dev curl sqlite3 \
valgrind cppcheck universal-ctags chromium"
	;;
fuzz)
	packages="$packages clang libclang-rt-14-dev"
	;;
esac
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
# The contract test runs on Node.js; any recent one will do.
if [ "${1:-}" = test ]; then
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
		missing="$missing nodejs npm"
fi
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
