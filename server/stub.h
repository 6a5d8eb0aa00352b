/* stub: the sources.json record to start from for a new article
 * (`accord new-source`). */
#ifndef ACCORD_STUB_H
#define ACCORD_STUB_H

#include <jansson.h>
#include <stddef.h>

/*
 * Reads the article at path (a regular file of valid UTF-8, at most
 * LOAD_MAX_FILE_BYTES) and returns a new sources.json record for it (the
 * caller decrefs it): "id" suggested from its first line (ASCII letters
 * and digits in lower-case words joined by hyphens, "a", "an", "and",
 * "the" and "of" left out, at most 64 bytes), "file" (its own name when
 * it is in data_dir/corpus already, else "corpus/NNN_HHHHHHHHHHHHHHHH.txt":
 * the number after the highest there, then the first 16 hex digits of its
 * sha256), "sha256", "headline" {"value": the first line} (null when it
 * is empty), "publisher", "byline", "date" and "url" null, and "regions"
 * empty. Fails when data_dir has no corpus/ directory or no sources.json,
 * or when the article's sha256 is already a source's in sources.json or
 * another corpus file's. Returns NULL with the reason in err on failure.
 */
json_t *stub_source(const char *path, const char *data_dir, char *err,
    size_t errlen);

#endif
