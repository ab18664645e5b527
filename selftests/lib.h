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

/* Run a shell command line; return its exit status, its stdout in @out. */
int nst_sh(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

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
