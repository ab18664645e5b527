// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream against hostile and unprivileged users (issue 9, the
 * review's items 1, 3, 7, 8, 11, 12 and 16): a ptracer releasing the last
 * thread of a process whose leader already exited, a container taking
 * every subscription, a subscriber that never reads, a reused port id, a
 * reused namespace inode, tracepoint probes only while someone listens, a
 * 30,000-deep process chain and thousands of namespaces.
 *
 * Every wait is bounded; processes hand over through pipes, and the event
 * stream itself says when an event was delivered.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <grp.h>
#include <limits.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/membarrier.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "kselftest_harness.h"
#include "lib.h"

#define NOBODY 65534
#define EV_TIMEOUT_MS 60000

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* ---- Small helpers ---- */

/* A field of /proc/meminfo, in kB; -1 when absent. */
static long meminfo_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtol(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Unreclaimable slab, after asking every cache to give back its empty
 * slabs, so that what is counted is what is in use.
 */
static long sunreclaim_kb(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *e;
	char path[512];
	int fd;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 e->d_name);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			/* Some caches refuse: nothing to shrink there. */
			if (write(fd, "1", 1) < 0)
				errno = 0;
			close(fd);
		}
	}
	if (d)
		closedir(d);
	return meminfo_kb("SUnreclaim");
}

/* An integer module parameter; -1 when the module has no such one. */
static long module_param(const char *name)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/nstree/parameters/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The long scenarios' sizes: @full, or on the debug line (NSTREE_SCALE=
 * small, where a fork and an exec take 20 times as long) @small; the
 * guest's note says which.
 */
static int sized(int full, int small)
{
	return nst_scale_small() ? small : full;
}

/* The sysctls a deep chain or thousands of namespaces need raised. */
static const char *const limit_files[] = {
	"/proc/sys/kernel/pid_max",
	"/proc/sys/kernel/threads-max",
	"/proc/sys/user/max_pid_namespaces",
	"/proc/sys/user/max_user_namespaces",
};
static const char *const limit_values[] = {
	"4194304", "400000", "100000", "100000",
};
#define NR_LIMITS (sizeof(limit_files) / sizeof(limit_files[0]))

/*
 * Raise them, keeping the old values in @saved for restore_limits(): a
 * test leaves the guest as it found it (a wider pid_max, for one, widens
 * ps's PID columns in every later test). Root only.
 */
static void raise_limits(char saved[][32])
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	unsigned int i;
	ssize_t n;
	int fd;

	setrlimit(RLIMIT_NPROC, &rl);
	for (i = 0; i < NR_LIMITS; i++) {
		saved[i][0] = '\0';
		fd = open(limit_files[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, saved[i], 31);
		close(fd);
		saved[i][n > 0 ? n : 0] = '\0';
		nst_write_file(limit_files[i], limit_values[i]);
	}
}

static void restore_limits(char saved[][32])
{
	unsigned int i;

	for (i = 0; i < NR_LIMITS; i++)
		if (saved[i][0])
			nst_write_file(limit_files[i], saved[i]);
}

/*
 * Become uid/gid 65534 in the initial user namespace, then root of a
 * new user namespace mapping only that uid. Returns 0 or -1.
 */
static int become_nobody_root(void)
{
	char map[64];

	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	/* /proc/self/ must be ours to write the maps. */
	prctl(PR_SET_DUMPABLE, 1);
	if (unshare(CLONE_NEWUSER))
		return -1;
	snprintf(map, sizeof(map), "0 %d 1", NOBODY);
	if (nst_write_file("/proc/self/setgroups", "deny") ||
	    nst_write_file("/proc/self/uid_map", map) ||
	    nst_write_file("/proc/self/gid_map", map))
		return -1;
	return 0;
}

/*
 * Start an unprivileged container: a process K (the returned PID) that
 * becomes uid 65534, makes a user namespace and a PID namespace, and runs
 * @fn(@arg) as the new namespace's init. *@init gets the init's PID as
 * the caller sees it (-1 when the set-up failed). K ends with the init's
 * exit status; 90-93 when the set-up failed.
 */
static pid_t nobody_container(int (*fn)(void *), void *arg, pid_t *init)
{
	int p[2], status;
	pid_t k, i = -1;

	if (pipe(p))
		return -1;
	k = fork();
	if (k < 0)
		return -1;
	if (k == 0) {
		close(p[0]);
		if (become_nobody_root() || unshare(CLONE_NEWPID)) {
			nst_write_full(p[1], &i, sizeof(i));
			_exit(90);
		}
		i = fork();
		if (i == 0) {
			close(p[1]);
			_exit(fn(arg));
		}
		nst_write_full(p[1], &i, sizeof(i));
		close(p[1]);
		if (i < 0)
			_exit(91);
		while (waitpid(i, &status, 0) < 0)
			if (errno != EINTR)
				_exit(92);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 93);
	}
	close(p[1]);
	if (nst_read_full(p[0], &i, sizeof(i)))
		i = -1;
	close(p[0]);
	*init = i;
	return k;
}

/* Tests that need the limits raised, and more time. */
FIXTURE(big) {
	char saved[NR_LIMITS][32];
};

FIXTURE_SETUP(big)
{
	raise_limits(self->saved);
}

FIXTURE_TEARDOWN(big)
{
	restore_limits(self->saved);
}

/* ---- Reading events without keeping them ---- */

/* Counts what a subscriber received; @fn sees each event. */
struct evcount {
	uint64_t n, lost, next_seq;
	int gap_error;
	int (*fn)(const struct nst_event *ev, void *arg);
	void *arg;
};

static int evcount_cb(const struct nst_event *ev, void *arg)
{
	struct evcount *c = arg;

	if (ev->type == NSTREE_EV_LOST) {
		if (c->next_seq && ev->seq + 1 - c->next_seq != ev->lost)
			c->gap_error = 1;
		c->lost += ev->lost;
	} else {
		if (c->next_seq && ev->seq != c->next_seq)
			c->gap_error = 1;
		c->n++;
	}
	c->next_seq = ev->seq + 1;
	return c->fn ? c->fn(ev, c->arg) : 0;
}

/* Read @c until @done(@darg) or @timeout_ms; 0, -ETIMEDOUT or -errno. */
static int evcount_wait(struct nst_conn *c, struct evcount *cnt,
			int (*done)(void *darg), void *darg, int timeout_ms)
{
	struct pollfd pfd = { .fd = nst_event_fd(c), .events = POLLIN };
	long end = now_ms() + timeout_ms;
	int err;

	for (;;) {
		err = nst_event_read(c, evcount_cb, cnt);
		if (err < 0)
			return err;
		if (done && done(darg))
			return 0;
		if (now_ms() >= end)
			return done ? -ETIMEDOUT : 0;
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			return -errno;
	}
}

/* Events of @type about @pid, and their first index (-1 when none). */
static int count_about(const struct nst_evlog *log, uint32_t type, pid_t pid,
		       int *first)
{
	size_t i;
	int n = 0;

	*first = -1;
	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == type && log->ev[i].proc.pid == (uint32_t)pid) {
			if (*first < 0)
				*first = i;
			n++;
		}
	return n;
}

/*
 * Wait for RCU grace periods (MEMBARRIER_CMD_GLOBAL is synchronize_rcu()),
 * so that what the kernel freed after one is really freed: task and
 * signal structures go through RCU.
 */
static void rcu_grace_periods(int n)
{
	while (n--)
		syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
}

/* Fork and reap @n children; the PID of the last. */
static pid_t fork_reap(int n)
{
	pid_t p = -1;

	while (n--) {
		p = fork();
		if (p == 0)
			_exit(0);
		if (p < 0 || waitpid(p, NULL, 0) != p)
			return -1;
	}
	return p;
}

/*
 * ---- Item 1 / item 7: a ptracer and a leader that exited first ----
 *
 * P (SIGCHLD ignored, or not) forks C; C starts a thread T and its main
 * thread exits alone (syscall(SYS_exit)), leaving a zombie leader that
 * waits for T. A second child of P, X, PTRACE_SEIZEs either T (and reaps
 * it with waitpid(__WALL) when it exits: the kernel then releases C's
 * leader from X's context) or C's leader itself (a ptraced leader is
 * reported to its tracer when it exits, before its threads). Then P exits,
 * and a few processes are forked and reaped, which reuse the freed
 * task_struct and signal_struct.
 */

FIXTURE(ptrace) {
	struct nst_conn c;
	struct nst_evlog log;
	char seq[1024];
};

