// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream's order across processes and across subscribers, as
 * Documentation/nstree.rst ("Order") states it; events_seq_test checks the
 * order of each process's own events.
 *
 * Across processes: an event is queued before the system call that caused
 * it returns (fork, execve), before pthread_join() or a vfork parent can
 * see a thread gone (taskstats_exit() comes before exit_mm() in
 * do_exit()), and before wait() can see a zombie or return a reaped
 * child (ZOMBIE, AUTOREAP and REAP are queued under the kernel's
 * tasklist_lock, which wait() takes). So whatever a process does after
 * it learnt of an event that way, and told another process, comes later
 * in every stream. The "causal" tests hand the knowledge on through a
 * pipe to another process, which then forks: the event must come before
 * that FORK for every subscriber.
 *
 * Across subscribers: REPARENT, ZOMBIE, AUTOREAP and REAP are queued under
 * one module-wide lock, so every subscriber gets them in the same order;
 * FORK, EXEC and EXIT of two processes running at once on two CPUs are
 * queued for each subscriber in turn, and two subscribers may get them in
 * opposite orders (the kernel has no order between them either). The
 * "storm" test runs workers on every CPU, with subscribers that want
 * different event types, and checks the first, the causal order of every
 * fork and wait, and that every subscriber got the same events; it prints
 * how many pairs of the other events two subscribers got in opposite
 * orders, which shows the storm did run events side by side.
 *
 * No sleep stands in for a handshake: pipes, wait(), and at the end of each
 * test a child forked, reaped and seen reaped by every subscriber.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"

#define EV_TIMEOUT_MS	30000
#define NSUBS		4

/* What each subscriber wants: two everything, two a part. */
#define TYPE_BIT(t)	(1u << NSTREE_EV_##t)
#define KIN_TYPES	(TYPE_BIT(REPARENT) | TYPE_BIT(ZOMBIE) | \
			 TYPE_BIT(AUTOREAP) | TYPE_BIT(REAP))
static const uint32_t sub_mask[NSUBS] = {
	0, 0, KIN_TYPES,
	TYPE_BIT(FORK) | TYPE_BIT(EXEC) | TYPE_BIT(EXIT) | TYPE_BIT(REAP),
};

static int wants(int s, uint32_t type)
{
	return !sub_mask[s] || (sub_mask[s] & (1u << type));
}

/* Queued under the module's kin lock: one order for every subscriber. */
static int is_kin(uint32_t type)
{
	return (1u << type) & KIN_TYPES;
}

/*
 * A child exec'd by the tests runs this before main(): with
 * NSTREE_ORDER_FD set, it writes one byte there (its execve() has
 * returned) and exits.
 */
__attribute__((constructor)) static void exec_child(void)
{
	const char *fd = getenv("NSTREE_ORDER_FD");

	if (!fd)
		return;
	if (*fd)
		nst_send_byte(atoi(fd));
	_exit(0);
}

/* Exec this binary, which exec_child() ends: @fd is "" or a number. */
static void __attribute__((noreturn)) exec_me(const char *fd)
{
	char env[48];

	snprintf(env, sizeof(env), "NSTREE_ORDER_FD=%s", fd);
	execle("/proc/self/exe", "events_order_test", NULL,
	       (char *[]){ env, NULL });
	_exit(99);
}

static pid_t exec_self(int fd)
{
	pid_t p = fork();
	char s[16];

	if (p)
		return p;
	snprintf(s, sizeof(s), "%d", fd);
	exec_me(s);
}

FIXTURE(order) {
	struct nst_conn c[NSUBS];
	struct nst_evlog log[NSUBS];
};

