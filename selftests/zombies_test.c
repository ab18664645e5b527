// SPDX-License-Identifier: GPL-2.0
/*
 * nstree zombies against real zombies: each scenario makes its zombies
 * with real forks (and clone3() into a new PID namespace), sets up the
 * parent's side (SIGCHLD ignored, a handler, blocked in waitpid() for
 * another child, a namespace init that never waits, a leader that exited
 * before its thread, a stopped parent, a parent outside the caller's
 * namespace), then runs the CLI, /usr/bin/nstree zombies -J, and checks
 * the zombie's row: its columns and the rule of its verdict.
 *
 * Handshakes are pipes, waitid(WNOWAIT) (the parent sees its child is a
 * zombie without reaping it) and, for "in wait()", /proc/PID/wchan read
 * until it says do_wait. The only sleeps are the ones the verdict
 * measures: a zombie younger than a second has verdict rule 3 (just
 * exited), so the scenarios for the other rules let their zombies age
 * past it first, and the AGE test measures AGE against the clock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "json.h"
#include "lib.h"
#include "procfs.h"

#define MAX_ROWS 256

/* Every column, so every row says everything. */
#define ALL_COLS "PID,PPID,COMM,AGE,PARENT,SIGCHLD,INWAIT,PINIT,ZOMBIES,REAPER,RULE,PIDNS,VERDICT"

/* A row of nstree zombies -J: booleans -1 for null. */
struct zrow {
	unsigned int pid, ppid, zombies, reaper, rule, pidns;
	int has_zombies, has_age, inwait, pinit;
	double age;
	char comm[32], parent[32], sigchld[16], verdict[1024];
};

static void str_of(const struct json *j, char *buf, size_t size)
{
	buf[0] = '\0';
	if (j && j->type == JSON_STRING)
		snprintf(buf, size, "%s", j->str);
}

static unsigned int uint_of(const struct json *j, int *present)
{
	if (present)
		*present = j && j->is_uint;
	return j && j->is_uint ? (unsigned int)j->uint : 0;
}

static int bool_of(const struct json *j)
{
	if (j && j->type == JSON_TRUE)
		return 1;
	if (j && j->type == JSON_FALSE)
		return 0;
	return j && j->type == JSON_NULL ? -1 : -2;	/* -2: not a boolean */
}

/*
 * Parse the JSON of nstree zombies @out into @rows; returns how many, or
 * -1 with the reason logged.
 */
static int parse_rows(struct __test_metadata *_metadata, const char *out,
		      struct zrow *rows, int max)
{
	const struct json *arr, *e;
	struct json *j;
	char err[128];
	int n = 0;

	j = json_parse(out, err, sizeof(err));
	if (!j) {
		TH_LOG("bad JSON: %s: %s", err, out);
		return -1;
	}
	arr = json_get(j, "zombies");
	if (!arr || arr->type != JSON_ARRAY) {
		TH_LOG("no array 'zombies': %s", out);
		json_free(j);
		return -1;
	}
	for (e = arr->child; e && n < max; e = e->next, n++) {
		struct zrow *r = &rows[n];
		const struct json *age = json_get(e, "age");

		memset(r, 0, sizeof(*r));
		r->pid = uint_of(json_get(e, "pid"), NULL);
		r->ppid = uint_of(json_get(e, "ppid"), NULL);
		r->zombies = uint_of(json_get(e, "zombies"), &r->has_zombies);
		r->reaper = uint_of(json_get(e, "reaper"), NULL);
		r->rule = uint_of(json_get(e, "rule"), NULL);
		r->pidns = uint_of(json_get(e, "pidns"), NULL);
		r->has_age = age && age->type == JSON_NUMBER;
		r->age = r->has_age ? strtod(age->str, NULL) : 0;
		r->inwait = bool_of(json_get(e, "inwait"));
		r->pinit = bool_of(json_get(e, "pinit"));
		str_of(json_get(e, "comm"), r->comm, sizeof(r->comm));
		str_of(json_get(e, "parent"), r->parent, sizeof(r->parent));
		str_of(json_get(e, "sigchld"), r->sigchld, sizeof(r->sigchld));
		str_of(json_get(e, "verdict"), r->verdict, sizeof(r->verdict));
	}
	json_free(j);
	return n;
}

