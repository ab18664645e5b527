// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle event stream: subscribers, their queues, and the worker
 * that translates and sends what the hooks (nstree_hooks.c) publish.
 *
 * A subscriber is one netlink socket, known by (network namespace, port
 * id), with the PID namespace of the task that subscribed: every PID it
 * receives is translated into that namespace, and it only hears about
 * processes it can see there. The hooks run in fork, exit and wait paths
 * and so never sleep nor wait: they allocate one event, take one spinlock
 * per interested subscriber and put a pointer in its ring. Each subscriber
 * has its own work item, which builds the messages in process context and
 * sends them without blocking, so a subscriber that does not read only
 * ever loses its own events.
 *
 * Loss accounting rests on the sequence number alone: every event meant
 * for a subscriber takes the next number, queued or not, and the worker
 * reports each gap as a LOST notice just before the event that follows it
 * (or as soon as the socket has room, when nothing follows).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "nstree.h"
#include "nstree_event.h"

#define NSTREE_QUEUE_DEFAULT	4096
#define NSTREE_QUEUE_MIN	16
#define NSTREE_QUEUE_MAX	65536
/* Events a worker sends before it lets the other work items run. */
#define NSTREE_WORK_BUDGET	256
/* How soon to try again when a subscriber's socket is full. */
#define NSTREE_RETRY_MS		20
/* Masks have one bit per event type; LOST cannot be turned off. */
#define NSTREE_EV_ALL		(GENMASK(NSTREE_EV_NS_DESTROYED, NSTREE_EV_FORK))

DEFINE_STATIC_KEY_FALSE(nstree_ev_active);

struct nstree_slot {
	struct nstree_event *ev;
	u64 seq;
};

struct nstree_sub {
	unsigned int id;		/* bit in the masks, index in nstree_subs */
	struct net *net;
	u32 portid;
	struct pid_namespace *ns;	/* the subscriber's: the view */
	u32 events;			/* wanted types, bit (1 << type) */
	bool filter_ns;			/* members of ns (filter_ns_inum, level) */
	u32 filter_ns_inum;
	u32 filter_ns_level;
	bool filter_subtree;		/* descendants of this process */
	pid_t filter_root_tgid;		/* in init_pid_ns, with ... */
	u64 filter_root_start;		/* ... its start time against reuse */
	struct delayed_work work;
	u64 sent;			/* worker only: last seq sent or reported */

	spinlock_t lock;		/* protects the fields below */
	bool dead;			/* no more events: being removed */
	u64 seq;			/* last sequence number given out */
	u64 lost;			/* events dropped, for the record */
	unsigned int qlen;
	unsigned int head;
	unsigned int count;
	struct nstree_slot *ring;
};

/*
 * Subscribers by id, for the hooks (RCU); changed under nstree_sub_mutex,
 * which also protects nstree_nsubs, nstree_sub_ids and nstree_closing.
 */
static struct nstree_sub __rcu *nstree_subs[NSTREE_SUB_MAX];
static DEFINE_MUTEX(nstree_sub_mutex);
static unsigned int nstree_nsubs;
static u64 nstree_sub_ids;
static bool nstree_closing;

static struct workqueue_struct *nstree_wq;
static struct kmem_cache *nstree_ev_cache;
/* Events whose last reference went in atomic context, freed by a work. */
static LLIST_HEAD(nstree_ev_graveyard);

static void nstree_ev_free(struct nstree_event *ev)
{
	int i;

	for (i = 0; i < NSTREE_ROLE_MAX; i++) {
		put_pid(ev->proc[i].pid);
		put_pid(ev->proc[i].tid);
	}
	kfree(ev->filename);
	kmem_cache_free(nstree_ev_cache, ev);
}

static void nstree_ev_free_work_fn(struct work_struct *work)
{
	struct nstree_event *ev, *next;
	struct llist_node *list = llist_del_all(&nstree_ev_graveyard);

	llist_for_each_entry_safe(ev, next, list, free_node)
		nstree_ev_free(ev);
}

