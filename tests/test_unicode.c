/*
 * The Unicode edge cases (tests/fixtures/unicode, described in its
 * README.md): the fixture is loaded with `accord load`, served by the
 * daemon, and every span read back through the API (/agreements,
 * /outcomes, /claims, /participants, /sources, every /annotations page)
 * is checked in code points, UTF-8 bytes and UTF-16 units against a
 * decoder that is not accord's own: glibc's iconv(3) converts the
 * article's UTF-8 to UTF-32LE and UTF-16LE, the units are counted there,
 * and exact, prefix and suffix are compared with the article's slices
 * taken by each unit's offsets.
 */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdint.h>

#include "support.h"

static struct daemon server;
static char *dir, *db;

static void
start(void)
{
	char *log;

	dir = temp_dir();
	cr_assert(asprintf(&db, "%s/unicode.db", dir) > 0);
	if (run("'%s' load --data '%s/tests/fixtures/unicode' --db '%s' "
	    "2>'%s/load.log'", env_or_die("ACCORD_BIN"), repo_root(), db,
	    dir) != 0) {
		char path[1024];

		snprintf(path, sizeof(path), "%s/load.log", dir);
		log = slurp(path, NULL);
		cr_assert_fail("the Unicode fixture does not load: %s", log);
	}
	daemon_start(&server, db, NULL);
}

static void
stop(void)
{
	daemon_stop(&server);
	remove_dir(dir, db);
}

TestSuite(unicode, .init = start, .fini = stop, .timeout = 60);

/* ------------------------------------------------------------------------
 * iconv(3): the independent decoder.
 */

/* Converts len bytes of `in` from one encoding to another. Returns the
 * result (NUL-terminated; caller frees) and its size in *out_len, or NULL
 * when the input is not whole, valid characters of `from`. */
static char *
convert(const char *from, const char *to, const char *in, size_t len,
    size_t *out_len)
{
	iconv_t cd = iconv_open(to, from);
	size_t cap = 4 * len + 8, in_left = len, out_left = cap;
	char *out = malloc(cap + 4), *ip = (char *)(uintptr_t)in, *op = out;

	cr_assert(cd != (iconv_t)-1, "iconv_open %s to %s: %s", from, to,
	    strerror(errno));
	cr_assert_not_null(out);
	if (iconv(cd, &ip, &in_left, &op, &out_left) == (size_t)-1 ||
	    in_left != 0 ||
	    iconv(cd, NULL, NULL, &op, &out_left) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*out_len = cap - out_left;
	memset(out + *out_len, 0, 4);
	return out;
}

/* The number of code units of `width` bytes that iconv makes of the
 * first len bytes of s in encoding `to`; fails the test when they are not
 * whole UTF-8 characters. */
static size_t
units(const char *to, size_t width, const char *s, size_t len)
{
	size_t n;
	char *out = convert("UTF-8", to, s, len, &n);

	cr_assert_not_null(out, "bytes [0, %zu) are not whole UTF-8 "
	    "characters", len);
	free(out);
	return n / width;
}

/* An article as served, and as iconv decodes it. */
struct article {
	char id[64];
	char *bytes;	/* GET /sources/{id}/text */
	size_t len;
	char *u32;	/* UTF-32LE: n32 code points */
	size_t n32;
	char *u16;	/* UTF-16LE: n16 code units */
	size_t n16;
};

static struct article articles[8];
static size_t narticles;

/* The article with that id, fetched and decoded once. */
static const struct article *
article(const char *id)
{
	char path[160];
	struct article *a;
	struct http r;
	size_t n;

	cr_assert_not_null(id);
	for (size_t i = 0; i < narticles; i++)
		if (strcmp(articles[i].id, id) == 0)
			return &articles[i];
	cr_assert_lt(narticles, sizeof(articles) / sizeof(articles[0]));
	a = &articles[narticles++];
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(path, sizeof(path), "/sources/%s/text", id);
	http_get(&server, path, &r);
	cr_assert_eq(r.status, 200, "GET %s: %ld", path, r.status);
	a->bytes = r.body;
	a->len = r.len;
	r.body = NULL;
	http_free(&r);
	a->u32 = convert("UTF-8", "UTF-32LE", a->bytes, a->len, &n);
	cr_assert_not_null(a->u32, "%s is not UTF-8 to iconv", path);
	a->n32 = n / 4;
	a->u16 = convert("UTF-8", "UTF-16LE", a->bytes, a->len, &n);
	cr_assert_not_null(a->u16);
	a->n16 = n / 2;
	return a;
}

/* Code points [from, to) of a, made UTF-8 by iconv; caller frees. */
static char *
cp_slice(const struct article *a, size_t from, size_t to)
{
	size_t n;
	char *s;

	cr_assert(from <= to && to <= a->n32, "code points [%zu, %zu) are "
	    "outside %s's %zu", from, to, a->id, a->n32);
	s = convert("UTF-32LE", "UTF-8", a->u32 + 4 * from, 4 * (to - from),
	    &n);
	cr_assert_not_null(s);
	return s;
}

/* UTF-16 units [from, to) of a, made UTF-8 by iconv (which refuses a
 * surrogate pair cut in two); caller frees. */
static char *
u16_slice(const struct article *a, size_t from, size_t to)
{
	size_t n;
	char *s;

	cr_assert(from <= to && to <= a->n16, "UTF-16 units [%zu, %zu) are "
	    "outside %s's %zu", from, to, a->id, a->n16);
	s = convert("UTF-16LE", "UTF-8", a->u16 + 2 * from, 2 * (to - from),
	    &n);
	cr_assert_not_null(s, "UTF-16 units [%zu, %zu) of %s cut a surrogate "
	    "pair", from, to, a->id);
	return s;
}

/* ------------------------------------------------------------------------
 * Spans.
 */

static const char *
str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static size_t
num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	cr_assert(json_is_integer(v) && json_integer_value(v) >= 0,
	    "\"%s\" is not a count", key);
	return (size_t)json_integer_value(v);
}

