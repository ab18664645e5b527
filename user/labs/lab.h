/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every lab program shares: naming its processes for the transcript,
 * telling the lab runner (nstree-lab) it is ready, and waiting for the
 * student's next signal. Each lab program is one idea; this file keeps
 * the plumbing out of them.
 */
#ifndef NSTREE_LAB_H
#define NSTREE_LAB_H

#include <sys/types.h>

/*
 * Give the calling process its role: its command name (comm, what ps,
 * pstree and nstree print) becomes @name, and the line "@name PID" (the
 * PID in the namespace of /proc, the runner's) goes to
 * the lab's names file ($LAB_DIR/names), from which nstree-lab sets the
 * shell variable $@name for the steps and writes @name in place of the
 * PID in what they print.
 */
void lab_role(const char *name);

/*
 * The same for the calling thread: its comm becomes @name, and the line
 * "@name TID" goes to the names file, TID as /proc sees it. Give a
 * thread a name of 5 characters or more: `nstree watch` prints a TID
 * after a space, and a name at least as long as any PID keeps the line
 * the same whatever the TID's width.
 */
void lab_thread_role(const char *name);

/*
 * Give the caller's parent the role @name in the names file, by its PID
 * as /proc sees it: for a parent the lab did not start itself (nstree
 * run's init), whose PID getppid() gives as 0 or 1 across a namespace.
 */
void lab_name_parent(const char *name);

/*
 * Fork a child that takes the role @name and then runs @body (which must
 * not return). The parent returns once the child has its role, so the
 * names file is complete when the parent goes on.
 */
pid_t lab_fork(const char *name, void (*body)(void));

/*
 * Fork a child that takes the role @name and execs @argv (PATH is
 * searched). The parent returns once the exec is done: the pipe between
 * them is closed on exec, so the end of it is the handshake.
 */
pid_t lab_spawn(const char *name, char *const argv[]);

/*
 * Wait until @pid sleeps in open(2) (/proc/PID/syscall): `tail -f file`
 * waiting for the FIFO's writer. Then every exec on its way there is
 * over, its EXEC event included, which the end of the close-on-exec pipe
 * does not guarantee: the kernel closes it before it reports the exec.
 */
void lab_wait_open(pid_t pid);

/*
 * Move into $LAB_DIR and make "file" there a FIFO that nobody writes to:
 * `tail -f file` then waits in open(2), asleep for as long as it lives,
 * where busybox's tail would wake every second to poll a plain file, and
 * could be seen running.
 */
void lab_tail_file(void);

/* Tell nstree-lab the scenario is set up: the steps may start. */
void lab_ready(void);

/*
 * Block SIGUSR1 and SIGUSR2, which lab programs take as the student's
 * "do your next thing"; called once at start, inherited by every child.
 * SIGTERM, SIGHUP and SIGKILL keep their default action: they kill.
 */
void lab_block_usr(void);

/* Wait for SIGUSR1 or SIGUSR2; returns which. */
int lab_next(void);

/* Wait for ever (until a signal kills the process). */
void __attribute__((noreturn)) lab_idle(void);

/*
 * Reap every child, its own and adopted ones, as a shell or an init does;
 * with none left, wait to be killed.
 */
void __attribute__((noreturn)) lab_reap_all(void);

/* Wait until @pid, a child, is a zombie, without reaping it. */
void lab_wait_zombie(pid_t pid);

/* Print "lab: WHAT: strerror" and exit 1. */
void __attribute__((noreturn)) lab_die(const char *what);

#endif