static DECLARE_WORK(nstree_ev_free_work, nstree_ev_free_work_fn);

/* Process context: free at once. */
static void nstree_ev_put(struct nstree_event *ev)
{
	if (refcount_dec_and_test(&ev->ref))
		nstree_ev_free(ev);
}

/*
 * Any context: dropping a struct pid may free a PID namespace, which is
 * not for a hook running under tasklist_lock, so defer it.
 */
static void nstree_ev_put_atomic(struct nstree_event *ev)
{
	if (refcount_dec_and_test(&ev->ref)) {
		llist_add(&ev->free_node, &nstree_ev_graveyard);
		queue_work(nstree_wq, &nstree_ev_free_work);
	}
}

struct nstree_event *nstree_ev_new(u32 type)
{
	struct nstree_event *ev;

	ev = kmem_cache_zalloc(nstree_ev_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!ev)
		return NULL;
	refcount_set(&ev->ref, 1);
	ev->type = type;
	ev->time = ktime_get_boottime_ns();
	return ev;
}

void nstree_ev_set_proc(struct nstree_event *ev, enum nstree_ev_role role,
			struct task_struct *t, bool thread)
{
	struct nstree_ev_proc *p = &ev->proc[role];

	if (!ev || !t)
		return;
	/* After release_task, a task has no pids left to name it by. */
	if (!pid_alive(t))
		return;
	p->pid = get_pid(task_tgid(t));
	if (thread)
		p->tid = get_pid(task_pid(t));
	/* Racy against a concurrent rename, as /proc reads it: harmless. */
	memcpy(p->comm, t->comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = '\0';
}

/* The PID of @pid in @ns: 0 when @ns cannot see it (pid_nr_ns inline). */
static bool nstree_pid_in_ns(const struct pid *pid, const struct pid_namespace *ns)
{
	return pid && pid->level >= ns->level &&
	       pid->numbers[ns->level].ns == ns;
}

/* @ns is @view or one of its descendants. */
static bool nstree_ns_below(const struct pid_namespace *ns,
			    const struct pid_namespace *view)
{
	while (ns && ns->level > view->level)
		ns = ns->parent;
	return ns == view;
}

/* The filter namespace is named by inode, at its depth, without a reference. */
static bool nstree_ns_filter(const struct nstree_sub *sub,
			     const struct nstree_ev_subject *subj)
{
	const struct pid_namespace *ns;

	if (subj->ns) {
		ns = subj->ns;
		if (ns->level < sub->filter_ns_level)
			return false;
		while (ns->level > sub->filter_ns_level)
			ns = ns->parent;
		return ns->ns.inum == sub->filter_ns_inum;
	}
	return subj->pid->level >= sub->filter_ns_level &&
	       subj->pid->numbers[sub->filter_ns_level].ns->ns.inum ==
			sub->filter_ns_inum;
}

/* Longest ancestry walked for the subtree filter: a bound, not a limit. */
#define NSTREE_MAX_DEPTH	4096

static bool nstree_in_subtree(const struct nstree_sub *sub,
			      struct task_struct *t)
{
	int depth;

