// SPDX-License-Identifier: GPL-2.0
/*
 * Subscribers and their queues.
 *
 * A subscriber is one netlink socket with the PID namespace of the task
 * that subscribed: its view. Every PID it receives is translated into that
 * namespace, and it only hears about processes it can see there. The
 * hooks find the subscribers an event concerns through the namespaces the
 * event's process belongs to (one hash bucket per level), so a subscriber
 * costs nothing for events it cannot see: a container's subscribers add
 * nothing to the host's forks and exits.
 *
 * Each subscriber owns a ring of records, allocated when it subscribes
 * and charged to its memory cgroup. nstree_publish() writes the event into
 * the ring already translated, under the subscriber's raw spinlock, and
 * kicks its work item (nstree_send.c); when the ring is full the event is
 * lost, for that subscriber alone. Loss accounting rests on the sequence
 * number: every event meant for a subscriber takes the next number,
 * queued or not, and the sender reports each gap as a LOST notice.
 *
 * What one user may cost is bounded by what it owns: subscriptions count
 * against the user owning the subscriber's outermost user namespace, at
 * most max_user_subs each, and NSTREE_SUB_RESERVED slots are kept for
 * callers with CAP_SYS_ADMIN in the initial user namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "nstree.h"
#include "nstree_queue.h"

#define NSTREE_QUEUE_DEFAULT	4096
#define NSTREE_QUEUE_MIN	16
#define NSTREE_QUEUE_MAX	65536
/* Masks have one bit per event type; LOST cannot be turned off. */
#define NSTREE_EV_ALL		(GENMASK(NSTREE_EV_NS_DESTROYED, NSTREE_EV_FORK))
/* Longest ancestry walked for the subtree filter. */
#define NSTREE_MAX_DEPTH	4096
#define NSTREE_VIEW_BITS	6

static unsigned int max_user_subs = 8;
module_param(max_user_subs, uint, 0644);
MODULE_PARM_DESC(max_user_subs,
		 "Most subscriptions one user may hold, unless CAP_SYS_ADMIN in the initial user namespace (default 8)");

/*
 * Subscribers by slot, and by view for the hooks (RCU); changed under
 * nstree_sub_mutex, which also protects nstree_nsubs and nstree_closing.
 */
static struct nstree_sub __rcu *nstree_subs[NSTREE_SUB_SLOTS];
static DEFINE_HASHTABLE(nstree_subs_by_view, NSTREE_VIEW_BITS);
static DEFINE_MUTEX(nstree_sub_mutex);
static unsigned int nstree_nsubs;
static bool nstree_closing;

struct workqueue_struct *nstree_wq;

static void nstree_reap_work_fn(struct work_struct *work);
static DECLARE_WORK(nstree_reap_work, nstree_reap_work_fn);

/*
 * The hooks stay this long after the last subscriber leaves, so a client
 * that subscribes again at once (a restarted watcher, a test suite) does
 * not make the kernel patch its code for every subscription.
 */
#define NSTREE_HOOKS_LINGER	(2 * HZ)
static bool nstree_hooked;	/* under nstree_sub_mutex */
static void nstree_unhook_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nstree_unhook_work, nstree_unhook_work_fn);

/* Filters, hook side. */

static bool nstree_is_subtree_root(const struct nstree_sub *sub,
				   const struct task_struct *t)
{
	return t->tgid == sub->filter_root_tgid &&
	       t->group_leader->start_time == sub->filter_root_start;
}

static bool nstree_in_subtree(const struct nstree_sub *sub,
			      struct task_struct *t)
{
	int depth;

	for (depth = 0; t && depth < NSTREE_MAX_DEPTH; depth++) {
		if (nstree_is_subtree_root(sub, t))
			return true;
		if (t == rcu_dereference(t->real_parent))
			break;
		t = rcu_dereference(t->real_parent);
	}
	return false;
}

/* nstree_in_subtree(), answered once per slot for @seen's task. */
static bool nstree_in_subtree_seen(const struct nstree_sub *sub,
				   struct task_struct *t,
				   struct nstree_subtree_seen *seen)
{
	if (!t)
		return false;
	if (seen->task != t) {
		seen->task = t;
		bitmap_zero(seen->known, NSTREE_SUB_SLOTS);
	}
	if (!__test_and_set_bit(sub->slot, seen->known))
		__assign_bit(sub->slot, seen->in, nstree_in_subtree(sub, t));
	return test_bit(sub->slot, seen->in);
}

