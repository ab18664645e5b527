// SPDX-License-Identifier: GPL-2.0
/*
 * GET_NS and GET_PROC against /proc's ground truth: nested namespaces 1, 2,
 * 5 and 32 deep with zombies and orphans, the view from inside a child
 * namespace, selections, threads, dumps under a fork storm, 10,000
 * processes, and every malformed request. Where the kernel can translate
 * PIDs itself (nsfs ioctls, Linux 6.11), every NSpid and NStid chain is
 * checked against it too.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/membarrier.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"
#include "procfs.h"

struct pid_list {
	uint32_t *pids;
	size_t n, cap;
	int sorted;		/* entries came in strictly increasing order */
	int decode_errors;
};

static int add_pid(struct pid_list *l, uint32_t pid)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		uint32_t *np = realloc(l->pids, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		l->pids = np;
		l->cap = cap;
	}
	if (l->n && pid <= l->pids[l->n - 1])
		l->sorted = 0;
	l->pids[l->n++] = pid;
	return 0;
}

static int collect_pid(const struct nst_proc *p, void *arg)
{
	return add_pid(arg, p->tid ? p->tid : p->pid);
}

static int list_has(const struct pid_list *l, uint32_t pid)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->pids[i] == pid)
			return 1;
	return 0;
}

static int dump_pids(struct nst_conn *c, const struct nst_proc_sel *sel,
		     struct pid_list *l)
{
	memset(l, 0, sizeof(*l));
	l->sorted = 1;
	return nst_dump_procs(c, sel, collect_pid, l);
}

/*
 * PID translation by the kernel itself, through the nsfs file of a PID
 * namespace (/proc/PID/ns/pid): added in Linux 6.11. The numbers are those
 * of include/uapi/linux/nsfs.h in 6.12; the build's <linux/nsfs.h> (Debian
 * 12's linux-libc-dev, 6.1) does not have them. The argument is the PID
 * itself; the answer is the return value, -ESRCH when the task has no PID
 * on the other side. FROM: a PID in the file's namespace, answered in the
 * caller's. IN: a PID in the caller's namespace, answered in the file's.
 * The TGID forms answer with the thread-group leader's PID.
 */
#ifndef NS_GET_PID_FROM_PIDNS
#define NS_GET_PID_FROM_PIDNS	_IOR(NSIO, 0x6, int)
#define NS_GET_TGID_FROM_PIDNS	_IOR(NSIO, 0x7, int)
#define NS_GET_PID_IN_PIDNS	_IOR(NSIO, 0x8, int)
#define NS_GET_TGID_IN_PIDNS	_IOR(NSIO, 0x9, int)
#endif

/* 1 when the kernel has the ioctls, 0 when it predates them, or -errno. */
static int nsfs_translates(void)
{
	int fd, ret, err;

	fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, NS_GET_PID_IN_PIDNS, (unsigned long)getpid());
	err = errno;
	close(fd);
	if (ret < 0)
		return err == ENOTTY ? 0 : -err;
	return ret == getpid() ? 1 : -EPROTO;
}

#define NSFS_SKIP_MSG "nsfs PID translation (NS_GET_PID_IN_PIDNS, Linux 6.11) is not in this kernel: ENOTTY"

struct nsfs_check {
	struct stat own;	/* the caller's PID namespace file */
	unsigned int entries, checks, bad;
	int err;		/* what stopped a check, -errno */
};

/*
 * Open the PID namespace of every level of @id's chain, the caller's
 * first: the kernel's own chain, from /proc/ID/ns/pid up by NS_GET_PARENT
 * until the caller's namespace. Returns how many (@fds filled), or -errno.
 */
static int open_pidns_chain(uint32_t id, const struct stat *own, int *fds,
			    int max)
{
	char path[64];
	struct stat st;
	int fd, n = 0, i, err;

	snprintf(path, sizeof(path), "/proc/%u/ns/pid", id);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0) {
		if (fstat(fd, &st) || n == max) {
			err = n == max ? -E2BIG : -errno;
			close(fd);
			goto fail;
		}
		fds[n++] = fd;
		if (st.st_dev == own->st_dev && st.st_ino == own->st_ino) {
			for (i = 0; i < n / 2; i++) {
				fd = fds[i];
				fds[i] = fds[n - 1 - i];
				fds[n - 1 - i] = fd;
			}
			return n;
		}
		fd = ioctl(fd, NS_GET_PARENT);
	}
	err = -errno;
fail:
	while (n)
		close(fds[--n]);
	return err;
}

static void nsfs_expect(struct nsfs_check *k, const struct nst_proc *p,
			unsigned int level, const char *what, int got,
			uint32_t want)
{
	k->checks++;
	if (got < 0 || (uint32_t)got != want) {
		printf("# %u (tid %u) level %u: %s says %d, the dump %u\n",
		       p->pid, p->tid, level, what, got < 0 ? -errno : got,
		       want);
		k->bad++;
	}
}

/*
 * One dump entry against the kernel: at every level i of its chain, the
 * kernel translates our ID into the level's namespace (IN) and the
 * dump's ID there back into ours (FROM), for the task and its process.
 */
