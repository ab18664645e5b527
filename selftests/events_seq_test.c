// SPDX-License-Identifier: GPL-2.0
/*
 * The exact event sequence of every process, scenario by scenario, as the
 * kernel's code paths make it: exit_notify(), forget_original_parent(),
 * find_new_reaper(), reparent_leader(), release_task(),
 * delay_group_leader() and wait_task_zombie() of kernel/exit.c, de_thread()
 * of fs/exec.c and zap_pid_ns_processes(), read in 6.12 (the 6.1 guest
 * takes the same paths in every scenario here). Each expected sequence is
 * written from that code, not from what the module reports; a scenario
 * that the module gets wrong fails.
 *
 * The kernel's rules the scenarios rely on:
 *
 * - exit_notify() of an exiting task first hands its children to their new
 *   parent (forget_original_parent()), and only then notifies its own
 *   parent (do_notify_parent(): ZOMBIE, or AUTOREAP when the parent
 *   ignores SIGCHLD). For a parent P with a child C, C's REPARENT comes
 *   before P's ZOMBIE or AUTOREAP.
 * - find_new_reaper(): a live thread of the exiting one's process (reason
 *   thread), else the nearest ancestor subreaper with a live thread
 *   (subreaper), else the namespace's init (ns-init).
 * - reparent_leader() notifies the new parent again (do_notify_parent())
 *   of a child that is already a zombie, untraced, with no thread left: a
 *   second ZOMBIE, to the new parent (or an AUTOREAP, when the new parent
 *   ignores SIGCHLD: the exiting parent then releases the zombie itself).
 * - A leader that exits while its threads live is not notified
 *   (delay_group_leader()): its process gets ZOMBIE when the last thread
 *   is released (release_task() calls do_notify_parent() for the leader).
 * - A traced process notifies its tracer first; its real parent is told
 *   (ZOMBIE, or AUTOREAP when it ignores SIGCHLD) when the tracer's wait
 *   lets go of it (wait_task_zombie(), EXIT_TRACE). A ZOMBIE names the
 *   real parent, and there is one ZOMBIE or AUTOREAP for that parent.
 *
 * Per process the sequence is FORK, [EXEC...], [REPARENT...], EXIT,
 * ZOMBIE or AUTOREAP, REAP, REPARENTs interleaved with EXECs in the order
 * the kernel did them; threads add their FORK and EXIT.
 *
 * Sequences are written with names the test gives to its processes
 * ("me" is the test itself), one token per event:
 *
 *   fork(PARENT)  thread(TID)  exec  exit  exit(TID)  zombie(PARENT)
 *   autoreap(PARENT)  reap(REAPER,reason)  reparent(OLD>NEW,reason)
 *   ns-init-exit
 *
 * where exit is the leader's and exit(TID) a thread's, and OLD and NEW are
 * written PROC.TID when the parent thread is not the leader. The events
 * come from a subscriber limited to the test's own subtree; the test is a
 * subreaper, so no orphan leaves it. No sleep stands in for a handshake:
 * pipes, waitid(WNOWAIT), the tracer's SIGCHLD, the kernel's own state in
 * /proc, and the events themselves. After each scenario a barrier (a
 * child forked, reaped and seen reaped) makes sure every event the
 * scenario caused has been read.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "lib.h"

#define EV_TIMEOUT_MS	20000
#define STATE_TIMEOUT_S	20
#define MAX_NAMES	32
#define MAX_KIDS	8
#define SEQ_LEN		1024

enum name_kind { NAME_PROC, NAME_THREAD, NAME_NS, NAME_MARK };

struct name {
	uint32_t id;
	enum name_kind kind;
	char s[8];
};

FIXTURE(seq) {
	struct nst_conn c;
	struct nst_evlog log;
	struct name names[MAX_NAMES];
	int nnames;
	pid_t kids[MAX_KIDS];
	int nkids;
};

typedef FIXTURE_DATA(seq) seq_t;

/* ---- Names ---- */

static void name(seq_t *self, uint32_t id, enum name_kind kind,
		 const char *s)
{
	struct name *n;

	if (self->nnames == MAX_NAMES)
		return;
	n = &self->names[self->nnames++];
	n->id = id;
	n->kind = kind;
	snprintf(n->s, sizeof(n->s), "%s", s);
}

/* The name of a process or thread ID, "?ID" when unnamed, "-" for none. */
static const char *nm(seq_t *self, uint32_t id)
{
	static char bufs[8][16];
	static int next;
	char *b;
	int i;

	if (!id)
		return "-";
	for (i = 0; i < self->nnames; i++)
		if (self->names[i].id == id && self->names[i].kind != NAME_NS)
			return self->names[i].s;
	b = bufs[next++ % 8];
	snprintf(b, sizeof(bufs[0]), "?%u", id);
	return b;
}

/* A process a scenario made: named, and killed at teardown if left. */
static void kid(seq_t *self, pid_t pid, const char *s)
{
	name(self, pid, NAME_PROC, s);
	if (self->nkids < MAX_KIDS)
		self->kids[self->nkids++] = pid;
}

static void reaped(seq_t *self, pid_t pid)
{
	int i;

	for (i = 0; i < self->nkids; i++)
		if (self->kids[i] == pid)
			self->kids[i] = self->kids[--self->nkids];
}

/* ---- Events as tokens ---- */

/* A parent or reaper: PROC, or PROC.TID for a thread not the leader. */
static void who(seq_t *self, const struct nst_ev_proc *p, char *out,
		size_t size)
{
	if (!p->present)
		snprintf(out, size, "-");
	else if (p->tid && p->tid != p->pid)
		snprintf(out, size, "%s.%s", nm(self, p->pid), nm(self, p->tid));
	else
		snprintf(out, size, "%s", nm(self, p->pid));
}

static void token(seq_t *self, const struct nst_event *e, char *out,
		  size_t size)
{
	char a[40], b[40];

	switch (e->type) {
	case NSTREE_EV_FORK:
		if (e->thread)
			snprintf(out, size, "thread(%s)", nm(self, e->proc.tid));
		else
			snprintf(out, size, "fork(%s)", e->parent.present ?
				 nm(self, e->parent.pid) : "-");
		break;
	case NSTREE_EV_EXIT:
		if (e->thread)
			snprintf(out, size, "exit(%s)", nm(self, e->proc.tid));
		else
			snprintf(out, size, "exit");
		break;
	case NSTREE_EV_ZOMBIE:
	case NSTREE_EV_AUTOREAP:
		snprintf(out, size, "%s(%s)", nst_event_name(e->type),
			 e->parent.present ? nm(self, e->parent.pid) : "-");
		break;
	case NSTREE_EV_REAP:
		snprintf(out, size, "reap(%s,%s)",
			 e->reaper.present ? nm(self, e->reaper.pid) : "-",
			 nst_reap_reason_name(e->reason));
		break;
	case NSTREE_EV_REPARENT:
		who(self, &e->old_parent, a, sizeof(a));
		who(self, &e->parent, b, sizeof(b));
		snprintf(out, size, "reparent(%s>%s,%s)", a, b,
			 nst_reparent_reason_name(e->reason));
		break;
	case NSTREE_EV_NS_CREATED:
		snprintf(out, size, "ns-created(%u by %s)", e->ns_inum,
			 nm(self, e->proc.pid));
		break;
	case NSTREE_EV_NS_DESTROYED:
		snprintf(out, size, "ns-destroyed(%u)", e->ns_inum);
		break;
	case NSTREE_EV_LOST:
		snprintf(out, size, "lost(%llu)", (unsigned long long)e->lost);
		break;
	default:
		snprintf(out, size, "%s", nst_event_name(e->type) ?: "?");
	}
}

