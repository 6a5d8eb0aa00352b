// make bench, part "viewer": how soon the viewer's overview is interactive
// in headless Chromium (Debian's, via playwright-core from tests/browser),
// on the bundled corpus, and how many bytes its files take gzipped, as
// served. Reported, not asserted (issue 17 asks for at most 300 ms and
// 100 KB).
//
//   node bench/viewer.mjs BIN DB [ROUNDS]
//
// "Interactive" is the viewer's own performance mark `accord-ready`, set
// once the first view has every panel drawn and its handlers attached,
// measured from navigation start; each round is a new browser context
// (no HTTP cache), the daemon's caches warmed by one round first.
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { launchChromium, startAccord } = await import(join(root, 'tests/browser/harness.mjs'));
const [bin = join(root, 'build/accord'), db = join(root, 'build/accord.db'), rounds = '9'] = process.argv.slice(2);

const accord = await startAccord(resolve(bin), resolve(db));
const browser = await launchChromium();
try {
  let gz = 0;
  let plain = 0;
  for (const name of readdirSync(join(root, 'viewer'))) {
    const res = await fetch(`${accord.url}/viewer/${name}`, { headers: { 'Accept-Encoding': 'gzip' } });
    const body = await res.arrayBuffer();	// fetch decodes: count the wire bytes from the header
    plain += body.byteLength;
    gz += Number(res.headers.get('content-length') ?? body.byteLength);
  }
  const times = [];
  for (let i = 0; i <= Number(rounds); i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${accord.url}/`);
    await page.waitForFunction(() => performance.getEntriesByName('accord-ready').length > 0, null, { timeout: 30_000 });
    const ms = await page.evaluate(() => performance.getEntriesByName('accord-ready')[0].startTime);
    if (i > 0) times.push(ms);
    await context.close();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`viewer overview interactive: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms over ${times.length} cold page loads (target 300 ms)`);
  console.log(`viewer assets: ${plain} bytes, ${gz} bytes gzipped as served (target 100 KB)`);
} finally {
  await browser.close();
  await accord.stop();
}
