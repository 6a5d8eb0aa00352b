#include "params.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "num.h"
#include "id.h"
#include "vocab.h"

enum http_status
params_number(const struct request *req, const char *name, long long min,
    long long max, long long *out, struct response *res)
{
	const char *value = url_param(req->url, name);
	const char *errstr;
	long long n;

	if (value == NULL)
		return HTTP_OK;
	n = num_parse(value, min, max, &errstr);
	if (errstr != NULL)
		return problem(res, HTTP_BAD_REQUEST, "%s must be an integer "
		    "from %lld to %lld", name, min, max);
	*out = n;
	return HTTP_OK;
}

/* Reads "true" or "false" into *out; else 400. */
static enum http_status
boolean(const char *name, const char *value, bool *out,
    struct response *res)
{
	if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
		return problem(res, HTTP_BAD_REQUEST, "%s must be true or "
		    "false", name);
	*out = value[0] == 't';
	return HTTP_OK;
}

/* Checks the value of the filter p; stores what is bound in *bound (the
 * value, or a static "1" or "0" for a boolean). Returns HTTP_OK or 400. */
static enum http_status
check_filter(const struct list_param *p, const char *value,
    const char **bound, struct response *res)
{
	char allowed[160];
	bool yes = false;

	*bound = value;
	switch (p->check) {
	case LIST_ID:
		if (id_valid(value, strlen(value)))
			return HTTP_OK;
		return problem(res, HTTP_BAD_REQUEST, "%s must be an id: "
		    "^[a-z0-9]+(-[a-z0-9]+)*$, at most 64 characters", p->name);
	case LIST_ENUM:
		if (vocab_find(p->allowed, value) != NULL)
			return HTTP_OK;
		vocab_join(p->allowed, allowed, sizeof(allowed));
		return problem(res, HTTP_BAD_REQUEST, "%s must be one of: %s",
		    p->name, allowed);
	case LIST_DATE_FROM:
	case LIST_DATE_TO:
		if (vocab_valid_date(value, strlen(value)))
			return HTTP_OK;
		return problem(res, HTTP_BAD_REQUEST, "%s must be an ISO 8601 "
		    "date: YYYY, YYYY-MM or YYYY-MM-DD", p->name);
	case LIST_BOOL:
		if (boolean(p->name, value, &yes, res) != HTTP_OK)
			return HTTP_BAD_REQUEST;
		*bound = yes ? "1" : "0";
		return HTTP_OK;
	case LIST_COUNTRY:
		if (vocab_valid_country(value))
			return HTTP_OK;
		return problem(res, HTTP_BAD_REQUEST, "%s must be an ISO 3166-1 "
		    "alpha-2 code such as CN", p->name);
	case LIST_SORT_ONLY:
	case LIST_UINT:
		break;
	}
	return problem(res, HTTP_BAD_REQUEST, "%s is not a filter", p->name);
}

/* Checks each filter the request gives into q->values, and that the days
 * from the LIST_DATE_FROM one to the LIST_DATE_TO one are not none. */
static enum http_status
check_filters(const struct request *req, const struct list_param *rows,
    struct query *q, struct response *res)
{
	size_t from = 0, to = 0;

	for (size_t i = 0; rows[i].name != NULL; i++) {
		const char *value = url_param(req->url, rows[i].name);

		if (rows[i].where == NULL || value == NULL)
			continue;
		if (check_filter(&rows[i], value, &q->values[i], res) !=
		    HTTP_OK)
			return HTTP_BAD_REQUEST;
		if (rows[i].check == LIST_DATE_FROM)
			from = i + 1;
		if (rows[i].check == LIST_DATE_TO)
			to = i + 1;
	}
	if (from == 0 || to == 0 || vocab_dates_ordered(q->values[from - 1],
	    q->values[to - 1]))
		return HTTP_OK;
	return problem(res, HTTP_BAD_REQUEST, "%s must not end before %s "
	    "begins: %s ends before %s begins", rows[to - 1].name,
	    rows[from - 1].name, q->values[to - 1], q->values[from - 1]);
}

/* Parses sort=field,-field (a copy in store[0..size)) into q. Returns
 * HTTP_OK or 400. */
