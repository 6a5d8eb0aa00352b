#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anchor.h"
#include "build.h"
#include "cite.h"
#include "corpus.h"
#include "db.h"
#include "digest.h"
#include "id.h"
#include "index.h"
#include "input.h"
#include "mention.h"
#include "prefetch.h"
#include "source.h"
#include "value.h"
#include "version.h"
#include "vocab.h"

/* One load: where errors go, the database being built and what has been
 * read. */
struct load {
	struct input in;
	struct build *b;
	struct sources sources;
	struct input_file *files;	/* annotation files */
	size_t nfiles;
	json_t *failed;		/* {table: {id: true}}: records that failed */
	struct prefetch *ahead;	/* the annotation files, read meanwhile */
};

/* The record function of a kind: reads, checks and stores one record. */
typedef int (*record_fn)(struct load *, json_t *, const char *, size_t);

/* Writes to out where the first record of `kind` with this id stands in
 * the annotation files: "path:line:col". */
static void
first_of(const struct load *ld, const char *kind, const char *id,
    char *out, size_t outlen)
{
	snprintf(out, outlen, "an earlier record");
	for (size_t f = 0; f < ld->nfiles; f++) {
		json_t *list = json_object_get(ld->files[f].root, kind), *rec;
		size_t i, n;
		size_t *at;

		json_array_foreach(list, i, rec) {
			if (!json_is_string(json_object_get(rec, "id")) ||
			    strcmp(json_string_value(json_object_get(rec,
			    "id")), id) != 0)
				continue;
			at = input_items(&ld->files[f], kind, &n);
			input_locate(&ld->files[f], at != NULL && i < n ?
			    at[i] : 0, id, out, outlen);
			free(at);
			return;
		}
	}
}

/* Checks the i-th record rec of `kind` (stored in `table`): an object
 * with a valid id that is not a duplicate, then gives it to fn. */
static int
one_record(struct load *ld, const char *kind, const char *table,
    json_t *rec, size_t i, size_t *ordinal, record_fn fn)
{
	const char *id;
	char rec_name[48], first[PATH_MAX + 48];

	snprintf(rec_name, sizeof(rec_name), "%s[%zu]", kind, i);
	if (!json_is_object(rec))
		return input_fail(&ld->in, rec_name, "must be an object");
	if (input_string(&ld->in, rec_name, rec, "id", true, &id) != 0)
		return -1;
	if (!id_valid(id, strlen(id)))
		return input_fail(&ld->in, rec_name, "invalid id \"%s\"", id);
	if (build_exists(ld->b, table, id) > 0) {
		first_of(ld, kind, id, first, sizeof(first));
		return input_fail(&ld->in, id, "duplicate %s id; the first is "
		    "at %s; to add to that record, edit it where it is "
		    "(data/README.md, \"Add an article\", step 6)", table,
		    first);
	}
	if (fn(ld, rec, id, (*ordinal)++) == 0)
		return 0;
	if (build_exists(ld->b, table, id) == 0)
		json_object_set_new(json_object_get(ld->failed, table), id,
		    json_true());
	return -1;
}

/* Calls fn for every record of `kind` (stored in `table`) in every
 * annotation file, going on past a record that fails. Marks in ok[j],
 * when ok is not NULL, whether the j-th record (of all files, in order)
 * loaded. Returns 0, or -1 when some record failed. */
static int
each_record(struct load *ld, const char *kind, const char *table,
    record_fn fn, bool *ok)
{
	size_t ordinal = 0, j = 0;
	int rc = 0;

	for (size_t f = 0; f < ld->nfiles; f++) {
		json_t *list = json_object_get(ld->files[f].root, kind), *rec;
		size_t i, n = 0;
		size_t *at;

		ld->in.file = &ld->files[f];
		if (list == NULL)
			continue;
		if (!json_is_array(list)) {
			rc = input_fail(&ld->in, NULL, "\"%s\" must be an "
			    "array", kind);
			continue;
		}
		at = input_items(&ld->files[f], kind, &n);
		json_array_foreach(list, i, rec) {
			int r;

			ld->in.record_at = at != NULL && i < n ? at[i] : 0;
			r = one_record(ld, kind, table, rec, i, &ordinal, fn);
			if (ok != NULL)
				ok[j] = r == 0;
			j++;
			rc |= r;
		}
		ld->in.record_at = 0;
		free(at);
	}
	return rc;
}

