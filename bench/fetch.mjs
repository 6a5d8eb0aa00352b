#!/usr/bin/env node
// Helpers for bench/run.sh that talk to a running accord (Node's fetch).
//   node bench/fetch.mjs dbjson BASE OUT   write json-server's db.json: every
//       list in full (following `next`), sources as their full records
//   node bench/fetch.mjs deep BASE PATH N  follow `next` from PATH up to page
//       N; print "PAGE URL" of the deepest page reached
import { writeFileSync } from "node:fs";

const [cmd, base, a, b] = process.argv.slice(2);
async function get(path) {
	const r = await fetch(base + path);
	if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
	return r.json();
}
async function all(path) {
	const items = [];
	for (let next = path; next; ) {
		const page = await get(next);
		items.push(...page.items);
		next = page.next;
	}
	return items;
}
if (cmd === "dbjson") {
	const db = {};
	for (const kind of ["participants", "agreements", "outcomes", "claims"])
		db[kind] = await all(`/${kind}?limit=500`);
	db.sources = [];
	for (const s of await all("/sources?limit=500"))
		db.sources.push(await get(`/sources/${encodeURIComponent(s.id)}`));
	writeFileSync(a, JSON.stringify(db));
} else if (cmd === "deep") {
	let url = a, page = 1;
	while (page < Number(b)) {
		const next = (await get(url)).next;
		if (!next) break;
		url = next;
		page++;
	}
	console.log(`${page} ${url}`);
} else {
	console.error("usage: fetch.mjs dbjson BASE OUT | deep BASE PATH N");
	process.exit(2);
}
