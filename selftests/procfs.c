// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include <linux/sched.h>

#include "lib.h"
#include "procfs.h"

static const char *const ns_names[NS_TYPES] = {
	[NS_PID] = "pid", [NS_MNT] = "mnt", [NS_NET] = "net",
	[NS_UTS] = "uts", [NS_IPC] = "ipc", [NS_USER] = "user",
	[NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

ssize_t proc_read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

int proc_wait_wchan(pid_t pid, const char *want, int ms)
{
	char path[64], buf[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	for (i = 0; i < ms; i++) {
		if (proc_read_small(path, buf, sizeof(buf)) > 0 &&
		    !strcmp(buf, want))
			return 0;
		usleep(1000);
	}
	return -1;
}

int proc_wait_settled(const char *procdir, int ms)
{
	struct proc_snap s;
	size_t k, n;
	int i;

	for (i = 0; i < ms; i++) {
		if (proc_snap_take(procdir, &s))
			return -1;
		for (k = 0, n = s.n; k < n; k++)
			if ((pid_t)s.recs[k].pid != getpid() &&
			    !strchr("SITtZ", s.recs[k].state))
				break;
		proc_snap_free(&s);
		if (k == n)
			return 0;
		usleep(1000);
	}
	return -1;
}

uint32_t proc_ns_inum(const char *procdir, uint32_t pid, const char *type)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%u/ns/%s", procdir, pid, type);
	return stat(path, &st) ? 0 : (uint32_t)st.st_ino;
}

int proc_pidns_within(const char *procdir, uint32_t pid, uint32_t inum)
{
	char path[128];
	struct stat st;
	int fd, parent, found = 0;

	snprintf(path, sizeof(path), "%s/%u/ns/pid", procdir, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && !found) {
		found = !fstat(fd, &st) && st.st_ino == inum;
		parent = found ? -1 : ioctl(fd, NS_GET_PARENT);
		close(fd);
		fd = parent;
	}
	return found;
}

static int read_status(const char *procdir, uint32_t pid, struct proc_rec *r)
{
	char path[128], line[512], *p, *end;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/status", procdir, pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "Name:\t", 6)) {
			snprintf(r->name, sizeof(r->name), "%.63s", line + 6);
		} else if (!strncmp(line, "State:\t", 7)) {
			r->state = line[7];
		} else if (!strncmp(line, "PPid:\t", 6)) {
			r->ppid = strtoul(line + 6, NULL, 10);
		} else if (!strncmp(line, "Uid:\t", 5)) {
			if (sscanf(line + 5, "%u %u", &r->uid, &r->euid) != 2)
				r->uid = r->euid = UINT32_MAX;
		} else if (!strncmp(line, "Threads:\t", 9)) {
			r->threads = strtoul(line + 9, NULL, 10);
		} else if (!strncmp(line, "NSpid:", 6)) {
			for (p = line + 6; *p && r->nspid_len < NST_MAX_LEVELS;
			     p = end) {
				unsigned long v = strtoul(p, &end, 10);

				if (end == p)
					break;
				r->nspid[r->nspid_len++] = v;
			}
		}
	}
	fclose(f);
	return r->nspid_len ? 0 : -ENOENT;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct proc_rec *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int proc_snap_take(const char *procdir, struct proc_snap *s)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int i;

	memset(s, 0, sizeof(*s));
	d = opendir(procdir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		struct proc_rec *r;

		if (*end || !pid)
			continue;
		if (s->n == cap) {
			cap = cap ? 2 * cap : 256;
			r = realloc(s->recs, cap * sizeof(*r));
			if (!r) {
				closedir(d);
				proc_snap_free(s);
				return -ENOMEM;
			}
			s->recs = r;
		}
		r = &s->recs[s->n];
		if (read_status(procdir, pid, r))
			continue;	/* gone meanwhile */
		for (i = 0; i < NS_TYPES; i++)
			r->ns[i] = proc_ns_inum(procdir, pid, ns_names[i]);
		s->n++;
	}
	closedir(d);
	qsort(s->recs, s->n, sizeof(*s->recs), rec_cmp);
	return 0;
}

void proc_snap_free(struct proc_snap *s)
{
	free(s->recs);
	memset(s, 0, sizeof(*s));
}

const struct proc_rec *proc_snap_find(const struct proc_snap *s, uint32_t pid)
{
	struct proc_rec key = { .pid = pid };

	return bsearch(&key, s->recs, s->n, sizeof(key), rec_cmp);
}

int proc_descends(const struct proc_snap *s, uint32_t pid, uint32_t root)
{
	const struct proc_rec *r;
	int hops;

	for (hops = 0; pid && hops < 100000; hops++) {
		if (pid == root)
			return 1;
		r = proc_snap_find(s, pid);
		if (!r)
			return 0;
		pid = r->ppid;
	}
	return 0;
}

struct dump_buf {
	struct nst_proc *p;
	size_t n, cap;
};

static int collect(const struct nst_proc *p, void *arg)
{
	struct dump_buf *b = arg;

	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		struct nst_proc *np = realloc(b->p, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	b->p[b->n++] = *p;
	return 0;
}

static const struct nst_proc *dump_find(const struct dump_buf *b, uint32_t pid)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->p[i].pid == pid)
			return &b->p[i];
	return NULL;
}

static int is_kthread(const struct proc_rec *r)
{
	return r->pid == 2 || r->ppid == 2;
}

/*
 * /proc names a kernel thread more fully than its comm (the whole kthread
 * name, a workqueue worker's current work); the dump sends the comm, which
 * must then start the /proc name. For every other task they are equal.
 */
static int names_agree(const struct proc_rec *r, const struct nst_proc *p)
{
	if (is_kthread(r))
		return !strncmp(r->name, p->comm, strlen(p->comm));
	return !strcmp(r->name, p->comm);
}

