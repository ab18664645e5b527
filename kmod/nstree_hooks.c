// SPDX-License-Identifier: GPL-2.0
/*
 * Where the events come from: tracepoints, attached by name since their
 * symbols are not exported, and kprobes on the functions of the exit path
 * that have no tracepoint. Every hook first tests nstree_ev_active, so with
 * no subscriber it costs a patched-out jump.
 *
 *   task_newtask          FORK (before the child first runs)
 *   sched_process_exec    EXEC
 *   sched_process_exit    EXIT (before exit_notify)
 *   do_notify_parent      ZOMBIE or AUTOREAP (kretprobe: its result says
 *                         which; runs under tasklist_lock, so before any
 *                         wait() can see the zombie)
 *   release_task          REAP, with current the releaser
 *   proc_exit_connector   REPARENT of the exiting thread's children (it is
 *                         called right after exit_notify)
 *   zap_pid_ns_processes  NS_INIT_EXIT
 *   copy_pid_ns           NS_CREATED (kretprobe)
 *   proc_free_inum        NS_DESTROYED (destroy_pid_namespace is inlined;
 *                         its first call frees the inode number)
 *
 * Reparenting has no hook of its own: exit_notify moves the children
 * under tasklist_lock, which a module cannot take. So the module keeps its
 * own map of each process's parent thread as last seen (the "kin" map),
 * and compares it with real_parent after every exit_notify. Any other
 * event about a process first makes the same comparison, under the same
 * lock, so an adopted child's REPARENT always comes before its ZOMBIE or
 * REAP even when the new parent is faster than the exiting one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "nstree.h"
#include "nstree_event.h"

/* The kin map: bounded, so a fork storm cannot grow it without limit. */
#define NSTREE_KIN_MAX		65536
#define NSTREE_KIN_BITS		12
#define NSTREE_NSMAP_MAX	4096
#define NSTREE_NSMAP_BITS	6

/*
 * A process and its parent thread when last seen. The task pointers are
 * only valid while the entry exists: it goes at the release of the
 * process's leader, and follows the leader when an exec in another thread
 * replaces it (de_thread).
 */
struct nstree_kin {
	struct hlist_node by_child;
	struct hlist_node by_parent;
	const struct signal_struct *key;	/* the process */
	struct task_struct *child;		/* its leader */
	struct task_struct *parent;		/* compared, only read if live */
	bool adopted;				/* parent is not the forker */
};

/* Protects both tables and nstree_kin_count; taken before sub->lock. */
static DEFINE_SPINLOCK(nstree_kin_lock);
static DEFINE_HASHTABLE(nstree_kin_by_child, NSTREE_KIN_BITS);
static DEFINE_HASHTABLE(nstree_kin_by_parent, NSTREE_KIN_BITS);
static unsigned int nstree_kin_count;
static struct kmem_cache *nstree_kin_cache;

/*
 * PID namespaces created while someone subscribes, by inode: NS_DESTROYED
 * only has the inode number, and needs the namespace (still intact then)
 * to decide who may see it, and the subscribers that saw it born.
 */
struct nstree_nsent {
	struct hlist_node node;
	u32 inum;
	struct pid_namespace *ns;
	u64 subs;
};

/* Protects nstree_nsmap and nstree_nsmap_count. */
static DEFINE_SPINLOCK(nstree_nsmap_lock);
static DEFINE_HASHTABLE(nstree_nsmap, NSTREE_NSMAP_BITS);
static unsigned int nstree_nsmap_count;

static struct nstree_kin *nstree_kin_find_locked(const struct signal_struct *sig)
{
	struct nstree_kin *k;

	hash_for_each_possible(nstree_kin_by_child, k, by_child, (unsigned long)sig)
		if (k->key == sig)
			return k;
	return NULL;
}

static void nstree_kin_add_locked(struct task_struct *child,
				  struct task_struct *parent)
{
	struct nstree_kin *k;

