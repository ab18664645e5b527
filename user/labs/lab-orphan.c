// SPDX-License-Identifier: GPL-2.0
/*
 * lab-orphan (lab 3): the seed's two experiments with `tail -f`, whose
 * shell goes away.
 *
 *   shell               on SIGHUP (the terminal hangs up) passes SIGHUP
 *   |                   on to its jobs, as bash does, waits for those it
 *   |                   kills, then dies of SIGHUP itself
 *   |- tail1            `tail -f file`: SIGHUP kills it
 *   `- tail2            `nohup tail -f file`: nohup made it ignore
 *                       SIGHUP, so it outlives the shell: an orphan,
 *                       which the kernel hands to init
 *
 * Waiting for tail1 before dying is this lab's addition: it keeps the
 * events in one order from run to run.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static pid_t tail1, tail2;

static void hangup(int sig)
{
	kill(tail1, SIGHUP);
	kill(tail2, SIGHUP);
	waitpid(tail1, NULL, 0);	/* tail2 ignores it: no wait */
	signal(sig, SIG_DFL);
	raise(sig);			/* die of SIGHUP, like a shell */
}

int main(void)
{
	char *t1[] = { "tail", "-f", "file", NULL };
	char *t2[] = { "nohup", "tail", "-f", "file", NULL };

	lab_tail_file();
	lab_role("shell");
	tail1 = lab_spawn("tail1", t1);
	lab_wait_open(tail1);
	tail2 = lab_spawn("tail2", t2);
	lab_wait_open(tail2);		/* nohup has run tail in its place */
	signal(SIGHUP, hangup);
	lab_ready();
	lab_idle();
}
