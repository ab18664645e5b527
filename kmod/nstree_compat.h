/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels nstree supports lives here, and only
 * here: the .c files call the nstree_compat_*() helpers and never test a
 * kernel version. Differences are found by feature probes in Kbuild
 * (NSTREE_HAVE_*), because Debian backports move APIs between releases.
 */
#ifndef _NSTREE_COMPAT_H
#define _NSTREE_COMPAT_H

#include <linux/ns_common.h>
#include <linux/sched.h>
#include <net/genetlink.h>

/* Strict validation of new commands (resv_start_op) came with 6.1. */
#ifndef NSTREE_HAVE_RESV_START_OP
#error "nstree needs Linux 6.1 or later"
#endif

/*
 * The attributes parsed from a dump request: 6.2 moved them into a
 * struct genl_info embedded in struct genl_dumpit_info.
 */
static inline struct nlattr **
nstree_compat_dump_attrs(struct netlink_callback *cb)
{
#ifdef NSTREE_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The bounds of an NLA_POLICY_FULL_RANGE() policy: 6.1's struct nla_policy
 * points to them without const, 6.12's with const. A pointer to a const
 * struct would not build on 6.1, so the bounds are plain data, made
 * read-only once the module is loaded (__ro_after_init), on both.
 */

/*
 * struct mnt_namespace is private to fs/ (fs/mount.h). Its first member is
 * its struct ns_common on every kernel nstree supports (6.1 and 6.12), so
 * the inode /proc/PID/ns/mnt shows is read through that.
 */
struct mnt_namespace;

static inline unsigned int
nstree_compat_mnt_ns_inum(struct mnt_namespace *mnt_ns)
{
	return ((struct ns_common *)mnt_ns)->inum;
}

/*
 * When @t last went on a CPU, in the scheduler's clock (rq_clock(), which
 * local_clock() reads on the current CPU): sched_info.last_arrival, kept
 * with CONFIG_SCHED_INFO (Debian's kernels and the debug line have it);
 * 0 where it is not kept.
 */
static inline u64 nstree_compat_last_ran(struct task_struct *t)
{
#ifdef CONFIG_SCHED_INFO
	return READ_ONCE(t->sched_info.last_arrival);
#else
	return 0;
#endif
}

#endif /* _NSTREE_COMPAT_H */