	lockdep_assert_held(&nstree_kin_lock);
	if (nstree_kin_count >= NSTREE_KIN_MAX ||
	    nstree_kin_find_locked(child->signal))
		return;
	k = kmem_cache_alloc(nstree_kin_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!k)
		return;
	k->key = child->signal;
	k->child = child;
	k->parent = parent;
	k->adopted = false;
	hash_add(nstree_kin_by_child, &k->by_child, (unsigned long)k->key);
	hash_add(nstree_kin_by_parent, &k->by_parent, (unsigned long)parent);
	nstree_kin_count++;
}

static void nstree_kin_del_locked(struct nstree_kin *k)
{
	hash_del(&k->by_child);
	hash_del(&k->by_parent);
	nstree_kin_count--;
	kmem_cache_free(nstree_kin_cache, k);
}

static u32 nstree_reparent_reason(struct task_struct *np,
				  struct task_struct *op)
{
	if (same_thread_group(np, op))
		return NSTREE_REPARENT_THREAD;
	if (pid_alive(np) && is_child_reaper(task_tgid(np)))
		return NSTREE_REPARENT_NS_INIT;
	if (np->signal->is_child_subreaper)
		return NSTREE_REPARENT_SUBREAPER;
	return NSTREE_REPARENT_OTHER;
}

/*
 * Has the process of @k changed parent since last seen? Then it was
 * adopted: say so, and remember the new parent. The old parent is in
 * do_exit between exit_notify and the hooks that would have seen the
 * change otherwise (its release_task, proc_exit_connector), so it is still
 * there to name.
 * Context: rcu_read_lock(), nstree_kin_lock held.
 */
static void nstree_kin_check_locked(struct nstree_kin *k)
{
	struct task_struct *np = rcu_dereference(k->child->real_parent);
	struct task_struct *op = k->parent;
	struct nstree_ev_subject subj = {
		.task = k->child,
		.task_alt = op,
		.pid = task_tgid(k->child),
	};
	struct nstree_event *ev;
	u64 subs;

	lockdep_assert_held(&nstree_kin_lock);
	if (np == op)
		return;
	hash_del(&k->by_parent);
	k->parent = np;
	k->adopted = !same_thread_group(np, op) || k->adopted;
	hash_add(nstree_kin_by_parent, &k->by_parent, (unsigned long)np);

	subs = nstree_ev_match(NSTREE_EV_REPARENT, &subj, NULL);
	if (!subs)
		return;
	ev = nstree_ev_new(NSTREE_EV_REPARENT);
	if (ev) {
		nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, k->child, false);
		nstree_ev_set_proc(ev, NSTREE_ROLE_OLD_PARENT, op, true);
		nstree_ev_set_proc(ev, NSTREE_ROLE_PARENT, np, true);
		ev->reason = nstree_reparent_reason(np, op);
	}
	nstree_ev_queue(ev, subs);
}

/* The process of @t: bring its parent up to date before an event. */
static struct nstree_kin *nstree_kin_sync_locked(struct task_struct *t)
{
	struct nstree_kin *k = nstree_kin_find_locked(t->signal);

	if (k && k->child == t->group_leader)
		nstree_kin_check_locked(k);
	return k;
}

/* Tracepoint probes. */

static void nstree_probe_newtask(void *data, struct task_struct *task,
				 unsigned long clone_flags)
{
	bool thread = clone_flags & CLONE_THREAD;
	struct nstree_ev_subject subj = { .task = task };
	struct task_struct *parent;
	struct nstree_event *ev;
	unsigned long flags;
	u64 subs;

	if (!static_branch_unlikely(&nstree_ev_active))
		return;
	rcu_read_lock();
	/* A thread's real_parent is its process's parent: name the process. */
	parent = thread ? current : rcu_dereference(task->real_parent);
	if (!thread) {
		spin_lock_irqsave(&nstree_kin_lock, flags);
		nstree_kin_add_locked(task, parent);
		spin_unlock_irqrestore(&nstree_kin_lock, flags);
	}
	subj.pid = task_tgid(task);
	subs = nstree_ev_match(NSTREE_EV_FORK, &subj, NULL);
	if (subs) {
		ev = nstree_ev_new(NSTREE_EV_FORK);
		if (ev) {
			nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, task, thread);
			nstree_ev_set_proc(ev, NSTREE_ROLE_PARENT, parent, false);
			ev->clone_flags = clone_flags;
			ev->thread = thread;
			ev->ns_init = !thread && is_child_reaper(task_pid(task));
		}
		nstree_ev_queue(ev, subs);
	}
	rcu_read_unlock();
}

