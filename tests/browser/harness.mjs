// A reusable harness for browser tests of accord: a daemon on a database,
// a static server for a page of another origin, and Debian's Chromium
// driven by playwright-core. Each start returns { url, stop }.
//
//   import { loadFixture, startAccord, startStatic, launchChromium } from './harness.mjs';
//   const db = await loadFixture(bin, 'tests/fixtures/dashboard');
//   const accord = await startAccord(bin, db);      // accord.url: http://127.0.0.1:PORT
//   const site = await startStatic(dir);            // site.url: http://localhost:PORT
//   const browser = await launchChromium();
//
// Nothing here waits on the wall clock alone: each start waits for an
// event (a log line, a listening socket) and gives up only at a deadline
// far beyond it.

import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';

const DEADLINE_MS = 60_000 * (process.env.ACCORD_SANITIZED ? 10 : 1);

// Loads a data directory (accord's format) into a new database in a
// scratch folder; returns its path (the folder goes with cleanup()).
export async function loadFixture(bin, dataDir) {
  const dir = mkdtempSync(join(tmpdir(), 'accord-browser-'));
  const db = join(dir, 'fixture.db');
  await promisify(execFile)(bin, ['load', '--data', dataDir, '--db', db]);
  return { db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Starts `accord serve` on a free port of 127.0.0.1 and resolves once its
// database has passed the full check (the "checked" log line).
export function startAccord(bin, db, args = []) {
  const child = spawn(bin, ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let port = 0;
  let ready = false;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(new Error(`accord did not become ready:\n${log}`)), DEADLINE_MS);
    function fail(err) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    }
    child.on('exit', (code) => fail(new Error(`accord exited (${code}):\n${log}`)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const at = /"listening".*"address":"127\.0\.0\.1:(\d+)"/.exec(log);
      if (at) port = Number(at[1]);
      if (!ready && port && log.includes('"event":"checked"')) {
        ready = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolvePromise({
          url: `http://127.0.0.1:${port}`,
          log: () => log,
          stop: () => new Promise((done) => {
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
        });
      }
    });
  });
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

// Serves the files of dir on a free port of localhost: a page there is of
// another origin than accord's 127.0.0.1.
export function startStatic(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, 'localhost', () => done({
      url: `http://localhost:${server.address().port}`,
      stop: () => new Promise((closed) => server.close(closed)),
    }));
  });
}

// Debian's Chromium (apt-get install chromium), or CHROMIUM if set.
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(', ')}): apt-get install chromium`);
  return found;
}

// Launches headless Chromium through playwright-core (which downloads no
// browser of its own).
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // As root (CI), Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
