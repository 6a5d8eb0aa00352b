// The views other than the article: overview, facts, one fact, disputes,
// participants, one participant, search, and the embeddable fact card.
// Each panel is one API call; data goes in as text only.
import { get } from './api.js';
import { h, add, clear, route, query, snippet, quote, spanRoute, factRoute, FACT_KINDS } from './dom.js';

const STATUSES = ['agreed', 'proposed', 'under-consideration', 'implemented'];
const enc = encodeURIComponent;

// A panel: a titled section filled by fill(data) once path answers.
function panel(title, path, fill, id) {
  const body = h('div', { class: 'panel-body' }, h('p', { class: 'loading' }, 'Loading…'));
  const headingId = `h-${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const section = h('section', { class: 'panel', 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), body);
  const done = get(path).then((data) => { clear(body); fill(body, data); },
    (err) => { add(clear(body), h('p', { class: 'error', role: 'alert' }, `Could not load ${path}: ${err.message}`)); });
  section.done = done;
  return section;
}

function labels(embedded, key, ids) {
  const named = new Map((embedded?.[key] ?? []).map((r) => [r.id, r.label]));
  return ids.map((id) => named.get(id) ?? id);
}

function partyLinks(embedded, ids) {
  const names = labels(embedded, 'parties', ids ?? []);
  return (ids ?? []).map((id, i) => [i ? ', ' : '', h('a', { href: route('participant', id) }, names[i])]);
}

function statusBadge(status) {
  return status ? h('span', { class: `badge status-${status}` }, status) : null;
}

function empty(list, what) {
  return list.length ? null : h('p', { class: 'empty' }, `No ${what}.`);
}

// The filters the API has, read from and written to the URL's query.
function filterForm(params, facets) {
  const field = (name, label, control) => h('div', { class: 'field' }, h('label', { for: `f-${name}` }, label), control);
  const select = (name, values) => {
    const s = h('select', { id: `f-${name}`, name }, h('option', { value: '' }, 'any'),
      values.map(([v, text]) => h('option', { value: v }, text)));
    s.value = params.get(name) ?? '';
    return s;
  };
  const input = (name, placeholder) => h('input', { id: `f-${name}`, name, value: params.get(name) ?? '', placeholder, size: '10' });
  const form = h('form', { class: 'filters', 'aria-label': 'Filters' },
    field('status', 'Status', select('status', STATUSES.map((s) => [s, s]))),
    field('kind', 'Outcome kind', select('kind', (facets?.kind ?? []).map((f) => [f.value, `${f.value} (${f.count})`]))),
    field('source', 'Source', select('source', (facets?.source ?? []).map((f) => [f.value, `${f.value} (${f.count})`]))),
    field('participant', 'Participant id', input('participant', 'e.g. china')),
    field('date_from', 'From', input('date_from', 'YYYY-MM')),
    field('date_to', 'To', input('date_to', 'YYYY-MM')),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, 'Apply'),
      h('a', { href: '#/' }, 'Clear')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = {};
    for (const [k, v] of new FormData(form)) q[k] = v.trim();
    const next = '#/' + query(q);
    // Not ready until the hashchange renders the new view: the URL
    // changes before that event is dispatched (none is for the same URL).
    if (next !== location.hash) document.body.dataset.ready = 'no';
    location.hash = next;
  });
  return form;
}

function pick(params, names) {
  const out = {};
  for (const n of names) if (params.get(n)) out[n] = params.get(n);
  return out;
}

function overlaps(item, from, to) {
  if (!from && !to) return true;
  if (!item.start || !item.end) return false;
  return (!from || item.end.slice(0, from.length) >= from) && (!to || item.start.slice(0, to.length) <= to);
}

export function overview(main, params) {
  const facetsPath = '/outcomes?facet=status,kind,source&limit=1';
  const panels = [
    panel('Filters', facetsPath, (body, data) => add(body, h('details', { open: params.size > 0 || matchMedia('(min-width: 56rem)').matches },
      h('summary', {}, params.size ? `Filtered by ${[...params.keys()].join(', ')}` : 'Status, kind, source, participant, dates'),
      filterForm(params, data.facets)))),
    panel('Agreements', `/agreements${query({ embed: 'parties', limit: 500, ...pick(params, ['status', 'participant', 'source', 'date_from', 'date_to']) })}`, (body, data) => {
      add(body, empty(data.items, 'agreements'), h('ul', { class: 'cards' }, data.items.map((a) => h('li', { class: 'card-item' },
        h('a', { href: factRoute('agreement', a.id), class: 'title' }, a.label), ' ', statusBadge(a.status),
        h('p', { class: 'meta' }, a.date ? `Dated ${a.date}` : 'Undated', ` · corroborated by ${a.corroboration} source${a.corroboration === 1 ? '' : 's'}`),
        h('p', { class: 'meta' }, 'Parties: ', partyLinks(a.embedded, a.parties))))));
    }),
    timelinePanel(params),
    panel('Disputes', `/claims${query({ disputed: 'true', limit: 500, ...pick(params, ['participant', 'source']) })}`, (body, data) => {
      add(body, empty(data.items, 'disputes'), h('ul', {}, data.items.map((c) => h('li', {},
        h('a', { href: factRoute('claim', c.id) }, c.label), ` — ${c.values?.length ?? 0} values`))),
      h('p', {}, h('a', { href: route('disputes') }, 'All disputes side by side')));
    }),
    panel('Delegates', `/participants${query({ role: 'delegate', mentions: 0, limit: 500, ...pick(params, ['source']) })}`, (body, data) => {
      add(body, empty(data.items, 'delegates'), h('ul', {}, data.items.map((p) => h('li', {},
        h('a', { href: route('participant', p.id) }, p.label), p.title ? `, ${p.title}` : ` (${p.kind})`,
        h('span', { class: 'meta' }, ` · ${p.mention_count} mentions`)))));
    }),
    panel('Sources', `/sources${query({ limit: 500, fields: 'id,label,headline,publisher,date,fact_counts', ...pick(params, ['participant', 'date_from', 'date_to']) })}`, (body, data) => {
      add(body, empty(data.items, 'sources'), h('ul', { class: 'cards' }, data.items.map((s) => h('li', { class: 'card-item' },
        h('a', { href: route('article', s.id), class: 'title' }, s.headline ?? s.label),
        h('p', { class: 'meta' }, [s.publisher, s.date].filter(Boolean).join(' · ') || 'Publisher and date not stated'),
        h('p', { class: 'meta' }, Object.entries(s.fact_counts ?? {}).map(([k, n]) => `${n} ${k}`).join(' · '))))));
    }),
  ];
  add(clear(main), h('h1', {}, 'The negotiation at a glance'), h('div', { class: 'grid' }, panels));
  return Promise.all(panels.map((p) => p.done));
}

function timelinePanel(params) {
  const status = params.get('status');
  const from = params.get('date_from');
  const to = params.get('date_to');
  return panel('Outcomes timeline', '/timeline', (body, data) => {
    const items = data.items.filter((t) => (!status || t.status === status) && overlaps(t, from, to));
    add(body, empty(items, 'dated facts'), h('ol', { class: 'timeline' }, items.map((t) => h('li', { class: `tl-${t.kind}` },
      h('span', { class: 'when' }, t.date ?? t.value ?? 'undated'), ' ',
      h('span', { class: 'kind' }, t.kind), ' ',
      h('a', { href: factRoute(t.kind, t.id) }, t.label), ' ', statusBadge(t.status),
      t.disputed ? h('span', { class: 'badge disputed' }, 'date disputed') : null))));
  }, 'timeline');
}

// Facts: every agreement, outcome and claim, filtered as the URL says.
export function facts(main, params) {
  const f = pick(params, ['source', 'participant']);
  const panels = [
    panel('Agreements', `/agreements${query({ limit: 500, ...f, ...pick(params, ['status', 'date_from', 'date_to']) })}`, (body, d) => factList(body, d, 'agreement')),
    panel('Outcomes', `/outcomes${query({ limit: 500, ...f, ...pick(params, ['status', 'kind', 'date_from', 'date_to']) })}`, (body, d) => factList(body, d, 'outcome')),
    panel('Claims', `/claims${query({ limit: 500, ...f })}`, (body, d) => factList(body, d, 'claim')),
  ];
  const scope = Object.entries(f).map(([k, v]) => `${k} ${v}`).join(', ');
  add(clear(main), h('h1', {}, scope ? `Facts (${scope})` : 'Facts'), h('div', { class: 'grid' }, panels));
  return Promise.all(panels.map((p) => p.done));
}

function factList(body, data, kind) {
  add(body, empty(data.items, `${kind}s`), h('ul', {}, data.items.map((x) => h('li', {},
    h('a', { href: factRoute(kind, x.id) }, x.label), ' ', statusBadge(x.status),
    x.disputed ? h('span', { class: 'badge disputed' }, 'disputed') : x.differs ? h('span', { class: 'badge' }, 'reports differ') : null))));
}

// Who says it: a participant (linked), a described speaker, or the
// reporter (null, or a value's { voice: 'reporter' }).
function speakerName(s) {
  if (!s || s.voice === 'reporter') return 'the reporter';
  return s.name ?? s.description ?? s.id ?? 'unnamed';
}

function speaker(s) {
  return s?.id ? h('a', { href: route('participant', s.id) }, speakerName(s)) : speakerName(s);
}

function speakers(list) {
  return (list ?? []).map((s, i) => [i ? ', ' : '', speaker(s)]);
}

// One evidence span: the quote in context, its source, who says it and
// how sure (from its attribution, where the data has one), and links.
function evidence(span, sources, absolute) {
  const a = span.attribution;
  const base = absolute ? `${location.origin}/` : '';
  return h('li', { class: 'evidence' }, quote(span),
    h('p', { class: 'meta' }, 'In ', h('a', { href: base + spanRoute(span), target: absolute ? '_top' : null }, labels(sources, 'sources', [span.source])[0]),
      ` · characters ${span.start}–${span.end}`),
    a ? h('p', { class: 'meta attribution' }, 'Said by ', absolute ? speakerName(a.attributed_to) : speaker(a.attributed_to),
      a.via?.length ? [', via ', a.via.map((v, i) => [i ? ', ' : '', speakerName(v)])] : null,
      ` · ${a.stance ?? ''}${a.certainty ? ` (${a.certainty})` : ''}`, a.as_of ? ` · as of ${a.as_of}` : null) : null);
}

function factBody(kind, x, absolute) {
  const src = x.embedded;
  const parts = [];
  if (x.summary && x.summary !== x.label) parts.push(h('p', {}, x.summary));
  const meta = [x.status && `status ${x.status}`, x.date && `dated ${x.date}`, x.timeframe && `timeframe ${x.timeframe}`,
    x.kind && kind === 'outcome' && `kind ${x.kind}`, x.corroboration !== undefined && `corroboration ${x.corroboration}`].filter(Boolean);
  if (meta.length) parts.push(h('p', { class: 'meta' }, meta.join(' · ')));
  if (x.parties?.length) parts.push(h('p', { class: 'meta' }, 'Parties: ', partyLinks(src, x.parties)));
  if (x.evidence) parts.push(h('ol', { class: 'evidence-list' }, x.evidence.map((s) => evidence(s, src, absolute))));
  if (x.relations?.length) {
    parts.push(h('section', { class: 'relations' }, h('h2', {}, 'How the values relate'), h('ul', {}, x.relations.map((r) => h('li', {},
      h('span', { class: 'badge' }, r.relation), ` ${r.values.join(' · ')}`, r.note ? ` — ${r.note}` : '')))));
  }
  for (const v of x.values ?? []) {
    parts.push(h('section', { class: 'value' }, h('h2', {}, `“${v.value}”`),
      v.speakers?.length ? h('p', { class: 'meta' }, 'Speakers: ', absolute ? v.speakers.map(speakerName).join(', ') : speakers(v.speakers)) : null,
      h('ol', { class: 'evidence-list' }, v.evidence.map((s) => evidence(s, src, absolute)))));
  }
  return parts;
}

const EMBED = { agreements: 'parties,sources', outcomes: 'parties,sources,agreement', claims: 'sources' };

export async function fact(main, kindPath, id) {
  const kind = Object.keys(FACT_KINDS).find((k) => FACT_KINDS[k] === kindPath);
  const x = await get(`/${kindPath}/${enc(id)}?embed=${EMBED[kindPath]}`);
  add(clear(main), h('article', { class: 'fact-view' },
    h('p', { class: 'kind' }, kind), h('h1', {}, x.label),
    x.disputed ? h('p', { class: 'badge disputed' }, `Disputed${x.dispute?.reason ? `: ${x.dispute.reason}` : ''}`) : null,
    factBody(kind, x, false),
    h('p', { class: 'meta' }, h('a', { href: route('card', kindPath, id) }, 'Embeddable card'), ' · ',
      h('a', { href: `/${kindPath}/${enc(id)}` }, 'JSON'))));
}

// A small page for an iframe: the fact, its quotes, links to the articles.
export async function card(main, kindPath, id) {
  const kind = Object.keys(FACT_KINDS).find((k) => FACT_KINDS[k] === kindPath);
  const x = await get(`/${kindPath}/${enc(id)}?embed=${EMBED[kindPath]}`);
  add(clear(main), h('article', { class: 'fact-card' }, h('h1', {}, x.label), factBody(kind, x, true),
    h('p', { class: 'meta' }, 'Source: ', h('a', { href: `${location.origin}/${factRoute(kind, id)}`, target: '_top' }, 'accord'))));
}

// One value of a claim: its words, speakers and quotes.
function valueBox(v, sources) {
  return h('div', { class: 'side' },
    h('h4', {}, `“${v.value}”`),
    h('p', { class: 'meta' }, 'Speakers: ', v.speakers?.length ? speakers(v.speakers) : 'the reporter'),
    h('ol', { class: 'evidence-list' }, v.evidence.map((s) => evidence(s, sources, false))));
}

// The values of a disputed claim side by side: each side of the dispute
// (its values, speakers, sources and quotes), then any other value.
function disputeBlock(c) {
  const byKey = new Map(c.values.map((v) => [v.key, v]));
  const sides = c.dispute?.sides ?? [];
  const placed = new Set(sides.flatMap((side) => side.values));
  const others = c.values.filter((v) => !placed.has(v.key));
  return h('section', { class: 'dispute', id: `dispute-${c.id}`, 'aria-labelledby': `d-${c.id}` },
    h('h3', { id: `d-${c.id}` }, h('a', { href: factRoute('claim', c.id) }, c.label)),
    c.dispute?.reason ? h('p', {}, c.dispute.reason) : null,
    h('div', { class: 'sides' },
      sides.map((side, i) => h('div', { class: 'side-group' }, h('p', { class: 'kind' }, `Side ${i + 1}`),
        side.values.map((k) => byKey.get(k)).filter(Boolean).map((v) => valueBox(v, c.embedded)))),
      others.length ? h('div', { class: 'side-group' }, h('p', { class: 'kind' }, 'Also reported'), others.map((v) => valueBox(v, c.embedded))) : null));
}

export function disputes(main) {
  const p = panel('Disputed claims', '/claims?disputed=true&embed=sources&limit=500', (body, data) => {
    add(body, empty(data.items, 'disputes'), data.items.map(disputeBlock));
  });
  add(clear(main), h('h1', {}, 'Disputes'), p);
  return p.done;
}

export function participants(main, params) {
  const p = panel('Participants', `/participants${query({ mentions: 0, limit: 500, ...pick(params, ['role', 'source']) })}`, (body, data) => {
    add(body, h('table', {}, h('caption', {}, 'Participants, their role and how often the articles name them'),
      h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Role', 'Title', 'Mentions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, data.items.map((x) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: route('participant', x.id) }, x.label)),
        h('td', {}, x.kind), h('td', {}, x.role ?? ''), h('td', {}, x.title ?? ''), h('td', {}, String(x.mention_count)))))));
  });
  add(clear(main), h('h1', {}, 'Participants'), p);
  return p.done;
}

export async function participant(main, id) {
  const x = await get(`/participants/${enc(id)}?embed=sources`);
  const counts = new Map();
  for (const m of x.mentions) counts.set(m.source, (counts.get(m.source) ?? 0) + 1);
  const names = new Map((x.embedded?.sources ?? []).map((s) => [s.id, s.label]));
  const panels = ['agreements', 'outcomes', 'claims'].map((k) => panel(`${k[0].toUpperCase()}${k.slice(1)} naming ${x.name}`,
    `/${k}?participant=${enc(id)}&limit=500`, (body, d) => factList(body, d, k.slice(0, -1)), `p-${k}`));
  panels.push(panel(`What ${x.name} said or relayed`, `/participants/${enc(id)}/statements?limit=500`, (body, d) => {
    add(body, empty(d.items, 'statements'), h('ol', { class: 'evidence-list' }, d.items.map((st) => h('li', { class: 'evidence' },
      quote(st.span),
      h('p', { class: 'meta' }, h('a', { href: factRoute(st.kind, st.id) }, `${st.kind} ${st.id}`), st.value_key ? ` (value ${st.value_key})` : '',
        ` · ${st.relayed ? 'relayed' : st.stance}${st.certainty ? ` (${st.certainty})` : ''} · `,
        h('a', { href: spanRoute(st.span) }, 'in the article'))))));
  }, 'p-statements'));
  add(clear(main), h('article', { class: 'participant-view' },
    h('h1', {}, x.name),
    h('p', { class: 'meta' }, [x.kind, x.role && `role ${x.role}`, x.title, x.affiliation, x.country].filter(Boolean).join(' · ')),
    h('section', { class: 'panel', 'aria-labelledby': 'h-mentions' }, h('h2', { id: 'h-mentions' }, `Mentions per article (${x.mention_count})`),
      h('ul', {}, [...counts].map(([src, n]) => h('li', {},
        h('a', { href: `${route('article', src)}?mentions=${enc(id)}` }, names.get(src) ?? src), `: ${n}`)))),
    h('div', { class: 'grid' }, panels)));
  return Promise.all(panels.map((p) => p.done));
}

export async function search(main, params) {
  const q = params.get('q') ?? '';
  const input = document.getElementById('search-q');
  if (input && input.value !== q) input.value = q;
  if (!q) {
    add(clear(main), h('h1', {}, 'Search'), h('p', {}, 'Type words in the search box.'));
    return;
  }
  const p = panel(`Results for “${q}”`, `/search${query({ q, limit: 50 })}`, (body, data) => {
    add(body, empty(data.items, 'hits'), h('ol', { class: 'hits' }, data.items.map((hit) => h('li', {},
      h('p', {}, h('span', { class: 'kind' }, hit.kind), ' ',
        hit.kind === 'source' ? h('a', { href: route('article', hit.id) }, hit.label)
          : hit.kind === 'participant' ? h('a', { href: route('participant', hit.id) }, hit.label)
            : h('a', { href: factRoute(hit.kind, hit.id) }, hit.label)),
      h('p', { class: 'snippet' }, snippet(hit.snippet ?? '')),
      hit.spans?.length ? h('p', { class: 'meta' }, 'Open at: ', hit.spans.slice(0, 5).map((s, i) => [i ? ', ' : '',
        h('a', { href: spanRoute(s) }, `${s.source} ${s.start}–${s.end}`)])) : null))));
  }, 'results');
  add(clear(main), h('h1', {}, 'Search'), p);
  return p.done;
}
