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
 * Privilege: none, as for /proc, and no more than /proc shows the same
 * caller (nstree_access.c): what /proc/PID/status and /proc/PID/cmdline
 * give anyone, namespace inodes only for processes it may ptrace-read,
 * nothing of what its /proc hides with hidepid=, nothing of the ancestor
 * namespaces.
 *
 * Bounds: no RCU read-side section covers more than NSTREE_BATCH steps
 * (PIDs examined or ancestors climbed); between them the walk keeps a
 * numeric cursor, or a reference on the task where a climb stopped, and
 * reschedules. One exception: the climb that finds a process's reaper
 * (nstree_reaper()) passes, like the kernel's own find_new_reaper() at
 * every exit, as many ancestors as it must in one section; but each
 * process is climbed through at most once per dump (ctx->reapers), so a
 * dump stays O(processes).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/clock.h>
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
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "nstree.h"
#include "nstree_access.h"
#include "nstree_event.h"

/* Steps (PIDs examined, ancestors climbed) per RCU read-side section. */
#define NSTREE_BATCH		256

/* At most this much of a process's arguments goes into an entry. */
#define NSTREE_ARGS_MAX		4096

/**
 * struct nstree_dump_ctx - the state a dump keeps between pages
 * @ns: the caller's PID namespace, captured when the dump starts
 * @user_ns: the caller's user namespace, for translating IDs
 * @boot_off: the caller's time namespace's CLOCK_BOOTTIME offset
 * @acc: the caller's credentials and what its /proc hides
 * @sel_ns: only processes with a PID in this namespace, or NULL
 * @sel_root: only this process and its descendants, or NULL
 * @sel_root_start: boot time at which @sel_root's process started
 * @verdicts: subtree verdicts, by PID number in @ns (nstree_subtree_verdict)
 * @reapers: the nearest subreaper at or above a process, by PID number in
 *	@ns (nstree_subreaper_at())
 * @climb: where an unfinished climb towards @sel_root stopped, referenced
 * @climb_nr: the PID whose climb it is
 * @budget: steps left in the current RCU read-side section
 * @settle: the verdict still to apply to pending climbers (enum nstree_settle)
 * @next: cursor, the next PID number (in @ns) to examine; 0 until the
 *	request's selectors have been checked
 * @threads: one entry per thread rather than per process
 * @args: add each process's arguments
 *
 * A dump's context is allocated in .start and pointed to by cb->ctx: later
 * pages are read by whoever calls recvmsg(), so the view and the
 * credentials are fixed in .start and dropped in .done. The selectors are
 * checked on the first page instead, because 6.1 gives .start no extack to
 * explain a refusal; an error there ends the dump with its code and
 * message in NLMSG_DONE, on both kernels alike.
 */
struct nstree_dump_ctx {
	struct pid_namespace *ns;
	struct user_namespace *user_ns;
	u64 boot_off;
	struct nstree_access acc;
	struct pid_namespace *sel_ns;
	struct pid *sel_root;
	u64 sel_root_start;
	struct xarray verdicts;
	struct xarray reapers;
	struct task_struct *climb;
	u32 climb_nr;
	unsigned int budget;
	u8 settle;
	u32 next;
	bool threads;
	bool args;
};

static struct nstree_dump_ctx *nstree_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nstree_dump_ctx *) > sizeof(cb->ctx));
	return *(struct nstree_dump_ctx **)cb->ctx;
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

/* The start time that identifies @t's process in the dump's xarrays. */
static unsigned long nstree_start_key(struct task_struct *t)
{
	return t->group_leader->start_boottime & (ULONG_MAX >> 3);
}

/*
 * REAPER: who would adopt a process if its parent thread exited now, as
 * find_new_reaper() (kernel/exit.c) decides it under tasklist_lock; here
 * it is read under RCU, a snapshot like the rest of an entry:
 *
 * 1. another live thread (not PF_EXITING) of the parent's process;
 * 2. else, if the parent is its namespace's init (child_reaper), nobody:
 *    the namespace dies with it (find_child_reaper());
 * 3. else, if the parent's process has_child_subreaper, the first
 *    process above it along real_parent, in the same PID namespace (same
 *    level), that is a child subreaper with a live thread;
 * 4. else the namespace's init, pid_ns->child_reaper.
 *
 * Step 3 is the climb. What it finds for a process depends only on the
 * process and what lies above it, so the answer is kept in ctx->reapers
 * for every process the climb passed: by PID number in the caller's
 * namespace, as the start key (low bits of the start time, telling a
 * reused number from its former owner) above the answer's PID number (0
 * for none), so that a later climb stops there.
 */
