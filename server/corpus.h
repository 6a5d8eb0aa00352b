/* corpus: loads sources.json: each article, its metadata and regions, and
 * the cross-references between articles. */
#ifndef ACCORD_CORPUS_H
#define ACCORD_CORPUS_H

#include "build.h"
#include "input.h"
#include "source.h"

/*
 * Reads every source record of f (sources.json, read), checks it, reads
 * its article from data_dir and stores the source, its metadata, its
 * regions and its search rows in b; then finds and stores every
 * cross-reference (one article naming another's headline). Fills all
 * (empty), which the caller frees with source_free_all whatever the
 * result. Every record is tried, even after one fails: each error is
 * counted in in (input_fail), and a source that fails before it is read
 * is left out of all. Returns -1 when there is no source list at all,
 * else 0.
 */
int corpus_load(struct input *in, struct build *b, const char *data_dir,
    const struct input_file *f, struct sources *all);

#endif
