/* selection: fields= and embed=, how much of a record a request shows. */
#ifndef ACCORD_SELECTION_H
#define ACCORD_SELECTION_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"

/*
 * How much of a record to show: fields, the top-level members to keep
 * (names joined by ',', each selection_field_known; NULL: all), and embed,
 * the related records whose labels to add (selection_embed_known names
 * joined by ','; NULL: none) as an "embedded" member: {"parties": [{id,
 * label, kind}], "sources": [{id, label, publisher, date}], "agreement":
 * {id, label, status} or null}, parties in curated order, sources (those
 * the record has a span in) in corpus order. Borrowed strings.
 */
struct selection {
	const char *fields;
	const char *embed;
};

/* Returns true when a record of kind may have the top-level member name
 * (in its list or detail form). */
bool selection_field_known(enum db_kind kind, const char *name);

/* Returns true when a record of kind can embed name: "parties"
 * (agreements, outcomes), "sources" (all but sources), "agreement"
 * (outcomes). */
bool selection_embed_known(enum db_kind kind, const char *name);

/*
 * Makes obj, a whole record of kind (record_get's, or a list's), the view
 * asked: adds "embedded" (view->embed) and keeps only view->fields (and
 * "embedded") when given. Returns DB_OK or why not.
 */
enum db_status selection_apply(struct db *db, enum db_kind kind,
    json_t *obj, const struct selection *view);

#endif