/*
 * Kernel threads wake up on their own (rcu_preempt, kworkers): the same
 * state in both scans does not mean it held in between. User processes
 * on a quiet system do hold still.
 */
static int states_agree(const struct proc_rec *r, const struct nst_proc *p)
{
	return r->state == p->state || is_kthread(r);
}

/* 0 when the dump entry says what /proc says; else prints the first diff. */
static int rec_differs(const struct proc_rec *r, const struct nst_proc *p)
{
	const uint32_t dump_ns[NS_TYPES] = {
		[NS_PID] = p->pidns, [NS_MNT] = p->mntns, [NS_NET] = p->netns,
		[NS_UTS] = p->utsns, [NS_IPC] = p->ipcns, [NS_USER] = p->userns,
		[NS_CGROUP] = p->cgroupns, [NS_TIME] = p->timens,
	};
	unsigned int i;

	if (r->nspid_len != p->nspid_len ||
	    memcmp(r->nspid, p->nspid, r->nspid_len * sizeof(r->nspid[0]))) {
		printf("# pid %u: NSpid has %u levels in /proc, %u in the dump\n",
		       r->pid, r->nspid_len, p->nspid_len);
		return 1;
	}
	if (r->ppid != p->ppid || !states_agree(r, p) ||
	    !names_agree(r, p) || r->threads != p->threads) {
		printf("# pid %u: /proc ppid %u state %c name %s threads %u; dump ppid %u state %c comm %s threads %u\n",
		       r->pid, r->ppid, r->state, r->name, r->threads,
		       p->ppid, p->state, p->comm, p->threads);
		return 1;
	}
	for (i = 0; i < NS_TYPES; i++) {
		if (r->ns[i] != dump_ns[i]) {
			printf("# pid %u: %s namespace %u in /proc, %u in the dump\n",
			       r->pid, ns_names[i], r->ns[i], dump_ns[i]);
			return 1;
		}
	}
	return 0;
}

static int rec_same(const struct proc_rec *a, const struct proc_rec *b)
{
	return !memcmp(a, b, sizeof(*a));
}

int cmp_dump_with_proc(struct nst_conn *c, const char *procdir,
		       struct cmp_stats *st)
{
	struct proc_snap s1, s2;
	struct dump_buf b = { 0 };
	const struct proc_rec *r2;
	const struct nst_proc *p;
	size_t i;
	int err;

	memset(st, 0, sizeof(*st));
	err = proc_snap_take(procdir, &s1);
	if (err)
		return err;
	err = nst_dump_procs(c, NULL, collect, &b);
	if (!err)
		err = proc_snap_take(procdir, &s2);
	if (err) {
		proc_snap_free(&s1);
		free(b.p);
		return err;
	}
	for (i = 0; i < s1.n; i++) {
		const struct proc_rec *r = &s1.recs[i];

		r2 = proc_snap_find(&s2, r->pid);
		if (!r2 || !rec_same(r, r2))
			continue;	/* changed while we looked */
		st->compared++;
		p = dump_find(&b, r->pid);
		if (!p) {
			printf("# pid %u (%s) is in /proc but not in the dump\n",
			       r->pid, r->name);
			st->missing++;
		} else if (rec_differs(r, p)) {
			st->mismatches++;
		}
	}
	for (i = 0; i < b.n; i++) {
		if (!proc_snap_find(&s1, b.p[i].pid) &&
		    !proc_snap_find(&s2, b.p[i].pid)) {
			printf("# pid %u (%s) is in the dump but not in /proc\n",
			       b.p[i].pid, b.p[i].comm);
			st->extra++;
		}
	}
	proc_snap_free(&s1);
	proc_snap_free(&s2);
	free(b.p);
	return 0;
}

static void __attribute__((noreturn)) sleep_forever(void)
{
	for (;;)
		pause();
}

/* Start a child that exits at once; leave it a zombie. */
static pid_t spawn_zombie(void)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	return pid;
}

/* A child that forks a sleeper and exits: the sleeper is orphaned. */
static pid_t spawn_orphan(void)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0) {
		if (fork() == 0)
			sleep_forever();
		_exit(0);
	}
	/* Once the child is a zombie, its child has been reparented. */
	if (pid > 0)
		waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	return pid;
}

static void __attribute__((noreturn)) chain_init(int level, int depth, int fd)
{
	pid_t pid;

	pid = fork();
	if (pid == 0)
		sleep_forever();
	if (pid < 0 || spawn_zombie() < 0 || spawn_orphan() < 0)
		goto fail;
	if (level < depth) {
		pid = nst_clone3(CLONE_NEWPID);
		if (pid == 0)
			chain_init(level + 1, depth, fd);
		if (pid < 0)
			goto fail;
	}
	if (write(fd, "R", 1) != 1)
		_exit(1);
	sleep_forever();
fail:
	if (write(fd, "E", 1) != 1)
		_exit(1);
	sleep_forever();
}

pid_t scenario_chain(int depth)
{
	struct pollfd pfd;
	int fds[2], i;
	pid_t top;
	char c;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	top = nst_clone3(CLONE_NEWPID);
	if (top == 0) {
		close(fds[0]);
		chain_init(1, depth, fds[1]);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (i = 0; top > 0 && i < depth; i++) {
		if (poll(&pfd, 1, 60000) != 1 || read(fds[0], &c, 1) != 1 ||
		    c != 'R') {
			scenario_kill(top);
			top = -1;
		}
	}
	close(fds[0]);
	return top;
}

void scenario_kill(pid_t top)
{
	if (top <= 0)
		return;
	kill(top, SIGKILL);
	waitpid(top, NULL, 0);
}
