#!/usr/bin/env node
// Contract test: requests a running accord daemon and checks every response
// against openapi.yaml (OpenAPI 3.1).
//
//   node validate.mjs BASE_URL SPEC_PATH
//   node validate.mjs http://127.0.0.1:8080 ../../openapi.yaml
//
// For each response it finds the operation (path template + method), and
// requires that the status is documented for it, that Content-Type is one of
// the documented media types (parameters ignored, except that text/plain must
// say charset=utf-8), that the documented required headers are present and
// valid, and that a JSON body validates against the documented schema.
// Prints one line per failed check, then `contract: N passed, M failed`
// (responses), and exits 1 if M > 0 or N == 0.

import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import process from 'node:process';
import { gunzipSync } from 'node:zlib';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { w3cAssert, w3cExpand } from './w3c.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LISTS = ['sources', 'participants', 'agreements', 'outcomes', 'claims'];
const CONCURRENCY = 8;
// Query strings that make a route answer 200 (a route with a required parameter).
const DEFAULT_QUERY = { '/search': '?q=exercise' };

function usage() {
  console.error('usage: node validate.mjs BASE_URL SPEC_PATH');
  process.exit(2);
}

const [baseArg, specPath, ...rest] = process.argv.slice(2);
// --replay FILE: also validate the responses the integration tests logged
// (one JSON line each: method, target, status, headers, body in base64).
const replayPath = rest[0] === '--replay' ? rest[1] : undefined;
if (!baseArg || !specPath) usage();
const base = baseArg.replace(/\/+$/, '');

// ---------------------------------------------------------------- spec ---

let api;
try {
  // validate() checks the document against the OpenAPI 3.1 schema and
  // returns it fully dereferenced.
  api = await SwaggerParser.validate(specPath);
} catch (err) {
  console.error(`contract: ${specPath} is not a valid OpenAPI document: ${err.message}`);
  console.log('contract: 0 passed, 1 failed');
  process.exit(1);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// Header values arrive as strings; coerce them to the schema's type.
const ajvHeaders = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true });
addFormats(ajvHeaders);

const compiled = new WeakMap();
function validator(schema, forHeaders = false) {
  const engine = forHeaders ? ajvHeaders : ajv;
  let byEngine = compiled.get(schema);
  if (!byEngine) compiled.set(schema, (byEngine = new Map()));
  if (!byEngine.has(engine)) byEngine.set(engine, engine.compile(schema));
  return byEngine.get(engine);
}

// Path templates, literal ones first so that they win over templated ones.
const templates = Object.keys(api.paths ?? {})
  .map((template) => {
    const names = [];
    const source = template
      .split('/')
      .map((seg) => {
        const m = /^\{([^}]+)\}$/.exec(seg);
        if (m) {
          names.push(m[1]);
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { template, names, re: new RegExp(`^${source}$`), item: api.paths[template] };
  })
  .sort((a, b) => a.names.length - b.names.length);

function findPath(path) {
  return templates.find((t) => t.re.test(path));
}

// The response object documented for (method, path, status), or a reason.
function documentedResponse(method, path, status) {
  const m = method.toLowerCase();
  const t = findPath(path);
  if (!t) {
    // No path of the spec matches: the spec's NotFound answer applies
    // ("No route matches the path, or no record has the given id").
    const notFound = api.components?.responses?.NotFound;
    if (status === 404 && notFound) return { response: notFound, where: 'components.responses.NotFound' };
    // A target refused at the edge, before routing (a NUL, a dot segment,
    // an invalid escape), gets the spec's BadRequest answer.
    const badRequest = api.components?.responses?.BadRequest;
    if (status === 400 && badRequest) return { response: badRequest, where: 'components.responses.BadRequest' };
    return { error: `no path of the spec matches ${path}` };
  }
  let op = t.item[m];
  let where = `${m.toUpperCase()} ${t.template}`;
  if (!op) {
    // A method the path does not define: the spec lists its 405 answer on
    // the GET operation "for reference".
    if (status === 405 && t.item.get?.responses?.['405']) {
      return { response: t.item.get.responses['405'], where: `GET ${t.template} (405 for ${method})`, template: t };
    }
    return { error: `${method} ${t.template} is not in the spec, and no 405 is documented for the path` };
  }
  const responses = op.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find(
    (k) => k in responses,
  );
  if (!key) {
    return { error: `status ${status} is not documented for ${where} (documented: ${Object.keys(responses).join(', ')})` };
  }
  return { response: responses[key], where, op, template: t };
}

// ---------------------------------------------------------------- checks ---

const mediaBase = (ct) => ct.split(';')[0].trim().toLowerCase();
const mediaParams = (ct) =>
  Object.fromEntries(
    ct
      .split(';')
      .slice(1)
      .map((p) => p.split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k.trim().toLowerCase(), v.trim().replace(/^"|"$/g, '').toLowerCase()]),
  );
const isJson = (base) => base === 'application/json' || base.endsWith('+json');

function formatAjvErrors(errors) {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

// Checks one exchange; returns the list of failure messages.
function check(ex) {
  const { method, path, status, headers, body } = ex;
  const failures = [];
  const doc = documentedResponse(method, path, status);
  if (doc.error) return [doc.error];
  const { response, op } = doc;

  if (ex.expect !== undefined && status !== ex.expect) {
    failures.push(`expected status ${ex.expect}, got ${status}`);
  }

  // Query parameters of a successful request must be documented and valid.
  if (status >= 200 && status < 300 && op) {
    const url = new URL(path + (ex.query ?? ''), 'http://x');
    const params = [...(op.parameters ?? []), ...(doc.template?.item.parameters ?? [])];
    for (const [name, value] of url.searchParams) {
      const p = params.find((q) => q.in === 'query' && q.name === name);
      if (!p) failures.push(`query parameter "${name}" was accepted but is not documented`);
      // An array (facet=a&facet=b, or facet=a,b): each occurrence holds
      // items joined by ','.
      else if (p.schema && !validator(p.schema, true)(p.schema.type === 'array' ? value.split(',') : value)) {
        failures.push(`query parameter ${name}=${value} was accepted but does not match its schema`);
      }
    }
  }

  // Headers: every documented required header must be there and valid.
  for (const [name, h] of Object.entries(response.headers ?? {})) {
    if (name.toLowerCase() === 'content-type') continue; // ignored by OpenAPI
    const value = headers.get(name);
    if (value === null) {
      if (h.required) failures.push(`required header ${name} is missing`);
      continue;
    }
    if (h.schema) {
      const v = validator(h.schema, true);
      if (!v(value)) failures.push(`header ${name}: ${JSON.stringify(value)} ${formatAjvErrors(v.errors)}`);
    }
  }

  // HEAD: status and headers only.
  if (method === 'HEAD') {
    if (body.length !== 0) failures.push('a HEAD response has a body');
    return failures;
  }

  const content = response.content ?? {};
  const types = Object.keys(content);
  const ct = headers.get('content-type');
  if (types.length === 0) {
    if (body.length !== 0) failures.push(`no content is documented, but the body has ${body.length} bytes`);
    return failures;
  }
  if (ct === null) {
    failures.push(`no Content-Type; documented: ${types.join(', ')}`);
    return failures;
  }
  const got = mediaBase(ct);
  const key = types.find((t) => {
    const b = mediaBase(t);
    return b === got || b === '*/*' || (b.endsWith('/*') && got.startsWith(b.slice(0, -1)));
  });
  if (!key) {
    failures.push(`Content-Type ${ct} is not documented (documented: ${types.join(', ')})`);
    return failures;
  }
  if (got === 'text/plain' && mediaParams(ct).charset !== 'utf-8') {
    failures.push(`Content-Type ${ct} must carry charset=utf-8`);
  }

  const media = content[key];
  let value;
  if (isJson(got)) {
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (err) {
      failures.push(`body is not JSON: ${err.message}`);
      return failures;
    }
  } else {
    value = new TextDecoder('utf-8', { fatal: true }).decode(body);
  }
  ex.value = value;
  if (media.schema) {
    const v = validator(media.schema);
    if (!v(value)) failures.push(`body does not match the schema of ${doc.where} ${status} ${key}: ${formatAjvErrors(v.errors)}`);
  }

  // A problem document repeats the status and names the request path.
  if (got === 'application/problem+json' && value && typeof value === 'object') {
    if (value.status !== status) failures.push(`problem status ${value.status} differs from HTTP status ${status}`);
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // not UTF-8 once decoded: the daemon leaves instance out
    }
    if ('instance' in value && value.instance !== decoded) {
      failures.push(`problem instance ${JSON.stringify(value.instance)} is not the request path`);
    }
  }
  return failures;
}

// ---------------------------------------------------------------- requests ---

// Sends a request with node:http, without any Accept-Encoding unless given,
// and keeps the bytes as they came (ex.raw); a gzip body is decompressed
// into ex.body so that it is validated like any other.
function rawFetch(method, url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function request(method, path, { query = '', expect, headers = {}, raw = false, ...rest } = {}) {
  const ex = { method, path, query, expect, sent: headers, ...rest, status: '-', headers: new Headers(), body: Buffer.alloc(0) };
  try {
    if (raw) {
      const res = await rawFetch(method, base + path + query, headers);
      ex.status = res.status;
      for (const [k, v] of Object.entries(res.headers)) ex.headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      ex.raw = res.raw;
      ex.body = res.raw;
      if ((ex.headers.get('content-encoding') ?? '').toLowerCase() === 'gzip' && res.raw.length > 0) {
        try {
          ex.body = gunzipSync(res.raw);
        } catch (err) {
          ex.failures = [`Content-Encoding: gzip, but the body does not decompress: ${err.message}`];
          return ex;
        }
      }
    } else {
      const res = await fetch(base + path + query, { method, redirect: 'manual', headers });
      ex.status = res.status;
      ex.headers = res.headers;
      ex.body = Buffer.from(await res.arrayBuffer());
    }
    ex.failures = check(ex);
  } catch (err) {
    ex.failures = [`request failed: ${err.cause?.message ?? err.message}`];
  }
  return ex;
}

async function all(specs) {
  const out = new Array(specs.length);
  let next = 0;
  async function worker() {
    while (next < specs.length) {
      const i = next++;
      const [method, path, opts] = specs[i];
      out[i] = await request(method, path, opts);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, specs.length) }, worker));
  return out;
}

