/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of the nstree module. */
#ifndef _NSTREE_H
#define _NSTREE_H

#include <linux/pid_namespace.h>
#include <net/genetlink.h>
#include <uapi/linux/nstree.h>

#include "nstree_compat.h"

#ifndef NSTREE_VERSION
#error "NSTREE_VERSION must come from the Makefile"
#endif

extern struct genl_family nstree_genl_family;

int nstree_genl_init(void);
void nstree_genl_exit(void);

/* The bounds of every PID attribute of a request, for the policies. */
extern struct netlink_range_validation nstree_pid_range;

/* nstree_dump.c */
int nstree_dump_start(struct netlink_callback *cb);
int nstree_dump_done(struct netlink_callback *cb);
int nstree_get_ns_doit(struct sk_buff *skb, struct genl_info *info);
int nstree_get_ns_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nstree_get_proc_doit(struct sk_buff *skb, struct genl_info *info);
int nstree_get_proc_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* The lifecycle event stream (nstree_event.h has the stages). */
int nstree_queue_init(void);
void nstree_queue_exit(void);
int nstree_subscribe_doit(struct sk_buff *skb, struct genl_info *info);
int nstree_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy nstree_sub_policy[NSTREE_A_SUB_MAX + 1];
extern const struct nla_policy nstree_unsub_policy[NSTREE_A_SUB_MAX + 1];

/*
 * nstree_nsid.c: the namespace IDs. Context: any but NMI, except for
 * nstree_nsid_freed().
 * nstree_nsid(): @ns's ID, given one if it has none yet; 0 when the pool
 * is spent or @ns is being freed. @ns must be alive: held, or reached
 * under RCU through a PID or a task that holds it.
 * nstree_nsid_peek(): its ID if it has one, else 0; never gives one.
 * nstree_nsid_addr(): the address of the namespace that has ID @id, NULL
 * if none: only to compare with, and to be confirmed by nstree_nsid_peek()
 * once that namespace is held.
 * nstree_nsid_freed(): the namespace of inode @inum is being freed; its
 * ID, 0 if none (always 0 in NMI context, where the entry only goes
 * later).
 */
u64 nstree_nsid(struct pid_namespace *ns);
u64 nstree_nsid_peek(const struct pid_namespace *ns);
const struct pid_namespace *nstree_nsid_addr(u64 id);
u64 nstree_nsid_freed(unsigned int inum);
int nstree_nsid_init(void);
void nstree_nsid_exit(void);

#endif /* _NSTREE_H */
