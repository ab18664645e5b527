// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle event stream: each scenario makes its processes, and
 * asserts the exact sequence of events about each of them, as received by
 * a subscriber limited to the test's own subtree.
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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"

#define EV_TIMEOUT_MS 20000

/* The child FORKed by @parent: the first such FORK from @from. */
static int child_of(const struct nst_evlog *log, uint32_t parent, size_t from)
{
	size_t i;

	for (i = from; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_FORK && !log->ev[i].thread &&
		    log->ev[i].parent.pid == parent)
			return log->ev[i].proc.pid;
	return -1;
}

FIXTURE(ev) {
	struct nst_conn c;
	struct nst_evlog log;
	pid_t kids[8];
	int nkids;
	char seq[1024];
};

FIXTURE_SETUP(ev)
{
	struct nst_sub_opts o = { .subtree = getpid() };
	int err;

	memset(&self->log, 0, sizeof(self->log));
	self->nkids = 0;
	err = nst_ev_subscribe(&self->c, &o);
	ASSERT_EQ(0, err) TH_LOG("subscribe: %s (%s)", strerror(-err),
				 self->c.extack);
}

FIXTURE_TEARDOWN(ev)
{
	int i;

	for (i = 0; i < self->nkids; i++) {
		kill(self->kids[i], SIGKILL);
		waitpid(self->kids[i], NULL, 0);
	}
	EXPECT_EQ(0, self->log.gap_error) TH_LOG("a sequence gap with no LOST");
	EXPECT_EQ(0, self->log.lost);
	nst_close(&self->c);
	nst_evlog_free(&self->log);
}

/* The events about @pid, as a string, into self->seq. */
#define SEQ(pid) nst_ev_seq(&self->log, (pid), self->seq, sizeof(self->seq))

/*
 * A zombie whose parent waits only when told: ZOMBIE comes first, and the
 * REAP names the parent's wait.
 */
TEST_F(ev, zombie_then_parent_waits)
{
	int go[2], i;
	pid_t p, c;

	ASSERT_EQ(0, pipe(go));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		c = fork();
		if (c == 0)
			_exit(7);
		nst_wait_byte(go[0]);
		_exit(waitpid(c, NULL, 0) == c ? 0 : 1);
	}
	self->kids[self->nkids++] = p;
	ASSERT_EQ(0, nst_ev_wait(&self->c, &self->log, NULL, NULL, 0));
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_FORK, p,
				     EV_TIMEOUT_MS));
	/* The grandchild's PID comes from its FORK event. */
	for (i = 0; i < 200 && child_of(&self->log, p, 0) < 0; i++)
		nst_ev_wait(&self->c, &self->log, NULL, NULL, 50);
	c = child_of(&self->log, p, 0);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_ZOMBIE, c,
				     EV_TIMEOUT_MS));
	/* Nothing reaped it yet. */
	EXPECT_EQ(-1, nst_ev_find(&self->log, 0, NSTREE_EV_REAP, c));
	nst_send_byte(go[1]);
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	self->nkids = 0;
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, p,
				     EV_TIMEOUT_MS));

	EXPECT_STREQ("fork,exit,zombie,reap", SEQ(c));
	EXPECT_STREQ("fork,exit,zombie,reap", SEQ(p));
	i = nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, c);
	ASSERT_LE(0, i);
	EXPECT_EQ(7 << 8, self->log.ev[i].exit_code);
	EXPECT_TRUE(self->log.ev[i].group_dead);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_ZOMBIE, c);
	EXPECT_EQ(p, self->log.ev[i].parent.pid);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, c);
	EXPECT_EQ(p, self->log.ev[i].reaper.pid);
	EXPECT_EQ(NSTREE_REAP_PARENT, self->log.ev[i].reason);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, p);
	EXPECT_EQ(getpid(), self->log.ev[i].reaper.pid);
}

/* An init for a new PID namespace that reaps whatever comes its way. */
static int reaping_init(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(fn());
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	return 0;
}

static int parent_leaves_zombie(void)
{
	pid_t c = fork();
	siginfo_t si;

	if (c == 0)
		_exit(3);
	/* Wait for the zombie without reaping it, then die. */
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	return 0;
}

static int init_zombie_orphan(void)
{
	return reaping_init(parent_leaves_zombie);
}

/*
 * A zombie whose parent dies instead of waiting: the namespace's init
 * adopts it and reaps it. PIDs are seen from the host, chains included.
 */
