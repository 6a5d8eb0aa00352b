/*
 * The list filters, each held to the whole answer: a filter must keep
 * exactly the records the data says, and the data must say some. Every
 * expectation is computed here from the data files themselves (read with
 * jansson), never from the daemon or its SQL: which facts cite a source,
 * which name a participant, which dates overlap a range (by counting
 * days with a calendar of its own).
 *
 * Suite "fixture": a small corpus this file writes and loads itself,
 * made so that every value of every filter keeps some records and leaves
 * others out, with dates at every precision (a leap February and a common
 * one among them) and names to find in the evidence.
 * Suite "corpus": the bundled data/, whatever it holds.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <glob.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "load.h"
#include "support.h"

enum kind { SOURCES, PARTICIPANTS, AGREEMENTS, OUTCOMES, CLAIMS, KINDS };
static const char *const list_names[KINDS] = { "sources", "participants",
    "agreements", "outcomes", "claims" };

/* The data the daemon under test serves, as its files give it. */
static struct {
	char dir[1024];
	json_t *records[KINDS];	/* each kind's records, in file order */
	json_t *texts;		/* source id: the article's text, read once */
} data;

static struct daemon server;

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Reads dir/sources.json and every dir/annotations/ *.json into data. */
static void
data_read(const char *dir)
{
	char path[1100];
	json_error_t err;
	json_t *doc;
	glob_t g;

	snprintf(data.dir, sizeof(data.dir), "%s", dir);
	for (enum kind k = SOURCES; k < KINDS; k++)
		data.records[k] = json_array();
	data.texts = json_object();
	snprintf(path, sizeof(path), "%s/sources.json", dir);
	doc = json_load_file(path, 0, &err);
	cr_assert_not_null(doc, "%s: %s", path, err.text);
	json_array_extend(data.records[SOURCES], json_object_get(doc,
	    "sources"));
	json_decref(doc);
	snprintf(path, sizeof(path), "%s/annotations/*.json", dir);
	cr_assert_eq(glob(path, 0, NULL, &g), 0, "no %s", path);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		doc = json_load_file(g.gl_pathv[i], 0, &err);
		cr_assert_not_null(doc, "%s: %s", g.gl_pathv[i], err.text);
		for (enum kind k = PARTICIPANTS; k < KINDS; k++) {
			json_t *list = json_object_get(doc, list_names[k]);
			if (list != NULL)
				json_array_extend(data.records[k], list);
		}
		json_decref(doc);
	}
	globfree(&g);
}

static void
data_free(void)
{
	for (enum kind k = SOURCES; k < KINDS; k++)
		json_decref(data.records[k]);
	json_decref(data.texts);
}

/* The text of the source with that id, from its file. */
static const char *
text_of(const char *source)
{
	json_t *rec;
	size_t i;

	if (json_object_get(data.texts, source) == NULL) {
		json_array_foreach(data.records[SOURCES], i, rec) {
			char path[1200], *text;
			if (strcmp(str(rec, "id"), source) != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", data.dir,
			    str(rec, "file"));
			text = slurp(path, NULL);
			json_object_set_new(data.texts, source,
			    json_string(text));
			free(text);
		}
	}
	cr_assert_not_null(json_object_get(data.texts, source), "no source %s",
	    source);
	return str(data.texts, source);
}

/* ------------------------------------------------------------ dates --- */

/*
 * A day of the proleptic Gregorian calendar. Every date of the data and
 * of a request, ISO 8601 at year, month or day precision, stands for the
 * days from its first to its last; these are counted here from the
 * calendar (month lengths, leap years), whatever the daemon does.
 */
struct day {
	long y, m, d;
};

static bool
leap_year(long y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static long
days_in_month(long y, long m)
{
	static const long days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* The number of a day: consecutive days, consecutive numbers. */
static long
day_number(struct day t)
{
	long n = t.y * 365 + (t.y + 3) / 4 - (t.y + 99) / 100 +
	    (t.y + 399) / 400;

	for (long m = 1; m < t.m; m++)
		n += days_in_month(t.y, m);
	return n + t.d - 1;
}

/* Parses the date s[0..n) (YYYY, YYYY-MM or YYYY-MM-DD); month and day
 * are 0 when absent. */
static struct day
parse_date(const char *s, size_t n)
{
	char buf[16];
	struct day t = { 0, 0, 0 };

	cr_assert(n == 4 || n == 7 || n == 10, "not a date: %.*s", (int)n, s);
	snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
	t.y = strtol(buf, NULL, 10);
	if (n >= 7)
		t.m = strtol(buf + 5, NULL, 10);
	if (n == 10)
		t.d = strtol(buf + 8, NULL, 10);
	return t;
}

static struct day
first_day(const char *s, size_t n)
{
	struct day t = parse_date(s, n);

	return (struct day){ t.y, t.m > 0 ? t.m : 1, t.d > 0 ? t.d : 1 };
}

static struct day
last_day(const char *s, size_t n)
{
	struct day t = parse_date(s, n);
	long m = t.m > 0 ? t.m : 12;

	return (struct day){ t.y, m, t.d > 0 ? t.d : days_in_month(t.y, m) };
}

/* Writes t (a year of four digits) as YYYY-MM-DD to buf. */
static void
format_day(struct day t, char buf[11])
{
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)t.y % 10000u,
	    (unsigned)t.m % 100u, (unsigned)t.d % 100u);
}

/* Whether the range [from's first day, to's last] holds no day. */
static bool
empty_range(const char *from, const char *to)
{
	return from != NULL && to != NULL &&
	    day_number(first_day(from, strlen(from))) >
	    day_number(last_day(to, strlen(to)));
}

/*
 * Whether a date or a timeframe "A/B" (the days from A's first to B's
 * last; NULL: undated) has a day from from's first day to to's last, both
 * ends inclusive (a NULL bound: unbounded).
 */
static bool
overlaps(const char *value, const char *from, const char *to)
{
	const char *slash;
	size_t start_len;
	const char *end;

	if (value == NULL)
		return false;
	slash = strchr(value, '/');
	start_len = slash != NULL ? (size_t)(slash - value) : strlen(value);
	end = slash != NULL ? slash + 1 : value;
	if (from != NULL && day_number(last_day(end, strlen(end))) <
	    day_number(first_day(from, strlen(from))))
		return false;
	if (to != NULL && day_number(first_day(value, start_len)) >
	    day_number(last_day(to, strlen(to))))
		return false;
	return true;
}

