# SPDX-License-Identifier: GPL-2.0
#
# nstree: `make` builds kmod/nstree.ko against KDIR and user/nstree.
# `make demo` is the main job, `make check` runs every test; see README.md.

VERSION := 0.1.0

BUILD := build
SRCDIR := $(BUILD)/linux-source
KSELFTEST := $(SRCDIR)/tools/testing/selftests

# The running kernel's build tree (Debian: linux-headers-$(uname -r)).
# The guests' header trees: KDIR=$(tools/kernels.sh kdir LINE).
KDIR ?= /lib/modules/$(shell uname -r)/build
HAVE_KDIR := $(wildcard $(KDIR)/Makefile)
# The release the module is built for, and installed under: the kernel's
# UTS_RELEASE (Debian's 6.1 headers have 6.1.192 in kernel.release, for
# 6.1.0-57-amd64), passed on to kbuild's modules_install.
KRELEASE = $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(shell cat \
	$(KDIR)/include/config/kernel.release 2>/dev/null),$(shell uname -r))
NO_KDIR_MSG = nstree: no kernel headers in KDIR=$(KDIR): install \
	linux-headers-$(shell uname -r) (or set KDIR) to build the module

# make install: DESTDIR and PREFIX as usual; the module goes through
# kbuild's modules_install into $(DESTDIR)/lib/modules/RELEASE/updates.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install
DEPMOD ?= depmod

CC ?= cc
PKG_CONFIG ?= pkg-config
LIBS_PC := libnl-genl-3.0 smartcols
# -Werror for developers and make check (WERROR=1), not for packagers:
# user/nstree takes WERROR, the tests (never packaged) always have it.
WERROR ?= 0
WFLAGS = -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
CFLAGS ?= -O2 -g
USER_CFLAGS = $(WFLAGS) -std=gnu11 -D_GNU_SOURCE \
	-DNSTREE_VERSION='"$(VERSION)"' -Ikmod/uapi -Iuser \
	$(shell $(PKG_CONFIG) --cflags $(LIBS_PC)) $(CPPFLAGS) $(CFLAGS)
TEST_CFLAGS = $(USER_CFLAGS) -Werror
USER_LIBS = $(shell $(PKG_CONFIG) --libs $(LIBS_PC))

# Everything but the commands themselves: the selftests and the host unit
# tests link it too.
USER_LIB_SRCS := user/nl.c user/nl_dump.c user/nl_event.c user/util.c \
	user/columns.c user/cmds.c user/table.c user/dot.c user/idcache.c \
	user/opts.c user/record.c user/nl_policy.c user/keyidx.c \
	user/plain.c
