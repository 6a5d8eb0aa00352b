/* The daemon end to end: the real binary on an ephemeral port, over HTTP. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "support.h"

TestSuite(api, .init = server_start, .fini = server_stop, .timeout = 60);

/* GETs path, requires status and a JSON body; returns the parsed body. */
static json_t *
get_json(const char *path, long status)
{
	struct http r;
	json_error_t err;
	json_t *doc;
	char *type;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, status, "GET %s: %ld, wanted %ld: %s", path,
	    r.status, status, r.body);
	type = http_header(&r, "Content-Type");
	cr_assert_not_null(type);
	cr_assert_str_eq(type, status >= 400 ? "application/problem+json" :
	    "application/json");
	doc = json_loadb(r.body, r.len, 0, &err);
	cr_assert_not_null(doc, "GET %s: invalid JSON: %s", path, err.text);
	free(type);
	http_free(&r);
	return doc;
}

/* The items of a list (all of them: limit=500 unless the path sets one). */
static json_t *
items(const char *path)
{
	char full[1024];
	json_t *doc;

	if (strstr(path, "limit=") == NULL)
		snprintf(full, sizeof(full), "%s%slimit=500", path,
		    strchr(path, '?') != NULL ? "&" : "?");
	else
		snprintf(full, sizeof(full), "%s", path);
	doc = get_json(full, 200);
	json_t *list = json_incref(json_object_get(doc, "items"));

	cr_assert(json_is_array(list), "%s has no items array", path);
	json_decref(doc);
	return list;
}