/* The JSON document at path (200 required); caller decrefs. */
static json_t *
get_json(const char *path)
{
	struct http r;
	json_t *doc;
	json_error_t e;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, 200, "GET %s: %ld %s", path, r.status, r.body);
	doc = json_loadb(r.body, r.len, 0, &e);
	cr_assert_not_null(doc, "GET %s: not JSON: %s", path, e.text);
	http_free(&r);
	return doc;
}

/* Requires the UTF-8 text s to be `want` (a slice of the article). */
static void
assert_text(const char *s, const char *want, const char *what, json_t *span)
{
	cr_assert(s != NULL && strcmp(s, want) == 0, "%s: \"%s\", not the "
	    "article's \"%s\" (span %s)", what, s != NULL ? s : "(none)",
	    want, json_dumps(span, JSON_COMPACT));
}

/* Checks a span's prefix and suffix: the 32 code points either side. */
static void
assert_context(const struct article *a, size_t start, size_t end,
    const char *prefix, const char *suffix, json_t *span)
{
	char *s;

	s = cp_slice(a, start >= 32 ? start - 32 : 0, start);
	assert_text(prefix, s, "prefix", span);
	free(s);
	s = cp_slice(a, end, end + 32 <= a->n32 ? end + 32 : a->n32);
	assert_text(suffix, s, "suffix", span);
	free(s);
}

/*
 * Checks one span in its three units: iconv counts the code points and
 * UTF-16 units of the article's bytes before byte_start and byte_end, and
 * the article's slices by bytes, by code points and by UTF-16 units are
 * each `exact`.
 */
