// SPDX-License-Identifier: GPL-2.0
/*
 * Tracking state, kept while the hooks are registered (from the first
 * subscriber to the last): what the kernel does not tell a module when it
 * happens.
 *
 * Reparenting has no hook: exit_notify() moves the children under
 * tasklist_lock, which a module cannot take. So each process gets a "kin"
 * entry with its parent thread as last seen, compared with real_parent
 * after every exit_notify() and before every other event about it; a
 * difference is a REPARENT. An entry holds references on the struct pids
 * it names (never a bare task or signal_struct pointer), so an entry that
 * outlives its process is a bounded leak until the last subscriber
 * leaves, never a use after free. Entries go when the process's leader is
 * released, in posix_cpu_timers_exit(): release_task() calls it (from
 * __exit_signal(), just before __unhash_process()) once for every task it
 * releases, including the leader it releases itself through "goto
 * repeat" without a second entry.
 *
 * PID namespaces born while watched are kept by inode number, with the
 * subscribers told of their birth, so that NS_DESTROYED (whose hook only
 * has the number) reaches the same ones.
 *
 * Everything here runs in hook context: the entries come from pools
 * allocated when tracking starts, the locks are raw spinlocks, and the
 * references an entry held are dropped by a work item one RCU grace period
 * after the entry was retired.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "nstree.h"
#include "nstree_event.h"

/*
 * Bounded, so a fork storm cannot grow them: see "Limits" in the docs.
 * Read-only parameters, so that a test can fill them: the pools are
 * sized from them with each first subscriber.
 */
static unsigned int kin_max = 65536;
module_param(kin_max, uint, 0444);
MODULE_PARM_DESC(kin_max,
		 "Processes tracked for REPARENT, 16 to 1048576 (default 65536)");
static unsigned int nsmap_max = 4096;
module_param(nsmap_max, uint, 0444);
MODULE_PARM_DESC(nsmap_max,
		 "PID namespaces tracked for NS_DESTROYED, 16 to 65536 (default 4096)");
#define NSTREE_KIN_BITS		14
#define NSTREE_NSMAP_BITS	10
/* Orphans compared in one hold of nstree_kin_lock. */
#define NSTREE_KIN_BATCH	32
/* PIDs looked at per RCU read-side section when learning the processes. */
#define NSTREE_SCAN_BATCH	256
/* PIDs counted, at most, for NS_INIT_EXIT. */
#define NSTREE_ZAP_COUNT_MAX	65536

/*
 * A process and its parent thread when last seen. @pid, @parent and
 * @parent_tgid are held references; @task too, when set (from the moment
 * its release is known to be near). @sig is the process's signal_struct,
 * compared and never dereferenced.
 */
struct nstree_kin {
	struct hlist_node by_child;	/* keyed by @pid */
	struct hlist_node by_parent;	/* keyed by @parent */
	struct llist_node retired;	/* in nstree_kin_graveyard */
	struct nstree_kin *next_free;
	struct pid *pid;
	struct pid *parent;
	struct pid *parent_tgid;
	struct task_struct *task;
	const void *sig;
	char comm[TASK_COMM_LEN];	/* its name when it died */
	char parent_comm[TASK_COMM_LEN];
	u32 reap_reason;		/* 0: none known */
	bool released;			/* release_task() of its leader seen */
	bool adopted;			/* parent is not the forker */
	bool learnt;			/* there before tracking: origin unknown */
};

/* Protects the tables, the free list and the pool's existence. */
static DEFINE_RAW_SPINLOCK(nstree_kin_lock);
static DEFINE_HASHTABLE(nstree_kin_by_child, NSTREE_KIN_BITS);
static DEFINE_HASHTABLE(nstree_kin_by_parent, NSTREE_KIN_BITS);
static struct nstree_kin *nstree_kin_pool;
static struct nstree_kin *nstree_kin_free;
static LLIST_HEAD(nstree_kin_graveyard);

struct nstree_nsent {
	struct hlist_node node;
	struct nstree_nsent *next_free;
	u32 inum;
	u32 level;
	DECLARE_BITMAP(subs, NSTREE_SUB_SLOTS);
};

