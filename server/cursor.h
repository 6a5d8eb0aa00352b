/*
 * cursor: the opaque cursor of a paged listing: base64url (unpadded) of
 * the compact JSON {"s": sort, "k": keys}, so that a cursor only
 * continues the listing it came from.
 */
#ifndef ACCORD_CURSOR_H
#define ACCORD_CURSOR_H

#include <jansson.h>
#include <stddef.h>

#include "http.h"

/* Returns a new cursor carrying sort and keys (borrowed): a string the
 * caller frees, or NULL when out of memory. */
char *cursor_encode(const char *sort, json_t *keys);

/*
 * Reads ?cursor= of a listing whose cursors carry `sort` and nkeys keys:
 * stores its keys in *after (a new reference, caller decrefs; NULL when
 * there is no cursor) and returns HTTP_OK, or returns 400 when it is not
 * one this listing could have given. Only the canonical form is accepted:
 * cursor_encode of the decoded sort and keys must give back exactly the
 * cursor, which refuses padding ('='), non-zero trailing bits, other JSON
 * spellings (spaces, escapes, member order), extra members and duplicate
 * ones. The keys' types, and whether they name a record of the listing,
 * are the caller's to check (see cursor_unlisted).
 */
enum http_status cursor_read(const struct request *req, const char *sort,
    size_t nkeys, json_t **after, struct response *res);

/* Makes res the 400 for a cursor whose keys are not of their types or
 * name no record of the listing. */
enum http_status cursor_unlisted(struct response *res);

#endif
