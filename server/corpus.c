#include "corpus.h"

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "id.h"
#include "index.h"
#include "matcher.h"
#include "utf8.h"
#include "vocab.h"

/* What every function of this file works on. */
struct corpus {
	struct input *in;
	struct build *b;
	struct sources *all;
};

static const char *const metadata_fields[] = { "headline", "publisher",
    "byline", "date", "url", NULL };

/* Remembers the place a as a region of its source and stores it, linked to
 * the source links_to (or NULL). kind must be a static string. */
static int
add_region(struct corpus *c, const char *record, const struct anchor *a,
    const char *kind, const char *links_to)
{
	int64_t span_id;

	if (!source_add_region(a->source, kind, a->start, a->end))
		return input_fail(c->in, record, "out of memory");
	if (anchor_store(c->in, c->b, record, a, &span_id) != 0)
		return -1;
	if (build_region(c->b, a->source->id, kind, span_id, links_to) != 0)
		return input_fail(c->in, record, "storing a %s region: %s",
		    kind, build_errmsg(c->b));
	return 0;
}

/* Stores the region r, `what` of src. */
static int
load_region(struct corpus *c, struct source *src, const char *what,
    json_t *r)
{
	static const char *const extra[] = { "kind", NULL };
	const char *kind;
	struct anchor a;
	size_t k = 0;

	if (!json_is_object(r))
		return input_fail(c->in, src->id, "%s must be an object",
		    what);
	if (input_enum(c->in, src->id, r, "kind", true, vocab_region_kinds,
	    &kind) != 0 ||
	    anchor_cite(c->in, c->all, src->id, what, r, src, extra, &a) != 0)
		return -1;
	while (strcmp(vocab_region_kinds[k], kind) != 0)
		k++;
	return add_region(c, src->id, &a, vocab_region_kinds[k], NULL);
}

/* Stores the "regions" of one source record: boilerplate by kind, each
 * tried even after one fails. */
static int
load_regions(struct corpus *c, json_t *rec, struct source *src)
{
	json_t *list = json_object_get(rec, "regions"), *r;
	size_t i;
	int rc = 0;

	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return input_fail(c->in, src->id, "\"regions\" must be an "
		    "array");
	json_array_foreach(list, i, r) {
		char what[32];

		snprintf(what, sizeof(what), "regions[%zu]", i);
		rc |= load_region(c, src, what, r);
	}
	return rc;
}

/* Anchors and stores one metadata field m of src: {value, quote?, ...},
 * the value itself being quoted when there is no quote. */
static int
load_field(struct corpus *c, struct source *src, const char *field,
    json_t *m)
{
	static const char *const extra[] = { "value", NULL };
	const char *value;
	json_t *cite_obj;
	struct anchor a;
	int64_t span_id;
	int rc;

	if (!json_is_object(m))
		return input_fail(c->in, src->id, "\"%s\" must be null or an "
		    "object with a value", field);
	if (input_string(c->in, src->id, m, "value", true, &value) != 0)
		return -1;
	if (strcmp(field, "date") == 0 &&
	    !vocab_valid_date(value, strlen(value)))
		return input_fail(c->in, src->id, "date \"%s\" is not ISO 8601 "
		    "(YYYY, YYYY-MM or YYYY-MM-DD)", value);
	cite_obj = json_deep_copy(m);
	if (cite_obj == NULL)
		return input_fail(c->in, src->id, "out of memory");
	if (json_object_get(cite_obj, "quote") == NULL)
		json_object_set(cite_obj, "quote", json_object_get(m, "value"));
	rc = anchor_cite(c->in, c->all, src->id, field, cite_obj, src, extra,
	    &a);
	if (rc == 0)
		rc = anchor_store(c->in, c->b, src->id, &a, &span_id);
	json_decref(cite_obj);
	if (rc != 0)
		return -1;
	if (build_source_field(c->b, src->id, field, value, span_id) != 0)
		return input_fail(c->in, src->id, "storing %s: %s", field,
		    build_errmsg(c->b));
	if (strcmp(field, "headline") == 0 &&
	    (src->headline = strdup(value)) == NULL)
		return input_fail(c->in, src->id, "out of memory");
	return 0;
}

