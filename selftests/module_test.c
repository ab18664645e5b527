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
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
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
	/* hooks_on_int3's kprobe optimizer, on again if it failed midway. */
	nst_sh(out, sizeof(out), "[ ! -w /proc/sys/debug/kprobes-optimization ]"
	       " || echo 1 >/proc/sys/debug/kprobes-optimization");
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
TEST_F_TIMEOUT(module, cli_without_module, 120)
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
TEST_F_TIMEOUT(module, load_unload, 120)
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
TEST_F_TIMEOUT(module, unload_with_open_socket, 120)
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
TEST_F_TIMEOUT(module, unload_during_fork_storm, 120)
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

/*
 * Is lockdep still on? 1 or 0 from /proc/lockdep_stats, -1 on a kernel
 * without lockdep. Its first report turns it off for good.
 */
static int lockdep_on(void)
{
	char line[128];
	int on = -1;
	FILE *f = fopen("/proc/lockdep_stats", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " debug_locks: %d", &on) == 1)
			break;
	fclose(f);
	return on;
}

#define KPROBE_LIST "/sys/kernel/debug/kprobes/list"

/*
 * nstree's kprobes that are still hit through their int3, neither on
 * ftrace nor optimised into a jump; -1 when the list cannot be read.
 */
static int kprobes_on_int3(void)
{
	static const char *const syms[] = {
		"do_notify_parent+", "release_task+", "taskstats_exit+",
		"posix_cpu_timers_exit+", "proc_exit_connector+",
		"zap_pid_ns_processes+", "proc_free_inum+",
	};
	char line[256];
	unsigned int i;
	int n = 0;
	FILE *f;

	if (access(KPROBE_LIST, R_OK)) {
		mkdir("/sys/kernel/debug", 0755);
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	}
	f = fopen(KPROBE_LIST, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "[FTRACE]") || strstr(line, "[OPTIMIZED]"))
			continue;
		for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
			if (strstr(line, syms[i]))
				n++;
	}
	fclose(f);
	return n;
}

#define KPROBES_OPT "/proc/sys/debug/kprobes-optimization"