	for (depth = 0; t && depth < NSTREE_MAX_DEPTH; depth++) {
		if (t->tgid == sub->filter_root_tgid &&
		    t->group_leader->start_time == sub->filter_root_start)
			return true;
		if (t == rcu_dereference(t->real_parent))
			break;
		t = rcu_dereference(t->real_parent);
	}
	return false;
}

static bool nstree_sub_sees(const struct nstree_sub *sub,
			    const struct nstree_ev_subject *subj)
{
	if (subj->ns) {
		if (!nstree_ns_below(subj->ns, sub->ns))
			return false;
	} else if (!nstree_pid_in_ns(subj->pid, sub->ns)) {
		return false;
	}
	if (sub->filter_ns && !nstree_ns_filter(sub, subj))
		return false;
	if (sub->filter_subtree) {
		if (subj->task)
			return nstree_in_subtree(sub, subj->task) ||
			       nstree_in_subtree(sub, subj->task_alt);
		return subj->ns_subs & BIT_ULL(sub->id);
	}
	return true;
}

u64 nstree_ev_match(u32 type, const struct nstree_ev_subject *subj, u64 *seen)
{
	struct nstree_sub *sub;
	u64 want = 0, all = 0;
	int i;

	for (i = 0; i < NSTREE_SUB_MAX; i++) {
		sub = rcu_dereference(nstree_subs[i]);
		if (!sub || !nstree_sub_sees(sub, subj))
			continue;
		all |= BIT_ULL(i);
		if (sub->events & BIT(type))
			want |= BIT_ULL(i);
	}
	if (seen)
		*seen = all;
	return want;
}

static void nstree_sub_kick(struct nstree_sub *sub)
{
	/* Leaves a pending retry alone: it fires soon enough. */
	queue_delayed_work(nstree_wq, &sub->work, 0);
}

void nstree_ev_queue(struct nstree_event *ev, u64 subs)
{
	struct nstree_sub *sub;
	unsigned long flags;
	unsigned int slot;
	int i;

	for (i = 0; subs && i < NSTREE_SUB_MAX; i++) {
		if (!(subs & BIT_ULL(i)))
			continue;
		sub = rcu_dereference(nstree_subs[i]);
		if (!sub)
			continue;
		spin_lock_irqsave(&sub->lock, flags);
		if (sub->dead) {
			spin_unlock_irqrestore(&sub->lock, flags);
			continue;
		}
		sub->seq++;
		if (ev && sub->count < sub->qlen) {
			slot = (sub->head + sub->count) % sub->qlen;
			refcount_inc(&ev->ref);
			sub->ring[slot].ev = ev;
			sub->ring[slot].seq = sub->seq;
			sub->count++;
		} else {
			sub->lost++;
		}
		spin_unlock_irqrestore(&sub->lock, flags);
		nstree_sub_kick(sub);
	}
	if (ev)
		nstree_ev_put_atomic(ev);
}

/* Message building, in the worker: translation into the subscriber's view. */

static int nstree_put_nspid(struct sk_buff *skb, int type,
			    const struct pid *pid, const struct pid_namespace *ns)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = ns->level; i <= pid->level; i++)
		if (nla_put_u32(skb, i - ns->level + 1, pid->numbers[i].nr))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nstree_put_proc(struct sk_buff *skb, int type,
			   const struct nstree_ev_proc *p,
			   struct pid_namespace *ns)
{
	struct nlattr *nest;

