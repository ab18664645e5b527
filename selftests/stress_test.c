// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: 100 module unload and load cycles while a fork/exec/exit storm
 * runs, subscribers come and go and dumps loop.
 *
 * The storm runs through every cycle, load and unload included: processes
 * forking children that exit, exec /bin/true, start a thread, make a PID
 * namespace with an init that forks, or leave an orphan to be reparented.
 * It runs at nice 19: it takes the CPU the cycle leaves idle (under TCG
 * all vCPUs share one host thread), so that a dump, rmmod's grace periods
 * and insmod do not wait for it; a cycle goes on only once each stormer
 * has done at least one iteration with the module loaded, so every cycle
 * has the storm's events in it.
 * In each cycle, with the module loaded, the clients start: two raw
 * subscribers (SUBSCRIBE, read events, UNSUBSCRIBE or close, again), one
 * running `nstree watch -c N`, and dumpers running `nstree ps` and
 * `nstree tree`. The cycle goes on once every client has done its work at
 * least once (each subscriber has had an event, each dumper a dump). In
 * every other cycle rmmod is tried once while they still run: it may
 * succeed, or be refused while a dump holds the module (reported); a
 * client that finds the module gone waits for the stop. Then
 * the clients are stopped (SIGTERM to each one's process group, in the
 * middle of a dump or a watch) and waited for; /sys/module/nstree/refcnt
 * must come back to 0; rmmod (retried a bounded number of times, each
 * failure reported) must leave no /sys/module/nstree and no family; insmod
 * brings it back, refcnt 0. The test stops its storm itself and leaves the
 * module loaded. It counts the cycles done and fails below 100.
 *
 *   NSTREE_STRESS_CYCLES=N   cycles (default 100; fewer fails the test)
 *   NSTREE_STRESS_NO_PIDNS=1 a storm without new PID namespaces (to tell
 *                            apart a failure that needs them; the test
 *                            says so)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "lib.h"

#define CYCLES		100
#define STORMERS	2
#define SUBSCRIBERS	2	/* raw SUBSCRIBE sockets */
#define DUMPERS		2	/* nstree ps, nstree tree */
#define WATCHERS	1	/* nstree watch -c */
#define CLIENTS		(SUBSCRIBERS + DUMPERS + WATCHERS)
#define RMMOD_TRIES	20
#define WAIT_MS		60000	/* for a client's first work, or refcnt 0 */
#define STORM_MAX	2000000	/* iterations: a bound, never reached */
#define RUN_MAX_S	3000	/* seconds any worker may live */

