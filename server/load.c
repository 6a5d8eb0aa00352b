#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "digest.h"
#include "db.h"
#include "hash.h"
#include "id.h"
#include "span.h"
#include "text.h"
#include "utf8.h"
#include "version.h"
#include "vocab.h"

/* A region of a source, kept to check citations against. */
struct region {
	const char *kind;	/* static string */
	size_t start, end;	/* bytes */
};

struct source {
	char *id;
	char *text;
	size_t len;
	char *headline;		/* its headline value, or NULL */
	struct region *regions;
	size_t nregions;
	struct utf8_pos hint;	/* the last span's start, to measure from */
};

struct file {
	char *path;	/* as shown in messages */
	char *raw;	/* the file's bytes, for line numbers */
	json_t *root;
};

struct loader {
	struct build *b;
	struct source *sources;
	size_t nsources;
	size_t *slots;		/* sources by id hash: index + 1, or 0 */
	size_t slot_mask;
	struct file *files;	/* annotation files */
	size_t nfiles;
	const struct file *file;	/* the file being read */
	const struct source *last_source;	/* of the last citation */
	size_t last_start, last_end;	/* its bytes */
	char *err;
	size_t errlen;
};

/* Formats "path:line:col: record: message" into the loader's error. */
static int
fail(struct loader *l, const char *record, const char *fmt, ...)
{
	char msg[768];
	size_t line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->file == NULL) {
		snprintf(l->err, l->errlen, "%s", msg);
		return -1;
	}
	if (record != NULL && l->file->raw != NULL) {
		/* Best effort: the line of the record's quoted id. */
		char needle[ID_MAX + 3];
		const char *hit;
		snprintf(needle, sizeof(needle), "\"%s\"", record);
		hit = strstr(l->file->raw, needle);
		if (hit != NULL) {
			const char *bol = l->file->raw;
			line = 1;
			for (const char *p = l->file->raw; p < hit; p++)
				if (*p == '\n') {
					line++;
					bol = p + 1;
				}
			col = (size_t)(hit - bol) + 1;
		}
	}
	if (line > 0)
		snprintf(l->err, l->errlen, "%s:%zu:%zu: %s: %s",
		    l->file->path, line, col, record, msg);
	else if (record != NULL)
		snprintf(l->err, l->errlen, "%s: %s: %s", l->file->path,
		    record, msg);
	else
		snprintf(l->err, l->errlen, "%s: %s", l->file->path, msg);
	return -1;
}

static void
line_col(const char *s, size_t at, size_t *line, size_t *col)
{
	size_t bol = 0;

	*line = 1;
	for (size_t i = 0; i < at; i++)
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = at - bol + 1;
}

/* Reads a whole file, refusing one over LOAD_MAX_FILE_BYTES or with a NUL.
 * Returns the bytes, NUL-terminated (caller frees), and its size in *len;
 * NULL with a message in why on failure. */
static char *
read_file(const char *path, size_t *len, char *why, size_t whylen)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto close_fd;
	}
	if ((size_t)st.st_size > LOAD_MAX_FILE_BYTES) {
		snprintf(why, whylen, "file of %lld bytes exceeds the limit "
		    "of %zu", (long long)st.st_size, LOAD_MAX_FILE_BYTES);
		goto close_fd;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		snprintf(why, whylen, "out of memory");
		goto close_fd;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			snprintf(why, whylen, "read: %s",
			    n == 0 ? "file shrank" : strerror(errno));
			goto free_buf;
		}
		got += (size_t)n;
	}
	if (memchr(buf, '\0', got) != NULL) {
		size_t line, col;
		line_col(buf, (size_t)((char *)memchr(buf, '\0', got) - buf),
		    &line, &col);
		snprintf(why, whylen, "contains a NUL byte at line %zu, "
		    "column %zu", line, col);
		goto free_buf;
	}
	buf[got] = '\0';
	*len = got;
	close(fd);
	return buf;

free_buf:
	free(buf);
	buf = NULL;
close_fd:
	close(fd);
	return NULL;
}


/* Reads and parses a JSON file into f. Returns 0, or -1 via fail(). */
static int
read_json(struct loader *l, struct file *f)
{
	char why[256];
	json_error_t jerr;
	size_t len, bad, line, col;

	l->file = f;
	f->raw = read_file(f->path, &len, why, sizeof(why));
	if (f->raw == NULL)
		return fail(l, NULL, "%s", why);
	if (!utf8_validate(f->raw, len, &bad)) {
		line_col(f->raw, bad, &line, &col);
		l->file = NULL;
		return fail(l, NULL, "%s:%zu:%zu: invalid UTF-8", f->path,
		    line, col);
	}
	f->root = json_loadb(f->raw, len, JSON_REJECT_DUPLICATES, &jerr);
	if (f->root == NULL) {
		l->file = NULL;
		return fail(l, NULL, "%s:%d:%d: invalid JSON: %s", f->path,
		    jerr.line, jerr.column, jerr.text);
	}
	if (!json_is_object(f->root))
		return fail(l, NULL, "the top level must be an object");
	return 0;
}

/* Refuses keys outside `allowed` (NULL-terminated): catches typos. */
static int
check_keys(struct loader *l, const char *record, json_t *obj,
    const char *const *allowed)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		bool known = false;
		for (size_t i = 0; allowed[i] != NULL && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known)
			return fail(l, record, "unknown key \"%s\"", key);
	}
	return 0;
}

/* Stores obj[key] in *out: a non-empty string, or NULL when absent or null
 * and !required. Returns 0, or -1 via fail(). */
static int
get_string(struct loader *l, const char *record, json_t *obj,
    const char *key, bool required, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(l, record, "\"%s\" is required", key);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return fail(l, record, "\"%s\" must be a non-empty string",
		    key);
	*out = json_string_value(v);
	return 0;
}

