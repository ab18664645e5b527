// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading the module. Runs in the guest before the module is
 * loaded for the other tests; NSTREE_KO names the module file. The guest
 * runner checks the kernel log for warnings afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <grp.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"

/*
 * 300 s per test, not the harness's 30: on the 6.12-debug line (KASAN,
 * lockdep, under -icount) one insmod and rmmod take 1.5 to 2 s of guest
 * time, so 20 of them do not fit in 30 s (measured: tools/vm.sh 6.12-debug
 * cmd with an insmod/rmmod loop). The limit only bounds a hang.
 */
FIXTURE(module) {
	const char *ko;
};

FIXTURE_SETUP(module)
{
	self->ko = getenv("NSTREE_KO");
	if (!self->ko || access(self->ko, R_OK))
		SKIP(return, "NSTREE_KO does not name a readable nstree.ko");
	ASSERT_EQ(-ENOENT, nst_module_unload())
		TH_LOG("the module was already loaded");
}

/* Where make install puts it for the running kernel (autoload below). */
static void installed_path(char *buf, size_t size)
{
	struct utsname u;

	uname(&u);
	snprintf(buf, size, "/lib/modules/%s/updates/kmod/nstree.ko", u.release);
}

FIXTURE_TEARDOWN(module)
{
	char ko[320], out[256];

	nst_module_unload();
	/* autoload_when_installed's modprobe, put back if it failed midway. */
	nst_sh(out, sizeof(out), "grep -qx /nonexistent /proc/sys/kernel/modprobe"
	       " && echo /sbin/modprobe >/proc/sys/kernel/modprobe");
	/* Uninstalled again: the later tests want a module that stays out. */
	installed_path(ko, sizeof(ko));
	if (!access(ko, F_OK)) {
		unlink(ko);
		nst_sh(out, sizeof(out), "depmod 2>&1");
	}
}

/*
 * Without the module every command that asks it says so in one line, with
 * how to load it, and exit status 2; what needs no module still works.
 */
TEST_F_TIMEOUT(module, cli_without_module, 300)
{
	static const char *const asks[] = {
		"info", "info -p 1", "ps", "ps -J --output-all", "ps -p 1",
		"tree", "tree 1", "tree -N 1", "tree --format=dot", "ns",
		"ns 1", "ns -l", "ns --format=dot",
	};
	static const char *const needs_none[] = {
		"--help", "-V", "ps --help", "ps --list-columns",
		"tree --list-columns", "ns --list-columns", "info --help",
		"run -q -- true",
	};
	char out[512], expect[256];
	struct utsname u;
	size_t i;

	ASSERT_EQ(0, uname(&u));
	snprintf(expect, sizeof(expect), "nstree: the nstree kernel module is "
		 "not installed for kernel %s ('make install' in nstree's "
		 "sources, as root, or 'insmod nstree.ko')\n", u.release);
	for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		EXPECT_EQ(2, nst_sh(out, sizeof(out), "nstree %s 2>&1 >/dev/null",
				    asks[i])) TH_LOG("nstree %s", asks[i]);
		EXPECT_STREQ(expect, out) TH_LOG("nstree %s", asks[i]);
	}
	for (i = 0; i < sizeof(needs_none) / sizeof(needs_none[0]); i++)
		EXPECT_EQ(0, nst_sh(out, sizeof(out), "nstree %s >/dev/null 2>&1",
				    needs_none[i])) TH_LOG("nstree %s", needs_none[i]);
}

/*
 * Twenty cycles (five at NSTREE_SCALE=small, where stress_test adds five
 * under load); each time the family appears, answers, and goes away.
 */
TEST_F_TIMEOUT(module, load_unload, 300)
{
	int i, cycles = nst_scale_small() ? 5 : 20;
	struct nst_info info;
	struct nst_conn c;

	for (i = 0; i < cycles; i++) {
		ASSERT_EQ(0, nst_module_load(self->ko))
			TH_LOG("cycle %d: load", i);
		ASSERT_EQ(0, nst_open(&c)) TH_LOG("cycle %d: resolve", i);
		EXPECT_EQ(0, nst_get_info(&c, 0, &info));
		nst_close(&c);
		ASSERT_EQ(0, nst_module_unload())
			TH_LOG("cycle %d: %m - unload", i);
		EXPECT_EQ(-ENOENT, nst_open(&c)) TH_LOG("cycle %d: family left", i);
	}
}

