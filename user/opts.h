/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every command's options, as getopt_long() takes them: the one table each
 * parser reads, and the one the host tests hold --help and the man page to.
 */
#ifndef NSTREE_OPTS_H
#define NSTREE_OPTS_H

#include <getopt.h>

/* The getopt values of long options with no letter, beside table.h's. */
enum {
	NST_OPT_SORT = 0x200,	/* ps --sort */
	NST_OPT_INIT,		/* run --init */
	NST_OPT_SUBREAPER,	/* run --subreaper */
	NST_OPT_SHOW,		/* run --show */
	NST_OPT_NS,		/* ps --ns: procps -N is --deselect */
	NST_OPT_SUBTREE,	/* ps --subtree: procps -s is a session list */
	NST_OPT_QUEUE,		/* watch --queue: -q is run's --quiet */
	NST_OPT_HOSTNAME,	/* run --hostname */
	NST_OPT_RECORD,		/* watch --record, why --record */
	NST_OPT_RECORD_SIZE,	/* watch --record-size */
};

struct nst_opts {
	const char *cmd;		/* "" for nstree's own options */
	const char *shortopts;
	const struct option *longopts;	/* ends with a NULL name */
};

extern const struct nst_opts nst_opts_top, nst_opts_info, nst_opts_tree,
	nst_opts_ps, nst_opts_ns, nst_opts_watch, nst_opts_run, nst_opts_why,
	nst_opts_zombies;

/* All of the above, nstree's own first; NULL-terminated. */
extern const struct nst_opts *const nst_all_opts[];

#endif /* NSTREE_OPTS_H */
