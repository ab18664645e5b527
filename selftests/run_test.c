// SPDX-License-Identifier: GPL-2.0
/*
 * nstree run: the real binary on PATH, driven as a user would, checked
 * against what the kernel shows in /proc. Needs no module. The guest runs
 * tests as root; the unprivileged ones drop to nobody (65534) first.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define NOBODY 65534
#define MAX_ARGS 32

/* A running `nstree` with pipes on its stdin, stdout and stderr. */
struct nst_proc {
	pid_t pid;
	int in, out, err;	/* our ends; -1 once closed */
};

static void nst_drop_to(uid_t id)
{
	if (setgroups(0, NULL) || setresgid(id, id, id) ||
	    setresuid(id, id, id))
		_exit(120);
}

/* Start nstree with @argv (argv[0] is "nstree"), as @uid if not 0. */
static int nst_spawn(struct nst_proc *p, uid_t uid, char *const argv[])
{
	int in[2], out[2], err[2];

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(err, O_CLOEXEC))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (uid)
			nst_drop_to(uid);
		execvp(argv[0], argv);
		_exit(121);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->in = in[1];
	p->out = out[0];
	p->err = err[0];
	return 0;
}

static void nst_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * Read from @fd into @buf (terminated) until a newline, EOF or @ms
 * milliseconds. Returns the number of bytes read.
 */
static size_t nst_read_line(int fd, char *buf, size_t size, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	buf[0] = '\0';
	while (got + 1 < size && poll(&pfd, 1, ms) > 0) {
		n = read(fd, buf + got, 1);
		if (n <= 0)
			break;
		got += n;
		if (buf[got - 1] == '\n')
			break;
	}
	buf[got] = '\0';
	return got;
}

/* Append what is readable on @fd to @buf; 0 at EOF. */
static int nst_drain(int fd, char *buf, size_t size)
{
	size_t len = strlen(buf);
	ssize_t n;
	char junk[256];

	if (len + 1 < size)
		n = read(fd, buf + len, size - 1 - len);
	else
		n = read(fd, junk, sizeof(junk));
	if (n > 0 && len + 1 < size)
		buf[len + n] = '\0';
	return n > 0;
}

/*
 * Close stdin, collect the rest of stdout and stderr (appended to @out and
 * @err), and reap: the exit status as a shell reports it.
 */
