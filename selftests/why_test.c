// SPDX-License-Identifier: GPL-2.0
/*
 * nstree watch --record and nstree why, in the guest, with the module:
 * the record of a process reparented twice and reaped by a subreaper, of
 * a reused PID, the record's bound, and what a recorder inside a child
 * PID namespace may see.
 *
 * Every test starts a recording watcher and waits until it is subscribed
 * the way run_test does: it reaps a probe child of its own, again and
 * again, until the watcher prints the probe's REAP. Before reading the
 * record, it does that once more (the stream is in order, so everything
 * before the probe's REAP has been taken in), then stops the watcher with
 * SIGTERM, which writes the record a last time and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "json.h"
#include "lib.h"
#include "procfs.h"

struct watcher {
	pid_t pid;
	int out;		/* its stdout */
	char path[64];		/* the record */
	char dir[32];
};

/* A line from @fd into @buf, within @ms; its length (0: none). */
static size_t read_line(int fd, char *buf, size_t size, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;

	buf[0] = '\0';
	while (got + 1 < size && poll(&pfd, 1, ms) > 0) {
		if (read(fd, buf + got, 1) != 1)
			break;
		if (buf[got++] == '\n')
			break;
	}
	buf[got] = '\0';
	return got;
}

/* Start `nstree watch -J -e reap --record=PATH [extra]` in a new directory. */
static int watcher_start(struct watcher *w, const char *extra)
{
	char rec[96];
	int out[2];

	if (!w->dir[0]) {
		snprintf(w->dir, sizeof(w->dir), "/tmp/nstree-why-XXXXXX");
		if (!mkdtemp(w->dir))
			return -1;
	}
	snprintf(w->path, sizeof(w->path), "%s/record", w->dir);
	snprintf(rec, sizeof(rec), "--record=%s", w->path);
	if (pipe2(out, O_CLOEXEC))
		return -1;
	w->pid = fork();
	if (w->pid < 0)
		return -1;
	if (w->pid == 0) {
		dup2(out[1], 1);
		if (extra)
			execlp("nstree", "nstree", "watch", "-J", "-e", "reap",
			       rec, extra, (char *)NULL);
		else
			execlp("nstree", "nstree", "watch", "-J", "-e", "reap",
			       rec, (char *)NULL);
		_exit(121);
	}
	close(out[1]);
	w->out = out[0];
	return 0;
}

/*
 * Reap a probe child, then read the watcher's lines until its REAP; @tries
 * probes, each waiting up to @ms for each line. 0 when the watcher told one.
 */
static int watcher_probe(struct watcher *w, int tries, int ms)
{
	char want[48], line[4096];
	pid_t probe;
	int i, k;

	for (i = 0; i < tries; i++) {
		probe = fork();
		if (probe < 0)
			return -1;
		if (probe == 0)
			_exit(0);
		if (waitpid(probe, NULL, 0) != probe)
			return -1;
		snprintf(want, sizeof(want), "\"proc\":{\"pid\":%d,", probe);
		/* Until the probe's line, after the events before it. */
		for (k = 0; k < 10000; k++) {
			if (!read_line(w->out, line, sizeof(line), ms))
				break;
			if (strstr(line, want))
				return 0;
		}
	}
	return -1;
}

