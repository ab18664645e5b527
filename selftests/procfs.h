/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ground truth for the dump tests: what /proc says about every process,
 * and scenarios of nested PID namespaces, zombies and orphans to compare.
 */
#ifndef NSTREE_SELFTEST_PROCFS_H
#define NSTREE_SELFTEST_PROCFS_H

#include <stdint.h>
#include <sys/types.h>

#include "nl.h"

enum { NS_PID, NS_MNT, NS_NET, NS_UTS, NS_IPC, NS_USER, NS_CGROUP, NS_TIME,
       NS_TYPES };

struct proc_rec {
	uint32_t pid;
	uint32_t nspid[NST_MAX_LEVELS];
	unsigned int nspid_len;
	uint32_t ppid;
	uint32_t uid, euid;	/* real and effective */
	char state;
	char name[64];		/* kernel threads: longer than comm */
	uint32_t threads;
	uint32_t ns[NS_TYPES];	/* 0 when /proc cannot show it */
};

struct proc_snap {
	struct proc_rec *recs;	/* sorted by pid */
	size_t n;
};

/* Read every process under @procdir (normally "/proc"). 0 or -errno. */
int proc_snap_take(const char *procdir, struct proc_snap *s);
void proc_snap_free(struct proc_snap *s);
const struct proc_rec *proc_snap_find(const struct proc_snap *s, uint32_t pid);

/* Does the PPid chain of snapshot @s lead from @pid up to @root? */
int proc_descends(const struct proc_snap *s, uint32_t pid, uint32_t root);

/*
 * Read the small file @path (a /proc file, a command's output) into @buf,
 * terminated: at most @size - 1 bytes, in one read. Returns the length
 * read, 0 for an empty file, or -1 if it cannot be read.
 */
ssize_t proc_read_small(const char *path, char *buf, size_t size);

/*
 * Poll /proc/@pid/wchan, every millisecond for up to @ms, until it reads
 * @want (say "do_wait": the kernel's own word that @pid sleeps there).
 * 0, or -1 when it never did.
 */
int proc_wait_wchan(pid_t pid, const char *want, int ms);

/*
 * Take snapshots of @procdir, every millisecond for up to @ms, until every
 * process in it but the caller is asleep, stopped or a zombie (state S, I,
 * T, t or Z): a scenario just made may still be running to its first
 * pause, and a process whose state changes between two snapshots is not
 * one a test can compare. 0, or -1 when they never were.
 */
int proc_wait_settled(const char *procdir, int ms);

/* Inode of /proc/@pid/ns/@type, 0 if unreadable. */
uint32_t proc_ns_inum(const char *procdir, uint32_t pid, const char *type);

/* Is @inum the PID namespace of @pid or one of its ancestors? */
int proc_pidns_within(const char *procdir, uint32_t pid, uint32_t inum);

struct cmp_stats {
	unsigned int compared;	/* processes stable in /proc and compared */
	unsigned int mismatches;
	unsigned int missing;	/* stable in /proc, absent from the dump */
	unsigned int extra;	/* in the dump, in neither /proc scan */
};

/*
 * Compare a full process dump with /proc: scan, dump, scan again; every
 * process identical in both scans must be in the dump with the same
 * NSpid, PPid, State, Name, Threads and namespace inodes. Differences are
 * printed as "# " lines.
 */
int cmp_dump_with_proc(struct nst_conn *c, const char *procdir,
		       struct cmp_stats *st);

/*
 * A chain of @depth nested PID namespaces below the caller's. Each
 * namespace's init (which never reaps) holds a sleeping child, a zombie,
 * and an orphan adopted from a child that exited. Returns the PID of the
 * first init once all are in place (5 * @depth processes), or -1.
 * Killing it with SIGKILL tears the whole chain down.
 */
pid_t scenario_chain(int depth);

/* Kill and reap a scenario started by scenario_chain(). */
void scenario_kill(pid_t top);

#endif /* NSTREE_SELFTEST_PROCFS_H */
