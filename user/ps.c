// SPDX-License-Identifier: GPL-2.0
/*
 * nstree ps and nstree tree: the processes the module shows the caller,
 * as a table or as the parent-child tree, each with its PID as the caller
 * sees it and its PIDs in every nested namespace, side by side.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "dot.h"
#include "idcache.h"
#include "opts.h"
#include "table.h"
#include "util.h"

#define NO_PARENT SIZE_MAX

struct proc_ent {
	struct nst_proc p;
	char *args;		/* copy of p.args, or NULL */
	size_t parent;		/* index of the parent, or NO_PARENT */
	size_t child, next;	/* first child, next sibling (NO_PARENT: none) */
	int placed;
};

/* A list of IDs an option names: ps -p, -u, -U. */
struct id_list {
	uint32_t *ids;
	size_t n, cap;
};

/* A --sort key: a column, descending with '-'. */
struct sort_key {
	int col;
	int desc;
};

struct ps_ctl {
	struct nst_out out;
	struct nst_proc_sel sel;
	/*
	 * As in procps ps, a process is listed if it matches any of -p, -u
	 * (effective user) and -U (real user); with none, every process.
	 */
	struct id_list pids, euids, ruids;
	struct sort_key keys[NST_MAX_COLS];
	size_t nkeys;
	int cmdline;		/* tree -a: the command line as the label */
	struct proc_ent *ents;
	size_t n, cap;
	uint64_t boot_now;
	time_t real_now;
	struct nst_idcache users;	/* USER: a lookup per distinct UID */
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int id_in(const struct id_list *l, uint32_t id)
{
	return bsearch(&id, l->ids, l->n, sizeof(id), cmp_u32) != NULL;
}

static void id_add(struct id_list *l, uint32_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		uint32_t *ids = realloc(l->ids, cap * sizeof(*ids));

		if (!ids)
			err(NST_EXIT_FAILURE, "cannot allocate memory");
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
}

static void id_sort(struct id_list *l)
{
	if (l->n)
		qsort(l->ids, l->n, sizeof(*l->ids), cmp_u32);
}

static int selected(const struct ps_ctl *ctl, const struct nst_proc *p)
{
	if (!ctl->pids.n && !ctl->euids.n && !ctl->ruids.n)
		return 1;
	return id_in(&ctl->pids, p->pid) || id_in(&ctl->euids, p->euid) ||
	       id_in(&ctl->ruids, p->uid);
}

static int collect(const struct nst_proc *p, void *arg)
{
	struct ps_ctl *ctl = arg;
	struct proc_ent *e;

	if (!selected(ctl, p))
		return 0;
	if (ctl->n == ctl->cap) {
		size_t cap = ctl->cap ? 2 * ctl->cap : 256;

		e = realloc(ctl->ents, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		ctl->ents = e;
		ctl->cap = cap;
	}
	e = &ctl->ents[ctl->n];
	memset(e, 0, sizeof(*e));
	/* Linked by link_tree(), which thread listings skip. */
	e->parent = e->child = e->next = NO_PARENT;
	e->p = *p;
	e->p.args = NULL;
	if (p->args && p->args_len) {
		e->args = malloc(p->args_len);
		if (!e->args)
			return -ENOMEM;
		memcpy(e->args, p->args, p->args_len);
		e->p.args = e->args;
	}
	ctl->n++;
	return 0;
}

/*
 * Where a PID namespace starts: at its init, or at a process whose parent
 * lives in another namespace (one that joined it with setns()).
 */
static int is_boundary(const struct ps_ctl *ctl, const struct proc_ent *e)
{
	if (e->p.ns_init)
		return 1;
	return e->parent != NO_PARENT &&
	       ctl->ents[e->parent].p.pidns != e->p.pidns;
}

#define set_num nst_out_set_u64

static void fill_line(struct ps_ctl *ctl, struct libscols_line *ln,
		      const struct proc_ent *e)
{
	const struct nst_out *o = &ctl->out;
	const struct nst_proc *p = &e->p;
	char sep = o->json ? '\n' : ',';
	char buf[4200];

	if (nst_out_has(o, PCOL_PROCESS)) {
		const char *what = p->comm;

		if (ctl->cmdline && p->args) {
			nst_fmt_args(buf, sizeof(buf), p->args, p->args_len);
			what = buf;
		}
		nst_out_set(o, ln, PCOL_PROCESS, what);
	}
	set_num(o, ln, PCOL_PID, p->pid, 1);
	if (nst_out_has(o, PCOL_NSPID)) {
		nst_fmt_chain(buf, sizeof(buf), p->nspid, p->nspid_len, sep);
		nst_out_set(o, ln, PCOL_NSPID, buf);
	}
	set_num(o, ln, PCOL_VPID, p->nspid[p->nspid_len - 1], 1);
	set_num(o, ln, PCOL_TID, p->tid, p->tid);
	if (nst_out_has(o, PCOL_NSTID)) {
		nst_fmt_chain(buf, sizeof(buf), p->nstid, p->nstid_len, sep);
		nst_out_set(o, ln, PCOL_NSTID, buf);
	}
	set_num(o, ln, PCOL_PPID, p->ppid, 1);
	set_num(o, ln, PCOL_VPPID, p->ppid_ns, 1);
	set_num(o, ln, PCOL_PIDNS, p->pidns, 1);
	if (nst_out_has(o, PCOL_NSID)) {
		buf[0] = '\0';
		if (p->pidns_id)
			snprintf(buf, sizeof(buf), "%llu",
				 (unsigned long long)p->pidns_id);
		nst_out_set(o, ln, PCOL_NSID, buf);
	}
	set_num(o, ln, PCOL_LEVEL, p->level, 1);
	if (nst_out_has(o, PCOL_NS)) {
		buf[0] = '\0';
		if (is_boundary(ctl, e))
			snprintf(buf, sizeof(buf), "pid:[%u] level %u",
				 p->pidns, p->level);
		nst_out_set(o, ln, PCOL_NS, buf);
	}
	if (nst_out_has(o, PCOL_STATE)) {
		buf[0] = p->state;
		buf[1] = '\0';
		nst_out_set(o, ln, PCOL_STATE, buf);
	}
	if (nst_out_has(o, PCOL_FLAGS)) {
		nst_fmt_flags(buf, sizeof(buf), p);
		nst_out_set(o, ln, PCOL_FLAGS, buf);
	}
	set_num(o, ln, PCOL_INIT, !!p->ns_init, 1);
	set_num(o, ln, PCOL_SUBREAPER, !!p->subreaper, 1);
	set_num(o, ln, PCOL_REAPER, p->reaper, p->reaper);
	if (nst_out_has(o, PCOL_REAPERWHY))
		nst_out_set(o, ln, PCOL_REAPERWHY, p->reaper_reason ?
			    nst_reparent_reason_name(p->reaper_reason) : "");
	set_num(o, ln, PCOL_UID, p->uid, 1);
	if (nst_out_has(o, PCOL_USER)) {
		const char *user = nst_idcache_name(&ctl->users, p->uid);

		if (!user)
			err(NST_EXIT_FAILURE, "cannot allocate memory");
		nst_out_set(o, ln, PCOL_USER, user);
	}
	set_num(o, ln, PCOL_EUID, p->euid, 1);
	nst_out_set(o, ln, PCOL_COMM, p->comm);
	if (nst_out_has(o, PCOL_ARGS)) {
		if (p->args)
			nst_fmt_args(buf, sizeof(buf), p->args, p->args_len);
		else	/* no user memory: a kernel thread or a zombie */
			snprintf(buf, sizeof(buf), "[%s]", p->comm);
		nst_out_set(o, ln, PCOL_ARGS, buf);
	}
	set_num(o, ln, PCOL_THREADS, p->threads, 1);
	if (nst_out_has(o, PCOL_START)) {
		if (nst_fmt_start(buf, sizeof(buf), p->start_time,
				  ctl->boot_now, ctl->real_now))
			buf[0] = '\0';
		nst_out_set(o, ln, PCOL_START, buf);
	}
	set_num(o, ln, PCOL_MNTNS, p->mntns, p->mntns);
	set_num(o, ln, PCOL_NETNS, p->netns, p->netns);
	set_num(o, ln, PCOL_UTSNS, p->utsns, p->utsns);
	set_num(o, ln, PCOL_IPCNS, p->ipcns, p->ipcns);
	set_num(o, ln, PCOL_USERNS, p->userns, p->userns);
	set_num(o, ln, PCOL_CGROUPNS, p->cgroupns, p->cgroupns);
	set_num(o, ln, PCOL_TIMENS, p->timens, p->timens);
}

static int cmp_ent_pid(const void *a, const void *b)
{
	const struct proc_ent *x = a, *y = b;
	uint32_t kx = x->p.tid ? x->p.tid : x->p.pid;
	uint32_t ky = y->p.tid ? y->p.tid : y->p.pid;

	return kx < ky ? -1 : kx > ky;
}

static size_t find_pid(const struct ps_ctl *ctl, uint32_t pid)
{
	size_t lo = 0, hi = ctl->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ctl->ents[mid].p.pid < pid)
			lo = mid + 1;
		else if (ctl->ents[mid].p.pid > pid)
			hi = mid;
		else
			return mid;
	}
	return NO_PARENT;
}