/* SIGTERM, and its exit status (0: it wrote the record and ended well). */
static int watcher_stop(struct watcher *w)
{
	char junk[4096];
	int st;

	kill(w->pid, SIGTERM);
	while (read(w->out, junk, sizeof(junk)) > 0)
		;
	close(w->out);
	if (waitpid(w->pid, &st, 0) != w->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The record and its directory (the watcher leaves no temporary file). */
static void watcher_clean(struct watcher *w)
{
	unlink(w->path);
	rmdir(w->dir);
}

/* `nstree why -J PID --record=...`, parsed; NULL with a reason logged. */
static struct json *why_json(struct __test_metadata *_metadata,
			     const struct watcher *w, pid_t pid)
{
	struct cmd_result r;
	char err[256];
	struct json *j;

	nst_cmd(&r, "nstree why -J --record=%s %d", w->path, pid);
	if (r.status) {
		TH_LOG("why %d: status %d: %s", pid, r.status, r.err);
		nst_cmd_free(&r);
		return NULL;
	}
	j = json_parse(r.out, err, sizeof(err));
	if (!j)
		TH_LOG("why %d: %s: %s", pid, err, r.out);
	nst_cmd_free(&r);
	return j;
}

/* A recording watcher (@extra: one more option), subscribed. */
static void watcher_up(struct __test_metadata *_metadata, struct watcher *w,
		       const char *extra)
{
	memset(w, 0, sizeof(*w));
	ASSERT_EQ(0, watcher_start(w, extra));
	ASSERT_EQ(0, watcher_probe(w, 30, 1000))
		TH_LOG("the watcher never subscribed");
}

/*
 * Let the watcher take in everything until now, stop it, and ask `nstree
 * why -J` about @pid, which must have had @n lives: the answer (to free),
 * and its "lives" in *@lives.
 */
static struct json *why_lives(struct __test_metadata *_metadata,
			      struct watcher *w, pid_t pid, size_t n,
			      const struct json **lives)
{
	struct json *j;

	ASSERT_EQ(0, watcher_probe(w, 1, 20000)) TH_LOG("the watcher lagged");
	ASSERT_EQ(0, watcher_stop(w));
	j = why_json(_metadata, w, pid);
	ASSERT_NE(NULL, j);
	*lives = json_get(j, "lives");
	ASSERT_NE(NULL, *lives);
	ASSERT_EQ(n, (*lives)->len);
	return j;
}

static long long num(const struct json *j)
{
	return j && j->is_uint ? (long long)j->uint : -1;
}

/* The parent entry's PID, and its reason (or "null"). */
static long long parent_pid(const struct json *p)
{
	return num(json_get(json_get(p, "parent"), "pid"));
}

/*
 * a (subreaper) forks b (subreaper), which forks c, which forks d. c
 * exits: d is adopted by b. b exits: d is adopted by a. Then d exits
 * with 7 and a reaps it. The record says all of it.
 */
struct family {
	pid_t a, b, c, d;
	int status;		/* d's, as a's waitpid() saw it */
};

static void run_family(int report)
{
	int dpid[2], go[2], bc[2];
	struct family f = { 0 };
	char byte = 0;
	pid_t b;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(dpid) || pipe(go) ||
	    pipe(bc))
		_exit(90);
	f.a = getpid();
	f.b = fork();
	if (f.b < 0)
		_exit(91);
	if (f.b == 0) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1))
			_exit(92);
		prctl(PR_SET_NAME, "why_b");
		f.c = fork();
		if (f.c == 0) {
			prctl(PR_SET_NAME, "why_c");
			f.d = fork();
			if (f.d == 0) {
				prctl(PR_SET_NAME, "why_d");
				close(go[1]);
				/* Until a has seen b and c go. */
				if (read(go[0], &byte, 1) != 1)
					_exit(93);
				_exit(7);
			}
			f.c = getpid();
			nst_write_full(dpid[1], &f, sizeof(f));
			_exit(0);
		}
		if (waitpid(f.c, NULL, 0) != f.c)
			_exit(94);
		/* d is b's now; b's end hands it to a. */
		_exit(0);
	}
	close(go[0]);
	close(dpid[1]);
	b = f.b;
	if (nst_read_full(dpid[0], &f, sizeof(f)))
		_exit(95);
	f.a = getpid();
	f.b = b;
	if (waitpid(b, NULL, 0) != b)
		_exit(96);
	/* b is reaped, so d was handed to a before b became a zombie. */
	if (write(go[1], &byte, 1) != 1)
		_exit(97);
	if (waitpid(f.d, &f.status, 0) != f.d)
		_exit(98);
	nst_write_full(report, &f, sizeof(f));
	_exit(0);
}

