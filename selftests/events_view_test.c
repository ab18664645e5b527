// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream as a subscriber sees it: from inside a namespace,
 * without privilege, with bad requests; through 'nstree watch' next to
 * forkstat. What it costs the fork path is make bench's
 * (selftests/events_bench.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib.h"
#include "procfs.h"

static unsigned int self_ns_inum(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) ? 0 : (unsigned int)st.st_ino;
}

struct ns_view {
	int err;
	int n;			/* events received */
	int outside;		/* events naming a process outside our view */
	int fork_nspid_len;	/* of our child's FORK */
	uint32_t fork_pid, fork_parent, reap_by;
	char seq[256];
};

static int have_reap(const struct nst_evlog *log, void *arg)
{
	return nst_ev_find(log, 0, NSTREE_EV_REAP, *(pid_t *)arg) >= 0;
}

static int subscriber_in_ns(void *buf, size_t len)
{
	struct ns_view *v = buf;
	unsigned int inum = self_ns_inum();
	struct nst_evlog log = { 0 };
	struct nst_conn c;
	size_t i;
	pid_t x;
	int k;

	(void)len;
	memset(v, 0, sizeof(*v));
	v->err = nst_ev_subscribe(&c, NULL);
	if (v->err)
		return 1;
	x = fork();
	if (x == 0)
		_exit(0);
	waitpid(x, NULL, 0);
	v->err = nst_ev_wait(&c, &log, have_reap, &x, 20000);
	v->n = log.n;
	for (i = 0; i < log.n; i++) {
		const struct nst_event *e = &log.ev[i];
		const struct nst_ev_proc *p[] = {
			&e->proc, &e->parent, &e->old_parent, &e->reaper,
		};

		for (k = 0; k < 4; k++)
			if (p[k]->present && (p[k]->pidns_inum != inum ||
					      p[k]->nspid_len != 1))
				v->outside++;
		if (e->type == NSTREE_EV_FORK && e->proc.pid == (uint32_t)x) {
			v->fork_pid = e->proc.pid;
			v->fork_nspid_len = e->proc.nspid_len;
			v->fork_parent = e->parent.pid;
		}
		if (e->type == NSTREE_EV_REAP && e->proc.pid == (uint32_t)x)
			v->reap_by = e->reaper.pid;
	}
	nst_ev_seq(&log, x, v->seq, sizeof(v->seq));
	nst_close(&c);
	nst_evlog_free(&log);
	return 0;
}

/*
 * A subscriber inside a new PID namespace sees its own processes with
 * their PIDs there, and nothing of the host, busy as the host may be.
 */
TEST(subscriber_in_child_ns)
{
	struct ns_view v;
	pid_t noise;

	noise = fork();
	ASSERT_LE(0, noise);
	if (noise == 0) {
		for (;;)
			if (fork() == 0)
				_exit(0);
			else
				wait(NULL);
	}
	ASSERT_EQ(0, nst_run_in_child(CLONE_NEWPID, subscriber_in_ns, &v,
				      sizeof(v)));
	kill(noise, SIGKILL);
	waitpid(noise, NULL, 0);
	EXPECT_EQ(0, v.err) TH_LOG("%s", strerror(-v.err));
	EXPECT_STREQ("fork,exit,zombie,reap", v.seq);
	EXPECT_EQ(2, v.fork_pid);
	EXPECT_EQ(1, v.fork_nspid_len);
	EXPECT_EQ(1, v.fork_parent);
	EXPECT_EQ(1, v.reap_by);
	EXPECT_EQ(0, v.outside) TH_LOG("%d events of %d name the host", v.outside,
				       v.n);
}

/* ---- Reasons about what a subscriber cannot see ---- */

/* What N's init, subscribed inside N, got about X (PID 2 there). */
struct hidden_view {
	int err;
	int reparent, reparent_reason, reparent_roles;
	int zombie, zombie_parent;
	int reap, reap_reason, reap_reaper;
	int other_reasons;	/* REPARENT/REAP events in N with a REASON */
};

static int have_reap_2(const struct nst_evlog *log, void *arg)
{
	(void)arg;
	return nst_ev_find(log, 0, NSTREE_EV_REAP, 2) >= 0;
}

