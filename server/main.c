/* accord: serves what news coverage reports, with provenance. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "load.h"
#include "probe.h"
#include "server.h"
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
	    "       accord check --db FILE\n"
	    "       accord healthcheck [--host ADDR] [--port N]\n"
	    "       accord version\n"
	    "serve reads ACCORD_DB, ACCORD_HOST, ACCORD_PORT and ACCORD_THREADS\n"
	    "when the options are not given.\n");
}

/* Parses a decimal in [min, max] into *out. Returns 0, or -1 with a
 * message on stderr. */
static int
parse_number(const char *what, const char *s, unsigned long min,
    unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < min || v > max) {
		fprintf(stderr, "accord: %s must be a number from %lu to %lu, "
		    "not \"%s\"\n", what, min, max, s);
		return -1;
	}
	*out = v;
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
	char err[1024];
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
};

/* Applies one numeric serve option to cfg. Returns 0 or -1. */
static int
serve_number(struct server_config *cfg, int opt, const char *value)
{
	unsigned long v;

	switch (opt) {
	case OPT_PORT:
		if (parse_number("--port", value, 0, 65535, &v) != 0)
			return -1;
		cfg->port = (uint16_t)v;
		return 0;
	case OPT_THREADS:
		if (parse_number("--threads", value, 0, 1024, &v) != 0)
			return -1;
		cfg->threads = (unsigned)v;
		return 0;
	case OPT_CONN_TIMEOUT:
		if (parse_number("--connection-timeout", value, 1, 3600,
		    &v) != 0)
			return -1;
		cfg->connection_timeout_s = (unsigned)v;
		return 0;
	case OPT_HEADER_TIMEOUT:
		if (parse_number("--header-timeout", value, 1, 3600, &v) != 0)
			return -1;
		cfg->header_timeout_s = (unsigned)v;
		return 0;
	case OPT_QUEUE_LIMIT:
		if (parse_number("--queue-limit", value, 1, 100000, &v) != 0)
			return -1;
		cfg->queue_per_worker = v;
		return 0;
	case OPT_RESPONSE_MEMORY:
		if (parse_number("--response-memory", value, 1UL << 20,
		    1UL << 40, &v) != 0)
			return -1;
		cfg->response_memory = v;
		return 0;
	case OPT_CONN_LIMIT:
		if (parse_number("--connection-limit", value, 1, 100000,
		    &v) != 0)
			return -1;
		cfg->connection_limit = (unsigned)v;
		return 0;
	case OPT_PER_IP:
		if (parse_number("--per-ip-limit", value, 0, 100000, &v) != 0)
			return -1;
		cfg->per_ip_limit = (unsigned)v;
		return 0;
	case OPT_CONN_MEMORY:
		if (parse_number("--connection-memory", value, 8192,
		    16UL << 20, &v) != 0)
			return -1;
		cfg->connection_memory = v;
		return 0;
	case OPT_QUERY_TIMEOUT:
		if (parse_number("--query-timeout", value, 1, 600000, &v) != 0)
			return -1;
		cfg->query_timeout_ms = (unsigned)v;
		return 0;
	case OPT_DRAIN_TIMEOUT:
		if (parse_number("--drain-timeout", value, 0, 3600, &v) != 0)
			return -1;
		cfg->drain_timeout_s = (unsigned)v;
		return 0;
	case OPT_CACHE_BYTES:
		if (parse_number("--cache-bytes", value, 0, 1UL << 40, &v) != 0)
			return -1;
		cfg->cache_bytes = v;
		return 0;
	case OPT_RECORD_CACHE_BYTES:
		if (parse_number("--record-cache-bytes", value, 0, 1UL << 40,
		    &v) != 0)
			return -1;
		cfg->record_cache_bytes = v;
		return 0;
	}
	return -1;
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
	if ((env = getenv("ACCORD_PORT")) != NULL && env[0] != '\0' &&
	    serve_number(&cfg, OPT_PORT, env) != 0)
		return 2;
	if ((env = getenv("ACCORD_THREADS")) != NULL && env[0] != '\0' &&
	    serve_number(&cfg, OPT_THREADS, env) != 0)
		return 2;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == OPT_DB)
			cfg.db_path = optarg;
		else if (c == OPT_HOST)
			cfg.host = optarg;
		else if (c < OPT_DB || serve_number(&cfg, c, optarg) != 0)
			return 2;
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return server_run(&cfg);
}

/* Validates a database file as the daemon would before serving it. */
static int
cmd_check(int argc, char **argv)
{
	char err[1024];

	if (argc != 3 || strcmp(argv[1], "--db") != 0) {
		usage(stderr);
		return 2;
	}
	if (db_check_file(argv[2], DB_CHECK_PAGES | DB_CHECK_SPANS, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "accord check: %s\n", err);
		return 1;
	}
	printf("accord check: %s is a sound accord database\n", argv[2]);
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
	const char *env;
	int c, status;

	server_defaults(&cfg);
	if ((env = getenv("ACCORD_PORT")) != NULL && env[0] != '\0' &&
	    serve_number(&cfg, OPT_PORT, env) != 0)
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