static int nst_finish(struct nst_proc *p, char *out, size_t osize, char *err,
		      size_t esize)
{
	struct pollfd pfd[2];
	int st;

	nst_close_fd(&p->in);
	while (p->out >= 0 || p->err >= 0) {
		pfd[0] = (struct pollfd){ .fd = p->out, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = p->err, .events = POLLIN };
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents && !nst_drain(p->out, out, osize))
			nst_close_fd(&p->out);
		if (pfd[1].revents && !nst_drain(p->err, err, esize))
			nst_close_fd(&p->err);
	}
	if (waitpid(p->pid, &st, 0) != p->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* An argument vector built piece by piece; NULL pieces are left out. */
struct nst_argv {
	char *v[MAX_ARGS];
	int n;
};

static void nst_arg(struct nst_argv *a, const char *s)
{
	if (s && a->n < MAX_ARGS - 1)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

/* Run @a as @uid; its output, its status as a shell reports it. */
static int nst_runv(uid_t uid, struct nst_argv *a, char *out, size_t osize,
		    char *err, size_t esize)
{
	struct nst_proc p;

	out[0] = err[0] = '\0';
	if (nst_spawn(&p, uid, a->v))
		return -1;
	return nst_finish(&p, out, osize, err, esize);
}

/* Run `nstree ARGS...` (NULL-terminated) as @uid. */
static int nst_run(uid_t uid, char *out, size_t osize, char *err,
		   size_t esize, ...)
{
	struct nst_argv a = { { "nstree" }, 1 };
	const char *s;
	va_list ap;

	va_start(ap, esize);
	while ((s = va_arg(ap, const char *)))
		nst_arg(&a, s);
	va_end(ap);
	return nst_runv(uid, &a, out, osize, err, esize);
}

/* nstree run -q OPTS... -- sh -c SCRIPT */
static int nst_run_sh(const char *const *opts, size_t nopts,
		      const char *script, char *out, size_t osize, char *err,
		      size_t esize)
{
	struct nst_argv a = { { "nstree", "run", "-q" }, 3 };
	size_t i;

	for (i = 0; i < nopts; i++)
		nst_arg(&a, opts[i]);
	nst_arg(&a, "--");
	nst_arg(&a, "sh");
	nst_arg(&a, "-c");
	nst_arg(&a, script);
	return nst_runv(0, &a, out, osize, err, esize);
}

#define NOPTS(v) (sizeof(v->opts) / sizeof(v->opts[0]))

static int nst_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void nst_ns_link(const char *type, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", type);
	n = readlink(path, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
}

/* Read an integer from @path; -1 if it cannot. */
static long nst_read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int nst_write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%ld\n", v) < 0;
	return fclose(f) || ret ? -1 : 0;
}

static const char *const ns_types[] = {
	"mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time",
};

#define NS_SCRIPT \
	"for t in mnt uts ipc net pid user cgroup time; do " \
	"echo \"$t $(readlink /proc/self/ns/$t)\"; done"

FIXTURE(nstype) {
};

FIXTURE_VARIANT(nstype) {
	const char *opts[3];	/* the options given */
	const char *fresh;	/* the types that must be new, " t1 t2 " */
};

FIXTURE_VARIANT_ADD(nstype, mount) { { "--mount" }, " mnt " };
FIXTURE_VARIANT_ADD(nstype, uts) { { "--uts" }, " uts " };
FIXTURE_VARIANT_ADD(nstype, ipc) { { "--ipc" }, " ipc " };
FIXTURE_VARIANT_ADD(nstype, net) { { "--net" }, " net " };
FIXTURE_VARIANT_ADD(nstype, pid) { { "--pid" }, " pid " };
FIXTURE_VARIANT_ADD(nstype, user) { { "--user" }, " user " };
FIXTURE_VARIANT_ADD(nstype, cgroup) { { "--cgroup" }, " cgroup " };
FIXTURE_VARIANT_ADD(nstype, time) { { "--time" }, " time " };
FIXTURE_VARIANT_ADD(nstype, short_pid_mount) { { "-pm" }, " pid mnt " };
FIXTURE_VARIANT_ADD(nstype, all) {
	{ "-pmuinUC", "--time" },
	" mnt uts ipc net pid user cgroup time ",
};

FIXTURE_SETUP(nstype)
{
}

FIXTURE_TEARDOWN(nstype)
{
}

/*
 * Each type asked for has a new /proc/self/ns inode inside; every other
 * type is the caller's.
 */
TEST_F(nstype, inodes_inside_and_outside)
{
	char out[2048], err[1024], outside[64], want[128], key[16];
	const char *line;
	size_t i;
	int rc;

	if (access("/proc/self/ns/time", F_OK) && strstr(variant->fresh, "time"))
		SKIP(return, "this kernel has no time namespaces");
	rc = nst_run_sh(variant->opts, NOPTS(variant), NS_SCRIPT, out,
			sizeof(out), err, sizeof(err));
	ASSERT_EQ(0, rc) TH_LOG("stderr: %s", err);
	EXPECT_STREQ("", err);
	EXPECT_EQ(8, nst_lines(out)) TH_LOG("stdout: %s", out);
	for (i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++) {
		snprintf(key, sizeof(key), " %s ", ns_types[i]);
		nst_ns_link(ns_types[i], outside, sizeof(outside));
		snprintf(want, sizeof(want), "%s %s\n", ns_types[i], outside);
		line = strstr(out, want);
		if (strstr(variant->fresh, key)) {
			EXPECT_EQ(NULL, line) TH_LOG("%s is not new", ns_types[i]);
			snprintf(want, sizeof(want), "%s %s:[", ns_types[i],
				 ns_types[i]);
			EXPECT_NE(NULL, strstr(out, want))
				TH_LOG("no %s inode inside: %s", ns_types[i], out);
		} else {
			EXPECT_NE(NULL, line)
				TH_LOG("%s changed: %s", ns_types[i], out);
		}
	}
}

/* The command is PID 1 and the fresh /proc shows its namespace. */
TEST(pid_inside_is_1)
{
	char out[512], err[512], outside[64], a[64], b[64];
	int pid = 0;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--pid", "--mount", "--", "sh", "-c",
			     "echo $$; readlink /proc/1/ns/pid; "
			     "readlink /proc/self/ns/pid", NULL))
		TH_LOG("stderr: %s", err);
	ASSERT_EQ(3, sscanf(out, "%d %63s %63s", &pid, a, b)) TH_LOG("%s", out);
	EXPECT_EQ(1, pid);
	EXPECT_STREQ(a, b);
	nst_ns_link("pid", outside, sizeof(outside));
	EXPECT_STRNE(outside, a);
}

/* Under --init, init is PID 1 (a fork of nstree) and the command PID 2. */
TEST(pid_under_init_is_2)
{
	char out[512], err[512], comm[32] = "";
	int pid = 0, ppid = 0;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--pid", "--mount", "--init", "--", "sh",
			     "-c", "echo $$ $PPID; cat /proc/1/comm", NULL))
		TH_LOG("stderr: %s", err);
	ASSERT_EQ(3, sscanf(out, "%d %d %31s", &pid, &ppid, comm))
		TH_LOG("%s", out);
	EXPECT_EQ(2, pid);
	EXPECT_EQ(1, ppid);
	EXPECT_STREQ("nstree", comm);
}

