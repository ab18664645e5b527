// SPDX-License-Identifier: GPL-2.0
/*
 * GET_NS and GET_PROC: PID namespaces and processes, read from the kernel's
 * own structures and seen from the caller's PID namespace.
 *
 * Walking: as /proc does (fs/proc/base.c, next_tgid), find_ge_pid() in the
 * caller's namespace under rcu_read_lock(). Every PID with a number there
 * belongs to the caller's namespace or a descendant, so the walk sees
 * exactly what the caller may see, and translating with the caller's level
 * never reveals an ancestor. No tasklist_lock (not exported), no ->children
 * (not an RCU list). A dump keeps only a numeric cursor between pages, so
 * its memory does not grow with the number of processes.
 *
 * Privilege: none, as for /proc. Everything here is what /proc/PID/status
 * and /proc/PID/ns/ already show the same caller: its own namespace and
 * below, nothing of the ancestors.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "nstree.h"

/* PIDs examined per RCU read-side section when counting a namespace. */
#define NSTREE_COUNT_BATCH	256

/* At most this much of a process's arguments goes into an entry. */
#define NSTREE_ARGS_MAX		4096

/**
 * struct nstree_dump_ctx - the state a dump keeps between pages
 * @ns: the caller's PID namespace, captured when the dump starts
 * @user_ns: the caller's user namespace, for translating IDs
 * @sel_ns: only processes with a PID in this namespace, or NULL
 * @sel_root: only this process and its descendants, or NULL
 * @next: cursor, the next PID number (in @ns) to examine; 0 until the
 *	request's selectors have been checked
 * @threads: one entry per thread rather than per process
 * @args: add each process's arguments
 *
 * Lives in cb->ctx: later pages are read by whoever calls recvmsg(), so the
 * view is fixed in .start and the references dropped in .done. The
 * selectors are checked on the first page instead, because 6.1 gives
 * .start no extack to explain a refusal; an error there ends the dump with
 * its code and message in NLMSG_DONE, on both kernels alike.
 */
struct nstree_dump_ctx {
	struct pid_namespace *ns;
	struct user_namespace *user_ns;
	struct pid_namespace *sel_ns;
	struct pid *sel_root;
	u32 next;
	bool threads;
	bool args;
};

static struct nstree_dump_ctx *nstree_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nstree_dump_ctx) > sizeof(cb->ctx));
	return (struct nstree_dump_ctx *)cb->ctx;
}

/* Is @pid's process a member of @ns or of one of its descendants? */
static bool nstree_pid_in_ns(struct pid *pid, struct pid_namespace *ns)
{
	return pid->level >= ns->level && pid->numbers[ns->level].ns == ns;
}

/* Does @user_ns lie at or below @ancestor? (in_userns() is not exported) */
static bool nstree_userns_visible(const struct user_namespace *user_ns,
				  const struct user_namespace *ancestor)
{
	while (user_ns->level > ancestor->level)
		user_ns = user_ns->parent;
	return user_ns == ancestor;
}

