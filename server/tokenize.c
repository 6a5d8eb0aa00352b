#include "tokenize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "matches.h"
#include "utf8.h"

/* An instance: unicode61, created with the same arguments. */
struct tokenizer {
	fts5_tokenizer inner_api;
	Fts5Tokenizer *inner;
};

typedef int (*token_fn)(void *ctx, int tflags, const char *token,
    int ntoken, int start, int end);

/* Forwards unicode61's tokens of a piece of the text to FTS5, with their
 * offsets moved by where the piece starts. */
struct shift {
	void *ctx;
	token_fn emit;
	int base;
};

/* Returns true when cp belongs to a script written without spaces
 * between words: its characters are tokens of their own. */
static bool
unspaced(uint32_t cp)
{
	return (cp >= 0x0E00 && cp <= 0x0EFF) ||	/* Thai, Lao */
	    (cp >= 0x1000 && cp <= 0x109F) ||		/* Myanmar */
	    (cp >= 0x1780 && cp <= 0x17FF) ||		/* Khmer */
	    (cp >= 0x3040 && cp <= 0x30FF) ||		/* kana */
	    (cp >= 0x31F0 && cp <= 0x31FF) ||		/* kana extension */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||		/* Han, extension A */
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||		/* Han */
	    (cp >= 0xF900 && cp <= 0xFAFF) ||		/* Han compatibility */
	    (cp >= 0xFF66 && cp <= 0xFF9F) ||		/* halfwidth kana */
	    (cp >= 0x20000 && cp <= 0x3FFFF);		/* Han, planes 2-3 */
}

static int
shifted(void *ctx, int tflags, const char *token, int ntoken, int start,
    int end)
{
	struct shift *s = ctx;

	return s->emit(s->ctx, tflags, token, ntoken, start + s->base,
	    end + s->base);
}

static int
create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	struct tokenizer *t = calloc(1, sizeof(*t));
	void *user = NULL;
	int rc;

	if (t == NULL)
		return SQLITE_NOMEM;
	rc = api->xFindTokenizer(api, "unicode61", &user, &t->inner_api);
	if (rc == SQLITE_OK)
		rc = t->inner_api.xCreate(user, argv, argc, &t->inner);
	if (rc != SQLITE_OK) {
		free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
destroy(Fts5Tokenizer *tok)
{
	struct tokenizer *t = (struct tokenizer *)tok;

	if (t == NULL)
		return;
	t->inner_api.xDelete(t->inner);
	free(t);
}

/* Tokenizes text[from..to) with unicode61. */
static int
piece(struct tokenizer *t, struct shift *s, int flags, const char *text,
    int from, int to)
{
	if (from >= to)
		return SQLITE_OK;
	s->base = from;
	return t->inner_api.xTokenize(t->inner, s, flags, text + from,
	    to - from, shifted);
}

/*
 * Splits text[0..n) at each character of an unspaced script: the pieces
 * between go to unicode61, each such character is a token by itself. A
 * byte that begins no valid character is left to unicode61 (which takes
 * it as a separator).
 */
static int
tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int n,
    token_fn emit)
{
	struct tokenizer *t = (struct tokenizer *)tok;
	struct shift s = { ctx, emit, 0 };
	size_t at = 0, len = n > 0 ? (size_t)n : 0, next;
	int from = 0, rc = SQLITE_OK;
	uint32_t cp;

	while (at < len && rc == SQLITE_OK) {
		next = at;
		if (!utf8_decode(text, len, &next, &cp)) {
			at++;
			continue;
		}
		if (unspaced(cp)) {
			rc = piece(t, &s, flags, text, from, (int)at);
			if (rc == SQLITE_OK)
				rc = emit(ctx, 0, text + at, (int)(next - at),
				    (int)at, (int)next);
			from = (int)next;
		}
		at = next;
	}
	return rc == SQLITE_OK ? piece(t, &s, flags, text, from, (int)len) : rc;
}

int
tokenize_register(sqlite3 *conn)
{
	static fts5_tokenizer accord = { create, destroy, tokenize };
	fts5_api *api = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = sqlite3_prepare_v2(conn, "SELECT fts5(?1)", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", NULL);
	if (rc == SQLITE_OK && sqlite3_step(stmt) != SQLITE_ROW)
		rc = sqlite3_errcode(conn);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		return rc;
	if (api == NULL)
		return SQLITE_ERROR;
	rc = api->xCreateTokenizer(api, "accord", api, &accord, NULL);
	return rc == SQLITE_OK ? matches_register(api) : rc;
}
