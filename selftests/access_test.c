// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see what through the dumps, against what /proc shows the same
 * caller: namespace inodes only for processes it may ptrace-read, the
 * ancestor user namespaces hidden, hidepid= honoured, arguments read as
 * /proc/PID/cmdline reads them. Then two stresses of the dump paths: GET_NS
 * while namespace inits die, and an unprivileged 30,000-deep process chain
 * dumped by subtree.
 *
 * The unprivileged side is uid/gid 65534 (nobody), made dumpable again
 * after setresuid() as a login would be: a dropped-privilege process is
 * not dumpable, and ptrace-read rules treat it like a set-uid program.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "lib.h"
#include "procfs.h"

/*
 * Run @probe in a child (nst_run_in_child(), with @r of @len bytes) while
 * another child waits, as nobody, dumpable or not: its PID in *@parked,
 * set before the probe starts, and once it has dropped its privileges.
 * Returns the probe's status; -1 if a child failed.
 */
static int probe_beside_parked(int dumpable, pid_t *parked,
			       int (*probe)(void *buf, size_t len), void *r,
			       size_t len)
{
	int stop[2], ready[2], ret = -1, status;

	if (pipe(stop))
		return -1;
	if (pipe(ready)) {
		close(stop[0]);
		close(stop[1]);
		return -1;
	}
	*parked = fork();
	if (*parked == 0) {
		close(stop[1]);
		close(ready[0]);
		if (nst_become_nobody(0) ||
		    (!dumpable && prctl(PR_SET_DUMPABLE, 0)))
			_exit(1);
		nst_send_byte(ready[1]);
		nst_wait_byte(stop[0]);
		_exit(0);
	}
	close(stop[0]);
	close(ready[1]);
	if (*parked > 0 && !nst_wait_byte(ready[0]))
		ret = nst_run_in_child(0, probe, r, len);
	close(stop[1]);
	close(ready[0]);
	if (*parked > 0 && (waitpid(*parked, &status, 0) != *parked || status))
		ret = -1;
	return ret;
}

static int count_entry(const struct nst_proc *p, void *arg)
{
	(void)p;
	(*(unsigned int *)arg)++;
	return 0;
}

/* ---- Namespace inodes follow ptrace-read ---- */

struct inode_report {
	unsigned int entries;
	unsigned int compared;	/* /proc answered one way or the other */
	unsigned int leaks;	/* inode given, /proc refused it */
	unsigned int missing;	/* /proc gave it, nstree did not */
	unsigned int readable;	/* /proc gave it */
	uint32_t pid1_mntns, pid1_pidns, pid1_userns;
	int info_pid1, ns_pid1, sel_ns_pid1, info_self, ns_self;
	uint32_t self_mntns, self_mntns_proc;
	uint32_t nodump_mntns;
	int nodump_proc_refused;
	pid_t nodump;
	char first_leak[128];
};

static int inode_entry(const struct nst_proc *p, void *arg)
{
	struct inode_report *r = arg;
	char path[64];
	struct stat st;
	int ok;

	r->entries++;
	snprintf(path, sizeof(path), "/proc/%u/ns/mnt", p->pid);
	ok = !stat(path, &st);
	if (!ok && errno != EACCES && errno != EPERM)
		return 0;	/* gone, or a zombie: nothing to compare */
	if (ok && p->state == 'Z')
		return 0;
	r->compared++;
	r->readable += ok;
	if (!ok && (p->mntns || p->pidns || p->userns || p->netns)) {
		if (!r->leaks)
			snprintf(r->first_leak, sizeof(r->first_leak),
				 "pid %u (%s): mntns %u pidns %u", p->pid,
				 p->comm, p->mntns, p->pidns);
		r->leaks++;
	}
	if (ok && p->mntns != (uint32_t)st.st_ino)
		r->missing++;
	if (p->pid == 1) {
		r->pid1_mntns = p->mntns;
		r->pid1_pidns = p->pidns;
		r->pid1_userns = p->userns;
	}
	if ((pid_t)p->pid == r->nodump)
		r->nodump_mntns = p->mntns;
	return 0;
}