/* Like get_string, and the value must be one of `allowed`. */
static int
get_enum(struct loader *l, const char *record, json_t *obj, const char *key,
    bool required, const char *const *allowed, const char **out)
{
	if (get_string(l, record, obj, key, required, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (strcmp(*out, allowed[i]) == 0)
			return 0;
	return fail(l, record, "\"%s\" has the unknown value \"%s\"", key,
	    *out);
}

/* FNV-1a of one word, or of two (key2 may be NULL). */
static size_t
key_hash(const char *key, size_t n, const char *key2, size_t n2)
{
	uint64_t h = hash_fnv1a(key, n, HASH_FNV1A_BASIS);

	if (key2 != NULL) {
		h = hash_fnv1a("\xFF", 1, h);
		h = hash_fnv1a(key2, n2, h);
	}
	return (size_t)h;
}

static struct source *
find_source(const struct loader *l, const char *id)
{
	size_t i = key_hash(id, strlen(id), NULL, 0) & l->slot_mask;

	for (; l->slots[i] != 0; i = (i + 1) & l->slot_mask)
		if (strcmp(l->sources[l->slots[i] - 1].id, id) == 0)
			return &l->sources[l->slots[i] - 1];
	return NULL;
}

/* Makes the last source read findable by find_source. */
static void
remember_source(struct loader *l)
{
	size_t i = key_hash(l->sources[l->nsources - 1].id,
	    strlen(l->sources[l->nsources - 1].id), NULL, 0) & l->slot_mask;

	while (l->slots[i] != 0)
		i = (i + 1) & l->slot_mask;
	l->slots[i] = l->nsources;
}

static int
store_span(struct loader *l, const char *record, struct source *src,
    size_t byte_start, size_t byte_end, int64_t *span_id)
{
	struct span at;
	struct build_span bs = { src->id, &at, src->text };

	if (!span_describe_from(src->text, src->len, byte_start, byte_end,
	    &src->hint, &at))
		return fail(l, record, "span %zu..%zu is outside source %s",
		    byte_start, byte_end, src->id);
	if (build_span(l->b, &bs, span_id) != 0)
		return fail(l, record, "storing a span: %s",
		    build_errmsg(l->b));
	return 0;
}

/*
 * Anchors one citation {source, quote, prefix?, suffix?, occurrence?} and
 * stores its span. `in_source`, when non-NULL, is the only source allowed
 * (and the citation may leave "source" out). `what` names it in messages.
 */
static int
cite(struct loader *l, const char *record, const char *what, json_t *c,
    struct source *in_source, const char *const *extra_keys,
    int64_t *span_id)
{
	static const char *const keys[] = { "source", "quote", "prefix",
	    "suffix", "occurrence", NULL };
	struct span_query q = { 0 };
	struct source *src = in_source;
	const char *source_id, *key;
	json_t *occ, *value;
	size_t start, end, count;
	enum span_result r;

	if (!json_is_object(c))
		return fail(l, record, "%s must be an object", what);
	json_object_foreach(c, key, value) {
		bool known = false;
		(void)value;
		for (size_t i = 0; keys[i] != NULL; i++)
			known |= strcmp(key, keys[i]) == 0;
		for (size_t i = 0; extra_keys != NULL && extra_keys[i] != NULL;
		    i++)
			known |= strcmp(key, extra_keys[i]) == 0;
		if (!known)
			return fail(l, record, "%s: unknown key \"%s\"", what,
			    key);
	}
	if (get_string(l, record, c, "source", in_source == NULL,
	    &source_id) != 0 ||
	    get_string(l, record, c, "quote", true, &q.quote) != 0 ||
	    get_string(l, record, c, "prefix", false, &q.prefix) != 0 ||
	    get_string(l, record, c, "suffix", false, &q.suffix) != 0)
		return -1;
	if (source_id != NULL) {
		src = find_source(l, source_id);
		if (src == NULL || (in_source != NULL && src != in_source))
			return fail(l, record, "%s: no such source \"%s\"",
			    what, source_id);
	}
	occ = json_object_get(c, "occurrence");
	if (occ != NULL) {
		if (!json_is_integer(occ) || json_integer_value(occ) < 1 ||
		    json_integer_value(occ) > 1000000)
			return fail(l, record, "%s: occurrence must be an "
			    "integer from 1", what);
		q.occurrence = (size_t)json_integer_value(occ);
	}
	r = span_anchor(src->text, src->len, &q, &start, &end, &count);
	l->last_source = src;
	l->last_start = start;
	l->last_end = end;
	if (r == SPAN_AMBIGUOUS || r == SPAN_NO_OCCURRENCE)
		return fail(l, record, "%s: in source %s: %s (%zu matches): "
		    "\"%s\"", what, src->id, span_result_str(r), count, q.quote);
	if (r != SPAN_OK)
		return fail(l, record, "%s: in source %s: %s: \"%s\"", what,
		    src->id, span_result_str(r), q.quote);
	return store_span(l, record, src, start, end, span_id);
}


/* Reads one article named by a sources.json record into src. */
static int
read_article(struct loader *l, const char *data_dir, const char *id,
    const char *file, const char *sha256, struct source *src)
{
	char path[PATH_MAX], why[256], actual[65];
	size_t bad, line, col;

	if (file[0] == '/' || strstr(file, "..") != NULL)
		return fail(l, id, "\"file\" must be a path inside the data "
		    "directory");
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", data_dir, file) >=
	    sizeof(path))
		return fail(l, id, "path too long");
	src->text = read_file(path, &src->len, why, sizeof(why));
	if (src->text == NULL)
		return fail(l, id, "%s: %s", path, why);
	if (!utf8_validate(src->text, src->len, &bad)) {
		line_col(src->text, bad, &line, &col);
		return fail(l, id, "%s:%zu:%zu: invalid UTF-8", path, line,
		    col);
	}
	digest_sha256_hex(src->text, src->len, actual);
	if (strcmp(actual, sha256) != 0)
		return fail(l, id, "%s: sha256 is %s, sources.json says %s",
		    path, actual, sha256);
	return 0;
}


/* Regions whose words report nothing: evidence may not cite them. */
static const char *const not_reporting[] = { "advertisement", "related-link",
    "subscription", "share", "cross-reference", NULL };

/* Returns the kind of a non-reporting region that [start, end) of src
 * overlaps, or NULL. */
static const char *
in_boilerplate(const struct source *src, size_t start, size_t end)
{
	for (size_t i = 0; i < src->nregions; i++) {
		const struct region *r = &src->regions[i];
		if (r->start < end && start < r->end)
			for (size_t k = 0; not_reporting[k] != NULL; k++)
				if (strcmp(r->kind, not_reporting[k]) == 0)
					return r->kind;
	}
	return NULL;
}

/* Remembers a region of src and stores it. kind must be a static string. */
static int
add_region(struct loader *l, const char *record, struct source *src,
    const char *kind, size_t start, size_t end, const char *links_to)
{
	struct region *more;
	int64_t span_id;

	more = realloc(src->regions, (src->nregions + 1) * sizeof(*more));
	if (more == NULL)
		return fail(l, record, "out of memory");
	src->regions = more;
	src->regions[src->nregions++] = (struct region){ kind, start, end };
	if (store_span(l, record, src, start, end, &span_id) != 0)
		return -1;
	if (build_region(l->b, src->id, kind, span_id, links_to) != 0)
		return fail(l, record, "storing a %s region: %s", kind,
		    build_errmsg(l->b));
	return 0;
}

/* Stores the "regions" of one source record: boilerplate by kind. */
static int
load_regions(struct loader *l, json_t *rec, struct source *src)
{
	static const char *const extra[] = { "kind", NULL };
	json_t *list = json_object_get(rec, "regions"), *r;
	size_t i;

	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return fail(l, src->id, "\"regions\" must be an array");
	json_array_foreach(list, i, r) {
		const char *kind;
		char what[32];
		int64_t span_id;
		size_t k = 0;

		snprintf(what, sizeof(what), "regions[%zu]", i);
		if (!json_is_object(r))
			return fail(l, src->id, "%s must be an object", what);
		if (get_enum(l, src->id, r, "kind", true, vocab_region_kinds,
		    &kind) != 0 || cite(l, src->id, what, r, src, extra,
		    &span_id) != 0)
			return -1;
		while (strcmp(vocab_region_kinds[k], kind) != 0)
			k++;
		if (add_region(l, src->id, src, vocab_region_kinds[k],
		    l->last_start, l->last_end, NULL) != 0)
			return -1;
	}
	return 0;
}

/* A string found in a source: where, and the index of what it names. */
struct hit {
	size_t start, end;
	size_t owner;
};

struct hits {
	struct hit *items;
	size_t n, cap;
	size_t owner;	/* of the hits collect_hit is given */
};

static bool
collect_hit(size_t byte_start, size_t byte_end, void *ctx)
{
	struct hits *h = ctx;

	if (h->n == h->cap) {
		size_t cap = h->cap == 0 ? 64 : h->cap * 2;
		struct hit *items = realloc(h->items, cap * sizeof(*items));
		if (items == NULL)
			return false;
		h->items = items;
		h->cap = cap;
	}
	h->items[h->n++] = (struct hit){ byte_start, byte_end, h->owner };
	return true;
}

/* Earlier first; at the same start, the longer first. */
static int
hit_order(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return 0;
}

/* A string to find in every source (a name, an alias, a headline), and
 * the index of what it names. */
struct needle {
	const char *text;
	size_t owner;
};

/* A needle, compiled, indexed by the words it begins with: its first run
 * of word characters and, when it has one, its second (many names share
 * a given name). */
struct form {
	struct span_pattern *pat;
	size_t owner;
	const char *key;	/* the first word */
	size_t keylen;
	const char *key2;	/* the second word, or NULL */
	size_t key2len;
	size_t next;		/* next form in the same bucket, or SIZE_MAX */
};

/* Needles hashed by their leading words, so that each source is read once
 * however many needles there are. */
struct form_index {
	struct form *forms;
	size_t nforms;
	size_t *buckets;	/* first form of each bucket, or SIZE_MAX */
	size_t mask;
};

/* Returns the length of the run of word characters at s[at]. */
static size_t
word_run(const char *s, size_t len, size_t at)
{
	size_t end = at;

	for (;;) {
		size_t next = end;
		uint32_t cp;
		if (!utf8_decode(s, len, &next, &cp) || !utf8_is_word(cp))
			return end - at;
		end = next;
	}
}

/* Returns where the next run of word characters after s[at] begins
 * (len when none). */
static size_t
next_word(const char *s, size_t len, size_t at)
{
	while (at < len) {
		size_t next = at;
		uint32_t cp;
		if (!utf8_decode(s, len, &next, &cp) || utf8_is_word(cp))
			return at;
		at = next;
	}
	return len;
}

static void
form_index_free(struct form_index *x)
{
	for (size_t i = 0; i < x->nforms; i++)
		span_pattern_free(x->forms[i].pat);
	free(x->forms);
	free(x->buckets);
}

enum index_result {
	INDEXED,
	INDEX_BAD_QUOTE,	/* the needle cannot be searched for */
	INDEX_NO_WORD,		/* it does not begin with a letter or digit */
};

/* Compiles and indexes needles[0..n), which must outlive x, and sets
 * result[i] to what became of needles[i] (one that cannot be indexed is
 * left out). Returns false when out of memory; the caller frees x either
 * way. */
static bool
form_index_build(struct form_index *x, const struct needle *needles,
    size_t n, enum index_result *result)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	x->forms = calloc(n + 1, sizeof(*x->forms));
	x->buckets = malloc(size * sizeof(*x->buckets));
	x->mask = size - 1;
	if (x->forms == NULL || x->buckets == NULL)
		return false;
	for (size_t i = 0; i < size; i++)
		x->buckets[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		struct form *f = &x->forms[x->nforms];
		struct span_query q = { .quote = needles[i].text };
		size_t b, qlen = strlen(q.quote), second;

		f->keylen = word_run(q.quote, qlen, 0);
		result[i] = f->keylen == 0 ? INDEX_NO_WORD :
		    span_compile(&q, &f->pat) != SPAN_OK ? INDEX_BAD_QUOTE :
		    INDEXED;
		if (result[i] != INDEXED) {
			*f = (struct form){ 0 };
			continue;
		}
		f->owner = needles[i].owner;
		f->key = q.quote;
		second = next_word(q.quote, qlen, f->keylen);
		if (second < qlen) {
			f->key2 = q.quote + second;
			f->key2len = word_run(q.quote, qlen, second);
		}
		b = key_hash(f->key, f->keylen, f->key2, f->key2len) & x->mask;
		f->next = x->buckets[b];
		x->buckets[b] = x->nforms++;
	}
	return true;
}

