#include "cursor.h"

#include <nettle/base64.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *
cursor_encode(const char *sort, json_t *keys)
{
	struct base64_encode_ctx ctx;
	json_t *doc = json_pack("{s:s, s:O}", "s", sort, "k", keys);
	char *text, *out;
	size_t len, n;

	if (doc == NULL)
		return NULL;
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text == NULL)
		return NULL;
	len = strlen(text);
	out = malloc(BASE64_ENCODE_LENGTH(len) + BASE64_ENCODE_FINAL_LENGTH + 1);
	if (out != NULL) {
		base64url_encode_init(&ctx);
		n = base64_encode_update(&ctx, out, len, (const uint8_t *)text);
		n += base64_encode_final(&ctx, out + n);
		while (n > 0 && out[n - 1] == '=')	/* unpadded */
			n--;
		out[n] = '\0';
	}
	free(text);
	return out;
}

/*
 * Decodes a cursor into the keys it carries (a new reference, caller
 * decrefs), or NULL when it is not one this listing (sort) could have
 * made, in its canonical form (see cursor_read): its "s" must equal sort
 * and its "k" be an array.
 */
static json_t *
decode(const char *cursor, const char *sort)
{
	struct base64_decode_ctx ctx;
	size_t len = strlen(cursor), n = 0;
	char padded[1100];
	uint8_t *raw;
	json_t *doc, *keys = NULL;
	char *again;

	if (len == 0 || len > 1024)
		return NULL;
	memcpy(padded, cursor, len);
	while (len % 4 != 0)
		padded[len++] = '=';
	raw = malloc(BASE64_DECODE_LENGTH(len) + 1);
	if (raw == NULL)
		return NULL;
	base64url_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, raw, len, padded) ||
	    !base64_decode_final(&ctx)) {
		free(raw);
		return NULL;
	}
	doc = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (doc != NULL && json_is_string(json_object_get(doc, "s")) &&
	    strcmp(json_string_value(json_object_get(doc, "s")), sort) == 0 &&
	    json_is_array(json_object_get(doc, "k"))) {
		again = cursor_encode(sort, json_object_get(doc, "k"));
		if (again != NULL && strcmp(again, cursor) == 0)
			keys = json_incref(json_object_get(doc, "k"));
		free(again);
	}
	json_decref(doc);
	return keys;
}

enum http_status
cursor_read(const struct request *req, const char *sort, size_t nkeys,
    json_t **after, struct response *res)
{
	const char *cursor = url_param(req->url, "cursor");

	*after = NULL;
	if (cursor == NULL)
		return HTTP_OK;
	*after = decode(cursor, sort);
	if (*after == NULL || json_array_size(*after) != nkeys) {
		json_decref(*after);
		*after = NULL;
		return problem(res, HTTP_BAD_REQUEST, "cursor is not one this "
		    "listing gave (it must come unchanged from a next link "
		    "with the same sort)");
	}
	return HTTP_OK;
}

enum http_status
cursor_unlisted(struct response *res)
{
	return problem(res, HTTP_BAD_REQUEST, "cursor is not one this listing "
	    "gave (it names no record of this listing, with the same sort and "
	    "filters)");
}