#define NSTREE_REAPER_NR_BITS	23	/* PID_MAX_LIMIT is 1 << 22 */
#define NSTREE_REAPER_NR_MASK	((1UL << NSTREE_REAPER_NR_BITS) - 1)

static unsigned long nstree_reaper_key(struct task_struct *t)
{
	return nstree_start_key(t) & (ULONG_MAX >> (NSTREE_REAPER_NR_BITS + 1));
}

/*
 * A thread of @p's process other than @skip that is not exiting, as
 * find_alive_thread() looks for one. Context: rcu_read_lock() held.
 */
static struct task_struct *nstree_alive_thread(struct task_struct *p,
					       struct task_struct *skip)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		if (t != skip && !(t->flags & PF_EXITING))
			return t;
	}
	return NULL;
}

/*
 * The first child subreaper with a live thread at or above @a, in @a's
 * PID namespace: its PID number in ctx->ns, or 0 for none.
 * Context: rcu_read_lock() held.
 */
static u32 nstree_subreaper_at(struct nstree_dump_ctx *ctx,
			       struct task_struct *a)
{
	struct task_struct *p = a;
	unsigned int level, steps = 0, i;
	unsigned long v;
	u32 found = 0, nr;
	void *entry;

	if (!pid_alive(a))
		return 0;
	level = task_pid(a)->level;
	for (;;) {
		if (!pid_alive(p) || task_pid(p)->level != level)
			break;
		/* 0: the idle task, where the kernel's walk stops too. */
		nr = pid_nr_ns(task_tgid(p), ctx->ns);
		if (!nr)
			break;
		entry = xa_load(&ctx->reapers, nr);
		if (entry && xa_to_value(entry) >> NSTREE_REAPER_NR_BITS ==
			     nstree_reaper_key(p)) {
			found = xa_to_value(entry) & NSTREE_REAPER_NR_MASK;
			break;
		}
		if (p->signal->is_child_subreaper &&
		    nstree_alive_thread(p, NULL)) {
			found = nr;
			break;
		}
		steps++;
		p = rcu_dereference(p->real_parent);
	}
	/* The same way again, to remember the answer where it passed. */
	for (p = a, i = 0; i < steps && pid_alive(p); i++) {
		nr = pid_nr_ns(task_tgid(p), ctx->ns);
		if (!nr)
			break;
		v = nstree_reaper_key(p) << NSTREE_REAPER_NR_BITS | found;
		xa_store(&ctx->reapers, nr, xa_mk_value(v),
			 GFP_NOWAIT | __GFP_ACCOUNT);
		p = rcu_dereference(p->real_parent);
	}
	return found;
}

/*
 * Who would adopt @t if its parent exited now, and why (&enum
 * nstree_reparent_reason); 0 when there is nothing to say (the parent is
 * the idle task, which never exits, or went away while we looked).
 * *@reaper: the adopting process, NULL when nobody would adopt.
 * Context: rcu_read_lock() held.
 */
static u8 nstree_reaper(struct nstree_dump_ctx *ctx, struct task_struct *t,
			struct task_struct **reaper)
{
	struct task_struct *father = rcu_dereference(t->real_parent), *r, *gp;
	struct pid *pid;
	u32 nr;

	*reaper = NULL;
	if (!pid_alive(father) || !pid_nr(task_tgid(father)))
		return 0;
	r = nstree_alive_thread(father, father);
	if (r) {
		*reaper = r;
		return NSTREE_REPARENT_THREAD;
	}
	r = READ_ONCE(ns_of_pid(task_pid(father))->child_reaper);
	if (!r || same_thread_group(r, father)) {
		*reaper = father;	/* for the visibility check only */
		return NSTREE_REPARENT_KILLED;
	}
	gp = rcu_dereference(father->real_parent);
	if (father->signal->has_child_subreaper && pid_alive(gp) &&
	    task_pid(gp)->level == task_pid(father)->level) {
		nr = nstree_subreaper_at(ctx, gp);
		if (nr) {
			pid = find_pid_ns(nr, ctx->ns);
			*reaper = pid ? pid_task(pid, PIDTYPE_TGID) : NULL;
			if (!*reaper)
				return 0;
			return is_child_reaper(pid) ? NSTREE_REPARENT_NS_INIT :
						      NSTREE_REPARENT_SUBREAPER;
		}
	}
	*reaper = r;
	return NSTREE_REPARENT_NS_INIT;
}

/*
 * Put REAPER and its reason, when the caller can see the process that
 * decides them: the reaper, or for KILLED the parent.
 * Context: rcu_read_lock() held.
 */
