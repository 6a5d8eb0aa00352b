/*
 * Cursors end to end: the daemon accepts a cursor only when the listing
 * could have produced it (canonical form, the same sort, keys that name a
 * record of that listing), and a genuine next link still pages. The forged
 * cursors are built here by base64url-encoding JSON ourselves, never with
 * the server's functions.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

TestSuite(cursor, .init = server_start, .fini = server_stop, .timeout = 60);

/*
 * Returns the base64url encoding of json (a new string, caller frees),
 * with its '=' padding when `padded`, else without it (the form the
 * daemon gives).
 */
static char *
b64url(const char *json, bool padded)
{
	struct base64_encode_ctx ctx;
	size_t len = strlen(json), n;
	char *out = malloc(BASE64_ENCODE_LENGTH(len) +
	    BASE64_ENCODE_FINAL_LENGTH + 1);

	cr_assert_not_null(out);
	base64url_encode_init(&ctx);
	n = base64_encode_update(&ctx, out, len, (const uint8_t *)json);
	n += base64_encode_final(&ctx, out + n);
	while (!padded && n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	return out;
}

/* Returns the JSON text an unpadded base64url cursor carries (a new
 * string, caller frees); fails the test when it does not decode. */
static char *
unb64url(const char *cursor)
{
	struct base64_decode_ctx ctx;
	size_t len = strlen(cursor), n = 0;
	char *padded = calloc(len + 4, 1);
	char *out = malloc(BASE64_DECODE_LENGTH(len + 3) + 1);

	cr_assert(padded != NULL && out != NULL);
	memcpy(padded, cursor, len);
	while (len % 4 != 0)
		padded[len++] = '=';
	base64url_decode_init(&ctx);
	cr_assert(base64_decode_update(&ctx, &n, (uint8_t *)out, len, padded) &&
	    base64_decode_final(&ctx), "cursor %s is not base64url", cursor);
	out[n] = '\0';
	free(padded);
	return out;
}

/* GETs path, requires status and a JSON body; returns the parsed body (a
 * new reference). */
static json_t *
get_json(const char *path, long status)
{
	struct http r;
	json_error_t err;
	json_t *doc;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, status, "GET %s: %ld, wanted %ld: %s", path,
	    r.status, status, r.body);
	doc = json_loadb(r.body, r.len, 0, &err);
	cr_assert_not_null(doc, "GET %s: invalid JSON: %s", path, err.text);
	http_free(&r);
	return doc;
}

/* Requires GET path to be a 400 problem whose detail names the cursor
 * parameter. */
static void
assert_cursor_refused(const char *path)
{
	static const char prefix[] = "cursor is not one this listing gave";
	struct http r;
	char *type;
	json_t *doc;
	const char *detail;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, 400, "GET %s: %ld: %s", path, r.status, r.body);
	type = http_header(&r, "Content-Type");
	cr_assert_str_eq(type, "application/problem+json");
	doc = json_loadb(r.body, r.len, 0, NULL);
	cr_assert_not_null(doc);
	detail = json_string_value(json_object_get(doc, "detail"));
	cr_assert(detail != NULL && strncmp(detail, prefix, strlen(prefix)) ==
	    0, "detail: %s", detail);
	json_decref(doc);
	free(type);
	http_free(&r);
}

/* Returns the cursor of the next link of GET path (a new string, caller
 * frees); fails the test when there is none. */
static char *
next_cursor(const char *path)
{
	json_t *doc = get_json(path, 200);
	const char *next = json_string_value(json_object_get(doc, "next"));
	const char *at = next != NULL ? strstr(next, "cursor=") : NULL;
	char *cursor;

	cr_assert_not_null(at, "%s has no next link", path);
	cursor = strndup(at + 7, strcspn(at + 7, "&"));
	json_decref(doc);
	return cursor;
}

Test(cursor, a_forged_cursor_with_a_negative_id_is_refused)
{
	char *cursor = b64url("{\"s\":\"\",\"k\":[-1]}", false);
	char path[256];

	snprintf(path, sizeof(path), "/claims?limit=2&cursor=%s", cursor);
	assert_cursor_refused(path);
	free(cursor);
}

Test(cursor, a_cursor_whose_id_names_no_record_is_refused)
{
	char *cursor = b64url("{\"s\":\"\",\"k\":[999999]}", false);
	char path[256];

	snprintf(path, sizeof(path), "/claims?limit=2&cursor=%s", cursor);
	assert_cursor_refused(path);
	free(cursor);
}

/* Keys of another JSON type are refused, even those SQLite would compare
 * equal: "0" for the first claim's curated position 0, and a number for
 * the text of a subject. */
Test(cursor, a_cursor_whose_keys_are_of_another_type_is_refused)
{
	static const char *const forged[][2] = {
		{ "", "{\"s\":\"\",\"k\":[\"0\"]}" },
		{ "&sort=subject", "{\"s\":\"subject\",\"k\":[0,0]}" },
	};
	char path[256];

	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		char *cursor = b64url(forged[i][1], false);
		snprintf(path, sizeof(path), "/claims?limit=2%s&cursor=%s",
		    forged[i][0], cursor);
		assert_cursor_refused(path);
		free(cursor);
	}
}