/* Collects in h every whole-word match of an indexed form in src: one
 * pass over the text, trying at each word's start only the forms that
 * begin with that word. Returns false when out of memory. */
static bool
find_forms(const struct form_index *x, const struct source *src,
    struct hits *h)
{
	const char *text = src->text;
	size_t at = 0;
	bool in_word = false;

	while (at < src->len) {
		size_t next = at;
		uint32_t cp;

		if (!utf8_decode(text, src->len, &next, &cp))
			return false;	/* validated on reading: unreachable */
		if (utf8_is_word(cp) && !in_word) {
			size_t run = word_run(text, src->len, at);
			size_t second = next_word(text, src->len, at + run);
			size_t run2 = word_run(text, src->len, second);

			/* Forms of one word, then forms of two or more. */
			for (int words = 1; words <= 2; words++) {
				size_t f;
				if (words == 2 && run2 == 0)
					break;
				f = x->buckets[key_hash(text + at, run,
				    words == 2 ? text + second : NULL, run2) &
				    x->mask];
				for (; f != SIZE_MAX; f = x->forms[f].next) {
					const struct form *form = &x->forms[f];
					size_t qs, qe;
					if (form->keylen != run ||
					    (form->key2 != NULL) != (words == 2) ||
					    memcmp(form->key, text + at, run) != 0 ||
					    (words == 2 && (form->key2len != run2 ||
					    memcmp(form->key2, text + second,
					    run2) != 0)) ||
					    !span_match_at(form->pat, text,
					    src->len, at, true, &qs, &qe))
						continue;
					h->owner = form->owner;
					if (!collect_hit(qs, qe, h))
						return false;
				}
			}
		}
		in_word = utf8_is_word(cp);
		at = next;
	}
	return true;
}