static const char *
str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_int_t
num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	cr_assert(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

static void
assert_problem(const char *path, long status)
{
	json_t *doc = get_json(path, status);

	cr_assert_eq(num(doc, "status"), status);
	cr_assert_str_eq(str(doc, "type"), "about:blank");
	cr_assert_not_null(str(doc, "title"));
	cr_assert_not_null(str(doc, "detail"));
	json_decref(doc);
}

/* ---- independent UTF-8 / UTF-16 reference for span verification ---- */

struct text {
	char id[80];
	char *bytes;
	size_t len;
	uint32_t *cps;		/* code points */
	size_t ncps;
	uint16_t *u16;		/* UTF-16 code units */
	size_t nu16;
};

static struct text **texts;	/* those read so far, ntexts of them */
static size_t ntexts;

static void
decode_all(struct text *t)
{
	const unsigned char *s = (const unsigned char *)t->bytes;

	t->cps = calloc(t->len + 1, sizeof(*t->cps));
	t->u16 = calloc(2 * t->len + 1, sizeof(*t->u16));
	for (size_t i = 0; i < t->len;) {
		uint32_t cp;
		if (s[i] < 0x80) {
			cp = s[i];
			i += 1;
		} else if (s[i] < 0xE0) {
			cp = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
			i += 2;
		} else if (s[i] < 0xF0) {
			cp = (uint32_t)(s[i] & 0x0F) << 12 |
			    (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
			i += 3;
		} else {
			cp = (uint32_t)(s[i] & 0x07) << 18 |
			    (uint32_t)(s[i + 1] & 0x3F) << 12 |
			    (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
			i += 4;
		}
		t->cps[t->ncps++] = cp;
		if (cp >= 0x10000) {
			t->u16[t->nu16++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
			t->u16[t->nu16++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			t->u16[t->nu16++] = (uint16_t)cp;
		}
	}
}

static const struct text *
source_text(const char *id)
{
	char path[160];
	struct http r;
	struct text *t;

	for (size_t i = 0; i < ntexts; i++)
		if (strcmp(texts[i]->id, id) == 0)
			return texts[i];
	texts = realloc(texts, (ntexts + 1) * sizeof(*texts));
	t = calloc(1, sizeof(*t));
	cr_assert(texts != NULL && t != NULL);
	texts[ntexts++] = t;
	snprintf(t->id, sizeof(t->id), "%s", id);
	snprintf(path, sizeof(path), "/sources/%s/text", id);
	http_get(&server, path, &r);
	cr_assert_eq(r.status, 200);
	t->bytes = r.body;
	t->len = r.len;
	r.body = NULL;
	http_free(&r);
	decode_all(t);
	return t;
}

/* Encodes code points [from, to) of t as UTF-8; caller frees. */
static char *
encode_cps(const uint32_t *cps, size_t from, size_t to)
{
	char *out = malloc(4 * (to - from) + 1), *w = out;

	for (size_t i = from; i < to; i++) {
		uint32_t c = cps[i];
		if (c < 0x80) {
			*w++ = (char)c;
		} else if (c < 0x800) {
			*w++ = (char)(0xC0 | c >> 6);
			*w++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*w++ = (char)(0xE0 | c >> 12);
			*w++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*w++ = (char)(0x80 | (c & 0x3F));
		} else {
			*w++ = (char)(0xF0 | c >> 18);
			*w++ = (char)(0x80 | ((c >> 12) & 0x3F));
			*w++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*w++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*w = '\0';
	return out;
}

/* Decodes UTF-16 units [from, to) into code points, then UTF-8. */
static char *
encode_u16(const uint16_t *u, size_t from, size_t to)
{
	uint32_t *cps = calloc(to - from + 1, sizeof(*cps));
	size_t n = 0;
	char *out;

	for (size_t i = from; i < to; i++) {
		if (u[i] >= 0xD800 && u[i] < 0xDC00 && i + 1 < to) {
			cps[n++] = 0x10000 + ((uint32_t)(u[i] - 0xD800) << 10) +
			    (uint32_t)(u[i + 1] - 0xDC00);
			i++;
		} else {
			cps[n++] = u[i];
		}
	}
	out = encode_cps(cps, 0, n);
	free(cps);
	return out;
}

static size_t spans_checked;

/* The number of code points of the UTF-8 string s. */
static size_t
cps_in(const char *s)
{
	size_t n = 0;

	cr_assert_not_null(s);
	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* How many times needle occurs in hay[0..len), overlaps counted. */
static size_t
occurs(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), count = 0;

	for (size_t at = 0; at + n <= len; at++)
		count += memcmp(hay + at, needle, n) == 0;
	return count;
}

/* Checks one span in all three units, and its context. */
static void
verify_span(json_t *span)
{
	const struct text *t = source_text(str(span, "source"));
	const char *exact = str(span, "exact");
	size_t start = (size_t)num(span, "start"), end = (size_t)num(span, "end");
	size_t bs = (size_t)num(span, "byte_start"), be = (size_t)num(span, "byte_end");
	size_t us = (size_t)num(span, "utf16_start"), ue = (size_t)num(span, "utf16_end");
	size_t np = cps_in(str(span, "prefix")), ns = cps_in(str(span,
	    "suffix"));
	size_t ps = start >= np ? start - np : 0;
	size_t se = end + ns <= t->ncps ? end + ns : t->ncps;
	char *s;

	/* At least 32 code points each side, or to the text's start or end;
	 * more only where prefix+exact+suffix would occur twice. */
	cr_assert(np >= 32 || ps == 0, "a prefix of %zu code points", np);
	cr_assert(ns >= 32 || se == t->ncps, "a suffix of %zu", ns);
	cr_assert(asprintf(&s, "%s%s%s", str(span, "prefix"), exact,
	    str(span, "suffix")) > 0);
	cr_assert_eq(occurs(t->bytes, t->len, s), 1, "the quote selector of "
	    "\"%s\" occurs %zu times", exact, occurs(t->bytes, t->len, s));
	free(s);

	cr_assert_not_null(exact);
	cr_assert(start <= end && end <= t->ncps, "code points out of range");
	cr_assert(bs <= be && be <= t->len, "bytes out of range");
	cr_assert(us <= ue && ue <= t->nu16, "UTF-16 out of range");
	cr_assert_eq(be - bs, strlen(exact));
	cr_assert_eq(memcmp(t->bytes + bs, exact, be - bs), 0,
	    "bytes %zu..%zu are not \"%s\"", bs, be, exact);
	s = encode_cps(t->cps, start, end);
	cr_assert_str_eq(s, exact, "code points %zu..%zu", start, end);
	free(s);
	s = encode_u16(t->u16, us, ue);
	cr_assert_str_eq(s, exact, "UTF-16 units %zu..%zu", us, ue);
	free(s);
	s = encode_cps(t->cps, ps, start);
	cr_assert_str_eq(s, str(span, "prefix"));
	free(s);
	s = encode_cps(t->cps, end, se);
	cr_assert_str_eq(s, str(span, "suffix"));
	free(s);
	spans_checked++;
}

/* Verifies every span anywhere in doc. */
static void
verify_all_spans(json_t *doc)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(doc)) {
		if (json_object_get(doc, "utf16_start") != NULL) {
			verify_span(doc);
			return;
		}
		json_object_foreach(doc, key, v)
			verify_all_spans(v);
	} else if (json_is_array(doc)) {
		json_array_foreach(doc, i, v)
			verify_all_spans(v);
	}
}

static char *
corpus_file(const char *name, size_t *len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/data/corpus/%s", repo_root(), name);
	return slurp(path, len);
}

/* ------------------------------- tests -------------------------------- */

Test(api, healthz_says_ok)
{
	json_t *doc = get_json("/healthz", 200);

	cr_assert_str_eq(str(doc, "status"), "ok");
	json_decref(doc);
}

/* The ids of the sources data/sources.json lists, in its order (a new
 * array). */
static json_t *
source_ids_in_data(void)
{
	char path[1024];
	json_error_t err;
	json_t *doc, *ids = json_array(), *s;
	size_t i;

	snprintf(path, sizeof(path), "%s/data/sources.json", repo_root());
	doc = json_load_file(path, 0, &err);
	cr_assert_not_null(doc, "%s: %s", path, err.text);
	json_array_foreach(json_object_get(doc, "sources"), i, s)
		json_array_append(ids, json_object_get(s, "id"));
	json_decref(doc);
	return ids;
}

Test(api, sources_lists_every_source_of_the_data_with_its_files_sha256)
{
	json_t *list = items("/sources"), *s;
	json_t *want = source_ids_in_data(), *got = json_array();
	size_t i;

	cr_assert_gt(json_array_size(want), 0, "data/sources.json lists none");
	json_array_foreach(list, i, s) {
		json_array_append(got, json_object_get(s, "id"));
		size_t len;
		char *bytes = corpus_file(str(s, "file"), &len), sha[65];
		json_t *length = json_object_get(s, "length");

		digest_sha256_hex(bytes, len, sha);
		cr_assert_str_eq(str(s, "sha256"), sha, "%s", str(s, "id"));
		cr_assert_eq(num(length, "bytes"), (json_int_t)len);
		cr_assert_geq(num(length, "bytes"), num(length, "codepoints"));
		cr_assert_geq(num(length, "utf16"), num(length, "codepoints"));
		cr_assert_null(json_object_get(s, "text"),
		    "the list leaves the text out");
		free(bytes);
	}
	if (!json_equal(got, want))
		cr_assert_fail("/sources lists %s, data/sources.json %s",
		    json_dumps(got, JSON_COMPACT), json_dumps(want,
		    JSON_COMPACT));
	json_decref(got);
	json_decref(want);
	json_decref(list);
}

Test(api, a_source_detail_carries_its_exact_text)
{
	json_t *list = items("/sources"), *s;
	size_t i;

	json_array_foreach(list, i, s) {
		char path[160];
		size_t len;
		char *bytes = corpus_file(str(s, "file"), &len);
		json_t *detail;

		snprintf(path, sizeof(path), "/sources/%s", str(s, "id"));
		detail = get_json(path, 200);
		cr_assert_str_eq(str(detail, "text"), bytes);
		cr_assert_str_eq(str(detail, "sha256"), str(s, "sha256"));
		json_decref(detail);
		free(bytes);
	}
	json_decref(list);
}

Test(api, source_text_is_the_articles_exact_bytes)
{
	json_t *list = items("/sources"), *s;
	size_t i;

	json_array_foreach(list, i, s) {
		char path[160], *type;
		size_t len;
		char *bytes = corpus_file(str(s, "file"), &len);
		struct http r;

		snprintf(path, sizeof(path), "/sources/%s/text", str(s, "id"));
		http_get(&server, path, &r);
		cr_assert_eq(r.status, 200);
		cr_assert_eq(r.len, len);
		cr_assert_eq(memcmp(r.body, bytes, len), 0);
		type = http_header(&r, "Content-Type");
		cr_assert_str_eq(type, "text/plain; charset=utf-8");
		free(type);
		free(bytes);
		http_free(&r);
	}
	json_decref(list);
}

/* The records of the list at path as their own routes give them. */
static json_t *
details(const char *path)
{
	json_t *list = items(path), *all = json_array(), *item;
	size_t i;

	json_array_foreach(list, i, item) {
		char detail[160];
		snprintf(detail, sizeof(detail), "%s/%s", path, str(item, "id"));
		json_array_append_new(all, get_json(detail, 200));
	}
	json_decref(list);
	return all;
}

Test(api, source_metadata_is_null_or_has_evidence)
{
	static const char *const fields[] = { "headline", "publisher",
	    "byline", "date", "url" };
	json_t *list = details("/sources"), *s;
	size_t i;

	json_array_foreach(list, i, s) {
		json_t *ev = json_object_get(s, "metadata_evidence");
		cr_assert(json_is_object(ev));
		for (size_t f = 0; f < 5; f++) {
			json_t *value = json_object_get(s, fields[f]);
			cr_assert_not_null(value, "%s is missing", fields[f]);
			cr_assert_eq(json_is_null(value),
			    json_object_get(ev, fields[f]) == NULL,
			    "%s of %s: evidence iff a value", fields[f],
			    str(s, "id"));
		}
	}
	verify_all_spans(list);
	json_decref(list);
}

/* Lists a collection (with `query`, "" or "?...") and requires each
 * item's detail to equal it. */
static void
check_collection(const char *path, const char *query, const char *spans_key)
{
	char list_path[160];
	json_t *list, *item;
	size_t i;

	snprintf(list_path, sizeof(list_path), "%s%s", path, query);
	list = items(list_path);
	cr_assert_gt(json_array_size(list), 0, "%s is empty", path);
	json_array_foreach(list, i, item) {
		char detail_path[160];
		json_t *detail, *spans = json_object_get(item, spans_key);

		cr_assert(json_is_array(spans) && json_array_size(spans) > 0,
		    "%s %s has no %s", path, str(item, "id"), spans_key);
		snprintf(detail_path, sizeof(detail_path), "%s/%s", path,
		    str(item, "id"));
		detail = get_json(detail_path, 200);
		cr_assert(json_equal(detail, item), "%s differs from its list "
		    "item", detail_path);
		json_decref(detail);
	}
	verify_all_spans(list);
	json_decref(list);
}

Test(api, participants_each_have_mentions_that_verify)
{
	/* Every mention: no participant of the bundled corpus has 500. */
	check_collection("/participants", "?mentions=500", "mentions");
}

Test(api, agreements_each_have_evidence_that_verifies)
{
	check_collection("/agreements", "", "evidence");
}

Test(api, outcomes_each_have_evidence_that_verifies)
{
	check_collection("/outcomes", "", "evidence");
}

Test(api, claims_each_have_values_whose_evidence_verifies)
{
	check_collection("/claims", "", "values");
}

Test(api, every_span_of_every_endpoint_verifies_in_three_units)
{
	static const char *const paths[] = { "/sources", "/participants",
	    "/agreements", "/outcomes", "/claims" };

	for (size_t p = 0; p < 5; p++) {
		json_t *list = items(paths[p]);
		verify_all_spans(list);
		json_decref(list);
	}
	cr_assert_gt(spans_checked, 300, "only %zu spans checked",
	    spans_checked);
}

/* The number of distinct sources among spans. */
static json_int_t
distinct_sources(json_t *spans)
{
	json_t *seen = json_object(), *s;
	json_int_t n;
	size_t i;

	json_array_foreach(spans, i, s)
		json_object_set_new(seen, str(s, "source"), json_true());
	n = (json_int_t)json_object_size(seen);
	json_decref(seen);
	return n;
}

Test(api, corroboration_counts_distinct_sources)
{
	static const char *const paths[] = { "/agreements", "/outcomes",
	    "/claims" };

	for (size_t p = 0; p < 3; p++) {
		json_t *list = items(paths[p]), *item;
		size_t i;
		json_array_foreach(list, i, item) {
			json_t *spans = json_array(), *v;
			size_t j;
			/* A claim's spans are its values'. */
			json_array_extend(spans, json_object_get(item,
			    "evidence"));
			json_array_foreach(json_object_get(item, "values"), j,
			    v)
				json_array_extend(spans, json_object_get(v,
				    "evidence"));
			cr_assert_eq(num(item, "corroboration"),
			    distinct_sources(spans), "%s %s", paths[p],
			    str(item, "id"));
			json_decref(spans);
		}
		json_decref(list);
	}
}

/* Disputed exactly when a curated relation contradicts, and then with a
 * reason and two sides or more; differs exactly with two values or more. */
Test(api, disputed_claims_have_a_contradicting_pair)
{
	json_t *list = items("/claims?limit=500"), *c, *r;
	size_t i, k, disputed = 0, differs = 0;

	json_array_foreach(list, i, c) {
		size_t values = json_array_size(json_object_get(c, "values"));
		bool contradicts = false;
		json_t *dispute = json_object_get(c, "dispute");

		json_array_foreach(json_object_get(c, "relations"), k, r)
			contradicts |= strcmp(str(r, "relation"),
			    "contradicts") == 0;
		cr_assert_eq(json_is_true(json_object_get(c, "disputed")),
		    contradicts, "%s", str(c, "id"));
		cr_assert_eq(json_is_true(json_object_get(c, "differs")),
		    values >= 2, "%s", str(c, "id"));
		cr_assert_eq(json_is_null(dispute), !contradicts, "%s",
		    str(c, "id"));
		if (contradicts)
			cr_assert_geq(json_array_size(json_object_get(dispute,
			    "sides")), 2, "%s", str(c, "id"));
		disputed += contradicts;
		differs += values >= 2 && !contradicts;
	}
	cr_assert_gt(disputed, 0, "the corpus has known disagreements");
	cr_assert_gt(differs, 0, "the corpus has reports that merely differ");
	json_decref(list);
}

Test(api, an_unknown_route_is_a_problem_404)
{
	assert_problem("/nothing-here", 404);
}

Test(api, an_unknown_id_is_a_problem_404)
{
	assert_problem("/outcomes/no-such-outcome", 404);
	assert_problem("/sources/no-such-source/text", 404);
}

Test(api, an_ill_formed_id_is_a_problem_400)
{
	assert_problem("/participants/Guo_Shengkun", 400);
}

Test(api, a_problem_names_its_path_as_instance)
{
	json_t *doc = get_json("/claims/no-such-claim", 404);

	cr_assert_str_eq(str(doc, "instance"), "/claims/no-such-claim");
	cr_assert_str_eq(str(doc, "title"), "Not Found");
	json_decref(doc);
}

Test(api, unsafe_targets_are_refused_before_routing)
{
	assert_problem("/sources%00", 400);
	assert_problem("/sources/../etc/passwd", 400);
	assert_problem("/sources/%2e%2e/x", 400);
	assert_problem("/sources/%zz", 400);
	assert_problem("/sources/%C0%AF", 400);
}

Test(api, an_unknown_query_parameter_is_refused_by_name)
{
	json_t *doc = get_json("/sources?colour=red", 400);

	cr_assert(strstr(str(doc, "detail"), "colour") != NULL);
	json_decref(doc);
}

Test(api, a_duplicated_query_parameter_is_refused)
{
	assert_problem("/sources?pretty=1&pretty=1", 400);
}

Test(api, other_methods_get_405_with_allow)
{
	struct http r;
	char *allow, *type;

	http_request(&server, "DELETE", "/sources", &r, NULL);
	cr_assert_eq(r.status, 405);
	allow = http_header(&r, "Allow");
	cr_assert_not_null(allow);
	cr_assert_str_eq(allow, "GET, HEAD, OPTIONS");
	type = http_header(&r, "Content-Type");
	cr_assert_str_eq(type, "application/problem+json");
	free(allow);
	free(type);
	http_free(&r);
}

Test(api, a_body_on_get_is_refused)
{
	struct http r;

	http_request(&server, "GET", "/sources", &r, "Content-Length: 0",
	    NULL);
	cr_assert_eq(r.status, 200, "an empty body is no body");
	http_free(&r);
	{
		CURL *c = curl_easy_init();
		char url[128];
		long status = 0;
		struct buffer sink = { 0 };
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/sources",
		    server.port);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "GET");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "x=1");
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
		cr_assert_eq(curl_easy_perform(c), CURLE_OK);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		cr_assert_eq(status, 400);
		curl_easy_cleanup(c);
		free(sink.buf);
	}
}

Test(api, head_answers_like_get_without_a_body)
{
	struct http get, head;
	char *get_len, *head_len;

	http_get(&server, "/outcomes", &get);
	http_request(&server, "HEAD", "/outcomes", &head, NULL);
	cr_assert_eq(head.status, 200);
	cr_assert_eq(head.len, 0);
	get_len = http_header(&get, "Content-Length");
	head_len = http_header(&head, "Content-Length");
	cr_assert_not_null(head_len);
	cr_assert_str_eq(head_len, get_len);
	free(get_len);
	free(head_len);
	http_free(&get);
	http_free(&head);
}

Test(api, cors_allows_any_origin_on_success_and_error)
{
	struct http ok, missing;
	char *a, *b;

	http_get(&server, "/sources", &ok);
	http_get(&server, "/nothing", &missing);
	a = http_header(&ok, "Access-Control-Allow-Origin");
	b = http_header(&missing, "Access-Control-Allow-Origin");
	cr_assert_str_eq(a, "*");
	cr_assert_str_eq(b, "*");
	free(a);
	free(b);
	http_free(&ok);
	http_free(&missing);
}

Test(api, options_answers_a_cors_preflight)
{
	struct http r;
	char *methods;

	http_request(&server, "OPTIONS", "/claims", &r,
	    "Origin: https://dashboard.example",
	    "Access-Control-Request-Method: GET", NULL);
	cr_assert_eq(r.status, 204);
	methods = http_header(&r, "Access-Control-Allow-Methods");
	cr_assert_str_eq(methods, "GET, HEAD, OPTIONS");
	free(methods);
	http_free(&r);
}

Test(api, pretty_output_is_indented_and_equal)
{
	struct http compact, pretty;
	json_t *a, *b;

	http_get(&server, "/agreements", &compact);
	http_get(&server, "/agreements?pretty=1", &pretty);
	cr_assert_null(strchr(compact.body, '\n'));
	cr_assert_not_null(strstr(pretty.body, "\n  \"items\""));
	a = json_loads(compact.body, 0, NULL);
	b = json_loads(pretty.body, 0, NULL);
	cr_assert(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	http_free(&compact);
	http_free(&pretty);
}

Test(api, openapi_yaml_is_served_byte_for_byte)
{
	char path[1024], *spec;
	size_t len;
	struct http r;

	snprintf(path, sizeof(path), "%s/openapi.yaml", repo_root());
	spec = slurp(path, &len);
	http_get(&server, "/openapi.yaml", &r);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.len, len);
	cr_assert_eq(memcmp(r.body, spec, len), 0);
	free(spec);
	http_free(&r);
}

/* Returns 1 once the daemon's log holds a JSON request line for target
 * with status 200; every line must be JSON (a tool's own lines, "==",
 * aside). */
static int
logged(const char *target)
{
	FILE *f = fopen(server.log, "r");
	char line[4096];
	int found = 0;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *doc;
		if (strncmp(line, "==", 2) == 0)
			continue;
		doc = json_loads(line, 0, NULL);
		cr_assert_not_null(doc, "not JSON: %s", line);
		if (str(doc, "target") != NULL &&
		    strcmp(str(doc, "target"), target) == 0) {
			cr_assert_eq(num(doc, "status"), 200);
			cr_assert_str_eq(str(doc, "method"), "GET");
			found = 1;
		}
		json_decref(doc);
	}
	fclose(f);
	return found;
}

Test(api, every_log_line_is_json_with_the_request)
{
	struct http r;

	http_get(&server, "/claims?pretty=1", &r);
	http_free(&r);
	/* The line is written when the exchange completes, just after. */
	cr_assert(eventually(logged("/claims?pretty=1"), 30),
	    "no log line for the request");
}

/* The ids of the items of a list response. */
static json_t *
ids_of(const char *path)
{
	json_t *list = items(path), *item, *ids = json_array();
	size_t i;

	json_array_foreach(list, i, item)
		json_array_append(ids, json_object_get(item, "id"));
	json_decref(list);
	return ids;
}

Test(api, a_source_lists_the_facts_it_supports_with_counts)
{
	json_t *sources = details("/sources"), *src;
	size_t i, listed = 0;

	json_array_foreach(sources, i, src) {
		static const char *const kinds[] = { "agreements", "outcomes",
		    "claims", "participants" };
		json_t *facts = json_object_get(src, "facts");
		json_t *counts = json_object_get(src, "fact_counts");

		for (size_t k = 0; k < 4; k++) {
			char path[256];
			json_t *expected;

			snprintf(path, sizeof(path), "/%s?source=%s", kinds[k],
			    str(src, "id"));
			expected = ids_of(path);
			cr_assert(json_equal(json_object_get(facts, kinds[k]),
			    expected), "%s", path);
			cr_assert_eq(num(counts, kinds[k]),
			    (json_int_t)json_array_size(expected));
			listed += json_array_size(expected);
			json_decref(expected);
		}
	}
	cr_assert_gt(listed, 0, "no source supports any fact");
	json_decref(sources);
}

Test(api, a_filter_on_an_unknown_id_gives_an_empty_list)
{
	json_t *ids = ids_of("/outcomes?source=no-such-source");

	cr_assert_eq(json_array_size(ids), 0);
	json_decref(ids);
}

Test(api, an_ill_formed_filter_is_a_problem_400)
{
	json_t *doc = get_json("/claims?participant=Guo%20Shengkun", 400);

	cr_assert(strstr(str(doc, "detail"), "participant") != NULL);
	json_decref(doc);
}

Test(api, a_filter_a_list_does_not_take_is_refused)
{
	assert_problem("/participants?participant=guo-shengkun", 400);
}

Test(api, a_line_naming_another_articles_headline_links_to_it)
{
	json_t *src = get_json("/sources/scmp-china-us-test-cyberthreat-defences",
	    200);
	json_t *target = get_json("/sources/"
	    "china-us-find-common-ground-cybersecurity-disputes", 200);
	json_t *region;
	size_t i;
	int found = 0;

	json_array_foreach(json_object_get(src, "regions"), i, region) {
		if (strcmp(str(region, "kind"), "cross-reference") != 0)
			continue;
		cr_assert_str_eq(str(region, "links_to"),
		    "china-us-find-common-ground-cybersecurity-disputes");
		cr_assert_str_eq(str(json_object_get(region, "span"), "exact"),
		    str(target, "headline"));
		found = 1;
	}
	cr_assert(found, "no cross-reference found");
	verify_all_spans(json_object_get(src, "regions"));
	json_decref(src);
	json_decref(target);
}

Test(api, a_200_carries_a_strong_etag_and_if_none_match_gets_304)
{
	struct http first, again;
	char *etag, *header, *etag2;

	http_get(&server, "/outcomes", &first);
	etag = http_header(&first, "ETag");
	cr_assert_not_null(etag);
	cr_assert_eq(etag[0], '"', "a strong ETag is a quoted string");
	cr_assert(asprintf(&header, "If-None-Match: %s", etag) > 0);
	http_request(&server, "GET", "/outcomes", &again, header, NULL);
	cr_assert_eq(again.status, 304);
	cr_assert_eq(again.len, 0);
	etag2 = http_header(&again, "ETag");
	cr_assert_str_eq(etag2, etag);
	free(etag);
	free(etag2);
	free(header);
	http_free(&first);
	http_free(&again);
}

Test(api, a_stale_etag_gets_the_full_body)
{
	struct http r;

	http_request(&server, "GET", "/outcomes", &r,
	    "If-None-Match: \"0000\"", NULL);
	cr_assert_eq(r.status, 200);
	cr_assert_gt(r.len, 0);
	http_free(&r);
}

Test(api, gzip_is_used_when_accepted_and_decodes_to_the_same_body)
{
	struct http plain, packed;
	char *encoding, *vary;
	CURL *c = curl_easy_init();
	struct buffer inflated = { 0 };
	char url[128];

	http_get(&server, "/claims", &plain);
	http_request(&server, "GET", "/claims", &packed,
	    "Accept-Encoding: gzip", NULL);
	encoding = http_header(&packed, "Content-Encoding");
	vary = http_header(&packed, "Vary");
	cr_assert_str_eq(encoding, "gzip");
	cr_assert_str_eq(vary, "Accept-Encoding");
	cr_assert_lt(packed.len, plain.len / 2);
	/* Let libcurl decode it, as a browser would. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/claims", server.port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &inflated);
	cr_assert_eq(curl_easy_perform(c), CURLE_OK);
	cr_assert_eq(inflated.len, plain.len);
	cr_assert_eq(memcmp(inflated.buf, plain.body, plain.len), 0);
	curl_easy_cleanup(c);
	free(inflated.buf);
	free(encoding);
	free(vary);
	http_free(&plain);
	http_free(&packed);
}

Test(api, gzip_refused_with_q_zero_is_not_used)
{
	struct http r;
	char *encoding;

	http_request(&server, "GET", "/claims", &r,
	    "Accept-Encoding: gzip;q=0", NULL);
	encoding = http_header(&r, "Content-Encoding");
	cr_assert_null(encoding);
	http_free(&r);
}

Test(api, a_byte_range_of_the_text_returns_a_spans_exact_bytes)
{
	json_t *outcome = get_json("/outcomes/tabletop-exercise-2016", 200);
	json_t *span = json_array_get(json_object_get(outcome, "evidence"), 0);
	char path[160], range[64], *content_range, expected[96];
	struct http r;

	snprintf(path, sizeof(path), "/sources/%s/text", str(span, "source"));
	snprintf(range, sizeof(range), "Range: bytes=%lld-%lld",
	    (long long)num(span, "byte_start"),
	    (long long)num(span, "byte_end") - 1);
	http_request(&server, "GET", path, &r, range, NULL);
	cr_assert_eq(r.status, 206);
	cr_assert_eq(r.len, strlen(str(span, "exact")));
	cr_assert_eq(memcmp(r.body, str(span, "exact"), r.len), 0);
	content_range = http_header(&r, "Content-Range");
	snprintf(expected, sizeof(expected), "bytes %lld-%lld/",
	    (long long)num(span, "byte_start"),
	    (long long)num(span, "byte_end") - 1);
	cr_assert(strncmp(content_range, expected, strlen(expected)) == 0,
	    "%s", content_range);
	free(content_range);
	http_free(&r);
	json_decref(outcome);
}

Test(api, an_unsatisfiable_range_gets_416)
{
	struct http r;
	char *content_range;

	http_request(&server, "GET",
	    "/sources/scmp-china-us-test-cyberthreat-defences/text", &r,
	    "Range: bytes=999999-", NULL);
	cr_assert_eq(r.status, 416);
	content_range = http_header(&r, "Content-Range");
	cr_assert_str_eq(content_range, "bytes */3381");
	free(content_range);
	http_free(&r);
}

Test(api, a_suffix_range_returns_the_last_bytes)
{
	struct http r;

	http_request(&server, "GET",
	    "/sources/scmp-china-us-test-cyberthreat-defences/text", &r,
	    "Range: bytes=-4", NULL);
	cr_assert_eq(r.status, 206);
	cr_assert_eq(r.len, 4);
	cr_assert_eq(memcmp(r.body, "Post", 4), 0);
	http_free(&r);
}

Test(api, version_names_the_build_sqlite_and_the_data_digest)
{
	json_t *doc = get_json("/version", 200);
	const char *digest = str(doc, "data_sha256");

	cr_assert_not_null(str(doc, "version"));
	cr_assert_str_eq(str(doc, "sqlite"), sqlite3_libversion());
	cr_assert_not_null(digest);
	cr_assert_eq(strlen(digest), 64);
	cr_assert_eq(strspn(digest, "0123456789abcdef"), 64);
	json_decref(doc);
}

Test(api, readyz_is_ready_while_serving)
{
	json_t *doc = get_json("/readyz", 200);

	cr_assert_str_eq(str(doc, "status"), "ready");
	json_decref(doc);
}

/* Returns the value of the metric line that starts with `series `. */
static long long
metric(const char *text, const char *series)
{
	size_t n = strlen(series);

	for (const char *line = text; line != NULL && *line != '\0';) {
		if (strncmp(line, series, n) == 0 && line[n] == ' ')
			return atoll(line + n + 1);
		line = strchr(line, '\n');
		line = line != NULL ? line + 1 : NULL;
	}
	return -1;
}

/* Fetches /metrics into *m (freeing what it held) and returns true once
 * it counts the 3 404s of /claims/{id} and the 200 of /agreements. */
static bool
counted(struct http *m)
{
	http_free(m);
	http_get(&server, "/metrics", m);
	return metric(m->body, "accord_requests_total{route="
	    "\"/agreements\",status=\"200\"}") == 1 &&
	    metric(m->body, "accord_requests_total{route="
	    "\"/claims/{id}\",status=\"404\"}") == 3;
}

Test(api, metrics_count_requests_by_route_and_status)
{
	struct http r, m = { 0 };
	char *type;

	for (int i = 0; i < 3; i++) {
		http_get(&server, "/claims/no-such-claim", &r);
		http_free(&r);
	}
	http_get(&server, "/agreements", &r);
	http_free(&r);
	/* A request is counted when its exchange completes, just after the
	 * client has its reply: poll until the counts settle. */
	cr_assert(eventually(counted(&m), 30), "metrics: %s", m.body);
	cr_assert_eq(m.status, 200);
	type = http_header(&m, "Content-Type");
	cr_assert(strncmp(type, "text/plain; version=0.0.4", 25) == 0);
	cr_assert_eq(metric(m.body, "accord_request_duration_seconds_count{route="
	    "\"/claims/{id}\"}"), 3);
	cr_assert_eq(metric(m.body, "accord_request_duration_seconds_bucket{route="
	    "\"/claims/{id}\",le=\"+Inf\"}"), 3);
	free(type);
	http_free(&m);
}

Test(api, openapi_json_is_served_byte_for_byte)
{
	char path[1024], *spec;
	size_t len;
	struct http r;

	snprintf(path, sizeof(path), "%s/openapi.json", repo_root());
	spec = slurp(path, &len);
	http_get(&server, "/openapi.json", &r);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.len, len);
	cr_assert_eq(memcmp(r.body, spec, len), 0);
	free(spec);
	http_free(&r);
}

