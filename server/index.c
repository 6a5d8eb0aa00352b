#include "index.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * Returns where the search row starting at `at` of a line ending at `end`
 * ends: the whole line when it is short, else after the last whitespace
 * (or on the last character boundary) within INDEX_ROW_MAX bytes. FTS5's
 * highlight() costs the square of a row's matches, so no row may be long.
 */
static size_t
row_end(const char *text, size_t at, size_t end)
{
	size_t cut;

	if (end - at <= INDEX_ROW_MAX)
		return end;
	cut = at + INDEX_ROW_MAX;
	while (cut > at && text[cut - 1] != ' ' && text[cut - 1] != '\t')
		cut--;
	if (cut > at)
		return cut;
	cut = at + INDEX_ROW_MAX;
	while (cut > at && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

int
index_source(struct input *in, struct build *b, const struct source *src)
{
	size_t at = 0;

	while (at < src->len) {
		size_t end = at;

		while (end < src->len && src->text[end] != '\n')
			end++;
		while (at < end) {
			size_t cut = row_end(src->text, at, end);
			char *row = strndup(src->text + at, cut - at);
			int rc;
			if (row == NULL)
				return input_fail(in, src->id, "out of memory");
			rc = build_search(b, "source", src->id, at, row);
			free(row);
			if (rc != 0)
				return input_fail(in, src->id, "indexing: %s",
				    build_errmsg(b));
			at = cut;
		}
		at = end + 1;
	}
	return 0;
}

int
index_fact(struct input *in, struct build *b, const char *kind,
    const char *id, const char *const *parts)
{
	struct text t = { 0 };
	char *body;
	size_t len;
	int rc;

	for (size_t i = 0; parts[i] != NULL; i++)
		text_printf(&t, "%s ", parts[i]);
	body = text_take(&t, &len);
	if (body == NULL)
		return input_fail(in, id, "out of memory");
	rc = build_search(b, kind, id, 0, body);
	free(body);
	return rc == 0 ? 0 : input_fail(in, id, "indexing: %s",
	    build_errmsg(b));
}
