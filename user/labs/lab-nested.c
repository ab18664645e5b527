// SPDX-License-Identifier: GPL-2.0
/*
 * lab-nested (lab 9): PID namespaces three deep.
 *
 *   starter               unshare(CLONE_NEWPID), then forks init1
 *   `- init1        (1)   level 1: unshare(CLONE_NEWPID), forks init2
 *      `- init2     (1)   level 2: the same, forks init3
 *         `- init3  (1)   level 3: forks leaf
 *            `- leaf (2)
 *
 * A process has one PID per level, from its own up to the host's; each
 * says what getpid() and getppid() return to it. Once the tree is built,
 * from the deepest level up, the process that made each level runs
 * `nstree ps` there (view3, view2, view1: a child of init2, init1,
 * starter, so in the level below its parent's): what a process at that
 * level sees, by the PIDs it sees them by.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

/* The write end of a pipe to the parent: "everything below me is built". */
static int up_fd = -1;

static void say(const char *name)
{
	dprintf(1, "%s: getpid() = %d, getppid() = %d\n", name,
		(int)getpid(), (int)getppid());
}

/* Fork @name running @body; returns the pipe end it will tell us on. */
static int fork_below(const char *name, void (*body)(void))
{
	int p[2], mine = up_fd;

	if (pipe2(p, O_CLOEXEC) < 0)
		lab_die("pipe");
	up_fd = p[1];		/* the child's copy of up_fd */
	lab_fork(name, body);
	close(p[1]);
	up_fd = mine;
	return p[0];
}

static void wait_below(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1) {
		errno = EIO;
		lab_die("pipe read");
	}
	close(fd);
}

static void tell_above(void)
{
	if (write(up_fd, "b", 1) != 1)
		lab_die("pipe write");
	close(up_fd);
}

/* What level @level sees: `nstree ps` run there, until it is done. */
static void view(const char *name, int level)
{
	pid_t v;

	dprintf(1, "%s, in level %d: nstree ps -o PID,PPID,NSPID,COMM\n",
		name, level);
	v = lab_spawn(name, (char *[]){ "nstree", "ps", "-o",
		      "PID,PPID,NSPID,COMM", NULL });
	if (waitpid(v, NULL, 0) != v)
		lab_die("waitpid");
}

static void leaf(void)
{
	say("leaf");
	tell_above();
	lab_idle();
}

static void init3(void)
{
	say("init3");
	wait_below(fork_below("leaf", leaf));
	tell_above();
	lab_reap_all();	/* an init that reaps every child */
}

static void init2(void)
{
	say("init2");
	if (unshare(CLONE_NEWPID) < 0)
		lab_die("unshare(CLONE_NEWPID)");
	wait_below(fork_below("init3", init3));
	view("view3", 3);		/* in level 3, as init3 */
	tell_above();
	lab_reap_all();
}

static void init1(void)
{
	say("init1");
	if (unshare(CLONE_NEWPID) < 0)
		lab_die("unshare(CLONE_NEWPID)");
	wait_below(fork_below("init2", init2));
	view("view2", 2);
	tell_above();
	lab_reap_all();
}

int main(void)
{
	lab_block_usr();
	lab_role("starter");
	say("starter");
	if (unshare(CLONE_NEWPID) < 0)
		lab_die("unshare(CLONE_NEWPID)");
	wait_below(fork_below("init1", init1));
	view("view1", 1);
	lab_ready();
	lab_reap_all();
}
