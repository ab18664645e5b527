// SPDX-License-Identifier: GPL-2.0
/*
 * lab-pidns (lab 6): a PID namespace, the seed's nginx picture.
 *
 *   starter             unshare(CLONE_NEWPID): it stays where it is; its
 *   |                   next child is the new namespace's first process.
 *   |                   It waits for that child
 *   `- nsinit           PID 1 of the new namespace, a reaping init
 *      `- nginx         PID 2; SIGTERM kills it
 *         `- worker     PID 3
 *
 * Each process says what getpid() and getppid() return to it: its PID
 * inside, and 0 for a parent outside its namespace.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static void say(const char *name)
{
	/* write(2), unbuffered: nothing left in a buffer to fork. */
	dprintf(1, "%s: getpid() = %d, getppid() = %d\n", name,
		(int)getpid(), (int)getppid());
}

static void worker(void)
{
	say("worker");
	lab_ready();
	lab_idle();
}

static void nginx(void)
{
	say("nginx");
	lab_fork("worker", worker);
	lab_idle();
}

static void nsinit(void)
{
	say("nsinit");
	lab_fork("nginx", nginx);
	/* An init that reaps: every child, its own and adopted ones. */
	lab_reap_all();
}

int main(void)
{
	pid_t init;

	lab_block_usr();
	lab_role("starter");
	if (unshare(CLONE_NEWPID) < 0)
		lab_die("unshare(CLONE_NEWPID)");
	say("starter");
	init = lab_fork("nsinit", nsinit);
	if (waitpid(init, NULL, 0) != init)
		lab_die("waitpid");
	lab_idle();
}
