# accord: multi-stage build. The database is built and checked at image
# build time; the final image holds the binary, its runtime libraries and
# the read-only database, and runs as a non-root user.

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config \
    libmicrohttpd-dev libjansson-dev libsqlite3-dev nettle-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile openapi.yaml ./
COPY tools tools
COPY schema schema
COPY server server
COPY data data
RUN make build/accord build/accord.db \
 && build/accord check --db build/accord.db

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 libjansson4 \
    libsqlite3-0 libnettle8 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home \
    --shell /usr/sbin/nologin accord
COPY --from=build /src/build/accord /usr/local/bin/accord
COPY --from=build --chown=root:root --chmod=0444 /src/build/accord.db /var/lib/accord/accord.db
USER 10001:10001
ENV ACCORD_DB=/var/lib/accord/accord.db \
    ACCORD_HOST=0.0.0.0 \
    ACCORD_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/usr/local/bin/accord", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/accord"]
CMD ["serve"]