/* Link every process to its parent, children in PID order. */
static void link_tree(struct ps_ctl *ctl)
{
	size_t i, *tail;

	tail = malloc((ctl->n + 1) * sizeof(*tail));
	if (!tail)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < ctl->n; i++) {
		ctl->ents[i].child = ctl->ents[i].next = NO_PARENT;
		tail[i] = NO_PARENT;
	}
	for (i = 0; i < ctl->n; i++) {
		struct proc_ent *e = &ctl->ents[i];
		size_t pi = e->p.ppid ? find_pid(ctl, e->p.ppid) : NO_PARENT;

		e->parent = pi == i ? NO_PARENT : pi;
		if (e->parent == NO_PARENT)
			continue;
		if (tail[pi] == NO_PARENT)
			ctl->ents[pi].child = i;
		else
			ctl->ents[tail[pi]].next = i;
		tail[pi] = i;
	}
	free(tail);
}

/*
 * Add @root and its subtree below @parent_ln, without recursion: @stack
 * and @lines (a line per process) have ctl->n entries, shared by every
 * root of a table.
 */
static void place(struct ps_ctl *ctl, struct libscols_table *tb, size_t root,
		  struct libscols_line *parent_ln, size_t *stack,
		  struct libscols_line **lines)
{
	size_t top = 0, i;