	/* Nothing about what the subscriber cannot see: not even that. */
	if (!nstree_pid_in_ns(p->pid, ns))
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put_u32(skb, NSTREE_A_PROC_PID, pid_nr_ns(p->pid, ns)) ||
	    nstree_put_nspid(skb, NSTREE_A_PROC_NSPID, p->pid, ns) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PIDNS_INUM,
			p->pid->numbers[p->pid->level].ns->ns.inum) ||
	    nla_put_string(skb, NSTREE_A_PROC_COMM, p->comm))
		return -EMSGSIZE;
	if (nstree_pid_in_ns(p->tid, ns) &&
	    (nla_put_u32(skb, NSTREE_A_PROC_TID, pid_nr_ns(p->tid, ns)) ||
	     nstree_put_nspid(skb, NSTREE_A_PROC_NSTID, p->tid, ns)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static const int nstree_role_attr[NSTREE_ROLE_MAX] = {
	[NSTREE_ROLE_PROC]	= NSTREE_A_EV_PROC,
	[NSTREE_ROLE_PARENT]	= NSTREE_A_EV_PARENT,
	[NSTREE_ROLE_OLD_PARENT] = NSTREE_A_EV_OLD_PARENT,
	[NSTREE_ROLE_REAPER]	= NSTREE_A_EV_REAPER,
};

static int nstree_ev_fill(struct sk_buff *skb, const struct nstree_event *ev,
			  struct pid_namespace *ns)
{
	u32 level = ev->ns_level - ns->level;
	int i;

	for (i = 0; i < NSTREE_ROLE_MAX; i++)
		if (nstree_put_proc(skb, nstree_role_attr[i], &ev->proc[i], ns))
			return -EMSGSIZE;
	if (ev->type == NSTREE_EV_FORK &&
	    nla_put_u64_64bit(skb, NSTREE_A_EV_CLONE_FLAGS, ev->clone_flags,
			      NSTREE_A_EV_PAD))
		return -EMSGSIZE;
	if ((ev->thread && nla_put_flag(skb, NSTREE_A_EV_THREAD)) ||
	    (ev->ns_init && nla_put_flag(skb, NSTREE_A_EV_NS_INIT)) ||
	    (ev->group_dead && nla_put_flag(skb, NSTREE_A_EV_GROUP_DEAD)) ||
	    (ev->filename &&
	     nla_put_string(skb, NSTREE_A_EV_FILENAME, ev->filename)))
		return -EMSGSIZE;
	if (ev->type == NSTREE_EV_EXIT &&
	    nla_put_u32(skb, NSTREE_A_EV_EXIT_CODE, ev->exit_code))
		return -EMSGSIZE;
	if (ev->reason && nla_put_u32(skb, NSTREE_A_EV_REASON, ev->reason))
		return -EMSGSIZE;
	if (ev->type == NSTREE_EV_NS_INIT_EXIT &&
	    nla_put_u32(skb, NSTREE_A_EV_COUNT, ev->count))
		return -EMSGSIZE;
	if (ev->ns_inum &&
	    (nla_put_u32(skb, NSTREE_A_EV_NS_INUM, ev->ns_inum) ||
	     nla_put_u32(skb, NSTREE_A_EV_NS_LEVEL, level)))
		return -EMSGSIZE;
	/* The parent of a namespace at the subscriber's own depth is above. */
	if (ev->ns_parent_inum && level > 0 &&
	    nla_put_u32(skb, NSTREE_A_EV_NS_PARENT_INUM, ev->ns_parent_inum))
		return -EMSGSIZE;
	return 0;
}

static size_t nstree_proc_size(const struct nstree_ev_proc *p,
			       const struct pid_namespace *ns)
{
	size_t depth, size;

	if (!nstree_pid_in_ns(p->pid, ns))
		return 0;
	depth = p->pid->level - ns->level + 1;
	size = nla_total_size(0) + 2 * nla_total_size(4) +
	       nla_total_size(TASK_COMM_LEN) +
	       nla_total_size(depth * nla_total_size(4));
	if (p->tid)
		size += nla_total_size(4) +
			nla_total_size(depth * nla_total_size(4));
	return size;
}

/*
 * The message's size, to the byte or above: a tight skb lets a socket's
 * receive buffer hold more events.
 */
static size_t nstree_ev_size(const struct nstree_event *ev,
			     const struct pid_namespace *ns)
{
	/* type, seq, time, and the fixed-size attributes, padding included */
	size_t size = 16 * nla_total_size_64bit(8);
	int i;

	if (!ev)
		return size;
	for (i = 0; i < NSTREE_ROLE_MAX; i++)
		size += nstree_proc_size(&ev->proc[i], ns);
	if (ev->filename)
		size += nla_total_size(strlen(ev->filename) + 1);
	return size;
}

/*
 * Send one message: @ev with @seq, or with a NULL @ev the LOST notice for
 * @lost events ending at @seq. Returns what the unicast returned.
 */
static int nstree_sub_send(struct nstree_sub *sub, const struct nstree_event *ev,
			   u64 seq, u64 lost)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(nstree_ev_size(ev, sub->ns), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &nstree_genl_family, 0, NSTREE_CMD_EVENT);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(skb, NSTREE_A_EV_TYPE, ev ? ev->type : NSTREE_EV_LOST) ||
	    nla_put_u64_64bit(skb, NSTREE_A_EV_SEQ, seq, NSTREE_A_EV_PAD) ||
	    nla_put_u64_64bit(skb, NSTREE_A_EV_TIME,
			      ev ? ev->time : ktime_get_boottime_ns(),
			      NSTREE_A_EV_PAD))
		goto err_free;
	if (ev)
		err = nstree_ev_fill(skb, ev, sub->ns);
	else
		err = nla_put_u64_64bit(skb, NSTREE_A_EV_LOST, lost,
					NSTREE_A_EV_PAD);
	if (err)
		goto err_free;
	genlmsg_end(skb, hdr);
	return genlmsg_unicast(sub->net, skb, sub->portid);

err_free:
	/* The size is computed for the worst case: this is a bug. */
	nlmsg_free(skb);
	pr_err_once("event message too small\n");
	return -EMSGSIZE;
}