FIXTURE_VARIANT(ptrace) {
	int ignore_sigchld;	/* P ignores SIGCHLD: C is autoreaped */
	int trace_leader;	/* X traces C's leader, not T */
};

/* The same with a waiting parent: C's ZOMBIE must still come. */
FIXTURE_VARIANT_ADD(ptrace, thread_reaped_by_tracer_zombie) {
	.ignore_sigchld = 0,
	.trace_leader = 0,
};

/* strace -f: a traced leader exits before its thread. One ZOMBIE, late. */
FIXTURE_VARIANT_ADD(ptrace, traced_leader_exits_first) {
	.ignore_sigchld = 0,
	.trace_leader = 1,
};

/*
 * The review's use-after-free: X releases T, C is autoreaped. Last, as
 * today it takes the kernel down under slub_debug.
 */
FIXTURE_VARIANT_ADD(ptrace, thread_reaped_by_tracer_autoreap) {
	.ignore_sigchld = 1,
	.trace_leader = 0,
};

FIXTURE_SETUP(ptrace)
{
	struct nst_sub_opts o = { .subtree = getpid(), .queue_len = 4096 };
	int err;

	memset(&self->log, 0, sizeof(self->log));
	err = nst_ev_subscribe(&self->c, &o);
	ASSERT_EQ(0, err) TH_LOG("subscribe: %s (%s)", strerror(-err),
				 self->c.extack);
}

FIXTURE_TEARDOWN(ptrace)
{
	nst_close(&self->c);
	nst_evlog_free(&self->log);
}

struct pt_fds {
	int ids[2];	/* T -> X: { C, T's tid } */
	int go_t[2];	/* -> T: exit now */
	int rep[2];	/* X -> test: { C, tid, seize result, reaped } */
	int go_x[2];	/* -> X: leave (trace_leader) */
	int go_c[2];	/* X -> C's leader: traced, you may exit */
};

static struct pt_fds ptf;

static void *pt_thread(void *arg)
{
	pid_t ids[2] = { getpid(), gettid() };

	(void)arg;
	if (nst_write_full(ptf.ids[1], ids, sizeof(ids)))
		syscall(SYS_exit_group, 98);
	nst_wait_byte(ptf.go_t[0]);
	syscall(SYS_exit, 0);
	return NULL;
}

static int pt_parent(int ignore, int trace_leader)
{
	pthread_t t;
	pid_t c, x;

	if (ignore)
		signal(SIGCHLD, SIG_IGN);
	c = fork();
	if (c == 0) {
		if (pthread_create(&t, NULL, pt_thread, NULL))
			_exit(97);
		/* The leader goes once X holds its target; T lives on. */
		nst_wait_byte(ptf.go_c[0]);
		syscall(SYS_exit, 0);
	}
	x = fork();
	if (x == 0) {
		int rep[4] = { 0 };
		pid_t ids[2];

		if (nst_read_full(ptf.ids[0], ids, sizeof(ids)))
			_exit(96);
		rep[0] = ids[0];
		rep[1] = ids[1];
		rep[2] = ptrace(PTRACE_SEIZE, trace_leader ? ids[0] : ids[1],
				0, 0) ? -errno : 0;
		if (nst_write_full(ptf.rep[1], rep, 3 * sizeof(int)))
			_exit(95);
		nst_send_byte(ptf.go_c[1]);
		if (trace_leader) {
			/* Stay the tracer until told; then detach by exiting. */
			nst_wait_byte(ptf.go_x[0]);
			_exit(0);
		}
		rep[3] = waitpid(ids[1], NULL, __WALL);
		nst_write_full(ptf.rep[1], &rep[3], sizeof(int));
		_exit(0);
	}
	/* With SIGCHLD ignored this returns at ECHILD, once both are gone. */
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
	/* C's leader is freed by now; its stale entry is found at our exit. */
	rcu_grace_periods(3);
	return 0;
}

/* done(): the EXIT of @arg's main thread alone (the group lives on). */
static int leader_exited(const struct nst_evlog *log, void *arg)
{
	pid_t c = *(pid_t *)arg;
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_EXIT &&
		    log->ev[i].proc.pid == (uint32_t)c && !log->ev[i].group_dead)
			return 1;
	return 0;
}

static int group_exited(const struct nst_evlog *log, void *arg)
{
	pid_t c = *(pid_t *)arg;
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_EXIT &&
		    log->ev[i].proc.pid == (uint32_t)c && log->ev[i].group_dead)
			return 1;
	return 0;
}

TEST_F_TIMEOUT(ptrace, last_thread, 120)
{
	int rep[3], reaped = -1, n_zombie, n_autoreap, n_reap, n_exit;
	int i_zombie, i_autoreap, i_reap, i_exit, i_gd = -1, i_note;
	pid_t p, c, tid, last;
	size_t i;

	ASSERT_EQ(0, pipe(ptf.ids));
	ASSERT_EQ(0, pipe(ptf.go_t));
	ASSERT_EQ(0, pipe(ptf.rep));
	ASSERT_EQ(0, pipe(ptf.go_x));
	ASSERT_EQ(0, pipe(ptf.go_c));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0)
		_exit(pt_parent(variant->ignore_sigchld, variant->trace_leader));

	ASSERT_EQ(0, nst_read_full(ptf.rep[0], rep, sizeof(rep)));
	c = rep[0];
	tid = rep[1];
	ASSERT_EQ(0, rep[2]) TH_LOG("PTRACE_SEIZE: %s", strerror(-rep[2]));
	/* C's leader has exited alone: the stream says so. */
	ASSERT_EQ(0, nst_ev_wait(&self->c, &self->log, leader_exited, &c,
				 EV_TIMEOUT_MS));
	nst_send_byte(ptf.go_t[1]);
	if (variant->trace_leader) {
		ASSERT_EQ(0, nst_ev_wait(&self->c, &self->log, group_exited, &c,
					 EV_TIMEOUT_MS));
		nst_send_byte(ptf.go_x[1]);
	} else {
		ASSERT_EQ(0, nst_read_full(ptf.rep[0], &reaped,
					   sizeof(reaped)));
		EXPECT_EQ(tid, reaped) TH_LOG("the tracer did not reap T");
	}
	ASSERT_EQ(p, waitpid(p, NULL, 0));
	/* Reuse what C left behind, and let the stream catch up. */
	rcu_grace_periods(3);
	last = fork_reap(64);
	ASSERT_LT(0, last);
	ASSERT_EQ(0, nst_ev_wait_for(&self->c, &self->log, NSTREE_EV_REAP, last,
				     EV_TIMEOUT_MS));

	n_exit = count_about(&self->log, NSTREE_EV_EXIT, c, &i_exit);
	n_zombie = count_about(&self->log, NSTREE_EV_ZOMBIE, c, &i_zombie);
	n_autoreap = count_about(&self->log, NSTREE_EV_AUTOREAP, c, &i_autoreap);
	n_reap = count_about(&self->log, NSTREE_EV_REAP, c, &i_reap);
	for (i = 0; i < self->log.n; i++)
		if (self->log.ev[i].type == NSTREE_EV_EXIT &&
		    self->log.ev[i].proc.pid == (uint32_t)c &&
		    self->log.ev[i].group_dead)
			i_gd = i;
	TH_LOG("C=%d T=%d: %s", c, tid,
	       nst_ev_seq(&self->log, c, self->seq, sizeof(self->seq)));
	EXPECT_EQ(2, n_exit) TH_LOG("one EXIT per thread");
	EXPECT_LE(0, i_gd) TH_LOG("no EXIT with GROUP_DEAD");
	if (variant->ignore_sigchld) {
		EXPECT_EQ(1, n_autoreap) TH_LOG("AUTOREAP of C");
		EXPECT_EQ(0, n_zombie);
		i_note = i_autoreap;
	} else {
		EXPECT_EQ(1, n_zombie) TH_LOG("ZOMBIE of C");
		EXPECT_EQ(0, n_autoreap);
		i_note = i_zombie;
	}
	/* Dead only once its last thread is: after the GROUP_DEAD exit. */
	EXPECT_LT(i_gd, i_note) TH_LOG("ZOMBIE/AUTOREAP before the last thread's EXIT");
	EXPECT_EQ(1, n_reap) TH_LOG("REAP of C");
	/* P stays C's parent throughout: a tracer is not a parent. */
	EXPECT_EQ(0, nst_ev_count(&self->log, NSTREE_EV_REPARENT, c));
	EXPECT_LT(i_note, i_reap);
	EXPECT_EQ(1, nst_ev_count(&self->log, NSTREE_EV_REAP, p));
	EXPECT_EQ(0, self->log.lost);
	EXPECT_EQ(0, self->log.gap_error);
}

