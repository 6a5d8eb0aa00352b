/* source: the articles in memory while a database is built: their text,
 * their regions, and finding one by id. */
#ifndef ACCORD_SOURCE_H
#define ACCORD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"
#include "suffix.h"
#include "utf8.h"

/* A region of a source, kept to check citations against. */
struct source_region {
	const char *kind;	/* a static string */
	size_t start, end;	/* bytes */
};

/* An article. It owns its strings and regions. */
struct source {
	char *id;
	char *text;		/* valid UTF-8, NUL-terminated */
	size_t len;		/* bytes */
	char *headline;		/* its headline value, or NULL */
	struct source_region *regions;
	size_t nregions;
	struct utf8_pos hint;	/* the last span's start, to measure from */
	struct suffix *index;	/* its suffix array, made for its first
				   span (anchor_store), or NULL */
};

/* The sources of sources.json in their order, findable by id. */
struct sources {
	struct source *items;	/* n read, and room for the rest */
	size_t n;
	size_t *slots;		/* by id hash: index + 1, or 0 */
	size_t mask;		/* slots - 1 */
	char **failed;		/* ids of the records that failed to load */
	size_t nfailed;
};

/* Makes room in all (empty) for count sources. Returns false when out of
 * memory; source_free_all frees what was made either way. */
bool source_init_all(struct sources *all, size_t count);

/* Frees every source of all, a source read part-way included. */
void source_free_all(struct sources *all);

/* Returns the source with this id, or NULL. */
struct source *source_find(const struct sources *all, const char *id);

/* Remembers id as a source record that failed to load (its error
 * reported): citing it is then no error of its own. Returns false when
 * out of memory. */
bool source_failed(struct sources *all, const char *id);

/* Returns true when id is a source record that failed to load. */
bool source_is_failed(const struct sources *all, const char *id);

/* Counts all->items[all->n] (its id set) in and makes it findable. */
void source_add(struct sources *all);

/*
 * Reads data_dir/file into src->text and src->len, and checks that it is
 * inside data_dir, valid UTF-8 and has this sha256 (64 hex digits).
 * Returns 0, or -1 via input_fail for the record id; src->text may then
 * hold the text, for source_free_all.
 */
int source_read(struct input *in, const char *data_dir, const char *id,
    const char *file, const char *sha256, struct source *src);

/* Remembers [start, end) (bytes) as a region of src of this kind (a static
 * string). Returns false when out of memory. */
bool source_add_region(struct source *src, const char *kind, size_t start,
    size_t end);

/* Returns the kind of a boilerplate region of src overlapping the bytes
 * [start, end) where mentions are not searched for (advertisement,
 * related-link, subscription, share, section-label, source-line, credit,
 * print-edition, slug; a static string), or NULL. */
const char *source_unsearched(const struct source *src, size_t start,
    size_t end);

/* Returns the kind of a region of src that reports nothing (an
 * advertisement, say) which [start, end) (bytes) overlaps, or NULL. */
const char *source_boilerplate(const struct source *src, size_t start,
    size_t end);

#endif
