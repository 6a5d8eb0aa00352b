/* router and the route table, held to openapi.yaml. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "router.h"
#include "support.h"

static enum router_result
route(const char *method, const char *path, struct router_match *m)
{
	return router_match(api_routes, api_route_count, method, path, m);
}

Test(router, matches_a_literal_route)
{
	struct router_match m;

	cr_assert_eq(route("GET", "/sources", &m), ROUTER_FOUND);
	cr_assert_str_eq(m.route->pattern, "/sources");
	cr_assert_eq(m.nparams, 0);
}

Test(router, captures_an_id)
{
	struct router_match m;

	cr_assert_eq(route("GET", "/sources/abc-123/text", &m), ROUTER_FOUND);
	cr_assert_str_eq(m.route->pattern, "/sources/{id}/text");
	cr_assert_eq(m.nparams, 1);
	cr_assert_str_eq(m.params[0], "abc-123");
}

Test(router, head_uses_the_get_route)
{
	struct router_match m;

	cr_assert_eq(route("HEAD", "/claims/x", &m), ROUTER_FOUND);
	cr_assert_str_eq(m.route->method, "GET");
}

Test(router, another_method_gets_the_allow_list)
{
	struct router_match m;

	cr_assert_eq(route("DELETE", "/outcomes/x", &m), ROUTER_BAD_METHOD);
	cr_assert_str_eq(m.allow, "GET, HEAD, OPTIONS");
}

Test(router, an_unknown_path_is_not_found)
{
	struct router_match m;

	cr_assert_eq(route("GET", "/nothing", &m), ROUTER_NOT_FOUND);
	cr_assert_eq(route("GET", "/sources/", &m), ROUTER_NOT_FOUND);
	cr_assert_eq(route("GET", "/sources/a/b", &m), ROUTER_NOT_FOUND);
	cr_assert_eq(route("GET", "//sources", &m), ROUTER_NOT_FOUND);
	cr_assert_eq(route("GET", "", &m), ROUTER_NOT_FOUND);
}

Test(router, an_ill_formed_id_is_a_bad_parameter)
{
	struct router_match m;

	cr_assert_eq(route("GET", "/sources/UPPER", &m), ROUTER_BAD_PARAM);
	cr_assert_eq(route("GET", "/sources/a--b", &m), ROUTER_BAD_PARAM);
	cr_assert_eq(route("GET", "/sources/-a", &m), ROUTER_BAD_PARAM);
	cr_assert_eq(route("GET", "/sources/a_b", &m), ROUTER_BAD_PARAM);
}

Test(router, an_id_longer_than_64_is_a_bad_parameter)
{
	char path[128] = "/participants/";
	struct router_match m;

	memset(path + strlen(path), 'a', 65);
	cr_assert_eq(route("GET", path, &m), ROUTER_BAD_PARAM);
	path[strlen("/participants/") + 64] = '\0';
	cr_assert_eq(route("GET", path, &m), ROUTER_FOUND);
}

/* The paths of openapi.yaml: the keys indented two spaces under paths:. */
static size_t
spec_paths(char paths[][64], size_t max)
{
	char file[4096];
	size_t n = 0, len;
	char *spec, *line, *save = NULL;
	int in_paths = 0;

	snprintf(file, sizeof(file), "%s/openapi.yaml", repo_root());
	spec = slurp(file, &len);
	for (line = strtok_r(spec, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != ' ' && line[0] != '#')
			in_paths = strncmp(line, "paths:", 6) == 0;
		else if (in_paths && strncmp(line, "  /", 3) == 0 && n < max) {
			size_t k = strcspn(line + 2, ":");
			snprintf(paths[n++], 64, "%.*s", (int)k, line + 2);
		}
	}
	free(spec);
	return n;
}

Test(router, every_route_is_in_the_spec)
{
	char paths[64][64];
	size_t n = spec_paths(paths, 64);

	cr_assert_gt(n, 0, "openapi.yaml lists no paths");
	for (size_t r = 0; r < api_route_count; r++) {
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(paths[i], api_routes[r].pattern) == 0;
		cr_expect(found, "route %s is missing from openapi.yaml",
		    api_routes[r].pattern);
	}
}

Test(router, every_spec_path_is_a_route)
{
	char paths[64][64];
	size_t n = spec_paths(paths, 64);

	for (size_t i = 0; i < n; i++) {
		int found = 0;
		for (size_t r = 0; r < api_route_count && !found; r++)
			found = strcmp(paths[i], api_routes[r].pattern) == 0;
		cr_expect(found, "openapi.yaml path %s has no route", paths[i]);
	}
}

/* An id is lower-case letters and digits in runs joined by single
 * hyphens: it neither begins nor ends with one. */
Test(router, an_id_ending_in_a_hyphen_is_a_bad_parameter)
{
	struct router_match m;

	cr_assert_eq(route("GET", "/sources/a-", &m), ROUTER_BAD_PARAM);
	cr_assert_eq(route("GET", "/participants/guo-", &m), ROUTER_BAD_PARAM);
	cr_assert_eq(id_valid("guo-", 4), 0);
	cr_assert_eq(id_valid("guo-s", 5), 1);
}