/* ---- Item 3: subscriptions are bounded per user, not globally ---- */

#define EXHAUST_TRY 70

struct exhaust_report {
	int opened;
	int err;		/* of the first refused SUBSCRIBE, 0: none */
	char extack[256];
};

struct exhaust_arg {
	int rep, go;		/* pipe ends: report, and "leave now" */
	int rep_r, go_w;	/* the test's ends, closed in the container */
	int tries;
};

static int exhaust_fn(void *p)
{
	struct exhaust_arg *a = p;
	static struct nst_conn c[EXHAUST_TRY];
	struct exhaust_report r;
	struct nst_sub_opts o = { .queue_len = 16 };
	int i, err;

	close(a->rep_r);
	close(a->go_w);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < a->tries; i++) {
		err = nst_open(&c[i]);
		if (!err)
			err = nst_subscribe(&c[i], &o, NULL);
		if (err) {
			r.err = err;
			snprintf(r.extack, sizeof(r.extack), "%s", c[i].extack);
			break;
		}
		r.opened++;
	}
	if (nst_write_full(a->rep, &r, sizeof(r)))
		return 1;
	nst_wait_byte(a->go);
	return 0;
}

TEST_F_TIMEOUT(big, exhaust_subscribers, 300)
{
	long max = module_param("max_user_subs");
	struct exhaust_arg a1, a2;
	struct exhaust_report r1, r2;
	int rep[2], go[2], i, extra, err, status;
	struct nst_conn root[16];
	pid_t k1, k2, i1, i2;

	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(go));
	TH_LOG("max_user_subs: %ld%s", max,
	       max < 0 ? " (no such parameter: today's module)" : "");

	/* A container of uid 65534 opens as many as it can, up to 70. */
	a1 = (struct exhaust_arg){ .rep = rep[1], .go = go[0],
				   .rep_r = rep[0], .go_w = go[1],
				   .tries = EXHAUST_TRY };
	k1 = nobody_container(exhaust_fn, &a1, &i1);
	ASSERT_LT(0, k1);
	ASSERT_LT(0, i1);
	ASSERT_EQ(0, nst_read_full(rep[0], &r1, sizeof(r1)));
	TH_LOG("container 1: %d subscriptions, then %s (%s)", r1.opened,
	       r1.err ? strerror(-r1.err) : "none refused", r1.extack);
	if (max >= 0) {
		EXPECT_EQ(max, r1.opened);
		EXPECT_EQ(-ENOSPC, r1.err);
		EXPECT_NE(0, r1.extack[0]) TH_LOG("ENOSPC without a message");
		/* A second container of the same user is charged alike. */
		a2 = (struct exhaust_arg){ .rep = rep[1], .go = go[0],
					   .rep_r = rep[0], .go_w = go[1],
					   .tries = 1 };
		k2 = nobody_container(exhaust_fn, &a2, &i2);
		ASSERT_LT(0, k2);
		ASSERT_EQ(0, nst_read_full(rep[0], &r2, sizeof(r2)));
		EXPECT_EQ(0, r2.opened);
		EXPECT_EQ(-ENOSPC, r2.err);
	} else {
		k2 = -1;
	}

	/* Root in the initial user namespace can always subscribe. */
	extra = (max > 8 ? max : 8) + 2;
	if (extra > 16)
		extra = 16;
	for (i = 0; i < extra; i++) {
		err = nst_ev_subscribe(&root[i], NULL);
		EXPECT_EQ(0, err) TH_LOG("root's subscription %d: %s (%s)", i + 1,
					 strerror(-err), root[i].extack);
		if (err)
			break;
	}
	while (i--)
		nst_close(&root[i]);

	/* The containers may go: a byte each. */
	nst_send_byte(go[1]);
	if (k2 > 0)
		nst_send_byte(go[1]);
	ASSERT_EQ(k1, waitpid(k1, &status, 0));
	EXPECT_EQ(0, status);
	if (k2 > 0)
		ASSERT_EQ(k2, waitpid(k2, NULL, 0));
}

/* ---- Item 3 (memory) and item 8: a subscriber that never reads ---- */

#define LONG_DIRS 16
#define LONG_DIR_LEN 247
/*
 * 6,000 execs of exec_loop (about 4.6 ms each in an emulated 6.12 guest;
 * 20,000 took 91 s): enough to show what unread events cost. Kernel
 * memory may grow by GROWTH_MAX_KB while a subscriber does not read: its
 * queue is allocated when it subscribes, so nothing should grow with the
 * events it leaves unread (20,000 unread events grew it by 468 kB). 8 MiB
 * is for the rest: its socket's receive buffer (at most rmem_default, 208
 * KiB here, of skbs), per-CPU slab caches, and the exec loop's own
 * transient objects. A module that kept each unread EXEC event as a slab
 * event and a copy of its ~4,000-byte filename (as this one did before
 * the review) would pin about 27 MiB for 6,000 of them. The debug
 * line's 600 (EXEC_LOOPS_SMALL) would pin less than the bound: there the
 * test checks the counts and sequence numbers, not the memory.
 */
#define EXEC_LOOPS 6000
#define EXEC_LOOPS_SMALL 600
#define GROWTH_MAX_KB (8 * 1024)

struct exec_arg {
	int rep, go;
	int rep_r, go_w;	/* the test's ends, closed in the container */
	const char *path;
	int loops;
};

struct exec_report {
	int sub_err;
	char extack[256];
	int loop_status;
	uint64_t got, lost, last_seq;
	int gap_error, read_err;
};

static int exec_count_cb(const struct nst_event *ev, void *arg)
{
	uint64_t *last = arg;

	*last = ev->seq;
	return 0;
}

static int seq_at_least(void *arg)
{
	uint64_t *v = arg;

	return v[0] >= v[1];
}

/* The container: a subscriber that reads nothing, and an exec loop. */
static int exec_fn(void *p)
{
	struct exec_arg *a = p;
	struct nst_sub_opts o = {
		.events = 1 << NSTREE_EV_EXEC, .queue_len = 65536,
	};
	struct exec_report r;
	struct evcount cnt = { 0 };
	uint64_t last[2];
	struct nst_conn c;
	char n[16];
	pid_t l;

	close(a->rep_r);
	close(a->go_w);
	memset(&r, 0, sizeof(r));
	r.sub_err = nst_open(&c);
	if (!r.sub_err)
		r.sub_err = nst_subscribe(&c, &o, NULL);
	snprintf(r.extack, sizeof(r.extack), "%s", c.extack);
	if (nst_write_full(a->rep, &r, sizeof(r)) || r.sub_err)
		return 1;
	nst_wait_byte(a->go);
	l = fork();
	if (l == 0) {
		/* exec_loop, named by the long path: N + 1 EXEC events. */
		char *argv[] = { (char *)a->path, n, NULL };

		snprintf(n, sizeof(n), "%d", a->loops);
		execve(a->path, argv, NULL);
		_exit(127);
	}
	waitpid(l, &r.loop_status, 0);
	if (nst_write_full(a->rep, &r, sizeof(r)))
		return 1;
	/* Told to: read what was kept, and LOST for the rest. */
	nst_wait_byte(a->go);
	cnt.fn = exec_count_cb;
	cnt.arg = &last[0];
	last[0] = 0;
	last[1] = a->loops + 1;
	r.read_err = evcount_wait(&c, &cnt, seq_at_least, last, 300000);
	r.got = cnt.n;
	r.lost = cnt.lost;
	r.gap_error = cnt.gap_error;
	r.last_seq = last[0];
	nst_write_full(a->rep, &r, sizeof(r));
	nst_close(&c);
	return 0;
}

struct root_exec {
	const char *path;
	uint64_t want;
	uint64_t execs;		/* EXEC events with our long filename */
	uint64_t other_execs;
};

static int root_exec_cb(const struct nst_event *ev, void *arg)
{
	struct root_exec *re = arg;

	if (ev->type != NSTREE_EV_EXEC)
		return 0;
	if (!strcmp(ev->filename, re->path))
		re->execs++;
	else
		re->other_execs++;
	return 0;
}

static int execs_reached(void *arg)
{
	struct root_exec *re = arg;

	return re->execs >= re->want;
}

/*
 * Make a ~4,000-byte path to exec_loop (beside this test), ending in
 * "/exec_loop"; its length.
 */