/* Protects nstree_nsmap and its free list. */
static DEFINE_RAW_SPINLOCK(nstree_nsmap_lock);
static DEFINE_HASHTABLE(nstree_nsmap, NSTREE_NSMAP_BITS);
static struct nstree_nsent *nstree_nsmap_pool;
static struct nstree_nsent *nstree_nsmap_free;

/* Kin entries. */

static struct nstree_kin *nstree_kin_find_locked(const struct pid *pid)
{
	struct nstree_kin *k;

	hash_for_each_possible(nstree_kin_by_child, k, by_child,
			       (unsigned long)pid)
		if (k->pid == pid)
			return k;
	return NULL;
}

/*
 * A new entry for the process of @pid whose parent thread is @parent.
 * NULL when the pool is spent. Context: nstree_kin_lock, rcu_read_lock().
 */
static struct nstree_kin *nstree_kin_new_locked(struct pid *pid,
						struct task_struct *parent,
						const void *sig)
{
	struct nstree_kin *k = nstree_kin_free;

	lockdep_assert_held(&nstree_kin_lock);
	if (!k)
		return NULL;
	nstree_kin_free = k->next_free;
	k->pid = get_pid(pid);
	k->parent = get_pid(task_pid(parent));
	k->parent_tgid = get_pid(task_tgid(parent));
	k->task = NULL;
	k->sig = sig;
	k->comm[0] = '\0';
	strscpy_pad(k->parent_comm, parent->comm, sizeof(k->parent_comm));
	k->reap_reason = 0;
	k->released = false;
	k->adopted = false;
	k->learnt = false;
	hash_add(nstree_kin_by_child, &k->by_child, (unsigned long)k->pid);
	hash_add(nstree_kin_by_parent, &k->by_parent, (unsigned long)k->parent);
	return k;
}

static void nstree_kin_graveyard_fn(struct work_struct *work);
static DECLARE_WORK(nstree_kin_graveyard_work, nstree_kin_graveyard_fn);

/* Out of the tables; its references go after a grace period. */
static void nstree_kin_retire_locked(struct nstree_kin *k)
{
	lockdep_assert_held(&nstree_kin_lock);
	hash_del(&k->by_child);
	hash_del(&k->by_parent);
	llist_add(&k->retired, &nstree_kin_graveyard);
	queue_work(system_unbound_wq, &nstree_kin_graveyard_work);
}

/*
 * Retired entries: wait until no hook can still be using what they named,
 * drop their references (which may free a PID namespace: process context
 * only) and give them back to the pool.
 */
static void nstree_kin_graveyard_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&nstree_kin_graveyard);
	struct nstree_kin *k, *next;
	unsigned long flags;

	if (!list)
		return;
	synchronize_rcu();
	llist_for_each_entry_safe(k, next, list, retired) {
		put_pid(k->pid);
		put_pid(k->parent);
		put_pid(k->parent_tgid);
		if (k->task)
			put_task_struct(k->task);
		raw_spin_lock_irqsave(&nstree_kin_lock, flags);
		k->next_free = nstree_kin_free;
		nstree_kin_free = k;
		raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
	}
}

/*
 * The entries of the last processes that released themselves, out of the
 * tables. In exit_notify() a process that is autoreaped releases itself
 * first, then the zombie children it handed to a parent that discards
 * them: by then it has no PID left, and the REAPs of those children name
 * it through its entry here. The entry goes as soon as that loop is over
 * (nstree_track_exit_done()), so it pins its PIDs and their namespaces no
 * longer than the kernel's own release of them. Context: nstree_kin_lock.
 */
#define NSTREE_SELF_GONE	8
static struct nstree_kin *nstree_self_gone[NSTREE_SELF_GONE];
static unsigned int nstree_self_gone_next;

static void nstree_kin_park_locked(struct nstree_kin *k)
{
	struct nstree_kin *old = nstree_self_gone[nstree_self_gone_next];

	hash_del(&k->by_child);
	hash_del(&k->by_parent);
	nstree_self_gone[nstree_self_gone_next] = k;
	nstree_self_gone_next = (nstree_self_gone_next + 1) % NSTREE_SELF_GONE;
	if (old)
		nstree_kin_retire_locked(old);
}

