#include "reply.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "digest.h"
#include "viewer.h"

#define JSON_TYPE "application/json"
#define PROBLEM_TYPE "application/problem+json"

/* Bytes held by every body alive: cached, queued or being sent. */
static atomic_size_t live_bytes;

/* The problem sent when even rendering one fails: it needs no memory. */
static const char oom[] = "{\"type\":\"about:blank\",\"title\":"
    "\"Service Unavailable\",\"status\":503,\"detail\":"
    "\"out of memory\"}";

const char *
reply_reason(unsigned status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

char *
reply_problem(enum http_status status, const char *detail,
    const char *instance)
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

/*
 * Reads the decimal at *p, if any, into *v (*has says whether there was
 * one) and moves *p past it. Returns false when it overflows.
 */
static bool
range_bound(const char **p, bool *has, unsigned long long *v)
{
	char *end;

	*has = isdigit((unsigned char)**p);
	if (!*has)
		return true;
	errno = 0;
	*v = strtoull(*p, &end, 10);
	*p = end;
	return errno == 0;
}

int
reply_parse_range(const char *value, size_t len, size_t *first, size_t *last)
{
	unsigned long long a = 0, b = 0;
	const char *p = value;
	bool has_a, has_b;

	if (strncmp(p, "bytes=", 6) != 0)
		return 0;
	p += 6;
	while (*p == ' ')
		p++;
	if (strchr(p, ',') != NULL)
		return 0;	/* several ranges: serve the whole body */
	if (!range_bound(&p, &has_a, &a) || *p++ != '-' ||
	    !range_bound(&p, &has_b, &b))
		return 0;
	while (*p == ' ')
		p++;
	if (*p != '\0' || (!has_a && !has_b) || (has_a && has_b && b < a))
		return 0;
	if (!has_a) {		/* the last b bytes */
		if (b == 0 || len == 0)
			return -1;
		*first = b >= len ? 0 : len - (size_t)b;
		*last = len - 1;
		return 1;
	}
	if (a >= len)
		return -1;
	*first = (size_t)a;
	*last = !has_b || b >= len ? len - 1 : (size_t)b;
	return 1;
}

bool
reply_accepts_gzip(const char *value)
{
	const char *p = value;

	while (p != NULL && *p != '\0') {
		size_t n;
		const char *q;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ",;");
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 1 && *p == '*')) {
			q = p + n;
			while (*q == ' ')
				q++;
			if (*q != ';')
				return true;
			q++;
			while (*q == ' ')
				q++;
			/* q=0, q=0.0, q=0.00 refuse; any other weight accepts */
			if (strncasecmp(q, "q=", 2) != 0)
				return true;
			q += 2;
			if (*q != '0')
				return true;
			q++;
			if (*q == '.')
				q++;
			while (*q == '0')
				q++;
			return isdigit((unsigned char)*q);
		}
		p = strchr(p, ',');
	}
	return false;
}

/* Writes the strong ETag of body (a digest of its bytes) into etag. */
static void
make_etag(const char *body, size_t len, const char *suffix, char etag[48])
{
	uint8_t d[DIGEST_SIZE];
	char hex[33];

	digest_sha256(body, len, d);
	digest_hex(d, 16, hex);
	snprintf(etag, 48, "\"%s%s\"", hex, suffix);
}

/* Returns true when an If-None-Match value lists etag (or is "*"),
 * comparing weakly as RFC 9110 asks. */
static bool
etag_listed(const char *value, const char *etag)
{
	size_t n = strlen(etag);

	for (const char *p = value; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' ||
		    p[n] == ' '))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

/* Returns buf (len bytes used) cut down to those bytes: a cached body is
 * counted at its length, so its allocation must not be larger (a gzip
 * buffer is allocated at deflateBound, about the input's size; a built
 * text at its doubling capacity). Keeps buf when realloc fails. */
static char *
shrink(char *buf, size_t len)
{
	char *cut = realloc(buf, len + 1);

	return cut != NULL ? cut : buf;
}

/* Compresses src as gzip into a new buffer (caller frees); NULL when it
 * fails or does not shrink. */
static char *
gzip(const char *src, size_t len, size_t *out_len)
{
	z_stream zs = { 0 };
	char *out;
	uLong bound;

	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, (uLong)len);
	out = malloc(bound);
	if (out == NULL) {
		deflateEnd(&zs);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out >= len) {
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return shrink(out, *out_len);
}

static bool
compressible(const char *type)
{
	return strncmp(type, "application/json", 16) == 0 ||
	    strncmp(type, "text/", 5) == 0 ||
	    strncmp(type, "application/x-ndjson", 20) == 0 ||
	    strncmp(type, "application/yaml", 16) == 0 ||
	    strncmp(type, "application/ld+json", 19) == 0 ||
	    strncmp(type, "application/problem+json", 24) == 0;
}

