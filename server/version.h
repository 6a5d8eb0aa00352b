/* version: what accord reports as its version (`accord --version`, the API
 * and the databases it builds). The Makefile defines ACCORD_VERSION from
 * git; a build without it reports the fallback. */
#ifndef ACCORD_VERSION_H
#define ACCORD_VERSION_H

#ifndef ACCORD_VERSION
#define ACCORD_VERSION "0.0.0-dev"
#endif

#endif