/* Fails unless `table` has a record with this id: without a message of
 * its own when that record failed to load (its error is reported). */
static int
require(struct load *ld, const char *record, const char *table,
    const char *id)
{
	int found = build_exists(ld->b, table, id);

	if (found < 0)
		return input_fail(&ld->in, record, "%s", build_errmsg(ld->b));
	if (found == 0 && json_object_get(json_object_get(ld->failed, table),
	    id) != NULL)
		return -1;	/* it failed, and its error is reported */
	if (found == 0)
		return input_fail(&ld->in, record, "refers to the unknown %s "
		    "\"%s\"", table, id);
	return 0;
}

/* Stores the citation c, `what` of a fact's evidence: not of a region
 * that reports nothing. */
static int
load_citation(struct load *ld, const char *record, const char *what,
    json_t *c, enum build_fact fact, int64_t value_id)
{
	const char *kind;
	struct anchor a;
	int64_t span_id, attribution_id;

	if (anchor_cite(&ld->in, &ld->sources, record, what, c, NULL,
	    cite_keys, &a) != 0)
		return -1;
	kind = source_boilerplate(a.source, a.start, a.end);
	if (kind != NULL)
		return input_fail(&ld->in, record, "%s: in source %s: cites "
		    "%s %s region, which reports nothing", what, a.source->id,
		    strchr("aeiou", kind[0]) != NULL ? "an" : "a", kind);
	if (anchor_store(&ld->in, ld->b, record, &a, &span_id) != 0 ||
	    cite_attribute(&ld->in, ld->b, record, what, c,
	    &attribution_id) != 0)
		return -1;
	if (build_evidence(ld->b, fact, record, value_id, span_id,
	    attribution_id) != 0)
		return input_fail(&ld->in, record, "storing evidence: %s",
		    build_errmsg(ld->b));
	return 0;
}

/* Stores a fact's "evidence" array (in rec, at `at` within the record:
 * "" or "values[2]."): at least one citation, each checked even after one
 * fails. */
static int
load_evidence(struct load *ld, const char *record, const char *at,
    json_t *rec, enum build_fact fact, int64_t value_id)
{
	json_t *list = json_object_get(rec, "evidence"), *c;
	size_t i;
	int rc = 0;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return input_fail(&ld->in, record, "%s\"evidence\" must be a "
		    "non-empty array of citations", at);
	json_array_foreach(list, i, c) {
		char what[64];

		snprintf(what, sizeof(what), "%sevidence[%zu]", at, i);
		rc |= load_citation(ld, record, what, c, fact, value_id);
	}
	return rc;
}

/* Stores a fact's "parties": ids of known participants. */
static int
load_parties(struct load *ld, const char *id, json_t *rec,
    enum build_fact fact)
{
	json_t *list = json_object_get(rec, "parties"), *p;
	size_t i;

	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return input_fail(&ld->in, id, "\"parties\" must be an array "
		    "of participant ids");
	json_array_foreach(list, i, p) {
		if (!json_is_string(p))
			return input_fail(&ld->in, id, "\"parties\" must be an "
			    "array of participant ids");
		if (require(ld, id, "participant", json_string_value(p)) != 0)
			return -1;
		if (build_party(ld->b, fact, id, json_string_value(p), i) != 0)
			return input_fail(&ld->in, id, "duplicate party "
			    "\"%s\"", json_string_value(p));
	}
	return 0;
}