/* Walks every page of path (which has a '?') with page size limit and
 * returns the ids in order; checks next, Link and count on the way. */
static json_t *
walk(const char *path, int limit)
{
	char url[2048];
	json_t *ids = json_array();
	int pages = 0;

	snprintf(url, sizeof(url), "%s&limit=%d&count=true", path, limit);
	for (;;) {
		struct http r;
		json_t *doc, *item, *next;
		char *link;
		size_t i;

		http_get(&server, url, &r);
		cr_assert_eq(r.status, 200, "%s: %s", url, r.body);
		doc = json_loadb(r.body, r.len, 0, NULL);
		cr_assert_leq(json_array_size(json_object_get(doc, "items")),
		    (size_t)limit);
		json_array_foreach(json_object_get(doc, "items"), i, item)
			json_array_append(ids, json_object_get(item, "id"));
		next = json_object_get(doc, "next");
		link = http_header(&r, "Link");
		/* count is answered on the first page only. */
		cr_assert(pages == 0 ? json_is_integer(json_object_get(doc,
		    "count")) : json_object_get(doc, "count") == NULL);
		if (json_is_null(next)) {
			cr_assert_null(link, "no Link on the last page");
			json_decref(doc);
			http_free(&r);
			break;
		}
		cr_assert_not_null(link);
		cr_assert(strstr(link, json_string_value(next)) != NULL &&
		    strstr(link, "rel=\"next\"") != NULL, "Link: %s", link);
		snprintf(url, sizeof(url), "%s", json_string_value(next));
		free(link);
		json_decref(doc);
		http_free(&r);
		cr_assert_lt(++pages, 200, "pagination does not end");
	}
	return ids;
}

