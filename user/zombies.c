// SPDX-License-Identifier: GPL-2.0
/*
 * nstree zombies: every zombie the caller can see, oldest first, with its
 * parent's side of the story (SIGCHLD disposition, blocked in wait() or
 * not, namespace init or not) and a verdict: why it has not been reaped,
 * and what would reap it. One process dump; the rules are in nstree(8).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "table.h"
#include "util.h"

/* Below this a zombie has just exited: its parent may not have run. */
#define NST_ZOMBIE_FRESH_NS 1000000000ULL

struct zombies_ctl {
	struct nst_out out;
	uint32_t ns_inum, ns_pid;	/* --ns, as given */
	uint64_t ns_id;
	uint32_t sel_inum;		/* --ns resolved to an inode, 0: none */
	struct nst_ns_list nsl;		/* with --ns: every namespace */
	struct nst_proc *p;		/* every process, in PID order */
	size_t n, cap;
};

/* One zombie and what its verdict needs. */
struct zombie {
	const struct nst_proc *z;
	const struct nst_proc *parent;	/* NULL: out of the caller's view */
	const struct nst_proc *reaper;	/* NULL: not given or not seen */
	uint32_t siblings;		/* the parent's zombie children */
	uint64_t oldest_ns;		/* the oldest of them, 0: unknown */
	int rule;
};