TEST(reparented_twice_reaped_by_subreaper)
{
	const struct json *life, *parents, *p, *x;
	struct watcher w;
	struct family f;
	int rep[2], st;
	struct json *j;
	pid_t a;

	watcher_up(_metadata, &w, NULL);
	ASSERT_EQ(0, pipe(rep));
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		close(rep[0]);
		prctl(PR_SET_NAME, "why_a");
		run_family(rep[1]);
	}
	close(rep[1]);
	ASSERT_EQ(0, nst_read_full(rep[0], &f, sizeof(f)));
	close(rep[0]);
	ASSERT_EQ(a, waitpid(a, &st, 0));
	ASSERT_EQ(0, st);
	ASSERT_TRUE(WIFEXITED(f.status) && WEXITSTATUS(f.status) == 7);

	j = why_lives(_metadata, &w, f.d, 1, &x);
	life = json_at(x, 0);
	EXPECT_EQ(f.d, num(json_get(j, "pid")));
	ASSERT_NE(NULL, json_get(j, "alive"));
	EXPECT_EQ(JSON_FALSE, json_get(j, "alive")->type);
	EXPECT_TRUE(json_is_str(json_get(life, "comm"), "why_d"));
	EXPECT_EQ(JSON_TRUE, json_get(life, "complete")->type);
	EXPECT_EQ(JSON_STRING, json_get(life, "id")->type);
	parents = json_get(life, "parents");
	ASSERT_NE(NULL, parents);
	ASSERT_EQ(3, parents->len);
	p = json_at(parents, 0);
	EXPECT_EQ(f.c, parent_pid(p));
	EXPECT_TRUE(json_is_str(json_get(p, "reason"), "fork"));
	p = json_at(parents, 1);
	EXPECT_EQ(f.b, parent_pid(p));
	EXPECT_TRUE(json_is_str(json_get(p, "reason"), "subreaper"));
	EXPECT_EQ(f.c, num(json_get(json_get(p, "orphaned_by"), "pid")));
	p = json_at(parents, 2);
	EXPECT_EQ(a, parent_pid(p));
	EXPECT_TRUE(json_is_str(json_get(p, "reason"), "subreaper"));
	EXPECT_EQ(f.b, num(json_get(json_get(p, "orphaned_by"), "pid")));
	EXPECT_TRUE(json_is_str(json_get(json_get(p, "parent"), "comm"),
				"why_a"));
	/* Each adoption after the one before, and the fork before both. */
	EXPECT_LT(num(json_get(json_at(parents, 0), "since")),
		  num(json_get(json_at(parents, 1), "since")));
	EXPECT_LT(num(json_get(json_at(parents, 1), "since")),
		  num(json_get(json_at(parents, 2), "since")));

	x = json_get(life, "exit");
	EXPECT_EQ(f.status, num(json_get(x, "wstatus")));
	EXPECT_EQ(7, num(json_get(x, "code")));
	x = json_get(life, "zombie");
	ASSERT_NE(NULL, x);
	EXPECT_LT(0, num(json_get(x, "time")));
	EXPECT_EQ(a, num(json_get(json_get(x, "parent"), "pid")));
	x = json_get(life, "reap");
	ASSERT_NE(NULL, x);
	EXPECT_EQ(a, num(json_get(json_get(x, "reaper"), "pid")));
	EXPECT_TRUE(json_is_str(json_get(x, "reason"), "subreaper"));
	EXPECT_LE(num(json_get(json_get(life, "zombie"), "time")),
		  num(json_get(x, "time")));
	EXPECT_EQ(num(json_get(x, "time")) -
		  num(json_get(json_get(life, "zombie"), "time")),
		  num(json_get(x, "zombie_ns")));
	json_free(j);
	watcher_clean(&w);
}

/*
 * A parent that ignores SIGCHLD: its child, killed by SIGKILL, is never
 * a zombie; the record has the signal, the AUTOREAP and a REAP by itself.
 */