/* Adds the headers every reply carries. */
static void
add_common_headers(struct MHD_Response *r, const char *content_type,
    const struct reply_options *opt)
{
	if (content_type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		    content_type);
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	/* Resource Timing: a page of any origin may read its own transfer
	 * sizes and timings of accord's responses. */
	MHD_add_response_header(r, "Timing-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Expose-Headers",
	    "ETag, Link, Content-Range, Content-Encoding");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	/* A page (the viewer) runs only its own scripts and styles and
	 * reaches no other origin. */
	if (content_type != NULL && strncmp(content_type, "text/html", 9) == 0)
		MHD_add_response_header(r, "Content-Security-Policy",
		    VIEWER_CSP);
	if (opt->allow != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, opt->allow);
	if (opt->closing)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION,
		    "close");
}

/*
 * Queues the problem document doc (owned when `owned`, else static) for
 * status, with a Content-Range when content_range is not NULL.
 */
static enum MHD_Result
queue_problem(struct MHD_Connection *conn, enum http_status status,
    char *doc, bool owned, const char *content_range,
    const struct reply_options *opt, struct reply_sent *sent)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = strlen(doc);

	*sent = (struct reply_sent){ status, len };
	r = owned ? MHD_create_response_from_buffer_with_free_callback(len,
	    doc, free) : MHD_create_response_from_buffer(len, doc,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		if (owned)
			free(doc);
		return MHD_NO;
	}
	add_common_headers(r, PROBLEM_TYPE, opt);
	if (status == HTTP_SERVICE_UNAVAILABLE)	/* RFC 9110 section 10.2.3 */
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (content_range != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE,
		    content_range);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Renders and queues the problem status with detail and instance; the
 * static out-of-memory problem when it cannot be rendered. */
static enum MHD_Result
send_problem(struct MHD_Connection *conn, enum http_status status,
    const char *detail, const char *instance, const char *content_range,
    const struct reply_options *opt, struct reply_sent *sent)
{
	char *doc = reply_problem(status, detail, instance);

	if (doc == NULL)
		return queue_problem(conn, HTTP_SERVICE_UNAVAILABLE,
		    (char *)(uintptr_t)oom, false, NULL, opt, sent);
	return queue_problem(conn, status, doc, true, content_range, opt,
	    sent);
}

void
reply_drop(struct response *res)
{
	json_decref(res->json);
	res->json = NULL;
	free(res->body);
	res->body = NULL;
	free(res->link);
	res->link = NULL;
}

/* Takes the body out of res: dumped JSON, or the handler's bytes, as a
 * new buffer (caller frees) of *len bytes. NULL when out of memory. */
static char *
take_body(struct response *res, bool pretty, size_t *len)
{
	char *body;

	if (res->json != NULL) {
		body = json_dumps(res->json, pretty ? JSON_INDENT(2) :
		    JSON_COMPACT);
		if (body == NULL)
			return NULL;
		*len = strlen(body);
		if (pretty) {	/* end with a newline for terminals */
			char *nl = realloc(body, *len + 2);
			if (nl == NULL) {
				free(body);
				return NULL;
			}
			body = nl;
			body[(*len)++] = '\n';
			body[*len] = '\0';
		}
		return body;
	}
	if (res->body != NULL && res->json_text && pretty) {
		json_t *parsed = json_loadb(res->body, res->body_len, 0, NULL);
		if (parsed == NULL)
			return NULL;
		free(res->body);
		res->body = NULL;
		res->json = parsed;
		return take_body(res, true, len);
	}
	if (res->body != NULL) {
		body = res->body;
		res->body = NULL;
		*len = res->body_len;
		return shrink(body, *len);
	}
	body = malloc(res->body_len + 1);
	if (body == NULL)
		return NULL;
	if (res->body_len > 0)
		memcpy(body, res->static_body, res->body_len);
	body[res->body_len] = '\0';
	*len = res->body_len;
	return body;
}