/* The command reads its own NSpid; it must match what nstree told. */
#define NSPID_SCRIPT \
	"exec 3</proc/self/status; " \
	"while read -r k v <&3; do [ \"$k\" = NSpid: ] && echo \"$v\"; done; true"

TEST(tells_both_pids)
{
	char out[512], err[512];
	int host = 0, inside = 0, told_host = 0, told_inside = 0;
	const char *l;

	/* No --mount: /proc is the outer one, whose NSpid has both. */
	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "--pid", "--", "sh", "-c", NSPID_SCRIPT, NULL))
		TH_LOG("stderr: %s", err);
	ASSERT_EQ(2, sscanf(out, "%d %d", &host, &inside)) TH_LOG("%s", out);
	EXPECT_EQ(1, inside);
	EXPECT_NE(NULL, strstr(err, "without --mount")) TH_LOG("%s", err);
	l = strstr(err, "'sh' is PID ");
	ASSERT_NE(NULL, l) TH_LOG("stderr: %s", err);
	ASSERT_EQ(2, sscanf(l, "'sh' is PID %d, PID %d inside", &told_host,
			    &told_inside)) TH_LOG("%s", l);
	EXPECT_EQ(host, told_host);
	EXPECT_EQ(inside, told_inside);
	EXPECT_EQ(2, nst_lines(err)) TH_LOG("%s", err);
}

TEST(tells_both_pids_under_init)
{
	char out[512], err[512];
	int host = 0, inside = 0, init = 0, told_host = 0, told_inside = 0;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "--pid", "--init", "--", "sh", "-c", NSPID_SCRIPT,
			     NULL)) TH_LOG("stderr: %s", err);
	ASSERT_EQ(2, sscanf(out, "%d %d", &host, &inside)) TH_LOG("%s", out);
	EXPECT_EQ(2, inside);
	ASSERT_NE(NULL, strstr(err, "init is PID ")) TH_LOG("%s", err);
	ASSERT_EQ(3, sscanf(strstr(err, "init is PID "),
			    "init is PID %d, PID 1 inside; 'sh' is PID %d, PID %d inside",
			    &init, &told_host, &told_inside)) TH_LOG("%s", err);
	EXPECT_EQ(host, told_host);
	EXPECT_EQ(inside, told_inside);
	EXPECT_LT(0, init);
	EXPECT_NE(init, host);
}

TEST(quiet_is_quiet)
{
	char out[512], err[512];

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--pid", "--", "true", NULL));
	EXPECT_STREQ("", err);
}

FIXTURE(status) {
};

FIXTURE_VARIANT(status) {
	const char *opts[2];
	int pid1;		/* the command is PID 1 */
};

FIXTURE_VARIANT_ADD(status, no_namespace) { { NULL }, 0 };
FIXTURE_VARIANT_ADD(status, pid_mount) { { "--pid", "--mount" }, 1 };
FIXTURE_VARIANT_ADD(status, pid_init) { { "--pid", "--init" }, 0 };

FIXTURE_SETUP(status)
{
}

FIXTURE_TEARDOWN(status)
{
}

static int run_with(const FIXTURE_VARIANT(status) *v, const char *script,
		    char *out, size_t osize, char *err, size_t esize)
{
	return nst_run_sh(v->opts, NOPTS(v), script, out, osize, err, esize);
}

