/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The columns of nstree's tables and trees, and the pure formatting of
 * their cells: no I/O, unit-tested on the host.
 */
#ifndef NSTREE_COLUMNS_H
#define NSTREE_COLUMNS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "nl.h"

struct nst_colinfo {
	const char *name;
	double whint;		/* width hint, as libsmartcols takes it */
	int flags;		/* SCOLS_FL_* */
	int json;		/* SCOLS_JSON_* */
	const char *help;
};

/* A set of columns: a table (ps, tree) or the namespace table (ns). */
struct nst_colset {
	const struct nst_colinfo *cols;
	size_t ncols;
	int tree_col;		/* the column trees are drawn in, when shown */
};

/* Process columns, in the order --output-all shows them. */
enum {
	PCOL_PROCESS,	/* the tree column: comm, or the command line */
	PCOL_PID,
	PCOL_NSPID,
	PCOL_VPID,
	PCOL_TID,
	PCOL_NSTID,
	PCOL_PPID,
	PCOL_VPPID,
	PCOL_PIDNS,
	PCOL_LEVEL,
	PCOL_NS,
	PCOL_STATE,
	PCOL_FLAGS,
	PCOL_INIT,
	PCOL_SUBREAPER,
	PCOL_REAPER,
	PCOL_REAPERWHY,
	PCOL_UID,
	PCOL_USER,
	PCOL_EUID,
	PCOL_COMM,
	PCOL_ARGS,
	PCOL_THREADS,
	PCOL_START,
	PCOL_MNTNS,
	PCOL_NETNS,
	PCOL_UTSNS,
	PCOL_IPCNS,
	PCOL_USERNS,
	PCOL_CGROUPNS,
	PCOL_TIMENS,
	PCOL_NSID,
	PCOL_COUNT
};

/* Namespace columns. */
enum {
	NCOL_NS,
	NCOL_TYPE,
	NCOL_LEVEL,
	NCOL_PARENT,
	NCOL_INIT,
	NCOL_INITCOMM,
	NCOL_NPROCS,
	NCOL_NTHREADS,
	NCOL_NZOMBIES,
	NCOL_USERNS,
	NCOL_NSID,
	NCOL_PARENTID,
	NCOL_COUNT
};

/* Zombie columns (nstree zombies). */
enum {
	ZCOL_PID,
	ZCOL_PPID,
	ZCOL_COMM,
	ZCOL_AGE,
	ZCOL_PARENT,
	ZCOL_SIGCHLD,
	ZCOL_INWAIT,
	ZCOL_PINIT,
	ZCOL_ZOMBIES,
	ZCOL_REAPER,
	ZCOL_RULE,
	ZCOL_PIDNS,
	ZCOL_VERDICT,
	ZCOL_COUNT
};

extern const struct nst_colset nst_proc_cols;
extern const struct nst_colset nst_ns_cols;
extern const struct nst_colset nst_zombie_cols;

/* The column called @name (case-insensitive) in @set, or -1. */
int nst_col_by_name(const struct nst_colset *set, const char *name,
		    size_t len);

/*
 * Parse an -o list into @ids (room for @max), replacing *@n ids, or
 * appending to them when the list starts with '+'. Returns 0, or -EINVAL
 * with the unknown name in @bad (@badsz bytes), or -E2BIG.
 */
int nst_parse_columns(const struct nst_colset *set, const char *list,
		      int *ids, size_t max, size_t *n, char *bad,
		      size_t badsz);

/*
 * A PID chain as text: "412,7,1" (or one number a line, for JSON arrays,
 * when @sep is '\n'). Returns the length, or -1 if @size is too small.
 */
int nst_fmt_chain(char *buf, size_t size, const uint32_t *chain,
		  unsigned int len, char sep);

/* The FLAGS cell: "init,subreaper,zombie" as they apply, or "". */
void nst_fmt_flags(char *buf, size_t size, const struct nst_proc *p);

/*
 * A start time (ns since boot) as local ISO 8601 time with its UTC offset
 * ("2026-11-30T16:00:00+01:00"), given the current CLOCK_BOOTTIME (ns)
 * and wall-clock time (s).
 */
int nst_fmt_start(char *buf, size_t size, uint64_t start_ns,
		  uint64_t boot_now_ns, time_t real_now);

/*
 * A zombie's age, @ns nanoseconds, as a person reads it: "850ms" below a
 * second, "42s" below a minute, "3m05s" below an hour, "2h10m" beyond.
 */
void nst_fmt_age(char *buf, size_t size, uint64_t ns);

/* Arguments (NUL-separated) as one line, separated by spaces. */
void nst_fmt_args(char *buf, size_t size, const char *args, size_t len);

/*
 * A namespace as the user names it: an inode ("4026531836" or
 * "pid:[4026531836]"), a PID, or its nstree ID (":7"). Inodes of
 * namespaces are far above any PID (the kernel numbers them from
 * 0xEFFFFFFF up), so a number says which it is. Sets one of *@inum, *@pid
 * and *@id, the others to 0. Returns 0 or -EINVAL (nothing set).
 */
int nst_parse_ns_arg(const char *s, uint32_t *inum, uint32_t *pid,
		     uint64_t *id);

/* Escape @s for a Graphviz double-quoted string. */
void nst_dot_escape(char *buf, size_t size, const char *s);

#endif /* NSTREE_COLUMNS_H */
