/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the built nstree says about itself: its commands, each command's
 * options from its --help and its columns from --list-columns, read the
 * way a user reads them. The completion and man page tests check their
 * files against this, so neither can drift from the program.
 */
#ifndef NSTREE_TEST_HELP_H
#define NSTREE_TEST_HELP_H

#include <stddef.h>

#define HELP_MAX_OPTS 48
#define HELP_MAX_COLS 64
#define HELP_MAX_CMDS 16

struct help_opt {
	char shortopt;		/* 0 when it has none */
	char name[32];		/* the long name, without the dashes */
	char arg[32];		/* "pid", "list", "=dot" (a fixed value),
				 * "?name" (optional, attached), or "" */
};

struct help_cmd {
	char name[16];		/* "" for nstree's own options */
	char usage[256];	/* the line after "Usage:" */
	struct help_opt opts[HELP_MAX_OPTS];
	size_t nopts;
	/* "Options:" lines that start with '-' but read as no option */
	char unparsed[HELP_MAX_OPTS][80];
	size_t nunparsed;
	char cols[HELP_MAX_COLS][16];		/* --list-columns, if any */
	char colhelp[HELP_MAX_COLS][128];
	size_t ncols;
};

struct help {
	struct help_cmd top;
	struct help_cmd cmds[HELP_MAX_CMDS];
	size_t ncmds;
	int exits[16];		/* the statuses "Exit status:" names */
	size_t nexits;
};

/* The binary to read: $NSTREE_BIN, else user/nstree. */
const char *help_bin(void);

/* Read it all. Returns 0, or -1 with a message on stderr. */
int help_read(struct help *h);

#endif /* NSTREE_TEST_HELP_H */
