/* mention: finds where the articles name each participant (by its name or
 * an alias) and stores those mentions. */
#ifndef ACCORD_MENTION_H
#define ACCORD_MENTION_H

#include <stdbool.h>

#include "build.h"
#include "input.h"
#include "source.h"

/*
 * Finds every whole-word occurrence, in every source of all, of the name
 * or an alias of every participant of files[0..nfiles) (annotation files,
 * read, whose participants are stored and checked, but for those whose
 * usable[j] is false, j counting the participants of every file in
 * order: they failed to load), and stores each as a
 * mention; where names overlap, the longest wins. Fails when a name cannot
 * be searched for or a participant is never mentioned (not said when a
 * source failed to load: the participant may be named there). Returns 0,
 * or -1 via input_fail.
 */
int mention_load(struct input *in, struct build *b, struct sources *all,
    const struct input_file *files, size_t nfiles, const bool *usable);

#endif
