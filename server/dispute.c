#include "dispute.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Appends item (stolen; NULL is ignored) to list unless list holds an
 * equal one. */
static void
append_unique(json_t *list, json_t *item)
{
	json_t *x;
	size_t i;

	if (item == NULL)
		return;
	json_array_foreach(list, i, x)
		if (json_equal(x, item)) {
			json_decref(item);
			return;
		}
	json_array_append_new(list, item);
}

/* Appends to list the speakers of the attributed spans of evidence: each
 * span's attributed_to ({id, name} or {description, anonymous}), or
 * {"voice": "reporter", "source": its source} for the reporter's voice,
 * each once. */
void
dispute_add_speakers(json_t *list, json_t *evidence)
{
	json_t *span;
	size_t i;

	json_array_foreach(evidence, i, span) {
		json_t *to = json_object_get(json_object_get(span,
		    "attribution"), "attributed_to");
		append_unique(list, json_is_object(to) ? json_incref(to) :
		    json_pack("{s:s, s:O}", "voice", "reporter", "source",
		    json_object_get(span, "source")));
	}
}

/* Returns the position in values of the value with this key, or n. */
static size_t
value_at(json_t *values, const char *key)
{
	json_t *value;
	size_t i;

	json_array_foreach(values, i, value) {
		const char *k = json_string_value(json_object_get(value,
		    "key"));
		if (key != NULL && k != NULL && strcmp(k, key) == 0)
			return i;
	}
	return json_array_size(values);
}

/* Returns the first value of x's side in the union-find forest side. */
static size_t
side_of(const size_t *side, size_t x)
{
	while (side[x] != x)
		x = side[x];
	return x;
}

/* Groups the values into sides: values that give one fact at two levels
 * of detail ("same", "more-specific", "different-precision") are on one
 * side (side[], a forest of n + 1); "different-aspect" is compatible with
 * either side and joins neither. Marks in contested the values of a
 * "contradicts" pair. */
static void
group_sides(json_t *values, json_t *relations, size_t *side,
    bool *contested)
{
	size_t n = json_array_size(values);
	json_t *r;
	size_t i;

	for (i = 0; i <= n; i++)
		side[i] = i;
	json_array_foreach(relations, i, r) {
		json_t *pair = json_object_get(r, "values");
		size_t a = value_at(values, json_string_value(
		    json_array_get(pair, 0)));
		size_t b = value_at(values, json_string_value(
		    json_array_get(pair, 1)));
		const char *how = json_string_value(json_object_get(r,
		    "relation"));

		if (a == n || b == n || how == NULL)
			continue;
		if (strcmp(how, "contradicts") == 0) {
			contested[a] = contested[b] = true;
		} else if (strcmp(how, "different-aspect") != 0) {
			size_t ra = side_of(side, a), rb = side_of(side, b);
			side[ra > rb ? ra : rb] = ra < rb ? ra : rb;
		}
	}
}

/* Returns the dispute's sides (new array): each group of values (see
 * group_sides) holding one of a contradicting pair, in value order, with
 * its values' keys and their speakers. */
json_t *
dispute_sides(json_t *values, json_t *relations)
{
	size_t n = json_array_size(values);
	size_t *side = calloc(n + 1, sizeof(*side));
	bool *contested = calloc(n + 1, sizeof(*contested));
	json_t *sides = json_array();

	if (side == NULL || contested == NULL || sides == NULL)
		goto done;
	group_sides(values, relations, side, contested);
	for (size_t i = 0; i < n; i++) {
		json_t *keys, *speakers;
		bool any = false;

		if (side_of(side, i) != i)
			continue;	/* not the first value of its side */
		for (size_t j = i; j < n; j++)
			any |= contested[j] && side_of(side, j) == i;
		if (!any)
			continue;
		keys = json_array();
		speakers = json_array();
		for (size_t j = i; j < n; j++)
			if (side_of(side, j) == i) {
				json_t *v = json_array_get(values, j);
				json_array_append(keys,
				    json_object_get(v, "key"));
				dispute_add_speakers(speakers, json_object_get(v,
				    "evidence"));
			}
		json_array_append_new(sides, json_pack("{s:o, s:o}", "values",
		    keys, "speakers", speakers));
	}
done:
	free(side);
	free(contested);
	return sides;
}
