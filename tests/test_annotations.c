/* GET /annotations, paged as W3C AnnotationPages: the real binary on an
 * ephemeral port, checked against the database read independently. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

TestSuite(annotations, .init = server_start, .fini = server_stop, .timeout = 60);

static const char *
str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Returns the path of iri, which must be absolute, on this daemon's
 * origin (the Host the test sends: there is no --public-url). */
static const char *
rel(const char *iri)
{
	char origin[64];
	int n = snprintf(origin, sizeof(origin), "http://127.0.0.1:%d",
	    server.port);

	cr_assert_not_null(iri);
	cr_assert(strncmp(iri, origin, (size_t)n) == 0 && iri[n] == '/',
	    "%s is not an absolute IRI on %s", iri, origin);
	return iri + n;
}

static json_int_t
num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	cr_assert(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

/* GETs path and returns its status; a 200's body parsed into *doc (an
 * AnnotationPage, as application/ld+json), and its Link header (caller
 * frees; NULL when absent) into *link when not NULL. */
static long
get_page(const char *path, json_t **doc, char **link)
{
	struct http r;
	json_error_t err;
	char *type;
	long status;

	http_get(&server, path, &r);
	status = r.status;
	*doc = NULL;
	if (link != NULL)
		*link = http_header(&r, "Link");
	type = http_header(&r, "Content-Type");
	cr_assert_not_null(type, "GET %s: no Content-Type", path);
	if (status == 200) {
		cr_assert(strncmp(type, "application/ld+json", 19) == 0,
		    "GET %s: %s", path, type);
		*doc = json_loadb(r.body, r.len, 0, &err);
		cr_assert_not_null(*doc, "GET %s: invalid JSON: %s", path,
		    err.text);
	} else {
		cr_assert_str_eq(type, "application/problem+json");
		cr_assert_not_null(strstr(r.body, "\"detail\""));
	}
	free(type);
	http_free(&r);
	return status;
}

/* Runs a query of one integer on the served database, read on its own. */
static long long
count_in_db(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long n;

	cr_assert_eq(sqlite3_open_v2(env_or_die("ACCORD_DB"), &db,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

/* The number of annotations: every evidence span, claim value evidence,
 * mention and metadata evidence, counted in the database. */
static long long
annotations_in_db(void)
{
	return count_in_db("SELECT (SELECT count(*) FROM agreement_evidence)"
	    " + (SELECT count(*) FROM outcome_evidence)"
	    " + (SELECT count(*) FROM claim_value_evidence)"
	    " + (SELECT count(*) FROM mention)"
	    " + (SELECT count(*) FROM source_metadata_evidence)");
}

/*
 * Every annotation as the database states it, one line each, sorted:
 * "<body id>\t<value or empty>\t<source>\t<start>\t<end>". Returns a new
 * array of strings.
 */
static json_t *
annotation_lines_in_db(void)
{
	static const char sql[] =
	    "SELECT body, value, s.source_id, s.cp_start, s.cp_end FROM ("
	    " SELECT '/agreements/' || agreement_id AS body, '' AS value,"
	    "  span_id FROM agreement_evidence"
	    " UNION ALL SELECT '/outcomes/' || outcome_id, '', span_id"
	    "  FROM outcome_evidence"
	    " UNION ALL SELECT '/claims/' || v.claim_id, v.value, e.span_id"
	    "  FROM claim_value_evidence e JOIN claim_value v"
	    "  ON v.id = e.claim_value_id"
	    " UNION ALL SELECT '/participants/' || participant_id, '', span_id"
	    "  FROM mention"
	    " UNION ALL SELECT '/sources/' || source_id, field, span_id"
	    "  FROM source_metadata_evidence) a JOIN span s ON s.id = a.span_id";
	sqlite3 *db;
	sqlite3_stmt *stmt;
	json_t *lines = json_array();

	cr_assert_eq(sqlite3_open_v2(env_or_die("ACCORD_DB"), &db,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char *line;
		cr_assert(asprintf(&line, "%s\t%s\t%s\t%lld\t%lld",
		    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		    sqlite3_column_text(stmt, 2),
		    (long long)sqlite3_column_int64(stmt, 3),
		    (long long)sqlite3_column_int64(stmt, 4)) > 0);
		json_array_append_new(lines, json_string(line));
		free(line);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return lines;
}

/* The line of annotation_lines_in_db for an annotation served. */
static json_t *
annotation_line(json_t *anno)
{
	json_t *body = json_object_get(anno, "body");
	json_t *target = json_object_get(anno, "target");
	json_t *pos = json_array_get(json_object_get(target, "selector"), 1);
	const char *value = str(json_array_get(body, 1), "value");
	char source[80], *line;
	json_t *out;

	cr_assert_eq(sscanf(rel(str(target, "source")), "/sources/%79[^/]/text",
	    source), 1);
	cr_assert_str_eq(str(target, "type"), "SpecificResource");
	cr_assert_str_eq(str(json_array_get(body, 0), "type"),
	    "SpecificResource");
	cr_assert(asprintf(&line, "%s\t%s\t%s\t%lld\t%lld",
	    rel(str(json_array_get(body, 0), "source")),
	    value != NULL ? value : "",
	    source, (long long)num(pos, "start"),
	    (long long)num(pos, "end")) > 0);
	out = json_string(line);
	free(line);
	return out;
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
	    json_string_value(*(json_t *const *)b));
}

/* Sorts an array of strings in place. */
static void
sort_lines(json_t *lines)
{
	size_t n = json_array_size(lines);
	json_t **v = calloc(n + 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(lines, i));
	qsort(v, n, sizeof(*v), by_text);
	json_array_clear(lines);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(lines, v[i]);
	free(v);
}

/*
 * Follows next links from `first` (whose id is first_id: its URL with
 * limit made explicit) until the last page, checking each page's shape,
 * id, Link header, startIndex and annotation ids on the way; returns a
 * new array of every annotation served, in order.
 */
static json_t *
walk(const char *first, const char *first_id, size_t limit)
{
	json_t *all = json_array();
	char *path = strdup(first);
	long long total = -1;

	for (int pages = 0; path != NULL; pages++) {
		json_t *doc, *items, *anno;
		char *link, want[4200];
		const char *next;
		size_t i;

		cr_assert_lt(pages, 1000, "next links do not end");
		cr_assert_eq(get_page(path, &doc, &link), 200, "GET %s", path);
		cr_assert_str_eq(str(doc, "type"), "AnnotationPage");
		cr_assert_str_eq(rel(str(doc, "id")), pages == 0 ? first_id :
		    path);
		if (total < 0)
			total = num(json_object_get(doc, "partOf"), "total");
		cr_assert_eq(num(json_object_get(doc, "partOf"), "total"),
		    total);
		cr_assert_eq(num(doc, "startIndex"),
		    (json_int_t)json_array_size(all), "%s", path);
		items = json_object_get(doc, "items");
		cr_assert_leq(json_array_size(items), limit);
		json_array_foreach(items, i, anno) {
			char id[48];
			snprintf(id, sizeof(id), "/annotations#%zu",
			    json_array_size(all) + 1);
			cr_assert_str_eq(rel(str(anno, "id")), id);
			json_array_append(all, anno);
		}
		next = str(doc, "next");
		if (next != NULL) {
			cr_assert_eq(json_array_size(items), limit,
			    "a page before the last is not full");
			snprintf(want, sizeof(want), "<%s>; rel=\"next\"", next);
			cr_assert_not_null(link, "%s: no Link header", path);
			cr_assert_str_eq(link, want);
		} else {
			cr_assert_null(json_object_get(doc, "next"),
			    "the last page has a next");
			cr_assert_null(link, "a Link header on the last page");
		}
		free(path);
		path = next != NULL ? strdup(rel(next)) : NULL;
		free(link);
		json_decref(doc);
	}
	cr_assert_eq((long long)json_array_size(all), total);
	return all;
}

/* Returns the cursor of next (caller frees). */
static char *
cursor_of(const char *next)
{
	const char *at = strstr(next, "cursor=");

	cr_assert_not_null(at, "%s has no cursor", next);
	at += strlen("cursor=");
	return strndup(at, strcspn(at, "&"));
}

/* Returns the canonical cursor for the JSON text doc (caller frees):
 * base64url, unpadded, as the daemon writes them. */
static char *
cursor_for(const char *doc)
{
	struct base64_encode_ctx ctx;
	size_t len = strlen(doc), n;
	char *out = malloc(BASE64_ENCODE_LENGTH(len) +
	    BASE64_ENCODE_FINAL_LENGTH + 1);

	base64url_encode_init(&ctx);
	n = base64_encode_update(&ctx, out, len, (const uint8_t *)doc);
	n += base64_encode_final(&ctx, out + n);
	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	return out;
}

static void
assert_400(const char *path, const char *names)
{
	struct http r;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, 400, "GET %s: %ld %s", path, r.status, r.body);
	cr_assert_not_null(strstr(r.body, names), "GET %s: %s", path, r.body);
	http_free(&r);
}

Test(annotations, the_first_page_is_an_annotation_page_of_100_with_a_next_link)
{
	json_t *doc, *part;
	char *link, want[4200];

	cr_assert_eq(get_page("/annotations", &doc, &link), 200);
	cr_assert_str_eq(str(doc, "@context"), "http://www.w3.org/ns/anno.jsonld");
	cr_assert_str_eq(str(doc, "type"), "AnnotationPage");
	cr_assert_str_eq(rel(str(doc, "id")), "/annotations?limit=100");
	cr_assert_eq(num(doc, "startIndex"), 0);
	part = json_object_get(doc, "partOf");
	cr_assert_str_eq(rel(str(part, "id")), "/annotations");
	cr_assert_str_eq(rel(str(part, "first")), "/annotations?limit=100");
	cr_assert_str_eq(str(part, "type"), "AnnotationCollection");
	cr_assert_eq(num(part, "total"), annotations_in_db());
	cr_assert_gt(num(part, "total"), 100, "the corpus fits one page");
	cr_assert_eq(json_array_size(json_object_get(doc, "items")), 100);
	cr_assert_str_eq(rel(str(json_array_get(json_object_get(doc, "items"),
	    0), "id")), "/annotations#1");
	cr_assert_not_null(str(doc, "next"));
	cr_assert(strncmp(rel(str(doc, "next")),
	    "/annotations?limit=100&cursor=", 30) == 0, "%s", str(doc, "next"));
	snprintf(want, sizeof(want), "<%s>; rel=\"next\"", str(doc, "next"));
	cr_assert_not_null(link);
	cr_assert_str_eq(link, want);
	free(link);
	json_decref(doc);
}

Test(annotations, a_page_holds_at_most_limit_annotations)
{
	json_t *doc;

	cr_assert_eq(get_page("/annotations?limit=7", &doc, NULL), 200);
	cr_assert_eq(json_array_size(json_object_get(doc, "items")), 7);
	cr_assert_str_eq(rel(str(doc, "id")), "/annotations?limit=7");
	json_decref(doc);
	/* The largest page holds 500, or every annotation when fewer. */
	cr_assert_eq(get_page("/annotations?limit=500", &doc, NULL), 200);
	cr_assert_eq((long long)json_array_size(json_object_get(doc, "items")),
	    annotations_in_db() < 500 ? annotations_in_db() : 500);
	cr_assert_eq(json_object_get(doc, "next") == NULL,
	    annotations_in_db() <= 500);
	json_decref(doc);
}

Test(annotations, following_next_visits_every_annotation_once)
{
	json_t *served = walk("/annotations?limit=37", "/annotations?limit=37",
	    37);
	json_t *lines = json_array(), *want = annotation_lines_in_db(), *anno;
	size_t i;

	json_array_foreach(served, i, anno)
		json_array_append_new(lines, annotation_line(anno));
	sort_lines(lines);
	sort_lines(want);
	cr_assert_eq((long long)json_array_size(want), annotations_in_db());
	cr_assert_eq(json_array_size(lines), json_array_size(want));
	for (i = 0; i < json_array_size(want); i++) {
		cr_assert_str_eq(json_string_value(json_array_get(lines, i)),
		    json_string_value(json_array_get(want, i)));
		/* sorted, so a repeat would sit next to itself */
		cr_assert(i == 0 || strcmp(json_string_value(json_array_get(
		    lines, i - 1)), json_string_value(json_array_get(lines,
		    i))) != 0, "annotation served twice");
	}
	json_decref(lines);
	json_decref(want);
	json_decref(served);
}

Test(annotations, the_default_pages_give_the_same_annotations_as_the_largest)
{
	json_t *small = walk("/annotations", "/annotations?limit=100", 100);
	json_t *large = walk("/annotations?limit=500", "/annotations?limit=500",
	    500);

	cr_assert(json_equal(small, large),
	    "the pages of 100 differ from the pages of 500");
	json_decref(large);
	json_decref(small);
}

Test(annotations, next_keeps_the_request_parameters)
{
	json_t *doc;
	char *next;

	cr_assert_eq(get_page("/annotations?pretty=1&limit=3", &doc, NULL),
	    200);
	next = strdup(rel(str(doc, "next")));
	cr_assert(strncmp(next, "/annotations?pretty=1&limit=3&cursor=", 37) ==
	    0, "%s", next);
	json_decref(doc);
	cr_assert_eq(get_page(next, &doc, NULL), 200);
	cr_assert_str_eq(rel(str(doc, "id")), next);
	free(next);
	cr_assert_eq(num(doc, "startIndex"), 3);
	cr_assert_str_eq(rel(str(json_array_get(json_object_get(doc, "items"),
	    0), "id")), "/annotations#4");
	json_decref(doc);
}

Test(annotations, a_forged_cursor_gets_400)
{
	json_t *doc;
	char *real, *forged, path[2200], keys[256];

	cr_assert_eq(get_page("/annotations?limit=2", &doc, NULL), 200);
	real = cursor_of(str(doc, "next"));
	json_decref(doc);
	/* Well-formed and canonical, but naming no annotation: an arm that
	 * does not exist, offsets no span has, a negative position. */
	for (const char *const *k = (const char *const[]){ "[6,0,0,0,0,1]",
	    "[1,0,0,1,999999,1000000]", "[4,-1,0,0,0,0]", "[0,0,0,0,0,0]",
	    "[1,0,0,1,2067]", "[1,0,0,1,2067,2166,0]", "[1,0,0,1,\"2067\",2166]",
	    NULL }; *k != NULL; k++) {
		snprintf(keys, sizeof(keys), "{\"s\":\"\",\"k\":%s}", *k);
		forged = cursor_for(keys);
		snprintf(path, sizeof(path), "/annotations?limit=2&cursor=%s",
		    forged);
		assert_400(path, "cursor");
		free(forged);
	}
	/* Not base64url JSON at all; padded; one character changed. */
	assert_400("/annotations?cursor=not-a-cursor", "cursor");
	snprintf(path, sizeof(path), "/annotations?limit=2&cursor=%s=", real);
	assert_400(path, "cursor");
	real[strlen(real) / 2] ^= 1;
	snprintf(path, sizeof(path), "/annotations?limit=2&cursor=%s", real);
	assert_400(path, "cursor");
	free(real);
}

Test(annotations, a_cursor_of_another_list_gets_400)
{
	struct http r;
	json_t *doc;
	char *cursor, path[2200];

	/* /claims' default listing makes cursors with the same empty sort. */
	http_get(&server, "/claims?limit=1", &r);
	cr_assert_eq(r.status, 200);
	doc = json_loadb(r.body, r.len, 0, NULL);
	http_free(&r);
	cursor = cursor_of(str(doc, "next"));
	json_decref(doc);
	snprintf(path, sizeof(path), "/annotations?cursor=%s", cursor);
	assert_400(path, "cursor");
	free(cursor);
}

Test(annotations, a_limit_outside_1_to_500_gets_400)
{
	assert_400("/annotations?limit=501", "limit");
	assert_400("/annotations?limit=0", "limit");
	assert_400("/annotations?limit=-1", "limit");
	assert_400("/annotations?limit=ten", "limit");
	assert_400("/annotations?limit=", "limit");
}

Test(annotations, parameters_of_the_lists_are_refused)
{
	assert_400("/annotations?sort=id", "sort");
	assert_400("/annotations?count=true", "count");
	assert_400("/annotations?participant=china", "participant");
}

/* --public-url (its trailing slash dropped) starts every IRI: page,
 * collection, annotation, body, target and next. */
Test(annotations, public_url_starts_every_iri)
{
	struct daemon d;
	struct http r;
	json_t *doc, *anno, *body;

	daemon_start(&d, env_or_die("ACCORD_DB"), "--public-url",
	    "https://news.example.org/accord/", NULL);
	http_get(&d, "/annotations?limit=2", &r);
	cr_assert_eq(r.status, 200);
	doc = json_loadb(r.body, r.len, 0, NULL);
	anno = json_array_get(json_object_get(doc, "items"), 0);
	body = json_array_get(json_object_get(anno, "body"), 0);
	cr_assert_str_eq(str(doc, "id"),
	    "https://news.example.org/accord/annotations?limit=2");
	cr_assert_str_eq(str(json_object_get(doc, "partOf"), "id"),
	    "https://news.example.org/accord/annotations");
	cr_assert_str_eq(str(anno, "id"),
	    "https://news.example.org/accord/annotations#1");
	cr_assert(strncmp(str(body, "source"),
	    "https://news.example.org/accord/", 32) == 0);
	cr_assert(strncmp(str(json_object_get(anno, "target"), "source"),
	    "https://news.example.org/accord/sources/", 40) == 0);
	cr_assert(strncmp(str(doc, "next"),
	    "https://news.example.org/accord/annotations?limit=2&cursor=",
	    59) == 0, "%s", str(doc, "next"));
	json_decref(doc);
	http_free(&r);
	daemon_stop(&d);
}

/* Without --public-url, the IRIs follow each request's Host, and a body
 * made for one Host is never served to another from the cache. */
Test(annotations, without_public_url_the_host_makes_the_iris)
{
	struct http r;
	json_t *doc;

	for (int i = 0; i < 2; i++) {
		http_request(&server, "GET", "/annotations?limit=1", &r,
		    i == 0 ? "Host: one.example" : "Host: two.example:8443",
		    NULL);
		cr_assert_eq(r.status, 200);
		doc = json_loadb(r.body, r.len, 0, NULL);
		cr_assert_str_eq(str(doc, "id"), i == 0 ?
		    "http://one.example/annotations?limit=1" :
		    "http://two.example:8443/annotations?limit=1");
		json_decref(doc);
		http_free(&r);
	}
}

/* A --public-url that is not an http(s) URL is refused at start. */
Test(annotations, a_bad_public_url_is_refused)
{
	cr_assert_eq(run("'%s' serve --port 0 --public-url 'ftp://x' "
	    "2>/dev/null", env_or_die("ACCORD_BIN")), 2);
	cr_assert_eq(run("'%s' serve --port 0 --public-url 'http://a b' "
	    "2>/dev/null", env_or_die("ACCORD_BIN")), 2);
}
