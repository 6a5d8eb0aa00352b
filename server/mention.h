/* mention: finds where the articles name each participant (by its name or
 * an alias) and stores those mentions. */
#ifndef ACCORD_MENTION_H
#define ACCORD_MENTION_H

#include <stdbool.h>

#include "build.h"
#include "input.h"
#include "source.h"

struct mention_pass;

/*
 * Starts finding every whole-word occurrence, in every source of all, of
 * the name or an alias of every participant of files[0..nfiles)
 * (annotation files, read, whose participants are stored and checked, but
 * for those whose usable[j] is false, j counting the participants of every
 * file in order: they failed to load): on a second thread, while the
 * caller goes on loading facts. The sources, files and usable must not
 * change until mention_finish. Reports nothing but a lack of memory
 * (then returns NULL, via input_fail); returns the pass for
 * mention_finish.
 */
struct mention_pass *mention_start(struct input *in, struct sources *all,
    const struct input_file *files, size_t nfiles, const bool *usable);

/*
 * Stores each occurrence p found as a mention; where names overlap, the
 * longest wins. Fails when a name cannot be searched for or a participant
 * is never mentioned (not said when a source failed to load: the
 * participant may be named there). Frees p (NULL: returns -1, its error
 * reported). Returns 0, or -1 via input_fail.
 */
int mention_finish(struct input *in, struct build *b,
    struct mention_pass *p);

#endif