/* The command's exit status is nstree's. */
TEST_F(status, exit_status)
{
	char out[256], err[512];

	EXPECT_EQ(7, run_with(variant, "exit 7", out, sizeof(out), err,
			      sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, run_with(variant, "exit 0", out, sizeof(out), err,
			      sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(255, run_with(variant, "exit 255", out, sizeof(out), err,
				sizeof(err))) TH_LOG("%s", err);
}

/*
 * A command that kills itself makes nstree exit 128 + the signal; under
 * --init, init exits so and nstree passes it on. A PID 1 cannot: the
 * kernel drops a signal from inside its namespace that it has no handler
 * for, SIGKILL included, and the script goes on to exit 3.
 */
TEST_F(status, killed_by_signal)
{
	char out[256], err[512];

	EXPECT_EQ(variant->pid1 ? 3 : 137,
		  run_with(variant, "kill -KILL $$; exit 3", out, sizeof(out),
			   err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(variant->pid1 ? 3 : 143,
		  run_with(variant, "kill -TERM $$; exit 3", out, sizeof(out),
			   err, sizeof(err))) TH_LOG("%s", err);
}

/* Start `nstree run OPTS -- ARGV` and wait for the PID line on stderr. */
static int start_told(struct nst_proc *p, char *const argv[], int *host)
{
	char line[256];

	*host = 0;
	if (nst_spawn(p, 0, argv))
		return -1;
	while (nst_read_line(p->err, line, sizeof(line), 20000)) {
		const char *s = strstr(line, "' is PID ");

		if (s && sscanf(s, "' is PID %d", host) == 1)
			return 0;
	}
	return -1;
}

static int comm_is(pid_t pid, const char *want)
{
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return !strcmp(comm, want);
}

/* The host PID nstree tells is the command's: killing it ends the run. */
TEST(killed_from_outside)
{
	char *argv[] = { "nstree", "run", "--pid", "--", "sleep", "100", NULL };
	char out[256] = "", err[512] = "";
	struct nst_proc p;
	int host;

	ASSERT_EQ(0, start_told(&p, argv, &host));
	ASSERT_TRUE(comm_is(host, "sleep")) TH_LOG("PID %d", host);
	ASSERT_EQ(0, kill(host, SIGKILL));
	EXPECT_EQ(137, nst_finish(&p, out, sizeof(out), err, sizeof(err)));
}

FIXTURE(forward) {
};

FIXTURE_VARIANT(forward) {
	const char *opts[2];
	int sig;
};

FIXTURE_VARIANT_ADD(forward, term) { { "--ipc" }, SIGTERM };
FIXTURE_VARIANT_ADD(forward, hup) { { "--ipc" }, SIGHUP };
FIXTURE_VARIANT_ADD(forward, int_from_kill) { { "--ipc" }, SIGINT };
FIXTURE_VARIANT_ADD(forward, init_term) { { "--pid", "--init" }, SIGTERM };
FIXTURE_VARIANT_ADD(forward, init_hup) { { "--pid", "--init" }, SIGHUP };
FIXTURE_VARIANT_ADD(forward, init_int) { { "--pid", "--init" }, SIGINT };

FIXTURE_SETUP(forward)
{
}

FIXTURE_TEARDOWN(forward)
{
}

/* A signal sent to nstree kills a command that does not catch it. */
TEST_F(forward, to_the_command)
{
	struct nst_argv a = { { "nstree", "run" }, 2 };
	char out[256] = "", err[512] = "";
	struct nst_proc p;
	int host;

	nst_arg(&a, variant->opts[0]);
	nst_arg(&a, variant->opts[1]);
	nst_arg(&a, "--");
	nst_arg(&a, "sleep");
	nst_arg(&a, "100");
	ASSERT_EQ(0, start_told(&p, a.v, &host));
	ASSERT_EQ(0, kill(p.pid, variant->sig));
	EXPECT_EQ(128 + variant->sig,
		  nst_finish(&p, out, sizeof(out), err, sizeof(err)))
		TH_LOG("stderr: %s", err);
}

/* A PID 1 that catches SIGTERM gets the forwarded one. */
TEST(forward_to_pid1_with_handler)
{
	char *argv[] = { "nstree", "run", "-q", "--pid", "--", "sh", "-c",
			 "trap 'exit 42' TERM; echo ready; "
			 "while :; do sleep 0.1; done", NULL };
	char line[64], out[256] = "", err[512] = "";
	struct nst_proc p;

	ASSERT_EQ(0, nst_spawn(&p, 0, argv));
	nst_read_line(p.out, line, sizeof(line), 20000);
	ASSERT_STREQ("ready\n", line);
	ASSERT_EQ(0, kill(p.pid, SIGTERM));
	EXPECT_EQ(42, nst_finish(&p, out, sizeof(out), err, sizeof(err)))
		TH_LOG("stderr: %s", err);
}

/*
 * Without a handler, PID 1 drops the forwarded SIGTERM: the exercise's
 * point, and why --init exists. Only SIGKILL from outside ends it.
 */
TEST(pid1_drops_unhandled_sigterm)
{
	char *argv[] = { "nstree", "run", "--pid", "--", "sleep", "100", NULL };
	char out[256] = "", err[512] = "";
	struct timespec ts = { .tv_sec = 1 };
	struct nst_proc p;
	int host, st;

	ASSERT_EQ(0, start_told(&p, argv, &host));
	ASSERT_TRUE(comm_is(host, "sleep"));
	ASSERT_EQ(0, kill(p.pid, SIGTERM));
	nanosleep(&ts, NULL);
	EXPECT_EQ(0, waitpid(p.pid, &st, WNOHANG));
	EXPECT_TRUE(comm_is(host, "sleep"));
	ASSERT_EQ(0, kill(host, SIGKILL));
	EXPECT_EQ(137, nst_finish(&p, out, sizeof(out), err, sizeof(err)));
}

/*
 * An orphan dies inside the namespace: under --init, init reaps it; with
 * a PID 1 that never waits (cat here), it stays a zombie whose parent is 1.
 * The command substitution's subshell exits at once, orphaning the sleep;
 * a watcher reports what becomes of it, then stdin's end stops cat.
 */
#define ORPHAN_SCRIPT \
	"o=$(sleep 0.3 >/dev/null 2>&1 & echo $!); " \
	"( z=0; i=0; while [ $i -lt 100 ]; do " \
	"  s=$(grep '^State:' /proc/$o/status 2>/dev/null) || " \
	"    { echo reaped; exit 0; }; " \
	"  case \"$s\" in *Z*) z=$((z + 1)); [ $z -ge 20 ] && { " \
	"    echo zombie ppid=$(grep '^PPid:' /proc/$o/status | cut -f2); " \
	"    exit 0; } ;; esac; " \
	"  sleep 0.1; i=$((i + 1)); done; echo alive ) & " \
	"exec cat >/dev/null"

FIXTURE(orphan) {
};

FIXTURE_VARIANT(orphan) {
	const char *init;
	const char *verdict;
};

FIXTURE_VARIANT_ADD(orphan, init_reaps) { "--init", "reaped\n" };
FIXTURE_VARIANT_ADD(orphan, pid1_leaves_zombie) { NULL, "zombie ppid=1\n" };

FIXTURE_SETUP(orphan)
{
}

FIXTURE_TEARDOWN(orphan)
{
}

TEST_F(orphan, fate)
{
	struct nst_argv a = { { "nstree", "run", "-q", "--pid", "--mount" }, 5 };
	char line[128], out[256] = "", err[512] = "";
	struct nst_proc p;

	nst_arg(&a, variant->init);
	nst_arg(&a, "--");
	nst_arg(&a, "sh");
	nst_arg(&a, "-c");
	nst_arg(&a, ORPHAN_SCRIPT);
	ASSERT_EQ(0, nst_spawn(&p, 0, a.v));
	nst_read_line(p.out, line, sizeof(line), 25000);
	EXPECT_STREQ(variant->verdict, line);
	EXPECT_EQ(0, nst_finish(&p, out, sizeof(out), err, sizeof(err)))
		TH_LOG("stderr: %s", err);
}

/*
 * The same orphan, seen by the module from inside: under --init no zombie
 * is left; with a PID 1 that never waits (cat, exec'd by the shell; a
 * shell would reap it while waiting for its own jobs), the orphan stays a
 * zombie whose parent is PID 1. Each script asks the module only once
 * /proc shows the orphan's fate: gone (reaped), or a zombie under PID 1;
 * a fate that never comes ends the wait after 10 s, and the table says
 * what is there instead. The PID 1 variant prints "end" after the table;
 * cat lives until the test, having read it, closes stdin.
 */
#define DUMP_PS "nstree ps -n --raw -o vpid,vppid,state"
#define DUMP_ORPHAN "o=$(sleep 0.2 >/dev/null 2>&1 & echo $!); i=0; "
#define DUMP_UNTIL(cond) \
	"while " cond " && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; "
#define ORPHAN_UNTIL_REAPED DUMP_ORPHAN DUMP_UNTIL("[ -e /proc/$o ]")
#define DUMP_ORPHAN_INIT ORPHAN_UNTIL_REAPED DUMP_PS
#define DUMP_ORPHAN_PID1 \
	DUMP_ORPHAN "( " DUMP_UNTIL("! grep -q '^State:.*Z' /proc/$o/status") \
	DUMP_PS "; echo end ) & exec cat >/dev/null"

TEST(dump_shows_orphan_fate)
{
	char *pid1[] = { "nstree", "run", "-q", "--pid", "--mount", "--",
			 "sh", "-c", DUMP_ORPHAN_PID1, NULL };
	char out[1024], err[512];
	int vpid, vppid, zombies = 0, lines = 0;
	struct nst_proc p;
	char state, *l;
	size_t len;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--pid", "--mount", "--init", "--", "sh",
			     "-c", DUMP_ORPHAN_INIT, NULL))
		TH_LOG("%s", err);
	for (l = out; sscanf(l, "%d %d %c", &vpid, &vppid, &state) == 3;
	     l = strchr(l, '\n') + 1) {
		lines++;
		zombies += state == 'Z';
		if (!strchr(l, '\n'))
			break;
	}
	EXPECT_LE(2, lines) TH_LOG("%s", out);	/* init, nstree */
	EXPECT_EQ(0, zombies) TH_LOG("%s", out);

	ASSERT_EQ(0, nst_spawn(&p, 0, pid1));
	for (len = 0, lines = 0; lines < 20 && len + 1 < sizeof(out); lines++) {
		if (!nst_read_line(p.out, out + len, sizeof(out) - len, 25000))
			break;
		if (!strcmp(out + len, "end\n"))
			break;
		len += strlen(out + len);
	}
	out[len] = '\0';
	err[0] = '\0';
	ASSERT_EQ(0, nst_finish(&p, out + len, sizeof(out) - len, err,
				sizeof(err)))
		TH_LOG("%s", err);
	zombies = 0;
	for (l = out; sscanf(l, "%d %d %c", &vpid, &vppid, &state) == 3;
	     l = strchr(l, '\n') + 1) {
		if (state == 'Z') {
			zombies++;
			EXPECT_EQ(1, vppid) TH_LOG("%s", out);
		}
		if (!strchr(l, '\n'))
			break;
	}
	EXPECT_EQ(1, zombies) TH_LOG("%s", out);
}

/*
 * Reap a child of ours that exits at once, then read @w's lines, appended
 * to @out, until one is about that child: the watcher is subscribed, and
 * it has printed every event before the probe's. Tries @tries probes, each
 * given a second. Returns 0, or -1 if the watcher never told one.
 */
static int watch_probe(struct nst_proc *w, char *out, size_t size, int tries)
{
	char want[40], line[4096];
	size_t len = strlen(out);
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
		for (k = 0; k < 50; k++) {
			if (!nst_read_line(w->out, line, sizeof(line), 1000))
				break;
			if (len + strlen(line) < size) {
				strcpy(out + len, line);
				len += strlen(line);
			}
			if (strstr(line, want))
				return 0;
		}
	}
	return -1;
}

/*
 * The orphan under --init, seen by the event stream: REAP of the orphaned
 * sleep by the namespace's init, which is nstree's init (PID 1 inside);
 * the command waits until /proc shows the orphan gone. The watcher follows
 * this test's own subtree, so it sees nothing else.
 */
TEST(init_reap_event)
{
	char me[16], out[16384], err[512], rout[256], rerr[512];
	char *watch[] = { "nstree", "watch", "-J", "-e", "reap,reparent",
			  "-t", "120", "-s", me, NULL };
	struct nst_proc w;
	const char *l;
	int reparent = 0, reap = 0, orphan = 0, own = 0;

	snprintf(me, sizeof(me), "%d", getpid());
	out[0] = err[0] = '\0';
	ASSERT_EQ(0, nst_spawn(&w, 0, watch));
	/* Subscribed before the orphan is made. */
	ASSERT_EQ(0, watch_probe(&w, out, sizeof(out), 30))
		TH_LOG("the watcher told no probe: %s", out);
	ASSERT_EQ(0, nst_run(0, rout, sizeof(rout), rerr, sizeof(rerr), "run",
			     "-q", "--pid", "--mount", "--init", "--", "sh",
			     "-c", ORPHAN_UNTIL_REAPED, NULL))
		TH_LOG("%s", rerr);
	/* Everything before a second probe's reap has been printed. */
	EXPECT_EQ(0, watch_probe(&w, out, sizeof(out), 1))
		TH_LOG("the watcher lagged: %s", out);
	kill(w.pid, SIGTERM);
	EXPECT_EQ(0, nst_finish(&w, out, sizeof(out), err, sizeof(err)))
		TH_LOG("watch: %s", err);
	for (l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *end = strchr(l, '\n'), *r;
		char line[2048];
		int pid = 0;

		snprintf(line, sizeof(line), "%.*s",
			 (int)(end ? end - l : (long)strlen(l)), l);
		r = strstr(line, "\"proc\":{\"pid\":");
		if (!r || sscanf(r, "\"proc\":{\"pid\":%d", &pid) != 1)
			continue;
		/* The orphan: adopted by init (PID 1 inside)... */
		if (strstr(line, "\"type\":\"reparent\"") &&
		    strstr(line, "\"reason\":\"ns-init\"") &&
		    strstr(line, "\"parent\":{") &&
		    strstr(strstr(line, "\"parent\":{"), ",1],")) {
			orphan = pid;
			reparent++;
		}
		/* The command, PID 2, is init's own child: a parent's reap. */
		if (strstr(line, "\"type\":\"reap\"") &&
		    strstr(line, "\"reason\":\"parent\"") &&
		    strstr(line, ",2],\"pidns\"") &&
		    strstr(line, "\"reaper\":{") &&
		    strstr(strstr(line, "\"reaper\":{"), ",1],"))
			own++;
		/* ... then reaped by it. */
		if (orphan && pid == orphan &&
		    strstr(line, "\"type\":\"reap\"") &&
		    strstr(line, "\"reaper\":{") &&
		    strstr(strstr(line, "\"reaper\":{"), ",1],"))
			reap++;
	}
	EXPECT_EQ(1, reparent) TH_LOG("%.1000s", out);
	EXPECT_EQ(1, reap) TH_LOG("%.1000s", out);
	EXPECT_EQ(1, own) TH_LOG("%.1000s", out);
}

/* --show draws the new namespace from the module, both PIDs side by side. */
TEST(show_draws_the_namespace)
{
	char out[2048], err[512], want[64];
	int host = 0, inside = 0;
	const char *l;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "--pid", "--mount", "--show=300", "--", "sh", "-c",
			     "sleep 30 & sleep 2; kill $!", NULL))
		TH_LOG("%s", err);
	l = strstr(err, "'sh' is PID ");
	ASSERT_NE(NULL, l) TH_LOG("stderr: %s", err);
	ASSERT_EQ(2, sscanf(l, "'sh' is PID %d, PID %d inside", &host,
			    &inside));
	EXPECT_NE(NULL, strstr(out, "PROCESS")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), " %d,1 ", host);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no '%s' in %s", want, out);
	EXPECT_NE(NULL, strstr(out, " level 1")) TH_LOG("%s", out);
	/* The background sleep: PID 2 inside, under the shell. */
	EXPECT_NE(NULL, strstr(out, "sleep")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ",2 ")) TH_LOG("%s", out);
}

