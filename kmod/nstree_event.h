/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event stream inside the module, one way through four stages:
 *
 *   nstree_hooks.c   kernel hooks: tracepoints, kprobes, a kretprobe,
 *                    registered only while someone subscribes
 *   nstree_track.c   tracking state: each process's parent as last seen
 *                    (for REPARENT) and the PID namespaces born while
 *                    watched (for NS_DESTROYED)
 *   nstree_queue.c   subscribers, their filters, their limits, and one
 *                    preallocated record ring each
 *   nstree_send.c    the worker that turns records into netlink messages
 *
 * A hook describes an event on its stack (struct nstree_ev) and hands it
 * to nstree_publish(), which copies it, translated into each interested
 * subscriber's PID namespace, into that subscriber's ring. Nothing in hook
 * context allocates memory, sleeps or takes a sleeping lock, so the same
 * code is valid on PREEMPT_RT; nothing a hook leaves behind holds a task
 * or a signal_struct without a reference.
 */
#ifndef _NSTREE_EVENT_H
#define _NSTREE_EVENT_H

#include <linux/bitops.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/types.h>

/*
 * Subscriber slots: a subscriber is one bit of a slot bitmap. Callers
 * without CAP_SYS_ADMIN in the initial user namespace may hold all but
 * NSTREE_SUB_RESERVED of them, so root on the host can always subscribe.
 */
#define NSTREE_SUB_SLOTS	256
#define NSTREE_SUB_RESERVED	32

/* The processes an event names, each sent as an NSTREE_A_EV_* nest. */
enum nstree_ev_role {
	NSTREE_ROLE_PROC,
	NSTREE_ROLE_PARENT,
	NSTREE_ROLE_OLD_PARENT,
	NSTREE_ROLE_REAPER,
	NSTREE_ROLE_MAX
};

/*
 * A process as an event names it: @pid its thread group's, @tid the
 * thread's when the event is about one, @comm its name. Only valid for
 * the duration of the nstree_publish() call that carries it.
 */
struct nstree_ev_proc {
	struct pid *pid;
	struct pid *tid;
	const char *comm;
};

/*
 * One event, built on a hook's stack. @lost: it could not be built or
 * tracked, and only counts as lost for those who would have had it.
 */
struct nstree_ev {
	u32 type;
	bool lost;
	u32 reason;
	u32 exit_code;
	u32 count;
	u64 clone_flags;
	bool thread;
	bool ns_init;
	bool group_dead;
	u32 ns_inum;
	u32 ns_level;		/* absolute depth of the namespace */
	u32 ns_parent_inum;
	u64 ns_id;		/* nstree_nsid.c; 0: none */
	u64 ns_parent_id;
	const char *filename;
	struct nstree_ev_proc proc[NSTREE_ROLE_MAX];
};

/*
 * What subscribers filter an event on. @task: the process it is about,
 * for the subtree filter, and @task_alt another one whose subtree also
 * counts (an orphan's old parent); @pid: its thread group's pid, for
 * visibility and the namespace filter. Namespace events instead give @ns,
 * alive (NS_CREATED), or @ns_subs, the slots that were told of the
 * namespace's birth (NS_DESTROYED).
 */
struct nstree_ev_subject {
	struct task_struct *task;
	struct task_struct *task_alt;
	struct pid *pid;
	struct pid_namespace *ns;
	const unsigned long *ns_subs;
	struct nstree_subtree_memo *memo;
};

/*
 * The subtree filters' answers for one task, per slot: whether a
 * subscriber's subtree holds it.
 */
struct nstree_subtree_seen {
	const struct task_struct *task;
	DECLARE_BITMAP(known, NSTREE_SUB_SLOTS);
	DECLARE_BITMAP(in, NSTREE_SUB_SLOTS);
};

/*
 * Kept by a caller that publishes about many children of one exiting
 * parent (its orphans, handed to one reaper): a subtree filter climbs
 * from the reaper, and from the old parent, once for all of them, not
 * once per orphan (30,000 orphans below a 4,000-deep subreaper would be
 * 240 million steps with preemption off). On the caller's stack, under
 * one rcu_read_lock() for the whole walk over the orphans, also where
 * nstree_kin_lock is dropped between batches: no task it names is freed,
 * and a slot names one subscriber throughout, since a slot is freed and
 * taken again only under nstree_sub_mutex with a grace period in between
 * (nstree_sub_remove_locked(), nstree_reap_work_fn()).
 */
struct nstree_subtree_memo {
	struct nstree_subtree_seen parent;	/* @task's parent */
	struct nstree_subtree_seen alt;		/* @task_alt */
};

/*
 * nstree_queue.c, hook side. Context: any but NMI, rcu_read_lock() held.
 * nstree_publish() queues @ev for every subscriber that wants it. @seen,
 * if not NULL, gets the slots whose filters the subject passes, whatever
 * the event type.
 */
void nstree_publish(const struct nstree_ev *ev,
		    const struct nstree_ev_subject *subj, unsigned long *seen);
/* @n events nobody can tell the subject of: lost for every subscriber. */
void nstree_publish_lost(unsigned long n);

/* nstree_send.c: the per-subscriber worker. */
void nstree_send_work(struct work_struct *work);

/* nstree_track.c: tracking state, kept only while hooks are registered. */
int nstree_track_init(void);
int nstree_track_start(void);
void nstree_track_learn(void);
void nstree_track_stop(void);
void nstree_track_forget_sub(unsigned int slot);
void nstree_track_fork(struct task_struct *task);
void nstree_track_sync(struct task_struct *p);
void nstree_track_orphans(struct task_struct *father);
void nstree_track_exit_done(void);
void nstree_track_release(struct task_struct *p);
void nstree_track_unhash(struct pid *pid);
void nstree_track_zombie(struct task_struct *tsk, bool autoreap);
void nstree_track_ns_created(struct pid_namespace *ns,
			     const unsigned long *seen);
void nstree_track_ns_freed(unsigned int inum, u64 id);
u32 nstree_track_zap_count(struct pid_namespace *ns);

/* nstree_hooks.c: on with the first subscriber, off after the last. */
int nstree_hooks_register(void);
void nstree_hooks_unregister(void);
int nstree_hooks_init(void);
void nstree_hooks_exit(void);

/* Shared helpers. */

/* The PID of @pid in @ns is not 0: @ns sees it (pid_nr_ns, inline). */
static inline bool nstree_pid_in_ns(const struct pid *pid,
				    const struct pid_namespace *ns)
{
	return pid && pid->level >= ns->level &&
	       pid->numbers[ns->level].ns == ns;
}

#endif /* _NSTREE_EVENT_H */
