/* SPDX-License-Identifier: GPL-2.0 */
/* Graphviz output: each PID namespace a cluster, nested as they are. */
#ifndef NSTREE_DOT_H
#define NSTREE_DOT_H

#include <stdio.h>

#include "nl.h"

/*
 * Write a digraph of the namespaces @ns (@nns of them), nested clusters,
 * with the processes @procs (@np, may be 0; sorted by PID) as nodes in their own
 * namespace's cluster and parent -> child edges. With @cmdline, processes
 * are labelled with their command line when they have one.
 */
void nst_dot_write(FILE *out, const struct nst_proc *const *procs, size_t np,
		   const struct nst_ns *ns, size_t nns, int cmdline);

#endif /* NSTREE_DOT_H */