USER_HDRS := $(wildcard user/*.h) kmod/uapi/linux/nstree.h

SELFTESTS := $(patsubst %.c,%,$(wildcard selftests/*_test.c))
BENCHES := $(patsubst %.c,%,$(wildcard selftests/*_bench.c))
SELFTEST_HDRS := $(wildcard selftests/*.h) $(USER_HDRS)
# The harness is not -Wextra clean: include it as a system header.
SELFTEST_CFLAGS = $(TEST_CFLAGS) -isystem $(KSELFTEST) -Iselftests -pthread
UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(wildcard user/tests/*_test.c))

# The coursework labs' programs (Documentation/labs/): small C programs
# for the guest, built beside the selftests, put on the guest's PATH by
# tools/mkinitramfs.sh with the lab runner, user/labs/nstree-lab.
LAB_PROGS := $(patsubst user/labs/%.c,$(BUILD)/labs/%,\
	$(filter-out user/labs/lab.c,$(wildcard user/labs/*.c)))

KMOD_SRCS := $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h)) \
	kmod/uapi/linux/nstree.h Kbuild kmod/Kbuild

.PHONY: all module user completion selftests labs lab-outputs docs test-docs \
	unit check bench demo vm-shell lab-shell sparse checkpatch deps clean \
	distclean help \
	install install-user install-module uninstall no-kdir dkms-source \
	dkms-install dkms-uninstall

# Without headers for the module, say so in one line and build the CLI.
ifneq ($(HAVE_KDIR),)
all: module user completion
else
all: no-kdir user completion
endif

no-kdir:
	@echo "$(NO_KDIR_MSG)" >&2

help:
	@echo "make [all]        build kmod/nstree.ko (KDIR=$(KDIR)), user/nstree and"
	@echo "                  its bash completion, build/nstree.bash"
	@echo "make user         only user/nstree (no kernel headers needed)"
	@echo "make install      install the CLI, man page and completion under PREFIX"
	@echo "                  ($(PREFIX)) and the module under"
	@echo "                  /lib/modules/$(KRELEASE)/updates, then depmod (DESTDIR too)"
	@echo "make uninstall    remove what make install put there"
	@echo "make dkms-install the module's sources to $(DKMS_SRC), registered"
	@echo "                  with DKMS, built and installed for every kernel with"
	@echo "                  headers, and again at each kernel update"
	@echo "make dkms-uninstall  remove it from DKMS and $(DKMS_SRC)"
	@echo "make demo         install what is missing, boot the 6.12 guest, show nstree"
	@echo "make check        build for every line (6.1, 6.12, 6.12-rt, 6.12-debug) and run"
	@echo "                  every test on each (the debug line: those of the module's"
	@echo "                  own code; NSTREE_LINES picks lines)"
	@echo "make bench        figures under -icount: events, reading 1,000 to 50,000 processes;"
	@echo "                  Documentation/benchmarks.rst (LINE=6.1|6.12|6.12-rt; default both 6.12 and 6.1)"
	@echo "make lab-outputs  regenerate the labs' outputs (Documentation/labs/output) in"
	@echo "                  real guests (LAB_LINES=\"$(LAB_LINES)\")"
	@echo "make docs         the book: the labs, their pictures and the design, as"
	@echo "                  HTML in $(BUILD)/docs (Sphinx, Graphviz)"
	@echo "make test-docs    make docs, then the book in headless chromium: pages,"
	@echo "                  pictures, links"
	@echo "make vm-shell     a shell in the guest (LINE=6.1|6.12|6.12-rt|6.12-debug), module loaded"
	@echo "make lab-shell    the same, with a banner naming the labs (Documentation/labs/)"
	@echo "make sparse       build the module with sparse (C=2)"
	@echo "make checkpatch   checkpatch.pl --strict on the kernel sources"
	@echo "make clean        what make builds"
	@echo "make distclean    everything make and make check made, and the kernel cache"

module:
ifeq ($(HAVE_KDIR),)
	@echo "$(NO_KDIR_MSG)" >&2; exit 1
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) NSTREE_VERSION=$(VERSION) modules

user: user/nstree

# Bash completion, generated from the binary's --help and --list-columns.
completion: $(BUILD)/nstree.bash

$(BUILD)/nstree.bash: user/nstree tools/gen-completion.sh
	@mkdir -p $(dir $@)
	tools/gen-completion.sh user/nstree >$@.tmp
	mv $@.tmp $@

USER_CMD_SRCS := user/nstree.c user/run.c user/ps.c user/ns.c user/watch.c \
	user/why.c user/zombies.c

user/nstree: $(USER_CMD_SRCS) $(USER_LIB_SRCS) $(USER_HDRS)
	$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ $(USER_CMD_SRCS) $(USER_LIB_SRCS) \
		$(USER_LIBS)

$(KSELFTEST)/kselftest_harness.h:
	tools/linux-source.sh $(SRCDIR)

selftests: $(SELFTESTS) $(BENCHES) $(BUILD)/exec_loop labs

# events_hostile_test's exec loop: static, no libc, a page or two to exec.
$(BUILD)/exec_loop: selftests/exec_loop.c
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -O2 -static -nostdlib -fno-stack-protector \
		-fno-pie -no-pie -o $@ $<

labs: $(LAB_PROGS)

# Static: a lab execs lab-wait before every step, and in an emulated guest
# an exec is quicker without the dynamic loader's work.
$(BUILD)/labs/%: user/labs/%.c user/labs/lab.c user/labs/lab.h
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -static -o $@ $< user/labs/lab.c

# The labs' committed outputs, regenerated from real guest runs:
# Documentation/labs/output/LAB.LINE.txt for each line of LAB_LINES.
LAB_LINES ?= 6.12 6.1
lab-outputs:
	tools/lab-outputs.sh $(LAB_LINES)

# The book: Documentation/ (Documentation/conf.py) into build/docs/ with
# Sphinx, -W: a warning fails it. First, each lab's committed picture must
# be the graph its committed transcript holds (tools/lab-dot.sh --check);
# Sphinx's graphviz extension draws it with dot -Tsvg. Built afresh each
# time (-E, and the old build removed): an incremental build would not
# repeat the warnings of pages it does not read again.
SPHINXBUILD ?= sphinx-build
docs:
	tools/lab-dot.sh --check Documentation/labs/output
	rm -rf $(BUILD)/docs $(BUILD)/doctrees
	$(SPHINXBUILD) -W --keep-going -E -q -b html -d $(BUILD)/doctrees \
		Documentation $(BUILD)/docs
	@echo "docs: $(BUILD)/docs/index.html"

# The book built afresh, then tested in headless chromium
# (tools/test-docs.sh), then the same test on a copy broken on purpose,
# which must fail. After docs, also under make -j.
test-docs: docs
	tools/test-docs.sh $(BUILD)/docs
	tools/test-docs.sh --broken $(BUILD)/docs

SELFTEST_LIB := selftests/lib.c selftests/procfs.c selftests/json.c

# The benchmarks read /proc with the selftests' procfs.c (and its lib.c).
BENCH_LIB := selftests/lib.c selftests/procfs.c

selftests/%_bench: selftests/%_bench.c $(BENCH_LIB) $(SELFTEST_HDRS) \
		$(USER_LIB_SRCS)
	$(CC) $(TEST_CFLAGS) -Iselftests $(LDFLAGS) -o $@ $< $(BENCH_LIB) \
		$(USER_LIB_SRCS) $(USER_LIBS)

selftests/%_test: selftests/%_test.c $(SELFTEST_LIB) $(SELFTEST_HDRS) \
		$(USER_LIB_SRCS) $(KSELFTEST)/kselftest_harness.h
	$(CC) $(SELFTEST_CFLAGS) $(LDFLAGS) -o $@ $< $(SELFTEST_LIB) $(USER_LIB_SRCS) \
		$(USER_LIBS)

# The netlink fuzzer's tables, from the YNL spec and the uapi header.
$(BUILD)/fuzz_spec.h: tools/fuzz-gen.py Documentation/netlink/specs/nstree.yaml \
		kmod/uapi/linux/nstree.h
	@mkdir -p $(dir $@)
	/usr/bin/python3 tools/fuzz-gen.py >$@.tmp
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
	$(CC) $(SELFTEST_CFLAGS) $(LDFLAGS) -o $@ $< $(USER_LIB_SRCS) $(UNIT_LIB) \
		$(USER_LIBS)

# Some check the built binary, its completion and its man page;
# tools/check-timeouts.py, that the selftests' timeouts fit inside the
# guest's.
unit: $(UNIT_TESTS) user/nstree $(BUILD)/nstree.bash
	@rc=0; for t in $(UNIT_TESTS); do \
		NSTREE_BIN=user/nstree NSTREE_COMPLETION=$(BUILD)/nstree.bash \
		NSTREE_MAN=user/nstree.8 $$t || rc=1; done; \
	tools/check-timeouts.py || rc=1; \
	tools/test-install.sh || rc=1; tools/test-dkms.sh || rc=1; exit $$rc

# make check builds user/nstree with -Werror too (tools/check.sh's makes).
check: export WERROR = 1
check:
	tools/check.sh

install: install-user install-module

install-user: user/nstree $(BUILD)/nstree.bash
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 user/nstree $(DESTDIR)$(BINDIR)/nstree
	$(INSTALL) -m 644 user/nstree.8 $(DESTDIR)$(MANDIR)/man8/nstree.8
	$(INSTALL) -m 644 $(BUILD)/nstree.bash $(DESTDIR)$(BASHCOMPDIR)/nstree

# depmod -b for a DESTDIR (a package's postinst runs it on the target
# anyway; DEPMOD=: leaves it out), plain depmod for the running system.
DEPMOD_SH = PATH=$$PATH:/sbin:/usr/sbin; \
	if ! command -v $(DEPMOD) >/dev/null; then \
		echo "nstree: no $(DEPMOD) (kmod): run 'depmod $(KRELEASE)' as root on the target" >&2; \
	elif [ -n "$(DESTDIR)" ]; then \
		echo "  DEPMOD  -b $(DESTDIR) $(KRELEASE)"; \
		$(DEPMOD) -b $(DESTDIR) $(KRELEASE) || \
		echo "nstree: depmod -b $(DESTDIR) failed: run 'depmod $(KRELEASE)' as root on the target" >&2; \
	else \
		echo "  DEPMOD  $(KRELEASE)"; \
		$(DEPMOD) -a $(KRELEASE); \
	fi

# kbuild signs the module when KDIR has the kernel's signing key (a kernel
# built here); distribution header trees have none: no failed SIGN then.
install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) NSTREE_VERSION=$(VERSION) \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
		KERNELRELEASE=$(KRELEASE) \
		$(if $(wildcard $(KDIR)/certs/signing_key.x509),,CONFIG_MODULE_SIG_ALL=) \
		modules_install
	@$(DEPMOD_SH)

# The module of KRELEASE (KDIR's, else the running kernel's); kbuild keeps
# the kmod/ of the source tree under updates/.
MODDIR = $(DESTDIR)/lib/modules/$(KRELEASE)/updates/kmod
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nstree $(DESTDIR)$(MANDIR)/man8/nstree.8 \
		$(DESTDIR)$(BASHCOMPDIR)/nstree
	rm -f $(MODDIR)/nstree.ko $(MODDIR)/nstree.ko.gz $(MODDIR)/nstree.ko.xz \
		$(MODDIR)/nstree.ko.zst
	-rmdir $(MODDIR) 2>/dev/null
	@if [ -d $(DESTDIR)/lib/modules/$(KRELEASE) ]; then $(DEPMOD_SH); fi

# DKMS: the module's sources and tools/dkms.conf as DKMS reads them, in
# $(DESTDIR)$(DKMS_SRC) (what a package would ship); dkms-install adds
# them and builds and installs the module for each of DKMS_KERNELS (every
# kernel with headers under /lib/modules), DKMS's hook does it again for
# each new kernel. DKMS="dkms --dkmstree ..." points DKMS elsewhere.
DKMS ?= dkms
DKMS_SRC ?= /usr/src/nstree-$(VERSION)
DKMS_KERNELS ?= $(patsubst /lib/modules/%/build/Makefile,%,$(wildcard \
	/lib/modules/*/build/Makefile))