static int make_long_path(char *path, size_t size)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 32);
	size_t len = snprintf(path, size, "/tmp/nstree-hostile");
	int i;

	if (n < 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	strcpy(slash ? slash + 1 : self, "exec_loop");
	if (access(self, X_OK))
		return -1;
	mkdir(path, 0755);
	for (i = 0; i < LONG_DIRS; i++) {
		path[len++] = '/';
		memset(path + len, 'a' + i, LONG_DIR_LEN);
		len += LONG_DIR_LEN;
		path[len] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
	}
	len += snprintf(path + len, size - len, "/exec_loop");
	unlink(path);
	if (symlink(self, path))
		return -1;
	return len;
}

TEST_F_TIMEOUT(big, never_reading_subscriber, 960)
{
	static char path[4096];
	struct nst_sub_opts o = { .queue_len = 65536 };
	struct root_exec re = { .path = path };
	struct evcount cnt = { .fn = root_exec_cb, .arg = &re };
	struct exec_report r;
	struct exec_arg a;
	struct cmd_result cr;
	struct nst_conn root;
	int rep[2], go[2], len, err;
	long m0, m1, m2, t0;
	int loops = sized(EXEC_LOOPS, EXEC_LOOPS_SMALL);
	pid_t k, init;

	len = make_long_path(path, sizeof(path));
	ASSERT_LT(3900, len) TH_LOG("long path: %s", strerror(errno));
	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(go));
	/* Root watches everything, and reads. */
	err = nst_ev_subscribe(&root, &o);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), root.extack);

	m0 = sunreclaim_kb();
	a = (struct exec_arg){ .rep = rep[1], .go = go[0], .rep_r = rep[0],
			       .go_w = go[1], .path = path,
			       .loops = loops };
	k = nobody_container(exec_fn, &a, &init);
	ASSERT_LT(0, k);
	ASSERT_LT(0, init);
	ASSERT_EQ(0, nst_read_full(rep[0], &r, sizeof(r)));
	ASSERT_EQ(0, r.sub_err) TH_LOG("container's SUBSCRIBE: %s (%s)",
				       strerror(-r.sub_err), r.extack);
	m1 = sunreclaim_kb();
	nst_send_byte(go[1]);

	t0 = now_ms();
	re.want = loops + 1;
	err = evcount_wait(&root, &cnt, execs_reached, &re, 900000);
	EXPECT_EQ(0, err) TH_LOG("root saw %llu of %d EXECs",
				 (unsigned long long)re.execs, loops + 1);
	ASSERT_EQ(0, nst_read_full(rep[0], &r, sizeof(r)));
	EXPECT_EQ(0, r.loop_status);
	TH_LOG("%d execs of a %d-byte path in %ld ms", loops + 1, len,
	       now_ms() - t0);
	/* The unread events are still queued: measure now. */
	m2 = sunreclaim_kb();
	TH_LOG("SUnreclaim: %ld kB before, %+ld kB at SUBSCRIBE, %+ld kB with %d events unread (bound %d kB)",
	       m0, m1 - m0, m2 - m1, loops + 1, GROWTH_MAX_KB);
	EXPECT_GE(GROWTH_MAX_KB, m2 - m1)
		TH_LOG("kernel memory grew with events nobody reads");

	/* The non-reader: every event kept or counted as LOST. */
	nst_send_byte(go[1]);
	ASSERT_EQ(0, nst_read_full(rep[0], &r, sizeof(r)));
	TH_LOG("the non-reader got %llu, lost %llu, up to seq %llu",
	       (unsigned long long)r.got, (unsigned long long)r.lost,
	       (unsigned long long)r.last_seq);
	EXPECT_EQ(0, r.read_err);
	EXPECT_EQ(0, r.gap_error);
	EXPECT_EQ((uint64_t)loops + 1, r.got + r.lost);
	ASSERT_EQ(k, waitpid(k, NULL, 0));

	/* Root lost nothing and saw everything; the host's ps works. */
	evcount_wait(&root, &cnt, NULL, NULL, 0);
	EXPECT_EQ(0, cnt.lost);
	EXPECT_EQ(0, cnt.gap_error);
	EXPECT_EQ((uint64_t)loops + 1, re.execs);
	EXPECT_EQ(0, nst_cmd(&cr, "nstree ps -p 1"));
	EXPECT_NE(NULL, strstr(cr.out, "init")) TH_LOG("%s%s", cr.out, cr.err);
	nst_cmd_free(&cr);
	nst_close(&root);
}

/* ---- Item 11: a closed subscriber's port id, bound again ---- */

#define PORT_CLOSERS 40
#define PORT_ROUNDS 5

static atomic_int port_a_closed;
static pthread_barrier_t port_barrier;

static void *close_conn(void *arg)
{
	pthread_barrier_wait(&port_barrier);
	nst_close(arg);
	return NULL;
}

static void *close_a(void *arg)
{
	nst_close(arg);
	atomic_store(&port_a_closed, 1);
	return NULL;
}

/* nst_open(), bound to port id @port. */
static int open_at_port(struct nst_conn *c, uint32_t port)
{
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	nl_socket_set_local_port(c->sk, port);
	if (genl_connect(c->sk) < 0)
		goto err;
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	c->family = genl_ctrl_resolve(c->sk, NSTREE_FAMILY_NAME);
	if (c->family < 0)
		goto err;
	return 0;
err:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return -EIO;
}

/* EVENT messages of family @family waiting on raw socket @fd. */
static int count_event_msgs(int fd, int family)
{
	char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int n = 0;
	ssize_t len;

	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			g = NLMSG_DATA(nlh);
			if (nlh->nlmsg_type == family &&
			    nlh->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN) &&
			    g->cmd == NSTREE_CMD_EVENT)
				n++;
		}
	return n;
}

TEST_F_TIMEOUT(big, portid_reuse, 300)
{
	struct nst_sub_opts co = { .subtree = getpid(), .queue_len = 4096 };
	struct nst_conn a, c, d[PORT_CLOSERS];
	pthread_t th[PORT_CLOSERS], ta;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nst_evlog log = { 0 };
	int round, i, b, got, hits = 0, leaked = 0, err;
	uint32_t port;
	long end;
	pid_t last;

	err = nst_ev_subscribe(&c, &co);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), c.extack);
	for (round = 0; round < PORT_ROUNDS; round++) {
		port = 0x4e000000u | (getpid() << 4) | round;
		ASSERT_EQ(0, open_at_port(&a, port));
		err = nst_subscribe(&a, NULL, NULL);
		ASSERT_EQ(0, err) TH_LOG("A: %s (%s)", strerror(-err), a.extack);
		/* Others closing at the same time: removals queue up. */
		for (i = 0; i < PORT_CLOSERS; i++) {
			err = nst_ev_subscribe(&d[i], NULL);
			ASSERT_EQ(0, err) TH_LOG("D%d: %s (%s)", i, strerror(-err),
						 d[i].extack);
		}
		ASSERT_EQ(0, pthread_barrier_init(&port_barrier, NULL,
						  PORT_CLOSERS + 1));
		for (i = 0; i < PORT_CLOSERS; i++)
			ASSERT_EQ(0, pthread_create(&th[i], NULL, close_conn,
						    &d[i]));
		pthread_barrier_wait(&port_barrier);
		atomic_store(&port_a_closed, 0);
		ASSERT_EQ(0, pthread_create(&ta, NULL, close_a, &a));

		/* B takes A's port id as soon as it is free. */
		b = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		ASSERT_LE(0, b);
		sa.nl_pid = port;
		end = now_ms() + 10000;
		while (bind(b, (struct sockaddr *)&sa, sizeof(sa)) &&
		       now_ms() < end)
			sched_yield();
		ASSERT_GT(end, now_ms()) TH_LOG("port %u never freed", port);
		if (!atomic_load(&port_a_closed))
			hits++;		/* A's close had not returned yet */
		/* A burst, seen to its end by C. */
		last = fork_reap(20);
		ASSERT_LT(0, last);
		ASSERT_EQ(0, nst_ev_wait_for(&c, &log, NSTREE_EV_REAP, last,
					     EV_TIMEOUT_MS));
		pthread_join(ta, NULL);
		for (i = 0; i < PORT_CLOSERS; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&port_barrier);
		got = count_event_msgs(b, c.family);
		if (got)
			leaked++;
		EXPECT_EQ(0, got) TH_LOG("round %d: B got %d of A's events",
					 round, got);
		close(b);
		nst_evlog_free(&log);
	}
	TH_LOG("%d of %d rounds bound A's port while A's close was pending; %d leaked",
	       hits, PORT_ROUNDS, leaked);
	nst_close(&c);
}

