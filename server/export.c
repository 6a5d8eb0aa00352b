#include "export.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "text.h"

/* How the rows of a record are made: one row, one per span of an array
 * member, or one per evidence span of each of its values (claims). */
enum rows { ROWS_ONE, ROWS_SPANS, ROWS_VALUES };

/* The columns of a kind: the record's fields (a dotted path names a
 * member of a member), then, with spans, `value` for claims and the
 * span's. */
struct table {
	const char *const *fields;
	enum rows rows;
	const char *spans;	/* the member holding them */
};

static const char *const span_fields[] = { "source", "start", "end",
    "byte_start", "byte_end", "utf16_start", "utf16_end", "exact", "prefix",
    "suffix", NULL };

static const char *const source_fields[] = { "id", "file", "sha256",
    "headline", "publisher", "byline", "date", "url", "length.codepoints",
    "length.bytes", "length.utf16", NULL };
static const char *const participant_fields[] = { "id", "name", "kind",
    "title", "affiliation", "country", "role", "aliases", "mention_count",
    NULL };
static const char *const agreement_fields[] = { "id", "title", "date",
    "status", "summary", "corroboration", "parties", NULL };
static const char *const outcome_fields[] = { "id", "kind", "status",
    "timeframe", "timeframe_precision", "agreement", "summary",
    "corroboration", "parties", NULL };
static const char *const claim_fields[] = { "id", "subject", "disputed",
    "corroboration", NULL };
static const char *const hit_fields[] = { "kind", "id", "label", "score",
    "snippet", NULL };

static const struct table tables[] = {
	[DB_SOURCES] = { source_fields, ROWS_ONE, NULL },
	[DB_PARTICIPANTS] = { participant_fields, ROWS_SPANS, "mentions" },
	[DB_AGREEMENTS] = { agreement_fields, ROWS_SPANS, "evidence" },
	[DB_OUTCOMES] = { outcome_fields, ROWS_SPANS, "evidence" },
	[DB_CLAIMS] = { claim_fields, ROWS_VALUES, "values" },
};

static const struct table hit_table = { hit_fields, ROWS_SPANS, "spans" };

bool
export_by_accept(const char *accept)
{
	return accept != NULL && (strstr(accept, "text/csv") != NULL ||
	    strstr(accept, "application/x-ndjson") != NULL);
}

enum http_status
export_format(const struct request *req, enum export_format *out,
    struct response *res)
{
	const char *f = url_param(req->url, "format");

	*out = EXPORT_JSON;
	if (f != NULL && strcmp(f, "json") != 0 && strcmp(f, "csv") != 0 &&
	    strcmp(f, "ndjson") != 0)
		return problem(res, HTTP_BAD_REQUEST, "format must be json, csv "
		    "or ndjson");
	if (f != NULL)
		*out = f[0] == 'c' ? EXPORT_CSV : f[0] == 'n' ? EXPORT_NDJSON :
		    EXPORT_JSON;
	else if (req->accept != NULL && strstr(req->accept, "text/csv"))
		*out = EXPORT_CSV;
	else if (req->accept != NULL && strstr(req->accept,
	    "application/x-ndjson"))
		*out = EXPORT_NDJSON;
	return HTTP_OK;
}

/* Appends one CSV cell (after a comma unless first): quoted when it holds
 * a comma, quote, CR or LF, or begins as a formula would (then after a
 * '), quotes doubled. */
static void
cell(struct text *t, const char *s, bool first)
{
	bool risky = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quoted = risky || strpbrk(s, ",\"\r\n") != NULL;

	if (!first)
		text_add(t, ",", 1);
	if (quoted)
		text_add(t, "\"", 1);
	if (risky)
		text_add(t, "'", 1);
	for (const char *q; quoted && (q = strchr(s, '"')) != NULL;
	    s = q + 1) {
		text_add(t, s, (size_t)(q - s + 1));
		text_add(t, "\"", 1);
	}
	text_add(t, s, strlen(s));
	if (quoted)
		text_add(t, "\"", 1);
}

/* Returns the member at a dotted path of v, or NULL. */
static json_t *
member(json_t *v, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[64];

	if (dot == NULL)
		return json_object_get(v, path);
	snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
	return member(json_object_get(v, head), dot + 1);
}