/* Retire the parked entries of @sig's process, or all with NULL. */
static void nstree_self_gone_clear_locked(const void *sig)
{
	int i;

	for (i = 0; i < NSTREE_SELF_GONE; i++) {
		if (!nstree_self_gone[i] ||
		    (sig && nstree_self_gone[i]->sig != sig))
			continue;
		nstree_kin_retire_locked(nstree_self_gone[i]);
		nstree_self_gone[i] = NULL;
	}
}

/* Current, releasing a task: its PIDs, or its entry's once it has none. */
static struct nstree_ev_proc nstree_reaper_locked(void)
{
	struct nstree_ev_proc r = {
		.pid = task_tgid(current), .tid = task_pid(current),
		.comm = current->comm };
	int i;

	lockdep_assert_held(&nstree_kin_lock);
	for (i = 0; !r.pid && i < NSTREE_SELF_GONE; i++)
		if (nstree_self_gone[i] &&
		    nstree_self_gone[i]->sig == current->signal)
			r.pid = nstree_self_gone[i]->pid;
	return r;
}

/* Publish, about the process @t, an event that could not be tracked. */
static void nstree_kin_lost(struct task_struct *t, u32 type)
{
	struct nstree_ev_subject subj = { .task = t, .pid = task_tgid(t) };
	struct nstree_ev ev = { .type = type, .lost = true };

	nstree_publish(&ev, &subj, NULL);
}

static u32 nstree_reparent_reason(struct task_struct *np, bool same_process)
{
	if (same_process)
		return NSTREE_REPARENT_THREAD;
	if (is_child_reaper(task_tgid(np)))
		return NSTREE_REPARENT_NS_INIT;
	if (np->signal->is_child_subreaper)
		return NSTREE_REPARENT_SUBREAPER;
	return NSTREE_REPARENT_OTHER;
}

/*
 * Has the process of @k changed parent since last seen? Then it was
 * adopted: say so, and put a new entry with the new parent in @k's place.
 * Returns the entry that now stands for the process, NULL if none could
 * (the pool is spent: the process is no longer tracked, which counts as a
 * lost event). @memo, if not NULL, keeps the subtree filters' answers
 * from one orphan to the next. Context: nstree_kin_lock, rcu_read_lock().
 */
static struct nstree_kin *
nstree_kin_check_locked(struct nstree_kin *k, struct nstree_subtree_memo *memo)
{
	struct task_struct *t = pid_task(k->pid, PIDTYPE_TGID);
	struct nstree_ev ev = { .type = NSTREE_EV_REPARENT };
	struct nstree_ev_subject subj = { .pid = k->pid, .memo = memo };
	struct task_struct *np, *op;
	struct nstree_kin *nk;
	bool same;

	if (!t)
		return k;
	np = rcu_dereference(t->real_parent);
	if (!pid_alive(np) || task_pid(np) == k->parent)
		return k;
	op = pid_task(k->parent, PIDTYPE_PID);
	same = task_tgid(np) == k->parent_tgid;

	ev.proc[NSTREE_ROLE_PROC] = (struct nstree_ev_proc){
		.pid = k->pid, .comm = t->comm };
	ev.proc[NSTREE_ROLE_OLD_PARENT] = (struct nstree_ev_proc){
		.pid = k->parent_tgid, .tid = k->parent,
		.comm = op ? op->comm : k->parent_comm };
	ev.proc[NSTREE_ROLE_PARENT] = (struct nstree_ev_proc){
		.pid = task_tgid(np), .tid = task_pid(np), .comm = np->comm };
	ev.reason = nstree_reparent_reason(np, same);
	subj.task = t;
	subj.task_alt = op;
	nstree_publish(&ev, &subj, NULL);

	nk = nstree_kin_new_locked(k->pid, np, k->sig);
	if (nk) {
		nk->adopted = !same || k->adopted;
		/* Still unknown when another thread of its parent took it. */
		nk->learnt = same && k->learnt;
		memcpy(nk->comm, k->comm, sizeof(nk->comm));
		swap(nk->task, k->task);
	} else {
		nstree_kin_lost(t, NSTREE_EV_REPARENT);
	}
	nstree_kin_retire_locked(k);
	return nk;
}

/* The entry of @p's process, brought up to date. */
static struct nstree_kin *nstree_kin_sync_locked(struct task_struct *p)
{
	struct nstree_kin *k = nstree_kin_find_locked(task_tgid(p));