/* Put the numbers of @pid from the caller's level down, as NSpid shows. */
static int nstree_put_pid_chain(struct sk_buff *skb, int attrtype,
				struct pid *pid, struct pid_namespace *ns)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = ns->level; i <= pid->level; i++) {
		if (nla_put_u32(skb, i - ns->level + 1, pid->numbers[i].nr)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The namespaces of @t, while it still has them (not once it exited). */
static int nstree_put_task_namespaces(struct sk_buff *skb,
				      struct task_struct *t)
{
	struct nsproxy *nsp;
	int err = 0;

	task_lock(t);
	nsp = t->nsproxy;
	if (nsp)
		err = nla_put_u32(skb, NSTREE_A_PROC_MNTNS_INUM,
				  nstree_compat_mnt_ns_inum(nsp->mnt_ns)) ||
		      nla_put_u32(skb, NSTREE_A_PROC_NETNS_INUM,
				  nsp->net_ns->ns.inum) ||
		      nla_put_u32(skb, NSTREE_A_PROC_UTSNS_INUM,
				  nsp->uts_ns->ns.inum) ||
		      nla_put_u32(skb, NSTREE_A_PROC_IPCNS_INUM,
				  nsp->ipc_ns->ns.inum) ||
		      nla_put_u32(skb, NSTREE_A_PROC_CGROUPNS_INUM,
				  nsp->cgroup_ns->ns.inum) ||
		      nla_put_u32(skb, NSTREE_A_PROC_TIMENS_INUM,
				  nsp->time_ns->ns.inum);
	task_unlock(t);
	return err ? -EMSGSIZE : 0;
}

/*
 * Describe task @t, found through @pid (its thread-group ID, or its own ID
 * for a thread entry), as the dump's caller sees it.
 * Context: rcu_read_lock() held.
 */
static int nstree_fill_proc(struct sk_buff *skb,
			    const struct nstree_dump_ctx *ctx,
			    struct task_struct *t, bool thread)
{
	struct pid_namespace *ns = ctx->ns, *own_ns;
	struct pid *tgid = task_tgid(t), *tid = task_pid(t);
	struct task_struct *parent;
	const struct cred *cred;
	char comm[TASK_COMM_LEN];

	/* Released while we looked: no longer anything to describe. */
	if (!tgid || !tid || !pid_alive(t))
		return -ESRCH;
	own_ns = ns_of_pid(tid);
	parent = rcu_dereference(t->real_parent);
	cred = __task_cred(t);
	__get_task_comm(comm, sizeof(comm), t);

	if (nla_put_u32(skb, NSTREE_A_PROC_PID, pid_nr_ns(tgid, ns)) ||
	    nstree_put_pid_chain(skb, NSTREE_A_PROC_NSPID, tgid, ns) ||
	    (thread && nla_put_u32(skb, NSTREE_A_PROC_TID, pid_nr_ns(tid, ns))) ||
	    (thread && nstree_put_pid_chain(skb, NSTREE_A_PROC_NSTID, tid, ns)) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PPID, task_tgid_nr_ns(parent, ns)) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PPID_NS,
			task_tgid_nr_ns(parent, own_ns)) ||
	    nla_put_string(skb, NSTREE_A_PROC_COMM, comm) ||
	    nla_put_u8(skb, NSTREE_A_PROC_STATE, task_state_to_char(t)) ||
	    nla_put_u32(skb, NSTREE_A_PROC_THREADS, get_nr_threads(t)) ||
	    nla_put_u32(skb, NSTREE_A_PROC_UID,
			from_kuid_munged(ctx->user_ns, cred->uid)) ||
	    nla_put_u32(skb, NSTREE_A_PROC_EUID,
			from_kuid_munged(ctx->user_ns, cred->euid)) ||
	    nla_put_u64_64bit(skb, NSTREE_A_PROC_START_TIME,
			      t->start_boottime, NSTREE_A_PROC_PAD) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PIDNS_INUM, own_ns->ns.inum) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PIDNS_LEVEL,
			own_ns->level - ns->level) ||
	    (is_child_reaper(tgid) && nla_put_flag(skb, NSTREE_A_PROC_NS_INIT)) ||
	    (t->signal->is_child_subreaper &&
	     nla_put_flag(skb, NSTREE_A_PROC_SUBREAPER)) ||
	    nla_put_u32(skb, NSTREE_A_PROC_USERNS_INUM, cred->user_ns->ns.inum))
		return -EMSGSIZE;
	return nstree_put_task_namespaces(skb, t);
}

/*
 * Put the argument area of @t, as /proc/PID/cmdline reads it, using @buf
 * (NSTREE_ARGS_MAX bytes), at most @max bytes of it. Kernel threads and
 * zombies have none.
 * Context: may sleep (it reads the process's memory); no RCU held.
 */
static int nstree_put_args(struct sk_buff *skb, struct task_struct *t,
			   char *buf, unsigned long max)
{
	unsigned long start, end;
	struct mm_struct *mm;
	int len = 0;

	mm = get_task_mm(t);
	if (!mm)
		return 0;
	spin_lock(&mm->arg_lock);
	start = mm->arg_start;
	end = mm->arg_end;
	spin_unlock(&mm->arg_lock);
	/* arg_end is 0 until exec has laid the arguments out. */
	if (end > start)
		len = access_process_vm(t, start, buf,
					min3(end - start, max,
					     (unsigned long)NSTREE_ARGS_MAX),
					FOLL_FORCE);
	mmput(mm);
	if (len <= 0)
		return 0;
	return nla_put(skb, NSTREE_A_PROC_ARGS, len, buf);
}

