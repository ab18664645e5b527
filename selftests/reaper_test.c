// SPDX-License-Identifier: GPL-2.0
/*
 * REAPER (NSTREE_A_PROC_REAPER and its reason) against what the kernel
 * then does: a chain of processes is built with real forks, clone3()
 * into new PID namespaces, PR_SET_CHILD_SUBREAPER and threads; the test
 * reads who would adopt a process, kills that process's parent (or makes
 * the parent thread exit) and compares with the parent the process really
 * got. Every process of a chain has PR_SET_PDEATHSIG, which the kernel
 * sends once it has moved the process to its new parent
 * (forget_original_parent()): that signal is the handshake, no sleep.
 * Also: the view from inside a child namespace, where a reaper outside is
 * never named, and the CLI's REAPER and REAPERWHY columns.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "json.h"
#include "lib.h"

#define MAX_NODES	8

/* What a node of a chain is, besides a process forked by the one before. */
#define R_NEWNS		1	/* the init of a new PID namespace */
#define R_SUBREAPER	2	/* PR_SET_CHILD_SUBREAPER */
#define R_THREAD	4	/* forks the next node from a second thread */

/*
 * A chain: node i + 1 is forked by node i. Each node records its PID as
 * the test sees it, says it is ready, then reports on @moved each time
 * its parent thread exits (its index, one byte), until it is killed.
 */
struct chain {
	int n;
	int roles[MAX_NODES];
	int ready[2], moved[2], tquit[2];
	pid_t *pid;		/* shared: the nodes' PIDs in the test's view */
};

/* Our PID as the test sees it: /proc is the test's namespace's procfs. */
static pid_t outer_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

static void node(struct chain *ch, int i);

static pid_t spawn(struct chain *ch, int i)
{
	pid_t pid = nst_clone3(ch->roles[i] & R_NEWNS ? CLONE_NEWPID : 0);

	if (pid == 0) {
		node(ch, i);
		_exit(0);
	}
	return pid;
}

struct thread_arg {
	struct chain *ch;
	int next;
};

/* An R_THREAD node's second thread: the next node's parent thread. */
static void *fork_thread(void *p)
{
	struct thread_arg *a = p;

	if (spawn(a->ch, a->next) < 0)
		_exit(98);
	nst_wait_byte(a->ch->tquit[0]);
	return NULL;
}

static void node(struct chain *ch, int i)
{
	static struct thread_arg targ;
	sigset_t set;
	pthread_t th;
	char idx = (char)i;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGUSR1))
		_exit(97);
	if ((ch->roles[i] & R_SUBREAPER) && prctl(PR_SET_CHILD_SUBREAPER, 1))
		_exit(96);
	ch->pid[i] = outer_pid();
	if (i + 1 < ch->n) {
		if (ch->roles[i] & R_THREAD) {
			targ.ch = ch;
			targ.next = i + 1;
			if (pthread_create(&th, NULL, fork_thread, &targ))
				_exit(95);
		} else if (spawn(ch, i + 1) < 0) {
			_exit(98);
		}
	}
	if (nst_write_full(ch->ready[1], &idx, 1))
		_exit(99);
	for (;;) {
		if (sigwaitinfo(&set, NULL) == SIGUSR1 &&
		    nst_write_full(ch->moved[1], &idx, 1))
			_exit(99);
	}
}

