// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace IDs: a 64-bit number for each PID namespace, never given to
 * another namespace while the module is loaded. Inode numbers cannot be
 * that: they come from an IDA that hands the lowest free number out again
 * as soon as a namespace is freed, and a freed struct pid_namespace is
 * often the very next one allocated from its slab.
 *
 * An ID is taken from a module-global counter the first time the module
 * meets the namespace (in a dump, a request or an event), whenever that
 * is, so namespaces older than the module get one too. The map from the
 * namespace to its ID is kept by address, with the inode number beside
 * it; an entry goes when the namespace is freed: destroy_pid_namespace()
 * first calls proc_free_inum(), whose kprobe is registered for as long as
 * the module is loaded and hands the number here. An address can only
 * come back once its namespace has been freed, that is once the entry is
 * gone, so a new namespace at the same address (and with the same inode
 * number) gets a new ID. No entry is made for a namespace whose count has
 * dropped to zero, which is on its way to proc_free_inum().
 *
 * Nothing holds a namespace: the map does not delay any free.
 *
 * Entries come from a pool allocated at load, so that hooks can name
 * namespaces without allocating: while it is spent, a namespace the module
 * has not met yet has no ID (0, and the attribute is left out).
 *
 * The kprobe on proc_free_inum() may be hit in NMI context (through its
 * int3: nstree_hooks.c says when), where the lock cannot be taken. The
 * inode number then waits in a slot of nstree_nsid_deferred, claimed with
 * cmpxchg(), and whoever takes the lock next drops its entry before doing
 * anything else: a namespace can only take that number (and maybe that
 * address) again after proc_free_inum() has returned, so no later lookup
 * finds the old entry. With every slot taken, the number is lost like a
 * missed kprobe hit (nstree_nsid() then still catches a namespace at the
 * same address with another number).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hardirq.h>
#include <linux/hashtable.h>
#include <linux/pid_namespace.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "nstree.h"

struct nstree_nsid {
	struct hlist_node by_ns;	/* keyed by @ns */
	struct hlist_node by_inum;	/* keyed by @inum */
	struct hlist_node by_id;	/* keyed by @id */
	const struct pid_namespace *ns;	/* compared, never dereferenced */
	u64 id;
	u32 inum;
	struct nstree_nsid *next_free;
};

#define NSTREE_NSID_BITS	12

/* Protects the tables, the pool's free list and nstree_nsid_last. */
static DEFINE_RAW_SPINLOCK(nstree_nsid_lock);
static DEFINE_HASHTABLE(nstree_nsid_by_ns, NSTREE_NSID_BITS);
static DEFINE_HASHTABLE(nstree_nsid_by_inum, NSTREE_NSID_BITS);
static DEFINE_HASHTABLE(nstree_nsid_by_id, NSTREE_NSID_BITS);
static struct nstree_nsid *nstree_nsid_pool;
static struct nstree_nsid *nstree_nsid_free;
static u64 nstree_nsid_last;

static unsigned int nsid_max = 8192;
module_param(nsid_max, uint, 0444);
MODULE_PARM_DESC(nsid_max,
		 "PID namespaces with an ID at once, 16 to 1048576 (default 8192)");

#define NSTREE_NSID_DEFERRED	256
static u32 nstree_nsid_deferred[NSTREE_NSID_DEFERRED];
static atomic_t nstree_nsid_ndeferred;

static struct nstree_nsid *nstree_nsid_find_locked(const struct pid_namespace *ns)
{
	struct nstree_nsid *e;

	hash_for_each_possible(nstree_nsid_by_ns, e, by_ns, (unsigned long)ns)
		if (e->ns == ns)
			return e;
	return NULL;
}

static void nstree_nsid_drop_locked(struct nstree_nsid *e)
{
	hash_del(&e->by_ns);
	hash_del(&e->by_inum);
	hash_del(&e->by_id);
	e->next_free = nstree_nsid_free;
	nstree_nsid_free = e;
}

/* The entry of inode number @inum, dropped; its ID, 0 if none. */
static u64 nstree_nsid_drop_inum_locked(u32 inum)
{
	struct nstree_nsid *e;
	u64 id;

	hash_for_each_possible(nstree_nsid_by_inum, e, by_inum, inum) {
		if (e->inum == inum) {
			id = e->id;
			nstree_nsid_drop_locked(e);
			return id;
		}
	}
	return 0;
}

