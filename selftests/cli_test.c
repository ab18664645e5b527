// SPDX-License-Identifier: GPL-2.0
/*
 * The nstree command as a user runs it, the binary on PATH, module loaded:
 * every subcommand and output mode, checked against /proc. The scenario is
 * scenario_chain(): three nested PID namespaces, each init with a sleeping
 * child, a zombie and an adopted orphan; beside it a child subreaper and a
 * process of user nobody, whose flags only the test knows.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "json.h"
#include "lib.h"
#include "procfs.h"
#include "util.h"

#define DEPTH 3			/* namespaces in the scenario */
#define SCEN_PROCS (5 * DEPTH)	/* processes in it */
#define NOBODY 65534
#define MAX_LINES 4096

/* What the scenario is, from /proc once it is in place. */
struct scen {
	uint32_t top;
	uint32_t pids[SCEN_PROCS];	/* sorted */
	size_t n;
	uint32_t ns[DEPTH + 1];		/* PID namespace at each level */
	uint32_t init[DEPTH + 1];	/* its init, in our view */
};

static int scen_has(const struct scen *sc, uint32_t pid)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		if (sc->pids[i] == pid)
			return 1;
	return 0;
}

static int scen_read(const struct proc_snap *s, uint32_t top, struct scen *sc)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->top = top;
	sc->ns[0] = proc_ns_inum("/proc", getpid(), "pid");
	sc->init[0] = 1;
	for (i = 0; i < s->n; i++) {
		const struct proc_rec *r = &s->recs[i];
		unsigned int level = r->nspid_len - 1;

		if (!proc_descends(s, r->pid, top))
			continue;
		if (sc->n == SCEN_PROCS || level < 1 || level > DEPTH)
			return -1;
		sc->pids[sc->n++] = r->pid;
		if (r->nspid[level] == 1) {
			sc->ns[level] = r->ns[NS_PID];
			sc->init[level] = r->pid;
		}
	}
	return sc->n == SCEN_PROCS ? 0 : -1;
}