static void nstree_probe_exec(void *data, struct task_struct *p,
			      pid_t old_pid, struct linux_binprm *bprm)
{
	struct nstree_ev_subject subj = { .task = p };
	struct nstree_event *ev;
	struct nstree_kin *k;
	unsigned long flags;
	u64 subs;

	if (!static_branch_unlikely(&nstree_ev_active))
		return;
	rcu_read_lock();
	/* An exec in another thread made @p the leader: follow it. */
	spin_lock_irqsave(&nstree_kin_lock, flags);
	k = nstree_kin_find_locked(p->signal);
	if (k)
		k->child = p;
	spin_unlock_irqrestore(&nstree_kin_lock, flags);

	subj.pid = task_tgid(p);
	subs = nstree_ev_match(NSTREE_EV_EXEC, &subj, NULL);
	if (subs) {
		ev = nstree_ev_new(NSTREE_EV_EXEC);
		if (ev) {
			nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, p, false);
			ev->filename = kstrdup(bprm->filename,
					       GFP_ATOMIC | __GFP_NOWARN);
		}
		nstree_ev_queue(ev, subs);
	}
	rcu_read_unlock();
}

static void nstree_probe_exit(void *data, struct task_struct *p)
{
	struct nstree_ev_subject subj = { .task = p };
	struct nstree_event *ev;
	unsigned long flags;
	u64 subs;

	if (!static_branch_unlikely(&nstree_ev_active))
		return;
	rcu_read_lock();
	spin_lock_irqsave(&nstree_kin_lock, flags);
	nstree_kin_sync_locked(p);
	subj.pid = task_tgid(p);
	subs = nstree_ev_match(NSTREE_EV_EXIT, &subj, NULL);
	if (subs) {
		ev = nstree_ev_new(NSTREE_EV_EXIT);
		if (ev) {
			nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, p, true);
			ev->thread = !thread_group_leader(p);
			ev->exit_code = p->exit_code;
			/* do_exit counted this thread out just before. */
			ev->group_dead = !atomic_read(&p->signal->live);
		}
		nstree_ev_queue(ev, subs);
	}
	spin_unlock_irqrestore(&nstree_kin_lock, flags);
	rcu_read_unlock();
}

struct nstree_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct nstree_tp nstree_tps[] = {
	{ .name = "task_newtask",	.probe = nstree_probe_newtask },
	{ .name = "sched_process_exec",	.probe = nstree_probe_exec },
	{ .name = "sched_process_exit",	.probe = nstree_probe_exit },
};

static void nstree_tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nstree_tps); i++)
		if (!strcmp(tp->name, nstree_tps[i].name))
			nstree_tps[i].tp = tp;
}

/* Kprobes. */

/*
 * Who releases @p (current), and why. A namespace's init waiting for a
 * child it forked is a parent like any other; for one it adopted, it is
 * the namespace's init at work. With no record of @p (@k NULL: the map was
 * full), an init's reaping counts as the namespace's.
 */
static u32 nstree_reap_reason(struct task_struct *p,
			      const struct nstree_kin *k)
{
	if (same_thread_group(current, p))
		return NSTREE_REAP_SELF;
	if (!same_thread_group(current, rcu_dereference(p->real_parent)))
		return NSTREE_REAP_OTHER;
	if (is_child_reaper(task_tgid(current)) && (!k || k->adopted))
		return NSTREE_REAP_NS_INIT;
	return NSTREE_REAP_PARENT;
}

