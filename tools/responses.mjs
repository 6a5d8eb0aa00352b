#!/usr/bin/env node
// Helpers of tools/same-responses.sh.
//
//   node responses.mjs walk BASE_URL OUT
//     Requests /annotations and every list at page sizes 1 and 500, following
//     each next link to the end, plain and with Accept-Encoding: gzip, and
//     writes each exchange as a JSON line {method, target, status, headers,
//     body (base64)} to OUT: the integration tests' format.
//   node responses.mjs digest VERSION FILE...
//     Prints one sorted line per exchange of the files: method, target,
//     status, the headers that matter and the sha256 of the body, with the
//     build's VERSION string replaced. /metrics (counters) keeps its status
//     and content type only; /version's ETag, a digest of a body holding the
//     version, is left out.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { gunzipSync } from 'node:zlib';

const HEADERS = ['content-type', 'content-encoding', 'content-length', 'content-range',
  'accept-ranges', 'etag', 'link', 'allow', 'cache-control', 'vary', 'retry-after',
  'connection', 'access-control-allow-origin', 'access-control-expose-headers',
  'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age',
  'content-language', 'x-content-type-options', 'content-security-policy', 'referrer-policy'];

async function walk(base, out) {
  const lines = [];
  const starts = [];
  for (const list of ['sources', 'participants', 'agreements', 'outcomes', 'claims', 'annotations'])
    for (const limit of [1, 500]) starts.push(`/${list}?limit=${limit}`);
  starts.push('/annotations');
  for (const encoding of [undefined, 'gzip']) {
    for (const start of starts) {
      let target = start;
      for (let pages = 0; target && pages < 5000; pages++) {
        const headers = encoding ? { 'accept-encoding': encoding } : {};
        const res = await fetch(base + target, { headers, decompress: false });
        const body = Buffer.from(await res.arrayBuffer());
        const h = {};
        for (const [k, v] of res.headers) h[k] = v;
        lines.push(JSON.stringify({ method: 'GET', target, status: res.status, headers: h,
          body: body.toString('base64') }));
        let next = null;
        try {
          next = JSON.parse(body.toString('utf8')).next ?? null;
        } catch {
          next = null;
        }
        // next is absolute (issue 16): walk its path and query.
        target = typeof next === 'string' ? (({ pathname, search }) => pathname + search)(new URL(next, base)) : null;
      }
    }
  }
  writeFileSync(out, lines.join('\n') + '\n');
}

function digest(version, files) {
  const out = [];
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const ex = JSON.parse(line);
      const path = ex.target.split('?')[0];
      const headers = Object.fromEntries(Object.entries(ex.headers).map(([k, v]) => [k.toLowerCase(), v]));
      // Links are absolute, with the port of the daemon that answered.
      const origin = /http:\/\/(127\.0\.0\.1|localhost|\[::1\]):[0-9]+/g;
      for (const k of Object.keys(headers)) headers[k] = String(headers[k]).replace(origin, 'ORIGIN');
      let raw = Buffer.from(ex.body, 'base64');
      if (headers['content-encoding'] === 'gzip' && raw.length > 0) {
        try { raw = gunzipSync(raw); } catch { /* compared as sent */ }
      }
      let body = raw.toString('latin1').split(version).join('VERSION').replace(origin, 'ORIGIN');
      // A body holding a link has the ETag of its port: compared by body.
      // A 304 or a HEAD has no body, and the ETag and length of a body
      // that may hold a link: the GET's 200 is compared by body.
      const linked = body.includes('ORIGIN') || ex.status === 304 || ex.method === 'HEAD';
      const kept = HEADERS.filter((h) => headers[h] !== undefined)
        .filter((h) => !(path === '/version' && h === 'etag'))
        .filter((h) => !(linked && (h === 'etag' || h === 'content-length')))
        .filter((h) => path !== '/metrics' || h === 'content-type')
        .map((h) => `${h}: ${headers[h]}`);
      if (path === '/metrics') body = '';
      const sha = createHash('sha256').update(Buffer.from(body, 'latin1')).digest('hex');
      out.push(`${ex.method} ${ex.target} ${ex.status} ${sha} ${JSON.stringify(kept)}`);
    }
  }
  out.sort();
  process.stdout.write(out.join('\n') + '\n');
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'walk' && args.length === 2) await walk(args[0], args[1]);
else if (cmd === 'digest' && args.length >= 2) digest(args[0], args.slice(1));
else {
  console.error('usage: responses.mjs walk BASE_URL OUT | digest VERSION FILE...');
  process.exit(2);
}