/* What an argument attribute may hold and still fit in @skb. */
static unsigned long nstree_args_room(struct sk_buff *skb)
{
	int room = skb_tailroom(skb) - nla_total_size(0) - NLA_ALIGNTO;

	return room > 0 ? room : 0;
}

/*
 * Is @t in the subtree of @root? Walks up real_parent, which is RCU-safe,
 * unlike the children lists. Context: rcu_read_lock() held.
 */
static bool nstree_in_subtree(struct task_struct *t, struct pid *root)
{
	struct task_struct *parent;

	for (;;) {
		if (task_tgid(t) == root)
			return true;
		parent = rcu_dereference(t->real_parent);
		if (parent == t || !parent)
			return false;
		t = parent;
	}
}

static bool nstree_proc_selected(const struct nstree_dump_ctx *ctx,
				 struct task_struct *t)
{
	struct pid *tgid = task_tgid(t);

	if (!tgid)
		return false;
	if (ctx->sel_ns && !nstree_pid_in_ns(tgid, ctx->sel_ns))
		return false;
	if (ctx->sel_root && !nstree_in_subtree(t, ctx->sel_root))
		return false;
	return true;
}

static void *nstree_put_hdr(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			   cb->nlh->nlmsg_seq, &nstree_genl_family,
			   NLM_F_MULTI, cmd);
}

/* A u8 attribute that is 0 or 1; absent means 0. */
static int nstree_get_bool_attr(const struct nlattr *attr, bool *val,
				struct netlink_ext_ack *extack)
{
	u8 v = attr ? nla_get_u8(attr) : 0;

	if (v > 1) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "value is 0 or 1");
		return -EINVAL;
	}
	*val = v;
	return 0;
}

/*
 * Resolve a PID attribute to its struct pid in @ns, with a reference.
 * Returns the pid, or an ERR_PTR with the extack message set.
 */
static struct pid *nstree_lookup_pid(const struct nlattr *attr,
				     struct pid_namespace *ns,
				     struct netlink_ext_ack *extack)
{
	struct pid *pid = NULL;
	u32 nr;
	int err;

	err = nstree_get_pid_attr(attr, &nr, extack);
	if (err)
		return ERR_PTR(err);
	rcu_read_lock();
	pid = find_pid_ns(nr, ns);
	if (pid && pid_task(pid, PIDTYPE_PID))
		pid = get_pid(pid);
	else
		pid = NULL;
	rcu_read_unlock();
	if (!pid) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no such process in the caller's PID namespace");
		return ERR_PTR(-ENOENT);
	}
	return pid;
}

/*
 * Find the PID namespace with inode @inum at or below @ns, with a
 * reference. Namespaces are not indexed, so look at the namespaces of every
 * process the caller can see; one with no process is dead to the caller.
 */
static struct pid_namespace *nstree_find_ns(struct pid_namespace *ns,
					    unsigned int inum)
{
	struct pid_namespace *found = NULL;
	unsigned int nr = 1, i, seen = 0;
	struct pid *pid;

	while (!found) {
		rcu_read_lock();
		pid = find_ge_pid(nr, ns);
		if (!pid) {
			rcu_read_unlock();
			break;
		}
		nr = pid_nr_ns(pid, ns) + 1;
		for (i = ns->level; i <= pid->level; i++) {
			if (pid->numbers[i].ns->ns.inum == inum) {
				found = get_pid_ns(pid->numbers[i].ns);
				break;
			}
		}
		rcu_read_unlock();
		if (!(++seen % NSTREE_COUNT_BATCH))
			cond_resched();
	}
	return found;
}

/* A namespace named by inode or by one of its processes, with a reference. */
static struct pid_namespace *nstree_ns_from_attrs(struct nlattr *inum_attr,
						  struct nlattr *pid_attr,
						  struct pid_namespace *ns,
						  struct netlink_ext_ack *extack)
{
	struct pid_namespace *found;
	struct pid *pid;