/* A child that becomes a subreaper or user @uid, says so, and sleeps. */
static pid_t spawn_sleeper(int subreaper, uid_t uid)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1))
			_exit(1);
		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(1);
		if (write(fds[1], "R", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

static void reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ---- reading what nstree printed ---- */

/* Split @text into lines, in place. */
static size_t lines_of(char *text, char **lines, size_t max)
{
	size_t n = 0;
	char *p = text, *nl;

	while (*p && n < max) {
		lines[n++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

/* The words of @line, copied into @buf. */
static size_t words_of(const char *line, char *buf, size_t size, char **w,
		       size_t max)
{
	size_t n = 0;
	char *save = NULL, *t;

	snprintf(buf, size, "%s", line);
	for (t = strtok_r(buf, " ", &save); t && n < max;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return n;
}

/* @words, joined by spaces, e.g. a header line as "PID NSPID COMM". */
static const char *header_of(const char *line, char *buf, size_t size)
{
	char tmp[1024], *w[64];
	size_t n, i, off = 0;

	n = words_of(line, tmp, sizeof(tmp), w, 64);
	buf[0] = '\0';
	for (i = 0; i < n && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", i ? " " : "",
				w[i]);
	return buf;
}

static void chain_str(char *buf, size_t size, const uint32_t *c,
		      unsigned int n)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%u", i ? "," : "",
				c[i]);
}

/* Run nstree @args; it must succeed quietly; its JSON, parsed. */
static struct json *nstree_json(struct __test_metadata *_metadata,
				const char *args)
{
	struct cmd_result r;
	struct json *j;
	char err[128];

	nst_cmd(&r, "nstree %s", args);
	EXPECT_EQ(0, r.status) TH_LOG("nstree %s: %s", args, r.err);
	EXPECT_STREQ("", r.err);
	j = json_parse(r.out, err, sizeof(err));
	EXPECT_NE(NULL, j) TH_LOG("nstree %s: %s", args, err);
	nst_cmd_free(&r);
	return j;
}

/* The array @name of @j, every element an object. */
static const struct json *entries(const struct json *j, const char *name)
{
	const struct json *a = json_get(j, name), *e;

	if (!a || a->type != JSON_ARRAY || j->len != 1)
		return NULL;
	for (e = a->child; e; e = e->next)
		if (e->type != JSON_OBJECT)
			return NULL;
	return a;
}

static uint32_t pid_of(const struct json *e)
{
	const struct json *p = json_get(e, "pid");

	return p && p->is_uint ? (uint32_t)p->uint : 0;
}

static const struct json *entry_by_pid(const struct json *a, uint32_t pid)
{
	const struct json *e;

	for (e = a ? a->child : NULL; e; e = e->next)
		if (pid_of(e) == pid)
			return e;
	return NULL;
}

/* The PIDs of a flat listing, or of a tree, nested ones included. */
static size_t collect_pids(const struct json *a, uint32_t *pids, size_t max,
			   size_t n)
{
	const struct json *e;

	for (e = a ? a->child : NULL; e; e = e->next) {
		if (n < max)
			pids[n] = pid_of(e);
		n++;
		n = collect_pids(json_get(e, "children"), pids, max, n);
	}
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* Do the PIDs of listing @a equal those of @want (@n, sorted)? */
static int same_pids(const struct json *a, const uint32_t *want, size_t n)
{
	uint32_t got[MAX_LINES];
	size_t k = collect_pids(a, got, MAX_LINES, 0), i;

	if (k != n)
		return 0;
	qsort(got, k, sizeof(got[0]), cmp_u32);
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			return 0;
	return 1;
}

/* ---- ground truth /proc does not hold in status ---- */

/* /proc/@pid/@name into @buf, terminated; its length, or -1. */
static ssize_t read_proc(uint32_t pid, const char *name, char *buf,
			 size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* /proc/PID/cmdline as one line; "" for a zombie or a kernel thread. */
static void read_cmdline(uint32_t pid, char *buf, size_t size)
{
	ssize_t n = read_proc(pid, "cmdline", buf, size), i;

	while (n > 0 && !buf[n - 1])
		n--;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n > 0 ? n : 0] = '\0';
}

/* Start time in seconds since boot, from /proc/PID/stat; -1 if gone. */
static double read_start(uint32_t pid)
{
	char buf[1024], *p;
	unsigned long long ticks;
	int field;

	if (read_proc(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	/* Field 22, counting from the state (field 3) after the comm. */
	p = strrchr(buf, ')');
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &ticks) != 1)
		return -1;
	return (double)ticks / sysconf(_SC_CLK_TCK);
}

/* The parent of PID namespace of @pid, or 0 when hidden or none. */
static uint32_t ns_parent(uint32_t pid)
{
	char path[64];
	struct stat st;
	int fd, parent;

	snprintf(path, sizeof(path), "/proc/%u/ns/pid", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	parent = ioctl(fd, NS_GET_PARENT);
	close(fd);
	if (parent < 0)
		return 0;
	if (fstat(parent, &st))
		st.st_ino = 0;
	close(parent);
	return st.st_ino;
}

/* Is record @r the same in the second scan? */
static const struct proc_rec *stable(const struct proc_rec *r,
				     const struct proc_snap *s2)
{
	const struct proc_rec *r2 = proc_snap_find(s2, r->pid);

	return r2 && !memcmp(r, r2, sizeof(*r)) ? r2 : NULL;
}

/* ---- one process against /proc ---- */

struct truth {
	const struct proc_snap *snap;
	uint32_t reaper;	/* the one subreaper we made */
	time_t real_now;	/* wall clock and boot clock, read together */
	double boot_now;
};

#define DIFF(what, ...) do {						\
	printf("# pid %u: " what "\n", r->pid, ##__VA_ARGS__);		\
	bad++;								\
} while (0)

static int bool_is(const struct json *j, int v)
{
	return j && j->type == (v ? JSON_TRUE : JSON_FALSE);
}

static int json_at_key_last(const struct json *e, const char *key)
{
	const struct json *m = e->child;

	while (m && m->next)
		m = m->next;
	return m && !strcmp(m->key, key);
}

/* A namespace inode, or null where /proc shows none (a zombie's). */
static int ns_is(const struct json *j, uint32_t inum)
{
	return inum ? json_is_uint(j, inum) : j && j->type == JSON_NULL;
}

static int chain_is(const struct json *j, const uint32_t *c, unsigned int n)
{
	unsigned int i;

	if (!j || j->type != JSON_ARRAY || j->len != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!json_is_uint(json_at(j, i), c[i]))
			return 0;
	return 1;
}

/* What every listing of a process must agree with /proc on. */
static int check_ids(const struct json *e, const struct proc_rec *r)
{
	unsigned int level = r->nspid_len - 1;
	int bad = 0;

	if (!chain_is(json_get(e, "nspid"), r->nspid, r->nspid_len))
		DIFF("nspid");
	if (!json_is_uint(json_get(e, "ppid"), r->ppid))
		DIFF("ppid, /proc says %u", r->ppid);
	if (!json_is_uint(json_get(e, "pidns"), r->ns[NS_PID]))
		DIFF("pidns, /proc says %u", r->ns[NS_PID]);
	if (!json_is_uint(json_get(e, "level"), level))
		DIFF("level, /proc says %u", level);
	if (!json_is_uint(json_get(e, "vpid"), r->nspid[level]))
		DIFF("vpid, /proc says %u", r->nspid[level]);
	return bad;
}

/*
 * What follows START's time: the offset from UTC, +hh:mm as ISO 8601
 * writes it, the local one at that time.
 */
static int start_offset_ok(const char *rest, const struct tm *when)
{
	struct tm tm = *when, local;
	char want[32];
	time_t t;
	long off;

	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || !localtime_r(&t, &local))
		return 0;
	off = local.tm_gmtoff / 60;
	snprintf(want, sizeof(want), "%c%02ld:%02ld", off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
	return !strcmp(rest, want);
}

/* Every column of --output-all, for a process whose flags we know. */
static int check_all(const struct json *e, const struct proc_rec *r,
		     const struct truth *t)
{
	static const int ns_types[] = { NS_MNT, NS_NET, NS_UTS, NS_IPC,
					NS_USER, NS_CGROUP, NS_TIME };
	static const char *const ns_keys[] = { "mntns", "netns", "utsns",
					       "ipcns", "userns", "cgroupns",
					       "timens" };
	unsigned int level = r->nspid_len - 1, i;
	int init = r->nspid[level] == 1, zombie = r->state == 'Z';
	int subreaper = r->pid == t->reaper;
	const struct proc_rec *pr = proc_snap_find(t->snap, r->ppid);
	const struct json *v;
	char want[4200], state[2] = { r->state, 0 };
	struct passwd *pw;
	struct tm tm;
	int bad = check_ids(e, r);
	double start, want_t;
	const char *rest;
	time_t got_t;

	if (!json_is_uint(json_get(e, "pid"), r->pid))
		DIFF("pid");
	/* The parent's PID in the process's own namespace. */
	if (init && !json_is_uint(json_get(e, "vppid"), 0))
		DIFF("vppid of an init is not 0");
	if (!init && pr && pr->nspid_len > level &&
	    !json_is_uint(json_get(e, "vppid"), pr->nspid[level]))
		DIFF("vppid, /proc says %u", pr->nspid[level]);
	/* Thread columns stay empty without --threads. */
	v = json_get(e, "tid");
	if (!v || v->type != JSON_NULL)
		DIFF("tid is not null");
	v = json_get(e, "nstid");
	if (!v || v->type != JSON_ARRAY || v->len)
		DIFF("nstid is not []");
	if (!json_is_str(json_get(e, "state"), state))
		DIFF("state, /proc says %c", r->state);
	if (!json_is_str(json_get(e, "comm"), r->name) ||
	    !json_is_str(json_get(e, "process"), r->name))
		DIFF("comm or process, /proc says %s", r->name);
	if (!json_is_uint(json_get(e, "threads"), r->threads))
		DIFF("threads, /proc says %u", r->threads);
	if (!json_is_uint(json_get(e, "uid"), r->uid) ||
	    !json_is_uint(json_get(e, "euid"), r->euid))
		DIFF("uid or euid, /proc says %u %u", r->uid, r->euid);
	pw = getpwuid(r->uid);
	if (pw)
		snprintf(want, sizeof(want), "%s", pw->pw_name);
	else
		snprintf(want, sizeof(want), "%u", r->uid);
	if (!json_is_str(json_get(e, "user"), want))
		DIFF("user, want %s", want);
	for (i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
		if (!ns_is(json_get(e, ns_keys[i]), r->ns[ns_types[i]]))
			DIFF("%s, /proc says %u", ns_keys[i], r->ns[ns_types[i]]);
	if (!bool_is(json_get(e, "init"), init))
		DIFF("init is not %d", init);
	if (!bool_is(json_get(e, "subreaper"), subreaper))
		DIFF("subreaper is not %d", subreaper);
	snprintf(want, sizeof(want), "%s%s%s%s%s", init ? "init" : "",
		 init && (subreaper || zombie) ? "," : "",
		 subreaper ? "subreaper" : "", subreaper && zombie ? "," : "",
		 zombie ? "zombie" : "");
	v = json_get(e, "flags");
	if (want[0] ? !json_is_str(v, want) : !v || v->type != JSON_NULL)
		DIFF("flags, want '%s'", want);
	/* The NS column marks inits; everyone else here has its parent's. */
	snprintf(want, sizeof(want), "pid:[%u] level %u", r->ns[NS_PID], level);
	v = json_get(e, "ns");
	if (init ? !json_is_str(v, want) :
	    pr && pr->ns[NS_PID] == r->ns[NS_PID] && (!v || v->type != JSON_NULL))
		DIFF("ns, want '%s'", init ? want : "null");
	read_cmdline(r->pid, want, sizeof(want));
	if (!want[0])
		snprintf(want, sizeof(want), "[%s]", r->name);
	if (!json_is_str(json_get(e, "args"), want))
		DIFF("args, want '%s'", want);
	/* START: local time, to the second; the clocks were read apart. */
	start = read_start(r->pid);
	v = json_get(e, "start");
	memset(&tm, 0, sizeof(tm));
	if (start < 0 || !v || v->type != JSON_STRING ||
	    !(rest = strptime(v->str, "%Y-%m-%dT%H:%M:%S", &tm))) {
		DIFF("start is no time");
	} else if (!start_offset_ok(rest, &tm)) {
		DIFF("start %s: no UTC offset, or not the local one", v->str);
	} else {
		tm.tm_isdst = -1;
		want_t = t->real_now - (t->boot_now - start);
		got_t = mktime(&tm);
		if (got_t < want_t - 2 || got_t > want_t + 2)
			DIFF("start %s is %.0f s off", v->str, got_t - want_t);
	}
	return bad;
}

/*
 * Every key once, the lower-cased @names in their order, and in a tree
 * "children" last where there are any.
 */
static int keys_are(const struct json *e, char *const *names, size_t n)
{
	const struct json *m = e->child;
	char key[32];
	size_t i, k;

	if (e->len != n &&
	    !(e->len == n + 1 && json_at_key_last(e, "children")))
		return 0;
	for (i = 0; i < n; i++, m = m->next) {
		for (k = 0; names[i][k] && k < sizeof(key) - 1; k++)
			key[k] = names[i][k] >= 'A' && names[i][k] <= 'Z' ?
				 names[i][k] - 'A' + 'a' : names[i][k];
		key[k] = '\0';
		if (strcmp(m->key, key))
			return 0;
	}
	return 1;
}

/* The column names --list-columns gives, in @buf. */
static size_t column_names(const char *cmd, char *buf, size_t size,
			   char **names, size_t max)
{
	char *lines[128], tmp[256], *w[4];
	struct cmd_result r;
	size_t n, i, off = 0, k = 0;

	if (nst_cmd(&r, "nstree %s --list-columns", cmd)) {
		nst_cmd_free(&r);
		return 0;
	}
	n = lines_of(r.out, lines, 128);
	for (i = 0; i < n && k < max; i++) {
		if (words_of(lines[i], tmp, sizeof(tmp), w, 4) < 2 ||
		    off + strlen(w[0]) + 1 > size)
			break;
		names[k++] = strcpy(buf + off, w[0]);
		off += strlen(w[0]) + 1;
	}
	nst_cmd_free(&r);
	return k;
}

FIXTURE(cli) {
	pid_t top, reaper, nobody;
	struct scen sc;
};

FIXTURE_SETUP(cli)
{
	struct proc_snap s;

	self->reaper = self->nobody = -1;
	self->top = scenario_chain(DEPTH);
	ASSERT_LT(0, self->top) TH_LOG("%m - building the scenario");
	self->reaper = spawn_sleeper(1, 0);
	ASSERT_LT(0, self->reaper);
	self->nobody = spawn_sleeper(0, NOBODY);
	ASSERT_LT(0, self->nobody);
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	EXPECT_EQ(0, scen_read(&s, self->top, &self->sc));
	proc_snap_free(&s);
	ASSERT_EQ(SCEN_PROCS, self->sc.n);
}

FIXTURE_TEARDOWN(cli)
{
	scenario_kill(self->top);
	reap(self->reaper);
	reap(self->nobody);
}

/*
 * The key check: `nstree ps -J --output-all`, every column of every
 * process we made against /proc, and every other process's IDs.
 */
TEST_F(cli, ps_json_matches_proc)
{
	struct truth t = { .reaper = self->reaper };
	struct proc_snap s1, s2;
	const struct json *procs, *e;
	struct timespec ts;
	struct json *j;
	char names_buf[1024], *names[64];
	size_t nnames, i;
	unsigned int full = 0, compared = 0, missing = 0, bad = 0, extra = 0;

	nnames = column_names("ps", names_buf, sizeof(names_buf), names, 64);
	ASSERT_LT(20, nnames);
	ASSERT_EQ(0, proc_snap_take("/proc", &s1));
	clock_gettime(CLOCK_BOOTTIME, &ts);
	t.real_now = time(NULL);
	t.boot_now = ts.tv_sec + ts.tv_nsec / 1e9;
	j = nstree_json(_metadata, "ps -J --output-all");
	ASSERT_EQ(0, proc_snap_take("/proc", &s2));
	t.snap = &s2;
	procs = entries(j, "processes");
	ASSERT_NE(NULL, procs);

	for (e = procs->child; e; e = e->next) {
		if (!keys_are(e, names, nnames)) {
			printf("# pid %u: not the keys of --list-columns\n",
			       pid_of(e));
			bad++;
		}
		if (!proc_snap_find(&s1, pid_of(e)) &&
		    !proc_snap_find(&s2, pid_of(e)))
			extra++;
	}
	for (i = 0; i < s1.n; i++) {
		const struct proc_rec *r = stable(&s1.recs[i], &s2);

		if (!r)
			continue;	/* changed while we looked */
		e = entry_by_pid(procs, r->pid);
		compared++;
		if (!e) {
			printf("# pid %u (%s) is missing\n", r->pid, r->name);
			missing++;
		} else if (scen_has(&self->sc, r->pid) ||
			   r->pid == (uint32_t)self->reaper ||
			   r->pid == (uint32_t)self->nobody) {
			bad += check_all(e, r, &t);
			full++;
		} else {
			bad += check_ids(e, r);
		}
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, missing);
	/* Only the shell and nstree itself came and went. */
	EXPECT_GE(2, extra);
	EXPECT_EQ(SCEN_PROCS + 2, full);
	TH_LOG("%u processes compared, %u in every column", compared, full);
	proc_snap_free(&s1);
	proc_snap_free(&s2);
	json_free(j);
}

/* The tree's nesting, node by node, is /proc's PPid relation. */
static int check_nesting(const struct json *a, uint32_t parent,
			 const struct proc_snap *s1, const struct proc_snap *s2)
{
	const struct json *e;
	int bad = 0;

	for (e = a ? a->child : NULL; e; e = e->next) {
		const struct proc_rec *r = proc_snap_find(s1, pid_of(e));

		r = r ? stable(r, s2) : NULL;
		if (r && r->ppid != parent) {
			printf("# pid %u is under %u, its PPid is %u\n",
			       r->pid, parent, r->ppid);
			bad++;
		}
		bad += check_nesting(json_get(e, "children"), pid_of(e), s1, s2);
	}
	return bad;
}

TEST_F(cli, tree_json_nesting)
{
	uint32_t pids[MAX_LINES];
	struct proc_snap s1, s2;
	const struct json *procs;
	struct json *j;
	size_t n, i, k;

	ASSERT_EQ(0, proc_snap_take("/proc", &s1));
	j = nstree_json(_metadata, "tree -J");
	ASSERT_EQ(0, proc_snap_take("/proc", &s2));
	procs = entries(j, "processes");
	ASSERT_NE(NULL, procs);
	EXPECT_EQ(0, check_nesting(procs, 0, &s1, &s2));
	/* Every process once, every stable one of /proc there. */
	n = collect_pids(procs, pids, MAX_LINES, 0);
	ASSERT_GE(MAX_LINES, n);
	qsort(pids, n, sizeof(pids[0]), cmp_u32);
	for (i = 1; i < n; i++)
		EXPECT_NE(pids[i - 1], pids[i]);
	for (i = 0; i < s1.n; i++) {
		if (!stable(&s1.recs[i], &s2))
			continue;
		for (k = 0; k < n && pids[k] != s1.recs[i].pid; k++)
			;
		EXPECT_LT(k, n) TH_LOG("pid %u missing", s1.recs[i].pid);
	}
	json_free(j);

	/* From the scenario's top: it alone at the root, all 15 below. */
	{
		char args[32];

		snprintf(args, sizeof(args), "tree -J %d", self->top);
		j = nstree_json(_metadata, args);
	}
	procs = entries(j, "processes");
	ASSERT_NE(NULL, procs);
	EXPECT_EQ(1, procs->len);
	EXPECT_EQ((uint32_t)self->top, pid_of(json_at(procs, 0)));
	EXPECT_TRUE(same_pids(procs, self->sc.pids, self->sc.n));
	EXPECT_EQ(0, check_nesting(json_get(json_at(procs, 0), "children"),
				   self->top, &s2, &s2));
	proc_snap_free(&s1);
	proc_snap_free(&s2);
	json_free(j);
}

/* What a child namespace's init finds, copied out to the test. */
struct child_cli {
	int step;		/* the step that failed, 0 if none */
	uint32_t own_ns;
	unsigned int entries, compared, missing, mismatches, foreign;
	unsigned int roots;	/* of `nstree tree -J` */
	uint32_t root_pid;
};

static int inside_view(void *buf, size_t len)
{
	struct child_cli *v = buf;
	struct proc_snap s1, s2;
	const struct json *procs, *e;
	struct cmd_result r;
	struct json *j;
	char err[128];
	size_t i, k;
	pid_t top;

	(void)len;
	v->step = 1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		return 0;
	v->step = 2;
	v->own_ns = proc_ns_inum("/proc", 1, "pid");
	top = scenario_chain(2);
	if (top < 0)
		return 0;
	v->step = 3;
	/* Each init of the chain wrote its R just before its pause. */
	if (proc_wait_settled("/proc", 10000) ||
	    proc_snap_take("/proc", &s1))
		goto out_kill;
	nst_cmd(&r, "nstree ps -J -o PID,NSPID,VPID,PPID,PIDNS,LEVEL,COMM");
	if (proc_snap_take("/proc", &s2))
		goto out_free1;
	v->step = 4;
	j = r.status ? NULL : json_parse(r.out, err, sizeof(err));
	procs = entries(j, "processes");
	if (!procs)
		goto out_free;
	v->step = 0;
	for (e = procs->child; e; e = e->next) {
		uint32_t ns = 0;

		v->entries++;
		if (json_get(e, "pidns") && json_get(e, "pidns")->is_uint)
			ns = json_get(e, "pidns")->uint;
		/* Only this namespace and those below it. */
		for (k = 0; k < s1.n && s1.recs[k].ns[NS_PID] != ns; k++)
			;
		if (ns != v->own_ns && k == s1.n)
			v->foreign++;
	}
	for (i = 0; i < s1.n; i++) {
		const struct proc_rec *rec = stable(&s1.recs[i], &s2);

		if (!rec)
			continue;
		v->compared++;
		e = entry_by_pid(procs, rec->pid);
		if (!e)
			v->missing++;
		else if (check_ids(e, rec) || !json_is_str(json_get(e, "comm"),
							   rec->name))
			v->mismatches++;
	}
	json_free(j);
	nst_cmd_free(&r);
	j = NULL;

	nst_cmd(&r, "nstree tree -J -o PID");
	j = r.status ? NULL : json_parse(r.out, err, sizeof(err));
	procs = entries(j, "processes");
	if (procs) {
		v->roots = procs->len;
		v->root_pid = pid_of(json_at(procs, 0));
	}
out_free:
	json_free(j);
	proc_snap_free(&s2);
out_free1:
	nst_cmd_free(&r);
	proc_snap_free(&s1);
out_kill:
	scenario_kill(top);
	return 0;
}

/* From inside a PID namespace: its processes only, PIDs as seen there. */
TEST(ps_from_child_namespace)
{
	struct child_cli v = { 0 };

	ASSERT_EQ(0, nst_run_in_child(CLONE_NEWPID | CLONE_NEWNS, inside_view,
				      &v, sizeof(v)));
	ASSERT_EQ(0, v.step);
	EXPECT_NE(0, v.own_ns);
	EXPECT_NE(proc_ns_inum("/proc", getpid(), "pid"), v.own_ns);
	EXPECT_EQ(0, v.missing);
	EXPECT_EQ(0, v.mismatches);
	EXPECT_EQ(0, v.foreign);
	/* Our init and the chain's 10; the shell and nstree at most. */
	EXPECT_LE(11, v.compared);
	EXPECT_GE(13, v.entries);
	/* The tree has one root, the namespace's init, as PID 1. */
	EXPECT_EQ(1, v.roots);
	EXPECT_EQ(1, v.root_pid);
}

/* The words of a line that has @pid, its NSPID chain and @state in a row. */
static int line_has(const char *line, uint32_t pid, const char *chain,
		    char state)
{
	char buf[1024], *w[64], p[16], st[2] = { state, 0 };
	size_t n, i;

	n = words_of(line, buf, sizeof(buf), w, 64);
	snprintf(p, sizeof(p), "%u", pid);
	for (i = 0; i + 2 < n; i++)
		if (!strcmp(w[i], p) && !strcmp(w[i + 1], chain) &&
		    !strcmp(w[i + 2], st))
			return 1;
	return 0;
}

/* The default tree: a line per process with its PIDs, inits marked. */
TEST_F(cli, tree_text)
{
	char *lines[MAX_LINES], chain[256], want[64], hdr[256];
	struct proc_snap s;
	struct cmd_result r;
	size_t n, i, k;

	ASSERT_EQ(0, nst_cmd(&r, "nstree tree")) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	n = lines_of(r.out, lines, MAX_LINES);
	ASSERT_LT(SCEN_PROCS, n);
	EXPECT_STREQ("PROCESS PID NSPID STATE FLAGS NS",
		     header_of(lines[0], hdr, sizeof(hdr)));
	for (i = 0; i < self->sc.n; i++) {
		const struct proc_rec *rec = proc_snap_find(&s, self->sc.pids[i]);
		unsigned int level;

		ASSERT_NE(NULL, rec);
		level = rec->nspid_len - 1;
		chain_str(chain, sizeof(chain), rec->nspid, rec->nspid_len);
		for (k = 1; k < n && !line_has(lines[k], rec->pid, chain,
					       rec->state); k++)
			;
		ASSERT_LT(k, n) TH_LOG("no line for %u %s", rec->pid, chain);
		snprintf(want, sizeof(want), "pid:[%u] level %u",
			 rec->ns[NS_PID], level);
		if (rec->nspid[level] == 1) {
			EXPECT_NE(NULL, strstr(lines[k], want)) TH_LOG("%s", lines[k]);
		} else {
			EXPECT_EQ(NULL, strstr(lines[k], "pid:[")) TH_LOG("%s", lines[k]);
		}
		EXPECT_EQ(rec->state == 'Z', !!strstr(lines[k], "zombie"));
	}
	proc_snap_free(&s);
	nst_cmd_free(&r);
}

/* Depth of each node of a JSON tree, in the order the text shows them. */
static size_t tree_depths(const struct json *a, int depth, uint32_t *pids,
			  int *depths, size_t n, size_t max)
{
	const struct json *e;

	for (e = a ? a->child : NULL; e; e = e->next) {
		if (n < max) {
			pids[n] = pid_of(e);
			depths[n] = depth;
		}
		n = tree_depths(json_get(e, "children"), depth + 1, pids,
				depths, n + 1, max);
	}
	return n;
}

/* Characters (not bytes) before the first word character of @line. */
static int indent_of(const char *line)
{
	int cols = 0;

	for (; *line && !((*line >= 'a' && *line <= 'z') ||
			  (*line >= 'A' && *line <= 'Z') ||
			  (*line >= '0' && *line <= '9')); line++)
		if ((*line & 0xc0) != 0x80)
			cols++;
	return cols;
}

/*
 * -A and -U draw the same tree, in ASCII and in Unicode line characters,
 * each process indented by its depth in the JSON tree, two a level.
 */
TEST_F(cli, tree_ascii_unicode)
{
	static const char *const modes[] = { "-A", "-U" };
	uint32_t pids[64];
	int depths[64];
	char *lines[64], args[64];
	struct cmd_result r;
	struct json *j;
	size_t n, m, i, k;

	snprintf(args, sizeof(args), "tree -J -o PROCESS,PID %d", self->top);
	j = nstree_json(_metadata, args);
	n = tree_depths(entries(j, "processes"), 0, pids, depths, 0, 64);
	ASSERT_EQ(SCEN_PROCS, n);
	json_free(j);
	for (m = 0; m < 2; m++) {
		ASSERT_EQ(0, nst_cmd(&r, "nstree tree -n -o PROCESS,PID %s %d",
				     modes[m], self->top));
		ASSERT_EQ(n, lines_of(r.out, lines, 64));
		for (i = 0; i < n; i++) {
			char buf[256], *w[8];
			size_t nw = words_of(lines[i], buf, sizeof(buf), w, 8);
			char p[16];

			snprintf(p, sizeof(p), "%u", pids[i]);
			EXPECT_STREQ(p, nw ? w[nw - 1] : "") TH_LOG("%s", lines[i]);
			EXPECT_EQ(2 * depths[i], indent_of(lines[i]))
				TH_LOG("%s: %s", modes[m], lines[i]);
			for (k = 0; m == 0 && lines[i][k]; k++)
				EXPECT_FALSE(lines[i][k] & 0x80);
		}
		/* The last child: U+2514 U+2500 with -U, as pstree -U draws it. */
		for (i = 0; i < n && !strstr(lines[i], m ? "\u2514\u2500" : "`-"); i++)
			;
		EXPECT_LT(i, n) TH_LOG("%s draws no last child", modes[m]);
		EXPECT_STREQ("", r.err);
		nst_cmd_free(&r);
	}
	/* The tree stays in PROCESS when -o puts PID first. */
	ASSERT_EQ(0, nst_cmd(&r, "nstree tree -n -A -o PID,PROCESS %d", self->top));
	ASSERT_EQ(n, lines_of(r.out, lines, 64));
	for (i = 0; i < n; i++) {
		char buf[256], *w[8], p[16];

		snprintf(p, sizeof(p), "%u", pids[i]);
		ASSERT_LT(0, words_of(lines[i], buf, sizeof(buf), w, 8));
		EXPECT_STREQ(p, w[0]) TH_LOG("%s", lines[i]);
		/* The PROCESS cell starts one space after the PID. */
		EXPECT_EQ(2 * depths[i],
			  indent_of(strstr(lines[i], p) + strlen(p) + 1))
			TH_LOG("%s", lines[i]);
	}
	nst_cmd_free(&r);
	/*
	 * With no UTF-8 locale to print with, -U says so and draws ASCII:
	 * C.UTF-8 hidden under an empty tmpfs, in a mount namespace of its own.
	 */
	ASSERT_EQ(0, nst_cmd(&r, "nstree run -q --mount -- sh -c 'mount -t tmpfs none /usr/lib/locale && LC_ALL=C exec nstree tree -n -U %d'",
			     self->top)) TH_LOG("%s", r.err);
	EXPECT_STREQ("nstree: --unicode: no UTF-8 locale (C.UTF-8) is installed, drawing with ASCII\n",
		     r.err);
	EXPECT_NE(NULL, strstr(r.out, "`-"));
	for (i = 0; r.out[i] && !(r.out[i] & 0x80); i++)
		;
	EXPECT_EQ(0, r.out[i]) TH_LOG("not ASCII: %s", r.out);
	nst_cmd_free(&r);
}

/* tree -N: the processes with a PID in a namespace, however it is named. */
TEST_F_TIMEOUT(cli, tree_and_ps_by_namespace, 60)
{
	uint32_t want[SCEN_PROCS];
	const struct json *e;
	struct proc_snap s;
	char args[4][24], cmd[128];
	size_t n = 0, i, a;
	struct nst_conn c;
	struct nst_ns ns;
	struct json *j;

	/* The namespace's nstree ID, as the module gives it. */
	ASSERT_EQ(0, nst_open(&c));
	ASSERT_EQ(0, nst_get_ns(&c, self->sc.ns[2], 0, &ns));
	nst_close(&c);
	ASSERT_NE(0, ns.id);
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	for (i = 0; i < self->sc.n; i++)
		if (proc_snap_find(&s, self->sc.pids[i])->nspid_len > 2)
			want[n++] = self->sc.pids[i];
	proc_snap_free(&s);
	ASSERT_EQ(5 * (DEPTH - 1), n);
	snprintf(args[0], sizeof(args[0]), "%u", self->sc.ns[2]);
	snprintf(args[1], sizeof(args[1]), "pid:[%u]", self->sc.ns[2]);
	snprintf(args[2], sizeof(args[2]), "%u", self->sc.init[2]);
	snprintf(args[3], sizeof(args[3]), ":%llu", (unsigned long long)ns.id);
	for (a = 0; a < 4; a++) {
		snprintf(cmd, sizeof(cmd), "tree -J -o PID --ns %s", args[a]);
		j = nstree_json(_metadata, cmd);
		/* The level-2 init is the root; its parent is outside. */
		EXPECT_EQ(1, json_get(j, "processes")->len);
		EXPECT_EQ(self->sc.init[2],
			  pid_of(json_at(json_get(j, "processes"), 0)));
		EXPECT_TRUE(same_pids(entries(j, "processes"), want, n))
			TH_LOG("%s", cmd);
		json_free(j);
		snprintf(cmd, sizeof(cmd), "ps -J -o PID,LEVEL --ns %s", args[a]);
		j = nstree_json(_metadata, cmd);
		EXPECT_TRUE(same_pids(entries(j, "processes"), want, n))
			TH_LOG("%s", cmd);
		json_free(j);
		/* ns: the same namespace, with its ID in NSID. */
		snprintf(cmd, sizeof(cmd), "ns -J -o NS,NSID,PARENTID %s", args[a]);
		j = nstree_json(_metadata, cmd);
		ASSERT_EQ(1, json_get(j, "namespaces")->len) TH_LOG("%s", cmd);
		e = json_at(json_get(j, "namespaces"), 0);
		EXPECT_TRUE(json_is_uint(json_get(e, "ns"), self->sc.ns[2]));
		EXPECT_TRUE(json_is_uint(json_get(e, "nsid"), ns.id));
		EXPECT_TRUE(json_is_uint(json_get(e, "parentid"), ns.parent_id));
		json_free(j);
	}
	/* The NSID column of ps: every process of the namespace has its ID. */
	snprintf(cmd, sizeof(cmd), "ps -J -o PID,PIDNS,NSID --ns %u",
		 self->sc.ns[2]);
	j = nstree_json(_metadata, cmd);
	for (e = entries(j, "processes")->child, n = 0; e; e = e->next)
		if (json_is_uint(json_get(e, "pidns"), self->sc.ns[2])) {
			n++;
			EXPECT_TRUE(json_is_uint(json_get(e, "nsid"), ns.id));
		}
	EXPECT_EQ(5, n);
	json_free(j);
}

/* The node of @pid anywhere in a JSON tree. */
static const struct json *find_node(const struct json *a, uint32_t pid)
{
	const struct json *e, *found;

	for (e = a ? a->child : NULL; e; e = e->next) {
		if (pid_of(e) == pid)
			return e;
		found = find_node(json_get(e, "children"), pid);
		if (found)
			return found;
	}
	return NULL;
}

/* tree -a: command lines where there are any, the name for zombies. */
TEST_F(cli, tree_arguments)
{
	const struct json *procs, *e;
	char args[64], want[4200];
	struct proc_snap s;
	struct json *j;
	size_t i;

	snprintf(args, sizeof(args), "tree -a -J -o PROCESS,PID %d", self->top);
	j = nstree_json(_metadata, args);
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	procs = entries(j, "processes");
	ASSERT_NE(NULL, procs);
	for (i = 0; i < self->sc.n; i++) {
		e = find_node(procs, self->sc.pids[i]);
		ASSERT_NE(NULL, e) TH_LOG("pid %u", self->sc.pids[i]);
		read_cmdline(self->sc.pids[i], want, sizeof(want));
		if (!want[0])
			snprintf(want, sizeof(want), "%s",
				 proc_snap_find(&s, self->sc.pids[i])->name);
		EXPECT_TRUE(json_is_str(json_get(e, "process"), want))
			TH_LOG("pid %u: want '%s'", self->sc.pids[i], want);
	}
	proc_snap_free(&s);
	json_free(j);
}

/* ---- Graphviz ---- */

struct dot_graph {
	uint32_t cluster[64], parent[64], level[64];
	size_t nclusters;
	uint32_t node[MAX_LINES], node_cluster[MAX_LINES];
	size_t nnodes;
	uint32_t edge_from[MAX_LINES], edge_to[MAX_LINES];
	size_t nedges;
	size_t ns_nodes;	/* "nsN" nodes, each in cluster N */
};

/*
 * Read nstree's digraph strictly: balanced braces, nothing after the
 * last; clusters with their label, nodes, edges. Returns 0, or the line
 * number of the first line it cannot read.
 */
static int read_dot(char *text, struct dot_graph *g)
{
	uint32_t stack[64], a, b;
	char *lines[MAX_LINES * 3], tail[8];
	size_t n, i, top = 0;
	int closed = 0;

	memset(g, 0, sizeof(*g));
	n = lines_of(text, lines, MAX_LINES * 3);
	if (!n || strcmp(lines[0], "digraph nstree {"))
		return 1;
	for (i = 1; i < n; i++) {
		char *l = lines[i] + strspn(lines[i], " ");
		uint32_t cur = top ? stack[top - 1] : 0;

		if (closed)
			return i + 1;
		if (!strcmp(l, "node [shape=box, fontname=\"monospace\"];"))
			continue;
		if (sscanf(l, "subgraph \"cluster_%u\" %1s", &a, tail) == 2 &&
		    !strcmp(tail, "{") && top < 64 && g->nclusters < 64) {
			g->cluster[g->nclusters] = a;
			g->parent[g->nclusters++] = cur;
			stack[top++] = a;
		} else if (sscanf(l, "label=\"pid:[%u] level %u\"%1s", &a, &b,
				  tail) == 3 && !strcmp(tail, ";") && top) {
			if (a != cur)
				return i + 1;
			g->level[g->nclusters - 1] = b;
		} else if (sscanf(l, "\"p%u\" -> \"p%u\"%1s", &a, &b, tail) == 3 &&
			   !strcmp(tail, ";") && g->nedges < MAX_LINES) {
			g->edge_from[g->nedges] = a;
			g->edge_to[g->nedges++] = b;
		} else if (sscanf(l, "\"p%u\" [label=%c", &a, tail) == 2 &&
			   l[strlen(l) - 1] == ';' && g->nnodes < MAX_LINES) {
			g->node[g->nnodes] = a;
			g->node_cluster[g->nnodes++] = cur;
		} else if (sscanf(l, "\"ns%u\" [label=%c", &a, tail) == 2 &&
			   l[strlen(l) - 1] == ';') {
			if (a != cur)
				return i + 1;
			g->ns_nodes++;
		} else if (!strcmp(l, "}")) {
			if (top)
				top--;
			else
				closed = 1;
		} else {
			return i + 1;
		}
	}
	return closed && !top ? 0 : (int)n;
}

/* Clusters: each namespace of /proc once, nested as the kernel nests them. */
static int check_clusters(const struct dot_graph *g, const struct proc_snap *s)
{
	size_t i, k;
	int bad = 0;

	for (i = 0; i < s->n; i++) {
		const struct proc_rec *r = &s->recs[i];
		unsigned int level = r->nspid_len - 1;
		uint32_t parent;

		if (r->nspid[level] != 1)
			continue;	/* one process per namespace: its init */
		for (k = 0; k < g->nclusters && g->cluster[k] != r->ns[NS_PID]; k++)
			;
		if (k == g->nclusters) {
			printf("# namespace %u has no cluster\n", r->ns[NS_PID]);
			bad++;
			continue;
		}
		/* The view's own namespace is outermost: no parent shown. */
		parent = level ? ns_parent(r->pid) : 0;
		if (g->parent[k] != parent || g->level[k] != level) {
			printf("# cluster %u: in %u at level %u; want %u, %u\n",
			       g->cluster[k], g->parent[k], g->level[k],
			       parent, level);
			bad++;
		}
	}
	for (i = 0; i < g->nclusters; i++)
		for (k = 0; k < i; k++)
			if (g->cluster[k] == g->cluster[i]) {
				printf("# cluster %u twice\n", g->cluster[i]);
				bad++;
			}
	return bad;
}

TEST_F(cli, tree_dot)
{
	static struct dot_graph g;
	struct proc_snap s1, s2;
	struct cmd_result r;
	size_t i, k, namespaces = 0;
	int line;

	ASSERT_EQ(0, proc_snap_take("/proc", &s1));
	ASSERT_EQ(0, nst_cmd(&r, "nstree tree --format=dot"));
	ASSERT_EQ(0, proc_snap_take("/proc", &s2));
	EXPECT_STREQ("", r.err);
	line = read_dot(r.out, &g);
	ASSERT_EQ(0, line) TH_LOG("line %d", line);
	EXPECT_EQ(0, check_clusters(&g, &s1));
	for (i = 0; i < s1.n; i++) {
		const struct proc_rec *rec = stable(&s1.recs[i], &s2);
		size_t seen = 0, at = 0;

		namespaces += s1.recs[i].nspid[s1.recs[i].nspid_len - 1] == 1;
		if (!rec)
			continue;
		for (k = 0; k < g.nnodes; k++)
			if (g.node[k] == rec->pid) {
				seen++;
				at = k;
			}
		EXPECT_EQ(1, seen) TH_LOG("pid %u: %zu nodes", rec->pid, seen);
		if (seen)
			EXPECT_EQ(rec->ns[NS_PID], g.node_cluster[at])
				TH_LOG("pid %u in the wrong cluster", rec->pid);
	}
	EXPECT_EQ(DEPTH + 1, namespaces);
	EXPECT_EQ(DEPTH + 1, g.nclusters);
	/* Every edge is a parent and its child. */
	for (i = 0; i < g.nedges; i++) {
		const struct proc_rec *rec = proc_snap_find(&s1, g.edge_to[i]);

		if (rec && stable(rec, &s2))
			EXPECT_EQ(rec->ppid, g.edge_from[i])
				TH_LOG("edge %u -> %u", g.edge_from[i], g.edge_to[i]);
	}
	EXPECT_LE(SCEN_PROCS - DEPTH, g.nedges);
	proc_snap_free(&s1);
	proc_snap_free(&s2);
	nst_cmd_free(&r);
}

TEST_F(cli, ns_dot)
{
	static struct dot_graph g;
	struct proc_snap s;
	struct cmd_result r;
	int line;

	ASSERT_EQ(0, nst_cmd(&r, "nstree ns --format=dot"));
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	line = read_dot(r.out, &g);
	ASSERT_EQ(0, line) TH_LOG("line %d", line);
	EXPECT_EQ(0, check_clusters(&g, &s));
	EXPECT_EQ(DEPTH + 1, g.nclusters);
	EXPECT_EQ(DEPTH + 1, g.ns_nodes);
	EXPECT_EQ(0, g.nnodes);
	EXPECT_EQ(0, g.nedges);
	proc_snap_free(&s);
	nst_cmd_free(&r);
}

/* ---- ns ---- */

/*
 * One namespace entry against /proc: init, level and, with @counts, the
 * counts (not for ours, where nstree and its shell come and go).
 */
static int check_ns_entry(const struct json *e, const struct proc_snap *s,
			  uint32_t inum, int counts)
{
	unsigned int procs = 0, threads = 0, zombies = 0, level = 0;
	const struct proc_rec *init = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct proc_rec *r = &s->recs[i];

		if (r->ns[NS_PID] != inum)
			continue;
		procs++;
		threads += r->threads;
		zombies += r->state == 'Z';
		level = r->nspid_len - 1;
		if (r->nspid[level] == 1)
			init = r;
	}
	return init && json_is_uint(json_get(e, "ns"), inum) &&
	       json_is_uint(json_get(e, "level"), level) &&
	       json_is_uint(json_get(e, "init"), init->pid) &&
	       json_is_str(json_get(e, "initcomm"), init->name) &&
	       (!counts ||
		(json_is_uint(json_get(e, "nprocs"), procs) &&
		 json_is_uint(json_get(e, "nthreads"), threads) &&
		 json_is_uint(json_get(e, "nzombies"), zombies)));
}

TEST_F(cli, ns_views)
{
	char *lines[64], hdr[256], args[64], buf[256], *w[16];
	const struct json *a;
	struct proc_snap s;
	struct cmd_result r;
	struct json *j;
	size_t n, i, level;

	/* The tree: ours at the root, the chain nested one in the other. */
	j = nstree_json(_metadata, "ns -J");
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	a = entries(j, "namespaces");
	ASSERT_NE(NULL, a);
	for (level = 0; level <= DEPTH; level++) {
		ASSERT_EQ(1, a->len) TH_LOG("level %zu", level);
		EXPECT_TRUE(check_ns_entry(json_at(a, 0), &s, self->sc.ns[level],
					   level > 0))
			TH_LOG("level %zu", level);
		a = json_get(json_at(a, 0), "children");
		if (level < DEPTH)
			ASSERT_NE(NULL, a);
	}
	EXPECT_EQ(NULL, a);
	json_free(j);

	/* The text table: its header, a line per namespace. */
	ASSERT_EQ(0, nst_cmd(&r, "nstree ns"));
	n = lines_of(r.out, lines, 64);
	EXPECT_EQ(DEPTH + 2, n);
	EXPECT_STREQ("NS LEVEL INIT INITCOMM NPROCS NTHREADS NZOMBIES USERNS",
		     header_of(lines[0], hdr, sizeof(hdr)));
	nst_cmd_free(&r);

	/* -l: flat, every line starting with the inode itself. */
	ASSERT_EQ(0, nst_cmd(&r, "nstree ns -l -n -o NS,LEVEL,PARENT"));
	n = lines_of(r.out, lines, 64);
	EXPECT_EQ(DEPTH + 1, n);
	for (i = 0; i < n; i++) {
		size_t nw = words_of(lines[i], buf, sizeof(buf), w, 16);
		char want[16];

		ASSERT_LE(2, nw);
		level = strtoul(w[1], NULL, 10);
		ASSERT_GE(DEPTH, level);
		snprintf(want, sizeof(want), "%u", self->sc.ns[level]);
		EXPECT_STREQ(want, w[0]);
		/* PARENT: the level above; none shown for ours. */
		if (level) {
			snprintf(want, sizeof(want), "%u", self->sc.ns[level - 1]);
			EXPECT_EQ(3, nw);
			EXPECT_STREQ(want, nw == 3 ? w[2] : "");
		} else {
			EXPECT_EQ(2, nw);
		}
	}
	nst_cmd_free(&r);

	/* One namespace, by inode, by pid:[inode] and by a PID in it. */
	for (i = 0; i < 3; i++) {
		uint32_t v = i == 2 ? self->sc.init[2] : self->sc.ns[2];

		snprintf(args, sizeof(args), i == 1 ? "ns -J pid:[%u]" :
			 "ns -J %u", v);
		j = nstree_json(_metadata, args);
		a = entries(j, "namespaces");
		ASSERT_NE(NULL, a);
		EXPECT_EQ(1, a->len);
		EXPECT_TRUE(check_ns_entry(json_at(a, 0), &s, self->sc.ns[2], 1))
			TH_LOG("%s", args);
		EXPECT_EQ(NULL, json_get(json_at(a, 0), "children"));
		json_free(j);
	}
	proc_snap_free(&s);
}

/* ---- ps: columns and output modes ---- */

TEST_F(cli, ps_columns)
{
	static const char defaults[] = "PID NSPID PPID PIDNS LEVEL STATE USER FLAGS COMM";
	char *lines[MAX_LINES], hdr[1024], want[1024], names_buf[1024];
	char *names[64], buf[1024], *w[64];
	struct cmd_result r;
	size_t n, nn, i, k, off = 0;

	nn = column_names("ps", names_buf, sizeof(names_buf), names, 64);
	ASSERT_LT(20, nn);
	for (i = 0; i < nn; i++)
		off += snprintf(want + off, sizeof(want) - off, "%s%s",
				i ? " " : "", names[i]);

	ASSERT_EQ(0, nst_cmd(&r, "nstree ps"));
	lines_of(r.out, lines, MAX_LINES);
	EXPECT_STREQ(defaults, header_of(lines[0], hdr, sizeof(hdr)));
	nst_cmd_free(&r);

	ASSERT_EQ(0, nst_cmd(&r, "nstree ps -o +VPID,tid"));
	lines_of(r.out, lines, MAX_LINES);
	EXPECT_STREQ("PID NSPID PPID PIDNS LEVEL STATE USER FLAGS COMM VPID TID",
		     header_of(lines[0], hdr, sizeof(hdr)));
	nst_cmd_free(&r);

	ASSERT_EQ(0, nst_cmd(&r, "nstree ps --output-all"));
	lines_of(r.out, lines, MAX_LINES);
	EXPECT_STREQ(want, header_of(lines[0], hdr, sizeof(hdr)));
	nst_cmd_free(&r);

	/*
	 * -o replaces; -n (or procps's --no-headers) drops the header; each
	 * line its two cells.
	 */
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, nst_cmd(&r, "nstree ps %s -o pid,Comm --subtree %d",
				     k ? "--no-headers" : "-n", self->top));
		n = lines_of(r.out, lines, MAX_LINES);
		EXPECT_EQ(SCEN_PROCS, n);
		for (i = 0; i < n; i++) {
			EXPECT_EQ(2, words_of(lines[i], buf, sizeof(buf), w, 64));
			EXPECT_TRUE(scen_has(&self->sc,
					     strtoul(w[0], NULL, 10)));
			EXPECT_STREQ("cli_test", w[1]);
		}
		nst_cmd_free(&r);
	}

	/* --raw: one space between cells, an empty cell stays a field. */
	ASSERT_EQ(0, nst_cmd(&r, "nstree ps --raw"));
	n = lines_of(r.out, lines, MAX_LINES);
	EXPECT_STREQ("PID NSPID PPID PIDNS LEVEL STATE USER FLAGS COMM", lines[0]);
	for (i = 0; i < n; i++) {
		char *p = lines[i];
		size_t fields = 1;

		while ((p = strchr(p, ' '))) {
			fields++;
			p++;
		}
		EXPECT_EQ(9, fields) TH_LOG("%s", lines[i]);
	}
	nst_cmd_free(&r);

	/* --list-columns: the same for ps and tree, another set for ns. */
	{
		char other_buf[1024], *other[64];

		EXPECT_EQ(nn, column_names("tree", other_buf, sizeof(other_buf),
					   other, 64));
		for (i = 0; i < nn; i++)
			EXPECT_STREQ(names[i], other[i]);
		n = column_names("ns", other_buf, sizeof(other_buf), other, 64);
		EXPECT_LT(5, n);
		EXPECT_STREQ("NS", other[0]);
	}
}

/* The JSON keys are the columns shown, lower-cased, in their order. */
TEST_F_TIMEOUT(cli, json_keys_follow_columns, 60)
{
	static const char *const cmds[] = {
		"ps", "ps -o PID,NSPID,comm", "ps -o +VPID", "ps -L",
		"tree", "tree -o NS,PID", "ns", "ns -o NS,PARENT", "ns -l --output-all",
	};
	char *lines[4], hdr[1024], *w[64], cmd[64];
	const struct json *e;
	struct cmd_result r;
	struct json *j;
	size_t i, nw;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		ASSERT_EQ(0, nst_cmd(&r, "nstree %s | head -n 1", cmds[i]));
		lines_of(r.out, lines, 4);
		nw = words_of(lines[0], hdr, sizeof(hdr), w, 64);
		snprintf(cmd, sizeof(cmd), "%s -J", cmds[i]);
		j = nstree_json(_metadata, cmd);
		e = json_at(json_get(j, cmds[i][0] == 'n' ? "namespaces" :
				     "processes"), 0);
		ASSERT_NE(NULL, e) TH_LOG("%s", cmd);
		EXPECT_TRUE(keys_are(e, w, nw)) TH_LOG("%s", cmd);
		json_free(j);
		nst_cmd_free(&r);
	}
}

/* Values of column 2 of a raw, headless listing, in order. */
static size_t second_column(char *out, char **vals, size_t max)
{
	char *lines[MAX_LINES], *sp;
	size_t n = lines_of(out, lines, MAX_LINES), i;

	for (i = 0; i < n && i < max; i++) {
		sp = strchr(lines[i], ' ');
		vals[i] = sp ? sp + 1 : lines[i];
	}
	return i;
}

TEST_F(cli, ps_sort)
{
	char *vals[MAX_LINES];
	struct cmd_result r;
	struct json *j;
	const struct json *e;
	unsigned long prev = 0;
	size_t n, i, drops = 0;

	/* By PID order VPID goes down at every namespace init; sorted, never. */
	ASSERT_EQ(0, nst_cmd(&r, "nstree ps --raw -n -o PID,VPID"));
	n = second_column(r.out, vals, MAX_LINES);
	for (i = 1; i < n; i++)
		drops += strtoul(vals[i], NULL, 10) < strtoul(vals[i - 1], NULL, 10);
	EXPECT_LE(DEPTH, drops);
	nst_cmd_free(&r);

	ASSERT_EQ(0, nst_cmd(&r, "nstree ps --raw -n -o PID,VPID --sort VPID"));
	n = second_column(r.out, vals, MAX_LINES);
	ASSERT_LT(SCEN_PROCS, n);
	for (i = 1; i < n; i++)
		EXPECT_LE(strtoul(vals[i - 1], NULL, 10), strtoul(vals[i], NULL, 10));
	nst_cmd_free(&r);

	/* Text columns sort as text. */
	ASSERT_EQ(0, nst_cmd(&r, "nstree ps --raw -n -o PID,COMM --sort comm"));
	n = second_column(r.out, vals, MAX_LINES);
	for (i = 1; i < n; i++)
		EXPECT_LE(0, strcmp(vals[i], vals[i - 1]));
	nst_cmd_free(&r);

	/* JSON comes sorted too. */
	j = nstree_json(_metadata, "ps -J -o PID,VPID --sort VPID");
	for (e = json_get(j, "processes")->child; e; e = e->next) {
		ASSERT_TRUE(json_get(e, "vpid")->is_uint);
		EXPECT_LE(prev, json_get(e, "vpid")->uint);
		prev = json_get(e, "vpid")->uint;
	}
	json_free(j);
}

TEST_F(cli, ps_selections)
{
	uint32_t want[4];
	char args[64];
	size_t i;
	const struct json *a, *e;
	struct json *j;

	snprintf(args, sizeof(args), "ps -J -o PID --subtree %d", self->top);
	j = nstree_json(_metadata, args);
	EXPECT_TRUE(same_pids(entries(j, "processes"), self->sc.pids,
			      self->sc.n));
	json_free(j);

	snprintf(args, sizeof(args), "ps -J --output-all -p %u", self->sc.init[3]);
	j = nstree_json(_metadata, args);
	want[0] = self->sc.init[3];
	EXPECT_TRUE(same_pids(entries(j, "processes"), want, 1));
	json_free(j);

	/* -u (effective user) by name and by number: our nobody's. */
	for (i = 0; i < 2; i++) {
		j = nstree_json(_metadata, i ? "ps -J -o PID,UID,USER -u nobody" :
				"ps -J -o PID,UID,USER -u 65534");
		a = entries(j, "processes");
		ASSERT_NE(NULL, a);
		EXPECT_NE(NULL, entry_by_pid(a, self->nobody));
		for (e = a->child; e; e = e->next) {
			EXPECT_TRUE(json_is_uint(json_get(e, "uid"), NOBODY));
			EXPECT_TRUE(json_is_str(json_get(e, "user"), "nobody"));
		}
		json_free(j);
	}
	j = nstree_json(_metadata, "ps -J -o PID -u root");
	EXPECT_EQ(NULL, entry_by_pid(entries(j, "processes"), self->nobody));
	EXPECT_NE(NULL, entry_by_pid(entries(j, "processes"), self->top));
	json_free(j);
}

/* -p takes a list, as procps does: commas, blanks, or -p again. */
TEST_F(cli, ps_pid_list)
{
	static const char *const forms[] = {
		"-p %u,%u", "-p '%u %u'", "-p %u -p %u", "-p %u,4194304,%u",
	};
	char args[96], form[64];
	uint32_t want[2] = { self->sc.init[1], self->sc.init[3] };
	struct json *j;
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(form, sizeof(form), "ps -J -o PID %s", forms[i]);
		snprintf(args, sizeof(args), form, want[0], want[1]);
		j = nstree_json(_metadata, args);
		EXPECT_TRUE(same_pids(entries(j, "processes"), want, 2))
			TH_LOG("%s", args);
		json_free(j);
	}
}

/*
 * -u is the effective user and -U the real one, as in procps: a process
 * that is root really and nobody effectively.
 */
TEST_F(cli, ps_effective_and_real_user)
{
	const struct json *a;
	struct json *j;
	int fds[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fds[0]);
		if (setresuid(0, NOBODY, 0) || write(fds[1], "R", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	close(fds[0]);

	j = nstree_json(_metadata, "ps -J -o PID,UID,EUID -u nobody");
	a = entries(j, "processes");
	EXPECT_NE(NULL, entry_by_pid(a, pid));
	EXPECT_NE(NULL, entry_by_pid(a, self->nobody));
	EXPECT_TRUE(json_is_uint(json_get(entry_by_pid(a, pid), "euid"),
				 NOBODY));
	json_free(j);
	j = nstree_json(_metadata, "ps -J -o PID -U nobody");
	a = entries(j, "processes");
	EXPECT_EQ(NULL, entry_by_pid(a, pid));
	EXPECT_NE(NULL, entry_by_pid(a, self->nobody));
	json_free(j);
	j = nstree_json(_metadata, "ps -J -o PID -U 0");
	EXPECT_NE(NULL, entry_by_pid(entries(j, "processes"), pid));
	json_free(j);
	/* Lists, and selections that add up as in procps. */
	j = nstree_json(_metadata, "ps -J -o PID -u 65534,root");
	a = entries(j, "processes");
	EXPECT_NE(NULL, entry_by_pid(a, pid));
	EXPECT_NE(NULL, entry_by_pid(a, self->top));
	json_free(j);
	{
		char args[64];

		snprintf(args, sizeof(args), "ps -J -o PID -U nobody -p %u",
			 self->top);
		j = nstree_json(_metadata, args);
		a = entries(j, "processes");
		EXPECT_NE(NULL, entry_by_pid(a, self->top));
		EXPECT_NE(NULL, entry_by_pid(a, self->nobody));
		EXPECT_EQ(NULL, entry_by_pid(a, pid));
		json_free(j);
	}
	reap(pid);
}

/* --sort by columns not shown, several keys, '-' descending. */
TEST_F(cli, ps_sort_keys)
{
	const struct json *e, *a;
	struct json *j, *lv;
	char *lines[MAX_LINES];
	struct cmd_result r;
	unsigned long prev_level = ~0UL, prev_pid = 0, level;
	char prev_start[64] = "";
	size_t n, i, checked = 0;

	/* Levels from one listing, the order from another: our chain's. */
	lv = nstree_json(_metadata, "ps -J -o PID,LEVEL");
	a = entries(lv, "processes");
	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, nst_cmd(&r, "nstree ps --raw -n -o PID --sort=-level,pid"));
	n = lines_of(r.out, lines, MAX_LINES);
	ASSERT_LT(SCEN_PROCS, n);
	for (i = 0; i < n; i++) {
		unsigned long pid = strtoul(lines[i], NULL, 10);

		e = entry_by_pid(a, pid);
		if (!e)
			continue;	/* came after the first listing */
		level = json_get(e, "level")->uint;
		EXPECT_GE(prev_level, level) TH_LOG("PID %lu", pid);
		if (level == prev_level)
			EXPECT_LT(prev_pid, pid) TH_LOG("PID %lu", pid);
		prev_level = level;
		prev_pid = pid;
		checked++;
	}
	EXPECT_LT(SCEN_PROCS, checked);
	/* Our deepest namespace's processes come first. */
	e = entry_by_pid(a, strtoul(lines[0], NULL, 10));
	EXPECT_TRUE(json_is_uint(json_get(e, "level"), DEPTH));
	nst_cmd_free(&r);
	json_free(lv);

	/* The newest first: START never grows down the list. */
	j = nstree_json(_metadata, "ps -J -o PID,START --sort=-start,pid");
	for (e = entries(j, "processes")->child; e; e = e->next) {
		const char *st = json_get(e, "start")->str;

		if (prev_start[0])
			EXPECT_GE(0, strcmp(st, prev_start)) TH_LOG("%s", st);
		snprintf(prev_start, sizeof(prev_start), "%s", st);
	}
	json_free(j);
}

/*
 * --width lays the table out for that many columns, cutting ARGS;
 * --notruncate cuts nothing. Not on a terminal, nothing is cut either.
 */
TEST(width_and_notruncate)
{
	char longarg[201], out[1024];
	int fds[2], hold[2];
	pid_t pid;
	char c;

	memset(longarg, 'w', sizeof(longarg) - 1);
	longarg[sizeof(longarg) - 1] = '\0';
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, pipe(hold));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* sh says it runs, then waits on @hold: the long argument stays. */
		close(fds[0]);
		close(hold[1]);
		if (dup2(fds[1], 3) < 0 || dup2(hold[0], 0) < 0)
			_exit(1);
		execlp("sh", "sh", "-c", "echo R >&3; exec 3>&-; read x",
		       longarg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	close(hold[0]);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	close(fds[0]);

	EXPECT_EQ(0, nst_sh(out, sizeof(out),
			    "nstree ps -n -o pid,args -p %d --width 40", pid));
	EXPECT_GE(41, strlen(out)) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, longarg)) TH_LOG("%s", out);
	EXPECT_EQ(0, nst_sh(out, sizeof(out),
			    "nstree ps -n -o pid,args -p %d --width=40 --notruncate",
			    pid));
	EXPECT_NE(NULL, strstr(out, longarg)) TH_LOG("%s", out);
	EXPECT_EQ(0, nst_sh(out, sizeof(out), "nstree ps -n -o pid,args -p %d",
			    pid));
	EXPECT_NE(NULL, strstr(out, longarg)) TH_LOG("%s", out);
	/* tree and ns: -w; ns -u is lsns's --notruncate. */
	EXPECT_EQ(0, nst_sh(out, sizeof(out), "nstree tree -a -n -w 40 %d", pid));
	EXPECT_EQ(NULL, strstr(out, longarg)) TH_LOG("%s", out);
	EXPECT_EQ(0, nst_sh(out, sizeof(out),
			    "nstree tree -a -n -w 40 --notruncate %d", pid));
	EXPECT_NE(NULL, strstr(out, longarg)) TH_LOG("%s", out);
	EXPECT_EQ(0, nst_sh(out, sizeof(out), "nstree ns -w 40 -u -n"));
	close(hold[1]);
	reap(pid);
}

/* START: local time with its UTC offset, in text and in JSON. */
TEST(start_utc_offset)
{
	char out[256];
	struct json *j;
	const struct json *e;
	char why[128];
	size_t len;

	ASSERT_EQ(0, nst_sh(out, sizeof(out),
			    "TZ=XST+3:30 nstree ps --raw -n -o start -p 1"));
	len = strlen(out);
	ASSERT_LT(7, len) TH_LOG("%s", out);
	EXPECT_STREQ("-03:30\n", out + len - 7) TH_LOG("%s", out);
	ASSERT_EQ(0, nst_sh(out, sizeof(out),
			    "TZ=CET-1 nstree ps -J -o start -p 1"));
	j = json_parse(out, why, sizeof(why));
	ASSERT_NE(NULL, j) TH_LOG("%s: %s", why, out);
	e = json_at(json_get(j, "processes"), 0);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(JSON_STRING, json_get(e, "start")->type);
	len = strlen(json_get(e, "start")->str);
	EXPECT_EQ(25, len);
	EXPECT_STREQ("+01:00", json_get(e, "start")->str + len - 6);
	json_free(j);
}

/* -H, --list-columns honour -J and -r, given before or after. */
TEST(list_columns_json)
{
	static const char *const cmds[] = {
		"ns -H -J", "ns -J --list-columns", "ps --list-columns -J",
		"tree -J --list-columns",
	};
	char out[8192], why[128];
	struct json *j;
	const struct json *e;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		ASSERT_EQ(0, nst_sh(out, sizeof(out), "nstree %s", cmds[i]));
		j = json_parse(out, why, sizeof(why));
		ASSERT_NE(NULL, j) TH_LOG("%s: %s", cmds[i], why);
		e = json_at(json_get(j, "columns"), 0);
		ASSERT_NE(NULL, e) TH_LOG("%s", cmds[i]);
		EXPECT_TRUE(json_is_str(json_get(e, "column"),
					cmds[i][0] == 'n' ? "NS" : "PROCESS"));
		EXPECT_EQ(JSON_STRING, json_get(e, "type")->type);
		EXPECT_EQ(JSON_STRING, json_get(e, "description")->type);
		json_free(j);
	}
	ASSERT_EQ(0, nst_sh(out, sizeof(out), "nstree ns -H -r -n | head -n 1"));
	EXPECT_EQ(0, strncmp(out, "NS inode\\x20of", 14)) TH_LOG("%s", out);
}

