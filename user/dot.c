// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "dot.h"
#include "keyidx.h"

struct dot {
	FILE *out;
	const struct nst_proc *const *procs;
	size_t np;
	const struct nst_ns *ns;
	size_t nns;
	int cmdline;
	char *done;		/* namespaces already written */
	/*
	 * Indexes, so that no namespace scans every process or namespace:
	 * the namespaces by inode and by parent, the processes by their
	 * namespace; a key's items in their order in the arrays above.
	 */
	struct nst_keyidx *by_inum, *by_parent, *by_pidns;
};

static int ns_known(const struct dot *d, uint32_t inum)
{
	return nst_keyidx_has(d->by_inum, d->nns, inum);
}

static void write_proc(const struct dot *d, const struct nst_proc *p,
		       int indent)
{
	char chain[16 * NST_MAX_LEVELS], name[4200], esc[8400];

	if (d->cmdline && p->args)
		nst_fmt_args(name, sizeof(name), p->args, p->args_len);
	else
		snprintf(name, sizeof(name), "%s", p->comm);
	nst_dot_escape(esc, sizeof(esc), name);
	nst_fmt_chain(chain, sizeof(chain), p->nspid, p->nspid_len, '/');
	fprintf(d->out, "%*s\"p%u\" [label=\"%s\\n%s\"%s];\n", indent, "",
		p->pid, esc, chain,
		p->state == 'Z' ? ", style=dashed" :
		p->ns_init ? ", style=bold" :
		p->subreaper ? ", peripheries=2" : "");
}

/* A namespace's cluster: its processes, then the clusters nested in it. */
static void write_ns(struct dot *d, size_t idx, int indent)
{
	const struct nst_ns *ns = &d->ns[idx];
	const struct nst_keyidx *ix;
	char comm[40];
	size_t at;

	d->done[idx] = 1;
	fprintf(d->out, "%*ssubgraph \"cluster_%u\" {\n", indent, "", ns->inum);
	nst_dot_escape(comm, sizeof(comm), ns->init_comm);
	fprintf(d->out, "%*slabel=\"pid:[%u] level %u\";\n", indent + 8, "",
		ns->inum, ns->level);
	if (!d->np)
		fprintf(d->out,
			"%*s\"ns%u\" [label=\"init %s (%u)\\n%u processes, %u threads, %u zombies\"];\n",
			indent + 8, "", ns->inum, comm, ns->init_pid,
			ns->nr_procs, ns->nr_threads, ns->nr_zombies);
	/* Its processes in PID order, its children in the list's order. */
	ix = d->by_pidns;
	for (at = nst_keyidx_find(ix, d->np, ns->inum, 0);
	     at < d->np && ix[at].key == ns->inum; at++)
		write_proc(d, d->procs[ix[at].item], indent + 8);
	ix = d->by_parent;
	for (at = nst_keyidx_find(ix, d->nns, ns->inum, 0);
	     at < d->nns && ix[at].key == ns->inum; at++)
		if (!d->done[ix[at].item])
			write_ns(d, ix[at].item, indent + 8);
	fprintf(d->out, "%*s}\n", indent, "");
}

static const struct nst_proc *find_proc(const struct dot *d, uint32_t pid)
{
	size_t lo = 0, hi = d->np, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->procs[mid]->pid < pid)
			lo = mid + 1;
		else if (d->procs[mid]->pid > pid)
			hi = mid;
		else
			return d->procs[mid];
	}
	return NULL;
}

void nst_dot_write(FILE *out, const struct nst_proc *const *procs, size_t np,
		   const struct nst_ns *ns, size_t nns, int cmdline)
{
	struct dot d = {
		.out = out, .procs = procs, .np = np, .ns = ns, .nns = nns,
		.cmdline = cmdline,
	};
	size_t i;

	d.done = calloc(nns + 1, 1);
	d.by_inum = malloc((nns + 1) * sizeof(*d.by_inum));
	d.by_parent = malloc((nns + 1) * sizeof(*d.by_parent));
	d.by_pidns = malloc((np + 1) * sizeof(*d.by_pidns));
	if (!d.done || !d.by_inum || !d.by_parent || !d.by_pidns)
		goto out;
	for (i = 0; i < nns; i++) {
		d.by_inum[i].key = ns[i].inum;
		d.by_parent[i].key = ns[i].parent;
		d.by_inum[i].item = d.by_parent[i].item = i;
	}
	for (i = 0; i < np; i++) {
		d.by_pidns[i].key = procs[i]->pidns;
		d.by_pidns[i].item = i;
	}
	nst_keyidx_sort(d.by_inum, nns);
	nst_keyidx_sort(d.by_parent, nns);
	nst_keyidx_sort(d.by_pidns, np);
	fputs("digraph nstree {\n", out);
	fputs("        node [shape=box, fontname=\"monospace\"];\n", out);
	/* Roots: the caller's own namespace, and any whose parent is unlisted. */
	for (i = 0; i < nns; i++)
		if (!d.done[i] && (!ns[i].parent || !ns_known(&d, ns[i].parent)))
			write_ns(&d, i, 8);
	for (i = 0; i < nns; i++)
		if (!d.done[i])
			write_ns(&d, i, 8);
	/* Processes of namespaces that have no init left to list them. */
	for (i = 0; i < np; i++)
		if (!ns_known(&d, procs[i]->pidns))
			write_proc(&d, procs[i], 8);
	for (i = 0; i < np; i++)
		if (procs[i]->ppid && find_proc(&d, procs[i]->ppid))
			fprintf(out, "        \"p%u\" -> \"p%u\";\n",
				procs[i]->ppid, procs[i]->pid);
	fputs("}\n", out);
out:
	free(d.by_pidns);
	free(d.by_parent);
	free(d.by_inum);
	free(d.done);
}