/* Stores a participant's "aliases": non-empty strings. */
static int
load_aliases(struct load *ld, const char *id, json_t *rec)
{
	json_t *aliases = json_object_get(rec, "aliases"), *a;
	size_t i;

	if (aliases == NULL)
		return 0;
	if (!json_is_array(aliases))
		return input_fail(&ld->in, id, "\"aliases\" must be an array "
		    "of strings");
	json_array_foreach(aliases, i, a) {
		if (!json_is_string(a) || json_string_length(a) == 0)
			return input_fail(&ld->in, id, "\"aliases\" must be an "
			    "array of non-empty strings");
		if (build_alias(ld->b, id, json_string_value(a), i) != 0)
			return input_fail(&ld->in, id, "alias \"%s\" is not "
			    "unique", json_string_value(a));
	}
	return 0;
}

static int
load_participant(struct load *ld, json_t *rec, const char *id,
    size_t ordinal)
{
	static const char *const keys[] = { "id", "name", "kind", "title",
	    "affiliation", "country", "role", "aliases", "not_mentions",
	    NULL };
	const char *name, *kind, *title, *affiliation, *country, *role;
	struct input *in = &ld->in;

	if (input_check_keys(in, id, rec, keys) != 0 ||
	    input_string(in, id, rec, "name", true, &name) != 0 ||
	    input_enum(in, id, rec, "kind", true, vocab_participant_kinds,
	    &kind) != 0 ||
	    input_string(in, id, rec, "title", false, &title) != 0 ||
	    input_string(in, id, rec, "affiliation", false,
	    &affiliation) != 0 ||
	    input_string(in, id, rec, "country", false, &country) != 0 ||
	    input_enum(in, id, rec, "role", true, vocab_participant_roles,
	    &role) != 0)
		return -1;
	if (country != NULL && !vocab_valid_country(country))
		return input_fail(in, id, "country \"%s\" is not ISO 3166-1 "
		    "alpha-2", country);
	if (build_participant(ld->b, id, name, kind, title, affiliation,
	    country, role, ordinal) != 0)
		return input_fail(in, id, "name \"%s\" is not unique: %s",
		    name, build_errmsg(ld->b));
	if (index_fact(in, ld->b, "participant", id, (const char *const[]){
	    name, title != NULL ? title : "",
	    affiliation != NULL ? affiliation : "", NULL }) != 0)
		return -1;
	return load_aliases(ld, id, rec);
}

static int
load_agreement(struct load *ld, json_t *rec, const char *id,
    size_t ordinal)
{
	static const char *const keys[] = { "id", "title", "date", "status",
	    "summary", "parties", "evidence", NULL };
	const char *title, *date, *status, *summary;
	struct input *in = &ld->in;

	if (input_check_keys(in, id, rec, keys) != 0 ||
	    input_string(in, id, rec, "title", true, &title) != 0 ||
	    input_string(in, id, rec, "date", false, &date) != 0 ||
	    input_enum(in, id, rec, "status", true, vocab_agreement_statuses,
	    &status) != 0 ||
	    input_string(in, id, rec, "summary", true, &summary) != 0)
		return -1;
	if (date != NULL && !vocab_valid_date(date, strlen(date)))
		return input_fail(in, id, "date \"%s\" is not ISO 8601 (YYYY, "
		    "YYYY-MM or YYYY-MM-DD)", date);
	if (build_agreement(ld->b, id, title, date, status, summary,
	    ordinal) != 0)
		return input_fail(in, id, "duplicate agreement id");
	if (index_fact(in, ld->b, "agreement", id, (const char *const[]){
	    title, summary, NULL }) != 0)
		return -1;
	if (load_parties(ld, id, rec, BUILD_AGREEMENT) != 0)
		return -1;
	return load_evidence(ld, id, "", rec, BUILD_AGREEMENT, 0);
}

/* Stores an outcome's timeframe_stated and timeframe_rule: both required
 * with a timeframe, and neither without. */