const results = [];

// 1. Every GET path of the spec without a parameter.
const literal = templates.filter((t) => t.names.length === 0 && t.item.get).map((t) => t.template);
results.push(...(await all(literal.map((p) => ['GET', p, { query: DEFAULT_QUERY[p] ?? '', expect: 200 }]))));

// 2. Every item of every list (one page of up to 500, which holds them all:
// its `next` must be null), and every source's text.
// A participant carries its first 10 mentions unless asked for more: the
// checks below read all of them (500: more than any fixture's).
const fullSpecs = LISTS.map((name) => ['GET', `/${name}`, { query: `?limit=500&count=true${name === 'participants' ? '&mentions=500' : ''}`, expect: 200 }]);
const fullLists = await all(fullSpecs);
results.push(...fullLists);
const lists = Object.fromEntries(fullLists.filter((r) => r.status === 200).map((r) => [r.path.slice(1), r.value]));
for (const r of fullLists) {
  if (r.status !== 200 || !r.value) continue;
  if (r.value.next !== null) r.failures.push(`limit=500 should hold every record, but next is ${JSON.stringify(r.value.next)}`);
  if (r.value.count !== r.value.items?.length) r.failures.push(`count is ${r.value.count}, the page holds ${r.value.items?.length} items`);
  if (r.headers.get('link') !== null) r.failures.push('a Link header on the last page');
}
const itemSpecs = [];
const idsOf = (name) => (Array.isArray(lists[name]?.items) ? lists[name].items.map((i) => i.id) : []);
for (const name of LISTS) {
  if (!lists[name]) continue;
  for (const id of idsOf(name)) {
    itemSpecs.push(['GET', `/${name}/${encodeURIComponent(id)}`, { expect: 200 }]);
    if (name === 'sources') itemSpecs.push(['GET', `/sources/${encodeURIComponent(id)}/text`, { expect: 200 }]);
  }
}
const items = await all(itemSpecs);
results.push(...items);

// The default /participants page carries each participant's first 10
// mentions and the link to all of them, which pages through exactly the
// mentions the record has, in its order.
{
  const page = await request('GET', '/participants', { query: '?limit=500', expect: 200 });
  const mentionPages = [];
  for (const p of page.value?.items ?? []) {
    const full = (lists.participants?.items ?? []).find((f) => f.id === p.id);
    if (p.mentions.length !== Math.min(10, full.mentions.length) || p.mention_count !== full.mentions.length) page.failures.push(`${p.id}: ${p.mentions.length} mentions of ${p.mention_count}, not the first 10 of ${full.mentions.length}`);
    if (JSON.stringify(p.mentions) !== JSON.stringify(full.mentions.slice(0, 10))) page.failures.push(`${p.id}: its mentions are not the first ones`);
    const seen = [];
    let next = `${p.links.mentions}?limit=7`;
    while (next) {
      const u = new URL(next, base);
      const r = await request('GET', u.pathname, { query: u.search, expect: 200 });
      mentionPages.push(r);
      if (r.status !== 200 || !r.value) break;
      seen.push(...r.value.items);
      next = r.value.next;
    }
    if (JSON.stringify(seen) !== JSON.stringify(full.mentions)) page.failures.push(`${p.id}: ${p.links.mentions} pages through ${seen.length} spans, not its ${full.mentions.length} mentions`);
  }
  results.push(page, ...mentionPages);
}

// The lists' items are lean: a source's `facts` and `metadata_evidence` are
// on its own route, and a claim's evidence is its values'. The checks below
// read them there.
for (const r of items) {
  const m = /^\/sources\/([^/]+)$/.exec(r.path);
  const src = m && (lists.sources?.items ?? []).find((s) => s.id === decodeURIComponent(m[1]));
  if (src && r.status === 200 && r.value) {
    src.facts = r.value.facts;
    src.metadata_evidence = r.value.metadata_evidence;
  }
}
for (const c of lists.claims?.items ?? []) {
  if (c.evidence !== undefined) continue;
  const seen = new Set();
  c.evidence = (c.values ?? []).flatMap((v) => v.evidence ?? []).filter((sp) => {
    const k = `${sp.source}:${sp.byte_start}:${sp.byte_end}`;
    return !seen.has(k) && seen.add(k);
  });
}

// A source's text is its exact bytes: its SHA-256 and length are on the source.
for (const src of lists.sources?.items ?? []) {
  const text = items.find((r) => r.path === `/sources/${encodeURIComponent(src.id)}/text` && r.status === 200);
  if (!text) continue;
  const sha = createHash('sha256').update(text.body).digest('hex');
  if (sha !== src.sha256) text.failures.push(`sha256 of the text is ${sha}, the source says ${src.sha256}`);
  if (text.body.length !== src.length?.bytes) {
    text.failures.push(`the text has ${text.body.length} bytes, the source says ${src.length?.bytes}`);
  }
}

// Any path template of the spec whose templated paths were not reached above
// (a path added later) is still requested once, with the first source id.
const reached = new Set(results.map((r) => findPath(r.path)?.template));
const someId = (template) => {
  const list = template.split('/')[1];
  return idsOf(list)[0] ?? idsOf('sources')[0] ?? 'x';
};
// A path parameter with an enum (a viewer file's name) takes each value.
const enumOf = (template, name) => [...(api.paths[template].parameters ?? []), ...(api.paths[template].get?.parameters ?? [])]
  .find((p) => p.in === 'path' && p.name === name)?.schema?.enum;
const fillAll = (template) => {
  const m = /\{([^}]+)\}/.exec(template);
  const values = m && enumOf(template, m[1]);
  return values ? values.map((v) => template.replace(m[0], encodeURIComponent(v)))
    : [template.replace(/\{[^}]+\}/g, () => encodeURIComponent(someId(template)))];
};
const fill = (template) => fillAll(template)[0];
const missed = templates
  .filter((t) => t.item.get && !reached.has(t.template))
  .flatMap((t) => fillAll(t.template).map((path) => ['GET', path, { query: DEFAULT_QUERY[t.template] ?? '', expect: 200 }]));
results.push(...(await all(missed)));

// 3. Error cases, HEAD, OPTIONS and the query string.
const first = (name) => idsOf(name)[0];
const extra = [
  ['GET', '/no-such-path', { expect: 404 }],
  ['HEAD', '/no-such-path', { expect: 404 }],
  ['GET', '/sources/Bad_Id', { expect: 400 }],
  ['GET', '/sources/%ff', { expect: 400 }],
  ['DELETE', '/sources', { expect: 405 }],
  ['POST', '/healthz', { expect: 405 }],
  ['PUT', `/claims/${first('claims') ?? 'x'}`, { expect: 405 }],
  ['GET', '/healthz', { query: '?pretty=1', expect: 200 }],
  ['GET', '/sources', { query: '?pretty=1', expect: 200 }],
  ['GET', '/claims', { query: '?pretty=0', expect: 200 }],
  ['GET', '/sources', { query: '?pretty=2', expect: 400 }],
  ['GET', '/sources', { query: '?no-such-param=1', expect: 400 }],
  ['GET', '/sources', { query: '?pretty=1&pretty=1', expect: 400 }],
  ['GET', '/sources', { query: `?pretty=${'1'.repeat(2100)}`, expect: 414 }],
];
for (const name of LISTS) {
  extra.push(['GET', `/${name}/no-such-id-0`, { expect: 404 }]);
  extra.push(['HEAD', `/${name}/no-such-id-0`, { expect: 404 }]);
  extra.push(['HEAD', `/${name}`, { expect: 200 }]);
  extra.push(['GET', `/${name}/Bad_Id`, { expect: 400 }]);
}
extra.push(['GET', '/sources/no-such-id-0/text', { expect: 404 }]);
for (const t of templates) {
  if (!t.item.get) continue;
  const path = t.names.length ? fill(t.template) : t.template;
  if (!LISTS.includes(path.slice(1))) extra.push(['HEAD', path, { query: DEFAULT_QUERY[t.template] ?? '', expect: 200 }]);
  extra.push(['OPTIONS', path, { expect: 204 }]);
}
extra.push(['OPTIONS', '/sources/Bad_Id', { expect: 400 }]);
extra.push(['OPTIONS', '/no-such-path', { expect: 404 }]);
results.push(...(await all(extra)));