/* A socket that stays open across rmmod must not pin or break anything. */
TEST_F_TIMEOUT(module, unload_with_open_socket, 300)
{
	struct nst_info info;
	struct nst_conn c;

	ASSERT_EQ(0, nst_module_load(self->ko));
	ASSERT_EQ(0, nst_open(&c));
	EXPECT_EQ(0, nst_get_info(&c, 0, &info));
	EXPECT_EQ(0, nst_module_unload());
	EXPECT_NE(0, nst_get_info(&c, 0, &info));
	nst_close(&c);
}

/*
 * rmmod while three subscribers are attached (one never reading) and a
 * fork storm runs: it succeeds, the sockets just stop hearing, and the
 * guest's kernel log stays clean (no probe after exit, nothing leaked:
 * a leaked event would make kmem_cache_destroy complain).
 */
TEST_F_TIMEOUT(module, unload_during_fork_storm, 300)
{
	struct nst_conn c[3];
	pid_t storm;
	int i, round;

	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, nst_module_load(self->ko));
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, nst_open(&c[i]));
			ASSERT_EQ(0, nst_subscribe(&c[i], NULL, NULL))
				TH_LOG("%s", c[i].extack);
		}
		storm = fork();
		ASSERT_LE(0, storm);
		if (storm == 0) {
			for (;;) {
				pid_t p = fork();

				if (p == 0)
					_exit(0);
				if (p > 0)
					waitpid(p, NULL, 0);
			}
		}
		usleep(300000);
		nst_event_read(&c[0], NULL, NULL);
		EXPECT_EQ(0, nst_module_unload())
			TH_LOG("round %d: %m - unload", round);
		kill(storm, SIGKILL);
		waitpid(storm, NULL, 0);
		for (i = 0; i < 3; i++)
			nst_close(&c[i]);
	}
}

/* nstree info as uid/gid 65534, no groups: its exit status. */
static int info_as_nobody(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(126);
		execlp("nstree", "nstree", "info", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * Installed as make install does it (updates/, then depmod), the module
 * loads by itself on the first request for the family: the kernel's
 * CTRL_CMD_GETFAMILY asks modprobe (/proc/sys/kernel/modprobe, as root)
 * for "net-pf-16-proto-16-family-nstree", the module's
 * MODULE_ALIAS_GENL_FAMILY, and needs no privilege from the requester, so
 * an unprivileged user's first nstree loads it too. When modprobe cannot
 * load it, the CLI says that it is installed and to run modprobe.
 */
TEST_F_TIMEOUT(module, autoload_when_installed, 300)
{
	char ko[320], out[512], modprobe[256] = "";
	FILE *f;

	installed_path(ko, sizeof(ko));
	f = fopen("/proc/sys/kernel/modprobe", "re");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(modprobe, sizeof(modprobe), f));
	fclose(f);
	modprobe[strcspn(modprobe, "\n")] = 0;
	ASSERT_EQ(0, access(modprobe, X_OK))
		TH_LOG("no %s for the kernel's request_module()", modprobe);

	ASSERT_EQ(0, nst_sh(out, sizeof(out), "set -- %s; mkdir -p ${1%%/*} &&"
			    " cp \"$NSTREE_KO\" $1 && depmod 2>&1 &&"
			    " grep -qx 'alias net-pf-16-proto-16-family-nstree nstree'"
			    " ${1%%/updates/*}/modules.alias", ko))
		TH_LOG("install and depmod: %s", out);

	/* Installed, but the kernel's modprobe cannot run. */
	ASSERT_EQ(0, nst_sh(out, sizeof(out),
			    "echo /nonexistent >/proc/sys/kernel/modprobe"));
	EXPECT_EQ(2, nst_sh(out, sizeof(out), "nstree info 2>&1 >/dev/null"));
	EXPECT_STREQ("nstree: the nstree kernel module is installed but did "
		     "not load (as root: 'modprobe nstree'; dmesg says why)\n", out);
	EXPECT_NE(0, access("/sys/module/nstree", F_OK));
	ASSERT_EQ(0, nst_sh(out, sizeof(out),
			    "echo %s >/proc/sys/kernel/modprobe", modprobe));

	/* Root's first request loads it. */
	EXPECT_NE(0, access("/sys/module/nstree", F_OK));
	EXPECT_EQ(0, nst_sh(out, sizeof(out), "nstree info 2>&1"))
		TH_LOG("root: %s", out);
	EXPECT_EQ(0, access("/sys/module/nstree", F_OK));
	EXPECT_EQ(0, nst_module_unload());

	/* So does an unprivileged user's. */
	EXPECT_NE(0, access("/sys/module/nstree", F_OK));
	EXPECT_EQ(0, info_as_nobody());
	EXPECT_EQ(0, access("/sys/module/nstree", F_OK));
	EXPECT_EQ(0, nst_module_unload());
}

TEST_HARNESS_MAIN