/*
 * The subtree filter for a subject with a memo: @task itself is the root,
 * or its parent is in the subtree, or @task_alt is (one step less of
 * depth than nstree_in_subtree() allows, for the first).
 */
static bool nstree_in_subtree_memo(const struct nstree_sub *sub,
				   const struct nstree_ev_subject *subj)
{
	struct nstree_subtree_memo *m = subj->memo;
	struct task_struct *t = subj->task, *parent;

	if (t) {
		if (nstree_is_subtree_root(sub, t))
			return true;
		parent = rcu_dereference(t->real_parent);
		if (parent != t &&
		    nstree_in_subtree_seen(sub, parent, &m->parent))
			return true;
	}
	return nstree_in_subtree_seen(sub, subj->task_alt, &m->alt);
}

/* The namespace and subtree filters; the view was checked by the caller. */
static bool nstree_sub_wants(const struct nstree_sub *sub,
			     const struct nstree_ev_subject *subj)
{
	const struct pid_namespace *f = sub->filter_ns, *ns;

	if (f) {
		if (subj->ns) {
			for (ns = subj->ns; ns && ns->level > f->level;
			     ns = ns->parent)
				;
			if (ns != f)
				return false;
		} else if (!nstree_pid_in_ns(subj->pid, f)) {
			return false;
		}
	}
	if (sub->filter_subtree && subj->memo)
		return nstree_in_subtree_memo(sub, subj);
	if (sub->filter_subtree)
		return nstree_in_subtree(sub, subj->task) ||
		       nstree_in_subtree(sub, subj->task_alt);
	return true;
}

/* Records. */

static size_t nstree_rec_proc_size(const struct nstree_ev_proc *p,
				   const struct pid_namespace *ns)
{
	size_t n;

	if (!nstree_pid_in_ns(p->pid, ns))
		return 0;
	n = p->pid->level - ns->level + 1;
	if (nstree_pid_in_ns(p->tid, ns))
		n += p->tid->level - ns->level + 1;
	return sizeof(struct nstree_rec_proc) + n * sizeof(u32);
}

static u8 *nstree_rec_put_proc(u8 *pos, const struct nstree_ev_proc *p,
			       const u64 *facts, const struct pid_namespace *ns)
{
	u64 pidns_id = facts[0], start = facts[1];

	struct nstree_rec_proc *rp = (struct nstree_rec_proc *)pos;
	unsigned int i, n = 0;

	rp->depth = p->pid->level - ns->level + 1;
	rp->tdepth = nstree_pid_in_ns(p->tid, ns) ?
		     p->tid->level - ns->level + 1 : 0;
	rp->pad = 0;
	rp->pidns_inum = p->pid->numbers[p->pid->level].ns->ns.inum;
	rp->pidns_id[0] = lower_32_bits(pidns_id);
	rp->pidns_id[1] = upper_32_bits(pidns_id);
	rp->start[0] = lower_32_bits(start);
	rp->start[1] = upper_32_bits(start);
	/* Racy against a concurrent rename, as /proc reads it: harmless. */
	strscpy_pad(rp->comm, p->comm ? p->comm : "", sizeof(rp->comm));
	for (i = ns->level; i <= p->pid->level; i++)
		rp->nr[n++] = p->pid->numbers[i].nr;
	if (rp->tdepth)
		for (i = ns->level; i <= p->tid->level; i++)
			rp->nr[n++] = p->tid->numbers[i].nr;
	return pos + sizeof(*rp) + n * sizeof(u32);
}

/*
 * A reason describes the new parent (REPARENT) or the reaper (REAP): it
 * goes where that process goes, and not where it is invisible.
 */
static bool nstree_reason_visible(u32 type, u8 roles)
{
	switch (type) {
	case NSTREE_EV_REPARENT:
		return roles & BIT(NSTREE_ROLE_PARENT);
	case NSTREE_EV_REAP:
		return roles & BIT(NSTREE_ROLE_REAPER);
	}
	return true;
}

/*
 * Write @ev as @sub sees it, with @seq, at the ring's tail; false when it
 * does not fit. Context: sub->lock.
 */