/* Collects in h the cross-references of source a: every whole-word
 * occurrence of another source's headline. Headlines are indexed in x;
 * those that could not be (not beginning with a word) are searched for
 * one by one. Returns false when out of memory. */
static bool
find_headlines(const struct loader *l, const struct form_index *x,
    const bool *unindexed, size_t a, struct hits *h)
{
	const struct source *src = &l->sources[a];

	h->n = 0;
	if (!find_forms(x, src, h))
		return false;
	for (size_t b = 0; b < l->nsources; b++) {
		struct span_query q = { .quote = l->sources[b].headline };
		size_t count, before = h->n;

		if (!unindexed[b] || b == a)
			continue;
		h->owner = b;
		if (span_each(src->text, src->len, &q, true, collect_hit, h,
		    &count) != SPAN_OK || h->n - before != count)
			return false;
	}
	return true;
}

/* Finds every place where a source names another source's headline and
 * stores it as a cross-reference region linked to that source. */
static int
load_cross_references(struct loader *l)
{
	struct needle *needles = calloc(l->nsources + 1, sizeof(*needles));
	enum index_result *result = calloc(l->nsources + 1, sizeof(*result));
	bool *unindexed = calloc(l->nsources + 1, sizeof(*unindexed));
	struct form_index x = { 0 };
	struct hits h = { 0 };
	size_t n = 0;
	int rc = -1;

	if (needles == NULL || result == NULL || unindexed == NULL)
		goto fail_oom;
	for (size_t b = 0; b < l->nsources; b++)
		if (l->sources[b].headline != NULL)
			needles[n++] = (struct needle){ l->sources[b].headline, b };
	if (!form_index_build(&x, needles, n, result))
		goto fail_oom;
	/* A headline that does not begin with a word is searched for on its
	 * own. (Every headline was anchored as a quote, so all compile.) */
	for (size_t i = 0; i < n; i++)
		unindexed[needles[i].owner] = result[i] != INDEXED;
	for (size_t a = 0; a < l->nsources; a++) {
		if (!find_headlines(l, &x, unindexed, a, &h))
			goto fail_oom;
		if (h.n > 1)
			qsort(h.items, h.n, sizeof(*h.items), hit_order);
		for (size_t i = 0; i < h.n; i++)
			if (h.items[i].owner != a && add_region(l,
			    l->sources[a].id, &l->sources[a], "cross-reference",
			    h.items[i].start, h.items[i].end,
			    l->sources[h.items[i].owner].id) != 0)
				goto free_index;
	}
	rc = 0;
	goto free_index;

fail_oom:
	fail(l, NULL, "searching for cross-references: out of memory");
free_index:
	form_index_free(&x);
	free(h.items);
	free(unindexed);
	free(result);
	free(needles);
	return rc;
}

/* Longest row of an article in the search index, in bytes. */
#define SEARCH_ROW_MAX 4096

/*
 * Returns where the search row starting at `at` of a line ending at `end`
 * ends: the whole line when it is short, else after the last whitespace
 * (or on the last character boundary) within SEARCH_ROW_MAX bytes. FTS5's
 * highlight() costs the square of a row's matches, so no row may be long.
 */
static size_t
row_end(const char *text, size_t at, size_t end)
{
	size_t cut;

	if (end - at <= SEARCH_ROW_MAX)
		return end;
	cut = at + SEARCH_ROW_MAX;
	while (cut > at && text[cut - 1] != ' ' && text[cut - 1] != '\t')
		cut--;
	if (cut > at)
		return cut;
	cut = at + SEARCH_ROW_MAX;
	while (cut > at && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

/* Adds each non-empty line of a source to the search index, in rows of
 * at most SEARCH_ROW_MAX bytes. */
static int
index_source(struct loader *l, const struct source *src)
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
				return fail(l, src->id, "out of memory");
			rc = build_search(l->b, "source", src->id, at, row);
			free(row);
			if (rc != 0)
				return fail(l, src->id, "indexing: %s",
				    build_errmsg(l->b));
			at = cut;
		}
		at = end + 1;
	}
	return 0;
}

/* Adds a fact's words (joined by spaces) to the search index. */
static int
index_fact(struct loader *l, const char *kind, const char *id,
    const char *const *parts)
{
	struct text t = { 0 };
	char *body;
	size_t len;
	int rc;

	for (size_t i = 0; parts[i] != NULL; i++)
		text_printf(&t, "%s ", parts[i]);
	body = text_take(&t, &len);
	if (body == NULL)
		return fail(l, id, "out of memory");
	rc = build_search(l->b, kind, id, 0, body);
	free(body);
	return rc == 0 ? 0 : fail(l, id, "indexing: %s", build_errmsg(l->b));
}

static const char *const metadata_fields[] = { "headline", "publisher",
    "byline", "date", "url", NULL };

