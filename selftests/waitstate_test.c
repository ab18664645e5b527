// SPDX-License-Identifier: GPL-2.0
/*
 * What a zombie's diagnosis reads of a process, against the kernel's own
 * answers: NSTREE_A_PROC_SIGCHLD against SigIgn and SigCgt of
 * /proc/PID/status, NSTREE_A_PROC_IN_WAIT against /proc/PID/wchan
 * (do_wait) and hidden where wchan is, NSTREE_A_PROC_ZOMBIE_NS against the
 * test's own clock around a zombie's life. Handshakes are pipes and
 * waitid(WNOWAIT); the one poll is of /proc/PID/wchan, the kernel's own
 * word that a process sleeps in do_wait().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"
#include "procfs.h"

/* SigIgn or SigCgt of /proc/PID/status holds SIGCHLD: the nstree enum. */
static int status_sigchld(pid_t pid)
{
	unsigned long long ign, cgt, bit = 1ULL << (SIGCHLD - 1);
	char path[64], buf[4096], *i, *c;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (proc_read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	i = strstr(buf, "\nSigIgn:");
	c = strstr(buf, "\nSigCgt:");
	if (!i || !c || sscanf(i, "\nSigIgn: %llx", &ign) != 1 ||
	    sscanf(c, "\nSigCgt: %llx", &cgt) != 1)
		return -1;
	return ign & bit ? NSTREE_SIGCHLD_IGNORE :
	       cgt & bit ? NSTREE_SIGCHLD_HANDLER : NSTREE_SIGCHLD_DEFAULT;
}

/* Is /proc/PID/wchan "do_wait"? 1, 0, or -1 when unreadable. */
static int wchan_do_wait(pid_t pid)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	if (proc_read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	return !strcmp(buf, "do_wait");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_chld(int sig)
{
	(void)sig;
}

/*
 * A child that sets SIGCHLD to @how (NSTREE_SIGCHLD_*), says so on @ready
 * and waits for the pipe @stop to close.
 */
static pid_t with_sigchld(int how, int ready, const int *stop)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	pid_t pid = fork();

	if (pid)
		return pid;
	if (how == NSTREE_SIGCHLD_IGNORE)
		sa.sa_handler = SIG_IGN;
	else if (how == NSTREE_SIGCHLD_HANDLER)
		sa.sa_handler = on_chld;
	close(stop[1]);
	if (sigaction(SIGCHLD, &sa, NULL))
		_exit(1);
	nst_send_byte(ready);
	nst_wait_byte(stop[0]);
	_exit(0);
}

TEST(sigchld_each_disposition)
{
	static const int how[] = { NSTREE_SIGCHLD_DEFAULT,
				   NSTREE_SIGCHLD_IGNORE,
				   NSTREE_SIGCHLD_HANDLER };
	int ready[2], stop[2], status;
	pid_t pid[3];
	struct nst_conn c;
	struct nst_proc p;
	unsigned int i;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(stop));
	ASSERT_EQ(0, nst_open(&c));
	for (i = 0; i < 3; i++) {
		pid[i] = with_sigchld(how[i], ready[1], stop);
		ASSERT_LT(0, pid[i]);
		ASSERT_EQ(0, nst_wait_byte(ready[0]));
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, nst_get_proc(&c, pid[i], &p));
		EXPECT_EQ(how[i], p.sigchld) TH_LOG("child %u", i);
		EXPECT_EQ(how[i], status_sigchld(pid[i])) TH_LOG("child %u", i);
	}
	close(stop[1]);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	nst_close(&c);
	close(stop[0]);
	close(ready[0]);
	close(ready[1]);
}

struct sigchld_cmp {
	unsigned int compared, mismatches, absent;
	char first[128];
};

static int cmp_sigchld(const struct nst_proc *p, void *arg)
{
	struct sigchld_cmp *k = arg;
	int before = status_sigchld(p->pid);

	/* Read /proc on both sides of nothing: only a stable answer counts. */
	if (before < 0 || before != status_sigchld(p->pid))
		return 0;
	k->compared++;
	if (!p->sigchld)
		k->absent++;
	else if (p->sigchld != before && !k->mismatches++)
		snprintf(k->first, sizeof(k->first),
			 "PID %u (%s): nstree %u, /proc %d", p->pid, p->comm,
			 p->sigchld, before);
	return 0;
}

