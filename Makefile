# jerry - a work tracker that many agents can share without losing a write.
#
#   make            build build/jerry, build/jerry-serve, build/libjerry.{a,so},
#                   build/jerry.pc
#   make check      build and pass every test (installs Debian packages it needs)
#   make demo       the main job: many jerry instances at once, then a check
#   make bench      benchmarks against the sqlite3 CLI (doc/PERFORMANCE.md)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Conventional variables are honoured: CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX,
# DESTDIR.  STRICT=1 (what CI uses) adds -Werror.

VERSION   := 0.1.0
SOVERSION := 0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCDIR    ?= $(PREFIX)/include
MANDIR    ?= $(PREFIX)/share/man
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR   ?= $(PREFIX)/share
PKGCONFIG ?= pkg-config

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers
ifeq ($(STRICT),1)
WARN    += -Werror
endif
DEP_CFLAGS := $(shell $(PKGCONFIG) --cflags jansson yaml-0.1 2>/dev/null)
DEP_LIBS   := $(shell $(PKGCONFIG) --libs jansson yaml-0.1 2>/dev/null || echo -ljansson -lyaml)
ALL_CFLAGS  = $(WARN) -D_POSIX_C_SOURCE=200809L -fPIC -Iinclude $(DEP_CFLAGS) $(EXTRA_CFLAGS) $(CPPFLAGS) $(CFLAGS)

B ?= build
.DEFAULT_GOAL := all

