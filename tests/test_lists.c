/*
 * lists, the spec of each list route, held against openapi.yaml (as the
 * openapi.json embedded in the binary) in both directions: the query
 * parameters, each enum's values, the bounds of the integers and the sort
 * fields of every list are the same in the two.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "lists.h"

static json_t *doc;

static void
setup(void)
{
	json_error_t e;

	doc = json_loadb(assets_openapi_json, assets_openapi_json_len, 0, &e);
	cr_assert_not_null(doc, "openapi.json: %s", e.text);
}

static void
teardown(void)
{
	json_decref(doc);
}

TestSuite(lists, .init = setup, .fini = teardown);

/* Returns what a "#/a/b" reference names in doc, or v itself. */
static json_t *
resolve(json_t *v)
{
	const char *ref = json_string_value(json_object_get(v, "$ref"));
	char path[256], *save = NULL;

	if (ref == NULL)
		return v;
	cr_assert(strncmp(ref, "#/", 2) == 0, "%s", ref);
	snprintf(path, sizeof(path), "%s", ref + 2);
	v = doc;
	for (char *p = strtok_r(path, "/", &save); p != NULL;
	     p = strtok_r(NULL, "/", &save))
		v = json_object_get(v, p);
	cr_assert_not_null(v, "%s names nothing", ref);
	return resolve(v);
}

/* Returns the schema of the query parameter name of path's GET, or NULL
 * when openapi.yaml gives it none. */
static json_t *
param_schema(const char *path, const char *name)
{
	json_t *params = json_object_get(json_object_get(json_object_get(
	    json_object_get(doc, "paths"), path), "get"), "parameters");
	json_t *p;
	size_t i;

	json_array_foreach(params, i, p) {
		p = resolve(p);
		if (strcmp(json_string_value(json_object_get(p, "in")),
		    "query") == 0 && strcmp(json_string_value(json_object_get(
		    p, "name")), name) == 0)
			return resolve(json_object_get(p, "schema"));
	}
	return NULL;
}

/* Returns true when the spec of list takes the query parameter name. */
static bool
spec_takes(const struct list_spec *list, const char *name)
{
	return strcmp(name, "pretty") == 0 || lists_accepts(list, name);
}

/* The query parameters: each of the spec's is in openapi.yaml for its
 * path, and each of openapi.yaml's is in the spec. */
Test(lists, each_list_takes_the_parameters_openapi_gives)
{
	for (size_t k = 0; k < DB_KIND_COUNT; k++) {
		const struct list_spec *list = &lists[k];
		json_t *params = json_object_get(json_object_get(
		    json_object_get(json_object_get(doc, "paths"), list->path),
		    "get"), "parameters");
		json_t *p;
		size_t i;

		cr_assert_not_null(params, "openapi.yaml has no GET %s",
		    list->path);
		json_array_foreach(params, i, p) {
			const char *name;
			p = resolve(p);
			name = json_string_value(json_object_get(p, "name"));
			if (strcmp(json_string_value(json_object_get(p, "in")),
			    "query") == 0)
				cr_assert(spec_takes(list, name), "openapi.yaml: "
				    "%s takes %s, the spec does not", list->path,
				    name);
		}
		for (size_t j = 0; lists_paging[j] != NULL; j++)
			cr_assert_not_null(param_schema(list->path,
			    lists_paging[j]), "the spec: %s takes %s, "
			    "openapi.yaml does not", list->path, lists_paging[j]);
		for (const struct list_param *r = list->params; r->name;
		     r++)
			cr_assert(r->check == LIST_SORT_ONLY ||
			    param_schema(list->path, r->name) != NULL, "the "
			    "spec: %s takes %s, openapi.yaml does not",
			    list->path, r->name);
	}
}

