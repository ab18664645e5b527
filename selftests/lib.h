/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the nstree selftests. */
#ifndef NSTREE_SELFTEST_LIB_H
#define NSTREE_SELFTEST_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nl.h"

/* clone3() with @flags and SIGCHLD: returns like fork(). */
pid_t nst_clone3(uint64_t flags);

/*
 * Run @fn in a child made by clone3(@flags). The child fills @buf (@len
 * bytes), which is copied back to the caller through a pipe. Returns the
 * child's exit status (fn's return value), or -1 with errno on failure,
 * including a child killed by a signal or a short copy.
 */
int nst_run_in_child(uint64_t flags, int (*fn)(void *buf, size_t len),
		     void *buf, size_t len);

/*
 * Send one request of @cmd with @flags, its attributes put by @fill, and
 * return the kernel's answer: 0 or -errno, the extack message in
 * c->extack.
 */
int nst_send(struct nst_conn *c, uint8_t cmd, int flags,
	     int (*fill)(struct nl_msg *msg, void *arg), void *arg);

/*
 * NSTREE_SCALE=small (the 6.12-debug line, tools/guest-run-tests.sh): run
 * the smaller size of a test whose size only speed needs.
 */
int nst_scale_small(void);

/* Run a shell command line; return its exit status, its stdout in @out. */
int nst_sh(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write all @len bytes of @buf, or read all @len; 0, or -1 (EOF, error). */
int nst_write_full(int fd, const void *buf, size_t len);
/* Write @s to the file at @path in one write(): 0, or -1 with errno. */
int nst_write_file(const char *path, const char *s);
int nst_read_full(int fd, void *buf, size_t len);

/*
 * Wait for a byte on @fd, or its end: either means go. Returns 0 for a
 * byte, -1 at the end (or on an error), for those who tell them apart.
 */
int nst_wait_byte(int fd);
/* Send one byte on @fd; a child that cannot exits with status 99. */
void nst_send_byte(int fd);

/* uid and gid 65534 */
#define NST_NOBODY	65534

/*
 * Become nobody, with no supplementary groups (or just @extra_gid), and
 * dumpable again, as a login would be: a process that dropped its
 * privileges is not dumpable, and ptrace-read rules treat it like a
 * set-uid program. 0 or -1.
 */
int nst_become_nobody(gid_t extra_gid);

/* The inode of the PID namespace of @pid (/proc/PID/ns/pid); 0 if none. */
unsigned int nst_pidns_of(pid_t pid);

/* ---- The module ---- */

/* finit_module() of the file @path; 0 or -errno. */
int nst_module_load(const char *path);
/* The same, with module parameters ("kin_max=16 nsid_max=16"). */
int nst_module_load_params(const char *path, const char *params);
/* delete_module("nstree"), not waiting; 0 or -errno. */
int nst_module_unload(void);
/* Is /sys/module/nstree there? */
int nst_module_loaded(void);
/* /sys/module/nstree/refcnt, or -1 when unreadable. */
int nst_module_refcnt(void);

/* ---- Events ---- */

/* Every event a test received, in order. */
struct nst_evlog {
	struct nst_event *ev;
	size_t n, cap;
	uint64_t lost;			/* sum of the LOST counts */
	int gap_error;			/* a gap without a LOST notice */
	uint64_t next_seq;
};

/* Open @c and subscribe it with @o and an 8 MiB receive buffer. */
int nst_ev_subscribe(struct nst_conn *c, const struct nst_sub_opts *o);

/*
 * Read events into @log until @done returns true for it or @timeout_ms
 * passes. Returns 0 when done, -ETIMEDOUT, or another -errno. Checks the
 * sequence numbers as it goes (log->gap_error).
 */
int nst_ev_wait(struct nst_conn *c, struct nst_evlog *log,
		int (*done)(const struct nst_evlog *log, void *arg), void *arg,
		int timeout_ms);
void nst_evlog_free(struct nst_evlog *log);
/* nst_ev_wait() until an event of @type about @pid is in @log. */
int nst_ev_wait_for(struct nst_conn *c, struct nst_evlog *log, uint32_t type,
		    uint32_t pid, int timeout_ms);

/* Index of the first event from @from of @type about process @pid, or -1. */
int nst_ev_find(const struct nst_evlog *log, size_t from, uint32_t type,
		uint32_t pid);
/* Number of events of @type about @pid. */
int nst_ev_count(const struct nst_evlog *log, uint32_t type, uint32_t pid);
/*
 * The types of the events about @pid (the subject), in order, as a
 * string like "fork,exit,zombie,reap", into @buf.
 */
const char *nst_ev_seq(const struct nst_evlog *log, uint32_t pid, char *buf,
		       size_t size);

/* What a command line printed, and how it ended. */
struct cmd_result {
	int status;		/* as a shell reports it; -1 if it could not run */
	char *out;		/* its stdout, terminated; never NULL */
	char *err;		/* its stderr, likewise */
};

/*
 * Run a shell command line, its stdout and stderr read apart, however
 * long. Returns r->status. Free with nst_cmd_free().
 */
int nst_cmd(struct cmd_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nst_cmd_free(struct cmd_result *r);

#endif /* NSTREE_SELFTEST_LIB_H */