/* ---- Item 12: the namespace filter and a recycled inode number ---- */

#define NSREUSE_TRIES 200

static int ns_destroyed(const struct nst_evlog *log, void *arg)
{
	unsigned int inum = *(unsigned int *)arg;
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_NS_DESTROYED &&
		    log->ev[i].ns_inum == inum)
			return 1;
	return 0;
}

static int reaped_by(const struct nst_evlog *log, void *arg)
{
	pid_t r = *(pid_t *)arg;
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_REAP &&
		    log->ev[i].reaper.pid == (uint32_t)r)
			return 1;
	return 0;
}

/* An init that, each time it is told, forks a child and reaps it. */
static int ns_init_fn(int go)
{
	pid_t c;

	while (!nst_wait_byte(go)) {
		c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	return 0;
}

/*
 * New PID namespaces, each with an init waiting on @go[0], until one gets
 * inode @inum: that init's PID, or -1 after NSREUSE_TRIES namespaces (the
 * others killed and reaped), -2 if clone3() fails; @tries says how many.
 */
static pid_t ns_with_inum(unsigned int inum, int go[2], int *tries)
{
	pid_t y;

	for (*tries = 0; *tries < NSREUSE_TRIES; ++*tries) {
		y = nst_clone3(CLONE_NEWPID);
		if (y < 0)
			return -2;
		if (y == 0) {
			close(go[1]);
			_exit(ns_init_fn(go[0]));
		}
		if (nst_pidns_of(y) == inum)
			return y;
		kill(y, SIGKILL);
		waitpid(y, NULL, 0);
	}
	return -1;
}

TEST_F_TIMEOUT(big, ns_filter_inode_reuse, 300)
{
	struct nst_sub_opts wo = { .queue_len = 65536 };
	struct nst_sub_opts fo = { .queue_len = 4096 };
	struct nst_evlog wlog = { 0 }, flog = { 0 };
	struct nst_conn w, f;
	unsigned int x_inum;
	int go[2], tries, err, leaked = 0;
	pid_t x, y = -1;
	size_t i;

	err = nst_ev_subscribe(&w, &wo);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), w.extack);
	ASSERT_EQ(0, pipe(go));
	x = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, x);
	if (x == 0) {
		close(go[1]);
		_exit(ns_init_fn(go[0]));
	}
	x_inum = nst_pidns_of(x);
	ASSERT_NE(0, x_inum);
	fo.ns_inum = x_inum;
	err = nst_ev_subscribe(&f, &fo);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), f.extack);
	/* The filter works while X lives. */
	nst_send_byte(go[1]);
	ASSERT_EQ(0, nst_ev_wait(&w, &wlog, reaped_by, &x, EV_TIMEOUT_MS));
	ASSERT_EQ(0, nst_ev_wait(&f, &flog, reaped_by, &x, EV_TIMEOUT_MS));

	/*
	 * The filter holds X itself (nstree.rst, "Security model"): with
	 * its processes gone, X stays, and its inode number cannot go to
	 * a new namespace, which the IDA would otherwise hand out first.
	 */
	kill(x, SIGKILL);
	ASSERT_EQ(x, waitpid(x, NULL, 0));
	y = ns_with_inum(x_inum, go, &tries);
	ASSERT_NE(-2, y) TH_LOG("clone3: %m");
	EXPECT_GT(0, y) TH_LOG("a new namespace got inode %u while the filter held it",
			       x_inum);
	if (y > 0) {
		kill(y, SIGKILL);
		waitpid(y, NULL, 0);
	}
	/* Nothing of the new namespaces passed the filter on X. */
	nst_ev_wait(&f, &flog, NULL, NULL, 0);
	for (i = 0; i < flog.n; i++)
		if (flog.ev[i].proc.present &&
		    flog.ev[i].proc.pidns_inum != x_inum)
			leaked++;
	EXPECT_EQ(0, leaked) TH_LOG("the filter on namespace %u passed %d events of others",
				    x_inum, leaked);
	/* The filter gone, X goes: its NS_DESTROYED reaches the watcher. */
	close(go[1]);
	nst_close(&f);
	ASSERT_EQ(0, nst_ev_wait(&w, &wlog, ns_destroyed, &x_inum,
				 EV_TIMEOUT_MS));
	nst_close(&w);
	nst_evlog_free(&wlog);
	nst_evlog_free(&flog);
}

/*
 * The same, by ID: a filter names X by its ID; once X is gone and a new
 * namespace Y has X's inode number, X's ID names nothing (ENOENT), Y has
 * an ID of its own, and the inode number now names Y.
 */
TEST_F_TIMEOUT(big, ns_filter_id_after_inode_reuse, 300)
{
	struct nst_sub_opts wo = { .queue_len = 65536 };
	struct nst_sub_opts fo = { .queue_len = 4096 };
	struct nst_evlog wlog = { 0 }, flog = { 0 };
	struct nst_sub_info info;
	struct nst_conn w, f, q;
	unsigned int x_inum;
	int go[2], tries, err, i;
	uint64_t x_id, y_id;
	struct nst_proc p;
	pid_t x, y = -1;

	ASSERT_EQ(0, nst_open(&q));
	err = nst_ev_subscribe(&w, &wo);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), w.extack);
	ASSERT_EQ(0, pipe(go));
	x = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, x);
	if (x == 0) {
		close(go[1]);
		_exit(ns_init_fn(go[0]));
	}
	x_inum = nst_pidns_of(x);
	ASSERT_NE(0, x_inum);
	ASSERT_EQ(0, nst_get_proc(&q, x, &p));
	x_id = p.pidns_id;
	ASSERT_NE(0, x_id);
	fo.ns_id = x_id;
	ASSERT_EQ(0, nst_open(&f));
	err = nst_subscribe(&f, &fo, &info);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), f.extack);
	EXPECT_EQ(x_inum, info.ns_inum);
	EXPECT_EQ(x_id, info.ns_id);
	nst_send_byte(go[1]);
	ASSERT_EQ(0, nst_ev_wait(&f, &flog, reaped_by, &x, EV_TIMEOUT_MS));
	for (i = 0; i < (int)flog.n; i++)
		if (flog.ev[i].proc.present)
			EXPECT_EQ(x_id, flog.ev[i].proc.pidns_id);
	/* X goes, filter and all. */
	nst_close(&f);
	close(go[1]);
	close(go[0]);
	kill(x, SIGKILL);
	ASSERT_EQ(x, waitpid(x, NULL, 0));
	ASSERT_EQ(0, nst_ev_wait(&w, &wlog, ns_destroyed, &x_inum,
				 EV_TIMEOUT_MS));
	for (i = 0; i < (int)wlog.n; i++)
		if (wlog.ev[i].type == NSTREE_EV_NS_DESTROYED &&
		    wlog.ev[i].ns_inum == x_inum)
			EXPECT_EQ(x_id, wlog.ev[i].ns_id);
	/* A new namespace with X's number. */
	ASSERT_EQ(0, pipe(go));
	y = ns_with_inum(x_inum, go, &tries);
	ASSERT_NE(-2, y) TH_LOG("clone3: %m");
	ASSERT_LT(0, y) TH_LOG("inode %u never came back in %d namespaces",
			       x_inum, tries);
	ASSERT_EQ(0, nst_get_proc(&q, y, &p));
	y_id = p.pidns_id;
	EXPECT_LT(x_id, y_id);
	/* X's ID names nothing now; its old number names Y. */
	ASSERT_EQ(0, nst_open(&f));
	EXPECT_EQ(-ENOENT, nst_subscribe(&f, &fo, NULL));
	nst_close(&f);
	fo.ns_id = 0;
	fo.ns_inum = x_inum;
	ASSERT_EQ(0, nst_open(&f));
	ASSERT_EQ(0, nst_subscribe(&f, &fo, &info));
	EXPECT_EQ(y_id, info.ns_id);
	nst_close(&f);
	kill(y, SIGKILL);
	waitpid(y, NULL, 0);
	close(go[0]);
	close(go[1]);
	nst_close(&w);
	nst_close(&q);
	nst_evlog_free(&wlog);
	nst_evlog_free(&flog);
}

/* ---- Item 16: tracepoint probes only while someone subscribes ---- */

/*
 * The module registers its tracepoint probes with the first subscriber
 * and unregisters them two seconds after the last leaves (a subscriber
 * that comes back within them finds them still there); its kprobes stay
 * registered while it is loaded. The kernel shows neither, so the test
 * watches the calls themselves: two kprobe events, on
 * tracepoint_probe_register() and tracepoint_probe_unregister(), record
 * the name of each tracepoint (the first field of struct tracepoint).
 */