FIXTURE_SETUP(order)
{
	int s, err;

	/* Orphans stay in the subtree the subscribers watch. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	for (s = 0; s < NSUBS; s++) {
		struct nst_sub_opts o = {
			.subtree = getpid(), .events = sub_mask[s],
		};

		err = nst_ev_subscribe(&self->c[s], &o);
		ASSERT_EQ(0, err) TH_LOG("subscribe %d: %s (%s)", s,
					 strerror(-err), self->c[s].extack);
	}
}

FIXTURE_TEARDOWN(order)
{
	int s;

	for (s = 0; s < NSUBS; s++) {
		EXPECT_EQ(0, self->log[s].gap_error)
			TH_LOG("subscriber %d: a sequence gap with no LOST", s);
		EXPECT_EQ(0, self->log[s].lost) TH_LOG("subscriber %d", s);
		nst_close(&self->c[s]);
		nst_evlog_free(&self->log[s]);
	}
}

/*
 * Everything caused before now has been read: a child forked after it,
 * reaped, and its REAP read by every subscriber (the causal order).
 */
static int barrier(FIXTURE_DATA(order) *self)
{
	pid_t m = fork();
	int s, err;

	if (m < 0)
		return -errno;
	if (m == 0)
		_exit(0);
	if (waitpid(m, NULL, 0) != m)
		return -errno;
	for (s = 0; s < NSUBS; s++) {
		err = nst_ev_wait_for(&self->c[s], &self->log[s],
				      NSTREE_EV_REAP, m, EV_TIMEOUT_MS);
		if (err)
			return err;
	}
	return 0;
}

/*
 * In every subscriber that wants both types: the event @ta about @pa
 * comes, and before @tb about @pb.
 */
#define EXPECT_BEFORE(ta, pa, tb, pb) do {				\
	int s_, a_, b_;							\
	for (s_ = 0; s_ < NSUBS; s_++) {				\
		if (!wants(s_, ta) || !wants(s_, tb))			\
			continue;					\
		a_ = nst_ev_find(&self->log[s_], 0, ta, pa);		\
		b_ = nst_ev_find(&self->log[s_], 0, tb, pb);		\
		EXPECT_LE(0, a_) TH_LOG("subscriber %d: no %s of %d",	\
					s_, #ta, (int)(pa));		\
		EXPECT_LE(0, b_) TH_LOG("subscriber %d: no %s of %d",	\
					s_, #tb, (int)(pb));		\
		EXPECT_LT(a_, b_)					\
			TH_LOG("subscriber %d: %s of %d at %d, %s of %d at %d", \
			       s_, #ta, (int)(pa), a_, #tb, (int)(pb), b_); \
	}								\
} while (0)

struct forker {
	pid_t pid;
	int go[2], done[2];
};

/*
 * A child that, for each byte on its pipe, forks a child, reaps it and
 * says which it was; it exits when the pipe ends.
 */
static int forker_start(struct forker *f)
{
	pid_t z;

	if (pipe(f->go) || pipe(f->done))
		return -1;
	f->pid = fork();
	if (f->pid)
		return f->pid < 0 ? -1 : 0;
	close(f->go[1]);
	close(f->done[0]);
	while (nst_wait_byte(f->go[0]) == 0) {
		z = fork();
		if (z == 0)
			_exit(0);
		if (z < 0 || waitpid(z, NULL, 0) != z)
			_exit(98);
		if (nst_write_full(f->done[1], &z, sizeof(z)))
			_exit(97);
	}
	_exit(0);
}

/* Have the forker fork a child; its PID, or -1. */
static pid_t forker_fork(struct forker *f)
{
	pid_t z;

	nst_send_byte(f->go[1]);
	if (nst_read_full(f->done[0], &z, sizeof(z)))
		return -1;
	return z;
}

static void forker_stop(struct forker *f)
{
	close(f->go[1]);
	waitpid(f->pid, NULL, 0);
	close(f->go[0]);
	close(f->done[0]);
	close(f->done[1]);
}

/*
 * X says, with a byte on @rfd, that what it did has come back to it: have
 * the forker fork Z, reap X, and read every subscriber up to now. Z's PID,
 * or -1.
 */
static pid_t hand_on(FIXTURE_DATA(order) *self, struct forker *f, int rfd,
		     pid_t x)
{
	pid_t z = nst_wait_byte(rfd) ? -1 : forker_fork(f);

	if (waitpid(x, NULL, 0) != x)
		z = -1;
	forker_stop(f);
	return z < 0 || barrier(self) ? -1 : z;
}

/*
 * X's execve() has returned when X writes; then another process, the
 * forker, forks Z: EXEC of X before FORK of Z.
 */
TEST_F(order, causal_exec_then_fork)
{
	struct forker f;
	int p[2];
	pid_t x, z;

	ASSERT_EQ(0, forker_start(&f));
	ASSERT_EQ(0, pipe(p));
	x = exec_self(p[1]);
	ASSERT_LT(0, x);
	z = hand_on(self, &f, p[0], x);
	ASSERT_LT(0, z);
	EXPECT_BEFORE(NSTREE_EV_EXEC, x, NSTREE_EV_FORK, z);
	close(p[0]);
	close(p[1]);
}

/*
 * waitid(WNOWAIT) saw the zombie X, then wait() reaped it; after each,
 * another process forks: ZOMBIE of X before the first FORK, REAP of X
 * before the second.
 */
TEST_F(order, causal_wait_then_fork)
{
	struct forker f;
	pid_t x, z1, z2;
	siginfo_t si;

	ASSERT_EQ(0, forker_start(&f));
	x = fork();
	ASSERT_LE(0, x);
	if (x == 0)
		_exit(3);
	ASSERT_EQ(0, waitid(P_PID, x, &si, WEXITED | WNOWAIT));
	z1 = forker_fork(&f);
	ASSERT_LT(0, z1);
	ASSERT_EQ(x, waitpid(x, NULL, 0));
	z2 = forker_fork(&f);
	ASSERT_LT(0, z2);
	forker_stop(&f);
	ASSERT_EQ(0, barrier(self));
	EXPECT_BEFORE(NSTREE_EV_EXIT, x, NSTREE_EV_FORK, z1);
	EXPECT_BEFORE(NSTREE_EV_ZOMBIE, x, NSTREE_EV_FORK, z1);
	EXPECT_BEFORE(NSTREE_EV_REAP, x, NSTREE_EV_FORK, z2);
}

static void *thread_exit(void *arg)
{
	(void)arg;
	return NULL;
}

/*
 * A process whose thread T ended (pthread_join() returned) tells the
 * forker, which forks Z: T's EXIT before Z's FORK.
 */
TEST_F(order, causal_join_then_fork)
{
	struct forker f;
	int p[2], s, i, a, b;
	pid_t x, z;

	ASSERT_EQ(0, forker_start(&f));
	ASSERT_EQ(0, pipe(p));
	x = fork();
	ASSERT_LE(0, x);
	if (x == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_exit, NULL) ||
		    pthread_join(t, NULL))
			_exit(98);
		nst_send_byte(p[1]);
		_exit(0);
	}
	z = hand_on(self, &f, p[0], x);
	ASSERT_LT(0, z);
	/* The thread's EXIT: the EXIT about X that names a thread. */
	for (s = 0; s < NSUBS; s++) {
		const struct nst_evlog *l = &self->log[s];

		if (!wants(s, NSTREE_EV_EXIT))
			continue;
		a = -1;
		for (i = 0; i < (int)l->n; i++)
			if (l->ev[i].type == NSTREE_EV_EXIT &&
			    l->ev[i].proc.pid == (uint32_t)x &&
			    l->ev[i].proc.tid && l->ev[i].proc.tid != (uint32_t)x)
				a = i;
		b = nst_ev_find(l, 0, NSTREE_EV_FORK, z);
		EXPECT_LE(0, a) TH_LOG("subscriber %d: no thread EXIT", s);
		EXPECT_LT(a, b) TH_LOG("subscriber %d: thread EXIT at %d, FORK of %d at %d",
				       s, a, (int)z, b);
	}
	close(p[0]);
	close(p[1]);
}

/* ---- Storm ---- */

/*
 * One worker: @iters times, fork C, which forks G and exits at once; G
 * exits (or, one in eight, execs first). A worker that ignores SIGCHLD
 * waits for nobody: its C are autoreaped, and so are G that die before
 * their C. The others wait for each C before forking the next. G left
 * alive by C go to the test process, a subreaper.
 */
static void worker(int cpu, int ignore, int iters)
{
	cpu_set_t set;
	pid_t c, g;
	int i;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* one CPU: fine */
	if (ignore)
		signal(SIGCHLD, SIG_IGN);
	for (i = 0; i < iters; i++) {
		c = fork();
		if (c < 0)
			_exit(98);
		if (c == 0) {
			g = fork();
			if (g == 0) {
				if (i % 8 == 0)
					exec_me("");
				_exit(0);
			}
			_exit(g < 0 ? 97 : 0);
		}
		if (!ignore && waitpid(c, NULL, 0) != c)
			_exit(96);
	}
	_exit(0);
}

struct reader {
	FIXTURE_DATA(order) *self;
	volatile int stop;
	int err;
};

/* Read every subscriber while the storm runs, so no ring overflows. */
static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	struct pollfd pfd[NSUBS];
	int s, err;

	for (s = 0; s < NSUBS; s++)
		pfd[s] = (struct pollfd){
			.fd = nst_event_fd(&r->self->c[s]), .events = POLLIN };
	while (!r->stop) {
		if (poll(pfd, NSUBS, 100) < 0 && errno != EINTR) {
			r->err = -errno;
			return NULL;
		}
		for (s = 0; s < NSUBS; s++) {
			err = nst_ev_wait(&r->self->c[s], &r->self->log[s],
					  NULL, NULL, 0);
			if (err) {
				r->err = err;
				return NULL;
			}
		}
	}
	return NULL;
}

