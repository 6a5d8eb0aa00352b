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
//     version, is left out. Each daemon runs on a port of its own, and links
//     are absolute (http:// and the request's Host): the port is replaced by
//     PORT in targets, links and bodies (gzip bodies compared unzipped), and
//     a body that held it is compared without its length and ETag.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { gunzipSync } from 'node:zlib';

const PORT = /127\.0\.0\.1:[0-9]+/g;

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
        const url = new URL(target, base); // next links are absolute
        target = url.pathname + url.search;
        const res = await fetch(url, { headers, decompress: false });
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
        target = typeof next === 'string' ? next : null;
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
      const headers = Object.fromEntries(Object.entries(ex.headers)
        .map(([k, v]) => [k.toLowerCase(), String(v).replace(PORT, '127.0.0.1:PORT')]));
      let bytes = Buffer.from(ex.body, 'base64');
      if (headers['content-encoding'] === 'gzip' && bytes.length > 0) {
        try {
          bytes = gunzipSync(bytes);
        } catch {
          // not a whole gzip stream: compared as it came
        }
      }
      let body = bytes.toString('latin1').split(version).join('VERSION');
      const ported = body.search(PORT) >= 0;
      body = body.replace(PORT, '127.0.0.1:PORT');
      const kept = HEADERS.filter((h) => headers[h] !== undefined)
        .filter((h) => !(path === '/version' && h === 'etag'))
        .filter((h) => !(ported && (h === 'etag' || h === 'content-length')))
        .filter((h) => path !== '/metrics' || h === 'content-type')
        .map((h) => `${h}: ${headers[h]}`);
      if (path === '/metrics') body = '';
      const sha = createHash('sha256').update(Buffer.from(body, 'latin1')).digest('hex');
      out.push(`${ex.method} ${ex.target.replace(PORT, '127.0.0.1:PORT')} ${ex.status} ${sha} ${JSON.stringify(kept)}`);
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