Test(api, pages_together_equal_the_whole_list_in_every_sort)
{
	static const char *const paths[] = {
	    "/claims?pretty=0", "/claims?sort=-corroboration",
	    "/claims?sort=disputed,-corroboration,subject",
	    "/outcomes?sort=status,-timeframe", "/participants?sort=kind,-name",
	    "/agreements?sort=-date", "/sources?sort=-date,headline" };

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		json_t *whole = items(paths[p]), *ids = json_array(), *item;
		size_t i;

		json_array_foreach(whole, i, item)
			json_array_append(ids, json_object_get(item, "id"));
		for (int limit = 1; limit <= 7; limit += 3) {
			json_t *paged = walk(paths[p], limit);
			cr_assert(json_equal(paged, ids), "%s with limit %d",
			    paths[p], limit);
			json_decref(paged);
		}
		json_decref(ids);
		json_decref(whole);
	}
}

Test(api, sort_orders_by_the_fields_then_curated_order)
{
	json_t *list = items("/claims?sort=-corroboration,id"), *a, *b;

	for (size_t i = 1; i < json_array_size(list); i++) {
		a = json_array_get(list, i - 1);
		b = json_array_get(list, i);
		cr_assert(num(a, "corroboration") > num(b, "corroboration") ||
		    (num(a, "corroboration") == num(b, "corroboration") &&
		    strcmp(str(a, "id"), str(b, "id")) < 0), "%s before %s",
		    str(a, "id"), str(b, "id"));
	}
	json_decref(list);
}