static bool nstree_ring_write(struct nstree_sub *sub, const struct nstree_ev *ev,
			      const u64 *facts, u64 seq, u64 now)
{
	const struct pid_namespace *ns = sub->ns;
	size_t len = sizeof(struct nstree_rec), flen = 0;
	struct nstree_rec *rec;
	u32 off, pad = 0;
	u8 *pos;
	int i;

	for (i = 0; i < NSTREE_ROLE_MAX; i++)
		len += nstree_rec_proc_size(&ev->proc[i], ns);
	if (ev->filename) {
		flen = strnlen(ev->filename, NSTREE_FILENAME_MAX - 1) + 1;
		len += flen;
	}
	len = ALIGN(len, 8);
	off = sub->tail & (sub->size - 1);
	if (off + len > sub->size)
		pad = sub->size - off;
	if (sub->tail + pad + len - sub->head > sub->size)
		return false;
	if (pad) {
		rec = (struct nstree_rec *)(sub->ring + off);
		rec->len = pad;
		rec->type = 0;
		sub->tail += pad;
		off = 0;
	}

	rec = (struct nstree_rec *)(sub->ring + off);
	memset(rec, 0, sizeof(*rec));
	rec->len = len;
	rec->type = ev->type;
	rec->seq = seq;
	rec->time = now;
	rec->clone_flags = ev->clone_flags;
	rec->exit_code = ev->exit_code;
	rec->count = ev->count;
	if (ev->ns_inum) {
		rec->ns_inum = ev->ns_inum;
		rec->ns_id = ev->ns_id;
		rec->ns_level = ev->ns_level - ns->level;
		/* The parent of a namespace at the subscriber's depth is above. */
		if (rec->ns_level > 0) {
			rec->ns_parent_inum = ev->ns_parent_inum;
			rec->ns_parent_id = ev->ns_parent_id;
		}
	}
	rec->flags = (ev->thread ? NSTREE_REC_THREAD : 0) |
		     (ev->ns_init ? NSTREE_REC_NS_INIT : 0) |
		     (ev->group_dead ? NSTREE_REC_GROUP_DEAD : 0);
	pos = (u8 *)(rec + 1);
	for (i = 0; i < NSTREE_ROLE_MAX; i++) {
		/* Nothing about what the subscriber cannot see: not even that. */
		if (!nstree_pid_in_ns(ev->proc[i].pid, ns))
			continue;
		rec->roles |= BIT(i);
		pos = nstree_rec_put_proc(pos, &ev->proc[i], facts + 2 * i, ns);
	}
	if (nstree_reason_visible(ev->type, rec->roles))
		rec->reason = ev->reason;
	if (flen) {
		memcpy(pos, ev->filename, flen - 1);
		pos[flen - 1] = '\0';
		rec->filename_len = flen;
	}
	sub->tail += len;
	return true;
}

static void nstree_offer(struct nstree_sub *sub, const struct nstree_ev *ev,
			 const struct nstree_ev_subject *subj, const u64 *ids,
			 unsigned long *seen, u64 now)
{
	unsigned long flags;
	bool kick = false;

	if (!subj->ns_subs && !nstree_sub_wants(sub, subj))
		return;
	if (seen)
		__set_bit(sub->slot, seen);
	if (!(sub->events & BIT(ev->type)))
		return;
	raw_spin_lock_irqsave(&sub->lock, flags);
	if (!sub->dead) {
		sub->seq++;
		if (!ev->lost)
			nstree_ring_write(sub, ev, ids, sub->seq, now);
		kick = true;
	}
	raw_spin_unlock_irqrestore(&sub->lock, flags);
	/* Leaves a pending retry alone: it fires soon enough. */
	if (kick)
		queue_delayed_work(nstree_wq, &sub->work, 0);
}

/* The subscribers whose view is @ns. */
static void nstree_offer_view(const struct pid_namespace *ns,
			      const struct nstree_ev *ev,
			      const struct nstree_ev_subject *subj,
			      const u64 *ids, unsigned long *seen, u64 now)
{
	struct nstree_sub *sub;

	hash_for_each_possible_rcu(nstree_subs_by_view, sub, view_node,
				   (unsigned long)ns)
		if (sub->ns == ns)
			nstree_offer(sub, ev, subj, ids, seen, now);
}