/* Frees seen in NMI context: their entries go first. */
static void nstree_nsid_enter(unsigned long *flags)
	__acquires(&nstree_nsid_lock)
{
	u32 inum;
	int i;

	raw_spin_lock_irqsave(&nstree_nsid_lock, *flags);
	if (likely(!atomic_read(&nstree_nsid_ndeferred)))
		return;
	for (i = 0; i < NSTREE_NSID_DEFERRED; i++) {
		inum = xchg(&nstree_nsid_deferred[i], 0);
		if (inum) {
			nstree_nsid_drop_inum_locked(inum);
			atomic_dec(&nstree_nsid_ndeferred);
		}
	}
}

static void nstree_nsid_leave(unsigned long flags)
	__releases(&nstree_nsid_lock)
{
	raw_spin_unlock_irqrestore(&nstree_nsid_lock, flags);
}

u64 nstree_nsid(struct pid_namespace *ns)
{
	struct nstree_nsid *e;
	unsigned long flags;
	u64 id = 0;

	if (!ns)
		return 0;
	nstree_nsid_enter(&flags);
	e = nstree_nsid_find_locked(ns);
	/*
	 * Another inode number at this address: a namespace whose free was
	 * not seen (a missed kprobe hit). It is not this one.
	 */
	if (e && e->inum != ns->ns.inum) {
		nstree_nsid_drop_locked(e);
		e = NULL;
	}
	if (!e && nstree_nsid_free && refcount_read(&ns->ns.count)) {
		e = nstree_nsid_free;
		nstree_nsid_free = e->next_free;
		e->ns = ns;
		e->inum = ns->ns.inum;
		e->id = ++nstree_nsid_last;
		hash_add(nstree_nsid_by_ns, &e->by_ns, (unsigned long)ns);
		hash_add(nstree_nsid_by_inum, &e->by_inum, e->inum);
		hash_add(nstree_nsid_by_id, &e->by_id, e->id);
	}
	if (e)
		id = e->id;
	nstree_nsid_leave(flags);
	return id;
}

u64 nstree_nsid_peek(const struct pid_namespace *ns)
{
	struct nstree_nsid *e;
	unsigned long flags;
	u64 id = 0;

	nstree_nsid_enter(&flags);
	e = nstree_nsid_find_locked(ns);
	if (e && e->inum == ns->ns.inum)
		id = e->id;
	nstree_nsid_leave(flags);
	return id;
}

const struct pid_namespace *nstree_nsid_addr(u64 id)
{
	const struct pid_namespace *ns = NULL;
	struct nstree_nsid *e;
	unsigned long flags;

	nstree_nsid_enter(&flags);
	hash_for_each_possible(nstree_nsid_by_id, e, by_id, id) {
		if (e->id == id) {
			ns = e->ns;
			break;
		}
	}
	nstree_nsid_leave(flags);
	return ns;
}

u64 nstree_nsid_freed(unsigned int inum)
{
	unsigned long flags;
	u64 id;
	int i;

	if (in_nmi()) {
		for (i = 0; i < NSTREE_NSID_DEFERRED; i++) {
			if (!cmpxchg(&nstree_nsid_deferred[i], 0, inum)) {
				/* Ordered: a reader that sees it, sees the slot. */
				atomic_inc_return(&nstree_nsid_ndeferred);
				break;
			}
		}
		return 0;
	}
	nstree_nsid_enter(&flags);
	id = nstree_nsid_drop_inum_locked(inum);
	nstree_nsid_leave(flags);
	return id;
}

int __init nstree_nsid_init(void)
{
	int i;

	if (nsid_max < 16 || nsid_max > 1048576) {
		pr_err("nsid_max=%u: not in 16 to 1048576\n", nsid_max);
		return -EINVAL;
	}
	nstree_nsid_pool = vzalloc(array_size(nsid_max,
					      sizeof(*nstree_nsid_pool)));
	if (!nstree_nsid_pool)
		return -ENOMEM;
	for (i = nsid_max - 1; i >= 0; i--) {
		nstree_nsid_pool[i].next_free = nstree_nsid_free;
		nstree_nsid_free = &nstree_nsid_pool[i];
	}
	return 0;
}

/* At unload, once no kprobe runs: the IDs die with the module. */
void nstree_nsid_exit(void)
{
	vfree(nstree_nsid_pool);
	nstree_nsid_pool = NULL;
	nstree_nsid_free = NULL;
}