static int nsfs_check_entry(const struct nst_proc *p, void *arg)
{
	struct nsfs_check *k = arg;
	uint32_t id = p->tid ? p->tid : p->pid;
	const uint32_t *ids = p->tid ? p->nstid : p->nspid;
	unsigned int len = p->tid ? p->nstid_len : p->nspid_len;
	int fds[NST_MAX_LEVELS + 1], n, i;
	struct stat st;

	n = open_pidns_chain(id, &k->own, fds, NST_MAX_LEVELS + 1);
	if (n < 0) {
		printf("# %u: its PID namespaces: %s\n", id, strerror(-n));
		k->err = n;
		return 0;
	}
	k->entries++;
	/* As many levels as the kernel's chain; its own namespace's inode. */
	k->checks += 2;
	if ((unsigned int)n != len || p->nspid_len != len ||
	    fstat(fds[n - 1], &st) || st.st_ino != p->pidns) {
		printf("# %u: %u levels (pidns %u) in the dump, %d in the kernel\n",
		       id, len, p->pidns, n);
		k->bad++;
	}
	for (i = 0; i < n && (unsigned int)i < len; i++) {
		nsfs_expect(k, p, i, "NS_GET_PID_IN_PIDNS",
			    ioctl(fds[i], NS_GET_PID_IN_PIDNS,
				  (unsigned long)id), ids[i]);
		nsfs_expect(k, p, i, "NS_GET_TGID_IN_PIDNS",
			    ioctl(fds[i], NS_GET_TGID_IN_PIDNS,
				  (unsigned long)id), p->nspid[i]);
		nsfs_expect(k, p, i, "NS_GET_PID_FROM_PIDNS",
			    ioctl(fds[i], NS_GET_PID_FROM_PIDNS,
				  (unsigned long)ids[i]), id);
		nsfs_expect(k, p, i, "NS_GET_TGID_FROM_PIDNS",
			    ioctl(fds[i], NS_GET_TGID_FROM_PIDNS,
				  (unsigned long)ids[i]), p->pid);
	}
	while (n)
		close(fds[--n]);
	return 0;
}

FIXTURE(chain) {
	struct nst_conn conn;
	pid_t top;
};

FIXTURE_VARIANT(chain) {
	int depth;
};

FIXTURE_VARIANT_ADD(chain, depth1) { .depth = 1 };
FIXTURE_VARIANT_ADD(chain, depth2) { .depth = 2 };
FIXTURE_VARIANT_ADD(chain, depth5) { .depth = 5 };
FIXTURE_VARIANT_ADD(chain, depth32) { .depth = 32 };

FIXTURE_SETUP(chain)
{
	ASSERT_EQ(0, nst_open(&self->conn));
	self->top = scenario_chain(variant->depth);
	ASSERT_LT(0, self->top) TH_LOG("%m - building %d nested namespaces",
				       variant->depth);
}

FIXTURE_TEARDOWN(chain)
{
	scenario_kill(self->top);
	nst_close(&self->conn);
}

/* Every process, field by field, as /proc shows it. */
TEST_F_TIMEOUT(chain, procs_match_proc, 90)
{
	struct cmp_stats st;

	ASSERT_EQ(0, cmp_dump_with_proc(&self->conn, "/proc", &st));
	EXPECT_EQ(0, st.mismatches);
	EXPECT_EQ(0, st.missing);
	EXPECT_EQ(0, st.extra);
	/* The chain alone is 5 processes per level, all stable. */
	EXPECT_LE(5 * variant->depth, st.compared);
	TH_LOG("%u processes compared", st.compared);
}

/*
 * The same chains against the kernel's own translation: at every level of
 * every process's NSpid, NS_GET_PID_IN_PIDNS and NS_GET_PID_FROM_PIDNS on
 * that level's namespace, found by NS_GET_PARENT from the process's own.
 */
TEST_F_TIMEOUT(chain, nspid_match_nsfs, 90)
{
	struct nst_proc_sel sel = { .subtree = self->top };
	struct nsfs_check k = { 0 };
	int have = nsfs_translates();

	if (!have)
		SKIP(return, NSFS_SKIP_MSG);
	ASSERT_EQ(1, have) TH_LOG("probing NS_GET_PID_IN_PIDNS: %s",
				  strerror(-have));
	ASSERT_EQ(0, stat("/proc/self/ns/pid", &k.own));
	ASSERT_EQ(0, nst_dump_procs(&self->conn, &sel, nsfs_check_entry, &k));
	EXPECT_EQ(0, k.err);
	EXPECT_EQ(0, k.bad);
	EXPECT_EQ(5 * variant->depth, k.entries);
	/*
	 * Level d holds 5 processes, each with d + 1 levels, 4 ioctls a level
	 * and 2 checks of the chain itself.
	 */
	EXPECT_EQ(5 * (2 * variant->depth + 4 * variant->depth *
		       (variant->depth + 3) / 2), k.checks);
	TH_LOG("%u processes, %u checks against the nsfs ioctls", k.entries,
	       k.checks);
}

/* What the chain looks like in the dump: inits, zombies, orphans. */
TEST_F(chain, scenario_shape)
{
	struct nst_proc_sel sel = { .subtree = self->top };
	struct pid_list l;
	struct nst_proc p;
	unsigned int i, inits = 0, zombies = 0;

	ASSERT_EQ(0, dump_pids(&self->conn, &sel, &l));
	EXPECT_EQ(5 * variant->depth, l.n);
	for (i = 0; i < l.n; i++) {
		ASSERT_EQ(0, nst_get_proc(&self->conn, l.pids[i], &p));
		inits += p.ns_init;
		zombies += p.state == 'Z';
		/* Each process's last PID is its PID in its own namespace. */
		EXPECT_EQ(p.level + 1, p.nspid_len);
		if (p.ns_init) {
			EXPECT_EQ(1, p.nspid[p.nspid_len - 1]);
			/* An init's parent is outside its namespace. */
			EXPECT_EQ(0, p.ppid_ns);
		} else {
			/* Everyone else here is a child of that init. */
			EXPECT_EQ(1, p.ppid_ns);
		}
		if (p.state == 'Z') {
			EXPECT_EQ(0, p.mntns);
			EXPECT_EQ(0, p.netns);
			EXPECT_NE(0, p.userns);
		}
	}
	EXPECT_EQ(variant->depth, inits);
	EXPECT_EQ(2 * variant->depth, zombies);
	free(l.pids);
}

struct ns_check {
	struct nst_conn *conn;
	const struct proc_snap *snap;
	uint32_t own;
	unsigned int seen, bad;
	struct nst_ns ns[64];
};

/* Keep the dump's entries; they are checked once the dump is over. */
static int keep_ns(const struct nst_ns *ns, void *arg)
{
	struct ns_check *k = arg;

	if (k->seen < 64)
		k->ns[k->seen] = *ns;
	k->seen++;
	return 0;
}