DKMS_SRCS := Kbuild kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c \
	kmod/*.h)) kmod/uapi/linux/nstree.h

dkms-source:
	$(INSTALL) -d $(DESTDIR)$(DKMS_SRC)/kmod/uapi/linux
	for f in $(DKMS_SRCS); do \
		$(INSTALL) -m 644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit 1; done
	sed 's/@VERSION@/$(VERSION)/' tools/dkms.conf \
		>$(DESTDIR)$(DKMS_SRC)/dkms.conf

dkms-install: dkms-source
	@[ -n "$(DKMS_KERNELS)" ] || { echo "nstree: no kernel headers under" \
		"/lib/modules: install linux-headers-$$(uname -r)" >&2; exit 1; }
	$(DKMS) status nstree/$(VERSION) | grep -q . || \
		$(DKMS) add nstree/$(VERSION)
	for k in $(DKMS_KERNELS); do \
		$(DKMS) install nstree/$(VERSION) -k $$k || exit 1; done

dkms-uninstall:
	if $(DKMS) status nstree/$(VERSION) | grep -q .; then \
		$(DKMS) remove nstree/$(VERSION) --all; fi
	rm -rf $(DESTDIR)$(DKMS_SRC)

# vm.sh runs make itself: '+' hands it the jobserver of a make -jN (without
# it, kbuild warns "jobserver unavailable" and build-module.sh, which fails
# on any warning, fails).
# make bench: the figures on each line (LINE=... for one), under -icount,
# then one table, the goals' verdicts, Documentation/benchmarks.rst and
# its plots (tools/bench-report.py; gnuplot for the plots). A line whose
# guest fails stops it; NSTREE_PROFILE=1 adds perf profiles.
BENCH_LINES ?= 6.12 6.1
bench: deps
	+for l in $(or $(LINE),$(BENCH_LINES)); do tools/vm.sh $$l bench || exit 1; done
	tools/bench-report.py $(or $(LINE),$(BENCH_LINES))

demo: deps
	$(MAKE) all selftests
	+tools/vm.sh 6.12 demo

vm-shell: all selftests
	+tools/vm.sh $(or $(LINE),6.12) shell

# The same guest, with a banner naming the labs and how to run one.
lab-shell: all selftests
	+NSTREE_VM_APPEND="nstree.labs=1 $$NSTREE_VM_APPEND" tools/vm.sh $(or $(LINE),6.12) shell

deps:
	tools/install-deps.sh

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) NSTREE_VERSION=$(VERSION) C=2 modules

checkpatch: $(KSELFTEST)/kselftest_harness.h
	$(SRCDIR)/scripts/checkpatch.pl --no-tree --strict -f \
		$(filter %.c %.h,$(KMOD_SRCS))

# kbuild's clean when KDIR is there, else the same files by name.
KBUILD_FILES = kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
	kmod/modules.order .*.cmd .module-common.o modules.order \
	Module.symvers
clean:
ifneq ($(HAVE_KDIR),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
else
	rm -f $(KBUILD_FILES)
endif
	rm -rf $(BUILD) user/nstree $(SELFTESTS) $(BENCHES)

# Everything make and make check made: what clean removes (make check and
# the guests write only into build/: each line's shadow tree, initramfs and
# consoles, DKMS's modules, the KVM verdict), a module built here against
# another KDIR than clean's, and the kernel caches outside the tree that
# this user can write (README, "The kernel cache").
distclean: clean
	rm -f $(KBUILD_FILES)
	tools/kernels.sh clear