	if (inum_attr && pid_attr) {
		NL_SET_ERR_MSG_ATTR(extack, pid_attr,
				    "name the namespace by inode or by PID, not both");
		return ERR_PTR(-EINVAL);
	}
	if (pid_attr) {
		pid = nstree_lookup_pid(pid_attr, ns, extack);
		if (IS_ERR(pid))
			return ERR_CAST(pid);
		found = get_pid_ns(ns_of_pid(pid));
		put_pid(pid);
		return found;
	}
	found = nstree_find_ns(ns, nla_get_u32(inum_attr));
	if (!found) {
		NL_SET_ERR_MSG_ATTR(extack, inum_attr,
				    "no such PID namespace in the caller's view");
		return ERR_PTR(-ENOENT);
	}
	return found;
}

struct nstree_ns_counts {
	u32 procs;
	u32 threads;
	u32 zombies;
};

/*
 * Count the direct members of @ns. The walk over its PIDs releases RCU
 * every NSTREE_COUNT_BATCH entries, so a large namespace cannot stall RCU.
 * The counts are a snapshot, like any /proc scan.
 */
static void nstree_count_ns(struct pid_namespace *ns, struct nstree_ns_counts *c)
{
	struct task_struct *t;
	unsigned int nr = 1, i;
	struct pid *pid = NULL;

	memset(c, 0, sizeof(*c));
	do {
		rcu_read_lock();
		for (i = 0; i < NSTREE_COUNT_BATCH; i++) {
			pid = find_ge_pid(nr, ns);
			if (!pid)
				break;
			nr = pid_nr_ns(pid, ns) + 1;
			if (ns_of_pid(pid) != ns)
				continue;
			if (pid_task(pid, PIDTYPE_PID))
				c->threads++;
			t = pid_task(pid, PIDTYPE_TGID);
			if (t) {
				c->procs++;
				if (t->exit_state == EXIT_ZOMBIE)
					c->zombies++;
			}
		}
		rcu_read_unlock();
		cond_resched();
	} while (pid);
}

/* Describe namespace @pidns to the caller of @ctx. Context: RCU held. */
static int nstree_fill_ns(struct sk_buff *skb,
			  const struct nstree_dump_ctx *ctx,
			  struct pid_namespace *pidns,
			  const struct nstree_ns_counts *c)
{
	struct task_struct *reaper = READ_ONCE(pidns->child_reaper);
	struct pid_namespace *ns = ctx->ns;
	char comm[TASK_COMM_LEN];
	u32 init_pid = 0;

	if (reaper && pid_alive(reaper))
		init_pid = task_tgid_nr_ns(reaper, ns);

	if (nla_put_u32(skb, NSTREE_A_NS_INUM, pidns->ns.inum) ||
	    nla_put_u32(skb, NSTREE_A_NS_LEVEL, pidns->level - ns->level) ||
	    (pidns != ns && nla_put_u32(skb, NSTREE_A_NS_PARENT_INUM,
					pidns->parent->ns.inum)) ||
	    nla_put_u32(skb, NSTREE_A_NS_NR_PROCS, c->procs) ||
	    nla_put_u32(skb, NSTREE_A_NS_NR_THREADS, c->threads) ||
	    nla_put_u32(skb, NSTREE_A_NS_NR_ZOMBIES, c->zombies) ||
	    (nstree_userns_visible(pidns->user_ns, ctx->user_ns) &&
	     nla_put_u32(skb, NSTREE_A_NS_USERNS_INUM,
			 pidns->user_ns->ns.inum)))
		return -EMSGSIZE;
	if (init_pid) {
		__get_task_comm(comm, sizeof(comm), reaper);
		if (nla_put_u32(skb, NSTREE_A_NS_INIT_PID, init_pid) ||
		    nla_put_string(skb, NSTREE_A_NS_INIT_COMM, comm))
			return -EMSGSIZE;
	}
	return 0;
}

/* Capture the caller's view. Context: the requesting task. */
static void nstree_ctx_init(struct nstree_dump_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ns = get_pid_ns(task_active_pid_ns(current));
	ctx->user_ns = get_user_ns(current_user_ns());
	ctx->next = 1;
}

