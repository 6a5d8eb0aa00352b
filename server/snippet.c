#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

bool
snippet_read(const char *text, size_t len, const char *ranges,
    struct snippet_marks *out)
{
	size_t cap = 0, last = 0;
	const char *p = ranges != NULL ? ranges : "";
	unsigned long s, e;

	memset(out, 0, sizeof(*out));
	for (const char *q = p; *q != '\0'; q++)
		cap += *q == '\n';
	out->text = malloc(len + 1);
	out->starts = calloc(cap + 1, sizeof(size_t));
	out->ends = calloc(cap + 1, sizeof(size_t));
	if (out->text == NULL || out->starts == NULL || out->ends == NULL) {
		snippet_free(out);
		return false;
	}
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	out->len = len;
	/* strtoul, not sscanf: sscanf measures the whole rest each time. */
	while (out->n < cap && *p != '\0') {
		char *end;
		s = strtoul(p, &end, 10);
		e = *end == ' ' ? strtoul(end + 1, &end, 10) : 0;
		if (*end != '\n')
			break;
		p = end + 1;
		if (s < last || s >= e || e > len)
			continue;
		out->starts[out->n] = s;
		out->ends[out->n++] = e;
		last = e;
	}
	return true;
}

void
snippet_free(struct snippet_marks *m)
{
	free(m->text);
	free(m->starts);
	free(m->ends);
	memset(m, 0, sizeof(*m));
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Where the excerpt around [s, e) of text[0..len) begins and ends. */
static void
window(const char *text, size_t len, size_t s, size_t e, size_t *from,
    size_t *to)
{
	size_t a = utf8_back(text, s, SNIPPET_BEFORE);
	size_t b = utf8_forward(text, len, e, SNIPPET_AFTER);

	if (a > 0) {
		size_t w = a;
		while (w < s && !is_blank(text[w]))
			w++;
		if (w < s)
			a = w + 1;
	}
	if (b < len) {
		size_t w = b;
		while (w > e && !is_blank(text[w - 1]))
			w--;
		if (w > e)
			b = w - 1;
	}
	*from = a;
	*to = b;
}

/* Appends text[from..to) with each run of blanks made one space (*blank:
 * whether what was appended last was one). */
static void
put_plain(struct text *t, const char *text, size_t from, size_t to,
    bool *blank)
{
	size_t run = from;

	for (size_t i = from; i < to; i++) {
		if (!is_blank(text[i]))
			continue;
		text_add(t, text + run, i - run);
		if (i > run || !*blank)
			text_add(t, " ", 1);
		*blank = true;
		run = i + 1;
	}
	text_add(t, text + run, to - run);
	if (to > run)
		*blank = false;
}

char *
snippet_make(const struct snippet_marks *m)
{
	struct text t = { 0 };
	size_t from, to, at, len;
	bool blank = true;	/* no space at the start */
	bool cut;

	if (m->n == 0)
		window(m->text, m->len, 0, 0, &from, &to);
	else
		window(m->text, m->len, m->starts[0], m->ends[0], &from, &to);
	cut = to < m->len;
	while (to > from && is_blank(m->text[to - 1]))
		to--;
	text_printf(&t, "%s", from > 0 ? "…" : "");
	at = from;
	for (size_t i = 0; i < m->n && m->ends[i] <= to; i++) {
		if (m->starts[i] < at)
			continue;
		put_plain(&t, m->text, at, m->starts[i], &blank);
		text_printf(&t, "«");
		put_plain(&t, m->text, m->starts[i], m->ends[i], &blank);
		text_printf(&t, "»");
		at = m->ends[i];
	}
	put_plain(&t, m->text, at, to, &blank);
	text_printf(&t, "%s", cut ? "…" : "");
	return text_take(&t, &len);
}
