// SPDX-License-Identifier: GPL-2.0
/*
 * Permission rules of the dumps: a requester learns through nstree no more
 * than /proc tells it.
 *
 * - The namespace links of /proc/PID/ns/ need ptrace_may_access() with
 *   PTRACE_MODE_READ_FSCREDS (fs/proc/namespaces.c). That function is not
 *   exported, so its core is reproduced here: the requester's fsuid and
 *   fsgid against the target's real, effective and saved IDs, else
 *   CAP_SYS_PTRACE over the target's user namespace; then, if the target
 *   has memory, it must be dumpable (SUID_DUMP_USER) or the requester needs
 *   CAP_SYS_PTRACE over the user namespace of that memory; then commoncap's
 *   own hook (cap_ptrace_access_check(), which every kernel runs): the
 *   same user namespace and no permitted capability the requester lacks
 *   in its effective set, or CAP_SYS_PTRACE over the target's user
 *   namespace. So a process in an ancestor user namespace is never
 *   readable from a descendant one. The capability
 *   is computed from the captured credentials as commoncap's cap_capable()
 *   does: the target namespace or one of its ancestors must be the
 *   requester's (with the capability effective), or be a child of it owned
 *   by the requester's euid. What cannot be consulted from a module: the
 *   LSM hooks (security_ptrace_access_check(), security_capable(); SELinux,
 *   AppArmor, Smack may deny more; Yama only restricts ptrace attach, not
 *   reads) and audit.
 *
 * - hidepid=: the option lives in a procfs superblock, and a netlink
 *   request names none. The one that counts is the procfs the requester
 *   sees at "/proc" from its root, if it is the root of a procfs of the
 *   requester's own PID namespace: its hidepid and gid= apply as
 *   fs/proc/base.c applies them. Anything else at "/proc" (nothing, another
 *   file system, a procfs of another PID namespace, a subdirectory of one)
 *   counts as the strictest mount, hidepid=ptraceable: unmounting or
 *   covering /proc in a private mount namespace never shows more. A hidden
 *   process is left out of dumps and answered as absent (ENOENT), also
 *   under hidepid=1, where /proc still lists its directory.
 *
 * Every decision uses the credentials taken when the request arrived, never
 * those of the task that reads a later dump page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm_types.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/task.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>

#include "nstree.h"
#include "nstree_access.h"

/* Does @cred hold @cap over @ns? As cap_capable(), without the LSMs. */
static bool nstree_cred_capable(const struct cred *cred,
				struct user_namespace *ns, int cap)
{
	for (;;) {
		if (ns == cred->user_ns)
			return cap_raised(cred->cap_effective, cap);
		if (ns->level <= cred->user_ns->level)
			return false;
		/* The owner of a child namespace has every capability in it. */
		if (ns->parent == cred->user_ns && uid_eq(ns->owner, cred->euid))
			return true;
		ns = ns->parent;
	}
}

/*
 * May the requester ptrace-read @t (PTRACE_MODE_READ_FSCREDS)?
 * Context: rcu_read_lock() held; takes task_lock(@t).
 */
bool nstree_access_may_read(const struct nstree_access *a,
			    struct task_struct *t)
{
	const struct cred *cred = a->cred, *tcred;
	struct mm_struct *mm;
	bool ok;

	if (task_tgid(t) == a->tgid)
		return true;
	tcred = __task_cred(t);
	if (!(uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) &&
	    !nstree_cred_capable(cred, tcred->user_ns, CAP_SYS_PTRACE))
		return false;
	/* commoncap: no capability the requester lacks, or CAP_SYS_PTRACE. */
	if (!(cred->user_ns == tcred->user_ns &&
	      cap_issubset(tcred->cap_permitted, cred->cap_effective)) &&
	    !nstree_cred_capable(cred, tcred->user_ns, CAP_SYS_PTRACE))
		return false;
	/* Dumpability after the credentials, as commit_creds() orders them. */
	smp_rmb();
	task_lock(t);
	mm = t->mm;
	ok = !mm || get_dumpable(mm) == SUID_DUMP_USER ||
	     nstree_cred_capable(cred, mm->user_ns, CAP_SYS_PTRACE);
	task_unlock(t);
	return ok;
}

/*
 * Does /proc hide what the requester may not ptrace-read? Decided from the
 * procfs at "/proc" in its root, as the file comment says.
 * Context: the requesting task; may sleep.
 */
static bool nstree_proc_hides(void)
{
	struct proc_fs_info *fs_info;
	struct super_block *sb;
	struct path path;
	bool hides = true;

	if (kern_path("/proc", LOOKUP_FOLLOW, &path))
		return true;
	sb = path.dentry->d_sb;
	if (sb->s_magic == PROC_SUPER_MAGIC && path.dentry == sb->s_root) {
		fs_info = proc_sb_info(sb);
		if (fs_info->pid_ns == task_active_pid_ns(current)) {
			switch (fs_info->hide_pid) {
			case HIDEPID_OFF:
				hides = false;
				break;
			case HIDEPID_NOT_PTRACEABLE:
				break;
			default:
				hides = !in_group_p(fs_info->pid_gid);
				break;
			}
		}
	}
	path_put(&path);
	return hides;
}

/*
 * Capture the requester: its credentials, its thread group, what its /proc
 * hides. Context: the requesting task (a doit, or a dump's .start); may
 * sleep.
 */
void nstree_access_init(struct nstree_access *a)
{
	a->hide_unreadable = nstree_proc_hides();
	a->tgid = get_pid(task_tgid(current));
	a->cred = get_current_cred();
}

void nstree_access_release(struct nstree_access *a)
{
	if (a->cred)
		put_cred(a->cred);
	put_pid(a->tgid);
	a->cred = NULL;
	a->tgid = NULL;
}

/*
 * Resolve a PID attribute in @view to its struct pid, with a reference:
 * ENOENT for a PID that does not exist there or that /proc hides from the
 * requester; EACCES when @need_read and the requester may not ptrace-read
 * it (what it asks for is what /proc/PID/ns/ would show).
 */
struct pid *nstree_access_lookup(const struct nstree_access *a,
				 struct pid_namespace *view,
				 const struct nlattr *attr, bool need_read,
				 struct netlink_ext_ack *extack)
{
	struct task_struct *t;
	struct pid *pid;
	bool readable = false;

	rcu_read_lock();
	pid = find_pid_ns(nla_get_u32(attr), view);
	t = pid ? pid_task(pid, PIDTYPE_PID) : NULL;
	if (t)
		readable = nstree_access_may_read(a, t);
	if (t && nstree_access_visible(a, readable))
		pid = get_pid(pid);
	else
		pid = NULL;
	rcu_read_unlock();
	if (!pid) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no such process in the caller's PID namespace");
		return ERR_PTR(-ENOENT);
	}
	if (need_read && !readable) {
		put_pid(pid);
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the caller may not read that process's namespaces (ptrace read access)");
		return ERR_PTR(-EACCES);
	}
	return pid;
}