static int nstree_put_reaper(struct sk_buff *skb, struct nstree_dump_ctx *ctx,
			     struct task_struct *t)
{
	struct task_struct *r;
	u32 nr;
	u8 why;

	why = nstree_reaper(ctx, t, &r);
	if (!why || !pid_alive(r))
		return 0;
	nr = task_tgid_nr_ns(r, ctx->ns);
	if (!nr || (ctx->acc.hide_unreadable &&
		    !nstree_access_may_read(&ctx->acc, r)))
		return 0;
	if (why != NSTREE_REPARENT_KILLED &&
	    nla_put_u32(skb, NSTREE_A_PROC_REAPER, nr))
		return -EMSGSIZE;
	return nla_put_u8(skb, NSTREE_A_PROC_REAPER_REASON, why) ? -EMSGSIZE : 0;
}

/*
 * What `nstree zombies` asks of a process: its disposition of SIGCHLD (as
 * SigIgn and SigCgt of /proc/PID/status show anyone), whether one of its
 * threads sleeps in do_wait() now (only when @readable, as for
 * /proc/PID/wchan), and for a zombie how long ago it last ran. All three
 * are read without the locks the kernel changes them under (siglock, the
 * wait queue's lock): a snapshot, like the state letter. The sighand
 * cache is SLAB_TYPESAFE_BY_RCU, so the read is safe under RCU.
 * Context: rcu_read_lock() held.
 */
static int nstree_put_wait_state(struct sk_buff *skb, struct task_struct *t,
				 bool readable)
{
	struct sighand_struct *sh = rcu_dereference(t->sighand);
	__sighandler_t h;
	bool waiting;
	u64 ran, now;
	u8 chld;

	if (sh) {
		h = READ_ONCE(sh->action[SIGCHLD - 1].sa.sa_handler);
		chld = h == SIG_DFL ? NSTREE_SIGCHLD_DEFAULT :
		       h == SIG_IGN ? NSTREE_SIGCHLD_IGNORE :
				      NSTREE_SIGCHLD_HANDLER;
		if (nla_put_u8(skb, NSTREE_A_PROC_SIGCHLD, chld))
			return -EMSGSIZE;
	}
	if (readable) {
		/* Without the queue's lock: a report, no wakeup relies on it. */
		waiting = waitqueue_active(&t->signal->wait_chldexit);
		if (nla_put_u8(skb, NSTREE_A_PROC_IN_WAIT, waiting))
			return -EMSGSIZE;
	}
	if (READ_ONCE(t->exit_state) != EXIT_ZOMBIE)
		return 0;
	ran = nstree_compat_last_ran(t);
	if (!ran)
		return 0;
	now = local_clock();
	return nla_put_u64_64bit(skb, NSTREE_A_PROC_ZOMBIE_NS,
				 now > ran ? now - ran : 0,
				 NSTREE_A_PROC_PAD) ? -EMSGSIZE : 0;
}

/*
 * Describe task @t (a thread-group leader, or any thread for a thread
 * entry) as the dump's caller sees it: what /proc/PID/status shows anyone,
 * and the namespace inodes only if the caller may ptrace-read @t, as for
 * /proc/PID/ns/. A process that the caller's /proc hides is -ENOENT.
 * Context: rcu_read_lock() held.
 */
static int nstree_fill_proc(struct sk_buff *skb,
			    struct nstree_dump_ctx *ctx,
			    struct task_struct *t, bool thread)
{
	struct pid_namespace *ns = ctx->ns, *own_ns;
	struct pid *tgid = task_tgid(t), *tid = task_pid(t);
	struct task_struct *parent;
	const struct cred *cred;
	char comm[TASK_COMM_LEN];
	bool readable;
	u64 id;

	/* Released while we looked: no longer anything to describe. */
	if (!tgid || !tid || !pid_alive(t))
		return -ESRCH;
	readable = nstree_access_may_read(&ctx->acc, t);
	if (!nstree_access_visible(&ctx->acc, readable))
		return -ENOENT;
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
			      t->start_boottime + ctx->boot_off,
			      NSTREE_A_PROC_PAD) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PIDNS_LEVEL,
			own_ns->level - ns->level) ||
	    (is_child_reaper(tgid) && nla_put_flag(skb, NSTREE_A_PROC_NS_INIT)) ||
	    (t->signal->is_child_subreaper &&
	     nla_put_flag(skb, NSTREE_A_PROC_SUBREAPER)) ||
	    nstree_put_reaper(skb, ctx, t) ||
	    nstree_put_wait_state(skb, t, readable))
		return -EMSGSIZE;
	if (!readable)
		return 0;
	/* As GET_NS: a user namespace above the caller's stays hidden. */
	id = nstree_nsid(own_ns);
	if (nla_put_u32(skb, NSTREE_A_PROC_PIDNS_INUM, own_ns->ns.inum) ||
	    (id && nla_put_u64_64bit(skb, NSTREE_A_PROC_PIDNS_ID, id,
				     NSTREE_A_PROC_PAD)) ||
	    (nstree_userns_visible(cred->user_ns, ctx->user_ns) &&
	     nla_put_u32(skb, NSTREE_A_PROC_USERNS_INUM,
			 cred->user_ns->ns.inum)))
		return -EMSGSIZE;
	return nstree_put_task_namespaces(skb, t);
}