/* nstree zombies -J with every column (and @extra options). */
static int zombies(struct __test_metadata *_metadata, const char *extra,
		   struct zrow *rows, int max)
{
	struct cmd_result r;
	int n;

	nst_cmd(&r, "nstree zombies -J -o " ALL_COLS " %s", extra);
	if (r.status) {
		TH_LOG("nstree zombies: status %d: %s", r.status, r.err);
		nst_cmd_free(&r);
		return -1;
	}
	n = parse_rows(_metadata, r.out, rows, max);
	nst_cmd_free(&r);
	return n;
}

static const struct zrow *row_of(const struct zrow *rows, int n,
				 unsigned int pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].pid == pid)
			return &rows[i];
	return NULL;
}

static double now_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Rule 3 holds for a zombie younger than a second: the rules after it
 * need zombies older than that. Sleep until @s seconds after @since
 * (CLOCK_MONOTONIC), a moment after the zombie was seen to be one.
 */
static void age_past(double since, double s)
{
	double left = since + s - now_s(CLOCK_MONOTONIC);
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = (time_t)left;
	ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Fork a child that exits at once; wait until it is a zombie, unreaped. */
static pid_t make_zombie(void)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -1;
	do {
		memset(&si, 0, sizeof(si));
		if (!waitid(P_PID, pid, &si, WEXITED | WNOWAIT))
			return si.si_pid == pid ? pid : -1;
	} while (errno == EINTR);
	return -1;
}

/* The state letter of /proc/@pid/stat, or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (proc_read_small(path, buf, sizeof(buf)) <= 0)
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * A parent for a scenario: forked, named @comm, it runs @setup (which
 * makes its zombies and writes their PIDs, as pid_t, on @ready, then
 * a 0 to say done) and then blocks reading @go until the test ends it.
 */
struct parent {
	pid_t pid;
	int ready[2], go[2];
	pid_t zombies[8];
	int nz;
	double seen;		/* CLOCK_MONOTONIC when it said ready */
};