static void check_ns(const struct nst_ns *ns, struct ns_check *k)
{
	unsigned int procs = 0, threads = 0, zombies = 0;
	const struct proc_rec *init = NULL;
	struct nst_ns one;
	size_t i;
	for (i = 0; i < k->snap->n; i++) {
		const struct proc_rec *r = &k->snap->recs[i];

		if (r->ns[NS_PID] != ns->inum)
			continue;
		procs++;
		threads += r->threads;
		zombies += r->state == 'Z';
		if (r->nspid[r->nspid_len - 1] == 1)
			init = r;
	}
	if (!init || ns->init_pid != init->pid ||
	    ns->level != init->nspid_len - 1 || strcmp(ns->init_comm, init->name) ||
	    ns->nr_procs != procs || ns->nr_threads != threads ||
	    ns->nr_zombies != zombies) {
		printf("# ns %u: dump init %u level %u procs %u threads %u zombies %u; /proc init %u procs %u threads %u zombies %u\n",
		       ns->inum, ns->init_pid, ns->level, ns->nr_procs,
		       ns->nr_threads, ns->nr_zombies, init ? init->pid : 0,
		       procs, threads, zombies);
		k->bad++;
		return;
	}
	if ((ns->inum == k->own) != !ns->parent) {
		printf("# ns %u: parent %u\n", ns->inum, ns->parent);
		k->bad++;
	}
	if (ns->parent && !proc_pidns_within("/proc", init->pid, ns->parent)) {
		printf("# ns %u: %u is not an ancestor\n", ns->inum, ns->parent);
		k->bad++;
	}
	/* Asked for alone, by inode and by its init, it reads the same. */
	if (nst_get_ns(k->conn, ns->inum, 0, &one) || one.inum != ns->inum ||
	    one.nr_procs != ns->nr_procs || one.parent != ns->parent ||
	    nst_get_ns(k->conn, 0, init->pid, &one) || one.inum != ns->inum) {
		printf("# ns %u: GET_NS do disagrees with the dump\n", ns->inum);
		k->bad++;
	}
}

/* Every namespace with its init, parent and counts, as /proc shows them. */
TEST_F(chain, namespaces_match_proc)
{
	struct proc_snap snap;
	struct ns_check k = { .conn = &self->conn, .snap = &snap };
	unsigned int distinct = 0;
	size_t i, j;

	k.own = proc_ns_inum("/proc", getpid(), "pid");
	ASSERT_EQ(0, proc_snap_take("/proc", &snap));
	ASSERT_EQ(0, nst_dump_ns(&self->conn, keep_ns, &k));
	ASSERT_GE(64, k.seen);
	for (i = 0; i < k.seen; i++)
		check_ns(&k.ns[i], &k);
	EXPECT_EQ(0, k.bad);
	/* Exactly the namespaces /proc knows, each once. */
	for (i = 0; i < snap.n; i++) {
		for (j = 0; j < i; j++)
			if (snap.recs[j].ns[NS_PID] == snap.recs[i].ns[NS_PID])
				break;
		distinct += j == i;
	}
	EXPECT_EQ(distinct, k.seen);
	EXPECT_EQ(variant->depth + 1, k.seen);
	for (i = 0; i < k.seen; i++)
		for (j = 0; j < i; j++)
			EXPECT_NE(k.ns[i].inum, k.ns[j].inum);
	proc_snap_free(&snap);
}

/* A subtree selection lists exactly the descendants /proc shows. */
TEST_F(chain, subtree_selection)
{
	struct nst_proc_sel sel = { .subtree = self->top };
	struct proc_snap snap;
	struct pid_list l;
	size_t i, want = 0;

	ASSERT_EQ(0, proc_snap_take("/proc", &snap));
	ASSERT_EQ(0, dump_pids(&self->conn, &sel, &l));
	EXPECT_TRUE(l.sorted);
	for (i = 0; i < snap.n; i++) {
		int in = proc_descends(&snap, snap.recs[i].pid, self->top);

		want += in;
		EXPECT_EQ(in, list_has(&l, snap.recs[i].pid))
			TH_LOG("pid %u", snap.recs[i].pid);
	}
	EXPECT_EQ(want, l.n);
	proc_snap_free(&snap);
	free(l.pids);
}

/* A namespace selection lists its members and its descendants' members. */
TEST_F(chain, namespace_selection)
{
	struct nst_proc_sel by_inum = { 0 }, by_pid = { 0 };
	struct pid_list a, b;
	struct proc_snap snap;
	struct nst_proc deepest;
	size_t i, want = 0;
	uint32_t inum;

	/* The deepest init: the last of the chain's namespace inits. */
	ASSERT_EQ(0, proc_snap_take("/proc", &snap));
	memset(&deepest, 0, sizeof(deepest));
	for (i = 0; i < snap.n; i++) {
		const struct proc_rec *r = &snap.recs[i];

		if (r->nspid_len == (unsigned int)variant->depth + 1 &&
		    r->nspid[r->nspid_len - 1] == 1)
			deepest.pid = r->pid;
	}
	ASSERT_NE(0, deepest.pid);
	/* The middle of the chain, to select more than one level. */
	inum = proc_ns_inum("/proc", self->top, "pid");
	by_inum.ns_inum = inum;
	by_pid.ns_pid = self->top;
	ASSERT_EQ(0, dump_pids(&self->conn, &by_inum, &a));
	ASSERT_EQ(0, dump_pids(&self->conn, &by_pid, &b));
	for (i = 0; i < snap.n; i++) {
		int in = proc_pidns_within("/proc", snap.recs[i].pid, inum);

		want += in;
		EXPECT_EQ(in, list_has(&a, snap.recs[i].pid));
	}
	EXPECT_EQ(want, a.n);
	EXPECT_EQ(5 * variant->depth, a.n);
	EXPECT_EQ(a.n, b.n);
	EXPECT_EQ(0, memcmp(a.pids, b.pids, a.n * sizeof(*a.pids)));
	free(a.pids);
	free(b.pids);
	/* The deepest namespace: its 5 processes only. */
	by_pid.ns_pid = deepest.pid;
	ASSERT_EQ(0, dump_pids(&self->conn, &by_pid, &a));
	EXPECT_EQ(5, a.n);
	free(a.pids);
	proc_snap_free(&snap);
}