TEST(killed_and_autoreaped)
{
	const struct json *life, *x;
	struct watcher w;
	int rep[2], st;
	pid_t p, k = 0;
	struct json *j;

	watcher_up(_metadata, &w, NULL);
	ASSERT_EQ(0, pipe(rep));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0) {
		signal(SIGCHLD, SIG_IGN);
		k = fork();
		if (k == 0) {
			prctl(PR_SET_NAME, "why_killed");
			kill(getpid(), SIGKILL);
			_exit(1);
		}
		/* With SIGCHLD ignored, wait() returns once k is released. */
		if (k < 0 || waitpid(k, NULL, 0) != -1 || errno != ECHILD)
			_exit(2);
		nst_write_full(rep[1], &k, sizeof(k));
		_exit(0);
	}
	close(rep[1]);
	ASSERT_EQ(0, nst_read_full(rep[0], &k, sizeof(k)));
	close(rep[0]);
	ASSERT_EQ(p, waitpid(p, &st, 0));
	ASSERT_EQ(0, st);

	j = why_lives(_metadata, &w, k, 1, &x);
	life = json_at(x, 0);
	EXPECT_TRUE(json_is_str(json_get(life, "comm"), "why_killed"));
	x = json_get(life, "exit");
	EXPECT_EQ(SIGKILL, num(json_get(x, "signal")));
	EXPECT_EQ(SIGKILL, num(json_get(x, "wstatus")));
	EXPECT_EQ(JSON_NULL, json_get(x, "code")->type);
	EXPECT_EQ(JSON_NULL, json_get(life, "zombie")->type);
	EXPECT_LT(0, num(json_get(json_get(life, "autoreap"), "time")));
	x = json_get(life, "reap");
	EXPECT_TRUE(json_is_str(json_get(x, "reason"), "self")) TH_LOG("reason");
	EXPECT_EQ(p, parent_pid(json_at(json_get(life, "parents"), 0)));
	json_free(j);
	watcher_clean(&w);
}

/*
 * Wait until the leader has ended (its /proc state is Z, which it is
 * once past exit_notify(), long after the kernel counted it out of the
 * live threads), then _exit(3): the last thread, the one that ends the
 * process, by a group exit.
 */
static void *exit_three(void *arg)
{
	char path[64], buf[256], *r;

	(void)arg;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", getpid(),
		 getpid());
	while (proc_read_small(path, buf, sizeof(buf)) > 0) {
		r = strrchr(buf, ')');
		if (r && r[1] == ' ' && r[2] == 'Z')
			break;
		sched_yield();
	}
	_exit(3);	/* exit_group(): exit() would run the atexit handlers */
}

/*
 * The leader ends first (exit, not exit_group), then another thread calls
 * _exit(3): wait() reports 3, the group's code, not the leader's own 0.
 */
TEST(leader_first_then_group_exit)
{
	const struct json *life, *x;
	struct watcher w;
	struct json *j;
	pthread_t t;
	pid_t k;
	int st;

	watcher_up(_metadata, &w, NULL);
	k = fork();
	ASSERT_LE(0, k);
	if (k == 0) {
		prctl(PR_SET_NAME, "why_threads");
		if (pthread_create(&t, NULL, exit_three, NULL))
			_exit(1);
		/*
		 * The leader's own end, as pthread_exit() would (which needs
		 * libgcc_s to unwind, absent from the guest).
		 */
		syscall(SYS_exit, 0);
	}
	ASSERT_EQ(k, waitpid(k, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3) TH_LOG("status %#x", st);

	j = why_lives(_metadata, &w, k, 1, &x);
	life = json_at(x, 0);
	x = json_get(life, "exit");
	EXPECT_EQ(st, num(json_get(x, "wstatus")));
	EXPECT_EQ(3, num(json_get(x, "code")));
	json_free(j);
	watcher_clean(&w);
}

/* clone3() with set_tid: a child with PID @pid that exits with @code. */
static pid_t child_with_pid(pid_t pid, int code)
{
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uint64_t)(uintptr_t)&pid,
		.set_tid_size = 1,
	};
	pid_t c = syscall(SYS_clone3, &args, sizeof(args));

	if (c == 0)
		_exit(code);
	return c;
}