static int inode_probe(void *buf, size_t len)
{
	struct inode_report *r = buf;
	struct nst_proc_sel sel = { .ns_pid = 1 };
	struct nst_info info;
	struct nst_conn c;
	struct nst_ns ns;
	struct nst_proc p;
	unsigned int n = 0;
	char path[64];
	struct stat st;

	(void)len;
	if (nst_become_nobody(0))
		return 10;
	if (nst_open(&c))
		return 11;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", r->nodump);
	r->nodump_proc_refused = stat(path, &st) && errno == EACCES;
	if (nst_dump_procs(&c, NULL, inode_entry, r))
		return 12;
	r->info_pid1 = nst_get_info(&c, 1, &info);
	r->ns_pid1 = nst_get_ns(&c, 0, 1, &ns);
	r->sel_ns_pid1 = nst_dump_procs(&c, &sel, count_entry, &n);
	r->info_self = nst_get_info(&c, getpid(), &info);
	r->ns_self = nst_get_ns(&c, 0, getpid(), &ns);
	if (nst_get_proc(&c, getpid(), &p))
		return 13;
	r->self_mntns = p.mntns;
	r->self_mntns_proc = proc_ns_inum("/proc", getpid(), "mnt");
	nst_close(&c);
	return 0;
}

/*
 * As nobody, the dump gives a process's namespace inodes exactly when
 * stat("/proc/PID/ns/mnt") works for the same caller: not for init, not
 * for a process of its own uid that made itself non-dumpable. GET_INFO
 * and GET_NS by PID, and a dump selected by a process's namespace, are
 * refused for a process it may not ptrace-read.
 */
TEST(ns_inodes_follow_ptrace)
{
	struct inode_report r;

	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, probe_beside_parked(0, &r.nodump, inode_probe, &r,
					 sizeof(r)));

	TH_LOG("%u entries, %u compared with /proc, %u readable there",
	       r.entries, r.compared, r.readable);
	EXPECT_LT(10, r.compared);
	EXPECT_LT(0, r.readable);	/* at least our own */
	EXPECT_EQ(0, r.leaks) TH_LOG("first: %s", r.first_leak);
	EXPECT_EQ(0, r.missing);
	EXPECT_EQ(0, r.pid1_mntns);
	EXPECT_EQ(0, r.pid1_pidns);
	EXPECT_EQ(0, r.pid1_userns);
	EXPECT_TRUE(r.nodump_proc_refused);
	EXPECT_EQ(0, r.nodump_mntns);
	EXPECT_EQ(-EACCES, r.info_pid1);
	EXPECT_EQ(-EACCES, r.ns_pid1);
	EXPECT_EQ(-EACCES, r.sel_ns_pid1);
	EXPECT_EQ(0, r.info_self);
	EXPECT_EQ(0, r.ns_self);
	EXPECT_NE(0, r.self_mntns);
	EXPECT_EQ(r.self_mntns_proc, r.self_mntns);
}

/* ---- The user namespace of a process is not shown above ours ---- */

struct userns_report {
	pid_t target;
	uint32_t mntns, userns, mntns_proc;
	uint32_t self_userns, self_userns_proc;
};

static int userns_probe(void *buf, size_t len)
{
	struct userns_report *r = buf;
	struct nst_conn c;
	struct nst_proc p;

	(void)len;
	if (nst_become_nobody(0) || unshare(CLONE_NEWUSER))
		return 10;
	if (nst_open(&c))
		return 11;
	if (nst_get_proc(&c, r->target, &p))
		return 12;
	r->mntns = p.mntns;
	r->userns = p.userns;
	r->mntns_proc = proc_ns_inum("/proc", r->target, "mnt");
	if (nst_get_proc(&c, getpid(), &p))
		return 13;
	r->self_userns = p.userns;
	r->self_userns_proc = proc_ns_inum("/proc", getpid(), "user");
	nst_close(&c);
	return 0;
}

