/* assets: files embedded in the binary at build time. */
#ifndef ACCORD_ASSETS_H
#define ACCORD_ASSETS_H

#include <stddef.h>

/* openapi.yaml, the API contract, byte for byte. */
extern const char assets_openapi_yaml[];
extern const size_t assets_openapi_yaml_len;

/* openapi.json, the same contract as JSON (generated from the YAML). */
extern const char assets_openapi_json[];
extern const size_t assets_openapi_json_len;

#endif
