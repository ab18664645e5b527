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

struct ps_ctl {
	struct nst_out out;
	struct nst_proc_sel sel;
	uint32_t only_pid;	/* ps -p */
	int uid_filter;
	uint32_t uid;
	int sort;		/* column to sort by, or -1 */
	int cmdline;		/* tree -a: the command line as the label */
	struct proc_ent *ents;
	size_t n, cap;
	uint64_t boot_now;
	time_t real_now;
	struct nst_idcache users;	/* USER: a lookup per distinct UID */
};

static int collect(const struct nst_proc *p, void *arg)
{
	struct ps_ctl *ctl = arg;
	struct proc_ent *e;

	if (ctl->only_pid && p->pid != ctl->only_pid)
		return 0;
	if (ctl->uid_filter && p->uid != ctl->uid)
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

static void set_num(const struct nst_out *o, struct libscols_line *ln, int id,
		    uint64_t v, int present)
{
	char buf[32];

	if (!nst_out_has(o, id))
		return;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	nst_out_set(o, ln, id, present ? buf : "");
}

static void fill_line(struct ps_ctl *ctl, struct libscols_line *ln,
		      const struct proc_ent *e)
{
	const struct nst_out *o = &ctl->out;
	const struct nst_proc *p = &e->p;
	char sep = o->json ? '\n' : ',';
	char buf[4200];

	if (nst_out_has(o, PCOL_PROCESS)) {
		if (ctl->cmdline && p->args)
			nst_fmt_args(buf, sizeof(buf), p->args, p->args_len);
		else
			snprintf(buf, sizeof(buf), "%s", p->comm);
		nst_out_set(o, ln, PCOL_PROCESS, buf);
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

/* Add @i and its subtree below @parent_ln, without recursion. */
static void place(struct ps_ctl *ctl, struct libscols_table *tb, size_t root,
		  struct libscols_line *parent_ln)
{
	struct libscols_line **lines;
	size_t *stack, top = 0, i;

	stack = malloc(ctl->n * sizeof(*stack));
	lines = malloc(ctl->n * sizeof(*lines));
	if (!stack || !lines)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
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
	free(stack);
	free(lines);
}

static void build_table(struct ps_ctl *ctl, struct libscols_table *tb)
{
	size_t i;

	if (!ctl->out.tree) {
		for (i = 0; i < ctl->n; i++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			if (!ln)
				err(NST_EXIT_FAILURE, "cannot allocate a line");
			fill_line(ctl, ln, &ctl->ents[i]);
		}
		return;
	}
	for (i = 0; i < ctl->n; i++)
		if (ctl->ents[i].parent == NO_PARENT)
			place(ctl, tb, i, NULL);
	/* A cycle (a parent changed while the dump ran) has no root. */
	for (i = 0; i < ctl->n; i++)
		if (!ctl->ents[i].placed)
			place(ctl, tb, i, NULL);
}

/* Cells compare as numbers where the column holds numbers. */
static int cmp_cells(struct libscols_cell *a, struct libscols_cell *b,
		     void *data)
{
	const char *x = scols_cell_get_data(a), *y = scols_cell_get_data(b);
	int numeric = *(int *)data;

	if (!x || !y)
		return !x - !y;
	if (numeric) {
		unsigned long long u = strtoull(x, NULL, 10);
		unsigned long long v = strtoull(y, NULL, 10);

		return u < v ? -1 : u > v;
	}
	return strcmp(x, y);
}

static int collect_all(struct ps_ctl *ctl)
{
	struct nst_conn c;
	struct timespec ts;
	int err;

	err = nst_connect(&c);
	if (err)
		return err;
	/*
	 * ps -p: the kernel names the process (a thread's too), and an
	 * unknown PID is its error; the dump then lists that subtree.
	 */
	if (ctl->only_pid) {
		struct nst_proc p;

		err = nst_get_proc(&c, ctl->only_pid, &p);
		if (!err)
			ctl->only_pid = ctl->sel.subtree = p.pid;
	}
	if (!err)
		err = nst_dump_procs(&c, &ctl->sel, collect, ctl);
	if (err) {
		char what[64];

		if (ctl->only_pid || ctl->sel.subtree)
			snprintf(what, sizeof(what), "PID %u",
				 ctl->only_pid ?: ctl->sel.subtree);
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
	int numeric = 0;

	if (ctl->out.dot) {
		show_dot(ctl);
		goto out;
	}
	tb = nst_out_table(&ctl->out, "processes");
	build_table(ctl, tb);
	if (ctl->sort >= 0) {
		struct libscols_column *cl = NULL;

		for (i = 0; i < ctl->out.n; i++)
			if (ctl->out.ids[i] == ctl->sort)
				cl = scols_table_get_column(tb, i);
		numeric = nst_proc_cols.cols[ctl->sort].json != SCOLS_JSON_STRING;
		scols_column_set_cmpfunc(cl, cmp_cells, &numeric);
		scols_sort_table(tb, cl);
	}
	nst_out_print(&ctl->out, tb);
	scols_unref_table(tb);
out:
	for (i = 0; i < ctl->n; i++)
		free(ctl->ents[i].args);
	free(ctl->ents);
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

static void parse_user(struct ps_ctl *ctl, const char *arg)
{
	struct passwd *pw = getpwnam(arg);

	ctl->uid_filter = 1;
	if (pw)
		ctl->uid = pw->pw_uid;
	else if (nst_parse_u32(arg, 0, UINT32_MAX - 1, &ctl->uid))
		nst_usage_error("unknown user: '%s'", arg);
}

static void __attribute__((noreturn)) ps_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s ps [options]\n", program_invocation_short_name);
	fputs("\nList the processes you can see, with their PIDs at every level.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -N, --ns <ns>          only processes with a PID in this namespace\n"
	      "                          (an inode, pid:[inode], or a PID in it)\n", out);
	fputs(" -s, --subtree <pid>    only this process and its descendants\n", out);
	fputs(" -p, --pid <pid>        only this process\n", out);
	fputs(" -u, --user <user>      only processes of this user (name or UID)\n", out);
	fputs(" -L, --threads          one line per thread\n", out);
	fputs("     --sort <column>    sort by this column\n", out);
	nst_out_usage(out, 0);
	fputs(" -h, --help             display this help\n", out);
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
	struct ps_ctl ctl = { .out.set = &nst_proc_cols, .sort = -1,
			      .users = NST_IDCACHE_USERS };
	int ch;

	while ((ch = getopt_long(argc, argv, nst_opts_ps.shortopts,
				 nst_opts_ps.longopts, NULL)) != -1) {
		if (nst_out_option(&ctl.out, ch, optarg, 0))
			continue;
		switch (ch) {
		case 'N':
			parse_ns(&ctl, optarg);
			break;
		case 's':
			ctl.sel.subtree = parse_pid_arg(optarg);
			break;
		case 'p':
			ctl.only_pid = parse_pid_arg(optarg);
			break;
		case 'u':
			parse_user(&ctl, optarg);
			break;
		case 'L':
			ctl.sel.threads = 1;
			break;
		case NST_OPT_SORT:
			ctl.sort = nst_col_by_name(&nst_proc_cols, optarg,
						   strlen(optarg));
			if (ctl.sort < 0)
				nst_usage_error("unknown column: %s", optarg);
			break;
		case 'h':
			ps_usage();
		default:
			nst_try_help();
		}
	}
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);
	if (ctl.only_pid && ctl.sel.subtree)
		nst_usage_error("--pid and --subtree are mutually exclusive");
	if (ctl.sel.threads)
		nst_out_finish(&ctl.out, thread_defaults,
			       sizeof(thread_defaults) / sizeof(int));
	else
		nst_out_finish(&ctl.out, defaults, sizeof(defaults) / sizeof(int));
	if (ctl.sort >= 0 && !nst_out_has(&ctl.out, ctl.sort))
		nst_usage_error("--sort %s: the column is not shown",
				nst_proc_cols.cols[ctl.sort].name);
	ctl.sel.args = nst_out_has(&ctl.out, PCOL_ARGS);

	ch = collect_all(&ctl);
	return ch ? ch : show(&ctl);
}

static const int tree_defaults[] = {
	PCOL_PROCESS, PCOL_PID, PCOL_NSPID, PCOL_STATE, PCOL_FLAGS, PCOL_NS,
};

int nst_show_tree(uint32_t pid, int whole_ns)
{
	struct ps_ctl ctl = { .out.set = &nst_proc_cols, .out.tree = 1,
			      .sort = -1, .users = NST_IDCACHE_USERS };
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
	nst_out_usage(out, 1);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nAvailable columns: see --list-columns.\n", out);
	exit(NST_EXIT_OK);
}

int cmd_tree(int argc, char **argv)
{
	struct ps_ctl ctl = { .out.set = &nst_proc_cols, .out.tree = 1,
			      .sort = -1, .users = NST_IDCACHE_USERS };
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
