#include "viewer.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "fail.h"
#include "http.h"
#include "url.h"

/* The API's entry points, listed by the JSON index at /. */
static const char *const index_links[][2] = {
	{ "viewer", "/" },
	{ "sources", "/sources" },
	{ "participants", "/participants" },
	{ "agreements", "/agreements" },
	{ "outcomes", "/outcomes" },
	{ "claims", "/claims" },
	{ "timeline", "/timeline" },
	{ "search", "/search" },
	{ "annotations", "/annotations" },
	{ "version", "/version" },
	{ "openapi", "/openapi.json" },
};

/* Returns a q value ("q=0.5") in thousandths: 1000 when p holds none. */
static int
quality(const char *p, const char *end)
{
	int q = 1000, scale = 100;

	while (p < end && (p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
			continue;
		p += 2;
		q = (p < end && *p == '1') ? 1000 : 0;
		if (p < end && (*p == '0' || *p == '1'))
			p++;
		if (p < end && *p == '.')
			for (p++; p < end && *p >= '0' && *p <= '9' &&
			    scale > 0; p++, scale /= 10)
				q += q == 1000 ? 0 : (*p - '0') * scale;
		return q;
	}
	return q;
}

/* Whether the media range at p (up to ';' or end) is type. */
static bool
is_range(const char *p, const char *end, const char *type)
{
	const char *semi = memchr(p, ';', (size_t)(end - p));
	size_t n, len = strlen(type);

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	n = (size_t)((semi != NULL ? semi : end) - p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == len && strncasecmp(p, type, len) == 0;
}

bool
viewer_prefers_html(const char *accept)
{
	int html = -1, json = -1;

	if (accept == NULL)
		return false;
	for (const char *p = accept; *p != '\0';) {
		const char *end = strchr(p, ',');
		int q;

		if (end == NULL)
			end = p + strlen(p);
		q = quality(p, end);
		if (is_range(p, end, "text/html") ||
		    is_range(p, end, "application/xhtml+xml"))
			html = q > html ? q : html;
		else if (is_range(p, end, "application/json"))
			json = q > json ? q : json;
		p = *end == ',' ? end + 1 : end;
	}
	return html > 0 && html >= json;
}

/* The JSON index: {"name", "links": {name: absolute URL}}. */
static enum http_status
json_index(const struct request *req, struct response *res)
{
	json_t *links = json_object();
	const char *base = req->base != NULL ? req->base : "";
	char url[512];

	res->json = json_pack("{s:s, s:o}", "name", "accord", "links", links);
	if (res->json == NULL)
		return fail_memory(res);
	for (size_t i = 0; i < sizeof(index_links) / sizeof(index_links[0]);
	    i++) {
		snprintf(url, sizeof(url), "%s%s", base, index_links[i][1]);
		if (json_object_set_new(links, index_links[i][0],
		    json_string(url)) != 0)
			return fail_memory(res);
	}
	return HTTP_OK;
}

/* Makes res the embedded file at path; false when there is none. */
static bool
file_at(const char *path, struct response *res)
{
	for (size_t i = 0; i < viewer_file_count; i++) {
		if (strcmp(viewer_files[i].path, path) == 0) {
			res->static_body = viewer_files[i].data;
			res->body_len = viewer_files[i].len;
			res->content_type = viewer_files[i].type;
			return true;
		}
	}
	return false;
}

enum http_status
viewer_root(const struct request *req, struct response *res)
{
	res->vary_accept = true;
	if (viewer_prefers_html(req->accept) &&
	    file_at("/viewer/index.html", res))
		return HTTP_OK;
	return json_index(req, res);
}

enum http_status
viewer_asset(const struct request *req, struct response *res)
{
	if (file_at(req->url->path, res))
		return HTTP_OK;
	return problem(res, HTTP_NOT_FOUND, "the viewer has no file at %s",
	    req->url->path);
}