/* One event, as every subscriber names it. */
struct key {
	uint64_t time, start;
	uint32_t type, pid, tid;
	int at;			/* its index in its subscriber's log */
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return 0;
}

static struct key key_of(const struct nst_event *e, int at)
{
	return (struct key){
		.time = e->time, .start = e->proc.start_time,
		.type = e->type, .pid = e->proc.pid, .tid = e->proc.tid,
		.at = at,
	};
}

/* The events of @l whose type @s0 wants too, sorted by key. */
static struct key *keys_of(const struct nst_evlog *l, int s0, size_t *n)
{
	struct key *k = calloc(l->n + 1, sizeof(*k));
	size_t i;

	*n = 0;
	for (i = 0; k && i < l->n; i++)
		if (wants(s0, l->ev[i].type))
			k[(*n)++] = key_of(&l->ev[i], i);
	if (k)
		qsort(k, *n, sizeof(*k), key_cmp);
	return k;
}

/* Index in @l of the event of @type about the process (@pid, @start). */
static int find_proc(const struct nst_evlog *l, uint32_t type, uint32_t pid,
		     uint64_t start)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->ev[i].type == type && l->ev[i].proc.pid == pid &&
		    l->ev[i].proc.start_time == start)
			return i;
	return -1;
}

static int find_zombie(const struct nst_evlog *l, uint32_t pid, uint64_t start)
{
	int z = find_proc(l, NSTREE_EV_ZOMBIE, pid, start);

	return z >= 0 ? z : find_proc(l, NSTREE_EV_AUTOREAP, pid, start);
}