TEST_F(ev, zombie_orphan_adopted_by_init)
{
	pid_t init, p, c;
	int i;

	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0)
		_exit(init_zombie_orphan());
	self->kids[self->nkids++] = init;
	ASSERT_EQ(init, waitpid(init, NULL, 0));
	self->nkids = 0;
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, init,
				     EV_TIMEOUT_MS));

	p = child_of(&self->log, init, 0);
	ASSERT_LT(0, p);
	c = child_of(&self->log, p, 0);
	ASSERT_LT(0, c);
	/* reparent_leader() tells the new parent of the zombie again. */
	EXPECT_STREQ("fork,exit,zombie,reparent,zombie,reap", SEQ(c));
	EXPECT_STREQ("fork,exit,zombie,reap", SEQ(p));
	EXPECT_STREQ("fork,exit,ns-init-exit,zombie,reap", SEQ(init));

	i = nst_ev_find(&self->log, 0, NSTREE_EV_FORK, c);
	ASSERT_EQ(2, self->log.ev[i].proc.nspid_len);
	EXPECT_EQ(c, self->log.ev[i].proc.nspid[0]);
	EXPECT_EQ(3, self->log.ev[i].proc.nspid[1]);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_FORK, init);
	EXPECT_TRUE(self->log.ev[i].ns_init);
	EXPECT_EQ(1, self->log.ev[i].proc.nspid[1]);

	i = nst_ev_find(&self->log, 0, NSTREE_EV_REPARENT, c);
	EXPECT_EQ(p, self->log.ev[i].old_parent.pid);
	EXPECT_EQ(init, self->log.ev[i].parent.pid);
	EXPECT_EQ(NSTREE_REPARENT_NS_INIT, self->log.ev[i].reason);
	/* Adopted only once its parent exited. */
	EXPECT_LT(nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, p), i);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, c);
	EXPECT_EQ(init, self->log.ev[i].reaper.pid);
	EXPECT_EQ(NSTREE_REAP_NS_INIT, self->log.ev[i].reason);
}

static int nohup_scenario(void)
{
	/*
	 * A shell starts a background child and a nohup'd one, then SIGHUPs
	 * its process group (its own, not init's): the first dies with it,
	 * the second lives on. The shell sends the signal once /proc shows
	 * the nohup'd child asleep in sleep's nanosleep, so ignoring SIGHUP
	 * and past its exec (or, after 10 s without, anyway: the test then
	 * fails on its events). Its comm alone is not enough: exec sets it
	 * in begin_new_exec(), before the exec is over and reported; seen
	 * on a loaded 6.1 guest, the shell's death and the REPARENT came
	 * in between. (wchan ends without a newline, which read refuses.)
	 */
	setpgid(0, 0);
	execl("/bin/sh", "sh", "-c",
	      "sleep 30 & nohup sleep 2 >/dev/null 2>&1 & n=$! i=0; "
	      "until read -r c </proc/$n/comm && [ \"$c\" = sleep ] && "
	      "w=$(cat /proc/$n/wchan) && "
	      "case $w in *nanosleep*) true ;; *) false ;; esac; do "
	      "[ $i -ge 200 ] && break; sleep 0.05; i=$((i + 1)); done; "
	      "kill -HUP 0",
	      (char *)NULL);
	return 127;
}

/* With a /proc of its own namespace, for the shell to look at. */
static int init_nohup(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		return 126;
	return reaping_init(nohup_scenario);
}

/*
 * A shell's background child dies with the shell on SIGHUP; a nohup'd one
 * survives it, is adopted by the namespace's init, and reaped by it.
 */
TEST_F(ev, sighup_and_nohup)
{
	pid_t init, sh, bg, nohup;
	int i, st;

	init = nst_clone3(CLONE_NEWPID | CLONE_NEWNS);
	ASSERT_LE(0, init);
	if (init == 0)
		_exit(init_nohup());
	self->kids[self->nkids++] = init;
	ASSERT_EQ(init, waitpid(init, &st, 0));
	self->nkids = 0;
	ASSERT_EQ(0, st) TH_LOG("init: /proc not mounted");
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, init,
				     EV_TIMEOUT_MS));

	sh = child_of(&self->log, init, 0);
	ASSERT_LT(0, sh);
	bg = child_of(&self->log, sh, 0);
	ASSERT_LT(0, bg);
	nohup = child_of(&self->log, sh, nst_ev_find(&self->log, 0,
						      NSTREE_EV_FORK, bg) + 1);
	ASSERT_LT(0, nohup);

	/* The shell died of SIGHUP, and so did its background child. */
	EXPECT_STREQ("fork,exec,exit,zombie,reap", SEQ(sh));
	i = nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, sh);
	ASSERT_LE(0, i);
	EXPECT_EQ(SIGHUP, self->log.ev[i].exit_code & 0x7f);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, bg);
	ASSERT_LE(0, i);
	EXPECT_EQ(SIGHUP, self->log.ev[i].exit_code & 0x7f);
	/*
	 * Whether it died before or after the shell is a race: either way
	 * init adopts it (alive or as a zombie) and reaps it.
	 */
	EXPECT_EQ(1, nst_ev_count(&self->log, NSTREE_EV_REPARENT, bg));
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, bg);
	ASSERT_LE(0, i);
	EXPECT_EQ(init, self->log.ev[i].reaper.pid);
	/* The nohup'd one ran to its end, under init. */
	i = nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, nohup);
	ASSERT_LE(0, i);
	EXPECT_EQ(0, self->log.ev[i].exit_code);
	EXPECT_STREQ("fork,exec,exec,reparent,exit,zombie,reap", SEQ(nohup))
		TH_LOG("(busybox: nohup, then sleep)");
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REPARENT, nohup);
	ASSERT_LE(0, i);
	EXPECT_EQ(init, self->log.ev[i].parent.pid);
	EXPECT_EQ(sh, self->log.ev[i].old_parent.pid);
	EXPECT_EQ(NSTREE_REPARENT_NS_INIT, self->log.ev[i].reason);
	EXPECT_LT(nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, sh), i);
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, nohup);
	EXPECT_EQ(init, self->log.ev[i].reaper.pid);
	EXPECT_EQ(NSTREE_REAP_NS_INIT, self->log.ev[i].reason);
}