/*
 * Read the arguments of @mm into @buf (NSTREE_ARGS_MAX bytes), at most
 * @max bytes, as /proc/PID/cmdline reads them (fs/proc/base.c,
 * get_mm_cmdline): nothing before exec has set the environment's end;
 * anonymous memory only (FOLL_ANON: never a file mapping, which could be
 * slow or never answer) and no FOLL_FORCE (an area made unreadable stays
 * unreadable); and when the last byte of the area is not a NUL, the
 * process rewrote its title (setproctitle()), which may run on into the
 * environment: then the first string from the start, NUL included.
 * Returns the length read.
 */
static int nstree_read_args(struct task_struct *t, struct mm_struct *mm,
			    char *buf, unsigned long max)
{
	unsigned long arg_start, arg_end, env_start, env_end, len;
	char c;
	int got;

	if (!mm->env_end)
		return 0;
	spin_lock(&mm->arg_lock);
	arg_start = mm->arg_start;
	arg_end = mm->arg_end;
	env_start = mm->env_start;
	env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	if (arg_start >= arg_end)
		return 0;
	max = min_t(unsigned long, max, NSTREE_ARGS_MAX);
	if (access_process_vm(t, arg_end - 1, &c, 1, FOLL_ANON) == 1 && c) {
		/* A title may only run on into the environment. */
		if (env_start != arg_end || env_end < env_start)
			env_end = arg_end;
		len = min(env_end - arg_start, max);
		got = access_process_vm(t, arg_start, buf, len, FOLL_ANON);
		if (got <= 0)
			return 0;
		len = strnlen(buf, got);
		return len < (unsigned long)got ? len + 1 : got;
	}
	len = min(arg_end - arg_start, max);
	got = access_process_vm(t, arg_start, buf, len, FOLL_ANON);
	return got > 0 ? got : 0;
}

/*
 * Put the arguments of @t, using @buf (NSTREE_ARGS_MAX bytes), at most
 * @max bytes of them. Kernel threads and zombies have none.
 * Context: may sleep (it reads the process's memory); no RCU held.
 */