static void
verify_span(json_t *span)
{
	const struct article *a = article(str(span, "source"));
	const char *exact = str(span, "exact");
	size_t start = num(span, "start"), end = num(span, "end");
	size_t bs = num(span, "byte_start"), be = num(span, "byte_end");
	size_t us = num(span, "utf16_start"), ue = num(span, "utf16_end");
	char *s;

	cr_assert_not_null(exact);
	cr_assert(bs <= be && be <= a->len, "bytes [%zu, %zu) outside %s's "
	    "%zu", bs, be, a->id, a->len);
	cr_assert_eq(units("UTF-32LE", 4, a->bytes, bs), start, "%s: %zu "
	    "code points precede byte %zu, not start %zu", a->id,
	    units("UTF-32LE", 4, a->bytes, bs), bs, start);
	cr_assert_eq(units("UTF-32LE", 4, a->bytes, be), end, "%s: %zu code "
	    "points precede byte %zu, not end %zu", a->id,
	    units("UTF-32LE", 4, a->bytes, be), be, end);
	cr_assert_eq(units("UTF-16LE", 2, a->bytes, bs), us, "%s: %zu UTF-16 "
	    "units precede byte %zu, not utf16_start %zu", a->id,
	    units("UTF-16LE", 2, a->bytes, bs), bs, us);
	cr_assert_eq(units("UTF-16LE", 2, a->bytes, be), ue, "%s: %zu UTF-16 "
	    "units precede byte %zu, not utf16_end %zu", a->id,
	    units("UTF-16LE", 2, a->bytes, be), be, ue);
	s = strndup(a->bytes + bs, be - bs);
	assert_text(exact, s, "exact by bytes", span);
	free(s);
	s = cp_slice(a, start, end);
	assert_text(exact, s, "exact by code points", span);
	free(s);
	s = u16_slice(a, us, ue);
	assert_text(exact, s, "exact by UTF-16 units", span);
	free(s);
	assert_context(a, start, end, str(span, "prefix"), str(span, "suffix"),
	    span);
}

/* Verifies every span (an object with utf16_start) anywhere in doc;
 * returns how many. */
static size_t
verify_all(json_t *doc)
{
	const char *key;
	json_t *v;
	size_t i, n = 0;

	if (json_is_object(doc)) {
		if (json_object_get(doc, "utf16_start") != NULL) {
			verify_span(doc);
			return 1;
		}
		json_object_foreach(doc, key, v)
			n += verify_all(v);
	} else if (json_is_array(doc)) {
		json_array_foreach(doc, i, v)
			n += verify_all(v);
	}
	return n;
}

/* The span of `spans` (an array) whose exact is `exact`; fails if none. */
static json_t *
span_with(json_t *spans, const char *exact)
{
	json_t *s;
	size_t i;

	json_array_foreach(spans, i, s)
		if (str(s, "exact") != NULL && strcmp(str(s, "exact"), exact) == 0)
			return s;
	cr_assert_fail("no span with exact \"%s\"", exact);
	return NULL;
}

static const char *const fixture_sources[] = { "astral-planes",
    "emoji-sequences", "whitespace-runs", "markup-lookalikes" };

/* ------------------------------------------------------------------------
 * Tests.
 */