/* A record's date: a source's date value, an agreement's date, an
 * outcome's timeframe; NULL when it has none. */
static const char *
date_of(enum kind k, const json_t *rec)
{
	switch (k) {
	case SOURCES:
		return str(json_object_get(rec, "date"), "value");
	case AGREEMENTS:
		return str(rec, "date");
	case OUTCOMES:
		return str(rec, "timeframe");
	case PARTICIPANTS:
	case CLAIMS:
	case KINDS:
		break;
	}
	return NULL;
}

/* ------------------------------------------------- sources and names --- */

/* Every citation of a fact (a claim's of all its values): a new array. */
static json_t *
citations(enum kind k, const json_t *rec)
{
	json_t *all = json_array(), *v;
	size_t i;

	if (k != CLAIMS)
		json_array_extend(all, json_object_get(rec, "evidence"));
	else
		json_array_foreach(json_object_get(rec, "values"), i, v)
			json_array_extend(all, json_object_get(v, "evidence"));
	return all;
}

static bool
cites(enum kind k, const json_t *rec, const char *source)
{
	json_t *all = citations(k, rec), *c;
	size_t i;
	bool found = false;

	json_array_foreach(all, i, c)
		found |= strcmp(str(c, "source"), source) == 0;
	json_decref(all);
	return found;
}

static bool
is_word(char c)
{
	return isalnum((unsigned char)c) != 0;
}

/* Whether name occurs in text as a whole word (letters and digits make
 * words) that overlaps bytes [from, to) of it. */
static bool
word_in(const char *text, const char *name, size_t from, size_t to)
{
	size_t n = strlen(name);

	for (const char *p = strstr(text, name); p != NULL;
	     p = strstr(p + 1, name)) {
		size_t at = (size_t)(p - text);
		if ((at > 0 && is_word(text[at - 1])) || is_word(text[at + n]))
			continue;
		if (at < to && at + n > from)
			return true;
	}
	return false;
}

/* Whether the participant's name or one of its aliases occurs in bytes
 * [from, to) of text. */
static bool
named(const json_t *participant, const char *text, size_t from, size_t to)
{
	json_t *alias;
	size_t i;

	if (word_in(text, str(participant, "name"), from, to))
		return true;
	json_array_foreach(json_object_get(participant, "aliases"), i, alias)
		if (word_in(text, json_string_value(alias), from, to))
			return true;
	return false;
}

static const json_t *
participant_record(const char *id)
{
	json_t *p;
	size_t i;

	json_array_foreach(data.records[PARTICIPANTS], i, p)
		if (strcmp(str(p, "id"), id) == 0)
			return p;
	cr_assert_fail("no participant %s", id);
	return NULL;
}

static bool
mentions(const json_t *participant, const char *source)
{
	const char *text = text_of(source);

	return named(participant, text, 0, strlen(text));
}

/*
 * Whether a fact concerns the participant: one of its parties, or named
 * inside one of its quotes. (The fixture's quotes are its articles' words
 * exactly, each found once.)
 */
static bool
concerns(enum kind k, const json_t *rec, const char *participant)
{
	const json_t *p = participant_record(participant);
	json_t *all, *c, *party;
	size_t i;
	bool found = false;

	json_array_foreach(json_object_get(rec, "parties"), i, party)
		found |= strcmp(json_string_value(party), participant) == 0;
	all = citations(k, rec);
	json_array_foreach(all, i, c) {
		const char *text = text_of(str(c, "source"));
		const char *quote = str(c, "quote");
		const char *at = strstr(text, quote);

		cr_assert(at != NULL && strstr(at + 1, quote) == NULL,
		    "the quote \"%s\" is not in %s once", quote,
		    str(c, "source"));
		found |= named(p, text, (size_t)(at - text),
		    (size_t)(at - text) + strlen(quote));
	}
	json_decref(all);
	return found;
}

/* --------------------------------------------------- the expectations --- */

/* What a request filters on (NULL: not filtered). */
struct want {
	const char *source, *participant, *status, *kind, *role, *country;
	const char *agreement, *disputed, *differs, *date_from, *date_to;
};

/* Whether a claim record has a curated relation "contradicts". */
static bool
contradicts(const json_t *rec)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(rec, "relations"), i, r)
		if (strcmp(json_string_value(json_object_get(r, "relation")),
		    "contradicts") == 0)
			return true;
	return false;
}

/* Whether the record of kind k passes every filter of w, by the data. */
static bool
matches(enum kind k, const json_t *rec, const struct want *w)
{
	if (w->source != NULL && !(k == PARTICIPANTS ?
	    mentions(rec, w->source) : cites(k, rec, w->source)))
		return false;
	if (w->participant != NULL && !(k == SOURCES ?
	    mentions(participant_record(w->participant), str(rec, "id")) :
	    concerns(k, rec, w->participant)))
		return false;
	if (w->status != NULL && strcmp(str(rec, "status"), w->status) != 0)
		return false;
	if (w->kind != NULL && strcmp(str(rec, "kind"), w->kind) != 0)
		return false;
	if (w->role != NULL && strcmp(str(rec, "role"), w->role) != 0)
		return false;
	if (w->country != NULL && (str(rec, "country") == NULL ||
	    strcmp(str(rec, "country"), w->country) != 0))
		return false;
	if (w->agreement != NULL && (str(rec, "agreement") == NULL ||
	    strcmp(str(rec, "agreement"), w->agreement) != 0))
		return false;
	if (w->disputed != NULL && contradicts(rec) !=
	    (strcmp(w->disputed, "true") == 0))
		return false;
	if (w->differs != NULL && (json_array_size(json_object_get(rec,
	    "values")) >= 2) != (strcmp(w->differs, "true") == 0))
		return false;
	if ((w->date_from != NULL || w->date_to != NULL) &&
	    !overlaps(date_of(k, rec), w->date_from, w->date_to))
		return false;
	return true;
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A new array of the strings of ids, sorted. */
static json_t *
sorted(const json_t *ids)
{
	size_t n = json_array_size(ids);
	const char **v = calloc(n + 1, sizeof(*v));
	json_t *out = json_array();

	for (size_t i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(ids, i));
	qsort(v, n, sizeof(*v), by_text);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_string(v[i]));
	free(v);
	return out;
}