/* Prepare the chain of @roles: its shared memory and its pipes. */
static int chain_init(struct chain *ch, const int *roles, int n)
{
	memset(ch, 0, sizeof(*ch));
	ch->n = n;
	memcpy(ch->roles, roles, n * sizeof(*roles));
	ch->pid = mmap(NULL, MAX_NODES * sizeof(pid_t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ch->pid == MAP_FAILED || pipe(ch->ready) || pipe(ch->moved) ||
	    pipe(ch->tquit))
		return -1;
	return 0;
}

/* Wait until every node of the chain is ready. */
static int chain_ready(struct chain *ch)
{
	char c;
	int i;

	for (i = 0; i < ch->n; i++)
		if (nst_read_full(ch->ready[0], &c, 1))
			return -1;
	return 0;
}

/* Build the chain of @roles; 0 once every node is ready, else -1. */
static int chain_start(struct chain *ch, const int *roles, int n)
{
	if (chain_init(ch, roles, n) || spawn(ch, 0) < 0)
		return -1;
	return chain_ready(ch);
}

/*
 * Wait until node @i reports that it was moved to a new parent. Other
 * nodes moved by the same exit (every child of the dead parent) may
 * report first.
 */
static int chain_moved(struct chain *ch, int i)
{
	char c;

	do {
		if (nst_read_full(ch->moved[0], &c, 1))
			return -1;
	} while (c != i);
	return 0;
}

/* Node 0 is a namespace's init: killing it ends the whole chain. */
static void chain_end(struct chain *ch)
{
	kill(ch->pid[0], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	munmap(ch->pid, MAX_NODES * sizeof(pid_t));
	close(ch->ready[0]);
	close(ch->ready[1]);
	close(ch->moved[0]);
	close(ch->moved[1]);
	close(ch->tquit[0]);
	close(ch->tquit[1]);
}

/* The PPid line of /proc/PID/status: the parent as the kernel has it now. */
static pid_t status_ppid(pid_t pid)
{
	char path[64], line[256];
	pid_t ppid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %d", &ppid) == 1)
			break;
	fclose(f);
	return ppid;
}

/* The process's number in its own namespace (the last of NSpid). */
static pid_t inner_pid(pid_t pid)
{
	char path[64], line[256], *last;
	pid_t nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6))
			continue;
		last = strrchr(line, '\t');
		nr = last ? atoi(last + 1) : -1;
		break;
	}
	fclose(f);
	return nr;
}

/*
 * Does the process end within @ms? (pidfd: readable once it has exited)
 * pidfd_open() fails with ESRCH once its PID is free, and with EINVAL
 * while release_task() is between detaching the PID from the process
 * (PIDTYPE_TGID) and freeing it: both mean gone, for a PID that was a
 * process's.
 */
static int dies(pid_t pid, int ms)
{
	struct pollfd p = { .events = POLLIN };
	int r;

	p.fd = syscall(SYS_pidfd_open, pid, 0);
	if (p.fd < 0)
		return errno == ESRCH || errno == EINVAL;
	r = poll(&p, 1, ms);
	close(p.fd);
	return r == 1;
}

FIXTURE(reaper) {
	struct nst_conn c;
	struct chain ch;
};

FIXTURE_SETUP(reaper)
{
	ASSERT_EQ(0, nst_open(&self->c));
}

FIXTURE_TEARDOWN(reaper)
{
	nst_close(&self->c);
}

/* REAPER and its reason of @pid, by a do request. */
#define EXPECT_REAPER(pid, want_pid, want_why) do {			\
	struct nst_proc p_;						\
									\
	ASSERT_EQ(0, nst_get_proc(&self->c, (pid), &p_));		\
	EXPECT_EQ((uint32_t)(want_pid), p_.reaper)			\
		TH_LOG("REAPER of %d", (int)(pid));			\
	EXPECT_EQ((want_why), p_.reaper_reason)				\
		TH_LOG("REAPER reason of %d", (int)(pid));		\
} while (0)

/*
 * Kill node @k, the parent of node @i, and check that node @i went where
 * its REAPER said just before.
 */
static void kill_and_check(struct __test_metadata *_metadata,
			   struct nst_conn *c, struct chain *ch, int k, int i)
{
	pid_t child = ch->pid[i];
	struct nst_proc p;

	ASSERT_EQ(ch->pid[k], status_ppid(child));
	ASSERT_EQ(0, nst_get_proc(c, child, &p));
	ASSERT_NE(0, p.reaper);
	ASSERT_EQ(0, kill(ch->pid[k], SIGKILL));
	ASSERT_EQ(0, chain_moved(ch, i));
	EXPECT_EQ((pid_t)p.reaper, status_ppid(child))
		TH_LOG("node %d: REAPER said %u, the kernel chose %d",
		       i, p.reaper, status_ppid(child));
}