/* ---- Namespace IDs (NSTREE_A_NS_ID) ---- */

static int ns_find(const struct nst_ns *ns, unsigned int n, uint32_t inum)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ns[i].inum == inum)
			return (int)i;
	return -1;
}

struct pidns_ids {
	const struct ns_check *k;
	unsigned int procs, bad;
};

/* Every process's pidns-id is the ID its namespace has in GET_NS. */
static int check_proc_id(const struct nst_proc *p, void *arg)
{
	struct pidns_ids *w = arg;
	int i;

	if (!p->pidns)
		return 0;
	w->procs++;
	i = ns_find(w->k->ns, w->k->seen, p->pidns);
	/* A namespace born after the dump began has no entry: skip it. */
	if (i < 0)
		return 0;
	if (p->pidns_id != w->k->ns[i].id) {
		printf("# pid %u: pidns %u id %llu, GET_NS says %llu\n", p->pid,
		       p->pidns, (unsigned long long)p->pidns_id,
		       (unsigned long long)w->k->ns[i].id);
		w->bad++;
	}
	return 0;
}

/*
 * Every namespace has an ID, unique, the same in a second dump, in its
 * children's parent-id, in GET_NS by inode and by ID, in GET_INFO and in
 * every process's pidns-id.
 */
TEST_F(chain, namespace_ids)
{
	struct ns_check a = { .conn = &self->conn }, b = { .conn = &self->conn };
	struct pidns_ids w = { .k = &a };
	struct nst_info info;
	struct nst_ns one;
	unsigned int i, j;
	int p;

	ASSERT_EQ(0, nst_dump_ns(&self->conn, keep_ns, &a));
	ASSERT_EQ(0, nst_dump_ns(&self->conn, keep_ns, &b));
	ASSERT_GE(64, a.seen);
	ASSERT_EQ(variant->depth + 1, a.seen);
	ASSERT_EQ(a.seen, b.seen);
	for (i = 0; i < a.seen; i++) {
		EXPECT_NE(0, a.ns[i].id) TH_LOG("ns %u has no ID", a.ns[i].inum);
		for (j = 0; j < i; j++)
			EXPECT_NE(a.ns[i].id, a.ns[j].id);
		p = ns_find(b.ns, b.seen, a.ns[i].inum);
		ASSERT_LE(0, p);
		EXPECT_EQ(a.ns[i].id, b.ns[p].id) TH_LOG("ns %u changed ID",
							 a.ns[i].inum);
		if (a.ns[i].parent) {
			p = ns_find(a.ns, a.seen, a.ns[i].parent);
			ASSERT_LE(0, p);
			EXPECT_EQ(a.ns[p].id, a.ns[i].parent_id);
		} else {
			EXPECT_EQ(0, a.ns[i].parent_id);
		}
		ASSERT_EQ(0, nst_get_ns(&self->conn, a.ns[i].inum, 0, &one));
		EXPECT_EQ(a.ns[i].id, one.id);
		ASSERT_EQ(0, nst_get_ns_by_id(&self->conn, a.ns[i].id, &one));
		EXPECT_EQ(a.ns[i].inum, one.inum);
		EXPECT_EQ(a.ns[i].id, one.id);
		EXPECT_EQ(a.ns[i].parent_id, one.parent_id);
	}
	ASSERT_EQ(0, nst_get_info(&self->conn, 0, &info));
	p = ns_find(a.ns, a.seen, info.inum);
	ASSERT_LE(0, p);
	EXPECT_EQ(a.ns[p].id, info.id);
	ASSERT_EQ(0, nst_get_info(&self->conn, self->top, &info));
	p = ns_find(a.ns, a.seen, info.inum);
	ASSERT_LE(0, p);
	EXPECT_EQ(a.ns[p].id, info.id);
	ASSERT_EQ(0, nst_dump_procs(&self->conn, NULL, check_proc_id, &w));
	EXPECT_EQ(0, w.bad);
	EXPECT_LE(5 * variant->depth, w.procs);
}

/* Selecting by ID lists what selecting by inode lists; a bad ID is ENOENT. */
TEST_F(chain, namespace_selection_by_id)
{
	struct nst_proc_sel by_inum = { 0 }, by_id = { 0 };
	struct nst_ns ns;
	struct pid_list a, b;
	uint64_t max = 0;
	unsigned int i;
	struct ns_check k = { .conn = &self->conn };

	ASSERT_EQ(0, nst_get_ns(&self->conn, 0, self->top, &ns));
	ASSERT_NE(0, ns.id);
	by_inum.ns_inum = ns.inum;
	by_id.ns_id = ns.id;
	ASSERT_EQ(0, dump_pids(&self->conn, &by_inum, &a));
	ASSERT_EQ(0, dump_pids(&self->conn, &by_id, &b));
	EXPECT_EQ(5 * variant->depth, b.n);
	ASSERT_EQ(a.n, b.n);
	EXPECT_EQ(0, memcmp(a.pids, b.pids, a.n * sizeof(*a.pids)));
	free(a.pids);
	free(b.pids);
	/* Both ways at once is refused. */
	by_id.ns_inum = ns.inum;
	EXPECT_EQ(-EINVAL, dump_pids(&self->conn, &by_id, &a));
	free(a.pids);
	/* An ID no namespace has (beyond every one given so far). */
	ASSERT_EQ(0, nst_dump_ns(&self->conn, keep_ns, &k));
	for (i = 0; i < k.seen && i < 64; i++)
		max = k.ns[i].id > max ? k.ns[i].id : max;
	EXPECT_EQ(-ENOENT, nst_get_ns_by_id(&self->conn, max + 1000000, &ns));
	by_id.ns_inum = 0;
	by_id.ns_id = max + 1000000;
	EXPECT_EQ(-ENOENT, dump_pids(&self->conn, &by_id, &a));
	free(a.pids);
}

