/* SPDX-License-Identifier: GPL-2.0 */
/* What the nstree commands share: exit codes, errors, the connection. */
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

/*
 * The command being run ("ps"), once nstree has read it: the "Try" line
 * then names that command's --help. NULL before.
 */
extern const char *nst_cmd_name;

/* One line naming the misuse, the "Try --help" line, exit 1. */
void nst_usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* Just the "Try --help" line and exit 1, after getopt's own message. */
void nst_try_help(void) __attribute__((noreturn));

/*
 * At exit: if anything written to stdout was lost (a full disk, a closed
 * descriptor), say "write error" and exit with NST_EXIT_FAILURE.
 */
void nst_close_stdout(void);

/* Connect to the module; 0, or the exit code after saying why not. */
int nst_connect(struct nst_conn *c);
/* Say in one line why a request failed; return the exit code. */
int nst_report(const struct nst_conn *c, int err, const char *what);

/*
 * Draw the tree of the PID namespace of @pid (@whole_ns), or of @pid's
 * subtree, as nstree tree does. Returns an exit code, after saying why
 * when it is not 0.
 */
int nst_show_tree(uint32_t pid, int whole_ns);

/* Every PID namespace the caller sees, in an array of its own. */
struct nst_ns_list {
	struct nst_ns *ns;
	size_t n, cap;
};

int nst_ns_list_read(struct nst_conn *c, struct nst_ns_list *l);

int cmd_run(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_ns(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_zombies(int argc, char **argv);

#endif /* NSTREE_CMDS_H */