Test(unicode, every_article_is_served_byte_for_byte_with_its_length_in_three_units)
{
	json_t *list = get_json("/sources?limit=500"), *src;
	size_t i;

	cr_assert_eq(json_array_size(json_object_get(list, "items")), 4);
	json_array_foreach(json_object_get(list, "items"), i, src) {
		const struct article *a = article(str(src, "id"));
		json_t *length = json_object_get(src, "length"), *detail;
		char path[1024], *file;
		size_t flen;
		struct http r;

		cr_assert_str_eq(a->id, fixture_sources[i]);
		snprintf(path, sizeof(path), "%s/tests/fixtures/unicode/corpus/"
		    "%s", repo_root(), str(src, "file"));
		file = slurp(path, &flen);
		cr_assert(a->len == flen && memcmp(a->bytes, file, flen) == 0,
		    "/sources/%s/text is not %s byte for byte", a->id, path);
		cr_assert_eq(num(length, "bytes"), flen);
		cr_assert_eq(num(length, "codepoints"), a->n32, "%s: %zu code "
		    "points, iconv counts %zu", a->id,
		    num(length, "codepoints"), a->n32);
		cr_assert_eq(num(length, "utf16"), a->n16, "%s: %zu UTF-16 "
		    "units, iconv counts %zu", a->id, num(length, "utf16"),
		    a->n16);
		/* The text as a JSON string is the same characters. */
		snprintf(path, sizeof(path), "/sources/%s", a->id);
		detail = get_json(path);
		cr_assert(json_string_length(json_object_get(detail, "text")) ==
		    flen && memcmp(str(detail, "text"), file, flen) == 0,
		    "%s's \"text\" is not the file", a->id);
		json_decref(detail);
		snprintf(path, sizeof(path), "/sources/%s/text", a->id);
		http_get(&server, path, &r);
		{
			char *type = http_header(&r, "Content-Type");
			cr_assert(type != NULL && strcmp(type,
			    "text/plain; charset=utf-8") == 0, "%s: %s", path,
			    type);
			free(type);
		}
		http_free(&r);
		free(file);
	}
	/* The BOM is the article's first character, not stripped, and the
	 * astral article's lengths are these (counted by hand). */
	cr_assert_eq(memcmp(article("astral-planes")->bytes, "\xEF\xBB\xBF",
	    3), 0, "the BOM was not served");
	src = json_array_get(json_object_get(list, "items"), 0);
	cr_assert_eq(num(json_object_get(src, "length"), "bytes"), 308);
	cr_assert_eq(num(json_object_get(src, "length"), "codepoints"), 272);
	cr_assert_eq(num(json_object_get(src, "length"), "utf16"), 282,
	    "10 astral characters make 10 more UTF-16 units than code points");
	json_decref(list);
}

Test(unicode, every_evidence_span_verifies_in_three_units)
{
	static const char *const lists[] = { "/agreements?limit=500",
	    "/outcomes?limit=500", "/claims?limit=500" };
	size_t n = 0;

	for (size_t i = 0; i < 3; i++) {
		json_t *doc = get_json(lists[i]);
		n += verify_all(doc);
		json_decref(doc);
	}
	/* 53 quotes: 22 of agreements, 17 of outcomes and 14 of claims,
	 * a claim's under its values only (not repeated in the claim). */
	cr_assert_eq(n, 22 + 17 + 14, "%zu spans came back", n);
}

Test(unicode, every_mention_verifies_including_across_whitespace_runs)
{
	json_t *doc = get_json("/participants?limit=500"), *ada, *jose, *m;
	size_t n = verify_all(doc), i, in_markup = 0;

	cr_assert_eq(n, 7, "6 mentions of Ada Quill and 1 of Jose Nunez; %zu",
	    n);
	ada = json_array_get(json_object_get(doc, "items"), 0);
	jose = json_array_get(json_object_get(doc, "items"), 1);
	cr_assert_str_eq(str(ada, "id"), "ada-quill");
	cr_assert_eq(num(ada, "mention_count"), 6);
	span_with(json_object_get(ada, "mentions"), "Ada\u00a0\u00a0\u00a0Quill");
	span_with(json_object_get(ada, "mentions"), "Ada\t\t\tQuill");
	/* Inside text that looks like markup: "<b>Ada Quill</b>". */
	json_array_foreach(json_object_get(ada, "mentions"), i, m) {
		const struct article *a = article(str(m, "source"));
		size_t bs = num(m, "byte_start"), be = num(m, "byte_end");

		if (strcmp(a->id, "markup-lookalikes") != 0)
			continue;
		in_markup++;
		cr_assert(bs >= 3 && memcmp(a->bytes + bs - 3, "<b>", 3) == 0 &&
		    be + 4 <= a->len && memcmp(a->bytes + be, "</b>", 4) == 0,
		    "the mention at byte %zu is not inside <b>...</b>", bs);
	}
	cr_assert_eq(in_markup, 1);
	cr_assert_str_eq(str(jose, "id"), "jose-nunez");
	/* Only the decomposed spelling: the precomposed one is other bytes. */
	cr_assert_eq(num(jose, "mention_count"), 1);
	cr_assert_str_eq(str(json_array_get(json_object_get(jose, "mentions"),
	    0), "exact"), "Jose\u0301 Nun\u0303ez");
	json_decref(doc);
}