static void nstree_sub_work_fn(struct work_struct *work)
{
	struct nstree_sub *sub = container_of(to_delayed_work(work),
					      struct nstree_sub, work);
	struct nstree_event *ev;
	int budget, err = 0;
	u64 seq;

	for (budget = NSTREE_WORK_BUDGET; budget; budget--) {
		spin_lock_irq(&sub->lock);
		if (sub->dead) {
			spin_unlock_irq(&sub->lock);
			return;
		}
		ev = sub->count ? sub->ring[sub->head].ev : NULL;
		seq = sub->count ? sub->ring[sub->head].seq : sub->seq + 1;
		spin_unlock_irq(&sub->lock);

		/* A gap before the next event, or at the end: lost events. */
		if (seq - 1 > sub->sent) {
			err = nstree_sub_send(sub, NULL, seq - 1,
					      seq - 1 - sub->sent);
			if (err)
				break;
			sub->sent = seq - 1;
		}
		if (!ev)
			return;
		err = nstree_sub_send(sub, ev, seq, 0);
		if (err)
			break;
		spin_lock_irq(&sub->lock);
		sub->ring[sub->head].ev = NULL;
		sub->head = (sub->head + 1) % sub->qlen;
		sub->count--;
		spin_unlock_irq(&sub->lock);
		sub->sent = seq;
		nstree_ev_put(ev);
	}

	switch (err) {
	case 0:		/* budget spent: let others run, then go on */
		queue_delayed_work(nstree_wq, &sub->work, 0);
		break;
	case -EAGAIN:	/* the socket is full: keep the event, try later */
	case -ENOBUFS:
	case -ENOMEM:
		queue_delayed_work(nstree_wq, &sub->work,
				   msecs_to_jiffies(NSTREE_RETRY_MS));
		break;
	default:
		/*
		 * -ECONNREFUSED: the socket is gone. Stop here; the
		 * NETLINK_URELEASE notifier removes the subscriber.
		 */
		spin_lock_irq(&sub->lock);
		sub->dead = true;
		spin_unlock_irq(&sub->lock);
	}
}

/* Subscriber table. */

static struct nstree_sub *nstree_sub_find_locked(const struct net *net, u32 portid)
{
	struct nstree_sub *sub;
	int i;

	lockdep_assert_held(&nstree_sub_mutex);
	for (i = 0; i < NSTREE_SUB_MAX; i++) {
		sub = rcu_dereference_protected(nstree_subs[i],
						lockdep_is_held(&nstree_sub_mutex));
		if (sub && sub->portid == portid && net_eq(sub->net, net))
			return sub;
	}
	return NULL;
}

static void nstree_sub_free(struct nstree_sub *sub)
{
	kvfree(sub->ring);
	if (sub->ns)
		put_pid_ns(sub->ns);
	if (sub->net)
		put_net(sub->net);
	kfree(sub);
}

/*
 * Unlink @sub and free it once no hook and no worker can touch it.
 * Context: process, nstree_sub_mutex held.
 */