TEST_F_TIMEOUT(order, storm, 90)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), nworkers = 4;
	int iters = nst_scale_small() ? 30 : 60;
	size_t n0, n, i, j, checked = 0, kin = 0, overlap;
	struct reader r = { .self = self };
	int s, k, a, b, bad, st;
	unsigned long inv;
	pid_t w[4], p;
	pthread_t th;
	struct key *k0, *ks;
	const struct nst_evlog *l;

	ASSERT_EQ(0, pthread_create(&th, NULL, reader_fn, &r));
	for (k = 0; k < nworkers; k++) {
		w[k] = fork();
		ASSERT_LE(0, w[k]);
		if (w[k] == 0)
			worker(k / 2 % (ncpu > 0 ? ncpu : 1), k & 1, iters);
	}
	/* Reap the workers, and every G that came to us. */
	for (;;) {
		p = waitpid(-1, &st, 0);
		if (p < 0)
			break;
		for (k = 0; k < nworkers; k++)
			if (p == w[k])
				EXPECT_EQ(0, st) TH_LOG("worker %d: %#x", k, st);
	}
	ASSERT_EQ(ECHILD, errno);
	r.stop = 1;
	pthread_join(th, NULL);
	ASSERT_EQ(0, r.err) TH_LOG("reading: %s", strerror(-r.err));
	ASSERT_EQ(0, barrier(self));

	/* 1. Every subscriber got the same events (those it wants). */
	k0 = keys_of(&self->log[0], 0, &n0);
	ASSERT_NE(NULL, k0);
	for (s = 1; s < NSUBS; s++) {
		struct key *a0 = keys_of(&self->log[0], s, &n);

		ks = keys_of(&self->log[s], s, &j);
		ASSERT_NE(NULL, a0);
		ASSERT_NE(NULL, ks);
		EXPECT_EQ(n, j) TH_LOG("subscriber %d: %zu events, 0: %zu",
				      s, j, n);
		for (i = 0; i < n && i < j; i++)
			if (key_cmp(&a0[i], &ks[i]))
				break;
		EXPECT_EQ(n < j ? n : j, i)
			TH_LOG("subscriber %d: event %zu differs from 0's", s, i);
		free(a0);
		free(ks);
	}

	/* 2. REPARENT, ZOMBIE, AUTOREAP, REAP: one order for all. */
	for (s = 1; s < NSUBS; s++) {
		const struct nst_evlog *l0 = &self->log[0];

		l = &self->log[s];
		i = j = 0;
		bad = 0;
		for (;;) {
			while (i < l0->n && !is_kin(l0->ev[i].type))
				i++;
			while (j < l->n && !is_kin(l->ev[j].type))
				j++;
			if (i == l0->n || j == l->n)
				break;
			if (!wants(s, l0->ev[i].type)) {
				i++;
				continue;
			}
			struct key x = key_of(&l0->ev[i], i);
			struct key y = key_of(&l->ev[j], j);

			if (key_cmp(&x, &y)) {
				bad = 1;
				break;
			}
			if (s == 1)
				kin++;
			i++;
			j++;
		}
		EXPECT_EQ(0, bad)
			TH_LOG("subscriber %d: kin event %zu of 0 is %u of %u, %zu of %d is %u of %u",
			       s, i, l0->ev[i].type, l0->ev[i].proc.pid, j, s,
			       l->ev[j].type, l->ev[j].proc.pid);
	}
	ASSERT_LT(0, kin);

	/* 3. The causal order, in every subscriber. */
	for (s = 0; s < NSUBS; s++) {
		l = &self->log[s];
		for (i = 0; i < l->n; i++) {
			const struct nst_event *e = &l->ev[i];

			if (e->type != NSTREE_EV_FORK || e->thread)
				continue;
			/* Its parent's FORK first (C's, for a G). */
			if (wants(s, NSTREE_EV_FORK) && e->parent.present) {
				a = find_proc(l, NSTREE_EV_FORK, e->parent.pid,
					      e->parent.start_time);
				if (a >= 0) {
					EXPECT_LT(a, (int)i)
						TH_LOG("subscriber %d: FORK of %u at %d after its child's at %zu",
						       s, e->parent.pid, a, i);
					checked++;
				}
			}
			/* A G's REPARENT before its C's ZOMBIE or AUTOREAP. */
			a = find_proc(l, NSTREE_EV_REPARENT, e->proc.pid,
				      e->proc.start_time);
			if (a >= 0 && e->parent.present &&
			    wants(s, NSTREE_EV_REPARENT)) {
				b = find_zombie(l, e->parent.pid,
						e->parent.start_time);
				EXPECT_LT(a, b)
					TH_LOG("subscriber %d: REPARENT of %u at %d, its parent's ZOMBIE at %d",
					       s, e->proc.pid, a, b);
				checked++;
			}
		}
		/* A waiting worker: REAP of each C before FORK of the next. */
		if (!wants(s, NSTREE_EV_FORK) || !wants(s, NSTREE_EV_REAP))
			continue;
		for (k = 0; k < nworkers; k += 2) {
			const struct nst_event *prev = NULL;

			for (i = 0; i < l->n; i++) {
				const struct nst_event *e = &l->ev[i];

				if (e->type != NSTREE_EV_FORK ||
				    e->parent.pid != (uint32_t)w[k])
					continue;
				if (prev) {
					a = find_proc(l, NSTREE_EV_REAP,
						      prev->proc.pid,
						      prev->proc.start_time);
					EXPECT_LE(0, a);
					EXPECT_LT(a, (int)i)
						TH_LOG("subscriber %d: worker %d forked %u at %zu before %u's REAP at %d",
						       s, k, e->proc.pid, i,
						       prev->proc.pid, a);
					checked++;
				}
				prev = e;
			}
		}
	}

	/*
	 * 4. Figures. How many pairs of events subscriber 1 got in the
	 * opposite order to 0 (only FORK, EXEC or EXIT of processes side by
	 * side can be), and how many events 0 got before one stamped
	 * earlier: an event's time is read as the hook starts, so those
	 * were queued while another hook was queueing.
	 */
	ks = keys_of(&self->log[1], 1, &n);
	ASSERT_NE(NULL, ks);
	ASSERT_EQ(n0, n);
	{
		int *pos = calloc(n0, sizeof(*pos));

		ASSERT_NE(NULL, pos);
		/* pos[index in log 0] = index in log 1 */
		for (i = 0; i < n0; i++)
			pos[k0[i].at] = ks[i].at;
		inv = 0;
		for (i = 0; i < n0; i++)
			for (j = i + 1; j < n0; j++)
				inv += pos[i] > pos[j];
		free(pos);
	}
	l = &self->log[0];
	for (i = 1, overlap = 0; i < l->n; i++)
		overlap += l->ev[i].time < l->ev[i - 1].time;
	ksft_print_msg("storm: %d workers on %d CPUs; %zu events each for subscribers 0 and 1, %zu of them REPARENT, ZOMBIE, AUTOREAP or REAP, in one order for all four; %zu causal pairs checked; %zu events queued after one stamped later; %lu pairs in opposite orders for 0 and 1\n",
		       nworkers, ncpu, n0, kin, checked, overlap, inv);
	EXPECT_LT(0, checked);
	free(k0);
	free(ks);
}

TEST_HARNESS_MAIN
