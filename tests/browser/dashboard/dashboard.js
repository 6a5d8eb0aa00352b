// A dashboard of accord in plain JavaScript, as a newsroom would write it:
// each panel makes one call to accord (on another origin) and renders what
// comes back, with no joins and no filtering on the client.
'use strict';

const params = new URLSearchParams(location.search);
const API = params.get('api');
const SOURCE = params.get('source');
// What each panel asked, for the test to read: { panel: [url, ...] }.
window.accordCalls = {};
// The highlights of the article reader: [{ range, span }].
window.accordHighlights = [];

async function call(panel, path) {
  const url = API + path;
  (window.accordCalls[panel] ??= []).push(url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Counts: the outcomes by status and by kind, zeros included (facets).
async function counts() {
  const body = await call('counts', '/outcomes?facet=status&facet=kind&limit=1&fields=id&count=true');
  const table = document.querySelector('#counts table');
  table.append(Object.assign(el('caption', `${body.count} outcomes`)));
  for (const [field, values] of Object.entries(body.facets)) {
    for (const { value, count } of values) {
      const row = el('tr');
      row.dataset.facet = field;
      row.dataset.value = String(value);
      row.append(el('th', `${field}: ${value}`), el('td', String(count)));
      table.append(row);
    }
  }
}

// Timeline: every dated fact in order, the disputed dates marked.
async function timeline() {
  const body = await call('timeline', '/timeline');
  const list = document.querySelector('#timeline ol');
  for (const item of body.items) {
    const li = el('li', `${item.date ?? 'undated'} — ${item.label}${item.value ? `: ${item.value}` : ''}`);
    li.dataset.kind = item.kind;
    li.dataset.id = item.id;
    if (item.disputed) li.dataset.disputedBy = item.disputed_by.join(' ');
    list.append(li);
  }
}

// Disputes: each disputed claim's values side by side, with the names of
// the sources that give them (embed=sources).
async function disputes() {
  const body = await call('disputes', '/claims?disputed=true&fields=id,label,values&embed=sources');
  const root = document.querySelector('#disputes div');
  for (const claim of body.items) {
    const names = Object.fromEntries(claim.embedded.sources.map((s) => [s.id, s.label]));
    const box = el('div');
    box.dataset.claim = claim.id;
    box.append(el('h3', claim.label));
    for (const v of claim.values) {
      const p = el('p', `${v.value} — ${[...new Set(v.evidence.map((s) => names[s.source]))].join(', ')}`);
      p.className = 'value';
      box.append(p);
    }
    root.append(box);
  }
}

// Reader: the article with every span highlighted (CSS Custom Highlights
// over one text node, so that overlapping spans need no nesting).
async function reader() {
  const body = await call('reader', `/sources/${encodeURIComponent(SOURCE)}/spans`);
  document.querySelector('#reader h2').textContent = body.label;
  const node = document.createTextNode(body.text);
  document.querySelector('#reader pre').append(node);
  const highlight = new Highlight();
  for (const span of body.items) {
    const range = new Range();
    range.setStart(node, span.utf16_start);
    range.setEnd(node, span.utf16_end);
    highlight.add(range);
    window.accordHighlights.push({ range, span });
  }
  CSS.highlights.set('accord-span', highlight);
}

Promise.all([counts(), timeline(), disputes(), reader()]).then(
  () => { document.body.dataset.ready = 'yes'; },
  (err) => { document.body.dataset.ready = 'failed'; document.body.dataset.error = String(err); },
);