	return k ? nstree_kin_check_locked(k, NULL) : NULL;
}

/* Hook side. Context for all: rcu_read_lock(), no nstree lock held. */

/* A new process @task: track it. */
void nstree_track_fork(struct task_struct *task)
{
	struct task_struct *parent;
	unsigned long flags;
	bool lost = false;

	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	if (!nstree_kin_find_locked(task_tgid(task))) {
		/* Read under the lock: with CLONE_PARENT it may move. */
		parent = rcu_dereference(task->real_parent);
		lost = !nstree_kin_new_locked(task_tgid(task), parent,
					      task->signal);
	}
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
	if (lost)
		nstree_kin_lost(task, NSTREE_EV_REPARENT);
}

/* Before an event about @p: its REPARENT first, if it has one. */
void nstree_track_sync(struct task_struct *p)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	nstree_kin_sync_locked(p);
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
}

/*
 * @father is past exit_notify(): where did its children go? Compared a
 * batch at a time, so the lock is never held for a whole large family.
 */
void nstree_track_orphans(struct task_struct *father)
{
	struct pid *fpid = task_pid(father);
	struct nstree_subtree_memo memo = { };
	struct hlist_node *tmp;
	struct nstree_kin *k;
	unsigned long flags;
	int done;

	if (!fpid)
		return;
	do {
		done = 0;
		raw_spin_lock_irqsave(&nstree_kin_lock, flags);
		hash_for_each_possible_safe(nstree_kin_by_parent, k, tmp,
					    by_parent, (unsigned long)fpid) {
			if (k->parent != fpid)
				continue;
			/*
			 * A child still with @father (it has not run
			 * exit_notify yet: a thread's orphans are the
			 * process's) stays and is not counted.
			 */
			if (nstree_kin_check_locked(k, &memo) == k)
				continue;
			if (++done == NSTREE_KIN_BATCH)
				break;
		}
		raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
	} while (done == NSTREE_KIN_BATCH);
}

/*
 * proc_exit_connector(): current is past exit_notify(), and past the
 * release of what it autoreaped there, itself included.
 */
void nstree_track_exit_done(void)
{
	unsigned long flags;

	nstree_track_orphans(current);
	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	nstree_self_gone_clear_locked(current->signal);
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
}

/*
 * Who releases @p (current), and why; 0 when the module cannot know. A
 * namespace's init waiting for a child it forked is a parent like any
 * other; for one it adopted, it is the namespace's init at work.
 */
static u32 nstree_reap_reason(struct task_struct *p, const struct nstree_kin *k)
{
	bool init;

	if (same_thread_group(current, p))
		return NSTREE_REAP_SELF;
	if (!same_thread_group(current, rcu_dereference(p->real_parent)))
		return NSTREE_REAP_OTHER;
	init = is_child_reaper(task_tgid(current));
	/* Adopted: by its namespace's init, or else by a subreaper. */
	if (k && k->adopted)
		return init ? NSTREE_REAP_NS_INIT : NSTREE_REAP_SUBREAPER;
	if (k && !k->learnt)
		return NSTREE_REAP_PARENT;
	/*
	 * Untracked, or there before tracking began: the kernel keeps no
	 * record of who forked it, and a parent is always older than its
	 * child, adopted or not (an orphan goes to an ancestor, the init of
	 * its parent's namespace or a thread of the same process). Only an
	 * init or a subreaper adopts another process's orphan: anyone else
	 * is its parent. For those two it could be either.
	 */
	if (!init && !current->signal->is_child_subreaper)
		return NSTREE_REAP_PARENT;
	return 0;
}

/*
 * Publish REAP of the process of @pid, named @comm, by current, whose
 * PIDs are @reaper (current's own, unless it released itself).
 */
static void nstree_emit_reap(struct pid *pid, const char *comm,
			     struct task_struct *task, u32 reason,
			     struct nstree_ev_proc reaper)
{
	struct nstree_ev ev = { .type = NSTREE_EV_REAP, .reason = reason };
	struct nstree_ev_subject subj = { .task = task, .pid = pid };

	ev.proc[NSTREE_ROLE_PROC] = (struct nstree_ev_proc){
		.pid = pid, .comm = comm };
	ev.proc[NSTREE_ROLE_REAPER] = reaper;
	nstree_publish(&ev, &subj, NULL);
}