static int collect(const struct nst_proc *p, void *arg)
{
	struct zombies_ctl *ctl = arg;

	if (ctl->n == ctl->cap) {
		size_t cap = ctl->cap ? 2 * ctl->cap : 256;
		struct nst_proc *np = realloc(ctl->p, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		ctl->p = np;
		ctl->cap = cap;
	}
	ctl->p[ctl->n] = *p;
	ctl->p[ctl->n].args = NULL;
	ctl->n++;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct nst_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static const struct nst_proc *find(const struct zombies_ctl *ctl,
				   uint32_t pid)
{
	struct nst_proc key = { .pid = pid };

	if (!pid)
		return NULL;
	return bsearch(&key, ctl->p, ctl->n, sizeof(*ctl->p), cmp_pid);
}

static int is_zombie(const struct nst_proc *p)
{
	return p->state == 'Z';
}

static int cmp_inum(const void *a, const void *b)
{
	const struct nst_ns *x = a, *y = b;

	return x->inum < y->inum ? -1 : x->inum > y->inum;
}

/*
 * Has @p a PID in the --ns namespace: is its own that one or below it?
 * ctl->nsl is sorted by inode.
 */
static int in_selection(const struct zombies_ctl *ctl,
			const struct nst_proc *p)
{
	struct nst_ns key = { .inum = p->pidns };
	const struct nst_ns *ns;
	int depth;

	if (!ctl->sel_inum)
		return 1;
	for (depth = 0; key.inum && depth < NST_MAX_LEVELS; depth++) {
		if (key.inum == ctl->sel_inum)
			return 1;
		ns = bsearch(&key, ctl->nsl.ns, ctl->nsl.n, sizeof(key),
			     cmp_inum);
		if (!ns)
			return 0;
		key.inum = ns->parent;
	}
	return 0;
}

static int collect_all(struct zombies_ctl *ctl)
{
	struct nst_proc_sel sel = { 0 };
	struct nst_conn c;
	char what[64];
	int err;

	err = nst_connect(&c);
	if (err)
		return err;
	if (ctl->ns_inum || ctl->ns_pid || ctl->ns_id) {
		struct nst_ns ns;

		if (ctl->ns_id) {
			snprintf(what, sizeof(what), "namespace :%llu",
				 (unsigned long long)ctl->ns_id);
			err = nst_get_ns_by_id(&c, ctl->ns_id, &ns);
		} else if (ctl->ns_pid) {
			snprintf(what, sizeof(what), "PID %u", ctl->ns_pid);
			err = nst_get_ns(&c, 0, ctl->ns_pid, &ns);
		} else {
			snprintf(what, sizeof(what), "namespace %u",
				 ctl->ns_inum);
			err = nst_get_ns(&c, ctl->ns_inum, 0, &ns);
		}
		if (!err) {
			ctl->sel_inum = ns.inum;
			snprintf(what, sizeof(what), "namespaces");
			err = nst_ns_list_read(&c, &ctl->nsl);
		}
		if (err)
			goto fail;
	}
	/*
	 * Every process, not only those of --ns: a zombie's parent may live
	 * in a namespace above it.
	 */
	snprintf(what, sizeof(what), "processes");
	err = nst_dump_procs(&c, &sel, collect, ctl);
	if (err)
		goto fail;
	nst_close(&c);
	qsort(ctl->p, ctl->n, sizeof(*ctl->p), cmp_pid);
	qsort(ctl->nsl.ns, ctl->nsl.n, sizeof(*ctl->nsl.ns), cmp_inum);
	return NST_EXIT_OK;
fail:
	err = nst_report(&c, err, what);
	nst_close(&c);
	return err;
}

static const char *sigchld_name(uint8_t v)
{
	switch (v) {
	case NSTREE_SIGCHLD_DEFAULT:
		return "default";
	case NSTREE_SIGCHLD_IGNORE:
		return "ignore";
	case NSTREE_SIGCHLD_HANDLER:
		return "handler";
	}
	return "";
}

/* "PID 412 (job)", the parent's PID as the caller sees it. */
static void name_proc(char *buf, size_t size, const struct nst_proc *p)
{
	snprintf(buf, size, "PID %u (%s)", p->pid, p->comm);
}

/* " for 5m", or "" when the age is not known. */
static void for_age(char *buf, size_t size, uint64_t ns, int known)
{
	char age[32];

	buf[0] = '\0';
	if (!known)
		return;
	nst_fmt_age(age, sizeof(age), ns);
	snprintf(buf, size, " for %s", age);
}

/* The rule of the verdict on @zb: the first that applies (nstree(8)). */
static int decide(const struct zombie *zb)
{
	const struct nst_proc *z = zb->z, *pp = zb->parent;

	if (z->threads > 1)
		return 1;
	if (!pp)
		return 2;
	if (z->zombie_known && z->zombie_ns < NST_ZOMBIE_FRESH_NS)
		return 3;
	if (pp->state == 'T' || pp->state == 't')
		return 4;
	if (pp->in_wait == 1)
		return 5;
	if (pp->sigchld == NSTREE_SIGCHLD_IGNORE)
		return 6;
	if (pp->sigchld == NSTREE_SIGCHLD_HANDLER)
		return 7;
	if (pp->ns_init)
		return 8;
	return 9;
}

static void verdict(char *buf, size_t size, const struct zombie *zb)
{
	const struct nst_proc *z = zb->z, *pp = zb->parent;
	char par[64], age[48], who[128], kids[32], rp[64], how[128];

	if (pp)
		name_proc(par, sizeof(par), pp);
	switch (zb->rule) {
	case 1:
		snprintf(buf, size,
			 "its leader thread exited before its %u other thread%s (pthread_exit() in main?): it is reaped when its last thread exits",
			 z->threads - 1, z->threads == 2 ? "" : "s");
		return;
	case 2:
		snprintf(buf, size,
			 "its parent is out of your view (another PID namespace above yours, or hidden): who reaps it is hidden from you");
		return;
	case 3:
		nst_fmt_age(age, sizeof(age), z->zombie_ns);
		snprintf(buf, size,
			 "it exited %s ago: its parent %s may not have run since",
			 age, par);
		return;
	case 4:
		snprintf(buf, size,
			 "its parent %s is stopped: it cannot reap until it is continued (SIGCONT)",
			 par);
		return;
	case 5:
		snprintf(buf, size,
			 "its parent %s waits in wait(), but not for this child (it waits for a given PID or process group)",
			 par);
		return;
	case 6:
		snprintf(buf, size,
			 "its parent %s ignored SIGCHLD only after this child exited: the kernel releases only children that exit from now on (do_notify_parent()); only wait() reaps this one",
			 par);
		return;
	case 7:
		for_age(age, sizeof(age), z->zombie_ns, z->zombie_known);
		snprintf(buf, size,
			 "the SIGCHLD handler of its parent %s has not reaped it%s: the handler must loop on waitpid(-1, &st, WNOHANG) until it returns 0 (one signal may stand for several children)",
			 par, age);
		return;
	}
	/*
	 * 8 and 9: the parent is not in wait(), or it is hidden whether it
	 * is. Had it called wait() for any child since they exited, they
	 * would be gone; whether it ever will, a snapshot cannot say: a
	 * running parent may be busy and reap later.
	 */
	snprintf(how, sizeof(how), "%s",
		 pp->in_wait < 0 ?
		 "; whether it is in wait() is hidden from you" :
		 pp->state == 'R' ?
		 ": it has not called wait() since; it is running, and a busy parent reaps when it next calls wait()" :
		 ": it has not called wait() since");
	for_age(age, sizeof(age), zb->oldest_ns, zb->oldest_ns != 0);
	snprintf(kids, sizeof(kids), "%u child%s", zb->siblings,
		 zb->siblings == 1 ? "" : "ren");
	if (zb->rule == 8) {
		uint32_t vpid = pp->nspid_len ? pp->nspid[pp->nspid_len - 1] :
						pp->pid;

		if (pp->pidns)
			snprintf(who, sizeof(who), "PID %u of pid:[%u] (%s)",
				 vpid, pp->pidns, pp->comm);
		else
			snprintf(who, sizeof(who), "%s, its namespace's init,",
				 par);
		snprintf(buf, size,
			 "%s has not reaped %s%s%s; if it never calls wait(), run it under an init such as `nstree run --init`",
			 who, kids, age, how);
		return;
	}
	if (zb->reaper)
		snprintf(rp, sizeof(rp), "%u (%s)", zb->reaper->pid,
			 zb->reaper->comm);
	else if (z->reaper)
		snprintf(rp, sizeof(rp), "%u", z->reaper);
	else
		snprintf(rp, sizeof(rp), "a reaper out of your view");
	snprintf(buf, size,
		 "%s has not reaped %s%s%s; if it ended, %s would adopt %s and reap %s",
		 par, kids, age, how, rp,
		 zb->siblings == 1 ? "it" : "them",
		 zb->siblings == 1 ? "it" : "them");
}

/* A yes/no cell: "yes", "no", "-" when hidden; in JSON true, false, null. */
static void set_bool(const struct nst_out *o, struct libscols_line *ln,
		     int id, int v)
{
	if (o->json)
		nst_out_set(o, ln, id, v < 0 ? "" : v ? "1" : "0");
	else
		nst_out_set(o, ln, id, v < 0 ? "-" : v ? "yes" : "no");
}

static void fill(const struct nst_out *o, struct libscols_line *ln,
		 const struct zombie *zb)
{
	const struct nst_proc *z = zb->z, *pp = zb->parent;
	char buf[1024];

	nst_out_set_u64(o, ln, ZCOL_PID, z->pid, 1);
	nst_out_set_u64(o, ln, ZCOL_PPID, z->ppid, 1);
	nst_out_set(o, ln, ZCOL_COMM, z->comm);
	if (nst_out_has(o, ZCOL_AGE)) {
		buf[0] = '\0';
		if (z->zombie_known && o->json)
			snprintf(buf, sizeof(buf), "%llu.%03llu",
				 (unsigned long long)(z->zombie_ns / 1000000000ULL),
				 (unsigned long long)(z->zombie_ns / 1000000ULL % 1000));
		else if (z->zombie_known)
			nst_fmt_age(buf, sizeof(buf), z->zombie_ns);
		nst_out_set(o, ln, ZCOL_AGE, buf);
	}
	nst_out_set(o, ln, ZCOL_PARENT, pp ? pp->comm : "");
	nst_out_set(o, ln, ZCOL_SIGCHLD, pp ? sigchld_name(pp->sigchld) : "");
	set_bool(o, ln, ZCOL_INWAIT, pp ? pp->in_wait : -1);
	set_bool(o, ln, ZCOL_PINIT, pp ? !!pp->ns_init : -1);
	nst_out_set_u64(o, ln, ZCOL_ZOMBIES, zb->siblings, pp != NULL);
	nst_out_set_u64(o, ln, ZCOL_REAPER, z->reaper, z->reaper);
	nst_out_set_u64(o, ln, ZCOL_RULE, zb->rule, 1);
	nst_out_set_u64(o, ln, ZCOL_PIDNS, z->pidns, z->pidns);
	if (nst_out_has(o, ZCOL_VERDICT)) {
		verdict(buf, sizeof(buf), zb);
		nst_out_set(o, ln, ZCOL_VERDICT, buf);
	}
}

/* Oldest first; zombies of unknown age last; ties in PID order. */
static int cmp_age(const void *a, const void *b)
{
	const struct zombie *x = a, *y = b;

	if (x->z->zombie_known != y->z->zombie_known)
		return x->z->zombie_known ? -1 : 1;
	if (x->z->zombie_ns != y->z->zombie_ns)
		return x->z->zombie_ns > y->z->zombie_ns ? -1 : 1;
	return x->z->pid < y->z->pid ? -1 : x->z->pid > y->z->pid;
}

static int show(struct zombies_ctl *ctl)
{
	struct libscols_table *tb;
	struct zombie *zs;
	struct {
		uint32_t n;
		uint64_t oldest_ns;
	} *kids;
	size_t i, k, n = 0;

	zs = calloc(ctl->n + 1, sizeof(*zs));
	if (!zs)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < ctl->n; i++) {
		const struct nst_proc *p = &ctl->p[i];
		struct zombie *zb;

		if (!is_zombie(p) || !in_selection(ctl, p))
			continue;
		zb = &zs[n++];
		zb->z = p;
		zb->parent = p->ppid != p->pid ? find(ctl, p->ppid) : NULL;
		zb->reaper = find(ctl, p->reaper);
	}
	/*
	 * Each parent's zombie children, in the whole dump: counted once
	 * per parent (by its index in ctl->p), then given to each zombie.
	 */
	kids = calloc(ctl->n + 1, sizeof(*kids));
	if (!kids)
		err(NST_EXIT_FAILURE, "cannot allocate memory");
	for (i = 0; i < ctl->n; i++) {
		const struct nst_proc *q = &ctl->p[i], *pp;

		if (!is_zombie(q) || q->ppid == q->pid)
			continue;
		pp = find(ctl, q->ppid);
		if (!pp)
			continue;
		kids[pp - ctl->p].n++;
		if (q->zombie_known && q->zombie_ns > kids[pp - ctl->p].oldest_ns)
			kids[pp - ctl->p].oldest_ns = q->zombie_ns;
	}
	for (k = 0; k < n; k++) {
		if (zs[k].parent) {
			zs[k].siblings = kids[zs[k].parent - ctl->p].n;
			zs[k].oldest_ns = kids[zs[k].parent - ctl->p].oldest_ns;
		}
		zs[k].rule = decide(&zs[k]);
	}
	free(kids);
	qsort(zs, n, sizeof(*zs), cmp_age);

	tb = nst_out_table(&ctl->out, "zombies");
	for (k = 0; k < n; k++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			err(NST_EXIT_FAILURE, "cannot allocate a line");
		fill(&ctl->out, ln, &zs[k]);
	}
	nst_out_print(&ctl->out, tb);
	scols_unref_table(tb);
	free(zs);
	free(ctl->p);
	free(ctl->nsl.ns);
	return NST_EXIT_OK;
}

static void __attribute__((noreturn)) zombies_usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n", out);
	fprintf(out, " %s zombies [options]\n", program_invocation_short_name);
	fputs("\nList every zombie you can see, oldest first, with its parent's\n"
	      "SIGCHLD disposition and wait() state, and why it is not reaped.\n",
	      out);
	fputs("\nOptions:\n", out);
	fputs(" -N, --ns <ns>          only zombies with a PID in this namespace\n"
	      "                          (an inode, pid:[inode], :ID, or a PID in it)\n", out);
	nst_out_usage(out, &nst_opts_zombies);
	fputs(" -h, --help             display this help\n", out);
	fputs("\nAvailable columns: see --list-columns.\n", out);
	exit(NST_EXIT_OK);
}