static void park(struct parent *pa)
{
	char c;

	while (read(pa->go[0], &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void tell(struct parent *pa, pid_t z)
{
	if (nst_write_full(pa->ready[1], &z, sizeof(z)))
		_exit(99);
}

static int parent_start(struct parent *pa, const char *comm,
			void (*setup)(struct parent *pa), uint64_t flags)
{
	pid_t z;

	memset(pa, 0, sizeof(*pa));
	if (pipe2(pa->ready, O_CLOEXEC) || pipe2(pa->go, O_CLOEXEC))
		return -1;
	pa->pid = flags ? nst_clone3(flags) : fork();
	if (pa->pid < 0)
		return -1;
	if (pa->pid == 0) {
		close(pa->ready[0]);
		close(pa->go[1]);
		prctl(PR_SET_NAME, comm);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setup(pa);
		tell(pa, 0);
		park(pa);
	}
	close(pa->ready[1]);
	close(pa->go[0]);
	for (;;) {
		if (nst_read_full(pa->ready[0], &z, sizeof(z)))
			return -1;
		if (!z)
			break;
		if (pa->nz < 8)
			pa->zombies[pa->nz++] = z;
	}
	pa->seen = now_s(CLOCK_MONOTONIC);
	return 0;
}

static void parent_end(struct parent *pa)
{
	if (pa->pid <= 0)
		return;
	kill(pa->pid, SIGKILL);
	waitpid(pa->pid, NULL, 0);
	close(pa->ready[0]);
	close(pa->go[1]);
	pa->pid = 0;
}

/*
 * The PIDs the parent names are in its own namespace; the test's are
 * what nstree shows. In the test's namespace they are the same, except
 * for the namespace init of ns_init_never_waits, which sends none.
 */

FIXTURE(z) {
	struct parent pa;
	struct zrow rows[MAX_ROWS];
	int n;
};

FIXTURE_SETUP(z)
{
	memset(&self->pa, 0, sizeof(self->pa));
}

FIXTURE_TEARDOWN(z)
{
	parent_end(&self->pa);
}

/* Every row's order and every row's rule against its AGE. */
static void check_common(struct __test_metadata *_metadata,
			 const struct zrow *rows, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		EXPECT_TRUE(rows[i].rule >= 1 && rows[i].rule <= 9)
			TH_LOG("PID %u: rule %u", rows[i].pid, rows[i].rule);
		EXPECT_NE(0, rows[i].verdict[0]);
		if (i && rows[i].has_age && rows[i - 1].has_age)
			EXPECT_GE(rows[i - 1].age, rows[i].age)
				TH_LOG("not oldest first: %u before %u",
				       rows[i - 1].pid, rows[i].pid);
		/* Rules 1 and 2 come before rule 3's age. */
		if (rows[i].has_age && rows[i].age < 1.0 && rows[i].rule > 2)
			EXPECT_EQ(3, rows[i].rule)
				TH_LOG("PID %u is %.3f s old", rows[i].pid,
				       rows[i].age);
	}
}

/*
 * Once the parent's zombies are past 1 s (rule 3's bound), list every
 * zombie into self->rows and check what holds for all of them.
 */
static void list_aged(struct __test_metadata *_metadata,
		      FIXTURE_DATA(z) *self)
{
	age_past(self->pa.seen, 1.2);
	self->n = zombies(_metadata, "", self->rows, MAX_ROWS);
	ASSERT_LE(0, self->n);
	check_common(_metadata, self->rows, self->n);
}

/* As list_aged(), and the row of the parent's first zombie. */
static const struct zrow *aged_row(struct __test_metadata *_metadata,
				   FIXTURE_DATA(z) *self)
{
	const struct zrow *r;

	list_aged(_metadata, self);
	r = row_of(self->rows, self->n, self->pa.zombies[0]);
	ASSERT_NE(NULL, r);
	return r;
}

/* a) A namespace init that never waits, with two zombie children. */
static void init_setup(struct parent *pa)
{
	/* We are PID 1 of a new namespace: say our zombies' count only. */
	if (make_zombie() < 0 || make_zombie() < 0)
		_exit(98);
	tell(pa, 1);
	tell(pa, 1);
}

TEST_F_TIMEOUT(z, ns_init_never_waits, 120)
{
	const struct zrow *r;
	char want[128], opt[64];
	unsigned int inum;
	int i, found = 0;

	ASSERT_EQ(0, parent_start(&self->pa, "zinit", init_setup,
				  CLONE_NEWPID));
	ASSERT_EQ(2, self->pa.nz);
	inum = nst_pidns_of(self->pa.pid);
	ASSERT_NE(0, inum);
	list_aged(_metadata, self);
	snprintf(want, sizeof(want), "PID 1 of pid:[%u] (zinit) has not reaped 2 children for ",
		 inum);
	for (i = 0; i < self->n; i++) {
		r = &self->rows[i];
		if (r->ppid != (unsigned int)self->pa.pid)
			continue;
		found++;
		EXPECT_STREQ("zinit", r->parent);
		EXPECT_EQ(1, r->pinit);
		EXPECT_EQ(0, r->inwait);
		EXPECT_STREQ("default", r->sigchld);
		EXPECT_EQ(2, r->zombies);
		EXPECT_EQ(inum, r->pidns);
		EXPECT_TRUE(r->has_age && r->age >= 1.2)
			TH_LOG("age %.3f", r->age);
		EXPECT_EQ(8, r->rule) TH_LOG("%s", r->verdict);
		EXPECT_NE(NULL, strstr(r->verdict, want))
			TH_LOG("%s", r->verdict);
		EXPECT_NE(NULL, strstr(r->verdict,
				       ": it has not called wait() since; if"))
			TH_LOG("%s", r->verdict);
		EXPECT_NE(NULL, strstr(r->verdict, "nstree run --init"));
	}
	EXPECT_EQ(2, found);

	/* --ns, by the init's PID: just those two. */
	snprintf(opt, sizeof(opt), "--ns %d", self->pa.pid);
	self->n = zombies(_metadata, opt, self->rows, MAX_ROWS);
	ASSERT_EQ(2, self->n);
	for (i = 0; i < 2; i++)
		EXPECT_EQ((unsigned int)self->pa.pid, self->rows[i].ppid);
	/* ... and by its inode. */
	snprintf(opt, sizeof(opt), "-N 'pid:[%u]'", inum);
	self->n = zombies(_metadata, opt, self->rows, MAX_ROWS);
	EXPECT_EQ(2, self->n);
}

/* b) A zombie made before its parent ignored SIGCHLD. */
static void ignore_setup(struct parent *pa)
{
	pid_t z = make_zombie();

	if (z < 0 || signal(SIGCHLD, SIG_IGN) == SIG_ERR)
		_exit(98);
	tell(pa, z);
}

TEST_F_TIMEOUT(z, ignored_after, 120)
{
	const struct zrow *r;

	ASSERT_EQ(0, parent_start(&self->pa, "zignore", ignore_setup, 0));
	ASSERT_EQ(1, self->pa.nz);
	r = aged_row(_metadata, self);
	EXPECT_EQ((unsigned int)self->pa.pid, r->ppid);
	EXPECT_STREQ("zignore", r->parent);
	EXPECT_STREQ("ignore", r->sigchld);
	EXPECT_EQ(0, r->pinit);
	EXPECT_EQ(0, r->inwait);
	EXPECT_EQ(1, r->zombies);
	EXPECT_EQ(6, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "ignored SIGCHLD only after this child exited"))
		TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "do_notify_parent()"));
}