Test(cursor, a_cursor_whose_sort_key_is_not_its_records_is_refused)
{
	/* A genuine cursor of sort=subject, its subject key changed: the id
	 * names a claim, but not one with that subject. */
	char *genuine = next_cursor("/claims?limit=2&sort=subject");
	char *json = unb64url(genuine), *forged, *cursor;
	json_t *doc = json_loads(json, 0, NULL);
	char path[512];

	cr_assert_not_null(doc);
	cr_assert(json_is_string(json_array_get(json_object_get(doc, "k"), 0)));
	json_array_set_new(json_object_get(doc, "k"), 0,
	    json_string("zzzz no such subject"));
	forged = json_dumps(doc, JSON_COMPACT);
	cursor = b64url(forged, false);
	snprintf(path, sizeof(path), "/claims?limit=2&sort=subject&cursor=%s",
	    cursor);
	assert_cursor_refused(path);
	json_decref(doc);
	free(genuine);
	free(json);
	free(forged);
	free(cursor);
}

Test(cursor, a_cursor_of_a_record_outside_the_filtered_listing_is_refused)
{
	/* The record after which the disputed claims' second page starts is
	 * a disputed claim: not among the undisputed ones. */
	char *cursor = next_cursor("/claims?disputed=true&limit=1");
	char path[256];

	snprintf(path, sizeof(path), "/claims?disputed=false&limit=1&cursor=%s",
	    cursor);
	assert_cursor_refused(path);
	free(cursor);
}

Test(cursor, a_genuine_cursor_rebuilt_byte_for_byte_is_accepted)
{
	/* The control for the tests that follow: this encoder, given the
	 * JSON a genuine cursor carries, gives back the same cursor, which
	 * the daemon accepts. */
	char *genuine = next_cursor("/claims?limit=2");
	char *json = unb64url(genuine), *rebuilt = b64url(json, false);
	char path[256];
	json_t *doc;

	cr_assert_str_eq(json, "{\"s\":\"\",\"k\":[1]}");
	cr_assert_str_eq(rebuilt, genuine);
	snprintf(path, sizeof(path), "/claims?limit=2&cursor=%s", rebuilt);
	doc = get_json(path, 200);
	json_decref(doc);
	free(genuine);
	free(json);
	free(rebuilt);
}

Test(cursor, a_cursor_re_encoded_with_padding_is_refused)
{
	char *genuine = next_cursor("/claims?limit=2");
	char *json = unb64url(genuine), *padded = b64url(json, true);
	char path[256];
	size_t n = strlen(padded);

	cr_assert(n > 0 && padded[n - 1] == '=', "%s has no padding", padded);
	/* '=' percent-encoded, so that the cursor reaches its check whole. */
	n = (size_t)snprintf(path, sizeof(path), "/claims?limit=2&cursor=%.*s",
	    (int)strcspn(padded, "="), padded);
	for (const char *p = strchr(padded, '='); p != NULL && *p == '='; p++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "%%3D");
	assert_cursor_refused(path);
	free(genuine);
	free(json);
	free(padded);
}

Test(cursor, a_cursor_in_another_json_spelling_is_refused)
{
	/* The genuine {"s":"","k":[1]} with spaces. */
	char *cursor = b64url("{\"s\": \"\", \"k\": [1]}", false);
	char path[256];

	snprintf(path, sizeof(path), "/claims?limit=2&cursor=%s", cursor);
	assert_cursor_refused(path);
	free(cursor);
}

Test(cursor, a_cursor_with_an_extra_member_is_refused)
{
	char *cursor = b64url("{\"s\":\"\",\"k\":[1],\"x\":0}", false);
	char path[256];

	snprintf(path, sizeof(path), "/claims?limit=2&cursor=%s", cursor);
	assert_cursor_refused(path);
	free(cursor);
}

Test(cursor, a_cursor_from_a_next_link_with_another_sort_is_refused)
{
	/* Both sorts have one text key, so only the sort itself differs. */
	char *cursor = next_cursor("/outcomes?limit=2&sort=status");
	char path[256];

	snprintf(path, sizeof(path), "/outcomes?limit=2&sort=kind&cursor=%s",
	    cursor);
	assert_cursor_refused(path);
	free(cursor);
}

Test(cursor, a_genuine_next_link_continues_after_the_last_item)
{
	static const char *const paths[] = { "/claims?limit=3",
	    "/outcomes?status=agreed&sort=-corroboration,kind&limit=3" };

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		char whole_path[256];
		json_t *first = get_json(paths[p], 200), *second, *whole;
		const char *next = json_string_value(json_object_get(first,
		    "next"));
		json_t *page1, *page2, *all;

		cr_assert_not_null(next, "%s has no next link", paths[p]);
		second = get_json(next, 200);
		snprintf(whole_path, sizeof(whole_path), "%.*slimit=6",
		    (int)(strstr(paths[p], "limit=") - paths[p]), paths[p]);
		whole = get_json(whole_path, 200);
		page1 = json_object_get(first, "items");
		page2 = json_object_get(second, "items");
		all = json_object_get(whole, "items");
		cr_assert_eq(json_array_size(page1), 3);
		cr_assert_eq(json_array_size(page2), 3, "%s", next);
		cr_assert_eq(json_array_size(all), 6);
		/* Page 2 is items 4 to 6 of the whole: its first is the one
		 * after page 1's last, and none is on page 1. */
		for (size_t i = 0; i < 3; i++) {
			const char *id = json_string_value(json_object_get(
			    json_array_get(page2, i), "id"));
			cr_assert_str_eq(id, json_string_value(json_object_get(
			    json_array_get(all, i + 3), "id")), "%s", next);
			for (size_t j = 0; j < 3; j++)
				cr_assert_str_neq(id, json_string_value(
				    json_object_get(json_array_get(page1, j),
				    "id")), "%s repeats %s", next, id);
		}
		json_decref(first);
		json_decref(second);
		json_decref(whole);
	}
}
