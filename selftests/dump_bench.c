// SPDX-License-Identifier: GPL-2.0
/*
 * How long it takes to read every process, with nstree and without: the
 * module's dump, the CLI, a minimal C scan of /proc/PID/status (the
 * baseline), and procps ps and psmisc pstree when they are in the guest.
 * Figures are ratios against the baseline, measured in the same boot.
 * Also checks that the dump lists every one of 50,000 processes. The
 * processes belong to 8 users, interleaved as PIDs are: root, nobody and
 * 6 UIDs with no name, so the USER column costs a lookup per user.
 *
 *   dump_bench [N...]      (default: 1000 5000 50000)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_proc(const struct nst_proc *p, void *arg)
{
	(void)p;
	++*(size_t *)arg;
	return 0;
}

/* The baseline: read every /proc/PID/status, as a minimal tool would. */
static size_t scan_proc(void)
{
	char path[300], buf[4096];
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir("/proc");
	int fd;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) > 0)
			n++;
		close(fd);
	}
	if (d)
		closedir(d);
	return n;
}

static double run(const char *cmd)
{
	double t0 = now();
	int st = system(cmd);

	if (st)
		return -1;
	return now() - t0;
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

/* Process @i's user: root, nobody, or one of 6 with no name. */
static uid_t bench_uid(int i)
{
	switch (i % 8) {
	case 0:
		return 0;
	case 1:
		return 65534;
	default:
		return 1000 + i % 8;
	}
}

static int bench(struct nst_conn *c, int n)
{
	size_t dumped = 0, scanned;
	double t_dump, t_scan, t_cli, t_user, t_ps = -1, t_ps_user = -1;
	double t_pstree = -1;
	pid_t *kids = calloc(n, sizeof(*kids));
	int i, made = 0, ok;

	for (i = 0; kids && i < n; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			uid_t uid = bench_uid(i);

			if (uid && setresuid(uid, uid, uid))
				_exit(1);
			for (;;)
				pause();
		}
		if (kids[i] < 0) {
			perror("fork");
			break;
		}
		made++;
	}
	t_dump = now();
	ok = !nst_dump_procs(c, NULL, count_proc, &dumped);
	t_dump = now() - t_dump;
	t_scan = now();
	scanned = scan_proc();
	t_scan = now() - t_scan;
	t_cli = run("nstree ps -o pid,nspid,ppid,pidns,state,comm >/dev/null");
	t_user = run("nstree ps -o pid,user,comm >/dev/null");
	/* ps and pstree grow faster than linearly: not at the largest size. */
	if (n <= 5000 && !access("/usr/bin/ps", X_OK)) {
		t_ps = run("/usr/bin/ps -e -o pid,ppid,pidns,stat,comm >/dev/null");
		t_ps_user = run("/usr/bin/ps -e -o pid,user,comm >/dev/null");
	}
	if (n <= 5000 && !access("/usr/bin/pstree", X_OK))
		t_pstree = run("/usr/bin/pstree -p >/dev/null");

	printf("# %d processes made, %zu in the dump, %zu in /proc\n", made,
	       dumped, scanned);
	printf("# %-38s %9.3f s  ratio 1.00\n", "baseline: /proc/*/status scan",
	       t_scan);
	printf("# %-38s %9.3f s  ratio %.2f\n", "nstree dump (GET_PROC)",
	       t_dump, t_dump / t_scan);
	printf("# %-38s %9.3f s  ratio %.2f\n", "nstree ps (CLI, end to end)",
	       t_cli, t_cli / t_scan);
	printf("# %-38s %9.3f s  ratio %.2f\n", "nstree ps -o pid,user,comm (8 users)",
	       t_user, t_user / t_scan);
	if (t_ps >= 0)
		printf("# %-38s %9.3f s  ratio %.2f\n",
		       "ps -e -o pid,ppid,pidns,stat,comm", t_ps, t_ps / t_scan);
	if (t_ps_user >= 0)
		printf("# %-38s %9.3f s  ratio %.2f\n", "ps -e -o pid,user,comm",
		       t_ps_user, t_ps_user / t_scan);
	if (t_pstree >= 0)
		printf("# %-38s %9.3f s  ratio %.2f\n", "pstree -p", t_pstree,
		       t_pstree / t_scan);

	for (i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return ok && made == n && dumped >= (size_t)made;
}

int main(int argc, char **argv)
{
	static const int sizes[] = { 1000, 5000, 50000 };
	struct nst_conn c;
	int i, n, fails = 0, count;

	if (nst_open(&c)) {
		printf("1..0 # SKIP the nstree module is not loaded\n");
		return 4;
	}
	/* Room for 50,000 processes besides the system's own. */
	write_file("/proc/sys/kernel/pid_max", "4194304");
	write_file("/proc/sys/kernel/threads-max", "200000");
	count = argc > 1 ? argc - 1 : 3;
	printf("1..%d\n", count);
	for (i = 0; i < count; i++) {
		n = argc > 1 ? atoi(argv[i + 1]) : sizes[i];
		printf("# --- %d processes ---\n", n);
		fflush(stdout);
		if (bench(&c, n)) {
			printf("ok %d dump of %d processes complete\n", i + 1, n);
		} else {
			printf("not ok %d dump of %d processes complete\n", i + 1, n);
			fails++;
		}
		fflush(stdout);
	}
	nst_close(&c);
	return fails ? 1 : 0;
}
