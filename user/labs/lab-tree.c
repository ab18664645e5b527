// SPDX-License-Identifier: GPL-2.0
/*
 * lab-tree (lab 1): the seed's terminal, shell and `tail -f`, as a
 * process tree to look at with ps, pstree and nstree.
 *
 *   terminal            this program: it forks the shell, then waits
 *   `- shell            forks two jobs and never calls wait()
 *      |- tail          `tail -f file`, waiting for lines (file is a FIFO
 *      |                nobody writes to: see lab_tail_file())
 *      `- job           exits at once with status 0: a zombie, since
 *                       the shell does not wait for it
 *
 * Nothing here is simulated: each is a real process, and what the steps
 * print is what the kernel says about them.
 */
#include <unistd.h>

#include "lab.h"

static void job(void)
{
	_exit(0);
}

static void shell(void)
{
	char *tail[] = { "tail", "-f", "file", NULL };
	pid_t j;

	lab_wait_open(lab_spawn("tail", tail));
	j = lab_fork("job", job);
	lab_wait_zombie(j);
	lab_ready();
	lab_idle();
}

int main(void)
{
	lab_tail_file();
	lab_role("terminal");
	lab_fork("shell", shell);
	lab_idle();
}