void nstree_publish(const struct nstree_ev *ev,
		    const struct nstree_ev_subject *subj, unsigned long *seen)
{
	u64 now = ktime_get_boottime_ns();
	const struct pid_namespace *ns;
	u64 ids[2 * NSTREE_ROLE_MAX] = { 0 };
	struct task_struct *t;
	struct pid *pid;
	struct nstree_sub *sub;
	unsigned int i;

	/*
	 * Of each process: the ID of its own namespace, held by its PID, and
	 * when its leader started, which with its PID makes an identity that
	 * a reused PID does not share. A process already released (REAP) is
	 * found through the subject's task, held by its tracking entry.
	 */
	for (i = 0; i < NSTREE_ROLE_MAX && !ev->lost; i++) {
		pid = ev->proc[i].pid;
		if (!pid)
			continue;
		ids[2 * i] = nstree_nsid(pid->numbers[pid->level].ns);
		t = pid_task(pid, PIDTYPE_TGID);
		if (!t && i == NSTREE_ROLE_PROC && subj->task &&
		    subj->task == subj->task->group_leader)
			t = subj->task;
		if (t)
			ids[2 * i + 1] = t->start_boottime;
	}
	if (seen)
		bitmap_zero(seen, NSTREE_SUB_SLOTS);
	if (subj->ns_subs) {
		for_each_set_bit(i, subj->ns_subs, NSTREE_SUB_SLOTS) {
			sub = rcu_dereference(nstree_subs[i]);
			if (sub)
				nstree_offer(sub, ev, subj, ids, seen, now);
		}
	} else if (subj->ns) {
		for (ns = subj->ns; ns; ns = ns->parent)
			nstree_offer_view(ns, ev, subj, ids, seen, now);
	} else if (subj->pid) {
		for (i = 0; i <= subj->pid->level; i++)
			nstree_offer_view(subj->pid->numbers[i].ns, ev, subj,
					  ids, seen, now);
	}
}

void nstree_publish_lost(unsigned long n)
{
	struct nstree_sub *sub;
	unsigned long flags;
	unsigned int i;
	bool kick;

	for (i = 0; i < NSTREE_SUB_SLOTS; i++) {
		sub = rcu_dereference(nstree_subs[i]);
		if (!sub)
			continue;
		raw_spin_lock_irqsave(&sub->lock, flags);
		kick = !sub->dead;
		if (kick)
			sub->seq += n;
		raw_spin_unlock_irqrestore(&sub->lock, flags);
		if (kick)
			queue_delayed_work(nstree_wq, &sub->work, 0);
	}
}

/* Subscriber table. Context: process. */

/* The live subscription of socket @sk, which is not closing. */
static struct nstree_sub *nstree_sub_find_locked(const struct sock *sk)
{
	struct nstree_sub *sub;
	int i;

	lockdep_assert_held(&nstree_sub_mutex);
	for (i = 0; i < NSTREE_SUB_SLOTS; i++) {
		sub = rcu_dereference_protected(nstree_subs[i],
						lockdep_is_held(&nstree_sub_mutex));
		if (sub && !READ_ONCE(sub->dead) && sub->sk == sk)
			return sub;
	}
	return NULL;
}

static void nstree_sub_free(struct nstree_sub *sub)
{
	kvfree(sub->ring);
	if (sub->filter_ns)
		put_pid_ns(sub->filter_ns);
	if (sub->ns)
		put_pid_ns(sub->ns);
	if (sub->sk)
		sock_put(sub->sk);
	if (sub->net)
		put_net(sub->net);
	kfree(sub);
}

static void nstree_sub_mark_dead(struct nstree_sub *sub)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sub->lock, flags);
	WRITE_ONCE(sub->dead, true);
	raw_spin_unlock_irqrestore(&sub->lock, flags);
}

/* Out of the tables: no new hook finds it. Context: nstree_sub_mutex. */
static void nstree_sub_unlink_locked(struct nstree_sub *sub)
{
	lockdep_assert_held(&nstree_sub_mutex);
	nstree_sub_mark_dead(sub);
	RCU_INIT_POINTER(nstree_subs[sub->slot], NULL);
	hash_del_rcu(&sub->view_node);
	nstree_nsubs--;
}

