/* api: the route table and its handlers. */
#ifndef ACCORD_API_H
#define ACCORD_API_H

#include <stddef.h>

#include "router.h"

/* Every route the daemon serves; openapi.yaml describes each one. */
extern const struct route api_routes[];
extern const size_t api_route_count;

/*
 * Returns NULL when every query parameter of the request is one the
 * route accepts, else the name of the first that is not (borrowed).
 */
const char *api_unknown_param(const struct request *req);

#endif