static void nstree_sub_remove_locked(struct nstree_sub *sub)
{
	unsigned int i;

	lockdep_assert_held(&nstree_sub_mutex);
	spin_lock_irq(&sub->lock);
	sub->dead = true;
	spin_unlock_irq(&sub->lock);
	RCU_INIT_POINTER(nstree_subs[sub->id], NULL);
	if (!--nstree_nsubs)
		static_branch_disable(&nstree_ev_active);
	/* Hooks run in RCU read-side sections (preemption off). */
	synchronize_rcu();
	cancel_delayed_work_sync(&sub->work);
	if (!nstree_nsubs)
		nstree_hooks_stop();
	nstree_hooks_forget_sub(sub->id);
	nstree_sub_ids &= ~BIT_ULL(sub->id);

	for (i = 0; i < sub->count; i++)
		nstree_ev_put(sub->ring[(sub->head + i) % sub->qlen].ev);
	nstree_sub_free(sub);
}

/* Netlink requests. */

const struct nla_policy nstree_sub_policy[NSTREE_A_SUB_MAX + 1] = {
	[NSTREE_A_SUB_EVENTS]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_NS_INUM]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_NS_PID]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_SUBTREE]		= { .type = NLA_U32 },
	[NSTREE_A_SUB_QUEUE_LEN]	= { .type = NLA_U32 },
	[NSTREE_A_SUB_PIDNS_INUM]	= { .type = NLA_U32 },
};

/* A process the caller names, as a thread group; NULL when it sees none. */
static struct task_struct *nstree_sub_task(struct pid_namespace *view,
					   const struct nlattr *attr,
					   struct netlink_ext_ack *extack,
					   int *err)
{
	struct task_struct *t;
	u32 nr = nla_get_u32(attr);

	if (nr < 1 || nr > PID_MAX_LIMIT) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "PID out of range");
		*err = -EINVAL;
		return NULL;
	}
	t = pid_task(find_pid_ns(nr, view), PIDTYPE_TGID);
	if (!t) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no such process in the caller's PID namespace");
		*err = -ENOENT;
	}
	return t;
}

/*
 * The namespace of inode @inum among the caller's and its descendants:
 * each holds at least one process, or it would be gone, so walking the
 * processes the caller sees finds it. Context: rcu_read_lock().
 */
static struct pid_namespace *nstree_find_ns(struct pid_namespace *view, u32 inum)
{
	struct pid_namespace *ns;
	struct pid *pid;
	int nr = 1;

	if (view->ns.inum == inum)
		return view;
	while ((pid = find_ge_pid(nr, view))) {
		for (ns = ns_of_pid(pid); ns && ns->level > view->level;
		     ns = ns->parent)
			if (ns->ns.inum == inum)
				return ns;
		nr = pid_nr_ns(pid, view) + 1;
	}
	return NULL;
}

