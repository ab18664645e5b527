// SPDX-License-Identifier: GPL-2.0
/*
 * Where the events come from: tracepoints, attached by name since their
 * symbols are not exported, and kprobes on the functions of the exit path
 * that have no tracepoint. The tracepoint probes are registered when the
 * first subscriber arrives and removed after the last leaves. The kprobes
 * stay registered while the module is loaded, each returning at once on a
 * static key while nobody subscribes: registering and removing them at
 * run time (ftrace call sites, a kretprobe's rethook) crashed a 6.1 guest
 * once (an instruction fetch at 0 on entry to do_notify_parent), which
 * the kernel's own users of kprobes, registered once, never meet.
 *
 *   task_newtask          FORK (before the child first runs), and
 *                         NS_CREATED when the child is a namespace's init
 *   sched_process_exec    EXEC
 *   taskstats_exit        EXIT (in do_exit, with its group_dead decision;
 *                         before exit_notify; needs CONFIG_TASKSTATS)
 *   do_notify_parent      ZOMBIE or AUTOREAP (kretprobe: its result says
 *                         which; runs under tasklist_lock, so before any
 *                         wait() can see the zombie)
 *   release_task          who releases a process, and why
 *   posix_cpu_timers_exit REAP: release_task's __exit_signal() calls it
 *                         for every task it releases, the leader of "goto
 *                         repeat" included, under tasklist_lock, just
 *                         before __unhash_process() detaches the task's
 *                         PIDs (needs CONFIG_POSIX_TIMERS)
 *   proc_exit_connector   REPARENT of the exiting thread's children (it is
 *                         called right after exit_notify)
 *   zap_pid_ns_processes  NS_INIT_EXIT
 *   proc_free_inum        NS_DESTROYED (destroy_pid_namespace is inlined;
 *                         its first call frees the inode number), and the
 *                         end of the namespace's ID, always
 *
 * Every handler runs with preemption off and only calls what may be
 * called there on any preemption model: no allocation, no sleeping lock.
 * A kprobe hit in NMI context (through int3: nstree_kp_in_nmi()) takes
 * no lock at all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/kprobes.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "nstree.h"
#include "nstree_event.h"

/* On while the tracking state exists: the kprobes' first test. */
static DEFINE_STATIC_KEY_FALSE(nstree_hooks_on);

/* The process @t as an event names it: as a thread when @thread. */
static struct nstree_ev_proc nstree_proc(struct task_struct *t, bool thread)
{
	return (struct nstree_ev_proc){
		.pid = task_tgid(t),
		.tid = thread ? task_pid(t) : NULL,
		.comm = t->comm,
	};
}

/* Tracepoint probes. */

static void nstree_probe_newtask(void *data, struct task_struct *task,
				 unsigned long clone_flags)
{
	bool thread = clone_flags & CLONE_THREAD;
	struct nstree_ev ev = {
		.type = NSTREE_EV_FORK,
		.clone_flags = clone_flags,
		.thread = thread,
	};
	struct nstree_ev_subject subj = { .task = task };
	DECLARE_BITMAP(seen, NSTREE_SUB_SLOTS);
	struct task_struct *parent;
	struct pid_namespace *ns;

	rcu_read_lock();
	/* A thread's real_parent is its process's parent: name the process. */
	parent = thread ? current : rcu_dereference(task->real_parent);
	if (!thread) {
		nstree_track_fork(task);
		ev.ns_init = is_child_reaper(task_pid(task));
	}
	if (ev.ns_init) {
		struct nstree_ev nsev = { .type = NSTREE_EV_NS_CREATED };
		struct nstree_ev_subject nssubj = { .task = current };

		ns = task_active_pid_ns(task);
		nssubj.ns = ns;
		nsev.proc[NSTREE_ROLE_PROC] = nstree_proc(current, false);
		nsev.ns_inum = ns->ns.inum;
		nsev.ns_id = nstree_nsid(ns);
		nsev.ns_level = ns->level;
		nsev.ns_parent_inum = ns->parent->ns.inum;
		nsev.ns_parent_id = nstree_nsid(ns->parent);
		nstree_publish(&nsev, &nssubj, seen);
		nstree_track_ns_created(ns, seen);
	}
	subj.pid = task_tgid(task);
	ev.proc[NSTREE_ROLE_PROC] = nstree_proc(task, thread);
	ev.proc[NSTREE_ROLE_PARENT] = nstree_proc(parent, false);
	nstree_publish(&ev, &subj, NULL);
	rcu_read_unlock();
}

