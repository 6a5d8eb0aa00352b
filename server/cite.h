/* cite: the attribution of an evidence citation (annotation format 2):
 * who says the quoted words (attributed_to), through whom (via), how
 * (stance), how sure (certainty) and as of when (as_of). */
#ifndef ACCORD_CITE_H
#define ACCORD_CITE_H

#include <jansson.h>
#include <stdint.h>

#include "build.h"
#include "input.h"

/* The keys of a citation cite_attribute reads (NULL-terminated), for
 * anchor_cite's extra_keys. */
extern const char *const cite_keys[];

/*
 * Checks and stores the attribution of the citation c (an object) of
 * record, named `what` in messages ("evidence[0]"): attributed_to (a
 * participant id, a described speaker {description, anonymous}, or
 * null/absent for the reporter's voice), via (an array of the same, every
 * participant known), stance (required with a speaker; "reported", the
 * default, without one), certainty (default "asserted") and as_of (an
 * ISO 8601 date, or null). Stores the new attribution's id in
 * *attribution_id. Returns 0, or -1 via input_fail.
 */
int cite_attribute(struct input *in, struct build *b, const char *record,
    const char *what, json_t *c, int64_t *attribution_id);

#endif