/* N's init: subscribe, say so on @ready, report on @res what came about X. */
static void hidden_init(int ready, int res)
{
	struct nst_evlog log = { 0 };
	struct hidden_view v = { 0 };
	struct nst_conn c;
	size_t i;

	v.err = nst_ev_subscribe(&c, NULL);
	nst_send_byte(ready);
	if (!v.err)
		v.err = nst_ev_wait(&c, &log, have_reap_2, NULL, 60000);
	for (i = 0; i < log.n; i++) {
		const struct nst_event *e = &log.ev[i];

		if ((e->type == NSTREE_EV_REPARENT || e->type == NSTREE_EV_REAP) &&
		    e->reason)
			v.other_reasons++;
		if (e->proc.pid != 2)
			continue;
		switch (e->type) {
		case NSTREE_EV_REPARENT:
			v.reparent++;
			v.reparent_reason = e->reason;
			v.reparent_roles = e->parent.present + e->old_parent.present;
			break;
		case NSTREE_EV_ZOMBIE:
		case NSTREE_EV_AUTOREAP:
			v.zombie = e->type;
			v.zombie_parent = e->parent.present;
			break;
		case NSTREE_EV_REAP:
			v.reap++;
			v.reap_reason = e->reason;
			v.reap_reaper = e->reaper.present;
			break;
		}
	}
	if (write(res, &v, sizeof(v)) != sizeof(v))
		_exit(99);
	_exit(0);
}

/*
 * An orphan of a new PID namespace N adopted by a subreaper outside it
 * (T, this test): N's subscriber sees the adoption and the reap, but
 * nothing of the adopter, not even whether it is an init or a subreaper
 * (no REASON, as no PARENT or REAPER). Its ZOMBIE keeps its type: that is
 * the process's own state, which /proc in N shows too (Z, or X when the
 * parent does not wait), with no PARENT. A subscriber that sees T (this
 * one, on the host) gets the reasons.
 */
TEST(invisible_reaper_no_reason)
{
	int ready[2], xpid[2], gox[2], res[2];
	struct nst_evlog log = { 0 };
	struct hidden_view v;
	struct nst_conn c;
	pid_t o, x, i_pid;
	int err, st, r, k;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	err = nst_ev_subscribe(&c, NULL);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), c.extack);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(xpid));
	ASSERT_EQ(0, pipe(gox));
	ASSERT_EQ(0, pipe(res));
	o = fork();
	ASSERT_LE(0, o);
	if (o == 0) {
		pid_t ids[2];

		nst_close(&c);
		close(gox[1]);
		if (unshare(CLONE_NEWPID))
			_exit(98);
		ids[0] = fork();
		if (ids[0] == 0)
			hidden_init(ready[1], res[1]);
		close(ready[1]);
		nst_wait_byte(ready[0]);
		ids[1] = fork();
		if (ids[1] == 0) {
			nst_wait_byte(gox[0]);
			_exit(0);
		}
		if (ids[0] < 0 || ids[1] < 0 ||
		    write(xpid[1], ids, sizeof(ids)) != sizeof(ids))
			_exit(97);
		_exit(0);
	}
	close(gox[0]);
	close(ready[1]);
	close(res[1]);
	{
		pid_t ids[2];

		ASSERT_EQ(sizeof(ids), read(xpid[0], ids, sizeof(ids)));
		i_pid = ids[0];
		x = ids[1];
	}
	/* O exits: X and I are T's now. */
	ASSERT_EQ(o, waitpid(o, &st, 0));
	ASSERT_EQ(0, st);
	close(gox[1]);
	ASSERT_EQ(x, waitpid(x, &st, 0));
	r = read(res[0], &v, sizeof(v));
	ASSERT_EQ(i_pid, waitpid(i_pid, &st, 0));
	ASSERT_EQ(sizeof(v), r);
	ASSERT_EQ(0, v.err) TH_LOG("in N: %s", strerror(-v.err));
	EXPECT_EQ(1, v.reparent);
	EXPECT_EQ(0, v.reparent_reason) TH_LOG("REPARENT says %s",
		nst_reparent_reason_name(v.reparent_reason));
	EXPECT_EQ(0, v.reparent_roles);
	EXPECT_EQ(NSTREE_EV_ZOMBIE, v.zombie);
	EXPECT_EQ(0, v.zombie_parent);
	EXPECT_EQ(1, v.reap);
	EXPECT_EQ(0, v.reap_reason) TH_LOG("REAP says %s",
		nst_reap_reason_name(v.reap_reason));
	EXPECT_EQ(0, v.reap_reaper);
	EXPECT_EQ(0, v.other_reasons);

	/* The host's view: the same events, with T and its reasons. */
	ASSERT_EQ(0, nst_ev_wait(&c, &log, have_reap, &x, 20000));
	k = nst_ev_find(&log, 0, NSTREE_EV_REPARENT, x);
	ASSERT_LE(0, k);
	EXPECT_EQ(NSTREE_REPARENT_SUBREAPER, log.ev[k].reason);
	EXPECT_EQ((uint32_t)getpid(), log.ev[k].parent.pid);
	EXPECT_EQ((uint32_t)o, log.ev[k].old_parent.pid);
	EXPECT_EQ(2, log.ev[k].proc.nspid[log.ev[k].proc.nspid_len - 1]);
	k = nst_ev_find(&log, 0, NSTREE_EV_REAP, x);
	ASSERT_LE(0, k);
	EXPECT_EQ(NSTREE_REAP_SUBREAPER, log.ev[k].reason);
	EXPECT_EQ((uint32_t)getpid(), log.ev[k].reaper.pid);
	nst_close(&c);
	nst_evlog_free(&log);
}