static int subreaper_scenario(int fd)
{
	pid_t p;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	p = fork();
	if (p == 0) {
		/* Two grandchildren that outlive their parent. */
		if (fork() == 0) {
			nst_wait_byte(fd);
			_exit(0);
		}
		if (fork() == 0) {
			nst_wait_byte(fd);
			_exit(0);
		}
		_exit(0);
	}
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return 0;
}

/* A subreaper adopts its orphaned grandchildren, and reaps them. */
TEST_F(ev, subreaper_adopts_grandchildren)
{
	pid_t s, p, g[2];
	int go[2], i, k;

	ASSERT_EQ(0, pipe(go));
	s = fork();
	ASSERT_LE(0, s);
	if (s == 0) {
		close(go[1]);
		_exit(subreaper_scenario(go[0]));
	}
	close(go[0]);
	self->kids[self->nkids++] = s;
	ASSERT_EQ(0, nst_ev_wait(&self->c, &self->log, NULL, NULL, 0));
	for (i = 0; i < 400 && child_of(&self->log, s, 0) < 0; i++)
		nst_ev_wait(&self->c, &self->log, NULL, NULL, 50);
	p = child_of(&self->log, s, 0);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, p,
				     EV_TIMEOUT_MS));
	g[0] = child_of(&self->log, p, 0);
	ASSERT_LT(0, g[0]);
	g[1] = child_of(&self->log, p, nst_ev_find(&self->log, 0,
						    NSTREE_EV_FORK, g[0]) + 1);
	ASSERT_LT(0, g[1]);
	close(go[1]);	/* the grandchildren may go */
	ASSERT_EQ(s, waitpid(s, NULL, 0));
	self->nkids = 0;
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, s,
				     EV_TIMEOUT_MS));

	for (k = 0; k < 2; k++) {
		EXPECT_STREQ("fork,reparent,exit,zombie,reap", SEQ(g[k]));
		i = nst_ev_find(&self->log, 0, NSTREE_EV_REPARENT, g[k]);
		ASSERT_LE(0, i);
		EXPECT_EQ(p, self->log.ev[i].old_parent.pid);
		EXPECT_EQ(s, self->log.ev[i].parent.pid);
		EXPECT_EQ(NSTREE_REPARENT_SUBREAPER, self->log.ev[i].reason);
		i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, g[k]);
		EXPECT_EQ(s, self->log.ev[i].reaper.pid);
		EXPECT_EQ(NSTREE_REAP_SUBREAPER, self->log.ev[i].reason);
	}
}

static int init_with_members(void)
{
	int i;

	/* Two members, one with a child of its own: three to kill. */
	for (i = 0; i < 2; i++) {
		if (fork() == 0) {
			if (i == 1 && fork() == 0)
				pause();
			pause();
		}
	}
	pause();
	return 0;
}

/* Killing a namespace's init kills and reaps every member. */
TEST_F(ev, kill_ns_init)
{
	pid_t init, m[3];
	unsigned int inum;
	int i, k;

	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0)
		_exit(init_with_members());
	self->kids[self->nkids++] = init;
	inum = nst_pidns_of(init);
	ASSERT_NE(0, inum);
	/* Wait for the three members. */
	for (i = 0; i < 400; i++) {
		nst_ev_wait(&self->c, &self->log, NULL, NULL, 50);
		m[0] = child_of(&self->log, init, 0);
		m[1] = m[0] > 0 ? child_of(&self->log, init,
			nst_ev_find(&self->log, 0, NSTREE_EV_FORK, m[0]) + 1) : -1;
		m[2] = m[1] > 0 ? child_of(&self->log, m[1], 0) : -1;
		if (m[2] > 0)
			break;
	}
	ASSERT_LT(0, m[2]);
	ASSERT_EQ(0, kill(init, SIGKILL));
	ASSERT_EQ(init, waitpid(init, NULL, 0));
	self->nkids = 0;
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log,
				     NSTREE_EV_NS_DESTROYED, 0, EV_TIMEOUT_MS));

	i = nst_ev_find(&self->log, 0, NSTREE_EV_NS_INIT_EXIT, init);
	ASSERT_LE(0, i);
	EXPECT_EQ(3, self->log.ev[i].count);
	EXPECT_EQ(inum, self->log.ev[i].ns_inum);
	EXPECT_STREQ("fork,exit,ns-init-exit,zombie,reap", SEQ(init));
	for (k = 0; k < 3; k++) {
		int e = nst_ev_find(&self->log, 0, NSTREE_EV_EXIT, m[k]);

		ASSERT_LE(0, e);
		EXPECT_EQ(SIGKILL, self->log.ev[e].exit_code & 0x7f);
		EXPECT_LT(i, e) TH_LOG("member %d exited before NS_INIT_EXIT", k);
		/* init ignores SIGCHLD now: its children are autoreaped. */
		if (k < 2)
			EXPECT_STREQ("fork,exit,autoreap,reap", SEQ(m[k]));
		EXPECT_EQ(1, nst_ev_count(&self->log, NSTREE_EV_REAP, m[k]));
	}
	i = nst_ev_find(&self->log, 0, NSTREE_EV_NS_CREATED, getpid());
	ASSERT_LE(0, i);
	EXPECT_EQ(inum, self->log.ev[i].ns_inum);
	EXPECT_EQ(1, self->log.ev[i].ns_level);
	i = nst_ev_find(&self->log, i, NSTREE_EV_NS_DESTROYED, 0);
	ASSERT_LE(0, i);
	EXPECT_EQ(inum, self->log.ev[i].ns_inum);
	EXPECT_LT(nst_ev_find(&self->log, 0, NSTREE_EV_REAP, init), i);
}

