// The browser tests of issue 17: the viewer that accord serves at /, in
// Debian's Chromium (playwright-core), on the bundled corpus (data/) and
// on the fixture corpus tests/fixtures/unicode (astral characters, CRLF,
// text that looks like HTML and script). For each corpus:
//   - every view renders with no console error and no request leaving the
//     origin (every request is intercepted; any other host fails);
//   - for every fact, its article has <mark>s whose text is the span's exact;
//   - Apache Annotator (@apache-annotator/dom) anchors every
//     TextQuoteSelector of /annotations in the rendered article at the
//     TextPositionSelector's place;
//   - a shared span link opens the article scrolled to the span, focused;
//   - Tab alone reaches every fact of every article;
//   - axe-core finds no violation in any view, at 1440 and 360 px;
//   - the HTML-looking text shows literally and runs nothing.
// Screenshots of every view at both widths go to build/screenshots/.
//
//   ACCORD_BIN=build/accord node tests/browser/viewer.test.mjs [data|unicode]

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, loadFixture, startAccord } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = resolve(process.env.ACCORD_BIN ?? join(root, 'build/accord'));
const shots = join(root, 'build/screenshots');
mkdirSync(shots, { recursive: true });
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const { buildSync } = await import('esbuild');
const annotatorSource = buildSync({
  stdin: { contents: "export * from '@apache-annotator/dom';", resolveDir: here },
  bundle: true, format: 'iife', globalName: 'Annotator', write: false, platform: 'browser',
}).outputFiles[0].text;

const WIDTHS = { desktop: { width: 1440, height: 900 }, phone: { width: 360, height: 740 } };
const failures = [];
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures.push(name);
    console.log(`FAIL ${name}: ${err.message.slice(0, 2000)}`);
  }
}

async function json(base, path) {
  const res = await fetch(base + path);
  assert.equal(res.status, 200, path);
  return res.json();
}

async function all(base, path) {
  const items = [];
  for (let url = `${base}${path}${path.includes('?') ? '&' : '?'}limit=500`; url;) {
    const page = await (await fetch(url)).json();
    items.push(...page.items);
    url = page.next;
  }
  return items;
}

// Every evidence span of every fact, with its fact.
async function factSpans(base) {
  const out = [];
  for (const kind of ['agreements', 'outcomes', 'claims']) {
    for (const x of await all(base, `/${kind}`)) {
      for (const s of x.evidence ?? []) out.push({ kind, id: x.id, span: s });
      for (const v of x.values ?? []) for (const s of v.evidence) out.push({ kind, id: x.id, span: s });
    }
  }
  return out;
}

// A page that records console errors and any request to another origin
// (which it refuses).
async function openPage(browser, base, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = [];
  page.foreign = [];
  page.dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('dialog', (d) => { page.dialogs.push(d.message()); d.dismiss(); });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === base) return route.continue();
    page.foreign.push(url);
    return route.abort();
  });
  return page;
}

