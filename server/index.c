#include "index.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

int
index_source(struct input *in, struct build *b, const struct source *src)
{
	if (build_search(b, "source", src->id, src->headline, src->text) != 0)
		return input_fail(in, src->id, "indexing: %s",
		    build_errmsg(b));
	return 0;
}

int
index_fact(struct input *in, struct build *b, const char *kind,
    const char *id, const char *const *parts)
{
	struct text t = { 0 };
	char *body;
	size_t len;
	int rc;

	for (size_t i = 0; parts[i] != NULL; i++)
		text_printf(&t, "%s ", parts[i]);
	body = text_take(&t, &len);
	if (body == NULL)
		return input_fail(in, id, "out of memory");
	rc = build_search(b, kind, id, parts[0], body);
	free(body);
	return rc == 0 ? 0 : input_fail(in, id, "indexing: %s",
	    build_errmsg(b));
}