#define TRACEFS "/sys/kernel/tracing"
#define KPROBE_LIST "/sys/kernel/debug/kprobes/list"

static const char *const tp_names[] = { "task_newtask", "sched_process_exec" };
#define NR_TPS (sizeof(tp_names) / sizeof(tp_names[0]))

static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (got < (ssize_t)size - 1 &&
	       (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return 0;
}

static int append_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -errno;
}

/* Lines of the trace from event @ev (nstree_tp_reg...) about tracepoint @tp. */
static int tp_calls(const char *ev, const char *tp)
{
	static char buf[1 << 20];
	char evc[64], tpq[64];
	const char *l, *e;
	int n = 0;

	if (read_small(TRACEFS "/trace", buf, sizeof(buf)))
		return -1;
	snprintf(evc, sizeof(evc), " %s:", ev);
	snprintf(tpq, sizeof(tpq), "tp=\"%s\"", tp);
	for (l = buf; *l; l = *e ? e + 1 : e) {
		char line[512];

		e = strchrnul(l, '\n');
		if (l[0] == '#' || (size_t)(e - l) >= sizeof(line))
			continue;
		memcpy(line, l, e - l);
		line[e - l] = '\0';
		if (strstr(line, evc) && strstr(line, tpq))
			n++;
	}
	return n;
}

/* Each of the module's tracepoints @ev'd exactly @want times? */
static int tp_all(const char *ev, int want)
{
	size_t i;

	for (i = 0; i < NR_TPS; i++)
		if (tp_calls(ev, tp_names[i]) != want)
			return 0;
	return 1;
}

/* Wait up to @ms for every tracepoint's unregistration; ms taken or -1. */
static long wait_unreg(int ms)
{
	long t0 = now_ms();

	while (!tp_all("nstree_tp_unreg", 1)) {
		if (now_ms() - t0 > ms)
			return -1;
		usleep(50000);
	}
	return now_ms() - t0;
}

static void tp_events_off(void)
{
	nst_write_file(TRACEFS "/events/kprobes/nstree_tp_reg/enable", "0");
	nst_write_file(TRACEFS "/events/kprobes/nstree_tp_unreg/enable", "0");
	append_file(TRACEFS "/kprobe_events", "-:nstree_tp_reg\n");
	append_file(TRACEFS "/kprobe_events", "-:nstree_tp_unreg\n");
}

static void trace_clear(void)
{
	int fd = open(TRACEFS "/trace", O_WRONLY | O_TRUNC);

	if (fd >= 0)
		close(fd);
}

TEST_F_TIMEOUT(big, tracepoint_probes_follow_subscribers, 120)
{
	static char kp0[65536], kp1[65536];
	struct nst_conn c1, c2;
	long ms;
	int err;

	if (access(TRACEFS "/kprobe_events", W_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "/kprobe_events", W_OK))
		SKIP(return, "no %s/kprobe_events (no tracefs or no kprobe events)",
		     TRACEFS);
	if (access(KPROBE_LIST, R_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	tp_events_off();
	err = append_file(TRACEFS "/kprobe_events",
			  "p:nstree_tp_reg tracepoint_probe_register tp=+0(+0($arg1)):string\n");
	ASSERT_EQ(0, err) TH_LOG("kprobe event on tracepoint_probe_register: %s",
				 strerror(-err));
	err = append_file(TRACEFS "/kprobe_events",
			  "p:nstree_tp_unreg tracepoint_probe_unregister tp=+0(+0($arg1)):string\n");
	ASSERT_EQ(0, err) TH_LOG("kprobe event on tracepoint_probe_unregister: %s",
				 strerror(-err));
	ASSERT_EQ(0, nst_write_file(TRACEFS "/events/kprobes/nstree_tp_reg/enable", "1"));
	ASSERT_EQ(0, nst_write_file(TRACEFS "/events/kprobes/nstree_tp_unreg/enable", "1"));

	/*
	 * An earlier test's hooks may linger: one subscriber in and out,
	 * then its probes' unregistration, and nobody is hooked.
	 */
	trace_clear();
	ASSERT_EQ(0, nst_ev_subscribe(&c1, NULL));
	nst_close(&c1);
	ms = wait_unreg(10000);
	ASSERT_LE(0, ms) TH_LOG("the tracepoint probes never went");
	ASSERT_EQ(0, read_small(KPROBE_LIST, kp0, sizeof(kp0)));

	/* The first subscriber registers them, the second does not. */
	trace_clear();
	ASSERT_EQ(0, nst_ev_subscribe(&c1, NULL));
	EXPECT_TRUE(tp_all("nstree_tp_reg", 1));
	ASSERT_EQ(0, nst_ev_subscribe(&c2, NULL));
	EXPECT_TRUE(tp_all("nstree_tp_reg", 1));
	EXPECT_TRUE(tp_all("nstree_tp_unreg", 0));
	/* The kprobes are there with subscribers and without. */
	ASSERT_EQ(0, read_small(KPROBE_LIST, kp1, sizeof(kp1)));
	EXPECT_NE(NULL, strstr(kp0, "do_notify_parent")) TH_LOG("%s", kp0);
	EXPECT_NE(NULL, strstr(kp1, "do_notify_parent")) TH_LOG("%s", kp1);
	nst_close(&c1);
	EXPECT_TRUE(tp_all("nstree_tp_unreg", 0));
	nst_close(&c2);
	/* Two seconds after the last: unregistered, once each. */
	ms = wait_unreg(10000);
	TH_LOG("tracepoint probes unregistered %ld ms after the last subscriber left",
	       ms);
	EXPECT_LE(1500, ms);
	EXPECT_TRUE(tp_all("nstree_tp_reg", 1));

	/* A subscriber back within the two seconds finds them still there. */
	trace_clear();
	ASSERT_EQ(0, nst_ev_subscribe(&c1, NULL));
	nst_close(&c1);
	ASSERT_EQ(0, nst_ev_subscribe(&c2, NULL));
	EXPECT_TRUE(tp_all("nstree_tp_reg", 1));
	EXPECT_TRUE(tp_all("nstree_tp_unreg", 0));
	nst_close(&c2);
	EXPECT_LE(0, wait_unreg(10000));
	EXPECT_TRUE(tp_all("nstree_tp_reg", 1));
	tp_events_off();
}

/* ---- Issue 9: a 30,000-deep chain ---- */

#define CHAIN_DEPTH 30000
#define CHAIN_DEPTH_SMALL 1500
#define CHAIN_STACK 16384
/*
 * A link copies nothing it can share: memory, files, fs, signal handlers
 * (still a process of its own, with its own PID, parent and exit).
 */
#define CHAIN_CLONE (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		     CLONE_SYSVSEM | CLONE_IO | SIGCHLD)

struct chain_arg {
	int depth;		/* the leaf's */
	int rep;		/* the leaf writes its PID here */
	char *stacks;
};

static struct chain_arg chain;

/* One link: make the next, wait for it. Shares the memory (CLONE_VM). */
static int chain_link(void *arg)
{
	long depth = (long)arg;
	pid_t pid;

	if (depth == chain.depth) {
		pid = syscall(SYS_getpid);
		syscall(SYS_write, chain.rep, &pid, sizeof(pid));
		for (;;)
			syscall(SYS_pause);
	}
	pid = clone(chain_link, chain.stacks + (size_t)depth * CHAIN_STACK,
		    CHAIN_CLONE, (void *)(depth + 1));
	if (pid < 0) {
		pid = -(int)depth;
		syscall(SYS_write, chain.rep, &pid, sizeof(pid));
		syscall(SYS_exit, 1);
	}
	while (syscall(SYS_wait4, pid, NULL, __WALL, NULL) < 0)
		;
	syscall(SYS_exit, 0);
	return 0;
}

static int chain_fn(void *p)
{
	cpu_set_t one;

	(void)p;
	/*
	 * One CPU for the whole chain: each link wakes the next and sleeps,
	 * and on one CPU that is a context switch, not an IPI to another.
	 */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	return chain_link((void *)1L);
}

struct chain_watch {
	pid_t watched;
	int reaped;
	uint64_t reparents;
};

static int chain_watch_cb(const struct nst_event *ev, void *arg)
{
	struct chain_watch *cw = arg;

	if (ev->type == NSTREE_EV_REAP && ev->proc.pid == (uint32_t)cw->watched)
		cw->reaped = 1;
	if (ev->type == NSTREE_EV_REPARENT)
		cw->reparents++;
	return 0;
}

static int chain_watch_done(void *arg)
{
	return ((struct chain_watch *)arg)->reaped;
}

TEST_F_TIMEOUT(big, deep_chain, 960)
{
	struct nst_sub_opts so = { .queue_len = 65536 };
	struct chain_watch pw = { 0 }, sw = { 0 };
	struct evcount pc = { .fn = chain_watch_cb, .arg = &pw };
	struct evcount sc = { .fn = chain_watch_cb, .arg = &sw };
	struct nst_conn plain, sub;
	int rep[2], err, status;
	pid_t k, init, leaf, u, m;
	long t0, t_kill;

	ASSERT_EQ(0, pipe(rep));
	/* An unrelated process for the subtree filter. */
	u = fork();
	ASSERT_LE(0, u);
	if (u == 0) {
		pause();
		_exit(0);
	}
	err = nst_ev_subscribe(&plain, &so);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), plain.extack);
	so.subtree = u;
	err = nst_ev_subscribe(&sub, &so);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), sub.extack);

	chain.rep = rep[1];
	chain.depth = sized(CHAIN_DEPTH, CHAIN_DEPTH_SMALL);
	chain.stacks = mmap(NULL, (size_t)(chain.depth + 1) * CHAIN_STACK,
			    PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, chain.stacks);
	t0 = now_ms();
	k = nobody_container(chain_fn, NULL, &init);
	ASSERT_LT(0, k);
	ASSERT_LT(0, init);
	close(rep[1]);
	/* Keep reading while the chain grows: the leaf reports its PID. */
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = rep[0], .events = POLLIN },
			{ .fd = nst_event_fd(&plain), .events = POLLIN },
			{ .fd = nst_event_fd(&sub), .events = POLLIN },
		};

		ASSERT_LE(0, poll(p, 3, 1000));
		nst_event_read(&plain, evcount_cb, &pc);
		nst_event_read(&sub, evcount_cb, &sc);
		if (p[0].revents)
			break;
		ASSERT_GT(t0 + 1200000, now_ms()) TH_LOG("the chain never completed");
	}
	ASSERT_EQ(0, nst_read_full(rep[0], &leaf, sizeof(leaf)));
	ASSERT_LT(0, leaf) TH_LOG("clone failed at depth %d", -leaf);
	TH_LOG("%d-deep chain in %ld ms; %llu events so far, %llu lost",
	       chain.depth, now_ms() - t0, (unsigned long long)pc.n,
	       (unsigned long long)pc.lost);

	/* Kill it from the top. */
	t_kill = now_ms();
	ASSERT_EQ(0, kill(init, SIGKILL));
	pw.watched = init;
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = nst_event_fd(&plain), .events = POLLIN },
			{ .fd = nst_event_fd(&sub), .events = POLLIN },
		};

		poll(p, 2, 200);
		nst_event_read(&plain, evcount_cb, &pc);
		nst_event_read(&sub, evcount_cb, &sc);
		if (waitpid(k, &status, WNOHANG) == k)
			break;
		ASSERT_GT(t_kill + 600000, now_ms()) TH_LOG("the chain did not die in 600 s");
	}
	TH_LOG("the chain died in %ld ms", now_ms() - t_kill);
	/* Root's plain watch keeps up: it sees a new process to its end. */
	m = fork_reap(1);
	ASSERT_LT(0, m);
	pw.watched = m;
	pw.reaped = 0;
	EXPECT_EQ(0, evcount_wait(&plain, &pc, chain_watch_done, &pw, 60000));
	/* The subtree watch still sees its own process. */
	sw.watched = u;
	kill(u, SIGKILL);
	ASSERT_EQ(u, waitpid(u, NULL, 0));
	EXPECT_EQ(0, evcount_wait(&sub, &sc, chain_watch_done, &sw, 60000));
	TH_LOG("plain: %llu events, %llu lost; subtree: %llu events, %llu lost",
	       (unsigned long long)pc.n, (unsigned long long)pc.lost,
	       (unsigned long long)sc.n, (unsigned long long)sc.lost);
	EXPECT_EQ(0, pc.gap_error);
	EXPECT_EQ(0, sc.gap_error);
	munmap(chain.stacks, (size_t)(chain.depth + 1) * CHAIN_STACK);
	nst_close(&plain);
	nst_close(&sub);
}

