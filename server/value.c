#include "value.h"

#include <stdio.h>
#include <string.h>

#include "id.h"
#include "vocab.h"

/* Reads v's "quantity" {bound, amount, counts} into out; *amount holds
 * the number out->amount points to. */
static int
read_quantity(struct input *in, const char *claim_id, json_t *v, size_t i,
    struct build_value *out, double *amount)
{
	static const char *const keys[] = { "bound", "amount", "counts",
	    NULL };
	json_t *q = json_object_get(v, "quantity");

	if (!json_is_object(q))
		return input_fail(in, claim_id, "values[%zu]: a quantity needs "
		    "\"quantity\": {bound, amount, counts}", i);
	if (input_check_keys(in, claim_id, q, keys) != 0 ||
	    input_enum(in, claim_id, q, "bound", true, vocab_bounds,
	    &out->bound) != 0 ||
	    input_string(in, claim_id, q, "counts", true, &out->counts) != 0)
		return -1;
	if (!json_is_number(json_object_get(q, "amount")))
		return input_fail(in, claim_id, "values[%zu]: quantity.amount "
		    "must be a number", i);
	*amount = json_number_value(json_object_get(q, "amount"));
	out->amount = amount;
	return 0;
}

/* Checks what v's type requires of it, and stores the typed parts in
 * out. */
static int
read_typed(struct input *in, struct build *b, const char *claim_id,
    json_t *v, size_t i, struct build_value *out, double *amount)
{
	const char *value = json_string_value(json_object_get(v, "value"));
	bool quantity = strcmp(out->type, "quantity") == 0;
	bool participant = strcmp(out->type, "participant") == 0;

	if (!quantity && json_object_get(v, "quantity") != NULL)
		return input_fail(in, claim_id, "values[%zu]: \"quantity\" "
		    "goes with the type \"quantity\" only", i);
	if (!participant && json_object_get(v, "participant") != NULL)
		return input_fail(in, claim_id, "values[%zu]: \"participant\" "
		    "goes with the type \"participant\" only", i);
	if (quantity)
		return read_quantity(in, claim_id, v, i, out, amount);
	if (strcmp(out->type, "date") == 0 &&
	    !vocab_valid_date(value, strlen(value)))
		return input_fail(in, claim_id, "values[%zu]: a date value "
		    "must be ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD), not "
		    "\"%s\"", i, value);
	if (!participant)
		return 0;
	if (input_string(in, claim_id, v, "participant", true,
	    &out->participant_id) != 0)
		return -1;
	if (build_exists(b, "participant", out->participant_id) != 1)
		return input_fail(in, claim_id, "values[%zu] refers to the "
		    "unknown participant \"%s\"", i, out->participant_id);
	return 0;
}

int
value_type(struct input *in, struct build *b, const char *claim_id,
    json_t *v, size_t i, bool keyed, int64_t value_id)
{
	struct build_value out = { NULL, "text", NULL, NULL, NULL, NULL };
	const char *type = NULL;
	int64_t other;
	double amount;

	if (input_string(in, claim_id, v, "key", keyed, &out.key) != 0 ||
	    input_enum(in, claim_id, v, "type", false, vocab_value_types,
	    &type) != 0)
		return -1;
	if (out.key != NULL && !id_valid(out.key, strlen(out.key)))
		return input_fail(in, claim_id, "values[%zu]: invalid key "
		    "\"%s\"", i, out.key);
	if (out.key != NULL &&
	    build_value_by_key(b, claim_id, out.key, &other) != 0)
		return input_fail(in, claim_id, "values[%zu]: duplicate key "
		    "\"%s\"", i, out.key);
	if (type != NULL)
		out.type = type;
	if (read_typed(in, b, claim_id, v, i, &out, &amount) != 0)
		return -1;
	if (build_value_type(b, value_id, &out) != 0)
		return input_fail(in, claim_id, "storing values[%zu]: %s", i,
		    build_errmsg(b));
	return 0;
}

/* Reads relation r, relations[i], into the value ids pair and *relation. */
static int
read_relation(struct input *in, struct build *b, const char *claim_id,
    json_t *r, size_t i, int64_t pair[2], const char **relation)
{
	static const char *const keys[] = { "values", "relation", "note",
	    NULL };
	json_t *values = json_object_get(r, "values");
	const char *note;

	if (!json_is_object(r))
		return input_fail(in, claim_id, "relations[%zu] must be an "
		    "object", i);
	if (input_check_keys(in, claim_id, r, keys) != 0 ||
	    input_enum(in, claim_id, r, "relation", true, vocab_relations,
	    relation) != 0 ||
	    input_string(in, claim_id, r, "note", false, &note) != 0)
		return -1;
	if (!json_is_array(values) || json_array_size(values) != 2)
		return input_fail(in, claim_id, "relations[%zu]: \"values\" "
		    "must be two value keys", i);
	for (size_t k = 0; k < 2; k++) {
		const char *key = json_string_value(json_array_get(values, k));
		if (key == NULL || build_value_by_key(b, claim_id, key,
		    &pair[k]) != 1)
			return input_fail(in, claim_id, "relations[%zu] names "
			    "the unknown value key \"%s\"", i,
			    key != NULL ? key : "(not a string)");
	}
	if (pair[0] == pair[1])
		return input_fail(in, claim_id, "relations[%zu] relates a "
		    "value to itself", i);
	return 0;
}

/* Checks and stores "dispute": {reason}, required exactly when
 * contradicts. */
static int
load_dispute(struct input *in, struct build *b, const char *claim_id,
    json_t *rec, bool contradicts)
{
	static const char *const keys[] = { "reason", NULL };
	json_t *d = json_object_get(rec, "dispute");
	const char *reason;

	if (d == NULL || json_is_null(d))
		return contradicts ? input_fail(in, claim_id, "a claim with a "
		    "\"contradicts\" relation needs \"dispute\": {reason}") : 0;
	if (!contradicts)
		return input_fail(in, claim_id, "\"dispute\" without a "
		    "\"contradicts\" relation: values that merely differ are "
		    "not disputed");
	if (!json_is_object(d))
		return input_fail(in, claim_id, "\"dispute\" must be an object "
		    "{reason}");
	if (input_check_keys(in, claim_id, d, keys) != 0 ||
	    input_string(in, claim_id, d, "reason", true, &reason) != 0)
		return -1;
	if (build_dispute(b, claim_id, reason) != 0)
		return input_fail(in, claim_id, "storing the dispute: %s",
		    build_errmsg(b));
	return 0;
}

int
value_relations(struct input *in, struct build *b, const char *claim_id,
    json_t *rec)
{
	json_t *list = json_object_get(rec, "relations"), *r;
	bool contradicts = false;
	size_t i;

	if (list != NULL && !json_is_array(list))
		return input_fail(in, claim_id, "\"relations\" must be an "
		    "array");
	json_array_foreach(list, i, r) {
		int64_t pair[2];
		const char *relation;

		if (read_relation(in, b, claim_id, r, i, pair, &relation) != 0)
			return -1;
		contradicts |= strcmp(relation, "contradicts") == 0;
		if (build_relation(b, claim_id, i, pair, relation,
		    json_string_value(json_object_get(r, "note"))) != 0)
			return input_fail(in, claim_id, "storing "
			    "relations[%zu]: %s", i, build_errmsg(b));
	}
	return load_dispute(in, b, claim_id, rec, contradicts);
}