static int nstree_sub_parse(struct nstree_sub *sub, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct pid_namespace *ns = NULL;
	struct task_struct *t;
	int err = 0;
	u32 v;

	sub->events = NSTREE_EV_ALL;
	if (tb[NSTREE_A_SUB_EVENTS]) {
		v = nla_get_u32(tb[NSTREE_A_SUB_EVENTS]);
		if (v & ~(NSTREE_EV_ALL | BIT(NSTREE_EV_LOST))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NSTREE_A_SUB_EVENTS],
					    "unknown event type in the mask");
			return -EINVAL;
		}
		if (v & NSTREE_EV_ALL)
			sub->events = v & NSTREE_EV_ALL;
	}

	sub->qlen = NSTREE_QUEUE_DEFAULT;
	if (tb[NSTREE_A_SUB_QUEUE_LEN]) {
		v = nla_get_u32(tb[NSTREE_A_SUB_QUEUE_LEN]);
		if (v < NSTREE_QUEUE_MIN || v > NSTREE_QUEUE_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NSTREE_A_SUB_QUEUE_LEN],
					    "queue length out of range (16 to 65536)");
			return -EINVAL;
		}
		sub->qlen = v;
	}

	if (tb[NSTREE_A_SUB_PIDNS_INUM]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NSTREE_A_SUB_PIDNS_INUM],
				    "reply-only attribute");
		return -EINVAL;
	}
	if (tb[NSTREE_A_SUB_NS_INUM] && tb[NSTREE_A_SUB_NS_PID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NSTREE_A_SUB_NS_PID],
				    "namespace given both by inode and by PID");
		return -EINVAL;
	}

	rcu_read_lock();
	if (tb[NSTREE_A_SUB_NS_PID]) {
		t = nstree_sub_task(sub->ns, tb[NSTREE_A_SUB_NS_PID], extack, &err);
		if (t)
			ns = task_active_pid_ns(t);
	} else if (tb[NSTREE_A_SUB_NS_INUM]) {
		ns = nstree_find_ns(sub->ns, nla_get_u32(tb[NSTREE_A_SUB_NS_INUM]));
		if (!ns) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NSTREE_A_SUB_NS_INUM],
					    "no such PID namespace in the caller's view");
			err = -ENOENT;
		}
	}
	if (ns) {
		sub->filter_ns = true;
		sub->filter_ns_inum = ns->ns.inum;
		sub->filter_ns_level = ns->level;
	}
	if (!err && tb[NSTREE_A_SUB_SUBTREE]) {
		t = nstree_sub_task(sub->ns, tb[NSTREE_A_SUB_SUBTREE], extack, &err);
		if (t) {
			sub->filter_subtree = true;
			sub->filter_root_tgid = t->tgid;
			sub->filter_root_start = t->start_time;
		}
	}
	rcu_read_unlock();
	return err;
}

static int nstree_sub_reply(struct nstree_sub *sub, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nstree_genl_family, 0,
				NSTREE_CMD_SUBSCRIBE);
	if (!hdr ||
	    nla_put_u32(msg, NSTREE_A_SUB_EVENTS, sub->events) ||
	    nla_put_u32(msg, NSTREE_A_SUB_QUEUE_LEN, sub->qlen) ||
	    nla_put_u32(msg, NSTREE_A_SUB_PIDNS_INUM, sub->ns->ns.inum) ||
	    (sub->filter_ns &&
	     nla_put_u32(msg, NSTREE_A_SUB_NS_INUM, sub->filter_ns_inum))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int nstree_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct nstree_sub *sub;
	bool first;
	int err;

	/* Root of a container may watch that container, and nothing else. */
	if (!netlink_ns_capable(skb, ns->user_ns, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "subscribing needs CAP_SYS_ADMIN over the user namespace owning the caller's PID namespace");
		return -EPERM;
	}

	sub = kzalloc(sizeof(*sub), GFP_KERNEL);
	if (!sub)
		return -ENOMEM;
	spin_lock_init(&sub->lock);
	INIT_DELAYED_WORK(&sub->work, nstree_sub_work_fn);
	sub->ns = get_pid_ns(ns);
	sub->net = get_net(genl_info_net(info));
	sub->portid = info->snd_portid;

	err = nstree_sub_parse(sub, info);
	if (err)
		goto err_free;
	err = -ENOMEM;
	sub->ring = kvcalloc(sub->qlen, sizeof(*sub->ring), GFP_KERNEL);
	if (!sub->ring)
		goto err_free;

	mutex_lock(&nstree_sub_mutex);
	err = -ESHUTDOWN;
	if (nstree_closing) {
		NL_SET_ERR_MSG_MOD(info->extack, "the module is being unloaded");
		goto err_unlock;
	}
	err = -EBUSY;
	if (nstree_sub_find_locked(sub->net, sub->portid)) {
		NL_SET_ERR_MSG_MOD(info->extack, "this socket is already subscribed");
		goto err_unlock;
	}
	err = -ENOSPC;
	if (nstree_sub_ids == U64_MAX) {
		NL_SET_ERR_MSG_MOD(info->extack, "too many subscribers");
		goto err_unlock;
	}
	sub->id = __ffs64(~nstree_sub_ids);

	/* The reply goes first, so it precedes every event on the socket. */
	err = nstree_sub_reply(sub, info);
	if (err)
		goto err_unlock;

	nstree_sub_ids |= BIT_ULL(sub->id);
	first = !nstree_nsubs++;
	rcu_assign_pointer(nstree_subs[sub->id], sub);
	if (first) {
		static_branch_enable(&nstree_ev_active);
		nstree_hooks_start();
	}
	mutex_unlock(&nstree_sub_mutex);
	return 0;

err_unlock:
	mutex_unlock(&nstree_sub_mutex);
err_free:
	nstree_sub_free(sub);
	return err;
}