// 4. The list filters: `source` on /participants, /agreements, /outcomes and
// /claims, `participant` on /sources, /agreements, /outcomes and /claims.
const FILTERS = {
  sources: ['participant'],
  participants: ['source'],
  agreements: ['source', 'participant'],
  outcomes: ['source', 'participant'],
  claims: ['source', 'participant'],
};
const FACT_KINDS = ['participants', 'agreements', 'outcomes', 'claims'];
const sourceIds = idsOf('sources');
const participantIds = idsOf('participants');
const q = (params) => `?${new URLSearchParams(params)}`;
const filterSpecs = [];
for (const [name, filters] of Object.entries(FILTERS)) {
  if (filters.includes('source')) {
    for (const id of sourceIds) filterSpecs.push(['GET', `/${name}`, { query: q({ source: id }), expect: 200 }]);
  }
  if (filters.includes('participant')) {
    for (const id of participantIds) filterSpecs.push(['GET', `/${name}`, { query: q({ participant: id }), expect: 200 }]);
  }
  if (filters.length === 2 && sourceIds[0] && participantIds[0]) {
    for (const sid of sourceIds) {
      filterSpecs.push(['GET', `/${name}`, { query: q({ source: sid, participant: participantIds[0] }), expect: 200 }]);
    }
    filterSpecs.push(['GET', `/${name}`, { query: q({ pretty: '1', participant: participantIds[0], source: sourceIds[0] }), expect: 200 }]);
    filterSpecs.push(['HEAD', `/${name}`, { query: q({ source: sourceIds[0], participant: participantIds[0] }), expect: 200 }]);
  }
  for (const f of filters) {
    const some = f === 'source' ? sourceIds[0] : participantIds[0];
    if (some) filterSpecs.push(['HEAD', `/${name}`, { query: q({ [f]: some }), expect: 200 }]);
    // An id that matches nothing: an empty list, not 404.
    filterSpecs.push(['GET', `/${name}`, { query: q({ [f]: 'no-such-id-0' }), expect: 200, empty: true }]);
    // Values that are not ids.
    filterSpecs.push(['GET', `/${name}`, { query: q({ [f]: 'Bad_Id' }), expect: 400 }]);
    filterSpecs.push(['GET', `/${name}`, { query: `?${f}=`, expect: 400 }]);
    filterSpecs.push(['GET', `/${name}`, { query: q({ [f]: 'a'.repeat(65) }), expect: 400 }]);
    filterSpecs.push(['HEAD', `/${name}`, { query: q({ [f]: 'Bad_Id' }), expect: 400 }]);
    if (some) filterSpecs.push(['GET', `/${name}`, { query: `?${f}=${some}&${f}=${some}`, expect: 400 }]);
  }
  // A filter the list does not take.
  for (const f of ['source', 'participant']) {
    if (!filters.includes(f)) filterSpecs.push(['GET', `/${name}`, { query: q({ [f]: 'china' }), expect: 400 }]);
  }
}
// No other route takes a filter.
for (const t of templates) {
  if (!t.item.get) continue;
  const path = t.names.length ? fill(t.template) : t.template;
  if (LISTS.includes(path.slice(1))) continue;
  // /annotations?source= is the collection of one source's spans.
  if (path !== '/annotations') filterSpecs.push(['GET', path, { query: q({ source: sourceIds[0] ?? 'x' }), expect: 400 }]);
  filterSpecs.push(['GET', path, { query: q({ participant: participantIds[0] ?? 'x' }), expect: 400 }]);
}
const filtered = await all(filterSpecs);
results.push(...filtered);

// The filtered lists agree with each source's `facts` and `fact_counts`.
const listedIds = (r) => (Array.isArray(r.value?.items) ? r.value.items.map((i) => i.id) : null);
for (const [i, r] of filtered.entries()) {
  if (r.method !== 'GET' || r.status !== 200) continue;
  if (filterSpecs[i][2].empty && listedIds(r)?.length !== 0) {
    r.failures.push(`an id that matches nothing gave ${listedIds(r)?.length} items, not an empty list`);
  }
}
for (const src of lists.sources?.items ?? []) {
  for (const kind of FACT_KINDS) {
    const ids = src.facts?.[kind];
    if (Array.isArray(ids) && src.fact_counts?.[kind] !== ids.length) {
      const r = results.find((x) => x.path === '/sources' && x.query === '' && x.status === 200);
      r?.failures.push(`source ${src.id}: fact_counts.${kind} is ${src.fact_counts?.[kind]}, facts.${kind} has ${ids.length} ids`);
    }
    const r = filtered.find((x) => x.method === 'GET' && x.path === `/${kind}` && x.query === q({ source: src.id }));
    if (!r || r.status !== 200 || !Array.isArray(ids)) continue;
    const got = listedIds(r) ?? [];
    const same = got.length === ids.length && [...got].sort().join() === [...ids].sort().join();
    if (!same) r.failures.push(`the list has ${JSON.stringify(got)}, source ${src.id} has facts.${kind} ${JSON.stringify(ids)}`);
  }
}
// `GET /sources?participant=` agrees with `GET /participants?source=`.
for (const pid of participantIds) {
  const r = filtered.find((x) => x.method === 'GET' && x.path === '/sources' && x.query === q({ participant: pid }));
  if (!r || r.status !== 200) continue;
  const expected = (lists.sources?.items ?? []).filter((s) => s.facts?.participants?.includes(pid)).map((s) => s.id);
  const got = listedIds(r) ?? [];
  if (got.join() !== expected.join()) {
    r.failures.push(`the sources ${JSON.stringify(got)} differ from those whose facts.participants has ${pid}: ${JSON.stringify(expected)}`);
  }
}

// 5. Pagination: walk every list a few items at a time, following `next`
// until it is null; each `Link` header must carry the same URL, and the
// pages together must hold every record once, in the same order as one page.
const fail = (r, msg) => r.failures.push(msg);
const SORTABLE = {
  sources: ['id', 'headline', 'publisher', 'date'],
  participants: ['id', 'name', 'kind', 'role', 'country'],
  agreements: ['id', 'title', 'date', 'status', 'corroboration'],
  outcomes: ['id', 'kind', 'status', 'timeframe', 'corroboration'],
  claims: ['id', 'subject', 'disputed', 'corroboration'],
};
async function walk(name, params) {
  const pages = [];
  let r = await request('GET', `/${name}`, { query: q(params), expect: 200 });
  for (let n = 0; n < 200; n++) {
    pages.push(r);
    if (r.status !== 200 || !r.value) break;
    const next = r.value.next;
    const link = r.headers.get('link');
    if (next === null) {
      if (link !== null) fail(r, `next is null but there is a Link header: ${link}`);
      break;
    }
    if (link !== `<${next}>; rel="next"`) fail(r, `the Link header ${JSON.stringify(link)} does not name next ${next}`);
    const url = new URL(next, 'http://x');
    if (url.pathname !== `/${name}`) fail(r, `next ${next} is not a URL of /${name}`);
    if (!next.startsWith(base + '/')) fail(r, `next ${next} is not an absolute URL under ${base}`);
    for (const [k, v] of Object.entries(params)) {
      // count is answered once, on the page asked for: never carried.
      if (k === 'count') {
        if (url.searchParams.has('count')) fail(r, `next ${next} carries count`);
        continue;
      }
      if (url.searchParams.get(k) !== String(v)) fail(r, `next ${next} drops or changes ${k}=${v}`);
    }
    r = await request('GET', url.pathname, { query: url.search, expect: 200 });
  }
  results.push(...pages);
  return pages;
}
const sortKey = (item, field) => {
  const v = item[field];
  return typeof v === 'boolean' ? Number(v) : v;
};
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
for (const name of LISTS) {
  const all = lists[name]?.items ?? [];
  const variants = [
    { limit: 7 },
    { limit: 1, count: 'true' },
    { limit: 4, sort: '-id' },
    ...SORTABLE[name].flatMap((f) => [{ limit: 9, sort: f }, { limit: 9, sort: `-${f}`, count: 'false' }]),
    { limit: 6, sort: SORTABLE[name].slice(1, 3).map((f, i) => (i ? `-${f}` : f)).join(',') },
    { limit: 5, sort: SORTABLE[name].slice(0, 4).reverse().join(',') },
  ];
  for (const params of variants) {
    const pages = await walk(name, params);
    const lastPage = pages[pages.length - 1];
    if (pages.some((p) => p.status !== 200)) continue;
    const got = pages.flatMap((p) => p.value.items ?? []);
    const ids = got.map((i) => i.id);
    if (new Set(ids).size !== ids.length) fail(lastPage, `the pages of ${q(params)} repeat ids`);
    if ([...ids].sort().join() !== all.map((i) => i.id).sort().join()) {
      fail(lastPage, `the pages of ${q(params)} hold ${ids.length} records, the list has ${all.length}`);
    }
    for (const p of pages) {
      if ((p.value.items?.length ?? 0) > params.limit) fail(p, `a page holds more than limit=${params.limit} items`);
      if (p.value.next !== null && p.value.items?.length !== params.limit) fail(p, 'a page before the last is not full');
      // count is answered on the page asked for, and not carried by next.
      const first = p === pages[0];
      if (params.count === 'true' && first && p.value.count !== all.length) fail(p, `count is ${p.value.count}, the list has ${all.length}`);
      if ((params.count !== 'true' || !first) && 'count' in p.value) fail(p, first ? 'count is given without count=true' : 'count is carried past the first page');
    }
    // The order: each sort field in turn (nulls aside), then the default
    // order (that of the one-page list).
    const fields = (params.sort ?? '').split(',').filter(Boolean).map((f) => (f[0] === '-' ? [f.slice(1), -1] : [f, 1]));
    const rank = new Map(all.map((item, i) => [item.id, i]));
    got.forEach((item) => (item['\u0000rank'] = rank.get(item.id)));
    if (!fields.some(([f]) => f === 'id')) fields.push(['\u0000rank', 1]);
    for (let i = 1; i < got.length; i++) {
      for (const [f, dir] of fields) {
        const a = sortKey(got[i - 1], f);
        const b = sortKey(got[i], f);
        if (a === null || b === null) break;
        const c = cmp(a, b) * dir;
        if (c > 0) {
          fail(lastPage, `sort=${params.sort ?? '(default)'}: ${got[i - 1].id} comes before ${got[i].id}`);
          i = got.length;
        }
        if (c !== 0) break;
      }
    }
  }
}

