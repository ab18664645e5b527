// SPDX-License-Identifier: GPL-2.0
/*
 * lab-zombie (lab 2): a parent that does not wait.
 *
 *   shell               starts parent and never waits for it
 *   `- parent           forks zombie1 and zombie2 and does not wait;
 *      |                SIGUSR1 makes it wait for zombie1 (waitpid)
 *      |- zombie1       exits at once with status 7
 *      `- zombie2       exits at once with status 3
 *
 * A child that has exited stays a zombie (state Z) until its parent
 * collects its status. kill -9 cannot remove it: it is dead already.
 * Two things remove it: the parent's wait, or the parent's own death,
 * after which init adopts the zombie and reaps it.
 *
 * The shell is there so that nothing reaps parent while the lab looks at
 * its zombies: had the lab runner been parent's parent, it would reap it
 * at the moment init reaps zombie2, and the two reaps would come in
 * either order from run to run.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static void exit7(void)
{
	_exit(7);
}

static void exit3(void)
{
	_exit(3);
}

static void parent(void)
{
	pid_t z1, z2;

	/* One after the other, so the events come in one order. */
	z1 = lab_fork("zombie1", exit7);
	lab_wait_zombie(z1);
	z2 = lab_fork("zombie2", exit3);
	lab_wait_zombie(z2);
	lab_ready();

	lab_next();			/* SIGUSR1: collect zombie1, only it */
	if (waitpid(z1, NULL, 0) != z1)
		lab_die("waitpid");
	lab_idle();			/* until SIGTERM kills it */
}

int main(void)
{
	lab_block_usr();
	lab_role("shell");
	lab_fork("parent", parent);
	lab_idle();
}
