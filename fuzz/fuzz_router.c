/* libFuzzer target: router_match over the real route table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "HEAD", "POST",
	    "OPTIONS" };
	struct router_match m;
	char *path;

	if (size < 1)
		return 0;
	path = malloc(size);
	if (path == NULL)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	if (router_match(api_routes, api_route_count, methods[data[0] % 4],
	    path, &m) == ROUTER_FOUND) {
		/* Every captured id is well formed. */
		for (size_t i = 0; i < m.nparams; i++)
			if (!id_valid(m.params[i], strlen(m.params[i])))
				abort();
	}
	free(path);
	return 0;
}
