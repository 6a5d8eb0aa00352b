/* libFuzzer target: url_parse on any raw request target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = malloc(size + 1);
	struct url u;

	if (raw == NULL)
		return 0;
	memcpy(raw, data, size);
	raw[size] = '\0';
	if (url_parse(raw, &u) == URL_OK) {
		/* What it accepts is decoded, valid UTF-8 with a '/' path. */
		if (u.path[0] != '/' ||
		    !utf8_validate(u.path, strlen(u.path), NULL))
			abort();
		for (size_t i = 0; i < u.nparams; i++)
			if (!utf8_validate(u.params[i].value,
			    strlen(u.params[i].value), NULL) ||
			    url_param(&u, u.params[i].name) == NULL)
				abort();
	}
	free(raw);
	return 0;
}