static void nstree_probe_exec(void *data, struct task_struct *p,
			      pid_t old_pid, struct linux_binprm *bprm)
{
	struct nstree_ev ev = {
		.type = NSTREE_EV_EXEC,
		.filename = bprm->filename,
	};
	struct nstree_ev_subject subj = { .task = p };

	rcu_read_lock();
	nstree_track_sync(p);
	subj.pid = task_tgid(p);
	ev.proc[NSTREE_ROLE_PROC] = nstree_proc(p, false);
	nstree_publish(&ev, &subj, NULL);
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
};

static void nstree_tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nstree_tps); i++)
		if (!strcmp(tp->name, nstree_tps[i].name))
			nstree_tps[i].tp = tp;
}

/* Kprobes. */

#define NSTREE_NR_KPS	6
static struct kprobe *nstree_kps[NSTREE_NR_KPS];
static struct kretprobe nstree_krp_do_notify_parent;

/*
 * Hits the kprobes could not handle: a probe hit while another kprobe
 * handler runs on that CPU, or a kretprobe with no free instance. Neither
 * says which process it was about, so each counts as a lost event for
 * every subscriber. (do_notify_parent() is only called with tasklist_lock
 * held for writing, so the kretprobe's instances, at least 10, do not run
 * out; this is the account kept should either ever happen.)
 */
static atomic_long_t nstree_missed_seen;

/*
 * Hits in NMI context. A kprobe that is neither on ftrace nor optimised
 * into a jump yet is reached through its int3 trap, which exc_int3()
 * enters as an NMI: no lock that is also taken outside NMI may be taken
 * there (lockdep: "inconsistent {INITIAL USE} -> {IN-NMI} usage"), nor
 * work queued. Debian's kernels put every nstree kprobe on ftrace; on a
 * kernel without CONFIG_KPROBES_ON_FTRACE the int3 serves from loading
 * the module until the kprobe optimizer's pass, and for good at a place
 * it cannot optimise. Such a hit is only counted here: a lost event,
 * reported as the misses above are.
 */
static atomic_long_t nstree_nmi_missed;

static bool nstree_kp_in_nmi(void)
{
	if (likely(!in_nmi()))
		return false;
	atomic_long_inc(&nstree_nmi_missed);
	return true;
}

static unsigned long nstree_missed_now(void)
{
	unsigned long n = nstree_krp_do_notify_parent.nmissed +
			  nstree_krp_do_notify_parent.kp.nmissed +
			  atomic_long_read(&nstree_nmi_missed);
	int i;

	for (i = 0; i < NSTREE_NR_KPS; i++)
		n += READ_ONCE(nstree_kps[i]->nmissed);
	return n;
}

static void nstree_count_missed(void)
{
	long seen = atomic_long_read(&nstree_missed_seen);
	unsigned long now = nstree_missed_now();

	if (likely(now == (unsigned long)seen))
		return;
	if (atomic_long_try_cmpxchg(&nstree_missed_seen, &seen, now))
		nstree_publish_lost(now - seen);
}

/* release_task(p): current releases p, a thread or a whole process. */
static int nstree_kp_release(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *p = (void *)regs_get_kernel_argument(regs, 0);

	if (!static_branch_unlikely(&nstree_hooks_on) || nstree_kp_in_nmi())
		return 0;
	rcu_read_lock();
	nstree_count_missed();
	nstree_track_release(p);
	rcu_read_unlock();
	return 0;
}

/*
 * taskstats_exit(tsk, group_dead): do_exit() of current calls it with the
 * group_dead it decided (its atomic_dec_and_test() of signal->live), once
 * tsk->exit_code is set. The sched_process_exit tracepoint, later, cannot
 * tell: two threads exiting together may both find signal->live at 0.
 */