/* Appends v as a CSV cell: a string as is, a number, true or false, an
 * array of strings joined by "; ", null or absent as empty. */
static void
value_cell(struct text *t, json_t *v, bool first)
{
	struct text joined = { 0 };
	char num[40] = "", *s;
	size_t i, len;
	json_t *e;

	if (json_is_string(v)) {
		cell(t, json_string_value(v), first);
		return;
	}
	if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(num, sizeof(num), "%s", json_is_true(v) ? "true" : "false");
	if (!json_is_array(v)) {
		cell(t, num, first);
		return;
	}
	json_array_foreach(v, i, e)
		text_printf(&joined, "%s%s", i > 0 ? "; " : "",
		    json_is_string(e) ? json_string_value(e) : "");
	s = text_take(&joined, &len);
	cell(t, s != NULL ? s : "", first);
	free(s);
}

/* Appends the header row of tb. */
static void
header(struct text *t, const struct table *tb)
{
	char name[32];

	for (size_t i = 0; tb->fields[i] != NULL; i++) {
		/* length.bytes: length_bytes */
		snprintf(name, sizeof(name), "%s", tb->fields[i]);
		for (char *dot = strchr(name, '.'); dot != NULL;
		    dot = strchr(dot, '.'))
			*dot = '_';
		cell(t, name, i == 0);
	}
	if (tb->rows == ROWS_VALUES)
		cell(t, "value", false);
	for (size_t i = 0; tb->rows != ROWS_ONE && span_fields[i] != NULL;
	    i++) {
		snprintf(name, sizeof(name), "span_%s", span_fields[i]);
		cell(t, name, false);
	}
	text_add(t, "\r\n", 2);
}

/* Appends one row: rec's fields, the claim value (or NULL), the span's
 * fields (NULL: empty cells). */
static void
row(struct text *t, const struct table *tb, json_t *rec, json_t *value,
    json_t *span)
{
	for (size_t i = 0; tb->fields[i] != NULL; i++)
		value_cell(t, member(rec, tb->fields[i]), i == 0);
	if (tb->rows == ROWS_VALUES)
		value_cell(t, json_object_get(value, "value"), false);
	for (size_t i = 0; tb->rows != ROWS_ONE && span_fields[i] != NULL;
	    i++)
		value_cell(t, json_object_get(span, span_fields[i]), false);
	text_add(t, "\r\n", 2);
}

/* Appends the rows of one record. */
static void
record_rows(struct text *t, const struct table *tb, json_t *rec)
{
	json_t *many = tb->spans != NULL ? json_object_get(rec, tb->spans) :
	    NULL, *v, *span;
	size_t i, j, rows = 0;

	json_array_foreach(many, i, v) {
		if (tb->rows == ROWS_SPANS) {
			row(t, tb, rec, NULL, v);
			rows++;
			continue;
		}
		json_array_foreach(json_object_get(v, "evidence"), j, span) {
			row(t, tb, rec, v, span);
			rows++;
		}
	}
	if (rows == 0)
		row(t, tb, rec, NULL, NULL);
}

/* Makes res's body of items under tb in format. */
static enum http_status
render(const struct table *tb, json_t *items, enum export_format format,
    struct response *res)
{
	struct text t = { 0 };
	json_t *rec;
	size_t i, len;

	if (format == EXPORT_CSV)
		header(&t, tb);
	json_array_foreach(items, i, rec) {
		if (format == EXPORT_CSV) {
			record_rows(&t, tb, rec);
		} else {
			char *line = json_dumps(rec, JSON_COMPACT);
			text_printf(&t, "%s\n", line != NULL ? line : "");
			t.failed |= line == NULL;
			free(line);
		}
	}
	res->body = text_take(&t, &len);
	if (res->body == NULL)
		return fail_memory(res);
	res->body_len = len;
	res->json_text = false;
	res->content_type = format == EXPORT_CSV ?
	    "text/csv; charset=utf-8; header=present" :
	    "application/x-ndjson; charset=utf-8";
	return HTTP_OK;
}

enum http_status
export_records(enum db_kind kind, json_t *items, enum export_format format,
    struct response *res)
{
	return render(&tables[kind], items, format, res);
}

enum http_status
export_hits(json_t *hits, enum export_format format, struct response *res)
{
	return render(&hit_table, hits, format, res);
}