/*
 * release_task(p) begins: p is past exit_notify(), so its children are
 * with their new parents. For a leader, note who releases it and why; the
 * REAP itself goes out from nstree_track_unhash(). An untracked process's
 * REAP goes out now, while it still has its PIDs.
 */
void nstree_track_release(struct task_struct *p)
{
	struct nstree_kin *k;
	unsigned long flags;

	nstree_track_orphans(p);
	if (!thread_group_leader(p))
		return;
	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	k = nstree_kin_sync_locked(p);
	if (k) {
		k->reap_reason = nstree_reap_reason(p, k);
		k->released = true;
		strscpy_pad(k->comm, p->comm, sizeof(k->comm));
		if (!k->task)
			k->task = get_task_struct(p);
	} else {
		nstree_emit_reap(task_tgid(p), p->comm, p,
				 nstree_reap_reason(p, NULL),
				 nstree_reaper_locked());
	}
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
}

/*
 * posix_cpu_timers_exit(task), @pid being the task's: release_task() is
 * releasing it, under tasklist_lock, its PIDs still attached. For a
 * tracked process's leader, that is the REAP.
 */
void nstree_track_unhash(struct pid *pid)
{
	struct nstree_ev_proc reaper;
	struct nstree_kin *k;
	unsigned long flags;
	bool self;

	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	k = nstree_kin_find_locked(pid);
	if (k) {
		reaper = nstree_reaper_locked();
		/* Released through "goto repeat": its last thread or a tracer. */
		if (!k->released)
			k->reap_reason = current->signal == k->sig ?
					 NSTREE_REAP_SELF : NSTREE_REAP_OTHER;
		/*
		 * A process that releases itself: the one being released,
		 * or its last thread (which has no PID left by now).
		 */
		self = current->signal == k->sig;
		if (self) {
			reaper.pid = k->pid;
			reaper.tid = current == k->task ? pid : NULL;
		}
		nstree_emit_reap(pid, k->comm, k->task, k->reap_reason, reaper);
		if (self)
			nstree_kin_park_locked(k);
		else
			nstree_kin_retire_locked(k);
	}
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
}

/*
 * do_notify_parent(tsk) returned @autoreap, under tasklist_lock. ZOMBIE or
 * AUTOREAP says the kernel told tsk's real parent that the whole process
 * is dead, which it does once the last thread is gone (a traced leader
 * with live threads notifies its tracer: delay_group_leader()): from the
 * leader's exit_notify(), from release_task() of its last thread, when a
 * tracer detaches from it or reaps it (the real parent is told then), and
 * again from reparent_leader() when an exiting parent hands the zombie to
 * a new one. A notice to a tracer that is not the real parent is not one:
 * the real parent hears later, and may discard the zombie (AUTOREAP).
 */
void nstree_track_zombie(struct task_struct *tsk, bool autoreap)
{
	struct nstree_ev_subject subj = { .task = tsk, .pid = task_tgid(tsk) };
	struct nstree_ev ev = {
		.type = autoreap ? NSTREE_EV_AUTOREAP : NSTREE_EV_ZOMBIE,
	};
	struct task_struct *parent;
	struct nstree_kin *k;
	unsigned long flags;

	/* EXIT_TRACE: wait_task_zombie() of a tracer, telling the parent. */
	if (!thread_group_leader(tsk) || !(tsk->exit_state & EXIT_ZOMBIE) ||
	    !thread_group_empty(tsk))
		return;
	/*
	 * In exit_notify(), forget_original_parent() has just moved tsk's
	 * children, under the same tasklist_lock: their REPARENT comes
	 * first, as in the kernel. The kernel walked every child there too.
	 */
	if (tsk == current)
		nstree_track_orphans(tsk);
	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	k = nstree_kin_sync_locked(tsk);
	/* ptrace_reparented(), without its plain reads of __rcu pointers. */
	parent = rcu_dereference(tsk->real_parent);
	if (same_thread_group(parent, rcu_dereference(tsk->parent))) {
		ev.proc[NSTREE_ROLE_PROC] = (struct nstree_ev_proc){
			.pid = task_tgid(tsk), .comm = tsk->comm };
		ev.proc[NSTREE_ROLE_PARENT] = (struct nstree_ev_proc){
			.pid = task_tgid(parent), .comm = parent->comm };
		nstree_publish(&ev, &subj, NULL);
	}
	if (k) {
		strscpy_pad(k->comm, tsk->comm, sizeof(k->comm));
		/* Its release may come without release_task's entry. */
		if (autoreap && !k->task)
			k->task = get_task_struct(tsk);
	}
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
}