struct reply_body *
reply_body_new(struct response *res, bool pretty, bool compress)
{
	struct reply_body *b = calloc(1, sizeof(*b));

	if (b == NULL)
		goto drop_response;
	atomic_init(&b->refs, 1);
	b->data = take_body(res, pretty, &b->len);
	b->link = res->link;
	res->link = NULL;
	if (b->data == NULL)
		goto release_body;
	snprintf(b->type, sizeof(b->type), "%s", res->content_type != NULL ?
	    res->content_type : JSON_TYPE);
	b->ranges = res->ranges;
	b->vary_accept = res->vary_accept;
	make_etag(b->data, b->len, "", b->etag);
	if (compress && compressible(b->type) && b->len >= REPLY_GZIP_MIN) {
		b->gz = gzip(b->data, b->len, &b->gz_len);
		/* The identity ETag, marked: "...-gzip" */
		if (b->gz != NULL)
			snprintf(b->gz_etag, sizeof(b->gz_etag), "%.*s-gzip\"",
			    (int)strlen(b->etag) - 1, b->etag);
	}
	b->counted = reply_body_size(b);
	atomic_fetch_add(&live_bytes, b->counted);
	reply_drop(res);
	return b;

release_body:
	reply_body_release(b);
drop_response:
	reply_drop(res);
	return NULL;
}

void
reply_body_retain(struct reply_body *b)
{
	atomic_fetch_add(&b->refs, 1);
}

/* Frees b and its bytes. */
static void
free_body(struct reply_body *b)
{
	atomic_fetch_sub(&live_bytes, b->counted);
	free(b->data);
	free(b->gz);
	free(b->link);
	free(b);
}

/* MHD's callback when a shared response of b is destroyed: after b's last
 * holder let go (reply_body_release), and every connection that queued
 * it. The last frees b. */
static void
unshared_cb(void *cls)
{
	struct reply_body *b = cls;

	if (atomic_fetch_sub(&b->shares, 1) == 1)
		free_body(b);
}

void
reply_body_release(struct reply_body *b)
{
	struct MHD_Response *plain, *packed;

	if (b == NULL || atomic_fetch_sub(&b->refs, 1) != 1)
		return;
	plain = b->shared[0];
	packed = b->shared[1];
	if (plain == NULL && packed == NULL) {
		free_body(b);
		return;
	}
	/* The reference each was made with: b is not read after these
	 * (the last unshared_cb frees it, now or when a connection that
	 * queued it is done). No holder is left to queue them again. */
	if (plain != NULL)
		MHD_destroy_response(plain);
	if (packed != NULL)
		MHD_destroy_response(packed);
}

size_t
reply_live_bytes(void)
{
	return atomic_load(&live_bytes);
}

size_t
reply_body_size(const struct reply_body *b)
{
	return sizeof(*b) + b->len + b->gz_len + (b->link != NULL ?
	    strlen(b->link) : 0);
}

/* MHD's callback when a response made from a body is destroyed. */
static void
release_cb(void *cls)
{
	reply_body_release(cls);
}

/* Sends a 416 for a body of len bytes. */
static enum MHD_Result
send_unsatisfiable(struct MHD_Connection *conn, size_t len,
    const char *instance, const struct reply_options *opt,
    struct reply_sent *sent)
{
	struct reply_options plain = *opt;
	char range[48], detail[96];

	snprintf(detail, sizeof(detail), "the body has %zu bytes; the range "
	    "asked for is outside it", len);
	snprintf(range, sizeof(range), "bytes */%zu", len);
	plain.allow = NULL;
	return send_problem(conn, HTTP_RANGE_NOT_SATISFIABLE, detail, instance,
	    range, &plain, sent);
}

/* How a 200 body goes out, given the request's conditional, range and
 * encoding fields. */
struct representation {
	enum http_status status;	/* 200, 206 or 304 */
	const char *data;
	size_t len;
	const char *etag;
	bool packed;			/* data is the gzip copy */
	char content_range[80];		/* with 206 */
};

/*
 * Chooses how b goes out to conn. Returns 0, or -1 when the range asked
 * for cannot be satisfied (416).
 */
static int
represent(struct MHD_Connection *conn, const struct reply_body *b,
    struct representation *rep)
{
	const char *inm, *range, *if_range, *accept;
	size_t first = 0, last = 0;
	int ranged;

	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_RANGE);
	if_range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_RANGE);
	inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	*rep = (struct representation){ HTTP_OK, b->data, b->len, b->etag,
	    false, "" };
	if (b->gz != NULL && accept != NULL && reply_accepts_gzip(accept))
		*rep = (struct representation){ HTTP_OK, b->gz, b->gz_len,
		    b->gz_etag, true, "" };
	/* If-None-Match is evaluated before Range (RFC 9110 §13.2.2). */
	if (inm != NULL && etag_listed(inm, rep->etag)) {
		rep->status = HTTP_NOT_MODIFIED;
		return 0;
	}
	if (!b->ranges || range == NULL ||
	    (if_range != NULL && strcmp(if_range, b->etag) != 0))
		return 0;
	ranged = reply_parse_range(range, b->len, &first, &last);
	if (ranged < 0)
		return -1;
	if (ranged > 0) {
		*rep = (struct representation){ HTTP_PARTIAL_CONTENT,
		    b->data + first, last - first + 1, b->etag, false, "" };
		snprintf(rep->content_range, sizeof(rep->content_range),
		    "bytes %zu-%zu/%zu", first, last, b->len);
	}
	return 0;
}

