#include "cite.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vocab.h"

const char *const cite_keys[] = { "attributed_to", "via", "stance",
    "certainty", "as_of", NULL };

/* Reads the speaker j (a participant id, or {description, anonymous})
 * into *out, its strings borrowed from j; `what` names it in messages. */
static int
read_speaker(struct input *in, struct build *b, const char *record,
    const char *what, json_t *j, struct build_speaker *out)
{
	static const char *const keys[] = { "description", "anonymous", NULL };
	json_t *anonymous = json_object_get(j, "anonymous");
	const char *description;
	int found;

	*out = (struct build_speaker){ NULL, NULL, 0 };
	if (json_is_string(j)) {
		out->participant_id = json_string_value(j);
		found = build_exists(b, "participant", out->participant_id);
		if (found < 0)
			return input_fail(in, record, "%s", build_errmsg(b));
		if (found == 0)
			return input_fail(in, record, "%s refers to the "
			    "unknown participant \"%s\"", what,
			    out->participant_id);
		return 0;
	}
	if (!json_is_object(j))
		return input_fail(in, record, "%s must be a participant id or "
		    "{\"description\", \"anonymous\"}", what);
	if (input_check_keys(in, record, j, keys) != 0 ||
	    input_string(in, record, j, "description", true,
	    &description) != 0)
		return -1;
	if (!json_is_boolean(anonymous))
		return input_fail(in, record, "%s: \"anonymous\" must be "
		    "true or false", what);
	out->description = description;
	out->anonymous = json_is_true(anonymous) ? 1 : 0;
	return 0;
}

/* Reads c's enum `key` (one of allowed, a string) into *out, or leaves
 * *out when it is absent. */
static int
read_enum(struct input *in, const char *record, const char *what,
    json_t *c, const char *key, const char *const *allowed,
    const char **out)
{
	json_t *j = json_object_get(c, key);
	const char *found;
	char list[160];

	if (j == NULL)
		return 0;
	found = json_is_string(j) ? vocab_find(allowed, json_string_value(j)) :
	    NULL;
	if (found == NULL) {
		vocab_join(allowed, list, sizeof(list));
		return input_fail(in, record, "%s: \"%s\" must be one of: %s",
		    what, key, list);
	}
	*out = found;
	return 0;
}

/* Reads the speaker, stance, certainty and as_of of c into a. */
static int
read_attribution(struct input *in, struct build *b, const char *record,
    const char *what, json_t *c, struct build_attribution *a)
{
	json_t *to = json_object_get(c, "attributed_to");
	json_t *as_of = json_object_get(c, "as_of");
	char name[64];
	bool reporter = to == NULL || json_is_null(to);

	*a = (struct build_attribution){ { NULL, NULL, 0 }, NULL, "asserted",
	    NULL };
	snprintf(name, sizeof(name), "%s.attributed_to", what);
	if (!reporter && read_speaker(in, b, record, name, to,
	    &a->speaker) != 0)
		return -1;
	if (read_enum(in, record, what, c, "stance", vocab_stances,
	    &a->stance) != 0 ||
	    read_enum(in, record, what, c, "certainty", vocab_certainties,
	    &a->certainty) != 0)
		return -1;
	if (reporter && a->stance == NULL)
		a->stance = "reported";
	else if (reporter && strcmp(a->stance, "reported") != 0)
		return input_fail(in, record, "%s: the reporter's own voice "
		    "(no attributed_to) has the stance \"reported\"", what);
	else if (a->stance == NULL)
		return input_fail(in, record, "%s: \"stance\" is required with "
		    "\"attributed_to\"", what);
	if (as_of != NULL && !json_is_null(as_of)) {
		a->as_of = json_string_value(as_of);
		if (a->as_of == NULL ||
		    !vocab_valid_date(a->as_of, strlen(a->as_of)))
			return input_fail(in, record, "%s: \"as_of\" must be "
			    "an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) "
			    "or null", what);
	}
	return 0;
}

/* Checks and stores c's "via" chain for the attribution id. */
static int
store_via(struct input *in, struct build *b, const char *record,
    const char *what, json_t *c, int64_t id)
{
	json_t *via = json_object_get(c, "via"), *j;
	size_t i;

	if (via == NULL || json_is_null(via))
		return 0;
	if (!json_is_array(via))
		return input_fail(in, record, "%s: \"via\" must be an array of "
		    "participant ids or described sources", what);
	json_array_foreach(via, i, j) {
		struct build_speaker s;
		char name[64];

		snprintf(name, sizeof(name), "%s.via[%zu]", what, i);
		if (read_speaker(in, b, record, name, j, &s) != 0)
			return -1;
		if (build_via(b, id, i, &s) != 0)
			return input_fail(in, record, "storing %s: %s", name,
			    build_errmsg(b));
	}
	return 0;
}

int
cite_attribute(struct input *in, struct build *b, const char *record,
    const char *what, json_t *c, int64_t *attribution_id)
{
	struct build_attribution a;

	if (read_attribution(in, b, record, what, c, &a) != 0)
		return -1;
	if (build_attribution(b, &a, attribution_id) != 0)
		return input_fail(in, record, "storing the attribution of "
		    "%s: %s", what, build_errmsg(b));
	return store_via(in, b, record, what, c, *attribution_id);
}
