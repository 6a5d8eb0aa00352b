#!/bin/sh
# Usage: browser.sh ACCORD_BIN — the browser tests (tests/browser/): a page
# of another origin driven in Debian's Chromium (apt-get install chromium;
# tools/deps.sh test installs it) by playwright-core (npm, installed here
# from tests/browser/package-lock.json when missing) against a daemon on
# the fixture corpus tests/fixtures/dashboard/; then the viewer accord
# serves at / (tests/browser/viewer.test.mjs), on the bundled corpus and
# on tests/fixtures/unicode/, with axe-core and Apache Annotator (npm).
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$root/tests/browser/node_modules/playwright-core" ] ||
    [ ! -d "$root/tests/browser/node_modules/axe-core" ] ||
    [ ! -d "$root/tests/browser/node_modules/esbuild" ]; then
	(cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
status=0
ACCORD_BIN=$bin node "$root/tests/browser/dashboard.test.mjs" || status=1
ACCORD_BIN=$bin node "$root/tests/browser/viewer.test.mjs" || status=1
exit $status