/* What a dump says of each process. */
struct reaper_seen {
	uint32_t pid[MAX_NODES], reaper[MAX_NODES];
	uint8_t why[MAX_NODES];
	int n;
};

static int collect(const struct nst_proc *e, void *arg)
{
	struct reaper_seen *s = arg;

	if (s->n < MAX_NODES) {
		s->pid[s->n] = e->pid;
		s->reaper[s->n] = e->reaper;
		s->why[s->n++] = e->reaper_reason;
	}
	return 0;
}

/* The simplest: an orphan goes to its namespace's init; the init's own
 * children have nobody, and die with it. */
TEST_F_TIMEOUT(reaper, ns_init, 120)
{
	const int roles[] = { R_NEWNS, 0, 0 };
	struct chain *ch = &self->ch;

	ASSERT_EQ(0, chain_start(ch, roles, 3));
	EXPECT_REAPER(ch->pid[2], ch->pid[0], NSTREE_REPARENT_NS_INIT);
	EXPECT_REAPER(ch->pid[1], 0, NSTREE_REPARENT_KILLED);
	kill_and_check(_metadata, &self->c, ch, 1, 2);
	/* Now a child of the init: its exit would kill it. */
	EXPECT_REAPER(ch->pid[2], 0, NSTREE_REPARENT_KILLED);
	ASSERT_EQ(0, kill(ch->pid[0], SIGKILL));
	EXPECT_TRUE(dies(ch->pid[2], 30000));
	chain_end(ch);
}

/* Subreapers in a chain: each one adopts in turn, then the init. */
TEST_F_TIMEOUT(reaper, subreaper_chain, 120)
{
	const int roles[] = { R_NEWNS, R_SUBREAPER, R_SUBREAPER, 0, 0, 0 };
	struct chain *ch = &self->ch;
	struct nst_proc_sel sel = { 0 };
	struct reaper_seen seen = { .n = 0 };
	struct nst_proc p;
	int i;

	ASSERT_EQ(0, chain_start(ch, roles, 6));
	EXPECT_REAPER(ch->pid[5], ch->pid[2], NSTREE_REPARENT_SUBREAPER);
	EXPECT_REAPER(ch->pid[4], ch->pid[2], NSTREE_REPARENT_SUBREAPER);
	EXPECT_REAPER(ch->pid[3], ch->pid[1], NSTREE_REPARENT_SUBREAPER);
	EXPECT_REAPER(ch->pid[2], ch->pid[0], NSTREE_REPARENT_NS_INIT);

	/* A dump remembers climbs: every entry as a do request gives it. */
	sel.subtree = ch->pid[0];
	ASSERT_EQ(0, nst_dump_procs(&self->c, &sel, collect, &seen));
	EXPECT_EQ(6, seen.n);
	for (i = 0; i < seen.n; i++) {
		if (seen.pid[i] == (uint32_t)ch->pid[0])
			continue;	/* its parent is the test: varies */
		ASSERT_EQ(0, nst_get_proc(&self->c, seen.pid[i], &p));
		EXPECT_EQ(p.reaper, seen.reaper[i]);
		EXPECT_EQ(p.reaper_reason, seen.why[i]);
	}

	kill_and_check(_metadata, &self->c, ch, 4, 5);	/* to node 2 */
	EXPECT_EQ(ch->pid[2], status_ppid(ch->pid[5]));
	EXPECT_REAPER(ch->pid[5], ch->pid[1], NSTREE_REPARENT_SUBREAPER);
	kill_and_check(_metadata, &self->c, ch, 2, 5);	/* to node 1 */
	EXPECT_EQ(ch->pid[1], status_ppid(ch->pid[5]));
	EXPECT_REAPER(ch->pid[5], ch->pid[0], NSTREE_REPARENT_NS_INIT);
	kill_and_check(_metadata, &self->c, ch, 1, 5);	/* to the init */
	EXPECT_EQ(ch->pid[0], status_ppid(ch->pid[5]));
	EXPECT_REAPER(ch->pid[5], 0, NSTREE_REPARENT_KILLED);
	chain_end(ch);
}