static int nstree_kp_exit(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *p = (void *)regs_get_kernel_argument(regs, 0);
	struct nstree_ev ev = {
		.type = NSTREE_EV_EXIT,
		.thread = !thread_group_leader(p),
		.exit_code = p->exit_code,
		.group_dead = (int)regs_get_kernel_argument(regs, 1) != 0,
	};
	struct nstree_ev_subject subj = { .task = p };

	if (!static_branch_unlikely(&nstree_hooks_on) || nstree_kp_in_nmi())
		return 0;
	rcu_read_lock();
	nstree_track_sync(p);
	subj.pid = task_tgid(p);
	ev.proc[NSTREE_ROLE_PROC] = nstree_proc(p, true);
	nstree_publish(&ev, &subj, NULL);
	rcu_read_unlock();
	return 0;
}

/*
 * posix_cpu_timers_exit(task): release_task() is releasing @task, whose
 * PIDs are still there. The free_pid() that follows may wake a
 * namespace's init waiting for this very release in
 * zap_pid_ns_processes(), so the REAP must be out now: proc_flush_pid(),
 * after tasklist_lock is dropped, came after that init had run on, on
 * PREEMPT_RT. (detach_pid(), the obvious place, is too short for the
 * kprobe optimizer: on a kernel without kprobes on ftrace every hit
 * would stay on int3, and be lost.) exec calls it too, for the live
 * task that execs (posixtimer_exec()); release_task() only ever releases
 * a task whose exit_state is EXIT_DEAD.
 */
static int nstree_kp_unhash(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *p = (void *)regs_get_kernel_argument(regs, 0);

	if (!static_branch_unlikely(&nstree_hooks_on) ||
	    !(READ_ONCE(p->exit_state) & EXIT_DEAD) || nstree_kp_in_nmi())
		return 0;
	rcu_read_lock();
	nstree_track_unhash(task_pid(p));
	rcu_read_unlock();
	return 0;
}

/* Right after exit_notify: where did the exiting thread's children go? */
static int nstree_kp_exit_done(struct kprobe *kp, struct pt_regs *regs)
{
	if (!static_branch_unlikely(&nstree_hooks_on) || nstree_kp_in_nmi())
		return 0;
	rcu_read_lock();
	nstree_track_exit_done();
	rcu_read_unlock();
	return 0;
}

/* zap_pid_ns_processes(ns): current, the init, is exiting. */
static int nstree_kp_zap(struct kprobe *kp, struct pt_regs *regs)
{
	struct pid_namespace *ns = (void *)regs_get_kernel_argument(regs, 0);
	struct nstree_ev ev = {
		.type = NSTREE_EV_NS_INIT_EXIT,
		.ns_inum = ns->ns.inum,
		.ns_level = ns->level,
	};
	struct nstree_ev_subject subj = { .task = current };

	if (!static_branch_unlikely(&nstree_hooks_on) || nstree_kp_in_nmi())
		return 0;
	rcu_read_lock();
	subj.pid = task_tgid(current);
	ev.proc[NSTREE_ROLE_PROC] = nstree_proc(current, false);
	ev.count = nstree_track_zap_count(ns);
	ev.ns_id = nstree_nsid(ns);
	nstree_publish(&ev, &subj, NULL);
	rcu_read_unlock();
	return 0;
}

/*
 * proc_free_inum(inum): the first thing destroy_pid_namespace does. The
 * namespace's ID goes with it, subscribers or not (nstree_nsid.c).
 */
static int nstree_kp_free_inum(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int inum = regs_get_kernel_argument(regs, 0);
	u64 id = nstree_nsid_freed(inum);	/* NMI-safe */

	if (!static_branch_unlikely(&nstree_hooks_on) || nstree_kp_in_nmi())
		return 0;
	rcu_read_lock();
	nstree_track_ns_freed(inum, id);
	rcu_read_unlock();
	return 0;
}

static struct kprobe nstree_kp_release_task = {
	.symbol_name	= "release_task",
	.pre_handler	= nstree_kp_release,
};

static struct kprobe nstree_kp_taskstats_exit = {
	.symbol_name	= "taskstats_exit",
	.pre_handler	= nstree_kp_exit,
};

static struct kprobe nstree_kp_unhash_task = {
	.symbol_name	= "posix_cpu_timers_exit",
	.pre_handler	= nstree_kp_unhash,
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

static struct kprobe *nstree_kps[NSTREE_NR_KPS] = {
	&nstree_kp_taskstats_exit,
	&nstree_kp_release_task,
	&nstree_kp_unhash_task,
	&nstree_kp_exit_connector,
	&nstree_kp_zap_ns,
	&nstree_kp_proc_free_inum,
};

/* The kretprobe: the argument saved at entry, the result read at return. */

struct nstree_kret_data {
	struct task_struct *tsk;
};

static int nstree_krp_notify_entry(struct kretprobe_instance *ri,
				   struct pt_regs *regs)
{
	struct nstree_kret_data *d = (void *)ri->data;

