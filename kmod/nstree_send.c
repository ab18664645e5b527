// SPDX-License-Identifier: GPL-2.0
/*
 * The sender: each subscriber's work item turns the records of its ring
 * into NSTREE_CMD_EVENT messages, in process context, and sends them
 * without blocking, so a subscriber that does not read only ever loses its
 * own events. A gap in the sequence numbers (events that did not fit in
 * the ring) is reported as a LOST notice just before the event that
 * follows it, or as soon as the socket has room when nothing follows.
 *
 * The worker is the ring's only reader and the hooks only ever write past
 * its tail, so a record between head and tail stays put while it is read
 * without the lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "nstree.h"
#include "nstree_queue.h"

/* Events a worker sends before it lets the other work items run. */
#define NSTREE_WORK_BUDGET	256
/* How soon to try again when a subscriber's socket is full. */
#define NSTREE_RETRY_MS		20

static const int nstree_role_attr[NSTREE_ROLE_MAX] = {
	[NSTREE_ROLE_PROC]	= NSTREE_A_EV_PROC,
	[NSTREE_ROLE_PARENT]	= NSTREE_A_EV_PARENT,
	[NSTREE_ROLE_OLD_PARENT] = NSTREE_A_EV_OLD_PARENT,
	[NSTREE_ROLE_REAPER]	= NSTREE_A_EV_REAPER,
};

