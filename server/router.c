#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "id.h"

enum shape { SHAPE_NONE, SHAPE_MATCH, SHAPE_BAD_PARAM };

/* A {file} segment: an id, a dot and an id ("app.js"), that fits a
 * parameter. */
static bool
file_valid(const char *seg, size_t len)
{
	const char *dot = memchr(seg, '.', len);

	return dot != NULL && len <= ROUTER_PARAM_MAX &&
	    id_valid(seg, (size_t)(dot - seg)) &&
	    id_valid(dot + 1, len - (size_t)(dot - seg) - 1);
}

/* Compares path with pattern segment by segment, capturing parameters. */
static enum shape
match_shape(const char *pattern, const char *path, struct router_match *m)
{
	bool bad_param = false;

	m->nparams = 0;
	while (*pattern == '/' && *path == '/') {
		const char *pseg = pattern + 1, *seg = path + 1;
		size_t plen = strcspn(pseg, "/"), slen = strcspn(seg, "/");

		if (pseg[0] == '{') {
			if (slen == 0 || m->nparams == ROUTER_MAX_PARAMS)
				return SHAPE_NONE;
			if (!(strncmp(pseg, "{file}", 6) == 0 ?
			    file_valid(seg, slen) : id_valid(seg, slen))) {
				bad_param = true;
			} else {
				memcpy(m->params[m->nparams], seg, slen);
				m->params[m->nparams][slen] = '\0';
			}
			m->nparams++;
		} else if (plen != slen || memcmp(pseg, seg, plen) != 0) {
			return SHAPE_NONE;
		}
		pattern = pseg + plen;
		path = seg + slen;
	}
	if (*pattern != '\0' || *path != '\0')
		return SHAPE_NONE;
	return bad_param ? SHAPE_BAD_PARAM : SHAPE_MATCH;
}

enum router_result
router_match(const struct route *table, size_t n, const char *method,
    const char *path, struct router_match *m)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	bool path_known = false, bad_param = false;
	size_t used = 0;

	m->route = NULL;
	m->allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		enum shape shape = match_shape(table[i].pattern, path, m);
		if (shape == SHAPE_NONE)
			continue;
		path_known = true;
		if (strcmp(table[i].method, want) == 0) {
			if (shape == SHAPE_BAD_PARAM) {
				bad_param = true;
				continue;
			}
			m->route = &table[i];
			return ROUTER_FOUND;
		}
		used += (size_t)snprintf(m->allow + used, sizeof(m->allow) -
		    used, "%s%s%s", used > 0 ? ", " : "", table[i].method,
		    strcmp(table[i].method, "GET") == 0 ? ", HEAD" : "");
		if (used >= sizeof(m->allow))
			used = sizeof(m->allow) - 1;
	}
	if (bad_param)
		return ROUTER_BAD_PARAM;
	if (!path_known)
		return ROUTER_NOT_FOUND;
	snprintf(m->allow + used, sizeof(m->allow) - used, "%sOPTIONS",
	    used > 0 ? ", " : "");
	return ROUTER_BAD_METHOD;
}