Test(unicode, every_annotation_page_verifies_by_code_points)
{
	char *next = strdup("/annotations?limit=7");
	size_t seen = 0, total = 0;

	while (next != NULL) {
		json_t *page = get_json(next), *anno;
		size_t i;

		total = num(json_object_get(page, "partOf"), "total");
		json_array_foreach(json_object_get(page, "items"), i, anno) {
			json_t *target = json_object_get(anno, "target");
			json_t *sel = json_object_get(target, "selector");
			json_t *quote = json_array_get(sel, 0);
			json_t *pos = json_array_get(sel, 1);
			char id[80], *s;
			const struct article *a;

			cr_assert_eq(sscanf(strstr(str(target, "source"),
			    "/sources/"), "/sources/%79[^/]/text", id), 1);
			a = article(id);
			cr_assert_str_eq(str(quote, "type"), "TextQuoteSelector");
			cr_assert_str_eq(str(pos, "type"), "TextPositionSelector");
			s = cp_slice(a, num(pos, "start"), num(pos, "end"));
			assert_text(str(quote, "exact"), s, "exact by the "
			    "TextPositionSelector", anno);
			free(s);
			assert_context(a, num(pos, "start"), num(pos, "end"),
			    str(quote, "prefix"), str(quote, "suffix"), anno);
			seen++;
		}
		free(next);
		/* next is absolute: its path, on this daemon */
		next = json_is_string(json_object_get(page, "next")) ?
		    strdup(strstr(str(page, "next"), "/annotations")) : NULL;
		json_decref(page);
	}
	cr_assert_eq(seen, total);
	cr_assert_eq(total, 64, "53 evidence spans, 7 mentions and 4 "
	    "headlines; the collection has %zu", total);
}

Test(unicode, source_metadata_and_regions_verify)
{
	json_t *doc = json_array(), *head;
	size_t n = 0;

	/* Metadata evidence and regions are on each source's own route. */
	for (size_t i = 0; i < 4; i++) {
		char path[128];
		snprintf(path, sizeof(path), "/sources/%s", fixture_sources[i]);
		json_array_append_new(doc, get_json(path));
	}
	n = verify_all(doc);
	cr_assert_eq(n, 6, "4 headlines and 2 regions; %zu spans", n);
	/* The first headline starts right after the BOM. */
	head = json_object_get(json_object_get(json_array_get(doc, 0),
	    "metadata_evidence"), "headline");
	cr_assert_eq(num(head, "start"), 1);
	cr_assert_eq(num(head, "byte_start"), 3);
	cr_assert_eq(num(head, "utf16_start"), 1);
	cr_assert_eq(num(head, "utf16_end"), 21, "the rocket is 2 units");
	cr_assert_str_eq(str(head, "prefix"), "\ufeff");
	json_decref(doc);
}

Test(unicode, utf16_offsets_run_ahead_of_code_points_past_astral_characters)
{
	json_t *doc = get_json("/agreements/astral-offsets");
	json_t *spans = json_object_get(doc, "evidence"), *s;
	size_t i, after = 0;

	/* U+10000 alone: one code point, four bytes, two UTF-16 units. */
	s = span_with(spans, "\U00010000");
	cr_assert_eq(num(s, "end") - num(s, "start"), 1);
	cr_assert_eq(num(s, "byte_end") - num(s, "byte_start"), 4);
	cr_assert_eq(num(s, "utf16_end") - num(s, "utf16_start"), 2,
	    "U+10000 is a surrogate pair in UTF-16");
	s = span_with(spans, "\U0010ffff");
	cr_assert_eq(num(s, "utf16_end") - num(s, "utf16_start"), 2);
	s = span_with(spans, "\uffff");
	cr_assert_eq(num(s, "utf16_end") - num(s, "utf16_start"), 1,
	    "U+FFFF is one UTF-16 unit");
	/* Past the rocket, U+10000 and U+10000..U+10002: five units ahead. */
	s = span_with(spans, "aloud");
	cr_assert_eq(num(s, "start"), 148);
	cr_assert_eq(num(s, "utf16_start"), 153);
	/* Past five more astral characters: ten ahead. */
	s = span_with(spans, "bold");
	cr_assert_eq(num(s, "utf16_start") - num(s, "start"), 10);
	/* Every span after the first astral character (byte 3) runs ahead
	 * by as many units as iconv finds astral characters before it. */
	json_array_foreach(spans, i, s) {
		size_t bs = num(s, "byte_start");
		const struct article *a = article("astral-planes");
		size_t ahead = units("UTF-16LE", 2, a->bytes, bs) -
		    units("UTF-32LE", 4, a->bytes, bs);

		if (bs <= 3)
			continue;
		after++;
		cr_assert_gt(ahead, 0);
		cr_assert_eq(num(s, "utf16_start") - num(s, "start"), ahead,
		    "\"%s\": utf16_start %zu, start %zu", str(s, "exact"),
		    num(s, "utf16_start"), num(s, "start"));
	}
	cr_assert_eq(after, 10);
	json_decref(doc);
}