Test(api, the_default_page_is_50_with_a_next_link)
{
	json_t *doc = get_json("/claims", 200);

	cr_assert_eq(json_array_size(json_object_get(doc, "items")), 50);
	cr_assert(json_is_string(json_object_get(doc, "next")));
	cr_assert_null(json_object_get(doc, "count"), "count is opt-in");
	json_decref(doc);
}

Test(api, count_is_the_total_of_the_filtered_list)
{
	json_t *doc = get_json("/claims?disputed=true&count=true&limit=1", 200);
	json_t *all = items("/claims"), *c;
	size_t i;
	json_int_t disputed = 0;

	json_array_foreach(all, i, c)
		disputed += json_is_true(json_object_get(c, "disputed"));
	cr_assert_eq(num(doc, "count"), disputed);
	cr_assert_gt(disputed, 0);
	json_decref(doc);
	json_decref(all);
}

Test(api, bad_paging_parameters_are_refused)
{
	assert_problem("/claims?limit=0", 400);
	assert_problem("/claims?limit=501", 400);
	assert_problem("/claims?limit=ten", 400);
	assert_problem("/claims?count=yes", 400);
	assert_problem("/claims?sort=bogus", 400);
	assert_problem("/claims?sort=id,id", 400);
	assert_problem("/claims?sort=", 400);
	assert_problem("/claims?cursor=not-a-cursor", 400);
	assert_problem("/outcomes?status=signed", 400);
	assert_problem("/outcomes?date_from=2016-13", 400);
	assert_problem("/participants?country=china", 400);
	assert_problem("/claims?disputed=yes", 400);
}

