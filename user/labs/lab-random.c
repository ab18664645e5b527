// SPDX-License-Identifier: GPL-2.0
/*
 * lab-random: practice beyond the fixed labs. A seed gives a scenario of
 * named processes (p1, p2...) and operations on them, run for real by
 * nstree-lab; the student predicts the final tree and every reaper, and
 * the kernel's events give the answers. The same seed gives the same
 * scenario: the generator below uses its own PRNG, not rand(), whose
 * sequence differs from one libc to another.
 *
 *   lab-random --lab SEED      print the scenario as a .lab file: its
 *                              description, its steps, its questions
 *   lab-random top             the scenario's root (nstree-lab's `start`):
 *                              a subreaper that reaps every child at once,
 *                              as an init does; it forks p1
 *   lab-random NAME OP [ARG]   tell process NAME to do OP, wait until done:
 *                                fork CHILD     fork() a child named CHILD
 *                                newpid CHILD   clone3(CLONE_NEWPID): CHILD
 *                                               is PID 1 of a new namespace
 *                                exit CODE      _exit(CODE)
 *                                wait           waitpid(-1, WNOHANG): reap
 *                                               a zombie child, if any
 *                                subreaper      PR_SET_CHILD_SUBREAPER
 *                                ignore-sigchld SIGCHLD to SIG_IGN
 *
 * Every process of the scenario (a "puppet") waits for its orders on its
 * FIFO, $LAB_DIR/ctl.NAME, and answers on the FIFO the order names: the
 * steps of the lab are these orders, plain kill -9 commands, and
 * lab-wait handshakes for the states the generator expects.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

/* ---------------------------------------------------------------------
 * The puppets: what runs in the guest.
 */

static int ctl_fd = -1;

static void lab_path(char *buf, size_t len, const char *what, const char *name)
{
	const char *dir = getenv("LAB_DIR");

	snprintf(buf, len, "%s/%s.%s", dir ? dir : "/tmp/nstree-lab", what, name);
}

/* The FIFO a puppet reads its orders from, made before it is forked. */
static void make_ctl(const char *name)
{
	char path[4096];

	lab_path(path, sizeof(path), "ctl", name);
	if (mkfifo(path, 0600) < 0 && errno != EEXIST)
		lab_die(path);
}

