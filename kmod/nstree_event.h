/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event stream inside the module: the hooks (nstree_hooks.c) build
 * events and publish them; the subscribers (nstree_event.c) filter, queue,
 * translate and send them.
 */
#ifndef _NSTREE_EVENT_H
#define _NSTREE_EVENT_H

#include <linux/jump_label.h>
#include <linux/llist.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/refcount.h>
#include <linux/sched.h>

/* Most subscribers at once: a subscriber is one bit of a u64. */
#define NSTREE_SUB_MAX		64

/* On while anyone subscribes: the first thing every hook tests. */
DECLARE_STATIC_KEY_FALSE(nstree_ev_active);

/* The processes an event names, each sent as an NSTREE_A_EV_* nest. */
enum nstree_ev_role {
	NSTREE_ROLE_PROC,
	NSTREE_ROLE_PARENT,
	NSTREE_ROLE_OLD_PARENT,
	NSTREE_ROLE_REAPER,
	NSTREE_ROLE_MAX
};

/*
 * A process as an event names it. The references on its struct pids let
 * the worker translate them into each subscriber's namespace after the
 * task is gone: pid->numbers[] lives as long as the struct pid.
 */
struct nstree_ev_proc {
	struct pid *pid;	/* the thread group's, NULL: role unused */
	struct pid *tid;	/* the thread's, when the event is about one */
	char comm[TASK_COMM_LEN];
};

/*
 * One event, shared by every subscriber that queued it (one reference
 * each); freed in process context only, because dropping a struct pid can
 * free a PID namespace.
 */
struct nstree_event {
	refcount_t ref;
	struct llist_node free_node;
	u32 type;
	u32 reason;
	u32 exit_code;
	u32 count;
	u64 time;
	u64 clone_flags;
	bool thread;
	bool ns_init;
	bool group_dead;
	u32 ns_inum;
	u32 ns_level;		/* absolute depth of the namespace */
	u32 ns_parent_inum;
	char *filename;
	struct nstree_ev_proc proc[NSTREE_ROLE_MAX];
};

/*
 * What subscribers filter an event on. @task: the process it is about,
 * for the subtree filter (NULL: none), and @task_alt another one whose
 * subtree also counts (an orphan's old parent); @pid: its thread group's pid, for
 * visibility and the namespace filter; @ns: for namespace events instead
 * of @pid; @ns_subs: NS_DESTROYED only, the subscribers that received the
 * namespace's NS_CREATED.
 */
struct nstree_ev_subject {
	struct task_struct *task;
	struct task_struct *task_alt;
	struct pid *pid;
	struct pid_namespace *ns;
	u64 ns_subs;
};

/*
 * The hooks' side, callable in any context but NMI, under rcu_read_lock():
 * nstree_ev_match() tells which subscribers want an event (bit i:
 * subscriber i), and @seen those whose filters it passes whatever its
 * type; nstree_ev_queue() hands the event, built by nstree_ev_new() and
 * nstree_ev_set_proc(), to them and drops the caller's reference. A NULL
 * event (no memory) counts as lost for each of them.
 */
u64 nstree_ev_match(u32 type, const struct nstree_ev_subject *subj, u64 *seen);
struct nstree_event *nstree_ev_new(u32 type);
void nstree_ev_set_proc(struct nstree_event *ev, enum nstree_ev_role role,
			struct task_struct *t, bool thread);
void nstree_ev_queue(struct nstree_event *ev, u64 subs);

int nstree_hooks_init(void);
void nstree_hooks_exit(void);
void nstree_hooks_start(void);
void nstree_hooks_stop(void);
void nstree_hooks_forget_sub(unsigned int id);

#endif /* _NSTREE_EVENT_H */
