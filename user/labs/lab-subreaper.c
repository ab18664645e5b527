// SPDX-License-Identifier: GPL-2.0
/*
 * lab-subreaper (lab 5): child subreapers, nested.
 *
 *   manager             a service manager: PR_SET_CHILD_SUBREAPER; on
 *   |                   SIGUSR1 it starts reaping every child it has or
 *   |                   will get, as such a manager does all the time
 *   `- session          a subreaper too, nested in manager; never waits
 *      `- app           forks worker; SIGTERM kills it
 *         `- worker     outlives app and session
 *
 * An orphan goes to the nearest living ancestor that is a subreaper,
 * not to init: here session while it lives, then manager.
 */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

static void subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		lab_die("PR_SET_CHILD_SUBREAPER");
}

static void worker(void)
{
	lab_idle();
}

static void app(void)
{
	lab_fork("worker", worker);
	lab_ready();
	lab_idle();
}

static void session(void)
{
	subreaper();
	lab_fork("app", app);
	lab_idle();
}

int main(void)
{
	lab_block_usr();
	lab_role("manager");
	subreaper();
	lab_fork("session", session);

	lab_next();		/* SIGUSR1: from now on, reap whatever comes */
	lab_reap_all();
}
