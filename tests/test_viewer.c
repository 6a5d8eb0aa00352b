/* The viewer (issue 17): / negotiates the page or the API's index; every
 * embedded file has its route, type, ETag, gzip; HTML carries a CSP
 * without unsafe-inline or unsafe-eval; the API keeps its CORS. */
#include <criterion/criterion.h>

#include <string.h>

#include "api.h"
#include "router.h"
#include "support.h"
#include "viewer.h"

Test(viewer_accept, a_browser_gets_html_and_other_clients_json)
{
	cr_assert(viewer_prefers_html("text/html,application/xhtml+xml,"
	    "application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"));
	cr_assert(viewer_prefers_html("text/html"));
	cr_assert(viewer_prefers_html("application/json;q=0.5, text/html"));
	cr_assert(viewer_prefers_html("TEXT/HTML ; q=0.7, application/json;q=0.7"));
	cr_assert_not(viewer_prefers_html(NULL));
	cr_assert_not(viewer_prefers_html("*/*"));
	cr_assert_not(viewer_prefers_html("application/json"));
	cr_assert_not(viewer_prefers_html("text/html;q=0.5, application/json"));
	cr_assert_not(viewer_prefers_html("text/html;q=0"));
	cr_assert_not(viewer_prefers_html("text/htmlx, text/*"));
	cr_assert_not(viewer_prefers_html(""));
}

Test(viewer_files, every_embedded_file_has_a_route_and_a_type)
{
	struct router_match m;

	cr_assert_gt(viewer_file_count, 3);
	for (size_t i = 0; i < viewer_file_count; i++) {
		const struct viewer_file *f = &viewer_files[i];
		cr_assert_eq(router_match(api_routes, api_route_count, "GET",
		    f->path, &m), ROUTER_FOUND, "%s has no route", f->path);
		cr_assert_not_null(f->type);
		cr_assert_eq(strlen(f->data), f->len, "%s", f->path);
	}
}

TestSuite(viewer, .init = server_start, .fini = server_stop, .timeout = 60);

Test(viewer, a_browser_at_root_gets_the_page_with_a_strict_csp)
{
	struct http r;
	char *type, *csp, *vary, *cors;

	http_request(&server, "GET", "/", &r, "Accept: text/html,*/*;q=0.8",
	    NULL);
	cr_assert_eq(r.status, 200);
	type = http_header(&r, "Content-Type");
	csp = http_header(&r, "Content-Security-Policy");
	vary = http_header(&r, "Vary");
	cors = http_header(&r, "Access-Control-Allow-Origin");
	cr_assert_str_eq(type, "text/html; charset=utf-8");
	cr_assert_not_null(csp);
	cr_assert_null(strstr(csp, "unsafe-inline"));
	cr_assert_null(strstr(csp, "unsafe-eval"));
	cr_assert_not_null(strstr(csp, "default-src 'none'"));
	cr_assert_str_eq(vary, "Accept, Accept-Encoding");
	cr_assert_str_eq(cors, "*");
	cr_assert_not_null(strstr(r.body, "<script type=\"module\" "
	    "src=\"/viewer/app.js\"></script>"));
	free(type), free(csp), free(vary), free(cors);
	http_free(&r);
}

Test(viewer, a_json_client_at_root_gets_the_index_without_a_csp)
{
	struct http r;
	char *type, *csp, *vary;

	http_request(&server, "GET", "/", &r, "Accept: */*", NULL);
	cr_assert_eq(r.status, 200);
	type = http_header(&r, "Content-Type");
	csp = http_header(&r, "Content-Security-Policy");
	vary = http_header(&r, "Vary");
	cr_assert_str_eq(type, "application/json");
	cr_assert_null(csp);
	cr_assert_str_eq(vary, "Accept, Accept-Encoding");
	cr_assert_not_null(strstr(r.body, "\"sources\":\"http://127.0.0.1:"));
	free(type), free(vary);
	http_free(&r);
}

Test(viewer, each_file_has_its_type_a_strong_etag_and_gzip)
{
	for (size_t i = 0; i < viewer_file_count; i++) {
		const struct viewer_file *f = &viewer_files[i];
		struct http r, again;
		char *type, *etag, *enc, *inm;

		http_request(&server, "GET", f->path, &r,
		    "Accept-Encoding: gzip", NULL);
		cr_assert_eq(r.status, 200, "%s", f->path);
		type = http_header(&r, "Content-Type");
		etag = http_header(&r, "ETag");
		enc = http_header(&r, "Content-Encoding");
		cr_assert_str_eq(type, f->type);
		cr_assert(etag != NULL && etag[0] == '"', "%s", f->path);
		if (f->len >= 860)
			cr_assert_str_eq(enc, "gzip", "%s", f->path);
		cr_assert_eq(asprintf(&inm, "If-None-Match: %s", etag) > 0, 1);
		http_request(&server, "GET", f->path, &again,
		    "Accept-Encoding: gzip", inm, NULL);
		cr_assert_eq(again.status, 304, "%s", f->path);
		free(type), free(etag), free(enc), free(inm);
		http_free(&r);
		http_free(&again);
	}
}

Test(viewer, an_unknown_viewer_file_is_a_404_and_a_bad_name_a_400)
{
	struct http r;

	http_get(&server, "/viewer/nope.js", &r);
	cr_assert_eq(r.status, 404);
	http_free(&r);
	http_get(&server, "/viewer/app", &r);
	cr_assert_eq(r.status, 400);
	http_free(&r);
	http_get(&server, "/viewer/..%2Fapi.c", &r);
	cr_assert_eq(r.status, 400);
	http_free(&r);
	http_get(&server, "/viewer/App.js", &r);
	cr_assert_eq(r.status, 400);
	http_free(&r);
	http_get(&server, "/viewer/app.JS", &r);
	cr_assert_eq(r.status, 400);
	http_free(&r);
}
