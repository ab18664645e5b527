// SPDX-License-Identifier: GPL-2.0
/*
 * How long it takes to read every process, with nstree and without: the
 * module's dump, the CLI (ps, ps -J, tree, ns), a minimal C scan of
 * /proc/PID/status (the baseline), and procps ps, psmisc pstree and
 * util-linux lsns when they are in the guest (a missing one is said so).
 * Lines for tools/bench-report.py begin with "bench:".
 * Figures are ratios against the baseline, measured in the same boot;
 * each is the median of RUNS runs, and the runs are printed too.
 * Also checks that the dump lists every one of 50,000 processes. The
 * processes belong to 8 users, interleaved as PIDs are: root, nobody and
 * 6 UIDs with no name, so the USER column costs a lookup per user.
 *
 *   dump_bench [N...]      (default: NSTREE_BENCH_SIZES, or 1000 5000 50000)
 *
 * Then NSTREE_BENCH_NS (default 5,000; 0: none) PID namespaces, each with
 * one sleeping init, for nstree ns and lsns.
 */
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

#define NSTREE	"/usr/bin/nstree"
#define LSNS	"/usr/bin/lsns"

extern char **environ;

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

#define RUNS	3

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @t[RUNS], which it leaves as it was. */
static double median(const double *t)
{
	double s[RUNS];

	memcpy(s, t, sizeof(s));
	qsort(s, RUNS, sizeof(s[0]), cmp_double);
	return s[RUNS / 2];
}

/* " runs a b c": what a figure's median was taken from. */
static const char *runs_text(const double *t)
{
	static char buf[RUNS * 16 + 8];
	size_t len = snprintf(buf, sizeof(buf), " runs");
	int i;

	for (i = 0; i < RUNS; i++)
		len += snprintf(buf + len, sizeof(buf) - len, " %.6f", t[i]);
	return buf;
}

/* " a b c": @argv, its words joined, for the report's lines. */
static const char *argv_text(const char *const *argv)
{
	static char buf[128];
	size_t len = 0;

	buf[0] = '\0';
	for (; *argv && len < sizeof(buf); argv++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				len ? " " : "", *argv);
	return buf;
}

/*
 * @argv RUNS times, its output to /dev/null: each run's guest seconds in
 * @t; -1 if one failed. Started as an interactive shell starts a command,
 * fork and exec: through system(), the sh -c between would add its own
 * start to every figure (0.55 ms measured, in a 6.12 guest).
 */
static int run(const char *const *argv, double *t)
{
	posix_spawn_file_actions_t fa;
	int i, status, ret = -1;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa))
		return -1;
	if (posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					     O_WRONLY, 0))
		goto out;
	for (i = 0; i < RUNS; i++) {
		double t0 = now();

		/* posix_spawn() takes char *const[]; it changes none of it. */
		if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv,
				environ) ||
		    waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			goto out;
		t[i] = now() - t0;
	}
	ret = 0;
out:
	posix_spawn_file_actions_destroy(&fa);
	return ret;
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

/* A figure for tools/bench-report.py, and for whoever reads the log. */
static void report(int n, const char *key, const double *t, double base,
		   const char *desc)
{
	printf("bench: read %d %s %.6f ratio %.3f%s # %s\n", n, key, median(t),
	       median(t) / base, runs_text(t), desc);
	fflush(stdout);
}

static void absent(int n, const char *key, const char *why)
{
	printf("bench: read %d %s absent # %s\n", n, key, why);
	fflush(stdout);
}

/* The commands timed end to end, output to /dev/null. */
static const struct {
	const char *key, *argv[5], *desc;
	int max_n;	/* not above this size (0: every size) */
} cmds[] = {
	{ "nstree_ps", { NSTREE, "ps" }, "nstree ps (default columns)", 0 },
	{ "nstree_ps_user", { NSTREE, "ps", "-o", "pid,user,comm" },
	  "nstree ps -o pid,user,comm (8 users)", 0 },
	{ "nstree_ps_json", { NSTREE, "ps", "-J" }, "nstree ps -J", 0 },
	{ "nstree_tree", { NSTREE, "tree" }, "nstree tree", 0 },
	{ "nstree_ns", { NSTREE, "ns" }, "nstree ns", 0 },
	/* The floor under every nstree figure: exec, ld.so, exit. */
	{ "nstree_start", { NSTREE, "--version" },
	  "nstree --version (its start and exit alone)", 0 },
	/*
	 * ps, pstree and lsns: not above 5,000, to keep a bench run within
	 * minutes of host time (lsns at 50,000 ran for over 5 minutes).
	 */
	{ "ps", { "/usr/bin/ps", "-e" }, "procps ps -e", 5000 },
	{ "ps_cols", { "/usr/bin/ps", "-e", "-o", "pid,ppid,pidns,stat,comm" },
	  "procps ps -e -o pid,ppid,pidns,stat,comm", 5000 },
	{ "pstree", { "/usr/bin/pstree", "-p" }, "psmisc pstree -p", 5000 },
	{ "lsns", { LSNS, "-t", "pid" }, "util-linux lsns -t pid", 5000 },
};