/* c) A parent blocked in waitpid() for another child, which lives. */
static void wait_setup(struct parent *pa)
{
	pid_t z = make_zombie(), live;
	int hold[2];
	char c;

	if (z < 0 || pipe(hold))
		_exit(98);
	live = fork();
	if (live == 0) {
		close(hold[1]);
		/* Until the parent dies (its write end closes). */
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	if (live < 0)
		_exit(98);
	close(hold[0]);
	tell(pa, z);
	tell(pa, 0);
	/* Blocks: the live child never exits while we wait. */
	waitpid(live, NULL, 0);
	_exit(97);
}

TEST_F_TIMEOUT(z, waits_for_another, 120)
{
	const struct zrow *r;

	ASSERT_EQ(0, parent_start(&self->pa, "zwaiter", wait_setup, 0));
	ASSERT_EQ(1, self->pa.nz);
	ASSERT_EQ(0, proc_wait_wchan(self->pa.pid, "do_wait", 20000))
		TH_LOG("PID %d never slept in do_wait", self->pa.pid);
	r = aged_row(_metadata, self);
	EXPECT_STREQ("zwaiter", r->parent);
	EXPECT_EQ(1, r->inwait);
	EXPECT_STREQ("default", r->sigchld);
	EXPECT_EQ(5, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "waits in wait(), but not for this child"))
		TH_LOG("%s", r->verdict);
}

/* d) A SIGCHLD handler that reaps nothing. */
static void noop_handler(int sig)
{
	(void)sig;
}

static void handler_setup(struct parent *pa)
{
	struct sigaction sa = { .sa_handler = noop_handler,
				.sa_flags = SA_RESTART };
	pid_t z;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL))
		_exit(98);
	z = make_zombie();
	if (z < 0)
		_exit(98);
	tell(pa, z);
}

TEST_F_TIMEOUT(z, handler_does_not_reap, 120)
{
	const struct zrow *r;

	ASSERT_EQ(0, parent_start(&self->pa, "zhandler", handler_setup, 0));
	ASSERT_EQ(1, self->pa.nz);
	r = aged_row(_metadata, self);
	EXPECT_STREQ("handler", r->sigchld);
	EXPECT_EQ(0, r->inwait);
	EXPECT_EQ(7, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "SIGCHLD handler of its parent PID"))
		TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "waitpid(-1, &st, WNOHANG)"));
}

/*
 * e) AGE: at least the time since the parent (this test) saw its child
 * become a zombie, at most the time since the fork. A 10 ms slack for
 * the two clocks (the module's local_clock(), our CLOCK_MONOTONIC) and
 * the millisecond AGE is written in.
 */
