/*
 * highlight: every span in one article, whatever cites it, in text
 * order: what an article reader or a highlighter draws, in one query.
 */
#ifndef ACCORD_HIGHLIGHT_H
#define ACCORD_HIGHLIGHT_H

#include <jansson.h>

#include "db.h"

/*
 * Stores in *out a new object (caller decrefs) for the source with this
 * id: {source, label, sha256, length: {codepoints, bytes, utf16}, text,
 * items}, where items holds every span in its text, one item per citing
 * record, ordered by byte_start, then byte_end, then kind (agreement,
 * outcome, claim, participant, metadata, region), then id and value:
 *   kind      agreement, outcome, claim (a value's evidence),
 *             participant (a mention), metadata (a field's words) or
 *             region (boilerplate);
 *   id        the record's id (the source's own for metadata and
 *             regions);
 *   label     the record's label (record.c's), the metadata field, or
 *             the region's kind;
 *   value     a claim value's text, else null;
 *   field     a metadata field (headline, publisher, byline, date, url),
 *             else null;
 *   region    a region's kind, else null; links_to: a cross-reference's
 *             source, else null;
 * and the span's fields (RECORD_SPAN_COLUMNS: offsets in code points,
 * UTF-8 bytes and UTF-16 units, end exclusive; exact, prefix, suffix).
 * Returns DB_OK, DB_NOT_FOUND when no source has the id, or why not.
 */
enum db_status highlight_source(struct db *db, const char *id,
    json_t **out);

#endif
