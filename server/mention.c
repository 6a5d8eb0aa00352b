#include "mention.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "anchor.h"
#include "matcher.h"
#include "scan.h"

/* The names under which a participant is found. */
struct names {
	const char *id;
	const struct input_file *file;
	json_t *forms;	/* array of strings: name, then aliases */
	json_t *not_mentions;	/* array of phrases (borrowed), or NULL */
	size_t *removed;	/* per phrase: the matches it removed */
	size_t mentions;
};

/* The phrases that are not mentions, found in the source at hand: each
 * hit's owner is the participant's index times MAX_PHRASES plus the
 * phrase's. */
#define MAX_PHRASES 64

/* Frees names[0..n) and names. */
static void
free_names(struct names *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(names[i].forms);
		free(names[i].removed);
	}
	free(names);
}

/* Lists every participant that loaded (usable[j] for the j-th record)
 * with its name and aliases, in file order. Stores a new array in *out
 * (free it with free_names). */
static int
gather_names(struct input *in, const struct input_file *files,
    size_t nfiles, const bool *usable, struct names **out, size_t *count)
{
	struct names *names = NULL;
	size_t n = 0, cap = 0, j = 0;

	for (size_t f = 0; f < nfiles; f++) {
		json_t *list = json_object_get(files[f].root, "participants");
		json_t *rec;
		size_t i;

		json_array_foreach(list, i, rec) {
			json_t *aliases = json_object_get(rec, "aliases");
			json_t *forms;

			if (!usable[j++])
				continue;
			forms = json_array();
			if (n == cap) {
				struct names *more;
				cap = cap == 0 ? 32 : cap * 2;
				more = realloc(names, cap * sizeof(*names));
				if (more == NULL) {
					json_decref(forms);
					free_names(names, n);
					return input_fail(in, NULL,
					    "out of memory");
				}
				names = more;
			}
			json_array_append(forms, json_object_get(rec, "name"));
			if (json_is_array(aliases))
				json_array_extend(forms, aliases);
			names[n++] = (struct names){
			    json_string_value(json_object_get(rec, "id")),
			    &files[f], forms, json_object_get(rec,
			    "not_mentions"), NULL, 0 };
		}
	}
	*out = names;
	*count = n;
	return 0;
}

/* Lists the needles of names: every form of every participant. Returns a
 * new array (the caller frees it) and its length in *count, or NULL. */
static struct matcher_needle *
list_needles(const struct names *names, size_t nnames, size_t *count)
{
	struct matcher_needle *needles;
	size_t n = 0;

	for (size_t p = 0; p < nnames; p++)
		n += json_array_size(names[p].forms);
	needles = calloc(n + 1, sizeof(*needles));
	if (needles == NULL)
		return NULL;
	n = 0;
	for (size_t p = 0; p < nnames; p++) {
		json_t *v;
		size_t i;
		json_array_foreach(names[p].forms, i, v)
			needles[n++] = (struct matcher_needle){
			    json_string_value(v), p };
	}
	*count = n;
	return needles;
}

/* Indexes every participant's name and aliases into m. Returns 0, or -1
 * via input_fail (with report; else silently); the caller frees m either
 * way. */
static int
index_names(struct input *in, const struct names *names, size_t nnames,
    struct matcher *m, bool report)
{
	struct matcher_needle *needles;
	enum matcher_result *result = NULL;
	size_t n = 0;
	int rc = -1;

	needles = list_needles(names, nnames, &n);
	if (needles != NULL)
		result = calloc(n + 1, sizeof(*result));
	if (needles == NULL || result == NULL ||
	    !matcher_build(m, needles, n, result)) {
		if (report)
			input_fail(in, NULL, "out of memory");
		goto free_needles;
	}
	for (size_t i = 0; i < n; i++) {
		const struct names *who = &names[needles[i].owner];
		if (result[i] == MATCHER_INDEXED)
			continue;
		if (!report)
			goto free_needles;
		in->file = who->file;
		input_fail(in, who->id, result[i] == MATCHER_NO_WORD ?
		    "name \"%s\" must begin with a letter or digit" :
		    "name \"%s\" cannot be searched for", needles[i].text);
		goto free_needles;
	}
	rc = 0;
free_needles:
	free(result);
	free(needles);
	return rc;
}

/* Returns true when the hit of names[hit->owner] lies inside one of its
 * phrases that are not mentions (found in ph), and counts it there. */