static void reply(const char *ack, int status, const char *text)
{
	char buf[256];
	int fd, n;

	n = snprintf(buf, sizeof(buf), "%d%s", status, text);
	fd = open(ack, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		lab_die(ack);
	if (write(fd, buf, n) != n)
		lab_die(ack);
	close(fd);
}

static void puppet(void);

/* fork() or clone3(CLONE_NEWPID) a puppet named @name; as lab_fork(). */
static void fork_puppet(const char *name, int newpid)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	int p[2];
	pid_t pid;
	char c;

	make_ctl(name);
	if (!newpid) {
		lab_fork(name, puppet);
		return;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		lab_die("pipe");
	args.flags = CLONE_NEWPID;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		lab_die("clone3(CLONE_NEWPID)");
	if (pid == 0) {
		close(p[0]);
		lab_role(name);
		if (write(p[1], "r", 1) != 1)
			lab_die("pipe write");
		close(p[1]);
		puppet();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		errno = ECHILD;
		lab_die(name);
	}
	close(p[0]);
}

/* waitpid(-1, WNOHANG) and what it saw, in words. */
static void do_wait(char *text, size_t len)
{
	int st;
	pid_t pid = waitpid(-1, &st, WNOHANG);

	if (pid < 0)
		snprintf(text, len, "wait() = -1 (%s)", strerror(errno));
	else if (pid == 0)
		snprintf(text, len, "wait() = 0: no child has ended");
	else if (WIFEXITED(st))
		snprintf(text, len, "wait() reaped a child that exited with %d",
			 WEXITSTATUS(st));
	else
		snprintf(text, len, "wait() reaped a child killed by signal %d",
			 WTERMSIG(st));
}

/* A process of the scenario: its orders, one at a time, for ever. */
static void puppet(void)
{
	char path[4096], buf[512], op[32], arg[64], ack[4096], text[200];
	char me[16];
	ssize_t n;

	if (prctl(PR_GET_NAME, me) < 0)
		lab_die("PR_GET_NAME");
	/* The parent's FIFO came with the fork: ours is another. */
	if (ctl_fd >= 0)
		close(ctl_fd);
	lab_path(path, sizeof(path), "ctl", me);
	/* O_RDWR: never an end of file while no order is being written. */
	ctl_fd = open(path, O_RDWR | O_CLOEXEC);
	if (ctl_fd < 0)
		lab_die(path);
	for (;;) {
		n = read(ctl_fd, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			lab_die("read order");
		buf[n] = '\0';
		if (sscanf(buf, "%31s %63s %4095s", op, arg, ack) != 3)
			continue;
		text[0] = '\0';
		if (!strcmp(op, "fork") || !strcmp(op, "newpid")) {
			fork_puppet(arg, !strcmp(op, "newpid"));
		} else if (!strcmp(op, "exit")) {
			reply(ack, 0, "");
			_exit(atoi(arg));
		} else if (!strcmp(op, "wait")) {
			do_wait(text, sizeof(text));
		} else if (!strcmp(op, "subreaper")) {
			if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
				lab_die("PR_SET_CHILD_SUBREAPER");
		} else if (!strcmp(op, "ignore-sigchld")) {
			if (signal(SIGCHLD, SIG_IGN) == SIG_ERR)
				lab_die("signal(SIGCHLD, SIG_IGN)");
		} else {
			reply(ack, 1, "unknown order");
			continue;
		}
		reply(ack, 0, text);
	}
}

static void __attribute__((noreturn)) top(void)
{
	lab_role("top");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		lab_die("PR_SET_CHILD_SUBREAPER");
	fork_puppet("p1", 0);
	lab_ready();
	lab_reap_all();
}

/* lab-random NAME OP ARG: give the order, print the answer. */
static int order(const char *name, const char *op, const char *arg)
{
	char ctl[4096], ack[4096], buf[512];
	ssize_t n, len = 0;
	int fd;

	lab_path(ctl, sizeof(ctl), "ctl", name);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	lab_path(ack, sizeof(ack), "ack", buf);
	if (mkfifo(ack, 0600) < 0)
		lab_die(ack);
	/* Not blocking: a puppet that is gone has no reader on its FIFO. */
	fd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		unlink(ack);
		fprintf(stderr, "lab-random: %s takes no orders (%s)\n", name,
			strerror(errno));
		return 1;
	}
	n = snprintf(buf, sizeof(buf), "%s %s %s\n", op, arg, ack);
	if (write(fd, buf, n) != n)
		lab_die(ctl);
	close(fd);
	/* The puppet's answer; SIGALRM kills us if it never comes. */
	alarm(10);
	fd = open(ack, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		lab_die(ack);
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	unlink(ack);
	buf[len] = '\0';
	if (len == 0 || buf[0] != '0') {
		fprintf(stderr, "lab-random: %s %s: %s\n", name, op,
			len ? buf + 1 : "no answer");
		return 1;
	}
	if (buf[1])
		printf("%s: %s\n", name, buf + 1);
	return 0;
}

/* ---------------------------------------------------------------------
 * The generator: a scenario from a seed, and what the kernel will do
 * with it, as far as the lab needs to know (which state to wait for,
 * which questions have one answer).
 */

/* splitmix64 to spread the seed, then xorshift64*: the same everywhere. */
static uint64_t rng;

static uint64_t rnd64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)((rnd64() >> 32) % n);
}

static void seed_rng(uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	rng = (z ^ (z >> 31)) | 1;
}

enum { ALIVE, ZOMBIE, GONE };
enum { FORK, NEWPID, EXIT, KILL, WAIT, SUBREAPER, IGNORE };

