/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A subscriber and its record ring: shared by the queues (nstree_queue.c),
 * which write records in hook context, and the sender (nstree_send.c),
 * which reads them in process context.
 */
#ifndef _NSTREE_QUEUE_H
#define _NSTREE_QUEUE_H

#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "nstree_event.h"

/*
 * A record: one event as one subscriber sees it, already translated into
 * its PID namespace, 8-byte aligned in the ring. @type 0 is padding that
 * fills the ring's end when a record does not fit there. Then, for each
 * role in @roles, a struct nstree_rec_proc with its PID numbers; then
 * @filename_len bytes of file name (with its NUL).
 */
struct nstree_rec {
	u32 len;
	u32 type;
	u64 seq;
	u64 time;
	u64 clone_flags;
	u64 ns_id;
	u64 ns_parent_id;
	u32 reason;
	u32 exit_code;
	u32 count;
	u32 ns_inum;
	u32 ns_level;		/* below the subscriber's namespace */
	u32 ns_parent_inum;
	u16 filename_len;
	u8 flags;
	u8 roles;
};

/*
 * The longest exec file name: execveat() with a directory and a relative
 * name runs "/dev/fd/N/NAME" (fs/exec.c, alloc_bprm()), NAME up to
 * PATH_MAX - 1 bytes and N up to 10 digits.
 */
#define NSTREE_FILENAME_MAX	(PATH_MAX + 32)

#define NSTREE_REC_THREAD	BIT(0)
#define NSTREE_REC_NS_INIT	BIT(1)
#define NSTREE_REC_GROUP_DEAD	BIT(2)

/*
 * A process in a record: @depth PID numbers from the subscriber's level
 * down, then @tdepth thread ID numbers (0: not about a thread). Only 4-byte
 * aligned, so the u64s @pidns_id and @start (its leader's start_boottime,
 * host boot time) are kept as two halves, low one first.
 */
struct nstree_rec_proc {
	u8 depth;
	u8 tdepth;
	u16 pad;
	u32 pidns_inum;		/* the process's own (deepest) namespace */
	u32 pidns_id[2];	/* its ID, 0: none */
	u32 start[2];		/* 0: unknown */
	char comm[TASK_COMM_LEN];
	u32 nr[];
};

/* Ring bytes per event of QUEUE_LEN: a fork two namespaces deep. */
#define NSTREE_REC_TYPICAL	176
/* At least this much, so the largest record fits twice. */
#define NSTREE_RING_MIN		(16 * 1024)

struct nstree_sub {
	unsigned int slot;		/* bit in the slot bitmaps */
	struct hlist_node view_node;	/* in nstree_subs_by_view */
	struct list_head reap_node;	/* on the way out */
	struct net *net;
	u32 portid;
	struct sock *sk;		/* the subscribed socket, held */
	struct pid_namespace *ns;	/* the subscriber's: the view */
	u64 boot_off;			/* its time namespace's CLOCK_BOOTTIME */
	kuid_t charge_uid;		/* the user it counts against */
	bool privileged;		/* CAP_SYS_ADMIN in init_user_ns */
	u32 events;			/* wanted types, bit (1 << type) */
	struct pid_namespace *filter_ns; /* held; NULL: no namespace filter */
	bool filter_subtree;		/* descendants of this process */
	pid_t filter_root_tgid;		/* in init_pid_ns, with ... */
	u64 filter_root_start;		/* ... its start time against reuse */
	u32 qlen;			/* QUEUE_LEN as asked */
	struct delayed_work work;
	u64 sent;			/* worker only: last seq sent or reported */

	raw_spinlock_t lock;		/* protects the fields below */
	bool dead;			/* no more events: being removed */
	u64 seq;			/* last sequence number given out */
	u64 head;			/* ring: next byte to read ... */
	u64 tail;			/* ... and to write, both free-running */
	u32 size;			/* ring bytes, a power of two */
	u8 *ring;
};

extern struct workqueue_struct *nstree_wq;

/* nstree_queue.c: the sender found the subscriber's socket gone. */
void nstree_sub_gone(struct nstree_sub *sub);

#endif /* _NSTREE_QUEUE_H */