TEST_F_TIMEOUT(z, age_bounds, 120)
{
	double t_fork, t_zombie, t_before, t_after;
	const struct zrow *r;
	char comm[16];
	siginfo_t si;
	pid_t pid;

	t_fork = now_s(CLOCK_MONOTONIC);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	t_zombie = now_s(CLOCK_MONOTONIC);
	/* The quantity measured: a second and a half as a zombie. */
	age_past(t_zombie, 1.5);
	t_before = now_s(CLOCK_MONOTONIC);
	self->n = zombies(_metadata, "", self->rows, MAX_ROWS);
	t_after = now_s(CLOCK_MONOTONIC);
	ASSERT_LE(0, self->n);
	check_common(_metadata, self->rows, self->n);
	r = row_of(self->rows, self->n, pid);
	ASSERT_NE(NULL, r);
	ASSERT_TRUE(r->has_age);
	EXPECT_GE(r->age + 0.010, t_before - t_zombie)
		TH_LOG("AGE %.3f < %.3f", r->age, t_before - t_zombie);
	EXPECT_LE(r->age, t_after - t_fork + 0.010)
		TH_LOG("AGE %.3f > %.3f", r->age, t_after - t_fork);
	/* This test's process: default SIGCHLD, not waiting, no init. */
	ASSERT_EQ(0, prctl(PR_GET_NAME, comm));
	EXPECT_STREQ(comm, r->parent);
	EXPECT_EQ((unsigned int)getpid(), r->ppid);
	EXPECT_EQ(9, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict,
			       ": it has not called wait() since; if it ended, "))
		TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "would adopt it and reap it"))
		TH_LOG("%s", r->verdict);
	waitpid(pid, NULL, 0);
}

/*
 * A busy parent that reaps later: it spins (state R, not in wait()) with a
 * zombie child until told, then reaps it. Its verdict says it is running
 * and has not called wait() since, not that it never will; and it does.
 */
static void busy_setup(struct parent *pa)
{
	pid_t z = make_zombie();
	char c;

	if (z < 0 || fcntl(pa->go[0], F_SETFL, O_NONBLOCK))
		_exit(98);
	tell(pa, z);
	tell(pa, 0);
	while (read(pa->go[0], &c, 1) < 0 &&
	       (errno == EAGAIN || errno == EINTR))
		;
	_exit(waitpid(z, NULL, 0) == z ? 0 : 1);
}

TEST_F_TIMEOUT(z, busy_parent_reaps_later, 120)
{
	const struct zrow *r;
	int status;

	ASSERT_EQ(0, parent_start(&self->pa, "zbusy", busy_setup, 0));
	ASSERT_EQ(1, self->pa.nz);
	r = aged_row(_metadata, self);
	EXPECT_EQ(0, r->inwait);
	EXPECT_EQ(9, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict,
			       ": it has not called wait() since; it is running, and a busy parent reaps when it next calls wait()"))
		TH_LOG("%s", r->verdict);
	/* Told to, it reaps: its exit status says waitpid() got the zombie. */
	ASSERT_EQ(1, write(self->pa.go[1], "g", 1));
	ASSERT_EQ(self->pa.pid, waitpid(self->pa.pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status %#x", status);
	close(self->pa.ready[0]);
	close(self->pa.go[1]);
	self->pa.pid = 0;
}

/* f) A leader that exited (as pthread_exit() in main) while a thread lives. */
static void *blocker(void *arg)
{
	int fd = *(int *)arg;
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	exit(0);
	return NULL;
}

TEST_F_TIMEOUT(z, leader_exited_first, 120)
{
	static int hold[2];
	const struct zrow *r;
	pthread_t t;
	pid_t pid;
	int i;

	ASSERT_EQ(0, pipe(hold));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(hold[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (pthread_create(&t, NULL, blocker, &hold[0]))
			_exit(98);
		/*
		 * What pthread_exit() in main does in the end: the exit of
		 * this thread alone. glibc's pthread_exit() itself unwinds
		 * with libgcc_s, which the guest does not have.
		 */
		syscall(SYS_exit, 0);
		_exit(97);
	}
	close(hold[0]);
	/* No waitid() sees a leader whose threads run: /proc/PID/stat does. */
	for (i = 0; i < 20000 && proc_state(pid) != 'Z'; i++)
		usleep(1000);
	ASSERT_EQ('Z', proc_state(pid));
	self->n = zombies(_metadata, "", self->rows, MAX_ROWS);
	ASSERT_LE(0, self->n);
	check_common(_metadata, self->rows, self->n);
	r = row_of(self->rows, self->n, pid);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "its leader thread exited before its 1 other thread"))
		TH_LOG("%s", r->verdict);
	/* The thread exits with the process: then it is a plain zombie. */
	close(hold[1]);
	EXPECT_EQ(pid, waitpid(pid, &i, 0));
	EXPECT_EQ(0, i) TH_LOG("status %#x", i);
}

/*
 * g) As nobody, the zombies of root's process are listed, but whether
 * their parent is in wait() is not for nobody to know (/proc/PID/wchan
 * is not either).
 */
