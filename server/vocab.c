#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const vocab_participant_kinds[] = { "person", "organization",
    "country", NULL };
const char *const vocab_participant_roles[] = { "delegate", "official",
    "commentator", "mentioned", "author", NULL };
const char *const vocab_agreement_statuses[] = { "agreed", "proposed",
    "under-consideration", "implemented", NULL };
const char *const vocab_outcome_kinds[] = { "commitment", "event",
    "exercise", "mechanism", "guideline", "exchange", "proposal", NULL };
const char *const vocab_outcome_statuses[] = { "agreed", "proposed",
    "under-consideration", NULL };
const char *const vocab_precisions[] = { "year", "season", "month", "day",
    NULL };
const char *const vocab_region_kinds[] = { "advertisement", "caption",
    "related-link", "subscription", "share", "section-label", "source-line",
    "credit", "print-edition", "slug", NULL };
const char *const vocab_stances[] = { "said", "announced", "believed",
    "accused", "denied", "reported", "expected", NULL };
const char *const vocab_certainties[] = { "asserted", "hedged", "expected",
    "conditional", "denied", NULL };
const char *const vocab_timeframe_rules[] = { "as-stated",
    "relative-to-article", "season-of-year", NULL };
const char *const vocab_value_types[] = { "text", "quantity", "date",
    "participant", NULL };
const char *const vocab_bounds[] = { "exactly", "about", "more-than",
    "at-least", "fewer-than", "at-most", NULL };
const char *const vocab_relations[] = { "same", "more-specific",
    "different-precision", "different-aspect", "contradicts", NULL };

const char *
vocab_find(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return list[i];
	return NULL;
}

void
vocab_join(const char *const *list, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; list[i] != NULL && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i > 0 ? ", " : "", list[i]);
}

static bool
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
vocab_valid_date(const char *s, size_t n)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int year, month, day;

	if (!(n == 4 || n == 7 || n == 10) || !digits(s, 4))
		return false;
	year = atoi(s);
	if (n == 4)
		return true;
	if (s[4] != '-' || !digits(s + 5, 2))
		return false;
	month = (s[5] - '0') * 10 + (s[6] - '0');
	if (month < 1 || month > 12)
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || !digits(s + 8, 2))
		return false;
	day = (s[8] - '0') * 10 + (s[9] - '0');
	if (month == 2 && day == 29)
		return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
	return day >= 1 && day <= days[month - 1];
}

bool
vocab_dates_ordered(const char *from, const char *to)
{
	/* As STARTS_BY in lists.c: `from` cut to the precision of `to` is the
	 * period of that precision holding from's first day (when `from`
	 * is the coarser, a prefix of `to` holds it, or the two differ
	 * within from's length), and periods of one precision sort as
	 * their text does. */
	return strncmp(from, to, strlen(to)) <= 0;
}

bool
vocab_valid_timeframe(const char *s)
{
	const char *slash = strchr(s, '/');

	char from[16];
	size_t n;

	if (slash == NULL)
		return vocab_valid_date(s, strlen(s));
	n = (size_t)(slash - s);
	if (n >= sizeof(from) || !vocab_valid_date(s, n) ||
	    !vocab_valid_date(slash + 1, strlen(slash + 1)))
		return false;
	memcpy(from, s, n);
	from[n] = '\0';
	return vocab_dates_ordered(from, slash + 1);
}

bool
vocab_valid_country(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z';
}
