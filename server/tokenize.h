/*
 * tokenize: the FTS5 tokenizer of accord's search index, "accord". It is
 * unicode61 (given the same arguments) except for the scripts written
 * without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
 * Khmer, Myanmar), where unicode61 keeps a whole run as one token: there
 * each character is a token of its own. A query word such as 東京 is then
 * the phrase 東 京, which matches inside any longer run (東京都で会議), and
 * bm25 ranks the hits as for any other phrase. Offsets are those of the
 * text tokenized (UTF-8 bytes), so highlight() marks exact characters.
 */
#ifndef ACCORD_TOKENIZE_H
#define ACCORD_TOKENIZE_H

#include <sqlite3.h>

/*
 * Registers the "accord" tokenizer with conn's FTS5, and the auxiliary
 * function accord_matches (matches.h). Every connection that writes or
 * reads search_index must do so before using it. Returns
 * SQLITE_OK, or an SQLite error code (FTS5 missing, out of memory).
 */
int tokenize_register(sqlite3 *conn);

#endif
