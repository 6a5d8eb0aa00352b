/* dispute: who says what in a claim: each value's speakers, and the sides
 * of a dispute, derived from the values' attributed evidence and the
 * curated relations between them (no SQL: it reads records as rendered). */
#ifndef ACCORD_DISPUTE_H
#define ACCORD_DISPUTE_H

#include <jansson.h>

/*
 * Appends to list (a JSON array) the speakers of the attributed spans of
 * evidence (an array of spans, each with "attribution"), each once: the
 * span's attributed_to ({id, name} or {description, anonymous}), or
 * {"voice": "reporter", "source": its source} for the reporter's own
 * voice. Borrows evidence; list gains new references.
 */
void dispute_add_speakers(json_t *list, json_t *evidence);

/*
 * Returns a new array of a disputed claim's sides, or NULL when out of
 * memory: values (the claim's rendered values, each with "key" and
 * "evidence") that give one fact at two levels of detail ("same",
 * "more-specific", "different-precision" in relations, the claim's
 * [{values: [key, key], relation}]) form one side; a side is listed when
 * it holds a value of a "contradicts" pair, in value order, as {values:
 * [keys], speakers: [...]}. A value related only as "different-aspect" is
 * on no side. Borrows values and relations.
 */
json_t *dispute_sides(json_t *values, json_t *relations);

#endif