static int
load_timeframe(struct load *ld, const char *id, json_t *rec, bool dated)
{
	const char *stated, *rule;

	if (input_string(&ld->in, id, rec, "timeframe_stated", dated,
	    &stated) != 0 ||
	    input_enum(&ld->in, id, rec, "timeframe_rule", dated,
	    vocab_timeframe_rules, &rule) != 0)
		return -1;
	if (!dated && (stated != NULL || rule != NULL))
		return input_fail(&ld->in, id, "timeframe_stated and "
		    "timeframe_rule go with a timeframe");
	if (dated && build_outcome_timeframe(ld->b, id, stated, rule) != 0)
		return input_fail(&ld->in, id, "storing the timeframe: %s",
		    build_errmsg(ld->b));
	return 0;
}

static int
load_outcome(struct load *ld, json_t *rec, const char *id, size_t ordinal)
{
	static const char *const keys[] = { "id", "kind", "status",
	    "timeframe", "timeframe_precision", "timeframe_stated",
	    "timeframe_rule", "agreement", "parties", "summary", "evidence",
	    NULL };
	const char *kind, *status, *timeframe, *precision, *agreement,
	    *summary;
	struct input *in = &ld->in;

	if (input_check_keys(in, id, rec, keys) != 0 ||
	    input_enum(in, id, rec, "kind", true, vocab_outcome_kinds,
	    &kind) != 0 ||
	    input_enum(in, id, rec, "status", true, vocab_outcome_statuses,
	    &status) != 0 ||
	    input_string(in, id, rec, "timeframe", false, &timeframe) != 0 ||
	    input_enum(in, id, rec, "timeframe_precision", false,
	    vocab_precisions, &precision) != 0 ||
	    input_string(in, id, rec, "agreement", false, &agreement) != 0 ||
	    input_string(in, id, rec, "summary", true, &summary) != 0)
		return -1;
	if (timeframe != NULL && !vocab_valid_timeframe(timeframe))
		return input_fail(in, id, "timeframe \"%s\" is not an ISO 8601 "
		    "date or interval", timeframe);
	if ((timeframe == NULL) != (precision == NULL))
		return input_fail(in, id, "timeframe and timeframe_precision "
		    "go together");
	if (agreement != NULL && require(ld, id, "agreement", agreement) != 0)
		return -1;
	if (build_outcome(ld->b, id, kind, status, timeframe, precision,
	    agreement, summary, ordinal) != 0)
		return input_fail(in, id, "duplicate outcome id");
	if (load_timeframe(ld, id, rec, timeframe != NULL) != 0)
		return -1;
	if (index_fact(in, ld->b, "outcome", id, (const char *const[]){
	    summary, NULL }) != 0)
		return -1;
	if (load_parties(ld, id, rec, BUILD_OUTCOME) != 0)
		return -1;
	return load_evidence(ld, id, "", rec, BUILD_OUTCOME, 0);
}

/* Stores the "values" of claim id, each with its evidence, and lists their
 * words in words[1..]. */
static int
load_claim_values(struct load *ld, const char *id, json_t *values,
    bool keyed, const char **words)
{
	static const char *const keys[] = { "value", "evidence", "key", "type",
	    "quantity", "participant", NULL };
	json_t *v;
	size_t i;

	json_array_foreach(values, i, v) {
		const char *value;
		int64_t value_id;
		char at[32];

		if (!json_is_object(v))
			return input_fail(&ld->in, id, "values[%zu] must be an "
			    "object", i);
		if (input_check_keys(&ld->in, id, v, keys) != 0 ||
		    input_string(&ld->in, id, v, "value", true, &value) != 0)
			return -1;
		words[i + 1] = value;
		if (build_claim_value(ld->b, id, value, i, &value_id) != 0)
			return input_fail(&ld->in, id, "duplicate value \"%s\"",
			    value);
		snprintf(at, sizeof(at), "values[%zu].", i);
		if (value_type(&ld->in, ld->b, id, v, i, keyed,
		    value_id) != 0 || load_evidence(ld, id, at, v,
		    BUILD_CLAIM_VALUE, value_id) != 0)
			return -1;
	}
	return 0;
}

