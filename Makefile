# accord: `make run` builds, loads the corpus and serves; `make test` tests.
.SUFFIXES:

CC        ?= cc
SANITIZE  ?= 0
WERROR    ?= 1
HOST      ?= 127.0.0.1
PORT      ?= 8080
VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo 0.1.0)

ifeq ($(SANITIZE),1)
BUILD     ?= build/sanitize
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp
export ACCORD_SANITIZED = 1
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
else
BUILD     ?= build
OPT       := -O2 -g
endif

PKGS      := libmicrohttpd jansson sqlite3 nettle zlib libdivsufsort edlib-1
WARN      := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
             -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN      += -Werror
endif
CPPFLAGS  += -D_GNU_SOURCE -DACCORD_VERSION='"$(VERSION)"' -Iserver -I$(BUILD)/gen
CFLAGS    += -std=c17 $(OPT) $(WARN) -pthread
LDFLAGS   += $(filter -fsanitize%,$(OPT)) -pthread
LIBS       = $(shell pkg-config --libs $(PKGS))

SRC       := $(wildcard server/*.c)
LIB_OBJ   := $(patsubst server/%.c,$(BUILD)/obj/%.o,$(filter-out server/main.c,$(SRC))) \
             $(BUILD)/obj/embedded.o
TESTS     := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
FUZZERS   := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
REPLAYS   := $(patsubst %,$(BUILD)/fuzz/replay_%,$(FUZZERS))
FUZZ_SECONDS ?= 30
DB        := $(BUILD)/accord.db
DATA      := $(wildcard data/sources.json data/annotations/*.json data/corpus/*)

all: $(BUILD)/accord $(DB)

# Each object (and test) depends on the headers it includes: -MMD writes
# them to a .d file beside it, -MP adds an empty rule for each so that a
# header removed does not break the build.
DEPFLAGS  := -MMD -MP

$(BUILD)/obj/%.o: server/%.c Makefile | $(BUILD)/obj/.dir
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

# The objects that print the version are rebuilt when it changes (a new
# commit, or a tree that becomes dirty), so that no binary reports a stale one.
$(BUILD)/version: FORCE | $(BUILD)/obj/.dir
	@echo '$(VERSION)' | cmp -s - $@ 2>/dev/null || echo '$(VERSION)' > $@
$(BUILD)/obj/main.o $(BUILD)/obj/api.o $(BUILD)/obj/load.o: $(BUILD)/version
.PHONY: FORCE
FORCE:

$(BUILD)/gen/embedded.c: tools/embed.sh $(wildcard schema/*.sql) openapi.yaml openapi.json \
    $(wildcard viewer/*) | $(BUILD)/gen/.dir
	sh tools/embed.sh $@

$(BUILD)/obj/embedded.o: $(BUILD)/gen/embedded.c | $(BUILD)/obj/.dir
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-conversion -c -o $@ $<

$(BUILD)/libaccord.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)

$(BUILD)/accord: $(BUILD)/obj/main.o $(BUILD)/libaccord.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(DB): $(BUILD)/accord $(DATA)
	$(BUILD)/accord load --data data --db $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libaccord.a | $(BUILD)/tests/.dir
	$(CC) $(CPPFLAGS) $(DEPFLAGS) -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(BUILD)/libaccord.a $(LIBS) -lcriterion -lcurl

# Each fuzz target, linked to a plain driver that replays saved inputs.
$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/driver.c $(BUILD)/libaccord.a | $(BUILD)/fuzz/.dir
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ fuzz/driver.c $< \
	    $(BUILD)/libaccord.a $(LIBS)

%/.dir:
	mkdir -p $(@D)
	touch $@

# Installs the Debian packages the build and tests need, when missing.
deps:
	@sh tools/deps.sh

deps-test:
	@sh tools/deps.sh test

run: deps all
	$(BUILD)/accord serve --db $(DB) --host $(HOST) --port $(PORT)

# Every test binary runs, even after a failure; the target fails if any did.
# The fuzz seeds and every saved crash input are replayed too.
test: deps-test all $(TESTS) $(REPLAYS)
	@rm -f $(BUILD)/responses.jsonl; \
	failed=0; for f in $(FUZZERS); do \
	    echo "== replay fuzz/corpus/$$f fuzz/regressions/$$f"; \
	    $(BUILD)/fuzz/replay_$$f $$(find fuzz/corpus/$$f fuzz/regressions/$$f \
	        -type f ! -name .gitkeep) || failed=1; \
	done; \
	for t in $(TESTS); do \
	    echo "== $$t"; \
	    ACCORD_BIN=$(CURDIR)/$(BUILD)/accord ACCORD_DB=$(CURDIR)/$(DB) \
	    ACCORD_ROOT=$(CURDIR) \
	    ACCORD_RESPONSE_LOG=$(CURDIR)/$(BUILD)/responses.jsonl \
	    $$t --jobs 2 || failed=1; \
	done; \
	echo "== contract: every response against openapi.yaml"; \
	sh tools/contract.sh $(BUILD)/accord $(DB) \
	    $(CURDIR)/$(BUILD)/responses.jsonl || failed=1; \
	echo "== browser: a dashboard of another origin in Chromium"; \
	sh tools/browser.sh $(CURDIR)/$(BUILD)/accord || failed=1; \
	exit $$failed

# openapi.json is generated from openapi.yaml (run this after editing the
# YAML); the contract test fails while the two differ.
openapi-json:
	@test -d tests/contract/node_modules/js-yaml || \
	    (cd tests/contract && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
	node tools/openapi-json.mjs

# The structural rules of server/: function and file lengths, and no
# function left unused (tools/lint.sh).
lint: deps-test $(BUILD)/gen/embedded.c
	@sh tools/lint.sh

# Lints openapi.yaml with Redocly (needs Node.js 20.19 or later).
lint-spec:
	cd tests/contract && npm ci --no-audit --no-fund --loglevel=error && \
	    npx redocly lint ../../openapi.yaml

# libFuzzer (clang) on every parser, FUZZ_SECONDS each. New inputs go to
# build/fuzz/corpus; a crash is saved in build/fuzz/artifacts: copy it to
# fuzz/regressions/TARGET/ so that make test replays it from then on.
FUZZ_CFLAGS := -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all
fuzz: $(BUILD)/gen/embedded.c
	@command -v clang >/dev/null || sh tools/deps.sh fuzz
	@mkdir -p build/fuzz/artifacts
	@for f in $(FUZZERS); do \
	    clang $(CPPFLAGS) $(FUZZ_CFLAGS) -o build/fuzz/fuzz_$$f fuzz/fuzz_$$f.c \
	        $(filter-out server/main.c,$(SRC)) $(BUILD)/gen/embedded.c $(LIBS) \
	        || exit 1; \
	done
	@for f in $(FUZZERS); do \
	    echo "== fuzz $$f for $(FUZZ_SECONDS)s"; \
	    mkdir -p build/fuzz/corpus/$$f; \
	    build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -artifact_prefix=build/fuzz/artifacts/$$f- \
	        build/fuzz/corpus/$$f fuzz/corpus/$$f || exit 1; \
	done

# The test suite with every daemon it starts under valgrind memcheck:
# any error or definite leak makes the daemon exit 99, which fails its test.
valgrind: deps-test all $(TESTS)
	@failed=0; for t in $(TESTS); do \
	    echo "== $$t (daemon under valgrind)"; \
	    ACCORD_BIN=$(CURDIR)/$(BUILD)/accord ACCORD_DB=$(CURDIR)/$(DB) \
	    ACCORD_ROOT=$(CURDIR) ACCORD_SANITIZED=1 ACCORD_WRAPPER="valgrind --quiet \
	    --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect" \
	    $$t --jobs 2 || failed=1; \
	done; exit $$failed

clean:
	rm -rf build

.PHONY: all deps deps-test run test lint valgrind fuzz lint-spec openapi-json clean bench container-test mutate

# Builds the Docker image (base images made locally by debootstrap) and
# checks it running read-only; exits 2 with "CONTAINER TEST NOT RUN" where
# no Docker engine can be started.
container-test:
	sh tools/container-test.sh

# Benchmarks (wrk against nginx and json-server, and at 10x-1000x scale):
# see BENCHMARKS.md. Durations: BENCH_SECONDS, BENCH_SCALE_SECONDS, ...
bench:
	sh bench/run.sh

# Mutation testing: each mutant of tests/mutants.txt (a plausible bug, one
# small change to server/) applied alone to a scratch copy of the tree,
# which is built and the Criterion tests named to kill it run (then the
# rest of the suite if they do not); prints a table and the score, and
# fails if one survives. MUTANT="id ..." runs only those. Not part of
# make test. See tools/mutate.sh.
mutate: deps-test
	sh tools/mutate.sh $(MUTANT)

# The stress campaign (slowloris, floods, non-reading clients, SIGHUP
# storms, tampered databases, a soak) on a 200x corpus; not part of make
# test. Writes its figures to BENCHMARKS.md and fails if a verdict fails.
# Durations: STRESS_SECONDS, STRESS_SOAK_SECONDS, ...: see BENCHMARKS.md.
.PHONY: stress
stress:
	sh stress/run.sh