/* Every event about the process @pid, as tokens joined by commas. */
static const char *seq_of(seq_t *self, uint32_t pid, char *out, size_t size)
{
	size_t i, len = 0;
	char t[96];

	out[0] = '\0';
	for (i = 0; i < self->log.n; i++) {
		const struct nst_event *e = &self->log.ev[i];

		if (e->proc.pid != pid || e->type == NSTREE_EV_NS_CREATED)
			continue;
		token(self, e, t, sizeof(t));
		len += snprintf(out + len, size - len, "%s%s", len ? "," : "", t);
		if (len >= size)
			break;
	}
	return out;
}

/* The events about the namespace @inum: created(BY),init-exit(INIT),destroyed */
static const char *ns_seq(seq_t *self, uint32_t inum, char *out, size_t size)
{
	size_t i, len = 0;
	char t[64];

	out[0] = '\0';
	for (i = 0; i < self->log.n; i++) {
		const struct nst_event *e = &self->log.ev[i];

		if (e->ns_inum != inum)
			continue;
		if (e->type == NSTREE_EV_NS_CREATED)
			snprintf(t, sizeof(t), "created(%s)", nm(self, e->proc.pid));
		else if (e->type == NSTREE_EV_NS_INIT_EXIT)
			snprintf(t, sizeof(t), "init-exit(%s)", nm(self, e->proc.pid));
		else if (e->type == NSTREE_EV_NS_DESTROYED)
			snprintf(t, sizeof(t), "destroyed");
		else
			continue;
		len += snprintf(out + len, size - len, "%s%s", len ? "," : "", t);
		if (len >= size)
			break;
	}
	return out;
}

static int one_of(const char *seen, const char *const *alts)
{
	for (; *alts; alts++)
		if (!strcmp(seen, *alts))
			return 1;
	return 0;
}

static const char *alts_str(const char *const *alts, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (; *alts && len < size; alts++)
		len += snprintf(out + len, size - len, "%s%s",
				len ? "\n#   or       " : "", *alts);
	return out;
}

/*
 * The events about @pid are exactly one of the sequences given (more than
 * one only where the kernel's order is a race: threads killed together).
 */
#define EXPECT_SEQ(pid, ...) do {					\
	static const char *const alts_[] = { __VA_ARGS__, NULL };	\
	char seen_[SEQ_LEN], want_[2 * SEQ_LEN];			\
									\
	seq_of(self, (pid), seen_, sizeof(seen_));			\
	EXPECT_TRUE(one_of(seen_, alts_))				\
		TH_LOG("%s:\n#   observed %s\n#   expected %s",		\
		       nm(self, (pid)), seen_,				\
		       alts_str(alts_, want_, sizeof(want_)));		\
} while (0)

#define EXPECT_NS(inum, want) do {					\
	char seen_[SEQ_LEN];						\
									\
	ns_seq(self, (inum), seen_, sizeof(seen_));			\
	EXPECT_STREQ((want), seen_)					\
		TH_LOG("namespace %u", (inum));				\
} while (0)

/* Index of the @nth (from 1) event of @type about @pid, or -1. */
static int ev_at(seq_t *self, uint32_t type, uint32_t pid, int nth)
{
	size_t i;

	for (i = 0; i < self->log.n; i++)
		if (self->log.ev[i].type == type &&
		    self->log.ev[i].proc.pid == pid && !--nth)
			return i;
	return -1;
}

static const struct nst_event *ev_get(seq_t *self, uint32_t type,
				      uint32_t pid, int nth)
{
	int i = ev_at(self, type, pid, nth);

	return i < 0 ? NULL : &self->log.ev[i];
}

static int ns_ev_at(seq_t *self, uint32_t type, uint32_t inum)
{
	size_t i;

	for (i = 0; i < self->log.n; i++)
		if (self->log.ev[i].type == type &&
		    self->log.ev[i].ns_inum == inum)
			return i;
	return -1;
}

static int count(seq_t *self, uint32_t type, uint32_t pid)
{
	return nst_ev_count(&self->log, type, pid);
}

/* The @n1-th event of @t1 about @p1 comes before the @n2-th of @t2 about @p2. */
#define EXPECT_BEFORE(t1, p1, n1, t2, p2, n2) do {			\
	int a_ = ev_at(self, (t1), (p1), (n1));				\
	int b_ = ev_at(self, (t2), (p2), (n2));				\
									\
	EXPECT_TRUE(a_ >= 0 && b_ >= 0 && a_ < b_)			\
		TH_LOG("%s #%d of %s (event %d) must come before %s #%d of %s (event %d)", \
		       nst_event_name(t1), (n1), nm(self, (p1)), a_,	\
		       nst_event_name(t2), (n2), nm(self, (p2)), b_);	\
} while (0)

/* ---- Waiting for events ---- */

struct want {
	uint32_t type, id;
	int n;
	int ns;		/* id is a namespace inode */
};

static int have(const struct nst_evlog *log, void *arg)
{
	const struct want *w = arg;
	size_t i;
	int n = 0;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == w->type &&
		    (w->ns ? log->ev[i].ns_inum : log->ev[i].proc.pid) == w->id)
			n++;
	return n >= w->n;
}

/* Read events until there are @n of @type about @pid. */
static int wait_for(seq_t *self, uint32_t type, uint32_t pid, int n)
{
	struct want w = { .type = type, .id = pid, .n = n };

	return nst_ev_wait(&self->c, &self->log, have, &w, EV_TIMEOUT_MS);
}

static int wait_ns(seq_t *self, uint32_t type, uint32_t inum)
{
	struct want w = { .type = type, .id = inum, .n = 1, .ns = 1 };

	return nst_ev_wait(&self->c, &self->log, have, &w, EV_TIMEOUT_MS);
}

struct want_kid {
	uint32_t parent;
	int nth;
	int thread;
	uint32_t found;
};

/* The @nth process forked by @parent, or the @nth thread of process @parent. */
static int have_kid(const struct nst_evlog *log, void *arg)
{
	struct want_kid *w = arg;
	int n = 0;
	size_t i;

	for (i = 0; i < log->n; i++) {
		const struct nst_event *e = &log->ev[i];

		if (e->type != NSTREE_EV_FORK || !!e->thread != w->thread)
			continue;
		if ((w->thread ? e->proc.pid : e->parent.pid) != w->parent)
			continue;
		if (++n == w->nth) {
			w->found = w->thread ? e->proc.tid : e->proc.pid;
			return 1;
		}
	}
	return 0;
}

static pid_t wait_kid(seq_t *self, pid_t parent, int nth, int thread)
{
	struct want_kid w = { .parent = parent, .nth = nth, .thread = thread };

	if (nst_ev_wait(&self->c, &self->log, have_kid, &w, EV_TIMEOUT_MS))
		return -1;
	return w.found;
}

#define wait_child(self, parent, nth)	wait_kid(self, parent, nth, 0)
#define wait_thread(self, pid, nth)	wait_kid(self, pid, nth, 1)

