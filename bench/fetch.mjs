#!/usr/bin/env node
// Helpers for bench/run.sh that talk to a running accord (Node's fetch).
//   node bench/fetch.mjs dbjson BASE OUT   write json-server's db.json: every
//       list in full (following `next`), sources as their full records
//   node bench/fetch.mjs deep BASE PATH N  follow `next` from PATH up to page
//       N; print "PAGE URL" of the deepest page reached
//   node bench/fetch.mjs mix BASE N        print N distinct paths a dashboard
//       asks for: pages of lists in several sorts (through `next`), lists
//       filtered by source and by participant, records by id
//   node bench/fetch.mjs save BASE OTHER PATHS DIR  fetch each path of the
//       file PATHS from BASE into DIR/N.json (N its line number), check that
//       OTHER answers the same bytes, and print an nginx map line for each
import { readFileSync, writeFileSync } from "node:fs";

const [cmd, base, a, b] = process.argv.slice(2);
// `next` links are absolute: keep only their path and query.
const rel = (u) => {
	if (!u || !/^https?:/.test(u)) return u;
	const x = new URL(u);
	return x.pathname + x.search;
};
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
		next = rel(page.next);
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
		const next = rel((await get(url)).next);
		if (!next) break;
		url = next;
		page++;
	}
	console.log(`${page} ${url}`);
} else if (cmd === "mix") {
	const want = Number(a), out = new Set();
	const walk = async (path, pages) => {
		for (let next = path, n = 0; next && n < pages && out.size < want; n++) {
			out.add(next);
			next = rel((await get(next)).next);
		}
	};
	const sources = (await get("/sources?limit=100")).items.map((s) => s.id);
	const people = (await get("/participants?limit=100&sort=name")).items.map((p) => p.id);
	const rounds = [
		...["/claims?limit=10", "/claims?limit=10&sort=-corroboration", "/outcomes?limit=10",
		    "/outcomes?limit=10&sort=-corroboration,kind", "/participants?limit=20&sort=name",
		    "/agreements?limit=5", "/sources?limit=10&sort=-date", "/claims?disputed=true&limit=10"]
			.map((p) => () => walk(p, Math.ceil(want / 16))),
		...sources.map((s) => () => walk(`/claims?source=${s}&limit=10`, 2)),
		...people.map((p) => () => walk(`/outcomes?participant=${p}&limit=10`, 2)),
		...sources.map((s) => async () => out.add(`/sources/${s}`)),
	];
	for (const r of rounds) { if (out.size >= want) break; await r(); }
	console.log([...out].join("\n"));
} else if (cmd === "save") {
	const [, , , , other, list, dir] = process.argv;
	const paths = readFileSync(list, "utf8").trim().split("\n");
	const bytes = async (url) => {
		const r = await fetch(url);
		if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
		return Buffer.from(await r.arrayBuffer());
	};
	for (const [n, path] of paths.entries()) {
		const body = await bytes(base + path);
		if (!body.equals(await bytes(other + path)))
			throw new Error(`${path}: ${other} answers other bytes than ${base}`);
		writeFileSync(`${dir}/${n}.json`, body);
		console.log(`        "${path}" /m/${n}.json;`);
	}
} else {
	console.error("usage: fetch.mjs dbjson BASE OUT | deep BASE PATH N | mix BASE N | save BASE OTHER PATHS DIR");
	process.exit(2);
}