static int nstree_put_args(struct sk_buff *skb, struct task_struct *t,
			   char *buf, unsigned long max)
{
	struct mm_struct *mm;
	int len;

	mm = get_task_mm(t);
	if (!mm)
		return 0;
	len = nstree_read_args(t, mm, buf, max);
	mmput(mm);
	if (!len)
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
 * Subtree membership: does a process descend from the selected root?
 * Climbing real_parent (RCU-safe, unlike the children lists) answers it,
 * but one climb per process would cost O(processes x depth) per dump, all
 * of it in RCU read-side sections. Two facts keep a dump O(processes):
 *
 * - A parent process started before its child (a reaper that adopts an
 *   orphan is an ancestor of the orphan's parent; a thread of the parent
 *   shares its process's start), so start times fall along real_parent
 *   and a climb stops at the first process started before the root.
 * - Every process a climb passes gets the climb's verdict, remembered for
 *   the dump in ctx->verdicts by PID number and start time (a reused
 *   number is not mistaken for the old process), so no process is climbed
 *   through twice. The memory is charged to the caller and proportional to
 *   the processes it sees; if it cannot be had, climbs are just longer.
 *
 * A climb longer than the section's budget pauses: the task it reached is
 * kept with a reference, RCU is dropped and the climb resumes there, or
 * starts again if that task was released in between. Processes it passed
 * are marked pending (XA_MARK_0) until the verdict is known; applying the
 * verdict to them is budgeted too. Verdicts are a snapshot: a process that
 * is reparented out of the subtree during the dump may still be listed.
 */
#define NSTREE_V_DECIDED	2UL
#define NSTREE_V_IN		1UL
#define NSTREE_V_PENDING	XA_MARK_0

enum nstree_settle { NSTREE_SETTLE_NONE, NSTREE_SETTLE_OUT, NSTREE_SETTLE_IN,
		     NSTREE_SETTLE_ERASE };

/*
 * Apply ctx->settle to every pending verdict. Returns 0, or -EAGAIN when
 * the budget ran out first. Context: rcu_read_lock() held.
 */
static int nstree_settle(struct nstree_dump_ctx *ctx)
{
	unsigned long idx, v;
	void *entry;

	xa_for_each_marked(&ctx->verdicts, idx, entry, NSTREE_V_PENDING) {
		if (!ctx->budget)
			return -EAGAIN;
		ctx->budget--;
		if (ctx->settle == NSTREE_SETTLE_ERASE) {
			xa_erase(&ctx->verdicts, idx);
			continue;
		}
		v = xa_to_value(entry) | NSTREE_V_DECIDED |
		    (ctx->settle == NSTREE_SETTLE_IN ? NSTREE_V_IN : 0);
		xa_store(&ctx->verdicts, idx, xa_mk_value(v), GFP_NOWAIT);
		xa_clear_mark(&ctx->verdicts, idx, NSTREE_V_PENDING);
	}
	ctx->settle = NSTREE_SETTLE_NONE;
	return 0;
}

/* Forget a paused climb. */
static void nstree_climb_drop(struct nstree_dump_ctx *ctx)
{
	if (ctx->climb) {
		put_task_struct(ctx->climb);
		ctx->climb = NULL;
	}
}

/*
 * Does @t, found at PID @nr, descend from ctx->sel_root? Returns 1 or 0,
 * or -EAGAIN when the section's budget ran out first: call again for the
 * same PID in a new section. Context: rcu_read_lock() held.
 */
static int nstree_subtree_verdict(struct nstree_dump_ctx *ctx,
				  struct task_struct *t, u32 nr)
{
	struct task_struct *p = t, *parent;
	unsigned long key, v;
	void *entry;
	bool in;
	u32 pnr;

	if (ctx->settle && nstree_settle(ctx))
		return -EAGAIN;
	if (ctx->climb) {
		/*
		 * Our reference keeps the task; RCU keeps what it points to
		 * only while it is not released.
		 */
		if (ctx->climb_nr == nr && pid_alive(ctx->climb)) {
			p = ctx->climb;
		} else {
			ctx->settle = NSTREE_SETTLE_ERASE;
			nstree_climb_drop(ctx);
			if (nstree_settle(ctx))
				return -EAGAIN;
		}
		nstree_climb_drop(ctx);
	}
	for (;;) {
		if (task_tgid(p) == ctx->sel_root) {
			in = true;
			break;
		}
		/* The root is in the caller's view: above it, nothing is. */
		pnr = pid_alive(p) ? pid_nr_ns(task_tgid(p), ctx->ns) : 0;
		if (!pnr) {
			in = false;
			break;
		}
		key = nstree_start_key(p);
		entry = xa_load(&ctx->verdicts, pnr);
		if (entry && xa_to_value(entry) >> 2 == key) {
			v = xa_to_value(entry);
			/* Pending: we came round to it, the tree moved. */
			in = (v & NSTREE_V_DECIDED) && (v & NSTREE_V_IN);
			break;
		}
		if (p->group_leader->start_boottime < ctx->sel_root_start) {
			in = false;
			break;
		}
		if (!xa_is_err(xa_store(&ctx->verdicts, pnr,
					xa_mk_value(key << 2),
					GFP_NOWAIT | __GFP_ACCOUNT)))
			xa_set_mark(&ctx->verdicts, pnr, NSTREE_V_PENDING);
		parent = rcu_dereference(p->real_parent);
		if (parent == p || !parent) {
			in = false;
			break;
		}
		if (!ctx->budget) {
			get_task_struct(parent);
			ctx->climb = parent;
			ctx->climb_nr = nr;
			return -EAGAIN;
		}
		ctx->budget--;
		p = parent;
	}
	ctx->settle = in ? NSTREE_SETTLE_IN : NSTREE_SETTLE_OUT;
	if (nstree_settle(ctx))
		return -EAGAIN;	/* the verdict is then found in the cache */
	return in;
}

/* 1: list @t, 0: not, -EAGAIN: ask again in a new section. */
static int nstree_proc_selected(struct nstree_dump_ctx *ctx,
				struct task_struct *t, u32 nr)
{
	struct pid *tgid = task_tgid(t);

	if (!tgid)
		return 0;
	if (ctx->sel_ns && !nstree_pid_in_ns(tgid, ctx->sel_ns))
		return 0;
	if (ctx->sel_root)
		return nstree_subtree_verdict(ctx, t, nr);
	return 1;
}

static void *nstree_put_hdr(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			   cb->nlh->nlmsg_seq, &nstree_genl_family,
			   NLM_F_MULTI, cmd);
}

/* A u8 boolean, 0 or 1 by the policy; absent means 0. */
static bool nstree_bool_attr(const struct nlattr *attr)
{
	return attr && nla_get_u8(attr);
}

/*
 * Find the PID namespace with inode @inum at or below @ns, with a
 * reference. Namespaces are not indexed, so look at the namespaces of every
 * process the caller can see; one with no process is dead to the caller.
 */
static struct pid_namespace *nstree_find_ns(struct pid_namespace *ns,
					    unsigned int inum, u64 id)
{
	const struct pid_namespace *addr = NULL;
	struct pid_namespace *found = NULL;
	unsigned int nr = 1, i, seen = 0;
	struct pid *pid;

	/* By ID: the address it has now, confirmed once found and held. */
	if (id) {
		addr = nstree_nsid_addr(id);
		if (!addr)
			return NULL;
	}
	while (!found) {
		rcu_read_lock();
		pid = find_ge_pid(nr, ns);
		if (!pid) {
			rcu_read_unlock();
			break;
		}
		nr = pid_nr_ns(pid, ns) + 1;
		for (i = ns->level; i <= pid->level; i++) {
			if (addr ? pid->numbers[i].ns == addr :
			    pid->numbers[i].ns->ns.inum == inum) {
				found = get_pid_ns(pid->numbers[i].ns);
				break;
			}
		}
		rcu_read_unlock();
		if (!(++seen % NSTREE_BATCH))
			cond_resched();
	}
	if (found && id && nstree_nsid_peek(found) != id) {
		put_pid_ns(found);
		found = NULL;
	}
	return found;
}

/*
 * A namespace named by inode, by ID or by one of its processes, with a
 * reference. Naming it by a process asks what /proc/PID/ns/pid would tell:
 * the caller must be allowed to ptrace-read that process.
 */
static struct pid_namespace *
nstree_ns_from_attrs(struct nlattr *inum_attr, struct nlattr *id_attr,
		     struct nlattr *pid_attr,
		     const struct nstree_dump_ctx *ctx,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *name = inum_attr ?: id_attr;
	struct pid_namespace *found;
	struct pid *pid;

	if (!!inum_attr + !!id_attr + !!pid_attr > 1) {
		NL_SET_ERR_MSG_ATTR(extack, pid_attr ?: id_attr,
				    "name the namespace one way: by inode, by ID or by PID");
		return ERR_PTR(-EINVAL);
	}
	if (pid_attr) {
		pid = nstree_access_lookup(&ctx->acc, ctx->ns, pid_attr, true,
					   extack);
		if (IS_ERR(pid))
			return ERR_CAST(pid);
		found = get_pid_ns(ns_of_pid(pid));
		put_pid(pid);
		return found;
	}
	found = nstree_find_ns(ctx->ns, inum_attr ? nla_get_u32(inum_attr) : 0,
			       id_attr ? nla_get_u64(id_attr) : 0);
	if (!found) {
		NL_SET_ERR_MSG_ATTR(extack, name,
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
 * every NSTREE_BATCH entries, so a large namespace cannot stall RCU.
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
		for (i = 0; i < NSTREE_BATCH; i++) {
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

/*
 * Describe namespace @pidns to the caller of @ctx. Its init is looked up
 * here, under the same RCU section: pidns->child_reaper is not a
 * reference, and the task it points to may be freed once RCU is dropped.
 * The init is named only to a caller that may ptrace-read it: the pair
 * (PID, namespace inode) is what /proc/PID/ns/pid gates.
 * Context: RCU held.
 */
static int nstree_fill_ns(struct sk_buff *skb,
			  const struct nstree_dump_ctx *ctx,
			  struct pid_namespace *pidns,
			  const struct nstree_ns_counts *c)
{
	struct pid_namespace *ns = ctx->ns;
	struct task_struct *init = NULL;
	char comm[TASK_COMM_LEN];
	u64 id, parent_id = 0;
	struct pid *pid;
	u32 init_pid = 0;

	pid = find_pid_ns(1, pidns);
	if (pid)
		init = pid_task(pid, PIDTYPE_TGID);
	if (init && nstree_access_may_read(&ctx->acc, init))
		init_pid = task_tgid_nr_ns(init, ns);

	id = nstree_nsid(pidns);
	if (pidns != ns)
		parent_id = nstree_nsid(pidns->parent);
	if (nla_put_u32(skb, NSTREE_A_NS_INUM, pidns->ns.inum) ||
	    (id && nla_put_u64_64bit(skb, NSTREE_A_NS_ID, id, NSTREE_A_NS_PAD)) ||
	    nla_put_u32(skb, NSTREE_A_NS_LEVEL, pidns->level - ns->level) ||
	    (pidns != ns && nla_put_u32(skb, NSTREE_A_NS_PARENT_INUM,
					pidns->parent->ns.inum)) ||
	    (parent_id && nla_put_u64_64bit(skb, NSTREE_A_NS_PARENT_ID,
					    parent_id, NSTREE_A_NS_PAD)) ||
	    nla_put_u32(skb, NSTREE_A_NS_NR_PROCS, c->procs) ||
	    nla_put_u32(skb, NSTREE_A_NS_NR_THREADS, c->threads) ||
	    nla_put_u32(skb, NSTREE_A_NS_NR_ZOMBIES, c->zombies) ||
	    (nstree_userns_visible(pidns->user_ns, ctx->user_ns) &&
	     nla_put_u32(skb, NSTREE_A_NS_USERNS_INUM,
			 pidns->user_ns->ns.inum)))
		return -EMSGSIZE;
	if (init_pid) {
		__get_task_comm(comm, sizeof(comm), init);
		if (nla_put_u32(skb, NSTREE_A_NS_INIT_PID, init_pid) ||
		    nla_put_string(skb, NSTREE_A_NS_INIT_COMM, comm))
			return -EMSGSIZE;
	}
	return 0;
}

/* Capture the caller's view. Context: the requesting task; may sleep. */
static void nstree_ctx_init(struct nstree_dump_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ns = get_pid_ns(task_active_pid_ns(current));
	/* Start times as /proc/PID/stat gives them: in the caller's timens. */
	ctx->boot_off = timens_add_boottime_ns(0);
	ctx->user_ns = get_user_ns(current_user_ns());
	nstree_access_init(&ctx->acc);
	xa_init(&ctx->verdicts);
	xa_init(&ctx->reapers);
	ctx->next = 1;
}

static void nstree_ctx_release(struct nstree_dump_ctx *ctx)
{
	nstree_climb_drop(ctx);
	xa_destroy(&ctx->verdicts);
	xa_destroy(&ctx->reapers);
	if (ctx->sel_root)
		put_pid(ctx->sel_root);
	if (ctx->sel_ns)
		put_pid_ns(ctx->sel_ns);
	nstree_access_release(&ctx->acc);
	put_user_ns(ctx->user_ns);
	put_pid_ns(ctx->ns);
}

/* .start of both dumps: fix the caller's view and credentials. */
int nstree_dump_start(struct netlink_callback *cb)
{
	struct nstree_dump_ctx *ctx;

	ctx = kmalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	nstree_ctx_init(ctx);
	ctx->next = 0;
	*(struct nstree_dump_ctx **)cb->ctx = ctx;
	return 0;
}

int nstree_dump_done(struct netlink_callback *cb)
{
	struct nstree_dump_ctx *ctx = nstree_ctx(cb);

	nstree_ctx_release(ctx);
	kfree(ctx);
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
	struct nlattr *id = info->attrs[NSTREE_A_NS_ID];
	struct nlattr *pid = info->attrs[NSTREE_A_NS_PID];
	struct nstree_dump_ctx ctx;
	struct pid_namespace *pidns;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!inum && !id && !pid) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "name the namespace: NSTREE_A_NS_INUM, NSTREE_A_NS_ID or NSTREE_A_NS_PID");
		return -EINVAL;
	}
	nstree_ctx_init(&ctx);
	pidns = nstree_ns_from_attrs(inum, id, pid, &ctx, info->extack);
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

static int nstree_get_ns_setup(struct netlink_callback *cb)
{
	struct nlattr **attrs = nstree_compat_dump_attrs(cb);

	if (attrs[NSTREE_A_NS_INUM] || attrs[NSTREE_A_NS_ID] ||
	    attrs[NSTREE_A_NS_PID]) {
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
 * listed. Returns a reference, NULL at the end, or ERR_PTR(-EAGAIN) after
 * NSTREE_BATCH PIDs: call again after rescheduling.
 */
static struct pid_namespace *nstree_next_ns(struct nstree_dump_ctx *ctx)
{
	struct pid_namespace *found = NULL;
	unsigned int budget = NSTREE_BATCH;
	struct pid *pid;

	rcu_read_lock();
	while (!found && (pid = find_ge_pid(ctx->next, ctx->ns))) {
		if (!budget--) {
			found = ERR_PTR(-EAGAIN);
			break;
		}
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
		if (IS_ERR(pidns)) {
			cond_resched();
			continue;
		}
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
	    info->attrs[NSTREE_A_PROC_SEL_NS_ID] ||
	    info->attrs[NSTREE_A_PROC_SEL_NS_PID] ||
	    info->attrs[NSTREE_A_PROC_SEL_SUBTREE] ||
	    info->attrs[NSTREE_A_PROC_SEL_THREADS]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "selectors apply to dumps only");
		return -EINVAL;
	}
	nstree_ctx_init(&ctx);
	ctx.args = nstree_bool_attr(info->attrs[NSTREE_A_PROC_WITH_ARGS]);
	pid = nstree_access_lookup(&ctx.acc, ctx.ns,
				   info->attrs[NSTREE_A_PROC_PID], false,
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
		} else if (err == -ESRCH || err == -ENOENT) {
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

/*
 * The thread group of @pid, with a reference, and when its process
 * started; @pid's reference is dropped.
 */
static struct pid *nstree_tgid_of(struct pid *pid, u64 *start)
{
	struct pid *tgid = NULL;
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	if (t) {
		tgid = get_pid(task_tgid(t));
		*start = t->group_leader->start_boottime;
	}
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
	if (attrs[NSTREE_A_PROC_SEL_NS_INUM] || attrs[NSTREE_A_PROC_SEL_NS_ID] ||
	    attrs[NSTREE_A_PROC_SEL_NS_PID]) {
		sel_ns = nstree_ns_from_attrs(attrs[NSTREE_A_PROC_SEL_NS_INUM],
					      attrs[NSTREE_A_PROC_SEL_NS_ID],
					      attrs[NSTREE_A_PROC_SEL_NS_PID],
					      ctx, cb->extack);
		if (IS_ERR(sel_ns))
			return PTR_ERR(sel_ns);
		ctx->sel_ns = sel_ns;	/* dropped in .done */
	}
	if (attrs[NSTREE_A_PROC_SEL_SUBTREE]) {
		root = nstree_access_lookup(&ctx->acc, ctx->ns,
					    attrs[NSTREE_A_PROC_SEL_SUBTREE],
					    false, cb->extack);
		if (IS_ERR(root))
			return PTR_ERR(root);
		/* A thread's ID names its process, as in a do request. */
		ctx->sel_root = nstree_tgid_of(root, &ctx->sel_root_start);
		if (!ctx->sel_root) {
			NL_SET_ERR_MSG_ATTR(cb->extack,
					    attrs[NSTREE_A_PROC_SEL_SUBTREE],
					    "the process has gone");
			return -ENOENT;
		}
	}
	ctx->threads = nstree_bool_attr(attrs[NSTREE_A_PROC_SEL_THREADS]);
	ctx->args = nstree_bool_attr(attrs[NSTREE_A_PROC_WITH_ARGS]);
	return 0;
}

/*
 * The next task to list, at or after the cursor: thread-group leaders, or
 * every thread. Returns it, NULL at the end, or ERR_PTR(-EAGAIN) when the
 * section's budget ran out: call again in a new section.
 * Context: rcu_read_lock() held.
 */
static struct task_struct *nstree_next_task(struct nstree_dump_ctx *ctx,
					    u32 *nr)
{
	enum pid_type type = ctx->threads ? PIDTYPE_PID : PIDTYPE_TGID;
	struct task_struct *t;
	struct pid *pid;
	int sel;

	while ((pid = find_ge_pid(ctx->next, ctx->ns))) {
		if (!ctx->budget)
			return ERR_PTR(-EAGAIN);
		ctx->budget--;
		*nr = pid_nr_ns(pid, ctx->ns);
		t = pid_task(pid, type);
		sel = t ? nstree_proc_selected(ctx, t, *nr) : 0;
		if (sel < 0) {
			/* Undecided: this PID again, in the next section. */
			ctx->next = *nr;
			return ERR_PTR(sel);
		}
		ctx->next = *nr + 1;
		if (sel)
			return t;
	}
	return NULL;
}

int nstree_get_proc_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nstree_dump_ctx *ctx = nstree_ctx(cb);
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
		ctx->budget = NSTREE_BATCH;
		t = nstree_next_task(ctx, &nr);
		if (IS_ERR_OR_NULL(t)) {
			rcu_read_unlock();
			if (!t)
				break;
			cond_resched();
			continue;
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
			/* Gone, or hidden from the caller: skip it. */
		}
		cond_resched();
	}
	kfree(args);
	return skb->len;
}