/*
 * Read up to a child forked, reaped and seen reaped now. Its fork takes
 * tasklist_lock after any exit_notify() or release_task() already under
 * way, whose ZOMBIE or AUTOREAP is published under that lock, so those
 * come before its FORK; and whatever a scenario's processes caused up to
 * their last wait was published before that wait returned. The
 * subscriber gets it all in order.
 */
static int barrier(seq_t *self)
{
	pid_t m = fork();

	if (m < 0)
		return -errno;
	if (m == 0)
		_exit(0);
	name(self, m, NAME_MARK, "mark");
	if (waitpid(m, NULL, 0) != m)
		return -errno;
	return wait_for(self, NSTREE_EV_REAP, m, 1);
}

/* The NS_INUM of the process @pid, from its FORK event. */
static uint32_t ns_of(seq_t *self, pid_t pid)
{
	const struct nst_event *e = ev_get(self, NSTREE_EV_FORK, pid, 1);

	return e ? e->proc.pidns_inum : 0;
}

/* ---- Kernel state the kernel tells no one about ---- */

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * A leader that exits while its threads live notifies nobody: its state in
 * /proc/PID/stat (Z, set by exit_notify() under tasklist_lock, after its
 * children were handed on) is the only word of it.
 */
static int wait_proc_state(pid_t pid, char want)
{
	struct timespec t0;
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == want)
				return 0;
		}
		if (since(&t0) > STATE_TIMEOUT_S)
			return -ETIMEDOUT;
		sched_yield();
	}
}

/* A thread that exits by itself tells no one either: until it is released. */
static int wait_gone(pid_t pid, pid_t tid)
{
	struct timespec t0;
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, tid);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (stat(path, &st) == 0) {
		if (since(&t0) > STATE_TIMEOUT_S)
			return -ETIMEDOUT;
		sched_yield();
	}
	return errno == ENOENT ? 0 : -errno;
}

/* ---- Children's side ---- */

static void put_int(int fd, int v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(98);
}

static int get_int(int fd, int *v)
{
	ssize_t n;

	do
		n = read(fd, v, sizeof(*v));
	while (n < 0 && errno == EINTR);
	return n == sizeof(*v) ? 0 : -1;
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/*
 * The calling thread exits, its process lives on: the exit system call,
 * which pthread_exit() ends with (pthread_exit() itself needs libgcc_s
 * for its unwinding, which the guest does not have).
 */
static void thread_exit(void)
{
	syscall(SYS_exit, 0);
}

static void *pause_forever(void *arg)
{
	for (;;)
		pause();
	return arg;
}

struct thr_arg {
	int rep;	/* the thread's TID is written here */
	int go;		/* and it exits when this says so */
	int code;
};

static void *report_then_exit(void *arg)
{
	struct thr_arg *a = arg;

	put_int(a->rep, gettid());
	nst_wait_byte(a->go);
	_exit(a->code);
}

/* ---- Fixture ---- */

FIXTURE_SETUP(seq)
{
	struct nst_sub_opts o = { .subtree = getpid() };
	int err;

	/* No orphan of a scenario may leave the subtree watched. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	name(self, getpid(), NAME_PROC, "me");
	err = nst_ev_subscribe(&self->c, &o);
	ASSERT_EQ(0, err) TH_LOG("subscribe: %s (%s)", strerror(-err),
				 self->c.extack);
}

FIXTURE_TEARDOWN(seq)
{
	char s[SEQ_LEN], t[96];
	size_t i;
	int k;

	/* What each process and namespace went through. */
	for (k = 0; k < self->nnames; k++) {
		struct name *n = &self->names[k];

		if (n->kind == NAME_PROC && strcmp(n->s, "me"))
			TH_LOG("%-4s %s", n->s, seq_of(self, n->id, s, sizeof(s)));
		else if (n->kind == NAME_NS)
			TH_LOG("%-4s %s", n->s, ns_seq(self, n->id, s, sizeof(s)));
	}
	if (_metadata->exit_code == KSFT_FAIL) {
		fprintf(stderr, "# the whole stream, in order:\n");
		for (i = 0; i < self->log.n; i++) {
			const struct nst_event *e = &self->log.ev[i];

			token(self, e, t, sizeof(t));
			fprintf(stderr, "#   %4llu %-5s %s\n",
				(unsigned long long)e->seq, nm(self, e->proc.pid), t);
		}
	}
	for (k = 0; k < self->nkids; k++) {
		kill(self->kids[k], SIGKILL);
		waitpid(self->kids[k], NULL, 0);
	}
	EXPECT_EQ(0, self->log.gap_error) TH_LOG("a sequence gap with no LOST");
	EXPECT_EQ(0, self->log.lost);
	nst_close(&self->c);
	nst_evlog_free(&self->log);
}

/* ---- Scenarios ---- */

/* A child exits, its parent sees it with WNOWAIT, then reaps it. */
TEST_F(seq, fork_exit_wait)
{
	const struct nst_event *e;
	siginfo_t si;
	pid_t p;

	p = fork();
	ASSERT_LE(0, p);
	if (p == 0)
		_exit(5);
	kid(self, p, "P");
	ASSERT_EQ(0, waitid(P_PID, p, &si, WEXITED | WNOWAIT));
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_ZOMBIE, p, 1));
	ASSERT_EQ(0, barrier(self));
	EXPECT_EQ(0, count(self, NSTREE_EV_REAP, p))
		TH_LOG("REAP while the zombie waits");
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	reaped(self, p);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(p, "fork(me),exit,zombie(me),reap(me,parent)");
	e = ev_get(self, NSTREE_EV_EXIT, p, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(5 << 8, e->exit_code);
	EXPECT_TRUE(e->group_dead);
}

/*
 * P dies while its child C lives, inside a PID namespace whose init I is
 * ours and reaps: C goes to I (ns-init) before P's own ZOMBIE.
 */
TEST_F(seq, orphan_adopted_by_ns_init)
{
	const struct nst_event *e;
	pid_t init, p, c;
	uint32_t ns;
	int go[2];

	ASSERT_EQ(0, pipe(go));
	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0) {
		close(go[1]);
		if (fork() == 0) {
			if (fork() == 0) {
				nst_wait_byte(go[0]);
				_exit(0);
			}
			_exit(0);
		}
		reap_all();
		_exit(0);
	}
	close(go[0]);
	kid(self, init, "I");
	p = wait_child(self, init, 1);
	ASSERT_LT(0, p);
	name(self, p, NAME_PROC, "P");
	c = wait_child(self, p, 1);
	ASSERT_LT(0, c);
	name(self, c, NAME_PROC, "C");
	ns = ns_of(self, init);
	ASSERT_NE(0, ns);
	name(self, ns, NAME_NS, "ns");
	/* P is gone, reaped by I; C still lives. */
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	nst_send_byte(go[1]);
	ASSERT_EQ(init, waitpid(init, NULL, 0));
	reaped(self, init);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, init, 1));
	ASSERT_EQ(0, wait_ns(self, NSTREE_EV_NS_DESTROYED, ns));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(c, "fork(P),reparent(P>I,ns-init),exit,zombie(I),reap(I,ns-init)");
	EXPECT_SEQ(p, "fork(I),exit,zombie(I),reap(I,parent)");
	EXPECT_SEQ(init, "fork(me),exit,ns-init-exit,zombie(me),reap(me,parent)");
	EXPECT_NS(ns, "created(me),init-exit(I),destroyed");
	EXPECT_BEFORE(NSTREE_EV_EXIT, p, 1, NSTREE_EV_REPARENT, c, 1);
	EXPECT_BEFORE(NSTREE_EV_REPARENT, c, 1, NSTREE_EV_ZOMBIE, p, 1);
	e = ev_get(self, NSTREE_EV_NS_INIT_EXIT, init, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(0, e->count);
	EXPECT_EQ(ns, e->ns_inum);
}

