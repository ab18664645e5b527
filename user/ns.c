// SPDX-License-Identifier: GPL-2.0
/*
 * nstree ns: the PID namespaces you can see, as lsns -t pid --tree=parent
 * draws them, each with its init and its counts.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "dot.h"
#include "keyidx.h"
#include "table.h"

struct ns_ctl {
	struct nst_out out;
	uint32_t inum, pid;	/* one namespace, when set */
	uint64_t id;
	struct nst_ns_list l;
};

static int keep(const struct nst_ns *ns, void *arg)
{
	struct nst_ns_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct nst_ns *p = realloc(l->ns, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->ns = p;
		l->cap = cap;
	}
	l->ns[l->n++] = *ns;
	return 0;
}

int nst_ns_list_read(struct nst_conn *c, struct nst_ns_list *l)
{
	memset(l, 0, sizeof(*l));
	return nst_dump_ns(c, keep, l);
}

static void fill(const struct ns_ctl *ctl, struct libscols_line *ln,
		 const struct nst_ns *ns)
{
	const struct nst_out *o = &ctl->out;

	nst_out_set_u64(o, ln, NCOL_NS, ns->inum, 1);
	nst_out_set(o, ln, NCOL_TYPE, "pid");
	nst_out_set_u64(o, ln, NCOL_LEVEL, ns->level, 1);
	nst_out_set_u64(o, ln, NCOL_PARENT, ns->parent, ns->parent);
	nst_out_set_u64(o, ln, NCOL_INIT, ns->init_pid, ns->init_pid);
	nst_out_set(o, ln, NCOL_INITCOMM, ns->init_comm);
	nst_out_set_u64(o, ln, NCOL_NPROCS, ns->nr_procs, 1);
	nst_out_set_u64(o, ln, NCOL_NTHREADS, ns->nr_threads, 1);
	nst_out_set_u64(o, ln, NCOL_NZOMBIES, ns->nr_zombies, 1);
	nst_out_set_u64(o, ln, NCOL_USERNS, ns->userns, ns->userns);
	nst_out_set_u64(o, ln, NCOL_NSID, ns->id, ns->id != 0);
	nst_out_set_u64(o, ln, NCOL_PARENTID, ns->parent_id, ns->parent_id != 0);
}

static int by_level_then_init(const void *a, const void *b)
{
	const struct nst_ns *x = a, *y = b;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return x->init_pid < y->init_pid ? -1 : x->init_pid > y->init_pid;
}

/*
 * Lines in level order, so a parent's line exists before its children's;
 * in a tree each goes under its parent's, found through an index of the
 * inodes (nst_ns_parents()): 20,000 namespaces make no 200 million
 * comparisons.
 */
static void build(const struct ns_ctl *ctl, struct libscols_table *tb)
{
	struct libscols_line **lines;
	size_t i, *parent;

	lines = calloc(ctl->l.n + 1, sizeof(*lines));
	parent = malloc((ctl->l.n + 1) * sizeof(*parent));
	if (!lines || !parent ||
	    nst_ns_parents(ctl->l.ns, ctl->l.n, parent))
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < ctl->l.n; i++) {
		struct libscols_line *pl = NULL;

		if (ctl->out.tree && parent[i] != NST_NO_ITEM)
			pl = lines[parent[i]];
		lines[i] = scols_table_new_line(tb, pl);
		if (!lines[i])
			err(NST_EXIT_FAILURE, "cannot allocate a line");
		fill(ctl, lines[i], &ctl->l.ns[i]);
	}
	free(parent);
	free(lines);
}

static void __attribute__((noreturn)) ns_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s ns [options] [<ns>]\n", program_invocation_short_name);
	fputs("\nShow the PID namespaces you can see, as a tree of parents and\n"
	      "children, each with its init and how many processes it holds; or\n"
	      "one namespace: <ns> is an inode, pid:[inode], :ID (its nstree ID,\n"
	      "the NSID column), or a PID in it.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -l, --list             a flat list instead of a tree\n", out);
	nst_out_usage(out, &nst_opts_ns);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nAvailable columns: see --list-columns.\n", out);
	exit(NST_EXIT_OK);
}

int cmd_ns(int argc, char **argv)
{
	static const int defaults[] = {
		NCOL_NS, NCOL_LEVEL, NCOL_INIT, NCOL_INITCOMM, NCOL_NPROCS,
		NCOL_NTHREADS, NCOL_NZOMBIES, NCOL_USERNS,
	};
	struct ns_ctl ctl = { .out.set = &nst_ns_cols, .out.tree = 1 };
	struct libscols_table *tb;
	struct nst_conn c;
	struct nst_ns one;
	int ch, err;

	while ((ch = getopt_long(argc, argv, nst_opts_ns.shortopts,
				 nst_opts_ns.longopts, NULL)) != -1) {
		if (nst_out_option(&ctl.out, ch, optarg, 1))
			continue;
		switch (ch) {
		case 'l':
			ctl.out.tree = 0;
			break;
		case 'h':
			ns_usage();
		default:
			nst_try_help();
		}
	}
	if (optind < argc &&
	    nst_parse_ns_arg(argv[optind++], &ctl.inum, &ctl.pid, &ctl.id))
		nst_usage_error("invalid namespace: '%s' (an inode, :ID or a PID)",
				argv[optind - 1]);
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);
	nst_out_finish(&ctl.out, defaults, sizeof(defaults) / sizeof(int));

	err = nst_connect(&c);
	if (err)
		return err;
	if (ctl.id) {
		err = nst_get_ns_by_id(&c, ctl.id, &one);
		if (!err)
			err = keep(&one, &ctl.l);
	} else if (ctl.inum || ctl.pid) {
		err = nst_get_ns(&c, ctl.inum, ctl.pid, &one);
		if (!err)
			err = keep(&one, &ctl.l);
	} else {
		err = nst_ns_list_read(&c, &ctl.l);
	}
	if (err) {
		char what[48];

		if (ctl.inum)
			snprintf(what, sizeof(what), "namespace %u", ctl.inum);
		else if (ctl.pid)
			snprintf(what, sizeof(what), "PID %u", ctl.pid);
		else if (ctl.id)
			snprintf(what, sizeof(what), "namespace :%llu",
				 (unsigned long long)ctl.id);
		else
			snprintf(what, sizeof(what), "namespaces");
		err = nst_report(&c, err, what);
		nst_close(&c);
		return err;
	}
	nst_close(&c);
	qsort(ctl.l.ns, ctl.l.n, sizeof(*ctl.l.ns), by_level_then_init);

	if (ctl.out.dot) {
		nst_dot_write(stdout, NULL, 0, ctl.l.ns, ctl.l.n, 0);
	} else {
		tb = nst_out_table(&ctl.out, "namespaces");
		build(&ctl, tb);
		nst_out_print(&ctl.out, tb);
		scols_unref_table(tb);
	}
	free(ctl.l.ns);
	return NST_EXIT_OK;
}
