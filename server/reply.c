#include "reply.h"

#include <stdlib.h>
#include <string.h>

#define JSON_TYPE "application/json"
#define PROBLEM_TYPE "application/problem+json"

static const char oom[] = "{\"type\":\"about:blank\",\"title\":"
    "\"Service Unavailable\",\"status\":503,\"detail\":"
    "\"out of memory\"}";

const char *
reply_reason(unsigned status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

char *
reply_problem(unsigned status, const char *detail, const char *instance)
{
	json_t *doc;
	char *text;

	doc = json_pack("{s:s, s:s, s:I}", "type", "about:blank", "title",
	    reply_reason(status), "status", (json_int_t)status);
	if (doc == NULL)
		return NULL;
	if (detail != NULL && detail[0] != '\0')
		json_object_set_new(doc, "detail", json_string(detail));
	if (instance != NULL) {	/* NULL from json_string: not UTF-8 */
		json_t *path = json_string(instance);
		if (path != NULL)
			json_object_set_new(doc, "instance", path);
	}
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

/* Adds the headers every reply carries. */
static void
add_common_headers(struct MHD_Response *r, const char *content_type,
    const struct reply_options *opt)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Expose-Headers",
	    "ETag, Link, Content-Range");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	if (opt->allow != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, opt->allow);
	if (opt->closing)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION,
		    "close");
}

enum MHD_Result
reply_send(struct MHD_Connection *conn, unsigned status,
    struct response *res, const char *instance,
    const struct reply_options *opt, size_t *bytes)
{
	struct MHD_Response *r;
	const char *type = res->content_type;
	char *body = NULL;
	size_t len = 0;
	enum MHD_Result ret;

	if (status >= 400) {
		type = PROBLEM_TYPE;
		body = reply_problem(status, res->detail, instance);
		if (body == NULL)
			goto fail_oom;
		len = strlen(body);
	} else if (res->json != NULL) {
		type = JSON_TYPE;
		body = json_dumps(res->json, opt->pretty ?
		    JSON_INDENT(2) : JSON_COMPACT);
		if (body == NULL)
			goto fail_oom;
		len = strlen(body);
		if (opt->pretty) {	/* end with a newline for terminals */
			char *nl = realloc(body, len + 2);
			if (nl == NULL)
				goto fail_oom;
			body = nl;
			body[len++] = '\n';
			body[len] = '\0';
		}
	} else if (res->body != NULL) {
		body = res->body;
		res->body = NULL;
		len = res->body_len;
	}
	json_decref(res->json);
	res->json = NULL;
	free(res->body);
	res->body = NULL;
	if (body != NULL)
		r = MHD_create_response_from_buffer_with_free_callback(len,
		    body, free);
	else
		r = MHD_create_response_from_buffer(res->body_len,
		    (void *)(res->static_body != NULL ? res->static_body : ""),
		    MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	len = body != NULL ? len : res->body_len;
	add_common_headers(r, type != NULL ? type : JSON_TYPE, opt);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	*bytes = len;
	return ret;

fail_oom:
	free(body);
	json_decref(res->json);
	res->json = NULL;
	free(res->body);
	res->body = NULL;
	/* A persistent reply needs no memory of its own. */
	r = MHD_create_response_from_buffer(sizeof(oom) - 1, (void *)oom,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	add_common_headers(r, PROBLEM_TYPE, opt);
	ret = MHD_queue_response(conn, 503, r);
	MHD_destroy_response(r);
	*bytes = sizeof(oom) - 1;
	return ret;
}