static void nstree_ctx_release(struct nstree_dump_ctx *ctx)
{
	if (ctx->sel_root)
		put_pid(ctx->sel_root);
	if (ctx->sel_ns)
		put_pid_ns(ctx->sel_ns);
	if (ctx->user_ns)
		put_user_ns(ctx->user_ns);
	if (ctx->ns)
		put_pid_ns(ctx->ns);
	memset(ctx, 0, sizeof(*ctx));
}

int nstree_dump_done(struct netlink_callback *cb)
{
	nstree_ctx_release(nstree_ctx(cb));
	return 0;
}

/* Send one namespace description as a reply or a dump entry. */
static int nstree_put_ns_msg(struct sk_buff *skb, void *hdr,
			     const struct nstree_dump_ctx *ctx,
			     struct pid_namespace *pidns)
{
	struct nstree_ns_counts counts;
	int err;

	nstree_count_ns(pidns, &counts);
	rcu_read_lock();
	err = nstree_fill_ns(skb, ctx, pidns, &counts);
	rcu_read_unlock();
	if (err)
		return err;
	genlmsg_end(skb, hdr);
	return 0;
}

/* GET_NS do: one namespace, named by inode or by a process. */
int nstree_get_ns_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *inum = info->attrs[NSTREE_A_NS_INUM];
	struct nlattr *pid = info->attrs[NSTREE_A_NS_PID];
	struct nstree_dump_ctx ctx;
	struct pid_namespace *pidns;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!inum && !pid) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "name the namespace: NSTREE_A_NS_INUM or NSTREE_A_NS_PID");
		return -EINVAL;
	}
	nstree_ctx_init(&ctx);
	pidns = nstree_ns_from_attrs(inum, pid, ctx.ns, info->extack);
	if (IS_ERR(pidns)) {
		err = PTR_ERR(pidns);
		goto out;
	}
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out_put;
	hdr = genlmsg_put_reply(msg, info, &nstree_genl_family, 0,
				NSTREE_CMD_GET_NS);
	err = hdr ? nstree_put_ns_msg(msg, hdr, &ctx, pidns) : -EMSGSIZE;
	if (err)
		nlmsg_free(msg);
	else
		err = genlmsg_reply(msg, info);
out_put:
	put_pid_ns(pidns);
out:
	nstree_ctx_release(&ctx);
	return err;
}

/* .start of both dumps: fix the caller's view. */
int nstree_dump_start(struct netlink_callback *cb)
{
	nstree_ctx_init(nstree_ctx(cb));
	nstree_ctx(cb)->next = 0;
	return 0;
}

static int nstree_get_ns_setup(struct netlink_callback *cb)
{
	struct nlattr **attrs = nstree_compat_dump_attrs(cb);

	if (attrs[NSTREE_A_NS_INUM] || attrs[NSTREE_A_NS_PID]) {
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "a dump lists every namespace; ask for one without NLM_F_DUMP");
		return -EINVAL;
	}
	return 0;
}

/*
 * Find the next namespace to list: every namespace is listed at its init,
 * the process numbered 1 in it, so the walk needs no memory of what it has
 * listed. A namespace whose init has exited is being torn down and is not
 * listed.
 */
static struct pid_namespace *nstree_next_ns(struct nstree_dump_ctx *ctx)
{
	struct pid_namespace *found = NULL;
	struct pid *pid;

	rcu_read_lock();
	while (!found && (pid = find_ge_pid(ctx->next, ctx->ns))) {
		ctx->next = pid_nr_ns(pid, ctx->ns) + 1;
		if (is_child_reaper(pid) && pid_task(pid, PIDTYPE_TGID))
			found = get_pid_ns(ns_of_pid(pid));
	}
	rcu_read_unlock();
	return found;
}

