/* SPDX-License-Identifier: GPL-2.0 */
/* What the subcommands of the nstree CLI share with user/nstree.c. */
#ifndef NSTREE_CMDS_H
#define NSTREE_CMDS_H

#include "nl.h"

/* Exit codes, fixed and documented in the man page. */
enum {
	NST_EXIT_OK = 0,
	NST_EXIT_USAGE = 1,	/* bad option, argument or command */
	NST_EXIT_NOMODULE = 2,	/* the nstree module is not loaded */
	NST_EXIT_PERM = 3,	/* permission denied */
	NST_EXIT_NOTFOUND = 4,	/* no such process or namespace */
	NST_EXIT_FAILURE = 5,	/* any other failure */
};

/* Connect, or say why not in one line; returns the exit code (0: ok). */
int connect_module(struct nst_conn *c);
/* Report a failed kernel request in one line; returns the exit code. */
int report(const struct nst_conn *c, int err, const char *what);

/* nstree watch (user/watch.c) */
int cmd_watch(int argc, char **argv);

#endif /* NSTREE_CMDS_H */