/* Stores the metadata fields of one source record. */
static int
load_metadata(struct loader *l, json_t *rec, struct source *src)
{
	static const char *const extra[] = { "value", NULL };

	for (size_t i = 0; metadata_fields[i] != NULL; i++) {
		const char *field = metadata_fields[i], *value;
		json_t *m = json_object_get(rec, field);
		json_t *cite_obj;
		int64_t span_id;
		char what[32];
		int rc;

		if (m == NULL || json_is_null(m))
			continue;
		snprintf(what, sizeof(what), "%s", field);
		if (!json_is_object(m))
			return fail(l, src->id, "\"%s\" must be null or an "
			    "object with a value", field);
		if (get_string(l, src->id, m, "value", true, &value) != 0)
			return -1;
		if (strcmp(field, "date") == 0 &&
		    !vocab_valid_date(value, strlen(value)))
			return fail(l, src->id, "date \"%s\" is not ISO 8601 "
			    "(YYYY, YYYY-MM or YYYY-MM-DD)", value);
		/* Without a quote, the value itself is quoted. */
		cite_obj = json_deep_copy(m);
		if (cite_obj == NULL)
			return fail(l, src->id, "out of memory");
		if (json_object_get(cite_obj, "quote") == NULL)
			json_object_set(cite_obj, "quote",
			    json_object_get(m, "value"));
		rc = cite(l, src->id, what, cite_obj, src, extra, &span_id);
		json_decref(cite_obj);
		if (rc != 0)
			return -1;
		if (build_source_field(l->b, src->id, field, value,
		    span_id) != 0)
			return fail(l, src->id, "storing %s: %s", field,
			    build_errmsg(l->b));
		if (strcmp(field, "headline") == 0 &&
		    (src->headline = strdup(value)) == NULL)
			return fail(l, src->id, "out of memory");
	}
	return 0;
}

static int
load_sources(struct loader *l, const char *data_dir, struct file *f)
{
	static const char *const keys[] = { "id", "file", "sha256",
	    "headline", "publisher", "byline", "date", "url", "regions", NULL };
	json_t *list = json_object_get(f->root, "sources"), *rec;
	size_t i;

	l->file = f;
	if (!json_is_array(list) || json_array_size(list) == 0)
		return fail(l, NULL, "\"sources\" must be a non-empty array");
	l->sources = calloc(json_array_size(list) + 1, sizeof(*l->sources));
	for (l->slot_mask = 15; l->slot_mask < 2 * json_array_size(list);
	     l->slot_mask = l->slot_mask * 2 + 1)
		;
	l->slots = calloc(l->slot_mask + 1, sizeof(*l->slots));
	if (l->sources == NULL || l->slots == NULL)
		return fail(l, NULL, "out of memory");
	json_array_foreach(list, i, rec) {
		const char *id, *file, *sha256, *base;
		struct source *src = &l->sources[i];
		struct utf8_pos length;
		char rec_name[32];

		snprintf(rec_name, sizeof(rec_name), "sources[%zu]", i);
		if (!json_is_object(rec))
			return fail(l, rec_name, "must be an object");
		if (get_string(l, rec_name, rec, "id", true, &id) != 0)
			return -1;
		if (!id_valid(id, strlen(id)))
			return fail(l, rec_name, "invalid id \"%s\"", id);
		if (find_source(l, id) != NULL)
			return fail(l, id, "duplicate source id");
		if (check_keys(l, id, rec, keys) != 0 ||
		    get_string(l, id, rec, "file", true, &file) != 0 ||
		    get_string(l, id, rec, "sha256", true, &sha256) != 0)
			return -1;
		if (read_article(l, data_dir, id, file, sha256, src) != 0)
			return -1;
		src->id = strdup(id);
		if (src->id == NULL)
			return fail(l, id, "out of memory");
		l->nsources++;
		remember_source(l);
		utf8_measure(src->text, src->len, &length);
		base = strrchr(file, '/');
		if (build_source(l->b, id, base != NULL ? base + 1 : file,
		    sha256, src->text, &length, i) != 0)
			return fail(l, id, "storing the source: %s",
			    build_errmsg(l->b));
		if (load_metadata(l, rec, src) != 0 ||
		    load_regions(l, rec, src) != 0 ||
		    index_source(l, src) != 0)
			return -1;
	}
	return load_cross_references(l);
}

/* Calls fn for every record of `kind` in every annotation file. */
static int
each_record(struct loader *l, const char *kind,
    int (*fn)(struct loader *, json_t *, const char *, size_t))
{
	size_t ordinal = 0;

	for (size_t f = 0; f < l->nfiles; f++) {
		json_t *list = json_object_get(l->files[f].root, kind), *rec;
		size_t i;

		l->file = &l->files[f];
		if (list == NULL)
			continue;
		if (!json_is_array(list))
			return fail(l, NULL, "\"%s\" must be an array", kind);
		json_array_foreach(list, i, rec) {
			const char *id;
			char rec_name[48];

			snprintf(rec_name, sizeof(rec_name), "%s[%zu]", kind, i);
			if (!json_is_object(rec))
				return fail(l, rec_name, "must be an object");
			if (get_string(l, rec_name, rec, "id", true, &id) != 0)
				return -1;
			if (!id_valid(id, strlen(id)))
				return fail(l, rec_name, "invalid id \"%s\"",
				    id);
			if (fn(l, rec, id, ordinal++) != 0)
				return -1;
		}
	}
	return 0;
}

/* Fails unless `table` has a record with this id. */
static int
require(struct loader *l, const char *record, const char *table,
    const char *id)
{
	int found = build_exists(l->b, table, id);

	if (found < 0)
		return fail(l, record, "%s", build_errmsg(l->b));
	if (found == 0)
		return fail(l, record, "refers to the unknown %s \"%s\"",
		    table, id);
	return 0;
}