/*
 * --subreaper: the command's orphan (no --pid) is handed to nstree, which
 * reaps it; without it, the orphan goes to someone else.
 */
#define SUBREAPER_SCRIPT \
	"o=$(sleep 0.3 >/dev/null 2>&1 & echo $!); " \
	"echo $PPID $(grep '^PPid:' /proc/$o/status | cut -f2); " \
	"i=0; while [ -e /proc/$o ] && [ $i -lt 100 ]; do " \
	"  grep -q '^State:.*Z' /proc/$o/status 2>/dev/null && break; " \
	"  sleep 0.1; i=$((i + 1)); done; " \
	"i=0; while grep -q '^PPid:.'$PPID'$' /proc/$o/status 2>/dev/null " \
	"  && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; " \
	"[ -e /proc/$o ] && echo left || echo reaped"

TEST(subreaper_adopts_and_reaps)
{
	char out[256], err[512];
	int nst = 0, ppid = 0;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--subreaper", "--", "sh", "-c",
			     SUBREAPER_SCRIPT, NULL)) TH_LOG("%s", err);
	ASSERT_EQ(2, sscanf(out, "%d %d", &nst, &ppid)) TH_LOG("%s", out);
	EXPECT_EQ(nst, ppid) TH_LOG("the orphan went to %d, not nstree", ppid);
	EXPECT_NE(NULL, strstr(out, "\nreaped\n")) TH_LOG("%s", out);
}

