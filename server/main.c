/* accord: serves what news coverage reports, with provenance. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "load.h"
#include "num.h"
#include "origin.h"
#include "probe.h"
#include "server.h"
#include "stub.h"
#include "version.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: accord load --data DIR --db FILE\n"
	    "       accord serve [--db FILE] [--host ADDR] [--port N] "
	    "[--threads N]\n"
	    "                    [--connection-timeout S] "
	    "[--connection-limit N]\n"
	    "                    [--header-timeout S] [--queue-limit N]\n"
	    "                    [--response-memory BYTES]\n"
	    "                    [--per-ip-limit N] [--connection-memory BYTES]\n"
	    "                    [--query-timeout MS] [--drain-timeout S]\n"
	    "                    [--cache-bytes BYTES] [--record-cache-bytes BYTES]\n"
	    "                    [--public-url URL]\n"
	    "       accord check --db FILE | --data DIR\n"
	    "       accord new-source [--data DIR] FILE\n"
	    "       accord healthcheck [--host ADDR] [--port N]\n"
	    "       accord version\n"
	    "serve reads ACCORD_DB, ACCORD_HOST, ACCORD_PORT and ACCORD_THREADS\n"
	    "when the options are not given.\n");
}

/* Parses a decimal in [min, max] into *out (num_parse; no sign). Returns
 * 0, or -1 with a message on stderr. */
static int
parse_number(const char *what, const char *s, unsigned long min,
    unsigned long max, unsigned long *out)
{
	const char *errstr;
	long long v;

	v = num_parse(s, (long long)min, (long long)max, &errstr);
	if (errstr != NULL || s[0] == '-') {
		fprintf(stderr, "accord: %s must be a number from %lu to %lu, "
		    "not \"%s\"\n", what, min, max, s);
		return -1;
	}
	*out = (unsigned long)v;
	return 0;
}

static int
cmd_load(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "db", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *db = NULL;
	char err[2048];
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == 'd')
			data = optarg;
		else if (c == 'b')
			db = optarg;
		else
			return 2;
	}
	if (data == NULL || db == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (load_run(data, db, err, sizeof(err)) != 0) {
		fprintf(stderr, "accord load: %s\n", err);
		return 1;
	}
	fprintf(stderr, "accord load: wrote %s\n", db);
	return 0;
}

enum serve_option {
	OPT_DB = 256, OPT_HOST, OPT_PORT, OPT_THREADS, OPT_CONN_TIMEOUT,
	OPT_CONN_LIMIT, OPT_PER_IP, OPT_CONN_MEMORY, OPT_QUERY_TIMEOUT,
	OPT_DRAIN_TIMEOUT, OPT_CACHE_BYTES, OPT_RECORD_CACHE_BYTES,
	OPT_HEADER_TIMEOUT, OPT_QUEUE_LIMIT, OPT_RESPONSE_MEMORY,
	OPT_PUBLIC_URL,
};

/* Sets --public-url. Returns 0, or -1 with a message on stderr. */
static int
public_url(struct server_config *cfg, const char *url)
{
	if (!origin_valid(url)) {
		fprintf(stderr, "accord serve: --public-url must be an http:// "
		    "or https:// URL of fewer than %d characters, without a "
		    "query or fragment\n", ORIGIN_MAX);
		return -1;
	}
	cfg->public_url = url;
	return 0;
}

/* How a numeric serve option's field of struct server_config is typed. */
enum field_type { FIELD_U16, FIELD_UNSIGNED, FIELD_SIZE };

/* A numeric serve option: its bounds, and the field it sets. */
struct number_option {
	int opt;
	const char *name;
	unsigned long min, max;
	size_t offset;		/* of the field in struct server_config */
	enum field_type type;
};

#define FIELD(member, type) offsetof(struct server_config, member), type