/* Hooks for the first subscriber; none needed if they still linger. */
static int nstree_hook_locked(void)
{
	int err;

	lockdep_assert_held(&nstree_sub_mutex);
	if (nstree_hooked)
		return 0;
	err = nstree_hooks_register();
	nstree_hooked = !err;
	return err;
}

static void nstree_unhook_locked(void)
{
	lockdep_assert_held(&nstree_sub_mutex);
	if (nstree_hooked && !nstree_nsubs) {
		nstree_hooks_unregister();
		nstree_hooked = false;
	}
}

static void nstree_unhook_work_fn(struct work_struct *work)
{
	mutex_lock(&nstree_sub_mutex);
	nstree_unhook_locked();
	mutex_unlock(&nstree_sub_mutex);
}

/* The last subscriber left: the hooks go a little later. */
static void nstree_unhook_later_locked(void)
{
	if (!nstree_nsubs)
		mod_delayed_work(nstree_wq, &nstree_unhook_work,
				 NSTREE_HOOKS_LINGER);
}

/*
 * After nstree_sub_unlink_locked() and a grace period (no hook holds it):
 * free it.
 */
static void nstree_sub_destroy_locked(struct nstree_sub *sub)
{
	lockdep_assert_held(&nstree_sub_mutex);
	cancel_delayed_work_sync(&sub->work);
	nstree_track_forget_sub(sub->slot);
	nstree_sub_free(sub);
}

static void nstree_sub_remove_locked(struct nstree_sub *sub)
{
	nstree_sub_unlink_locked(sub);
	synchronize_rcu();
	nstree_unhook_later_locked();
	nstree_sub_destroy_locked(sub);
}

/* Subscribers marked dead by the notifier or the sender: remove them. */
static void nstree_reap_work_fn(struct work_struct *work)
{
	struct nstree_sub *sub, *tmp;
	LIST_HEAD(dead);
	int i;

	mutex_lock(&nstree_sub_mutex);
	for (i = 0; i < NSTREE_SUB_SLOTS; i++) {
		sub = rcu_dereference_protected(nstree_subs[i],
						lockdep_is_held(&nstree_sub_mutex));
		if (sub && READ_ONCE(sub->dead)) {
			nstree_sub_unlink_locked(sub);
			list_add(&sub->reap_node, &dead);
		}
	}
	if (!list_empty(&dead)) {
		synchronize_rcu();
		nstree_unhook_later_locked();
	}
	list_for_each_entry_safe(sub, tmp, &dead, reap_node)
		nstree_sub_destroy_locked(sub);
	mutex_unlock(&nstree_sub_mutex);
}

void nstree_sub_gone(struct nstree_sub *sub)
{
	nstree_sub_mark_dead(sub);
	queue_work(nstree_wq, &nstree_reap_work);
}

/* Netlink requests. */

static struct netlink_range_validation nstree_queue_range __ro_after_init = {
	.min = NSTREE_QUEUE_MIN,
	.max = NSTREE_QUEUE_MAX,
};

const struct nla_policy nstree_sub_policy[NSTREE_A_SUB_MAX + 1] = {
	[NSTREE_A_SUB_EVENTS]	= NLA_POLICY_MASK(NLA_U32, NSTREE_EV_ALL |
						  BIT(NSTREE_EV_LOST)),
	[NSTREE_A_SUB_NS_INUM]	= { .type = NLA_U32 },
	[NSTREE_A_SUB_NS_PID]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&nstree_pid_range),
	[NSTREE_A_SUB_SUBTREE]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&nstree_pid_range),
	[NSTREE_A_SUB_QUEUE_LEN] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &nstree_queue_range),
	[NSTREE_A_SUB_PIDNS_INUM] = {
		.type = NLA_REJECT,
		.reject_message = "reply-only attribute",
	},
	[NSTREE_A_SUB_NS_ID]	= { .type = NLA_U64 },
	[NSTREE_A_SUB_PIDNS_ID] = {
		.type = NLA_REJECT,
		.reject_message = "reply-only attribute",
	},
};

/* UNSUBSCRIBE takes no attribute, and says so. */
const struct nla_policy nstree_unsub_policy[NSTREE_A_SUB_MAX + 1] = {
	[NSTREE_A_SUB_EVENTS ... NSTREE_A_SUB_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "UNSUBSCRIBE takes no attribute",
	},
};