TEST(no_subreaper_no_adoption)
{
	char out[256], err[512];
	int nst = 0, ppid = 0;

	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--", "sh", "-c", SUBREAPER_SCRIPT, NULL))
		TH_LOG("%s", err);
	ASSERT_EQ(2, sscanf(out, "%d %d", &nst, &ppid)) TH_LOG("%s", out);
	EXPECT_NE(nst, ppid);
}

TEST(uts_hostname)
{
	char out[256], err[512], before[128], after[128];

	ASSERT_EQ(0, gethostname(before, sizeof(before)));
	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--hostname=inside-name", "--", "hostname", NULL))
		TH_LOG("%s", err);
	EXPECT_STREQ("inside-name\n", out);
	ASSERT_EQ(0, gethostname(after, sizeof(after)));
	EXPECT_STREQ(before, after);
	EXPECT_STRNE("inside-name", after);
	/* --uts alone: a new namespace, the name copied into it. */
	ASSERT_EQ(0, nst_run(0, out, sizeof(out), err, sizeof(err), "run",
			     "-q", "--uts", "--", "sh", "-c",
			     "hostname changed-inside && hostname", NULL))
		TH_LOG("%s", err);
	EXPECT_STREQ("changed-inside\n", out);
	ASSERT_EQ(0, gethostname(after, sizeof(after)));
	EXPECT_STREQ(before, after);
}