/* Shared with every worker (MAP_SHARED). */
struct ctl {
	volatile int stop_storm;
	volatile int stop_clients;
	volatile int loaded;		/* the module is meant to be there */
	volatile unsigned long storm[STORMERS];
	volatile unsigned long work[CLIENTS];	/* dumps done, events seen */
	volatile unsigned long fail[CLIENTS];	/* while loaded */
	volatile unsigned long gone[CLIENTS];	/* the module left under it */
	volatile int why[CLIENTS];		/* last failure */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void worker_init(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(RUN_MAX_S);
}

/* ---- The storm ---- */

static void *thread_exit(void *arg)
{
	return arg;
}

static int storm_kinds = 5;

static int run_and_wait(pid_t pid)
{
	int st;

	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* One fork with a child doing one kind of lifecycle. */
static void storm_one(unsigned long i)
{
	pthread_t t;
	pid_t pid = fork();

	if (pid)
		goto wait;
	switch (i % storm_kinds) {
	case 0:		/* fork, exit */
		_exit(0);
	case 1:		/* exec */
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	case 2:		/* a thread, then exit */
		if (!pthread_create(&t, NULL, thread_exit, NULL))
			pthread_join(t, NULL);
		_exit(0);
	case 4:		/* a PID namespace whose init forks and reaps */
		if (unshare(CLONE_NEWPID))
			_exit(1);
		pid = fork();
		if (pid == 0) {
			pid = fork();
			if (pid == 0)
				_exit(0);
			run_and_wait(pid);
			_exit(0);
		}
		run_and_wait(pid);
		_exit(0);
	default:	/* 3: an orphan, reparented to init */
		if (fork() == 0)
			_exit(0);
		_exit(0);
	}
wait:
	run_and_wait(pid);
}

static void stormer(struct ctl *ctl, int n)
{
	unsigned long i;

	worker_init();
	/* Inherited by every process of the storm. */
	setpriority(PRIO_PROCESS, 0, 19);
	for (i = 0; i < STORM_MAX && !ctl->stop_storm; i++) {
		storm_one(i + n);
		ctl->storm[n]++;
	}
	_exit(0);
}

/* ---- Clients ---- */

static void client_fail(struct ctl *ctl, int n, int err)
{
	if (ctl->stop_clients)		/* being stopped: not a failure */
		return;
	if (ctl->loaded && nst_module_loaded()) {
		ctl->fail[n]++;
		ctl->why[n] = err;
		return;
	}
	ctl->gone[n]++;
	/*
	 * The module is gone (rmmod raced this client): wait for the stop
	 * instead of retrying. Each failed lookup of the family makes the
	 * kernel run modprobe for its alias (genetlink's ctrl_getfamily()),
	 * and clients retrying every 10 ms filled the guest with modprobes:
	 * the stop of a cycle whose rmmod raced them took 1 to 2 s, and
	 * takes about 0.5 s without them (6.12 guest).
	 */
	while (!ctl->stop_clients)
		usleep(5000);
}

static int count_event(const struct nst_event *ev, void *arg)
{
	(void)ev;
	++*(unsigned long *)arg;
	return 0;
}

/*
 * Subscribe, read some events, unsubscribe (or just close), again. The
 * socket's poll is bounded so the stop flag is seen.
 */
static void subscriber(struct ctl *ctl, int n)
{
	unsigned long round;

	worker_init();
	for (round = 0; !ctl->stop_clients; round++) {
		unsigned long got = 0;
		struct nst_conn c;
		struct pollfd p;
		int err;

		err = nst_open(&c);
		if (err) {
			client_fail(ctl, n, err);
			usleep(10000);
			continue;
		}
		err = nst_subscribe(&c, NULL, NULL);
		if (err) {
			client_fail(ctl, n, err);
			nst_close(&c);
			continue;
		}
		while (got < 50 && !ctl->stop_clients) {
			p.fd = nst_event_fd(&c);
			p.events = POLLIN;
			if (poll(&p, 1, 100) <= 0)
				continue;
			err = nst_event_read(&c, count_event, &got);
			if (err < 0 && err != -ENOBUFS) {
				client_fail(ctl, n, err);
				break;
			}
			if (got)
				ctl->work[n]++;
		}
		if (round % 2)
			nst_unsubscribe(&c);
		nst_close(&c);
	}
	_exit(0);
}

/* A CLI command line, again and again; its exit status judged. */
static void cli_loop(struct ctl *ctl, int n, char *const argv[])
{
	worker_init();
	while (!ctl->stop_clients) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			dup2(fd, 2);
			execv("/usr/bin/nstree", argv);
			_exit(127);
		}
		st = run_and_wait(pid);
		if (st == 0)
			ctl->work[n]++;
		else
			client_fail(ctl, n, st);
	}
	_exit(0);
}

/* nstree watch -c 10: ends by itself once the storm has made 10 events. */
static void watcher(struct ctl *ctl, int n)
{
	static char *const argv[] = { "nstree", "watch", "-c", "10", NULL };

	cli_loop(ctl, n, argv);
}

