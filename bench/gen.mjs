#!/usr/bin/env node
// Synthetic accord corpora: `node bench/gen.mjs --scale N --out DIR`.
//
// Writes DIR/corpus/*.txt, DIR/sources.json (with each file's sha256) and
// DIR/annotations/{participants,agreements,outcomes,claims}-NNN.json in the
// format of data/README.md, N times the bundled corpus: 5N articles of about
// 3.3 KB, 45N participants, 2N agreements, 15N outcomes and 55N claims.
//
// The text is multibyte UTF-8 throughout: curly quotes and apostrophes, em
// dashes, accented Latin names, CJK names, no-break spaces and double spaces
// (which quotes match as single spaces), and an occasional astral emoji.
//
// Every quote is unique in its article by construction: each quoted
// sentence carries a serial number that occurs nowhere else, bounded by
// non-digits. Participant names are unique word sequences (no name is a
// word-bounded part of another). The generator checks both before writing.
// Output is deterministic for a given scale (seeded PRNG). TEXT_BYTES holds
// the total size of the articles, for load throughput.

import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : dflt;
};
const SCALE = Number(opt("--scale", "1"));
const OUT = opt("--out", null);
if (!OUT || !(SCALE >= 1) || !Number.isInteger(SCALE)) {
	console.error("usage: node bench/gen.mjs --scale N --out DIR");
	process.exit(2);
}

// mulberry32
let seed = 0x5eed ^ SCALE;
function rnd() {
	seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
	let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;

const FIRST = ["José", "Zoë", "Søren", "Łukasz", "François", "Ngozi", "Aísha",
	"Björn", "Chloé", "Dmitri", "Håkon", "Ingrid", "Jürgen", "Kenji", "Lucía",
	"Mei", "Nikolaj", "Oğuz", "Paulína", "Quentin", "Renée", "Sinéad", "Tomás",
	"Ulrike", "Valérie", "Wojciech", "Ximena", "Yusuf", "Zsófia", "André",
	"Beatriz", "Cécile", "Darío", "Elif", "Fatoumata", "Grégoire", "Hélène",
	"Iñaki", "Jiří", "Kalinda", "Léa", "Magnús", "Noémie", "Olúwaseun",
	"Pál", "Raúl", "Stéphane", "Thảo", "Uğur", "Vítor", "Wenzel", "Yaël",
	"Agnieszka", "Bảo", "Consuelo", "Dagný", "Emeka", "Faïza", "Gökhan", "Hiroshi"];
const LAST = ["Núñez", "Müller", "Øvergaard", "Çelik", "Nguyễn", "Dvořák",
	"Šimić", "Kowalczyk", "O’Brien", "Lefèvre", "García", "Ibáñez",
	"Papadopoulos", "Tanaka", "Wang", "Chen", "Kim", "Singh", "Okafor", "Haddad",
	"Åström", "Björklund", "Castañeda", "Dąbrowski", "Erdoğan", "Fernández",
	"Gonçalves", "Hämäläinen", "Ivanović", "Jóhannsdóttir", "Kovács", "López",
	"Mäkinen", "Nováková", "Öztürk", "Pérez", "Quiñones", "Rodríguez",
	"Sørensen", "Takahashi", "Ueda", "Vásquez", "Wiśniewski", "Xu", "Yılmaz",
	"Zhao", "Abiodun", "Brontë", "Czerny", "D’Souza", "Eriksdóttir", "Fürst",
	"Grünewald", "Horváth", "Iglesias", "Jovanović", "Kristiansen", "Laurén",
	"Mbeki", "Nakamura"];
const INITIAL = "ABCDEFGHIJKLMNOPRSTVWZ".split("");
const CJK_SUR = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const CJK_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
	"勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂",
	"文", "华", "建", "国", "志", "红", "玉", "兰", "峰", "晨", "雪", "婷",
	"宇", "浩", "凯", "欣", "琳", "鑫"];
const ADJ = ["National", "Federal", "Regional", "Joint", "Independent",
	"Central", "Open", "Civic", "Allied", "Northern", "Southern", "Coastal",
	"Digital", "Strategic", "Public", "Pacific", "Atlantic", "Continental",
	"Municipal", "Global"];
const NOUN = ["Cyber", "Data", "Network", "Telecom", "Security", "Privacy",
	"Forensics", "Resilience", "Encryption", "Infrastructure", "Policy",
	"Research", "Standards", "Response", "Signals", "Identity", "Cloud",
	"Software", "Payments", "Energy"];