LIB_SRC := $(wildcard src/util/*.c) $(wildcard src/domain/*.c) $(wildcard src/app/*.c) \
           $(wildcard src/store/*.c) $(wildcard src/lib/*.c)
# The faces: the command, and the MCP server it starts (jerry mcp).
# cli_serve() has two definitions, one per program (below).
CLI_SRC := $(filter-out src/cli/serve_here.c src/cli/serve_exec.c,$(wildcard src/cli/*.c)) \
           $(wildcard src/mcp/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)

# jerry serve (src/serve/): libmicrohttpd, and the page, style and script
# built into the program as C arrays (scripts/embed.sh).  They go into
# jerry-serve, the whole command with the server in it, which `jerry serve`
# execs (src/cli/serve_exec.c): jerry itself never loads libmicrohttpd and
# GnuTLS (doc/adr/0022-serve.md).  Installed in LIBEXECDIR/jerry, or found
# beside jerry.
MHD_CFLAGS := $(shell $(PKGCONFIG) --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(shell $(PKGCONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
SERVE_ASSETS := $(sort $(wildcard src/serve/assets/*))
SERVE_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(wildcard src/serve/*.c)) $(B)/obj/gen/serve_assets.o \
             $(B)/obj/src/cli/serve_here.o
$(SERVE_OBJ): ALL_CFLAGS += $(MHD_CFLAGS)
$(B)/obj/src/cli/serve_exec.o: ALL_CFLAGS += -DJERRY_LIBEXECDIR='"$(LIBEXECDIR)/jerry"'
# The directory is compiled in: a build for another PREFIX rebuilds it.
$(B)/obj/src/cli/serve_exec.o: $(B)/libexecdir
$(B)/libexecdir: FORCE
	@mkdir -p $(B) && echo '$(LIBEXECDIR)' | cmp -s - $@ || echo '$(LIBEXECDIR)' > $@

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: FORCE all check unit system stress mcp-test browser memcheck deps-build deps-test demo bench bench-quick \
        validate validate-ci sensitivity sensitivity-ci fuzz install uninstall clean asan fault

all: $(B)/jerry $(B)/jerry-serve $(B)/libjerry.a $(B)/libjerry.so $(B)/jerry.pc

$(B)/obj/%.o: %.c $(wildcard include/jerry/*.h src/*/*.h) | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/serve_assets.c: $(SERVE_ASSETS) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $(SERVE_ASSETS) > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/serve_assets.o: $(B)/gen/serve_assets.c src/serve/serve.h | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(B)/libjerry.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/libjerry.so.$(VERSION): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libjerry.so.$(SOVERSION) $(LDFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ $(DEP_LIBS)

$(B)/libjerry.so: $(B)/libjerry.so.$(VERSION)
	ln -sf libjerry.so.$(VERSION) $@
	ln -sf libjerry.so.$(VERSION) $(B)/libjerry.so.$(SOVERSION)

# The command links the static library: one self-contained binary.
# The command links jansson statically when Debian's libjansson.a is there:
# an agent starts jerry hundreds of times a session, and not loading and
# relocating one more shared library is ~10% of `jerry show`
# (doc/PERFORMANCE.md).  JANSSON_STATIC=0 links it dynamically.
JANSSON_STATIC ?= 1
JANSSON_A := $(if $(filter 1,$(JANSSON_STATIC)),$(wildcard $(shell $(CC) -print-file-name=libjansson.a 2>/dev/null)))
# libyaml (import of Backlog.md front matter) the same way.
YAML_A := $(if $(filter 1,$(JANSSON_STATIC)),$(wildcard $(shell $(CC) -print-file-name=libyaml.a 2>/dev/null)))
CLI_LIBS := $(if $(and $(JANSSON_A),$(YAML_A)),$(JANSSON_A) $(YAML_A),$(DEP_LIBS))

$(B)/jerry: $(CLI_OBJ) $(B)/obj/src/cli/serve_exec.o $(B)/libjerry.a
	$(CC) $(LDFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $(CLI_OBJ) $(B)/obj/src/cli/serve_exec.o \
	  $(B)/libjerry.a $(CLI_LIBS)

$(B)/jerry-serve: $(CLI_OBJ) $(SERVE_OBJ) $(B)/libjerry.a
	$(CC) $(LDFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -pthread -o $@ $(CLI_OBJ) $(SERVE_OBJ) $(B)/libjerry.a \
	  $(CLI_LIBS) $(MHD_LIBS)

# Made again at install time, so the installed file names the PREFIX given there.
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCDIR@|$(INCDIR)|g' \
	    -e 's|@VERSION@|$(VERSION)|g'
$(B)/jerry.pc: jerry.pc.in Makefile
	@mkdir -p $(dir $@)
	$(PC_SED) $< > $@

# ---- dependencies: installed from Debian when missing -----------------------
# One call checks everything the goals on the command line need, so one
# message names every missing package (make demo: the build and demo lists).
DEPS_LISTS := build $(if $(filter demo,$(MAKECMDGOALS)),demo) \
	$(if $(filter check unit asan fuzz memcheck browser,$(MAKECMDGOALS)),test) \
	$(if $(filter check validate validate-ci sensitivity sensitivity-ci,$(MAKECMDGOALS)),validate) \
	$(if $(filter bench bench-quick,$(MAKECMDGOALS)),bench)
deps-build:
	@sh scripts/deps.sh $(DEPS_LISTS)
deps-test:
	@sh scripts/deps.sh $(DEPS_LISTS) test

# ---- tests ------------------------------------------------------------------
$(B)/tests/%: tests/unit/%.c tests/unit/harness.h $(B)/libjerry.a | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(B)/libjerry.a $(DEP_LIBS) -lcmocka

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

system: all
	@sh tests/run-system.sh $(B)/jerry

stress: all
	@sh tests/run-stress.sh $(B)/jerry

# jerry mcp under the official MCP SDK (tests/mcp: its own package.json and
# lock, installed by npm ci when missing); `make system` runs them too.
mcp-test: all
	@sh tests/mcp/setup.sh
	@sh tests/run-system.sh $(B)/jerry tests/system/t026[0-9]-mcp-*.sh

# jerry serve in Debian's chromium, driven by playwright-core (tests/browser/).
browser: all
	@sh tests/browser/run.sh $(B)/jerry

# The sanitizer build lives in its own tree so it never mixes objects.
ASAN_MAKE = $(MAKE) --no-print-directory B=build/asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all"
asan: deps-test
	$(ASAN_MAKE) STRICT=1 all unit
	ASAN_OPTIONS=detect_leaks=1 $(ASAN_MAKE) system

fault:
	$(MAKE) B=build/fault EXTRA_CFLAGS="-DJERRY_FAULT_INJECTION" build/fault/jerry

memcheck: all
	@bash tests/memcheck.sh $(B)/jerry

# The seed's validation matrix (doc/adr/0004-validation.md): Gherkin
# scenarios HP-001 ... FS-003, crashes at every system call, power cuts on
# XFS, the fault loop, a kill -9 soak, hostile input and fuzzing.
# Last, the README's two commands on a fresh Debian 12 (tests/fresh-machine.sh).
validate: all
	@st=0; sh tests/validate.sh $(B)/jerry full || st=1; \
	sh tests/fresh-machine.sh || st=1; \
	exit $$st
validate-ci: all
	@sh tests/validate.sh $(B)/jerry ci
# libFuzzer on the command-line parser and the item codec, ASan+UBSan.
FUZZ_SECONDS ?= 300
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# Each deliberately broken build (no locks, in-place writes, no fsync) must
# fail the scenarios that exist to catch it.
sensitivity: sensitivity-ci
	@sh tests/stress/sensitivity.sh
sensitivity-ci: all
	@sh tests/validate.sh $(B)/jerry sensitivity

# make check: every suite runs even when an earlier one failed, and the last
# line is the total "check: N passed, N failed".
# The lines before it name the failed tests of each suite.  The builds run
# CHECK_JOBS compilers at once (CI has 2 cores) unless make was given -j.
COUNTS = build/test-counts
CHECK_JOBS ?= 2
JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(CHECK_JOBS))
check: deps-test
	@mkdir -p build && rm -f $(COUNTS) $(COUNTS).failed
	$(MAKE) --no-print-directory $(JOBS) STRICT=1 all
	@st=0; \
	bash tests/record.sh $(COUNTS) unit $(MAKE) --no-print-directory $(JOBS) STRICT=1 unit || st=1; \
	bash tests/record.sh $(COUNTS) system $(MAKE) --no-print-directory STRICT=1 system || st=1; \
	bash tests/record.sh $(COUNTS) stress $(MAKE) --no-print-directory STRICT=1 stress || st=1; \
	bash tests/record.sh $(COUNTS) browser $(MAKE) --no-print-directory STRICT=1 browser || st=1; \
	bash tests/record.sh $(COUNTS) validate-ci $(MAKE) --no-print-directory STRICT=1 validate-ci || st=1; \
	bash tests/record.sh $(COUNTS) fuzz $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20 || st=1; \
	bash tests/record.sh $(COUNTS) sensitivity-ci $(MAKE) --no-print-directory sensitivity-ci || st=1; \
	bash tests/record.sh $(COUNTS) memcheck $(MAKE) --no-print-directory memcheck || st=1; \
	$(ASAN_MAKE) $(JOBS) STRICT=1 all $(UNIT_BIN:$(B)/%=build/asan/%) || st=1; \
	bash tests/record.sh $(COUNTS) asan-unit $(ASAN_MAKE) unit || st=1; \
	bash tests/record.sh $(COUNTS) asan-system $(ASAN_MAKE) system || st=1; \
	sh tests/summary.sh $(COUNTS) || st=1; \
	exit $$st

demo: all
	@sh scripts/deps.sh demo
	@bash scripts/demo.sh $(B)/jerry

bench: all
	@sh bench/run.sh $(B)/jerry full
bench-quick: all
	@sh bench/run.sh $(B)/jerry quick

# ---- install ------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/jerry \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/bash-completion/completions \
	  $(DESTDIR)$(DATADIR)/zsh/vendor-completions $(DESTDIR)$(DATADIR)/jerry/skills/jerry
	install -m 755 $(B)/jerry $(DESTDIR)$(BINDIR)/jerry
	install -d $(DESTDIR)$(LIBEXECDIR)/jerry
	install -m 755 $(B)/jerry-serve $(DESTDIR)$(LIBEXECDIR)/jerry/jerry-serve
	install -m 644 $(B)/libjerry.a $(DESTDIR)$(LIBDIR)/libjerry.a
	install -m 755 $(B)/libjerry.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libjerry.so.$(VERSION)
	ln -sf libjerry.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libjerry.so.$(SOVERSION)
	ln -sf libjerry.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libjerry.so
	install -m 644 include/jerry/*.h $(DESTDIR)$(INCDIR)/jerry/
	$(PC_SED) jerry.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/jerry.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/jerry.pc
	install -m 644 doc/jerry.1 $(DESTDIR)$(MANDIR)/man1/jerry.1
	install -m 644 completions/jerry.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/jerry
	install -m 644 completions/_jerry $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_jerry
	if [ -f skills/jerry/SKILL.md ]; then install -m 644 skills/jerry/SKILL.md \
	  $(DESTDIR)$(DATADIR)/jerry/skills/jerry/SKILL.md; fi
	@$(LDCONFIG_NOTE)

# Into the real root, the dynamic linker's cache must learn of libjerry.so.0
# (or forget it) before a program linked with -ljerry can start: as root we
# run ldconfig, otherwise we say what to do.  A DESTDIR is a package's
# staging tree: its installer runs ldconfig.
LDCONFIG_NOTE = if [ -n "$(DESTDIR)" ]; then :; \
	elif [ "$$(id -u)" -eq 0 ]; then \
	  PATH="$$PATH:/usr/sbin:/sbin" ldconfig || exit 1; \
	  if [ -e $(LIBDIR)/libjerry.so.$(SOVERSION) ] && \
	    ! PATH="$$PATH:/usr/sbin:/sbin" ldconfig -p | grep -qF ' => $(LIBDIR)/libjerry.so.$(SOVERSION)'; then \
	    echo "install: note: $(LIBDIR) is not in the dynamic linker's search path;" \
	      "add it to /etc/ld.so.conf.d/ and run ldconfig, or set LD_LIBRARY_PATH=$(LIBDIR)"; fi; \
	else \
	  echo "install: note: run ldconfig as root, or set LD_LIBRARY_PATH=$(LIBDIR)," \
	    "so that programs linked with -ljerry find libjerry.so.$(SOVERSION)"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/jerry $(DESTDIR)$(LIBEXECDIR)/jerry/jerry-serve \
	  $(DESTDIR)$(LIBDIR)/libjerry.a \
	  $(DESTDIR)$(LIBDIR)/libjerry.so* \
	  $(patsubst include/%,$(DESTDIR)$(INCDIR)/%,$(wildcard include/jerry/*.h)) \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/jerry.pc $(DESTDIR)$(MANDIR)/man1/jerry.1 \
	  $(DESTDIR)$(DATADIR)/bash-completion/completions/jerry \
	  $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_jerry \
	  $(DESTDIR)$(DATADIR)/jerry/skills/jerry/SKILL.md
	@rmdir $(DESTDIR)$(LIBEXECDIR)/jerry 2>/dev/null || true
	@rmdir $(DESTDIR)$(INCDIR)/jerry 2>/dev/null || true
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then PATH="$$PATH:/usr/sbin:/sbin" ldconfig; fi

clean:
	rm -rf build