/*
 * From inside a new user namespace, a process of the same uid outside it
 * is not ptrace-readable (commoncap: another user namespace, and no
 * CAP_SYS_PTRACE over its own), so /proc/PID/ns/ refuses it and nstree
 * gives none of its inodes; least of all its user namespace, an ancestor
 * of ours, which GET_NS hides too. Our own entry has ours.
 */
TEST(userns_ancestor_hidden)
{
	struct userns_report r;

	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, probe_beside_parked(1, &r.target, userns_probe, &r,
					 sizeof(r)));

	EXPECT_EQ(r.mntns_proc, r.mntns);
	EXPECT_EQ(0, r.userns);
	EXPECT_NE(0, r.self_userns);
	EXPECT_EQ(r.self_userns_proc, r.self_userns);
}

/* ---- hidepid= ---- */

FIXTURE(hidepid) {
	int dummy;
};

FIXTURE_VARIANT(hidepid) {
	const char *fstype;	/* what is mounted on /proc */
	const char *opts;
	int group;		/* the caller is in gid=100 */
	int see_init;		/* does the caller see PID 1? */
};

FIXTURE_VARIANT_ADD(hidepid, off) {
	.fstype = "proc", .opts = "hidepid=0", .see_init = 1,
};
FIXTURE_VARIANT_ADD(hidepid, hidepid1) {
	.fstype = "proc", .opts = "hidepid=1", .see_init = 0,
};
FIXTURE_VARIANT_ADD(hidepid, hidepid2) {
	.fstype = "proc", .opts = "hidepid=2", .see_init = 0,
};
FIXTURE_VARIANT_ADD(hidepid, invisible) {
	.fstype = "proc", .opts = "hidepid=invisible", .see_init = 0,
};
FIXTURE_VARIANT_ADD(hidepid, invisible_gid) {
	.fstype = "proc", .opts = "hidepid=invisible,gid=100", .group = 1,
	.see_init = 1,
};
FIXTURE_VARIANT_ADD(hidepid, ptraceable) {
	.fstype = "proc", .opts = "hidepid=ptraceable,gid=100", .group = 1,
	.see_init = 0,
};
/* No procfs on /proc: as strict as the strictest mount option. */
FIXTURE_VARIANT_ADD(hidepid, no_procfs) {
	.fstype = "tmpfs", .opts = "size=1m", .see_init = 0,
};

FIXTURE_SETUP(hidepid)
{
}

FIXTURE_TEARDOWN(hidepid)
{
}

struct hide_report {
	const char *fstype, *opts;
	int group;
	unsigned int entries, hidden_listed, self_seen, init_seen;
	unsigned int args_entries;
	int get_init;
	uint32_t first_hidden;
	unsigned int reaper_hidden;	/* REAPERs that /proc hides */
	uint32_t self_reaper;		/* our own entry's REAPER */
};

static int hide_entry(const struct nst_proc *p, void *arg)
{
	struct hide_report *r = arg;
	char path[64];
	struct stat st;

	r->entries++;
	if (p->pid == 1)
		r->init_seen = 1;
	if ((pid_t)p->pid == getpid()) {
		r->self_seen = 1;
		r->self_reaper = p->reaper;
	}
	if (p->args)
		r->args_entries++;
	if (strcmp(r->fstype, "proc"))
		return 0;
	/* A REAPER names a process that /proc hides. */
	snprintf(path, sizeof(path), "/proc/%u/status", p->reaper);
	if (p->reaper && stat(path, &st) && kill(p->reaper, 0) &&
	    errno == EPERM)
		r->reaper_hidden++;
	/* Listed, but /proc does not show it although it exists. */
	snprintf(path, sizeof(path), "/proc/%u/status", p->pid);
	if (stat(path, &st) && kill(p->pid, 0) && errno == EPERM) {
		if (!r->hidden_listed)
			r->first_hidden = p->pid;
		r->hidden_listed++;
	}
	return 0;
}

