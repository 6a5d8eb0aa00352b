/*
 * matches: the FTS5 auxiliary function accord_matches(search_index): the
 * byte ranges of the row's body that the query matched (each phrase
 * instance, overlapping ones merged), as text "START END\n" per range in
 * text order. Linear in the row's length, where highlight() builds its
 * result by re-copying it at each match (quadratic in a long article
 * with many matches).
 */
#ifndef ACCORD_MATCHES_H
#define ACCORD_MATCHES_H

#include <sqlite3.h>

/* Registers accord_matches with the FTS5 of api. Returns SQLITE_OK or an
 * SQLite error code. */
int matches_register(fts5_api *api);

#endif
