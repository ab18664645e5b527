// SPDX-License-Identifier: GPL-2.0
/* The lab programs' plumbing (lab.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

void lab_die(const char *what)
{
	fprintf(stderr, "lab: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* One write(2) to a file opened with O_APPEND: lines never interleave. */
static void lab_note(const char *line)
{
	const char *dir = getenv("LAB_DIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/names", dir ? dir : "/tmp/nstree-lab");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		lab_die(path);
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		lab_die(path);
	close(fd);
}

/*
 * Name the task @name and note "@name ID", the ID being the last part of
 * the /proc link @link ("/proc/self": "PID"; "/proc/thread-self":
 * "PID/task/TID"). /proc is the runner's, so the link names us in its
 * PID namespace even when we are in a new one, where getpid() gives our
 * PID there.
 */
static void lab_note_role(const char *name, const char *link)
{
	char line[128], self[64], *id;
	ssize_t n;

	if (prctl(PR_SET_NAME, name) < 0)
		lab_die("PR_SET_NAME");
	n = readlink(link, self, sizeof(self) - 1);
	if (n <= 0)
		lab_die(link);
	self[n] = '\0';
	id = strrchr(self, '/');
	snprintf(line, sizeof(line), "%s %s\n", name, id ? id + 1 : self);
	lab_note(line);
}

void lab_role(const char *name)
{
	lab_note_role(name, "/proc/self");
}

void lab_thread_role(const char *name)
{
	lab_note_role(name, "/proc/thread-self");
}

void lab_name_parent(const char *name)
{
	char line[64], buf[512];
	long ppid = -1;
	FILE *f;

	/* /proc/self/status, of /proc's namespace: "PPid:\tN". */
	f = fopen("/proc/self/status", "re");
	if (!f)
		lab_die("/proc/self/status");
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "PPid: %ld", &ppid) == 1)
			break;
	fclose(f);
	if (ppid <= 0) {
		errno = ESRCH;
		lab_die("PPid");
	}
	snprintf(line, sizeof(line), "%s %ld\n", name, ppid);
	lab_note(line);
}

pid_t lab_fork(const char *name, void (*body)(void))
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		lab_die("pipe");
	pid = fork();
	if (pid < 0)
		lab_die("fork");
	if (pid == 0) {
		close(p[0]);
		lab_role(name);
		/* The byte says "my name is written". */
		if (write(p[1], "r", 1) != 1)
			lab_die("pipe write");
		close(p[1]);
		body();
		_exit(1);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		errno = ECHILD;
		lab_die(name);
	}
	close(p[0]);
	return pid;
}

pid_t lab_spawn(const char *name, char *const argv[])
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		lab_die("pipe");
	pid = fork();
	if (pid < 0)
		lab_die("fork");
	if (pid == 0) {
		close(p[0]);
		lab_role(name);
		execvp(argv[0], argv);
		lab_die(argv[0]);
	}
	close(p[1]);
	/* EOF: the exec closed the write end (or the child died). */
	if (read(p[0], &c, 1) != 0) {
		errno = EIO;
		lab_die(name);
	}
	close(p[0]);
	return pid;
}

void lab_wait_open(pid_t pid)
{
	struct timespec tick = { 0, 1000000 };
	char path[64], buf[64];
	ssize_t n;
	long nr;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	for (;;) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			lab_die(path);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		/* "running" while it runs, else the syscall's number first. */
		nr = strtol(buf, NULL, 10);
		if (buf[0] >= '0' && buf[0] <= '9' &&
		    (nr == SYS_open || nr == SYS_openat))
			return;
		nanosleep(&tick, NULL);
	}
}

void lab_tail_file(void)
{
	const char *dir = getenv("LAB_DIR");

	if (chdir(dir ? dir : "/tmp/nstree-lab") < 0)
		lab_die("chdir $LAB_DIR");
	if (mkfifo("file", 0644) < 0 && errno != EEXIST)
		lab_die("mkfifo file");
}

void lab_ready(void)
{
	lab_note("ready\n");
}

void lab_block_usr(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		lab_die("sigprocmask");
}

int lab_next(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	while ((sig = sigwaitinfo(&set, NULL)) < 0)
		if (errno != EINTR)
			lab_die("sigwaitinfo");
	return sig;
}

void lab_idle(void)
{
	for (;;)
		pause();
}

void lab_reap_all(void)
{
	for (;;) {
		if (wait(NULL) >= 0 || errno == EINTR)
			continue;
		if (errno == ECHILD)
			lab_idle();
		lab_die("wait");
	}
}

void lab_wait_zombie(pid_t pid)
{
	siginfo_t si;

	/* WNOWAIT: report the child's death, leave it a zombie. */
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			lab_die("waitid");
}