/* The ids of the records of kind k that pass w, by the data, sorted. */
static json_t *
expected(enum kind k, const struct want *w)
{
	json_t *ids = json_array(), *rec, *out;
	size_t i;

	json_array_foreach(data.records[k], i, rec)
		if (matches(k, rec, w))
			json_array_append(ids, json_object_get(rec, "id"));
	out = sorted(ids);
	json_decref(ids);
	return out;
}

static bool
has_id(const json_t *ids, const char *id)
{
	json_t *v;
	size_t i;

	json_array_foreach(ids, i, v)
		if (strcmp(json_string_value(v), id) == 0)
			return true;
	return false;
}

/* The request of w on list k, every record on one page. */
static void
path_of(enum kind k, const struct want *w, char *buf, size_t size)
{
	const struct { const char *name, *value; } params[] = {
		{ "source", w->source }, { "participant", w->participant },
		{ "status", w->status }, { "kind", w->kind },
		{ "role", w->role }, { "country", w->country },
		{ "agreement", w->agreement }, { "disputed", w->disputed },
		{ "differs", w->differs },
		{ "date_from", w->date_from }, { "date_to", w->date_to },
	};
	size_t len = (size_t)snprintf(buf, size, "/%s?limit=500",
	    list_names[k]);

	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (params[i].value != NULL && len < size)
			len += (size_t)snprintf(buf + len, size - len, "&%s=%s",
			    params[i].name, params[i].value);
	cr_assert_lt(len, size);
}

/* The ids the daemon lists for path (one page, the last), sorted. */
static json_t *
served(const char *path)
{
	struct http r;
	json_t *doc, *ids = json_array(), *item, *out;
	size_t i;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, 200, "GET %s: %ld %s", path, r.status, r.body);
	doc = json_loadb(r.body, r.len, 0, NULL);
	cr_assert_not_null(doc, "GET %s: not JSON", path);
	cr_assert(json_is_null(json_object_get(doc, "next")), "GET %s: more "
	    "than one page", path);
	json_array_foreach(json_object_get(doc, "items"), i, item)
		json_array_append(ids, json_object_get(item, "id"));
	out = sorted(ids);
	json_decref(ids);
	json_decref(doc);
	http_free(&r);
	return out;
}

/* Requires the list k filtered by w to hold exactly the ids the data
 * gives; returns how many. */
static size_t
assert_exactly(enum kind k, const struct want *w)
{
	char path[1024];
	json_t *want = expected(k, w), *got;
	size_t n = json_array_size(want);

	path_of(k, w, path, sizeof(path));
	got = served(path);
	if (!json_equal(got, want)) {
		char *a = json_dumps(got, JSON_COMPACT);
		char *b = json_dumps(want, JSON_COMPACT);
		cr_assert_fail("GET %s kept %s; the data says %s", path, a, b);
	}
	json_decref(got);
	json_decref(want);
	return n;
}

/* assert_exactly, and the data must give some record to keep: a filter
 * test that expects nothing proves nothing. */
static void
assert_keeps(enum kind k, const struct want *w)
{
	char path[1024];

	path_of(k, w, path, sizeof(path));
	cr_assert_gt(assert_exactly(k, w), 0, "the data gives %s nothing to "
	    "keep", path);
}

/* assert_keeps, and id must be among the records kept (the case the test
 * is about is in the data). */
static void
assert_keeps_with(enum kind k, const struct want *w, const char *id)
{
	char path[1024];
	json_t *want = expected(k, w);

	path_of(k, w, path, sizeof(path));
	cr_assert(has_id(want, id), "the data no longer has the case of %s: "
	    "%s is not to be kept", path, id);
	json_decref(want);
	assert_keeps(k, w);
}

/* Requires id to be left out of list k filtered by w, by the data. */
static void
assert_leaves_out(enum kind k, const struct want *w, const char *id)
{
	char path[1024];
	json_t *want = expected(k, w);

	path_of(k, w, path, sizeof(path));
	cr_assert_not(has_id(want, id), "the data no longer has the case of "
	    "%s: %s is to be kept", path, id);
	json_decref(want);
}

/* The distinct values of key among the records of kind k (a new array). */
static json_t *
values_of(enum kind k, const char *key)
{
	json_t *seen = json_object(), *out = json_array(), *rec;
	size_t i;

	json_array_foreach(data.records[k], i, rec) {
		const char *v = str(rec, key);
		if (v != NULL && json_object_get(seen, v) == NULL) {
			json_object_set_new(seen, v, json_true());
			json_array_append_new(out, json_string(v));
		}
	}
	json_decref(seen);
	return out;
}

/* Requires list k filtered by key=value to keep exactly its records with
 * that value, for every value of key in the data. */
static void
assert_each_value(enum kind k, const char *key)
{
	json_t *values = values_of(k, key), *v;
	size_t i;

	cr_assert_gt(json_array_size(values), 0, "no %s has a %s",
	    list_names[k], key);
	json_array_foreach(values, i, v) {
		struct want w = { 0 };
		const char *value = json_string_value(v);
		if (strcmp(key, "status") == 0)
			w.status = value;
		else if (strcmp(key, "kind") == 0)
			w.kind = value;
		else if (strcmp(key, "role") == 0)
			w.role = value;
		else if (strcmp(key, "country") == 0)
			w.country = value;
		else if (strcmp(key, "agreement") == 0)
			w.agreement = value;
		else
			cr_assert_fail("no filter %s", key);
		assert_keeps(k, &w);
	}
	json_decref(values);
}

/* Requires GET path to be a 400 problem whose detail names `name`. */
static void
assert_refused(const char *path, const char *name)
{
	struct http r;
	json_t *doc;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, 400, "GET %s: %ld, not 400", path, r.status);
	doc = json_loadb(r.body, r.len, 0, NULL);
	cr_assert(str(doc, "detail") != NULL && strstr(str(doc, "detail"),
	    name) != NULL, "GET %s: the detail does not name %s: %s", path,
	    name, r.body);
	json_decref(doc);
	http_free(&r);
}

/* ------------------------------------------------------- the fixture --- */

/*
 * Four articles: dated by day, by month, by year, and not at all. Each
 * quote below is its article's words exactly and occurs in it once; no
 * name of one participant is part of another's.
 */
static const char article_open[] =
    "Harbour talks opened in Bergen on 4 December 2015.\n"
    "Mara Olsen and Tomas Reyes signed a fishing accord for the whole of "
    "2015.\n"
    "Olsen said a joint patrol pact for December was ready.\n"
    "Reyes agreed on the day to set up a shipping registry.\n"
    "The registry will run through 2015.\n"
    "A winter note of February 2015 was read out.\n"
    "The Harbour Council counted twelve patrol ships.\n"
    "By Lena Holt\n";