/* With SIGCHLD ignored, a child is released without a wait. */
TEST_F(ev, autoreap_sigchld_ignored)
{
	pid_t p, c;
	int i;

	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		signal(SIGCHLD, SIG_IGN);
		c = fork();
		if (c == 0)
			_exit(0);
		/*
		 * wait() gives ECHILD as soon as the child is marked for
		 * autoreap, before release_task() unhashes it: exiting then
		 * would hand the child to init, out of this test's subtree.
		 * So stay until the kernel has released it.
		 */
		wait(NULL);
		while (kill(c, 0) == 0)
			sched_yield();
		_exit(0);
	}
	self->kids[self->nkids++] = p;
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	self->nkids = 0;
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, p,
				     EV_TIMEOUT_MS));
	c = child_of(&self->log, p, 0);
	ASSERT_LT(0, c);
	EXPECT_STREQ("fork,exit,autoreap,reap", SEQ(c));
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REAP, c);
	ASSERT_LE(0, i);
	EXPECT_EQ(NSTREE_REAP_SELF, self->log.ev[i].reason);
	EXPECT_EQ(c, self->log.ev[i].reaper.pid);
	EXPECT_EQ(0, nst_ev_count(&self->log, NSTREE_EV_ZOMBIE, c));
}

static int mt_pipe[2];

static void *mt_forker(void *arg)
{
	(void)arg;
	if (fork() == 0) {
		nst_wait_byte(mt_pipe[0]);
		_exit(0);
	}
	return NULL;	/* this thread exits; the process lives on */
}

static int mt_scenario(void)
{
	pthread_t t;

	close(mt_pipe[1]);
	if (pthread_create(&t, NULL, mt_forker, NULL) ||
	    pthread_join(t, NULL))
		return 1;
	/* Told to go on once the reparenting was seen. */
	nst_wait_byte(mt_pipe[0]);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return 0;
}

/*
 * The thread that forked a child exits while its process lives on: the
 * child gets another thread of the same process as its parent.
 */
TEST_F(ev, forking_thread_exits)
{
	pid_t p, c;
	int i;

	ASSERT_EQ(0, pipe(mt_pipe));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0)
		_exit(mt_scenario());
	self->kids[self->nkids++] = p;
	for (i = 0; i < 400 && child_of(&self->log, p, 0) < 0; i++)
		nst_ev_wait(&self->c, &self->log, NULL, NULL, 50);
	c = child_of(&self->log, p, 0);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REPARENT,
				     c, EV_TIMEOUT_MS));
	close(mt_pipe[1]);	/* both may go */
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	self->nkids = 0;
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, p,
				     EV_TIMEOUT_MS));

	EXPECT_STREQ("fork,reparent,exit,zombie,reap", SEQ(c));
	i = nst_ev_find(&self->log, 0, NSTREE_EV_REPARENT, c);
	EXPECT_EQ(NSTREE_REPARENT_THREAD, self->log.ev[i].reason);
	EXPECT_EQ(p, self->log.ev[i].old_parent.pid);
	EXPECT_EQ(p, self->log.ev[i].parent.pid);
	EXPECT_NE(p, self->log.ev[i].old_parent.tid);
	EXPECT_EQ(p, self->log.ev[i].parent.tid);
	/* The thread: a FORK marked as one, and its EXIT, not the process's. */
	i = nst_ev_find(&self->log, 0, NSTREE_EV_FORK, p);
	i = nst_ev_find(&self->log, i + 1, NSTREE_EV_FORK, p);
	ASSERT_LE(0, i);
	EXPECT_TRUE(self->log.ev[i].thread);
	EXPECT_EQ(self->log.ev[i].proc.tid,
		  self->log.ev[nst_ev_find(&self->log, 0, NSTREE_EV_REPARENT,
					   c)].old_parent.tid);
}

static int seq_reached(const struct nst_evlog *log, void *arg)
{
	return log->next_seq > *(uint64_t *)arg;
}

/*
 * A long test's own fixture, only for its timeout (the harness gives a
 * TEST() 30 s; each long test's is at least three times its longest run).
 */
FIXTURE(long_run) {
};

FIXTURE_SETUP(long_run)
{
}

FIXTURE_TEARDOWN(long_run)
{
}

/*
 * Every gap in the sequence numbers is a LOST notice of that size. 21 s
 * of guest time on the debug line.
 */