/*
 * unshare's spelling, --map-root-user, and the former --map-root, now its
 * abbreviation: the caller is root in a new user namespace.
 */
TEST(map_root_user)
{
	static const char *const spellings[] = {
		"--map-root-user", "--map-root", "-r",
	};
	char out[256], err[512], self_ns[64], link[64];
	size_t i;
	ssize_t n;

	n = readlink("/proc/self/ns/user", self_ns, sizeof(self_ns) - 1);
	ASSERT_LT(0, n);
	self_ns[n] = '\0';
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		ASSERT_EQ(0, nst_run(NOBODY, out, sizeof(out), err, sizeof(err),
				     "run", "-q", spellings[i], "--", "sh", "-c",
				     "id -u; readlink /proc/self/ns/user", NULL))
			TH_LOG("%s: %s", spellings[i], err);
		ASSERT_EQ(1, sscanf(out, "0\n%63s", link))
			TH_LOG("%s: %s", spellings[i], out);
		EXPECT_STRNE(self_ns, link) TH_LOG("%s", spellings[i]);
	}
}

/* An unprivileged user gets root in a user namespace, and PID 1. */
TEST(unprivileged_user_pid)
{
	char out[512], err[512], outside[64], inside[64] = "";
	int pid = 0, uid = -1, gid = -1, rc;

	rc = nst_run(NOBODY, out, sizeof(out), err, sizeof(err), "run", "-q",
		     "--user", "--pid", "--mount", "--", "sh", "-c",
		     "echo $$ $(id -u) $(id -g) $(readlink /proc/self/ns/user)",
		     NULL);
	if (rc == 125 && strstr(err, "unprivileged_userns_clone is 0"))
		SKIP(return, "the kernel forbids it: %s", err);
	ASSERT_EQ(0, rc) TH_LOG("stderr: %s", err);
	ASSERT_EQ(4, sscanf(out, "%d %d %d %63s", &pid, &uid, &gid, inside))
		TH_LOG("%s", out);
	EXPECT_EQ(1, pid);
	EXPECT_EQ(0, uid);
	EXPECT_EQ(0, gid);
	nst_ns_link("user", outside, sizeof(outside));
	EXPECT_STRNE(outside, inside);
}

