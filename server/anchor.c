#include "anchor.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"
#include "span.h"

/* The most a citation's "occurrence" may be. */
#define OCCURRENCE_MAX 1000000

int
anchor_store(struct input *in, struct build *b, const char *record,
    const struct anchor *a, int64_t *span_id)
{
	struct source *src = a->source;
	struct span at;
	struct build_span bs = { src->id, &at, src->text };

	if (src->index == NULL &&
	    (src->index = suffix_index(src->text, src->len)) == NULL)
		return input_fail(in, record, "out of memory");
	if (!span_describe_in(src->text, src->len, src->index, a->start,
	    a->end, &src->hint, &at))
		return input_fail(in, record, "span %zu..%zu is outside source "
		    "%s", a->start, a->end, src->id);
	if (!at.unique)
		return input_fail(in, record, "in source %s, the text around "
		    "span %zu..%zu repeats itself: no prefix and suffix of up "
		    "to %d bytes make its quote selector occur once", src->id,
		    a->start, a->end, SPAN_CONTEXT_MAX);
	if (build_span(b, &bs, span_id) != 0)
		return input_fail(in, record, "storing a span: %s",
		    build_errmsg(b));
	return 0;
}

/* Fails unless every key of c is a citation's or one of extra_keys. */
static int
check_keys(struct input *in, const char *record, const char *what,
    json_t *c, const char *const *extra_keys)
{
	static const char *const keys[] = { "source", "quote", "prefix",
	    "suffix", "occurrence", NULL };
	const char *key;
	json_t *value;

	json_object_foreach(c, key, value) {
		bool known = false;
		(void)value;
		for (size_t i = 0; keys[i] != NULL; i++)
			known |= strcmp(key, keys[i]) == 0;
		for (size_t i = 0; extra_keys != NULL && extra_keys[i] != NULL;
		    i++)
			known |= strcmp(key, extra_keys[i]) == 0;
		if (!known)
			return input_fail(in, record, "%s: unknown key \"%s\"",
			    what, key);
	}
	return 0;
}

/* Reads c's "occurrence", when it has one, into q. */
static int
read_occurrence(struct input *in, const char *record, const char *what,
    json_t *c, struct span_query *q)
{
	json_t *occ = json_object_get(c, "occurrence");

	if (occ == NULL)
		return 0;
	if (!json_is_integer(occ) || json_integer_value(occ) < 1 ||
	    json_integer_value(occ) > OCCURRENCE_MAX)
		return input_fail(in, record, "%s: occurrence must be an "
		    "integer from 1", what);
	q->occurrence = (size_t)json_integer_value(occ);
	return 0;
}

/* Fails for the citation q of src that matches nowhere, with a hint:
 * where the article comes nearest to prefix, quote and suffix, and what
 * differs. */
static int
not_found(struct input *in, const char *record, const char *what,
    const struct source *src, const struct span_query *q)
{
	char *query = NULL, hint[640];

	if (asprintf(&query, "%s%s%s", q->prefix != NULL ? q->prefix : "",
	    q->quote, q->suffix != NULL ? q->suffix : "") < 0)
		query = NULL;
	if (query == NULL || !nearest_hint(src->text, src->len, query, hint,
	    sizeof(hint)))
		hint[0] = '\0';
	free(query);
	return input_fail(in, record, "%s: in source %s: %s: \"%s\"%s%s",
	    what, src->id, span_result_str(SPAN_NOT_FOUND), q->quote,
	    hint[0] != '\0' ? "; " : "", hint);
}

int
anchor_cite(struct input *in, const struct sources *all,
    const char *record, const char *what, json_t *c, struct source *only,
    const char *const *extra_keys, struct anchor *out)
{
	struct span_query q = { 0 };
	struct source *src = only;
	const char *source_id;
	size_t start, end, count;
	enum span_result r;

	if (!json_is_object(c))
		return input_fail(in, record, "%s must be an object", what);
	if (check_keys(in, record, what, c, extra_keys) != 0 ||
	    input_string(in, record, c, "source", only == NULL,
	    &source_id) != 0 ||
	    input_string(in, record, c, "quote", true, &q.quote) != 0 ||
	    input_string(in, record, c, "prefix", false, &q.prefix) != 0 ||
	    input_string(in, record, c, "suffix", false, &q.suffix) != 0)
		return -1;
	if (source_id != NULL) {
		src = source_find(all, source_id);
		if (src == NULL && only == NULL &&
		    source_is_failed(all, source_id))
			return -1;	/* its error is reported */
		if (src == NULL || (only != NULL && src != only))
			return input_fail(in, record, "%s: no such source "
			    "\"%s\"", what, source_id);
	}
	if (read_occurrence(in, record, what, c, &q) != 0)
		return -1;
	r = span_anchor(src->text, src->len, &q, &start, &end, &count);
	if (r == SPAN_AMBIGUOUS || r == SPAN_NO_OCCURRENCE)
		return input_fail(in, record, "%s: in source %s: %s (%zu "
		    "matches): \"%s\"", what, src->id, span_result_str(r),
		    count, q.quote);
	if (r == SPAN_NOT_FOUND)
		return not_found(in, record, what, src, &q);
	if (r != SPAN_OK)
		return input_fail(in, record, "%s: in source %s: %s: \"%s\"",
		    what, src->id, span_result_str(r), q.quote);
	*out = (struct anchor){ src, start, end };
	return 0;
}
