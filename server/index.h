/* index: the rows of the full-text search index, for articles and for
 * facts. */
#ifndef ACCORD_INDEX_H
#define ACCORD_INDEX_H

#include "build.h"
#include "input.h"
#include "source.h"

/* Longest row of an article in the search index, in bytes. */
#define INDEX_ROW_MAX 4096

/*
 * Adds each non-empty line of src to the search index, with the byte
 * offset where it starts, in rows of at most INDEX_ROW_MAX bytes cut after
 * whitespace where they can be. Returns 0, or -1 via input_fail.
 */
int index_source(struct input *in, struct build *b,
    const struct source *src);

/*
 * Adds a fact (kind "participant", "agreement", "outcome" or "claim") to
 * the search index: parts (NULL-terminated, borrowed) each followed by a
 * space. Returns 0, or -1 via input_fail for the fact's id.
 */
int index_fact(struct input *in, struct build *b, const char *kind,
    const char *id, const char *const *parts);

#endif