static bool
not_a_mention(struct names *names, const struct matcher_hit *hit,
    const struct matcher_hits *ph)
{
	for (size_t i = 0; i < ph->n; i++) {
		const struct matcher_hit *p = &ph->items[i];
		if (p->owner / MAX_PHRASES == hit->owner &&
		    p->start <= hit->start && hit->end <= p->end) {
			names[hit->owner].removed[p->owner % MAX_PHRASES]++;
			return true;
		}
	}
	return false;
}

/* Stores the mentions among the sorted hits h of the source src: each hit
 * but those inside a longer one, inside a region where mentions are not
 * searched for, or inside a phrase of ph that is not a mention. */
static int
store_hits(struct input *in, struct build *b, struct names *names,
    struct source *src, const struct matcher_hits *h,
    const struct matcher_hits *ph)
{
	size_t last_end = 0;

	for (size_t i = 0; i < h->n; i++) {
		const struct matcher_hit *hit = &h->items[i];
		struct names *who = &names[hit->owner];
		int64_t span_id;

		if (hit->start < last_end)
			continue;	/* inside a longer name */
		last_end = hit->end;
		if (source_unsearched(src, hit->start, hit->end) != NULL ||
		    not_a_mention(names, hit, ph))
			continue;
		in->file = who->file;
		if (anchor_store(in, b, who->id, &(struct anchor){ src,
		    hit->start, hit->end }, &span_id) != 0)
			return -1;
		if (build_mention(b, who->id, span_id) != 0)
			return input_fail(in, who->id, "storing a mention: %s",
			    build_errmsg(b));
		who->mentions++;
	}
	return 0;
}

/* Collects in ph every whole-word match in src of a phrase that is not
 * a mention, of the participants listed in who[0..nwho). Returns false
 * when out of memory. */
static bool
find_phrases(const struct names *names, const size_t *who, size_t nwho,
    const struct source *src, struct matcher_hits *ph)
{
	ph->n = 0;
	for (size_t w = 0; w < nwho; w++) {
		size_t p = who[w], i;
		json_t *phrase;

		json_array_foreach(names[p].not_mentions, i, phrase)
			if (!matcher_find_one(json_string_value(phrase),
			    p * MAX_PHRASES + i, src->text, src->len, ph))
				return false;
	}
	return true;
}

/* Lists the participants of names[0..nnames) that have phrases that are
 * not mentions, so that each source is not walked through all of them.
 * Returns a new array (the caller frees it) and its length, or NULL. */
static size_t *
with_phrases(const struct names *names, size_t nnames, size_t *count)
{
	size_t *who = calloc(nnames + 1, sizeof(*who));

	*count = 0;
	for (size_t p = 0; who != NULL && p < nnames; p++)
		if (json_array_size(names[p].not_mentions) > 0)
			who[(*count)++] = p;
	return who;
}

/* A pass finding mentions: started once the participants are stored,
 * its per-source part on a second thread (scan.c) while the facts load.
 * The names, matcher and `who` are read by that thread and written by
 * none while it runs; names[].removed and mentions are the loader
 * thread's alone. */
struct mention_pass {
	struct sources *all;
	struct names *names;
	size_t nnames;
	struct matcher m;	/* built once the names are known sound */
	bool indexed;
	size_t *who;		/* participants with not_mentions */
	size_t nwho;
	struct scan *scan;
};

/* scan_fn: the names and phrases that are not mentions found in source
 * s, sorted. Runs on the scan's thread. */
static bool
find_in_source(void *ctx, size_t s, struct matcher_hits *h,
    struct matcher_hits *ph)
{
	const struct mention_pass *p = ctx;
	const struct source *src = &p->all->items[s];

	if (!matcher_find(&p->m, src->text, src->len, h) ||
	    !find_phrases(p->names, p->who, p->nwho, src, ph))
		return false;
	matcher_sort(h);
	return true;
}

/* Starts p's scan, once its names are indexed. Returns 0, or -1 via
 * input_fail. */
static int
start_scan(struct input *in, struct mention_pass *p)
{
	free(p->who);		/* from a try that ran out of memory */
	p->who = with_phrases(p->names, p->nnames, &p->nwho);
	if (p->who != NULL)
		p->scan = scan_start(find_in_source, p, p->all->n);
	return p->scan != NULL ? 0 : input_fail(in, NULL, "out of memory");
}

/* Stores every mention that p's scan finds, source by source. */
static int
store_mentions(struct input *in, struct build *b, struct mention_pass *p)
{
	for (size_t s = 0; s < p->all->n; s++) {
		struct source *src = &p->all->items[s];
		struct matcher_hits *h, *ph;

		if (!scan_next(p->scan, s, &h, &ph))
			return input_fail(in, src->id, "out of memory finding "
			    "mentions");
		if (store_hits(in, b, p->names, src, h, ph) != 0)
			return -1;
	}
	return 0;
}