/*
 * Subreapers S1 > S2 > P > C: P dies (C goes to S2), then S2 dies (C goes
 * on to S1). Each adoption is a REPARENT, before the dying one's ZOMBIE.
 */
TEST_F(seq, orphan_adopted_by_subreaper_chain)
{
	int go_s2[2], go_c[2];
	pid_t s1, s2, p, c;

	ASSERT_EQ(0, pipe(go_s2));
	ASSERT_EQ(0, pipe(go_c));
	s1 = fork();
	ASSERT_LE(0, s1);
	if (s1 == 0) {
		close(go_s2[1]);
		close(go_c[1]);
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		if (fork() == 0) {
			prctl(PR_SET_CHILD_SUBREAPER, 1);
			p = fork();
			if (p == 0) {
				if (fork() == 0) {
					nst_wait_byte(go_c[0]);
					_exit(0);
				}
				_exit(0);
			}
			waitpid(p, NULL, 0);
			nst_wait_byte(go_s2[0]);
			_exit(0);
		}
		reap_all();
		_exit(0);
	}
	close(go_s2[0]);
	close(go_c[0]);
	kid(self, s1, "S1");
	s2 = wait_child(self, s1, 1);
	ASSERT_LT(0, s2);
	name(self, s2, NAME_PROC, "S2");
	p = wait_child(self, s2, 1);
	ASSERT_LT(0, p);
	name(self, p, NAME_PROC, "P");
	c = wait_child(self, p, 1);
	ASSERT_LT(0, c);
	name(self, c, NAME_PROC, "C");
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	nst_send_byte(go_s2[1]);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, s2, 1));
	nst_send_byte(go_c[1]);
	ASSERT_EQ(s1, waitpid(s1, NULL, 0));
	reaped(self, s1);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, s1, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(c, "fork(P),reparent(P>S2,subreaper),reparent(S2>S1,subreaper),"
		      "exit,zombie(S1),reap(S1,subreaper)");
	EXPECT_SEQ(p, "fork(S2),exit,zombie(S2),reap(S2,parent)");
	EXPECT_SEQ(s2, "fork(S1),exit,zombie(S1),reap(S1,parent)");
	EXPECT_SEQ(s1, "fork(me),exit,zombie(me),reap(me,parent)");
	EXPECT_BEFORE(NSTREE_EV_EXIT, p, 1, NSTREE_EV_REPARENT, c, 1);
	EXPECT_BEFORE(NSTREE_EV_REPARENT, c, 1, NSTREE_EV_ZOMBIE, p, 1);
	EXPECT_BEFORE(NSTREE_EV_EXIT, s2, 1, NSTREE_EV_REPARENT, c, 2);
	EXPECT_BEFORE(NSTREE_EV_REPARENT, c, 2, NSTREE_EV_ZOMBIE, s2, 1);
}

static void *fork_a_waiter(void *arg)
{
	if (fork() == 0) {
		nst_wait_byte(*(int *)arg);
		_exit(0);
	}
	return NULL;	/* this thread exits; its process lives on */
}

/*
 * A thread T forks C and exits while its process P lives: C's parent is
 * now another thread of P (reason thread), without any notification.
 */
TEST_F(seq, orphan_adopted_by_sibling_thread)
{
	int go_c[2], go_p[2];
	pid_t p, t, c;

	ASSERT_EQ(0, pipe(go_c));
	ASSERT_EQ(0, pipe(go_p));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		static int fd;
		pthread_t th;

		close(go_c[1]);
		close(go_p[1]);
		fd = go_c[0];
		if (pthread_create(&th, NULL, fork_a_waiter, &fd) ||
		    pthread_join(th, NULL))
			_exit(1);
		nst_wait_byte(go_p[0]);
		reap_all();
		_exit(0);
	}
	close(go_c[0]);
	close(go_p[0]);
	kid(self, p, "P");
	t = wait_thread(self, p, 1);
	ASSERT_LT(0, t);
	name(self, t, NAME_THREAD, "T");
	c = wait_child(self, p, 1);
	ASSERT_LT(0, c);
	name(self, c, NAME_PROC, "C");
	/* T released: its exit_notify() handed C on. */
	ASSERT_EQ(0, wait_gone(p, t));
	nst_send_byte(go_c[1]);
	nst_send_byte(go_p[1]);
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	reaped(self, p);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(c, "fork(P),reparent(P.T>P,thread),exit,zombie(P),reap(P,parent)");
	EXPECT_SEQ(p, "fork(me),thread(T),exit(T),exit,zombie(me),reap(me,parent)");
	EXPECT_BEFORE(NSTREE_EV_EXIT, p, 1, NSTREE_EV_REPARENT, c, 1);
}

/*
 * The double-fork daemon: P forks D1, which forks D2 in a new session and
 * exits at once; P reaps D1; D2 goes to the nearest subreaper (the test),
 * later execs and exits.
 */
TEST_F(seq, double_fork_daemon)
{
	pid_t p, d1, d2;
	int go[2], st;

	ASSERT_EQ(0, pipe(go));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		pid_t d;

		close(go[1]);
		d = fork();
		if (d == 0) {
			setsid();
			if (fork() == 0) {
				nst_wait_byte(go[0]);
				execl("/bin/sh", "sh", "-c", "exit 0", (char *)NULL);
				_exit(127);
			}
			_exit(0);
		}
		waitpid(d, NULL, 0);
		_exit(0);
	}
	close(go[0]);
	kid(self, p, "P");
	d1 = wait_child(self, p, 1);
	ASSERT_LT(0, d1);
	name(self, d1, NAME_PROC, "D1");
	d2 = wait_child(self, d1, 1);
	ASSERT_LT(0, d2);
	kid(self, d2, "D2");
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	reaped(self, p);
	/* D1 was reaped by P, which waited for it: D2 is ours now. */
	nst_send_byte(go[1]);
	ASSERT_EQ(d2, waitpid(d2, &st, 0));
	reaped(self, d2);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, d2, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(d2, "fork(D1),reparent(D1>me,subreaper),exec,exit,zombie(me),reap(me,subreaper)");
	EXPECT_SEQ(d1, "fork(P),exit,zombie(P),reap(P,parent)");
	EXPECT_SEQ(p, "fork(me),exit,zombie(me),reap(me,parent)");
	EXPECT_BEFORE(NSTREE_EV_EXIT, d1, 1, NSTREE_EV_REPARENT, d2, 1);
	EXPECT_BEFORE(NSTREE_EV_REPARENT, d2, 1, NSTREE_EV_ZOMBIE, d1, 1);
}