static const char article_february[] =
    "Bergen, February 2016.\n"
    "Norway and the Harbour Council adopted a quota plan for February.\n"
    "Mara Olsen signed a memo on the leap day.\n"
    "A joint patrol starts this month.\n"
    "Reyes expects an audit from the last days of February into March.\n"
    "Olsen counted ten patrol ships.\n"
    "By Lena Holt\n";
static const char article_review[] =
    "Published in 2016.\n"
    "Tomas Reyes and Norway agreed a charter on 1 March.\n"
    "A spring drill will follow from March to May.\n"
    "Inspectors will work from 30 December to 2 January.\n"
    "The Harbour Council put the registry cost at two million.\n"
    "The talks were held in Bergen.\n"
    "A review compact for 2017 is planned.\n";
static const char article_notes[] =
    "Notes from the harbour talks.\n"
    "Mara Olsen proposed an open letter.\n"
    "Lena Holt will join a summer exchange on 15 June 2016.\n"
    "Tomas Reyes put the registry cost at three million.\n"
    "Bergen hosted the talks.\n"
    "Norway called for a hotline, with no date set.\n"
    "Norway said the talks went well.\n";

#define OPEN "harbour-talks-open"
#define FEBRUARY "harbour-talks-february"
#define REVIEW "harbour-talks-review"
#define NOTES "harbour-talks-notes"

struct cite {
	const char *source, *quote;
};

static const struct {
	const char *id, *text, *date, *date_quote;
} fx_sources[] = {
	{ OPEN, article_open, "2015-12-04", "4 December 2015" },
	{ FEBRUARY, article_february, "2016-02", "February 2016" },
	{ REVIEW, article_review, "2016", "Published in 2016" },
	{ NOTES, article_notes, NULL, NULL },
};

static const struct {
	const char *id, *name, *alias, *kind, *role, *country;
} fx_participants[] = {
	{ "mara-olsen", "Mara Olsen", "Olsen", "person", "delegate", "NO" },
	{ "tomas-reyes", "Tomas Reyes", "Reyes", "person", "official", "CL" },
	{ "harbour-council", "Harbour Council", NULL, "organization",
	    "official", NULL },
	{ "norway", "Norway", NULL, "country", "mentioned", "NO" },
	{ "lena-holt", "Lena Holt", NULL, "person", "author", "GB" },
};

static const struct {
	const char *id, *date, *status;
	const char *parties[3];
	struct cite evidence[2];
} fx_agreements[] = {
	{ "fishing-accord-2015", "2015", "agreed",
	    { "mara-olsen", "tomas-reyes" },
	    { { OPEN, "signed a fishing accord for the whole of 2015" } } },
	{ "winter-note-2015-02", "2015-02", "implemented",
	    { "harbour-council" },
	    { { OPEN, "A winter note of February 2015 was read out" } } },
	{ "patrol-pact-2015-12", "2015-12", "proposed", { "norway" },
	    { { OPEN, "Olsen said a joint patrol pact for December was "
	    "ready" } } },
	{ "registry-deal-2015-12-04", "2015-12-04", "under-consideration",
	    { NULL },
	    { { OPEN, "Reyes agreed on the day to set up a shipping "
	    "registry" } } },
	{ "quota-plan-2016-02", "2016-02", "agreed", { "harbour-council" },
	    { { FEBRUARY, "Norway and the Harbour Council adopted a quota "
	    "plan for February" } } },
	{ "leap-day-memo-2016-02-29", "2016-02-29", "implemented",
	    { "mara-olsen" },
	    { { FEBRUARY, "signed a memo on the leap day" } } },
	{ "march-charter-2016-03-01", "2016-03-01", "agreed",
	    { "tomas-reyes" },
	    { { REVIEW, "Tomas Reyes and Norway agreed a charter on 1 March" } } },
	{ "review-compact-2017", "2017", "proposed", { "lena-holt" },
	    { { REVIEW, "A review compact for 2017 is planned" } } },
	{ "open-letter", NULL, "proposed", { NULL },
	    { { NOTES, "Mara Olsen proposed an open letter" } } },
};

static const struct {
	const char *id, *kind, *status, *timeframe, *precision, *agreement;
	const char *parties[3];
	struct cite evidence[2];
} fx_outcomes[] = {
	{ "registry-2015", "mechanism", "proposed", "2015", "year",
	    "registry-deal-2015-12-04", { "tomas-reyes" },
	    { { OPEN, "The registry will run through 2015" } } },
	{ "patrol-start-2016-02", "event", "agreed", "2016-02", "month",
	    "patrol-pact-2015-12", { "norway" },
	    { { FEBRUARY, "A joint patrol starts this month" } } },
	{ "leap-audit", "commitment", "agreed", "2016-02-28/2016-03", "day",
	    "quota-plan-2016-02", { "harbour-council" },
	    { { FEBRUARY, "Reyes expects an audit from the last days of "
	    "February into March" } } },
	{ "spring-drill-2016", "exercise", "agreed", "2016-03/2016-05",
	    "season", "quota-plan-2016-02", { "mara-olsen", "norway" },
	    { { REVIEW, "A spring drill will follow from March to May" } } },
	{ "new-year-inspection", "event", "under-consideration",
	    "2015-12-30/2016-01-02", "day", NULL, { NULL },
	    { { REVIEW, "Inspectors will work from 30 December to 2 "
	    "January" } } },
	{ "summer-exchange", "exchange", "proposed", "2016-06-15", "day", NULL,
	    { NULL },
	    { { NOTES, "Lena Holt will join a summer exchange on 15 June "
	    "2016" } } },
	{ "hotline", "mechanism", "proposed", NULL, NULL, NULL, { "norway" },
	    { { NOTES, "Norway called for a hotline" } } },
};

/* A claim of two values relates the second to the first: they contradict
 * (twelve ships counted against ten), or are another aspect (two
 * estimates of a cost by two speakers, taken as compatible here). */
