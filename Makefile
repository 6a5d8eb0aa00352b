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
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
else
BUILD     ?= build
OPT       := -O2 -g
endif

PKGS      := libmicrohttpd jansson sqlite3 nettle
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
DB        := $(BUILD)/accord.db
DATA      := $(wildcard data/sources.json data/annotations/*.json data/corpus/*)

all: $(BUILD)/accord $(DB)

$(BUILD)/obj/%.o: server/%.c $(wildcard server/*.h) | $(BUILD)/obj/.dir
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/embedded.c: tools/embed.sh $(wildcard schema/*.sql) openapi.yaml | $(BUILD)/gen/.dir
	sh tools/embed.sh $@

$(BUILD)/obj/embedded.o: $(BUILD)/gen/embedded.c | $(BUILD)/obj/.dir
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-conversion -c -o $@ $<

$(BUILD)/libaccord.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/accord: $(BUILD)/obj/main.o $(BUILD)/libaccord.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(DB): $(BUILD)/accord $(DATA)
	$(BUILD)/accord load --data data --db $@

$(BUILD)/tests/%: tests/%.c tests/support.h $(BUILD)/libaccord.a | $(BUILD)/tests/.dir
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(BUILD)/libaccord.a $(LIBS) -lcriterion -lcurl

%/.dir:
	mkdir -p $(@D)
	touch $@

# Installs the Debian packages the build and tests need, when missing.
deps:
	@sh tools/deps.sh

run: deps all
	$(BUILD)/accord serve --db $(DB) --host $(HOST) --port $(PORT)

# Every test binary runs, even after a failure; the target fails if any did.
test: deps all $(TESTS)
	@failed=0; for t in $(TESTS); do \
	    echo "== $$t"; \
	    ACCORD_BIN=$(CURDIR)/$(BUILD)/accord ACCORD_DB=$(CURDIR)/$(DB) \
	    ACCORD_ROOT=$(CURDIR) $$t --jobs 2 || failed=1; \
	done; exit $$failed

# The test suite with every daemon it starts under valgrind memcheck:
# any error or definite leak makes the daemon exit 99, which fails its test.
valgrind: deps all $(TESTS)
	@failed=0; for t in $(TESTS); do \
	    echo "== $$t (daemon under valgrind)"; \
	    ACCORD_BIN=$(CURDIR)/$(BUILD)/accord ACCORD_DB=$(CURDIR)/$(DB) \
	    ACCORD_ROOT=$(CURDIR) ACCORD_WRAPPER="valgrind --quiet \
	    --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect" \
	    $$t --jobs 2 || failed=1; \
	done; exit $$failed

clean:
	rm -rf build

.PHONY: all deps run test valgrind clean