Test(api, a_cursor_does_not_continue_a_listing_with_another_sort)
{
	json_t *doc = get_json("/claims?limit=2&sort=id", 200);
	const char *next = str(doc, "next");
	const char *cursor = strstr(next, "cursor=");
	char path[1024];

	cr_assert_not_null(cursor);
	snprintf(path, sizeof(path), "/claims?limit=2&sort=subject&%s", cursor);
	assert_problem(path, 400);
	json_decref(doc);
}

Test(api, an_excerpt_in_each_unit_equals_the_spans_exact_words)
{
	json_t *outcome = get_json("/outcomes/tabletop-exercise-2016", 200);
	json_t *span = json_array_get(json_object_get(outcome, "evidence"), 0);
	static const char *const units[][3] = { { "codepoint", "start", "end" },
	    { "byte", "byte_start", "byte_end" },
	    { "utf16", "utf16_start", "utf16_end" } };

	for (size_t u = 0; u < 3; u++) {
		char path[256];
		struct http r;

		snprintf(path, sizeof(path), "/sources/%s/text?start=%lld&end=%lld"
		    "&unit=%s", str(span, "source"),
		    (long long)num(span, units[u][1]),
		    (long long)num(span, units[u][2]), units[u][0]);
		http_get(&server, path, &r);
		cr_assert_eq(r.status, 200, "%s", path);
		cr_assert_eq(r.len, strlen(str(span, "exact")));
		cr_assert_eq(memcmp(r.body, str(span, "exact"), r.len), 0);
		http_free(&r);
	}
	json_decref(outcome);
}

Test(api, an_excerpt_that_splits_a_character_is_refused)
{
	/* Byte 1129 is inside the “ before "tabletop" in the first article. */
	assert_problem("/sources/scmp-china-us-test-cyberthreat-defences/text"
	    "?start=1129&end=1200&unit=byte", 400);
	assert_problem("/sources/scmp-china-us-test-cyberthreat-defences/text"
	    "?start=5&end=2&unit=byte", 400);
	assert_problem("/sources/scmp-china-us-test-cyberthreat-defences/text"
	    "?start=0&end=99999", 400);
	assert_problem("/sources/scmp-china-us-test-cyberthreat-defences/text"
	    "?unit=words", 400);
}