int nstree_get_ns_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nstree_dump_ctx *ctx = nstree_ctx(cb);
	struct pid_namespace *pidns;
	u32 cursor;
	void *hdr;
	int err;

	if (!ctx->next) {
		err = nstree_get_ns_setup(cb);
		if (err)
			return err;
		ctx->next = 1;
	}
	for (;;) {
		cursor = ctx->next;
		pidns = nstree_next_ns(ctx);
		if (!pidns)
			break;
		hdr = nstree_put_hdr(skb, cb, NSTREE_CMD_GET_NS);
		err = hdr ? nstree_put_ns_msg(skb, hdr, ctx, pidns) : -EMSGSIZE;
		put_pid_ns(pidns);
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			/* This one goes first on the next page. */
			ctx->next = cursor;
			break;
		}
	}
	return skb->len;
}

/* GET_PROC do: the process (thread group) of one PID. */
int nstree_get_proc_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nstree_dump_ctx ctx;
	struct task_struct *t;
	struct sk_buff *msg;
	struct pid *pid;
	void *hdr;
	int err;

	if (!info->attrs[NSTREE_A_PROC_PID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, NSTREE_A_PROC_PID);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "name the process: NSTREE_A_PROC_PID is missing");
		return -EINVAL;
	}
	if (info->attrs[NSTREE_A_PROC_SEL_NS_INUM] ||
	    info->attrs[NSTREE_A_PROC_SEL_NS_PID] ||
	    info->attrs[NSTREE_A_PROC_SEL_SUBTREE] ||
	    info->attrs[NSTREE_A_PROC_SEL_THREADS]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "selectors apply to dumps only");
		return -EINVAL;
	}
	nstree_ctx_init(&ctx);
	err = nstree_get_bool_attr(info->attrs[NSTREE_A_PROC_WITH_ARGS],
				   &ctx.args, info->extack);
	if (err)
		goto out;
	pid = nstree_lookup_pid(info->attrs[NSTREE_A_PROC_PID], ctx.ns,
				info->extack);
	if (IS_ERR(pid)) {
		err = PTR_ERR(pid);
		goto out;
	}
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE +
			  (ctx.args ? nla_total_size(NSTREE_ARGS_MAX) : 0),
			  GFP_KERNEL);
	if (!msg)
		goto out_put;
	hdr = genlmsg_put_reply(msg, info, &nstree_genl_family, 0,
				NSTREE_CMD_GET_PROC);
	err = -EMSGSIZE;
	if (hdr) {
		rcu_read_lock();
		t = pid_task(pid, PIDTYPE_PID);
		/* A thread's PID describes the process it belongs to. */
		if (t)
			t = t->group_leader;
		err = t ? nstree_fill_proc(msg, &ctx, t, false) : -ESRCH;
		if (!err && ctx.args)
			get_task_struct(t);
		rcu_read_unlock();
	}
	if (!err && ctx.args) {
		char *args = kmalloc(NSTREE_ARGS_MAX, GFP_KERNEL);

		err = args ? nstree_put_args(msg, t, args, NSTREE_ARGS_MAX)
			   : -ENOMEM;
		kfree(args);
		put_task_struct(t);
	}
	if (err) {
		nlmsg_free(msg);
		if (err == -EMSGSIZE) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "the reply outgrew its message");
		} else if (err == -ESRCH) {
			NL_SET_ERR_MSG_MOD(info->extack, "the process has gone");
			err = -ENOENT;
		}
		goto out_put;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out_put:
	put_pid(pid);
out:
	nstree_ctx_release(&ctx);
	return err;
}

/* The thread group of @pid, with a reference; @pid's is dropped. */
static struct pid *nstree_tgid_of(struct pid *pid)
{
	struct pid *tgid = NULL;
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	if (t)
		tgid = get_pid(task_tgid(t));
	rcu_read_unlock();
	put_pid(pid);
	return tgid;
}