#define NSID_TRIES 200

/* A new namespace's init, waiting for a byte (or EOF) to exit. */
static pid_t ns_holder(int *go)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = nst_clone3(CLONE_NEWPID);
	if (pid == 0) {
		close(fds[1]);
		nst_wait_byte(fds[0]);
		_exit(0);
	}
	close(fds[0]);
	if (pid < 0)
		close(fds[1]);
	*go = fds[1];
	return pid;
}

/*
 * Namespaces are created and destroyed one after the other, so that the
 * kernel hands a freed inode number to the next: each one, reused number
 * or not, gets an ID never seen before. Everything runs on one CPU, with
 * an RCU grace period waited for (membarrier) after each namespace's
 * death, so that the freed struct pid_namespace, which goes back to that
 * CPU's slab freelist, is the very one the next namespace gets: a new
 * namespace at the old address and with the old inode number, the case
 * an ID keyed by either alone would get wrong.
 */
TEST(namespace_id_not_reused)
{
	cpu_set_t one_cpu;
	struct { uint32_t inum; uint64_t id; } seen[NSID_TRIES];
	unsigned int n = 0, i, reused = 0;
	struct nst_conn c;
	struct nst_proc p;
	struct nst_ns ns;
	int go, err;
	pid_t pid;

	CPU_ZERO(&one_cpu);
	CPU_SET(0, &one_cpu);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one_cpu), &one_cpu));
	ASSERT_EQ(0, nst_open(&c));
	while (n < NSID_TRIES && reused < 20) {
		pid = ns_holder(&go);
		ASSERT_LT(0, pid);
		err = nst_get_proc(&c, pid, &p);
		ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), c.extack);
		ASSERT_NE(0, p.pidns_id);
		ASSERT_EQ(0, nst_get_ns(&c, p.pidns, 0, &ns));
		EXPECT_EQ(p.pidns_id, ns.id);
		for (i = 0; i < n; i++) {
			EXPECT_NE(seen[i].id, p.pidns_id)
				TH_LOG("ID %llu given to inode %u and %u",
				       (unsigned long long)p.pidns_id,
				       seen[i].inum, p.pidns);
			/* IDs only ever grow. */
			EXPECT_LT(seen[i].id, p.pidns_id);
			if (seen[i].inum == p.pidns) {
				reused++;
				break;
			}
		}
		seen[n].inum = p.pidns;
		seen[n++].id = p.pidns_id;
		nst_send_byte(go);
		close(go);
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	}
	TH_LOG("%u namespaces, %u inode numbers reused", n, reused);
	/* The point of the test: a number came back, its ID did not. */
	ASSERT_LT(0, reused) TH_LOG("no inode number came back in %u namespaces",
				    n);
	/* The dead namespace's ID names nothing any more. */
	EXPECT_EQ(-ENOENT, nst_get_ns_by_id(&c, seen[0].id, &ns));
	nst_close(&c);
}

struct child_view {
	uint32_t host_pidns;
	pid_t host_pid;
	struct cmp_stats st;
	int err;
	unsigned int namespaces, ancestors_seen, own_with_parent;
	int info_err;
};

static int count_view_ns(const struct nst_ns *ns, void *arg)
{
	struct child_view *v = arg;

	v->namespaces++;
	if (ns->inum == v->host_pidns || ns->parent == v->host_pidns)
		v->ancestors_seen++;
	if (ns->level == 0 && ns->parent)
		v->own_with_parent++;
	return 0;
}

static int view_from_child(void *buf, size_t len)
{
	struct child_view *v = buf;
	struct nst_info info;
	struct nst_conn c;
	pid_t top;

	(void)len;
	/* Our own /proc, so the ground truth is this namespace's view. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		return 10;
	if (nst_open(&c))
		return 11;
	top = scenario_chain(3);
	if (top < 0)
		return 12;
	v->err = cmp_dump_with_proc(&c, "/proc", &v->st);
	if (!v->err)
		v->err = nst_dump_ns(&c, count_view_ns, v);
	v->info_err = nst_get_info(&c, v->host_pid, &info);
	scenario_kill(top);
	nst_close(&c);
	return 0;
}

/* From inside a namespace: its part only, translated, nothing above. */
TEST(child_namespace_view)
{
	struct child_view v = {
		.host_pidns = proc_ns_inum("/proc", getpid(), "pid"),
		.host_pid = getpid(),
	};

	ASSERT_EQ(0, nst_run_in_child(CLONE_NEWPID | CLONE_NEWNS,
				      view_from_child, &v, sizeof(v)));
	EXPECT_EQ(0, v.err);
	EXPECT_EQ(0, v.st.mismatches);
	EXPECT_EQ(0, v.st.missing);
	EXPECT_EQ(0, v.st.extra);
	/* Our init, the chain's 15 processes; nothing from the host. */
	EXPECT_LE(16, v.st.compared);
	EXPECT_GE(20, v.st.compared);
	EXPECT_EQ(4, v.namespaces);
	EXPECT_EQ(0, v.ancestors_seen);
	EXPECT_EQ(0, v.own_with_parent);
	EXPECT_EQ(-ENOENT, v.info_err);
}

static void *block(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int threaded_child(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, block, NULL))
			return 1;
	for (;;)
		pause();
}