/* Checks every participant's "not_mentions": an array of at most
 * MAX_PHRASES phrases, each containing a quote that can be searched for,
 * and makes room to count what each removes. Returns 0, or -1 via
 * input_fail (with report; else silently). */
static int
check_phrases(struct input *in, struct names *names, size_t nnames,
    bool report)
{
	for (size_t p = 0; p < nnames; p++) {
		json_t *list = names[p].not_mentions, *phrase;
		size_t i;

		in->file = names[p].file;
		if (list == NULL)
			continue;
		if (!json_is_array(list) || json_array_size(list) > MAX_PHRASES)
			return !report ? -1 : input_fail(in, names[p].id,
			    "\"not_mentions\" must be an array of at most %d "
			    "phrases", MAX_PHRASES);
		json_array_foreach(list, i, phrase)
			if (!json_is_string(phrase) ||
			    json_string_length(phrase) == 0)
				return !report ? -1 : input_fail(in,
				    names[p].id, "not_mentions[%zu] must be a "
				    "non-empty string", i);
		if (names[p].removed == NULL)
			names[p].removed = calloc(json_array_size(list) + 1,
			    sizeof(size_t));
		if (names[p].removed == NULL)
			return input_fail(in, names[p].id, "out of memory");
	}
	return 0;
}

/* Reports on stderr how many matches each phrase that is not a mention
 * removed, stores it, and fails on a phrase that removed none (stale). */
static int
report_phrases(struct input *in, struct build *b, struct names *names,
    size_t nnames)
{
	int rc = 0;

	for (size_t p = 0; p < nnames; p++) {
		json_t *phrase;
		size_t i;

		in->file = names[p].file;
		json_array_foreach(names[p].not_mentions, i, phrase) {
			const char *text = json_string_value(phrase);
			size_t n = names[p].removed[i];

			if (n == 0) {
				rc = input_fail(in, names[p].id,
				    "not_mentions[%zu] \"%s\" removes no "
				    "match of a name or alias: it is stale", i,
				    text);
				continue;
			}
			fprintf(stderr, "accord: %s: not_mentions \"%s\" "
			    "removed %zu match%s\n", names[p].id, text, n,
			    n == 1 ? "" : "es");
			if (build_not_mention(b, names[p].id, text, i, n) != 0)
				return input_fail(in, names[p].id, "storing "
				    "not_mentions: %s", build_errmsg(b));
		}
	}
	return rc;
}

struct mention_pass *
mention_start(struct input *in, struct sources *all,
    const struct input_file *files, size_t nfiles, const bool *usable)
{
	struct mention_pass *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		input_fail(in, NULL, "out of memory");
		return NULL;
	}
	if (gather_names(in, files, nfiles, usable, &p->names,
	    &p->nnames) != 0) {
		free(p);
		return NULL;
	}
	p->all = all;
	/* Checked silently: what is wrong is reported by mention_finish,
	 * after the facts' errors, as it always was. */
	p->indexed = check_phrases(in, p->names, p->nnames, false) == 0 &&
	    index_names(in, p->names, p->nnames, &p->m, false) == 0;
	if (p->indexed && start_scan(in, p) != 0)
		p->indexed = false;
	return p;
}

/* Ends p: its scan, then what it holds. */
static void
pass_free(struct mention_pass *p)
{
	scan_end(p->scan);
	matcher_free(&p->m);
	free(p->who);
	free_names(p->names, p->nnames);
	free(p);
}

int
mention_finish(struct input *in, struct build *b, struct mention_pass *p)
{
	int rc;

	if (p == NULL)
		return -1;	/* its error is reported */
	rc = check_phrases(in, p->names, p->nnames, true);
	if (rc == 0 && !p->indexed) {
		matcher_free(&p->m);
		p->m = (struct matcher){ 0 };
		rc = index_names(in, p->names, p->nnames, &p->m, true);
		if (rc == 0)
			rc = start_scan(in, p);
	}
	if (rc == 0)
		rc = store_mentions(in, b, p);
	if (rc == 0) {
		rc = report_phrases(in, b, p->names, p->nnames);
		/* A participant may be named only in a source that failed. */
		for (size_t i = 0; i < p->nnames && p->all->nfailed == 0; i++)
			if (p->names[i].mentions == 0) {
				in->file = p->names[i].file;
				rc = input_fail(in, p->names[i].id, "neither "
				    "the name nor an alias occurs in any "
				    "source");
			}
	}
	pass_free(p);
	return rc;
}