/*
 * The process the caller names, as a thread group; NULL when it sees
 * none. A thread's ID names its process, as in the dumps.
 * Context: rcu_read_lock().
 */
static struct task_struct *nstree_sub_task(struct pid_namespace *view,
					   const struct nlattr *attr,
					   struct netlink_ext_ack *extack,
					   int *err)
{
	struct task_struct *t;

	t = pid_task(find_pid_ns(nla_get_u32(attr), view), PIDTYPE_PID);
	if (t)
		t = t->group_leader;
	if (!t || !pid_alive(t)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no such process in the caller's PID namespace");
		*err = -ENOENT;
		return NULL;
	}
	return t;
}

/*
 * The namespace of inode @inum, or of ID @id when not 0, among the
 * caller's and its descendants, held: each holds at least one process, or
 * it would be gone, so walking the processes the caller sees finds it.
 * RCU is dropped every few hundred PIDs; the cursor is the PID number. A
 * namespace found by its ID's address is confirmed by its ID once held:
 * the address may have been freed and taken again meanwhile.
 */
static struct pid_namespace *nstree_find_ns(struct pid_namespace *view,
					    u32 inum, u64 id)
{
	const struct pid_namespace *addr = id ? nstree_nsid_addr(id) : NULL;
	struct pid_namespace *ns, *found = NULL;
	struct pid *pid;
	int nr = 1, n;

	if (id && !addr)
		return NULL;
	if (id ? view == addr : view->ns.inum == inum) {
		found = get_pid_ns(view);
		goto check;
	}
	do {
		rcu_read_lock();
		for (n = 0; n < 256 && !found; n++) {
			pid = find_ge_pid(nr, view);
			if (!pid)
				break;
			for (ns = ns_of_pid(pid); ns && ns->level > view->level;
			     ns = ns->parent)
				if (id ? ns == addr : ns->ns.inum == inum) {
					found = get_pid_ns(ns);
					break;
				}
			nr = pid_nr_ns(pid, view) + 1;
		}
		rcu_read_unlock();
		cond_resched();
	} while (pid && !found);
check:
	if (found && id && nstree_nsid_peek(found) != id) {
		put_pid_ns(found);
		found = NULL;
	}
	return found;
}