/* Threads: one entry each, with their IDs at every level. */
TEST(threads)
{
	struct nst_proc_sel sel = { .threads = 1 };
	struct nst_conn c;
	struct pid_list l;
	char path[64];
	pid_t pid;
	size_t i;
	int tries;

	ASSERT_EQ(0, nst_open(&c));
	pid = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(threaded_child());
	for (tries = 0; tries < 500; tries++) {
		struct proc_snap s;
		const struct proc_rec *r;

		ASSERT_EQ(0, proc_snap_take("/proc", &s));
		r = proc_snap_find(&s, pid);
		i = r ? r->threads : 0;
		proc_snap_free(&s);
		if (i == 4)
			break;
		usleep(10000);
	}
	ASSERT_EQ(4, i);
	sel.subtree = pid;
	ASSERT_EQ(0, dump_pids(&c, &sel, &l));
	EXPECT_EQ(4, l.n);
	EXPECT_TRUE(l.sorted);
	for (i = 0; i < l.n; i++) {
		struct proc_snap s;
		const struct proc_rec *r;

		/* /proc/PID/task/TID/status has the thread's NSpid chain. */
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		ASSERT_EQ(0, proc_snap_take(path, &s));
		r = proc_snap_find(&s, l.pids[i]);
		ASSERT_NE(NULL, r) TH_LOG("tid %u not in %s", l.pids[i], path);
		EXPECT_EQ(2, r->nspid_len);
		proc_snap_free(&s);
	}
	/* A thread's ID names its process: the same four, and ps -p says so. */
	{
		struct pid_list l2;
		char out[64], want[32];
		uint32_t tid = l.pids[0] == (uint32_t)pid ? l.pids[1] : l.pids[0];

		sel.subtree = tid;
		ASSERT_EQ(0, dump_pids(&c, &sel, &l2));
		EXPECT_EQ(4, l2.n);
		free(l2.pids);
		EXPECT_EQ(0, nst_sh(out, sizeof(out), "nstree ps -n -o pid -p %u",
				    tid));
		snprintf(want, sizeof(want), "%d\n", pid);
		EXPECT_STREQ(want, out + strspn(out, " "));
	}
	free(l.pids);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	nst_close(&c);
}

struct thread_chain {
	struct nst_conn *c;
	pid_t pid;
	unsigned int bad;
};

static int check_thread_entry(const struct nst_proc *p, void *arg)
{
	struct thread_chain *k = arg;
	char path[96];
	struct proc_snap s;
	const struct proc_rec *r;

	snprintf(path, sizeof(path), "/proc/%d/task", k->pid);
	if (proc_snap_take(path, &s))
		return -EIO;
	r = proc_snap_find(&s, p->tid);
	if (!r || p->pid != (uint32_t)k->pid || p->nstid_len != r->nspid_len ||
	    memcmp(p->nstid, r->nspid, r->nspid_len * sizeof(r->nspid[0])) ||
	    p->nspid_len != 2 || p->nspid[1] != 1) {
		printf("# thread %u: chain differs from /proc\n", p->tid);
		k->bad++;
	}
	proc_snap_free(&s);
	return 0;
}

TEST(thread_chains_match_proc)
{
	struct nst_proc_sel sel = { .threads = 1 };
	struct thread_chain k = { 0 };
	struct nst_conn c;
	struct nst_proc p;
	int tries;

	ASSERT_EQ(0, nst_open(&c));
	k.c = &c;
	k.pid = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, k.pid);
	if (k.pid == 0)
		_exit(threaded_child());
	for (tries = 0; tries < 500; tries++) {
		if (!nst_get_proc(&c, k.pid, &p) && p.threads == 4)
			break;
		usleep(10000);
	}
	ASSERT_EQ(4, p.threads);
	sel.subtree = k.pid;
	EXPECT_EQ(0, nst_dump_procs(&c, &sel, check_thread_entry, &k));
	EXPECT_EQ(0, k.bad);
	kill(k.pid, SIGKILL);
	waitpid(k.pid, NULL, 0);
	nst_close(&c);
}

/*
 * Threads against the kernel's translation: a thread's ID at each level
 * (NS_GET_PID_*) and its process's (NS_GET_TGID_*), which differ here.
 */
TEST(thread_chains_match_nsfs)
{
	struct nst_proc_sel sel = { .threads = 1 };
	struct nsfs_check k = { 0 };
	struct nst_conn c;
	struct nst_proc p = { 0 };
	int have = nsfs_translates(), tries;
	pid_t pid;

	if (!have)
		SKIP(return, NSFS_SKIP_MSG);
	ASSERT_EQ(1, have) TH_LOG("probing NS_GET_PID_IN_PIDNS: %s",
				  strerror(-have));
	ASSERT_EQ(0, stat("/proc/self/ns/pid", &k.own));
	ASSERT_EQ(0, nst_open(&c));
	pid = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(threaded_child());
	for (tries = 0; tries < 500; tries++) {
		if (!nst_get_proc(&c, pid, &p) && p.threads == 4)
			break;
		usleep(10000);
	}
	EXPECT_EQ(4, p.threads);
	sel.subtree = pid;
	EXPECT_EQ(0, nst_dump_procs(&c, &sel, nsfs_check_entry, &k));
	EXPECT_EQ(0, k.err);
	EXPECT_EQ(0, k.bad);
	/* 4 threads of 2 levels: 4 ioctls a level, 2 checks of the chain. */
	EXPECT_EQ(4, k.entries);
	EXPECT_EQ(4 * (2 + 2 * 4), k.checks);
	TH_LOG("%u threads, %u checks against the nsfs ioctls", k.entries,
	       k.checks);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	nst_close(&c);
}

/*
 * A connection to the module. The slow tests use it with TEST_F_TIMEOUT:
 * the harness's default timeout is 30 s.
 */
FIXTURE(conn) {
	struct nst_conn conn;
};

FIXTURE_SETUP(conn)
{
	ASSERT_EQ(0, nst_open(&self->conn));
}

FIXTURE_TEARDOWN(conn)
{
	nst_close(&self->conn);
}