static int hide_probe(void *buf, size_t len)
{
	struct nst_proc_sel sel = { .args = 1 };
	struct hide_report *r = buf;
	struct nst_conn c;
	struct nst_proc p;

	(void)len;
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(r->fstype, "/proc", r->fstype, 0, r->opts))
		return 10;
	if (nst_become_nobody(r->group ? 100 : 0))
		return 11;
	if (nst_open(&c))
		return 12;
	if (nst_dump_procs(&c, &sel, hide_entry, r))
		return 13;
	r->get_init = nst_get_proc(&c, 1, &p);
	nst_close(&c);
	return 0;
}

/*
 * The procfs mounted on the caller's /proc decides what its dumps list,
 * as it decides what ls /proc lists: a process that /proc hides from it
 * (hidepid=1, 2, invisible, ptraceable; gid= lifts it) is neither listed
 * nor answered by PID, nor named as a REAPER. With no procfs there, only
 * what it may ptrace-read.
 */
TEST_F(hidepid, dump_as_proc)
{
	struct hide_report r;

	memset(&r, 0, sizeof(r));
	r.fstype = variant->fstype;
	r.opts = variant->opts;
	r.group = variant->group;
	ASSERT_EQ(0, nst_run_in_child(0, hide_probe, &r, sizeof(r)));
	TH_LOG("%s %s: %u entries listed, %u with arguments", r.fstype,
	       r.opts, r.entries, r.args_entries);
	EXPECT_EQ(1, r.self_seen);
	EXPECT_EQ(variant->see_init, r.init_seen);
	EXPECT_EQ(variant->see_init ? 0 : -ENOENT, r.get_init);
	EXPECT_EQ(0, r.hidden_listed) TH_LOG("first: PID %u", r.first_hidden);
	/*
	 * Our reaper, root's (the guest's init, or a subreaper of root's
	 * above the test), is named exactly when root's processes are seen.
	 */
	EXPECT_EQ(0, r.reaper_hidden);
	EXPECT_EQ(variant->see_init, r.self_reaper != 0)
		TH_LOG("our REAPER: %u", r.self_reaper);
}

/* ---- Arguments, as /proc/PID/cmdline reads them ---- */

#define ARGS_HELPER "--nstree-args-helper"

/*
 * Helper mode of this binary: argv[2] is what to do to the argument area,
 * argv[3] the fd to report readiness on, argv[4..] the arguments. Then it
 * waits for stdin to reach EOF.
 */
