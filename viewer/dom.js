// Building the page from data: every value goes in as a text node or an
// attribute, never as markup.

// h('a', { href: '#/', class: 'x', onclick: fn }, 'text', node, [more]):
// an element with attributes (on* as listeners; null/false left out) and
// children (strings as text nodes; arrays flattened; null skipped).
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, kids);
  return el;
}

export function append(el, kids) {
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// A hash route's URL: route('article', id, 'span', '3-9') -> "#/article/ID/span/3-9".
export function route(...parts) {
  return '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
}

// A query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

// A snippet whose matches are between « and »: text with <mark>s.
export function snippet(text) {
  const out = [];
  const re = /«([^»]*)»/g;
  let at = 0;
  for (let m; (m = re.exec(text)) !== null; at = re.lastIndex) {
    out.push(text.slice(at, m.index), h('mark', { class: 'hit' }, m[1]));
  }
  out.push(text.slice(at));
  return out;
}

// A quote in context: prefix, the exact words marked, suffix.
export function quote(span) {
  return h('blockquote', { class: 'quote' },
    h('span', { class: 'ctx' }, span.prefix ? `…${span.prefix}` : ''),
    h('mark', {}, span.exact),
    h('span', { class: 'ctx' }, span.suffix ? `${span.suffix}…` : ''));
}

export function spanRoute(span) {
  return route('article', span.source, 'span', `${span.utf16_start}-${span.utf16_end}`);
}

export const FACT_KINDS = { agreement: 'agreements', outcome: 'outcomes', claim: 'claims' };

export function factRoute(kind, id) {
  return route('fact', FACT_KINDS[kind] ?? kind, id);
}

// el.append for data: add(el, 'text', node, [more], null) skips null.
export function add(el, ...kids) {
  return append(el, kids);
}