/* Returns true when arr, a JSON array of strings, holds s. */
static bool
holds(json_t *arr, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Asserts that the schema's enum and the NULL-terminated values are the
 * same set. */
static void
assert_same_enum(const char *path, const char *name, json_t *schema,
    const char *const *values)
{
	json_t *e = json_object_get(schema, "enum"), *v;
	size_t i, n = 0;

	cr_assert(json_is_array(e), "openapi.yaml: %s %s has no enum", path,
	    name);
	for (; values[n] != NULL; n++)
		cr_assert(holds(e, values[n]), "the spec: %s %s takes %s, "
		    "openapi.yaml does not", path, name, values[n]);
	json_array_foreach(e, i, v) {
		size_t j = 0;
		while (values[j] != NULL &&
		    strcmp(values[j], json_string_value(v)) != 0)
			j++;
		cr_assert_not_null(values[j], "openapi.yaml: %s %s takes %s, "
		    "the spec does not", path, name, json_string_value(v));
	}
}

/* Each parameter's values: enums, booleans, bounded integers, ids,
 * countries and dates as openapi.yaml describes them. */
Test(lists, each_parameter_takes_the_values_openapi_gives)
{
	static const char *const booleans[] = { "true", "false", NULL };

	for (size_t k = 0; k < DB_KIND_COUNT; k++) {
		const char *path = lists[k].path;
		json_t *limit = param_schema(path, "limit");

		cr_assert_eq(json_integer_value(json_object_get(limit,
		    "minimum")), 1);
		cr_assert_eq(json_integer_value(json_object_get(limit,
		    "maximum")), LISTS_LIMIT_MAX);
		cr_assert_eq(json_integer_value(json_object_get(limit,
		    "default")), LISTS_LIMIT);
		assert_same_enum(path, "count", param_schema(path, "count"),
		    booleans);
		for (const struct list_param *r = lists[k].params; r->name;
		     r++) {
			json_t *s = param_schema(path, r->name);
			const char *pattern = json_string_value(
			    json_object_get(s, "pattern"));

			switch (r->check) {
			case LIST_ENUM:
				assert_same_enum(path, r->name, s, r->allowed);
				break;
			case LIST_BOOL:
				assert_same_enum(path, r->name, s, booleans);
				break;
			case LIST_UINT:
				cr_assert_eq(json_integer_value(json_object_get(
				    s, "minimum")), 0, "%s %s", path, r->name);
				cr_assert_eq(json_integer_value(json_object_get(
				    s, "maximum")), r->max, "%s %s", path,
				    r->name);
				break;
			case LIST_ID:
				cr_assert_str_eq(pattern,
				    "^[a-z0-9]+(-[a-z0-9]+)*$");
				cr_assert_eq(json_integer_value(json_object_get(
				    s, "maxLength")), 64);
				break;
			case LIST_COUNTRY:
				cr_assert_str_eq(pattern, "^[A-Z]{2}$");
				break;
			case LIST_DATE_FROM:
			case LIST_DATE_TO:
				cr_assert(pattern != NULL &&
				    strncmp(pattern, "^[0-9]{4}", 9) == 0,
				    "%s %s", path, r->name);
				break;
			case LIST_SORT_ONLY:
				break;
			}
		}
	}
}

/* Returns true when name is one of the alternatives "a|b|c". */
static bool
alternative(const char *alternatives, const char *name)
{
	size_t n = strlen(name);

	for (const char *a = alternatives; a != NULL;
	     a = strchr(a, '|') != NULL ? strchr(a, '|') + 1 : NULL)
		if (strncmp(a, name, n) == 0 && (a[n] == '|' || a[n] == '\0'))
			return true;
	return false;
}

/*
 * The sort fields: openapi.yaml gives sort a pattern
 * ^-?(a|b|c)(,-?(a|b|c)){0,N}$ whose fields are the spec's sort fields and
 * whose N + 1 is LISTS_SORT_MAX.
 */
Test(lists, each_list_sorts_by_the_fields_openapi_gives)
{
	for (size_t k = 0; k < DB_KIND_COUNT; k++) {
		const struct list_spec *list = &lists[k];
		const char *pattern = json_string_value(json_object_get(
		    param_schema(list->path, "sort"), "pattern"));
		char fields[256], again[600], *save = NULL;

		cr_assert_not_null(pattern, "%s: sort has no pattern",
		    list->path);
		cr_assert(sscanf(pattern, "^-?(%255[^)])", fields) == 1,
		    "%s: %s", list->path, pattern);
		snprintf(again, sizeof(again), "^-?(%s)(,-?(%s)){0,%d}$",
		    fields, fields, LISTS_SORT_MAX - 1);
		cr_assert_str_eq(pattern, again, "%s: sort is not of the shape "
		    "this test reads", list->path);
		for (const struct list_param *r = list->params; r->name; r++)
			cr_assert(r->sort == NULL || alternative(fields,
			    r->name), "the spec: %s sorts by %s, openapi.yaml "
			    "does not", list->path, r->name);
		for (char *f = strtok_r(fields, "|", &save); f != NULL;
		     f = strtok_r(NULL, "|", &save))
			cr_assert_not_null(lists_sort_field(list, f),
			    "openapi.yaml: %s sorts by %s, the spec does not",
			    list->path, f);
	}
}

/* Each filter binds its own value: its SQL names :name; each parameter
 * does something, filter or cap; and the rows fit struct query. */
Test(lists, each_filter_binds_its_parameter)
{
	for (size_t k = 0; k < DB_KIND_COUNT; k++)
		for (const struct list_param *r = lists[k].params; r->name;
		     r++) {
			cr_assert_lt(r - lists[k].params, LISTS_ROWS_MAX - 1);
			char bound[64];

			if (r->check == LIST_SORT_ONLY)
				continue;
			cr_assert(r->where != NULL || r->caps_mentions, "%s %s "
			    "neither filters nor caps", lists[k].path,
			    r->name);
			snprintf(bound, sizeof(bound), ":%s", r->name);
			cr_assert(r->where == NULL || strstr(r->where, bound),
			    "%s %s: its SQL binds no %s", lists[k].path,
			    r->name, bound);
		}
}

/*
 * The facets: openapi.yaml gives facet an array of an enum whose values
 * are the rows of the spec with a facet, and the fields= and embed=
 * parameters of every list and of its record's route.
 */
Test(lists, each_list_facets_by_the_fields_openapi_gives)
{
	for (size_t k = 0; k < DB_KIND_COUNT; k++) {
		const struct list_spec *list = &lists[k];
		json_t *items = json_object_get(param_schema(list->path,
		    "facet"), "items");
		json_t *e = json_object_get(items, "enum"), *v;
		size_t i, n = 0;

		cr_assert(json_is_array(e), "%s: facet has no enum",
		    list->path);
		for (const struct list_param *r = list->params; r->name; r++)
			if (r->facet != NULL) {
				n++;
				cr_assert(holds(e, r->name), "the spec: %s facets "
				    "by %s, openapi.yaml does not", list->path,
				    r->name);
			}
		json_array_foreach(e, i, v)
			cr_assert_not_null(lists_facet(list,
			    json_string_value(v)), "openapi.yaml: %s facets by "
			    "%s, the spec does not", list->path,
			    json_string_value(v));
		cr_assert_eq(json_array_size(e), n);
		cr_assert_not_null(param_schema(list->path, "fields"));
		cr_assert_not_null(param_schema(list->path, "embed"));
	}
}