static int bench(struct nst_conn *c, int n)
{
	size_t dumped = 0, scanned = 0;
	double t_dump[RUNS], t_scan[RUNS], t[RUNS], t0;
	pid_t *kids = calloc(n, sizeof(*kids));
	char why[64];
	size_t k;
	int i, made = 0, ok;

	t0 = now();
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
	printf("# %d processes made in %.1f s of guest time\n", made, now() - t0);
	ok = 1;
	for (i = 0; i < RUNS; i++) {
		dumped = 0;
		t0 = now();
		ok = ok && !nst_dump_procs(c, NULL, count_proc, &dumped);
		t_dump[i] = now() - t0;
		t0 = now();
		scanned = scan_proc();
		t_scan[i] = now() - t0;
	}
	printf("# %d processes made, %zu in the dump, %zu in /proc\n", made,
	       dumped, scanned);
	report(n, "scan", t_scan, median(t_scan),
	       "minimal C scan of /proc/PID/status");
	report(n, "dump", t_dump, median(t_scan),
	       "nstree dump (GET_PROC, libnl)");
	for (k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
		if (access(cmds[k].argv[0], X_OK)) {
			snprintf(why, sizeof(why), "%s is not in this guest",
				 cmds[k].argv[0]);
			absent(n, cmds[k].key, why);
			continue;
		}
		if (cmds[k].max_n && n > cmds[k].max_n) {
			snprintf(why, sizeof(why),
				 "not run above %d processes, to keep the run short",
				 cmds[k].max_n);
			absent(n, cmds[k].key, why);
			continue;
		}
		if (run(cmds[k].argv, t)) {
			printf("bench: read %d %s failed # %s\n", n, cmds[k].key,
			       argv_text(cmds[k].argv));
			ok = 0;
			continue;
		}
		report(n, cmds[k].key, t, median(t_scan), cmds[k].desc);
	}

	for (i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return ok && made == n && dumped >= (size_t)made;
}

static int count_ns(const struct nst_ns *ns, void *arg)
{
	(void)ns;
	++*(size_t *)arg;
	return 0;
}

/* @n PID namespaces, each with one sleeping init: nstree ns and lsns. */
static int ns_bench(struct nst_conn *c, int n)
{
	static const char *const nstree_ns[] = { NSTREE, "ns", NULL };
	static const char *const lsns[] = { LSNS, "-t", "pid", NULL };
	pid_t *kids = calloc(n, sizeof(*kids));
	size_t listed = 0;
	double t_dump[RUNS], t[RUNS], t0;
	int i, made = 0, ok = 1, ran;

	for (i = 0; kids && i < n; i++) {
		kids[i] = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
		if (kids[i] == 0) {
			for (;;)
				pause();
		}
		if (kids[i] < 0) {
			perror("clone");
			break;
		}
		made++;
	}
	for (i = 0; i < RUNS; i++) {
		listed = 0;
		t0 = now();
		ok = ok && !nst_dump_ns(c, count_ns, &listed);
		t_dump[i] = now() - t0;
	}
	printf("# %d namespaces made, %zu in the dump\n", made, listed);
	printf("bench: ns %d dump %.6f%s # nstree dump (GET_NS)\n", n,
	       median(t_dump), runs_text(t_dump));
	ran = !run(nstree_ns, t);
	if (ran)
		printf("bench: ns %d nstree_ns %.6f%s # nstree ns\n", n,
		       median(t), runs_text(t));
	else
		printf("bench: ns %d nstree_ns failed # nstree ns\n", n);
	if (access(LSNS, X_OK))
		printf("bench: ns %d lsns absent # /usr/bin/lsns is not in this guest\n",
		       n);
	else if (run(lsns, t))
		printf("bench: ns %d lsns failed # util-linux lsns -t pid\n", n);
	else
		printf("bench: ns %d lsns %.6f%s # util-linux lsns -t pid\n", n,
		       median(t), runs_text(t));
	fflush(stdout);
	for (i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return ok && ran && made == n && listed > (size_t)made;
}

int main(int argc, char **argv)
{
	const char *env = getenv("NSTREE_BENCH_SIZES");
	const char *nsenv = getenv("NSTREE_BENCH_NS");
	int sizes[16] = { 1000, 5000, 50000 };
	int i, fails = 0, count = 3, n_ns = nsenv ? atoi(nsenv) : 5000;
	struct nst_conn c;
	char *copy, *tok;

	if (argc > 1) {
		for (count = 0; count < argc - 1 && count < 16; count++)
			sizes[count] = atoi(argv[count + 1]);
	} else if (env && *env) {
		copy = strdup(env);
		count = 0;
		for (tok = strtok(copy, " ,"); tok && count < 16;
		     tok = strtok(NULL, " ,"))
			sizes[count++] = atoi(tok);
		free(copy);
	}
	if (nst_open(&c)) {
		printf("1..0 # SKIP the nstree module is not loaded\n");
		return 4;
	}
	/* Room for 50,000 processes besides the system's own. */
	write_file("/proc/sys/kernel/pid_max", "4194304");
	write_file("/proc/sys/kernel/threads-max", "200000");
	printf("1..%d\n", count + (n_ns > 0));
	for (i = 0; i < count; i++) {
		printf("# --- %d processes ---\n", sizes[i]);
		fflush(stdout);
		if (bench(&c, sizes[i])) {
			printf("ok %d dump of %d processes complete\n", i + 1,
			       sizes[i]);
		} else {
			printf("not ok %d dump of %d processes complete\n", i + 1,
			       sizes[i]);
			fails++;
		}
		fflush(stdout);
	}
	if (n_ns > 0) {
		printf("# --- %d PID namespaces ---\n", n_ns);
		fflush(stdout);
		if (ns_bench(&c, n_ns)) {
			printf("ok %d nstree ns of %d namespaces\n", count + 1, n_ns);
		} else {
			printf("not ok %d nstree ns of %d namespaces\n", count + 1,
			       n_ns);
			fails++;
		}
	}
	nst_close(&c);
	return fails ? 1 : 0;
}
