/* schema: the numbered SQL files of schema/, embedded at build time. */
#ifndef ACCORD_SCHEMA_H
#define ACCORD_SCHEMA_H

#include <stddef.h>

struct schema_file {
	const char *name;
	const char *sql;
};

/* The schema files in order; the database's user_version is their count. */
extern const struct schema_file schema_files[];
extern const size_t schema_count;

#endif