/*
 * An event of @type about process @p that also names @other in @role (as
 * a thread when @other_thread): matched, built and queued.
 */
static void nstree_emit_about(u32 type, struct task_struct *p,
			      enum nstree_ev_role role,
			      struct task_struct *other, bool other_thread,
			      u32 reason)
{
	struct nstree_ev_subject subj = { .task = p, .pid = task_tgid(p) };
	struct nstree_event *ev;
	u64 subs;

	subs = nstree_ev_match(type, &subj, NULL);
	if (!subs)
		return;
	ev = nstree_ev_new(type);
	if (ev) {
		nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, p, false);
		nstree_ev_set_proc(ev, role, other, other_thread);
		ev->reason = reason;
	}
	nstree_ev_queue(ev, subs);
}

static void nstree_emit_reap(struct task_struct *p, u32 reason)
{
	nstree_emit_about(NSTREE_EV_REAP, p, NSTREE_ROLE_REAPER, current, true,
			  reason);
}

/* Where did the children of @father go, now that it is past exit_notify? */
static void nstree_kin_orphans_locked(struct task_struct *father)
{
	struct hlist_node *tmp;
	struct nstree_kin *k;

	hash_for_each_possible_safe(nstree_kin_by_parent, k, tmp, by_parent,
				    (unsigned long)father)
		if (k->parent == father)
			nstree_kin_check_locked(k);
}

/*
 * release_task(p): current releases p, a thread or a whole process. p is
 * past exit_notify, so its children are with their new parents; and this
 * may be the last moment p has its PIDs (an exiting thread releases
 * itself before proc_exit_connector): report them now.
 */
static int nstree_kp_release(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *p = (void *)regs_get_kernel_argument(regs, 0);
	struct nstree_kin *k;
	unsigned long flags;

	if (!static_branch_unlikely(&nstree_ev_active))
		return 0;
	rcu_read_lock();
	spin_lock_irqsave(&nstree_kin_lock, flags);
	nstree_kin_orphans_locked(p);
	k = nstree_kin_find_locked(p->signal);
	if (!thread_group_leader(p)) {
		/* A thread, or a leader replaced by an exec (de_thread). */
		if (k && k->child == p)
			k->child = p->group_leader;
	} else {
		if (k)
			nstree_kin_check_locked(k);
		nstree_emit_reap(p, nstree_reap_reason(p, k));
		if (k)
			nstree_kin_del_locked(k);
	}
	spin_unlock_irqrestore(&nstree_kin_lock, flags);
	rcu_read_unlock();
	return 0;
}

/* Right after exit_notify: where did the exiting thread's children go? */
static int nstree_kp_exit_done(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long flags;

	if (!static_branch_unlikely(&nstree_ev_active))
		return 0;
	rcu_read_lock();
	spin_lock_irqsave(&nstree_kin_lock, flags);
	nstree_kin_orphans_locked(current);
	spin_unlock_irqrestore(&nstree_kin_lock, flags);
	rcu_read_unlock();
	return 0;
}

/* zap_pid_ns_processes(ns): current, the init, is exiting. */
static int nstree_kp_zap(struct kprobe *kp, struct pt_regs *regs)
{
	struct pid_namespace *ns = (void *)regs_get_kernel_argument(regs, 0);
	struct nstree_ev_subject subj = { .task = current };
	struct nstree_event *ev;
	struct task_struct *t;
	struct pid *pid;
	u32 count = 0;
	int nr = 2;
	u64 subs;

	if (!static_branch_unlikely(&nstree_ev_active))
		return 0;
	rcu_read_lock();
	subj.pid = task_tgid(current);
	subs = nstree_ev_match(NSTREE_EV_NS_INIT_EXIT, &subj, NULL);
	if (!subs)
		goto out;
	/*
	 * The live processes the kernel is about to kill, counted the way it
	 * finds them (every PID from 2 up), members of descendants included.
	 */
	while ((pid = find_ge_pid(nr, ns))) {
		t = pid_task(pid, PIDTYPE_TGID);
		if (t && atomic_read(&t->signal->live))
			count++;
		nr = pid_nr_ns(pid, ns) + 1;
	}
	ev = nstree_ev_new(NSTREE_EV_NS_INIT_EXIT);
	if (ev) {
		nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, current, false);
		ev->ns_inum = ns->ns.inum;
		ev->ns_level = ns->level;
		ev->count = count;
	}
	nstree_ev_queue(ev, subs);