static enum http_status
parse_sort(const char *value, const struct list_spec *list, struct query *q,
    char *store, size_t size, struct response *res)
{
	char *save = NULL;

	snprintf(store, size, "%s", value);
	for (char *tok = strtok_r(store, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		bool desc = tok[0] == '-';
		const char *name = desc ? tok + 1 : tok;
		const struct list_param *field = lists_sort_field(list, name);

		if (q->nsort == LISTS_SORT_MAX)
			return problem(res, HTTP_BAD_REQUEST, "sort takes at "
			    "most %d fields", LISTS_SORT_MAX);
		if (field == NULL)
			return problem(res, HTTP_BAD_REQUEST, "cannot sort by "
			    "\"%.40s\"", name);
		for (size_t i = 0; i < q->nsort; i++)
			if (q->sort[i].field == field)
				return problem(res, HTTP_BAD_REQUEST, "sort "
				    "names \"%.40s\" twice", name);
		q->sort[q->nsort++] = (struct query_sort){ field, desc };
	}
	if (q->nsort == 0)
		return problem(res, HTTP_BAD_REQUEST, "sort names no field");
	return HTTP_OK;
}

/* Reads limit, count and sort into q. */
static enum http_status
check_paging(const struct request *req, const struct list_spec *list,
    struct query *q, char *store, size_t size, struct response *res)
{
	const char *count = url_param(req->url, "count");
	const char *sort = url_param(req->url, "sort");
	long long limit = LISTS_LIMIT;

	if (params_number(req, "limit", 1, LISTS_LIMIT_MAX, &limit, res) !=
	    HTTP_OK)
		return HTTP_BAD_REQUEST;
	q->limit = (size_t)limit;
	if (count != NULL && boolean("count", count, &q->count, res) !=
	    HTTP_OK)
		return HTTP_BAD_REQUEST;
	if (sort != NULL)
		return parse_sort(sort, list, q, store, size, res);
	return HTTP_OK;
}

/* Reads the rows that cap the mentions into q: the value asked, else the
 * row's default cap. */
static enum http_status
check_caps(const struct request *req, const struct list_param *rows,
    struct query *q, struct response *res)
{
	for (const struct list_param *p = rows; p->name != NULL; p++) {
		long long n = -1;

		if (!p->caps_mentions)
			continue;
		if (params_number(req, p->name, 0, p->max, &n, res) != HTTP_OK)
			return HTTP_BAD_REQUEST;
		q->cap_mentions = true;
		q->mentions = (size_t)(n >= 0 ? n : p->cap);
	}
	return HTTP_OK;
}

/* Adds the facet `name` of the list to q. Returns HTTP_OK or 400. */
static enum http_status
add_facet(const struct list_spec *list, const char *name, struct query *q,
    struct response *res)
{
	const struct list_param *p = lists_facet(list, name);

	if (p == NULL)
		return problem(res, HTTP_BAD_REQUEST, "cannot facet by "
		    "\"%.40s\"", name);
	for (size_t i = 0; i < q->nfacets; i++)
		if (q->facets[i] == p)
			return problem(res, HTTP_BAD_REQUEST, "facet names "
			    "\"%.40s\" twice", name);
	if (q->nfacets == LISTS_FACETS_MAX)
		return problem(res, HTTP_BAD_REQUEST, "facet takes at most %d "
		    "fields", LISTS_FACETS_MAX);
	q->facets[q->nfacets++] = p;
	return HTTP_OK;
}

/* Reads every facet=a,b parameter (it may repeat) into q. */
static enum http_status
check_facets(const struct request *req, const struct list_spec *list,
    struct query *q, struct response *res)
{
	for (size_t i = 0; i < req->url->nparams; i++) {
		const char *v = req->url->params[i].value;

		if (strcmp(req->url->params[i].name, "facet") != 0)
			continue;
		do {
			char name[48];
			size_t n = strcspn(v, ",");
			snprintf(name, sizeof(name), "%.*s", (int)(n < 47 ? n :
			    47), v);
			if (add_facet(list, n < 47 ? name : "", q, res) !=
			    HTTP_OK)
				return HTTP_BAD_REQUEST;
			v += n;
		} while (*v++ == ',');
	}
	return HTTP_OK;
}

/* Checks the names joined by ',' in the value of `param` with known.
 * Returns HTTP_OK or 400. */
static enum http_status
check_names(const char *param, const char *value, enum db_kind kind,
    bool (*known)(enum db_kind, const char *), struct response *res)
{
	const char *p = value;

	do {
		size_t n = strcspn(p, ",");
		char name[40];

		snprintf(name, sizeof(name), "%.*s", (int)(n < 39 ? n : 39), p);
		if (n >= 39 || !known(kind, name))
			return problem(res, HTTP_BAD_REQUEST, "%s names "
			    "\"%.40s\", which this route does not have",
			    param, name);
		for (const char *q = value; q < p; q += strcspn(q, ",") + 1)
			if (strncmp(q, p, n) == 0 && q[n] == ',')
				return problem(res, HTTP_BAD_REQUEST, "%s "
				    "names \"%s\" twice", param, name);
		p += n;
	} while (*p++ == ',');
	return HTTP_OK;
}

enum http_status
params_view(const struct request *req, enum db_kind kind,
    struct selection *view, struct response *res)
{
	view->fields = url_param(req->url, "fields");
	view->embed = url_param(req->url, "embed");
	if (view->fields != NULL && check_names("fields", view->fields, kind,
	    selection_field_known, res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	if (view->embed != NULL && check_names("embed", view->embed, kind,
	    selection_embed_known, res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	return HTTP_OK;
}

/* Checks that the cursor's keys are of their types: one per sort field
 * (an integer when it is numeric, else a string), then an integer. */
static bool
keys_typed(const struct query *q, const json_t *keys)
{
	for (size_t i = 0; i < q->nsort; i++)
		if (q->sort[i].field->numeric ?
		    !json_is_integer(json_array_get(keys, i)) :
		    !json_is_string(json_array_get(keys, i)))
			return false;
	return json_is_integer(json_array_get(keys, q->nsort));
}

enum http_status
params_list(const struct request *req, enum db_kind kind, struct query *q,
    char *sort_store, size_t size, json_t **after, struct response *res)
{
	const struct list_spec *list = &lists[kind];
	const char *sort = url_param(req->url, "sort");

	*after = NULL;
	if (check_filters(req, list->params, q, res) != HTTP_OK ||
	    check_paging(req, list, q, sort_store, size, res) != HTTP_OK ||
	    check_caps(req, list->params, q, res) != HTTP_OK ||
	    check_facets(req, list, q, res) != HTTP_OK ||
	    params_view(req, kind, &q->view, res) != HTTP_OK ||
	    cursor_read(req, sort != NULL ? sort : "", q->nsort + 1, after,
	    res) != HTTP_OK)
		return HTTP_BAD_REQUEST;
	if (*after != NULL && !keys_typed(q, *after)) {
		json_decref(*after);
		*after = NULL;
		return cursor_unlisted(res);
	}
	q->after = *after;
	return HTTP_OK;
}