#define MAXP 9		/* top and p1..p8 */
#define MAXNS 3		/* the host's and two new ones */

struct proc {
	int parent;
	int ns;
	int state;
	int subreaper;
	int ign;		/* SIGCHLD is SIG_IGN */
	int adopted;		/* times adopted */
	int racy;		/* reaper and adopters decided by a race */
	int cascade;		/* killed by its namespace's init's death */
	int changed;		/* a handshake to write after this step */
};

static struct proc P[MAXP];
static int nproc;		/* top is P[0], pN is P[N] */
static int ns_init[MAXNS];	/* the init of each namespace; 0: the host's */
static int ns_parent[MAXNS];
static int nns = 1;

static const char *pname(int i)
{
	static char buf[MAXP][8];

	if (i == 0)
		return "top";
	snprintf(buf[i], sizeof(buf[i]), "p%d", i);
	return buf[i];
}

/* Is namespace @ns @outer or nested in it? */
static int ns_within(int ns, int outer)
{
	for (; ns > 0; ns = ns_parent[ns])
		if (ns == outer)
			return 1;
	return outer == 0;
}

/*
 * find_new_reaper(), kernel/exit.c: the nearest living subreaper among
 * the ancestors in the dying process's own namespace, else the
 * namespace's init. top is a subreaper: in the host's namespace the walk
 * ends at top at the latest.
 */
static int new_reaper(int x)
{
	int r;

	for (r = P[x].parent; r >= 0 && P[r].ns == P[x].ns; r = P[r].parent)
		if (P[r].subreaper && P[r].state == ALIVE)
			return r;
	return ns_init[P[x].ns];
}

/* A dead process whose parent is now @r: a zombie, or reaped at once. */
static int dead_state(int r)
{
	/* top reaps every child; a parent ignoring SIGCHLD lets it go. */
	return (r == 0 || P[r].ign) ? GONE : ZOMBIE;
}

static void die(int x)
{
	int i, r;

	if (x == ns_init[P[x].ns] && P[x].ns) {
		/*
		 * zap_pid_ns_processes(): SIGKILL to everything in the
		 * namespace and those nested in it; the init waits until all
		 * are reaped. The init's own children are reaped by it or
		 * autoreaped (it ignores SIGCHLD meanwhile); deeper ones
		 * race with their parents' deaths.
		 */
		for (i = 1; i < nproc; i++) {
			if (i == x || !ns_within(P[i].ns, P[x].ns) ||
			    P[i].state == GONE)
				continue;
			if (P[i].state == ALIVE)
				P[i].cascade = 1;
			if (P[i].parent != x)
				P[i].racy = 1;
			P[i].state = GONE;
			P[i].changed = 1;
		}
	} else {
		/* forget_original_parent(): the children go to a reaper. */
		r = new_reaper(x);
		for (i = 1; i < nproc; i++) {
			if (P[i].parent != x || P[i].state == GONE)
				continue;
			P[i].parent = r;
			P[i].adopted++;
			P[i].changed = 1;
			if (P[i].state == ZOMBIE)
				P[i].state = dead_state(r);
		}
	}
	P[x].state = dead_state(P[x].parent);
	P[x].changed = 1;
}

/*
 * The handshakes after a step: each changed process's new state; then,
 * after a step the kernel reports (@events), what it reported.
 */
static void handshakes(int events)
{
	int i;

	for (i = 1; i < nproc; i++) {
		if (!P[i].changed)
			continue;
		P[i].changed = 0;
		if (P[i].state == GONE)
			printf("step lab-wait $%s gone\n", pname(i));
		else if (P[i].state == ZOMBIE)
			printf("step lab-wait $%s zombie\n", pname(i));
		if (P[i].state != GONE)
			printf("step lab-wait $%s ppid=$%s\n", pname(i),
			       pname(P[i].parent));
	}
	if (events)
		printf("events\n");
}