static const struct {
	const char *id;
	struct {
		const char *value;
		struct cite evidence[2];
	} values[2];
	const char *relation;
} fx_claims[] = {
	{ "patrol-ships", {
	    { "twelve", { { OPEN, "The Harbour Council counted twelve patrol "
	    "ships" } } },
	    { "ten", { { FEBRUARY, "Olsen counted ten patrol ships" } } } },
	    "contradicts" },
	{ "report-author", {
	    { "Lena Holt", { { OPEN, "By Lena Holt" },
	    { FEBRUARY, "By Lena Holt" } } } } , NULL },
	{ "registry-cost", {
	    { "two million", { { REVIEW, "The Harbour Council put the registry "
	    "cost at two million" } } },
	    { "three million", { { NOTES, "Tomas Reyes put the registry cost "
	    "at three million" } } } }, "different-aspect" },
	{ "talks-city", {
	    { "Bergen", { { REVIEW, "The talks were held in Bergen" },
	    { NOTES, "Bergen hosted the talks" } } } } , NULL },
	{ "norway-stance", {
	    { "went well", { { NOTES, "Norway said the talks went well" } } } } , NULL },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static json_t *evidence_list(const struct cite *c, size_t n);

/* The i-th claim of fx_claims as an annotation record: its values keyed
 * v0 and v1, the relation between them, and a dispute when they
 * contradict. */
static json_t *
fixture_claim(size_t i)
{
	json_t *values = json_array(), *claim;
	const char *relation = fx_claims[i].relation;

	for (size_t v = 0; v < 2 && fx_claims[i].values[v].value != NULL; v++)
		json_array_append_new(values, json_pack("{s:s, s:s, s:o}",
		    "key", v == 0 ? "v0" : "v1", "value",
		    fx_claims[i].values[v].value, "evidence",
		    evidence_list(fx_claims[i].values[v].evidence, 2)));
	claim = json_pack("{s:s, s:s, s:o}", "id", fx_claims[i].id, "subject",
	    fx_claims[i].id, "values", values);
	if (relation != NULL)
		json_object_set_new(claim, "relations", json_pack("[{s:[s, s],"
		    " s:s}]", "values", "v0", "v1", "relation", relation));
	if (relation != NULL && strcmp(relation, "contradicts") == 0)
		json_object_set_new(claim, "dispute", json_pack("{s:s}",
		    "reason", "The counts cannot both be right."));
	return claim;
}

static json_t *
string_list(const char *const *v, size_t n)
{
	json_t *out = json_array();

	for (size_t i = 0; i < n && v[i] != NULL; i++)
		json_array_append_new(out, json_string(v[i]));
	return out;
}

static json_t *
evidence_list(const struct cite *c, size_t n)
{
	json_t *out = json_array();

	for (size_t i = 0; i < n && c[i].source != NULL; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "source",
		    c[i].source, "quote", c[i].quote));
	return out;
}

static void
dump(json_t *doc, const char *dir, const char *name)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(2)), 0, "%s", path);
	json_decref(doc);
}

/* Writes the fixture's data directory into dir, as data/README.md says. */
static void
write_fixture(const char *dir)
{
	json_t *sources = json_array(), *participants = json_array();
	json_t *agreements = json_array(), *outcomes = json_array();
	json_t *claims = json_array();
	char path[1200];

	snprintf(path, sizeof(path), "%s/corpus", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/annotations", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	for (size_t i = 0; i < COUNT(fx_sources); i++) {
		char file[128], sha[65];
		size_t len = strlen(fx_sources[i].text);

		snprintf(file, sizeof(file), "corpus/%s.txt", fx_sources[i].id);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		spit(path, fx_sources[i].text, len);
		digest_sha256_hex(fx_sources[i].text, len, sha);
		json_array_append_new(sources, json_pack("{s:s, s:s, s:s, s:n,"
		    " s:n, s:n, s:o, s:n}", "id", fx_sources[i].id, "file",
		    file, "sha256", sha, "headline", "publisher", "byline",
		    "date", fx_sources[i].date == NULL ? json_null() :
		    json_pack("{s:s, s:s}", "value", fx_sources[i].date,
		    "quote", fx_sources[i].date_quote), "url"));
	}
	dump(json_pack("{s:o}", "sources", sources), dir, "sources.json");
	for (size_t i = 0; i < COUNT(fx_participants); i++)
		json_array_append_new(participants, json_pack("{s:s, s:s, s:s,"
		    " s:n, s:n, s:o, s:s, s:o}", "id", fx_participants[i].id,
		    "name", fx_participants[i].name, "kind",
		    fx_participants[i].kind, "title", "affiliation", "country",
		    fx_participants[i].country == NULL ? json_null() :
		    json_string(fx_participants[i].country), "role",
		    fx_participants[i].role, "aliases",
		    string_list(&fx_participants[i].alias, 1)));
	for (size_t i = 0; i < COUNT(fx_agreements); i++)
		json_array_append_new(agreements, json_pack("{s:s, s:s, s:o,"
		    " s:s, s:s, s:o, s:o}", "id", fx_agreements[i].id, "title",
		    fx_agreements[i].id, "date", fx_agreements[i].date == NULL ?
		    json_null() : json_string(fx_agreements[i].date), "status",
		    fx_agreements[i].status, "summary", fx_agreements[i].id,
		    "parties", string_list(fx_agreements[i].parties, 3),
		    "evidence", evidence_list(fx_agreements[i].evidence, 2)));
	for (size_t i = 0; i < COUNT(fx_outcomes); i++)
		json_array_append_new(outcomes, json_pack("{s:s, s:s, s:s, s:o,"
		    " s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "id", fx_outcomes[i].id,
		    "kind", fx_outcomes[i].kind, "status", fx_outcomes[i].status,
		    "timeframe", fx_outcomes[i].timeframe == NULL ? json_null() :
		    json_string(fx_outcomes[i].timeframe), "timeframe_precision",
		    fx_outcomes[i].precision == NULL ? json_null() :
		    json_string(fx_outcomes[i].precision), "timeframe_stated",
		    fx_outcomes[i].timeframe == NULL ? json_null() :
		    json_string(fx_outcomes[i].timeframe), "timeframe_rule",
		    fx_outcomes[i].timeframe == NULL ? json_null() :
		    json_string("as-stated"), "agreement",
		    fx_outcomes[i].agreement == NULL ? json_null() :
		    json_string(fx_outcomes[i].agreement), "parties",
		    string_list(fx_outcomes[i].parties, 3), "summary",
		    fx_outcomes[i].id, "evidence",
		    evidence_list(fx_outcomes[i].evidence, 2)));
	for (size_t i = 0; i < COUNT(fx_claims); i++)
		json_array_append_new(claims, fixture_claim(i));
	dump(json_pack("{s:o, s:o, s:o, s:o}", "participants", participants,
	    "agreements", agreements, "outcomes", outcomes, "claims", claims),
	    dir, "annotations/fixture.json");
}