/* Without --user, an unprivileged user is refused, and told why. */
TEST(unprivileged_without_user)
{
	char out[256], err[512];

	EXPECT_EQ(125, nst_run(NOBODY, out, sizeof(out), err, sizeof(err),
			       "run", "-q", "--pid", "--", "true", NULL));
	EXPECT_EQ(1, nst_lines(err)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "Operation not permitted")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "CAP_SYS_ADMIN")) TH_LOG("%s", err);
}

#define USERNS_SYSCTL "/proc/sys/kernel/unprivileged_userns_clone"

/* Debian's switch for unprivileged user namespaces is named when it is 0. */
TEST(userns_sysctl_named)
{
	char out[256], err[512];
	long old = nst_read_long(USERNS_SYSCTL);
	int rc;

	if (old < 0)
		SKIP(return, "no %s on this kernel (not a Debian one)",
		     USERNS_SYSCTL);
	ASSERT_EQ(0, nst_write_long(USERNS_SYSCTL, 0));
	rc = nst_run(NOBODY, out, sizeof(out), err, sizeof(err), "run", "-q",
		     "--user", "--pid", "--", "true", NULL);
	ASSERT_EQ(0, nst_write_long(USERNS_SYSCTL, old));
	EXPECT_EQ(125, rc);
	EXPECT_EQ(1, nst_lines(err)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "kernel.unprivileged_userns_clone is 0"))
		TH_LOG("%s", err);
}

#define MAX_IPC "/proc/sys/user/max_ipc_namespaces"

/* A namespace limit of 0 is ENOSPC, and the limit is named. */
TEST(enospc_names_the_limit)
{
	char out[256], err[512];
	long old = nst_read_long(MAX_IPC);
	int rc;

	ASSERT_LE(0, old) TH_LOG("cannot read %s", MAX_IPC);
	ASSERT_EQ(0, nst_write_long(MAX_IPC, 0));
	rc = nst_run(0, out, sizeof(out), err, sizeof(err), "run", "-q",
		     "--ipc", "--", "true", NULL);
	ASSERT_EQ(0, nst_write_long(MAX_IPC, old));
	EXPECT_EQ(125, rc);
	EXPECT_EQ(1, nst_lines(err)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "No space left on device")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "max_ipc_namespaces")) TH_LOG("%s", err);
}

FIXTURE(notfound) {
};

FIXTURE_VARIANT(notfound) {
	const char *opts[3];
};

FIXTURE_VARIANT_ADD(notfound, plain) { { "--uts" } };
FIXTURE_VARIANT_ADD(notfound, pid_mount) { { "--pid", "--mount" } };
FIXTURE_VARIANT_ADD(notfound, init) { { "--pid", "--mount", "--init" } };

FIXTURE_SETUP(notfound)
{
}

FIXTURE_TEARDOWN(notfound)
{
}

static int run_cmd(const FIXTURE_VARIANT(notfound) *v, const char *cmd,
		   char *out, size_t osize, char *err, size_t esize)
{
	struct nst_argv a = { { "nstree", "run" }, 2 };

	nst_arg(&a, v->opts[0]);
	nst_arg(&a, v->opts[1]);
	nst_arg(&a, v->opts[2]);
	nst_arg(&a, "--");
	nst_arg(&a, cmd);
	return nst_runv(0, &a, out, osize, err, esize);
}

/* A command that is not there: one line and 127; not executable: 126. */
TEST_F(notfound, one_line)
{
	char out[256], err[512];

	EXPECT_EQ(127, run_cmd(variant, "/nonexistent/command", out,
			       sizeof(out), err, sizeof(err)));
	EXPECT_EQ(1, nst_lines(err)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "cannot execute '/nonexistent/command': "
			       "No such file or directory")) TH_LOG("%s", err);
	EXPECT_EQ(127, run_cmd(variant, "no-such-command", out, sizeof(out),
			       err, sizeof(err)));
	EXPECT_EQ(1, nst_lines(err)) TH_LOG("%s", err);
	EXPECT_EQ(126, run_cmd(variant, "/etc/passwd", out, sizeof(out), err,
			       sizeof(err)));
	EXPECT_EQ(1, nst_lines(err)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "Permission denied")) TH_LOG("%s", err);
}

TEST_HARNESS_MAIN
