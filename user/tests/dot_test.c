// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the Graphviz writer (user/dot.c): a small graph
 * written out in full, and random ones written exactly as the writer did
 * before its indexes, when each namespace scanned every process and every
 * namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "columns.h"
#include "dot.h"

/* The graph as nst_dot_write() writes it, in a malloc'd string. */
static char *dot(const struct nst_proc *const *procs, size_t np,
		 const struct nst_ns *ns, size_t nns, int cmdline)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	nst_dot_write(f, procs, np, ns, nns, cmdline);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- The writer before its indexes: the oracle of the random graphs ---- */

struct old_dot {
	FILE *out;
	const struct nst_proc *const *procs;
	size_t np;
	const struct nst_ns *ns;
	size_t nns;
	int cmdline;
	char *done;
};

static int old_ns_known(const struct old_dot *d, uint32_t inum)
{
	size_t i;

	for (i = 0; i < d->nns; i++)
		if (d->ns[i].inum == inum)
			return 1;
	return 0;
}

static void old_write_proc(const struct old_dot *d, const struct nst_proc *p,
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

static void old_write_ns(struct old_dot *d, size_t idx, int indent)
{
	const struct nst_ns *ns = &d->ns[idx];
	char comm[40];
	size_t i;

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
	for (i = 0; i < d->np; i++)
		if (d->procs[i]->pidns == ns->inum)
			old_write_proc(d, d->procs[i], indent + 8);
	for (i = 0; i < d->nns; i++)
		if (!d->done[i] && d->ns[i].parent == ns->inum)
			old_write_ns(d, i, indent + 8);
	fprintf(d->out, "%*s}\n", indent, "");
}

static int old_has_pid(const struct old_dot *d, uint32_t pid)
{
	size_t i;

	for (i = 0; i < d->np; i++)
		if (d->procs[i]->pid == pid)
			return 1;
	return 0;
}

static char *old_dot(const struct nst_proc *const *procs, size_t np,
		     const struct nst_ns *ns, size_t nns, int cmdline)
{
	struct old_dot d = {
		.procs = procs, .np = np, .ns = ns, .nns = nns,
		.cmdline = cmdline,
	};
	char *buf = NULL;
	size_t len = 0, i;

	d.out = open_memstream(&buf, &len);
	d.done = calloc(nns + 1, 1);
	if (!d.out || !d.done)
		return NULL;
	fputs("digraph nstree {\n", d.out);
	fputs("        node [shape=box, fontname=\"monospace\"];\n", d.out);
	for (i = 0; i < nns; i++)
		if (!d.done[i] && (!ns[i].parent || !old_ns_known(&d, ns[i].parent)))
			old_write_ns(&d, i, 8);
	for (i = 0; i < nns; i++)
		if (!d.done[i])
			old_write_ns(&d, i, 8);
	for (i = 0; i < np; i++)
		if (!old_ns_known(&d, procs[i]->pidns))
			old_write_proc(&d, procs[i], 8);
	for (i = 0; i < np; i++)
		if (procs[i]->ppid && old_has_pid(&d, procs[i]->ppid))
			fprintf(d.out, "        \"p%u\" -> \"p%u\";\n",
				procs[i]->ppid, procs[i]->pid);
	fputs("}\n", d.out);
	free(d.done);
	if (fclose(d.out)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- Tests ---- */

static struct nst_proc mk_proc(uint32_t pid, uint32_t ppid, uint32_t pidns,
			       const char *comm, char state, int init,
			       const uint32_t *nspid, unsigned int levels)
{
	struct nst_proc p;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ppid = ppid;
	p.pidns = pidns;
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	p.state = state;
	p.ns_init = init;
	memcpy(p.nspid, nspid, levels * sizeof(*nspid));
	p.nspid_len = levels;
	return p;
}

/*
 * The namespaces in no order (a child before its parent, siblings not in
 * inode order), processes of different namespaces interleaved in PID
 * order, one of a namespace that is not listed: each cluster holds its
 * processes in PID order, then its children in the list's order.
 */
TEST(graph_in_full)
{
	struct nst_ns ns[4] = {
		{ .inum = 300, .level = 1, .parent = 100, .init_pid = 5 },
		{ .inum = 100, .level = 0, .parent = 0, .init_pid = 1 },
		{ .inum = 200, .level = 1, .parent = 100, .init_pid = 3 },
		{ .inum = 400, .level = 2, .parent = 200, .init_pid = 7 },
	};
	struct nst_proc p[8];
	const struct nst_proc *procs[8];
	static const char want[] =
		"digraph nstree {\n"
		"        node [shape=box, fontname=\"monospace\"];\n"
		"        subgraph \"cluster_100\" {\n"
		"                label=\"pid:[100] level 0\";\n"
		"                \"p1\" [label=\"init\\n1\", style=bold];\n"
		"                \"p2\" [label=\"cron\\n2\"];\n"
		"                subgraph \"cluster_300\" {\n"
		"                        label=\"pid:[300] level 1\";\n"
		"                        \"p5\" [label=\"sh\\n5/1\", style=bold];\n"
		"                }\n"
		"                subgraph \"cluster_200\" {\n"
		"                        label=\"pid:[200] level 1\";\n"
		"                        \"p3\" [label=\"runc\\n3/1\", style=bold];\n"
		"                        \"p6\" [label=\"runc\\n6/2\", style=dashed];\n"
		"                        subgraph \"cluster_400\" {\n"
		"                                label=\"pid:[400] level 2\";\n"
		"                                \"p7\" [label=\"app\\n7/3/1\", style=bold];\n"
		"                                \"p8\" [label=\"app\\n8/4/2\", peripheries=2];\n"
		"                        }\n"
		"                }\n"
		"        }\n"
		"        \"p9\" [label=\"ghost\\n9/2\"];\n"
		"        \"p1\" -> \"p2\";\n"
		"        \"p1\" -> \"p3\";\n"
		"        \"p1\" -> \"p5\";\n"
		"        \"p3\" -> \"p6\";\n"
		"        \"p3\" -> \"p7\";\n"
		"        \"p7\" -> \"p8\";\n"
		"        \"p5\" -> \"p9\";\n"
		"}\n";
	char *got;
	size_t i;

	p[0] = mk_proc(1, 0, 100, "init", 'S', 1, (uint32_t[]){ 1 }, 1);
	p[1] = mk_proc(2, 1, 100, "cron", 'S', 0, (uint32_t[]){ 2 }, 1);
	p[2] = mk_proc(3, 1, 200, "runc", 'S', 1, (uint32_t[]){ 3, 1 }, 2);
	p[3] = mk_proc(5, 1, 300, "sh", 'S', 1, (uint32_t[]){ 5, 1 }, 2);
	p[4] = mk_proc(6, 3, 200, "runc", 'Z', 0, (uint32_t[]){ 6, 2 }, 2);
	p[5] = mk_proc(7, 3, 400, "app", 'S', 1, (uint32_t[]){ 7, 3, 1 }, 3);
	p[6] = mk_proc(8, 7, 400, "app", 'S', 0, (uint32_t[]){ 8, 4, 2 }, 3);
	p[6].subreaper = 1;
	p[7] = mk_proc(9, 5, 999, "ghost", 'S', 0, (uint32_t[]){ 9, 2 }, 2);
	for (i = 0; i < 8; i++)
		procs[i] = &p[i];
	got = dot(procs, 8, ns, 4, 0);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(want, got);
	free(got);
}

static uint32_t pick(uint32_t range)
{
	return (uint32_t)(random() % range);
}

/*
 * Random graphs, their inodes from a small range so that some are listed
 * twice, parents unlisted or in cycles, processes in namespaces that are
 * not listed; with and without processes (ns --format=dot has none): the
 * same bytes as the scans wrote.
 */
TEST(random_graphs_as_the_scans_wrote_them)
{
	size_t nns, np, i, rounds = 0, bytes = 0;
	const struct nst_proc **procs;
	struct nst_proc *p;
	struct nst_ns *ns;
	int round;

	ns = calloc(400, sizeof(*ns));
	p = calloc(3000, sizeof(*p));
	procs = calloc(3000, sizeof(*procs));
	ASSERT_NE(NULL, ns);
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, procs);
	srandom(5);
	for (round = 0; round < 40; round++) {
		uint32_t range = round % 4 == 0 ? 30 : 1000;
		char *want, *got;

		nns = 1 + pick(400);
		np = round % 5 == 0 ? 0 : pick(3000);
		for (i = 0; i < nns; i++) {
			ns[i].inum = 1 + pick(range);
			ns[i].parent = pick(4) == 0 ? 0 : 1 + pick(range);
			ns[i].level = pick(33);
			ns[i].init_pid = pick(100);
			snprintf(ns[i].init_comm, sizeof(ns[i].init_comm),
				 "init%u", pick(9));
			ns[i].nr_procs = pick(100);
		}
		for (i = 0; i < np; i++) {
			unsigned int levels = 1 + pick(4), l;

			memset(&p[i], 0, sizeof(p[i]));
			p[i].pid = (uint32_t)i * 2 + 1 + pick(2);
			p[i].ppid = pick(3) == 0 ? 0 : pick(2 * (uint32_t)np + 2);
			p[i].pidns = pick(10) == 0 ? 5000 + pick(5) :
				     ns[pick(nns)].inum;
			snprintf(p[i].comm, sizeof(p[i].comm), "c%u\"%u",
				 pick(50), pick(3));
			p[i].state = "SRZD"[pick(4)];
			p[i].ns_init = pick(8) == 0;
			p[i].subreaper = pick(8) == 0;
			p[i].nspid[0] = p[i].pid;
			for (l = 1; l < levels; l++)
				p[i].nspid[l] = 1 + pick(5000);
			p[i].nspid_len = levels;
			p[i].args = pick(2) ? "a\0b c\0" : NULL;
			p[i].args_len = p[i].args ? 6 : 0;
			procs[i] = &p[i];
		}
		want = old_dot(procs, np, ns, nns, round % 2);
		got = dot(procs, np, ns, nns, round % 2);
		ASSERT_NE(NULL, want);
		ASSERT_NE(NULL, got);
		ASSERT_STREQ(want, got) TH_LOG("round %d: %zu namespaces, %zu processes",
					       round, nns, np);
		bytes += strlen(got);
		rounds++;
		free(want);
		free(got);
	}
	EXPECT_EQ(40, rounds);
	/* Not 40 empty graphs: something was written to compare. */
	EXPECT_GT(bytes, 40 * 10000);
	free(procs);
	free(p);
	free(ns);
}

TEST_HARNESS_MAIN