static void root_setup(struct parent *pa)
{
	pid_t z = make_zombie();

	if (z < 0)
		_exit(98);
	tell(pa, z);
}

TEST_F_TIMEOUT(z, unprivileged_hidden, 120)
{
	struct cmd_result res;
	const struct zrow *r;
	int out[2], status;
	char *buf;
	size_t len = 0, cap = 1 << 20;
	ssize_t k;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root, to switch to nobody");
	ASSERT_EQ(0, parent_start(&self->pa, "zroot", root_setup, 0));
	ASSERT_EQ(1, self->pa.nz);
	age_past(self->pa.seen, 1.2);
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(out[0]);
		if (nst_become_nobody(0))
			_exit(98);
		nst_cmd(&res, "nstree zombies -J -o " ALL_COLS);
		if (res.status)
			_exit(90);
		if (nst_write_full(out[1], res.out, strlen(res.out)))
			_exit(99);
		_exit(0);
	}
	close(out[1]);
	buf = malloc(cap);
	ASSERT_NE(NULL, buf);
	while ((k = read(out[0], buf + len, cap - 1 - len)) > 0)
		len += k;
	buf[len] = '\0';
	close(out[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status) TH_LOG("as nobody: status %#x", status);
	self->n = parse_rows(_metadata, buf, self->rows, MAX_ROWS);
	free(buf);
	ASSERT_LE(0, self->n);
	check_common(_metadata, self->rows, self->n);
	r = row_of(self->rows, self->n, self->pa.zombies[0]);
	ASSERT_NE(NULL, r) TH_LOG("nobody does not see zombie %d",
				  self->pa.zombies[0]);
	EXPECT_STREQ("zroot", r->parent);
	EXPECT_EQ(-1, r->inwait);
	EXPECT_STREQ("default", r->sigchld);
	EXPECT_EQ(9, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "whether it is in wait() is hidden from you"))
		TH_LOG("%s", r->verdict);
	EXPECT_EQ(NULL, strstr(r->verdict, "never calls wait()"))
		TH_LOG("%s", r->verdict);
}

static void nothing_setup(struct parent *pa)
{
	(void)pa;
}

/* Rule 4: a stopped parent. */
static void stop_setup(struct parent *pa)
{
	pid_t z = make_zombie();

	if (z < 0)
		_exit(98);
	tell(pa, z);
}

TEST_F_TIMEOUT(z, parent_stopped, 120)
{
	const struct zrow *r;
	int i;

	ASSERT_EQ(0, parent_start(&self->pa, "zstopped", stop_setup, 0));
	ASSERT_EQ(1, self->pa.nz);
	ASSERT_EQ(0, kill(self->pa.pid, SIGSTOP));
	for (i = 0; i < 20000 && proc_state(self->pa.pid) != 'T'; i++)
		usleep(1000);
	ASSERT_EQ('T', proc_state(self->pa.pid));
	r = aged_row(_metadata, self);
	EXPECT_EQ(4, r->rule) TH_LOG("%s", r->verdict);
	EXPECT_NE(NULL, strstr(r->verdict, "is stopped: it cannot reap until it is continued"))
		TH_LOG("%s", r->verdict);
}

/*
 * Rule 2: seen from inside a PID namespace, a zombie whose parent joined
 * the namespace with setns() and forked it: the parent lives outside, so
 * PPID is 0 there.
 */
static int join_pidns(pid_t of)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", of);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWPID);
	close(fd);
	return ret;
}

static pid_t ns_of;	/* the init whose namespace the joiners join */

static void joiner_setup(struct parent *pa)
{
	pid_t z;

	if (join_pidns(ns_of))
		_exit(98);
	z = make_zombie();
	if (z < 0)
		_exit(98);
	tell(pa, z);
}