/* P ignores SIGCHLD (or sets SA_NOCLDWAIT): its child is released at once. */
static void autoreap(struct __test_metadata *_metadata, seq_t *self,
		     int nocldwait)
{
	pid_t p, c;
	int go[2];

	ASSERT_EQ(0, pipe(go));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		struct sigaction sa = { .sa_handler = SIG_IGN };

		close(go[1]);
		if (nocldwait) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags = SA_NOCLDWAIT;
		}
		sigaction(SIGCHLD, &sa, NULL);
		if (fork() == 0)
			_exit(0);
		nst_wait_byte(go[0]);
		_exit(0);
	}
	close(go[0]);
	kid(self, p, "P");
	c = wait_child(self, p, 1);
	ASSERT_LT(0, c);
	name(self, c, NAME_PROC, "C");
	/* P stays until C is released: an orphan would be ours, not P's. */
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, c, 1));
	nst_send_byte(go[1]);
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	reaped(self, p);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(c, "fork(P),exit,autoreap(P),reap(C,self)");
	EXPECT_SEQ(p, "fork(me),exit,zombie(me),reap(me,parent)");
}

TEST_F(seq, sigchld_ignored)
{
	autoreap(_metadata, self, 0);
}

TEST_F(seq, sa_nocldwait)
{
	autoreap(_metadata, self, 1);
}

/*
 * clone3() with CLONE_PARENT: the exit signal must be 0 (the kernel gives
 * the child its caller's leader's, here SIGCHLD).
 */
static pid_t clone_parent(void)
{
	struct clone_args args = { .flags = CLONE_PARENT };

	return syscall(SYS_clone3, &args, sizeof(args));
}

/* P clones C with CLONE_PARENT: C's parent is P's parent, the test. */
TEST_F(seq, clone_parent)
{
	const struct nst_event *e;
	int go[2], rep[2], st;
	pid_t p, c;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(rep));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		close(go[1]);
		close(rep[0]);
		c = clone_parent();
		if (c == 0) {
			nst_wait_byte(go[0]);
			_exit(2);
		}
		put_int(rep[1], c);
		_exit(c < 0);
	}
	close(go[0]);
	close(rep[1]);
	kid(self, p, "P");
	ASSERT_EQ(0, get_int(rep[0], &c));
	ASSERT_LT(0, c);
	kid(self, c, "C");
	ASSERT_EQ(p, waitpid(p, &st, 0));
	reaped(self, p);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* C outlives P, and is our child all along: no REPARENT. */
	nst_send_byte(go[1]);
	ASSERT_EQ(c, waitpid(c, &st, 0));
	reaped(self, c);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, c, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(c, "fork(me),exit,zombie(me),reap(me,parent)");
	EXPECT_SEQ(p, "fork(me),exit,zombie(me),reap(me,parent)");
	e = ev_get(self, NSTREE_EV_FORK, c, 1);
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(e->clone_flags & CLONE_PARENT);
}

/*
 * X's leader exits alone (the exit system call, as pthread_exit()) while
 * its thread T lives, untraced: no ZOMBIE then (delay_group_leader());
 * exactly one when T, the last thread, is released.
 */
TEST_F(seq, leader_exits_first)
{
	const struct nst_event *e;
	int go[2], rep[2], st;
	pid_t x, t;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(rep));
	x = fork();
	ASSERT_LE(0, x);
	if (x == 0) {
		static struct thr_arg a;
		pthread_t th;

		close(go[1]);
		close(rep[0]);
		a = (struct thr_arg){ .rep = rep[1], .go = go[0], .code = 3 };
		if (pthread_create(&th, NULL, report_then_exit, &a))
			_exit(1);
		thread_exit();
	}
	close(go[0]);
	close(rep[1]);
	kid(self, x, "X");
	ASSERT_EQ(0, get_int(rep[0], &t));
	name(self, t, NAME_THREAD, "T");
	ASSERT_EQ(0, wait_proc_state(x, 'Z'));
	ASSERT_EQ(0, barrier(self));
	EXPECT_EQ(0, count(self, NSTREE_EV_ZOMBIE, x) +
		     count(self, NSTREE_EV_AUTOREAP, x))
		TH_LOG("ZOMBIE or AUTOREAP while a thread lives");
	nst_send_byte(go[1]);
	ASSERT_EQ(x, waitpid(x, &st, 0));
	reaped(self, x);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, x, 1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(x, "fork(me),thread(T),exit,exit(T),zombie(me),reap(me,parent)");
	e = ev_get(self, NSTREE_EV_EXIT, x, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(x, e->proc.tid);
	EXPECT_FALSE(e->group_dead);
	e = ev_get(self, NSTREE_EV_EXIT, x, 2);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(t, e->proc.tid);
	EXPECT_TRUE(e->group_dead);
	EXPECT_EQ(3 << 8, e->exit_code);
}

/* X: its thread reports its TID and waits; the leader exits when told. */
static void leader_first_body(int go_l, int go_t, int rep)
{
	static struct thr_arg a;
	pthread_t th;

	a = (struct thr_arg){ .rep = rep, .go = go_t, .code = 3 };
	if (pthread_create(&th, NULL, report_then_exit, &a))
		_exit(1);
	nst_wait_byte(go_l);
	thread_exit();
	_exit(1);
}

/* SIGCHLD with si_pid @pid, taken while blocked. */
static int wait_sigchld(pid_t pid)
{
	siginfo_t si;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	do {
		si.si_pid = 0;
		if (sigwaitinfo(&set, &si) < 0 && errno != EINTR)
			return -errno;
	} while (si.si_pid != pid);
	return 0;
}

/*
 * R: seize X's leader (and T with @all), tell @trc; when the leader's
 * exit_notify() signals its tracer, tell @trc 1; wait for T (tell 2),
 * then for the leader (tell its status).
 */
static void tracer_body(pid_t x, pid_t t, int all, int trc)
{
	sigset_t set;
	int st;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (ptrace(PTRACE_SEIZE, x, 0, 0) ||
	    (all && ptrace(PTRACE_SEIZE, t, 0, 0))) {
		put_int(trc, -errno);
		_exit(1);
	}
	put_int(trc, 0);
	if (wait_sigchld(x))
		_exit(2);
	put_int(trc, 1);
	if (all) {
		if (waitpid(t, &st, __WALL) != t)
			_exit(3);
		put_int(trc, 2);
	}
	if (waitpid(x, &st, __WALL) != x)
		_exit(4);
	put_int(trc, st);
	_exit(0);
}

enum trace_mode {
	TRACER_ALL,		/* R seizes both threads; X's parent: the test */
	TRACER_LEADER,		/* R seizes the leader only */
	TRACER_IS_PARENT,	/* the test, X's parent, seizes both */
	TRACER_PARENT_IGNORES,	/* R seizes both; X's parent P ignores SIGCHLD */
};

/*
 * The same, traced. The leader's exit_notify() tells its tracer (SIGCHLD)
 * and no one else: no ZOMBIE while T lives. T exits and is released, by
 * the tracer's wait or, untraced, by itself: release_task() then notifies
 * the leader's tracer. The tracer's wait for the leader lets go of it:
 *
 * - a tracer that is not the parent hands it to the real parent
 *   (wait_task_zombie(), EXIT_TRACE: do_notify_parent() to the parent),
 *   which reaps it; or, when the parent ignores SIGCHLD, that
 *   notification says autoreap and the tracer releases it (reason other);
 * - a tracer that is the parent reaps it (EXIT_DEAD).
 *
 * One ZOMBIE (or AUTOREAP) naming the real parent, then the REAP.
 */