/* The one zombie child of @a, or -1 when it has none or several. */
static int only_zombie(int a)
{
	int i, z = -1;

	for (i = 1; i < nproc; i++)
		if (P[i].parent == a && P[i].state == ZOMBIE) {
			if (z >= 0)
				return -1;
			z = i;
		}
	return z;
}

struct op {
	int kind, actor, arg;
};

/*
 * What an operation does to the model. A fork's child is the next pN
 * (its number in @o->arg), a wait's reaped child in @o->arg.
 */
static void apply(struct op *o)
{
	int a = o->actor, c;

	switch (o->kind) {
	case FORK:
	case NEWPID:
		c = nproc++;
		P[c] = P[a];		/* SIG_IGN is inherited, */
		P[c].parent = a;
		P[c].subreaper = 0;	/* the subreaper flag is not */
		P[c].adopted = 0;
		if (o->kind == NEWPID) {
			ns_parent[nns] = P[a].ns;
			ns_init[nns] = c;
			P[c].ns = nns++;
		}
		o->arg = c;
		break;
	case EXIT:
	case KILL:
		die(a);
		break;
	case WAIT:
		c = only_zombie(a);
		P[c].state = GONE;
		P[c].changed = 1;
		o->arg = c;
		break;
	case SUBREAPER:
		P[a].subreaper = 1;
		break;
	case IGNORE:
		P[a].ign = 1;
		break;
	}
}

/* Draw the scenario: its operations in @ops, their number returned. */
static int draw(struct op *ops, int max)
{
	int target = 5 + rnd(4);	/* top and p1 now, 5 to 8 in the end */
	int extra = 4 + rnd(4);		/* operations that are not forks */
	int alive[MAXP], na, n = 0, i, a, k;
	int w[7];

	while (n < max && (nproc < target || extra > 0)) {
		na = 0;
		for (i = 1; i < nproc; i++)
			if (P[i].state == ALIVE)
				alive[na++] = i;
		if (!na)
			break;
		a = alive[rnd(na)];
		if (nproc < target && (n < 2 || extra == 0 || rnd(3) < 2)) {
			k = FORK;
			if (nns < MAXNS && rnd(4) == 0)
				k = NEWPID;
		} else if (extra == 0) {
			break;
		} else {
			/* Weights of the others, 0 when not possible. */
			w[EXIT] = 3;
			w[KILL] = 3;
			w[WAIT] = 0;
			for (i = 0; i < na; i++)
				if (only_zombie(alive[i]) > 0) {
					w[WAIT] = 4;
					break;
				}
			w[SUBREAPER] = P[a].subreaper ? 0 : 2;
			w[IGNORE] = P[a].ign ? 0 : 1;
			k = rnd(w[EXIT] + w[KILL] + w[WAIT] + w[SUBREAPER] +
				w[IGNORE]);
			for (i = EXIT; k >= w[i]; i++)
				k -= w[i];
			k = i;
			if (k == WAIT)
				while (only_zombie(a) <= 0)
					a = alive[rnd(na)];
			extra--;
		}
		ops[n].kind = k;
		ops[n].actor = a;
		ops[n].arg = k == EXIT ? (int)rnd(10) : 0;
		apply(&ops[n++]);
	}
	return n;
}