/* Stores a fact's "evidence" array: at least one citation. */
static int
load_evidence(struct loader *l, const char *record, json_t *rec,
    enum build_fact fact, const char *fact_id, int64_t value_id)
{
	json_t *list = json_object_get(rec, "evidence"), *c;
	size_t i;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return fail(l, record, "\"evidence\" must be a non-empty "
		    "array of citations");
	json_array_foreach(list, i, c) {
		char what[32];
		int64_t span_id;

		snprintf(what, sizeof(what), "evidence[%zu]", i);
		const char *kind;

		if (cite(l, record, what, c, NULL, NULL, &span_id) != 0)
			return -1;
		kind = in_boilerplate(l->last_source, l->last_start,
		    l->last_end);
		if (kind != NULL)
			return fail(l, record, "%s: in source %s: cites a %s "
			    "region, which reports nothing", what,
			    l->last_source->id, kind);
		if (build_evidence(l->b, fact, fact_id, value_id, span_id) != 0)
			return fail(l, record, "storing evidence: %s",
			    build_errmsg(l->b));
	}
	return 0;
}

static int
load_parties(struct loader *l, const char *id, json_t *rec,
    enum build_fact fact)
{
	json_t *list = json_object_get(rec, "parties"), *p;
	size_t i;

	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return fail(l, id, "\"parties\" must be an array of "
		    "participant ids");
	json_array_foreach(list, i, p) {
		if (!json_is_string(p))
			return fail(l, id, "\"parties\" must be an array of "
			    "participant ids");
		if (require(l, id, "participant", json_string_value(p)) != 0)
			return -1;
		if (build_party(l->b, fact, id, json_string_value(p), i) != 0)
			return fail(l, id, "duplicate party \"%s\"",
			    json_string_value(p));
	}
	return 0;
}


static int
load_participant(struct loader *l, json_t *rec, const char *id,
    size_t ordinal)
{
	static const char *const keys[] = { "id", "name", "kind", "title",
	    "affiliation", "country", "role", "aliases", NULL };
	const char *name, *kind, *title, *affiliation, *country, *role;
	json_t *aliases, *a;
	size_t i;

	if (check_keys(l, id, rec, keys) != 0 ||
	    get_string(l, id, rec, "name", true, &name) != 0 ||
	    get_enum(l, id, rec, "kind", true, vocab_participant_kinds, &kind) != 0 ||
	    get_string(l, id, rec, "title", false, &title) != 0 ||
	    get_string(l, id, rec, "affiliation", false, &affiliation) != 0 ||
	    get_string(l, id, rec, "country", false, &country) != 0 ||
	    get_enum(l, id, rec, "role", true, vocab_participant_roles, &role) != 0)
		return -1;
	if (country != NULL && !vocab_valid_country(country))
		return fail(l, id, "country \"%s\" is not ISO 3166-1 alpha-2",
		    country);
	if (build_exists(l->b, "participant", id) != 0)
		return fail(l, id, "duplicate participant id");
	if (build_participant(l->b, id, name, kind, title, affiliation,
	    country, role, ordinal) != 0)
		return fail(l, id, "name \"%s\" is not unique: %s", name,
		    build_errmsg(l->b));
	if (index_fact(l, "participant", id, (const char *const[]){ name,
	    title != NULL ? title : "", affiliation != NULL ? affiliation : "",
	    NULL }) != 0)
		return -1;
	aliases = json_object_get(rec, "aliases");
	if (aliases == NULL)
		return 0;
	if (!json_is_array(aliases))
		return fail(l, id, "\"aliases\" must be an array of strings");
	json_array_foreach(aliases, i, a) {
		if (!json_is_string(a) || json_string_length(a) == 0)
			return fail(l, id, "\"aliases\" must be an array of "
			    "non-empty strings");
		if (build_alias(l->b, id, json_string_value(a), i) != 0)
			return fail(l, id, "alias \"%s\" is not unique",
			    json_string_value(a));
	}
	return 0;
}


static int
load_agreement(struct loader *l, json_t *rec, const char *id,
    size_t ordinal)
{
	static const char *const keys[] = { "id", "title", "date", "status",
	    "summary", "parties", "evidence", NULL };
	const char *title, *date, *status, *summary;

	if (check_keys(l, id, rec, keys) != 0 ||
	    get_string(l, id, rec, "title", true, &title) != 0 ||
	    get_string(l, id, rec, "date", false, &date) != 0 ||
	    get_enum(l, id, rec, "status", true, vocab_agreement_statuses,
	    &status) != 0 ||
	    get_string(l, id, rec, "summary", true, &summary) != 0)
		return -1;
	if (date != NULL && !vocab_valid_date(date, strlen(date)))
		return fail(l, id, "date \"%s\" is not ISO 8601 (YYYY, "
		    "YYYY-MM or YYYY-MM-DD)", date);
	if (build_agreement(l->b, id, title, date, status, summary,
	    ordinal) != 0)
		return fail(l, id, "duplicate agreement id");
	if (index_fact(l, "agreement", id, (const char *const[]){ title,
	    summary, NULL }) != 0)
		return -1;
	if (load_parties(l, id, rec, BUILD_AGREEMENT) != 0)
		return -1;
	return load_evidence(l, id, rec, BUILD_AGREEMENT, id, 0);
}


static int
load_outcome(struct loader *l, json_t *rec, const char *id, size_t ordinal)
{
	static const char *const keys[] = { "id", "kind", "status",
	    "timeframe", "timeframe_precision", "agreement", "parties",
	    "summary", "evidence", NULL };
	const char *kind, *status, *timeframe, *precision, *agreement,
	    *summary;

	if (check_keys(l, id, rec, keys) != 0 ||
	    get_enum(l, id, rec, "kind", true, vocab_outcome_kinds, &kind) != 0 ||
	    get_enum(l, id, rec, "status", true, vocab_outcome_statuses,
	    &status) != 0 ||
	    get_string(l, id, rec, "timeframe", false, &timeframe) != 0 ||
	    get_enum(l, id, rec, "timeframe_precision", false, vocab_precisions,
	    &precision) != 0 ||
	    get_string(l, id, rec, "agreement", false, &agreement) != 0 ||
	    get_string(l, id, rec, "summary", true, &summary) != 0)
		return -1;
	if (timeframe != NULL && !vocab_valid_timeframe(timeframe))
		return fail(l, id, "timeframe \"%s\" is not an ISO 8601 date "
		    "or interval", timeframe);
	if ((timeframe == NULL) != (precision == NULL))
		return fail(l, id, "timeframe and timeframe_precision go "
		    "together");
	if (agreement != NULL && require(l, id, "agreement", agreement) != 0)
		return -1;
	if (build_outcome(l->b, id, kind, status, timeframe, precision,
	    agreement, summary, ordinal) != 0)
		return fail(l, id, "duplicate outcome id");
	if (index_fact(l, "outcome", id, (const char *const[]){ summary,
	    NULL }) != 0)
		return -1;
	if (load_parties(l, id, rec, BUILD_OUTCOME) != 0)
		return -1;
	return load_evidence(l, id, rec, BUILD_OUTCOME, id, 0);
}