static char *fixture_dir;

static void
fixture_start(void)
{
	char db[1200], err[1024];

	fixture_dir = temp_dir();
	write_fixture(fixture_dir);
	snprintf(db, sizeof(db), "%s/fixture.db", fixture_dir);
	cr_assert_eq(load_run(fixture_dir, db, err, sizeof(err)), 0,
	    "the fixture does not load: %s", err);
	data_read(fixture_dir);
	daemon_start(&server, db, NULL);
}

static void
fixture_stop(void)
{
	daemon_stop(&server);
	data_free();
	run("rm -rf '%s'", fixture_dir);
	free(fixture_dir);
}

TestSuite(fixture, .init = fixture_start, .fini = fixture_stop,
    .timeout = 120);

/* The fact lists, which take source and participant. */
static const enum kind facts[] = { AGREEMENTS, OUTCOMES, CLAIMS };

static const char *
id_at(enum kind k, size_t i)
{
	return str(json_array_get(data.records[k], i), "id");
}

Test(fixture, source_keeps_exactly_the_facts_citing_the_source)
{
	for (size_t f = 0; f < COUNT(facts); f++)
		for (size_t s = 0; s < json_array_size(data.records[SOURCES]);
		     s++)
			assert_keeps(facts[f], &(struct want){
			    .source = id_at(SOURCES, s) });
}

Test(fixture, participant_keeps_the_facts_naming_them_as_party_or_in_evidence)
{
	for (size_t f = 0; f < COUNT(facts); f++)
		for (size_t p = 0;
		     p < json_array_size(data.records[PARTICIPANTS]); p++)
			assert_keeps(facts[f], &(struct want){
			    .participant = id_at(PARTICIPANTS, p) });
}

Test(fixture, participant_named_only_in_evidence_keeps_that_fact)
{
	/* Olsen is no party to the patrol pact; its quote names her. */
	assert_keeps_with(AGREEMENTS, &(struct want){
	    .participant = "mara-olsen" }, "patrol-pact-2015-12");
}

Test(fixture, participant_keeps_the_sources_that_mention_them)
{
	for (size_t p = 0; p < json_array_size(data.records[PARTICIPANTS]);
	     p++)
		assert_keeps(SOURCES, &(struct want){
		    .participant = id_at(PARTICIPANTS, p) });
}

Test(fixture, source_keeps_the_participants_it_mentions)
{
	for (size_t s = 0; s < json_array_size(data.records[SOURCES]); s++)
		assert_keeps(PARTICIPANTS, &(struct want){
		    .source = id_at(SOURCES, s) });
}

Test(fixture, status_keeps_the_agreements_and_outcomes_of_that_status)
{
	assert_each_value(AGREEMENTS, "status");
	assert_each_value(OUTCOMES, "status");
}

Test(fixture, kind_keeps_the_outcomes_and_participants_of_that_kind)
{
	assert_each_value(OUTCOMES, "kind");
	assert_each_value(PARTICIPANTS, "kind");
}

Test(fixture, role_keeps_the_participants_of_that_role)
{
	assert_each_value(PARTICIPANTS, "role");
}

Test(fixture, country_keeps_the_participants_of_that_country)
{
	assert_each_value(PARTICIPANTS, "country");
}

Test(fixture, agreement_keeps_its_outcomes)
{
	assert_each_value(OUTCOMES, "agreement");
}

Test(fixture, disputed_keeps_the_claims_with_a_contradicting_pair)
{
	assert_keeps(CLAIMS, &(struct want){ .disputed = "true" });
	assert_keeps(CLAIMS, &(struct want){ .disputed = "false" });
}

Test(fixture, differs_keeps_the_claims_with_two_values_or_more)
{
	assert_keeps(CLAIMS, &(struct want){ .differs = "true" });
	assert_keeps(CLAIMS, &(struct want){ .differs = "false" });
}

Test(fixture, source_and_participant_together_keep_the_facts_with_both)
{
	size_t narrower = 0;

	for (size_t f = 0; f < COUNT(facts); f++)
		for (size_t s = 0; s < json_array_size(data.records[SOURCES]);
		     s++)
			for (size_t p = 0; p < json_array_size(
			    data.records[PARTICIPANTS]); p++) {
				struct want both = { .source = id_at(SOURCES,
				    s), .participant = id_at(PARTICIPANTS, p) };
				struct want one = { .source = both.source };
				json_t *a = expected(facts[f], &both);
				json_t *b = expected(facts[f], &one);
				narrower += json_array_size(a) > 0 &&
				    json_array_size(a) < json_array_size(b);
				json_decref(a);
				json_decref(b);
				assert_exactly(facts[f], &both);
			}
	cr_assert_gt(narrower, 0, "no pair of filters keeps some but fewer "
	    "facts than one of them: the test proves nothing");
}

Test(fixture, a_date_range_and_a_status_together_keep_the_records_with_both)
{
	assert_keeps_with(OUTCOMES, &(struct want){ .status = "agreed",
	    .date_from = "2016-03" }, "spring-drill-2016");
	assert_leaves_out(OUTCOMES, &(struct want){ .status = "agreed",
	    .date_from = "2016-03" }, "summer-exchange");
}

/* ---- dates: each record's days against the range's, at any precision -- */

Test(fixture, a_month_range_keeps_a_year_that_overlaps_it)
{
	assert_keeps_with(OUTCOMES, &(struct want){ .date_from = "2015-06",
	    .date_to = "2015-06" }, "registry-2015");
}

Test(fixture, a_day_date_from_keeps_the_month_that_holds_it)
{
	struct want w = { .date_from = "2015-12-05" };

	assert_keeps_with(AGREEMENTS, &w, "patrol-pact-2015-12");
	assert_leaves_out(AGREEMENTS, &w, "registry-deal-2015-12-04");
}

Test(fixture, a_day_range_keeps_the_month_that_holds_it)
{
	assert_keeps_with(SOURCES, &(struct want){ .date_from = "2016-02-10",
	    .date_to = "2016-02-10" }, FEBRUARY);
}

Test(fixture, a_month_range_keeps_a_day_inside_it)
{
	assert_keeps_with(SOURCES, &(struct want){ .date_from = "2015-12",
	    .date_to = "2015-12" }, OPEN);
}

