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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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

u64 nstree_nsid(struct pid_namespace *ns)
{
	struct nstree_nsid *e;
	unsigned long flags;
	u64 id = 0;

	if (!ns)
		return 0;
	raw_spin_lock_irqsave(&nstree_nsid_lock, flags);
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
	raw_spin_unlock_irqrestore(&nstree_nsid_lock, flags);
	return id;
}

u64 nstree_nsid_peek(const struct pid_namespace *ns)
{
	struct nstree_nsid *e;
	unsigned long flags;
	u64 id = 0;

	raw_spin_lock_irqsave(&nstree_nsid_lock, flags);
	e = nstree_nsid_find_locked(ns);
	if (e && e->inum == ns->ns.inum)
		id = e->id;
	raw_spin_unlock_irqrestore(&nstree_nsid_lock, flags);
	return id;
}

const struct pid_namespace *nstree_nsid_addr(u64 id)
{
	const struct pid_namespace *ns = NULL;
	struct nstree_nsid *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&nstree_nsid_lock, flags);
	hash_for_each_possible(nstree_nsid_by_id, e, by_id, id) {
		if (e->id == id) {
			ns = e->ns;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&nstree_nsid_lock, flags);
	return ns;
}

u64 nstree_nsid_freed(unsigned int inum)
{
	struct nstree_nsid *e;
	unsigned long flags;
	u64 id = 0;

	raw_spin_lock_irqsave(&nstree_nsid_lock, flags);
	hash_for_each_possible(nstree_nsid_by_inum, e, by_inum, inum) {
		if (e->inum == inum) {
			id = e->id;
			nstree_nsid_drop_locked(e);
			break;
		}
	}
	raw_spin_unlock_irqrestore(&nstree_nsid_lock, flags);
	return id;
}

int __init nstree_nsid_init(void)
{
	int i;

	nstree_nsid_pool = vzalloc(array_size(NSTREE_NSID_MAX,
					      sizeof(*nstree_nsid_pool)));
	if (!nstree_nsid_pool)
		return -ENOMEM;
	for (i = NSTREE_NSID_MAX - 1; i >= 0; i--) {
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
