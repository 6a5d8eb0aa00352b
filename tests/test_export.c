/*
 * CSV and NDJSON (issue 18, item 5): every list and /search by ?format=
 * or Accept, on the fixture corpus tests/fixtures/search (its claim
 * "spreadsheet-bait" has cells beginning with =, - and @). The CSV is read
 * back by a small RFC 4180 reader written here, not by accord's writer,
 * and every span row is checked against the article's bytes.
 */
#include <criterion/criterion.h>

#include "support.h"

static struct daemon srv;
static char *dir, *db;

static void
start(void)
{
	dir = temp_dir();
	cr_assert(asprintf(&db, "%s/export.db", dir) > 0);
	cr_assert_eq(run("'%s' load --data '%s/tests/fixtures/search' --db "
	    "'%s' 2>/dev/null", env_or_die("ACCORD_BIN"), repo_root(), db), 0);
	daemon_start(&srv, db, NULL);
}

static void
stop(void)
{
	daemon_stop(&srv);
	remove_dir(dir, db);
}

TestSuite(export, .init = start, .fini = stop, .timeout = 60);

/* A CSV read: rows of cells (each a new string). */
struct csv {
	char *cells[64][24];
	size_t ncells[64];
	size_t nrows;
};

/* Reads RFC 4180 CSV (CRLF rows, quoted cells with "" for a quote). */
static void
csv_read(const char *s, size_t len, struct csv *c)
{
	size_t at = 0;

	memset(c, 0, sizeof(*c));
	while (at < len) {
		char cellbuf[4096];
		size_t n = 0;
		bool quoted = s[at] == '"';

		cr_assert_lt(c->nrows, 64);
		at += quoted;
		while (at < len) {
			if (quoted && s[at] == '"' && at + 1 < len &&
			    s[at + 1] == '"') {
				cellbuf[n++] = '"';
				at += 2;
			} else if (quoted && s[at] == '"') {
				at++;
				break;
			} else if (!quoted && (s[at] == ',' || s[at] == '\r')) {
				break;
			} else {
				cellbuf[n++] = s[at++];
			}
			cr_assert_lt(n, sizeof(cellbuf));
		}
		cellbuf[n] = '\0';
		c->cells[c->nrows][c->ncells[c->nrows]++] = strdup(cellbuf);
		if (at < len && s[at] == ',') {
			at++;
			continue;
		}
		cr_assert(at + 2 <= len && s[at] == '\r' && s[at + 1] == '\n',
		    "a row does not end in CRLF at %zu", at);
		at += 2;
		c->nrows++;
	}
}

static void
csv_free(struct csv *c)
{
	for (size_t r = 0; r < c->nrows; r++)
		for (size_t i = 0; i < c->ncells[r]; i++)
			free(c->cells[r][i]);
}

/* The cell of row r (from 1: row 0 is the header) in column name. */
static const char *
col(const struct csv *c, size_t r, const char *name)
{
	for (size_t i = 0; i < c->ncells[0]; i++)
		if (strcmp(c->cells[0][i], name) == 0)
			return c->cells[r][i];
	cr_assert_fail("no column %s", name);
	return NULL;
}

/* GET path with optional header; requires 200 and the content type. */
static void
get(const char *path, const char *header, const char *type, struct http *r)
{
	char *ct;

	http_request(&srv, "GET", path, r, header, NULL);
	cr_assert_eq(r->status, 200, "%s: %ld %s", path, r->status, r->body);
	ct = http_header(r, "Content-Type");
	cr_assert(ct != NULL && strncmp(ct, type, strlen(type)) == 0,
	    "%s: %s", path, ct);
	free(ct);
}

static char *
article(const char *id)
{
	char path[128];
	struct http r;

	snprintf(path, sizeof(path), "/sources/%s/text", id);
	http_get(&srv, path, &r);
	free(r.headers);
	return r.body;
}

/* A claim gives one row per evidence span of each value (long format),
 * each with its offsets in three units, naming the article's bytes. */
Test(export, claims_csv_has_a_row_per_evidence_span)
{
	struct http r;
	struct csv c;

	get("/claims?format=csv", NULL, "text/csv", &r);
	csv_read(r.body, r.len, &c);
	cr_assert_eq(c.nrows, 4, "a header and 1 + 2 evidence spans");
	cr_assert_str_eq(c.cells[0][0], "id");
	cr_assert_eq(c.ncells[0], 15);
	for (size_t i = 1; i < c.nrows; i++) {
		char *text = article(col(&c, i, "span_source"));
		size_t bs = strtoul(col(&c, i, "span_byte_start"), NULL, 10);
		size_t be = strtoul(col(&c, i, "span_byte_end"), NULL, 10);
		const char *exact = col(&c, i, "span_exact");

		cr_assert_eq(be - bs, strlen(exact));
		cr_assert_eq(memcmp(text + bs, exact, be - bs), 0);
		/* The fixture's English articles are ASCII: the three units
		 * agree. */
		cr_assert_str_eq(col(&c, i, "span_start"),
		    col(&c, i, "span_byte_start"));
		cr_assert_str_eq(col(&c, i, "span_utf16_end"),
		    col(&c, i, "span_byte_end"));
		free(text);
	}
	cr_assert_str_eq(col(&c, 1, "span_exact"),
	    "reached a deal, according to officials");
	cr_assert_str_eq(col(&c, 1, "span_byte_start"), "53");
	csv_free(&c);
	http_free(&r);
}