TEST_F_TIMEOUT(z, parent_out_of_view, 120)
{
	struct parent init, joiner;
	struct cmd_result res;
	int out[2], status, i, found = 0;
	size_t len = 0, cap = 1 << 20;
	char *buf;
	ssize_t k;
	pid_t pid;

	ASSERT_EQ(0, parent_start(&init, "zns", nothing_setup, CLONE_NEWPID));
	ns_of = init.pid;
	ASSERT_EQ(0, parent_start(&joiner, "zjoiner", joiner_setup, 0));
	ASSERT_EQ(1, joiner.nz);
	age_past(joiner.seen, 1.2);
	/* From inside: a child of a process that joined the namespace. */
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t in;

		close(out[0]);
		if (join_pidns(init.pid))
			_exit(98);
		in = fork();
		if (in < 0)
			_exit(98);
		if (in == 0) {
			nst_cmd(&res, "nstree zombies -J -o " ALL_COLS);
			if (res.status)
				_exit(90);
			if (nst_write_full(out[1], res.out, strlen(res.out)))
				_exit(99);
			_exit(0);
		}
		if (waitpid(in, &status, 0) != in)
			_exit(97);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 96);
	}
	close(out[1]);
	buf = malloc(cap);
	ASSERT_NE(NULL, buf);
	while ((k = read(out[0], buf + len, cap - 1 - len)) > 0)
		len += k;
	buf[len] = '\0';
	close(out[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status) TH_LOG("inside: status %#x", status);
	self->n = parse_rows(_metadata, buf, self->rows, MAX_ROWS);
	free(buf);
	parent_end(&joiner);
	parent_end(&init);
	ASSERT_LE(0, self->n);
	check_common(_metadata, self->rows, self->n);
	/* The namespace's only zombie, PID 2 in it (its init is 1). */
	for (i = 0; i < self->n; i++) {
		const struct zrow *r = &self->rows[i];

		found++;
		EXPECT_EQ(0, r->ppid);
		EXPECT_STREQ("", r->parent);
		EXPECT_FALSE(r->has_zombies);
		EXPECT_EQ(2, r->rule) TH_LOG("%s", r->verdict);
		EXPECT_NE(NULL, strstr(r->verdict, "its parent is out of your view"))
			TH_LOG("%s", r->verdict);
	}
	EXPECT_EQ(1, found);
}

/* No zombie: an empty table (JSON: an empty array), exit status 0. */

TEST_F_TIMEOUT(z, none_is_empty, 120)
{
	struct cmd_result r, ps;
	char opt[64];

	ASSERT_EQ(0, parent_start(&self->pa, "znone", nothing_setup,
				  CLONE_NEWPID));
	snprintf(opt, sizeof(opt), "--ns %d", self->pa.pid);
	self->n = zombies(_metadata, opt, self->rows, MAX_ROWS);
	EXPECT_EQ(0, self->n);
	/* As ps prints a table with no line: libsmartcols prints nothing. */
	nst_cmd(&r, "nstree zombies -N %d", self->pa.pid);
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	nst_cmd(&ps, "nstree ps -u 4242424");
	EXPECT_EQ(0, ps.status) TH_LOG("%s", ps.err);
	EXPECT_STREQ(ps.out, r.out);
	EXPECT_STREQ("", r.err);
	nst_cmd_free(&ps);
	nst_cmd_free(&r);
	nst_cmd(&r, "nstree zombies -n -N %d", self->pa.pid);
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("", r.out);
	nst_cmd_free(&r);
}

/* h) Misuse: one line naming it (then the "Try" line) and status 1. */
TEST(usage)
{
	static const struct {
		const char *args, *says;
	} cases[] = {
		{ "--no-such-option", "unrecognized option '--no-such-option'" },
		{ "-o PID,NOPE", "unknown column: NOPE" },
		{ "--ns not-a-namespace", "invalid namespace: 'not-a-namespace'" },
		{ "extra", "unexpected argument: 'extra'" },
		{ "-J -r", "mutually exclusive" },
	};
	struct cmd_result r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *nl;

		nst_cmd(&r, "nstree zombies %s", cases[i].args);
		EXPECT_EQ(1, r.status) TH_LOG("%s", cases[i].args);
		EXPECT_STREQ("", r.out) TH_LOG("%s", cases[i].args);
		nl = strchr(r.err, '\n');
		ASSERT_NE(NULL, nl) TH_LOG("%s: %s", cases[i].args, r.err);
		EXPECT_TRUE(memmem(r.err, nl - r.err, cases[i].says,
				   strlen(cases[i].says)) != NULL)
			TH_LOG("%s: %s", cases[i].args, r.err);
		EXPECT_STREQ("Try 'nstree zombies --help' for more information.\n",
			     nl + 1) TH_LOG("%s: %s", cases[i].args, r.err);
		nst_cmd_free(&r);
	}
}

TEST_HARNESS_MAIN
