// The browser test of issue 16: a dashboard page of plain JavaScript, served
// from another origin, renders counts, a timeline, disputes and an article
// reader with highlights from a real accord daemon (on the fixture corpus
// tests/fixtures/dashboard), one call per panel, in Debian's Chromium.
// The expected values were counted by hand from the fixture's files.
//
//   ACCORD_BIN=build/accord node tests/browser/dashboard.test.mjs
//
// Prints one line per check and exits 1 when one fails.

import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, loadFixture, startAccord, startStatic } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = resolve(process.env.ACCORD_BIN ?? join(root, 'build/accord'));

const failures = [];
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures.push(name);
    console.log(`FAIL ${name}: ${err.message}`);
  }
}

const fixture = await loadFixture(bin, join(root, 'tests/fixtures/dashboard'));
const accord = await startAccord(bin, fixture.db);
const site = await startStatic(join(here, 'dashboard'));
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const calls = [];
  page.on('request', (req) => {
    if (req.url().startsWith(`${accord.url}/`)) calls.push(`${req.method()} ${req.url().slice(accord.url.length)}`);
  });
  await page.goto(`${site.url}/index.html?api=${encodeURIComponent(accord.url)}&source=harbor-talks`);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 60_000 });

  await check('the page loads every panel from another origin', async () => {
    assert.equal(await page.evaluate(() => document.body.dataset.error ?? 'none'), 'none');
    assert.equal(await page.evaluate(() => document.body.dataset.ready), 'yes');
    assert.notEqual(new URL(site.url).origin, new URL(accord.url).origin);
  });

  await check('no panel needed more than one call', async () => {
    const perPanel = await page.evaluate(() => Object.fromEntries(
      Object.entries(window.accordCalls).map(([panel, urls]) => [panel, urls.length])));
    assert.deepEqual(perPanel, { counts: 1, timeline: 1, disputes: 1, reader: 1 });
    // What went over the wire: four GETs, no preflight, nothing else.
    assert.equal(calls.length, 4, calls.join('\n'));
    assert.ok(calls.every((c) => c.startsWith('GET /')), calls.join('\n'));
  });

  await check('every highlight is exactly its span', async () => {
    const got = await page.evaluate(() => window.accordHighlights.map(({ range, span }) => ({
      shown: range.toString(), exact: span.exact, kind: span.kind,
    })));
    // harbor-talks: 3 metadata fields, 1 agreement, 3 outcome and 2 claim
    // value quotes, 3 mentions.
    assert.equal(got.length, 12);
    for (const h of got) assert.equal(h.shown, h.exact, `a ${h.kind} highlight`);
    assert.ok(got.some((h) => h.shown === 'signed on Tuesday'), 'the span after the astral character');
  });

  await check('the counts are the facets, zeros included', async () => {
    const rows = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#counts tr')]
      .map((tr) => [`${tr.dataset.facet}=${tr.dataset.value}`, Number(tr.querySelector('td').textContent)])));
    assert.equal(rows['status=agreed'], 2);
    assert.equal(rows['status=proposed'], 0);
    assert.equal(rows['status=under-consideration'], 1);
    assert.equal(rows['kind=proposal'], 1);
    assert.equal(rows['kind=exercise'], 0);
  });

  await check('the timeline is in time order, the disputed date marked', async () => {
    const items = await page.evaluate(() => [...document.querySelectorAll('#timeline li')]
      .map((li) => `${li.dataset.kind}:${li.dataset.id}${li.dataset.disputedBy ? `!${li.dataset.disputedBy}` : ''}`));
    assert.deepEqual(items, [
      'agreement:harbor-pact',
      'outcome:joint-patrol',
      'outcome:next-round!next-round-month',
      'claim:next-round-month!next-round-month',
      'claim:next-round-month!next-round-month',
      'outcome:ferry-link',
    ]);
  });

  await check('the disputes show each value with its sources by name', async () => {
    const boxes = await page.evaluate(() => [...document.querySelectorAll('#disputes [data-claim]')]
      .map((b) => [b.dataset.claim, [...b.querySelectorAll('.value')].map((p) => p.textContent)]));
    assert.deepEqual(boxes, [['next-round-month', ['2021-07 — Harbor talks end in accord', '2021-08 — River report']]]);
  });

  await check('the page can read the transfer sizes of its calls (Timing-Allow-Origin)', async () => {
    const sizes = await page.evaluate((api) => performance.getEntriesByType('resource')
      .filter((e) => e.name.startsWith(api)).map((e) => e.transferSize), accord.url);
    assert.equal(sizes.length, 4);
    assert.ok(sizes.every((n) => n > 0), JSON.stringify(sizes));
  });
} finally {
  await browser.close();
  await site.stop();
  const code = await accord.stop();
  fixture.cleanup();
  if (code !== 0) failures.push(`accord exited ${code} on SIGTERM`);
}
console.log(`browser: ${failures.length === 0 ? 'all passed' : `${failures.length} failed`}`);
process.exit(failures.length === 0 ? 0 : 1);