/* Cells that a spreadsheet would run as formulas begin with '. */
Test(export, formula_cells_are_made_text)
{
	struct http r;
	struct csv c;

	get("/claims?format=csv", NULL, "text/csv", &r);
	csv_read(r.body, r.len, &c);
	cr_assert_str_eq(col(&c, 1, "subject"),
	    "'=HYPERLINK(\"http://evil.example\",\"click\")");
	cr_assert_str_eq(col(&c, 1, "value"), "'-2+3");
	cr_assert_str_eq(col(&c, 2, "value"), "'@SUM(1,2)");
	cr_assert_str_eq(col(&c, 1, "disputed"), "true");
	csv_free(&c);
	http_free(&r);
}

/* A CJK span: its three units differ, as in the JSON. */
Test(export, outcome_rows_give_three_units)
{
	struct http r;
	struct csv c;

	get("/outcomes?format=csv", NULL, "text/csv", &r);
	csv_read(r.body, r.len, &c);
	cr_assert_eq(c.nrows, 3);
	cr_assert_str_eq(col(&c, 2, "span_exact"), "東京都で会議が開かれた");
	cr_assert_str_eq(col(&c, 2, "span_start"), "8");
	cr_assert_str_eq(col(&c, 2, "span_byte_start"), "20");
	cr_assert_str_eq(col(&c, 2, "span_utf16_end"), "19");
	cr_assert_str_eq(col(&c, 2, "span_byte_end"), "53");
	csv_free(&c);
	http_free(&r);
}

/* Accept asks for CSV or NDJSON as ?format= does; without it, JSON
 * (a CSV body is never served from the cache to a JSON request). */
Test(export, accept_chooses_the_format)
{
	struct http r;

	get("/agreements", "Accept: text/csv", "text/csv", &r);
	cr_assert(strncmp(r.body, "id,title,date,", 14) == 0, "%s", r.body);
	http_free(&r);
	get("/agreements", NULL, "application/json", &r);
	cr_assert_eq(r.body[0], '{');
	http_free(&r);
	get("/agreements", "Accept: application/x-ndjson",
	    "application/x-ndjson", &r);
	cr_assert_eq(r.body[0], '{');
	cr_assert_eq(r.body[r.len - 1], '\n');
	http_free(&r);
}

/* NDJSON is the JSON list's records, one a line. */
Test(export, ndjson_lines_are_the_list_records)
{
	struct http j, n;
	json_t *list, *item;
	const char *line;
	size_t i;

	get("/participants", NULL, "application/json", &j);
	get("/participants?format=ndjson", NULL, "application/x-ndjson", &n);
	list = json_loadb(j.body, j.len, 0, NULL);
	line = n.body;
	json_array_foreach(json_object_get(list, "items"), i, item) {
		const char *eol = strchr(line, '\n');
		json_t *rec;
		cr_assert_not_null(eol);
		rec = json_loadb(line, (size_t)(eol - line), 0, NULL);
		cr_assert(json_equal(rec, item), "line %zu", i);
		json_decref(rec);
		line = eol + 1;
	}
	cr_assert_eq(*line, '\0', "more lines than records");
	json_decref(list);
	http_free(&j);
	http_free(&n);
}

/* Sort, limit and the cursor of the Link header apply to CSV. */
Test(export, sort_and_cursor_page_a_csv)
{
	struct http r;
	struct csv c;
	char *link, next[1024];

	get("/sources?format=csv&sort=-headline&limit=1", NULL, "text/csv",
	    &r);
	csv_read(r.body, r.len, &c);
	cr_assert_eq(c.nrows, 2);
	cr_assert_str_eq(col(&c, 1, "id"), "tokyo-meeting");
	csv_free(&c);
	link = http_header(&r, "Link");
	cr_assert_not_null(link);
	cr_assert_eq(sscanf(link, "<%1023[^>]>", next), 1);
	free(link);
	http_free(&r);
	get(next, NULL, "text/csv", &r);
	csv_read(r.body, r.len, &c);
	cr_assert_str_eq(col(&c, 1, "id"), "common-ground");
	cr_assert_str_eq(col(&c, 1, "length_bytes"), "549");
	csv_free(&c);
	http_free(&r);
}

/* A search as CSV: a row per span of each hit. */
Test(export, search_csv_has_a_row_per_span)
{
	struct http r;
	struct csv c;

	get("/search?q=according+activities&kind=source&format=csv", NULL,
	    "text/csv", &r);
	csv_read(r.body, r.len, &c);
	cr_assert_eq(c.nrows, 3);
	cr_assert_str_eq(col(&c, 1, "id"), "common-ground");
	cr_assert_str_eq(col(&c, 1, "span_exact"), "according");
	cr_assert_str_eq(col(&c, 2, "span_exact"), "activities");
	cr_assert_str_eq(col(&c, 2, "label"),
	    "Common ground over cyber disputes");
	csv_free(&c);
	http_free(&r);
}

/* Another format is a 400. */
Test(export, an_unknown_format_is_refused)
{
	struct http r;

	http_get(&srv, "/claims?format=xlsx", &r);
	cr_assert_eq(r.status, 400);
	http_free(&r);
	http_get(&srv, "/search?q=x&format=CSV", &r);
	cr_assert_eq(r.status, 400);
	http_free(&r);
}