/* One PID, two processes: two lives, two identities, newest first. */
TEST(reused_pid_two_lives)
{
	const struct json *lives, *l0, *l1;
	struct cmd_result r;
	struct watcher w;
	pid_t pid = 0, c;
	char buf[32];
	struct json *j;
	int st, i;

	watcher_up(_metadata, &w, NULL);
	ASSERT_LT(0, proc_read_small("/proc/sys/kernel/ns_last_pid", buf,
				     sizeof(buf)));
	/* A free PID well ahead of the allocator. */
	for (i = 0, c = -1; i < 100 && c < 0; i++) {
		pid = atoi(buf) + 1000 + i;
		c = child_with_pid(pid, 3);
	}
	ASSERT_EQ(pid, c) TH_LOG("clone3 set_tid: %m");
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(pid, child_with_pid(pid, 4)) TH_LOG("clone3 set_tid: %m");
	ASSERT_EQ(pid, waitpid(pid, &st, 0));

	j = why_lives(_metadata, &w, pid, 2, &lives);
	l0 = json_at(lives, 0);
	l1 = json_at(lives, 1);
	/* Newest first: the one that exited with 4. */
	EXPECT_EQ(4, num(json_get(json_get(l0, "exit"), "code")));
	EXPECT_EQ(3, num(json_get(json_get(l1, "exit"), "code")));
	EXPECT_EQ(pid, num(json_get(l0, "pid")));
	EXPECT_EQ(pid, num(json_get(l1, "pid")));
	ASSERT_EQ(JSON_STRING, json_get(l0, "id")->type);
	ASSERT_EQ(JSON_STRING, json_get(l1, "id")->type);
	EXPECT_STRNE(json_get(l0, "id")->str, json_get(l1, "id")->str);
	EXPECT_LT(num(json_get(l1, "start_time")),
		  num(json_get(l0, "start_time")));
	/* Each reaped by us, its parent. */
	EXPECT_EQ(getpid(), num(json_get(json_get(json_get(l0, "reap"),
						  "reaper"), "pid")));
	EXPECT_TRUE(json_is_str(json_get(json_get(l0, "reap"), "reason"),
				"parent"));
	json_free(j);

	/* The text says the same, each life with its identity. */
	nst_cmd(&r, "nstree why --record=%s %d", w.path, pid);
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.out, "2 ended processes")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "exited with status 4")) TH_LOG("%s", r.out);
	EXPECT_LT(strstr(r.out, "exited with status 4"),
		  strstr(r.out, "exited with status 3")) TH_LOG("%s", r.out);
	nst_cmd_free(&r);
	watcher_clean(&w);
}

/* Lines of the record file that start with "proc\t". */
static int record_procs(const char *path, char *text, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	size_t len = 0;
	int n = 0;

	if (!f)
		return -1;
	text[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "proc\t", 5))
			continue;
		n++;
		if (len + strlen(line) < size) {
			strcpy(text + len, line);
			len += strlen(line);
		}
	}
	fclose(f);
	return n;
}

/* --record-size=3: of 8 ended processes, the newest 3 are kept. */
TEST(bound_keeps_newest)
{
	struct cmd_result r;
	struct watcher w;
	pid_t kids[8];
	char text[8192], want[64];
	const char *p;
	int i, st;

	watcher_up(_metadata, &w, "--record-size=3");
	for (i = 0; i < 8; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0)
			_exit(10 + i);
		ASSERT_EQ(kids[i], waitpid(kids[i], &st, 0));
	}
	ASSERT_EQ(0, watcher_probe(&w, 1, 20000)) TH_LOG("the watcher lagged");
	ASSERT_EQ(0, watcher_stop(&w));

	ASSERT_EQ(3, record_procs(w.path, text, sizeof(text))) TH_LOG("%s", text);
	/* The newest: the probe, then our last two. */
	snprintf(want, sizeof(want), "\tpid=%d\t", kids[7]);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("%s", text);
	snprintf(want, sizeof(want), "\tpid=%d\t", kids[6]);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("%s", text);
	snprintf(want, sizeof(want), "\tpid=%d\t", kids[0]);
	EXPECT_EQ(NULL, strstr(text, want)) TH_LOG("%s", text);
	/* The header counts what went. */
	nst_cmd(&r, "grep '^recorder' %s", w.path);
	EXPECT_NE(NULL, strstr(r.out, "\tsize=3\t")) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, strstr(r.out, "\tdropped=0\t")) TH_LOG("%s", r.out);
	nst_cmd_free(&r);
	/* A dropped one is unknown now: one line, status 4. */
	nst_cmd(&r, "nstree why --record=%s %d", w.path, kids[0]);
	EXPECT_EQ(4, r.status);
	EXPECT_STREQ("", r.out);
	for (i = 0, p = r.err; (p = strchr(p, '\n')); p++)
		i++;
	EXPECT_EQ(1, i) TH_LOG("%s", r.err);
	nst_cmd_free(&r);
	watcher_clean(&w);
}