static int
load_claim(struct load *ld, json_t *rec, const char *id, size_t ordinal)
{
	static const char *const keys[] = { "id", "subject", "values",
	    "relations", "dispute", "timeframe_of", NULL };
	const char *subject, **words, *timeframe_of;
	json_t *values;
	bool keyed;
	int rc = -1;

	if (input_check_keys(&ld->in, id, rec, keys) != 0 ||
	    input_string(&ld->in, id, rec, "subject", true, &subject) != 0 ||
	    input_string(&ld->in, id, rec, "timeframe_of", false,
	    &timeframe_of) != 0)
		return -1;
	if (build_claim(ld->b, id, subject, ordinal) != 0)
		return input_fail(&ld->in, id, "duplicate claim id");
	if (timeframe_of != NULL && require(ld, id, "outcome",
	    timeframe_of) != 0)
		return -1;
	if (timeframe_of != NULL && build_claim_timeframe_of(ld->b, id,
	    timeframe_of) != 0)
		return input_fail(&ld->in, id, "%s", build_errmsg(ld->b));
	values = json_object_get(rec, "values");
	if (!json_is_array(values) || json_array_size(values) == 0)
		return input_fail(&ld->in, id, "\"values\" must be a non-empty "
		    "array");
	words = calloc(json_array_size(values) + 2, sizeof(*words));
	if (words == NULL)
		return input_fail(&ld->in, id, "out of memory");
	words[0] = subject;
	keyed = json_object_get(rec, "relations") != NULL ||
	    json_object_get(rec, "dispute") != NULL;
	if (load_claim_values(ld, id, values, keyed, words) == 0 &&
	    value_relations(&ld->in, ld->b, id, rec) == 0)
		rc = index_fact(&ld->in, ld->b, "claim", id, words);
	free(words);
	return rc;
}

/* Reads every data_dir/annotations/ *.json file, in the order of their
 * names, into ld->files, and checks their top-level keys. */
static int
read_annotations(struct load *ld, const char *data_dir)
{
	static const char *const kinds[] = { "participants", "agreements",
	    "outcomes", "claims", NULL };
	char dir[PATH_MAX];
	struct dirent **entries;
	struct input_problem problem;
	int n, rc = -1;

	snprintf(dir, sizeof(dir), "%s/annotations", data_dir);
	n = scandir(dir, &entries, NULL, alphasort);
	if (n < 0)
		return input_fail(&ld->in, NULL, "%s: %s", dir,
		    strerror(errno));
	ld->files = calloc((size_t)n + 1, sizeof(*ld->files));
	if (ld->files == NULL) {
		input_fail(&ld->in, NULL, "out of memory");
		goto free_entries;
	}
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		size_t len = strlen(name);
		struct input_file *f = &ld->files[ld->nfiles];

		if (name[0] == '.' || len < 6 ||
		    strcmp(name + len - 5, ".json") != 0)
			continue;
		if (asprintf(&f->path, "%s/%s", dir, name) < 0) {
			f->path = NULL;
			input_fail(&ld->in, NULL, "out of memory");
			goto free_entries;
		}
		ld->nfiles++;
		/* A file that cannot be read is left out; the others go on. */
		if (!prefetch_take(ld->ahead, f, &problem))
			input_parse(f, &problem);
		if (input_report(&ld->in, f, &problem) == 0)
			input_check_keys(&ld->in, NULL, f->root, kinds);
	}
	rc = 0;
free_entries:
	for (int i = 0; i < n; i++)
		free(entries[i]);
	free(entries);
	return rc;
}

