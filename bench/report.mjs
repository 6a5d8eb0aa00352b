#!/usr/bin/env node
// node bench/report.mjs build/bench: the tables of BENCHMARKS.md, in
// Markdown, from compare.tsv and scale.tsv that bench/run.sh wrote, with
// each target of the issue judged met or not met on those figures.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execSync } from "node:child_process";

const dir = process.argv[2] ?? "build/bench";
const tsv = (f) => {
	const [head, ...rows] = readFileSync(join(dir, f), "utf8").trim().split("\n");
	const cols = head.split("\t");
	return rows.map((r) => Object.fromEntries(r.split("\t").map((v, i) => [cols[i], v])));
};
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b), n = s.length;
	return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const f0 = (x) => Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–";
const f1 = (x) => Number.isFinite(x) ? x.toFixed(1) : "–";
const f2 = (x) => Number.isFinite(x) ? x.toFixed(2) : "–";
const sh = (c) => { try { return execSync(c, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim(); } catch (e) { return ((e.stdout || "") + (e.stderr || "")).trim(); } };
const out = [];
const p = (s = "") => out.push(s);
const targets = [];
const errNote = (x) => x.errors ? `; ${x.errors} answers were errors (wrk's non-2xx, socket errors and timeouts)` : "";
const judge = (what, ok, figure) => targets.push(`| ${what} | ${ok === null ? "not measured" : ok ? "**met**" : "**not met**"} | ${figure} |`);

p("### Machine");
p();
p("| | |");
p("| --- | --- |");
p(`| cores (nproc) | ${sh("nproc")} |`);
p(`| CPU | ${sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").trim()} |`);
p(`| RAM | ${sh("awk '/MemTotal/{printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")} |`);
p(`| kernel | ${sh("uname -sr")} |`);
p(`| accord | ${sh(`${join(dir, "bin/accord")} version`)} |`);
p(`| wrk | ${sh("wrk -v 2>&1 | head -1").split(" Copyright")[0]} |`);
p(`| nginx | ${sh("nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1")} |`);
p(`| json-server | ${sh("node bench/node_modules/json-server/lib/cli/bin.js --version")} (Node.js ${process.version}) |`);
p(`| gnuplot | ${sh("gnuplot --version")} |`);
if (existsSync(join(dir, "loadavg.txt")))
	p(`| other load | ${readFileSync(join(dir, "loadavg.txt"), "utf8").trim()} (2 cores) |`);
p();

if (existsSync(join(dir, "compare.tsv"))) {
	const rows = tsv("compare.tsv");
	const rounds = [...new Set(rows.map((r) => r.round))];
	const routes = [...new Set(rows.map((r) => r.route))];
	const servers = ["accord", "accord-nocache", "nginx", "json-server"].filter((s) => rows.some((r) => r.server === s));
	const stat = {};
	for (const route of routes) for (const s of servers) {
		const rs = rows.filter((r) => r.route === route && r.server === s);
		stat[route + s] = { rps: rs.map((r) => +r.rps), p50: median(rs.map((r) => +r.p50_ms)),
			p99: median(rs.map((r) => +r.p99_ms)), errors: rs.reduce((a, r) => a + +r.errors, 0) };
		stat[route + s].mrps = median(stat[route + s].rps);
	}
	p("### accord, nginx and json-server, same responses");
	p();
	p(`Median of ${rounds.length} alternating rounds; each round's req/s shown so the noise is visible. ` +
	    `p50 and p99 are the medians of the rounds' percentiles. "÷ nginx" divides accord's or json-server's median by nginx's. ` +
	    `\`accord\` is the daemon as it runs by default (bodies cached by request target after the first request); ` +
	    `\`accord-nocache\` is the same daemon with \`--cache-bytes 0 --record-cache-bytes 0\`, so that every request runs all its queries and renders all its JSON.`);
	p();
	p(`| route | server | req/s per round | median req/s | p50 ms | p99 ms | req/s ÷ nginx | p99 ÷ nginx | errors |`);
	p(`| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
	for (const route of routes) for (const s of servers) {
		const x = stat[route + s], n = stat[route + "nginx"];
		if (!x.rps.length) continue;
		p(`| ${route} | ${s} | ${x.rps.map(f0).join(" / ")} | ${f0(x.mrps)} | ${f2(x.p50)} | ${f2(x.p99)} | ` +
		    `${s === "nginx" ? "1" : f2(x.mrps / n.mrps)} | ${s === "nginx" ? "1" : f2(x.p99 / n.p99)} | ${x.errors} |`);
	}
	p();
	const nc = servers.includes("accord-nocache");
	p(`| route | accord ÷ json-server (median req/s) |${nc ? " accord-nocache ÷ json-server |" : ""}`);
	p(`| --- | ---: |${nc ? " ---: |" : ""}`);
	for (const route of routes.filter((r) => stat[r + "json-server"]?.rps.length))
		p(`| ${route} | ${f1(stat[route + "accord"].mrps / stat[route + "json-server"].mrps)}x |` +
		    (nc ? ` ${f1(stat[route + "accord-nocache"].mrps / stat[route + "json-server"].mrps)}x |` : ""));
	p();
	// Issue 20's targets: the cached daemon at least level with nginx on
	// every route, p99 within 1.5x; without its caches, a quarter of
	// nginx's rate on the routes a dashboard leans on and on the mix.
	for (const route of routes) {
		const a = stat[route + "accord"], n = stat[route + "nginx"];
		const r = a.mrps / n.mrps, q = a.p99 / n.p99;
		judge(`accord ≥ 1.0x nginx req/s, ${route}`, r >= 1 && a.errors === 0, `${f2(r)}x (${f0(a.mrps)} vs ${f0(n.mrps)} req/s)` + errNote(a));
		judge(`accord p99 ≤ 1.5x nginx, ${route}`, q <= 1.5, `${f2(q)}x (${f2(a.p99)} vs ${f2(n.p99)} ms)`);
	}
	if (nc) for (const route of routes.filter((r) => ["outcomes", "source", "filtered", "search", "mix"].includes(r))) {
		const a = stat[route + "accord-nocache"], n = stat[route + "nginx"];
		const r = a.mrps / n.mrps;
		judge(`accord-nocache ≥ 0.25x nginx req/s, ${route}`, r >= 0.25 && a.errors === 0, `${f2(r)}x (${f0(a.mrps)} vs ${f0(n.mrps)} req/s)` + errNote(a));
	}
	for (const route of routes.filter((r) => stat[r + "json-server"]?.rps.length)) {
		const r = stat[route + "accord"].mrps / stat[route + "json-server"].mrps;
		judge(`accord ≥ 10x json-server req/s, ${route}`, r >= 10, `${f1(r)}x`);
	}
}

if (existsSync(join(dir, "scale.tsv"))) {
	const rows = tsv("scale.tsv");
	const qs = ["filtered", "paginated", "deep", "search", "mix"];
	p("### accord at scale");
	p();
	p("`real` is the bundled corpus; 1x…10000x are generated (`bench/gen.mjs`). Listening: from exec to the first 200 " +
	    "from `/healthz`. Ready: from exec to the first 200 from `/readyz`, which comes once the database has passed the daemon's " +
	    "full check (pages, derived data, every span; until then every data route answers 503); median (min) of the starts " +
	    "(one start where it took over 10 s). RSS: VmRSS after a 1 s warm-up on each query; peak: VmHWM after all runs.");
	p();
	p("| scale | articles | text MB | load s | load MB/s | db MB | listening ms | ready ms | RSS MB | peak RSS MB | content digest |");
	p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
	const served = (r) => r.served_db === undefined ? r.load_status === "ok" : r.served_db !== "not served";
	const notes = [];
	for (const r of rows) {
		const ok = r.load_status === "ok", sv = served(r);
		if (sv && r.served_db !== undefined && r.served_db !== "this-run")
			notes.push(`At ${r.scale}x the load hit the time limit in this run; serving was measured on the database an earlier, ` +
			    `uncapped \`accord load\` of the same generated corpus wrote (build/bench/cache; ${r.served_db.replace(/^cache: /, "")}).`);
		p(`| ${r.scale} | ${f0(+r.articles)} | ${f2(r.text_bytes / 1e6)} | ${ok ? f2(+r.load_s) : `> ${f0(+r.load_s)} (${r.load_status})`} | ` +
		    `${ok ? f2(+r.load_mbps) : `< ${f2(+r.load_mbps)}`} | ${sv ? f1(r.db_bytes / 1048576) : "–"} | ${sv ? f1(+r.listening_ms) : "–"} | ` +
		    `${sv ? `${f1(+r.ready_ms)} (${f1(+r.ready_min_ms)})` : "–"} | ${sv ? f1(r.rss_kb / 1024) : "–"} | ${sv ? f1(r.hwm_kb / 1024) : "–"} | ${r.digest && r.digest !== "-" ? `\`${r.digest.slice(0, 16)}…\`` : "–"} |`);
	}
	p();
	notes.forEach((n) => { p(n); p(); });
	p("Each query twice: with the response cache (the default; after the first request, the cached path) and " +
	    "with `--cache-bytes 0 --record-cache-bytes 0` (\"no cache\": every request runs all its SQL and renders all its JSON).");
	p();
	p("| scale | query | req/s | p50 ms | p99 ms | errors | no cache: req/s | p50 ms | p99 ms | errors |");
	p("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
	for (const r of rows) {
		if (!served(r)) { p(`| ${r.scale} | (not loaded: ${r.load_status}) | – | – | – | – | – | – | – | – |`); continue; }
		for (const q of qs)
			p(`| ${r.scale} | ${q === "deep" ? `deep (page ${r.deep_page})` : q} | ${f0(+r[q + "_rps"])} | ${f2(+r[q + "_p50_ms"])} | ${f2(+r[q + "_p99_ms"])} | ${r[q + "_errors"]} | ` +
			    `${f0(+r[q + "_nc_rps"])} | ${f2(+r[q + "_nc_p50_ms"])} | ${f2(+r[q + "_nc_p99_ms"])} | ${r[q + "_nc_errors"] ?? "–"} |`);
	}
	p();
	// Issue 20's targets: 20 MB/s at 100x and 1000x; at 10,000x a load
	// within 15 s, 64 MB of RSS, and p99 within 2x of the 1x p99.
	for (const r of rows.filter((x) => ["100", "1000"].includes(x.scale))) {
		const ok = r.load_status === "ok";
		judge(`load ≥ 20 MB/s, ${r.scale}x`, ok ? +r.load_mbps >= 20 : false,
		    ok ? `${f2(+r.load_mbps)} MB/s (${f2(+r.load_s)} s)` : `${r.load_status} after ${f0(+r.load_s)} s (< ${f2(+r.load_mbps)} MB/s)`);
	}
	const one = rows.find((r) => r.scale === "1"), big = rows.find((r) => r.scale === "10000");
	if (!big) judge("load of 10,000x within 15 s", null, "10,000x not run");
	else judge("load of 10,000x within 15 s", big.load_status === "ok" && +big.load_s <= 15,
	    `${big.load_status === "ok" ? "" : `${big.load_status} after `}${f1(+big.load_s)} s (${f2(+big.load_mbps)} MB/s)`);
	for (const [sfx, label] of [["", ""], ["_nc", ", no cache"]]) for (const q of qs) {
		if (!one || !big || !served(big) || !served(one)) {
			judge(`${q} p99 at 10,000x ≤ 2x of 1x${label}`, null, big ? "10,000x was not served" : "10,000x not run");
			continue;
		}
		const k = q + sfx;
		const x = +big[k + "_p99_ms"] / +one[k + "_p99_ms"], errs = +big[k + "_errors"];
		judge(`${q} p99 at 10,000x ≤ 2x of 1x${label}`, x <= 2 && errs === 0, `${f2(x)}x (${f2(+big[k + "_p99_ms"])} vs ${f2(+one[k + "_p99_ms"])} ms)` +
		    (errs ? `; ${errs} answers at 10,000x were errors (non-2xx, or not answered within wrk's 2 s), not counted in p99` : ""));
	}
	for (const r of rows.filter((x) => ["1000", "10000"].includes(x.scale)))
		if (served(r))
			judge(`serving RSS at ${r.scale}x ≤ 64 MB`, r.rss_kb / 1024 <= 64 && r.hwm_kb / 1024 <= 64,
			    `${f1(r.rss_kb / 1024)} MB after warm-up, peak ${f1(r.hwm_kb / 1024)} MB`);
	if (!big || !served(big)) judge("serving RSS at 10000x ≤ 64 MB", null, big ? "10,000x was not served" : "10,000x not run");
	for (const r of rows.filter(served))
		judge(`ready within 100 ms, ${r.scale}${r.scale === "real" ? "" : "x"}`, +r.ready_ms <= 100, `${f1(+r.ready_ms)} ms median (min ${f1(+r.ready_min_ms)}) to the end of the full check; listening after ${f1(+r.listening_ms)} ms`);
}

if (targets.length) {
	p("### Targets");
	p();
	p("| target | verdict | measured |");
	p("| --- | --- | --- |");
	targets.forEach((t) => p(t));
	p();
}
if (existsSync(join(dir, "viewer.txt"))) {
	p("### The viewer (headless Chromium)");
	p();
	for (const line of readFileSync(join(dir, "viewer.txt"), "utf8").trim().split("\n")) p(`- ${line}`);
	p();
}
console.log(out.join("\n"));