TEST_F_TIMEOUT(long_run, lost_when_not_reading, 90)
{
	struct nst_sub_opts o = {
		.subtree = getpid(), .queue_len = 16,
		.events = 1 << NSTREE_EV_FORK | 1 << NSTREE_EV_EXIT |
			  1 << NSTREE_EV_REAP,
	};
	struct nst_evlog log = { 0 };
	struct nst_conn c;
	int small = 4096, i;
	uint64_t expected, last = 301 * 3;
	pid_t p;

	ASSERT_EQ(0, nst_open(&c));
	ASSERT_EQ(0, nst_subscribe(&c, &o, NULL)) TH_LOG("%s", c.extack);
	/* A small socket buffer: this subscriber reads nothing meanwhile. */
	ASSERT_EQ(0, setsockopt(nst_event_fd(&c), SOL_SOCKET, SO_RCVBUFFORCE,
				&small, sizeof(small)));
	for (i = 0; i < 300; i++) {
		p = fork();
		ASSERT_LE(0, p);
		if (p == 0)
			_exit(0);
		ASSERT_EQ(p, waitpid(p, NULL, 0));
	}
	/*
	 * Now read: what was kept, and LOST notices for the rest, up to the
	 * last event (delivered, or reported lost).
	 */
	p = fork();
	if (p == 0)
		_exit(0);
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	ASSERT_EQ(0, nst_ev_wait(&c, &log, seq_reached, &last, EV_TIMEOUT_MS));
	EXPECT_EQ(0, log.gap_error);
	EXPECT_LT(0, log.lost);
	/* 301 children, three events each: every one delivered or lost. */
	expected = 301 * 3;
	EXPECT_EQ(expected, log.ev[log.n - 1].seq);
	for (i = 0; i < (int)log.n; i++)
		if (log.ev[i].type == NSTREE_EV_LOST)
			expected++;
	EXPECT_EQ(expected, log.n + log.lost)
		TH_LOG("%zu events, %llu lost", log.n,
		       (unsigned long long)log.lost);
	TH_LOG("kept %zu, lost %llu of %d", log.n,
	       (unsigned long long)log.lost, 301 * 3);
	nst_close(&c);
	nst_evlog_free(&log);
}

static int all_reaped(const struct nst_evlog *log, void *arg)
{
	int *want = arg;
	size_t i;
	int n = 0;

	for (i = 0; i < log->n; i++)
		n += log->ev[i].type == NSTREE_EV_REAP;
	return n >= *want;
}

/*
 * 1,000 fork/exit/wait cycles: exactly 1,000 of each, in causal order.
 * A cycle takes 5 ms to 40 ms in an emulated guest (more on a debug
 * kernel), so it gets more than the harness's default 30 s.
 */
TEST_F_TIMEOUT(long_run, thousand_cycles, 90)
{
	struct nst_sub_opts o = {
		.subtree = getpid(), .queue_len = 65536,
		.events = 1 << NSTREE_EV_FORK | 1 << NSTREE_EV_EXIT |
			  1 << NSTREE_EV_REAP,
	};
	static int state[4194305];
	struct nst_evlog log = { 0 };
	int want = 1000, n[4] = { 0 }, bad = 0, i;
	struct nst_conn c;
	pid_t p;

	ASSERT_EQ(0, nst_ev_subscribe(&c, &o)) TH_LOG("%s", c.extack);
	for (i = 0; i < 1000; i++) {
		p = fork();
		ASSERT_LE(0, p);
		if (p == 0)
			_exit(0);
		ASSERT_EQ(p, waitpid(p, NULL, 0));
		if (i % 50 == 0)
			nst_ev_wait(&c, &log, NULL, NULL, 0);
	}
	ASSERT_EQ(0, nst_ev_wait(&c, &log, all_reaped, &want, EV_TIMEOUT_MS));
	/* Follow each child through FORK (1), EXIT (2), REAP (3). */
	for (i = 0; i < (int)log.n; i++) {
		struct nst_event *e = &log.ev[i];
		int *st = &state[e->proc.pid];

		switch (e->type) {
		case NSTREE_EV_FORK:
			bad += *st != 0;
			*st = 1;
			n[1]++;
			break;
		case NSTREE_EV_EXIT:
			bad += *st != 1;
			*st = 2;
			n[2]++;
			break;
		case NSTREE_EV_REAP:
			bad += *st != 2;
			*st = 0;
			n[3]++;
			break;
		}
	}
	EXPECT_EQ(0, log.lost);
	EXPECT_EQ(0, log.gap_error);
	EXPECT_EQ(1000, n[1]);
	EXPECT_EQ(1000, n[2]);
	EXPECT_EQ(1000, n[3]);
	EXPECT_EQ(0, bad) TH_LOG("events out of causal order");
	nst_close(&c);
	nst_evlog_free(&log);
}

/* ---- Exit of a multithreaded process ---- */

#define GD_THREADS 8
#define GD_ROUNDS 100

static void *gd_spin(void *arg __attribute__((unused)))
{
	for (;;)
		pause();
	return NULL;
}

/* GD_THREADS threads, then exit_group(3) or death by SIGTERM. */
static void gd_process(int by_signal)
{
	pthread_t th;
	int i;

	for (i = 0; i < GD_THREADS; i++)
		if (pthread_create(&th, NULL, gd_spin, NULL))
			_exit(99);
	if (by_signal)
		raise(SIGTERM);
	exit(3);
}