static void leader_first_traced(struct __test_metadata *_metadata,
				seq_t *self, enum trace_mode mode)
{
	int go_l[2], go_t[2], go_p[2], rep[2], rep_p[2], trc[2], st, v;
	int all = mode != TRACER_LEADER;
	pid_t p = 0, x, t, r = 0;
	sigset_t set;

	ASSERT_EQ(0, pipe(go_l));
	ASSERT_EQ(0, pipe(go_t));
	ASSERT_EQ(0, pipe(go_p));
	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(rep_p));
	ASSERT_EQ(0, pipe(trc));
	if (mode == TRACER_PARENT_IGNORES) {
		p = fork();
		ASSERT_LE(0, p);
		if (p == 0) {
			close(go_l[1]);
			close(go_t[1]);
			close(go_p[1]);
			signal(SIGCHLD, SIG_IGN);
			x = fork();
			if (x == 0)
				leader_first_body(go_l[0], go_t[0], rep[1]);
			put_int(rep_p[1], x);
			nst_wait_byte(go_p[0]);
			_exit(0);
		}
		kid(self, p, "P");
		close(rep_p[1]);
		ASSERT_EQ(0, get_int(rep_p[0], &x));
		ASSERT_LT(0, x);
		name(self, x, NAME_PROC, "X");
	} else {
		x = fork();
		ASSERT_LE(0, x);
		if (x == 0) {
			close(go_l[1]);
			close(go_t[1]);
			leader_first_body(go_l[0], go_t[0], rep[1]);
		}
		kid(self, x, "X");
	}
	close(go_l[0]);
	close(go_t[0]);
	close(go_p[0]);
	close(rep[1]);
	if (!p)
		close(rep_p[1]);
	ASSERT_EQ(0, get_int(rep[0], &t));
	name(self, t, NAME_THREAD, "T");

	if (mode == TRACER_IS_PARENT) {
		sigemptyset(&set);
		sigaddset(&set, SIGCHLD);
		ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
		if (ptrace(PTRACE_SEIZE, x, 0, 0) || ptrace(PTRACE_SEIZE, t, 0, 0))
			SKIP(return, "PTRACE_SEIZE: %s", strerror(errno));
		nst_send_byte(go_l[1]);
		ASSERT_EQ(0, wait_sigchld(x));
		ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &set, NULL));
	} else {
		r = fork();
		ASSERT_LE(0, r);
		if (r == 0) {
			close(trc[0]);
			tracer_body(x, t, all, trc[1]);
		}
		close(trc[1]);
		kid(self, r, "R");
		ASSERT_EQ(0, get_int(trc[0], &v));
		if (v < 0)
			SKIP(return, "PTRACE_SEIZE: %s", strerror(-v));
		nst_send_byte(go_l[1]);
		ASSERT_EQ(0, get_int(trc[0], &v));
		ASSERT_EQ(1, v);
	}
	ASSERT_EQ(0, barrier(self));
	EXPECT_EQ(0, count(self, NSTREE_EV_ZOMBIE, x) +
		     count(self, NSTREE_EV_AUTOREAP, x))
		TH_LOG("ZOMBIE or AUTOREAP while a thread lives");
	nst_send_byte(go_t[1]);

	if (mode == TRACER_IS_PARENT) {
		ASSERT_EQ(t, waitpid(t, &st, __WALL));
		ASSERT_EQ(x, waitpid(x, &st, __WALL));
		reaped(self, x);
	} else {
		if (all) {
			ASSERT_EQ(0, get_int(trc[0], &v));
			ASSERT_EQ(2, v);
		}
		ASSERT_EQ(0, get_int(trc[0], &st));
	}
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3)
		TH_LOG("the tracer's wait: status %#x", st);
	if (r) {
		ASSERT_EQ(r, waitpid(r, &st, 0));
		reaped(self, r);
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	if (mode == TRACER_ALL || mode == TRACER_LEADER) {
		ASSERT_EQ(x, waitpid(x, &st, 0));
		reaped(self, x);
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	}
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, x, 1));
	if (p) {
		nst_send_byte(go_p[1]);
		ASSERT_EQ(p, waitpid(p, NULL, 0));
		reaped(self, p);
		ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	}
	ASSERT_EQ(0, barrier(self));

	if (mode == TRACER_PARENT_IGNORES) {
		EXPECT_SEQ(x, "fork(P),thread(T),exit,exit(T),autoreap(P),reap(R,other)");
		EXPECT_SEQ(p, "fork(me),exit,zombie(me),reap(me,parent)");
	} else {
		EXPECT_SEQ(x, "fork(me),thread(T),exit,exit(T),zombie(me),reap(me,parent)");
	}
	if (r)
		EXPECT_SEQ(r, "fork(me),exit,zombie(me),reap(me,parent)");
}

TEST_F(seq, leader_exits_first_traced)
{
	leader_first_traced(_metadata, self, TRACER_ALL);
}

TEST_F(seq, leader_exits_first_leader_traced)
{
	leader_first_traced(_metadata, self, TRACER_LEADER);
}

TEST_F(seq, leader_exits_first_traced_by_parent)
{
	leader_first_traced(_metadata, self, TRACER_IS_PARENT);
}

TEST_F(seq, leader_exits_first_traced_parent_ignores_sigchld)
{
	leader_first_traced(_metadata, self, TRACER_PARENT_IGNORES);
}

struct exec_arg {
	int rep, out;
};

static void *exec_from_thread(void *arg)
{
	struct exec_arg *a = arg;

	put_int(a->rep, gettid());
	dup2(a->out, 1);
	execl("/bin/sh", "sh", "-c", "echo $$", (char *)NULL);
	_exit(127);
}

/*
 * A thread T that is not the leader calls execve(). de_thread() kills the
 * other threads, the leader included (its EXIT: not group dead), waits
 * for the leader to be a zombie, gives T the leader's PID and releases
 * the old leader (a thread, not the process: no REAP). Then EXEC, and the
 * process, now with T as its leader under the old PID, lives on.
 */
