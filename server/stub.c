#include "stub.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digest.h"
#include "id.h"
#include "input.h"
#include "utf8.h"

/* Words left out of a suggested id. */
static const char *const small_words[] = { "a", "an", "and", "the", "of",
    NULL };

/* Appends word[0..len) to id (of at most ID_MAX bytes) after a hyphen,
 * unless it is a small word or would not fit. */
static void
add_word(char *id, const char *word, size_t len)
{
	size_t used = strlen(id);

	for (size_t i = 0; small_words[i] != NULL; i++)
		if (strlen(small_words[i]) == len &&
		    strncmp(small_words[i], word, len) == 0)
			return;
	if (used + (used > 0) + len > ID_MAX)
		return;
	if (used > 0)
		id[used++] = '-';
	memcpy(id + used, word, len);
	id[used + len] = '\0';
}

/* Suggests an id from line[0..len): its ASCII letters and digits, lower
 * case, in words joined by hyphens (apostrophes join, "China’s" is
 * "chinas"), at most ID_MAX bytes; "source-" and the sha256's first 8
 * digits when no word is left. */
static void
suggest_id(const char *line, size_t len, const char *sha, char *id)
{
	char word[ID_MAX + 1];
	size_t w = 0;

	id[0] = '\0';
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)line[i] : ' ';

		if (c == '\'' || (c == 0xe2 && i + 2 < len &&
		    memcmp(line + i, "\xE2\x80\x99", 3) == 0)) {
			i += c == '\'' ? 0 : 2;
			continue;
		}
		if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		    (c >= '0' && c <= '9')) {
			if (w < ID_MAX)
				word[w++] = (char)(c >= 'A' && c <= 'Z' ?
				    c | 0x20 : c);
			continue;
		}
		if (w > 0)
			add_word(id, word, w);
		w = 0;
	}
	if (id[0] == '\0')
		snprintf(id, ID_MAX + 1, "source-%.8s", sha);
}

/* The name the article takes in dir_corpus: its own when it is there
 * already, else the next number and the first 16 digits of its sha256
 * ("005_21fff467cf7ee691.txt"). */
static void
corpus_name(const char *path, const char *corpus, const char *sha,
    char *name, size_t namelen)
{
	const char *base = strrchr(path, '/');
	char here[PATH_MAX], there[PATH_MAX + NAME_MAX + 2], real[PATH_MAX];
	struct dirent *e;
	int next = 0;
	DIR *d;

	base = base != NULL ? base + 1 : path;
	snprintf(there, sizeof(there), "%s/%s", corpus, base);
	if (realpath(path, here) != NULL && realpath(there, real) != NULL &&
	    strcmp(here, real) == 0) {
		snprintf(name, namelen, "%s", base);
		return;
	}
	d = opendir(corpus);
	while (d != NULL && (e = readdir(d)) != NULL) {
		int n;
		if (sscanf(e->d_name, "%3d_", &n) == 1 && n >= next)
			next = n + 1;
	}
	if (d != NULL)
		closedir(d);
	snprintf(name, namelen, "%03d_%.16s.txt", next, sha);
}

/* Returns the first line of text (len bytes), without a byte order
 * mark, a CR or whitespace at either end, and its length in *n. */
static const char *
first_line(const char *text, size_t len, size_t *n)
{
	const char *end;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	while (len > 0 && (*text == ' ' || *text == '\t'))
		text++, len--;
	end = memchr(text, '\n', len);
	*n = end != NULL ? (size_t)(end - text) : len;
	while (*n > 0 && strchr(" \t\r", text[*n - 1]) != NULL)
		(*n)--;
	return text;
}

/* Fails unless data_dir has a corpus/ directory and a sources.json. */
static int
check_data_dir(const char *data_dir, char *err, size_t errlen)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/corpus", data_dir);
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s has no corpus/ directory (--data DIR "
		    "names the data directory: corpus/ and sources.json)",
		    data_dir);
		return -1;
	}
	snprintf(p, sizeof(p), "%s/sources.json", data_dir);
	if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s has no sources.json (--data DIR "
		    "names the data directory: corpus/ and sources.json)",
		    data_dir);
		return -1;
	}
	return 0;
}

