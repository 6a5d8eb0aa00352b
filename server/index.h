/* index: the rows of the full-text search index, for articles and for
 * facts. */
#ifndef ACCORD_INDEX_H
#define ACCORD_INDEX_H

#include "build.h"
#include "input.h"
#include "source.h"

/*
 * Adds src to the search index as one row, its whole text, labelled with
 * its headline (none when it has none): a query then matches the article
 * when the article as a whole matches it. Returns 0, or -1 via
 * input_fail.
 */
int index_source(struct input *in, struct build *b,
    const struct source *src);

/*
 * Adds a fact (kind "participant", "agreement", "outcome" or "claim") to
 * the search index: parts (NULL-terminated, borrowed) each followed by a
 * space, labelled with parts[0] (its name, title, summary or subject).
 * Returns 0, or -1 via input_fail for the fact's id.
 */
int index_fact(struct input *in, struct build *b, const char *kind,
    const char *id, const char *const *parts);

#endif
