/* value: a claim value's type (annotation format 2), and the curated
 * relations between a claim's values and its dispute. */
#ifndef ACCORD_VALUE_H
#define ACCORD_VALUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "input.h"

/*
 * Checks and stores the typed parts of v, values[i] of claim_id, stored as
 * value_id: "key" (an id, unique in the claim; required when keyed),
 * "type" (text, the default; quantity, with "quantity": {bound, amount,
 * counts}; date, whose "value" is ISO 8601; participant, with
 * "participant": a known id). Returns 0, or -1 via input_fail.
 */
int value_type(struct input *in, struct build *b, const char *claim_id,
    json_t *v, size_t i, bool keyed, int64_t value_id);

/*
 * Checks and stores the claim rec's "relations" ([{values: [key, key],
 * relation, note?}], keys of its values) and "dispute" ({reason}):
 * present exactly when some relation is "contradicts". Returns 0, or -1
 * via input_fail.
 */
int value_relations(struct input *in, struct build *b, const char *claim_id,
    json_t *rec);

#endif