static int
load_claim(struct loader *l, json_t *rec, const char *id, size_t ordinal)
{
	static const char *const keys[] = { "id", "subject", "values", NULL };
	static const char *const value_keys[] = { "value", "evidence", NULL };
	const char *subject, **words;
	json_t *values, *v;
	size_t i;
	int rc = -1;

	if (check_keys(l, id, rec, keys) != 0 ||
	    get_string(l, id, rec, "subject", true, &subject) != 0)
		return -1;
	if (build_claim(l->b, id, subject, ordinal) != 0)
		return fail(l, id, "duplicate claim id");
	values = json_object_get(rec, "values");
	if (!json_is_array(values) || json_array_size(values) == 0)
		return fail(l, id, "\"values\" must be a non-empty array");
	words = calloc(json_array_size(values) + 2, sizeof(*words));
	if (words == NULL)
		return fail(l, id, "out of memory");
	words[0] = subject;
	json_array_foreach(values, i, v) {
		const char *value;
		int64_t value_id;

		if (!json_is_object(v)) {
			fail(l, id, "values[%zu] must be an object", i);
			goto free_words;
		}
		if (check_keys(l, id, v, value_keys) != 0 ||
		    get_string(l, id, v, "value", true, &value) != 0)
			goto free_words;
		words[i + 1] = value;
		if (build_claim_value(l->b, id, value, i, &value_id) != 0) {
			fail(l, id, "duplicate value \"%s\"", value);
			goto free_words;
		}
		if (load_evidence(l, id, v, BUILD_CLAIM_VALUE, id,
		    value_id) != 0)
			goto free_words;
	}
	rc = index_fact(l, "claim", id, words);
free_words:
	free(words);
	return rc;
}

/* The names under which a participant is found. */
struct names {
	const char *id;
	const struct file *file;
	json_t *forms;	/* array of strings: name, then aliases */
	size_t mentions;
};

/* Indexes every participant's name and aliases into x. Returns 0, or -1
 * via fail(); the caller frees x either way. */
static int
index_names(struct loader *l, struct names *names, size_t nnames,
    struct form_index *x)
{
	struct needle *needles;
	enum index_result *result;
	size_t n = 0;
	int rc = -1;

	for (size_t p = 0; p < nnames; p++)
		n += json_array_size(names[p].forms);
	needles = calloc(n + 1, sizeof(*needles));
	result = calloc(n + 1, sizeof(*result));
	if (needles == NULL || result == NULL) {
		fail(l, NULL, "out of memory");
		goto free_needles;
	}
	n = 0;
	for (size_t p = 0; p < nnames; p++) {
		json_t *v;
		size_t i;
		json_array_foreach(names[p].forms, i, v)
			needles[n++] = (struct needle){ json_string_value(v), p };
	}
	if (!form_index_build(x, needles, n, result)) {
		fail(l, NULL, "out of memory");
		goto free_needles;
	}
	for (size_t i = 0; i < n; i++) {
		const struct names *who = &names[needles[i].owner];
		if (result[i] == INDEXED)
			continue;
		l->file = who->file;
		fail(l, who->id, result[i] == INDEX_NO_WORD ? "name \"%s\" must "
		    "begin with a letter or digit" : "name \"%s\" cannot be "
		    "searched for", needles[i].text);
		goto free_needles;
	}
	rc = 0;
free_needles:
	free(result);
	free(needles);
	return rc;
}

/* Finds every mention of every participant in every source. */
static int
load_mentions(struct loader *l, struct names *names, size_t nnames)
{
	struct hits h = { 0 };
	struct form_index x = { 0 };
	int rc = -1;

	if (index_names(l, names, nnames, &x) != 0)
		goto free_index;
	for (size_t s = 0; s < l->nsources; s++) {
		struct source *src = &l->sources[s];
		size_t last_end = 0;

		h.n = 0;
		if (!find_forms(&x, src, &h)) {
			fail(l, src->id, "out of memory finding mentions");
			goto free_index;
		}
		if (h.n > 1)
			qsort(h.items, h.n, sizeof(*h.items), hit_order);
		for (size_t i = 0; i < h.n; i++) {
			struct hit *hit = &h.items[i];
			int64_t span_id;

			if (hit->start < last_end)
				continue;	/* inside a longer name */
			last_end = hit->end;
			l->file = names[hit->owner].file;
			if (store_span(l, names[hit->owner].id, src,
			    hit->start, hit->end, &span_id) != 0)
				goto free_index;
			if (build_mention(l->b, names[hit->owner].id,
			    span_id) != 0) {
				fail(l, names[hit->owner].id, "storing "
				    "a mention: %s", build_errmsg(l->b));
				goto free_index;
			}
			names[hit->owner].mentions++;
		}
	}
	for (size_t p = 0; p < nnames; p++)
		if (names[p].mentions == 0) {
			l->file = names[p].file;
			fail(l, names[p].id, "neither the name nor an alias "
			    "occurs in any source");
			goto free_index;
		}
	rc = 0;
free_index:
	form_index_free(&x);
	free(h.items);
	return rc;
}

/* Lists every participant with its name and aliases, in file order.
 * Stores a new array in *out (caller frees it and each forms). */
static int
gather_names(struct loader *l, struct names **out, size_t *count)
{
	struct names *names = NULL;
	size_t n = 0, cap = 0;

	for (size_t f = 0; f < l->nfiles; f++) {
		json_t *list = json_object_get(l->files[f].root,
		    "participants"), *rec;
		size_t i;

		json_array_foreach(list, i, rec) {
			json_t *aliases = json_object_get(rec, "aliases");
			json_t *forms = json_array();

			if (n == cap) {
				struct names *more;
				cap = cap == 0 ? 32 : cap * 2;
				more = realloc(names, cap * sizeof(*names));
				if (more == NULL) {
					json_decref(forms);
					goto fail_oom;
				}
				names = more;
			}
			json_array_append(forms, json_object_get(rec, "name"));
			if (json_is_array(aliases))
				json_array_extend(forms, aliases);
			names[n++] = (struct names){
			    json_string_value(json_object_get(rec, "id")),
			    &l->files[f], forms, 0 };
		}
	}
	*out = names;
	*count = n;
	return 0;

fail_oom:
	for (size_t i = 0; i < n; i++)
		json_decref(names[i].forms);
	free(names);
	return fail(l, NULL, "out of memory");
}