static const struct number_option number_options[] = {
	{ OPT_PORT, "--port", 0, 65535, FIELD(port, FIELD_U16) },
	{ OPT_THREADS, "--threads", 0, 1024, FIELD(threads, FIELD_UNSIGNED) },
	{ OPT_CONN_TIMEOUT, "--connection-timeout", 1, 3600,
	    FIELD(connection_timeout_s, FIELD_UNSIGNED) },
	{ OPT_HEADER_TIMEOUT, "--header-timeout", 1, 3600,
	    FIELD(header_timeout_s, FIELD_UNSIGNED) },
	{ OPT_QUEUE_LIMIT, "--queue-limit", 1, 100000,
	    FIELD(queue_per_worker, FIELD_SIZE) },
	{ OPT_RESPONSE_MEMORY, "--response-memory", 1UL << 20, 1UL << 40,
	    FIELD(response_memory, FIELD_SIZE) },
	{ OPT_CONN_LIMIT, "--connection-limit", 1, 100000,
	    FIELD(connection_limit, FIELD_UNSIGNED) },
	{ OPT_PER_IP, "--per-ip-limit", 0, 100000,
	    FIELD(per_ip_limit, FIELD_UNSIGNED) },
	{ OPT_CONN_MEMORY, "--connection-memory", 8192, 16UL << 20,
	    FIELD(connection_memory, FIELD_SIZE) },
	{ OPT_QUERY_TIMEOUT, "--query-timeout", 1, 600000,
	    FIELD(query_timeout_ms, FIELD_UNSIGNED) },
	{ OPT_DRAIN_TIMEOUT, "--drain-timeout", 0, 3600,
	    FIELD(drain_timeout_s, FIELD_UNSIGNED) },
	{ OPT_CACHE_BYTES, "--cache-bytes", 0, 1UL << 40,
	    FIELD(cache_bytes, FIELD_SIZE) },
	{ OPT_RECORD_CACHE_BYTES, "--record-cache-bytes", 0, 1UL << 40,
	    FIELD(record_cache_bytes, FIELD_SIZE) },
};

/* Applies one numeric serve option to cfg. Returns 0 or -1. */
static int
serve_number(struct server_config *cfg, int opt, const char *value)
{
	const struct number_option *o = number_options;
	const struct number_option *end = o + sizeof(number_options) /
	    sizeof(number_options[0]);
	void *field;
	unsigned long v;

	while (o < end && o->opt != opt)
		o++;
	if (o == end || parse_number(o->name, value, o->min, o->max, &v) != 0)
		return -1;
	field = (char *)cfg + o->offset;
	switch (o->type) {
	case FIELD_U16:
		*(uint16_t *)field = (uint16_t)v;
		break;
	case FIELD_UNSIGNED:
		*(unsigned *)field = (unsigned)v;
		break;
	case FIELD_SIZE:
		*(size_t *)field = v;
		break;
	}
	return 0;
}

/* Applies the environment variable `name`, when set and not empty, as the
 * numeric option opt. Returns 0 or -1. */
static int
env_number(struct server_config *cfg, const char *name, int opt)
{
	const char *env = getenv(name);

	return env == NULL || env[0] == '\0' ? 0 : serve_number(cfg, opt, env);
}

static int
cmd_serve(int argc, char **argv)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "connection-timeout", required_argument, NULL,
		    OPT_CONN_TIMEOUT },
		{ "connection-limit", required_argument, NULL, OPT_CONN_LIMIT },
		{ "header-timeout", required_argument, NULL,
		    OPT_HEADER_TIMEOUT },
		{ "queue-limit", required_argument, NULL, OPT_QUEUE_LIMIT },
		{ "response-memory", required_argument, NULL,
		    OPT_RESPONSE_MEMORY },
		{ "per-ip-limit", required_argument, NULL, OPT_PER_IP },
		{ "connection-memory", required_argument, NULL,
		    OPT_CONN_MEMORY },
		{ "query-timeout", required_argument, NULL, OPT_QUERY_TIMEOUT },
		{ "drain-timeout", required_argument, NULL, OPT_DRAIN_TIMEOUT },
		{ "cache-bytes", required_argument, NULL, OPT_CACHE_BYTES },
		{ "record-cache-bytes", required_argument, NULL,
		    OPT_RECORD_CACHE_BYTES },
		{ "public-url", required_argument, NULL, OPT_PUBLIC_URL },
		{ NULL, 0, NULL, 0 },
	};
	struct server_config cfg;
	const char *env;
	int c;

	server_defaults(&cfg);
	if ((env = getenv("ACCORD_DB")) != NULL && env[0] != '\0')
		cfg.db_path = env;
	if ((env = getenv("ACCORD_HOST")) != NULL && env[0] != '\0')
		cfg.host = env;
	if (env_number(&cfg, "ACCORD_PORT", OPT_PORT) != 0 ||
	    env_number(&cfg, "ACCORD_THREADS", OPT_THREADS) != 0)
		return 2;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == OPT_DB)
			cfg.db_path = optarg;
		else if (c == OPT_HOST)
			cfg.host = optarg;
		else if (c == OPT_PUBLIC_URL ? public_url(&cfg, optarg) != 0 :
		    c < OPT_DB || serve_number(&cfg, c, optarg) != 0)
			return 2;
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return server_run(&cfg);
}