/* Stores the metadata fields of one source record. */
static int
load_metadata(struct corpus *c, json_t *rec, struct source *src)
{
	int rc = 0;

	for (size_t i = 0; metadata_fields[i] != NULL; i++) {
		json_t *m = json_object_get(rec, metadata_fields[i]);

		if (m != NULL && !json_is_null(m))
			rc |= load_field(c, src, metadata_fields[i], m);
	}
	return rc;
}

/* Fails for a second source record with this id, saying where the
 * first is. */
static int
duplicate(struct corpus *c, const char *id)
{
	const struct input_file *f = c->in->file;
	json_t *rec;
	size_t i, n;
	size_t *at = input_items(f, "sources", &n);
	char first[PATH_MAX + 48];

	json_array_foreach(json_object_get(f->root, "sources"), i, rec)
		if (json_is_string(json_object_get(rec, "id")) &&
		    strcmp(json_string_value(json_object_get(rec, "id")),
		    id) == 0)
			break;
	input_locate(f, at != NULL && i < n ? at[i] : 0, id, first,
	    sizeof(first));
	free(at);
	return input_fail(c->in, id, "duplicate source id; the first is at "
	    "%s; give the new source another id (data/README.md, \"Add an "
	    "article\", step 2)", first);
}

/* Reads, checks and stores the source record rec, the i-th. */
static int
load_source(struct corpus *c, const char *data_dir, json_t *rec, size_t i)
{
	static const char *const keys[] = { "id", "file", "sha256",
	    "headline", "publisher", "byline", "date", "url", "regions", NULL };
	const char *id, *file, *sha256, *base;
	struct source *src = &c->all->items[c->all->n];
	struct utf8_pos length;
	char rec_name[32];

	snprintf(rec_name, sizeof(rec_name), "sources[%zu]", i);
	if (!json_is_object(rec))
		return input_fail(c->in, rec_name, "must be an object");
	if (input_string(c->in, rec_name, rec, "id", true, &id) != 0)
		return -1;
	if (!id_valid(id, strlen(id)))
		return input_fail(c->in, rec_name, "invalid id \"%s\"", id);
	if (source_find(c->all, id) != NULL)
		return duplicate(c, id);
	if (input_check_keys(c->in, id, rec, keys) != 0 ||
	    input_string(c->in, id, rec, "file", true, &file) != 0 ||
	    input_string(c->in, id, rec, "sha256", true, &sha256) != 0 ||
	    source_read(c->in, data_dir, id, file, sha256, src) != 0)
		return -1;
	src->id = strdup(id);
	if (src->id == NULL)
		return input_fail(c->in, id, "out of memory");
	source_add(c->all);
	utf8_measure(src->text, src->len, &length);
	base = strrchr(file, '/');
	if (build_source(c->b, id, base != NULL ? base + 1 : file, sha256,
	    src->text, &length, i) != 0)
		return input_fail(c->in, id, "storing the source: %s",
		    build_errmsg(c->b));
	/* Every field and region is tried, even after one fails. */
	return (load_metadata(c, rec, src) | load_regions(c, rec, src) |
	    index_source(c->in, c->b, src)) != 0 ? -1 : 0;
}

/* The sources whose headline could not be indexed, in order. */
struct unindexed {
	size_t *items;
	size_t n;
};

/* Collects in h the cross-references of source a: every whole-word
 * occurrence of another source's headline. Headlines are indexed in m;
 * those that could not be (not beginning with a word), listed in u, are
 * searched for one by one. Returns false when out of memory. */