static void __attribute__((noreturn)) storm(void)
{
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

/* 100 dumps while processes come and go: no error, nothing twice. */
TEST_F_TIMEOUT(conn, storm_100_dumps, 480)
{
	struct nst_proc_sel sel = { 0 };
	struct nst_conn *c = &self->conn;
	struct pid_list l;
	pid_t forkers[2];
	size_t total = 0;
	int i;

	for (i = 0; i < 2; i++) {
		forkers[i] = fork();
		ASSERT_LE(0, forkers[i]);
		if (forkers[i] == 0)
			storm();
	}
	for (i = 0; i < 100; i++) {
		sel.threads = i & 1;
		ASSERT_EQ(0, dump_pids(c, &sel, &l)) TH_LOG("dump %d", i);
		/* The cursor only moves forward: increasing means unique. */
		EXPECT_TRUE(l.sorted) TH_LOG("dump %d repeats or reorders", i);
		EXPECT_TRUE(list_has(&l, getpid()));
		total += l.n;
		free(l.pids);
	}
	for (i = 0; i < 2; i++) {
		kill(forkers[i], SIGKILL);
		waitpid(forkers[i], NULL, 0);
	}
	TH_LOG("100 dumps, %zu entries in all", total);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_children(const struct nst_proc *p, void *arg)
{
	uint32_t *want = arg;

	if (p->ppid == want[0])
		want[1]++;
	return 0;
}

/* 10,000 processes: every one of them in the dump, each once. */
TEST_F_TIMEOUT(conn, ten_thousand, 480)
{
	enum { N = 10000 };
	struct nst_proc_sel sel = { .subtree = getpid() };
	struct nst_conn *c = &self->conn;
	struct proc_snap snap;
	struct pid_list l;
	uint32_t arg[2] = { getpid(), 0 };
	pid_t *kids;
	double t0, t_dump, t_proc;
	int i, made = 0;

	kids = calloc(N, sizeof(*kids));
	ASSERT_NE(NULL, kids);
	for (i = 0; i < N; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				pause();
		if (kids[i] < 0)
			break;
		made++;
	}
	EXPECT_EQ(N, made) TH_LOG("%m - only %d processes", made);

	t0 = now();
	EXPECT_EQ(0, nst_dump_procs(c, NULL, count_children, arg));
	t_dump = now() - t0;
	EXPECT_EQ(made, arg[1]);
	EXPECT_EQ(0, dump_pids(c, &sel, &l));
	EXPECT_EQ(made + 1, l.n);
	EXPECT_TRUE(l.sorted);
	free(l.pids);

	t0 = now();
	ASSERT_EQ(0, proc_snap_take("/proc", &snap));
	t_proc = now() - t0;
	EXPECT_LE(made, snap.n);
	proc_snap_free(&snap);
	TH_LOG("%d processes: dump %.3f s, /proc status+ns scan %.3f s (ratio %.1f)",
	       made, t_dump, t_proc, t_proc / t_dump);

	for (i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
}

struct args_check {
	pid_t pid;
	char want[8192];
	size_t want_len;
	int seen, bad;
};

static int check_args(const struct nst_proc *p, void *arg)
{
	struct args_check *k = arg;
	size_t n = k->want_len < 4096 ? k->want_len : 4096;

	if (p->pid != (uint32_t)k->pid)
		return 0;
	k->seen++;
	if (!p->args || p->args_len != n || memcmp(p->args, k->want, n)) {
		printf("# args: %zu bytes in the dump, %zu wanted\n",
		       p->args ? p->args_len : 0, n);
		k->bad++;
	}
	return 0;
}

static int no_args_for_kthreads(const struct nst_proc *p, void *arg)
{
	int *bad = arg;

	/* kthreadd and its children have no user memory. */
	if ((p->pid == 2 || p->ppid == 2) && p->args)
		(*bad)++;
	return 0;
}

/* The arguments, as /proc/PID/cmdline has them, cut at 4096 bytes. */
TEST_F(conn, args_match_cmdline)
{
	struct nst_proc_sel sel = { .args = 1 };
	struct args_check k = { 0 };
	char path[64], big[6000];
	size_t lens[2];
	int round, bad = 0;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (round = 0; round < 2; round++) {
		ssize_t n;
		int fd;

		memset(&k, 0, sizeof(k));
		k.pid = fork();
		ASSERT_LE(0, k.pid);
		if (k.pid == 0) {
			/* $0 makes the argument area long in round 1. */
			execl("/bin/sh", "sh", "-c", "exec sleep 1000",
			      round ? big : "short", NULL);
			_exit(127);
		}
		/* Wait for the exec of sleep to be done. */
		snprintf(path, sizeof(path), "/proc/%d/cmdline", k.pid);
		for (n = 0; n < 500; n++) {
			fd = open(path, O_RDONLY);
			ASSERT_LE(0, fd);
			k.want_len = read(fd, k.want, sizeof(k.want));
			close(fd);
			if (!strcmp(k.want, "sleep"))
				break;
			usleep(10000);
		}
		ASSERT_STREQ("sleep", k.want);
		ASSERT_EQ(0, nst_dump_procs(&self->conn, &sel, check_args, &k));
		EXPECT_EQ(1, k.seen);
		EXPECT_EQ(0, k.bad);
		lens[round] = k.want_len;
		kill(k.pid, SIGKILL);
		waitpid(k.pid, NULL, 0);
	}
	EXPECT_EQ(strlen("sleep") + 1 + strlen("1000") + 1, lens[0]);
	EXPECT_EQ(0, nst_dump_procs(&self->conn, &sel, no_args_for_kthreads,
				    &bad));
	EXPECT_EQ(0, bad);
}

/* ---- malformed requests: each an error code and a message ---- */

struct put {
	int type;	/* attribute */
	int kind;	/* 0 u32, 1 u64, 2 string, 3 flag, 4 u8 */
	uint32_t val;
};

static int put_attrs(struct nl_msg *msg, void *arg)
{
	const struct put *p;
	int err = 0;

	for (p = arg; p->type; p++) {
		switch (p->kind) {
		case 0: err |= nla_put_u32(msg, p->type, p->val); break;
		case 1: err |= nla_put_u64(msg, p->type, p->val); break;
		case 2: err |= nla_put_string(msg, p->type, "x"); break;
		case 3: err |= nla_put_flag(msg, p->type); break;
		case 4: err |= nla_put_u8(msg, p->type, p->val); break;
		}
	}
	return err;
}

#define REJECT(cmd, flags, err, msg, ...) do {				\
	struct put __p[] = { __VA_ARGS__, { 0 } };			\
	EXPECT_EQ(err, nst_send(&self->conn, cmd, flags, put_attrs, __p)); \
	EXPECT_NE(NULL, strstr(self->conn.extack, msg))			\
		TH_LOG("extack '%s', wanted '%s'", self->conn.extack, msg); \
} while (0)

TEST_F(conn, bad_get_ns)
{
	uint32_t host = proc_ns_inum("/proc", getpid(), "pid");

	EXPECT_EQ(-EINVAL, nst_send(&self->conn, NSTREE_CMD_GET_NS, 0, NULL,
				    NULL));
	EXPECT_NE(NULL, strstr(self->conn.extack, "name the namespace"));
	REJECT(NSTREE_CMD_GET_NS, 0, -EINVAL, "one way",
	       { NSTREE_A_NS_INUM, 0, host }, { NSTREE_A_NS_PID, 0, 1 });
	REJECT(NSTREE_CMD_GET_NS, 0, -ENOENT, "no such PID namespace",
	       { NSTREE_A_NS_INUM, 0, 12345 });
	REJECT(NSTREE_CMD_GET_NS, 0, -ENOENT, "no such process",
	       { NSTREE_A_NS_PID, 0, 4194304 });
	REJECT(NSTREE_CMD_GET_NS, 0, -ERANGE, "integer out of range",
	       { NSTREE_A_NS_PID, 0, 0 });
	REJECT(NSTREE_CMD_GET_NS, 0, -EINVAL, "length",
	       { NSTREE_A_NS_INUM, 1, host });
	REJECT(NSTREE_CMD_GET_NS, 0, -EINVAL, "length",
	       { NSTREE_A_NS_PID, 2, 0 });
	REJECT(NSTREE_CMD_GET_NS, NLM_F_DUMP, -EINVAL, "a dump lists every",
	       { NSTREE_A_NS_INUM, 0, host });
	REJECT(NSTREE_CMD_GET_NS, NLM_F_DUMP, -EINVAL, "Unknown attribute",
	       { NSTREE_A_NS_MAX + 1, 0, 1 });
}

TEST_F(conn, bad_get_proc)
{
	EXPECT_EQ(-EINVAL, nst_send(&self->conn, NSTREE_CMD_GET_PROC, 0, NULL,
				    NULL));
	EXPECT_NE(NULL, strstr(self->conn.extack, "NSTREE_A_PROC_PID is missing"));
	REJECT(NSTREE_CMD_GET_PROC, 0, -ENOENT, "no such process",
	       { NSTREE_A_PROC_PID, 0, 4194304 });
	REJECT(NSTREE_CMD_GET_PROC, 0, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_PID, 0, 0 });
	REJECT(NSTREE_CMD_GET_PROC, 0, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_PID, 0, 4194305 });
	REJECT(NSTREE_CMD_GET_PROC, 0, -EINVAL, "dumps only",
	       { NSTREE_A_PROC_PID, 0, 1 }, { NSTREE_A_PROC_SEL_THREADS, 4, 1 });
	REJECT(NSTREE_CMD_GET_PROC, 0, -EINVAL, "length",
	       { NSTREE_A_PROC_PID, 1, 1 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -EINVAL, "not a PID",
	       { NSTREE_A_PROC_PID, 0, 1 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ENOENT, "no such PID namespace",
	       { NSTREE_A_PROC_SEL_NS_INUM, 0, 12345 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ENOENT, "no such process",
	       { NSTREE_A_PROC_SEL_NS_PID, 0, 4194304 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -EINVAL, "one way",
	       { NSTREE_A_PROC_SEL_NS_INUM, 0, 1 },
	       { NSTREE_A_PROC_SEL_NS_PID, 0, 1 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ENOENT, "no such process",
	       { NSTREE_A_PROC_SEL_SUBTREE, 0, 4194304 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_SEL_SUBTREE, 0, 0 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_SEL_NS_PID, 0, 0 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_SEL_NS_PID, 0, 4194305 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -EINVAL, "length",
	       { NSTREE_A_PROC_SEL_SUBTREE, 2, 0 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -EINVAL, "length",
	       { NSTREE_A_PROC_SEL_THREADS, 0, 1 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_SEL_THREADS, 4, 2 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_WITH_ARGS, 4, 7 });
	REJECT(NSTREE_CMD_GET_PROC, 0, -ERANGE, "integer out of range",
	       { NSTREE_A_PROC_PID, 0, 1 }, { NSTREE_A_PROC_WITH_ARGS, 4, 2 });
	REJECT(NSTREE_CMD_GET_PROC, NLM_F_DUMP, -EINVAL, "Unknown attribute",
	       { NSTREE_A_PROC_MAX + 1, 0, 1 });
}

/* Ancestors do not exist for a caller inside a namespace. */
static int ancestor_lookups(void *buf, size_t len)
{
	uint32_t *host = buf;
	struct nst_conn c;
	struct nst_ns ns;
	struct nst_proc p;
	int bad = 0;

	(void)len;
	if (nst_open(&c))
		return 100;
	bad |= nst_get_ns(&c, host[0], 0, &ns) != -ENOENT;
	bad |= (nst_get_proc(&c, host[1], &p) != -ENOENT) << 1;
	bad |= (nst_get_proc(&c, 1, &p) != 0 || p.ppid != 0 ||
		p.nspid_len != 1 || p.nspid[0] != 1) << 2;
	nst_close(&c);
	return bad;
}

TEST(no_ancestors_from_inside)
{
	uint32_t host[2] = { proc_ns_inum("/proc", getpid(), "pid"),
			     getpid() };

	EXPECT_EQ(0, nst_run_in_child(CLONE_NEWPID, ancestor_lookups, host,
				      sizeof(host)));
}

TEST_HARNESS_MAIN