Test(unicode, single_spaces_in_quotes_match_runs_of_whitespace)
{
	static const char *const want[] = {
		"The   minister   said    talks    would resume.",
		"resume.\r\nTabs",
		"Tabs\t\t\tseparate\tthese\t\t\t\twords.",
		"No-break\u00a0\u00a0\u00a0spaces\u00a0sit here.",
		"mixed run \u00a0\t \u2003\u3000 ends it.",
		"line\rlone CR",
		"line one\r\nWindows line two",
		"Quill   said   goodbye; Ada\t\t\tQuill waved.",
	};
	json_t *doc = get_json("/agreements/whitespace-matching"), *s;

	cr_assert_eq(json_array_size(json_object_get(doc, "evidence")), 11);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		span_with(json_object_get(doc, "evidence"), want[i]);
	/* A quote's context keeps the article's whitespace too. */
	s = span_with(json_object_get(doc, "evidence"), "minister");
	cr_assert_str_eq(str(s, "suffix"), "   said    talks    would resume");
	s = span_with(json_object_get(doc, "evidence"), "Trailing spaces");
	cr_assert_str_eq(str(s, "suffix"), "   \r\n");
	json_decref(doc);
}

Test(unicode, text_that_looks_like_html_is_returned_as_text)
{
	static const char *const want[] = {
		"<script>alert(1)</script>", "Tom &amp; Jerry",
		"&lt;b&gt;not bold&lt;/b&gt;", "&#x1F600;", "&nbsp;",
		"\"double\", 'single', back\\slash", "a\u2028line separator",
		"\x1b[31mred\x1b[0m", "bell \x07 char", "<b>Ada Quill</b>",
		"end with \U0010ffff",
	};
	json_t *doc = get_json("/claims/markup-stays-text"), *all, *v, *e;
	const struct article *a = article("markup-lookalikes");
	struct http r;
	char *type, *sniff;
	size_t i, j;

	all = json_array();
	json_array_foreach(json_object_get(doc, "values"), i, v)
		json_array_foreach(json_object_get(v, "evidence"), j, e)
			json_array_append(all, e);
	cr_assert_eq(json_array_size(all), 11);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		verify_span(span_with(all, want[i]));
	/* The last words end the file: no suffix, end at the length. */
	e = span_with(all, "end with \U0010ffff");
	cr_assert_str_eq(str(e, "suffix"), "");
	cr_assert_eq(num(e, "byte_end"), a->len);
	cr_assert_eq(num(e, "utf16_end"), a->n16);
	/* The article is served as plain text, never to be sniffed. */
	http_get(&server, "/sources/markup-lookalikes/text", &r);
	type = http_header(&r, "Content-Type");
	sniff = http_header(&r, "X-Content-Type-Options");
	cr_assert(type != NULL && strcmp(type, "text/plain; charset=utf-8") ==
	    0, "Content-Type %s", type);
	cr_assert(sniff != NULL && strcmp(sniff, "nosniff") == 0);
	cr_assert_not_null(memmem(r.body, r.len, "<script>alert(1)</script>",
	    25));
	cr_assert_not_null(memmem(r.body, r.len, "Tom &amp; Jerry", 15));
	free(type);
	free(sniff);
	http_free(&r);
	json_decref(all);
	json_decref(doc);
}

