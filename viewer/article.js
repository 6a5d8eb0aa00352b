// The article view: the full text as text nodes, every span of every fact
// (and, when asked, participants' mentions) as <mark> elements placed at
// the spans' UTF-16 offsets, overlaps split into segments (each mark
// lists every span covering it), boilerplate regions set apart, and a
// margin of the facts in text order.
import { get } from './api.js';
import { h, add, clear, route, factRoute, spanRoute } from './dom.js';

const FACTS = new Set(['agreement', 'outcome', 'claim', 'metadata']);
const KIND_NAMES = { agreement: 'agreement', outcome: 'outcome', claim: 'claim', metadata: 'article metadata', participant: 'mention' };

// Cuts [0, length) at every span boundary: [{ start, end, cover }], each
// segment with the spans covering it whole (in the spans' order).
export function segments(length, spans) {
  const cuts = new Set([0, length]);
  for (const s of spans) { cuts.add(s.utf16_start); cuts.add(s.utf16_end); }
  const at = [...cuts].filter((c) => c >= 0 && c <= length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const start = at[i];
    const end = at[i + 1];
    out.push({ start, end, cover: spans.filter((s) => s.utf16_start <= start && s.utf16_end >= end) });
  }
  return out;
}

export function rangeOf(span) {
  return `${span.utf16_start}-${span.utf16_end}`;
}

function describe(item) {
  return `${KIND_NAMES[item.kind] ?? item.kind}: ${item.label ?? item.id}`;
}

// One <mark> for a segment that spans cover.
function markFor(text, seg, marks) {
  const ranges = [...new Set(seg.cover.map(rangeOf))];
  const facts = [...new Set(seg.cover.map((s) => `${s.kind}/${s.id}`))];
  const mentionOnly = seg.cover.every((s) => s.kind === 'participant');
  return h('mark', {
    class: mentionOnly ? 'mention' : 'fact',
    tabindex: '0',
    dataset: { spans: ranges.join(' '), facts: facts.join(' '), count: String(facts.length) },
    'aria-describedby': 'selection-hint',
  }, text.slice(seg.start, seg.end));
}

// The article's text: region containers holding text and marks.
function renderText(text, items, shown) {
  const regions = items.filter((s) => s.kind === 'region');
  const marked = items.filter((s) => FACTS.has(s.kind) || (s.kind === 'participant' && shown(s)));
  const root = h('div', { class: 'text', id: 'article-text' });
  let holder = root;
  let regionKey = '';
  for (const seg of segments(text.length, [...regions, ...marked])) {
    const inRegions = seg.cover.filter((s) => s.kind === 'region');
    const key = inRegions.map(rangeOf).join(' ');
    if (key !== regionKey) {
      regionKey = key;
      holder = root;
      if (key) {
        const names = [...new Set(inRegions.map((r) => r.region ?? r.label))].join(', ');
        holder = h('span', { class: 'region', dataset: { region: names } });
        root.append(holder);
      }
    }
    const cover = seg.cover.filter((s) => s.kind !== 'region');
    if (cover.length) holder.append(markFor(text, { ...seg, cover }));
    else holder.append(document.createTextNode(text.slice(seg.start, seg.end)));
  }
  return root;
}

// The facts that cite a mark's words, in the selection panel.
function showSelection(panel, mark, byKey) {
  clear(panel);
  const keys = mark.dataset.facts.split(' ');
  panel.append(h('h3', {}, keys.length === 1 ? 'Cited by 1 fact' : `Cited by ${keys.length} facts`),
    h('ul', {}, keys.map((key) => {
      const item = byKey.get(key);
      const [kind, id] = key.split('/');
      return h('li', {}, kind === 'participant' || kind === 'metadata'
        ? describe(item)
        : h('a', { href: factRoute(kind, id) }, describe(item)));
    })));
}

function margin(source, items) {
  const facts = items.filter((s) => FACTS.has(s.kind));
  return h('ol', { class: 'margin-list' }, facts.map((s) => h('li', { class: `kind-${s.kind}` },
    h('a', { class: 'span-link', href: spanRoute({ ...s, source }), dataset: { fact: `${s.kind}/${s.id}` } }, s.label ?? s.id),
    ' ',
    h('span', { class: 'kind' }, KIND_NAMES[s.kind]),
    s.kind === 'metadata' ? null : [' · ', h('a', { href: factRoute(s.kind, s.id), 'aria-label': `fact: ${s.label ?? s.id}` }, 'fact')],
    h('span', { class: 'excerpt' }, `“${[...s.exact].length > 48 ? `${[...s.exact].slice(0, 47).join('')}…` : s.exact}”`))));
}

function mentionPicker(source, items, mentions) {
  const people = new Map();
  for (const s of items) if (s.kind === 'participant' && !people.has(s.id)) people.set(s.id, s.label ?? s.id);
  const select = h('select', { id: 'mentions' },
    h('option', { value: '' }, 'none'),
    h('option', { value: 'all' }, 'every participant'),
    [...people].sort((a, b) => a[1].localeCompare(b[1])).map(([id, label]) => h('option', { value: id }, label)));
  select.value = mentions;
  select.addEventListener('change', () => {
    location.hash = route('article', source) + (select.value ? `?mentions=${encodeURIComponent(select.value)}` : '');
  });
  return h('p', { class: 'controls' }, h('label', { for: 'mentions' }, 'Show the mentions of '), select);
}

// Renders the article of `source` into main; mentions is '', 'all' or a
// participant's id. Returns { focus(range) } once drawn.
export async function articleView(main, { source, mentions = '' }) {
  const doc = await get(`/sources/${encodeURIComponent(source)}/spans`);
  const items = doc.items;
  const byKey = new Map(items.map((s) => [`${s.kind}/${s.id}`, s]));
  const shown = (s) => mentions === 'all' || s.id === mentions;
  const text = renderText(doc.text, items, shown);
  const hint = h('p', { id: 'selection-hint', class: 'hint' }, 'Select a highlight to see the facts that cite it.');
  const panel = h('div', { class: 'selection', id: 'selection', 'aria-live': 'polite' });
  const select = (ev) => {
    const mark = ev.target.closest?.('mark');
    if (mark) showSelection(panel, mark, byKey);
  };
  text.addEventListener('click', select);
  text.addEventListener('focusin', select);
  add(clear(main), h('article', { class: 'article-view' },
    h('h1', {}, doc.label),
    h('p', { class: 'meta' }, `${doc.length.codepoints} characters · `,
      h('a', { href: `/sources/${encodeURIComponent(source)}/text` }, 'plain text'), ' · ',
      h('a', { href: route('facts') + `?source=${encodeURIComponent(source)}` }, 'facts from this article')),
    mentionPicker(source, items, mentions),
    h('div', { class: 'reader' }, text,
      h('aside', { class: 'margin', 'aria-label': 'Facts in text order' }, hint, panel,
        h('h2', {}, 'Facts in text order'), margin(source, items)))));
  return { focus: (range) => focusSpan(text, range) };
}

// Scrolls to the first mark of the span at range ("start-end", UTF-16)
// and focuses it; false when no mark has it.
export function focusSpan(root, range) {
  for (const m of root.querySelectorAll('mark.current')) m.classList.remove('current');
  const marks = [...root.querySelectorAll('mark')].filter((m) => m.dataset.spans.split(' ').includes(range));
  if (!marks.length) return false;
  for (const m of marks) m.classList.add('current');
  marks[0].scrollIntoView({ block: 'center' });
  marks[0].focus({ preventScroll: true });
  return true;
}