out:
	rcu_read_unlock();
	return 0;
}

/* proc_free_inum(inum): the first thing destroy_pid_namespace does. */
static int nstree_kp_free_inum(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int inum = regs_get_kernel_argument(regs, 0);
	struct nstree_ev_subject subj = {};
	struct nstree_nsent *e, *found = NULL;
	struct nstree_event *ev;
	unsigned long flags;
	u64 subs;

	if (!static_branch_unlikely(&nstree_ev_active))
		return 0;
	spin_lock_irqsave(&nstree_nsmap_lock, flags);
	hash_for_each_possible(nstree_nsmap, e, node, inum)
		if (e->inum == inum) {
			found = e;
			hash_del(&e->node);
			nstree_nsmap_count--;
			break;
		}
	spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
	if (!found)
		return 0;

	rcu_read_lock();
	subj.ns = found->ns;
	subj.ns_subs = found->subs;
	subs = nstree_ev_match(NSTREE_EV_NS_DESTROYED, &subj, NULL);
	if (subs) {
		ev = nstree_ev_new(NSTREE_EV_NS_DESTROYED);
		if (ev) {
			ev->ns_inum = inum;
			ev->ns_level = found->ns->level;
		}
		nstree_ev_queue(ev, subs);
	}
	rcu_read_unlock();
	kfree(found);
	return 0;
}

static struct kprobe nstree_kp_release_task = {
	.symbol_name	= "release_task",
	.pre_handler	= nstree_kp_release,
};

static struct kprobe nstree_kp_exit_connector = {
	.symbol_name	= "proc_exit_connector",
	.pre_handler	= nstree_kp_exit_done,
};

static struct kprobe nstree_kp_zap_ns = {
	.symbol_name	= "zap_pid_ns_processes",
	.pre_handler	= nstree_kp_zap,
};

static struct kprobe nstree_kp_proc_free_inum = {
	.symbol_name	= "proc_free_inum",
	.pre_handler	= nstree_kp_free_inum,
};

static struct kprobe *nstree_kps[] = {
	&nstree_kp_release_task,
	&nstree_kp_exit_connector,
	&nstree_kp_zap_ns,
	&nstree_kp_proc_free_inum,
};

/* Kretprobes: the argument saved at entry, the result read at return. */

struct nstree_kret_data {
	void *arg;
};

