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

import { createHash } from 'node:crypto';
import process from 'node:process';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LISTS = ['sources', 'participants', 'agreements', 'outcomes', 'claims'];
const CONCURRENCY = 8;

function usage() {
  console.error('usage: node validate.mjs BASE_URL SPEC_PATH');
  process.exit(2);
}

const [baseArg, specPath] = process.argv.slice(2);
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
      else if (p.schema && !validator(p.schema, true)(value)) {
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

async function request(method, path, { query = '', expect } = {}) {
  const ex = { method, path, query, expect, status: '-', headers: new Headers(), body: Buffer.alloc(0) };
  try {
    const res = await fetch(base + path + query, { method, redirect: 'manual' });
    ex.status = res.status;
    ex.headers = res.headers;
    ex.body = Buffer.from(await res.arrayBuffer());
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
results.push(...(await all(literal.map((p) => ['GET', p, { expect: 200 }]))));

// 2. Every item of every list, and every source's text.
const lists = Object.fromEntries(
  results.filter((r) => LISTS.includes(r.path.slice(1)) && r.status === 200).map((r) => [r.path.slice(1), r.value]),
);
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
const fill = (template) => template.replace(/\{[^}]+\}/g, () => encodeURIComponent(someId(template)));
const missed = templates.filter((t) => t.item.get && !reached.has(t.template)).map((t) => ['GET', fill(t.template), { expect: 200 }]);
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
  if (!LISTS.includes(path.slice(1))) extra.push(['HEAD', path, { expect: 200 }]);
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
  filterSpecs.push(['GET', path, { query: q({ source: sourceIds[0] ?? 'x' }), expect: 400 }]);
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