/* Fails when sha is the sha256 of a record of data_dir/sources.json. */
static int
check_sources(const char *data_dir, const char *sha, char *err,
    size_t errlen)
{
	char p[PATH_MAX];
	json_error_t jerr;
	json_t *root, *rec;
	size_t i;
	int rc = 0;

	snprintf(p, sizeof(p), "%s/sources.json", data_dir);
	root = json_load_file(p, 0, &jerr);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d:%d: %s", p, jerr.line,
		    jerr.column, jerr.text);
		return -1;
	}
	json_array_foreach(json_object_get(root, "sources"), i, rec) {
		const char *s = json_string_value(json_object_get(rec,
		    "sha256"));
		const char *id = json_string_value(json_object_get(rec, "id"));

		if (s != NULL && strcmp(s, sha) == 0) {
			snprintf(err, errlen, "already in %s as source \"%s\" "
			    "(sha256 %s)", p, id != NULL ? id : "?", sha);
			rc = -1;
			break;
		}
	}
	json_decref(root);
	return rc;
}

/* Fails when a file of corpus other than path has the sha256 sha. */
static int
check_corpus(const char *path, const char *corpus, const char *sha,
    char *err, size_t errlen)
{
	char here[PATH_MAX], f[PATH_MAX + NAME_MAX + 2], real[PATH_MAX];
	char other[65], why[256];
	struct dirent *e;
	DIR *d = opendir(corpus);
	int rc = 0;

	if (realpath(path, here) == NULL)
		here[0] = '\0';
	while (rc == 0 && d != NULL && (e = readdir(d)) != NULL) {
		size_t len;
		char *text;

		snprintf(f, sizeof(f), "%s/%s", corpus, e->d_name);
		if (e->d_name[0] == '.' || (realpath(f, real) != NULL &&
		    strcmp(here, real) == 0))
			continue;
		text = input_read_file(f, &len, why, sizeof(why));
		if (text == NULL)
			continue;
		digest_sha256_hex(text, len, other);
		free(text);
		if (strcmp(other, sha) == 0) {
			snprintf(err, errlen, "already in the corpus as %s "
			    "(sha256 %s)", f, sha);
			rc = -1;
		}
	}
	if (d != NULL)
		closedir(d);
	return rc;
}

/* Builds the stub record. */
static json_t *
stub_record(const char *id, const char *file, const char *sha,
    const char *headline, size_t hlen)
{
	json_t *rec = json_object();

	json_object_set_new(rec, "id", json_string(id));
	json_object_set_new(rec, "file", json_string(file));
	json_object_set_new(rec, "sha256", json_string(sha));
	json_object_set_new(rec, "headline", hlen == 0 ? json_null() :
	    json_pack("{s:s%}", "value", headline, hlen));
	json_object_set_new(rec, "publisher", json_null());
	json_object_set_new(rec, "byline", json_null());
	json_object_set_new(rec, "date", json_null());
	json_object_set_new(rec, "url", json_null());
	json_object_set_new(rec, "regions", json_array());
	return rec;
}

json_t *
stub_source(const char *path, const char *data_dir, char *err,
    size_t errlen)
{
	char sha[65], id[ID_MAX + 1], corpus[PATH_MAX], name[NAME_MAX + 1];
	char file[NAME_MAX + 16];
	size_t len, line, col, hlen;
	const char *headline;
	char *text = input_read_file(path, &len, err, errlen);
	json_t *rec;

	if (text == NULL)
		return NULL;
	if (!input_valid_utf8(text, len, &line, &col)) {
		snprintf(err, errlen, "invalid UTF-8 at line %zu, column %zu",
		    line, col);
		free(text);
		return NULL;
	}
	digest_sha256_hex(text, len, sha);
	snprintf(corpus, sizeof(corpus), "%s/corpus", data_dir);
	if (check_data_dir(data_dir, err, errlen) != 0 ||
	    check_sources(data_dir, sha, err, errlen) != 0 ||
	    check_corpus(path, corpus, sha, err, errlen) != 0) {
		free(text);
		return NULL;
	}
	headline = first_line(text, len, &hlen);
	suggest_id(headline, hlen, sha, id);
	corpus_name(path, corpus, sha, name, sizeof(name));
	snprintf(file, sizeof(file), "corpus/%s", name);
	rec = stub_record(id, file, sha, headline, hlen);
	free(text);
	if (rec == NULL)
		snprintf(err, errlen, "out of memory");
	return rec;
}