/* Adds to r the headers of rep, a representation of b. */
static void
add_body_headers(struct MHD_Response *r, const struct reply_body *b,
    const struct representation *rep, const struct reply_options *opt)
{
	add_common_headers(r, rep->status == HTTP_NOT_MODIFIED ? NULL :
	    b->type, opt);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rep->etag);
	if (compressible(b->type))
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
		    b->vary_accept ? "Accept, Accept-Encoding" :
		    "Accept-Encoding");
	if (rep->packed && rep->status == HTTP_OK)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
		    "gzip");
	if (b->ranges)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES,
		    "bytes");
	if (rep->status == HTTP_PARTIAL_CONTENT)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE,
		    rep->content_range);
	if (b->link != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LINK, b->link);
}

/* Makes b's shared response of its full 200, gzipped when packed (which
 * needs b->gz). NULL when out of memory. */
static struct MHD_Response *
make_shared(struct reply_body *b, bool packed)
{
	struct representation rep = { HTTP_OK, packed ? b->gz : b->data,
	    packed ? b->gz_len : b->len, packed ? b->gz_etag : b->etag,
	    packed, "" };
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer_with_free_callback_cls(rep.len,
	    (void *)(uintptr_t)rep.data, unshared_cb, b);
	if (r != NULL)
		add_body_headers(r, b, &rep, &(struct reply_options){ 0 });
	return r;
}

/*
 * (Sending a large shared body by sendfile from a memory file instead was
 * measured on /participants, 62 KB: the per-request copy into the socket
 * went, but splicing the file's pages and sending the head by a separate
 * send cost as much; CPU per request 19.9 us before, 20.6 us after.)
 */
int
reply_body_share(struct reply_body *b)
{
	if (b->shared[0] != NULL)
		return 0;
	b->shared[0] = make_shared(b, false);
	if (b->shared[0] == NULL)
		return -1;
	if (b->gz != NULL)
		b->shared[1] = make_shared(b, true);
	atomic_store(&b->shares, b->shared[1] != NULL ? 2 : 1);
	return 0;
}

enum MHD_Result
reply_send_body(struct MHD_Connection *conn, struct reply_body *b,
    const char *instance, const struct reply_options *opt,
    struct reply_sent *sent)
{
	struct representation rep;
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (represent(conn, b, &rep) != 0)
		return send_unsatisfiable(conn, b->len, instance, opt, sent);
	/* A 304 is made from the representation it stands for, so that its
	 * Content-Length is that one's (RFC 9110 §8.6); no body is sent. */
	*sent = (struct reply_sent){ rep.status, rep.status ==
	    HTTP_NOT_MODIFIED ? 0 : rep.len };
	/* A full 200 of a shared body has its response made already, with
	 * the same headers as below (the caller holds b, so it is alive). */
	r = rep.status == HTTP_OK && !opt->closing && opt->allow == NULL ?
	    b->shared[rep.packed ? 1 : 0] : NULL;
	if (r != NULL)
		return MHD_queue_response(conn, rep.status, r);
	/* The response borrows the body's bytes and holds a reference. */
	reply_body_retain(b);
	r = MHD_create_response_from_buffer_with_free_callback_cls(rep.len,
	    (void *)(uintptr_t)rep.data, release_cb, b);
	if (r == NULL) {
		reply_body_release(b);
		return MHD_NO;
	}
	add_body_headers(r, b, &rep, opt);
	ret = MHD_queue_response(conn, rep.status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
reply_send_problem(struct MHD_Connection *conn, enum http_status status,
    struct response *res, const char *instance,
    const struct reply_options *opt, struct reply_sent *sent)
{
	reply_drop(res);
	return send_problem(conn, status, res->detail, instance, NULL, opt,
	    sent);
}

enum MHD_Result
reply_send_preflight(struct MHD_Connection *conn, struct reply_sent *sent)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Timing-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Allow-Methods",
	    "GET, HEAD, OPTIONS");
	MHD_add_response_header(r, "Access-Control-Allow-Headers",
	    "Accept, If-None-Match, Range, Content-Type");
	MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
	    "GET, HEAD, OPTIONS");
	ret = MHD_queue_response(conn, HTTP_NO_CONTENT, r);
	MHD_destroy_response(r);
	*sent = (struct reply_sent){ HTTP_NO_CONTENT, 0 };
	return ret;
}