static void print_lab(unsigned long seed)
{
	struct op ops[32];
	struct proc before[MAXP];
	int n, i, k, q, pts, nq = 0;
	const char *a;
	char qs[64][160];

	seed_rng(seed);
	memset(P, 0, sizeof(P));
	P[0].parent = -1;
	P[0].subreaper = 1;
	P[1].parent = 0;
	nproc = 2;
	memcpy(before, P, sizeof(P));
	n = draw(ops, 32);

	printf("# A random scenario (lab-random --lab %lu): a seed, its\n"
	       "# operations, and questions the kernel's events answer.\n",
	       seed);
	printf("title Random scenario, seed %lu\n", seed);
	printf("text top, the scenario's root, is a child subreaper that reaps every\n"
	       "text child at once, as an init does. top forks p1.\n");
	for (i = 0; i < n; i++) {
		a = pname(ops[i].actor);
		k = ops[i].kind;
		printf("text %2d. ", i + 1);
		if (k == FORK)
			printf("%s forks %s.\n", a, pname(ops[i].arg));
		else if (k == NEWPID)
			printf("%s forks %s into a new PID namespace (clone3 CLONE_NEWPID).\n",
			       a, pname(ops[i].arg));
		else if (k == EXIT)
			printf("%s exits with status %d.\n", a, ops[i].arg);
		else if (k == KILL)
			printf("%s is killed (kill -9).\n", a);
		else if (k == WAIT)
			printf("%s calls wait().\n", a);
		else if (k == SUBREAPER)
			printf("%s becomes a child subreaper (PR_SET_CHILD_SUBREAPER).\n", a);
		else
			printf("%s sets SIGCHLD to SIG_IGN.\n", a);
	}

	/* Again, from the start, with the steps and their handshakes. */
	memcpy(P, before, sizeof(P));
	nproc = 2;
	nns = 1;
	printf("start lab-random top\n");
	for (i = 0; i < n; i++) {
		a = pname(ops[i].actor);
		k = ops[i].kind;
		if (k == FORK || k == NEWPID)
			printf("step lab-random %s %s %s\n", a,
			       k == FORK ? "fork" : "newpid", pname(ops[i].arg));
		else if (k == EXIT)
			printf("step lab-random %s exit %d\n", a, ops[i].arg);
		else if (k == KILL)
			printf("step kill -9 $%s\n", a);
		else
			printf("step lab-random %s %s\n", a, k == WAIT ? "wait" :
			       k == SUBREAPER ? "subreaper" : "ignore-sigchld");
		apply(&ops[i]);
		handshakes(k != SUBREAPER && k != IGNORE);
	}
	printf("step nstree tree -o PROCESS,STATE,FLAGS $top\n");

	/* The questions: only those with one answer whatever the timing. */
	for (i = 1; i < nproc; i++) {
		a = pname(i);
		snprintf(qs[nq++], sizeof(qs[0]),
			 "parent %s | At the end, who is %s's parent (\"gone\" once reaped)?",
			 a, a);
		if (P[i].state != ALIVE && !P[i].racy)
			snprintf(qs[nq++], sizeof(qs[0]),
				 "reaped %s | Who reaped %s (\"none\" if nobody did; its own name if it was autoreaped)?",
				 a, a);
		if (P[i].adopted && !P[i].racy)
			snprintf(qs[nq++], sizeof(qs[0]),
				 "adopters %s | Who adopted %s, each time it was orphaned (in order)?",
				 a, a);
		if (P[i].cascade)
			snprintf(qs[nq++], sizeof(qs[0]),
				 "exit %s | How did %s end (its exit status, or \"signal N\")?",
				 a, a);
	}
	/* 100 points in all, the remainder to the first questions. */
	for (q = 0; q < nq; q++) {
		pts = 100 / nq + (q < 100 % nq);
		printf("q %d %d %s\n", q + 1, pts, qs[q]);
	}
}

static int parse_seed(const char *s, unsigned long *seed)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -1;
	*seed = strtoul(s, &end, 10);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long seed;

	if (argc == 3 && !strcmp(argv[1], "--lab")) {
		if (parse_seed(argv[2], &seed) < 0) {
			fprintf(stderr, "lab-random: seed '%s': a number from 0 to 999999999\n",
				argv[2]);
			return 1;
		}
		print_lab(seed);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "top"))
		top();
	if (argc == 3 || argc == 4)
		return order(argv[1], argv[2], argc == 4 ? argv[3] : "-");
	fprintf(stderr, "usage: lab-random --lab SEED | top | NAME OP [ARG]\n");
	return 1;
}