const ORGTYPE = ["Agency", "Council", "Institute", "Bureau", "Commission",
	"Authority", "Foundation", "Directorate", "Observatory", "Secretariat"];
const CITY = ["Zürich", "São Paulo", "Kraków", "Reykjavík", "Montréal",
	"Århus", "Málaga", "Genève", "Köln", "Nouméa", "Brasília", "Bogotá",
	"Düsseldorf", "Łódź", "Tromsø", "Córdoba", "Québec", "Seoul", "Osaka",
	"Nairobi", "Lagos", "Chennai", "Hà Nội", "Jakarta", "Ankara", "Vilnius",
	"Tallinn", "Ljubljana", "Valparaíso", "Medellín"];
const COUNTRY_CODES = ["CN", "US", "JP", "DE", "BR", "IN", "FR", "KR", "CI",
	"TR", "MX", "NG", "SE", "PL", "VN", "CA", "ES", "NO", "KE", "ID"];
const GLOBALS = [
	["china", "China", "CN", []],
	["united-states", "United States", "US", ["US"]],
	["japan", "Japan", "JP", []],
	["germany", "Germany", "DE", []],
	["brazil", "Brazil", "BR", []],
	["india", "India", "IN", []],
	["france", "France", "FR", []],
	["south-korea", "South Korea", "KR", ["Republic of Korea"]],
	["cote-d-ivoire", "Côte d’Ivoire", "CI", []],
	["turkiye", "Türkiye", "TR", []],
];
const TITLES = ["Deputy Minister of Foreign Affairs", "Director of the Cyber Bureau",
	"Chief Negotiator", "State Secretary for Digital Affairs",
	"Head of the Computer Emergency Response Team", "Ambassador",
	"Attorney General", "Minister of Public Security", "Senior Analyst",
	"Spokesperson", "Professor of International Law", "Special Envoy"];
const ROLES = ["delegate", "official", "commentator", "mentioned"];
const TOPICS = ["data-sharing", "cross-border evidence requests",
	"undersea cable protection", "ransomware attribution",
	"critical-infrastructure incident reporting", "export controls on spyware",
	"election security", "cloud data localisation", "botnet takedowns",
	"vulnerability disclosure", "satellite network security",
	"financial-sector cyber drills"];
const OUTCOME_KINDS = [["commitment", "commitment"], ["event", "summit"],
	["exercise", "tabletop exercise"], ["mechanism", "hotline"],
	["guideline", "set of guidelines"], ["exchange", "expert exchange"],
	["proposal", "proposal"]];
const OUTCOME_STATUS = ["agreed", "proposed", "under-consideration"];
const AGREEMENT_STATUS = ["agreed", "proposed", "under-consideration", "implemented"];
const UNITS = ["accounts", "servers", "companies", "government employees",
	"records", "citizens", "hospitals", "bank customers"];