// Invalid paging and sort values.
const pagingSpecs = [];
for (const name of LISTS) {
  for (const limit of ['0', '501', '-1', 'ten', '', '1.5']) pagingSpecs.push(['GET', `/${name}`, { query: q({ limit }), expect: 400 }]);
  for (const count of ['yes', '1', '', 'TRUE']) pagingSpecs.push(['GET', `/${name}`, { query: q({ count }), expect: 400 }]);
  for (const cursor of ['', 'not-a-cursor', '!!!', 'e30', 'x'.repeat(1100)]) pagingSpecs.push(['GET', `/${name}`, { query: q({ cursor }), expect: 400 }]);
  const f = SORTABLE[name];
  for (const sort of ['', '-', 'nope', `${f[1]},${f[1]}`, `${f[1]},-${f[1]}`, `${f.slice(0, 4).join(',')},-${f[4] ?? 'nope'}`, 'mentions', ',']) {
    pagingSpecs.push(['GET', `/${name}`, { query: q({ sort }), expect: 400 }]);
  }
  pagingSpecs.push(['GET', `/${name}`, { query: q({ limit: 500 }), expect: 200 }]);
  pagingSpecs.push(['HEAD', `/${name}`, { query: q({ limit: 1, sort: `-${f[1]}`, count: 'true' }), expect: 200 }]);
}
// A sortable field of another list only.
pagingSpecs.push(['GET', '/sources', { query: q({ sort: 'name' }), expect: 400 }]);
pagingSpecs.push(['GET', '/claims', { query: q({ sort: 'date' }), expect: 400 }]);
const paging = await all(pagingSpecs);
results.push(...paging);
// A cursor only continues the listing (sort) that made it.
for (const name of LISTS) {
  const r = await request('GET', `/${name}`, { query: q({ limit: 1, sort: SORTABLE[name][1] }), expect: 200 });
  results.push(r);
  const next = r.value?.next;
  if (!next) continue;
  const cursor = new URL(next, 'http://x').searchParams.get('cursor');
  results.push(await request('GET', `/${name}`, { query: q({ limit: 1, cursor }), expect: 400 }));
  results.push(await request('GET', `/${name}`, { query: q({ limit: 1, sort: `-${SORTABLE[name][1]}`, cursor }), expect: 400 }));
  results.push(await request('GET', `/${name}`, { query: q({ limit: 3, sort: SORTABLE[name][1], cursor }), expect: 200 }));
}

// 6. The value filters, with each valid value (every item must then have
// it) and invalid ones.
const VALUE_FILTERS = {
  participants: { kind: ['person', 'organization', 'country'], role: ['delegate', 'official', 'commentator', 'mentioned', 'author'], country: ['CN', 'US', 'ZZ'] },
  agreements: { status: ['agreed', 'proposed', 'under-consideration', 'implemented'] },
  outcomes: {
    status: ['agreed', 'proposed', 'under-consideration'],
    kind: ['commitment', 'event', 'exercise', 'mechanism', 'guideline', 'exchange', 'proposal'],
  },
  claims: { disputed: ['true', 'false'] },
};
const BAD_VALUES = {
  kind: ['Person', 'people', '', 'source'],
  role: ['Delegate', 'speaker', ''],
  country: ['cn', 'CHN', 'C', '12', ''],
  status: ['Agreed', 'done', ''],
  disputed: ['yes', '1', 'TRUE', ''],
};
const valueSpecs = [];
for (const [name, filters] of Object.entries(VALUE_FILTERS)) {
  for (const [f, values] of Object.entries(filters)) {
    for (const v of values) valueSpecs.push(['GET', `/${name}`, { query: q({ [f]: v, limit: 500 }), expect: 200, filter: [f, v] }]);
    for (const v of BAD_VALUES[f]) valueSpecs.push(['GET', `/${name}`, { query: q({ [f]: v }), expect: 400 }]);
  }
}
// Enumerations of one list are not those of another.
valueSpecs.push(['GET', '/outcomes', { query: q({ status: 'implemented' }), expect: 400 }]);
valueSpecs.push(['GET', '/participants', { query: q({ kind: 'exercise' }), expect: 400 }]);
valueSpecs.push(['GET', '/sources', { query: q({ kind: 'person' }), expect: 400 }]);
valueSpecs.push(['GET', '/claims', { query: q({ status: 'agreed' }), expect: 400 }]);
// agreement= on /outcomes.
for (const a of idsOf('agreements')) valueSpecs.push(['GET', '/outcomes', { query: q({ agreement: a, limit: 500 }), expect: 200, filter: ['agreement', a] }]);
valueSpecs.push(['GET', '/outcomes', { query: q({ agreement: 'no-such-id-0' }), expect: 200, empty: true }]);
for (const v of ['Bad_Id', '', 'a'.repeat(65)]) valueSpecs.push(['GET', '/outcomes', { query: q({ agreement: v }), expect: 400 }]);
valueSpecs.push(['GET', '/agreements', { query: q({ agreement: idsOf('agreements')[0] ?? 'x' }), expect: 400 }]);
// Dates. Every date stands for the days of its year, month or day; a
// timeframe A/B for the days from A's first to B's last. These give the
// first and last day of a date as YYYY-MM-DD (days sort as their text
// does), with a calendar, independently of how the daemon compares them.
const DATED = { sources: 'date', agreements: 'date', outcomes: 'timeframe' };
const leapYear = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysInMonth = (y, m) => (m === 2 && leapYear(y) ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]);
const isoDay = (y, m, d) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const firstDay = (date) => {
  const [y, m = 1, d = 1] = date.split('-').map(Number);
  return isoDay(y, m, d);
};
const lastDay = (date) => {
  const [y, m = 12, d] = date.split('-').map(Number);
  return isoDay(y, m, d ?? daysInMonth(y, m));
};
// A range whose last day comes before its first holds no day: 400.
const emptyRange = (from, to) => from !== null && to !== null && firstDay(from) > lastDay(to);
const GOOD_DATES = ['2015', '2015-06', '2015-12', '2015-12-01', '2015-12-04', '2015-12-05', '2015-12-31', '2016', '2016-02', '2016-04',
  '2016-05-31', '2016-06-01', '2016-06-30', '2017', '2014-02-28', '2016-02-29', '2016-03-01'];
const BAD_DATES = ['15', '2015-13', '2015-00', '2015-02-30', '2015-02-29', '2015/12', '2015-1', '2015-12-1', '20151201', 'today', ''];
const RANGES = [['2015', '2015'], ['2015-09', '2015-12'], ['2016-04', '2016-05'], ['2016-05-01', '2016-06-15'], ['2015-06', '2015-06'],
  ['2015-12-05', '2015-12-05'], ['2015-12-31', '2016'], ['2016-02-29', '2016-02'], ['2016-02', '2016-02-29'], ['2016', '2016-01-01'],
  ['2016-05-31', '2016-05-31'], ['2016-07', '2015-01'], ['2016-03', '2016-02-29'], ['2016-01-01', '2015'], ['2015-12-05', '2015-12-04']];