	if (!static_branch_unlikely(&nstree_hooks_on))
		return 1;	/* no return handler for this call */
	d->tsk = (void *)regs_get_kernel_argument(regs, 0);
	return 0;
}

/*
 * do_notify_parent(tsk, sig) returned whether tsk is autoreaped. Called
 * under tasklist_lock, by tsk itself in exit_notify, by its last thread or
 * a tracer in release_task (the leader died first), or by an exiting
 * parent handing a zombie child to a new one (reparent_leader).
 */
static int nstree_krp_notify_parent(struct kretprobe_instance *ri,
				    struct pt_regs *regs)
{
	struct nstree_kret_data *d = (void *)ri->data;

	rcu_read_lock();
	/* Tested again: the key may have gone off since the entry. */
	if (static_branch_unlikely(&nstree_hooks_on))
		nstree_track_zombie(d->tsk, regs_return_value(regs) & 1);
	rcu_read_unlock();
	return 0;
}

static struct kretprobe nstree_krp_do_notify_parent = {
	.kp.symbol_name	= "do_notify_parent",
	.entry_handler	= nstree_krp_notify_entry,
	.handler	= nstree_krp_notify_parent,
	.data_size	= sizeof(struct nstree_kret_data),
};

static struct kretprobe *nstree_krps[] = {
	&nstree_krp_do_notify_parent,
};

static void nstree_tps_unregister(int n)
{
	while (--n >= 0)
		tracepoint_probe_unregister(nstree_tps[n].tp,
					    nstree_tps[n].probe, NULL);
}

/*
 * With the first subscriber, under the subscribers' mutex: the tracking
 * state, the tracepoint probes, the kprobes' key, then what is already
 * there to learn.
 */
int nstree_hooks_register(void)
{
	int i, err;

	err = nstree_track_start();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(nstree_tps); i++) {
		err = tracepoint_probe_register(nstree_tps[i].tp,
						nstree_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       nstree_tps[i].name, err);
			nstree_tps_unregister(i);
			tracepoint_synchronize_unregister();
			nstree_track_stop();
			return err;
		}
	}
	/* Only what is missed from now on is lost to a subscriber. */
	atomic_long_set(&nstree_missed_seen, nstree_missed_now());
	static_branch_enable(&nstree_hooks_on);
	nstree_track_learn();
	return 0;
}

/* After the last subscriber: no handler touches the state once it returns. */
void nstree_hooks_unregister(void)
{
	nstree_tps_unregister(ARRAY_SIZE(nstree_tps));
	static_branch_disable(&nstree_hooks_on);
	/* Tracepoint probes, kprobe and rethook handlers: all RCU readers. */
	tracepoint_synchronize_unregister();
	synchronize_rcu();
	nstree_track_stop();
}

/* At load: every tracepoint must exist, and every kprobe attach. */
int __init nstree_hooks_init(void)
{
	int i, err;

	for_each_kernel_tracepoint(nstree_tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(nstree_tps); i++) {
		if (!nstree_tps[i].tp) {
			pr_err("no tracepoint %s\n", nstree_tps[i].name);
			return -ENOENT;
		}
	}
	err = register_kprobes(nstree_kps, ARRAY_SIZE(nstree_kps));
	if (err) {
		pr_err("cannot register the kprobes: %d\n", err);
		return err;
	}
	err = register_kretprobes(nstree_krps, ARRAY_SIZE(nstree_krps));
	if (err) {
		pr_err("cannot register the kretprobe: %d\n", err);
		unregister_kprobes(nstree_kps, ARRAY_SIZE(nstree_kps));
	}
	return err;
}

/* At unload, after nstree_hooks_unregister(): no handler runs after this. */
void nstree_hooks_exit(void)
{
	/* These wait for running handlers (synchronize_rcu). */
	unregister_kretprobes(nstree_krps, ARRAY_SIZE(nstree_krps));
	unregister_kprobes(nstree_kps, ARRAY_SIZE(nstree_kps));
}