/* Every process of a dump, the kernel threads included. */
TEST(sigchld_matches_status)
{
	struct nst_proc_sel sel = { 0 };
	struct sigchld_cmp k = { 0 };
	struct nst_conn c;

	ASSERT_EQ(0, nst_open(&c));
	ASSERT_EQ(0, nst_dump_procs(&c, &sel, cmp_sigchld, &k));
	nst_close(&c);
	TH_LOG("%u processes compared", k.compared);
	EXPECT_LT(10, k.compared);
	EXPECT_EQ(0, k.absent);
	EXPECT_EQ(0, k.mismatches) TH_LOG("%s", k.first);
}

/* Run as nobody: what nstree gives of @pid's IN_WAIT (-1 hidden), or 9. */
static int in_wait_as_nobody(pid_t pid)
{
	struct nst_conn c;
	struct nst_proc p;
	int status;
	pid_t kid = fork();

	if (kid == 0) {
		if (nst_become_nobody(0) || nst_open(&c) ||
		    nst_get_proc(&c, pid, &p) || !p.sigchld)
			_exit(9);
		_exit(p.in_wait + 1);
	}
	if (kid < 0 || waitpid(kid, &status, 0) != kid || !WIFEXITED(status))
		return 9;
	return WEXITSTATUS(status) - 1;
}

/*
 * A parent blocked in waitpid() for a child that waits on a pipe, beside
 * a process blocked in read(): IN_WAIT 1 and 0, as wchan says; hidden
 * from nobody, to whom wchan says nothing either.
 */
TEST(in_wait_follows_do_wait)
{
	int stop[2], status;
	pid_t waiter, reader;
	struct nst_conn c;
	struct nst_proc p;

	ASSERT_EQ(0, pipe(stop));
	waiter = fork();
	ASSERT_LE(0, waiter);
	if (waiter == 0) {
		pid_t kid = fork();

		if (kid == 0) {
			close(stop[1]);
			nst_wait_byte(stop[0]);
			_exit(0);
		}
		close(stop[0]);
		close(stop[1]);
		_exit(kid > 0 && waitpid(kid, &status, 0) == kid ? 0 : 1);
	}
	reader = fork();
	ASSERT_LE(0, reader);
	if (reader == 0) {
		close(stop[1]);
		nst_wait_byte(stop[0]);
		_exit(0);
	}
	close(stop[0]);
	ASSERT_EQ(0, proc_wait_wchan(waiter, "do_wait", 10000));
	ASSERT_EQ(0, nst_open(&c));
	ASSERT_EQ(0, nst_get_proc(&c, waiter, &p));
	EXPECT_EQ(1, p.in_wait);
	ASSERT_EQ(0, nst_get_proc(&c, reader, &p));
	EXPECT_EQ(0, wchan_do_wait(reader));
	EXPECT_EQ(0, p.in_wait);
	/* Root's processes to nobody: not ptrace-readable, so not given. */
	EXPECT_EQ(-1, in_wait_as_nobody(waiter));
	nst_close(&c);
	close(stop[1]);
	ASSERT_EQ(waiter, waitpid(waiter, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_EQ(0, status);
}

/*
 * ZOMBIE_NS of a zombie, against the test's clock: at least the time
 * since waitid(WNOWAIT) said it was a zombie, less one second for its
 * last run (a loaded machine may run the dead task's last schedule()
 * late), and at most the time since its fork. A live process has none.
 */
TEST(zombie_age)
{
	struct nst_conn c;
	struct nst_proc p;
	siginfo_t si;
	double t0, t1, t2, t3, age;
	pid_t kid;

	ASSERT_EQ(0, nst_open(&c));
	ASSERT_EQ(0, nst_get_proc(&c, getpid(), &p));
	EXPECT_EQ(0, p.zombie_known);
	t0 = now();
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0)
		_exit(0);
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(0, waitid(P_PID, kid, &si, WEXITED | WNOWAIT));
	t1 = now();
	/* The quantity measured, not a handshake. */
	sleep(2);
	t2 = now();
	ASSERT_EQ(0, nst_get_proc(&c, kid, &p));
	t3 = now();
	EXPECT_EQ('Z', p.state);
	ASSERT_EQ(1, p.zombie_known);
	age = p.zombie_ns / 1e9;
	TH_LOG("age %.3f s; %.3f s since waitid() saw it, %.3f s since fork",
	       age, t2 - t1, t3 - t0);
	EXPECT_LE(t2 - t1 - 1.0, age);
	EXPECT_GE(t3 - t0 + 0.01, age);
	ASSERT_EQ(kid, waitpid(kid, NULL, 0));
	nst_close(&c);
}

TEST_HARNESS_MAIN