async function go(page, base, hash) {
  await page.goto(`${base}/${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'yes', null, { timeout: 30_000 });
}

async function hashTo(page, hash) {
  await page.evaluate((h) => { document.body.dataset.ready = 'no'; location.hash = h; }, hash);
  await page.waitForFunction(() => document.body.dataset.ready === 'yes', null, { timeout: 30_000 });
}

async function axe(page) {
  if ((await page.evaluate(() => typeof window.axe)) === 'undefined') await page.evaluate(`${axeSource}\n;window.axe = axe;`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function runCorpus(browser, name, dataDir) {
  const fixture = await loadFixture(bin, dataDir);
  const accord = await startAccord(bin, fixture.db);
  const base = accord.url;
  try {
    const sources = await all(base, '/sources');
    const spans = await factSpans(base);
    const claims = await all(base, '/claims');
    const outcomes = await all(base, '/outcomes');
    const agreements = await all(base, '/agreements');
    const people = await all(base, '/participants?mentions=0');
    const views = [
      ['overview', '#/'], ['facts', '#/facts'], ['disputes', '#/disputes'], ['participants', '#/participants'],
      ['search', `#/search?q=${encodeURIComponent(name === 'data' ? 'tabletop' : 'Ada')}`],
      ...sources.map((s, i) => [`article-${i}`, `#/article/${s.id}`]),
      ...(people[0] ? [['participant', `#/participant/${people[0].id}`]] : []),
      ...(agreements[0] ? [['agreement', `#/fact/agreements/${agreements[0].id}`]] : []),
      ...(outcomes[0] ? [['outcome', `#/fact/outcomes/${outcomes[0].id}`]] : []),
      ...(claims[0] ? [['claim', `#/fact/claims/${claims[0].id}`], ['card', `#/card/claims/${claims[0].id}`]] : []),
    ];
    const page = await openPage(browser, base, WIDTHS.desktop);

    await check(`${name}: GET / with Accept: text/html is the viewer, with a CSP; JSON clients get an index`, async () => {
      const html = await fetch(`${base}/`, { headers: { Accept: 'text/html' } });
      assert.match(html.headers.get('content-type'), /^text\/html/);
      const csp = html.headers.get('content-security-policy');
      assert.ok(csp && !/unsafe-inline|unsafe-eval/.test(csp), csp);
      const index = await (await fetch(`${base}/`, { headers: { Accept: 'application/json' } })).json();
      assert.equal(index.links.sources, `${base}/sources`);
      // openapi.yaml names every file of viewer/, and each is served.
      const spec = JSON.parse(readFileSync(join(root, 'openapi.json'), 'utf8'));
      const files = spec.paths['/viewer/{file}'].parameters.find((p) => p.name === 'file').schema.enum;
      assert.deepEqual([...files].sort(), readdirSync(join(root, 'viewer')).sort());
      for (const f of files) assert.equal((await fetch(`${base}/viewer/${f}`)).status, 200, f);
    });

    for (const [label, w] of Object.entries(WIDTHS)) {
      await check(`${name}: every view renders at ${w.width} px, axe-core finds nothing, and a screenshot is saved`, async () => {
        await page.setViewportSize(w);
        const problems = [];
        for (const [view, hash] of views) {
          await go(page, base, hash);
          const error = await page.evaluate(() => document.querySelector('[role=alert]')?.textContent ?? null);
          if (error) problems.push(`${view}: ${error}`);
          const h1 = await page.evaluate(() => document.querySelector('main h1')?.textContent ?? '');
          if (!h1) problems.push(`${view}: no heading`);
          const junk = await page.evaluate(() => /\b(null|undefined|NaN)\b|\[object /.exec(document.querySelector('main').innerText)?.[0] ?? null);
          if (junk) problems.push(`${view}: shows "${junk}"`);
          for (const v of await axe(page)) problems.push(`${view}: ${v}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 1) problems.push(`${view}: ${overflow} px wider than the window`);
          await page.screenshot({ path: join(shots, `${name}-${view}-${label}.png`), fullPage: false });
        }
        assert.deepEqual(problems, []);
      });
    }
    await page.setViewportSize(WIDTHS.desktop);

    await check(`${name}: for every fact, its article's <mark>s of each span read the span's exact (${spans.length} spans)`, async () => {
      const bad = [];
      for (const s of sources) {
        await go(page, base, `#/article/${s.id}`);
        const mine = spans.filter((x) => x.span.source === s.id);
        const got = await page.evaluate((list) => {
          const marks = [...document.querySelectorAll('#article-text mark')];
          return list.map((r) => marks.filter((m) => m.dataset.spans.split(' ').includes(r)).map((m) => m.textContent).join(''));
        }, mine.map((x) => `${x.span.utf16_start}-${x.span.utf16_end}`));
        mine.forEach((x, i) => { if (got[i] !== x.span.exact) bad.push(`${x.kind}/${x.id} in ${s.id}: ${JSON.stringify(got[i])} != ${JSON.stringify(x.span.exact)}`); });
        // The bytes as they are: a BOM is text (the offsets count it).
        const bytes = await (await fetch(`${base}/sources/${s.id}/text`)).arrayBuffer();
        const text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(bytes);
        const shown = await page.evaluate(() => document.getElementById('article-text').textContent);
        if (shown !== text) bad.push(`${s.id}: the rendered text is not the article's text`);
      }
      assert.ok(spans.length > 0);
      assert.deepEqual(bad, []);
    });

    await check(`${name}: Apache Annotator anchors every TextQuoteSelector of /annotations where its TextPositionSelector says`, async () => {
      const annotations = await all(base, '/annotations');
      const bad = [];
      let n = 0;
      for (const s of sources) {
        // target.source is an absolute IRI (W3C): its path names the article.
        const mine = annotations.filter((a) => new URL(a.target.source).pathname === `/sources/${s.id}/text`).map((a) => ({
          id: a.id,
          quote: a.target.selector.find((x) => x.type === 'TextQuoteSelector'),
          position: a.target.selector.find((x) => x.type === 'TextPositionSelector'),
        }));
        n += mine.length;
        await go(page, base, `#/article/${s.id}`);
        await page.evaluate(annotatorSource);
        const got = await page.evaluate(async (list) => {
          const scope = document.getElementById('article-text');
          const codepoints = (str) => [...str].length;
          const out = [];
          for (const a of list) {
            const ranges = [];
            for await (const range of window.Annotator.createTextQuoteSelectorMatcher(a.quote)(scope)) ranges.push(range);
            const places = ranges.map((range) => {
              const before = document.createRange();
              before.setStart(scope, 0);
              before.setEnd(range.startContainer, range.startOffset);
              const start = codepoints(before.toString());
              return `${start}-${start + codepoints(range.toString())}`;
            });
            const want = `${a.position.start}-${a.position.end}`;
            if (places.length === 1 && places[0] === want) continue;
            // A quote whose 32-character context repeats in the article
            // matches more than once: the position must be one of them.
            out.push({ id: a.id, ambiguous: places.length > 1 && places.includes(want), places, want });
          }
          return out;
        }, mine);
        bad.push(...got);
      }
      assert.ok(n > 0);
      const ambiguous = bad.filter((b) => b.ambiguous);
      if (ambiguous.length) console.log(`note ${name}: ${ambiguous.length} of ${n} TextQuoteSelectors match more than once (their prefix/suffix repeat); the position is among the matches: ${ambiguous.map((b) => b.id).join(' ')}`);
      assert.deepEqual(bad.filter((b) => !b.ambiguous), []);
    });

    await check(`${name}: a shared span link opens the article scrolled to the highlight, with focus on it`, async () => {
      const bad = [];
      const picks = [spans[0], spans[Math.floor(spans.length / 2)], spans[spans.length - 1]];
      for (const { span } of picks) {
        const range = `${span.utf16_start}-${span.utf16_end}`;
        const fresh = await openPage(browser, base, WIDTHS.phone);
        await go(fresh, base, `#/article/${span.source}/span/${range}`);
        const state = await fresh.evaluate((r) => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return { tag: el.tagName, spans: el.dataset?.spans ?? '', visible: box.top >= 0 && box.bottom <= window.innerHeight + 1 };
        }, range);
        if (state.tag !== 'MARK' || !state.spans.split(' ').includes(range) || !state.visible) bad.push(`${range} in ${span.source}: ${JSON.stringify(state)}`);
        await fresh.context().close();
      }
      assert.deepEqual(bad, []);
    });

    await check(`${name}: the keyboard alone (Tab) reaches every fact of every article`, async () => {
      const missing = [];
      for (const s of sources) {
        await go(page, base, `#/article/${s.id}`);
        const want = new Set(spans.filter((x) => x.span.source === s.id).map((x) => `${x.kind.slice(0, -1)}/${x.id}`));
        const stops = await page.evaluate(() => document.querySelectorAll('a, button, input, select, [tabindex="0"]').length);
        const seen = new Set();
        await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
        for (let i = 0; i < stops + 5; i++) {
          await page.keyboard.press('Tab');
          const fact = await page.evaluate(() => document.activeElement?.dataset?.fact ?? null);
          if (fact) seen.add(fact);
        }
        for (const f of want) if (!seen.has(f)) missing.push(`${f} in ${s.id}`);
      }
      assert.deepEqual(missing, []);
    });

    await check(`${name}: following a margin link with Enter focuses its highlight`, async () => {
      await go(page, base, `#/article/${sources[0].id}`);
      await page.focus('.margin-list a.span-link');
      const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.tagName === 'MARK', null, { timeout: 10_000 });
      const range = href.split('/span/')[1];
      assert.ok((await page.evaluate(() => document.activeElement.dataset.spans)).split(' ').includes(range));
      const facts = await page.evaluate(() => document.getElementById('selection').textContent);
      assert.match(facts, /Cited by/);
    });

    await check(`${name}: a fact's quotes show their source, speaker and certainty, and link to the article at the span`, async () => {
      const said = spans.find((x) => x.span.attribution?.attributed_to?.name);
      const any = said ?? spans[0];
      await go(page, base, `#/fact/${any.kind}/${any.id}`);
      const got = await page.evaluate(() => ({
        quotes: [...document.querySelectorAll('.evidence .quote mark')].map((m) => m.textContent),
        text: document.querySelector('main').innerText,
        links: [...document.querySelectorAll('.evidence a')].map((a) => a.getAttribute('href')),
      }));
      assert.ok(got.quotes.includes(any.span.exact));
      assert.ok(got.links.includes(`#/article/${any.span.source}/span/${any.span.utf16_start}-${any.span.utf16_end}`));
      if (said) {
        assert.ok(got.text.includes(`Said by ${said.span.attribution.attributed_to.name}`), 'the speaker is shown');
        assert.ok(got.text.includes(said.span.attribution.certainty), 'the certainty is shown');
      }
    });

    await check(`${name}: filters are read from and written to the URL`, async () => {
      await go(page, base, '#/?status=agreed');
      assert.equal(await page.inputValue('#f-status'), 'agreed');
      await page.fill('#f-date_from', '2015');
      await page.click('.filters button[type=submit]');
      await page.waitForFunction(() => location.hash.includes('date_from=2015') && document.body.dataset.ready === 'yes');
      assert.match(await page.evaluate(() => location.hash), /status=agreed/);
      const shown = await page.evaluate(() => [...document.querySelectorAll('[aria-labelledby="h-agreements"] .card-item .title')].length);
      const want = (await all(base, '/agreements?status=agreed&date_from=2015')).length;
      assert.equal(shown, want);
    });

    await check(`${name}: the search box finds hits whose span links open the article at the span`, async () => {
      await go(page, base, '#/');
      const word = name === 'data' ? 'tabletop' : 'Ada';
      await page.fill('#search-q', word);
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => location.hash.startsWith('#/search') && document.body.dataset.ready === 'yes');
      const link = page.locator('.hits a[href*="/span/"]').first();
      const href = await link.getAttribute('href');
      await link.click();
      await page.waitForFunction(() => document.activeElement?.tagName === 'MARK', null, { timeout: 10_000 });
      assert.ok((await page.evaluate(() => document.activeElement.dataset.spans)).split(' ').includes(href.split('/span/')[1]));
    });

    if (name === 'unicode') {
      await check('unicode: the HTML-looking article shows literally and runs nothing', async () => {
        const markup = sources.find((s) => /markup/.test(s.file) || /markup/.test(s.id));
        assert.ok(markup, 'the fixture has its markup article');
        await go(page, base, `#/article/${markup.id}`);
        const got = await page.evaluate(() => ({
          text: document.getElementById('article-text').textContent,
          elements: [...document.querySelectorAll('#article-text *')].map((e) => e.tagName).filter((t) => !['MARK', 'SPAN'].includes(t)),
          scripts: document.scripts.length,
        }));
        assert.ok(got.text.includes('<script>alert(1)</script>'), 'the script tag shows as text');
        assert.ok(got.text.includes('&amp;') && got.text.includes('<b>Ada Quill</b>'), 'entities and tags show as typed');
        assert.deepEqual(got.elements, []);
        assert.equal(got.scripts, 1);
        assert.deepEqual(page.dialogs, []);
      });
    }

    await check(`${name}: no console errors and no request to another host`, async () => {
      assert.deepEqual(page.errors, []);
      assert.deepEqual(page.foreign, []);
    });
    await page.context().close();
  } finally {
    await accord.stop();
    fixture.cleanup();
  }
}

const which = process.argv[2];
const corpora = [['data', join(root, 'data')], ['unicode', join(root, 'tests/fixtures/unicode')]]
  .filter(([n]) => !which || n === which);
const browser = await launchChromium();
try {
  for (const [name, dir] of corpora) await runCorpus(browser, name, dir);
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`${failures.length} failed`);
  process.exit(1);
}
console.log('viewer: all passed');