static int nstree_krp_save_arg0(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct nstree_kret_data *d = (void *)ri->data;

	if (!static_branch_unlikely(&nstree_ev_active))
		return 1;	/* no return handler for this call */
	d->arg = (void *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static int nstree_krp_save_arg2(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct nstree_kret_data *d = (void *)ri->data;

	if (!static_branch_unlikely(&nstree_ev_active))
		return 1;
	d->arg = (void *)regs_get_kernel_argument(regs, 2);
	return 0;
}

/*
 * do_notify_parent(tsk, sig) returned whether tsk is autoreaped. Called
 * under tasklist_lock, by tsk itself in exit_notify, by its last thread in
 * release_task (the leader died first), or by an exiting parent handing a
 * zombie child to a new one (reparent_leader).
 */
static int nstree_krp_notify_parent(struct kretprobe_instance *ri,
				    struct pt_regs *regs)
{
	struct task_struct *tsk = ((struct nstree_kret_data *)ri->data)->arg;
	bool autoreap = regs_return_value(regs) & 1;
	bool first = same_thread_group(current, tsk);
	struct nstree_kin *k;
	unsigned long flags;

	if (!thread_group_leader(tsk) || tsk->exit_state != EXIT_ZOMBIE)
		return 0;
	rcu_read_lock();
	/* Tested again: the key may have gone off since the entry. */
	if (!static_branch_unlikely(&nstree_ev_active))
		goto out;
	spin_lock_irqsave(&nstree_kin_lock, flags);
	k = nstree_kin_sync_locked(tsk);
	/* A zombie handed to a new parent is no news, unless discarded. */
	if (first || autoreap)
		nstree_emit_about(autoreap ? NSTREE_EV_AUTOREAP :
					     NSTREE_EV_ZOMBIE, tsk,
				  NSTREE_ROLE_PARENT,
				  rcu_dereference(tsk->real_parent), false, 0);
	/*
	 * release_task releases such a leader itself (goto repeat), past
	 * the probe on its entry: report the release here.
	 */
	if (autoreap && first && current != tsk) {
		nstree_emit_reap(tsk, NSTREE_REAP_SELF);
		if (k)
			nstree_kin_del_locked(k);
	}
	spin_unlock_irqrestore(&nstree_kin_lock, flags);
out:
	rcu_read_unlock();
	return 0;
}

/* copy_pid_ns(flags, user_ns, old_ns): a new namespace when not old_ns. */
static int nstree_krp_copy_pid_ns(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct pid_namespace *old = ((struct nstree_kret_data *)ri->data)->arg;
	struct pid_namespace *ns = (void *)regs_return_value(regs);
	struct nstree_ev_subject subj = { .task = current, .ns = ns };
	struct nstree_nsent *e;
	struct nstree_event *ev;
	unsigned long flags;
	u64 subs, seen;

	if (IS_ERR_OR_NULL(ns) || ns == old)
		return 0;
	rcu_read_lock();
	/*
	 * copy_pid_ns sleeps: the last subscriber may have left meanwhile,
	 * and an entry added now would outlive its namespace. Tested inside
	 * the read-side section that nstree_hooks_stop() waits for.
	 */
	if (!static_branch_unlikely(&nstree_ev_active))
		goto out;
	subs = nstree_ev_match(NSTREE_EV_NS_CREATED, &subj, &seen);
	e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (e) {
		e->inum = ns->ns.inum;
		e->ns = ns;
		e->subs = seen;
		spin_lock_irqsave(&nstree_nsmap_lock, flags);
		if (nstree_nsmap_count < NSTREE_NSMAP_MAX) {
			hash_add(nstree_nsmap, &e->node, e->inum);
			nstree_nsmap_count++;
			e = NULL;
		}
		spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
		kfree(e);
	}
	if (subs) {
		ev = nstree_ev_new(NSTREE_EV_NS_CREATED);
		if (ev) {
			nstree_ev_set_proc(ev, NSTREE_ROLE_PROC, current, false);
			ev->ns_inum = ns->ns.inum;
			ev->ns_level = ns->level;
			ev->ns_parent_inum = old->ns.inum;
		}
		nstree_ev_queue(ev, subs);
	}
out:
	rcu_read_unlock();
	return 0;
}

static struct kretprobe nstree_krp_do_notify_parent = {
	.kp.symbol_name	= "do_notify_parent",
	.entry_handler	= nstree_krp_save_arg0,
	.handler	= nstree_krp_notify_parent,
	.data_size	= sizeof(struct nstree_kret_data),
};

static struct kretprobe nstree_krp_copy_pid_ns_probe = {
	.kp.symbol_name	= "copy_pid_ns",
	.entry_handler	= nstree_krp_save_arg2,
	.handler	= nstree_krp_copy_pid_ns,
	.data_size	= sizeof(struct nstree_kret_data),
};

static struct kretprobe *nstree_krps[] = {
	&nstree_krp_do_notify_parent,
	&nstree_krp_copy_pid_ns_probe,
};

/* Lifetime. */

/*
 * The first subscriber arrived (nstree_ev_active is on): learn the parent
 * of every process already there, so their adoptions are seen too. A
 * process already released (EXIT_DEAD set before release_task) is left
 * out, or its entry would outlive it. Context: process.
 */
void nstree_hooks_start(void)
{
	struct task_struct *p;
	unsigned long flags;

	rcu_read_lock();
	for_each_process(p) {
		spin_lock_irqsave(&nstree_kin_lock, flags);
		if (!(READ_ONCE(p->exit_state) & EXIT_DEAD) && pid_alive(p))
			nstree_kin_add_locked(p, rcu_dereference(p->real_parent));
		spin_unlock_irqrestore(&nstree_kin_lock, flags);
	}
	rcu_read_unlock();
}

/*
 * The last subscriber left and no hook runs any more (the key is off and
 * an RCU grace period passed): nothing is kept up to date, so forget all.
 */
void nstree_hooks_stop(void)
{
	struct hlist_node *tmp;
	struct nstree_nsent *e;
	struct nstree_kin *k;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&nstree_kin_lock, flags);
	hash_for_each_safe(nstree_kin_by_child, bkt, tmp, k, by_child)
		nstree_kin_del_locked(k);
	spin_unlock_irqrestore(&nstree_kin_lock, flags);

	spin_lock_irqsave(&nstree_nsmap_lock, flags);
	hash_for_each_safe(nstree_nsmap, bkt, tmp, e, node) {
		hash_del(&e->node);
		kfree(e);
	}
	nstree_nsmap_count = 0;
	spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
}

/* Subscriber @id is gone: its bit may soon name another. */
void nstree_hooks_forget_sub(unsigned int id)
{
	struct nstree_nsent *e;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&nstree_nsmap_lock, flags);
	hash_for_each(nstree_nsmap, bkt, e, node)
		e->subs &= ~BIT_ULL(id);
	spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
}