/*
 * ---- Item 3 (lockup): 30,000 orphans below a deep subreaper ----
 *
 * The review's lockup: a 4,000-deep chain with a subreaper near its
 * bottom; the last link has 30,000 children and exits. Each orphan's
 * REPARENT is matched against every subscriber, and a subtree filter
 * (on an unrelated process) walks thousands of ancestors each time.
 * Today that work runs in the exiting task's hook (a kprobe: preemption
 * off), in batches under a lock with interrupts off. The subscribers come
 * after the processes: creating them is not what is measured.
 *
 * One subtree subscriber, not the 60 this test had: each multiplies the
 * module's work per event by the depth, and with 4 of them the orphaning
 * alone ran over 150 s of an emulated 6.12 guest (60 would be about an
 * hour). One keeps what the review describes, 30,000 orphans each walked
 * up 4,000 ancestors; 400 deep and 1,500 wide on the debug line.
 */
#define FAN_DEPTH 4000
#define FAN_WIDTH 30000
#define FAN_DEPTH_SMALL 400
#define FAN_WIDTH_SMALL 1500
#define FAN_SUBS 1
#define FAN_STACK 16384

static struct {
	int depth, width;
	int rep, go;
	char *stacks;
} fan;

static int fan_leaf(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static int fan_link(void *arg)
{
	long depth = (long)arg;
	pid_t pid;
	char c;
	int i, n = 0;

	if (depth == fan.depth - 8)
		syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (depth == fan.depth) {
		for (i = 0; i < fan.width; i++)
			if (clone(fan_leaf, fan.stacks +
				  (size_t)(fan.depth + i + 1) * FAN_STACK,
				  CHAIN_CLONE, NULL) > 0)
				n++;
		syscall(SYS_write, fan.rep, &n, sizeof(n));
		syscall(SYS_read, fan.go, &c, 1);
		/* Orphan them all. */
		syscall(SYS_exit, 0);
	}
	pid = clone(fan_link, fan.stacks + (size_t)depth * FAN_STACK,
		    CHAIN_CLONE, (void *)(depth + 1));
	if (pid < 0) {
		n = -(int)depth;
		syscall(SYS_write, fan.rep, &n, sizeof(n));
		syscall(SYS_exit, 1);
	}
	while (syscall(SYS_wait4, pid, NULL, __WALL, NULL) < 0)
		;
	/* The subreaper, the init: exit, and the orphans move on or die. */
	syscall(SYS_exit, 0);
	return 0;
}

static int fan_fn(void *p)
{
	cpu_set_t one;

	(void)p;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	return fan_link((void *)1L);
}

TEST_F_TIMEOUT(big, orphans_below_deep_subreaper, 960)
{
	struct nst_sub_opts so = { .queue_len = 65536 };
	static struct nst_conn subs[FAN_SUBS];
	struct chain_watch pw = { 0 };
	struct evcount pc = { .fn = chain_watch_cb, .arg = &pw };
	struct nst_conn plain;
	int rep[2], go[2], err, i, n, status;
	long t0;
	pid_t k, init, u, m;

	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(go));
	u = fork();
	ASSERT_LE(0, u);
	if (u == 0) {
		pause();
		_exit(0);
	}
	err = nst_ev_subscribe(&plain, &so);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), plain.extack);
	fan.depth = sized(FAN_DEPTH, FAN_DEPTH_SMALL);
	fan.width = sized(FAN_WIDTH, FAN_WIDTH_SMALL);
	fan.rep = rep[1];
	fan.go = go[0];
	fan.stacks = mmap(NULL, (size_t)(fan.depth + fan.width + 1) * FAN_STACK,
			  PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, fan.stacks);
	t0 = now_ms();
	k = nobody_container(fan_fn, NULL, &init);
	ASSERT_LT(0, k);
	ASSERT_LT(0, init);
	close(rep[1]);
	close(go[0]);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = rep[0], .events = POLLIN },
			{ .fd = nst_event_fd(&plain), .events = POLLIN },
		};

		ASSERT_LE(0, poll(p, 2, 1000));
		nst_event_read(&plain, evcount_cb, &pc);
		if (p[0].revents)
			break;
		ASSERT_GT(t0 + 1000000, now_ms()) TH_LOG("never built");
	}
	ASSERT_EQ(0, nst_read_full(rep[0], &n, sizeof(n)));
	ASSERT_EQ(fan.width, n) TH_LOG("clone failed (%d)", n);
	TH_LOG("%d-deep chain with %d children at its end in %ld ms",
	       fan.depth, n, now_ms() - t0);
	so.subtree = u;
	so.queue_len = 16;
	for (i = 0; i < FAN_SUBS; i++) {
		err = nst_ev_subscribe(&subs[i], &so);
		ASSERT_EQ(0, err) TH_LOG("subscriber %d: %s (%s)", i,
					 strerror(-err), subs[i].extack);
	}

	/* The last link exits: 30,000 orphans go to the subreaper. */
	t0 = now_ms();
	nst_send_byte(go[1]);
	for (;;) {
		struct pollfd p = { .fd = nst_event_fd(&plain), .events = POLLIN };

		poll(&p, 1, 200);
		nst_event_read(&plain, evcount_cb, &pc);
		if (waitpid(k, &status, WNOHANG) == k)
			break;
		ASSERT_GT(t0 + 900000, now_ms()) TH_LOG("not over in 900 s");
	}
	TH_LOG("all gone %ld ms after the orphaning; %llu REPARENTs seen, %llu events lost",
	       now_ms() - t0, (unsigned long long)pw.reparents,
	       (unsigned long long)pc.lost);
	for (i = 0; i < FAN_SUBS; i++)
		nst_close(&subs[i]);
	/* Root's watch keeps working. */
	m = fork_reap(1);
	ASSERT_LT(0, m);
	pw.watched = m;
	EXPECT_EQ(0, evcount_wait(&plain, &pc, chain_watch_done, &pw, 120000));
	EXPECT_EQ(0, pc.gap_error);
	kill(u, SIGKILL);
	waitpid(u, NULL, 0);
	munmap(fan.stacks, (size_t)(fan.depth + fan.width + 1) * FAN_STACK);
	nst_close(&plain);
}