/* What N's init, subscribed inside N, got about the FORK of PID 2. */
struct outsider_view {
	int err;
	int fork, parent, has_flags;
};

static int have_fork_2(const struct nst_evlog *log, void *arg)
{
	(void)arg;
	return nst_ev_find(log, 0, NSTREE_EV_FORK, 2) >= 0;
}

static void outsider_init(int ready, int res)
{
	struct outsider_view v = { 0 };
	struct nst_evlog log = { 0 };
	struct nst_conn c;
	size_t i;

	v.err = nst_ev_subscribe(&c, NULL);
	nst_send_byte(ready);
	if (!v.err)
		v.err = nst_ev_wait(&c, &log, have_fork_2, NULL, 60000);
	for (i = 0; i < log.n; i++) {
		const struct nst_event *e = &log.ev[i];

		if (e->type != NSTREE_EV_FORK || e->proc.pid != 2)
			continue;
		v.fork++;
		v.parent = e->parent.present;
		v.has_flags = e->has_clone_flags;
	}
	if (write(res, &v, sizeof(v)) != sizeof(v))
		_exit(99);
	_exit(0);
}

static int outsider_fork_index(const struct nst_evlog *log, pid_t parent)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].type == NSTREE_EV_FORK &&
		    log->ev[i].parent.pid == (uint32_t)parent)
			return i;
	return -1;
}

static int have_outsider_fork(const struct nst_evlog *log, void *arg)
{
	return outsider_fork_index(log, *(pid_t *)arg) >= 0;
}

/*
 * X, outside a new PID namespace N, joins it with setns() and forks G
 * (PID 2 in N). N's subscriber sees G's FORK, but neither X nor how X
 * called clone(): no PARENT, no CLONE_FLAGS. The host's subscriber gets
 * both.
 */
TEST(outsider_fork_no_clone_flags)
{
	struct nst_evlog log = { 0 };
	struct outsider_view v;
	int ready[2], res[2];
	struct nst_conn c;
	int err, fd, st, r, k;
	char path[64];
	pid_t init, x;

	err = nst_ev_subscribe(&c, NULL);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), c.extack);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(res));
	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0) {
		nst_close(&c);
		close(ready[0]);
		close(res[0]);
		outsider_init(ready[1], res[1]);
	}
	close(ready[1]);
	close(res[1]);
	ASSERT_EQ(0, nst_wait_byte(ready[0]));
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	x = fork();
	ASSERT_LE(0, x);
	if (x == 0) {
		pid_t g;

		nst_close(&c);
		if (setns(fd, CLONE_NEWPID))
			_exit(98);
		g = fork();
		if (g == 0)
			_exit(0);
		_exit(g > 0 && waitpid(g, NULL, 0) == g ? 0 : 97);
	}
	close(fd);
	ASSERT_EQ(x, waitpid(x, &st, 0));
	ASSERT_EQ(0, st);
	r = read(res[0], &v, sizeof(v));
	ASSERT_EQ(init, waitpid(init, &st, 0));
	ASSERT_EQ(sizeof(v), r);
	ASSERT_EQ(0, v.err) TH_LOG("in N: %s", strerror(-v.err));
	EXPECT_EQ(1, v.fork);
	EXPECT_EQ(0, v.parent);
	EXPECT_EQ(0, v.has_flags);

	ASSERT_EQ(0, nst_ev_wait(&c, &log, have_outsider_fork, &x, 20000));
	k = outsider_fork_index(&log, x);
	ASSERT_LE(0, k);
	EXPECT_TRUE(log.ev[k].has_clone_flags);
	EXPECT_EQ(2, log.ev[k].proc.nspid[log.ev[k].proc.nspid_len - 1]);
	nst_close(&c);
	nst_evlog_free(&log);
}