	stack[top++] = root;
	while (top) {
		struct libscols_line *pl, *ln;
		struct proc_ent *e;

		i = stack[--top];
		e = &ctl->ents[i];
		if (e->placed)
			continue;
		e->placed = 1;
		pl = i == root ? parent_ln : lines[e->parent];
		ln = scols_table_new_line(tb, pl);
		if (!ln)
			err(NST_EXIT_FAILURE, "cannot allocate a line");
		lines[i] = ln;
		fill_line(ctl, ln, e);
		/* Children pushed last first, so they come out in PID order. */
		{
			size_t kids = 0, c, k;

			for (c = e->child; c != NO_PARENT; c = ctl->ents[c].next)
				kids++;
			top += kids;
			k = top;
			for (c = e->child; c != NO_PARENT; c = ctl->ents[c].next)
				stack[--k] = c;
		}
	}
}

static int cmp_sort(const void *a, const void *b, void *arg);

static void build_table(struct ps_ctl *ctl, struct libscols_table *tb)
{
	struct libscols_line **lines;
	size_t i, *stack;

	if (!ctl->out.tree) {
		/* Sorted through indices: the tree links stay as they are. */
		size_t *order = malloc((ctl->n + 1) * sizeof(*order));

		if (!order)
			err(NST_EXIT_FAILURE, "cannot allocate memory");
		for (i = 0; i < ctl->n; i++)
			order[i] = i;
		if (ctl->nkeys)
			qsort_r(order, ctl->n, sizeof(*order), cmp_sort, ctl);
		for (i = 0; i < ctl->n; i++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			if (!ln)
				err(NST_EXIT_FAILURE, "cannot allocate a line");
			fill_line(ctl, ln, &ctl->ents[order[i]]);
		}
		free(order);
		return;
	}
	/* Once for the table: there may be a root per process. */
	stack = malloc((ctl->n + 1) * sizeof(*stack));
	lines = malloc((ctl->n + 1) * sizeof(*lines));
	if (!stack || !lines)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < ctl->n; i++)
		if (ctl->ents[i].parent == NO_PARENT)
			place(ctl, tb, i, NULL, stack, lines);
	/* A cycle (a parent changed while the dump ran) has no root. */
	for (i = 0; i < ctl->n; i++)
		if (!ctl->ents[i].placed)
			place(ctl, tb, i, NULL, stack, lines);
	free(stack);
	free(lines);
}