static int
load_annotations(struct loader *l, const char *data_dir)
{
	char dir[PATH_MAX];
	struct dirent **entries;
	struct names *names = NULL;
	size_t nnames = 0;
	int n, rc = -1;

	snprintf(dir, sizeof(dir), "%s/annotations", data_dir);
	n = scandir(dir, &entries, NULL, alphasort);
	if (n < 0)
		return fail(l, NULL, "%s: %s", dir, strerror(errno));
	l->files = calloc((size_t)n + 1, sizeof(*l->files));
	if (l->files == NULL) {
		fail(l, NULL, "out of memory");
		goto free_entries;
	}
	for (int i = 0; i < n; i++) {
		static const char *const kinds[] = { "participants",
		    "agreements", "outcomes", "claims", NULL };
		const char *name = entries[i]->d_name;
		size_t len = strlen(name);
		struct file *f = &l->files[l->nfiles];

		if (name[0] == '.' || len < 6 ||
		    strcmp(name + len - 5, ".json") != 0)
			continue;
		if (asprintf(&f->path, "%s/%s", dir, name) < 0) {
			f->path = NULL;
			fail(l, NULL, "out of memory");
			goto free_entries;
		}
		l->nfiles++;
		if (read_json(l, f) != 0 || check_keys(l, NULL, f->root,
		    kinds) != 0)
			goto free_entries;
	}
	if (each_record(l, "participants", load_participant) != 0 ||
	    each_record(l, "agreements", load_agreement) != 0 ||
	    each_record(l, "outcomes", load_outcome) != 0 ||
	    each_record(l, "claims", load_claim) != 0 ||
	    gather_names(l, &names, &nnames) != 0)
		goto free_entries;
	rc = load_mentions(l, names, nnames);
	for (size_t i = 0; i < nnames; i++)
		json_decref(names[i].forms);
	free(names);
free_entries:
	for (int i = 0; i < n; i++)
		free(entries[i]);
	free(entries);
	return rc;
}

/* Records the digest of every input (sources.json, the articles, the
 * annotation files by name) and the version that built the database. */
static int
store_digest(struct loader *l, const struct file *sources_file)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(sources_file->raw),
	    (const uint8_t *)sources_file->raw);
	for (size_t i = 0; i < l->nsources; i++)
		sha256_update(&ctx, l->sources[i].len + 1,
		    (const uint8_t *)l->sources[i].text);
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *name = strrchr(l->files[i].path, '/');
		name = name != NULL ? name + 1 : l->files[i].path;
		sha256_update(&ctx, strlen(name) + 1, (const uint8_t *)name);
		sha256_update(&ctx, strlen(l->files[i].raw) + 1,
		    (const uint8_t *)l->files[i].raw);
	}
	sha256_digest(&ctx, sizeof(d), d);
	digest_hex(d, sizeof(d), hex);
	if (build_meta(l->b, "data_sha256", hex) != 0 ||
	    build_meta(l->b, "built_by", "accord " ACCORD_VERSION) != 0)
		return fail(l, NULL, "storing the digest: %s",
		    build_errmsg(l->b));
	return 0;
}

static void
loader_free(struct loader *l)
{
	for (size_t i = 0; i < l->nsources; i++) {
		free(l->sources[i].id);
		free(l->sources[i].text);
		free(l->sources[i].headline);
		free(l->sources[i].regions);
	}
	/* A source that failed part-way may hold text but no id. */
	if (l->sources != NULL && l->sources[l->nsources].text != NULL)
		free(l->sources[l->nsources].text);
	free(l->sources);
	free(l->slots);
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i].path);
		free(l->files[i].raw);
		json_decref(l->files[i].root);
	}
	free(l->files);
}

/* fsyncs the directory holding path, so that a rename in it is durable. */
static int
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
load_run(const char *data_dir, const char *db_path, char *err, size_t errlen)
{
	struct loader l = { .err = err, .errlen = errlen };
	struct file sources_file = { 0 };
	char tmp[PATH_MAX];
	const char *slash;
	int fd, rc = -1;

	slash = strrchr(db_path, '/');
	if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp-XXXXXX",
	    slash == NULL ? 0 : (int)(slash - db_path + 1), db_path,
	    slash == NULL ? db_path : slash + 1) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", db_path);
		return -1;
	}
	if (asprintf(&sources_file.path, "%s/sources.json", data_dir) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (read_json(&l, &sources_file) != 0)
		goto free_loader;
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto free_loader;
	}
	if (fchmod(fd, 0644) != 0 ||
	    build_create(tmp, &l.b, err, errlen) != 0)
		goto remove_tmp;
	if (load_sources(&l, data_dir, &sources_file) != 0 ||
	    load_annotations(&l, data_dir) != 0 ||
	    store_digest(&l, &sources_file) != 0) {
		build_abort(l.b);
		goto remove_tmp;
	}
	l.file = NULL;
	/* build_finish ran integrity_check: what is left is to read the
	 * file as the daemon will, and every span against its text. */
	if (build_finish(l.b, err, errlen) != 0 ||
	    db_check_file(tmp, DB_CHECK_SPANS, err, errlen) != 0)
		goto remove_tmp;
	if (fsync(fd) != 0) {
		snprintf(err, errlen, "fsync %s: %s", tmp, strerror(errno));
		goto remove_tmp;
	}
	if (rename(tmp, db_path) != 0) {
		snprintf(err, errlen, "rename to %s: %s", db_path,
		    strerror(errno));
		goto remove_tmp;
	}
	if (sync_dir(db_path) != 0) {
		snprintf(err, errlen, "fsync directory of %s: %s", db_path,
		    strerror(errno));
		goto close_fd;
	}
	rc = 0;
	goto close_fd;

remove_tmp:
	unlink(tmp);
close_fd:
	close(fd);
free_loader:
	loader_free(&l);
	free(sources_file.path);
	free(sources_file.raw);
	json_decref(sources_file.root);
	return rc;
}
