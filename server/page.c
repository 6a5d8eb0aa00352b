#include "page.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "cursor.h"
#include "fail.h"

/* Appends s percent-encoded (all but unreserved characters) to buf. */
static bool
append_encoded(char *buf, size_t size, size_t *len, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*len + 4 >= size)
			return false;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf[(*len)++] = (char)*p;
		} else {
			buf[(*len)++] = '%';
			buf[(*len)++] = hex[*p >> 4];
			buf[(*len)++] = hex[*p & 15];
		}
	}
	buf[*len] = '\0';
	return true;
}

/* The parameters a next page does not carry: its own cursor, and what is
 * answered once, on the page asked for (the count, the facets). */
static bool
not_carried(const char *name)
{
	return strcmp(name, "cursor") == 0 || strcmp(name, "count") == 0 ||
	    strcmp(name, "facet") == 0;
}

char *
page_url(const struct request *req, const char *cursor, const char *limit)
{
	const char *names[URL_MAX_PARAMS + 2], *values[URL_MAX_PARAMS + 2];
	size_t n = 0, len;
	char buf[4096];

	for (size_t i = 0; i < req->url->nparams && n < URL_MAX_PARAMS; i++)
		if (!not_carried(req->url->params[i].name)) {
			names[n] = req->url->params[i].name;
			values[n++] = req->url->params[i].value;
		}
	if (limit != NULL && url_param(req->url, "limit") == NULL) {
		names[n] = "limit";
		values[n++] = limit;
	}
	if (cursor != NULL) {
		names[n] = "cursor";
		values[n++] = cursor;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "%s%s", req->base != NULL ?
	    req->base : "", req->url->path);
	if (len >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (len + 2 >= sizeof(buf))
			return NULL;
		buf[len++] = i == 0 ? '?' : '&';
		if (!append_encoded(buf, sizeof(buf), &len, names[i]) ||
		    len + 2 >= sizeof(buf))
			return NULL;
		buf[len++] = '=';
		if (!append_encoded(buf, sizeof(buf), &len, values[i]))
			return NULL;
	}
	return strdup(buf);
}

enum http_status
page_link(const struct request *req, const char *sort, json_t *keys,
    const char *limit, char **url, struct response *res)
{
	char *cursor = cursor_encode(sort, keys);

	*url = cursor != NULL ? page_url(req, cursor, limit) : NULL;
	free(cursor);
	if (*url == NULL)
		return fail_memory(res);
	if (asprintf(&res->link, "<%s>; rel=\"next\"", *url) < 0)
		res->link = NULL;
	return HTTP_OK;
}

enum http_status
page_body(struct query_page *page, char *url, struct response *res)
{
	struct text t = { 0 };

	text_add(&t, "{\"items\":", 9);
	text_add(&t, page->items, page->items_len);
	text_add(&t, ",\"next\":", 8);
	if (url != NULL)
		compact_string(&t, url, strlen(url));
	else
		text_add(&t, "null", 4);
	if (page->count >= 0)
		text_printf(&t, ",\"count\":%lld", page->count);
	if (page->facets != NULL) {
		text_add(&t, ",\"facets\":", 10);
		compact_append(&t, page->facets);
	}
	text_add(&t, "}", 1);
	free(url);
	free(page->items);
	json_decref(page->facets);
	page->facets = NULL;
	res->body = text_take(&t, &res->body_len);
	if (res->body == NULL)
		return fail_memory(res);
	res->json_text = true;
	return HTTP_OK;
}

enum http_status
page_compact(struct response *res)
{
	struct text t = { 0 };

	if (res->json == NULL)
		return fail_memory(res);
	compact_append(&t, res->json);
	json_decref(res->json);
	res->json = NULL;
	res->body = text_take(&t, &res->body_len);
	if (res->body == NULL)
		return fail_memory(res);
	res->json_text = true;
	return HTTP_OK;
}