/* The parent thread exits, its process lives on: another thread adopts. */
TEST_F_TIMEOUT(reaper, thread, 120)
{
	const int roles[] = { R_NEWNS, R_THREAD, 0 };
	struct chain *ch = &self->ch;

	ASSERT_EQ(0, chain_start(ch, roles, 3));
	EXPECT_REAPER(ch->pid[2], ch->pid[1], NSTREE_REPARENT_THREAD);
	nst_send_byte(ch->tquit[1]);
	ASSERT_EQ(0, chain_moved(ch, 2));
	EXPECT_EQ(ch->pid[1], status_ppid(ch->pid[2]));
	/* Its parent is single-threaded now: the init would adopt it. */
	EXPECT_REAPER(ch->pid[2], ch->pid[0], NSTREE_REPARENT_NS_INIT);
	kill_and_check(_metadata, &self->c, ch, 1, 2);
	chain_end(ch);
}

/*
 * Nested namespaces: a subreaper in the outer one adopts only there; in
 * the inner one, whose processes inherited has_child_subreaper, the
 * inner init adopts (the kernel's climb stops at the namespace's edge).
 */
TEST_F_TIMEOUT(reaper, nested_namespaces, 120)
{
	const int roles[] = { R_NEWNS, R_SUBREAPER, 0, R_NEWNS, 0, 0 };
	struct chain *ch = &self->ch;

	ASSERT_EQ(0, chain_start(ch, roles, 6));
	EXPECT_REAPER(ch->pid[5], ch->pid[3], NSTREE_REPARENT_NS_INIT);
	EXPECT_REAPER(ch->pid[4], 0, NSTREE_REPARENT_KILLED);
	EXPECT_REAPER(ch->pid[3], ch->pid[1], NSTREE_REPARENT_SUBREAPER);
	EXPECT_REAPER(ch->pid[2], ch->pid[0], NSTREE_REPARENT_NS_INIT);
	kill_and_check(_metadata, &self->c, ch, 4, 5);	/* to the inner init */
	kill_and_check(_metadata, &self->c, ch, 2, 3);	/* to the subreaper */
	EXPECT_REAPER(ch->pid[3], ch->pid[0], NSTREE_REPARENT_NS_INIT);
	chain_end(ch);
}

/* The CLI shows the same, in JSON. */
TEST_F_TIMEOUT(reaper, cli_json, 120)
{
	const int roles[] = { R_NEWNS, R_SUBREAPER, 0, 0 };
	struct chain *ch = &self->ch;
	const struct json *procs, *e;
	struct cmd_result r;
	char why[128];
	struct json *j;

	ASSERT_EQ(0, chain_start(ch, roles, 4));
	ASSERT_EQ(0, nst_cmd(&r, "nstree ps -J -p %d,%d -o PID,REAPER,REAPERWHY",
			     ch->pid[3], ch->pid[2])) TH_LOG("%s", r.err);
	j = json_parse(r.out, why, sizeof(why));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", why, r.out);
	procs = json_get(j, "processes");
	ASSERT_NE(NULL, procs) TH_LOG("%s", r.out);
	/* In PID order: node 2, whose parent is the subreaper, first. */
	e = json_at(procs, 0);
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is_uint(json_get(e, "pid"), ch->pid[2]));
	EXPECT_TRUE(json_is_uint(json_get(e, "reaper"), ch->pid[0]));
	EXPECT_TRUE(json_is_str(json_get(e, "reaperwhy"), "ns-init"))
		TH_LOG("%s", r.out);
	e = json_at(procs, 1);
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is_uint(json_get(e, "pid"), ch->pid[3]));
	EXPECT_TRUE(json_is_uint(json_get(e, "reaper"), ch->pid[1]));
	EXPECT_TRUE(json_is_str(json_get(e, "reaperwhy"), "subreaper"))
		TH_LOG("%s", r.out);
	json_free(j);
	nst_cmd_free(&r);

	/* The init's child: no REAPER, "killed". */
	ASSERT_EQ(0, nst_cmd(&r, "nstree ps -J -p %d -o PID,REAPER,REAPERWHY",
			     ch->pid[1]));
	j = json_parse(r.out, why, sizeof(why));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", why, r.out);
	e = json_at(json_get(j, "processes"), 0);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(JSON_NULL, json_get(e, "reaper")->type) TH_LOG("%s", r.out);
	EXPECT_TRUE(json_is_str(json_get(e, "reaperwhy"), "killed"));
	json_free(j);
	nst_cmd_free(&r);
	chain_end(ch);
}