Test(fixture, a_day_range_keeps_the_year_that_holds_it)
{
	assert_keeps_with(OUTCOMES, &(struct want){ .date_from = "2015-12-31",
	    .date_to = "2015-12-31" }, "registry-2015");
}

Test(fixture, a_year_range_keeps_the_days_inside_it)
{
	assert_keeps_with(AGREEMENTS, &(struct want){ .date_from = "2016",
	    .date_to = "2016" }, "leap-day-memo-2016-02-29");
}

Test(fixture, both_ends_of_a_range_are_inclusive)
{
	struct want w = { .date_from = "2015-12-04", .date_to = "2016-02-29" };

	assert_keeps_with(AGREEMENTS, &w, "registry-deal-2015-12-04");
	assert_keeps_with(AGREEMENTS, &w, "leap-day-memo-2016-02-29");
	assert_leaves_out(AGREEMENTS, &w, "march-charter-2016-03-01");
}

Test(fixture, a_date_from_on_a_records_last_day_keeps_it)
{
	/* The spring drill runs to the end of May 2016. */
	assert_keeps_with(OUTCOMES, &(struct want){ .date_from = "2016-05-31" },
	    "spring-drill-2016");
}

Test(fixture, a_date_from_the_day_after_a_records_last_day_leaves_it_out)
{
	struct want w = { .date_from = "2016-06-01" };

	assert_leaves_out(OUTCOMES, &w, "spring-drill-2016");
	assert_keeps(OUTCOMES, &w);
}

Test(fixture, a_date_to_on_a_records_first_day_keeps_it)
{
	assert_keeps_with(AGREEMENTS, &(struct want){ .date_to = "2015-12-04" },
	    "registry-deal-2015-12-04");
	assert_keeps_with(AGREEMENTS, &(struct want){ .date_to = "2015-12-01" },
	    "patrol-pact-2015-12");
}

Test(fixture, a_leap_february_ends_on_the_29th)
{
	assert_keeps_with(AGREEMENTS, &(struct want){ .date_from = "2016-02-29",
	    .date_to = "2016-02-29" }, "quota-plan-2016-02");
}

Test(fixture, a_common_february_ends_on_the_28th)
{
	assert_keeps_with(AGREEMENTS, &(struct want){ .date_from = "2015-02-28",
	    .date_to = "2015-02-28" }, "winter-note-2015-02");
	assert_leaves_out(AGREEMENTS, &(struct want){ .date_from = "2015-03-01" },
	    "winter-note-2015-02");
}

Test(fixture, a_date_from_inside_the_month_of_date_to_is_a_range)
{
	assert_keeps_with(AGREEMENTS, &(struct want){ .date_from = "2016-02-29",
	    .date_to = "2016-02" }, "leap-day-memo-2016-02-29");
}

Test(fixture, a_date_to_ending_before_date_from_begins_is_400)
{
	static const char *const lists[] = { "/sources", "/agreements",
	    "/outcomes" };

	for (size_t i = 0; i < COUNT(lists); i++) {
		char path[128];

		cr_assert(empty_range("2016-03", "2016-02-29"));
		snprintf(path, sizeof(path), "%s?date_from=2016-03&"
		    "date_to=2016-02-29", lists[i]);
		assert_refused(path, "date_to");
		cr_assert(empty_range("2016-01-01", "2015"));
		snprintf(path, sizeof(path), "%s?date_to=2015&"
		    "date_from=2016-01-01", lists[i]);
		assert_refused(path, "date_from");
	}
}

Test(fixture, an_undated_record_is_never_kept_by_a_date)
{
	struct want w = { .date_from = "1000", .date_to = "9999" };

	assert_leaves_out(AGREEMENTS, &w, "open-letter");
	assert_leaves_out(OUTCOMES, &w, "hotline");
	assert_leaves_out(SOURCES, &w, NOTES);
	assert_keeps(AGREEMENTS, &w);
	assert_keeps(OUTCOMES, &w);
	assert_keeps(SOURCES, &w);
}

Test(fixture, every_range_keeps_exactly_the_records_overlapping_it)
{
	static const char *const dates[] = { NULL, "2014", "2015", "2015-02",
	    "2015-02-28", "2015-03-01", "2015-12", "2015-12-04", "2015-12-05",
	    "2015-12-31", "2016", "2016-01-01", "2016-02", "2016-02-29",
	    "2016-03-01", "2016-05-31", "2016-06-01", "2017" };
	static const enum kind dated[] = { SOURCES, AGREEMENTS, OUTCOMES };
	size_t some = 0, not_all = 0, refused = 0;

	for (size_t k = 0; k < COUNT(dated); k++)
		for (size_t a = 0; a < COUNT(dates); a++)
			for (size_t b = 0; b < COUNT(dates); b++) {
				struct want w = { .date_from = dates[a],
				    .date_to = dates[b] };
				char path[256];
				size_t n;

				if (empty_range(w.date_from, w.date_to)) {
					path_of(dated[k], &w, path,
					    sizeof(path));
					assert_refused(path, "date_to");
					refused++;
					continue;
				}
				n = assert_exactly(dated[k], &w);
				some += n > 0;
				not_all += n < json_array_size(
				    data.records[dated[k]]);
			}
	cr_assert_gt(some, 0);
	cr_assert_gt(not_all, 0);
	cr_assert_gt(refused, 0);
}

/* ------------------------------------------------ the bundled corpus --- */

static void
corpus_start(void)
{
	char dir[1100];

	snprintf(dir, sizeof(dir), "%s/data", repo_root());
	data_read(dir);
	daemon_start(&server, env_or_die("ACCORD_DB"), NULL);
}

static void
corpus_stop(void)
{
	daemon_stop(&server);
	data_free();
}

TestSuite(corpus, .init = corpus_start, .fini = corpus_stop, .timeout = 120);

Test(corpus, source_keeps_exactly_the_facts_citing_the_source)
{
	for (size_t f = 0; f < COUNT(facts); f++) {
		size_t some = 0;

		for (size_t s = 0; s < json_array_size(data.records[SOURCES]);
		     s++)
			some += assert_exactly(facts[f], &(struct want){
			    .source = id_at(SOURCES, s) }) > 0;
		cr_assert_gt(some, 0, "no source has %s", list_names[facts[f]]);
	}
}

Test(corpus, status_keeps_the_agreements_and_outcomes_of_that_status)
{
	assert_each_value(AGREEMENTS, "status");
	assert_each_value(OUTCOMES, "status");
}

