#include "source.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "hash.h"

bool
source_init_all(struct sources *all, size_t count)
{
	all->items = calloc(count + 1, sizeof(*all->items));
	for (all->mask = 15; all->mask < 2 * count;
	     all->mask = all->mask * 2 + 1)
		;
	all->slots = calloc(all->mask + 1, sizeof(*all->slots));
	return all->items != NULL && all->slots != NULL;
}

void
source_free_all(struct sources *all)
{
	for (size_t i = 0; i < all->n; i++) {
		free(all->items[i].id);
		free(all->items[i].text);
		free(all->items[i].headline);
		free(all->items[i].regions);
		suffix_free(all->items[i].index);
	}
	/* A source that failed part-way may hold text but no id. */
	if (all->items != NULL && all->items[all->n].text != NULL)
		free(all->items[all->n].text);
	free(all->items);
	free(all->slots);
	for (size_t i = 0; i < all->nfailed; i++)
		free(all->failed[i]);
	free(all->failed);
}

bool
source_failed(struct sources *all, const char *id)
{
	char **more = realloc(all->failed, (all->nfailed + 1) *
	    sizeof(*more));

	if (more == NULL)
		return false;
	all->failed = more;
	all->failed[all->nfailed] = strdup(id);
	return all->failed[all->nfailed++] != NULL;
}

bool
source_is_failed(const struct sources *all, const char *id)
{
	for (size_t i = 0; i < all->nfailed; i++)
		if (all->failed[i] != NULL && strcmp(all->failed[i], id) == 0)
			return true;
	return false;
}

/* The first slot to try for id. */
static size_t
slot_of(const struct sources *all, const char *id)
{
	return (size_t)hash_fnv1a(id, strlen(id), HASH_FNV1A_BASIS) &
	    all->mask;
}

struct source *
source_find(const struct sources *all, const char *id)
{
	size_t i = slot_of(all, id);

	for (; all->slots[i] != 0; i = (i + 1) & all->mask)
		if (strcmp(all->items[all->slots[i] - 1].id, id) == 0)
			return &all->items[all->slots[i] - 1];
	return NULL;
}

void
source_add(struct sources *all)
{
	size_t i = slot_of(all, all->items[all->n].id);

	while (all->slots[i] != 0)
		i = (i + 1) & all->mask;
	all->slots[i] = ++all->n;
}

int
source_read(struct input *in, const char *data_dir, const char *id,
    const char *file, const char *sha256, struct source *src)
{
	char path[PATH_MAX], why[256], actual[65];
	size_t line, col;

	if (file[0] == '/' || strstr(file, "..") != NULL)
		return input_fail(in, id, "\"file\" must be a path inside the "
		    "data directory");
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", data_dir, file) >=
	    sizeof(path))
		return input_fail(in, id, "path too long");
	src->text = input_read_file(path, &src->len, why, sizeof(why));
	if (src->text == NULL)
		return input_fail(in, id, "%s: %s", path, why);
	if (!input_valid_utf8(src->text, src->len, &line, &col))
		return input_fail(in, id, "%s:%zu:%zu: invalid UTF-8", path,
		    line, col);
	digest_sha256_hex(src->text, src->len, actual);
	if (strcmp(actual, sha256) != 0)
		return input_fail(in, id, "%s: sha256 is %s, sources.json "
		    "says %s", path, actual, sha256);
	return 0;
}

bool
source_add_region(struct source *src, const char *kind, size_t start,
    size_t end)
{
	struct source_region *more;

	more = realloc(src->regions, (src->nregions + 1) * sizeof(*more));
	if (more == NULL)
		return false;
	src->regions = more;
	src->regions[src->nregions++] = (struct source_region){ kind, start,
	    end };
	return true;
}

/* Regions whose words report nothing: evidence may not cite them. */
static const char *const not_reporting[] = { "advertisement", "related-link",
    "subscription", "share", "cross-reference", NULL };

/* Where no mention is searched for: boilerplate, but not captions (their
 * names are mentions) nor cross-references (reporting that names another
 * article). */
static const char *const unsearched[] = { "advertisement", "related-link",
    "subscription", "share", "section-label", "source-line", "credit",
    "print-edition", "slug", NULL };

/* Returns the kind of a region of src of one of kinds overlapping the
 * bytes [start, end), or NULL. */
static const char *
overlapping(const struct source *src, size_t start, size_t end,
    const char *const *kinds)
{
	for (size_t i = 0; i < src->nregions; i++) {
		const struct source_region *r = &src->regions[i];
		if (r->start < end && start < r->end)
			for (size_t k = 0; kinds[k] != NULL; k++)
				if (strcmp(r->kind, kinds[k]) == 0)
					return r->kind;
	}
	return NULL;
}

const char *
source_unsearched(const struct source *src, size_t start, size_t end)
{
	return overlapping(src, start, end, unsearched);
}

const char *
source_boilerplate(const struct source *src, size_t start, size_t end)
{
	return overlapping(src, start, end, not_reporting);
}