/* Namespaces. */

static struct nstree_nsent *nstree_nsent_find_locked(u32 inum)
{
	struct nstree_nsent *e;

	hash_for_each_possible(nstree_nsmap, e, node, inum)
		if (e->inum == inum)
			return e;
	return NULL;
}

/*
 * @ns was born, and the subscribers in @seen were told. An entry left by
 * an earlier object with the same inode number is replaced. When no one
 * was told or the map is full, nothing is kept: NS_DESTROYED is only for
 * those who had NS_CREATED (a full map costs them a lost event).
 */
void nstree_track_ns_created(struct pid_namespace *ns, const unsigned long *seen)
{
	struct nstree_nsent *e;
	unsigned long flags;

	if (bitmap_empty(seen, NSTREE_SUB_SLOTS))
		return;
	raw_spin_lock_irqsave(&nstree_nsmap_lock, flags);
	e = nstree_nsent_find_locked(ns->ns.inum);
	if (!e && nstree_nsmap_free) {
		e = nstree_nsmap_free;
		nstree_nsmap_free = e->next_free;
		e->inum = ns->ns.inum;
		hash_add(nstree_nsmap, &e->node, e->inum);
	}
	if (e) {
		e->level = ns->level;
		bitmap_copy(e->subs, seen, NSTREE_SUB_SLOTS);
	}
	raw_spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
	if (!e) {
		struct nstree_ev ev = { .type = NSTREE_EV_NS_DESTROYED, .lost = true };
		struct nstree_ev_subject subj = { .ns_subs = seen };

		nstree_publish(&ev, &subj, NULL);
	}
}

/* proc_free_inum(inum): destroy_pid_namespace() frees its number first. */
void nstree_track_ns_freed(unsigned int inum, u64 id)
{
	struct nstree_ev ev = {
		.type = NSTREE_EV_NS_DESTROYED, .ns_inum = inum, .ns_id = id,
	};
	DECLARE_BITMAP(subs, NSTREE_SUB_SLOTS);
	struct nstree_ev_subject subj = { .ns_subs = subs };
	struct nstree_nsent *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&nstree_nsmap_lock, flags);
	e = nstree_nsent_find_locked(inum);
	if (e) {
		hash_del(&e->node);
		ev.ns_level = e->level;
		bitmap_copy(subs, e->subs, NSTREE_SUB_SLOTS);
		e->next_free = nstree_nsmap_free;
		nstree_nsmap_free = e;
	}
	raw_spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
	if (e)
		nstree_publish(&ev, &subj, NULL);
}

/* Subscriber slot @slot is gone: it may soon name another. Process context. */
void nstree_track_forget_sub(unsigned int slot)
{
	struct nstree_nsent *e;
	unsigned long flags;
	int bkt;

	raw_spin_lock_irqsave(&nstree_nsmap_lock, flags);
	hash_for_each(nstree_nsmap, bkt, e, node)
		__clear_bit(slot, e->subs);
	raw_spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
}

/* Lifetime. Context: process, with the hooks not (yet, or any more) running. */

/*
 * After the hooks are registered: learn the parent of every process
 * already there, so their adoptions are seen too; a PID cursor, so RCU is
 * dropped every few hundred. A process forked meanwhile is learnt once.
 */
void nstree_track_learn(void)
{
	struct nstree_kin *k;
	struct task_struct *t;
	unsigned long flags;
	struct pid *pid;
	int nr = 1, n;

	do {
		rcu_read_lock();
		for (n = 0; n < NSTREE_SCAN_BATCH; n++) {
			pid = find_ge_pid(nr, &init_pid_ns);
			if (!pid)
				break;
			nr = pid_nr(pid) + 1;
			t = pid_task(pid, PIDTYPE_TGID);
			if (!t || (READ_ONCE(t->exit_state) & EXIT_DEAD))
				continue;
			raw_spin_lock_irqsave(&nstree_kin_lock, flags);
			if (!nstree_kin_find_locked(pid)) {
				k = nstree_kin_new_locked(pid,
							  rcu_dereference(t->real_parent),
							  t->signal);
				if (k)
					k->learnt = true;
			}
			raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
		}
		rcu_read_unlock();
		cond_resched();
	} while (pid);
}

