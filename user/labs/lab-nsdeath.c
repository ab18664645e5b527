// SPDX-License-Identifier: GPL-2.0
/*
 * lab-nsdeath (lab 8): the death of a namespace's init.
 *
 *   starter             unshare(CLONE_NEWPID): each child it forks from
 *   |                   then on is in the new namespace
 *   |- nsinit     (1)   the namespace's init; SIGKILL from outside kills it
 *   `- stray      (2)   starter's second child: in the namespace, with its
 *                       parent outside (getppid() = 0). It ignores SIGTERM
 *                       and blocks every signal it may: neither saves it
 *
 * On SIGUSR1, starter tries to fork once more, into the namespace whose
 * init is dead, says what fork() returned, then reaps stray and nsinit.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static void nsinit(void)
{
	lab_idle();
}

static void stray(void)
{
	sigset_t all;

	signal(SIGTERM, SIG_IGN);
	sigfillset(&all);	/* the kernel keeps SIGKILL and SIGSTOP out */
	sigprocmask(SIG_BLOCK, &all, NULL);
	dprintf(1, "stray: getpid() = %d, getppid() = %d\n", (int)getpid(),
		(int)getppid());
	lab_ready();
	lab_idle();
}

int main(void)
{
	pid_t init, s, pid;

	lab_block_usr();
	lab_role("starter");
	if (unshare(CLONE_NEWPID) < 0)
		lab_die("unshare(CLONE_NEWPID)");
	init = lab_fork("nsinit", nsinit);
	s = lab_fork("stray", stray);

	lab_next();		/* SIGUSR1: once nsinit is dead */
	pid = fork();
	if (pid == 0)
		_exit(0);
	dprintf(1, "starter: fork() = %d (%s)\n", (int)pid,
		pid < 0 ? strerror(errno) : "a child");
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (waitpid(s, NULL, 0) != s || waitpid(init, NULL, 0) != init)
		lab_die("waitpid");
	lab_idle();
}