static bool
find_headlines(const struct sources *all, const struct matcher *m,
    const struct unindexed *u, size_t a, struct matcher_hits *h)
{
	const struct source *src = &all->items[a];

	h->n = 0;
	if (!matcher_find(m, src->text, src->len, h))
		return false;
	for (size_t i = 0; i < u->n; i++)
		if (u->items[i] != a && !matcher_find_one(
		    all->items[u->items[i]].headline, u->items[i], src->text,
		    src->len, h))
			return false;
	return true;
}

/* Indexes every headline of all into m, and lists in u those that could
 * not be (they do not begin with a word; every headline was anchored as a
 * quote, so all compile), so that each source is not walked through all
 * the others. Returns false when out of memory; the caller frees m either
 * way. */
static bool
index_headlines(const struct sources *all, struct matcher *m,
    struct unindexed *u)
{
	struct matcher_needle *needles = calloc(all->n + 1, sizeof(*needles));
	enum matcher_result *result = calloc(all->n + 1, sizeof(*result));
	size_t n = 0;
	bool ok = false;

	if (needles == NULL || result == NULL)
		goto free_needles;
	for (size_t b = 0; b < all->n; b++)
		if (all->items[b].headline != NULL)
			needles[n++] = (struct matcher_needle){
			    all->items[b].headline, b };
	if (!matcher_build(m, needles, n, result))
		goto free_needles;
	for (size_t i = 0; i < n; i++)
		if (result[i] != MATCHER_INDEXED)
			u->items[u->n++] = needles[i].owner;
	ok = true;
free_needles:
	free(result);
	free(needles);
	return ok;
}

/* Finds every place where a source names another source's headline and
 * stores it as a cross-reference region linked to that source. */
static int
load_cross_references(struct corpus *c)
{
	struct unindexed u = { calloc(c->all->n + 1, sizeof(size_t)), 0 };
	struct matcher m = { 0 };
	struct matcher_hits h = { 0 };
	int rc = -1;

	if (u.items == NULL || !index_headlines(c->all, &m, &u))
		goto fail_oom;
	for (size_t a = 0; a < c->all->n; a++) {
		struct source *src = &c->all->items[a];

		if (!find_headlines(c->all, &m, &u, a, &h))
			goto fail_oom;
		matcher_sort(&h);
		for (size_t i = 0; i < h.n; i++)
			if (h.items[i].owner != a && add_region(c, src->id,
			    &(struct anchor){ src, h.items[i].start,
			    h.items[i].end }, "cross-reference",
			    c->all->items[h.items[i].owner].id) != 0)
				goto free_matcher;
	}
	rc = 0;
	goto free_matcher;

fail_oom:
	input_fail(c->in, NULL, "searching for cross-references: out of "
	    "memory");
free_matcher:
	matcher_free(&m);
	free(h.items);
	free(u.items);
	return rc;
}

int
corpus_load(struct input *in, struct build *b, const char *data_dir,
    const struct input_file *f, struct sources *all)
{
	struct corpus c = { in, b, all };
	json_t *list = json_object_get(f->root, "sources"), *rec;
	size_t i, n = 0;
	size_t *at;

	in->file = f;
	if (!json_is_array(list) || json_array_size(list) == 0)
		return input_fail(in, NULL, "\"sources\" must be a non-empty "
		    "array");
	if (!source_init_all(all, json_array_size(list)))
		return input_fail(in, NULL, "out of memory");
	at = input_items(f, "sources", &n);
	json_array_foreach(list, i, rec) {
		struct source *partial = &all->items[all->n];

		in->record_at = at != NULL && i < n ? at[i] : 0;
		/* A source that fails before it is added is dropped; the
		 * others go on. */
		if (load_source(&c, data_dir, rec, i) != 0 && partial ==
		    &all->items[all->n]) {
			json_t *id = json_object_get(rec, "id");
			free(partial->text);
			free(partial->id);
			*partial = (struct source){ 0 };
			if (json_is_string(id) && !source_failed(all,
			    json_string_value(id)))
				input_fail(in, NULL, "out of memory");
		}
	}
	in->record_at = 0;
	free(at);
	return load_cross_references(&c);
}
