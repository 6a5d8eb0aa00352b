#include "matches.h"

#include <stdlib.h>

/* The byte range of each token position of a text. */
struct tokens {
	int *starts, *ends;
	int n, cap;
};

/* A matched range of bytes. */
struct range {
	int start, end;
};

static int
collect(void *ctx, int tflags, const char *token, int ntoken, int start,
    int end)
{
	struct tokens *t = ctx;

	(void)token;
	(void)ntoken;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (t->n == t->cap) {
		int cap = t->cap > 0 ? 2 * t->cap : 256;
		int *s = realloc(t->starts, (size_t)cap * sizeof(int));
		int *e = s != NULL ? realloc(t->ends, (size_t)cap *
		    sizeof(int)) : NULL;
		if (s != NULL)
			t->starts = s;
		if (e == NULL)
			return SQLITE_NOMEM;
		t->ends = e;
		t->cap = cap;
	}
	t->starts[t->n] = start;
	t->ends[t->n] = end;
	t->n++;
	return SQLITE_OK;
}

static int
by_start(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start != y->start ? (x->start > y->start) - (x->start <
	    y->start) : (x->end > y->end) - (x->end < y->end);
}

/* Fills r[0..*n) with the instances' byte ranges, in text order. */
static int
ranges(const Fts5ExtensionApi *api, Fts5Context *fts,
    const struct tokens *t, struct range *r, int *n)
{
	int phrase, col, off, last, rc = SQLITE_OK, kept = 0;

	for (int i = 0; i < *n && rc == SQLITE_OK; i++) {
		rc = api->xInst(fts, i, &phrase, &col, &off);
		last = off + api->xPhraseSize(fts, phrase) - 1;
		if (rc == SQLITE_OK && col == 0 && off >= 0 && last < t->n &&
		    last >= off)
			r[kept++] = (struct range){ t->starts[off],
			    t->ends[last] };
	}
	qsort(r, (size_t)kept, sizeof(*r), by_start);
	*n = kept;
	return rc;
}

/* Appends the ranges, overlapping ones merged, as "START END\n". */
static void
put(sqlite3_str *out, const struct range *r, int n)
{
	for (int i = 0; i < n;) {
		struct range m = r[i++];
		while (i < n && r[i].start < m.end) {
			if (r[i].end > m.end)
				m.end = r[i].end;
			i++;
		}
		sqlite3_str_appendf(out, "%d %d\n", m.start, m.end);
	}
}

static void
matches_fn(const Fts5ExtensionApi *api, Fts5Context *fts,
    sqlite3_context *ctx, int nval, sqlite3_value **vals)
{
	struct tokens t = { 0 };
	struct range *r = NULL;
	const char *text;
	int len, n = 0, rc;
	sqlite3_str *out;

	(void)nval;
	(void)vals;
	rc = api->xColumnText(fts, 0, &text, &len);
	if (rc == SQLITE_OK)
		rc = api->xTokenize(fts, text, len, &t, collect);
	if (rc == SQLITE_OK)
		rc = api->xInstCount(fts, &n);
	if (rc == SQLITE_OK && n > 0 && (r = malloc((size_t)n *
	    sizeof(*r))) == NULL)
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK && n > 0)
		rc = ranges(api, fts, &t, r, &n);
	if (rc == SQLITE_OK) {
		out = sqlite3_str_new(NULL);
		put(out, r, n);
		rc = sqlite3_str_errcode(out);
		sqlite3_result_text(ctx, sqlite3_str_finish(out), -1,
		    sqlite3_free);
	}
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	free(r);
	free(t.starts);
	free(t.ends);
}

int
matches_register(fts5_api *api)
{
	return api->xCreateFunction(api, "accord_matches", NULL, matches_fn,
	    NULL);
}