for (const [name] of Object.entries(DATED)) {
  for (const d of GOOD_DATES) {
    valueSpecs.push(['GET', `/${name}`, { query: q({ date_from: d, limit: 500 }), expect: 200, dates: [d, null] }]);
    valueSpecs.push(['GET', `/${name}`, { query: q({ date_to: d, limit: 500 }), expect: 200, dates: [null, d] }]);
  }
  for (const [a, b] of RANGES) {
    if (emptyRange(a, b)) valueSpecs.push(['GET', `/${name}`, { query: q({ date_from: a, date_to: b, limit: 500 }), expect: 400 }]);
    else valueSpecs.push(['GET', `/${name}`, { query: q({ date_from: a, date_to: b, limit: 500 }), expect: 200, dates: [a, b] }]);
  }
  for (const d of BAD_DATES) {
    valueSpecs.push(['GET', `/${name}`, { query: q({ date_from: d }), expect: 400 }]);
    valueSpecs.push(['GET', `/${name}`, { query: q({ date_to: d }), expect: 400 }]);
  }
}
for (const name of ['participants', 'claims']) valueSpecs.push(['GET', `/${name}`, { query: q({ date_from: '2015' }), expect: 400 }]);
const valued = await all(valueSpecs);
results.push(...valued);
// Whether a date or timeframe has a day in common with the range from
// from's first day to to's last (null: unbounded), both ends inclusive.
const overlaps = (value, from, to) => {
  if (value === null || value === undefined) return false;
  const [start, end = start] = value.split('/');
  if (from !== null && lastDay(end) < firstDay(from)) return false;
  if (to !== null && firstDay(start) > lastDay(to)) return false;
  return true;
};
const keptByDates = Object.fromEntries(Object.keys(DATED).map((name) => [name, 0]));
for (const r of valued) {
  if (r.status !== 200 || !Array.isArray(r.value?.items)) continue;
  const name = r.path.slice(1);
  const got = r.value.items.map((i) => i.id);
  let want = null;
  if (r.filter) {
    const [f, v] = r.filter;
    const key = f === 'agreement' ? 'agreement' : f;
    const val = (i) => (f === 'disputed' ? String(i.disputed) : i[key]);
    want = (lists[name]?.items ?? []).filter((i) => val(i) === v).map((i) => i.id);
  }
  if (r.dates) {
    want = (lists[name]?.items ?? []).filter((i) => overlaps(i[DATED[name]], ...r.dates)).map((i) => i.id);
    keptByDates[name] += want.length;
  }
  if (r.empty) want = [];
  if (want && got.join() !== want.join()) fail(r, `kept ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}
// The date checks above are not all of empty answers.
for (const [name, kept] of Object.entries(keptByDates)) {
  const r = valued.find((x) => x.path === `/${name}` && x.dates);
  if (r && kept === 0) fail(r, `no date range checked on /${name} should keep any record: the check proves nothing`);
}

// 7. Excerpts of a source's text: every evidence span of every outcome, in
// each unit, gives the span's `exact`; bad offsets and units get 400.
const excerptSpecs = [];
const spans = (lists.outcomes?.items ?? []).flatMap((o) => o.evidence ?? []);
for (const s of spans) {
  const path = `/sources/${encodeURIComponent(s.source)}/text`;
  excerptSpecs.push(['GET', path, { query: q({ start: s.start, end: s.end }), expect: 200, exact: s.exact }]);
  excerptSpecs.push(['GET', path, { query: q({ start: s.start, end: s.end, unit: 'codepoint' }), expect: 200, exact: s.exact }]);
  excerptSpecs.push(['GET', path, { query: q({ start: s.byte_start, end: s.byte_end, unit: 'byte' }), expect: 200, exact: s.exact }]);
  excerptSpecs.push(['GET', path, { query: q({ start: s.utf16_start, end: s.utf16_end, unit: 'utf16' }), expect: 200, exact: s.exact }]);
}
const textOf = Object.fromEntries(
  items.filter((r) => r.path.endsWith('/text') && r.status === 200).map((r) => [decodeURIComponent(r.path.split('/')[2]), r.body]),
);
for (const src of lists.sources?.items ?? []) {
  const path = `/sources/${encodeURIComponent(src.id)}/text`;
  const body = textOf[src.id];
  const len = src.length ?? {};
  excerptSpecs.push(['GET', path, { query: q({ start: 0 }), expect: 200, exact: body?.toString('utf8') }]);
  excerptSpecs.push(['GET', path, { query: q({ end: len.codepoints }), expect: 200, exact: body?.toString('utf8') }]);
  excerptSpecs.push(['GET', path, { query: q({ unit: 'byte' }), expect: 200, exact: body?.toString('utf8') }]);
  excerptSpecs.push(['GET', path, { query: q({ start: len.bytes, unit: 'byte' }), expect: 200, exact: '' }]);
  excerptSpecs.push(['GET', path, { query: q({ start: 5, end: 5, unit: 'utf16' }), expect: 200 }]);
  excerptSpecs.push(['HEAD', path, { query: q({ start: 0, end: 10 }), expect: 200 }]);
  for (const [unit, n] of [['codepoint', len.codepoints], ['byte', len.bytes], ['utf16', len.utf16]]) {
    excerptSpecs.push(['GET', path, { query: q({ start: 0, end: n + 1, unit }), expect: 400 }]);
    excerptSpecs.push(['GET', path, { query: q({ start: n + 1, unit }), expect: 400 }]);
  }
  excerptSpecs.push(['GET', path, { query: q({ start: 10, end: 5 }), expect: 400 }]);
  for (const v of ['-1', 'a', '', '1.5', '99999999999999999999999']) excerptSpecs.push(['GET', path, { query: q({ start: v }), expect: 400 }]);
  for (const unit of ['char', 'bytes', 'UTF16', '']) excerptSpecs.push(['GET', path, { query: q({ unit }), expect: 400 }]);
  // An offset inside a multi-byte character (bytes) or a surrogate pair (UTF-16).
  if (body) {
    const inside = body.findIndex((b) => (b & 0xc0) === 0x80);
    if (inside > 0) excerptSpecs.push(['GET', path, { query: q({ start: inside, unit: 'byte' }), expect: 400 }]);
    const str = body.toString('utf8');
    const pair = [...str].reduce((acc, ch, i, arr) => acc ?? (ch.length === 2 ? arr.slice(0, i).join('').length + 1 : null), null);
    if (pair !== null) excerptSpecs.push(['GET', path, { query: q({ end: pair, unit: 'utf16' }), expect: 400 }]);
  }
}
excerptSpecs.push(['GET', '/sources/no-such-id-0/text', { query: q({ start: 0, end: 1 }), expect: 404 }]);
excerptSpecs.push(['GET', `/sources/${sourceIds[0] ?? 'x'}`, { query: q({ start: 0 }), expect: 400 }]);
const excerpts = await all(excerptSpecs);
results.push(...excerpts);
for (const r of excerpts) {
  if (r.status === 200 && r.method === 'GET' && r.exact !== undefined && r.body.toString('utf8') !== r.exact) {
    fail(r, `the excerpt ${JSON.stringify(r.body.toString('utf8').slice(0, 60))} is not ${JSON.stringify(r.exact.slice(0, 60))}`);
  }
  if (r.status === 200 && r.headers.get('accept-ranges') !== null) fail(r, 'an excerpt claims Accept-Ranges');
}

// 8. Range requests on a source's text: 206 with the slice, 416 past the end.
const rangeSpecs = [];
for (const src of lists.sources?.items ?? []) {
  const path = `/sources/${encodeURIComponent(src.id)}/text`;
  const n = src.length?.bytes ?? 0;
  for (const [range, first, last] of [['bytes=0-9', 0, 9], ['bytes=10-', 10, n - 1], ['bytes=-25', n - 25, n - 1], [`bytes=${n - 1}-${n + 100}`, n - 1, n - 1], ['bytes=0-0', 0, 0]]) {
    rangeSpecs.push(['GET', path, { headers: { Range: range }, expect: 206, slice: [first, last, n] }]);
  }
  rangeSpecs.push(['HEAD', path, { headers: { Range: 'bytes=0-9' }, expect: 206 }]);
  for (const range of [`bytes=${n}-`, `bytes=${n + 1000}-${n + 2000}`, 'bytes=-0']) {
    rangeSpecs.push(['GET', path, { headers: { Range: range }, expect: 416, total: n }]);
  }
  // Ignored: several ranges, another unit, nonsense; and on an excerpt.
  for (const range of ['bytes=0-1,5-6', 'lines=0-1', 'bytes=9-1', 'bytes=x-y']) rangeSpecs.push(['GET', path, { headers: { Range: range }, expect: 200 }]);
  rangeSpecs.push(['GET', path, { query: q({ start: 0, end: 20 }), headers: { Range: 'bytes=0-3' }, expect: 200 }]);
  rangeSpecs.push(['GET', path, { headers: { Range: 'bytes=0-9', 'If-Range': '"00000000000000000000000000000000"' }, expect: 200 }]);
}
rangeSpecs.push(['GET', '/outcomes', { headers: { Range: 'bytes=0-9' }, expect: 200 }]);
rangeSpecs.push(['GET', '/healthz', { headers: { Range: 'bytes=99999-' }, expect: 200 }]);
const ranged = await all(rangeSpecs);
results.push(...ranged);
for (const r of ranged) {
  const id = decodeURIComponent(r.path.split('/')[2] ?? '');
  if (r.status === 206 && r.slice) {
    const [first, last, n] = r.slice;
    if (r.headers.get('content-range') !== `bytes ${first}-${last}/${n}`) fail(r, `Content-Range ${r.headers.get('content-range')}, expected bytes ${first}-${last}/${n}`);
    if (textOf[id] && !r.body.equals(textOf[id].subarray(first, last + 1))) fail(r, 'the 206 body is not that slice of the text');
  }
  if (r.status === 416 && r.headers.get('content-range') !== `bytes */${r.total}`) fail(r, `Content-Range ${r.headers.get('content-range')}, expected bytes */${r.total}`);
  if (r.status === 200 && r.path.endsWith('/text') && !r.query && textOf[id] && !r.body.equals(textOf[id])) fail(r, 'an ignored Range did not give the whole text');
}
// If-Range with the current ETag honours the range.
for (const src of (lists.sources?.items ?? []).slice(0, 2)) {
  const path = `/sources/${encodeURIComponent(src.id)}/text`;
  const head = await request('HEAD', path, { raw: true, expect: 200 });
  results.push(head);
  const etag = head.headers.get('etag');
  if (etag) results.push(await request('GET', path, { raw: true, headers: { Range: 'bytes=0-4', 'If-Range': etag }, expect: 206 }));
}

// 9. Conditional requests: every literal route and one of each templated
// one, with its ETag in If-None-Match: 304 with that ETag and no body; a
// stale tag gets 200. Both with and without gzip.
const condPaths = [
  // (not /metrics: its body changes with every request)
  ...templates.filter((t) => t.item.get && t.names.length === 0 && t.template !== '/metrics').map((t) => [t.template, DEFAULT_QUERY[t.template] ?? '']),
  ...templates.filter((t) => t.item.get && t.names.length > 0).map((t) => [fill(t.template), '']),
  ['/outcomes', q({ limit: 2, sort: '-timeframe' })],
  ['/sources/scmp-china-us-test-cyberthreat-defences/text', q({ start: 0, end: 100, unit: 'byte' })],
];
for (const [path, query] of condPaths) {
  for (const enc of [{}, { 'Accept-Encoding': 'gzip' }]) {
    const first200 = await request('GET', path, { query, raw: true, headers: enc, expect: 200 });
    results.push(first200);
    const etag = first200.headers.get('etag');
    if (!etag) continue;
    const gz = first200.headers.get('content-encoding') === 'gzip';
    if (gz !== etag.endsWith('-gzip"')) fail(first200, `ETag ${etag} and Content-Encoding ${first200.headers.get('content-encoding')} disagree`);
    for (const method of ['GET', 'HEAD']) {
      for (const inm of [etag, `"00000000000000000000000000000000", ${etag}`, `W/${etag}`, '*']) {
        const r = await request(method, path, { query, raw: true, headers: { ...enc, 'If-None-Match': inm }, expect: 304 });
        if (r.status === 304 && r.headers.get('etag') !== etag) fail(r, `the 304 has ETag ${r.headers.get('etag')}, not ${etag}`);
        if (r.status === 304 && r.raw?.length) fail(r, 'a 304 has a body');
        results.push(r);
      }
    }
    results.push(await request('GET', path, { query, raw: true, headers: { ...enc, 'If-None-Match': '"00000000000000000000000000000000"' }, expect: 200 }));
    // The other encoding's tag does not match this variant.
    const other = gz ? etag.replace('-gzip"', '"') : etag.replace(/"$/, '-gzip"');
    results.push(await request('GET', path, { query, raw: true, headers: { ...enc, 'If-None-Match': other }, expect: 200 }));
  }
}

// 10. Compression: every literal route and every source's text with
// Accept-Encoding that allows gzip; a body of 860 bytes or more comes gzipped
// (validated decompressed), a smaller one does not; refusals get identity.
const gzipSpecs = [];
const bigPaths = [
  ...templates.filter((t) => t.item.get && t.names.length === 0).map((t) => [t.template, DEFAULT_QUERY[t.template] ?? '']),
  ...sourceIds.map((id) => [`/sources/${encodeURIComponent(id)}/text`, '']),
  ...sourceIds.map((id) => [`/sources/${encodeURIComponent(id)}`, '']),
  ['/claims', q({ limit: 1 })],
  ['/annotations', '?pretty=1'],
  ['/no-such-path', ''],
];
for (const [path, query] of bigPaths) {
  const expect = path === '/no-such-path' ? 404 : 200;
  for (const ae of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.5', '*', 'GZIP']) {
    gzipSpecs.push(['GET', path, { query, raw: true, headers: { 'Accept-Encoding': ae }, expect, gzip: true }]);
  }
  for (const ae of ['identity', 'gzip;q=0', 'deflate, br', 'gzip;q=0.000']) {
    gzipSpecs.push(['GET', path, { query, raw: true, headers: { 'Accept-Encoding': ae }, expect, gzip: false }]);
  }
  gzipSpecs.push(['GET', path, { query, raw: true, expect, gzip: false }]);
  gzipSpecs.push(['HEAD', path, { query, raw: true, headers: { 'Accept-Encoding': 'gzip' }, expect }]);
}
const gzipped = await all(gzipSpecs);
results.push(...gzipped);
for (const r of gzipped) {
  if (r.status !== 200 || r.method !== 'GET') continue;
  const encoded = r.headers.get('content-encoding') === 'gzip';
  // / is negotiated on Accept too (the viewer or the API's index).
  if (r.headers.get('vary') !== (r.path === '/' ? 'Accept, Accept-Encoding' : 'Accept-Encoding')) fail(r, `Vary is ${r.headers.get('vary')}`);
  if (r.gzip && r.body.length >= 860 && !encoded) fail(r, `a body of ${r.body.length} bytes was not gzipped for Accept-Encoding: ${r.sent['Accept-Encoding']}`);
  if (r.gzip && r.body.length < 860 && encoded) fail(r, `a body of ${r.body.length} bytes (under 860) was gzipped`);
  if (!r.gzip && encoded) fail(r, `gzipped although Accept-Encoding is ${JSON.stringify(r.sent['Accept-Encoding'] ?? null)}`);
  if (encoded && r.raw.length >= r.body.length) fail(r, 'the gzip body is not smaller');
  if (r.headers.get('content-length') !== null && Number(r.headers.get('content-length')) !== r.raw.length) fail(r, 'Content-Length is not the length sent');
  const id = decodeURIComponent(r.path.split('/')[2] ?? '');
  if (r.path.endsWith('/text') && textOf[id] && !r.body.equals(textOf[id])) fail(r, 'the decompressed text differs from the text');
}

// 11. Search: valid queries (each kind, limits, FTS5 syntax) and invalid ones.
const searchSpecs = [];
const KINDS = ['source', 'participant', 'agreement', 'outcome', 'claim'];
for (const text of ['exercise', '"tabletop exercise"', 'cyber*', 'Guo OR Lynch', 'hotline NOT exercise', 'OPM', 'Washington', 'zzzznothing', 'étude', '中国']) {
  searchSpecs.push(['GET', '/search', { query: q({ q: text }), expect: 200, search: { q: text } }]);
  for (const kind of KINDS) searchSpecs.push(['GET', '/search', { query: q({ q: text, kind }), expect: 200, search: { q: text, kind } }]);
}
for (const limit of ['1', '5', '100', '500']) searchSpecs.push(['GET', '/search', { query: q({ q: 'china', limit }), expect: 200, search: { q: 'china', limit: Number(limit) } }]);
searchSpecs.push(['GET', '/search', { query: q({ q: 'x'.repeat(256) }), expect: 200, search: { q: 'x'.repeat(256) } }]);
searchSpecs.push(['HEAD', '/search', { query: q({ q: 'exercise', kind: 'outcome' }), expect: 200 }]);
searchSpecs.push(['GET', '/search', { query: q({ q: 'exercise', pretty: '1' }), expect: 200 }]);
for (const bad of [{}, { q: '' }, { q: 'x'.repeat(257) }, { q: '"unbalanced' }, { q: 'AND' }, { q: 'exercise OR' }, { q: '(' },
  { q: 'exercise', kind: 'sources' }, { q: 'exercise', kind: '' }, { q: 'exercise', limit: '0' }, { q: 'exercise', limit: '501' }, { q: 'exercise', count: 'yes' },
  { q: 'exercise', limit: 'x' }, { q: 'exercise', source: sourceIds[0] ?? 'x' }, { q: 'exercise', cursor: 'abc' }, { kind: 'outcome' }]) {
  searchSpecs.push(['GET', '/search', { query: q(bad), expect: 400 }]);
}
searchSpecs.push(['GET', '/search', { query: '?q=exercise&q=cyber', expect: 400 }]);
searchSpecs.push(['HEAD', '/search', { query: q({ q: '"unbalanced' }), expect: 400 }]);
const searched = await all(searchSpecs);
results.push(...searched);
const known = Object.fromEntries(LISTS.map((name) => [name.slice(0, -1), new Set(idsOf(name))]));
const factsOf = Object.fromEntries(LISTS.map((name) => [name.slice(0, -1), Object.fromEntries((lists[name]?.items ?? []).map((i) => [i.id, i]))]));
const spanKey = (s) => `${s.source}:${s.start}:${s.end}`;
for (const r of searched) {
  if (r.status !== 200 || !r.search || !r.value) continue;
  const { q: text, kind, limit = 20 } = r.search;
  if (r.value.query !== text) fail(r, `query is ${JSON.stringify(r.value.query)}, not ${JSON.stringify(text)}`);
  const hits = r.value.items ?? [];
  if (hits.length > limit) fail(r, `${hits.length} hits for limit=${limit}`);
  if (text === 'exercise' && !kind && hits.length === 0) fail(r, 'no hit for "exercise"');
  const once = new Set(hits.map((h) => `${h.kind}:${h.id}`));
  if (once.size !== hits.length) fail(r, 'a record is more than one hit');
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i];
    if (kind && h.kind !== kind) fail(r, `a ${h.kind} hit for kind=${kind}`);
    if (!known[h.kind]?.has(h.id)) fail(r, `the hit ${h.kind} ${h.id} is not in /${h.kind}s`);
    if (i > 0 && h.score > hits[i - 1].score) fail(r, `the hits are not best first (${hits[i - 1].score} then ${h.score})`);
    for (const s of h.spans ?? []) {
      const body = textOf[s.source];
      if (body && body.subarray(s.byte_start, s.byte_end).toString('utf8') !== s.exact) fail(r, `the span ${spanKey(s)} of ${h.id} is not its exact text`);
      if (h.kind === 'source' && s.source !== h.id) fail(r, `a span of source hit ${h.id} lies in ${s.source}`);
    }
    const rec = factsOf[h.kind]?.[h.id];
    if (rec && h.kind !== 'source') {
      const own = new Set((h.kind === 'participant' ? rec.mentions : rec.evidence).map(spanKey));
      if ((h.spans ?? []).some((s) => !own.has(spanKey(s)))) fail(r, `the spans of ${h.kind} ${h.id} are not its ${h.kind === 'participant' ? 'mentions' : 'evidence'}`);
    }
  }
}

// 12. Annotations: following `next` from the first page visits every
// annotation once (`total` of them, `startIndex` and the ids counting
// them); every annotation is a real span of a real record, and its
// selectors agree with each other and with the text (the quote selector
// matching there only). Every IRI is absolute, on the daemon's origin
// (the Host sent, there being no --public-url); each page, annotation and
// the collection pass the W3C annotation-model test suite's MUST
// assertions (w3c.mjs), and each page expands as JSON-LD to absolute IRIs.
{
  const origin = new URL(base).origin;
  const path = (iri) => (typeof iri === 'string' && iri.startsWith(`${origin}/`) ? iri.slice(origin.length) : null);
  const first = await request('GET', '/annotations', { query: q({ limit: 50 }), expect: 200 });
  results.push(first);
  const r = first.value ? first : undefined;
  const items = [];
  for (let page = first, n = 0; page?.status === 200 && page.value && n < 1000; n++) {
    const v = page.value;
    if (v.startIndex !== items.length) fail(page, `startIndex is ${v.startIndex}, ${items.length} annotations came before`);
    if (v.partOf?.total !== first.value.partOf?.total) fail(page, `partOf.total changed from ${first.value.partOf?.total} to ${v.partOf?.total}`);
    if ((v.items?.length ?? 0) > 50) fail(page, `${v.items.length} annotations for limit=50`);
    if (v.next === null) fail(page, 'next is null: the W3C model wants it absent on the last page');
    if (v.next !== undefined && v.items?.length !== 50) fail(page, 'a page before the last is not full');
    (v.items ?? []).forEach((a, i) => {
      if (a.id !== `${origin}/annotations#${items.length + i + 1}`) fail(page, `annotation ${items.length + i + 1} has the id ${a.id}`);
      for (const msg of w3cAssert('annotation', { '@context': v['@context'], ...a })) fail(page, `${a.id}: ${msg}`);
    });
    for (const msg of w3cAssert('page', v)) fail(page, msg);
    for (const msg of w3cAssert('collection', { '@context': v['@context'], ...v.partOf })) fail(page, `partOf: ${msg}`);
    const expanded = await w3cExpand(v);
    for (const msg of expanded.failed) fail(page, msg);
    if (expanded.seen === 0) fail(page, 'the page expands to no IRI at all');
    items.push(...(v.items ?? []));
    const link = page.headers.get('link');
    if (v.next == null) {
      if (link !== null) fail(page, `there is no next but there is a Link header: ${link}`);
      break;
    }
    if (link !== `<${v.next}>; rel="next"`) fail(page, `the Link header ${JSON.stringify(link)} does not name next ${v.next}`);
    const url = new URL(v.next);
    if (url.origin !== origin) fail(page, `next ${v.next} is not on ${origin}`);
    page = await request('GET', url.pathname, { query: url.search, expect: 200 });
    results.push(page);
    if (page.value && page.value.id !== v.next) fail(page, `the page's id ${page.value.id} is not the next ${v.next} that led to it`);
  }
  if (r && r.value.partOf?.total !== items.length) fail(r, `partOf.total is ${r.value.partOf?.total}, the pages hold ${items.length}`);
  for (const limit of ['0', '501', '-1', 'ten', '']) results.push(await request('GET', '/annotations', { query: q({ limit }), expect: 400 }));
  for (const cursor of ['', 'not-a-cursor', '!!!', 'e30', 'x'.repeat(1100)]) results.push(await request('GET', '/annotations', { query: q({ cursor }), expect: 400 }));
  for (const bad of [{ sort: 'id' }, { count: 'true' }]) results.push(await request('GET', '/annotations', { query: q(bad), expect: 400 }));
  const spanSets = {};
  for (const name of ['participants', 'agreements', 'outcomes', 'claims']) {
    for (const rec of lists[name]?.items ?? []) {
      spanSets[`/${name}/${rec.id}`] = new Set((name === 'participants' ? rec.mentions : rec.evidence).map(spanKey));
    }
  }
  const ids = new Set();
  for (const a of items) {
    if (ids.has(a.id)) fail(r, `annotation id ${a.id} repeats`);
    ids.add(a.id);
    const sourceId = /^\/sources\/([^/]+)\/text$/.exec(path(a.target?.source) ?? '')?.[1];
    const [quote, pos] = a.target?.selector ?? [];
    if (!sourceId || !textOf[sourceId]) {
      fail(r, `${a.id}: the target ${a.target?.source} is not a source's text`);
      continue;
    }
    const cps = [...textOf[sourceId].toString('utf8')];
    const exact = cps.slice(pos.start, pos.end).join('');
    if (exact !== quote.exact) fail(r, `${a.id}: the TextPositionSelector gives ${JSON.stringify(exact.slice(0, 40))}, the quote is ${JSON.stringify(quote.exact.slice(0, 40))}`);
    const np = [...quote.prefix].length, ns = [...quote.suffix].length;
    if (cps.slice(Math.max(0, pos.start - np), pos.start).join('') !== quote.prefix || (np < 32 && np !== pos.start)) fail(r, `${a.id}: the prefix is not the (at least 32) code points before`);
    if (cps.slice(pos.end, pos.end + ns).join('') !== quote.suffix || (ns < 32 && pos.end + ns !== cps.length)) fail(r, `${a.id}: the suffix is not the (at least 32) code points after`);
    const text = cps.join(''), selector = quote.prefix + quote.exact + quote.suffix;
    const at = text.indexOf(selector);
    if (at < 0 || text.indexOf(selector, at + 1) >= 0) fail(r, `${a.id}: the TextQuoteSelector does not match exactly one place`);
    const rec = path(a.body?.[0]?.source) ?? '';
    if (a.body?.[0]?.type !== 'SpecificResource') fail(r, `${a.id}: the record's body is not a SpecificResource`);
    const participant = rec.startsWith('/participants/');
    if ((a.motivation === 'identifying') !== participant) fail(r, `${a.id}: motivation ${a.motivation} for ${rec}`);
    if (rec.startsWith('/sources/')) {
      if (rec !== `/sources/${sourceId}`) fail(r, `${a.id}: metadata of ${rec} in the text of ${sourceId}`);
      const field = a.body?.[1]?.value;
      const src = factsOf.source[sourceId];
      const me = src?.metadata_evidence?.[field];
      if (!me || me.start !== pos.start || me.end !== pos.end) fail(r, `${a.id}: not the metadata_evidence.${field} of ${sourceId}`);
    } else if (!spanSets[rec]?.has(`${sourceId}:${pos.start}:${pos.end}`)) {
      fail(r, `${a.id}: ${sourceId} [${pos.start}, ${pos.end}) is not a span of ${rec}`);
    }
    if (rec.startsWith('/claims/')) {
      const claim = factsOf.claim[rec.split('/')[2]];
      const values = (claim?.values ?? []).filter((v) => v.evidence.some((s) => s.source === sourceId && s.start === pos.start && s.end === pos.end)).map((v) => v.value);
      if (!values.includes(a.body?.[1]?.value)) fail(r, `${a.id}: the TextualBody ${JSON.stringify(a.body?.[1]?.value)} is not a value of ${rec} with this span`);
    }
  }
  // Every span of every record is there.
  const want = Object.values(spanSets).reduce((n, set) => n + set.size, 0);
  const got = items.filter((a) => !path(a.body?.[0]?.source)?.startsWith('/sources/')).length;
  if (r && got !== want) fail(r, `${got} annotations of records, the records have ${want} distinct spans`);
}

