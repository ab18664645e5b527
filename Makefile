# SPDX-License-Identifier: GPL-2.0
#
# nstree: `make` builds kmod/nstree.ko against KDIR and user/nstree.
# `make demo` is the main job, `make check` runs every test; see README.md.

VERSION := 0.1.0

BUILD := build
SRCDIR := $(BUILD)/linux-source
KSELFTEST := $(SRCDIR)/tools/testing/selftests

# The running kernel's build tree when it exists, else the 6.12 headers
# in the kernel cache (tools/kernels.sh).
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(shell tools/kernels.sh kdir 6.12 2>/dev/null))

CC ?= cc
PKG_CONFIG ?= pkg-config
LIBS_PC := libnl-genl-3.0 smartcols
WFLAGS := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
USER_CFLAGS = $(CFLAGS) $(WFLAGS) -std=gnu11 -D_GNU_SOURCE \
	-DNSTREE_VERSION='"$(VERSION)"' -Ikmod/uapi -Iuser \
	$(shell $(PKG_CONFIG) --cflags $(LIBS_PC))
USER_LIBS = $(shell $(PKG_CONFIG) --libs $(LIBS_PC))

# Everything but the commands themselves: the selftests and the host unit
# tests link it too.
USER_LIB_SRCS := user/nl.c user/nl_dump.c user/nl_event.c user/util.c \
	user/columns.c user/cmds.c user/table.c user/dot.c user/idcache.c \
	user/opts.c
USER_HDRS := $(wildcard user/*.h) kmod/uapi/linux/nstree.h

SELFTESTS := $(patsubst %.c,%,$(wildcard selftests/*_test.c))
BENCHES := $(patsubst %.c,%,$(wildcard selftests/*_bench.c))
SELFTEST_HDRS := $(wildcard selftests/*.h) $(USER_HDRS)
# The harness is not -Wextra clean: include it as a system header.
SELFTEST_CFLAGS = $(USER_CFLAGS) -isystem $(KSELFTEST) -Iselftests -pthread
UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(wildcard user/tests/*_test.c))

KMOD_SRCS := $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h)) \
	kmod/uapi/linux/nstree.h Kbuild kmod/Kbuild

.PHONY: all module user completion selftests unit check bench demo \
	vm-shell sparse checkpatch deps clean help

all: module user completion

help:
	@echo "make [all]        build kmod/nstree.ko (KDIR=$(KDIR)), user/nstree and"
	@echo "                  its bash completion, build/nstree.bash"
	@echo "make demo         install what is missing, boot the 6.12 guest, show nstree"
	@echo "make check        build for every kernel line (6.1, 6.12, 6.12-rt,"
	@echo "                  6.12-debug) and run every test on each"
	@echo "make bench        figures: reading 1,000 to 50,000 processes (LINE=6.1|6.12|6.12-rt|6.12-debug)"
	@echo "make vm-shell     a shell in the guest (LINE=6.1|6.12|6.12-rt|6.12-debug), module loaded"
	@echo "make sparse       build the module with sparse (C=1)"
	@echo "make checkpatch   checkpatch.pl --strict on the kernel sources"

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) NSTREE_VERSION=$(VERSION) modules

user: user/nstree

# Bash completion, generated from the binary's --help and --list-columns.
completion: $(BUILD)/nstree.bash

$(BUILD)/nstree.bash: user/nstree tools/gen-completion.sh
	@mkdir -p $(dir $@)
	tools/gen-completion.sh user/nstree >$@.tmp
	mv $@.tmp $@

USER_CMD_SRCS := user/nstree.c user/run.c user/ps.c user/ns.c user/watch.c

user/nstree: $(USER_CMD_SRCS) $(USER_LIB_SRCS) $(USER_HDRS)
	$(CC) $(USER_CFLAGS) -o $@ $(USER_CMD_SRCS) $(USER_LIB_SRCS) $(USER_LIBS)

$(KSELFTEST)/kselftest_harness.h:
	tools/linux-source.sh $(SRCDIR)

selftests: $(SELFTESTS) $(BENCHES)

selftests/%_bench: selftests/%_bench.c $(USER_HDRS) $(USER_LIB_SRCS)
	$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LIB_SRCS) $(USER_LIBS)

SELFTEST_LIB := selftests/lib.c selftests/procfs.c selftests/json.c

selftests/%_test: selftests/%_test.c $(SELFTEST_LIB) $(SELFTEST_HDRS) \
		$(USER_LIB_SRCS) $(KSELFTEST)/kselftest_harness.h
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_LIB) $(USER_LIB_SRCS) \
		$(USER_LIBS)

# The netlink fuzzer's tables, from the YNL spec and the uapi header.
$(BUILD)/fuzz_spec.h: tools/fuzz-gen.py Documentation/netlink/specs/nstree.yaml \
		kmod/uapi/linux/nstree.h
	@mkdir -p $(dir $@)
	/usr/bin/python3.11 tools/fuzz-gen.py >$@.tmp
	mv $@.tmp $@

selftests/fuzz_test: $(BUILD)/fuzz_spec.h
selftests/fuzz_test: SELFTEST_CFLAGS += -I$(BUILD)

# The host tests check JSON with the selftests' reader, run commands with
# their nst_cmd(), and read the binary's --help with user/tests/help.c.
UNIT_LIB := selftests/json.c selftests/lib.c user/tests/help.c

$(BUILD)/user/tests/%_test: user/tests/%_test.c $(USER_LIB_SRCS) $(UNIT_LIB) \
		$(USER_HDRS) selftests/json.h selftests/lib.h user/tests/help.h \
		$(KSELFTEST)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(USER_LIB_SRCS) $(UNIT_LIB) \
		$(USER_LIBS)

# Some check the built binary, its completion and its man page.
unit: $(UNIT_TESTS) user/nstree $(BUILD)/nstree.bash
	@rc=0; for t in $(UNIT_TESTS); do \
		NSTREE_BIN=user/nstree NSTREE_COMPLETION=$(BUILD)/nstree.bash \
		NSTREE_MAN=user/nstree.8 $$t || rc=1; done; exit $$rc

check:
	tools/check.sh

bench: deps
	tools/vm.sh $(or $(LINE),6.12) bench

demo: deps
	$(MAKE) all selftests
	tools/vm.sh 6.12 demo

vm-shell: all selftests
	tools/vm.sh $(or $(LINE),6.12) shell

deps:
	tools/install-deps.sh

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) NSTREE_VERSION=$(VERSION) C=2 modules

checkpatch: $(KSELFTEST)/kselftest_harness.h
	$(SRCDIR)/scripts/checkpatch.pl --no-tree --strict -f \
		$(filter %.c %.h,$(KMOD_SRCS))

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD) user/nstree $(SELFTESTS) $(BENCHES)