static int have_two_reaps(const struct nst_evlog *log, void *arg)
{
	const pid_t *p = arg;

	return nst_ev_find(log, 0, NSTREE_EV_REAP, p[0]) >= 0 &&
	       nst_ev_find(log, 0, NSTREE_EV_REAP, p[1]) >= 0;
}

/*
 * Processes the module learnt when tracking started, origin unknown: X,
 * adopted by the subreaper T before anyone subscribed, reaped after (the
 * module cannot tell an adopted child from T's own: no REASON); Z, the
 * child of a process P that is neither an init nor a subreaper, which
 * only its own children can be (parent). The module is loaded again first,
 * so no tracking lingers from an earlier subscriber.
 */
TEST(adopted_before_subscribing)
{
	const char *ko = getenv("NSTREE_KO");
	struct nst_evlog log = { 0 };
	int xpid[2], gox[2], err, st, k;
	struct nst_conn c;
	pid_t m, p, ids[2];
	char out[512];

	if (!ko || access(ko, R_OK))
		SKIP(return, "NSTREE_KO does not name a readable nstree.ko");
	ASSERT_EQ(0, nst_sh(out, sizeof(out), "rmmod nstree && insmod '%s'", ko))
		TH_LOG("reloading the module: %s", out);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_EQ(0, pipe(xpid));
	ASSERT_EQ(0, pipe(gox));
	/* M forks X and exits: T adopts X, with no subscriber. */
	m = fork();
	ASSERT_LE(0, m);
	if (m == 0) {
		pid_t x = fork();

		if (x == 0) {
			close(gox[1]);
			nst_wait_byte(gox[0]);
			_exit(0);
		}
		if (x < 0 || write(xpid[1], &x, sizeof(x)) != sizeof(x))
			_exit(97);
		_exit(0);
	}
	ASSERT_EQ(sizeof(ids[0]), read(xpid[0], &ids[0], sizeof(ids[0])));
	ASSERT_EQ(m, waitpid(m, &st, 0));
	ASSERT_EQ(0, st);
	/* P forks Z and waits for it. */
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		pid_t z = fork();

		close(gox[1]);
		if (z == 0) {
			nst_wait_byte(gox[0]);
			_exit(0);
		}
		if (z < 0 || write(xpid[1], &z, sizeof(z)) != sizeof(z))
			_exit(97);
		_exit(waitpid(z, NULL, 0) == z ? 0 : 96);
	}
	ASSERT_EQ(sizeof(ids[1]), read(xpid[0], &ids[1], sizeof(ids[1])));
	err = nst_ev_subscribe(&c, NULL);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), c.extack);
	close(gox[1]);
	ASSERT_EQ(ids[0], waitpid(ids[0], &st, 0));
	ASSERT_EQ(p, waitpid(p, &st, 0));
	ASSERT_EQ(0, st);
	ASSERT_EQ(0, nst_ev_wait(&c, &log, have_two_reaps, ids, 20000));
	/* No adoption seen: it came before the module watched. */
	EXPECT_EQ(-1, nst_ev_find(&log, 0, NSTREE_EV_REPARENT, ids[0]));
	k = nst_ev_find(&log, 0, NSTREE_EV_REAP, ids[0]);
	EXPECT_EQ((uint32_t)getpid(), log.ev[k].reaper.pid);
	EXPECT_EQ(0, log.ev[k].reason) TH_LOG("X's REAP says %s",
		nst_reap_reason_name(log.ev[k].reason));
	k = nst_ev_find(&log, 0, NSTREE_EV_REAP, ids[1]);
	EXPECT_EQ((uint32_t)p, log.ev[k].reaper.pid);
	EXPECT_EQ(NSTREE_REAP_PARENT, log.ev[k].reason) TH_LOG("Z's REAP says %s",
		nst_reap_reason_name(log.ev[k].reason));
	nst_close(&c);
	nst_evlog_free(&log);
}