/* An offset is a non-negative integer without a minus sign, -0 too. */
Test(api, an_offset_that_is_not_a_non_negative_integer_is_refused)
{
	static const char *const bad[] = { "-1", "-0", "x", "", "1e3",
	    "9223372036854775808" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[200];
		snprintf(path, sizeof(path), "/sources/scmp-china-us-test-"
		    "cyberthreat-defences/text?start=%s", bad[i]);
		assert_problem(path, 400);
	}
}

Test(api, search_finds_articles_with_spans_on_the_matched_words)
{
	json_t *doc = get_json("/search?q=tabletop&kind=source", 200), *hit;
	size_t i;

	cr_assert_gt(json_array_size(json_object_get(doc, "items")), 1);
	json_array_foreach(json_object_get(doc, "items"), i, hit) {
		json_t *span = json_array_get(json_object_get(hit, "spans"), 0);
		cr_assert_str_eq(str(hit, "kind"), "source");
		cr_assert(strstr(str(hit, "snippet"), "\xC2\xAB" "tabletop"
		    "\xC2\xBB") != NULL, "%s", str(hit, "snippet"));
		cr_assert_str_eq(str(span, "exact"), "tabletop");
		cr_assert_str_eq(str(span, "source"), str(hit, "id"));
	}
	verify_all_spans(doc);
	json_decref(doc);
}

Test(api, search_finds_facts_with_their_evidence)
{
	json_t *doc = get_json("/search?q=tabletop&kind=outcome", 200);
	json_t *outcome = get_json("/outcomes/tabletop-exercise-2016", 200);
	json_t *hit = NULL, *h, *span;
	size_t i;

	json_array_foreach(json_object_get(doc, "items"), i, h)
		if (strcmp(str(h, "id"), "tabletop-exercise-2016") == 0)
			hit = h;
	cr_assert_not_null(hit, "no hit for tabletop-exercise-2016");
	/* The hit's spans are the evidence's, without its attribution. */
	json_array_foreach(json_object_get(outcome, "evidence"), i, span)
		json_object_del(span, "attribution");
	cr_assert(json_equal(json_object_get(hit, "spans"),
	    json_object_get(outcome, "evidence")));
	json_decref(doc);
	json_decref(outcome);
}

Test(api, a_phrase_search_matches_the_whole_phrase)
{
	json_t *doc = get_json("/search?q=%22Guo+Shengkun%22&kind=source", 200);
	json_t *hit;
	size_t i;

	cr_assert_gt(json_array_size(json_object_get(doc, "items")), 0);
	json_array_foreach(json_object_get(doc, "items"), i, hit)
		cr_assert_str_eq(str(json_array_get(json_object_get(hit, "spans"),
		    0), "exact"), "Guo Shengkun");
	json_decref(doc);
}

Test(api, an_invalid_search_query_is_400_not_500)
{
	assert_problem("/search?q=%22unbalanced", 400);
	assert_problem("/search?q=AND", 400);
	assert_problem("/search", 400);
	assert_problem("/search?q=x&kind=planet", 400);
	assert_problem("/search?q=x&limit=501", 400);
	assert_problem("/search?q=x&count=yes", 400);
}

Test(api, annotations_export_every_span_as_a_w3c_annotation)
{
	char *path = strdup("/annotations?limit=500");
	json_int_t total = -1;
	size_t seen = 0;

	/* Every page, by next, however many the corpus fills. */
	for (int pages = 0; path != NULL; pages++) {
		struct http r;
		json_t *doc, *anno;
		char *type;
		size_t i;

		cr_assert_lt(pages, 1000, "next links do not end");
		http_get(&server, path, &r);
		cr_assert_eq(r.status, 200, "GET %s", path);
		type = http_header(&r, "Content-Type");
		cr_assert(strncmp(type, "application/ld+json", 19) == 0, "%s",
		    type);
		doc = json_loadb(r.body, r.len, 0, NULL);
		cr_assert_str_eq(str(doc, "@context"),
		    "http://www.w3.org/ns/anno.jsonld");
		cr_assert_str_eq(str(doc, "type"), "AnnotationPage");
		total = num(json_object_get(doc, "partOf"), "total");
		json_array_foreach(json_object_get(doc, "items"), i, anno) {
			json_t *target = json_object_get(anno, "target");
			json_t *quote = json_array_get(json_object_get(target,
			    "selector"), 0);
			json_t *pos = json_array_get(json_object_get(target,
			    "selector"), 1);
			const char *src = str(target, "source");
			const struct text *t;
			char id[80], *s;

			cr_assert_str_eq(str(anno, "type"), "Annotation");
			cr_assert_str_eq(str(quote, "type"),
			    "TextQuoteSelector");
			cr_assert_str_eq(str(pos, "type"),
			    "TextPositionSelector");
			cr_assert(strncmp(src, "http://", 7) == 0, "%s", src);
			cr_assert(sscanf(strstr(src, "/sources/"),
			    "/sources/%79[^/]/text", id) == 1);
			t = source_text(id);
			s = encode_cps(t->cps, (size_t)num(pos, "start"),
			    (size_t)num(pos, "end"));
			cr_assert_str_eq(s, str(quote, "exact"));
			free(s);
			seen++;
		}
		free(path);
		/* next is absolute: its path, on this daemon */
		path = str(doc, "next") != NULL ? strdup(strstr(str(doc,
		    "next"), "/annotations")) : NULL;
		free(type);
		json_decref(doc);
		http_free(&r);
	}
	cr_assert_eq((json_int_t)seen, total);
	cr_assert_gt(seen, 300);
}

Test(api, a_repeated_request_is_answered_from_the_cache)
{
	struct http a, b, m = { 0 };
	long long hit = 0;

	http_get(&server, "/claims?sort=-corroboration", &a);
	http_get(&server, "/claims?sort=-corroboration", &b);
	cr_assert_eq(a.len, b.len);
	cr_assert_eq(memcmp(a.body, b.body, a.len), 0);
	http_get(&server, "/metrics", &m);
	hit = metric(m.body, "accord_cache_lookups_total{result=\"hit\"}");
	cr_assert_geq(hit, 1, "%s", m.body);
	http_free(&a);
	http_free(&b);
	http_free(&m);
}

/* GETs path from d and returns its body (caller frees). */
static char *
body_of(const struct daemon *d, const char *path)
{
	struct http r;
	char *body;

	http_get(d, path, &r);
	cr_assert_eq(r.status, 200, "GET %s: %ld", path, r.status);
	body = strndup(r.body, r.len);
	http_free(&r);
	return body;
}

