# vfio-bind: claim PCI devices for vfio-pci from the initramfs.
#
#   make                 static musl binary build/vfio-bind (libkmod built from Debian's source)
#   make STATIC=0        dynamic binary against the system libkmod (distro packaging)
#   make check           every test: unit (also under ASan/UBSan), QEMU boots, packaging
#   make bench           boot-pass benchmark against the floor and the sh way
#   make fuzz            libFuzzer harnesses (tests/fuzz/), FUZZ_TIME seconds each (default 60)
#   make fuzz-campaign H=NAME RUNS=N   N executions of one harness, on record (fast build + ASan replay)
#   make demo            boot a VM and show the before/after table
#   make install DESTDIR= PREFIX=/usr

VERSION    := 0.1.0
PREFIX     ?= /usr
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
STATIC     ?= 1
B          := build

CFLAGS_STD := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-format-truncation \
	      -DVFIO_BIND_VERSION='"$(VERSION)"' -I$(B)/gen
SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
HDRS := $(wildcard src/*.h) $(B)/gen/help-text.h $(B)/gen/help-text-gz.h

ifeq ($(STATIC),1)
# Link-time optimisation over our code, libkmod and its decompressors (build-libkmod.sh and
# build-decompressors.sh compile them with -flto too), and src/static/: what only the static
# binary links (byte-wise fnmatch, getopt and getopt_long instead of musl's wide-character
# ones).
KMOD_PREFIX := $(B)/kmod
CC_BIN      := musl-gcc
CFLAGS_BIN  := $(CFLAGS_STD) -Oz -flto -ffunction-sections -fdata-sections \
	       -fno-asynchronous-unwind-tables -I$(KMOD_PREFIX)/include -DVB_HELP_GZ
# one LTO partition: the whole program is optimised as one unit (smaller, and no serial-
# compilation notes); input sections sorted by alignment, so less padding between them (92
# bytes, which kept the file within 63 pages after issues 15 and 16)
LDFLAGS_BIN := -flto-partition=one -fipa-pta -static -Wl,--gc-sections -Wl,-z,noseparate-code \
	       -Wl,--sort-section=alignment -Wl,--build-id=none -s
LIBS_BIN    := $(KMOD_PREFIX)/lib/libkmod.a
BIN_DEPS    := $(KMOD_PREFIX)/lib/libkmod.a
BIN_SRCS    := $(wildcard src/static/*.c)
else
# the distribution's CPPFLAGS, CFLAGS and LDFLAGS (dpkg-buildflags, %set_build_flags) apply
CC_BIN      := $(CC)
CFLAGS_BIN  := $(CFLAGS_STD) -O2 $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags libkmod)
LDFLAGS_BIN := $(LDFLAGS)
LIBS_BIN    := $(shell pkg-config --libs libkmod)
BIN_DEPS    :=
BIN_SRCS    :=
endif
BIN_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(SRCS) src/main.c $(BIN_SRCS))

# Test builds: glibc, system libkmod, with and without sanitizers.
CFLAGS_TEST := $(CFLAGS_STD) -O1 -g $(shell pkg-config --cflags libkmod 2>/dev/null)
LIBS_TEST   := $(shell pkg-config --libs libkmod 2>/dev/null)
SAN         := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps check unit-check boot-check pkg-check fuzz fuzz-check fuzz-campaign bench demo install uninstall dist \
	clean

all: $(B)/vfio-bind

# rebuild when the flavour (STATIC=0/1) changes
$(B)/flavour: FORCE | $(B)
	@echo '$(CC_BIN) $(CFLAGS_BIN) $(LDFLAGS_BIN)' | cmp -s - $@ || \
		echo '$(CC_BIN) $(CFLAGS_BIN) $(LDFLAGS_BIN)' > $@
FORCE:

# -Werror holds where our sources compile; the link step (which, with -flto, also compiles
# libkmod and the decompressors) reports their warnings without failing on them.
$(B)/obj/%.o: src/%.c $(HDRS) $(B)/flavour | $(BIN_DEPS)
	@mkdir -p $(dir $@)
	$(CC_BIN) $(CFLAGS_BIN) -c -o $@ $<
$(B)/vfio-bind: $(BIN_OBJS) $(BIN_DEPS) $(B)/flavour | $(B)
	$(CC_BIN) $(filter-out -Werror,$(CFLAGS_BIN)) -o $@ $(BIN_OBJS) $(LDFLAGS_BIN) $(LIBS_BIN)

# the script rebuilds only when its stamp says the configuration changed
$(KMOD_PREFIX)/lib/libkmod.a: scripts/build-libkmod.sh scripts/build-decompressors.sh scripts/apt-source.sh
	scripts/build-libkmod.sh $(KMOD_PREFIX)

$(B):
	mkdir -p $(B)

# The simulator binary: the real program with tests/unit/sim-kernel.c standing in for
# the kernel (sysfs write semantics, module loading), so tests run without root.
# The program's own reads pass through the simulator's fault injection (VB_SIM_FAIL=read:N:...).
# It matches with the static binary's fnmatch (src/static/fnmatch.c), libkmod's lookups too.
SIM_SRCS := $(SRCS) src/static/fnmatch.c tests/unit/sim-kernel.c tests/unit/sim-main.c
SIM_WRAP := -Wl,--wrap=openat -Wl,--wrap=readlinkat
$(B)/vfio-bind-sim: $(SIM_SRCS) $(HDRS) tests/unit/sim-kernel.h tests/unit/kernel-model.h | $(B)
	$(CC) $(CFLAGS_TEST) -Isrc -o $@ $(SIM_SRCS) $(SIM_WRAP) $(LIBS_TEST)
$(B)/vfio-bind-sim-san: $(SIM_SRCS) $(HDRS) tests/unit/sim-kernel.h tests/unit/kernel-model.h | $(B)
	$(CC) $(CFLAGS_TEST) $(SAN) -Isrc -o $@ $(SIM_SRCS) $(SIM_WRAP) $(LIBS_TEST)
$(B)/test-cmdline: $(SRCS) $(HDRS) tests/unit/test-cmdline.c | $(B)
	$(CC) $(CFLAGS_TEST) -Isrc -o $@ tests/unit/test-cmdline.c $(SRCS) $(LIBS_TEST)
$(B)/test-cmdline-san: $(SRCS) $(HDRS) tests/unit/test-cmdline.c | $(B)
	$(CC) $(CFLAGS_TEST) $(SAN) -Isrc -o $@ tests/unit/test-cmdline.c $(SRCS) $(LIBS_TEST)

$(B)/test-grubcfg: $(SRCS) $(HDRS) tests/unit/test-grubcfg.c | $(B)
	$(CC) $(CFLAGS_TEST) $(SAN) -Isrc -o $@ tests/unit/test-grubcfg.c $(SRCS) $(LIBS_TEST)

$(B)/test-modload: $(SRCS) $(HDRS) tests/unit/test-modload.c | $(B)
	$(CC) $(CFLAGS_TEST) $(SAN) -Isrc -o $@ tests/unit/test-modload.c $(SRCS) $(LIBS_TEST)
$(B)/test-modfile: $(SRCS) $(HDRS) tests/unit/test-modfile.c | $(B)
	$(CC) $(CFLAGS_TEST) $(SAN) -Isrc -o $@ tests/unit/test-modfile.c $(SRCS) $(LIBS_TEST)

# The product's libkmod (musl, static, with its decompressors) on compressed modules, with the
# kernel's module calls intercepted at link time: nothing reaches the running kernel.
# libkmod.a holds LTO objects: this link compiles them, and their warnings must not fail it
# (our sources are held to -Werror by every other build).
$(B)/test-modinsert: $(SRCS) $(HDRS) tests/unit/test-modinsert.c $(wildcard src/static/*.c) \
		build/kmod/lib/libkmod.a | $(B)
	musl-gcc $(filter-out -Werror,$(CFLAGS_STD)) -O1 -Isrc -Ibuild/kmod/include -static -o $@ \
		tests/unit/test-modinsert.c $(SRCS) $(wildcard src/static/*.c) -Wl,--gc-sections \
		-Wl,--wrap=init_module -Wl,--wrap=syscall build/kmod/lib/libkmod.a

# src/static/*.c against the musl functions they replace in the static binary.
$(B)/test-fnmatch: tests/unit/test-fnmatch.c src/static/fnmatch.c | $(B)
	musl-gcc $(CFLAGS_STD) -O1 -static -o $@ tests/unit/test-fnmatch.c
$(B)/test-getopt: tests/unit/test-getopt.c src/static/getopt.c | $(B)
	musl-gcc $(CFLAGS_STD) -O1 -static -o $@ tests/unit/test-getopt.c
$(B)/test-libc: tests/unit/test-libc.c $(filter-out %/fnmatch.c %/getopt.c,$(wildcard src/static/*.c)) | $(B)
	musl-gcc $(CFLAGS_STD) -O1 -static -o $@ tests/unit/test-libc.c

# libFuzzer harnesses, one per parser of outside input (tests/fuzz/fuzz-NAME.c): a new
# harness is one more word here.
FUZZ_HARNESSES := cmdline selector uevent resource config sriov hotplug remove modconf \
		  grubcfg bls initramfs vmconf
FUZZ_TIME      ?= 60
FUZZ_SMOKE     ?= 10
FUZZ_CC        ?= clang
FUZZ_FLAGS     := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		  -Wno-unknown-warning-option
FUZZ_BINS      := $(FUZZ_HARNESSES:%=$(B)/fuzz/fuzz-%)
$(B)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h tests/fuzz/noexec.h $(SRCS) $(HDRS)
	@mkdir -p $(B)/fuzz
	$(FUZZ_CC) $(CFLAGS_STD) $(FUZZ_FLAGS) -Isrc -o $@ $< $(SRCS) $(LIBS_TEST)

# the kernel model the simulator uses too
$(B)/fuzz/fuzz-modconf $(B)/fuzz/fast/fuzz-modconf: tests/unit/kernel-model.h

# Campaigns (10^7 executions and more, tests/fuzz/campaign.sh): the same harnesses without the
# sanitizers and without comparison tracing, -O2: 2.4 (modconf) to 6.4 (grubcfg) times the
# executions per CPU-second. libFuzzer's 1- and 2-byte comparison hooks only feed its value
# profile, which it reads with -use_value_profile=1 alone; the 4- and 8-byte ones feed its CMP
# mutations: a campaign can start from make fuzz's corpus (copied to build/fuzz/campaign/NAME),
# and strcmp/memcmp still feed its dictionary. The sanitizers' half is in campaign.sh: every
# input the campaign kept is executed again under ASan and UBSan, and RUNS/50 more.
FUZZ_FAST_FLAGS := -g -O2 -fsanitize=fuzzer -fno-sanitize-coverage=trace-cmp \
		   -ffunction-sections -Wl,--gc-sections -Wno-unknown-warning-option
$(B)/fuzz/fast/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h tests/fuzz/noexec.h $(SRCS) $(HDRS)
	@mkdir -p $(B)/fuzz/fast
	$(FUZZ_CC) $(CFLAGS_STD) $(FUZZ_FAST_FLAGS) -Isrc -o $@ $< $(SRCS) $(LIBS_TEST)

fuzz: $(FUZZ_BINS)
	tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_HARNESSES)

# one campaign on record: make fuzz-campaign H=remove RUNS=10000000 (log in build/fuzz/campaigns)
fuzz-campaign: $(B)/fuzz/fast/fuzz-$(H) $(B)/fuzz/fuzz-$(H)
	tests/fuzz/campaign.sh $(H) $(RUNS)

# make check: each harness briefly, as a smoke test (results in build/results/fuzz.txt)
fuzz-check: $(FUZZ_BINS)
	tests/fuzz/run.sh --smoke $(FUZZ_SMOKE) $(FUZZ_HARNESSES)

deps:
	scripts/install-deps.sh

# Each suite records PASS/FAIL lines in build/results/SUITE.txt and its wall time in
# SUITE.time (tests/timed.sh); the summary adds them up, prints each suite's time and the total,
# and the closing "N passed, N failed" line.
check: deps
	@rm -rf $(B)/results; mkdir -p $(B)/results
	-tests/timed.sh $(B)/results unit $(MAKE) unit-check
	-tests/timed.sh $(B)/results fuzz $(MAKE) fuzz-check
	-tests/timed.sh $(B)/results qemu-boot $(MAKE) boot-check
	-tests/timed.sh $(B)/results packaging $(MAKE) pkg-check
	@tests/summary.sh $(B)/results

UNIT_BINS := $(B)/vfio-bind $(B)/vfio-bind-sim $(B)/vfio-bind-sim-san \
	     $(B)/test-cmdline $(B)/test-cmdline-san $(B)/test-modload $(B)/test-modfile \
	     $(B)/test-grubcfg
ifeq ($(STATIC),1)
UNIT_BINS += $(B)/test-modinsert $(B)/test-fnmatch $(B)/test-getopt $(B)/test-libc
endif
unit-check: $(UNIT_BINS)
	tests/unit/run.sh $(B)

boot-check: $(B)/vfio-bind
	tests/qemu-boot/run.sh

pkg-check:
	@if [ -x tests/packaging/run.sh ]; then tests/packaging/run.sh; fi

bench: deps $(B)/vfio-bind
	tests/bench/run.sh

demo: deps $(B)/vfio-bind
	tests/qemu-boot/demo.sh

install: $(B)/vfio-bind
	scripts/install.sh "$(DESTDIR)" "$(PREFIX)" "$(SBINDIR)" "$(MANDIR)" $(B)/vfio-bind

# removes exactly what install puts (same DESTDIR, PREFIX, SBINDIR, MANDIR); builds nothing
uninstall:
	scripts/install.sh --uninstall "$(DESTDIR)" "$(PREFIX)" "$(SBINDIR)" "$(MANDIR)" $(B)/vfio-bind

# --help is generated from the man page (src/help.c includes it), so the two cannot drift.
$(B)/gen/help-text.h: man/vfio-bind.8 man/gen-help.awk
	mkdir -p $(B)/gen
	awk -f man/gen-help.awk man/vfio-bind.8 >$@.tmp && mv $@.tmp $@

# The static binary's copy, gzip-compressed (src/help.c inflates it with zlib).
$(B)/gen/help-text-gz.h: man/vfio-bind.8 man/gen-help.awk
	mkdir -p $(B)/gen
	awk -v mode=text -f man/gen-help.awk man/vfio-bind.8 >$@.txt
	{ echo '/* Generated from man/vfio-bind.8 by man/gen-help.awk and gzip -9n. */'; \
	  echo "#define VB_HELP_LEN $$(wc -c <$@.txt)"; \
	  echo 'static const unsigned char vb_help_gz[] = {'; \
	  gzip -9n <$@.txt | od -An -v -tu1 | \
		awk '{ for (i = 1; i <= NF; i++) printf "%s,", $$i; print "" }'; \
	  echo '};'; } >$@.tmp && mv $@.tmp $@ && rm -f $@.txt

# build/vfio-bind-VERSION.tar.gz: the tracked files as they are in the work tree
# (git stash create records uncommitted changes without touching anything).
dist: | $(B)
	tree=$$(git -c user.name=dist -c user.email=dist@localhost stash create) && \
	git archive --format=tar.gz --prefix=vfio-bind-$(VERSION)/ \
		-o $(B)/vfio-bind-$(VERSION).tar.gz $${tree:-HEAD}

clean:
	rm -rf $(B)