static int args_helper(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	char *start = argv[0], *end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	int fd = atoi(argv[3]);
	char c = 'r';

	if (!strcmp(argv[2], "prot_none")) {
		/* Every page of the area after its first: /proc stops there. */
		uintptr_t from = ((uintptr_t)start + page) & ~(page - 1);

		if (mprotect((void *)from, (uintptr_t)end - from, PROT_NONE))
			c = 'e';
	} else if (!strcmp(argv[2], "title")) {
		/* setproctitle(): overflow into the environment strings. */
		size_t n = end - start + 100;

		memset(start, 'T', n);
		start[n] = '\0';
	}
	if (write(fd, &c, 1) != 1)
		return 1;
	while (read(0, &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

struct args_cmp {
	pid_t pid;
	char *args;
	size_t len;
	int found;
};

static int args_entry(const struct nst_proc *p, void *arg)
{
	struct args_cmp *a = arg;

	if ((pid_t)p->pid != a->pid)
		return 0;
	a->found = 1;
	a->len = p->args_len;
	a->args = malloc(p->args_len + 1);
	if (!a->args)
		return -ENOMEM;
	memcpy(a->args, p->args ? p->args : "", p->args_len);
	return 0;
}

/*
 * Start the helper in @mode, with a 12 KiB argument when @big; fill
 * @cmdline with the first read() of its /proc/PID/cmdline. Its
 * environment is one long string, so a title may overflow into it.
 */
static pid_t start_helper(const char *mode, int big, int *in, char *cmdline,
			  size_t size, ssize_t *cmdlen)
{
	static char bigarg[3 * 4096 + 100], env[512] = "NSTREE_PAD=";
	char *envp[] = { env, NULL };
	int ready[2], input[2], fd;
	char fdarg[16], c, path[64];
	pid_t pid;

	memset(bigarg, 'a', sizeof(bigarg) - 1);
	memset(env + 11, 'e', sizeof(env) - 12);
	if (pipe(ready) || pipe(input))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(ready[0]);
		close(input[1]);
		dup2(input[0], 0);
		snprintf(fdarg, sizeof(fdarg), "%d", ready[1]);
		execle("/proc/self/exe", "nstree-args", ARGS_HELPER, mode,
		       fdarg, big ? bigarg : "one", "two", "three",
		       (char *)NULL, envp);
		_exit(127);
	}
	close(ready[1]);
	close(input[0]);
	*in = input[1];
	if (read(ready[0], &c, 1) != 1 || c != 'r') {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY);
	*cmdlen = fd < 0 ? -1 : read(fd, cmdline, size);
	if (fd >= 0)
		close(fd);
	return pid;
}

static void stop_helper(pid_t pid, int in)
{
	int status;

	close(in);
	waitpid(pid, &status, 0);
}

FIXTURE(args) {
	struct nst_conn conn;
};

FIXTURE_VARIANT(args) {
	const char *mode;
	int big;
};

/* Part of the area PROT_NONE: cmdline stops there, so must ARGS. */
FIXTURE_VARIANT_ADD(args, prot_none) { .mode = "prot_none", .big = 1 };
/* The area overwritten past its end: cmdline shows the new title. */
FIXTURE_VARIANT_ADD(args, setproctitle) { .mode = "title" };
/* Untouched: every NUL, the first 4 KiB of a long one. */
FIXTURE_VARIANT_ADD(args, plain) { .mode = "plain" };
FIXTURE_VARIANT_ADD(args, plain_big) { .mode = "plain", .big = 1 };

FIXTURE_SETUP(args)
{
	ASSERT_EQ(0, nst_open(&self->conn));
}

FIXTURE_TEARDOWN(args)
{
	nst_close(&self->conn);
}

/* ARGS is byte for byte what /proc/PID/cmdline gives (first 4 KiB). */
TEST_F(args, equal_cmdline)
{
	static char cmdline[4096];
	struct nst_proc_sel sel = { .args = 1 };
	struct args_cmp a = { 0 };
	ssize_t cmdlen;
	int in;

	a.pid = start_helper(variant->mode, variant->big, &in, cmdline,
			     sizeof(cmdline), &cmdlen);
	ASSERT_LT(0, a.pid);
	sel.subtree = a.pid;
	EXPECT_EQ(0, nst_dump_procs(&self->conn, &sel, args_entry, &a));
	stop_helper(a.pid, in);
	ASSERT_TRUE(a.found);
	ASSERT_LE(0, cmdlen);
	TH_LOG("%s: /proc/PID/cmdline %zd bytes, ARGS %zu bytes",
	       variant->mode, cmdlen, a.len);
	if (!strcmp(variant->mode, "prot_none")) {
		/* The mprotect() did cut what /proc reads. */
		EXPECT_LT(0, cmdlen);
		EXPECT_GT(4096, cmdlen);
	}
	EXPECT_EQ((size_t)cmdlen, a.len);
	if ((size_t)cmdlen == a.len)
		EXPECT_EQ(0, memcmp(cmdline, a.args, a.len));
	free(a.args);
}

/* ---- GET_NS while the namespaces' inits die ---- */

struct churn {
	volatile int stop;
	unsigned int cycles;
	volatile pid_t init;
};

/* Namespaces whose inits, with 20 children each, are killed at once. */
static void *churn_thread(void *arg)
{
	struct churn *ch = arg;
	int ready[2], status, i;
	pid_t init;
	char c;

	while (!ch->stop) {
		if (pipe(ready))
			break;
		init = nst_clone3(CLONE_NEWPID);
		if (init == 0) {
			/*
			 * Raw clones only: glibc's fork() here could wait for
			 * a lock another thread held at the clone.
			 */
			close(ready[0]);
			for (i = 0; i < 20; i++)
				if (nst_clone3(0) == 0) {
					pause();
					_exit(0);
				}
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		close(ready[1]);
		if (init < 0 || read(ready[0], &c, 1) != 1) {
			close(ready[0]);
			break;
		}
		close(ready[0]);
		ch->init = init;
		kill(init, SIGKILL);
		waitpid(init, &status, 0);
		ch->cycles++;
	}
	return NULL;
}

struct ns_count {
	unsigned int n;
};

static int count_ns(const struct nst_ns *ns, void *arg)
{
	(void)ns;
	((struct ns_count *)arg)->n++;
	return 0;
}

FIXTURE(reaper) {
	struct nst_conn conn;
};

FIXTURE_SETUP(reaper)
{
	ASSERT_EQ(0, nst_open(&self->conn));
}

FIXTURE_TEARDOWN(reaper)
{
	nst_close(&self->conn);
}

/*
 * For 10 s, dump every namespace and ask for the one of the latest init
 * while inits are killed and reaped. Each answer is an entry or ENOENT; on
 * a kernel with KASAN or slub_debug, reading a freed init faults here.
 */
TEST_F_TIMEOUT(reaper, get_ns_while_inits_die, 120)
{
	struct churn ch = { 0 };
	unsigned int dumps = 0, gets = 0, gone = 0;
	struct ns_count cnt;
	struct timespec t0, t;
	struct nst_ns ns;
	pthread_t th;
	int err;

	ASSERT_EQ(0, pthread_create(&th, NULL, churn_thread, &ch));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		cnt.n = 0;
		err = nst_dump_ns(&self->conn, count_ns, &cnt);
		EXPECT_EQ(0, err);
		dumps++;
		if (ch.init) {
			err = nst_get_ns(&self->conn, 0, ch.init, &ns);
			if (err == -ENOENT)
				gone++;
			else
				EXPECT_EQ(0, err);
			gets++;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 10);
	ch.stop = 1;
	pthread_join(th, NULL);
	TH_LOG("%u namespaces killed, %u dumps, %u gets (%u gone)",
	       ch.cycles, dumps, gets, gone);
	EXPECT_LT(0, ch.cycles);
	EXPECT_LT(0, dumps);
}

/* ---- An unprivileged 30,000-deep chain ---- */

#define CHAIN_DEPTH 30000
#define CHAIN_STACK (16 * 1024)

struct chain_level {
	char *stacks;		/* one CHAIN_STACK slot per level */
	int ready, hold;
};

static struct chain_level chain;

/*
 * One link: start the next (sharing memory, so 30,000 processes cost
 * kernel memory only), wait for it, exit. The last reports its PID and
 * waits for EOF on the hold pipe.
 */
static int chain_link(void *arg)
{
	long level = (long)arg;
	pid_t me = getpid(), next;
	int status;
	char c;

	if (level == CHAIN_DEPTH) {
		if (write(chain.ready, &me, sizeof(me)) != sizeof(me))
			_exit(1);
		while (read(chain.hold, &c, 1) < 0)
			;
		_exit(0);
	}
	next = clone(chain_link, chain.stacks + (level + 2) * CHAIN_STACK,
		     CLONE_VM | SIGCHLD, (void *)(level + 1));
	if (next < 0) {
		pid_t fail = -errno;

		if (write(chain.ready, &fail, sizeof(fail)) != sizeof(fail))
			_exit(1);
		_exit(1);
	}
	waitpid(next, &status, 0);
	_exit(0);
}

struct chain_dumps {
	pid_t top, leaf;
	unsigned int by_leaf, by_top;
	int err_leaf, err_top;
	double t_leaf, t_top;
};

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void chain_dump(struct nst_conn *c, struct chain_dumps *d)
{
	struct nst_proc_sel sel = { 0 };
	struct timespec t0;

	sel.subtree = d->leaf;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	d->err_leaf = nst_dump_procs(c, &sel, count_entry, &d->by_leaf);
	d->t_leaf = since(&t0);
	sel.subtree = d->top;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	d->err_top = nst_dump_procs(c, &sel, count_entry, &d->by_top);
	d->t_top = since(&t0);
}

static int chain_probe(void *buf, size_t len)
{
	struct chain_dumps *d = buf;
	struct nst_conn c;

	(void)len;
	if (nst_become_nobody(0) || nst_open(&c))
		return 10;
	chain_dump(&c, d);
	nst_close(&c);
	return 0;
}

FIXTURE(deep) {
	struct nst_conn conn;
	pid_t top, leaf;
	int hold;
	char pid_max[32];
};

FIXTURE_SETUP(deep)
{
	int ready[2], hold[2];
	struct rlimit rl = { 2 * CHAIN_DEPTH, 2 * CHAIN_DEPTH };
	int fd;

	self->top = -1;
	ASSERT_EQ(0, nst_open(&self->conn));
	/* Room for the chain: PIDs, threads, nobody's process limit. */
	fd = open("/proc/sys/kernel/pid_max", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, self->pid_max, sizeof(self->pid_max) - 1));
	close(fd);
	ASSERT_EQ(0, nst_write_file("/proc/sys/kernel/pid_max", "4194304"));
	ASSERT_EQ(0, nst_write_file("/proc/sys/kernel/threads-max", "200000"));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(hold));
	chain.stacks = mmap(NULL, (size_t)(CHAIN_DEPTH + 2) * CHAIN_STACK,
			    PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, chain.stacks);
	chain.ready = ready[1];
	chain.hold = hold[0];
	self->top = fork();
	ASSERT_LE(0, self->top);
	if (self->top == 0) {
		close(ready[0]);
		close(hold[1]);
		if (setrlimit(RLIMIT_NPROC, &rl) || nst_become_nobody(0))
			_exit(1);
		chain_link((void *)0);
	}
	close(ready[1]);
	close(hold[0]);
	self->hold = hold[1];
	ASSERT_EQ(sizeof(self->leaf),
		  read(ready[0], &self->leaf, sizeof(self->leaf)));
	close(ready[0]);
	ASSERT_LT(0, self->leaf) TH_LOG("the chain stopped: %s",
					strerror(-self->leaf));
}

FIXTURE_TEARDOWN(deep)
{
	int status;

	if (self->top > 0) {
		close(self->hold);
		waitpid(self->top, &status, 0);
	}
	munmap(chain.stacks, (size_t)(CHAIN_DEPTH + 2) * CHAIN_STACK);
	if (self->pid_max[0])
		nst_write_file("/proc/sys/kernel/pid_max", self->pid_max);
	nst_close(&self->conn);
}

/*
 * Subtree dumps of the chain, by its leaf and by its top, as root and as
 * nobody: the leaf alone, then all 30,001. The kernel log must stay clean
 * (no RCU stall, no soft lockup: tools/vm.sh fails on either).
 */
TEST_F_TIMEOUT(deep, subtree_dumps, 150)
{
	struct chain_dumps d = { .top = self->top, .leaf = self->leaf };

	chain_dump(&self->conn, &d);
	TH_LOG("root: by leaf %u entries in %.2f s, by top %u in %.2f s",
	       d.by_leaf, d.t_leaf, d.by_top, d.t_top);
	EXPECT_EQ(0, d.err_leaf);
	EXPECT_EQ(0, d.err_top);
	EXPECT_EQ(1, d.by_leaf);
	EXPECT_EQ(CHAIN_DEPTH + 1, d.by_top);

	memset(&d, 0, sizeof(d));
	d.top = self->top;
	d.leaf = self->leaf;
	ASSERT_EQ(0, nst_run_in_child(0, chain_probe, &d, sizeof(d)));
	TH_LOG("nobody: by leaf %u entries in %.2f s, by top %u in %.2f s",
	       d.by_leaf, d.t_leaf, d.by_top, d.t_top);
	EXPECT_EQ(0, d.err_leaf);
	EXPECT_EQ(0, d.err_top);
	EXPECT_EQ(1, d.by_leaf);
	EXPECT_EQ(CHAIN_DEPTH + 1, d.by_top);
}

int main(int argc, char **argv)
{
	if (argc > 4 && !strcmp(argv[1], ARGS_HELPER))
		return args_helper(argc, argv);
	return test_harness_run(argc, argv);
}
