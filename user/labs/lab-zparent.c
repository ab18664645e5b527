// SPDX-License-Identifier: GPL-2.0
/*
 * lab-zparent (lab 4), TLPI exercise 26-2: a child whose parent is a
 * zombie. When is the child adopted: when its parent exits, or only when
 * the grandparent reaps the parent?
 *
 *   grandparent         forks parent and does not wait for it; SIGUSR1
 *   |                   makes it wait (waitpid)
 *   `- parent           forks child; SIGTERM kills it
 *      `- child         waits (for SIGTERM)
 */
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static void child(void)
{
	lab_idle();
}

static void parent(void)
{
	lab_fork("child", child);
	lab_ready();
	lab_idle();
}

int main(void)
{
	pid_t p;

	lab_block_usr();
	lab_role("grandparent");
	p = lab_fork("parent", parent);

	lab_next();			/* SIGUSR1: reap the (dead) parent */
	if (waitpid(p, NULL, 0) != p)
		lab_die("waitpid");
	lab_idle();
}