static void nstree_track_free_pools(void)
{
	vfree(nstree_kin_pool);
	vfree(nstree_nsmap_pool);
	nstree_kin_pool = NULL;
	nstree_nsmap_pool = NULL;
	nstree_kin_free = NULL;
	nstree_nsmap_free = NULL;
}

/* At load: the parameters the pools will be sized from. */
int __init nstree_track_init(void)
{
	if (kin_max < 16 || kin_max > 1048576) {
		pr_err("kin_max=%u: not in 16 to 1048576\n", kin_max);
		return -EINVAL;
	}
	if (nsmap_max < 16 || nsmap_max > 65536) {
		pr_err("nsmap_max=%u: not in 16 to 65536\n", nsmap_max);
		return -EINVAL;
	}
	return 0;
}

/* Before the hooks are registered: the pools. */
int nstree_track_start(void)
{
	int i;

	nstree_kin_pool = vzalloc(array_size(kin_max,
					     sizeof(*nstree_kin_pool)));
	nstree_nsmap_pool = vzalloc(array_size(nsmap_max,
					       sizeof(*nstree_nsmap_pool)));
	if (!nstree_kin_pool || !nstree_nsmap_pool) {
		nstree_track_free_pools();
		return -ENOMEM;
	}
	for (i = kin_max - 1; i >= 0; i--) {
		nstree_kin_pool[i].next_free = nstree_kin_free;
		nstree_kin_free = &nstree_kin_pool[i];
	}
	for (i = nsmap_max - 1; i >= 0; i--) {
		nstree_nsmap_pool[i].next_free = nstree_nsmap_free;
		nstree_nsmap_free = &nstree_nsmap_pool[i];
	}
	return 0;
}

/*
 * No hook runs any more: nothing is kept up to date, so forget it all.
 * Entries are retired in batches, the lock dropped in between.
 */
void nstree_track_stop(void)
{
	struct hlist_node *tmp;
	struct nstree_nsent *e;
	struct nstree_kin *k;
	unsigned long flags;
	int bkt, n;

	raw_spin_lock_irqsave(&nstree_kin_lock, flags);
	nstree_self_gone_clear_locked(NULL);
	raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
	do {
		n = 0;
		raw_spin_lock_irqsave(&nstree_kin_lock, flags);
		hash_for_each_safe(nstree_kin_by_child, bkt, tmp, k, by_child) {
			nstree_kin_retire_locked(k);
			if (++n == NSTREE_SCAN_BATCH)
				break;
		}
		raw_spin_unlock_irqrestore(&nstree_kin_lock, flags);
		cond_resched();
	} while (n == NSTREE_SCAN_BATCH);
	/* Waits for the last instance queued, so the graveyard is empty. */
	flush_work(&nstree_kin_graveyard_work);

	raw_spin_lock_irqsave(&nstree_nsmap_lock, flags);
	hash_for_each_safe(nstree_nsmap, bkt, tmp, e, node)
		hash_del(&e->node);
	raw_spin_unlock_irqrestore(&nstree_nsmap_lock, flags);
	nstree_track_free_pools();
}

/*
 * zap_pid_ns_processes(ns) begins, in the dying init (current): the live
 * processes the kernel is about to kill, counted the way it finds them
 * (every PID from 2 up, members of descendants included), up to a bound.
 */
u32 nstree_track_zap_count(struct pid_namespace *ns)
{
	struct task_struct *t;
	struct pid *pid;
	u32 count = 0;
	int nr = 2, n;

	for (n = 0; n < NSTREE_ZAP_COUNT_MAX; n++) {
		pid = find_ge_pid(nr, ns);
		if (!pid)
			break;
		t = pid_task(pid, PIDTYPE_TGID);
		if (t && atomic_read(&t->signal->live))
			count++;
		nr = pid_nr_ns(pid, ns) + 1;
	}
	return count;
}