Test(corpus, kind_keeps_the_outcomes_and_participants_of_that_kind)
{
	assert_each_value(OUTCOMES, "kind");
	assert_each_value(PARTICIPANTS, "kind");
}

Test(corpus, role_keeps_the_participants_of_that_role)
{
	assert_each_value(PARTICIPANTS, "role");
}

Test(corpus, country_keeps_the_participants_of_that_country)
{
	assert_each_value(PARTICIPANTS, "country");
}

Test(corpus, agreement_keeps_its_outcomes)
{
	assert_each_value(OUTCOMES, "agreement");
}

Test(corpus, disputed_keeps_the_claims_with_a_contradicting_pair)
{
	assert_keeps(CLAIMS, &(struct want){ .disputed = "true" });
	assert_keeps(CLAIMS, &(struct want){ .disputed = "false" });
}

Test(corpus, differs_keeps_the_claims_with_two_values_or_more)
{
	assert_keeps(CLAIMS, &(struct want){ .differs = "true" });
	assert_keeps(CLAIMS, &(struct want){ .differs = "false" });
}

/*
 * Every dated record is kept by a range of one day on its first day and
 * one on its last, and by its year and its first month as ranges (so at
 * another precision than its own), with exactly the other records
 * overlapping them.
 */
Test(corpus, every_dated_record_is_kept_by_its_first_and_last_days_year_and_month)
{
	static const enum kind dated[] = { SOURCES, AGREEMENTS, OUTCOMES };
	size_t checked = 0;

	for (size_t k = 0; k < COUNT(dated); k++) {
		json_t *rec;
		size_t i;

		json_array_foreach(data.records[dated[k]], i, rec) {
			const char *date = date_of(dated[k], rec);
			const char *slash, *end;
			char first[11], last[11], year[5], month[8];

			if (date == NULL)
				continue;
			slash = strchr(date, '/');
			end = slash != NULL ? slash + 1 : date;
			format_day(first_day(date, slash != NULL ?
			    (size_t)(slash - date) : strlen(date)), first);
			format_day(last_day(end, strlen(end)), last);
			snprintf(year, sizeof(year), "%.4s", first);
			snprintf(month, sizeof(month), "%.7s", first);
			assert_keeps_with(dated[k], &(struct want){
			    .date_from = first, .date_to = first },
			    str(rec, "id"));
			assert_keeps_with(dated[k], &(struct want){
			    .date_from = last, .date_to = last },
			    str(rec, "id"));
			assert_keeps_with(dated[k], &(struct want){
			    .date_from = year, .date_to = year },
			    str(rec, "id"));
			assert_keeps_with(dated[k], &(struct want){
			    .date_from = month, .date_to = month },
			    str(rec, "id"));
			checked++;
		}
	}
	cr_assert_gt(checked, 0, "no record of the corpus is dated");
}

/* ------------------------------------- capped mentions and their pages --- */

/* Returns the document GET path answers with 200 (caller decrefs). */
static json_t *
fetched(const char *path)
{
	struct http r;
	json_t *doc;

	http_get(&server, path, &r);
	cr_assert_eq(r.status, 200, "GET %s: %ld %s", path, r.status, r.body);
	doc = json_loadb(r.body, r.len, 0, NULL);
	cr_assert_not_null(doc, "GET %s: not JSON", path);
	http_free(&r);
	return doc;
}

/* Requires span to be Norway's mention at cp `start` of `source`. */
static void
assert_norway_at(const json_t *span, const char *source, long long start)
{
	long long at = json_integer_value(json_object_get(span, "start"));

	cr_assert_str_eq(str(span, "source"), source);
	cr_assert_eq(at, start, "%s: %lld, not %lld", source, at, start);
	cr_assert_eq(json_integer_value(json_object_get(span, "end")),
	    start + 6);
	cr_assert_str_eq(str(span, "exact"), "Norway");
}

/* Norway is named four times: once in the February article, once in the
 * review, twice in the notes (code points 23, 35, 198 and 245). */
Test(fixture, a_list_item_carries_its_first_mentions_the_count_and_the_link)
{
	json_t *doc = fetched("/participants?mentions=2&fields=id,mentions,"
	    "mention_count,links"), *item, *norway = NULL;
	size_t i;

	json_array_foreach(json_object_get(doc, "items"), i, item)
		if (strcmp(str(item, "id"), "norway") == 0)
			norway = item;
	cr_assert_not_null(norway);
	cr_assert_eq(json_integer_value(json_object_get(norway,
	    "mention_count")), 4);
	cr_assert_eq(json_array_size(json_object_get(norway, "mentions")), 2);
	assert_norway_at(json_array_get(json_object_get(norway, "mentions"), 0),
	    FEBRUARY, 23);
	assert_norway_at(json_array_get(json_object_get(norway, "mentions"), 1),
	    REVIEW, 35);
	cr_assert_str_eq(str(json_object_get(norway, "links"), "mentions"),
	    "/participants/norway/mentions");
	cr_assert_str_eq(str(json_object_get(norway, "links"), "self"),
	    "/participants/norway");
	json_decref(doc);
}

Test(fixture, the_mentions_link_pages_through_every_mention_in_text_order)
{
	json_t *first = fetched("/participants/norway/mentions?limit=3");
	json_t *items = json_object_get(first, "items"), *second;
	const char *next = str(first, "next");

	cr_assert_eq(json_array_size(items), 3);
	assert_norway_at(json_array_get(items, 0), FEBRUARY, 23);
	assert_norway_at(json_array_get(items, 1), REVIEW, 35);
	assert_norway_at(json_array_get(items, 2), NOTES, 198);
	cr_assert_not_null(next);
	cr_assert_not_null(strstr(next, "/participants/norway/mentions?"));
	second = fetched(strstr(next, "/participants/"));
	cr_assert_eq(json_array_size(json_object_get(second, "items")), 1);
	assert_norway_at(json_array_get(json_object_get(second, "items"), 0),
	    NOTES, 245);
	cr_assert(json_is_null(json_object_get(second, "next")));
	json_decref(second);
	json_decref(first);
}

Test(fixture, the_mentions_of_an_unknown_participant_are_404)
{
	struct http r;

	http_get(&server, "/participants/nobody/mentions", &r);
	cr_assert_eq(r.status, 404, "%ld %s", r.status, r.body);
	http_free(&r);
	assert_refused("/participants/norway/mentions?limit=0", "limit");
}