/* ---- Issue 9 / item 8: thousands of namespaces ---- */

/*
 * 5,000, not 4,000: today's module tracks at most 4,096 namespaces, and
 * the ones past that never get their NS_DESTROYED.
 */
#define NS_COUNT 5000
#define NS_COUNT_SMALL 500
#define NS_STACK 8192
/*
 * Slab in use once every namespace is gone, over the baseline taken
 * before: the namespaces, their inits and their events took tens of MB;
 * 8 MiB allows per-CPU caches and RCU-deferred frees still in flight.
 */
#define NS_RETURN_KB (8 * 1024)

static int ns_sleeper(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

struct ns_arg {
	int count;
	int rep, go;
	char *stacks;
};

/* An unprivileged user makes NS_COUNT namespaces, then kills them. */
static int ns_maker(struct ns_arg *a)
{
	static pid_t kids[NS_COUNT];
	int i, n = 0;

	for (i = 0; i < a->count; i++) {
		kids[i] = clone(ns_sleeper, a->stacks + (size_t)(i + 1) * NS_STACK,
				CLONE_VM | CLONE_NEWPID | SIGCHLD, NULL);
		if (kids[i] < 0)
			break;
		n++;
	}
	if (nst_write_full(a->rep, &n, sizeof(n)))
		return 1;
	nst_wait_byte(a->go);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	nst_write_full(a->rep, &n, sizeof(n));
	return 0;
}

struct ns_watch {
	pid_t maker;
	unsigned int inums[NS_COUNT];
	unsigned char gone[NS_COUNT];
	int created, destroyed, foreign_destroyed;
};

static int ns_watch_cb(const struct nst_event *ev, void *arg)
{
	struct ns_watch *w = arg;
	int i;

	if (ev->type == NSTREE_EV_NS_CREATED && ev->proc.pid == (uint32_t)w->maker &&
	    w->created < NS_COUNT)
		w->inums[w->created++] = ev->ns_inum;
	if (ev->type != NSTREE_EV_NS_DESTROYED)
		return 0;
	for (i = 0; i < w->created; i++)
		if (w->inums[i] == ev->ns_inum && !w->gone[i]) {
			w->gone[i] = 1;
			w->destroyed++;
			return 0;
		}
	w->foreign_destroyed++;
	return 0;
}

struct ns_done {
	struct ns_watch *w;
	struct evcount *c;
	int want;
};

static int ns_all_created(void *arg)
{
	struct ns_done *d = arg;

	return d->w->created + (int)d->c->lost >= d->want;
}

static int ns_all_destroyed(void *arg)
{
	struct ns_done *d = arg;

	return d->w->created + d->w->destroyed + (int)d->c->lost >= 2 * d->want;
}

TEST_F_TIMEOUT(big, thousands_of_namespaces, 960)
{
	struct nst_sub_opts so = {
		.events = 1 << NSTREE_EV_NS_CREATED | 1 << NSTREE_EV_NS_DESTROYED,
		.queue_len = 65536,
	};
	static struct ns_watch w;
	struct evcount nc = { .fn = ns_watch_cb, .arg = &w };
	struct evcount pc = { 0 };
	struct ns_done d = { .w = &w, .c = &nc };
	struct nst_conn nsw, plain;
	struct ns_arg a;
	int rep[2], go[2], made, err;
	long m0, m1, m2, t0, end;
	pid_t k;

	memset(&w, 0, sizeof(w));
	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(go));
	err = nst_ev_subscribe(&nsw, &so);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), nsw.extack);
	so.events = 0;
	err = nst_ev_subscribe(&plain, &so);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), plain.extack);
	a.stacks = mmap(NULL, (size_t)(NS_COUNT + 1) * NS_STACK,
			PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, a.stacks);
	a.count = sized(NS_COUNT, NS_COUNT_SMALL);
	a.rep = rep[1];
	a.go = go[0];
	m0 = sunreclaim_kb();

	t0 = now_ms();
	k = fork();
	ASSERT_LE(0, k);
	if (k == 0) {
		if (become_nobody_root())
			_exit(90);
		_exit(ns_maker(&a));
	}
	w.maker = k;
	ASSERT_EQ(0, nst_read_full(rep[0], &made, sizeof(made)));
	EXPECT_EQ(a.count, made);
	d.want = made;
	err = evcount_wait(&nsw, &nc, ns_all_created, &d, 120000);
	evcount_wait(&plain, &pc, NULL, NULL, 0);
	m1 = sunreclaim_kb();
	TH_LOG("%d namespaces in %ld ms: NS_CREATED %d, LOST %llu; SUnreclaim %+ld kB",
	       made, now_ms() - t0, w.created, (unsigned long long)nc.lost,
	       m1 - m0);
	EXPECT_EQ(0, err);

	nst_send_byte(go[1]);
	t0 = now_ms();
	end = t0 + 600000;
	for (;;) {
		evcount_wait(&nsw, &nc, NULL, NULL, 0);
		evcount_wait(&plain, &pc, NULL, NULL, 0);
		if (waitpid(k, NULL, WNOHANG) == k)
			break;
		ASSERT_GT(end, now_ms());
		usleep(100000);
	}
	err = evcount_wait(&nsw, &nc, ns_all_destroyed, &d, 120000);
	evcount_wait(&plain, &pc, NULL, NULL, 0);
	TH_LOG("killed in %ld ms: NS_CREATED %d, NS_DESTROYED %d (+%d others), LOST %llu",
	       now_ms() - t0, w.created, w.destroyed, w.foreign_destroyed,
	       (unsigned long long)nc.lost);
	EXPECT_EQ(0, err) TH_LOG("NS_DESTROYED missing, and not counted as LOST");
	EXPECT_EQ(2 * made, w.created + w.destroyed + (int)nc.lost);
	EXPECT_EQ(0, nc.gap_error);
	EXPECT_EQ(0, pc.gap_error);

	/* Kernel memory back near its baseline (RCU frees may lag). */
	end = now_ms() + 30000;
	do {
		m2 = sunreclaim_kb();
		if (m2 - m0 <= NS_RETURN_KB)
			break;
		evcount_wait(&plain, &pc, NULL, NULL, 500);
	} while (now_ms() < end);
	TH_LOG("SUnreclaim: %ld kB before, %+ld kB with them, %+ld kB after (bound %d kB)",
	       m0, m1 - m0, m2 - m0, NS_RETURN_KB);
	EXPECT_GE(NS_RETURN_KB, m2 - m0);
	munmap(a.stacks, (size_t)(NS_COUNT + 1) * NS_STACK);
	nst_close(&nsw);
	nst_close(&plain);
}

TEST_HARNESS_MAIN