/* Counts the records of `kind` in every annotation file. */
static size_t
count_records(const struct load *ld, const char *kind)
{
	size_t n = 0;

	for (size_t f = 0; f < ld->nfiles; f++)
		n += json_array_size(json_object_get(ld->files[f].root, kind));
	return n;
}

/* Loads the annotation files: their records, kind by kind, then the
 * mentions of the participants that loaded. Every record is tried;
 * returns -1 when the annotations could not be read at all. */
static int
load_annotations(struct load *ld, const char *data_dir)
{
	struct mention_pass *pass;
	bool *ok;

	if (read_annotations(ld, data_dir) != 0)
		return -1;
	ld->failed = json_pack("{s{}s{}s{}s{}}", "participant", "agreement",
	    "outcome", "claim");
	ok = calloc(count_records(ld, "participants") + 1, sizeof(*ok));
	if (ok == NULL)
		return input_fail(&ld->in, NULL, "out of memory");
	each_record(ld, "participants", "participant", load_participant, ok);
	/* The mentions are searched for on a second thread meanwhile. */
	pass = mention_start(&ld->in, &ld->sources, ld->files, ld->nfiles,
	    ok);
	each_record(ld, "agreements", "agreement", load_agreement, NULL);
	each_record(ld, "outcomes", "outcome", load_outcome, NULL);
	each_record(ld, "claims", "claim", load_claim, NULL);
	mention_finish(&ld->in, ld->b, pass);
	free(ok);
	return 0;
}

/* Records the digest of every input (sources.json, the articles, the
 * annotation files by name) and the version that built the database. */
static int
store_digest(struct load *ld, const struct input_file *sources_file)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(sources_file->raw),
	    (const uint8_t *)sources_file->raw);
	for (size_t i = 0; i < ld->sources.n; i++)
		sha256_update(&ctx, ld->sources.items[i].len + 1,
		    (const uint8_t *)ld->sources.items[i].text);
	for (size_t i = 0; i < ld->nfiles; i++) {
		const char *name = strrchr(ld->files[i].path, '/');
		name = name != NULL ? name + 1 : ld->files[i].path;
		sha256_update(&ctx, strlen(name) + 1, (const uint8_t *)name);
		sha256_update(&ctx, strlen(ld->files[i].raw) + 1,
		    (const uint8_t *)ld->files[i].raw);
	}
	sha256_digest(&ctx, sizeof(d), d);
	digest_hex(d, sizeof(d), hex);
	if (build_meta(ld->b, "data_sha256", hex) != 0 ||
	    build_meta(ld->b, "built_by", "accord " ACCORD_VERSION) != 0)
		return input_fail(&ld->in, NULL, "storing the digest: %s",
		    build_errmsg(ld->b));
	return 0;
}

static void
load_free(struct load *ld)
{
	prefetch_end(ld->ahead);
	source_free_all(&ld->sources);
	for (size_t i = 0; i < ld->nfiles; i++)
		input_file_free(&ld->files[i]);
	free(ld->files);
	json_decref(ld->failed);
}

/* Writes to tmp the template of a temporary file beside db_path:
 * ".NAME.tmp-XXXXXX" in its directory. Returns -1 when it does not fit. */
static int
temp_path(const char *db_path, char *tmp, size_t size)
{
	const char *slash = strrchr(db_path, '/');

	return (size_t)snprintf(tmp, size, "%.*s.%s.tmp-XXXXXX",
	    slash == NULL ? 0 : (int)(slash - db_path + 1), db_path,
	    slash == NULL ? db_path : slash + 1) >= size ? -1 : 0;
}

/* fsyncs the directory holding path, so that a rename in it is durable. */
static int
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* The check of the built file that runs beside build_finish's own: the
 * file read as the daemon will, and every span against its text. */
struct spans_check {
	const char *path;
	char err[512];		/* the thread's own, copied out after join */
};

static int
check_spans(void *arg)
{
	struct spans_check *c = arg;

	return db_check_file(c->path, DB_CHECK_SPANS, c->err,
	    sizeof(c->err));
}