/* ---- The whole exec file name ---- */

static int have_exec(const struct nst_evlog *log, void *arg)
{
	return nst_ev_find(log, 0, NSTREE_EV_EXEC, *(pid_t *)arg) >= 0;
}

/* Copy the file @from to @name in @dfd, executable. */
static int copy_exec(const char *from, int dfd, const char *name)
{
	int in = open(from, O_RDONLY), out;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -1;
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

/*
 * execveat() with a directory and a relative name: the kernel runs
 * "/dev/fd/N/NAME", which with a NAME near PATH_MAX is longer than
 * PATH_MAX. The EXEC carries all of it.
 */
TEST(exec_longest_name)
{
	static char rel[PATH_MAX], want[PATH_MAX + 64];
	char base[] = "/tmp/nstree-exec-XXXXXX", comp[251];
	char *const argv[] = { "true", NULL }, *const envp[] = { NULL };
	struct nst_evlog log = { 0 };
	int dfd, dirs[17], i, err, st, k;
	struct nst_conn c;
	size_t len = 0;
	pid_t x;

	ASSERT_NE(NULL, mkdtemp(base));
	dfd = open(base, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	memset(comp, 'd', sizeof(comp) - 1);
	comp[sizeof(comp) - 1] = '\0';
	/* 16 directories of 250 bytes, then a file: 4,090 bytes in all. */
	dirs[0] = dfd;
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, mkdirat(dirs[i], comp, 0755));
		dirs[i + 1] = openat(dirs[i], comp, O_RDONLY | O_DIRECTORY);
		ASSERT_LE(0, dirs[i + 1]);
		len += snprintf(rel + len, sizeof(rel) - len, "%s/", comp);
	}
	memset(rel + len, 'f', 4090 - len);
	rel[4090] = '\0';
	ASSERT_EQ(0, copy_exec("/bin/true", dirs[16], rel + len));
	snprintf(want, sizeof(want), "/dev/fd/%d/%s", dfd, rel);
	ASSERT_LT(PATH_MAX, (int)strlen(want));

	err = nst_ev_subscribe(&c, NULL);
	ASSERT_EQ(0, err) TH_LOG("%s (%s)", strerror(-err), c.extack);
	x = fork();
	ASSERT_LE(0, x);
	if (x == 0) {
		syscall(SYS_execveat, dfd, rel, argv, envp, 0);
		_exit(127);
	}
	ASSERT_EQ(x, waitpid(x, &st, 0));
	ASSERT_EQ(0, st) TH_LOG("execveat failed");
	ASSERT_EQ(0, nst_ev_wait(&c, &log, have_exec, &x, 20000));
	k = nst_ev_find(&log, 0, NSTREE_EV_EXEC, x);
	EXPECT_EQ(strlen(want), strlen(log.ev[k].filename));
	EXPECT_EQ(0, strcmp(want, log.ev[k].filename));
	nst_close(&c);
	nst_evlog_free(&log);
	/* Too deep for a path: removed a level at a time. */
	EXPECT_EQ(0, unlinkat(dirs[16], rel + len, 0));
	for (i = 15; i >= 0; i--) {
		close(dirs[i + 1]);
		EXPECT_EQ(0, unlinkat(dirs[i], comp, AT_REMOVEDIR));
	}
	close(dfd);
	EXPECT_EQ(0, rmdir(base));
}

static int file_has(const char *path, const char *needle)
{
	char buf[65536];

	return proc_read_small(path, buf, sizeof(buf)) > 0 &&
	       strstr(buf, needle) != NULL;
}

static int unprivileged(void *buf, size_t len)
{
	struct nst_conn *c = buf;
	int err;

	(void)len;
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 10;
	err = nst_open(c);
	if (err)
		return 11;
	err = nst_subscribe(c, NULL, NULL);
	nst_close(c);
	return err == -EPERM ? 0 : 12;
}