/*
 * Processes of GD_THREADS + 1 threads die together, GD_ROUNDS times, by
 * exit_group() or a fatal signal: exactly one EXIT of each has GROUP_DEAD
 * (the thread whose exit made the group dead, as do_exit() decides it),
 * and every EXIT of it carries the status wait() returns for it.
 */
TEST_F_TIMEOUT(ev, group_exit_of_threads, 60)
{
	int round, i, n_exit, n_gd, st, bad = 0;
	pid_t p[GD_ROUNDS];
	int status[GD_ROUNDS];

	for (round = 0; round < GD_ROUNDS; round++) {
		p[round] = fork();
		ASSERT_LE(0, p[round]);
		if (!p[round])
			gd_process(round & 1);
		ASSERT_EQ(p[round], waitpid(p[round], &st, 0));
		status[round] = st;
	}
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP,
				     p[GD_ROUNDS - 1], EV_TIMEOUT_MS));
	for (round = 0; round < GD_ROUNDS; round++) {
		n_exit = n_gd = 0;
		for (i = 0; i < (int)self->log.n; i++) {
			const struct nst_event *e = &self->log.ev[i];

			if (e->type != NSTREE_EV_EXIT ||
			    e->proc.pid != (uint32_t)p[round])
				continue;
			n_exit++;
			n_gd += e->group_dead;
			if (e->exit_code != (uint32_t)status[round]) {
				if (!bad++)
					TH_LOG("%d: an EXIT says status %#x, wait() %#x",
					       p[round], e->exit_code,
					       status[round]);
			}
		}
		EXPECT_EQ(GD_THREADS + 1, n_exit) TH_LOG("process %d", p[round]);
		EXPECT_EQ(1, n_gd) TH_LOG("process %d: %d EXITs with GROUP_DEAD",
					  p[round], n_gd);
	}
	EXPECT_EQ(0, bad);
}

/* ---- Times in a time namespace ---- */

/* A boot clock 10 days ahead: far from anything a fresh guest reads. */
/* ---- Namespace IDs in events ---- */

/* An init that forks and reaps a child at each byte, and exits at EOF. */
static int ns_id_init(int go)
{
	char b;
	pid_t c;

	while (read(go, &b, 1) == 1) {
		c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	return 0;
}

static int ns_event(const struct nst_evlog *log, uint32_t type, uint32_t inum)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == type && log->ev[i].ns_inum == inum)
			return (int)i;
	return -1;
}

static int ns_destroyed_ev(const struct nst_evlog *log, void *arg)
{
	return ns_event(log, NSTREE_EV_NS_DESTROYED, *(uint32_t *)arg) >= 0;
}

static int reaped_by(const struct nst_evlog *log, void *arg)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_REAP &&
		    log->ev[i].reaper.pid == *(uint32_t *)arg)
			return 1;
	return 0;
}

/*
 * NS_CREATED, NS_DESTROYED and every process nest carry the IDs GET_NS and
 * GET_PROC give; a subscription can name its namespace by ID, and an ID
 * whose namespace is gone names nothing.
 */