/*
 * From inside a child namespace, a reaper outside it is never named: the
 * namespace's init, whose parent is outside, has neither REAPER nor a
 * reason, though outside the test, a subreaper, is its reaper.
 */
TEST_F_TIMEOUT(reaper, inside_view, 120)
{
	const int roles[] = { R_NEWNS, 0, 0 };
	struct chain *ch = &self->ch;
	pid_t m, in, x_in, g_in;
	struct cmd_result r;
	char path[64], msg[512];
	int fd, st;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	/* A middle process forks the chain: the test, a subreaper, is then
	 * above the inner init's parent. */
	ASSERT_EQ(0, chain_init(ch, roles, 3));
	m = fork();
	ASSERT_LE(0, m);
	if (m == 0) {
		if (spawn(ch, 0) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_EQ(0, chain_ready(ch));
	EXPECT_REAPER(ch->pid[0], getpid(), NSTREE_REPARENT_SUBREAPER);
	x_in = inner_pid(ch->pid[1]);
	g_in = inner_pid(ch->pid[2]);
	ASSERT_EQ(1, inner_pid(ch->pid[0]));

	/* Look from inside. */
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", ch->pid[0]);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setns(fd, CLONE_NEWPID));
	close(fd);
	in = fork();
	ASSERT_LE(0, in);
	if (in == 0) {
		struct nst_conn c;
		struct nst_proc p;

		if (nst_open(&c) || nst_get_proc(&c, 1, &p))
			_exit(10);
		if (p.reaper || p.reaper_reason)
			_exit(11);
		if (nst_get_proc(&c, x_in, &p) || p.reaper ||
		    p.reaper_reason != NSTREE_REPARENT_KILLED)
			_exit(12);
		if (nst_get_proc(&c, g_in, &p) || p.reaper != 1 ||
		    p.reaper_reason != NSTREE_REPARENT_NS_INIT)
			_exit(13);
		/* Ourselves: our parent, the test, is outside. */
		if (nst_get_proc(&c, getpid(), &p) || p.reaper ||
		    p.reaper_reason)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(in, waitpid(in, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("inside check failed: %d", WEXITSTATUS(st));

	/* The CLI from inside: every REAPER it names is one it lists. */
	in = fork();
	ASSERT_LE(0, in);
	if (in == 0) {
		const struct json *procs, *e, *rp;
		struct json *j;
		size_t i, k;
		int ok = 1;

		if (nst_cmd(&r, "nstree ps -J -o PID,REAPER,REAPERWHY"))
			_exit(20);
		j = json_parse(r.out, msg, sizeof(msg));
		procs = j ? json_get(j, "processes") : NULL;
		if (!procs)
			_exit(21);
		for (i = 0; (e = json_at(procs, i)); i++) {
			rp = json_get(e, "reaper");
			if (!rp || rp->type == JSON_NULL)
				continue;
			for (k = 0; json_at(procs, k); k++)
				if (json_is_uint(json_get(json_at(procs, k),
							  "pid"), rp->uint))
					break;
			if (!json_at(procs, k))
				ok = 0;
		}
		_exit(ok && i >= 4 ? 0 : 22);
	}
	ASSERT_EQ(in, waitpid(in, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("inside CLI check failed: %d", WEXITSTATUS(st));

	/* And the truth: the middle dies, the test adopts the init. */
	ASSERT_EQ(0, kill(m, SIGKILL));
	ASSERT_EQ(0, chain_moved(ch, 0));
	EXPECT_EQ(getpid(), status_ppid(ch->pid[0]));
	chain_end(ch);
}

TEST_HARNESS_MAIN
