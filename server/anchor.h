/* anchor: cites a quote of a source: finds the one place it stands, and
 * stores that place as a span. */
#ifndef ACCORD_ANCHOR_H
#define ACCORD_ANCHOR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "input.h"
#include "source.h"

/* Where a quote stands. */
struct anchor {
	struct source *source;	/* borrowed */
	size_t start, end;	/* bytes */
};

/*
 * Anchors the citation c: {source, quote, prefix?, suffix?, occurrence?},
 * whose source is looked up in all. With only non-NULL, that is the one
 * source allowed and c may leave "source" out. extra_keys (NULL-terminated,
 * or NULL) are the other keys c may have. record and what (the citation's
 * name in the record, e.g. "evidence[0]") name it in messages.
 * Stores the place in *out and returns 0, or -1 via input_fail (-1
 * without a message for a source that failed to load: its own error is
 * reported, and every citation of it would repeat it). A quote
 * that matches nowhere fails with a hint after the reason: where the
 * article comes nearest to prefix, quote and suffix, and what differs
 * (nearest_hint); it never matches for that.
 */
int anchor_cite(struct input *in, const struct sources *all,
    const char *record, const char *what, json_t *c, struct source *only,
    const char *const *extra_keys, struct anchor *out);

/*
 * Describes the place a in its source's text (in code points, bytes and
 * UTF-16 units, with context) and stores it as a span, whose rowid goes to
 * *span_id. Returns 0, or -1 via input_fail for record.
 */
int anchor_store(struct input *in, struct build *b, const char *record,
    const struct anchor *a, int64_t *span_id);

#endif