static int nstree_put_nrs(struct sk_buff *skb, int type, const u32 *nr,
			  unsigned int depth)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < depth; i++)
		if (nla_put_u32(skb, i + 1, nr[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One process of a record, as a nest of @type; returns what follows it. */
static const u8 *nstree_put_rec_proc(struct sk_buff *skb, int type,
				     const u8 *pos, u64 boot_off)
{
	const struct nstree_rec_proc *rp = (const void *)pos;
	u64 pidns_id = (u64)rp->pidns_id[1] << 32 | rp->pidns_id[0];
	u64 start = (u64)rp->start[1] << 32 | rp->start[0];
	const u32 *tnr = rp->nr + rp->depth;
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put_u32(skb, NSTREE_A_PROC_PID, rp->nr[0]) ||
	    nstree_put_nrs(skb, NSTREE_A_PROC_NSPID, rp->nr, rp->depth) ||
	    nla_put_u32(skb, NSTREE_A_PROC_PIDNS_INUM, rp->pidns_inum) ||
	    nla_put_string(skb, NSTREE_A_PROC_COMM, rp->comm) ||
	    (pidns_id && nla_put_u64_64bit(skb, NSTREE_A_PROC_PIDNS_ID, pidns_id,
					   NSTREE_A_PROC_PAD)) ||
	    (start && nla_put_u64_64bit(skb, NSTREE_A_PROC_START_TIME,
					start + boot_off, NSTREE_A_PROC_PAD)))
		return NULL;
	if (rp->tdepth &&
	    (nla_put_u32(skb, NSTREE_A_PROC_TID, tnr[0]) ||
	     nstree_put_nrs(skb, NSTREE_A_PROC_NSTID, tnr, rp->tdepth)))
		return NULL;
	nla_nest_end(skb, nest);
	return pos + sizeof(*rp) + (rp->depth + rp->tdepth) * sizeof(u32);
}

static int nstree_rec_fill(struct sk_buff *skb, const struct nstree_rec *rec,
			   u64 boot_off)
{
	const u8 *pos = (const u8 *)(rec + 1);
	int i;

	for (i = 0; i < NSTREE_ROLE_MAX; i++) {
		if (!(rec->roles & BIT(i)))
			continue;
		pos = nstree_put_rec_proc(skb, nstree_role_attr[i], pos,
					  boot_off);
		if (!pos)
			return -EMSGSIZE;
	}
	/* How the parent called clone(): not where the parent is invisible. */
	if (rec->type == NSTREE_EV_FORK &&
	    (rec->roles & BIT(NSTREE_ROLE_PARENT)) &&
	    nla_put_u64_64bit(skb, NSTREE_A_EV_CLONE_FLAGS, rec->clone_flags,
			      NSTREE_A_EV_PAD))
		return -EMSGSIZE;
	if (((rec->flags & NSTREE_REC_THREAD) &&
	     nla_put_flag(skb, NSTREE_A_EV_THREAD)) ||
	    ((rec->flags & NSTREE_REC_NS_INIT) &&
	     nla_put_flag(skb, NSTREE_A_EV_NS_INIT)) ||
	    ((rec->flags & NSTREE_REC_GROUP_DEAD) &&
	     nla_put_flag(skb, NSTREE_A_EV_GROUP_DEAD)) ||
	    (rec->filename_len &&
	     nla_put_string(skb, NSTREE_A_EV_FILENAME, (const char *)pos)))
		return -EMSGSIZE;
	if (rec->type == NSTREE_EV_EXIT &&
	    nla_put_u32(skb, NSTREE_A_EV_EXIT_CODE, rec->exit_code))
		return -EMSGSIZE;
	if (rec->reason && nla_put_u32(skb, NSTREE_A_EV_REASON, rec->reason))
		return -EMSGSIZE;
	if (rec->type == NSTREE_EV_NS_INIT_EXIT &&
	    nla_put_u32(skb, NSTREE_A_EV_COUNT, rec->count))
		return -EMSGSIZE;
	if (rec->ns_inum &&
	    (nla_put_u32(skb, NSTREE_A_EV_NS_INUM, rec->ns_inum) ||
	     nla_put_u32(skb, NSTREE_A_EV_NS_LEVEL, rec->ns_level)))
		return -EMSGSIZE;
	if (rec->ns_parent_inum &&
	    nla_put_u32(skb, NSTREE_A_EV_NS_PARENT_INUM, rec->ns_parent_inum))
		return -EMSGSIZE;
	if (rec->ns_inum && rec->ns_id &&
	    nla_put_u64_64bit(skb, NSTREE_A_EV_NS_ID, rec->ns_id, NSTREE_A_EV_PAD))
		return -EMSGSIZE;
	if (rec->ns_parent_id &&
	    nla_put_u64_64bit(skb, NSTREE_A_EV_NS_PARENT_ID, rec->ns_parent_id,
			      NSTREE_A_EV_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * The message's size, to the byte or above: a tight skb lets a socket's
 * receive buffer hold more events.
 */
static size_t nstree_rec_msg_size(const struct nstree_rec *rec)
{
	/* type, seq, time, and the fixed-size attributes, padding included */
	size_t size = 18 * nla_total_size_64bit(8);
	const struct nstree_rec_proc *rp;
	const u8 *pos;
	int i;

	if (!rec)
		return size;
	pos = (const u8 *)(rec + 1);
	for (i = 0; i < NSTREE_ROLE_MAX; i++) {
		if (!(rec->roles & BIT(i)))
			continue;
		rp = (const void *)pos;
		size += nla_total_size(0) + 2 * nla_total_size(4) +
			nla_total_size(TASK_COMM_LEN) + 2 * nla_total_size_64bit(8) +
			nla_total_size(rp->depth * nla_total_size(4));
		if (rp->tdepth)
			size += nla_total_size(4) +
				nla_total_size(rp->tdepth * nla_total_size(4));
		pos += sizeof(*rp) + (rp->depth + rp->tdepth) * sizeof(u32);
	}
	return size + nla_total_size(rec->filename_len);
}

/*
 * Send one message: @rec, or with a NULL @rec the LOST notice for @lost
 * events ending at @seq. Returns 0 once it is queued (or dropped by the
 * socket's own filter), -EAGAIN while the socket is full, -ECONNREFUSED
 * once it is closed.
 */
static int nstree_send_one(struct nstree_sub *sub, const struct nstree_rec *rec,
			   u64 seq, u64 lost)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (sock_flag(sub->sk, SOCK_DEAD))
		return -ECONNREFUSED;
	skb = genlmsg_new(nstree_rec_msg_size(rec), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &nstree_genl_family, 0, NSTREE_CMD_EVENT);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(skb, NSTREE_A_EV_TYPE, rec ? rec->type : NSTREE_EV_LOST) ||
	    nla_put_u64_64bit(skb, NSTREE_A_EV_SEQ, seq, NSTREE_A_EV_PAD) ||
	    nla_put_u64_64bit(skb, NSTREE_A_EV_TIME,
			      (rec ? rec->time : ktime_get_boottime_ns()) +
			      sub->boot_off,
			      NSTREE_A_EV_PAD))
		goto err_free;
	if (rec)
		err = nstree_rec_fill(skb, rec, sub->boot_off);
	else
		err = nla_put_u64_64bit(skb, NSTREE_A_EV_LOST, lost,
					NSTREE_A_EV_PAD);
	if (err)
		goto err_free;
	genlmsg_end(skb, hdr);
	/*
	 * Queued on the subscribed socket itself, which the subscriber holds,
	 * not sent to its port id: netlink_release() unhashes the port id
	 * before it marks the socket dead, and a socket binding that port id
	 * in between would receive the event (netlink_unicast() looks the
	 * port id up). As netlink_unicast() does, this runs the socket's
	 * filter and charges its receive buffer, failing when it is full.
	 */
	err = sock_queue_rcv_skb(sub->sk, skb);
	if (err)
		kfree_skb(skb);
	switch (err) {
	case -ENOMEM:	/* the receive buffer is full */
	case -ENOBUFS:
		return -EAGAIN;
	case -EPERM:	/* the reader's filter (or an LSM) drops it: done */
		return 0;
	}
	return err;

err_free:
	/* The size is computed for the worst case: this is a bug. */
	nlmsg_free(skb);
	pr_err_once("event message too small\n");
	return -EMSGSIZE;
}

/* The next record to send, NULL when the ring is empty. Context: sub->lock. */
static const struct nstree_rec *nstree_ring_peek(struct nstree_sub *sub)
{
	const struct nstree_rec *rec;

	while (sub->head != sub->tail) {
		rec = (const void *)(sub->ring + (sub->head & (sub->size - 1)));
		if (rec->type)
			return rec;
		sub->head += rec->len;	/* padding at the ring's end */
	}
	return NULL;
}

void nstree_send_work(struct work_struct *work)
{
	struct nstree_sub *sub = container_of(to_delayed_work(work),
					      struct nstree_sub, work);
	const struct nstree_rec *rec;
	int budget, err = 0;
	u64 seq;

	for (budget = NSTREE_WORK_BUDGET; budget; budget--) {
		raw_spin_lock_irq(&sub->lock);
		if (sub->dead) {
			raw_spin_unlock_irq(&sub->lock);
			return;
		}
		rec = nstree_ring_peek(sub);
		seq = rec ? rec->seq : sub->seq + 1;
		raw_spin_unlock_irq(&sub->lock);

		/* A gap before the next event, or at the end: lost events. */
		if (seq - 1 > sub->sent) {
			err = nstree_send_one(sub, NULL, seq - 1,
					      seq - 1 - sub->sent);
			if (err)
				break;
			sub->sent = seq - 1;
		}
		if (!rec)
			return;
		err = nstree_send_one(sub, rec, seq, 0);
		if (err)
			break;
		raw_spin_lock_irq(&sub->lock);
		sub->head += rec->len;
		raw_spin_unlock_irq(&sub->lock);
		sub->sent = seq;
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
		/* -ECONNREFUSED: the socket is gone, or refuses unicast. */
		nstree_sub_gone(sub);
	}
}
