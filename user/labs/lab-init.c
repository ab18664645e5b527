// SPDX-License-Identifier: GPL-2.0
/*
 * lab-init (lab 7): what the PID 1 of a namespace owes the others.
 *
 *   starter                 forks launcher, then unshare(CLONE_NEWPID)
 *   |- launcher             `nstree run -q --pid --init -- lab-init inside`
 *   |  `- goodinit    (1)   nstree's minimal init: reaps every child
 *   |     `- shell    (2)   the command: reaps its own children
 *   |        `- app2  (3)
 *   |           `- worker2 (4)
 *   `- lazyinit       (1)   an init that never calls wait()
 *      `- app         (2)   on SIGUSR1: sends SIGTERM, then SIGKILL, to
 *         `- worker   (3)   PID 1 (its init), says what kill() returned,
 *                           and exits 0
 *
 * The two namespaces have the same shape below their init; only the init
 * differs. What an init does not reap stays a zombie.
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

/* Written by the last process of the nstree run side once it is set up. */
static int sync_fd = -1;

static void worker(void)
{
	lab_ready();
	lab_idle();
}

static void app(void)
{
	int rc;

	lab_fork("worker", worker);
	lab_next();		/* SIGUSR1: signal our own init */
	rc = kill(1, SIGTERM);
	dprintf(1, "app: kill(1, SIGTERM) = %d\n", rc);
	rc = kill(1, SIGKILL);
	dprintf(1, "app: kill(1, SIGKILL) = %d\n", rc);
	exit(0);
}

/* PID 1 that never waits: what it adopts and what dies stays. */
static void lazyinit(void)
{
	lab_fork("app", app);
	lab_idle();
}

static void worker2(void)
{
	/* One byte to starter: this side is set up. */
	if (write(sync_fd, "s", 1) != 1)
		lab_die("sync write");
	close(sync_fd);
	lab_idle();
}

static void app2(void)
{
	lab_fork("worker2", worker2);
	lab_idle();
}

/*
 * The command nstree runs as PID 2 under its init. Its parent, nstree's
 * init, is named goodinit: /proc here is the host's, so it gives the
 * parent's PID as the runner sees it.
 */
static int inside(void)
{
	lab_role("shell");
	lab_name_parent("goodinit");
	lab_fork("app2", app2);
	close(sync_fd);
	/* A shell that reaps its children, as a shell does. */
	lab_reap_all();
}

int main(int argc, char **argv)
{
	char fd[16], c;
	int p[2];

	lab_block_usr();
	if (argc == 3 && !strcmp(argv[1], "inside")) {
		sync_fd = atoi(argv[2]);
		return inside();
	}
	lab_role("starter");
	/* Not close-on-exec: the write end goes through nstree to worker2. */
	if (pipe(p) < 0)
		lab_die("pipe");
	snprintf(fd, sizeof(fd), "%d", p[1]);
	lab_spawn("launcher", (char *[]){ "nstree", "run", "-q", "--pid",
		  "--init", "--", "lab-init", "inside", fd, NULL });
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		errno = EIO;
		lab_die("nstree run");
	}
	close(p[0]);

	/* Now the second namespace, whose init will never wait. */
	if (unshare(CLONE_NEWPID) < 0)
		lab_die("unshare(CLONE_NEWPID)");
	lab_fork("lazyinit", lazyinit);
	lab_idle();
}