static int nstree_sub_parse(struct nstree_sub *sub, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct task_struct *t;
	int err = 0;
	u32 v;

	/* The policy refused unknown bits and out-of-range lengths. */
	sub->events = NSTREE_EV_ALL;
	if (tb[NSTREE_A_SUB_EVENTS]) {
		v = nla_get_u32(tb[NSTREE_A_SUB_EVENTS]);
		if (v & NSTREE_EV_ALL)
			sub->events = v & NSTREE_EV_ALL;
	}
	sub->qlen = NSTREE_QUEUE_DEFAULT;
	if (tb[NSTREE_A_SUB_QUEUE_LEN])
		sub->qlen = nla_get_u32(tb[NSTREE_A_SUB_QUEUE_LEN]);

	if (!!tb[NSTREE_A_SUB_NS_INUM] + !!tb[NSTREE_A_SUB_NS_ID] +
	    !!tb[NSTREE_A_SUB_NS_PID] > 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NSTREE_A_SUB_NS_PID] ?:
				    tb[NSTREE_A_SUB_NS_ID],
				    "name the namespace one way: by inode, by ID or by PID");
		return -EINVAL;
	}

	if (tb[NSTREE_A_SUB_NS_INUM] || tb[NSTREE_A_SUB_NS_ID]) {
		struct nlattr *name = tb[NSTREE_A_SUB_NS_INUM] ?:
				      tb[NSTREE_A_SUB_NS_ID];

		sub->filter_ns = nstree_find_ns(sub->ns,
						tb[NSTREE_A_SUB_NS_INUM] ?
						nla_get_u32(name) : 0,
						tb[NSTREE_A_SUB_NS_ID] ?
						nla_get_u64(name) : 0);
		if (!sub->filter_ns) {
			NL_SET_ERR_MSG_ATTR(extack, name,
					    "no such PID namespace in the caller's view");
			return -ENOENT;
		}
	}

	rcu_read_lock();
	if (tb[NSTREE_A_SUB_NS_PID]) {
		t = nstree_sub_task(sub->ns, tb[NSTREE_A_SUB_NS_PID], extack, &err);
		if (t)
			sub->filter_ns = get_pid_ns(task_active_pid_ns(t));
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

/*
 * The user a subscription counts against: the owner of the caller's
 * outermost user namespace below the initial one, which no one can
 * escape by nesting more namespaces; on the host, the caller's euid.
 */
static kuid_t nstree_charge_uid(const struct cred *cred)
{
	const struct user_namespace *ns = cred->user_ns;

	if (ns == &init_user_ns)
		return cred->euid;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns->owner;
}

/* A free slot for @sub within its limits, or a negative error. */
static int nstree_sub_slot_locked(struct nstree_sub *sub,
				  struct netlink_ext_ack *extack)
{
	unsigned int users = 0, mine = 0, i;
	struct nstree_sub *s;
	int slot = -1;

	lockdep_assert_held(&nstree_sub_mutex);
	for (i = 0; i < NSTREE_SUB_SLOTS; i++) {
		s = rcu_dereference_protected(nstree_subs[i],
					      lockdep_is_held(&nstree_sub_mutex));
		if (!s) {
			if (slot < 0)
				slot = i;
			continue;
		}
		if (s->privileged)
			continue;
		users++;
		if (uid_eq(s->charge_uid, sub->charge_uid))
			mine++;
	}
	if (!sub->privileged && mine >= READ_ONCE(max_user_subs)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many subscribers for this user (max_user_subs)");
		return -ENOSPC;
	}
	if (slot < 0 ||
	    (!sub->privileged && users >= NSTREE_SUB_SLOTS - NSTREE_SUB_RESERVED)) {
		NL_SET_ERR_MSG_MOD(extack, "too many subscribers");
		return -ENOSPC;
	}
	return slot;
}

static int nstree_sub_reply(struct nstree_sub *sub, struct genl_info *info)
{
	u64 pidns_id = nstree_nsid(sub->ns);
	u64 filter_id = nstree_nsid(sub->filter_ns);
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
	    (pidns_id && nla_put_u64_64bit(msg, NSTREE_A_SUB_PIDNS_ID, pidns_id,
					   NSTREE_A_SUB_PAD)) ||
	    (sub->filter_ns &&
	     nla_put_u32(msg, NSTREE_A_SUB_NS_INUM, sub->filter_ns->ns.inum)) ||
	    (filter_id && nla_put_u64_64bit(msg, NSTREE_A_SUB_NS_ID, filter_id,
					    NSTREE_A_SUB_PAD))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int nstree_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct netlink_ext_ack *extack = info->extack;
	struct nstree_sub *sub;
	int slot, err;

	/* Root of a container may watch that container, and nothing else. */
	if (!netlink_ns_capable(skb, ns->user_ns, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "subscribing needs CAP_SYS_ADMIN over the user namespace owning the caller's PID namespace");
		return -EPERM;
	}

	sub = kzalloc(sizeof(*sub), GFP_KERNEL_ACCOUNT);
	if (!sub)
		return -ENOMEM;
	raw_spin_lock_init(&sub->lock);
	INIT_DELAYED_WORK(&sub->work, nstree_send_work);
	sub->ns = get_pid_ns(ns);
	/* Times as the subscriber's own clock_gettime(CLOCK_BOOTTIME). */
	sub->boot_off = timens_add_boottime_ns(0);
	sub->net = get_net(genl_info_net(info));
	sub->portid = info->snd_portid;
	sub->sk = NETLINK_CB(skb).sk;
	sock_hold(sub->sk);
	sub->privileged = netlink_ns_capable(skb, &init_user_ns, CAP_SYS_ADMIN);
	sub->charge_uid = nstree_charge_uid(current_cred());

	err = nstree_sub_parse(sub, info);
	if (err)
		goto err_free;
	/* Room for QUEUE_LEN typical events; the largest fits twice. */
	sub->size = roundup_pow_of_two(max_t(u32, sub->qlen * NSTREE_REC_TYPICAL,
					     NSTREE_RING_MIN));
	err = -ENOMEM;
	sub->ring = kvmalloc(sub->size, GFP_KERNEL_ACCOUNT);
	if (!sub->ring)
		goto err_free;

	mutex_lock(&nstree_sub_mutex);
	err = -ESHUTDOWN;
	if (nstree_closing) {
		NL_SET_ERR_MSG_MOD(extack, "the module is being unloaded");
		goto err_unlock;
	}
	err = -EBUSY;
	if (nstree_sub_find_locked(sub->sk)) {
		NL_SET_ERR_MSG_MOD(extack, "this socket is already subscribed");
		goto err_unlock;
	}
	slot = nstree_sub_slot_locked(sub, extack);
	if (slot < 0) {
		err = slot;
		goto err_unlock;
	}
	sub->slot = slot;
	err = nstree_hook_locked();
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot attach to the kernel's hooks");
		goto err_unlock;
	}
	/* The reply goes first, so it precedes every event on the socket. */
	err = nstree_sub_reply(sub, info);
	if (err) {
		nstree_unhook_later_locked();
		goto err_unlock;
	}
	nstree_nsubs++;
	rcu_assign_pointer(nstree_subs[slot], sub);
	hash_add_rcu(nstree_subs_by_view, &sub->view_node, (unsigned long)sub->ns);
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
	sub = nstree_sub_find_locked(NETLINK_CB(skb).sk);
	if (sub) {
		nstree_sub_remove_locked(sub);
	} else {
		NL_SET_ERR_MSG_MOD(info->extack, "this socket is not subscribed");
		err = -ENOENT;
	}
	mutex_unlock(&nstree_sub_mutex);
	return err;
}