Test(api, records_kept_from_other_listings_render_a_page_byte_for_byte)
{
	static const char *const warm[] = { "/claims?sort=-corroboration",
	    "/claims?differs=true", "/outcomes?sort=kind&limit=4",
	    "/participants?kind=person", "/sources?sort=-date", NULL };
	static const char *const pages[] = { "/claims", "/claims?limit=3",
	    "/outcomes", "/participants?sort=name", "/sources",
	    "/agreements", NULL };
	struct daemon plain, kept;
	struct http m;

	/* No response cache in either, so each answer is rendered anew;
	 * one keeps rendered records, the other does not. */
	daemon_start(&plain, env_or_die("ACCORD_DB"), "--cache-bytes", "0",
	    "--record-cache-bytes", "0", "--public-url", "http://a.test",
	    NULL);
	daemon_start(&kept, env_or_die("ACCORD_DB"), "--cache-bytes", "0",
	    "--public-url", "http://a.test", NULL);
	for (size_t i = 0; warm[i] != NULL; i++)
		free(body_of(&kept, warm[i]));
	for (size_t i = 0; pages[i] != NULL; i++) {
		char *a = body_of(&plain, pages[i]), *b = body_of(&kept, pages[i]);
		cr_assert_str_eq(a, b, "GET %s differs with kept records",
		    pages[i]);
		free(a);
		free(b);
	}
	/* The pages reused records the warm-up listings rendered. */
	http_get(&kept, "/metrics", &m);
	cr_assert_gt(metric(m.body, "accord_record_cache_lookups_total"
	    "{result=\"hit\"}"), 10, "%s", m.body);
	http_free(&m);
	http_get(&plain, "/metrics", &m);
	cr_assert_eq(metric(m.body, "accord_record_cache_lookups_total"
	    "{result=\"hit\"}"), 0, "%s", m.body);
	http_free(&m);
	daemon_stop(&plain);
	daemon_stop(&kept);
}

/* Requires the list item c to carry the first `cap` of the mentions
 * `full` (all of the participant's), all of them in mention_count, and
 * the link to their pages. */
static void
assert_first_mentions(json_t *c, json_t *full, size_t cap)
{
	json_t *first = json_object_get(c, "mentions");
	size_t n = json_array_size(full);
	char link[160];

	cr_assert_eq(num(c, "mention_count"), (long long)n);
	cr_assert_eq(json_array_size(first), n < cap ? n : cap, "%s: %zu",
	    str(c, "id"), json_array_size(first));
	for (size_t k = 0; k < json_array_size(first); k++)
		cr_assert(json_equal(json_array_get(first, k),
		    json_array_get(full, k)), "%s: mention %zu differs",
		    str(c, "id"), k);
	snprintf(link, sizeof(link), "/participants/%s/mentions", str(c, "id"));
	cr_assert_str_eq(str(json_object_get(c, "links"), "mentions"), link);
}

/* The default page carries each participant's first 10 mentions, mentions=N
 * the first N; mention_count counts them all, as the record does. */
Test(api, mentions_keeps_the_first_of_each_participants_mentions_and_the_count)
{
	json_t *all = items("/participants?mentions=500"), *capped, *byd;
	json_t *none = items("/participants?mentions=0");
	size_t i, many = 0;
	json_t *p;

	capped = items("/participants?mentions=2");
	byd = items("/participants");
	cr_assert_eq(json_array_size(capped), json_array_size(all));
	json_array_foreach(all, i, p) {
		json_t *full = json_object_get(p, "mentions");
		size_t n = json_array_size(full);
		char path[160];
		json_t *record;

		snprintf(path, sizeof(path), "/participants/%s", str(p, "id"));
		record = get_json(path, 200);

		cr_assert(json_equal(json_object_get(record, "mentions"), full));
		json_decref(record);
		assert_first_mentions(json_array_get(capped, i), full, 2);
		assert_first_mentions(json_array_get(byd, i), full, 10);
		cr_assert_eq(json_array_size(json_object_get(json_array_get(none,
		    i), "mentions")), 0);
		many += n > 10;
	}
	cr_assert_gt(many, 1, "too few participants with over 10 mentions "
	    "to show the default cap");
	json_decref(all);
	json_decref(capped);
	json_decref(byd);
	json_decref(none);
}

Test(api, mentions_outside_0_to_500_or_on_other_lists_is_refused)
{
	assert_problem("/participants?mentions=x", 400);
	assert_problem("/participants?mentions=-1", 400);
	assert_problem("/participants?mentions=501", 400);
	assert_problem("/participants?mentions=", 400);
	assert_problem("/outcomes?mentions=1", 400);
}

/* What Xinhua said: "Xinhua said the incident “turned out to be a
 * criminal case rather than a state-sponsored cyberattack”" among its
 * own words; Guo's words it relayed ("Guo was quoted by Xinhua") marked
 * relayed; pages of one join up to the whole list. */
Test(api, statements_of_a_participant_page_and_mark_relays)
{
	json_t *all = get_json("/participants/xinhua/statements?limit=500",
	    200), *s;
	json_t *list = json_object_get(all, "items");
	char path[1024];
	size_t i, own = 0, relayed = 0, pages = 0;

	json_array_foreach(list, i, s) {
		cr_assert_str_neq(str(s, "kind"), "participant");
		own += json_is_false(json_object_get(s, "relayed"));
		relayed += json_is_true(json_object_get(s, "relayed"));
	}
	cr_assert_gt(own, 0);
	cr_assert_gt(relayed, 0);
	snprintf(path, sizeof(path), "/participants/xinhua/statements?limit=1");
	for (i = 0;; i++) {
		json_t *page = get_json(path, 200);
		json_t *item = json_array_get(json_object_get(page, "items"), 0);
		cr_assert(json_equal(item, json_array_get(list, i)), "item %zu",
		    i);
		pages++;
		if (!json_is_string(json_object_get(page, "next"))) {
			json_decref(page);
			break;
		}
		snprintf(path, sizeof(path), "%s", str(page, "next"));
		json_decref(page);
	}
	cr_assert_eq(pages, json_array_size(list));
	json_decref(all);
	assert_problem("/participants/nobody/statements", 404);
	assert_problem("/participants/xinhua/statements?limit=0", 400);
	assert_problem("/participants/xinhua/statements?cursor=eyJ9", 400);
	assert_problem("/participants/xinhua/statements?sort=id", 400);
}

/* The new filters answer (and refuse a bad certainty). */
Test(api, attribution_filters_answer)
{
	json_t *doc = get_json("/claims?attributed_to=xinhua&limit=500", 200);
	json_t *c, *d;
	size_t i;

	cr_assert_gt(json_array_size(json_object_get(doc, "items")), 0);
	json_decref(doc);
	doc = get_json("/claims?differs=true&disputed=false&limit=500", 200);
	json_array_foreach(json_object_get(doc, "items"), i, c)
		cr_assert(json_array_size(json_object_get(c, "values")) >= 2);
	json_decref(doc);
	d = get_json("/outcomes?certainty=expected", 200);
	cr_assert_gt(json_array_size(json_object_get(d, "items")), 0);
	json_decref(d);
	d = get_json("/agreements?attributed_to=xinhua&certainty=hedged", 200);
	json_decref(d);
	assert_problem("/claims?certainty=sure", 400);
	assert_problem("/claims?differs=maybe", 400);
}
