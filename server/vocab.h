/* vocab: the closed vocabularies of the data model, and date syntax. */
#ifndef ACCORD_VOCAB_H
#define ACCORD_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

/* Each list is NULL-terminated. */
extern const char *const vocab_participant_kinds[];
extern const char *const vocab_participant_roles[];
extern const char *const vocab_agreement_statuses[];
extern const char *const vocab_outcome_kinds[];
extern const char *const vocab_outcome_statuses[];
extern const char *const vocab_precisions[];
extern const char *const vocab_region_kinds[];
/* Annotation format 2: a citation's stance and certainty, an outcome's
 * timeframe rule, a claim value's type and quantity bound, and how two
 * values of a claim relate. */
extern const char *const vocab_stances[];
extern const char *const vocab_certainties[];
extern const char *const vocab_timeframe_rules[];
extern const char *const vocab_value_types[];
extern const char *const vocab_bounds[];
extern const char *const vocab_relations[];

/* Returns the list's entry equal to s (a static string), or NULL. */
const char *vocab_find(const char *const *list, const char *s);

/* Writes the list as "a, b, c" into buf (truncated to size). */
void vocab_join(const char *const *list, char *buf, size_t size);

/* Returns true for an ISO 8601 calendar date at year, month or day
 * precision (YYYY, YYYY-MM, YYYY-MM-DD) that exists; s[0..n). */
bool vocab_valid_date(const char *s, size_t n);

/*
 * Returns true when the first day of `from` is on or before the last day
 * of `to`, that is when the days from the one to the other are not none.
 * Both are NUL-terminated dates valid for vocab_valid_date, each standing
 * for every day of its year, month or day, at any mix of precisions:
 * ("2016", "2016-01-01"), ("2016-02-29", "2016-02") and ("2016-03",
 * "2016") are ordered; ("2016-03", "2016-02-29") and ("2017", "2016-12")
 * are not. Compares text only (no calendar), borrows both.
 */
bool vocab_dates_ordered(const char *from, const char *to);

/* Returns true for a date, or an interval "A/B" of two dates whose first
 * day of A is on or before the last day of B, at any mix of precisions
 * ("2016-03/2016" is March to December 2016; see vocab_dates_ordered). */
bool vocab_valid_timeframe(const char *s);

/* Returns true for an ISO 3166-1 alpha-2 shape: two capitals. */
bool vocab_valid_country(const char *s);

#endif