int cmd_zombies(int argc, char **argv)
{
	static const int defaults[] = {
		ZCOL_PID, ZCOL_PPID, ZCOL_COMM, ZCOL_AGE, ZCOL_PARENT,
		ZCOL_SIGCHLD, ZCOL_INWAIT, ZCOL_PINIT, ZCOL_ZOMBIES,
		ZCOL_REAPER, ZCOL_VERDICT,
	};
	struct zombies_ctl ctl = { .out.set = &nst_zombie_cols };
	int ch;

	while ((ch = getopt_long(argc, argv, nst_opts_zombies.shortopts,
				 nst_opts_zombies.longopts, NULL)) != -1) {
		switch (ch) {
		case 'N':
			if (nst_parse_ns_arg(optarg, &ctl.ns_inum, &ctl.ns_pid,
					     &ctl.ns_id))
				nst_usage_error("invalid namespace: '%s' (an inode, :ID or a PID)",
						optarg);
			break;
		case 'h':
			zombies_usage();
		default:
			if (!nst_out_option(&ctl.out, ch, optarg, 0))
				nst_try_help();
		}
	}
	if (optind < argc)
		nst_usage_error("unexpected argument: '%s'", argv[optind]);
	nst_out_finish(&ctl.out, defaults, sizeof(defaults) / sizeof(int));

	ch = collect_all(&ctl);
	return ch ? ch : show(&ctl);
}
