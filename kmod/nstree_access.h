/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a dump's requester may see of a process: the rules /proc applies to
 * the same caller (ptrace-read for namespace links, hidepid= for the
 * process itself), decided with the requester's credentials captured when
 * the request arrived.
 */
#ifndef _NSTREE_ACCESS_H
#define _NSTREE_ACCESS_H

#include <linux/types.h>

struct cred;
struct netlink_ext_ack;
struct nlattr;
struct pid;
struct pid_namespace;
struct task_struct;

/**
 * struct nstree_access - a requester, as /proc would judge it
 * @cred: its credentials when it asked
 * @tgid: its thread group: a process may always read itself
 * @hide_unreadable: /proc hides from it what it may not ptrace-read
 */
struct nstree_access {
	const struct cred *cred;
	struct pid *tgid;
	bool hide_unreadable;
};

void nstree_access_init(struct nstree_access *a);
void nstree_access_release(struct nstree_access *a);
bool nstree_access_may_read(const struct nstree_access *a,
			    struct task_struct *t);

/* Is @t, of which @readable says whether it may be read, listed at all? */
static inline bool nstree_access_visible(const struct nstree_access *a,
					 bool readable)
{
	return readable || !a->hide_unreadable;
}

struct pid *nstree_access_lookup(const struct nstree_access *a,
				 struct pid_namespace *view,
				 const struct nlattr *attr, bool need_read,
				 struct netlink_ext_ack *extack);

#endif /* _NSTREE_ACCESS_H */