/* Anyone without CAP_SYS_ADMIN over the namespace is refused, with why. */
TEST(unprivileged_refused)
{
	struct nst_conn c;
	int status;
	pid_t pid;

	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, nst_run_in_child(0, unprivileged, &c, sizeof(c)));
	EXPECT_NE(NULL, strstr(c.extack, "CAP_SYS_ADMIN")) TH_LOG("'%s'", c.extack);
	/* The CLI says so in one line, with the permission exit status. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open("/tmp/unpriv.out", O_WRONLY | O_CREAT | O_TRUNC,
			      0644);

		if (fd < 0 || dup2(fd, 2) < 0 ||
		    setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(126);
		execlp("nstree", "nstree", "watch", "-t", "1", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(3, WEXITSTATUS(status));
	EXPECT_TRUE(file_has("/tmp/unpriv.out", "CAP_SYS_ADMIN"));
}

static int put_u32(struct nl_msg *msg, void *arg)
{
	uint32_t *a = arg;

	return nla_put_u32(msg, a[0], a[1]);
}

static int put_two_ns(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u32(msg, NSTREE_A_SUB_NS_INUM, self_ns_inum()) ?:
	       nla_put_u32(msg, NSTREE_A_SUB_NS_PID, 1);
}

/* Malformed requests: the right code, and a message naming the problem. */
TEST(bad_requests)
{
	struct {
		uint32_t attr, value;
		int err;
		const char *msg;
	} bad[] = {
		{ NSTREE_A_SUB_EVENTS, 1U << 20, -EINVAL, "reserved bit set" },
		{ NSTREE_A_SUB_EVENTS, 1U << (NSTREE_EV_MAX + 1), -EINVAL,
		  "reserved bit set" },
		{ NSTREE_A_SUB_EVENTS, 1U << NSTREE_EV_UNSPEC, -EINVAL,
		  "reserved bit set" },
		{ NSTREE_A_SUB_QUEUE_LEN, 15, -ERANGE, "integer out of range" },
		{ NSTREE_A_SUB_QUEUE_LEN, 65537, -ERANGE, "integer out of range" },
		{ NSTREE_A_SUB_SUBTREE, 0, -ERANGE, "integer out of range" },
		{ NSTREE_A_SUB_SUBTREE, 4194305, -ERANGE, "integer out of range" },
		{ NSTREE_A_SUB_NS_PID, 0, -ERANGE, "integer out of range" },
		{ NSTREE_A_SUB_SUBTREE, 4194304, -ENOENT, "no such process" },
		{ NSTREE_A_SUB_NS_PID, 4194304, -ENOENT, "no such process" },
		{ NSTREE_A_SUB_NS_INUM, 1, -ENOENT, "no such PID namespace" },
		{ NSTREE_A_SUB_PIDNS_INUM, 1, -EINVAL, "reply-only" },
	};
	struct nst_conn c;
	uint32_t a[2];
	size_t i;

	ASSERT_EQ(0, nst_open(&c));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a[0] = bad[i].attr;
		a[1] = bad[i].value;
		EXPECT_EQ(bad[i].err, nst_send(&c, NSTREE_CMD_SUBSCRIBE, 0,
					       put_u32, a)) TH_LOG("case %zu", i);
		EXPECT_NE(NULL, strstr(c.extack, bad[i].msg))
			TH_LOG("case %zu: '%s'", i, c.extack);
	}
	EXPECT_EQ(-EINVAL, nst_send(&c, NSTREE_CMD_SUBSCRIBE, 0, put_two_ns,
				    NULL));
	EXPECT_NE(NULL, strstr(c.extack, "one way")) TH_LOG("'%s'", c.extack);
	EXPECT_EQ(-ENOENT, nst_send(&c, NSTREE_CMD_UNSUBSCRIBE, 0, NULL, NULL));
	EXPECT_NE(NULL, strstr(c.extack, "not subscribed"));
	a[0] = NSTREE_A_SUB_QUEUE_LEN;
	a[1] = 64;
	EXPECT_EQ(-EINVAL, nst_send(&c, NSTREE_CMD_UNSUBSCRIBE, 0, put_u32, a));
	EXPECT_NE(NULL, strstr(c.extack, "takes no attribute"))
		TH_LOG("'%s'", c.extack);
	nst_close(&c);

	/* Twice on one socket: busy. Unsubscribe, then once more is fine. */
	ASSERT_EQ(0, nst_ev_subscribe(&c, NULL));
	EXPECT_EQ(-EBUSY, nst_subscribe(&c, NULL, NULL));
	EXPECT_NE(NULL, strstr(c.extack, "already subscribed"));
	EXPECT_EQ(0, nst_unsubscribe(&c)) TH_LOG("%s", c.extack);
	EXPECT_EQ(0, nst_subscribe(&c, NULL, NULL)) TH_LOG("%s", c.extack);
	nst_close(&c);
}