/* ---- threads ---- */

static void *block(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A namespace's init whose child has three more threads. */
static int __attribute__((noreturn)) threaded_ns(int fd)
{
	pthread_t t;
	pid_t pid = fork();
	int i;

	if (pid == 0) {
		for (i = 0; i < 3; i++)
			if (pthread_create(&t, NULL, block, NULL))
				_exit(1);
		if (write(fd, "R", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	for (;;)
		pause();
}

TEST(ps_threads)
{
	char path[64], args[64];
	uint32_t tids[8];
	const struct json *a, *e;
	struct proc_snap s, ts;
	struct json *j;
	size_t n = 0, i, got;
	pid_t init, child = 0;
	int fds[2];
	char c;

	ASSERT_EQ(0, pipe(fds));
	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0)
		threaded_ns(fds[1]);
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	ASSERT_EQ(0, proc_snap_take("/proc", &s));
	for (i = 0; i < s.n; i++)
		if (s.recs[i].ppid == (uint32_t)init)
			child = s.recs[i].pid;
	proc_snap_free(&s);
	ASSERT_NE(0, child);
	snprintf(path, sizeof(path), "/proc/%d/task", child);
	ASSERT_EQ(0, proc_snap_take(path, &ts));
	ASSERT_EQ(4, ts.n);

	/* Every thread, its IDs at both levels; no NS mark: no init. */
	j = nstree_json(_metadata, "ps -L -J -o PID,TID,NSTID,PIDNS,NS");
	a = entries(j, "processes");
	ASSERT_NE(NULL, a);
	for (e = a->child; e; e = e->next) {
		const struct json *tid = json_get(e, "tid");
		const struct proc_rec *r;

		ASSERT_TRUE(tid && tid->is_uint);
		if (pid_of(e) == (uint32_t)init)
			EXPECT_EQ(JSON_STRING, json_get(e, "ns")->type);
		if (pid_of(e) != (uint32_t)child)
			continue;
		r = proc_snap_find(&ts, tid->uint);
		ASSERT_NE(NULL, r) TH_LOG("tid %llu", tid->uint);
		if (n < 8)
			tids[n] = r->pid;
		n++;
		EXPECT_EQ(2, r->nspid_len);
		EXPECT_TRUE(chain_is(json_get(e, "nstid"), r->nspid, r->nspid_len));
		EXPECT_EQ(JSON_NULL, json_get(e, "ns")->type)
			TH_LOG("tid %u marked as a namespace start", r->pid);
	}
	EXPECT_EQ(4, n);
	json_free(j);

	/* -p with -L: that process's threads, all four. */
	snprintf(args, sizeof(args), "ps -L -J -o PID,TID -p %d", child);
	j = nstree_json(_metadata, args);
	a = entries(j, "processes");
	ASSERT_NE(NULL, a);
	got = 0;
	for (e = a->child; e; e = e->next)
		for (i = 0; i < n && i < 8; i++)
			got += json_is_uint(json_get(e, "tid"), tids[i]);
	EXPECT_EQ(4, a->len);
	EXPECT_EQ(4, got);
	json_free(j);
	proc_snap_free(&ts);
	close(fds[0]);
	reap(init);
}

/* ---- JSON as a strict, independent parser reads it ---- */

/*
 * Python's json module, strict UTF-8: the values of @field in every
 * object (children too) whose @key is @val, as hex code points.
 */
static const char py_check[] =
	"import json, sys\n"
	"d = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))\n"
	"top = d.get('processes', d.get('namespaces'))\n"
	"def walk(a):\n"
	"    for e in a:\n"
	"        yield e\n"
	"        yield from walk(e.get('children', []))\n"
	"for e in walk(top):\n"
	"    if e.get(sys.argv[2]) == int(sys.argv[3]):\n"
	"        print(' '.join('%x' % ord(c) for c in e[sys.argv[4]]))\n";

/* A comm that is no UTF-8, with controls, a quote, a backslash, CSI. */
static const char hostile_comm[] = "\xff\x1b[31m\"\\\x01\xc2\x9bx";
/* As JSON gives it back: the byte that is not UTF-8 as the text \xff. */
static const char hostile_hex[] = "5c 78 66 66 1b 5b 33 31 6d 22 5c 1 9b 78\n";

TEST(json_strict_hostile_comm)
{
	static const char *const cmds[][4] = {
		/* nstree arguments, key, field */
		{ "ps -J --output-all", "pid", "comm" },
		{ "ps -J -o PID,PROCESS", "pid", "process" },
		{ "ps -L -J --output-all", "pid", "comm" },
		{ "tree -J --output-all", "pid", "process" },
		{ "ns -J --output-all", "init", "initcomm" },
		{ "ns -l -J --output-all", "init", "initcomm" },
	};
	char py[] = "/tmp/nst_json_XXXXXX", out[] = "/tmp/nst_out_XXXXXX";
	char got[256];
	int fds[2], fd;
	pid_t init;
	size_t i;
	char c;

	if (access("/usr/bin/python3", X_OK))
		SKIP(return, "no python3 in this system");
	fd = mkstemp(py);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(py_check),
		  write(fd, py_check, strlen(py_check)));
	close(fd);
	fd = mkstemp(out);
	ASSERT_LE(0, fd);
	close(fd);

	/* The init of a new PID namespace, so ns shows the name too. */
	ASSERT_EQ(0, pipe(fds));
	init = nst_clone3(CLONE_NEWPID);
	ASSERT_LE(0, init);
	if (init == 0) {
		close(fds[0]);
		if (prctl(PR_SET_NAME, hostile_comm) ||
		    write(fds[1], "R", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	close(fds[0]);

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_EQ(0, nst_sh(got, sizeof(got),
				    "nstree %s >%s && python3 %s %s %s %d %s 2>&1",
				    cmds[i][0], out, py, out, cmds[i][1], init,
				    cmds[i][2]))
			TH_LOG("nstree %s: %s", cmds[i][0], got);
		EXPECT_STREQ(hostile_hex, got) TH_LOG("nstree %s", cmds[i][0]);
	}
	reap(init);
	unlink(py);
	unlink(out);
}

/* ---- errors: one line, the documented exit status ---- */

/*
 * Misuse, --help and --version need no module: user/tests/usage_test.c
 * checks them on the host. Here what needs one.
 */
static void expect_error(struct __test_metadata *_metadata, int status,
			 const char *args, const char *first)
{
	struct cmd_result r;
	char *nl;

	nst_cmd(&r, "nstree %s", args);
	EXPECT_EQ(status, r.status) TH_LOG("nstree %s: %s", args, r.err);
	EXPECT_STREQ("", r.out) TH_LOG("nstree %s", args);
	EXPECT_EQ(0, strncmp(r.err, "nstree: ", 8)) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, first)) TH_LOG("%s", r.err);
	nl = strchr(r.err, '\n');
	ASSERT_NE(NULL, nl) TH_LOG("nstree %s: %s", args, r.err);
	EXPECT_STREQ("", nl + 1) TH_LOG("nstree %s", args);
	nst_cmd_free(&r);
}

/* 4194304 is no PID: PIDs stay below pid_max, at most that. */
TEST(unknown_pid_or_namespace)
{
	static const char *const cmds[] = {
		"tree 4194304", "ps -p 4194304", "ps --subtree 4194304",
		"ps --ns 4194304", "tree -N 4194304", "ns 4194304",
		"info -p 4194304", "ps -p 4194304,4194303",
		"ns 4294967295", "ns pid:[4294967295]", "ps --ns 4294967295",
		"tree -N pid:[4294967295]", "ns :18446744073709551615",
		"ps --ns :18446744073709551615", "tree -N :18446744073709551615",
	};
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		expect_error(_metadata, 4, cmds[i], "not found");
}

/* Output that cannot be written is a failure, not a silent success. */
TEST(write_error)
{
	expect_error(_metadata, 5, "ps >/dev/full", "write error");
	expect_error(_metadata, 5, "ns -J >/dev/full", "write error");
}

TEST_HARNESS_MAIN