/* Validates a data directory as the loader would, writing nothing:
 * every error a line on stderr. */
static int
check_data(const char *dir)
{
	char err[2048];
	size_t n = 0;

	if (load_check(dir, stderr, &n, err, sizeof(err)) == 0) {
		printf("accord check: %s loads without an error\n", dir);
		return 0;
	}
	if (n == 0)
		fprintf(stderr, "accord check: %s\n", err);
	else
		fprintf(stderr, "accord check: %zu error%s in %s\n", n,
		    n == 1 ? "" : "s", dir);
	return 1;
}

/* Validates a database file as the daemon would before serving it, or a
 * data directory as the loader would. */
static int
cmd_check(int argc, char **argv)
{
	char err[1024];

	if (argc != 3 || (strcmp(argv[1], "--db") != 0 &&
	    strcmp(argv[1], "--data") != 0)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--data") == 0)
		return check_data(argv[2]);
	if (db_check_file(argv[2], DB_CHECK_PAGES | DB_CHECK_SPANS, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "accord check: %s\n", err);
		return 1;
	}
	printf("accord check: %s is a sound accord database\n", argv[2]);
	return 0;
}

/* Prints a sources.json record to start from for the article FILE, and
 * on stderr where to copy it. */
static int
cmd_new_source(int argc, char **argv)
{
	const char *data = "data";
	char err[512];
	json_t *rec;

	if (argc == 4 && strcmp(argv[1], "--data") == 0)
		data = argv[2];
	else if (argc != 2) {
		usage(stderr);
		return 2;
	}
	rec = stub_source(argv[argc - 1], data, err, sizeof(err));
	if (rec == NULL) {
		fprintf(stderr, "accord new-source: %s: %s\n", argv[argc - 1],
		    err);
		return 1;
	}
	json_dumpf(rec, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("\n");
	snprintf(err, sizeof(err), "%s/%s", data,
	    json_string_value(json_object_get(rec, "file")));
	if (access(err, F_OK) != 0)
		fprintf(stderr, "accord new-source: copy %s to %s unchanged\n",
		    argv[argc - 1], err);
	fprintf(stderr, "accord new-source: add this record to "
	    "%s/sources.json and fill in what the text states (data/README.md: "
	    "\"Add an article\")\n", data);
	json_decref(rec);
	return 0;
}

static int
cmd_healthcheck(int argc, char **argv)
{
	static const struct option options[] = {
		{ "host", required_argument, NULL, OPT_HOST },
		{ "port", required_argument, NULL, OPT_PORT },
		{ NULL, 0, NULL, 0 },
	};
	struct server_config cfg;
	int c, status;

	server_defaults(&cfg);
	if (env_number(&cfg, "ACCORD_PORT", OPT_PORT) != 0)
		return 2;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == OPT_HOST)
			cfg.host = optarg;
		else if (c != OPT_PORT || serve_number(&cfg, c, optarg) != 0)
			return 2;
	}
	status = probe_get(cfg.host, cfg.port, "/healthz", 2000);
	if (status != 200) {
		fprintf(stderr, "accord healthcheck: %s:%u answered %d\n",
		    cfg.host, cfg.port, status);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "load") == 0)
		return cmd_load(argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "new-source") == 0)
		return cmd_new_source(argc - 1, argv + 1);
	if (strcmp(argv[1], "healthcheck") == 0)
		return cmd_healthcheck(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0) {
		printf("accord %s (SQLite %s)\n", ACCORD_VERSION,
		    sqlite3_libversion());
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