TEST_F(seq, non_leader_exec)
{
	const struct nst_event *e1, *e2;
	int rep[2], out[2], st, n;
	char buf[64] = "";
	size_t got = 0, i;
	pid_t x, t;

	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(out));
	x = fork();
	ASSERT_LE(0, x);
	if (x == 0) {
		static struct exec_arg a;
		pthread_t th;

		close(rep[0]);
		close(out[0]);
		a = (struct exec_arg){ .rep = rep[1], .out = out[1] };
		if (pthread_create(&th, NULL, exec_from_thread, &a))
			_exit(1);
		pause_forever(NULL);
	}
	close(rep[1]);
	close(out[1]);
	kid(self, x, "X");
	ASSERT_EQ(0, get_int(rep[0], &t));
	name(self, t, NAME_THREAD, "T");
	while (got < sizeof(buf) - 1) {
		ssize_t r = read(out[0], buf + got, sizeof(buf) - 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	buf[got] = '\0';
	ASSERT_EQ(x, waitpid(x, &st, 0));
	reaped(self, x);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, x, 1));
	ASSERT_EQ(0, barrier(self));

	/* What the kernel did. */
	n = atoi(buf);
	TH_LOG("the kernel: thread %d of process %d called execve(); the shell it ran has $$ = %d",
	       t, x, n);
	EXPECT_EQ(x, n) TH_LOG("the exec'ing thread took the leader's PID");
	/* What the stream says. */
	e1 = ev_get(self, NSTREE_EV_EXIT, x, 1);
	e2 = ev_get(self, NSTREE_EV_EXIT, x, 2);
	ASSERT_NE(NULL, e1);
	ASSERT_NE(NULL, e2);
	TH_LOG("the stream: EXIT tid %u thread %d group_dead %d code %#x; EXIT tid %u thread %d group_dead %d code %#x",
	       e1->proc.tid, e1->thread, e1->group_dead, e1->exit_code,
	       e2->proc.tid, e2->thread, e2->group_dead, e2->exit_code);
	EXPECT_SEQ(x, "fork(me),thread(T),exit,exec,exit,zombie(me),reap(me,parent)");
	/* The old leader, killed by de_thread(), with T still alive. */
	EXPECT_EQ(x, e1->proc.tid);
	EXPECT_FALSE(e1->thread);
	EXPECT_FALSE(e1->group_dead);
	/* T, under the leader's PID since the exec. */
	EXPECT_EQ(x, e2->proc.tid);
	EXPECT_FALSE(e2->thread);
	EXPECT_TRUE(e2->group_dead);
	/* Nothing but its birth names T's own TID. */
	for (n = 0, i = 0; i < self->log.n; i++)
		n += self->log.ev[i].proc.tid == (uint32_t)t;
	EXPECT_EQ(1, n);
}

/*
 * P forks X, which R traces. X exits: exit_notify() tells R only. R's
 * wait (EXIT_TRACE) then tells P: when P ignores SIGCHLD, do_notify_parent()
 * says autoreap and R releases X itself (reason other); otherwise X waits
 * for P, which reaps it.
 */
static void traced_child(struct __test_metadata *_metadata, seq_t *self,
			 int parent_ignores)
{
	int go_x[2], go_p[2], rep[2], trc[2], st, v;
	pid_t p, x, r;

	ASSERT_EQ(0, pipe(go_x));
	ASSERT_EQ(0, pipe(go_p));
	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(trc));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		close(go_x[1]);
		close(go_p[1]);
		close(rep[0]);
		if (parent_ignores)
			signal(SIGCHLD, SIG_IGN);
		x = fork();
		if (x == 0) {
			nst_wait_byte(go_x[0]);
			_exit(4);
		}
		put_int(rep[1], x);
		if (parent_ignores)
			nst_wait_byte(go_p[0]);
		else
			waitpid(x, NULL, 0);
		_exit(0);
	}
	close(go_x[0]);
	close(go_p[0]);
	close(rep[1]);
	kid(self, p, "P");
	ASSERT_EQ(0, get_int(rep[0], &x));
	name(self, x, NAME_PROC, "X");

	r = fork();
	ASSERT_LE(0, r);
	if (r == 0) {
		close(trc[0]);
		if (ptrace(PTRACE_SEIZE, x, 0, 0)) {
			put_int(trc[1], -errno);
			_exit(1);
		}
		put_int(trc[1], 0);
		if (waitpid(x, &st, __WALL) != x)
			_exit(2);
		put_int(trc[1], st);
		_exit(0);
	}
	close(trc[1]);
	kid(self, r, "R");
	ASSERT_EQ(0, get_int(trc[0], &v));
	if (v < 0)
		SKIP(return, "PTRACE_SEIZE: %s", strerror(-v));
	nst_send_byte(go_x[1]);
	ASSERT_EQ(0, get_int(trc[0], &st));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 4)
		TH_LOG("the tracer's wait: status %#x", st);
	ASSERT_EQ(r, waitpid(r, &st, 0));
	reaped(self, r);
	if (parent_ignores) {
		ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, x, 1));
		nst_send_byte(go_p[1]);
	}
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	reaped(self, p);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	ASSERT_EQ(0, barrier(self));

	if (parent_ignores)
		EXPECT_SEQ(x, "fork(P),exit,autoreap(P),reap(R,other)");
	else
		EXPECT_SEQ(x, "fork(P),exit,zombie(P),reap(P,parent)");
	EXPECT_SEQ(p, "fork(me),exit,zombie(me),reap(me,parent)");
	EXPECT_SEQ(r, "fork(me),exit,zombie(me),reap(me,parent)");
}

TEST_F(seq, tracer_reaps_tracee)
{
	traced_child(_metadata, self, 1);
}

TEST_F(seq, tracer_hands_tracee_to_parent)
{
	traced_child(_metadata, self, 0);
}

/*
 * A namespace init I1 with a thread T1, a member M1 with a thread, and a
 * nested namespace (init I2, member M2). I1's leader exits alone:
 * T1 becomes the namespace's reaper, and M1 and I2 its children (reason
 * thread). Then SIGKILL: T1 is the last thread, zap_pid_ns_processes()
 * (NS_INIT_EXIT, 3 processes) ignores SIGCHLD and kills every member
 * (M1 and I2 autoreaped), I2's own exit kills its namespace, and both
 * namespaces are freed, the nested one first.
 */
