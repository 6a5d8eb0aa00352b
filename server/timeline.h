/*
 * timeline: every dated agreement, outcome and claim value in
 * chronological order (schema 006's timeline table, derived at load).
 */
#ifndef ACCORD_TIMELINE_H
#define ACCORD_TIMELINE_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"

/*
 * Stores in *out a new array (caller decrefs) of the timeline's items,
 * each {kind, id, label, value, date, start, end, precision, status,
 * disputed, disputed_by}:
 *   kind      agreement, outcome or claim (one item per dated value);
 *   label     the record's label (an agreement's title, an outcome's
 *             summary, a claim's subject); value: the claim value, else
 *             null;
 *   date      as curated: "YYYY", "YYYY-MM", "YYYY-MM-DD" or a timeframe
 *             "A/B"; null when undated;
 *   start, end  its first and last day (YYYY-MM-DD, both inclusive), or
 *             null; precision: year, season, month or day, or null;
 *   status    an agreement's or outcome's status, else null;
 *   disputed  whether the date is disputed: an outcome's when a disputed
 *             claim states it (timeframe_of), a claim value's when its
 *             claim is disputed; disputed_by: those claims' ids.
 * In order of start, then end, then agreements, outcomes and claims,
 * each in curated order; the undated last (in that order too), or left
 * out when `undated` is false. Returns DB_OK or why not.
 */
enum db_status timeline_items(struct db *db, bool undated, json_t **out);

#endif
