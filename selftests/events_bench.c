// SPDX-License-Identifier: GPL-2.0
/*
 * What the event path costs the processes it watches: a fork+exit+wait
 * loop and a fork+execve(/bin/true)+wait loop, timed in the guest's
 * CLOCK_MONOTONIC (under QEMU's -icount: instruction-time, one ns per
 * instruction, whatever the host's load), in one boot:
 *
 *   none        the module unloaded (this program rmmods it: the baseline)
 *   idle        the module loaded (NSTREE_KO), nobody subscribed
 *   watch1      one `nstree watch >/dev/null`
 *   reader1     one minimal libnl subscriber that decodes every event
 *   watch8ns    eight `nstree watch -N PID >/dev/null`, each filtered to a
 *               PID namespace where nothing happens
 *   watch8      eight `nstree watch >/dev/null`
 *   forkstat    `forkstat >/dev/null` (the proc connector), when installed
 *
 * Each set-up: warm-up chunks until two agree within 1 %, then ROUNDS
 * rounds; the median is the figure, with its ratio to `none`. A listener counts as ready once it is
 * blocked in its read loop (/proc/PID/syscall), never after a sleep.
 *
 * Then: the highest event rate one subscriber (reader1, default queue)
 * receives with no LOST event, loaded by 1 to 8 parallel fork loops; and
 * kernel memory per subscriber and per tracked process: /proc/vmallocinfo
 * for the tracking pools and the first subscription (MemFree moved by
 * megabytes either way there, with earlier set-ups' deferred frees), the
 * MemFree drop over 8 more subscriptions for their rings (kvmalloc gets
 * 1 MiB from kmalloc in a fresh guest: vmallocinfo does not see it).
 *
 * Lines for tools/bench-report.sh begin with "bench:".
 *
 *   events_bench [FORK_ITERS [EXEC_ITERS [ROUNDS]]]   (1000 200 3)
 *
 * For profiles (tools/guest-bench.sh):
 *   events_bench --sleepers N -- CMD [ARG...]
 *       run CMD while N more processes sleep
 *   events_bench --watched-loop N
 *       N fork+exit+wait iterations while one `nstree watch` runs
 *   events_bench --memory
 *       only the kernel memory figures
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"
#include "procfs.h"

#define MAX_LISTENERS	8
#define MAX_ROUNDS	15

static int fork_iters = 1000, exec_iters = 200, rounds = 3;
static const char *ko;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
	printf("bench: error %s: %s\n", what, strerror(errno));
	printf("not ok 1 events bench\n");
	exit(1);
}

static int module_unload(void)
{
	int i;

	/* A subscriber that just ended may hold it for a moment. */
	for (i = 0; i < 100; i++) {
		if (!syscall(SYS_delete_module, "nstree", O_NONBLOCK))
			return 0;
		if (errno == ENOENT)
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

static int module_load(void)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* One fork+exit+wait, or fork+execve+wait, iteration. */
static void one_fork(int do_exec)
{
	int st;
	pid_t p = fork();

	if (p < 0)
		die("fork");
	if (p == 0) {
		if (do_exec) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		die("child");
}

/* µs of guest clock per iteration, over @n iterations. */
static double loop(int do_exec, int n)
{
	double t0 = now_us();
	int i;

	for (i = 0; i < n; i++)
		one_fork(do_exec);
	return (now_us() - t0) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/*
 * Ready: blocked in a system call that waits for input (poll, select,
 * read, recv...), which a listener only reaches once it has subscribed.
 */
static int blocked_reading(pid_t pid)
{
	static const long waits[] = { 0, 7, 23, 45, 47, 232, 270, 271, 281 };
	char path[64], buf[256];
	size_t i;
	long nr;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	if (proc_read_small(path, buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%ld", &nr) != 1)
		return 0;
	for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
		if (nr == waits[i])
			return 1;
	return 0;
}

static void wait_ready(pid_t pid, const char *what)
{
	int i, st;

	for (i = 0; i < 20000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			printf("bench: error %s exited before it was ready (status 0x%x)\n",
			       what, st);
			exit(1);
		}
		if (blocked_reading(pid))
			return;
		usleep(1000);
	}
	printf("bench: error %s never blocked reading\n", what);
	exit(1);
}

/* Run @argv with stdout and stderr to /dev/null; wait until it reads. */
static pid_t spawn_listener(char *const argv[])
{
	pid_t p = fork();

	if (p < 0)
		die("fork");
	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	wait_ready(p, argv[0]);
	return p;
}

struct reader_result {
	unsigned long long events, lost;
};

static int reader_count(const struct nst_event *ev, void *arg)
{
	struct reader_result *r = arg;

	if (ev->type == NSTREE_EV_LOST)
		r->lost += ev->lost;
	else
		r->events++;
	return 0;
}

/*
 * The minimal subscriber: everything, the default queue, every event
 * decoded. It reads until its control pipe closes, then drains what is
 * queued and writes its counts to @res.
 */
static pid_t spawn_reader(int *ctl, int *res)
{
	int cp[2], rp[2];
	pid_t p;

	if (pipe(cp) || pipe(rp))
		die("pipe");
	p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		struct reader_result r = { 0 };
		struct pollfd pfd[2];
		struct nst_conn c;
		char b;

		close(cp[1]);
		close(rp[0]);
		if (nst_open(&c) || nst_subscribe(&c, NULL, NULL))
			_exit(2);
		pfd[0].fd = nst_event_fd(&c);
		pfd[0].events = POLLIN;
		pfd[1].fd = cp[0];
		pfd[1].events = POLLIN;
		for (;;) {
			if (poll(pfd, 2, -1) < 0)
				continue;
			if (pfd[0].revents)
				nst_event_read(&c, reader_count, &r);
			if (pfd[1].revents && read(cp[0], &b, 1) <= 0)
				break;
		}
		while (nst_event_read(&c, reader_count, &r) > 0)
			;
		if (write(rp[1], &r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(cp[0]);
	close(rp[1]);
	*ctl = cp[1];
	*res = rp[0];
	wait_ready(p, "reader");
	return p;
}

static void stop(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* A process in a PID namespace of its own, where nothing happens. */
static pid_t spawn_quiet_ns(void)
{
	pid_t p = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);

	if (p < 0)
		die("clone(CLONE_NEWPID)");
	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

enum { SU_NONE, SU_IDLE, SU_WATCH1, SU_READER1, SU_WATCH8NS, SU_WATCH8,
	SU_FORKSTAT, SU_COUNT };
static const char *const su_name[SU_COUNT] = {
	"none", "idle", "watch1", "reader1", "watch8ns", "watch8", "forkstat",
};
static const char *const su_desc[SU_COUNT] = {
	"no module loaded",
	"module loaded, idle",
	"one nstree watch >/dev/null",
	"one minimal libnl subscriber",
	"8 nstree watch -N (unrelated ns)",
	"8 nstree watch, unfiltered",
	"forkstat (proc connector)",
};

static double base[2];

/*
 * Chunks of @n iterations until two in a row agree within 1 % (at most
 * 40). One chunk was not enough in a guest just booted: the first
 * measured rounds of 6.12's fork loop took 656, 391 and 373 us, the
 * rounds of every later set-up agreed within 0.1 %.
 */
static void warm_up(int do_exec, int n)
{
	double prev = loop(do_exec, n), cur;
	int i;

	for (i = 0; i < 40; i++, prev = cur) {
		cur = loop(do_exec, n);
		if (cur < 1.01 * prev && prev < 1.01 * cur)
			return;
	}
	printf("# warm-up: %s loop still moving after 40 chunks\n",
	       do_exec ? "exec" : "fork");
}

static void measure(int su)
{
	static const char *const loops[2] = { "fork", "exec" };
	double v[MAX_ROUNDS], med;
	int l, r;

	for (l = 0; l < 2; l++) {
		int n = l ? exec_iters : fork_iters;

		warm_up(l, n / 4 + 1);
		for (r = 0; r < rounds; r++)
			v[r] = loop(l, n);
		med = median(v, rounds);
		if (su == SU_NONE)
			base[l] = med;
		printf("bench: events %s %s", loops[l], su_name[su]);
		for (r = 0; r < rounds; r++)
			printf(" %.1f", v[r]);
		printf(" median %.1f ratio %.3f # %s\n", med, med / base[l],
		       su_desc[su]);
		fflush(stdout);
	}
}

static void setup_and_measure(int su)
{
	pid_t pids[MAX_LISTENERS + 1], ns = 0;
	char nsarg[16];
	int n = 0, i, ctl = -1, res = -1;

	switch (su) {
	case SU_WATCH1: {
		char *argv[] = { "/usr/bin/nstree", "watch", NULL };

		pids[n++] = spawn_listener(argv);
		break;
	}
	case SU_READER1:
		pids[n++] = spawn_reader(&ctl, &res);
		break;
	case SU_WATCH8NS:
		ns = spawn_quiet_ns();
		snprintf(nsarg, sizeof(nsarg), "%d", ns);
		for (i = 0; i < 8; i++) {
			char *argv[] = { "/usr/bin/nstree", "watch", "-N", nsarg,
					 NULL };

			pids[n++] = spawn_listener(argv);
		}
		break;
	case SU_WATCH8:
		for (i = 0; i < 8; i++) {
			char *argv[] = { "/usr/bin/nstree", "watch", NULL };

			pids[n++] = spawn_listener(argv);
		}
		break;
	case SU_FORKSTAT: {
		char *argv[] = { "/usr/bin/forkstat", NULL };

		if (access(argv[0], X_OK)) {
			printf("bench: events fork forkstat absent # forkstat is not in this guest\n");
			printf("bench: events exec forkstat absent # forkstat is not in this guest\n");
			return;
		}
		pids[n++] = spawn_listener(argv);
		break;
	}
	}
	measure(su);
	if (ctl >= 0) {
		struct reader_result r;

		close(ctl);
		if (read(res, &r, sizeof(r)) == sizeof(r))
			printf("# reader1 received %llu events, %llu lost\n",
			       r.events, r.lost);
		close(res);
		waitpid(pids[0], NULL, 0);
	} else {
		stop(pids, n);
	}
	if (ns) {
		kill(ns, SIGKILL);
		waitpid(ns, NULL, 0);
	}
}

/*
 * The rate test: P parallel fork loops of @iters iterations each, one
 * reader. The rate is what the reader received over the load's time.
 */
static void rate_test(void)
{
	static const int par[] = { 1, 2, 4, 8 };
	double best = 0;
	int best_p = 0;
	size_t k;

	for (k = 0; k < sizeof(par) / sizeof(par[0]); k++) {
		int p = par[k], iters = 2000 / p, i, ctl, res;
		pid_t rd = spawn_reader(&ctl, &res), kids[8];
		struct reader_result r = { 0 };
		double t0 = now_us(), t, rate;

		for (i = 0; i < p; i++) {
			kids[i] = fork();
			if (kids[i] < 0)
				die("fork");
			if (kids[i] == 0) {
				int j;

				for (j = 0; j < iters; j++)
					one_fork(0);
				_exit(0);
			}
		}
		for (i = 0; i < p; i++)
			waitpid(kids[i], NULL, 0);
		t = now_us() - t0;
		/*
		 * The reader drains once its pipe closes; events still in
		 * the module's ring then may arrive after its last read, so
		 * the rate counts what was read by then (a lower bound).
		 */
		close(ctl);
		if (read(res, &r, sizeof(r)) != sizeof(r))
			die("reader result");
		close(res);
		waitpid(rd, NULL, 0);
		rate = r.events / (t / 1e6);
		printf("bench: events rate p%d %.0f lost %llu events %llu secs %.3f # %d parallel fork loops\n",
		       p, rate, r.lost, r.events, t / 1e6, p);
		if (!r.lost && rate > best) {
			best = rate;
			best_p = p;
		}
		fflush(stdout);
	}
	printf("bench: events maxrate %.0f p%d # highest rate received with no loss\n",
	       best, best_p);
}

/*
 * vmalloc'd bytes, from /proc/vmallocinfo (root sees the callers): every
 * buffer nstree allocates per subscription is there (the ring: kvmalloc,
 * listed under kvmalloc's name; the tracking pools: vzalloc, under
 * nstree's). @caller: only lines naming it (NULL: all); @largest: the
 * largest such line rather than the sum.
 */
static long vmalloc_bytes(const char *caller, int largest)
{
	char line[512], *p;
	long sum = 0, pages;
	FILE *f = fopen("/proc/vmallocinfo", "r");

	if (!f)
		die("/proc/vmallocinfo");
	while (fgets(line, sizeof(line), f)) {
		if (caller && !strstr(line, caller))
			continue;
		p = strstr(line, " pages=");
		if (!p)
			continue;
		pages = atol(p + 7) * 4096;
		if (largest)
			sum = pages > sum ? pages : sum;
		else
			sum += pages;
	}
	fclose(f);
	return sum;
}

/*
 * MemFree in kB, after folding the per-CPU counters (vm.stat_refresh):
 * a 1 MiB ring that kvmalloc got from kmalloc is not in vmallocinfo.
 */
static long memfree_kb(void)
{
	char line[256];
	long v = -1;
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	FILE *f;

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			perror("stat_refresh");
		close(fd);
	}
	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "MemFree:", 8))
			v = atol(line + 8);
	if (f)
		fclose(f);
	return v;
}

static long read_param(const char *name)
{
	char path[128], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/module/nstree/parameters/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		die(path);
	close(fd);
	return atol(buf);
}

/*
 * Kernel memory: what the first subscription allocates (its ring and
 * the tracking pools), what each further one does (its ring), and the
 * tracking pool per process it can track (kin_max of them; it never
 * grows). The subscriber's own structure (kzalloc) is not counted.
 */
static void memory_test(void)
{
	struct nst_conn c[9];
	long m0, m1, m2, pool, f1, f2;
	int i, err;

	/* The tracking pools outlive the last subscriber: start afresh. */
	err = module_unload();
	if (!err)
		err = module_load();
	if (err) {
		errno = -err;
		die("reloading nstree");
	}
	for (i = 0; i < 9; i++)
		if (nst_open(&c[i]))
			die("nst_open");
	m0 = vmalloc_bytes(NULL, 0);
	if (nst_subscribe(&c[0], NULL, NULL))
		die("subscribe");
	m1 = vmalloc_bytes(NULL, 0);
	pool = vmalloc_bytes("nstree_track_start", 1);
	f1 = memfree_kb();
	for (i = 1; i < 9; i++)
		if (nst_subscribe(&c[i], NULL, NULL))
			die("subscribe");
	f2 = memfree_kb();
	m2 = vmalloc_bytes(NULL, 0);
	printf("bench: events mem first_sub_kb %.0f # vmalloc at the first subscription after a fresh load: the tracking pools (its ring too if vmalloc gave it)\n",
	       (m1 - m0) / 1024.0);
	printf("bench: events mem sub_kb %.0f # MemFree drop per further subscription (8 more; default queue; %.0f kB of it vmalloc)\n",
	       (f1 - f2) / 8.0, (m2 - m1) / 8 / 1024.0);
	printf("bench: events mem proc_bytes %.1f # the process tracking pool (%ld kB, vmalloc) per process it can track (kin_max %ld); it does not grow\n",
	       (double)pool / read_param("kin_max"), pool / 1024,
	       read_param("kin_max"));
	for (i = 0; i < 9; i++)
		nst_close(&c[i]);
}

static int sleepers(int n, char **cmd)
{
	pid_t *kids = calloc(n, sizeof(*kids)), p;
	int i, made = 0, st = 0;

	for (i = 0; kids && i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			break;
		if (kids[i] == 0) {
			for (;;)
				pause();
		}
		made++;
	}
	printf("# %d sleeping processes: %s\n", made, cmd[0]);
	fflush(stdout);
	p = fork();
	if (p == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (p > 0)
		waitpid(p, &st, 0);
	for (i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return p > 0 && made == n && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int watched_loop(int n)
{
	char *argv[] = { "/usr/bin/nstree", "watch", NULL };
	pid_t w = spawn_listener(argv);
	double us = loop(0, n);

	printf("# %d fork+exit+wait with one nstree watch: %.1f us each\n", n,
	       us);
	stop(&w, 1);
	return 0;
}

int main(int argc, char **argv)
{
	int su, err;

	if (argc > 3 && !strcmp(argv[1], "--sleepers") &&
	    !strcmp(argv[3], "--"))
		return sleepers(atoi(argv[2]), argv + 4);
	if (argc == 3 && !strcmp(argv[1], "--watched-loop"))
		return watched_loop(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "--memory")) {
		ko = getenv("NSTREE_KO");
		if (!ko)
			return 4;
		memory_test();
		return 0;
	}

	if (argc > 1)
		fork_iters = atoi(argv[1]);
	if (argc > 2)
		exec_iters = atoi(argv[2]);
	if (argc > 3)
		rounds = atoi(argv[3]);
	if (fork_iters < 1 || exec_iters < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: events_bench [FORK_ITERS [EXEC_ITERS [ROUNDS]]]\n");
		return 1;
	}
	ko = getenv("NSTREE_KO");
	if (!ko || access(ko, R_OK)) {
		printf("1..0 # SKIP NSTREE_KO does not name a readable nstree.ko\n");
		return 4;
	}
	printf("1..1\n");
	printf("bench: events config fork_iters %d exec_iters %d rounds %d cpus %ld\n",
	       fork_iters, exec_iters, rounds, sysconf(_SC_NPROCESSORS_ONLN));
	fflush(stdout);
	for (su = 0; su < SU_COUNT; su++) {
		if (su == SU_NONE) {
			err = module_unload();
			if (err || !access("/sys/module/nstree", F_OK)) {
				errno = -err;
				die("rmmod nstree");
			}
		} else if (su == SU_IDLE) {
			err = module_load();
			if (err) {
				errno = -err;
				die("insmod nstree.ko");
			}
		}
		setup_and_measure(su);
	}
	rate_test();
	memory_test();
	printf("ok 1 events bench\n");
	return 0;
}