// 12b. The dashboard routes (issue 16): every span of /sources/{id}/spans
// is its article's text at its offsets in all three units, each record's
// spans are among them, the timeline is in order of its days, and each
// facet of a list counts its whole list.
{
  for (const src of lists.sources?.items ?? []) {
    const r = await request('GET', `/sources/${encodeURIComponent(src.id)}/spans`, { expect: 200 });
    results.push(r);
    const body = textOf[src.id];
    if (r.status !== 200 || !r.value || !body) continue;
    if (r.value.text !== body.toString('utf8')) fail(r, 'text is not the article\'s exact text');
    const cps = [...r.value.text];
    let last = -1;
    for (const it of r.value.items ?? []) {
      if (body.subarray(it.byte_start, it.byte_end).toString('utf8') !== it.exact) fail(r, `${it.kind} ${it.id}: bytes are not exact`);
      if (cps.slice(it.start, it.end).join('') !== it.exact) fail(r, `${it.kind} ${it.id}: code points are not exact`);
      if (r.value.text.slice(it.utf16_start, it.utf16_end) !== it.exact) fail(r, `${it.kind} ${it.id}: UTF-16 units are not exact`);
      if (it.byte_start < last) fail(r, 'the spans are not in text order');
      last = it.byte_start;
    }
    const keys = new Set((r.value.items ?? []).map((it) => `${it.kind}:${it.id}:${it.byte_start}:${it.byte_end}`));
    for (const name of ['participants', 'agreements', 'outcomes', 'claims']) {
      for (const rec of lists[name]?.items ?? []) {
        const own = name === 'participants' ? rec.mentions : rec.evidence;
        for (const sp of own ?? []) {
          const k = `${name.slice(0, -1)}:${rec.id}:${sp.byte_start}:${sp.byte_end}`;
          if (sp.source === src.id && !keys.has(k)) fail(r, `${k} is missing`);
        }
      }
    }
  }
  const t = await request('GET', '/timeline', { expect: 200 });
  results.push(t);
  const dated = (t.value?.items ?? []).filter((it) => it.start !== null);
  for (let i = 1; i < dated.length; i++) {
    if (dated[i - 1].start > dated[i].start) fail(t, `${dated[i - 1].id} (${dated[i - 1].start}) comes before ${dated[i].id} (${dated[i].start})`);
  }
  if ((t.value?.items ?? []).slice(dated.length).some((it) => it.start !== null)) fail(t, 'a dated item after an undated one');
  for (const [name, facets] of [['outcomes', ['status', 'kind', 'source', 'agreement']], ['claims', ['disputed', 'source']], ['participants', ['kind', 'role', 'country']]]) {
    const r = await request('GET', `/${name}`, { query: `?limit=1&${facets.map((f) => `facet=${f}`).join('&')}`, expect: 200 });
    results.push(r);
    for (const f of facets) {
      const counted = (r.value?.facets?.[f] ?? []).reduce((n, v) => n + v.count, 0);
      const all = lists[name]?.items?.length ?? 0;
      // A source facet counts a fact once per source it is in.
      if (f !== 'source' && counted !== all) fail(r, `facet ${f} counts ${counted} records, the list has ${all}`);
    }
  }
}