int nstree_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nstree_sub *sub;
	int err = 0;

	mutex_lock(&nstree_sub_mutex);
	sub = nstree_sub_find_locked(genl_info_net(info), info->snd_portid);
	if (sub) {
		nstree_sub_remove_locked(sub);
	} else {
		NL_SET_ERR_MSG_MOD(info->extack, "this socket is not subscribed");
		err = -ENOENT;
	}
	mutex_unlock(&nstree_sub_mutex);
	return err;
}

/* A subscriber's socket closed: forget it. */
static int nstree_netlink_notify(struct notifier_block *nb,
				 unsigned long state, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nstree_sub *sub;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !static_branch_unlikely(&nstree_ev_active))
		return NOTIFY_DONE;
	mutex_lock(&nstree_sub_mutex);
	sub = nstree_sub_find_locked(n->net, n->portid);
	if (sub)
		nstree_sub_remove_locked(sub);
	mutex_unlock(&nstree_sub_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block nstree_netlink_nb = {
	.notifier_call = nstree_netlink_notify,
};

int __init nstree_events_init(void)
{
	int err = -ENOMEM;

	nstree_ev_cache = KMEM_CACHE(nstree_event, 0);
	if (!nstree_ev_cache)
		return err;
	/* Workers only send without blocking; they need no CPU of their own. */
	nstree_wq = alloc_workqueue("nstree_events", WQ_UNBOUND, 0);
	if (!nstree_wq)
		goto err_destroy_cache;
	err = netlink_register_notifier(&nstree_netlink_nb);
	if (err)
		goto err_destroy_wq;
	err = nstree_hooks_init();
	if (err)
		goto err_unregister_notifier;
	return 0;

err_unregister_notifier:
	netlink_unregister_notifier(&nstree_netlink_nb);
err_destroy_wq:
	destroy_workqueue(nstree_wq);
err_destroy_cache:
	kmem_cache_destroy(nstree_ev_cache);
	return err;
}

/*
 * Before the family goes: refuse new subscribers, detach every hook (no
 * probe runs after this returns), then drop the subscribers and free what
 * they held.
 */
void nstree_events_exit(void)
{
	struct nstree_sub *sub;
	int i;

	mutex_lock(&nstree_sub_mutex);
	nstree_closing = true;
	mutex_unlock(&nstree_sub_mutex);

	nstree_hooks_exit();

	mutex_lock(&nstree_sub_mutex);
	for (i = 0; i < NSTREE_SUB_MAX; i++) {
		sub = rcu_dereference_protected(nstree_subs[i],
						lockdep_is_held(&nstree_sub_mutex));
		if (sub)
			nstree_sub_remove_locked(sub);
	}
	mutex_unlock(&nstree_sub_mutex);

	netlink_unregister_notifier(&nstree_netlink_nb);
	/* Frees the events dropped by the hooks and by the removals. */
	flush_work(&nstree_ev_free_work);
	destroy_workqueue(nstree_wq);
	nstree_ev_free_work_fn(NULL);
	kmem_cache_destroy(nstree_ev_cache);
}