/* Start @argv with stdout to @path; returns its PID. */
static pid_t spawn_to(const char *path, char *const argv[])
{
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

struct counts {
	int fork, exec, exit;
};

/*
 * forkstat: "HH:MM:SS fork  PID child ...", "exec PID", "exit PID ...":
 * the events of PIDs from @from on (or of @from alone when @only).
 */
static void count_forkstat(const char *path, pid_t from, int only,
			   struct counts *n)
{
	char line[8192], ev[16], info[16];
	FILE *f = fopen(path, "r");
	int pid;

	memset(n, 0, sizeof(*n));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		info[0] = '\0';
		if (sscanf(line, "%*s %15s %d %15s", ev, &pid, info) < 2 ||
		    pid < from || (only && pid != from))
			continue;
		if (!strcmp(ev, "fork") && !strcmp(info, "child"))
			n->fork++;
		else if (!strcmp(ev, "exec"))
			n->exec++;
		else if (!strcmp(ev, "exit"))
			n->exit++;
	}
	fclose(f);
}

/* nstree watch -J: {"seq":..,"type":"fork","proc":{"pid":N,... */
static void count_nstree(const char *path, pid_t from, struct counts *n)
{
	char line[8192], *t, *p;
	FILE *f = fopen(path, "r");
	int pid;

	memset(n, 0, sizeof(*n));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		t = strstr(line, "\"type\":\"");
		p = strstr(line, "\"proc\":{\"pid\":");
		if (!t || !p || sscanf(p, "\"proc\":{\"pid\":%d", &pid) != 1 ||
		    pid < from)
			continue;
		t += strlen("\"type\":\"");
		if (!strncmp(t, "fork\"", 5) && !strstr(line, "\"thread\":true"))
			n->fork++;
		else if (!strncmp(t, "exec\"", 5))
			n->exec++;
		else if (!strncmp(t, "exit\"", 5))
			n->exit++;
	}
	fclose(f);
}

/*
 * The same workload seen by nstree watch and by forkstat (the proc
 * connector) in the same guest: the same fork, exec and exit counts.
 */
