// SPDX-License-Identifier: GPL-2.0
/*
 * lab-threads (lab 10): threads, an ignored SIGCHLD, a double fork.
 *
 *   starter             reaps every child it has
 *   |- mt               a leader that exits (pthread_exit) on SIGUSR1,
 *   |  `- thread mt_t1  before its thread, which calls _exit(7) on SIGUSR2
 *   |- ex               a leader that only sleeps,
 *   |  `- thread ex_t2  and a thread that calls execve() on SIGUSR2
 *   |- nowait           SIGCHLD set to SIG_IGN; on SIGUSR1 it calls wait()
 *   |  `- kid           and says what it returned, then exits
 *   `- middle           forks daemon, and exits on SIGUSR1: the first half
 *      `- daemon        of a double fork
 *
 * Each child tells starter, through a pipe, once it is set up, and
 * starter forks the next only then: every run makes the same events in
 * the same order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static int built[2];	/* a byte from each child: "I am set up" */

static void set_up(void)
{
	if (write(built[1], "b", 1) != 1)
		lab_die("pipe write");
}

/* Wait for one signal, @sig; the others stay pending for their taker. */
static void wait_for(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	while (sigwaitinfo(&set, NULL) < 0)
		if (errno != EINTR)
			lab_die("sigwaitinfo");
}

static void *mt_t1(void *arg)
{
	(void)arg;
	lab_thread_role("mt_t1");
	set_up();
	wait_for(SIGUSR2);
	_exit(7);	/* exit_group(): the whole process, with status 7 */
}

static void mt(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, mt_t1, NULL))
		lab_die("pthread_create");
	wait_for(SIGUSR1);
	pthread_exit(NULL);	/* the leader goes; mt_t1 and the process stay */
}

static void *ex_t2(void *arg)
{
	(void)arg;
	lab_thread_role("ex_t2");
	set_up();
	wait_for(SIGUSR2);
	/* From a thread that is not the leader: it takes the leader's PID. */
	execlp("lab-threads", "lab-threads", "idle", (char *)NULL);
	lab_die("execlp");
}

static void ex(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, ex_t2, NULL))
		lab_die("pthread_create");
	lab_idle();
}

static void kid(void)
{
	set_up();
	lab_idle();
}

static void nowait(void)
{
	pid_t pid;

	/* Nobody will wait for my children: the kernel reaps them at once. */
	signal(SIGCHLD, SIG_IGN);
	lab_fork("kid", kid);
	wait_for(SIGUSR1);
	pid = wait(NULL);
	dprintf(1, "nowait: wait() = %d (%s)\n", (int)pid,
		pid < 0 ? strerror(errno) : "a child");
	exit(0);
}

static void daemon_(void)
{
	set_up();
	lab_idle();
}

static void middle(void)
{
	lab_fork("daemon", daemon_);
	wait_for(SIGUSR1);
	exit(0);
}

/* Fork @name and wait until it (or its thread or child) is set up. */
static void start(const char *name, void (*body)(void))
{
	char c;

	lab_fork(name, body);
	if (read(built[0], &c, 1) != 1) {
		errno = EIO;
		lab_die(name);
	}
}

int main(int argc, char **argv)
{
	lab_block_usr();
	if (argc == 2 && !strcmp(argv[1], "idle"))
		lab_idle();	/* what ex_t2 execs */
	lab_role("starter");
	if (pipe2(built, O_CLOEXEC) < 0)
		lab_die("pipe");
	start("mt", mt);
	start("ex", ex);
	start("nowait", nowait);
	start("middle", middle);
	lab_ready();
	lab_reap_all();
}