static int cmp_num(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int cmp_chain(const uint32_t *x, unsigned int nx, const uint32_t *y,
		     unsigned int ny)
{
	unsigned int i;

	for (i = 0; i < nx && i < ny; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return cmp_num(nx, ny);
}

/* The ARGS cell's text, one character at a time: NULs are spaces. */
static int cmp_args(const struct nst_proc *x, const struct nst_proc *y)
{
	char bx[sizeof(x->comm) + 2], by[sizeof(bx)];
	const char *a = x->args, *b = y->args;
	size_t na = x->args_len, nb = y->args_len, i;

	if (!a) {
		na = snprintf(bx, sizeof(bx), "[%s]", x->comm);
		a = bx;
	}
	if (!b) {
		nb = snprintf(by, sizeof(by), "[%s]", y->comm);
		b = by;
	}
	while (na && !a[na - 1])
		na--;
	while (nb && !b[nb - 1])
		nb--;
	for (i = 0; i < na && i < nb; i++) {
		unsigned char ca = a[i] ? a[i] : ' ', cb = b[i] ? b[i] : ' ';

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return cmp_num(na, nb);
}

/* Two processes by column @col, as its cells would compare. */
static int cmp_col(struct ps_ctl *ctl, const struct proc_ent *ex,
		   const struct proc_ent *ey, int col)
{
	const struct nst_proc *x = &ex->p, *y = &ey->p;
	char fx[64], fy[64];
	const char *ux, *uy;

	switch (col) {
	case PCOL_PROCESS:
	case PCOL_COMM:
		return strcmp(x->comm, y->comm);
	case PCOL_ARGS:
		return cmp_args(x, y);
	case PCOL_PID:
		return cmp_num(x->pid, y->pid);
	case PCOL_NSPID:
		return cmp_chain(x->nspid, x->nspid_len, y->nspid, y->nspid_len);
	case PCOL_VPID:
		return cmp_num(x->nspid[x->nspid_len - 1],
			       y->nspid[y->nspid_len - 1]);
	case PCOL_TID:
		return cmp_num(x->tid, y->tid);
	case PCOL_NSTID:
		return cmp_chain(x->nstid, x->nstid_len, y->nstid, y->nstid_len);
	case PCOL_PPID:
		return cmp_num(x->ppid, y->ppid);
	case PCOL_VPPID:
		return cmp_num(x->ppid_ns, y->ppid_ns);
	case PCOL_PIDNS:
		return cmp_num(x->pidns, y->pidns);
	case PCOL_LEVEL:
		return cmp_num(x->level, y->level);
	case PCOL_NS:
		/* Blank cells first, then by namespace. */
		if (is_boundary(ctl, ex) != is_boundary(ctl, ey))
			return is_boundary(ctl, ex) ? 1 : -1;
		if (!is_boundary(ctl, ex))
			return 0;
		return cmp_num(x->pidns, y->pidns);
	case PCOL_STATE:
		return cmp_num((unsigned char)x->state, (unsigned char)y->state);
	case PCOL_FLAGS:
		nst_fmt_flags(fx, sizeof(fx), x);
		nst_fmt_flags(fy, sizeof(fy), y);
		return strcmp(fx, fy);
	case PCOL_INIT:
		return cmp_num(!!x->ns_init, !!y->ns_init);
	case PCOL_SUBREAPER:
		return cmp_num(!!x->subreaper, !!y->subreaper);
	case PCOL_REAPER:
		return cmp_num(x->reaper, y->reaper);
	case PCOL_REAPERWHY:
		return strcmp(x->reaper_reason ?
			      nst_reparent_reason_name(x->reaper_reason) : "",
			      y->reaper_reason ?
			      nst_reparent_reason_name(y->reaper_reason) : "");
	case PCOL_UID:
		return cmp_num(x->uid, y->uid);
	case PCOL_USER:
		ux = nst_idcache_name(&ctl->users, x->uid);
		uy = nst_idcache_name(&ctl->users, y->uid);
		if (!ux || !uy)
			err(NST_EXIT_FAILURE, "cannot allocate memory");
		return strcmp(ux, uy);
	case PCOL_EUID:
		return cmp_num(x->euid, y->euid);
	case PCOL_THREADS:
		return cmp_num(x->threads, y->threads);
	case PCOL_START:
		return cmp_num(x->start_time, y->start_time);
	case PCOL_MNTNS:
		return cmp_num(x->mntns, y->mntns);
	case PCOL_NETNS:
		return cmp_num(x->netns, y->netns);
	case PCOL_UTSNS:
		return cmp_num(x->utsns, y->utsns);
	case PCOL_IPCNS:
		return cmp_num(x->ipcns, y->ipcns);
	case PCOL_USERNS:
		return cmp_num(x->userns, y->userns);
	case PCOL_CGROUPNS:
		return cmp_num(x->cgroupns, y->cgroupns);
	case PCOL_TIMENS:
		return cmp_num(x->timens, y->timens);
	case PCOL_NSID:
		return cmp_num(x->pidns_id, y->pidns_id);
	}
	return 0;
}

/* --sort: key by key, then in PID (TID) order. */
static int cmp_sort(const void *a, const void *b, void *arg)
{
	struct ps_ctl *ctl = arg;
	const struct proc_ent *x = &ctl->ents[*(const size_t *)a];
	const struct proc_ent *y = &ctl->ents[*(const size_t *)b];
	size_t k;
	int c;

	for (k = 0; k < ctl->nkeys; k++) {
		c = cmp_col(ctl, x, y, ctl->keys[k].col);
		if (c)
			return ctl->keys[k].desc ? -c : c;
	}
	return cmp_ent_pid(x, y);
}

static int resolve_pids(struct nst_conn *c, struct ps_ctl *ctl,
			uint32_t *bad_pid)
{
	size_t i, n = 0;
	int err = 0, first = 0;

	for (i = 0; i < ctl->pids.n; i++) {
		struct nst_proc p;

		err = nst_get_proc(c, ctl->pids.ids[i], &p);
		if (err == -ENOENT || err == -ESRCH) {
			if (!first) {
				first = err;
				*bad_pid = ctl->pids.ids[i];
			}
			continue;
		}
		if (err) {
			*bad_pid = ctl->pids.ids[i];
			return err;
		}
		ctl->pids.ids[n++] = p.pid;
	}
	if (ctl->pids.n && !n)
		return first;
	*bad_pid = 0;
	ctl->pids.n = n;
	id_sort(&ctl->pids);
	/* The same process twice (a PID and its thread's TID): once. */
	for (i = n = 0; i < ctl->pids.n; i++)
		if (!n || ctl->pids.ids[n - 1] != ctl->pids.ids[i])
			ctl->pids.ids[n++] = ctl->pids.ids[i];
	ctl->pids.n = n;
	return 0;
}

static int collect_all(struct ps_ctl *ctl)
{
	struct nst_conn c;
	struct timespec ts;
	size_t i;
	int err;

	err = nst_connect(&c);
	if (err)
		return err;
	uint32_t bad_pid = 0, one = 0;

	/*
	 * ps -p: the kernel names each process (a thread's too); PIDs it
	 * does not know are left out, and an error only when none is left.
	 * With one process and no -u or -U, that process alone is asked
	 * for: a dump, even of its subtree, looks at every PID. Only a dump
	 * lists threads or narrows to a namespace: with -L or --ns, the
	 * dump is of its subtree.
	 */
	err = resolve_pids(&c, ctl, &bad_pid);
	if (!err && ctl->pids.n == 1 && !ctl->euids.n && !ctl->ruids.n)
		one = ctl->pids.ids[0];
	if (one && !ctl->sel.threads && !ctl->sel.ns_inum &&
	    !ctl->sel.ns_pid && !ctl->sel.ns_id) {
		err = nst_get_proc_fn(&c, one, ctl->sel.args, collect, ctl);
	} else if (!err) {
		if (one)
			ctl->sel.subtree = one;
		err = nst_dump_procs(&c, &ctl->sel, collect, ctl);
	}
	if (err) {
		char what[64];

		if (bad_pid || one || ctl->sel.subtree)
			snprintf(what, sizeof(what), "PID %u",
				 bad_pid ?: one ?: ctl->sel.subtree);
		else if (ctl->sel.ns_pid)
			snprintf(what, sizeof(what), "PID %u", ctl->sel.ns_pid);
		else if (ctl->sel.ns_inum)
			snprintf(what, sizeof(what), "namespace %u",
				 ctl->sel.ns_inum);
		else if (ctl->sel.ns_id)
			snprintf(what, sizeof(what), "namespace :%llu",
				 (unsigned long long)ctl->sel.ns_id);
		else
			snprintf(what, sizeof(what), "processes");
		err = nst_report(&c, err, what);
		nst_close(&c);
		return err;
	}
	nst_close(&c);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	ctl->boot_now = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	ctl->real_now = time(NULL);
	/*
	 * The kernel dumps in PID order (TID order with -L); sorting its
	 * large entries anyway was a seventh of `nstree ps`.
	 */
	for (i = 1; i < ctl->n; i++)
		if (cmp_ent_pid(&ctl->ents[i - 1], &ctl->ents[i]) > 0)
			break;
	if (i < ctl->n)
		qsort(ctl->ents, ctl->n, sizeof(*ctl->ents), cmp_ent_pid);
	if (!ctl->sel.threads)
		link_tree(ctl);
	return NST_EXIT_OK;
}

/* The graph needs the namespaces' nesting, which the processes lack. */
static void show_dot(struct ps_ctl *ctl)
{
	const struct nst_proc **procs;
	struct nst_ns_list nsl;
	struct nst_conn c;
	size_t i;

	if (nst_open(&c) || nst_ns_list_read(&c, &nsl))
		errx(NST_EXIT_FAILURE, "cannot read the namespaces");
	nst_close(&c);
	procs = malloc((ctl->n + 1) * sizeof(*procs));
	if (!procs)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < ctl->n; i++)
		procs[i] = &ctl->ents[i].p;
	nst_dot_write(stdout, procs, ctl->n, nsl.ns, nsl.n, ctl->cmdline);
	free(procs);
	free(nsl.ns);
}

static int show(struct ps_ctl *ctl)
{
	struct libscols_table *tb;
	size_t i;

	if (ctl->out.dot) {
		show_dot(ctl);
		goto out;
	}
	tb = nst_out_table(&ctl->out, "processes");
	build_table(ctl, tb);
	nst_out_print(&ctl->out, tb);
	scols_unref_table(tb);
out:
	for (i = 0; i < ctl->n; i++)
		free(ctl->ents[i].args);
	free(ctl->ents);
	free(ctl->pids.ids);
	free(ctl->euids.ids);
	free(ctl->ruids.ids);
	nst_idcache_free(&ctl->users);
	return NST_EXIT_OK;
}

static void parse_ns(struct ps_ctl *ctl, const char *arg)
{
	if (nst_parse_ns_arg(arg, &ctl->sel.ns_inum, &ctl->sel.ns_pid,
			     &ctl->sel.ns_id))
		nst_usage_error("invalid namespace: '%s' (an inode, :ID or a PID)",
				arg);
}

static uint32_t parse_pid_arg(const char *arg)
{
	uint32_t pid;

	if (nst_parse_pid(arg, &pid))
		nst_usage_error("invalid PID: '%s'", arg);
	return pid;
}

/*
 * The words of a list as procps takes it: separated by commas or
 * blanks ("-p 1,2", "-p '1 2'"); an empty word is an error.
 */
static void parse_list(const char *arg, const char *what,
		       void (*one)(struct ps_ctl *, const char *),
		       struct ps_ctl *ctl)
{
	char *copy = strdup(arg), *p, *end;

	if (!copy)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	p = copy;
	for (;;) {
		end = p + strcspn(p, ", \t");
		if (end == p)
			nst_usage_error("empty %s in '%s'", what, arg);
		if (*end) {
			*end = '\0';
			one(ctl, p);
			p = end + 1;
			continue;
		}
		one(ctl, p);
		break;
	}
	free(copy);
}

static void one_pid(struct ps_ctl *ctl, const char *w)
{
	id_add(&ctl->pids, parse_pid_arg(w));
}

static uint32_t parse_user(const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	uint32_t uid;

	if (pw)
		return pw->pw_uid;
	if (nst_parse_u32(arg, 0, UINT32_MAX - 1, &uid))
		nst_usage_error("unknown user: '%s'", arg);
	return uid;
}

static void one_euid(struct ps_ctl *ctl, const char *w)
{
	id_add(&ctl->euids, parse_user(w));
}

static void one_ruid(struct ps_ctl *ctl, const char *w)
{
	id_add(&ctl->ruids, parse_user(w));
}

/* --sort -start,pid: columns, each descending with '-' ('+': ascending). */
static void parse_sort(struct ps_ctl *ctl, const char *arg)
{
	const char *p = arg, *end;
	int desc, col;

	for (;;) {
		desc = *p == '-';
		if (*p == '-' || *p == '+')
			p++;
		end = p + strcspn(p, ",");
		if (end == p)
			nst_usage_error("empty sort key in '%s'", arg);
		col = nst_col_by_name(&nst_proc_cols, p, end - p);
		if (col < 0)
			nst_usage_error("unknown column: %.*s", (int)(end - p), p);
		if (ctl->nkeys == NST_MAX_COLS)
			nst_usage_error("too many sort keys: %s", arg);
		ctl->keys[ctl->nkeys].col = col;
		ctl->keys[ctl->nkeys++].desc = desc;
		if (!*end)
			break;
		p = end + 1;
	}
}

static void __attribute__((noreturn)) ps_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s ps [options]\n", program_invocation_short_name);
	fputs("\nList the processes you can see, with their PIDs at every level.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -p, --pid <pids>       these processes (a list: 1,2 or '1 2')\n", out);
	fputs(" -u, --user <users>     processes of these effective users (names or UIDs)\n", out);
	fputs(" -U, --real-user <users>\n"
	      "                        processes of these real users\n", out);
	fputs("     --ns <ns>          only processes with a PID in this namespace\n"
	      "                          (an inode, pid:[inode], or a PID in it)\n", out);
	fputs("     --subtree <pid>    only this process and its descendants\n", out);
	fputs(" -L, --threads          one line per thread\n", out);
	fputs("     --sort <list>      sort by these columns, shown or not\n"
	      "                          (-COLUMN: descending)\n", out);
	nst_out_usage(out, &nst_opts_ps);
	fputs(" -h, --help             display this help\n", out);
	fputs("\n-p, -u and -U add up, as in ps(1): a process that matches any of them\n"
	      "is listed; --ns and --subtree narrow that.\n", out);
	fputs("\nAvailable columns: see --list-columns.\n", out);
	exit(NST_EXIT_OK);
}

int cmd_ps(int argc, char **argv)
{
	static const int defaults[] = {
		PCOL_PID, PCOL_NSPID, PCOL_PPID, PCOL_PIDNS, PCOL_LEVEL,
		PCOL_STATE, PCOL_USER, PCOL_FLAGS, PCOL_COMM,
	};
	static const int thread_defaults[] = {
		PCOL_PID, PCOL_TID, PCOL_NSTID, PCOL_PIDNS, PCOL_LEVEL,
		PCOL_STATE, PCOL_USER, PCOL_COMM,
	};
	struct ps_ctl ctl = { .out.set = &nst_proc_cols,
			      .users = NST_IDCACHE_USERS };
	int ch;

	while ((ch = getopt_long(argc, argv, nst_opts_ps.shortopts,
				 nst_opts_ps.longopts, NULL)) != -1) {
		/* ps's own letters first: -u and -U are users here. */
		switch (ch) {
		case NST_OPT_NS:
			parse_ns(&ctl, optarg);
			break;
		case NST_OPT_SUBTREE:
			ctl.sel.subtree = parse_pid_arg(optarg);
			break;
		case 'p':
			parse_list(optarg, "PID", one_pid, &ctl);
			break;
		case 'u':
			parse_list(optarg, "user", one_euid, &ctl);
			break;
		case 'U':
			parse_list(optarg, "user", one_ruid, &ctl);
			break;
		case 'L':
			ctl.sel.threads = 1;
			break;
		case NST_OPT_SORT:
			parse_sort(&ctl, optarg);
			break;
		case 'h':
			ps_usage();
		default:
			if (!nst_out_option(&ctl.out, ch, optarg, 0))
				nst_try_help();
		}
	}
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);
	if (ctl.pids.n && ctl.sel.subtree)
		nst_usage_error("--pid and --subtree are mutually exclusive");
	id_sort(&ctl.euids);
	id_sort(&ctl.ruids);
	if (ctl.sel.threads)
		nst_out_finish(&ctl.out, thread_defaults,
			       sizeof(thread_defaults) / sizeof(int));
	else
		nst_out_finish(&ctl.out, defaults, sizeof(defaults) / sizeof(int));
	ctl.sel.args = nst_out_has(&ctl.out, PCOL_ARGS);
	for (ch = 0; (size_t)ch < ctl.nkeys; ch++)
		if (ctl.keys[ch].col == PCOL_ARGS)
			ctl.sel.args = 1;

	ch = collect_all(&ctl);
	return ch ? ch : show(&ctl);
}