/* Builds the database in tmp, open as fd, from data_dir, whose
 * sources.json is read, trying every record; checks it and fsyncs it.
 * Fails when any record failed. */
static int
write_db(struct load *ld, const char *data_dir,
    const struct input_file *sources_file, const char *tmp, int fd)
{
	char *err = ld->in.err;
	size_t errlen = ld->in.errlen;
	struct spans_check spans;
	char dir[PATH_MAX];

	if (fchmod(fd, 0644) != 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (build_create(tmp, &ld->b, err, errlen) != 0)
		return -1;
	/* The annotation files are read on a second thread meanwhile. */
	snprintf(dir, sizeof(dir), "%s/annotations", data_dir);
	ld->ahead = prefetch_start(dir);
	if (corpus_load(&ld->in, ld->b, data_dir, sources_file,
	    &ld->sources) != 0 || load_annotations(ld, data_dir) != 0 ||
	    ld->in.nerrors > 0 || store_digest(ld, sources_file) != 0) {
		build_abort(ld->b);
		return -1;
	}
	ld->in.file = NULL;
	spans.path = tmp;
	spans.err[0] = '\0';
	err[0] = '\0';		/* nothing failed so far */
	if (build_finish(ld->b, check_spans, &spans, err, errlen) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", spans.err);
		return -1;
	}
	if (fsync(fd) != 0) {
		snprintf(err, errlen, "fsync %s: %s", tmp, strerror(errno));
		return -1;
	}
	return 0;
}

/* Builds from data_dir into the temporary file tmp (a mkstemp template,
 * which it fills in), reporting errors as ld->in says; then renames it to
 * db_path or, with db_path NULL, removes it. */
static int
build_into(struct load *ld, const char *data_dir, char *tmp,
    const char *db_path)
{
	struct input_file sources_file = { 0 };
	char *err = ld->in.err;
	size_t errlen = ld->in.errlen;
	int fd, rc = -1;

	if (asprintf(&sources_file.path, "%s/sources.json", data_dir) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (input_read_json(&ld->in, &sources_file) != 0)
		goto free_load;
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto free_load;
	}
	if (write_db(ld, data_dir, &sources_file, tmp, fd) != 0 ||
	    db_path == NULL)
		goto remove_tmp;
	if (rename(tmp, db_path) != 0) {
		snprintf(err, errlen, "rename to %s: %s", db_path,
		    strerror(errno));
		goto remove_tmp;
	}
	if (sync_dir(db_path) != 0) {
		snprintf(err, errlen, "fsync directory of %s: %s", db_path,
		    strerror(errno));
		goto close_fd;
	}
	rc = 0;
	goto close_fd;

remove_tmp:
	rc = db_path == NULL && ld->in.nerrors == 0 && err[0] == '\0' ? 0 : -1;
	unlink(tmp);
close_fd:
	close(fd);
free_load:
	load_free(ld);
	input_file_free(&sources_file);
	return rc;
}

int
load_run(const char *data_dir, const char *db_path, char *err, size_t errlen)
{
	struct load ld = { .in = { NULL, err, errlen, NULL, 0, 0 } };
	char tmp[PATH_MAX];

	if (temp_path(db_path, tmp, sizeof(tmp)) != 0) {
		snprintf(err, errlen, "%s: path too long", db_path);
		return -1;
	}
	err[0] = '\0';
	return build_into(&ld, data_dir, tmp, db_path);
}

int
load_check(const char *data_dir, FILE *report, size_t *nerrors, char *err,
    size_t errlen)
{
	struct load ld = { .in = { NULL, err, errlen, report, 0, 0 } };
	const char *dir = getenv("TMPDIR");
	char tmp[PATH_MAX];
	int rc;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/accord-check-XXXXXX",
	    dir) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	err[0] = '\0';
	rc = build_into(&ld, data_dir, tmp, NULL);
	*nerrors = ld.in.nerrors;
	return rc;
}