TEST(same_counts_as_forkstat)
{
	char *fs_argv[] = { "forkstat", "-l", "-e", "fork,exec,exit", NULL };
	char *nw_argv[] = { "nstree", "watch", "-J", "-e", "fork,exec,exit",
			    NULL };
	struct counts fs, nw;
	pid_t fsp, nwp, w, probe;
	int i;

	if (access("/usr/bin/forkstat", X_OK))
		SKIP(return, "forkstat is not installed in this guest");
	fsp = spawn_to("/tmp/forkstat.out", fs_argv);
	nwp = spawn_to("/tmp/nstree.out", nw_argv);
	ASSERT_LT(0, fsp);
	ASSERT_LT(0, nwp);
	/* Both listen once both have seen a probe process exit. */
	for (i = 0; i < 100; i++) {
		char want[64];

		probe = fork();
		if (probe == 0)
			_exit(0);
		waitpid(probe, NULL, 0);
		usleep(100000);
		snprintf(want, sizeof(want), "\"pid\":%d,", probe);
		count_forkstat("/tmp/forkstat.out", probe, 1, &fs);
		if (file_has("/tmp/nstree.out", want) && fs.exit)
			break;
	}
	ASSERT_GT(100, i) TH_LOG("the listeners did not start");

	w = fork();
	ASSERT_LE(0, w);
	if (w == 0) {
		execl("/bin/sh", "sh", "-c",
		      "i=0; while [ $i -lt 40 ]; do /bin/true; i=$((i+1)); done; "
		      "sh -c 'exit 3'; (sleep 0.1 &) ; wait", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(w, waitpid(w, NULL, 0));
	/*
	 * The subshell's sleep outlives the workload's shell. Each listener
	 * has told the whole workload once it has told as many exits as
	 * forks from PID w on: until w's own exit, w is one fork more, and
	 * after it, the sleep, forked before it, is, until its exit.
	 */
	for (i = 0; i < 600; i++) {
		count_forkstat("/tmp/forkstat.out", w, 0, &fs);
		count_nstree("/tmp/nstree.out", w, &nw);
		if (fs.fork && fs.exit >= fs.fork && nw.fork &&
		    nw.exit >= nw.fork)
			break;
		usleep(50000);
	}
	kill(fsp, SIGINT);
	kill(nwp, SIGINT);
	waitpid(fsp, NULL, 0);
	waitpid(nwp, NULL, 0);

	count_forkstat("/tmp/forkstat.out", w, 0, &fs);
	count_nstree("/tmp/nstree.out", w, &nw);
	EXPECT_GT(600, i) TH_LOG("a listener never told every exit");
	TH_LOG("from PID %d: forkstat %d fork, %d exec, %d exit; nstree %d, %d, %d",
	       w, fs.fork, fs.exec, fs.exit, nw.fork, nw.exec, nw.exit);
	/* 40 x /bin/true, sh -c, a subshell and its sleep, at least. */
	EXPECT_LE(42, nw.fork);
	EXPECT_EQ(fs.fork, nw.fork);
	EXPECT_EQ(fs.exec, nw.exec);
	EXPECT_EQ(fs.exit, nw.exit);
}

/* ---- Names that would drive a terminal ---- */

#define EVIL_FILE "/tmp/\x1b]0;owned\x07\x1b[2J\xc2\x9b\xff"

/* Did the bytes of @path hold any of ESC, BEL or a raw C1/0xff? */
static int file_has_raw_controls(const char *path, size_t *len)
{
	unsigned char buf[65536];
	size_t n, i;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	*len = n;
	for (i = 0; i < n; i++)
		if (buf[i] == 0x1b || buf[i] == 0x07 || buf[i] == 0xff ||
		    (buf[i] == 0xc2 && i + 1 < n && buf[i + 1] == 0x9b))
			return 1;
	return 0;
}

/*
 * A process renames itself and execs a file whose name carries terminal
 * escapes (a window title, clear screen, a C1 CSI, a byte that is not
 * UTF-8): nstree watch, read by root in a terminal, prints them escaped
 * as \xHH, in text and in JSON, and its JSON stays valid UTF-8.
 */
TEST(hostile_names_are_escaped)
{
	const char *modes[] = { "text", "json" };
	char out[64], cmd[256];
	size_t len;
	pid_t loop, nw;
	int m, st;

	unlink(EVIL_FILE);
	ASSERT_EQ(0, symlink("/bin/true", EVIL_FILE));
	for (m = 0; m < 2; m++) {
		/* Execs the file until the watcher has seen one exec and quit. */
		loop = fork();
		ASSERT_LE(0, loop);
		if (loop == 0) {
			prctl(PR_SET_NAME, "\x1b[31mred\x07", 0, 0, 0);
			for (;;) {
				pid_t c = fork();

				if (c == 0) {
					execl(EVIL_FILE, EVIL_FILE, (char *)NULL);
					_exit(127);
				}
				waitpid(c, NULL, 0);
			}
		}
		snprintf(out, sizeof(out), "/tmp/evil-%s.out", modes[m]);
		snprintf(cmd, sizeof(cmd), "%d", loop);
		{
			char *argv[] = { "nstree", "watch", "-e", "fork,exec",
					 "-c", "2", "-s", cmd,
					 m ? "-J" : NULL, NULL };

			nw = spawn_to(out, argv);
		}
		ASSERT_LT(0, nw);
		ASSERT_EQ(nw, waitpid(nw, &st, 0));
		kill(loop, SIGKILL);
		waitpid(loop, NULL, 0);
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		EXPECT_EQ(0, file_has_raw_controls(out, &len));
		EXPECT_LT(0, len);
		/* A fork by the renamed loop, and an exec of the file. */
		EXPECT_TRUE(file_has(out, m ? "\\u001b[31mred\\u0007" :
					      "\\x1b[31mred\\x07"))
			TH_LOG("%s: the name is not escaped", out);
		EXPECT_TRUE(file_has(out, m ? "[2J\\u009b\\\\xff\"" :
					      "[2J\\xc2\\x9b\\xff"))
			TH_LOG("%s: the file name is not escaped", out);
	}
	unlink(EVIL_FILE);
}

TEST_HARNESS_MAIN