/*
 * A netlink socket closed. If it was a subscriber's, mark it dead at once
 * and leave the removal (which waits for a grace period) to a work item: the
 * notifier runs for every generic netlink socket closed on the machine.
 */
static int nstree_netlink_notify(struct notifier_block *nb,
				 unsigned long state, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nstree_sub *sub;
	bool found = false;
	int i;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !READ_ONCE(nstree_nsubs))
		return NOTIFY_DONE;
	rcu_read_lock();
	for (i = 0; i < NSTREE_SUB_SLOTS; i++) {
		sub = rcu_dereference(nstree_subs[i]);
		/*
		 * The port id may already be another socket's, subscribed
		 * too: the closing one is orphaned (SOCK_DEAD) by now.
		 */
		if (sub && sub->portid == n->portid && net_eq(sub->net, n->net) &&
		    sock_flag(sub->sk, SOCK_DEAD)) {
			nstree_sub_mark_dead(sub);
			found = true;
		}
	}
	rcu_read_unlock();
	if (found)
		queue_work(nstree_wq, &nstree_reap_work);
	return NOTIFY_DONE;
}

static struct notifier_block nstree_netlink_nb = {
	.notifier_call = nstree_netlink_notify,
};

int __init nstree_queue_init(void)
{
	int err;

	err = nstree_hooks_init();
	if (err)
		return err;
	/* Workers only send without blocking; they need no CPU of their own. */
	nstree_wq = alloc_workqueue("nstree_events", WQ_UNBOUND, 0);
	if (!nstree_wq) {
		err = -ENOMEM;
		goto err_hooks;
	}
	err = netlink_register_notifier(&nstree_netlink_nb);
	if (err)
		goto err_wq;
	return 0;

err_wq:
	destroy_workqueue(nstree_wq);
err_hooks:
	nstree_hooks_exit();
	return err;
}

/*
 * Before the family goes: refuse new subscribers, then remove every one
 * (the hooks go with the last).
 */
void nstree_queue_exit(void)
{
	struct nstree_sub *sub;
	int i;

	netlink_unregister_notifier(&nstree_netlink_nb);
	flush_work(&nstree_reap_work);
	mutex_lock(&nstree_sub_mutex);
	nstree_closing = true;
	for (i = 0; i < NSTREE_SUB_SLOTS; i++) {
		sub = rcu_dereference_protected(nstree_subs[i],
						lockdep_is_held(&nstree_sub_mutex));
		if (sub)
			nstree_sub_remove_locked(sub);
	}
	mutex_unlock(&nstree_sub_mutex);
	/* A sender may have queued the reaper while it was being removed. */
	flush_work(&nstree_reap_work);
	cancel_delayed_work_sync(&nstree_unhook_work);
	mutex_lock(&nstree_sub_mutex);
	nstree_unhook_locked();
	mutex_unlock(&nstree_sub_mutex);
	nstree_hooks_exit();
	destroy_workqueue(nstree_wq);
}