TEST_F(seq, ns_init_death_nested_with_threads)
{
	pid_t i1, i2, m1, m2, t1, m1t;
	const struct nst_event *e;
	uint32_t ns1, ns2;
	int go[2], st;

	ASSERT_EQ(0, pipe(go));
	i1 = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, i1);
	if (i1 == 0) {
		pthread_t th;

		close(go[1]);
		if (fork() == 0) {
			if (pthread_create(&th, NULL, pause_forever, NULL))
				_exit(1);
			pause_forever(NULL);
		}
		if (nst_clone3(CLONE_NEWPID) == 0) {
			if (fork() == 0)
				pause_forever(NULL);
			pause_forever(NULL);
		}
		if (pthread_create(&th, NULL, pause_forever, NULL))
			_exit(1);
		nst_wait_byte(go[0]);
		thread_exit();
	}
	close(go[0]);
	kid(self, i1, "I1");
	m1 = wait_child(self, i1, 1);
	ASSERT_LT(0, m1);
	name(self, m1, NAME_PROC, "M1");
	i2 = wait_child(self, i1, 2);
	ASSERT_LT(0, i2);
	name(self, i2, NAME_PROC, "I2");
	t1 = wait_thread(self, i1, 1);
	ASSERT_LT(0, t1);
	name(self, t1, NAME_THREAD, "T1");
	m1t = wait_thread(self, m1, 1);
	ASSERT_LT(0, m1t);
	name(self, m1t, NAME_THREAD, "M1T");
	m2 = wait_child(self, i2, 1);
	ASSERT_LT(0, m2);
	name(self, m2, NAME_PROC, "M2");
	ns1 = ns_of(self, i1);
	ns2 = ns_of(self, i2);
	ASSERT_NE(0, ns1);
	ASSERT_NE(0, ns2);
	name(self, ns1, NAME_NS, "ns1");
	name(self, ns2, NAME_NS, "ns2");

	nst_send_byte(go[1]);
	/* The leader is a zombie: its children are T1's now. */
	ASSERT_EQ(0, wait_proc_state(i1, 'Z'));
	ASSERT_EQ(0, kill(i1, SIGKILL));
	ASSERT_EQ(i1, waitpid(i1, &st, 0));
	reaped(self, i1);
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, i1, 1));
	ASSERT_EQ(0, wait_ns(self, NSTREE_EV_NS_DESTROYED, ns2));
	ASSERT_EQ(0, wait_ns(self, NSTREE_EV_NS_DESTROYED, ns1));
	ASSERT_EQ(0, barrier(self));

	EXPECT_SEQ(i1, "fork(me),thread(T1),exit,exit(T1),ns-init-exit,zombie(me),reap(me,parent)");
	/* M1's two threads die of the same SIGKILL, in either order. */
	EXPECT_SEQ(m1, "fork(I1),thread(M1T),reparent(I1>I1.T1,thread),exit,exit(M1T),autoreap(I1),reap(M1,self)",
		       "fork(I1),thread(M1T),reparent(I1>I1.T1,thread),exit(M1T),exit,autoreap(I1),reap(M1,self)");
	EXPECT_SEQ(i2, "fork(I1),reparent(I1>I1.T1,thread),exit,ns-init-exit,autoreap(I1),reap(I2,self)");
	/*
	 * M2 is killed by I1's zap; I2 ignores SIGCHLD only from its own:
	 * whichever comes first decides.
	 */
	EXPECT_SEQ(m2, "fork(I2),exit,zombie(I2),reap(I2,parent)",
		       "fork(I2),exit,autoreap(I2),reap(M2,self)");
	EXPECT_NS(ns1, "created(me),init-exit(I1),destroyed");
	EXPECT_NS(ns2, "created(I1),init-exit(I2),destroyed");

	e = ev_get(self, NSTREE_EV_NS_INIT_EXIT, i1, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(3, e->count);
	EXPECT_EQ(ns1, e->ns_inum);
	e = ev_get(self, NSTREE_EV_NS_INIT_EXIT, i2, 1);
	ASSERT_NE(NULL, e);
	EXPECT_GE(1, e->count);
	EXPECT_EQ(ns2, e->ns_inum);
	/* The cascade: every member dies after its init's NS_INIT_EXIT. */
	EXPECT_BEFORE(NSTREE_EV_NS_INIT_EXIT, i1, 1, NSTREE_EV_EXIT, m1, 1);
	EXPECT_BEFORE(NSTREE_EV_NS_INIT_EXIT, i1, 1, NSTREE_EV_EXIT, i2, 1);
	EXPECT_BEFORE(NSTREE_EV_NS_INIT_EXIT, i1, 1, NSTREE_EV_EXIT, m2, 1);
	EXPECT_BEFORE(NSTREE_EV_EXIT, i1, 2, NSTREE_EV_NS_INIT_EXIT, i1, 1);
	EXPECT_BEFORE(NSTREE_EV_REAP, m1, 1, NSTREE_EV_ZOMBIE, i1, 1);
	EXPECT_BEFORE(NSTREE_EV_REAP, i2, 1, NSTREE_EV_ZOMBIE, i1, 1);
	EXPECT_BEFORE(NSTREE_EV_REAP, m2, 1, NSTREE_EV_REAP, i2, 1);
	EXPECT_LT(ns_ev_at(self, NSTREE_EV_NS_DESTROYED, ns2),
		  ns_ev_at(self, NSTREE_EV_NS_DESTROYED, ns1));
	EXPECT_LT(ev_at(self, NSTREE_EV_REAP, i1, 1),
		  ns_ev_at(self, NSTREE_EV_NS_DESTROYED, ns1));
}

/*
 * C is a zombie; its parent P dies without reaping it. P's exit_notify()
 * hands C to the subreaper S and, C being a zombie leader with no thread,
 * reparent_leader() notifies S of it: a second ZOMBIE, naming S, before
 * P's own ZOMBIE. S reaps both. When S ignores SIGCHLD, that
 * notification says autoreap instead: P itself releases C (reason other)
 * after releasing itself (exit_notify()'s dead list puts P first).
 */
static void zombie_orphan(struct __test_metadata *_metadata, seq_t *self,
			  int reaper_ignores)
{
	int go_p[2], go_s[2];
	pid_t s, p, c;

	ASSERT_EQ(0, pipe(go_p));
	ASSERT_EQ(0, pipe(go_s));
	s = fork();
	ASSERT_LE(0, s);
	if (s == 0) {
		close(go_p[1]);
		close(go_s[1]);
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		if (reaper_ignores)
			signal(SIGCHLD, SIG_IGN);
		if (fork() == 0) {
			siginfo_t si;

			signal(SIGCHLD, SIG_DFL);
			c = fork();
			if (c == 0)
				_exit(6);
			if (waitid(P_PID, c, &si, WEXITED | WNOWAIT))
				_exit(1);
			nst_wait_byte(go_p[0]);
			_exit(0);	/* and never reap c */
		}
		nst_wait_byte(go_s[0]);
		if (!reaper_ignores)
			reap_all();
		_exit(0);
	}
	close(go_p[0]);
	close(go_s[0]);
	kid(self, s, "S");
	p = wait_child(self, s, 1);
	ASSERT_LT(0, p);
	name(self, p, NAME_PROC, "P");
	c = wait_child(self, p, 1);
	ASSERT_LT(0, c);
	name(self, c, NAME_PROC, "C");
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_ZOMBIE, c, 1));
	nst_send_byte(go_p[1]);
	if (reaper_ignores) {
		ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, c, 1));
		ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, p, 1));
	}
	nst_send_byte(go_s[1]);
	ASSERT_EQ(s, waitpid(s, NULL, 0));
	reaped(self, s);
	ASSERT_EQ(0, wait_for(self, NSTREE_EV_REAP, s, 1));
	ASSERT_EQ(0, barrier(self));

	if (reaper_ignores) {
		EXPECT_SEQ(c, "fork(P),exit,zombie(P),reparent(P>S,subreaper),autoreap(S),reap(P,other)");
		EXPECT_SEQ(p, "fork(S),exit,autoreap(S),reap(P,self)");
		EXPECT_BEFORE(NSTREE_EV_AUTOREAP, c, 1, NSTREE_EV_AUTOREAP, p, 1);
	} else {
		EXPECT_SEQ(c, "fork(P),exit,zombie(P),reparent(P>S,subreaper),zombie(S),reap(S,subreaper)");
		EXPECT_SEQ(p, "fork(S),exit,zombie(S),reap(S,parent)");
		EXPECT_BEFORE(NSTREE_EV_ZOMBIE, c, 2, NSTREE_EV_ZOMBIE, p, 1);
	}
	EXPECT_SEQ(s, "fork(me),exit,zombie(me),reap(me,parent)");
	EXPECT_BEFORE(NSTREE_EV_EXIT, p, 1, NSTREE_EV_REPARENT, c, 1);
	EXPECT_BEFORE(NSTREE_EV_REPARENT, c, 1,
		      reaper_ignores ? NSTREE_EV_AUTOREAP : NSTREE_EV_ZOMBIE,
		      p, 1);
}

TEST_F(seq, zombie_orphan_reaped_by_subreaper)
{
	zombie_orphan(_metadata, self, 0);
}

TEST_F(seq, zombie_orphan_subreaper_ignores_sigchld)
{
	zombie_orphan(_metadata, self, 1);
}

TEST_HARNESS_MAIN