TEST(namespace_ids_in_events)
{
	struct nst_sub_opts wo = { .subtree = getpid(), .queue_len = 65536 };
	struct nst_sub_opts fo = { 0 };
	struct nst_evlog wlog = { 0 }, flog = { 0 };
	struct nst_sub_info winfo, finfo;
	struct nst_conn w, f, q;
	struct nst_info own;
	struct nst_proc xp;
	uint32_t inum, xpid;
	int go[2], err, i, n = 0;
	size_t k;
	pid_t x;

	ASSERT_EQ(0, nst_open(&q));
	ASSERT_EQ(0, nst_get_info(&q, 0, &own));
	ASSERT_NE(0, own.id);
	err = nst_open(&w);
	ASSERT_EQ(0, err);
	nst_event_bufsize(&w, 8 << 20);
	err = nst_subscribe(&w, &wo, &winfo);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), w.extack);
	EXPECT_EQ(own.id, winfo.pidns_id);
	EXPECT_EQ(0, winfo.ns_id);

	ASSERT_EQ(0, pipe(go));
	x = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, x);
	if (x == 0) {
		close(go[1]);
		_exit(ns_id_init(go[0]));
	}
	close(go[0]);
	xpid = x;
	inum = nst_pidns_of(x);
	ASSERT_NE(0, inum);
	ASSERT_EQ(0, nst_get_proc(&q, x, &xp));
	ASSERT_NE(0, xp.pidns_id);
	EXPECT_NE(own.id, xp.pidns_id);

	/* A filter named by ID: the reply names it both ways. */
	fo.ns_id = xp.pidns_id;
	ASSERT_EQ(0, nst_open(&f));
	nst_event_bufsize(&f, 8 << 20);
	err = nst_subscribe(&f, &fo, &finfo);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), f.extack);
	EXPECT_EQ(inum, finfo.ns_inum);
	EXPECT_EQ(xp.pidns_id, finfo.ns_id);

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(0, nst_ev_wait(&w, &wlog, reaped_by, &xpid, EV_TIMEOUT_MS));
	ASSERT_EQ(0, nst_ev_wait(&f, &flog, reaped_by, &xpid, EV_TIMEOUT_MS));

	i = ns_event(&wlog, NSTREE_EV_NS_CREATED, inum);
	ASSERT_LE(0, i);
	EXPECT_EQ(xp.pidns_id, wlog.ev[i].ns_id);
	EXPECT_EQ(own.id, wlog.ev[i].ns_parent_id);
	EXPECT_EQ(own.id, wlog.ev[i].proc.pidns_id);
	i = nst_ev_find(&wlog, 0, NSTREE_EV_FORK, x);
	ASSERT_LE(0, i);
	EXPECT_EQ(xp.pidns_id, wlog.ev[i].proc.pidns_id);
	EXPECT_EQ(own.id, wlog.ev[i].parent.pidns_id);
	EXPECT_EQ(xp.start_time, wlog.ev[i].proc.start_time);
	/* Every process nest of the namespace's events, in both streams. */
	for (k = 0; k < flog.n; k++) {
		if (!flog.ev[k].proc.present)
			continue;
		n++;
		EXPECT_EQ(flog.ev[k].proc.pidns_inum == inum ? xp.pidns_id : own.id,
			  flog.ev[k].proc.pidns_id);
	}
	EXPECT_LE(3, n);
	nst_close(&f);

	/* Gone: NS_DESTROYED has its ID, which then names nothing. */
	close(go[1]);
	ASSERT_EQ(x, waitpid(x, NULL, 0));
	ASSERT_EQ(0, nst_ev_wait(&w, &wlog, ns_destroyed_ev, &inum,
				 EV_TIMEOUT_MS));
	i = ns_event(&wlog, NSTREE_EV_NS_DESTROYED, inum);
	EXPECT_EQ(xp.pidns_id, wlog.ev[i].ns_id);
	i = ns_event(&wlog, NSTREE_EV_NS_INIT_EXIT, inum);
	ASSERT_LE(0, i);
	EXPECT_EQ(xp.pidns_id, wlog.ev[i].ns_id);
	/* X's start time in every event about it, its REAP included. */
	for (k = 0, n = 0; k < wlog.n; k++)
		if (wlog.ev[k].proc.present && wlog.ev[k].proc.pid == xpid) {
			n++;
			EXPECT_EQ(xp.start_time, wlog.ev[k].proc.start_time)
				TH_LOG("%s", nst_event_name(wlog.ev[k].type));
		}
	EXPECT_LE(4, n);
	EXPECT_LE(0, nst_ev_find(&wlog, 0, NSTREE_EV_REAP, x));
	ASSERT_EQ(0, nst_open(&f));
	EXPECT_EQ(-ENOENT, nst_subscribe(&f, &fo, NULL));
	nst_close(&f);
	/* One name at a time. */
	fo.ns_inum = own.inum;
	fo.ns_id = own.id;
	ASSERT_EQ(0, nst_open(&f));
	EXPECT_EQ(-EINVAL, nst_subscribe(&f, &fo, NULL));
	nst_close(&f);

	EXPECT_EQ(0, wlog.gap_error);
	EXPECT_EQ(0, wlog.lost);
	nst_close(&w);
	nst_close(&q);
	nst_evlog_free(&wlog);
	nst_evlog_free(&flog);
}

/* ---- A reused PID ---- */

static int reaped_twice(const struct nst_evlog *log, void *arg)
{
	return nst_ev_count(log, NSTREE_EV_REAP, *(uint32_t *)arg) >= 2;
}

/*
 * Two processes with the same PID, one after the other (the second one's
 * PID chosen through ns_last_pid): their events tell them apart by
 * START_TIME, which is the one GET_PROC gives.
 */
TEST(pid_reuse_start_time)
{
	struct nst_sub_opts o = { .subtree = getpid(), .queue_len = 65536 };
	struct nst_evlog log = { 0 };
	uint64_t first_start = 0, second_start = 0;
	struct nst_conn w, q;
	struct nst_proc p;
	int go[2] = { -1, -1 }, tries, fd;
	uint32_t apid;
	pid_t a, b = -1;
	char buf[32];
	size_t k;

	ASSERT_EQ(0, nst_open(&q));
	ASSERT_EQ(0, nst_ev_subscribe(&w, &o)) TH_LOG("%s", w.extack);
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0)
		_exit(0);
	ASSERT_EQ(a, waitpid(a, NULL, 0));
	apid = a;
	for (tries = 0; tries < 50; tries++) {
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
		ASSERT_LE(0, fd);
		snprintf(buf, sizeof(buf), "%d", a - 1);
		ASSERT_LT(0, write(fd, buf, strlen(buf)));
		close(fd);
		ASSERT_EQ(0, pipe(go));
		b = fork();
		ASSERT_LE(0, b);
		if (b == 0) {
			close(go[1]);
			nst_wait_byte(go[0]);
			_exit(0);
		}
		close(go[0]);
		if (b == a)
			break;
		close(go[1]);
		ASSERT_EQ(b, waitpid(b, NULL, 0));
	}
	ASSERT_EQ(a, b) TH_LOG("PID %d never came back", a);
	ASSERT_EQ(0, nst_get_proc(&q, b, &p));
	nst_send_byte(go[1]);
	close(go[1]);
	ASSERT_EQ(b, waitpid(b, NULL, 0));
	ASSERT_EQ(0, nst_ev_wait(&w, &log, reaped_twice, &apid,
				 EV_TIMEOUT_MS));
	for (k = 0; k < log.n; k++) {
		if (log.ev[k].type != NSTREE_EV_FORK || log.ev[k].proc.pid != apid)
			continue;
		if (!first_start)
			first_start = log.ev[k].proc.start_time;
		else
			second_start = log.ev[k].proc.start_time;
	}
	EXPECT_NE(0, first_start);
	EXPECT_LT(first_start, second_start);
	EXPECT_EQ(p.start_time, second_start);
	/* Every event about the PID is about one of the two, by start time. */
	for (k = 0; k < log.n; k++)
		if (log.ev[k].proc.present && log.ev[k].proc.pid == apid)
			EXPECT_TRUE(log.ev[k].proc.start_time == first_start ||
				    log.ev[k].proc.start_time == second_start)
				TH_LOG("%s", nst_event_name(log.ev[k].type));
	EXPECT_EQ(0, log.gap_error);
	nst_close(&w);
	nst_close(&q);
	nst_evlog_free(&log);
}