// 12c. CSV and NDJSON: every list and /search, by ?format= and by Accept;
// a CSV starts with its header row and ends its rows in CRLF, an NDJSON
// body is one JSON object a line, as many as the JSON page has records.
{
  const exports = [];
  for (const name of LISTS) {
    exports.push(['GET', `/${name}`, { query: q({ format: 'csv' }), expect: 200, csv: true }]);
    exports.push(['GET', `/${name}`, { query: q({ format: 'ndjson', limit: 3 }), expect: 200, ndjson: 3, list: name }]);
    exports.push(['GET', `/${name}`, { headers: { Accept: 'text/csv' }, expect: 200, csv: true }]);
    exports.push(['GET', `/${name}`, { query: q({ format: 'tsv' }), expect: 400 }]);
  }
  exports.push(['GET', '/search', { query: q({ q: 'exercise', format: 'csv' }), expect: 200, csv: true }]);
  exports.push(['GET', '/search', { query: q({ q: 'exercise' }), headers: { Accept: 'application/x-ndjson' }, expect: 200, ndjson: -1 }]);
  const got = await all(exports);
  results.push(...got);
  for (const r of got) {
    if (r.status !== 200 || typeof r.value !== 'string') continue;
    if (r.csv) {
      if (!/^[a-z0-9_]+(,[a-z0-9_]+)*\r\n/.test(r.value)) fail(r, 'the CSV does not begin with a header row');
      if (!r.value.endsWith('\r\n')) fail(r, 'the CSV does not end in CRLF');
    }
    if (r.ndjson) {
      const lines = r.value.split('\n');
      if (lines.pop() !== '') fail(r, 'the NDJSON does not end in a newline');
      for (const line of lines) {
        try {
          if (typeof JSON.parse(line) !== 'object') fail(r, 'an NDJSON line is not an object');
        } catch (err) {
          fail(r, `an NDJSON line is not JSON: ${err.message}`);
        }
      }
      if (r.ndjson > 0 && lines.length !== Math.min(r.ndjson, lists[r.list]?.items?.length ?? 0)) fail(r, `${lines.length} NDJSON lines for limit=${r.ndjson}`);
    }
  }
}

