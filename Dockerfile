# accord: multi-stage build. The database is built and checked at image
# build time; the final image holds the binary, its runtime libraries and
# the read-only database, and runs as a non-root user (10001) on a
# read-only root filesystem.
#
#   docker build -t accord:TAG .
#   docker run --read-only -p 8080:8080 accord:TAG
#
# Works with both the classic builder and BuildKit (no BuildKit-only
# options); `make container-test` builds and checks it end to end.

# ---- build: compile the daemon, load and validate the corpus ------------
FROM debian:bookworm AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config \
    libmicrohttpd-dev libjansson-dev libsqlite3-dev nettle-dev zlib1g-dev \
    libedlib-dev \
    libdivsufsort-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what `make build/accord build/accord.db` reads: no git, no node.
COPY Makefile openapi.yaml openapi.json ./
COPY tools tools
COPY schema schema
COPY server server
COPY viewer viewer
COPY data data
# The database is validated exactly as the daemon validates it at start;
# a corpus that does not load or check fails the image build.
RUN make build/accord build/accord.db \
 && build/accord check --db build/accord.db \
 && mkdir -p /out/bin /out/db \
 && install -m 0755 build/accord /out/bin/accord \
 && strip /out/bin/accord \
 && install -m 0444 build/accord.db /out/db/accord.db

# ---- runtime: slim Debian with the runtime libraries only ---------------
FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 libjansson4 \
    libsqlite3-0 libnettle8 zlib1g libdivsufsort3 libedlib1 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && echo 'accord:x:10001:10001:accord:/nonexistent:/usr/sbin/nologin' >>/etc/passwd \
 && echo 'accord:x:10001:' >>/etc/group
# Owned by root and read-only: the daemon opens it with SQLite's
# mode=ro&immutable=1 and writes nothing anywhere.
COPY --from=build /out/bin/accord /usr/local/bin/accord
COPY --from=build /out/db/accord.db /var/lib/accord/accord.db
USER 10001:10001
WORKDIR /var/lib/accord
# ACCORD_THREADS unset (or 0) means one worker per available core.
ENV ACCORD_DB=/var/lib/accord/accord.db \
    ACCORD_HOST=0.0.0.0 \
    ACCORD_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/accord", "healthcheck"]
# SIGTERM drains in-flight requests and exits 0; SIGHUP reloads ACCORD_DB.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/accord"]
CMD ["serve"]