const EMOJI = ["🤝", "🔐", "📡", "🛰️", "💻", "📈", "🇨🇳", "🇺🇸", "🌏"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"];
const SEASONS = [["spring", "03", "05"], ["summer", "06", "08"],
	["autumn", "09", "11"]];
const JOURNALISTS = ["Aurélie Dufresne", "Mårten Holmqvist", "Priyanka Rāo",
	"Siobhán Ní Bhriain", "Ōta Kazuhiro", "Tadeusz Żuławski", "Inês Louçã",
	"Dagfinn Bjørnstad"];
const PUBLISHERS = ["ledger", "courier", "herald", "wire", "dispatch", "gazette"];

const A = 5 * SCALE;			// articles
const P = 45 * SCALE;			// participants
const NAG = 2 * SCALE, NOUT = 15 * SCALE, NCL = 55 * SCALE;

let serialCounter = 0;
// A unique, zero-padded serial: "0004711". Always written with non-digit
// neighbours, so no serial is part of another.
const serial = () => String(++serialCounter * 7 + 100000).padStart(7, "0");
const fmtNum = (n) => n.toLocaleString("en-US");
const slug = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
	.replace(/[øØ]/g, "o").replace(/[łŁ]/g, "l").replace(/[đĐ]/g, "d")
	.replace(/ı/g, "i").replace(/[æÆ]/g, "ae").replace(/ß/g, "ss")
	.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

// ---- participants ------------------------------------------------------
const participants = [];
const articleLocals = Array.from({ length: A }, () => []);
for (const [id, name, cc, aliases] of GLOBALS)
	participants.push({ id, name, kind: "country", title: null,
		affiliation: null, country: cc, role: "delegate", aliases });
const nLocal = P - GLOBALS.length;
const PERSONS = FIRST.length * INITIAL.length * LAST.length;
const ORGS = ADJ.length * NOUN.length * ORGTYPE.length * CITY.length;
const BRANCH = ["Branch", "Office", "Mission", "Delegation"];
let nPerson = 0, nOrg = 0;
for (let j = 0; j < nLocal; j++) {
	const a = j % A;
	let rec;
	if (j % 10 < 7) {
		// Past the pool (beyond 1000x), a second initial keeps names unique.
		const g = Math.floor(nPerson / PERSONS);
		const i = (nPerson++ * 7919) % PERSONS;
		const f = FIRST[i % FIRST.length];
		const ini = INITIAL[Math.floor(i / FIRST.length) % INITIAL.length] +
		    (g ? `. ${INITIAL[(g - 1) % INITIAL.length]}` : "");
		const l = LAST[Math.floor(i / (FIRST.length * INITIAL.length)) % LAST.length];
		const name = `${f} ${ini}. ${l}`;
		const aliases = [];
		let cjk = null;
		if (nPerson % 4 === 1 && (nPerson - 1) / 4 < CJK_SUR.length * CJK_GIVEN.length * CJK_GIVEN.length) {
			const k = ((nPerson - 1) / 4 * 7919) % (CJK_SUR.length * CJK_GIVEN.length * CJK_GIVEN.length);
			cjk = CJK_SUR[k % CJK_SUR.length] +
			    CJK_GIVEN[Math.floor(k / CJK_SUR.length) % CJK_GIVEN.length] +
			    CJK_GIVEN[Math.floor(k / (CJK_SUR.length * CJK_GIVEN.length)) % CJK_GIVEN.length];
			aliases.push(cjk);
		}
		rec = { id: `${slug(name)}-p${i}`.slice(0, 64 - (g ? 2 : 0)) + (g ? `-${g}` : ""), name, kind: "person",
			title: pick(TITLES), affiliation: null,
			country: pick(COUNTRY_CODES), role: pick(ROLES), aliases, cjk };
	} else {
		const g = Math.floor(nOrg / ORGS);
		const i = (nOrg++ * 7919) % ORGS;
		const name = `${ADJ[i % ADJ.length]} ${NOUN[Math.floor(i / ADJ.length) % NOUN.length]} ` +
		    `${ORGTYPE[Math.floor(i / (ADJ.length * NOUN.length)) % ORGTYPE.length]}${g ? ` ${BRANCH[g - 1]}` : ""} of ` +
		    `${CITY[Math.floor(i / (ADJ.length * NOUN.length * ORGTYPE.length)) % CITY.length]}`;
		rec = { id: `${slug(name)}-o${i}`.slice(0, 64 - (g ? 2 : 0)) + (g ? `-${g}` : ""), name,
			kind: "organization", title: null, affiliation: null,
			country: pick(COUNTRY_CODES), role: pick(ROLES), aliases: [] };
	}
	participants.push(rec);
	articleLocals[a].push(rec);
}
if (nPerson > PERSONS * (INITIAL.length + 1) || nOrg > ORGS * (BRANCH.length + 1))
	throw new Error("name pools too small for this scale");
for (const p of participants)
	if (p.kind === "person" && p.affiliation === null)
		p.affiliation = `${pick(ADJ)} ${pick(NOUN)} ${pick(ORGTYPE)}`;
const globalsOf = (a) => [participants[(2 * a) % 10], participants[(2 * a + 1) % 10]];
const personOf = (a) => {
	const ps = articleLocals[a].filter((p) => p.kind === "person");
	return ps.length ? pick(ps) : null;
};
const speakerName = (p) => p.cjk && chance(0.5) ? `${p.name} (${p.cjk})` : p.name;

// ---- facts: each citation adds a sentence to an article ---------------
const sentences = Array.from({ length: A }, () => []);	// {text, quote}
function cite(a, text, quote) {
	sentences[a].push({ text, quote });
	return { source: null, a, quote };
}
const later = (a, k) => (a + k) % A;

const agreements = [];
for (let i = 0; i < NAG; i++) {
	const a = (i * 5 + 1) % A;
	const [g1, g2] = globalsOf(a);
	const topic = pick(TOPICS), s = serial(), city = pick(CITY);
	const who = personOf(a);
	const id = `memorandum-${slug(topic)}-${s}`;
	const text = `“We have a framework for ${topic} at last,” ${who ? speakerName(who) : "a negotiator"} told reporters after ${g1.name} and ${g2.name} signed memorandum No.\u00a0${s} in ${city}.`;
	const ev = [cite(a, text, `${g1.name} and ${g2.name} signed memorandum No. ${s} in ${city}`)];
	if (A > 1 && chance(0.6))
		ev.push(cite(later(a, 1), `Under memorandum No. ${s}, signed in ${city}, both sides will share ${topic} findings within 72 hours.`,
		    `Under memorandum No. ${s}, signed in ${city}, both sides will share ${topic} findings`));
	agreements.push({ id, title: `${g1.name}–${g2.name} memorandum on ${topic} (No. ${s})`,
		date: `201${5 + (i % 4)}-${String(1 + (i % 12)).padStart(2, "0")}`,
		status: pick(AGREEMENT_STATUS),
		summary: `${g1.name} and ${g2.name} agreed a memorandum on ${topic}, signed in ${city}.`,
		parties: [g1.id, g2.id].concat(who ? [who.id] : []), evidence: ev, a });
}

const outcomes = [];
for (let i = 0; i < NOUT; i++) {
	const a = i % A;
	const [kind, noun] = pick(OUTCOME_KINDS);
	const [g1, g2] = globalsOf(a);
	const s = serial(), topic = pick(TOPICS);
	const year = 2016 + (i % 3);
	let timeframe = null, precision = null, when = "at a date still to be set";
	const r = rnd();
	if (r < 0.25) { const [sn, m1, m2] = pick(SEASONS); timeframe = `${year}-${m1}/${year}-${m2}`; precision = "season"; when = `in the ${sn} of ${year}`; }
	else if (r < 0.55) { const m = 1 + (i % 12); timeframe = `${year}-${String(m).padStart(2, "0")}`; precision = "month"; when = `in ${MONTHS[m - 1]} ${year}`; }
	else if (r < 0.8) { timeframe = `${year}`; precision = "year"; when = `during ${year}`; }
	const who = personOf(a);
	const emoji = chance(0.1) ? ` ${pick(EMOJI)}` : "";
	const text = `The delegations will hold ${noun} No.\u00a0${s} on ${topic} ${when}, according to ${who ? speakerName(who) : "officials"}.${emoji}`;
	const ev = [cite(a, text, `The delegations will hold ${noun} No. ${s} on ${topic} ${when}`)];
	if (A > 2 && chance(0.5))
		ev.push(cite(later(a, 2), `Both sides confirmed ‘${noun} No. ${s}’ — their ${topic} plan — would go ahead ${when}.`,
		    `‘${noun} No. ${s}’ — their ${topic} plan — would go ahead`));
	const ag = agreements.length && chance(0.6) ? agreements[i % agreements.length].id : null;
	outcomes.push({ id: `${slug(noun)}-${s}`, kind, status: pick(OUTCOME_STATUS),
		timeframe, timeframe_precision: precision,
		timeframe_stated: timeframe === null ? null : when,
		timeframe_rule: timeframe === null ? null : 'as-stated', agreement: ag,
		parties: [g1.id, g2.id], summary: `The two sides will hold a ${noun} on ${topic} ${when}.`,
		evidence: ev });
}

const claims = [];
for (let i = 0; i < NCL; i++) {
	const a = (i * 3) % A;
	const s = serial(), unit = pick(UNITS);
	const n1 = 1000 + Math.floor(rnd() * 5e6);
	const values = [];
	const who = personOf(a);
	const v1 = `${fmtNum(n1)} ${unit}`;
	const t1 = `Officials said incident ${s} affected ${fmtNum(n1)} ${unit}, ${who ? speakerName(who) : "a spokesperson"} confirmed.`;
	const ev1 = [cite(a, t1, `incident ${s} affected ${fmtNum(n1)} ${unit}`)];
	if (A > 3 && chance(0.3))
		ev1.push(cite(later(a, 3), `Incident ${s} touched  ${fmtNum(n1)} ${unit}, the “final tally” showed.`,
		    `Incident ${s} touched ${fmtNum(n1)} ${unit}`));
	values.push({ value: v1, evidence: ev1 });
	if (A > 1 && chance(0.4)) {		// disputed: another article differs
		const n2 = n1 + 1 + Math.floor(rnd() * 90000);
		const em = chance(0.2) ? ` ${pick(EMOJI)}` : "";
		values.push({ value: `more than ${fmtNum(n2)} ${unit}`, evidence: [cite(later(a, 4 % A || 1),
		    `Independent researchers put incident ${s} at more than ${fmtNum(n2)} ${unit}${em}, double-checking the logs.`,
		    `put incident ${s} at more than ${fmtNum(n2)} ${unit}${em}`)] });
	}
	const claim = { id: `incident-${s}-${slug(unit)}`,
		subject: `${unit[0].toUpperCase()}${unit.slice(1)} affected by incident ${s}`, values };
	if (values.length > 1) {	// the tally and the researchers' figure cannot both hold
		values[0].key = "official-tally";
		values[1].key = "researchers";
		claim.relations = [{ values: ["official-tally", "researchers"], relation: "contradicts" }];
		claim.dispute = { reason: `Officials put incident ${s} at ${v1}; researchers at more.` };
	}
	claims.push(claim);
}

// ---- articles ----------------------------------------------------------
const fillerTemplates = [
	(p, c) => `Talks resumed in ${c} on ${pick(MONTHS)} ${1 + Math.floor(rnd() * 28)} after a week of “technical consultations”, ${p} said.`,
	(p, c) => `${p}, who has followed the negotiations for years, called the mood “cautiously constructive”.`,
	(p, c) => `Diplomats in ${c} described the meeting as frank; one said the sides “didn’t agree on everything, but they listened.”`,
	(p, c) => `Critics argue that the process lacks transparency and that civil-society groups were kept out of the room.`,
	(p, c) => `According to ${p}, the delegations spent most of the afternoon on definitions — what counts as an “attack” and what does not.`,
	(p, c) => `The previous round, held in ${c}, ended without a joint statement.`,
	(p, c) => `Analysts noted that neither side mentioned sanctions in public remarks.`,
	(p, c) => `“It’s a start,” said ${p}, adding that verification would take years.`,
	(p, c) => `Reporters gathered outside the conference centre in ${c} as the talks ran late into the evening.`,
];

const sources = [];
const headlines = [];
for (let a = 0; a < A; a++) {
	const [g1, g2] = globalsOf(a);
	headlines.push(`${g1.name} and ${g2.name} talks in ${pick(CITY)} turn to ${pick(TOPICS)} — dispatch ${serial()}`);
}
mkdirSync(join(OUT, "corpus"), { recursive: true });
mkdirSync(join(OUT, "annotations"), { recursive: true });
const texts = [];
let totalBytes = 0;
for (let a = 0; a < A; a++) {
	const locals = articleLocals[a];
	const [g1, g2] = globalsOf(a);
	const names = locals.map(speakerName).concat([g1.name, g2.name]);
	const lines = [headlines[a], ""];
	const meta = { headline: { value: headlines[a] }, publisher: null, byline: null, date: null, url: null };
	const regions = [];
	if (chance(0.5)) {
		const j = JOURNALISTS[a % JOURNALISTS.length];
		lines.push(`By ${j}`);
		meta.byline = { value: j };
	}
	if (chance(0.5)) {
		const m = 1 + (a % 12), d = 1 + (a % 28), y = 2015 + (a % 4);
		const shown = `${MONTHS[m - 1]} ${d}, ${y}`;
		lines.push(`Published ${shown}`);
		meta.date = { value: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`, quote: shown };
	}
	lines.push("");
	// Sentences: every fact sentence, every local participant named, filler.
	const body = sentences[a].map((s) => s.text);
	for (const p of locals)
		body.push(`${speakerName(p)} ${p.kind === "person" ? "attended the session" : "sent observers"} in ${pick(CITY)}${chance(0.05) ? " " + pick(EMOJI) : ""}.`);
	body.push(`Representatives of ${g1.name} and ${g2.name} met for the ${["first", "second", "third", "fourth", "fifth"][a % 5]} time this year.`);
	const target = 2600 + Math.floor(rnd() * 1800);
	let size = Buffer.byteLength(body.join(" "));
	while (size < target) {
		let f = pick(fillerTemplates)(pick(names), pick(CITY));
		if (chance(0.15)) f = f.replace(" ", chance(0.5) ? "  " : "\u00a0");
		body.push(f);
		size += Buffer.byteLength(f) + 1;
	}
	for (let i = body.length - 1; i > 0; i--) {	// shuffle
		const k = Math.floor(rnd() * (i + 1));
		[body[i], body[k]] = [body[k], body[i]];
	}
	let para = [];
	let ads = 0;
	for (let i = 0; i < body.length; i++) {
		para.push(body[i]);
		if (para.length >= 2 + Math.floor(rnd() * 3) || i === body.length - 1) {
			lines.push(para.join(" "), "");
			para = [];
			if (ads === 0 && lines.length > 8) {
				lines.push("Advertisement", "");
				regions.push({ kind: "advertisement", quote: "Advertisement" });
				ads++;
			}
		}
	}
	if (A > 1 && chance(0.3)) {
		const other = headlines[(a + 1) % A];
		lines.push(`Read more: ${other}`, "");
		regions.push({ kind: "related-link", quote: `Read more: ${other}` });
	}
	const text = lines.join("\n");
	texts.push(text);
	const buf = Buffer.from(text, "utf8");
	totalBytes += buf.length;
	const sha = createHash("sha256").update(buf).digest("hex");
	const file = `corpus/${String(a).padStart(6, "0")}_${sha.slice(0, 16)}.txt`;
	writeFileSync(join(OUT, file), buf);
	const id = `${PUBLISHERS[a % PUBLISHERS.length]}-${slug(headlines[a]).slice(0, 40).replace(/-$/, "")}-${a}`;
	sources.push({ id, file, sha256: sha, ...meta, regions });
}

// ---- checks: every quote occurs exactly once (whitespace runs as one) --
const norm = (s) => s.replace(/[\s\u00a0]+/gu, " ");
const normTexts = texts.map(norm);
function count(hay, needle) {
	let n = 0, at = 0;
	while ((at = hay.indexOf(needle, at)) >= 0) { n++; at++; }
	return n;
}
function check(a, quote, what) {
	const n = count(normTexts[a], norm(quote));
	if (n !== 1) throw new Error(`${what}: quote occurs ${n} times in article ${a}: ${quote}`);
}
const resolve = (ev, what) => ev.map((e) => {
	check(e.a, e.quote, what);
	return { source: sources[e.a].id, quote: e.quote };
});
for (const ag of agreements) ag.evidence = resolve(ag.evidence, ag.id);
for (const o of outcomes) o.evidence = resolve(o.evidence, o.id);
for (const c of claims) for (const v of c.values) v.evidence = resolve(v.evidence, c.id);
for (let a = 0; a < A; a++) {
	check(a, headlines[a], sources[a].id);
	if (sources[a].byline) check(a, sources[a].byline.value, sources[a].id);
	if (sources[a].date) check(a, sources[a].date.quote, sources[a].id);
}

const strip = (o, keys) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const write = (name, obj) => writeFileSync(join(OUT, name), JSON.stringify(obj, null, 1) + "\n");
write("sources.json", { sources });
// The loader reads files of at most 16 MiB: each kind goes in files of at
// most CHUNK records (annotations/claims-000.json, ...), which the format
// allows (records may refer to records in other files).
const CHUNK = 5000;
function writeKind(kind, records) {
	for (let i = 0; i * CHUNK < records.length || i === 0; i++)
		write(`annotations/${kind}-${String(i).padStart(3, "0")}.json`,
		    { [kind]: records.slice(i * CHUNK, (i + 1) * CHUNK) });
}
writeKind("participants", participants.map((p) => strip(p, ["cjk"])));
writeKind("agreements", agreements.map((g) => strip(g, ["a"])));
writeKind("outcomes", outcomes);
writeKind("claims", claims);
console.log(`gen: scale ${SCALE}: ${A} articles, ${(totalBytes / 1e6).toFixed(2)} MB of text, ` +
    `${participants.length} participants, ${agreements.length} agreements, ` +
    `${outcomes.length} outcomes, ${claims.length} claims -> ${OUT}`);
writeFileSync(join(OUT, "TEXT_BYTES"), `${totalBytes}\n`);