/* @n children (PID and user namespaces when @ns) that exit; reaped. */
static void children(int n, int ns)
{
	pid_t pid;

	while (n--) {
		pid = ns ? nst_clone3(CLONE_NEWPID | CLONE_NEWUSER) : fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

/*
 * On a kernel whose kprobes are not on ftrace (the 6.12-debug line;
 * Debian's kernels put them on ftrace), a kprobe is hit through int3, in
 * NMI context, until the kprobe optimizer has patched in a jump, and for
 * good while debug.kprobes-optimization is 0. There nstree must take no
 * lock: proc_free_inum's handler, which runs subscribers or not, made
 * lockdep report "inconsistent {INITIAL USE} -> {IN-NMI} usage" on
 * nstree_nsid_lock (seen once after an insmod, at a namespace's free).
 * Here the optimizer is off while the module loads, namespaces are
 * freed, and a subscriber's processes exit; then it is on again. Lockdep
 * must still be on (the guest runner also fails on any report), and what
 * the int3 hits cost the subscriber arrives as LOST, never as a gap.
 * (debug.kprobes-optimization only exists with CONFIG_OPTPROBES; without
 * it, the test still loads and churns, and finds what the load left.)
 */
TEST_F_TIMEOUT(module, hooks_on_int3, 120)
{
	int int3, opt = !access(KPROBES_OPT, W_OK), before = lockdep_on();
	struct nst_evlog log = { 0 };
	struct nst_conn c;
	char buf[256];
	int reaped;
	long end;
	pid_t pid;

	if (opt)
		ASSERT_EQ(0, nst_write_file(KPROBES_OPT, "0"));
	ASSERT_EQ(0, nst_module_load(self->ko));
	int3 = kprobes_on_int3();
	children(20, 1);
	ASSERT_EQ(0, nst_ev_subscribe(&c, NULL)) TH_LOG("%s", c.extack);
	children(20, 1);
	children(20, 0);
	if (opt)
		ASSERT_EQ(0, nst_write_file(KPROBES_OPT, "1"));
	/*
	 * Until a process's REAP arrives: the kprobes are out of NMI (the
	 * optimizer has patched in its jumps, which the kprobe list does not
	 * say: it marks them optimised as soon as they are queued). At once
	 * when they are on ftrace.
	 */
	end = time(NULL) + 60;
	do {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(0);
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		reaped = !nst_ev_wait_for(&c, &log, NSTREE_EV_REAP, pid, 1000);
	} while (!reaped && time(NULL) < end);
	EXPECT_TRUE(reaped) TH_LOG("%zu events; of %d: %s", log.n, pid,
				   nst_ev_seq(&log, pid, buf, sizeof(buf)));
	EXPECT_EQ(0, log.gap_error);
	TH_LOG("nstree kprobes on int3 after the load: %d; events lost: %llu",
	       int3, (unsigned long long)log.lost);
	if (int3 > 0)
		EXPECT_LT(0, log.lost) TH_LOG("int3 hits not counted");
	nst_evlog_free(&log);
	nst_close(&c);
	ASSERT_EQ(0, nst_module_unload());
	if (before == 1)
		EXPECT_EQ(1, lockdep_on()) TH_LOG("lockdep turned itself off");
}

/* Out-of-range table sizes: the load fails, and says why. */
TEST_F_TIMEOUT(module, table_params_checked, 120)
{
	static const char *const bad[] = {
		"kin_max=15", "kin_max=1048577", "nsmap_max=0",
		"nsmap_max=65537", "nsid_max=15", "nsid_max=4294967295",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, nst_module_load_params(self->ko, bad[i]))
			TH_LOG("%s", bad[i]);
		nst_module_unload();
	}
}

/*
 * One round: subscribe, fork @forks children that exit at once, then
 * hold @nsn PID namespaces alive together and end them. Returns the
 * round's LOST count; *@noid counts NS_CREATED without an ID.
 */
static uint64_t fill_round(struct __test_metadata *_metadata, int forks,
			   int nsn, int *noid)
{
	struct nst_evlog log = { 0 };
	int i, p[2], created = 0;
	pid_t kids[64], pid;
	struct nst_conn c;
	uint64_t lost;

	ASSERT_EQ(0, nst_ev_subscribe(&c, NULL)) TH_LOG("%s", c.extack);
	for (i = 0; i < forks; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		ASSERT_LT(0, pid);
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < nsn; i++) {
		kids[i] = nst_clone3(CLONE_NEWPID);
		if (kids[i] == 0) {
			char b;

			close(p[1]);
			_exit(read(p[0], &b, 1) == 0 ? 0 : 1);
		}
		ASSERT_LT(0, kids[i]);
	}
	close(p[0]);
	for (i = 0; i < nsn; i++)
		ASSERT_EQ(0, nst_ev_wait_for(&c, &log, NSTREE_EV_FORK, kids[i],
					     30000));
	close(p[1]);
	for (i = 0; i < nsn; i++)
		ASSERT_EQ(kids[i], waitpid(kids[i], NULL, 0));
	/* A last process, whose REAP comes after every earlier event. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(0, nst_ev_wait_for(&c, &log, NSTREE_EV_REAP, pid, 30000));
	EXPECT_EQ(0, log.gap_error);
	*noid = 0;
	for (i = 0; i < (int)log.n; i++) {
		if (log.ev[i].type != NSTREE_EV_NS_CREATED)
			continue;
		created++;
		if (!log.ev[i].ns_id)
			(*noid)++;
	}
	EXPECT_EQ(nsn, created);
	lost = log.lost;
	nst_evlog_free(&log);
	nst_close(&c);
	return lost;
}

/*
 * Every table full, through the load-time parameters: a process the
 * tracking table has no room for, and a namespace birth the namespace
 * table has no room for, each count as one LOST; a namespace past the ID
 * table has no ID. The same round with the default sizes loses nothing.
 */
TEST_F_TIMEOUT(module, full_tables_counted, 120)
{
	int noid, forks = 20, nsn = 40;
	uint64_t lost;

	ASSERT_EQ(0, nst_module_load(self->ko));
	lost = fill_round(_metadata, forks, nsn, &noid);
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, noid);
	ASSERT_EQ(0, nst_module_unload());

	/* The guest has far more than 16 processes: learning fills it. */
	ASSERT_EQ(0, nst_module_load_params(self->ko,
					    "kin_max=16 nsmap_max=16 nsid_max=16"));
	lost = fill_round(_metadata, forks, nsn, &noid);
	TH_LOG("full tables: %llu lost, %d of %d namespaces without an ID",
	       (unsigned long long)lost, noid, nsn);
	/* Each fork and each namespace fork is untracked; 24 births unkept. */
	EXPECT_LE(forks + nsn + (nsn - 16), (int)lost);
	EXPECT_LE(nsn - 16, noid);
	ASSERT_EQ(0, nst_module_unload());
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
TEST_F_TIMEOUT(module, autoload_when_installed, 120)
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