int __init nstree_hooks_init(void)
{
	int i, err;

	nstree_kin_cache = KMEM_CACHE(nstree_kin, 0);
	if (!nstree_kin_cache)
		return -ENOMEM;

	for_each_kernel_tracepoint(nstree_tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(nstree_tps); i++) {
		if (!nstree_tps[i].tp) {
			pr_err("no tracepoint %s\n", nstree_tps[i].name);
			err = -ENOENT;
			goto err_unregister_tps;
		}
		err = tracepoint_probe_register(nstree_tps[i].tp,
						nstree_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       nstree_tps[i].name, err);
			goto err_unregister_tps;
		}
	}

	err = register_kprobes(nstree_kps, ARRAY_SIZE(nstree_kps));
	if (err) {
		pr_err("cannot register the kprobes: %d\n", err);
		goto err_unregister_tps;
	}
	err = register_kretprobes(nstree_krps, ARRAY_SIZE(nstree_krps));
	if (err) {
		pr_err("cannot register the kretprobes: %d\n", err);
		goto err_unregister_kps;
	}
	return 0;

err_unregister_kps:
	unregister_kprobes(nstree_kps, ARRAY_SIZE(nstree_kps));
err_unregister_tps:
	while (--i >= 0)
		tracepoint_probe_unregister(nstree_tps[i].tp,
					    nstree_tps[i].probe, NULL);
	tracepoint_synchronize_unregister();
	kmem_cache_destroy(nstree_kin_cache);
	return err;
}

/* Detach everything; no probe runs once this returns. */
void nstree_hooks_exit(void)
{
	int i;

	/* These wait for running handlers (synchronize_rcu). */
	unregister_kretprobes(nstree_krps, ARRAY_SIZE(nstree_krps));
	unregister_kprobes(nstree_kps, ARRAY_SIZE(nstree_kps));
	for (i = 0; i < ARRAY_SIZE(nstree_tps); i++)
		tracepoint_probe_unregister(nstree_tps[i].tp,
					    nstree_tps[i].probe, NULL);
	tracepoint_synchronize_unregister();
	nstree_hooks_stop();
	kmem_cache_destroy(nstree_kin_cache);
}