/*
 * A recorder inside a child PID namespace: what ends outside is not in
 * its record. The namespace's init starts it and syncs with it, tells us,
 * waits while we make and reap a process outside, then makes one inside.
 */
static int inside(struct watcher *w, int ready, int go)
{
	pid_t kid;
	char b = 0;

	if (watcher_start(w, NULL) || watcher_probe(w, 30, 1000))
		return 80;
	if (write(ready, &b, 1) != 1 || read(go, &b, 1) != 1)
		return 81;
	kid = fork();
	if (kid == 0) {
		prctl(PR_SET_NAME, "why_inside");
		_exit(5);
	}
	if (kid < 0 || waitpid(kid, NULL, 0) != kid)
		return 82;
	if (watcher_probe(w, 1, 20000))
		return 83;
	return watcher_stop(w) ? 84 : 0;
}

TEST(child_namespace_sees_only_its_own)
{
	int ready[2], go[2], st, n;
	char text[16384], want[64], b = 0;
	struct cmd_result r;
	struct watcher w;
	unsigned int ns;
	pid_t init, out;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	/* The directory, made here so that we can read the record after. */
	memset(&w, 0, sizeof(w));
	snprintf(w.dir, sizeof(w.dir), "/tmp/nstree-why-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(w.dir));
	snprintf(w.path, sizeof(w.path), "%s/record", w.dir);
	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0) {
		close(ready[0]);
		close(go[1]);
		_exit(inside(&w, ready[1], go[0]));
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &b, 1)) TH_LOG("the inner recorder never subscribed");
	ns = nst_pidns_of(init);
	ASSERT_NE(0, ns);
	ASSERT_NE(nst_pidns_of(getpid()), ns);
	out = fork();
	ASSERT_LE(0, out);
	if (out == 0) {
		prctl(PR_SET_NAME, "why_outside");
		_exit(6);
	}
	ASSERT_EQ(out, waitpid(out, &st, 0));
	ASSERT_EQ(1, write(go[1], &b, 1));
	ASSERT_EQ(init, waitpid(init, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, WEXITSTATUS(st));

	n = record_procs(w.path, text, sizeof(text));
	ASSERT_LE(2, n) TH_LOG("%s", text);	/* the probes, why_inside */
	EXPECT_NE(NULL, strstr(text, "\tcomm=why_inside\t")) TH_LOG("%s", text);
	EXPECT_EQ(NULL, strstr(text, "why_outside")) TH_LOG("%s", text);
	/* The record says whose view it is: the child namespace's. */
	nst_cmd(&r, "grep '^recorder' %s", w.path);
	snprintf(want, sizeof(want), "\tpidns=%u\t", ns);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	nst_cmd_free(&r);
	nst_cmd(&r, "nstree why --record=%s %d", w.path, out);
	EXPECT_EQ(4, r.status) TH_LOG("%s", r.out);
	nst_cmd_free(&r);
	watcher_clean(&w);
}

/* Misuse needs no module: user/tests/usage_test.c checks it on the host. */
TEST(record_errors)
{
	struct cmd_result r;

	/* A record that cannot be written: status 5 at once, one line. */
	nst_cmd(&r, "nstree watch --record=/nonexistent/dir/record");
	EXPECT_EQ(5, r.status);
	EXPECT_NE(NULL, strstr(r.err, "cannot write the record")) TH_LOG("%s", r.err);
	EXPECT_EQ(NULL, strchr(r.err, '\n') ? strchr(strchr(r.err, '\n') + 1, '\n') : NULL)
		TH_LOG("%s", r.err);
	nst_cmd_free(&r);
	/* A file that is no record: status 5, one line naming it. */
	nst_cmd(&r, "nstree why --record=/proc/self/status 1");
	EXPECT_EQ(5, r.status);
	EXPECT_NE(NULL, strstr(r.err, "not an nstree record")) TH_LOG("%s", r.err);
	nst_cmd_free(&r);
}

TEST_HARNESS_MAIN