/* A worker in a process group of its own, so that it stops with its children. */
static pid_t spawn(void (*fn)(struct ctl *, int), struct ctl *ctl, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		fn(ctl, n);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

static void dumper(struct ctl *ctl, int n)
{
	static char *const ps[] = { "nstree", "ps", NULL };
	static char *const tree[] = { "nstree", "tree", NULL };

	cli_loop(ctl, n, n % 2 ? tree : ps);
}

static const char *const client_name[CLIENTS] = {
	"subscriber 1", "subscriber 2", "nstree ps loop", "nstree tree loop",
	"nstree watch -c 10",
};

FIXTURE(stress) {
	const char *ko;
	struct ctl *ctl;
	pid_t storm[STORMERS];
	pid_t client[CLIENTS];
};

FIXTURE_SETUP(stress)
{
	self->ko = getenv("NSTREE_KO");
	if (!self->ko || access(self->ko, R_OK))
		SKIP(return, "NSTREE_KO does not name a readable nstree.ko");
	ASSERT_EQ(0, access("/usr/bin/nstree", X_OK));
	self->ctl = mmap(NULL, sizeof(*self->ctl), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ctl);
	memset(self->ctl, 0, sizeof(*self->ctl));
	if (!nst_module_loaded())
		ASSERT_EQ(0, nst_module_load(self->ko));
}

/*
 * Wait for workers; with @sig, send it to their process groups first: a
 * client stops in the middle of what it does, a dump or a watch included.
 */
static void stop_all(pid_t *pids, int n, int sig)
{
	int i;

	for (i = 0; sig && i < n; i++)
		if (pids[i] > 0)
			kill(-pids[i], sig);
	for (i = 0; i < n; i++)
		if (pids[i] > 0) {
			run_and_wait(pids[i]);
			pids[i] = 0;
		}
}

FIXTURE_TEARDOWN(stress)
{
	if (!self->ctl)
		return;
	self->ctl->stop_clients = 1;
	self->ctl->stop_storm = 1;
	stop_all(self->client, CLIENTS, SIGTERM);
	stop_all(self->storm, STORMERS, 0);
	/* Leave the module loaded, as the other tests expect. */
	if (!nst_module_loaded())
		nst_module_load(self->ko);
}

/* Wait for @cond, bounded; polls what the kernel shows, no fixed sleep. */
static int wait_for(int (*cond)(struct ctl *), struct ctl *ctl, int ms)
{
	double end = now() + ms / 1000.0;

	while (!cond(ctl)) {
		if (now() > end)
			return -ETIMEDOUT;
		usleep(2000);
	}
	return 0;
}

static unsigned long base[CLIENTS], storm_base[STORMERS];

/* Every client has worked, and every stormer stormed, since the load. */
static int clients_worked(struct ctl *ctl)
{
	int i;

	for (i = 0; i < CLIENTS; i++)
		if (ctl->work[i] <= base[i])
			return 0;
	for (i = 0; i < STORMERS; i++)
		if (ctl->storm[i] <= storm_base[i])
			return 0;
	return 1;
}

static int refcnt_zero(struct ctl *ctl)
{
	(void)ctl;
	return nst_module_refcnt() == 0;
}

TEST_F_TIMEOUT(stress, load_unload_100, 1380)
{
	struct ctl *ctl = self->ctl;
	int cycles = getenv("NSTREE_STRESS_CYCLES") ?
		     atoi(getenv("NSTREE_STRESS_CYCLES")) : CYCLES;
	int c, i, err, done = 0, races = 0, raced_ok = 0, raced_busy = 0;
	int rm_retries = 0, rc_waits = 0;
	unsigned long storm0 = 0, storm1 = 0;
	double t0 = now(), tc, tw, ts, tr;
	double sum_w = 0, sum_s = 0, sum_r = 0, sum_i = 0;
	struct nst_conn conn;

	if (getenv("NSTREE_STRESS_NO_PIDNS")) {
		storm_kinds = 4;
		ksft_print_msg("NSTREE_STRESS_NO_PIDNS: the storm makes no PID namespace\n");
	}
	for (i = 0; i < STORMERS; i++) {
		self->storm[i] = spawn(stormer, ctl, i);
		ASSERT_LT(0, self->storm[i]);
	}

	for (c = 0; c < cycles; c++) {
		tc = now();
		ASSERT_TRUE(nst_module_loaded())
			TH_LOG("cycle %d: module not loaded", c);
		ctl->loaded = 1;
		ctl->stop_clients = 0;
		for (i = 0; i < CLIENTS; i++)
			base[i] = ctl->work[i];
		for (i = 0; i < STORMERS; i++)
			storm_base[i] = ctl->storm[i];
		for (i = 0; i < SUBSCRIBERS; i++)
			self->client[i] = spawn(subscriber, ctl, i);
		for (i = 0; i < DUMPERS; i++)
			self->client[SUBSCRIBERS + i] = spawn(dumper, ctl, SUBSCRIBERS + i);
		self->client[CLIENTS - 1] = spawn(watcher, ctl, CLIENTS - 1);
		for (i = 0; i < CLIENTS; i++)
			ASSERT_LT(0, self->client[i]);

		/* Every client has done its work once with the module there. */
		err = wait_for(clients_worked, ctl, WAIT_MS);
		for (i = 0; err && i < CLIENTS; i++)
			if (ctl->work[i] <= base[i])
				TH_LOG("cycle %d: %s did nothing in %d ms", c,
				       client_name[i], WAIT_MS);
		for (i = 0; err && i < STORMERS; i++)
			if (ctl->storm[i] <= storm_base[i])
				TH_LOG("cycle %d: stormer %d did nothing in %d ms",
				       c, i + 1, WAIT_MS);
		ASSERT_EQ(0, err);
		tw = now();

		/* Every other cycle: rmmod while they run. */
		if (c % 2) {
			races++;
			ctl->loaded = 0;
			err = nst_module_unload();
			if (!err) {
				raced_ok++;
			} else {
				raced_busy++;
				TH_LOG("cycle %d: rmmod with clients running: %s",
				       c, strerror(-err));
				ctl->loaded = 1;
			}
		}

		ctl->stop_clients = 1;
		stop_all(self->client, CLIENTS, SIGTERM);
		ctl->loaded = 0;
		ts = now();

		if (nst_module_loaded()) {
			/* Clients gone: nothing may hold the module. */
			err = wait_for(refcnt_zero, ctl, WAIT_MS);
			if (err)
				rc_waits++;
			EXPECT_EQ(0, err) TH_LOG("cycle %d: refcnt %d, not 0, %d ms after the clients stopped",
						 c, nst_module_refcnt(), WAIT_MS);
			for (i = 0; i < RMMOD_TRIES; i++) {
				err = nst_module_unload();
				if (!err)
					break;
				rm_retries++;
				TH_LOG("cycle %d: rmmod try %d: %s (refcnt %d)",
				       c, i + 1, strerror(-err),
				       nst_module_refcnt());
				usleep(50000);
			}
			ASSERT_EQ(0, err) TH_LOG("cycle %d: rmmod failed %d times", c,
						 RMMOD_TRIES);
		}
		tr = now();
		ASSERT_FALSE(nst_module_loaded())
			TH_LOG("cycle %d: /sys/module/nstree after rmmod", c);
		ASSERT_EQ(-ENOENT, nst_open(&conn)) TH_LOG("cycle %d: family after rmmod", c);

		ASSERT_EQ(0, nst_module_load(self->ko))
			TH_LOG("cycle %d: insmod", c);
		ASSERT_EQ(0, nst_module_refcnt())
			TH_LOG("cycle %d: refcnt after insmod", c);
		ASSERT_EQ(0, nst_open(&conn)) TH_LOG("cycle %d: family after insmod", c);
		nst_close(&conn);
		done++;
		sum_w += tw - tc;
		sum_s += ts - tw;
		sum_r += tr - ts;
		sum_i += now() - tr;
		if (c < 5 || c % 10 == 9)
			ksft_print_msg("cycle %d done in %.2f s: clients' first work %.2f, stop %.2f, rmmod %.2f, insmod %.2f (storm %lu+%lu iterations so far)\n",
				       c + 1, now() - tc, tw - tc, ts - tw, tr - ts,
				       now() - tr, ctl->storm[0], ctl->storm[1]);
	}

	ctl->stop_storm = 1;
	storm0 = ctl->storm[0];
	storm1 = ctl->storm[1];
	stop_all(self->storm, STORMERS, 0);

	ksft_print_msg("%d of %d load/unload cycles done in %.1f s; storm: %lu fork/exec/exit iterations\n",
		       done, cycles, now() - t0, storm0 + storm1);
	if (done)
		ksft_print_msg("a cycle's mean: clients' first work %.2f s, stop %.2f s, rmmod %.2f s, insmod %.2f s\n",
			       sum_w / done, sum_s / done, sum_r / done,
			       sum_i / done);
	ksft_print_msg("rmmod raced running clients %d times: %d unloaded, %d refused; rmmod retries after the clients stopped: %d; refcnt waits timed out: %d\n",
		       races, raced_ok, raced_busy, rm_retries, rc_waits);
	for (i = 0; i < CLIENTS; i++) {
		ksft_print_msg("%-20s work %lu, failures with the module loaded %lu, failures after rmmod (expected) %lu\n",
			       client_name[i], ctl->work[i], ctl->fail[i], ctl->gone[i]);
		EXPECT_EQ(0, ctl->fail[i]) TH_LOG("%s: last failure %d", client_name[i],
						  ctl->why[i]);
	}
	EXPECT_TRUE(nst_module_loaded());
	EXPECT_LE(cycles, done) TH_LOG("only %d cycles: %d were asked for", done, cycles);
}

TEST_HARNESS_MAIN