#define TIMENS_BOOT_OFF_S 864000

struct timens_seen {
	int err;		/* 0, or the step that failed */
	int64_t t0, t1;		/* CLOCK_BOOTTIME around the fork, ns */
	uint64_t ev_time;	/* the FORK event's time */
	uint64_t start_ns;	/* GET_PROC's start time of the process */
	unsigned long long stat_ticks;	/* /proc/self/stat's, field 22 */
};

static int64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static unsigned long long stat_start_ticks(void)
{
	unsigned long long v = 0;
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	int field;

	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* Field 3 follows the comm's ')'; the start time is field 22. */
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

/* Inside the time namespace: what the module and the kernel say. */
static void timens_look(struct timens_seen *r)
{
	struct nst_sub_opts o = { .subtree = getpid() };
	struct nst_evlog log = { 0 };
	struct nst_proc p;
	struct nst_conn c;
	pid_t kid;
	int i;

	r->stat_ticks = stat_start_ticks();
	if (nst_open(&c) || nst_get_proc(&c, getpid(), &p)) {
		r->err = 1;
		return;
	}
	r->start_ns = p.start_time;
	nst_close(&c);
	if (nst_ev_subscribe(&c, &o)) {
		r->err = 2;
		return;
	}
	r->t0 = boot_ns();
	kid = fork();
	if (!kid)
		_exit(0);
	r->t1 = boot_ns();
	waitpid(kid, NULL, 0);
	if (nst_ev_wait_for(&c, &log, NSTREE_EV_FORK, kid, EV_TIMEOUT_MS)) {
		r->err = 3;
	} else {
		i = nst_ev_find(&log, 0, NSTREE_EV_FORK, kid);
		r->ev_time = log.ev[i].time;
	}
	nst_evlog_free(&log);
	nst_close(&c);
}

/*
 * In a time namespace whose boot clock is 10 days ahead, a process's start
 * time is the one its /proc/self/stat gives, and an event's time falls
 * between the subscriber's own clock_gettime(CLOCK_BOOTTIME) calls around
 * it: times are read as the caller's clock reads them.
 */
TEST(times_in_time_namespace)
{
	struct timens_seen r = { 0 };
	long tck = sysconf(_SC_CLK_TCK);
	int fd[2], st;
	pid_t a, b;
	char off[64];

	ASSERT_EQ(0, pipe(fd));
	a = fork();
	ASSERT_LE(0, a);
	if (!a) {
		close(fd[0]);
		if (unshare(CLONE_NEWTIME))
			_exit(errno == EINVAL ? 2 : 1);
		snprintf(off, sizeof(off), "boottime %d 0\n", TIMENS_BOOT_OFF_S);
		st = open("/proc/self/timens_offsets", O_WRONLY);
		if (st < 0 || write(st, off, strlen(off)) != (ssize_t)strlen(off))
			_exit(3);
		close(st);
		b = fork();	/* the first process of the time namespace */
		if (!b) {
			timens_look(&r);
			_exit(write(fd[1], &r, sizeof(r)) == sizeof(r) ? 0 : 4);
		}
		_exit(waitpid(b, &st, 0) == b && WIFEXITED(st) ?
		      WEXITSTATUS(st) : 5);
	}
	close(fd[1]);
	ASSERT_EQ(a, waitpid(a, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	if (WEXITSTATUS(st) == 2)
		SKIP(return, "no time namespaces in this kernel (CONFIG_TIME_NS)");
	ASSERT_EQ(0, WEXITSTATUS(st));
	ASSERT_EQ(sizeof(r), read(fd[0], &r, sizeof(r)));
	close(fd[0]);
	ASSERT_EQ(0, r.err);
	TH_LOG("in the time namespace: boot clock %.3f s, start %.3f s (stat %llu ticks), FORK at %.3f s",
	       r.t0 / 1e9, r.start_ns / 1e9, r.stat_ticks, r.ev_time / 1e9);
	/* The namespace's clock is the one read: 10 days ahead. */
	ASSERT_LT((int64_t)TIMENS_BOOT_OFF_S * 1000000000LL, r.t0);
	EXPECT_EQ(r.stat_ticks, r.start_ns / (1000000000ULL / tck));
	EXPECT_LE((uint64_t)r.t0, r.ev_time);
	EXPECT_GE((uint64_t)r.t1, r.ev_time);
}

TEST_HARNESS_MAIN