static const int tree_defaults[] = {
	PCOL_PROCESS, PCOL_PID, PCOL_NSPID, PCOL_STATE, PCOL_FLAGS, PCOL_NS,
};

int nst_show_tree(uint32_t pid, int whole_ns)
{
	struct ps_ctl ctl = { .out.set = &nst_proc_cols, .out.tree = 1,
			      .users = NST_IDCACHE_USERS };
	int err;

	if (whole_ns)
		ctl.sel.ns_pid = pid;
	else
		ctl.sel.subtree = pid;
	nst_out_finish(&ctl.out, tree_defaults,
		       sizeof(tree_defaults) / sizeof(int));
	err = collect_all(&ctl);
	return err ? err : show(&ctl);
}

static void __attribute__((noreturn)) tree_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s tree [options] [<pid>]\n",
		program_invocation_short_name);
	fputs("\nDraw the process tree, from <pid> or from the top, each process with\n"
	      "its PID in your namespace and in every namespace below, side by side.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -N, --ns <ns>          only processes with a PID in this namespace\n"
	      "                          (an inode, pid:[inode], or a PID in it)\n", out);
	fputs(" -a, --arguments        show command lines\n", out);
	nst_out_usage(out, &nst_opts_tree);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nAvailable columns: see --list-columns.\n", out);
	exit(NST_EXIT_OK);
}

int cmd_tree(int argc, char **argv)
{
	struct ps_ctl ctl = { .out.set = &nst_proc_cols, .out.tree = 1,
			      .users = NST_IDCACHE_USERS };
	int ch;

	while ((ch = getopt_long(argc, argv, nst_opts_tree.shortopts,
				 nst_opts_tree.longopts, NULL)) != -1) {
		if (nst_out_option(&ctl.out, ch, optarg, 1))
			continue;
		switch (ch) {
		case 'N':
			parse_ns(&ctl, optarg);
			break;
		case 'a':
			ctl.cmdline = 1;
			break;
		case 'h':
			tree_usage();
		default:
			nst_try_help();
		}
	}
	if (optind < argc)
		ctl.sel.subtree = parse_pid_arg(argv[optind++]);
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);
	nst_out_finish(&ctl.out, tree_defaults,
		       sizeof(tree_defaults) / sizeof(int));
	ctl.sel.args = ctl.cmdline || nst_out_has(&ctl.out, PCOL_ARGS);

	ch = collect_all(&ctl);
	return ch ? ch : show(&ctl);
}