/* Resolve the selectors of a process dump into the context's references. */
static int nstree_get_proc_setup(struct netlink_callback *cb)
{
	struct nlattr **attrs = nstree_compat_dump_attrs(cb);
	struct nstree_dump_ctx *ctx = nstree_ctx(cb);
	struct pid_namespace *sel_ns;
	struct pid *root;

	if (attrs[NSTREE_A_PROC_PID]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[NSTREE_A_PROC_PID],
				    "a dump takes NSTREE_A_PROC_SEL_SUBTREE, not a PID");
		return -EINVAL;
	}
	if (attrs[NSTREE_A_PROC_SEL_NS_INUM] || attrs[NSTREE_A_PROC_SEL_NS_PID]) {
		sel_ns = nstree_ns_from_attrs(attrs[NSTREE_A_PROC_SEL_NS_INUM],
					      attrs[NSTREE_A_PROC_SEL_NS_PID],
					      ctx->ns, cb->extack);
		if (IS_ERR(sel_ns))
			return PTR_ERR(sel_ns);
		ctx->sel_ns = sel_ns;	/* dropped in .done */
	}
	if (attrs[NSTREE_A_PROC_SEL_SUBTREE]) {
		root = nstree_lookup_pid(attrs[NSTREE_A_PROC_SEL_SUBTREE],
					 ctx->ns, cb->extack);
		if (IS_ERR(root))
			return PTR_ERR(root);
		/* A thread's ID names its process, as in a do request. */
		ctx->sel_root = nstree_tgid_of(root);	/* dropped in .done */
		if (!ctx->sel_root) {
			NL_SET_ERR_MSG_ATTR(cb->extack,
					    attrs[NSTREE_A_PROC_SEL_SUBTREE],
					    "the process has gone");
			return -ENOENT;
		}
	}
	if (nstree_get_bool_attr(attrs[NSTREE_A_PROC_SEL_THREADS],
				 &ctx->threads, cb->extack) ||
	    nstree_get_bool_attr(attrs[NSTREE_A_PROC_WITH_ARGS], &ctx->args,
				 cb->extack))
		return -EINVAL;
	return 0;
}

/*
 * The next task to list, at or after the cursor: thread-group leaders, or
 * every thread. Context: rcu_read_lock() held.
 */
static struct task_struct *nstree_next_task(struct nstree_dump_ctx *ctx,
					    u32 *nr)
{
	enum pid_type type = ctx->threads ? PIDTYPE_PID : PIDTYPE_TGID;
	struct task_struct *t;
	struct pid *pid;

	while ((pid = find_ge_pid(ctx->next, ctx->ns))) {
		*nr = pid_nr_ns(pid, ctx->ns);
		ctx->next = *nr + 1;
		t = pid_task(pid, type);
		if (t && nstree_proc_selected(ctx, t))
			return t;
	}
	return NULL;
}

int nstree_get_proc_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nstree_dump_ctx *ctx = nstree_ctx(cb);
	unsigned int listed = 0;
	struct task_struct *t;
	char *args = NULL;
	void *hdr;
	u32 nr;
	int err;

	if (!ctx->next) {
		err = nstree_get_proc_setup(cb);
		if (err)
			return err;
		ctx->next = 1;
	}
	if (ctx->args) {
		args = kmalloc(NSTREE_ARGS_MAX, GFP_KERNEL);
		if (!args)
			return -ENOMEM;
	}
	for (;;) {
		/*
		 * An entry that does not fit waits for the next page, unless
		 * it is alone on this one: then its arguments are cut to fit,
		 * or the dump would never get past it.
		 */
		bool alone = !skb->len;

		rcu_read_lock();
		t = nstree_next_task(ctx, &nr);
		if (!t) {
			rcu_read_unlock();
			break;
		}
		hdr = nstree_put_hdr(skb, cb, NSTREE_CMD_GET_PROC);
		err = hdr ? nstree_fill_proc(skb, ctx, t, ctx->threads)
			  : -EMSGSIZE;
		/* Reading the arguments may sleep: keep the task, not RCU. */
		if (!err && args)
			get_task_struct(t);
		rcu_read_unlock();
		if (!err && args) {
			err = nstree_put_args(skb, t, args,
					      alone ? nstree_args_room(skb)
						    : NSTREE_ARGS_MAX);
			put_task_struct(t);
		}
		if (!err) {
			genlmsg_end(skb, hdr);
		} else {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			if (err == -EMSGSIZE) {
				/* This one goes first on the next page. */
				ctx->next = nr;
				break;
			}
			/* -ESRCH: it went away while we looked; skip it. */
		}
		if (!(++listed % NSTREE_COUNT_BATCH))
			cond_resched();
	}
	kfree(args);
	return skb->len;
}