/* GET /sources/{id}/text?start=&end=&unit= and its body; caller frees. */
static long
excerpt(const char *id, size_t from, size_t to, const char *unit,
    char **body)
{
	char path[256];
	struct http r;

	snprintf(path, sizeof(path), "/sources/%s/text?start=%zu&end=%zu&"
	    "unit=%s", id, from, to, unit);
	http_get(&server, path, &r);
	*body = r.body;
	r.body = NULL;
	http_free(&r);
	return r.status;
}

Test(unicode, an_excerpt_in_each_unit_is_the_spans_exact_words)
{
	static const char *const lists[] = { "/agreements?limit=500",
	    "/outcomes?limit=500" };
	static const struct { const char *unit, *from, *to; } by[] = {
		{ "codepoint", "start", "end" },
		{ "byte", "byte_start", "byte_end" },
		{ "utf16", "utf16_start", "utf16_end" },
	};
	size_t n = 0;

	for (size_t l = 0; l < 2; l++) {
		json_t *doc = get_json(lists[l]), *fact, *s;
		size_t i, j;

		json_array_foreach(json_object_get(doc, "items"), i, fact)
			json_array_foreach(json_object_get(fact, "evidence"), j,
			    s) {
			for (size_t u = 0; u < 3; u++) {
				char *body;
				long st = excerpt(str(s, "source"),
				    num(s, by[u].from), num(s, by[u].to),
				    by[u].unit, &body);
				cr_assert_eq(st, 200);
				cr_assert_str_eq(body, str(s, "exact"), "the "
				    "excerpt by %s [%zu, %zu) of %s",
				    by[u].unit, num(s, by[u].from),
				    num(s, by[u].to), str(s, "source"));
				free(body);
			}
			n++;
		}
		json_decref(doc);
	}
	cr_assert_eq(n, 39);
}

Test(unicode, an_excerpt_that_cuts_a_surrogate_pair_is_refused)
{
	json_t *doc = get_json("/agreements/astral-offsets");
	json_t *s = span_with(json_object_get(doc, "evidence"), "\U00010000");
	size_t us = num(s, "utf16_start"), ue = num(s, "utf16_end");
	char *body;

	cr_assert_eq(ue, us + 2);
	cr_assert_eq(excerpt("astral-planes", us, us + 1, "utf16", &body), 400,
	    "an excerpt ending between U+10000's surrogates: %s", body);
	free(body);
	cr_assert_eq(excerpt("astral-planes", us + 1, ue, "utf16", &body), 400,
	    "an excerpt starting between U+10000's surrogates: %s", body);
	free(body);
	cr_assert_eq(excerpt("astral-planes", us, ue, "utf16", &body), 200);
	cr_assert_str_eq(body, "\U00010000");
	free(body);
	json_decref(doc);
}

/* A search hit in an article of CRLF lines (and a lone CR): its snippet
 * joins the lines with one space and holds no CR nor LF (issue 19). */
Test(unicode, a_snippet_of_a_crlf_article_has_no_cr)
{
	json_t *doc = get_json("/search?q=Windows"), *hit;
	size_t i, n = 0;

	json_array_foreach(json_object_get(doc, "items"), i, hit) {
		const char *snippet = str(hit, "snippet");

		cr_expect(strpbrk(snippet, "\r\n") == NULL, "%s %s: a CR or LF "
		    "in its snippet \"%s\"", str(hit, "kind"), str(hit, "id"),
		    snippet);
		n += strcmp(str(hit, "id"), "whitespace-runs") == 0;
		if (strcmp(str(hit, "id"), "whitespace-runs") == 0)
			cr_expect(strstr(snippet, "Old Mac line lone CR above. "
			    "\xC2\xAB" "Windows\xC2\xBB line one \xC2\xAB"
			    "Windows\xC2\xBB line two ") != NULL, "%s", snippet);
	}
	cr_assert_eq(n, 1, "the CRLF article is a hit");
	json_decref(doc);
}