// 13. The service routes: /openapi.json is the YAML document, /version and
// /metrics have the documented content, /readyz and /healthz say so.
{
  const require = createRequire(import.meta.url);
  const yaml = require('js-yaml');
  const { readFileSync } = await import('node:fs');
  const get = (p) => results.find((x) => x.method === 'GET' && x.path === p && x.query === '' && x.status === 200);
  const json = get('/openapi.json');
  const yamlRes = get('/openapi.yaml');
  if (json && yamlRes) {
    const fromYaml = yaml.load(yamlRes.body.toString('utf8'));
    if (JSON.stringify(json.value) !== JSON.stringify(fromYaml)) fail(json, '/openapi.json is not the document /openapi.yaml serves');
    if (yamlRes.body.toString('utf8') !== readFileSync(specPath, 'utf8')) fail(yamlRes, `/openapi.yaml is not ${specPath}`);
  }
  // /metrics counts a request once its exchange is complete, just after
  // its client has the reply, and the /metrics of step 1 ran alongside
  // the /healthz it would count: ask /healthz again, alone, then read
  // /metrics until it counts it (an event, with a deadline far beyond
  // it, ten times longer under the sanitizers), and check that reading.
  results.push(await request('GET', '/healthz', { expect: 200 }));
  const healthzCount = (text) => {
    const line = text.split('\n').find((l) => l.startsWith('accord_requests_total{route="/healthz",status="200"} '));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  const deadline = Date.now() + 30000 * (process.env.ACCORD_SANITIZED ? 10 : 1);
  let metrics = await request('GET', '/metrics', { expect: 200 });
  while (metrics.status === 200 && healthzCount(metrics.value ?? '') < 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    metrics = await request('GET', '/metrics', { expect: 200 });
  }
  results.push(metrics);
  if (metrics.status === 200 && typeof metrics.value === 'string') {
    const lines = metrics.value.split('\n').filter((l) => l !== '');
    const sample = /^(accord_requests_total|accord_request_duration_seconds_(bucket|sum|count)|accord_cache_(lookups|evictions|oversized)_total|accord_cache_(budget_)?bytes|accord_cache_entries|accord_record_cache_lookups_total|accord_record_cache_bytes|accord_database_checked|accord_queue_depth|accord_queue_refused_total|accord_head_timeouts_total|accord_connections_evicted_total|accord_response_bytes)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.eE+-]+$/;
    for (const l of lines) {
      if (l.startsWith('# HELP ') || l.startsWith('# TYPE ')) continue;
      if (!sample.test(l)) {
        fail(metrics, `not a Prometheus sample of accord: ${JSON.stringify(l)}`);
        break;
      }
    }
    for (const want of ['# TYPE accord_requests_total counter', '# TYPE accord_request_duration_seconds histogram']) {
      if (!lines.includes(want)) fail(metrics, `missing ${JSON.stringify(want)}`);
    }
    if (!lines.some((l) => l.startsWith('accord_requests_total{route="/healthz",status="200"}'))) fail(metrics, 'no count of GET /healthz 200');
  }
  const version = get('/version');
  const version2 = await request('GET', '/version', { expect: 200 });
  results.push(version2);
  if (version && version2.value && version.value.data_sha256 !== version2.value.data_sha256) fail(version2, 'data_sha256 changed between two requests');
  for (const p of ['/healthz', '/readyz', '/version', '/metrics', '/openapi.json', '/search', '/annotations']) {
    results.push(await request('GET', p, { query: '?bogus=1', expect: 400 }));
  }
}

// ---------------------------------------------------------------- replay ---

if (replayPath !== undefined) {
  let text = '';
  try {
    text = readFileSync(replayPath, 'utf8');
  } catch {
    text = '';
  }
  let replayed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const logged = JSON.parse(line);
    const at = logged.target.indexOf('?');
    const ex = {
      method: logged.method,
      path: at < 0 ? logged.target : logged.target.slice(0, at),
      query: at < 0 ? '' : logged.target.slice(at),
      status: logged.status,
      headers: new Headers(),
      body: Buffer.from(logged.body, 'base64'),
      replayed: true,
    };
    for (const [k, v] of Object.entries(logged.headers)) ex.headers.set(k, v);
    if ((ex.headers.get('content-encoding') ?? '').toLowerCase() === 'gzip' && ex.body.length > 0) {
      try {
        ex.body = gunzipSync(ex.body);
      } catch (err) {
        ex.failures = [`replayed gzip body does not decompress: ${err.message}`];
        results.push(ex);
        continue;
      }
    }
    ex.failures = check(ex);
    results.push(ex);
    replayed++;
  }
  console.log(`replayed ${replayed} responses the integration tests received`);
  if (replayed === 0) results.push({ method: 'REPLAY', path: replayPath, query: '', status: '-', failures: ['no logged responses'] });
}

// ---------------------------------------------------------------- record ---

// ACCORD_CONTRACT_RECORD=FILE: writes every exchange this run made (not the
// replayed ones) as JSON lines in the integration tests' format, for
// tools/same-responses.sh to compare two builds by.
if (process.env.ACCORD_CONTRACT_RECORD) {
  const lines = results.filter((r) => !r.replayed && r.headers !== undefined).map((r) => {
    const headers = {};
    for (const [k, v] of r.headers) headers[k] = v;
    return JSON.stringify({ method: r.method, target: r.path + r.query, status: r.status, headers, body: Buffer.from(r.body ?? []).toString('base64') });
  });
  writeFileSync(process.env.ACCORD_CONTRACT_RECORD, lines.join('\n') + '\n');
}

// ---------------------------------------------------------------- report ---

let passed = 0;
let failed = 0;
for (const r of results) {
  if (r.failures.length === 0) {
    passed++;
    continue;
  }
  failed++;
  const query = r.query.length > 80 ? `${r.query.slice(0, 40)}...(${r.query.length} chars)` : r.query;
  for (const f of r.failures) console.log(`FAIL ${r.method} ${r.path}${query} ${r.status}: ${f}`);
}
console.log(`contract: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
